/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The explicit rule syntax (odhcp6c / mapcalc key=value). */
#include "helpers.h"

static void
test_full_rule(void **state)
{
	struct map_rule r = rule("type=map-e,ealen=16,prefix4len=24,"
	    "prefix6len=40,ipv4prefix=192.0.2.0,ipv6prefix=2001:db8::,"
	    "offset=6,psidlen=8,psid=0,br=2001:db8:ffff::1,");
	char buf[ADDR6_STRLEN];

	(void)state;
	assert_int_equal(r.type, RULE_MAPE);
	assert_int_equal(r.prefix6.len, 40);
	assert_int_equal(r.prefix4.addr, a4("192.0.2.0"));
	assert_int_equal(r.prefix4.len, 24);
	assert_int_equal(r.ea_len, 16);
	assert_int_equal(r.psid_offset, 6);
	assert_int_equal(r.psid_len, 8);
	assert_true(r.has_br);
	assert_string_equal(addr6_format(&r.br, buf), "2001:db8:ffff::1");
	assert_int_equal(r.iid, IID_RFC);
	assert_false(r.fmr);
	assert_null(r.service);
}

static void
test_defaults_and_shorthand(void **state)
{
	struct map_rule r = rule("ipv6prefix=2001:db8::/40,"
	    "ipv4prefix=192.0.2.0/24,ealen=16,fmr");

	(void)state;
	assert_int_equal(r.psid_offset, RULE_DEFAULT_OFFSET);
	assert_int_equal(r.psid_len, 8);	/* derived from ealen */
	assert_false(r.has_br);
	assert_true(r.fmr);
	/* psidlen=0 means "not given" when the EA bits carry the PSID. */
	r = rule("ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
	    "psidlen=0,psid=0");
	assert_int_equal(r.psid_len, 8);
	/* A provisioned PSID is left-aligned: 0x3400 is PSID 0x34 of 8 bits. */
	r = rule("ipv6prefix=2001:db8:12:3400::/56,ipv4prefix=192.0.2.18/32,"
	    "ealen=0,psidlen=8,psid=13312");
	assert_int_equal(r.psid, 0x34);
	r = rule("type=lw4o6,ipv6prefix=2001:db8:1::/48,ipv4prefix=198.51.100.7,"
	    "prefix4len=32,psidlen=6,psid=1024,offset=0");
	assert_int_equal(r.type, RULE_LW4O6);
	assert_int_equal(r.psid, 1);
	assert_int_equal(r.psid_len, 6);
}

static void
test_rule_list(void **state)
{
	struct map_rule rs[4];
	struct sw_err err;
	size_t n = 0;

	(void)state;
	/* odhcp6c separates rules with spaces and ends fields with commas. */
	assert_int_equal(rule_parse_list("ealen=16,prefix4len=24,"
	    "prefix6len=40,ipv4prefix=192.0.2.0,ipv6prefix=2001:db8::, "
	    "ealen=16,prefix4len=24,prefix6len=40,ipv4prefix=198.51.100.0,"
	    "ipv6prefix=2001:db9::,fmr,", rs, 4, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_true(rs[1].fmr);
	/* A bad second rule leaves the list as it was. */
	n = 1;
	assert_int_equal(rule_parse_list("ipv6prefix=2001:db8::/40,"
	    "ipv4prefix=192.0.2.0/24,ealen=16 ipv6prefix=x", rs, 4, &n, &err),
	    -1);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(rule_parse_list("  ", rs, 4, &n, &err), -1);
	assert_err_contains(err, "empty rule");
	n = 4;
	assert_int_equal(rule_parse_list("ipv6prefix=2001:db8::/40,"
	    "ipv4prefix=192.0.2.0/24,ealen=16", rs, 4, &n, &err), -1);
	assert_err_contains(err, "more than 4 rules");
}

struct bad_rule {
	const char *text;
	const char *says;
};

static void
test_rejects(void **state)
{
	static const struct bad_rule bad[] = {
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=49",
		    "ealen \"49\" is not a number in 0-48" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=30",
		    "40 + ea_len 30 = 70 exceeds 64" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/8,ealen=24",
		    "bits set past /8" },
		{ "ipv6prefix=2001::/16,ipv4prefix=0.0.0.0/0,ealen=48",
		    "psid offset 6 + psidlen 16 exceed 16" },
		{ "ipv6prefix=2001::/16,ipv4prefix=10.0.0.0/8,ealen=48",
		    "PSID of 24 bits, more than 16" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "psidlen=7", "psidlen 7 disagrees" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "psidlen=17", "psidlen \"17\" is not a number in 0-16" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "offset=16", "offset \"16\" is not a number in 0-15" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "offset=9", "psid offset 9 + psidlen 8 exceed 16" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "psid=256", "provisioned but the EA bits" },
		{ "ipv6prefix=2001:db8::/56,ipv4prefix=192.0.2.1/32,ealen=0,"
		    "psidlen=8", "without a PSID" },
		{ "ipv6prefix=2001:db8::/56,ipv4prefix=192.0.2.1/32,ealen=0,"
		    "psidlen=8,psid=13313", "bits set past psidlen 8" },
		{ "ipv6prefix=2001:db8::/56,ipv4prefix=192.0.2.1/32,ealen=0,"
		    "psid=5", "psid 5 with psidlen 0" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=10.0.0.0/8,ealen=16,"
		    "psidlen=4", "cannot share ports" },
		{ "ipv6prefix=2001:db8::/40,prefix6len=48,ipv4prefix=192.0.2.0/24,"
		    "ealen=16", "ipv6prefix /40 disagrees with prefix6len=48" },
		{ "ipv6prefix=2001:db8::,ipv4prefix=192.0.2.0/24,ealen=16",
		    "ipv6prefix has no length" },
		{ "ipv6prefix=2001:db8::/40,ealen=16", "needs ipv6prefix= and "
		    "ipv4prefix=" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24",
		    "needs ealen=" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "ealen=16", "given twice" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "colour=red", "unknown key \"colour\"" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "type=map-t", "type \"map-t\" is not supported" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "br=2001:db8::g", "br: \"2001:db8::g\" is not an IPv6" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=",
		    "key \"ealen\" needs a value" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=-1",
		    "ealen \"-1\"" },
		{ "ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,ealen=16,"
		    "fmr=2", "fmr=\"2\" is not 0 or 1" },
		{ "type=lw4o6,ipv6prefix=2001:db8::/48,ipv4prefix=192.0.2.0/24",
		    "lw4o6 binding has one IPv4 address" },
		{ "ipv6prefix=2001:db8::/80,ipv4prefix=192.0.2.0/32,ealen=0",
		    "prefix6len 80 + ea_len 0 = 80 exceeds 64" },
	};
	struct map_rule r;
	struct sw_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		if (rule_parse(bad[i].text, &r, &err) != -1)
			fail_msg("accepted \"%s\"", bad[i].text);
		assert_err_contains(err, bad[i].says);
		/* Every message quotes the rule it refuses. */
		assert_err_contains(err, "in rule \"");
	}
}

static void
test_too_long(void **state)
{
	char big[RULE_TEXT_MAX + 10];
	struct map_rule r;
	struct sw_err err;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(rule_parse(big, &r, &err), -1);
	assert_err_contains(err, "longer than");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_rule),
		cmocka_unit_test(test_defaults_and_shorthand),
		cmocka_unit_test(test_rule_list),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
