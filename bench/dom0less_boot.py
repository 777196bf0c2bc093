#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot-time (dom0less) DomUs: reset to each DomU's first instruction,
Orchid vs Xen 4.17 from the same DTB (issue 11's benchmark).

Three boot-time DomUs of the bare-metal test guest (`mode=first`, 64 MiB,
one vCPU each, vpl011 consoles, no Dom0) are built by each hypervisor
from one DTB (tests/system/dom0less.py). QEMU runs with `-icount
shift=0`, so one nanosecond of the physical counter is one instruction at
any exception level and the numbers do not depend on the host's load;
-smp 1, as Xen 4.17 needs under icount (Orchid gets the same). Each DomU
reads CNTPCT_EL0 (counting from reset; both hypervisors let EL1 read it)
as its very first instruction and prints it; the table is the time from
reset to each DomU's entry, and Orchid/Xen. Two more runs of each: the
same with `bootscrub=0` (boot memory handed out unscrubbed, on both), and
Orchid only, a restart: the first DomU (orchid,on-crash = "restart")
prints CNTPCT and crashes right after its first instruction; the time
from that to its next incarnation's first instruction (Xen 4.17 cannot
restart a boot-time domain). Then two Linux DomUs (Debian's kernel, the
DomU initramfs of dom0less-linux) and the bare-metal guest, from reset to
each one's user-space marker, on both at -smp 1 and on Orchid with a pCPU
per DomU, with Debian's defaults and tuned (the same standard kernel
options on both hypervisors) (--no-linux skips them: minutes of wall
clock).

  bench/dom0less_boot.py [--build DIR] [--only orchid|xen] [--out FILE]
                         [--no-write] [--no-linux]  (make bench-dom0less)

