/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exec: a new process inside a running container. The parent builds the process and the
 * credential plan. An intermediate child joins every namespace of the container process through
 * its pidfd (one setns call: the user namespace first, which is what lets an unprivileged caller
 * join the rest of a rootless container; the pid namespace only for its children) and forks the
 * process that applies the plan and execs. That process is hull's own child (CLONE_PARENT), so hull
 * waits for it and reaps it. It announces itself first (SYNC_EXEC_PID with a pidfd of itself) and
 * goes on only when hull acknowledges (SYNC_GO): a process hull failed to learn about never runs
 * the user's program. Success is the sync socket closing (O_CLOEXEC) once the intermediate has
 * exited and the process has exec'd; failure arrives as a SYNC_ERROR message. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "alloc.h"
#include "caps.h"
#include "cgroups.h"
#include "container.h"
#include "fd-util.h"
#include "hull/hull.h"
#include "init.h"
#include "lsm-apparmor.h"
#include "lsm-selinux.h"
#include "ns.h"
#include "proc-util.h"
#include "rlimit.h"
#include "seccomp.h"
#include "sync.h"
#include "syscalls.h"
#include "terminal.h"
#include "user.h"
#include "wait.h"

struct exec_child {
	const struct oci_process *process;
	struct creds_plan creds;
	struct seccomp_plan seccomp;
	struct apparmor_plan apparmor; /* borrowed from proc or spec */
	struct selinux_plan selinux;
	struct landlock_plan landlock;
	const char *state_json; /* for a seccomp NOTIFY listener */
	int listener_sock; /* connected listenerPath, by the parent */
	pid_t container_pid;
	int target_pidfd;
	int setns_flags;
	bool setgroups_allowed; /* the container's user namespace allows setgroups(2) */
	int sync_fd;
	int console_fd;
	unsigned preserve_fds;
};

static void env_set(char ***env, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
	for (size_t i = 0; *env && (*env)[i]; i++)
		if (strncmp((*env)[i], kv, klen) == 0 && (*env)[i][klen] == '=') {
			free((*env)[i]);
			(*env)[i] = xstrdup(kv);
			return;
		}
	strv_push(env, xstrdup(kv));
}

static int parse_id(const char *s, const char *what, uint32_t *ret, struct hull_error **err)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > UINT32_MAX - 1 || s[0] == '-')
		return hull_err(err, -EINVAL, "%s: \"%s\" is not a numeric id", what, s);
	*ret = (uint32_t)v;
	return 0;
}

static void strv_replace(char ***dst, char **src)
{
	strv_free(*dst);
	*dst = strv_copy(src);
}

static void caps_add(char ***set, char *const *caps)
{
	for (size_t i = 0; caps && caps[i]; i++) {
		bool have = false;
		for (size_t j = 0; *set && (*set)[j]; j++)
			have |= strcasecmp((*set)[j], caps[i]) == 0;
		if (!have)
			strv_push(set, strncasecmp(caps[i], "CAP_", 4) == 0 ? xstrdup(caps[i])
			                                                    : xasprintf("CAP_%s", caps[i]));
	}
}

/* The exec'd process: process.json as given, or the container's process with the command-line
 * overrides applied (env entries override the container's by key). */
