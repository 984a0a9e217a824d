/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "plan.h"

int
ifname_check(const char *what, const char *name, struct sw_err *err)
{
	char q[QUOTE_LEN];
	size_t i, n = strlen(name);

	if (n == 0 || n >= PLAN_IFNAMSIZ || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0) {
		err_set(err, "%s \"%s\" is not an interface name (1-%d "
		    "characters)", what, err_quote(q, sizeof(q), name),
		    PLAN_IFNAMSIZ - 1);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("_.:@-", c) != NULL)) {
			err_set(err, "%s \"%s\": use letters, digits and "
			    "_.:@- in interface names", what,
			    err_quote(q, sizeof(q), name));
			return -1;
		}
	}
	return 0;
}

int
forward_parse(const char *s, struct forward *f, struct sw_err *err)
{
	char buf[64], q[QUOTE_LEN], *port, *host, *hport;
	unsigned v;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	memcpy(buf, s, strlen(s) + 1);
	memset(f, 0, sizeof(*f));
	if (strncmp(buf, "tcp:", 4) == 0)
		f->proto = IPPROTO_TCP;
	else if (strncmp(buf, "udp:", 4) == 0)
		f->proto = IPPROTO_UDP;
	else
		goto bad;
	port = buf + 4;
	if ((host = strchr(port, '=')) == NULL)
		goto bad;
	*host++ = '\0';
	if ((hport = strchr(host, ':')) != NULL)
		*hport++ = '\0';
	if (parse_uint(port, 65535, &v) == -1 || v == 0)
		goto bad;
	f->port = (uint16_t)v;
	f->host_port = f->port;
	if (hport != NULL) {
		if (parse_uint(hport, 65535, &v) == -1 || v == 0)
			goto bad;
		f->host_port = (uint16_t)v;
	}
	if (addr4_parse(host, &f->host, err) == -1)
		goto bad;
	return 0;
bad:
	err_set(err, "--forward \"%s\": want tcp:PORT=LANHOST[:PORT] or "
	    "udp:..., ports 1-65535, LANHOST an IPv4 address",
	    err_quote(q, sizeof(q), s));
	return -1;
}

/* "6672-6687, 10768-10783, ..." for messages, cut to fit. */
static void
plan_ranges(const struct portset *ps, char *buf, size_t size)
{
	struct sbuf b;
	unsigned i, n = portset_nranges(ps);
	uint16_t lo, hi;

	sbuf_init(&b, buf, size);
	for (i = 0; i < n && i < 8; i++) {
		portset_range(ps, i, &lo, &hi);
		sbuf_printf(&b, "%s%u-%u", i ? ", " : "", lo, hi);
	}
	if (n > 8)
		sbuf_printf(&b, ", ... (%u ranges: softwire calc lists them)",
		    n);
}

static int
plan_check_forwards(const struct plan *p, struct sw_err *err)
{
	char ranges[200];
	size_t i, j;

	for (i = 0; i < p->nfwd; i++) {
		const struct forward *f = &p->fwd[i];

		if (!portset_contains(&p->map.ports, f->port)) {
			plan_ranges(&p->map.ports, ranges, sizeof(ranges));
			err_set(err, "--forward %s:%u: port %u is not in this "
			    "line's port set; usable: %s", f->proto ==
			    IPPROTO_TCP ? "tcp" : "udp", f->port, f->port,
			    ranges);
			return -1;
		}
		for (j = 0; j < i; j++)
			if (p->fwd[j].proto == f->proto &&
			    p->fwd[j].port == f->port) {
				err_set(err, "--forward %s:%u given twice",
				    f->proto == IPPROTO_TCP ? "tcp" : "udp",
				    f->port);
				return -1;
			}
	}
	return 0;
}

