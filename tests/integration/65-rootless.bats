#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Rootless containers: a throwaway user (useradd, with the /etc/subuid and /etc/subgid ranges useradd gives it)
# runs `hull spec --rootless` configs with no --root: state under $XDG_RUNTIME_DIR/hull, no cgroup (one
# warning), its own uid mapped to 0, subuid ranges through newuidmap/newgidmap, clear errors for a missing
# helper, a range not in /etc/subuid and an unset XDG_RUNTIME_DIR; exec, kill and delete; nothing left behind.
# The user, its processes, its runtime dir and the temp dirs are removed in teardown.

load helpers

RL_USER=
RL_UID=
RL_XDG=

setup() {
	require_root
	local v
	if v=$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null) && [ "$v" != 1 ]; then
		skip "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=$v)"
	fi
	if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" = 0 ]; then
		skip "user namespaces are disabled (user.max_user_namespaces=0)"
	fi
	command -v useradd >/dev/null || skip "useradd is not installed"
	setup_bundle
	RL_USER=hullrl$$$RANDOM
	RL_USER=${RL_USER:0:30}
	useradd -M -d /nonexistent -s /bin/sh "$RL_USER"
	RL_UID=$(id -u "$RL_USER")
	if ! grep -q "^$RL_USER:" /etc/subuid; then
		usermod --add-subuids 300000-365535 --add-subgids 300000-365535 "$RL_USER"
	fi
	RL_XDG=/run/user/$RL_UID
	mkdir -p "$RL_XDG"
	chown "$RL_USER:" "$RL_XDG"
	chmod 0700 "$RL_XDG"
	# The user writes its own config.json into the bundle (the rootfs stays root's, read-only to it).
	rm -f "$BUNDLE/config.json"
	chown "$RL_USER:" "$BUNDLE"
	rl_hull spec --rootless
	rl_cfg '.process.terminal = false | .process.args = ["/bin/hull-probe"]
		| .process.env += ["HULL_TEST_TAG=" + $ENV.HULL_TEST_TAG]'
}

teardown() {
	local id pids i
	if [ -n "$RL_USER" ] && id "$RL_USER" >/dev/null 2>&1; then
		for id in $(rl_hull list -q 2>/dev/null); do
			rl_hull delete --force "$id" >/dev/null 2>&1 || true
		done
		# Only the throwaway user's processes, every one of which this test started.
		for ((i = 0; i < 50; i++)); do
			pids=$(ps -u "$RL_USER" -o pid= 2>/dev/null | tr -d ' ')
			[ -z "$pids" ] && break
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null
			sleep 0.1
		done
		userdel "$RL_USER" 2>/dev/null || true
		# userdel keeps subordinate ids on some versions: drop the user's lines.
		sed -i "/^$RL_USER:/d" /etc/subuid /etc/subgid
	fi
	if [ -n "$RL_XDG" ]; then
		rm -rf --one-file-system "$RL_XDG"
	fi
	cleanup
}

# rl_hull ARGS...: hull as the throwaway user, in the bundle, with its XDG_RUNTIME_DIR and no --root
# (env RL_ENV: extra "VAR=VALUE" words, e.g. PATH=...; RL_NO_XDG=1: XDG_RUNTIME_DIR unset).
rl_hull() {
	local xdg=("XDG_RUNTIME_DIR=$RL_XDG")
	if [ "${RL_NO_XDG:-}" = 1 ]; then
		xdg=(-u XDG_RUNTIME_DIR)
	fi
	# shellcheck disable=SC2086
	(cd "$BUNDLE" && timeout -k 10 60 runuser -u "$RL_USER" -- env "${xdg[@]}" \
		HULL_TEST_TAG="$HULL_TEST_TAG" ${RL_ENV:-} "$HULL" "$@")
}

# rl_cfg FILTER [JQ_ARGS...]: jq FILTER over the bundle's config.json, keeping it the user's.
rl_cfg() {
	local t
	t=$(mktemp "$BUNDLE/.cfg.XXXXXX")
	jq "$1" "${@:2}" "$BUNDLE/config.json" >"$t" && mv "$t" "$BUNDLE/config.json" && chown "$RL_USER:" "$BUNDLE/config.json"
}

