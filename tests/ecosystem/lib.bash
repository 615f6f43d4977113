# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# Shared helpers for tests/ecosystem/*.bats: real engines (podman, containerd/ctr, dockerd) driving hull,
# offline, each with a private configuration, state and socket under one scratch directory.
#
# In a test file:
#
#   load lib
#   setup_file() { eco_setup_file docker dockerd docker; ...start the daemon...; }
#   teardown_file() { ...stop the daemon by pid...; eco_teardown_file; }
#   setup() { eco_skip_if_needed; }
#
# eco_setup_file NAME BINARY... checks the preconditions (root, the client binaries, a static busybox, hull
# built) and exports ECO_SKIP with the reason when one is missing: every test then skips with that reason
# (bats 1.8 cannot skip from setup_file). Otherwise it creates:
#   ECO_WORK        /var/tmp/hull-eco-NAME.XXXXXX: everything the test file creates lives here (short: unix
#                   socket paths must fit in 108 bytes)
#   ECO_HULL        the runtime the engines call: a wrapper that appends each call (argv and exit status) to
#                   $ECO_WORK/calls.log and runs hull; HULL_ECO_WRAP=0 points the engines at hull itself
#   ECO_ROOTFS      a busybox root filesystem (tests/lib/mkbundle.sh), ECO_ROOTFS_TAR the same as a tarball
#   ECO_NS          a name unique to this run (containerd namespace, cgroup parents)
# and records the host state that the test file must leave as found (eco_host_state).
#
# Cleanup discipline: daemons are stopped by the pid they were started with; processes the daemons left (shims,
# conmon) are found by $ECO_WORK in their command line and killed by pid; mounts under $ECO_WORK are unmounted;
# cgroup directories and /run entries that appeared during the test file are removed when empty.

