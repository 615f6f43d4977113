#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mask-check: driver. Runs /attacks/mask-check with every maskedPaths entry of the hardened configuration: each
# must be masked, /dev/null a real device, and no procfs mount may expose core_pattern or sysrq-trigger writable.
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
mapfile -t masked < <(jq -r '.linux.maskedPaths[]?' "$ESC_TEMPLATE/config.json")
esc_bundle "$dir" /attacks/mask-check "${masked[@]}"
[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$dir" "$ESC_CONTROL_FILTER"
rc=0
esc_run "$dir" "$(esc_id mask-check)" || rc=$?
esc_verdict "$dir" "$rc"
