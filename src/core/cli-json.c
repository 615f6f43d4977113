/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Public wrappers over the oci layer's list/ps/log-line JSON builders, so the CLI prints JSON
 * without including oci headers. Runs in the CLI process (parent), unprivileged work only. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "alloc.h"
#include "hull/hull.h"
#include "state-json.h"

int hull_list_json(const struct hull_container_info *v, size_t n, char **ret)
{
	if ((!v && n > 0) || !ret)
		return -EINVAL;
	_cleanup_free_ struct oci_list_entry *e = xcalloc(n, sizeof(*e));
	for (size_t i = 0; i < n; i++)
		e[i] = (struct oci_list_entry){
		    .id = v[i].id,
		    .pid = v[i].pid,
		    .status = v[i].status,
		    .bundle = v[i].bundle,
		    .created = v[i].created,
		    .owner = v[i].owner,
		};
	return oci_list_to_json(e, n, ret);
}

int hull_pids_json(const pid_t *pids, size_t n, char **ret)
{
	return oci_pids_to_json(pids, n, ret);
}

int hull_log_line_json(const char *level, const char *msg, char **ret)
{
	struct timespec ts;
	struct tm tm;
	char base[32], now[64];

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -errno;
	if (!gmtime_r(&ts.tv_sec, &tm) || strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return -EINVAL;
	snprintf(now, sizeof(now), "%s.%09ldZ", base, ts.tv_nsec);
	return oci_log_line_json(level, msg, now, ret);
}
