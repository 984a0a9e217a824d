/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lwAFTR's binding table (RFC 7596): parsing a binding, checking a
 * table, finding the B4 of an address and port, and the relay deciding
 * by it.  Two B4s share 192.0.2.50 at offset 0 with 6 PSID bits (1024
 * ports each: PSID 0 holds 0-1023, PSID 1 1024-2047); a third holds
 * 192.0.2.51 whole.
 */
#include <arpa/inet.h>

#include "core/bind.h"
#include "core/dp.h"
#include "helpers.h"

#define B4_1 "2001:db8:12:3400:0:c000:232:0"
#define B4_2 "2001:db8:12:3500:0:c000:232:1"
#define B4_3 "2001:db8:13::1"
#define AFTR "2001:db8:ffff::2"
#define SERVER "198.51.100.10"

static struct lw_binding
binding(const char *s)
{
	struct lw_binding b;
	struct sw_err err;

	if (lw_binding_parse(s, &b, &err) == -1)
		fail_msg("%s", err.msg);
	return b;
}

/* The address s, for memory comparisons. */
static const struct in6_addr *
a6p(const char *s)
{
	static struct in6_addr a;

	a = a6(s);
	return &a;
}

static void
expect_bad(const char *s, const char *msg)
{
	struct lw_binding b;
	struct sw_err err;

	assert_int_equal(lw_binding_parse(s, &b, &err), -1);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", s, err.msg, msg);
	assert_true(err.input);
}

static void
test_parse(void **state)
{
	struct lw_binding b;

	(void)state;
	b = binding("192.0.2.50,1/6,0," B4_2);
	assert_int_equal(b.ipv4, a4("192.0.2.50"));
	assert_int_equal(b.psid, 1);
	assert_int_equal(b.psid_len, 6);
	assert_int_equal(b.offset, 0);
	assert_memory_equal(&b.b4, a6p(B4_2), 16);
}

static void
test_parse_forms(void **state)
{
	struct lw_binding b;

	(void)state;
	b = binding("192.0.2.50,52/8," B4_1);
	assert_int_equal(b.offset, LW_DEFAULT_OFFSET);
	assert_int_equal(b.psid, 52);
	b = binding("192.0.2.51," B4_3);
	assert_int_equal(b.psid_len, 0);
	b = binding("192.0.2.50,65535/16,0," B4_1);
	assert_int_equal(b.psid, 65535);
}

static void
test_parse_bad(void **state)
{
	(void)state;
	expect_bad("192.0.2.50", "want IPV4,PSID/LEN");
	expect_bad("192.0.2.50,1,2001:db8::1", "want IPV4,PSID/LEN");
	expect_bad("192.0.2.50,1/6,0,2001:db8::1,x", "want IPV4,PSID/LEN");
	expect_bad("192.0.2.500,1/6,2001:db8::1", "\"192.0.2.500\"");
	expect_bad("192.0.2.50,1/6,2001:db8::zz", "\"2001:db8::zz\"");
	expect_bad("192.0.2.50,1/0,2001:db8::1", "a length in 1-16");
	expect_bad("192.0.2.50,1/17,2001:db8::1", "a length in 1-16");
	expect_bad("192.0.2.50,65536/16,2001:db8::1", "PSID in 0-65535");
	expect_bad("192.0.2.50,/6,2001:db8::1", "PSID/LEN \"/6\"");
	expect_bad("192.0.2.50,64/6,0,2001:db8::1", "PSID 64 does not fit 6");
	expect_bad("192.0.2.50,1/6,16,2001:db8::1", "offset \"16\"");
	expect_bad("192.0.2.50,1/12,6,2001:db8::1", "offset 6 + PSID length 12");
	expect_bad("192.0.2.50,1/6,x,2001:db8::1", "offset \"x\"");
	expect_bad("192.0.2.50,0/16,0,2001:db8::1", "holds only port 0");
}

static void
expect_table(const char **s, size_t n, const char *msg)
{
	struct lw_binding t[8];
	struct sw_err err;
	size_t i;

	for (i = 0; i < n; i++)
		t[i] = binding(s[i]);
	if (msg == NULL) {
		if (lw_table_sort(t, n, &err) == -1)
			fail_msg("%s", err.msg);
		return;
	}
	assert_int_equal(lw_table_sort(t, n, &err), -1);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("got \"%s\", want \"%s\"", err.msg, msg);
}

