#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot-time (dom0less) DomUs from the device tree, on Orchid and Xen 4.17.

The DTB is QEMU's own plus, in /chosen, Xen 4.17's dom0less binding
(docs/misc/arm/device-tree/booting.txt): `xen,domain` nodes with
`memory` (KiB, 64-bit), `cpus`, `vpl011` and a `multiboot,kernel` module
whose `bootargs` are the DomU's command line; a Dom0 only when asked (a
`multiboot,kernel` at the /chosen level). Every guest is the bare-metal
test guest (tests/baremetal) in `mode=dom0less`: it prints on its vpl011
DOM0LESS-READY, with `echo=1` reads a line there (serial input switched
to it with Ctrl-a three times) and prints it back, then DOM0LESS-DONE.

  tests/system/dom0less.py [--build DIR] [--hv orchid|xen|both]
                           [--case NAME] [--interactive]

prints each run's lines side by side; the run.py cases (dom0less_cases.py)
check Orchid's. --interactive boots Orchid with the demo() DomUs on this
terminal instead (`make run-dom0less`).
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dom0  # noqa: E402
import guest_tests  # noqa: E402
import toolstack_cases  # noqa: E402
from qemu import cli, dtb_to_dts, dts_to_dtb, dump_dtb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

XEN_ARGS = "console=dtuart dtuart=/pl011@9000000 dom0_mem=128M " \
    "dom0_max_vcpus=1"
DOM0_ADDR = dom0.KERNEL_ADDR
# One copy of the guest image per domain, 2 MiB apart, above Dom0's.
DOMU_ADDR = 0x52000000
DOMU_STRIDE = 0x200000
RAM_END = 0x40000000 + (2048 << 20)
SMP, GIC, MEM = 4, 3, 2048
TIMEOUT = 60
SWITCH = "\x01\x01\x01"  # Ctrl-a three times


class Domu:
    """One xen,domain node. kernel/ramdisk: None for the test guest and no
    initramfs, else a path under BUILD; args replaces the test guest's."""

    def __init__(self, name, mem_kb=65536, cpus=1, vpl011=True, echo=False,
                 kernel=None, ramdisk=None, args=None, partial=None,
                 pool=None, props=None, static_mem=(), direct_map=False):
        self.name = name
        # xen,static-mem: (host address, bytes) banks; direct-map.
        self.static_mem = static_mem
        self.direct_map = direct_map
        # The label of its boot-time cpupool (a Pool of make_dtb's pools):
        # its domain-cpupool phandle; None: Pool-0.
        self.pool = pool
        # More properties of its node: {name: string value, or None for
        # an empty one} (orchid,on-crash and the other restart policies,
        # xen,enhanced).
        self.props = props or {}
        # Its partial device tree (a "multiboot,device-tree" module), as
        # DTS source; compiled by make_dtb.
        self.partial = partial
        self.mem_kb = mem_kb
        self.cpus = cpus
        self.vpl011 = vpl011
        self.kernel = kernel
        self.ramdisk = ramdisk
        self.args = args or "mode=dom0less name=%s%s" % (
            name, " echo=1" if echo else "")
        self.loads = []  # (kind, path, addr, size), set by place()


def place(build, domus, start=DOMU_ADDR):
    """Where each DomU's modules go: from `start` up, 2 MiB aligned."""
    addr = start
    for d in domus:
        d.loads = []
        files = [("kernel", os.path.join(build, d.kernel or
                                         guest_tests.TESTS["baremetal"]))]
        if d.ramdisk:
            files.append(("ramdisk", os.path.join(build, d.ramdisk)))
        if d.partial:
            files.append(("device-tree", partial_dtb(build, d)))
        for kind, path in files:
            size = os.path.getsize(path)
            d.loads.append((kind, path, addr, size))
            addr += (size + DOMU_STRIDE - 1) // DOMU_STRIDE * DOMU_STRIDE
    if addr > RAM_END:
        raise ValueError("DomU modules end at %#x, past RAM" % addr)


def partial_dtb(build, d):
    """d.partial compiled, in build/tests/."""
    out_dir = os.path.join(build, "tests")
    os.makedirs(out_dir, exist_ok=True)
    src = os.path.join(out_dir, "dom0less-partial-%s.dts" % d.name)
    with open(src, "w") as f:
        f.write(d.partial)
    return dts_to_dtb(src, src[:-4] + ".dtb")


class Pool:
    """One xen,cpupool node (docs/misc/arm/device-tree/cpupools.txt):
    `label` for a DomU's domain-cpupool, the pCPUs by their /cpus/cpu@N
    nodes, its scheduler (None: the default)."""

    def __init__(self, label, cpus, sched=None):
        self.label = label
        self.cpus = cpus
        self.sched = sched

    def dts(self):
        refs = " ".join("&{/cpus/cpu@%d}" % c for c in self.cpus)
        out = ["\t\t%s: cpupool-%s {" % (self.label, self.label),
               '\t\t\tcompatible = "xen,cpupool";',
               "\t\t\tcpupool-cpus = <%s>;" % refs]
        if self.sched:
            out.append('\t\t\tcpupool-sched = "%s";' % self.sched)
        return out + ["\t\t};"]


def module_dts(kind, addr, size, args=None):
    out = ["\t\t\tmodule@%x {" % addr,
           '\t\t\t\tcompatible = "multiboot,%s", "multiboot,module";' % kind,
           "\t\t\t\treg = <0x0 0x%x 0x0 0x%x>;" % (addr, size)]
    if args is not None:
        out.append("\t\t\t\tbootargs = %s;" % dom0.dts_string(args))
    return out + ["\t\t\t};"]


