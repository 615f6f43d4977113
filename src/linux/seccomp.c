/* SPDX-License-Identifier: GPL-2.0-or-later */
/* linux.seccomp: compile with libseccomp in the parent, cache by content hash, load in the child.
 * See seccomp.h for who runs what, docs/seccomp.md for the ENOSYS prefix. */
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "alloc.h"
#include "fd-util.h"
#include "seccomp-docker.h"
#include "sha256.h"
/* angle brackets: found through the include path, so #include_next inside works (see there) */
#include <libseccomp.h>

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* The x32 ABI shares AUDIT_ARCH_X86_64 and sets this bit in the syscall number. */
#define X32_SYSCALL_BIT 0x40000000U

/* Bump when the generated program changes for the same input (stub layout, bad-arch action,
 * libseccomp attributes): old cache entries then stop matching. */
#define BPF_FORMAT_VERSION 2 /* 2: no "ld #0" after the ENOSYS prefix */

/* ---- name tables ------------------------------------------------------------------------------ */

static const struct {
	const char *name;
	unsigned flag;
} flag_table[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

/* The libseccomp action of a runtime-spec action. ERRNO and TRACE carry errnoRet, EPERM when it
 * is not given (runc does the same for TRACE). SCMP_ACT_KILL is the thread-killing action. */
static uint32_t scmp_action(enum oci_seccomp_action a, bool has_errno, unsigned errno_ret)
{
	unsigned e = has_errno ? errno_ret : EPERM;
	switch (a) {
	case OCI_SECCOMP_KILL:
	case OCI_SECCOMP_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case OCI_SECCOMP_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case OCI_SECCOMP_TRAP:
		return SCMP_ACT_TRAP;
	case OCI_SECCOMP_ERRNO:
		return SCMP_ACT_ERRNO(e);
	case OCI_SECCOMP_TRACE:
		return SCMP_ACT_TRACE(e);
	case OCI_SECCOMP_ALLOW:
		return SCMP_ACT_ALLOW;
	case OCI_SECCOMP_LOG:
		return SCMP_ACT_LOG;
	case OCI_SECCOMP_NOTIFY:
		return SCMP_ACT_NOTIFY;
	case _OCI_SECCOMP_ACTION_MAX:
		break;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static enum scmp_compare scmp_op(enum oci_seccomp_op o)
{
	switch (o) {
	case OCI_SCMP_CMP_NE:
		return SCMP_CMP_NE;
	case OCI_SCMP_CMP_LT:
		return SCMP_CMP_LT;
	case OCI_SCMP_CMP_LE:
		return SCMP_CMP_LE;
	case OCI_SCMP_CMP_EQ:
		return SCMP_CMP_EQ;
	case OCI_SCMP_CMP_GE:
		return SCMP_CMP_GE;
	case OCI_SCMP_CMP_GT:
		return SCMP_CMP_GT;
	case OCI_SCMP_CMP_MASKED_EQ:
		return SCMP_CMP_MASKED_EQ;
	case _OCI_SCMP_CMP_MAX:
		break;
	}
	return _SCMP_CMP_MIN; /* invalid: libseccomp refuses it */
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token (its name is "x86_64"); 0 when unknown. */
static uint32_t arch_token(const char *name)
{
	static const char prefix[] = "SCMP_ARCH_";
	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return 0;
	char buf[32];
	size_t n = strlen(name + sizeof(prefix) - 1);
	if (n == 0 || n >= sizeof(buf))
		return 0;
	for (size_t i = 0; i <= n; i++) {
		char c = name[sizeof(prefix) - 1 + i];
		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	return seccomp_arch_resolve_name(buf);
}

/* The ENOSYS prefix applies when the default action refuses the call: ERRNO (unless it already
 * is ENOSYS), the KILL actions and TRAP. Not for ALLOW and LOG (nothing to refuse) nor TRACE
 * (the tracer decides). */
static bool default_refuses(const struct oci_seccomp *s)
{
	switch (s->default_action) {
	case OCI_SECCOMP_ERRNO:
		return !(s->has_default_errno_ret && s->default_errno_ret == ENOSYS);
	case OCI_SECCOMP_KILL:
	case OCI_SECCOMP_KILL_PROCESS:
	case OCI_SECCOMP_KILL_THREAD:
	case OCI_SECCOMP_TRAP:
		return true;
	case OCI_SECCOMP_TRACE:
	case OCI_SECCOMP_ALLOW:
	case OCI_SECCOMP_LOG:
	case OCI_SECCOMP_NOTIFY:
	case _OCI_SECCOMP_ACTION_MAX:
		break;
	}
	return false;
}

/* ---- warnings and flags (also run when the BPF comes from the cache) --------------------------- */

static bool any_notify(const struct oci_seccomp *s)
{
	for (size_t i = 0; i < s->n_syscalls; i++)
		if (s->syscalls[i].action == OCI_SECCOMP_NOTIFY)
			return true;
	return false;
}

static void warn_profile(const struct oci_seccomp *s, const struct hull_log *log, enum hull_log_level level)
{
	for (size_t i = 0; s->architectures && s->architectures[i]; i++)
		if (arch_token(s->architectures[i]) == 0) {
			_cleanup_free_ char *q = oci_quote_value(s->architectures[i]);
			hull_log(log, level,
			         "linux.seccomp.architectures[%zu]: architecture %s is not supported by libseccomp, "
			         "skipped",
			         i, q);
		}
	/* One line for all of them: Docker's profile names syscalls newer than Debian's
	 * libseccomp, and nine warnings per container drown everything else. */
	_cleanup_free_ char *names = NULL;
	size_t n_unknown = 0;
	for (size_t i = 0; i < s->n_syscalls; i++)
		for (size_t j = 0; s->syscalls[i].names && s->syscalls[i].names[j]; j++)
			if (seccomp_syscall_resolve_name(s->syscalls[i].names[j]) == __NR_SCMP_ERROR) {
				_cleanup_free_ char *q = oci_quote_value(s->syscalls[i].names[j]);
				char *t = names ? xasprintf("%s, %s", names, q)
				                : xasprintf("linux.seccomp.syscalls[%zu].names[%zu] %s", i, j, q);
				free(names);
				names = t;
				n_unknown++;
			}
	if (n_unknown > 0)
		hull_log(log, level, "linux.seccomp: %zu system call%s unknown to libseccomp %u.%u.%u, skipped: %s",
		         n_unknown, n_unknown == 1 ? "" : "s", seccomp_version()->major, seccomp_version()->minor,
		         seccomp_version()->micro, names);
}

static int plan_meta(const struct oci_seccomp *s, const struct hull_log *log, struct seccomp_plan *p,
                     struct hull_error **err)
{
	unsigned flags = 0;
	bool notify = any_notify(s);
	for (size_t i = 0; s->flags && s->flags[i]; i++) {
		size_t k = 0;
		while (k < ELEMENTSOF(flag_table) && !streq(flag_table[k].name, s->flags[i]))
			k++;
		if (k == ELEMENTSOF(flag_table)) {
			_cleanup_free_ char *q = oci_quote_value(s->flags[i]);
			return hull_err(err, -EINVAL, "linux.seccomp.flags[%zu]: unknown seccomp flag %s", i, q);
		}
		if (flag_table[k].flag == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV && !notify) {
			hull_warn(log,
			          "linux.seccomp.flags[%zu]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV only applies "
			          "with SCMP_ACT_NOTIFY rules, ignored",
			          i);
			continue;
		}
		flags |= flag_table[k].flag;
	}
	if (notify) {
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		/* The kernel refuses TSYNC together with a listener unless a failed thread sync
		 * reports ESRCH instead of a thread id (which would be ambiguous with the fd). */
		if (flags & SECCOMP_FILTER_FLAG_TSYNC)
			flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	}
	p->flags = flags;
	p->notify = notify;
	p->need_listener = notify && s->listener_path && *s->listener_path;
	p->listener_path = s->listener_path ? xstrdup(s->listener_path) : NULL;
	p->listener_metadata = s->listener_metadata ? xstrdup(s->listener_metadata) : NULL;
	p->has_filter = true;
	return 0;
}

/* ---- compilation -------------------------------------------------------------------------------- */

static void ctx_releasep(scmp_filter_ctx *c)
{
	if (*c)
		seccomp_release(*c);
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const struct oci_seccomp_syscall *sc)
{
	if (sc->n_args == 0)
		return seccomp_rule_add_array(ctx, action, nr, 0, NULL);
	if (sc->n_args > 6)
		return -EINVAL;
	struct scmp_arg_cmp cmp[6];
	bool seen[6] = {false}, dup = false;
	for (size_t k = 0; k < sc->n_args; k++) {
		const struct oci_seccomp_arg *a = &sc->args[k];
		if (a->index > 5)
			return -EINVAL;
		dup = dup || seen[a->index];
		seen[a->index] = true;
		/* For MASKED_EQ libseccomp's datum_a is the mask and datum_b the value: the spec's
		 * value and valueTwo, in that order. */
		cmp[k] = (struct scmp_arg_cmp){
		    .arg = a->index, .op = scmp_op(a->op), .datum_a = a->value, .datum_b = a->value_two};
	}
	if (!dup)
		return seccomp_rule_add_array(ctx, action, nr, (unsigned)sc->n_args, cmp);
	/* Two comparisons of one argument cannot be ANDed in a libseccomp rule: one rule each, so
	 * the comparisons are ORed (runc does the same). */
	for (size_t k = 0; k < sc->n_args; k++) {
		int r = seccomp_rule_add_array(ctx, action, nr, 1, &cmp[k]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The architectures of the filter: the native one and the listed ones libseccomp knows. */
struct arch_set {
	uint32_t tokens[32];
	size_t n;
};

static void arch_set_add(struct arch_set *a, uint32_t t)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->tokens[i] == t)
			return;
	if (a->n < ELEMENTSOF(a->tokens))
		a->tokens[a->n++] = t;
}

/* One group of the ENOSYS prefix: an audit arch and the highest syscall number the profile
 * names for it. x86-64 and x32 share AUDIT_ARCH_X86_64 and are told apart by X32_SYSCALL_BIT: low
 * is below the bit, high at or above it; -1: no limit known. */
struct enosys_group {
	uint32_t audit;
	bool split;
	int64_t low_max, high_max;
};

#define STMT(c, kk) ((struct sock_filter){.code = (unsigned short)(c), .jt = 0, .jf = 0, .k = (kk)})
#define JUMP(c, kk, t, f) \
	((struct sock_filter){ \
	    .code = (unsigned short)(c), .jt = (unsigned char)(t), .jf = (unsigned char)(f), .k = (kk)})

/* Builds the ENOSYS prefix. For each architecture of the filter: when the call comes from it
 * and its number is above the highest number of that architecture that the profile names, the
 * result is ERRNO(ENOSYS); everything else continues into libseccomp's program (which loads
 * the arch first, so what is left in A does not matter). All jumps are forward and short, so the prefix needs no change
 * to the program that follows. Returns the number of instructions written to out (at most max), -E2BIG. */
static int build_enosys_prefix(const struct oci_seccomp *s, const struct arch_set *arches, struct sock_filter *out,
                               size_t max)
{
	struct enosys_group g[ELEMENTSOF(arches->tokens)];
	size_t ng = 0;
	for (size_t a = 0; a < arches->n; a++) {
		uint32_t t = arches->tokens[a];
		int64_t m = -1;
		for (size_t i = 0; i < s->n_syscalls; i++)
			for (size_t j = 0; s->syscalls[i].names && s->syscalls[i].names[j]; j++) {
				int nr = seccomp_syscall_resolve_name_arch(t, s->syscalls[i].names[j]);
				if (nr >= 0 && nr > m) /* negative: unknown, or a pseudo-syscall here */
					m = nr;
			}
		if (m < 0)
			continue; /* the profile names nothing for this arch: leave it to the default */
		bool x32 = t == SCMP_ARCH_X32;
		uint32_t audit = x32 ? SCMP_ARCH_X86_64 : t;
		size_t k = 0;
		while (k < ng && g[k].audit != audit)
			k++;
		if (k == ng)
			g[ng++] = (struct enosys_group){
			    .audit = audit, .split = audit == SCMP_ARCH_X86_64, .low_max = -1, .high_max = -1};
		if (x32)
			g[k].high_max = m;
		else
			g[k].low_max = m;
	}
	if (ng == 0)
		return 0;

	/* Layout: the groups, then "ja +1", "ret ERRNO(ENOSYS)" (enosys); cont is the first instruction
	 * after the prefix, libseccomp's own program, which starts by loading the arch, so the value
	 * we leave in A does not matter. Only loads of nr/arch, jumps with constants and constant
	 * returns: the kernel's per-syscall constant-action cache (seccomp_cache_prepare) still sees
	 * the whole filter as a function of (arch, nr) and skips running it for always-allowed calls.
	 * An "ld #0" here would defeat that cache for every syscall. */
	size_t len = 2;
	for (size_t k = 0; k < ng; k++)
		len += g[k].split ? 6 : 4;
	if (len > max || len > 255) /* conditional jump offsets are 8 bits */
		return -E2BIG;
	size_t enosys = len - 1, cont = len, pc = 0;
#define EMIT(insn) (out[pc] = (insn), pc++)
#define TO(target) ((target) - (pc + 1)) /* forward offset from the instruction being emitted */
	for (size_t k = 0; k < ng; k++) {
		size_t next = pc + (g[k].split ? 6 : 4);
		EMIT(STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
		EMIT(JUMP(BPF_JMP | BPF_JEQ | BPF_K, g[k].audit, 0, TO(next)));
		EMIT(STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
		if (!g[k].split) {
			EMIT(JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)g[k].low_max, TO(enosys), TO(cont)));
			continue;
		}
		/* nr >= X32_SYSCALL_BIT: go to the high check (two further on) */
		EMIT(JUMP(BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 1, 0));
		if (g[k].low_max >= 0)
			EMIT(JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)g[k].low_max, TO(enosys), TO(cont)));
		else
			EMIT(STMT(BPF_JMP | BPF_JA, (uint32_t)TO(cont)));
		if (g[k].high_max >= 0)
			EMIT(JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)g[k].high_max, TO(enosys), TO(cont)));
		else
			EMIT(STMT(BPF_JMP | BPF_JA, (uint32_t)TO(cont)));
	}
	EMIT(STMT(BPF_JMP | BPF_JA, 1));
	EMIT(STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)));
#undef EMIT
#undef TO
	return (int)pc;
}

