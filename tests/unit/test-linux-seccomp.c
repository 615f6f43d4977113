/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/linux/seccomp.c. Profiles are written as linux.seccomp JSON and read with the
 * config.json parser; plans are built in the test process and every filter is run for real: a
 * forked child sets no_new_privs, loads the filter with seccomp_apply and makes syscalls (raw,
 * through syscall(2)), reporting by exit status; the parent checks the status or the signal, and
 * plays tracer or seccomp supervisor where the action needs one. No root needed (the
 * "needs CAP_SYS_ADMIN" case drops root first when run as root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "fd-util.h"
#include "seccomp-docker.h"
#include "seccomp.h"
#include "spec.h"

/* ---- helpers ---- */

struct log_capture {
	char buf[16384];
	int n;
};

static void capture_fn(void *userdata, enum hull_log_level level, const char *msg)
{
	struct log_capture *c = userdata;
	size_t used = strlen(c->buf);
	snprintf(c->buf + used, sizeof(c->buf) - used, "%s\n", msg);
	c->n++;
}

/* Every profile goes through the config.json parser and its validation, as in real use. */
static struct oci_spec *parse_profile(const char *seccomp_json)
{
	_cleanup_free_ char *cfg = xasprintf("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"},"
	                                     "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,"
	                                     "\"gid\":0}},\"linux\":{\"seccomp\":%s}}",
	                                     seccomp_json);
	struct oci_spec *spec = NULL;
	struct hull_error *e = NULL;
	if (oci_spec_parse(cfg, strlen(cfg), &spec, &e) < 0) {
		print_error("config parser: %s\n", e ? e->msg : "?");
		hull_error_free(e);
		fail();
	}
	return spec;
}

static void build_plan(const char *seccomp_json, struct log_capture *cap, struct seccomp_plan *ret)
{
	_cleanup_(oci_spec_freep) struct oci_spec *spec = parse_profile(seccomp_json);
	struct hull_log log = {.fn = capture_fn, .userdata = cap, .max_level = HULL_LOG_WARN};
	struct hull_error *e = NULL;
	if (seccomp_plan_build(spec->linux_->seccomp, cap ? &log : NULL, ret, &e) < 0) {
		print_error("seccomp_plan_build: %s\n", e ? e->msg : "?");
		hull_error_free(e);
		fail();
	}
	assert_true(ret->has_filter);
	assert_non_null(ret->insns);
	assert_true(ret->n_insns > 0);
}

typedef int (*child_fn)(int listener_fd, void *userdata);

/* Forks a child that runs pre (if any), sets no_new_privs (if nnp), loads the filter and exits
 * with body's result. Child exit codes 120-125 mean the setup itself failed. */
static pid_t spawn_filtered(const struct seccomp_plan *p, bool nnp, child_fn pre, child_fn body, void *userdata)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid > 0)
		return pid;
	struct rlimit no_core = {0, 0};
	(void)setrlimit(RLIMIT_CORE, &no_core);
	if (pre) {
		int r = pre(-1, userdata);
		if (r != 0)
			_exit(r);
	}
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(120);
	int lfd = -1;
	if (seccomp_apply(p, &lfd, NULL) < 0)
		_exit(121);
	if (p->notify && lfd < 0)
		_exit(122);
	if (!p->notify && lfd >= 0)
		_exit(123);
	_exit(body(lfd, userdata));
}

static int wait_status(pid_t pid)
{
	int status;
	pid_t r;
	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	assert_int_equal(r, pid);
	return status;
}

static void assert_exit(int status, int code)
{
	if (!WIFEXITED(status)) {
		print_error("child did not exit: %s %d\n", WIFSIGNALED(status) ? "signal" : "status",
		            WIFSIGNALED(status) ? WTERMSIG(status) : status);
		fail();
	}
	if (WEXITSTATUS(status) != code) {
		print_error("child exited %d, expected %d\n", WEXITSTATUS(status), code);
		fail();
	}
}

