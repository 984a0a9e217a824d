/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fixed-IP IPIP's --interface-id and --ipip values.  Invariants: a
 * refusal says why and is marked as bad input; an accepted interface ID
 * is not 0 and reads back the same from its own text; an accepted IPv4
 * is a /24 to /32 without host bits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sw_err err = { "" };
	struct prefix4 v4;
	uint64_t iid, again;
	char *s, text[64];

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (ipip_iid_parse(s, &iid, &err) == -1) {
		if (err.msg[0] == '\0' || !err.input)
			abort();
	} else {
		snprintf(text, sizeof(text), "::%x:%x:%x:%x",
		    (unsigned)(iid >> 48), (unsigned)(iid >> 32 & 0xffff),
		    (unsigned)(iid >> 16 & 0xffff), (unsigned)(iid & 0xffff));
		if (iid == 0 || ipip_iid_parse(text, &again, &err) == -1 ||
		    again != iid)
			abort();
	}
	err.msg[0] = '\0';
	if (ipip_v4_parse(s, &v4, &err) == -1) {
		if (err.msg[0] == '\0' || !err.input)
			abort();
	} else if (v4.len < IPIP_BLOCK_MIN || v4.len > 32 ||
	    (v4.len < 32 && (v4.addr & (0xffffffffu >> v4.len)) != 0)) {
		abort();
	}
	free(s);
	return 0;
}
