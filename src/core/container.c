/* SPDX-License-Identifier: GPL-2.0-or-later */
/* create, start, run: the parent side of the lifecycle. The parent parses, validates and
 * prepares every plan before the first side effect; the child (init.c) only applies them. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "alloc.h"
#include "fd-util.h"
#include "cgroups.h"
#include "hooks.h"
#include "hull/hull.h"
#include "init.h"
#include "process-attrs.h"
#include "rlimit.h"
#include "spec-cmd.h"
#include "proc-util.h"
#include "sync.h"
#include "syscalls.h"
#include "wait.h"

#define CONFIG_MAX (16u << 20)

static const char *state_root(const struct hull_context *ctx)
{
	return ctx->state_root ? ctx->state_root : HULL_STATE_ROOT_DEFAULT;
}

char *rfc3339_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char buf[64];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return xasprintf("%s.%09ldZ", buf, ts.tv_nsec);
}

const char *container_status_to_string(enum container_status s)
{
	switch (s) {
	case STATUS_CREATING:
		return "creating";
	case STATUS_CREATED:
		return "created";
	case STATUS_RUNNING:
		return "running";
	case STATUS_STOPPED:
		return "stopped";
	case STATUS_PAUSED:
		return "paused";
	}
	return "unknown";
}

enum container_status container_status_get(const struct state_dir *sd, const struct hull_record *rec)
{
	if (rec->pid <= 0)
		return STATUS_STOPPED;
	unsigned long long st;
	if (proc_pid_starttime(rec->pid, &st) <= 0 || st != rec->pid_starttime)
		return STATUS_STOPPED;
	if (faccessat(sd->dirfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED;
	return STATUS_RUNNING;
}

int container_pidfd(const struct hull_record *rec)
{
	if (rec->pid <= 0)
		return -ESRCH;
	int fd = sys_pidfd_open(rec->pid, 0);
	if (fd < 0)
		return -errno;
	/* The pidfd pins the process: if the start time still matches now, it is ours. */
	unsigned long long st;
	if (proc_pid_starttime(rec->pid, &st) <= 0 || st != rec->pid_starttime) {
		safe_close(fd);
		return -ESRCH;
	}
	return fd;
}

int pidfd_wait_exit(int pidfd, int timeout_ms)
{
	struct pollfd pf = {.fd = pidfd, .events = POLLIN};
	for (;;) {
		int n = poll(&pf, 1, timeout_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		return n == 0 ? -ETIMEDOUT : 0;
	}
}

int container_load_spec(struct state_dir *sd, struct oci_spec **ret, struct hull_error **err)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;
	int r = state_file_read(sd, "config.json", &text, &len, err);
	if (r < 0)
		return r;
	return oci_spec_parse(text, len, ret, err);
}

int container_state_json(const struct hull_record *rec, const struct oci_spec *spec, enum container_status st,
                         bool pretty, char **ret)
{
	struct oci_state s = {
	    .id = rec->id,
	    .status = container_status_to_string(st),
	    .pid = st == STATUS_STOPPED ? 0 : rec->pid,
	    .bundle = rec->bundle,
	    .annotations = spec ? spec->annotations : NULL,
	    .n_annotations = spec ? spec->n_annotations : 0,
	};
	return oci_state_to_json(&s, pretty, ret);
}

/* --- create ------------------------------------------------------------------------------ */

struct created {
	struct state_dir *sd;
	struct hull_record *rec;
	struct oci_spec *spec;
	pid_t pid;
	int pidfd;
	int master; /* pty master kept by the runtime (run without --console-socket) */
};

static void created_done(struct created *c)
{
	state_dir_free(c->sd);
	hull_record_free(c->rec);
	oci_spec_free(c->spec);
	safe_close(c->pidfd);
	safe_close(c->master);
	*c = (struct created){.pidfd = -EBADF, .master = -EBADF};
}

static void init_plan_done(struct init_plan *p)
{
	ns_plan_done(&p->ns);
	rootfs_plan_free(p->rootfs);
	p->rootfs = NULL;
	creds_plan_done(&p->creds);
	sysctl_plan_done(&p->sysctl);
	seccomp_plan_done(&p->seccomp);
	p->seccomp_listener_sock = safe_close(p->seccomp_listener_sock);
}

