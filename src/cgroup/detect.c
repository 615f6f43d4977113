/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Layout detection from mountinfo and /proc/self/cgroup. Parent process, any privilege; reads
 * only. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup.h"
#include "fd-util.h"

static const struct {
	const char *v1, *v2;
} controller_names[_CGROUP_CTRL_MAX] = {
    [CGROUP_CTRL_CPU] = {"cpu", "cpu"},
    [CGROUP_CTRL_CPUACCT] = {"cpuacct", NULL},
    [CGROUP_CTRL_CPUSET] = {"cpuset", "cpuset"},
    [CGROUP_CTRL_MEMORY] = {"memory", "memory"},
    [CGROUP_CTRL_DEVICES] = {"devices", NULL},
    [CGROUP_CTRL_FREEZER] = {"freezer", NULL},
    [CGROUP_CTRL_IO] = {"blkio", "io"},
    [CGROUP_CTRL_PIDS] = {"pids", "pids"},
    [CGROUP_CTRL_HUGETLB] = {"hugetlb", "hugetlb"},
    [CGROUP_CTRL_NET_CLS] = {"net_cls", NULL},
    [CGROUP_CTRL_NET_PRIO] = {"net_prio", NULL},
    [CGROUP_CTRL_RDMA] = {"rdma", "rdma"},
    [CGROUP_CTRL_MISC] = {"misc", "misc"},
    [CGROUP_CTRL_PERF_EVENT] = {"perf_event", "perf_event"},
    [CGROUP_CTRL_CORE] = {NULL, "cgroup"},
};

const char *cgroup_controller_name(enum cgroup_controller c, bool v2)
{
	if ((unsigned)c >= _CGROUP_CTRL_MAX)
		return NULL;
	return v2 ? controller_names[c].v2 : controller_names[c].v1;
}

int cgroup_controller_from_name(const char *name, bool v2)
{
	for (int c = 0; c < _CGROUP_CTRL_MAX; c++) {
		const char *n = v2 ? controller_names[c].v2 : controller_names[c].v1;
		if (n && streq(n, name))
			return c;
	}
	return -EINVAL;
}

const char *cgroup_layout_to_string(enum cgroup_layout l)
{
	switch (l) {
	case CGROUP_LAYOUT_V2:
		return "v2";
	case CGROUP_LAYOUT_V1:
		return "v1";
	case CGROUP_LAYOUT_HYBRID:
		return "hybrid";
	case CGROUP_LAYOUT_NONE:
		return "none";
	}
	return "unknown";
}

static bool strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

/* Splits s at sep into a new vector, dropping empty items. */
static char **split(const char *s, char sep)
{
	char **v = xcalloc(1, sizeof(char *));
	while (*s) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len > 0)
			strv_push(&v, xstrndup(s, len));
		if (!e)
			break;
		s = e + 1;
	}
	return v;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static char *unescape(const char *s)
{
	char *r = xmalloc(strlen(s) + 1), *o = r;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else
			*o++ = *s++;
	}
	*o = 0;
	return r;
}

struct mount_entry {
	bool v2;
	char *root, *mountpoint;
	char **opts; /* per-mount options */
	char **super; /* super options */
};

static void mount_entries_free(struct mount_entry *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].root);
		free(m[i].mountpoint);
		strv_free(m[i].opts);
		strv_free(m[i].super);
	}
	free(m);
}

