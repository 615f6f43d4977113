#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# process.landlock (hull extension, docs/landlock.md): a container allowed read+execute beneath /bin and /usr and
# read/write beneath /tmp cannot write /etc (EACCES from Landlock: the rootfs is writable and the same write works
# without the ruleset) but can write /tmp; exec'd processes get the same domain, and a --process landlock object
# stacks on it; TCP bind rules; best-effort warnings (missing path, rights the kernel's ABI lacks) and the errors
# of disableBestEffort; config errors name the field and leave nothing behind; features reports the ABI.

load helpers

setup() {
	require_root
	setup_bundle
	ABI=$(hull features | jq -r '.linux.landlock.abi')
	if [ "${ABI:-0}" -lt 1 ]; then
		skip "the kernel has no Landlock"
	fi
	# The rootfs is writable, so a refused write is Landlock's doing.
	cfg_set '.root.readonly = false | .process.noNewPrivileges = true'
}

teardown() {
	cleanup
}

# The runtime-spec proposal's full filesystem vocabulary, handled; the rules allow read+execute beneath /bin and
# /usr, read beneath /etc and read/write beneath /tmp.
LANDLOCK='{
	ruleset: {handledAccessFS: ["execute", "write_file", "read_file", "read_dir", "remove_dir", "remove_file",
		"make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block", "make_sym", "refer"]},
	rules: {pathBeneath: [
		{allowedAccess: ["execute", "read_file", "read_dir"], paths: ["/bin", "/usr"]},
		{allowedAccess: ["read_file", "read_dir"], paths: ["/etc"]},
		{allowedAccess: ["read_file", "write_file", "read_dir", "make_reg", "remove_file"], paths: ["/tmp"]}
	]}
}'

set_landlock() {
	cfg_set ".process.landlock = $LANDLOCK"
}

# run_in ARGS...: hull run the bundle with process.args = ARGS; sets status, output (stdout+stderr).
run_in() {
	cfg_args "$@"
	run hull run --bundle "$BUNDLE" "$(new_cid)"
}

@test "landlock: writing outside the allowed paths fails with EACCES, /tmp works" {
	set_landlock
	run_in /bin/hull-probe write /etc/x data
	[ "$status" -eq 1 ]
	assert_contains "$output" "write /etc/x: EACCES"
	[ ! -e "$BUNDLE/rootfs/etc/x" ]

	run_in /bin/hull-probe write /tmp/x data
	[ "$status" -eq 0 ]
	assert_eq "$(cat "$BUNDLE/rootfs/tmp/x")" data

	# Reading is allowed beneath /etc, listing / is not (read_dir is handled and / has no rule).
	run_in /bin/hull-probe cat /etc/hostname
	[ "$status" -eq 0 ]
	assert_eq "$output" hull-test
	run_in /bin/hull-probe ls /
	[ "$status" -eq 1 ]
	assert_contains "$output" EACCES

	# Control: the same write without process.landlock succeeds.
	cfg_set 'del(.process.landlock)'
	run_in /bin/hull-probe write /etc/x data
	[ "$status" -eq 0 ]
	[ -e "$BUNDLE/rootfs/etc/x" ]
}

@test "landlock: executing outside the allowed paths is refused" {
	set_landlock
	cp "$BUNDLE/rootfs/bin/hull-probe" "$BUNDLE/rootfs/tmp/probe"
	run_in /bin/sh -c '/tmp/probe exit 0; echo "rc=$?"'
	[ "$status" -eq 0 ]
	assert_contains "$output" "Permission denied"
	assert_contains "$output" "rc=126"
	# The container's own program is checked too: args[0] beneath /tmp does not start.
	run_in /tmp/probe exit 0
	[ "$status" -ne 0 ]
	assert_contains "$output" "permission denied"
}

@test "landlock: exec'd processes get the container's domain; --process landlock stacks on it" {
	set_landlock
	cfg_args /bin/hull-probe sleep 120
	hull run --detach --bundle "$BUNDLE" "$CID" </dev/null >"$HULL_TEST_TMP/sleeper.out" 2>"$HULL_TEST_TMP/sleeper.err" 3>&-
	wait_for_status "$CID" running

	run hull exec "$CID" /bin/hull-probe write /etc/x data
	[ "$status" -eq 1 ]
	assert_contains "$output" "write /etc/x: EACCES"
	run hull exec "$CID" /bin/hull-probe write /tmp/x data
	[ "$status" -eq 0 ]

	# process.json without its own landlock object: the container's domain still applies.
	jq -n '{args: ["/bin/hull-probe", "write", "/etc/x", "data"], cwd: "/", user: {uid: 0, gid: 0},
		noNewPrivileges: true}' >"$HULL_TEST_TMP/p1.json"
	run hull exec --process "$HULL_TEST_TMP/p1.json" "$CID"
	[ "$status" -eq 1 ]
	assert_contains "$output" EACCES

	# With one (read-only /tmp): both domains apply, so /tmp is no longer writable; a missing path is a warning.
	jq -n '{args: ["/bin/hull-probe", "write", "/tmp/y", "data"], cwd: "/", user: {uid: 0, gid: 0},
		noNewPrivileges: true,
		landlock: {ruleset: {handledAccessFS: ["write_file", "make_reg"]},
			rules: {pathBeneath: [{allowedAccess: ["write_file"], paths: ["/tmp", "/no-such-dir"]}]}}}' \
		>"$HULL_TEST_TMP/p2.json"
	run hull exec --process "$HULL_TEST_TMP/p2.json" "$CID"
	[ "$status" -eq 1 ]
	assert_contains "$output" "write /tmp/y: EACCES"
	assert_contains "$output" \
		"warning: --process: landlock.rules.pathBeneath[0].paths[1]: /no-such-dir does not exist in the container"
	[ ! -e "$BUNDLE/rootfs/tmp/y" ]

	# Without no_new_privs (and without CAP_SYS_ADMIN) the domain cannot be entered: refused up front.
	jq '.noNewPrivileges = false' "$HULL_TEST_TMP/p1.json" >"$HULL_TEST_TMP/p3.json"
	run hull exec --process "$HULL_TEST_TMP/p3.json" "$CID"
	[ "$status" -ne 0 ]
	assert_contains "$output" "process.landlock: needs no_new_privs"

	run hull delete --force "$CID"
	[ "$status" -eq 0 ]
}

