/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire-br's decision per packet with one rule against all built-in
 * rules, found by the rule index and by a linear scan: the same valid
 * upstream packet of a v6plus CE, in the same run, rounds interleaved.
 * Prints one line.
 *
 *   build/bench-brrules [PACKETS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>

#include "core/builtin.h"
#include "core/dp.h"
#include "core/rule.h"

#define ROUNDS	5

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A UDP packet from the CE's first port, in IPv6 from its address. */
static size_t
packet(uint8_t *p, const struct map_result *m)
{
	uint32_t src = htonl(m->ipv4.addr), dst = htonl(0xc6336400);
	uint16_t lo, hi, v;

	portset_range(&m->ports, 0, &lo, &hi);
	memset(p, 0, IP6_HLEN + 28);
	pkt6_header(p, &m->ce, &m->rule.br, IPPROTO_IPIP, 28, 64);
	p[IP6_HLEN] = 0x45;
	p[IP6_HLEN + 3] = 28;
	p[IP6_HLEN + 8] = 64;
	p[IP6_HLEN + 9] = IPPROTO_UDP;
	memcpy(p + IP6_HLEN + 12, &src, 4);
	memcpy(p + IP6_HLEN + 16, &dst, 4);
	v = htons(lo);
	memcpy(p + IP6_HLEN + 20, &v, 2);
	v = htons(53);
	memcpy(p + IP6_HLEN + 22, &v, 2);
	p[IP6_HLEN + 25] = 8;
	return IP6_HLEN + 28;
}

/* Packets a second through br, which must relay every one. */
static double
rate(struct dp_br *br, const uint8_t *p, size_t len, long n)
{
	double t = seconds();
	long i;

	for (i = 0; i < n; i++)
		if (dp_br_upstream(br, p, len, 1000) != 0) {
			fprintf(stderr, "brrules: the packet was dropped (%s)\n",
			    dp_drop_name(br->st.last));
			exit(1);
		}
	return (double)n / (seconds() - t);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	static struct dp_br one, indexed, linear;
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	struct prefix6 in = { .len = 56 };
	struct map_rule *all;
	struct rule_iv *iv;
	struct map_result m;
	struct sw_err err;
	double r[3][ROUNDS];
	uint8_t p[128];
	size_t nall, i, len;
	int k, ri;

	nall = builtin_count();
	all = calloc(nall, sizeof(*all));
	iv = calloc(RULE_INDEX_MAX(nall), sizeof(*iv));
	if (all == NULL || iv == NULL || n <= 0)
		return 1;
	for (i = 0; i < nall; i++)
		builtin_get(i, &all[i]);
	/* v6plus, 240b:13:1a65:a100::/56: 14.9.26.101, PSID 161. */
	inet_pton(AF_INET6, "240b:13:1a65:a100::", &in.addr);
	if ((ri = rules_select6(all, nall, &in)) == -1 ||
	    map_compute(&all[ri], &in, &m, &err) == -1)
		return 1;
	len = packet(p, &m);
	one.rules = &all[ri];
	one.nrules = 1;
	indexed.rules = linear.rules = all;
	indexed.nrules = linear.nrules = nall;
	indexed.index = iv;
	indexed.nindex = rule_index(all, nall, iv);
	one.addr = indexed.addr = linear.addr = m.rule.br;
	for (k = 0; k < ROUNDS; k++) {
		r[0][k] = rate(&one, p, len, n);
		r[1][k] = rate(&indexed, p, len, n);
		r[2][k] = rate(&linear, p, len, n / 10);
	}
	for (k = 0; k < 3; k++)
		qsort(r[k], ROUNDS, sizeof(double), cmp);
	printf("brrules: softwire-br's upstream decision, median of %d: 1 "
	    "rule %.2f Mpkt/s; all %zu built-in rules by the index %.2f "
	    "(%.2f of 1 rule, %zu intervals), by a linear scan %.2f (%.2f)\n",
	    ROUNDS, r[0][ROUNDS / 2] / 1e6, nall, r[1][ROUNDS / 2] / 1e6,
	    r[1][ROUNDS / 2] / r[0][ROUNDS / 2], indexed.nindex,
	    r[2][ROUNDS / 2] / 1e6, r[2][ROUNDS / 2] / r[0][ROUNDS / 2]);
	free(all);
	free(iv);
	return 0;
}
