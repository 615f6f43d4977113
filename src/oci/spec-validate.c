/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Semantic checks of a parsed config that need more than one field: namespaces against the
 * settings that depend on them, id mappings, duplicates, cross-field limits. The parser already
 * checked types, ranges and per-field formats. Parent only, pure data, before any side effect.
 *
 * Each rule is a small named function in the spec_checks table, in document order, so that a
 * linter can run and report them one by one. */
#include "spec.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* The kernel's limit on lines in uid_map/gid_map (since 4.15). */
#define IDMAP_MAX_ENTRIES 340
#define HOSTNAME_MAX 64 /* the kernel's __NEW_UTS_LEN */

static bool has_dotdot_component(const char *path)
{
	for (const char *c = path; c && *c;) {
		size_t n = strcspn(c, "/");
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return true;
		c += n;
		while (*c == '/')
			c++;
	}
	return false;
}

/* A single path component usable as a file name: not empty, ".", ".." and without "/". */
static bool valid_file_name(const char *s)
{
	return s && *s && !strchr(s, '/') && !streq(s, ".") && !streq(s, "..");
}

static const struct oci_namespace *new_or_joined(const struct oci_spec *spec, enum oci_ns_type t)
{
	return oci_spec_find_namespace(spec, t);
}

static bool id_mapped(const struct oci_idmap *m, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].container_id && (uint64_t)id < (uint64_t)m[i].container_id + m[i].size)
			return true;
	return false;
}

static bool ranges_overlap(uint32_t a, uint32_t an, uint32_t b, uint32_t bn)
{
	return (uint64_t)a < (uint64_t)b + bn && (uint64_t)b < (uint64_t)a + an;
}

/* One uid_map or gid_map as the kernel will accept it: at most 340 lines, no empty or wrapping
 * range, no overlap on either side. what is the JSON path of the array. */
static int check_idmap_list(const struct oci_idmap *m, size_t n, const char *what, struct hull_error **err)
{
	if (n > IDMAP_MAX_ENTRIES)
		return hull_err(err, -EINVAL, "%s: too many entries (%zu, the kernel accepts %d)", what, n,
		                IDMAP_MAX_ENTRIES);
	for (size_t i = 0; i < n; i++) {
		if (m[i].size == 0)
			return hull_err(err, -EINVAL, "%s[%zu].size: must be greater than zero", what, i);
		if ((uint64_t)m[i].container_id + m[i].size > UINT32_MAX)
			return hull_err(err, -EINVAL, "%s[%zu]: containerID + size exceeds %" PRIu32, what, i,
			                UINT32_MAX);
		if ((uint64_t)m[i].host_id + m[i].size > UINT32_MAX)
			return hull_err(err, -EINVAL, "%s[%zu]: hostID + size exceeds %" PRIu32, what, i, UINT32_MAX);
		for (size_t j = 0; j < i; j++) {
			if (ranges_overlap(m[i].container_id, m[i].size, m[j].container_id, m[j].size))
				return hull_err(err, -EINVAL, "%s[%zu]: container IDs overlap with %s[%zu]", what, i,
				                what, j);
			if (ranges_overlap(m[i].host_id, m[i].size, m[j].host_id, m[j].size))
				return hull_err(err, -EINVAL, "%s[%zu]: host IDs overlap with %s[%zu]", what, i, what,
				                j);
		}
	}
	return 0;
}

