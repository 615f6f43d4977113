/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container cgroup's life: create (mkdir in every hierarchy, prepare, write the plan), open,
 * enter, update, freeze, kill, pids, stats, destroy; the backend vtable (v1.c, v2.c, hybrid.c,
 * none.c) supplies what differs between layouts. Parent process, root (or a delegated
 * hierarchy): every write lands in the container's own cgroup directories, opened fd-relative
 * from a verified cgroupfs mountpoint (fs.c). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cgroup-internal.h"

static const struct cgroup_backend *backend_for(enum cgroup_layout l)
{
	switch (l) {
	case CGROUP_LAYOUT_V2:
		return &cgroup_backend_v2;
	case CGROUP_LAYOUT_V1:
		return &cgroup_backend_v1;
	case CGROUP_LAYOUT_HYBRID:
		return &cgroup_backend_hybrid;
	case CGROUP_LAYOUT_NONE:
		break;
	}
	return &cgroup_backend_none;
}

static bool strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

static char *strv_join(char *const *v, const char *sep)
{
	char *r = xstrdup("");
	for (size_t i = 0; v && v[i]; i++) {
		char *n = xasprintf("%s%s%s", r, i ? sep : "", v[i]);
		free(r);
		r = n;
	}
	return r;
}

static bool has_dotdot(const char *p)
{
	for (const char *c = p; (c = strstr(c, "..")); c += 2)
		if ((c == p || c[-1] == '/') && (c[2] == 0 || c[2] == '/'))
			return true;
	return false;
}

/* Whether the layout places the container in hierarchy h. */
static bool uses_hierarchy(enum cgroup_layout l, const struct cgroup_hierarchy *h)
{
	if (h->read_only)
		return false;
	switch (l) {
	case CGROUP_LAYOUT_V2:
		return h->v2;
	case CGROUP_LAYOUT_V1:
		return !h->v2;
	case CGROUP_LAYOUT_HYBRID:
		return true;
	case CGROUP_LAYOUT_NONE:
		break;
	}
	return false;
}

/* The cgroup path in hierarchy h for a canonical path (absolute, or relative to our own cgroup). */
static char *hierarchy_path(const struct cgroup_hierarchy *h, const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	return xasprintf("%s/%s", streq(h->own_path, "/") ? "" : h->own_path, path);
}

/* The same relative to the mountpoint, or NULL if the mount does not show that cgroup. */
static char *path_to_rel(const struct cgroup_hierarchy *h, const char *cgpath)
{
	if (streq(h->mount_root, "/"))
		return xstrdup(cgpath + 1);
	size_t l = strlen(h->mount_root);
	if (strncmp(cgpath, h->mount_root, l) != 0 || (cgpath[l] != '/' && cgpath[l] != 0))
		return NULL;
	return xstrdup(cgpath[l] ? cgpath + l + 1 : "");
}

static void node_done(struct cgroup_node *n)
{
	strv_free(n->controllers);
	free(n->key);
	free(n->mountpoint);
	free(n->path);
	free(n->rel);
	safe_close(n->root_fd);
	safe_close(n->fd);
}

void cgroup_handle_free(struct cgroup_handle *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_nodes; i++)
		node_done(&h->nodes[i]);
	free(h->nodes);
	free(h);
}

static struct cgroup_handle *handle_new(const struct cgroup_env *env)
{
	struct cgroup_handle *h = xcalloc(1, sizeof(*h));
	h->layout = env->layout;
	h->backend = backend_for(env->layout);
	h->log = env->log;
	h->unified = -1;
	return h;
}

static struct cgroup_node *node_add(struct cgroup_handle *h, const struct cgroup_hierarchy *hier, size_t *cap)
{
	xgrow((void **)&h->nodes, cap, h->n_nodes + 1, sizeof(*h->nodes));
	struct cgroup_node *n = &h->nodes[h->n_nodes];
	*n = (struct cgroup_node){.v2 = hier->v2, .root_fd = -EBADF, .fd = -EBADF};
	n->controllers = strv_copy(hier->controllers);
	n->key = hier->v2 ? xstrdup("") : strv_join(hier->controllers, ",");
	n->mountpoint = xstrdup(hier->mountpoint);
	return n;
}

