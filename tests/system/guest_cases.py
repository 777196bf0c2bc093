# SPDX-License-Identifier: MIT
"""The bare-metal test guests (tests/baremetal) as run.py cases.

  guest-tests-baremetal   build/baremetal/guest.Image booted as Dom0 of the
      hypervisor under test (guest_tests.py); fails on any check that is
      not SUCCESS or SKIP, or when no `Test result:` line comes.
  guest-tests-baremetal-gicv2   the same on an emulated GICv2.

  guest-tests-domu   the same image as a DomU, created by Debian's xl in
      Debian's Linux Dom0 (guest_domu.py); fails on any check of the guest
      or of Dom0 afterwards (xl list, free memory, the next domain) that
      is not SUCCESS or SKIP. It needs the toolstack guest material (it
      fetches it as the toolstack case does): run and skipped as the
      toolstack cases are (ORCHID_TOOLSTACK_TESTS).

  guest-tests-dom0less   the same image as a boot-time (dom0less) DomU
      of the DTB, console on its vpl011, beside an idle Dom0.

  guest-vwfi-trap, guest-vwfi-native-null   the image as Dom0 in
      `mode=vwfi`: its WFIs block its vCPU (runstate blocked time) with
      the default vwfi=trap, never with `vwfi=native` (booted with
      `sched=null` too: Dom0's vCPUs each own a pCPU).

  guest-upcall-remote-before, -after, -self   the image as Dom0 in
      `mode=upcall-remote order=...` (test_upcall_remote.c): vCPU 0 sets
      up vCPU 1's event-channel upcall (its vcpu_info registered by vCPU 0
      before vCPU 1's first CPU_ON, after a CPU_OFF, or by vCPU 1 itself)
      and sends to vCPU 1 waiting in WFI.

  guest-cntvct   the image as Dom0 in `mode=cntvct` with three vCPUs,
      each pinned to its own pCPU (-smp 3): one virtual counter for the
      domain (CNTVOFF per domain, from its creation, as Xen 4.17's):
      the same CNTPCT - CNTVCT on every vCPU and pCPU, never backwards
      across vCPUs or for a vCPU moved between pCPUs (test_cntvct.c).

  guest-tests-sched-credit, guest-tests-sched-arinc653   the whole image
      as Dom0 with `sched=credit` / `sched=arinc653` for Pool-0.

The Dom0 and dom0less cases need no downloaded material, so they run in
every `make systest`.
"""
import os

import guest_domu
import guest_tests
import toolstack_cases


class GuestTestCase:
    def __init__(self, test, gic=guest_tests.GIC):
        self.test = test
        self.gic = gic
        self.name = "guest-tests-" + test
        if gic != guest_tests.GIC:
            self.name += "-gicv%d" % gic

    def run(self, ctx):
        hv = hv_name(ctx.image)
        name = None if self.gic == guest_tests.GIC else \
            "guest-%s-%s-gicv%d" % (self.test, hv, self.gic)
        checks, result, log = guest_tests.run_guest(
            ctx.build, self.test, hv, ctx.image, gic=self.gic, name=name)
        return guest_tests.failed(checks, result), log


def hv_name(image):
    return "orchid" if os.path.basename(image) == "orchid.bin" \
        else os.path.basename(image)


class GuestModeCase:
    """The bare-metal image as Dom0 in one `mode=` of its own (test_vwfi.c,
    test_upcall_remote.c, test_cntvct.c): @bootargs, Xen's command line
    plus @xen_extra, @vcpus Dom0 vCPUs on as many pCPUs."""
    def __init__(self, name, bootargs, xen_extra="", vcpus=None):
        self.name = "guest-" + name
        self.bootargs, self.xen_extra, self.vcpus = bootargs, xen_extra, vcpus

    def run(self, ctx):
        hv = hv_name(ctx.image)
        xen_args, smp = guest_tests.XEN_ARGS + self.xen_extra, \
            guest_tests.SMP
        if self.vcpus:
            xen_args = xen_args.replace("dom0_max_vcpus=2",
                                        "dom0_max_vcpus=%d" % self.vcpus)
            smp = self.vcpus
        checks, result, log = guest_tests.run_guest(
            ctx.build, "baremetal", hv, ctx.image, bootargs=self.bootargs,
            xen_args=xen_args, smp=smp, name="%s-%s" % (self.name, hv))
        return guest_tests.failed(checks, result), log


