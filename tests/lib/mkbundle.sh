#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkbundle.sh DIR [PROBE_BINARY]
#
# Builds an OCI bundle for tests and demos: DIR/rootfs (a busybox rootfs) and DIR/config.json (a runc-like
# default written here, not by `hull spec`). When PROBE_BINARY is given it is copied to DIR/rootfs/bin/hull-probe
# and becomes the default process; otherwise the process is `sh`.
#
# The rootfs comes from Debian's busybox-static (/bin/busybox; this script installs nothing: apt-get install
# busybox-static). It is built once into a template, ${HULL_TEST_CACHE:-/tmp/hull-test-cache}/rootfs (non-root:
# /tmp/hull-test-cache-UID), rebuilt
# when the busybox binary or this script changes, and copied with `cp -a`. Re-running on the same DIR replaces
# DIR/rootfs and DIR/config.json (idempotent).
#
# Environment: HULL_BUSYBOX (busybox binary to use), HULL_TEST_CACHE (template cache directory).
set -euo pipefail

die() {
	printf 'mkbundle: %s\n' "$*" >&2
	exit 1
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	die "usage: mkbundle.sh DIR [PROBE_BINARY]"
fi
dir=$1
probe=${2:-}
[ -n "$dir" ] || die "DIR is empty"

busybox=${HULL_BUSYBOX:-}
if [ -z "$busybox" ]; then
	for b in /bin/busybox /usr/bin/busybox; do
		if [ -x "$b" ]; then
			busybox=$b
			break
		fi
	done
fi
if [ -z "$busybox" ] || [ ! -x "$busybox" ]; then
	die "busybox not found: install Debian's busybox-static (apt-get install -y busybox-static)"
fi
# A dynamically linked busybox (Debian's "busybox" package) would not run inside a rootfs without libc.
if command -v readelf >/dev/null 2>&1 && readelf -l "$busybox" 2>/dev/null | grep -q 'Requesting program interpreter'; then
	die "$busybox is dynamically linked: install busybox-static (apt-get install -y busybox-static)"
fi
if [ -n "$probe" ]; then
	if [ ! -f "$probe" ] || [ ! -x "$probe" ]; then
		die "probe binary $probe not found or not executable"
	fi
fi

if [ "$(id -u)" = 0 ]; then
	cache=${HULL_TEST_CACHE:-/tmp/hull-test-cache}
else
	cache=${HULL_TEST_CACHE:-/tmp/hull-test-cache-$(id -u)}
fi
template=$cache/rootfs
script_sum=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)
bb_sum=$(sha256sum "$busybox" | cut -d' ' -f1)
stamp="busybox=$bb_sum script=$script_sum uid=$(id -u)"

