/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state, kill, delete, list, ps: commands on an existing container. Parent only. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "cgroups.h"
#include "container.h"
#include "fd-util.h"
#include "hooks.h"
#include "hull/hull.h"
#include "proc-util.h"
#include "syscalls.h"

static const char *state_root(const struct hull_context *ctx)
{
	return ctx->state_root ? ctx->state_root : HULL_STATE_ROOT_DEFAULT;
}

static int open_container(const struct hull_context *ctx, const char *id, bool exclusive, struct state_dir **ret_sd,
                          struct hull_record **ret_rec, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	int r = hull_id_validate(id, err);
	if (r < 0)
		return r;
	r = state_dir_open(state_root(ctx), id, exclusive, &sd, err);
	if (r < 0)
		return r;
	r = state_record_read(sd, ret_rec, err);
	if (r < 0)
		return r;
	*ret_sd = TAKE_PTR(sd);
	return 0;
}

int hull_state(const struct hull_context *ctx, const char *id, char **ret_json, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	_cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
	int r = open_container(ctx, id, false, &sd, &rec, err);
	if (r < 0)
		return r;
	r = container_load_spec(sd, &spec, err);
	if (r < 0)
		return r;
	r = container_state_json(rec, spec, container_status_live(&ctx->log, sd, rec), true, ret_json);
	return r < 0 ? hull_err_errno(err, r, "state of %s", id) : 0;
}

static int pid_ns_inode(pid_t pid, ino_t *ret)
{
	char p[64];
	struct stat st;
	if (pid > 0)
		snprintf(p, sizeof(p), "/proc/%d/ns/pid", (int)pid);
	else
		snprintf(p, sizeof(p), "/proc/self/ns/pid");
	if (stat(p, &st) < 0)
		return -errno;
	*ret = st.st_ino;
	return 0;
}

static int read_ppid(pid_t pid, pid_t *ret)
{
	char p[64], buf[1024];
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	_cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read_all(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	char *e = strrchr(buf, ')');
	int ppid;
	if (!e || sscanf(e + 1, " %*c %d", &ppid) != 1)
		return -EIO;
	*ret = ppid;
	return 0;
}

int container_pids(const struct hull_record *rec, pid_t **ret, size_t *ret_n)
{
	pid_t *v = NULL;
	size_t n = 0, cap = 0;
	unsigned long long st;
	if (rec->pid <= 0 || proc_pid_starttime(rec->pid, &st) <= 0 || st != rec->pid_starttime) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	ino_t ours = 0, theirs = 0;
	int r = pid_ns_inode(0, &ours);
	if (r < 0)
		return r;
	r = pid_ns_inode(rec->pid, &theirs);
	if (r < 0)
		return r;
	bool own_ns = ours != theirs;
	_cleanup_(closedirp) DIR *d = opendir("/proc");
	if (!d)
		return -errno;
	/* Collect candidates: with its own pid namespace, every process in it; otherwise the
	 * container process and its descendants (iterated to a fixed point). */
	struct {
		pid_t pid, ppid;
	} *all = NULL;
	size_t n_all = 0, cap_all = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long p = strtol(de->d_name, &end, 10);
		if (*end || p <= 0)
			continue;
		if (own_ns) {
			ino_t ino;
			if (pid_ns_inode((pid_t)p, &ino) == 0 && ino == theirs) {
				xgrow((void **)&v, &cap, n + 1, sizeof(pid_t));
				v[n++] = (pid_t)p;
			}
			continue;
		}
		pid_t pp;
		if (read_ppid((pid_t)p, &pp) < 0)
			continue;
		xgrow((void **)&all, &cap_all, n_all + 1, sizeof(*all));
		all[n_all].pid = (pid_t)p;
		all[n_all++].ppid = pp;
	}
	if (!own_ns) {
		xgrow((void **)&v, &cap, 1, sizeof(pid_t));
		v[n++] = rec->pid;
		for (bool changed = true; changed;) {
			changed = false;
			for (size_t i = 0; i < n_all; i++) {
				bool in = false, parent_in = false;
				for (size_t j = 0; j < n; j++) {
					in |= v[j] == all[i].pid;
					parent_in |= v[j] == all[i].ppid;
				}
				if (!in && parent_in) {
					xgrow((void **)&v, &cap, n + 1, sizeof(pid_t));
					v[n++] = all[i].pid;
					changed = true;
				}
			}
		}
	}
	free(all);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Processes of the container: its cgroup when it has one, else its pid namespace. */
static int container_all_pids(const struct hull_context *ctx, const struct hull_record *rec, pid_t **ret, size_t *ret_n)
{
	_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
	if (container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, NULL) >= 0 && cg.h &&
	    cgroup_handle_layout(cg.h) != CGROUP_LAYOUT_NONE)
		return cgroup_pids(cg.h, ret, ret_n, NULL);
	return container_pids(rec, ret, ret_n);
}

