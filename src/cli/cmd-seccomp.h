/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `hull seccomp SUBCOMMAND`. CLI process only. */
#pragma once

#include "cli.h"

/* `hull seccomp resolve [PROFILE] [--caps CAP,...] [--arch ARCH] [--kernel RELEASE]`. */
int cmd_seccomp(struct cli *cli, int argc, char **argv);
