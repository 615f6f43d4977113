/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * af-alg: socket(AF_ALG) (the kernel crypto API, the copy.fail class of bugs), for every socket type. Refused:
 * EPERM from seccomp (the profile's socket rule skips family 38), not EAFNOSUPPORT from the kernel.
 */
#include "attack.h"

#include <sys/socket.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif

int main(void)
{
	int e = 0;
	int fd = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	e = expect_errno("socket(AF_ALG, SOCK_SEQPACKET)", fd, errno, EPERM);
	fd = socket(AF_ALG, SOCK_STREAM | SOCK_CLOEXEC, 0);
	e = expect_errno("socket(AF_ALG, SOCK_STREAM)", fd, errno, EPERM);
	refused("socket(AF_ALG): %s", errno_name(e));
}
