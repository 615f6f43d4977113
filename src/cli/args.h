/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Flag parsing for the hull CLI, driven by one table per command. Accepts "--name value",
 * "--name=value", "-x value", "-xvalue" and grouped boolean short flags ("-dt"); "--" ends the
 * flags. Runs in the CLI process only; touches nothing but its arguments and the values the table
 * points at. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

enum cli_opt_type {
	CLI_OPT_BOOL, /* bool *; "--flag" or "--flag=true|false|1|0" */
	CLI_OPT_STRING, /* const char **, pointing into argv; the last occurrence wins */
	CLI_OPT_UINT, /* unsigned * */
	CLI_OPT_STRV, /* char ***: every occurrence appended (xstrdup'd); free with strv_free */
};

struct cli_option {
	const char *name; /* long name without the dashes; NULL ends the table */
	char short_name; /* 0: none */
	enum cli_opt_type type;
	void *value;
	bool *set; /* optional: set to true when the flag is given */
	const char *metavar; /* shown in --help for flags taking a value */
	const char *help;
};

enum cli_parse_flags {
	/* Stop at the first positional argument: everything after it is positional too (exec's
	 * command, ps's arguments, the global flags before the command). Without it, flags and
	 * positional arguments may be mixed ("delete ID --force"). */
	CLI_PARSE_STOP_AT_ARG = 1 << 0,
};

#define CLI_PARSE_HELP 1

/* Parses argv[0..argc) (the arguments after the command name; argv[argc] must be NULL).
 * Returns 0 with the positional arguments in *ret_pos (a NULL-terminated array of pointers into
 * argv; free the array only) and their count in *ret_n_pos, CLI_PARSE_HELP when --help or -h was
 * given (outputs untouched), or -EINVAL with a message ("unknown flag: --foo", "flag --bundle
 * needs an argument"). Values already stored for earlier flags stay stored on failure. */
int cli_parse(const struct cli_option *opts, unsigned flags, int argc, char **argv, char ***ret_pos, size_t *ret_n_pos,
              struct hull_error **err);

/* Prints "Usage: <synopsis>", the description and the option table. */
void cli_print_usage(FILE *f, const char *synopsis, const char *description, const struct cli_option *opts);
/* Prints the option table, one flag a line, with --help added at the end. */
void cli_print_options(FILE *f, const struct cli_option *opts);
