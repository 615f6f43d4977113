/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state, list, ps, features, spec. CLI process only: parse, one libhull call, print. `ps` in
 * table format also runs ps(1) as the invoking user to describe the pids (as runc does). */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "alloc.h"
#include "cli.h"

/* ps(1) output larger than this is refused rather than buffered. */
#define PS_OUTPUT_MAX (64u * 1024 * 1024)

extern char **environ;

static int parse_format(struct cli *cli, const char *format, bool *ret_json)
{
	if (streq(format, "table"))
		*ret_json = false;
	else if (streq(format, "json"))
		*ret_json = true;
	else
		return cli_error(cli, "invalid --format \"%s\": must be table or json", format);
	return 0;
}

int cmd_state(struct cli *cli, int argc, char **argv)
{
	const struct cli_option options[] = {{0}};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ char *json = NULL;
	size_t n;

	int r = cli_parse_command(cli, "state", "hull state ID",
	                          "Print the state of container ID (runtime-spec state: ociVersion, id, status,\n"
	                          "pid, bundle, annotations) as JSON.",
	                          options, 0, 1, 1, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	r = hull_state(&cli->ctx, pos[0], &json, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "state");
	cli_print_document(json);
	return 0;
}

static int info_cmp(const void *a, const void *b)
{
	const struct hull_container_info *x = a, *y = b;
	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

int cmd_list(struct cli *cli, int argc, char **argv)
{
	const char *format = "table";
	bool quiet = false, json = false;
	const struct cli_option options[] = {
	    {"format", 'f', CLI_OPT_STRING, &format, NULL, "FORMAT", "table (default) or json"},
	    {"quiet", 'q', CLI_OPT_BOOL, &quiet, NULL, NULL, "print only the container ids"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	struct hull_container_info *v = NULL;
	size_t n, n_v = 0;

	int r = cli_parse_command(cli, "list", "hull list [OPTIONS]",
	                          "List the containers whose state is under the state root (--root).", options, 0, 0, 0,
	                          argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (parse_format(cli, format, &json) != 0)
		return 1;
	r = hull_list(&cli->ctx, &v, &n_v, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "list");
	if (n_v > 1)
		qsort(v, n_v, sizeof(*v), info_cmp);

	if (quiet) {
		for (size_t i = 0; i < n_v; i++)
			printf("%s\n", v[i].id);
	} else if (json) {
		_cleanup_free_ char *doc = NULL;
		r = hull_list_json(v, n_v, &doc);
		if (r < 0) {
			hull_container_info_free(v, n_v);
			return output_fail(cli->out, r, NULL, "list: format JSON");
		}
		cli_print_document(doc);
	} else {
		struct table t;
		table_init(&t, 6);
		table_add_row(&t, (const char *const[]){"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"});
		for (size_t i = 0; i < n_v; i++) {
			char pid[24];
			snprintf(pid, sizeof(pid), "%d", (int)v[i].pid);
			table_add_row(&t, (const char *const[]){v[i].id, pid, v[i].status, v[i].bundle, v[i].created,
			                                        v[i].owner});
		}
		table_print(&t, stdout);
		table_done(&t);
	}
	hull_container_info_free(v, n_v);
	return 0;
}

/* Runs `ps ARGS...` (ARGS defaulting to -ef) and returns its whole standard output. -ENOENT when
 * there is no ps(1) to run. */
static int run_ps(char **ps_args, char **ret_out, struct hull_error **err)
{
	_cleanup_strv_free_ char **argv = NULL;
	posix_spawn_file_actions_t fa;
	int pipefd[2];
	pid_t pid;

	strv_push(&argv, xstrdup("ps"));
	if (!ps_args || !ps_args[0])
		strv_push(&argv, xstrdup("-ef"));
	for (size_t i = 0; ps_args && ps_args[i]; i++)
		strv_push(&argv, xstrdup(ps_args[i]));

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return hull_err_errno(err, -errno, "ps: pipe");
	_cleanup_close_ int rfd = pipefd[0];
	_cleanup_close_ int wfd = pipefd[1];

	int r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return hull_err_errno(err, -r, "ps: spawn");
	r = posix_spawn_file_actions_adddup2(&fa, wfd, STDOUT_FILENO);
	if (r == 0)
		r = posix_spawnp(&pid, "ps", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r == ENOENT)
		return -ENOENT;
	if (r != 0)
		return hull_err_errno(err, -r, "run ps");
	wfd = safe_close(wfd);

	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	bool too_big = false;
	for (;;) {
		xgrow((void **)&buf, &cap, len + 65536 + 1, 1);
		ssize_t k = read(rfd, buf + len, cap - len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
		if (len > PS_OUTPUT_MAX) {
			too_big = true;
			break;
		}
	}
	buf[len] = '\0';
	rfd = safe_close(rfd); /* a ps still writing gets EPIPE/SIGPIPE and ends */

	int wstatus;
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return hull_err_errno(err, -errno, "wait for ps");
	if (too_big)
		return hull_err(err, -EFBIG, "ps: output larger than %u bytes", PS_OUTPUT_MAX);
	if (WIFSIGNALED(wstatus))
		return hull_err(err, -EIO, "ps was killed by signal %d", WTERMSIG(wstatus));
	if (WEXITSTATUS(wstatus) != 0)
		return hull_err(err, -EIO, "ps failed with exit status %d", WEXITSTATUS(wstatus));
	*ret_out = TAKE_PTR(buf);
	return 0;
}

/* Index of the whitespace-separated field named name in line, or -1. */
static int field_index(const char *line, size_t line_len, const char *name)
{
	size_t name_len = strlen(name);
	int idx = 0;
	const char *p = line, *end = line + line_len;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		const char *s = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		if ((size_t)(p - s) == name_len && strncmp(s, name, name_len) == 0)
			return idx;
		idx++;
	}
	return -1;
}

/* The field number idx of line parsed as a pid, or -1. */
static long field_pid(const char *line, size_t line_len, int idx)
{
	const char *p = line, *end = line + line_len;
	for (int i = 0;; i++) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			return -1;
		const char *s = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		if (i < idx)
			continue;
		long v = 0;
		for (; s < p; s++) {
			if (*s < '0' || *s > '9' || v > INT32_MAX / 10)
				return -1;
			v = v * 10 + (*s - '0');
		}
		return v;
	}
}

static bool pid_in(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Table format: ps(1)'s header and the lines of its output whose PID column is one of the
 * container's pids (runc's behaviour). Without ps(1), a PID column alone. */
static int ps_table(struct cli *cli, const pid_t *pids, size_t n, char **ps_args)
{
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char *out = NULL;

	int r = run_ps(ps_args, &out, &err);
	if (r == -ENOENT && !(ps_args && ps_args[0])) {
		hull_debug(&cli->ctx.log, "ps(1) not found: printing pids only");
		printf("PID\n");
		for (size_t i = 0; i < n; i++)
			printf("%d\n", (int)pids[i]);
		return 0;
	}
	if (r == -ENOENT)
		return cli_error(cli, "ps: cannot run ps(1) with the given arguments: not found");
	if (r < 0)
		return output_fail(cli->out, r, err, "ps");

	char *line = out, *nl = strchr(line, '\n');
	size_t hlen = nl ? (size_t)(nl - line) : strlen(line);
	int idx = field_index(line, hlen, "PID");
	if (idx < 0)
		return cli_error(cli, "ps: no PID column in the output of ps(1)");
	printf("%.*s\n", (int)hlen, line);
	while (nl) {
		line = nl + 1;
		nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (len == 0)
			continue;
		if (pid_in(pids, n, field_pid(line, len, idx)))
			printf("%.*s\n", (int)len, line);
	}
	return 0;
}

int cmd_ps(struct cli *cli, int argc, char **argv)
{
	const char *format = "table";
	bool json = false;
	const struct cli_option options[] = {
	    {"format", 'f', CLI_OPT_STRING, &format, NULL, "FORMAT",
	     "table (default: ps(1) output filtered to the container) or json (an array of pids)"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ pid_t *pids = NULL;
	size_t n, n_pids = 0;

	/* Flags stop at the container id: what follows goes to ps(1). */
	int r = cli_parse_command(cli, "ps", "hull ps [OPTIONS] ID [PS-ARGS...]",
	                          "List the processes of container ID (host pids). In table format, run\n"
	                          "'ps PS-ARGS' (default: ps -ef) and keep the header and the lines of the\n"
	                          "container's processes.",
	                          options, CLI_PARSE_STOP_AT_ARG, 1, SIZE_MAX, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (parse_format(cli, format, &json) != 0)
		return 1;
	char **ps_args = pos + 1;
	if (ps_args[0] && streq(ps_args[0], "--"))
		ps_args++;
	if (json && ps_args[0])
		return cli_error(cli, "ps: arguments for ps(1) cannot be used with --format json");

	r = hull_ps(&cli->ctx, pos[0], &pids, &n_pids, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "ps");
	if (!json)
		return ps_table(cli, pids, n_pids, ps_args);

	_cleanup_free_ char *doc = NULL;
	r = hull_pids_json(pids, n_pids, &doc);
	if (r < 0)
		return output_fail(cli->out, r, NULL, "ps: format JSON");
	cli_print_document(doc);
	return 0;
}

int cmd_features(struct cli *cli, int argc, char **argv)
{
	const struct cli_option options[] = {{0}};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ char *json = NULL;
	size_t n;

	int r = cli_parse_command(cli, "features", "hull features",
	                          "Print what this runtime supports (runtime-spec features document) as JSON.", options,
	                          0, 0, 0, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	r = hull_features(&json, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "features");
	cli_print_document(json);
	return 0;
}

/* Writes all of s to fd. */
static int write_string(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		ssize_t k = write(fd, s, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			return -EIO;
		s += k;
		len -= (size_t)k;
	}
	return 0;
}

int cmd_spec(struct cli *cli, int argc, char **argv)
{
	const char *bundle = NULL;
	struct hull_spec_opts opts = {0};
	_cleanup_strv_free_ char **args = NULL, **cap_add = NULL, **cap_drop = NULL, **security_opts = NULL;
	const struct cli_option options[] = {
	    {"bundle", 'b', CLI_OPT_STRING, &bundle, NULL, "DIR",
	     "write DIR/config.json (default: the current directory)"},
	    {"rootless", 0, CLI_OPT_BOOL, &opts.rootless, NULL, NULL,
	     "a configuration for a container run by an unprivileged user (user namespace)"},
	    {"cap-add", 0, CLI_OPT_STRV, &cap_add, NULL, "CAP",
	     "add a capability (NET_RAW, cap_net_raw, CAP_NET_RAW; ALL for every one); repeatable"},
	    {"cap-drop", 0, CLI_OPT_STRV, &cap_drop, NULL, "CAP",
	     "drop a capability (ALL: start from none, keeping only --cap-add); repeatable"},
	    {"read-only", 0, CLI_OPT_BOOL, &opts.read_only, &opts.read_only_set, NULL,
	     "--read-only=false: a writable root filesystem and no /tmp tmpfs (default: true)"},
	    {"security-opt", 0, CLI_OPT_STRV, &security_opts, NULL, "OPT",
	     "no-new-privileges=BOOL, seccomp=FILE|unconfined, apparmor=PROFILE, label=user:U|role:R|"
	     "type:T|level:L|filetype:T|disable, systempaths=unconfined; repeatable"},
	    {"landlock", 0, CLI_OPT_BOOL, &opts.landlock, NULL, NULL,
	     "add hull's default Landlock policy (process.landlock): writes only to /tmp, /dev/shm and devices"},
	    {"user", 'u', CLI_OPT_STRING, &opts.user, NULL, "UID[:GID]",
	     "run as these numeric ids (GID: UID by default)"},
	    {"hostname", 0, CLI_OPT_STRING, &opts.hostname, NULL, "NAME", "the container's hostname (default: hull)"},
	    {"args", 0, CLI_OPT_STRV, &args, NULL, "ARG",
	     "one argument of the command (repeatable); or give the command after the flags: -- CMD ARG..."},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ char *json = NULL, *path = NULL;
	size_t n;

	int r = cli_parse_command(
	    cli, "spec", "hull spec [OPTIONS] [--] [COMMAND [ARG...]]",
	    "Write a config.json into the bundle directory (an existing one is never overwritten). The\n"
	    "default is hardened (docs/security.md): capabilities AUDIT_WRITE, KILL and NET_BIND_SERVICE,\n"
	    "no_new_privs, hull's default seccomp profile resolved for the bounding set, native\n"
	    "architecture and running kernel, a read-only root with a tmpfs on /tmp, Docker's masked and\n"
	    "read-only paths, a pids limit of 1024 and RLIMIT_NOFILE 1024. Flags in Docker's vocabulary\n"
	    "adjust it. The command (default: sh) follows the flags, or comes from --args.",
	    options, CLI_PARSE_STOP_AT_ARG, 0, SIZE_MAX, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (n > 0 && args)
		return cli_error(cli, "spec: give the command either after the flags or with --args, not both");
	opts.args = n > 0 ? pos : args;
	opts.cap_add = cap_add;
	opts.cap_drop = cap_drop;
	opts.security_opts = security_opts;
	r = hull_spec(&opts, &json, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "spec");

	path = bundle ? xasprintf("%s/config.json", bundle) : xstrdup("config.json");
	/* O_EXCL: never overwrite, nor follow a symlink planted at the name. */
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0 && errno == EEXIST)
		return cli_error(cli, "spec: %s already exists; remove it first", path);
	if (fd < 0) {
		r = hull_err_errno(&err, -errno, "spec: create %s", path);
		return output_fail(cli->out, r, err, "spec");
	}
	r = write_string(fd, json);
	if (r == 0 && (json[0] == '\0' || json[strlen(json) - 1] != '\n'))
		r = write_string(fd, "\n");
	if (r == 0 && close(TAKE_FD(fd)) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlink(path);
		r = hull_err_errno(&err, r, "spec: write %s", path);
		return output_fail(cli->out, r, err, "spec");
	}
	return 0;
}
