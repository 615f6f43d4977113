#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Rootless podman driving hull: a throwaway user with /etc/subuid and /etc/subgid ranges runs Debian's podman
# (with conmon) with hull as its runtime. Private configuration (containers.conf, storage.conf with the vfs
# driver under the user's scratch home; no network setup: netns "none"), state under the user's
# XDG_RUNTIME_DIR (podman passes hull no --root, hull uses $XDG_RUNTIME_DIR/hull). The image is `podman import`
# of the busybox rootfs, done by the user. Checked: run/--rm with the user namespace podman asks for (root inside
# is the user outside, the subuid range follows), exit codes, 127 for a missing command, exec (also as another
# user) into a running container with its own pid namespace, stop, and that nothing is left behind. The user, its
# processes and files are removed at the end. See docs/integration.md.

bats_require_minimum_version 1.5.0
load lib

setup_file() {
	eco_setup_file podman-rootless podman conmon newuidmap newgidmap useradd
	[ -z "$ECO_SKIP" ] || return 0
	if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" = 0 ]; then
		export ECO_SKIP="user namespaces are disabled (user.max_user_namespaces=0)"
		return 0
	fi
	export RP_USER=hullrp$$
	useradd -M -d "$ECO_WORK/home" -s /bin/sh "$RP_USER"
	grep -q "^$RP_USER:" /etc/subuid || usermod --add-subuids 400000-465535 "$RP_USER"
	grep -q "^$RP_USER:" /etc/subgid || usermod --add-subgids 400000-465535 "$RP_USER"
	export RP_UID RP_HOME=$ECO_WORK/home RP_XDG
	RP_UID=$(id -u "$RP_USER")
	RP_XDG=/run/user/$RP_UID
	mkdir -p "$RP_HOME/tmp" "$RP_XDG"
	chown -R "$RP_USER:" "$RP_HOME" "$RP_XDG"
	chmod 0700 "$RP_XDG"
	# The logging wrapper appends to calls.log as the user, and keeps fd listings next to it.
	chmod 1777 "$ECO_WORK"
	chmod 0666 "$ECO_WORK/calls.log"
	cat >"$RP_HOME/containers.conf" <<-EOF
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
		netns = "none"
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$RP_HOME/events.log"
		tmp_dir = "$RP_HOME/tmp"
		runtime = "hull"
		runtime_supports_json = ["hull", "crun", "runc", "kata", "runsc", "youki", "krun"]
		[engine.runtimes]
		hull = ["$ECO_HULL"]
	EOF
	cat >"$RP_HOME/storage.conf" <<-EOF
		[storage]
		driver = "vfs"
		graphroot = "$RP_HOME/storage"
		runroot = "$RP_XDG/containers"
	EOF
	chown "$RP_USER:" "$RP_HOME/containers.conf" "$RP_HOME/storage.conf"
	if ! rp import --change 'CMD ["/bin/sh"]' "$ECO_ROOTFS_TAR" localhost/busybox:latest >"$RP_HOME/import.log" 2>&1; then
		export ECO_SKIP="rootless podman cannot import an image here: $(tail -n 1 "$RP_HOME/import.log")"
		return 0
	fi
	export IMG=localhost/busybox:latest
}

teardown_file() {
	[ -n "${ECO_WORK:-}" ] || return 0
	if [ -n "${RP_USER:-}" ] && id "$RP_USER" >/dev/null 2>&1; then
		rp rm -a -f -t 0 >/dev/null 2>&1
		rp system reset -f >/dev/null 2>&1
		# Only the throwaway user's processes (conmon, containers), all started by this file.
		local pids i
		for ((i = 0; i < 50; i++)); do
			pids=$(ps -u "$RP_USER" -o pid= 2>/dev/null | tr -d ' ')
			[ -z "$pids" ] && break
			# shellcheck disable=SC2086
			kill -KILL $pids 2>/dev/null
			sleep 0.1
		done
		userdel "$RP_USER" 2>/dev/null
		sed -i "/^$RP_USER:/d" /etc/subuid /etc/subgid
	fi
	[ -n "${RP_XDG:-}" ] && rm -rf --one-file-system "$RP_XDG"
	eco_teardown_file
}

