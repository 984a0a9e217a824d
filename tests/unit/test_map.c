/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mapping arithmetic: the published vectors (tests/vectors/public.tsv),
 * RFC 7597 Appendix A, and properties over every built-in rule and over
 * random rules.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/builtin.h"
#include "helpers.h"

#ifndef VECTORS
#error "VECTORS must name tests/vectors/public.tsv"
#endif

static struct map_rule *
builtin_all(size_t *n)
{
	struct map_rule *rules;
	size_t i;

	*n = builtin_count();
	rules = calloc(*n, sizeof(*rules));
	assert_non_null(rules);
	for (i = 0; i < *n; i++)
		builtin_get(i, &rules[i]);
	return rules;
}

static void
range_str(const struct portset *ps, unsigned i, char *buf, size_t len)
{
	uint16_t lo, hi;

	portset_range(ps, i, &lo, &hi);
	snprintf(buf, len, "%u-%u", lo, hi);
}

/* One row: input, rule, iid, ipv4, psid, psid_len, offset, first, last, ce, br */
static void
check_vector(char **f, const struct map_rule *builtin, size_t nbuiltin)
{
	struct map_rule r;
	struct map_result m;
	struct prefix6 in = p6(f[0]);
	struct sw_err err;
	char buf[PREFIX6_STRLEN];
	int i;

	if (strcmp(f[1], "builtin") == 0) {
		i = rules_select6(builtin, nbuiltin, &in);
		assert_int_not_equal(i, -1);
		r = builtin[i];
	} else {
		r = rule(f[1]);
	}
	if (strcmp(f[2], iid_layout_name(r.iid)) != 0)
		r.iid = strcmp(f[2], "draft") == 0 ? IID_DRAFT : IID_RFC;
	if (map_compute(&r, &in, &m, &err) == -1)
		fail_msg("%s: %s", f[0], err.msg);
	assert_string_equal(addr4_format(m.ipv4.addr, buf), f[3]);
	assert_int_equal(m.ipv4.len, 32);
	assert_int_equal(m.ports.psid_len, atoi(f[5]));
	if (strcmp(f[4], "-") == 0) {
		/* No PSID: no sharing, every port. */
		assert_int_equal(m.ports.psid_len, 0);
		assert_string_equal(f[6], "-");
		assert_int_equal(portset_count(&m.ports), 65536);
	} else {
		assert_int_equal(m.ports.psid, atoi(f[4]));
		assert_int_equal(m.ports.offset, atoi(f[6]));
		range_str(&m.ports, 0, buf, sizeof(buf));
		assert_string_equal(buf, f[7]);
		range_str(&m.ports, portset_nranges(&m.ports) - 1, buf,
		    sizeof(buf));
		assert_string_equal(buf, f[8]);
	}
	assert_string_equal(addr6_format(&m.ce, buf), f[9]);
	if (strcmp(f[10], "-") == 0)
		assert_false(r.has_br);
	else
		assert_string_equal(addr6_format(&r.br, buf), f[10]);
}

static void
test_public_vectors(void **state)
{
	FILE *fp = fopen(VECTORS, "r");
	size_t nbuiltin, rows = 0;
	struct map_rule *builtin = builtin_all(&nbuiltin);
	char line[1024];

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *f[11], *save = NULL, *t;
		int n = 0;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (t = strtok_r(line, "\t", &save); t != NULL && n < 11;
		    t = strtok_r(NULL, "\t", &save))
			f[n++] = t;
		assert_int_equal(n, 11);
		check_vector(f, builtin, nbuiltin);
		rows++;
	}
	fclose(fp);
	free(builtin);
	assert_int_equal(rows, 6);
}

