# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Shared by cve-2019-5736.bats and cve-2016-9962.bats: run tests/helpers/exe-attack inside a container
# against a hull process and read its JSON report. Load after helpers:
#
#   load helpers
#   load exe-attack
#   setup() { require_root; setup_bundle; setup_attack; }
#
# Variables (set by setup_attack):
#   ATTACK    the attacker binary (build/tests/exe-attack; env HULL_EXE_ATTACK overrides), copied to
#             the bundle as /bin/exe-attack
#   UNSEALED  the unprotected stand-in runtime (build/tests/unsealed-exec; env HULL_UNSEALED_EXEC)
#   HULL      replaced by a private copy, $HULL_TEST_TMP/hull: should a protection ever regress, the
#             attack overwrites that copy and not the build's binary, and no other hull invocation on the
#             machine executes it (which would make a reopen fail with ETXTBSY)
#   HULL_SUM  sha256sum of that copy before the test
#   REPORT    the attacker's output: "ready", "looked", then one JSON line

ATTACK=${HULL_EXE_ATTACK:-$(dirname "$PROBE")/exe-attack}
UNSEALED=${HULL_UNSEALED_EXEC:-$(dirname "$PROBE")/unsealed-exec}
REPORT=
HULL_SUM=

setup_attack() {
	local h
	for h in "$ATTACK" "$UNSEALED"; do
		[ -x "$h" ] || {
			echo "helper $h not built (ninja -C build)" >&2
			return 1
		}
	done
	cp "$HULL" "$HULL_TEST_TMP/hull"
	HULL=$HULL_TEST_TMP/hull
	# shellcheck disable=SC2034 # used by the tests
	HULL_SUM=$(sha256sum <"$HULL")
	cp "$ATTACK" "$BUNDLE/rootfs/bin/exe-attack"
	REPORT=$HULL_TEST_TMP/attack.out
}

# start_attacker ARGS...: run the bundle detached with process.args = exe-attack ARGS, its output in
# $REPORT, and wait until it is looking. Detached, so that no hull process of ours keeps executing the
# runtime binary (ETXTBSY) while the attacker waits to reopen it.
start_attacker() {
	cfg_args /bin/exe-attack "$@"
	hull run --detach --bundle "$BUNDLE" "$CID" </dev/null >"$REPORT" 2>&1 || {
		cat "$REPORT" >&2
		return 1
	}
	wait_for_line "$REPORT" ready
}

# wait_for_report: until the attacker printed its JSON report (its last line).
wait_for_report() {
	local i
	for ((i = 0; i < 300; i++)); do
		if tail -n 1 "$REPORT" 2>/dev/null | grep -q '^{'; then
			return 0
		fi
		sleep 0.1
	done
	show_report
	echo "the attacker printed no report in 30s" >&2
	return 1
}

# report_get FILTER: jq -r over the attacker's JSON report (the last line of $REPORT).
report_get() {
	tail -n 1 "$REPORT" | jq -r "$1"
}

show_report() {
	echo "--- attacker output:" >&2
	cat "$REPORT" >&2
}

# strace_can_delay: whether strace can hold a process at a syscall entry (-e inject=...:delay_enter, strace
# >= 5.0). The tests use it to keep a hull exec child parked at the entry of its execve.
strace_can_delay() {
	command -v strace >/dev/null &&
		strace -qq -o /dev/null -e trace=execve -e inject=execve:delay_enter=1 true 2>/dev/null
}

# exec_parked SECONDS ARGS...: `hull exec ARGS...` under strace, which holds every execve of the exec child
# for SECONDS at its entry: the child has joined the container and dropped its privileges and is still hull.
exec_parked() {
	local us
	us=$(awk -v s="$1" 'BEGIN { printf "%d", s * 1000000 }')
	shift
	HULL_TEST_TAG=$HULL_TEST_TAG strace -f -qq -o /dev/null -e trace=execve -e "inject=execve:delay_enter=$us" \
		"$HULL" --root "$HULL_ROOT" exec "$@" </dev/null
}
