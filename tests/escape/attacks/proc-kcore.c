/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * proc-kcore: read /proc/kcore (the host's physical memory as an ELF core). Refused: it is masked (bind of
 * /dev/null: reads return 0 bytes), or open fails with EPERM/EACCES (the kernel wants CAP_SYS_RAWIO). n/a when
 * the kernel has no /proc/kcore (CONFIG_PROC_KCORE off): then there is nothing to protect.
 */
#include "attack.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

int main(void)
{
	struct stat st;
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			not_applicable("/proc/kcore does not exist on this kernel (CONFIG_PROC_KCORE off)");
		int e = expect_errno("open /proc/kcore", fd, errno, EPERM, EACCES);
		refused("open /proc/kcore: %s", errno_name(e));
	}
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n > 0)
		allowed("read %zd bytes of /proc/kcore", n);
	if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode))
		step("/proc/kcore is char %u:%u", major(st.st_rdev), minor(st.st_rdev));
	if (n == 0)
		refused("/proc/kcore reads 0 bytes (masked)");
	int e = expect_errno("read /proc/kcore", n, errno, EPERM, EACCES, EIO);
	refused("read /proc/kcore: %s", errno_name(e));
}
