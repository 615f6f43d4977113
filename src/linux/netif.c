/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "netif.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "fd-util.h"

int netif_loopback_up(struct hull_error **err)
{
	/* Any socket of the namespace carries the interface ioctls; a datagram AF_UNIX one needs
	 * no protocol module and exists even when IPv4 is compiled out. */
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return hull_err_errno(err, -errno, "bring up loopback: socket");
	struct ifreq ifr = {0};
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return hull_err_errno(err, -errno, "bring up loopback: read the flags of lo");
	if (ifr.ifr_flags & IFF_UP)
		return 0;
	ifr.ifr_flags |= IFF_UP;
	/* Privileged: CAP_NET_ADMIN over the container's new network namespace. */
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return hull_err_errno(err, -errno, "bring up loopback: set lo up");
	return 0;
}
