/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "bind.h"

#define BIND_TEXT_MAX	160

/* Split s at commas into at most max fields of buf; the count, or -1. */
static int
bind_fields(const char *s, char *buf, size_t cap, char **f, int max)
{
	int n = 0;
	char *p;

	if (strlen(s) >= cap)
		return -1;
	strcpy(buf, s);
	for (p = buf; n < max; n++) {
		f[n] = p;
		if ((p = strchr(p, ',')) == NULL)
			return n + 1;
		*p++ = '\0';
	}
	return -1;
}

/* "PSID/LEN" into b. */
static int
bind_psid(const char *s, struct lw_binding *b)
{
	char buf[16], *slash;
	unsigned psid, len;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	if (parse_uint(buf, 0xffff, &psid) == -1 ||
	    parse_uint(slash + 1, MAP_PSID_MAX, &len) == -1 || len == 0)
		return -1;
	b->psid = (uint16_t)psid;
	b->psid_len = (uint8_t)len;
	return 0;
}

static int
bind_check(const struct lw_binding *b, const char *s, struct sw_err *err)
{
	char q[QUOTE_LEN];

	if (b->psid_len > 0 && b->psid_len < 16 && b->psid >> b->psid_len)
		err_input(err, "PSID %u does not fit %u bits",
		    b->psid, b->psid_len);
	else if (b->psid_len > 0 && b->offset + b->psid_len > 16)
		err_input(err, "offset %u + PSID length %u exceed 16 port "
		    "bits", b->offset, b->psid_len);
	else if (b->psid_len == 16 && b->offset == 0 && b->psid == 0)
		err_input(err, "PSID 0/16 at offset 0 holds only port 0, "
		    "which is no port");
	else
		return 0;
	err_prefix(err, "binding \"%s\": ", err_quote(q, sizeof(q), s));
	return -1;
}

int
lw_binding_parse(const char *s, struct lw_binding *b, struct sw_err *err)
{
	char buf[BIND_TEXT_MAX], q[QUOTE_LEN], q2[QUOTE_LEN], *f[4];
	unsigned off = LW_DEFAULT_OFFSET;
	int n;

	memset(b, 0, sizeof(*b));
	n = bind_fields(s, buf, sizeof(buf), f, 4);
	if (n < 2 || (n == 3 && strchr(f[1], '/') == NULL)) {
		err_input(err, "binding \"%s\": want IPV4,PSID/LEN[,OFFSET],"
		    "B4ADDRESS or IPV4,B4ADDRESS", err_quote(q, sizeof(q), s));
		return -1;
	}
	if (addr4_parse(f[0], &b->ipv4, err) == -1 ||
	    addr6_parse(f[n - 1], &b->b4, err) == -1) {
		err_prefix(err, "binding \"%s\": ", err_quote(q, sizeof(q), s));
		err->input = true;
		return -1;
	}
	if (n >= 3 && bind_psid(f[1], b) == -1) {
		err_input(err, "binding \"%s\": PSID/LEN \"%s\" wants a PSID "
		    "in 0-65535 and a length in 1-%u", err_quote(q, sizeof(q),
		    s), err_quote(q2, sizeof(q2), f[1]), MAP_PSID_MAX);
		return -1;
	}
	if (n == 4 && parse_uint(f[2], MAP_OFFSET_MAX, &off) == -1) {
		err_input(err, "binding \"%s\": offset \"%s\" is not a number "
		    "in 0-%u", err_quote(q, sizeof(q), s),
		    err_quote(q2, sizeof(q2), f[2]), MAP_OFFSET_MAX);
		return -1;
	}
	b->offset = (uint8_t)off;
	return bind_check(b, s, err);
}

static int
bind_cmp(const void *a, const void *b)
{
	const struct lw_binding *x = a, *y = b;

	if (x->ipv4 != y->ipv4)
		return x->ipv4 < y->ipv4 ? -1 : 1;
	return (int)x->psid - (int)y->psid;
}

int
lw_table_sort(struct lw_binding *t, size_t n, struct sw_err *err)
{
	char a[ADDR4_STRLEN];
	size_t i;

	qsort(t, n, sizeof(*t), bind_cmp);
	for (i = 1; i < n; i++) {
		const struct lw_binding *p = &t[i - 1], *c = &t[i];

		if (p->ipv4 != c->ipv4)
			continue;
		addr4_format(c->ipv4, a);
		if (p->psid_len == 0 || c->psid_len == 0) {
			err_input(err, "%s is bound whole and bound again", a);
			return -1;
		}
		if (p->psid_len != c->psid_len || p->offset != c->offset) {
			err_input(err, "%s is bound with PSID length %u offset "
			    "%u and with length %u offset %u: one port layout "
			    "an address", a, p->psid_len, p->offset,
			    c->psid_len, c->offset);
			return -1;
		}
		if (p->psid == c->psid) {
			err_input(err, "%s PSID %u is bound twice", a, c->psid);
			return -1;
		}
	}
	return 0;
}

const struct lw_binding *
lw_first(const struct lw_binding *t, size_t n, uint32_t ipv4)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t[mid].ipv4 < ipv4)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && t[lo].ipv4 == ipv4 ? &t[lo] : NULL;
}

enum map_lookup
lw_lookup(const struct lw_binding *t, size_t n, uint32_t ipv4,
    uint16_t port, const struct lw_binding **out)
{
	const struct lw_binding *f = lw_first(t, n, ipv4);
	struct lw_binding key;
	int psid;

	if (f == NULL)
		return MAP_NOT_IN_RULE;
	if (f->psid_len == 0) {
		*out = f;
		return MAP_FOUND;
	}
	/* Port 0 is in the set of PSID 0 at offset 0, but no port. */
	if (port == 0 || (psid = port_psid(f->offset, f->psid_len, port)) < 0)
		return MAP_EXCLUDED_PORT;
	key.ipv4 = ipv4;
	key.psid = (uint16_t)psid;
	*out = bsearch(&key, f, n - (size_t)(f - t), sizeof(*t), bind_cmp);
	return *out != NULL ? MAP_FOUND : MAP_OTHER_PSID;
}

bool
lw_holds(const struct lw_binding *t, size_t n, uint32_t ipv4,
    const struct in6_addr *b4)
{
	const struct lw_binding *f = lw_first(t, n, ipv4);

	for (; f != NULL && f < t + n && f->ipv4 == ipv4; f++)
		if (memcmp(&f->b4, b4, sizeof(*b4)) == 0)
			return true;
	return false;
}
