/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * perf-event-open: perf_event_open(2) on a system-wide CPU counter and on the process itself (a side channel
 * and a long line of kernel bugs). Refused: EPERM from seccomp (allowed only with CAP_SYS_ADMIN or
 * CAP_PERFMON).
 */
#include "attack.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.disabled = 1;
	long r = syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0UL);
	errlist_add(why, sizeof(why), "cpu-wide", expect_errno("perf_event_open(pid -1, cpu 0)", r, errno, EPERM));
	r = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0UL);
	errlist_add(why, sizeof(why), "self", expect_errno("perf_event_open(self)", r, errno, EPERM));
	refused("perf_event_open: %s", why);
}
