/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leaked-fd: reach the host through something the runtime left behind (CVE-2024-21626, "Leaky Vessels"): every
 * open fd of every process in the container (/proc/<pid>/fd), each process's cwd and root. A directory is
 * followed up with ".." until it stops; the top must be the container's /, else the fd leads to the host's
 * tree. Any other file must be reachable under its own name inside the container (same device and inode) or
 * be a pipe, socket, anonymous inode or memfd. The cwd must not be "(unreachable)". Refused: nothing found.
 *
 *   leaked-fd                 check every process visible in /proc (run as the container's init)
 *   leaked-fd sleep SECONDS   sleep (the init of the exec variant, so that the exec'd check sees a target)
 */
#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

static struct stat root;
static int checked;

/* Follow ".." from the directory DIRFD until it is its own parent; true if that top is the container's /. */
static bool reaches_root(int dirfd, dev_t *top_dev, ino_t *top_ino)
{
	int fd = dup(dirfd);
	struct stat st, up;
	for (int i = 0; fd >= 0 && i < 4096; i++) {
		if (fstat(fd, &st) < 0)
			break;
		int parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (parent < 0 || fstat(parent, &up) < 0) {
			/* no way up: this is as far as it goes */
			if (parent >= 0)
				close(parent);
			break;
		}
		if (up.st_dev == st.st_dev && up.st_ino == st.st_ino) {
			close(parent);
			break;
		}
		close(fd);
		fd = parent;
	}
	if (fd >= 0)
		close(fd);
	*top_dev = st.st_dev;
	*top_ino = st.st_ino;
	return st.st_dev == root.st_dev && st.st_ino == root.st_ino;
}

/* Check the object PATH (a /proc/<pid>/fd/N, cwd or root magic link) names. */
static void check_link(const char *path, const char *label)
{
	char target[4096];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return; /* closed meanwhile, or not ours to look at */
	target[n] = 0;
	struct stat st;
	if (stat(path, &st) < 0)
		return;
	checked++;
	if (S_ISDIR(st.st_mode)) {
		int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return;
		dev_t dev;
		ino_t ino;
		if (!reaches_root(fd, &dev, &ino))
			allowed("%s (%s) is a directory whose \"..\" chain ends outside the container's root "
			        "(at %lu:%lu)",
			        label, target, (unsigned long)dev, (unsigned long)ino);
		close(fd);
		if (!strncmp(target, "(unreachable)", 13))
			allowed("%s is unreachable from the container's root: %s", label, target);
		return;
	}
	if (target[0] != '/')
		return; /* pipe:[], socket:[], anon_inode:... */
	if (!strncmp(target, "/memfd:", 7))
		return;
	struct stat named;
	if (stat(target, &named) == 0 && named.st_dev == st.st_dev && named.st_ino == st.st_ino)
		return;
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
		/* e.g. the stdio of `hull run` (a host pty or /dev/null of the host): a device, not the host tree */
		step("%s -> %s: a character device, fifo or socket not named inside (stdio from the host)", label,
		     target);
		return;
	}
	allowed("%s -> %s: a file not reachable under that name inside the container", label, target);
}

static void check_pid(const char *pid)
{
	char path[300], label[300];
	snprintf(path, sizeof(path), "/proc/%s/cwd", pid);
	snprintf(label, sizeof(label), "cwd of pid %s", pid);
	check_link(path, label);
	snprintf(path, sizeof(path), "/proc/%s/root", pid);
	snprintf(label, sizeof(label), "root of pid %s", pid);
	check_link(path, label);

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!strcmp(pid, "self") && atoi(e->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd/%s", pid, e->d_name);
		snprintf(label, sizeof(label), "fd %s of pid %s", e->d_name, pid);
		if (atoi(e->d_name) <= 2) {
			/* stdio is what the caller of hull gave the container (a file, pipe or pty of the host):
			 * passed on by design, like runc; only reported */
			char target[256];
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			target[n > 0 ? n : 0] = 0;
			if (!strcmp(pid, "self"))
				step("%s -> %s (stdio, given by the caller)", label, target);
			continue;
		}
		check_link(path, label);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "sleep")) {
		sleep((unsigned)atoi(argv[2]));
		return 0;
	}
	if (stat("/", &root) < 0)
		attack_error("stat /: %s", errno_name(errno));
	char cwd[4096];
	if (!getcwd(cwd, sizeof(cwd)))
		allowed("getcwd failed (%s): the cwd is not under the container's root", errno_name(errno));
	if (cwd[0] != '/')
		allowed("getcwd: %s", cwd);
	check_pid("self");
	DIR *d = opendir("/proc");
	if (!d)
		attack_error("opendir /proc: %s", errno_name(errno));
	struct dirent *e;
	int pids = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		check_pid(e->d_name);
		pids++;
	}
	closedir(d);
	refused("%d fds, cwds and roots of %d processes all lead inside the container", checked, pids);
}
