/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/map.h"

/* Exit codes: 0 ok, 1 runtime failure, 2 bad usage or input. */
#define EXIT_FAIL	1
#define EXIT_USAGE	2

#define RULESET_MAX	64	/* explicit rules on one command line */

/* The rules a command works with: explicit ones, else the built-in table. */
struct ruleset {
	struct map_rule *rules;
	size_t n;
	bool builtin;
};

int ruleset_add_text(struct ruleset *rs, const char *text);
int ruleset_add_dhcp(struct ruleset *rs, const char *hex, bool lw4o6);
/* With no explicit rule, load the built-in table. */
void ruleset_finish(struct ruleset *rs);
void ruleset_free(struct ruleset *rs);

int cmd_calc(int argc, char **argv);
int cmd_rules(int argc, char **argv);

#endif
