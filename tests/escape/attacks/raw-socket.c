/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * raw-socket: raw IP and packet sockets (spoofing, sniffing; the container lacks CAP_NET_RAW):
 * socket(AF_INET, SOCK_RAW, ICMP), socket(AF_INET6, SOCK_RAW, ICMPV6), socket(AF_PACKET, SOCK_RAW).
 * Refused: EPERM from the kernel (seccomp allows these families; the capability check refuses them). An
 * ordinary TCP socket must still work, to show the refusal is not a blanket one.
 */
#include "attack.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <sys/socket.h>

int main(void)
{
	char why[256] = "";
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		attack_error("an ordinary TCP socket failed: %s", errno_name(errno));
	close(fd);
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	errlist_add(why, sizeof(why), "AF_INET raw", expect_errno("socket(AF_INET, SOCK_RAW)", fd, errno, EPERM));
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	errlist_add(why, sizeof(why), "AF_INET6 raw",
	            expect_errno("socket(AF_INET6, SOCK_RAW)", fd, errno, EPERM, EAFNOSUPPORT));
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	errlist_add(why, sizeof(why), "AF_PACKET", expect_errno("socket(AF_PACKET, SOCK_RAW)", fd, errno, EPERM));
	refused("%s", why);
}
