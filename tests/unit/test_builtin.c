/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The generated built-in table against the facts of data/jp-map-e.README.md. */
#include <stdlib.h>

#include "core/builtin.h"
#include "helpers.h"

static struct map_rule *
load(size_t *n)
{
	struct map_rule *rs;
	size_t i;

	*n = builtin_count();
	rs = calloc(*n, sizeof(*rs));
	assert_non_null(rs);
	for (i = 0; i < *n; i++)
		builtin_get(i, &rs[i]);
	return rs;
}

static void
test_counts(void **state)
{
	size_t n, i, per[SVC_COUNT] = { 0 };
	struct map_rule *rs = load(&n);

	(void)state;
	/* 696 rows (the data README says 690), 2 misaligned NURO rows
	 * skipped. */
	assert_int_equal(n, 694);
	for (i = 0; i < n; i++) {
		int s = service_lookup(rs[i].service);

		assert_int_not_equal(s, -1);
		per[s]++;
	}
	assert_int_equal(per[SVC_V6PLUS], 4);
	assert_int_equal(per[SVC_BIGLOBE], 258);
	assert_int_equal(per[SVC_OCN], 428);
	assert_int_equal(per[SVC_NURO], 4);
	free(rs);
}

static void
test_every_rule(void **state)
{
	size_t n, i;
	struct map_rule *rs = load(&n);
	struct sw_err err;
	char br[ADDR6_STRLEN];

	(void)state;
	for (i = 0; i < n; i++) {
		const struct map_rule *r = &rs[i];
		struct portset ps = { r->psid_offset, r->psid_len, 0 };
		bool ocn = strcmp(r->service, "ocn") == 0;

		if (rule_check(r, &err) == -1)
			fail_msg("%s", err.msg);
		assert_int_equal(r->prefix6.len + r->ea_len, 56);
		assert_int_equal(r->iid, IID_DRAFT);
		assert_true(r->has_br);
		assert_int_equal(r->psid_offset, ocn ? 6 : 4);
		assert_int_equal(r->psid_len, ocn ? 6 : 8);
		assert_int_equal(portset_count(&ps), ocn ? 1008 : 240);
		assert_int_equal(r->unverified,
		    strcmp(r->service, "nuro") == 0);
		addr6_format(&r->br, br);
		if (strcmp(r->service, "biglobe") == 0) {
			/* 2404:7a80-7a83 -> :275, 2404:7a84-7a87 -> :276 */
			unsigned w = (unsigned)bits6_get(&r->prefix6.addr, 16,
			    16);

			assert_true(w >= 0x7a80 && w <= 0x7a87);
			assert_string_equal(br, w < 0x7a84 ?
			    "2001:260:700:1::1:275" : "2001:260:700:1::1:276");
		} else if (strcmp(r->service, "v6plus") == 0) {
			assert_string_equal(br, "2404:9200:225:100::64");
		} else if (ocn) {
			assert_string_equal(br, "2001:380:a120::9");
		} else {
			assert_string_equal(br, "2001:3b8:200:ff9::1");
		}
	}
	free(rs);
}

/* No rule inside another, on either side: both lookups are unambiguous. */
static void
test_no_overlap(void **state)
{
	size_t n, i, j;
	struct map_rule *rs = load(&n);

	(void)state;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (i == j)
				continue;
			if (rs[i].prefix6.len <= rs[j].prefix6.len &&
			    prefix6_contains(&rs[i].prefix6,
			    &rs[j].prefix6.addr))
				fail_msg("IPv6 rule %zu holds rule %zu", i, j);
			if (rs[i].prefix4.len <= rs[j].prefix4.len &&
			    prefix4_contains(&rs[i].prefix4,
			    rs[j].prefix4.addr))
				fail_msg("IPv4 rule %zu holds rule %zu", i, j);
		}
	}
	free(rs);
}

static void
test_services(void **state)
{
	(void)state;
	assert_int_equal(service_lookup("v6plus"), SVC_V6PLUS);
	assert_int_equal(service_lookup("nuro"), SVC_NURO);
	assert_int_equal(service_lookup("transix"), -1);
	assert_string_equal(service_title(SVC_OCN), "OCN Virtual Connect");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_every_rule),
		cmocka_unit_test(test_no_overlap),
		cmocka_unit_test(test_services),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
