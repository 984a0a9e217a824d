/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/rtnetlink.h>

#include "core/sbuf.h"
#include "rtnl.h"

/* Attribute tables filled by mnl_attr_parse*(); validated per use. */
struct attrs {
	const struct nlattr *tb[64];
};

static int
attrs_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	unsigned type = mnl_attr_get_type(a);

	if (type < 64)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static bool
attr_ok(const struct nlattr *a, size_t len)
{
	return a != NULL && mnl_attr_get_payload_len(a) >= len;
}

static void
link_tnl_parse(const struct nlattr *data, struct tnl_params *t)
{
	struct attrs tb = { { NULL } };

	mnl_attr_parse_nested(data, attrs_cb, &tb);
	if (attr_ok(tb.tb[IFLA_IPTUN_LOCAL], 16))
		memcpy(&t->local, mnl_attr_get_payload(tb.tb[IFLA_IPTUN_LOCAL]),
		    16);
	if (attr_ok(tb.tb[IFLA_IPTUN_REMOTE], 16))
		memcpy(&t->remote,
		    mnl_attr_get_payload(tb.tb[IFLA_IPTUN_REMOTE]), 16);
	if (attr_ok(tb.tb[IFLA_IPTUN_LINK], 4))
		t->link = mnl_attr_get_u32(tb.tb[IFLA_IPTUN_LINK]);
	if (attr_ok(tb.tb[IFLA_IPTUN_FLAGS], 4))
		t->flags = mnl_attr_get_u32(tb.tb[IFLA_IPTUN_FLAGS]);
	if (attr_ok(tb.tb[IFLA_IPTUN_TTL], 1))
		t->hoplimit = mnl_attr_get_u8(tb.tb[IFLA_IPTUN_TTL]);
	if (attr_ok(tb.tb[IFLA_IPTUN_ENCAP_LIMIT], 1))
		t->encap_limit = mnl_attr_get_u8(tb.tb[IFLA_IPTUN_ENCAP_LIMIT]);
	if (attr_ok(tb.tb[IFLA_IPTUN_PROTO], 1))
		t->proto = mnl_attr_get_u8(tb.tb[IFLA_IPTUN_PROTO]);
}

static int
link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_state *ls = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct attrs tb = { { NULL } }, li = { { NULL } };

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi) ||
	    mnl_attr_parse(nlh, sizeof(*ifi), attrs_cb, &tb) < 0)
		return MNL_CB_ERROR;
	ls->index = (uint32_t)ifi->ifi_index;
	ls->up = ifi->ifi_flags & IFF_UP;
	ls->running = ifi->ifi_flags & IFF_RUNNING;
	if (attr_ok(tb.tb[IFLA_MTU], 4))
		ls->mtu = mnl_attr_get_u32(tb.tb[IFLA_MTU]);
	if (attr_ok(tb.tb[IFLA_STATS64], sizeof(struct rtnl_link_stats64))) {
		struct rtnl_link_stats64 st;

		memcpy(&st, mnl_attr_get_payload(tb.tb[IFLA_STATS64]),
		    sizeof(st));
		ls->rx_packets = st.rx_packets;
		ls->tx_packets = st.tx_packets;
		ls->rx_bytes = st.rx_bytes;
		ls->tx_bytes = st.tx_bytes;
		ls->rx_dropped = st.rx_dropped;
		ls->tx_dropped = st.tx_dropped;
		ls->rx_errors = st.rx_errors;
		ls->tx_errors = st.tx_errors;
	}
	if (tb.tb[IFLA_LINKINFO] == NULL ||
	    mnl_attr_parse_nested(tb.tb[IFLA_LINKINFO], attrs_cb, &li) < 0)
		return MNL_CB_OK;
	if (li.tb[IFLA_INFO_KIND] != NULL &&
	    mnl_attr_validate(li.tb[IFLA_INFO_KIND], MNL_TYPE_STRING) == 0)
		snprintf(ls->kind, sizeof(ls->kind), "%.*s",
		    (int)strnlen(mnl_attr_get_payload(li.tb[IFLA_INFO_KIND]),
		    mnl_attr_get_payload_len(li.tb[IFLA_INFO_KIND])),
		    (const char *)mnl_attr_get_payload(li.tb[IFLA_INFO_KIND]));
	if (strcmp(ls->kind, "ip6tnl") == 0 && li.tb[IFLA_INFO_DATA] != NULL) {
		ls->has_tnl = true;
		link_tnl_parse(li.tb[IFLA_INFO_DATA], &ls->tnl);
	}
	return MNL_CB_OK;
}