def upcall_remote_case(order):
    """vCPU 0 sets up vCPU 1's upcall, registered as @order says."""
    return GuestModeCase("upcall-remote-" + order,
                         "mode=upcall-remote order=" + order)


class GuestSchedCase:
    """The whole test guest as Dom0 with another scheduler for Pool-0
    (`sched=`): Dom0's two vCPUs then run under credit1's credits or
    ARINC 653's default schedule (Xen's: each Dom0 vCPU a 10 ms window in
    turn), and every check must still pass; the console must name the
    scheduler as Xen's does. @extra: more options, and @warnings the
    lines Xen 4.17 prints for them (out-of-range values fall back to the
    defaults, so the checks run under the defaults)."""

    def __init__(self, sched, long_name, extra="", warnings=()):
        self.sched, self.long_name = sched, long_name
        self.extra, self.warnings = extra, warnings
        self.name = "guest-tests-sched-" + sched

    def run(self, ctx):
        hv = hv_name(ctx.image)
        checks, result, log = guest_tests.run_guest(
            ctx.build, "baremetal", hv, ctx.image,
            xen_args=guest_tests.XEN_ARGS + " sched=" + self.sched +
            self.extra,
            name="%s-%s" % (self.name, hv))
        problems = guest_tests.failed(checks, result)
        wants = ["Using scheduler: %s (%s)" % (self.long_name, self.sched)]
        with open(log, errors="replace") as f:
            text = f.read()
        for want in wants + list(self.warnings):
            if want not in text:
                problems.append("missing '%s'" % want)
        return problems, log


# sched_ratelimit_us= and sched_credit_tslice_ms= out of range: Xen's
# warnings, word for word (the values in range: tests/unit/test_credit.c).
CREDIT_BAD_PARAMS = " sched_ratelimit_us=50 sched_credit_tslice_ms=5000"
CREDIT_BAD_PARAM_WARNINGS = (
    "WARNING: sched_ratelimit_us outside of valid range [100,500000].",
    "WARNING: sched_credit_tslice_ms outside of valid range [1,1000].",
)


class GuestDomuCase:
    name = "guest-tests-domu"

    def skip(self, only_named, toolstack_opt):
        """Why this case does not run, or "" (run.py --toolstack forces
        it, unless ORCHID_TOOLSTACK_TESTS=0)."""
        run, why = toolstack_cases.enabled(only_named)
        forced = toolstack_opt and \
            os.environ.get(toolstack_cases.ENV) != "0"
        # Not "skip when the cache is empty": run() fetches the material
        # as the toolstack case does, so a fresh clone's CI runs it too.
        return "" if run or forced else why

    def run(self, ctx):
        checks, result, log = guest_domu.run_domu(ctx.build,
                                                  hv_name(ctx.image),
                                                  ctx.image)
        return guest_tests.failed(checks, result), log


class GuestDom0lessCase:
    """The test guest as a boot-time DomU of the DTB (dom0less.py): no
    downloaded material, so it runs in every `make systest`."""
    name = "guest-tests-dom0less"

    def run(self, ctx):
        hv = "orchid" if ctx.image.endswith("orchid.bin") else "xen"
        checks, result, log = guest_tests.run_dom0less(ctx.build, hv)
        return guest_tests.failed(checks, result), log


CASES = [GuestTestCase(t, gic) for t in guest_tests.TESTS
         for gic in guest_tests.GICS] + [GuestDomuCase(),
                                         GuestDom0lessCase(),
                                         GuestModeCase(
                                             "vwfi-trap",
                                             "mode=vwfi expect=trap"),
                                         GuestModeCase(
                                             "vwfi-native-null",
                                             "mode=vwfi expect=native",
                                             " vwfi=native sched=null"),
                                         upcall_remote_case("before"),
                                         upcall_remote_case("after"),
                                         upcall_remote_case("self"),
                                         GuestModeCase("cntvct",
                                                       "mode=cntvct",
                                                       vcpus=3),
                                         GuestSchedCase(
                                             "credit",
                                             "SMP Credit Scheduler",
                                             CREDIT_BAD_PARAMS,
                                             CREDIT_BAD_PARAM_WARNINGS),
                                         GuestSchedCase(
                                             "arinc653",
                                             "ARINC 653 Scheduler")]
