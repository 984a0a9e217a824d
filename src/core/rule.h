/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_RULE_H
#define SW_RULE_H

#include <stddef.h>

#include "map.h"

/*
 * Explicit rules in the key=value syntax odhcp6c hands to scripts ($MAPE,
 * $LW4O6) and mapcalc takes:
 *   ipv6prefix=ADDR[/N],prefix6len=N,ipv4prefix=ADDR[/N],prefix4len=N,
 *   ealen=N,offset=N,psidlen=N,psid=N,br=ADDR[,fmr][,type=map-e|lw4o6]
 * psid= is the 16-bit left-aligned value of RFC 7598 option 93.  Several
 * rules separated by white space, as odhcp6c writes them, are accepted.
 */
#define RULE_TEXT_MAX	1024

#define RULE_DEFAULT_OFFSET 6	/* RFC 7597 §5.1 */

/*
 * Set psid_len and psid from what a rule gave: psid_len derived from the EA
 * bits when not given, psid the left-aligned 16-bit value (RFC 7598 §4.5).
 */
int rule_set_psid(struct map_rule *r, bool have_len, unsigned psid_len,
    bool have_psid, unsigned psid, struct sw_err *err);
int rule_parse(const char *s, struct map_rule *out, struct sw_err *err);
/* Appends to rules[*n], at most max in all. */
int rule_parse_list(const char *s, struct map_rule *rules, size_t max,
    size_t *n, struct sw_err *err);

#endif
