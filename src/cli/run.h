/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CLI_RUN_H
#define SW_CLI_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

#include "line/line.h"
#include "line/up.h"
#include "linux/cedp.h"

/* softwire run's daemon: its state, shared by run.c and runstatus.c. */

enum run_state {
	RS_WAITING,		/* no carrier, or no usable global prefix */
	RS_NO_SERVICE,		/* a prefix no rule covers */
	RS_PROBING,		/* up, the BR not answered yet */
	RS_UP,
	RS_BR_UNREACHABLE,	/* the BR stopped answering: route withdrawn */
	RS_FAILED,		/* an apply failed: retried with backoff */
	RS_AFTR_UNRESOLVED,	/* DS-Lite: no address for the AFTR's name */
};

#define RUN_DEBOUNCE_MS	10	/* events after a convergence wait this */
#define RUN_RETRY_MAX	60	/* seconds between tries of a failed apply */
#define RUN_EV_BUF	(64 * 1024)

/* Ports in use on the line's address, from conntrack. */
struct run_ports {
	struct prefix4 ipv4;
	uint8_t used[3][65536 / 8];	/* tcp, udp, icmp */
	unsigned n[3];
	bool ok, stats_ok;
	uint64_t insert_failed;
};

/* A DNS server a Router Advertisement named (RDNSS), until when. */
struct run_rdnss {
	struct in6_addr addr;
	uint32_t ifindex;
	uint64_t until;			/* ms, monotonic; UINT64_MAX: ever */
};

/* The userspace tunnel the daemon holds (rundp.c). */
struct run_dp {
	struct ce_loop l;
	struct map_result map;		/* l.dp.map */
	struct tnl_params tnl;
	bool have;			/* carrying a mapping */
	uint8_t buf[65536];
};

struct run {
	int argc;
	char **argv;
	struct line_opts o;		/* the configuration */
	enum run_state state;
	char reason[512];
	uint64_t since;			/* ms, monotonic */
	bool applied;			/* a mapping of ours is up */
	struct map_result map;		/* it, when this run applied it */
	bool have_map;
	struct sw_state st;		/* what the state file says */
	bool withdrawn;			/* our IPv4 default route taken away */
	unsigned changes, probe_failures, fails_in_row, conntrack_flushed;
	unsigned retry_s, unreach_s;	/* backoffs */
	uint64_t converge_at;		/* ms; 0: nothing pending */
	bool force;			/* the next convergence applies anyway */
	uint64_t last_converge;
	uint64_t probe_at;		/* ms; 0: no probe pending */
	struct mnl_socket *ev;
	int sig, ctl;
	char sock_path[1100];
	uint64_t wakeups;
	char evbuf[RUN_EV_BUF];
	struct run_ports ports;
	struct run_dp *dp;		/* NULL: the kernel's ip6tnl */
	/*
	 * DS-Lite: the AFTR's address once looked up (again when the
	 * line's prefix changes or the AFTR stops answering), and the DNS
	 * servers the WAN's Router Advertisements name.
	 */
	struct in6_addr aftr;
	bool aftr_known;
	uint64_t aftr_at;		/* ms, when looked up */
	struct prefix6 aftr_prefix;	/* the line's prefix then */
	struct run_rdnss rdnss[DNS_SERVERS_MAX];
	size_t nrdnss;
	/* --on-change: what it last ran for. */
	bool hooked;
	struct prefix6 hook_prefix;
	struct in6_addr hook_ce;
};

extern const char *const run_state_name[];

/* Milliseconds, monotonic. */
uint64_t run_now_ms(void);
/* Does this kernel have ip6tnl (loaded, or a module to load)? */
bool run_has_ip6tnl(void);
extern const struct line_tun_ops run_dp_ops;
/* A userspace tunnel for the rules rs (kept by the caller), or NULL. */
struct run_dp *run_dp_new(const struct ruleset *rs);
void run_dp_free(struct run_dp *d);
/* Packets waiting on the TUN device (from_tun) or the raw socket. */
void run_dp_serve(struct run_dp *d, bool from_tun);

/* An RTM_NEWNDUSEROPT message: the RDNSS servers it names (rundns.c). */
void run_useropt(struct run *r, const struct nlmsghdr *nlh);
/* The line's DNS servers now: --dns, else those of RAs on the WAN. */
size_t run_dns_servers(struct run *r, uint32_t wan_index,
    struct in6_addr *out);

/*
 * line_resolve, with DS-Lite's AFTR looked up through the line's DNS
 * servers and kept until the prefix changes (rundns.c).
 */
int run_resolve(struct run *r, struct line_opts *o, struct nl *rt,
    struct sw_err *err);

/* --on-change after an apply that brought a new prefix or CE (runhook.c). */
void run_hook_changed(struct run *r, const struct sw_state *st);
/* Log the exit of hooks that ended (SIGCHLD). */
void run_hook_reap(struct run *r);

/* Answer every waiting softwire status on the control socket. */
void run_answer(struct run *r);

#endif