The Orchid image is BUILD/bench-release/build/orchid.bin when it exists
(CONFIG_DEBUG off, as Debian's Xen is a release build), else
BUILD/orchid.bin. Exits non-zero when a run misses a DomU's line.
"""
import argparse
import datetime
import gzip
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import dom0less  # noqa: E402
import guest_tests  # noqa: E402
import toolstack_cases  # noqa: E402

NAMES = ("first", "second", "third")
FIRST = re.compile(r"DOM(\d+): FIRST-INSN cntvct=(\d+) cntfrq=(\d+) "
                   r"cntpct=(\d+)")
GOAL_FIRST_MS = 10.0
GOAL_SPEEDUP = 1.5


CRASH_AT = re.compile(r"DOM1: CRASH-AT cntpct=(\d+)")


def domus(crash=False):
    """The three DomUs; crash: the first crashes after its first
    instruction and is restarted."""
    out = [dom0less.Domu(n, args="mode=first dom0less=1 name=%s" % n)
           for n in NAMES]
    if crash:
        out[0].args += " crash=1"
        out[0].props = {"orchid,on-crash": "restart"}
    return out


def boot(build, hv, image, tag, crash=False, xen_args=None):
    """One boot's output and log; it stops at the three DomUs' first
    instructions (crash: and the first DomU's second)."""
    stop = r"(?s)(FIRST-INSN.*){%d}\n" % (len(NAMES) + crash)
    return dom0less.run(build, hv, "bench-dom0less-%s" % tag, domus(crash),
                        stop=stop, smp=1, image=image, xen_args=xen_args,
                        qemu_extra=["-icount", "shift=0,sleep=off"])


def first_insns(out):
    """[(domid, ns from reset to its creation, to its entry)] in order.
    Both hypervisors start a domain's virtual counter at its creation
    (CNTVOFF), so CNTPCT - CNTVCT at entry is when it was made."""
    found = []
    for m in FIRST.finditer(out):
        freq = int(m.group(3))
        pct, vct = int(m.group(4)), int(m.group(2))
        found.append((int(m.group(1)), (pct - vct) * 1e9 / freq,
                      pct * 1e9 / freq))
    return found


def run_one(build, hv, image, tag="boot", xen_args=None):
    """{domid: (ns to its creation, to its entry)} of one boot, and the
    log."""
    out, log = boot(build, hv, image, tag, xen_args=xen_args)
    return {d: (made, entry) for d, made, entry in first_insns(out)}, log


# Linux rows: two DomUs of Debian's kernel with the DomU initramfs of
# dom0less-linux (vpl011 consoles), 256 MiB and one vCPU each, and the
# bare-metal guest; console_timestamps=raw (Xen's option, Orchid has it
# too) stamps every line with the counter, which counts from reset.
LINUX_ARGS = "console=ttyAMA0 quiet rdinit=/init orchid.domu=dom0less"
# The same kernel and initramfs tuned the way an embedded dom0less user
# would, given to both hypervisors' DomUs alike. initcall_debug showed
# (the same on both): crypto_algapi_init's boot-time self-tests of the
# built-in algorithms take 499 ms of CPU (and the X.509 certificate load
# 91 ms more, waiting on them): the standard cryptomgr.notests skips them
# (not in FIPS mode); and unpacking the gzip initramfs is the next largest
# item: the tuned DomUs get the same cpio archive uncompressed.
LINUX_TUNING = "cryptomgr.notests"
VARIANTS = (("defaults", LINUX_ARGS, "guest/domu.cpio.gz"),
            ("tuned", LINUX_ARGS + " " + LINUX_TUNING, "guest/domu.cpio"))
READY = re.compile(r"\[([0-9a-f]{16})\] DOM(\d+): ORCHID-DOMU-READY"
                   r"[^\n]* uptime=([\d.]+)")
UPTIMES = {}  # {variant: [Linux's own uptime at its marker, s]}
GOAL_USER_S = 1.0


def plain_initramfs(build):
    """BUILD/guest/domu.cpio: the DomU initramfs uncompressed (the tuned
    rows' ramdisk), made from domu.cpio.gz when older or missing."""
    src = os.path.join(build, "guest", "domu.cpio.gz")
    dst = src[:-len(".gz")]
    if os.path.exists(dst) and os.path.getmtime(dst) >= os.path.getmtime(src):
        return
    with gzip.open(src, "rb") as f, open(dst + ".tmp", "wb") as out:
        shutil.copyfileobj(f, out)
    os.replace(dst + ".tmp", dst)


def linux_domus(args, ramdisk):
    return [dom0less.Domu(n, mem_kb=262144, kernel="guest/Image",
                          ramdisk=ramdisk, args=args)
            for n in ("linux1", "linux2")] + [
        dom0less.Domu("bare", args="mode=first dom0less=1 name=bare")]


def run_linux(build, hv, image, smp=1, variant="defaults"):
    """{domid: ns from reset to its user-space marker} (the bare-metal
    guest's: its first instruction), and the log."""
    stop = (r"(?s)\A(?=.*DOM1: ORCHID-DOMU-READY[^\n]*\n)"
            r"(?=.*DOM2: ORCHID-DOMU-READY[^\n]*\n)"
            r"(?=.*DOM3: FIRST-INSN[^\n]*\n)")
    out, log = dom0less.run(
        build, hv, "bench-dom0less-linux-%s-smp%d" % (variant, smp),
        linux_domus(*[v[1:] for v in VARIANTS if v[0] == variant][0]),
        stop=stop, smp=smp, image=image, timeout=1500, idle=300,
        xen_args=dom0less.XEN_ARGS + " console_timestamps=raw",
        qemu_extra=["-icount", "shift=0,sleep=off"])
    found = first_insns(out)
    if not found:
        return {}, log
    freq = int(FIRST.search(out).group(3))
    marks = {d: entry for d, _, entry in found}
    for m in READY.finditer(out):
        marks.setdefault(int(m.group(2)), int(m.group(1), 16) * 1e9 / freq)
        UPTIMES.setdefault(variant, []).append(float(m.group(3)))
    return marks, log


def linux_lines(runs, variant):
    """One Linux table: reset to each DomU's marker, Orchid and Xen at
    -smp 1, Orchid with a pCPU per DomU."""
    o, x, o3 = (runs.get((k, variant), {})
                for k in ("orchid", "xen", "orchid-smp3"))
    title = ("Three DomUs, two of them Linux (Debian's kernel, the "
             "dom0less-linux DomU initramfs, 256 MiB, one vCPU, vpl011 "
             "console; `%s`) and the bare-metal guest, from reset to each "
             "one's user-space marker (Linux's init printing "
             "ORCHID-DOMU-READY, stamped by `console_timestamps=raw` on "
             "both hypervisors; the bare-metal guest's first instruction), "
             "ms:" % LINUX_ARGS)
    if variant != "defaults":
        title = ("The same, %s: the same kernel with `%s` added to both "
                 "hypervisors' DomU command lines and the same initramfs "
                 "uncompressed (6.9 MB instead of 2.8 MB of gzip), "
                 "ms:" % (variant, LINUX_TUNING))
    lines = [title, "",
             "| DomU | Orchid -smp 1 | Xen 4.17 -smp 1 | Orchid/Xen "
             "| Orchid -smp 3 (a pCPU each) |", "|---|---:|---:|---:|---:|"]
    for d, name in ((1, "linux1 (d1)"), (2, "linux2 (d2)"),
                    (3, "bare (d3)")):
        ratio = "%.2f" % (o[d] / x[d]) if d in o and d in x else "-"
        lines.append("| %s | %s | %s | %s | %s |" % (
            name, ms(o[d]) if d in o else "-", ms(x[d]) if d in x else "-",
            ratio, ms(o3[d]) if d in o3 else "-"))
    lines.append("")
    for key, label in (("orchid", "Orchid -smp 1"), ("xen", "Xen 4.17 -smp 1"),
                       ("orchid-smp3", "Orchid -smp 3")):
        r = runs.get((key, variant), {})
        if len(r) != 3:
            continue
        last = max(r.values()) / 1e9
        lines.append("- %s: all three in user space %.3f s after reset: "
                     "the %.0f s goal %s." % (label, last, GOAL_USER_S,
                                              "met" if last < GOAL_USER_S
                                              else "missed"))
    ups = sorted(UPTIMES.get(variant, []))
    if ups:
        lines.append("- Linux's own uptime at its marker (/proc/uptime: it "
                     "starts only after Linux's early boot, about 0.1 s "
                     "of CPU alone; at -smp 3 QEMU's -icount runs one "
                     "CPU at a time in 100 ms slices, so one DomU's "
                     "early boot can end at 0.46 s and the other's at "
                     "0.25 s: docs/ARCHITECTURE.md, Running guests): "
                     "%.2f to %.2f s. The hypervisors' share is the "
                     "bare-metal rows' scale (tens of ms)." % (
                         ups[0], ups[-1]))
    return lines


def linux_breakdown():
    """Where one Linux DomU's time goes (initcall_debug and earlycon runs
    by hand, 2026-12-06; the same on both hypervisors to a few ms)."""
    return [
        "Where one Linux DomU's boot goes (measured by hand: one Linux "
        "DomU and the bare-metal guest, `initcall_debug printk.time=1 "
        "ignore_loglevel` without `quiet`; `earlycon` for the part before "
        "Linux's clock starts). Every initcall takes the same time on both "
        "hypervisors; no deferred-probe, RNG, clocksource or device waits; "
        "under `quiet` the kernel prints nothing, so the vpl011 costs "
        "nothing. Debian's defaults (uptime 1.06 s at the marker): "
        "crypto_algapi_init, the crypto manager's boot-time self-tests of "
        "the built-in algorithms (RSA, DH, ...), 499 ms of CPU; "
        "load_system_certificate_list 91 ms (verifying the built-in X.509 "
        "certificates, with their self-tests); unpacking the 2.8 MB gzip "
        "initramfs (6.9 MB) 72 to 90 ms; cubictcp_register (parsing the "
        "kernel's BTF) 49 ms; the tracing eval-map work 24 to 41 ms; "
        "the console printing its backlog when registered (without "
        "`quiet` only) 35 ms (Orchid's vpl011) or 54 ms (Xen's). Tuned "
        "(`cryptomgr.notests`, uncompressed initramfs), one Linux DomU "
        "alone reaches its marker 338 ms after reset on Orchid with "
        "`quiet` (355 ms printing all through earlycon): ~25 ms "
        "Orchid building it, ~108 ms of Linux before its clock starts "
        "(ftrace patching 44279 call sites 56 ms, RCU/IRQ setup 14 ms, "
        "memory init), ~220 ms of initcalls and init (BTF 49 ms, tracing "
        "24 ms, many small ones). All of it is CPU: under icount the "
        "DomUs' vCPUs share one instruction per ns, so two Linux DomUs "
        "take twice one's time, and -smp 3 does not help."]


def linux_all(linux):
    out = []
    for variant, _, _ in VARIANTS:
        out += [""] + linux_lines(linux, variant)
    return out + [""] + linux_breakdown()


def run_restart(build, image):
    """(ns from the first DomU's crash to its restarted first instruction,
    that DomU's creation after the crash in ns from reset), or None."""
    out, log = boot(build, "orchid", image, "restart", crash=True)
    crash = CRASH_AT.search(out)
    again = [f for f in first_insns(out) if f[0] == 1][1:]
    if not crash or not again:
        return None, log
    at = int(crash.group(1)) * 1e9 / int(FIRST.search(out).group(3))
    return (again[0][2] - at, again[0][1] - at), log


def ms(ns):
    return "%.3f" % (ns / 1e6)


def table(results):
    """Markdown rows: DomU i's creation and entry on each hypervisor (ms
    from reset), and the ratio of the entries."""
    lines = ["| DomU (domain id) | Orchid: created | Orchid: first insn "
             "| Xen 4.17: created | Xen 4.17: first insn | Orchid/Xen |",
             "|---|---:|---:|---:|---:|---:|"]
    orchid, xen = results.get("orchid", {}), results.get("xen", {})
    for i, name in enumerate(NAMES):
        o, x = orchid.get(i + 1), xen.get(i + 1)
        ratio = "%.2f" % (o[1] / x[1]) if o and x else "-"
        lines.append("| %s (d%d) | %s | %s | %s | %s | %s |" % (
            name, i + 1, ms(o[0]) if o else "-", ms(o[1]) if o else "-",
            ms(x[0]) if x else "-", ms(x[1]) if x else "-", ratio))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--only", choices=("orchid", "xen"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results",
                                                  "dom0less-boot.md"))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--no-linux", action="store_true",
                    help="skip the Linux rows (minutes of wall clock)")
    args = ap.parse_args()
    release = os.path.join(args.build, "bench-release", "build", "orchid.bin")
    images = {"orchid": release if os.path.exists(release)
              else guest_tests.hv_image(args.build, "orchid"),
              "xen": guest_tests.hv_image(args.build, "xen")}
    hvs = [hv for hv in ("orchid", "xen") if not args.only or hv == args.only]
    bad = []
    runs = {}
    for tag, xen_args in (("boot", None),
                          ("noscrub", dom0less.XEN_ARGS + " bootscrub=0")):
        runs[tag] = {}
        for hv in hvs:
            entries, log = run_one(args.build, hv, images[hv], tag, xen_args)
            runs[tag][hv] = entries
            print("%s %s (%s): %s (log %s)" % (
                tag, hv, images[hv], ", ".join(
                    "d%d %s ms" % (d, ms(e[1]))
                    for d, e in sorted(entries.items())), log))
            if len(entries) != len(NAMES):
                bad.append("%s %s: %d of %d DomUs reached their first "
                           "instruction" % (tag, hv, len(entries), len(NAMES)))
    restart = None
    if "orchid" in hvs:
        restart, log = run_restart(args.build, images["orchid"])
        print("restart: %s (log %s)" % (restart, log))
        if not restart:
            bad.append("restart: no restarted first instruction")
    linux = {}
    if not args.no_linux:
        # Debian's kernel and the DomU initramfs, as dom0less-linux's.
        _, error = toolstack_cases.toolstack_material(args.build)
        if error:
            bad.append("linux: no guest material: " + error.strip()[-200:])
            args.no_linux = True
    if not args.no_linux:
        plain_initramfs(args.build)
    for variant, _, _ in VARIANTS:
        for key, hv, smp in (("orchid", "orchid", 1), ("xen", "xen", 1),
                             ("orchid-smp3", "orchid", 3)):
            if hv not in hvs or args.no_linux:
                continue
            k = (key, variant)
            linux[k], log = run_linux(args.build, hv, images[hv], smp,
                                      variant)
            print("linux %s %s: %s (log %s)" % (key, variant, {
                d: ms(v) for d, v in sorted(linux[k].items())}, log))
            if len(linux[k]) != 3:
                bad.append("linux %s %s: %d of 3 markers" % (
                    key, variant, len(linux[k])))
    lines = (table(runs["boot"]) + [""] + summary(runs["boot"]) +
             scrub_note(runs) +
             ["", "With `bootscrub=0` on both (boot memory handed to the "
              "DomUs as it is: the row isolates what the scrub costs):", ""] +
             table(runs["noscrub"]) + [""] + summary(runs["noscrub"], False) +
             [""] + restart_lines(restart) +
             (linux_all(linux) if linux else []))
    print("\n".join(lines))
    if not args.no_write and not args.only:
        write(args.out, images, lines)
    for b in bad:
        print("dom0less-boot: " + b, file=sys.stderr)
    return 1 if bad else 0


