/* SPDX-License-Identifier: GPL-2.0-or-later */
/* softwire-br --aftr: DS-Lite's AFTR side, one pool address a B4 (dp.h). */
#include <string.h>

#include "dp.h"

static int
aftr_drop(struct dp_aftr *a, enum dp_drop why)
{
	a->st.drops[why]++;
	a->st.last = why;
	return -1;
}

/* The index slot a B4 and inner address start at (FNV-1a, keyed). */
static size_t
aftr_slot(const struct dp_aftr *a, const struct in6_addr *b4, uint32_t inner)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ a->seed;
	uint8_t k[20];
	size_t i;

	memcpy(k, b4, 16);
	memcpy(k + 16, &inner, 4);
	for (i = 0; i < sizeof(k); i++) {
		h ^= k[i];
		h *= 0x100000001b3ULL;
	}
	return (size_t)(h % (2 * AFTR_B4_MAX));
}

/* The entry of a B4 and inner address, made if new; -1 when full. */
static int
aftr_entry(struct dp_aftr *a, const struct in6_addr *b4, uint32_t inner)
{
	size_t s = aftr_slot(a, b4, inner), tries;

	for (tries = 0; tries < 2 * AFTR_B4_MAX; tries++) {
		uint16_t e = a->index[s];

		if (e == 0)
			break;
		if (a->b4[e - 1].inner == inner &&
		    memcmp(&a->b4[e - 1].b4, b4, sizeof(*b4)) == 0)
			return e - 1;
		s = (s + 1) % (2 * AFTR_B4_MAX);
	}
	if (a->n == AFTR_B4_MAX)
		return -1;
	a->b4[a->n].b4 = *b4;
	a->b4[a->n].inner = inner;
	a->index[s] = (uint16_t)(a->n + 1);
	return (int)a->n++;
}

int
dp_aftr_upstream(struct dp_aftr *a, uint8_t *p, size_t len)
{
	struct pkt6 o;
	struct pkt4 in;
	int e;

	if (pkt6_parse(p, len, &o) == -1)
		return aftr_drop(a, DROP_MALFORMED);
	if (o.dst.s6_addr[0] == 0xff) {
		a->st.ignored++;
		return 1;
	}
	if (memcmp(&o.dst, &a->addr, sizeof(o.dst)) != 0)
		return aftr_drop(a, DROP_NOT_OURS);
	if (o.nh == 0 || o.nh == 43 || o.nh == 44 || o.nh == 60)
		return aftr_drop(a, DROP_EXT_HEADER);
	if (o.nh != IPPROTO_IPIP)
		return aftr_drop(a, DROP_NOT_IP4IP6);
	if (pkt4_parse(p + IP6_HLEN, o.plen, &in) == -1)
		return aftr_drop(a, DROP_MALFORMED);
	if ((e = aftr_entry(a, &o.src, in.src)) == -1)
		return aftr_drop(a, DROP_AFTR_FULL);
	pkt4_readdress(p + IP6_HLEN, &in, true, a->pool + (uint32_t)e);
	a->st.up_packets++;
	a->st.up_bytes += in.len;
	return 0;
}

int
dp_aftr_downstream(struct dp_aftr *a, uint8_t *p, size_t len,
    uint8_t hdr[IP6_HLEN])
{
	const struct aftr_b4 *b;
	struct pkt4 in;
	uint32_t i;

	if (pkt4_parse(p, len, &in) == -1)
		return aftr_drop(a, DROP_MALFORMED);
	i = in.dst - a->pool;
	if (in.dst < a->pool || i >= a->n)
		return aftr_drop(a, DROP_NO_BINDING);
	if (len > DP_INNER_MTU)
		return aftr_drop(a, DROP_TOO_BIG);
	b = &a->b4[i];
	pkt4_readdress(p, &in, false, b->inner);
	pkt6_header(hdr, &a->addr, &b->b4, IPPROTO_IPIP, (uint16_t)len, 64);
	a->st.down_packets++;
	a->st.down_bytes += len;
	return 0;
}
