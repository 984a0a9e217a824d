/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire-br: a userspace MAP-E border relay, the lab peer and referee;
 * with --lwaftr an lw4o6 AFTR (RFC 7596) serving a binding table, with
 * --aftr a DS-Lite AFTR (RFC 6333) in front of the kernel's NAT.
 *
 * Both sides are TUN devices: the IPv4 side (routes for the rules' IPv4
 * prefixes point at it, MTU 1460 so the kernel fragments or answers
 * "fragmentation needed" for the tunnel) and the IPv6 side (a route for
 * the BR address points at it).  The BR address is not a local address,
 * so the kernel's own ip4ip6 handler never sees these packets and never
 * answers them with ICMPv6 errors.
 */
#include <errno.h>
#include <getopt.h>
#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/bind.h"
#include "core/builtin.h"
#include "core/dp.h"
#include "linux/ctl.h"
#include "linux/loop.h"
#include "linux/tun.h"
#include "log.h"
#include "opt.h"
#include "ruleset.h"

#define BR_CONTROL "/run/softwire-br.sock"
#define AFTR_POOL	0x64400000u	/* 100.64.0.0, AFTR_B4_MAX addresses */
#define AFTR_POOL_TEXT	"100.64.0.0/20"

static const char br_usage[] =
"usage: softwire-br --address BR [--rule RULE]... [--dhcp6-mape HEX]...\n"
"                   [--dhcp6-lw HEX]... [--service NAME] [--iid rfc|draft]\n"
"                   [--tun4 NAME] [--tun6 NAME] [--control PATH] [-v]\n"
"       softwire-br --address AFTR --lwaftr --binding BINDING...\n"
"                   [--tun4 NAME] [--tun6 NAME] [--control PATH] [-v]\n"
"       softwire-br --address AFTR --aftr\n"
"                   [--tun4 NAME] [--tun6 NAME] [--control PATH] [-v]\n"
"       softwire-br --stats [--control PATH]\n"
"\n"
"A userspace MAP-E border relay (RFC 7597), lw4o6 AFTR (RFC 7596) or\n"
"DS-Lite AFTR (RFC 6333), for labs and tests.\n"
"\n"
"  --address BR       the BR's IPv6 address (route it to the IPv6 TUN)\n"
"  --rule RULE        a mapping rule, as in softwire calc (repeatable)\n"
"  --dhcp6-mape HEX   rules from RFC 7598 option 94\n"
"  --dhcp6-lw HEX     a binding from RFC 7598 option 96\n"
"  --service NAME     the built-in rules of one service (default: all\n"
"                     built-in rules when no rule is given)\n"
"  --iid rfc|draft    CE interface-identifier layout for every rule\n"
"  --lwaftr           serve lw4o6 B4s from --binding, not MAP-E rules\n"
"  --binding IPV4,PSID/LEN[,OFFSET],B4ADDRESS\n"
"                     a B4's port set of IPV4 (PSID right-aligned, offset\n"
"                     default 6), or IPV4,B4ADDRESS: the whole address\n"
"  --aftr             a DS-Lite AFTR: each B4 (IPv6 address and inner\n"
"                     IPv4 source) gets one address of " AFTR_POOL_TEXT ";\n"
"                     route it to the IPv4 TUN and masquerade it\n"
"  --tun4 NAME        IPv4-side TUN device (default br4, MTU 1460)\n"
"  --tun6 NAME        IPv6-side TUN device (default br6, MTU 1500)\n"
"  --control PATH     control socket (default " BR_CONTROL ")\n"
"  --stats            print the running relay's counters as JSON\n"
"  -v, --verbose      log dropped packets (the first 100 of each reason)\n"
"  -h, --help         this text\n";

#define BR_BINDINGS_MAX	65536

struct br_opts {
	struct ruleset rs;
	const char *service, *tun4, *tun6, *control;
	bool have_addr, stats, lwaftr, rules, aftr;
	struct in6_addr addr;
	struct lw_binding *binds;
	size_t nbinds;
};

/* --binding: one more entry of the table. */
static int
br_binding(struct br_opts *o, const char *arg)
{
	struct lw_binding b, *t;
	struct sw_err err;

	if (lw_binding_parse(arg, &b, &err) == -1) {
		log_warnx("--binding: %s", err.msg);
		return -1;
	}
	if (o->nbinds == BR_BINDINGS_MAX) {
		log_warnx("--binding: more than %d bindings", BR_BINDINGS_MAX);
		return -1;
	}
	if ((t = realloc(o->binds, (o->nbinds + 1) * sizeof(*t))) == NULL) {
		log_warn("--binding");
		return -1;
	}
	o->binds = t;
	o->binds[o->nbinds++] = b;
	return 0;
}