static void assert_killed(int status, int sig)
{
	if (!WIFSIGNALED(status)) {
		print_error("child was not killed: exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		fail();
	}
	assert_int_equal(WTERMSIG(status), sig);
}

static int run(const char *seccomp_json, child_fn body, void *userdata)
{
	struct seccomp_plan p;
	build_plan(seccomp_json, NULL, &p);
	int status = wait_status(spawn_filtered(&p, true, NULL, body, userdata));
	seccomp_plan_done(&p);
	return status;
}

/* 0 when a raw syscall failed with errno e, else 1 + something to tell cases apart. */
static int expect_errno(long r, int e)
{
	if (r != -1)
		return 10;
	return errno == e ? 0 : 11;
}

/* The plan contains "ret ERRNO(ENOSYS)" somewhere. */
static bool has_ret_enosys(const struct seccomp_plan *p)
{
	for (size_t i = 0; i < p->n_insns; i++)
		if (p->insns[i].code == (BPF_RET | BPF_K) && p->insns[i].k == (SECCOMP_RET_ERRNO | ENOSYS))
			return true;
	return false;
}

/* The plan starts with the ENOSYS prefix of an x86-64 filter (one group of six instructions, "ja +1",
 * "ret ERRNO(ENOSYS)"), followed directly by libseccomp's program, which loads the arch first. */
static bool has_enosys_prefix(const struct seccomp_plan *p)
{
#if defined(__x86_64__)
	/* Only what the kernel's constant-action cache can evaluate: loads of nr or arch, jumps on constants and
	 * constant returns (an "ld #imm" would make every syscall run the whole filter). */
	for (size_t i = 0; i < 8 && i < p->n_insns; i++) {
		uint16_t c = p->insns[i].code;
		bool ok = (c == (BPF_LD | BPF_W | BPF_ABS) && (p->insns[i].k == offsetof(struct seccomp_data, nr) ||
		                                               p->insns[i].k == offsetof(struct seccomp_data, arch))) ||
		          c == (BPF_JMP | BPF_JEQ | BPF_K) || c == (BPF_JMP | BPF_JGT | BPF_K) ||
		          c == (BPF_JMP | BPF_JGE | BPF_K) || c == (BPF_JMP | BPF_JA) || c == (BPF_RET | BPF_K);
		if (!ok)
			return false;
	}
	return p->n_insns > 9 && p->insns[6].code == (BPF_JMP | BPF_JA) && p->insns[6].k == 1 &&
	       p->insns[7].code == (BPF_RET | BPF_K) && p->insns[7].k == (SECCOMP_RET_ERRNO | ENOSYS) &&
	       p->insns[8].code == (BPF_LD | BPF_W | BPF_ABS) && p->insns[8].k == offsetof(struct seccomp_data, arch);
#else
	return has_ret_enosys(p);
#endif
}

/* The syscalls a default-deny child needs to end (sigaltstack and munmap: ASan's _exit). */
#define BASE_ALLOW \
	"{\"names\":[\"exit_group\",\"exit\",\"rt_sigreturn\",\"sigaltstack\",\"munmap\"],\"action\":\"SCMP_ACT_" \
	"ALLOW\"}"

/* ---- actions ---- */

static int body_getppid_errno(int lfd, void *ud)
{
	return expect_errno(syscall(SYS_getppid), *(int *)ud);
}

static void test_errno(void **state)
{
	int e = 42;
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	                "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":42}]}",
	                body_getppid_errno, &e),
	            0);
	e = EPERM; /* errnoRet absent */
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	                "\"action\":\"SCMP_ACT_ERRNO\"}]}",
	                body_getppid_errno, &e),
	            0);
	/* the default action's errno */
	e = 77;
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":77,\"syscalls\":[" BASE_ALLOW "]}",
	                body_getppid_errno, &e),
	            0);
}

static int body_call_getppid(int lfd, void *ud)
{
	syscall(SYS_getppid);
	return 0;
}

static void test_kill(void **state)
{
	const char *actions[] = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS"};
	for (size_t i = 0; i < ELEMENTSOF(actions); i++) {
		_cleanup_free_ char *j = xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
		                                   "[\"getppid\"],\"action\":\"%s\"}]}",
		                                   actions[i]);
		assert_killed(run(j, body_call_getppid, NULL), SIGSYS);
	}
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	/* SYS_SECCOMP is 1; si_errno carries SECCOMP_RET_DATA (0 for SCMP_ACT_TRAP) */
	_exit(si->si_code == 1 && si->si_syscall == SYS_getppid && si->si_errno == 0 ? 77 : 78);
}

static int body_trap(int lfd, void *ud)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return 2;
	syscall(SYS_getppid);
	return 3; /* the handler exits */
}

static void test_trap(void **state)
{
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	                "\"action\":\"SCMP_ACT_TRAP\"}]}",
	                body_trap, NULL),
	            77);
}

static int body_log_allow(int lfd, void *ud)
{
	pid_t want = *(pid_t *)ud;
	return syscall(SYS_getppid) == want ? 0 : 1;
}

static void test_log_and_allow(void **state)
{
	pid_t me = getpid();
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	                "\"action\":\"SCMP_ACT_LOG\"}]}",
	                body_log_allow, &me),
	            0);
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_LOG\",\"syscalls\":[{\"names\":[\"getpid\"],"
	                "\"action\":\"SCMP_ACT_ERRNO\"}]}",
	                body_log_allow, &me),
	            0);
	/* ALLOW in a default-deny profile */
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" BASE_ALLOW
	                ",{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
	                body_log_allow, &me),
	            0);
}

static void test_trace_without_tracer(void **state)
{
	int e = ENOSYS; /* the kernel's answer when nobody traces */
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	                "\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":5}]}",
	                body_getppid_errno, &e),
	            0);
}

static int pre_traceme(int lfd, void *ud)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
		return 124;
	raise(SIGSTOP);
	return 0;
}

static void test_trace_with_tracer(void **state)
{
	struct seccomp_plan p;
	build_plan("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	           "\"action\":\"SCMP_ACT_TRACE\",\"errnoRet\":1234}]}",
	           NULL, &p);
	pid_t me = getpid();
	pid_t pid = spawn_filtered(&p, true, pre_traceme, body_log_allow, &me);
	int status = wait_status(pid);
	assert_true(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	assert_int_equal(ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)), 0);
	assert_int_equal(ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	status = wait_status(pid);
	assert_true(WIFSTOPPED(status));
	assert_int_equal(status >> 8, SIGTRAP | (PTRACE_EVENT_SECCOMP << 8));
	unsigned long msg = 0;
	assert_int_equal(ptrace(PTRACE_GETEVENTMSG, pid, NULL, &msg), 0);
	assert_int_equal(msg, 1234); /* SCMP_ACT_TRACE(errnoRet) */
	/* the tracer lets the call run: the child sees its real parent */
	assert_int_equal(ptrace(PTRACE_CONT, pid, NULL, NULL), 0);
	assert_exit(wait_status(pid), 0);
	seccomp_plan_done(&p);
}