def binding_dts(domus, ksize, dom0_args=None, pools=(), chosen=None,
                rsize=None, xen_args=XEN_ARGS):
    """/chosen: Xen's command line, Dom0's kernel when dom0_args is not
    None (and its initramfs of rsize bytes at dom0.RAMDISK_ADDR), the
    xen,cpupool nodes of `pools`, one xen,domain node per DomU;
    chosen: more /chosen string properties ({name: value},
    orchid,hwdom-on-crash)."""
    q = dom0.dts_string
    out = ["/ {", "\tchosen {", "\t\t#address-cells = <0x2>;",
           "\t\t#size-cells = <0x2>;",
           "\t\txen,xen-bootargs = %s;" % q(xen_args or XEN_ARGS)]
    for prop, value in sorted((chosen or {}).items()):
        out.append("\t\t%s = %s;" % (prop, q(value)))
    if dom0_args is not None:
        out += ["\t\txen,dom0-bootargs = %s;" % q(dom0_args),
                "\t\tmodule@%x {" % DOM0_ADDR,
                '\t\t\tcompatible = "multiboot,kernel", "multiboot,module";',
                "\t\t\treg = <0x0 0x%x 0x0 0x%x>;" % (DOM0_ADDR, ksize),
                "\t\t};"]
    if dom0_args is not None and rsize is not None:
        out += ["\t\tmodule@%x {" % dom0.RAMDISK_ADDR,
                '\t\t\tcompatible = "multiboot,ramdisk", '
                '"multiboot,module";',
                "\t\t\treg = <0x0 0x%x 0x0 0x%x>;" % (dom0.RAMDISK_ADDR,
                                                     rsize),
                "\t\t};"]
    for pool in pools:
        out += pool.dts()
    for i, d in enumerate(domus):
        out += ["\t\tdomU%d {" % (i + 1),
                '\t\t\tcompatible = "xen,domain";',
                "\t\t\t#address-cells = <0x2>;",
                "\t\t\t#size-cells = <0x2>;",
                "\t\t\tmemory = <0x0 0x%x>;" % d.mem_kb]
        if d.cpus is not None:
            out.append("\t\t\tcpus = <%d>;" % d.cpus)
        if d.vpl011:
            out.append("\t\t\tvpl011;")
        if d.pool:
            out.append("\t\t\tdomain-cpupool = <&%s>;" % d.pool)
        if d.static_mem:
            cells = " ".join("0x%x 0x%x 0x%x 0x%x" % (a >> 32, a & 0xffffffff,
                                                      n >> 32, n & 0xffffffff)
                             for a, n in d.static_mem)
            out.append("\t\t\txen,static-mem = <%s>;" % cells)
        if d.direct_map:
            out.append("\t\t\tdirect-map;")
        for prop, value in sorted(d.props.items()):
            out.append("\t\t\t%s;" % prop if value is None else
                       "\t\t\t%s = %s;" % (prop, q(value)))
        for kind, _, addr, size in d.loads:
            out += module_dts(kind, addr, size,
                              d.args if kind == "kernel" else None)
        out.append("\t\t};")
    out += ["\t};", "};", ""]
    return "\n".join(out)


def make_dtb(out_dir, name, domus, kernel, dom0_args=None, smp=SMP,
             host_extra="", pools=(), chosen=None, ramdisk=None,
             xen_args=XEN_ARGS):
    """kernel, ramdisk: Dom0's; the DomUs' are in their loads (place());
    host_extra: DTS appended (e.g. a node marked xen,passthrough)."""
    os.makedirs(out_dir, exist_ok=True)
    base = dump_dtb(out_dir, GIC, smp, "cortex-a57", MEM)
    dts = dtb_to_dts(base, os.path.join(out_dir, name + ".base.dts"))
    dts += binding_dts(domus, os.path.getsize(kernel), dom0_args, pools,
                       chosen, ramdisk and os.path.getsize(ramdisk),
                       xen_args)
    dts += host_extra
    src = os.path.join(out_dir, name + ".dts")
    with open(src, "w") as f:
        f.write(dts)
    return dts_to_dtb(src, os.path.join(out_dir, name + ".dtb"))


def qemu_args(image, dtb, kernel, domus, with_dom0, smp=SMP, extra=(),
              ramdisk=None):
    args = dom0.machine_args(GIC, smp, mem=MEM) + ["-kernel", image,
                                                   "-dtb", dtb] + list(extra)
    loads = [(path, addr) for d in domus for _, path, addr, _ in d.loads]
    if with_dom0:
        loads.append((kernel, DOM0_ADDR))
    if with_dom0 and ramdisk:
        loads.append((ramdisk, dom0.RAMDISK_ADDR))
    for path, addr in loads:
        args += ["-device", "loader,file=%s,addr=%#x,force-raw=on" %
                 (path, addr)]
    return args


class Typist:
    """Console input as a script of (pattern, text): once the pattern is in
    the output (after the previous step's), the text is typed. drop: a
    regex removed from the output first (what may cut a DomU's line), or a
    function that rewrites it."""

    def __init__(self, script, drop=None):
        self.script = list(script)
        self.pos = 0
        self.drop = drop

    def __call__(self, out, proc):
        if self.drop:
            out = self.drop(out) if callable(self.drop) \
                else re.sub(self.drop, "", out)
        while self.script:
            pattern, text = self.script[0]
            m = re.compile(pattern, re.M).search(out, self.pos)
            if not m:
                return
            self.pos = m.end()
            self.script.pop(0)
            proc.stdin.write(text.encode())
            proc.stdin.flush()


