#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""PV I/O benchmark (issue 13): a DomU's PV disk and PV network served by
Dom0's unmodified Linux backends (xen-blkback, xen-netback), on Orchid
against Xen 4.17.

Both hypervisors boot Debian's arm64 Linux as Dom0 with the toolstack
initramfs of `tools/fetch-guest.sh --toolstack`, the same DTB and command
lines (tests/system/dom0.py), Dom0's /init in orchid.test=pvio-bench mode
(run_pvio_bench in tests/guest/init-dom0-toolstack.sh), on QEMU virt,
GICv3, `-smp 1 -icount shift=0` (guest time counts instructions, so the
numbers do not depend on the host's load; Xen 4.17 hangs under -icount
with more than one CPU), dom0_max_vcpus=1. xl creates a 1-vCPU, 128 MiB
DomU (orchid.domu=pvbench, tests/guest/init-domu.sh) whose xvda is Dom0's
RAM disk /dev/ram0 and whose eth0 is routed to Dom0's vif. Each run:

  * DomU: dd of --mb MiB in 64 KiB blocks to xvda (conv=fsync), then
    from it (page cache dropped first), timed with the DomU's clock, and
    sent to Dom0's TCP port 5000: Dom0 waits in accept(), quiet, not
    polling the DomU's console log (a poll's fork+execs, ~4 ms of a
    30 ms read, landed in Orchid's read window: that row read 0.88);
  * Dom0: ping -c --pings to the DomU: the average round trip;
  * Dom0: busybox nc streams --mb MiB to the DomU and back, timed with
    Dom0's clock (kernel-log printk time, microseconds).

Results: bench/results/pvio.md.

  bench/pvio.py [--runs 1] [--mb 8] [--pings 10] [--only xen|orchid]
