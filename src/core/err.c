/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static void
err_vset(struct sw_err *err, int errnum, const char *fmt, va_list ap)
{
	if (err == NULL)
		return;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	err->errnum = errnum;
	err->input = false;
}

void
err_set(struct sw_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, 0, fmt, ap);
	va_end(ap);
}

void
err_sys(struct sw_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, errnum, fmt, ap);
	va_end(ap);
}

void
err_input(struct sw_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, 0, fmt, ap);
	va_end(ap);
	if (err != NULL)
		err->input = true;
}

/* Put context in front of an existing message: "in rule \"...\": " + msg. */
void
err_prefix(struct sw_err *err, const char *fmt, ...)
{
	char head[sizeof(err->msg)];
	size_t hlen, olen, cap = sizeof(err->msg) - 1;
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	hlen = strlen(head);
	olen = strnlen(err->msg, cap);
	if (olen > cap - hlen)		/* the message's end gives way */
		olen = cap - hlen;
	memmove(err->msg + hlen, err->msg, olen);
	memcpy(err->msg, head, hlen);
	err->msg[hlen + olen] = '\0';
}

const char *
err_quote(char *dst, size_t dst_len, const char *src)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (dst_len == 0)
		return dst;
	for (; *src != '\0'; src++) {
		unsigned char c = (unsigned char)*src;
		size_t need = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? 1 : 4;

		if (o + need + 4 > dst_len) {	/* room for "..." and NUL */
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		if (need == 1) {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	dst[o] = '\0';
	return dst;
}
