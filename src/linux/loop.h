/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_LOOP_H
#define SW_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dp.h"

#define DP_BATCH 64	/* packets taken from one descriptor per wakeup */

/*
 * A packet source: fn handles one packet read from fd into buf, and
 * returns false once fd has no more.
 */
struct loop_src {
	int fd;
	bool (*fn)(void *ctx, uint8_t *buf, size_t size, uint64_t now_ms);
};

/*
 * The datapaths' event loop (epoll + signalfd): serve the sources and the
 * control socket at path, which answers with *st, until SIGINT or SIGTERM.
 * The control socket is created last, so its existence means "up", and is
 * removed on return.  0 after a signal, -1 on failure.
 */
int loop_run(const struct loop_src *srcs, size_t n, void *ctx,
    const char *control, const char *role, const struct dp_stats *st);

/*
 * 1 when key (opt.h) was one of the options both datapath programs take
 * (--control, --stats, -v), now applied; else 0.
 */
int loop_option(int c, const char *arg, const char *progname,
    const char **control, bool *stats);

/* log_debug() a dropped packet, the first 100 of each reason. */
void dp_log_drop(const struct dp_stats *st, const uint8_t *p, size_t len);
/* Key the bucket hashes of a datapath's two fragment caches at random. */
void dp_seed(struct frag_cache *a, struct frag_cache *b);
/* close() unless fd is -1. */
void close_fd(int fd);

#endif
