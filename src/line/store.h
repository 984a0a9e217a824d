/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_LINE_STORE_H
#define SW_LINE_STORE_H

#include <stddef.h>

#include "core/err.h"
#include "core/state.h"

/*
 * What softwire keeps about a tunnel in its state directory: DIR/TUNNEL
 * .state (what up changed), .nft (the tables up loaded, as it loaded
 * them: a failed later up puts them back, and the kernel's own listing
 * of the numgen map does not load again) and .lock (held while a command
 * reads the state and changes the line).  Never prints: every failure is
 * -1 with err naming the file.
 */

struct line_store {
	char dir[1024];
	char tunnel[STATE_NAMSIZ];
	int lock_fd;			/* the lock held, or -1 */
};

void store_init(struct line_store *s, const char *dir, const char *tunnel);

/*
 * Take the lock and write "pid N softwire CMD" (me) in it: 0; 1 when
 * another holds it (what it wrote in holder); -1 with err.
 */
int store_lock_try(struct line_store *s, const char *me, char *holder,
    size_t size, struct sw_err *err);
/* Give the lock up (closing the file). */
void store_unlock(struct line_store *s);

/* 0 with the state, 1 when there is none, -1 with err. */
int store_state_load(const struct line_store *s, struct sw_state *st,
    struct sw_err *err);
int store_state_save(const struct line_store *s, const struct sw_state *st,
    struct sw_err *err);
/* 0 with the text in buf, 1 when there is none, -1 with err. */
int store_tables_load(const struct line_store *s, char *buf, size_t size,
    struct sw_err *err);
int store_tables_save(const struct line_store *s, const char *text,
    struct sw_err *err);
int store_tables_remove(const struct line_store *s, struct sw_err *err);
/* The state and the tables. */
int store_state_remove(const struct line_store *s, struct sw_err *err);
/* DIR/TUNNEL.EXT */
void store_path(const struct line_store *s, const char *ext, char *buf,
    size_t size);

#endif
