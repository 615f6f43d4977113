#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Container setup, mounts: every mount kind (proc, sysfs, tmpfs, devpts, mqueue, cgroup, bind and rbind of
# directories and files), flags and data, propagation (per mount and rootfsPropagation), recursive read-only,
# mount targets confined to the rootfs (hostile symlinks), /proc and /sys symlinks refused, read-only root,
# maskedPaths and readonlyPaths. Facts come from the probe's mountinfo view and from what the container can do.

load helpers

HOST_MOUNTS=()
OUTSIDE=

setup() {
	require_root
	setup_bundle
}

teardown() {
	local i
	# Our own host-side mounts first (deepest last mounted first), or cleanup would report them as leaks.
	for ((i = ${#HOST_MOUNTS[@]} - 1; i >= 0; i--)); do
		umount -l "${HOST_MOUNTS[$i]}" 2>/dev/null || true
	done
	if [ -n "$OUTSIDE" ]; then
		rm -rf --one-file-system "$OUTSIDE"
	fi
	cleanup
}

# host_mount DIR ARGS...: mount ARGS... on DIR (created) and remember it for teardown.
host_mount() {
	local d=$1
	shift
	mkdir -p "$d"
	mount "$@" "$d"
	HOST_MOUNTS+=("$d")
}

# shared_src DIR: a host tmpfs at DIR, made shared, with a file "hello" in it.
shared_src() {
	host_mount "$1" -t tmpfs -o size=1m hull-test-src
	mount --make-shared "$1"
	echo hello-from-host >"$1/hello"
}

# host_peer_group DIR: the "shared:N" peer group number of the host mount at DIR.
host_peer_group() {
	awk -v d="$1" '$5 == d { for (i = 7; $i != "-"; i++) if ($i ~ /^shared:/) { sub("shared:", "", $i); print $i } }' \
		/proc/self/mountinfo | tail -n 1
}

# run_sh SCRIPT: hull run the bundle with process.args = sh -c SCRIPT under a new id; sets status and output.
run_sh() {
	cfg_set '.process.args = ["/bin/sh", "-c", $s]' --arg s "$1"
	run hull run --bundle "$BUNDLE" "$(new_cid)"
}

# mount_field MOUNT_POINT FIELD: FIELD (fstype, super_options, optional, dev, ...) of the topmost mount there.
mount_field() {
	jq -er --arg mp "$1" --arg f "$2" '[.mounts[] | select(.mount_point == $mp)] | last | .[$f]' <<<"$PROBE_JSON"
}

# has_option MOUNT_POINT OPTION: the per-mount options of MOUNT_POINT include OPTION.
has_option() {
	mount_options "$1" | grep -qxF -- "$2" || {
		echo "mount $1: option $2 missing; options: $(mount_options "$1" | paste -sd,)" >&2
		return 1
	}
}

lacks_option() {
	if mount_options "$1" | grep -qxF -- "$2"; then
		echo "mount $1: unexpected option $2" >&2
		return 1
	fi
}

# super_has MOUNT_POINT OPTION: the superblock options of MOUNT_POINT include OPTION.
super_has() {
	mount_field "$1" super_options | tr ',' '\n' | grep -qxF -- "$2" || {
		echo "mount $1: super option $2 missing: $(mount_field "$1" super_options)" >&2
		return 1
	}
}

# start_sleeper ID: run the bundle detached with the probe sleeping; prints nothing, sets SLEEPER_PID.
start_sleeper() {
	cfg_args /bin/hull-probe sleep 60
	hull run --detach --bundle "$BUNDLE" "$1" </dev/null >"$HULL_TEST_TMP/$1.out" 2>"$HULL_TEST_TMP/$1.err" || {
		cat "$HULL_TEST_TMP/$1.err" >&2
		return 1
	}
	wait_for_status "$1" running
	SLEEPER_PID=$(hull state "$1" | jq -r .pid)
}

# optional_in PID MOUNT_POINT: the propagation tags of MOUNT_POINT in /proc/PID/mountinfo.
optional_in() {
	awk -v d="$2" '$5 == d { s = ""; for (i = 7; $i != "-"; i++) s = s (s == "" ? "" : " ") $i; print s }' \
		"/proc/$1/mountinfo" | tail -n 1
}

@test "mounts: proc, sysfs, tmpfs, devpts (new instance) and mqueue of the default config" {
	probe_json
	assert_eq "$(mount_field /proc fstype)" proc
	assert_eq "$(mount_field /sys fstype)" sysfs
	has_option /sys ro
	has_option /sys nosuid
	has_option /sys nodev
	has_option /sys noexec
	assert_eq "$(mount_field /dev fstype)" tmpfs
	has_option /dev nosuid
	super_has /dev mode=755
	super_has /dev size=65536k
	assert_eq "$(mount_field /dev/pts fstype)" devpts
	has_option /dev/pts nosuid
	has_option /dev/pts noexec
	super_has /dev/pts ptmxmode=666
	super_has /dev/pts mode=620
	super_has /dev/pts gid=5
	assert_eq "$(mount_field /dev/shm fstype)" tmpfs
	has_option /dev/shm nodev
	super_has /dev/shm size=65536k
	assert_eq "$(mount_field /dev/mqueue fstype)" mqueue
	has_option /dev/mqueue noexec
	# newinstance: not one of the host's devpts superblocks.
	local pts_dev
	pts_dev=$(mount_field /dev/pts dev)
	if awk '$9 == "devpts" { print $3 }' /proc/self/mountinfo | grep -qxF "$pts_dev"; then
		echo "the container's /dev/pts ($pts_dev) is a host devpts" >&2
		return 1
	fi
	# proc and sysfs are the container's own: its proc shows pid 1 as itself.
	assert_eq "$(json_get .pid)" 1
}

@test "mounts: tmpfs with data (size, mode, uid, gid) and flags (ro, nosuid, nodev, noexec, atime modes)" {
	cfg_add_mount /t1 tmpfs tmpfs size=1m mode=0710 uid=1000 gid=1000 nosuid nodev noexec noatime
	cfg_add_mount /t2 tmpfs tmpfs ro strictatime
	cfg_add_mount /t3 tmpfs tmpfs relatime nodiratime
	probe_json
	assert_eq "$(mount_field /t1 fstype)" tmpfs
	super_has /t1 size=1024k
	super_has /t1 mode=710
	super_has /t1 uid=1000
	super_has /t1 gid=1000
	has_option /t1 rw
	has_option /t1 nosuid
	has_option /t1 nodev
	has_option /t1 noexec
	has_option /t1 noatime
	has_option /t2 ro
	lacks_option /t2 relatime
	lacks_option /t2 noatime
	has_option /t3 relatime
	has_option /t3 nodiratime
	lacks_option /t3 noexec
	# The mount points were created inside the rootfs.
	[ -d "$BUNDLE/rootfs/t1" ] && [ -d "$BUNDLE/rootfs/t3" ]
	# The flags take effect.
	run_sh 'hull-probe write /t3/f x && hull-probe write /t2/f x'
	[ "$status" -ne 0 ]
	assert_contains "$output" "write /t2/f: EROFS"
}

@test "mounts: cgroup is mounted read-only by the runc default options, also with a cgroup namespace" {
	cfg_add_mount /sys/fs/cgroup cgroup cgroup nosuid noexec nodev relatime ro
	probe_json
	local mps mp n=0
	mps=$(jq -r '.mounts[] | select(.mount_point | startswith("/sys/fs/cgroup")) | .mount_point' <<<"$PROBE_JSON")
	[ -n "$mps" ]
	for mp in $mps; do
		has_option "$mp" ro
		has_option "$mp" nosuid
	done
	n=$(jq '[.mounts[] | select(.mount_point | startswith("/sys/fs/cgroup/")) | select(.fstype == "cgroup" or
		.fstype == "cgroup2")] | length' <<<"$PROBE_JSON")
	[ "$n" -ge 1 ]
	# With a cgroup namespace the hierarchies are fresh mounts, still read-only.
	cfg_set '.linux.namespaces += [{type: "cgroup"}]'
	probe_json
	mps=$(jq -r '.mounts[] | select(.mount_point | startswith("/sys/fs/cgroup")) | .mount_point' <<<"$PROBE_JSON")
	[ -n "$mps" ]
	for mp in $mps; do
		has_option "$mp" ro
	done
	# Nothing can be created there.
	cfg_set '.process.args = ["/bin/mkdir", "/sys/fs/cgroup/hull-test-nope"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "Read-only file system"
}

@test "mounts: bind and rbind of a directory (a submount shows only with rbind)" {
	local src=$HULL_TEST_TMP/src
	mkdir -p "$src"
	echo hello-from-host >"$src/hello"
	host_mount "$src/sub" -t tmpfs -o size=1m hull-test-sub
	echo in-sub >"$src/sub/file"
	cfg_add_mount /b1 bind "$src" bind
	cfg_add_mount /b2 bind "$src" rbind
	probe_json
	[ "$(mount_field /b1 fstype)" != tmpfs ]
	if jq -e '.mounts[] | select(.mount_point == "/b1/sub")' <<<"$PROBE_JSON" >/dev/null; then
		echo "bind (not rbind) brought the submount along" >&2
		return 1
	fi
	assert_eq "$(mount_field /b2/sub fstype)" tmpfs "submount under rbind"
	run_sh 'hull-probe cat /b1/hello; hull-probe ls /b1/sub; echo ---; hull-probe cat /b2/sub/file'
	[ "$status" -eq 0 ]
	assert_eq "$output" "hello-from-host
---
in-sub"
}

@test "mounts: bind of a single file, read-write and read-only" {
	echo file-content >"$HULL_TEST_TMP/hostfile"
	echo other >"$HULL_TEST_TMP/rofile"
	cfg_add_mount /etc/hull-file bind "$HULL_TEST_TMP/hostfile" bind rw
	cfg_add_mount /etc/hostname bind "$HULL_TEST_TMP/rofile" bind ro nosuid nodev noexec
	probe_json
	has_option /etc/hull-file rw
	has_option /etc/hostname ro
	has_option /etc/hostname nosuid
	has_option /etc/hostname nodev
	has_option /etc/hostname noexec
	# A missing file destination is created as a file inside the rootfs.
	[ -f "$BUNDLE/rootfs/etc/hull-file" ]
	run_sh 'hull-probe cat /etc/hull-file; hull-probe cat /etc/hostname; hull-probe write /etc/hull-file changed;
		hull-probe write /etc/hostname changed; echo status=$?'
	[ "$status" -eq 0 ]
	assert_contains "$output" "file-content"
	assert_contains "$output" "write /etc/hostname: EROFS"
	assert_contains "$output" "status=1"
	assert_eq "$(cat "$HULL_TEST_TMP/hostfile")" changed "write through the rw file bind"
	assert_eq "$(cat "$HULL_TEST_TMP/rofile")" other
}

@test "mounts: bind flags ro, nosuid, nodev, noexec and atime modes on a directory" {
	mkdir -p "$HULL_TEST_TMP/d"
	cfg_add_mount /d1 bind "$HULL_TEST_TMP/d" rbind ro nosuid nodev noexec noatime
	cfg_add_mount /d2 bind "$HULL_TEST_TMP/d" rbind rw strictatime
	probe_json
	has_option /d1 ro
	has_option /d1 nosuid
	has_option /d1 nodev
	has_option /d1 noexec
	has_option /d1 noatime
	has_option /d2 rw
	lacks_option /d2 nosuid
	lacks_option /d2 noatime
	lacks_option /d2 relatime
}

@test "mounts: recursive read-only (rro) reaches submounts; plain ro does not" {
	local src=$HULL_TEST_TMP/src
	mkdir -p "$src"
	host_mount "$src/sub" -t tmpfs -o size=1m hull-test-sub
	cfg_add_mount /r1 bind "$src" rbind rro
	cfg_add_mount /r2 bind "$src" rbind ro
	probe_json
	has_option /r1 ro
	has_option /r1/sub ro
	has_option /r2 ro
	has_option /r2/sub rw
	run_sh 'hull-probe write /r1/sub/f x; echo s1=$?; hull-probe write /r2/sub/f x; echo s2=$?'
	assert_contains "$output" "write /r1/sub/f: EROFS"
	assert_contains "$output" "s1=1"
	assert_contains "$output" "s2=0"
	[ -f "$src/sub/f" ]
}

@test "mounts: propagation per mount: rslave receives host mounts, rprivate does not, rshared is shared" {
	local src=$HULL_TEST_TMP/src group pid
	shared_src "$src"
	group=$(host_peer_group "$src")
	[ -n "$group" ]
	mkdir "$src/late" "$src/inner"
	cfg_add_mount /slave bind "$src" rbind rslave
	cfg_add_mount /priv bind "$src" rbind rprivate
	cfg_add_mount /shr bind "$src" rbind rshared
	start_sleeper "$CID"
	pid=$SLEEPER_PID
	assert_eq "$(optional_in "$pid" /slave)" "master:$group" "/slave"
	assert_eq "$(optional_in "$pid" /priv)" "" "/priv"
	[[ "$(optional_in "$pid" /shr)" == "shared:"*" master:$group" ]] || {
		echo "/shr: '$(optional_in "$pid" /shr)', wanted shared:N master:$group" >&2
		return 1
	}
	# A mount made on the host later shows up in the slave (and the shared slave), not in the private one.
	host_mount "$src/late" -t tmpfs -o size=1m hull-test-late
	grep -q ' /slave/late ' "/proc/$pid/mountinfo"
	grep -q ' /shr/late ' "/proc/$pid/mountinfo"
	if grep -q ' /priv/late ' "/proc/$pid/mountinfo"; then
		echo "host mount propagated into an rprivate bind" >&2
		return 1
	fi
	# Mounts made inside the container never reach the host.
	nsenter -t "$pid" -m mount -t tmpfs hull-test-inner /slave/inner
	nsenter -t "$pid" -m mount -t tmpfs hull-test-inner /shr/inner
	if awk -v p="$src/inner" '$5 == p' /proc/self/mountinfo | grep -q .; then
		echo "a container mount propagated to the host" >&2
		return 1
	fi
}

@test "mounts: rootfsPropagation shared, slave, private, unbindable and the rslave default" {
	local rootfs=$BUNDLE/rootfs group
	host_mount "$rootfs" --bind "$rootfs"
	mount --make-shared "$rootfs"
	group=$(host_peer_group "$rootfs")
	[ -n "$group" ]
	probe_json
	assert_eq "$(mount_field / optional)" "master:$group" "default"
	cfg_set '.linux.rootfsPropagation = "slave"'
	probe_json
	assert_eq "$(mount_field / optional)" "master:$group" "slave"
	cfg_set '.linux.rootfsPropagation = "private"'
	probe_json
	assert_eq "$(mount_field / optional)" "" "private"
	cfg_set '.linux.rootfsPropagation = "unbindable"'
	probe_json
	assert_eq "$(mount_field / optional)" "unbindable" "unbindable"
	cfg_set '.linux.rootfsPropagation = "shared"'
	probe_json
	[[ "$(mount_field / optional)" == "shared:"* ]] || {
		echo "shared: '$(mount_field / optional)'" >&2
		return 1
	}
	# slave in action: a host mount below the rootfs made after the start appears in the container.
	cfg_set '.linux.rootfsPropagation = "slave"'
	start_sleeper "$CID"
	host_mount "$rootfs/mnt" -t tmpfs -o size=1m hull-test-late
	grep -q ' /mnt .* - tmpfs hull-test-late ' "/proc/$SLEEPER_PID/mountinfo"
}

@test "mounts: a destination under a symlink to a host path stays inside the rootfs" {
	OUTSIDE=$(mktemp -d /tmp/hull-outside-XXXXXX)
	local name
	name=${OUTSIDE#/tmp/}
	echo file-content >"$HULL_TEST_TMP/hostfile"
	ln -s "$OUTSIDE" "$BUNDLE/rootfs/evil"
	ln -s "../../../../../../../..$OUTSIDE" "$BUNDLE/rootfs/evil2"
	cfg_add_mount /evil/sub tmpfs tmpfs
	cfg_add_mount /evil2/sub2/deeper tmpfs tmpfs
	cfg_add_mount /evil/file bind "$HULL_TEST_TMP/hostfile" bind
	run hull run --bundle "$BUNDLE" "$(new_cid)" </dev/null
	echo "hull run: status $status, output: ${output:0:300}" >&2
	# Whatever the outcome: nothing was created or mounted in the host directory the links point to.
	assert_eq "$(ls -A "$OUTSIDE")" "" "host directory $OUTSIDE"
	if awk -v p="$OUTSIDE" '$5 == p || index($5, p "/") == 1' /proc/self/mountinfo | grep -q .; then
		echo "something is mounted under $OUTSIDE on the host" >&2
		return 1
	fi
	# hull resolves the links inside the rootfs: the targets exist there.
	[ "$status" -eq 0 ]
	[ -d "$BUNDLE/rootfs/tmp/$name/sub" ]
	[ -d "$BUNDLE/rootfs/tmp/$name/sub2/deeper" ]
	[ -f "$BUNDLE/rootfs/tmp/$name/file" ]
	run_sh "grep -c ' /tmp/$name/' /proc/self/mountinfo"
	assert_eq "$output" 3 "mounts below /tmp/$name inside the container"
}

@test "mounts: /proc or /sys being a symlink in the rootfs is refused" {
	OUTSIDE=$(mktemp -d /tmp/hull-outside-XXXXXX)
	rmdir "$BUNDLE/rootfs/proc"
	ln -s "$OUTSIDE" "$BUNDLE/rootfs/proc"
	cfg_args /bin/true
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "mounts[0].destination"
	assert_contains "$output" "symlink"
	assert_eq "$(ls -A "$OUTSIDE")" "" "host directory $OUTSIDE"
	rm "$BUNDLE/rootfs/proc"
	mkdir "$BUNDLE/rootfs/proc"
	# /sys -> a directory inside the rootfs is refused as well (CVE-2019-19921 class).
	local i
	i=$(cfg_get '[.mounts[].destination] | index("/sys")')
	rmdir "$BUNDLE/rootfs/sys"
	ln -s tmp "$BUNDLE/rootfs/sys"
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "mounts[$i].destination"
	assert_contains "$output" "symlink"
	assert_eq "$(ls -A "$BUNDLE/rootfs/tmp")" "" "nothing mounted or created through the /sys link"
}

@test "mounts: readonly root: / is read-only, a tmpfs on /tmp stays writable" {
	cfg_set '.root.readonly = true'
	cfg_add_mount /tmp tmpfs tmpfs mode=1777 nosuid nodev
	probe_json
	has_option / ro
	has_option /tmp rw
	run_sh 'hull-probe write /f x; echo s1=$?; hull-probe write /etc/f x; echo s2=$?; hull-probe write /tmp/f x; echo s3=$?'
	assert_contains "$output" "write /f: EROFS"
	assert_contains "$output" "s1=1"
	assert_contains "$output" "s2=1"
	assert_contains "$output" "s3=0"
	[ ! -e "$BUNDLE/rootfs/f" ]
}

@test "mounts: maskedPaths and readonlyPaths take effect; missing ones are skipped" {
	echo top-secret >"$BUNDLE/rootfs/etc/secret"
	mkdir "$BUNDLE/rootfs/etc/secretdir"
	echo top-secret >"$BUNDLE/rootfs/etc/secretdir/file"
	cfg_set '.linux.maskedPaths += ["/etc/secret", "/etc/secretdir", "/nonexistent/masked"]
		| .linux.readonlyPaths += ["/home/hull", "/nonexistent/ro"]'
	probe_json
	# readonlyPaths: read-only bind mounts; a directory mask is a read-only tmpfs.
	has_option /proc/sys ro
	has_option /home/hull ro
	has_option /etc/secretdir ro
	assert_eq "$(mount_field /sys/firmware fstype)" tmpfs
	has_option /sys/firmware ro
	run_sh 'echo "[$(hull-probe cat /etc/secret)]"; echo "[$(hull-probe ls /etc/secretdir)]"
		echo "[$(hull-probe ls /sys/firmware)]"; echo "[$(hull-probe cat /proc/keys)]"
		stat -c "%F %t:%T" /etc/secret
		hull-probe write /home/hull/f x; echo s1=$?; hull-probe write /proc/sys/kernel/domainname x; echo s2=$?
		hull-probe write /etc/secretdir/f x; echo s3=$?'
	echo "$output" >&2
	assert_contains "$output" "[]
[]
[]
[]
character special file 1:3"
	assert_contains "$output" "write /home/hull/f: EROFS"
	assert_contains "$output" "s1=1"
	assert_contains "$output" "write /proc/sys/kernel/domainname: EROFS"
	assert_contains "$output" "s2=1"
	assert_contains "$output" "s3=1"
	# The files themselves are untouched.
	assert_eq "$(cat "$BUNDLE/rootfs/etc/secret")" top-secret
}

@test "mounts: idmapped bind: a host directory owned by 1000 appears owned by 0 in a container whose root is 100000" {
	# The container's root is host uid 100000; the mount maps on-disk id 1000 to 100000 (runc's and crun's
	# form: containerID is the id on disk, hostID the id it shows as, before the container's own mapping).
	local src=$HULL_TEST_TMP/idmapped
	mkdir -p "$src"
	echo data >"$src/f"
	chown -R 1000:1000 "$src"
	mkdir -p "$BUNDLE/rootfs/idm"
	cfg_set '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .mounts += [{destination: "/idm", type: "bind", source: $s, options: ["bind", "rw"],
			uidMappings: [{containerID: 1000, hostID: 100000, size: 1}],
			gidMappings: [{containerID: 1000, hostID: 100000, size: 1}]}]' --arg s "$src"
	cfg_args /bin/sh -c 'stat -c "%u:%g" /idm /idm/f; echo new >/idm/created; stat -c "%u:%g" /idm/created'
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "hull run: $output"
	assert_eq "$(echo "$output" | tr '\n' ' ')" "0:0 0:0 0:0 " "owners seen inside"
	# What root created inside through the mount is owned by 1000 on the host.
	assert_eq "$(stat -c %u:%g "$src/created")" 1000:1000 "owner on the host of a file created inside"
	# The same directory bound without the idmap shows the unmapped ids as the overflow id.
	cfg_set '.mounts[-1] |= del(.uidMappings, .gidMappings)'
	cfg_args /bin/stat -c %u /idm/f
	run hull run --bundle "$BUNDLE" "$CID-b"
	assert_eq "$status" 0 "hull run: $output"
	assert_eq "$output" 65534
}

@test "mounts: the idmap option maps a bind mount with the container's own mappings" {
	local src=$HULL_TEST_TMP/idmap-opt
	mkdir -p "$src"
	touch "$src/root-owned" "$src/u1000"
	chown 1000:1000 "$src/u1000"
	mkdir -p "$BUNDLE/rootfs/idm"
	cfg_set '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	cfg_add_mount /idm bind "$src" bind idmap
	cfg_args /bin/stat -c %u /idm/root-owned /idm/u1000
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "hull run: $output"
	assert_eq "$(echo "$output" | tr '\n' ' ')" "0 1000 "
}