/* libseccomp exports the program into an fd: a memfd, read back whole. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **ret, size_t *ret_n, struct hull_error **err)
{
	_cleanup_close_ int fd = memfd_create("hull-seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return hull_err_errno(err, -errno, "seccomp: memfd_create");
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return hull_err_errno(err, r, "seccomp: exporting the filter");
	struct stat st;
	if (fstat(fd, &st) < 0)
		return hull_err_errno(err, -errno, "seccomp: fstat");
	if (st.st_size <= 0 || st.st_size % (off_t)sizeof(struct sock_filter) != 0 ||
	    st.st_size > (off_t)(BPF_MAXINSNS * sizeof(struct sock_filter)))
		return hull_err(err, -EBADMSG, "seccomp: libseccomp produced a program of %jd bytes",
		                (intmax_t)st.st_size);
	size_t n = (size_t)st.st_size / sizeof(struct sock_filter);
	_cleanup_free_ struct sock_filter *insns = xcalloc(n, sizeof(*insns));
	ssize_t got = pread(fd, insns, n * sizeof(*insns), 0);
	if (got < 0)
		return hull_err_errno(err, -errno, "seccomp: reading the exported filter");
	if ((size_t)got != n * sizeof(*insns))
		return hull_err(err, -EIO, "seccomp: short read of the exported filter");
	*ret = TAKE_PTR(insns);
	*ret_n = n;
	return 0;
}

static int compile(const struct oci_seccomp *s, const struct hull_log *log, struct sock_filter **ret, size_t *ret_n,
                   struct hull_error **err)
{
	uint32_t def = scmp_action(s->default_action, s->has_default_errno_ret, s->default_errno_ret);
	_cleanup_(ctx_releasep) scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return hull_err(err, -EINVAL, "linux.seccomp.defaultAction: libseccomp refused %s",
		                oci_seccomp_action_to_string(s->default_action));
	/* A call from an ABI the filter does not list is never legitimate in the container: kill
	 * the whole process rather than one thread of it. */
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r < 0) /* libseccomp believes the kernel lacks KILL_PROCESS (< 4.14): keep its default */
		hull_debug(log, "seccomp: bad-architecture action KILL_PROCESS refused by libseccomp (%d)", r);
	/* Binary-tree dispatch on the syscall number (libseccomp >= 2.5); older ones keep the
	 * linear list, which is slower but equivalent. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

	struct arch_set arches = {0};
	arch_set_add(&arches, seccomp_arch_native());
	for (size_t i = 0; s->architectures && s->architectures[i]; i++) {
		uint32_t t = arch_token(s->architectures[i]);
		if (t == 0)
			continue; /* warned about */
		r = seccomp_arch_add(ctx, t);
		if (r < 0 && r != -EEXIST)
			return hull_err_errno(err, r, "linux.seccomp.architectures[%zu]: adding %s", i,
			                      s->architectures[i]);
		arch_set_add(&arches, t);
	}

	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct oci_seccomp_syscall *sc = &s->syscalls[i];
		uint32_t act = scmp_action(sc->action, sc->has_errno_ret, sc->errno_ret);
		if (act == def) {
			hull_debug(log, "linux.seccomp.syscalls[%zu]: same action as the default, skipped", i);
			continue;
		}
		for (size_t j = 0; sc->names && sc->names[j]; j++) {
			int nr = seccomp_syscall_resolve_name(sc->names[j]);
			if (nr == __NR_SCMP_ERROR)
				continue; /* warned about */
			r = add_rule(ctx, act, nr, sc);
			if (r < 0)
				return hull_err_errno(err, r,
				                      "linux.seccomp.syscalls[%zu].names[%zu]: adding the rule for %s",
				                      i, j, sc->names[j]);
		}
	}

	_cleanup_free_ struct sock_filter *prog = NULL;
	size_t n_prog = 0;
	r = export_bpf(ctx, &prog, &n_prog, err);
	if (r < 0)
		return r;

	struct sock_filter prefix[256];
	int n_prefix = 0;
	if (default_refuses(s)) {
		n_prefix = build_enosys_prefix(s, &arches, prefix, ELEMENTSOF(prefix));
		if (n_prefix < 0)
			return hull_err(err, n_prefix, "seccomp: too many architectures for the ENOSYS prefix");
	}
	size_t total = (size_t)n_prefix + n_prog;
	if (total > BPF_MAXINSNS)
		return hull_err(err, -E2BIG, "linux.seccomp: the filter has %zu instructions, the kernel allows %d",
		                total, BPF_MAXINSNS);
	struct sock_filter *all = xcalloc(total, sizeof(*all));
	memcpy(all, prefix, (size_t)n_prefix * sizeof(*all));
	memcpy(all + n_prefix, prog, n_prog * sizeof(*all));
	*ret = all;
	*ret_n = total;
	return 0;
}

