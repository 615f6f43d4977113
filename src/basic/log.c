/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

void hull_log(const struct hull_log *log, enum hull_log_level level, const char *fmt, ...)
{
	if (!log || !log->fn || level > log->max_level)
		return;
	char buf[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log->fn(log->userdata, level, buf);
}
