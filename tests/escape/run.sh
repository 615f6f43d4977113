#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh: the escape suite. Builds the hardened bundle once, runs every attack in tests/escape/attacks/ inside a
# container made from it, checks the host is unaffected after each, and reports `attack -> refused|ALLOWED`.
#
#   tests/escape/run.sh [--table] [--controls] [--userns] [--filter JQ] [--keep] [ATTACK...]
#
#   (default)    TAP on stdout (for tests/run-all.sh), the table at the end as TAP comments
#   --table      the table only (`make escape`)
#   --controls   instead of the attacks, the positive controls: selected attacks against configurations with
#                one protection switched off, each of which must be ALLOWED (shows the attacks detect an escape)
#   --userns     every container also gets a user namespace mapping its uids and gids 0-65535 to host ids 100000..
#                (ESC_USERNS_HOST_ID): root inside is an unprivileged id outside, and must be refused all the same
#   --filter JQ  apply the jq filter JQ to every attack's config first, e.g. 'del(.linux.seccomp)' to see what
#                the other layers refuse on their own (a study aid: the hardened defaults are what counts)
#   --keep       keep the work directory (bundles, outputs) and print where it is
#   ATTACK...    run only these attacks (names as in attacks/, without .c or .sh)
#
# An attack is attacks/NAME.sh when that exists (a driver: it prepares its own bundle, e.g. a malicious image,
# and judges the result), else attacks/NAME.c run as /attacks/NAME in the default hardened container. The last
# line of an attack's output is its verdict: "refused: ...", "ALLOWED: ...", "n/a: ..." (the kernel lacks what
# it attacks: TAP skip) or "error: ..." (the attack could not run: a failure). Exit status: 0 when every attack
# is refused (or n/a), 1 on any ALLOWED or error, 2 on a usage error, 77 when not root.
#
# Environment: HULL_BUILD_DIR (default build), HULL_BIN, ESC_TIMEOUT (seconds per hull call, default 60).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

mode=tap
controls=0
keep=0
global_filter=
only=()
while [ $# -gt 0 ]; do
	case $1 in
	--table) mode=table ;;
	--tap) mode=tap ;;
	--controls) controls=1 ;;
	--userns) export ESC_USERNS=1 ;;
	--keep) keep=1 ;;
	--filter)
		[ $# -ge 2 ] || {
			echo "run.sh: --filter needs a jq filter" >&2
			exit 2
		}
		global_filter=$2
		shift
		;;
	-h | --help)
		sed -n '3,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "run.sh: unknown option $1" >&2
		exit 2
		;;
	*) only+=("$1") ;;
	esac
	shift
done

out() {
	if [ "$mode" = tap ]; then
		printf '%s\n' "$*"
	fi
}
say() {
	# Progress for humans: TAP comments, or stderr in table mode.
	if [ "$mode" = tap ]; then
		printf '# %s\n' "$*"
	else
		printf '%s\n' "$*" >&2
	fi
}

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP the escape suite needs root"
	exit 77
fi
for tool in jq timeout; do
	command -v "$tool" >/dev/null || {
		echo "run.sh: $tool is not installed" >&2
		exit 1
	}
done
if [ ! -x "$HULL" ]; then
	echo "run.sh: $HULL not built (ninja -C $ESC_BUILD)" >&2
	exit 1
fi

ESC_WORK=$(mktemp -d /tmp/hull-escape.XXXXXX)
chmod 0755 "$ESC_WORK"
ESC_TEMPLATE=$ESC_WORK/template
# A private copy of hull: the build tree may be rebuilt meanwhile, and exe-overwrite attacks this copy.
cp "$HULL" "$ESC_WORK/hull"
HULL_ORIG=$HULL
HULL=$ESC_WORK/hull
export ESC_TOP ESC_BUILD HULL ESC_BIN ESC_ROOT ESC_TEMPLATE ESC_TIMEOUT
mkdir -p "$ESC_ROOT"
chmod 0700 "$ESC_ROOT"

finish() {
	esc_cleanup_containers
	if [ "$keep" = 1 ]; then
		echo "run.sh: work directory kept: $ESC_WORK" >&2
	else
		# Nothing should be mounted there; never cross into a file system that still is.
		awk -v p="$ESC_WORK" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
			umount -l "$m" 2>/dev/null
		done
		rm -rf --one-file-system "$ESC_WORK"
	fi
}
trap finish EXIT
trap 'exit 130' INT TERM

