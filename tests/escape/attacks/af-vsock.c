/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * af-vsock: socket(AF_VSOCK) (host <-> guest sockets: in a VM, a path to the hypervisor's agents). Refused: EPERM
 * from seccomp (the profile's socket rule skips family 40), not EAFNOSUPPORT from the kernel.
 */
#include "attack.h"

#include <sys/socket.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

int main(void)
{
	int e;
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	e = expect_errno("socket(AF_VSOCK, SOCK_STREAM)", fd, errno, EPERM);
	fd = socket(AF_VSOCK, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	e = expect_errno("socket(AF_VSOCK, SOCK_DGRAM)", fd, errno, EPERM);
	refused("socket(AF_VSOCK): %s", errno_name(e));
}
