/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kexec: load a new kernel to boot into: kexec_load(2) with no segments and kexec_file_load(2) with
 * KEXEC_FILE_UNLOAD (both harmless even if they ran: they would only unload). Refused: EPERM from seccomp (not
 * in the allow list; the kernel needs CAP_SYS_BOOT in the initial user namespace).
 */
#include "attack.h"

#include <linux/kexec.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	long r = syscall(SYS_kexec_load, 0UL, 0UL, NULL, (unsigned long)KEXEC_ARCH_DEFAULT);
	errlist_add(why, sizeof(why), "kexec_load", expect_errno("kexec_load", r, errno, EPERM));
	r = syscall(SYS_kexec_file_load, -1, -1, 0UL, "", (unsigned long)KEXEC_FILE_UNLOAD);
	errlist_add(why, sizeof(why), "kexec_file_load", expect_errno("kexec_file_load(UNLOAD)", r, errno, EPERM));
	refused("%s", why);
}
