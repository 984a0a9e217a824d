/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire datapath: the CE's userspace MAP-E datapath, for kernels
 * without ip6tnl.  IPv4 goes through a TUN device (MTU 1460: the kernel
 * fragments or answers "fragmentation needed" for the tunnel); the
 * encapsulated side is a raw IPv6 socket for protocol 4 bound to the CE
 * address, which must already be an address of this host.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "core/dp.h"
#include "linux/ctl.h"
#include "linux/cedp.h"
#include "linux/loop.h"
#include "linux/tun.h"
#include "log.h"
#include "opt.h"

#define DP_CONTROL "/run/softwire-datapath.sock"

static const char datapath_usage[] =
"usage: softwire datapath [--rule RULE]... [--dhcp6-mape HEX]...\n"
"                         [--dhcp6-lw HEX]... [--iid rfc|draft] [--tun NAME]\n"
"                         [--control PATH] [-v] PREFIX\n"
"       softwire datapath --stats [--control PATH]\n"
"\n"
"Run the CE's userspace MAP-E datapath in the foreground for the mapping\n"
"of PREFIX (as in softwire calc).  The CE IPv6 address must already be an\n"
"address of this host; IPv4 routed into the TUN device goes to the BR\n"
"(or straight to a peer CE under a rule with the fmr flag), and only\n"
"packets from the BR or such a peer, for this CE's address and ports,\n"
"come out of it.\n"
"\n"
"  --rule RULE, --dhcp6-mape HEX, --dhcp6-lw HEX, --iid rfc|draft\n"
"                   as in softwire calc\n"
"  --tun NAME       the IPv4 TUN device (default sw0, MTU 1460)\n"
"  --control PATH   control socket (default " DP_CONTROL ")\n"
"  --stats          print the running datapath's counters as JSON\n"
"  -v, --verbose    log dropped packets (the first 100 of each reason)\n"
"  -h, --help       this text\n";

struct dp_opts {
	struct ruleset rs;
	const char *tun, *control, *prefix;
	bool stats;
};

static int
datapath_option(void *ctx, int key, const char *arg)
{
	struct dp_opts *o = ctx;
	int r;

	if ((r = ruleset_option(&o->rs, key, arg)) != 0)
		return r == -1 ? -1 : 0;
	if (loop_option(key, arg, "softwire", &o->control, &o->stats))
		return 0;
	o->tun = arg;		/* K_TUN: the table gives datapath no other */
	return 0;
}

static int
datapath_parse_args(int argc, char **argv, struct dp_opts *o)
{
	int rc;

	if ((rc = opt_parse(OPT_DATAPATH, "softwire datapath", datapath_usage,
	    argc, argv, datapath_option, o)) != 0)
		return rc;
	if (o->stats && argc == optind)
		return 0;
	if (argc - optind != 1) {
		log_warnx("datapath takes one PREFIX (%d given)",
		    argc - optind);
		fputs(datapath_usage, stderr);
		return -1;
	}
	o->prefix = argv[optind];
	return 0;
}

static int
ce_start(struct dp_opts *o, const struct map_result *m)
{
	struct ce_loop l;
	struct loop_src srcs[2];
	char ce[ADDR6_STRLEN], v4[PREFIX4_STRLEN];
	int rc = EXIT_FAIL;

	if (!m->rule.has_br) {
		log_warnx("the rule gives no BR address: add br= to it");
		return EXIT_USAGE;
	}
	if (access("/sys/module/ip6_tunnel", F_OK) == 0)
		log_warnx("ip6_tunnel is loaded: the kernel will answer ip4ip6 "
		    "packets no ip6tnl device takes with ICMPv6 errors; the "
		    "kernel's own tunnel is the datapath to use here");
	memset(&l, 0, sizeof(l));
	l.dp.map = m;
	l.dp.rules = o->rs.rules;
	l.dp.nrules = o->rs.n;
	l.dp.br = m->rule.br;
	dp_seed(&l.dp.up_frags, &l.dp.down_frags);
	l.tun = -1;
	if ((l.raw = raw6_open(&m->ce)) != -1 &&
	    (l.tun = tun_open(o->tun, DP_INNER_MTU, false)) != -1) {
		srcs[0] = (struct loop_src){ l.tun, ce_from_tun };
		srcs[1] = (struct loop_src){ l.raw, ce_from_raw };
		log_info("datapath for %s (%u ports) from %s on %s",
		    prefix4_format(&m->ipv4, v4), portset_count(&m->ports),
		    addr6_format(&m->ce, ce), o->tun);
		if (loop_run(srcs, 2, &l, o->control, "ce", &l.dp.st) == 0)
			rc = 0;
	}
	close_fd(l.tun);
	close_fd(l.raw);
	return rc;
}

int
cmd_datapath(int argc, char **argv)
{
	struct dp_opts o;
	struct map_result m;
	int rc;

	memset(&o, 0, sizeof(o));
	o.tun = "sw0";
	o.control = DP_CONTROL;
	if ((rc = datapath_parse_args(argc, argv, &o)) != 0) {
		ruleset_free(&o.rs);
		return rc == 1 ? 0 : EXIT_USAGE;
	}
	if (o.stats) {
		rc = ctl_query(o.control) == 0 ? 0 : EXIT_FAIL;
	} else {
		ruleset_finish(&o.rs, NULL);
		rc = ruleset_map(&o.rs, o.prefix, &m);
		if (rc == 0)
			rc = ce_start(&o, &m);
	}
	ruleset_free(&o.rs);
	return rc;
}
