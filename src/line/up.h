/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_LINE_UP_H
#define SW_LINE_UP_H

#include "core/state.h"
#include "line/line.h"
#include "linux/rtnl.h"

/*
 * The line engine: bring a mapping up (again: only what differs), take it
 * down, each a transaction that undoes itself on failure.  Never prints;
 * what went wrong without failing the run is left in notes for the
 * caller to say.  The caller holds the store's lock.
 */

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
	struct map_result map;		/* U_LINK_PARAMS in userspace */
};

/*
 * A tunnel kept in userspace by the caller (a TUN device and softwire's
 * datapath) instead of the kernel's ip6tnl: the engine asks it to make
 * the device, to carry the line with parameters t for the mapping m, and
 * what it carries now.
 */
struct line_tun_ops {
	int (*create)(void *ctx, const char *name, const struct tnl_params *t,
	    const struct map_result *m, struct sw_err *err);
	int (*set)(void *ctx, const struct tnl_params *t,
	    const struct map_result *m, struct sw_err *err);
	/* false when it carries nothing */
	bool (*get)(void *ctx, struct tnl_params *t, struct map_result *m);
	void (*destroy)(void *ctx);
};

#define UNDO_MAX	32
#define UP_NFT_MAX	131072	/* an nft transaction's text, at most */
#define LINE_NOTES	8

struct up_run {
	struct line_opts *o;
	const struct line_tun_ops *uops;	/* NULL: the kernel's ip6tnl */
	void *uctx;
	struct nl rt;
	struct sw_state old, st;
	bool have_old;
	struct link_state wan, tun;
	bool tun_exists;
	char *nft_text;			/* the transaction (UP_NFT_MAX) */
	bool nft_stale;			/* the tables must be (re)loaded */
	bool nft_bridge;		/* the transaction touches the bridge table */
	const char *nft_plan;		/* the tables' text, in the transaction */
	char *old_tables;		/* the text up loaded last, to put back */
	char *hold_text;		/* the tables while the tunnel moves */
	struct saved_route defaults[ROUTE_SAVE_MAX];
	size_t ndefaults;
	char replaced[STATE_ROUTES_MAX][128];	/* routes up replaced */
	size_t nreplaced;
	char restored[STATE_ROUTES_MAX][128];	/* routes down put back */
	size_t nrestored;
	struct undo undo[UNDO_MAX];
	size_t nundo;
	size_t nchanges;		/* what the last line_up changed */
	bool adds_ce;			/* this run adds the CE address */
	bool pending_saved;		/* the state file says "moving" */
	bool rolled_back;		/* line_up failed after a change */
	unsigned undo_failed;		/* of its undos, those that failed */
	unsigned ct_flushed;
	char notes[LINE_NOTES][sizeof(((struct sw_err *)0)->msg)];
	size_t nnotes;
};

/*
 * Open rtnetlink and read the tunnel's state file for options o: 0, or
 * -1 with err.  line_end() in every case.
 */
int line_begin(struct up_run *r, struct line_opts *o, struct sw_err *err);
void line_end(struct up_run *r);

/*
 * Resolve the mapping, check everything, make the changes in order,
 * probe the BR (unless o->no_probe), record the state; on any failure
 * undo what this run changed (r->undo_failed counts what could not be)
 * and return -1 with err.  After success the old mapping's leftovers and
 * connections are gone, and r->nchanges says how much changed.
 */
int line_up(struct up_run *r, struct sw_err *err);

/*
 * Undo what the state file records; 1 when there is none (not up), 0
 * when done and the state removed, -1 with err when a step failed (the
 * state is kept, the failures in notes).
 */
int line_down(struct up_run *r, struct sw_err *err);

/*
 * nft commands that remove softwire's tables (ip, and bridge if asked),
 * whether or not they exist: up's transactions start with them, down is
 * them.
 */
void nft_clear(struct sbuf *b, bool bridge);

/*
 * Drop the NATed connections on addresses of old that are not of the new
 * mapping's address and port set (new may be NULL: all of them).  0, or
 * -1 with err (the ones that could be, dropped).
 */
int ct_flush_mapping(const struct prefix4 *old, const struct prefix4 *addr,
    const struct portset *ports, unsigned *flushed, struct sw_err *err);

/*
 * Within the engine: everything up checks before it changes anything
 * (prepare.c), and a message appended to err.
 */
int up_prepare(struct up_run *r, struct sw_err *err);
void line_append(struct sw_err *err, const char *text);

/* Add a note (printf-like) to r->notes, the first LINE_NOTES kept. */
void line_note(struct up_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
