/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "fd-util.h"
#include "hooks.h"
#include "caps.h"
#include "keyring.h"
#include "lsm-apparmor.h"
#include "lsm-selinux.h"
#include "netif.h"
#include "proc-util.h"
#include "process-attrs.h"
#include "rlimit.h"
#include "sync.h"
#include "syscalls.h"
#include "terminal.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void signals_reset_all(void)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			(void)sigaction(s, &sa, NULL);
	sigset_t all;
	sigemptyset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, NULL);
}

int exec_path_lookup(const char *args0, char *const *env, char **ret, struct hull_error **err)
{
	struct stat st;
	if (!args0 || !*args0)
		return hull_err(err, -EINVAL, "process.args[0]: empty");
	if (strchr(args0, '/')) {
		if (stat(args0, &st) < 0)
			return hull_err_errno(err, -errno, "exec %s", args0);
		if (!S_ISREG(st.st_mode))
			return hull_err(err, -EACCES, "exec %s: not a regular file: permission denied", args0);
		/* As runc and crun: a non-executable file fails create, not start. */
		if (access(args0, X_OK) < 0)
			return hull_err_errno(err, -errno, "exec %s", args0);
		*ret = xstrdup(args0);
		return 0;
	}
	const char *path = DEFAULT_PATH;
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], "PATH=", 5) == 0)
			path = env[i] + 5;
	int first_err = 0;
	const char *p = path;
	for (;;) {
		const char *end = strchrnul(p, ':');
		_cleanup_free_ char *dir = end > p ? xstrndup(p, (size_t)(end - p)) : xstrdup(".");
		_cleanup_free_ char *cand = xasprintf("%s/%s", dir, args0);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0) {
				*ret = TAKE_PTR(cand);
				return 0;
			}
			if (!first_err)
				first_err = -errno;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	if (first_err)
		return hull_err_errno(err, first_err, "exec: \"%s\"", args0);
	return hull_err(err, -ENOENT, "exec: \"%s\": executable file not found in $PATH: no such file or directory",
	                args0);
}

int chdir_verified(const char *cwd, struct hull_error **err)
{
	if (chdir(cwd) < 0)
		return hull_err_errno(err, -errno, "process.cwd: chdir %s", cwd);
	char buf[PATH_MAX];
	/* getcwd reports a directory outside our root with an "(unreachable)" prefix or fails:
	 * that is how a leaked host fd used as cwd shows (CVE-2024-21626). */
	if (!getcwd(buf, sizeof(buf)))
		return hull_err_errno(err, -errno, "process.cwd: getcwd after chdir %s", cwd);
	if (buf[0] != '/')
		return hull_err(err, -EPERM, "process.cwd: %s is outside the container root", cwd);
	return 0;
}

int fds_check_not_preserved(unsigned preserve_fds, const int *own, size_t n, struct hull_error **err)
{
	for (size_t i = 0; i < n; i++)
		if (own[i] >= 3 && own[i] < 3 + (int)preserve_fds)
			return hull_err(err, -EBADF,
			                "--preserve-fds %u would hand the runtime's own fd %d to the container: "
			                "fds 3 to %u must be the caller's",
			                preserve_fds, own[i], 3 + preserve_fds - 1);
	return 0;
}

