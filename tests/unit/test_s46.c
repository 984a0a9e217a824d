/* SPDX-License-Identifier: GPL-2.0-or-later */
/* RFC 7598 options 94 and 96, given as hex. */
#include "core/s46.h"
#include "helpers.h"

/* RFC 7597 example 1 as option 94: rule 89 with port params 93, BR 90. */
#define MAPE_EX1 "005e002d" "00590015" "001018c0000200282001" "0db800" \
	"005d0004" "06080000" "005a0010" "20010db8ffff00000000000000000001"
/* A v6plus-shaped rule with the F flag and no option 93. */
#define MAPE_FMR "005e0024" "0059000c" "01190f0e0800001f240b0012" \
	"005a0010" "24049200022501000000000000000064"
/* lw4o6: binding 198.51.100.7, 2001:db8:12:3400::/56, PSID 1 of 6 bits. */
#define LW_BIND "0060002c" "005c0014" "c63364073820010db8001234" \
	"005d0004" "00060400" "005a0010" "20010db8ffff00000000000000000002"

static int
parse_hex(const char *hex, bool lw, struct map_rule *rules, size_t max,
    size_t *n, struct sw_err *err)
{
	uint8_t buf[S46_HEX_MAX];
	size_t len;

	if (hex_decode(hex, buf, sizeof(buf), &len, err) == -1)
		return -1;
	return lw ? s46_parse_lw(buf, len, rules, max, n, err) :
	    s46_parse_mape(buf, len, rules, max, n, err);
}

