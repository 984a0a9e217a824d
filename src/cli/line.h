/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CLI_LINE_H
#define SW_CLI_LINE_H

#include <stdbool.h>

#include "core/plan.h"
#include "core/state.h"
#include "line/store.h"
#include "linux/rtnl.h"
#include "ruleset.h"

/*
 * The command line shared by render, up, down and show, and how a line's
 * mapping is found: from --prefix, or from the global IPv6 addresses of
 * the WAN interface (or of every interface) that a rule covers.
 */

enum line_cmd {
	LINE_RENDER = 1 << 0,
	LINE_UP = 1 << 1,
	LINE_DOWN = 1 << 2,
	LINE_SHOW = 1 << 3,
};

struct line_opts {
	enum line_cmd cmd;
	struct ruleset rs;
	struct plan plan;
	const char *prefix;		/* --prefix, else read the WAN */
	bool mtu_set;
	bool sh;			/* render --format sh */
	bool json;
	bool no_probe;
	unsigned probe_wait;		/* seconds */
	const char *state_dir;
	unsigned lock_wait;		/* seconds */
	struct line_store store;	/* state_dir's files of the tunnel */
};

#define LINE_STATE_DIR	"/run/softwire"
#define LINE_LOCK_WAIT	30	/* seconds up and down wait for the lock */

/*
 * Parse argv for one command; 0, 1 after --help (printed), or -1 after a
 * message.  usage is the command's help text.
 */
int line_parse(struct line_opts *o, enum line_cmd cmd, const char *usage,
    int argc, char **argv);
void line_free(struct line_opts *o);

/*
 * Fill o->plan.map and o->plan.wan: from --prefix (the WAN is then the
 * interface with an address in it, unless --wan says), or from the WAN's
 * addresses.  nl may be NULL for render with --prefix.  0, or an exit code
 * after a message.
 */
int line_resolve(struct line_opts *o, struct nl *nl);

/*
 * Hold DIR/TUNNEL.lock (flock) until line_free(), so that two runs of up
 * or down on one tunnel never interleave; the holder's pid and command
 * are written in it for a waiting run to name.  Waits up to
 * o->lock_wait seconds; 0, or -1 after a message.
 */
int line_lock(struct line_opts *o);

/*
 * The store's state and tables files (line/store.h), their failures
 * logged.  Loads return 0, 1 when there is none, -1 after a message.
 */
int line_state_load(const struct line_opts *o, struct sw_state *st);
int line_state_save(const struct line_opts *o, const struct sw_state *st);
int line_tables_load(const struct line_opts *o, char *buf, size_t size);
int line_tables_save(const struct line_opts *o, const char *text);
int line_tables_remove(const struct line_opts *o);
/* Both files. */
int line_state_remove(const struct line_opts *o);

#endif
