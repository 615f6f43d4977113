#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The hardened `hull spec` (docs/security.md): the default config runs ordinary busybox programs on the test rootfs
# and the probe sees exactly what the config promises (3 capabilities, no_new_privs, seccomp filter, read-only root
# with a writable /tmp, masked paths, pids limit); every flag (Docker's vocabulary) changes the config as documented
# and the result still runs; bad flag values are clear errors; `hull seccomp resolve` matches the jq-derived
# fixtures of tests/data/seccomp.

load helpers

FIXTURES=$HULL_TOPDIR/tests/data/seccomp

setup() {
	require_root
	setup_bundle
}

teardown() {
	cleanup
}

# spec_bundle [SPEC-FLAGS...]: replace mkbundle's config.json by `hull spec SPEC-FLAGS -- /bin/hull-probe`, with no
# terminal and the test tag in the environment (as setup_bundle does).
spec_bundle() {
	rm -f "$BUNDLE/config.json"
	"$HULL" spec --bundle "$BUNDLE" "$@" -- /bin/hull-probe || {
		echo "hull spec $* failed" >&2
		return 1
	}
	cfg_set '.process.terminal = false' && cfg_env "HULL_TEST_TAG=$HULL_TEST_TAG"
}

# run_cmd ARG...: run the bundle with process.args = ARG... under a fresh id; RUN_STATUS, RUN_OUT (stdout) and
# RUN_ERR (stderr without the libseccomp "unknown system call" warnings).
run_cmd() {
	cfg_args "$@" || return 1
	RUN_STATUS=0
	RUN_OUT=$(hull run --bundle "$BUNDLE" "$(new_cid)" </dev/null 2>"$HULL_TEST_TMP/run.err") || RUN_STATUS=$?
	RUN_ERR=$(grep -v 'unknown system call' "$HULL_TEST_TMP/run.err" || true)
}

# The names a linux.seccomp allows without argument conditions (one per line), from config.json.
allowed_syscalls() {
	cfg_get '.linux.seccomp.syscalls[] | select(.action == "SCMP_ACT_ALLOW" and ((.args // []) | length) == 0)
		| .names[]'
}

@test "spec default: the hardened config, field by field" {
	spec_bundle
	local caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' set
	for set in bounding effective permitted; do
		assert_eq "$(cfg_get ".process.capabilities.$set | sort | tojson")" "$caps" "$set"
	done
	assert_eq "$(cfg_get '(.process.capabilities.inheritable // []) + (.process.capabilities.ambient // []) | length')" \
		0 "inheritable and ambient empty"
	assert_eq "$(cfg_get .process.noNewPrivileges)" true "noNewPrivileges"
	assert_eq "$(cfg_get .root.readonly)" true "root.readonly"
	assert_eq "$(cfg_get '.mounts[] | select(.destination == "/tmp") | [.type, (.options | sort | join(","))] | join(" ")')" \
		"tmpfs mode=1777,nodev,nosuid" "/tmp tmpfs"
	assert_eq "$(cfg_get '.linux.maskedPaths | map(select(startswith("/sys/devices/system/cpu/") | not)) | sort | join(" ")')" \
		"/proc/acpi /proc/asound /proc/interrupts /proc/kcore /proc/keys /proc/latency_stats /proc/sched_debug /proc/scsi /proc/timer_list /proc/timer_stats /sys/devices/virtual/powercap /sys/firmware" \
		"maskedPaths (Docker's full list)"
	assert_eq "$(cfg_get '.linux.readonlyPaths | sort | join(" ")')" \
		"/proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger" "readonlyPaths"
	assert_eq "$(cfg_get .linux.resources.pids.limit)" 1024 "pids limit"
	assert_eq "$(cfg_get '.process.rlimits[] | select(.type == "RLIMIT_NOFILE") | "\(.soft)/\(.hard)"')" 1024/1024 "NOFILE"
	assert_eq "$(cfg_get '[.linux.namespaces[].type] | sort | join(",")')" "cgroup,ipc,mount,network,pid,uts" "namespaces"
	assert_eq "$(cfg_get .linux.seccomp.defaultAction)" SCMP_ACT_ERRNO "seccomp defaultAction"
	if [ "$(uname -m)" = x86_64 ]; then
		assert_eq "$(cfg_get '.linux.seccomp.architectures | join(",")')" \
			SCMP_ARCH_X86_64,SCMP_ARCH_X86,SCMP_ARCH_X32 "seccomp architectures (native archMap entry)"
	fi
	# Resolved for these 3 capabilities: no chroot (CAP_SYS_CHROOT), no mount (CAP_SYS_ADMIN).
	local allowed
	allowed=$(allowed_syscalls)
	grep -qx read <<<"$allowed"
	if grep -qxE 'chroot|mount' <<<"$allowed"; then
		echo "chroot or mount allowed with the 3 default capabilities" >&2
		return 1
	fi
	# ... and exactly what `hull seccomp resolve` gives for that bounding set.
	diff <(cfg_get '.linux.seccomp' | jq -S .) \
		<("$HULL" seccomp resolve --caps AUDIT_WRITE,KILL,NET_BIND_SERVICE | jq -S .)
}

