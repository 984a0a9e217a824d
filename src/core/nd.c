/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "nd.h"

int
nd_rdnss_parse(const uint8_t *p, size_t len, struct nd_rdnss *out,
    size_t max)
{
	size_t off = 0, n = 0, olen, a;
	uint32_t life;

	/* Every option's length first: a bad one discards the message. */
	while (off + 2 <= len) {
		olen = (size_t)p[off + 1] * 8;
		if (olen == 0 || olen > len - off)
			return -1;
		off += olen;
	}
	if (off != len)
		return -1;
	for (off = 0; off < len; off += olen) {
		olen = (size_t)p[off + 1] * 8;
		/* Type, length, 2 reserved, lifetime, then addresses
		 * (length 3 or more and odd: RFC 8106 §5.1). */
		if (p[off] != ND_OPT_RDNSS_TYPE || olen < 24 ||
		    (olen - 8) % 16 != 0)
			continue;
		life = (uint32_t)p[off + 4] << 24 | (uint32_t)p[off + 5] << 16 |
		    (uint32_t)p[off + 6] << 8 | p[off + 7];
		for (a = off + 8; a + 16 <= off + olen && n < max; a += 16) {
			memcpy(&out[n].addr, p + a, 16);
			out[n].lifetime = life;
			n++;
		}
	}
	return (int)n;
}
