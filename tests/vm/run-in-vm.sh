#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-in-vm.sh: run one command as root inside a throw-away QEMU guest that boots Debian's generic kernel with
# cgroup v1 disabled (cgroup_no_v1=all), so the guest has a pure cgroup v2 hierarchy whatever the host uses.
#
#   run-in-vm.sh --setup                 install what is missing and fill the cache, then exit
#   run-in-vm.sh [--setup] DIR CMD [ARG...]
#
# The guest's root file system is the host's / shared read-only over virtio-9p, under an overlayfs whose upper
# layer is guest memory: the guest runs the host's binaries and can write anywhere without touching the host.
# DIR is shared read-write (at the same path, or RIVM_MNT). CMD runs with stdin /dev/null, as root, in the root
# cgroup, through `env -i` (PATH, HOME, TERM=dumb, LANG, RUN_IN_VM=1 and the variables named in RIVM_PASSENV);
# its cwd is the host's $PWD when that lies inside DIR (else the mount point; RIVM_CWD overrides). Its stdout and
# stderr come back on this script's stdout and stderr. PID 1 in the guest is a busybox shell, not systemd. When
# CMD exits every other guest process is killed and the guest powers off.
#
# Exit status: CMD's status; 124 on timeout; 125 when the VM could not be set up or booted (the console tail is
# printed on stderr); 130/143 when interrupted (the VM is killed at once).
#
# Environment:
#   RIVM_CACHE       cache directory (root: /var/cache/hull-vm, else ~/.cache/hull-vm): kernel, initramfs
#   RIVM_KERNEL_PKG  Debian kernel package (default: what linux-image-amd64 depends on, remembered in the cache)
#   RIVM_TIMEOUT     seconds before the VM is killed (600)
#   RIVM_BOOT_TIMEOUT  seconds the guest may take to boot and start CMD before it is killed (180; exit 125)
#   RIVM_MEM         guest memory in MiB (2048)          RIVM_SMP  vCPUs (2)
#   RIVM_ACCEL       auto | kvm | tcg (auto: KVM only with /dev/kvm and kvm_intel or kvm_amd loaded)
#   RIVM_CPU         QEMU -cpu model (tcg: max, kvm: host)
#   RIVM_ASLR=1      keep address space randomisation under TCG (default: norandmaps, much faster exec)
#   RIVM_MNT         guest path of DIR (default: DIR)    RIVM_CWD  guest working directory for CMD
#   RIVM_PASSENV     names of host variables to export to CMD, separated by spaces
#   RIVM_BIND        host directories CMD needs that lie under /tmp or /run (which are fresh tmpfs in the guest):
#                    bound read-only at the same path (the rest of the host's tree is visible anyway)
#   RIVM_APPEND      extra kernel command line, e.g. "apparmor=1 security=apparmor"
#   RIVM_APPARMOR=1  unpack Debian's `apparmor` package into the cache (never installed on the host) and copy it
#                    into the guest's root, so apparmor_parser and /etc/apparmor.d exist there (a failed download
#                    is only a warning). Debian's kernel enables AppArmor by default; securityfs is always
#                    mounted at /sys/kernel/security
#   RIVM_VERBOSE=1   boot without `quiet` and print the guest console on stderr afterwards
#   RIVM_CONSOLE     file to copy the guest console log to
#   RIVM_NO_INSTALL=1  never run apt-get install (setup fails instead when something is missing)
set -u

prog=run-in-vm
self=$(readlink -f "${BASH_SOURCE[0]}")

msg() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

# err MESSAGE: report a setup error; the last one becomes the reason in "setup failed: REASON".
last_error=
err() {
	msg "$*"
	last_error=$*
}

# infra_fail MESSAGE: the VM could not be prepared or booted.
infra_fail() {
	msg "$*"
	exit 125
}

usage() {
	sed -n '4,9p' "$self" | sed 's/^# \{0,1\}//' >&2
	exit 125
}