@test "spec default: runs busybox; the probe sees 3 caps, no_new_privs, seccomp 2, ro root, rw /tmp, masks, pids" {
	spec_bundle
	run_cmd /bin/sh -c 'echo hello | tr a-z A-Z; ls / >/dev/null && date >/dev/null && echo ok'
	assert_eq "$RUN_STATUS" 0 "busybox sh; stderr: $RUN_ERR"
	assert_eq "$RUN_OUT" "HELLO
ok" "output"

	probe_json
	local set
	for set in bounding effective permitted; do
		assert_eq "$(json_get ".caps.$set.names | sort | join(\",\")")" \
			CAP_AUDIT_WRITE,CAP_KILL,CAP_NET_BIND_SERVICE "$set"
	done
	assert_eq "$(json_get '.caps.inheritable.hex')" 0000000000000000 "inheritable"
	assert_eq "$(json_get '.caps.ambient.hex')" 0000000000000000 "ambient"
	assert_eq "$(json_get .no_new_privs)" true "no_new_privs"
	assert_eq "$(json_get .seccomp)" 2 "seccomp mode"
	mount_options / | grep -qx ro
	mount_options /tmp | grep -qx rw
	mount_options /tmp | grep -qx nosuid
	mount_options /tmp | grep -qx nodev
	assert_eq "$(json_get '.rlimits.RLIMIT_NOFILE | "\(.soft)/\(.hard)"')" 1024/1024 "NOFILE"

	# Every masked path the kernel has is covered by a mount.
	local p n=0
	for p in $(cfg_get '.linux.maskedPaths[]'); do
		[ -e "$p" ] || continue
		assert_eq "$(json_get '[.mounts[] | select(.mount_point == $p)] | length > 0' "$PROBE_JSON" --arg p "$p")" \
			true "$p masked"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]

	# Read-only root, writable /tmp.
	run_cmd /bin/hull-probe write /tmp/x hi
	assert_eq "$RUN_STATUS" 0 "write /tmp/x; stderr: $RUN_ERR"
	run_cmd /bin/hull-probe write /etc/x hi
	assert_eq "$RUN_STATUS" 1 "write /etc/x"
	assert_contains "$RUN_ERR" EROFS "write /etc/x error"
	[ ! -e "$BUNDLE/rootfs/etc/x" ]

	# The pids limit reaches the container's cgroup (v1: the pids hierarchy; v2: the unified one).
	run_cmd /bin/sh -c 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max'
	assert_eq "$RUN_STATUS" 0 "read pids.max; stderr: $RUN_ERR"
	assert_eq "$RUN_OUT" 1024 "pids.max"
}