int fds_prepare_for_exec(unsigned preserve_fds, int keep1, int keep2, struct hull_error **err)
{
	int keep[2 + 1024];
	size_t n = 0;
	if (preserve_fds > 1024)
		return hull_err(err, -EINVAL, "--preserve-fds %u: too many", preserve_fds);
	for (unsigned i = 0; i < preserve_fds; i++) {
		int fd = 3 + (int)i;
		int fl = fcntl(fd, F_GETFD);
		if (fl < 0)
			continue;
		/* Preserved fds belong to the caller: hand them over across execve. */
		if (fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
			return hull_err_errno(err, -errno, "preserve fd %d", fd);
		keep[n++] = fd;
	}
	if (keep1 >= 0)
		keep[n++] = keep1;
	if (keep2 >= 0)
		keep[n++] = keep2;
	int r = fds_cloexec_except(3 + (int)preserve_fds, keep, n);
	if (r < 0)
		return hull_err_errno(err, r, "mark fds close-on-exec");
	return 0;
}

/* The state JSON the parent put in a memfd (SYNC_HOOKS_DONE). */
static int read_state_memfd(int memfd, char **ret, struct hull_error **err)
{
	struct stat st;
	if (memfd < 0) {
		*ret = xstrdup("{}");
		return 0;
	}
	if (fstat(memfd, &st) < 0 || st.st_size > (1 << 24))
		return hull_err(err, -EIO, "read container state");
	_cleanup_free_ char *state = xmalloc((size_t)st.st_size + 1);
	ssize_t n = pread(memfd, state, (size_t)st.st_size, 0);
	if (n < 0)
		return hull_err_errno(err, -errno, "read container state");
	state[n] = 0;
	*ret = TAKE_PTR(state);
	return 0;
}

/* Runs hooks of one kind from the container side. */
static int run_child_hooks(const struct init_plan *p, enum oci_hook_kind kind, struct hull_error **err)
{
	const struct oci_hooks *h = &p->spec->hooks;
	if (h->n_hooks[kind] == 0)
		return 0;
	_cleanup_free_ char *state = NULL;
	int r = read_state_memfd(p->state_memfd, &state, err);
	if (r < 0)
		return r;
	return hooks_run(h->hooks[kind], h->n_hooks[kind], kind, state, err);
}

/* Returns the fifo opened for writing: it stays open (O_CLOEXEC) until execve, so `start` sees
 * it close exactly when the container's program replaces us. */
static int wait_for_start(int hostproc_fd, int fifo_fd, struct hull_error **err)
{
	char name[64];
	snprintf(name, sizeof(name), "self/fd/%d", fifo_fd);
	/* Reopen the O_PATH fifo for writing: this blocks until `start` opens it for reading. We
	 * go through a procfs handle opened before pivot_root, so the container's /proc is not
	 * needed. */
	_cleanup_close_ int fd = openat(hostproc_fd, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, -errno, "open exec fifo");
	if (write_all(fd, "0", 1) < 0)
		return hull_err_errno(err, -errno, "write exec fifo");
	return TAKE_FD(fd);
}

void sync_log_to_parent(void *userdata, enum hull_log_level level, const char *msg)
{
	(void)sync_send(*(const int *)userdata, SYNC_WARNING, (int32_t)level, msg);
}

static bool seccomp_before_creds(const struct init_plan *p)
{
	return p->seccomp.has_filter && !p->creds.no_new_privs && !(p->creds.caps.effective & CAPS_BIT(CAP_SYS_ADMIN));
}

/* Loads the filter; a NOTIFY listener fd goes to listenerPath with the container state. */
static int load_seccomp(struct init_plan *p, struct hull_error **err)
{
	if (!p->seccomp.has_filter || p->seccomp_loaded)
		return 0;
	_cleanup_close_ int listener = -EBADF;
	int r = seccomp_apply(&p->seccomp, &listener, err);
	if (r < 0)
		return r;
	p->seccomp_loaded = true;
	if (listener < 0)
		return 0;
	_cleanup_free_ char *state = NULL;
	r = read_state_memfd(p->state_memfd, &state, err);
	if (r < 0)
		return r;
	r = seccomp_send_listener_on(p->seccomp_listener_sock, listener, p->host_pid, state,
	                             p->seccomp.listener_metadata, err);
	p->seccomp_listener_sock = safe_close(p->seccomp_listener_sock);
	return r;
}

static int become_root_in_userns(struct hull_error **err)
{
	/* Our ids are now mapped: become root of the new user namespace so the setup that
	 * follows acts as the namespace's owner. */
	if (setresgid(0, 0, 0) < 0)
		return hull_err_errno(err, -errno, "setresgid(0) in the container's user namespace");
	if (setresuid(0, 0, 0) < 0)
		return hull_err_errno(err, -errno, "setresuid(0) in the container's user namespace");
	return 0;
}

static int init_apply(struct init_plan *p, struct hull_error **err)
{
	const struct oci_process *proc = p->process;
	const struct oci_spec *spec = p->spec;
	struct sync_msg m;
	int r;

	/* No other process may ptrace us or open our /proc files while we hold host fds
	 * (CVE-2016-9962); execve resets this. An unprivileged runtime writes our id maps (itself
	 * or through newuidmap, which checks we belong to the caller): we stay dumpable until
	 * SYNC_GO, which only exposes us to the caller's own uid, who owns the runtime anyway. */
	if (!p->ns.maps_need_dumpable && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return hull_err_errno(err, -errno, "prctl(PR_SET_DUMPABLE)");

	/* Before our credentials change (see ns_time_offsets_open). */
	_cleanup_close_ int offsets_fd = -EBADF;
	if (p->ns.new_ns[OCI_NS_TIME] && p->ns.time_offsets) {
		_cleanup_close_ int early_proc = proc_open_verified("/proc");
		if (early_proc < 0)
			return hull_err_errno(err, early_proc, "open procfs");
		r = ns_time_offsets_open(&p->ns, early_proc, &offsets_fd, err);
		if (r < 0)
			return r;
	}

	/* No container code runs before the parent has written our id maps and placed us in the
	 * container's cgroup. */
	r = sync_expect(p->sync_fd, SYNC_GO, &m, err);
	if (r < 0)
		return r;
	if (p->ns.maps_need_dumpable && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return hull_err_errno(err, -errno, "prctl(PR_SET_DUMPABLE)");
	if (p->ns.new_ns[OCI_NS_USER]) {
		r = become_root_in_userns(err);
		if (r < 0)
			return r;
	}
	if (!p->ns.joins_done) {
		r = ns_join_all(&p->ns, err);
		if (r < 0)
			return r;
	}
	/* setns into a user namespace keeps our kernel ids, which it usually does not map (files
	 * we create would fail with EOVERFLOW): become its root, as after creating one. Privileged:
	 * CAP_SETUID over the joined namespace, which setns gave us; it changes only our own ids,
	 * inside that namespace, and fails (EINVAL) when the namespace does not map uid 0. */
	for (size_t i = 0; i < p->ns.n_join; i++)
		if (p->ns.join[i].type == OCI_NS_USER) {
			r = become_root_in_userns(err);
			if (r < 0)
				return r;
		}

	/* The host procfs (before pivot_root) for the timens offsets and for reopening the exec
	 * fifo later; closed before execve like every other fd. */
	_cleanup_close_ int hostproc = proc_open_verified("/proc");
	if (hostproc < 0)
		return hull_err_errno(err, hostproc, "open procfs");
	r = ns_unshare_late(&p->ns, hostproc, offsets_fd, err);
	if (r < 0)
		return r;

	_cleanup_close_ int rootfd = -EBADF;
	r = rootfs_setup(p->rootfs, &rootfd, err);
	if (r < 0)
		return r;

	_cleanup_close_ int pty_peer = -EBADF;
	if (proc->terminal) {
		_cleanup_close_ int master = -EBADF;
		r = terminal_open_pty(rootfd, true, &master, &pty_peer, err);
		if (r < 0)
			return r;
		if (proc->has_console_size)
			(void)terminal_set_size(master, proc->console_height, proc->console_width);
		if (p->console_fd >= 0) {
			r = send_fd(p->console_fd, master, "/dev/ptmx", strlen("/dev/ptmx"));
			if (r < 0)
				return hull_err_errno(err, r, "send pty master to --console-socket");
		} else {
			r = sync_send_fd(p->sync_fd, SYNC_PTY_MASTER, 0, master);
			if (r < 0)
				return hull_err_errno(err, r, "send pty master to runtime");
		}
		p->console_fd = safe_close(p->console_fd);
	}

	/* Mounts are in place and the namespaces exist: the parent runs prestart and
	 * createRuntime hooks now, then we run createContainer before pivot_root. */
	r = sync_send(p->sync_fd, SYNC_HOOKS_PLEASE, 0, NULL);
	if (r < 0)
		return hull_err_errno(err, r, "sync");
	r = sync_recv(p->sync_fd, &m, &p->state_memfd);
	if (r < 0)
		return hull_err_errno(err, r, "sync");
	if (m.type != SYNC_HOOKS_DONE)
		return hull_err(err, -EPROTO, "unexpected message %u from runtime", m.type);
	p->host_pid = m.value;
	r = run_child_hooks(p, OCI_HOOK_CREATE_CONTAINER, err);
	if (r < 0)
		return r;

	r = rootfs_pivot(p->rootfs, rootfd, err);
	if (r < 0)
		return r;
	r = rootfs_finish(p->rootfs, err);
	if (r < 0)
		return r;

	/* A procfs of the container's own pid namespace, verified, for sysctl and oom writes. */
	_cleanup_close_ int procfd = proc_open_verified("/proc");
	if (procfd < 0 && (p->sysctl.n > 0 || proc->has_oom_score_adj))
		return hull_err_errno(err, procfd, "open procfs inside the container");

	r = sysctl_apply(procfd, &p->sysctl, err);
	if (r < 0)
		return r;
	if (p->ns.new_ns[OCI_NS_NETWORK]) {
		r = netif_loopback_up(err);
		if (r < 0)
			return r;
	}
	if (spec->hostname || spec->domainname) {
		r = hostname_apply(spec->hostname, spec->domainname, err);
		if (r < 0)
			return r;
	}
	r = rlimits_apply(proc->rlimits, proc->n_rlimits, err);
	if (r < 0)
		return r;
	if (proc->has_oom_score_adj) {
		r = oom_score_adj_apply(procfd, proc->oom_score_adj, err);
		if (r < 0)
			return r;
	}
	if (proc->io_priority) {
		r = io_priority_apply(proc->io_priority, err);
		if (r < 0)
			return r;
	}
	if (proc->scheduler) {
		r = scheduler_apply(proc->scheduler, err);
		if (r < 0)
			return r;
	}
	if (p->has_personality && personality(p->personality) < 0)
		return hull_err_errno(err, -errno, "linux.personality: personality(0x%lx)", p->personality);
	if (p->has_affinity && sched_setaffinity(0, sizeof(p->affinity_initial), &p->affinity_initial) < 0)
		return hull_err_errno(err, -errno, "process.execCPUAffinity.initial");
	if (p->new_keyring) {
		_cleanup_free_ char *name = xasprintf("_ses.%s", p->id);
		r = keyring_join_new(name, err);
		if (r < 0)
			return r;
	}

	if (pty_peer >= 0) {
		r = terminal_make_controlling(pty_peer, err);
		if (r < 0)
			return r;
		pty_peer = safe_close(pty_peer);
	} else if (setsid() < 0 && errno != EPERM) {
		return hull_err_errno(err, -errno, "setsid");
	}

	/* LSM labels for the execve to come, written while we still hold the runtime's rights and
	 * through the verified procfs handle (CVE-2019-19921, CVE-2025-52881). */
	r = apparmor_apply(&p->apparmor, procfd, err);
	if (r < 0)
		return r;
	r = selinux_apply(&p->selinux, procfd, err);
	if (r < 0)
		return r;

	/* Landlock rulesets are built inside the container root while we are still its root (any
	 * path resolves); they are enforced at the very end, right before seccomp. */
	struct hull_log to_parent = {.fn = sync_log_to_parent, .userdata = &p->sync_fd, .max_level = HULL_LOG_WARN};
	r = landlock_prepare(&p->landlock, &to_parent, err);
	if (r < 0)
		return r;
	if (seccomp_before_creds(p)) {
		/* Without no_new_privs the kernel only accepts a filter from a task holding
		 * CAP_SYS_ADMIN, which the container may not keep: load it now, as runc does. The
		 * profile must then allow the credential syscalls that follow. */
		r = load_seccomp(p, err);
		if (r < 0)
			return r;
	}
	r = creds_apply(&p->creds, !p->ns.setgroups_denied, err);
	if (r < 0)
		return r;

	r = chdir_verified(proc->cwd, err);
	if (r < 0)
		return r;

	/* Everything we hold ourselves is O_CLOEXEC; this catches whatever the caller left
	 * open beyond the preserved fds, so execve hands the container nothing else. The CLI
	 * already refuses a range the caller did not fill; a library caller gets the same check. */
	{
		int own[] = {p->sync_fd, p->fifo_fd, p->seccomp_listener_sock, hostproc, p->state_memfd};
		r = fds_check_not_preserved(p->preserve_fds, own, ELEMENTSOF(own), err);
		if (r < 0)
			return r;
	}
	r = fds_prepare_for_exec(p->preserve_fds, -1, -1, err);
	if (r < 0)
		return r;
	/* The caller needs the host procfs handle to reopen the exec fifo. */
	return TAKE_FD(hostproc);
}

void init_intermediate_main(struct init_plan *p)
{
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	int r;

	signals_reset_all();
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* Non-dumpable while we hold runtime fds inside the joined namespaces (CVE-2016-9962). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		r = hull_err_errno(&err, -errno, "prctl(PR_SET_DUMPABLE)");
		goto fail;
	}
	r = ns_join_all(&p->ns, &err);
	if (r < 0)
		goto fail;
	p->ns.joins_done = true;
	/* The container process: the first child in the new pid namespace (its init), and hull's
	 * child rather than ours (CLONE_PARENT), so hull waits for it as for any container. It
	 * inherits our namespaces and cgroup (the container's, for cgroup v2), announces itself to
	 * hull (SYNC_EXEC_PID) and waits for SYNC_GO as usual; we have nothing more to do. */
	/* Privileged only in what it inherits: our joined namespaces, creds and cgroup. */
	struct clone_args ca = {.flags = CLONE_PARENT};
	long cr = sys_clone3(&ca, sizeof(ca));
	if (cr == 0)
		init_child_main(p);
	if (cr < 0) {
		r = hull_err_errno(&err, -errno, "fork the container process into its pid namespace");
		goto fail;
	}
	_exit(0);
fail:
	sync_report_error(p->sync_fd, r, err);
	_exit(1);
}

void init_child_main(struct init_plan *p)
{
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	int r;

	p->state_memfd = -EBADF;
	signals_reset_all();
	/* Die with the runtime while it is still setting us up; cleared before create returns. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (p->ns.pid_via_intermediate) {
		/* Forked by the intermediate: tell hull who we are first (a pidfd, which it reads our
		 * host pid from), whatever becomes of the intermediate. */
		r = sync_announce_self(p->sync_fd, &err);
		if (r == -EPIPE)
			_exit(1); /* hull is gone */
		if (r < 0)
			goto fail;
	}
	int hostproc = init_apply(p, &err);
	if (hostproc < 0) {
		r = hostproc;
		goto fail;
	}

	_cleanup_free_ char *exe = NULL;
	r = exec_path_lookup(p->process->args[0], p->process->env, &exe, &err);
	if (r < 0)
		goto fail;

	/* Parked and ready: create returns now. From here on nobody reads the sync socket. */
	if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0) {
		r = hull_err_errno(&err, -errno, "prctl(PR_SET_PDEATHSIG)");
		goto fail;
	}
	r = sync_send(p->sync_fd, SYNC_READY, 0, NULL);
	if (r < 0)
		_exit(1);
	p->sync_fd = safe_close(p->sync_fd);

	int fifo_w = wait_for_start(hostproc, p->fifo_fd, &err);
	safe_close(hostproc);
	safe_close(p->fifo_fd);
	if (fifo_w < 0) {
		r = fifo_w;
		goto late_fail;
	}
	/* fifo_w stays open until execve closes it (O_CLOEXEC): that is how start knows the
	 * program runs, and how a failure before it is reported to start. */

	r = run_child_hooks(p, OCI_HOOK_START_CONTAINER, &err);
	if (r < 0)
		goto late_fail;
	if (p->has_affinity_final && sched_setaffinity(0, sizeof(p->affinity_final), &p->affinity_final) < 0) {
		r = hull_err_errno(&err, -errno, "process.execCPUAffinity.final");
		goto late_fail;
	}

	/* Landlock after the exec fifo was reopened (it lies outside the container: the domain
	 * would refuse it) and after the startContainer hooks; before seccomp. */
	r = landlock_restrict(&p->landlock, &err);
	if (r < 0)
		goto late_fail;
	/* Close, not just mark close-on-exec, every fd but stdio, the preserved ones and the
	 * two we still need: execve resolves its path while O_CLOEXEC fds are still open, so a
	 * leaked host directory fd (a cgroup dir inherited from the runtime) would let
	 * "/proc/self/fd/N/../.." name a host binary (CVE-2024-21626). The exec fifo is not a
	 * directory and cannot be walked through. */
	{
		/* The state memfd (for a NOTIFY listener) is a file, not a directory. */
		int keep[] = {fifo_w, p->seccomp_listener_sock, p->state_memfd};
		(void)fds_close_except(3 + (int)p->preserve_fds, keep, ELEMENTSOF(keep));
	}
	/* Last step before execve, so the filter applies to the container's program and not to
	 * the runtime's final steps (see docs/design-notes.md). */
	r = load_seccomp(p, &err);
	if (r < 0)
		goto late_fail;
	p->state_memfd = safe_close(p->state_memfd);
	execve(exe, p->process->args, p->process->env ? p->process->env : (char *[]){NULL});
	r = hull_err_errno(&err, -errno, "exec %s", exe);
late_fail:
	/* start is still reading the fifo: tell it what failed; without the fifo, the
	 * container's stderr is the only place left to say it. */
	{
		const char *m = err && err->msg ? err->msg : "container start failed";
		if (fifo_w < 0 || write_all(fifo_w, m, strlen(m)) < 0)
			dprintf(STDERR_FILENO, "hull: %s\n", m);
	}
	_exit(127);
fail:
	sync_report_error(p->sync_fd, r, err);
	_exit(1);
}
