/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire run: keep the line up by itself.  Watches rtnetlink (links,
 * addresses, routes, RA prefixes), and converges on every change: the
 * mapping of the WAN's prefix goes up through the line engine (line/up.h),
 * a new prefix moves it, a prefix or carrier lost withdraws the IPv4
 * default route; the BR is probed for liveness; a control socket answers
 * softwire status.  Nothing is polled: a steady line wakes up only for
 * the BR probe.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "cli.h"
#include "line.h"
#include "line/up.h"
#include "linux/ctl.h"
#include "linux/probe.h"
#include "log.h"
#include "run.h"

static const char run_usage[] =
"usage: softwire run [--config FILE] [the options of softwire up]\n"
"                    [--datapath auto|kernel|userspace]\n"
"                    [--probe-interval SECONDS] [--probe-failures N]\n"
"                    [--keep] [--check] [--syslog]\n"
"\n"
"Keep the line up, in the foreground (for s6, OpenRC's\n"
"supervise-daemon, systemd or procd): watch the WAN's links, addresses\n"
"and routes and converge on every change.  A prefix a rule covers\n"
"appears: the line goes up as with softwire up.  It changes: the line\n"
"moves to the new mapping in one step and the old mapping's connections\n"
"are dropped.  It goes away, or the WAN loses carrier: the IPv4 default\n"
"route through the tunnel is withdrawn until it is back.  The BR is\n"
"checked with ICMPv6 echo; when it stops answering the route is\n"
"withdrawn too, and comes back when it answers again.  DS-Lite (--aftr,\n"
"--service transix...): the AFTR's name is looked up through the line's\n"
"DNS (aftr-unresolved until it answers), again when the prefix changes\n"
"or the AFTR stops answering.  softwire status asks the running daemon\n"
"(DIR/TUNNEL.sock) what state the line is in.\n"
"\n"
"  --datapath D        kernel: the kernel's ip6tnl; userspace: a TUN device\n"
"                      and softwire's datapath in this daemon; auto (the\n"
"                      default): ip6tnl where the kernel has it\n"
"  --probe-interval N  seconds between BR checks on a line that is up (30)\n"
"  --probe-failures N  failed checks in a row before the line is\n"
"                      br-unreachable (3)\n"
"  --no-probe          do not check the BR\n"
"  --probe-wait N      seconds to wait for each echo reply (1)\n"
"  --keep              leave the line up on SIGTERM (default: as softwire\n"
"                      down; a userspace tunnel goes with the daemon)\n"
"  --check             check the configuration, print the mapping the WAN\n"
"                      has now, change nothing\n"
"  --syslog            log to syslog instead of standard error\n"
"  --wan, --prefix, --tunnel, --mtu, --lan, --wan-port, --forward,\n"
"  --replace-default, --state-dir, --rule, --dhcp6-mape, --dhcp6-lw,\n"
"  --iid, --service, --aftr, --dhcp6-aftr, --config   as in softwire up\n"
"  --dns ADDRESS       the line's DNS server for the AFTR's name (default:\n"
"                      those the WAN's Router Advertisements name)\n"
"  --ipip, --br, --interface-id   as in softwire up\n"
"  --on-change CMD     run CMD (sh -c, no capabilities, in the background)\n"
"                      after each apply that brought a new prefix or CE\n"
"                      address: a fixed-IP plan's update URL; SOFTWIRE_MODE,\n"
"                      _PREFIX, _CE, _IPV4, _WAN, _TUNNEL are set\n"
"  -h, --help          this text\n"
"\n"
"SIGTERM or SIGINT: take the line down (unless --keep) and exit 0.\n"
"SIGHUP: read the configuration again and converge.\n"
"Exit status: 0 after a signal, 1 failure (another daemon or command\n"
"holds the tunnel, a socket cannot be opened, down failed at exit), 2\n"
"bad usage or configuration (nothing is applied).\n";

