/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * personality: personality(READ_IMPLIES_EXEC) (every readable mapping executable: defeats W^X) and
 * ADDR_NO_RANDOMIZE (no ASLR). Refused: EPERM from seccomp (the profile allows only PER_LINUX, PER_LINUX32,
 * UNAME26, their combination and the query 0xffffffff), and the persona is unchanged afterwards.
 */
#include "attack.h"

#include <sys/personality.h>

int main(void)
{
	char why[256] = "";
	int before = personality(0xffffffff);
	if (before < 0)
		attack_error("personality(query): %s", errno_name(errno));
	int r = personality(PER_LINUX | READ_IMPLIES_EXEC);
	errlist_add(why, sizeof(why), "READ_IMPLIES_EXEC",
	            expect_errno("personality(READ_IMPLIES_EXEC)", r, errno, EPERM));
	r = personality(PER_LINUX | ADDR_NO_RANDOMIZE);
	errlist_add(why, sizeof(why), "ADDR_NO_RANDOMIZE",
	            expect_errno("personality(ADDR_NO_RANDOMIZE)", r, errno, EPERM));
	int after = personality(0xffffffff);
	if (after != before)
		allowed("personality changed from 0x%x to 0x%x", before, after);
	refused("%s; persona still 0x%x", why, after);
}
