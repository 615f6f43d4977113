/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp profiles from files or hull's built-in default, resolved for a container: used by
 * `hull spec` (the hardened default, --security-opt seccomp=FILE) and `hull seccomp resolve`.
 * CLI process (parent side), unprivileged: reads the profile file and the running kernel's
 * release, nothing else. */
#pragma once

#include "error.h"
#include "seccomp-default.h"
#include "spec.h"

/* Docker's 14 default capabilities (moby daemon/pkg/oci/caps/defaults.go), NULL-terminated. */
char *const *seccomp_cmd_docker_default_caps(void);

/* Reads the profile at path (NULL: hull's built-in default, data/seccomp-default.json), tells
 * its format (*ret_format, may be NULL) and resolves it with oci_seccomp_docker_resolve() for
 * caps (the bounding set), arch (NULL: native) and kernel (NULL: running). A profile that
 * resolves to "no seccomp" (neither defaultAction nor syscalls, Docker's convention) is an
 * error: the caller asks for "unconfined" explicitly instead. Messages start with
 * 'seccomp profile PATH: '. */
int seccomp_cmd_resolve_file(const char *path, char *const *caps, const char *arch, const char *kernel,
                             struct oci_seccomp **ret, enum oci_seccomp_format *ret_format, struct hull_error **err);
