/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_ERR_H
#define SW_ERR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Errors: a function that fails returns -1 and leaves a message here
 * that quotes the offending input, and for a failed system call its
 * errno (0 otherwise), so that callers never read a global errno that
 * something since may have changed.  Only main() decides what to do.
 */
struct sw_err {
	char msg[384];
	int errnum;
	bool input;		/* the caller's input was at fault (err_input) */
};

/* A message; errnum 0. */
void err_set(struct sw_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A message about a failed system call, which returned errnum. */
void err_sys(struct sw_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A message about bad input (options, a config, a prefix): input set. */
void err_input(struct sw_err *err, const char *fmt, ...)
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
