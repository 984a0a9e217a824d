/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_SBUF_H
#define SW_SBUF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Text built into a caller's fixed buffer: appends stop at the end and
 * set overflow, so the core never allocates and never truncates silently.
 */
struct sbuf {
	char *p;
	size_t len, cap;
	bool overflow;
};

void sbuf_init(struct sbuf *b, char *p, size_t cap);
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