int
link_get(struct nl *nl, const char *name, struct link_state *ls,
    struct sw_err *err)
{
	char buf[NL_BUFSIZE], what[64];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(ls, 0, sizeof(*ls));
	snprintf(what, sizeof(what), "reading interface %s", name);
	if (nl_request(nl, nlh, link_cb, ls, what, err) == -1)
		return err->errnum == ENODEV ? 1 : -1;
	return 0;
}

int
link_ip6tnl(struct nl *nl, uint32_t index, const char *name,
    const struct tnl_params *t, struct sw_err *err)
{
	char buf[NL_BUFSIZE], what[64];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *info, *data;

	nlh = nl_msg(nl, buf, RTM_NEWLINK, index == 0 ?
	    NLM_F_CREATE | NLM_F_EXCL : 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)index;
	if (index == 0)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "ip6tnl");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_IPTUN_LINK, t->link);
	mnl_attr_put(nlh, IFLA_IPTUN_LOCAL, 16, &t->local);
	mnl_attr_put(nlh, IFLA_IPTUN_REMOTE, 16, &t->remote);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_TTL, t->hoplimit);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_ENCAP_LIMIT, t->encap_limit);
	mnl_attr_put_u32(nlh, IFLA_IPTUN_FLAGS, t->flags);
	mnl_attr_put_u8(nlh, IFLA_IPTUN_PROTO, t->proto);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	snprintf(what, sizeof(what), "%s tunnel %s",
	    index == 0 ? "creating" : "changing", name);
	return nl_talk(nl, nlh, what, err);
}

int
link_set(struct nl *nl, uint32_t index, unsigned mtu, bool up,
    struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)index;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nl, nlh, "setting the tunnel's MTU and state", err);
}

int
link_addrgen_none(struct nl *nl, uint32_t index, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi;
	struct nlattr *af, *in6;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)index;
	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	return nl_talk(nl, nlh, "turning off the tunnel's own IPv6 addresses",
	    err);
}

int
link_del(struct nl *nl, uint32_t index, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_DELLINK, 0);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)index;
	return nl_talk(nl, nlh, "deleting the tunnel", err);
}

struct addr_dump {
	int family;
	uint32_t index;
	struct if_addr *out;
	size_t max, n;
};

static int
addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_dump *d = data;
	const struct ifaddrmsg *ifa;
	struct attrs tb = { { NULL } };
	const struct nlattr *a;
	struct if_addr *x;

	if (nlh == NULL) {
		d->n = 0;
		return MNL_CB_OK;
	}
	ifa = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) ||
	    mnl_attr_parse(nlh, sizeof(*ifa), attrs_cb, &tb) < 0)
		return MNL_CB_ERROR;
	if (ifa->ifa_family != d->family ||
	    (d->index != 0 && ifa->ifa_index != d->index) || d->n == d->max)
		return MNL_CB_OK;
	a = d->family == AF_INET ? tb.tb[IFA_LOCAL] : tb.tb[IFA_ADDRESS];
	if (a == NULL)
		a = tb.tb[IFA_ADDRESS];
	if (!attr_ok(a, d->family == AF_INET ? 4 : 16))
		return MNL_CB_OK;
	x = &d->out[d->n++];
	memset(x, 0, sizeof(*x));
	x->family = d->family;
	x->index = ifa->ifa_index;
	x->plen = ifa->ifa_prefixlen;
	x->scope = ifa->ifa_scope;
	x->flags = ifa->ifa_flags;
	if (attr_ok(tb.tb[IFA_FLAGS], 4))
		x->flags = mnl_attr_get_u32(tb.tb[IFA_FLAGS]);
	if (attr_ok(tb.tb[IFA_CACHEINFO], sizeof(struct ifa_cacheinfo))) {
		const struct ifa_cacheinfo *ci =
		    mnl_attr_get_payload(tb.tb[IFA_CACHEINFO]);

		x->tstamp = ci->tstamp;
		x->preferred = ci->ifa_prefered;
	} else {
		x->preferred = UINT32_MAX;
	}
	if (d->family == AF_INET)
		memcpy(&x->a4, mnl_attr_get_payload(a), 4);
	else
		memcpy(&x->a6, mnl_attr_get_payload(a), 16);
	return MNL_CB_OK;
}

