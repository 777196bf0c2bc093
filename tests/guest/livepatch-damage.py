#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Damaged copies of a good live-patch payload for the toolstack check
(tests/guest/init-dom0-toolstack.sh, livepatch), each of which Orchid must
refuse at upload with an errno:
  livepatch-damage.py GOOD OUTDIR
  OUTDIR/other-build-id.livepatch  .livepatch.xen_depends of another build
                                   (EINVAL)
  OUTDIR/truncated.livepatch       the first half of the file (EINVAL)
  OUTDIR/reloc-range.livepatch     a CALL26 sent 512 MiB away (EOVERFLOW)"""
import os
import struct
import sys


def sections(data):
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
            for i in range(shnum)]
    names = secs[shstrndx]
    return [(data[names[4] + s[0]:].split(b"\0", 1)[0].decode(), s)
            for s in secs]


def other_build_id(data):
    out = bytearray(data)
    for name, s in sections(data):
        if name == ".livepatch.xen_depends":
            out[s[4] + 16] ^= 0xff  # the descriptor's first byte
            return out
    sys.exit("livepatch-damage: no .livepatch.xen_depends")


def reloc_range(data):
    out = bytearray(data)
    for name, s in sections(data):
        if s[1] != 4 or not name.startswith(".rela.text"):
            continue
        for off in range(s[4], s[4] + s[5], 24):
            _, info, _ = struct.unpack_from("<QQq", data, off)
            if info & 0xffffffff == 283:  # R_AARCH64_CALL26
                struct.pack_into("<q", out, off + 16, 512 << 20)
                return out
    sys.exit("livepatch-damage: no CALL26 in the code")


def main():
    good, outdir = sys.argv[1], sys.argv[2]
    with open(good, "rb") as f:
        data = f.read()
    files = {"other-build-id": other_build_id(data),
             "truncated": data[:len(data) // 2],
             "reloc-range": reloc_range(data)}
    for name, content in files.items():
        with open(os.path.join(outdir, name + ".livepatch"), "wb") as f:
            f.write(content)


main()
