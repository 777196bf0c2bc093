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

--bench toolstack boots the bench/toolstack.py setup instead (same DTB,
Dom0 command line and QEMU arguments) and cuts it at Dom0's ORCHID-BENCH
lines: xl destroy (DESTROY-START..DESTROY-END), xl create -c to the DomU's
user-space marker (CREATE-START..DOMU-READY) and the bare-metal DomU's
xl create (FIRST-START..FIRST-END, a superset of "create to the first
instruction": the DomU prints its counter only to xl's console). Each
window also gets its Dom0 guest time (the kernel-log stamps), so guest
time minus instructions is the idle time in it. Results:
bench/results/toolstack-breakdown.md.

  bench/el2_profile.py orchid|xen [--mb 8,16] [--build build] [--keep]
  bench/el2_profile.py orchid|xen --bench toolstack [--build build]
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
import guest_domu  # noqa: E402
import pvio  # noqa: E402
import toolstack  # noqa: E402
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


def run(hv, rng, name, dtb, guest, mem, build, tmp, gap=4000000):
    """One QEMU run under the plugin: TMP/NAME.counts and NAME.console."""
    counts = os.path.join(tmp, name + ".counts")
    console = os.path.join(tmp, name + ".console")
    args = dom0.qemu_args(hv, dtb, guest, gic=3, smp=1, mem=mem,
                          disk=False, icount=True)
    args += ["-plugin", "%s,lo=%x,hi=%x,out=%s,gap=%d" % (
        build_plugin(build), rng[0], rng[1], counts, gap)]
    with open(console, "wb") as f:
        subprocess.run(args, stdout=f, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=1800)


def run_pvio(hv, rng, mb, pings, build, tmp):
    guest, error = toolstack_cases.toolstack_material(build)
    if error:
        sys.exit(error)
    opts = argparse.Namespace(mb=mb, pings=pings)
    dtb = dom0.make_dtb(tmp, "el2prof-%d" % mb, 3, 1, guest.kernel,
                        guest.ramdisk, xen_args=XEN_ARGS,
                        dom0_args=pvio.dom0_args(opts), mem=pvio.MEM)
    run(hv, rng, "el2prof-%d" % mb, dtb, guest, pvio.MEM, build, tmp)


def load(counts, console):
    """(console text, UART stores [(total, in-range, TB dumps so far)],
    TB dumps [Counter of in-range TB pc -> insns], time series, skew)."""
    with open(console, "rb") as f:
        text = f.read()
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
    return text, stores, tbs, series, skew


def between(tbs, a, b):
    """(total, in-range, Counter of in-range TB pc -> insns) from store a
    to store b. TB deltas dumped after a, up to and including b, belong to
    the window (a dump happens only at a store more than the plugin's gap
    after the previous one, so the edges are blurred by at most that)."""
    prof = collections.Counter()
    for c in tbs[a[2] + 1:b[2] + 1]:
        prof.update(c)
    return b[0] - a[0], b[1] - a[1], prof


def parse(counts, console):
    """Per window: (total, in-range, Counter of in-range TB pc -> insns)."""
    text, stores, tbs, series, skew = load(counts, console)
    res, prev = {}, (0, 0, 0)
    for name, pat in WINDOWS:
        m = re.search(pat, text)
        if not m:
            sys.exit("%s: no %r" % (console, pat))
        s = stores[m.start() - skew]
        res[name] = between(tbs, prev, s)
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


def print_attribution(prof, syms, files, el2, unit=1):
    """Orchid's in-range instructions by source file and by function."""
    addrs = [s[0] for s in syms]
    per = collections.Counter()
    for pc, n in prof.items():
        i = bisect.bisect_right(addrs, pc) - 1
        per[syms[i][1] if i >= 0 else "?"] += n / unit
    byfile = collections.Counter()
    for fn, n in per.items():
        byfile[files.get(fn.split(".")[0], "?")] += n
    for f, n in byfile.most_common(12):
        print("    %9.0f %5.1f %%  %s" % (n, 100.0 * n / el2, f))
    for fn, n in per.most_common(15):
        print("    %9.0f %5.1f %%  %s()" % (n, 100.0 * n / el2, fn))


def main_pvio(opts, hv, rng, build):
    mbs = [int(x) for x in opts.mb.split(",")]
    res = {}
    for mb in mbs:
        counts = os.path.join(opts.tmp, "el2prof-%d.counts" % mb)
        console = os.path.join(opts.tmp, "el2prof-%d.console" % mb)
        if not (opts.reuse and os.path.exists(counts)):
            run_pvio(hv, rng, mb, 10 * mb // mbs[0], build, opts.tmp)
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
    files = source_files(build) if syms else {}
    for name, unit in units.items():
        tot = (res[b][name][0] - res[a][name][0]) / unit
        el2 = (res[b][name][1] - res[a][name][1]) / unit
        print("%s per %s: total %.0f, hypervisor %.0f (%.1f %%)" % (
            name, "ping" if name == "ping" else "MiB", tot, el2,
            100.0 * el2 / tot))
        if not syms:
            continue
        diff = res[b][name][2].copy()
        diff.subtract(res[a][name][2])
        print_attribution(diff, syms, files, el2, unit)


# bench/toolstack.py's windows: (name, start line, end line, the
# ORCHID-BENCH-T events whose kernel-log times give its guest time).
TOOLSTACK_WINDOWS = [
    ("destroy", toolstack.DESTROY_START, toolstack.DESTROY_END,
     ("DESTROY-START", "DESTROY-END")),
    ("create-c", toolstack.CREATE_START, toolstack.DOMU_READY,
     ("CREATE-START", "DOMU-READY")),
    ("first", re.compile(r"^ORCHID-BENCH FIRST-START\b", re.M),
     re.compile(r"^ORCHID-BENCH FIRST-END\b", re.M),
     ("FIRST-START", "FIRST-END")),
]


def main_toolstack(opts, hv, rng, build):
    """bench/toolstack.py's setup under the plugin, cut at Dom0's lines.
    The lines are printed by Dom0's shell (bench_line: an echo to
    /dev/kmsg, a read of /proc/uptime), so each window includes that
    little shell work on top of what the row times."""
    name = "el2prof-toolstack-" + opts.hv
    counts = os.path.join(opts.tmp, name + ".counts")
    console = os.path.join(opts.tmp, name + ".console")
    if not (opts.reuse and os.path.exists(counts)):
        guest, error = guest_domu.material(build)
        if error:
            sys.exit(error)
        args = argparse.Namespace(hcn=opts.hcn, pings=opts.pings)
        dtb = dom0.make_dtb(opts.tmp, name, 3, 1, guest.kernel,
                            guest.ramdisk, xen_args=XEN_ARGS,
                            dom0_args=toolstack.dom0_args(args),
                            mem=toolstack.MEM)
        # A small dump gap: the destroy window is only ~35M instructions.
        run(hv, rng, name, dtb, guest, toolstack.MEM, build, opts.tmp,
            gap=200000)
    text, stores, tbs, _, skew = load(counts, console)
    out = text.decode("utf-8", "replace")
    ktime = {}
    for t, event in toolstack.KTIME.findall(out):
        ktime.setdefault(event, float(t))
    print("toolstack: console skew %d bytes" % skew)
    syms = symbols(os.path.join(build, "orchid")) \
        if opts.hv == "orchid" else []
    files = source_files(build) if syms else {}
    for wname, start, end, events in TOOLSTACK_WINDOWS:
        # Byte offsets: the text is decoded only to read the numbers.
        a, b = (re.search(p.pattern.encode(), text, re.M)
                for p in (start, end))
        if not a or not b:
            print("%-9s n/a (no %s)" % (wname, start.pattern if not a
                                         else end.pattern))
            continue
        tot, el2, prof = between(tbs, stores[a.start() - skew],
                                 stores[b.start() - skew])
        gt = ktime[events[1]] - ktime[events[0]] \
            if events[0] in ktime and events[1] in ktime else float("nan")
        print("%-9s guest %.4f s  insns %12d  hv %11d  %5.1f %%  "
              "idle %.4f s" % (wname, gt, tot, el2, 100.0 * el2 / max(tot, 1),
                               gt - tot / 1e9))
        if syms and wname == "destroy":
            print_attribution(prof, syms, files, el2)
    m = toolstack.FIRST_INSN.search(out)
    if m and int(m.group(2)):
        print("first insn (DomU counter): %.4f s" % (
            int(m.group(1)) / int(m.group(2))))
    if not opts.keep:
        os.remove(counts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("hv", choices=("orchid", "xen"))
    ap.add_argument("--bench", choices=("pvio", "toolstack"),
                    default="pvio")
    ap.add_argument("--mb", default="8,16", help="pvio: the two sizes")
    ap.add_argument("--hcn", type=int, default=20000,
                    help="toolstack: as bench/toolstack.py")
    ap.add_argument("--pings", type=int, default=2000,
                    help="toolstack: as bench/toolstack.py")
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
    if opts.bench == "toolstack":
        main_toolstack(opts, hv, rng, build)
    else:
        main_pvio(opts, hv, rng, build)
    return 0


if __name__ == "__main__":
    sys.exit(main())