build_template() {
	local tmp r applet d rel
	tmp=$(mktemp -d "$cache/rootfs.new.XXXXXX")
	r=$tmp/rootfs
	mkdir -p "$r"
	for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp run root home/hull var/tmp mnt; do
		mkdir -p "$r/$d"
	done
	chmod 1777 "$r/tmp" "$r/var/tmp"
	chmod 0700 "$r/root"
	cp "$busybox" "$r/bin/busybox"
	chmod 0755 "$r/bin/busybox"
	# --list-full prints each applet with its install path (bin/sh, usr/bin/env, sbin/ifconfig, ...).
	while IFS= read -r applet; do
		[ -n "$applet" ] || continue
		case $applet in
		/* | *..* | */ | '') continue ;;
		*/*) ;;
		*) continue ;; # top-level entries such as "linuxrc"
		esac
		[ "$applet" = bin/busybox ] && continue
		mkdir -p "$r/$(dirname "$applet")"
		# Relative link to /bin/busybox, so it resolves the same inside the container and on the host.
		if [ "$(dirname "$applet")" = bin ]; then
			rel=busybox
		else
			rel=$(dirname "$applet" | sed -e 's|[^/][^/]*|..|g')/bin/busybox
		fi
		[ -e "$r/$applet" ] || [ -L "$r/$applet" ] || ln -s "$rel" "$r/$applet"
	done < <("$busybox" --list-full)
	[ -e "$r/bin/sh" ] || ln -s busybox "$r/bin/sh"
	[ -e "$r/usr/bin/env" ] || ln -s ../../bin/busybox "$r/usr/bin/env"

	cat >"$r/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		hull:x:1000:1000:hull test user:/home/hull:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >"$r/etc/group" <<-'EOF'
		root:x:0:
		tty:x:5:
		users:x:100:hull
		hull:x:1000:
		nogroup:x:65534:
	EOF
	echo hull-test >"$r/etc/hostname"
	cat >"$r/etc/hosts" <<-'EOF'
		127.0.0.1	localhost
		::1	localhost
	EOF
	: >"$r/etc/resolv.conf"
	chmod 0644 "$r/etc/passwd" "$r/etc/group" "$r/etc/hostname" "$r/etc/hosts" "$r/etc/resolv.conf"
	if [ "$(id -u)" = 0 ]; then
		chown 1000:1000 "$r/home/hull"
	fi
	echo "$stamp" >"$tmp/stamp"
	# Swap in atomically; a concurrent builder may have won the race, which is fine.
	rm -rf "$cache/rootfs.old"
	if [ -d "$template" ]; then
		mv "$template" "$cache/rootfs.old"
	fi
	mv "$r" "$template"
	mv "$tmp/stamp" "$cache/stamp"
	rm -rf "$tmp" "$cache/rootfs.old"
}

mkdir -p "$cache"
# The default lives in /tmp: refuse a cache someone else planted there.
if [ -L "$cache" ] || [ ! -O "$cache" ]; then
	die "cache directory $cache is a symlink or not owned by $(id -un)"
fi
(
	flock 9
	if [ ! -d "$template" ] || [ "$(cat "$cache/stamp" 2>/dev/null)" != "$stamp" ]; then
		build_template
	fi
	mkdir -p "$dir"
	if [ -e "$dir/rootfs" ]; then
		# --one-file-system: never descend into something still mounted under an old rootfs.
		rm -rf --one-file-system "$dir/rootfs"
	fi
	cp -a "$template" "$dir/rootfs"
) 9>"$cache/lock"

if [ -n "$probe" ]; then
	cp "$probe" "$dir/rootfs/bin/hull-probe"
	chmod 0755 "$dir/rootfs/bin/hull-probe"
	args='"/bin/hull-probe"'
else
	args='"sh"'
fi

cat >"$dir/config.json.tmp" <<EOF
{
	"ociVersion": "1.2.0",
	"process": {
		"terminal": false,
		"user": {
			"uid": 0,
			"gid": 0
		},
		"args": [
			$args
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm"
		],
		"cwd": "/",
		"capabilities": {
			"bounding": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"effective": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"permitted": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1024,
				"soft": 1024
			}
		],
		"noNewPrivileges": true
	},
	"root": {
		"path": "rootfs",
		"readonly": false
	},
	"hostname": "hull-test",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": [
				"nosuid",
				"strictatime",
				"mode=755",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": [
				"nosuid",
				"noexec",
				"newinstance",
				"ptmxmode=0666",
				"mode=0620",
				"gid=5"
			]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"mode=1777",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": [
				"nosuid",
				"noexec",
				"nodev"
			]
		},
		{
			"destination": "/sys",
			"type": "sysfs",
			"source": "sysfs",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"ro"
			]
		}
	],
	"linux": {
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				}
			]
		},
		"namespaces": [
			{
				"type": "pid"
			},
			{
				"type": "network"
			},
			{
				"type": "ipc"
			},
			{
				"type": "uts"
			},
			{
				"type": "mount"
			}
		],
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/sys/devices/virtual/powercap",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		]
	}
}
EOF
mv "$dir/config.json.tmp" "$dir/config.json"
