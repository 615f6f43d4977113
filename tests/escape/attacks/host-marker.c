/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * host-marker: not an attack. The leaked-fd-execve driver puts a copy of this program on the HOST, outside every
 * container root, and tries to make the container execute it through a leaked file descriptor
 * (/proc/self/fd/N/../../..). If it ever runs inside a container it prints
 *
 *   host-marker ran: exe=<readlink /proc/self/exe> root=<readlink /proc/self/root>
 *
 * which the driver takes as proof that a host binary was executed in the container (CVE-2024-21626, 3a/3b).
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char exe[512] = "?", root[512] = "?";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 1] = 0;
	n = readlink("/proc/self/root", root, sizeof(root) - 1);
	root[n > 0 ? n : 1] = 0;
	printf("host-marker ran: exe=%s root=%s\n", exe, root);
	return 0;
}
