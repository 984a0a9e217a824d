/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "kv.h"

#define KV_KEY_MAX	64

/* A key: lower-case letters, digits and underscores; 0 if none. */
static size_t
kv_key(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i <= KV_KEY_MAX; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' &&
		    p[i] <= '9') || p[i] == '_'))
			break;
	return i > KV_KEY_MAX ? 0 : i;
}

/* One line "  \"key\": value[,]" of length n, if it is one. */
static void
kv_line(const char *p, size_t n, struct sbuf *out)
{
	size_t i = 0, k, v, e;
	char val[512];

	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] != '"')
		return;
	k = kv_key(p + i + 1, n - i - 1);
	if (k == 0 || i + 1 + k + 3 > n || memcmp(p + i + 1 + k, "\": ", 3))
		return;
	v = i + 1 + k + 3;
	e = n;
	if (e > v && p[e - 1] == ',')
		e--;
	if (e == v)
		return;
	if (e - v >= 2 && p[v] == '"' && p[e - 1] == '"') {
		size_t j, d = 0;

		for (j = v + 1; j < e - 1 && d < sizeof(val) - 1; j++) {
			if (p[j] == '\\' && j + 1 < e - 1 &&
			    (p[j + 1] == '"' || p[j + 1] == '\\'))
				j++;
			val[d++] = p[j];
		}
		val[d] = '\0';
	} else {
		size_t len = e - v < sizeof(val) - 1 ? e - v :
		    sizeof(val) - 1;

		memcpy(val, p + v, len);
		val[len] = '\0';
	}
	sbuf_printf(out, "%-18.*s %s\n", (int)k, p + i + 1, val);
}

void
kv_from_json(const char *text, size_t len, struct sbuf *out)
{
	size_t start = 0, i;

	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n' && text[i] != '\0')
			continue;
		kv_line(text + start, i - start, out);
		if (i < len && text[i] == '\0')
			break;
		start = i + 1;
	}
}
