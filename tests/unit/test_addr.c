/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "helpers.h"

static void
test_parse_good(void **state)
{
	struct prefix6 p;
	struct prefix4 q;
	struct sw_err err;
	char buf[PREFIX6_STRLEN];

	(void)state;
	assert_int_equal(prefix6_parse("2001:db8::/32", 0, &p, &err), 0);
	assert_int_equal(p.len, 32);
	assert_string_equal(prefix6_format(&p, buf), "2001:db8::/32");
	assert_int_equal(prefix6_parse("2001:DB8:0:0::1", PFX_BARE_ADDR, &p,
	    &err), 0);
	assert_int_equal(p.len, 128);
	assert_string_equal(prefix6_format(&p, buf), "2001:db8::1/128");
	assert_int_equal(prefix4_parse("192.0.2.0/24", 0, &q, &err), 0);
	assert_int_equal(q.addr, 0xc0000200);
	assert_int_equal(q.len, 24);
	assert_int_equal(prefix4_parse("0.0.0.0/0", 0, &q, &err), 0);
	assert_int_equal(prefix6_parse("2001:db8::1/64", PFX_HOST_BITS, &p,
	    &err), 0);
}

static void
test_parse_bad(void **state)
{
	static const char *const bad6[] = {
		"", "/", "2001:db8::/", "2001:db8::/129", "2001:db8::/-1",
		"2001:db8::/+3", "2001:db8::/ 3", "2001:db8::/3x",
		"2001:db8::/99999999999999999999", "2001:db8:::/32",
		"2001:db8::1/64", "192.0.2.1/24", "2001:db8::%eth0/64",
		"2001:db8::/32/3", "2001:db8::",
		"aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa/64",
	};
	static const char *const bad4[] = {
		"", "192.0.2.0", "192.0.2.0/33", "192.0.2/24", "192.0.2.1/24",
		"192.0.02.0/24", "0x1.0.0.0/8", "256.0.0.0/8", "1.2.3.4.5/32",
		"1.2.3.4 /32",
	};
	struct prefix6 p;
	struct prefix4 q;
	struct sw_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad6) / sizeof(bad6[0]); i++) {
		err.msg[0] = '\0';
		if (prefix6_parse(bad6[i], 0, &p, &err) != -1)
			fail_msg("accepted \"%s\"", bad6[i]);
		assert_true(strlen(err.msg) > 0);
	}
	for (i = 0; i < sizeof(bad4) / sizeof(bad4[0]); i++) {
		err.msg[0] = '\0';
		if (prefix4_parse(bad4[i], 0, &q, &err) != -1)
			fail_msg("accepted \"%s\"", bad4[i]);
		assert_true(strlen(err.msg) > 0);
	}
}

static void
test_errors_quote_input(void **state)
{
	struct prefix6 p;
	struct sw_err err;

	(void)state;
	assert_int_equal(prefix6_parse("2001:db8::/129", 0, &p, &err), -1);
	assert_err_contains(err, "\"2001:db8::/129\"");
	assert_err_contains(err, "0-128");
	assert_int_equal(prefix6_parse("2001:db8::1/64", 0, &p, &err), -1);
	assert_err_contains(err, "bits set past /64");
	/* Control bytes and quotes come out escaped. */
	assert_int_equal(prefix6_parse("a\"\x01", 0, &p, &err), -1);
	assert_err_contains(err, "a\\x22\\x01");
}

static void
test_bits(void **state)
{
	struct in6_addr a;

	(void)state;
	memset(&a, 0, sizeof(a));
	bits6_set(&a, 31, 25, 0x11a65a1);
	assert_addr6_equal(a, "0:1:1a65:a100::");
	assert_int_equal(bits6_get(&a, 31, 25), 0x11a65a1);
	assert_int_equal(bits6_get(&a, 32, 16), 0x1a65);
	bits6_set(&a, 0, 64, 0xffffffffffffffffull);
	assert_int_equal(bits6_get(&a, 0, 64), 0xffffffffffffffffull);
	addr6_truncate(&a, 13);
	assert_addr6_equal(a, "fff8::");
	assert_int_equal(mask4(0), 0);
	assert_int_equal(mask4(32), 0xffffffffu);
	assert_int_equal(mask4(15), 0xfffe0000u);
}

static void
test_contains(void **state)
{
	struct prefix6 p = p6("240b:12::/31");
	struct prefix4 q = { 0x0e080000, 15 };

	(void)state;
	assert_true(prefix6_contains(&p, &(struct in6_addr){ .s6_addr = {
	    0x24, 0x0b, 0x00, 0x13 } }));
	assert_false(prefix6_contains(&p, &(struct in6_addr){ .s6_addr = {
	    0x24, 0x0b, 0x00, 0x14 } }));
	assert_true(prefix4_contains(&q, a4("14.9.26.101")));
	assert_false(prefix4_contains(&q, a4("14.10.0.0")));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_errors_quote_input),
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_contains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
