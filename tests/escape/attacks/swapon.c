/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * swapon: add a swap area (host-wide memory management) with swapon(2) on a file in /tmp, and swapoff(2) one.
 * Refused: EPERM from seccomp (neither is in the allow list; the kernel needs CAP_SYS_ADMIN).
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/swap.h>

int main(void)
{
	char why[256] = "";
	int fd = open("/tmp/attack-swapfile", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		attack_error("create /tmp/attack-swapfile: %s", errno_name(errno));
	close(fd);
	int r = swapon("/tmp/attack-swapfile", 0);
	errlist_add(why, sizeof(why), "swapon", expect_errno("swapon", r, errno, EPERM));
	r = swapoff("/tmp/attack-swapfile");
	errlist_add(why, sizeof(why), "swapoff", expect_errno("swapoff", r, errno, EPERM));
	refused("%s", why);
}
