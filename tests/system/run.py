#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Orchid's system tests: boot Orchid in QEMU and check its console.

Each case boots QEMU once with a hard timeout, logs the console to
build/tests/<name>.log, and checks the lines a user would see; the
bare-metal test guests (guest_cases.py, tests/baremetal) boot as Dom0 in
every run, and so does the guest-side fuzzer (fuzz_cases.py, 10^5
operations, and 10^4 with a second vCPU racing the first), and so does
bench-micro (bench_cases.py: the microbenchmarks with a small N, no timing
asserted), and so do the scheduler checks (sched_cases.py: shares with
issue 10's margins under -icount; a case whose feature the build leaves
out is skipped). Prints one PASS/FAIL line per case and "N passed, M failed" at
the end; exits non-zero on any failure.

  tests/system/run.py [--build DIR] [--only NAME[,NAME...]] [--list]
                      [--hv IMAGE] [--dom0] [--toolstack] [--jobs N]

--jobs 2 (ORCHID_TEST_JOBS, make check's default) runs the cases marked
`background` (the toolstack scenario, the longest by far, mostly Dom0 and
DomUs waiting on timers) in a second lane beside the others: it is started
first, its guest material and DTB prepared before anything else runs so
the two lanes never write the same file, and its verdict printed when it
ends. --jobs 1 runs everything in order.

--only takes shell patterns ('dom0-*'). The Dom0 cases (dom0_cases.py) run
with --dom0 or ORCHID_DOM0_TESTS=1, or when --only names them; --hv boots
another hypervisor image instead of BUILD/orchid.bin (BUILD/guest/xen is
Debian's Xen 4.17, the reference they are validated on). The toolstack
cases (toolstack_cases.py) run with --toolstack or ORCHID_TOOLSTACK_TESTS=1,
or when --only names them; otherwise, and always with
ORCHID_TOOLSTACK_TESTS=0, they are reported as skipped. So are
guest-tests-domu (guest_cases.py: the test guest as a DomU of xl) and
fuzz-domu (fuzz_cases.py), which fetch the same material.
"""
import argparse
import fnmatch
import os
import re
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qemu import QemuRun, StepError, dtb_to_dts, dts_to_dtb, dump_dtb  # noqa
import dom0  # noqa: E402
import dom0_cases  # noqa: E402
import toolstack_cases  # noqa: E402
import newuser_cases  # noqa: E402
import guest_cases  # noqa: E402
import fuzz_cases  # noqa: E402
import bench_cases  # noqa: E402
import dom0less_cases  # noqa: E402
import sched_cases  # noqa: E402

HALTED = r"System halted\."
BANNER_DONE = r"Boot modules: \d+"
SHIM_DTB = 0x49000000
SHIM_TARGET = 0x41000000
MODULE_KERNEL_ADDR = dom0.KERNEL_ADDR
MODULE_RAMDISK_ADDR = dom0.RAMDISK_ADDR


def qemu_base(smp=4, gic=3, cpu="cortex-a57", virt=True, mem=2048):
    machine = "virt,gic-version=%d" % gic
    if virt:
        machine += ",virtualization=on"
    return ["qemu-system-aarch64", "-machine", machine, "-cpu", cpu,
            "-smp", str(smp), "-m", str(mem), "-nographic", "-nic", "none",
            "-monitor", "none", "-serial", "stdio"]


class Case:
    def __init__(self, name, args, expect, forbid=(), stop=BANNER_DONE,
                 timeout=60, prepare=None):
        self.name = name
        self.args = args            # list, or callable(ctx) -> list
        self.expect = expect        # regexes that must all appear
        self.forbid = forbid        # regexes that must not appear
        self.stop = stop            # stop QEMU once this appears...
        self.timeout = timeout      # ...or after this many seconds
        self.prepare = prepare


class Context:
    def __init__(self, build):
        self.build = build
        self.image = os.path.join(build, "orchid.bin")
        self.dir = os.path.join(build, "tests")
        os.makedirs(self.dir, exist_ok=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def dump_dtb(self, smp=4, gic=3, cpu="cortex-a57"):
        """QEMU's own DTB for a machine, as the anchor scripts use it."""
        return dump_dtb(self.dir, gic, smp, cpu)

    def xen_binding_dtb(self, xen_args, dom0_args, ksize, rsize):
        """QEMU's DTB plus Xen's boot binding in /chosen, exactly as
        ../shared/anchors/xen-arm64/boot-xen.sh writes it."""
        dts = dtb_to_dts(self.dump_dtb(), self.path("virt-gic3-smp4.dts"))
        dts += dom0.binding_dts(xen_args, dom0_args, ksize, rsize)
        src = self.path("xen-binding.dts")
        with open(src, "w") as f:
            f.write(dts)
        return dts_to_dtb(src, self.path("xen-binding.dtb"))

    def blob(self, name, size, byte):
        out = self.path(name)
        with open(out, "wb") as f:
            f.write(bytes([byte]) * size)
        return out


def loader(path, addr):
    return ["-device", "loader,file=%s,addr=%#x,force-raw=on" % (path, addr)]


def plain_boot(smp, gic, cpu="cortex-a57", append=None):
    def args(ctx):
        a = qemu_base(smp, gic, cpu) + ["-kernel", ctx.image]
        if append:
            a += ["-append", append]
        return a
    return args


def online_lines(n):
    return [r"CPUs online: %d of %d" % (n, n)] + \
        [r"CPU%d online \(MPIDR" % i for i in range(1, n)] + \
        [r"SMP: %d of %d CPUs answered cross-CPU calls, %d took their "
         r"timer interrupt" % (n, n, n)]


FAKE_KERNEL_SIZE, FAKE_RAMDISK_SIZE = 0x123400, 0x56780


def xen_binding_boot(ctx):
    ksize, rsize = FAKE_KERNEL_SIZE, FAKE_RAMDISK_SIZE
    kernel = ctx.blob("fake-kernel.bin", ksize, 0xaa)
    ramdisk = ctx.blob("fake-ramdisk.bin", rsize, 0x55)
    dtb = ctx.xen_binding_dtb(
        "console=dtuart dtuart=/pl011@9000000 dom0_mem=512M",
        "console=hvc0 earlycon=xenboot rdinit=/init", ksize, rsize)
    return qemu_base(4, 3) + ["-kernel", ctx.image, "-dtb", dtb] + \
        loader(kernel, MODULE_KERNEL_ADDR) + loader(ramdisk, MODULE_RAMDISK_ADDR)


def shim_boot(dtb_maker, shim="boot_shim_dtb.bin"):
    """Boot Orchid through the test boot loader, with x0 -> a broken DTB."""
    def args(ctx):
        a = qemu_base(2, 3) + ["-kernel", ctx.path(shim)]
        a += loader(ctx.image, SHIM_TARGET)
        if dtb_maker:
            a += loader(dtb_maker(ctx), SHIM_DTB)
        return a
    return args


def truncated_dtb(ctx):
    with open(ctx.dump_dtb(2, 3), "rb") as f:
        data = f.read()
    # Cut in the middle of the structure block; the header still claims
    # the full size, as when a loader copies only part of the file.
    off_struct = int.from_bytes(data[8:12], "big")
    size_struct = int.from_bytes(data[36:40], "big")
    out = ctx.path("truncated.dtb")
    with open(out, "wb") as f:
        f.write(data[:off_struct + size_struct // 2])
    return out


def bad_magic_dtb(ctx):
    with open(ctx.dump_dtb(2, 3), "rb") as f:
        data = bytearray(f.read())
    data[0:4] = b"\x12\x34\x56\x78"
    out = ctx.path("bad-magic.dtb")
    with open(out, "wb") as f:
        f.write(data)
    return out


FATAL = [r"Orchid fatal exception on CPU0", r"ESR_EL2: [0-9a-f]{16} \(EC 0x25",
         r"FAR_EL2: 0000dead00000000", r"x0 : [0-9a-f]{16}",
         r"x29: [0-9a-f]{16}", r"Backtrace:",
         r"\] selftest_fault_read\+0x[0-9a-f]+/0x[0-9a-f]+",
         r"\] selftest_fault\+0x", r"\] selftest_run\+0x",
         r"\] start_orchid\+0x", HALTED]

# Xen 4.17's boot lines for its default (Debian: CONFIG_XSM_SILO_DEFAULT).
XSM_SILO = [r"XSM Framework v1\.0\.1 initialized",
            r"Initialising XSM SILO mode"]

CASES = [
    Case("boot-smp1-gicv3", plain_boot(1, 3), online_lines(1) + [r"GIC: v3"]
         + XSM_SILO),
    Case("boot-smp4-gicv3", plain_boot(4, 3), online_lines(4) + [r"GIC: v3"]),
    Case("boot-smp4-gicv2", plain_boot(4, 2), online_lines(4) + [r"GIC: v2"]),
    Case("boot-smp4-cpumax-gicv3", plain_boot(4, 3, "max"),
         online_lines(4) + [r"GIC: v3"]),
    Case("boot-smp2-cpumax-gicv2", plain_boot(2, 2, "max"),
         online_lines(2) + [r"GIC: v2"]),
    Case("boot-xen-binding-dtb", xen_binding_boot,
         online_lines(4) + [
             r"Command line: console=dtuart dtuart=/pl011@9000000 dom0_mem=512M",
             r"Boot modules: 2",
             r"Module 0: kernel at 0x50000000, %d bytes" % FAKE_KERNEL_SIZE,
             r"Module 1: ramdisk at 0x54000000, %d bytes" % FAKE_RAMDISK_SIZE,
             r"Dom0 command line: console=hvc0 earlycon=xenboot rdinit=/init"],
         stop=r"Dom0 command line: .*\n"),
    Case("bootargs-unknown-option",
         plain_boot(1, 3, append="frobnicate=7 xsm=flask"),
         [r"Unknown command line option 'frobnicate",
          r"Invalid value 'flask' for command line option 'xsm'"] + XSM_SILO),
    Case("xsm-dummy", plain_boot(1, 3, append="xsm=dummy"),
         [r"XSM Framework v1\.0\.1 initialized",
          r"WARNING: SILO mode is not enabled\."],
         forbid=[r"Initialising XSM SILO mode"]),
    Case("selftest-fault", plain_boot(4, 3, append="selftest=fault"), FATAL,
         stop=HALTED),
    Case("selftest-fault-gicv2", plain_boot(2, 2, append="selftest=fault"),
         FATAL, stop=HALTED),
    Case("dtb-truncated", shim_boot(truncated_dtb),
         [r"DTB at 0x49000000 is invalid: ", r"Panic on CPU 0", HALTED],
         stop=HALTED),
    Case("dtb-bad-magic", shim_boot(bad_magic_dtb),
         [r"DTB at 0x49000000: bad magic", HALTED], stop=HALTED),
    Case("dtb-missing", shim_boot(None, "boot_shim_nodtb.bin"),
         [r"No usable device tree: the boot loader passed x0 = 0", HALTED],
         stop=HALTED),
    Case("entered-at-el1", lambda ctx: qemu_base(1, 3, virt=False) +
         ["-kernel", ctx.image],
         [r"Orchid: entered at EL1, but a hypervisor must be entered at EL2"],
         forbid=[r"booting at EL2"], stop=r"Halting\."),
]


def run_case(ctx, case):
    args = case.args(ctx) if callable(case.args) else case.args
    log = ctx.path(case.name + ".log")
    run = QemuRun(args, log, case.timeout)
    out = run.run(stop_patterns=[case.stop])
    problems = []
    for pattern in case.expect:
        if not re.search(pattern, out, re.M):
            problems.append("missing /%s/" % pattern)
    for pattern in case.forbid:
        if re.search(pattern, out, re.M):
            problems.append("unexpected /%s/" % pattern)
    if run.timed_out and not re.search(case.stop, out, re.M):
        problems.append("timed out after %ds" % case.timeout)
    return problems, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--hv", help="hypervisor image (default BUILD/orchid.bin)")
    ap.add_argument("--dom0", action="store_true",
                    default=os.environ.get("ORCHID_DOM0_TESTS") == "1",
                    help="also run the Dom0 cases (ORCHID_DOM0_TESTS=1)")
    ap.add_argument("--toolstack", action="store_true",
                    help="also run the toolstack cases "
                    "(ORCHID_TOOLSTACK_TESTS=1)")
    ap.add_argument("--jobs", type=int,
                    default=int(os.environ.get("ORCHID_TEST_JOBS", "1")),
                    help="2: background cases in a second lane")
    opts = ap.parse_args()
    all_cases = CASES + guest_cases.CASES + fuzz_cases.CASES + \
        bench_cases.CASES + dom0less_cases.CASES + sched_cases.CASES + \
        dom0_cases.CASES + \
        toolstack_cases.CASES + newuser_cases.CASES
    dom0_like = dom0_cases.CASES + newuser_cases.CASES
    if opts.list:
        for case in all_cases:
            print(case.name)
        return 0
    only = list(filter(None, opts.only.split(",")))
    ctx = Context(opts.build)
    if opts.hv:
        ctx.image = opts.hv
    tally = Tally()
    selected = []
    for case in all_cases:
        if only and not any(fnmatch.fnmatchcase(case.name, p) for p in only):
            continue
        if not only and not opts.dom0 and case in dom0_like:
            continue
        why = case.skip(bool(only), opts.toolstack) \
            if hasattr(case, "skip") else ""
        # A feature the image under test is built without (sched_cases).
        if not why and hasattr(case, "skip_build"):
            why = case.skip_build(ctx)
        if not why and case in toolstack_cases.CASES:
            run, why = toolstack_cases.enabled(bool(only))
            if opts.toolstack and os.environ.get(toolstack_cases.ENV) != "0":
                why = ""
            elif run:
                why = ""
        if why:
            tally.skip(case.name, why)
            continue
        selected.append(case)
    lane = None
    if opts.jobs > 1:
        lane = start_background(ctx, tally,
                                [c for c in selected
                                 if getattr(c, "background", False)])
        selected = [c for c in selected if c not in lane.cases]
    for case in selected:
        tally.report(case.name, *run_one(ctx, case))
    if lane:
        lane.join()
    return tally.summary()


class Tally:
    """Verdict lines and counts, safe to call from both lanes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.passed = self.failed = self.skipped = 0

    def skip(self, name, why):
        with self.lock:
            self.skipped += 1
            print("SKIP %s (%s)" % (name, why))
            sys.stdout.flush()

    def report(self, name, problems, log):
        with self.lock:
            if problems:
                self.failed += 1
                print("FAIL %s (%s)" % (name, log))
                for p in problems:
                    print("     " + p)
            else:
                self.passed += 1
                print("PASS %s" % name)
            sys.stdout.flush()

    def summary(self):
        print("system: %d passed, %d failed%s" %
              (self.passed, self.failed,
               ", %d skipped" % self.skipped if self.skipped else ""))
        return 1 if self.failed else 0


def run_one(ctx, case):
    """(problems, log) of one case; a failed set-up step fails it with one
    line."""
    try:
        if hasattr(case, "run"):
            return case.run(ctx)
        return run_case(ctx, case)
    except (StepError, ValueError, OSError) as e:
        return [str(e)], ctx.path(case.name + ".log")


def start_background(ctx, tally, cases):
    """Prepare each background case here, in the main thread (guest
    material, DTBs: files the other lane reads too), then boot and judge
    them one after the other in a thread of their own."""
    prepared = []
    for case in cases:
        try:
            prepared.append((case, case.qemu(ctx)))
        except (StepError, ValueError, OSError) as e:
            prepared.append((case, (None, [str(e)])))

    def lane_main():
        for case, (run, problems) in prepared:
            log = ctx.path(case.name + ".log")
            if run is not None:
                try:
                    problems = case.judge(run, case.drive(run))
                except (StepError, ValueError, OSError) as e:
                    problems = [str(e)]
            tally.report(case.name, problems, log)

    lane = threading.Thread(target=lane_main, name="background-lane")
    lane.cases = cases
    lane.start()
    return lane


if __name__ == "__main__":
    sys.exit(main())
