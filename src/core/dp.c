/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "dp.h"

static const char *const dp_drop_names[DROP_COUNT] = {
	[DROP_MALFORMED] = "malformed",
	[DROP_NOT_IP4IP6] = "not_ip4ip6",
	[DROP_EXT_HEADER] = "ext_header",
	[DROP_NOT_OURS] = "not_ours",
	[DROP_NO_RULE] = "no_rule",
	[DROP_NO_BINDING] = "no_binding",
	[DROP_NO_PORT] = "no_port",
	[DROP_FRAGMENT] = "fragment",
	[DROP_FRAG_CONFLICT] = "frag_conflict",
	[DROP_EXCLUDED_PORT] = "excluded_port",
	[DROP_BAD_PORT] = "bad_port",
	[DROP_BAD_SOURCE] = "bad_source",
	[DROP_TOO_BIG] = "too_big",
	[DROP_AFTR_FULL] = "aftr_full",
};

const char *
dp_drop_name(enum dp_drop d)
{
	return (unsigned)d < DROP_COUNT ? dp_drop_names[d] : "?";
}

uint64_t
dp_counted(const struct dp_stats *st)
{
	uint64_t n = st->up_packets + st->down_packets + st->ignored;
	int i;

	for (i = 0; i < DROP_COUNT; i++)
		n += st->drops[i];
	return n;
}

static int
dp_drop(struct dp_stats *st, enum dp_drop why)
{
	st->drops[why]++;
	st->last = why;
	return -1;
}

/* splitmix64's finalizer: every input bit moves every output bit. */
static uint64_t
mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static struct frag_entry *
frag_bucket(struct frag_cache *c, const struct pkt4 *p)
{
	uint64_t h = mix64(c->seed ^ ((uint64_t)p->src << 32 | p->dst));

	h = mix64(h ^ ((uint64_t)p->id << 8 | p->proto));
	return c->e[h % FRAG_BUCKETS];
}

static bool
frag_live(const struct frag_entry *e, uint64_t now)
{
	return e->used && (now < e->at || now - e->at < FRAG_TTL_MS);
}

/* The live entry of p's datagram, or NULL. */
static struct frag_entry *
frag_find(struct frag_cache *c, const struct pkt4 *p, uint64_t now)
{
	struct frag_entry *b = frag_bucket(c, p);
	int i;

	for (i = 0; i < FRAG_WAYS; i++)
		if (frag_live(&b[i], now) && b[i].src == p->src &&
		    b[i].dst == p->dst && b[i].id == p->id &&
		    b[i].proto == p->proto)
			return &b[i];
	return NULL;
}

