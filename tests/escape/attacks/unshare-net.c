/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unshare-net: create a network namespace (the first step to new interfaces) with unshare(2), clone(2) and
 * clone3(2).
 * Refused: EPERM from seccomp (namespace flags are allowed only with CAP_SYS_ADMIN); clone3 gets ENOSYS so that
 * libc falls back to clone, whose flags the filter can see.
 */
#define ATTACK_WANT_NS
#include "attack.h"

int main(void)
{
	attack_new_namespace(CLONE_NEWNET, "CLONE_NEWNET");
}