int seccomp_plan_build(const struct oci_seccomp *s, const struct hull_log *log, struct seccomp_plan *ret,
                       struct hull_error **err)
{
	struct seccomp_plan p = {0};
	if (!s) {
		*ret = p;
		return 0;
	}
	warn_profile(s, log, HULL_LOG_WARN);
	int r = plan_meta(s, log, &p, err);
	if (r >= 0)
		r = compile(s, log, &p.insns, &p.n_insns, err);
	if (r < 0) {
		seccomp_plan_done(&p);
		return r;
	}
	*ret = p;
	return 0;
}

void seccomp_plan_done(struct seccomp_plan *p)
{
	if (!p)
		return;
	free(p->insns);
	free(p->listener_path);
	free(p->listener_metadata);
	free(p->cache_pending_dir);
	*p = (struct seccomp_plan){0};
}

/* ---- the cache ------------------------------------------------------------------------------------ */

/* A canonical text of what decides the program; every string is length-prefixed so that no two
 * profiles give the same text. */
static char *cache_text(const struct oci_seccomp *s, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	const struct scmp_version *v = seccomp_version();
	fprintf(f, "hull-seccomp-bpf %d\nlibseccomp %u.%u.%u api %u native %" PRIu32 "\n", BPF_FORMAT_VERSION, v->major,
	        v->minor, v->micro, seccomp_api_get(), seccomp_arch_native());
	fprintf(f, "default %d %d %u\n", (int)s->default_action, (int)s->has_default_errno_ret, s->default_errno_ret);
	for (size_t i = 0; s->architectures && s->architectures[i]; i++)
		fprintf(f, "arch %zu:%s\n", strlen(s->architectures[i]), s->architectures[i]);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct oci_seccomp_syscall *sc = &s->syscalls[i];
		fprintf(f, "syscall %d %d %u %zu\n", (int)sc->action, (int)sc->has_errno_ret, sc->errno_ret,
		        sc->n_args);
		for (size_t j = 0; sc->names && sc->names[j]; j++)
			fprintf(f, "name %zu:%s\n", strlen(sc->names[j]), sc->names[j]);
		for (size_t k = 0; k < sc->n_args; k++)
			fprintf(f, "arg %u %d %" PRIu64 " %" PRIu64 "\n", sc->args[k].index, (int)sc->args[k].op,
			        sc->args[k].value, sc->args[k].value_two);
	}
	if (fclose(f) != 0 || !buf)
		abort(); /* out of memory */
	*ret_len = len;
	return buf;
}

