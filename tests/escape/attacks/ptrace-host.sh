#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ptrace-host: driver. Starts a host process and runs /attacks/ptrace-host with its host pid and this shell's:
# PTRACE_ATTACH and process_vm_readv of host pids must fail (the pids do not exist in the container), and a
# sweep of pids 1..65536 must find only the container's own processes.
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
sleep 300 >/dev/null 2>&1 &
victim=$!
trap 'kill "$victim" 2>/dev/null; wait "$victim" 2>/dev/null' EXIT
esc_bundle "$dir" /attacks/ptrace-host "$victim" "$$"
[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$dir" "$ESC_CONTROL_FILTER"
rc=0
esc_run "$dir" "$(esc_id ptrace-host)" || rc=$?
vrc=0
esc_verdict "$dir" "$rc" || vrc=$?
if grep -q 'TracerPid:[[:space:]]*[1-9]' "/proc/$victim/status" 2>/dev/null; then
	echo "ALLOWED: the host process $victim is being traced"
	exit 1
fi
exit "$vrc"
