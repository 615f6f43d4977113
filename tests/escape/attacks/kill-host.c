/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kill-host: signal host processes: kill(HOST_PID, SIGCONT) for the host pids the runner passes (a host process
 * that records every SIGCONT it gets, and `hull run`), and kill(-1, SIGCONT), which from pid 1 reaches "every
 * process it may signal". SIGCONT is harmless wherever it lands. Refused: the host pids are ESRCH in the
 * container's pid namespace; kill(-1) may succeed but reaches only the container's processes: the runner checks
 * that its host process received no SIGCONT.
 */
#include "attack.h"

#include <signal.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	char why[512] = "", what[64], path[64];
	int r;

	if (argc < 2)
		attack_error("usage: kill-host HOST_PID...");
	for (int i = 1; i < argc; i++) {
		pid_t pid = (pid_t)atoi(argv[i]);
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (stat(path, &st) == 0) {
			step("pid %d is a container process (same number by chance): skipped", pid);
			continue;
		}
		snprintf(what, sizeof(what), "kill(%d, SIGCONT)", pid);
		r = kill(pid, SIGCONT);
		errlist_add(why, sizeof(why), what, expect_errno(what, r, errno, ESRCH));
	}
	if (kill(-1, SIGCONT) == 0)
		step("kill(-1, SIGCONT) returned 0: it reached the container's own processes (host checked by the "
		     "runner)");
	else
		step("kill(-1, SIGCONT): %s", errno_name(errno));
	refused("%s; kill(-1) confined to the container (host process got no signal)", why);
}
