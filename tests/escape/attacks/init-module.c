/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * init-module: load kernel code with init_module(2) (an image that is not a module, so nothing could load even
 * if the call went through) and remove one with delete_module(2). Refused: EPERM from seccomp (allowed only
 * with CAP_SYS_MODULE).
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	static const char image[64] = "\177ELF not a module";
	long r = syscall(SYS_init_module, image, sizeof(image), "");
	errlist_add(why, sizeof(why), "init_module", expect_errno("init_module", r, errno, EPERM));
	r = syscall(SYS_delete_module, "hull_escape_no_such_module", O_NONBLOCK);
	errlist_add(why, sizeof(why), "delete_module", expect_errno("delete_module", r, errno, EPERM));
	refused("%s", why);
}