def run(build, hv, name, domus, dom0_args=None, script=(), stop=None,
        timeout=TIMEOUT, smp=SMP, image=None, host_extra="", pools=(),
        qemu_extra=(), chosen=None, drop=None, linux_dom0=False,
        disk=False, xen_args=None, idle=30):
    """Boot `hv` (orchid|xen), or `image`, with `domus`; returns (output,
    log). linux_dom0: Dom0 is Debian's Linux with the toolstack initramfs
    (toolstack_cases), its command line dom0.DOM0_ARGS + dom0_args.
    disk: a raw image QEMU gives a virtio-blk-device (None:
    BUILD/guest/disk.img), or False for none. xen_args: the hypervisor's
    command line instead of XEN_ARGS (or toolstack_cases.XEN_ARGS with a
    Linux Dom0); idle: seconds without output before giving up."""
    out_dir = os.path.join(build, "tests")
    log = os.path.join(out_dir, "%s-%s.log" % (name, hv))
    kernel = os.path.join(build, guest_tests.TESTS["baremetal"])
    ramdisk, start = None, DOMU_ADDR
    xen_args = xen_args or XEN_ARGS
    if linux_dom0:
        guest, error = toolstack_cases.toolstack_material(build)
        if error:
            raise OSError("no toolstack material: " + error.strip()[-200:])
        kernel, ramdisk = guest.kernel, guest.ramdisk
        dom0_args = dom0.DOM0_ARGS + " " + dom0_args
        xen_args = toolstack_cases.XEN_ARGS
        # The DomUs' modules above Dom0's initramfs.
        start = dom0.RAMDISK_ADDR + os.path.getsize(ramdisk)
        start = (start + DOMU_STRIDE - 1) // DOMU_STRIDE * DOMU_STRIDE
    image = image or guest_tests.hv_image(build, hv)
    for path in (kernel, image):
        if not os.path.exists(path):
            raise OSError("no %s" % path)
    place(build, domus, start)
    dtb = make_dtb(out_dir, "%s-%s" % (name, hv), domus, kernel, dom0_args,
                   smp, host_extra, pools, chosen, ramdisk, xen_args)
    if disk is not False:
        disk = disk or os.path.join(build, "guest", "disk.img")
        qemu_extra = list(qemu_extra) + [
            "-drive", "file=%s,if=none,id=vd0,format=raw,readonly=on" % disk,
            "-device", "virtio-blk-device,drive=vd0"]
    args = qemu_args(image, dtb, kernel, domus, dom0_args is not None, smp,
                     qemu_extra, ramdisk)
    qrun = dom0.WatchedQemuRun(args, log, timeout, idle=idle)
    stops = [stop] if stop else []
    return qrun.run(stop_patterns=stops,
                    on_output=Typist(script, drop)), log


# ---- the cases, shared with dom0less_cases.py --------------------------------

def two_domus():
    """No Dom0: two DomUs, each reads a line typed after Ctrl-a x3."""
    domus = [Domu("one", echo=True), Domu("two", cpus=2, echo=True)]
    script = [(r"DOM0LESS-WAITING[\s\S]*DOM0LESS-WAITING", SWITCH),
              (r"Serial input to DOM1", "hello\r"),
              (r"DOM0LESS-DONE name=one", SWITCH),
              (r"Serial input to DOM2", "world\r"),
              (r"DOM0LESS-DONE name=two", SWITCH),
              # Past the last boot-time DomU: back to the hypervisor.
              (r"Serial input to (Orchid|Xen)", "")]
    # The whole line: Orchid prints it in two parts.
    return dict(domus=domus, script=script,
                stop=r"Serial input to (Orchid|Xen) \(type 'CTRL-a' "
                     r"three times to switch input\)\n")


def with_dom0():
    """Dom0 (the test guest running its checks) and one DomU whose input
    comes after one Ctrl-a x3 (DOM0 -> DOM1)."""
    domus = [Domu("solo", echo=True)]
    script = [(r"DOM0LESS-WAITING", SWITCH),
              (r"Serial input to DOM1", "ping\r")]
    # Not the DomU's DONE line: while input is switched to it, the DomU's
    # bytes print one by one, each possibly at the head of one of Dom0's
    # check lines, so that line is never whole in the raw output (the
    # case matches it once Dom0's lines are dropped). Dom0's result line
    # comes last, after its checks' seconds, and is always whole.
    return dict(domus=domus, script=script, dom0_args="",
                stop=r"Test result: (?:SUCCESS|FAILURE|SKIP|ERROR).*\n")


def linux():
    """No Dom0: Debian's Linux as a DomU with the vpl011 as its console
    (the sbsa-uart driver, interrupt driven), and the test guest."""
    domus = [Domu("linux", mem_kb=262144, cpus=2, kernel="guest/Image",
                  ramdisk="guest/domu.cpio.gz",
                  args="console=ttyAMA0 earlycon=pl011,mmio32,0x22000000 "
                  "rdinit=/init orchid.domu=dom0less"),
             Domu("tiny")]
    return dict(domus=domus, stop=r"reboot: Power down|Panic",
                timeout=120)


