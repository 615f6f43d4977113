/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount: mount(2) a fresh procfs (whose /proc/sys would be writable), a tmpfs, and remount the read-only root
 * and /proc/sys read-write. Refused: EPERM (seccomp allows mount only with CAP_SYS_ADMIN, which the container
 * lacks; the kernel checks the same capability).
 */
#include "attack.h"

#include <sys/mount.h>
#include <sys/stat.h>

int main(void)
{
	char why[512] = "";
	const char *dir = "/tmp/attack-mount";

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		attack_error("mkdir %s: %s", dir, errno_name(errno));
	int r = mount("proc", dir, "proc", 0, NULL);
	errlist_add(why, sizeof(why), "mount proc", expect_errno("mount(proc)", r, errno, EPERM));
	r = mount("tmpfs", dir, "tmpfs", 0, "size=1m");
	errlist_add(why, sizeof(why), "mount tmpfs", expect_errno("mount(tmpfs)", r, errno, EPERM));
	r = mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL);
	errlist_add(why, sizeof(why), "remount / rw", expect_errno("mount(MS_REMOUNT /, rw)", r, errno, EPERM));
	r = mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL);
	errlist_add(why, sizeof(why), "remount /proc/sys rw",
	            expect_errno("mount(MS_REMOUNT /proc/sys, rw)", r, errno, EPERM));
	r = mount("/proc/sys", dir, NULL, MS_BIND, NULL);
	errlist_add(why, sizeof(why), "bind /proc/sys", expect_errno("mount(MS_BIND /proc/sys)", r, errno, EPERM));
	refused("%s", why);
}