/* ---- arguments ---- */

struct op_case {
	const char *op;
	uint64_t value, value_two;
	uint64_t probe[6];
	bool match[6];
};

static int body_ops(int lfd, void *ud)
{
	const struct op_case *c = ud;
	for (int i = 0; i < 6; i++) {
		errno = 0;
		long r = syscall(SYS_getppid, (unsigned long)c->probe[i]);
		bool matched = r == -1 && errno == 99;
		if (matched != c->match[i])
			return 20 + i;
	}
	return 0;
}

static void test_operators(void **state)
{
	const uint64_t big = 0x100000005ULL; /* equal to 5 in the low 32 bits only */
	const struct op_case cases[] = {
	    {"SCMP_CMP_NE", 5, 0, {0, 4, 5, 6, big, UINT64_MAX}, {true, true, false, true, true, true}},
	    {"SCMP_CMP_LT", 5, 0, {0, 4, 5, 6, big, UINT64_MAX}, {true, true, false, false, false, false}},
	    {"SCMP_CMP_LE", 5, 0, {0, 4, 5, 6, big, UINT64_MAX}, {true, true, true, false, false, false}},
	    {"SCMP_CMP_EQ", 5, 0, {0, 4, 5, 6, big, UINT64_MAX}, {false, false, true, false, false, false}},
	    {"SCMP_CMP_GE", 5, 0, {0, 4, 5, 6, big, UINT64_MAX}, {false, false, true, true, true, true}},
	    {"SCMP_CMP_GT", 5, 0, {0, 4, 5, 6, big, UINT64_MAX}, {false, false, false, true, true, true}},
	    /* (arg & 0xff00) == 0x1200 */
	    {"SCMP_CMP_MASKED_EQ",
	     0xff00,
	     0x1200,
	     {0x1200, 0x12ff, 0x1300, 0, 0x7700001234ULL, 0x34},
	     {true, true, false, false, true, false}},
	    /* 64-bit mask and value */
	    {"SCMP_CMP_MASKED_EQ",
	     0xffff000000000000ULL,
	     0x1234000000000000ULL,
	     {0x1234000000000000ULL, 0x1234ffffffffffffULL, 0x1235000000000000ULL, 0, 0x1234, UINT64_MAX},
	     {true, true, false, false, false, false}},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		const struct op_case *c = &cases[i];
		_cleanup_free_ char *j =
		    xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
		              "[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":99,"
		              "\"args\":[{\"index\":0,\"value\":%llu,\"valueTwo\":%llu,"
		              "\"op\":\"%s\"}]}]}",
		              (unsigned long long)c->value, (unsigned long long)c->value_two, c->op);
		int status = run(j, body_ops, (void *)c);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			print_error("case %zu (%s): child status %d\n", i, c->op, status);
			fail();
		}
	}
}

static int body_and_or(int lfd, void *ud)
{
	const bool *match = ud; /* for (a0, a1) in (1,2) (1,0) (2,0) (3,2) */
	const unsigned long probes[4][2] = {{1, 2}, {1, 0}, {2, 0}, {3, 2}};
	for (int i = 0; i < 4; i++) {
		errno = 0;
		long r = syscall(SYS_getppid, probes[i][0], probes[i][1]);
		if ((r == -1 && errno == 99) != match[i])
			return 30 + i;
	}
	return 0;
}

static void test_args_and_or(void **state)
{
	/* distinct indexes: ANDed in one rule */
	const bool and_match[4] = {true, false, false, false};
	assert_exit(
	    run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	        "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":99,\"args\":["
	        "{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}"
	        "]}]}",
	        body_and_or, (void *)and_match),
	    0);
	/* the same index twice: one rule each, ORed (runc's behaviour) */
	const bool or_match[4] = {true, true, true, false};
	assert_exit(
	    run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	        "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":99,\"args\":["
	        "{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}"
	        "]}]}",
	        body_and_or, (void *)or_match),
	    0);
}

static int body_personality(int lfd, void *ud)
{
	if (syscall(SYS_personality, 0xffffffffUL) < 0) /* query: allowed */
		return 40;
	if (syscall(SYS_personality, (unsigned long)PER_LINUX) < 0)
		return 41;
	if (expect_errno(syscall(SYS_personality, (unsigned long)(PER_LINUX | READ_IMPLIES_EXEC)), EPERM) != 0)
		return 42;
	if (expect_errno(syscall(SYS_personality, (unsigned long)ADDR_NO_RANDOMIZE), EPERM) != 0)
		return 43;
	if (syscall(SYS_personality, 0xffffffffUL) != PER_LINUX)
		return 44;
	return 0;
}

/* Docker's personality rules: only a few personas, one EQ rule each. */
static void test_personality(void **state)
{
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":1,\"syscalls\":[" BASE_ALLOW ","
	                "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":0,"
	                "\"op\":\"SCMP_CMP_EQ\"}]},"
	                "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":8,"
	                "\"op\":\"SCMP_CMP_EQ\"}]},"
	                "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
	                "\"value\":4294967295,\"op\":\"SCMP_CMP_EQ\"}]}]}",
	                body_personality, NULL),
	            0);
}

