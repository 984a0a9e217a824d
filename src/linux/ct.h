/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CT_H
#define SW_CT_H

#include <stdbool.h>
#include <stdint.h>

#include "nl.h"

/* IPv4 conntrack over ctnetlink (a struct nl on NETLINK_NETFILTER). */

struct ct_tuple {
	uint32_t src, dst;	/* network order */
	uint8_t proto;
	uint16_t sport, dport;	/* host order; ICMP: the id in both */
};

#define CT_RAW_MAX	128

struct ct_entry {
	struct ct_tuple orig, reply;
	uint8_t raw_orig[CT_RAW_MAX];	/* CTA_TUPLE_ORIG as the kernel sent it */
	size_t raw_len;
	bool has_zone;
	uint16_t zone;			/* network order */
};

/*
 * Call fn for every IPv4 connection; fn(NULL, data) means the dump
 * starts over (the kernel interrupted it).
 */
typedef void ct_fn(const struct ct_entry *e, void *data);
int ct_walk(struct nl *nl, ct_fn *fn, void *data, struct sw_err *err);
/* 0, or 1 when it was already gone. */
int ct_delete(struct nl *nl, const struct ct_entry *e, struct sw_err *err);

struct ct_stats {
	uint64_t insert_failed;		/* no free tuple: the port set is full */
	uint64_t drop;
	uint64_t entries;
};
int ct_stats(struct nl *nl, struct ct_stats *st, struct sw_err *err);

#endif