int seccomp_plan_cache_key(const struct oci_seccomp *s, char out[65])
{
	if (!s)
		return -EINVAL;
	size_t len;
	_cleanup_free_ char *text = cache_text(s, &len);
	uint8_t md[SHA256_DIGEST_SIZE];
	sha256(text, len, md);
	sha256_hex(md, out);
	return 0;
}

struct cache_header {
	char magic[8]; /* "HULLBPF1" */
	uint32_t n_insns;
	uint32_t reserved;
	unsigned char sha256[32]; /* of the instructions */
};

static const char cache_magic[8] = {'H', 'U', 'L', 'L', 'B', 'P', 'F', '1'};

static bool valid_key(const char *key)
{
	return key && strlen(key) == 64 && strspn(key, "0123456789abcdef") == 64;
}

int seccomp_cache_load(const char *dir, const char *key, struct seccomp_plan *ret)
{
	if (!dir || !valid_key(key) || ret->insns)
		return -EINVAL;
	_cleanup_free_ char *path = xasprintf("%s/%s.bpf", dir, key);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	if (fd < 0)
		return -errno;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -errno;
	/* Only our own file, not writable by anyone else, may become a filter. */
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022))
		return -EPERM;
	struct cache_header h;
	if (st.st_size < (off_t)sizeof(h) || read_all(fd, &h, sizeof(h)) != (ssize_t)sizeof(h))
		return -EBADMSG;
	if (memcmp(h.magic, cache_magic, sizeof(cache_magic)) != 0 || h.n_insns == 0 || h.n_insns > BPF_MAXINSNS ||
	    st.st_size != (off_t)(sizeof(h) + h.n_insns * sizeof(struct sock_filter)))
		return -EBADMSG;
	size_t n = h.n_insns;
	_cleanup_free_ struct sock_filter *insns = xcalloc(n, sizeof(*insns));
	if (read_all(fd, insns, n * sizeof(*insns)) != (ssize_t)(n * sizeof(*insns)))
		return -EBADMSG;
	uint8_t md[SHA256_DIGEST_SIZE];
	sha256(insns, n * sizeof(*insns), md);
	if (memcmp(md, h.sha256, sizeof(md)) != 0)
		return -EBADMSG;
	ret->insns = TAKE_PTR(insns);
	ret->n_insns = n;
	return 0;
}