def enhanced():
    """Dom0 (Debian's Linux and Xen 4.17's tools) and two "xen,enhanced"
    DomUs: Debian's Linux (orchid.domu=enhanced: it waits for its
    xenstore) and the test guest, idling. Dom0 runs init-dom0less, then
    checks xl list, the Linux DomU's xenstore and xl console
    (tests/guest/init-dom0-dom0less.sh)."""
    domus = [Domu("linux", mem_kb=262144, kernel="guest/Image",
                  ramdisk="guest/domu.cpio.gz",
                  args="console=ttyAMA0 quiet rdinit=/init "
                  "orchid.domu=enhanced", props={"xen,enhanced": "enabled"}),
             Domu("idle", args="mode=dom0less name=idle xs=1 then=halt",
                  props={"xen,enhanced": None})]
    return dict(domus=domus, linux_dom0=True,
                dom0_args="orchid.test=toolstack orchid.cpus=%d "
                "orchid.mem=%d orchid.only=toolstack-daemons,"
                "dom0less-enhanced" % (SMP, MEM),
                stop=r"ORCHID-TEST POWEROFF|Panic|Kernel panic",
                timeout=900)


def enhanced_restart():
    """Dom0 and enhanced()'s Linux DomU alone, under orchid,on-reboot =
    "restart" (beyond Xen): init-dom0less introduces it, Dom0 reboots it
    through its xenstore (xl sysrq b), Orchid rebuilds it, a second
    init-dom0less introduces the new incarnation, which connects again
    (tests/guest/init-dom0-dom0less.sh)."""
    case = enhanced()
    linux = case["domus"][0]
    linux.props = {"xen,enhanced": "enabled", "orchid,on-reboot": "restart"}
    case["domus"] = [linux]
    case["dom0_args"] = "orchid.test=toolstack orchid.cpus=%d " \
        "orchid.mem=%d orchid.only=toolstack-daemons," \
        "dom0less-enhanced-restart" % (SMP, MEM)
    return case


# What a previous boot left in RAM (bootloader, a crashed hypervisor's
# guests): scrub.c's pattern, one page every 8 MiB of QEMU's RAM, 7 MiB
# into each stripe, clear of the hypervisor image (2 MiB in), the DTB
# (128 MiB in) and the DomU's module (0x52000000, under 2 MiB).
SCRUB_PATTERN = 0xd5c3b2a1f00dcafe
SCRUB_STRIPE, SCRUB_OFFSET = 8 << 20, 7 << 20


def scrub_pattern_loaders():
    import struct
    import tempfile
    path = os.path.join(tempfile.gettempdir(), "orchid-scrub-pattern.bin")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", SCRUB_PATTERN) * 512)
    args = []
    for base in range(0x40000000, 0x40000000 + (MEM << 20), SCRUB_STRIPE):
        args += ["-device", "loader,file=%s,addr=%#x,force-raw=on" %
                 (path, base + SCRUB_OFFSET)]
    return args


def boot_scrub():
    """No Dom0: RAM holds a pattern before the hypervisor starts (a page in
    every 8 MiB); the DomU's 64 MiB, wherever it lies, spans eight of
    them. Its guest (scrub.c, mode=scrub-check) counts its pages that
    are not zeros or hold the pattern: a boot-time DomU must see none,
    as under Xen 4.17 (bootscrub=idle: boot memory is scrubbed before it
    is handed out)."""
    domus = [Domu("fresh", args="mode=scrub-check dom0less=1 mib=64")]
    return dict(domus=domus, qemu_extra=scrub_pattern_loaders(), smp=1,
                stop=r"SCRUB-CHECK [^\n]*\n")


def boot_scrub_off():
    """boot_scrub() with bootscrub=0: the user asked for boot memory as it
    is, and gets it, as from Xen 4.17 (the DomU sees the pattern pages:
    the case shows the option is honoured, and that boot_scrub's zeros
    come from the scrub, not from QEMU's fresh RAM)."""
    case = boot_scrub()
    case["xen_args"] = XEN_ARGS + " bootscrub=0"
    return case


def boot_scrub_later():
    """boot_scrub() for DomUs built after the first one started (Orchid
    builds each once the previous one runs): on one pCPU, the first spins
    (mode=hog, never idle), the next two count their pages; they must
    start all the same, and see zeros."""
    domus = [Domu("hog", args="mode=hog dom0less=1"),
             Domu("late1", args="mode=scrub-check dom0less=1 mib=64"),
             Domu("late2", args="mode=scrub-check dom0less=1 mib=64")]
    return dict(domus=domus, qemu_extra=scrub_pattern_loaders(), smp=1,
                stop=all_of([r"DOM2: SCRUB-CHECK [^\n]*\n",
                             r"DOM3: SCRUB-CHECK [^\n]*\n"]) + "|Panic")


def dom0_boot_scrub():
    """boot_scrub() for Dom0 (the test guest, dom0_mem=128M, no DomU):
    it counts over the banks its DTB gives it, wherever they lie (dt=1).
    Xen 4.17 scrubs Dom0's RAM too (bootscrub=idle: the heap's boot
    pages are dirty, allocate_memory_11 scrubs them)."""
    return dict(domus=[], dom0_args="mode=scrub-check dt=1",
                qemu_extra=scrub_pattern_loaders(), smp=1,
                stop=r"SCRUB-CHECK [^\n]*\n")


def dom0_boot_scrub_off():
    """dom0_boot_scrub() with bootscrub=0: Dom0 sees the pattern."""
    case = dom0_boot_scrub()
    case["xen_args"] = XEN_ARGS + " bootscrub=0"
    return case


