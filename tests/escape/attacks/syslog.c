/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * syslog: read the host kernel's log (addresses for KASLR bypass, other tenants' activity) with syslog(2)
 * SYSLOG_ACTION_READ_ALL and /dev/kmsg, and clear it (SYSLOG_ACTION_CLEAR). Refused: EPERM from seccomp for
 * syslog (allowed only with CAP_SYSLOG or CAP_SYS_ADMIN); /dev/kmsg is not in the container's /dev (ENOENT).
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/klog.h>

int main(void)
{
	char why[256] = "", buf[256];
	int r = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf));
	errlist_add(why, sizeof(why), "READ_ALL", expect_errno("syslog(READ_ALL)", r, errno, EPERM));
	r = klogctl(5 /* SYSLOG_ACTION_CLEAR */, NULL, 0);
	errlist_add(why, sizeof(why), "CLEAR", expect_errno("syslog(CLEAR)", r, errno, EPERM));
	int fd = open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
	errlist_add(why, sizeof(why), "/dev/kmsg", expect_errno("open /dev/kmsg", fd, errno, ENOENT, EPERM, EACCES));
	refused("%s", why);
}
