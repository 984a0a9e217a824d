/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_LINE_CHANGE_H
#define SW_LINE_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/plan.h"
#include "linux/rtnl.h"

/*
 * Deciding apart from doing: from what softwire up saw of the kernel and
 * the plan, the ordered list of changes that bring the line to the plan,
 * each with what undoes it.  Pure: the caller observes, executes the list
 * in order and undoes what it executed newest first.
 */

enum change_kind {
	CH_CE_ADDR,		/* add the CE /128 (no DAD) on the WAN */
	CH_NFT_HOLD,		/* the new tables, the guard closed: moving */
	CH_TUNNEL_NEW,		/* create the ip6tnl with tnl */
	CH_TUNNEL_PARAMS,	/* set the tunnel's parameters to tnl */
	CH_TUNNEL_SET,		/* set the tunnel's MTU and bring it up */
	CH_IPV4_ADDR,		/* add the shared IPv4 address on the tunnel */
	CH_ROUTE_DEL,		/* remove another IPv4 default (route) */
	CH_ROUTE_OURS,		/* add "default dev TUNNEL" */
	CH_NFT_FINAL,		/* the new tables */
	CH_COUNT,
};

const char *change_name(enum change_kind k);

struct change {
	enum change_kind kind;
	struct tnl_params tnl;		/* TUNNEL_NEW, TUNNEL_PARAMS */
	unsigned mtu;			/* TUNNEL_SET */
	struct saved_route route;	/* ROUTE_DEL */
	/* What the undo puts back: */
	struct tnl_params was_tnl;	/* TUNNEL_PARAMS */
	unsigned was_mtu;		/* TUNNEL_SET */
	bool was_up;
};

/* What up saw before it changed anything. */
struct line_seen {
	bool ce_there;			/* the CE /128 is on the WAN */
	bool tun_exists;		/* the tunnel (softwire's) exists */
	struct link_state tun;
	bool ipv4_there;		/* the shared address is on it */
	struct saved_route defaults[ROUTE_SAVE_MAX];	/* IPv4 defaults */
	size_t ndefaults;
	bool nft_stale;			/* softwire's tables are not the plan's */
};

/* The ip6tnl the plan wants, under the WAN wan_index. */
void change_tunnel(const struct plan *p, uint32_t wan_index,
    struct tnl_params *t);

/*
 * The changes from seen to the plan p (the tunnel t), in the order they
 * are made: the CE address; when the tables change under a tunnel that
 * moves, the hold (so that no packet leaves with one mapping's IPv4
 * source and the other's CE address); the tunnel; the IPv4 address; the
 * default routes (every other IPv4 default removed: the caller refused
 * them unless asked to replace them); the final tables.  None when the
 * line is as planned.  0, or -1 when more than max.
 */
int change_plan(const struct plan *p, const struct tnl_params *t,
    const struct line_seen *seen, struct change *out, size_t max,
    size_t *n, struct sw_err *err);

/* Does the tunnel ls have the parameters t? */
bool change_tnl_same(const struct link_state *ls, const struct tnl_params *t);

#endif
