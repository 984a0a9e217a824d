/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_ADDR_H
#define SW_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* IPv4 addresses are kept in host byte order; IPv6 as the 16 wire bytes. */
struct prefix4 {
	uint32_t addr;
	unsigned len;
};

struct prefix6 {
	struct in6_addr addr;
	unsigned len;
};

#define ADDR4_STRLEN 16			/* "255.255.255.255" */
#define ADDR6_STRLEN 46			/* INET6_ADDRSTRLEN */
#define PREFIX4_STRLEN (ADDR4_STRLEN + 3)
#define PREFIX6_STRLEN (ADDR6_STRLEN + 4)

/* Flags for prefix*_parse(). */
#define PFX_BARE_ADDR	0x1	/* "ADDR" alone is ADDR/32 or ADDR/128 */
#define PFX_HOST_BITS	0x2	/* bits past the length may be set */

int addr4_parse(const char *s, uint32_t *out, struct sw_err *err);
int addr6_parse(const char *s, struct in6_addr *out, struct sw_err *err);
int prefix4_parse(const char *s, unsigned flags, struct prefix4 *out,
    struct sw_err *err);
int prefix6_parse(const char *s, unsigned flags, struct prefix6 *out,
    struct sw_err *err);
int parse_uint(const char *s, unsigned max, unsigned *out);

const char *addr4_format(uint32_t a, char buf[ADDR4_STRLEN]);
const char *addr6_format(const struct in6_addr *a, char buf[ADDR6_STRLEN]);
const char *prefix4_format(const struct prefix4 *p, char buf[PREFIX4_STRLEN]);
const char *prefix6_format(const struct prefix6 *p, char buf[PREFIX6_STRLEN]);

/* Bit fields of an IPv6 address, bit 0 the most significant; len <= 64. */
uint64_t bits6_get(const struct in6_addr *a, unsigned pos, unsigned len);
void bits6_set(struct in6_addr *a, unsigned pos, unsigned len, uint64_t val);
/* Clear every bit from position len on. */
void addr6_truncate(struct in6_addr *a, unsigned len);

uint32_t mask4(unsigned len);
bool prefix4_contains(const struct prefix4 *p, uint32_t a);
bool prefix6_contains(const struct prefix6 *p, const struct in6_addr *a);

#endif
