/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_LINE_LINE_H
#define SW_LINE_LINE_H

#include <stdbool.h>

#include "core/aftr.h"
#include "core/err.h"
#include "core/ipip.h"
#include "core/plan.h"
#include "line/store.h"
#include "linux/dns.h"
#include "linux/rtnl.h"
#include "ruleset.h"

/*
 * The line: what a command asked for, and how its mapping is found (from
 * --prefix, or from the global IPv6 addresses of the WAN interface, or of
 * every interface, that a rule covers).  Nothing below the command line
 * prints or exits: every call returns 0 or -1 with a struct sw_err, whose
 * input flag says the request was at fault rather than the system.
 */

enum line_cmd {
	LINE_RENDER = 1 << 0,
	LINE_UP = 1 << 1,
	LINE_DOWN = 1 << 2,
	LINE_SHOW = 1 << 3,
	LINE_RUN = 1 << 4,
	LINE_STATUS = 1 << 5,
};

enum line_datapath {
	LINE_DP_AUTO,			/* ip6tnl if the kernel has it */
	LINE_DP_KERNEL,
	LINE_DP_USERSPACE,
};

struct line_opts {
	enum line_cmd cmd;
	struct ruleset rs;
	struct plan plan;
	const char *prefix;		/* --prefix, else read the WAN */
	bool mtu_set;
	bool sh;			/* render --format sh */
	bool json;
	bool no_probe;
	unsigned probe_wait;		/* seconds */
	const char *state_dir;
	unsigned lock_wait;		/* seconds */
	struct line_store store;	/* state_dir's files of the tunnel */
	/* softwire run */
	bool keep;			/* --keep: leave the line up on exit */
	bool check;			/* --check: print the plan, touch nothing */
	unsigned probe_interval;	/* seconds between BR checks */
	unsigned probe_failures;	/* failed checks before br-unreachable */
	bool syslog;			/* --syslog */
	enum line_datapath datapath;	/* --datapath */
	/*
	 * Several prefixes on the WAN: the one an RA refreshed last (a new
	 * prefix, the old one's addresses not expired yet), not a refusal.
	 */
	bool freshest;
	const char *service;		/* --service of MAP-E: its rules only */
	/*
	 * DS-Lite (RFC 6333): the line is the WAN's own address and an AFTR,
	 * named (--aftr NAME, --service, --dhcp6-aftr: looked up through
	 * the line's DNS servers) or given (--aftr ADDRESS).
	 */
	bool dslite;
	char aftr_name[AFTR_NAME_MAX];	/* "": --aftr gave an address */
	bool aftr_known;		/* aftr holds the AFTR's address */
	struct in6_addr aftr;
	unsigned aftr_ttl;		/* of the DNS answer, seconds */
	bool aftr_unresolved;		/* line_resolve: the lookup failed */
	struct in6_addr dns[DNS_SERVERS_MAX];	/* --dns, or learned */
	size_t ndns;
	/* Fixed-IP IPIP: --ipip, --br, --interface-id. */
	bool ipip;
	struct prefix4 ipip_v4;
	bool br_set;
	struct in6_addr br;
	bool iid_set;
	uint64_t iid;
	const char *on_change;		/* run: a command after a new prefix */
};

#define LINE_STATE_DIR	"/run/softwire"
#define LINE_LOCK_WAIT	30	/* seconds up and down wait for the lock */
#define LINE_PROBE_INTERVAL	30	/* run: seconds between BR checks */
#define LINE_PROBE_FAILURES	3	/* run: failed checks: br-unreachable */
#define LINE_DNS_WAIT_MS	3000	/* for the AFTR's address */

/* Does the line take MAP-E or lw4o6 rules (not DS-Lite, not IPIP)? */
static inline bool
line_rules(const struct line_opts *o)
{
	return !o->dslite && !o->ipip;
}

/* "up", "down", ...: the command's name. */
const char *line_cmd_name(enum line_cmd cmd);

/*
 * Fill o->plan.map and o->plan.wan: from --prefix (the WAN is then the
 * interface with an address in it, unless --wan says), or from the WAN's
 * addresses.  nl may be NULL for render with --prefix.  DS-Lite: the
 * WAN's global address (in --prefix, if given), and the AFTR's address,
 * looked up through o->dns unless o->aftr_known (o->aftr_unresolved when
 * that failed).  0, or -1 with err.
 */
int line_resolve(struct line_opts *o, struct nl *nl, struct sw_err *err);

/*
 * Why the WAN (index; 0: every interface) has no line: 1 when it has a
 * global address that no rule covers (why in err, as a rule lookup says
 * it), 0 when it has no usable global address at all, -1 with err.
 */
int line_uncovered(const struct line_opts *o, struct nl *nl, uint32_t index,
    struct sw_err *err);

#endif
