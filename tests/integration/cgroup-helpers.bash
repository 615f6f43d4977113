# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Helpers for the cgroup tests, shared by tests/integration/55-cgroups.bats (this host: cgroup v1 or hybrid) and
# tests/vm/suite/10-cgroup-v2.bats (the QEMU guest: pure cgroup v2). Load after helpers:
#
#   load helpers            (or ../../integration/helpers)
#   load cgroup-helpers     (or ../../integration/cgroup-helpers)
#
# CGTEST        the static load generator run inside containers (next to the probe; env HULL_CGTEST)
#
# Functions:
#   cg_setup_bundle           setup_bundle + hull-cgtest copied to /bin/hull-cgtest in the rootfs
#   cg_layout                 v2 | v1 | hybrid (from the mounts of this namespace)
#   cg_mountpoint CTRL        the mount point of the v1 hierarchy holding CTRL ("memory", "cpu"), or nothing
#   cg_unified                the cgroup2 mount point (/sys/fs/cgroup or /sys/fs/cgroup/unified), or nothing
#   cg_dir CTRL PID           host directory of PID's cgroup serving CTRL: its v1 hierarchy, else cgroup2
#                             (CTRL "" or "unified": the cgroup2 directory)
#   cg_all_dirs PID           every directory of PID's cgroup, one per hierarchy (from /proc/PID/cgroup)
#   cg_read CTRL PID FILE     the first line of FILE in cg_dir CTRL PID
#   cg_keyed CTRL PID FILE K  the value of key K in a "key value" FILE (memory.events, cpu.stat)
#   container_pid ID          the host pid of the container's init (hull state)
#   wait_until SECONDS CMD... retry CMD every 0.1 s until it succeeds or SECONDS pass
#   block_device_openable     "MAJ MIN" of a block device that root on this host can open read-only, or fails
#   whole_disk                "MAJ MIN" of a whole disk (not loop/ram/zram) for throttle rules, else loop0's

CGTEST=${HULL_CGTEST:-$(dirname "$PROBE")/hull-cgtest}

cg_setup_bundle() {
	setup_bundle || return 1
	if [ ! -x "$CGTEST" ]; then
		echo "cg_setup_bundle: $CGTEST not built (ninja -C build, or set HULL_CGTEST)" >&2
		return 1
	fi
	cp "$CGTEST" "$BUNDLE/rootfs/bin/hull-cgtest"
}

# Mount points: field 5 of mountinfo; after " - ": fstype, source, super options.
cg_mountpoint() {
	awk -v c="$1" '{
		for (i = 7; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) != "cgroup") next
		n = split($(i + 3), o, ",")
		for (j = 1; j <= n; j++) if (o[j] == c) { print $5; exit }
	}' /proc/self/mountinfo
}

cg_unified() {
	awk '{
		for (i = 7; i <= NF; i++) if ($i == "-") break
		if ($(i + 1) == "cgroup2") { print $5; exit }
	}' /proc/self/mountinfo
}

cg_layout() {
	local v1
	v1=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break; if ($(i + 1) == "cgroup") { print; exit } }' \
		/proc/self/mountinfo)
	if [ -z "$v1" ]; then
		echo v2
	elif [ -n "$(cg_unified)" ]; then
		echo hybrid
	else
		echo v1
	fi
}

cg_dir() {
	local ctrl=$1 pid=$2 id ctrls path mp
	if [ -n "$ctrl" ] && [ "$ctrl" != unified ]; then
		while IFS=: read -r id ctrls path; do
			if [ -n "$ctrls" ] && [[ ",$ctrls," == *",$ctrl,"* ]]; then
				mp=$(cg_mountpoint "$ctrl")
				[ -n "$mp" ] || return 1
				echo "$mp$path"
				return 0
			fi
		done <"/proc/$pid/cgroup"
	fi
	path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
	mp=$(cg_unified)
	[ -n "$mp" ] && [ -n "$path" ] || return 1
	echo "${mp%/}${path}"
}

cg_all_dirs() {
	local pid=$1 id ctrls path c
	while IFS=: read -r id ctrls path; do
		if [ -z "$ctrls" ]; then
			echo "$(cg_unified)$path"
		else
			c=${ctrls%%,*}
			c=${c#name=}
			if [ "${ctrls#name=}" != "$ctrls" ]; then
				# named hierarchies (name=systemd): the mount's options hold name=X
				echo "$(cg_mountpoint "name=$c")$path"
			else
				echo "$(cg_mountpoint "$c")$path"
			fi
		fi
	done <"/proc/$pid/cgroup"
}

cg_read() {
	local d
	d=$(cg_dir "$1" "$2") || return 1
	head -n1 "$d/$3"
}

cg_keyed() {
	local d
	d=$(cg_dir "$1" "$2") || return 1
	awk -v k="$4" '$1 == k { print $2; exit }' "$d/$3"
}

container_pid() {
	hull state "$1" | jq -er .pid
}

wait_until() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		if "$@"; then
			return 0
		fi
		sleep 0.1
	done
	"$@"
}

block_device_openable() {
	local d dev maj min node out
	node=$HULL_TEST_TMP/probe-blkdev
	for d in /sys/block/*; do
		dev=$(cat "$d/dev" 2>/dev/null) || continue
		maj=${dev%%:*}
		min=${dev##*:}
		rm -f "$node"
		mknod "$node" b "$maj" "$min" 2>/dev/null || continue
		out=$("$CGTEST" open "$node" r 2>/dev/null)
		rm -f "$node"
		if [ "$out" = ok ]; then
			echo "$maj $min"
			return 0
		fi
	done
	return 1
}

whole_disk() {
	local d dev
	for d in /sys/block/*; do
		case ${d##*/} in
		loop* | ram* | zram* | nbd* | sr*) continue ;;
		esac
		dev=$(cat "$d/dev" 2>/dev/null) || continue
		echo "${dev%%:*} ${dev##*:}"
		return 0
	done
	dev=$(cat /sys/block/loop0/dev 2>/dev/null) || return 1
	echo "${dev%%:*} ${dev##*:}"
}
