/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_DNS_H
#define SW_DNS_H

#include <stddef.h>

#include <netinet/in.h>

#include "core/err.h"

#define DNS_SERVERS_MAX	4

/*
 * Ask servers (the line's own DNS, port 53) for name's AAAA records, and
 * only them: not /etc/hosts, not /etc/resolv.conf, no search domains.
 * Each server is tried twice, 1 s each, within timeout_ms in all.  0 with
 * the first address and its TTL (seconds), -1 with err (err.errnum 0).
 */
int dns_aaaa(const struct in6_addr *servers, size_t n, const char *name,
    unsigned timeout_ms, struct in6_addr *out, unsigned *ttl,
    struct sw_err *err);

#endif
