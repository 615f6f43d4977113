#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Capabilities, seen from inside the container (/proc/self/status through the probe) and through exec --cap.
#
# What the probe sees is the set AFTER execve, so the kernel's execve rules decide what each configured set can
# show (capabilities(7)); a file without file capabilities gives:
#   bounding'    = bounding                     inheritable' = inheritable         ambient' = ambient (non-root)
#   permitted'   = uid 0: bounding | inheritable, cut down to the old permitted under no_new_privs
#                  other uids: ambient
#   effective'   = uid 0: permitted'; other uids: ambient
# So bounding, inheritable and ambient show exactly as configured; permitted shows exactly for uid 0 with
# noNewPrivileges (the bundle's default); effective cannot differ from permitted after execve: what is checked for it
# is the plan's rule (effective within permitted) and that uid 0 without no_new_privs gets the kernel's root rule.
#
# Not testable here: a capability name that libcap knows but the running kernel lacks (hull warns and skips it).
# This machine's libcap (2.66) knows exactly CAP_CHOWN..CAP_CHECKPOINT_RESTORE, which is also the kernel's last
# capability (/proc/sys/kernel/cap_last_cap = 40), so no such name exists; names libcap does not know are errors.

load helpers

setup() {
	require_root
	setup_bundle
}

teardown() {
	cleanup
}

# caps_of SET [JSON]: the names of a capability set in the probe's report, comma-joined ("" when empty).
caps_of() {
	jq -r --arg s "$1" '.caps[$s].names | join(",")' <<<"${2-$PROBE_JSON}"
}

# set_caps JSON_OBJECT: process.capabilities = the object.
set_caps() {
	cfg_set ".process.capabilities = $1"
}

@test "caps: no process.capabilities object means every set is empty" {
	cfg_set 'del(.process.capabilities)'
	probe_json
	local s
	for s in bounding effective permitted inheritable ambient; do
		assert_eq "$(caps_of $s)" "" "$s"
	done
}

@test "caps: bounding alone shows exactly, the other sets stay empty" {
	set_caps '{bounding: ["CAP_KILL", "CAP_CHOWN", "CAP_SYS_TIME"]}'
	probe_json
	assert_eq "$(caps_of bounding)" CAP_CHOWN,CAP_KILL,CAP_SYS_TIME
	assert_eq "$(caps_of permitted)" ""
	assert_eq "$(caps_of effective)" ""
	assert_eq "$(caps_of inheritable)" ""
	assert_eq "$(caps_of ambient)" ""
	# Also as uid 1000.
	cfg_set '.process.user = {uid: 1000, gid: 1000}'
	probe_json
	assert_eq "$(caps_of bounding)" CAP_CHOWN,CAP_KILL,CAP_SYS_TIME
	assert_eq "$(caps_of permitted)" ""
}

@test "caps: permitted (uid 0, noNewPrivileges) shows exactly, a subset of bounding; effective follows it" {
	[ "$(cfg_get .process.noNewPrivileges)" = true ]
	set_caps '{bounding: ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"], permitted: ["CAP_KILL", "CAP_NET_RAW"],
		effective: ["CAP_KILL"]}'
	probe_json
	assert_eq "$(caps_of bounding)" CAP_CHOWN,CAP_KILL,CAP_NET_RAW
	assert_eq "$(caps_of permitted)" CAP_KILL,CAP_NET_RAW
	# The kernel makes uid 0's effective set its permitted set at execve.
	assert_eq "$(caps_of effective)" CAP_KILL,CAP_NET_RAW
	assert_eq "$(caps_of inheritable)" ""
	assert_eq "$(caps_of ambient)" ""
}

@test "caps: effective outside permitted is refused naming the field" {
	set_caps '{bounding: ["CAP_KILL", "CAP_CHOWN"], permitted: ["CAP_KILL"], effective: ["CAP_KILL", "CAP_CHOWN"]}'
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" "process.capabilities.effective: CAP_CHOWN is not in the permitted set"
}

@test "caps: without noNewPrivileges uid 0 gets its bounding set at execve (the kernel's root rule)" {
	cfg_set '.process.noNewPrivileges = false'
	set_caps '{bounding: ["CAP_KILL", "CAP_CHOWN"], permitted: ["CAP_KILL"], effective: ["CAP_KILL"]}'
	probe_json
	assert_eq "$(caps_of permitted)" CAP_CHOWN,CAP_KILL
	assert_eq "$(caps_of effective)" CAP_CHOWN,CAP_KILL
}

@test "caps: inheritable shows exactly (uid 0 and uid 1000); it must lie within bounding" {
	set_caps '{bounding: ["CAP_KILL", "CAP_NET_RAW", "CAP_SYS_NICE"], inheritable: ["CAP_NET_RAW", "CAP_SYS_NICE"]}'
	probe_json
	assert_eq "$(caps_of inheritable)" CAP_NET_RAW,CAP_SYS_NICE
	assert_eq "$(caps_of ambient)" ""
	cfg_set '.process.user = {uid: 1000, gid: 1000}'
	probe_json
	assert_eq "$(caps_of inheritable)" CAP_NET_RAW,CAP_SYS_NICE
	assert_eq "$(caps_of permitted)" ""
	set_caps '{bounding: ["CAP_KILL"], inheritable: ["CAP_NET_RAW"]}'
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" "process.capabilities.inheritable: CAP_NET_RAW is not in the bounding set"
}

