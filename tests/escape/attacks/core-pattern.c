/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * core-pattern: open /proc/sys/kernel/core_pattern for writing ("|/path" there runs a program as host root on
 * the next crash). Also tries /proc/sys/kernel/modprobe and /proc/sys/fs/binfmt_misc/register, and /proc/sys
 * through /proc/self/root and /proc/1/root. Only opened, never written. Refused: EROFS (readonlyPaths: /proc/sys
 * is a read-only bind).
 */
#include "attack.h"

#include <fcntl.h>

int main(void)
{
	static const char *const paths[] = {
	    "/proc/sys/kernel/core_pattern",
	    "/proc/self/root/proc/sys/kernel/core_pattern",
	    "/proc/1/root/proc/sys/kernel/core_pattern",
	    "/proc/sys/kernel/modprobe",
	};
	char why[512] = "", what[128];
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int fd = open(paths[i], O_WRONLY | O_CLOEXEC);
		snprintf(what, sizeof(what), "open %s O_WRONLY", paths[i]);
		int e = expect_errno(what, fd, errno, EROFS, EACCES, EPERM, ENOENT);
		if (i == 0 && e == ENOENT)
			attack_error("/proc/sys/kernel/core_pattern does not exist");
		errlist_add(why, sizeof(why), paths[i], e);
	}
	int fd = open("/proc/sys/fs/binfmt_misc/register", O_WRONLY | O_CLOEXEC);
	errlist_add(why, sizeof(why), "binfmt_misc/register",
	            expect_errno("open binfmt_misc/register", fd, errno, EROFS, EACCES, EPERM, ENOENT));
	refused("%s", why);
}
