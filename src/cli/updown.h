/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CLI_UPDOWN_H
#define SW_CLI_UPDOWN_H

#include "line.h"
#include "linux/ct.h"

/* One run of softwire up: what is there, what it changed, how to undo. */

enum undo_kind {
	U_ADDR,		/* an address added (add) or removed */
	U_LINK_NEW,	/* the tunnel created */
	U_LINK_PARAMS,	/* the tunnel's parameters changed: tnl were */
	U_LINK_SET,	/* the tunnel's MTU or state changed: mtu, up were */
	U_ROUTE,	/* a route removed (or added) */
	U_ROUTE_OURS,	/* softwire's default route added */
	U_NFT,		/* nftables changed: nft puts it back */
};

struct undo {
	enum undo_kind kind;
	bool add;
	struct if_addr addr;
	uint32_t index;
	struct tnl_params tnl;
	unsigned mtu;
	bool up;
	struct saved_route route;
	char *nft;
};

#define UNDO_MAX	32
#define UP_NFT_MAX	131072	/* an nft transaction's text, at most */

struct up_run {
	struct line_opts opts, *o;
	struct nl rt;
	struct sw_state old, st;
	bool have_old;
	struct link_state wan, tun;
	bool tun_exists;
	struct if_addr ce_addr;
	bool nft_stale;			/* the tables must be (re)loaded */
	bool nft_bridge;		/* the transaction touches the bridge table */
	const char *nft_plan;		/* the tables' text, in the transaction */
	char *old_tables;		/* the text up loaded last, to put back */
	char *hold_text;		/* the tables while the tunnel moves */
	struct saved_route defaults[ROUTE_SAVE_MAX];
	size_t ndefaults;
	char replaced[STATE_ROUTES_MAX][128];
	size_t nreplaced;
	struct undo undo[UNDO_MAX];
	size_t nundo;
	unsigned ct_flushed;
};

/*
 * nft commands that remove softwire's tables (ip, and bridge if asked),
 * whether or not they exist: up's transactions start with them, down is
 * them.
 */
void nft_clear(struct sbuf *b, bool bridge);

/*
 * Parse, open rtnetlink, read the state: 0, -1 after --help, or an exit
 * code.
 */
int updown_start(struct up_run *r, enum line_cmd cmd, const char *usage,
    int argc, char **argv);
void updown_end(struct up_run *r);
/*
 * Everything up checks before it changes anything: the mapping, the WAN,
 * that the tunnel and tables are softwire's or absent, the default
 * routes, the nftables text (built into nft, checked by the kernel).
 */
int up_prepare(struct up_run *r, char *nft, size_t size);
/*
 * Record the tables loaded and the state, or neither (when one fails the
 * files are as they were).
 */
int up_save(struct up_run *r);
/* After success: the old mapping's leftovers and connections go. */
void up_finish(struct up_run *r);
void up_report(const struct up_run *r);
/*
 * Drop the NATed connections on addresses of old that are not of the new
 * mapping's address and port set (new may be NULL: all of them).
 */
int ct_flush_mapping(const struct prefix4 *old, const struct prefix4 *addr,
    const struct portset *ports, unsigned *flushed);

#endif
