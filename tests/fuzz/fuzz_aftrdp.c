/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire-br --aftr's decisions and rewrites.  The first byte picks the
 * direction; the rest is the packet.  Invariants: every packet is counted
 * once; what passes still parses, with the pool address (upstream) or a
 * B4's inner address (downstream) in place and its IPv4 header checksum
 * right if it was right before; an address never moves to another B4.
 */
#include <stdlib.h>
#include <string.h>

#include "core/dp.h"

static uint16_t
hdr_sum(const uint8_t *p, size_t hlen)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < hlen; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dp_aftr a;
	static bool ready;
	static uint8_t buf[65536];
	uint8_t hdr[IP6_HLEN];
	struct pkt4 in, out;
	uint64_t before;
	size_t n, len;
	bool ok;
	int rc;

	if (!ready) {
		a.addr.s6_addr[0] = 0x20;
		a.addr.s6_addr[1] = 0x01;
		a.addr.s6_addr[15] = 0x10;
		a.pool = 0x64400000u;
		ready = true;
	}
	if (size < 1 || size - 1 > sizeof(buf))
		return 0;
	len = size - 1;
	memcpy(buf, data + 1, len);
	before = dp_counted(&a.st);
	n = a.n;
	if (data[0] & 1) {
		ok = len > IP6_HLEN && pkt4_parse(buf + IP6_HLEN, len - IP6_HLEN,
		    &in) == 0 && hdr_sum(buf + IP6_HLEN, in.hlen) == 0xffff;
		rc = dp_aftr_upstream(&a, buf, len);
		if (rc == 0 && (pkt4_parse(buf + IP6_HLEN, len - IP6_HLEN,
		    &out) == -1 || out.src < a.pool || out.src - a.pool >= a.n ||
		    a.b4[out.src - a.pool].inner != in.src ||
		    memcmp(&a.b4[out.src - a.pool].b4, buf + 8, 16) != 0 ||
		    (ok && hdr_sum(buf + IP6_HLEN, out.hlen) != 0xffff)))
			abort();
	} else {
		ok = pkt4_parse(buf, len, &in) == 0 &&
		    hdr_sum(buf, in.hlen) == 0xffff;
		rc = dp_aftr_downstream(&a, buf, len, hdr);
		if (rc == 0 && (pkt4_parse(buf, len, &out) == -1 ||
		    out.dst != a.b4[in.dst - a.pool].inner ||
		    memcmp(hdr + 24, &a.b4[in.dst - a.pool].b4, 16) != 0 ||
		    (ok && hdr_sum(buf, out.hlen) != 0xffff)))
			abort();
		if (a.n != n)
			abort();	/* downstream makes no entry */
	}
	if (dp_counted(&a.st) != before + 1)
		abort();
	return 0;
}