def restart_lines(restart):
    if not restart:
        return []
    entry, made = restart
    return ["Restart (Orchid only; Xen 4.17 cannot restart a boot-time "
            "domain): the first DomU, `orchid,on-crash = \"restart\"`, "
            "prints CNTPCT and crashes (SCHEDOP_shutdown) right after its first "
            "instruction; the other two power off after theirs.", "",
            "| From the crash to | Orchid |", "|---|---:|",
            "| the new incarnation created | %s |" % ms(made),
            "| its first instruction (the bare-metal guest's marker) | %s |"
            % ms(entry)]


def start_policy(r):
    """When the DomUs start, from the times: each before the next is
    created, or all once the last is built."""
    times = [r[d] for d in sorted(r)]
    if all(times[i][1] < times[i + 1][0] for i in range(len(times) - 1)):
        return "each starts once built, before the next is built"
    return "all start once the last is built"


def summary(results, goal=True):
    """The goal, and what one more DomU costs each hypervisor to build."""
    out = []
    for hv, label in (("orchid", "Orchid"), ("xen", "Xen 4.17")):
        r = results.get(hv, {})
        if len(r) != len(NAMES):
            continue
        made = [r[d][0] for d in sorted(r)]
        first = min(t[1] for t in r.values())
        per = (made[-1] - made[0]) / (len(made) - 1)
        out.append("- %s: first DomU instruction %s ms after reset; the first "
                   "DomU created at %s ms; each further 64 MiB DomU %s ms "
                   "later; %s." % (label, ms(first), ms(made[0]), ms(per),
                                   start_policy(r)))
    if goal and len(results.get("orchid", {})) == len(NAMES):
        first = min(t[1] for t in results["orchid"].values()) / 1e6
        out.append("- Goal: the first DomU instruction within %.0f ms: %s "
                   "(%.3f ms)." % (GOAL_FIRST_MS, "met" if first <=
                                   GOAL_FIRST_MS else "missed", first))
        if len(results.get("xen", {})) == len(NAMES):
            speed = min(t[1] for t in results["xen"].values()) / 1e6 / first
            out.append("- Goal: at least %.1fx faster than Xen 4.17 to the "
                       "first DomU instruction: %s (%.2fx)." % (
                           GOAL_SPEEDUP, "met" if speed >= GOAL_SPEEDUP
                           else "missed", speed))
    return out


