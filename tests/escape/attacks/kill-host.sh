#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kill-host: driver. Starts a host process that records every SIGCONT it receives, then runs /attacks/kill-host
# with that process's host pid and this shell's: kill(HOST_PID) must be ESRCH in the container's pid namespace,
# and kill(-1, SIGCONT) from the container's init must not reach the host process.
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
rec=$dir/sigcont
: >"$rec"
bash -c 'trap "echo CONT >>\"$0\"" CONT; while :; do sleep 0.1; done' "$rec" </dev/null >/dev/null 2>&1 &
victim=$!
trap 'kill "$victim" 2>/dev/null; wait "$victim" 2>/dev/null' EXIT
sleep 0.3
esc_bundle "$dir" /attacks/kill-host "$victim" "$$"
[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$dir" "$ESC_CONTROL_FILTER"
rc=0
esc_run "$dir" "$(esc_id kill-host)" || rc=$?
sleep 0.5
vrc=0
esc_verdict "$dir" "$rc" || vrc=$?
if [ -s "$rec" ]; then
	echo "ALLOWED: the host process $victim received SIGCONT from the container"
	exit 1
fi
if ! kill -0 "$victim" 2>/dev/null; then
	echo "ALLOWED: the host process $victim is gone"
	exit 1
fi
exit "$vrc"
