/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The datapath decisions: what the BR relays and why it drops, what a CE
 * sends where and what it accepts.  Packets are built by hand here.
 */
#include <arpa/inet.h>

#include "core/dp.h"
#include "helpers.h"

/* v6plus-shaped: a = 4, k = 8, 240 ports a CE; RFC layout. */
#define RULE "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16," \
	"offset=4,br=2001:db8:ffff::1"
#define CE1_PREFIX "2001:db8:12:3400::/56"	/* 192.0.2.18, PSID 0x34 */
#define CE1_PORT 4928				/* 1 << 12 | 0x34 << 4 */
#define CE2_PORT 4944				/* PSID 0x35 */
#define SERVER "198.51.100.10"

struct fixture {
	struct map_rule rules[2];
	struct map_result ce1;
	struct dp_br br;
	struct dp_ce ce;
	uint8_t pkt[2048];
};

static void
wr16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
wr32(uint8_t *b, uint32_t v)
{
	wr16(b, v >> 16);
	wr16(b + 2, v & 0xffff);
}

/* An IPv4 header at b; returns its length. */
static size_t
ip4(uint8_t *b, const char *src, const char *dst, uint8_t proto,
    size_t l4len, unsigned frag)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	wr16(b + 2, (unsigned)(20 + l4len));
	wr16(b + 4, 0x1234);
	wr16(b + 6, frag);
	b[8] = 64;
	b[9] = proto;
	wr32(b + 12, a4(src));
	wr32(b + 16, a4(dst));
	return 20;
}

static size_t
udp4(uint8_t *b, const char *src, unsigned sport, const char *dst,
    unsigned dport)
{
	size_t h = ip4(b, src, dst, IPPROTO_UDP, 12, 0);

	memset(b + h, 0, 12);
	wr16(b + h, sport);
	wr16(b + h + 2, dport);
	wr16(b + h + 4, 12);
	return h + 12;
}

static size_t
echo4(uint8_t *b, const char *src, const char *dst, unsigned id)
{
	size_t h = ip4(b, src, dst, IPPROTO_ICMP, 8, 0);

	memset(b + h, 0, 8);
	b[h] = 8;
	wr16(b + h + 4, id);
	return h + 8;
}

/* Put an IPv6 header in front of the len bytes at b + 40. */
static size_t
ip6(uint8_t *b, const char *src, const char *dst, uint8_t nh, size_t len)
{
	struct in6_addr s = a6(src), d = a6(dst);

	pkt6_header(b, &s, &d, nh, (uint16_t)len, 64);
	return IP6_HLEN + len;
}

static int
setup(void **state)
{
	static struct fixture f;
	struct prefix6 in = p6(CE1_PREFIX);
	struct sw_err err;

	memset(&f, 0, sizeof(f));
	f.rules[0] = rule(RULE);
	assert_int_equal(map_compute(&f.rules[0], &in, &f.ce1, &err), 0);
	f.br.rules = f.rules;
	f.br.nrules = 1;
	f.br.addr = a6("2001:db8:ffff::1");
	f.ce.map = &f.ce1;
	f.ce.rules = f.rules;
	f.ce.nrules = 1;
	f.ce.br = f.br.addr;
	*state = &f;
	return 0;
}

static char ce1_addr[ADDR6_STRLEN];

static const char *
ce1(struct fixture *f)
{
	return addr6_format(&f->ce1.ce, ce1_addr);
}

static int
up(struct fixture *f, const char *src6, size_t l4)
{
	return dp_br_upstream(&f->br, f->pkt, ip6(f->pkt, src6,
	    "2001:db8:ffff::1", IPPROTO_IPIP, l4), 1000);
}

