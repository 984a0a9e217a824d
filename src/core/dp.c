/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "dp.h"

static const char *const dp_drop_names[DROP_COUNT] = {
	[DROP_MALFORMED] = "malformed",
	[DROP_NOT_IP4IP6] = "not_ip4ip6",
	[DROP_EXT_HEADER] = "ext_header",
	[DROP_NOT_OURS] = "not_ours",
	[DROP_NO_RULE] = "no_rule",
	[DROP_NO_PORT] = "no_port",
	[DROP_FRAGMENT] = "fragment",
	[DROP_EXCLUDED_PORT] = "excluded_port",
	[DROP_BAD_PORT] = "bad_port",
	[DROP_BAD_SOURCE] = "bad_source",
	[DROP_TOO_BIG] = "too_big",
};

const char *
dp_drop_name(enum dp_drop d)
{
	return (unsigned)d < DROP_COUNT ? dp_drop_names[d] : "?";
}

static int
dp_drop(struct dp_stats *st, enum dp_drop why)
{
	st->drops[why]++;
	st->last = why;
	return -1;
}

static struct frag_entry *
frag_slot(struct frag_cache *c, const struct pkt4 *p)
{
	uint32_t h = p->src * 2654435761u ^ p->dst ^ ((uint32_t)p->id << 8) ^
	    p->proto;

	return &c->e[(h ^ (h >> 16)) % FRAG_SLOTS];
}

static bool
frag_match(const struct frag_entry *e, const struct pkt4 *p, uint64_t now)
{
	return e->used && e->src == p->src && e->dst == p->dst &&
	    e->id == p->id && e->proto == p->proto &&
	    now - e->at <= FRAG_TTL_MS;
}

/*
 * The CE's port of packet p, remembered for the later fragments of a
 * first fragment.  Fails with the drop reason.
 */
static int
dp_port(struct frag_cache *c, const struct pkt4 *p, bool upstream,
    uint64_t now, uint16_t *port, enum dp_drop *why)
{
	struct frag_entry *e = frag_slot(c, p);

	if (p->frag_off != 0) {
		if (!frag_match(e, p, now)) {
			*why = DROP_FRAGMENT;
			return -1;
		}
		*port = e->port;
		return 0;
	}
	if (!pkt4_ce_port(p, upstream, port)) {
		*why = DROP_NO_PORT;
		return -1;
	}
	if (p->mf) {
		e->src = p->src;
		e->dst = p->dst;
		e->id = p->id;
		e->proto = p->proto;
		e->port = *port;
		e->at = now;
		e->used = true;
	}
	return 0;
}

/* The CE address of ipv4 (+ the packet's port) under r, or a reason. */
static int
dp_lookup(const struct map_rule *r, struct frag_cache *c,
    const struct pkt4 *p, uint32_t ipv4, bool upstream, uint64_t now,
    struct in6_addr *ce, enum dp_drop *why)
{
	uint16_t port = 0;

	if (r->psid_len > 0 && dp_port(c, p, upstream, now, &port, why) == -1)
		return -1;
	switch (map_reverse(r, ipv4, port, NULL, ce)) {
	case MAP_FOUND:
		return 0;
	case MAP_EXCLUDED_PORT:
		*why = DROP_EXCLUDED_PORT;
		return -1;
	case MAP_OTHER_PSID:
		*why = DROP_BAD_PORT;
		return -1;
	case MAP_NOT_IN_RULE:
	default:
		*why = DROP_NO_RULE;
		return -1;
	}
}

static bool
ext_header(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60;
}

int
dp_br_upstream(struct dp_br *br, const uint8_t *p, size_t len,
    uint64_t now_ms)
{
	struct pkt6 o;
	struct pkt4 in;
	struct in6_addr ce;
	enum dp_drop why;
	int ri;

	if (pkt6_parse(p, len, &o) == -1)
		return dp_drop(&br->st, DROP_MALFORMED);
	if (o.dst.s6_addr[0] == 0xff) {	/* never for the relay */
		br->st.ignored++;
		return 1;
	}
	if (memcmp(&o.dst, &br->addr, sizeof(o.dst)) != 0)
		return dp_drop(&br->st, DROP_NOT_OURS);
	if (ext_header(o.nh))	/* e.g. a tunnel encapsulation limit */
		return dp_drop(&br->st, DROP_EXT_HEADER);
	if (o.nh != IPPROTO_IPIP)
		return dp_drop(&br->st, DROP_NOT_IP4IP6);
	if (pkt4_parse(o.payload, o.plen, &in) == -1)
		return dp_drop(&br->st, DROP_MALFORMED);
	if ((ri = rules_select4(br->rules, br->nrules, in.src)) == -1)
		return dp_drop(&br->st, DROP_NO_RULE);
	if (dp_lookup(&br->rules[ri], &br->up_frags, &in, in.src, true,
	    now_ms, &ce, &why) == -1)
		return dp_drop(&br->st, why);
	/* RFC 7597 §8.3: the source must be the CE that holds the port. */
	if (memcmp(&ce, &o.src, sizeof(ce)) != 0)
		return dp_drop(&br->st, map_ce_holds(&br->rules[ri], &o.src,
		    in.src) ? DROP_BAD_PORT : DROP_BAD_SOURCE);
	br->st.up_packets++;
	br->st.up_bytes += in.len;
	return 0;
}

