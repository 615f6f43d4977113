#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# proc-symlink: driver for CVE-2019-19921 / CVE-2023-27561 (and CVE-2023-28642). A malicious image whose /proc
# is a symlink: to a host directory (a runtime that follows it mounts procfs on the host, and writes labels and
# sysctls into whatever is there) and, second variant, to /tmp inside the image (a fake /proc the container
# controls). Same for /sys. Refused: hull refuses to create the container (/proc and /sys must be ordinary
# directories) and nothing appeared in the link targets.
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
outside=$dir/outside
mkdir -p "$outside"
results=()
for variant in proc-host proc-inside sys-inside; do
	d=$dir/$variant
	esc_bundle "$d" /bin/true
	esc_own_rootfs "$d"
	[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$d" "$ESC_CONTROL_FILTER"
	mkdir -p "$d/rootfs/fake"
	case $variant in
	proc-host)
		rmdir "$d/rootfs/proc"
		ln -s "$outside" "$d/rootfs/proc"
		target=$outside
		;;
	proc-inside)
		rmdir "$d/rootfs/proc"
		ln -s /fake "$d/rootfs/proc"
		target=$d/rootfs/fake
		;;
	sys-inside)
		rmdir "$d/rootfs/sys"
		ln -s /fake "$d/rootfs/sys"
		target=$d/rootfs/fake
		;;
	esac
	rc=0
	esc_run "$d" "$(esc_id "$variant")" || rc=$?
	if awk -v p="$target" 'index($5, p) == 1' /proc/self/mountinfo | grep -q .; then
		echo "ALLOWED: $variant: something is mounted under the link target $target"
		exit 1
	fi
	if [ -n "$(ls -A "$target")" ]; then
		echo "ALLOWED: $variant: the runtime wrote into the link target $target: $(ls -A "$target" | head -n 5 | tr '\n' ' ')"
		exit 1
	fi
	if [ "$rc" -eq 0 ]; then
		echo "ALLOWED: $variant: hull created and ran the container with a symlinked ${variant%%-*}"
		exit 1
	fi
	err=$(grep -v '^hull: warning: ' "$d/err" | head -n 1)
	echo "  step: $variant: hull refused: $err"
	results+=("$variant: create refused")
done
printf -v all '%s; ' "${results[@]}"
echo "refused: ${all%; }; link targets untouched"