static void
test_mape_example1(void **state)
{
	struct map_rule rs[4];
	struct map_result m;
	struct prefix6 in = p6("2001:db8:12:3400::/56");
	struct sw_err err;
	size_t n = 0;

	(void)state;
	if (parse_hex(MAPE_EX1, false, rs, 4, &n, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(n, 1);
	assert_int_equal(rs[0].prefix6.len, 40);
	assert_int_equal(rs[0].prefix4.addr, a4("192.0.2.0"));
	assert_int_equal(rs[0].psid_offset, 6);
	assert_int_equal(rs[0].psid_len, 8);
	assert_false(rs[0].fmr);
	assert_addr6_equal(rs[0].br, "2001:db8:ffff::1");
	assert_int_equal(map_compute(&rs[0], &in, &m, &err), 0);
	assert_addr6_equal(m.ce, "2001:db8:12:3400:0:c000:212:34");

	/* The contents alone (no 94 header) and dhcpcd's colons work too. */
	n = 0;
	assert_int_equal(parse_hex(MAPE_EX1 + 8, false, rs, 4, &n, &err), 0);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(parse_hex("00:5e:00:2d:00:59:00:15:00:10:18:c0:00:02:"
	    "00:28:20:01:0d:b8:00:00:5d:00:04:06:08:00:00:00:5a:00:10:20:01:"
	    "0d:b8:ff:ff:00:00:00:00:00:00:00:00:00:01", false, rs, 4, &n,
	    &err), 0);
	assert_int_equal(rs[0].psid_len, 8);
}

static void
test_mape_fmr_defaults(void **state)
{
	struct map_rule rs[2];
	struct sw_err err;
	size_t n = 0;

	(void)state;
	assert_int_equal(parse_hex(MAPE_FMR, false, rs, 2, &n, &err), 0);
	assert_true(rs[0].fmr);
	assert_int_equal(rs[0].ea_len, 25);
	assert_int_equal(rs[0].psid_offset, 6);	/* no 93: RFC default */
	assert_int_equal(rs[0].psid_len, 8);
	assert_int_equal(rs[0].iid, IID_RFC);
}

static void
test_lw4o6(void **state)
{
	struct map_rule rs[2];
	struct map_result m;
	struct prefix6 in = p6("2001:db8:12:3400::/56");
	struct sw_err err;
	size_t n = 0;

	(void)state;
	if (parse_hex(LW_BIND, true, rs, 2, &n, &err) == -1)
		fail_msg("%s", err.msg);
	assert_int_equal(rs[0].type, RULE_LW4O6);
	assert_int_equal(rs[0].psid, 1);
	assert_int_equal(rs[0].psid_len, 6);
	assert_int_equal(rs[0].psid_offset, 0);
	assert_int_equal(map_compute(&rs[0], &in, &m, &err), 0);
	assert_int_equal(portset_count(&m.ports), 1024);
	assert_addr6_equal(m.ce, "2001:db8:12:3400:0:c633:6407:1");
	/* Option 96 given to the MAP-E parser is named as such. */
	n = 0;
	assert_int_equal(parse_hex(LW_BIND, false, rs, 2, &n, &err), -1);
	assert_err_contains(err, "this is option 96 (lw4o6), not option 94");
}

struct bad_opt {
	const char *hex;
	bool lw;
	const char *says;
};

static void
test_rejects(void **state)
{
	static const struct bad_opt bad[] = {
		{ "", false, "empty hex" },
		{ "005", false, "bad digit at character 4" },
		{ "zz", false, "not hex" },
		{ "005e", false, "option 94 says 0 bytes but 0 follow" },
		{ "005e00ff0059", false, "option 94 says 255 bytes but 2" },
		{ "005e0002", false, "option 94 says 2 bytes but 0 follow" },
		{ "0059", false, "truncated option header at byte 0" },
		{ "00590030001018c0", false, "says 48 bytes but only 4" },
		{ "005900030010180", false, "not hex" },
		{ "005900030010180" "0" "005a0010" "20010db8ffff00000000000000000001",
		    false, "want at least 8" },
		/* ea-len 49 */
		{ "0059000d003118c0000200282001" "0db800"
		  "005a001020010db8ffff00000000000000000001", false,
		  "ea-len 49 (0-48)" },
		/* prefix4-len 33 */
		{ "0059000d001021c0000200282001" "0db800"
		  "005a001020010db8ffff00000000000000000001", false,
		  "prefix4-len 33 (0-32) out of range" },
		/* prefix6-len 129 */
		{ "00590008001018c000020081"
		  "005a001020010db8ffff00000000000000000001", false,
		  "prefix6-len 129 out of range" },
		/* prefix6-len 40 but two prefix bytes */
		{ "0059000a001018c0000200282001"
		  "005a001020010db8ffff00000000000000000001", false,
		  "truncated ipv6-prefix (prefix6-len 40 needs 5 bytes, 2 left)" },
		/* no BR */
		{ "0059000d001018c0000200282001" "0db800", false,
		  "found 1 and 0" },
		/* BR of 15 bytes */
		{ "0059000d001018c0000200282001" "0db800"
		  "005a000f20010db8ffff000000000000000000", false,
		  "option 90 at byte 17 has 15 bytes, want 16" },
		/* option 93 of 3 bytes */
		{ "00590014001018c0000200282001" "0db800" "005d0003060800"
		  "005a001020010db8ffff00000000000000000001", false,
		  "option 93 at byte 17 has 3 bytes, want 4" },
		/* option 93 PSID-len 7 against ea-len 16 / prefix4-len 24 */
		{ "00590015001018c0000200282001" "0db800" "005d000406070000"
		  "005a001020010db8ffff00000000000000000001", false,
		  "psidlen 7 disagrees" },
		/* option 93 offset 16 */
		{ "00590015001018c0000200282001" "0db800" "005d000410080000"
		  "005a001020010db8ffff00000000000000000001", false,
		  "offset 16 (0-15)" },
		/* two option 93 */
		{ "0059001d001018c0000200282001" "0db800" "005d000406080000"
		  "005d000406080000"
		  "005a001020010db8ffff00000000000000000001", false,
		  "second option 93" },
		/* lw4o6: two bindings */
		{ "005c0005c633640700" "005c0005c633640800"
		  "005a001020010db8ffff00000000000000000002", true,
		  "exactly one option 92, found 2" },
		/* lw4o6: binding prefix longer than /64 */
		{ "005c000fc6336407" "50" "20010db8001234000000"
		  "005a001020010db8ffff00000000000000000002", true,
		  "exceeds 64" },
		/* lw4o6: PSID with bits past PSID-len */
		{ "005c0014c63364073820010db8001234" "005d000400060401"
		  "005a001020010db8ffff00000000000000000002", true,
		  "bits set past psidlen 6" },
	};
	struct map_rule rs[4];
	struct sw_err err;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 1;	/* an earlier rule stays; nothing is appended */
		err.msg[0] = '\0';
		if (parse_hex(bad[i].hex, bad[i].lw, rs, 4, &n, &err) != -1)
			fail_msg("accepted %s", bad[i].hex);
		assert_int_equal(n, 1);
		assert_err_contains(err, bad[i].says);
	}
}

static void
test_rule_capacity(void **state)
{
	struct map_rule rs[1];
	struct sw_err err;
	size_t n = 1;

	(void)state;
	assert_int_equal(parse_hex(MAPE_EX1, false, rs, 1, &n, &err), -1);
	assert_err_contains(err, "more than 1 rules");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mape_example1),
		cmocka_unit_test(test_mape_fmr_defaults),
		cmocka_unit_test(test_lw4o6),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_rule_capacity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
