#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""How much of each PV I/O row's instructions are the hypervisor's (issue 13).

Boots the bench/pvio.py setup (Dom0 + DomU, -smp 1 -icount shift=0) twice,
at --mb A and B MiB (pings scaled alike), under the QEMU 7.2 TCG plugin
bench/el2count.c, which counts all executed instructions and those whose
TB lies in the hypervisor's text (Orchid: build/orchid at 0x40200000;
Xen 4.17: its text at 0x200000..0x400000, where it runs at EL2), and
snapshots both counters at every console byte the hypervisor writes.
Two views:
  * each row's own window ("row ..." lines): the us a row reports are its
    instructions (no idle: checked against the per-MiB counts), ending a
    known distance before a console line, so the samples of both counters
    give the hypervisor's share of exactly what the row timed;
  * the console lines cut the run into windows: disk (DomU dd write +
    read), ping, TCP (tx + rx); window(B) - window(A) cancels boot and
    setup and gives instructions per MiB (per ping); for Orchid the
    in-range TBs are attributed to functions and source files.
Results and the reading of them: bench/results/pvio-breakdown.md.

  bench/el2_profile.py orchid|xen [--mb 8,16] [--build build] [--keep]
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
sys.path.insert(0, HERE)
import dom0  # noqa: E402
import toolstack_cases  # noqa: E402
import pvio  # noqa: E402
from benchlib import XEN_ARGS  # noqa: E402

ORCHID_BASE = 0x40200000
XEN_TEXT = (0x200000, 0x400000)
# Window name -> the console line that ends it; each starts where the
# previous one ended.
WINDOWS = [("setup", rb"ORCHID-BENCH START "),
           ("disk", rb"ORCHID-BENCH PVBENCH disk-write "),
           ("ping", rb"ORCHID-BENCH ping "),
           ("tcp", rb"ORCHID-BENCH net-tx ")]


def build_plugin(build):
    so = os.path.join(build, "el2count.so")
    src = os.path.join(HERE, "el2count.c")
    if not os.path.exists(so) or os.path.getmtime(so) < os.path.getmtime(src):
        subprocess.check_call(["gcc", "-O2", "-shared", "-fPIC",
                               "-fvisibility=hidden", "-o", so, src])
    return so


def run(hv, rng, mb, pings, build, tmp):
    guest, error = toolstack_cases.toolstack_material(build)
    if error:
        sys.exit(error)
    opts = argparse.Namespace(mb=mb, pings=pings)
    dtb = dom0.make_dtb(tmp, "el2prof-%d" % mb, 3, 1, guest.kernel,
                        guest.ramdisk, xen_args=XEN_ARGS,
                        dom0_args=pvio.dom0_args(opts), mem=pvio.MEM)
    counts = os.path.join(tmp, "el2prof-%d.counts" % mb)
    console = os.path.join(tmp, "el2prof-%d.console" % mb)
    args = dom0.qemu_args(hv, dtb, guest, gic=3, smp=1, mem=pvio.MEM,
                          disk=False, icount=True)
    args += ["-plugin", "%s,lo=%x,hi=%x,out=%s" % (
        build_plugin(build), rng[0], rng[1], counts)]
    with open(console, "wb") as f:
        subprocess.run(args, stdout=f, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=1800)