def enhanced_no_dom0():
    """No Dom0: xen,enhanced with xenstore (the property's default) is
    refused (Xen 4.17 panics: "Xenstore support requires dom0"),
    "no-xenstore" starts without a xenstore port, an unknown value is
    ignored as by Xen."""
    domus = [Domu("xs", props={"xen,enhanced": None}),
             Domu("noxs", args="mode=dom0less name=noxs xs=1",
                  props={"xen,enhanced": "no-xenstore"}),
             Domu("odd", props={"xen,enhanced": "maybe"})]
    # Both DomUs run side by side: stop once each is done (the one with
    # xs=1 prints its parameters last, so "odd" may finish first).
    return dict(domus=domus,
                stop=all_of([r"DOM0LESS-DONE name=odd",
                             r"DOM0LESS-DONE name=noxs"]) + "|Panic")


def linux_restart():
    """linux() with orchid,on-poweroff = "restart": Debian's Linux powers
    off and is rebuilt from its kernel and initramfs modules, twice."""
    case = linux()
    case["domus"][0].props = {"orchid,on-poweroff": "restart"}
    case["stop"] = r"(?:ORCHID-DOMU-READY[\s\S]*){3}|Panic"
    case["timeout"] = 300
    return case


def tests():
    """The test guest's checks as a boot-time DomU (issue 9), beside a
    Dom0 (the test guest idling) so that what they aim at Dom0 exists."""
    domus = [Domu("tests", mem_kb=131072, cpus=2,
                  args="mode=dom0less tests=1")]
    # Two CPUs, as guest_tests.py's Dom0 runs: fewer QEMU threads, so
    # the timer checks' 200 ms bound holds on a busy host.
    return dict(domus=domus, dom0_args="mode=idle", smp=2,
                stop=r"Test result: .*\n|Panic")


def bad_nodes():
    """No "cpus" in domain 1, memory = 0 in domain 2: Orchid skips both
    and starts domain 3; Xen 4.17 panics."""
    domus = [Domu("nocpus", cpus=None), Domu("nomem", 0), Domu("good")]
    return dict(domus=domus, stop=r"DOM0LESS-DONE name=good|Panic")


# QEMU virt's PL061 GPIO: one page, SPI 7 (INTID 39), level high.
PL061 = 0x9030000
PL061_INTID = 39
PL061_PATH = "/pl061@9030000"
# The guest's GIC phandle in a DomU's tree (Xen's GUEST_PHANDLE_GIC).
GUEST_PHANDLE_GIC = 65000


def cpupools():
    """Boot-time cpupools: pCPUs 0-1 in the first node (credit2), pCPU 2
    in a null pool holding DomU "pinned" (waiting for input, so it stays
    up), pCPU 3 in no node (Xen makes it a third pool); Dom0 (the test
    guest idling) and DomU "free" in Pool-0. Serial input is then taken
    to Orchid, whose 'r' key dumps each pCPU's pool and occupant."""
    pools = [Pool("main", [0, 1]), Pool("rt", [2], "null")]
    domus = [Domu("pinned", echo=True, pool="rt"), Domu("free")]
    script = [(all_of(["IDLE: Dom0", "DOM0LESS-WAITING",
                       "DOM0LESS-DONE name=free"]), SWITCH),
              (r"Serial input to DOM1", SWITCH),
              (r"Serial input to DOM2", SWITCH),
              (r"Serial input to (Orchid|Xen)", "r")]
    return dict(domus=domus, dom0_args="mode=idle", pools=pools,
                script=script, stop=r"CPU\[03\] pool[^\n]*\n|Panic")


def cpupools_bad():
    """pCPU 1 in two xen,cpupool nodes: Orchid says so, keeps every pCPU
    in Pool-0 and does not start the DomU naming a pool (Xen 4.17
    panics); the other DomU starts."""
    pools = [Pool("main", [0, 1]), Pool("rt", [1, 2], "null")]
    domus = [Domu("pinned", pool="rt"), Domu("free")]
    return dict(domus=domus, pools=pools,
                stop=r"DOM0LESS-DONE name=free|Panic")


def rtds_periodic():
    """No Dom0; pCPU 1 is an RTDS pool holding a periodic task (the test
    guest's mode=rt-periodic: wakes every 10 ms by its virtual timer,
    computes 1 ms, 200 times) and a CPU hog (mode=hog), each vCPU with
    RTDS's defaults (4 ms every 10 ms, extratime; boot-time DomUs have no
    xl sched-rtds). The task must never miss a deadline, and as EDF
    bounds it, never wait more than the hog's budget (4 ms, +1 ms): both
    have the same deadlines, so the hog keeps the pCPU on a tie until its
    budget is spent, as on Xen. QEMU runs with -icount: virtual time
    follows instructions, so a busy host cannot make the task late."""
    pools = [Pool("main", [0]), Pool("rt", [1], "rtds")]
    domus = [Domu("periodic", pool="rt",
                  args="mode=rt-periodic dom0less=1 period_ms=10 "
                       "work_us=1000 periods=200 max_late_ms=5"),
             Domu("hog", pool="rt", args="mode=hog dom0less=1")]
    return dict(domus=domus, pools=pools, smp=2,
                qemu_extra=["-icount", "shift=3"],
                stop=r"Test result: .*\n|Panic")