int
plan_check(const struct plan *p, struct sw_err *err)
{
	if ((p->wan[0] != '\0' && ifname_check("--wan", p->wan, err) == -1) ||
	    ifname_check("--tunnel", p->tunnel, err) == -1 ||
	    (p->wan_port[0] != '\0' &&
	    ifname_check("--wan-port", p->wan_port, err) == -1))
		return -1;
	for (size_t i = 0; i < p->nlan; i++)
		if (ifname_check("--lan", p->lan[i], err) == -1)
			return -1;
	if (p->mtu < PLAN_MTU_MIN || p->mtu > PLAN_MTU_MAX) {
		err_set(err, "--mtu %u out of range %u-%u", p->mtu,
		    PLAN_MTU_MIN, PLAN_MTU_MAX);
		return -1;
	}
	if (p->map.ports.psid_len > 0 &&
	    portset_nranges(&p->map.ports) > PLAN_DECK_ENTRIES) {
		err_set(err, "the port set has %u blocks (PSID offset %u): "
		    "softwire's NAT takes up to %u", portset_nranges(
		    &p->map.ports), p->map.ports.offset, PLAN_DECK_ENTRIES);
		return -1;
	}
	if (p->map.ports.psid_len > 0 && portset_count(&p->map.ports) == 1 &&
	    portset_contains(&p->map.ports, 0)) {
		err_set(err, "the port set is port 0 alone: no port to hand "
		    "out");
		return -1;
	}
	if (!p->map.rule.has_br) {
		err_set(err, "the rule gives no BR address: add br= to it");
		return -1;
	}
	return plan_check_forwards(p, err);
}

/*
 * The order in which new connections take the port set's blocks: the
 * blocks shuffled, round after round, walked by a counter (numgen inc).
 * There are as many rounds as a block has ports, so any run of as many
 * new connections as the set has ports meets each block exactly as often
 * as it has ports: a burst to one destination fills the whole set, first
 * try (a random pick leaves ~10 % of first tries in full blocks near
 * capacity).  And a destination that sees only every p-th connection
 * still meets most blocks (a plain round robin over 15 blocks gives it
 * only 5 when p = 3).  A set of one block has one round: every round
 * would be the same.  The shuffle is seeded by the mapping: the same line
 * renders the same text.
 */
unsigned
plan_deck(const struct plan *p, uint16_t *deck, unsigned max)
{
	unsigned n = portset_nranges(&p->map.ports), rounds, r, i;
	uint64_t s = 0x9e3779b97f4a7c15ULL ^ (uint64_t)p->map.ipv4.addr << 16 ^
	    p->map.ports.psid;

	if (n == 0 || n > max)
		return 0;
	/* Ports a block; one block (lw4o6 sets often are) needs one round. */
	rounds = n == 1 ? 1 : portset_count(&p->map.ports) / n;
	if (rounds > max / n)
		rounds = max / n;
	for (r = 0; r < rounds && deck != NULL; r++) {
		uint16_t *d = deck + r * n;

		for (i = 0; i < n; i++)
			d[i] = (uint16_t)i;
		for (i = n - 1; i > 0; i--) {	/* Fisher-Yates */
			unsigned j;
			uint16_t t;

			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			j = (unsigned)(s % (i + 1));
			t = d[i];
			d[i] = d[j];
			d[j] = t;
		}
	}
	return rounds * n;
}

/*
 * Block i of the port set as NAT may use it: port 0 is no port to hand
 * out or let out (a set holds it with PSID offset 0 and PSID 0, as lw4o6
 * sets often are).
 */
static void
plan_block(const struct plan *p, unsigned i, uint16_t *lo, uint16_t *hi)
{
	portset_range(&p->map.ports, i, lo, hi);
	if (*lo == 0)
		*lo = 1;
}

/* The port ranges as nft set elements, one a line. */
static void
nft_ranges(const struct plan *p, struct sbuf *b)
{
	unsigned i, n = portset_nranges(&p->map.ports);
	uint16_t lo, hi;

	for (i = 0; i < n; i++) {
		plan_block(p, i, &lo, &hi);
		sbuf_printf(b, "%s\t\t\t     %u-%u", i ? ",\n" : "", lo, hi);
	}
}

