/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mknod-block: make a block device node for the disk that holds the container's root (its st_dev: the host's
 * root disk when the rootfs is a host directory) and open it, which would give raw read/write access to the
 * host file system; also /dev/mem (char 1:1) and /dev/kmsg (char 1:11, the host's kernel log) nodes. Tried in
 * /dev (a tmpfs without nodev) and /tmp. Also opens every block device already present under /dev. Refused: mknod
 * gets EPERM (no CAP_MKNOD); a node that did get made must fail to open (EPERM from the device cgroup, EACCES
 * on a nodev mount, ENXIO when the kernel has no such device).
 */
#include "attack.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static int try_node(const char *path, mode_t type, dev_t dev, char *why, size_t size)
{
	char what[128];
	snprintf(what, sizeof(what), "mknod %s %c %u:%u", path, S_ISBLK(type) ? 'b' : 'c', major(dev), minor(dev));
	int r = mknod(path, type | 0600, dev);
	if (r == 0) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		int e = errno;
		unlink(path);
		if (fd >= 0)
			allowed("%s and open it", what);
		step("%s worked, open: %s", what, errno_name(e));
		errlist_add(why, size, "open", expect_errno("open of the new node", fd, e, EPERM, EACCES, ENXIO));
		return 0;
	}
	errlist_add(why, size, path, expect_errno(what, r, errno, EPERM));
	return 0;
}

int main(void)
{
	char why[512] = "";
	struct stat root;
	if (stat("/", &root) < 0)
		attack_error("stat /: %s", errno_name(errno));
	step("/ is on device %u:%u", major(root.st_dev), minor(root.st_dev));
	try_node("/dev/attack-disk", S_IFBLK, root.st_dev, why, sizeof(why));
	try_node("/tmp/attack-disk", S_IFBLK, root.st_dev, why, sizeof(why));
	try_node("/dev/attack-mem", S_IFCHR, makedev(1, 1), why, sizeof(why));
	try_node("/dev/attack-kmsg", S_IFCHR, makedev(1, 11), why, sizeof(why));

	DIR *d = opendir("/dev");
	if (!d)
		attack_error("opendir /dev: %s", errno_name(errno));
	struct dirent *e;
	int blocks = 0;
	while ((e = readdir(d))) {
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISBLK(st.st_mode))
			continue;
		blocks++;
		int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
		expect_errno("open of an existing block device", fd, errno, EPERM, EACCES);
	}
	closedir(d);
	step("%d block device nodes in /dev", blocks);
	refused("%s", why);
}
