/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What softwire run answers softwire status: flat JSON, one key a line. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netlink.h>

#include "json.h"
#include "linux/ct.h"
#include "run.h"

static void
run_ports_cb(const struct ct_entry *e, void *data)
{
	struct run_ports *p = data;
	int i;

	if (e == NULL) {
		memset(p->used, 0, sizeof(p->used));
		memset(p->n, 0, sizeof(p->n));
		return;
	}
	switch (e->reply.proto) {
	case IPPROTO_TCP:
		i = 0;
		break;
	case IPPROTO_UDP:
		i = 1;
		break;
	case IPPROTO_ICMP:
		i = 2;
		break;
	default:
		return;
	}
	if (!prefix4_contains(&p->ipv4, ntohl(e->reply.dst)))
		return;
	if (!(p->used[i][e->reply.dport / 8] & 1u << e->reply.dport % 8)) {
		p->used[i][e->reply.dport / 8] |=
		    (uint8_t)(1u << e->reply.dport % 8);
		p->n[i]++;
	}
}

/* Ports in use on the line's address per protocol, and insert_failed. */
static void
run_ports(const struct run *r, struct run_ports *p)
{
	struct ct_stats cs;
	struct sw_err err;
	struct nl nf;

	memset(p, 0, sizeof(*p));
	p->ipv4 = r->st.ipv4;
	if (!r->applied || nl_open(&nf, NETLINK_NETFILTER, &err) == -1)
		return;
	if (ct_walk(&nf, run_ports_cb, p, &err) == 0)
		p->ok = true;
	if (ct_stats(&nf, &cs, &err) == 0) {
		p->insert_failed = cs.insert_failed;
		p->stats_ok = true;
	}
	nl_close(&nf);
}

/* DS-Lite: the AFTR as configured, its address, and when looked up. */
static void
run_status_aftr(struct run *r, struct json *j)
{
	char a[ADDR6_STRLEN], list[DNS_SERVERS_MAX * ADDR6_STRLEN];
	struct in6_addr dns[DNS_SERVERS_MAX];
	size_t i, n, off = 0;
	bool named = r->o.aftr_name[0] != '\0';

	if (!r->o.dslite) {
		json_null(j, "aftr");
		json_null(j, "aftr_address");
		json_null(j, "aftr_resolved");
		json_null(j, "dns");
		return;
	}
	json_str(j, "aftr", named ? r->o.aftr_name :
	    addr6_format(&r->o.aftr, a));
	if (!named || r->aftr_known)
		json_str(j, "aftr_address", addr6_format(named ? &r->aftr :
		    &r->o.aftr, a));
	else
		json_null(j, "aftr_address");
	if (named && r->aftr_known)
		json_uint(j, "aftr_resolved", (unsigned long)((run_now_ms() -
		    r->aftr_at) / 1000));
	else
		json_null(j, "aftr_resolved");
	n = run_dns_servers(r, 0, dns);	/* forgets expired servers */
	list[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
		    i ? " " : "", addr6_format(&dns[i], a));
	json_str(j, "dns", list);
}

/* The status object softwire status prints: flat, one key a line. */
static void
run_status_json(struct run *r, FILE *out)
{
	struct run_ports *pp = &r->ports;
	char pfx[PREFIX6_STRLEN], v4[PREFIX4_STRLEN], ce[ADDR6_STRLEN];
	char br[ADDR6_STRLEN];
	struct json j;

	run_ports(r, pp);
	json_start(&j, out);
	json_open(&j, NULL, '{');
	json_str(&j, "tunnel", r->o.plan.tunnel);
	json_str(&j, "state", run_state_name[r->state]);
	json_uint(&j, "since", (unsigned long)((run_now_ms() - r->since) / 1000));
	json_str(&j, "reason", r->reason);
	json_uint(&j, "pid", (unsigned long)getpid());
	json_str(&j, "datapath", r->dp != NULL ? "userspace" : "kernel");
	if (r->applied) {
		json_str(&j, "mode", sw_mode_name(r->st.mode));
		json_str(&j, "wan", r->st.wan);
		json_str(&j, "prefix", prefix6_format(&r->st.prefix, pfx));
		json_str(&j, "ipv4", r->st.ipv4.len == 32 ?
		    addr4_format(r->st.ipv4.addr, v4) :
		    prefix4_format(&r->st.ipv4, v4));
		json_uint(&j, "psid", r->st.ports.psid);
		json_uint(&j, "port_set", portset_usable(&r->st.ports));
		json_str(&j, "ce_ipv6", addr6_format(&r->st.ce, ce));
	} else {
		json_null(&j, "mode");
		json_null(&j, "wan");
		json_null(&j, "prefix");
		json_null(&j, "ipv4");
		json_null(&j, "psid");
		json_null(&j, "port_set");
		json_null(&j, "ce_ipv6");
	}
	if (r->applied && r->have_map && r->map.rule.has_br)
		json_str(&j, "br", addr6_format(&r->map.rule.br, br));
	else
		json_null(&j, "br");
	run_status_aftr(r, &j);
	json_bool(&j, "default_route", r->applied && !r->withdrawn);
	json_uint(&j, "changes", r->changes);
	json_uint(&j, "probe_failures", r->probe_failures);
	json_uint(&j, "conntrack_flushed", r->conntrack_flushed);
	if (pp->stats_ok)
		json_uint(&j, "insert_failed", (unsigned long)pp->insert_failed);
	else
		json_null(&j, "insert_failed");
	if (pp->ok) {
		json_uint(&j, "ports_tcp", pp->n[0]);
		json_uint(&j, "ports_udp", pp->n[1]);
		json_uint(&j, "ports_icmp", pp->n[2]);
	} else {
		json_null(&j, "ports_tcp");
		json_null(&j, "ports_udp");
		json_null(&j, "ports_icmp");
	}
	json_uint(&j, "wakeups", (unsigned long)r->wakeups);
	json_close(&j, '}');
	json_end(&j);
}

void
run_answer(struct run *r)
{
	FILE *out;
	int fd;

	while ((fd = accept4(r->ctl, NULL, NULL, SOCK_CLOEXEC)) != -1) {
		if ((out = fdopen(fd, "w")) == NULL) {
			close(fd);
			continue;
		}
		run_status_json(r, out);
		fclose(out);
	}
}
