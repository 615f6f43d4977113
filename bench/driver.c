// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * driver: runs the hull / crun / runc benchmarks side by side and writes raw results as JSON.
 *
 * Every runtime invocation is the same fork + (setns) + execve + wait4 done here, timed with CLOCK_MONOTONIC
 * around it, with stdin and stdout on /dev/null and stderr appended to a per-runtime log: no shell, no
 * wrapper, identical overhead for every runtime. Runtimes are interleaved operation by operation (run i of
 * every runtime, then run i+1 of every runtime, ...), in a new random order (fixed seed) for every i, so that
 * no runtime always follows the same one and pays for its asynchronous clean-up (network namespaces, cgroups,
 * RCU callbacks). Benchmarks with few operations (parallel, seccomp, memory) interleave per benchmark, again in
 * a new random order each time. Round 0 is a warm-up and is not recorded.
 *
 * crun 1.8.1 refuses to run while any controller is bound to the cgroup2 mount of a hybrid host. A runtime
 * given with ",hidecg2" is executed inside a private mount namespace, prepared once at start-up, in which
 * /sys/fs/cgroup/unified is unmounted (MNT_DETACH). Every runtime child, hidden namespace or not, does the
 * same setns(CLONE_NEWNS) before execve, so the cost of the switch is the same for everyone.
 *
 * The driver is a child subreaper: the container process left by `create` is re-parented to it, so the
 * "wait" step of the split lifecycle is a plain wait4() and reports the container process's rusage too.
 *
 * Usage: see usage() below. bench/run.sh prepares the bundles and calls this; bench/report.sh formats.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

#define MAX_RT 10
#define MAX_PAR 16
#define MAX_ARGS 32
#define OP_TIMEOUT_S 60

/* ---------------------------------------------------------------- utilities */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("driver: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static char *read_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, len = 0;
	char *buf;

	if (fd < 0)
		return NULL;
	buf = xcalloc(1, cap + 1);
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die("out of memory");
		}
	}
	buf[len] = 0;
	close(fd);
	return buf;
}

static int write_file(const char *path, const char *data)
{
	char tmp[4096];
	int fd;
	size_t len = strlen(data);

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return rename(tmp, path) < 0 ? -errno : 0;
}

/* "Key:   1234 kB" from /proc/PID/{status,smaps_rollup}; -1 when absent. */
static long proc_kb(pid_t pid, const char *file, const char *key)
{
	char path[64], *buf, *p;
	size_t klen = strlen(key);
	long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	buf = read_file(path);
	if (!buf)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
			v = strtol(p + klen + 1, NULL, 10);
			break;
		}
	}
	free(buf);
	return v;
}

static void proc_comm(pid_t pid, char *out, size_t sz)
{
	char path[64], *buf;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	buf = read_file(path);
	snprintf(out, sz, "%s", buf ? buf : "?");
	free(buf);
	out[strcspn(out, "\n")] = 0;
}

/* Children of PID (all threads), into out[]; returns the count. */
static int proc_children(pid_t pid, pid_t *out, int max)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char cpath[128], *buf, *p, *end;
		if (de->d_name[0] == '.')
			continue;
		snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/children", (int)pid, de->d_name);
		buf = read_file(cpath);
		if (!buf)
			continue;
		for (p = buf; *p && n < max; p = end) {
			long v = strtol(p, &end, 10);
			if (end == p)
				break;
			out[n++] = (pid_t)v;
		}
		free(buf);
	}
	closedir(d);
	return n;
}

/* ---------------------------------------------------------------- statistics and results */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct series {
	double *v;
	size_t n, cap;
};

static void series_add(struct series *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = realloc(s->v, s->cap * sizeof(double));
		if (!s->v)
			die("out of memory");
	}
	s->v[s->n++] = v;
}

static double series_median(const struct series *s)
{
	double *c, m;

	if (!s->n)
		return 0;
	c = xcalloc(s->n, sizeof(double));
	memcpy(c, s->v, s->n * sizeof(double));
	qsort(c, s->n, sizeof(double), cmp_double);
	m = s->n % 2 ? c[s->n / 2] : (c[s->n / 2 - 1] + c[s->n / 2]) / 2;
	free(c);
	return m;
}

static double series_min(const struct series *s)
{
	double m = s->n ? s->v[0] : 0;

	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] < m)
			m = s->v[i];
	return m;
}

static double series_max(const struct series *s)
{
	double m = s->n ? s->v[0] : 0;

	for (size_t i = 1; i < s->n; i++)
		if (s->v[i] > m)
			m = s->v[i];
	return m;
}

/*
 * A metric: one number per runtime per round (or per operation, see "per"), summarised as median/min/max.
 * `samples` are what the median is taken over.
 */
struct metric {
	char *bench, *name, *unit, *per, *note;
	struct series s[MAX_RT];
	struct metric *next;
};

static struct metric *metrics, **metrics_tail = &metrics;

static struct metric *metric_get(const char *bench, const char *name, const char *unit, const char *per)
{
	struct metric *m;

	for (m = metrics; m; m = m->next)
		if (strcmp(m->bench, bench) == 0 && strcmp(m->name, name) == 0)
			return m;
	m = xcalloc(1, sizeof(*m));
	m->bench = xstrdup(bench);
	m->name = xstrdup(name);
	m->unit = xstrdup(unit);
	m->per = xstrdup(per);
	*metrics_tail = m;
	metrics_tail = &m->next;
	return m;
}

static void metric_add(const char *bench, const char *name, const char *unit, const char *per, int rt, double v)
{
	series_add(&metric_get(bench, name, unit, per)->s[rt], v);
}

static void metric_note(const char *bench, const char *name, const char *text)
{
	struct metric *m;

	for (m = metrics; m; m = m->next)
		if (strcmp(m->bench, bench) == 0 && strcmp(m->name, name) == 0) {
			free(m->note);
			m->note = xstrdup(text);
		}
}

/* Free-form extra facts (strings) per runtime, e.g. BPF details. */
struct fact {
	int rt;
	char *key, *json; /* json: an already-encoded JSON value */
	struct fact *next;
};
static struct fact *facts, **facts_tail = &facts;

static void fact_add(int rt, const char *key, const char *fmt, ...)
{
	struct fact *f = xcalloc(1, sizeof(*f));
	va_list ap;
	char buf[8192];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	f->rt = rt;
	f->key = xstrdup(key);
	f->json = xstrdup(buf);
	*facts_tail = f;
	facts_tail = &f->next;
}

/* ---------------------------------------------------------------- runtimes and options */

struct runtime {
	char *name;
	char *path;
	char *root; /* --root */
	bool floor; /* the floor program: "PATH ROOTFS PROG", run only */
	bool hidecg2;
	char *bundle; /* "true" unless bundle=NAME was given (experiments: config variants) */
	char *garg; /* one extra global argument before the command (experiments), or NULL */
	int nsfd;
	int logfd;
};

static struct runtime rts[MAX_RT];
static int n_rt;

static struct {
	const char *work; /* bundles live in WORK/bundles/<name> */
	const char *rootfs; /* shared rootfs, for the floor program */
	const char *out; /* JSON output */
	const char *only; /* comma-separated benchmark names, or NULL for all */
	int rounds, warmup;
	int seq_n, split_n, mount_n, sc_create_n, sc_iters;
	int par[MAX_PAR], n_par;
	int rss_rounds, mem_rounds;
	long mem_hi_kb, mem_res_kb;
} opt = {
    .rounds = 5,
    .warmup = 1,
    .seq_n = 100,
    .split_n = 30,
    .mount_n = 20,
    .sc_create_n = 10,
    .sc_iters = 200000,
    .rss_rounds = 3,
    .mem_rounds = 3,
    .mem_hi_kb = 262144,
    .mem_res_kb = 16,
};

static struct series round_load; /* 1-minute load average at the start of each recorded round */
static struct series round_foreign; /* CPUs busy with work that is not ours, averaged over each round */
static struct series round_steal; /* CPUs stolen by the hypervisor, averaged over each round */

