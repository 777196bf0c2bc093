#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Toolstack benchmark: Xen 4.17's xl creating and destroying a DomU, and
event channels between Dom0 and that DomU, on Orchid against Xen 4.17.

Both hypervisors boot Debian's arm64 Linux as Dom0 with the toolstack
initramfs of `tools/fetch-guest.sh --toolstack` (Debian's xl, xenstored,
xenconsoled, a DomU kernel + initramfs), the same DTB and command lines
(tests/system/dom0.py), Dom0's /init in orchid.test=toolstack-bench mode
(tests/guest/init-dom0-toolstack.sh), on QEMU virt, GICv3, `-smp 1
-icount shift=0` (guest time = instructions: deterministic; Xen 4.17 hangs
with -icount and more than one CPU), dom0_max_vcpus=1. Each run reports:

  * xl create -c of a 1-vCPU, 128 MiB DomU until its user space prints its
    marker on its PV console: Dom0 /proc/uptime delta (guest time) and host
    wall; the DomU's own uptime at its marker;
  * xl create of a 1-vCPU, 128 MiB bare-metal DomU (tests/baremetal,
    mode=first) to its first instruction: the DomU's virtual counter read
    there (tests/baremetal/head.S), which Xen and Orchid both start at
    XEN_DOMCTL_createdomain;
  * xl destroy of a running 128 MiB DomU: Dom0 uptime delta and host wall;
  * event-channel ping-pong between Dom0 and that DomU user space
    (bench/evtchn_pingpong.c over /dev/xen/evtchn, the DomU's port found
    through xenstore): round trips per second of guest time;
  * bench/hcbench: a xen_version hypercall through /dev/xen/privcmd, ns.

N runs each (median shown); a hypervisor that fails, or whose console is
silent for --idle seconds, is "n/a" with the reason. Results:
bench/results/toolstack.md.

  bench/toolstack.py [--runs 3] [--orchid build/orchid.bin]
                     [--xen build/guest/xen] [--only xen|orchid]