def build_latency():
    """No Dom0, one pCPU: "rt" (mode=rt-periodic) wakes every 1 ms by its
    virtual timer and records how late each wake-up came, while "big"
    (128 MiB, orchid,on-crash = "restart") is built after it on the same
    pCPU, sleeps 20 ms after each boot (WFI: the pCPU is rt's meanwhile),
    crashes and is rebuilt. Orchid builds on pCPU 0 between the vCPUs it
    runs: whatever it does there without giving the pCPU back delays rt's
    timer interrupt by as long. rt's max_held_us is the longest Orchid
    held its pCPU: a wake-up's lateness, or a 100 us job's overrun, less
    the time rt waited runnable (big's boot, ~3.5 ms of vpl011 output,
    keeps the pCPU from a waking rt: the scheduler's choice, as on Xen, so
    misses are allowed). Bound: 1 ms, a tick of a 1 kHz guest; building
    and restarting in one go held it 12.5 ms (a 128 MiB scrub is 6.8 ms
    of it). -icount
    shift=0,sleep=off: virtual time follows instructions and skips idle
    time, as under make bench-dom0less (with sleep on, an idle pCPU's
    time is the host's, and a loaded host makes rt late by itself)."""
    domus = [Domu("rt", args="mode=rt-periodic dom0less=1 period_us=1000 "
                  "work_us=100 periods=200 max_held_us=1000 "
                  "max_misses=200"),
             Domu("big", mem_kb=128 << 10,
                  props={"orchid,on-crash": "restart"},
                  args="mode=dom0less name=big then=crash wait_ms=20 "
                       "wait_idle=1")]
    return dict(domus=domus, smp=1,
                qemu_extra=["-icount", "shift=0,sleep=off"],
                stop=r"Test result: .*\n|Panic")


def partial_tree(node):
    """A DomU's partial device tree: @node (one device, its xen,reg,
    xen,path and xen,force-assign-without-iommu) under /passthrough."""
    return ("/dts-v1/;\n/ {\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n"
            "\tpassthrough {\n\t\tcompatible = \"simple-bus\";\n\t\tranges;\n"
            "\t\t#address-cells = <2>;\n\t\t#size-cells = <2>;\n" + node +
            "\t\t};\n\t};\n};\n")


def pl061_partial(path=PL061_PATH):
    """The DomU's partial tree: the PL061 at its host address, its frame
    and (by xen,path) its interrupt, with no IOMMU to protect it."""
    return partial_tree("""\t\tpl061@%x {
\t\t\tcompatible = "arm,pl061", "arm,primecell";
\t\t\treg = <0x0 0x%x 0x0 0x1000>;
\t\t\tinterrupts = <0x0 0x%x 0x4>;
\t\t\tinterrupt-parent = <%d>;
\t\t\txen,reg = <0x0 0x%x 0x0 0x1000 0x0 0x%x>;
\t\t\txen,path = "%s";
\t\t\txen,force-assign-without-iommu;
""" % (PL061, PL061, PL061_INTID - 32, GUEST_PHANDLE_GIC, PL061, PL061, path))


def all_of(patterns):
    """A stop pattern matching once every one of `patterns` is out, in any
    order (Dom0's console and the DomUs' interleave)."""
    return r"(?s)\A" + "".join("(?=.*%s)" % p for p in patterns)


def pl061_partial_dtb(build):
    """pl061_partial() compiled into build/tests/ (xl's device_tree=)."""
    return partial_dtb(build, Domu("pl061", partial=pl061_partial()))


# The host DT addition that keeps the PL061 from Dom0.
PL061_PASSTHROUGH = "&{%s} {\n\txen,passthrough;\n};\n" % PL061_PATH


def passthrough(owned_by_dom0=False):
    """Dom0 (the test guest idling) and a DomU given the PL061 by its
    partial DT: the DomU reads its ID and takes its interrupt, Dom0 gets
    a data abort there. The host node is marked xen,passthrough, so Dom0
    is not given it; owned_by_dom0 leaves the mark out: Dom0 keeps the
    device and Orchid refuses it to the DomU (Xen gives it to both)."""
    args = "mode=dom0less name=pt pt=%d pt_irq=%d" % (PL061, PL061_INTID)
    domus = [Domu("pt", partial=pl061_partial(), args=args),
             Domu("after")]
    extra = "" if owned_by_dom0 else PL061_PASSTHROUGH
    dom0_args = "mode=idle" if owned_by_dom0 else \
        "mode=idle pt_absent=%d" % PL061
    return dict(domus=domus, dom0_args=dom0_args, host_extra=extra,
                stop=all_of(["IDLE: Dom0", "DOM0LESS-DONE name=after"] +
                            ([] if owned_by_dom0 else
                             ["DOM0LESS-DONE name=pt"])))


def passthrough_dom0_owned():
    return passthrough(owned_by_dom0=True)


# ---- restart policies (Orchid only: beyond Xen 4.17) ------------------------

RESTARTS = 5  # crashes of restart()'s first DomU, each restarted


def restart():
    """No Dom0: "crashy" (orchid,on-crash = "restart") crashes 0.3 s
    after each boot; "ticker" prints a numbered tick every 100 ms
    throughout. Stops once crashy's sixth boot is ready."""
    domus = [Domu("crashy", props={"orchid,on-crash": "restart"},
                  args="mode=dom0less name=crashy then=crash wait_ms=300"),
             Domu("ticker", args="mode=dom0less name=ticker then=ticks "
                  "tick_ms=100")]
    return dict(domus=domus, timeout=90,
                stop=r"domU1 \(d1\) restarted after crash: boot %d, "
                     r"\d+ KiB free\n[\s\S]*DOM0LESS-READY name=crashy" %
                     (RESTARTS + 1))


