/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DS-Lite in softwire run: the line's DNS servers (--dns, else those the
 * WAN's Router Advertisements name, RDNSS, which the kernel hands over as
 * RTM_NEWNDUSEROPT messages and keeps nowhere) and the AFTR's address
 * looked up through them, kept between convergences.
 */
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>

#include "core/nd.h"
#include "linux/rtnl.h"
#include "log.h"
#include "run.h"

/* Forget servers whose lifetime ended. */
static void
run_rdnss_expire(struct run *r, uint64_t now)
{
	size_t i, k = 0;

	for (i = 0; i < r->nrdnss; i++)
		if (r->rdnss[i].until > now)
			r->rdnss[k++] = r->rdnss[i];
	r->nrdnss = k;
}

/* One server of an RA on ifindex: new, refreshed, or gone (lifetime 0). */
static void
run_rdnss_put(struct run *r, uint32_t ifindex, const struct nd_rdnss *s,
    uint64_t now)
{
	char a[ADDR6_STRLEN];
	size_t i;

	for (i = 0; i < r->nrdnss; i++)
		if (r->rdnss[i].ifindex == ifindex &&
		    memcmp(&r->rdnss[i].addr, &s->addr, sizeof(s->addr)) == 0)
			break;
	if (i == r->nrdnss) {
		if (s->lifetime == 0)
			return;
		if (r->nrdnss == DNS_SERVERS_MAX)	/* the oldest goes */
			memmove(&r->rdnss[0], &r->rdnss[1], (DNS_SERVERS_MAX -
			    1) * sizeof(r->rdnss[0]));
		else
			r->nrdnss++;
		i = r->nrdnss - 1;
		r->rdnss[i].addr = s->addr;
		r->rdnss[i].ifindex = ifindex;
		log_debug("%s: DNS server %s from a Router Advertisement",
		    r->o.plan.tunnel, addr6_format(&s->addr, a));
	}
	r->rdnss[i].until = s->lifetime == UINT32_MAX ? UINT64_MAX :
	    now + (uint64_t)s->lifetime * 1000;
}

void
run_useropt(struct run *r, const struct nlmsghdr *nlh)
{
	const struct nduseroptmsg *m = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh);
	struct nd_rdnss s[DNS_SERVERS_MAX];
	uint64_t now = run_now_ms();
	int i, n;

	if (plen < sizeof(*m) || m->nduseropt_family != AF_INET6 ||
	    m->nduseropt_icmp_type != ND_ROUTER_ADVERT ||
	    m->nduseropt_opts_len > plen - sizeof(*m) ||
	    m->nduseropt_ifindex <= 0)
		return;
	n = nd_rdnss_parse((const uint8_t *)(m + 1), m->nduseropt_opts_len,
	    s, DNS_SERVERS_MAX);
	run_rdnss_expire(r, now);
	for (i = 0; i < n; i++)
		run_rdnss_put(r, (uint32_t)m->nduseropt_ifindex, &s[i], now);
}

size_t
run_dns_servers(struct run *r, uint32_t wan_index, struct in6_addr *out)
{
	size_t i, n = 0;

	if (r->o.ndns > 0) {
		memcpy(out, r->o.dns, r->o.ndns * sizeof(*out));
		return r->o.ndns;
	}
	run_rdnss_expire(r, run_now_ms());
	for (i = 0; i < r->nrdnss; i++)
		if (wan_index == 0 || r->rdnss[i].ifindex == wan_index)
			out[n++] = r->rdnss[i].addr;
	return n;
}

/* The WAN's index, 0 when unknown. */
static uint32_t
run_wan_index(struct nl *rt, const char *wan)
{
	struct link_state ls;
	struct sw_err err;

	return wan[0] != '\0' && link_get(rt, wan, &ls, &err) == 0 ?
	    ls.index : 0;
}

/*
 * line_resolve, with DS-Lite's AFTR looked up through the line's DNS
 * servers (--dns, else the WAN's RDNSS) and kept until the line's prefix
 * changes (run_probe forgets it when the AFTR stops answering).
 */
int
run_resolve(struct run *r, struct line_opts *o, struct nl *rt,
    struct sw_err *err)
{
	char a[ADDR6_STRLEN];
	bool kept = r->aftr_known;

	if (!o->dslite || o->aftr_name[0] == '\0')
		return line_resolve(o, rt, err);
	o->ndns = run_dns_servers(r, run_wan_index(rt, o->plan.wan), o->dns);
	o->aftr = r->aftr;
	o->aftr_known = kept;
	if (line_resolve(o, rt, err) == -1) {
		if (o->aftr_unresolved)
			r->aftr_known = false;
		return -1;
	}
	if (kept && (o->plan.map.eu_prefix.len != r->aftr_prefix.len ||
	    memcmp(&o->plan.map.eu_prefix.addr, &r->aftr_prefix.addr,
	    sizeof(r->aftr_prefix.addr)) != 0)) {
		o->aftr_known = kept = false;
		if (line_resolve(o, rt, err) == -1) {
			r->aftr_known = false;
			return -1;
		}
	}
	if (!kept) {
		r->aftr = o->aftr;
		r->aftr_known = true;
		r->aftr_at = run_now_ms();
		r->aftr_prefix = o->plan.map.eu_prefix;
		log_info("%s: the AFTR %s is %s", o->plan.tunnel, o->aftr_name,
		    addr6_format(&o->aftr, a));
	}
	return 0;
}
