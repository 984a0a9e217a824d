/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_TUN_H
#define SW_TUN_H

#include <netinet/in.h>
#include <stdbool.h>

#include "core/dp.h"

/*
 * A TUN device without packet information, brought up with this MTU, for
 * IPv4 only or for IPv6 without a link-local address.  Non-blocking: a
 * loop drains it (DP_BATCH packets at a time).
 */
#define DP_BATCH 64
int tun_open(const char *name, unsigned mtu, bool ipv6);

/*
 * A raw IPv6 socket for ip4ip6 (protocol 4) bound to the local address:
 * the kernel writes the outer header on send and strips it on receive.
 */
int raw6_open(const struct in6_addr *local);

/* Control socket: each connection gets the counters as JSON, then EOF. */
int ctl_listen(const char *path);
void ctl_answer(int listen_fd, const char *role, const struct dp_stats *st);
/* Copy what the server at path says to standard output. */
int ctl_query(const char *path);

/* A signalfd for SIGINT and SIGTERM, which it blocks. */
int signals_open(void);
/* log_debug() a dropped packet, the first 100 of each reason. */
void dp_log_drop(const struct dp_stats *st, const uint8_t *p, size_t len);
/* close() unless fd is -1. */
void close_fd(int fd);
/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t now_ms(void);

#endif
