/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pause, resume, update, events. CLI process only: parse, one libhull call, print. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cli.h"

static int one_id_command(struct cli *cli, const char *cmd, const char *synopsis, const char *description,
                          int (*fn)(const struct hull_context *, const char *, struct hull_error **), int argc,
                          char **argv)
{
	const struct cli_option options[] = {{0}};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;

	int r = cli_parse_command(cli, cmd, synopsis, description, options, 0, 1, 1, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	r = fn(&cli->ctx, pos[0], &err);
	if (r < 0)
		return output_fail(cli->out, r, err, cmd);
	return 0;
}

int cmd_pause(struct cli *cli, int argc, char **argv)
{
	return one_id_command(cli, "pause", "hull pause ID",
	                      "Suspend every process of container ID (cgroup freezer: v1 freezer.state, v2\n"
	                      "cgroup.freeze). The container's status becomes \"paused\" until `hull resume`.",
	                      hull_pause, argc, argv);
}

int cmd_resume(struct cli *cli, int argc, char **argv)
{
	return one_id_command(cli, "resume", "hull resume ID", "Resume the processes of paused container ID.",
	                      hull_resume, argc, argv);
}

/* A size as runc and docker take it: "1048576", "512k", "128m", "1.5g", "64MiB", "2gb"
 * (binary multiples), or -1 for unlimited. */
static int parse_size(const char *s, int64_t *ret)
{
	if (streq(s, "-1")) {
		*ret = -1;
		return 0;
	}
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	char *end;
	errno = 0;
	double v = strtod(p, &end);
	if (errno || end == p || !isfinite(v) || v < 0)
		return -EINVAL;
	p = end;
	if (*p == ' ')
		p++;
	double mult = 1;
	switch (*p) {
	case 'k':
	case 'K':
		mult = 1024.0;
		break;
	case 'm':
	case 'M':
		mult = 1024.0 * 1024;
		break;
	case 'g':
	case 'G':
		mult = 1024.0 * 1024 * 1024;
		break;
	case 't':
	case 'T':
		mult = 1024.0 * 1024 * 1024 * 1024;
		break;
	case 'p':
	case 'P':
		mult = 1024.0 * 1024 * 1024 * 1024 * 1024;
		break;
	default:
		break;
	}
	if (mult > 1) {
		p++;
		if (*p == 'i' || *p == 'I')
			p++;
	}
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p)
		return -EINVAL;
	double bytes = v * mult;
	if (bytes >= 9223372036854775807.0)
		return -ERANGE;
	*ret = (int64_t)bytes;
	return 0;
}

static int parse_i64(const char *s, int64_t *ret)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* A Go duration as runc's --interval takes it ("5s", "500ms", "1m30s", "1.5s"); a bare number is
 * seconds. In milliseconds, at least 1. */
static int parse_interval(const char *s, unsigned *ret_ms)
{
	double total = 0;
	const char *p = s;
	if (!*p)
		return -EINVAL;
	if (strspn(s, "0123456789.") == strlen(s)) {
		char *end;
		errno = 0;
		total = strtod(s, &end) * 1000;
		if (errno || *end || !isfinite(total))
			return -EINVAL;
		p = end;
	}
	while (*p) {
		if ((*p < '0' || *p > '9') && *p != '.')
			return -EINVAL;
		char *end;
		errno = 0;
		double v = strtod(p, &end);
		if (errno || end == p || !isfinite(v))
			return -EINVAL;
		p = end;
		double unit;
		if (strncmp(p, "ns", 2) == 0)
			unit = 1e-6, p += 2;
		else if (strncmp(p, "us", 2) == 0)
			unit = 1e-3, p += 2;
		else if (strncmp(p, "\xc2\xb5s", 3) == 0)
			unit = 1e-3, p += 3;
		else if (strncmp(p, "ms", 2) == 0)
			unit = 1, p += 2;
		else if (*p == 's')
			unit = 1000, p += 1;
		else if (*p == 'm')
			unit = 60000, p += 1;
		else if (*p == 'h')
			unit = 3600000, p += 1;
		else
			return -EINVAL;
		total += v * unit;
	}
	if (total > 86400000.0 * 365)
		return -ERANGE;
	*ret_ms = total < 1 ? 1 : (unsigned)total;
	return 0;
}

