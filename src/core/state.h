/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_STATE_H
#define SW_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "map.h"
#include "sbuf.h"

/*
 * What "softwire up" changed, kept in a file so that "softwire down"
 * undoes exactly that and a later "up" knows what is its own.  Text, one
 * "key value" a line.  Pure.
 */

#define STATE_ROUTES_MAX	8
#define STATE_ROUTE_BYTES	256
#define STATE_NAMSIZ		16
#define STATE_LEFT_MAX		4

/*
 * A mapping the line is moving (or moved) away from whose objects are not
 * all gone yet: its CE address on its WAN (if softwire added it), its
 * address on the tunnel and its connections.  Recorded before a move
 * starts, cleared once the move is done, so that a run killed in the
 * middle leaves the next one (or down) everything to clear.
 */
struct sw_left {
	char wan[STATE_NAMSIZ];
	struct in6_addr ce;
	bool ce_added;
	struct prefix4 ipv4;
	struct portset ports;
};

/* What kind of line it is, as the state file and status name it. */
enum sw_mode {
	SW_MODE_MAPE,		/* RFC 7597 */
	SW_MODE_LW4O6,		/* RFC 7596 */
	SW_MODE_DSLITE,		/* RFC 6333 */
	SW_MODE_IPIP,		/* fixed-IP IPIP */
	SW_MODE_COUNT,
};

const char *sw_mode_name(enum sw_mode m);

struct sw_state {
	enum sw_mode mode;		/* a file without "mode": MAP-E */
	char tunnel[STATE_NAMSIZ];
	char wan[STATE_NAMSIZ];
	char wan_port[STATE_NAMSIZ];	/* "" without a bridge table */
	struct prefix6 prefix;		/* the end-user prefix applied */
	struct in6_addr ce;
	bool ce_added;			/* softwire added the CE address */
	struct prefix4 ipv4;
	struct portset ports;
	uint64_t nft_hash;		/* of the ruleset text loaded */
	/* IPv4 default routes softwire replaced, as netlink messages. */
	size_t nroutes;
	uint8_t route[STATE_ROUTES_MAX][STATE_ROUTE_BYTES];
	size_t route_len[STATE_ROUTES_MAX];
	struct sw_left left[STATE_LEFT_MAX];
	size_t nleft;
};

/* Parse a state file's text; the error names the line. */
int state_parse(const char *text, struct sw_state *st, struct sw_err *err);
void state_format(const struct sw_state *st, struct sbuf *b);
/* FNV-1a, 64 bits: tells whether the ruleset text changed. */
uint64_t state_hash(const char *text);

#endif