static void
test_table_checks(void **state)
{
	const char *twice[] = { "192.0.2.50,1/6,0," B4_1,
	    "192.0.2.50,1/6,0," B4_2 };
	const char *layout[] = { "192.0.2.50,0/6,0," B4_1,
	    "192.0.2.50,1/7,0," B4_2 };
	const char *offset[] = { "192.0.2.50,0/6,0," B4_1,
	    "192.0.2.50,1/6,4," B4_2 };
	const char *whole[] = { "192.0.2.50,0/6,0," B4_1,
	    "192.0.2.50," B4_2 };
	const char *good[] = { "192.0.2.51," B4_3, "192.0.2.50,1/6,0," B4_2,
	    "192.0.2.50,0/6,0," B4_1, "10.0.0.1," B4_3 };

	(void)state;
	expect_table(twice, 2, "192.0.2.50 PSID 1 is bound twice");
	expect_table(layout, 2, "one port layout an address");
	expect_table(offset, 2, "one port layout an address");
	expect_table(whole, 2, "192.0.2.50 is bound whole and bound again");
	expect_table(good, 4, NULL);
}

struct fixture {
	struct lw_binding t[4];
	size_t n;
	struct dp_br br;
	uint8_t pkt[2048], hdr[IP6_HLEN];
};

static int
setup(void **state)
{
	static struct fixture f;
	struct sw_err err;

	memset(&f, 0, sizeof(f));
	f.t[0] = binding("192.0.2.51," B4_3);
	f.t[1] = binding("192.0.2.50,1/6,0," B4_2);
	f.t[2] = binding("192.0.2.50,0/6,0," B4_1);
	f.n = 3;
	assert_int_equal(lw_table_sort(f.t, f.n, &err), 0);
	f.br.binds = f.t;
	f.br.nbinds = f.n;
	f.br.addr = a6(AFTR);
	f.br.up_frags.seed = f.br.down_frags.seed = 0x5eed;
	*state = &f;
	return 0;
}

static void
expect_b4(const struct fixture *f, const char *v4, uint16_t port,
    enum map_lookup want, const char *b4)
{
	const struct lw_binding *b = NULL;

	assert_int_equal(lw_lookup(f->t, f->n, a4(v4), port, &b), want);
	if (want == MAP_FOUND)
		assert_memory_equal(&b->b4, a6p(b4), 16);
}

static void
test_lookup(void **state)
{
	struct fixture *f = *state;
	struct in6_addr b4_1 = a6(B4_1), b4_3 = a6(B4_3);

	expect_b4(f, "192.0.2.50", 1, MAP_FOUND, B4_1);
	expect_b4(f, "192.0.2.50", 1023, MAP_FOUND, B4_1);
	expect_b4(f, "192.0.2.50", 1024, MAP_FOUND, B4_2);
	expect_b4(f, "192.0.2.50", 2047, MAP_FOUND, B4_2);
	/* Port 0 is in PSID 0's range at offset 0, but is no port. */
	expect_b4(f, "192.0.2.50", 0, MAP_EXCLUDED_PORT, NULL);
	expect_b4(f, "192.0.2.50", 2048, MAP_OTHER_PSID, NULL);
	expect_b4(f, "192.0.2.50", 65535, MAP_OTHER_PSID, NULL);
	expect_b4(f, "192.0.2.51", 0, MAP_FOUND, B4_3);
	expect_b4(f, "192.0.2.51", 40000, MAP_FOUND, B4_3);
	expect_b4(f, "192.0.2.52", 1, MAP_NOT_IN_RULE, NULL);
	expect_b4(f, "192.0.2.49", 1, MAP_NOT_IN_RULE, NULL);
	assert_true(lw_holds(f->t, f->n, a4("192.0.2.50"), &b4_1));
	assert_false(lw_holds(f->t, f->n, a4("192.0.2.50"), &b4_3));
	assert_true(lw_holds(f->t, f->n, a4("192.0.2.51"), &b4_3));
	assert_null(lw_first(f->t, f->n, a4("192.0.2.52")));
}