const char *const run_state_name[] = {
	[RS_WAITING] = "waiting",
	[RS_NO_SERVICE] = "no-service",
	[RS_PROBING] = "probing",
	[RS_UP] = "up",
	[RS_BR_UNREACHABLE] = "br-unreachable",
	[RS_FAILED] = "failed",
	[RS_AFTR_UNRESOLVED] = "aftr-unresolved",
};

uint64_t
run_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A state, logged once per transition with its reason. */
static void
run_set(struct run *r, enum run_state s, const char *reason)
{
	if (r->state == s && strcmp(r->reason, reason) == 0)
		return;
	if (r->state != s)
		r->since = run_now_ms();
	r->state = s;
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	log_info("%s: %s%s%s", r->o.plan.tunnel, run_state_name[s],
	    *reason ? ": " : "", reason);
}

/* Take our IPv4 default route away (the rest stays ready). */
static void
run_withdraw(struct run *r, struct nl *rt)
{
	struct link_state ls;
	struct sw_err err;

	if (!r->applied || r->withdrawn)
		return;
	if (link_get(rt, r->o.plan.tunnel, &ls, &err) != 0) {
		r->withdrawn = true;
		return;
	}
	if (route4_default_dev(rt, false, ls.index, &err) == -1 &&
	    err.errnum != ESRCH && err.errnum != ENOENT) {
		log_warnx("withdrawing the default route: %s", err.msg);
		return;
	}
	r->withdrawn = true;
	log_info("%s: IPv4 default route withdrawn", r->o.plan.tunnel);
}

/* The next try of a failed apply: 1, 2, 4 ... 60 s. */
static void
run_retry(struct run *r, uint64_t now)
{
	r->retry_s = r->retry_s == 0 ? 1 : r->retry_s * 2;
	if (r->retry_s > RUN_RETRY_MAX)
		r->retry_s = RUN_RETRY_MAX;
	r->converge_at = now + r->retry_s * 1000ull;
	r->force = true;
}

/* After an apply: check the BR now (or call the line up unchecked). */
static void
run_applied(struct run *r, const struct up_run *u, uint64_t now)
{
	char v4[PREFIX4_STRLEN], ce[ADDR6_STRLEN], aftr[ADDR6_STRLEN];
	size_t i;

	for (i = 0; i < u->nnotes; i++)
		log_warnx("%s", u->notes[i]);
	if (u->nchanges > 0 && u->st.mode == SW_MODE_DSLITE) {
		r->changes++;
		log_info("%s: %zu change%s: DS-Lite, B4 %s on %s, AFTR %s%s",
		    r->o.plan.tunnel, u->nchanges, u->nchanges == 1 ? "" : "s",
		    addr6_format(&u->st.ce, ce), u->st.wan,
		    addr6_format(&u->o->plan.map.rule.br, aftr),
		    u->ct_flushed ? ", old connections dropped" : "");
	} else if (u->nchanges > 0) {
		r->changes++;
		log_info("%s: %zu change%s: IPv4 %s, %u ports, CE %s on %s%s",
		    r->o.plan.tunnel, u->nchanges, u->nchanges == 1 ? "" : "s",
		    prefix4_format(&u->st.ipv4, v4),
		    portset_usable(&u->st.ports), addr6_format(&u->st.ce, ce),
		    u->st.wan, u->ct_flushed ? ", old connections dropped" :
		    "");
	}
	r->conntrack_flushed += u->ct_flushed;
	r->applied = true;
	r->withdrawn = false;
	r->st = u->st;
	r->map = u->o->plan.map;
	r->have_map = true;
	r->retry_s = 0;
	run_hook_changed(r, &u->st);
	if (r->o.no_probe) {
		run_set(r, RS_UP, "");
		r->probe_at = 0;
		return;
	}
	r->fails_in_row = 0;
	run_set(r, RS_PROBING, r->o.dslite ? "checking that the AFTR answers" :
	    "checking that the BR answers");
	r->probe_at = now;
}

