/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.cgroupsPath -> the canonical cgroup path. Parent process, pure (no file access). */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "alloc.h"
#include "cgroup.h"

/* Appends the components of p to out ("/a/b"), dropping empty and "." ones. */
static int append_components(char **out, const char *p, const char *field, struct hull_error **err)
{
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return hull_err(err, -EINVAL, "%s: must not contain \"..\" components", field);
		if (len > NAME_MAX)
			return hull_err(err, -EINVAL, "%s: a component is longer than %d bytes", field, NAME_MAX);
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			char *n = xasprintf("%s/%.*s", *out, (int)len, p);
			free(*out);
			*out = n;
		}
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" -> "". */
static int expand_slice(const char *slice, char **out, struct hull_error **err)
{
	size_t len = strlen(slice);
	if (len < 6 || strcmp(slice + len - 6, ".slice") != 0 || strchr(slice, '/'))
		return hull_err(err, -EINVAL, "linux.cgroupsPath: \"%.64s\" is not a systemd slice name", slice);
	if (streq(slice, "-.slice"))
		return 0;
	size_t base = len - 6;
	if (slice[0] == '-' || slice[base - 1] == '-' || strstr(slice, "--"))
		return hull_err(err, -EINVAL, "linux.cgroupsPath: invalid slice name \"%.64s\"", slice);
	for (size_t i = 0; i <= base; i++)
		if (i == base || slice[i] == '-') {
			char *n = xasprintf("%s/%.*s.slice", *out, (int)i, slice);
			free(*out);
			*out = n;
		}
	return 0;
}

static int resolve_systemd(const struct cgroup_env *env, const char *p, const char *id, char **ret,
                           struct hull_error **err)
{
	if (!env->systemd_running)
		return hull_err(err, -ENOTSUP, "--systemd-cgroup: systemd is not running as PID 1");
	_cleanup_free_ char *slice = NULL, *prefix = NULL, *name = NULL;
	if (!p || !*p) {
		slice = xstrdup("system.slice");
		prefix = xstrdup("hull");
		name = xstrdup(id);
	} else {
		const char *c1 = strchr(p, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c1 || !c2 || strchr(c2 + 1, ':'))
			return hull_err(err, -EINVAL,
			                "linux.cgroupsPath: with --systemd-cgroup it must be \"slice:prefix:name\"");
		slice = c1 == p ? xstrdup("system.slice") : xstrndup(p, (size_t)(c1 - p));
		prefix = xstrndup(c1 + 1, (size_t)(c2 - c1 - 1));
		name = xstrdup(c2 + 1);
		if (!*name || strchr(prefix, '/') || strchr(name, '/') || streq(name, "..") || streq(name, "."))
			return hull_err(err, -EINVAL, "linux.cgroupsPath: invalid systemd unit name in \"%.64s\"", p);
	}
	_cleanup_free_ char *out = xstrdup("");
	int r = expand_slice(slice, &out, err);
	if (r < 0)
		return r;
	size_t nl = strlen(name);
	char *n;
	if (nl > 6 && streq(name + nl - 6, ".slice"))
		n = xasprintf("%s/%s", out, name);
	else if (*prefix)
		n = xasprintf("%s/%s-%s.scope", out, prefix, name);
	else
		n = xasprintf("%s/%s.scope", out, name);
	free(out);
	out = n;
	if (strchr(out, '\n') || strlen(strrchr(out, '/') + 1) > NAME_MAX)
		return hull_err(err, -EINVAL, "linux.cgroupsPath: invalid systemd unit name");
	hull_warn(env->log,
	          "--systemd-cgroup: hull has no D-Bus client; managing %s through cgroupfs directly, "
	          "systemd does not know this unit",
	          out);
	*ret = TAKE_PTR(out);
	return 0;
}

int cgroup_path_resolve(const struct cgroup_env *env, const char *cgroups_path, const char *id, bool systemd,
                        char **ret, struct hull_error **err)
{
	if (!id || !*id || strchr(id, '/') || strchr(id, '\n') || streq(id, ".") || streq(id, "..") ||
	    strlen(id) > NAME_MAX)
		return hull_err(err, -EINVAL, "invalid container id for a cgroup name");
	if (systemd)
		return resolve_systemd(env, cgroups_path, id, ret, err);
	if (!cgroups_path || !*cgroups_path) {
		*ret = xasprintf("/hull/%s", id);
		return 0;
	}
	if (strchr(cgroups_path, '\n'))
		return hull_err(err, -EINVAL, "linux.cgroupsPath: must not contain a newline");

	_cleanup_free_ char *out = xstrdup("");
	int r = append_components(&out, cgroups_path, "linux.cgroupsPath", err);
	if (r < 0)
		return r;
	if (!*out)
		return hull_err(err, -EINVAL, "linux.cgroupsPath: must name a cgroup below the %s",
		                cgroups_path[0] == '/' ? "hierarchy root" : "runtime's own cgroup");
	if (cgroups_path[0] == '/')
		*ret = TAKE_PTR(out);
	else
		*ret = xstrdup(out + 1); /* relative: "a/b" */
	return 0;
}