static int build_process(const struct hull_exec_opts *o, struct oci_spec *spec, struct oci_process **ret,
                         struct hull_error **err)
{
	int r;
	if (o->process_file) {
		/* "-" is process.json on stdin, as containerd's shim and runc accept. */
		const char *path = streq(o->process_file, "-") ? "/dev/stdin" : o->process_file;
		r = oci_process_load(path, ret, err);
		if (r < 0)
			return hull_err_prefix(err, r, "--process");
		return 0;
	}
	struct oci_process *p = TAKE_PTR(spec->process);
	if (!p)
		return hull_err(err, -EINVAL, "container config has no process to base exec on");
	_cleanup_(oci_process_freep) struct oci_process *pp = p;
	if (!o->args || !o->args[0])
		return hull_err(err, -EINVAL, "exec: no command given (use --process or pass arguments)");
	strv_replace(&p->args, o->args);
	if (o->cwd) {
		free(p->cwd);
		p->cwd = xstrdup(o->cwd);
	}
	for (size_t i = 0; o->env && o->env[i]; i++)
		env_set(&p->env, o->env[i]);
	if (o->user) {
		_cleanup_free_ char *u = xstrdup(o->user);
		char *colon = strchr(u, ':');
		if (colon)
			*colon = 0;
		r = parse_id(u, "--user", &p->user.uid, err);
		if (r < 0)
			return r;
		p->user.gid = 0;
		if (colon) {
			r = parse_id(colon + 1, "--user", &p->user.gid, err);
			if (r < 0)
				return r;
		}
	}
	if (o->add_gids) {
		size_t n = strv_length(o->add_gids);
		free(p->user.additional_gids);
		p->user.additional_gids = xcalloc(n, sizeof(gid_t));
		p->user.n_additional_gids = n;
		for (size_t i = 0; i < n; i++) {
			uint32_t g;
			r = parse_id(o->add_gids[i], "--additional-gids", &g, err);
			if (r < 0)
				return r;
			p->user.additional_gids[i] = g;
		}
	}
	if (o->caps) {
		/* Name errors by the flag the user wrote, not by the set they are merged into. */
		_cleanup_strv_free_ char **full = NULL;
		for (size_t i = 0; o->caps[i]; i++)
			strv_push(&full, strncasecmp(o->caps[i], "CAP_", 4) == 0 ? xstrdup(o->caps[i])
			                                                         : xasprintf("CAP_%s", o->caps[i]));
		uint64_t mask;
		r = caps_parse_list(full, "--cap", NULL, &mask, err);
		if (r < 0)
			return r;
		if (!p->capabilities)
			p->capabilities = xcalloc(1, sizeof(*p->capabilities));
		/* Never inheritable (CVE-2022-29162): bounding, effective and permitted only. */
		caps_add(&p->capabilities->bounding, o->caps);
		caps_add(&p->capabilities->effective, o->caps);
		caps_add(&p->capabilities->permitted, o->caps);
	}
	if (o->tty_set)
		p->terminal = o->tty;
	if (o->no_new_privs_set && o->no_new_privs)
		p->no_new_privileges = true;
	if (o->apparmor) {
		free(p->apparmor_profile);
		p->apparmor_profile = xstrdup(o->apparmor);
	}
	if (o->selinux_label) {
		free(p->selinux_label);
		p->selinux_label = xstrdup(o->selinux_label);
	}
	*ret = TAKE_PTR(pp);
	return 0;
}

static int exec_load_seccomp(struct exec_child *c, struct hull_error **err)
{
	_cleanup_close_ int listener = -EBADF;
	int r = seccomp_apply(&c->seccomp, &listener, err);
	if (r < 0 || listener < 0)
		return r;
	return seccomp_send_listener_on(c->listener_sock, listener, c->container_pid, c->state_json,
	                                c->seccomp.listener_metadata, err);
}

/* As in init.c: without no_new_privs only a CAP_SYS_ADMIN holder may load a filter. */
static bool exec_seccomp_before_creds(const struct exec_child *c)
{
	return c->seccomp.has_filter && !c->creds.no_new_privs && !(c->creds.caps.effective & CAPS_BIT(CAP_SYS_ADMIN));
}