@test "spec --cap-add/--cap-drop: Docker's rules, names in any spelling; the caps reach the process" {
	spec_bundle --cap-add net_raw --cap-add CAP_SYS_CHROOT --cap-drop kill
	assert_eq "$(cfg_get '.process.capabilities.bounding | sort | join(",")')" \
		CAP_AUDIT_WRITE,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT "bounding"
	assert_eq "$(cfg_get '.process.capabilities.effective | sort | join(",")')" \
		CAP_AUDIT_WRITE,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT "effective"
	allowed_syscalls | grep -qx chroot # CAP_SYS_CHROOT unlocks chroot in the profile
	probe_json
	assert_eq "$(json_get '.caps.effective.names | sort | join(",")')" \
		CAP_AUDIT_WRITE,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_CHROOT "effective in the container"

	spec_bundle --cap-drop ALL --cap-add Net_Bind_Service
	assert_eq "$(cfg_get '.process.capabilities.bounding | join(",")')" CAP_NET_BIND_SERVICE "drop ALL + add"
	probe_json
	assert_eq "$(json_get '.caps.bounding.names | join(",")')" CAP_NET_BIND_SERVICE "bounding in the container"

	spec_bundle --cap-drop all
	assert_eq "$(cfg_get '.process.capabilities.permitted | length')" 0 "drop ALL"
	probe_json
	assert_eq "$(json_get .caps.permitted.hex)" 0000000000000000 "no capabilities"
	assert_eq "$(json_get .seccomp)" 2 "seccomp still on"

	# ALL: every capability of the running kernel (not run: this host may hold fewer).
	spec_bundle --cap-add ALL --cap-drop SYS_ADMIN
	# cap_last_cap + 1 capabilities, minus one.
	assert_eq "$(cfg_get '.process.capabilities.bounding | length')" "$(cat /proc/sys/kernel/cap_last_cap)" \
		"ALL minus SYS_ADMIN"
	assert_eq "$(cfg_get '.process.capabilities.bounding | index("CAP_SYS_ADMIN")')" null "SYS_ADMIN dropped"
}

@test "spec --cap-add SYS_ADMIN re-resolves the profile: the mount family is allowed, and it runs" {
	spec_bundle
	local before after s
	before=$(allowed_syscalls)
	spec_bundle --cap-add SYS_ADMIN
	after=$(allowed_syscalls)
	for s in mount umount2 unshare setns fsopen fsmount move_mount open_tree; do
		! grep -qx "$s" <<<"$before" || {
			echo "$s allowed without CAP_SYS_ADMIN" >&2
			return 1
		}
		grep -qx "$s" <<<"$after" || {
			echo "$s not allowed with CAP_SYS_ADMIN" >&2
			return 1
		}
	done
	# clone3 is no longer ENOSYS, clone no longer argument-filtered.
	assert_eq "$(cfg_get '[.linux.seccomp.syscalls[] | select(.names | index("clone3")) | .action] | join(",")')" \
		SCMP_ACT_ALLOW "clone3"
	probe_json
	assert_eq "$(json_get '.caps.bounding.names | index("CAP_SYS_ADMIN") != null')" true "CAP_SYS_ADMIN"
	assert_eq "$(json_get .seccomp)" 2 "seccomp mode"
}

@test "spec --read-only=false: writable root, no /tmp tmpfs; --read-only=true is the default" {
	spec_bundle --read-only=false
	assert_eq "$(cfg_get .root.readonly)" false "root.readonly"
	assert_eq "$(cfg_get '[.mounts[] | select(.destination == "/tmp")] | length')" 0 "no /tmp mount"
	run_cmd /bin/hull-probe write /etc/x hi
	assert_eq "$RUN_STATUS" 0 "write /etc/x; stderr: $RUN_ERR"
	assert_eq "$(cat "$BUNDLE/rootfs/etc/x")" hi "written to the rootfs"

	spec_bundle --read-only=true
	assert_eq "$(cfg_get .root.readonly)" true "root.readonly"
	assert_eq "$(cfg_get '[.mounts[] | select(.destination == "/tmp")] | length')" 1 "/tmp mount"
}

@test "spec --security-opt no-new-privileges=false: no_new_privs off, the filter still loads" {
	spec_bundle --security-opt no-new-privileges=false
	assert_eq "$(cfg_get .process.noNewPrivileges)" false "noNewPrivileges"
	probe_json
	assert_eq "$(json_get .no_new_privs)" false "no_new_privs"
	assert_eq "$(json_get .seccomp)" 2 "seccomp mode (loaded before the capability drop)"

	spec_bundle --security-opt no-new-privileges=false --security-opt no-new-privileges
	assert_eq "$(cfg_get .process.noNewPrivileges)" true "the last option wins"
}

