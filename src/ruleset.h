/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_RULESET_H
#define SW_RULESET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/map.h"

#define RULESET_MAX	64	/* explicit rules on one command line */

/* The rules a command works with: explicit ones, else the built-in table. */
struct ruleset {
	struct map_rule *rules;
	size_t n;
	bool builtin;
	bool iid_set;		/* --iid given: it overrides every rule's */
	enum iid_layout iid;
};

/*
 * 1 when key (opt.h) was a rule option (--rule, --dhcp6-mape, --dhcp6-lw,
 * --iid), now applied; 0 if not; -1 after a message.
 */
int ruleset_option(struct ruleset *rs, int c, const char *arg);

/* --service NAME: 0 if a built-in service, -1 after a message. */
int ruleset_service(const char *name);

int ruleset_add_text(struct ruleset *rs, const char *text);
int ruleset_add_dhcp(struct ruleset *rs, const char *hex, bool lw4o6);
/*
 * With no explicit rule, load the built-in table (one service, or all);
 * then apply --iid.
 */
void ruleset_finish(struct ruleset *rs, const char *service);
void ruleset_free(struct ruleset *rs);

/* Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input. */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/*
 * The mapping of PREFIX under the longest-matching rule.  0, or an exit
 * code after a message that helps (EXIT_FAIL: no rule covers it).
 */
int ruleset_map(const struct ruleset *rs, const char *prefix,
    struct map_result *m);

/*
 * The same without printing: 0, or -1 with err (err.input when the
 * prefix is bad, not when no rule covers it).
 */
int ruleset_map_err(const struct ruleset *rs, const char *prefix,
    struct map_result *m, struct sw_err *err);
/* Why no rule covers in (as text prefix), in words that help. */
void ruleset_no_rule(const struct ruleset *rs, const char *prefix,
    const struct prefix6 *in, struct sw_err *err);

#endif
