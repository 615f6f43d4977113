// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * seccomp-bench: per-call cost of a few syscall classes, run inside a container (static binary).
 *
 *   seccomp-bench [ITERATIONS]   print {"getppid":ns,"personality":ns,"socket":ns,"denied":ns,"seccomp":mode}
 *   seccomp-bench pause          wait for a signal (the benchmark driver reads the installed filter with ptrace)
 *
 * The classes, chosen against Docker's default profile (allowlist, default ERRNO(EPERM)):
 *   getppid      allowed unconditionally by syscall number
 *   personality  personality(0xffffffff) (query), allowed by an argument comparison
 *   socket       socket(AF_UNIX, 0x7fff, 0): allowed by an argument comparison (domain < AF_VSOCK), then
 *                refused by the kernel with EINVAL (no socket is created)
 *   denied       acct(NULL): not in the profile, refused by the filter with EPERM (without a filter the kernel
 *                refuses it with EPERM too: the container lacks CAP_SYS_PACCT)
 * Each class runs ITERATIONS calls, 7 times; the fastest of the 7 per-call times is printed (the least disturbed
 * by other load on the machine). Subtracting the figures of the same container without seccomp gives the
 * filter's cost per call.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define REPS 7

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double per_call(long nr, long a0, long a1, long a2, long iters)
{
	double t[REPS];

	for (int r = 0; r < REPS; r++) {
		double t0 = now_ns();
		for (long i = 0; i < iters; i++)
			(void)syscall(nr, a0, a1, a2);
		t[r] = (now_ns() - t0) / (double)iters;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	return t[0];
}

static int seccomp_mode(void)
{
	char line[256];
	int mode = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode;
}

int main(int argc, char **argv)
{
	long iters = 200000;

	if (argc > 1 && strcmp(argv[1], "pause") == 0) {
		for (;;)
			pause();
	}
	if (argc > 1)
		iters = strtol(argv[1], NULL, 10);
	if (iters <= 0)
		iters = 1;
	printf("{\"getppid\":%.2f,\"personality\":%.2f,\"socket\":%.2f,\"denied\":%.2f,\"seccomp\":%d}\n",
	       per_call(SYS_getppid, 0, 0, 0, iters), per_call(SYS_personality, 0xffffffffL, 0, 0, iters),
	       per_call(SYS_socket, AF_UNIX, 0x7fff, 0, iters), per_call(SYS_acct, 0, 0, 0, iters), seccomp_mode());
	return 0;
}
