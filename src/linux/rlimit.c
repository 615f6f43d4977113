/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rlimit.h"

#include <errno.h>
#include <sys/resource.h>

static const char *rlimit_label(const struct oci_rlimit *l)
{
	if (l->type)
		return l->type;
	const char *s = oci_rlimit_to_string(l->resource);
	return s ? s : "RLIMIT_?";
}

int rlimits_validate(const struct oci_rlimit *v, size_t n, struct hull_error **err)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].resource < 0 || v[i].resource >= RLIM_NLIMITS)
			return hull_err(err, -EINVAL, "process.rlimits[%zu].type: unknown resource \"%s\"", i,
			                rlimit_label(&v[i]));
		if (v[i].soft > v[i].hard)
			return hull_err(
			    err, -EINVAL, "process.rlimits[%zu] %s: soft limit %llu is above the hard limit %llu", i,
			    rlimit_label(&v[i]), (unsigned long long)v[i].soft, (unsigned long long)v[i].hard);
		for (size_t j = 0; j < i; j++)
			if (v[j].resource == v[i].resource)
				return hull_err(err, -EINVAL, "process.rlimits[%zu]: duplicate %s (also rlimits[%zu])",
				                i, rlimit_label(&v[i]), j);
	}
	return 0;
}

int rlimits_apply(const struct oci_rlimit *v, size_t n, struct hull_error **err)
{
	for (size_t i = 0; i < n; i++) {
		/* rlim_t is 64 bits; UINT64_MAX is RLIM_INFINITY, as the spec intends. */
		struct rlimit rl = {.rlim_cur = (rlim_t)v[i].soft, .rlim_max = (rlim_t)v[i].hard};
		/* Raising a hard limit is allowed to the container only with CAP_SYS_RESOURCE in the
		 * initial user namespace; the kernel decides. */
		if (setrlimit((__rlimit_resource_t)v[i].resource, &rl) < 0)
			return hull_err_errno(err, -errno, "process.rlimits[%zu] %s: setrlimit soft=%llu hard=%llu", i,
			                      rlimit_label(&v[i]), (unsigned long long)v[i].soft,
			                      (unsigned long long)v[i].hard);
	}
	return 0;
}
