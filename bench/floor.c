// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floor: the least a runtime can do to start /bin/true the way the benchmark configs ask for.
 *
 *   floor ROOTFS PROG [ARG...]
 *
 * One clone() into new mount, pid, network, ipc and uts namespaces (the namespaces of the benchmark
 * config), then in the child: make "/" private, bind ROOTFS onto itself, pivot_root into it, detach the old
 * root, mount /proc and execve PROG. The parent waits and exits with the child's status. No cgroup, no
 * sync socket, no state, no config parsing, no security settings: the distance between this and a runtime
 * is what the runtime adds. Built static by bench/run.sh so that dynamic loading is not counted either.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	_exit(127);
}

int main(int argc, char **argv)
{
	const unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
	int status;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: floor ROOTFS PROG [ARG...]\n");
		return 2;
	}
	/* fork-like raw clone: the child continues here with its own copy of the stack. */
	pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0UL);
	if (pid < 0)
		die("clone");
	if (pid == 0) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			die("make / private");
		if (mount(argv[1], argv[1], NULL, MS_BIND | MS_REC, NULL) < 0)
			die("bind rootfs");
		if (chdir(argv[1]) < 0)
			die("chdir rootfs");
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			die("pivot_root");
		if (umount2(".", MNT_DETACH) < 0)
			die("umount old root");
		if (chdir("/") < 0)
			die("chdir /");
		if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
			die("mount /proc");
		execv(argv[2], argv + 2);
		die("execv");
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
