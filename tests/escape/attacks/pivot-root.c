/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pivot-root: pivot_root(2) to swap the container's root for another directory (the runtime's own trick; with
 * the old root kept reachable it undoes the rootfs confinement). Refused: EPERM from seccomp (pivot_root is
 * not in the allow list; the kernel requires CAP_SYS_ADMIN too).
 */
#include "attack.h"

#include <sys/stat.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	if (mkdir("/tmp/attack-pivot", 0700) < 0 && errno != EEXIST)
		attack_error("mkdir: %s", errno_name(errno));
	long r = syscall(SYS_pivot_root, "/tmp", "/tmp/attack-pivot");
	errlist_add(why, sizeof(why), "pivot_root(/tmp, /tmp/attack-pivot)",
	            expect_errno("pivot_root(/tmp)", r, errno, EPERM));
	if (chdir("/") < 0)
		attack_error("chdir /: %s", errno_name(errno));
	r = syscall(SYS_pivot_root, ".", ".");
	errlist_add(why, sizeof(why), "pivot_root(., .)", expect_errno("pivot_root(., .)", r, errno, EPERM));
	refused("%s", why);
}
