/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CVE-2019-5736: never let a container reach the host's runtime binary through /proc/PID/exe.
 *
 * Runs in the hull CLI process at startup, before any other work, as whoever invoked hull (root,
 * or root in a user namespace); needs no privilege (memfd_create, fcntl, execveat).
 *
 * Every process that create, run and exec place into a container (the parked init, the exec
 * child) is a clone of the hull process, so its /proc/PID/exe is hull's own executable until it
 * calls execve. A container process that can open that link (it shares the pid namespace, and
 * dumpability does not stop a holder of CAP_SYS_PTRACE) or that makes hull execute
 * "#!/proc/self/exe" would get the host binary, reopen it for writing once hull has exited, and
 * own the next invocation. exe_seal_ensure() re-executes hull from a private memfd copy whose
 * contents the kernel refuses to change (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW, then
 * F_SEAL_SEAL so no seal can be removed or added): the link then leads to that copy, never to the
 * host file. A copy (rather than a read-only view of the same file) also shares no page cache with
 * the host binary, so a page-cache write bug reached through the link cannot poison it. */
#pragma once

#include <fcntl.h>

#include "error.h"

/* The seals that make a file's contents immutable. F_SEAL_EXEC (Linux >= 6.3) is added when the
 * kernel knows it, but is not required. */
#define EXE_SEAL_REQUIRED (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* 1 when the file behind fd carries every seal of EXE_SEAL_REQUIRED (its contents can never
 * change again), 0 when it does not (any other file, or a memfd missing a seal), -errno when the
 * seals cannot be read for another reason. Decided by the kernel's F_GET_SEALS on the file
 * itself: nothing in the environment can make an unsealed file pass. */
int exe_seal_fd_is_sealed(int fd);

/* Makes sure the running program is a sealed private copy of the runtime binary.
 * Returns 0 when /proc/self/exe already is sealed (the common case after the re-exec; it then
 * only restores the process name from argv[0]). Otherwise copies /proc/self/exe into a
 * memfd_create(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC) file, seals it and execveat()s it with
 * the same argv and environment; fds without O_CLOEXEC (stdio, --preserve-fds) stay open across
 * it. Does not return on success. Returns -errno with *err set when the copy cannot be made,
 * sealed or executed (for example vm.memfd_noexec=2): the caller must refuse to go on. */
int exe_seal_ensure(char *const *argv, struct hull_error **err);