/* RFC 7597 Appendix A, examples 1 (BMR, and its BR side) and 2 (FMR). */
static void
test_rfc7597_examples_1_2(void **state)
{
	struct map_rule r = rule("ipv6prefix=2001:db8::/40,"
	    "ipv4prefix=192.0.2.0/24,ealen=16,offset=6");
	struct prefix6 in = p6("2001:db8:0012:3400::/56");
	struct map_result m;
	struct sw_err err;
	struct in6_addr ce;
	uint16_t psid;

	(void)state;
	assert_int_equal(r.psid_len, 8);
	assert_int_equal(map_compute(&r, &in, &m, &err), 0);
	assert_int_equal(m.ipv4.addr, a4("192.0.2.18"));
	assert_int_equal(m.ports.psid, 0x34);
	assert_int_equal(portset_count(&m.ports), 252);
	assert_addr6_equal(m.ce, "2001:db8:12:3400:0:c000:212:34");
	assert_int_equal(m.nwarn, 0);

	/* 1.2.3.4:80 -> 192.0.2.18:1232 reaches the example-1 CE, and an FMR
	 * sends to the same address (example 2). */
	assert_int_equal(map_reverse(&r, a4("192.0.2.18"), 1232, &psid, &ce),
	    MAP_FOUND);
	assert_int_equal(psid, 0x34);
	assert_addr6_equal(ce, "2001:db8:12:3400:0:c000:212:34");
	assert_int_equal(map_reverse(&r, a4("192.0.2.18"), 80, &psid, &ce),
	    MAP_EXCLUDED_PORT);
	assert_int_equal(map_reverse(&r, a4("192.0.3.18"), 1232, &psid, &ce),
	    MAP_NOT_IN_RULE);
}

/* Examples 4 and 5: no EA bits; full address, then a provisioned PSID. */
static void
test_rfc7597_examples_4_5(void **state)
{
	struct map_rule r4 = rule("ipv6prefix=2001:db8:12:3400::/56,"
	    "ipv4prefix=192.0.2.18/32,ealen=0");
	struct map_rule r5 = rule("ipv6prefix=2001:db8:12:3400::/56,"
	    "ipv4prefix=192.0.2.18/32,ealen=0,psidlen=8,psid=13312,offset=6");
	struct prefix6 in = p6("2001:db8:0012:3400::/56");
	struct map_result m;
	struct sw_err err;
	struct in6_addr ce;
	uint16_t psid;

	(void)state;
	assert_int_equal(map_compute(&r4, &in, &m, &err), 0);
	assert_int_equal(m.ports.psid_len, 0);
	assert_int_equal(portset_count(&m.ports), 65536);
	assert_addr6_equal(m.ce, "2001:db8:12:3400:0:c000:212:0");
	assert_int_equal(map_reverse(&r4, a4("192.0.2.18"), 7, &psid, &ce),
	    MAP_FOUND);
	assert_addr6_equal(ce, "2001:db8:12:3400:0:c000:212:0");

	assert_int_equal(map_compute(&r5, &in, &m, &err), 0);
	assert_int_equal(m.ports.psid, 0x34);
	assert_addr6_equal(m.ce, "2001:db8:12:3400:0:c000:212:34");
	assert_int_equal(map_reverse(&r5, a4("192.0.2.18"), 1232, &psid, &ce),
	    MAP_FOUND);
	assert_addr6_equal(ce, "2001:db8:12:3400:0:c000:212:34");
	/* Port 1236 belongs to PSID 0x35, another CE's. */
	assert_int_equal(map_reverse(&r5, a4("192.0.2.18"), 1236, &psid, &ce),
	    MAP_OTHER_PSID);
}

/* o + r < 32: the CE gets an IPv4 prefix, no sharing (RFC 7597 §5.2). */
static void
test_ipv4_prefix_case(void **state)
{
	struct map_rule r = rule("ipv6prefix=2001:db8::/40,"
	    "ipv4prefix=10.0.0.0/8,ealen=16");
	struct prefix6 in = p6("2001:db8:12:3400::/56");
	struct map_result m;
	struct sw_err err;
	struct in6_addr ce;
	uint16_t psid;

	(void)state;
	assert_int_equal(map_compute(&r, &in, &m, &err), 0);
	assert_int_equal(m.ipv4.len, 24);
	assert_int_equal(m.ipv4.addr, a4("10.18.52.0"));
	assert_int_equal(portset_count(&m.ports), 65536);
	assert_addr6_equal(m.ce, "2001:db8:12:3400:0:a12:3400:0");
	/* Any address of the /24, any port, reaches the same CE. */
	assert_int_equal(map_reverse(&r, a4("10.18.52.77"), 22, &psid, &ce),
	    MAP_FOUND);
	assert_addr6_equal(ce, "2001:db8:12:3400:0:a12:3400:0");
}

