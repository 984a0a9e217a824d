/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>

#include "cli.h"
#include "line.h"
#include "log.h"
#include "updown.h"

static const char up_usage[] =
"usage: softwire up [--wan IFACE] [--prefix PREFIX] [--rule RULE]...\n"
"                   [--dhcp6-mape HEX]... [--dhcp6-lw HEX]... [--iid rfc|draft]\n"
"                   [--tunnel NAME] [--mtu N] [--lan IFACE]... [--wan-port IFACE]\n"
"                   [--forward tcp|udp:PORT=LANHOST[:PORT]]... [--replace-default]\n"
"                   [--no-probe] [--probe-wait SECONDS] [--state-dir DIR]\n"
"                   [--lock-wait SECONDS] [--config FILE]\n"
"       softwire up --aftr NAME|ADDRESS|--service transix|xpass|v6connect|\n"
"                   --dhcp6-aftr HEX [--dns ADDRESS]... [the options above\n"
"                   but rules and forwards]\n"
"       softwire up --ipip IPV4[/LEN] --br ADDRESS --interface-id IID\n"
"                   [the options above but rules]\n"
"\n"
"Bring the MAP-E (or lw4o6) line up with the kernel's ip6tnl: the CE\n"
"address (/128, no DAD) on the WAN, the tunnel to the BR, the shared IPv4\n"
"address, the IPv4 default route and softwire's nftables tables (port-set\n"
"NAT, egress guard, forwarding filter, MSS clamp), then check that the BR\n"
"answers.  DS-Lite: the tunnel from the WAN's own global address to the\n"
"AFTR, 192.0.0.2 on it, NAT to it (the AFTR shares the real address).\n"
"Fixed-IP IPIP: the CE address is the line's /64 with the provider's\n"
"interface ID, the fixed IPv4 address (or block) has every port.\n"
"Run again, it changes only what differs: a new prefix moves everything to\n"
"the new mapping and drops the connections of the old one.  Any failure\n"
"undoes what this run changed.\n"
"\n"
"  --wan IFACE        the interface that carries the line's IPv6 (default:\n"
"                     the one with a global address a rule covers, or of\n"
"                     several the IPv6 default route's); with the WAN\n"
"                     port bridged to the LAN, the bridge\n"
"  --prefix PREFIX    the end-user prefix, instead of reading the WAN\n"
"  --tunnel NAME      the tunnel device (default sw0)\n"
"  --mtu N            the tunnel MTU (default: the WAN's MTU - 40)\n"
"  --lan IFACE        only traffic from these interfaces goes out (repeat)\n"
"  --wan-port IFACE   the bridge port facing the line: IPv4 and ARP are\n"
"                     kept off it\n"
"  --forward SPEC     a port forward; PORT must be in the line's port set\n"
"  --replace-default  replace existing IPv4 default routes (softwire down\n"
"                     puts them back); without it, up refuses to\n"
"  --no-probe         do not check that the BR answers ICMPv6 echo\n"
"  --probe-wait N     seconds to wait for each of 3 echo replies (1)\n"
"  --state-dir DIR    where up records what it changed (" LINE_STATE_DIR ")\n"
"  --lock-wait N      seconds to wait while another up or down holds the\n"
"                     tunnel (30)\n"
"  --rule, --dhcp6-mape, --dhcp6-lw, --iid   as in softwire calc\n"
"  --service NAME     v6plus, biglobe, ocn or nuro: only that service's\n"
"                     rules; transix, xpass or v6connect: DS-Lite to the\n"
"                     service's AFTR (gw.transix.jp, dgw.xpass.jp,\n"
"                     dslite.v6connect.net)\n"
"  --aftr NAME|ADDR   DS-Lite to this AFTR\n"
"  --dhcp6-aftr HEX   DS-Lite to the AFTR of DHCPv6 option 64 (odhcp6c's\n"
"                     $AFTR is the name: use --aftr)\n"
"  --dns ADDRESS      the line's DNS server, to ask for the AFTR's address\n"
"                     (repeat up to 4; never /etc/resolv.conf's)\n"
"  --ipip IPV4[/LEN]  a fixed-IP line: the provider's address (or routed\n"
"                     block, /24 to /32), with --br (its BR) and\n"
"                     --interface-id (the low 64 bits of the CE address,\n"
"                     as ::1:2:3:4)\n"
"  --config FILE      options from FILE, one a line (softwire.conf(5));\n"
"                     options after it on the command line override it\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 up, 1 failed (what this run changed is undone), 2 bad\n"
"usage or input.\n";

static void
up_report(const struct up_run *r)
{
	const struct map_result *m = &r->o->plan.map;
	char v4[PREFIX4_STRLEN], ce[ADDR6_STRLEN], br[ADDR6_STRLEN];
	size_t i;

	if (r->nchanges == 0)
		printf("%s: up, nothing to change\n", r->st.tunnel);
	else
		printf("%s: up (%zu change%s)\n", r->st.tunnel, r->nchanges,
		    r->nchanges == 1 ? "" : "s");
	if (m->rule.type == RULE_DSLITE) {
		printf("  IPv4     %s (DS-Lite: the AFTR does the NAT)\n"
		    "  B4       %s on %s\n  AFTR     %s%s%s\n",
		    prefix4_format(&m->ipv4, v4), addr6_format(&m->ce, ce),
		    r->st.wan, r->o->aftr_name, r->o->aftr_name[0] != '\0' ?
		    " " : "", addr6_format(&m->rule.br, br));
	} else {
		printf("  IPv4     %s, %u ports in %u range%s\n",
		    prefix4_format(&m->ipv4, v4), portset_usable(&m->ports),
		    portset_nranges(&m->ports),
		    portset_nranges(&m->ports) == 1 ? "" : "s");
		printf("  CE       %s on %s\n  BR       %s\n",
		    addr6_format(&m->ce, ce), r->st.wan,
		    addr6_format(&m->rule.br, br));
	}
	for (i = 0; i < r->nreplaced; i++)
		printf("  replaced %s (softwire down puts it back)\n",
		    r->replaced[i]);
	if (r->ct_flushed > 0)
		printf("  dropped  %u connection%s of the old mapping\n",
		    r->ct_flushed, r->ct_flushed == 1 ? "" : "s");
}

int
cmd_up(int argc, char **argv)
{
	struct line_opts o;
	struct up_run r;
	struct sw_err err;
	bool resolved;
	size_t i;
	int rc;

	if ((rc = updown_start(&r, &o, LINE_UP, up_usage, argc, argv)) != 0) {
		rc = rc == -1 ? 0 : rc;
		goto out;
	}
	rc = line_up(&r, &err);
	resolved = o.plan.wan[0] != '\0';
	for (i = 0; resolved && i < o.plan.map.nwarn; i++)
		log_warnx("warning: %s", o.plan.map.warn[i]);
	updown_notes(&r);
	if (rc == -1) {
		rc = line_exit(&err);
		if (r.rolled_back && r.undo_failed > 0)
			log_warnx("not everything could be undone: see above");
		else if (r.rolled_back)
			log_warnx("nothing was changed");
		goto out;
	}
	up_report(&r);
out:
	updown_end(&r, &o);
	return rc;
}
