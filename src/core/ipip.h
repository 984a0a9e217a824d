/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_IPIP_H
#define SW_IPIP_H

#include <stdint.h>

#include "err.h"
#include "map.h"

/*
 * Fixed-IP IPIP (v6 Plus fixed IP, transix fixed IP): a plain ip4ip6
 * tunnel from an address the provider shapes (the line's /64 and an
 * interface ID it gives) to its BR, carrying a fixed IPv4 address or a
 * small routed block, every port.  Pure.
 */

#define IPIP_BLOCK_MIN	24	/* the shortest routed block taken */

/*
 * An interface ID: the low 64 bits of an address, as "::1:2:3:4" (the
 * high 64 bits zero) or "1:2:3:4" (four groups).  Not 0.
 */
int ipip_iid_parse(const char *s, uint64_t *iid, struct sw_err *err);

/* "203.0.113.5" or "203.0.113.8/29": a /24 to /32 without host bits. */
int ipip_v4_parse(const char *s, struct prefix4 *v4, struct sw_err *err);

/*
 * The line as a mapping: the CE address is the /64 of prefix (its first,
 * when prefix is shorter) with iid, the IPv4 address or block with every
 * port, the tunnel's far end br.
 */
void ipip_map(const struct prefix6 *prefix, uint64_t iid,
    const struct prefix4 *v4, const struct in6_addr *br,
    struct map_result *m);

#endif
