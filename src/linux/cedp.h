/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CEDP_H
#define SW_CEDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dp.h"

/*
 * The CE's userspace datapath: IPv4 from the TUN device encapsulated to
 * the BR (or a peer CE) through the raw IPv6 socket, and back.  Used by
 * softwire datapath and inside softwire run.
 */
struct ce_loop {
	struct dp_ce dp;
	int tun, raw;
};

/* One packet each way (loop_src handlers); false when there is none. */
bool ce_from_tun(void *ctx, uint8_t *buf, size_t size, uint64_t now);
bool ce_from_raw(void *ctx, uint8_t *buf, size_t size, uint64_t now);

#endif
