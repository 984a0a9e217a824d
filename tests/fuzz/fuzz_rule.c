/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The explicit rule syntax.  Invariants: a refusal says why and appends
 * nothing; every accepted rule passes rule_check() and maps a prefix inside
 * it with a port set whose ports map back to the same CE.
 */
#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "core/rule.h"

static void
exercise(const struct map_rule *r)
{
	struct map_result m;
	struct prefix6 in = r->prefix6;
	struct sw_err err = { "" };
	struct in6_addr ce;
	uint16_t lo, hi, psid;

	if (rule_check(r, &err) == -1)
		abort();
	in.len = 128;
	bits6_set(&in.addr, r->prefix6.len, 64 - r->prefix6.len,
	    0x5a5a5a5a5a5a5a5aull);
	if (map_compute(r, &in, &m, &err) == -1)
		abort();
	portset_range(&m.ports, portset_nranges(&m.ports) - 1, &lo, &hi);
	if (m.ipv4.len == 32 &&
	    (map_reverse(r, m.ipv4.addr, hi, &psid, &ce) != MAP_FOUND ||
	    memcmp(&ce, &m.ce, sizeof(ce)) != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct map_rule rules[8];
	struct sw_err err = { "" };
	char *s = malloc(size + 1);
	size_t n = 0, i;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (rule_parse_list(s, rules, 8, &n, &err) == -1) {
		if (err.msg[0] == '\0' || n != 0)
			abort();
	} else {
		for (i = 0; i < n; i++)
			exercise(&rules[i]);
	}
	free(s);
	return 0;
}
