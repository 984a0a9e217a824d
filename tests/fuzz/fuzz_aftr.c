/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DHCPv6 option 64 (the AFTR name) and the host-name check.  Invariants:
 * a refusal says why and is marked as bad input; an accepted name passes
 * the host-name check unchanged and, encoded again in wire format, gives
 * back the option's contents.
 */
#include <stdlib.h>
#include <string.h>

#include "core/aftr.h"

/* name in DNS wire format into buf: its length. */
static size_t
encode(const char *name, uint8_t *buf)
{
	size_t n = 0;

	while (*name != '\0') {
		size_t l = strcspn(name, ".");

		buf[n++] = (uint8_t)l;
		memcpy(buf + n, name, l);
		n += l;
		name += l + (name[l] == '.');
	}
	buf[n++] = 0;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[AFTR_NAME_MAX], again[AFTR_NAME_MAX], *s;
	uint8_t wire[AFTR_NAME_MAX + 2];
	struct sw_err err = { "" };
	const uint8_t *body = data;
	size_t len = size;

	if (aftr_option_parse(data, size, name, &err) == -1) {
		if (err.msg[0] == '\0' || !err.input)
			abort();
	} else {
		if (aftr_name_check(name, again, &err) == -1 ||
		    strcmp(name, again) != 0)
			abort();
		if (size >= 4 && data[0] == 0 && data[1] == OPT_AFTR_NAME) {
			body += 4;
			len -= 4;
		}
		if (encode(name, wire) != len || memcmp(wire, body, len) != 0)
			abort();
	}
	/* The same bytes as a flag's text. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	err.msg[0] = '\0';
	if (aftr_name_check(s, name, &err) == -1 &&
	    (err.msg[0] == '\0' || !err.input))
		abort();
	free(s);
	return 0;
}
