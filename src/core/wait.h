/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Foreground waiting for `run` and `exec`: forwards signals to the container process, copies
 * between our stdio and the pty master when there is one, and turns the wait status into an
 * exit code (128+N for signal N). Parent only. */
#pragma once

#include <signal.h>
#include <sys/types.h>

#include "error.h"

/* The signals we forward; block them (wait_block_signals) before cloning so none is lost,
 * the child resets its mask. */
void wait_block_signals(sigset_t *ret_old);
void wait_restore_signals(const sigset_t *old);

/* Waits for our child pid (pidfd for polling), forwarding signals; master >= 0 enables the
 * pty proxy. Returns the exit code in *ret_status. */
int wait_forward(pid_t pid, int pidfd, int master, int *ret_status, struct hull_error **err);

/* Exit code of a wait status, as shells report it. */
int wait_status_to_exit_code(int status);
