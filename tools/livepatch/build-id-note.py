#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a GNU build-id note (the bytes of an ELF note) to a file:
  build-id-note.py ELF OUT
ELF is Orchid's image (the note lies between __build_id_start and
__build_id_end) or a live-patch payload (its .note.gnu.build-id section).
The payload's .livepatch.xen_depends and .livepatch.depends hold it."""
import struct
import sys


def sections(data):
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    out = []
    for i in range(shnum):
        out.append(struct.unpack_from("<IIQQQQIIQQ", data,
                                      shoff + i * shentsize))
    names = out[shstrndx]
    return [(data[names[4] + s[0]:].split(b"\0", 1)[0].decode(), s)
            for s in out]


def symbol(data, secs, want):
    symtab = [s for _, s in secs if s[1] == 2][0]
    strtab = secs[symtab[6]][1]
    for off in range(symtab[4], symtab[4] + symtab[5], 24):
        name, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", data, off)
        if data[strtab[4] + name:].split(b"\0", 1)[0].decode() == want:
            return value
    sys.exit("build-id-note: no symbol %s" % want)


def note_of(data):
    secs = sections(data)
    for name, s in secs:
        if name == ".note.gnu.build-id":
            return data[s[4]:s[4] + s[5]]
    start = symbol(data, secs, "__build_id_start")
    end = symbol(data, secs, "__build_id_end")
    for _, s in secs:
        if s[1] == 1 and s[3] <= start and end <= s[3] + s[5]:
            return data[s[4] + start - s[3]:s[4] + end - s[3]]
    sys.exit("build-id-note: the build-id is in no section")


def main():
    with open(sys.argv[1], "rb") as f:
        note = note_of(f.read())
    namesz, descsz, kind = struct.unpack_from("<III", note, 0)
    if kind != 3 or note[12:16] != b"GNU\0" or len(note) < 16 + descsz:
        sys.exit("build-id-note: %s has no GNU build-id" % sys.argv[1])
    with open(sys.argv[2], "wb") as f:
        f.write(note[:16 + descsz])


main()
