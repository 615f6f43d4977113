/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sysctl.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "proc-util.h"

#define SYSCTL_KEY_MAX 256
#define SYSCTL_VALUE_MAX 4096
#define SYSCTL_COMPONENTS_MAX 32

static const char *const ipc_kernel_sysctls[] = {
    "msgmax", "msgmnb", "msgmni", "sem", "shmall", "shmmax", "shmmni", "shm_rmid_forced",
};

static bool key_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '/';
}

static bool value_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == ' ' || c == '\t' || c == '.' || c == ',' || c == ':' || c == '_' ||
	       c == '-' || c == '/';
}

/* 1 when the namespace file at path is the runtime's own namespace of that type, 0 if not. */
static int ns_is_ours(const char *path, enum oci_ns_type t)
{
	char own[64];
	snprintf(own, sizeof(own), "/proc/self/ns/%s", oci_ns_proc_name(t));
	struct stat a, b;
	if (stat(path, &a) < 0 || stat(own, &b) < 0)
		return -errno;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int require_ns(const struct oci_spec *spec, enum oci_ns_type t, const char *what, const char *key,
                      struct hull_error **err)
{
	const struct oci_namespace *ns = oci_spec_find_namespace(spec, t);
	if (!ns)
		return hull_err(err, -EPERM, "linux.sysctl[\"%s\"]: needs %s namespace: refusing to change the host's",
		                key, what);
	if (!ns->path)
		return 0;
	int r = ns_is_ours(ns->path, t);
	if (r < 0)
		return hull_err_errno(err, r, "linux.sysctl[\"%s\"]: checking namespace %s", key, ns->path);
	if (r > 0)
		return hull_err(
		    err, -EPERM,
		    "linux.sysctl[\"%s\"]: namespace %s is the runtime's own: refusing to change the host's", key,
		    ns->path);
	return 0;
}

/* Splits and checks the key; fills path ("sys/a/b/c") and returns the number of components, with
 * comp[i] pointing into buf (a modifiable copy of the key). */
static int parse_key(const char *key, char *buf, const char **comp, char **ret_path, struct hull_error **err)
{
	size_t len = strlen(key);
	if (len == 0)
		return hull_err(err, -EINVAL, "linux.sysctl[\"\"]: empty key");
	if (len > SYSCTL_KEY_MAX)
		return hull_err(err, -EINVAL, "linux.sysctl[\"%.32s...\"]: key longer than %d bytes", key,
		                SYSCTL_KEY_MAX);
	for (const char *p = key; *p; p++)
		if (!key_char_ok(*p))
			return hull_err(err, -EINVAL, "linux.sysctl[\"%s\"]: invalid character %#04x in key", key,
			                (unsigned)(unsigned char)*p);
	char sep = strchr(key, '/') ? '/' : '.';
	memcpy(buf, key, len + 1);

	int n = 0;
	char *p = buf;
	for (;;) {
		char *e = strchr(p, sep);
		if (e)
			*e = 0;
		if (!*p || streq(p, ".") || streq(p, ".."))
			return hull_err(err, -EINVAL, "linux.sysctl[\"%s\"]: empty, \".\" or \"..\" component in key",
			                key);
		if (n == SYSCTL_COMPONENTS_MAX)
			return hull_err(err, -EINVAL, "linux.sysctl[\"%s\"]: more than %d components", key,
			                SYSCTL_COMPONENTS_MAX);
		comp[n++] = p;
		if (!e)
			break;
		p = e + 1;
	}

	size_t plen = 4;
	for (int i = 0; i < n; i++)
		plen += strlen(comp[i]) + 1;
	char *path = xmalloc(plen);
	char *w = stpcpy(path, "sys");
	for (int i = 0; i < n; i++) {
		*w++ = '/';
		w = stpcpy(w, comp[i]);
	}
	*ret_path = path;
	return n;
}

static int check_allowed(const char *key, const char *const *comp, int n, const struct oci_spec *spec,
                         struct hull_error **err)
{
	if (streq(comp[0], "net") && n >= 2)
		return require_ns(spec, OCI_NS_NETWORK, "a network", key, err);
	if (streq(comp[0], "fs") && n == 3 && streq(comp[1], "mqueue"))
		return require_ns(spec, OCI_NS_IPC, "an ipc", key, err);
	if (streq(comp[0], "kernel") && n == 2) {
		for (size_t i = 0; i < ELEMENTSOF(ipc_kernel_sysctls); i++)
			if (streq(comp[1], ipc_kernel_sysctls[i]))
				return require_ns(spec, OCI_NS_IPC, "an ipc", key, err);
		if (streq(comp[1], "hostname") || streq(comp[1], "domainname"))
			return require_ns(spec, OCI_NS_UTS, "a uts", key, err);
	}
	return hull_err(err, -EPERM, "linux.sysctl[\"%s\"]: not namespaced: refusing to change the host", key);
}

static int check_value(const char *key, const char *value, struct hull_error **err)
{
	if (!value)
		return hull_err(err, -EINVAL, "linux.sysctl[\"%s\"]: missing value", key);
	size_t len = strlen(value);
	if (len > SYSCTL_VALUE_MAX)
		return hull_err(err, -EINVAL, "linux.sysctl[\"%s\"]: value longer than %d bytes", key,
		                SYSCTL_VALUE_MAX);
	for (const char *p = value; *p; p++) {
		if (*p == '\n' || *p == '\r')
			return hull_err(err, -EINVAL, "linux.sysctl[\"%s\"]: value contains a line break", key);
		if (!value_char_ok(*p)) {
			if (isprint((unsigned char)*p))
				return hull_err(err, -EINVAL, "linux.sysctl[\"%s\"]: value contains '%c': not allowed",
				                key, *p);
			return hull_err(err, -EINVAL,
			                "linux.sysctl[\"%s\"]: value contains character %#04x: not allowed", key,
			                (unsigned)(unsigned char)*p);
		}
	}
	return 0;
}

void sysctl_plan_done(struct sysctl_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->entries[i].key);
		free(p->entries[i].path);
		free(p->entries[i].value);
	}
	free(p->entries);
	p->entries = NULL;
	p->n = 0;
}

