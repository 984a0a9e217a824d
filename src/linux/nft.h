/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_NFT_H
#define SW_NFT_H

#include <stdbool.h>

#include "core/err.h"

/*
 * nftables through libnftables: every call is one transaction; the
 * kernel applies all of it or none.
 */

/* Run commands (dry: let the kernel check them, apply nothing). */
int nft_apply(const char *cmds, bool dry, struct sw_err *err);
/*
 * A table's listing in nft syntax (malloc'd), NULL with *missing set when
 * it does not exist, NULL with err set on other failures.
 */
char *nft_table_text(const char *family, const char *name, bool *missing,
    struct sw_err *err);

#endif
