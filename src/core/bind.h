/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_BIND_H
#define SW_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "map.h"

/*
 * The lwAFTR's binding table (RFC 7596 §6): each lwB4 holds an IPv4
 * address, or a port set of one (PSID, PSID length, offset as in RFC 7597
 * §5.1), and is reached at one IPv6 address.  Pure.
 */

struct lw_binding {
	uint32_t ipv4;
	uint16_t psid;		/* right-aligned */
	uint8_t psid_len;	/* 0: the whole address */
	uint8_t offset;
	struct in6_addr b4;
};

#define LW_DEFAULT_OFFSET	6	/* as for rules (RFC 7597 §5.1) */

/*
 * "IPV4,PSID/LEN[,OFFSET],B4ADDRESS": 192.0.2.50,1/6,0,2001:db8::1; PSID
 * right-aligned, OFFSET 0-15 (default 6); "IPV4,B4ADDRESS" binds the
 * whole address.  -1 with a message that quotes s.
 */
int lw_binding_parse(const char *s, struct lw_binding *b,
    struct sw_err *err);

/*
 * Sort a table for lw_lookup() and check it as a whole: no (IPv4, PSID)
 * bound twice, one PSID length and offset per address, and an address
 * bound whole bound only once.
 */
int lw_table_sort(struct lw_binding *t, size_t n, struct sw_err *err);

/*
 * The binding that holds ipv4 and port (ignored where the address is
 * not shared).  MAP_NOT_IN_RULE: the address is bound to nobody;
 * MAP_EXCLUDED_PORT: the port is in no set (the offset's A = 0 block, or
 * port 0); MAP_OTHER_PSID: its PSID is bound to nobody.
 */
enum map_lookup lw_lookup(const struct lw_binding *t, size_t n,
    uint32_t ipv4, uint16_t port, const struct lw_binding **out);

/* The first binding of ipv4 (its port layout), or NULL: not bound. */
const struct lw_binding *lw_first(const struct lw_binding *t, size_t n,
    uint32_t ipv4);

/* Is b4 bound to some port set of ipv4 (a B4 off its ports, not a stranger)? */
bool lw_holds(const struct lw_binding *t, size_t n, uint32_t ipv4,
    const struct in6_addr *b4);

#endif