/* Is what is up the mapping just resolved, with its tunnel there? */
static bool
run_same(const struct run *r, struct up_run *u)
{
	const struct map_result *m = &u->o->plan.map;
	struct link_state ls;
	struct sw_err err;

	if (!r->applied || !u->have_old)
		return false;
	/* DS-Lite: the AFTR moved (its name has a new address). */
	if (r->have_map && memcmp(&r->map.rule.br, &m->rule.br,
	    sizeof(m->rule.br)) != 0)
		return false;
	if (memcmp(&u->old.ce, &m->ce, sizeof(m->ce)) != 0 ||
	    u->old.ipv4.addr != m->ipv4.addr ||
	    u->old.ipv4.len != m->ipv4.len ||
	    memcmp(&u->old.ports, &m->ports, sizeof(m->ports)) != 0 ||
	    strcmp(u->old.wan, u->o->plan.wan) != 0)
		return false;
	return link_get(&u->rt, u->o->plan.tunnel, &ls, &err) == 0;
}

/* No WAN, or no carrier on it: the reason, else NULL. */
static const char *
run_no_carrier(struct nl *rt, const char *wan, char *reason, size_t size)
{
	struct link_state ls;
	struct sw_err err;

	if (wan[0] == '\0')
		return NULL;
	switch (link_get(rt, wan, &ls, &err)) {
	case 1:
		snprintf(reason, size, "the WAN %s does not exist", wan);
		return reason;
	case 0:
		if (ls.running)
			return NULL;
		snprintf(reason, size, "no carrier on %s", wan);
		return reason;
	default:
		return NULL;	/* resolving says what is wrong */
	}
}

/*
 * Why there is no line to bring up: no prefix (waiting), a prefix no
 * rule covers (no-service), options that cannot work (failed).
 */
static void
run_no_line(struct run *r, struct up_run *u, const struct line_opts *o,
    const struct sw_err *why)
{
	struct link_state wan;
	struct sw_err err;
	char reason[512];
	uint32_t index = 0;

	if (o->aftr_unresolved) {
		run_set(r, RS_AFTR_UNRESOLVED, why->msg);
		run_retry(r, run_now_ms());
		return;
	}
	if (why->input) {
		run_set(r, RS_FAILED, why->msg);
		return;
	}
	if (r->o.plan.wan[0] != '\0' &&
	    link_get(&u->rt, r->o.plan.wan, &wan, &err) == 0)
		index = wan.index;
	switch (line_uncovered(&r->o, &u->rt, index, &err)) {
	case 1:
		run_set(r, RS_NO_SERVICE, err.msg);
		return;
	case -1:
		run_set(r, RS_FAILED, err.msg);
		return;
	}
	if (!line_rules(o))
		snprintf(reason, sizeof(reason), "%s", why->msg);
	else if (index != 0)
		snprintf(reason, sizeof(reason), "no usable global IPv6 "
		    "address on %s that a rule covers", r->o.plan.wan);
	else
		snprintf(reason, sizeof(reason), "no interface has a usable "
		    "global IPv6 address that a rule covers");
	run_set(r, RS_WAITING, reason);
}

/* The engine works the daemon's userspace tunnel, if it has one. */
static void
run_hook_dp(struct run *r, struct up_run *u)
{
	if (r->dp == NULL)
		return;
	u->uops = &run_dp_ops;
	u->uctx = r->dp;
}