/* ---- ENOSYS for syscalls newer than the profile ---- */

static int body_enosys(int lfd, void *ud)
{
	/* the profile names getppid (110) and exit_group (231): its highest x86-64 number is 231 */
	if (expect_errno(syscall(SYS_getpid), EPERM) != 0) /* 39, not named: the default */
		return 50;
	if (expect_errno(syscall(SYS_pidfd_open, getpid(), 0), ENOSYS) != 0) /* 434 */
		return 51;
	if (expect_errno(syscall(SYS_tee, 0, 0, 0, 0), ENOSYS) != 0) /* 276 */
		return 52;
	if (expect_errno(syscall(1000), ENOSYS) != 0) /* no such syscall at all */
		return 53;
	if (expect_errno(syscall(SYS_wait4, -1, NULL, 0, NULL), EPERM) != 0) /* 61 */
		return 54;
	return syscall(SYS_getppid) > 0 ? 0 : 55;
}

static int body_enosys_kill(int lfd, void *ud)
{
	if (expect_errno(syscall(SYS_pidfd_open, 1, 0), ENOSYS) != 0)
		return 56;
	syscall(SYS_getpid); /* below the highest named number: the default action kills */
	return 57;
}

static void test_enosys_newer(void **state)
{
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" BASE_ALLOW ","
	                "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
	                body_enosys, NULL),
	            0);
	assert_killed(run("{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"syscalls\":[" BASE_ALLOW ","
	                  "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
	                  body_enosys_kill, NULL),
	              SIGSYS);

	/* the prefix (six instructions for x86-64: arch check, nr load, x32 split, two range checks,
	 * then "ja", "ret ERRNO(ENOSYS)") is there only when the default refuses */
	const char *rules = "\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]";
	const char *defaults[][2] = {
	    {"\"SCMP_ACT_ERRNO\"", "y"}, {"\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38", "n"}, /* already ENOSYS */
	    {"\"SCMP_ACT_KILL\"", "y"},  {"\"SCMP_ACT_KILL_PROCESS\"", "y"},
	    {"\"SCMP_ACT_TRAP\"", "y"},  {"\"SCMP_ACT_TRACE\"", "n"},
	    {"\"SCMP_ACT_LOG\"", "n"},   {"\"SCMP_ACT_ALLOW\"", "n"},
	};
	for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
		_cleanup_free_ char *j =
		    xasprintf("{\"defaultAction\":%s,\"listenerPath\":\"/x\",%s}", defaults[i][0], rules);
		struct seccomp_plan p;
		build_plan(j, NULL, &p);
		if (has_enosys_prefix(&p) != (defaults[i][1][0] == 'y')) {
			print_error("default %s: prefix %s\n", defaults[i][0],
			            has_enosys_prefix(&p) ? "present" : "absent");
			fail();
		}
		/* and no other "ret ERRNO(ENOSYS)" appears unless the default is ENOSYS itself */
		assert_int_equal(has_ret_enosys(&p), defaults[i][1][0] == 'y' || i == 1);
		seccomp_plan_done(&p);
	}
}

/* ---- other architectures (x86-64 only: the i386 ABI through int $0x80) ---- */

#if defined(__x86_64__)
static long int80(long nr, long a0)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a0) : "memory", "rcx", "r11");
	return ret;
}

static int body_int80_probe(int lfd, void *ud)
{
	return int80(20 /* i386 getpid */, 0) == getpid() ? 0 : 1;
}

