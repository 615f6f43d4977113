/* SPDX-License-Identifier: GPL-2.0-or-later */
/* create, run, start. CLI process only: parse, one libhull call, report. */
#include "cli.h"

/* The flags create and run share; v must have room for CREATE_N_OPTIONS entries. */
#define CREATE_N_OPTIONS 6
static void create_options(struct cli_option *v, struct hull_create_opts *o)
{
	const struct cli_option t[CREATE_N_OPTIONS] = {
	    {"bundle", 'b', CLI_OPT_STRING, &o->bundle, NULL, "DIR",
	     "bundle directory holding config.json (default: the current directory)"},
	    {"pid-file", 0, CLI_OPT_STRING, &o->pid_file, NULL, "FILE",
	     "write the container process's host pid to FILE"},
	    {"console-socket", 0, CLI_OPT_STRING, &o->console_socket, NULL, "SOCKET",
	     "AF_UNIX socket that receives the pty master when process.terminal is true"},
	    {"preserve-fds", 0, CLI_OPT_UINT, &o->preserve_fds, NULL, "N",
	     "pass fds 3 to 3+N-1 on to the container process"},
	    {"no-pivot", 0, CLI_OPT_BOOL, &o->no_pivot, NULL, NULL,
	     "use MS_MOVE and chroot instead of pivot_root (for a rootfs on a ramdisk)"},
	    {"no-new-keyring", 0, CLI_OPT_BOOL, &o->no_new_keyring, NULL, NULL,
	     "keep the caller's session keyring instead of creating a new one"},
	};
	for (size_t i = 0; i < CREATE_N_OPTIONS; i++)
		v[i] = t[i];
}

static const char create_synopsis[] = "hull create [OPTIONS] ID";
static const char create_description[] =
    "Create container ID from the bundle: set up its namespaces, mounts, cgroup and security\n"
    "settings and leave its process waiting just before it executes process.args. 'hull start ID'\n"
    "lets it run.";

int cmd_create(struct cli *cli, int argc, char **argv)
{
	struct hull_create_opts opts = {0};
	struct cli_option options[CREATE_N_OPTIONS + 1] = {0};
	create_options(options, &opts);
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;

	int r = cli_parse_command(cli, "create", create_synopsis, create_description, options, 0, 1, 1, argc, argv,
	                          &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (cli_check_preserve_fds(cli, opts.preserve_fds))
		return 1;
	opts.id = pos[0];
	r = hull_create(&cli->ctx, &opts, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "create");
	return 0;
}

int cmd_run(struct cli *cli, int argc, char **argv)
{
	struct hull_create_opts opts = {0};
	bool detach = false;
	struct cli_option options[CREATE_N_OPTIONS + 2] = {0};
	create_options(options, &opts);
	options[CREATE_N_OPTIONS] = (struct cli_option){
	    "detach", 'd', CLI_OPT_BOOL, &detach, NULL, NULL, "return once the container has started (exit status 0)"};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;
	int status = 0;

	int r = cli_parse_command(cli, "run", "hull run [OPTIONS] ID",
	                          "Create and start container ID from the bundle. Without --detach, wait for it,\n"
	                          "forwarding signals to it, delete it when it exits, and exit with its status\n"
	                          "(128+N when it was killed by signal N).",
	                          options, 0, 1, 1, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (cli_check_preserve_fds(cli, opts.preserve_fds))
		return 1;
	opts.id = pos[0];
	r = hull_run(&cli->ctx, &opts, detach, &status, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "run");
	return detach ? 0 : status;
}

int cmd_start(struct cli *cli, int argc, char **argv)
{
	const struct cli_option options[] = {{0}};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;

	int r = cli_parse_command(cli, "start", "hull start ID",
	                          "Let the process of created container ID execute process.args, then run the\n"
	                          "poststart hooks.",
	                          options, 0, 1, 1, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	r = hull_start(&cli->ctx, pos[0], &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "start");
	return 0;
}