/* Read everything again and bring the line where it should be. */
static void
run_converge(struct run *r)
{
	struct line_opts o = r->o;
	struct up_run u;
	struct sw_err err;
	char reason[512];
	const char *lost;
	uint64_t now = run_now_ms();
	bool force = r->force;

	r->converge_at = 0;
	r->force = false;
	r->last_converge = now;
	o.no_probe = true;	/* the daemon probes on its own */
	memset(&o.plan.map, 0, sizeof(o.plan.map));
	if (line_begin(&u, &o, &err) == -1) {
		run_set(r, RS_FAILED, err.msg);
		run_retry(r, now);
		line_end(&u);
		return;
	}
	run_hook_dp(r, &u);
	r->applied = u.have_old;
	if (u.have_old)
		r->st = u.old;
	/* The WAN named, or found from its prefix: is its carrier there? */
	lost = run_no_carrier(&u.rt, o.plan.wan, reason, sizeof(reason));
	if (lost == NULL && run_resolve(r, &o, &u.rt, &err) == -1) {
		run_no_line(r, &u, &o, &err);
		lost = "";
	}
	if (lost == NULL)
		lost = run_no_carrier(&u.rt, o.plan.wan, reason,
		    sizeof(reason));
	if (lost != NULL) {
		if (*lost != '\0')
			run_set(r, RS_WAITING, lost);
		run_withdraw(r, &u.rt);
		r->probe_at = 0;
		line_end(&u);
		return;
	}
	/*
	 * Nothing to do: the line is up as resolved, or it is withdrawn
	 * because the BR does not answer (the probe brings it back; an RA
	 * refreshing the prefix must not).
	 */
	if (!force && run_same(r, &u) && (r->state == RS_BR_UNREACHABLE ||
	    (!r->withdrawn && (r->state == RS_UP ||
	    r->state == RS_PROBING)))) {
		line_end(&u);
		return;
	}
	if (line_up(&u, &err) == -1) {
		size_t i;

		for (i = 0; i < u.nnotes; i++)
			log_warnx("%s", u.notes[i]);
		run_set(r, RS_FAILED, err.msg);
		if (!err.input)
			run_retry(r, now);
		line_end(&u);
		return;
	}
	run_applied(r, &u, now);
	line_end(&u);
	/* An apply's buffers (libnftables' above all) go back to the system. */
	malloc_trim(0);
}

/* One BR check; the state it leads to. */
static void
run_probe(struct run *r)
{
	const struct map_result *m = &r->map;
	struct sw_err err;
	uint64_t now;
	char reason[512], br[ADDR6_STRLEN];

	r->probe_at = 0;
	if (!r->have_map || !r->applied)
		return;
	if (probe_br(&m->ce, &m->rule.br, 1, r->o.probe_wait * 1000,
	    &err) == 0) {
		now = run_now_ms();
		r->fails_in_row = 0;
		r->unreach_s = 0;
		r->probe_at = now + r->o.probe_interval * 1000ull;
		if (r->withdrawn) {
			/* The route comes back through the engine. */
			r->force = true;
			r->converge_at = now;
			return;
		}
		run_set(r, RS_UP, "");
		return;
	}
	now = run_now_ms();
	r->probe_failures++;
	r->fails_in_row++;
	if (r->fails_in_row < r->o.probe_failures) {
		r->probe_at = now + 1000;
		return;
	}
	snprintf(reason, sizeof(reason), "the %s %s does not answer: %s",
	    r->o.dslite ? "AFTR" : "BR", addr6_format(&m->rule.br, br),
	    err.msg);
	run_set(r, RS_BR_UNREACHABLE, reason);
	if (r->o.dslite && r->o.aftr_name[0] != '\0' && r->aftr_known) {
		/* Its name may have a new address: look it up again. */
		r->aftr_known = false;
		r->converge_at = now;
	}
	{
		struct nl rt;

		if (nl_open(&rt, NETLINK_ROUTE, &err) == 0) {
			run_withdraw(r, &rt);
			nl_close(&rt);
		}
	}
	r->unreach_s = r->unreach_s == 0 ? 2 : r->unreach_s * 2;
	if (r->unreach_s > r->o.probe_interval)
		r->unreach_s = r->o.probe_interval;
	r->probe_at = now + r->unreach_s * 1000ull;
}