/* Shared address: SNAT spread over the port set's blocks (DESIGN §2). */
static void
nft_sets(const struct plan *p, struct sbuf *b)
{
	uint16_t deck[PLAN_DECK_ENTRIES];
	unsigned i, n = plan_deck(p, deck, PLAN_DECK_ENTRIES);
	char a[ADDR4_STRLEN];
	uint16_t lo, hi;

	addr4_format(p->map.ipv4.addr, a);
	sbuf_printf(b, "\tmap psid_ports {\n"
	    "\t\ttypeof numgen inc mod %u : interval ip saddr . th sport\n"
	    "\t\tflags interval\n\t\telements = {\n", n);
	for (i = 0; i < n; i++) {
		plan_block(p, deck[i], &lo, &hi);
		sbuf_printf(b, "%s\t\t\t     %u : %s . %u-%u", i ? ",\n" : "",
		    i, a, lo, hi);
	}
	sbuf_printf(b, " }\n\t}\n\tset psid_portset {\n\t\ttype inet_service\n"
	    "\t\tflags interval\n\t\telements = {\n");
	nft_ranges(p, b);
	sbuf_printf(b, " }\n\t}\n\tset psid_idset {\n\t\ttypeof icmp id\n"
	    "\t\tflags interval\n\t\telements = {\n");
	nft_ranges(p, b);
	sbuf_printf(b, " }\n\t}\n");
}

/*
 * NAT binds once per connection, in the first nat chain that sets up a
 * mapping: below srcnat (fw4's masquerade, any user's) softwire's set
 * decides the port (DESIGN §8).
 */
static void
nft_srcnat(const struct plan *p, struct sbuf *b, const char *v4)
{
	const char *t = p->tunnel;
	char last[ADDR4_STRLEN];
	uint32_t end = p->map.ipv4.addr | ~mask4(p->map.ipv4.len);

	sbuf_printf(b, "\tchain srcnat {\n\t\ttype nat hook postrouting "
	    "priority srcnat - 10; policy accept;\n");
	if (p->map.ports.psid_len > 0)
		sbuf_printf(b, "\t\toifname \"%s\" meta l4proto { tcp, udp, "
		    "icmp } snat ip to numgen inc mod %u map @psid_ports\n"
		    "\t\toifname \"%s\" counter drop comment \"no ports: "
		    "cannot share the address\"\n", t,
		    plan_deck(p, NULL, PLAN_DECK_ENTRIES), t);
	else if (p->map.ipv4.len == 32)
		sbuf_printf(b, "\t\toifname \"%s\" snat ip to %s\n", t, v4);
	else
		sbuf_printf(b, "\t\toifname \"%s\" snat ip to %s-%s\n", t, v4,
		    addr4_format(end, last));
	sbuf_printf(b, "\t}\n");
}

/* After NAT: nothing leaves with an address or port outside the set. */
static void
nft_guard(const struct plan *p, struct sbuf *b, const char *v4)
{
	sbuf_printf(b, "\tchain egress_guard {\n\t\ttype filter hook "
	    "postrouting priority srcnat + 10; policy accept;\n"
	    "\t\toifname != \"%s\" accept\n", p->tunnel);
	if (p->hold)
		sbuf_printf(b, "\t\tcounter drop comment \"the tunnel is "
		    "moving to a new mapping\"\n");
	if (p->map.ipv4.len == 32)
		sbuf_printf(b, "\t\tip saddr != %s counter drop\n", v4);
	else
		sbuf_printf(b, "\t\tip saddr != %s/%u counter drop\n", v4,
		    p->map.ipv4.len);
	if (p->map.ports.psid_len > 0)
		sbuf_printf(b, "\t\tmeta l4proto { tcp, udp } th sport != "
		    "@psid_portset counter drop\n\t\ticmp type echo-request "
		    "icmp id != @psid_idset counter drop\n");
	sbuf_printf(b, "\t}\n");
}

