# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# lib.sh: shared by tests/escape/run.sh, the attack drivers (tests/escape/attacks/<name>.sh) and the CVE
# regression tests (tests/integration/cve-*.bats). Source it; it defines functions only, plus these variables
# (each can be set beforehand):
#
#   ESC_TOP        the source tree
#   ESC_BUILD      the build directory (HULL_BUILD_DIR, default $ESC_TOP/build)
#   HULL           the runtime (HULL_BIN, default $ESC_BUILD/src/cli/hull)
#   ESC_BIN        the built attack programs ($ESC_BUILD/tests/escape)
#   ESC_ROOT       hull's state root (--root) for the attacks
#   ESC_TEMPLATE   the hardened bundle every attack starts from (rootfs/ + config.json), made by esc_make_template
#
# The hardened configuration: `hull spec` once it writes hardened defaults (it does when `hull spec --help` shows
# --cap-add); until then esc_hardened_config builds the same thing with jq from tests/lib/mkbundle.sh's config:
# capabilities AUDIT_WRITE, KILL, NET_BIND_SERVICE (bounding, effective, permitted; inheritable and ambient
# empty), noNewPrivileges, read-only rootfs with a tmpfs /tmp, cgroupfs read-only (and a cgroup namespace),
# Docker's masked and read-only path lists, hull's default seccomp profile (data/seccomp-default.json, Docker's)
# resolved for those capabilities, pids limit 1024, RLIMIT_NOFILE 1024. ESC_CONFIG_SOURCE says which was used.
# Both give the same document apart from hostname and terminal (checked with ESC_FORCE_JQ=1).