struct cgroup_node *cg_find_v1(const struct cgroup_handle *h, const char *controller)
{
	for (size_t i = 0; i < h->n_nodes; i++)
		if (!h->nodes[i].v2 && strv_has(h->nodes[i].controllers, controller))
			return &h->nodes[i];
	return NULL;
}

struct cgroup_node *cg_unified(const struct cgroup_handle *h)
{
	return h->unified >= 0 ? &h->nodes[h->unified] : NULL;
}

struct cgroup_node *cg_main_node(const struct cgroup_handle *h)
{
	if (h->unified >= 0)
		return &h->nodes[h->unified];
	static const char *const pref[] = {"pids", "freezer", "memory", "cpu"};
	for (size_t i = 0; i < ELEMENTSOF(pref); i++) {
		struct cgroup_node *n = cg_find_v1(h, pref[i]);
		if (n)
			return n;
	}
	return h->n_nodes ? &h->nodes[0] : NULL;
}

/* ---- applying a plan ---- */

static struct cgroup_node *write_node(const struct cgroup_handle *h, const struct cgroup_write *w)
{
	if (w->v2)
		return cg_unified(h);
	const char *name = cgroup_controller_name(w->ctrl, false);
	return name ? cg_find_v1(h, name) : NULL;
}

static int check_before_update(const struct cgroup_handle *h, const struct cgroup_node *n, const struct cgroup_write *w,
                               const struct cgroup_plan *plan, struct hull_error **err)
{
	if (!plan->check_before_update || !(w->flags & CGROUP_WRITE_MEMORY_LIMIT) || plan->memory_limit <= 0)
		return 0;
	uint64_t usage;
	int r = cg_read_u64(n, n->v2 ? "memory.current" : "memory.usage_in_bytes", &usage);
	if (r < 0)
		return 0; /* nothing to compare with */
	if ((uint64_t)plan->memory_limit < usage)
		return hull_err(err, -EBUSY,
		                "%s: the new limit %lld is below the current usage %llu (memory.checkBeforeUpdate)",
		                w->field, (long long)plan->memory_limit, (unsigned long long)usage);
	return 0;
}

/* One write; *used_file names the file that was tried last (for messages). */
static int do_write(const struct cgroup_handle *h, const struct cgroup_node *n, const struct cgroup_write *w,
                    const char **used_file, const char **used_value)
{
	const char *value = w->value;
	_cleanup_free_ char *composed = NULL;
	if (w->flags & CGROUP_WRITE_KEEP_QUOTA) {
		/* "max P" from the plan: keep the current quota, set only the period. */
		_cleanup_free_ char *cur = NULL;
		const char *period = strchr(w->value, ' ');
		if (period && cg_read(n, w->file, &cur) >= 0) {
			char *sp = strpbrk(cur, " \n");
			if (sp)
				*sp = 0;
			composed = xasprintf("%s%s", cur, period);
			value = composed;
		}
	}
	*used_file = w->file;
	*used_value = value;
	int r = cg_write(n, w->file, value);
	if (r == -ENOENT && w->alt_file) {
		*used_file = w->alt_file;
		*used_value = w->alt_value;
		r = cg_write(n, w->alt_file, w->alt_value);
	}
	return r;
}

static int write_error(const struct cgroup_node *n, const struct cgroup_write *w, const char *file, const char *value,
                       int r, struct hull_error **err)
{
	_cleanup_free_ char *p = cg_node_file_path(n, file);
	return hull_err_errno(err, r, "%s: write \"%s\" to %s", w->field, value, p);
}