static bool have_ia32(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(body_int80_probe(-1, NULL));
	int status = wait_status(pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int body_int80_x86(int lfd, void *ud)
{
	if ((int)int80(64 /* i386 getppid */, 0) != -42)
		return 60;
	if ((int)int80(20 /* i386 getpid, not named */, 0) != -EPERM)
		return 61;
	/* i386's highest named number is exit_group (252): above it, ENOSYS */
	if ((int)int80(300, 0) != -ENOSYS)
		return 62;
	return 0;
}

static int body_x32_nr(int lfd, void *ud)
{
	/* x32 numbers are seen by the filter before the kernel refuses them (no x32 here) */
	if (expect_errno(syscall(0x40000000 | 39), EPERM) != 0) /* x32 getpid, below the highest named */
		return 63;
	if (expect_errno(syscall(0x40000000 | 600), ENOSYS) != 0) /* above every x32 number (the highest is 547) */
		return 64;
	return 0;
}
#endif

static void test_architectures(void **state)
{
#if defined(__x86_64__)
	if (!have_ia32()) {
		skip();
		return;
	}
	/* i386 listed: its calls go through its own rules */
	assert_exit(
	    run("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X86_64\"],"
	        "\"syscalls\":[" BASE_ALLOW ",{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\","
	        "\"errnoRet\":42}]}",
	        body_int80_x86, NULL),
	    0);
	/* not listed: a call from that ABI kills the process */
	assert_killed(run("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
	                  "\"action\":\"SCMP_ACT_ERRNO\"}]}",
	                  body_int80_probe, NULL),
	              SIGSYS);
	/* x32 listed: numbers with the x32 bit get x32's rules and ENOSYS prefix */
	assert_exit(run("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X32\"],"
	                "\"syscalls\":[" BASE_ALLOW "]}",
	                body_x32_nr, NULL),
	            0);
#else
	skip();
#endif
}

/* ---- NOTIFY and the listener ---- */

struct notify_ctx {
	int sock; /* child's end of a socketpair: the listener fd goes to the parent */
};

static int body_notify(int lfd, void *ud)
{
	struct notify_ctx *c = ud;
	if (send_fd(c->sock, lfd, "L", 1) < 0)
		return 70;
	close(lfd);
	if (syscall(SYS_getppid) != 4242) /* the supervisor's answer */
		return 71;
	if (expect_errno(syscall(SYS_getppid), ELOOP) != 0) /* its second answer: an error */
		return 72;
	return 0;
}

static void answer(int fd, int nr, long val, int error)
{
	struct seccomp_notif req;
	memset(&req, 0, sizeof(req)); /* the kernel wants it zeroed */
	assert_int_equal(ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req), 0);
	assert_int_equal(req.data.nr, nr);
	struct seccomp_notif_resp resp = {.id = req.id, .val = val, .error = error, .flags = 0};
	assert_int_equal(ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
}

static void test_notify(void **state)
{
	struct seccomp_plan p;
	build_plan(
	    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/x.sock\",\"listenerMetadata\":\"meta\","
	    "\"flags\":[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
	    "\"syscalls\":[{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
	    NULL, &p);
	assert_true(p.notify);
	assert_true(p.need_listener);
	assert_string_equal(p.listener_path, "/run/x.sock");
	assert_string_equal(p.listener_metadata, "meta");
	assert_true(p.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
	assert_true(p.flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);

	int sp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp), 0);
	struct notify_ctx c = {.sock = sp[1]};
	pid_t pid = spawn_filtered(&p, true, NULL, body_notify, &c);
	close(sp[1]);
	int child_fd = -1;
	char b;
	assert_true(recv_fd(sp[0], &child_fd, &b, 1) >= 0);
	assert_true(child_fd >= 0);
	close(sp[0]);

	/* hand the fd on to a "listenerPath" socket as the runtime would, and supervise through
	 * the copy that arrives there */
	char dir[] = "/tmp/hull-seccomp-test.XXXXXX";
	assert_non_null(mkdtemp(dir));
	_cleanup_free_ char *path = xasprintf("%s/listener.sock", dir);
	int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	strcpy(sa.sun_path, path);
	assert_int_equal(bind(srv, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(srv, 1), 0);
	struct hull_error *e = NULL;
	const char *st = "{\"ociVersion\":\"1.2.0\",\"id\":\"t\",\"status\":\"creating\",\"bundle\":\"/b\"}";
	int r = seccomp_send_listener(path, child_fd, pid, st, p.listener_metadata, &e);
	if (r < 0)
		print_error("seccomp_send_listener: %s\n", e ? e->msg : "?");
	assert_int_equal(r, 0);
	close(child_fd);
	int conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
	assert_true(conn >= 0);
	char buf[4096] = {0};
	int fd = -1;
	ssize_t n = recv_fd(conn, &fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	assert_true(fd >= 0);
	_cleanup_free_ char *want = xasprintf("{\"ociVersion\":\"1.2.0\",\"fds\":[\"seccompFd\"],\"pid\":%d,"
	                                      "\"metadata\":\"meta\",\"state\":%s}",
	                                      (int)pid, st);
	assert_string_equal(buf, want);
	close(conn);
	close(srv);
	unlink(path);
	rmdir(dir);

	answer(fd, SYS_getppid, 4242, 0);
	answer(fd, SYS_getppid, 0, -ELOOP);
	assert_exit(wait_status(pid), 0);
	close(fd);
	seccomp_plan_done(&p);
}

static void test_send_listener_errors(void **state)
{
	_cleanup_(hull_error_freep) struct hull_error *e = NULL;
	assert_int_equal(seccomp_send_listener("/nonexistent/hull.sock", 0, 1, "{}", NULL, &e), -ENOENT);
	assert_non_null(strstr(e->msg, "linux.seccomp.listenerPath: connecting to /nonexistent/hull.sock"));
	_cleanup_(hull_error_freep) struct hull_error *e2 = NULL;
	char longp[200];
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = 0;
	assert_int_equal(seccomp_send_listener(longp, 0, 1, "{}", NULL, &e2), -ENAMETOOLONG);
}

/* ---- flags ---- */

static void test_flags(void **state)
{
	pid_t me = getpid();
	const char *flag_sets[] = {
	    "[\"SECCOMP_FILTER_FLAG_LOG\"]",
	    "[\"SECCOMP_FILTER_FLAG_TSYNC\"]",
	    "[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]",
	    "[\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"]",
	};
	const unsigned want[] = {
	    SECCOMP_FILTER_FLAG_LOG,
	    SECCOMP_FILTER_FLAG_TSYNC,
	    SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	    SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	};
	for (size_t i = 0; i < ELEMENTSOF(flag_sets); i++) {
		_cleanup_free_ char *j = xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":%s,\"syscalls\":"
		                                   "[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
		                                   flag_sets[i]);
		struct seccomp_plan p;
		build_plan(j, NULL, &p);
		assert_int_equal(p.flags, want[i]);
		assert_false(p.notify);
		assert_exit(wait_status(spawn_filtered(&p, true, NULL, body_log_allow, &me)), 0);
		seccomp_plan_done(&p);
	}

	/* TSYNC with a listener: TSYNC_ESRCH is added, else the kernel refuses the pair */
	struct seccomp_plan p;
	build_plan(
	    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/x\",\"flags\":"
	    "[\"SECCOMP_FILTER_FLAG_TSYNC\"],\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
	    NULL, &p);
	assert_int_equal(p.flags, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_NEW_LISTENER |
	                              SECCOMP_FILTER_FLAG_TSYNC_ESRCH);
	assert_exit(wait_status(spawn_filtered(&p, true, NULL, body_log_allow, &me)), 0);
	seccomp_plan_done(&p);

	/* WAIT_KILLABLE_RECV without a notifying rule: dropped with a warning */
	struct log_capture cap = {0};
	build_plan("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
	           "\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
	           &cap, &p);
	assert_int_equal(p.flags, 0);
	assert_non_null(strstr(cap.buf, "linux.seccomp.flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
	seccomp_plan_done(&p);
}

/* ---- plan building ---- */

static void test_unknown_names(void **state)
{
	struct log_capture cap = {0};
	struct seccomp_plan p;
	int e = 42;
	build_plan("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_SHEB\"],\"syscalls\":["
	           "{\"names\":[\"no_such_syscall\",\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":42}]}",
	           &cap, &p);
	assert_non_null(strstr(cap.buf, "linux.seccomp: 1 system call unknown to libseccomp"));
	assert_non_null(strstr(cap.buf, "skipped: linux.seccomp.syscalls[0].names[0] \"no_such_syscall\""));
	/* libseccomp 2.5 has no SuperH: warned about and skipped (a newer one knows it) */
	if (cap.n == 2)
		assert_non_null(strstr(cap.buf, "linux.seccomp.architectures[0]: architecture \"SCMP_ARCH_SHEB\""));
	else
		assert_int_equal(cap.n, 1);
	/* the rest of the rule still works */
	assert_exit(wait_status(spawn_filtered(&p, true, NULL, body_getppid_errno, &e)), 0);
	seccomp_plan_done(&p);
}

