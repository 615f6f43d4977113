/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * setns: join namespaces through every handle the container can name: /proc/<pid>/ns/<type> of each visible
 * process and a pidfd of pid 1 (a leaked host namespace handle would be one of these; a host process is not
 * visible, which the kill-host and ptrace-host attacks check). Also checks that every visible process is in the
 * container's own pid and mount namespaces. Refused: EPERM from seccomp (setns is allowed only with
 * CAP_SYS_ADMIN; the kernel requires it too).
 */
#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static const char *const types[] = {"mnt", "net", "pid", "uts", "ipc", "user", "cgroup", "time"};

int main(void)
{
	char why[512] = "", path[320], what[400];
	int tried = 0, last = 0;
	struct stat self_mnt, self_pid;

	if (stat("/proc/self/ns/mnt", &self_mnt) < 0 || stat("/proc/self/ns/pid", &self_pid) < 0)
		attack_error("stat /proc/self/ns: %s", errno_name(errno));
	DIR *d = opendir("/proc");
	if (!d)
		attack_error("opendir /proc: %s", errno_name(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%s/ns/mnt", e->d_name);
		if (stat(path, &st) == 0 && st.st_ino != self_mnt.st_ino)
			allowed("process %s is in another mount namespace (%s visible)", e->d_name, path);
		snprintf(path, sizeof(path), "/proc/%s/ns/pid", e->d_name);
		if (stat(path, &st) == 0 && st.st_ino != self_pid.st_ino)
			allowed("process %s is in another pid namespace (%s visible)", e->d_name, path);
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			snprintf(path, sizeof(path), "/proc/%s/ns/%s", e->d_name, types[i]);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue; /* a type this kernel lacks, or the process exited */
			snprintf(what, sizeof(what), "setns(%s)", path);
			int r = setns(fd, 0);
			last = expect_errno(what, r, errno, EPERM);
			close(fd);
			tried++;
		}
	}
	closedir(d);
	if (tried == 0)
		attack_error("no namespace handle could be opened");
	snprintf(why, sizeof(why), "setns on %d /proc/*/ns handles: %s", tried, errno_name(last));
	int pidfd = (int)syscall(SYS_pidfd_open, 1, 0);
	if (pidfd < 0)
		attack_error("pidfd_open(1): %s", errno_name(errno));
	int r = setns(pidfd, CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC);
	errlist_add(why, sizeof(why), "setns(pidfd of 1)", expect_errno("setns(pidfd 1)", r, errno, EPERM));
	refused("%s", why);
}
