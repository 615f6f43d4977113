/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The container's terminal. Child side: the pty is allocated from the container's own devpts
 * instance (<root>/dev/pts/ptmx, verified to be the ptmx node of a devpts), and the peer is
 * obtained with TIOCGPTPEER, never by opening /dev/pts/N by name, which the container could
 * have swapped for a symlink (CVE-2025-52565). /dev/console, when wanted, is a bind mount of the
 * peer onto a regular file created inside the root without following symlinks. The master is
 * handed to the parent (console socket) by the caller. */
#pragma once

#include <stdbool.h>

#include "error.h"

/* Child, before pivot_root (rootfd = the rootfs fd from rootfs_setup) or, for exec, inside the
 * container ("/" opened there; bind_console false). Returns the master and the peer, both
 * O_CLOEXEC and O_NOCTTY. With bind_console, CAP_SYS_ADMIN in the mount namespace is needed. */
int terminal_open_pty(int rootfd, bool bind_console, int *ret_master, int *ret_peer, struct hull_error **err);

/* Sets the window size of a terminal (master or peer). Returns 0 or -errno. */
int terminal_set_size(int fd, unsigned height, unsigned width);

/* Child, just before exec: new session, peer becomes the controlling terminal and stdin,
 * stdout, stderr. The peer fd itself stays open (O_CLOEXEC) for the caller to close. */
int terminal_make_controlling(int peer, struct hull_error **err);
