/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"

#include "log.h"
#include "opt.h"

#define RULES	(OPT_CALC | OPT_DATAPATH | OPT_RENDER | OPT_UP | OPT_RUN | \
	OPT_BR)
#define PLAN	(OPT_RENDER | OPT_UP | OPT_RUN)
#define LIVE	(OPT_UP | OPT_DOWN | OPT_SHOW | OPT_RUN | OPT_STATUS)
#define LOOP	(OPT_DATAPATH | OPT_BR)
#define ALL	0xffffu

static const struct opt_def {
	struct option o;
	unsigned cmds;
} opt_table[] = {
	{ { "rule", required_argument, NULL, K_RULE }, RULES },
	{ { "dhcp6-mape", required_argument, NULL, K_DHCP6_MAPE }, RULES },
	{ { "dhcp6-lw", required_argument, NULL, K_DHCP6_LW }, RULES },
	{ { "iid", required_argument, NULL, K_IID }, RULES },
	{ { "service", required_argument, NULL, K_SERVICE },
	    OPT_RULES | OPT_BR | PLAN },
	{ { "aftr", required_argument, NULL, K_AFTR }, PLAN },
	{ { "dhcp6-aftr", required_argument, NULL, K_DHCP6_AFTR }, PLAN },
	{ { "dns", required_argument, NULL, K_DNS }, OPT_UP | OPT_RUN },
	{ { "ipip", required_argument, NULL, K_IPIP }, PLAN },
	{ { "br", required_argument, NULL, K_BR }, PLAN },
	{ { "interface-id", required_argument, NULL, K_INTERFACE_ID }, PLAN },
	{ { "on-change", required_argument, NULL, K_ON_CHANGE }, OPT_RUN },
	{ { "json", no_argument, NULL, K_JSON },
	    OPT_CALC | OPT_RULES | OPT_SHOW | OPT_STATUS },
	{ { "prefix", required_argument, NULL, K_PREFIX }, PLAN },
	{ { "wan", required_argument, NULL, K_WAN }, PLAN },
	{ { "wan-port", required_argument, NULL, K_WAN_PORT }, PLAN },
	{ { "tunnel", required_argument, NULL, K_TUNNEL }, PLAN | LIVE },
	{ { "mtu", required_argument, NULL, K_MTU }, PLAN },
	{ { "lan", required_argument, NULL, K_LAN }, PLAN },
	{ { "forward", required_argument, NULL, K_FORWARD }, PLAN },
	{ { "replace-default", no_argument, NULL, K_REPLACE_DEFAULT }, PLAN },
	{ { "format", required_argument, NULL, K_FORMAT }, OPT_RENDER },
	{ { "no-probe", no_argument, NULL, K_NO_PROBE }, OPT_UP | OPT_RUN },
	{ { "probe-wait", required_argument, NULL, K_PROBE_WAIT },
	    OPT_UP | OPT_RUN },
	{ { "probe-interval", required_argument, NULL, K_PROBE_INTERVAL },
	    OPT_RUN },
	{ { "probe-failures", required_argument, NULL, K_PROBE_FAILURES },
	    OPT_RUN },
	{ { "keep", no_argument, NULL, K_KEEP }, OPT_RUN },
	{ { "check", no_argument, NULL, K_CHECK }, OPT_RUN },
	{ { "syslog", no_argument, NULL, K_SYSLOG }, OPT_RUN },
	{ { "datapath", required_argument, NULL, K_DATAPATH }, OPT_RUN },
	{ { "state-dir", required_argument, NULL, K_STATE_DIR }, LIVE },
	{ { "lock-wait", required_argument, NULL, K_LOCK_WAIT },
	    OPT_UP | OPT_DOWN },
	{ { "tun", required_argument, NULL, K_TUN }, OPT_DATAPATH },
	{ { "address", required_argument, NULL, K_ADDRESS }, OPT_BR },
	{ { "tun4", required_argument, NULL, K_TUN4 }, OPT_BR },
	{ { "tun6", required_argument, NULL, K_TUN6 }, OPT_BR },
	{ { "lwaftr", no_argument, NULL, K_LWAFTR }, OPT_BR },
	{ { "binding", required_argument, NULL, K_BINDING }, OPT_BR },
	/* The same name as the line's --aftr NAME: a name means one option
	 * per command. */
	{ { "aftr", no_argument, NULL, K_AFTR_MODE }, OPT_BR },
	{ { "control", required_argument, NULL, K_CONTROL }, LOOP },
	{ { "stats", no_argument, NULL, K_STATS }, LOOP },
	{ { "verbose", no_argument, NULL, K_VERBOSE }, LOOP },
	{ { "config", required_argument, NULL, K_CONFIG }, PLAN | LIVE },
	{ { "help", no_argument, NULL, K_HELP }, ALL },
};

