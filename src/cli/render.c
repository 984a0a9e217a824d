/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/plan.h"
#include "log.h"

static const char render_usage[] =
"usage: softwire render [--format nft|sh] --prefix PREFIX [--wan IFACE]\n"
"                       [--wan-port IFACE] [--tunnel NAME] [--mtu N]\n"
"                       [--forward tcp|udp:PORT=LANHOST[:PORT]]...\n"
"                       [--replace-default] [--rule RULE]...\n"
"                       [--dhcp6-mape HEX]... [--dhcp6-lw HEX]...\n"
"                       [--iid rfc|draft]\n"
"\n"
"Print what bringing the MAP-E line up does, without touching the system:\n"
"softwire's nftables tables (--format nft, the default) or the whole setup\n"
"as a shell script of ip and nft commands (--format sh, needs --wan).\n"
"\n"
"  --prefix PREFIX    the line's end-user prefix, as in softwire calc\n"
"  --wan IFACE        the interface that carries the CE address\n"
"  --wan-port IFACE   the bridge port facing the line, where the WAN is a\n"
"                     bridge: IPv4 and ARP are kept off it\n"
"  --tunnel NAME      the tunnel device (default sw0)\n"
"  --mtu N            the tunnel MTU (default 1460: 1500 - 40)\n"
"  --forward SPEC     a port forward; PORT must be one of the line's set\n"
"  --replace-default  replace an existing IPv4 default route\n"
"  --rule, --dhcp6-mape, --dhcp6-lw, --iid   as in softwire calc\n"
"  -h, --help         this text\n";

struct render_opts {
	struct ruleset rs;
	struct plan plan;
	const char *prefix;
	bool sh;
};

static int
render_ifname(char dst[PLAN_IFNAMSIZ], const char *what, const char *arg)
{
	struct sw_err err;

	if (ifname_check(what, arg, &err) == -1) {
		log_warnx("%s", err.msg);
		return -1;
	}
	snprintf(dst, PLAN_IFNAMSIZ, "%s", arg);
	return 0;
}

static int
render_option(struct render_opts *o, int c, const char *arg)
{
	struct plan *p = &o->plan;
	char q[QUOTE_LEN];
	struct sw_err err;

	switch (c) {
	case 'f':
		if (strcmp(arg, "sh") != 0 && strcmp(arg, "nft") != 0) {
			log_warnx("--format \"%s\": want nft or sh",
			    err_quote(q, sizeof(q), arg));
			return -1;
		}
		o->sh = strcmp(arg, "sh") == 0;
		return 0;
	case 'p':
		o->prefix = arg;
		return 0;
	case 'w':
		return render_ifname(p->wan, "--wan", arg);
	case 'W':
		return render_ifname(p->wan_port, "--wan-port", arg);
	case 't':
		return render_ifname(p->tunnel, "--tunnel", arg);
	case 'M':
		if (parse_uint(arg, PLAN_MTU_MAX, &p->mtu) == -1) {
			log_warnx("--mtu \"%s\" is not a number in %u-%u",
			    err_quote(q, sizeof(q), arg), PLAN_MTU_MIN,
			    PLAN_MTU_MAX);
			return -1;
		}
		return 0;
	case 'F':
		if (p->nfwd == PLAN_FWD_MAX) {
			log_warnx("more than %d --forward", PLAN_FWD_MAX);
			return -1;
		}
		if (forward_parse(arg, &p->fwd[p->nfwd], &err) == -1) {
			log_warnx("%s", err.msg);
			return -1;
		}
		p->nfwd++;
		return 0;
	case 'R':
		p->replace_default = true;
		return 0;
	default:
		return -1;
	}
}

static int
render_parse_args(int argc, char **argv, struct render_opts *o)
{
	static const struct option longopts[] = {
		RULESET_OPTIONS,
		{ "format", required_argument, NULL, 'f' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "wan", required_argument, NULL, 'w' },
		{ "wan-port", required_argument, NULL, 'W' },
		{ "tunnel", required_argument, NULL, 't' },
		{ "mtu", required_argument, NULL, 'M' },
		{ "forward", required_argument, NULL, 'F' },
		{ "replace-default", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char q[QUOTE_LEN];
	int c, r;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((r = ruleset_option(&o->rs, c, optarg)) != 0) {
			if (r == -1)
				return -1;
			continue;
		}
		if (c == 'h') {
			fputs(render_usage, stdout);
			return 1;
		}
		if (c == '?' || render_option(o, c, optarg) == -1) {
			if (c == '?')
				fputs(render_usage, stderr);
			return -1;
		}
	}
	if (optind != argc) {
		log_warnx("unexpected argument \"%s\" (the prefix goes after "
		    "--prefix)", err_quote(q, sizeof(q), argv[optind]));
		return -1;
	}
	if (o->prefix == NULL) {
		log_warnx("--prefix is required (reading it from the WAN "
		    "interface comes with softwire up)");
		return -1;
	}
	if (o->sh && o->plan.wan[0] == '\0') {
		log_warnx("--format sh needs --wan");
		return -1;
	}
	return 0;
}

int
cmd_render(int argc, char **argv)
{
	static char text[65536];
	struct render_opts o;
	struct sw_err err;
	struct sbuf b;
	int rc;

	memset(&o, 0, sizeof(o));
	snprintf(o.plan.tunnel, sizeof(o.plan.tunnel), "sw0");
	o.plan.mtu = 1460;
	if ((rc = render_parse_args(argc, argv, &o)) != 0) {
		ruleset_free(&o.rs);
		return rc == 1 ? 0 : EXIT_USAGE;
	}
	ruleset_finish(&o.rs, NULL);
	if ((rc = ruleset_map(&o.rs, o.prefix, &o.plan.map)) != 0)
		goto out;
	for (size_t i = 0; i < o.plan.map.nwarn; i++)
		log_warnx("warning: %s", o.plan.map.warn[i]);
	if (plan_check(&o.plan, &err) == -1) {
		log_warnx("%s", err.msg);
		rc = EXIT_USAGE;
		goto out;
	}
	sbuf_init(&b, text, sizeof(text));
	if (o.sh)
		plan_sh(&o.plan, &b);
	else
		plan_nft(&o.plan, &b);
	if (b.overflow) {
		log_warnx("the rendered text is longer than %zu bytes",
		    sizeof(text));
		rc = EXIT_FAIL;
		goto out;
	}
	fputs(text, stdout);
out:
	ruleset_free(&o.rs);
	return rc;
}
