/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan's parsers (--forward, interface names) and its rendering.
 * Invariants: a refusal says why; an accepted name or forward renders
 * into the buffer without overflow, and a name never carries a character
 * that could end its nft or sh quoting.
 */
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[65536];
	static struct plan base;
	static bool ready;
	struct plan p;
	struct sw_err err = { "" };
	struct sbuf b;
	char *s;

	if (!ready) {
		struct map_rule r;
		struct prefix6 in = { .len = 56 };

		if (rule_parse("ipv6prefix=2001:db8::/40,ipv4prefix=192.0.2.0/24,"
		    "ealen=16,offset=4,br=2001:db8::1", &r, &err) == -1)
			abort();
		in.addr = r.prefix6.addr;
		in.addr.s6_addr[5] = 0x12;
		in.addr.s6_addr[6] = 0x34;
		if (map_compute(&r, &in, &base.map, &err) == -1)
			abort();
		memcpy(base.tunnel, "sw0", 4);
		memcpy(base.wan, "eth0", 5);
		base.mtu = 1460;
		ready = true;
	}
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	p = base;
	if (forward_parse(s, &p.fwd[0], &err) == 0) {
		p.nfwd = 1;
		if (plan_check(&p, &err) == -1 && err.msg[0] == '\0')
			abort();
	} else if (err.msg[0] == '\0') {
		abort();
	}
	err.msg[0] = '\0';
	if (ifname_check("--tunnel", s, &err) == 0) {
		if (strpbrk(s, "\"'\\ \t\n;$`") != NULL ||
		    strlen(s) >= sizeof(p.tunnel))
			abort();
		memcpy(p.tunnel, s, strlen(s) + 1);
	} else if (err.msg[0] == '\0') {
		abort();
	}
	sbuf_init(&b, text, sizeof(text));
	plan_sh(&p, &b);
	if (b.overflow)
		abort();
	free(s);
	return 0;
}