static int parse_mountinfo(const char *path, struct mount_entry **ret, size_t *ret_n, struct hull_error **err)
{
	_cleanup_free_ char *text = NULL;
	int r = read_file_at(AT_FDCWD, path, 16 << 20, &text, NULL);
	if (r < 0)
		return hull_err_errno(err, r, "read %s", path);

	struct mount_entry *m = NULL;
	size_t n = 0, cap = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* id parent maj:min root mountpoint opts [optional...] - fstype source super */
		char *f[6] = {0};
		char *p = line, *tok;
		size_t k = 0;
		while (k < 6 && (tok = strsep(&p, " ")))
			f[k++] = tok;
		if (k < 6 || !p)
			continue;
		char *dash = strstr(p, "- ");
		if (dash != p && !(dash = strstr(p, " - ")))
			continue;
		char *rest = dash == p ? p + 2 : dash + 3;
		char *fstype = strsep(&rest, " ");
		char *source = rest ? strsep(&rest, " ") : NULL;
		char *super = rest;
		if (!fstype || !source || !super)
			continue;
		bool v2 = streq(fstype, "cgroup2");
		if (!v2 && !streq(fstype, "cgroup"))
			continue;
		xgrow((void **)&m, &cap, n + 1, sizeof(*m));
		m[n].v2 = v2;
		m[n].root = unescape(f[3]);
		m[n].mountpoint = unescape(f[4]);
		m[n].opts = split(f[5], ',');
		m[n].super = split(super, ',');
		n++;
	}
	*ret = m;
	*ret_n = n;
	return 0;
}

/* Whether cgroup path p lies at or under the mounted root. */
static bool path_under(const char *p, const char *root)
{
	if (streq(root, "/"))
		return true;
	size_t l = strlen(root);
	return strncmp(p, root, l) == 0 && (p[l] == 0 || p[l] == '/');
}

/* Picks the best mount among candidates: the whole hierarchy ("/") first, else one whose root
 * holds our own cgroup, else the first. */
static int pick_mount(const struct mount_entry *m, size_t n, bool v2, char **ctrls, const char *own)
{
	int best = -1, score = -1;
	for (size_t i = 0; i < n; i++) {
		if (m[i].v2 != v2)
			continue;
		if (!v2) {
			bool all = ctrls[0] != NULL;
			for (size_t j = 0; all && ctrls[j]; j++)
				all = strv_contains(m[i].super, ctrls[j]);
			if (!all)
				continue;
		}
		int s = streq(m[i].root, "/") ? 2 : path_under(own, m[i].root) ? 1 : 0;
		if (s > score) {
			best = (int)i;
			score = s;
		}
	}
	return best;
}

void cgroup_env_done(struct cgroup_env *env)
{
	if (!env)
		return;
	for (size_t i = 0; i < env->n_hier; i++) {
		free(env->hier[i].mountpoint);
		free(env->hier[i].mount_root);
		strv_free(env->hier[i].controllers);
		free(env->hier[i].own_path);
	}
	free(env->hier);
	*env = (struct cgroup_env){.unified = -1};
}

int cgroup_detect_at(const char *mountinfo_path, const char *proc_cgroup_path, const char *fs_prefix,
                     struct cgroup_env *ret, struct hull_error **err)
{
	if (!mountinfo_path)
		mountinfo_path = "/proc/self/mountinfo";
	if (!proc_cgroup_path)
		proc_cgroup_path = "/proc/self/cgroup";
	if (!fs_prefix)
		fs_prefix = "";

	struct mount_entry *mounts = NULL;
	size_t n_mounts = 0;
	int r = parse_mountinfo(mountinfo_path, &mounts, &n_mounts, err);
	if (r < 0)
		return r;

	_cleanup_free_ char *text = NULL;
	r = read_file_at(AT_FDCWD, proc_cgroup_path, 1 << 20, &text, NULL);
	if (r < 0) {
		mount_entries_free(mounts, n_mounts);
		return hull_err_errno(err, r, "read %s", proc_cgroup_path);
	}

