/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>

#include "cli.h"
#include "line.h"
#include "log.h"

static const char render_usage[] =
"usage: softwire render [--format nft|sh] [--prefix PREFIX] [--wan IFACE]\n"
"                       [--wan-port IFACE] [--tunnel NAME] [--mtu N]\n"
"                       [--lan IFACE]... [--forward tcp|udp:PORT=LANHOST[:PORT]]...\n"
"                       [--replace-default] [--rule RULE]...\n"
"                       [--dhcp6-mape HEX]... [--dhcp6-lw HEX]...\n"
"                       [--iid rfc|draft] [--service NAME]\n"
"                       [--aftr NAME|ADDRESS] [--dhcp6-aftr HEX]\n"
"                       [--ipip IPV4[/LEN] --br ADDRESS --interface-id IID]\n"
"                       [--config FILE]\n"
"\n"
"Print what softwire up would do, without touching the system: softwire's\n"
"nftables tables (--format nft, the default) or the whole setup as a shell\n"
"script of ip and nft commands (--format sh).  Without --prefix the\n"
"mapping comes from the WAN's addresses, as for softwire up.\n"
"\n"
"  --prefix PREFIX    the line's end-user prefix, as in softwire calc\n"
"  --wan IFACE        the interface that carries the CE address\n"
"  --wan-port IFACE   the bridge port facing the line, where the WAN is a\n"
"                     bridge: IPv4 and ARP are kept off it\n"
"  --tunnel NAME      the tunnel device (default sw0)\n"
"  --mtu N            the tunnel MTU (default: the WAN's MTU - 40 when the\n"
"                     WAN is here, else 1460)\n"
"  --lan IFACE        only traffic from these interfaces goes out (repeat)\n"
"  --forward SPEC     a port forward; PORT must be one of the line's set\n"
"  --replace-default  replace an existing IPv4 default route\n"
"  --rule, --dhcp6-mape, --dhcp6-lw, --iid   as in softwire calc\n"
"  --ipip, --br, --interface-id      as in softwire up\n"
"  --service, --aftr, --dhcp6-aftr   as in softwire up (DS-Lite: the\n"
"                     tables only; they need neither the AFTR's address\n"
"                     nor the WAN's)\n"
"  --config FILE      options from FILE, one a line (softwire.conf(5));\n"
"                     options after it on the command line override it\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 ok, 1 no rule covers the prefix, 2 bad usage or input.\n";

/* The WAN's MTU - 40, when the WAN is on this machine. */
static void
render_mtu(struct line_opts *o, struct nl *nl)
{
	struct link_state wan;
	struct sw_err err;

	if (o->mtu_set || nl->sk == NULL || o->plan.wan[0] == '\0' ||
	    link_get(nl, o->plan.wan, &wan, &err) != 0 || wan.mtu <= 40)
		return;
	o->plan.mtu = wan.mtu - 40;
}

static int
render_plan(struct line_opts *o, struct nl *nl)
{
	struct sw_err err;
	int rc;

	if ((rc = cli_resolve(o, o->prefix == NULL ? nl : NULL)) != 0)
		return rc;
	render_mtu(o, nl);
	if (plan_check(&o->plan, &err) == -1) {
		log_warnx("%s", err.msg);
		return EXIT_USAGE;
	}
	return 0;
}

int
cmd_render(int argc, char **argv)
{
	static char text[131072];
	static struct line_opts o;
	struct sw_err err;
	struct nl nl;
	struct sbuf b;
	int rc;

	if ((rc = line_parse(&o, LINE_RENDER, render_usage, argc, argv)) != 0) {
		line_free(&o);
		return rc == 1 ? 0 : EXIT_USAGE;
	}
	if (nl_open(&nl, NETLINK_ROUTE, &err) == -1 && o.prefix == NULL) {
		log_warnx("%s (give --prefix to render without reading the "
		    "WAN)", err.msg);
		rc = EXIT_FAIL;
		goto out;
	}
	if ((rc = render_plan(&o, &nl)) != 0)
		goto out;
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
	nl_close(&nl);
	line_free(&o);
	return rc;
}
