/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"

void
json_start(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->has_items[0] = false;
}

static void
json_escaped(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Comma, newline and indent before an item, then its key. */
static void
json_item(struct json *j, const char *key)
{
	unsigned i;

	if (j->depth > 0) {
		if (j->has_items[j->depth])
			fputc(',', j->out);
		fputc('\n', j->out);
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	j->has_items[j->depth] = true;
	if (key != NULL) {
		json_escaped(j->out, key);
		fputs(": ", j->out);
	}
}

void
json_open(struct json *j, const char *key, char bracket)
{
	json_item(j, key);
	fputc(bracket, j->out);
	if (j->depth + 1 < JSON_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
}

void
json_close(struct json *j, char bracket)
{
	bool had = j->has_items[j->depth];
	unsigned i;

	if (j->depth > 0)
		j->depth--;
	if (had) {
		fputc('\n', j->out);
		for (i = 0; i < j->depth; i++)
			fputs("  ", j->out);
	}
	fputc(bracket, j->out);
}

void
json_str(struct json *j, const char *key, const char *val)
{
	json_item(j, key);
	if (val == NULL)
		fputs("null", j->out);
	else
		json_escaped(j->out, val);
}

void
json_uint(struct json *j, const char *key, unsigned long val)
{
	json_item(j, key);
	fprintf(j->out, "%lu", val);
}

void
json_bool(struct json *j, const char *key, bool val)
{
	json_item(j, key);
	fputs(val ? "true" : "false", j->out);
}

void
json_null(struct json *j, const char *key)
{
	json_item(j, key);
	fputs("null", j->out);
}

void
json_end(struct json *j)
{
	fputc('\n', j->out);
}
