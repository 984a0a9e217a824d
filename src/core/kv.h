/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_KV_H
#define SW_KV_H

#include <stddef.h>

#include "sbuf.h"

/*
 * softwire status in words: the daemon's flat JSON object, which it
 * writes one member a line ("  \"key\": value," with strings quoted and
 * \" \\ escaped), as "key  value" lines; a key is up to 64 lower-case
 * letters, digits and underscores.  Anything else in the text
 * (braces, nested values, lines of another shape) is skipped; a string's
 * escapes other than \" and \\ are kept as they are.  Reads at most len
 * bytes of text (it may lack a terminating NUL).
 */
void kv_from_json(const char *text, size_t len, struct sbuf *out);

#endif
