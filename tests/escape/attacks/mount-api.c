/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mount-api: the new mount API (fsopen, fspick, open_tree with OPEN_TREE_CLONE, mount_setattr, move_mount) as
 * a way around a filter that only knows mount(2). Refused: EPERM from seccomp (these calls are allowed only
 * with CAP_SYS_ADMIN).
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/syscall.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef FSPICK_CLOEXEC
#define FSPICK_CLOEXEC 1
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

struct attack_mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

int main(void)
{
	char why[512] = "";
	long r;

	r = syscall(SYS_fsopen, "tmpfs", 0);
	errlist_add(why, sizeof(why), "fsopen", expect_errno("fsopen(tmpfs)", r, errno, EPERM));
	r = syscall(SYS_fspick, AT_FDCWD, "/proc/sys", FSPICK_CLOEXEC);
	errlist_add(why, sizeof(why), "fspick", expect_errno("fspick(/proc/sys)", r, errno, EPERM));
	r = syscall(SYS_open_tree, AT_FDCWD, "/proc", OPEN_TREE_CLONE);
	errlist_add(why, sizeof(why), "open_tree", expect_errno("open_tree(/proc, CLONE)", r, errno, EPERM));
	struct attack_mount_attr attr = {.attr_clr = 0x1 /* MOUNT_ATTR_RDONLY */};
	r = syscall(SYS_mount_setattr, AT_FDCWD, "/", 0, &attr, sizeof(attr));
	errlist_add(why, sizeof(why), "mount_setattr", expect_errno("mount_setattr(/, clear RDONLY)", r, errno, EPERM));
	int fd = open("/proc", O_PATH | O_CLOEXEC);
	r = syscall(SYS_move_mount, fd, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH);
	errlist_add(why, sizeof(why), "move_mount", expect_errno("move_mount(/proc -> /tmp)", r, errno, EPERM));
	refused("%s", why);
}
