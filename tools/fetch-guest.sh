#!/bin/bash
# SPDX-License-Identifier: MIT
# Orchid's Dom0 guest material, from Debian bookworm's arm64 packages.
#
#   tools/fetch-guest.sh [--build DIR] [--refresh] [--toolstack]
#
# Downloads (apt-get download, verified by apt) into the cache, once:
#   linux-image-6.1.*-arm64  (what the linux-image-arm64 metapackage depends on)
#   busybox-static           (Dom0's user space)
#   xen-hypervisor-4.17-arm64 (the reference hypervisor the tests and the
#                             benchmark compare Orchid with)
# unpacks each with dpkg-deb -x inside the cache, and builds in DIR/guest
# (DIR defaults to build):
#   Image            Debian's kernel, the uncompressed arm64 Image
#   xen              Debian's Xen 4.17 (an arm64 Image too)
#   dom0.cpio.gz     Dom0 initramfs: busybox, tests/guest/init-dom0.sh as
#                    /init, Xen and virtio kernel modules, evtchn_selftest,
#                    hcbench
#   disk.img         a 4 MiB raw disk with known content (the virtio test)
#   kernel.version   e.g. 6.1.0-56-arm64
# With --toolstack (what the toolstack system tests and bench/toolstack.py
# ask for), also Xen 4.17's user space (xen-utils-4.17, xen-utils-common,
# xenstore-utils and the libraries they load) and:
#   domu.cpio.gz            DomU initramfs: busybox, tests/guest/init-domu.sh
#                           as /init, xen-evtchn/xen-privcmd/xen-gntalloc,
#                           privcmd_domctl, evtchn_pingpong, grant_attack
#   dom0-toolstack.cpio.gz  dom0.cpio.gz plus xl, xenstored, xenconsoled,
#                           xen-init-dom0, xenstore-*, their libraries,
#                           tests/guest/init-dom0-toolstack.sh, a653_sched,
#                           /usr/sbin/orchid-dom0less-console, the DomU
#                           configs (tests/guest/domu-*.cfg) and /guest/Image
#                           + /guest/domu.cpio.gz for the DomUs (and
#                           /guest/wfi.Image, a 4 KiB do-nothing kernel)
#   PV disk and network: xen-blkback, xen-netback, brd in Dom0 and
#   xen-blkfront, xen-netfront in the DomU (etc/orchid/pv-modules, loaded
#   on demand), libxl hotplug scripts tests/guest/hotplug-{block,vif}.sh
#
# Cache: $ORCHID_CACHE, default <repo>/cache (ignored by git). A second run
# downloads nothing and rewrites no output whose content did not change.
# --refresh asks apt again which kernel the metapackage points at.
# Needs the arm64 architecture in dpkg and its package lists: added (with
# apt-get update) when missing, which needs root or sudo.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
REFRESH=0
TOOLSTACK=0
while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$2; shift 2 ;;
	--refresh) REFRESH=1; shift ;;
	--toolstack) TOOLSTACK=1; shift ;;
	*) echo "usage: $0 [--build DIR] [--refresh] [--toolstack]" >&2; exit 2 ;;
	esac
done
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
CACHE=${ORCHID_CACHE:-$ROOT/cache}
OUT=$BUILD/guest
CROSS=${CROSS_COMPILE:-aarch64-linux-gnu-}
mkdir -p "$CACHE/debs" "$CACHE/unpacked" "$OUT"
# One run at a time per output folder (make -j, parallel test runners).
exec 9>"$OUT/.lock"
flock 9

