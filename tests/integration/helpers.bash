# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# bats helper library for hull integration tests. In a test file:
#
#   load helpers
#   setup() { setup_bundle; }
#   teardown() { cleanup; }
#
#   @test "..." {
#           cfg_set '.process.user.uid = 1000'
#           probe_json
#           assert_eq "$(json_get .uid)" 1000
#   }
#
# Variables:
#   HULL_BUILD_DIR the build under test (default build/; make asan sets build-asan/)
#   HULL          the runtime ($HULL_BUILD_DIR/src/cli/hull; env HULL_BIN overrides)
#   PROBE         the static probe ($HULL_BUILD_DIR/tests/hull-probe; env HULL_PROBE overrides)
#   HULL_ROOT     state root (--root) for this test file: /run/hull-test-<bats pid>-<file> (non-root: under
#                 $XDG_RUNTIME_DIR or /tmp); created by setup_bundle, removed by cleanup
#   HULL_TEST_TMP per-test temp dir (setup_bundle), BUNDLE=$HULL_TEST_TMP/bundle
#   CID           a unique container id, hull-test-<test number>-<pid>-<random>; new_cid prints more ids with the
#                 same prefix (cleanup only checks ids with that prefix for leaked cgroups and state)
#   HULL_TEST_TAG a random tag; setup_bundle adds HULL_TEST_TAG=<tag> to the container's process.env and the hull
#                 wrapper puts it in hull's environment, so cleanup finds this test's leftover processes by it.
#                 Tests that compare the whole env must expect this entry.
#   HULL_TIMEOUT  seconds before a `hull` wrapper call is killed (default 120, 0 = none); exit status 124
#   env HULL_TEST_TMPDIR: where per-test temp dirs go (default /tmp); HULL_TEST_CACHE: mkbundle's template cache
#
# Functions: hull, hull_bg, setup_bundle, new_cid, cleanup, probe_json, json_get, mount_options, require_root,
# wait_for_status, wait_for_line, assert_eq, assert_contains, plus cfg_set/cfg_get/cfg_args/cfg_env/cfg_del_ns/
# cfg_add_mount from tests/lib/cfg.sh.

HULL_TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The build under test: make asan points this at build-asan, so every helper binary comes from there too.
HULL_BUILD_DIR=${HULL_BUILD_DIR:-$HULL_TOPDIR/build}
HULL=${HULL_BIN:-$HULL_BUILD_DIR/src/cli/hull}
PROBE=${HULL_PROBE:-$HULL_BUILD_DIR/tests/hull-probe}
MKBUNDLE=$HULL_TOPDIR/tests/lib/mkbundle.sh
HULL_TIMEOUT=${HULL_TIMEOUT:-120}

# shellcheck source=../lib/cfg.sh
. "$HULL_TOPDIR/tests/lib/cfg.sh"

if [ "$(id -u)" = 0 ]; then
	_hull_run_base=/run
else
	_hull_run_base=${XDG_RUNTIME_DIR:-/tmp}
fi
_hull_file=$(basename "${BATS_TEST_FILENAME:-unknown}" .bats)
HULL_ROOT=$_hull_run_base/hull-test-${BATS_ROOT_PID:-$$}-$_hull_file
unset _hull_run_base _hull_file

HULL_TEST_TAG=
HULL_CID_PREFIX=
HULL_TEST_TMP=
BUNDLE=
CID=
PROBE_JSON=
_hull_probe_runs=0

# Identity for this test; idempotent. Called by setup_bundle (and by hull when a test has no bundle).
hull_init() {
	if [ -z "$HULL_TEST_TAG" ]; then
		HULL_TEST_TAG=hull-test-tag-$$-$RANDOM$RANDOM
		HULL_CID_PREFIX=hull-test-${BATS_TEST_NUMBER:-0}-$$
		CID=$HULL_CID_PREFIX-$RANDOM
	fi
	if [ ! -d "$HULL_ROOT" ]; then
		mkdir -p "$HULL_ROOT" && chmod 0700 "$HULL_ROOT"
	fi
}