/* Machine-wide busy and steal CPU seconds (/proc/stat) and our own (self + reaped descendants). */
static void cpu_snapshot(double *busy, double *steal, double *ours)
{
	char *st = read_file("/proc/stat");
	unsigned long long v[10] = {0};
	double hz = (double)sysconf(_SC_CLK_TCK);
	struct rusage self, kids;

	if (st)
		sscanf(st, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		       &v[6], &v[7]);
	free(st);
	/* user nice system idle iowait irq softirq steal */
	*busy = (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / hz;
	*steal = (double)v[7] / hz;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	*ours =
	    (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
	    (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) /
	        1e6;
}
static int devnull = -1;
static double calib_true_ms; /* fork + setns + execve("/bin/true") + wait4, the driver's own cost per op */
static double calib_nosetns_ms; /* the same without the setns */
static char *meta_json;
static volatile sig_atomic_t interrupted;

static bool want(const char *bench)
{
	const char *p;
	size_t l = strlen(bench);

	if (!opt.only)
		return true;
	for (p = opt.only; (p = strstr(p, bench)); p += l)
		if ((p == opt.only || p[-1] == ',') && (p[l] == 0 || p[l] == ','))
			return true;
	return false;
}

static void bundle_path(char *out, size_t sz, const char *bundle)
{
	snprintf(out, sz, "%s/bundles/%s", opt.work, bundle);
}

/*
 * The hidden-cgroup2 mount namespace for crun: a child unshares its mount namespace, makes it private and
 * detaches /sys/fs/cgroup/unified (or covers it with a tiny read-only tmpfs), then we keep an fd to its
 * namespace. Host mounts are not changed.
 */
static int make_hidden_ns(void)
{
	int p2c[2], c2p[2], fd;
	char path[64], c;
	pid_t pid;

	if (pipe2(p2c, O_CLOEXEC) < 0 || pipe2(c2p, O_CLOEXEC) < 0)
		die("pipe: %m");
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (pid == 0) {
		char ok = '1';
		close(p2c[1]);
		close(c2p[0]);
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			ok = '0';
		else if (umount2("/sys/fs/cgroup/unified", MNT_DETACH) < 0 &&
		         mount("hide-cg2", "/sys/fs/cgroup/unified", "tmpfs", MS_RDONLY, "size=4k") < 0)
			ok = '0';
		(void)!write(c2p[1], &ok, 1);
		(void)!read(p2c[0], &c, 1);
		_exit(0);
	}
	close(c2p[1]);
	close(p2c[0]);
	if (read(c2p[0], &c, 1) != 1 || c != '1')
		die("cannot prepare the mount namespace hiding /sys/fs/cgroup/unified");
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %m", path);
	close(p2c[1]);
	waitpid(pid, NULL, 0);
	close(c2p[0]);
	return fd;
}

/* ---------------------------------------------------------------- running one runtime command */

struct op {
	uint64_t ns;
	int status; /* wait status */
	bool timed_out;
	struct rusage ru;
	pid_t pid;
};

static bool op_ok(const struct op *o)
{
	return !o->timed_out && WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0;
}

static char *env_clean[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL};

/* In the child after fork: namespace, stdio, then execve. Never returns. */
static void child_exec(const struct runtime *rt, char *const argv[], int out_fd, int barrier_fd, int ready_fd)
{
	if (rt->nsfd >= 0) {
		if (setns(rt->nsfd, CLONE_NEWNS) < 0)
			_exit(120);
		if (chdir("/") < 0)
			_exit(121);
	}
	if (barrier_fd >= 0) {
		char c = 'r';
		if (ready_fd >= 0)
			(void)!write(ready_fd, &c, 1);
		while (read(barrier_fd, &c, 1) < 0 && errno == EINTR)
			;
	}
	dup2(devnull, 0);
	dup2(out_fd >= 0 ? out_fd : devnull, 1);
	dup2(rt->logfd, 2);
	signal(SIGPIPE, SIG_DFL);
	execve(argv[0], argv, env_clean);
	_exit(127);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* wait4 for PID with a timeout; kills the process group on timeout. */
static void wait_op(pid_t pid, struct op *o, int timeout_s)
{
	struct itimerval it = {{0, 0}, {timeout_s, 0}};

	setitimer(ITIMER_REAL, &it, NULL);
	for (;;) {
		pid_t r = wait4(pid, &o->status, 0, &o->ru);
		if (r == pid)
			break;
		if (r < 0 && errno == EINTR) {
			if (interrupted)
				die("interrupted");
			struct itimerval left;
			getitimer(ITIMER_REAL, &left);
			if (left.it_value.tv_sec == 0 && left.it_value.tv_usec == 0) {
				o->timed_out = true;
				kill(pid, SIGKILL);
			}
			continue;
		}
		if (r < 0)
			die("wait4: %m");
	}
	o->ns = now_ns() - o->ns;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

static int build_argv(const struct runtime *rt, char **argv, const char *cmd, va_list ap)
{
	int n = 0;
	const char *a;

	argv[n++] = rt->path;
	if (!rt->floor) {
		argv[n++] = "--root";
		argv[n++] = rt->root;
		if (rt->garg)
			argv[n++] = rt->garg;
		argv[n++] = (char *)cmd;
	}
	while ((a = va_arg(ap, const char *)) && n < MAX_ARGS - 1)
		argv[n++] = (char *)a;
	argv[n] = NULL;
	return n;
}

/* Run "RT --root R CMD ARGS... (NULL-terminated)" and wait. out_fd: where stdout goes (-1: /dev/null). */
static void run_rt(const struct runtime *rt, struct op *o, int out_fd, const char *cmd, ...)
{
	char *argv[MAX_ARGS];
	va_list ap;
	pid_t pid;

	va_start(ap, cmd);
	build_argv(rt, argv, cmd, ap);
	va_end(ap);
	memset(o, 0, sizeof(*o));
	o->ns = now_ns();
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (pid == 0)
		child_exec(rt, argv, out_fd, -1, -1);
	o->pid = pid;
	wait_op(pid, o, OP_TIMEOUT_S);
}

/* Start "RT ... CMD ARGS" without waiting; returns the pid. */
static pid_t spawn_rt(const struct runtime *rt, const char *cmd, ...)
{
	char *argv[MAX_ARGS];
	va_list ap;
	pid_t pid;

	va_start(ap, cmd);
	build_argv(rt, argv, cmd, ap);
	va_end(ap);
	pid = fork();
	if (pid < 0)
		die("fork: %m");
	if (pid == 0)
		child_exec(rt, argv, -1, -1, -1);
	return pid;
}

static void force_delete(const struct runtime *rt, const char *id)
{
	struct op o;

	if (rt->floor)
		return;
	run_rt(rt, &o, -1, "delete", "--force", id, NULL);
}

/* Reap orphans (container processes re-parented to us) that nobody waits for. */
static void reap_strays(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Wait for a process that may or may not be our child (re-parented to us as subreaper). */
static void wait_any(pid_t pid, struct op *o)
{
	memset(o, 0, sizeof(*o));
	o->ns = now_ns();
	if (wait4(pid, &o->status, 0, &o->ru) == pid) {
		o->ns = now_ns() - o->ns;
		return;
	}
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd >= 0) {
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		poll(&p, 1, OP_TIMEOUT_S * 1000);
		close(pfd);
	}
	o->ns = now_ns() - o->ns;
	o->status = 0;
}

static pid_t read_pidfile(const char *path)
{
	char *s = read_file(path);
	pid_t p = s ? (pid_t)strtol(s, NULL, 10) : -1;

	free(s);
	return p;
}

static double ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* User + system CPU time of an operation (the process and the children it reaped), in ms. */
static double cpu_ms(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e3 +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e3;
}

/* xorshift64*, fixed seed: the orders are "random" but the same in every run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* A fresh random order of the runtimes (Fisher-Yates) in perm[]; returns n_rt. A new order for every cycle means
 * no runtime always follows the same one, so none always pays for another's asynchronous clean-up (network
 * namespaces, cgroups, RCU callbacks) — a fixed or rotated cyclic order keeps the same neighbours. */
static int shuffled(int *perm)
{
	for (int i = 0; i < n_rt; i++)
		perm[i] = i;
	for (int i = n_rt - 1; i > 0; i--) {
		int j = (int)(rng() % (uint32_t)(i + 1)), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	return n_rt;
}

static int n_real_rt(void)
{
	int n = 0;

	for (int i = 0; i < n_rt; i++)
		n += !rts[i].floor;
	return n;
}

/* Loop over the runtimes in a fresh random order; FLOOR_OK: include the floor pseudo-runtime. */
#define FOR_RT(var, floor_ok) \
	for (int _perm[MAX_RT], _n = shuffled(_perm), _i = 0, var; _i < _n && ((var = _perm[_i]), 1); _i++) \
		if (!rts[var].floor || (floor_ok))

/* ---------------------------------------------------------------- 1. sequential lifecycle */

/* Operation i of every runtime, in a new random order for each i (A B C, C A B, ...). */
static void bench_seq_run(int round, bool rec)
{
	char b[4096], id[128];
	struct series per[MAX_RT] = {0}, cpu[MAX_RT] = {0};
	int fails[MAX_RT] = {0};
	long maxrss[MAX_RT] = {0};

	for (int i = 0; i < opt.seq_n; i++) {
		FOR_RT(r, true)
		{
			struct runtime *rt = &rts[r];
			struct op o;
			bundle_path(b, sizeof(b), rt->floor ? "true" : rt->bundle);
			snprintf(id, sizeof(id), "hb-seq-%s-%d-%d", rt->name, round, i);
			if (rt->floor)
				run_rt(rt, &o, -1, NULL, opt.rootfs, "/bin/true", NULL);
			else
				run_rt(rt, &o, -1, "run", "--bundle", b, id, NULL);
			if (!op_ok(&o)) {
				fails[r]++;
				force_delete(rt, id);
			}
			series_add(&per[r], ms(o.ns));
			series_add(&cpu[r], cpu_ms(&o.ru));
			if (o.ru.ru_maxrss > maxrss[r])
				maxrss[r] = o.ru.ru_maxrss;
		}
	}
	for (int r = 0; r < n_rt; r++) {
		double total = 0;
		for (size_t i = 0; i < per[r].n; i++)
			total += per[r].v[i];
		if (rec && per[r].n) {
			metric_add("seq", "run_total", "ms", "round", r, total);
			metric_add("seq", "run_per_op_median", "ms", "round", r, series_median(&per[r]));
			metric_add("seq", "run_cpu_per_op_median", "ms", "round", r, series_median(&cpu[r]));
			metric_add("seq", "run_failures", "count", "round", r, fails[r]);
			metric_add("rss", "run_maxrss", "KiB", "round", r, (double)maxrss[r]);
			for (size_t i = 0; i < per[r].n; i++)
				metric_add("seq", "run_per_op", "ms", "op", r, per[r].v[i]);
		}
		free(per[r].v), free(cpu[r].v);
	}
}

/* Lifecycle i of every runtime, in a new random order for each i. */
static void bench_split(int round, bool rec)
{
	char b[4096], id[128], pidf[4096];
	struct series c[MAX_RT] = {0}, s[MAX_RT] = {0}, w[MAX_RT] = {0}, d[MAX_RT] = {0}, tot[MAX_RT] = {0};
	struct series pss[MAX_RT] = {0}, rss[MAX_RT] = {0}, hwm[MAX_RT] = {0}, cmaxrss[MAX_RT] = {0};
	struct series crss[MAX_RT] = {0}, ccpu[MAX_RT] = {0};
	int fails[MAX_RT] = {0}, others[MAX_RT] = {0};

	for (int i = 0; i < opt.split_n; i++) {
		FOR_RT(r, false)
		{
			struct runtime *rt = &rts[r];
			struct op oc, os, ow, od;
			pid_t cpid;
			bundle_path(b, sizeof(b), rt->bundle);
			snprintf(id, sizeof(id), "hb-split-%s-%d-%d", rt->name, round, i);
			snprintf(pidf, sizeof(pidf), "%s/pid/%s", opt.work, id);
			run_rt(rt, &oc, -1, "create", "--bundle", b, "--pid-file", pidf, id, NULL);
			if (!op_ok(&oc) || (cpid = read_pidfile(pidf)) <= 0) {
				fails[r]++;
				force_delete(rt, id);
				continue;
			}
			unlink(pidf);
			/* The parked container process: the only process a created container keeps. */
			series_add(&pss[r], (double)proc_kb(cpid, "smaps_rollup", "Pss"));
			series_add(&rss[r], (double)proc_kb(cpid, "smaps_rollup", "Rss"));
			series_add(&hwm[r], (double)proc_kb(cpid, "status", "VmHWM"));
			series_add(&crss[r], (double)oc.ru.ru_maxrss);
			{
				pid_t ch[64];
				int n = proc_children(getpid(), ch, 64);
				for (int k = 0; k < n; k++)
					if (ch[k] != cpid)
						others[r]++;
			}
			run_rt(rt, &os, -1, "start", id, NULL);
			uint64_t after_start = now_ns();
			wait_any(cpid, &ow);
			ow.ns = now_ns() - after_start;
			run_rt(rt, &od, -1, "delete", id, NULL);
			if (!op_ok(&os) || !op_ok(&od)) {
				fails[r]++;
				force_delete(rt, id);
			}
			series_add(&c[r], ms(oc.ns));
			series_add(&s[r], ms(os.ns));
			series_add(&w[r], ms(ow.ns));
			series_add(&d[r], ms(od.ns));
			series_add(&tot[r], ms(oc.ns + os.ns + ow.ns + od.ns));
			series_add(&ccpu[r], cpu_ms(&oc.ru) + cpu_ms(&os.ru) + cpu_ms(&ow.ru) + cpu_ms(&od.ru));
			series_add(&cmaxrss[r], (double)ow.ru.ru_maxrss);
		}
	}
	reap_strays();
	for (int r = 0; r < n_rt; r++) {
		if (rec && !rts[r].floor) {
			metric_add("split", "create", "ms", "round", r, series_median(&c[r]));
			metric_add("split", "start", "ms", "round", r, series_median(&s[r]));
			metric_add("split", "wait", "ms", "round", r, series_median(&w[r]));
			metric_add("split", "delete", "ms", "round", r, series_median(&d[r]));
			metric_add("split", "total", "ms", "round", r, series_median(&tot[r]));
			metric_add("split", "total_cpu", "ms", "round", r, series_median(&ccpu[r]));
			metric_add("split", "failures", "count", "round", r, fails[r]);
			metric_add("rss", "create_maxrss", "KiB", "round", r, series_max(&crss[r]));
			metric_add("rss", "parked_pss", "KiB", "round", r, series_median(&pss[r]));
			metric_add("rss", "parked_rss", "KiB", "round", r, series_median(&rss[r]));
			metric_add("rss", "parked_hwm", "KiB", "round", r, series_median(&hwm[r]));
			metric_add("rss", "container_maxrss", "KiB", "round", r, series_median(&cmaxrss[r]));
			metric_add("rss", "other_procs_after_create", "count", "round", r, others[r]);
		}
		free(c[r].v), free(s[r].v), free(w[r].v), free(d[r].v), free(tot[r].v);
		free(pss[r].v), free(rss[r].v), free(hwm[r].v), free(cmaxrss[r].v), free(crss[r].v), free(ccpu[r].v);
	}
}

/* ---------------------------------------------------------------- 2. parallel */

/* Active net_namespace objects (/proc/slabinfo; needs root), -1 if unknown. */
static long netns_objects(void)
{
	char *buf = read_file("/proc/slabinfo"), *p;
	long v = -1;

	p = buf ? strstr(buf, "\nnet_namespace ") : NULL;
	if (p)
		v = strtol(p + strlen("\nnet_namespace "), NULL, 10);
	free(buf);
	return v;
}

/* Wait (at most 5 s) for the asynchronous kernel work a batch leaves behind: starting 200 containers leaves
 * up to seconds of network namespace clean-up (one kworker), and without this the next batch, whichever runtime
 * it belongs to, would pay for it. Done when the number of live network namespace objects has not changed for
 * 300 ms (the machine's total busy time cannot tell this work from other people's steady load). Returns the
 * ms waited. */
static double settle(void)
{
	uint64_t t0 = now_ns();
	long prev = netns_objects();

	for (int i = 0, same = 0; i < 50 && same < 3 && prev >= 0; i++) {
		long cur;
		sleep_ms(100);
		cur = netns_objects();
		same = cur == prev ? same + 1 : 0;
		prev = cur;
	}
	return ms(now_ns() - t0);
}

static void bench_parallel(int round, bool rec)
{
	char b[4096];

	for (int pi = 0; pi < opt.n_par; pi++) {
		int n = opt.par[pi];
		FOR_RT(r, true)
		{
			struct runtime *rt = &rts[r];
			bundle_path(b, sizeof(b), rt->floor ? "true" : rt->bundle);
			pid_t *pids = xcalloc((size_t)n, sizeof(pid_t));
			char **ids = xcalloc((size_t)n, sizeof(char *));
			double *lat = xcalloc((size_t)n, sizeof(double));
			int bar[2], ready[2], fails = 0, left = n;
			struct itimerval it = {{0, 0}, {OP_TIMEOUT_S * 3, 0}};
			struct series ls = {0};
			long maxrss = 0;

			if (n >= 10) {
				double waited = settle();
				if (rec)
					metric_add("parallel", "settle_wait", "ms", "batch", r, waited);
			}
			if (pipe2(bar, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
				die("pipe: %m");
			for (int i = 0; i < n; i++) {
				char id[128], *argv[MAX_ARGS];
				snprintf(id, sizeof(id), "hb-par%d-%s-%d-%d", n, rt->name, round, i);
				ids[i] = xstrdup(id);
				if (rt->floor) {
					argv[0] = rt->path, argv[1] = (char *)opt.rootfs, argv[2] = "/bin/true";
					argv[3] = NULL;
				} else {
					int k = 0;
					argv[k++] = rt->path, argv[k++] = "--root", argv[k++] = rt->root;
					if (rt->garg)
						argv[k++] = rt->garg;
					argv[k++] = "run", argv[k++] = "--bundle", argv[k++] = b, argv[k++] = ids[i];
					argv[k] = NULL;
				}
				pids[i] = fork();
				if (pids[i] < 0)
					die("fork: %m");
				if (pids[i] == 0) {
					close(bar[1]);
					close(ready[0]);
					child_exec(rt, argv, -1, bar[0], ready[1]);
				}
			}
			close(bar[0]);
			close(ready[1]);
			/* Every child is at the barrier when it has written its byte. Release at once: an idle pause
			 * here would measure the machine's wake-up from idle instead (about +15 ms for one `hull run`
			 * on this VM), not the runtime. */
			for (int got = 0; got < n;) {
				char buf[256];
				ssize_t k = read(ready[0], buf,
				                 sizeof(buf) < (size_t)(n - got) ? sizeof(buf) : (size_t)(n - got));
				if (k < 0 && errno == EINTR)
					continue;
				if (k <= 0)
					break;
				got += (int)k;
			}
			close(ready[0]);
			uint64_t t0 = now_ns();
			close(bar[1]); /* go */
			setitimer(ITIMER_REAL, &it, NULL);
			while (left > 0) {
				int st;
				struct rusage ru;
				pid_t p = wait4(-1, &st, 0, &ru);
				if (p < 0 && errno == EINTR) {
					if (interrupted)
						die("interrupted");
					for (int i = 0; i < n; i++)
						if (pids[i] > 0)
							kill(pids[i], SIGKILL);
					continue;
				}
				if (p < 0)
					die("wait4: %m");
				for (int i = 0; i < n; i++) {
					if (pids[i] != p)
						continue;
					lat[i] = ms(now_ns() - t0);
					series_add(&ls, lat[i]);
					if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
						fails++, lat[i] = -lat[i];
					if (ru.ru_maxrss > maxrss)
						maxrss = ru.ru_maxrss;
					pids[i] = 0;
					left--;
					break;
				}
			}
			uint64_t wall = now_ns() - t0;
			memset(&it, 0, sizeof(it));
			setitimer(ITIMER_REAL, &it, NULL);
			for (int i = 0; i < n; i++)
				if (lat[i] < 0)
					force_delete(rt, ids[i]);
			reap_strays();
			if (rec) {
				char name[64];
				snprintf(name, sizeof(name), "n%d_wall", n);
				metric_add("parallel", name, "ms", "round", r, ms(wall));
				snprintf(name, sizeof(name), "n%d_failures", n);
				metric_add("parallel", name, "count", "round", r, fails);
				snprintf(name, sizeof(name), "n%d_latency_median", n);
				metric_add("parallel", name, "ms", "round", r, series_median(&ls));
				snprintf(name, sizeof(name), "n%d_wall_per_container", n);
				metric_add("parallel", name, "ms", "round", r, ms(wall) / n);
			}
			for (int i = 0; i < n; i++)
				free(ids[i]);
			free(ids), free(pids), free(lat), free(ls.v);
		}
	}
}

/* ---------------------------------------------------------------- 3. RSS while a container runs */

/* Pss/Rss of PID and its descendants, skipping processes whose comm is SKIP (the container's own program). */
static void tree_mem(pid_t pid, const char *skip, long *pss, long *rss, int *nproc, char *names, size_t nsz)
{
	char comm[64];
	pid_t ch[256];
	int n;

	proc_comm(pid, comm, sizeof(comm));
	if (strcmp(comm, skip) != 0) {
		long p = proc_kb(pid, "smaps_rollup", "Pss"), r = proc_kb(pid, "smaps_rollup", "Rss");
		if (p >= 0) {
			*pss += p;
			*rss += r;
			(*nproc)++;
			size_t l = strlen(names);
			snprintf(names + l, nsz - l, "%s%s:%ldKiB", l ? " " : "", comm, p);
		}
	}
	n = proc_children(pid, ch, 256);
	for (int i = 0; i < n; i++)
		tree_mem(ch[i], skip, pss, rss, nproc, names, nsz);
}

static void bench_rss_running(int round, bool rec)
{
	char b[4096], id[128];

	bundle_path(b, sizeof(b), "sleep");
	FOR_RT(r, false)
	{
		struct runtime *rt = &rts[r];
		struct op o;
		long pss = 0, rss = 0;
		int nproc = 0;
		char names[1024] = "";

		snprintf(id, sizeof(id), "hb-rss-%s-%d", rt->name, round);
		memset(&o, 0, sizeof(o));
		o.ns = now_ns();
		pid_t pid = spawn_rt(rt, "run", "--bundle", b, id, NULL);
		sleep_ms(400); /* the container sleeps 1 s */
		tree_mem(pid, "sleep", &pss, &rss, &nproc, names, sizeof(names));
		wait_op(pid, &o, OP_TIMEOUT_S);
		if (!op_ok(&o))
			force_delete(rt, id);
		if (rec) {
			metric_add("rss", "run_waiting_pss", "KiB", "round", r, (double)pss);
			metric_add("rss", "run_waiting_rss", "KiB", "round", r, (double)rss);
			metric_add("rss", "run_waiting_procs", "count", "round", r, nproc);
			if (round == opt.warmup)
				fact_add(r, "run_waiting_processes", "\"%s\"", names);
		}
	}
}

/* ---------------------------------------------------------------- 4. smallest memory limit */

static bool mem_try(struct runtime *rt, long kb, int round, int step)
{
	char b[4096], tmpl_path[4096], cfg_path[4096], id[128], num[32], *tmpl, *cfg, *p;
	struct op o;

	bundle_path(b, sizeof(b), "mem");
	snprintf(tmpl_path, sizeof(tmpl_path), "%s/config.tmpl", b);
	snprintf(cfg_path, sizeof(cfg_path), "%s/config.json", b);
	tmpl = read_file(tmpl_path);
	if (!tmpl || !(p = strstr(tmpl, "\"@MEMLIMIT@\"")))
		die("%s: no \"@MEMLIMIT@\" placeholder", tmpl_path);
	snprintf(num, sizeof(num), "%ld", kb * 1024);
	cfg = xcalloc(1, strlen(tmpl) + 32);
	memcpy(cfg, tmpl, (size_t)(p - tmpl));
	strcat(cfg, num);
	strcat(cfg, p + strlen("\"@MEMLIMIT@\""));
	if (write_file(cfg_path, cfg) < 0)
		die("write %s: %m", cfg_path);
	free(tmpl), free(cfg);
	snprintf(id, sizeof(id), "hb-mem-%s-%d-%d", rt->name, round, step);
	run_rt(rt, &o, -1, "run", "--bundle", b, id, NULL);
	force_delete(rt, id);
	reap_strays();
	return op_ok(&o);
}

static void bench_memlimit(int round, bool rec)
{
	FOR_RT(r, false)
	{
		struct runtime *rt = &rts[r];
		long lo = 0, hi = opt.mem_hi_kb; /* lo fails (assumed), hi works (checked) */
		int step = 0;

		if (!mem_try(rt, hi, round, step++)) {
			note("%s: /bin/true does not start even with a %ld KiB memory limit", rt->name, hi);
			if (rec)
				metric_add("memlimit", "min_limit", "KiB", "round", r, -1);
			continue;
		}
		while (hi - lo > opt.mem_res_kb) {
			long mid = (lo + hi) / 2;
			mid -= mid % 4; /* pages */
			if (mid <= lo)
				break;
			if (mem_try(rt, mid, round, step++))
				hi = mid;
			else
				lo = mid;
		}
		if (rec)
			metric_add("memlimit", "min_limit", "KiB", "round", r, (double)hi);
	}
}

/* ---------------------------------------------------------------- 5. seccomp */

static double json_num(const char *s, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof(k), "\"%s\":", key);
	p = s ? strstr(s, k) : NULL;
	return p ? strtod(p + strlen(k), NULL) : -1;
}

static void bench_seccomp_calls(int round, bool rec)
{
	static const char *const classes[] = {"getppid", "personality", "socket", "denied"};

	FOR_RT(r, false)
	{
		struct runtime *rt = &rts[r];
		double with[4] = {1e30, 1e30, 1e30, 1e30}, without[4] = {1e30, 1e30, 1e30, 1e30};

		/* with, without, with, without: the fastest of each pair of containers. */
		for (int v = 0; v < 4; v++) {
			char b[4096], id[128], outp[4096], *out;
			struct op o;
			int fd;
			bool plain = v % 2;
			bundle_path(b, sizeof(b), plain ? "nosc" : "sc");
			snprintf(id, sizeof(id), "hb-sc%d-%s-%d", v, rt->name, round);
			snprintf(outp, sizeof(outp), "%s/out-%s", opt.work, id);
			fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (fd < 0)
				die("open %s: %m", outp);
			run_rt(rt, &o, fd, "run", "--bundle", b, id, NULL);
			close(fd);
			out = read_file(outp);
			unlink(outp);
			if (!op_ok(&o)) {
				force_delete(rt, id);
				note("%s: seccomp benchmark container failed", rt->name);
			}
			for (int k = 0; k < 4; k++) {
				double x = json_num(out, classes[k]);
				double *slot = &(plain ? without : with)[k];
				if (x >= 0 && x < *slot)
					*slot = x;
			}
			if (json_num(out, "seccomp") != (plain ? 0 : 2))
				note("%s: seccomp mode in the container is %g, expected %d", rt->name,
				     json_num(out, "seccomp"), plain ? 0 : 2);
			free(out);
		}
		if (!rec)
			continue;
		for (int k = 0; k < 4; k++) {
			char name[64];
			snprintf(name, sizeof(name), "%s_ns", classes[k]);
			metric_add("seccomp", name, "ns/call", "round", r, with[k]);
			snprintf(name, sizeof(name), "%s_overhead_ns", classes[k]);
			metric_add("seccomp", name, "ns/call", "round", r, with[k] - without[k]);
			snprintf(name, sizeof(name), "%s_noseccomp_ns", classes[k]);
			metric_add("seccomp", name, "ns/call", "round", r, without[k]);
		}
	}
}

static void rm_rf_cache(const struct runtime *rt)
{
	char path[4096];
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/seccomp-cache", rt->root);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static double create_median(struct runtime *rt, const char *bundle, const char *tag, int round, bool clear_cache)
{
	char b[4096], id[128];
	struct series s = {0};
	double m;

	bundle_path(b, sizeof(b), bundle);
	for (int i = 0; i < opt.sc_create_n; i++) {
		struct op o, od;
		snprintf(id, sizeof(id), "hb-scc-%s-%s-%d-%d", tag, rt->name, round, i);
		if (clear_cache)
			rm_rf_cache(rt);
		run_rt(rt, &o, -1, "create", "--bundle", b, id, NULL);
		run_rt(rt, &od, -1, "delete", "--force", id, NULL);
		if (op_ok(&o))
			series_add(&s, ms(o.ns));
	}
	reap_strays();
	m = series_median(&s);
	free(s.v);
	return m;
}

static void bench_seccomp_create(int round, bool rec)
{
	FOR_RT(r, false)
	{
		struct runtime *rt = &rts[r];
		bool is_hull = strcmp(rt->name, "hull") == 0;
		double none = create_median(rt, "true", "none", round, false);
		double miss = is_hull ? create_median(rt, "sccreate", "miss", round, true) : -1;
		double with = create_median(rt, "sccreate", "with", round, false); /* hull: cache hit */

		if (!rec)
			continue;
		metric_add("seccomp", "create_without_ms", "ms", "round", r, none);
		metric_add("seccomp", "create_with_ms", "ms", "round", r, with);
		metric_add("seccomp", "create_cost_ms", "ms", "round", r, with - none);
		if (is_hull) {
			metric_add("seccomp", "create_cache_miss_ms", "ms", "round", r, miss);
			metric_add("seccomp", "compile_ms", "ms", "round", r, miss - with);
		}
	}
}

/*
 * The kernel (5.11+) skips running a filter for a syscall number whose result it has proved to be ALLOW for
 * every argument value: it emulates the program with only seccomp_data.nr and .arch known. This is the same
 * emulation as seccomp_is_const_allow() in kernel/seccomp.c (written from the kernel's documented rule: loads
 * of nr/arch, constant jumps, AND with a constant, RET with a constant; anything else makes the call
 * "not cacheable").
 */
static bool const_allow(const struct sock_filter *f, unsigned len, uint32_t arch, uint32_t nr)
{
	uint32_t a = 0;

	for (unsigned pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &f[pc];
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (in->k == offsetof(struct seccomp_data, nr))
				a = nr;
			else if (in->k == offsetof(struct seccomp_data, arch))
				a = arch;
			else
				return false;
			break;
		case BPF_RET | BPF_K:
			return in->k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K: {
			bool t;
			switch (BPF_OP(in->code)) {
			case BPF_JEQ:
				t = a == in->k;
				break;
			case BPF_JGE:
				t = a >= in->k;
				break;
			case BPF_JGT:
				t = a > in->k;
				break;
			default:
				t = (a & in->k) != 0;
				break;
			}
			pc += t ? in->jt : in->jf;
			break;
		}
		case BPF_ALU | BPF_AND | BPF_K:
			a &= in->k;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* The 32-bit word at offset K of struct seccomp_data for (arch, nr, args); 0 for the other fields. */
static uint32_t sd_word(uint32_t k, uint32_t arch, uint32_t nr, const uint64_t args[6])
{
	if (k == offsetof(struct seccomp_data, nr))
		return nr;
	if (k == offsetof(struct seccomp_data, arch))
		return arch;
	if (k >= offsetof(struct seccomp_data, args) && k < offsetof(struct seccomp_data, args) + 48) {
		uint32_t off = k - (uint32_t)offsetof(struct seccomp_data, args);
		uint64_t v = args[off / 8];
		return off % 8 ? (uint32_t)(v >> 32) : (uint32_t)v; /* little endian */
	}
	return 0;
}

/* Instructions executed for (arch, nr, args) until a RET, and the action in *ret; -1 if the path leaves the
 * emulated subset. */
static int path_len(const struct sock_filter *f, unsigned len, uint32_t arch, uint32_t nr, const uint64_t args[6],
                    uint32_t *ret)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};
	int steps = 0;

	for (unsigned pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &f[pc];
		steps++;
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			a = sd_word(in->k, arch, nr, args);
			break;
		case BPF_LD | BPF_IMM:
			a = in->k;
			break;
		case BPF_LDX | BPF_IMM:
			x = in->k;
			break;
		case BPF_LD | BPF_MEM:
			a = mem[in->k % BPF_MEMWORDS];
			break;
		case BPF_LDX | BPF_MEM:
			x = mem[in->k % BPF_MEMWORDS];
			break;
		case BPF_ST:
			mem[in->k % BPF_MEMWORDS] = a;
			break;
		case BPF_STX:
			mem[in->k % BPF_MEMWORDS] = x;
			break;
		case BPF_MISC | BPF_TAX:
			x = a;
			break;
		case BPF_MISC | BPF_TXA:
			a = x;
			break;
		case BPF_RET | BPF_K:
			*ret = in->k;
			return steps;
		case BPF_RET | BPF_A:
			*ret = a;
			return steps;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= in->k;
			break;
		case BPF_ALU | BPF_OR | BPF_K:
			a |= in->k;
			break;
		default:
			if (BPF_CLASS(in->code) == BPF_JMP) {
				uint32_t k = BPF_SRC(in->code) == BPF_X ? x : in->k;
				bool t;
				switch (BPF_OP(in->code)) {
				case BPF_JEQ:
					t = a == k;
					break;
				case BPF_JGE:
					t = a >= k;
					break;
				case BPF_JGT:
					t = a > k;
					break;
				case BPF_JSET:
					t = (a & k) != 0;
					break;
				default:
					return -1;
				}
				pc += t ? in->jt : in->jf;
				break;
			}
			return -1;
		}
	}
	return -1;
}

/* Read the filters of a running container process with ptrace and describe them. */
static void bpf_inspect(int r, pid_t pid)
{
	struct sock_filter *f = NULL;
	int st, nfilt = 0;
	long total = 0;
	char lens[256] = "";
	int cacheable = 0, getppid_cached = -1;
	/* The calls of seccomp-bench, as the filter sees them. */
	static const struct {
		const char *name;
		uint32_t nr;
		uint64_t args[6];
	} calls[] = {
	    {"getppid", SYS_getppid, {0}},
	    {"personality", SYS_personality, {0xffffffffULL}},
	    {"socket", SYS_socket, {1, 0x7fff, 0}},
	    {"denied", SYS_acct, {0}},
	};
	int plen[4] = {-1, -1, -1, -1};
	uint32_t pret[4] = {0};

	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		fact_add(r, "bpf_error", "\"ptrace seize: %s\"", strerror(errno));
		return;
	}
	ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	waitpid(pid, &st, __WALL);
	/* Index 0 is the most recently installed filter. */
	for (long idx = 0;; idx++) {
		long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)idx, NULL);
		if (n <= 0)
			break;
		f = realloc(f, (size_t)n * sizeof(*f));
		if (!f)
			die("out of memory");
		if (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)idx, f) != n)
			break;
		nfilt++;
		total += n;
		size_t l = strlen(lens);
		snprintf(lens + l, sizeof(lens) - l, "%s%ld", l ? "," : "", n);
		if (idx == 0) {
			for (uint32_t nr = 0; nr < 512; nr++)
				cacheable += const_allow(f, (unsigned)n, AUDIT_ARCH_X86_64, nr);
			getppid_cached = const_allow(f, (unsigned)n, AUDIT_ARCH_X86_64, SYS_getppid);
			/* 0 when the kernel's action cache answers without running the filter. */
			for (int k = 0; k < 4; k++)
				plen[k] = const_allow(f, (unsigned)n, AUDIT_ARCH_X86_64, calls[k].nr)
				              ? 0
				              : path_len(f, (unsigned)n, AUDIT_ARCH_X86_64, calls[k].nr, calls[k].args,
				                         &pret[k]);
		}
	}
	if (errno == EINVAL && nfilt == 0)
		fact_add(r, "bpf_error", "\"PTRACE_SECCOMP_GET_FILTER: %s\"", strerror(errno));
	ptrace(PTRACE_DETACH, pid, 0, 0);
	free(f);
	fact_add(r, "bpf_filters", "%d", nfilt);
	fact_add(r, "bpf_instructions", "%ld", total);
	fact_add(r, "bpf_filter_lengths", "\"%s\"", lens);
	fact_add(r, "bpf_x86_64_cacheable_syscalls", "%d", cacheable);
	fact_add(r, "bpf_getppid_cacheable", "%s", getppid_cached > 0 ? "true" : "false");
	for (int k = 0; k < 4; k++) {
		char key[64], name[64];
		snprintf(key, sizeof(key), "bpf_%s_path_insns", calls[k].name);
		fact_add(r, key, "%d", plen[k]);
		snprintf(key, sizeof(key), "bpf_%s_action", calls[k].name);
		fact_add(r, key, "\"%#x\"", pret[k]);
		snprintf(name, sizeof(name), "bpf_%s_path_insns", calls[k].name);
		metric_add("seccomp", name, "insns", "once", r, plen[k]);
	}
	metric_add("seccomp", "bpf_instructions", "insns", "once", r, (double)total);
	metric_add("seccomp", "bpf_cacheable_syscalls", "count", "once", r, cacheable);
}

static void bench_bpf(void)
{
	char b[4096], pidf[4096], id[128];

	bundle_path(b, sizeof(b), "scpause");
	FOR_RT(r, false)
	{
		struct runtime *rt = &rts[r];
		struct op o;
		pid_t pid;

		snprintf(id, sizeof(id), "hb-bpf-%s", rt->name);
		snprintf(pidf, sizeof(pidf), "%s/pid/%s", opt.work, id);
		run_rt(rt, &o, -1, "create", "--bundle", b, "--pid-file", pidf, id, NULL);
		pid = read_pidfile(pidf);
		if (!op_ok(&o) || pid <= 0) {
			fact_add(r, "bpf_error", "\"create failed\"");
			force_delete(rt, id);
			continue;
		}
		run_rt(rt, &o, -1, "start", id, NULL);
		/* Wait until the program runs under its filter. */
		for (int i = 0; i < 200; i++) {
			char comm[64];
			proc_comm(pid, comm, sizeof(comm));
			if (strcmp(comm, "seccomp-bench") == 0 && proc_kb(pid, "status", "Seccomp") == 2)
				break;
			sleep_ms(10);
		}
		bpf_inspect(r, pid);
		if (strcmp(rt->name, "hull") == 0) {
			/* hull's cache: header + instructions. */
			char dir[4096];
			DIR *d;
			struct dirent *de;
			snprintf(dir, sizeof(dir), "%s/seccomp-cache", rt->root);
			if ((d = opendir(dir))) {
				while ((de = readdir(d))) {
					struct stat stt;
					if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &stt, 0) < 0)
						continue;
					fact_add(r, "bpf_cache_file_bytes", "%lld", (long long)stt.st_size);
				}
				closedir(d);
			}
		}
		force_delete(rt, id);
		unlink(pidf);
		reap_strays();
	}
}