"""
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import dom0  # noqa: E402
import qemu  # noqa: E402
import toolstack_cases  # noqa: E402
from benchlib import (XEN_ARGS, arg_parser, failures,  # noqa: E402
                      kernel_version, metric_rows, parse_args, provenance,
                      run_series, run_table, shown_command,
                      write_report)
MEM = 2048

END = re.compile(r"^ORCHID-BENCH END ", re.M)
DISK = re.compile(r"^ORCHID-BENCH PVBENCH disk-(write|read) mb=(\d+) "
                  r"us=(\d+)", re.M)
PING = re.compile(r"^ORCHID-BENCH ping min/avg/max = ([0-9.]+)/([0-9.]+)/",
                  re.M)
NET_TX = re.compile(r"^ORCHID-BENCH net-tx mb=(\d+) us=(\d+)", re.M)
NET_RX = re.compile(r"^ORCHID-BENCH net-rx bytes=(\d+) us=(\d+)", re.M)
FAILS = re.compile(r"^(ORCHID-BENCH FAIL .*|ORCHID-TEST FAIL .*)$", re.M)


def mb_per_s(nbytes, us):
    return nbytes / (1 << 20) / (us / 1e6) if us > 0 else None


def parse(out, res):
    for kind, mb, us in DISK.findall(out):
        res["disk_" + kind] = mb_per_s(int(mb) << 20, int(us))
    m = PING.search(out)
    if m:
        res["ping_ms"] = float(m.group(2))
    m = NET_TX.search(out)
    if m:
        res["net_tx"] = mb_per_s(int(m.group(1)) << 20, int(m.group(2)))
    m = NET_RX.search(out)
    if m:
        res["rx_bytes"] = int(m.group(1))
        res["net_rx"] = mb_per_s(int(m.group(1)), int(m.group(2)))


def one_run(name, hv, dtb, guest, log, opts):
    """Boot once; returns a dict of numbers, plus "error" when incomplete."""
    res = {"name": name, "log": log}
    if not os.path.exists(hv):
        res["error"] = "no image %s" % hv
        return res
    args = dom0.qemu_args(hv, dtb, guest, gic=3, smp=1, mem=MEM,
                          disk=False, icount=True)
    run = dom0.WatchedQemuRun(args, log, opts.timeout, opts.idle)
    t0 = time.monotonic()
    out = run.run()
    res["wall_total"] = time.monotonic() - t0
    parse(out, res)
    res = {k: v for k, v in res.items() if v is not None}
    fails = FAILS.findall(out)
    want = opts.mb << 20
    if fails:
        res["error"] = fails[0][:160]
    elif not END.search(out):
        res["error"] = "benchmark incomplete (%s)" % (
            "console silent for %ds" % opts.idle if run.silent else
            "timeout" if run.timed_out else
            "QEMU exit %s" % run.exit_code)
    elif res.get("rx_bytes") != want:
        res["error"] = "Dom0 received %s bytes from the DomU, not %d" % (
            res.get("rx_bytes"), want)
    else:
        missing = [k for k in ("disk_write", "disk_read", "ping_ms",
                               "net_tx", "net_rx") if k not in res]
        if missing:
            res["error"] = "no result for %s" % ", ".join(missing)
    return res


ROWS = [
    ("DomU writes xvda (dd 64 KiB blocks, conv=fsync), MiB/s", "disk_write",
     1),
    ("DomU reads xvda (dd 64 KiB blocks, cold cache), MiB/s", "disk_read", 1),
    ("TCP Dom0 -> DomU (busybox nc), MiB/s", "net_tx", 2),
    ("TCP DomU -> Dom0 (busybox nc), MiB/s", "net_rx", 2),
    ("ping Dom0 -> DomU, average round trip, ms", "ping_ms", 3),
    ("whole run: host wall, s", "wall_total", 1),
]


def report(results, opts, kver, cmd):
    xen, orch = results.get("xen", []), results.get("orchid", [])
    lines = [
        "# PV I/O benchmark: Orchid vs Xen 4.17",
        "",
        "Generated by `bench/pvio.py` (`make bench-pvio`) %s Dom0 and "
        "DomU: Debian's Linux %s with its own xen-blkback/xen-netback "
        "(Dom0) and xen-blkfront/xen-netfront (DomU)." %
        (provenance(opts), kver),
        "",
        "QEMU `virt`, GICv3, `-cpu cortex-a57 -smp 1 -m %d -icount "
        "shift=0`: guest time counts instructions (1 ns = 1 instruction), "
        "so the rates are per guest second and do not depend on the "
        "host's load. Dom0: 1 vCPU, 512 MiB; DomU: 1 vCPU, 128 MiB, sharing "
        "the one CPU. xvda: Dom0's RAM disk /dev/ram0 (brd), `phy:` through "
        "blkback; network: the DomU's eth0 routed to Dom0's vif "
        "(10.77.0.2 / 10.77.0.1). %d MiB per transfer, %d pings; median of "
        "%d run(s) each." % (MEM, opts.mb, opts.pings, opts.runs),
        "",
        "Orchid / Xen: above 1 is better for rates, below 1 for times.",
        "",
        "| metric | Xen 4.17 | Orchid | Orchid / Xen |",
        "|---|---|---|---|",
    ]
    lines += metric_rows(ROWS, xen, orch, with_failed=True)
    lines += failures(xen, orch)
    lines += run_table(xen, orch, [
        ("disk write", "disk_write", 1), ("disk read", "disk_read", 1),
        ("TCP tx", "net_tx", 2), ("TCP rx", "net_rx", 2),
        ("ping ms", "ping_ms", 3)])
    lines += ["", "## Setup", "",
              "    xen,xen-bootargs = \"%s\"" % XEN_ARGS,
              "    xen,dom0-bootargs = \"%s\"" % dom0_args(opts), "",
              "QEMU command (Xen; Orchid: `-kernel build/orchid.bin`):", "",
              "    " + cmd, ""]
    return "\n".join(lines)


def dom0_args(opts):
    return "%s orchid.test=pvio-bench orchid.pvmb=%d orchid.pvpings=%d" % (
        dom0.DOM0_ARGS, opts.mb, opts.pings)


def main():
    ap = arg_parser(__doc__, 900, "pvio.md")
    # xl create of the DomU (a silent step) takes minutes of host time.
    ap.set_defaults(runs=1, idle=300)
    ap.add_argument("--mb", type=int, default=8,
                    help="MiB per disk and network transfer (at most 32)")
    ap.add_argument("--pings", type=int, default=10)
    opts = parse_args(ap)
    guest, error = toolstack_cases.toolstack_material(opts.build)
    if error:
        print(error)
        return 1
    kver = kernel_version(guest)
    tests_dir = os.path.join(opts.build, "tests")
    dtb = dom0.make_dtb(tests_dir, "bench-pvio", 3, 1, guest.kernel,
                        guest.ramdisk, xen_args=XEN_ARGS,
                        dom0_args=dom0_args(opts), mem=MEM)
    results = run_series(
        opts, tests_dir, "bench-pvio",
        lambda name, hv, log: one_run(name, hv, dtb, guest, log, opts),
        lambda r: "disk w %.1f r %.1f MiB/s, TCP tx %.2f rx %.2f MiB/s, "
        "ping %.3f ms" % (r["disk_write"], r["disk_read"], r["net_tx"],
                          r["net_rx"], r["ping_ms"]))
    cmd = shown_command(dom0.qemu_args(os.path.relpath(opts.xen, ROOT),
                                       os.path.relpath(dtb, ROOT), guest,
                                       gic=3, smp=1, mem=MEM, disk=False,
                                       icount=True), opts.build)
    write_report(report(results, opts, kver, cmd), opts.out)
    return 0


if __name__ == "__main__":
    sys.exit(qemu.cli("bench-pvio", main))
