#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Dom0 boot benchmark: Orchid against Xen 4.17, same everything else.

Both hypervisors boot Debian's arm64 Linux as Dom0 with the same kernel,
initramfs and DTB (tests/system/dom0.py: the Dom0 test setup, with
dom0_max_vcpus=1 and the Dom0 command line orchid.test=bench), on QEMU
virt with `-smp 1 -icount shift=0`: guest time is then one nanosecond per
guest instruction, so guest-side numbers are deterministic instruction
counts. (Xen 4.17 hangs in its boot with -icount and more than one CPU.)

Each run reports:
  * guest uptime at the Dom0 user-space marker (ORCHID-DOM0-READY), from
    Dom0's /proc/uptime (starts at Linux's timekeeping init);
  * Dom0 kernel's printk time of "Run /init as init process" (sched_clock,
    from the kernel's start, microseconds);
  * host wall seconds from starting QEMU to that marker;
  * bench/hcbench: ns per xen_version hypercall issued from Dom0 user space
    through /dev/xen/privcmd (and ns per getppid syscall, the baseline).
N runs each (median shown); a hypervisor that fails or times out is
reported "n/a" with the reason. Results: bench/results/dom0-boot.md.

  bench/dom0-boot.py [--runs 3] [--orchid build/orchid.bin]
                     [--xen build/guest/xen] [--hcn 20000] [--only xen]
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import dom0  # noqa: E402
import qemu  # noqa: E402

XEN_ARGS = ("console=dtuart dtuart=/pl011@9000000 dom0_mem=512M "
            "dom0_max_vcpus=1")
READY = re.compile(r"^ORCHID-DOM0-READY hv=(\S+) uptime=([0-9.]+)", re.M)
HCALL = re.compile(r"^HCBENCH hypercall=xen_version n=(\d+) ret=(\S+) "
                   r"errors=(\d+) ns_per_call=([0-9.]+)", re.M)
SYSCALL = re.compile(r"^HCBENCH syscall=getppid n=\d+ ns_per_call=([0-9.]+)",
                     re.M)
RUN_INIT = re.compile(r"^\[ *([0-9.]+)\] Run /init as init process", re.M)
BENCH_END = re.compile(r"^ORCHID-BENCH END uptime=([0-9.]+)", re.M)


def one_run(name, hv, dtb, guest, log, timeout, idle):
    """Boot once; returns a dict of numbers, or {"error": why}."""
    if not os.path.exists(hv):
        return {"error": "no image %s" % hv, "log": log, "name": name}
    args = dom0.qemu_args(hv, dtb, guest, gic=3, smp=1, icount=True)
    run = dom0.WatchedQemuRun(args, log, timeout, idle)
    seen = {}

    def on_output(text, proc):
        if "ready" not in seen and READY.search(text):
            seen["ready"] = time.monotonic() - t0

    t0 = time.monotonic()
    out = run.run(on_output=on_output)
    wall_total = time.monotonic() - t0
    res = {}
    m = READY.search(out)
    if m:
        res["uptime"] = float(m.group(2))
        res["wall"] = seen["ready"]
        res["hv_type"] = m.group(1)
    m = RUN_INIT.search(out)
    if m:
        res["run_init"] = float(m.group(1))
    m = HCALL.search(out)
    if m:
        res["hcall_ns"] = float(m.group(4))
        res["hcall_ret"] = m.group(2)
        if int(m.group(3)):
            res["error"] = "%s hypercalls returned another value" % m.group(3)
    m = SYSCALL.search(out)
    if m:
        res["syscall_ns"] = float(m.group(1))
    m = BENCH_END.search(out)
    if m:
        res["end_uptime"] = float(m.group(1))
    res["wall_total"] = wall_total
    if "error" not in res:
        if "uptime" not in res:
            if run.silent:
                why = "console silent for %ds" % idle
            elif run.timed_out:
                why = "timeout %ds" % timeout
            else:
                why = "QEMU exit %s" % run.exit_code
            res["error"] = "no Dom0 user space (%s)" % why
        elif "hcall_ns" not in res:
            res["error"] = "no hypercall result"
        elif run.timed_out:
            res["error"] = "did not power off within %ds" % timeout
        elif run.exit_code != 0:
            res["error"] = "QEMU exit status %s" % run.exit_code
    res["log"] = log
    res["name"] = name
    return res


