#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot a hypervisor in QEMU with Debian's arm64 Linux as Dom0 and leave the
# user at Dom0's shell on hvc0 (Dom0 command line: orchid.demo=shell).
# Ctrl-A x quits QEMU; "poweroff -f" in Dom0 powers the machine off.
#
#   tools/run-dom0.sh [tests/system/dom0.py options, e.g. --print]
#
# env: HV_IMAGE  hypervisor image (default $BUILD/orchid.bin;
#                $BUILD/guest/xen is Debian's Xen 4.17)
#      BUILD (build), GIC (3), SMP (4), DOM0_ARGS (orchid.demo=shell)
# The guest material comes from tools/fetch-guest.sh (downloaded once).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
exec python3 "$ROOT/tests/system/dom0.py" --build "$BUILD" \
	--gic "${GIC:-3}" --smp "${SMP:-4}" \
	--dom0-args "${DOM0_ARGS:-orchid.demo=shell}" "$@"