static int apply_plan(struct cgroup_handle *h, const struct cgroup_plan *plan, bool update, struct hull_error **err)
{
	for (size_t i = 0; i < plan->n_writes; i++) {
		const struct cgroup_write *w = &plan->writes[i];
		struct cgroup_node *n = write_node(h, w);
		if (!n) {
			const char *name = cgroup_controller_name(w->ctrl, w->v2);
			return hull_err(err, -ENOENT,
			                "%s: the %s controller's hierarchy is not part of the container's cgroup",
			                w->field, name ? name : "cgroup2");
		}
		if (update) {
			int r = check_before_update(h, n, w, plan, err);
			if (r < 0)
				return r;
		}
		const char *file, *value;
		int r = do_write(h, n, w, &file, &value);
		if ((r == -EINVAL || r == -EBUSY) && (w->flags & CGROUP_WRITE_SWAP_ORDER) && i + 1 < plan->n_writes) {
			/* The pair constrains each other (memory <= memsw, runtime <= period, burst <= quota):
			 * the other value first, then this one. */
			const struct cgroup_write *w2 = &plan->writes[i + 1];
			struct cgroup_node *n2 = write_node(h, w2);
			const char *file2, *value2;
			int r2 = n2 ? do_write(h, n2, w2, &file2, &value2) : -ENOENT;
			if (r2 < 0 && !(r2 == -ENOENT && (w2->flags & CGROUP_WRITE_OPTIONAL)))
				return n2 ? write_error(n2, w2, file2, value2, r2, err)
				          : write_error(n, w, file, value, r, err);
			r = do_write(h, n, w, &file, &value);
			i++;
		}
		if (r == -ENOENT && (w->flags & CGROUP_WRITE_OPTIONAL)) {
			_cleanup_free_ char *p = cg_node_file_path(n, file);
			hull_warn(h->log,
			          "%s: %s does not exist (not supported by this kernel or configuration); ignored",
			          w->field, p);
			continue;
		}
		if (r < 0)
			return write_error(n, w, file, value, r, err);
	}

	if (plan->has_devices && plan->devices_v2) {
		struct cgroup_node *u = cg_unified(h);
		if (!u)
			return hull_err(err, -ENOENT,
			                "linux.resources.devices: the container has no cgroup2 directory "
			                "for the device filter");
		int fd = cgroup_devices_bpf_load(plan->dev_prog, plan->n_dev_prog, err);
		if (fd < 0)
			return hull_err_prefix(err, fd, "linux.resources.devices");
		/* Attaching to the container's own cgroup only restricts the container. */
		int r = cgroup_devices_bpf_install(u->fd, fd, err);
		safe_close(fd);
		if (r < 0)
			return hull_err_prefix(err, r, "linux.resources.devices");
	}
	return 0;
}

/* ---- create / open ---- */

static void remove_created(struct cgroup_handle *h)
{
	for (size_t i = 0; i < h->n_nodes; i++) {
		struct cgroup_node *n = &h->nodes[i];
		if (n->created == 0 || n->root_fd < 0)
			continue;
		n->fd = safe_close(n->fd);
		(void)cg_rmdir_trailing(n->root_fd, n->rel, n->created);
	}
}

static bool plan_needs_unified(const struct cgroup_plan *plan)
{
	if (plan->v2_controllers || (plan->has_devices && plan->devices_v2))
		return true;
	for (size_t i = 0; i < plan->n_writes; i++)
		if (plan->writes[i].v2)
			return true;
	return false;
}

int cgroup_create(const struct cgroup_env *env, const char *path, const struct cgroup_plan *plan,
                  struct cgroup_handle **ret, struct hull_error **err)
{
	_cleanup_(cgroup_handle_freep) struct cgroup_handle *h = handle_new(env);
	if (env->layout == CGROUP_LAYOUT_NONE) {
		*ret = TAKE_PTR(h);
		return 0;
	}
	if (!path || !*path)
		return hull_err(err, -EINVAL, "cgroup path is empty");
	if (plan && plan->layout != env->layout)
		return hull_err(err, -EINVAL, "the cgroup plan was built for another layout");

