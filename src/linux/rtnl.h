/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_RTNL_H
#define SW_RTNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

#include "nl.h"

/* Links, addresses and routes over rtnetlink (a struct nl on NETLINK_ROUTE). */

struct tnl_params {
	struct in6_addr local, remote;
	uint32_t link;		/* the underlying device's index */
	uint32_t flags;		/* IP6_TNL_F_* */
	uint8_t hoplimit;
	uint8_t encap_limit;
	uint8_t proto;
};

struct link_state {
	uint32_t index;
	unsigned mtu;
	bool up;
	bool running;
	char kind[16];		/* "" for a device without IFLA_LINKINFO */
	bool has_tnl;
	struct tnl_params tnl;
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_dropped, tx_dropped, rx_errors, tx_errors;
};

/* 0 found, 1 no such device, -1 error. */
int link_get(struct nl *nl, const char *name, struct link_state *ls,
    struct sw_err *err);
/* Create an ip6tnl (index 0) or set an existing one's parameters. */
int link_ip6tnl(struct nl *nl, uint32_t index, const char *name,
    const struct tnl_params *t, struct sw_err *err);
int link_set(struct nl *nl, uint32_t index, unsigned mtu, bool up,
    struct sw_err *err);
int link_del(struct nl *nl, uint32_t index, struct sw_err *err);
/*
 * No IPv6 address of its own (addrgenmode none), set before the link is
 * up: an ip4ip6 tunnel cannot carry the link-local address's MLD reports
 * and router solicitations, which would only count as tx errors.
 */
int link_addrgen_none(struct nl *nl, uint32_t index, struct sw_err *err);

struct if_addr {
	uint32_t index;
	int family;
	struct in6_addr a6;
	uint32_t a4;		/* network order */
	unsigned plen;
	uint32_t flags;		/* IFA_F_* */
	unsigned scope;
	uint32_t tstamp;	/* last updated (an RA refreshed it), 1/100 s */
	uint32_t preferred;	/* seconds left preferred; UINT32_MAX forever */
};

#define ADDR_LIST_MAX	256

/* Addresses of one family on one device (index 0: every device). */
int addr_list(struct nl *nl, int family, uint32_t index, struct if_addr *out,
    size_t max, size_t *n, struct sw_err *err);
int addr_change(struct nl *nl, bool add, const struct if_addr *a,
    struct sw_err *err);

/*
 * A route as the kernel dumped it (struct rtmsg and the attributes that
 * say where it goes), kept to be put back exactly.
 */
#define ROUTE_MSG_MAX	256
struct saved_route {
	uint8_t msg[ROUTE_MSG_MAX];
	size_t len;
	uint32_t oif;
};

#define ROUTE_SAVE_MAX	8

/* The IPv4 default routes of the main table. */
int route4_defaults(struct nl *nl, struct saved_route *out, size_t max,
    size_t *n, struct sw_err *err);
/* The device of the main table's IPv6 default route (0: none). */
int route6_default_oif(struct nl *nl, uint32_t *oif, struct sw_err *err);
/* Put back (add) or remove a saved route. */
int route_saved_apply(struct nl *nl, bool add, const struct saved_route *r,
    struct sw_err *err);
/* Is msg a well-formed IPv4 default route message (e.g. from a file)? */
bool route_saved_valid(const struct saved_route *r);
/* "default via 10.0.0.1 dev eth1 metric 100" */
void route_describe(const struct saved_route *r, char *buf, size_t size);
/* softwire's own default: "default dev TUNNEL scope link". */
int route4_default_dev(struct nl *nl, bool add, uint32_t oif,
    struct sw_err *err);

#endif
