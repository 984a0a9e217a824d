/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SW_CLI_H
#define SW_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "ruleset.h"

int cmd_calc(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_datapath(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);

#endif
