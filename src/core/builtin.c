/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "builtin.h"

size_t
builtin_count(void)
{
	return builtin_nrows;
}

void
builtin_get(size_t i, struct map_rule *out)
{
	const struct builtin_row *row = &builtin_rows[i];
	unsigned ea_v4 = row->ea_len + row->len4;

	memset(out, 0, sizeof(*out));
	memcpy(out->prefix6.addr.s6_addr, row->prefix6, sizeof(row->prefix6));
	out->prefix6.len = row->len6;
	out->prefix4.addr = row->prefix4;
	out->prefix4.len = row->len4;
	out->ea_len = row->ea_len;
	out->psid_offset = row->offset;
	out->psid_len = (uint8_t)(ea_v4 > 32 ? ea_v4 - 32 : 0);
	out->has_br = true;
	memcpy(out->br.s6_addr, builtin_brs[row->br], 16);
	out->type = RULE_MAPE;
	out->iid = IID_DRAFT;	/* Japanese services use the draft-03 IID */
	out->service = service_name((enum service)row->service);
	out->unverified = (row->flags & BUILTIN_UNVERIFIED) != 0;
}