def parse(counts, console):
    """Per window: (total, in-range, Counter of in-range TB pc -> insns)."""
    with open(console, "rb") as f:
        text = f.read()
    ends = []
    for name, pat in WINDOWS:
        m = re.search(pat, text)
        if not m:
            sys.exit("%s: no %r" % (console, pat))
        ends.append((m.start(), name))
    stores, tbs, series, cur = [], [], [], collections.Counter()
    with open(counts) as f:
        for line in f:
            p = line.split()
            if p[0] == "S":
                stores.append((p[1], int(p[2]), int(p[3]), len(tbs)))
            if p[0] in "PDS":
                series.append((int(p[-2]), int(p[-1])))
            if p[0] == "D":
                tbs.append(cur)
                cur = collections.Counter()
            elif p[0] == "T":
                cur[int(p[1], 16)] += int(p[2]) * int(p[3])
    tbs.append(cur)
    # Other I/O stores at offset 0 of a region (GIC registers, a handful)
    # are not console bytes: keep the most frequent address's.
    uart = collections.Counter(s[0] for s in stores).most_common(1)[0][0]
    stores = [s[1:] for s in stores if s[0] == uart]
    # Byte k of the console is store k, if the plugin saw exactly the bytes
    # (QEMU's banner lines on stdout come before any guest byte).
    skew = len(text) - len(stores)
    res, prev = {}, (0, 0, 0)
    for pos, name in ends:
        s = stores[pos - skew]
        # TB deltas dumped at or before this store belong to the window
        # (a dump happens only after >4M instructions without console
        # output, so the window edges are blurred by at most that much).
        prof = collections.Counter()
        for c in tbs[prev[2] + 1:s[2] + 1]:
            prof.update(c)
        res[name] = (s[0] - prev[0], s[1] - prev[1], prof)
        prev = s
    return res, skew, rows(text, stores, skew, series)


def inside_at(series, t):
    """In-range instructions when the total count was t (interpolated)."""
    i = max(bisect.bisect_right(series, (t, float("inf"))) - 1, 0)
    (t0, a), (t1, b) = series[i], series[min(i + 1, len(series) - 1)]
    return a if t1 == t0 else a + (b - a) * (t - t0) / (t1 - t0)


def rows(text, stores, skew, series):
    """Each bench row's own window, cut from the time series: under -icount
    shift=0 with no idle (the per-MiB counts match the guests' clocks to
    0.3 %), a row's us are its instructions / 1000, and it ends a known
    distance before a console line. Returns {row: [(total, in-range)]}, one
    pair per assumed gap between the row's end and the line."""
    series.sort()

    def at(pat):
        m = re.search(pat, text)
        return int(m.group(1)), stores[m.start() - skew][0]

    def window(lo, hi):
        return (hi - lo, inside_at(series, hi) - inside_at(series, lo))

    out = collections.defaultdict(list)
    # Dom0 prints net-tx right after its clock read that ends net-rx.
    ustx, line = at(rb"ORCHID-BENCH net-tx mb=\d+ us=(\d+)")
    usrx, _ = at(rb"ORCHID-BENCH net-rx bytes=\d+ us=(\d+)")
    rx0 = line - usrx * 1000
    out["net_rx"].append(window(rx0, line))
    out["net_tx"].append(window(rx0 - ustx * 1000, rx0))
    # The DomU's dd read ends 2-20M instructions before Dom0 prints its
    # results (DomU: now_us, nc to Dom0; Dom0: nc, grep, sed); its write
    # ends ~1M before the read starts (drop_caches, now_us).
    usw, line = at(rb"ORCHID-BENCH PVBENCH disk-write mb=\d+ us=(\d+)")
    usr, _ = at(rb"ORCHID-BENCH PVBENCH disk-read mb=\d+ us=(\d+)")
    for gap in (2e6, 20e6):
        r0 = line - gap - usr * 1000
        out["disk_read"].append(window(r0, line - gap))
        out["disk_write"].append(window(r0 - 1e6 - usw * 1000, r0 - 1e6))
    return out


def symbols(elf):
    syms = []
    out = subprocess.check_output(["nm", "-n", elf], text=True)
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW" and not p[2].startswith("$"):
            syms.append((int(p[0], 16) + ORCHID_BASE, p[2]))
    return syms


