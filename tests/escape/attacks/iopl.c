/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iopl: raw x86 I/O port access with iopl(3) and ioperm(0x80) (direct hardware access on the host). Refused: EPERM
 * from seccomp (allowed only with CAP_SYS_RAWIO). n/a on other architectures.
 */
#include "attack.h"

#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>

int main(void)
{
	char why[256] = "";
	int r = iopl(3);
	errlist_add(why, sizeof(why), "iopl(3)", expect_errno("iopl(3)", r, errno, EPERM));
	r = ioperm(0x80, 1, 1);
	errlist_add(why, sizeof(why), "ioperm(0x80)", expect_errno("ioperm(0x80)", r, errno, EPERM));
	refused("%s", why);
}
#else
int main(void)
{
	not_applicable("iopl/ioperm exist only on x86");
}
#endif
