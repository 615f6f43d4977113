#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# leaked-fd-exec: driver (CVE-2024-21626 through `hull exec`). Starts the hardened container detached, then runs
# /attacks/leaked-fd with `hull exec`, with the default cwd and with --cwd /tmp: no fd, cwd or root of any
# process in the container (the exec'd one included) may lead outside the container's root.
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
id=$(esc_id leaked-fd-exec)
esc_bundle "$dir" /attacks/leaked-fd sleep 60
[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$dir" "$ESC_CONTROL_FILTER"
trap 'esc_hull delete --force "$id" >/dev/null 2>&1' EXIT
if ! esc_hull run --detach --bundle "$dir" "$id" </dev/null >"$dir/run.out" 2>"$dir/run.err"; then
	echo "error: hull run --detach failed: $(head -c 300 "$dir/run.err")"
	exit 2
fi
worst=0
for cwd in "" /tmp; do
	rc=0
	if [ -n "$cwd" ]; then
		esc_hull exec --cwd "$cwd" "$id" /attacks/leaked-fd </dev/null >"$dir/out" 2>"$dir/err" || rc=$?
	else
		esc_hull exec "$id" /attacks/leaked-fd </dev/null >"$dir/out" 2>"$dir/err" || rc=$?
	fi
	vrc=0
	line=$(esc_verdict "$dir" "$rc") || vrc=$?
	echo "  step: exec${cwd:+ --cwd $cwd}: $(tail -n 1 <<<"$line")"
	if [ "$vrc" -ne 0 ]; then
		echo "$line" | tail -n 1
		exit "$vrc"
	fi
	last=$line
done
echo "$last" | tail -n 1
exit "$worst"
