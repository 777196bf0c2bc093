# SPDX-License-Identifier: MIT
"""Boot-time (dom0less) DomUs as run.py cases (dom0less.py builds the DTB).

  dom0less-two-domus   no Dom0: two DomUs of the test guest, vpl011
      consoles; each prints its lines as Xen 4.17 prints them ("DOMn: "
      while input is elsewhere), Ctrl-a x3 moves serial input DOM0 ->
      DOM1 -> DOM2 -> Orchid and each DomU reads the line typed to it.
  dom0less-with-dom0   Dom0 (the test guest, running its checks) and one
      DomU, which gets its line after one Ctrl-a x3.
  dom0less-linux   no Dom0: Debian's Linux as a DomU whose console is the
      vpl011 (Linux's sbsa-uart driver, interrupt driven) runs its
      initramfs and powers off; the test guest runs beside it. Its
      initramfs is the toolstack material's DomU one: run and skipped as
      the toolstack cases are (ORCHID_TOOLSTACK_TESTS).
  dom0less-two-domus-minimal   two-domus on configs/minimal_defconfig's
      image (no hypfs, debug keys, trace buffers, grant tables, domctl or
      sysctl, GICv2, debug checks): the static-partitioning build does
      what the full one does, and grant_table_op and domctl answer
      -ENOSYS (0 and -EPERM on the full one).
  dom0less-bad-node    a DomU node with no "cpus" and one whose kernel
      memory = 0: each is reported and skipped, the good one (domain 3,
      IDs follow the nodes' order) still starts (Xen 4.17 panics).
  dom0less-cpupools   boot-time cpupools (Xen's xen,cpupool nodes):
      pCPUs 0-1 in Pool-0, pCPU 2 in a null Pool-1 holding a DomU by its
      domain-cpupool, pCPU 3 (in no node) in Pool-2; the 'r' debug key
      dumps pool by pool (as Xen's dump_runq) and shows pCPU 2 given to
      that DomU's vCPU and nothing else there.
      Orchid only: Debian's Xen 4.17 is built without BOOT_TIME_CPUPOOLS.
  dom0less-cpupools-bad   a pCPU in two pools: the pools are dropped
      (every pCPU in Pool-0), the DomU naming one is not started, the
      other starts (Xen 4.17 panics).
  dom0less-rtds-periodic   an RTDS pool of one pCPU with a periodic
      task (10 ms, 1 ms of work) and a CPU hog, each 4 ms / 10 ms: no
      deadline missed in 200 periods, no wake-up later than 5 ms, the hog
      ran meanwhile (under -icount). Orchid only (no RTDS in Debian's
      Xen 4.17).
  dom0less-passthrough   Dom0 (the test guest idling) and a DomU given
      QEMU's PL061 by its partial DT (xen,reg, xen,path,
      xen,force-assign-without-iommu; the host node is xen,passthrough):
      the DomU reads the PL061's PrimeCell IDs and takes its SPI 39; a
      load there in Dom0 is a data abort. Same lines on Xen 4.17.
  dom0less-passthrough-dom0-owned   the host node not marked
      xen,passthrough: Dom0 keeps the PL061 and Orchid does not start
      the DomU asking for it (-EBUSY); the next DomU starts. Xen 4.17
      maps the frame into both and only leaves the SPI out.
"""
import os
import re

import dom0less
import toolstack_cases


# `make minimal-image` (a prerequisite of systest) builds it.
MINIMAL_IMAGE = os.path.join("configs", "minimal", "build", "orchid.bin")