	size_t cap = 0;
	int r = 0;
	for (size_t i = 0; i < env->n_hier; i++) {
		const struct cgroup_hierarchy *hier = &env->hier[i];
		if (!uses_hierarchy(env->layout, hier))
			continue;
		/* In hybrid mode the unified tree is membership only, unless the plan needs it. */
		bool optional = env->layout == CGROUP_LAYOUT_HYBRID && hier->v2 && !(plan && plan_needs_unified(plan));
		_cleanup_free_ char *cgpath = hierarchy_path(hier, path);
		_cleanup_free_ char *rel = path_to_rel(hier, cgpath);
		if (!rel || !*rel) {
			if (optional)
				continue;
			r = hull_err(err, -ENOENT, "cgroup %s is %s of the hierarchy mounted at %s", cgpath,
			             rel ? "the root" : "outside the part", hier->mountpoint);
			goto fail;
		}
		_cleanup_close_ int root = cg_open_root(hier->mountpoint, hier->v2, optional ? NULL : err);
		if (root < 0) {
			if (optional)
				continue;
			r = root;
			goto fail;
		}
		size_t created = 0;
		int fd = -EBADF;
		r = cg_mkdir_p(root, rel, &created, &fd);
		if (r < 0) {
			if (optional) {
				hull_warn(h->log,
				          "cgroup2 membership: cannot create %s/%s (%s); continuing with v1 only",
				          hier->mountpoint, rel, strerror(-r));
				r = 0;
				continue;
			}
			r = hull_err_errno(err, r, "create cgroup %s/%s", hier->mountpoint, rel);
			goto fail;
		}
		struct cgroup_node *n = node_add(h, hier, &cap);
		n->path = TAKE_PTR(cgpath);
		n->rel = TAKE_PTR(rel);
		n->root_fd = TAKE_FD(root);
		n->fd = fd;
		n->created = created;
		if (hier->v2)
			h->unified = (int)h->n_nodes;
		h->n_nodes++;
	}
	if (h->n_nodes == 0) {
		r = hull_err(err, -ENOENT, "no cgroup hierarchy to create %s in", path);
		goto fail;
	}
	static const struct cgroup_plan empty = {.memory_limit = -1};
	if (!plan)
		plan = &empty;
	if (h->backend->prepare) {
		r = h->backend->prepare(h, plan, err);
		if (r < 0)
			goto fail;
	}
	r = apply_plan(h, plan, false, err);
	if (r < 0)
		goto fail;
	*ret = TAKE_PTR(h);
	return 0;
fail:
	remove_created(h);
	return r;
}

int cgroup_open(const struct cgroup_env *env, const char *saved, struct cgroup_handle **ret, struct hull_error **err)
{
	_cleanup_(cgroup_handle_freep) struct cgroup_handle *h = handle_new(env);
	if (env->layout == CGROUP_LAYOUT_NONE || !saved || !*saved) {
		*ret = TAKE_PTR(h);
		return 0;
	}
	size_t cap = 0;
	for (size_t i = 0; i < env->n_hier; i++) {
		const struct cgroup_hierarchy *hier = &env->hier[i];
		if (!uses_hierarchy(env->layout, hier))
			continue;
		_cleanup_free_ char *key = hier->v2 ? xstrdup("") : strv_join(hier->controllers, ",");
		_cleanup_free_ char *cgpath = NULL;
		if (saved[0] == '/')
			cgpath = xstrdup(saved);
		else {
			/* one "<controllers>:<path>" line per hierarchy */
			size_t kl = strlen(key);
			for (const char *l = saved; l && *l;) {
				const char *nl = strchr(l, '\n');
				size_t len = nl ? (size_t)(nl - l) : strlen(l);
				if (len > kl && strncmp(l, key, kl) == 0 && l[kl] == ':' && l[kl + 1] == '/') {
					cgpath = xstrndup(l + kl + 1, len - kl - 1);
					break;
				}
				l = nl ? nl + 1 : NULL;
			}
			if (!cgpath)
				continue;
		}
		if (has_dotdot(cgpath))
			return hull_err(err, -EINVAL, "saved cgroup path %s contains \"..\"", cgpath);
		_cleanup_free_ char *rel = path_to_rel(hier, cgpath);
		if (!rel || !*rel)
			continue;
		_cleanup_close_ int root = cg_open_root(hier->mountpoint, hier->v2, NULL);
		if (root < 0)
			continue;
		int fd = cg_open_dir(root, rel);
		if (fd < 0)
			continue;
		struct cgroup_node *n = node_add(h, hier, &cap);
		n->path = TAKE_PTR(cgpath);
		n->rel = TAKE_PTR(rel);
		n->root_fd = TAKE_FD(root);
		n->fd = fd;
		if (hier->v2)
			h->unified = (int)h->n_nodes;
		h->n_nodes++;
	}
	if (h->n_nodes == 0)
		return hull_err(err, -ENOENT, "cgroup %.200s does not exist in any hierarchy", saved);
	*ret = TAKE_PTR(h);
	return 0;
}

