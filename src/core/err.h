/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_ERR_H
#define SW_ERR_H

#include <stddef.h>

/*
 * Errors of the pure core: a function that fails returns -1 and leaves a
 * message here that quotes the offending input.  Only main() decides what
 * to do with it.
 */
struct sw_err {
	char msg[384];
};

void err_set(struct sw_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void err_prefix(struct sw_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Copy src into dst for quoting in a message: non-printable bytes, quotes
 * and backslashes as \xNN, long input cut with "...".  Returns dst.
 */
#define QUOTE_LEN 96
const char *err_quote(char *dst, size_t dst_len, const char *src);

#endif