	struct cgroup_env env = {.unified = -1};
	size_t cap = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2 || c2[1] != '/') {
			cgroup_env_done(&env);
			mount_entries_free(mounts, n_mounts);
			return hull_err(err, -EINVAL, "%s: malformed line \"%.64s\"", proc_cgroup_path, line);
		}
		*c1 = *c2 = 0;
		char *end;
		long id = strtol(line, &end, 10);
		if (*end || id < 0) {
			cgroup_env_done(&env);
			mount_entries_free(mounts, n_mounts);
			return hull_err(err, -EINVAL, "%s: malformed hierarchy id \"%.16s\"", proc_cgroup_path, line);
		}
		bool v2 = id == 0 && c1[1] == 0;
		const char *own = c2 + 1;
		_cleanup_strv_free_ char **ctrls = split(c1 + 1, ',');
		if (!v2 && !ctrls[0])
			continue; /* a v1 hierarchy without controllers or name: nothing to use */
		int mi = pick_mount(mounts, n_mounts, v2, ctrls, own);
		if (mi < 0)
			continue; /* not mounted (here) */
		const struct mount_entry *m = &mounts[mi];
		if (v2 && env.unified >= 0)
			continue;
		xgrow((void **)&env.hier, &cap, env.n_hier + 1, sizeof(*env.hier));
		struct cgroup_hierarchy *h = &env.hier[env.n_hier];
		h->v2 = v2;
		h->id = (int)id;
		h->mountpoint = xstrdup(m->mountpoint);
		h->mount_root = xstrdup(m->root);
		h->own_path = xstrdup(own);
		/* " (deleted)" is appended when our cgroup was removed under us. */
		size_t ol = strlen(h->own_path);
		if (ol > 10 && streq(h->own_path + ol - 10, " (deleted)"))
			h->own_path[ol - 10] = 0;
		h->read_only = strv_contains(m->opts, "ro") || strv_contains(m->super, "ro");
		if (v2) {
			_cleanup_free_ char *file = xasprintf("%s%s/cgroup.controllers", fs_prefix, m->mountpoint);
			_cleanup_free_ char *list = NULL;
			if (read_file_at(AT_FDCWD, file, 4096, &list, NULL) >= 0) {
				char *nl = strchr(list, '\n');
				if (nl)
					*nl = 0;
				h->controllers = split(list, ' ');
			} else
				h->controllers = xcalloc(1, sizeof(char *));
			env.unified = (int)env.n_hier;
		} else
			h->controllers = TAKE_PTR(ctrls);
		env.n_hier++;
	}
	mount_entries_free(mounts, n_mounts);

	size_t v1_ctrl = 0, writable = 0;
	for (size_t i = 0; i < env.n_hier; i++) {
		const struct cgroup_hierarchy *h = &env.hier[i];
		bool real = false;
		for (size_t j = 0; !h->v2 && h->controllers[j]; j++)
			if (strncmp(h->controllers[j], "name=", 5) != 0)
				real = true;
		if (real)
			v1_ctrl++;
		if (!h->read_only && (real || h->v2))
			writable++;
	}
	if (writable == 0)
		env.layout = CGROUP_LAYOUT_NONE;
	else if (v1_ctrl == 0)
		env.layout = env.unified >= 0 ? CGROUP_LAYOUT_V2 : CGROUP_LAYOUT_NONE;
	else
		env.layout = env.unified >= 0 ? CGROUP_LAYOUT_HYBRID : CGROUP_LAYOUT_V1;

	_cleanup_free_ char *sd = xasprintf("%s/run/systemd/system", fs_prefix);
	env.systemd_running = access(sd, F_OK) == 0;
	*ret = env;
	return 0;
}

int cgroup_detect(const char *mountinfo_path, const char *proc_cgroup_path, struct cgroup_env *ret,
                  struct hull_error **err)
{
	return cgroup_detect_at(mountinfo_path, proc_cgroup_path, NULL, ret, err);
}

const struct cgroup_hierarchy *cgroup_env_find(const struct cgroup_env *env, enum cgroup_controller c)
{
	if (env->layout == CGROUP_LAYOUT_NONE)
		return NULL;
	const char *v1 = cgroup_controller_name(c, false), *v2 = cgroup_controller_name(c, true);
	if (env->layout != CGROUP_LAYOUT_V2 && v1)
		for (size_t i = 0; i < env->n_hier; i++)
			if (!env->hier[i].v2 && strv_contains(env->hier[i].controllers, v1))
				return &env->hier[i];
	if (env->unified < 0 || !v2)
		return NULL;
	const struct cgroup_hierarchy *u = &env->hier[env->unified];
	if (c == CGROUP_CTRL_CORE || strv_contains(u->controllers, v2))
		return u;
	return NULL;
}