char *cgroup_handle_save(const struct cgroup_handle *h)
{
	if (!h->n_nodes)
		return xstrdup("");
	bool same = true;
	for (size_t i = 1; i < h->n_nodes; i++)
		same = same && streq(h->nodes[i].path, h->nodes[0].path);
	if (same)
		return xstrdup(h->nodes[0].path);
	char *r = xstrdup("");
	for (size_t i = 0; i < h->n_nodes; i++) {
		char *n = xasprintf("%s%s%s:%s", r, i ? "\n" : "", h->nodes[i].key, h->nodes[i].path);
		free(r);
		r = n;
	}
	return r;
}

enum cgroup_layout cgroup_handle_layout(const struct cgroup_handle *h)
{
	return h->layout;
}

const char *cgroup_handle_path(const struct cgroup_handle *h)
{
	const struct cgroup_node *n = cg_main_node(h);
	return n ? n->path : NULL;
}

int cgroup_v2_fd(const struct cgroup_handle *h)
{
	const struct cgroup_node *u = cg_unified(h);
	return u ? u->fd : -1;
}

int cgroup_handle_mounts(const struct cgroup_handle *h, struct cgroup_mount_info **ret, size_t *ret_n)
{
	struct cgroup_mount_info *m = h->n_nodes ? xcalloc(h->n_nodes, sizeof(*m)) : NULL;
	for (size_t i = 0; i < h->n_nodes; i++) {
		const struct cgroup_node *n = &h->nodes[i];
		if (h->layout == CGROUP_LAYOUT_V2)
			m[i].name = xstrdup("");
		else {
			const char *slash = strrchr(n->mountpoint, '/');
			m[i].name = xstrdup(slash ? slash + 1 : n->mountpoint);
		}
		m[i].fstype = xstrdup(n->v2 ? "cgroup2" : "cgroup");
		if (n->v2)
			m[i].options = xstrdup("");
		else if (n->controllers[0] && !n->controllers[1] && strncmp(n->controllers[0], "name=", 5) == 0)
			m[i].options = xasprintf("none,%s", n->controllers[0]);
		else
			m[i].options = xstrdup(n->key);
		m[i].host_dir = cg_node_file_path(n, NULL);
	}
	*ret = m;
	*ret_n = h->n_nodes;
	return 0;
}

void cgroup_mount_info_free(struct cgroup_mount_info *m, size_t n)
{
	for (size_t i = 0; m && i < n; i++) {
		free(m[i].name);
		free(m[i].fstype);
		free(m[i].options);
		free(m[i].host_dir);
	}
	free(m);
}

/* ---- operations ---- */

int cgroup_enter(const struct cgroup_handle *h, pid_t pid, struct hull_error **err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	for (size_t i = 0; i < h->n_nodes; i++) {
		const struct cgroup_node *n = &h->nodes[i];
		int r = cg_write(n, "cgroup.procs", buf);
		if (r < 0) {
			_cleanup_free_ char *p = cg_node_file_path(n, "cgroup.procs");
			return hull_err_errno(err, r, "add pid %d to %s", (int)pid, p);
		}
	}
	return 0;
}

int cgroup_update(struct cgroup_handle *h, const struct cgroup_plan *plan, struct hull_error **err)
{
	if (h->layout == CGROUP_LAYOUT_NONE) {
		if (plan->n_writes)
			hull_warn(h->log, "cgroups are not available: the update is not applied");
		return 0;
	}
	if (plan->layout != h->layout)
		return hull_err(err, -EINVAL, "the cgroup plan was built for another layout");
	if (h->backend->prepare && plan->v2_controllers && h->layout == CGROUP_LAYOUT_HYBRID) {
		int r = h->backend->prepare(h, plan, err);
		if (r < 0)
			return r;
	}
	return apply_plan(h, plan, true, err);
}

int cgroup_freeze(const struct cgroup_handle *h, bool frozen, struct hull_error **err)
{
	return h->backend->freeze(h, frozen, err);
}

int cgroup_is_frozen(const struct cgroup_handle *h)
{
	return h->backend->is_frozen(h);
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
	return x < y ? -1 : x > y;
}

