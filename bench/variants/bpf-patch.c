// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Experiment only (bench/variants.sh): bpf-patch FILE.bpf
 *
 * Rewrites one of hull's cached seccomp programs (<state root>/seccomp-cache/<key>.bpf: "HULLBPF1", u32 count,
 * u32 reserved, sha256 of the instructions, then the instructions) so that the "ld #0" hull puts between its
 * ENOSYS prefix and libseccomp's program becomes "ja +0". The kernel's seccomp action cache
 * (seccomp_is_const_allow) gives up on any instruction other than loads of nr/arch, constant jumps, AND and
 * RET, so with "ld #0" on every path no syscall is ever cached; libseccomp's program starts with its own
 * "ld [arch]", so the immediate load is not needed. The header checksum is recomputed, so hull accepts the
 * file from its cache. Prints the index of the patched instruction.
 */
#include <linux/filter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size, const void *type, void *impl);
const void *EVP_sha256(void);

struct header {
	char magic[8];
	uint32_t n;
	uint32_t reserved;
	unsigned char sha256[32];
};

int main(int argc, char **argv)
{
	struct header h;
	struct sock_filter *f;
	FILE *fp;
	uint32_t i;

	if (argc != 2 || !(fp = fopen(argv[1], "r+b"))) {
		fprintf(stderr, "usage: bpf-patch FILE.bpf\n");
		return 2;
	}
	if (fread(&h, sizeof(h), 1, fp) != 1 || memcmp(h.magic, "HULLBPF1", 8) != 0 || h.n == 0 || h.n > 65536) {
		fprintf(stderr, "bpf-patch: %s: not a hull BPF cache file\n", argv[1]);
		return 1;
	}
	f = calloc(h.n, sizeof(*f));
	if (!f || fread(f, sizeof(*f), h.n, fp) != h.n)
		return 1;
	for (i = 0; i < h.n && i < 256; i++)
		if (f[i].code == (BPF_LD | BPF_IMM) && f[i].k == 0 && i + 1 < h.n &&
		    f[i + 1].code == (BPF_LD | BPF_W | BPF_ABS))
			break;
	if (i == h.n || i == 256) {
		fprintf(stderr, "bpf-patch: no \"ld #0\" followed by a load in the first 256 instructions\n");
		return 1;
	}
	f[i].code = BPF_JMP | BPF_JA;
	f[i].k = 0;
	EVP_Digest(f, h.n * sizeof(*f), h.sha256, NULL, EVP_sha256(), NULL);
	if (fseek(fp, 0, SEEK_SET) != 0 || fwrite(&h, sizeof(h), 1, fp) != 1 || fwrite(f, sizeof(*f), h.n, fp) != h.n ||
	    fclose(fp) != 0) {
		perror("bpf-patch: write");
		return 1;
	}
	printf("%u\n", i);
	return 0;
}