def lifecycle():
    """No Dom0, one DomU per way of ending: "wd" lets its watchdog expire
    (on-watchdog restart), "rb" reboots by PSCI (on-reboot restart),
    "gone" crashes under on-crash "destroy", "kept" crashes with no
    policy (Xen's behaviour: it stays shut down), "pres" crashes under an
    explicit "preserve"."""
    crash = "mode=dom0less name=%s then=crash wait_ms=200"
    domus = [Domu("wd", props={"orchid,on-watchdog": "restart"},
                  args="mode=dom0less name=wd then=watchdog"),
             Domu("rb", props={"orchid,on-reboot": "restart",
                               "orchid,on-crash": "destroy"},
                  args="mode=dom0less name=rb then=reboot wait_ms=200"),
             Domu("gone", props={"orchid,on-crash": "destroy",
                                 "orchid,on-reboot": "restart"},
                  args=crash % "gone"),
             Domu("kept", args=crash % "kept"),
             Domu("pres", props={"orchid,on-crash": "preserve"},
                  args=crash % "pres")]
    # Whole lines: the case expects what follows "boot 3" too.
    return dict(domus=domus, timeout=90, stop=all_of([
        r"domU1 \(d1\) restarted after watchdog: boot 3, .*\n",
        r"domU2 \(d2\) restarted after reboot: boot 3, .*\n",
        r"domU3 \(d3\) destroyed after crash",
        r"Domain 4 shut down: crash", r"Domain 5 shut down: crash"]))


def bad_policy():
    """An orchid,on-crash that is not one of the three words: the node is
    reported and not started, as any bad value; the next one starts."""
    domus = [Domu("bad", props={"orchid,on-crash": "reboot"}),
             Domu("good")]
    return dict(domus=domus, stop=r"DOM0LESS-DONE name=good|Panic")


def hwdom_crash(preserve=True):
    """Dom0 (the test guest idling) crashes 0.5 s in beside a ticking
    DomU. With /chosen's orchid,hwdom-on-crash = "preserve" only Dom0
    stays down and the DomU ticks on; without, as Xen: the machine resets
    5 s later (the run stops when Orchid boots again)."""
    domus = [Domu("ticker", args="mode=dom0less name=ticker then=ticks "
                  "tick_ms=100")]
    chosen = {"orchid,hwdom-on-crash": "preserve"} if preserve else None
    if preserve:
        stop = r"Hardware Dom0 crashed: preserved[\s\S]*n=40\n"
    else:  # until the hypervisor boots again
        stop = r"rebooting machine in 5 seconds[\s\S]*" \
            r"(?:booting at EL2|Xen version)"
    return dict(domus=domus, dom0_args="mode=idle then=crash wait_ms=500",
                chosen=chosen, timeout=60, stop=stop)


def hwdom_crash_reset():
    return hwdom_crash(preserve=False)


# ---- static memory and direct-map (Orchid only: Debian's Xen 4.17 is built
# without CONFIG_STATIC_MEMORY) ------------------------------------------------

# Banks high in QEMU's RAM, clear of Orchid, Dom0's heap memory and the
# modules (DOMU_ADDR up).
STATIC_A = 0xa0000000
STATIC_B = 0xb0000000
MIB = 1 << 20


def static_mem():
    """No Dom0. "st": 64 MiB from two static banks, not direct-mapped
    (its RAM is GUEST_RAM0 for it); "dm": one bank, direct-mapped (its
    RAM, GIC and vpl011 at host addresses), restarted on each crash;
    "clash" names a bank of "st"'s, "nostatic" direct-map alone, "sum" a
    memory that is not its banks' sum: each refused; "after" starts."""
    crash = "mode=dom0less name=dm then=crash wait_ms=200"
    domus = [Domu("st", static_mem=[(STATIC_A, 32 * MIB),
                                     (STATIC_A + 64 * MIB, 32 * MIB)]),
             Domu("dm", static_mem=[(STATIC_B, 64 * MIB)], direct_map=True,
                  props={"orchid,on-crash": "restart"}, args=crash),
             Domu("clash", static_mem=[(STATIC_A + 16 * MIB, 16 * MIB)]),
             Domu("nostatic", direct_map=True),
             Domu("sum", mem_kb=32768,
                  static_mem=[(STATIC_A + 128 * MIB, 16 * MIB)]),
             Domu("after")]
    return dict(domus=domus, timeout=90, stop=all_of([
        r"DOM0LESS-DONE name=st", r"DOM0LESS-DONE name=after",
        r"domU2 \(d2\) restarted after crash: boot 3, .*\n"]))


# QEMU virt's last virtio-mmio transport, where the first -device of the
# command line lands (virt.c creates them so that -device options take
# decreasing base addresses): SPI 47 (INTID 79), edge rising. Its 4 KiB
# frame holds eight transports, 0x200 bytes each.
VIRTIO = 0x0a003e00
VIRTIO_INTID = 79
VIRTIO_FRAME = VIRTIO & ~0xfff
VIRTIO_PATH = "/virtio_mmio@%x" % VIRTIO
# The Linux DomU's static bank (direct-mapped: its RAM at these addresses).
VIRTIO_DOMU_BANK = (0xa0000000, 256 * MIB)


def virtio_partial():
    """The DomU's partial tree: the transport at its host address, the
    whole frame (xen,reg) and its interrupt (xen,path), no IOMMU."""
    return partial_tree("""\t\tvirtio_mmio@%x {
\t\t\tcompatible = "virtio,mmio";
\t\t\treg = <0x0 0x%x 0x0 0x200>;
\t\t\tinterrupts = <0x0 0x%x 0x1>;
\t\t\tinterrupt-parent = <%d>;
\t\t\tdma-coherent;
\t\t\txen,reg = <0x0 0x%x 0x0 0x1000 0x0 0x%x>;
\t\t\txen,path = "%s";
\t\t\txen,force-assign-without-iommu;
""" % (VIRTIO, VIRTIO, VIRTIO_INTID - 32, GUEST_PHANDLE_GIC, VIRTIO_FRAME,
       VIRTIO_FRAME, VIRTIO_PATH))


