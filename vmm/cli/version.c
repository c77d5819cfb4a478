// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "commands.h"
#include "util.h"

#ifndef SEAVMM_VERSION
#define SEAVMM_VERSION "0.1.0"
#endif

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("seavmm %s\n", SEAVMM_VERSION);
	return EXIT_OK;
}
