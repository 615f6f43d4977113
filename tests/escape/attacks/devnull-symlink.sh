#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# devnull-symlink: driver for the CVE-2025-31133 attack. A malicious image whose /dev/null is a symlink to
# /proc/sys/kernel/core_pattern, run with a configuration that has no /dev tmpfs (so the image's /dev is used
# and the runtime masks files with whatever /dev/null is): a runtime that bind-mounts "/dev/null" by path puts
# the host's core_pattern, writable, on every masked file. Second variant: the image has no /dev/null at all (a
# runtime that skips masks it cannot do leaves /proc/timer_list etc. readable). Refused when hull refuses to
# create the container, or the container's /dev/null is a real device, every masked path is masked and no procfs
# mount exposes core_pattern or sysrq-trigger writable (/attacks/mask-check).
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
mapfile -t masked < <(jq -r '.linux.maskedPaths[]?' "$ESC_TEMPLATE/config.json")
results=()
for variant in symlink missing; do
	d=$dir/$variant
	esc_bundle "$d" /attacks/mask-check "${masked[@]}"
	esc_own_rootfs "$d"
	esc_cfg "$d" '.mounts = [.mounts[] | select(.destination | (. == "/dev" or startswith("/dev/")) | not)]'
	[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$d" "$ESC_CONTROL_FILTER"
	rm -f "$d/rootfs/dev/null"
	if [ "$variant" = symlink ]; then
		ln -s /proc/sys/kernel/core_pattern "$d/rootfs/dev/null"
	fi
	rc=0
	esc_run "$d" "$(esc_id devnull-$variant)" || rc=$?
	if ! grep -qE '^(refused|ALLOWED|error|n/a): ' "$d/out"; then
		err=$(grep -v '^hull: warning: ' "$d/err" | head -n 2 | tr '\n' ' ')
		if [ "$rc" -ne 0 ] && [ -n "$err" ]; then
			echo "  step: $variant: hull refused the container: $err"
			results+=("$variant: create refused ($err)")
			continue
		fi
	fi
	vrc=0
	line=$(esc_verdict "$d" "$rc") || vrc=$?
	sed 's/^  step: /  step: '"$variant"': /' <<<"$line" | grep '^  step: '
	if [ "$vrc" -ne 0 ]; then
		tail -n 1 <<<"$line" | sed "s/: /: $variant: /"
		exit "$vrc"
	fi
	results+=("$variant: $(tail -n 1 <<<"$line" | sed 's/^refused: //')")
done
printf -v all '%s; ' "${results[@]}"
echo "refused: ${all%; }"