ECO_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ECO_HULL_REAL=${HULL_BIN:-$ECO_TOP/build/src/cli/hull}
case $ECO_HULL_REAL in
/*) ;;
*) ECO_HULL_REAL=$PWD/$ECO_HULL_REAL ;;
esac
# shellcheck disable=SC2034 # used by the test files
ECO_MARKER=hull-eco-marker

eco_skip_if_needed() {
	if [ -n "${ECO_SKIP:-}" ]; then
		skip "$ECO_SKIP"
	fi
}

# eco_static_busybox: true when a statically linked busybox is installed (what mkbundle.sh needs).
eco_static_busybox() {
	local b
	for b in ${HULL_BUSYBOX:-} /bin/busybox /usr/bin/busybox; do
		[ -x "$b" ] || continue
		if command -v readelf >/dev/null 2>&1 && readelf -l "$b" 2>/dev/null | grep -q 'program interpreter'; then
			continue
		fi
		return 0
	done
	return 1
}

# eco_host_state: what an ecosystem test must leave as it found it, one item per line: top-level cgroup
# directories of every hierarchy, network links, network namespaces, iptables rules and chains, /run entries
# the engines use, mounts outside the scratch directory that belong to the engines.
eco_host_state() {
	local d
	for d in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		[ -d "$d" ] || continue
		find "$d" -mindepth 1 -maxdepth 1 -type d -printf 'cgroup %p\n' 2>/dev/null
	done
	ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print "link " $2}'
	ip netns list 2>/dev/null | awk '{print "netns " $1}'
	if command -v iptables-save >/dev/null 2>&1; then
		iptables-save 2>/dev/null | grep -E '^(-A|:)' | sed -e 's/ \[[0-9]*:[0-9]*\]$//' -e 's/^/iptables /'
	fi
	for d in /run/containerd /run/docker /run/containers /run/libpod /run/netns /var/lib/containers \
		/var/lib/docker /var/lib/containerd /etc/cni/net.d /etc/docker/key.json; do
		[ -e "$d" ] && echo "path $d"
	done
	awk '{print $5}' /proc/self/mountinfo | grep -E '^/(run/(containerd|docker|containers|libpod|netns)|var/lib/(docker|containers|containerd))' |
		sed 's/^/mount /'
	true
}

# eco_setup_file NAME BINARY...: see the header.
eco_setup_file() {
	local name=$1 b
	shift
	export ECO_SKIP=
	if [ "$(id -u)" != 0 ]; then
		ECO_SKIP="needs root (the engines run as root here)"
	elif [ ! -x "$ECO_HULL_REAL" ]; then
		ECO_SKIP="hull not built ($ECO_HULL_REAL)"
	elif ! eco_static_busybox; then
		ECO_SKIP="no static busybox (apt-get install busybox-static)"
	else
		for b in "$@"; do
			if ! command -v "$b" >/dev/null 2>&1; then
				ECO_SKIP="$b not installed (tests/ecosystem/install.sh installs it from Debian's packages)"
				break
			fi
		done
	fi
	[ -z "$ECO_SKIP" ] || return 0

	export ECO_WORK ECO_NS ECO_HULL ECO_ROOTFS ECO_ROOTFS_TAR
	ECO_WORK=$(mktemp -d "/var/tmp/hull-eco-$name.XXXXXX")
	chmod 0711 "$ECO_WORK"
	ECO_NS=hull-eco-$name-$$
	eco_host_state | sort >"$ECO_WORK/host-before"

	mkdir -p "$ECO_WORK/bin"
	: >"$ECO_WORK/calls.log"
	if [ "${HULL_ECO_WRAP:-1}" = 0 ]; then
		ECO_HULL=$ECO_HULL_REAL
	else
		ECO_HULL=$ECO_WORK/bin/hull
		# Absolute paths only: conmon hands the runtime a filtered environment.
		cat >"$ECO_HULL" <<-EOF
			#!/bin/sh
			# Logs each call (pid, argv, exit status; for create the inherited fds) to $ECO_WORK/calls.log, then runs hull.
			{ printf 'call %s' "\$\$"; for a in "\$@"; do printf ' %s' "\$a"; done; printf '\n'; } >>$ECO_WORK/calls.log
			case " \$* " in
			*" create "*)
				# The fds beyond stdio the engine handed over: 3 to 9 (the shell keeps its own at 10 and up,
				# and redirects 1 and 2 in place while ls runs; no pipe, whose ends the shell would hold).
				ls -l /proc/\$\$/fd >$ECO_WORK/fds.\$\$ 2>/dev/null
				awk -v p=\$\$ 'BEGIN {printf "fds %s", p} \$9 ~ /^[3-9]\$/ {printf " %s:%s", \$9, \$11} END {printf "\\n"}' \\
					$ECO_WORK/fds.\$\$ >>$ECO_WORK/calls.log
				rm -f $ECO_WORK/fds.\$\$ ;;
			esac
			$ECO_HULL_REAL "\$@"
			rc=\$?
			printf 'exit %s %s\n' "\$\$" "\$rc" >>$ECO_WORK/calls.log
			exit \$rc
		EOF
		chmod 0755 "$ECO_HULL"
	fi

	bash "$ECO_TOP/tests/lib/mkbundle.sh" "$ECO_WORK/bundle" >/dev/null
	ECO_ROOTFS=$ECO_WORK/bundle/rootfs
	ECO_ROOTFS_TAR=$ECO_WORK/busybox-rootfs.tar
	tar -C "$ECO_ROOTFS" -cf "$ECO_ROOTFS_TAR" .
	# The seccomp profile the tests pass to the engines: mkdir fails with EPERM.
	cat >"$ECO_WORK/seccomp-deny-mkdir.json" <<-'EOF'
		{ "defaultAction": "SCMP_ACT_ALLOW",
		  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		  "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
	EOF
}

# eco_oci_archive ROOTFS OUT NAME [CMD_JSON]: writes OUT, an image archive holding ROOTFS as one layer, in the
# OCI image layout (index.json, for ctr import) that is also a docker-archive (manifest.json, for docker load).
# The image is NAME (e.g. localhost/busybox:latest) with CMD_JSON as its Cmd (default ["/bin/sh"]).
eco_oci_archive() {
	local rootfs=$1 out=$2 name=$3 cmd=${4:-'["/bin/sh"]'} d lsum lsize csum csize msum msize
	d=$(mktemp -d "$ECO_WORK/oci.XXXXXX")
	mkdir -p "$d/blobs/sha256"
	tar -C "$rootfs" --numeric-owner -cf "$d/layer.tar" .
	lsum=$(sha256sum "$d/layer.tar" | cut -d' ' -f1)
	lsize=$(stat -c %s "$d/layer.tar")
	mv "$d/layer.tar" "$d/blobs/sha256/$lsum"
	printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$(eco_goarch)" "$cmd" "$lsum" >"$d/config.json"
	csum=$(sha256sum "$d/config.json" | cut -d' ' -f1)
	csize=$(stat -c %s "$d/config.json")
	mv "$d/config.json" "$d/blobs/sha256/$csum"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
		"$csum" "$csize" "$lsum" "$lsize" >"$d/manifest"
	msum=$(sha256sum "$d/manifest" | cut -d' ' -f1)
	msize=$(stat -c %s "$d/manifest")
	mv "$d/manifest" "$d/blobs/sha256/$msum"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
		"$msum" "$msize" "$name" "${name##*:}" >"$d/index.json"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
	printf '[{"Config":"blobs/sha256/%s","RepoTags":["%s"],"Layers":["blobs/sha256/%s"]}]' \
		"$csum" "$name" "$lsum" >"$d/manifest.json"
	tar -C "$d" -cf "$out" oci-layout index.json manifest.json blobs
	rm -rf "$d"
}

eco_goarch() {
	case $(uname -m) in
	x86_64) echo amd64 ;;
	aarch64) echo arm64 ;;
	armv7l) echo arm ;;
	*) uname -m ;;
	esac
}

# eco_wait_for TIMEOUT_S CMD...: runs CMD every 0.1 s until it succeeds; fails after TIMEOUT_S seconds.
eco_wait_for() {
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@"
}

# ECO_FDS_SELF: a command that prints, inside a container, the fds its process inherited plus its own: busybox
# `ls` opens one directory fd, the lowest free number, so a process that inherited only stdio prints 0 1 2 3, and
# any inherited stray fd shows as one more entry. (A shell glob or command substitution would add fds of its own.)
# shellcheck disable=SC2034 # used by the test files
ECO_FDS_SELF='ls -1 /proc/self/fd'

# eco_check_fds EXPECTED: the fd numbers in $output (one per line) must be exactly EXPECTED ("0 1 2").
eco_check_fds() {
	local fds
	fds=$(printf '%s\n' "$output" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')
	if [ "$fds" != "$1 " ]; then
		echo "expected fds $1, got: $fds" >&2
		printf '%s\n' "$output" >&2
		return 1
	fi
}

# eco_create_fds: for each create call, the fds 3 to 9 the engine handed to the runtime ("3:socket:[..]"), one
# line per call.
eco_create_fds() {
	awk '$1 == "fds" { $1 = ""; $2 = ""; print substr($0, 3) }' "$ECO_WORK/calls.log"
}

# eco_called REGEX: hull was called with an argv matching the extended REGEX (lines "call PID ARGV..." of the call
# log). Always true when the engines call hull directly (HULL_ECO_WRAP=0): nothing is logged then.
eco_called() {
	[ "${HULL_ECO_WRAP:-1}" = 0 ] && return 0
	grep -Eq -- "$1" "$ECO_WORK/calls.log"
}

# eco_created_ids: ids hull was asked to create during this test file (from the call log).
eco_created_ids() {
	awk '$1 == "call" { for (i = 3; i <= NF; i++) if ($i == "create") { print $NF; break } }' "$ECO_WORK/calls.log" |
		sort -u
}

# eco_failed_calls: the calls that exited non-zero, as "STATUS ARGV...".
eco_failed_calls() {
	awk '$1 == "call" { pid = $2; $1 = ""; $2 = ""; call[pid] = substr($0, 3) }
	     $1 == "exit" && $3 != 0 { print $3 " " call[$2] }' "$ECO_WORK/calls.log"
}

# eco_expect_failure COMMAND ID: a runtime call COMMAND (create, start, exec, ...) on container ID may fail (the
# error-case tests).
eco_expect_failure() {
	printf '%s %s\n' "$1" "$2" >>"$ECO_WORK/expected-failures"
}

# eco_unexpected_failed_calls: failed calls (as eco_failed_calls) except those given to eco_expect_failure.
eco_unexpected_failed_calls() {
	local f cmd id ok
	eco_failed_calls | while IFS= read -r f; do
		[ -n "$f" ] || continue
		ok=0
		while read -r cmd id; do
			case $f in
			*" $cmd "*"$id") ok=1 ;;
			esac
		done < <(cat "$ECO_WORK/expected-failures" 2>/dev/null)
		[ "$ok" = 1 ] || printf '%s\n' "$f"
	done
}

# eco_calls_summary: each distinct runtime command with its flags (values elided), and how often it was seen.
eco_calls_summary() {
	awk '$1 == "call" {
		s = ""; skip = 0
		for (i = 3; i <= NF; i++) {
			if (skip) { skip = 0; continue }
			if ($i ~ /^--(root|log|log-format|bundle|pid-file|console-socket|process|resources|format)$/) { s = s " " $i " X"; skip = 1; continue }
			if ($i ~ /^-/ || $i ~ /^(create|start|state|kill|delete|exec|ps|pause|resume|update|features|list|events|run)$/) { s = s " " $i; continue }
		}
		print substr(s, 2)
	}' "$ECO_WORK/calls.log" | sort | uniq -c | sort -rn
}

# eco_check_no_container_leftovers HULL_ROOT...: after every container is gone, no container hull created may
# have left a state directory (under each HULL_ROOT given) or a cgroup anywhere.
eco_check_no_container_leftovers() {
	local id root left=()
	for id in $(eco_created_ids); do
		for root in "$@"; do
			[ -e "$root/$id" ] && left+=("state $root/$id")
		done
		while IFS= read -r d; do
			[ -n "$d" ] && left+=("cgroup $d")
		done < <(find /sys/fs/cgroup -mindepth 2 -maxdepth 5 -type d -name "*$id*" 2>/dev/null)
	done
	if [ ${#left[@]} -gt 0 ]; then
		printf 'left behind: %s\n' "${left[@]}" >&2
		return 1
	fi
}

# eco_kill_leftover_processes: processes whose command line names $ECO_WORK (shims, conmon, containers started
# by our daemons), killed by pid. Never this shell or its parents.
eco_kill_leftover_processes() {
	local p cmd pids=() self=$$ n
	[ -n "${ECO_WORK:-}" ] || return 0
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$p" = "$self" ] && continue
		[ "$p" = "$BASHPID" ] && continue
		cmd=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null) || continue
		case $cmd in
		*"$ECO_WORK"*) pids+=("$p") ;;
		esac
	done
	[ ${#pids[@]} -gt 0 ] || return 0
	echo "# killing leftover processes: ${pids[*]}" >&3
	kill -TERM "${pids[@]}" 2>/dev/null
	for n in $(seq 30); do
		kill -0 "${pids[@]}" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "${pids[@]}" 2>/dev/null
	true
}

# eco_stop_pid PIDFILE [SECONDS]: SIGTERM to the pid in PIDFILE, SIGKILL after SECONDS (default 15).
eco_stop_pid() {
	local f=$1 t=${2:-15} pid n
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for n in $(seq $((t * 10))); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	true
}

# eco_unmount_work: unmounts everything mounted under $ECO_WORK, deepest first.
eco_unmount_work() {
	local m
	[ -n "${ECO_WORK:-}" ] || return 0
	for m in $(awk -v w="$ECO_WORK" 'index($5, w "/") == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}

# eco_restore_host: removes what appeared since eco_setup_file and can be removed safely: empty cgroup
# parents the engines create (libpod_parent, docker, $ECO_NS; deepest first) and the /run directories the
# engines created. Prints what it removed.
eco_restore_host() {
	local line kind path
	eco_host_state | sort >"$ECO_WORK/host-after"
	while IFS= read -r line; do
		kind=${line%% *}
		path=${line#* }
		case $kind in
		cgroup)
			# Only the parents the engines create (podman, dockerd, our containerd namespace).
			case ${path##*/} in
			libpod_parent | docker | "$ECO_NS")
				find "$path" -depth -type d -exec rmdir {} \; 2>/dev/null && echo "# removed cgroup $path" >&3
				;;
			esac
			;;
		path)
			case $path in
			# /var/lib/containers: podman keeps its blob info cache there whatever its graph root.
			/run/containerd | /run/docker | /run/containers | /run/libpod | /var/lib/containers)
				eco_unmount_under "$path"
				rm -rf --one-file-system "$path" && echo "# removed $path" >&3
				;;
			esac
			;;
		esac
	done < <(comm -13 "$ECO_WORK/host-before" "$ECO_WORK/host-after")
}

