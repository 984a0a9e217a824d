/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "cli.h"
#include "json.h"
#include "linux/ct.h"
#include "log.h"
#include "updown.h"

static const char show_usage[] =
"usage: softwire show [--json] [--tunnel NAME] [--state-dir DIR] [--config FILE]\n"
"\n"
"The live state of the MAP-E line softwire up brought up: the mapping,\n"
"the tunnel and its counters, the ports in use per protocol (from\n"
"conntrack) against the size of the port set and per LAN host, and the\n"
"kernel's insert_failed count: connections refused because no port of\n"
"the set was free.\n"
"\n"
"  --json             print one JSON object\n"
"  --tunnel NAME      the tunnel device (default sw0)\n"
"  --state-dir DIR    where up recorded what it changed (" LINE_STATE_DIR ")\n"
"  --config FILE      the options of FILE that show takes (softwire.conf(5));\n"
"                     options after it on the command line override it\n"
"  -h, --help         this text\n"
"\n"
"Exit status: 0 (also when the line is not up), 1 failure, 2 bad usage.\n";

enum { P_TCP, P_UDP, P_ICMP, P_COUNT };
static const char *const proto_name[P_COUNT] = { "tcp", "udp", "icmp" };

#define SHOW_HOSTS	64

struct show_host {
	uint32_t addr;		/* network order */
	unsigned n[P_COUNT];
};

struct show_use {
	const struct sw_state *st;
	unsigned conns[P_COUNT], ports[P_COUNT];
	uint8_t used[P_COUNT][65536 / 8];
	struct show_host host[SHOW_HOSTS];
	size_t nhosts;
	unsigned more_hosts;	/* beyond SHOW_HOSTS */
	unsigned outside;	/* on the address, a port outside the set */
};

static int
show_proto(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return P_TCP;
	case IPPROTO_UDP:
		return P_UDP;
	case IPPROTO_ICMP:
		return P_ICMP;
	default:
		return -1;
	}
}

static void
show_host_count(struct show_use *u, uint32_t addr, int p)
{
	size_t i;

	for (i = 0; i < u->nhosts; i++)
		if (u->host[i].addr == addr)
			break;
	if (i == u->nhosts) {
		if (u->nhosts == SHOW_HOSTS) {
			u->more_hosts++;
			return;
		}
		memset(&u->host[i], 0, sizeof(u->host[i]));
		u->host[i].addr = addr;
		u->nhosts++;
	}
	u->host[i].n[p]++;
}

/* A connection NATed onto the line's address: whose, which port. */
static void
show_ct_cb(const struct ct_entry *e, void *data)
{
	struct show_use *u = data;
	uint16_t port;
	int p;

	if (e == NULL) {
		memset(u->conns, 0, sizeof(u->conns));
		memset(u->ports, 0, sizeof(u->ports));
		memset(u->used, 0, sizeof(u->used));
		u->nhosts = u->more_hosts = u->outside = 0;
		return;
	}
	/* Outward on the line's address: from the LAN, or the CE's own. */
	if ((p = show_proto(e->reply.proto)) == -1 ||
	    !prefix4_contains(&u->st->ipv4, ntohl(e->reply.dst)))
		return;
	port = e->reply.dport;
	u->conns[p]++;
	if (!(u->used[p][port / 8] & 1u << port % 8)) {
		u->used[p][port / 8] |= (uint8_t)(1u << port % 8);
		u->ports[p]++;
	}
	if (!portset_contains(&u->st->ports, port))
		u->outside++;
	show_host_count(u, e->orig.src, p);
}

/* Does the WAN still have an address in the prefix up applied? */
static bool
show_prefix_current(struct up_run *r)
{
	static struct if_addr a[ADDR_LIST_MAX];
	struct link_state ls;
	struct sw_err err;
	size_t i, n;

	if (link_get(&r->rt, r->old.wan, &ls, &err) != 0 ||
	    addr_list(&r->rt, AF_INET6, ls.index, a, ADDR_LIST_MAX, &n,
	    &err) == -1)
		return false;
	for (i = 0; i < n; i++)
		if (a[i].scope == RT_SCOPE_UNIVERSE &&
		    !(a[i].flags & IFA_F_DEPRECATED) &&
		    memcmp(&a[i].a6, &r->old.ce, 16) != 0 &&
		    prefix6_contains(&r->old.prefix, &a[i].a6))
			return true;
	return false;
}

