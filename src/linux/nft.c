/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nftables/libnftables.h>

#include "nft.h"

/* libnftables' error text, on one line, without the caret markers. */
static void
nft_error(const char *what, const char *text, struct sw_err *err)
{
	char line[sizeof(err->msg)];
	size_t i, n = 0;
	bool space = false;

	for (i = 0; text != NULL && text[i] != '\0' && n + 1 < sizeof(line);
	    i++) {
		char c = text[i];

		if (c == '\n' || c == '\t' || c == ' ') {
			space = n > 0;
			/* The lines of ^^^^ under the input say nothing here. */
			while (text[i + 1] == ' ' || text[i + 1] == '^' ||
			    text[i + 1] == '~' || text[i + 1] == '\n')
				i++;
			continue;
		}
		if (space && n + 2 < sizeof(line))
			line[n++] = ' ';
		space = false;
		line[n++] = c;
	}
	line[n] = '\0';
	err_set(err, "%s: %s", what, n > 0 ? line : "nft failed");
}

static struct nft_ctx *
nft_open(struct sw_err *err)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);

	if (ctx == NULL) {
		err_set(err, "nftables: cannot allocate a context");
		return NULL;
	}
	if (nft_ctx_buffer_output(ctx) != 0 ||
	    nft_ctx_buffer_error(ctx) != 0) {
		nft_ctx_free(ctx);
		err_set(err, "nftables: cannot buffer output");
		return NULL;
	}
	return ctx;
}

int
nft_apply(const char *cmds, bool dry, struct sw_err *err)
{
	struct nft_ctx *ctx = nft_open(err);
	int rc = 0;

	if (ctx == NULL)
		return -1;
	nft_ctx_set_dry_run(ctx, dry);
	if (nft_run_cmd_from_buffer(ctx, cmds) != 0) {
		nft_error(dry ? "checking the nftables ruleset" :
		    "loading the nftables ruleset",
		    nft_ctx_get_error_buffer(ctx), err);
		rc = -1;
	}
	nft_ctx_free(ctx);
	return rc;
}

char *
nft_table_text(const char *family, const char *name, bool *missing,
    struct sw_err *err)
{
	struct nft_ctx *ctx = nft_open(err);
	char cmd[96], *text = NULL;

	*missing = false;
	if (ctx == NULL)
		return NULL;
	snprintf(cmd, sizeof(cmd), "list table %s %s", family, name);
	if (nft_run_cmd_from_buffer(ctx, cmd) != 0) {
		const char *e = nft_ctx_get_error_buffer(ctx);

		if (e != NULL && strstr(e, "No such file or directory"))
			*missing = true;
		else
			nft_error("reading nftables", e, err);
	} else if ((text = strdup(nft_ctx_get_output_buffer(ctx))) == NULL) {
		err_sys(err, errno, "nftables: %s", strerror(errno));
	}
	nft_ctx_free(ctx);
	return text;
}
