/* SPDX-License-Identifier: GPL-2.0-or-later */
/* DS-Lite's AFTR name: flags, services and DHCPv6 option 64 (RFC 6334). */
#include "helpers.h"

#include "core/aftr.h"
#include "core/nd.h"
#include "core/s46.h"

static void
name_ok(const char *s, const char *want)
{
	char out[AFTR_NAME_MAX];
	struct sw_err err;

	if (aftr_name_check(s, out, &err) == -1)
		fail_msg("\"%s\": %s", s, err.msg);
	assert_string_equal(out, want);
}

static void
name_bad(const char *s)
{
	char out[AFTR_NAME_MAX];
	struct sw_err err;

	if (aftr_name_check(s, out, &err) == 0)
		fail_msg("accepted \"%s\"", s);
	assert_true(err.input);
	assert_err_contains(err, "is not a host name");
}

static void
test_name_check(void **state)
{
	char long_label[80], long_name[300];
	size_t i;

	(void)state;
	name_ok("gw.transix.jp", "gw.transix.jp");
	name_ok("gw.transix.jp.", "gw.transix.jp");
	name_ok("dslite.v6connect.net", "dslite.v6connect.net");
	name_ok("a-1.B2.example", "a-1.B2.example");
	name_bad("");
	name_bad(".");
	name_bad("localhost");		/* one label */
	name_bad("gw..transix.jp");
	name_bad("-gw.transix.jp");
	name_bad("gw-.transix.jp");
	name_bad("gw.transix.jp..");
	name_bad("gw_1.transix.jp");
	name_bad("gw.transix.jp/");
	name_bad("2001:db8::1");
	name_bad("g\xc3\xa9.example");
	memset(long_label, 'a', 64);
	memcpy(long_label + 64, ".jp", 4);
	name_bad(long_label);		/* a 64-character label */
	for (i = 0; i < 127; i++)
		memcpy(long_name + 2 * i, "a.", 2);
	memcpy(long_name + 254, "jp", 3);	/* 256 characters */
	name_bad(long_name);
}

static void
test_services(void **state)
{
	(void)state;
	assert_string_equal(aftr_service_name("transix"), "gw.transix.jp");
	assert_string_equal(aftr_service_name("xpass"), "dgw.xpass.jp");
	assert_string_equal(aftr_service_name("v6connect"),
	    "dslite.v6connect.net");
	assert_null(aftr_service_name("v6plus"));
	assert_null(aftr_service_name("Transix"));
}

/* Hex into bytes, then option 64 into a name (or an error). */
static int
opt64(const char *hex, char out[AFTR_NAME_MAX], struct sw_err *err)
{
	uint8_t buf[600];
	size_t len;

	if (hex_decode(hex, buf, sizeof(buf), &len, err) == -1)
		fail_msg("%s", err->msg);
	return aftr_option_parse(buf, len, out, err);
}

static void
test_option(void **state)
{
	char out[AFTR_NAME_MAX];
	struct sw_err err;

	(void)state;
	/* gw.transix.jp: 2 "gw" 7 "transix" 2 "jp" 0 */
	assert_int_equal(opt64("026777077472616e736978026a7000", out, &err),
	    0);
	assert_string_equal(out, "gw.transix.jp");
	/* The whole option, as a DHCPv6 client hands it over. */
	assert_int_equal(opt64("0040000f026777077472616e736978026a7000", out,
	    &err), 0);
	assert_string_equal(out, "gw.transix.jp");
}

static void
option_bad(const char *hex, const char *says)
{
	char out[AFTR_NAME_MAX];
	struct sw_err err;

	if (opt64(hex, out, &err) == 0)
		fail_msg("accepted %s as \"%s\"", hex, out);
	assert_true(err.input);
	assert_err_contains(err, says);
}

static void
test_option_bad(void **state)
{
	(void)state;
	option_bad("00", "is not a host name");		/* the root alone */
	option_bad("0040", "option 64 says 0 bytes");
	option_bad("0040000e026777077472616e736978026a7000", "says 14 bytes");
	option_bad("026777077472616e736978026a70", "without its root label");
	option_bad("02677707", "runs past the end");
	option_bad("c00c", "at most 63");		/* a compression pointer */
	option_bad("026777077472616e736978026a700000", "the name ends at byte 15 of 16");
	option_bad("0267000474657374026a7000", "label at byte 0");
	option_bad("02675f077472616e736978026a7000", "label at byte 0");
	/* A dot inside a label would read as two. */
	option_bad("0267770774722e6e736978026a7000", "label at byte 3");
	option_bad("026a7000", "is not a host name");	/* one label */
}

static int
rdnss(const char *hex, struct nd_rdnss *out, size_t max)
{
	uint8_t buf[256];
	struct sw_err err;
	size_t len;

	if (hex_decode(hex, buf, sizeof(buf), &len, &err) == -1)
		fail_msg("%s", err.msg);
	return nd_rdnss_parse(buf, len, out, max);
}

/* Router Advertisement options as the kernel passes them on. */
static void
test_rdnss(void **state)
{
	struct nd_rdnss r[4];
	struct in6_addr a = a6("2001:db8:53::1"), b = a6("2001:db8:53::2");

	(void)state;
	/* A source link-layer option, then RDNSS (length 5: two servers,
	 * lifetime 300), then a prefix information option's worth of
	 * another type. */
	assert_int_equal(rdnss("0101020000000001"
	    "1905000000000128" "20010db8005300000000000000000001"
	    "20010db8005300000000000000000002", r, 4), 2);
	assert_memory_equal(&r[0].addr, &a, 16);
	assert_memory_equal(&r[1].addr, &b, 16);
	assert_int_equal(r[0].lifetime, 296);
	/* Only as many as asked for. */
	assert_int_equal(rdnss("1905000000000128"
	    "20010db8005300000000000000000001"
	    "20010db8005300000000000000000002", r, 1), 1);
	/* No RDNSS: none. */
	assert_int_equal(rdnss("0101020000000001", r, 4), 0);
	/* Even lengths are no RDNSS (RFC 8106: 3 + 2 n): skipped. */
	assert_int_equal(rdnss("1904000000000128"
	    "20010db8005300000000000000000001" "0000000000000000", r, 4), 0);
	/* A zero length, one past the end, a torn header: all refused. */
	assert_int_equal(rdnss("1900000000000128", r, 4), -1);
	assert_int_equal(rdnss("1904000000000128"
	    "20010db8005300000000000000000001", r, 4), -1);
	assert_int_equal(rdnss("0101020000000001" "19", r, 4), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_check),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_option),
		cmocka_unit_test(test_option_bad),
		cmocka_unit_test(test_rdnss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