int
addr_list(struct nl *nl, int family, uint32_t index, struct if_addr *out,
    size_t max, size_t *n, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETADDR, 0);
	struct addr_dump d = { family, index, out, max, 0 };
	struct ifaddrmsg *ifa;

	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	if (nl_dump(nl, nlh, addr_cb, &d, "listing addresses", err) == -1)
		return -1;
	*n = d.n;
	return 0;
}

int
addr_change(struct nl *nl, bool add, const struct if_addr *a,
    struct sw_err *err)
{
	char buf[NL_BUFSIZE], what[96], s[INET6_ADDRSTRLEN];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	nlh = nl_msg(nl, buf, add ? RTM_NEWADDR : RTM_DELADDR,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->family;
	ifa->ifa_prefixlen = (uint8_t)a->plen;
	ifa->ifa_index = a->index;
	ifa->ifa_scope = (uint8_t)a->scope;
	ifa->ifa_flags = (uint8_t)a->flags;
	if (a->family == AF_INET) {
		mnl_attr_put(nlh, IFA_LOCAL, 4, &a->a4);
		mnl_attr_put(nlh, IFA_ADDRESS, 4, &a->a4);
		inet_ntop(AF_INET, &a->a4, s, sizeof(s));
	} else {
		mnl_attr_put(nlh, IFA_ADDRESS, 16, &a->a6);
		inet_ntop(AF_INET6, &a->a6, s, sizeof(s));
	}
	if (add && a->flags > 0xff)
		mnl_attr_put_u32(nlh, IFA_FLAGS, a->flags);
	snprintf(what, sizeof(what), "%s address %s/%u", add ? "adding" :
	    "removing", s, a->plen);
	return nl_talk(nl, nlh, what, err);
}

struct route_dump {
	int family;
	struct saved_route *out;
	size_t max, n;
	bool overflow;
};

/* The attributes of a route that say where it goes and how it ranks. */
static bool
route_attr_kept(unsigned type)
{
	switch (type) {
	case RTA_OIF: case RTA_GATEWAY: case RTA_PRIORITY: case RTA_PREFSRC:
	case RTA_METRICS: case RTA_MULTIPATH: case RTA_FLOW: case RTA_TABLE:
	case RTA_VIA: case RTA_NH_ID:
		return true;
	default:
		return false;
	}
}

static int
route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct route_dump *d = data;
	const struct rtmsg *rtm;
	struct attrs tb = { { NULL } };
	struct saved_route *r;
	const struct nlattr *a;
	uint32_t table;

	if (nlh == NULL) {
		d->n = 0;
		d->overflow = false;
		return MNL_CB_OK;
	}
	rtm = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm) ||
	    mnl_attr_parse(nlh, sizeof(*rtm), attrs_cb, &tb) < 0)
		return MNL_CB_ERROR;
	table = attr_ok(tb.tb[RTA_TABLE], 4) ?
	    mnl_attr_get_u32(tb.tb[RTA_TABLE]) : rtm->rtm_table;
	if (rtm->rtm_family != d->family || rtm->rtm_dst_len != 0 ||
	    table != RT_TABLE_MAIN || rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	if (d->n == d->max) {
		d->overflow = true;
		return MNL_CB_OK;
	}
	r = &d->out[d->n++];
	memset(r, 0, sizeof(*r));
	memcpy(r->msg, rtm, sizeof(*rtm));
	r->len = MNL_ALIGN(sizeof(*rtm));
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		size_t alen = MNL_ALIGN(a->nla_len);

		if (!route_attr_kept(mnl_attr_get_type(a)))
			continue;
		if (r->len + alen > sizeof(r->msg))
			return MNL_CB_ERROR;
		memcpy(r->msg + r->len, a, a->nla_len);
		r->len += alen;
	}
	if (attr_ok(tb.tb[RTA_OIF], 4))
		r->oif = mnl_attr_get_u32(tb.tb[RTA_OIF]);
	return MNL_CB_OK;
}

static int
route_defaults(struct nl *nl, int family, struct saved_route *out,
    size_t max, size_t *n, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETROUTE, 0);
	struct route_dump d = { family, out, max, 0, false };
	struct rtmsg *rtm;

	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	if (nl_dump(nl, nlh, route_cb, &d, family == AF_INET ?
	    "listing IPv4 routes" : "listing IPv6 routes", err) == -1)
		return -1;
	if (d.overflow) {
		err_set(err, "more than %zu IPv%c default routes", max,
		    family == AF_INET ? '4' : '6');
		return -1;
	}
	*n = d.n;
	return 0;
}