def source_files(build):
    """Function name -> its object file under build/ (the source file)."""
    out = {}
    for top, _, files in os.walk(build):
        rel = os.path.relpath(top, build)
        if rel.split(os.sep)[0] in ("tests", "baremetal", "guest", "unit"):
            continue
        for f in files:
            if not f.endswith(".o") or f.startswith("syms"):
                continue
            path = os.path.join(top, f)
            nm = subprocess.run(["nm", "--defined-only", path], text=True,
                                capture_output=True).stdout
            for line in nm.splitlines():
                p = line.split()
                if len(p) == 3 and p[1] in "tT":
                    out[p[2].split(".")[0]] = os.path.join(rel, f[:-2])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("hv", choices=("orchid", "xen"))
    ap.add_argument("--mb", default="8,16")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--tmp", default="/tmp/el2prof")
    ap.add_argument("--keep", action="store_true",
                    help="keep the plugin's counts files")
    ap.add_argument("--reuse", action="store_true",
                    help="parse kept counts files instead of running")
    opts = ap.parse_args()
    build = os.path.abspath(opts.build)
    os.makedirs(opts.tmp, exist_ok=True)
    if opts.hv == "orchid":
        hv = os.path.join(build, "orchid.bin")
        size = int(subprocess.check_output(
            ["nm", os.path.join(build, "orchid")], text=True).split(
                " A _image_size")[0].split()[-1], 16)
        rng = (ORCHID_BASE, ORCHID_BASE + size)
    else:
        hv, rng = os.path.join(build, "guest", "xen"), XEN_TEXT
    mbs = [int(x) for x in opts.mb.split(",")]
    res = {}
    for mb in mbs:
        counts = os.path.join(opts.tmp, "el2prof-%d.counts" % mb)
        console = os.path.join(opts.tmp, "el2prof-%d.console" % mb)
        if not (opts.reuse and os.path.exists(counts)):
            run(hv, rng, mb, 10 * mb // mbs[0], build, opts.tmp)
        res[mb], skew, rws = parse(counts, console)
        print("mb=%d: console skew %d bytes" % (mb, skew))
        for row, ws in rws.items():
            print("  row %-10s %s" % (row, "  or  ".join(
                "%.1fM insns, hv %.2fM = %.2f %%" % (
                    t / 1e6, h / 1e6, 100.0 * h / t) for t, h in ws)))
        for name, (tot, el2, _) in res[mb].items():
            print("  %-6s total %12d  hv %11d  %5.1f %%" % (
                name, tot, el2, 100.0 * el2 / max(tot, 1)))
        if not opts.keep:
            os.remove(counts)
    a, b = mbs
    units = {"disk": b - a, "tcp": b - a, "ping": 10 * (b - a) // a}
    syms = symbols(os.path.join(build, "orchid")) \
        if opts.hv == "orchid" else []
    addrs = [s[0] for s in syms]
    files = source_files(build) if syms else {}
    for name, unit in units.items():
        tot = (res[b][name][0] - res[a][name][0]) / unit
        el2 = (res[b][name][1] - res[a][name][1]) / unit
        print("%s per %s: total %.0f, hypervisor %.0f (%.1f %%)" % (
            name, "ping" if name == "ping" else "MiB", tot, el2,
            100.0 * el2 / tot))
        if not syms:
            continue
        per = collections.Counter()
        diff = res[b][name][2].copy()
        diff.subtract(res[a][name][2])
        for pc, n in diff.items():
            i = bisect.bisect_right(addrs, pc) - 1
            per[syms[i][1] if i >= 0 else "?"] += n / unit
        byfile = collections.Counter()
        for fn, n in per.items():
            byfile[files.get(fn.split(".")[0], "?")] += n
        for f, n in byfile.most_common(12):
            print("    %9.0f %5.1f %%  %s" % (n, 100.0 * n / el2, f))
        for fn, n in per.most_common(15):
            print("    %9.0f %5.1f %%  %s()" % (n, 100.0 * n / el2, fn))
    return 0


if __name__ == "__main__":
    sys.exit(main())
