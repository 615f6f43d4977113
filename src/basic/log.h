/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Warnings and debug messages from the library go to a sink the CLI provides; the library itself
 * never writes to stdout/stderr. Any process. */
#pragma once

#include "macro.h"

enum hull_log_level { HULL_LOG_ERROR, HULL_LOG_WARN, HULL_LOG_INFO, HULL_LOG_DEBUG };

struct hull_log {
	void (*fn)(void *userdata, enum hull_log_level level, const char *msg);
	void *userdata;
	enum hull_log_level max_level;
};

void hull_log(const struct hull_log *log, enum hull_log_level level, const char *fmt, ...) _printf_(3, 4);
#define hull_warn(log, ...) hull_log(log, HULL_LOG_WARN, __VA_ARGS__)
#define hull_debug(log, ...) hull_log(log, HULL_LOG_DEBUG, __VA_ARGS__)
