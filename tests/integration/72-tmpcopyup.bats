#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The "tmpcopyup" mount option (podman run --read-only puts it on /tmp, /var/tmp and /run): a new tmpfs over an
# image directory starts with a copy of that directory (files, subdirectories, symlinks as symlinks, fifos; mode,
# owner, times, user xattrs), writes go to the tmpfs and never to the image, symlinks in the image are never
# followed, absurd trees are refused with an error naming the mount, and the option is refused on anything but
# a tmpfs. The copy is checked from the host through /proc/PID/root of a running container.

load helpers

OUTSIDE=

setup() {
	require_root
	setup_bundle
	N=$(cfg_get '.mounts | length')
}

teardown() {
	if [ -n "$OUTSIDE" ]; then
		rm -rf --one-file-system "$OUTSIDE"
	fi
	cleanup
}

# start_sleeper ID: run the bundle detached with the probe sleeping; sets SLEEPER_PID.
start_sleeper() {
	cfg_args /bin/hull-probe sleep 60
	hull run --detach --bundle "$BUNDLE" "$1" </dev/null >"$HULL_TEST_TMP/$1.out" 2>"$HULL_TEST_TMP/$1.err" || {
		cat "$HULL_TEST_TMP/$1.err" >&2
		return 1
	}
	wait_for_status "$1" running
	SLEEPER_PID=$(hull state "$1" | jq -r .pid)
}

# fstype_in PID MOUNT_POINT: the filesystem type of the topmost mount at MOUNT_POINT in /proc/PID/mountinfo.
fstype_in() {
	awk -v d="$2" '$5 == d { for (i = 7; $i != "-"; i++); t = $(i + 1) } END { print t }' "/proc/$1/mountinfo"
}

# tree DIR: one line per entry below DIR: path, type, mode, owner, mtime; symlinks with their target.
tree() {
	(cd "$1" && find . -mindepth 1 -printf '%p %y %m %U:%G %T@ %l\n' | sort)
}

# make_image_dir DIR: the image content the tests copy: files, a subdirectory, symlinks (one to an absolute
# host path, one to a host directory), a fifo, special permissions and owners, old times.
make_image_dir() {
	local d=$1
	mkdir -p "$d/sub/deeper"
	echo image-file >"$d/file"
	chown 1234:5678 "$d/file"
	chmod 0640 "$d/file"
	echo nested >"$d/sub/deeper/n"
	echo root-file >"$d/rootfile"
	echo gone >"$d/gone"
	chown 1000:1000 "$d/sub"
	chmod 0750 "$d/sub"
	chmod 1777 "$d/sub/deeper"
	printf 'x' >"$d/suid"
	chmod 4755 "$d/suid"
	: >"$d/empty"
	chmod 0000 "$d/empty"
	mkfifo "$d/fifo"
	chown 7:8 "$d/fifo"
	ln -s "$OUTSIDE/host-secret" "$d/hostlink"
	ln -s "$OUTSIDE" "$d/hostdir"
	ln -s file "$d/rel"
	chown -h 99:99 "$d/rel"
	python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.hull", b"copied")' "$d/file"
	touch -h -d '2001-02-03 04:05:06' "$d/file" "$d/sub/deeper/n" "$d/sub/deeper" "$d/sub" "$d/fifo" "$d/rel" \
		"$d/hostlink"
}

@test "tmpcopyup: the tmpfs starts with the image directory's content, writes stay in the tmpfs" {
	OUTSIDE=$(mktemp -d /tmp/hull-outside-XXXXXX)
	echo host-secret >"$OUTSIDE/host-secret"
	echo host-dir-file >"$OUTSIDE/in-host-dir"
	local img=$BUNDLE/rootfs/data
	make_image_dir "$img"
	local before
	before=$(tree "$img")
	cfg_add_mount /data tmpfs tmpfs tmpcopyup nosuid nodev
	start_sleeper "$CID"
	local root=/proc/$SLEEPER_PID/root
	assert_eq "$(fstype_in "$SLEEPER_PID" /data)" tmpfs
	# Same entries, types, modes, owners, times and symlink targets.
	assert_eq "$(tree "$root/data")" "$before" "copied tree"
	assert_eq "$(cat "$root/data/file")" image-file
	assert_eq "$(cat "$root/data/sub/deeper/n")" nested
	assert_eq "$(python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "user.hull").decode())' \
		"$root/data/file")" copied "user xattr"
	# The symlinks are symlinks, the host file and directory they name were not copied.
	[ -L "$root/data/hostlink" ] && [ -L "$root/data/hostdir" ]
	assert_eq "$(readlink "$root/data/hostlink")" "$OUTSIDE/host-secret"
	run grep -r host-secret "$root/data/"
	[ "$status" -ne 0 ]
	[ ! -e "$root/data/in-host-dir" ]
	# Writes go to the tmpfs; the image directory on the host is unchanged.
	hull exec "$CID" /bin/sh -c 'echo changed >/data/rootfile; echo new >/data/new; rm /data/gone'
	assert_eq "$(cat "$root/data/rootfile")" changed
	[ ! -e "$root/data/gone" ]
	assert_eq "$(cat "$img/rootfile")" root-file "image file"
	[ ! -e "$img/new" ]
	[ -e "$img/gone" ]
	assert_eq "$(tree "$img")" "$before" "image directory after the writes"
	assert_eq "$(cat "$OUTSIDE/host-secret")" host-secret
	hull kill "$CID" KILL
}

