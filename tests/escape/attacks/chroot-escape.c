/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * chroot-escape: the classic breakout. Keep a directory fd, chroot(2) into a subdirectory, fchdir(2) back
 * through the kept fd (now outside the chroot), climb with chdir("..") and chroot(".") there. Also climbs ".."
 * from / without chroot, to show / is the container's root (pivot_root, not a chroot the same trick leaves).
 * Refused: chroot gets EPERM from seccomp (allowed only with CAP_SYS_CHROOT, not in the hardened set), and ".."
 * of / is / itself.
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/stat.h>

int main(void)
{
	struct stat root, st;
	char why[256] = "";

	if (stat("/", &root) < 0)
		attack_error("stat /: %s", errno_name(errno));
	if (mkdir("/tmp/attack-chroot", 0700) < 0 && errno != EEXIST)
		attack_error("mkdir: %s", errno_name(errno));
	int keep = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (keep < 0)
		attack_error("open /: %s", errno_name(errno));
	int r = chroot("/tmp/attack-chroot");
	if (r == 0) {
		/* chroot worked: try the fchdir breakout before calling it allowed. */
		if (fchdir(keep) == 0) {
			for (int i = 0; i < 64; i++)
				if (chdir("..") < 0)
					break;
			if (chroot(".") == 0 && stat("/", &st) == 0 &&
			    (st.st_dev != root.st_dev || st.st_ino != root.st_ino))
				allowed("chroot + fchdir breakout reached a root outside the container's");
		}
		allowed("chroot(/tmp/attack-chroot) succeeded");
	}
	errlist_add(why, sizeof(why), "chroot", expect_errno("chroot(/tmp/attack-chroot)", r, errno, EPERM));
	if (fchdir(keep) < 0)
		attack_error("fchdir: %s", errno_name(errno));
	for (int i = 0; i < 64; i++) {
		if (chdir("..") < 0)
			attack_error("chdir ..: %s", errno_name(errno));
	}
	if (stat(".", &st) < 0)
		attack_error("stat .: %s", errno_name(errno));
	if (st.st_dev != root.st_dev || st.st_ino != root.st_ino)
		allowed("64 x chdir(\"..\") from / left the container's root");
	step("64 x chdir(\"..\") from / stays at /");
	refused("%s; \"..\" of / is /", why);
}
