/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reboot: reboot(2) with LINUX_REBOOT_CMD_CAD_OFF (turn off Ctrl-Alt-Del handling on the host; harmless when it
 * works in a pid namespace, where it only returns EINVAL). Refused: EPERM from seccomp (reboot is allowed only
 * with CAP_SYS_BOOT); the runner checks the host's /proc/sys/kernel/ctrl-alt-del is unchanged.
 */
#include "attack.h"

#include <linux/reboot.h>
#include <sys/syscall.h>

int main(void)
{
	long r = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF, NULL);
	int e = expect_errno("reboot(CAD_OFF)", r, errno, EPERM);
	refused("reboot(LINUX_REBOOT_CMD_CAD_OFF): %s", errno_name(e));
}
