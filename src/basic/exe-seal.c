/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CVE-2019-5736: re-execute hull from a sealed memfd copy of itself (see exe-seal.h). Runs in the
 * hull CLI process before it does anything else; unprivileged syscalls only. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exe-seal.h"

/* Linux 6.3 (linux/memfd.h, linux/fcntl.h); Debian 12's headers predate them. */
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

/* The memfd's name: /proc/PID/exe of a hull process reads "/memfd:hull (deleted)". */
#define EXE_SEAL_MEMFD_NAME "hull"

extern char **environ;

int exe_seal_fd_is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals < 0)
		/* EINVAL: a file system without sealing (ext4, xfs, overlayfs...): not sealed. */
		return errno == EINVAL ? 0 : -errno;
	return (seals & EXE_SEAL_REQUIRED) == EXE_SEAL_REQUIRED;
}

/* After execveat of a memfd the kernel names the task after the memfd ("memfd:hull", or the fd
 * number on older kernels); give it back the name the invoker chose, so ps and pgrep see what
 * they would have seen. Cosmetic: failures are ignored. */
static void restore_comm(char *const *argv)
{
	if (!argv || !argv[0] || !argv[0][0])
		return;
	const char *base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	if (*base)
		(void)prctl(PR_SET_NAME, (unsigned long)base, 0, 0, 0);
}

/* memfd_create with MFD_EXEC, so the copy stays executable under vm.memfd_noexec=1; kernels
 * before 6.3 reject the unknown flag with EINVAL and are executable by default. */
static int memfd_exec_create(void)
{
	int fd = memfd_create(EXE_SEAL_MEMFD_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(EXE_SEAL_MEMFD_NAME, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd < 0 ? -errno : fd;
}

/* How many leading bytes of the ELF file in fd the kernel and the dynamic loader ever read: the
 * end of the furthest program header's file range (the segments, the interpreter name, notes,
 * the dynamic section) and of the header tables. What follows (section headers, symbol tables,
 * debug information: most of an unstripped build) is only for debuggers; copying it would
 * triple the time and the memory each hull process pins. Returns size (copy everything) when
 * the headers are not the plain native ELF this code expects. *ret_drop_sections is set when the
 * section header table is cut off, so the copy's header must stop pointing at it. */
static off_t elf_needed_size(int fd, off_t size, bool *ret_drop_sections)
{
	ElfW(Ehdr) eh;
	*ret_drop_sections = false;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != (ElfW(Word))(sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
	    eh.e_phentsize != sizeof(ElfW(Phdr)) || eh.e_phnum == 0 || eh.e_phnum >= PN_XNUM ||
	    eh.e_phoff < sizeof(eh) || eh.e_phoff > (ElfW(Off))size)
		return size;

	ElfW(Phdr) ph[64];
	size_t n = eh.e_phnum;
	if (n > ELEMENTSOF(ph))
		return size;
	ssize_t len = (ssize_t)(n * sizeof(ph[0]));
	if (pread(fd, ph, (size_t)len, (off_t)eh.e_phoff) != len)
		return size;
	ElfW(Off) end = eh.e_phoff + (ElfW(Off))len;
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_offset > (ElfW(Off))size || ph[i].p_filesz > (ElfW(Off))size - ph[i].p_offset)
			return size;
		if (ph[i].p_offset + ph[i].p_filesz > end)
			end = ph[i].p_offset + ph[i].p_filesz;
	}
	if (end >= (ElfW(Off))size)
		return size;
	/* The section header table is dropped only as a whole: if it sits inside the kept part
	 * (unusual), keep it and its pointer. */
	*ret_drop_sections = eh.e_shoff != 0 && eh.e_shoff >= end;
	return (off_t)end;
}

