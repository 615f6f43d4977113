#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# exe-overwrite: driver for CVE-2019-5736 (overwrite the runtime binary through /proc/PID/exe). The image ships
# /attacks/evil-sh = "#!/proc/self/exe". The container's init (/attacks/exe-overwrite) watches /proc; the
# operator runs `hull exec ID /attacks/evil-sh` 20 times. Without protection each exec makes the kernel run the
# host's hull binary inside the container as the script's interpreter, and the init gets a handle on it. The
# hull under attack is a private copy (run.sh copies it into its work directory), and the init never writes:
# it only checks whether it could open the binary for writing. The host snapshot compares the copy's hash too.
set -u
. "$ESC_TOP/tests/escape/lib.sh"
dir=$1
id=$(esc_id exe-overwrite)
esc_bundle "$dir" /attacks/exe-overwrite
[ -n "${ESC_CONTROL_FILTER:-}" ] && esc_cfg "$dir" "$ESC_CONTROL_FILTER"
sum_before=$(sha256sum "$HULL" | cut -d' ' -f1)
trap 'esc_hull delete --force "$id" >/dev/null 2>&1' EXIT
esc_hull run --bundle "$dir" "$id" </dev/null >"$dir/out" 2>"$dir/err" &
runner=$!
for _ in $(seq 100); do
	grep -qx ready "$dir/out" 2>/dev/null && break
	sleep 0.1
done
if ! grep -qx ready "$dir/out"; then
	echo "error: the container did not start: $(head -c 300 "$dir/err")"
	exit 2
fi
pid=$(esc_hull state "$id" | jq -r .pid)
execs=0
for _ in $(seq 20); do
	esc_hull exec "$id" /attacks/evil-sh </dev/null >>"$dir/exec.out" 2>&1 || true
	execs=$((execs + 1))
done
echo "  step: $execs x hull exec $id /attacks/evil-sh; last output: $(tail -n 1 "$dir/exec.out")"
: >"/proc/$pid/root/tmp/done"
rc=0
wait "$runner" || rc=$?
vrc=0
esc_verdict "$dir" "$rc" || vrc=$?
if [ "$(sha256sum "$HULL" | cut -d' ' -f1)" != "$sum_before" ]; then
	echo "ALLOWED: the runtime binary $HULL changed"
	exit 1
fi
exit "$vrc"
