/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * init-module: load kernel code with init_module(2) (an image that is not a module, so nothing could load even
 * if the call went through) and remove one with delete_module(2). Refused: EPERM from seccomp (allowed only
 * with CAP_SYS_MODULE). n/a on a kernel built without module support (ENOSYS and no /proc/modules), which
 * only shows when nothing else refused first (seccomp, or a user namespace test without a filter).
 */
#include "attack.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	static const char image[64] = "\177ELF not a module";
	long r = syscall(SYS_init_module, image, sizeof(image), "");
	if (r < 0 && errno == ENOSYS && access("/proc/modules", F_OK) < 0)
		not_applicable("the kernel has no module support (init_module ENOSYS, no /proc/modules)");
	errlist_add(why, sizeof(why), "init_module", expect_errno("init_module", r, errno, EPERM));
	r = syscall(SYS_delete_module, "hull_escape_no_such_module", O_NONBLOCK);
	errlist_add(why, sizeof(why), "delete_module", expect_errno("delete_module", r, errno, EPERM));
	refused("%s", why);
}
