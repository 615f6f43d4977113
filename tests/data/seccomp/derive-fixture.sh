#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Derives the runtime-spec (OCI) form of a Docker/moby seccomp profile with jq alone, following
# moby's setupSeccomp rules (profiles/seccomp/seccomp_linux.go), independently of hull's C code.
# tests/unit/test-oci-seccomp-docker.c compares oci_seccomp_docker_resolve() with its output.
#
#   derive-fixture.sh PROFILE ARCH SCMP_ARCH KERNEL CAPS_JSON > FIXTURE
#   e.g. derive-fixture.sh moby-default.json amd64 SCMP_ARCH_X86_64 6.18 '["CAP_CHOWN",...]'
#
# The rules, in moby's order; a rule is dropped as soon as one says so:
#   1. excludes.arches contains ARCH                      -> drop
#   2. any of excludes.caps is in CAPS (the bounding set) -> drop
#   3. excludes.minKernel given and KERNEL >= it          -> drop
#   4. includes.arches given and does not contain ARCH    -> drop
#   5. some of includes.caps is not in CAPS               -> drop
#   6. includes.minKernel given and KERNEL < it           -> drop
# Kernel versions compare as "<kernel>.<major>" pairs. "architectures" is the archMap entry
# whose "architecture" is SCMP_ARCH followed by its "subArchitectures" (or the profile's own
# "architectures"). The output keeps names, action, errnoRet and args of each kept rule.
set -eu
profile=$1 arch=$2 scmp_arch=$3 kernel=$4 caps=$5
exec jq --arg arch "$arch" --arg scmp "$scmp_arch" --arg kernel "$kernel" --argjson caps "$caps" '
def kv: split(".") | map(tonumber) | .[0:2];
def kernel_ge($min): ($kernel | kv) as $k | ($min | kv) as $m |
	($k[0] > $m[0]) or ($k[0] == $m[0] and $k[1] >= $m[1]);
def has($list; $x): any(($list // [])[]; . == $x);
def applies:
	  if has(.excludes.arches; $arch) then false
	elif any((.excludes.caps // [])[]; has($caps; .)) then false
	elif (.excludes.minKernel // "") != "" and kernel_ge(.excludes.minKernel) then false
	elif ((.includes.arches // []) | length) > 0 and (has(.includes.arches; $arch) | not) then false
	elif any((.includes.caps // [])[]; has($caps; .) | not) then false
	elif (.includes.minKernel // "") != "" and (kernel_ge(.includes.minKernel) | not) then false
	else true end;
{defaultAction}
+ (if .defaultErrnoRet != null then {defaultErrnoRet} else {} end)
+ {architectures: (if (.architectures // []) | length > 0 then .architectures
                   else [(.archMap // [])[] | select(.architecture == $scmp)
                         | [.architecture] + (.subArchitectures // [])] | (first // []) end)}
+ {syscalls: [.syscalls[] | select(applies)
	| {names: (.names // [.name]), action}
	+ (if .errnoRet != null then {errnoRet} else {} end)
	+ (if (.args // []) | length > 0 then {args: [.args[] | {index: (.index // 0), value: (.value // 0)}
		+ (if (.valueTwo // 0) != 0 then {valueTwo} else {} end) + {op}]} else {} end)]}
' "$profile"