# new_cid: print another unique container id covered by cleanup's leak checks.
new_cid() {
	hull_init
	echo "$HULL_CID_PREFIX-$RANDOM$RANDOM"
}

# hull ARGS...: "$HULL" --root "$HULL_ROOT" ARGS..., killed after $HULL_TIMEOUT seconds (status 124).
hull() {
	local t=()
	hull_init
	if [ "${HULL_TIMEOUT:-0}" != 0 ]; then
		t=(timeout --foreground -k 10 "$HULL_TIMEOUT")
	fi
	HULL_TEST_TAG=$HULL_TEST_TAG "${t[@]}" "$HULL" --root "$HULL_ROOT" "$@"
}

# hull_bg FILE ARGS...: start "hull ARGS..." in the background (no timeout), stdin /dev/null, stdout and stderr
# to FILE; sets BG_PID. fd 3 (bats' own output) is closed so bats does not wait for it.
hull_bg() {
	local f=$1
	shift
	hull_init
	HULL_TEST_TAG=$HULL_TEST_TAG "$HULL" --root "$HULL_ROOT" "$@" </dev/null >"$f" 2>&1 3>&- &
	# shellcheck disable=SC2034 # used by the tests
	BG_PID=$!
}

# setup_bundle: fresh bundle (busybox rootfs + probe, runc-like config.json) in a new per-test temp dir.
setup_bundle() {
	hull_init
	if [ ! -x "$PROBE" ]; then
		echo "setup_bundle: probe $PROBE not built (ninja -C build, or set HULL_PROBE)" >&2
		return 1
	fi
	HULL_TEST_TMP=$(mktemp -d "${HULL_TEST_TMPDIR:-/tmp}/hull-test.XXXXXX") || return 1
	chmod 0755 "$HULL_TEST_TMP"
	BUNDLE=$HULL_TEST_TMP/bundle
	"$MKBUNDLE" "$BUNDLE" "$PROBE" || return 1
	cfg_env "HULL_TEST_TAG=$HULL_TEST_TAG"
}

# probe_json [--keep-args]: `hull run` the bundle with process.args = ["/bin/hull-probe"] (unless --keep-args)
# under a fresh id, and put the probe's JSON in PROBE_JSON (also $HULL_TEST_TMP/probe.json). Fails, printing
# hull's exit status and stderr, if hull fails or stdout is not one JSON object.
probe_json() {
	local id rc out err
	if [ "${1:-}" != --keep-args ]; then
		cfg_set '.process.args = ["/bin/hull-probe"]' || return 1
	fi
	_hull_probe_runs=$((_hull_probe_runs + 1))
	id=$CID-p$_hull_probe_runs
	out=$HULL_TEST_TMP/probe.json
	err=$HULL_TEST_TMP/probe.stderr
	rc=0
	hull run --bundle "$BUNDLE" "$id" </dev/null >"$out" 2>"$err" || rc=$?
	PROBE_JSON=$(cat "$out")
	if [ "$rc" -ne 0 ]; then
		echo "probe_json: hull run exited with status $rc" >&2
		echo "--- stderr:" >&2
		cat "$err" >&2
		echo "--- stdout:" >&2
		head -c 4096 "$out" >&2
		return 1
	fi
	if ! jq -e 'type == "object"' <<<"$PROBE_JSON" >/dev/null 2>&1; then
		echo "probe_json: the probe did not print a JSON object:" >&2
		head -c 4096 "$out" >&2
		cat "$err" >&2
		return 1
	fi
}

# json_get FILTER [JSON [JQ_ARGS...]]: jq -r FILTER over JSON (default $PROBE_JSON).
json_get() {
	jq -r "$1" "${@:3}" <<<"${2-$PROBE_JSON}"
}

