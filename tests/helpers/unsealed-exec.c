/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unsealed-exec: a deliberately UNPROTECTED stand-in for `hull exec`, for the CVE-2019-5736
 * regression test only (never installed). It shows that the test's attack really works on this
 * kernel against a runtime that does not run from a sealed copy of itself, so a passing hull
 * result means something.
 *
 * Usage:
 *   unsealed-exec PID PROGRAM [ARGS...]
 *       joins the pid, mount, network, ipc and uts namespaces of PID (one setns on its pidfd),
 *       forks, takes the capability sets of PID (bounding, permitted, effective, inheritable, as
 *       a runtime applies the container's), execs PROGRAM in the container and returns its exit
 *       status. Like any runtime that does not protect itself, the forked child's /proc/self/exe
 *       is this very file until execve, and a "#!/proc/self/exe" PROGRAM makes the kernel run
 *       this file in the container.
 *   unsealed-exec --log=FIFO [ARGS...]
 *       what the kernel runs for "#!/proc/self/exe --log=FIFO": like hull with a --log it cannot
 *       use yet, open FIFO for writing (blocking until a reader appears), then exit 1.
 *
 * Run it from a copy in a scratch directory: the attack overwrites it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct caps {
	unsigned long long bnd, prm, eff, inh;
};

/* The capability sets of pid from /proc/PID/status. */
static int read_caps(const char *pid, struct caps *c)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		n += sscanf(line, "CapBnd: %llx", &c->bnd) == 1;
		n += sscanf(line, "CapPrm: %llx", &c->prm) == 1;
		n += sscanf(line, "CapEff: %llx", &c->eff) == 1;
		n += sscanf(line, "CapInh: %llx", &c->inh) == 1;
	}
	fclose(f);
	return n == 4 ? 0 : -1;
}

static int apply_caps(const struct caps *c)
{
	for (int cap = 0; cap < 64; cap++)
		if (!(c->bnd & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2] = {
	    {(__u32)c->eff, (__u32)c->prm, (__u32)c->inh},
	    {(__u32)(c->eff >> 32), (__u32)(c->prm >> 32), (__u32)(c->inh >> 32)},
	};
	return (int)syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strncmp(argv[1], "--log=", 6) == 0) {
		int fd = open(argv[1] + 6, O_WRONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		return 1;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: unsealed-exec PID PROGRAM [ARGS...]\n");
		return 2;
	}
	struct caps caps;
	if (read_caps(argv[1], &caps) < 0) {
		fprintf(stderr, "unsealed-exec: read the capabilities of %s\n", argv[1]);
		return 1;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (pidfd < 0 || setns(pidfd, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) < 0) {
		fprintf(stderr, "unsealed-exec: join the namespaces of %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("unsealed-exec: fork");
		return 1;
	}
	if (pid == 0) {
		if (apply_caps(&caps) < 0) {
			fprintf(stderr, "unsealed-exec: set capabilities: %s\n", strerror(errno));
			_exit(127);
		}
		execv(argv[2], argv + 2);
		fprintf(stderr, "unsealed-exec: exec %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