# q STRING: STRING quoted for a POSIX shell.
q() {
	local s=${1//\'/\'\\\'\'}
	printf "'%s'" "$s"
}

# ---- configuration ----
# Setup happens on every call anyway (it is quick once cached); --setup alone stops after it.
setup_only=0
if [ "${1:-}" = --setup ]; then
	shift
	[ $# -eq 0 ] && setup_only=1
fi
if [ "$setup_only" = 0 ] && [ $# -lt 2 ]; then
	usage
fi

if [ -n "${RIVM_CACHE:-}" ]; then
	cache=$RIVM_CACHE
elif [ "$(id -u)" = 0 ]; then
	cache=/var/cache/hull-vm
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/hull-vm
fi
timeout_s=${RIVM_TIMEOUT:-600}
mem=${RIVM_MEM:-2048}
smp=${RIVM_SMP:-2}
# Modules the initramfs loads, in dependency order, to mount 9p and build the overlay root.
initrd_modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet \
9pnet_virtio 9p overlay"

# ---- packages ----
is_static() {
	[ -x "$1" ] && ! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'
}

find_busybox() {
	local b
	for b in /bin/busybox /usr/bin/busybox; do
		if is_static "$b"; then
			echo "$b"
			return 0
		fi
	done
	return 1
}

# ensure_packages: install qemu-system-x86, busybox-static and xz-utils when missing (root only). readelf (binutils)
# is optional: without it a busybox is assumed to be static.
ensure_packages() {
	local missing=() log
	command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
	find_busybox >/dev/null || missing+=(busybox-static)
	command -v xz >/dev/null 2>&1 || missing+=(xz-utils)
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ] || [ "${RIVM_NO_INSTALL:-0}" = 1 ]; then
		err "missing Debian packages: ${missing[*]} (apt-get install --no-install-recommends ${missing[*]})"
		return 1
	fi
	mkdir -p "$cache" || return 1
	log=$cache/apt.log
	msg "installing ${missing[*]} (log: $log)"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
		# Stale package lists on a fresh machine: refresh once and retry.
		apt-get update -q >>"$log" 2>&1
		if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
			>>"$log" 2>&1; then
			msg "last lines of $log:"
			err "apt-get install ${missing[*]} failed: $(grep -m1 '^E:' "$log")"
			tail -n 5 "$log" | sed 's/^/  | /' >&2
			return 1
		fi
	fi
}

# ---- kernel ----
# kernel_pkg: the kernel package name (RIVM_KERNEL_PKG, else the remembered one, else ask apt).
kernel_pkg() {
	local p
	if [ -n "${RIVM_KERNEL_PKG:-}" ]; then
		echo "$RIVM_KERNEL_PKG"
		return 0
	fi
	if [ -s "$cache/kernel-pkg" ]; then
		cat "$cache/kernel-pkg"
		return 0
	fi
	p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$p" ] && [ "$(id -u)" = 0 ] && [ "${RIVM_NO_INSTALL:-0}" != 1 ]; then
		apt-get update -q >"$cache/apt.log" 2>&1
		p=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	if [ -z "$p" ]; then
		# No package lists: use a kernel unpacked earlier, if any.
		p=$(ls -1 "$cache/kernel" 2>/dev/null | sort -V | tail -n 1)
		[ -n "$p" ] && [ -f "$cache/kernel/$p/ok" ] || return 1
	fi
	echo "$p" >"$cache/kernel-pkg.tmp" && mv "$cache/kernel-pkg.tmp" "$cache/kernel-pkg"
	echo "$p"
}

# extract_vmlinux BZIMAGE OUT: the kernel ELF inside a bzImage (xz payload), for a PVH boot that skips the
# decompressor (much faster under TCG). Falls back to the bzImage itself.
extract_vmlinux() {
	local bz=$1 out=$2 off
	for off in $(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$bz" | cut -d: -f1); do
		tail -c +$((off + 1)) "$bz" | xz -dc 2>/dev/null >"$out.tmp"
		if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
			mv "$out.tmp" "$out"
			return 0
		fi
	done
	rm -f "$out.tmp"
	msg "no ELF kernel found inside $bz; booting the bzImage (slower under TCG)"
	cp "$bz" "$out"
}

# ensure_kernel PKG: download and unpack PKG into $cache/kernel/PKG (never installed on the host).
ensure_kernel() {
	local pkg=$1 kd=$cache/kernel/$1 tmp vmlinuz kver
	[ -f "$kd/ok" ] && return 0
	rm -rf "$kd"
	tmp=$(mktemp -d "$cache/kernel-new.XXXXXX") && chmod 0755 "$tmp" || return 1
	msg "downloading and unpacking $pkg into $kd"
	if ! (cd "$tmp" && apt-get download "$pkg" >"$tmp/download.log" 2>&1); then
		tail -n 5 "$tmp/download.log" | sed 's/^/  | /' >&2
		err "apt-get download $pkg failed: $(grep -m1 '^E:' "$tmp/download.log")"
		rm -rf "$tmp"
		return 1
	fi
	if ! dpkg-deb -x "$tmp"/*.deb "$tmp/root"; then
		err "dpkg-deb -x failed for $pkg"
		rm -rf "$tmp"
		return 1
	fi
	rm -f "$tmp"/*.deb "$tmp/download.log"
	vmlinuz=$(ls -1 "$tmp"/root/boot/vmlinuz-* 2>/dev/null | head -n 1)
	if [ -z "$vmlinuz" ]; then
		err "$pkg has no /boot/vmlinuz-*"
		rm -rf "$tmp"
		return 1
	fi
	kver=${vmlinuz##*/vmlinuz-}
	extract_vmlinux "$vmlinuz" "$tmp/vmlinux" || {
		rm -rf "$tmp"
		return 1
	}
	if [ ! -f "$tmp/root/lib/modules/$kver/modules.dep" ]; then
		"$(find_busybox)" depmod -b "$tmp/root" "$kver" || {
			err "depmod failed for $kver"
			rm -rf "$tmp"
			return 1
		}
	fi
	echo "$kver" >"$tmp/kver"
	mkdir -p "$cache/kernel"
	mv "$tmp" "$kd" && touch "$kd/ok"
}

# ensure_devname KD KVER: modules.devname (busybox depmod does not write it): "module name cMAJ:MIN" for each module
# with a devname: alias and a char-major alias, from which the guest creates kmod-style static device nodes.
ensure_devname() {
	local md=$1/root/lib/modules/$2
	[ -f "$md/modules.devname" ] && return 0
	awk '$1 == "alias" && $2 ~ /^devname:/ { dev[$3] = substr($2, 9) }
		$1 == "alias" && $2 ~ /^char-major-[0-9]+-[0-9]+$/ { split($2, a, "-"); cm[$3] = a[3] ":" a[4] }
		END { for (m in dev) if (m in cm) print m, dev[m], "c" cm[m] }' "$md/modules.alias" >"$md/modules.devname.tmp" &&
		mv "$md/modules.devname.tmp" "$md/modules.devname"
}

# ---- AppArmor userspace for the guest ----
# ensure_apparmor: Debian's apparmor package unpacked into $cache/apparmor/VERSION/root and packed again as one
# tar file (one file read over 9p instead of hundreds of lookups); prints its path.
ensure_apparmor() {
	local ver ad tmp
	# A copy unpacked earlier is used as it is (asking apt costs 2-3 s per run); empty the cache to refresh.
	ad=$(ls -1d "$cache"/apparmor/*/ 2>/dev/null | sort -V | tail -n 1)
	ad=${ad%/}
	if [ -n "$ad" ] && [ -f "$ad/ok" ] && [ -f "$ad/apparmor.tar" ]; then
		echo "$ad/apparmor.tar"
		return 0
	fi
	ver=$(apt-cache policy apparmor 2>/dev/null | awk '/Candidate:/ { print $2; exit }')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		err "package apparmor not known to apt"
		return 1
	fi
	ad=$cache/apparmor/${ver//[^A-Za-z0-9.+~-]/_}
	if [ ! -f "$ad/ok" ] || [ ! -f "$ad/apparmor.tar" ]; then
		rm -rf "$ad"
		mkdir -p "$cache/apparmor"
		tmp=$(mktemp -d "$cache/apparmor/new.XXXXXX") && chmod 0755 "$tmp" || return 1
		msg "downloading and unpacking apparmor $ver into $ad"
		if ! (cd "$tmp" && apt-get download apparmor >"$tmp/download.log" 2>&1) ||
			! dpkg-deb -x "$tmp"/apparmor_*.deb "$tmp/root" ||
			! tar -C "$tmp/root" -cf "$tmp/apparmor.tar" .; then
			err "could not download or unpack apparmor"
			rm -rf "$tmp"
			return 1
		fi
		rm -f "$tmp"/*.deb "$tmp/download.log"
		mv "$tmp" "$ad" && touch "$ad/ok"
	fi
	echo "$ad/apparmor.tar"
}

# ---- initramfs ----
# Stage 1 is /init in the initramfs: load the 9p and overlay modules, build the root (host / read-only over 9p
# under a tmpfs-backed overlay) and switch_root into it.
stage1_script() {
	cat <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
fail() {
	echo "rivm stage1: $*" >/dev/ttyS0
	echo fail >/dev/ttyS3
	sync
	poweroff -f
}
. /rivm/conf || fail "no /rivm/conf"
for m in $(cat /rivm/modules); do
	insmod "/mods/$m.ko" || fail "insmod $m"
done
mkdir -p /host /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=$MSIZE,cache=loose,ro hostroot /host || fail "mount host root"
mount -t tmpfs -o mode=0755 rivm-rw /rw && mkdir -p /rw/upper /rw/work || fail "tmpfs for the overlay"
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work rivm-root /newroot || fail "overlay root"
mkdir -p /newroot/rivm/host && cp -a /bin/busybox /rivm/. /newroot/rivm/ || fail "copy stage 2"
# The host root stays reachable at /rivm/host (read-only) for host paths that the guest's own /tmp and /run hide.
mount --move /host /newroot/rivm/host || fail "move the host root"
mount --move /dev /newroot/dev && mount --move /proc /newroot/proc && mount --move /sys /newroot/sys ||
	fail "move /dev /proc /sys"
exec switch_root /newroot /rivm/busybox sh /rivm/init2
EOF
}

# Stage 2 is PID 1 in the overlay root: mount the usual API file systems, cgroup2, the kernel's modules and DIR,
# run the command with its output relayed to ttyS1/ttyS2, report its status on ttyS3 and power off.
stage2_script() {
	cat <<'EOF'
B=/rivm/busybox
fail() {
	echo "rivm stage2: $*" >/dev/ttyS0
	echo fail >/dev/ttyS3
	$B sync
	$B poweroff -f
}
. /rivm/conf || fail "no /rivm/conf"
$B mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp || fail "tmpfs /tmp"
$B mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run || fail "tmpfs /run"
$B mkdir -p /dev/pts /dev/shm /dev/mqueue
$B mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts || fail devpts
$B mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm || fail "tmpfs /dev/shm"
$B mount -t mqueue mqueue /dev/mqueue
$B ln -sf /proc/self/fd /dev/fd
$B ln -sf /proc/self/fd/0 /dev/stdin
$B ln -sf /proc/self/fd/1 /dev/stdout
$B ln -sf /proc/self/fd/2 /dev/stderr
$B mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || fail "mount cgroup2"
$B mount -t bpf bpf /sys/fs/bpf
$B mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
$B mkdir -p /lib/modules && $B mount --bind "/rivm/host$MODDIR" /lib/modules || fail "bind $MODDIR"
$B mkdir -p /rivm/bin
for a in modprobe insmod rmmod lsmod modinfo depmod; do
	$B ln -sf ../busybox /rivm/bin/$a
done
echo /rivm/bin/modprobe >/proc/sys/kernel/modprobe
# Static device nodes of modules that are not loaded yet (what kmod static-nodes does on a normal system):
# opening /dev/loop-control, /dev/fuse, /dev/net/tun, ... then loads the module on demand. (PID 1 is a shell:
# a failed redirection of a special built-in would end it, hence the checks and the subshell.)
DEVNAMES=/lib/modules/$($B uname -r)/modules.devname
[ -f "$DEVNAMES" ] && while read -r mod name spec; do
	case $mod in '' | '#'*) continue ;; esac
	case $spec in [cb][0-9]*:[0-9]*) ;; *) continue ;; esac
	maj=${spec#?}
	min=${maj#*:}
	maj=${maj%%:*}
	[ -e "/dev/$name" ] && continue
	case $name in */*) $B mkdir -p "/dev/${name%/*}" ;; esac
	$B mknod -m 0600 "/dev/$name" "${spec%"${spec#?}"}" "$maj" "$min" 2>/dev/null
done <"$DEVNAMES"
# Loop devices are what tests use for block devices: have /dev/loop0-7 now (max_loop defaults to 8).
[ -c /dev/loop-control ] && (: <>/dev/loop-control) 2>/dev/null
if [ -n "${APPARMOR_TAR:-}" ]; then
	# Debian's apparmor package (unpacked on the host, never installed there) for this guest only: extracted to
	# tmpfs (writing hundreds of files into the 9p-backed overlay takes seconds under TCG), its directories bound
	# over the root's and its programs linked into it. The host's GNU tar: busybox tar takes ~10 s here, GNU 0.4 s.
	A=/run/rivm-apparmor
	$B mkdir -p $A && /bin/tar -xf "/rivm/host$APPARMOR_TAR" -C $A || fail "unpack $APPARMOR_TAR"
	for d in etc/apparmor etc/apparmor.d lib/apparmor usr/share/apparmor-features var/cache/apparmor; do
		[ -d "$A/$d" ] || continue
		$B mkdir -p "/$d" && $B mount --bind "$A/$d" "/$d" || fail "bind $A/$d"
	done
	for f in "$A"/sbin/* "$A"/usr/sbin/* "$A"/usr/bin/*; do
		[ -e "$f" ] && $B ln -sf "$f" "${f#"$A"}"
	done
fi
# RIVM_BIND: host paths hidden by the guest's own mounts (a repository under /tmp, ...) are bound, read-only, at
# the same path.
for p in $BIND; do
	case $p in
	/tmp/* | /run/* | /dev/* | /proc/* | /sys/* | /rivm/* | /lib/modules/*) ;;
	*) continue ;;
	esac
	[ -d "/rivm/host$p" ] || continue
	$B mkdir -p "$p" && $B mount --bind "/rivm/host$p" "$p" || fail "bind $p"
done
$B mkdir -p "$MNT" || fail "mkdir $MNT"
$B mount -t 9p -o trans=virtio,version=9p2000.L,msize=$MSIZE,cache=mmap hostdir "$MNT" || fail "mount $MNT"
$B hostname run-in-vm
$B ip link set lo up
$B stty -F /dev/ttyS1 raw -echo
$B stty -F /dev/ttyS2 raw -echo
$B mkfifo /run/rivm.out /run/rivm.err || fail mkfifo
# Tell the host the guest is up (its boot watchdog stops); the command's status follows on the next line.
echo started >/dev/ttyS3
$B cat /run/rivm.out >/dev/ttyS1 &
C1=$!
$B cat /run/rivm.err >/dev/ttyS2 &
C2=$!
# The host's /bin/sh, not busybox's: busybox sh would run its own applets for `sh`, `ls`, `tar`, ... in CMD.
$B env -i /bin/sh /rivm/cmd </dev/null >/run/rivm.out 2>/run/rivm.err &
wait $!
RC=$?
# Leftover daemons must not keep the VM alive: kill everything but PID 1 and the two relays.
for d in /proc/[0-9]*; do
	p=${d#/proc/}
	case $p in
	1 | $C1 | $C2) ;;
	*) kill -9 "$p" 2>/dev/null ;;
	esac
done
i=0
while { [ -d /proc/$C1 ] || [ -d /proc/$C2 ]; } && [ $i -lt 100 ]; do
	$B usleep 50000
	i=$((i + 1))
done
kill -9 $C1 $C2 2>/dev/null
$B sync
$B umount "$MNT" 2>/dev/null
echo "$RC" >/dev/ttyS3
$B poweroff -f
EOF
}

# ensure_initrd KD KVER: the cached base initramfs (busybox, modules, both stages); prints its path.
ensure_initrd() {
	local kd=$1 kver=$2 bb key out st m f
	bb=$(find_busybox) || {
		err "no static busybox (apt-get install busybox-static)"
		return 1
	}
	key=$({
		stage1_script
		stage2_script
		echo "$initrd_modules"
		sha256sum "$bb"
	} | sha256sum | cut -c1-16)
	out=$cache/initrd-$kver-$key.cpio.gz
	[ -s "$out" ] && {
		echo "$out"
		return 0
	}
	st=$(mktemp -d "$cache/initrd-new.XXXXXX") || return 1
	mkdir -p "$st/root/bin" "$st/root/dev" "$st/root/proc" "$st/root/sys" "$st/root/mods" "$st/root/rivm"
	cp "$bb" "$st/root/bin/busybox"
	for m in $initrd_modules; do
		f=$(find "$kd/root/lib/modules/$kver/kernel" \( -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" \) |
			head -n 1)
		if [ -z "$f" ]; then
			err "module $m not found in $kd"
			rm -rf "$st"
			return 1
		fi
		case $f in
		*.ko.xz) xz -dc "$f" >"$st/root/mods/$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$st/root/mods/$m.ko" ;;
		*) cp "$f" "$st/root/mods/$m.ko" ;;
		esac || {
			rm -rf "$st"
			return 1
		}
	done
	echo "$initrd_modules" >"$st/root/rivm/modules"
	stage1_script >"$st/root/init"
	chmod 0755 "$st/root/init"
	stage2_script >"$st/root/rivm/init2"
	(cd "$st/root" && find . | "$bb" cpio -o -H newc 2>/dev/null | gzip -1) >"$st/initrd.gz" || {
		rm -rf "$st"
		return 1
	}
	# Pad to 512 bytes so the per-run cpio appended after the gzip member is found.
	head -c $(((512 - $(stat -c %s "$st/initrd.gz") % 512) % 512)) /dev/zero >>"$st/initrd.gz"
	mv "$st/initrd.gz" "$out" && rm -rf "$st"
	# Older variants (another version of this script): dropped once no concurrent run can still be using them.
	find "$cache" -maxdepth 1 -name 'initrd-*.cpio.gz' ! -name "${out##*/}" -mmin +60 -delete 2>/dev/null
	echo "$out"
}

# setup: everything the VM needs, under an exclusive lock on the cache. Sets kd, kver, initrd (and aa_tar).
setup() {
	local pkg
	mkdir -p "$cache" || {
		err "cannot create cache directory $cache"
		return 1
	}
	exec 9>"$cache/lock"
	flock 9
	ensure_packages || return 1
	pkg=$(kernel_pkg) || {
		err "cannot resolve the kernel package (apt-cache depends linux-image-amd64 found nothing)"
		return 1
	}
	ensure_kernel "$pkg" || return 1
	kd=$cache/kernel/$pkg
	kver=$(cat "$kd/kver")
	ensure_devname "$kd" "$kver" || {
		err "cannot write modules.devname in $kd"
		return 1
	}
	initrd=$(ensure_initrd "$kd" "$kver") || return 1
	aa_tar=
	if [ "${RIVM_APPARMOR:-0}" = 1 ]; then
		# Not fatal: tests that need apparmor_parser skip without it.
		aa_tar=$(ensure_apparmor) || {
			msg "warning: continuing without AppArmor userspace in the guest"
			aa_tar=
		}
	fi
	flock -u 9
	exec 9>&-
}

command -v flock >/dev/null 2>&1 || infra_fail "flock not found (util-linux)"
setup || infra_fail "setup failed: ${last_error:-see above} (cache: $cache)"
if [ "$setup_only" = 1 ]; then
	msg "ready: kernel $kver, cache $cache"
	exit 0
fi

# ---- one run ----
dir=$1
shift
[ -d "$dir" ] || infra_fail "DIR $dir is not a directory"
dir=$(cd "$dir" && pwd -P) || infra_fail "cannot resolve $dir"
mnt=${RIVM_MNT:-$dir}
case $mnt in
/*) ;;
*) infra_fail "RIVM_MNT must be an absolute path" ;;
esac
if [ -n "${RIVM_CWD:-}" ]; then
	cwd=$RIVM_CWD
else
	here=$(pwd -P)
	case $here/ in
	"$dir"/*) cwd=$mnt${here#"$dir"} ;;
	*) cwd=$mnt ;;
	esac
fi

accel=${RIVM_ACCEL:-auto}
if [ "$accel" = auto ]; then
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
		accel=kvm
	fi
fi
# shellcheck disable=SC2054 # the commas belong to QEMU's option syntax
case $accel in
kvm) accel_args=(-accel kvm -cpu "${RIVM_CPU:-host}") ;;
tcg) accel_args=(-accel tcg,thread=multi -cpu "${RIVM_CPU:-max}") ;;
*) infra_fail "RIVM_ACCEL must be auto, kvm or tcg" ;;
esac

T=$(mktemp -d "${TMPDIR:-/tmp}/rivm.XXXXXX") || infra_fail "mktemp failed"
qpid=
wdpid=
relay_pids=()
# shellcheck disable=SC2317 # called from traps
cleanup() {
	[ -n "$wdpid" ] && kill "$wdpid" 2>/dev/null
	if [ -n "$qpid" ] && kill -0 "$qpid" 2>/dev/null; then
		kill -TERM "$qpid" 2>/dev/null
		sleep 0.2
		kill -KILL "$qpid" 2>/dev/null
	fi
	# Unblock relays that still wait for QEMU to open the FIFOs, then let them finish.
	{ exec 7<>"$T/out"; } 2>/dev/null && exec 7>&-
	{ exec 8<>"$T/err"; } 2>/dev/null && exec 8>&-
	[ ${#relay_pids[@]} -gt 0 ] && wait "${relay_pids[@]}" 2>/dev/null
	rm -rf "$T"
}
# shellcheck disable=SC2317 # called from traps
on_signal() {
	trap - INT TERM
	msg "interrupted: killing the VM"
	cleanup
	exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap cleanup EXIT

# Per-run initramfs part: /rivm/conf and /rivm/cmd, appended uncompressed to the cached base.
mkdir -p "$T/run/rivm"
{
	echo "MSIZE=262144"
	echo "MNT=$(q "$mnt")"
	echo "MODDIR=$(q "$kd/root/lib/modules")"
	[ -n "$aa_tar" ] && echo "APPARMOR_TAR=$(q "$aa_tar")"
	binds=
	for b in ${RIVM_BIND:-}; do
		case $b in
		/*) b=$(readlink -f "$b") && binds="$binds $b" ;;
		*) infra_fail "RIVM_BIND: $b is not an absolute path" ;;
		esac
	done
	echo "BIND=$(q "$binds")"
} >"$T/run/rivm/conf"
{
	echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root USER=root LOGNAME=root"
	echo "export TERM=dumb LANG=C.UTF-8 RUN_IN_VM=1"
	for v in ${RIVM_PASSENV:-}; do
		case $v in
		'' | [0-9]* | *[!A-Za-z0-9_]*) infra_fail "RIVM_PASSENV: bad variable name '$v'" ;;
		esac
		if [ -n "${!v+set}" ]; then
			echo "export $v=$(q "${!v}")"
		fi
	done
	echo "cd $(q "$cwd") || exit 125"
	printf 'exec'
	for a in "$@"; do
		printf ' %s' "$(q "$a")"
	done
	echo
} >"$T/run/rivm/cmd"
bb=$(find_busybox)
(cd "$T/run" && find . | "$bb" cpio -o -H newc 2>/dev/null) >"$T/run.cpio" || infra_fail "cpio failed"
cat "$initrd" "$T/run.cpio" >"$T/initrd" || infra_fail "cannot write $T/initrd"

append="console=ttyS0 panic=-1 oops=panic loglevel=4 cgroup_no_v1=all 8250.nr_uarts=4 mitigations=off"
[ "${RIVM_VERBOSE:-0}" = 1 ] || append="$append quiet"
# TCG keys its translated code on virtual addresses: with mmap randomisation every process maps libc somewhere
# new and is translated afresh. norandmaps roughly halves the cost of each exec of a dynamic binary.
if [ "$accel" = tcg ] && [ "${RIVM_ASLR:-0}" != 1 ]; then
	append="$append norandmaps"
fi
[ -n "${RIVM_APPEND:-}" ] && append="$append $RIVM_APPEND"

# QEMU option values: a comma is written as two.
qc() {
	printf '%s' "${1//,/,,}"
}
sec_model=passthrough
[ "$(id -u)" = 0 ] || sec_model=mapped-xattr

mkfifo "$T/out" "$T/err" || infra_fail mkfifo
: >"$T/status"
: >"$T/console.log"
cat "$T/out" &
relay_pids+=($!)
cat "$T/err" >&2 &
relay_pids+=($!)

timeout -k 5 "$timeout_s" qemu-system-x86_64 \
	-nodefaults -no-user-config -display none -no-reboot \
	"${accel_args[@]}" -m "$mem" -smp "$smp" \
	-kernel "$kd/vmlinux" -initrd "$T/initrd" -append "$append" \
	-serial "file:$(qc "$T/console.log")" -serial "file:$(qc "$T/out")" \
	-serial "file:$(qc "$T/err")" -serial "file:$(qc "$T/status")" \
	-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-fsdev "local,id=hostdir,path=$(qc "$dir"),security_model=$sec_model,multidevs=remap" \
	-device virtio-9p-pci,fsdev=hostdir,mount_tag=hostdir \
	</dev/null 2>"$T/qemu.err" &
qpid=$!
# Boot watchdog: a guest that hangs early (it boots in ~3-6 s) must not burn the whole RIVM_TIMEOUT.
(
	boot_to=${RIVM_BOOT_TIMEOUT:-180}
	for ((i = 0; i < boot_to * 4; i++)); do
		sleep 0.25
		[ -s "$T/status" ] && exit 0
		kill -0 "$qpid" 2>/dev/null || exit 0
	done
	: >"$T/boot-timeout"
	kill -TERM "$qpid" 2>/dev/null
) &
wdpid=$!
wait "$qpid"
qrc=$?
qpid=
kill "$wdpid" 2>/dev/null
wait "$wdpid" 2>/dev/null
wdpid=
{ exec 7<>"$T/out"; } 2>/dev/null && exec 7>&-
{ exec 8<>"$T/err"; } 2>/dev/null && exec 8>&-
wait "${relay_pids[@]}" 2>/dev/null
relay_pids=()

if [ -n "${RIVM_CONSOLE:-}" ]; then
	cp "$T/console.log" "$RIVM_CONSOLE"
fi
if [ "${RIVM_VERBOSE:-0}" = 1 ]; then
	msg "guest console:"
	tr -d '\r' <"$T/console.log" | sed 's/^/  | /' >&2
fi

console_tail() {
	msg "last lines of the guest console:"
	tr -d '\r' <"$T/console.log" | tail -n 25 | sed 's/^/  | /' >&2
	if [ -s "$T/qemu.err" ]; then
		msg "qemu said:"
		tail -n 10 "$T/qemu.err" | sed 's/^/  | /' >&2
	fi
}

# The status file holds "started" once the guest is up, then CMD's exit status (or "fail" from a stage).
rc=$(tr -d '\r' <"$T/status" | grep -v '^started$' | tail -n 1 | tr -dc '0-9' | head -c 3)
if [ -e "$T/boot-timeout" ]; then
	msg "the guest did not start the command within ${RIVM_BOOT_TIMEOUT:-180}s; killed"
	console_tail
	exit 125
fi
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	msg "timeout: the VM was killed after ${timeout_s}s"
	console_tail
	exit 124
fi
if [ -z "$rc" ]; then
	if [ "$qrc" != 0 ]; then
		msg "qemu exited with status $qrc before the command finished"
	else
		msg "the guest powered off without reporting the command's status"
	fi
	console_tail
	exit 125
fi
exit "$rc"
