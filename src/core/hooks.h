/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Running OCI hooks. Used by the runtime parent (prestart, createRuntime, poststart, poststop)
 * and by the container child before pivot_root/execve (createContainer, startContainer), with
 * whatever privileges that process has at that point: the hook inherits them, as the spec
 * intends. No global state, no threads, no signal handlers; every fd it opens is O_CLOEXEC and
 * the hook inherits only stdin (the state JSON), stdout and stderr (both captured). */
#pragma once

#include <stddef.h>

#include "error.h"
#include "spec.h"

/* Bytes of each of the hook's stdout and stderr kept (the last ones). */
#define HOOK_OUTPUT_MAX (64 * 1024)

/* Runs hooks[0..n) in order, each with state_json on its stdin, and returns at the first
 * failure: 'prestart hook 0 (/path): exited with status 3: <end of stderr>', '...: killed by
 * signal 9', '...: timed out after N seconds' (the hook is SIGKILLed), '...: exec /path: no
 * such file or directory'. The caller applies the spec's rules (poststart and poststop failures
 * are warnings). args[0] is the hook's argv[0] when args is given, else path; env is exactly
 * hook->env (empty when NULL). */
int hooks_run(const struct oci_hook *hooks, size_t n, enum oci_hook_kind kind, const char *state_json,
              struct hull_error **err);