class Dom0lessCase:
    def __init__(self, name, make, expect, forbid=(), drop=None,
                 image=None, xen_too=True):
        self.name = "dom0less-" + name
        self.make = make
        self.expect = expect
        self.forbid = forbid
        self.drop = drop
        self.image = image  # relative to the build folder; None: ctx's
        # False: a feature Debian's Xen 4.17 is built without.
        self.xen_too = xen_too

    def run(self, ctx):
        hv = "orchid" if ctx.image.endswith("orchid.bin") else "xen"
        image = os.path.join(ctx.build, self.image) if self.image else None
        if image and hv == "xen":
            return ["an Orchid configuration's case"], ""
        if not self.xen_too and hv == "xen":
            return ["not in Debian's Xen 4.17 build"], ""
        out, log = dom0less.run(ctx.build, hv, self.name, image=image,
                                **self.make())
        if self.drop:
            out = re.sub(self.drop, "", out)
        problems = ["missing /%s/" % p for p in self.expect
                    if not re.search(p, out, re.M)]
        problems += ["unexpected /%s/" % p for p in self.forbid
                     if re.search(p, out, re.M)]
        return problems, log


class Dom0lessLinuxCase(Dom0lessCase):
    def skip(self, only_named, toolstack_opt):
        """Why this case does not run, or "" (as guest-tests-domu)."""
        run, why = toolstack_cases.enabled(only_named)
        forced = toolstack_opt and \
            os.environ.get(toolstack_cases.ENV) != "0"
        return "" if run or forced else why

    def run(self, ctx):
        _, error = toolstack_cases.toolstack_material(ctx.build)
        if error:
            return ["no toolstack guest material: " + error.strip()[-200:]], \
                ctx.path(self.name + ".log")
        return super().run(ctx)


# What two-domus prints, on either image.
TWO_DOMUS_EXPECT = [
    r"LOADING DOMU cpus=1 memory=10000KB",
    r"LOADING DOMU cpus=2 memory=10000KB",
    r"^\(XEN\) DOM1: DOM0LESS-READY name=one vcpus=1$",
    r"^\(XEN\) DOM2: DOM0LESS-READY name=two vcpus=2$",
    r"Serial input to DOM0 \(type 'CTRL-a' three times",
    r"Serial input to DOM1",
    r'vpl011 read: "hello"',
    r"Serial input to DOM2",
    r'^\(XEN\) vpl011 read: "world"$',
    r"DOM0LESS-DONE name=one", r"DOM0LESS-DONE name=two",
    r"Serial input to Orchid \(type 'CTRL-a' three times"]

