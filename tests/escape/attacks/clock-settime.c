/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock-settime: set CLOCK_REALTIME with clock_settime(2) (to its current value), and adjust it with
 * clock_adjtime(2)/adjtimex(2) (ADJ_STATUS with the status it already has). Refused: clock_settime gets EPERM
 * from seccomp (allowed only with CAP_SYS_TIME); clock_adjtime is in the allow list (reading the clock is
 * legitimate), and the kernel refuses the change with EPERM for lack of CAP_SYS_TIME.
 */
#include "attack.h"

#include <sys/timex.h>
#include <time.h>

int main(void)
{
	char why[256] = "";
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		attack_error("clock_gettime: %s", errno_name(errno));
	int r = clock_settime(CLOCK_REALTIME, &ts);
	errlist_add(why, sizeof(why), "clock_settime", expect_errno("clock_settime(REALTIME, now)", r, errno, EPERM));
	struct timex tx = {.modes = 0};
	if (adjtimex(&tx) < 0)
		attack_error("adjtimex(read): %s", errno_name(errno));
	tx.modes = ADJ_STATUS;
	r = adjtimex(&tx);
	errlist_add(why, sizeof(why), "adjtimex(ADJ_STATUS)", expect_errno("adjtimex(ADJ_STATUS)", r, errno, EPERM));
	refused("%s", why);
}
