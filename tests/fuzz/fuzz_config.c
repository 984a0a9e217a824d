/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire.conf(5) lines.  Invariants: every option handed on has a name
 * of lower-case letters, digits and dashes and a value with no control
 * character but tabs and no blank at either end, both inside the text;
 * a refusal names a line that exists and says why.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

struct seen {
	const char *text;
	size_t len, options;
};

static bool
inside(const struct seen *s, const char *p)
{
	return p >= s->text && p <= s->text + s->len;
}

static int
check(void *ctx, const char *name, const char *value, struct sw_err *err)
{
	struct seen *s = ctx;
	size_t i, n = strlen(name), v = strlen(value);

	if (!inside(s, name) || !inside(s, value) || n == 0 ||
	    n > CONFIG_NAME_MAX)
		abort();
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-'))
			abort();
	for (i = 0; i < v; i++)
		if ((unsigned char)value[i] < 0x20 && value[i] != '\t')
			abort();
	if (v > 0 && (value[0] == ' ' || value[0] == '\t' ||
	    value[v - 1] == ' ' || value[v - 1] == '\t'))
		abort();
	s->options++;
	/* Some names are refused, as a caller refuses unknown options. */
	if (strcmp(name, "bad") == 0) {
		err_set(err, "unknown option \"%s\"", name);
		return -1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { NULL, size, 0 };
	struct sw_err err = { "" };
	size_t line, lines = 1, i;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	s.text = text;
	if (config_parse(text, size, check, &s, &line, &err) == -1 &&
	    (line == 0 || line > lines || err.msg[0] == '\0'))
		abort();
	free(text);
	return 0;
}
