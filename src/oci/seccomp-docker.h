/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp profiles as JSON, apart from config.json: Docker/moby profiles (archMap, conditional
 * rules) resolved into the runtime-spec form, the runtime-spec form printed back, and the
 * "containerProcessState" document sent with a seccomp listener fd. Parent only, unprivileged. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "spec.h"

/* Reads a Docker/moby seccomp profile verbatim and resolves it the way moby's setupSeccomp
 * (profiles/seccomp/seccomp_linux.go) does:
 *  - "architectures" and "archMap" are exclusive; of "archMap" only the entry whose
 *    "architecture" is the target's SCMP_ARCH_* name is used: it and its "subArchitectures";
 *  - a rule is dropped when excludes.arches contains the target arch, when any of excludes.caps
 *    is in caps, when the kernel is at least excludes.minKernel; it is kept only when
 *    includes.arches (if given) contains the arch, all of includes.caps are in caps, and the
 *    kernel is at least includes.minKernel. Arch names here are moby's ("amd64", "arm64", "x86");
 *  - "name" (old form) and "names" are exclusive; "comment" is ignored;
 *  - property names match case-insensitively and null stands for absent, as Go's encoding/json
 *    decodes them.
 * caps: the container's bounding set, NULL-terminated; "CAP_SYS_ADMIN", "SYS_ADMIN" and
 * "sys_admin" are the same (compared with the profile's names after adding "CAP_" and upper-
 * casing). NULL: empty. arch: Go's GOARCH ("amd64"), moby's name ("amd64", "mipsel64"), the
 * SCMP_ARCH_* name or the uname machine ("x86_64", "aarch64"); NULL: the architecture hull was
 * built for. kernel_release: as uname -r ("6.18.44-foo"; only "<kernel>.<major>" is used); NULL:
 * the running kernel's (read only when a rule has a minKernel).
 * The result is checked like linux.seccomp of config.json (known actions, operators, flags and
 * architectures, valid names, errnoRet only with ERRNO/TRACE, arg index <= 5); messages name the
 * profile's JSON path: "syscalls[12].includes.minKernel: invalid kernel version \"4\", expected
 * \"<kernel>.<major>\"". A profile without defaultAction and without syscalls disables seccomp
 * (moby's rule): then 0 is returned with *ret = NULL. */
int oci_seccomp_docker_resolve(const char *json, size_t len, char *const *caps, const char *arch,
                               const char *kernel_release, struct oci_seccomp **ret, struct hull_error **err);

/* Maps any spelling accepted by oci_seccomp_docker_resolve (NULL: the build architecture) to
 * moby's arch name ("amd64") and the SCMP_ARCH_* name. -EINVAL when unknown. */
int oci_seccomp_docker_arch(const char *arch, const char **ret_moby, const char **ret_scmp);

/* linux.seccomp in the runtime-spec form, pretty-printed, keys in the runtime-spec's order;
 * defaultErrnoRet/errnoRet only when set, valueTwo only when non-zero. */
int oci_seccomp_to_json(const struct oci_seccomp *s, char **ret);

/* Frees a struct oci_seccomp made by oci_seccomp_docker_resolve (and its strings). */
void oci_seccomp_free(struct oci_seccomp *s);
DEFINE_CLEANUP(struct oci_seccomp *, oci_seccomp_free)

/* The runtime-spec "containerProcessState" (config-linux.md, seccomp listenerPath): sent with the
 * seccomp listener fd (SCM_RIGHTS) to the socket at listenerPath:
 *   {"ociVersion": "1.2.0", "fds": ["seccompFd"], "pid": PID, "metadata": "...", "state": {...}}
 * state_json: the container's state document (oci_state_to_json), embedded as an object;
 * metadata: linux.seccomp.listenerMetadata, omitted when NULL or empty. One line, no newline. */
int oci_container_process_state_json(const char *state_json, pid_t pid, const char *metadata, char **ret,
                                     struct hull_error **err);
