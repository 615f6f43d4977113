/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A fresh session keyring for the container, so it does not share the runtime's (the kernel
 * keyring is not namespaced by container). Child, before the uid change, syscalls only.
 *
 * Choices:
 * - The keyring is named "_ses.<container-id>" (KEYRING_NAME_PREFIX), as runc names it, so it
 *   is recognisable in /proc/keys of the host.
 * - Its permissions are set to possessor-only (all rights for processes that hold it in their
 *   session, nothing for the owning uid, group or others). The container's processes possess it
 *   whatever uid they switch to; a process outside (another container running as the same host
 *   uid) cannot view, read or search it, and in particular cannot join it by name: the kernel
 *   only joins an existing keyring of that name that the caller may search without possessing
 *   it, so a container created with the id of one whose keyring is still alive gets a new
 *   keyring instead of sharing keys with the old one.
 * - ENOSYS (kernel without CONFIG_KEYS, or an outer seccomp profile answering ENOSYS, as
 *   podman's does) skips the keyring quietly and returns 1: there are no keyrings to leak then.
 *   Every other failure is an error, EPERM and EACCES included: skipping would leave the
 *   container in the runtime's session keyring. A failure to restrict the permissions is an
 *   error too: we do not run with a keyring whose permissions we could not set. */
#pragma once

#include "error.h"

#define KEYRING_NAME_PREFIX "_ses."

/* Child. Joins a new session keyring called name ("_ses.<container-id>") and restricts it to its
 * possessors. Returns 0 when joined, 1 when the kernel has no keyrings (ENOSYS), -errno else. */
int keyring_join_new(const char *name, struct hull_error **err);
