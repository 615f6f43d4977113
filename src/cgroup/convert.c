/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Value conversions between cgroup v1 and v2 interfaces. Pure; any process. */
#include <errno.h>

#include "cgroup.h"

uint64_t cgroup_cpu_shares_to_weight(uint64_t shares)
{
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cgroup_cpu_weight_to_shares(uint64_t weight)
{
	if (weight == 0)
		return 0;
	if (weight > 10000)
		weight = 10000;
	/* The smallest shares value that maps back to this weight (rounded up). */
	return 2 + ((weight - 1) * 262142 + 9998) / 9999;
}

uint64_t cgroup_blkio_weight_to_io_weight(uint64_t weight)
{
	if (weight == 0)
		return 0;
	if (weight < 10)
		weight = 10;
	if (weight > 1000)
		weight = 1000;
	return 1 + (weight - 10) * 9999 / 990;
}

int cgroup_swap_to_v2(int64_t swap, int64_t limit, int64_t *ret)
{
	/* Unlimited memory and no explicit swap: unlimited swap too (what v1 does with memsw). */
	if (limit == -1 && swap == 0) {
		*ret = -1;
		return 1;
	}
	if (swap == 0)
		return 0; /* not set */
	if (swap == -1) {
		*ret = -1;
		return 1;
	}
	if (swap < 0 || limit <= 0 || swap < limit)
		return -EINVAL;
	*ret = swap - limit;
	return 1;
}
