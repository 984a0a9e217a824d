/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_PLAN_H
#define SW_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "map.h"
#include "sbuf.h"

/*
 * The desired state of a MAP-E line, computed from a mapping and the
 * user's options: the CE /128, the ip6tnl, the IPv4 address and default
 * route, and softwire's nftables tables as text.  Pure.
 */

#define PLAN_FWD_MAX	32
#define PLAN_LAN_MAX	8
#define PLAN_IFNAMSIZ	16
#define PLAN_MTU_MIN	576
#define PLAN_MTU_MAX	9000

struct forward {
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint16_t port;		/* on the shared address: one of the set */
	uint32_t host;		/* the LAN host */
	uint16_t host_port;
};

struct plan {
	struct map_result map;
	char wan[PLAN_IFNAMSIZ];	/* carries the CE address ("": unknown) */
	char wan_port[PLAN_IFNAMSIZ];	/* bridge port facing the line, or "" */
	char tunnel[PLAN_IFNAMSIZ];
	char lan[PLAN_LAN_MAX][PLAN_IFNAMSIZ];	/* only these go out */
	size_t nlan;
	unsigned mtu;			/* of the tunnel */
	bool replace_default;		/* replace an existing IPv4 default */
	struct forward fwd[PLAN_FWD_MAX];
	size_t nfwd;
	bool hold;			/* the guard lets nothing out: moving */
};

/* "tcp:PORT=LANHOST[:PORT]" */
int forward_parse(const char *s, struct forward *f, struct sw_err *err);
/* An interface name the kernel, nft and sh all take as it is. */
int ifname_check(const char *what, const char *name, struct sw_err *err);
/* Names, MTU, BR, and every forward inside the port set. */
int plan_check(const struct plan *p, struct sw_err *err);

/*
 * The blocks in the order new connections take them: rounds of shuffled
 * blocks, one round for each port of a block, as many as fit in max
 * entries.  Returns the number of entries (deck may be NULL to learn
 * it), 0 when the set has more blocks than max.
 */
#define PLAN_DECK_ENTRIES	1024
unsigned plan_deck(const struct plan *p, uint16_t *deck, unsigned max);

/* softwire's nftables tables (ip, and bridge with a WAN port). */
void plan_nft(const struct plan *p, struct sbuf *b);
/* The same as a shell script of ip and nft commands. */
void plan_sh(const struct plan *p, struct sbuf *b);

#endif
