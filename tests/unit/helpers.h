/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the unit tests: cmocka plus parse-or-fail helpers. */
#ifndef SW_TEST_HELPERS_H
#define SW_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/addr.h"
#include "core/map.h"
#include "core/rule.h"

static inline struct prefix6
p6(const char *s)
{
	struct prefix6 p;
	struct sw_err err;

	if (prefix6_parse(s, PFX_BARE_ADDR | PFX_HOST_BITS, &p, &err) == -1)
		fail_msg("%s", err.msg);
	return p;
}

static inline struct in6_addr
a6(const char *s)
{
	return p6(s).addr;
}

static inline uint32_t
a4(const char *s)
{
	uint32_t a = 0;
	struct sw_err err;

	if (addr4_parse(s, &a, &err) == -1)
		fail_msg("%s", err.msg);
	return a;
}

static inline struct map_rule
rule(const char *s)
{
	struct map_rule r;
	struct sw_err err;

	if (rule_parse(s, &r, &err) == -1)
		fail_msg("%s", err.msg);
	return r;
}

#define assert_addr6_equal(a, s) do {					\
	char buf_[ADDR6_STRLEN];					\
	assert_string_equal(addr6_format(&(a), buf_), (s));		\
} while (0)

/* The parse must fail and its message must contain `needle`. */
#define assert_err_contains(err, needle) do {				\
	if (strstr((err).msg, (needle)) == NULL)			\
		fail_msg("message \"%s\" lacks \"%s\"", (err).msg, (needle)); \
} while (0)

/* A small deterministic generator: runs repeat exactly. */
static inline uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