@test "spec --security-opt seccomp=unconfined: no linux.seccomp, seccomp mode 0" {
	spec_bundle --security-opt seccomp=unconfined
	assert_eq "$(cfg_get '.linux | has("seccomp")')" false "no linux.seccomp"
	probe_json
	assert_eq "$(json_get .seccomp)" 0 "seccomp mode"
}

@test "spec --security-opt seccomp=FILE: a Docker profile is resolved for the caps, an OCI one used as is" {
	spec_bundle --security-opt "seccomp=$FIXTURES/moby-default.json" --cap-add SYS_PTRACE
	diff <(cfg_get '.linux.seccomp' | jq -S .) \
		<("$HULL" seccomp resolve --caps AUDIT_WRITE,KILL,NET_BIND_SERVICE,SYS_PTRACE "$FIXTURES/moby-default.json" |
			jq -S .)
	allowed_syscalls | grep -qx kcmp # CAP_SYS_PTRACE
	probe_json
	assert_eq "$(json_get .seccomp)" 2 "seccomp mode"

	# OCI form: allow everything but mkdir/mkdirat.
	cat >"$HULL_TEST_TMP/oci.json" <<-'EOF'
		{
			"defaultAction": "SCMP_ACT_ALLOW",
			"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]
		}
	EOF
	spec_bundle --security-opt "seccomp=$HULL_TEST_TMP/oci.json"
	diff <(cfg_get '.linux.seccomp' | jq -S .) <(jq -S . "$HULL_TEST_TMP/oci.json")
	run_cmd /bin/sh -c 'mkdir /tmp/d 2>&1; echo "status $?"; touch /tmp/f && echo touched'
	assert_eq "$RUN_STATUS" 0 "stderr: $RUN_ERR"
	assert_contains "$RUN_OUT" "Permission denied" "mkdir refused with errnoRet 13"
	assert_contains "$RUN_OUT" "status 1" "mkdir status"
	assert_contains "$RUN_OUT" touched "other calls allowed"

	# An empty document would silently mean "no seccomp" to Docker: refused.
	echo '{}' >"$HULL_TEST_TMP/empty.json"
	rm -f "$BUNDLE/config.json"
	run "$HULL" spec --bundle "$BUNDLE" --security-opt "seccomp=$HULL_TEST_TMP/empty.json"
	assert_eq "$status" 1 "empty profile"
	assert_contains "$output" "seccomp=unconfined" "message"
	[ ! -e "$BUNDLE/config.json" ]
}

@test "spec --security-opt apparmor=P and label=...: the config fields; a clear error where the LSM is off" {
	spec_bundle --security-opt apparmor=hull-test-profile
	assert_eq "$(cfg_get .process.apparmorProfile)" hull-test-profile "apparmorProfile"
	if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
		run_cmd /bin/hull-probe
		assert_eq "$RUN_STATUS" 1 "AppArmor profile without AppArmor"
		assert_contains "$RUN_ERR" "AppArmor" "message"
	fi

	spec_bundle --security-opt label=type:spc_t --security-opt label=level:s0:c1,c2
	assert_eq "$(cfg_get .process.selinuxLabel)" "system_u:system_r:spc_t:s0:c1,c2" "selinuxLabel"
	assert_eq "$(cfg_get .linux.mountLabel)" "system_u:object_r:container_file_t:s0:c1,c2" "mountLabel"
	if [ ! -d /sys/fs/selinux ]; then
		run_cmd /bin/hull-probe
		assert_eq "$RUN_STATUS" 1 "SELinux label without SELinux"
		assert_contains "$RUN_ERR" "SELinux" "message"
	fi

	spec_bundle --security-opt label=user:user_u --security-opt label=role:user_r --security-opt label=filetype:f_t
	assert_eq "$(cfg_get .process.selinuxLabel)" "user_u:user_r:container_t:s0" "selinuxLabel"
	assert_eq "$(cfg_get .linux.mountLabel)" "user_u:object_r:f_t:s0" "mountLabel"

	spec_bundle --security-opt label=disable
	assert_eq "$(cfg_get '.process | has("selinuxLabel")')" false "no process label"
}