/* rtnetlink events: the WAN, its addresses and routes, RA prefixes. */
static int
run_events_open(struct run *r, struct sw_err *err)
{
	unsigned groups = RTMGRP_LINK | RTMGRP_IPV6_IFADDR |
	    RTMGRP_IPV6_ROUTE | RTMGRP_IPV6_PREFIX;
	int useropt = RTNLGRP_ND_USEROPT, buf = 1 << 20;

	if ((r->ev = mnl_socket_open2(NETLINK_ROUTE,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(r->ev, groups, MNL_SOCKET_AUTOPID) == -1) {
		err_sys(err, errno, "rtnetlink events: %s", strerror(errno));
		return -1;
	}
	/* Not every kernel has it: the addresses still tell. */
	(void)mnl_socket_setsockopt(r->ev, NETLINK_ADD_MEMBERSHIP, &useropt,
	    sizeof(useropt));
	(void)setsockopt(mnl_socket_get_fd(r->ev), SOL_SOCKET, SO_RCVBUF,
	    &buf, sizeof(buf));
	return 0;
}

/* The messages in r->evbuf that say more than "something changed". */
static void
run_messages(struct run *r, size_t len)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)r->evbuf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		if (nlh->nlmsg_type == RTM_NEWNDUSEROPT)
			run_useropt(r, nlh);
}

/* Drain the events; any of them schedules a convergence. */
static void
run_events(struct run *r)
{
	uint64_t now = run_now_ms(), at;
	bool any = false;
	ssize_t n;

	while ((n = mnl_socket_recvfrom(r->ev, r->evbuf,
	    sizeof(r->evbuf))) != 0) {
		if (n == -1) {
			if (errno == ENOBUFS) {
				/* Lost some: read everything, never guess. */
				log_debug("rtnetlink events overran: rereading");
				any = true;
				r->force = true;
				continue;
			}
			if (errno != EAGAIN && errno != EINTR)
				log_warn("rtnetlink events");
			break;
		}
		any = true;
		run_messages(r, (size_t)n);
	}
	if (!any || r->converge_at != 0)
		return;
	/* The first of a burst at once; the rest after a short wait. */
	at = r->last_converge + RUN_DEBOUNCE_MS;
	r->converge_at = at > now ? at : now;
}

/*
 * Keep only CAP_NET_ADMIN (links, addresses, routes, nftables,
 * conntrack) and CAP_NET_RAW (the BR probe), in every set and the
 * bounding set.
 */
