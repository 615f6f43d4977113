/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * userfaultfd: userfaultfd(2) (and /dev/userfaultfd), the classic way to stall the kernel at a chosen page
 * fault and widen a race in exploits. Refused: the syscall gets EPERM from seccomp (not in the allow list);
 * /dev/userfaultfd does not exist in the container's /dev (ENOENT).
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	long r = syscall(SYS_userfaultfd, O_CLOEXEC);
	errlist_add(why, sizeof(why), "userfaultfd", expect_errno("userfaultfd", r, errno, EPERM));
	int fd = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	errlist_add(why, sizeof(why), "open /dev/userfaultfd",
	            expect_errno("open /dev/userfaultfd", fd, errno, ENOENT, EACCES, EPERM));
	refused("%s", why);
}
