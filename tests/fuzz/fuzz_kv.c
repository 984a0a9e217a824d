/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire status's reading of the daemon's answer.  Invariants: it
 * reads only the bytes given, never writes past its buffer, and every
 * line it prints is "key value" with a key of lower-case letters, digits
 * and underscores that the input holds in quotes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/kv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size ? size : 1), out[4096], key[128];
	struct sbuf b;
	char *line, *save;
	size_t k;

	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	sbuf_init(&b, out, sizeof(out));
	kv_from_json(in, size, &b);
	if (b.len >= sizeof(out) || out[b.len] != '\0')
		abort();
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		k = strcspn(line, " ");
		if (k == 0 || k >= sizeof(key) - 2)
			abort();
		key[0] = '"';
		memcpy(key + 1, line, k);
		key[k + 1] = '"';
		key[k + 2] = '\0';
		if (memmem(in, size, key, k + 2) == NULL)
			abort();
	}
	free(in);
	return 0;
}
