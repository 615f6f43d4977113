/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysrq-trigger: open /proc/sysrq-trigger for writing (one byte there reboots or crashes the host). The file is
 * only opened, never written. Refused: EROFS (readonlyPaths bind) or EACCES/EPERM. n/a when the kernel has no
 * /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ off).
 */
#include "attack.h"

#include <fcntl.h>

int main(void)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		not_applicable("/proc/sysrq-trigger does not exist on this kernel (CONFIG_MAGIC_SYSRQ off)");
	int e = expect_errno("open /proc/sysrq-trigger O_WRONLY", fd, errno, EROFS, EACCES, EPERM);
	refused("open /proc/sysrq-trigger for writing: %s", errno_name(e));
}
