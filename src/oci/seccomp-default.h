/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hull's default seccomp profile (data/seccomp-default.json, compiled into the binary) and the
 * recognition of a profile file's format. Parent only, unprivileged; no I/O. */
#pragma once

#include <stddef.h>

#include "error.h"

/* hull's default seccomp profile in Docker/moby format: the bytes of data/seccomp-default.json as
 * built into the binary. *ret_json is NUL-terminated and static (never freed); *ret_len excludes
 * the NUL. Resolve it with oci_seccomp_docker_resolve() for a container's bounding set,
 * architecture and kernel. Always returns 0. */
int oci_default_seccomp_profile(const char **ret_json, size_t *ret_len);

enum oci_seccomp_format {
	OCI_SECCOMP_FORMAT_OCI, /* the runtime-spec linux.seccomp object */
	OCI_SECCOMP_FORMAT_DOCKER, /* Docker/moby: archMap, or rules with includes/excludes/name/comment */
};

/* Tells a Docker/moby profile from a runtime-spec (OCI) linux.seccomp object. The OCI form is a
 * subset of Docker's (moby's profile type embeds it), so a document is Docker's when it uses
 * something only Docker's form has: a top-level "archMap", or a rule with "includes",
 * "excludes", "name" or "comment" (property names compared case-insensitively, null counting as
 * absent, as Go reads them). Anything else is the OCI form. Either way the document resolves with
 * oci_seccomp_docker_resolve(); for the OCI form that is the identity (no rule is conditional).
 * -EINVAL when json is not one JSON object (strict JSON, UTF-8); messages have no prefix ("invalid
 * JSON at byte 12: ..."), the caller names the file. */
int oci_seccomp_profile_format(const char *json, size_t len, enum oci_seccomp_format *ret, struct hull_error **err);

/* "OCI" or "Docker". */
const char *oci_seccomp_format_to_string(enum oci_seccomp_format f);
