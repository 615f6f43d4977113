/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hull-cgtest: a static, libc-only helper that the cgroup integration tests run INSIDE containers to
 * load the resources a cgroup limits and to report what the process is allowed to do.
 *
 *   hull-cgtest alloc MB              allocate and touch MB MiB in 1 MiB steps, printing "allocated N" for
 *                                     every 8 MiB; then "done" and exit 0 (an OOM kill ends it with SIGKILL)
 *   hull-cgtest spin SECONDS          burn CPU for SECONDS of wall-clock time, then exit 0
 *   hull-cgtest count FILE            increment a counter every 10 ms and write it to FILE (through
 *                                     FILE.tmp and rename); runs until killed
 *   hull-cgtest forkbomb              every process forks as fast as it can, forever; the first prints
 *                                     "started" once; a failed fork waits 10 ms and tries again
 *   hull-cgtest open PATH r|w|rw      open(2) PATH and print "ok" or the errno name; exit 0 either way
 *   hull-cgtest mknod PATH b|c MAJ MIN
 *                                     mknod(2) PATH (mode 0600) and print "ok" or the errno name
 *   hull-cgtest cpus                  the CPUs of sched_getaffinity as a list "0-1,3"
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static const char *errno_name(int e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case EACCES:
		return "EACCES";
	case ENOENT:
		return "ENOENT";
	case ENXIO:
		return "ENXIO";
	case ENODEV:
		return "ENODEV";
	case EEXIST:
		return "EEXIST";
	case EROFS:
		return "EROFS";
	case EAGAIN:
		return "EAGAIN";
	case EINVAL:
		return "EINVAL";
	default:
		return "OTHER";
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int do_alloc(long mb)
{
	for (long i = 1; i <= mb; i++) {
		char *p = malloc(1 << 20);
		if (!p) {
			printf("malloc failed at %ld\n", i);
			return 1;
		}
		memset(p, (int)(i & 0xff) | 1, 1 << 20);
		if (i % 8 == 0) {
			printf("allocated %ld\n", i);
			fflush(stdout);
		}
	}
	printf("done\n");
	return 0;
}

static int do_spin(double secs)
{
	volatile unsigned long x = 0;
	double end = now() + secs;
	while (now() < end)
		for (int i = 0; i < 100000; i++)
			x++;
	return 0;
}

__attribute__((noreturn)) static void do_count(const char *file)
{
	unsigned long n = 0;
	struct timespec ts = {0, 10 * 1000 * 1000};
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	for (;;) {
		char buf[32];
		int len = snprintf(buf, sizeof(buf), "%lu\n", ++n);
		/* a new file renamed over the old one: a reader never sees it empty */
		int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			if (write(fd, buf, (size_t)len) < 0)
				perror("write");
			close(fd);
			if (rename(tmp, file) < 0)
				perror("rename");
		}
		nanosleep(&ts, NULL);
	}
}

__attribute__((noreturn)) static void do_forkbomb(void)
{
	struct timespec ts = {0, 10 * 1000 * 1000};
	printf("started\n");
	fflush(stdout);
	for (;;) {
		pid_t p = fork();
		if (p < 0)
			nanosleep(&ts, NULL);
	}
}

static int do_open(const char *path, const char *mode)
{
	int flags = strcmp(mode, "rw") == 0 ? O_RDWR : strcmp(mode, "w") == 0 ? O_WRONLY : O_RDONLY;
	int fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		printf("%s\n", errno_name(errno));
		return 0;
	}
	close(fd);
	printf("ok\n");
	return 0;
}

static int do_mknod(const char *path, const char *type, const char *maj, const char *min)
{
	mode_t m = (strcmp(type, "b") == 0 ? S_IFBLK : S_IFCHR) | 0600;
	if (mknod(path, m, makedev(strtoul(maj, NULL, 10), strtoul(min, NULL, 10))) < 0) {
		printf("%s\n", errno_name(errno));
		return 0;
	}
	printf("ok\n");
	return 0;
}

static int do_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0) {
		perror("sched_getaffinity");
		return 1;
	}
	int first = 1;
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		int j = i;
		while (j + 1 < CPU_SETSIZE && CPU_ISSET(j + 1, &set))
			j++;
		printf(first ? "%d" : ",%d", i);
		if (j > i)
			printf("-%d", j);
		first = 0;
		i = j;
	}
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *cmd = argc > 1 ? argv[1] : "";
	if (strcmp(cmd, "alloc") == 0 && argc == 3)
		return do_alloc(strtol(argv[2], NULL, 10));
	if (strcmp(cmd, "spin") == 0 && argc == 3)
		return do_spin(strtod(argv[2], NULL));
	if (strcmp(cmd, "count") == 0 && argc == 3)
		do_count(argv[2]);
	if (strcmp(cmd, "forkbomb") == 0 && argc == 2)
		do_forkbomb();
	if (strcmp(cmd, "open") == 0 && argc == 4)
		return do_open(argv[2], argv[3]);
	if (strcmp(cmd, "mknod") == 0 && argc == 6)
		return do_mknod(argv[2], argv[3], argv[4], argv[5]);
	if (strcmp(cmd, "cpus") == 0 && argc == 2)
		return do_cpus();
	fprintf(stderr, "usage: hull-cgtest alloc MB | spin S | count FILE | forkbomb | open PATH r|w|rw | "
	                "mknod PATH b|c MAJ MIN | cpus\n");
	return 2;
}
