/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the CLI's messages go: errors to stderr and, with --log, to the log file; the library's
 * warnings and debug messages (through the struct hull_log sink) to the log file or stderr. Also
 * the table printer of `list` and `ps`. CLI process only.
 *
 * JSON log files are read by the clients: containerd takes the last line with "level":"error",
 * podman/conmon wants the file to hold a single JSON object when a call fails. So in JSON mode the
 * library's warning and debug lines are held in memory until the outcome is known: after a
 * success they are appended to the log, after a failure they go to stderr (as text) and the log
 * gets exactly one error line per failure. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "log.h"

enum output_log_format {
	OUTPUT_LOG_TEXT,
	OUTPUT_LOG_JSON,
};

struct output_held {
	enum hull_log_level level;
	char *msg;
};

struct output {
	int log_fd; /* --log FILE; -EBADF: none, everything goes to stderr */
	enum output_log_format format;
	enum hull_log_level max_level;
	struct output_held *held; /* JSON mode: lines waiting for the outcome */
	size_t n_held, cap_held, held_bytes;
	bool failed; /* output_error() was called */
};

/* Parses "text" / "json". */
int output_log_format_from_string(const char *s, enum output_log_format *ret);

void output_init(struct output *o, enum output_log_format format, bool debug);
/* Opens the --log file for appending (O_APPEND|O_CREAT|O_CLOEXEC, 0644). */
int output_open_log(struct output *o, const char *path, struct hull_error **err);
/* The sink handed to the library in struct hull_context. */
struct hull_log output_log_sink(struct output *o);
/* Reports a failure: "hull: <msg>" on stderr, and one line in the log file when there is one. */
void output_error(struct output *o, const char *msg);
/* Reports a failed library call (err may be NULL: then strerror(-r) after what). Returns 1, the
 * exit status for errors. */
int output_fail(struct output *o, int r, const struct hull_error *err, const char *what);
/* Flushes held lines (see above) and closes the log file. */
void output_finish(struct output *o);

/* Text-mode log line, like logrus: time="..." level=warning msg="..." (no newline). */
char *output_text_line(const char *level, const char *msg);
/* "2026-01-02T03:04:05.123456789Z" */
void output_timestamp(char *buf, size_t len);
const char *output_level_name(enum hull_log_level level);

/* A table of strings printed with columns padded like runc's list: each column as wide as its
 * widest cell plus 3, at least 12; the last column unpadded. */
struct table {
	size_t n_cols;
	char **cells; /* row-major, owned */
	size_t n_cells, cap;
};
void table_init(struct table *t, size_t n_cols);
/* Appends one row of exactly n_cols strings (copied). */
void table_add_row(struct table *t, const char *const *row);
void table_print(const struct table *t, FILE *f);
void table_done(struct table *t);
