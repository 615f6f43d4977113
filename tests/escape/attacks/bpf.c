/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpf: bpf(2) to create a map and to load a (trivial) socket filter program: eBPF is a large kernel attack
 * surface. Refused: EPERM from seccomp (allowed only with CAP_SYS_ADMIN or CAP_BPF).
 */
#include "attack.h"

#include <linux/bpf.h>
#include <sys/syscall.h>

int main(void)
{
	char why[256] = "";
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	long r = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	errlist_add(why, sizeof(why), "BPF_MAP_CREATE", expect_errno("bpf(MAP_CREATE)", r, errno, EPERM));

	struct bpf_insn prog[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)prog;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	r = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	errlist_add(why, sizeof(why), "BPF_PROG_LOAD", expect_errno("bpf(PROG_LOAD)", r, errno, EPERM));
	refused("%s", why);
}