if ! esc_make_template "$ESC_TEMPLATE" >"$ESC_WORK/template.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - build the hardened bundle"
	sed 's/^/# /' "$ESC_WORK/template.log"
	exit 1
fi
export ESC_CONFIG_SOURCE
ESC_CONFIG_SOURCE=$(if esc_spec_is_hardened; then echo "hull spec"; else echo "jq (hull spec is not hardened yet)"; fi)

# ---- the list of attacks ----
names=()
if [ ${#only[@]} -gt 0 ]; then
	names=("${only[@]}")
else
	# Not attacks: host-marker (leaked-fd-execve puts it on the host as the binary to reach) and rename-exchange
	# (the attacker's half of the shared-volume races in tests/integration/cve-2021-30465.bats).
	mapfile -t names < <(for f in "$here"/attacks/*.c "$here"/attacks/*.sh; do
		[ -e "$f" ] || continue
		n=$(basename "$f")
		echo "${n%.*}"
	done | grep -vxE 'host-marker|rename-exchange' | sort -u)
fi

# ---- positive controls: protection off -> the attack must be ALLOWED ----
# NAME :: ATTACK :: what is off :: jq filter over the config that switches that protection off
control_list() {
	cat <<-'EOF'
		nnp-off :: setuid-nnp :: noNewPrivileges false :: .process.noNewPrivileges = false
		rootfs-rw :: rootfs-write :: root.readonly false :: .root.readonly = false
		proc-sys-rw :: core-pattern :: readonlyPaths empty :: .linux.readonlyPaths = []
		cgroup-rw :: cgroup-release-agent :: cgroupfs read-write :: (.mounts[] | select(.type == "cgroup") | .options) |= (map(select(. != "ro")) + ["rw"])
		no-seccomp-sysadmin :: mount :: no seccomp, CAP_SYS_ADMIN :: del(.linux.seccomp) | .process.capabilities |= map_values(. + ["CAP_SYS_ADMIN"])
		no-seccomp-unshare :: unshare-user :: no seccomp :: del(.linux.seccomp)
		chroot-allowed :: chroot-escape :: no seccomp, CAP_SYS_CHROOT :: del(.linux.seccomp) | .process.capabilities |= map_values(. + ["CAP_SYS_CHROOT"])
		net-raw :: raw-socket :: CAP_NET_RAW :: .process.capabilities |= map_values(. + ["CAP_NET_RAW"])
		personality-open :: personality :: no seccomp :: del(.linux.seccomp)
		keyring-open :: keyring :: no seccomp, /proc/keys unmasked :: del(.linux.seccomp) | .linux.maskedPaths -= ["/proc/keys"]
		mknod-allowed :: mknod-block :: CAP_MKNOD and CAP_SYSLOG, device cgroup open :: .process.capabilities |= map_values(. + ["CAP_MKNOD", "CAP_SYSLOG"]) | .linux.resources.devices = [{allow: true, access: "rwm"}]
		kill-no-pidns :: kill-host :: no pid namespace :: .linux.namespaces -= [{type: "pid"}]
		mask-off :: mask-check :: maskedPaths and readonlyPaths empty :: .linux.maskedPaths = [] | .linux.readonlyPaths = []
	EOF
}

declare -a rows=()
n=0
failed=0
bad=()

# run_one NAME LABEL [JQ_FILTER]: run attack NAME (with its config changed by JQ_FILTER for a control) and set
# verdict, reason. Checks the host before and after.
run_one() {
	local name=$1 label=$2 filter=${3:-} dir rc=0 before after changed
	dir=$ESC_WORK/$label
	mkdir -p "$dir"
	before=$dir/host.before
	after=$dir/host.after
	esc_host_snapshot >"$before"
	if [ -f "$here/attacks/$name.sh" ]; then
		ESC_CONTROL_FILTER=$filter bash "$here/attacks/$name.sh" "$dir" >"$dir/report" 2>"$dir/driver.err" || rc=$?
	elif [ -f "$here/attacks/$name.c" ]; then
		local hrc=0
		esc_bundle "$dir" "/attacks/$name"
		if [ -n "$filter" ]; then
			esc_cfg "$dir" "$filter"
		fi
		esc_run "$dir" "$(esc_id "$name")" 2>"$dir/driver.err" || hrc=$?
		esc_verdict "$dir" "$hrc" >"$dir/report" || rc=$?
	else
		echo "error: no attack named $name" >"$dir/report"
		rc=2
	fi
	esc_host_snapshot >"$after"
	reason=$(grep -E '^(refused|ALLOWED|error|n/a): ' "$dir/report" | tail -n 1)
	reason=${reason#*: }
	[ -n "$reason" ] || reason="no verdict (driver exit status $rc): $(head -c 300 "$dir/driver.err" | tr '\n' ' ')"
	case $rc in
	0) verdict=refused ;;
	1) verdict=ALLOWED ;;
	3) verdict=n/a ;;
	*) verdict=error ;;
	esac
	if ! changed=$(esc_host_diff "$before" "$after"); then
		verdict=ALLOWED
		reason="the host changed: $(tr '\n' ';' <<<"$changed") ($reason)"
	fi
}

if [ "$controls" = 1 ]; then
	mapfile -t clist < <(control_list)
	if [ ${#only[@]} -gt 0 ]; then
		mapfile -t clist < <(for c in "${clist[@]}"; do
			for o in "${only[@]}"; do [ "${c%% :: *}" = "$o" ] && echo "$c"; done
		done)
	fi
	out "1..${#clist[@]}"
	say "positive controls: each attack against a configuration with one protection off must be ALLOWED"
	say "hardened configuration from: $ESC_CONFIG_SOURCE; hull: $HULL_ORIG (run from a copy)"
	for c in "${clist[@]}"; do
		cname=${c%% :: *}
		c=${c#* :: }
		attack=${c%% :: *}
		c=${c#* :: }
		what=${c%% :: *}
		filter=${c#* :: }
		n=$((n + 1))
		run_one "$attack" "control-$cname" "$filter"
		if [ "$verdict" = ALLOWED ]; then
			out "ok $n - control $cname ($what): $attack ALLOWED as expected: $reason"
			rows+=("$(printf '%-22s %-22s -> ALLOWED (expected)   %s' "$cname" "$attack" "$what")")
		else
			failed=$((failed + 1))
			bad+=("$cname")
			out "not ok $n - control $cname ($what): $attack was $verdict, expected ALLOWED: $reason"
			rows+=("$(printf '%-22s %-22s -> %-8s (expected ALLOWED)   %s' "$cname" "$attack" "$verdict" "$what")")
			sed 's/^/#   /' "$ESC_WORK/control-$cname/report" "$ESC_WORK/control-$cname/driver.err" 2>/dev/null |
				head -n 20 | while IFS= read -r l; do out "$l"; done
		fi
	done
else
	out "1..${#names[@]}"
	say "escape attacks inside a container with the hardened defaults (from: $ESC_CONFIG_SOURCE); hull: $HULL_ORIG (run from a copy)"
	[ "${ESC_USERNS:-0}" = 1 ] && say "every container in a user namespace: uids and gids 0-65535 are host ids ${ESC_USERNS_HOST_ID:-100000}.."
	[ -n "$global_filter" ] && say "every configuration changed by: $global_filter"
	for name in "${names[@]}"; do
		n=$((n + 1))
		run_one "$name" "$name" "$global_filter"
		case $verdict in
		refused) out "ok $n - $name: refused: $reason" ;;
		n/a) out "ok $n - $name # SKIP n/a: $reason" ;;
		*)
			failed=$((failed + 1))
			bad+=("$name")
			out "not ok $n - $name: $verdict: $reason"
			sed 's/^/#   /' "$ESC_WORK/$name/report" "$ESC_WORK/$name/driver.err" 2>/dev/null | head -n 20 |
				while IFS= read -r l; do out "$l"; done
			;;
		esac
		rows+=("$(printf '%-22s -> %-8s %s' "$name" "$verdict" "$reason")")
	done
fi

# ---- the table ----
if [ "$mode" = tap ]; then
	printf '#\n# %s\n' "attack                 -> verdict  reason"
	printf '# %s\n' "${rows[@]}"
else
	if [ "$controls" = 1 ]; then
		echo "positive controls (hardened configuration from: $ESC_CONFIG_SOURCE)"
	else
		echo "escape attacks (hardened configuration from: $ESC_CONFIG_SOURCE${ESC_USERNS:+${ESC_USERNS/1/, root mapped to host uid ${ESC_USERNS_HOST_ID:-100000}}}${global_filter:+, changed by: $global_filter})"
	fi
	printf '%s\n' "${rows[@]}"
fi
if [ "$failed" -gt 0 ]; then
	say "$failed of $n failed: ${bad[*]}"
	exit 1
fi
say "all $n as expected"
exit 0
