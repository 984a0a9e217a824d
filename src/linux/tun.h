/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_TUN_H
#define SW_TUN_H

#include <netinet/in.h>
#include <stdbool.h>

/*
 * A TUN device without packet information, brought up with this MTU, for
 * IPv4 only or for IPv6 without a link-local address.  Non-blocking: the
 * event loop drains it.
 */
int tun_open(const char *name, unsigned mtu, bool ipv6);

/*
 * A raw IPv6 socket for ip4ip6 (protocol 4) bound to the local address:
 * the kernel writes the outer header on send and strips it on receive.
 */
int raw6_open(const struct in6_addr *local);

#endif
