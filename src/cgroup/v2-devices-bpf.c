/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup v2 device control: the normalized rules (devices.c) compiled to a
 * BPF_PROG_TYPE_CGROUP_DEVICE program in process, loaded with bpf(2) and attached to the
 * container's cgroup with BPF_F_ALLOW_MULTI (no libbpf). Generation is pure; load and attach run
 * in the parent as root (CAP_BPF/CAP_SYS_ADMIN): they only affect the container's own cgroup.
 *
 * The program (r1 = struct bpf_cgroup_dev_ctx *):
 *     r2 = ctx->access_type; w3 = w2 & 0xffff (type); w4 = w2 >> 16 (access)
 *     r5 = ctx->major; r6 = ctx->minor; r7 = default ? 7 : 0
 *     per rule, in order: if type/major/minor differ skip; r7 |= access (allow) or r7 &= ~access (deny)
 *     return (access & ~r7) == 0
 * Only forward jumps, no helpers, no maps: the verifier accepts it for any rule count below the
 * instruction limit. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alloc.h"
#include "cgroup-internal.h"

#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o) INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define MOV32_REG(d, s) INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define ALU32_IMM(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define ALU64_IMM(op, d, i) INSN(BPF_ALU64 | (op) | BPF_K, d, 0, 0, i)
#define MOV64_IMM(d, i) INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define JNE_IMM(d, i, o) INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define JEQ_IMM(d, i, o) INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

#define MAX_INSNS 65536

struct prog {
	struct bpf_insn *v;
	size_t n, cap;
};

static size_t emit(struct prog *p, struct bpf_insn insn)
{
	xgrow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n] = insn;
	return p->n++;
}

int cgroup_devices_bpf_generate(const struct cgroup_dev_rule *rules, size_t n, bool default_allow,
                                struct bpf_insn **ret, size_t *ret_n)
{
	struct prog p = {0};
	if (n > (MAX_INSNS - 16) / 5)
		return -E2BIG;

	emit(&p, LDX_W(BPF_REG_2, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
	emit(&p, MOV32_REG(BPF_REG_3, BPF_REG_2));
	emit(&p, ALU32_IMM(BPF_AND, BPF_REG_3, 0xffff));
	emit(&p, MOV32_REG(BPF_REG_4, BPF_REG_2));
	emit(&p, ALU32_IMM(BPF_RSH, BPF_REG_4, 16));
	emit(&p, LDX_W(BPF_REG_5, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, major)));
	emit(&p, LDX_W(BPF_REG_6, BPF_REG_1, offsetof(struct bpf_cgroup_dev_ctx, minor)));
	emit(&p, MOV64_IMM(BPF_REG_7, default_allow ? CGROUP_DEV_ALL : 0));

	for (size_t i = 0; i < n; i++) {
		const struct cgroup_dev_rule *r = &rules[i];
		size_t jumps[3], nj = 0;
		int type = r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
		jumps[nj++] = emit(&p, JNE_IMM(BPF_REG_3, type, 0));
		if (r->major >= 0)
			jumps[nj++] = emit(&p, JNE_IMM(BPF_REG_5, (int32_t)r->major, 0));
		if (r->minor >= 0)
			jumps[nj++] = emit(&p, JNE_IMM(BPF_REG_6, (int32_t)r->minor, 0));
		if (r->allow)
			emit(&p, ALU64_IMM(BPF_OR, BPF_REG_7, (int32_t)(r->access & CGROUP_DEV_ALL)));
		else
			emit(&p, ALU64_IMM(BPF_AND, BPF_REG_7, (int32_t)(~r->access & CGROUP_DEV_ALL)));
		for (size_t j = 0; j < nj; j++)
			p.v[jumps[j]].off = (int16_t)(p.n - jumps[j] - 1);
	}

	/* allowed = (access & ~r7) == 0 */
	emit(&p, ALU64_IMM(BPF_XOR, BPF_REG_7, CGROUP_DEV_ALL));
	emit(&p, INSN(BPF_ALU64 | BPF_AND | BPF_X, BPF_REG_4, BPF_REG_7, 0, 0));
	emit(&p, MOV64_IMM(BPF_REG_0, 1));
	emit(&p, JEQ_IMM(BPF_REG_4, 0, 1));
	emit(&p, MOV64_IMM(BPF_REG_0, 0));
	emit(&p, EXIT());

	*ret = p.v;
	*ret_n = p.n;
	return 0;
}

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

int cgroup_devices_bpf_load(const struct bpf_insn *insns, size_t n, struct hull_error **err)
{
	static const char license[] = "GPL";
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)n;
	attr.license = (uint64_t)(uintptr_t)license;
	int fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	int r = -errno;
	if (r != -EINVAL && r != -EACCES)
		return hull_err_errno(err, r, "bpf: load the device filter program");

	/* Again with the verifier's log, for the message. */
	size_t log_size = 64 * 1024;
	_cleanup_free_ char *log = xcalloc(1, log_size);
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = (uint32_t)log_size;
	attr.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	r = -errno;
	size_t len = strnlen(log, log_size);
	const char *tail = len > 400 ? log + len - 400 : log;
	return hull_err_errno(err, r, "bpf: the verifier refused the device filter program (%s)", tail);
}

int cgroup_devices_bpf_install(int cgroup_fd, int prog_fd, struct hull_error **err)
{
	uint32_t ids[64];
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgroup_fd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = ELEMENTSOF(ids);
	size_t n_old = 0;
	if (sys_bpf(BPF_PROG_QUERY, &attr) == 0)
		n_old = attr.query.prog_cnt < ELEMENTSOF(ids) ? attr.query.prog_cnt : ELEMENTSOF(ids);
	else if (errno != EINVAL && errno != ENOENT)
		return hull_err_errno(err, -errno, "bpf: query the device programs of the cgroup");

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
		return hull_err_errno(err, -errno, "bpf: attach the device filter program to the cgroup");

	/* The new program is in force; now drop the old ones (both were in force meanwhile, and a
	 * device had to pass both: never more than either list allows). */
	for (size_t i = 0; i < n_old; i++) {
		memset(&attr, 0, sizeof(attr));
		attr.prog_id = ids[i];
		_cleanup_close_ int old = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
		if (old < 0) {
			if (errno == ENOENT)
				continue;
			return hull_err_errno(err, -errno, "bpf: open the previous device program %u", ids[i]);
		}
		memset(&attr, 0, sizeof(attr));
		attr.target_fd = (uint32_t)cgroup_fd;
		attr.attach_bpf_fd = (uint32_t)old;
		attr.attach_type = BPF_CGROUP_DEVICE;
		if (sys_bpf(BPF_PROG_DETACH, &attr) < 0 && errno != ENOENT)
			return hull_err_errno(err, -errno, "bpf: detach the previous device program %u", ids[i]);
	}
	return 0;
}