static void
test_input_checks(void **state)
{
	struct map_rule r = rule("ipv6prefix=2001:db8::/40,"
	    "ipv4prefix=192.0.2.0/24,ealen=16,offset=6");
	struct map_result m;
	struct sw_err err;
	struct prefix6 in;

	(void)state;
	in = p6("2001:db8:12::/48");
	assert_int_equal(map_compute(&r, &in, &m, &err), -1);
	assert_err_contains(err, "needs a /56");
	in = p6("2001:db9::/56");
	assert_int_equal(map_compute(&r, &in, &m, &err), -1);
	assert_err_contains(err, "not inside rule");
	/* A /64 that is not subnet 0 maps, with a warning. */
	in = p6("2001:db8:12:3405::/64");
	assert_int_equal(map_compute(&r, &in, &m, &err), 0);
	assert_addr6_equal(m.ce, "2001:db8:12:3400:0:c000:212:34");
	assert_int_equal(m.nwarn, 1);
	assert_non_null(strstr(m.warn[0], "subnet 0x5"));
	/* An address on subnet 0 maps without one. */
	in = p6("2001:db8:12:3400::1");
	assert_int_equal(map_compute(&r, &in, &m, &err), 0);
	assert_int_equal(m.nwarn, 0);
}

static void
test_select_longest(void **state)
{
	struct map_rule rs[3];
	struct prefix6 in = p6("2001:db8:12:3400::/56");

	(void)state;
	rs[0] = rule("ipv6prefix=2001:db8::/32,ipv4prefix=10.0.0.0/8,ealen=24");
	rs[1] = rule("ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,"
	    "ealen=16");
	rs[2] = rule("ipv6prefix=2001:db9::/40,ipv4prefix=192.0.3.0/24,"
	    "ealen=16");
	assert_int_equal(rules_select6(rs, 3, &in), 1);
	in = p6("2001:db8:100::/56");
	assert_int_equal(rules_select6(rs, 3, &in), 0);
	in = p6("2001:dba::/56");
	assert_int_equal(rules_select6(rs, 3, &in), -1);
	/* A prefix shorter than the rule's is not covered by it. */
	in = p6("2001:db8::/36");
	assert_int_equal(rules_select6(rs, 3, &in), 0);
	assert_int_equal(rules_select4(rs, 3, a4("192.0.2.1")), 1);
	assert_int_equal(rules_select4(rs, 3, a4("10.1.1.1")), 0);
	assert_int_equal(rules_select4(rs, 3, a4("192.0.4.1")), -1);
}

/* The index answers as rules_select4() at and around every boundary. */
static void
check_index(const struct map_rule *rs, size_t n, uint64_t *seed)
{
	struct rule_iv *iv = calloc(RULE_INDEX_MAX(n), sizeof(*iv));
	size_t niv, i;
	int d;

	assert_non_null(iv);
	niv = rule_index(rs, n, iv);
	assert_true(niv >= 1 && niv <= RULE_INDEX_MAX(n));
	assert_int_equal(iv[0].lo, 0);
	for (i = 0; i < niv; i++) {
		if (i > 0) {
			assert_true(iv[i].lo > iv[i - 1].lo);
			assert_int_not_equal(iv[i].rule, iv[i - 1].rule);
		}
		for (d = -1; d <= 1; d++) {
			uint32_t a = iv[i].lo + (uint32_t)d;

			assert_int_equal(rule_index_find(iv, niv, a),
			    rules_select4(rs, n, a));
		}
	}
	for (i = 0; i < 20000; i++) {
		uint32_t a = (uint32_t)rng_next(seed);

		assert_int_equal(rule_index_find(iv, niv, a),
		    rules_select4(rs, n, a));
	}
	for (i = 0; i < n; i++) {	/* inside every rule, at both ends */
		const struct prefix4 *p = &rs[i].prefix4;
		uint32_t last = p->addr | ~mask4(p->len);

		assert_int_equal(rule_index_find(iv, niv, p->addr),
		    rules_select4(rs, n, p->addr));
		assert_int_equal(rule_index_find(iv, niv, last),
		    rules_select4(rs, n, last));
	}
	free(iv);
}

static void
test_rule_index(void **state)
{
	struct map_rule rs[6], *all;
	uint64_t seed = 0x1d3a;
	size_t n;

	(void)state;
	all = builtin_all(&n);
	check_index(all, n, &seed);
	free(all);
	/* Nested, equal and adjacent prefixes; the whole space; none. */
	rs[0] = rule("ipv6prefix=2001:db8::/32,ipv4prefix=10.0.0.0/8,ealen=24");
	rs[1] = rule("ipv6prefix=2001:db9::/40,ipv4prefix=10.1.0.0/16,"
	    "ealen=16");
	rs[2] = rule("ipv6prefix=2001:dba::/40,ipv4prefix=10.1.0.0/16,"
	    "ealen=16");
	rs[3] = rule("ipv6prefix=2001:dbb::/40,ipv4prefix=10.1.2.0/24,"
	    "ealen=8");
	rs[4] = rule("ipv6prefix=2001:dbc::/40,ipv4prefix=11.0.0.0/8,ealen=24");
	rs[5] = rule("ipv6prefix=2001:dbd::/40,ipv4prefix=255.255.255.0/24,"
	    "ealen=8");
	check_index(rs, 6, &seed);
	check_index(rs, 0, &seed);
	assert_int_equal(rule_index_find(NULL, 0, 1), -1);
	rs[0] = rule("ipv6prefix=2001:db8::/32,ipv4prefix=0.0.0.0/0,ealen=32");
	check_index(rs, 2, &seed);
}

