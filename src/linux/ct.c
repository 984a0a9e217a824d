/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "ct.h"

struct tb {
	const struct nlattr *a[32];
};

static int
tb_cb(const struct nlattr *a, void *data)
{
	struct tb *t = data;

	if (mnl_attr_get_type(a) < 32)
		t->a[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

static bool
has(const struct nlattr *a, size_t len)
{
	return a != NULL && mnl_attr_get_payload_len(a) >= len;
}

static struct nlmsghdr *
ct_msg(struct nl *nl, void *buf, unsigned type, int family)
{
	struct nlmsghdr *nlh = nl_msg(nl, buf,
	    (NFNL_SUBSYS_CTNETLINK << 8) | type, 0);
	struct nfgenmsg *nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));

	nfg->nfgen_family = (uint8_t)family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

static bool
ct_tuple_parse(const struct nlattr *nest, struct ct_tuple *t)
{
	struct tb tup = { { NULL } }, ip = { { NULL } }, pr = { { NULL } };

	if (mnl_attr_parse_nested(nest, tb_cb, &tup) < 0 ||
	    tup.a[CTA_TUPLE_IP] == NULL || tup.a[CTA_TUPLE_PROTO] == NULL ||
	    mnl_attr_parse_nested(tup.a[CTA_TUPLE_IP], tb_cb, &ip) < 0 ||
	    mnl_attr_parse_nested(tup.a[CTA_TUPLE_PROTO], tb_cb, &pr) < 0 ||
	    !has(ip.a[CTA_IP_V4_SRC], 4) || !has(ip.a[CTA_IP_V4_DST], 4) ||
	    !has(pr.a[CTA_PROTO_NUM], 1))
		return false;
	memcpy(&t->src, mnl_attr_get_payload(ip.a[CTA_IP_V4_SRC]), 4);
	memcpy(&t->dst, mnl_attr_get_payload(ip.a[CTA_IP_V4_DST]), 4);
	t->proto = mnl_attr_get_u8(pr.a[CTA_PROTO_NUM]);
	t->sport = t->dport = 0;
	if (has(pr.a[CTA_PROTO_SRC_PORT], 2))
		t->sport = ntohs(mnl_attr_get_u16(pr.a[CTA_PROTO_SRC_PORT]));
	if (has(pr.a[CTA_PROTO_DST_PORT], 2))
		t->dport = ntohs(mnl_attr_get_u16(pr.a[CTA_PROTO_DST_PORT]));
	if (has(pr.a[CTA_PROTO_ICMP_ID], 2))
		t->sport = t->dport =
		    ntohs(mnl_attr_get_u16(pr.a[CTA_PROTO_ICMP_ID]));
	return true;
}

struct ct_walk_ctx {
	ct_fn *fn;
	void *data;
};

static int
ct_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_walk_ctx *w = data;
	struct tb tb = { { NULL } };
	struct ct_entry e;

	if (nlh == NULL) {
		w->fn(NULL, w->data);
		return MNL_CB_OK;
	}
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), tb_cb, &tb) < 0 ||
	    tb.a[CTA_TUPLE_ORIG] == NULL || tb.a[CTA_TUPLE_REPLY] == NULL)
		return MNL_CB_OK;	/* not an IPv4 connection we can read */
	memset(&e, 0, sizeof(e));
	if (!ct_tuple_parse(tb.a[CTA_TUPLE_ORIG], &e.orig) ||
	    !ct_tuple_parse(tb.a[CTA_TUPLE_REPLY], &e.reply) ||
	    tb.a[CTA_TUPLE_ORIG]->nla_len > sizeof(e.raw_orig))
		return MNL_CB_OK;
	e.raw_len = tb.a[CTA_TUPLE_ORIG]->nla_len;
	memcpy(e.raw_orig, tb.a[CTA_TUPLE_ORIG], e.raw_len);
	if (has(tb.a[CTA_ZONE], 2)) {
		e.has_zone = true;
		e.zone = mnl_attr_get_u16(tb.a[CTA_ZONE]);
	}
	w->fn(&e, w->data);
	return MNL_CB_OK;
}

int
ct_walk(struct nl *nl, ct_fn *fn, void *data, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = ct_msg(nl, buf, IPCTNL_MSG_CT_GET, AF_INET);
	struct ct_walk_ctx w = { fn, data };

	return nl_dump(nl, nlh, ct_cb, &w, "reading conntrack", err);
}

int
ct_delete(struct nl *nl, const struct ct_entry *e, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = ct_msg(nl, buf, IPCTNL_MSG_CT_DELETE, AF_INET);

	memcpy(mnl_nlmsg_put_extra_header(nlh, MNL_ALIGN(e->raw_len)),
	    e->raw_orig, e->raw_len);
	if (e->has_zone)
		mnl_attr_put_u16(nlh, CTA_ZONE, e->zone);
	if (nl_talk(nl, nlh, "deleting a conntrack entry", err) == -1)
		return err->errnum == ENOENT ? 1 : -1;
	return 0;
}

static int
ct_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_stats *st = data;
	struct tb tb = { { NULL } };

	if (nlh == NULL) {
		memset(st, 0, sizeof(*st));
		return MNL_CB_OK;
	}
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), tb_cb, &tb) < 0)
		return MNL_CB_ERROR;
	if (has(tb.a[CTA_STATS_INSERT_FAILED], 4))
		st->insert_failed +=
		    ntohl(mnl_attr_get_u32(tb.a[CTA_STATS_INSERT_FAILED]));
	if (has(tb.a[CTA_STATS_DROP], 4))
		st->drop += ntohl(mnl_attr_get_u32(tb.a[CTA_STATS_DROP]));
	return MNL_CB_OK;
}

static int
ct_global_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ct_stats *st = data;
	struct tb tb = { { NULL } };

	if (nlh != NULL &&
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), tb_cb, &tb) >= 0 &&
	    has(tb.a[CTA_STATS_GLOBAL_ENTRIES], 4))
		st->entries =
		    ntohl(mnl_attr_get_u32(tb.a[CTA_STATS_GLOBAL_ENTRIES]));
	return MNL_CB_OK;
}

int
ct_stats(struct nl *nl, struct ct_stats *st, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;

	memset(st, 0, sizeof(*st));
	nlh = ct_msg(nl, buf, IPCTNL_MSG_CT_GET_STATS_CPU, AF_UNSPEC);
	if (nl_dump(nl, nlh, ct_stats_cb, st, "reading conntrack counters",
	    err) == -1)
		return -1;
	nlh = ct_msg(nl, buf, IPCTNL_MSG_CT_GET_STATS, AF_UNSPEC);
	return nl_request(nl, nlh, ct_global_cb, st,
	    "reading conntrack counters", err);
}