def passthrough_virtio(disk=None):
    """Dom0 (the test guest idling, looking for the transport) and
    Debian's Linux as a direct-mapped DomU with a static bank, given the
    virtio-mmio transport of a virtio-blk disk (QEMU's -drive) by its
    partial DT: without an IOMMU the device's DMA uses host addresses, so
    only a direct-mapped DomU can drive it. The DomU reads the disk's
    first line and md5 (init-domu.sh's orchid.domu=disk); the host nodes
    of every transport in that frame are xen,passthrough, so Dom0 is given
    none of them and its load there aborts. disk: tools/fetch-guest.sh's
    disk.img (None: BUILD/guest/disk.img, filled in by run())."""
    domus = [Domu("vdisk", mem_kb=VIRTIO_DOMU_BANK[1] >> 10, cpus=1,
                  kernel="guest/Image", ramdisk="guest/domu.cpio.gz",
                  partial=virtio_partial(), static_mem=[VIRTIO_DOMU_BANK],
                  direct_map=True,
                  args="console=ttyAMA0 earlycon=pl011,mmio32,0x9000000 "
                  "rdinit=/init orchid.domu=disk")]
    extra = "".join("&{/virtio_mmio@%x} {\n\txen,passthrough;\n};\n" %
                    (VIRTIO_FRAME + 0x200 * i) for i in range(8))
    return dict(domus=domus, dom0_args="mode=idle pt_absent=%d" % VIRTIO,
                host_extra=extra, disk=disk, timeout=180,
                stop=r"reboot: Power down|Panic|Kernel panic")


CASES = {"two-domus": two_domus, "with-dom0": with_dom0,
         "bad-node": bad_nodes, "linux": linux, "tests": tests,
         "passthrough": passthrough,
         "passthrough-dom0-owned": passthrough_dom0_owned,
         "cpupools": cpupools, "cpupools-bad": cpupools_bad,
         "rtds-periodic": rtds_periodic,
         "restart": restart, "lifecycle": lifecycle,
         "bad-policy": bad_policy, "hwdom-crash": hwdom_crash,
         "hwdom-crash-reset": hwdom_crash_reset,
         "linux-restart": linux_restart, "enhanced": enhanced,
         "enhanced-restart": enhanced_restart,
         "enhanced-no-dom0": enhanced_no_dom0,
         "static-mem": static_mem,
         "passthrough-virtio": passthrough_virtio}


def demo():
    """`make run-dom0less`: no Dom0; "one" echoes a line typed to it
    (Ctrl-a three times gives it the serial input) then crashes and is
    rebuilt (orchid,on-crash = "restart"), ready for the next line;
    "two" prints a tick every 2 s throughout."""
    domus = [Domu("one", echo=True, props={"orchid,on-crash": "restart"},
                  args="mode=dom0less name=one echo=1 then=crash"),
             Domu("two", args="mode=dom0less name=two then=ticks "
                  "tick_ms=2000")]
    return dict(domus=domus)


def run_interactive(build, name, domus, **_):
    """Boot Orchid with `domus` on this terminal (Ctrl-T x quits QEMU)."""
    out_dir = os.path.join(build, "tests")
    kernel = os.path.join(build, guest_tests.TESTS["baremetal"])
    place(build, domus)
    dtb = make_dtb(out_dir, name, domus, kernel)
    args = dom0.machine_args(GIC, SMP, mem=MEM, interactive=True)
    # QEMU's escape moves to Ctrl-T: Ctrl-a is the hypervisor's own.
    args += ["-echr", "0x14"]
    args += ["-kernel", guest_tests.hv_image(build, "orchid"), "-dtb", dtb]
    for d in domus:
        for _, path, addr, _ in d.loads:
            args += ["-device", "loader,file=%s,addr=%#x,force-raw=on" %
                     (path, addr)]
    print("Orchid with two dom0less DomUs; Ctrl-a three times switches "
          "the serial input (Orchid, DOM1, DOM2); Ctrl-T x quits QEMU.")
    os.execvp(args[0], args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--hv", default="both", choices=("orchid", "xen",
                                                     "both"))
    ap.add_argument("--case", default="all")
    ap.add_argument("--interactive", action="store_true",
                    help="boot the demo (make run-dom0less) on this "
                    "terminal")
    opts = ap.parse_args()
    if opts.interactive:
        run_interactive(opts.build, "dom0less-demo", **demo())
    hvs = ("orchid", "xen") if opts.hv == "both" else (opts.hv,)
    names = list(CASES) if opts.case == "all" else [opts.case]
    keep = re.compile(r"\(d\d+\)|DOM\d|Serial input|dom0less|DOM0LESS|"
                      r"vpl011|LOADING DOMU|PT-|passthrough|not started", re.I)
    for name in names:
        for hv in hvs:
            out, log = run(opts.build, hv, "dom0less-" + name,
                           **CASES[name]())
            print("== %s on %s (%s)" % (name, hv, os.path.relpath(log)))
            for line in out.splitlines():
                if keep.search(line):
                    print("   " + line)
    return 0


if __name__ == "__main__":
    sys.exit(cli("dom0less", main))