static void
check_port_maps_back(const struct map_result *m, uint16_t port)
{
	struct in6_addr ce;
	uint16_t psid;

	assert_true(portset_contains(&m->ports, port));
	assert_int_equal(map_reverse(&m->rule, m->ipv4.addr, port, &psid, &ce),
	    MAP_FOUND);
	assert_int_equal(psid, m->ports.psid);
	assert_memory_equal(&ce, &m->ce, sizeof(ce));
}

/*
 * The port-set properties of one mapping: the count formula, ascending
 * disjoint ranges, nothing in the A = 0 block, and every port of the set
 * (or a sample of a large set) mapping back to the same PSID and CE.
 */
static void
check_mapping(const struct map_result *m, uint64_t *rng)
{
	const struct portset *ps = &m->ports;
	const struct map_rule *r = &m->rule;
	unsigned a = ps->offset, k = ps->psid_len, m_bits = 16 - a - k;
	unsigned i, n = portset_nranges(ps);
	uint32_t total = 0, expect;
	int prev_hi = -1;

	if (k == 0)
		expect = 65536;
	else if (a == 0)
		expect = 1u << (16 - k);
	else
		expect = ((1u << a) - 1) << m_bits;
	assert_int_equal(portset_count(ps), expect);
	for (i = 0; i < n; i++) {
		uint16_t lo, hi;

		portset_range(ps, i, &lo, &hi);
		assert_true((int)lo > prev_hi);
		assert_true(lo <= hi);
		if (k > 0 && a > 0)
			assert_true(lo >= 1u << (16 - a));
		total += (uint32_t)hi - lo + 1;
		prev_hi = hi;
	}
	assert_int_equal(total, expect);
	if (k == 0)
		return;
	if (expect <= 4096) {		/* all of a small set */
		for (i = 0; i < n; i++) {
			uint16_t lo, hi;
			uint32_t port;

			portset_range(ps, i, &lo, &hi);
			for (port = lo; port <= hi; port++)
				check_port_maps_back(m, (uint16_t)port);
		}
	} else {			/* a sample of a large one */
		for (i = 0; i < 512; i++) {
			uint16_t lo, hi;

			portset_range(ps, (unsigned)(rng_next(rng) % n), &lo, &hi);
			check_port_maps_back(m, (uint16_t)(lo + rng_next(rng) %
			    ((uint32_t)hi - lo + 1)));
		}
	}
	/* Ports outside the set belong to nobody here or to another CE. */
	for (i = 0; i < 256; i++) {
		uint16_t port = (uint16_t)rng_next(rng), psid;
		struct in6_addr ce;
		enum map_lookup got;

		if (portset_contains(ps, port))
			continue;
		got = map_reverse(r, m->ipv4.addr, port, &psid, &ce);
		if (got == MAP_FOUND) {
			assert_int_not_equal(psid, ps->psid);
			assert_memory_not_equal(&ce, &m->ce, sizeof(ce));
		} else {
			assert_true(got == MAP_EXCLUDED_PORT ||
			    got == MAP_OTHER_PSID);
		}
	}
}

/* Every PSID's set, together: disjoint, covering all but the A = 0 block. */
static void
check_psids_disjoint(unsigned a, unsigned k)
{
	static uint8_t seen[65536];
	struct portset ps = { (uint8_t)a, (uint8_t)k, 0 };
	uint32_t psid, port, covered = 0;

	memset(seen, 0, sizeof(seen));
	for (psid = 0; psid < (1u << k); psid++) {
		unsigned i, n;

		ps.psid = (uint16_t)psid;
		n = portset_nranges(&ps);
		for (i = 0; i < n; i++) {
			uint16_t lo, hi;

			portset_range(&ps, i, &lo, &hi);
			for (port = lo; port <= hi; port++) {
				assert_int_equal(seen[port], 0);
				seen[port] = 1;
				covered++;
			}
		}
	}
	for (port = 0; port < 65536; port++)
		assert_int_equal(seen[port], port_psid(a, k, (uint16_t)port) >= 0);
	assert_int_equal(covered, a == 0 ? 65536u : 65536u - (1u << (16 - a)));
}

