/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exec. CLI process only: parse, one libhull call, report. */
#include <stdint.h>

#include "alloc.h"
#include "cli.h"

int cmd_exec(struct cli *cli, int argc, char **argv)
{
	struct hull_exec_opts opts = {0};
	_cleanup_strv_free_ char **env = NULL, **gids = NULL, **caps = NULL;
	const struct cli_option options[] = {
	    {"process", 'p', CLI_OPT_STRING, &opts.process_file, NULL, "FILE",
	     "read the process to run from FILE (runtime-spec process.json; '-' for stdin)"},
	    {"detach", 'd', CLI_OPT_BOOL, &opts.detach, NULL, NULL, "return once the process has started"},
	    {"tty", 't', CLI_OPT_BOOL, &opts.tty, &opts.tty_set, NULL, "allocate a pseudo-terminal"},
	    {"console-socket", 0, CLI_OPT_STRING, &opts.console_socket, NULL, "SOCKET",
	     "AF_UNIX socket that receives the pty master (with --tty)"},
	    {"pid-file", 0, CLI_OPT_STRING, &opts.pid_file, NULL, "FILE", "write the process's host pid to FILE"},
	    {"cwd", 0, CLI_OPT_STRING, &opts.cwd, NULL, "DIR", "working directory inside the container"},
	    {"env", 'e', CLI_OPT_STRV, &env, NULL, "KEY=VALUE", "set an environment variable (repeatable)"},
	    {"user", 'u', CLI_OPT_STRING, &opts.user, NULL, "UID[:GID]", "user and group ids to run as"},
	    {"additional-gids", 'g', CLI_OPT_STRV, &gids, NULL, "GID", "add a supplementary group (repeatable)"},
	    {"cap", 'c', CLI_OPT_STRV, &caps, NULL, "CAP",
	     "add a capability, e.g. CAP_NET_ADMIN, to the process (repeatable)"},
	    {"no-new-privs", 0, CLI_OPT_BOOL, &opts.no_new_privs, &opts.no_new_privs_set, NULL,
	     "set no_new_privs for the process"},
	    {"apparmor", 0, CLI_OPT_STRING, &opts.apparmor, NULL, "PROFILE", "AppArmor profile for the process"},
	    {"process-label", 0, CLI_OPT_STRING, &opts.selinux_label, NULL, "LABEL", "SELinux label for the process"},
	    {"preserve-fds", 0, CLI_OPT_UINT, &opts.preserve_fds, NULL, "N", "pass fds 3 to 3+N-1 on to the process"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;
	int status = 0;

	/* Flags stop at the container id: what follows is the command and its own flags. */
	int r = cli_parse_command(cli, "exec",
	                          "hull exec [OPTIONS] ID [--] COMMAND [ARG...]  |  hull exec [OPTIONS] -p FILE ID",
	                          "Run a new process inside running container ID, by default with the settings of\n"
	                          "the container's process (config.json) changed by the flags below. Without\n"
	                          "--detach, wait for it and exit with its status (128+N when killed by signal N).",
	                          options, CLI_PARSE_STOP_AT_ARG, 1, SIZE_MAX, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (cli_check_preserve_fds(cli, opts.preserve_fds))
		return 1;

	opts.id = pos[0];
	char **args = pos + 1; /* NULL-terminated, like pos */
	if (args[0] && streq(args[0], "--"))
		args++;
	if (opts.process_file && args[0])
		return cli_error(cli, "exec: give either --process or a command, not both");
	if (!opts.process_file && !args[0])
		return cli_error(cli, "exec: no command given (give COMMAND or --process FILE)");
	opts.args = opts.process_file ? NULL : args;
	opts.env = env;
	opts.add_gids = gids;
	opts.caps = caps;

	r = hull_exec(&cli->ctx, &opts, &status, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "exec");
	return opts.detach ? 0 : status;
}