ESC_TOP=${ESC_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ESC_BUILD=${ESC_BUILD:-${HULL_BUILD_DIR:-$ESC_TOP/build}}
case $ESC_BUILD in
/*) ;;
*) ESC_BUILD=$ESC_TOP/$ESC_BUILD ;;
esac
HULL=${HULL:-${HULL_BIN:-$ESC_BUILD/src/cli/hull}}
ESC_BIN=${ESC_BIN:-$ESC_BUILD/tests/escape}
ESC_ROOT=${ESC_ROOT:-/run/hull-escape-$$}
ESC_CONFIG_SOURCE=${ESC_CONFIG_SOURCE:-}
ESC_TIMEOUT=${ESC_TIMEOUT:-60}
# ESC_USERNS=1 (run.sh --userns): every container also gets a user namespace mapping its root to ESC_USERNS_HOST_ID
# (default 100000).

# esc_hull ARGS...: hull --root $ESC_ROOT ARGS..., killed after $ESC_TIMEOUT seconds.
esc_hull() {
	timeout -k 5 "$ESC_TIMEOUT" "$HULL" --root "$ESC_ROOT" "$@"
}

# The capabilities of the hardened defaults (runc's and crun's `spec`).
ESC_CAPS='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]'

# esc_spec_is_hardened: true when `hull spec` writes the hardened defaults (the Docker-vocabulary flags exist).
# ESC_FORCE_JQ=1 builds the configuration with jq even then (to check the two agree).
esc_spec_is_hardened() {
	[ "${ESC_FORCE_JQ:-0}" != 1 ] && "$HULL" spec --help 2>&1 | grep -q -- '--cap-add'
}

# esc_seccomp_profile: print the hardened profile in runtime-spec form: `hull seccomp resolve` when hull has it,
# else tests/data/seccomp/derive-fixture.sh (moby's resolution rules in jq) over data/seccomp-default.json.
esc_seccomp_profile() {
	local profile=$ESC_TOP/data/seccomp-default.json kernel caps_args
	[ -f "$profile" ] || profile=$ESC_TOP/tests/data/seccomp/moby-default.json
	caps_args=$(jq -r 'join(",")' <<<"$ESC_CAPS")
	if "$HULL" seccomp resolve --help >/dev/null 2>&1; then
		"$HULL" seccomp resolve --caps "$caps_args" "$profile" && return 0
		echo "esc: hull seccomp resolve failed; deriving the profile with jq" >&2
	fi
	kernel=$(uname -r | cut -d. -f1,2)
	sh "$ESC_TOP/tests/data/seccomp/derive-fixture.sh" "$profile" amd64 SCMP_ARCH_X86_64 "$kernel" "$ESC_CAPS"
}

# esc_hardened_config DIR: write DIR/config.json with the hardened defaults (root.path "rootfs", args sh).
esc_hardened_config() {
	local dir=$1 tmp masked
	mkdir -p "$dir"
	rm -f "$dir/config.json"
	if esc_spec_is_hardened; then
		"$HULL" spec --bundle "$dir" >/dev/null || return 1
		ESC_CONFIG_SOURCE="hull spec"
		return 0
	fi
	tmp=$(mktemp -d /tmp/hull-escape-cfg.XXXXXX) || return 1
	# mkbundle's config is runc-spec-like: 3 capabilities, noNewPrivileges, NOFILE 1024, runc's masks.
	HULL_BUSYBOX=${HULL_BUSYBOX:-} "$ESC_TOP/tests/lib/mkbundle.sh" "$tmp/b" >/dev/null || {
		rm -rf "$tmp"
		return 1
	}
	esc_seccomp_profile >"$tmp/seccomp.json" || {
		rm -rf "$tmp"
		return 1
	}
	# Docker's masked paths: runc's plus /proc/interrupts and each cpu's thermal_throttle (where it exists).
	masked=$(
		{
			echo /proc/interrupts
			ls -d /sys/devices/system/cpu/cpu*/thermal_throttle 2>/dev/null
		} | jq -R . | jq -s .
	)
	jq --slurpfile sc "$tmp/seccomp.json" --argjson caps "$ESC_CAPS" --argjson masked "$masked" '
		.process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps}
		| .process.noNewPrivileges = true
		| .process.rlimits = [{type: "RLIMIT_NOFILE", hard: 1024, soft: 1024}]
		| .root.readonly = true
		| .mounts += [
			{destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
			 options: ["nosuid", "noexec", "nodev", "relatime", "ro"]},
			{destination: "/tmp", type: "tmpfs", source: "tmpfs",
			 options: ["nosuid", "nodev", "mode=1777"]}]
		| .linux.namespaces += [{type: "cgroup"}]
		| .linux.maskedPaths = ((.linux.maskedPaths + $masked) | unique)
		| .linux.readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
		| .linux.resources.pids = {limit: 1024}
		| .linux.seccomp = $sc[0]
		| .process.args = ["sh"]' "$tmp/b/config.json" >"$dir/config.json" || {
		rm -rf "$tmp"
		return 1
	}
	rm -rf "$tmp"
	ESC_CONFIG_SOURCE="jq (hull spec is not hardened yet)"
}

