/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The lwAFTR's --binding syntax, a table of them, and lookups in it.
 * Input: binding strings, one a line.  Invariants: a refusal says why
 * and is marked as bad input; every accepted binding finds itself by the
 * last port of its set (or any port when bound whole) once the table is
 * sorted, unless the table as a whole was refused; lookups never read
 * outside the table.
 */
#include <stdlib.h>
#include <string.h>

#include "core/bind.h"

#define FUZZ_BINDINGS	16

/* The last port of b's set. */
static uint16_t
last_port(const struct lw_binding *b)
{
	unsigned m = 16 - b->offset - b->psid_len;
	unsigned a = b->offset > 0 ? (1u << b->offset) - 1 : 0;

	return (uint16_t)(a << (16 - b->offset) | (unsigned)b->psid << m |
	    ((1u << m) - 1));
}

static void
exercise(struct lw_binding *t, size_t n)
{
	const struct lw_binding *b;
	struct sw_err err = { "" };
	size_t i;

	if (lw_table_sort(t, n, &err) == -1) {
		if (err.msg[0] == '\0' || !err.input)
			abort();
		return;
	}
	for (i = 0; i < n; i++) {
		uint16_t port = t[i].psid_len > 0 ? last_port(&t[i]) : 7;

		b = NULL;
		if (lw_lookup(t, n, t[i].ipv4, port, &b) != MAP_FOUND ||
		    b != &t[i] || !lw_holds(t, n, t[i].ipv4, &t[i].b4) ||
		    lw_first(t, n, t[i].ipv4) == NULL)
			abort();
		(void)lw_lookup(t, n, t[i].ipv4 + 1, 0, &b);
		(void)lw_lookup(t, n, t[i].ipv4, (uint16_t)(port + 1), &b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lw_binding t[FUZZ_BINDINGS];
	struct sw_err err;
	char *s = malloc(size + 1), *line, *save = NULL;
	size_t n = 0;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (line = strtok_r(s, "\n", &save); line != NULL && n < FUZZ_BINDINGS;
	    line = strtok_r(NULL, "\n", &save)) {
		memset(&err, 0, sizeof(err));
		if (lw_binding_parse(line, &t[n], &err) == 0)
			n++;
		else if (err.msg[0] == '\0' || !err.input)
			abort();
	}
	exercise(t, n);
	free(s);
	return 0;
}
