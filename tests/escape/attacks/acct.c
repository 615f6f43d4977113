/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acct: switch on BSD process accounting with acct(2) into a container file (host-wide: every process on the
 * host would then be recorded into a file the container reads). Refused: EPERM from seccomp (allowed only with
 * CAP_SYS_PACCT).
 */
#include "attack.h"

#include <fcntl.h>

int main(void)
{
	int fd = open("/tmp/attack-acct", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		attack_error("create /tmp/attack-acct: %s", errno_name(errno));
	close(fd);
	int r = acct("/tmp/attack-acct");
	if (r == 0)
		acct(NULL);
	int e = expect_errno("acct(/tmp/attack-acct)", r, errno, EPERM);
	refused("acct: %s", errno_name(e));
}
