#!/bin/sh
# SPDX-License-Identifier: MIT
# libxl's vif hotplug script for the PV network checks (installed as
# /etc/xen/scripts/orchid-vif in the toolstack initramfs; a vif names it
# with script=orchid-vif). Debian's vif-route and vif-bridge need bash;
# this is vif-route's essence in busybox sh: Dom0's end of the link is
# the vif itself, with address 10.77.<devid>.1/24, and the DomU is
# expected at 10.77.<devid>.2 (tests/guest/init-domu.sh's net modes).
#
# libxl runs it as `orchid-vif online|offline|add|remove` with vif= the
# backend interface (vif<domid>.<devid>) and XENBUS_PATH set to the
# backend's xenstore directory. xen-netback connects to the frontend
# only once "hotplug-status" is "connected".
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

fail() {
	xenstore-write "$XENBUS_PATH/hotplug-error" "$*" \
		"$XENBUS_PATH/hotplug-status" error
	echo "orchid-vif: $*" >&2
	exit 1
}

devid=${XENBUS_PATH##*/}
case "$1" in
online | add)
	[ -n "$vif" ] || fail "no vif in the environment"
	ip link set "$vif" up || fail "ip link set $vif up failed"
	ip addr add "10.77.$devid.1/24" dev "$vif" ||
		fail "ip addr add on $vif failed"
	xenstore-write "$XENBUS_PATH/hotplug-status" connected
	;;
offline | remove)
	# The interface goes with the backend; nothing else to undo.
	;;
*)
	fail "unknown action '$1'"
	;;
esac
