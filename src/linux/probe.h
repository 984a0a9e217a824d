/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_PROBE_H
#define SW_PROBE_H

#include <netinet/in.h>

#include "core/err.h"

/*
 * Does the BR answer ICMPv6 echo sent from the CE address?  Up to tries
 * requests, wait_ms apart.  0 on the first reply, -1 with err set.
 */
int probe_br(const struct in6_addr *ce, const struct in6_addr *br,
    unsigned tries, unsigned wait_ms, struct sw_err *err);

#endif