# mount_options MOUNT_POINT: the per-mount options of the last (topmost) mount at MOUNT_POINT in PROBE_JSON, one per
# line; fails if there is no such mount.
mount_options() {
	jq -er --arg mp "$1" '[.mounts[] | select(.mount_point == $mp)] | last | .options | split(",")[]' \
		<<<"$PROBE_JSON"
}

require_root() {
	if [ "$(id -u)" != 0 ]; then
		skip "needs root (running as uid $(id -u))"
	fi
}

# wait_for_status ID STATUS [TIMEOUT_SECONDS=10]: poll `hull state ID` until .status == STATUS.
wait_for_status() {
	local id=$1 want=$2 timeout=${3:-10} st='' i
	for ((i = 0; i < timeout * 10; i++)); do
		st=$(hull state "$id" 2>/dev/null | jq -r .status 2>/dev/null) || st=
		if [ "$st" = "$want" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "wait_for_status: container $id is '${st:-<no state>}' after ${timeout}s, wanted '$want'" >&2
	return 1
}

# wait_for_line FILE LINE [TIMEOUT_SECONDS=10]: poll until FILE contains exactly LINE (e.g. the probe's "ready").
wait_for_line() {
	local f=$1 line=$2 timeout=${3:-10} i
	for ((i = 0; i < timeout * 10; i++)); do
		if grep -qxF -- "$line" "$f" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "wait_for_line: '$line' not in $f after ${timeout}s; it has:" >&2
	head -c 4096 "$f" >&2 2>/dev/null
	return 1
}

assert_eq() {
	if [ "$1" != "$2" ]; then
		printf 'assert_eq failed%s:\n  actual:   %s\n  expected: %s\n' "${3:+ ($3)}" "$1" "$2" >&2
		return 1
	fi
}

assert_contains() {
	if [[ "$1" != *"$2"* ]]; then
		printf 'assert_contains failed%s:\n  text:    %s\n  missing: %s\n' "${3:+ ($3)}" "$1" "$2" >&2
		return 1
	fi
}

# Mount points (decoded) of the host's mount table that are PREFIX or below it.
_hull_mounts_under() {
	awk -v p="$1" '
		function unesc(s,   out, i, c) {
			out = ""
			for (i = 1; i <= length(s); i++) {
				c = substr(s, i, 1)
				if (c == "\\" && substr(s, i + 1, 3) ~ /^[0-7][0-7][0-7]$/) {
					out = out sprintf("%c", (substr(s, i + 1, 1) * 64) + (substr(s, i + 2, 1) * 8) + substr(s, i + 3, 1))
					i += 3
				} else {
					out = out c
				}
			}
			return out
		}
		{ mp = unesc($5); if (mp == p || index(mp, p "/") == 1) print mp }' /proc/self/mountinfo
}

# Pids (other than this shell) tagged with HULL_TEST_TAG or whose cwd/root is inside the test's temp dir.
_hull_test_pids() {
	local f pid
	{
		if [ -n "$HULL_TEST_TAG" ]; then
			grep -lzxF "HULL_TEST_TAG=$HULL_TEST_TAG" /proc/[0-9]*/environ 2>/dev/null
		fi
		if [ -n "$HULL_TEST_TMP" ]; then
			find /proc -mindepth 2 -maxdepth 2 \( -name cwd -o -name root \) \
				\( -lname "$HULL_TEST_TMP" -o -lname "$HULL_TEST_TMP/*" -o -lname "$HULL_TEST_TMP (deleted)" \) \
				2>/dev/null
		fi
	} | while IFS= read -r f; do
		pid=${f#/proc/}
		pid=${pid%%/*}
		case $pid in
		'' | *[!0-9]*) continue ;;
		esac
		if [ "$pid" != "$$" ] && [ "$pid" != "$BASHPID" ] && [ -d "/proc/$pid" ]; then
			echo "$pid"
		fi
	done | sort -un
}

# cleanup: teardown. Deletes (--force) every container in HULL_ROOT, kills what is left of this test, unmounts
# and removes the temp dir and the state root, and FAILS the test if anything had leaked: a process of this test
# still running after delete, a mount under the bundle or state root, a container still listed, a state entry or
# a cgroup named after one of this test's container ids.
cleanup() {
	local - # set options are restored on return
	set +e
	local leaks=() ids id out pid pids i mp m cg

	cd / || true

	# 1. delete every container hull knows about in our root (and every directory there, in case list fails).
	if [ -n "$HULL_TEST_TAG" ] && [ -d "$HULL_ROOT" ]; then
		ids=$({
			HULL_TIMEOUT=30 hull list -q 2>/dev/null
			find "$HULL_ROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null
		} | sort -u)
		for id in $ids; do
			out=$(HULL_TIMEOUT=30 hull delete --force "$id" 2>&1) ||
				echo "cleanup: hull delete --force $id failed: $out" >&2
		done
		out=$(HULL_TIMEOUT=30 hull list -q 2>/dev/null)
		if [ -n "$out" ]; then
			leaks+=("containers still listed after delete --force: ${out//$'\n'/ }")
		fi
		if [ -n "$HULL_CID_PREFIX" ]; then
			out=$(find "$HULL_ROOT" -mindepth 1 -maxdepth 3 -name "$HULL_CID_PREFIX*" 2>/dev/null)
			if [ -n "$out" ]; then
				leaks+=("state left in $HULL_ROOT: ${out//$'\n'/ }")
			fi
		fi
	fi

	# 2. processes: give exiting ones (a backgrounded `hull run` reaping its container) a moment.
	pids=
	for ((i = 0; i < 30; i++)); do
		pids=$(_hull_test_pids)
		[ -z "$pids" ] && break
		sleep 0.1
	done
	if [ -n "$pids" ]; then
		for pid in $pids; do
			leaks+=("process $pid still running: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)")
		done
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null
		for ((i = 0; i < 50; i++)); do
			[ -z "$(_hull_test_pids)" ] && break
			sleep 0.1
		done
	fi

	# 3. mounts under the temp dir or the state root: record, then detach (deepest first).
	for mp in ${HULL_TEST_TMP:+"$HULL_TEST_TMP"} "$HULL_ROOT"; do
		for ((i = 0; i < 5; i++)); do
			out=$(_hull_mounts_under "$mp" | sort -r)
			[ -z "$out" ] && break
			if [ "$i" = 0 ]; then
				leaks+=("mounts left: ${out//$'\n'/ }")
			fi
			while IFS= read -r m; do
				umount -l "$m" 2>/dev/null
			done <<<"$out"
		done
	done

	# 4. cgroups named after our container ids (cgroup v1 hierarchies or the v2 tree).
	if [ -n "$HULL_CID_PREFIX" ] && [ -d /sys/fs/cgroup ]; then
		out=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 6 -type d -name "*$HULL_CID_PREFIX*" 2>/dev/null | sort -r)
		if [ -n "$out" ]; then
			leaks+=("cgroups left: ${out//$'\n'/ }")
			while IFS= read -r cg; do
				rmdir "$cg" 2>/dev/null
			done <<<"$out"
		fi
	fi

	# 5. remove the temp dir and the state root; never cross into a file system still mounted there.
	if [ -n "$HULL_TEST_TMP" ] && [ -d "$HULL_TEST_TMP" ]; then
		rm -rf --one-file-system "$HULL_TEST_TMP"
	fi
	if [ -d "$HULL_ROOT" ]; then
		rm -rf --one-file-system "$HULL_ROOT"
	fi

	if [ ${#leaks[@]} -gt 0 ]; then
		echo "cleanup: this test leaked:" >&2
		printf '  LEAK: %s\n' "${leaks[@]}" >&2
		return 1
	fi
	return 0
}
