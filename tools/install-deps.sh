#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages Orchid's build and tests need, if missing.
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have aarch64-linux-gnu-gcc || need="$need gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
have qemu-system-aarch64 || need="$need qemu-system-arm"
have dtc || need="$need device-tree-compiler"
have kconfig-conf || need="$need kconfig-frontends"
have gcc || need="$need gcc libc6-dev"
have make || need="$need make"
have python3 || need="$need python3"
have git || need="$need git"
have clang-format || need="$need clang-format"
have gdb-multiarch || need="$need gdb-multiarch"
[ -f /usr/include/cmocka.h ] || need="$need libcmocka-dev"
[ -z "$need" ] && exit 0
echo "Installing:$need"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need