/* ---------------------------------------------------------------- 6. many mounts and env vars */

/* For each i and each runtime (random order): one run of the base config and one of the mounts config. */
static void bench_mounts(int round, bool rec)
{
	struct series base[MAX_RT] = {0}, many[MAX_RT] = {0};
	int fails[MAX_RT] = {0};

	for (int i = 0; i < opt.mount_n; i++) {
		FOR_RT(r, false)
		{
			struct runtime *rt = &rts[r];
			for (int k = 0; k < 2; k++) {
				int v = (i + k) % 2; /* alternate which config goes first */
				char b[4096], id[128];
				struct op o;
				bundle_path(b, sizeof(b), v ? "mounts" : "true");
				snprintf(id, sizeof(id), "hb-mnt%d-%s-%d-%d", v, rt->name, round, i);
				run_rt(rt, &o, -1, "run", "--bundle", b, id, NULL);
				if (!op_ok(&o)) {
					fails[r] += v;
					force_delete(rt, id);
				}
				series_add(v ? &many[r] : &base[r], ms(o.ns));
			}
		}
	}
	for (int r = 0; r < n_rt; r++) {
		if (rec && !rts[r].floor) {
			double m0 = series_median(&base[r]), m1 = series_median(&many[r]);
			metric_add("mounts", "failures", "count", "round", r, fails[r]);
			metric_add("mounts", "run_base_ms", "ms", "round", r, m0);
			metric_add("mounts", "run_100mounts_50env_ms", "ms", "round", r, m1);
			metric_add("mounts", "extra_ms", "ms", "round", r, m1 - m0);
		}
		free(base[r].v), free(many[r].v);
	}
}

