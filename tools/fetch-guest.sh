#!/bin/bash
# SPDX-License-Identifier: MIT
# Orchid's Dom0 guest material, from Debian bookworm's arm64 packages.
#
#   tools/fetch-guest.sh [--build DIR] [--refresh]
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
while [ $# -gt 0 ]; do
	case "$1" in
	--build) BUILD=$2; shift 2 ;;
	--refresh) REFRESH=1; shift ;;
	*) echo "usage: $0 [--build DIR] [--refresh]" >&2; exit 2 ;;
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
	if [ ! -x "$exe" ] || [ "$ROOT/$prog" -nt "$exe" ]; then
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
