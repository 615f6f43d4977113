/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `hull seccomp resolve` and the profile loading `hull spec` shares with it. CLI process,
 * unprivileged. */
#include "seccomp-cmd.h"

#include <errno.h>
#include <fcntl.h>

#include "alloc.h"
#include "caps.h"
#include "fd-util.h"
#include "hull/hull.h"
#include "seccomp-docker.h"
#include "spec-cmd.h"

/* A profile file larger than this is refused (Docker's default is 13 KiB). */
#define PROFILE_MAX (16u * 1024 * 1024)

static char *const docker_default_caps[] = {
    (char *)"CAP_CHOWN",
    (char *)"CAP_DAC_OVERRIDE",
    (char *)"CAP_FSETID",
    (char *)"CAP_FOWNER",
    (char *)"CAP_MKNOD",
    (char *)"CAP_NET_RAW",
    (char *)"CAP_SETGID",
    (char *)"CAP_SETUID",
    (char *)"CAP_SETFCAP",
    (char *)"CAP_SETPCAP",
    (char *)"CAP_NET_BIND_SERVICE",
    (char *)"CAP_SYS_CHROOT",
    (char *)"CAP_KILL",
    (char *)"CAP_AUDIT_WRITE",
    NULL,
};

char *const *seccomp_cmd_docker_default_caps(void)
{
	return docker_default_caps;
}

int seccomp_cmd_resolve_file(const char *path, char *const *caps, const char *arch, const char *kernel,
                             struct oci_seccomp **ret, enum oci_seccomp_format *ret_format, struct hull_error **err)
{
	_cleanup_free_ char *buf = NULL;
	const char *json;
	const char *name = path ? path : "(built-in default)";
	size_t len = 0;

	if (path) {
		if (!*path)
			return hull_err(err, -EINVAL, "seccomp profile: empty file name");
		int r = read_file_at(AT_FDCWD, path, PROFILE_MAX, &buf, &len);
		if (r == -EFBIG)
			return hull_err(err, r, "seccomp profile %s: larger than %u bytes", path, PROFILE_MAX);
		if (r < 0)
			return hull_err_errno(err, r, "seccomp profile %s", path);
		json = buf;
	} else
		oci_default_seccomp_profile(&json, &len);

	enum oci_seccomp_format fmt;
	int r = oci_seccomp_profile_format(json, len, &fmt, err);
	if (r < 0)
		return hull_err_prefix(err, r, "seccomp profile %s", name);
	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = NULL;
	r = oci_seccomp_docker_resolve(json, len, caps, arch, kernel, &s, err);
	if (r < 0)
		return hull_err_prefix(err, r, "seccomp profile %s", name);
	if (!s)
		return hull_err(err, -EINVAL,
		                "seccomp profile %s: neither defaultAction nor syscalls, which Docker reads as "
		                "\"no seccomp\"; say seccomp=unconfined to run without a filter",
		                name);
	if (ret_format)
		*ret_format = fmt;
	*ret = TAKE_PTR(s);
	return 0;
}

int hull_seccomp_resolve(const struct hull_seccomp_resolve_opts *opts, char **ret_json, struct hull_error **err)
{
	static const struct hull_seccomp_resolve_opts defaults = {0};
	if (!opts)
		opts = &defaults;
	if (!ret_json)
		return hull_err(err, -EINVAL, "seccomp resolve: no output");
	char *const *caps = seccomp_cmd_docker_default_caps();
	_cleanup_strv_free_ char **names = NULL;
	int r;
	if (opts->caps) {
		/* Checked like --cap-add: a misspelled name would silently match no rule. */
		unsigned last_cap;
		r = caps_last_cap(&last_cap);
		if (r < 0)
			return hull_err_errno(err, r, "seccomp resolve: reading the kernel's last capability");
		uint64_t mask;
		r = spec_caps_mask(opts->caps, "--caps", last_cap, &mask, err);
		if (r < 0)
			return r;
		names = spec_caps_names(mask);
		caps = names;
	}

	_cleanup_(oci_seccomp_freep) struct oci_seccomp *s = NULL;
	r = seccomp_cmd_resolve_file(opts->profile, caps, opts->arch, opts->kernel, &s, NULL, err);
	if (r < 0)
		return r;
	r = oci_seccomp_to_json(s, ret_json);
	if (r < 0)
		return hull_err_errno(err, r, "seccomp resolve: format JSON");
	return 0;
}