# esc_make_template DIR: the hardened bundle every attack starts from. DIR/rootfs is mkbundle's busybox rootfs
# plus /attacks/<name> (every built attack program), and what a malicious image would ship:
#   /attacks/setuid-root   a copy of setuid-nnp, owned by root, mode 04755
#   /attacks/evil-sh       "#!/proc/self/exe" (CVE-2019-5736)
# DIR/config.json is the hardened configuration (esc_hardened_config).
esc_make_template() {
	local dir=$1 a n=0 root_id=0
	[ "${ESC_USERNS:-0}" = 1 ] && root_id=${ESC_USERNS_HOST_ID:-100000}
	mkdir -p "$dir"
	"$ESC_TOP/tests/lib/mkbundle.sh" "$dir" >/dev/null || return 1
	mkdir -p "$dir/rootfs/attacks"
	for a in "$ESC_BIN"/*; do
		[ -f "$a" ] && [ -x "$a" ] || continue
		cp "$a" "$dir/rootfs/attacks/"
		n=$((n + 1))
	done
	if [ "$n" -eq 0 ]; then
		echo "esc: no attack programs in $ESC_BIN (ninja -C $ESC_BUILD)" >&2
		return 1
	fi
	if [ -x "$dir/rootfs/attacks/setuid-nnp" ]; then
		cp "$dir/rootfs/attacks/setuid-nnp" "$dir/rootfs/attacks/setuid-root"
		# Owned by the container's root: the host's root, or the id it is mapped to with --userns.
		chown "$root_id:$root_id" "$dir/rootfs/attacks/setuid-root"
		chmod 04755 "$dir/rootfs/attacks/setuid-root"
	fi
	printf '#!/proc/self/exe\n' >"$dir/rootfs/attacks/evil-sh"
	chmod 0755 "$dir/rootfs/attacks/evil-sh"
	esc_hardened_config "$dir" || return 1
	# `hull spec` writes args ["sh"] and root.path "rootfs" like mkbundle; make sure of both.
	jq '.root.path = "rootfs" | .process.args = ["sh"] | .process.terminal = false' "$dir/config.json" \
		>"$dir/config.json.tmp" && mv "$dir/config.json.tmp" "$dir/config.json"
	if [ "$root_id" != 0 ]; then
		# Root in a user namespace: container ids 0-65535 are host ids ESC_USERNS_HOST_ID.. (the rest of the
		# rootfs stays the host root's, which the container sees as the overflow id 65534).
		esc_cfg "$dir" '.linux.namespaces += [{type: "user"}]
			| .linux.uidMappings = [{containerID: 0, hostID: $h, size: 65536}]
			| .linux.gidMappings = [{containerID: 0, hostID: $h, size: 65536}]' --argjson h "$root_id"
	fi
}

# esc_bundle DIR [ARG...]: a bundle directory whose config.json is the template's with root.path pointing at the
# template's rootfs (shared, read-only in the container) and process.args set to ARG... (if given).
esc_bundle() {
	local dir=$1
	shift
	mkdir -p "$dir"
	jq --arg root "$ESC_TEMPLATE/rootfs" '.root.path = $root | .process.args = ($ARGS.positional // .process.args)' \
		"$ESC_TEMPLATE/config.json" --args "$@" >"$dir/config.json"
}

# esc_own_rootfs DIR: give bundle DIR its own copy of the template rootfs (for attacks that change the image).
esc_own_rootfs() {
	local dir=$1
	rm -rf --one-file-system "$dir/rootfs"
	cp -a "$ESC_TEMPLATE/rootfs" "$dir/rootfs"
	esc_cfg "$dir" '.root.path = "rootfs"'
}

# esc_cfg DIR FILTER [JQ_ARGS...]: apply a jq filter to DIR/config.json.
esc_cfg() {
	local dir=$1 filter=$2
	shift 2
	jq "$filter" "$dir/config.json" "$@" >"$dir/config.json.tmp" && mv "$dir/config.json.tmp" "$dir/config.json"
}

# esc_id NAME: a container id for this run.
esc_id() {
	echo "esc-$1-$$-$RANDOM"
}

# esc_run DIR [ID]: `hull run` the bundle; stdout to DIR/out, stderr to DIR/err. Returns hull's status.
esc_run() {
	local dir=$1 id=${2:-$(esc_id run)} rc=0
	esc_hull run --bundle "$dir" "$id" </dev/null >"$dir/out" 2>"$dir/err" || rc=$?
	return "$rc"
}

# esc_verdict DIR [HULL_STATUS]: print the attack's report (DIR/out) and judge it by its verdict line; the exit
# status is the verdict: 0 refused, 1 ALLOWED, 2 error, 3 n/a. No verdict line: an error, quoting hull's stderr.
esc_verdict() {
	local dir=$1 status=${2:-0} line
	sed -n '/^  step: /p' "$dir/out"
	line=$(grep -E '^(refused|ALLOWED|error|n/a): ' "$dir/out" | tail -n 1)
	case $line in
	refused:*)
		echo "$line"
		return 0
		;;
	ALLOWED:*)
		echo "$line"
		return 1
		;;
	n/a:*)
		echo "$line"
		return 3
		;;
	error:*)
		echo "$line"
		return 2
		;;
	esac
	echo "error: no verdict from the attack (hull exit status $status): $(grep -v '^hull: warning: linux.seccomp' "$dir/err" | head -n 3 | tr '\n' ' ')"
	return 2
}

# esc_default_attack NAME DIR [ARG...]: run /attacks/NAME ARG... in a fresh hardened container; verdict as
# esc_verdict.
esc_default_attack() {
	local name=$1 dir=$2 rc=0
	shift 2
	esc_bundle "$dir" "/attacks/$name" "$@"
	esc_run "$dir" "$(esc_id "$name")" || rc=$?
	esc_verdict "$dir" "$rc"
}

# esc_host_snapshot: the host state that no attack may change, one "key: value" per line.
esc_host_snapshot() {
	local f h
	echo "hostname: $(cat /proc/sys/kernel/hostname)"
	echo "domainname: $(cat /proc/sys/kernel/domainname)"
	for f in kernel/core_pattern kernel/core_uses_pid kernel/sysrq kernel/ctrl-alt-del kernel/modprobe \
		kernel/modules_disabled kernel/kexec_load_disabled kernel/randomize_va_space fs/binfmt_misc/status; do
		[ -r "/proc/sys/$f" ] && echo "$f: $(head -c 256 "/proc/sys/$f" | tr '\n' ' ')"
	done
	[ -r /sys/kernel/kexec_loaded ] && echo "kexec_loaded: $(cat /sys/kernel/kexec_loaded)"
	[ -r /sys/kernel/uevent_helper ] && echo "uevent_helper: $(cat /sys/kernel/uevent_helper)"
	echo "swaps: $(tail -n +2 /proc/swaps | awk '{print $1}' | tr '\n' ' ')"
	echo "modules: $(awk '{print $1}' /proc/modules 2>/dev/null | sort | tr '\n' ' ')"
	# cgroup v1 hierarchies: the root's release_agent and notify_on_release.
	for h in /sys/fs/cgroup/*/; do
		[ -r "$h/release_agent" ] && echo "release_agent $h: $(cat "$h/release_agent")"
		[ -r "$h/notify_on_release" ] && echo "notify_on_release $h: $(cat "$h/notify_on_release")"
	done
	# The wall clock against the monotonic clock, in whole seconds: a jump shows a settimeofday that got through.
	local up
	read -r up _ </proc/uptime
	echo "clock offset: $(($(date +%s) - ${up%%.*}))"
	# Mounts outside the places tests use (/tmp, /run, /var/tmp, the build tree): a new one is an escape.
	echo "host mounts: $(awk '$5 !~ "^/(tmp|run|var/tmp|work)(/|$)" {print $5}' /proc/self/mountinfo | sort | md5sum | cut -c1-16)"
	echo "hull binary: $(sha256sum "$HULL" | cut -c1-16)"
}

# esc_host_diff BEFORE AFTER: print what changed (lines of AFTER not in BEFORE), ignoring a clock offset change
# of at most 2 seconds. Exit 0 when nothing changed.
esc_host_diff() {
	local before=$1 after=$2 changed b a
	changed=$(diff "$before" "$after" | grep '^>' | sed 's/^> //')
	[ -z "$changed" ] && return 0
	b=$(sed -n 's/^clock offset: //p' "$before")
	a=$(sed -n 's/^clock offset: //p' "$after")
	if [ -n "$a" ] && [ -n "$b" ] && [ $((a - b)) -le 2 ] && [ $((b - a)) -le 2 ]; then
		changed=$(grep -v '^clock offset: ' <<<"$changed")
	fi
	[ -z "$changed" ] && return 0
	echo "$changed"
	return 1
}

# esc_cleanup_containers: delete every container left in $ESC_ROOT and remove the state root.
esc_cleanup_containers() {
	local id
	if [ -d "$ESC_ROOT" ]; then
		for id in $(esc_hull list -q 2>/dev/null) $(find "$ESC_ROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null); do
			esc_hull delete --force "$id" >/dev/null 2>&1 || true
		done
		rm -rf --one-file-system "$ESC_ROOT"
	fi
}
