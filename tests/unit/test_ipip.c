/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fixed-IP IPIP: the provider's interface ID, IPv4 and the mapping. */
#include "helpers.h"

#include "core/ipip.h"

static void
iid_ok(const char *s, uint64_t want)
{
	struct sw_err err;
	uint64_t iid;

	if (ipip_iid_parse(s, &iid, &err) == -1)
		fail_msg("\"%s\": %s", s, err.msg);
	assert_true(iid == want);
}

static void
iid_bad(const char *s)
{
	struct sw_err err;
	uint64_t iid;

	if (ipip_iid_parse(s, &iid, &err) == 0)
		fail_msg("accepted \"%s\"", s);
	assert_true(err.input);
	assert_err_contains(err, "want the low 64 bits");
}

static void
test_iid(void **state)
{
	(void)state;
	iid_ok("::feed:1", 0xfeed0001ULL);
	iid_ok("::1", 1);
	iid_ok("0:0:feed:1", 0xfeed0001ULL);
	iid_ok("1234:5678:9abc:def0", 0x123456789abcdef0ULL);
	iid_ok("::1234:5678:9abc:def0", 0x123456789abcdef0ULL);
	iid_bad("");
	iid_bad("::");			/* zero */
	iid_bad("0:0:0:0");
	iid_bad("2001:db8::1");		/* upper half set */
	iid_bad("1:2:3");
	iid_bad("1:2:3:4:5");
	iid_bad("feed");
	iid_bad("::g");
	iid_bad("::feed:1/64");
}

static void
test_v4(void **state)
{
	struct prefix4 v4;
	struct sw_err err;

	(void)state;
	assert_int_equal(ipip_v4_parse("203.0.113.5", &v4, &err), 0);
	assert_int_equal(v4.addr, a4("203.0.113.5"));
	assert_int_equal(v4.len, 32);
	assert_int_equal(ipip_v4_parse("203.0.113.8/29", &v4, &err), 0);
	assert_int_equal(v4.len, 29);
	assert_int_equal(ipip_v4_parse("203.0.0.0/16", &v4, &err), -1);
	assert_err_contains(err, "a routed block of /24 to /32");
	assert_int_equal(ipip_v4_parse("203.0.113.9/29", &v4, &err), -1);
	assert_true(err.input);
	assert_int_equal(ipip_v4_parse("203.0.113", &v4, &err), -1);
	assert_true(err.input);
}

static void
test_map(void **state)
{
	struct prefix6 p64 = p6("2001:db8:1:1:aaaa:bbbb:cccc:dddd/64");
	struct prefix6 p56 = p6("2001:db8:12:3400::/56");
	struct prefix4 v4 = { a4("203.0.113.5"), 32 };
	struct in6_addr br = a6("2001:db8:ffff::1");
	struct in6_addr ce1 = a6("2001:db8:1:1::feed:1");
	struct in6_addr ce2 = a6("2001:db8:12:3400::feed:1");
	struct map_result m;

	(void)state;
	ipip_map(&p64, 0xfeed0001ULL, &v4, &br, &m);
	assert_int_equal(m.rule.type, RULE_IPIP);
	assert_memory_equal(&m.ce, &ce1, 16);
	assert_memory_equal(&m.rule.br, &br, 16);
	assert_int_equal(m.eu_prefix.len, 64);
	assert_int_equal(m.ipv4.addr, v4.addr);
	assert_int_equal(m.ports.psid_len, 0);
	assert_int_equal(portset_usable(&m.ports), 65535);
	/* A delegated /56: its subnet 0. */
	ipip_map(&p56, 0xfeed0001ULL, &v4, &br, &m);
	assert_memory_equal(&m.ce, &ce2, 16);
	assert_int_equal(m.eu_prefix.len, 56);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iid),
		cmocka_unit_test(test_v4),
		cmocka_unit_test(test_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
