/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `hull spec`: the hardened default config and the flags that adjust it. CLI process,
 * unprivileged. */
#include "spec-cmd.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "caps.h"
#include "seccomp-cmd.h"
#include "seccomp-docker.h"
#include "state-json.h"
#include "userns-helpers.h"

/* Highest capability number caps_name() knows. */
#define CAP_NAMES_MAX 63

/* linux.resources.pids.limit of the hardened default. */
#define SPEC_PIDS_LIMIT 1024

static char *const default_caps[] = {
    (char *)"CAP_AUDIT_WRITE",
    (char *)"CAP_KILL",
    (char *)"CAP_NET_BIND_SERVICE",
    NULL,
};

char *const *spec_default_caps(void)
{
	return default_caps;
}

/* ---- capabilities ------------------------------------------------------------------------------ */

int spec_cap_parse(const char *name, const char *flag, int *ret_cap, struct hull_error **err)
{
	if (!name || !*name)
		return hull_err(err, -EINVAL, "empty capability name in %s", flag);
	if (strcasecmp(name, "ALL") == 0) {
		*ret_cap = -1;
		return 0;
	}
	bool prefixed = strncasecmp(name, "CAP_", 4) == 0;
	_cleanup_free_ char *up = xasprintf("%s%s", prefixed ? "" : "CAP_", name);
	for (char *p = up; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	for (unsigned c = 0; c <= CAP_NAMES_MAX; c++) {
		const char *n = caps_name(c);
		if (n && streq(n, up)) {
			*ret_cap = (int)c;
			return 0;
		}
	}
	/* Quote what the user wrote after normalizing, as Docker does ("CAP_FOO"), without letting
	 * control characters through. */
	for (char *p = up; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '"' || *p == '\\' || (unsigned char)*p == 0x7f)
			*p = '?';
	return hull_err(err, -EINVAL, "unknown capability \"%s\" in %s", up, flag);
}

/* Every capability up to last_cap that has a name (a config can only name those). */
static uint64_t caps_every(unsigned last_cap)
{
	uint64_t m = 0;
	for (unsigned c = 0; c <= last_cap && c <= CAP_NAMES_MAX; c++)
		if (caps_name(c))
			m |= CAPS_BIT(c);
	return m;
}

/* Parses every name of v into a mask; *ret_all tells whether "ALL" was among them. */
static int caps_list(char *const *v, const char *flag, uint64_t *ret, bool *ret_all, struct hull_error **err)
{
	uint64_t mask = 0;
	bool all = false;
	for (size_t i = 0; v && v[i]; i++) {
		int c;
		int r = spec_cap_parse(v[i], flag, &c, err);
		if (r < 0)
			return r;
		if (c < 0)
			all = true;
		else
			mask |= CAPS_BIT(c);
	}
	*ret = mask;
	*ret_all = all;
	return 0;
}

int spec_caps_tweak(uint64_t base, char *const *add, char *const *drop, unsigned last_cap, uint64_t *ret,
                    struct hull_error **err)
{
	uint64_t add_mask, drop_mask;
	bool add_all, drop_all;
	int r = caps_list(add, "--cap-add", &add_mask, &add_all, err);
	if (r < 0)
		return r;
	r = caps_list(drop, "--cap-drop", &drop_mask, &drop_all, err);
	if (r < 0)
		return r;

	uint64_t caps;
	if (add_all)
		caps = caps_every(last_cap) & ~drop_mask;
	else if (drop_all)
		caps = add_mask;
	else
		caps = (base & ~drop_mask) | add_mask;
	*ret = caps;
	return 0;
}

int spec_caps_mask(char *const *names, const char *flag, unsigned last_cap, uint64_t *ret, struct hull_error **err)
{
	uint64_t mask;
	bool all;
	int r = caps_list(names, flag, &mask, &all, err);
	if (r < 0)
		return r;
	*ret = all ? caps_every(last_cap) | mask : mask;
	return 0;
}

char **spec_caps_names(uint64_t mask)
{
	char **v = xcalloc(1, sizeof(char *));
	for (unsigned c = 0; c < 64; c++) {
		if (!(mask & CAPS_BIT(c)))
			continue;
		const char *n = caps_name(c);
		strv_push(&v, n ? xstrdup(n) : xasprintf("CAP_%u", c));
	}
	return v;
}

/* ---- --security-opt ---------------------------------------------------------------------------- */

void spec_security_done(struct spec_security *s)
{
	if (!s)
		return;
	free(s->seccomp_file);
	free(s->apparmor_profile);
	strv_free(s->label_opts);
	*s = (struct spec_security){0};
}

/* Go's strconv.ParseBool. */
static int parse_go_bool(const char *s, bool *ret)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < ELEMENTSOF(t); i++) {
		if (streq(s, t[i])) {
			*ret = true;
			return 0;
		}
		if (streq(s, f[i])) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Printable ASCII without spaces: AppArmor profile names and file names in messages. */
static bool printable_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* The option for a message, quoted with control characters replaced. */
static char *quote_opt(const char *s)
{
	char *q = xasprintf("\"%s\"", s);
	for (char *p = q + 1; p[1]; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f || *p == '"' || *p == '\\')
			*p = '?';
	return q;
}

static int parse_one(const char *opt, struct spec_security *s, struct hull_error **err)
{
	_cleanup_free_ char *q = quote_opt(opt);
	if (streq(opt, "no-new-privileges")) {
		s->no_new_privileges_set = true;
		s->no_new_privileges = true;
		return 0;
	}
	/* "KEY=VALUE", or Docker's deprecated "KEY:VALUE". */
	const char *sep = strchr(opt, '=');
	if (!sep)
		sep = strchr(opt, ':');
	if (!sep)
		return hull_err(err, -EINVAL, "invalid --security-opt %s: expected KEY=VALUE", q);
	_cleanup_free_ char *key = xstrndup(opt, (size_t)(sep - opt));
	const char *v = sep + 1;

	if (streq(key, "no-new-privileges")) {
		if (parse_go_bool(v, &s->no_new_privileges) < 0)
			return hull_err(err, -EINVAL,
			                "invalid --security-opt %s: no-new-privileges takes true or false", q);
		s->no_new_privileges_set = true;
	} else if (streq(key, "seccomp")) {
		if (!*v)
			return hull_err(err, -EINVAL,
			                "invalid --security-opt %s: seccomp takes a file name or unconfined", q);
		free(s->seccomp_file);
		s->seccomp_file = NULL;
		if (streq(v, "unconfined"))
			s->seccomp = SPEC_SECCOMP_UNCONFINED;
		else {
			s->seccomp = SPEC_SECCOMP_FILE;
			s->seccomp_file = xstrdup(v);
		}
	} else if (streq(key, "apparmor")) {
		if (!printable_word(v))
			return hull_err(
			    err, -EINVAL,
			    "invalid --security-opt %s: apparmor takes a profile name (printable, no spaces)", q);
		free(s->apparmor_profile);
		s->apparmor_profile = xstrdup(v);
	} else if (streq(key, "label")) {
		if (!*v)
			return hull_err(err, -EINVAL, "invalid --security-opt %s: label takes disable or KEY:VALUE", q);
		strv_push(&s->label_opts, xstrdup(v));
	} else if (streq(key, "systempaths")) {
		if (!streq(v, "unconfined"))
			return hull_err(err, -EINVAL, "invalid --security-opt %s: systempaths takes only unconfined",
			                q);
		s->systempaths_unconfined = true;
	} else {
		_cleanup_free_ char *qk = quote_opt(key);
		return hull_err(err, -EINVAL,
		                "invalid --security-opt %s: unknown option %s (known: no-new-privileges, seccomp, "
		                "apparmor, label, systempaths)",
		                q, qk);
	}
	return 0;
}

int spec_security_parse(char *const *opts, struct spec_security *ret, struct hull_error **err)
{
	_cleanup_(spec_security_done) struct spec_security s = {0};
	for (size_t i = 0; opts && opts[i]; i++) {
		int r = parse_one(opts[i], &s, err);
		if (r < 0)
			return r;
	}
	*ret = s;
	s = (struct spec_security){0};
	return 0;
}

/* ---- SELinux labels ------------------------------------------------------------------------------ */

/* An SELinux user, role or type: letters, digits, '_', '.', '-'. */
static bool selinux_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
			return false;
	return true;
}

