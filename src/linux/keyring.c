/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "keyring.h"

#include <errno.h>
#include <linux/keyctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Possessor permission bits (include/linux/key.h, not in the uapi headers). */
#define KEY_POS_VIEW 0x01000000U
#define KEY_POS_READ 0x02000000U
#define KEY_POS_WRITE 0x04000000U
#define KEY_POS_SEARCH 0x08000000U
#define KEY_POS_LINK 0x10000000U
#define KEY_POS_SETATTR 0x20000000U
#define KEY_POS_ALL (KEY_POS_VIEW | KEY_POS_READ | KEY_POS_WRITE | KEY_POS_SEARCH | KEY_POS_LINK | KEY_POS_SETATTR)

int keyring_join_new(const char *name, struct hull_error **err)
{
	/* Replaces only this process's session keyring; the old one stays with the runtime. */
	long serial = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0UL, 0UL, 0UL);
	if (serial < 0) {
		if (errno == ENOSYS)
			return 1;
		return hull_err_errno(err, -errno, "join session keyring %s", name ? name : "(anonymous)");
	}
	/* Narrows access to the keyring we just created; nothing else is touched. */
	if (syscall(SYS_keyctl, KEYCTL_SETPERM, serial, (unsigned long)KEY_POS_ALL, 0UL, 0UL) < 0)
		return hull_err_errno(err, -errno, "set permissions of session keyring %s",
		                      name ? name : "(anonymous)");
	return 0;
}
