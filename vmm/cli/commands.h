/* SPDX-License-Identifier: GPL-2.0-only */
/* The subcommands of seavmm: each takes argv after the command name. */
#ifndef SEAVMM_COMMANDS_H
#define SEAVMM_COMMANDS_H

int cmd_ctl(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