say() { echo "  GUEST   $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# ---- host tools ------------------------------------------------------------
need=""
command -v "${CROSS}gcc" >/dev/null || need="$need gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
command -v "${CROSS}objcopy" >/dev/null || need="$need binutils-aarch64-linux-gnu"
command -v cpio >/dev/null || need="$need cpio"
command -v gzip >/dev/null || need="$need gzip"
command -v dpkg-deb >/dev/null || need="$need dpkg"
if [ -n "$need" ]; then
	say "installing host packages:$need"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $need
fi

# ---- apt: arm64 lists, only when something must be downloaded -----------------
APT_READY=0
apt_ready() {
	[ $APT_READY = 1 ] && return
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		say "adding the arm64 architecture to dpkg"
		as_root dpkg --add-architecture arm64
		as_root apt-get update -qq
	elif ! apt-cache policy linux-image-arm64:arm64 | grep 'Candidate: [0-9]' >/dev/null; then
		say "apt-get update (no arm64 package lists yet)"
		as_root apt-get update -qq
	fi
	APT_READY=1
}

# deb_of NAME-GLOB: the cached .deb for a package, if any.
deb_of() {
	local f
	for f in "$CACHE"/debs/$1_*_arm64.deb; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

# download PACKAGE: apt-get download into a scratch folder, then move, so an
# interrupted download never leaves a partial .deb behind.
download() {
	apt_ready
	say "downloading $1:arm64"
	local tmp="$CACHE/debs/.partial"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	# apt's "unsandboxed as root" notice is expected here.
	(cd "$tmp" && apt-get download -q "$1:arm64" 2>&1) |
		grep -v 'Download is performed unsandboxed' || true
	local got
	got=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
	[ -n "$got" ] || { echo "fetch-guest: apt-get download $1:arm64 failed" >&2; exit 1; }
	mv "$got" "$CACHE/debs/"
	rm -rf "$tmp"
}

# The kernel: what linux-image-arm64 depends on (linux-image-6.1.0-NN-arm64).
if [ $REFRESH = 1 ] || ! KDEB=$(deb_of 'linux-image-6.1*-arm64'); then
	apt_ready
	KPKG=$(apt-cache depends linux-image-arm64:arm64 |
		sed -n 's/^ *Depends: \(linux-image-6\.1[^:]*-arm64\)\(:arm64\)\{0,1\}$/\1/p' |
		head -n 1)
	[ -n "$KPKG" ] || { echo "fetch-guest: linux-image-arm64 does not depend on a linux-image-6.1.*-arm64" >&2; exit 1; }
	say "linux-image-arm64 -> $KPKG"
	if ! KDEB=$(deb_of "$KPKG"); then
		download "$KPKG"
		KDEB=$(deb_of "$KPKG")
	fi
fi
for p in busybox-static xen-hypervisor-4.17-arm64; do
	deb_of "$p" >/dev/null || download "$p"
done
BBDEB=$(deb_of busybox-static)
XENDEB=$(deb_of xen-hypervisor-4.17-arm64)

# unpack DEB: dpkg-deb -x into cache/unpacked/<deb name>, once; prints the dir.
unpack() {
	local dir
	dir="$CACHE/unpacked/$(basename "$1" .deb)"
	if [ ! -f "$dir/.done" ]; then
		say "unpacking $(basename "$1")" >&2
		rm -rf "$dir"
		mkdir -p "$dir"
		dpkg-deb -x "$1" "$dir"
		touch "$dir/.done"
	fi
	echo "$dir"
}
KROOT=$(unpack "$KDEB")
BBROOT=$(unpack "$BBDEB")
XENROOT=$(unpack "$XENDEB")

# install_if_changed SRC DST: copy only when the content differs, so make
# and the tests see an unchanged mtime on a rerun.
install_if_changed() {
	if ! cmp -s "$1" "$2"; then
		cp "$1" "$2.tmp"
		mv "$2.tmp" "$2"
		say "$(basename "$2") updated"
	fi
}

# ---- kernel Image and Xen ------------------------------------------------------
KVER=$(ls "$KROOT/lib/modules" | head -n 1)
VMLINUZ="$KROOT/boot/vmlinuz-$KVER"
# Debian's arm64 vmlinuz is the plain Image ("ARMd" at offset 56); older or
# other builds gzip it.
if [ "$(dd if="$VMLINUZ" bs=1 skip=56 count=4 2>/dev/null)" = $'ARM\x64' ]; then
	install_if_changed "$VMLINUZ" "$OUT/Image"
else
	zcat "$VMLINUZ" > "$OUT/Image.unz"
	install_if_changed "$OUT/Image.unz" "$OUT/Image"
	rm -f "$OUT/Image.unz"
fi
echo "$KVER" > "$OUT/kernel.version.new"
install_if_changed "$OUT/kernel.version.new" "$OUT/kernel.version"
rm -f "$OUT/kernel.version.new"
install_if_changed "$XENROOT/boot/xen-4.17-arm64" "$OUT/xen"

# ---- static guest programs -------------------------------------------------------
for prog in tests/guest/evtchn_selftest.c bench/hcbench.c; do
	exe="$OUT/$(basename "$prog" .c)"
	if [ ! -x "$exe" ] || [ "$ROOT/$prog" -nt "$exe" ] ||
		[ "$ROOT/tests/guest/evtchn_dev.h" -nt "$exe" ] ||
		[ "$ROOT/tests/guest/privcmd_dev.h" -nt "$exe" ]; then
		say "CC $prog"
		"${CROSS}gcc" -O2 -static -Wall -Wextra -Werror -o "$exe" "$ROOT/$prog"
	fi
done

# ---- the virtio disk: a header line, then numbered 16-byte records --------------
DISK_MAGIC="ORCHID-DISK v1: known content for the virtio-blk test"
if [ ! -f "$OUT/disk.img" ] || [ "$0" -nt "$OUT/disk.img" ]; then
	say "disk.img"
	{
		printf '%s\n' "$DISK_MAGIC"
		head -c $((512 - ${#DISK_MAGIC} - 1)) /dev/zero
		seq -f 'orchid %08g' 0 262111
	} | head -c $((4 << 20)) > "$OUT/disk.img.tmp"
	mv "$OUT/disk.img.tmp" "$OUT/disk.img"
fi
[ "$(stat -c %s "$OUT/disk.img")" = $((4 << 20)) ] ||
	{ echo "fetch-guest: disk.img has the wrong size" >&2; exit 1; }

# ---- kernel modules: the wanted ones and, first, what they depend on ------------
MODDIR="$KROOT/lib/modules/$KVER"
WANT="xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc virtio_mmio virtio_blk"
declare -A MODPATH=() LOADED=()
while IFS= read -r f; do
	n=${f##*/}
	n=${n%.ko}
	MODPATH[$n]=$f
	MODPATH[${n//-/_}]=$f
done < <(find "$MODDIR/kernel" -name '*.ko')
ORDER=()
# add_module NAME: its depends= (from the .modinfo section) first, then it.
add_module() {
	local n=$1 f deps d
	[ -n "${LOADED[$n]:-}" ] && return
	f=${MODPATH[$n]:-${MODPATH[${n//-/_}]:-}}
	if [ -z "$f" ]; then
		grep -q "/$n.ko\$\|/${n//-/_}.ko\$" "$MODDIR/modules.builtin" && return
		echo "fetch-guest: module $n not found in $KVER" >&2
		exit 1
	fi
	LOADED[$n]=1
	deps=$("${CROSS}objcopy" -O binary --only-section=.modinfo "$f" /dev/stdout |
		tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ')
	for d in $deps; do add_module "$d"; done
	ORDER+=("$n")
}
for m in $WANT; do add_module "$m"; done

# ---- the initramfs -----------------------------------------------------------------
STAGE="$OUT/initramfs"
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin,etc/orchid,proc,sys,dev,tmp,run,root} \
	"$STAGE/lib/modules"
cp "$BBROOT/bin/busybox" "$STAGE/bin/busybox"
ln -s busybox "$STAGE/bin/sh"
install -m 755 "$ROOT/tests/guest/init-dom0.sh" "$STAGE/init"
install -m 755 "$OUT/evtchn_selftest" "$OUT/hcbench" "$STAGE/bin/"
for n in "${ORDER[@]}"; do
	f=${MODPATH[$n]:-${MODPATH[${n//-/_}]}}
	cp "$f" "$STAGE/lib/modules/$n.ko"
	echo "$n" >> "$STAGE/etc/orchid/modules"
done
echo "$DISK_MAGIC" > "$STAGE/etc/orchid/disk.magic"
md5sum < "$OUT/disk.img" | cut -d' ' -f1 > "$STAGE/etc/orchid/disk.md5"
echo "$KVER" > "$STAGE/etc/orchid/kernel.version"
# Same inputs, same bytes: fixed timestamps, sorted names, no gzip name/time.
find "$STAGE" -exec touch -h -d @0 {} +
(cd "$STAGE" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --reproducible --quiet) |
	gzip -9 -n > "$OUT/dom0.cpio.gz.new"
install_if_changed "$OUT/dom0.cpio.gz.new" "$OUT/dom0.cpio.gz"
rm -f "$OUT/dom0.cpio.gz.new"
say "ready in $OUT: Linux $KVER, modules ${ORDER[*]}, initramfs $(stat -c %s "$OUT/dom0.cpio.gz") bytes"

# ---- the toolstack flavour (--toolstack) ------------------------------------------
[ $TOOLSTACK = 1 ] || exit 0

# Xen 4.17's user space, and the packages of the shared libraries that xl,
# xenstored, xenconsoled, xenconsole, xen-init-dom0 and xenstore load (their
# DT_NEEDED entries, `readelf -d`, followed through the libraries; the
# closure below stops the build if one is missing from these packages).
TS_PKGS="xen-utils-4.17 xen-utils-common xenstore-utils libxenmisc4.17
	libxencall1 libxendevicemodel1 libxenevtchn1 libxenforeignmemory1
	libxengnttab1 libxenhypfs1 libxenstore4 libxentoolcore1 libxentoollog1
	libc6 libgcc-s1 libyajl2 libfdt1 libuuid1 zlib1g"
TS_ROOTS=()
for p in $TS_PKGS; do
	deb_of "$p" >/dev/null || download "$p"
	TS_ROOTS+=("$(unpack "$(deb_of "$p")")")
done
# ts_file PATH: PATH (relative to /) in the first unpacked package having it.
ts_file() {
	local r
	for r in "${TS_ROOTS[@]}"; do
		[ -e "$r/$1" ] && { echo "$r/$1"; return 0; }
	done
	return 1
}

for prog in tests/guest/privcmd_domctl.c tests/guest/a653_sched.c bench/evtchn_pingpong.c \
	tests/guest/grant_attack.c; do
	exe="$OUT/$(basename "$prog" .c)"
	if [ ! -x "$exe" ] || [ "$ROOT/$prog" -nt "$exe" ] ||
		[ "$ROOT/tests/guest/evtchn_dev.h" -nt "$exe" ] ||
		[ "$ROOT/tests/guest/privcmd_dev.h" -nt "$exe" ] ||
		[ "$ROOT/tests/baremetal/xen.h" -nt "$exe" ]; then
		say "CC $prog"
		"${CROSS}gcc" -O2 -static -Wall -Wextra -Werror -o "$exe" "$ROOT/$prog"
	fi
done
# Dom0's tool that gives a dom0less DomU's PV console its xenstore nodes
# (installed as /usr/sbin/orchid-dom0less-console).
DLC=tools/dom0/orchid-dom0less-console.c
if [ ! -x "$OUT/orchid-dom0less-console" ] || [ "$ROOT/$DLC" -nt "$OUT/orchid-dom0less-console" ] ||
	[ "$ROOT/tests/guest/privcmd_dev.h" -nt "$OUT/orchid-dom0less-console" ]; then
	say "CC $DLC"
	"${CROSS}gcc" -O2 -static -Wall -Wextra -Werror -I "$ROOT/tests/guest" \
		-o "$OUT/orchid-dom0less-console" "$ROOT/$DLC"
fi

# cpio_of DIR OUT LEVEL: the reproducible gzip'd cpio of DIR, rewritten only
# when its content changed (the uncompressed stream's md5 is kept beside it,
# so an unchanged tree costs no compression).
cpio_of() {
	local sum
	find "$1" -exec touch -h -d @0 {} +
	(cd "$1" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner=0:0 --reproducible --quiet) > "$2.cpio"
	sum=$(md5sum < "$2.cpio" | cut -d' ' -f1)
	if [ ! -f "$2" ] || [ "$(cat "$2.md5" 2>/dev/null)" != "$sum" ]; then
		gzip -"$3" -n < "$2.cpio" > "$2.new"
		mv "$2.new" "$2"
		echo "$sum" > "$2.md5"
		say "$(basename "$2") updated"
	fi
	rm -f "$2.cpio"
}

# ---- the DomU initramfs -------------------------------------------------------------
DSTAGE="$OUT/initramfs-domu"
rm -rf "$DSTAGE"
mkdir -p "$DSTAGE"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc/orchid,lib/modules}
cp "$BBROOT/bin/busybox" "$DSTAGE/bin/busybox"
ln -s busybox "$DSTAGE/bin/sh"
install -m 755 "$ROOT/tests/guest/init-domu.sh" "$DSTAGE/init"
install -m 755 "$OUT/privcmd_domctl" "$OUT/evtchn_pingpong" \
	"$OUT/grant_attack" "$DSTAGE/bin/"
LOADED=()
ORDER=()
# virtio: a dom0less DomU given a virtio-mmio disk by its partial DT
# (dom0less-passthrough-virtio) reads it as Dom0 reads its own.
for m in xen-evtchn xen-privcmd xen-gntalloc virtio_mmio virtio_blk; do
	add_module "$m"
done
for n in "${ORDER[@]}"; do
	cp "${MODPATH[$n]:-${MODPATH[${n//-/_}]}}" "$DSTAGE/lib/modules/$n.ko"
	echo "$n" >> "$DSTAGE/etc/orchid/modules"
done
echo "$DISK_MAGIC" > "$DSTAGE/etc/orchid/disk.magic"
md5sum < "$OUT/disk.img" | cut -d' ' -f1 > "$DSTAGE/etc/orchid/disk.md5"
# The PV disk and network frontends (the pv-disk/pv-net checks and
# bench/pvio.py): loaded only by the modes that use them.
pv_modules() { # pv_modules STAGE LIST MODULE...
	local stage=$1 list=$2 n
	shift 2
	ORDER=()
	for n in "$@"; do add_module "$n"; done
	for n in "${ORDER[@]}"; do
		cp "${MODPATH[$n]:-${MODPATH[${n//-/_}]}}" "$stage/lib/modules/$n.ko"
		echo "$n" >> "$stage/etc/orchid/$list"
	done
}
pv_modules "$DSTAGE" pv-modules xen-blkfront xen-netfront
# Its cpio is made below, once xenwatchdogd's libraries are known.

# ---- the toolstack Dom0 initramfs: dom0.cpio.gz's tree plus Xen's tools -------------
TSTAGE="$OUT/initramfs-toolstack"
rm -rf "$TSTAGE"
cp -a "$STAGE" "$TSTAGE"
XBIN=usr/lib/xen-4.17/bin
mkdir -p "$TSTAGE/$XBIN" "$TSTAGE/lib/aarch64-linux-gnu" "$TSTAGE/etc/xen" \
	"$TSTAGE/guest"
# test-*: Xen's own tool-level tests (the toolstack case's xen-test-* checks).
for t in xl xenstored xenconsoled xenconsole xen-init-dom0 init-dom0less \
	xenwatchdogd xentrace xen-livepatch test-paging-mempool test-resource test-xenstore; do
	f=$(ts_file "$XBIN/$t") || { echo "fetch-guest: no $XBIN/$t" >&2; exit 1; }
	cp "$f" "$TSTAGE/$XBIN/$t"
done
# Xen's monitoring tools a user runs (the xen-tools check).
for t in xenpm xen-diag; do
	f=$(ts_file "$XBIN/$t") || { echo "fetch-guest: no $XBIN/$t" >&2; exit 1; }
	cp "$f" "$TSTAGE/$XBIN/$t"
done
# xenhypfs (the hypfs checks) is in xen-utils-common's /usr/sbin; it goes
# beside the others so that its libraries are followed too.
cp "$(ts_file usr/sbin/xenhypfs)" "$TSTAGE/$XBIN/xenhypfs"
# xenstore is one program answering to its name (xenstore-read, ...).
cp "$(ts_file usr/bin/xenstore)" "$TSTAGE/usr/bin/xenstore"
for t in read write ls list rm exists watch chmod; do
	ln -s xenstore "$TSTAGE/usr/bin/xenstore-$t"
done
cp "$(ts_file etc/xen/xl.conf)" "$TSTAGE/etc/xen/xl.conf"

# The libraries: DT_NEEDED, recursively, plus the dynamic loader and
# libgcc_s (glibc dlopen()s it for pthread_cancel).
ts_lib() {
	local d
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
		ts_file "$d/$1" && return 0
	done
	echo "fetch-guest: library $1 is in none of: $TS_PKGS" >&2
	exit 1
}
declare -A HAVE_LIB=()
queue=("$TSTAGE/$XBIN"/* "$TSTAGE/usr/bin/xenstore")
needed() {
	"${CROSS}readelf" -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}
while [ ${#queue[@]} -gt 0 ]; do
	f=${queue[0]}
	queue=("${queue[@]:1}")
	for lib in $(needed "$f") libgcc_s.so.1; do
		[ -n "${HAVE_LIB[$lib]:-}" ] && continue
		HAVE_LIB[$lib]=1
		src=$(ts_lib "$lib")
		cp -L "$src" "$TSTAGE/lib/aarch64-linux-gnu/$lib"
		queue+=("$TSTAGE/lib/aarch64-linux-gnu/$lib")
	done
done
ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$TSTAGE/lib/ld-linux-aarch64.so.1"

# The DomU's xenwatchdogd (the watchdog check, orchid.domu=watchdog) and
# the libraries it needs, from the closure just made.
mkdir -p "$DSTAGE/usr/sbin" "$DSTAGE/lib/aarch64-linux-gnu"
cp "$TSTAGE/$XBIN/xenwatchdogd" "$DSTAGE/usr/sbin/xenwatchdogd"
dqueue=("$DSTAGE/usr/sbin/xenwatchdogd")
declare -A DHAVE=()
while [ ${#dqueue[@]} -gt 0 ]; do
	f=${dqueue[0]}
	dqueue=("${dqueue[@]:1}")
	for lib in $(needed "$f"); do
		[ -n "${DHAVE[$lib]:-}" ] && continue
		DHAVE[$lib]=1
		cp "$TSTAGE/lib/aarch64-linux-gnu/$lib" "$DSTAGE/lib/aarch64-linux-gnu/$lib"
		dqueue+=("$DSTAGE/lib/aarch64-linux-gnu/$lib")
	done
done
cp "$TSTAGE/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" "$DSTAGE/lib/aarch64-linux-gnu/"
ln -sf aarch64-linux-gnu/ld-linux-aarch64.so.1 "$DSTAGE/lib/ld-linux-aarch64.so.1"
cpio_of "$DSTAGE" "$OUT/domu.cpio.gz" 9

install -m 755 "$ROOT/tests/guest/init-dom0-toolstack.sh" "$TSTAGE/bin/orchid-toolstack"
install -m 644 "$ROOT/tests/guest/init-dom0-dom0less.sh" "$TSTAGE/bin/orchid-dom0less"
# PV disk and network: Linux's unmodified backends and a RAM disk to back
# xvda (loaded by the pv checks, not at boot), and libxl's hotplug scripts
# for them, ours in busybox sh (Debian's need bash): pv-disk's and
# pv-net's configs name them with script=.
LOADED=()
while read -r m; do LOADED[$m]=1; done < "$STAGE/etc/orchid/modules"
pv_modules "$TSTAGE" pv-modules xen-blkback xen-netback brd
mkdir -p "$TSTAGE/etc/xen/scripts"
install -m 755 "$ROOT/tests/guest/hotplug-block.sh" "$TSTAGE/etc/xen/scripts/orchid-block"
install -m 755 "$ROOT/tests/guest/hotplug-vif.sh" "$TSTAGE/etc/xen/scripts/orchid-vif"
# The livepatch check's payloads, built against this very image (its
# build-id): the example, a second one to replace it, damaged copies.
mkdir -p "$TSTAGE/livepatch"
if [ -f "$BUILD/orchid" ] && grep -q '^CONFIG_LIVEPATCH=y' "$ROOT/.config"; then
	for p in tools/livepatch/examples/xen_extra.c tests/guest/livepatch-extra2.c; do
		make -C "$ROOT" --no-print-directory BUILD="$BUILD" livepatch \
			PATCH="$p" >/dev/null
		cp "$BUILD/livepatch/$(basename "$p" .c).livepatch" "$TSTAGE/livepatch/"
	done
	python3 "$ROOT/tests/guest/livepatch-damage.py" \
		"$TSTAGE/livepatch/xen_extra.livepatch" "$TSTAGE/livepatch"
fi
# The create/destroy cycles' kernel (tests/guest/domu-cycle.cfg): a 4 KiB
# arm64 Image (header: code0, code1, text_offset 0, image_size 4096, flags
# 0, magic "ARM\x64" at byte 56) whose code is "1: wfi; b 1b".
{
	printf '\x7f\x20\x03\xd5\xff\xff\xff\x17'
	printf '\0\0\0\0\0\0\0\0\0\x10\0\0\0\0\0\0'
	head -c 32 /dev/zero
	printf 'ARM\x64'
	head -c $((4096 - 60)) /dev/zero
} > "$TSTAGE/guest/wfi.Image"
[ "$(stat -c %s "$TSTAGE/guest/wfi.Image")" = 4096 ] ||
	{ echo "fetch-guest: wfi.Image has the wrong size" >&2; exit 1; }
install -m 755 "$OUT/privcmd_domctl" "$OUT/a653_sched" "$OUT/evtchn_pingpong" "$TSTAGE/bin/"
install -m 755 "$OUT/orchid-dom0less-console" "$TSTAGE/usr/sbin/"
cp "$ROOT"/tests/guest/domu-*.cfg "$TSTAGE/etc/xen/"
cp "$OUT/Image" "$TSTAGE/guest/Image"
cp "$OUT/domu.cpio.gz" "$TSTAGE/guest/domu.cpio.gz"
cpio_of "$TSTAGE" "$OUT/dom0-toolstack.cpio.gz" "${TOOLSTACK_GZIP:-1}"
say "toolstack: libraries ${!HAVE_LIB[*]}"
say "toolstack: domu.cpio.gz $(stat -c %s "$OUT/domu.cpio.gz") bytes, dom0-toolstack.cpio.gz $(stat -c %s "$OUT/dom0-toolstack.cpio.gz") bytes"
