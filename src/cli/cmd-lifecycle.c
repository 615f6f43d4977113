/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kill, delete. CLI process only: parse, one libhull call per container, report. */
#include <signal.h>
#include <stdint.h>

#include "cli.h"

int cmd_kill(struct cli *cli, int argc, char **argv)
{
	bool all = false;
	const struct cli_option options[] = {
	    {"all", 'a', CLI_OPT_BOOL, &all, NULL, NULL, "send the signal to every process of the container"},
	    {0},
	};
	_cleanup_(hull_error_freep) struct hull_error *err = NULL;
	_cleanup_free_ char **pos = NULL;
	size_t n;
	int sig = SIGTERM;

	int r = cli_parse_command(cli, "kill", "hull kill [OPTIONS] ID [SIGNAL]",
	                          "Send SIGNAL (default SIGTERM) to the init process of container ID. SIGNAL is a\n"
	                          "name with or without SIG (KILL, SIGKILL) or a number (9).",
	                          options, 0, 1, 2, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	if (n > 1 && hull_signal_parse(pos[1], &sig) < 0)
		return cli_error(cli, "unknown signal \"%s\"", pos[1]);
	r = hull_kill(&cli->ctx, pos[0], sig, all, &err);
	if (r < 0)
		return output_fail(cli->out, r, err, "kill");
	return 0;
}

int cmd_delete(struct cli *cli, int argc, char **argv)
{
	bool force = false;
	const struct cli_option options[] = {
	    {"force", 'f', CLI_OPT_BOOL, &force, NULL, NULL,
	     "kill (SIGKILL) a container that is still running, and succeed for unknown ids"},
	    {0},
	};
	_cleanup_free_ char **pos = NULL;
	size_t n;
	int status = 0;

	int r = cli_parse_command(cli, "delete", "hull delete [OPTIONS] ID [ID...]",
	                          "Delete the containers: their state, cgroup and anything else they hold. A\n"
	                          "running container is refused unless --force is given.",
	                          options, 0, 1, SIZE_MAX, argc, argv, &pos, &n);
	if (r != 0)
		return r == CLI_PARSE_HELP ? 0 : 1;
	/* Every id is tried; the exit status says whether all of them went. */
	for (size_t i = 0; i < n; i++) {
		_cleanup_(hull_error_freep) struct hull_error *err = NULL;
		r = hull_delete(&cli->ctx, pos[i], force, &err);
		if (r < 0)
			status = output_fail(cli->out, r, err, "delete");
	}
	return status;
}