/* "1.2.0", "1.0.2-dev", "1.1.0-rc.1+build": SemVer with major version 1. */
static int check_oci_version(const struct oci_spec *spec, struct hull_error **err)
{
	const char *v = spec->oci_version;
	if (!v)
		return hull_err(err, -EINVAL, "ociVersion: required");
	const char *c = v;
	unsigned long parts[3];
	bool ok = true;
	for (int i = 0; i < 3 && ok; i++) {
		size_t n = strspn(c, "0123456789");
		if (n == 0 || n > 9 || (n > 1 && c[0] == '0')) {
			ok = false;
			break;
		}
		parts[i] = strtoul(c, NULL, 10);
		c += n;
		if (i < 2) {
			if (*c != '.')
				ok = false;
			else
				c++;
		}
	}
	if (ok && *c == '-') {
		c++;
		size_t n = strspn(c, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-");
		ok = n > 0;
		c += n;
	}
	if (ok && *c == '+') {
		c++;
		size_t n = strspn(c, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-");
		ok = n > 0;
		c += n;
	}
	if (!ok || *c) {
		_cleanup_free_ char *q = oci_quote_value(v);
		return hull_err(err, -EINVAL, "ociVersion: invalid version %s (expected MAJOR.MINOR.PATCH)", q);
	}
	if (parts[0] != 1) {
		_cleanup_free_ char *q = oci_quote_value(v);
		return hull_err(err, -EINVAL, "ociVersion: unsupported version %s (hull implements runtime-spec 1.x)",
		                q);
	}
	return 0;
}

static int check_root(const struct oci_spec *spec, struct hull_error **err)
{
	if (!spec->root)
		return hull_err(err, -EINVAL, "root: required");
	if (!spec->root->path || !*spec->root->path)
		return hull_err(err, -EINVAL, "root.path: must not be empty");
	return 0;
}

static bool strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

static int check_mounts(const struct oci_spec *spec, struct hull_error **err)
{
	bool userns = new_or_joined(spec, OCI_NS_USER) != NULL;
	for (size_t i = 0; i < spec->n_mounts; i++) {
		const struct oci_mount *m = &spec->mounts[i];
		if (!m->destination || m->destination[0] != '/')
			return hull_err(err, -EINVAL, "mounts[%zu].destination: must be an absolute path", i);
		if (has_dotdot_component(m->destination))
			return hull_err(err, -EINVAL, "mounts[%zu].destination: must not contain \"..\" components", i);
		if ((m->n_uid_mappings > 0) != (m->n_gid_mappings > 0))
			return hull_err(err, -EINVAL, "mounts[%zu]: uidMappings and gidMappings must be given together",
			                i);
		char what[64];
		snprintf(what, sizeof(what), "mounts[%zu].uidMappings", i);
		int r = check_idmap_list(m->uid_mappings, m->n_uid_mappings, what, err);
		if (r < 0)
			return r;
		snprintf(what, sizeof(what), "mounts[%zu].gidMappings", i);
		r = check_idmap_list(m->gid_mappings, m->n_gid_mappings, what, err);
		if (r < 0)
			return r;
		bool idmap_opt = strv_contains(m->options, "idmap") || strv_contains(m->options, "ridmap");
		if (idmap_opt && m->n_uid_mappings == 0 && !userns)
			return hull_err(err, -EINVAL,
			                "mounts[%zu].options: \"idmap\" needs uidMappings and gidMappings or a user "
			                "namespace",
			                i);
	}
	return 0;
}

static int check_process(const struct oci_spec *spec, struct hull_error **err)
{
	if (!spec->process)
		return 0; /* optional until start: create checks it */
	return oci_process_validate(spec->process, "process", err);
}

static int check_hooks(const struct oci_spec *spec, struct hull_error **err)
{
	for (size_t k = 0; k < _OCI_HOOK_MAX; k++)
		for (size_t i = 0; i < spec->hooks.n_hooks[k]; i++) {
			const struct oci_hook *h = &spec->hooks.hooks[k][i];
			if (!h->path || h->path[0] != '/')
				return hull_err(err, -EINVAL, "hooks.%s[%zu].path: must be an absolute path",
				                oci_hook_kind_to_string((enum oci_hook_kind)k), i);
			if (h->has_timeout && h->timeout <= 0)
				return hull_err(err, -EINVAL, "hooks.%s[%zu].timeout: must be greater than zero",
				                oci_hook_kind_to_string((enum oci_hook_kind)k), i);
		}
	return 0;
}

static int check_annotations(const struct oci_spec *spec, struct hull_error **err)
{
	for (size_t i = 0; i < spec->n_annotations; i++)
		if (!spec->annotations[i].key || !*spec->annotations[i].key)
			return hull_err(err, -EINVAL, "annotations: keys must not be empty");
	return 0;
}

static int check_namespaces(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_linux *l = spec->linux_;
	if (!l)
		return 0;
	for (size_t i = 0; i < l->n_namespaces; i++) {
		const struct oci_namespace *ns = &l->namespaces[i];
		if ((unsigned)ns->type >= _OCI_NS_MAX)
			return hull_err(err, -EINVAL, "linux.namespaces[%zu].type: unknown namespace type", i);
		if (ns->path && ns->path[0] != '/')
			return hull_err(err, -EINVAL, "linux.namespaces[%zu].path: must be an absolute path", i);
		for (size_t j = 0; j < i; j++)
			if (l->namespaces[j].type == ns->type)
				return hull_err(err, -EINVAL,
				                "linux.namespaces[%zu].type: duplicate namespace type \"%s\"", i,
				                oci_ns_type_to_string(ns->type));
	}
	return 0;
}

static int check_user_namespace(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_namespace *userns = new_or_joined(spec, OCI_NS_USER);
	size_t nu = spec->linux_ ? spec->linux_->n_uid_mappings : 0;
	size_t ng = spec->linux_ ? spec->linux_->n_gid_mappings : 0;

	if (!userns) {
		if (nu > 0)
			return hull_err(err, -EINVAL,
			                "linux.uidMappings: given without a user namespace in linux.namespaces");
		if (ng > 0)
			return hull_err(err, -EINVAL,
			                "linux.gidMappings: given without a user namespace in linux.namespaces");
		return 0;
	}
	if (userns->path)
		return 0; /* joining: the namespace already has its mappings */
	if (nu == 0)
		return hull_err(err, -EINVAL, "linux.uidMappings: required with a new user namespace");
	if (ng == 0)
		return hull_err(err, -EINVAL, "linux.gidMappings: required with a new user namespace");
	return 0;
}

static int check_id_mappings(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_linux *l = spec->linux_;
	if (!l)
		return 0;
	int r = check_idmap_list(l->uid_mappings, l->n_uid_mappings, "linux.uidMappings", err);
	if (r < 0)
		return r;
	return check_idmap_list(l->gid_mappings, l->n_gid_mappings, "linux.gidMappings", err);
}

/* With a new user namespace, the process must run as ids the namespace maps, or setresuid
 * fails after the container is half set up. */
static int check_process_ids_mapped(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_namespace *userns = new_or_joined(spec, OCI_NS_USER);
	const struct oci_linux *l = spec->linux_;
	if (!userns || userns->path || !spec->process || !l)
		return 0;
	const struct oci_user *u = &spec->process->user;
	if (l->n_uid_mappings > 0 && !id_mapped(l->uid_mappings, l->n_uid_mappings, u->uid))
		return hull_err(err, -EINVAL, "process.user.uid: %" PRIu32 " is not mapped by linux.uidMappings",
		                (uint32_t)u->uid);
	if (l->n_gid_mappings > 0 && !id_mapped(l->gid_mappings, l->n_gid_mappings, u->gid))
		return hull_err(err, -EINVAL, "process.user.gid: %" PRIu32 " is not mapped by linux.gidMappings",
		                (uint32_t)u->gid);
	return 0;
}

static int check_time_namespace(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_linux *l = spec->linux_;
	if (!l || (!l->has_time_offsets[0] && !l->has_time_offsets[1]))
		return 0;
	const struct oci_namespace *ns = new_or_joined(spec, OCI_NS_TIME);
	if (!ns)
		return hull_err(err, -EINVAL, "linux.timeOffsets: needs a new time namespace in linux.namespaces");
	if (ns->path)
		return hull_err(err, -EINVAL,
		                "linux.timeOffsets: cannot be set when joining an existing time namespace");
	return 0;
}

/* Setting a hostname without our own UTS namespace would rename the host (runc refuses too). */
static int check_uts(const struct oci_spec *spec, struct hull_error **err)
{
	bool uts = new_or_joined(spec, OCI_NS_UTS) != NULL;
	if (spec->hostname && *spec->hostname) {
		if (!uts)
			return hull_err(err, -EINVAL, "hostname: needs a UTS namespace in linux.namespaces");
		if (strlen(spec->hostname) > HOSTNAME_MAX)
			return hull_err(err, -EINVAL, "hostname: longer than %d bytes", HOSTNAME_MAX);
	}
	if (spec->domainname && *spec->domainname) {
		if (!uts)
			return hull_err(err, -EINVAL, "domainname: needs a UTS namespace in linux.namespaces");
		if (strlen(spec->domainname) > HOSTNAME_MAX)
			return hull_err(err, -EINVAL, "domainname: longer than %d bytes", HOSTNAME_MAX);
	}
	return 0;
}

static int check_devices(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_linux *l = spec->linux_;
	for (size_t i = 0; l && i < l->n_devices; i++) {
		const struct oci_device *d = &l->devices[i];
		if (!d->path || d->path[0] != '/')
			return hull_err(err, -EINVAL, "linux.devices[%zu].path: must be an absolute path", i);
		if (has_dotdot_component(d->path))
			return hull_err(err, -EINVAL, "linux.devices[%zu].path: must not contain \"..\" components", i);
		switch (d->type) {
		case 'c':
		case 'b':
		case 'u':
			if (!d->has_major)
				return hull_err(err, -EINVAL, "linux.devices[%zu].major: required for type '%c'", i,
				                d->type);
			if (!d->has_minor)
				return hull_err(err, -EINVAL, "linux.devices[%zu].minor: required for type '%c'", i,
				                d->type);
			break;
		case 'p':
			if ((d->has_major && d->major != 0) || (d->has_minor && d->minor != 0))
				return hull_err(err, -EINVAL,
				                "linux.devices[%zu]: a FIFO (type 'p') has no major/minor numbers", i);
			break;
		default:
			return hull_err(err, -EINVAL, "linux.devices[%zu].type: unknown device type", i);
		}
	}
	return 0;
}

static int check_cgroups_path(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_linux *l = spec->linux_;
	if (l && l->cgroups_path && has_dotdot_component(l->cgroups_path))
		return hull_err(err, -EINVAL, "linux.cgroupsPath: must not contain \"..\" components");
	return 0;
}

static int check_resources(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_resources *r = spec->linux_ ? spec->linux_->resources : NULL;
	if (!r)
		return 0;
	if (r->cpu && r->cpu->burst.set && r->cpu->quota.set && r->cpu->quota.v > 0 &&
	    r->cpu->burst.v > (uint64_t)r->cpu->quota.v)
		return hull_err(err, -EINVAL, "linux.resources.cpu.burst: must not exceed quota");
	for (size_t i = 0; i < r->n_unified; i++)
		if (!valid_file_name(r->unified[i].key)) {
			_cleanup_free_ char *q = oci_quote_value(r->unified[i].key);
			return hull_err(err, -EINVAL, "linux.resources.unified[%s]: invalid cgroup file name", q);
		}
	return 0;
}

/* Keys are dotted names ("net.ipv4.ip_forward") that become paths under /proc/sys. */
static int check_sysctl(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_linux *l = spec->linux_;
	for (size_t i = 0; l && i < l->n_sysctl; i++) {
		const char *k = l->sysctl[i].key;
		if (!k || !*k)
			return hull_err(err, -EINVAL, "linux.sysctl: keys must not be empty");
		_cleanup_free_ char *q = oci_quote_value(k);
		if (strchr(k, '/'))
			return hull_err(err, -EINVAL, "linux.sysctl[%s]: must not contain \"/\"", q);
		if (k[0] == '.' || k[strlen(k) - 1] == '.' || strstr(k, ".."))
			return hull_err(err, -EINVAL, "linux.sysctl[%s]: invalid name (empty component)", q);
	}
	return 0;
}

static bool errno_action(enum oci_seccomp_action a)
{
	return a == OCI_SECCOMP_ERRNO || a == OCI_SECCOMP_TRACE;
}

static int check_seccomp(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_seccomp *s = spec->linux_ ? spec->linux_->seccomp : NULL;
	if (!s)
		return 0;
	if (s->default_action == OCI_SECCOMP_NOTIFY)
		return hull_err(err, -EINVAL,
		                "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
	if (s->has_default_errno_ret && !errno_action(s->default_action))
		return hull_err(err, -EINVAL,
		                "linux.seccomp.defaultErrnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
	if (s->listener_metadata && *s->listener_metadata && !(s->listener_path && *s->listener_path))
		return hull_err(err, -EINVAL, "linux.seccomp.listenerMetadata: needs linux.seccomp.listenerPath");
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct oci_seccomp_syscall *sc = &s->syscalls[i];
		if (sc->has_errno_ret && !errno_action(sc->action))
			return hull_err(err, -EINVAL,
			                "linux.seccomp.syscalls[%zu].errnoRet: only valid with SCMP_ACT_ERRNO or "
			                "SCMP_ACT_TRACE",
			                i);
		if (sc->action == OCI_SECCOMP_NOTIFY && !(s->listener_path && *s->listener_path))
			return hull_err(err, -EINVAL,
			                "linux.seccomp.syscalls[%zu].action: SCMP_ACT_NOTIFY needs "
			                "linux.seccomp.listenerPath",
			                i);
		if (!sc->names || !sc->names[0])
			return hull_err(err, -EINVAL, "linux.seccomp.syscalls[%zu].names: must not be empty", i);
		for (size_t j = 0; j < sc->n_args; j++)
			if (sc->args[j].index > 5)
				return hull_err(err, -EINVAL,
				                "linux.seccomp.syscalls[%zu].args[%zu].index: must be at most 5", i, j);
	}
	return 0;
}

static int check_paths_absolute(char *const *v, const char *what, struct hull_error **err)
{
	for (size_t i = 0; v && v[i]; i++)
		if (v[i][0] != '/')
			return hull_err(err, -EINVAL, "%s[%zu]: must be an absolute path", what, i);
	return 0;
}

static int check_masked_readonly(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_linux *l = spec->linux_;
	if (!l)
		return 0;
	int r = check_paths_absolute(l->masked_paths, "linux.maskedPaths", err);
	if (r < 0)
		return r;
	return check_paths_absolute(l->readonly_paths, "linux.readonlyPaths", err);
}

static int check_intel_rdt(const struct oci_spec *spec, struct hull_error **err)
{
	const struct oci_intel_rdt *rdt = spec->linux_ ? spec->linux_->intel_rdt : NULL;
	if (!rdt)
		return 0;
	/* closID names a directory under /sys/fs/resctrl. */
	if (rdt->clos_id && *rdt->clos_id && !valid_file_name(rdt->clos_id))
		return hull_err(err, -EINVAL, "linux.intelRdt.closID: must be a plain directory name");
	if (rdt->mem_bw_schema && *rdt->mem_bw_schema &&
	    (strncmp(rdt->mem_bw_schema, "MB:", 3) != 0 || strchr(rdt->mem_bw_schema, '\n')))
		return hull_err(err, -EINVAL, "linux.intelRdt.memBwSchema: must start with \"MB:\" and be one line");
	return 0;
}

static const struct spec_check {
	const char *name;
	int (*fn)(const struct oci_spec *spec, struct hull_error **err);
} spec_checks[] = {
    {"oci-version", check_oci_version},
    {"root", check_root},
    {"mounts", check_mounts},
    {"process", check_process},
    {"hooks", check_hooks},
    {"annotations", check_annotations},
    {"namespaces", check_namespaces},
    {"user-namespace", check_user_namespace},
    {"id-mappings", check_id_mappings},
    {"process-ids-mapped", check_process_ids_mapped},
    {"time-namespace", check_time_namespace},
    {"uts-namespace", check_uts},
    {"devices", check_devices},
    {"cgroups-path", check_cgroups_path},
    {"resources", check_resources},
    {"sysctl", check_sysctl},
    {"seccomp", check_seccomp},
    {"masked-readonly-paths", check_masked_readonly},
    {"intel-rdt", check_intel_rdt},
};

int oci_spec_validate(const struct oci_spec *spec, struct hull_error **err)
{
	if (!spec)
		return hull_err(err, -EINVAL, "no configuration");
	for (size_t i = 0; i < ELEMENTSOF(spec_checks); i++) {
		int r = spec_checks[i].fn(spec, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- process ------------------------------------------------------------------------------- */

static int check_scheduler(const struct oci_scheduler *s, const char *path, const char *sep, struct hull_error **err)
{
	bool rt = s->policy == SCHED_FIFO || s->policy == SCHED_RR;
	if (rt && (s->priority < 1 || s->priority > 99))
		return hull_err(err, -EINVAL, "%s%sscheduler.priority: must be between 1 and 99 for %s", path, sep,
		                oci_sched_policy_to_string(s->policy));
	if (!rt && s->priority != 0)
		return hull_err(err, -EINVAL,
		                "%s%sscheduler.priority: must be 0 unless the policy is SCHED_FIFO or SCHED_RR", path,
		                sep);
	if (s->policy != SCHED_DEADLINE && (s->runtime || s->deadline || s->period))
		return hull_err(err, -EINVAL, "%s%sscheduler: runtime, deadline and period need SCHED_DEADLINE", path,
		                sep);
	if (s->nice < -20 || s->nice > 19)
		return hull_err(err, -EINVAL, "%s%sscheduler.nice: must be between -20 and 19", path, sep);
	return 0;
}

int oci_process_validate(const struct oci_process *p, const char *path, struct hull_error **err)
{
	if (!path)
		path = "";
	const char *sep = *path ? "." : "";
	if (!p)
		return hull_err(err, -EINVAL, "%s: required", *path ? path : "process");

	if (!p->command_line) {
		if (!p->args)
			return hull_err(err, -EINVAL, "%s%sargs: required", path, sep);
		if (!p->args[0])
			return hull_err(err, -EINVAL, "%s%sargs: must not be empty", path, sep);
	}
	if (!p->cwd)
		return hull_err(err, -EINVAL, "%s%scwd: required", path, sep);
	if (p->cwd[0] != '/')
		return hull_err(err, -EINVAL, "%s%scwd: must be an absolute path", path, sep);

	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct oci_rlimit *rl = &p->rlimits[i];
		for (size_t j = 0; j < i; j++)
			if (p->rlimits[j].resource == rl->resource) {
				_cleanup_free_ char *q = oci_quote_value(oci_rlimit_to_string(rl->resource));
				return hull_err(err, -EINVAL, "%s%srlimits[%zu].type: duplicate rlimit %s", path, sep,
				                i, q);
			}
		if (rl->soft > rl->hard)
			return hull_err(err, -EINVAL,
			                "%s%srlimits[%zu]: soft limit %" PRIu64 " exceeds hard limit %" PRIu64, path,
			                sep, i, rl->soft, rl->hard);
	}
	if (p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
		return hull_err(err, -EINVAL, "%s%soomScoreAdj: must be between -1000 and 1000", path, sep);
	if (p->io_priority && (p->io_priority->priority < 0 || p->io_priority->priority > 7))
		return hull_err(err, -EINVAL, "%s%sioPriority.priority: must be between 0 and 7", path, sep);
	if (p->scheduler) {
		int r = check_scheduler(p->scheduler, path, sep, err);
		if (r < 0)
			return r;
	}
	return 0;
}