setup() {
	eco_skip_if_needed
}

# rp ARGS...: podman as the throwaway user, with its own configuration and runtime directory.
rp() {
	(cd "$RP_HOME" && timeout -k 10 120 runuser -u "$RP_USER" -- env HOME="$RP_HOME" XDG_RUNTIME_DIR="$RP_XDG" \
		CONTAINERS_CONF="$RP_HOME/containers.conf" CONTAINERS_STORAGE_CONF="$RP_HOME/storage.conf" \
		podman "$@")
}

@test "podman rootless: run --rm: root inside is the user outside, with its subuid range; exit codes" {
	run rp run --rm "$IMG" sh -c 'id -u; cat /proc/self/uid_map'
	eco_assert_status 0
	[ "$(head -n 1 <<<"$output")" = 0 ]
	# podman maps the user to 0 and its subordinate range after it.
	eco_assert_match "^ +0 +$RP_UID +1$"
	eco_assert_match "^ +1 +$(awk -F: -v u="$RP_USER" '$1 == u { print $2 " +" $3; exit }' /etc/subuid)$"
	run rp run --rm "$IMG" sh -c 'exit 3'
	eco_assert_status 3
}

@test "podman rootless: a missing command exits 127 with hull's message" {
	run -127 rp run --name rnf "$IMG" /nonexistent
	eco_assert_match "no such file or directory"
	eco_expect_failure create "$(rp inspect -f '{{.Id}}' rnf)"
	run rp rm -f rnf
	eco_assert_status 0
}

@test "podman rootless: exec into a running container with its own pid namespace; -u; stop; rm" {
	run rp run -d --name rl "$IMG" sleep 300
	eco_assert_status 0
	run rp exec rl sh -c 'echo $$; id -u'
	eco_assert_status 0
	local pid
	pid=$(head -n 1 <<<"$output")
	[ "$pid" -gt 1 ] && [ "$pid" -lt 100 ] # a pid of the container's namespace, not the host's
	[ "$(tail -n 1 <<<"$output")" = 0 ]
	run rp exec -u 1000 rl id -u
	eco_assert_status 0
	[ "$output" = 1000 ]
	run rp exec rl sh -c 'exit 5'
	eco_assert_status 5
	# The container's processes run as the user on the host.
	local cpid
	cpid=$(rp inspect -f '{{.State.Pid}}' rl)
	[ "$(stat -c %u "/proc/$cpid")" = "$RP_UID" ]
	run rp stop -t 1 rl
	eco_assert_status 0
	run rp rm rl
	eco_assert_status 0
}

@test "podman rootless: every container is gone: no hull state under \$XDG_RUNTIME_DIR/hull, no process left" {
	run rp ps -aq
	[ -z "$output" ]
	eco_wait_for 10 eco_check_no_container_leftovers "$RP_XDG/hull"
	# Only podman's own helpers may remain (its rootless pause process holds the user namespace).
	local left
	left=$(ps -u "$RP_USER" -o pid=,comm= | grep -Ev ' (conmon|catatonit|podman|podman pause)$' || true)
	[ -z "$left" ] || {
		echo "processes left: $left" >&2
		false
	}
}

@test "podman rootless: hull accepted every call podman and conmon made, except the expected failures" {
	eco_calls_summary | sed 's/^/# /' >&3
	run eco_unexpected_failed_calls
	if [ -n "$output" ]; then
		printf 'unexpected failed calls:\n%s\n' "$output" >&2
		false
	fi
}

@test "podman rootless: cleaning up leaves the host as it was" {
	rp rm -a -f -t 0 >/dev/null 2>&1 || true
	rp system reset -f >/dev/null 2>&1 || true
	eco_kill_leftover_processes
	eco_unmount_work
	eco_restore_host
	run eco_host_diff
	if [ -n "$output" ]; then
		printf 'host state differs after the test:\n%s\n' "$output" >&2
		false
	fi
}