int connect_console_socket(const char *path, struct hull_error **err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return hull_err(err, -ENAMETOOLONG, "--console-socket %s: path too long", path);
	strcpy(sa.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return hull_err_errno(err, -errno, "--console-socket: socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return hull_err_errno(err, -errno, "--console-socket: connect %s", path);
	return TAKE_FD(fd);
}

static int build_plans(const struct hull_context *ctx, const struct hull_create_opts *opts, const char *bundle,
                       const struct oci_spec *spec, struct init_plan *p, struct hull_error **err)
{
	const struct oci_process *proc = spec->process;
	int r;

	r = ns_plan_build(spec, &p->ns, err);
	if (r < 0)
		return r;
	r = rootfs_plan_build(spec, bundle, opts->no_pivot, &ctx->log, &p->rootfs, err);
	if (r < 0)
		return r;
	/* Idmapped mounts are prepared here, by the privileged runtime, as detached trees. */
	r = rootfs_plan_prepare(p->rootfs, err);
	if (r < 0)
		return r;
	r = creds_plan_build(proc, &ctx->log, &p->creds, err);
	if (r < 0)
		return r;
	r = landlock_plan_add(&p->landlock, proc->landlock, "process.landlock", &p->creds, &ctx->log, err);
	if (r < 0)
		return r;
	/* LSM labels: a label the host cannot apply is refused here, before anything exists. */
	r = apparmor_plan_build(proc->apparmor_profile, &p->apparmor, err);
	if (r < 0)
		return r;
	r = selinux_plan_build(proc->selinux_label, &p->selinux, err);
	if (r < 0)
		return r;
	r = rlimits_validate(proc->rlimits, proc->n_rlimits, err);
	if (r < 0)
		return r;
	if (proc->io_priority && (r = io_priority_validate(proc->io_priority, err)) < 0)
		return r;
	if (proc->scheduler && (r = scheduler_validate(proc->scheduler, err)) < 0)
		return r;
	r = hostname_validate(spec, err);
	if (r < 0)
		return r;
	if (spec->linux_) {
		r = sysctl_plan_build(spec->linux_->sysctl, spec->linux_->n_sysctl, spec, &p->sysctl, err);
		if (r < 0)
			return r;
		if (spec->linux_->personality) {
			r = personality_plan_build(spec->linux_->personality, &p->personality, err);
			if (r < 0)
				return r;
			p->has_personality = true;
		}
	}
	if (proc->exec_cpu_affinity) {
		if (proc->exec_cpu_affinity->initial) {
			r = exec_cpu_affinity_parse(proc->exec_cpu_affinity->initial, &p->affinity_initial, err);
			if (r < 0)
				return hull_err_prefix(err, r, "process.execCPUAffinity.initial");
			p->has_affinity = true;
		}
		if (proc->exec_cpu_affinity->final) {
			r = exec_cpu_affinity_parse(proc->exec_cpu_affinity->final, &p->affinity_final, err);
			if (r < 0)
				return hull_err_prefix(err, r, "process.execCPUAffinity.final");
			p->has_affinity_final = true;
		}
	}
	/* Compiled once per distinct profile and cached under the state root by content hash. */
	_cleanup_free_ char *cache = xasprintf("%s/seccomp-cache", state_root(ctx));
	r = seccomp_plan_build_cached(spec->linux_ ? spec->linux_->seccomp : NULL, cache, &ctx->log, &p->seccomp, err);
	if (r < 0)
		return r;
	p->id = opts->id;
	p->spec = spec;
	p->process = proc;
	p->preserve_fds = opts->preserve_fds;
	p->new_keyring = !opts->no_new_keyring;
	return 0;
}

static int run_parent_hooks(const struct oci_spec *spec, const struct hull_record *rec, int *ret_memfd,
                            struct hull_error **err)
{
	_cleanup_free_ char *state = NULL;
	int r = container_state_json(rec, spec, STATUS_CREATING, false, &state);
	if (r < 0)
		return hull_err_errno(err, r, "container state");
	const struct oci_hooks *h = &spec->hooks;
	for (enum oci_hook_kind k = OCI_HOOK_PRESTART; k <= OCI_HOOK_CREATE_RUNTIME; k++) {
		r = hooks_run(h->hooks[k], h->n_hooks[k], k, state, err);
		if (r < 0)
			return r;
	}
	/* The container side runs createContainer and startContainer hooks with the same state. */
	_cleanup_close_ int memfd = memfd_create("hull-state", MFD_CLOEXEC);
	if (memfd < 0)
		return hull_err_errno(err, -errno, "memfd_create");
	r = write_all(memfd, state, strlen(state));
	if (r < 0)
		return hull_err_errno(err, r, "write state memfd");
	*ret_memfd = TAKE_FD(memfd);
	return 0;
}

/* Drives the child through the sync protocol until it is parked before execve. */
static int parent_sync_loop(const struct hull_log *log, const struct oci_spec *spec, struct hull_record *rec, int sock,
                            int *ret_master, struct hull_error **err)
{
	for (;;) {
		struct sync_msg m;
		int fd = -EBADF;
		int r = sync_recv(sock, &m, &fd);
		if (r == -ECONNRESET)
			return hull_err(err, -ECHILD, "container process exited unexpectedly during setup");
		if (r < 0)
			return hull_err_errno(err, r, "read from container process");
		switch ((enum sync_type)m.type) {
		case SYNC_ERROR:
			safe_close(fd);
			return hull_err(err, m.value > 0 ? -m.value : -EIO, "%s", m.msg);
		case SYNC_PTY_MASTER:
			safe_close(*ret_master);
			*ret_master = fd;
			fd = -EBADF;
			break;
		case SYNC_HOOKS_PLEASE: {
			_cleanup_close_ int memfd = -EBADF;
			r = run_parent_hooks(spec, rec, &memfd, err);
			if (r < 0)
				return r;
			r = sync_send_fd(sock, SYNC_HOOKS_DONE, rec->pid, memfd);
			break;
		}
		case SYNC_READY:
			return 0;
		case SYNC_WARNING:
			/* The child has no log of its own: it forwards its warnings here. */
			hull_log(log,
			         m.value >= 0 && m.value <= HULL_LOG_DEBUG ? (enum hull_log_level)m.value
			                                                   : HULL_LOG_WARN,
			         "%s", m.msg);
			break;
		case SYNC_GO:
		case SYNC_HOOKS_DONE:
		case SYNC_EXEC_PID:
		default:
			safe_close(fd);
			return hull_err(err, -EPROTO, "unexpected message %u from container process", m.type);
		}
		safe_close(fd);
		if (r < 0)
			return hull_err_errno(err, r, "write to container process");
	}
}

_noreturn_ static void init_child_or_intermediate(struct init_plan *plan)
{
	if (plan->ns.pid_via_intermediate)
		init_intermediate_main(plan);
	init_child_main(plan);
}

/* After clone3 of an intermediate (ipid): the container process it forks announces itself with
 * SYNC_EXEC_PID and its pidfd (which replaces *pidfd, the intermediate's; the host pid comes from
 * the pidfd); a SYNC_ERROR or the socket closing means it never got that far. The intermediate
 * exits right after its fork or its error, so reaping it here cannot block. */
static int receive_container_pid(int sock, pid_t ipid, pid_t *ret_pid, int *pidfd, struct hull_error **err)
{
	struct sync_msg m;
	int fd = -EBADF, r = sync_recv(sock, &m, &fd);
	while (waitpid(ipid, NULL, 0) < 0 && errno == EINTR)
		;
	if (r == -ECONNRESET)
		return hull_err(err, -ECHILD, "container process exited unexpectedly during setup");
	if (r < 0)
		return hull_err_errno(err, r, "read from container process");
	if (m.type == SYNC_EXEC_PID && fd >= 0) {
		pid_t p;
		r = pidfd_get_pid(fd, &p);
		if (r < 0) {
			safe_close(fd);
			return hull_err_errno(err, r, "container process: read its pid from its pidfd");
		}
		safe_close(*pidfd);
		*pidfd = fd;
		*ret_pid = p;
		return 0;
	}
	safe_close(fd);
	if (m.type == SYNC_ERROR)
		return hull_err(err, m.value > 0 ? -m.value : -EIO, "%s", m.msg);
	return hull_err(err, -EPROTO, "unexpected message %u from container process", m.type);
}

static int read_config(const struct hull_create_opts *opts, const char *bundle, char **ret_text, size_t *ret_len,
                       struct oci_spec **ret_spec, struct hull_error **err)
{
	_cleanup_free_ char *path = opts->config ? xstrdup(opts->config) : xasprintf("%s/config.json", bundle);
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r = read_file_at(AT_FDCWD, path, CONFIG_MAX, &text, &len);
	if (r == -EFBIG)
		return hull_err(err, r, "%s: larger than %u bytes", path, CONFIG_MAX);
	if (r < 0)
		return hull_err_errno(err, r, "open %s", path);
	r = oci_spec_parse_named(text, len, path, ret_spec, err);
	if (r < 0) {
		/* Syntax errors already start with the path; field errors get it in front. */
		if (err && *err && (*err)->msg && strncmp((*err)->msg, path, strlen(path)) == 0)
			return r;
		return hull_err_prefix(err, r, "%s", path);
	}
	*ret_text = TAKE_PTR(text);
	*ret_len = len;
	return 0;
}

static int container_create_internal(const struct hull_context *ctx, const struct hull_create_opts *opts,
                                     bool foreground, struct created *out, struct hull_error **err)
{
	_cleanup_(init_plan_done) struct init_plan plan = {
	    .sync_fd = -EBADF, .fifo_fd = -EBADF, .console_fd = -EBADF, .seccomp_listener_sock = -EBADF};
	_cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_free_ char *bundle = NULL, *config_text = NULL;
	_cleanup_close_ int console = -EBADF, fifo = -EBADF, pidfd = -EBADF, master = -EBADF;
	_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
	bool cgroup_made = false;
	int socks[2] = {-EBADF, -EBADF};
	size_t config_len = 0;
	pid_t pid = 0;
	int r;

	r = hull_id_validate(opts->id, err);
	if (r < 0)
		return r;
	char rp[PATH_MAX];
	if (!realpath(opts->bundle ? opts->bundle : ".", rp))
		return hull_err_errno(err, -errno, "--bundle %s", opts->bundle ? opts->bundle : ".");
	bundle = xstrdup(rp);

	/* Everything that can be checked is checked before the first side effect. */
	r = read_config(opts, bundle, &config_text, &config_len, &spec, err);
	if (r < 0)
		return r;
	if (!spec->process)
		return hull_err(err, -EINVAL, "process: required to create a container");
	if (!spec->root)
		return hull_err(err, -EINVAL, "root: required to create a container");
	if (!spec->process->args || !spec->process->args[0])
		return hull_err(err, -EINVAL, "process.args: required to create a container");
	if (spec->process->terminal && !opts->console_socket && !foreground)
		return hull_err(err, -EINVAL,
		                "process.terminal is true: --console-socket is required when the runtime detaches");
	if (!spec->process->terminal && opts->console_socket)
		return hull_err(err, -EINVAL, "--console-socket given but process.terminal is false");
	r = build_plans(ctx, opts, bundle, spec, &plan, err);
	if (r < 0)
		return r;
	if (ctx->cgroups_disabled) {
		/* No cgroup will be made: the plan only serves the warning that names what is not
		 * enforced, so a host that could not have applied it is no reason to fail. */
		_cleanup_(hull_error_freep) struct hull_error *perr = NULL;
		if (container_cgroup_prepare(&ctx->log, false, spec, opts->id, &cg, &perr) < 0) {
			cg = (struct container_cgroup){0};
			if (spec->linux_ && spec->linux_->resources)
				hull_warn(&ctx->log, "--cgroup-manager disabled: no cgroup for the container; "
				                     "linux.resources are not enforced");
		}
		cg.disabled = true;
	} else {
		r = container_cgroup_prepare(&ctx->log, ctx->systemd_cgroup, spec, opts->id, &cg, err);
		if (r < 0)
			return r;
	}

	r = state_dir_create(state_root(ctx), opts->id, &sd, err);
	if (r < 0)
		return r;
	/* The root exists now: a filter compiled for the first container in it can be cached. */
	seccomp_plan_cache_flush(&plan.seccomp, &ctx->log);
	r = state_file_write(sd, "config.json", config_text, config_len, 0600, err);
	if (r < 0)
		goto fail;
	/* The container process blocks opening this fifo for writing until `start` reads it. Mode
	 * 0622 so a container user that is not root can still open it for writing. */
	if (mkfifoat(sd->dirfd, "exec.fifo", 0622) < 0 || fchmodat(sd->dirfd, "exec.fifo", 0622, 0) < 0) {
		r = hull_err_errno(err, -errno, "mkfifo %s/exec.fifo", sd->path);
		goto fail;
	}
	fifo = openat(sd->dirfd, "exec.fifo", O_PATH | O_CLOEXEC);
	if (fifo < 0) {
		r = hull_err_errno(err, -errno, "open %s/exec.fifo", sd->path);
		goto fail;
	}
	if (opts->console_socket) {
		console = connect_console_socket(opts->console_socket, err);
		if (console < 0) {
			r = console;
			goto fail;
		}
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0) {
		r = hull_err_errno(err, -errno, "socketpair");
		goto fail;
	}
	if (plan.seccomp.notify) {
		/* listenerPath resolves in the runtime's namespace: connect before the container
		 * exists; the child only sends over this socket. */
		plan.seccomp_listener_sock = seccomp_listener_connect(plan.seccomp.listener_path, err);
		if (plan.seccomp_listener_sock < 0) {
			r = plan.seccomp_listener_sock;
			goto fail;
		}
	}
	r = container_cgroup_create(&cg, err);
	if (r < 0)
		goto fail;
	cgroup_made = true;

	rec = xcalloc(1, sizeof(*rec));
	rec->id = xstrdup(opts->id);
	rec->bundle = xstrdup(bundle);
	rec->rootfs = xstrdup(rootfs_plan_path(plan.rootfs));
	rec->created = rfc3339_now();
	rec->owner = geteuid();

	plan.sync_fd = socks[1];
	plan.fifo_fd = fifo;
	plan.console_fd = console;

	int saved_pidns = -EBADF;
	if (plan.ns.join_pid_fd >= 0) {
		r = ns_pid_for_children_enter(plan.ns.join_pid_fd, &saved_pidns, err);
		if (r < 0)
			goto fail;
	}
	struct clone_args ca = {
	    .flags = plan.ns.clone_flags | CLONE_PIDFD,
	    .pidfd = (uint64_t)(uintptr_t)&pidfd,
	    .exit_signal = SIGCHLD,
	};
	int v2fd = cg.h ? cgroup_v2_fd(cg.h) : -1;
	if (v2fd >= 0) {
		/* Born in its cgroup: nothing of the child ever runs outside it. */
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)v2fd;
	}
	/* Privileged: one clone3 into the new namespaces; the child only applies the plans. */
	long cr = sys_clone3(&ca, sizeof(ca));
	if (cr == 0) {
		/* The state dir stays the runtime's: the container holds no host directory fd. */
		safe_close(socks[0]);
		safe_close(sd->dirfd);
		safe_close(sd->root_fd);
		init_child_or_intermediate(&plan);
	}
	int clone_errno = errno;
	if (cr < 0 && clone_errno == EBUSY && v2fd >= 0) {
		/* CLONE_INTO_CGROUP refuses a cgroup with controllers enabled for its children (v2's
		 * no-internal-process rule) on some hosts: fall back to entering after clone. */
		ca.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		cr = sys_clone3(&ca, sizeof(ca));
		if (cr == 0) {
			safe_close(socks[0]);
			safe_close(sd->dirfd);
			safe_close(sd->root_fd);
			init_child_or_intermediate(&plan);
		}
		clone_errno = errno;
	}
	(void)ns_pid_for_children_restore(saved_pidns);
	if (cr < 0) {
		r = hull_err_errno(err, -clone_errno, "clone3 into the container namespaces");
		goto fail;
	}
	pid = (pid_t)cr;
	socks[1] = safe_close(socks[1]);
	console = safe_close(console);
	if (plan.ns.pid_via_intermediate) {
		/* pid was the intermediate: it reports the container process (our child too) and
		 * exits; from here on that process is the container's. */
		r = receive_container_pid(socks[0], pid, &pid, &pidfd, err);
		if (r < 0) {
			pid = -1;
			goto fail;
		}
	}
	rec->pid = pid;
	r = proc_pid_starttime(pid, &rec->pid_starttime);
	if (r < 0) {
		r = hull_err_errno(err, r, "read start time of container process %d", (int)pid);
		goto fail;
	}

	/* The child waits for SYNC_GO: write its id maps and place it in every cgroup hierarchy
	 * (CLONE_INTO_CGROUP covered only the unified one) before any container code runs. */
	if (plan.ns.new_ns[OCI_NS_USER]) {
		r = ns_write_id_maps(pid, &plan.ns, err);
		if (r < 0)
			goto fail;
	}
	if (cg.h) {
		r = cgroup_enter(cg.h, pid, err);
		if (r < 0)
			goto fail;
		rec->cgroup_path = cgroup_handle_save(cg.h);
	}
	r = sync_send(socks[0], SYNC_GO, 0, NULL);
	if (r < 0) {
		r = hull_err_errno(err, r, "start container setup");
		goto fail;
	}
	r = parent_sync_loop(&ctx->log, spec, rec, socks[0], &master, err);
	if (r < 0)
		goto fail;
	socks[0] = safe_close(socks[0]);

	rec->detached_init = !foreground;
	r = state_record_write(sd, rec, err);
	if (r < 0)
		goto fail;
	if (opts->pid_file) {
		r = pid_file_write(opts->pid_file, pid, err);
		if (r < 0)
			goto fail;
	}

	*out = (struct created){
	    .sd = TAKE_PTR(sd),
	    .rec = TAKE_PTR(rec),
	    .spec = TAKE_PTR(spec),
	    .pid = pid,
	    .pidfd = TAKE_FD(pidfd),
	    .master = TAKE_FD(master),
	};
	return 0;

fail:
	safe_close(socks[0]);
	safe_close(socks[1]);
	if (pid > 0) {
		/* The child's mounts die with its mount namespace; make sure it is gone before the
		 * state dir goes, so nothing is left half made. */
		(void)sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (cgroup_made && cg.h)
		(void)cgroup_destroy(cg.h, NULL);
	if (sd)
		(void)state_dir_remove(sd, NULL);
	return r;
}

int hull_create(const struct hull_context *ctx, const struct hull_create_opts *opts, struct hull_error **err)
{
	struct created c = {.pidfd = -EBADF, .master = -EBADF};
	int r = container_create_internal(ctx, opts, false, &c, err);
	if (r < 0)
		return r;
	created_done(&c);
	return 0;
}

/* --- start ------------------------------------------------------------------------------- */

static int start_locked(const struct hull_context *ctx, struct state_dir *sd, struct hull_record *rec,
                        const struct oci_spec *spec, struct hull_error **err)
{
	/* A created container that was paused stays parked: runc refuses to start it too. */
	enum container_status st = container_status_live(&ctx->log, sd, rec);
	if (st != STATUS_CREATED)
		return hull_err(err, -EINVAL, "cannot start container \"%s\": it is %s, not created", rec->id,
		                container_status_to_string(st));
	_cleanup_close_ int pidfd = container_pidfd(rec);
	if (pidfd < 0)
		return hull_err(err, -ESRCH, "cannot start container \"%s\": its process is gone", rec->id);
	/* Non-blocking open for reading succeeds at once; the container, blocked opening the
	 * write side, is released and writes one byte. */
	_cleanup_close_ int fifo = openat(sd->dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return hull_err_errno(err, -errno, "open %s/exec.fifo", sd->path);
	for (;;) {
		struct pollfd pf[2] = {{.fd = fifo, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return hull_err_errno(err, -errno, "poll exec fifo");
		}
		if (pf[0].revents & POLLIN) {
			char c;
			ssize_t n = read(fifo, &c, 1);
			if (n == 1)
				break;
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
		}
		if (pf[1].revents & POLLIN)
			return hull_err(err, -ECHILD, "cannot start container \"%s\": its process exited", rec->id);
		if (pf[0].revents & (POLLHUP | POLLERR)) {
			/* The writer closed without writing: wait briefly for the exit to show. */
			if (pidfd_wait_exit(pidfd, 1000) == 0)
				return hull_err(err, -ECHILD, "cannot start container \"%s\": its process exited",
				                rec->id);
		}
	}
	/* The container holds its end of the fifo (O_CLOEXEC) through the startContainer hooks
	 * until execve: its closing means the process was executed, and only then may poststart
	 * run. Anything written before the close is the message of a failure before execve. */
	char failure[512];
	size_t n_failure = 0;
	for (;;) {
		struct pollfd pf[2] = {{.fd = fifo, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return hull_err_errno(err, -errno, "poll exec fifo");
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(fifo, failure + n_failure, sizeof(failure) - 1 - n_failure);
			if (n > 0) {
				n_failure += (size_t)n;
				if (n_failure < sizeof(failure) - 1)
					continue;
			}
			if (n >= 0 || (errno != EAGAIN && errno != EINTR))
				break;
		}
		if (pf[1].revents & POLLIN)
			break;
	}
	if (n_failure > 0) {
		failure[n_failure] = 0;
		/* The process is on its way out: let clients that delete right after see it
		 * stopped, not created. */
		(void)pidfd_wait_exit(pidfd, 1000);
		(void)unlinkat(sd->dirfd, "exec.fifo", 0);
		return hull_err(err, -EIO, "start container \"%s\": %s", rec->id, failure);
	}
	if (unlinkat(sd->dirfd, "exec.fifo", 0) < 0 && errno != ENOENT)
		return hull_err_errno(err, -errno, "remove %s/exec.fifo", sd->path);
	rec->started = true;
	int r = state_record_write(sd, rec, err);
	if (r < 0)
		return r;

	const struct oci_hooks *h = &spec->hooks;
	if (h->n_hooks[OCI_HOOK_POSTSTART] > 0) {
		_cleanup_free_ char *state = NULL;
		if (container_state_json(rec, spec, STATUS_RUNNING, false, &state) >= 0) {
			_cleanup_(hull_error_freep) struct hull_error *herr = NULL;
			/* The spec: a poststart failure is logged, the container keeps running. */
			if (hooks_run(h->hooks[OCI_HOOK_POSTSTART], h->n_hooks[OCI_HOOK_POSTSTART], OCI_HOOK_POSTSTART,
			              state, &herr) < 0)
				hull_warn(&ctx->log, "%s", herr && herr->msg ? herr->msg : "poststart hook failed");
		}
	}
	return 0;
}

int hull_start(const struct hull_context *ctx, const char *id, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	_cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
	int r = hull_id_validate(id, err);
	if (r < 0)
		return r;
	r = state_dir_open(state_root(ctx), id, true, &sd, err);
	if (r < 0)
		return r;
	r = state_record_read(sd, &rec, err);
	if (r < 0)
		return r;
	r = container_load_spec(sd, &spec, err);
	if (r < 0)
		return r;
	return start_locked(ctx, sd, rec, spec, err);
}

/* --- run --------------------------------------------------------------------------------- */

static int run_created(const struct hull_context *ctx, const struct hull_create_opts *opts, bool detach,
                       int *ret_status, struct hull_error **err)
{
	struct created c = {.pidfd = -EBADF, .master = -EBADF};
	int r = container_create_internal(ctx, opts, !detach, &c, err);
	if (r < 0)
		return r;
	r = start_locked(ctx, c.sd, c.rec, c.spec, err);
	if (r < 0) {
		created_done(&c);
		(void)hull_delete(ctx, opts->id, true, NULL);
		return r;
	}
	if (detach) {
		created_done(&c);
		*ret_status = 0;
		return 0;
	}
	/* Let other commands (state, kill, exec) in while we wait. */
	state_dir_free(c.sd);
	c.sd = NULL;
	int status = 0;
	r = wait_forward(c.pid, c.pidfd, c.master, &status, err);
	created_done(&c);
	if (r < 0)
		return r;
	*ret_status = status;
	_cleanup_(hull_error_freep) struct hull_error *derr = NULL;
	if (hull_delete(ctx, opts->id, true, &derr) < 0)
		hull_warn(&ctx->log, "delete after run: %s", derr && derr->msg ? derr->msg : "failed");
	return 0;
}

int hull_run(const struct hull_context *ctx, const struct hull_create_opts *opts, bool detach, int *ret_status,
             struct hull_error **err)
{
	sigset_t old;
	/* Block the signals we forward before the container exists, so none is lost between
	 * clone and the wait loop; the child resets its mask. */
	if (!detach)
		wait_block_signals(&old);
	int r = run_created(ctx, opts, detach, ret_status, err);
	if (!detach)
		wait_restore_signals(&old);
	return r;
}

int hull_features(char **ret_json, struct hull_error **err)
{
	int r = oci_features_to_json(ret_json);
	return r < 0 ? hull_err_errno(err, r, "features") : 0;
}

int hull_spec(const struct hull_spec_opts *opts, char **ret_json, struct hull_error **err)
{
	return spec_cmd_build(opts, ret_json, err);
}