/* Port forwards, and nothing else new from the tunnel. */
static void
nft_inbound(const struct plan *p, struct sbuf *b)
{
	char h[ADDR4_STRLEN];
	size_t i;

	if (p->nfwd > 0) {
		sbuf_printf(b, "\tchain dstnat {\n\t\ttype nat hook prerouting "
		    "priority dstnat; policy accept;\n");
		for (i = 0; i < p->nfwd; i++)
			sbuf_printf(b, "\t\tiifname \"%s\" %s dport %u dnat "
			    "ip to %s:%u\n", p->tunnel, p->fwd[i].proto ==
			    IPPROTO_TCP ? "tcp" : "udp", p->fwd[i].port,
			    addr4_format(p->fwd[i].host, h),
			    p->fwd[i].host_port);
		sbuf_printf(b, "\t}\n");
	}
	sbuf_printf(b, "\tchain forward {\n\t\ttype filter hook forward "
	    "priority filter; policy accept;\n"
	    "\t\tiifname \"%s\" ct state established,related accept\n"
	    "\t\tiifname \"%s\" ct status dnat accept\n"
	    "\t\tiifname \"%s\" counter drop comment \"nothing new from the "
	    "tunnel\"\n", p->tunnel, p->tunnel, p->tunnel);
	if (p->nlan > 0) {
		sbuf_printf(b, "\t\toifname \"%s\" iifname != { ", p->tunnel);
		for (i = 0; i < p->nlan; i++)
			sbuf_printf(b, "%s\"%s\"", i ? ", " : "", p->lan[i]);
		sbuf_printf(b, " } counter drop comment \"only the LAN goes "
		    "out\"\n");
	}
	sbuf_printf(b, "\t}\n");
}

void
plan_nft(const struct plan *p, struct sbuf *b)
{
	char v4[ADDR4_STRLEN];

	addr4_format(p->map.ipv4.addr, v4);
	sbuf_printf(b, "table ip softwire {\n");
	if (p->map.ports.psid_len > 0)
		nft_sets(p, b);
	nft_inbound(p, b);
	nft_srcnat(p, b, v4);
	nft_guard(p, b, v4);
	sbuf_printf(b, "\tchain mss {\n\t\ttype filter hook forward priority "
	    "mangle; policy accept;\n\t\toifname \"%s\" tcp flags syn tcp "
	    "option maxseg size set rt mtu\n\t}\n}\n", p->tunnel);
	if (p->wan_port[0] == '\0')
		return;
	/*
	 * The line gets IPv6 only: IPv4 and ARP stay off the WAN port, both
	 * what the bridge forwards between its ports and what the router
	 * itself sends (its ARP, its DHCP server's answers) or is sent (a
	 * neighbour on the line asking its DHCP server for a lease).
	 */
	sbuf_printf(b, "table bridge softwire {\n\tchain forward {\n"
	    "\t\ttype filter hook forward priority filter; policy accept;\n"
	    "\t\toifname \"%s\" ether type { ip, arp } counter drop\n"
	    "\t\tiifname \"%s\" ether type { ip, arp } counter drop\n"
	    "\t}\n\tchain input {\n"
	    "\t\ttype filter hook input priority filter; policy accept;\n"
	    "\t\tiifname \"%s\" ether type { ip, arp } counter drop\n"
	    "\t}\n\tchain output {\n"
	    "\t\ttype filter hook output priority filter; policy accept;\n"
	    "\t\toifname \"%s\" ether type { ip, arp } counter drop\n"
	    "\t}\n}\n", p->wan_port, p->wan_port, p->wan_port, p->wan_port);
}

void
plan_sh(const struct plan *p, struct sbuf *b)
{
	char ce[ADDR6_STRLEN], br[ADDR6_STRLEN], v4[PREFIX4_STRLEN];
	char eu[PREFIX6_STRLEN];

	prefix6_format(&p->map.eu_prefix, eu);
	addr6_format(&p->map.ce, ce);
	addr6_format(&p->map.rule.br, br);
	prefix4_format(&p->map.ipv4, v4);
	sbuf_printf(b, "#!/bin/sh\n# %s for %s: IPv4 %s, generated by "
	    "softwire render.\nset -e\n"
	    "ip -6 addr add %s/128 dev %s nodad\n"
	    "ip -6 tunnel add %s mode ip4ip6 local %s remote %s dev %s "
	    "encaplimit none hoplimit 64\n"
	    "ip link set %s mtu %u up\n"
	    "ip addr add %s dev %s\n"
	    "ip route %s default dev %s\n"
	    "nft -f - <<'EOF'\n", p->map.rule.type == RULE_IPIP ?
	    "fixed-IP IPIP" : p->map.rule.type == RULE_LW4O6 ? "lw4o6" :
	    "MAP-E", eu, v4, ce,
	    p->wan, p->tunnel, ce, br, p->wan, p->tunnel, p->mtu, v4,
	    p->tunnel, p->replace_default ? "replace" : "add", p->tunnel);
	plan_nft(p, b);
	sbuf_printf(b, "EOF\n");
}