@test "caps: ambient shows exactly for uid 1000 and becomes its permitted and effective set" {
	cfg_set '.process.user = {uid: 1000, gid: 1000}'
	set_caps '{bounding: ["CAP_KILL", "CAP_CHOWN", "CAP_NET_RAW"], permitted: ["CAP_KILL", "CAP_CHOWN"],
		effective: ["CAP_KILL", "CAP_CHOWN"], inheritable: ["CAP_KILL", "CAP_CHOWN"], ambient: ["CAP_KILL"]}'
	probe_json
	assert_eq "$(json_get .uid)" 1000
	assert_eq "$(caps_of ambient)" CAP_KILL
	assert_eq "$(caps_of permitted)" CAP_KILL
	assert_eq "$(caps_of effective)" CAP_KILL
	assert_eq "$(caps_of inheritable)" CAP_CHOWN,CAP_KILL
	assert_eq "$(caps_of bounding)" CAP_CHOWN,CAP_KILL,CAP_NET_RAW
}

@test "caps: uid 1000 with an ambient capability keeps it across execve and can use it" {
	cfg_set '.process.user = {uid: 1000, gid: 1000}'
	# /root is 0700 root: listing it needs CAP_DAC_OVERRIDE (or DAC_READ_SEARCH).
	set_caps '{bounding: ["CAP_DAC_OVERRIDE"], permitted: ["CAP_DAC_OVERRIDE"], effective: ["CAP_DAC_OVERRIDE"],
		inheritable: ["CAP_DAC_OVERRIDE"], ambient: ["CAP_DAC_OVERRIDE"]}'
	# sh execs hull-probe: two execve calls, the capability survives both.
	cfg_set '.process.args = ["/bin/sh", "-c", "hull-probe ls /root && echo listed && exec hull-probe"]'
	run hull run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "$output"
	assert_contains "$output" listed
	local json
	json=$(sed -n '/^{/,$p' <<<"$output")
	assert_eq "$(caps_of ambient "$json")" CAP_DAC_OVERRIDE
	assert_eq "$(caps_of effective "$json")" CAP_DAC_OVERRIDE
	# Without the ambient entry the same user has nothing after execve.
	set_caps '{bounding: ["CAP_DAC_OVERRIDE"], permitted: ["CAP_DAC_OVERRIDE"], effective: ["CAP_DAC_OVERRIDE"],
		inheritable: ["CAP_DAC_OVERRIDE"]}'
	cfg_set '.process.args = ["/bin/hull-probe", "ls", "/root"]'
	run hull run --bundle "$BUNDLE" "$(new_cid)"
	[ "$status" -ne 0 ]
	assert_contains "$output" EACCES
}

@test "caps: an ambient capability missing from inheritable gives a warning and is not raised" {
	cfg_set '.process.user = {uid: 1000, gid: 1000}'
	set_caps '{bounding: ["CAP_KILL"], permitted: ["CAP_KILL"], effective: ["CAP_KILL"], ambient: ["CAP_KILL"]}'
	cfg_set '.process.args = ["/bin/hull-probe"]'
	run hull --log "$HULL_TEST_TMP/log" run --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 0 "$output"
	assert_contains "$(cat "$HULL_TEST_TMP/log")" \
		"process.capabilities.ambient: CAP_KILL is not in both the permitted and the inheritable set"
	local json
	json=$(sed -n '/^{/,$p' <<<"$output")
	assert_eq "$(caps_of ambient "$json")" ""
}

@test "cve-2022-29162: inheritable stays empty by default, so file-inheritable capabilities grant nothing" {
	# A copy of the probe with file capabilities cap_net_admin=ei: at execve its permitted set gains
	# (process inheritable & file inheritable). No no_new_privs, so nothing else stops the gain (the attack's
	# setting); the config asks for NET_ADMIN in bounding, permitted and effective, never in inheritable.
	if ! command -v setcap >/dev/null; then
		skip "setcap (libcap2-bin) not installed"
	fi
	cp "$BUNDLE/rootfs/bin/hull-probe" "$BUNDLE/rootfs/bin/fcap-probe"
	setcap cap_net_admin=ei "$BUNDLE/rootfs/bin/fcap-probe"
	cfg_set '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}'
	set_caps '{bounding: ["CAP_KILL", "CAP_NET_ADMIN"], permitted: ["CAP_KILL", "CAP_NET_ADMIN"],
		effective: ["CAP_KILL", "CAP_NET_ADMIN"]}'
	cfg_set '.process.args = ["/bin/fcap-probe"]'
	probe_json --keep-args
	assert_eq "$(caps_of inheritable)" ""
	assert_eq "$(caps_of permitted)" ""
	assert_eq "$(caps_of effective)" ""
	# The control: asking for it in inheritable is what hands it to the file-capability binary.
	set_caps '{bounding: ["CAP_KILL", "CAP_NET_ADMIN"], inheritable: ["CAP_NET_ADMIN"]}'
	probe_json --keep-args
	assert_eq "$(caps_of inheritable)" CAP_NET_ADMIN
	assert_eq "$(caps_of permitted)" CAP_NET_ADMIN
}