static void
test_br_upstream(void **state)
{
	struct fixture *f = *state;
	uint8_t *in = f->pkt + IP6_HLEN;

	assert_addr6_equal(f->ce1.ce, "2001:db8:12:3400:0:c000:212:34");
	assert_int_equal(up(f, ce1(f), udp4(in, "192.0.2.18", CE1_PORT,
	    SERVER, 53)), 0);
	assert_int_equal(f->br.st.up_packets, 1);
	assert_int_equal(up(f, ce1(f), echo4(in, "192.0.2.18", SERVER,
	    CE1_PORT + 15)), 0);
	/* A port of CE 2's set, from CE 1. */
	assert_int_equal(up(f, ce1(f), udp4(in, "192.0.2.18", CE2_PORT,
	    SERVER, 53)), -1);
	assert_int_equal(f->br.st.last, DROP_BAD_PORT);
	/* The right port from an address that is no CE of 192.0.2.18. */
	assert_int_equal(up(f, "2001:db8:12:3400::99", udp4(in, "192.0.2.18",
	    CE1_PORT, SERVER, 53)), -1);
	assert_int_equal(f->br.st.last, DROP_BAD_SOURCE);
	assert_int_equal(up(f, ce1(f), udp4(in, "192.0.2.18", 80, SERVER,
	    53)), -1);
	assert_int_equal(f->br.st.last, DROP_EXCLUDED_PORT);
	assert_int_equal(up(f, ce1(f), udp4(in, "203.0.113.1", CE1_PORT,
	    SERVER, 53)), -1);
	assert_int_equal(f->br.st.last, DROP_NO_RULE);
	/* GRE has no ports to share an address by. */
	ip4(in, "192.0.2.18", SERVER, 47, 4, 0);
	assert_int_equal(up(f, ce1(f), 24), -1);
	assert_int_equal(f->br.st.last, DROP_NO_PORT);
	assert_int_equal(f->br.st.up_packets, 2);
}

static void
test_br_upstream_outer(void **state)
{
	struct fixture *f = *state;
	uint8_t *in = f->pkt + IP6_HLEN;
	size_t l4 = udp4(in, "192.0.2.18", CE1_PORT, SERVER, 53);

	assert_int_equal(dp_br_upstream(&f->br, f->pkt, ip6(f->pkt, ce1(f),
	    "2001:db8:ffff::2", IPPROTO_IPIP, l4), 0), -1);
	assert_int_equal(f->br.st.last, DROP_NOT_OURS);
	/* A destination-options header (a tunnel encapsulation limit). */
	assert_int_equal(dp_br_upstream(&f->br, f->pkt, ip6(f->pkt, ce1(f),
	    "2001:db8:ffff::1", 60, l4), 0), -1);
	assert_int_equal(f->br.st.last, DROP_EXT_HEADER);
	assert_int_equal(dp_br_upstream(&f->br, f->pkt, ip6(f->pkt, ce1(f),
	    "2001:db8:ffff::1", IPPROTO_ICMPV6, l4), 0), -1);
	assert_int_equal(f->br.st.last, DROP_NOT_IP4IP6);
	assert_int_equal(dp_br_upstream(&f->br, f->pkt, ip6(f->pkt, "::",
	    "ff02::16", 0, l4), 0), 1);
	assert_int_equal(f->br.st.ignored, 1);
	/* Lengths that disagree. */
	ip6(f->pkt, ce1(f), "2001:db8:ffff::1", IPPROTO_IPIP, l4);
	assert_int_equal(dp_br_upstream(&f->br, f->pkt, IP6_HLEN + l4 - 1, 0),
	    -1);
	assert_int_equal(f->br.st.last, DROP_MALFORMED);
	wr16(in + 2, 19);
	assert_int_equal(dp_br_upstream(&f->br, f->pkt, IP6_HLEN + l4, 0), -1);
	assert_int_equal(f->br.st.last, DROP_MALFORMED);
	assert_int_equal(f->br.st.up_packets, 0);
}

/* ICMP errors are mapped by the port of the packet they quote. */
static void
test_br_icmp_errors(void **state)
{
	struct fixture *f = *state;
	uint8_t *in = f->pkt + IP6_HLEN, *icmp = in + 20;
	size_t q;

	/* CE 1 says "port unreachable" about a packet sent to its port. */
	q = udp4(icmp + 8, SERVER, 53, "192.0.2.18", CE1_PORT);
	ip4(in, "192.0.2.18", SERVER, IPPROTO_ICMP, 8 + q, 0);
	memset(icmp, 0, 8);
	icmp[0] = 3;
	icmp[1] = 3;
	assert_int_equal(up(f, ce1(f), 20 + 8 + q), 0);
	/* The same about a packet to CE 2's port. */
	udp4(icmp + 8, SERVER, 53, "192.0.2.18", CE2_PORT);
	assert_int_equal(up(f, ce1(f), 20 + 8 + q), -1);
	assert_int_equal(f->br.st.last, DROP_BAD_PORT);
	/* Quoting some other host's packet gives no port. */
	udp4(icmp + 8, SERVER, 53, "192.0.2.77", CE1_PORT);
	assert_int_equal(up(f, ce1(f), 20 + 8 + q), -1);
	assert_int_equal(f->br.st.last, DROP_NO_PORT);
}

