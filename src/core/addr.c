/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

/* Digits only, no sign, no spaces, at most max. */
int
parse_uint(const char *s, unsigned max, unsigned *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = (unsigned)v;
	return 0;
}

int
addr4_parse(const char *s, uint32_t *out, struct sw_err *err)
{
	char q[QUOTE_LEN];
	struct in_addr a;

	/* glibc's inet_pton takes exactly four decimal parts, no leading 0s. */
	if (inet_pton(AF_INET, s, &a) != 1) {
		err_set(err, "\"%s\" is not an IPv4 address (want a.b.c.d)",
		    err_quote(q, sizeof(q), s));
		return -1;
	}
	*out = ntohl(a.s_addr);
	return 0;
}

int
addr6_parse(const char *s, struct in6_addr *out, struct sw_err *err)
{
	char q[QUOTE_LEN];

	if (inet_pton(AF_INET6, s, out) != 1) {
		err_set(err, "\"%s\" is not an IPv6 address",
		    err_quote(q, sizeof(q), s));
		return -1;
	}
	return 0;
}

/*
 * Split "ADDR/LEN" into a bounded copy of ADDR and the length.  Returns 0
 * with *len = -1 when there is no slash.
 */
static int
split_prefix(const char *s, unsigned max, char *addr, size_t addr_size,
    int *len, struct sw_err *err)
{
	const char *slash = strchr(s, '/');
	char q[QUOTE_LEN];
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	unsigned v;

	if (n >= addr_size) {
		err_set(err, "\"%s\" is too long for an address",
		    err_quote(q, sizeof(q), s));
		return -1;
	}
	memcpy(addr, s, n);
	addr[n] = '\0';
	*len = -1;
	if (slash == NULL)
		return 0;
	if (parse_uint(slash + 1, max, &v) == -1) {
		err_set(err, "prefix length in \"%s\" is not a number in 0-%u",
		    err_quote(q, sizeof(q), s), max);
		return -1;
	}
	*len = (int)v;
	return 0;
}

uint32_t
mask4(unsigned len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

int
prefix4_parse(const char *s, unsigned flags, struct prefix4 *out,
    struct sw_err *err)
{
	char addr[ADDR4_STRLEN], q[QUOTE_LEN];
	int len;

	if (split_prefix(s, 32, addr, sizeof(addr), &len, err) == -1)
		return -1;
	if (len == -1 && !(flags & PFX_BARE_ADDR)) {
		err_set(err, "\"%s\" has no prefix length (want a.b.c.d/N)",
		    err_quote(q, sizeof(q), s));
		return -1;
	}
	if (addr4_parse(addr, &out->addr, err) == -1) {
		err_set(err, "\"%s\" is not an IPv4 prefix (want a.b.c.d/N%s)",
		    err_quote(q, sizeof(q), s),
		    flags & PFX_BARE_ADDR ? " or a.b.c.d" : "");
		return -1;
	}
	out->len = len == -1 ? 32 : (unsigned)len;
	if (!(flags & PFX_HOST_BITS) && (out->addr & ~mask4(out->len)) != 0) {
		err_set(err, "\"%s\" has bits set past /%u",
		    err_quote(q, sizeof(q), s), out->len);
		return -1;
	}
	return 0;
}

int
prefix6_parse(const char *s, unsigned flags, struct prefix6 *out,
    struct sw_err *err)
{
	char addr[ADDR6_STRLEN], q[QUOTE_LEN];
	struct in6_addr trunc;
	int len;

	if (split_prefix(s, 128, addr, sizeof(addr), &len, err) == -1)
		return -1;
	if (len == -1 && !(flags & PFX_BARE_ADDR)) {
		err_set(err, "\"%s\" has no prefix length (want ADDR/N)",
		    err_quote(q, sizeof(q), s));
		return -1;
	}
	if (addr6_parse(addr, &out->addr, err) == -1) {
		err_set(err, "\"%s\" is not an IPv6 prefix (want ADDR/N%s)",
		    err_quote(q, sizeof(q), s),
		    flags & PFX_BARE_ADDR ? " or ADDR" : "");
		return -1;
	}
	out->len = len == -1 ? 128 : (unsigned)len;
	trunc = out->addr;
	addr6_truncate(&trunc, out->len);
	if (!(flags & PFX_HOST_BITS) &&
	    memcmp(&trunc, &out->addr, sizeof(trunc)) != 0) {
		err_set(err, "\"%s\" has bits set past /%u",
		    err_quote(q, sizeof(q), s), out->len);
		return -1;
	}
	return 0;
}

const char *
addr4_format(uint32_t a, char buf[ADDR4_STRLEN])
{
	snprintf(buf, ADDR4_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
	return buf;
}

const char *
addr6_format(const struct in6_addr *a, char buf[ADDR6_STRLEN])
{
	/* glibc prints the RFC 5952 form: lower case, longest zero run. */
	if (inet_ntop(AF_INET6, a, buf, ADDR6_STRLEN) == NULL)
		buf[0] = '\0';
	return buf;
}

const char *
prefix4_format(const struct prefix4 *p, char buf[PREFIX4_STRLEN])
{
	char a[ADDR4_STRLEN];

	snprintf(buf, PREFIX4_STRLEN, "%s/%u", addr4_format(p->addr, a),
	    p->len);
	return buf;
}

const char *
prefix6_format(const struct prefix6 *p, char buf[PREFIX6_STRLEN])
{
	char a[ADDR6_STRLEN];

	snprintf(buf, PREFIX6_STRLEN, "%s/%u", addr6_format(&p->addr, a),
	    p->len);
	return buf;
}

uint64_t
bits6_get(const struct in6_addr *a, unsigned pos, unsigned len)
{
	uint64_t v = 0;
	unsigned i;

	for (i = pos; i < pos + len && i < 128; i++)
		v = (v << 1) | ((a->s6_addr[i / 8] >> (7 - i % 8)) & 1);
	return v;
}

void
bits6_set(struct in6_addr *a, unsigned pos, unsigned len, uint64_t val)
{
	unsigned i;

	for (i = 0; i < len && pos + i < 128; i++) {
		unsigned bit = pos + i;
		uint8_t m = (uint8_t)(0x80 >> (bit % 8));

		if ((val >> (len - 1 - i)) & 1)
			a->s6_addr[bit / 8] |= m;
		else
			a->s6_addr[bit / 8] &= (uint8_t)~m;
	}
}

void
addr6_truncate(struct in6_addr *a, unsigned len)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len <= 8 * i)
			a->s6_addr[i] = 0;
		else
			a->s6_addr[i] &= (uint8_t)(0xff << (8 - (len - 8 * i)));
	}
}

bool
prefix4_contains(const struct prefix4 *p, uint32_t a)
{
	return ((a ^ p->addr) & mask4(p->len)) == 0;
}

bool
prefix6_contains(const struct prefix6 *p, const struct in6_addr *a)
{
	struct in6_addr x = *a, y = p->addr;

	addr6_truncate(&x, p->len);
	addr6_truncate(&y, p->len);
	return memcmp(&x, &y, sizeof(x)) == 0;
}
