/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * setuid-nnp: gain root through a setuid-root binary. Runs as uid 1000; /attacks/setuid-root is a copy of this
 * program owned by root with mode 04755 (the runner makes it: an image may ship such files). It is executed
 * with "report" and says its real and effective uid and effective capabilities. Refused: euid stays 1000 (and
 * no capabilities) because no_new_privs makes execve ignore the setuid bit.
 *
 *   setuid-nnp          the attack
 *   setuid-nnp report   print "uid=R euid=E capeff=HEX"
 */
#include "attack.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void report(void)
{
	char line[256], capeff[64] = "?";
	FILE *f = fopen("/proc/self/status", "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "CapEff: %63s", capeff) == 1)
				break;
		fclose(f);
	}
	printf("uid=%u euid=%u capeff=%s\n", getuid(), geteuid(), capeff);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "report")) {
		report();
		return 0;
	}
	struct stat st;
	if (stat("/attacks/setuid-root", &st) < 0)
		attack_error("stat /attacks/setuid-root: %s", errno_name(errno));
	if (st.st_uid != 0 || !(st.st_mode & S_ISUID))
		attack_error("/attacks/setuid-root is not setuid root (uid %u mode %o)", st.st_uid, st.st_mode & 07777);
	if (getuid() == 0 || geteuid() == 0)
		attack_error("must run as a non-root user (uid %u)", getuid());
	step("uid %u, no_new_privs %d", getuid(), prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));

	int p[2];
	if (pipe(p) < 0)
		attack_error("pipe: %s", errno_name(errno));
	pid_t pid = fork();
	if (pid < 0)
		attack_error("fork: %s", errno_name(errno));
	if (pid == 0) {
		dup2(p[1], 1);
		execl("/attacks/setuid-root", "setuid-root", "report", (char *)NULL);
		printf("exec failed: %s\n", errno_name(errno));
		_exit(127);
	}
	close(p[1]);
	char out[256] = "";
	ssize_t n = read(p[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = 0;
	out[strcspn(out, "\n")] = 0;
	waitpid(pid, NULL, 0);
	unsigned uid, euid;
	char capeff[64];
	if (sscanf(out, "uid=%u euid=%u capeff=%63s", &uid, &euid, capeff) != 3)
		attack_error("the setuid binary said: %s", out);
	if (euid == 0)
		allowed("the setuid-root binary ran with euid 0 (%s)", out);
	if (strspn(capeff, "0") != strlen(capeff))
		allowed("the setuid-root binary gained capabilities (%s)", out);
	refused("the setuid-root binary ran with %s: no_new_privs ignored the setuid bit", out);
}
