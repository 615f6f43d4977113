/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libseccomp's <seccomp.h>. Our own module header in this directory is also called seccomp.h and
 * this directory comes first on the include path, so a plain #include <seccomp.h> would find
 * ours; #include_next continues the search after this directory and reaches the system header.
 * Include it with angle brackets (#include <libseccomp.h>): found through the include path,
 * #include_next then searches the directories after this one. Only seccomp.c includes it. */
#pragma once

#include_next <seccomp.h>