int cgroup_pids(const struct cgroup_handle *h, pid_t **ret, size_t *ret_n, struct hull_error **err)
{
	const struct cgroup_node *n = cg_main_node(h);
	if (!n)
		return hull_err(err, -EOPNOTSUPP, "the container has no cgroup to list processes from");
	pid_t *pids = NULL;
	size_t np = 0, cap = 0;
	int r = cg_collect_pids(n->fd, &pids, &np, &cap, 0);
	if (r < 0) {
		free(pids);
		_cleanup_free_ char *p = cg_node_file_path(n, "cgroup.procs");
		return hull_err_errno(err, r, "read %s", p);
	}
	if (np)
		qsort(pids, np, sizeof(pid_t), cmp_pid);
	size_t k = 0;
	for (size_t i = 0; i < np; i++)
		if (k == 0 || pids[k - 1] != pids[i])
			pids[k++] = pids[i];
	*ret = pids;
	*ret_n = k;
	return 0;
}

int cgroup_populated(const struct cgroup_handle *h)
{
	const struct cgroup_node *n = cg_main_node(h);
	if (!n)
		return 0;
	if (n->v2) {
		uint64_t v;
		if (cg_read_keyed(n, "cgroup.events", "populated", &v) >= 0)
			return v != 0;
	}
	pid_t *pids = NULL;
	size_t np = 0, cap = 0;
	int r = cg_collect_pids(n->fd, &pids, &np, &cap, 0);
	free(pids);
	return r < 0 ? r : np > 0;
}

int cg_kill_by_signal(const struct cgroup_handle *h, int sig, bool can_freeze, struct hull_error **err)
{
	const struct cgroup_node *n = cg_main_node(h);
	if (!n)
		return hull_err(err, -EOPNOTSUPP, "the container has no cgroup to find its processes in");
	bool frozen = false, was_frozen = false;
	if (can_freeze) {
		/* A paused container stays paused: the signal waits until it is resumed (the caller
		 * thaws it for SIGKILL). */
		was_frozen = h->backend->is_frozen(h) > 0;
		/* Frozen, the processes can neither fork nor exit: every pid read is one of ours. */
		int r = was_frozen ? 0 : h->backend->freeze(h, true, NULL);
		frozen = r >= 0;
	}
	pid_t *signalled = NULL;
	size_t n_signalled = 0, cap_signalled = 0;
	int r = 0;
	for (unsigned round = 0; round < (frozen ? 1u : 20u); round++) {
		pid_t *pids = NULL;
		size_t np = 0, cap = 0;
		r = cg_collect_pids(n->fd, &pids, &np, &cap, 0);
		if (r < 0) {
			free(pids);
			break;
		}
		bool any_new = false;
		for (size_t i = 0; i < np; i++) {
			bool seen = false;
			for (size_t j = 0; j < n_signalled && !seen; j++)
				seen = signalled[j] == pids[i];
			if (seen)
				continue;
			any_new = true;
			if (kill(pids[i], sig) < 0 && errno != ESRCH && r == 0)
				r = -errno;
			xgrow((void **)&signalled, &cap_signalled, n_signalled + 1, sizeof(pid_t));
			signalled[n_signalled++] = pids[i];
		}
		free(pids);
		if (!any_new)
			break;
		if (!frozen)
			cg_sleep_ms(5);
	}
	free(signalled);
	if (frozen && !was_frozen) {
		int k = h->backend->freeze(h, false, r < 0 ? NULL : err);
		if (k < 0 && r >= 0)
			return k;
	}
	if (r < 0) {
		_cleanup_free_ char *p = cg_node_file_path(n, NULL);
		return hull_err_errno(err, r, "signal the processes of %s", p);
	}
	return 0;
}

int cgroup_kill_all(const struct cgroup_handle *h, int sig, struct hull_error **err)
{
	return h->backend->kill(h, sig, err);
}

int cgroup_stats(const struct cgroup_handle *h, struct cgroup_stats *ret, struct hull_error **err)
{
	struct cgroup_stats s = {0};
	int r = h->backend->stats(h, &s, err);
	if (r < 0)
		return r;
	*ret = s;
	return 0;
}

int cgroup_destroy(struct cgroup_handle *h, struct hull_error **err)
{
	int ret = 0;
	for (size_t i = 0; i < h->n_nodes; i++) {
		struct cgroup_node *n = &h->nodes[i];
		int r = cg_remove_tree(n);
		if (r < 0 && ret == 0) {
			_cleanup_free_ char *p = cg_node_file_path(n, NULL);
			ret = hull_err_errno(err, r, "remove cgroup %s", p);
		}
	}
	return ret;
}
