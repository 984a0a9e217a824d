/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RFC 7598 options 94 and 96, raw or as hex.  The first byte picks the
 * parser (bit 0: lw4o6) and the form (bit 1: hex text).  Invariants: a
 * refusal says why and appends nothing; accepted rules pass rule_check()
 * and map a prefix inside them.
 */
#include <stdlib.h>
#include <string.h>

#include "core/map.h"
#include "core/s46.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[S46_HEX_MAX];
	struct map_rule rules[4];
	struct map_result m;
	struct sw_err err = { "" };
	size_t n = 0, len, i;
	int rc;

	if (size < 1)
		return 0;
	if (data[0] & 2) {
		char *s = malloc(size);

		if (s == NULL)
			return 0;
		memcpy(s, data + 1, size - 1);
		s[size - 1] = '\0';
		rc = hex_decode(s, buf, sizeof(buf), &len, &err);
		free(s);
		if (rc == -1) {
			if (err.msg[0] == '\0')
				abort();
			return 0;
		}
	} else {
		len = size - 1 < sizeof(buf) ? size - 1 : sizeof(buf);
		memcpy(buf, data + 1, len);
	}
	rc = (data[0] & 1) ? s46_parse_lw(buf, len, rules, 4, &n, &err) :
	    s46_parse_mape(buf, len, rules, 4, &n, &err);
	if (rc == -1) {
		if (err.msg[0] == '\0' || n != 0)
			abort();
		return 0;
	}
	for (i = 0; i < n; i++) {
		struct prefix6 in = rules[i].prefix6;

		if (rule_check(&rules[i], &err) == -1 || !rules[i].has_br)
			abort();
		in.len = 64;
		if (map_compute(&rules[i], &in, &m, &err) == -1)
			abort();
	}
	return 0;
}