@test "landlock: TCP bind rules" {
	if [ "$ABI" -lt 4 ]; then
		skip "Landlock ABI $ABI has no network rules"
	fi
	cfg_set '.process.landlock = {ruleset: {handledAccessNetwork: ["bind_tcp"]},
		rules: {netPort: [{allowedAccess: ["bind_tcp"], ports: [8081]}]}}'
	# nc on the allowed port listens until timeout kills it; the other port is refused at bind.
	run_in /bin/sh -c 'timeout -s KILL 1 nc -l -p 8081; timeout -s KILL 1 nc -l -p 8082'
	assert_contains "$output" "bind: Permission denied"
	[ "$(grep -c 'Permission denied' <<<"$output")" -eq 1 ]
}

@test "landlock: best effort warns about a missing path; disableBestEffort makes it an error" {
	set_landlock
	cfg_set '.process.landlock.rules.pathBeneath[0].paths += ["/lib", "/lib64"]'
	run_in /bin/hull-probe write /tmp/x data
	[ "$status" -eq 0 ]
	assert_contains "$output" "warning: process.landlock.rules.pathBeneath[0].paths[2]: /lib does not exist in the"
	assert_contains "$output" "process.landlock.rules.pathBeneath[0].paths[3]: /lib64 does not exist"

	cfg_set '.process.landlock.disableBestEffort = true'
	run_in /bin/hull-probe write /tmp/x data
	[ "$status" -ne 0 ]
	assert_contains "$output" "process.landlock.rules.pathBeneath[0].paths[2]: open /lib: no such file or directory"
}

@test "landlock: rights the kernel's ABI lacks: warning in best effort, error with disableBestEffort" {
	if [ "$ABI" -ge 6 ]; then
		skip "Landlock ABI $ABI knows every right and scope hull knows"
	fi
	set_landlock
	cfg_set '.process.landlock.ruleset.scoped = ["signal"]'
	run_in /bin/hull-probe write /etc/x data
	[ "$status" -eq 1 ]
	assert_contains "$output" "warning: process.landlock.ruleset.scoped[0]: \"signal\" needs Landlock ABI 6"
	assert_contains "$output" EACCES
	cfg_set '.process.landlock.disableBestEffort = true'
	run_in /bin/hull-probe exit 0
	[ "$status" -ne 0 ]
	assert_contains "$output" "(disableBestEffort is set)"
}

@test "landlock: scopes (ABI 6): signals cannot leave the domain" {
	if [ "$ABI" -lt 6 ]; then
		skip "Landlock ABI $ABI has no scopes"
	fi
	cfg_set '.process.landlock = {ruleset: {scoped: ["signal"]}}'
	cfg_del_ns pid
	# Without a pid namespace the container sees host processes: signalling one outside the domain (a sleep of
	# ours) is refused with EPERM, signalling itself works; without the scope both work.
	sleep 60 3>&- &
	local outside=$!
	run_in /bin/sh -c "kill -0 $outside; echo rc=\$?; kill -0 \$\$; echo self=\$?"
	local with=$output
	cfg_set 'del(.process.landlock)'
	run_in /bin/sh -c "kill -0 $outside; echo rc=\$?"
	kill "$outside"
	wait "$outside" || true
	assert_contains "$with" "Operation not permitted"
	assert_contains "$with" "rc=1"
	assert_contains "$with" "self=0"
	assert_eq "$output" "rc=0" "without the scope"
}

@test "landlock: config errors name the field and leave nothing behind" {
	set_landlock
	cfg_set '.process.landlock.rules.pathBeneath[1].allowedAccess += ["foo"]'
	run hull create --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	assert_contains "$output" 'process.landlock.rules.pathBeneath[1].allowedAccess[2]: unknown access right "foo"'

	set_landlock
	cfg_set '.process.landlock.rules.pathBeneath[0].allowedAccess += ["truncate"]'
	run hull create --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	assert_contains "$output" \
		'process.landlock.rules.pathBeneath[0].allowedAccess[3]: "truncate" is not in process.landlock.ruleset.handledAccessFS'

	set_landlock
	cfg_set '.process.noNewPrivileges = false'
	run hull create --bundle "$BUNDLE" "$CID"
	[ "$status" -ne 0 ]
	assert_contains "$output" "process.landlock: needs no_new_privs"

	run hull list -q
	assert_eq "$output" ""
}

@test "landlock: features reports the kernel's ABI" {
	run hull features
	[ "$status" -eq 0 ]
	assert_eq "$(jq -r '.linux.landlock.enabled' <<<"$output")" true
	[ "$(jq -r '.linux.landlock.abi' <<<"$output")" -ge 1 ]
}