# subid_base FILE, subid_count FILE: the start and size of the user's first range in FILE.
subid_base() {
	awk -F: -v u="$RL_USER" '$1 == u { print $2; exit }' "$1"
}
subid_count() {
	awk -F: -v u="$RL_USER" '$1 == u { print $3; exit }' "$1"
}

# rl_run ID: `hull run ID` as the user, stdout to $HULL_TEST_TMP/ID.out, stderr to ID.err; returns its status.
rl_run() {
	rl_hull run "$1" </dev/null >"$HULL_TEST_TMP/$1.out" 2>"$HULL_TEST_TMP/$1.err"
}

@test "rootless: spec --rootless runs as the user: root inside, the user's uid outside, files owned by the user" {
	mkdir -m 1777 "$HULL_TEST_TMP/shared"
	mkdir -p "$BUNDLE/rootfs/shared" # the user cannot create mount points in root's rootfs
	rl_cfg ".mounts += [{destination: \"/shared\", type: \"bind\", source: \"$HULL_TEST_TMP/shared\", options: [\"rbind\", \"rw\"]}]
		| .root.readonly = true
		| .process.args = [\"/bin/sh\", \"-c\", \"touch /shared/f && /bin/hull-probe\"]"
	id=$(new_cid)
	rl_run "$id" || { cat "$HULL_TEST_TMP/$id.err" >&2; false; }
	PROBE_JSON=$(cat "$HULL_TEST_TMP/$id.out")
	assert_eq "$(json_get .uid)" 0
	assert_eq "$(json_get .euid)" 0
	# The user's own uid is 0, and its /etc/subuid range follows (spec --rootless found both).
	assert_eq "$(json_get '.uid_map | map(map(tostring) | join(" ")) | join(",")')" \
		"0 $RL_UID 1,1 $(subid_base /etc/subuid) $(subid_count /etc/subuid)"
	assert_eq "$(stat -c %u "$HULL_TEST_TMP/shared/f")" "$RL_UID" "file created inside, owner on the host"
	# Exactly one cgroup warning, naming that nothing was requested.
	assert_eq "$(grep -c 'rootless: no writable cgroup' "$HULL_TEST_TMP/$id.err")" 1
}

@test "rootless: subuid range through newuidmap: uid 1000 inside is subuid base + 999" {
	command -v newuidmap >/dev/null || skip "newuidmap (package uidmap) is not installed"
	local ub gb
	ub=$(subid_base /etc/subuid)
	gb=$(subid_base /etc/subgid)
	[ -n "$ub" ] && [ -n "$gb" ]
	mkdir -m 1777 "$HULL_TEST_TMP/shared"
	mkdir -p "$BUNDLE/rootfs/shared" # the user cannot create mount points in root's rootfs
	rl_cfg ".linux.uidMappings = [{containerID: 0, hostID: $RL_UID, size: 1}, {containerID: 1, hostID: $ub, size: 65536}]
		| .linux.gidMappings = [{containerID: 0, hostID: $(id -g "$RL_USER"), size: 1}, {containerID: 1, hostID: $gb, size: 65536}]
		| .process.user = {uid: 1000, gid: 1000}
		| .mounts += [{destination: \"/shared\", type: \"bind\", source: \"$HULL_TEST_TMP/shared\", options: [\"rbind\", \"rw\"]}]
		| .process.args = [\"/bin/sh\", \"-c\", \"touch /shared/f && /bin/hull-probe\"]"
	id=$(new_cid)
	rl_run "$id" || { cat "$HULL_TEST_TMP/$id.err" >&2; false; }
	PROBE_JSON=$(cat "$HULL_TEST_TMP/$id.out")
	assert_eq "$(json_get .uid)" 1000
	assert_eq "$(json_get '.uid_map | map(map(tostring) | join(" ")) | join(",")')" "0 $RL_UID 1,1 $ub 65536"
	assert_eq "$(stat -c %u:%g "$HULL_TEST_TMP/shared/f")" "$((ub + 999)):$((gb + 999))"
}

@test "rootless: missing newuidmap is a clear error and leaves nothing behind" {
	local ub
	ub=$(subid_base /etc/subuid)
	rl_cfg ".linux.uidMappings = [.linux.uidMappings[0], {containerID: 1, hostID: $ub, size: 1000}]"
	id=$(new_cid)
	RL_ENV="PATH=/nonexistent" rl_run "$id" && false
	assert_contains "$(cat "$HULL_TEST_TMP/$id.err")" \
		"linux.uidMappings: mapping more than uid $RL_UID needs newuidmap (Debian package uidmap): not found in \$PATH"
	[ ! -e "$RL_XDG/hull/$id" ]
}

@test "rootless: a range not in /etc/subuid is refused naming the file and the range" {
	rl_cfg ".linux.uidMappings = [.linux.uidMappings[0], {containerID: 1, hostID: 900000, size: 65536}]
		| .linux.gidMappings = [.linux.gidMappings[0]]"
	id=$(new_cid)
	rl_run "$id" && false
	assert_contains "$(cat "$HULL_TEST_TMP/$id.err")" \
		"linux.uidMappings[1]: /etc/subuid: no range for user \"$RL_USER\" covers 900000-965535"
	rl_cfg ".linux.uidMappings = [.linux.uidMappings[0]] | .linux.gidMappings += [{containerID: 1, hostID: 900000, size: 10}]"
	rl_run "$id" && false
	assert_contains "$(cat "$HULL_TEST_TMP/$id.err")" \
		"linux.gidMappings[1]: /etc/subgid: no range for user \"$RL_USER\" covers 900000-900009"
	[ ! -e "$RL_XDG/hull/$id" ]
}

@test "rootless: state under \$XDG_RUNTIME_DIR/hull, no cgroup; exec, kill and delete; no leftovers" {
	rl_cfg '.process.args = ["/bin/hull-probe", "sleep", "60"]'
	id=$(new_cid)
	rl_hull create "$id" </dev/null >"$HULL_TEST_TMP/c.out" 2>"$HULL_TEST_TMP/c.err" ||
		{ cat "$HULL_TEST_TMP/c.err" >&2; false; }
	[ -d "$RL_XDG/hull/$id" ]
	assert_eq "$(stat -c %u "$RL_XDG/hull/$id")" "$RL_UID"
	assert_eq "$(grep -c 'rootless: no writable cgroup' "$HULL_TEST_TMP/c.err")" 1
	assert_eq "$(find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "$id" 2>/dev/null)" ""
	rl_hull start "$id"
	pid=$(rl_hull state "$id" | jq -r .pid)
	assert_eq "$(rl_hull state "$id" | jq -r .status)" running
	assert_eq "$(stat -c %u "/proc/$pid")" "$RL_UID" "the container process runs as the user on the host"
	# exec joins the container's user namespace first, then its pid namespace (for a forked child).
	out=$(rl_hull exec "$id" /bin/sh -c 'echo $$; id -u; cat /proc/self/uid_map' </dev/null 2>"$HULL_TEST_TMP/e.err") ||
		{ cat "$HULL_TEST_TMP/e.err" >&2; false; }
	mapfile -t lines <<<"$out"
	[ "${lines[0]}" -gt 1 ] && [ "${lines[0]}" -lt 100 ] || { echo "pid inside: ${lines[0]}" >&2; false; }
	assert_eq "${lines[1]}" 0 "uid inside the exec'd process"
	assert_eq "$(tr -s ' ' <<<"${lines[2]}" | sed 's/^ //')" "0 $RL_UID 1"
	assert_eq "$(rl_hull exec "$id" /bin/sh -c 'exit 7' </dev/null >/dev/null 2>&1; echo $?)" 7 "exit status of exec"
	# A detached exec: its pid file names a host pid that runs as the user, in the container's pid namespace.
	rl_hull exec --detach --pid-file "$RL_XDG/exec.pid" "$id" /bin/sleep 60 </dev/null
	epid=$(cat "$RL_XDG/exec.pid")
	assert_eq "$(stat -c %u "/proc/$epid")" "$RL_UID"
	assert_eq "$(readlink "/proc/$epid/ns/pid")" "$(readlink "/proc/$pid/ns/pid")"
	assert_contains "$(rl_hull ps --format json "$id")" "$epid"
	rl_hull kill "$id" KILL
	for ((i = 0; i < 50; i++)); do
		[ "$(rl_hull state "$id" | jq -r .status)" = stopped ] && break
		sleep 0.1
	done
	assert_eq "$(rl_hull state "$id" | jq -r .status)" stopped
	rl_hull delete "$id"
	[ ! -e "$RL_XDG/hull/$id" ]
	assert_eq "$(rl_hull list -q)" ""
}

@test "rootless: exec into a running rootless container (no pid namespace)" {
	# Without its own pid namespace a user namespace may not mount proc: bind the host's.
	rl_cfg '.process.args = ["/bin/hull-probe", "sleep", "60"] | .linux.namespaces |= map(select(.type != "pid"))
		| .mounts |= map(if .destination == "/proc" then {destination: "/proc", type: "bind", source: "/proc",
			options: ["rbind", "nosuid", "noexec", "nodev"]} else . end)'
	id=$(new_cid)
	rl_hull run --detach "$id" </dev/null >/dev/null 2>"$HULL_TEST_TMP/c.err" || { cat "$HULL_TEST_TMP/c.err" >&2; false; }
	out=$(rl_hull exec "$id" /bin/sh -c 'id -u; cat /proc/self/uid_map' 2>"$HULL_TEST_TMP/e.err") ||
		{ cat "$HULL_TEST_TMP/e.err" >&2; false; }
	assert_eq "$(head -1 <<<"$out")" 0
	assert_eq "$(sed -n 2p <<<"$out" | tr -s ' ' | sed 's/^ //')" "0 $RL_UID 1"
	rl_hull delete --force "$id"
	assert_eq "$(rl_hull list -q)" ""
}

@test "rootless: unset XDG_RUNTIME_DIR without /run/user/<uid> is one clear error" {
	rm -rf "$RL_XDG"
	id=$(new_cid)
	RL_NO_XDG=1 rl_run "$id" && false
	assert_eq "$(cat "$HULL_TEST_TMP/$id.err")" \
		"hull: rootless: XDG_RUNTIME_DIR is not set and /run/user/$RL_UID does not exist: set XDG_RUNTIME_DIR or pass --root DIR"
	[ ! -e "$RL_XDG" ]
}

@test "rootless: a config asking for limits gets one warning listing them" {
	rl_cfg '.linux.resources = {pids: {limit: 50}, memory: {limit: 67108864}}'
	id=$(new_cid)
	rl_run "$id" || { cat "$HULL_TEST_TMP/$id.err" >&2; false; }
	w=$(grep 'rootless: no writable cgroup' "$HULL_TEST_TMP/$id.err")
	assert_eq "$(wc -l <<<"$w")" 1
	assert_contains "$w" "not enforced: "
	assert_contains "$w" "linux.resources.memory.limit"
	assert_contains "$w" "linux.resources.pids.limit"
}

@test "rootless: the network namespace of spec --rootless has only loopback, and it is up" {
	rl_cfg '.process.args = ["/bin/sh", "-c", "ip -o link show; ping -c 1 -W 2 127.0.0.1 >/dev/null 2>&1 && echo ping-ok || nc -z 127.0.0.1 1 2>&1; echo done"]'
	id=$(new_cid)
	rl_run "$id" || { cat "$HULL_TEST_TMP/$id.err" >&2; false; }
	out=$(cat "$HULL_TEST_TMP/$id.out")
	assert_eq "$(grep -c ': ' <<<"$(grep -E '^[0-9]+: ' <<<"$out")")" 1 "interfaces: $out"
	assert_contains "$out" "1: lo: <LOOPBACK,UP"
}

@test "rootless: root inside is confined to the user namespace (host files, block devices, hostname, modules)" {
	# The host side: a directory the user may bind, holding a file only the host's root may read.
	mkdir -m 0755 "$HULL_TEST_TMP/secret"
	echo top-secret >"$HULL_TEST_TMP/secret/f"
	chmod 0600 "$HULL_TEST_TMP/secret/f"
	mkdir -p "$BUNDLE/rootfs/secret"
	# A block device with a file system on it, bound into the container (when loop devices work here).
	local loopdev=
	truncate -s 8M "$HULL_TEST_TMP/disk.img"
	if mkfs.ext4 -q "$HULL_TEST_TMP/disk.img" 2>/dev/null && loopdev=$(losetup -f --show "$HULL_TEST_TMP/disk.img" 2>/dev/null); then
		echo "$loopdev" >"$HULL_TEST_TMP/loopdev"
		chmod 0666 "$loopdev"
		rl_cfg '.mounts += [{destination: "/dev/hostdisk", type: "bind", source: $d, options: ["bind"]}]' --arg d "$loopdev"
	fi
	# The escape battery's module loader (init_module and delete_module; its last line is its verdict).
	cp "$(dirname "$PROBE")/escape/init-module" "$BUNDLE/rootfs/init-module"
	local hn
	hn=$(hostname)
	# Every capability that could matter, so nothing is refused for lack of one inside the namespace.
	RL_ALL_CAPS='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_FOWNER","CAP_MKNOD","CAP_SYS_ADMIN",
		"CAP_SYS_MODULE","CAP_SYS_CHROOT","CAP_SYS_PTRACE","CAP_SETUID","CAP_SETGID"]'

	# No seccomp filter and the host's uts namespace: every refusal below comes from the user namespace.
	rl_cfg '.mounts += [{destination: "/secret", type: "bind", source: $s, options: ["rbind", "rw"]}]
		| del(.linux.seccomp) | .linux.namespaces |= map(select(.type != "uts")) | del(.hostname)
		| .process.capabilities = {bounding: $all, effective: $all, permitted: $all}
		| .process.args = ["/bin/sh", "-c", $script]' \
		--arg s "$HULL_TEST_TMP/secret" --argjson all "$RL_ALL_CAPS" \
		--arg script '
		for p in /secret/f /proc/self/root/secret/f /proc/1/root/secret/f; do cat "$p" >/dev/null 2>&1 && echo "read:$p"; done
		chmod 0644 /secret/f 2>/dev/null && echo chmod-ok
		chown 0:0 /secret/f 2>/dev/null && echo chown-ok
		mknod /tmp/blk b 7 0 2>/dev/null && echo mknod-ok
		if [ -b /dev/hostdisk ]; then mkdir -p /tmp/mnt; mount -t ext4 /dev/hostdisk /tmp/mnt 2>/dev/null && echo mount-ok; fi
		hostname hull-evil 2>/dev/null && echo hostname-ok
		/init-module | tail -n 1
		echo checked'
	id=$(new_cid)
	rl_run "$id"
	rc=$?
	[ -n "$loopdev" ] && losetup -d "$loopdev"
	[ "$rc" = 0 ] || { cat "$HULL_TEST_TMP/$id.err" >&2; false; }
	# Modules: refused, or (a kernel without module support, like this project's CI machine) impossible anyway.
	out=$(cat "$HULL_TEST_TMP/$id.out")
	case $(head -n 1 <<<"$out") in
	"refused: init_module EPERM, delete_module EPERM" | "n/a: the kernel has no module support"*) ;;
	*) echo "module load: $(head -n 1 <<<"$out")" >&2; false ;;
	esac
	assert_eq "$(tail -n +2 <<<"$out")" checked "what got through"
	assert_eq "$(hostname)" "$hn" "the host's hostname"
	assert_eq "$(stat -c %a:%u "$HULL_TEST_TMP/secret/f")" 600:0
}