int
dp_br_echo(struct dp_br *br, uint8_t *p, size_t len)
{
	struct pkt6 o;
	uint16_t ck, was, now;
	uint32_t sum;
	uint8_t tmp[16];

	if (pkt6_parse(p, len, &o) == -1 || o.nh != 58 || o.plen < 8 ||
	    o.payload[0] != 128 || o.payload[1] != 0 ||
	    memcmp(&o.dst, &br->addr, sizeof(o.dst)) != 0 ||
	    o.src.s6_addr[0] == 0xff)
		return -1;
	/* Swapping the addresses keeps the pseudo-header's sum. */
	memcpy(tmp, p + 8, 16);
	memcpy(p + 8, p + 24, 16);
	memcpy(p + 24, tmp, 16);
	p[7] = 64;
	/* Type 128 -> 129: RFC 1624 incremental checksum update. */
	was = (uint16_t)(128 << 8);
	now = (uint16_t)(129 << 8);
	ck = (uint16_t)(p[IP6_HLEN + 2] << 8 | p[IP6_HLEN + 3]);
	sum = (uint32_t)(uint16_t)~ck + (uint16_t)~was + now;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	ck = (uint16_t)~sum;
	p[IP6_HLEN] = 129;
	p[IP6_HLEN + 2] = (uint8_t)(ck >> 8);
	p[IP6_HLEN + 3] = (uint8_t)ck;
	br->st.echo_replies++;
	return 0;
}

int
dp_br_downstream(struct dp_br *br, const uint8_t *p, size_t len,
    uint64_t now_ms, uint8_t hdr[IP6_HLEN])
{
	struct pkt4 in;
	struct in6_addr ce;
	enum dp_drop why;
	int ri;

	if (pkt4_parse(p, len, &in) == -1)
		return dp_drop(&br->st, DROP_MALFORMED);
	if ((ri = rules_select4(br->rules, br->nrules, in.dst)) == -1)
		return dp_drop(&br->st, DROP_NO_RULE);
	if (dp_lookup(&br->rules[ri], &br->down_frags, &in, in.dst, false,
	    now_ms, &ce, &why) == -1)
		return dp_drop(&br->st, why);
	if (len > DP_INNER_MTU)
		return dp_drop(&br->st, DROP_TOO_BIG);
	pkt6_header(hdr, &br->addr, &ce, IPPROTO_IPIP, (uint16_t)len, 64);
	br->st.down_packets++;
	br->st.down_bytes += len;
	return 0;
}

/* The forwarding rule (FMR) for an IPv4 address, or -1. */
static int
dp_fmr(const struct dp_ce *ce, uint32_t ipv4)
{
	int best = -1;
	size_t i;

	for (i = 0; i < ce->nrules; i++) {
		const struct map_rule *r = &ce->rules[i];

		if (r->fmr && prefix4_contains(&r->prefix4, ipv4) &&
		    (best == -1 || r->prefix4.len >
		    ce->rules[best].prefix4.len))
			best = (int)i;
	}
	return best;
}

/* Is ipv4 (with its port, when the address is shared) this CE's? */
static int
dp_ce_mine(struct dp_ce *ce, struct frag_cache *c, const struct pkt4 *p,
    uint32_t ipv4, bool upstream, uint64_t now, enum dp_drop *why)
{
	const struct map_result *m = ce->map;
	uint16_t port;

	if (!prefix4_contains(&m->ipv4, ipv4)) {
		*why = upstream ? DROP_BAD_SOURCE : DROP_NOT_OURS;
		return -1;
	}
	if (m->ports.psid_len == 0)
		return 0;
	if (dp_port(c, p, upstream, now, &port, why) == -1)
		return -1;
	if (!portset_contains(&m->ports, port)) {
		*why = DROP_BAD_PORT;
		return -1;
	}
	return 0;
}

int
dp_ce_outbound(struct dp_ce *ce, const uint8_t *p, size_t len,
    uint64_t now_ms, struct in6_addr *dst)
{
	struct pkt4 in;
	enum dp_drop why;
	int fi;

	if (pkt4_parse(p, len, &in) == -1)
		return dp_drop(&ce->st, DROP_MALFORMED);
	/* Nothing leaves with an address or port outside the mapping. */
	if (dp_ce_mine(ce, &ce->up_frags, &in, in.src, true, now_ms,
	    &why) == -1)
		return dp_drop(&ce->st, why);
	if (len > DP_INNER_MTU)
		return dp_drop(&ce->st, DROP_TOO_BIG);
	*dst = ce->br;
	/* RFC 7597 §5.3: inside an FMR's prefix, straight to the peer CE. */
	if ((fi = dp_fmr(ce, in.dst)) != -1 &&
	    dp_lookup(&ce->rules[fi], &ce->down_frags, &in, in.dst, false,
	    now_ms, dst, &why) == -1)
		*dst = ce->br;
	ce->st.up_packets++;
	ce->st.up_bytes += len;
	return 0;
}

int
dp_ce_inbound(struct dp_ce *ce, const struct in6_addr *src,
    const uint8_t *p, size_t len, uint64_t now_ms)
{
	struct in6_addr peer;
	struct pkt4 in;
	enum dp_drop why;
	int fi;

	if (pkt4_parse(p, len, &in) == -1)
		return dp_drop(&ce->st, DROP_MALFORMED);
	if (dp_ce_mine(ce, &ce->down_frags, &in, in.dst, false, now_ms,
	    &why) == -1)
		return dp_drop(&ce->st, why);
	/* From the BR, or from the peer CE an FMR maps the source to. */
	if (memcmp(src, &ce->br, sizeof(*src)) != 0) {
		if ((fi = dp_fmr(ce, in.src)) == -1)
			return dp_drop(&ce->st, DROP_BAD_SOURCE);
		if (dp_lookup(&ce->rules[fi], &ce->up_frags, &in, in.src, true,
		    now_ms, &peer, &why) == -1)
			return dp_drop(&ce->st, why);
		if (memcmp(&peer, src, sizeof(peer)) != 0)
			return dp_drop(&ce->st, DROP_BAD_SOURCE);
	}
	ce->st.down_packets++;
	ce->st.down_bytes += len;
	return 0;
}