/* Copies the first len bytes of in into out. */
static int copy_prefix(int out, int in, off_t len)
{
	off_t off = 0;
	while (off < len) {
		ssize_t n = sendfile(out, in, &off, (size_t)(len - off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the file shrank under us (rewritten in place): it would not run */
	}
	return 0;
}

/* A copy without section headers must say so: e_shoff, e_shnum and e_shstrndx become 0, so
 * readelf and debuggers see a well-formed (stripped) ELF rather than a table past EOF. */
static int drop_section_headers(int fd)
{
	ElfW(Ehdr) eh;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
		return -EIO;
	eh.e_shoff = 0;
	eh.e_shnum = 0;
	eh.e_shstrndx = SHN_UNDEF;
	return pwrite(fd, &eh, sizeof(eh), 0) == (ssize_t)sizeof(eh) ? 0 : -EIO;
}

int exe_seal_ensure(char *const *argv, struct hull_error **err)
{
	_cleanup_close_ int exe = -EBADF, copy = -EBADF;
	struct stat st;
	int r;

	/* The file this process is executing (the magic link, not a path that could be swapped). */
	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return hull_err_errno(err, -errno,
		                      "open /proc/self/exe to protect the runtime binary "
		                      "(CVE-2019-5736; is /proc mounted?)");
	r = exe_seal_fd_is_sealed(exe);
	if (r < 0)
		return hull_err_errno(err, r, "read the seals of /proc/self/exe");
	if (r > 0) {
		/* Already a sealed copy (we are the re-executed hull, or were started from one):
		 * nothing in the container can change what this process runs. */
		restore_comm(argv);
		return 0;
	}
	if (fstat(exe, &st) < 0)
		return hull_err_errno(err, -errno, "stat /proc/self/exe");
	if (!S_ISREG(st.st_mode))
		return hull_err(err, -ENOEXEC, "/proc/self/exe is not a regular file");

	copy = memfd_exec_create();
	if (copy == -EACCES)
		return hull_err_errno(err, copy,
		                      "memfd_create for a sealed copy of the runtime binary (CVE-2019-5736): "
		                      "executable memfds are forbidden (vm.memfd_noexec=2?)");
	if (copy < 0)
		return hull_err_errno(err, copy,
		                      "memfd_create for a sealed copy of the runtime binary (CVE-2019-5736)");
	bool drop_sections;
	off_t len = elf_needed_size(exe, st.st_size, &drop_sections);
	r = copy_prefix(copy, exe, len);
	if (r >= 0 && drop_sections)
		r = drop_section_headers(copy);
	if (r < 0)
		return hull_err_errno(err, r, "copy the runtime binary into a memfd");
	exe = safe_close(exe);

	/* Sealing makes the copy immutable for every holder of the file, including a container
	 * process that opens /proc/PID/exe with CAP_SYS_PTRACE: writes, truncation, growth and
	 * writable shared mappings fail with EPERM, and F_SEAL_SEAL forbids undoing any of it.
	 * F_ADD_SEALS fails if a writable mapping exists; we never made one. */
	if (fcntl(copy, F_ADD_SEALS, EXE_SEAL_REQUIRED | F_SEAL_EXEC) < 0 &&
	    (errno != EINVAL || fcntl(copy, F_ADD_SEALS, EXE_SEAL_REQUIRED) < 0))
		return hull_err_errno(err, -errno, "seal the copy of the runtime binary");
	r = exe_seal_fd_is_sealed(copy);
	if (r <= 0)
		return hull_err_errno(err, r < 0 ? r : -EPERM, "verify the seals of the copy of the runtime binary");

	/* Same argv, same environment, same inherited fds: the new image starts over in main()
	 * and finds itself sealed. The copy is MFD_CLOEXEC, so no fd to it survives: only the
	 * kernel's reference as the executable remains. No marker is passed on purpose: the
	 * re-executed hull decides from the seals of its own executable, which the caller cannot
	 * fake, so a loop is impossible (a sealed memfd always passes) and a skipped copy too. */
	execveat(copy, "", argv, environ, AT_EMPTY_PATH);
	if (errno == EACCES)
		return hull_err_errno(err, -errno,
		                      "execute the sealed copy of the runtime binary (is "
		                      "vm.memfd_noexec set to 2? hull needs executable memfds)");
	return hull_err_errno(err, -errno, "execute the sealed copy of the runtime binary");
}