static void test_default_action_rules_skipped(void **state)
{
	/* a rule with the default's action (same errno) is skipped; one with another errno is not */
	struct seccomp_plan p;
	int e = 9;
	build_plan("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":9,\"syscalls\":[" BASE_ALLOW ","
	           "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":9},"
	           "{\"names\":[\"gettid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":10}]}",
	           NULL, &p);
	assert_exit(wait_status(spawn_filtered(&p, true, NULL, body_getppid_errno, &e)), 0);
	seccomp_plan_done(&p);
	/* ALLOW rules in an ALLOW profile */
	build_plan("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	           "\"action\":\"SCMP_ACT_ALLOW\"}]}",
	           NULL, &p);
	seccomp_plan_done(&p);
}

static void test_no_seccomp(void **state)
{
	struct seccomp_plan p = {.flags = 99};
	assert_int_equal(seccomp_plan_build(NULL, NULL, &p, NULL), 0);
	assert_false(p.has_filter);
	assert_null(p.insns);
	int fd = 5;
	assert_int_equal(seccomp_apply(&p, &fd, NULL), 0);
	assert_int_equal(fd, -EBADF);
	seccomp_plan_done(&p);
}

static int pre_drop_root(int lfd, void *ud)
{
	if (geteuid() == 0 && setresuid(65534, 65534, 65534) < 0)
		return 125;
	return 0;
}

static void test_needs_nnp(void **state)
{
	struct seccomp_plan p;
	build_plan("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
	           "\"action\":\"SCMP_ACT_ERRNO\"}]}",
	           NULL, &p);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (pre_drop_root(-1, NULL) != 0)
			_exit(125);
		struct hull_error *e = NULL;
		int r = seccomp_apply(&p, NULL, &e);
		_exit(r == -EACCES && e && strstr(e->msg, "needs no_new_privs or CAP_SYS_ADMIN") ? 0 : 1);
	}
	assert_exit(wait_status(pid), 0);
	seccomp_plan_done(&p);
}

/* ---- Docker's default profile, end to end ---- */

struct docker_ctx {
	bool ia32, mseal_unknown;
};

