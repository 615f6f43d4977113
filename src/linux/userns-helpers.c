/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "userns-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "fd-util.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

bool userns_running_rootless(void)
{
	if (geteuid() != 0)
		return true;
	_cleanup_fclose_ FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long inside, outside, count;
	if (!f)
		return false;
	if (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) != 3)
		return true;
	return !(inside == 0 && outside == 0 && count == 4294967295UL);
}

void userns_map_method_done(struct userns_map_method *mm)
{
	free(mm->helper_path);
	mm->helper_path = NULL;
}

/* The first executable regular file called name in $PATH, or NULL. */
static char *find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = DEFAULT_PATH;
	_cleanup_free_ char *copy = xstrdup(path);
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (dir[0] != '/')
			continue; /* a relative PATH entry would depend on the cwd: never */
		char *p = xasprintf("%s/%s", dir, name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

struct subid_range {
	uint64_t start, count;
};

/* The caller's ranges from a subuid/subgid file ("name:start:count" or "id:start:count"). A
 * missing file gives no ranges. */
static int read_subids(const char *file, const char *user, unsigned long id, struct subid_range **ret, size_t *ret_n)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	struct subid_range *v = NULL;
	size_t n = 0;
	if (!f) {
		if (errno != ENOENT)
			return -errno;
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	char line[512];
	char idstr[32];
	snprintf(idstr, sizeof(idstr), "%lu", id);
	while (fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':');
		if (!c1)
			continue;
		*c1 = 0;
		if (!((user && streq(line, user)) || streq(line, idstr)))
			continue;
		char *end;
		errno = 0;
		unsigned long long start = strtoull(c1 + 1, &end, 10);
		if (errno || *end != ':')
			continue;
		unsigned long long count = strtoull(end + 1, &end, 10);
		if (errno || (*end != '\n' && *end != 0) || count == 0)
			continue;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = (struct subid_range){start, count};
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Whether [start, start+count) is covered by the union of ranges. */
static bool covered(const struct subid_range *v, size_t n, uint64_t start, uint64_t count)
{
	uint64_t cur = start, end = start + count;
	while (cur < end) {
		bool advanced = false;
		for (size_t i = 0; i < n; i++)
			if (v[i].start <= cur && cur < v[i].start + v[i].count) {
				cur = v[i].start + v[i].count;
				advanced = true;
			}
		if (!advanced)
			return false;
	}
	return true;
}

/* The name the subid files and the helpers know the caller by: its real uid's user name. */
static const char *caller_name(char *buf, size_t size)
{
	struct passwd pw, *pwp = NULL;
	if (getpwuid_r(getuid(), &pw, buf, size, &pwp) == 0 && pwp)
		return pwp->pw_name;
	return NULL;
}

int userns_subid_range_for_spec(bool gid, const char *subid_file, uint64_t *ret_start, uint64_t *ret_count)
{
	uint64_t start = 0, count = 0;
	if (!subid_file)
		subid_file = gid ? "/etc/subgid" : "/etc/subuid";
	_cleanup_free_ char *helper = find_in_path(gid ? "newgidmap" : "newuidmap");
	if (!helper) {
		*ret_start = *ret_count = 0; /* the range could not be used: leave it out */
		return 0;
	}
	char buf[1024];
	_cleanup_free_ struct subid_range *ranges = NULL;
	size_t n = 0;
	int r = read_subids(subid_file, caller_name(buf, sizeof(buf)), (unsigned long)getuid(), &ranges, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && count == 0; i++) {
		/* The kernel wants start+count and 1+count (container side) below 2^32 - 1: clamp the
		 * range to what fits rather than offer a map the write would refuse. */
		if (ranges[i].start >= UINT32_MAX - 1)
			continue;
		uint64_t fit = (uint64_t)UINT32_MAX - 1 - ranges[i].start;
		if (fit > (uint64_t)UINT32_MAX - 2)
			fit = (uint64_t)UINT32_MAX - 2;
		start = ranges[i].start;
		count = ranges[i].count < fit ? ranges[i].count : fit;
	}
	*ret_start = start;
	*ret_count = count;
	return 0;
}

int userns_map_method_plan(bool gid, const struct oci_idmap *m, size_t n, const char *subid_file,
                           struct userns_map_method *ret, struct hull_error **err)
{
	const char *field = gid ? "linux.gidMappings" : "linux.uidMappings";
	const char *kind = gid ? "gid" : "uid";
	const char *helper = gid ? "newgidmap" : "newuidmap";
	unsigned long self = gid ? (unsigned long)getegid() : (unsigned long)geteuid();
	struct userns_map_method mm = {0};

	if (!subid_file)
		subid_file = gid ? "/etc/subgid" : "/etc/subuid";
	if (geteuid() == 0 || n == 0) {
		/* Root writes any map its own user namespace can express. */
		*ret = mm;
		return 0;
	}
	if (n == 1 && m[0].size == 1 && m[0].host_id == self) {
		/* An unprivileged process may map its own id into a namespace it created (gid: only
		 * with setgroups denied). */
		mm.deny_setgroups = gid;
		*ret = mm;
		return 0;
	}

	/* The user name the subid files know the caller by (its real uid, as the helpers do). */
	char buf[1024];
	const char *user = caller_name(buf, sizeof(buf));
	/* Both files are keyed by user name or by uid (never by gid), as the helpers read them. */
	unsigned long owner = (unsigned long)getuid();

	_cleanup_free_ struct subid_range *ranges = NULL;
	size_t n_ranges = 0;
	int r = read_subids(subid_file, user, owner, &ranges, &n_ranges);
	if (r < 0)
		return hull_err_errno(err, r, "%s: read %s", field, subid_file);
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = m[i].host_id, cnt = m[i].size;
		if (cnt == 1 && lo == self)
			continue;
		if (!covered(ranges, n_ranges, lo, cnt)) {
			if (user)
				return hull_err(err, -EPERM,
				                "%s[%zu]: %s: no range for user \"%s\" covers %" PRIu64 "-%" PRIu64,
				                field, i, subid_file, user, lo, lo + cnt - 1);
			return hull_err(err, -EPERM, "%s[%zu]: %s: no range for uid %lu covers %" PRIu64 "-%" PRIu64,
			                field, i, subid_file, owner, lo, lo + cnt - 1);
		}
	}
	mm.helper = true;
	mm.helper_path = find_in_path(helper);
	if (!mm.helper_path)
		return hull_err(err, -ENOENT,
		                "%s: mapping more than %s %lu needs %s (Debian package uidmap): not found in $PATH",
		                field, kind, self, helper);
	*ret = mm;
	return 0;
}

int userns_helper_run(const char *helper, pid_t pid, const char *map, const char *field, struct hull_error **err)
{
	/* argv: helper pid then every "c h s" triple of the map text. */
	_cleanup_free_ char *text = xstrdup(map);
	char pidstr[32];
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
	size_t n = 2;
	for (const char *c = text; *c; c++)
		if (*c == ' ' || *c == '\n')
			n++;
	_cleanup_free_ char **argv = xcalloc(n + 1, sizeof(char *));
	size_t argc = 0;
	argv[argc++] = (char *)helper;
	argv[argc++] = pidstr;
	char *save = NULL;
	for (char *t = strtok_r(text, " \n", &save); t && argc < n; t = strtok_r(NULL, " \n", &save))
		argv[argc++] = t;
	argv[argc] = NULL;

	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return hull_err_errno(err, -errno, "%s: pipe", field);
	pid_t child = fork();
	if (child < 0) {
		int e = -errno;
		safe_close(pipefd[0]);
		safe_close(pipefd[1]);
		return hull_err_errno(err, e, "%s: fork", field);
	}
	if (child == 0) {
		/* The helper's stdout and stderr come back to us for the error message; every other
		 * fd of the runtime is O_CLOEXEC. */
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(pipefd[1], 1) < 0 || dup2(pipefd[1], 2) < 0)
			_exit(127);
		execv(helper, argv);
		dprintf(2, "exec %s: %s", helper, strerror(errno));
		_exit(127);
	}
	safe_close(pipefd[1]);
	char out[512];
	size_t len = 0;
	for (;;) {
		ssize_t k = read(pipefd[0], out + len, sizeof(out) - 1 - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
		if (len == sizeof(out) - 1) {
			/* Keep draining so the helper never blocks on a full pipe. */
			char sink[256];
			while (read(pipefd[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	safe_close(pipefd[0]);
	out[len] = 0;
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = 0;
	int status;
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return hull_err_errno(err, -errno, "%s: wait for %s", field, helper);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return hull_err(err, -EPERM, "%s: %s failed (exit status %d)%s%s", field, helper, WEXITSTATUS(status),
		                len ? ": " : "", out);
	return hull_err(err, -EPERM, "%s: %s killed by signal %d%s%s", field, helper,
	                WIFSIGNALED(status) ? WTERMSIG(status) : 0, len ? ": " : "", out);
}