def median(runs, key):
    vals = [r[key] for r in runs if key in r and "error" not in r]
    return statistics.median(vals) if vals else None


def fmt(v, digits):
    return "n/a" if v is None else "%.*f" % (digits, v)


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else "%.2f" % (a / b)


def git_describe():
    try:
        return subprocess.run(["git", "-C", ROOT, "describe", "--always",
                               "--dirty", "--tags"], capture_output=True,
                              text=True).stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def report(results, opts, dtb, kver, cmd_example):
    xen, orch = results.get("xen", []), results.get("orchid", [])
    rows = [
        ("Dom0 user space reached: guest uptime, s (ORCHID-DOM0-READY)",
         "uptime", 3),
        ("Dom0 kernel log time at 'Run /init as init process', s",
         "run_init", 6),
        ("Dom0 user space reached: host wall from QEMU start, s", "wall", 2),
        ("xen_version hypercall via /dev/xen/privcmd, ns/call", "hcall_ns",
         1),
        ("getppid syscall (baseline), ns/call", "syscall_ns", 1),
        ("whole run (boot, bench, poweroff): host wall, s", "wall_total", 2),
    ]
    lines = [
        "# Dom0 boot benchmark: Orchid vs Xen 4.17",
        "",
        "Generated by `bench/dom0-boot.py` on %s (%s, %d CPUs, %s)." %
        (datetime.date.today().isoformat(), platform.node() or "host",
         os.cpu_count() or 0, qemu_version()),
        "Orchid: `%s` (%s). Xen: Debian's `xen-hypervisor-4.17-arm64` "
        "(`%s`). Dom0: Debian's Linux %s, initramfs of "
        "`tools/fetch-guest.sh`." % (os.path.relpath(opts.orchid, ROOT),
                                     git_describe(),
                                     os.path.relpath(opts.xen, ROOT), kver),
        "",
        "QEMU `virt`, GICv3, `-cpu cortex-a57 -smp 1 -m 2048 -icount "
        "shift=0`: guest time counts instructions (1 ns = 1 instruction), so "
        "guest-side numbers are deterministic; host wall time is not. "
        "Median of %d runs each; a hypervisor that fails is `n/a`. "
        "hcbench: %d calls per loop." % (opts.runs, opts.hcn),
        "",
        "| metric | Xen 4.17 | Orchid | Orchid / Xen |",
        "|---|---|---|---|",
    ]
    for label, key, digits in rows:
        x, o = median(xen, key), median(orch, key)
        lines.append("| %s | %s | %s | %s |" %
                     (label, fmt(x, digits), fmt(o, digits), ratio(o, x)))
    for label, runs in (("Xen 4.17", xen), ("Orchid", orch)):
        errors = [r["error"] for r in runs if "error" in r]
        if errors:
            lines += ["", "%s: %d of %d runs failed: %s." %
                      (label, len(errors), len(runs), errors[0])]
    lines += ["", "## Runs", "",
              "| hypervisor | run | guest uptime at marker, s | wall to "
              "marker, s | hypercall ns | syscall ns | status | log |",
              "|---|---|---|---|---|---|---|---|"]
    for label, runs in (("Xen 4.17", xen), ("Orchid", orch)):
        for i, r in enumerate(runs):
            lines.append("| %s | %d | %s | %s | %s | %s | %s | `%s` |" % (
                label, i + 1, fmt(r.get("uptime"), 3), fmt(r.get("wall"), 2),
                fmt(r.get("hcall_ns"), 1), fmt(r.get("syscall_ns"), 1),
                r.get("error", "ok"), os.path.relpath(r["log"], ROOT)))
    lines += ["", "## Setup", "",
              "DTB (the same file for both): QEMU's own (`dumpdtb`) plus, in "
              "/chosen:", "",
              "    xen,xen-bootargs = \"%s\"" % XEN_ARGS,
              "    xen,dom0-bootargs = \"%s orchid.test=bench "
              "orchid.hcn=%d\"" % (dom0.DOM0_ARGS, opts.hcn),
              "    multiboot,kernel  at %#x (Image)" % dom0.KERNEL_ADDR,
              "    multiboot,ramdisk at %#x (dom0.cpio.gz)" %
              dom0.RAMDISK_ADDR, "",
              "QEMU command (Xen; Orchid: `-kernel build/orchid.bin`):", "",
              "    " + cmd_example, ""]
    return "\n".join(lines)


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-aarch64", "--version"],
                             stdin=subprocess.DEVNULL,
                             capture_output=True, text=True).stdout
        return out.splitlines()[0].replace("QEMU emulator version", "QEMU")
    except (OSError, IndexError):
        return "QEMU ?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--orchid", default=None,
                    help="Orchid image (default BUILD/orchid.bin)")
    ap.add_argument("--xen", default=None,
                    help="Xen image (default BUILD/guest/xen)")
    ap.add_argument("--hcn", type=int, default=20000,
                    help="hypercalls per hcbench loop")
    ap.add_argument("--timeout", type=int, default=180,
                    help="seconds per QEMU run")
    ap.add_argument("--idle", type=int, default=60,
                    help="give up after this many seconds without output")
    ap.add_argument("--only", choices=("xen", "orchid"))
    ap.add_argument("--out", default=os.path.join(HERE, "results",
                                                  "dom0-boot.md"))
    opts = ap.parse_args()
    opts.orchid = opts.orchid or os.path.join(opts.build, "orchid.bin")
    opts.xen = opts.xen or os.path.join(opts.build, "guest", "xen")

    guest = dom0.Guest(opts.build)
    if guest.fetch(quiet=True):
        return 1
    with open(os.path.join(guest.dir, "kernel.version")) as f:
        kver = f.read().strip()
    tests_dir = os.path.join(opts.build, "tests")
    dtb = dom0.make_dtb(tests_dir, "bench-dom0-boot", 3, 1, guest.kernel,
                        guest.ramdisk, xen_args=XEN_ARGS,
                        dom0_args="%s orchid.test=bench orchid.hcn=%d" %
                        (dom0.DOM0_ARGS, opts.hcn))
    hvs = [("xen", opts.xen), ("orchid", opts.orchid)]
    results = {}
    for name, hv in hvs:
        if opts.only and name != opts.only:
            continue
        results[name] = []
        for i in range(opts.runs):
            log = os.path.join(tests_dir, "bench-dom0-boot-%s-%d.log" %
                               (name, i + 1))
            r = one_run(name, hv, dtb, guest, log, opts.timeout, opts.idle)
            results[name].append(r)
            print("%-6s run %d: %s" % (name, i + 1, r.get("error") or
                  "uptime %.3f s, wall %.2f s, hypercall %.1f ns, "
                  "syscall %.1f ns" % (r["uptime"], r["wall"],
                                       r["hcall_ns"],
                                       r.get("syscall_ns", 0))))
            sys.stdout.flush()
            # Guest time is deterministic: a run that never reached Dom0
            # user space fails the same way again.
            if r.get("error", "").startswith(("no image", "no Dom0")):
                break
    cmd = " ".join(dom0.qemu_args(os.path.relpath(opts.xen, ROOT),
                                  os.path.relpath(dtb, ROOT), guest, gic=3,
                                  smp=1, icount=True))
    cmd = cmd.replace(os.path.abspath(opts.build) + "/", "build/")
    text = report(results, opts, dtb, kver, cmd)
    os.makedirs(os.path.dirname(opts.out), exist_ok=True)
    with open(opts.out, "w") as f:
        f.write(text)
    print(text.split("## Runs")[0].rstrip())
    print("\nwritten to %s" % os.path.relpath(opts.out, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(qemu.cli("bench-dom0", main))
