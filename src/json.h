/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_JSON_H
#define SW_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* A small writer for the flat JSON the CLI prints, two-space indented. */
#define JSON_DEPTH 8

struct json {
	FILE *out;
	unsigned depth;
	bool has_items[JSON_DEPTH];
};

void json_start(struct json *j, FILE *out);
/* key is NULL inside arrays and for the outermost value. */
void json_open(struct json *j, const char *key, char bracket);
void json_close(struct json *j, char bracket);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, unsigned long val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* Ends the document with a newline. */
void json_end(struct json *j);

#endif
