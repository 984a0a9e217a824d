/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_BUILTIN_H
#define SW_BUILTIN_H

#include <stddef.h>
#include <stdint.h>

#include "map.h"

/*
 * The built-in Japanese MAP-E rules, generated at build time from
 * data/jp-map-e.tsv by tools/gen-rules.c.  Every row is stored in 20 bytes;
 * builtin_get() expands one into a struct map_rule.
 */
enum service {
	SVC_V6PLUS,
	SVC_BIGLOBE,
	SVC_OCN,
	SVC_NURO,
	SVC_COUNT,
};

#define BUILTIN_UNVERIFIED 0x1

struct builtin_row {
	uint8_t prefix6[8];	/* every rule prefix is at most /64 */
	uint32_t prefix4;
	uint8_t len6, len4, ea_len, offset;
	uint8_t service, br, flags;
};

/* Generated. */
extern const struct builtin_row builtin_rows[];
extern const size_t builtin_nrows;
extern const uint8_t builtin_brs[][16];
extern const size_t builtin_nbrs;

const char *service_name(enum service s);
const char *service_title(enum service s);
/* -1 when name is not one of ours. */
int service_lookup(const char *name);

size_t builtin_count(void);
void builtin_get(size_t i, struct map_rule *out);

#endif
