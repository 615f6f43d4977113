/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sethostname: rename the machine with sethostname(2) and setdomainname(2). In hull's container the UTS
 * namespace is private, so even a success would not reach the host; the hardened profile still refuses it.
 * Refused: EPERM from seccomp (allowed only with CAP_SYS_ADMIN); the runner checks the host's hostname and
 * domainname are unchanged.
 */
#include "attack.h"

int main(void)
{
	char why[256] = "";
	int r = sethostname("hull-escaped", 12);
	errlist_add(why, sizeof(why), "sethostname", expect_errno("sethostname", r, errno, EPERM));
	r = setdomainname("hull-escaped", 12);
	errlist_add(why, sizeof(why), "setdomainname", expect_errno("setdomainname", r, errno, EPERM));
	refused("%s", why);
}