static int body_docker(int lfd, void *ud)
{
	const struct docker_ctx *c = ud;
	if (syscall(SYS_getppid) <= 0)
		return 80;
	if (expect_errno(syscall(SYS_mount, "none", "/", "tmpfs", 0UL, NULL), EPERM) != 0)
		return 81;
	if (expect_errno(syscall(SYS_unshare, 0x10000000UL /* CLONE_NEWUSER */), EPERM) != 0)
		return 82;
	if (expect_errno(syscall(SYS_clone3, NULL, 0UL), ENOSYS) != 0) /* the profile's own ENOSYS rule */
		return 83;
	/* clone with a namespace flag: refused by the masked rule (a child would exit at once) */
	long r = syscall(SYS_clone, 0x00020000UL /* CLONE_NEWNS */ | SIGCHLD, NULL, NULL, NULL, 0UL);
	if (r == 0)
		_exit(0);
	if (expect_errno(r, EPERM) != 0)
		return 84;
	if (expect_errno(syscall(SYS_socket, 38 /* AF_ALG */, SOCK_SEQPACKET, 0), EPERM) != 0)
		return 85;
	if (expect_errno(syscall(SYS_socket, 40 /* AF_VSOCK */, SOCK_STREAM, 0), EPERM) != 0)
		return 86;
	r = syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (r < 0)
		return 87;
	close((int)r);
	if (expect_errno(syscall(SYS_personality, (unsigned long)READ_IMPLIES_EXEC), EPERM) != 0)
		return 88;
	if (syscall(SYS_personality, 0xffffffffUL) < 0)
		return 89;
	if (expect_errno(syscall(SYS_keyctl, 0, 0, 0, 0, 0), EPERM) != 0)
		return 90;
	/* newer than anything the profile (as libseccomp 2.5 knows it) names: ENOSYS */
	if (expect_errno(syscall(470, 0, 0, 0, 0, 0), ENOSYS) != 0)
		return 91;
	/* mseal (462) is allowed by the profile, but when libseccomp cannot name it, it is not in the
	 * filter and lies above the highest named number */
	if (c->mseal_unknown && expect_errno(syscall(462, 0, 0, 0), ENOSYS) != 0)
		return 93;
#if defined(__x86_64__)
	/* i386 is in the profile's archMap: its mount is refused too (21 = i386 mount) */
	if (c->ia32 && (int)int80(21, 0) != -EPERM)
		return 92;
#endif
	return 0;
}

static void test_docker_default(void **state)
{
	static const char *const caps[] = {
	    "CAP_CHOWN",      "CAP_DAC_OVERRIDE", "CAP_FOWNER",      "CAP_FSETID",           "CAP_KILL",
	    "CAP_SETGID",     "CAP_SETUID",       "CAP_SETPCAP",     "CAP_NET_BIND_SERVICE", "CAP_NET_RAW",
	    "CAP_SYS_CHROOT", "CAP_MKNOD",        "CAP_AUDIT_WRITE", "CAP_SETFCAP",          NULL,
	};
	_cleanup_free_ char *path = xasprintf("%s/seccomp/moby-default.json", TEST_DATA_DIR);
	_cleanup_free_ char *json = NULL;
	size_t len = 0;
	assert_int_equal(read_file_at(AT_FDCWD, path, 1 << 20, &json, &len), 0);
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = NULL;
	assert_int_equal(oci_seccomp_docker_resolve(json, len, (char *const *)caps, NULL, NULL, &s, NULL), 0);
	assert_non_null(s);

	struct log_capture cap = {0};
	struct hull_log log = {.fn = capture_fn, .userdata = &cap, .max_level = HULL_LOG_WARN};
	struct seccomp_plan p;
	assert_int_equal(seccomp_plan_build(s, &log, &p, NULL), 0);
	/* names this libseccomp does not know are reported, e.g. mseal (6.10) with libseccomp 2.5 */
	for (int i = 0; i < cap.n; i++)
		assert_non_null(strstr(cap.buf, "linux.seccomp.syscalls[0].names["));
	struct docker_ctx c = {.mseal_unknown = strstr(cap.buf, "\"mseal\"") != NULL};
#if defined(__x86_64__)
	c.ia32 = have_ia32();
#endif
	assert_exit(wait_status(spawn_filtered(&p, true, NULL, body_docker, &c)), 0);
	seccomp_plan_done(&p);
}

/* ---- the cache ---- */

/* The first create in a new state root compiles before the root exists: the store waits for
 * seccomp_plan_cache_flush, called once the root is made. */