static int
br_option(void *ctx, int key, const char *arg)
{
	struct br_opts *o = ctx;
	struct sw_err err;
	int r;

	if ((r = ruleset_option(&o->rs, key, arg)) != 0) {
		o->rules = true;
		return r == -1 ? -1 : 0;
	}
	if (loop_option(key, arg, "softwire-br", &o->control, &o->stats))
		return 0;
	switch (key) {
	case K_ADDRESS:
		if (addr6_parse(arg, &o->addr, &err) == -1) {
			log_warnx("--address: %s", err.msg);
			return -1;
		}
		o->have_addr = true;
		return 0;
	case K_SERVICE:
		if (ruleset_service(arg) == -1)
			return -1;
		o->service = arg;
		o->rules = true;
		return 0;
	case K_LWAFTR:
		o->lwaftr = true;
		return 0;
	case K_BINDING:
		return br_binding(o, arg);
	case K_AFTR_MODE:
		o->aftr = true;
		return 0;
	case K_TUN4:
		o->tun4 = arg;
		return 0;
	default:		/* K_TUN6: the table gives the BR no other */
		o->tun6 = arg;
		return 0;
	}
}

/* MAP-E rules or lw4o6 bindings, never both. */
static int
br_check_mode(struct br_opts *o)
{
	struct sw_err err;

	if (o->stats)
		return 0;
	if (o->aftr && (o->lwaftr || o->nbinds > 0 || o->rules)) {
		log_warnx("--aftr (DS-Lite) takes no rules, --lwaftr or "
		    "--binding");
		return -1;
	}
	if (o->nbinds > 0 && !o->lwaftr) {
		log_warnx("--binding is for an lwAFTR: add --lwaftr");
		return -1;
	}
	if (o->lwaftr && o->nbinds == 0) {
		log_warnx("--lwaftr needs at least one --binding");
		return -1;
	}
	if (o->lwaftr && o->rules) {
		log_warnx("--lwaftr serves --binding entries, not rules "
		    "(--rule, --dhcp6-mape, --dhcp6-lw, --service, --iid)");
		return -1;
	}
	if (o->lwaftr && lw_table_sort(o->binds, o->nbinds, &err) == -1) {
		log_warnx("--binding: %s", err.msg);
		return -1;
	}
	return 0;
}

static int
br_parse_args(int argc, char **argv, struct br_opts *o)
{
	char q[QUOTE_LEN];
	int rc;

	if ((rc = opt_parse(OPT_BR, "softwire-br", br_usage, argc, argv,
	    br_option, o)) != 0)
		return rc;
	if (optind != argc) {
		log_warnx("unexpected argument \"%s\"",
		    err_quote(q, sizeof(q), argv[optind]));
		return -1;
	}
	if (!o->stats && !o->have_addr) {
		log_warnx("--address is required");
		fputs(br_usage, stderr);
		return -1;
	}
	return br_check_mode(o);
}

struct br_loop {
	struct dp_br dp;
	struct dp_aftr *aftr;		/* --aftr: instead of dp */
	int tun4, tun6;
};

/* A B4 seen for the first time: which pool address it has. */
static void
aftr_log_b4(const struct dp_aftr *a, size_t i)
{
	char b4[ADDR6_STRLEN], in[ADDR4_STRLEN], pool[ADDR4_STRLEN];

	log_info("B4 %s inner %s is %s", addr6_format(&a->b4[i].b4, b4),
	    addr4_format(a->b4[i].inner, in),
	    addr4_format(a->pool + (uint32_t)i, pool));
}

/* An IPv6 packet for the relay (or AFTR): 0 to pass its inner packet on. */
static int
br_up(struct br_loop *l, uint8_t *buf, size_t n, uint64_t now,
    const struct dp_stats **st)
{
	size_t b4s;
	int rc;

	if (l->aftr == NULL) {
		*st = &l->dp.st;
		return dp_br_upstream(&l->dp, buf, n, now);
	}
	*st = &l->aftr->st;
	b4s = l->aftr->n;
	rc = dp_aftr_upstream(l->aftr, buf, n);
	if (l->aftr->n != b4s)
		aftr_log_b4(l->aftr, b4s);
	return rc;
}

/* One packet from the IPv6 side; false when there is none left. */
static bool
br_from_tun6(void *ctx, uint8_t *buf, size_t size, uint64_t now)
{
	struct br_loop *l = ctx;
	const struct dp_stats *st;
	ssize_t n = read(l->tun6, buf, size);
	int rc;

	if (n <= 0) {
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			log_warn("read IPv6 side");
		return false;
	}
	if (dp_echo_reply(l->aftr != NULL ? &l->aftr->addr : &l->dp.addr,
	    buf, (size_t)n) == 0) {
		(l->aftr != NULL ? &l->aftr->st : &l->dp.st)->echo_replies++;
		if (write(l->tun6, buf, (size_t)n) == -1)
			log_warn("write IPv6 side");
		return true;
	}
	rc = br_up(l, buf, (size_t)n, now, &st);
	if (rc == -1)
		dp_log_drop(st, buf, (size_t)n);
	else if (rc == 0 && write(l->tun4, buf + IP6_HLEN,
	    (size_t)n - IP6_HLEN) == -1)
		log_warn("write IPv4 side");
	return true;
}

