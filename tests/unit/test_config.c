/* SPDX-License-Identifier: GPL-2.0-or-later */
/* softwire.conf(5) lines: what is an option, a comment, and a refusal. */
#include <stdio.h>

#include "helpers.h"
#include "core/config.h"

struct got {
	char all[512];		/* "name=value;" for each option */
	const char *refuse;	/* a name the callback refuses */
};

static int
collect(void *ctx, const char *name, const char *value, struct sw_err *err)
{
	struct got *g = ctx;
	size_t len = strlen(g->all);

	if (g->refuse != NULL && strcmp(name, g->refuse) == 0) {
		err_set(err, "unknown option \"%s\"", name);
		return -1;
	}
	snprintf(g->all + len, sizeof(g->all) - len, "%s=%s;", name, value);
	return 0;
}

/* Parse a copy of s (with its byte of room): 0 or -1, line, message. */
static int
parse(const char *s, size_t len, struct got *g, size_t *line,
    struct sw_err *err)
{
	static char buf[4096];

	memcpy(buf, s, len);
	return config_parse(buf, len, collect, g, line, err);
}

#define PARSE(s, g, line, err) parse((s), sizeof(s) - 1, (g), (line), (err))

static void
test_options(void **state)
{
	struct got g = { "", NULL };
	struct sw_err err;
	size_t line;

	(void)state;
	assert_int_equal(PARSE("# softwire.conf\n"
	    "\n"
	    "wan eth0\n"
	    "  rule ipv6prefix=2001:db8::/40,ealen=16   # v6plus-shaped\n"
	    "replace-default\n"
	    "lan\tbr-lan \r\n"
	    "forward tcp:4930=10.0.0.2#x\n"
	    "\t# indented comment\n"
	    "tunnel sw1", &g, &line, &err), 0);
	assert_string_equal(g.all, "wan=eth0;"
	    "rule=ipv6prefix=2001:db8::/40,ealen=16;"
	    "replace-default=;"
	    "lan=br-lan;"
	    "forward=tcp:4930=10.0.0.2#x;"	/* "#" only after a blank */
	    "tunnel=sw1;");
	assert_int_equal(line, 9);
	/* Nothing at all, or only comments. */
	g.all[0] = '\0';
	assert_int_equal(PARSE("", &g, &line, &err), 0);
	assert_int_equal(PARSE("#\n\n   \n", &g, &line, &err), 0);
	assert_string_equal(g.all, "");
}

static void
test_refusals(void **state)
{
	struct got g = { "", "bogus" };
	struct sw_err err;
	size_t line;
	char longline[CONFIG_LINE_MAX + 16];

	(void)state;
	assert_int_equal(PARSE("wan eth0\n\nbogus 1\nlan x\n", &g, &line,
	    &err), -1);
	assert_int_equal(line, 3);
	assert_string_equal(err.msg, "unknown option \"bogus\"");
	/* Options before the bad line were seen: the caller applies none. */
	assert_string_equal(g.all, "wan=eth0;");
	assert_int_equal(PARSE("Wan eth0\n", &g, &line, &err), -1);
	assert_err_contains(err, "\"Wan eth0\" is no option name");
	assert_int_equal(PARSE("wan=eth0\n", &g, &line, &err), -1);
	assert_err_contains(err, "\"wan=eth0\" is no option name");
	assert_int_equal(PARSE("a\n\nwan eth\0010\n", &g, &line, &err), -1);
	assert_int_equal(line, 3);
	assert_string_equal(err.msg,
	    "a control character in \"wan eth\\x010\"");
	assert_int_equal(PARSE("wan eth0\n\0\n", &g, &line, &err), -1);
	assert_int_equal(line, 2);
	assert_string_equal(err.msg, "a NUL byte");
	assert_int_equal(PARSE("a-very-long-option-name-that-goes-on 1\n", &g,
	    &line, &err), -1);
	assert_err_contains(err, "is too long");
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "rule ", 5);
	longline[CONFIG_LINE_MAX + 1] = '\n';
	assert_int_equal(parse(longline, CONFIG_LINE_MAX + 2, &g, &line, &err),
	    -1);
	assert_err_contains(err, "longer than 1024 bytes");
	/* One byte less is a line like any other. */
	longline[CONFIG_LINE_MAX] = '\n';
	g.all[0] = '\0';
	g.refuse = "rule";
	assert_int_equal(parse(longline, CONFIG_LINE_MAX + 1, &g, &line, &err),
	    -1);
	assert_string_equal(err.msg, "unknown option \"rule\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