static int
run_drop_caps(struct sw_err *err)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	const uint32_t keep = 1u << CAP_NET_ADMIN | 1u << CAP_NET_RAW;
	int cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (cap != CAP_NET_ADMIN && cap != CAP_NET_RAW &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1 &&
		    errno != EINVAL) {
			err_sys(err, errno, "dropping capability %d: %s", cap,
			    strerror(errno));
			return -1;
		}
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = keep;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 ||
	    syscall(SYS_capset, &h, d) == -1) {
		err_sys(err, errno, "keeping only CAP_NET_ADMIN and "
		    "CAP_NET_RAW: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGHUP: the configuration again; the old one stays if it is bad. */
static void
run_reload(struct run *r)
{
	struct line_opts o;

	log_info("%s: SIGHUP: reading the configuration again",
	    r->o.plan.tunnel);
	optind = 0;
	if (line_parse(&o, LINE_RUN, run_usage, r->argc, r->argv) != 0) {
		log_warnx("the new configuration is refused; the old one "
		    "stays");
		ruleset_free(&o.rs);
		return;
	}
	if (line_rules(&o))
		ruleset_finish(&o.rs, o.service);
	o.freshest = true;
	if (strcmp(o.plan.tunnel, r->o.plan.tunnel) != 0 ||
	    strcmp(o.state_dir, r->o.state_dir) != 0 ||
	    o.datapath != r->o.datapath) {
		log_warnx("a new --tunnel, --state-dir or --datapath needs a "
		    "restart; the old configuration stays");
		ruleset_free(&o.rs);
		return;
	}
	o.store = r->o.store;	/* the lock stays held */
	r->aftr_known = false;	/* the AFTR's name may be another */
	ruleset_free(&r->o.rs);
	r->o = o;
	if (r->dp != NULL) {	/* its rules were the old configuration's */
		r->dp->l.dp.rules = r->o.rs.rules;
		r->dp->l.dp.nrules = r->o.rs.n;
	}
	r->force = true;
	r->converge_at = run_now_ms();
}

/* SIGTERM: down, unless --keep.  0, or 1 when down failed. */
static int
run_stop(struct run *r)
{
	struct line_opts o = r->o;
	struct up_run u;
	struct sw_err err;
	size_t i;
	int rc = 0;

	if (r->o.keep) {
		log_info("%s: stopping, the line kept (--keep)%s",
		    r->o.plan.tunnel, r->dp != NULL ? "; the userspace "
		    "tunnel goes with the daemon" : "");
		return 0;
	}
	if (line_begin(&u, &o, &err) == -1) {
		log_warnx("%s", err.msg);
		line_end(&u);
		return 1;
	}
	run_hook_dp(r, &u);
	rc = line_down(&u, &err);
	for (i = 0; i < u.nnotes; i++)
		log_warnx("%s", u.notes[i]);
	if (rc == -1)
		log_warnx("%s", err.msg);
	else if (rc == 0)
		log_info("%s: down", r->o.plan.tunnel);
	line_end(&u);
	return rc == -1 ? 1 : 0;
}

static int
run_loop(struct run *r)
{
	struct pollfd pfd[5];
	struct signalfd_siginfo si;
	uint64_t now, next;
	nfds_t n;
	int timeout;

	pfd[0] = (struct pollfd){ .fd = mnl_socket_get_fd(r->ev),
	    .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = r->sig, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = r->ctl, .events = POLLIN };
	for (;;) {
		now = run_now_ms();
		if (r->converge_at != 0 && r->converge_at <= now)
			run_converge(r);
		now = run_now_ms();
		if (r->probe_at != 0 && r->probe_at <= now &&
		    r->converge_at == 0)
			run_probe(r);
		now = run_now_ms();
		next = 0;
		if (r->converge_at != 0)
			next = r->converge_at;
		if (r->probe_at != 0 && (next == 0 || r->probe_at < next))
			next = r->probe_at;
		timeout = next == 0 ? -1 : next <= now ? 0 :
		    (int)(next - now);
		n = 3;
		if (r->dp != NULL && r->dp->have) {
			pfd[3] = (struct pollfd){ .fd = r->dp->l.tun,
			    .events = POLLIN };
			pfd[4] = (struct pollfd){ .fd = r->dp->l.raw,
			    .events = POLLIN };
			n = 5;
		}
		if (poll(pfd, n, timeout) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return 1;
		}
		r->wakeups++;
		if (n == 5 && pfd[3].revents)
			run_dp_serve(r->dp, true);
		if (n == 5 && pfd[4].revents && r->dp->have)
			run_dp_serve(r->dp, false);
		if (pfd[0].revents)
			run_events(r);
		if (pfd[2].revents)
			run_answer(r);
		if (pfd[1].revents && read(r->sig, &si, sizeof(si)) ==
		    sizeof(si)) {
			if (si.ssi_signo == SIGHUP) {
				run_reload(r);
				continue;
			}
			if (si.ssi_signo == SIGCHLD) {
				run_hook_reap(r);
				continue;
			}
			log_info("%s: signal %u: stopping", r->o.plan.tunnel,
			    si.ssi_signo);
			return run_stop(r);
		}
	}
}

/*
 * --datapath auto: the kernel's ip6tnl where it exists, else the
 * userspace datapath inside the daemon.
 */
static bool
run_userspace(const struct run *r)
{
	return r->o.datapath == LINE_DP_USERSPACE ||
	    (r->o.datapath == LINE_DP_AUTO && !run_has_ip6tnl());
}

static int
run_pick_datapath(struct run *r)
{
	if (!run_userspace(r)) {
		log_info("%s: datapath: the kernel's ip6tnl",
		    r->o.plan.tunnel);
		return 0;
	}
	if ((r->dp = run_dp_new(&r->o.rs)) == NULL) {
		log_warn("the userspace datapath");
		return -1;
	}
	log_info("%s: datapath: userspace (a TUN device and softwire's "
	    "datapath in this daemon)", r->o.plan.tunnel);
	return 0;
}

/* --check: the configuration is good; what the WAN has now. */
static int
run_check(struct run *r)
{
	char v4[PREFIX4_STRLEN], ce[ADDR6_STRLEN], pfx[PREFIX6_STRLEN];
	struct sw_err err;
	struct nl rt;
	int rc = 0;

	if (nl_open(&rt, NETLINK_ROUTE, &err) == -1)
		return line_exit(&err);
	if (line_resolve(&r->o, &rt, &err) == -1) {
		printf("configuration ok; no line now: %s\n", err.msg);
		/* No DNS server known yet is no fault of the configuration:
		 * the daemon learns them from Router Advertisements. */
		rc = err.input && !r->o.aftr_unresolved ? EXIT_USAGE : 0;
	} else if (plan_check(&r->o.plan, &err) == -1) {
		rc = line_exit(&err);
	} else {
		const struct map_result *m = &r->o.plan.map;

		printf("configuration ok\n");
		printf("  prefix   %s on %s\n",
		    prefix6_format(&m->eu_prefix, pfx), r->o.plan.wan);
		if (m->rule.type == RULE_DSLITE) {
			printf("  IPv4     %s (DS-Lite)\n",
			    prefix4_format(&m->ipv4, v4));
			printf("  B4       %s\n  AFTR     %s %s\n",
			    addr6_format(&m->ce, ce), r->o.aftr_name,
			    addr6_format(&m->rule.br, pfx));
		} else {
			printf("  IPv4     %s, %u ports in %u ranges\n",
			    prefix4_format(&m->ipv4, v4),
			    portset_usable(&m->ports),
			    portset_nranges(&m->ports));
			printf("  CE       %s\n", addr6_format(&m->ce, ce));
		}
		printf("  tunnel   %s (%s)\n", r->o.plan.tunnel,
		    run_userspace(r) ? "userspace datapath" :
		    "the kernel's ip6tnl");
	}
	nl_close(&rt);
	return rc;
}

static int
run_start(struct run *r)
{
	char holder[128], me[32], path[1100];
	struct sw_err err;
	sigset_t set;
	int rc;

	snprintf(me, sizeof(me), "softwire run");
	switch (store_lock_try(&r->o.store, me, holder, sizeof(holder),
	    &err)) {
	case 1:
		store_path(&r->o.store, "lock", path, sizeof(path));
		log_warnx("%s is held by %s (%s)", r->o.plan.tunnel, holder,
		    path);
		return EXIT_FAIL;
	case -1:
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	if (run_pick_datapath(r) == -1)
		return EXIT_FAIL;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);	/* --on-change's */
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((r->sig = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		log_warn("signalfd");
		return EXIT_FAIL;
	}
	if (run_events_open(r, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	store_path(&r->o.store, "sock", r->sock_path, sizeof(r->sock_path));
	if ((r->ctl = ctl_listen(r->sock_path)) == -1)
		return EXIT_FAIL;
	if (chmod(r->sock_path, 0600) == -1) {
		log_warn("%s", r->sock_path);
		return EXIT_FAIL;
	}
	if (run_drop_caps(&err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	r->since = run_now_ms();
	run_set(r, RS_WAITING, "starting");
	r->force = true;	/* adopt what a previous run left */
	r->converge_at = r->since;
	rc = run_loop(r);
	unlink(r->sock_path);
	return rc;
}

int
cmd_run(int argc, char **argv)
{
	static struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.argc = argc;
	r.argv = argv;
	r.sig = r.ctl = -1;
	if ((rc = line_parse(&r.o, LINE_RUN, run_usage, argc, argv)) != 0) {
		line_free(&r.o);
		return rc == 1 ? 0 : EXIT_USAGE;
	}
	if (line_rules(&r.o))
		ruleset_finish(&r.o.rs, r.o.service);
	r.o.freshest = true;
	if (r.o.syslog)
		log_init("softwire", 1, 0);
	if (r.o.check)
		rc = run_check(&r);
	else
		rc = run_start(&r);
	if (r.ev != NULL)
		mnl_socket_close(r.ev);
	if (r.ctl != -1)
		close(r.ctl);
	if (r.sig != -1)
		close(r.sig);
	run_dp_free(r.dp);
	line_free(&r.o);
	return rc;
}
