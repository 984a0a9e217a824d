/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state file parser.  Invariants: a refusal says why; what it
 * accepts, state_format writes back into text that parses to the same
 * state and formats to the same text.
 */
#include <stdlib.h>
#include <string.h>

#include "core/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8192], again[8192];
	static struct sw_state st, back;
	struct sw_err err = { "" };
	struct sbuf b;
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (state_parse(s, &st, &err) == -1) {
		if (err.msg[0] == '\0')
			abort();
		free(s);
		return 0;
	}
	free(s);
	sbuf_init(&b, text, sizeof(text));
	state_format(&st, &b);
	if (b.overflow || state_parse(text, &back, &err) == -1)
		abort();
	sbuf_init(&b, again, sizeof(again));
	state_format(&back, &b);
	if (strcmp(text, again) != 0 || strcmp(st.tunnel, back.tunnel) != 0 ||
	    st.nroutes != back.nroutes || st.nft_hash != back.nft_hash ||
	    memcmp(&st.ports, &back.ports, sizeof(st.ports)) != 0)
		abort();
	return 0;
}
