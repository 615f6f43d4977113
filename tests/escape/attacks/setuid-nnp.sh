#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# setuid-nnp: driver. Runs /attacks/setuid-nnp as uid 1000 in the hardened container; the image ships
# /attacks/setuid-root, a setuid-root copy of it (made by esc_make_template). no_new_privs must keep euid 1000.
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
esc_bundle "$dir" /attacks/setuid-nnp
esc_cfg "$dir" '.process.user = {uid: 1000, gid: 1000}'
[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$dir" "$ESC_CONTROL_FILTER"
rc=0
esc_run "$dir" "$(esc_id setuid-nnp)" || rc=$?
esc_verdict "$dir" "$rc"