static int exec_child_apply(struct exec_child *c, struct hull_error **err)
{
	const struct oci_process *proc = c->process;
	int r;

	/* Non-dumpable until execve: the container's processes cannot ptrace us or open our
	 * /proc files while we still hold runtime fds (CVE-2016-9962). A fork inherits the flag
	 * only while our creds match the parent's, so set it again rather than rely on that. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return hull_err_errno(err, -errno, "prctl(PR_SET_DUMPABLE)");

	r = rlimits_apply(proc->rlimits, proc->n_rlimits, err);
	if (r < 0)
		return r;
	_cleanup_close_ int peer = -EBADF;
	if (proc->terminal) {
		_cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		_cleanup_close_ int master = -EBADF;
		if (rootfd < 0)
			return hull_err_errno(err, -errno, "open container root");
		r = terminal_open_pty(rootfd, false, &master, &peer, err);
		if (r < 0)
			return r;
		if (proc->has_console_size)
			(void)terminal_set_size(master, proc->console_height, proc->console_width);
		if (c->console_fd >= 0)
			r = send_fd(c->console_fd, master, "/dev/ptmx", strlen("/dev/ptmx"));
		else
			r = sync_send_fd(c->sync_fd, SYNC_PTY_MASTER, 0, master);
		if (r < 0)
			return hull_err_errno(err, r, "send pty master");
		c->console_fd = safe_close(c->console_fd);
		r = terminal_make_controlling(peer, err);
		if (r < 0)
			return r;
	} else if (setsid() < 0 && errno != EPERM) {
		return hull_err_errno(err, -errno, "setsid");
	}
	if (c->apparmor.profile || c->selinux.label) {
		/* LSM labels for our execve, through a verified procfs of the container's pid
		 * namespace (CVE-2019-19921, CVE-2025-52881), while we still have our rights. */
		_cleanup_close_ int procfd = proc_open_verified("/proc");
		r = apparmor_apply(&c->apparmor, procfd, err);
		if (r < 0)
			return r;
		r = selinux_apply(&c->selinux, procfd, err);
		if (r < 0)
			return r;
	}
	struct hull_log to_parent = {.fn = sync_log_to_parent, .userdata = &c->sync_fd, .max_level = HULL_LOG_WARN};
	r = landlock_prepare(&c->landlock, &to_parent, err);
	if (r < 0)
		return r;
	if (exec_seccomp_before_creds(c)) {
		r = exec_load_seccomp(c, err);
		if (r < 0)
			return r;
	}
	r = creds_apply(&c->creds, c->setgroups_allowed, err);
	if (r < 0)
		return r;
	/* The kernel clears the parent-death signal when our euid changes: arm it again, and check
	 * hull did not die in between (its end of the sync socket would have hung up). */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	{
		struct pollfd pf = {.fd = c->sync_fd, .events = POLLRDHUP};
		if (poll(&pf, 1, 0) > 0 && (pf.revents & (POLLHUP | POLLRDHUP)))
			_exit(127);
	}
	r = landlock_restrict(&c->landlock, err);
	if (r < 0)
		return r;
	r = chdir_verified(proc->cwd ? proc->cwd : "/", err);
	if (r < 0)
		return r;
	{
		int own[] = {c->sync_fd, c->listener_sock, c->console_fd};
		r = fds_check_not_preserved(c->preserve_fds, own, ELEMENTSOF(own), err);
		if (r < 0)
			return r;
	}
	r = fds_prepare_for_exec(c->preserve_fds, -1, -1, err);
	if (r < 0)
		return r;
	return 0;
}

_noreturn_ static void exec_child_main(struct exec_child *c)
{
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char *exe = NULL;
	/* Our parent is hull (CLONE_PARENT): die with it rather than run half set up. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* Announce ourselves first, with a pidfd hull reads our host pid from: whatever happens to
	 * the intermediate from now on, hull knows which process to wait for or kill. */
	int r = sync_announce_self(c->sync_fd, &err);
	if (r == -EPIPE)
		_exit(127); /* hull is gone */
	if (r >= 0) {
		/* Only once hull holds our pidfd: otherwise (its read failed, it died) we stop here. */
		struct sync_msg m;
		if (sync_recv(c->sync_fd, &m, NULL) < 0 || m.type != SYNC_GO)
			_exit(127);
		r = exec_child_apply(c, &err);
	}
	if (r >= 0)
		r = exec_path_lookup(c->process->args[0], c->process->env, &exe, &err);
	if (r >= 0) {
		/* Success is the O_CLOEXEC sync socket closing on execve. Every other fd but stdio
		 * and the preserved ones is closed now, not just close-on-exec: execve resolves its
		 * path while those are open, and the runtime's state directory fds would let
		 * "/proc/self/fd/N/.." reach the host (CVE-2024-21626). */
		(void)prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
		{
			int keep[] = {c->sync_fd, c->listener_sock};
			(void)fds_close_except(3 + (int)c->preserve_fds, keep, ELEMENTSOF(keep));
		}
		if (!exec_seccomp_before_creds(c)) {
			r = exec_load_seccomp(c, &err);
			if (r < 0)
				goto fail;
		}
		execve(exe, c->process->args, c->process->env ? c->process->env : (char *[]){NULL});
		r = hull_err_errno(&err, -errno, "exec %s", exe);
	}
fail:
	sync_report_error(c->sync_fd, r, err);
	_exit(127);
}

