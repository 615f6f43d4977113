/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * settimeofday: set the host's wall clock (CLOCK_REALTIME is not namespaced) with settimeofday(2), to the time
 * it already has. Refused: EPERM from seccomp (allowed only with CAP_SYS_TIME); the runner checks the host's
 * clock did not jump.
 */
#include "attack.h"

#include <sys/time.h>

int main(void)
{
	struct timeval tv;
	if (gettimeofday(&tv, NULL) < 0)
		attack_error("gettimeofday: %s", errno_name(errno));
	int r = settimeofday(&tv, NULL);
	int e = expect_errno("settimeofday(now)", r, errno, EPERM);
	refused("settimeofday: %s", errno_name(e));
}