static bool
same6(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static bool
frag_first(const struct pkt4 *p)
{
	return p->frag_off == 0 && p->mf;
}

/*
 * A later fragment: 0 when its datagram is live and bound to from (when
 * given), with the peer in *peer (when asked); else -1 and the reason.
 */
static int
frag_later(struct frag_cache *c, const struct pkt4 *p,
    const struct in6_addr *from, uint64_t now, struct in6_addr *peer,
    enum dp_drop *why)
{
	const struct frag_entry *e = frag_find(c, p, now);

	if (e == NULL) {
		*why = DROP_FRAGMENT;
		return -1;
	}
	if (from != NULL && !same6(from, &e->peer)) {
		*why = DROP_FRAG_CONFLICT;
		return -1;
	}
	if (peer != NULL)
		*peer = e->peer;
	return 0;
}

/* A first fragment for peer: -1 while its key is live for another. */
static int
frag_check_first(struct frag_cache *c, const struct pkt4 *p,
    const struct in6_addr *peer, uint64_t now, enum dp_drop *why)
{
	const struct frag_entry *e;

	if (!frag_first(p) || (e = frag_find(c, p, now)) == NULL ||
	    same6(&e->peer, peer))
		return 0;
	*why = DROP_FRAG_CONFLICT;
	return -1;
}

/*
 * The entry a full bucket gives up for a newcomer from peer: the oldest
 * of the peer with the most entries, the newcomer's count including the
 * one it brings, ties against the newcomer.
 */
static int
frag_victim(const struct frag_entry *b, const struct in6_addr *peer)
{
	int count[FRAG_WAYS], best = 0, i, j;
	bool mine[FRAG_WAYS];

	for (i = 0; i < FRAG_WAYS; i++) {
		mine[i] = same6(&b[i].peer, peer);
		count[i] = mine[i] ? 1 : 0;
		for (j = 0; j < FRAG_WAYS; j++)
			count[i] += same6(&b[i].peer, &b[j].peer);
	}
	for (i = 1; i < FRAG_WAYS; i++)
		if (count[i] > count[best] || (count[i] == count[best] &&
		    (mine[i] > mine[best] || (mine[i] == mine[best] &&
		    b[i].at < b[best].at))))
			best = i;
	return best;
}

/*
 * After a fragment was accepted for peer: a first fragment binds its
 * datagram, a later one counts its bytes; whole, the datagram is done.
 */
static void
frag_commit(struct frag_cache *c, struct dp_stats *st, const struct pkt4 *p,
    const struct in6_addr *peer, uint64_t now)
{
	struct frag_entry *b, *e;
	uint32_t bytes = (uint32_t)(p->len - p->hlen);
	int i;

	if (p->frag_off == 0 && !p->mf)
		return;		/* not a fragment */
	if ((e = frag_find(c, p, now)) != NULL && !same6(&e->peer, peer))
		return;		/* the callers refused it already */
	if (e == NULL) {
		if (!frag_first(p))
			return;
		b = frag_bucket(c, p);
		for (i = 0; i < FRAG_WAYS && frag_live(&b[i], now); i++)
			;
		if (i == FRAG_WAYS) {
			i = frag_victim(b, peer);
			st->frag_evicted++;
		}
		e = &b[i];
		*e = (struct frag_entry){ .peer = *peer, .src = p->src,
		    .dst = p->dst, .id = p->id, .proto = p->proto,
		    .used = true };
	}
	if (frag_first(p)) {	/* a new datagram, or the first again */
		e->at = now;
		e->seen = bytes;
		e->end = 0;
		return;
	}
	e->seen += bytes;
	if (!p->mf)
		e->end = (uint32_t)p->frag_off * 8 + bytes;
	if (e->end != 0 && e->seen >= e->end)
		e->used = false;
}

/* The port of a packet with one (not a later fragment), or a reason. */
static int
dp_port(const struct pkt4 *p, bool upstream, uint16_t *port,
    enum dp_drop *why)
{
	if (!pkt4_ce_port(p, upstream, port)) {
		*why = DROP_NO_PORT;
		return -1;
	}
	return 0;
}

/* The CE address of ipv4 (+ the packet's port) under r, or a reason. */
static int
dp_lookup(const struct map_rule *r, const struct pkt4 *p, uint32_t ipv4,
    bool upstream, struct in6_addr *ce, enum dp_drop *why)
{
	uint16_t port = 0;

	if (r->psid_len > 0 && dp_port(p, upstream, &port, why) == -1)
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

/* What the relay knows of an IPv4 address: its rule or its bindings. */
struct br_dest {
	const struct map_rule *rule;	/* NULL: an lwAFTR's bindings */
	bool shared;			/* the port picks who holds it */
};

/* The rule of an IPv4 address (by the index where there is one), or,
 * for an lwAFTR, whether it is bound. */
static int
dp_br_dest(const struct dp_br *br, uint32_t ipv4, struct br_dest *d,
    enum dp_drop *why)
{
	const struct lw_binding *f;
	int ri;

	if (br->nbinds > 0) {
		if ((f = lw_first(br->binds, br->nbinds, ipv4)) == NULL) {
			*why = DROP_NO_BINDING;
			return -1;
		}
		d->rule = NULL;
		d->shared = f->psid_len > 0;
		return 0;
	}
	ri = br->index != NULL ? rule_index_find(br->index, br->nindex,
	    ipv4) : rules_select4(br->rules, br->nrules, ipv4);
	if (ri == -1) {
		*why = DROP_NO_RULE;
		return -1;
	}
	d->rule = &br->rules[ri];
	d->shared = d->rule->psid_len > 0;
	return 0;
}

/* The CE (B4) address of ipv4 (+ the packet's port), or a reason. */
static int
dp_br_ce(const struct dp_br *br, const struct br_dest *d,
    const struct pkt4 *p, uint32_t ipv4, bool upstream, struct in6_addr *ce,
    enum dp_drop *why)
{
	const struct lw_binding *b = NULL;
	uint16_t port = 0;

	if (d->rule != NULL)
		return dp_lookup(d->rule, p, ipv4, upstream, ce, why);
	if (d->shared && dp_port(p, upstream, &port, why) == -1)
		return -1;
	switch (lw_lookup(br->binds, br->nbinds, ipv4, port, &b)) {
	case MAP_FOUND:
		*ce = b->b4;
		return 0;
	case MAP_EXCLUDED_PORT:
		*why = DROP_EXCLUDED_PORT;
		return -1;
	case MAP_OTHER_PSID:
		*why = DROP_BAD_PORT;
		return -1;
	case MAP_NOT_IN_RULE:
	default:
		*why = DROP_NO_BINDING;
		return -1;
	}
}

/* A sender that is not the CE of a port: a CE of the address off its own
 * ports (bad port), or no CE of it at all (bad source)? */
static enum dp_drop
dp_br_stranger(const struct dp_br *br, const struct br_dest *d,
    const struct in6_addr *src, uint32_t ipv4)
{
	bool holds = d->rule != NULL ? map_ce_holds(d->rule, src, ipv4) :
	    lw_holds(br->binds, br->nbinds, ipv4, src);

	return holds ? DROP_BAD_PORT : DROP_BAD_SOURCE;
}

int
dp_br_upstream(struct dp_br *br, const uint8_t *p, size_t len,
    uint64_t now_ms)
{
	struct br_dest d;
	struct pkt6 o;
	struct pkt4 in;
	struct in6_addr ce;
	enum dp_drop why;

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
	if (dp_br_dest(br, in.src, &d, &why) == -1)
		return dp_drop(&br->st, why);
	if (d.shared && in.frag_off != 0) {
		/* No port: only the CE its first fragment proved. */
		if (frag_later(&br->up_frags, &in, &o.src, now_ms, NULL,
		    &why) == -1)
			return dp_drop(&br->st, why);
	} else {
		if (dp_br_ce(br, &d, &in, in.src, true, &ce, &why) == -1)
			return dp_drop(&br->st, why);
		/* RFC 7597 §8.3, RFC 7596 §6.2: the source must be the CE
		 * that holds the port. */
		if (!same6(&ce, &o.src))
			return dp_drop(&br->st, dp_br_stranger(br, &d, &o.src,
			    in.src));
		if (d.shared && frag_check_first(&br->up_frags, &in,
		    &o.src, now_ms, &why) == -1)
			return dp_drop(&br->st, why);
	}
	if (d.shared)
		frag_commit(&br->up_frags, &br->st, &in, &o.src, now_ms);
	br->st.up_packets++;
	br->st.up_bytes += in.len;
	return 0;
}

int
dp_echo_reply(const struct in6_addr *self, uint8_t *p, size_t len)
{
	struct pkt6 o;
	uint16_t ck, was, now;
	uint32_t sum;
	uint8_t tmp[16];

	if (pkt6_parse(p, len, &o) == -1 || o.nh != 58 || o.plen < 8 ||
	    o.payload[0] != 128 || o.payload[1] != 0 ||
	    memcmp(&o.dst, self, sizeof(o.dst)) != 0 ||
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
	return 0;
}

int
dp_br_downstream(struct dp_br *br, const uint8_t *p, size_t len,
    uint64_t now_ms, uint8_t hdr[IP6_HLEN])
{
	struct br_dest d;
	struct pkt4 in;
	struct in6_addr ce;
	enum dp_drop why;

	if (pkt4_parse(p, len, &in) == -1)
		return dp_drop(&br->st, DROP_MALFORMED);
	if (dp_br_dest(br, in.dst, &d, &why) == -1)
		return dp_drop(&br->st, why);
	if (d.shared && in.frag_off != 0) {
		/* To the CE its first fragment went to. */
		if (frag_later(&br->down_frags, &in, NULL, now_ms, &ce,
		    &why) == -1)
			return dp_drop(&br->st, why);
	} else {
		if (dp_br_ce(br, &d, &in, in.dst, false, &ce, &why) == -1)
			return dp_drop(&br->st, why);
		if (d.shared && frag_check_first(&br->down_frags, &in,
		    &ce, now_ms, &why) == -1)
			return dp_drop(&br->st, why);
	}
	if (len > DP_INNER_MTU)
		return dp_drop(&br->st, DROP_TOO_BIG);
	if (d.shared)
		frag_commit(&br->down_frags, &br->st, &in, &ce, now_ms);
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

/* Does a packet with a port carry one of this CE's? */
static int
dp_ce_port(const struct dp_ce *ce, const struct pkt4 *p, bool upstream,
    enum dp_drop *why)
{
	uint16_t port;

	if (ce->map->ports.psid_len == 0)
		return 0;
	if (dp_port(p, upstream, &port, why) == -1)
		return -1;
	if (!portset_contains(&ce->map->ports, port)) {
		*why = DROP_BAD_PORT;
		return -1;
	}
	return 0;
}

/* Do the CE's fragments to or from a peer under FMR fi need state? */
static bool
dp_ce_stateful(const struct dp_ce *ce, int fi)
{
	return ce->map->ports.psid_len > 0 ||
	    (fi != -1 && ce->rules[fi].psid_len > 0);
}

int
dp_ce_outbound(struct dp_ce *ce, const uint8_t *p, size_t len,
    uint64_t now_ms, struct in6_addr *dst)
{
	struct pkt4 in;
	enum dp_drop why;
	bool stateful;
	int fi;

	if (pkt4_parse(p, len, &in) == -1)
		return dp_drop(&ce->st, DROP_MALFORMED);
	/* Nothing leaves with an address or port outside the mapping. */
	if (!prefix4_contains(&ce->map->ipv4, in.src))
		return dp_drop(&ce->st, DROP_BAD_SOURCE);
	fi = dp_fmr(ce, in.dst);
	stateful = dp_ce_stateful(ce, fi);
	if (stateful && in.frag_off != 0) {
		/* Checked at the first fragment; to where it went. */
		if (frag_later(&ce->up_frags, &in, NULL, now_ms, dst,
		    &why) == -1)
			return dp_drop(&ce->st, why);
	} else {
		if (dp_ce_port(ce, &in, true, &why) == -1)
			return dp_drop(&ce->st, why);
		/* RFC 7597 §5.3: inside an FMR's prefix, straight to the
		 * peer CE; what it cannot map goes to the BR. */
		if (fi == -1 || dp_lookup(&ce->rules[fi], &in, in.dst, false,
		    dst, &why) == -1)
			*dst = ce->br;
		if (stateful && frag_check_first(&ce->up_frags, &in, dst,
		    now_ms, &why) == -1)
			return dp_drop(&ce->st, why);
	}
	if (len > DP_INNER_MTU)
		return dp_drop(&ce->st, DROP_TOO_BIG);
	if (stateful)
		frag_commit(&ce->up_frags, &ce->st, &in, dst, now_ms);
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
	bool stateful;
	int fi = -1;

	if (pkt4_parse(p, len, &in) == -1)
		return dp_drop(&ce->st, DROP_MALFORMED);
	if (!prefix4_contains(&ce->map->ipv4, in.dst))
		return dp_drop(&ce->st, DROP_NOT_OURS);
	/* From the BR, or from the peer CE an FMR maps the source to. */
	if (!same6(src, &ce->br) && (fi = dp_fmr(ce, in.src)) == -1)
		return dp_drop(&ce->st, DROP_BAD_SOURCE);
	stateful = dp_ce_stateful(ce, fi);
	if (stateful && in.frag_off != 0) {
		if (frag_later(&ce->down_frags, &in, src, now_ms, NULL,
		    &why) == -1)
			return dp_drop(&ce->st, why);
	} else {
		if (dp_ce_port(ce, &in, false, &why) == -1)
			return dp_drop(&ce->st, why);
		if (fi != -1) {
			if (dp_lookup(&ce->rules[fi], &in, in.src, true, &peer,
			    &why) == -1)
				return dp_drop(&ce->st, why);
			if (!same6(&peer, src))
				return dp_drop(&ce->st, DROP_BAD_SOURCE);
		}
		if (stateful && frag_check_first(&ce->down_frags, &in, src,
		    now_ms, &why) == -1)
			return dp_drop(&ce->st, why);
	}
	if (stateful)
		frag_commit(&ce->down_frags, &ce->st, &in, src, now_ms);
	ce->st.down_packets++;
	ce->st.down_bytes += len;
	return 0;
}