int seccomp_cache_store(const char *dir, const char *key, const struct seccomp_plan *p)
{
	if (!dir || !valid_key(key) || !p->insns || p->n_insns == 0 || p->n_insns > BPF_MAXINSNS)
		return -EINVAL;
	struct cache_header h = {.n_insns = (uint32_t)p->n_insns};
	memcpy(h.magic, cache_magic, sizeof(h.magic));
	sha256(p->insns, p->n_insns * sizeof(*p->insns), h.sha256);
	_cleanup_free_ char *path = xasprintf("%s/%s.bpf", dir, key);
	_cleanup_free_ char *tmp = xasprintf("%s/.%s.XXXXXX", dir, key);
	_cleanup_close_ int fd = mkostemp(tmp, O_CLOEXEC); /* created 0600 */
	if (fd < 0)
		return -errno;
	int r = RET_NERRNO(fchmod(fd, 0600));
	if (r >= 0)
		r = write_all(fd, &h, sizeof(h));
	if (r >= 0)
		r = write_all(fd, p->insns, p->n_insns * sizeof(*p->insns));
	if (r >= 0)
		r = RET_NERRNO(fsync(fd));
	if (r >= 0)
		r = RET_NERRNO(rename(tmp, path));
	if (r < 0)
		(void)unlink(tmp);
	return r < 0 ? r : 0;
}