def scrub_note(runs):
    """What the scrub costs Orchid, from the two runs."""
    o, n = runs["boot"].get("orchid", {}), runs["noscrub"].get("orchid", {})
    if len(o) != len(NAMES) or len(n) != len(NAMES):
        return []
    first = min(t[1] for t in o.values()) / 1e6
    cost = first - min(t[1] for t in n.values()) / 1e6
    scrubbed = "the three DomUs' 192 MiB" if \
        start_policy(o).startswith("all") else "the first DomU's 64 MiB"
    return ["- %s: zeroing %s and writing it back to RAM (DC ZVA + DC "
            "CIVAC, about 3.25 instructions per 64-byte line, so a guest "
            "with its caches off sees zeros, not a previous boot's data; "
            "Xen 4.17 does the same by default, bootscrub=idle and "
            "flush_page_to_ram) takes %.3f ms of it on the one pCPU, before "
            "the first DomU runs; everything else takes %.3f ms (the "
            "`bootscrub=0` run below)." % (
                "Why 10 ms is missed" if first > GOAL_FIRST_MS
                else "Where the time goes", scrubbed, cost, first - cost)]


def write(path, images, lines):
    head = [
        "# Boot-time DomUs: reset to each DomU's first instruction",
        "",
        "`make bench-dom0less` (bench/dom0less_boot.py), %s. QEMU virt, "
        "GICv3, cortex-a57, `-icount shift=0,sleep=off -smp 1` (1 ns = 1 "
        "instruction, idle time warped, so runs repeat exactly; Xen 4.17 "
        "needs one CPU under icount), no Dom0, three "
        "boot-time DomUs of the bare-metal test guest (`mode=first`, 64 MiB, "
        "one vCPU, vpl011) from one DTB. Each DomU's first instruction "
        "reads CNTPCT_EL0, which counts from reset. Orchid: %s (release "
        "build); Xen: Debian's xen-hypervisor-4.17-arm64 (release)."
        % (datetime.date.today().isoformat(),
           os.path.relpath(images["orchid"], ROOT)),
        ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(head + lines) + "\n")
    print("dom0less-boot: table written to %s" % path)


if __name__ == "__main__":
    sys.exit(main())