int cmd_update(struct cli *cli, int argc, char **argv)
{
	struct hull_update_opts opts = {0};
	const char *memory = NULL, *swap = NULL, *reservation = NULL, *kmem = NULL, *kmem_tcp = NULL;
	const char *shares = NULL, *period = NULL, *quota = NULL, *rt_period = NULL, *rt_runtime = NULL;
	const char *pids = NULL, *weight = NULL;
	const struct cli_option options[] = {
	    {"resources", 'r', CLI_OPT_STRING, &opts.resources_file, NULL, "FILE",
	     "linux.resources JSON (runtime-spec) to apply; '-' reads it from stdin"},
	    {"memory", 0, CLI_OPT_STRING, &memory, NULL, "SIZE", "memory limit (e.g. 128m, 1g; -1 unlimited)"},
	    {"memory-swap", 0, CLI_OPT_STRING, &swap, NULL, "SIZE",
	     "memory plus swap limit (as cgroup v1 memsw; -1 unlimited)"},
	    {"memory-reservation", 0, CLI_OPT_STRING, &reservation, NULL, "SIZE", "memory soft limit"},
	    {"kernel-memory", 0, CLI_OPT_STRING, &kmem, NULL, "SIZE", "deprecated, accepted and ignored"},
	    {"kernel-memory-tcp", 0, CLI_OPT_STRING, &kmem_tcp, NULL, "SIZE", "deprecated, accepted and ignored"},
	    {"cpu-shares", 0, CLI_OPT_STRING, &shares, NULL, "N", "CPU shares (relative weight; v2: cpu.weight)"},
	    {"cpu-period", 0, CLI_OPT_STRING, &period, NULL, "USEC", "CFS period in microseconds"},
	    {"cpu-quota", 0, CLI_OPT_STRING, &quota, NULL, "USEC",
	     "CFS quota in microseconds per period (-1 unlimited)"},
	    {"cpu-rt-period", 0, CLI_OPT_STRING, &rt_period, NULL, "USEC", "realtime period (cgroup v1 only)"},
	    {"cpu-rt-runtime", 0, CLI_OPT_STRING, &rt_runtime, NULL, "USEC", "realtime runtime (cgroup v1 only)"},
	    {"cpuset-cpus", 0, CLI_OPT_STRING, &opts.cpuset_cpus, NULL, "LIST", "CPUs to run on (e.g. 0-2,4)"},
	    {"cpuset-mems", 0, CLI_OPT_STRING, &opts.cpuset_mems, NULL, "LIST", "memory nodes to allocate from"},
	    {"pids-limit", 0, CLI_OPT_STRING, &pids, NULL, "N", "maximum number of tasks (-1 unlimited)"},
	    {"blkio-weight", 0, CLI_OPT_STRING, &weight, NULL, "N", "block IO weight, 10 to 1000"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;

	int r = cli_parse_command(cli, "update", "hull update [OPTIONS] ID",
	                          "Change the cgroup limits of container ID. Only the given values change; a 0\n"
	                          "(in the flags or in --resources, as docker sends it) leaves a value unchanged.\n"
	                          "The flags apply on top of --resources. The new values are recorded, so later\n"
	                          "updates keep them. Device rules cannot be changed.",
	                          options, 0, 1, 1, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	opts.id = pos[0];

	const struct {
		const char *flag, *val;
		struct hull_opt_i64 *dst;
	} sizes[] = {
	    {"--memory", memory, &opts.memory},
	    {"--memory-swap", swap, &opts.memory_swap},
	    {"--memory-reservation", reservation, &opts.memory_reservation},
	    {"--kernel-memory", kmem, &opts.kernel_memory},
	    {"--kernel-memory-tcp", kmem_tcp, &opts.kernel_memory_tcp},
	};
	for (size_t i = 0; i < ELEMENTSOF(sizes); i++) {
		if (!sizes[i].val)
			continue;
		if (parse_size(sizes[i].val, &sizes[i].dst->v) < 0)
			return cli_error(cli, "invalid %s \"%s\": expected a size like 128m or 1g, or -1",
			                 sizes[i].flag, sizes[i].val);
		sizes[i].dst->set = true;
	}
	const struct {
		const char *flag, *val;
		struct hull_opt_u64 *dst;
	} unsigneds[] = {
	    {"--cpu-shares", shares, &opts.cpu_shares},
	    {"--cpu-period", period, &opts.cpu_period},
	    {"--cpu-rt-period", rt_period, &opts.cpu_rt_period},
	    {"--blkio-weight", weight, &opts.blkio_weight},
	};
	for (size_t i = 0; i < ELEMENTSOF(unsigneds); i++) {
		if (!unsigneds[i].val)
			continue;
		if (parse_u64(unsigneds[i].val, &unsigneds[i].dst->v) < 0)
			return cli_error(cli, "invalid %s \"%s\": expected a non-negative integer", unsigneds[i].flag,
			                 unsigneds[i].val);
		unsigneds[i].dst->set = true;
	}
	const struct {
		const char *flag, *val;
		struct hull_opt_i64 *dst;
	} signeds[] = {
	    {"--cpu-quota", quota, &opts.cpu_quota},
	    {"--cpu-rt-runtime", rt_runtime, &opts.cpu_rt_runtime},
	    {"--pids-limit", pids, &opts.pids_limit},
	};
	for (size_t i = 0; i < ELEMENTSOF(signeds); i++) {
		if (!signeds[i].val)
			continue;
		if (parse_i64(signeds[i].val, &signeds[i].dst->v) < 0 || signeds[i].dst->v < -1)
			return cli_error(cli, "invalid %s \"%s\": expected an integer (-1 for unlimited)",
			                 signeds[i].flag, signeds[i].val);
		signeds[i].dst->set = true;
	}

	r = hull_update(&cli->ctx, &opts, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "update");
	return 0;
}

static int print_event(const char *json, void *userdata)
{
	(void)userdata;
	if (fputs(json, stdout) == EOF || putchar('\n') == EOF || fflush(stdout) == EOF)
		return -EPIPE;
	return 0;
}

int cmd_events(struct cli *cli, int argc, char **argv)
{
	struct hull_events_opts opts = {0};
	const char *interval = NULL;
	const struct cli_option options[] = {
	    {"stats", 0, CLI_OPT_BOOL, &opts.stats, NULL, NULL, "print the statistics once and exit"},
	    {"interval", 0, CLI_OPT_STRING, &interval, NULL, "DURATION",
	     "time between statistics events (default 5s; e.g. 1s, 500ms)"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;

	int r = cli_parse_command(cli, "events", "hull events [OPTIONS] ID",
	                          "Print events of container ID as JSON lines, as runc: {\"type\":\"stats\",...}\n"
	                          "every interval (cpu, memory, pids, blkio, hugetlb statistics) and\n"
	                          "{\"type\":\"oom\",...} when a process of the container is killed for lack of\n"
	                          "memory. Ends when the container's init exits.",
	                          options, 0, 1, 1, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (interval && parse_interval(interval, &opts.interval_ms) < 0)
		return cli_error(cli, "invalid --interval \"%s\": expected a duration like 5s or 500ms", interval);
	opts.id = pos[0];
	r = hull_events(&cli->ctx, &opts, print_event, NULL, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "events");
	return 0;
}
