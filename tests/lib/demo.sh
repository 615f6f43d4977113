#!/usr/bin/env bash
# make demo: a hardened container on the built-in busybox rootfs that prints what it sees.
set -euo pipefail
build=${1:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
hull="$top/$build/src/cli/hull"
bundle="$top/demo/bundle"
root=${HULL_DEMO_ROOT:-/run/hull}

if [ "$(id -u)" != 0 ]; then
	echo "make demo: run as root (it creates namespaces and mounts)" >&2
	exit 1
fi
rm -rf "$bundle"
bash "$top/tests/lib/mkbundle.sh" "$bundle" >/dev/null
# Hardened: read-only rootfs, three capabilities, no_new_privs, a non-root user.
jq '.root.readonly = true
  | .hostname = "hull-demo"
  | .process.user = {"uid": 1000, "gid": 1000}
  | .process.args = ["/bin/sh", "-c",
      "echo \"pid:      $$\"; echo \"hostname: $(hostname)\"; echo \"ids:      $(id)\"; grep -E \"^(NoNewPrivs|CapEff|CapBnd)\" /proc/self/status; echo mounts:; cat /proc/self/mounts | sed \"s/^/  /\""]' \
	"$bundle/config.json" >"$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"

echo "== $("$hull" --version | head -n1): running a hardened container from $bundle"
id="hull-demo-$$"
"$hull" --root "$root" run --bundle "$bundle" "$id"