/* The intermediate: joins the container's namespaces, forks the process that execs and exits.
 * Joining the pid (and time) namespace only applies to children, hence the fork; forking as a
 * sibling (CLONE_PARENT) makes that process hull's child, as runc's and crun's exec'd processes
 * are their runtime's, so `hull exec` waits for it and a detached one is reparented to the
 * caller's subreaper (containerd's shim) when hull exits. */
_noreturn_ static void exec_intermediate_main(struct exec_child *c)
{
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	int r;

	signals_reset_all();
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* Non-dumpable while we hold runtime fds inside the container's namespaces (CVE-2016-9962). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		r = hull_err_errno(&err, -errno, "prctl(PR_SET_DUMPABLE)");
		goto fail;
	}
	/* Wait until the parent has put us in the container's cgroup: the fork below inherits it. */
	struct sync_msg m;
	r = sync_expect(c->sync_fd, SYNC_GO, &m, &err);
	if (r < 0)
		goto fail;
	/* Privileged (or, rootless, allowed because we own the container's user namespace): one setns
	 * through the container process's pidfd. The kernel joins the user namespace first and checks
	 * the others with the capabilities it gives, and nothing is joined unless all can be. */
	if (c->setns_flags && setns(c->target_pidfd, c->setns_flags) < 0) {
		r = hull_err_errno(&err, -errno, "join the container's namespaces");
		goto fail;
	}
	c->target_pidfd = safe_close(c->target_pidfd);

	/* Privileged only in what it inherits (our namespaces, creds and cgroup): the new process
	 * is hull's child (CLONE_PARENT) and announces itself to hull (SYNC_EXEC_PID) before it does
	 * anything else; we have nothing more to do. */
	struct clone_args ca = {.flags = CLONE_PARENT};
	long cr = sys_clone3(&ca, sizeof(ca));
	if (cr == 0)
		exec_child_main(c);
	if (cr < 0) {
		r = hull_err_errno(&err, -errno, "fork the exec process in the container's namespaces");
		goto fail;
	}
	_exit(0);
fail:
	sync_report_error(c->sync_fd, r, err);
	_exit(1);
}

/* Namespaces of the target that differ from ours, as setns flags (joining our own user
 * namespace would fail with EINVAL). */
static int namespaces_to_join(pid_t pid, int *ret_flags)
{
	int flags = 0;
	for (enum oci_ns_type t = 0; t < _OCI_NS_MAX; t++) {
		char a[64], b[64];
		struct stat sa, sb;
		snprintf(a, sizeof(a), "/proc/%d/ns/%s", (int)pid, oci_ns_proc_name(t));
		snprintf(b, sizeof(b), "/proc/self/ns/%s", oci_ns_proc_name(t));
		if (stat(a, &sa) < 0)
			continue; /* namespace type not supported by this kernel */
		if (stat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev)
			continue;
		flags |= oci_ns_clone_flag(t);
	}
	*ret_flags = flags;
	return 0;
}

