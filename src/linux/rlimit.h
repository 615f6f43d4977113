/* SPDX-License-Identifier: GPL-2.0-or-later */
/* process.rlimits. rlimits_validate runs in the parent (pure data); rlimits_apply in the child
 * before capabilities are dropped (raising a hard limit needs CAP_SYS_RESOURCE), syscalls only. */
#pragma once

#include <stddef.h>

#include "error.h"
#include "spec.h"

/* Parent: soft <= hard, each type at most once (the runtime spec requires an error for
 * duplicates), a resource number the kernel knows. */
int rlimits_validate(const struct oci_rlimit *v, size_t n, struct hull_error **err);

/* Child: setrlimit for each entry. Message:
 * "process.rlimits[0] RLIMIT_NOFILE: setrlimit soft=1024 hard=1024: operation not permitted". */
int rlimits_apply(const struct oci_rlimit *v, size_t n, struct hull_error **err);