static bool
br_from_tun4(void *ctx, uint8_t *buf, size_t size, uint64_t now)
{
	struct br_loop *l = ctx;
	uint8_t hdr[IP6_HLEN];
	struct iovec iov[2];
	ssize_t n = read(l->tun4, buf, size);
	int rc;

	if (n <= 0) {
		if (n == -1 && errno != EAGAIN && errno != EINTR)
			log_warn("read IPv4 side");
		return false;
	}
	rc = l->aftr != NULL ? dp_aftr_downstream(l->aftr, buf, (size_t)n,
	    hdr) : dp_br_downstream(&l->dp, buf, (size_t)n, now, hdr);
	if (rc != 0) {
		dp_log_drop(l->aftr != NULL ? &l->aftr->st : &l->dp.st, buf,
		    (size_t)n);
		return true;
	}
	iov[0] = (struct iovec){ hdr, sizeof(hdr) };
	iov[1] = (struct iovec){ buf, (size_t)n };
	if (writev(l->tun6, iov, 2) == -1)
		log_warn("write IPv6 side");
	return true;
}

/* --aftr: the DS-Lite AFTR's loop. */
static int
aftr_start(struct br_opts *o, struct br_loop *l)
{
	struct loop_src srcs[2];
	int rc = 1;

	if ((l->aftr = calloc(1, sizeof(*l->aftr))) == NULL) {
		log_warn("the AFTR's table");
		return 1;
	}
	l->aftr->addr = o->addr;
	l->aftr->pool = AFTR_POOL;
	if (getrandom(&l->aftr->seed, sizeof(l->aftr->seed), 0) == -1)
		log_warn("getrandom (the table's hash stays unkeyed)");
	l->tun6 = -1;
	if ((l->tun4 = tun_open(o->tun4, DP_INNER_MTU, false)) != -1 &&
	    (l->tun6 = tun_open(o->tun6, 1500, true)) != -1) {
		srcs[0] = (struct loop_src){ l->tun6, br_from_tun6 };
		srcs[1] = (struct loop_src){ l->tun4, br_from_tun4 };
		log_info("DS-Lite AFTR on %s and %s, B4s as %s", o->tun4,
		    o->tun6, AFTR_POOL_TEXT);
		rc = loop_run(srcs, 2, l, o->control, "aftr",
		    &l->aftr->st) == 0 ? 0 : 1;
	}
	close_fd(l->tun4);
	close_fd(l->tun6);
	free(l->aftr);
	return rc;
}

static int
br_start(struct br_opts *o)
{
	struct br_loop l;
	struct loop_src srcs[2];
	struct rule_iv *index;
	int rc = 1;

	memset(&l, 0, sizeof(l));
	if (o->aftr)
		return aftr_start(o, &l);
	if (!o->lwaftr)
		ruleset_finish(&o->rs, o->service);
	l.dp.binds = o->binds;
	l.dp.nbinds = o->nbinds;
	l.dp.rules = o->rs.rules;
	l.dp.nrules = o->rs.n;
	index = calloc(RULE_INDEX_MAX(o->rs.n), sizeof(*index));
	if (index == NULL) {
		log_warn("the rule index");
		return 1;
	}
	l.dp.index = index;
	l.dp.nindex = rule_index(o->rs.rules, o->rs.n, index);
	l.dp.addr = o->addr;
	dp_seed(&l.dp.up_frags, &l.dp.down_frags);
	l.tun6 = -1;
	if ((l.tun4 = tun_open(o->tun4, DP_INNER_MTU, false)) != -1 &&
	    (l.tun6 = tun_open(o->tun6, 1500, true)) != -1) {
		srcs[0] = (struct loop_src){ l.tun6, br_from_tun6 };
		srcs[1] = (struct loop_src){ l.tun4, br_from_tun4 };
		if (o->lwaftr)
			log_info("lwAFTR with %zu binding%s on %s and %s",
			    o->nbinds, o->nbinds == 1 ? "" : "s", o->tun4,
			    o->tun6);
		else
			log_info("relaying with %zu rule%s on %s and %s",
			    o->rs.n, o->rs.n == 1 ? "" : "s", o->tun4,
			    o->tun6);
		rc = loop_run(srcs, 2, &l, o->control, "br", &l.dp.st) == 0 ?
		    0 : 1;
	}
	close_fd(l.tun4);
	close_fd(l.tun6);
	free(index);
	return rc;
}

int
main(int argc, char **argv)
{
	struct br_opts o;
	int rc;

	log_init("softwire-br", 0, 0);
	memset(&o, 0, sizeof(o));
	o.tun4 = "br4";
	o.tun6 = "br6";
	o.control = BR_CONTROL;
	if ((rc = br_parse_args(argc, argv, &o)) != 0) {
		ruleset_free(&o.rs);
		free(o.binds);
		return rc == 1 ? 0 : 2;
	}
	if (o.stats)
		rc = ctl_query(o.control) == 0 ? 0 : 1;
	else
		rc = br_start(&o);
	ruleset_free(&o.rs);
	free(o.binds);
	return rc;
}
