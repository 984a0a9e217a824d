/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * softwire run's userspace datapath: where the kernel has no ip6tnl, the
 * tunnel is a TUN device the daemon holds, and the daemon carries the
 * line (linux/cedp.h) for the mapping the line engine gives it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/dp.h"
#include "linux/loop.h"
#include "linux/tun.h"
#include "log.h"
#include "run.h"

bool
run_has_ip6tnl(void)
{
	static const char *const lists[] = { "modules.builtin",
	    "modules.dep" };
	char path[512], line[1024];
	struct utsname u;
	bool found = false;
	size_t i;
	FILE *f;

	if (access("/sys/module/ip6_tunnel", F_OK) == 0)
		return true;
	if (uname(&u) == -1)
		return false;
	for (i = 0; i < 2 && !found; i++) {
		snprintf(path, sizeof(path), "/lib/modules/%s/%s", u.release,
		    lists[i]);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (!found && fgets(line, sizeof(line), f) != NULL)
			found = strstr(line, "/ip6_tunnel.ko") != NULL;
		fclose(f);
	}
	return found;
}

/* Carry the line for m from t's local address to t's BR. */
static int
rdp_bind(struct run_dp *d, const struct tnl_params *t,
    const struct map_result *m, struct sw_err *err)
{
	char ce[ADDR6_STRLEN];
	int raw;

	if ((raw = raw6_open(&t->local)) == -1) {
		err_set(err, "the userspace datapath cannot send from %s (see "
		    "above)", addr6_format(&t->local, ce));
		return -1;
	}
	close_fd(d->l.raw);
	d->l.raw = raw;
	d->map = *m;
	d->tnl = *t;
	d->l.dp.map = &d->map;
	d->l.dp.br = t->remote;
	/* Fragments of the old mapping's flows are no longer ours. */
	memset(&d->l.dp.up_frags, 0, sizeof(d->l.dp.up_frags));
	memset(&d->l.dp.down_frags, 0, sizeof(d->l.dp.down_frags));
	dp_seed(&d->l.dp.up_frags, &d->l.dp.down_frags);
	d->have = true;
	return 0;
}

static int
rdp_create(void *ctx, const char *name, const struct tnl_params *t,
    const struct map_result *m, struct sw_err *err)
{
	struct run_dp *d = ctx;

	if ((d->l.tun = tun_open(name, DP_INNER_MTU, false)) == -1) {
		err_set(err, "the TUN device %s cannot be made (see above)",
		    name);
		return -1;
	}
	if (rdp_bind(d, t, m, err) == -1) {
		close_fd(d->l.tun);
		d->l.tun = -1;
		return -1;
	}
	return 0;
}

static int
rdp_set(void *ctx, const struct tnl_params *t, const struct map_result *m,
    struct sw_err *err)
{
	return rdp_bind(ctx, t, m, err);
}

static bool
rdp_get(void *ctx, struct tnl_params *t, struct map_result *m)
{
	struct run_dp *d = ctx;

	if (!d->have)
		return false;
	*t = d->tnl;
	if (m != NULL)
		*m = d->map;
	return true;
}

static void
rdp_destroy(void *ctx)
{
	struct run_dp *d = ctx;

	close_fd(d->l.tun);
	close_fd(d->l.raw);
	d->l.tun = d->l.raw = -1;
	d->have = false;
}

const struct line_tun_ops run_dp_ops = {
	.create = rdp_create,
	.set = rdp_set,
	.get = rdp_get,
	.destroy = rdp_destroy,
};

struct run_dp *
run_dp_new(const struct ruleset *rs)
{
	struct run_dp *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->l.tun = d->l.raw = -1;
	d->l.dp.rules = rs->rules;
	d->l.dp.nrules = rs->n;
	return d;
}

void
run_dp_free(struct run_dp *d)
{
	if (d == NULL)
		return;
	rdp_destroy(d);
	free(d);
}

void
run_dp_serve(struct run_dp *d, bool from_tun)
{
	uint64_t now = run_now_ms();
	int i;

	for (i = 0; i < DP_BATCH; i++)
		if (!(from_tun ? ce_from_tun : ce_from_raw)(&d->l, d->buf,
		    sizeof(d->buf), now))
			break;
}
