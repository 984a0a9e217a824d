/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The state file softwire up writes and softwire down reads. */
#include <stdio.h>

#include "helpers.h"

#include "core/state.h"

#define GOOD \
	"# a comment\n" \
	"tunnel sw0\n" \
	"wan eth0\n" \
	"prefix 2001:db8:12:3400::/56\n" \
	"\n" \
	"ce 2001:db8:12:3400:c0:2:1200:0\n" \
	"ce-added yes\n" \
	"ipv4 192.0.2.18/32\n" \
	"ports 4 8 52\n" \
	"nft-hash 00c0ffee12345678\n" \
	"route 0200000004000000\n"

static void
test_state_good(void **state)
{
	struct in6_addr ce = a6("2001:db8:12:3400:c0:2:1200:0");
	struct sw_state st;
	struct sw_err err;

	(void)state;
	assert_int_equal(state_parse(GOOD, &st, &err), 0);
	assert_int_equal(st.mode, SW_MODE_MAPE);	/* no "mode" line */
	assert_string_equal(st.tunnel, "sw0");
	assert_string_equal(st.wan, "eth0");
	assert_string_equal(st.wan_port, "");
	assert_int_equal(st.prefix.len, 56);
	assert_memory_equal(&st.ce, &ce, 16);
	assert_true(st.ce_added);
	assert_int_equal(st.ipv4.addr, a4("192.0.2.18"));
	assert_int_equal(st.ports.offset, 4);
	assert_int_equal(st.ports.psid_len, 8);
	assert_int_equal(st.ports.psid, 52);
	assert_true(st.nft_hash == 0x00c0ffee12345678ULL);
	assert_int_equal(st.nroutes, 1);
	assert_int_equal(st.route_len[0], 8);
	assert_int_equal(st.route[0][0], 2);
}

/* What state_format writes, state_parse reads back the same. */
static void
test_state_round_trip(void **state)
{
	char text[8192], again[8192];
	struct sw_state st, back;
	struct sw_err err;
	struct sbuf b;
	size_t i;

	(void)state;
	assert_int_equal(state_parse(GOOD, &st, &err), 0);
	memcpy(st.wan_port, "eth1", 5);
	st.ce_added = false;
	st.mode = SW_MODE_LW4O6;
	for (i = 1; i < STATE_ROUTES_MAX; i++) {
		st.route_len[i] = STATE_ROUTE_BYTES;
		memset(st.route[i], (int)i, STATE_ROUTE_BYTES);
	}
	st.nroutes = STATE_ROUTES_MAX;
	for (i = 0; i < STATE_LEFT_MAX; i++) {
		memcpy(st.left[i].wan, "eth0", 5);
		st.left[i].ce = a6("2001:db8:12:3500:c0:2:1200:100");
		st.left[i].ce_added = i % 2 == 0;
		st.left[i].ipv4 = (struct prefix4){ a4("192.0.2.19") +
		    (uint32_t)i, 32 };
		st.left[i].ports = (struct portset){ 4, 8, (uint16_t)i };
	}
	st.nleft = STATE_LEFT_MAX;
	sbuf_init(&b, text, sizeof(text));
	state_format(&st, &b);
	assert_false(b.overflow);
	memset(&back, 0xa5, sizeof(back));
	if (state_parse(text, &back, &err) == -1)
		fail_msg("%s", err.msg);
	sbuf_init(&b, again, sizeof(again));
	state_format(&back, &b);
	assert_string_equal(text, again);
	assert_string_equal(back.wan_port, "eth1");
	assert_int_equal(back.mode, SW_MODE_LW4O6);
	assert_non_null(strstr(text, "\nmode lw4o6\n"));
	assert_false(back.ce_added);
	assert_int_equal(back.nroutes, STATE_ROUTES_MAX);
	assert_memory_equal(back.route[7], st.route[7], STATE_ROUTE_BYTES);
	assert_int_equal(back.nleft, STATE_LEFT_MAX);
	assert_string_equal(back.left[3].wan, "eth0");
	assert_false(back.left[3].ce_added);
	assert_int_equal(back.left[3].ipv4.addr, a4("192.0.2.22"));
	assert_int_equal(back.left[3].ports.psid, 3);
}

