/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io-uring: io_uring_setup(2) (asynchronous syscalls that a seccomp filter never sees, and a rich source of
 * kernel bugs), plus io_uring_enter and io_uring_register on a bad fd. Refused: EPERM from seccomp (none of the
 * three is in the allow list).
 */
#include "attack.h"

#include <linux/io_uring.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	long r = syscall(SYS_io_uring_setup, 4, &p);
	errlist_add(why, sizeof(why), "io_uring_setup", expect_errno("io_uring_setup", r, errno, EPERM));
	r = syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0);
	errlist_add(why, sizeof(why), "io_uring_enter", expect_errno("io_uring_enter", r, errno, EPERM));
	r = syscall(SYS_io_uring_register, -1, 0, NULL, 0);
	errlist_add(why, sizeof(why), "io_uring_register", expect_errno("io_uring_register", r, errno, EPERM));
	refused("%s", why);
}
