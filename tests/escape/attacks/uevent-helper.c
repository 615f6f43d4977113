/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uevent-helper: the sysfs twin of core_pattern: /sys/kernel/uevent_helper names a program the kernel runs as
 * host root on every device event. Opens /sys/kernel/uevent_helper and /sys/kernel/profiling for writing and
 * creates a file in /sys/kernel (only opened, never written). Refused: EROFS (sysfs is mounted read-only).
 * A file this kernel lacks is skipped (a step line says so).
 */
#include "attack.h"

#include <fcntl.h>

int main(void)
{
	char why[512] = "";
	int fd = open("/sys/kernel/uevent_helper", O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		step("/sys/kernel/uevent_helper does not exist (CONFIG_UEVENT_HELPER off)");
	else
		errlist_add(why, sizeof(why), "uevent_helper",
		            expect_errno("open /sys/kernel/uevent_helper O_WRONLY", fd, errno, EROFS, EACCES));
	fd = open("/sys/kernel/profiling", O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		step("/sys/kernel/profiling does not exist");
	else
		errlist_add(why, sizeof(why), "profiling",
		            expect_errno("open /sys/kernel/profiling O_WRONLY", fd, errno, EROFS, EACCES));
	fd = open("/sys/kernel/attack-new", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	errlist_add(why, sizeof(why), "create in /sys/kernel",
	            expect_errno("create /sys/kernel/attack-new", fd, errno, EROFS, EACCES, EPERM));
	if (why[0] == 0)
		attack_error("nothing to try");
	refused("%s", why);
}
