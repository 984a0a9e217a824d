/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_DP_H
#define SW_DP_H

#include <stdint.h>

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
	DROP_NO_PORT,		/* shared address, packet without a port */
	DROP_FRAGMENT,		/* a later fragment whose first one was not seen */
	DROP_EXCLUDED_PORT,	/* port in the A = 0 block */
	DROP_BAD_PORT,		/* a port outside the CE's set */
	DROP_BAD_SOURCE,	/* IPv6 source is no CE of the IPv4 source */
	DROP_TOO_BIG,		/* over the tunnel MTU */
	DROP_COUNT,
};

const char *dp_drop_name(enum dp_drop d);

struct dp_stats {
	uint64_t up_packets, up_bytes;		/* CE -> BR */
	uint64_t down_packets, down_bytes;	/* BR -> CE */
	uint64_t drops[DROP_COUNT];
	uint64_t ignored;	/* IPv6 multicast, e.g. the kernel's own MLD */
	uint64_t echo_replies;	/* ICMPv6 echo to the BR answered */
	enum dp_drop last;		/* the reason of the latest drop */
};

/*
 * Later fragments carry no ports: the port of the first fragment is kept
 * for them, per (source, destination, protocol, identification).
 */
#define FRAG_SLOTS	256
#define FRAG_TTL_MS	5000

struct frag_entry {
	uint32_t src, dst;
	uint16_t id, port;
	uint8_t proto;
	bool used;
	uint64_t at;
};

struct frag_cache {
	struct frag_entry e[FRAG_SLOTS];
};

#define DP_INNER_MTU	1460	/* 1500 underlay - 40 */

struct dp_br {
	const struct map_rule *rules;
	size_t nrules;
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
 * An ICMPv6 echo request to the BR's address (CEs check that the BR
 * answers): 0 after turning p into the reply in place, -1 if it is not one
 * (p untouched: it goes to dp_br_upstream).
 */
int dp_br_echo(struct dp_br *br, uint8_t *p, size_t len);
/* An IPv4 packet for a CE: 0 with the IPv6 header to put in front. */
int dp_br_downstream(struct dp_br *br, const uint8_t *p, size_t len,
    uint64_t now_ms, uint8_t hdr[IP6_HLEN]);

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
