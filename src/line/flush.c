/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The connections of a mapping the line left, dropped from conntrack. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/netlink.h>

#include "line/up.h"
#include "linux/ct.h"

struct ct_flush {
	const struct prefix4 *old, *addr;
	const struct portset *ports;
	struct ct_entry *e;
	size_t n, cap;
	bool nomem;
};

/* Does (address, port) belong to the old mapping and not the new one? */
static bool
ct_stale(const struct ct_flush *f, uint32_t a, uint16_t port)
{
	a = ntohl(a);
	if (!prefix4_contains(f->old, a))
		return false;
	return f->addr == NULL || !prefix4_contains(f->addr, a) ||
	    !portset_contains(f->ports, port);
}

static void
ct_flush_cb(const struct ct_entry *e, void *data)
{
	struct ct_flush *f = data;
	bool out, in;

	if (e == NULL) {
		f->n = 0;
		return;
	}
	/*
	 * On the line's address: outward after SNAT (from the LAN or the CE
	 * itself), or inward to it (a forward, a service of the CE).
	 */
	out = ct_stale(f, e->reply.dst, e->reply.dport);
	in = ct_stale(f, e->orig.dst, e->orig.dport);
	if (!out && !in)
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct ct_entry *p = realloc(f->e, cap * sizeof(*p));

		if (p == NULL) {
			f->nomem = true;
			return;
		}
		f->e = p;
		f->cap = cap;
	}
	f->e[f->n++] = *e;
}

int
ct_flush_mapping(const struct prefix4 *old, const struct prefix4 *addr,
    const struct portset *ports, unsigned *flushed, struct sw_err *err)
{
	struct ct_flush f = { old, addr, ports, NULL, 0, 0, false };
	struct sw_err e2;
	struct nl nf;
	size_t i;
	int rc = 0;

	*flushed = 0;
	memset(&nf, 0, sizeof(nf));
	if (nl_open(&nf, NETLINK_NETFILTER, err) == -1)
		return -1;
	if (ct_walk(&nf, ct_flush_cb, &f, err) == -1) {
		free(f.e);
		nl_close(&nf);
		return -1;
	}
	if (f.nomem) {
		err_sys(err, ENOMEM, "conntrack: %s", strerror(ENOMEM));
		rc = -1;
	}
	for (i = 0; i < f.n; i++) {
		switch (ct_delete(&nf, &f.e[i], &e2)) {
		case 0:
			(*flushed)++;
			break;
		case -1:
			*err = e2;
			rc = -1;
			break;
		}
	}
	free(f.e);
	nl_close(&nf);
	return rc;
}