CASES = [
    Dom0lessCase("two-domus", dom0less.two_domus, TWO_DOMUS_EXPECT + [
        r"DOM1: DOM0LESS-GNTTAB query_size=0$",
        r"DOM1: DOM0LESS-DOMCTL getdomaininfo=-1$"]),
    # Built without grant tables and domctl: both hypercalls are gone.
    Dom0lessCase("two-domus-minimal", dom0less.two_domus, TWO_DOMUS_EXPECT + [
        r"DOM1: DOM0LESS-GNTTAB query_size=-38$",
        r"DOM1: DOM0LESS-DOMCTL getdomaininfo=-38$"],
        image=MINIMAL_IMAGE),
    Dom0lessCase("with-dom0", dom0less.with_dom0, [
        r"^\(XEN\) DOM1: DOM0LESS-READY name=solo vcpus=1$",
        r"as Dom0",
        r"Serial input to DOM1",
        r'vpl011 read: "ping',
        r"DOM0LESS-DONE name=solo"],
        # The DomU that has the input prints each byte as it comes, as on
        # Xen, so its line may be cut by Dom0's (whole-line) check lines,
        # or by any other line of Dom0's (seen: its GIC line right after
        # "ping"): the read is matched up to the echoed text.
        drop=r"(?m)(?:Test [^\n]*|\(console_io write\))\n"),
    Dom0lessLinuxCase("linux", dom0less.linux, [
        r"DOM1: .*22000000\.sbsa-uart: ttyAMA0 at MMIO 0x22000000",
        r"^\(XEN\) DOM1: ORCHID-DOMU-READY mode=dom0less vcpus=2 ",
        r"^\(XEN\) DOM1: .*reboot: Power down",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=tiny$"],
        forbid=[r"Panic", r"unable to open an initial console"]),
    Dom0lessCase("bad-node", dom0less.bad_nodes, [
        r'/chosen/domU1: "cpus" must be 1 to 128',
        r'/chosen/domU2: "memory" must be a number of KiB',
        r"/chosen/domU1: not started", r"/chosen/domU2: not started",
        r"^\(XEN\) DOM3: DOM0LESS-DONE name=good$"],
        forbid=[r"Panic", r"DOM[12]: "]),
    Dom0lessCase("cpupools", dom0less.cpupools, [
        r"CPU0 in Pool-0 \(credit2\)", r"CPU1 in Pool-0 \(credit2\)",
        r"CPU2 in Pool-1 \(null\)", r"CPU3 in Pool-2 \(credit2\)",
        r"/chosen/domU1: d1, .*, Pool-1$",
        r"/chosen/domU2: d2, .*, Pool-0$",
        r"^\(XEN\) DOM1: DOM0LESS-WAITING",
        # 'r' as Xen's dump_runq: pool by pool, each pCPU's occupant.
        r"^\(XEN\) Online Cpus: 0-3$",
        r"^\(XEN\) Cpupool 0:\n\(XEN\) Cpus: 0-1\n\(XEN\) Scheduler: "
        r"SMP Credit Scheduler rev2 \(credit2\)\n",
        r"^\(XEN\) Cpupool 1:\n\(XEN\) Cpus: 2\n\(XEN\) Scheduler: "
        r".*\(null\)\n\(XEN\) CPU\[02\] pool 1 null given to d1v0 runq:$",
        r"^\(XEN\) Cpupool 2:\n\(XEN\) Cpus: 3\n"],
        # d1v0 nowhere else; Dom0 and d2 never on pCPU 2 or 3's pools.
        forbid=[r"Panic", r"CPU\[0[013]\].*d1v0", r"CPU\[02\].*d[02]v"],
        xen_too=False),
    Dom0lessCase("cpupools-bad", dom0less.cpupools_bad, [
        r"cpupool cpupool-rt: CPU1 is already in a cpupool",
        r"boot-time cpupools ignored: every pCPU stays in Pool-0",
        r"/chosen/domU1: domain-cpupool is no boot-time cpupool",
        r"/chosen/domU1: not started",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=free$"],
        forbid=[r"Panic", r"DOM1: ", r"Pool-1"], xen_too=False),
    Dom0lessCase("rtds-periodic", dom0less.rtds_periodic, [
        r"CPU1 in Pool-1 \(rtds\)",
        r"DOM1: RT-PERIODIC start[\s\S]*DOM2: HOG: beat 1\n"
        r"[\s\S]*DOM1: RT-PERIODIC periods=200 misses=0 ",
        r"^\(XEN\) DOM1: Test result: SUCCESS"],
        forbid=[r"Panic", r"FAILURE"], xen_too=False),
    Dom0lessCase("passthrough", dom0less.passthrough, [
        r"Dom0: 41 MMIO regions, 38 SPIs, 37 of them routed",
        r"^\(XEN\) DOM1: PT-MMIO addr=9030000 cell=b105f00d periph=41061$",
        r"^\(XEN\) DOM1: PT-IRQ intid=39 count=1$",
        r"^PT-ABSENT addr=9030000 abort=1 ",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=after$"],
        forbid=[r"Panic", r"PT-MMIO .*abort"]),
    Dom0lessCase("passthrough-dom0-owned", dom0less.passthrough_dom0_owned, [
        r"Dom0: 41 MMIO regions, 38 SPIs, 38 of them routed",
        r"d1: MFNs 0x9030\+0x1 are domain 0's",
        r"/chosen/domU1: building d1 failed \(-16\)",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=after$"],
        forbid=[r"Panic", r"DOM1: "]),
]