int seccomp_plan_build_cached(const struct oci_seccomp *s, const char *cache_dir, const struct hull_log *log,
                              struct seccomp_plan *ret, struct hull_error **err)
{
	if (!s || !cache_dir)
		return seccomp_plan_build(s, log, ret, err);
	char key[65];
	int r = seccomp_plan_cache_key(s, key);
	if (r < 0) {
		hull_debug(log, "seccomp cache: no key (%d), compiling", r);
		return seccomp_plan_build(s, log, ret, err);
	}
	struct seccomp_plan p = {0};
	/* Warned on every use, cached or not: the profile does not filter those names as written. */
	warn_profile(s, log, HULL_LOG_WARN);
	r = plan_meta(s, log, &p, err);
	if (r < 0)
		return r;
	r = seccomp_cache_load(cache_dir, key, &p);
	if (r >= 0) {
		hull_debug(log, "seccomp cache: %s.bpf used", key);
		*ret = p;
		return 0;
	}
	if (r != -ENOENT)
		hull_debug(log, "seccomp cache: %s/%s.bpf not usable (%d), compiling", cache_dir, key, r);
	r = compile(s, log, &p.insns, &p.n_insns, err);
	if (r < 0) {
		seccomp_plan_done(&p);
		return r;
	}
	/* The cache directory lives in the state root, which is ours; the first create in a new root
	 * runs before the root exists: then the store waits for seccomp_plan_cache_flush. */
	if (mkdir(cache_dir, 0700) < 0 && errno != EEXIST) {
		if (errno == ENOENT) {
			p.cache_pending_dir = xstrdup(cache_dir);
			memcpy(p.cache_pending_key, key, sizeof(key));
		} else {
			hull_debug(log, "seccomp cache: mkdir %s: %d", cache_dir, -errno);
		}
	} else if ((r = seccomp_cache_store(cache_dir, key, &p)) < 0) {
		hull_debug(log, "seccomp cache: storing %s.bpf: %d", key, r);
	}
	*ret = p;
	return 0;
}

