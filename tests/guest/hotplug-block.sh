#!/bin/sh
# SPDX-License-Identifier: MIT
# libxl's block hotplug script for the PV disk checks (installed as
# /etc/xen/scripts/orchid-block in the toolstack initramfs; a disk names
# it with script=orchid-block). Debian's /etc/xen/scripts/block needs
# bash, which the initramfs has not; this does the part a phy: disk needs.
#
# libxl runs it as `orchid-block add|remove` with XENBUS_PATH set to the
# backend's xenstore directory (backend/vbd/<domid>/<devid>). On add it
# tells xen-blkback which block device to serve: "physical-device" =
# "<major>:<minor>" in hex, what blkback's watch waits for, then
# "hotplug-status" = connected, as Xen's xen-hotplug-common.sh does.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

fail() {
	xenstore-write "$XENBUS_PATH/hotplug-error" "$*" \
		"$XENBUS_PATH/hotplug-status" error
	echo "orchid-block: $*" >&2
	exit 1
}

case "$1" in
add)
	dev=$(xenstore-read "$XENBUS_PATH/params") || fail "no params"
	[ -b "$dev" ] || fail "$dev is not a block device"
	mm=$(stat -L -c '%t:%T' "$dev") || fail "stat $dev failed"
	xenstore-write "$XENBUS_PATH/physical-device" "$mm" ||
		fail "writing physical-device failed"
	xenstore-write "$XENBUS_PATH/hotplug-status" connected
	;;
remove)
	# blkback lets go of the device itself when the backend closes.
	;;
*)
	fail "unknown action '$1'"
	;;
esac
