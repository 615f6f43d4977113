/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The typed parent<->child protocol over a SOCK_SEQPACKET socketpair: one message per packet,
 * errors carried as {errno, message}, fds (the pty master) as SCM_RIGHTS. Parent and child. */
#pragma once

#include <stdint.h>

#include "error.h"

enum sync_type {
	SYNC_ERROR = 1, /* child -> parent: {errnum, msg}; the child then _exits */
	SYNC_GO, /* parent -> child: id maps written, cgroup entered: start the setup */
	SYNC_HOOKS_PLEASE, /* child -> parent: mounts done, run prestart/createRuntime hooks */
	SYNC_HOOKS_DONE, /* parent -> child: memfd with the state JSON, value = host pid */
	SYNC_PTY_MASTER, /* child -> parent: the pty master fd (no console socket given) */
	SYNC_READY, /* child -> parent: parked before execve (create) */
	SYNC_EXEC_PID, /* exec grandchild pid, sent by the intermediate */
	SYNC_WARNING, /* child -> parent: a message for the log; no reply */
};

#define SYNC_MSG_MAX 3072

struct sync_msg {
	uint32_t type;
	int32_t value; /* errnum for SYNC_ERROR, pid for SYNC_EXEC_PID */
	char msg[SYNC_MSG_MAX];
};

int sync_send(int sock, enum sync_type type, int32_t value, const char *msg);
int sync_send_fd(int sock, enum sync_type type, int32_t value, int fd);
/* Child forked by an intermediate (CLONE_PARENT): sends SYNC_EXEC_PID with a pidfd of ourselves,
 * from which the parent reads our host pid. -EPIPE (no message in err) when the parent is gone. */
int sync_announce_self(int sock, struct hull_error **err);
/* Receives one message; -ECONNRESET when the peer closed the socket (for example on execve,
 * which is how success is detected for exec). An fd attached to the message lands in *ret_fd
 * (when non-NULL). */
int sync_recv(int sock, struct sync_msg *m, int *ret_fd);
/* Child side: reports err (or a generic message) and returns; the caller _exits. */
void sync_report_error(int sock, int r, const struct hull_error *err);
/* Receives and checks the type: a SYNC_ERROR becomes our error with the child's message, and an
 * unexpected close becomes "container process exited unexpectedly". */
int sync_expect(int sock, enum sync_type want, struct sync_msg *m, struct hull_error **err);
