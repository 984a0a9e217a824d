/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_S46_H
#define SW_S46_H

#include <stddef.h>
#include <stdint.h>

#include "map.h"

/* RFC 7598 DHCPv6 option codes. */
enum s46_option {
	OPT_S46_RULE = 89,
	OPT_S46_BR = 90,
	OPT_S46_DMR = 91,
	OPT_S46_V4V6BIND = 92,
	OPT_S46_PORTPARAMS = 93,
	OPT_S46_CONT_MAPE = 94,
	OPT_S46_CONT_MAPT = 95,
	OPT_S46_CONT_LW = 96,
};

#define S46_HEX_MAX 2048	/* decoded bytes */

/*
 * Hex digits, optionally with ':' or white space between bytes (dhcpcd
 * prints "00:59:..."), into bytes.
 */
int hex_decode(const char *s, uint8_t *buf, size_t cap, size_t *len,
    struct sw_err *err);

/*
 * Option 94 (MAP-E) or 96 (lw4o6): the whole option with its code and
 * length, or only its contents.  Appends the rules to rules[*n].
 */
int s46_parse_mape(const uint8_t *p, size_t len, struct map_rule *rules,
    size_t max, size_t *n, struct sw_err *err);
int s46_parse_lw(const uint8_t *p, size_t len, struct map_rule *rules,
    size_t max, size_t *n, struct sw_err *err);

#endif