/* An MLS/MCS level or range: "s0", "s0:c1,c2", "s0-s0:c0.c1023". */
static bool selinux_level(const char *s)
{
	if (*s != 's')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != ':' && *s != ',' && *s != '.' && *s != '-')
			return false;
	return true;
}

int spec_selinux_labels(char *const *label_opts, char **ret_process, char **ret_mount, struct hull_error **err)
{
	if (!label_opts || !label_opts[0]) {
		*ret_process = NULL;
		*ret_mount = NULL;
		return 0;
	}
	/* Docker's defaults (the lxc_contexts of the targeted policy), before MCS categories. */
	const char *puser = "system_u", *prole = "system_r", *ptype = "container_t", *plevel = "s0";
	const char *muser = "system_u", *mrole = "object_r", *mtype = "container_file_t", *mlevel = "s0";
	bool disable = false;

	for (size_t i = 0; label_opts[i]; i++) {
		const char *o = label_opts[i];
		_cleanup_free_ char *q = quote_opt(o);
		if (streq(o, "disable")) {
			disable = true;
			continue;
		}
		const char *colon = strchr(o, ':');
		if (!colon)
			return hull_err(
			    err, -EINVAL,
			    "invalid --security-opt label=%s: expected disable or user, role, type, level or "
			    "filetype followed by ':' and a value",
			    q);
		size_t klen = (size_t)(colon - o);
		const char *v = colon + 1;
		bool is_level = klen == 5 && strncmp(o, "level", 5) == 0;
		if (is_level ? !selinux_level(v) : !selinux_word(v))
			return hull_err(err, -EINVAL, "invalid --security-opt label=%s: malformed %.*s", q, (int)klen,
			                o);
		if (klen == 4 && strncmp(o, "user", 4) == 0)
			puser = muser = v;
		else if (klen == 4 && strncmp(o, "role", 4) == 0)
			prole = v;
		else if (klen == 4 && strncmp(o, "type", 4) == 0)
			ptype = v;
		else if (is_level)
			plevel = mlevel = v;
		else if (klen == 8 && strncmp(o, "filetype", 8) == 0)
			mtype = v;
		else
			return hull_err(
			    err, -EINVAL,
			    "invalid --security-opt label=%s: unknown label option, valid are disable, user, "
			    "role, type, level, filetype",
			    q);
	}
	if (disable) {
		/* go-selinux: "disable" wins over every other option: no process label, and the mount
		 * label of a privileged container (the default file context, no categories). */
		*ret_process = NULL;
		*ret_mount = xstrdup("system_u:object_r:container_file_t:s0");
		return 0;
	}
	*ret_process = xasprintf("%s:%s:%s:%s", puser, prole, ptype, plevel);
	*ret_mount = xasprintf("%s:%s:%s:%s", muser, mrole, mtype, mlevel);
	return 0;
}