static void
test_builtin_properties(void **state)
{
	size_t n, i, j;
	struct map_rule *rules = builtin_all(&n);
	uint64_t rng = 0x5eed5eed12345678ull;
	struct map_result m;
	struct sw_err err;

	(void)state;
	for (i = 0; i < n; i++) {
		const struct map_rule *r = &rules[i];

		for (j = 0; j < 8; j++) {
			struct prefix6 in = r->prefix6;
			int sel;

			/* EA bits, subnet and interface ID at random. */
			bits6_set(&in.addr, r->prefix6.len, 64 - r->prefix6.len,
			    rng_next(&rng));
			bits6_set(&in.addr, 64, 64, rng_next(&rng));
			in.len = (j % 2) ? 128 : r->prefix6.len + r->ea_len;
			sel = rules_select6(rules, n, &in);
			assert_int_equal(sel, (int)i);
			if (map_compute(r, &in, &m, &err) == -1)
				fail_msg("%s", err.msg);
			assert_true(prefix4_contains(&r->prefix4, m.ipv4.addr));
			check_mapping(&m, &rng);
		}
		check_psids_disjoint(r->psid_offset, r->psid_len);
	}
	free(rules);
}

/* Random valid rules, a = 0 and k = 0 included. */
static void
test_random_rule_properties(void **state)
{
	uint64_t rng = 0x0123456789abcdefull;
	unsigned tried = 0, kept = 0, shapes[3] = { 0 };

	(void)state;
	while (kept < 3000) {
		struct map_rule r;
		struct map_result m;
		struct prefix6 in;
		struct sw_err err;
		unsigned k;

		tried++;
		memset(&r, 0, sizeof(r));
		r.prefix6.len = (unsigned)(rng_next(&rng) % 65);
		r.ea_len = (uint8_t)(rng_next(&rng) % (65 - r.prefix6.len));
		if (r.ea_len > MAP_EA_MAX)
			continue;
		r.prefix4.len = (unsigned)(rng_next(&rng) % 33);
		r.psid_offset = (uint8_t)(rng_next(&rng) % 16);
		k = r.ea_len + r.prefix4.len > 32 ?
		    r.ea_len + r.prefix4.len - 32 : 0;
		if (k > 16 || (k > 0 && r.psid_offset + k > 16))
			continue;
		r.psid_len = (uint8_t)k;
		bits6_set(&r.prefix6.addr, 0, r.prefix6.len > 64 ? 64 :
		    r.prefix6.len, rng_next(&rng));
		r.prefix4.addr = (uint32_t)rng_next(&rng) & mask4(r.prefix4.len);
		r.iid = (rng_next(&rng) & 1) ? IID_DRAFT : IID_RFC;
		if (rule_check(&r, &err) == -1)
			fail_msg("%s", err.msg);
		in = r.prefix6;
		bits6_set(&in.addr, r.prefix6.len, 64 - r.prefix6.len,
		    rng_next(&rng));
		in.len = 128;
		assert_int_equal(map_compute(&r, &in, &m, &err), 0);
		check_mapping(&m, &rng);
		shapes[k == 0 ? 0 : r.psid_offset == 0 ? 1 : 2]++;
		kept++;
	}
	/* The generator reached every shape: no sharing, a = 0, a > 0. */
	assert_true(shapes[0] > 100 && shapes[1] > 10 && shapes[2] > 100);
	print_message("random rules: %u tried, %u checked\n", tried, kept);
}

static void
test_psid_disjoint_shapes(void **state)
{
	(void)state;
	check_psids_disjoint(0, 8);
	check_psids_disjoint(0, 16);
	check_psids_disjoint(6, 8);
	check_psids_disjoint(4, 12);
	check_psids_disjoint(15, 1);
	check_psids_disjoint(1, 15);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_vectors),
		cmocka_unit_test(test_rfc7597_examples_1_2),
		cmocka_unit_test(test_rfc7597_examples_4_5),
		cmocka_unit_test(test_ipv4_prefix_case),
		cmocka_unit_test(test_input_checks),
		cmocka_unit_test(test_select_longest),
		cmocka_unit_test(test_builtin_properties),
		cmocka_unit_test(test_random_rule_properties),
		cmocka_unit_test(test_psid_disjoint_shapes),
		cmocka_unit_test(test_rule_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
