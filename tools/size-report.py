#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make size-report: what each configuration costs.

For every configuration configs-check built (BUILD/configs/<name>/), the
image's bytes (orchid.bin, and the ELF's text/data/bss) and the C lines
compiled into it (every line of each .c file that has an object in that
build, and of the headers is not counted). Xen 4.17's arm64 image (Debian's
xen-hypervisor-4.17-arm64, from the cache) is the comparison line.
"""
import argparse
import os
import subprocess
import sys


def linked_objects(build):
    """The objects the last link of @build used (objs.list, written by the
    link rule): a build folder keeps objects of options since turned off.
    A build linked before objs.list existed: every object in it."""
    listed = os.path.join(build, "objs.list")
    if os.path.exists(listed):
        with open(listed, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    return [os.path.join(root, n) for root, _, names in os.walk(build)
            for n in names if n.endswith(".o")]


def c_lines(build):
    """Lines of the C sources linked into @build (one per object)."""
    total, files = 0, 0
    for obj in linked_objects(build):
        rel = os.path.relpath(obj[:-2] + ".c", build)
        if os.path.exists(rel):
            with open(rel, encoding="utf-8") as f:
                total += sum(1 for _ in f)
            files += 1
    return total, files


def elf_sizes(elf, size_tool):
    out = subprocess.run([size_tool, elf], stdout=subprocess.PIPE, text=True,
                         check=True).stdout.splitlines()
    text, data, bss = out[1].split()[:3]
    return int(text), int(data), int(bss)


def enabled(config):
    opts = []
    with open(config, encoding="utf-8") as f:
        for line in f:
            if line.startswith("CONFIG_") and line.rstrip().endswith("=y"):
                opts.append(line[7:].split("=")[0])
    return opts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", required=True)
    ap.add_argument("--xen")
    ap.add_argument("--size", default="aarch64-linux-gnu-size")
    ap.add_argument("names", nargs="+")
    args = ap.parse_args()
    print("| configuration | orchid.bin bytes | text | data | bss | C files | C lines | options on |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name in args.names:
        build = os.path.join(args.configs, name, "build")
        image = os.path.join(build, "orchid.bin")
        if not os.path.exists(image):
            print("size-report: %s was not built" % name, file=sys.stderr)
            return 1
        text, data, bss = elf_sizes(os.path.join(build, "orchid"), args.size)
        lines, files = c_lines(build)
        opts = enabled(os.path.join(args.configs, name, ".config"))
        print("| %s | %d | %d | %d | %d | %d | %d | %s |"
              % (name, os.path.getsize(image), text, data, bss, files, lines,
                 " ".join(o.lower() for o in opts)))
    if args.xen and os.path.exists(args.xen):
        print("| Xen 4.17 (Debian's xen-4.17-arm64) | %d | | | | | | |"
              % os.path.getsize(args.xen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