@test "spec --landlock: process.landlock in the proposal's shape; writes outside /tmp refused even on a rw root" {
	spec_bundle --landlock --read-only=false
	assert_eq "$(cfg_get '.process.landlock.ruleset.handledAccessFS | length')" 16 "handled rights"
	assert_eq "$(cfg_get '.process.landlock.rules.pathBeneath[0] | "\(.paths | join(",")) \(.allowedAccess | sort | join(","))"')" \
		"/ execute,read_dir,read_file" "read-only rule"
	assert_eq "$(cfg_get '.process.landlock.disableBestEffort')" false "best effort"
	run_cmd /bin/sh -c 'echo a >/tmp/x && cat /tmp/x; echo b >/dev/null && echo devnull; echo c >/etc/x || echo refused'
	assert_eq "$RUN_STATUS" 0 "stderr: $RUN_ERR"
	assert_eq "$RUN_OUT" "a
devnull
refused" "output"
	[ ! -e "$BUNDLE/rootfs/etc/x" ]
}

@test "spec --user and --hostname" {
	spec_bundle --user 1000:100 --hostname web-1
	assert_eq "$(cfg_get '"\(.process.user.uid):\(.process.user.gid)"')" 1000:100 "user"
	assert_eq "$(cfg_get .hostname)" web-1 "hostname"
	probe_json
	assert_eq "$(json_get '"\(.uid):\(.gid):\(.euid)"')" 1000:100:1000 "ids"
	assert_eq "$(json_get .hostname)" web-1 "hostname"
	assert_eq "$(json_get .caps.effective.hex)" 0000000000000000 "a non-root process has no effective caps"

	spec_bundle -u 1000
	assert_eq "$(cfg_get '"\(.process.user.uid):\(.process.user.gid)"')" 1000:1000 "GID defaults to UID"
}

@test "spec --rootless: user namespace, a loopback-only network namespace, no resources; still hardened; runs" {
	spec_bundle --rootless
	assert_eq "$(cfg_get '[.linux.namespaces[].type] | sort | join(",")')" "cgroup,ipc,mount,network,pid,user,uts" \
		"namespaces"
	assert_eq "$(cfg_get '.linux.uidMappings[0] | "\(.containerID) \(.hostID) \(.size)"')" "0 $(id -u) 1" "uid map"
	assert_eq "$(cfg_get '.linux | has("resources")')" false "no resources"
	assert_eq "$(cfg_get .process.noNewPrivileges)" true "noNewPrivileges"
	assert_eq "$(cfg_get '.linux | has("seccomp")')" true "seccomp"
	assert_eq "$(cfg_get .root.readonly)" true "read-only root"
	probe_json
	assert_eq "$(json_get .seccomp)" 2 "seccomp mode"
	[ "$(json_get .namespaces.user)" != "$(readlink /proc/self/ns/user)" ]
	[ "$(json_get .namespaces.net)" != "$(readlink /proc/self/ns/net)" ]
}

@test "spec command: after the flags or from --args, not both" {
	rm -f "$BUNDLE/config.json"
	"$HULL" spec --bundle "$BUNDLE" --args /bin/hull-probe --args exit --args 7
	assert_eq "$(cfg_get '.process.args | join(" ")')" "/bin/hull-probe exit 7" "--args"
	cfg_set '.process.terminal = false'
	cfg_env "HULL_TEST_TAG=$HULL_TEST_TAG"
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	assert_eq "$status" 7 "exit status"

	rm -f "$BUNDLE/config.json"
	"$HULL" spec --bundle "$BUNDLE" -- /bin/sh -c 'echo hi'
	assert_eq "$(cfg_get '.process.args | tojson')" '["/bin/sh","-c","echo hi"]' "after --"
	rm -f "$BUNDLE/config.json"
	"$HULL" spec --bundle "$BUNDLE" --hostname h /bin/echo -n x
	assert_eq "$(cfg_get '.process.args | tojson')" '["/bin/echo","-n","x"]' "flags stop at the command"
	assert_eq "$(cfg_get .hostname)" h "hostname"

	rm -f "$BUNDLE/config.json"
	run "$HULL" spec --bundle "$BUNDLE" --args a -- b
	assert_eq "$status" 1 "both"
	assert_contains "$output" "not both" "message"
	rm -f "$BUNDLE/config.json"
	"$HULL" spec --bundle "$BUNDLE"
	assert_eq "$(cfg_get '.process.args | tojson')" '["sh"]' "default command"
}

