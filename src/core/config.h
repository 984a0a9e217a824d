/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CONFIG_H
#define SW_CONFIG_H

#include <stddef.h>

#include "err.h"

/*
 * softwire.conf(5): one option a line, "NAME [VALUE]", NAME as the long
 * option without its dashes; blank lines and comments ("#" first on a
 * line, or after a blank) are skipped.  Pure: the caller decides what a
 * name means.
 */

#define CONFIG_LINE_MAX	1024	/* bytes in one line */
#define CONFIG_NAME_MAX	32

/* One line's option: 0, or -1 with err set. */
typedef int (*config_fn)(void *ctx, const char *name, const char *value,
    struct sw_err *err);

/*
 * Walk text (len bytes, and one more byte of room after them) in place:
 * each option to fn, in order, name and value cut out of text with NULs,
 * so they stay valid as long as text.
 * 0, or -1 with err quoting the bad input and *line its number; on -1
 * the options before the bad line were passed to fn, so the caller must
 * apply nothing until the whole text parsed.
 */
int config_parse(char *text, size_t len, config_fn fn, void *ctx,
    size_t *line, struct sw_err *err);

#endif
