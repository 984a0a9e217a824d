/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address and prefix parsers.  Invariants: a refusal always says why; what
 * is accepted formats and parses back to the same value.
 */
#include <stdlib.h>
#include <string.h>

#include "core/addr.h"

static void
check6(const char *s, unsigned flags)
{
	struct prefix6 p, back;
	struct sw_err err = { "" };
	char buf[PREFIX6_STRLEN];

	if (prefix6_parse(s, flags, &p, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return;
	}
	if (p.len > 128)
		abort();
	prefix6_format(&p, buf);
	if (prefix6_parse(buf, flags | PFX_HOST_BITS, &back, &err) == -1 ||
	    back.len != p.len || memcmp(&back.addr, &p.addr, 16) != 0)
		abort();
}

static void
check4(const char *s, unsigned flags)
{
	struct prefix4 p, back;
	struct sw_err err = { "" };
	char buf[PREFIX4_STRLEN];

	if (prefix4_parse(s, flags, &p, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		return;
	}
	if (p.len > 32)
		abort();
	prefix4_format(&p, buf);
	if (prefix4_parse(buf, flags | PFX_HOST_BITS, &back, &err) == -1 ||
	    back.len != p.len || back.addr != p.addr)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	unsigned flags;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (flags = 0; flags < 4; flags++) {
		check6(s, flags);
		check4(s, flags);
	}
	free(s);
	return 0;
}