"""
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import dom0  # noqa: E402
import guest_domu  # noqa: E402
import qemu  # noqa: E402
from benchlib import (XEN_ARGS, arg_parser, failures,  # noqa: E402
                      kernel_version, metric_rows, parse_args, provenance,
                      run_series, run_table, shown_command,
                      write_report)
MEM = 2048


def marker(name):
    """ORCHID-BENCH <name> ... uptime=<s>"""
    return re.compile(r"^ORCHID-BENCH %s\b.*?uptime=([0-9.]+)" % name, re.M)


READY = re.compile(r"^ORCHID-DOM0-READY hv=(\S+) uptime=([0-9.]+)", re.M)
START, END = marker("START"), marker("END")
CREATE_START, CREATE_END = marker("CREATE-START"), marker("CREATE-END")
DOMU_READY = re.compile(r"^ORCHID-BENCH DOMU-READY uptime=([0-9.]+) "
                        r"ORCHID-DOMU-READY .*uptime=([0-9.]+)", re.M)
DESTROY_START = marker("DESTROY-START")
DESTROY_END = re.compile(r"^ORCHID-BENCH DESTROY-END rc=(\d+) "
                         r"uptime=([0-9.]+)", re.M)
FIRST_INSN = re.compile(r"^ORCHID-BENCH FIRST-INSN cntvct=(\d+) "
                        r"cntfrq=(\d+)", re.M)
PINGPONG = re.compile(r"^PINGPONG n=(\d+) .*ns_per_round_trip=([0-9.]+) "
                      r"round_trips_per_s=([0-9.]+)", re.M)
HCALL = re.compile(r"^HCBENCH hypercall=xen_version n=(\d+) ret=(\S+) "
                   r"errors=(\d+) ns_per_call=([0-9.]+)", re.M)
# Dom0's kernel-log time of each event (microsecond resolution).
KTIME = re.compile(r"^\[ *([0-9.]+)\] ORCHID-BENCH-T (\S+)", re.M)
FAILS = re.compile(r"^(ORCHID-BENCH FAIL .*|PINGPONG FAIL .*|HCBENCH FAIL .*"
                   r"|ORCHID-TEST FAIL .*)$", re.M)

# Host-wall stamps: the moment each of these lines reached the console.
STAMPED = {"create_start": CREATE_START, "domu_ready": DOMU_READY,
           "destroy_start": DESTROY_START, "destroy_end": DESTROY_END}


def one_run(name, hv, dtb, guest, log, timeout, idle):
    """Boot once; returns a dict of numbers, plus "error" when incomplete."""
    res = {"name": name, "log": log}
    if not os.path.exists(hv):
        res["error"] = "no image %s" % hv
        return res
    args = dom0.qemu_args(hv, dtb, guest, gic=3, smp=1, mem=MEM,
                          disk=False, icount=True)
    run = dom0.WatchedQemuRun(args, log, timeout, idle)
    seen = {}

    def on_output(text, proc):
        now = time.monotonic() - t0
        for key, pattern in STAMPED.items():
            if key not in seen and pattern.search(text):
                seen[key] = now

    t0 = time.monotonic()
    out = run.run(on_output=on_output)
    res["wall_total"] = time.monotonic() - t0

    m = READY.search(out)
    if m:
        res["dom0_uptime"] = float(m.group(2))
    m = HCALL.search(out)
    if m and not int(m.group(3)):
        res["hcall_ns"] = float(m.group(4))
    ktime = {}
    for t, event in KTIME.findall(out):
        ktime.setdefault(event, float(t))

    def span(a, b):
        return ktime[b] - ktime[a] if a in ktime and b in ktime else None

    m = DOMU_READY.search(out)
    if m and "domu_ready" in seen:
        res["create_guest"] = span("CREATE-START", "DOMU-READY")
        res["domu_uptime"] = float(m.group(2))
        res["create_wall"] = seen["domu_ready"] - seen["create_start"]
    if CREATE_END.search(out):
        res["create_lifetime"] = span("CREATE-START", "CREATE-END")
    m = FIRST_INSN.search(out)
    if m and int(m.group(2)):
        res["first_insn"] = int(m.group(1)) / int(m.group(2))
    m = PINGPONG.search(out)
    if m:
        res["ping_ns"] = float(m.group(2))
        res["ping_per_s"] = float(m.group(3))
        res["pings"] = int(m.group(1))
    m = DESTROY_END.search(out)
    if m and m.group(1) == "0" and "destroy_end" in seen:
        res["destroy_guest"] = span("DESTROY-START", "DESTROY-END")
        res["destroy_wall"] = seen["destroy_end"] - seen["destroy_start"]
    for key in [k for k, v in res.items() if v is None]:
        del res[key]

    fails = FAILS.findall(out)
    if "dom0_uptime" not in res:
        res["error"] = "no Dom0 user space (%s)" % why_stopped(run, idle)
    elif fails:
        res["error"] = fails[0][:160]
    elif not END.search(out):
        res["error"] = "benchmark incomplete (%s)" % why_stopped(run, idle)
    elif run.timed_out:
        res["error"] = "did not power off within %ds" % timeout
    elif run.exit_code != 0:
        res["error"] = "QEMU exit status %s" % run.exit_code
    else:
        missing = [k for k in ("hcall_ns", "create_guest", "first_insn",
                               "ping_per_s", "destroy_guest")
                   if k not in res]
        if missing:
            res["error"] = "no result for %s" % ", ".join(missing)
    return res


def why_stopped(run, idle):
    if run.silent:
        return "console silent for %ds" % idle
    if run.timed_out:
        return "timeout %ds" % run.timeout
    return "QEMU exit %s" % run.exit_code


ROWS = [
    ("xl create -c to the DomU's user-space marker: Dom0 guest time, s",
     "create_guest", 3),
    ("the same: host wall, s", "create_wall", 2),
    ("DomU's own uptime at its marker, s", "domu_uptime", 3),
    ("xl create -c until it returns (DomU boots, checks, powers off): "
     "Dom0 guest time, s", "create_lifetime", 3),
    ("xl create to the DomU's first instruction (128 MiB bare-metal DomU, "
     "from XEN_DOMCTL_createdomain): guest time, s", "first_insn", 4),
    ("xl destroy of a 128 MiB DomU (running Linux): Dom0 guest time, s",
     "destroy_guest", 4),
    ("the same: host wall, s", "destroy_wall", 2),
    ("event-channel ping-pong Dom0 <-> DomU, round trips per second "
     "(guest time)", "ping_per_s", 0),
    ("the same: ns per round trip", "ping_ns", 0),
    ("xen_version hypercall via /dev/xen/privcmd, ns/call", "hcall_ns", 1),
    ("Dom0 user space reached: guest uptime, s", "dom0_uptime", 3),
    ("whole run: host wall, s", "wall_total", 1),
]


def report(results, opts, kver, cmd):
    xen, orch = results.get("xen", []), results.get("orchid", [])
    lines = [
        "# Toolstack benchmark: Orchid vs Xen 4.17",
        "",
        "Generated by `bench/toolstack.py` %s Dom0 and DomU: Debian's "
        "Linux %s; Dom0's initramfs: `tools/fetch-guest.sh --toolstack` "
        "(Debian's xl, xenstored, xenconsoled 4.17)." %
        (provenance(opts), kver),
        "",
        "QEMU `virt`, GICv3, `-cpu cortex-a57 -smp 1 -m %d -icount "
        "shift=0`: guest time counts instructions (1 ns = 1 instruction), "
        "so guest-time numbers are deterministic, host wall time is not. "
        "Dom0: 1 vCPU, 512 MiB; DomU: 1 vCPU, 128 MiB, sharing the one "
        "CPU. Median of %d runs each (a run that fails stops the series; what "
        "it measured before failing still counts, what it did not is "
        "`n/a`). hcbench: %d calls; ping-pong: %d round trips." % (MEM, opts.runs, opts.hcn, opts.pings),
        "",
        "Orchid / Xen: below 1 is better for times, above 1 for rates.",
        "",
        "| metric | Xen 4.17 | Orchid | Orchid / Xen |",
        "|---|---|---|---|",
    ]
    # A failed run's measurements before it failed still count.
    lines += metric_rows(ROWS, xen, orch, with_failed=True)
    lines += failures(xen, orch)
    lines += run_table(xen, orch, [
        ("create, guest s", "create_guest", 3),
        ("create, wall s", "create_wall", 2),
        ("first insn, guest s", "first_insn", 4),
        ("destroy, guest s", "destroy_guest", 4),
        ("round trips/s", "ping_per_s", 0), ("hypercall ns", "hcall_ns", 1)])
    lines += ["", "## Setup", "",
              "DTB (the same file for both): QEMU's own (`dumpdtb`) plus, in "
              "/chosen:", "",
              "    xen,xen-bootargs = \"%s\"" % XEN_ARGS,
              "    xen,dom0-bootargs = \"%s\"" % dom0_args(opts),
              "    multiboot,kernel  at %#x (Image)" % dom0.KERNEL_ADDR,
              "    multiboot,ramdisk at %#x (dom0-toolstack.cpio.gz)" %
              dom0.RAMDISK_ADDR, "",
              "QEMU command (Xen; Orchid: `-kernel build/orchid.bin`):", "",
              "    " + cmd, "",
              "In Dom0 (`tests/guest/init-dom0-toolstack.sh`, "
              "`run_toolstack_bench`): xenstored, xen-init-dom0, xenconsoled; "
              "hcbench; `xl create -c domu-hello.cfg` with every console line "
              "stamped with Dom0's uptime as it arrives; `xl create -c "
              "domu-baremetal.cfg memory=128 vcpus=1 extra=\"mode=first "
              "domu=1\"` (the bare-metal test guest, appended to the "
              "initramfs: it prints the virtual counter it read at its "
              "first instruction and powers off); `xl create "
              "domu-echo.cfg` (128 MiB), whose user space (`evtchn_pingpong "
              "echo`) publishes an unbound port in xenstore "
              "(`data/pingpong-port`); `evtchn_pingpong ping DOMID PORT N` in "
              "Dom0; `xl destroy domu-echo`.", ""]
    return "\n".join(lines)


def dom0_args(opts):
    return "%s orchid.test=toolstack-bench orchid.hcn=%d orchid.pings=%d" % (
        dom0.DOM0_ARGS, opts.hcn, opts.pings)


def main():
    ap = arg_parser(__doc__, 400, "toolstack.md")
    ap.add_argument("--pings", type=int, default=2000,
                    help="event-channel round trips")
    opts = parse_args(ap)
    # The toolstack initramfs plus the bare-metal guest (mode=first).
    guest, error = guest_domu.material(opts.build)
    if error:
        print(error)
        return 1
    kver = kernel_version(guest)
    tests_dir = os.path.join(opts.build, "tests")
    dtb = dom0.make_dtb(tests_dir, "bench-toolstack", 3, 1, guest.kernel,
                        guest.ramdisk, xen_args=XEN_ARGS,
                        dom0_args=dom0_args(opts), mem=MEM)
    results = run_series(
        opts, tests_dir, "bench-toolstack",
        lambda name, hv, log: one_run(name, hv, dtb, guest, log,
                                      opts.timeout, opts.idle),
        lambda r: "create %.3f s guest / %.2f s wall, first insn %.4f s, "
        "destroy %.4f s, %.0f round trips/s, hypercall %.1f ns" %
        (r["create_guest"], r["create_wall"], r["first_insn"],
         r["destroy_guest"], r["ping_per_s"], r["hcall_ns"]))
    cmd = shown_command(dom0.qemu_args(os.path.relpath(opts.xen, ROOT),
                                       os.path.relpath(dtb, ROOT), guest,
                                       gic=3, smp=1, mem=MEM, disk=False,
                                       icount=True), opts.build)
    text = report(results, opts, kver, cmd)
    write_report(text, opts.out)
    return 0


if __name__ == "__main__":
    sys.exit(qemu.cli("bench-toolstack", main))
