/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <termios.h>
#include <unistd.h>

#include "alloc.h"
#include "fd-util.h"
#include "mount.h"
#include "root-path.h"
#include "syscalls.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Creates <root>/dev/console as an empty regular file (an existing regular file or character
 * device is reused; a symlink or anything else is removed first, never followed) and returns an
 * O_PATH fd of it. */
static int console_target(int rootfd, struct hull_error **err)
{
	const char *base;
	_cleanup_close_ int devfd = open_parent_in_root(rootfd, "/dev/console", true, &base);
	if (devfd < 0)
		return hull_err_errno(err, devfd, "/dev");
	for (int attempt = 0; attempt < 2; attempt++) {
		struct stat st;
		if (fstatat(devfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISDIR(st.st_mode))
				return hull_err(err, -EISDIR, "/dev/console is a directory");
			if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode) && unlinkat(devfd, base, 0) < 0 &&
			    errno != ENOENT)
				return hull_err_errno(err, -errno, "remove /dev/console");
		} else if (errno != ENOENT)
			return hull_err_errno(err, -errno, "/dev/console");
		/* mknodat never follows a symlink in the last component (O_CREAT|O_NOFOLLOW). */
		if (mknodat(devfd, base, S_IFREG | 0600, 0) < 0 && errno != EEXIST)
			return hull_err_errno(err, -errno, "create /dev/console");
		int fd = openat(devfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return hull_err_errno(err, -errno, "open /dev/console");
		if (fstat(fd, &st) < 0) {
			int r = -errno;
			safe_close(fd);
			return hull_err_errno(err, r, "stat /dev/console");
		}
		if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))
			return fd;
		/* Replaced by something else in between: try once more. */
		safe_close(fd);
	}
	return hull_err(err, -EEXIST, "/dev/console keeps being replaced");
}

int terminal_open_pty(int rootfd, bool bind_console, int *ret_master, int *ret_peer, struct hull_error **err)
{
	_cleanup_close_ int master = open_in_root(rootfd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY, 0);
	if (master < 0)
		return hull_err_errno(err, master, "open the container's /dev/pts/ptmx");
	struct stat st;
	struct statfs sf;
	if (fstat(master, &st) < 0 || fstatfs(master, &sf) < 0)
		return hull_err_errno(err, -errno, "stat /dev/pts/ptmx");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2) || sf.f_type != DEVPTS_SUPER_MAGIC)
		return hull_err(err, -EPERM, "/dev/pts/ptmx in the container is not the ptmx of a devpts (c 5:2)");
	int unlock = 0;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return hull_err_errno(err, -errno, "unlock the pty");
	_cleanup_close_ int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return hull_err_errno(err, -errno, "open the pty peer (TIOCGPTPEER)");

	if (bind_console) {
		_cleanup_close_ int target = console_target(rootfd, err);
		if (target < 0)
			return target;
		/* A clone of the peer's own mount at the peer's own inode: no path to /dev/pts/N
		 * is ever resolved. */
		_cleanup_close_ int tree = sys_open_tree(peer, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
		if (tree < 0)
			return hull_err_errno(err, -errno, "bind the pty onto /dev/console");
		/* Before pivot_root, also check the target is still under the rootfs. */
		_cleanup_free_ char *root = NULL;
		const char *check = NULL;
		if (fd_get_path(rootfd, &root) == 0 && !streq(root, "/"))
			check = root;
		int r = mount_attach(tree, target, check);
		if (r == -EXDEV)
			return hull_err(err, r, "/dev/console resolved outside the rootfs");
		if (r < 0)
			return hull_err_errno(err, r, "bind the pty onto /dev/console");
	}
	*ret_master = TAKE_FD(master);
	*ret_peer = TAKE_FD(peer);
	return 0;
}

int terminal_set_size(int fd, unsigned height, unsigned width)
{
	if (height > USHRT_MAX || width > USHRT_MAX)
		return -EINVAL;
	struct winsize ws = {.ws_row = (unsigned short)height, .ws_col = (unsigned short)width};
	if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
		return -errno;
	return 0;
}

int terminal_make_controlling(int peer, struct hull_error **err)
{
	/* EPERM: already a session leader (then it may keep its session). */
	if (setsid() < 0 && errno != EPERM)
		return hull_err_errno(err, -errno, "setsid");
	if (ioctl(peer, TIOCSCTTY, 0) < 0)
		return hull_err_errno(err, -errno, "make the pty the controlling terminal");
	for (int i = 0; i <= 2; i++) {
		/* dup2 leaves the new fd without FD_CLOEXEC; fd_move_to also handles peer == i. */
		int r = fd_move_to(peer, i, false);
		if (r < 0)
			return hull_err_errno(err, r, "dup the pty onto fd %d", i);
	}
	return 0;
}
