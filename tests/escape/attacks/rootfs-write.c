/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rootfs-write: change the (read-only) root file system, which may be shared with other containers: open
 * /bin/busybox and /etc/passwd for writing, create a file in /, chmod, rename and unlink in /bin. Refused:
 * EROFS on every step (root.readonly: the rootfs mount is read-only); with a user namespace (run.sh --userns)
 * the image's files belong to an id the container does not map, so the permission check refuses first
 * (EACCES, or EPERM for chmod), before the read-only mount is consulted.
 */
#include "attack.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

int main(void)
{
	char why[512] = "";
	int fd = open("/bin/busybox", O_WRONLY | O_CLOEXEC);
	errlist_add(why, sizeof(why), "open /bin/busybox rw",
	            expect_errno("open /bin/busybox O_WRONLY", fd, errno, EROFS, EACCES, EPERM));
	fd = open("/etc/passwd", O_WRONLY | O_APPEND | O_CLOEXEC);
	errlist_add(why, sizeof(why), "open /etc/passwd rw",
	            expect_errno("open /etc/passwd O_WRONLY", fd, errno, EROFS, EACCES, EPERM));
	fd = open("/attack-new-file", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	errlist_add(why, sizeof(why), "create /attack-new-file",
	            expect_errno("create in /", fd, errno, EROFS, EACCES, EPERM));
	int r = chmod("/bin/busybox", 04755);
	errlist_add(why, sizeof(why), "chmod", expect_errno("chmod u+s /bin/busybox", r, errno, EROFS, EACCES, EPERM));
	r = rename("/bin/sh", "/bin/attack-sh");
	errlist_add(why, sizeof(why), "rename", expect_errno("rename /bin/sh", r, errno, EROFS, EACCES, EPERM));
	r = unlink("/bin/sh");
	errlist_add(why, sizeof(why), "unlink", expect_errno("unlink /bin/sh", r, errno, EROFS, EACCES, EPERM));
	refused("%s", why);
}