static void test_cache_pending_until_root_exists(void **state)
{
	const char *j = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" BASE_ALLOW "]}";
	_cleanup_(oci_spec_freep) struct oci_spec *s = parse_profile(j);
	char key[65];
	assert_int_equal(seccomp_plan_cache_key(s->linux_->seccomp, key), 0);
	char dir[] = "/tmp/hull-seccomp-pending.XXXXXX";
	assert_non_null(mkdtemp(dir));
	_cleanup_free_ char *root = xasprintf("%s/root", dir);
	_cleanup_free_ char *cdir = xasprintf("%s/seccomp-cache", root);
	_cleanup_free_ char *file = xasprintf("%s/%s.bpf", cdir, key);
	struct seccomp_plan p;
	assert_int_equal(seccomp_plan_build_cached(s->linux_->seccomp, cdir, NULL, &p, NULL), 0);
	assert_non_null(p.cache_pending_dir);
	struct stat st;
	assert_int_equal(stat(root, &st), -1); /* nothing made outside the root's creation */
	assert_int_equal(mkdir(root, 0700), 0);
	seccomp_plan_cache_flush(&p, NULL);
	assert_null(p.cache_pending_dir);
	assert_int_equal(stat(file, &st), 0);
	seccomp_plan_cache_flush(&p, NULL); /* a no-op now */
	seccomp_plan_done(&p);
	assert_int_equal(unlink(file), 0);
	assert_int_equal(rmdir(cdir), 0);
	assert_int_equal(rmdir(root), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void test_cache(void **state)
{
	const char *j1 = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" BASE_ALLOW
	                 ",{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
	const char *j2 = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" BASE_ALLOW
	                 ",{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_LOG\"}]}";
	_cleanup_(oci_spec_freep) struct oci_spec *s1 = parse_profile(j1);
	_cleanup_(oci_spec_freep) struct oci_spec *s1b = parse_profile(j1);
	_cleanup_(oci_spec_freep) struct oci_spec *s2 = parse_profile(j2);
	char k1[65], k1b[65], k2[65];
	assert_int_equal(seccomp_plan_cache_key(s1->linux_->seccomp, k1), 0);
	assert_int_equal(seccomp_plan_cache_key(s1b->linux_->seccomp, k1b), 0);
	assert_int_equal(seccomp_plan_cache_key(s2->linux_->seccomp, k2), 0);
	assert_int_equal(strlen(k1), 64);
	assert_string_equal(k1, k1b);
	assert_string_not_equal(k1, k2);

	char dir[] = "/tmp/hull-seccomp-cache.XXXXXX";
	assert_non_null(mkdtemp(dir));
	_cleanup_free_ char *cdir = xasprintf("%s/seccomp-cache", dir);
	struct log_capture cap = {0};
	struct hull_log log = {.fn = capture_fn, .userdata = &cap, .max_level = HULL_LOG_DEBUG};

	/* first build compiles and stores, the second loads: same program either way */
	struct seccomp_plan a, b, fresh;
	assert_int_equal(seccomp_plan_build_cached(s1->linux_->seccomp, cdir, &log, &a, NULL), 0);
	assert_null(strstr(cap.buf, ".bpf used"));
	assert_int_equal(seccomp_plan_build_cached(s1->linux_->seccomp, cdir, &log, &b, NULL), 0);
	assert_non_null(strstr(cap.buf, ".bpf used"));
	assert_int_equal(seccomp_plan_build(s1->linux_->seccomp, NULL, &fresh, NULL), 0);
	assert_int_equal(a.n_insns, b.n_insns);
	assert_int_equal(a.n_insns, fresh.n_insns);
	assert_memory_equal(a.insns, b.insns, a.n_insns * sizeof(*a.insns));
	assert_memory_equal(a.insns, fresh.insns, a.n_insns * sizeof(*a.insns));
	assert_true(b.has_filter);
	assert_int_equal(b.flags, fresh.flags);
	pid_t me = getpid();
	assert_exit(wait_status(spawn_filtered(&b, true, NULL, body_log_allow, &me)), 0);

	_cleanup_free_ char *file = xasprintf("%s/%s.bpf", cdir, k1);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(cdir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);

	/* a flipped byte in the program: refused */
	struct seccomp_plan l = {0};
	int fd = open(file, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	char c;
	assert_int_equal(pread(fd, &c, 1, 60), 1);
	c ^= 1;
	assert_int_equal(pwrite(fd, &c, 1, 60), 1);
	assert_int_equal(seccomp_cache_load(cdir, k1, &l), -EBADMSG);
	/* a truncated file: refused */
	assert_int_equal(ftruncate(fd, 48 + 8), 0);
	assert_int_equal(seccomp_cache_load(cdir, k1, &l), -EBADMSG);
	close(fd);
	/* restored by a store; group-writable: refused */
	assert_int_equal(seccomp_cache_store(cdir, k1, &a), 0);
	assert_int_equal(seccomp_cache_load(cdir, k1, &l), 0);
	assert_int_equal(l.n_insns, a.n_insns);
	free(l.insns);
	l.insns = NULL;
	assert_int_equal(chmod(file, 0620), 0);
	assert_int_equal(seccomp_cache_load(cdir, k1, &l), -EPERM);
	/* a broken entry is rebuilt */
	assert_int_equal(seccomp_plan_build_cached(s1->linux_->seccomp, cdir, &log, &l, NULL), 0);
	assert_memory_equal(l.insns, a.insns, a.n_insns * sizeof(*a.insns));
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	seccomp_plan_done(&l);
	/* absent and bad keys */
	assert_int_equal(seccomp_cache_load(cdir, k2, &l), -ENOENT);
	assert_int_equal(seccomp_cache_load(cdir, "../../etc/passwd", &l), -EINVAL);

	seccomp_plan_done(&a);
	seccomp_plan_done(&b);
	seccomp_plan_done(&fresh);
	unlink(file);
	rmdir(cdir);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_errno),
	    cmocka_unit_test(test_kill),
	    cmocka_unit_test(test_trap),
	    cmocka_unit_test(test_log_and_allow),
	    cmocka_unit_test(test_trace_without_tracer),
	    cmocka_unit_test(test_trace_with_tracer),
	    cmocka_unit_test(test_operators),
	    cmocka_unit_test(test_args_and_or),
	    cmocka_unit_test(test_personality),
	    cmocka_unit_test(test_enosys_newer),
	    cmocka_unit_test(test_architectures),
	    cmocka_unit_test(test_notify),
	    cmocka_unit_test(test_send_listener_errors),
	    cmocka_unit_test(test_flags),
	    cmocka_unit_test(test_unknown_names),
	    cmocka_unit_test(test_default_action_rules_skipped),
	    cmocka_unit_test(test_no_seccomp),
	    cmocka_unit_test(test_needs_nnp),
	    cmocka_unit_test(test_docker_default),
	    cmocka_unit_test(test_cache_pending_until_root_exists),
	    cmocka_unit_test(test_cache),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