static void
test_br_downstream(void **state)
{
	struct fixture *f = *state;
	uint8_t hdr[IP6_HLEN];
	struct pkt6 o;
	size_t len;

	len = udp4(f->pkt, SERVER, 53, "192.0.2.18", CE1_PORT + 3);
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, len, 0, hdr), 0);
	memcpy(f->pkt + 1024, hdr, sizeof(hdr));
	memcpy(f->pkt + 1024 + IP6_HLEN, f->pkt, len);
	assert_int_equal(pkt6_parse(f->pkt + 1024, IP6_HLEN + len, &o), 0);
	assert_addr6_equal(o.dst, "2001:db8:12:3400:0:c000:212:34");
	assert_addr6_equal(o.src, "2001:db8:ffff::1");
	assert_int_equal(o.nh, IPPROTO_IPIP);
	/* Echo replies go by identifier; CE 2's id goes to CE 2. */
	len = echo4(f->pkt, SERVER, "192.0.2.18", CE2_PORT);
	f->pkt[20] = 0;
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, len, 0, hdr), 0);
	assert_memory_equal(hdr + 24, a6("2001:db8:12:3500:0:c000:212:35")
	    .s6_addr, 16);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.18", 4095);
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, len, 0, hdr), -1);
	assert_int_equal(f->br.st.last, DROP_EXCLUDED_PORT);
	len = udp4(f->pkt, SERVER, 53, "192.0.3.1", CE1_PORT);
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, len, 0, hdr), -1);
	assert_int_equal(f->br.st.last, DROP_NO_RULE);
	ip4(f->pkt, SERVER, "192.0.2.18", IPPROTO_UDP, 1441, 0);
	wr16(f->pkt + 20, 53);
	wr16(f->pkt + 22, CE1_PORT);
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, 1461, 0, hdr), -1);
	assert_int_equal(f->br.st.last, DROP_TOO_BIG);
}

static void
test_ce_outbound(void **state)
{
	struct fixture *f = *state;
	struct in6_addr dst;
	size_t len;

	len = udp4(f->pkt, "192.0.2.18", CE1_PORT + 15, SERVER, 53);
	assert_int_equal(dp_ce_outbound(&f->ce, f->pkt, len, 0, &dst), 0);
	assert_addr6_equal(dst, "2001:db8:ffff::1");
	/* Nothing leaves with an address or port outside the mapping. */
	len = udp4(f->pkt, "10.0.1.2", CE1_PORT, SERVER, 53);
	assert_int_equal(dp_ce_outbound(&f->ce, f->pkt, len, 0, &dst), -1);
	assert_int_equal(f->ce.st.last, DROP_BAD_SOURCE);
	len = udp4(f->pkt, "192.0.2.18", CE2_PORT, SERVER, 53);
	assert_int_equal(dp_ce_outbound(&f->ce, f->pkt, len, 0, &dst), -1);
	assert_int_equal(f->ce.st.last, DROP_BAD_PORT);
	len = echo4(f->pkt, "192.0.2.18", SERVER, 7);
	assert_int_equal(dp_ce_outbound(&f->ce, f->pkt, len, 0, &dst), -1);
	assert_int_equal(f->ce.st.last, DROP_BAD_PORT);
	assert_int_equal(f->ce.st.up_packets, 1);
}

static void
test_ce_inbound(void **state)
{
	struct fixture *f = *state;
	struct in6_addr br = a6("2001:db8:ffff::1"), other = a6("fd00::1");
	size_t len;

	len = udp4(f->pkt, SERVER, 53, "192.0.2.18", CE1_PORT);
	assert_int_equal(dp_ce_inbound(&f->ce, &br, f->pkt, len, 0), 0);
	assert_int_equal(dp_ce_inbound(&f->ce, &other, f->pkt, len, 0), -1);
	assert_int_equal(f->ce.st.last, DROP_BAD_SOURCE);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.18", CE2_PORT);
	assert_int_equal(dp_ce_inbound(&f->ce, &br, f->pkt, len, 0), -1);
	assert_int_equal(f->ce.st.last, DROP_BAD_PORT);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.19", CE1_PORT);
	assert_int_equal(dp_ce_inbound(&f->ce, &br, f->pkt, len, 0), -1);
	assert_int_equal(f->ce.st.last, DROP_NOT_OURS);
}

