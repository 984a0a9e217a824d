/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_DP_H
#define SW_DP_H

#include <stdint.h>

#include "bind.h"
#include "map.h"
#include "pkt.h"

/*
 * The MAP-E datapath decisions, shared by the border relay (softwire-br)
 * and the CE's userspace datapath.  Pure: the caller moves the bytes and
 * passes the time; these functions say where a packet goes or why not,
 * and count it.
 */

enum dp_drop {
	DROP_MALFORMED,		/* does not parse */
	DROP_NOT_IP4IP6,	/* an IPv6 packet that is not ip4ip6 */
	DROP_EXT_HEADER,	/* ip4ip6 behind an extension header */
	DROP_NOT_OURS,		/* addressed to someone else */
	DROP_NO_RULE,		/* IPv4 address in no rule */
	DROP_NO_BINDING,	/* lwAFTR: IPv4 address bound to no B4 */
	DROP_NO_PORT,		/* shared address, packet without a port */
	DROP_FRAGMENT,		/* a later fragment whose first one was not seen */
	DROP_FRAG_CONFLICT,	/* a fragment of a datagram bound to another peer */
	DROP_EXCLUDED_PORT,	/* port in the A = 0 block */
	DROP_BAD_PORT,		/* a port outside the CE's set */
	DROP_BAD_SOURCE,	/* IPv6 source is no CE of the IPv4 source */
	DROP_TOO_BIG,		/* over the tunnel MTU */
	DROP_AFTR_FULL,		/* AFTR: no room for another B4 */
	DROP_COUNT,
};

const char *dp_drop_name(enum dp_drop d);

struct dp_stats {
	uint64_t up_packets, up_bytes;		/* CE -> BR */
	uint64_t down_packets, down_bytes;	/* BR -> CE */
	uint64_t drops[DROP_COUNT];
	uint64_t ignored;	/* IPv6 multicast, e.g. the kernel's own MLD */
	uint64_t echo_replies;	/* ICMPv6 echo to the BR answered */
	uint64_t frag_evicted;	/* live fragment state given up for room */
	enum dp_drop last;		/* the reason of the latest drop */
};

/* Every packet a datapath handled: relayed, ignored or dropped. */
uint64_t dp_counted(const struct dp_stats *st);

/*
 * Later fragments carry no ports.  A first fragment the datapath accepts
 * binds its datagram (the reassembly key of RFC 791: source, destination,
 * protocol, identification) to one peer: the outer IPv6 address it came
 * from (BR upstream, CE inbound) or was sent to (BR downstream, CE
 * outbound).  Only that peer's later fragments pass, and they go where the
 * first one went.  While a datagram is live, a fragment of the same key
 * for another peer is refused (DROP_FRAG_CONFLICT): two CEs that share an
 * address could otherwise splice their datagrams at the receiver.  A
 * dropped packet never changes this state.
 *
 * A datagram stays live until its payload has passed whole, or for
 * FRAG_TTL_MS after its first fragment (Linux's default reassembly time,
 * ipfrag_time).  The cache is FRAG_BUCKETS buckets of FRAG_WAYS entries,
 * the bucket picked by a hash keyed with seed.  In a full bucket the peer
 * that holds the most entries (counting the one it brings; ties against
 * the newcomer) gives up its oldest: a peer that floods first fragments
 * pushes out only its own.
 */
#define FRAG_WAYS	8
#define FRAG_BUCKETS	128
#define FRAG_TTL_MS	30000

struct frag_entry {
	struct in6_addr peer;	/* the outer address the datagram is bound to */
	uint64_t at;		/* when its first fragment passed */
	uint32_t src, dst;
	uint32_t seen;		/* payload bytes passed */
	uint32_t end;		/* payload length, known from the last fragment */
	uint16_t id;
	uint8_t proto;
	bool used;
};

struct frag_cache {
	uint64_t seed;		/* set at random by the program */
	struct frag_entry e[FRAG_BUCKETS][FRAG_WAYS];
};

#define DP_INNER_MTU	1460	/* 1500 underlay - 40 */

struct dp_br {
	const struct map_rule *rules;
	size_t nrules;
	const struct rule_iv *index;	/* rule_index() of rules, or NULL */
	size_t nindex;
	/* An lwAFTR (RFC 7596) finds B4s here, sorted, not by the rules. */
	const struct lw_binding *binds;
	size_t nbinds;
	struct in6_addr addr;
	struct frag_cache up_frags, down_frags;
	struct dp_stats st;
};

/*
 * An IPv6 packet for the BR: 0 when its inner IPv4 (at p + IP6_HLEN) may
 * go, -1 when dropped, 1 when ignored (multicast).
 */
int dp_br_upstream(struct dp_br *br, const uint8_t *p, size_t len,
    uint64_t now_ms);
/*
 * An ICMPv6 echo request to self, the relay's (or AFTR's) address: CEs
 * check that it answers.  0 after turning p into the reply in place, -1
 * if it is not one (p untouched: it goes upstream).  The caller counts it
 * (echo_replies).
 */
int dp_echo_reply(const struct in6_addr *self, uint8_t *p, size_t len);
/* An IPv4 packet for a CE: 0 with the IPv6 header to put in front. */
int dp_br_downstream(struct dp_br *br, const uint8_t *p, size_t len,
    uint64_t now_ms, uint8_t hdr[IP6_HLEN]);

/*
 * A DS-Lite AFTR (RFC 6333) for the lab: each B4 (its IPv6 address with
 * an inner IPv4 source it uses, 192.0.0.2 for softwire) gets an address
 * of a pool, one to one, both ways; the kernel's NAT (the pool
 * masqueraded behind the AFTR's public address) does the rest, so two
 * B4s with the same inner address and port are two connections there.
 * Entries stay for the relay's life.
 */
#define AFTR_B4_MAX	4096

struct aftr_b4 {
	struct in6_addr b4;
	uint32_t inner;
};

struct dp_aftr {
	struct in6_addr addr;		/* the AFTR's */
	uint32_t pool;			/* entry i is pool + i */
	uint64_t seed;			/* of the index's hash */
	struct aftr_b4 b4[AFTR_B4_MAX];
	uint16_t index[2 * AFTR_B4_MAX];	/* entry + 1, 0: free */
	size_t n;
	struct dp_stats st;
};

/*
 * An IPv6 packet for the AFTR: 0 when its inner IPv4 (at p + IP6_HLEN,
 * its source now the B4's pool address) may go, -1 when dropped, 1 when
 * ignored (multicast).
 */
int dp_aftr_upstream(struct dp_aftr *a, uint8_t *p, size_t len);
/* An IPv4 packet to a pool address: 0 with its destination put back and
 * the IPv6 header to its B4. */
int dp_aftr_downstream(struct dp_aftr *a, uint8_t *p, size_t len,
    uint8_t hdr[IP6_HLEN]);

struct dp_ce {
	const struct map_result *map;	/* this CE's mapping */
	const struct map_rule *rules;	/* FMR rules are used from these */
	size_t nrules;
	struct in6_addr br;
	struct frag_cache up_frags, down_frags;
	struct dp_stats st;
};

/* An IPv4 packet from the LAN side: 0 with the IPv6 destination. */
int dp_ce_outbound(struct dp_ce *ce, const uint8_t *p, size_t len,
    uint64_t now_ms, struct in6_addr *dst);
/* An inner IPv4 packet that arrived from outer source src: 0 to accept. */
int dp_ce_inbound(struct dp_ce *ce, const struct in6_addr *src,
    const uint8_t *p, size_t len, uint64_t now_ms);

#endif