/* A UDP packet at b (no payload): its length. */
static size_t
udp4(uint8_t *b, const char *src, unsigned sport, const char *dst,
    unsigned dport)
{
	uint32_t s = htonl(a4(src)), d = htonl(a4(dst));
	uint16_t v;

	memset(b, 0, 28);
	b[0] = 0x45;
	b[3] = 28;
	b[8] = 64;
	b[9] = IPPROTO_UDP;
	memcpy(b + 12, &s, 4);
	memcpy(b + 16, &d, 4);
	v = htons((uint16_t)sport);
	memcpy(b + 20, &v, 2);
	v = htons((uint16_t)dport);
	memcpy(b + 22, &v, 2);
	b[25] = 8;
	return 28;
}

static int
up(struct fixture *f, const char *src6, const char *src4, unsigned sport)
{
	struct in6_addr s = a6(src6), d = a6(AFTR);
	size_t len = udp4(f->pkt + IP6_HLEN, src4, sport, SERVER, 53);

	pkt6_header(f->pkt, &s, &d, IPPROTO_IPIP, (uint16_t)len, 64);
	return dp_br_upstream(&f->br, f->pkt, IP6_HLEN + len, 1000);
}

static void
expect_drop(struct fixture *f, int rc, enum dp_drop why)
{
	assert_int_equal(rc, -1);
	assert_int_equal(f->br.st.last, why);
}

static void
test_relay_upstream(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(up(f, B4_1, "192.0.2.50", 1000), 0);
	assert_int_equal(up(f, B4_2, "192.0.2.50", 1024), 0);
	assert_int_equal(up(f, B4_3, "192.0.2.51", 0), 0);
	/* B4 1 with a port of B4 2's set: bad port; of nobody's: too. */
	expect_drop(f, up(f, B4_1, "192.0.2.50", 1024), DROP_BAD_PORT);
	expect_drop(f, up(f, B4_1, "192.0.2.50", 3000), DROP_BAD_PORT);
	/* Port 0, never a port of a set. */
	expect_drop(f, up(f, B4_1, "192.0.2.50", 0), DROP_EXCLUDED_PORT);
	/* B4 3 is no B4 of 192.0.2.50; nor is a stranger of .51. */
	expect_drop(f, up(f, B4_3, "192.0.2.50", 1000), DROP_BAD_SOURCE);
	expect_drop(f, up(f, B4_1, "192.0.2.51", 1000), DROP_BAD_SOURCE);
	/* An address bound to nobody. */
	expect_drop(f, up(f, B4_1, "192.0.2.52", 1000), DROP_NO_BINDING);
	assert_int_equal(f->br.st.up_packets, 3);
	assert_int_equal(f->br.st.drops[DROP_BAD_PORT], 2);
}

static void
test_relay_downstream(void **state)
{
	struct fixture *f = *state;
	size_t len;

	len = udp4(f->pkt, SERVER, 53, "192.0.2.50", 1500);
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, len, 1000, f->hdr),
	    0);
	assert_memory_equal(f->hdr + 24, a6p(B4_2), 16);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.50", 7);
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, len, 1000, f->hdr),
	    0);
	assert_memory_equal(f->hdr + 24, a6p(B4_1), 16);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.51", 9);
	assert_int_equal(dp_br_downstream(&f->br, f->pkt, len, 1000, f->hdr),
	    0);
	assert_memory_equal(f->hdr + 24, a6p(B4_3), 16);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.50", 5000);
	expect_drop(f, dp_br_downstream(&f->br, f->pkt, len, 1000, f->hdr),
	    DROP_BAD_PORT);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.50", 0);
	expect_drop(f, dp_br_downstream(&f->br, f->pkt, len, 1000, f->hdr),
	    DROP_EXCLUDED_PORT);
	len = udp4(f->pkt, SERVER, 53, "192.0.2.60", 7);
	expect_drop(f, dp_br_downstream(&f->br, f->pkt, len, 1000, f->hdr),
	    DROP_NO_BINDING);
	assert_int_equal(f->br.st.down_packets, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_table_checks),
		cmocka_unit_test_setup(test_lookup, setup),
		cmocka_unit_test_setup(test_relay_upstream, setup),
		cmocka_unit_test_setup(test_relay_downstream, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