/* ---------------------------------------------------------------- JSON output */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_num_out(FILE *f, double v)
{
	if (v != v)
		fputs("null", f);
	else
		fprintf(f, "%.4f", v);
}

static void write_json(void)
{
	char tmp[4096];
	FILE *f;
	bool first_m = true;

	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.out);
	f = fopen(tmp, "we");
	if (!f)
		die("open %s: %m", tmp);
	fprintf(f, "{\n\"meta\": %s,\n", meta_json ? meta_json : "{}");
	fprintf(f,
	        "\"settings\": {\"rounds\": %d, \"warmup\": %d, \"seq_n\": %d, \"split_n\": %d, "
	        "\"mount_n\": %d, \"seccomp_create_n\": %d, \"seccomp_iterations\": %d, \"rss_rounds\": %d, "
	        "\"mem_rounds\": %d, \"mem_resolution_kib\": %ld, \"parallel\": [",
	        opt.rounds, opt.warmup, opt.seq_n, opt.split_n, opt.mount_n, opt.sc_create_n, opt.sc_iters,
	        opt.rss_rounds, opt.mem_rounds, opt.mem_res_kb);
	for (int i = 0; i < opt.n_par; i++)
		fprintf(f, "%s%d", i ? ", " : "", opt.par[i]);
	fprintf(f, "]},\n\"runtimes\": [");
	for (int i = 0; i < n_rt; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		json_str(f, rts[i].name);
		fprintf(f, ", \"path\": ");
		json_str(f, rts[i].path);
		fprintf(f, ", \"floor\": %s, \"hidden_cgroup2\": %s}", rts[i].floor ? "true" : "false",
		        rts[i].hidecg2 ? "true" : "false");
	}
	fprintf(f, "],\n\"calibration\": {\"fork_setns_exec_wait_true_ms\": %.4f, \"fork_exec_wait_true_ms\": %.4f},\n",
	        calib_true_ms, calib_nosetns_ms);
	fprintf(f, "\"loadavg_per_round\": [");
	for (size_t i = 0; i < round_load.n; i++)
		fprintf(f, "%s%.2f", i ? ", " : "", round_load.v[i]);
	fprintf(f, "],\n\"foreign_cpus_per_round\": [");
	for (size_t i = 0; i < round_foreign.n; i++)
		fprintf(f, "%s%.2f", i ? ", " : "", round_foreign.v[i]);
	fprintf(f, "],\n\"steal_cpus_per_round\": [");
	for (size_t i = 0; i < round_steal.n; i++)
		fprintf(f, "%s%.2f", i ? ", " : "", round_steal.v[i]);
	fprintf(f, "],\n");
	fprintf(f, "\"metrics\": [\n");
	for (struct metric *m = metrics; m; m = m->next) {
		fprintf(f, "%s  {\"bench\": ", first_m ? "" : ",\n");
		first_m = false;
		json_str(f, m->bench);
		fprintf(f, ", \"name\": ");
		json_str(f, m->name);
		fprintf(f, ", \"unit\": ");
		json_str(f, m->unit);
		fprintf(f, ", \"per\": ");
		json_str(f, m->per);
		if (m->note) {
			fprintf(f, ", \"note\": ");
			json_str(f, m->note);
		}
		fprintf(f, ", \"by_runtime\": {");
		bool first_r = true;
		for (int r = 0; r < n_rt; r++) {
			const struct series *s = &m->s[r];
			if (!s->n)
				continue;
			fprintf(f, "%s", first_r ? "" : ", ");
			first_r = false;
			json_str(f, rts[r].name);
			fprintf(f, ": {\"n\": %zu, \"median\": ", s->n);
			json_num_out(f, series_median(s));
			fprintf(f, ", \"min\": ");
			json_num_out(f, series_min(s));
			fprintf(f, ", \"max\": ");
			json_num_out(f, series_max(s));
			fprintf(f, ", \"samples\": [");
			for (size_t i = 0; i < s->n; i++) {
				fprintf(f, "%s", i ? "," : "");
				json_num_out(f, s->v[i]);
			}
			fprintf(f, "]}");
		}
		fprintf(f, "}}");
	}
	fprintf(f, "\n],\n\"facts\": {");
	for (int r = 0; r < n_rt; r++) {
		bool first = true;
		fprintf(f, "%s", r ? ", " : "");
		json_str(f, rts[r].name);
		fprintf(f, ": {");
		for (struct fact *x = facts; x; x = x->next) {
			if (x->rt != r)
				continue;
			fprintf(f, "%s", first ? "" : ", ");
			first = false;
			json_str(f, x->key);
			fprintf(f, ": %s", x->json);
		}
		fprintf(f, "}");
	}
	fprintf(f, "}\n}\n");
	if (fclose(f) != 0 || rename(tmp, opt.out) < 0)
		die("write %s: %m", opt.out);
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
	fputs("usage: driver --work DIR --rootfs DIR --out FILE --rt NAME=PATH[,hidecg2][,bundle=B][,garg=ARG] ...\n"
	      "              [--floor PATH]\n"
	      "              [--rounds N] [--warmup N] [--seq N] [--split N] [--parallel N,N,...] [--mounts N]\n"
	      "              [--seccomp-create N] [--seccomp-iters N] [--rss-rounds N] [--mem-rounds N]\n"
	      "              [--mem-res KIB] [--meta JSONFILE] [--only BENCH,...]\n"
	      "benchmarks: seq split parallel rss memlimit seccomp bpf mounts\n",
	      stderr);
	exit(2);
}