void seccomp_plan_cache_flush(struct seccomp_plan *p, const struct hull_log *log)
{
	if (!p || !p->cache_pending_dir)
		return;
	int r = 0;
	if (mkdir(p->cache_pending_dir, 0700) < 0 && errno != EEXIST)
		hull_debug(log, "seccomp cache: mkdir %s: %d", p->cache_pending_dir, -errno);
	else if ((r = seccomp_cache_store(p->cache_pending_dir, p->cache_pending_key, p)) < 0)
		hull_debug(log, "seccomp cache: storing %s.bpf: %d", p->cache_pending_key, r);
	free(p->cache_pending_dir);
	p->cache_pending_dir = NULL;
}

/* ---- the child ------------------------------------------------------------------------------------ */

int seccomp_apply(const struct seccomp_plan *p, int *ret_listener_fd, struct hull_error **err)
{
	if (ret_listener_fd)
		*ret_listener_fd = -EBADF;
	if (!p || !p->has_filter)
		return 0;
	if (!p->insns || p->n_insns == 0 || p->n_insns > BPF_MAXINSNS)
		return hull_err(err, -EINVAL, "seccomp: no filter program");
	struct sock_fprog prog = {.len = (unsigned short)p->n_insns, .filter = p->insns};
	/* Loading a filter only ever narrows what this process may do. */
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned long)p->flags, &prog);
	if (r < 0) {
		int e = errno;
		if (e == EACCES)
			return hull_err_errno(err, -e,
			                      "seccomp: loading the filter needs no_new_privs or CAP_SYS_ADMIN");
		if (e == EINVAL)
			return hull_err_errno(
			    err, -e, "seccomp: loading the filter (flags 0x%x; does the kernel know them?)", p->flags);
		return hull_err_errno(err, -e, "seccomp: loading the filter");
	}
	if (p->notify) {
		if (ret_listener_fd)
			*ret_listener_fd = (int)r;
		else
			close((int)r);
		return 0;
	}
	if (r > 0) /* TSYNC: a thread that could not be synchronized */
		return hull_err(err, -EAGAIN, "seccomp: thread %ld could not be synchronized (TSYNC)", r);
	return 0;
}