/* ---- --user, --hostname ---------------------------------------------------------------------------- */

static int parse_id(const char *s, size_t len, uint32_t *ret)
{
	if (len == 0 || len > 10)
		return -EINVAL;
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	/* (uid_t)-1 means "unchanged" to setresuid: never a real id. */
	if (v >= UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

int spec_user_parse(const char *s, uint32_t *ret_uid, uint32_t *ret_gid, struct hull_error **err)
{
	_cleanup_free_ char *q = quote_opt(s ? s : "");
	const char *colon = s ? strchr(s, ':') : NULL;
	uint32_t uid, gid;
	if (!s || parse_id(s, colon ? (size_t)(colon - s) : strlen(s), &uid) < 0 ||
	    (colon && parse_id(colon + 1, strlen(colon + 1), &gid) < 0))
		return hull_err(err, -EINVAL,
		                "invalid --user %s: expected UID[:GID], decimal ids below 4294967295 (user and group "
		                "names are not looked up)",
		                q);
	*ret_uid = uid;
	*ret_gid = colon ? gid : uid;
	return 0;
}

int spec_hostname_validate(const char *s, struct hull_error **err)
{
	_cleanup_free_ char *q = quote_opt(s ? s : "");
	size_t len = s ? strlen(s) : 0;
	if (len == 0 || len > 64)
		return hull_err(err, -EINVAL, "invalid --hostname %s: must be 1 to 64 characters", q);
	size_t label = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = s[i];
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return hull_err(err, -EINVAL,
				                "invalid --hostname %s: labels between dots must be 1 to 63 characters "
				                "and must not end with '-'",
				                q);
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)c) && c != '-')
			return hull_err(err, -EINVAL,
			                "invalid --hostname %s: only letters, digits, '-' and '.' are allowed", q);
		if (label == 0 && c == '-')
			return hull_err(err, -EINVAL, "invalid --hostname %s: a label must not start with '-'", q);
		label++;
	}
	return 0;
}