int
route4_defaults(struct nl *nl, struct saved_route *out, size_t max,
    size_t *n, struct sw_err *err)
{
	return route_defaults(nl, AF_INET, out, max, n, err);
}

int
route6_default_oif(struct nl *nl, uint32_t *oif, struct sw_err *err)
{
	struct saved_route r[ROUTE_SAVE_MAX];
	size_t i, n;

	*oif = 0;
	if (route_defaults(nl, AF_INET6, r, ROUTE_SAVE_MAX, &n, err) == -1)
		return -1;
	for (i = 0; i < n && *oif == 0; i++)
		*oif = r[i].oif;
	return 0;
}

/* Walk a saved route's attributes: the bound is the saved length. */
#define route_for_each_attr(a, r)					\
	for ((a) = (const struct nlattr *)((r)->msg +			\
	    MNL_ALIGN(sizeof(struct rtmsg)));				\
	    mnl_attr_ok((a), (int)((r)->msg + (r)->len -			\
	    (const uint8_t *)(a)));					\
	    (a) = mnl_attr_next(a))

bool
route_saved_valid(const struct saved_route *r)
{
	const struct nlattr *a;
	struct rtmsg rtm;
	size_t used = MNL_ALIGN(sizeof(rtm));

	if (r->len < sizeof(rtm) || r->len > sizeof(r->msg))
		return false;
	memcpy(&rtm, r->msg, sizeof(rtm));
	if (rtm.rtm_family != AF_INET || rtm.rtm_dst_len != 0 ||
	    rtm.rtm_type != RTN_UNICAST)
		return false;
	route_for_each_attr(a, r) {
		if (!route_attr_kept(mnl_attr_get_type(a)))
			return false;
		used += MNL_ALIGN(a->nla_len);
	}
	return used == r->len;
}

int
route_saved_apply(struct nl *nl, bool add, const struct saved_route *r,
    struct sw_err *err)
{
	char buf[NL_BUFSIZE], what[160], desc[128];
	struct nlmsghdr *nlh;

	nlh = nl_msg(nl, buf, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	memcpy(mnl_nlmsg_put_extra_header(nlh, r->len), r->msg, r->len);
	route_describe(r, desc, sizeof(desc));
	snprintf(what, sizeof(what), "%s route %s", add ? "restoring" :
	    "removing", desc);
	return nl_talk(nl, nlh, what, err);
}

void
route_describe(const struct saved_route *r, char *buf, size_t size)
{
	char s[INET6_ADDRSTRLEN], dev[IF_NAMESIZE];
	const struct nlattr *a;
	struct sbuf b;

	sbuf_init(&b, buf, size);
	sbuf_printf(&b, "default");
	route_for_each_attr(a, r) {
		switch (mnl_attr_get_type(a)) {
		case RTA_GATEWAY:
			if (mnl_attr_get_payload_len(a) == 4 &&
			    inet_ntop(AF_INET, mnl_attr_get_payload(a), s,
			    sizeof(s)) != NULL)
				sbuf_printf(&b, " via %s", s);
			break;
		case RTA_OIF:
			if (mnl_attr_get_payload_len(a) != 4)
				break;
			if (if_indextoname(mnl_attr_get_u32(a), dev) != NULL)
				sbuf_printf(&b, " dev %s", dev);
			else
				sbuf_printf(&b, " dev #%u (gone)",
				    mnl_attr_get_u32(a));
			break;
		case RTA_PRIORITY:
			if (mnl_attr_get_payload_len(a) == 4)
				sbuf_printf(&b, " metric %u",
				    mnl_attr_get_u32(a));
			break;
		case RTA_MULTIPATH:
			sbuf_printf(&b, " (multipath)");
			break;
		default:
			break;
		}
	}
}

int
route4_default_dev(struct nl *nl, bool add, uint32_t oif, struct sw_err *err)
{
	char buf[NL_BUFSIZE];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	nlh = nl_msg(nl, buf, add ? RTM_NEWROUTE : RTM_DELROUTE,
	    add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return nl_talk(nl, nlh, add ? "adding the IPv4 default route" :
	    "removing the IPv4 default route", err);
}
