#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the guest-side fuzzer (tests/baremetal/fuzz*.c) as Dom0 or a DomU.

The bare-metal test guest boots with `mode=fuzz seed=S n=N start=I`: it
runs operations I..N-1 of seed S (each drawn from a PRNG seeded with S and
its index), prints `fuzz: seed S op I` every `--every` operations, runs a
sanity pass, prints `Test result: SUCCESS fuzz seed S ops N` and powers
off. This runner reports one of

  SUCCESS   the result line came, the sanity pass held
  FAILURE   the sanity pass failed: the hypervisor answers wrongly now
  CRASH     the hypervisor panicked or dumped a call trace
  HANG      the console stayed silent for --idle seconds
  ERROR     the guest took an exception it did not expect, or QEMU ended
            without a result line (a fuzzer bug, or a hypervisor that
            injected what it should not have)

with the last operation index seen, so a failure replays with
`make fuzz SEED=S N=<index + 1000>` (start=I skips the operations before
I, and the state they built: replay from 0 for an exact rerun; trace=1 on
the guest's command line prints every operation).

  tests/system/fuzz.py --seed S --n N [--start I] [--hv orchid|xen]
                       [--image FILE] [--coverage] [--cov-json FILE]
                       [--record FILE] [--smp 2] [--gic 3] [--domu]
                       [--racer]

--racer brings vCPU 1 up to run hypercalls of its own stream while vCPU 0
runs the operations (racer=1: races on the domain's shared objects;
interleavings depend on timing, so a failure replays only by chance).

--domu runs the same guest as a DomU that Debian's xl creates in Debian's
Linux Dom0 (tests/system/guest_domu.py; needs the toolstack material in
ORCHID_CACHE); after the run Dom0 checks the DomU is gone, free memory is
back and a next domain is built, and any of those failing is a FAILURE.

--coverage expects an Orchid built with CONFIG_HYPERCALL_COVERAGE (`make
fuzz COV=1`) and summarises its `hccov:` table; --cov-json merges the
counts into FILE across runs. --record appends one line per run (date,
hypervisor, seed, start, N, outcome, wall time, ops/s, last index).
Exits non-zero unless the outcome is SUCCESS.
"""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dom0  # noqa: E402
import guest_tests  # noqa: E402
from qemu import cli  # noqa: E402

PROGRESS = re.compile(r"fuzz: seed (\d+) op (\d+)")
RESULT = re.compile(r"Test result: (SUCCESS|FAILURE|SKIP|ERROR)(?: (.*))?$",
                    re.M)
# A call trace alone may be a WARN, after which Xen goes on (WARNS).
CRASH = re.compile(r"Panic on CPU|FATAL PAGE FAULT|"
                   r"Hardware domain (crash|watchdog)|Hardware Dom0 crashed|"
                   r"System halted\.|Assertion '.*' failed")
WARNS = re.compile(r"Xen WARN at \S+|WARN_ON at \S+|WARNING at \S+")
COV_LINE = re.compile(
    r"hccov: (\d+) (\S+) (\d+) ok (\d+) enosys (\d+) err (\d+)$", re.M)
COV_END = r"hccov: end\n"


def fuzz_run(build, hv, image, seed, n, start=0, every=1000, smp=2, gic=3,
             idle=30, timeout=None, coverage=False, name=None, kernel=None,
             trace=False, racer=False, guest_args="", gdb=None):
    """Boot the fuzzer once. Returns a dict: outcome, detail, last (the
    last operation index seen), wall (seconds), log, output."""
    out_dir = os.path.join(build, "tests")
    name = name or "fuzz-%s-%d" % (hv, seed)
    log = os.path.join(out_dir, name + ".log")
    kernel = kernel or os.path.join(build, guest_tests.TESTS["baremetal"])
    for path in (kernel, image):
        if not os.path.exists(path):
            return {"outcome": "ERROR", "detail": "no %s" % path,
                    "last": None, "wall": 0, "log": log, "output": ""}
    bootargs = "mode=fuzz seed=%d n=%d start=%d every=%d" % (
        seed, n, start, every) + (" trace=1" if trace else "") + \
        (" racer=1" if racer else "") + \
        (" xen_quirks=1" if hv == "xen" else "") + \
        (" " + guest_args if guest_args else "")
    if timeout is None:
        timeout = 120 + (n - start) // 200
    dtb = dom0.make_dtb(out_dir, name, gic, smp, kernel, None,
                        xen_args=guest_tests.XEN_ARGS, dom0_args=bootargs)
    args = dom0.qemu_args(image, dtb, guest_tests.BareGuest(kernel), gic,
                          smp, disk=False)
    if gdb:  # QEMU's gdbstub, to inspect a hang live
        args = args + ["-gdb", "tcp::%d" % gdb]
    run = dom0.WatchedQemuRun(args, log, timeout, idle=idle)
    began = time.monotonic()
    stops = [COV_END] if coverage else [RESULT.pattern + r"\n"]
    out = run.run(stop_patterns=stops + [CRASH.pattern + r".*\n"])
    wall = time.monotonic() - began
    seen = [int(m.group(2)) for m in PROGRESS.finditer(out)
            if int(m.group(1)) == seed]
    last = max(seen) if seen else None
    m = RESULT.search(out)
    # After the result line the machine powers off: what it says then is
    # no crash of the run's making.
    crash = CRASH.search(out[:m.start()] if m else out)
    if crash:
        outcome, detail = "CRASH", crash.group(0)
    elif m and m.group(1) == "SUCCESS":
        outcome, detail = "SUCCESS", m.group(2) or ""
    elif m and m.group(1) == "FAILURE":
        outcome, detail = "FAILURE", m.group(2) or ""
    elif m:
        outcome, detail = "ERROR", m.group(2) or ""
    elif run.silent:
        outcome, detail = "HANG", "console silent for %d s" % idle
    elif run.timed_out:
        outcome, detail = "HANG", "no result after %d s" % timeout
    else:
        outcome, detail = "ERROR", "QEMU ended (status %s) with no " \
            "result line" % run.exit_code
    warns = sorted(set(m.group(0) for m in WARNS.finditer(out)))
    if warns:
        detail += " (hypervisor warnings: %s)" % ", ".join(warns)
    return {"outcome": outcome, "detail": detail, "last": last,
            "wall": wall, "log": log, "output": out}


def fuzz_domu(build, hv, image, seed, n, start=0, trace=False, name=None,
              racer=False):
    """fuzz_run's result for a run as a DomU (guest_domu.run_domu)."""
    import guest_domu

    began = time.monotonic()
    checks, result, log = guest_domu.run_domu(
        build, hv, image, fuzz=(seed, n, 120 + (n - start) // 200),
        trace=trace, start=start, name=name,
        more=("racer=1",) if racer else ())
    wall = time.monotonic() - began
    try:
        with open(log, errors="replace") as f:
            out = f.read()
    except OSError:
        out = ""
    seen = [int(m.group(2)) for m in PROGRESS.finditer(out)
            if int(m.group(1)) == seed]
    crash = CRASH.search(out)
    bad = ["%s %s %s" % c for c in checks if c[1] != "SUCCESS"]
    if crash:
        outcome, detail = "CRASH", crash.group(0)
    elif result[0] == "SUCCESS" and bad:
        outcome, detail = "FAILURE", "; ".join(bad)
    elif result[0] == "ERROR" and "silent" in result[1]:
        outcome, detail = "HANG", result[1]
    else:
        outcome, detail = result[0], result[1]
    return {"outcome": outcome, "detail": detail,
            "last": max(seen) if seen else None, "wall": wall, "log": log,
            "output": out}


def coverage_table(text):
    """{(nr, name, subop): [ok, enosys, err]} from the hccov: lines."""
    table = {}
    for m in COV_LINE.finditer(text):
        key = (int(m.group(1)), m.group(2), int(m.group(3)))
        table[key] = [int(m.group(i)) for i in (4, 5, 6)]
    return table


def merge_json(path, table):
    """Add @table's counts to the JSON file at @path; returns the sum."""
    total = {}
    if os.path.exists(path):
        with open(path) as f:
            for k, v in json.load(f).items():
                nr, name, op = k.split(" ")
                total[(int(nr), name, int(op))] = v
    for k, v in table.items():
        old = total.get(k, [0, 0, 0])
        total[k] = [a + b for a, b in zip(old, v)]
    with open(path, "w") as f:
        json.dump({"%d %s %d" % k: v for k, v in sorted(total.items())}, f,
                  indent=0)
    return total


def summarise(table):
    """One line per hypercall: the sub-ops that succeeded at least once
    (their handler surely ran to the end), and those that only ever
    failed with another error than -ENOSYS (refused by the handler, or
    by a check before it: a bad pointer, a wrong interface version)."""
    by_call = {}
    for (nr, name, op), (ok, nosys, err) in sorted(table.items()):
        entry = by_call.setdefault((nr, name), [[], [], []])
        entry[0 if ok else 1 if err else 2].append(op)
    lines = []
    unknown = [nr for (nr, name) in by_call if name == "-"]
    if unknown:
        lines.append("  numbers without a handler (all -ENOSYS): %d of them"
                     % len(unknown))
    for (nr, name), (ok, err, nosys) in sorted(by_call.items()):
        if name == "-":
            continue
        lines.append("  %2d %-16s succeeded %s; errors only %s; only "
                     "-ENOSYS: %d" % (nr, name, ",".join(map(str, ok)) or
                                      "-", ",".join(map(str, err)) or "-",
                                      len(nosys)))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(guest_tests.ROOT,
                                                     "build"))
    ap.add_argument("--hv", default="orchid", choices=("orchid", "xen"))
    ap.add_argument("--image", help="hypervisor image (default: the --hv's)")
    ap.add_argument("--kernel", help="the test guest (default: BUILD's)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--every", type=int, default=1000)
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--gic", type=int, default=3, choices=(2, 3))
    ap.add_argument("--idle", type=int, default=30)
    ap.add_argument("--trace", action="store_true",
                    help="the guest prints every operation before it runs")
    ap.add_argument("--coverage", action="store_true")
    ap.add_argument("--cov-json")
    ap.add_argument("--record")
    ap.add_argument("--name", help="log name (default fuzz-HV-SEED)")
    ap.add_argument("--racer", action="store_true",
                    help="vCPU 1 runs hypercalls concurrently (racer=1)")
    ap.add_argument("--guest-args", default="",
                    help="more key=value words for the guest, e.g. "
                    "trace_from=I (print every operation from I on)")
    ap.add_argument("--gdb", type=int,
                    help="QEMU's gdbstub on this TCP port")
    ap.add_argument("--domu", action="store_true",
                    help="fuzz as a DomU created by xl in a Linux Dom0")
    opts = ap.parse_args()
    if opts.domu and opts.coverage:
        print("fuzz: --coverage is for Dom0 runs only", file=sys.stderr)
        return 2
    if opts.hv == "xen" and dom0.Guest(opts.build).fetch(quiet=True):
        print("fuzz: tools/fetch-guest.sh failed", file=sys.stderr)
        return 1
    image = opts.image or guest_tests.hv_image(opts.build, opts.hv)
    if opts.domu:
        r = fuzz_domu(opts.build, opts.hv, image, opts.seed, opts.n,
                      opts.start, opts.trace,
                      opts.name or "fuzz-domu-%s-%d" % (opts.hv, opts.seed),
                      racer=opts.racer)
    else:
        r = fuzz_run(opts.build, opts.hv, image, opts.seed, opts.n,
                     opts.start, opts.every, opts.smp, opts.gic, opts.idle,
                     coverage=opts.coverage, kernel=opts.kernel,
                     trace=opts.trace, name=opts.name, racer=opts.racer,
                     guest_args=opts.guest_args, gdb=opts.gdb)
    ops = opts.n - opts.start
    rate = ops / r["wall"] if r["wall"] else 0
    print("fuzz: %s seed %d ops %d..%d: %s %s in %.1f s (%.0f ops/s "
          "including boot); last index %s; log %s" %
          (opts.hv, opts.seed, opts.start, opts.n, r["outcome"], r["detail"],
           r["wall"], rate, r["last"], r["log"]))
    if r["outcome"] != "SUCCESS":
        print("fuzz: replay: make fuzz HV=%s SEED=%d N=%d%s  (trace=1 on "
              "the guest command line prints each operation)" %
              (opts.hv, opts.seed, (r["last"] or 0) + opts.every,
               " DOMU=1" if opts.domu else ""))
    if opts.record:
        with open(opts.record, "a") as f:
            f.write("%s\t%s\t%d\t%d\t%d\t%s\t%.1f\t%.0f\t%s\n" %
                    (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     opts.hv, opts.seed, opts.start, opts.n, r["outcome"],
                     r["wall"], rate, r["last"]))
    if opts.coverage:
        table = coverage_table(r["output"])
        if opts.cov_json:
            table = merge_json(opts.cov_json, table)
        print("fuzz: hypercall coverage by sub-op (127: every sub-op past "
              "126):")
        print(summarise(table))
    return 0 if r["outcome"] == "SUCCESS" else 1


if __name__ == "__main__":
    sys.exit(cli("fuzz", main))
