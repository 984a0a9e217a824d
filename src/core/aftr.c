/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <string.h>

#include "addr.h"
#include "aftr.h"

static const struct {
	const char *service, *name;
} aftr_services[] = {
	{ "transix", "gw.transix.jp" },
	{ "xpass", "dgw.xpass.jp" },
	{ "v6connect", "dslite.v6connect.net" },
};

#define NSERVICES	(sizeof(aftr_services) / sizeof(aftr_services[0]))

void
dslite_map(const struct in6_addr *b4, unsigned plen,
    const struct in6_addr *aftr, struct map_result *m)
{
	memset(m, 0, sizeof(*m));
	m->rule.type = RULE_DSLITE;
	m->rule.has_br = true;
	m->rule.br = *aftr;
	m->rule.iid = IID_RFC;
	m->eu_prefix.addr = *b4;
	m->eu_prefix.len = (uint8_t)plen;
	addr6_truncate(&m->eu_prefix.addr, plen);
	m->ipv4.addr = DSLITE_B4;
	m->ipv4.len = 32;
	m->ce = *b4;
}

const char *
aftr_service_name(const char *service)
{
	size_t i;

	for (i = 0; i < NSERVICES; i++)
		if (strcmp(service, aftr_services[i].service) == 0)
			return aftr_services[i].name;
	return NULL;
}

const char *
aftr_service_list(void)
{
	return "transix, xpass or v6connect";
}

static bool
ldh(char c)
{
	return isascii((unsigned char)c) && (isalnum((unsigned char)c) ||
	    c == '-');
}

/* One label of len characters at s: letters, digits, inner hyphens. */
static bool
label_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!ldh(s[i]))
			return false;
	return true;
}

int
aftr_name_check(const char *s, char out[AFTR_NAME_MAX], struct sw_err *err)
{
	char q[QUOTE_LEN];
	size_t len = strlen(s), labels = 0, i, start = 0;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > AFTR_NAME_MAX - 1)
		goto bad;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (!label_ok(s + start, i - start))
			goto bad;
		labels++;
		start = i + 1;
	}
	if (labels < 2)
		goto bad;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
bad:
	err_input(err, "\"%s\" is not a host name (labels of letters, digits "
	    "and inner '-', 1-63 characters each, 253 in all, two or more)",
	    err_quote(q, sizeof(q), s));
	return -1;
}

int
aftr_option_parse(const uint8_t *p, size_t len, char out[AFTR_NAME_MAX],
    struct sw_err *err)
{
	char name[AFTR_NAME_MAX + 64];
	size_t n = 0, at = 0;

	/* The whole option starts 00 40; a name never starts with a 0. */
	if (len >= 2 && p[0] == 0 && p[1] == OPT_AFTR_NAME) {
		if (len < 4 || (size_t)(p[2] << 8 | p[3]) != len - 4) {
			err_input(err, "option 64 says %zu bytes, %zu follow",
			    len < 4 ? 0 : (size_t)(p[2] << 8 | p[3]),
			    len < 4 ? 0 : len - 4);
			return -1;
		}
		p += 4;
		len -= 4;
	}
	for (;;) {
		size_t l;

		if (at >= len) {
			err_input(err, "option 64: the name ends without its "
			    "root label (byte %zu)", at);
			return -1;
		}
		l = p[at++];
		if (l == 0)
			break;
		if (l > 63 || l > len - at || n + l + 1 > AFTR_NAME_MAX) {
			err_input(err, "option 64: label of %zu bytes at byte "
			    "%zu %s", l, at - 1, l > 63 ? "(at most 63; "
			    "compression is not allowed)" : "runs past the end "
			    "or the name is too long");
			return -1;
		}
		if (!label_ok((const char *)p + at, l)) {
			err_input(err, "option 64: label at byte %zu is not a "
			    "host name's (letters, digits, inner '-')", at - 1);
			return -1;
		}
		if (n > 0)
			name[n++] = '.';
		memcpy(name + n, p + at, l);
		n += l;
		at += l;
	}
	if (at != len) {
		err_input(err, "option 64: the name ends at byte %zu of %zu",
		    at, len);
		return -1;
	}
	name[n] = '\0';
	if (aftr_name_check(name, out, err) == -1) {
		err_prefix(err, "option 64: ");
		return -1;
	}
	return 0;
}
