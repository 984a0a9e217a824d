/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DS-Lite's AFTR in softwire-br: one pool address per B4 and inner
 * source, both ways, and every checksum the new address touches.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "core/dp.h"
#include "helpers.h"

#define AFTR "2001:db8:ffff::10"
#define B4_1 "2001:db8:1:1::2"
#define B4_2 "2001:db8:1:2::2"
#define SERVER "198.51.100.10"
#define POOL 0x64400000u

static uint16_t
rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* The one's complement sum over b, folded: 0xffff when a checksum in it
 * is right. */
static uint16_t
sum(const uint8_t *b, size_t len, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += rd16(b + i);
	if (len % 2)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The IPv4 pseudo-header's sum of packet p for protocol proto. */
static uint32_t
pseudo(const uint8_t *p, uint8_t proto, size_t l4len)
{
	return (uint32_t)rd16(p + 12) + rd16(p + 14) + rd16(p + 16) +
	    rd16(p + 18) + proto + (uint32_t)l4len;
}

static void
fix_sum(uint8_t *ck, uint16_t s)
{
	uint16_t v = (uint16_t)~s;

	ck[0] = (uint8_t)(v >> 8);
	ck[1] = (uint8_t)v;
}

/* An IPv4 header at b: its length. */
static size_t
ip4(uint8_t *b, const char *src, const char *dst, uint8_t proto,
    size_t l4len)
{
	uint32_t s = htonl(a4(src)), d = htonl(a4(dst));

	memset(b, 0, 20);
	b[0] = 0x45;
	b[2] = (uint8_t)((20 + l4len) >> 8);
	b[3] = (uint8_t)(20 + l4len);
	b[8] = 64;
	b[9] = proto;
	memcpy(b + 12, &s, 4);
	memcpy(b + 16, &d, 4);
	fix_sum(b + 10, sum(b, 20, 0));
	return 20;
}

/* A UDP datagram with payload and a right checksum: its length. */
static size_t
udp(uint8_t *b, const char *src, unsigned sport, const char *dst,
    unsigned dport)
{
	uint8_t *u = b + ip4(b, src, dst, IPPROTO_UDP, 12);

	u[0] = (uint8_t)(sport >> 8);
	u[1] = (uint8_t)sport;
	u[2] = (uint8_t)(dport >> 8);
	u[3] = (uint8_t)dport;
	u[4] = 0;
	u[5] = 12;
	u[6] = u[7] = 0;
	memcpy(u + 8, "ping", 4);
	fix_sum(u + 6, sum(u, 12, pseudo(b, IPPROTO_UDP, 12)));
	return 32;
}

static void
assert_sums(const uint8_t *p)
{
	size_t l4 = (size_t)rd16(p + 2) - 20;

	assert_int_equal(sum(p, 20, 0), 0xffff);
	if (p[9] == IPPROTO_UDP || p[9] == IPPROTO_TCP)
		assert_int_equal(sum(p + 20, l4, pseudo(p, p[9], l4)), 0xffff);
	else if (p[9] == IPPROTO_ICMP)
		assert_int_equal(sum(p + 20, l4, 0), 0xffff);
}

struct fixture {
	struct dp_aftr a;
	uint8_t pkt[2048], hdr[IP6_HLEN];
};

static int
setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	f.a.addr = a6(AFTR);
	f.a.pool = POOL;
	f.a.seed = 0x5eed;
	*state = &f;
	return 0;
}

/* Upstream from b4: the inner packet (len bytes at f->pkt + 40). */
static int
up(struct fixture *f, const char *b4, size_t len)
{
	struct in6_addr s = a6(b4), d = a6(AFTR);

	pkt6_header(f->pkt, &s, &d, IPPROTO_IPIP, (uint16_t)len, 64);
	return dp_aftr_upstream(&f->a, f->pkt, IP6_HLEN + len);
}

static uint32_t
src4(const uint8_t *p)
{
	return (uint32_t)rd16(p + 12) << 16 | rd16(p + 14);
}

static void
test_two_b4s_one_address(void **state)
{
	struct fixture *f = *state;
	uint8_t *in = f->pkt + IP6_HLEN;
	struct in6_addr b4_2 = a6(B4_2);

	/* Both B4s: 192.0.0.2 port 40000 to the same server and port. */
	assert_int_equal(up(f, B4_1, udp(in, "192.0.0.2", 40000, SERVER, 7)),
	    0);
	assert_int_equal(src4(in), POOL);
	assert_sums(in);
	assert_int_equal(up(f, B4_2, udp(in, "192.0.0.2", 40000, SERVER, 7)),
	    0);
	assert_int_equal(src4(in), POOL + 1);
	assert_sums(in);
	/* Again: the same pool addresses, no new entry. */
	assert_int_equal(up(f, B4_1, udp(in, "192.0.0.2", 40001, SERVER, 7)),
	    0);
	assert_int_equal(src4(in), POOL);
	assert_int_equal(f->a.n, 2);
	/* The reply to B4 2's goes to B4 2, as 192.0.0.2 again. */
	assert_int_equal(dp_aftr_downstream(&f->a, f->pkt, udp(f->pkt, SERVER,
	    7, "100.64.0.1", 40000), f->hdr), 0);
	assert_memory_equal(f->hdr + 24, &b4_2, 16);
	assert_int_equal(src4(f->pkt + 4), 0xc0000002);	/* destination */
	assert_sums(f->pkt);
	/* A pool address no B4 has: dropped. */
	assert_int_equal(dp_aftr_downstream(&f->a, f->pkt, udp(f->pkt, SERVER,
	    7, "100.64.0.2", 40000), f->hdr), -1);
	assert_int_equal(f->a.st.last, DROP_NO_BINDING);
	assert_int_equal(dp_aftr_downstream(&f->a, f->pkt, udp(f->pkt, SERVER,
	    7, "100.63.255.255", 40000), f->hdr), -1);
	assert_int_equal(f->a.st.last, DROP_NO_BINDING);
}