#define NOPTS	(sizeof(opt_table) / sizeof(opt_table[0]))

/* The table entry of key (every key has one). */
static const struct opt_def *
opt_find(int key)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (opt_table[i].o.val == key)
			return &opt_table[i];
	return NULL;
}

#define OPT_CONFIG_BYTES	65536

struct opt_config {
	enum opt_cmd cmd;
	opt_fn fn;
	void *ctx;
	const char *path;
};

/* One option of a configuration file. */
static int
opt_config_line(void *data, const char *name, const char *value,
    struct sw_err *err)
{
	struct opt_config *c = data;
	const struct opt_def *d = NULL;
	char q[QUOTE_LEN];
	size_t i;

	/* This command's option of that name, else another's. */
	for (i = 0; i < NOPTS; i++)
		if (strcmp(opt_table[i].o.name, name) == 0 &&
		    (d == NULL || (opt_table[i].cmds & c->cmd)))
			d = &opt_table[i];
	if (d == NULL || d->o.val == K_HELP || d->o.val == K_CONFIG ||
	    d->o.val == K_CHECK) {
		err_set(err, "unknown option \"%s\"", name);
		return -1;
	}
	if (d->o.has_arg == no_argument && *value != '\0') {
		err_set(err, "%s takes no value (\"%s\" given)", name,
		    err_quote(q, sizeof(q), value));
		return -1;
	}
	if (d->o.has_arg == required_argument && *value == '\0') {
		err_set(err, "%s needs a value", name);
		return -1;
	}
	if (!(d->cmds & c->cmd))
		return 0;	/* another command's */
	if (c->fn(c->ctx, d->o.val, d->o.has_arg ? value : NULL) == -1) {
		err_set(err, "%s \"%s\" refused (see above)", name,
		    err_quote(q, sizeof(q), value));
		return -1;
	}
	return 0;
}

/* Read path and hand its options to c->fn: 0, or -1 after a message. */
static int
opt_config_file(struct opt_config *c)
{
	struct sw_err err;
	size_t len = 0, line;
	char *text;
	ssize_t n = 0;
	int fd, rc = -1;

	if ((fd = open(c->path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("--config %s", c->path);
		return -1;
	}
	/*
	 * The options' values point into the text (as getopt's into argv):
	 * it lives as long as the run.
	 */
	if ((text = malloc(OPT_CONFIG_BYTES + 1)) == NULL) {
		log_warn("--config %s", c->path);
		close(fd);
		return -1;
	}
	while (len < OPT_CONFIG_BYTES &&
	    (n = read(fd, text + len, OPT_CONFIG_BYTES - len)) > 0)
		len += (size_t)n;
	if (n == -1)
		log_warn("%s", c->path);
	else if (len == OPT_CONFIG_BYTES)
		log_warnx("%s: longer than %d bytes", c->path,
		    OPT_CONFIG_BYTES - 1);
	else if (config_parse(text, len, opt_config_line, c, &line,
	    &err) == -1)
		log_warnx("%s:%zu: %s", c->path, line, err.msg);
	else
		rc = 0;
	close(fd);
	if (rc == -1)
		free(text);
	return rc;
}

int
opt_parse(enum opt_cmd cmd, const char *name, const char *usage, int argc,
    char **argv, opt_fn fn, void *ctx)
{
	struct option longopts[NOPTS + 1];
	const struct opt_def *d;
	size_t i, n = 0;
	int c, own;

	/* The command's own options first: getopt_long takes the first of
	 * a name, and the rest are there to be refused by name. */
	for (own = 1; own >= 0; own--)
		for (i = 0; i < NOPTS; i++)
			if (!(opt_table[i].cmds & cmd) == !own)
				longopts[n++] = opt_table[i].o;
	longopts[NOPTS] = (struct option){ NULL, 0, NULL, 0 };
	while ((c = getopt_long(argc, argv, cmd & LOOP ? "hv" : "h", longopts,
	    NULL)) != -1) {
		if (c == '?') {
			fputs(usage, stderr);
			return -1;
		}
		if ((d = opt_find(c)) != NULL && !(d->cmds & cmd)) {
			log_warnx("%s does not take --%s", name, d->o.name);
			return -1;
		}
		if (c == K_HELP) {
			fputs(usage, stdout);
			return 1;
		}
		if (c == K_CONFIG) {
			struct opt_config conf = { cmd, fn, ctx, optarg };

			if (opt_config_file(&conf) == -1)
				return -1;
			continue;
		}
		if (fn(ctx, c, optarg) == -1)
			return -1;
	}
	return 0;
}