@test "cve-2022-29162: exec --cap adds to bounding, effective and permitted, never to inheritable" {
	cfg_set '.process.args = ["/bin/hull-probe", "sleep", "60"]'
	hull run -d --bundle "$BUNDLE" "$CID"
	run hull exec --cap CAP_SYS_ADMIN --cap NET_RAW "$CID" /bin/hull-probe
	assert_eq "$status" 0 "$output"
	local want=CAP_KILL,CAP_NET_BIND_SERVICE,CAP_NET_RAW,CAP_SYS_ADMIN,CAP_AUDIT_WRITE
	assert_eq "$(caps_of bounding "$output")" "$want"
	assert_eq "$(caps_of effective "$output")" "$want"
	assert_eq "$(caps_of permitted "$output")" "$want"
	assert_eq "$(caps_of inheritable "$output")" ""
	assert_eq "$(caps_of ambient "$output")" ""
	# Without --cap the exec'd process has the container's sets.
	run hull exec "$CID" /bin/hull-probe
	assert_eq "$status" 0 "$output"
	assert_eq "$(caps_of bounding "$output")" CAP_KILL,CAP_NET_BIND_SERVICE,CAP_AUDIT_WRITE
	assert_eq "$(caps_of inheritable "$output")" ""
	hull delete --force "$CID"
}

@test "cve-2022-29162: exec --cap gives a file-inheritable binary nothing" {
	if ! command -v setcap >/dev/null; then
		skip "setcap (libcap2-bin) not installed"
	fi
	cp "$BUNDLE/rootfs/bin/hull-probe" "$BUNDLE/rootfs/bin/fcap-probe"
	setcap cap_net_admin=ei "$BUNDLE/rootfs/bin/fcap-probe"
	cfg_set '.process.noNewPrivileges = false | .process.args = ["/bin/hull-probe", "sleep", "60"]'
	hull run -d --bundle "$BUNDLE" "$CID"
	run hull exec --user 1000:1000 --cap CAP_NET_ADMIN "$CID" /bin/fcap-probe
	assert_eq "$status" 0 "$output"
	assert_eq "$(caps_of inheritable "$output")" ""
	assert_eq "$(caps_of permitted "$output")" ""
	# The control: what runc before 1.1.2 made of --cap (the cap in inheritable too) hands it to the binary.
	jq -n '{args: ["/bin/fcap-probe"], cwd: "/", user: {uid: 1000, gid: 1000},
		capabilities: {bounding: ["CAP_KILL", "CAP_NET_ADMIN"], effective: ["CAP_KILL", "CAP_NET_ADMIN"],
			permitted: ["CAP_KILL", "CAP_NET_ADMIN"], inheritable: ["CAP_NET_ADMIN"]}}' >"$HULL_TEST_TMP/p.json"
	run hull exec --process "$HULL_TEST_TMP/p.json" "$CID"
	assert_eq "$status" 0 "$output"
	assert_eq "$(caps_of permitted "$output")" CAP_NET_ADMIN
	hull delete --force "$CID"
}

@test "caps: an unknown capability name is an error naming process.capabilities.<set>[i]" {
	local s
	for s in bounding effective permitted inheritable ambient; do
		set_caps "{bounding: [\"CAP_KILL\"], $s: [\"CAP_KILL\", \"CAP_NOT_A_CAP\"]}"
		run hull create --bundle "$BUNDLE" "$CID"
		assert_eq "$status" 1 "$s: $output"
		assert_contains "$output" "process.capabilities.$s[1]: unknown capability \"CAP_NOT_A_CAP\""
		run hull state "$CID"
		[ "$status" -ne 0 ]
	done
	# Names must carry the CAP_ prefix (libcap alone would also take "kill" or "5").
	set_caps '{bounding: ["kill"]}'
	run hull create --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1 "$output"
	assert_contains "$output" 'process.capabilities.bounding[0]: unknown capability "kill"'
}

@test "caps: exec --cap with an unknown name fails and runs nothing" {
	cfg_set '.process.args = ["/bin/hull-probe", "sleep", "60"]'
	hull run -d --bundle "$BUNDLE" "$CID"
	run hull exec --cap CAP_NOT_A_CAP "$CID" /bin/hull-probe write /tmp/ran x
	assert_eq "$status" 1 "$output"
	assert_contains "$output" 'unknown capability "CAP_NOT_A_CAP"'
	[ ! -e "$BUNDLE/rootfs/tmp/ran" ]
	hull delete --force "$CID"
}
