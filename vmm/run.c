// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until the run command lands (issue: seavmm run). */
#include <stdio.h>

#include "commands.h"
#include "util.h"

int cmd_run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "seavmm run: not built yet\n");
	return EXIT_RUNTIME;
}