int sysctl_plan_build(const struct oci_kv *kv, size_t n, const struct oci_spec *spec, struct sysctl_plan *ret,
                      struct hull_error **err)
{
	_cleanup_(sysctl_plan_done) struct sysctl_plan p = {0};
	if (n > 0)
		p.entries = xcalloc(n, sizeof(*p.entries));
	for (size_t i = 0; i < n; i++) {
		const char *key = kv[i].key ? kv[i].key : "";
		char buf[SYSCTL_KEY_MAX + 1];
		const char *comp[SYSCTL_COMPONENTS_MAX];
		_cleanup_free_ char *path = NULL;
		int c = parse_key(key, buf, comp, &path, err);
		if (c < 0)
			return c;
		int r = check_allowed(key, comp, c, spec, err);
		if (r < 0)
			return r;
		r = check_value(key, kv[i].value, err);
		if (r < 0)
			return r;
		p.entries[p.n++] = (struct sysctl_entry){
		    .key = xstrdup(key),
		    .path = TAKE_PTR(path),
		    .value = xstrdup(kv[i].value),
		};
	}
	*ret = p;
	p = (struct sysctl_plan){0};
	return 0;
}

int sysctl_apply(int procfd, const struct sysctl_plan *p, struct hull_error **err)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct sysctl_entry *e = &p->entries[i];
		size_t len = strlen(e->value);
		/* The plan allows only sysctls of namespaces this child owns; the handle cannot be
		 * redirected by mounts inside the container. */
		int r = proc_write_at(procfd, e->path, len ? e->value : "\n", len ? len : 1);
		if (r < 0)
			return hull_err_errno(err, r, "linux.sysctl[\"%s\"]: write \"%s\" to /proc/%s", e->key,
			                      e->value, e->path);
	}
	return 0;
}
