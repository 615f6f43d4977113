/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mask-check: the end state the /dev/null, /dev/console and procfs-redirection attacks (CVE-2025-31133,
 * CVE-2025-52565, CVE-2025-52881) aim for: some mount in the container that exposes the host's
 * kernel.core_pattern or /proc/sysrq-trigger writable, or a masked path that is not masked. Checks, for every
 * procfs mount in /proc/self/mountinfo (whatever its root: a bind of one procfs file shows that file as its
 * root), that core_pattern and sysrq-trigger under it cannot be opened for writing; that /dev/null and (if
 * present) /dev/console are character devices not on procfs; and that each PATH given is masked: a file is
 * char 1:3 (or reads nothing), a directory is an empty read-only tmpfs. Only opens, never writes.
 *
 *   mask-check [MASKED_PATH...]
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#define PROC_SUPER_MAGIC 0x9fa0

static int tried, hidden, procs;

static void try_write(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0)
		allowed("%s can be opened for writing", path);
	if (errno == ENOENT)
		hidden++; /* something is mounted over the directory holding it, or the kernel lacks it */
	else
		tried++;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '7' && p[2] && p[3]) {
			*o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
}

static void check_proc_mounts(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		attack_error("open mountinfo: %s", errno_name(errno));
	char line[4096], root[1024], mp[1024], path[2300];
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		if (!sep || sscanf(line, "%*d %*d %*s %1023s %1023s", root, mp) != 2)
			continue;
		unescape(root);
		unescape(mp);
		if (strncmp(sep + 3, "proc ", 5)) {
			/* Not procfs but mounted inside /proc: fine for a mask (a read-only tmpfs, a bind of
			 * /dev/null), otherwise a mount that was redirected into procfs (CVE-2019-19921 class). */
			if (!strncmp(mp, "/proc/", 6) && strncmp(sep + 3, "tmpfs ", 6) && !strstr(root, "/null"))
				step("WARNING: %s is mounted inside /proc (%.*s)", mp, (int)strcspn(sep + 3, " "),
				     sep + 3);
			continue;
		}
		procs++;
		static const char *const targets[] = {"/sys/kernel/core_pattern", "/sysrq-trigger"};
		for (size_t i = 0; i < 2; i++) {
			const char *t = targets[i];
			size_t rl = strlen(root);
			if (!strcmp(root, "/"))
				snprintf(path, sizeof(path), "%s%s", mp, t);
			else if (!strncmp(t, root, rl) && (t[rl] == '/' || t[rl] == 0))
				snprintf(path, sizeof(path), "%s%s", mp, t + rl);
			else
				continue;
			try_write(path);
		}
	}
	fclose(f);
	step("%d procfs mounts; %d core_pattern/sysrq-trigger paths refused writing, %d hidden (ENOENT)", procs, tried,
	     hidden);
}

static void check_node(const char *path, bool must_exist)
{
	struct stat st;
	struct statfs sfs;
	if (stat(path, &st) < 0) {
		if (!must_exist && errno == ENOENT)
			return;
		allowed("%s: %s (a missing /dev/null means masks were skipped)", path, errno_name(errno));
	}
	if (!S_ISCHR(st.st_mode))
		allowed("%s is not a character device (mode %o)", path, st.st_mode & S_IFMT);
	if (statfs(path, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC)
		allowed("%s is a procfs file", path);
	step("%s is char %u:%u", path, major(st.st_rdev), minor(st.st_rdev));
}

static void check_masked(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return;
		allowed("masked path %s: stat %s", path, errno_name(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		struct statfs sfs;
		if (statfs(path, &sfs) < 0 || sfs.f_type != 0x01021994 /* TMPFS_MAGIC */)
			allowed("masked directory %s is not a tmpfs", path);
		if (!(sfs.f_flags & ST_RDONLY))
			allowed("masked directory %s is writable", path);
		return;
	}
	if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3)
		return;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return; /* not readable either */
	char c;
	ssize_t n = read(fd, &c, 1);
	close(fd);
	if (n > 0)
		allowed("masked path %s is readable and not /dev/null (mode %o)", path, st.st_mode & S_IFMT);
}

int main(int argc, char **argv)
{
	check_proc_mounts();
	check_node("/dev/null", true);
	check_node("/dev/console", false);
	for (int i = 1; i < argc; i++)
		check_masked(argv[i]);
	if (procs == 0)
		attack_error("no procfs mount in the container");
	refused("core_pattern/sysrq-trigger not writable under any of %d procfs mounts (%d refused, %d hidden); "
	        "/dev/null is a device; %d masked paths masked",
	        procs, tried, hidden, argc - 1);
}