/* Each required line, left out, is named. */
static void
test_state_missing(void **state)
{
	static const char *const keys[] = { "tunnel", "wan", "prefix", "ce",
	    "ce-added", "ipv4", "ports", "nft-hash" };
	char text[1024], *line, *end;
	struct sw_state st;
	struct sw_err err;
	char want[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(text, sizeof(text), "%s", GOOD);
		snprintf(want, sizeof(want), "\n%s ", keys[i]);
		line = strstr(text, want) + 1;
		end = strchr(line, '\n') + 1;
		memmove(line, end, strlen(end) + 1);
		assert_int_equal(state_parse(text, &st, &err), -1);
		snprintf(want, sizeof(want), "no \"%s\" line", keys[i]);
		assert_err_contains(err, want);
	}
	assert_int_equal(state_parse("", &st, &err), -1);
}

/* A bad line is refused, quoted, with its number. */
static void
test_state_bad(void **state)
{
	static const struct {
		const char *line, *says;
	} bad[] = {
		{ "tunnel sw 0", "line 12 \"tunnel sw 0\"" },
		{ "tunnel sw0", "line 12" },		/* twice */
		{ "wan-port \"x\"", "wan-port" },
		{ "ce 2001:db8::g", "ce 2001:db8::g" },
		{ "ce-added maybe", "ce-added maybe" },
		{ "ipv4 192.0.2.256/32", "192.0.2.256" },
		{ "ports 4 13 0", "ports 4 13 0" },	/* a + k > 16 */
		{ "ports 4 8 256", "ports 4 8 256" },	/* PSID beyond k */
		{ "ports 4 8", "ports 4 8" },
		{ "nft-hash 00112233445566778", "nft-hash" },
		{ "nft-hash", "nft-hash" },
		{ "route 0", "route 0" },
		{ "route zz", "not hex" },
		{ "color blue", "color blue" },
		{ "mode dslite", "mode dslite" },
		{ "mode", "line 12" },
		{ "tunnel", "line 12" },
		{ "left eth0 2001:db8::1 yes 192.0.2.18/32 4 8", "left" },
		{ "left eth0 2001:db8::1 perhaps 192.0.2.18/32 4 8 1", "left" },
		{ "left e\"0 2001:db8::1 no 192.0.2.18/32 4 8 1", "left" },
		{ "left eth0 2001:db8::1 no 192.0.2.18/33 4 8 1", "left" },
	};
	char text[1024];
	struct sw_state st;
	struct sw_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s%s\n", GOOD, bad[i].line);
		if (state_parse(text, &st, &err) == 0)
			fail_msg("accepted \"%s\"", bad[i].line);
		assert_err_contains(err, bad[i].says);
	}
	/* One route more than the state keeps. */
	snprintf(text, sizeof(text), "%s", GOOD);
	for (i = 1; i <= STATE_ROUTES_MAX; i++)
		strcat(text, "route 00\n");
	assert_int_equal(state_parse(text, &st, &err), -1);
	assert_err_contains(err, "route 00");
	/* One leftover more than the state keeps. */
	snprintf(text, sizeof(text), "%s", GOOD);
	for (i = 0; i <= STATE_LEFT_MAX; i++)
		strcat(text, "left eth0 2001:db8::1 no 192.0.2.18/32 4 8 1\n");
	assert_int_equal(state_parse(text, &st, &err), -1);
	assert_err_contains(err, "left eth0");
}

static void
test_state_hash(void **state)
{
	(void)state;
	/* FNV-1a 64 reference values. */
	assert_true(state_hash("") == 0xcbf29ce484222325ULL);
	assert_true(state_hash("a") == 0xaf63dc4c8601ec8cULL);
	assert_true(state_hash("table ip softwire {}") !=
	    state_hash("table ip softwire { }"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_good),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_missing),
		cmocka_unit_test(test_state_bad),
		cmocka_unit_test(test_state_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