int hull_exec(const struct hull_context *ctx, const struct hull_exec_opts *o, int *ret_status, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	_cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
	_cleanup_(oci_process_freep) struct oci_process *proc = NULL;
	_cleanup_close_ int target = -EBADF, console = -EBADF, ipidfd = -EBADF, pidfd = -EBADF, master = -EBADF;
	pid_t ipid = -1, pid = -1; /* the intermediate and the exec'd process */
	struct exec_child c = {
	    .target_pidfd = -EBADF, .sync_fd = -EBADF, .console_fd = -EBADF, .listener_sock = -EBADF};
	_cleanup_free_ char *cache = NULL, *state_json = NULL;
	int socks[2] = {-EBADF, -EBADF};
	int r;

	r = hull_id_validate(o->id, err);
	if (r < 0)
		return r;
	r = state_dir_open(ctx->state_root ? ctx->state_root : HULL_STATE_ROOT_DEFAULT, o->id, false, &sd, err);
	if (r < 0)
		return r;
	r = state_record_read(sd, &rec, err);
	if (r < 0)
		return r;
	enum container_status st = container_status_live(&ctx->log, sd, rec);
	if (st != STATUS_RUNNING && st != STATUS_CREATED)
		return hull_err(err, -ESRCH, "cannot exec in container \"%s\": it is %s", o->id,
		                container_status_to_string(st));
	r = container_load_spec(sd, &spec, err);
	if (r < 0)
		return r;
	r = build_process(o, spec, &proc, err);
	if (r < 0)
		return r;
	if (!proc->args || !proc->args[0])
		return hull_err(err, -EINVAL, "process.args: required");
	if (proc->terminal && !o->console_socket && o->detach)
		return hull_err(err, -EINVAL, "--tty with --detach needs --console-socket");
	if (!proc->terminal && o->console_socket)
		return hull_err(err, -EINVAL, "--console-socket given but the process has no terminal");
	r = creds_plan_build(proc, &ctx->log, &c.creds, err);
	if (r < 0)
		goto out;
	/* The container's Landlock domain applies to exec'd processes too; a --process landlock
	 * object stacks a second domain on it (it can only restrict further). */
	r = landlock_plan_add(&c.landlock,
	                      o->process_file ? (spec->process ? spec->process->landlock : NULL) : proc->landlock,
	                      "process.landlock", &c.creds, &ctx->log, err);
	if (r >= 0 && o->process_file)
		r = landlock_plan_add(&c.landlock, proc->landlock, "--process: landlock", &c.creds, &ctx->log, err);
	if (r < 0)
		goto out;
	/* LSM labels: --process without one keeps the container's, as runc does: leaving the field
	 * out must not run the new process unconfined. */
	r = apparmor_plan_build(proc->apparmor_profile && *proc->apparmor_profile ? proc->apparmor_profile
	                        : spec->process                                   ? spec->process->apparmor_profile
	                                                                          : NULL,
	                        &c.apparmor, err);
	if (r >= 0)
		r = selinux_plan_build(proc->selinux_label && *proc->selinux_label ? proc->selinux_label
		                       : spec->process                             ? spec->process->selinux_label
		                                                                   : NULL,
		                       &c.selinux, err);
	if (r < 0)
		goto out;
	/* exec'd processes get the container's seccomp filter too, as with runc. */
	cache = xasprintf("%s/seccomp-cache", ctx->state_root ? ctx->state_root : HULL_STATE_ROOT_DEFAULT);
	r = seccomp_plan_build_cached(spec->linux_ ? spec->linux_->seccomp : NULL, cache, &ctx->log, &c.seccomp, err);
	if (r < 0)
		goto out;
	if (c.seccomp.notify && container_state_json(rec, spec, st, false, &state_json) < 0) {
		r = hull_err(err, -ENOMEM, "container state for the seccomp listener");
		goto out;
	}
	c.state_json = state_json ? state_json : "{}";
	if (c.seccomp.notify) {
		c.listener_sock = seccomp_listener_connect(c.seccomp.listener_path, err);
		if (c.listener_sock < 0) {
			r = c.listener_sock;
			goto out;
		}
	}
	c.container_pid = rec->pid;
	/* A rootless container's user namespace denies setgroups: then keep the groups we have. */
	c.setgroups_allowed = ns_setgroups_allowed(rec->pid) != 0;

	target = container_pidfd(rec);
	if (target < 0) {
		r = hull_err(err, -ESRCH, "cannot exec in container \"%s\": its process is gone", o->id);
		goto out;
	}
	r = namespaces_to_join(rec->pid, &c.setns_flags);
	if (r < 0) {
		r = hull_err_errno(err, r, "inspect namespaces of container process %d", (int)rec->pid);
		goto out;
	}
	if (o->console_socket) {
		console = connect_console_socket(o->console_socket, err);
		if (console < 0) {
			r = console;
			goto out;
		}
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0) {
		r = hull_err_errno(err, -errno, "socketpair");
		goto out;
	}
	c.process = proc;
	c.target_pidfd = target;
	c.sync_fd = socks[1];
	c.console_fd = console;
	c.preserve_fds = o->preserve_fds;

	sigset_t old;
	if (!o->detach)
		wait_block_signals(&old);
	struct clone_args ca = {.flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)&ipidfd, .exit_signal = SIGCHLD};
	long cr = sys_clone3(&ca, sizeof(ca));
	if (cr == 0) {
		/* The state dir stays the runtime's: nothing inside holds a host directory fd. */
		safe_close(socks[0]);
		safe_close(sd->dirfd);
		safe_close(sd->root_fd);
		exec_intermediate_main(&c);
	}
	if (cr < 0) {
		r = hull_err_errno(err, -errno, "clone3 for exec");
		goto out_signals;
	}
	ipid = (pid_t)cr;
	socks[1] = safe_close(socks[1]);
	console = safe_close(console);
	{
		/* Into the container's cgroup before it joins anything: limits apply to every
		 * process of the container, and kill --all and delete find it. */
		_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
		r = container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, err);
		if (r >= 0 && cg.h)
			r = cgroup_enter(cg.h, ipid, err);
		if (r >= 0)
			r = sync_send(socks[0], SYNC_GO, 0, NULL) < 0 ? hull_err(err, -EPIPE, "start exec process") : 0;
		if (r < 0) {
			(void)sys_pidfd_send_signal(ipidfd, SIGKILL, NULL, 0);
			goto out_reap;
		}
	}

	/* Read until both the intermediate and the process have closed their end: the socket
	 * resets only then, so the process's pidfd (SYNC_EXEC_PID) has arrived by that time
	 * whatever the order of the messages, and both are reaped on every path. */
	for (;;) {
		struct sync_msg m;
		int fd = -EBADF;
		int rr = sync_recv(socks[0], &m, &fd);
		if (rr == -ECONNRESET)
			break; /* the intermediate exited and the process exec'd (or died) */
		if (rr < 0) {
			if (r >= 0)
				r = hull_err_errno(err, rr, "read from exec process");
			(void)sys_pidfd_send_signal(ipidfd, SIGKILL, NULL, 0);
			break;
		}
		switch (m.type) {
		case SYNC_EXEC_PID: {
			/* From the process itself: its pidfd; the host pid comes from the pidfd, not
			 * from anything the process could choose. It waits for our go-ahead. */
			pid_t p = -1;
			if (fd < 0 || pidfd >= 0 || pidfd_get_pid(fd, &p) < 0) {
				if (fd >= 0)
					(void)sys_pidfd_send_signal(fd, SIGKILL, NULL, 0);
				safe_close(fd);
				if (r >= 0)
					r = hull_err(err, -EPROTO, "exec process: malformed announcement");
				break;
			}
			pidfd = fd;
			pid = p;
			if (sync_send(socks[0], SYNC_GO, 0, NULL) < 0 && r >= 0)
				r = hull_err(err, -EPIPE, "start exec process");
			break;
		}
		case SYNC_PTY_MASTER:
			safe_close(master);
			master = fd;
			break;
		case SYNC_WARNING:
			safe_close(fd);
			hull_log(&ctx->log, HULL_LOG_WARN, "%s", m.msg);
			break;
		case SYNC_ERROR:
			safe_close(fd);
			if (r >= 0)
				r = hull_err(err, m.value > 0 ? -m.value : -EIO, "%s", m.msg);
			break;
		default:
			safe_close(fd);
			break;
		}
	}
	if (r >= 0 && pidfd < 0)
		r = hull_err(err, -EIO, "exec process: the intermediate exited without starting it");
	if (r < 0) {
		if (pidfd >= 0)
			(void)sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		goto out_reap;
	}
	while (waitpid(ipid, NULL, 0) < 0 && errno == EINTR)
		;
	ipid = -1;
	if (o->pid_file) {
		r = pid_file_write(o->pid_file, pid, err);
		if (r < 0) {
			(void)sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
			goto out_reap;
		}
	}
	/* Other commands on this container may proceed while the process runs. */
	state_dir_free(sd);
	sd = NULL;
	if (o->detach) {
		*ret_status = 0;
		r = 0;
		goto out_signals;
	}
	int status = 0;
	r = wait_forward(pid, pidfd, master, &status, err);
	if (r >= 0)
		*ret_status = status;
	goto out_signals;
out_reap:
	if (ipid > 0)
		while (waitpid(ipid, NULL, 0) < 0 && errno == EINTR)
			;
	if (pid > 0)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
out_signals:
	if (!o->detach)
		wait_restore_signals(&old);
out:
	safe_close(socks[0]);
	safe_close(socks[1]);
	creds_plan_done(&c.creds);
	seccomp_plan_done(&c.seccomp);
	safe_close(c.listener_sock);
	return r;
}
