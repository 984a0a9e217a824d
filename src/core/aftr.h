/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_AFTR_H
#define SW_AFTR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "map.h"

/*
 * DS-Lite (RFC 6333): the AFTR's name, from a flag, a service or DHCPv6
 * option 64 (RFC 6334).  Pure.
 */

#define OPT_AFTR_NAME		64
#define AFTR_NAME_MAX		254	/* 253 characters and the NUL */

/* The B4's and the AFTR's IPv4 addresses (RFC 6333 §5.7, 192.0.0.0/29). */
#define DSLITE_B4		0xc0000002u	/* 192.0.0.2 */
#define DSLITE_AFTR4		0xc0000001u	/* 192.0.0.1 */

/*
 * A host name DNS can be asked for: labels of letters, digits and '-'
 * (not first or last), 1-63 characters each, 253 in all, at least two
 * labels; one trailing dot allowed (and dropped into out).
 */
int aftr_name_check(const char *s, char out[AFTR_NAME_MAX],
    struct sw_err *err);

/*
 * Option 64: the whole option (code 64, length) or only its contents, a
 * name in DNS wire format (RFC 1035 §3.1, no compression), into a
 * dotted name checked as above.
 */
int aftr_option_parse(const uint8_t *p, size_t len, char out[AFTR_NAME_MAX],
    struct sw_err *err);

/*
 * A DS-Lite line as a mapping the rest of softwire takes as it takes
 * MAP-E's: the B4's IPv6 address is the WAN's own b4/plen, its IPv4
 * address 192.0.0.2 with every port (the AFTR does the NAT that counts),
 * the tunnel's far end the AFTR.
 */
void dslite_map(const struct in6_addr *b4, unsigned plen,
    const struct in6_addr *aftr, struct map_result *m);

/* The AFTR name of a DS-Lite service (transix, xpass, v6connect), or NULL. */
const char *aftr_service_name(const char *service);
/* The services, for messages: "transix, xpass or v6connect". */
const char *aftr_service_list(void);

#endif
