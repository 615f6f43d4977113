/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hull commands. Each parses its own flags, makes one libhull call, prints the result and
 * returns the process exit status (0 success, 1 error, or the container's status for run/exec).
 * CLI process only. */
#pragma once

#include "args.h"
#include "hull/hull.h"
#include "output.h"

struct cli {
	struct hull_context ctx;
	struct output *out;
	/* The lowest fd >= 3 that was not open when hull started: fds 3 .. this-1 are the caller's. */
	int inherited_fd_end;
};

/* --preserve-fds N hands fds 3 .. 3+N-1 to the container: each must be one the caller passed,
 * never one hull opened itself (its log, state directory or sync socket would land in the
 * container). Reports the error and returns 1, or returns 0. */
int cli_check_preserve_fds(struct cli *cli, unsigned n);

/* Reports an error found by the CLI itself (usage, bad value) like a library error; returns 1. */
int cli_error(struct cli *cli, const char *fmt, ...) _printf_(2, 3);
/* Common shape of a command: parses argv (after the command name) with opts and checks the
 * positional count is within [min_pos, max_pos] (SIZE_MAX: unbounded). Returns 0 with the
 * positional arguments (free the array only); CLI_PARSE_HELP after printing the usage to stdout;
 * -EINVAL after reporting the error. A command returns r == CLI_PARSE_HELP ? 0 : 1 when r != 0. */
int cli_parse_command(struct cli *cli, const char *cmd, const char *synopsis, const char *description,
                      const struct cli_option *opts, unsigned flags, size_t min_pos, size_t max_pos, int argc,
                      char **argv, char ***ret_pos, size_t *ret_n_pos);
/* Writes s to stdout, adding a newline when s does not end with one. */
void cli_print_document(const char *s);

int cmd_create(struct cli *cli, int argc, char **argv);
int cmd_run(struct cli *cli, int argc, char **argv);
int cmd_start(struct cli *cli, int argc, char **argv);
int cmd_exec(struct cli *cli, int argc, char **argv);
int cmd_state(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);
int cmd_ps(struct cli *cli, int argc, char **argv);
int cmd_features(struct cli *cli, int argc, char **argv);
int cmd_spec(struct cli *cli, int argc, char **argv);
int cmd_kill(struct cli *cli, int argc, char **argv);
int cmd_delete(struct cli *cli, int argc, char **argv);
int cmd_pause(struct cli *cli, int argc, char **argv);
int cmd_resume(struct cli *cli, int argc, char **argv);
int cmd_update(struct cli *cli, int argc, char **argv);
int cmd_events(struct cli *cli, int argc, char **argv);