struct show {
	struct up_run *r;
	bool tun_there;
	struct link_state tun;
	struct show_use use;
	struct ct_stats cts;
	bool ct_ok;
	bool current;
};

static void
show_json_link(struct json *j, const struct show *s)
{
	const struct link_state *l = &s->tun;

	json_open(j, "link", '{');
	json_bool(j, "exists", s->tun_there);
	json_bool(j, "up", s->tun_there && l->up);
	json_uint(j, "mtu", l->mtu);
	json_uint(j, "rx_packets", l->rx_packets);
	json_uint(j, "tx_packets", l->tx_packets);
	json_uint(j, "rx_bytes", l->rx_bytes);
	json_uint(j, "tx_bytes", l->tx_bytes);
	json_uint(j, "rx_errors", l->rx_errors);
	json_uint(j, "tx_errors", l->tx_errors);
	json_uint(j, "rx_dropped", l->rx_dropped);
	json_uint(j, "tx_dropped", l->tx_dropped);
	json_close(j, '}');
}

static void
show_json_use(struct json *j, const struct show *s)
{
	char a[ADDR4_STRLEN];
	size_t i;
	int p;

	json_open(j, "in_use", '{');
	for (p = 0; p < P_COUNT; p++) {
		json_open(j, proto_name[p], '{');
		json_uint(j, "ports", s->use.ports[p]);
		json_uint(j, "connections", s->use.conns[p]);
		json_close(j, '}');
	}
	json_uint(j, "outside_set", s->use.outside);
	json_close(j, '}');
	json_open(j, "hosts", '[');
	for (i = 0; i < s->use.nhosts; i++) {
		json_open(j, NULL, '{');
		json_str(j, "address", addr4_format(ntohl(s->use.host[i].addr),
		    a));
		for (p = 0; p < P_COUNT; p++)
			json_uint(j, proto_name[p], s->use.host[i].n[p]);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_open(j, "conntrack", '{');
	json_uint(j, "insert_failed", s->cts.insert_failed);
	json_uint(j, "drop", s->cts.drop);
	json_uint(j, "entries", s->cts.entries);
	json_close(j, '}');
}

static void
show_json(const struct show *s)
{
	const struct sw_state *st = &s->r->old;
	char buf[PREFIX6_STRLEN];
	struct json j;

	json_start(&j, stdout);
	json_open(&j, NULL, '{');
	json_str(&j, "tunnel", s->r->o->plan.tunnel);
	json_bool(&j, "up", s->r->have_old);
	if (s->r->have_old) {
		json_str(&j, "mode", sw_mode_name(st->mode));
		json_str(&j, "wan", st->wan);
		json_str(&j, "prefix", prefix6_format(&st->prefix, buf));
		json_bool(&j, "prefix_current", s->current);
		json_str(&j, "ipv4", prefix4_format(&st->ipv4, buf));
		/* As calc: no sharing has no PSID and no offset. */
		if (st->ports.psid_len > 0)
			json_uint(&j, "psid_offset", st->ports.offset);
		else
			json_null(&j, "psid_offset");
		json_uint(&j, "psid_len", st->ports.psid_len);
		if (st->ports.psid_len > 0)
			json_uint(&j, "psid", st->ports.psid);
		else
			json_null(&j, "psid");
		json_uint(&j, "ports", portset_usable(&st->ports));
		json_str(&j, "ce_ipv6", addr6_format(&st->ce, buf));
		json_str(&j, "br", s->tun.has_tnl ?
		    addr6_format(&s->tun.tnl.remote, buf) : NULL);
		show_json_link(&j, s);
		show_json_use(&j, s);
	}
	json_close(&j, '}');
	json_end(&j);
}

static void
show_text(const struct show *s)
{
	const struct sw_state *st = &s->r->old;
	const struct link_state *l = &s->tun;
	char buf[PREFIX6_STRLEN], a[ADDR4_STRLEN];
	unsigned total = portset_usable(&st->ports);
	size_t i;
	int p;

	printf("%s: up\n  mode     %s\n  prefix   %s on %s%s\n", st->tunnel,
	    sw_mode_name(st->mode), prefix6_format(&st->prefix, buf), st->wan,
	    s->current ? "" :
	    " (the WAN has no address in it now: run softwire up)");
	if (st->ports.psid_len > 0)
		printf("  IPv4     %s, %u ports (PSID %u of %u bits, offset "
		    "%u)\n", prefix4_format(&st->ipv4, buf), total,
		    st->ports.psid, st->ports.psid_len, st->ports.offset);
	else if (st->mode == SW_MODE_DSLITE)
		printf("  IPv4     %s (DS-Lite: the AFTR does the NAT)\n",
		    prefix4_format(&st->ipv4, buf));
	else
		printf("  IPv4     %s, every port (not shared)\n",
		    prefix4_format(&st->ipv4, buf));
	printf("  %s       %s\n", st->mode == SW_MODE_DSLITE ? "B4" : "CE",
	    addr6_format(&st->ce, buf));
	if (s->tun_there && l->has_tnl)
		printf("  %s     %s\n", st->mode == SW_MODE_DSLITE ? "AFTR" :
		    "BR  ", addr6_format(&l->tnl.remote, buf));
	if (!s->tun_there)
		printf("  tunnel   missing: run softwire up\n");
	else
		printf("  tunnel   %s, mtu %u, rx %llu packets %llu bytes, tx "
		    "%llu packets %llu bytes, errors %llu/%llu\n",
		    l->up ? "up" : "DOWN", l->mtu,
		    (unsigned long long)l->rx_packets,
		    (unsigned long long)l->rx_bytes,
		    (unsigned long long)l->tx_packets,
		    (unsigned long long)l->tx_bytes,
		    (unsigned long long)l->rx_errors,
		    (unsigned long long)l->tx_errors);
	if (!s->ct_ok)
		return;
	for (p = 0; p < P_COUNT; p++)
		printf("  %-8s %u of %u ports, %u connection%s\n",
		    proto_name[p], s->use.ports[p], total, s->use.conns[p],
		    s->use.conns[p] == 1 ? "" : "s");
	for (i = 0; i < s->use.nhosts; i++)
		printf("  host     %s: tcp %u, udp %u, icmp %u\n",
		    addr4_format(ntohl(s->use.host[i].addr), a),
		    s->use.host[i].n[P_TCP], s->use.host[i].n[P_UDP],
		    s->use.host[i].n[P_ICMP]);
	if (s->use.more_hosts > 0)
		printf("  host     ... %u connections of more hosts\n",
		    s->use.more_hosts);
	printf("  refused  %llu (conntrack insert_failed: no free port)\n",
	    (unsigned long long)s->cts.insert_failed);
}

static int
show_gather(struct show *s)
{
	struct up_run *r = s->r;
	struct sw_err err;
	struct nl nf;

	switch (link_get(&r->rt, r->old.tunnel, &s->tun, &err)) {
	case 0:
		s->tun_there = true;
		break;
	case -1:
		log_warnx("%s", err.msg);
		return EXIT_FAIL;
	}
	s->current = show_prefix_current(r);
	s->use.st = &r->old;
	if (nl_open(&nf, NETLINK_NETFILTER, &err) == -1 ||
	    ct_walk(&nf, show_ct_cb, &s->use, &err) == -1 ||
	    ct_stats(&nf, &s->cts, &err) == -1) {
		log_warnx("%s", err.msg);
		nl_close(&nf);
		return EXIT_FAIL;
	}
	nl_close(&nf);
	s->ct_ok = true;
	return 0;
}

int
cmd_show(int argc, char **argv)
{
	static struct show s;
	struct line_opts o;
	struct up_run r;
	int rc;

	memset(&s, 0, sizeof(s));
	s.r = &r;
	if ((rc = updown_start(&r, &o, LINE_SHOW, show_usage, argc,
	    argv)) != 0) {
		rc = rc == -1 ? 0 : rc;
		goto out;
	}
	if (r.have_old && (rc = show_gather(&s)) != 0)
		goto out;
	if (r.o->json)
		show_json(&s);
	else if (!r.have_old)
		printf("%s: not up (no state in %s)\n", r.o->plan.tunnel,
		    r.o->state_dir);
	else
		show_text(&s);
out:
	updown_end(&r, &o);
	return rc;
}
