/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "builtin.h"

static const char *const service_names[SVC_COUNT] = {
	[SVC_V6PLUS] = "v6plus",
	[SVC_BIGLOBE] = "biglobe",
	[SVC_OCN] = "ocn",
	[SVC_NURO] = "nuro",
};

static const char *const service_titles[SVC_COUNT] = {
	[SVC_V6PLUS] = "v6plus (JPNE)",
	[SVC_BIGLOBE] = "BIGLOBE IPv6 option",
	[SVC_OCN] = "OCN Virtual Connect",
	[SVC_NURO] = "NURO",
};

const char *
service_name(enum service s)
{
	return (unsigned)s < SVC_COUNT ? service_names[s] : "?";
}

const char *
service_title(enum service s)
{
	return (unsigned)s < SVC_COUNT ? service_titles[s] : "?";
}

int
service_lookup(const char *name)
{
	int i;

	for (i = 0; i < SVC_COUNT; i++)
		if (strcmp(name, service_names[i]) == 0)
			return i;
	return -1;
}