/* With the rule as an FMR, CEs of the domain talk directly (RFC 7597 §5.3). */
static void
test_ce_fmr(void **state)
{
	struct fixture *f = *state;
	struct in6_addr dst, peer = a6("2001:db8:12:3500:0:c000:212:35");
	size_t len;

	f->rules[0].fmr = true;
	len = udp4(f->pkt, "192.0.2.18", CE1_PORT, "192.0.2.18", CE2_PORT);
	assert_int_equal(dp_ce_outbound(&f->ce, f->pkt, len, 0, &dst), 0);
	assert_memory_equal(&dst, &peer, sizeof(dst));
	/* Outside the FMR's prefix: to the BR. */
	len = udp4(f->pkt, "192.0.2.18", CE1_PORT, SERVER, 53);
	assert_int_equal(dp_ce_outbound(&f->ce, f->pkt, len, 0, &dst), 0);
	assert_addr6_equal(dst, "2001:db8:ffff::1");
	/* From the peer CE that holds the source port: accepted. */
	len = udp4(f->pkt, "192.0.2.18", CE2_PORT, "192.0.2.18", CE1_PORT);
	assert_int_equal(dp_ce_inbound(&f->ce, &peer, f->pkt, len, 0), 0);
	/* The same from the peer with another CE's source port: refused. */
	len = udp4(f->pkt, "192.0.2.18", CE2_PORT + 16, "192.0.2.18",
	    CE1_PORT);
	assert_int_equal(dp_ce_inbound(&f->ce, &peer, f->pkt, len, 0), -1);
	assert_int_equal(f->ce.st.last, DROP_BAD_SOURCE);
	f->rules[0].fmr = false;
}

/* The ICMPv6 checksum over the pseudo-header and the message. */
static uint16_t
icmp6_sum(const uint8_t *p, size_t l4)
{
	uint32_t sum = 58 + (uint32_t)l4;
	size_t i;

	for (i = 8; i < IP6_HLEN; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	for (i = 0; i < l4; i += 2)
		sum += (uint32_t)(p[IP6_HLEN + i] << 8 |
		    (i + 1 < l4 ? p[IP6_HLEN + i + 1] : 0));
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t
echo6(uint8_t *b, const char *src, const char *dst, uint8_t type)
{
	size_t len = ip6(b, src, dst, 58, 8 + 5);
	uint16_t ck;

	memset(b + IP6_HLEN, 0, 13);
	b[IP6_HLEN] = type;
	wr16(b + IP6_HLEN + 4, 0x1234);
	memcpy(b + IP6_HLEN + 8, "hello", 5);
	ck = icmp6_sum(b, 13);
	wr16(b + IP6_HLEN + 2, ck);
	return len;
}

static void
test_br_echo(void **state)
{
	struct fixture *f = *state;
	uint8_t before[64];
	size_t len;

	len = echo6(f->pkt, ce1(f), "2001:db8:ffff::1", 128);
	assert_int_equal(icmp6_sum(f->pkt, 13), 0);
	assert_int_equal(dp_echo_reply(&f->br.addr, f->pkt, len), 0);
	assert_int_equal(f->pkt[IP6_HLEN], 129);
	assert_memory_equal(f->pkt + 8, &f->br.addr, 16);
	assert_memory_equal(f->pkt + 24, &f->ce1.ce, 16);
	/* The updated checksum is the one computed from scratch. */
	assert_int_equal(icmp6_sum(f->pkt, 13), 0);
	assert_memory_equal(f->pkt + IP6_HLEN + 8, "hello", 5);

	/* Not for the BR, not a request: untouched, for the relay path. */
	len = echo6(f->pkt, ce1(f), "2001:db8:ffff::2", 128);
	memcpy(before, f->pkt, len);
	assert_int_equal(dp_echo_reply(&f->br.addr, f->pkt, len), -1);
	assert_memory_equal(before, f->pkt, len);
	len = echo6(f->pkt, ce1(f), "2001:db8:ffff::1", 129);
	assert_int_equal(dp_echo_reply(&f->br.addr, f->pkt, len), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_br_upstream, setup),
		cmocka_unit_test_setup(test_br_echo, setup),
		cmocka_unit_test_setup(test_br_upstream_outer, setup),
		cmocka_unit_test_setup(test_br_icmp_errors, setup),
		cmocka_unit_test_setup(test_br_downstream, setup),
		cmocka_unit_test_setup(test_ce_outbound, setup),
		cmocka_unit_test_setup(test_ce_inbound, setup),
		cmocka_unit_test_setup(test_ce_fmr, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