int hull_ps(const struct hull_context *ctx, const char *id, pid_t **ret_pids, size_t *ret_n, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	int r = open_container(ctx, id, false, &sd, &rec, err);
	if (r < 0)
		return r;
	r = container_all_pids(ctx, rec, ret_pids, ret_n);
	return r < 0 ? hull_err_errno(err, r, "list processes of %s", id) : 0;
}

static int signal_all(const struct hull_context *ctx, const struct hull_record *rec, int sig)
{
	_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
	/* With a cgroup, every process of the container is in it, however it was started;
	 * the cgroup backend freezes it while signalling so nothing escapes by forking. */
	if (container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, NULL) >= 0 && cg.h &&
	    cgroup_handle_layout(cg.h) != CGROUP_LAYOUT_NONE) {
		bool paused = cgroup_is_frozen(cg.h) > 0;
		int k = cgroup_kill_all(cg.h, sig, NULL);
		container_after_signal(cg.h, paused, sig);
		return k;
	}
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int r = container_pids(rec, &pids, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		int fd = sys_pidfd_open(pids[i], 0);
		if (fd < 0)
			continue;
		(void)sys_pidfd_send_signal(fd, sig, NULL, 0);
		safe_close(fd);
	}
	return 0;
}

int hull_kill(const struct hull_context *ctx, const char *id, int sig, bool all, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	int r = open_container(ctx, id, false, &sd, &rec, err);
	if (r < 0)
		return r;
	enum container_status st = container_status_get(sd, rec);
	if (st == STATUS_STOPPED && !all)
		return hull_err(err, -ESRCH, "container \"%s\" is not running", id);
	if (all) {
		r = signal_all(ctx, rec, sig);
		return r < 0 ? hull_err_errno(err, r, "kill --all %s", id) : 0;
	}
	_cleanup_close_ int pidfd = container_pidfd(rec);
	if (pidfd < 0)
		return hull_err(err, -ESRCH, "container \"%s\" is not running", id);
	/* Through the pidfd: the signal cannot reach a process that reused the pid. */
	if (sys_pidfd_send_signal(pidfd, sig, NULL, 0) < 0)
		return hull_err_errno(err, -errno, "kill container \"%s\" with signal %d", id, sig);
	if (sig == SIGKILL && rec->cgroup_path && rec->cgroup_path[0]) {
		/* A paused container is thawed so its processes can act on SIGKILL (as runc). */
		_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
		if (container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, NULL) >= 0 && cg.h)
			container_after_signal(cg.h, cgroup_is_frozen(cg.h) > 0, sig);
	}
	return 0;
}

static void run_poststop(const struct hull_context *ctx, const struct hull_record *rec, const struct oci_spec *spec)
{
	const struct oci_hooks *h = &spec->hooks;
	if (h->n_hooks[OCI_HOOK_POSTSTOP] == 0)
		return;
	_cleanup_free_ char *state = NULL;
	if (container_state_json(rec, spec, STATUS_STOPPED, false, &state) < 0)
		return;
	_cleanup_(hull_error_freep) struct hull_error *herr = NULL;
	/* The spec: poststop failures are logged and deletion goes on. */
	if (hooks_run(h->hooks[OCI_HOOK_POSTSTOP], h->n_hooks[OCI_HOOK_POSTSTOP], OCI_HOOK_POSTSTOP, state, &herr) < 0)
		hull_warn(&ctx->log, "%s", herr && herr->msg ? herr->msg : "poststop hook failed");
}

