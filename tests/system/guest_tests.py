#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the bare-metal test guests (tests/baremetal) as Dom0 and as a DomU.

A test guest is an arm64 Image booted exactly as Debian's Linux is in
dom0.py (QEMU's DTB plus Xen's boot binding, same command lines), with no
initramfs module and no disk. It prints one line per check,

  Test <case>.<check>: SUCCESS|FAILURE|SKIP|ERROR <detail>

then `Test result: SUCCESS|FAILURE|SKIP|ERROR <reason>` (XTF's format),
and powers off. Each run has a timeout and logs its console to
BUILD/tests/guest-<test>-<hv>.log.

  tests/system/guest_tests.py [--build DIR] [--hv orchid|xen|both]
                              [--mode dom0|domu|dom0less|both]
                              [--gic 2|3|both] [--results FILE]

As Dom0 the guest runs on an emulated GICv3 and on a GICv2 (it finds which
in its DTB); as a DomU (guest_domu.py) it is created by xl in Debian's
Linux Dom0, on GICv3; as a dom0less DomU (dom0less.py) it is built by
the hypervisor from the DTB and prints on its vpl011, beside an idle
Dom0, on GICv3. Prints a table, one column per hypervisor, mode and
GIC (orchid-dom0, orchid-dom0-gicv2, orchid-domu, xen-dom0, ...). Exits
non-zero when a run on
Orchid has a FAILURE or ERROR, or no result line; Xen 4.17 is the
reference the expected values come from, so a FAILURE there means a
test's expectation is wrong, and is reported but does not fail the run.
--hv both with both modes also writes the table to --results
(default bench/results/guest-tests.md).
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dom0  # noqa: E402
from qemu import StepError, cli  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# One image for now; each holds several test cases.
TESTS = {"baremetal": "baremetal/guest.Image"}
CHECK_LINE = re.compile(
    r"Test (\S+): (SUCCESS|FAILURE|SKIP|ERROR)(?: (.*))?$", re.M)
RESULT = re.compile(r"Test result: (SUCCESS|FAILURE|SKIP|ERROR)(?: (.*))?$",
                    re.M)
XEN_ARGS = "console=dtuart dtuart=/pl011@9000000 dom0_mem=128M " \
    "dom0_max_vcpus=2"
SMP, GIC = 2, 3
GICS = (3, 2)
TIMEOUT = 60
RESULTS_HEAD = """# Bare-metal test guests: Orchid vs Xen 4.17, as Dom0, DomU and dom0less DomU

`make guest-tests HV=both` (tests/baremetal, tests/system/guest_tests.py,
tests/system/guest_domu.py). One image: booted as Dom0, and created as a
DomU by Debian's `xl create -c` from a Linux Dom0 (`mode=domu`), and
built as a boot-time DomU from the DTB beside an idle Dom0, printing on
its vpl011 (`mode=dom0less tests=1`, tests/system/dom0less.py). Expected
values are Xen 4.17's; `dom0.*` rows are checked by Dom0 once the DomU is
gone. Where Orchid differs on purpose, tests/baremetal says why: the one
such check, guest_safety.self-grant-unmap-at-empty-gfn, encodes Orchid's
answer (GNTST_general_error: the handle's mapping is elsewhere), so Xen's
columns show FAILURE (Xen 4.17 accepts it and drops the pin). Xen 4.17
also races in quick CPU_OFF/CPU_ON cycles: now and then it answers
CPU_ON with ALREADY_ON and loses vCPU 1 (psci.cpu_off-cpu_on-cycles, and
the vcpu_info checks of vCPU 1 after it); Orchid does not.
Two `dom0.passthrough-*` checks encode Orchid's stricter device
ownership (docs/ARCHITECTURE.md, "Passthrough"): a second DomU asking
for a frame another DomU maps (Xen 4.17 maps it into both), and the GIC
distributor's first frame, which Xen 4.17 lets Dom0 hand out (its Dom0
is permitted one page past the flash, which ends there).

"""


class BareGuest:
    """dom0.qemu_args's view of the guest material: a kernel, nothing
    else."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.ramdisk = None
        self.disk = None


def hv_image(build, hv):
    if hv == "xen":
        return os.path.join(build, "guest", "xen")
    return os.path.join(build, "orchid.bin")


def run_guest(build, test, hv_name, image, timeout=TIMEOUT, bootargs="",
              xen_args=XEN_ARGS, gic=GIC, smp=SMP, name=None):
    """Boot one test guest as Dom0 of `image`. Returns (checks, result,
    log): checks is a list of (name, status, detail), result the pair
    (status, reason) of the `Test result:` line, ("ERROR", why) when the
    run ended without one."""
    out_dir = os.path.join(build, "tests")
    name = name or "guest-%s-%s" % (test, hv_name)
    log = os.path.join(out_dir, name + ".log")
    kernel = os.path.join(build, TESTS[test])
    for path, what in ((kernel, "test image (make baremetal)"),
                       (image, "hypervisor image")):
        if not os.path.exists(path):
            return [], ("ERROR", "no %s %s" % (what, path)), log
    dtb = dom0.make_dtb(out_dir, name, gic, smp, kernel, None,
                        xen_args=xen_args, dom0_args=bootargs)
    args = dom0.qemu_args(image, dtb, BareGuest(kernel), gic, smp,
                          disk=False)
    run = dom0.WatchedQemuRun(args, log, timeout, idle=30)
    out = run.run(stop_patterns=[RESULT.pattern + r"\n"])
    checks, result = parse(out)
    if result[0] == "ERROR" and not result[1]:
        result = ("ERROR", no_result_reason(run, timeout))
    return checks, result, log


def run_dom0less(build, hv):
    """The test guest as a boot-time DomU of the DTB (dom0less.py), its
    console the vpl011, beside an idle Dom0 (the same image, mode=idle)
    so that what its checks aim at Dom0 exists. (checks, result, log)."""
    import dom0less  # noqa: E402 (it imports this module)
    try:
        out, log = dom0less.run(build, hv, "guest-baremetal-dom0less",
                                **dom0less.tests())
    except (OSError, ValueError, StepError) as e:
        return [], ("ERROR", str(e)), ""
    # Its lines come as Orchid's and Xen's "DOM1: " console lines.
    out = re.sub(r"(?m)^\(XEN\) DOM1: ", "", out)
    checks, result = parse(out)
    return checks, result, log


def parse(out):
    """The checks of a console log and its `Test result:` line, ("ERROR",
    "") when there is none."""
    checks = [(m.group(1), m.group(2), (m.group(3) or "").strip())
              for m in CHECK_LINE.finditer(out) if m.group(1) != "result"]
    m = RESULT.search(out)
    if m:
        return checks, (m.group(1), (m.group(2) or "").strip())
    return checks, ("ERROR", "")


def no_result_reason(run, timeout):
    if run.silent:
        return "console silent for %d s, no result line" % run.idle
    if run.timed_out:
        return "timed out after %d s, no result line" % timeout
    return "QEMU ended (status %s) with no result line" % run.exit_code


def failed(checks, result):
    """The checks (and the run) that make a hypervisor fail."""
    bad = ["%s: %s %s" % (n, s, d) for n, s, d in checks
           if s in ("FAILURE", "ERROR")]
    if result[0] in ("FAILURE", "ERROR") and not bad:
        bad.append("Test result: %s %s" % result)
    return bad


def table(runs):
    """Markdown: one row per check, one column per hypervisor."""
    hvs = list(runs)
    names = []
    for hv in hvs:
        for test, (checks, _, _) in runs[hv].items():
            for n, _, _ in checks:
                if (test, n) not in names:
                    names.append((test, n))
    lines = ["| check | " + " | ".join(hvs) + " |",
             "| --- |" + " --- |" * len(hvs)]

    def cell(hv, test, n):
        for cn, s, d in runs[hv].get(test, ([], None, None))[0]:
            if cn == n:
                return s if s == "SUCCESS" or not d else "%s (%s)" % (s, d)
        return "-"

    def differs(row):
        """Orchid and Xen disagree in one mode and GIC (columns
        <hv>-<mode>[-gicv2]); a check one run lacks ("-") does not."""
        by_mode = {}
        for hv, r in zip(hvs, row):
            if r != "-":
                by_mode.setdefault(hv.split("-", 1)[1], set()).add(
                    r.split(" ")[0])
        return any(len(v) > 1 for v in by_mode.values())
    for test, n in names:
        row = [cell(hv, test, n) for hv in hvs]
        mark = " **differs**" if differs(row) else ""
        lines.append("| %s%s | %s |" % (n, mark, " | ".join(row)))
    for hv in hvs:
        for test, (_, result, log) in runs[hv].items():
            lines.append("")
            lines.append("%s on %s: Test result: %s %s (log %s)" %
                         (test, hv, result[0], result[1],
                          os.path.relpath(log, ROOT)))
    return "\n".join(lines)


def run_all(build, hvs, modes, gics=GICS):
    """{column: {test: (checks, result, log)}}, columns <hv>-<mode> and
    <hv>-dom0-gicv2: Dom0 on every GIC in gics, the DomU on GICv3."""
    import guest_domu  # noqa: E402 (it imports this module)
    runs = {}
    for hv in hvs:
        image = hv_image(build, hv)
        for mode in modes:
            if mode == "domu":
                runs["%s-domu" % hv] = {
                    "baremetal": guest_domu.run_domu(build, hv, image)}
                continue
            if mode == "dom0less":
                runs["%s-dom0less" % hv] = {
                    "baremetal": run_dom0less(build, hv)}
                continue
            for gic in gics:
                col = "%s-dom0" % hv
                name = None
                if gic != GIC:
                    col += "-gicv%d" % gic
                    name = "guest-%%s-%s-gicv%d" % (hv, gic)
                runs[col] = {t: run_guest(build, t, hv, image, gic=gic,
                                          name=name and name % t)
                             for t in TESTS}
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--hv", default="orchid",
                    choices=("orchid", "xen", "both"))
    ap.add_argument("--mode", default="both",
                    choices=("dom0", "domu", "dom0less", "both"))
    ap.add_argument("--gic", default="both", choices=("2", "3", "both"))
    ap.add_argument("--results",
                    default=os.path.join(ROOT, "bench", "results",
                                         "guest-tests.md"))
    opts = ap.parse_args()
    hvs = ["orchid", "xen"] if opts.hv == "both" else [opts.hv]
    modes = ["dom0", "domu", "dom0less"] if opts.mode == "both" \
        else [opts.mode]
    if "xen" in hvs:
        error = dom0.Guest(opts.build).fetch(quiet=True)
        if error:
            print("guest-tests: tools/fetch-guest.sh failed", file=sys.stderr)
            return 1
    gics = GICS if opts.gic == "both" else (int(opts.gic),)
    runs = run_all(opts.build, hvs, modes, gics)
    text = table(runs)
    print(text)
    if opts.hv == "both" and opts.mode == "both" and opts.gic == "both":
        os.makedirs(os.path.dirname(opts.results), exist_ok=True)
        with open(opts.results, "w") as f:
            f.write(RESULTS_HEAD + text + "\n")
        print("guest-tests: table written to %s" % opts.results)
    status = 0
    for col, tests in runs.items():
        for test, (checks, result, log) in tests.items():
            bad = failed(checks, result)
            if bad:
                print("guest-tests: %s on %s: %d failed (%s)" %
                      (test, col, len(bad), log))
                if col.startswith("orchid"):
                    status = 1
    return status


if __name__ == "__main__":
    sys.exit(cli("guest-tests", main))
