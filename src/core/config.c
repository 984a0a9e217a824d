/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdbool.h>
#include <string.h>

#include "config.h"

static bool
config_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
config_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/*
 * One line (no newline, NUL-terminated in a buffer of its own), cut in
 * place into name and value.  0 with *name NULL for a blank or comment
 * line, 0 with the option, or -1 with err.
 */
static int
config_line(char *line, const char **name, const char **value,
    struct sw_err *err)
{
	char q[QUOTE_LEN], *p = line, *end;
	size_t i;

	*name = NULL;
	for (i = 0; line[i] != '\0'; i++)
		if ((unsigned char)line[i] < 0x20 && line[i] != '\t') {
			err_set(err, "a control character in \"%s\"",
			    err_quote(q, sizeof(q), line));
			return -1;
		}
	/* A comment: "#" first, or after a blank; then trailing blanks. */
	for (i = 0; line[i] != '\0'; i++)
		if (line[i] == '#' && (i == 0 || config_blank(line[i - 1]))) {
			line[i] = '\0';
			break;
		}
	end = line + strlen(line);
	while (end > line && config_blank(end[-1]))
		*--end = '\0';
	while (config_blank(*p))
		p++;
	if (*p == '\0')
		return 0;
	*name = p;
	while (config_name_char(*p))
		p++;
	if (*p != '\0' && !config_blank(*p)) {
		err_set(err, "\"%s\" is no option name (lower-case letters, "
		    "digits and dashes, as the long option without its --)",
		    err_quote(q, sizeof(q), *name));
		return -1;
	}
	if (p - *name > CONFIG_NAME_MAX) {
		err_set(err, "option name \"%s\" is too long",
		    err_quote(q, sizeof(q), *name));
		return -1;
	}
	if (*p != '\0')
		*p++ = '\0';
	while (config_blank(*p))
		p++;
	*value = p;
	return 0;
}

int
config_parse(char *text, size_t len, config_fn fn, void *ctx,
    size_t *lineno, struct sw_err *err)
{
	const char *name, *value;
	size_t off = 0, n;
	char *line, *nl;

	*lineno = 0;
	while (off < len) {
		line = text + off;
		nl = memchr(line, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - line) : len - off;
		(*lineno)++;
		if (memchr(line, '\0', n) != NULL) {
			err_set(err, "a NUL byte");
			return -1;
		}
		if (n > CONFIG_LINE_MAX) {
			err_set(err, "longer than %d bytes", CONFIG_LINE_MAX);
			return -1;
		}
		line[n] = '\0';	/* the newline, or the byte after text */
		if (n > 0 && line[n - 1] == '\r')	/* a CRLF file */
			line[n - 1] = '\0';
		off += n + 1;
		if (config_line(line, &name, &value, err) == -1 ||
		    (name != NULL && fn(ctx, name, value, err) == -1))
			return -1;
	}
	return 0;
}
