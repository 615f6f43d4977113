/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * finit-module: load kernel code from a file descriptor with finit_module(2) (the attack binary itself, which is
 * not a module). Refused: EPERM from seccomp (allowed only with CAP_SYS_MODULE). n/a on a kernel built without
 * module support (ENOSYS and no /proc/modules).
 */
#include "attack.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		attack_error("open /proc/self/exe: %s", errno_name(errno));
	long r = syscall(SYS_finit_module, fd, "", 0);
	if (r < 0 && errno == ENOSYS && access("/proc/modules", F_OK) < 0)
		not_applicable("the kernel has no module support (finit_module ENOSYS, no /proc/modules)");
	int e = expect_errno("finit_module", r, errno, EPERM);
	refused("finit_module(fd of %s): %s", argc > 0 ? argv[0] : "self", errno_name(e));
}
