#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Leaks: 100 `hull run`s of /bin/true on the demo bundle leave no mount, process, state directory or open fd behind;
# the container gets exactly fds 0, 1, 2 plus --preserve-fds.

load helpers

setup() {
	setup_bundle
}

teardown() {
	cleanup
}

# The demo bundle's configuration (tests/lib/demo.sh): read-only root, hostname hull-demo, user 1000.
demo_config() {
	cfg_set '.root.readonly = true | .hostname = "hull-demo" | .process.user = {"uid": 1000, "gid": 1000}'
}

# Mount table of this (the host's) mount namespace without other tests' temporary mounts (those of a bats file
# running at the same time), one "mount-id mount-point" per line, sorted.
host_mounts() {
	awk -v tmp="$HULL_TEST_TMP" -v root="$HULL_ROOT" '
		(index($0, "/tmp/hull-test.") || index($0, "/run/hull-test-")) && !index($0, tmp) && !index($0, root) { next }
		{ print $1, $5 }' /proc/self/mountinfo | sort
}

# Processes that belong to this test: tagged, inside the bundle, or children of this shell (but not the command
# substitution running this function).
test_processes() {
	local self=$BASHPID
	{
		_hull_test_pids
		ps -o pid= --ppid "$$"
	} | awk -v self="$self" '$1 != self { print $1 }' | sort -un
}

fd_list() {
	ls "/proc/$$/fd" | sort -n | tr '\n' ' '
}

@test "100 x hull run /bin/true on the demo bundle leaves no mount, process, state dir or fd behind" {
	demo_config
	cfg_set '.process.args = ["/bin/true"]'
	local mounts_before procs_before fds_before i rc out
	mounts_before=$(host_mounts)
	procs_before=$(test_processes)
	fds_before=$(fd_list)
	assert_eq "$(ls -A "$HULL_ROOT")" "" "state root before"

	for ((i = 1; i <= 100; i++)); do
		rc=0
		out=$(hull run --bundle "$BUNDLE" "$CID-$i" 2>&1 </dev/null) || rc=$?
		if [ "$rc" -ne 0 ]; then
			echo "run $i: exit status $rc: $out" >&2
			return 1
		fi
	done

	assert_eq "$(host_mounts)" "$mounts_before" "host mount table"
	assert_eq "$(grep -cF -e "$HULL_TEST_TMP" -e "$HULL_ROOT" /proc/self/mountinfo)" 0 "mounts of the bundle or state"
	assert_eq "$(test_processes)" "$procs_before" "processes of this test"
	assert_eq "$(fd_list)" "$fds_before" "fds of the test shell"
	assert_eq "$(ls -A "$HULL_ROOT")" "" "state root after"
	assert_eq "$(hull list -q)" "" "containers listed"
}

@test "hull run holds a fixed number of fds while it waits" {
	cfg_set '.process.args = ["/bin/hull-probe", "sleep", "60"]'
	local n1 n2 t
	hull_bg "$HULL_TEST_TMP/run1.out" run --bundle "$BUNDLE" "$CID-a"
	local bg1=$BG_PID
	wait_for_status "$CID-a" running
	n1=$(ls "/proc/$bg1/fd" | wc -l)
	# a second run waiting next to it holds as many (nothing accumulates per container or per start)
	hull_bg "$HULL_TEST_TMP/run2.out" run --bundle "$BUNDLE" "$CID-b"
	local bg2=$BG_PID
	wait_for_status "$CID-b" running
	n2=$(ls "/proc/$bg2/fd" | wc -l)
	assert_eq "$n2" "$n1" "fds of two waiting hull run processes"
	# stdio, the pidfd, a signalfd and little else: no state dir, fifo or socket of the container
	[ "$n1" -le 8 ] || { echo "hull run holds $n1 fds: $(ls -l "/proc/$bg1/fd")" >&2; return 1; }
	while IFS= read -r t; do
		case $t in
		"$HULL_ROOT"* | *exec.fifo*) echo "hull run still holds $t" >&2; return 1 ;;
		esac
	done < <(find "/proc/$bg1/fd" -mindepth 1 -printf '%l\n')
	hull kill "$CID-a" KILL
	hull kill "$CID-b" KILL
	wait "$bg1" || true
	wait "$bg2" || true
}

@test "the container process sees only fds 0, 1 and 2" {
	probe_json
	assert_eq "$(json_get '[.fds[].fd] | map(tostring) | join(" ")')" "0 1 2" "fds; $(json_get .fds)"
}

@test "hull's own open fds are not inherited by the container, whatever hull has open" {
	# fds 3..5 open in hull's caller: without --preserve-fds the container sees none of them
	(
		exec 3<"$BUNDLE/config.json" 4<"$BUNDLE/config.json" 5>"$HULL_TEST_TMP/five"
		probe_json
		echo "$PROBE_JSON" >"$HULL_TEST_TMP/probe-nopreserve.json"
	)
	PROBE_JSON=$(cat "$HULL_TEST_TMP/probe-nopreserve.json")
	assert_eq "$(json_get '[.fds[].fd] | map(tostring) | join(" ")')" "0 1 2" "fds; $(json_get .fds)"
}

