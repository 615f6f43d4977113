/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptrace-host: ptrace(PTRACE_ATTACH) and process_vm_readv(2) of host processes, named by their host pids (the
 * runner passes the pid of a host process it started and of `hull run` itself), and a sweep of pids 1..65536 for
 * any process that can be signalled (kill 0) but is not listed in the container's /proc. Refused: the host
 * processes do not exist in the container's pid namespace (ESRCH; with seccomp also EPERM for
 * process_vm_readv, allowed only with CAP_SYS_PTRACE), and every pid the sweep finds is the container's own.
 */
#include "attack.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>

int main(int argc, char **argv)
{
	char why[512] = "", what[96], path[64];
	int found = 0;

	if (argc < 2)
		attack_error("usage: ptrace-host HOST_PID...");
	for (int i = 1; i < argc; i++) {
		pid_t pid = (pid_t)atoi(argv[i]);
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (stat(path, &st) == 0) {
			step("pid %d is a container process (same number by chance): not a host process", pid);
			continue;
		}
		snprintf(what, sizeof(what), "ptrace(ATTACH, %d)", pid);
		long r = ptrace(PTRACE_ATTACH, pid, NULL, NULL);
		errlist_add(why, sizeof(why), what, expect_errno(what, r, errno, ESRCH, EPERM));
		char buf[16];
		struct iovec local = {buf, sizeof(buf)}, remote = {(void *)0x400000, sizeof(buf)};
		snprintf(what, sizeof(what), "process_vm_readv(%d)", pid);
		r = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		errlist_add(why, sizeof(why), what, expect_errno(what, r, errno, ESRCH, EPERM));
	}
	for (pid_t pid = 1; pid <= 65536; pid++) {
		if (kill(pid, 0) < 0 && errno == ESRCH)
			continue;
		found++;
		snprintf(path, sizeof(path), "/proc/%d", pid);
		struct stat st;
		if (stat(path, &st) < 0)
			allowed("pid %d can be signalled but is not a process of the container's /proc", pid);
	}
	step("pid sweep 1..65536: %d processes, all in the container's /proc", found);
	refused("%s; sweep found only the container's %d processes", why, found);
}
