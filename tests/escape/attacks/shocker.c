/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shocker: the 2014 Docker breakout. The container's root directory lives on a host file system, so a file
 * handle naming that file system's root inode (2 on ext2/3/4), passed to open_by_handle_at(2) with the
 * container's / as the mount fd, would open the HOST's root directory. Uses the handle type the kernel reports
 * for / (name_to_handle_at), with the inode set to 2 and the generation to 0, as shocker.c did, and also the
 * unmodified handle of / itself. Refused: EPERM from seccomp (open_by_handle_at is allowed only with
 * CAP_DAC_READ_SEARCH, which the kernel checks too).
 */
#include "attack.h"

#include <fcntl.h>
#include <stdint.h>

int main(void)
{
	char why[256] = "";
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h;
	int mount_id;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0) {
		step("name_to_handle_at(/): %s; using an ext4 handle (FILEID_INO32_GEN)", errno_name(errno));
		h.fh.handle_type = 1;
		h.fh.handle_bytes = 8;
	} else {
		step("handle of /: type %d, %u bytes", h.fh.handle_type, h.fh.handle_bytes);
	}
	int rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		attack_error("open /: %s", errno_name(errno));

	int fd = open_by_handle_at(rootfd, &h.fh, O_RDONLY | O_CLOEXEC);
	errlist_add(why, sizeof(why), "own handle of /",
	            expect_errno("open_by_handle_at(handle of /)", fd, errno, EPERM));

	if (h.fh.handle_bytes >= 8) {
		uint32_t ino = 2, gen = 0;
		memcpy(h.fh.f_handle, &ino, 4);
		memcpy(h.fh.f_handle + 4, &gen, 4);
	}
	fd = open_by_handle_at(rootfd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	errlist_add(why, sizeof(why), "inode 2 (host root)",
	            expect_errno("open_by_handle_at(inode 2)", fd, errno, EPERM));
	refused("open_by_handle_at: %s", why);
}