eco_unmount_under() {
	local m
	for m in $(awk -v w="$1" 'index($5, w "/") == 1 || $5 == w {print $5}' /proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}

# eco_host_diff: what differs from the state recorded by eco_setup_file (lines "+ new" / "- gone"); empty when
# the host is as it was.
eco_host_diff() {
	eco_host_state | sort >"$ECO_WORK/host-now"
	# Cgroups: only the parents the engines use; and not what the integration suite (names hull-test-*) may
	# create and remove meanwhile when both run at once.
	comm -3 "$ECO_WORK/host-before" "$ECO_WORK/host-now" | sed -e 's/^\t/+ /' -e 't' -e 's/^/- /' |
		grep -Ev '^[-+] cgroup |hull-test-' | cat
	comm -3 "$ECO_WORK/host-before" "$ECO_WORK/host-now" | sed -e 's/^\t/+ /' -e 't' -e 's/^/- /' |
		grep -E '^[-+] cgroup .*/(libpod_parent|docker|hull-eco-[^/]*)$' | cat
}

# eco_teardown_file: the last resort after the daemon was stopped: leftover processes, mounts, cgroups, /run
# entries, the scratch directory.
eco_teardown_file() {
	[ -n "${ECO_WORK:-}" ] && [ -d "$ECO_WORK" ] || return 0
	eco_kill_leftover_processes
	eco_unmount_work
	eco_restore_host
	if [ -n "${HULL_ECO_KEEP:-}" ]; then
		echo "# kept $ECO_WORK (HULL_ECO_KEEP)" >&3
		return 0
	fi
	rm -rf --one-file-system "$ECO_WORK"
}

# eco_assert_match REGEX: $output must match the extended REGEX (shows output otherwise).
eco_assert_match() {
	if ! printf '%s\n' "$output" | grep -Eq -- "$1"; then
		printf 'expected output matching /%s/, got (status %s):\n%s\n' "$1" "${status:-?}" "$output" >&2
		return 1
	fi
}

# eco_assert_status N: $status must be N (shows output otherwise).
eco_assert_status() {
	if [ "$status" != "$1" ]; then
		printf 'expected status %s, got %s; output:\n%s\n' "$1" "$status" "$output" >&2
		return 1
	fi
}
