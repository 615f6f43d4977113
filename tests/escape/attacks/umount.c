/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * umount: umount2 the read-only bind over /proc/sys (would expose the writable procfs underneath) and the
 * /dev/null mask over /proc/timer_list (would expose the host's timers). Refused: EPERM (seccomp allows
 * umount2 only with CAP_SYS_ADMIN).
 */
#include "attack.h"

#include <sys/mount.h>

int main(void)
{
	char why[512] = "";
	int r = umount2("/proc/sys", MNT_DETACH);
	errlist_add(why, sizeof(why), "umount2 /proc/sys", expect_errno("umount2(/proc/sys)", r, errno, EPERM));
	r = umount2("/proc/timer_list", MNT_DETACH);
	errlist_add(why, sizeof(why), "umount2 /proc/timer_list",
	            expect_errno("umount2(/proc/timer_list)", r, errno, EPERM));
	r = umount2("/", MNT_DETACH);
	errlist_add(why, sizeof(why), "umount2 /", expect_errno("umount2(/)", r, errno, EPERM));
	refused("%s", why);
}