static void
test_icmp_error_quotes(void **state)
{
	struct fixture *f = *state;
	uint8_t *in = f->pkt + IP6_HLEN, *icmp, *q;
	size_t len;

	/* B4 1 is 100.64.0.0. */
	assert_int_equal(up(f, B4_1, udp(in, "192.0.0.2", 40000, SERVER, 7)),
	    0);
	/* Downstream: port unreachable from the server about a datagram
	 * the NAT put back to 100.64.0.0:40000. */
	len = ip4(f->pkt, SERVER, "100.64.0.0", IPPROTO_ICMP, 8 + 32);
	icmp = f->pkt + len;
	memset(icmp, 0, 8);
	icmp[0] = 3;
	icmp[1] = 3;
	q = icmp + 8;
	udp(q, "100.64.0.0", 40000, SERVER, 7);
	fix_sum(icmp + 2, sum(icmp, 40, 0));
	assert_int_equal(dp_aftr_downstream(&f->a, f->pkt, len + 40, f->hdr),
	    0);
	assert_sums(f->pkt);
	/* The quoted datagram is the B4's own again: 192.0.0.2 with
	 * its checksums right. */
	assert_int_equal(src4(q), 0xc0000002);
	assert_sums(q);
	/* Upstream: the B4's LAN quotes what it received (to 192.0.0.2). */
	len = ip4(in, "192.0.0.2", SERVER, IPPROTO_ICMP, 8 + 32);
	icmp = in + len;
	memset(icmp, 0, 8);
	icmp[0] = 3;
	icmp[1] = 3;
	q = icmp + 8;
	udp(q, SERVER, 7, "192.0.0.2", 40000);
	fix_sum(icmp + 2, sum(icmp, 40, 0));
	assert_int_equal(up(f, B4_1, len + 40), 0);
	assert_int_equal(src4(in), POOL);
	assert_sums(in);
	assert_int_equal(src4(q + 4), POOL);	/* the quoted destination */
	assert_sums(q);
}

static void
test_not_for_the_aftr(void **state)
{
	struct fixture *f = *state;
	uint8_t *in = f->pkt + IP6_HLEN;
	struct in6_addr s = a6(B4_1), other = a6("2001:db8:ffff::99");
	size_t len = udp(in, "192.0.0.2", 40000, SERVER, 7);

	pkt6_header(f->pkt, &s, &other, IPPROTO_IPIP, (uint16_t)len, 64);
	assert_int_equal(dp_aftr_upstream(&f->a, f->pkt, IP6_HLEN + len), -1);
	assert_int_equal(f->a.st.last, DROP_NOT_OURS);
	in[2] = 0xff;		/* lengths that disagree */
	assert_int_equal(up(f, B4_1, len), -1);
	assert_int_equal(f->a.st.last, DROP_MALFORMED);
	assert_int_equal(f->a.n, 0);
}

static void
test_full(void **state)
{
	struct fixture *f = *state;
	uint8_t *in = f->pkt + IP6_HLEN;
	char b4[64];
	unsigned i;

	for (i = 0; i < AFTR_B4_MAX; i++) {
		snprintf(b4, sizeof(b4), "2001:db8:2:%x::1", i);
		assert_int_equal(up(f, b4, udp(in, "192.0.0.2", 1, SERVER,
		    7)), 0);
	}
	assert_int_equal(src4(in), POOL + AFTR_B4_MAX - 1);
	assert_int_equal(up(f, B4_1, udp(in, "192.0.0.2", 1, SERVER, 7)), -1);
	assert_int_equal(f->a.st.last, DROP_AFTR_FULL);
	/* Those it has still pass. */
	assert_int_equal(up(f, "2001:db8:2:7::1", udp(in, "192.0.0.2", 1,
	    SERVER, 7)), 0);
	assert_int_equal(src4(in), POOL + 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_two_b4s_one_address, setup),
		cmocka_unit_test_setup(test_icmp_error_quotes, setup),
		cmocka_unit_test_setup(test_not_for_the_aftr, setup),
		cmocka_unit_test_setup(test_full, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
