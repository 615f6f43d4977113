/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup-release-agent: the cgroup v1 release_agent escape (and CVE-2022-0492): set notify_on_release=1 on a
 * cgroup and point release_agent at a payload, which the kernel then runs as host root when the cgroup empties.
 * Tries: every release_agent and notify_on_release file under /sys/fs/cgroup opened for writing, mkdir of a new
 * cgroup, mounting a cgroup v1 hierarchy of its own (mount -t cgroup -o rdma / -o none,name=...), and
 * unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP) as in CVE-2022-0492. Only opened, never written.
 * Refused: EROFS (cgroupfs is mounted read-only) and EPERM from seccomp for mount and unshare.
 */
#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

static int files, dirs, last_file_err, last_mkdir_err;

static bool is_cgroupfs(const char *dir)
{
	struct statfs sfs;
	return statfs(dir, &sfs) == 0 &&
	       (sfs.f_type == 0x27e0eb /* cgroup */ || sfs.f_type == 0x63677270 /* cgroup2 */);
}

static void walk(const char *dir, int depth)
{
	char path[512];

	if (depth <= 1 && is_cgroupfs(dir)) {
		/* a new cgroup at the top of each hierarchy */
		snprintf(path, sizeof(path), "%s/hull-attack", dir);
		if (mkdir(path, 0755) == 0) {
			rmdir(path);
			allowed("mkdir %s (a new cgroup) worked", path);
		}
		last_mkdir_err = expect_errno(path, -1, errno, EROFS, EACCES, EPERM);
		dirs++;
	}
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!strcmp(e->d_name, "release_agent") || !strcmp(e->d_name, "notify_on_release")) {
			int fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd >= 0)
				allowed("%s can be opened for writing", path);
			last_file_err = expect_errno(path, fd, errno, EROFS, EACCES, EPERM);
			files++;
			continue;
		}
		struct stat st;
		if (depth < 4 && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			walk(path, depth + 1);
	}
	closedir(d);
}

int main(void)
{
	char why[512] = "";
	walk("/sys/fs/cgroup", 0);
	if (files)
		snprintf(why, sizeof(why), "%d release_agent/notify_on_release files: %s", files,
		         errno_name(last_file_err));
	else
		snprintf(why, sizeof(why), "no release_agent or notify_on_release file visible");
	if (dirs)
		errlist_add(why, sizeof(why), "mkdir of a new cgroup in each hierarchy", last_mkdir_err);

	if (mkdir("/tmp/attack-cg", 0700) < 0 && errno != EEXIST)
		attack_error("mkdir /tmp/attack-cg: %s", errno_name(errno));
	int r = mount("cgroup", "/tmp/attack-cg", "cgroup", 0, "rdma");
	errlist_add(why, sizeof(why), "mount cgroup v1 rdma", expect_errno("mount -t cgroup -o rdma", r, errno, EPERM));
	r = mount("cgroup", "/tmp/attack-cg", "cgroup", 0, "none,name=hullattack");
	errlist_add(why, sizeof(why),
	            "mount cgroup v1 name=", expect_errno("mount -t cgroup -o none,name=hullattack", r, errno, EPERM));
	r = unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP);
	errlist_add(why, sizeof(why), "unshare -UmC (CVE-2022-0492)",
	            expect_errno("unshare(NEWUSER|NEWNS|NEWCGROUP)", r, errno, EPERM));
	refused("%s", why);
}