int hull_delete(const struct hull_context *ctx, const char *id, bool force, struct hull_error **err)
{
	_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
	_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
	_cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
	_cleanup_(hull_error_freep) struct hull_error *oerr = NULL;
	int r = open_container(ctx, id, true, &sd, &rec, &oerr);
	if (r == -ENOENT && force)
		return 0;
	if (r < 0) {
		if (err && !*err)
			*err = TAKE_PTR(oerr);
		return r;
	}
	enum container_status st = container_status_live(&ctx->log, sd, rec);
	if ((st == STATUS_RUNNING || st == STATUS_PAUSED) && !force)
		return hull_err(err, -EBUSY, "cannot delete container \"%s\" that is not stopped: %s", id,
		                container_status_to_string(st));
	if (st != STATUS_STOPPED) {
		/* A created container is deleted without --force, as runc does. */
		_cleanup_close_ int pidfd = container_pidfd(rec);
		if (pidfd >= 0) {
			(void)signal_all(ctx, rec, SIGKILL);
			(void)sys_pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
			if (pidfd_wait_exit(pidfd, 10000) < 0)
				return hull_err(err, -ETIMEDOUT, "container \"%s\" did not exit after SIGKILL", id);
		}
	}
	if (rec->cgroup_path && rec->cgroup_path[0]) {
		_cleanup_(container_cgroup_done) struct container_cgroup cg = {0};
		r = container_cgroup_open(&ctx->log, rec->cgroup_path, &cg, err);
		if (r < 0)
			return r;
		/* Processes the container left behind (a stopped init does not take its
		 * non-namespaced children with it) go before the cgroup does. */
		if (cg.h && cgroup_populated(cg.h) > 0)
			(void)cgroup_kill_all(cg.h, SIGKILL, NULL);
		if (cg.h) {
			r = cgroup_destroy(cg.h, err);
			if (r < 0)
				return r;
			container_cgroup_remove_default_parent(&cg, rec->cgroup_path, rec->id);
		}
	}
	if (container_load_spec(sd, &spec, NULL) >= 0)
		run_poststop(ctx, rec, spec);
	return state_dir_remove(sd, err);
}

int hull_list(const struct hull_context *ctx, struct hull_container_info **ret, size_t *ret_n, struct hull_error **err)
{
	_cleanup_strv_free_ char **ids = NULL;
	int r = state_list_ids(state_root(ctx), &ids, err);
	if (r < 0)
		return r;
	size_t n = strv_length(ids), k = 0;
	struct hull_container_info *v = xcalloc(n + 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		_cleanup_(state_dir_freep) struct state_dir *sd = NULL;
		_cleanup_(hull_record_freep) struct hull_record *rec = NULL;
		if (open_container(ctx, ids[i], false, &sd, &rec, NULL) < 0)
			continue; /* vanished or still being created */
		enum container_status st = container_status_live(&ctx->log, sd, rec);
		v[k].id = xstrdup(rec->id);
		v[k].pid = st == STATUS_STOPPED ? 0 : rec->pid;
		v[k].status = xstrdup(container_status_to_string(st));
		v[k].bundle = xstrdup(rec->bundle ? rec->bundle : "");
		v[k].created = xstrdup(rec->created ? rec->created : "");
		v[k].owner = rec->owner == 0 ? xstrdup("root") : xasprintf("%u", (unsigned)rec->owner);
		k++;
	}
	*ret = v;
	*ret_n = k;
	return 0;
}

void hull_container_info_free(struct hull_container_info *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].id);
		free(v[i].status);
		free(v[i].bundle);
		free(v[i].created);
		free(v[i].owner);
	}
	free(v);
}
