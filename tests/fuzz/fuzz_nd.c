/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Router Advertisement options (RDNSS).  Invariants: never more servers
 * than asked for, each one's bytes from inside the input; a refused
 * message gives none; asking for fewer gives a prefix of the same list.
 */
#include <stdlib.h>
#include <string.h>

#include "core/nd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_rdnss all[8], few[2];
	int n, m, i;

	n = nd_rdnss_parse(data, size, all, 8);
	if (n < -1 || n > 8)
		abort();
	m = nd_rdnss_parse(data, size, few, 2);
	if ((n == -1) != (m == -1) || (n >= 0 && m != (n < 2 ? n : 2)))
		abort();
	for (i = 0; i < m; i++)
		if (memcmp(&few[i], &all[i], sizeof(few[i])) != 0)
			abort();
	for (i = 0; i < n; i++)
		if (memmem(data, size, &all[i].addr, 16) == NULL)
			abort();
	return 0;
}