@test "tmpcopyup: the copy keeps mode and owner in a user namespace (mapped ids)" {
	local img=$BUNDLE/rootfs/data
	mkdir -p "$img/sub"
	echo a >"$img/sub/f"
	chown -R 100000:100000 "$BUNDLE/rootfs"
	chown 101000:101001 "$img/sub/f"
	chmod 0604 "$img/sub/f"
	cfg_set '.linux.namespaces += [{type: "user"}]
		| .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
	cfg_add_mount /data tmpfs tmpfs tmpcopyup
	cfg_set '.process.args = ["/bin/sh", "-c", "stat -c \"%a %u:%g\" /data/sub/f && cat /data/sub/f"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	assert_eq "${lines[0]}" "604 1000:1001"
	assert_eq "${lines[1]}" a
}

@test "tmpcopyup: a missing target is created and the tmpfs is empty; ro applies after the copy" {
	mkdir -p "$BUNDLE/rootfs/rodir"
	echo ro-content >"$BUNDLE/rootfs/rodir/f"
	cfg_add_mount /newdir tmpfs tmpfs tmpcopyup
	cfg_add_mount /rodir tmpfs tmpfs tmpcopyup ro
	cfg_set '.process.args = ["/bin/sh", "-c", "ls -A /newdir | wc -l; cat /rodir/f; touch /rodir/x 2>&1; touch /newdir/y && echo y-ok"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	assert_eq "${lines[0]}" 0
	assert_eq "${lines[1]}" ro-content
	assert_contains "${lines[2]}" "Read-only file system"
	assert_eq "${lines[3]}" y-ok
	[ -d "$BUNDLE/rootfs/newdir" ]
	[ ! -e "$BUNDLE/rootfs/newdir/y" ]
}

@test "tmpcopyup: a target that is a symlink to a host directory is resolved inside the rootfs" {
	OUTSIDE=$(mktemp -d /tmp/hull-outside-XXXXXX)
	echo host-secret >"$OUTSIDE/host-secret"
	ln -s "$OUTSIDE" "$BUNDLE/rootfs/evil"
	cfg_add_mount /evil tmpfs tmpfs tmpcopyup
	cfg_set '.process.args = ["/bin/sh", "-c", "ls -A /evil | wc -l"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	assert_eq "$output" 0
	assert_eq "$(ls -A "$OUTSIDE")" host-secret "host directory"
}

@test "tmpcopyup: only on a tmpfs; the error names the option" {
	mkdir -p "$HULL_TEST_TMP/src"
	cfg_add_mount /b bind "$HULL_TEST_TMP/src" rbind tmpcopyup
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "mounts[$N].options[1]: \"tmpcopyup\" is only valid for a new tmpfs mount"
	cfg_set 'del(.mounts[-1])'
	cfg_add_mount /m mqueue mqueue nosuid tmpcopyup
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "mounts[$N].options[1]: \"tmpcopyup\" is only valid for a new tmpfs mount, not type mqueue"
}

@test "tmpcopyup: absurd trees are refused with an error naming the mount" {
	local img=$BUNDLE/rootfs/deep d i
	d=$img
	for ((i = 0; i < 70; i++)); do
		d=$d/d
	done
	mkdir -p "$d"
	cfg_add_mount /deep tmpfs tmpfs tmpcopyup
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "mounts[$N]: tmpcopyup: /deep is more than 64 directories deep"
	rm -rf "$img"

	# Size is checked before copying: a sparse 2 GiB file costs nothing here.
	mkdir -p "$BUNDLE/rootfs/big"
	truncate -s 2G "$BUNDLE/rootfs/big/sparse"
	cfg_set '.mounts[-1].destination = "/big"'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "mounts[$N]: tmpcopyup: /big holds more than 1024 MiB of files (at /big/sparse)"

	# A tmpfs too small for the content fails the same way as any copy error.
	rm -f "$BUNDLE/rootfs/big/sparse"
	head -c 200000 /dev/zero >"$BUNDLE/rootfs/big/f"
	cfg_set '.mounts[-1].options = ["tmpcopyup", "size=64k"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" "mounts[$N]: tmpcopyup: write /big/f: no space left on device"
}
