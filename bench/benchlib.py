# SPDX-License-Identifier: MIT
"""What the Orchid-vs-Xen benchmarks share (bench/dom0-boot.py,
bench/toolstack.py, bench/pvio.py): Xen's command line for their one-CPU `-icount` runs,
medians of the runs, number formatting, the "Orchid / Xen" column, the
host description and writing the report. One place, so that the two
reports keep reading alike."""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Both run -smp 1 under -icount (Xen 4.17 hangs there with more CPUs).
XEN_ARGS = ("console=dtuart dtuart=/pl011@9000000 dom0_mem=512M "
            "dom0_max_vcpus=1")


def arg_parser(doc, timeout, report):
    """The options every benchmark takes; @report names its results file.
    Add its own, then call parse_args."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--orchid",
                    help="Orchid image (default BUILD/orchid.bin)")
    ap.add_argument("--xen", help="Xen image (default BUILD/guest/xen)")
    ap.add_argument("--hcn", type=int, default=20000,
                    help="hypercalls per hcbench loop")
    ap.add_argument("--timeout", type=int, default=timeout,
                    help="seconds per QEMU run")
    ap.add_argument("--idle", type=int, default=60,
                    help="give up after this many seconds without output")
    ap.add_argument("--only", choices=("xen", "orchid"))
    ap.add_argument("--out", default=os.path.join(HERE, "results", report))
    return ap


def parse_args(ap):
    opts = ap.parse_args()
    opts.orchid = opts.orchid or os.path.join(opts.build, "orchid.bin")
    opts.xen = opts.xen or os.path.join(opts.build, "guest", "xen")
    return opts


def kernel_version(guest):
    """The guest kernel's version, as tools/fetch-guest.sh recorded it."""
    with open(os.path.join(guest.dir, "kernel.version")) as f:
        return f.read().strip()


def median(runs, key, with_failed=False):
    """Median of @key over the runs that have it; a failed run counts only
    with @with_failed (what it measured before failing)."""
    vals = [r[key] for r in runs
            if key in r and (with_failed or "error" not in r)]
    return statistics.median(vals) if vals else None


def fmt(v, digits):
    return "n/a" if v is None else "%.*f" % (digits, v)


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else "%.2f" % (a / b)


def metric_rows(rows, xen, orch, with_failed=False):
    """One "| label | Xen | Orchid | Orchid / Xen |" line per
    (label, key, digits) of @rows, from the medians of the runs."""
    lines = []
    for label, key, digits in rows:
        x = median(xen, key, with_failed)
        o = median(orch, key, with_failed)
        lines.append("| %s | %s | %s | %s |" %
                     (label, fmt(x, digits), fmt(o, digits), ratio(o, x)))
    return lines


def provenance(opts):
    """'on DATE (HOST, N CPUs, QEMU x). Orchid: `image` (commit). Xen:
    Debian's ... (`image`).': where and from what a report was made."""
    return ("on %s (%s, %d CPUs, %s). Orchid: `%s` (%s). Xen: Debian's "
            "`xen-hypervisor-4.17-arm64` (`%s`)." %
            (datetime.date.today().isoformat(), platform.node() or "host",
             os.cpu_count() or 0, qemu_version(),
             os.path.relpath(opts.orchid, ROOT), git_describe(),
             os.path.relpath(opts.xen, ROOT)))


def failures(xen, orch):
    """A paragraph per hypervisor whose runs failed: how many, the first."""
    lines = []
    for label, runs in (("Xen 4.17", xen), ("Orchid", orch)):
        errors = [r["error"] for r in runs if "error" in r]
        if errors:
            lines += ["", "%s: %d of %d runs failed; first: %s." %
                      (label, len(errors), len(runs), errors[0])]
    return lines


def run_table(xen, orch, columns):
    """The "## Runs" table: a line per run, its (title, key, digits)
    @columns, then its status and log."""
    lines = ["", "## Runs", "",
             "| hypervisor | run | %s | status | log |" %
             " | ".join(title for title, _, _ in columns),
             "|---|---|%s---|---|" % ("---|" * len(columns))]
    for label, runs in (("Xen 4.17", xen), ("Orchid", orch)):
        for i, r in enumerate(runs):
            cells = [fmt(r.get(key), digits) for _, key, digits in columns]
            lines.append("| %s | %d | %s | %s | `%s` |" % (
                label, i + 1, " | ".join(cells),
                r.get("error", "ok").replace("|", "/"),
                os.path.relpath(r["log"], ROOT)))
    return lines


def run_series(opts, tests_dir, prefix, run_one, describe):
    """opts.runs runs on each hypervisor (one with opts.only), logged as
    TESTS_DIR/PREFIX-NAME-N.log: run_one(name, image, log) returns a
    run's results, describe(results) its progress line. A series stops at
    its first failed run: guest time is deterministic, it would fail
    again."""
    results = {}
    for name, hv in (("xen", opts.xen), ("orchid", opts.orchid)):
        if opts.only and name != opts.only:
            continue
        results[name] = []
        for i in range(opts.runs):
            log = os.path.join(tests_dir, "%s-%s-%d.log" % (prefix, name,
                                                           i + 1))
            r = run_one(name, hv, log)
            results[name].append(r)
            print("%-6s run %d: %s" % (name, i + 1,
                                       r.get("error") or describe(r)))
            sys.stdout.flush()
            if "error" in r:
                break
    return results


def shown_command(args, build):
    """A QEMU command line for a report, build paths relative."""
    return " ".join(args).replace(os.path.abspath(build) + "/", "build/")


def kept_notes(path, marker):
    """The hand-written part of a results file (before/after history, the
    breakdown of what is left), from @marker on; "" when there is none."""
    try:
        with open(path) as f:
            old = f.read()
    except OSError:
        return ""
    i = old.find(marker)
    return "" if i < 0 else "\n" + old[i:]


def command_output(args):
    try:
        return subprocess.run(args, capture_output=True,
                              stdin=subprocess.DEVNULL,
                              text=True).stdout.strip()
    except OSError:
        return ""


def git_describe():
    return command_output(["git", "-C", ROOT, "describe", "--always",
                           "--dirty", "--tags"]) or "unknown"


def qemu_version():
    out = command_output(["qemu-system-aarch64", "--version"])
    return out.splitlines()[0].replace("QEMU emulator version", "QEMU") \
        if out else "QEMU ?"


def write_report(text, out):
    """Write the report to @out and print its summary (before "## Runs")."""
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)
    print(text.split("## Runs")[0].rstrip())
    print("\nwritten to %s" % os.path.relpath(out, ROOT))
