/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keyring: reach kernel keyrings (not namespaced: a shared session keyring leaks the host's or other containers'
 * keys): keyctl(2) to read the session and user keyrings, add_key(2) into the session keyring, request_key(2);
 * and read /proc/keys (masked). Refused: EPERM from seccomp for all three calls, and /proc/keys reads empty.
 */
#include "attack.h"

#include <fcntl.h>
#include <linux/keyctl.h>
#include <sys/syscall.h>

int main(void)
{
	char why[512] = "";
	long r = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	errlist_add(why, sizeof(why), "keyctl(session)",
	            expect_errno("keyctl(GET_KEYRING_ID, session)", r, errno, EPERM));
	r = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "_ses");
	errlist_add(why, sizeof(why), "keyctl(join)", expect_errno("keyctl(JOIN_SESSION_KEYRING)", r, errno, EPERM));
	r = syscall(SYS_add_key, "user", "hull-escape", "x", 1, KEY_SPEC_SESSION_KEYRING);
	errlist_add(why, sizeof(why), "add_key", expect_errno("add_key(user, session)", r, errno, EPERM));
	r = syscall(SYS_request_key, "user", "hull-escape", NULL, 0);
	errlist_add(why, sizeof(why), "request_key", expect_errno("request_key", r, errno, EPERM));
	int fd = open("/proc/keys", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[64];
		ssize_t n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n > 0)
			allowed("/proc/keys is readable and not empty (%zd bytes)", n);
		step("/proc/keys reads empty");
		errlist_add(why, sizeof(why), "/proc/keys", 0);
		strcat(why, " (empty)");
	}
	refused("%s", why);
}
