// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Experiment only (bench/variants.sh): link-time replacement of src/basic/exe-seal.c that does nothing, so a
 * variant of hull runs without re-executing itself from a sealed memfd copy (the CVE-2019-5736 defence). It
 * measures what the defence costs; it is NOT a configuration anyone should run.
 */
struct hull_error;

int exe_seal_fd_is_sealed(int fd);
int exe_seal_ensure(char *const *argv, struct hull_error **err);

int exe_seal_fd_is_sealed(int fd)
{
	(void)fd;
	return 1;
}

int exe_seal_ensure(char *const *argv, struct hull_error **err)
{
	(void)argv, (void)err;
	return 0;
}