@test "--preserve-fds 2 passes fds 3 and 4 (and not 5)" {
	local f3=$HULL_TEST_TMP/three f4=$HULL_TEST_TMP/four f5=$HULL_TEST_TMP/five rc=0
	echo three >"$f3"
	echo four >"$f4"
	echo five >"$f5"
	cfg_set '.process.args = ["/bin/hull-probe"]'
	# In a subshell: fd 3 is bats' own output channel in the test itself.
	(
		exec 3<"$f3" 4<"$f4" 5<"$f5"
		hull run --preserve-fds 2 --bundle "$BUNDLE" "$CID" </dev/null >"$HULL_TEST_TMP/probe.json" 2>"$HULL_TEST_TMP/err"
	) || rc=$?
	assert_eq "$rc" 0 "run --preserve-fds 2: $(cat "$HULL_TEST_TMP/err")"
	PROBE_JSON=$(cat "$HULL_TEST_TMP/probe.json")
	assert_eq "$(json_get '[.fds[].fd] | map(tostring) | join(" ")')" "0 1 2 3 4" "fds; $(json_get .fds)"
	assert_eq "$(json_get '.fds[] | select(.fd == 3) | .target')" "$f3" "target of fd 3"
	assert_eq "$(json_get '.fds[] | select(.fd == 4) | .target')" "$f4" "target of fd 4"
	assert_eq "$(json_get '.fds[] | select(.fd == 3) | .access')" r "access of fd 3"
	assert_eq "$(json_get '.fds[] | select(.fd == 3) | .cloexec')" false "fd 3 is not close-on-exec"

	# the preserved fds are usable from inside: cat /proc/self/fd/4 prints the file
	cfg_set '.process.args = ["/bin/hull-probe", "cat", "/proc/self/fd/4"]'
	rc=0
	(
		exec 3<"$f3" 4<"$f4"
		hull run --preserve-fds=2 --bundle "$BUNDLE" "$CID-b" </dev/null >"$HULL_TEST_TMP/cat.out" 2>&1
	) || rc=$?
	assert_eq "$rc" 0 "run cat fd 4: $(cat "$HULL_TEST_TMP/cat.out")"
	assert_eq "$(cat "$HULL_TEST_TMP/cat.out")" four "read through fd 4"

	# also through create + start
	cfg_set '.process.args = ["/bin/hull-probe"]'
	rc=0
	(
		exec 3<"$f3" 4<"$f4" 5<"$f5"
		hull create --preserve-fds 1 --bundle "$BUNDLE" "$CID-c" </dev/null >"$HULL_TEST_TMP/probe-c.json" 2>&1
	) || rc=$?
	assert_eq "$rc" 0 "create --preserve-fds 1"
	hull start "$CID-c"
	wait_for_status "$CID-c" stopped
	PROBE_JSON=$(cat "$HULL_TEST_TMP/probe-c.json")
	assert_eq "$(json_get '[.fds[].fd] | map(tostring) | join(" ")')" "0 1 2 3" "fds after create --preserve-fds 1"
	hull delete "$CID-c"
}

@test "--preserve-fds naming an fd the caller did not pass is refused (hull's own fds never fill the gap)" {
	local f3=$HULL_TEST_TMP/three
	echo three >"$f3"
	cfg_set '.process.args = ["/bin/hull-probe", "sleep", "30"]'
	# fd 3 open, fd 4 not: with --log, hull's own log file would otherwise be opened as fd 4.
	run bash -c 'exec 3<"$1"; shift; exec 4<&-; exec "$@"' _ "$f3" \
		env HULL_TEST_TAG="$HULL_TEST_TAG" "$HULL" --root "$HULL_ROOT" --log "$HULL_TEST_TMP/log" \
		run --preserve-fds 2 --bundle "$BUNDLE" "$CID"
	assert_eq "$status" 1
	assert_eq "$output" "hull: invalid --preserve-fds 2: fd 4 is not open (fds 3 to 4 must be passed in)"
	[ ! -e "$HULL_ROOT/$CID" ]
	hull run -d --bundle "$BUNDLE" "$CID-x" </dev/null
	run bash -c 'exec 3<&- 4<&-; exec "$@"' _ env HULL_TEST_TAG="$HULL_TEST_TAG" "$HULL" --root "$HULL_ROOT" \
		exec --preserve-fds 1 "$CID-x" /bin/true
	assert_eq "$status" 1
	assert_contains "$output" "invalid --preserve-fds 1: fd 3 is not open"
	hull delete --force "$CID-x"
}
