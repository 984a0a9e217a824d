/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_ND_H
#define SW_ND_H

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

/*
 * The DNS servers a Router Advertisement names (RDNSS, RFC 8106 §5.1),
 * from the ND options the kernel hands over (RTM_NEWNDUSEROPT).  Pure.
 */

#define ND_OPT_RDNSS_TYPE	25

struct nd_rdnss {
	struct in6_addr addr;
	uint32_t lifetime;	/* seconds; 0xffffffff: for ever, 0: gone */
};

/*
 * Walk the ND options at p (len bytes): every RDNSS option's servers into
 * out (at most max; the rest are skipped).  The number found, or -1 when
 * an option's length is 0 or runs past the end (nothing of it is used).
 */
int nd_rdnss_parse(const uint8_t *p, size_t len, struct nd_rdnss *out,
    size_t max);

#endif
