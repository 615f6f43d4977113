#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# console-symlink: driver for the CVE-2025-52565 attack. terminal: true, no /dev tmpfs (the image's /dev is
# used), and the image's /dev/console is a symlink to /proc/sys/kernel/core_pattern: a runtime that bind-mounts
# the pty onto "/dev/console" by path (before the masks and read-only paths) mounts over the host's
# core_pattern, or leaves a writable procfs file as the console. The devpts mount on /dev/pts stays, so the
# terminal can work. Second variant: the image's /dev/pts is also a symlink, to /proc/sys/kernel (a runtime that
# opens /dev/pts/N or /dev/pts/ptmx by path would reach procfs). Refused: hull refuses to create the container,
# or inside it /dev/console is a real character device (not procfs) and no procfs mount exposes core_pattern or
# sysrq-trigger writable (/attacks/mask-check).
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
mapfile -t masked < <(jq -r '.linux.maskedPaths[]?' "$ESC_TEMPLATE/config.json")
results=()
for variant in console pts; do
	d=$dir/$variant
	esc_bundle "$d" /attacks/mask-check "${masked[@]}"
	esc_own_rootfs "$d"
	esc_cfg "$d" '.process.terminal = true
		| .mounts = [.mounts[] | select(.destination != "/dev")]'
	[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$d" "$ESC_CONTROL_FILTER"
	case $variant in
	console)
		rm -rf "$d/rootfs/dev/console"
		ln -s /proc/sys/kernel/core_pattern "$d/rootfs/dev/console"
		;;
	pts)
		rm -rf "$d/rootfs/dev/console" "$d/rootfs/dev/pts"
		ln -s /proc/sys/kernel "$d/rootfs/dev/pts"
		;;
	esac
	rc=0
	# No --console-socket: hull run allocates the pty and copies its output (stdin is not a terminal).
	esc_run "$d" "$(esc_id "console-$variant")" || rc=$?
	tr -d '\r' <"$d/out" >"$d/out.txt" && mv "$d/out.txt" "$d/out"
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
