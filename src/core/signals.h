/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Signal names and numbers (hull_signal_parse is declared in hull/hull.h). Any process; no
 * state. */
#pragma once

/* "SIGKILL", "SIGRTMIN+3", "SIGRTMAX"; "unknown" for numbers that are no signal. */
const char *signal_name(int sig);