/* ---- the listener ------------------------------------------------------------------------------------ */

/* sendmsg of all of buf, the fd riding on the first byte. */
static int send_with_fd(int sock, int fd, const char *buf, size_t len)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.b, .msg_controllen = sizeof(u.b)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t n;
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (size_t off = (size_t)n; off < len; off += (size_t)n) {
		do
			n = send(sock, buf + off, len - off, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
	}
	return 0;
}

int seccomp_listener_connect(const char *listener_path, struct hull_error **err)
{
	if (!listener_path || !*listener_path)
		return hull_err(err, -EINVAL, "linux.seccomp.listenerPath: empty");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(listener_path) >= sizeof(sa.sun_path))
		return hull_err(err, -ENAMETOOLONG, "linux.seccomp.listenerPath: longer than %zu bytes",
		                sizeof(sa.sun_path) - 1);
	strcpy(sa.sun_path, listener_path);
	_cleanup_close_ int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return hull_err_errno(err, -errno, "seccomp listener: socket");
	int r;
	do
		r = connect(sock, (struct sockaddr *)&sa, sizeof(sa));
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return hull_err_errno(err, -errno, "linux.seccomp.listenerPath: connecting to %s", listener_path);
	return TAKE_FD(sock);
}

int seccomp_send_listener_on(int sock, int listener_fd, pid_t pid, const char *state_json, const char *metadata,
                             struct hull_error **err)
{
	if (listener_fd < 0)
		return hull_err(err, -EBADF, "seccomp: no listener fd to send");
	_cleanup_free_ char *doc = NULL;
	int r = oci_container_process_state_json(state_json, pid, metadata, &doc, err);
	if (r < 0)
		return r;
	r = send_with_fd(sock, listener_fd, doc, strlen(doc));
	if (r < 0)
		return hull_err_errno(err, r, "linux.seccomp.listenerPath: sending the listener fd");
	return 0;
}

int seccomp_send_listener(const char *listener_path, int listener_fd, pid_t pid, const char *state_json,
                          const char *metadata, struct hull_error **err)
{
	_cleanup_close_ int sock = seccomp_listener_connect(listener_path, err);
	if (sock < 0)
		return sock;
	return seccomp_send_listener_on(sock, listener_fd, pid, state_json, metadata, err);
}