static void on_int(int sig)
{
	(void)sig;
	interrupted = 1;
}

int main(int argc, char **argv)
{
	enum {
		O_WORK = 256,
		O_ROOTFS,
		O_OUT,
		O_RT,
		O_FLOOR,
		O_ROUNDS,
		O_WARMUP,
		O_SEQ,
		O_SPLIT,
		O_PAR,
		O_MOUNTS,
		O_SCC,
		O_SCI,
		O_RSSR,
		O_MEMR,
		O_MEMRES,
		O_META,
		O_ONLY
	};
	static const struct option lo[] = {
	    {"work", 1, 0, O_WORK},
	    {"rootfs", 1, 0, O_ROOTFS},
	    {"out", 1, 0, O_OUT},
	    {"rt", 1, 0, O_RT},
	    {"floor", 1, 0, O_FLOOR},
	    {"rounds", 1, 0, O_ROUNDS},
	    {"warmup", 1, 0, O_WARMUP},
	    {"seq", 1, 0, O_SEQ},
	    {"split", 1, 0, O_SPLIT},
	    {"parallel", 1, 0, O_PAR},
	    {"mounts", 1, 0, O_MOUNTS},
	    {"seccomp-create", 1, 0, O_SCC},
	    {"seccomp-iters", 1, 0, O_SCI},
	    {"rss-rounds", 1, 0, O_RSSR},
	    {"mem-rounds", 1, 0, O_MEMR},
	    {"mem-res", 1, 0, O_MEMRES},
	    {"meta", 1, 0, O_META},
	    {"only", 1, 0, O_ONLY},
	    {0, 0, 0, 0},
	};
	int c, host_ns;
	char path[4096];

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case O_WORK:
			opt.work = optarg;
			break;
		case O_ROOTFS:
			opt.rootfs = optarg;
			break;
		case O_OUT:
			opt.out = optarg;
			break;
		case O_RT:
		case O_FLOOR: {
			char *s = xstrdup(optarg), *eq, *comma;
			struct runtime *rt;
			if (n_rt == MAX_RT)
				die("too many runtimes");
			rt = &rts[n_rt++];
			if (c == O_FLOOR) {
				rt->name = "floor";
				rt->path = s;
				rt->floor = true;
				break;
			}
			eq = strchr(s, '=');
			if (!eq)
				usage();
			*eq = 0;
			rt->name = s;
			rt->path = eq + 1;
			rt->bundle = "true";
			/* Options after the path, comma-separated: hidecg2, bundle=NAME, garg=ARG. */
			comma = strchr(rt->path, ',');
			if (comma) {
				char *tok, *save = NULL;
				*comma = 0;
				for (tok = strtok_r(comma + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
					if (strcmp(tok, "hidecg2") == 0)
						rt->hidecg2 = true;
					else if (strncmp(tok, "bundle=", 7) == 0)
						rt->bundle = tok + 7;
					else if (strncmp(tok, "garg=", 5) == 0)
						rt->garg = tok + 5;
					else
						usage();
				}
			}
			break;
		}
		case O_ROUNDS:
			opt.rounds = atoi(optarg);
			break;
		case O_WARMUP:
			opt.warmup = atoi(optarg);
			break;
		case O_SEQ:
			opt.seq_n = atoi(optarg);
			break;
		case O_SPLIT:
			opt.split_n = atoi(optarg);
			break;
		case O_PAR: {
			char *s = xstrdup(optarg), *tok, *save = NULL;
			for (tok = strtok_r(s, ",", &save); tok && opt.n_par < MAX_PAR;
			     tok = strtok_r(NULL, ",", &save))
				opt.par[opt.n_par++] = atoi(tok);
			break;
		}
		case O_MOUNTS:
			opt.mount_n = atoi(optarg);
			break;
		case O_SCC:
			opt.sc_create_n = atoi(optarg);
			break;
		case O_SCI:
			opt.sc_iters = atoi(optarg);
			break;
		case O_RSSR:
			opt.rss_rounds = atoi(optarg);
			break;
		case O_MEMR:
			opt.mem_rounds = atoi(optarg);
			break;
		case O_MEMRES:
			opt.mem_res_kb = atol(optarg);
			break;
		case O_META:
			meta_json = read_file(optarg);
			if (!meta_json)
				die("read %s: %m", optarg);
			break;
		case O_ONLY:
			opt.only = optarg;
			break;
		default:
			usage();
		}
	}
	if (!opt.work || !opt.rootfs || !opt.out || n_rt == 0 || opt.rounds < 1)
		usage();
	if (!opt.n_par)
		opt.par[opt.n_par++] = 50, opt.par[opt.n_par++] = 200;

	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	host_ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (devnull < 0 || host_ns < 0)
		die("open: %m");
	{
		struct sigaction sa = {0};
		sa.sa_handler = on_alarm; /* no SA_RESTART: wait4 returns EINTR */
		sigaction(SIGALRM, &sa, NULL);
		sa.sa_handler = on_int;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die("PR_SET_CHILD_SUBREAPER: %m");
	snprintf(path, sizeof(path), "%s/pid", opt.work);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/logs", opt.work);
	mkdir(path, 0755);
	int hidden_ns = -1;
	for (int i = 0; i < n_rt; i++) {
		struct runtime *rt = &rts[i];
		if (rt->hidecg2 && hidden_ns < 0)
			hidden_ns = make_hidden_ns();
		rt->nsfd = rt->hidecg2 ? hidden_ns : host_ns;
		snprintf(path, sizeof(path), "%s/state/%s", opt.work, rt->name);
		rt->root = xstrdup(path);
		snprintf(path, sizeof(path), "%s/logs/%s.log", opt.work, rt->name);
		rt->logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (rt->logfd < 0)
			die("open %s: %m", path);
	}

	/* The cost every runtime child pays for setns(CLONE_NEWNS), measured on /bin/true. */
	{
		struct runtime t = {
		    .name = "true", .path = "/bin/true", .floor = true, .nsfd = host_ns, .logfd = devnull};
		struct op o;
		struct series with = {0}, without = {0};
		for (int i = 0; i < 50; i++) {
			t.nsfd = host_ns;
			run_rt(&t, &o, -1, NULL, NULL);
			series_add(&with, ms(o.ns));
			t.nsfd = -1;
			run_rt(&t, &o, -1, NULL, NULL);
			series_add(&without, ms(o.ns));
		}
		calib_true_ms = series_median(&with);
		calib_nosetns_ms = series_median(&without);
		free(with.v), free(without.v);
	}

	int total_rounds = opt.warmup + opt.rounds;
	for (int round = 0; round < total_rounds; round++) {
		bool rec = round >= opt.warmup;
		int rr = round - opt.warmup; /* recorded round index */
		settle(); /* the previous round's asynchronous clean-up */
		double busy0, steal0, ours0;
		uint64_t t_round = now_ns();
		cpu_snapshot(&busy0, &steal0, &ours0);
		{
			char *la = read_file("/proc/loadavg");
			double l1 = la ? strtod(la, NULL) : -1;
			free(la);
			note("round %d/%d%s, load average %.2f", round + 1, total_rounds, rec ? "" : " (warm-up)", l1);
			if (rec)
				series_add(&round_load, l1);
		}
		if (want("seq"))
			bench_seq_run(round, rec);
		if (want("split"))
			bench_split(round, rec);
		if (want("parallel"))
			bench_parallel(round, rec);
		if (want("rss") && (!rec || rr < opt.rss_rounds))
			bench_rss_running(round, rec);
		if (want("memlimit") && rec && rr < opt.mem_rounds)
			bench_memlimit(round, rec);
		if (want("seccomp")) {
			bench_seccomp_calls(round, rec);
			bench_seccomp_create(round, rec);
		}
		if (want("mounts"))
			bench_mounts(round, rec);
		reap_strays();
		if (rec) {
			double busy1, steal1, ours1, wall = (double)(now_ns() - t_round) / 1e9;
			cpu_snapshot(&busy1, &steal1, &ours1);
			series_add(&round_foreign, ((busy1 - busy0) - (ours1 - ours0)) / wall);
			series_add(&round_steal, (steal1 - steal0) / wall);
		}
		write_json(); /* partial results survive an interruption */
	}
	if (want("bpf") && n_real_rt() > 0)
		bench_bpf();
	metric_note("seq", "run_total", "wall time of N sequential `run` of /bin/true, fork+exec+wait4 included");
	write_json();
	reap_strays();
	return 0;
}