/* ---- the command ------------------------------------------------------------------------------------ */

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* moby masks these where they exist (a glob over the host's CPUs, GHSA-6fw5-f8r9-fgfm). */
static char **host_masked_paths(void)
{
	char **v = xcalloc(1, sizeof(char *));
	glob_t g = {0};
	if (glob("/sys/devices/system/cpu/cpu*/thermal_throttle", GLOB_NOSORT, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			strv_push(&v, xstrdup(g.gl_pathv[i]));
	}
	globfree(&g);
	/* Sorted, so the same host gives the same config. */
	size_t n = strv_length(v);
	if (n > 1)
		qsort(v, n, sizeof(char *), str_cmp);
	return v;
}

int spec_cmd_build(const struct hull_spec_opts *opts, char **ret_json, struct hull_error **err)
{
	static const struct hull_spec_opts defaults = {0};
	if (!opts)
		opts = &defaults;
	if (!ret_json)
		return hull_err(err, -EINVAL, "spec: no output");

	struct oci_spec_template t = {
	    .rootless = opts->rootless,
	    .args = opts->args,
	    .no_new_privileges = true,
	    .readonly_root = opts->read_only_set ? opts->read_only : true,
	    .system_paths = true,
	    .landlock = opts->landlock,
	    .pids_limit = SPEC_PIDS_LIMIT,
	};
	t.tmpfs_tmp = t.readonly_root;

	/* Capabilities: the 3 defaults adjusted like Docker's --cap-add/--cap-drop. */
	unsigned last_cap;
	int r = caps_last_cap(&last_cap);
	if (r < 0)
		return hull_err_errno(err, r, "spec: reading the kernel's last capability");
	uint64_t base = 0, caps;
	for (size_t i = 0; default_caps[i]; i++) {
		int c;
		r = spec_cap_parse(default_caps[i], "the defaults", &c, err);
		if (r < 0)
			return r;
		base |= CAPS_BIT(c);
	}
	r = spec_caps_tweak(base, opts->cap_add, opts->cap_drop, last_cap, &caps, err);
	if (r < 0)
		return r;
	_cleanup_strv_free_ char **cap_names = spec_caps_names(caps);
	t.caps = cap_names;

	_cleanup_(spec_security_done) struct spec_security sec = {0};
	r = spec_security_parse(opts->security_opts, &sec, err);
	if (r < 0)
		return r;
	if (sec.no_new_privileges_set)
		t.no_new_privileges = sec.no_new_privileges;
	t.apparmor_profile = sec.apparmor_profile;
	if (sec.systempaths_unconfined)
		t.system_paths = false;
	_cleanup_free_ char *plabel = NULL, *mlabel = NULL;
	r = spec_selinux_labels(sec.label_opts, &plabel, &mlabel, err);
	if (r < 0)
		return r;
	t.selinux_label = plabel;
	t.mount_label = mlabel;

	if (opts->rootless) {
		/* The caller's subordinate ranges, when it has them and the setuid helpers that use
		 * them are installed: ids 1.. of the container then exist (files owned by daemon
		 * users in an image, `--user 1000`). */
		r = userns_subid_range_for_spec(false, NULL, &t.subuid_start, &t.subuid_count);
		if (r < 0)
			return hull_err_errno(err, r, "spec --rootless: read /etc/subuid");
		r = userns_subid_range_for_spec(true, NULL, &t.subgid_start, &t.subgid_count);
		if (r < 0)
			return hull_err_errno(err, r, "spec --rootless: read /etc/subgid");
	}
	if (opts->user) {
		r = spec_user_parse(opts->user, &t.uid, &t.gid, err);
		if (r < 0)
			return r;
		if (opts->rootless && (t.uid > t.subuid_count || t.gid > t.subgid_count)) {
			_cleanup_free_ char *q = quote_opt(opts->user);
			return hull_err(err, -EINVAL,
			                "invalid --user %s with --rootless: the config maps uids 0-%" PRIu64
			                " and gids 0-%" PRIu64
			                " (the caller and its /etc/subuid and /etc/subgid ranges)",
			                q, t.subuid_count, t.subgid_count);
		}
	}
	if (opts->hostname) {
		r = spec_hostname_validate(opts->hostname, err);
		if (r < 0)
			return r;
		t.hostname = opts->hostname;
	}

	_cleanup_strv_free_ char **extra_masked = t.system_paths ? host_masked_paths() : NULL;
	t.extra_masked = extra_masked;

	/* Seccomp last: Docker's profile depends on the final bounding set (CAP_SYS_ADMIN allows
	 * mount, CAP_SYS_PTRACE ptrace, ...). Native architecture, running kernel. */
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *seccomp = NULL;
	if (sec.seccomp != SPEC_SECCOMP_UNCONFINED) {
		r = seccomp_cmd_resolve_file(sec.seccomp == SPEC_SECCOMP_FILE ? sec.seccomp_file : NULL, cap_names,
		                             NULL, NULL, &seccomp, NULL, err);
		if (r < 0)
			return hull_err_prefix(err, r, "--security-opt seccomp");
		t.seccomp = seccomp;
	}

	r = oci_spec_template_json(&t, ret_json);
	if (r < 0)
		return hull_err_errno(err, r, "spec: format JSON");
	return 0;
}