@test "spec: invalid flag values are clear errors and write nothing" {
	rm -f "$BUNDLE/config.json"
	local -a cases=(
		'--cap-add CAP_FOO|unknown capability "CAP_FOO" in --cap-add'
		'--cap-drop foo|unknown capability "CAP_FOO" in --cap-drop'
		'--security-opt bogus=1|unknown option "bogus"'
		'--security-opt no-new-privileges=maybe|no-new-privileges takes true or false'
		'--security-opt seccomp=/nonexistent.json|seccomp profile /nonexistent.json: no such file or directory'
		'--security-opt label=colour:red|unknown label option'
		'--user root|invalid --user "root"'
		'--hostname bad_name|invalid --hostname "bad_name"'
		'--read-only=maybe|expected true or false'
	)
	local c flags msg
	for c in "${cases[@]}"; do
		flags=${c%%|*}
		msg=${c#*|}
		# shellcheck disable=SC2086 # flags are words
		run "$HULL" spec --bundle "$BUNDLE" $flags
		assert_eq "$status" 1 "$flags: status"
		assert_contains "$output" "$msg" "$flags: message"
		[ ! -e "$BUNDLE/config.json" ] || {
			echo "$flags wrote a config.json" >&2
			return 1
		}
	done
}

@test "seccomp resolve: Docker's profile for its 14 caps equals the jq-derived fixture; --caps, --arch, --kernel" {
	run "$HULL" seccomp resolve --arch amd64 --kernel 6.18.0 "$FIXTURES/moby-default.json"
	assert_eq "$status" 0 "status; output: $output"
	diff <(jq -S . <<<"$output") <(jq -S . "$FIXTURES/moby-default-amd64-docker-caps.json")
	# hull's built-in default profile resolves the same (it has Docker's semantics).
	diff <("$HULL" seccomp resolve --arch amd64 --kernel 6.18.0 | jq -S .) \
		<(jq -S . "$FIXTURES/moby-default-amd64-docker-caps.json")
	diff <("$HULL" seccomp resolve --arch arm64 --kernel 6.18.0 "$FIXTURES/moby-default.json" | jq -S .) \
		<(jq -S . "$FIXTURES/moby-default-arm64-docker-caps.json")
	diff <("$HULL" seccomp resolve --arch x86_64 --kernel 4.4.0 --caps sys_admin,SYS_PTRACE --caps CAP_CHOWN \
		"$FIXTURES/moby-default.json" | jq -S .) \
		<(jq -S . "$FIXTURES/moby-default-amd64-sysadmin-ptrace-k4.4.json")
	if [ "$(uname -m)" = x86_64 ]; then
		# Defaults: native architecture, running kernel (>= 4.8 here, like the fixture's 6.18).
		diff <("$HULL" seccomp resolve "$FIXTURES/moby-default.json" | jq -S .) \
			<(jq -S . "$FIXTURES/moby-default-amd64-docker-caps.json")
	fi

	run "$HULL" seccomp resolve --caps CAP_FOO
	assert_eq "$status" 1 "unknown cap"
	assert_contains "$output" 'unknown capability "CAP_FOO" in --caps' "message"
	run "$HULL" seccomp resolve --arch vax
	assert_eq "$status" 1 "unknown arch"
	assert_contains "$output" 'unknown architecture "vax"' "message"
	run "$HULL" seccomp resolve /nonexistent.json
	assert_eq "$status" 1 "missing file"
	assert_contains "$output" "no such file or directory" "message"
	run "$HULL" seccomp frobnicate
	assert_eq "$status" 1 "unknown subcommand"
	run "$HULL" seccomp resolve --help
	assert_eq "$status" 0 "help"
	assert_contains "$output" "--caps" "help text"
}
