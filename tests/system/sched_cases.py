# SPDX-License-Identifier: MIT
"""Issue 10's scheduler shares with its margins, as run.py cases.

One boot each, `sched=NAME` on the hypervisor's command line, QEMU
`-icount shift=0,sleep=off -smp 1` (guest time counts instructions: a busy
host changes nothing, so the margins can be the issue's): the test guest
as Dom0 (`mode=sched-check`) and as a boot-time DomU of the dom0less DTB,
one vCPU each on the one pCPU, as bench/sched.py boots them.
tests/baremetal/sched_check.c measures and checks; each check prints its
numbers (`SCHED-CHECK name ... got_pm= want_pm=`) and SUCCESS or FAILURE.

  sched-credit2   weights 256:512 give CPU time 1:2 +-10 %; a cap of 25
      holds the DomU to 25 % +-5 % beside Dom0 spinning and alone.
  sched-credit    the same with credit1.
  sched-rtds      Dom0 a hog (8 ms / 10 ms, extratime), the DomU 2 ms /
      10 ms: a spinning DomU gets 20 % +-3 %; its periodic task (wakes
      every 10 ms by its virtual timer, computes 1 ms, 50 periods) never
      misses a deadline while the hog runs.
  sched-arinc653   windows of 2 ms (Dom0) and 8 ms (the DomU) in a 10 ms
      major frame: 20 % / 80 % +-2 %.

A case whose scheduler the build leaves out (BUILD's autoconf.h), or
dom0less, vpl011 or the toolstack interface, is skipped; with
`--hv` another hypervisor, only credit and credit2 run (Debian's Xen 4.17
is built with those two only).
"""
import os
import re

import dom0less
import guest_cases
import guest_tests

ICOUNT = ["-icount", "shift=0,sleep=off"]
# Guest time, ms: a warm-up after each change, then the window measured.
# 360 ms is a whole number of each steady pattern (credit1's 30 ms slices
# at 1:2, 90 ms, and at a cap of 25, 120 ms; the 10 ms periods), so where
# it starts does not matter: at 300 ms Xen's credit1 gave 1:1.5 and its
# cap 20-30 %, at 500 ms 1:1.94 or 1:2.17 as the guest's layout changed.
WARM_MS, WINDOW_MS = 100, 360
# Seconds of host time per boot on a loaded host are many more.
TIMEOUT = 300
RESULTS = re.compile(r"Test result: (SUCCESS|FAILURE|ERROR|SKIP)(.*)$", re.M)
SCHED_ID = re.compile(r"SCHED-CHECK sched_id=(\d+) ")
# What every case needs besides its scheduler: the boot-time DomU, its
# console, and domctl/sysctl for Dom0's parameter calls.
NEEDS = ("CONFIG_DOM0LESS", "CONFIG_VPL011", "CONFIG_TOOLSTACK")


class SchedCase:
    def __init__(self, sched, sched_id, config, peer, on_xen, results,
                 extra=""):
        self.name = "sched-" + sched
        self.sched = sched
        self.sched_id = sched_id
        self.config = config    # its CONFIG_ symbol
        self.peer = peer        # the DomU's mode and arguments
        self.on_xen = on_xen    # in Debian's Xen 4.17
        self.results = results  # Test result lines wanted: Dom0, DomU
        # More of Dom0's arguments (w0= w1= cap= budget_us= a653_us=):
        # a scratch run showing that a check can fail.
        self.extra = extra

    def skip_build(self, ctx):
        """Why this case does not run on ctx's image, or ""."""
        if guest_cases.hv_name(ctx.image) != "orchid":
            return "" if self.on_xen else \
                "Debian's Xen 4.17 is built without %s" % self.sched
        conf = os.path.join(ctx.build, "include", "generated", "autoconf.h")
        try:
            with open(conf) as f:
                text = f.read()
        except OSError:
            return ""
        missing = [c for c in (self.config,) + NEEDS
                   if not re.search(r"^#define %s 1$" % c, text, re.M)]
        return "%s not set in this build" % ", ".join(missing) \
            if missing else ""

    def run(self, ctx):
        hv = guest_cases.hv_name(ctx.image)
        hv = "orchid" if hv == "orchid" else "xen"
        peer = dom0less.Domu("peer", args="%s dom0less=1" % self.peer)
        stop = r"(?s)(Test result: .*){%d}\n|Panic" % self.results
        out, log = dom0less.run(
            ctx.build, hv, self.name, [peer], image=ctx.image,
            dom0_args="mode=sched-check warm=%d ms=%d %s" % (
                WARM_MS, WINDOW_MS, self.extra),
            stop=stop, timeout=TIMEOUT, smp=1, qemu_extra=ICOUNT,
            xen_args=dom0less.XEN_ARGS + " sched=" + self.sched,
            idle=TIMEOUT)
        return self.problems(out), log

    def problems(self, out):
        m = SCHED_ID.search(out)
        if not m:
            return ["Dom0 did not start its checks"]
        if int(m.group(1)) != self.sched_id:
            return ["Pool-0 runs scheduler %s, not %s" % (m.group(1),
                                                           self.sched)]
        checks, _ = guest_tests.parse(out)
        bad = guest_tests.failed(checks, ("SUCCESS", ""))
        results = RESULTS.findall(out)
        if len(results) < self.results:
            bad.append("%d of %d Test result lines" % (len(results),
                                                       self.results))
        bad += ["Test result: %s%s" % r for r in results
                if r[0] != "SUCCESS"]
        return bad


CASES = [
    SchedCase("credit2", 6, "CONFIG_SCHED_CREDIT2",
              "mode=sched-peer pingpong=0", True, 1),
    SchedCase("credit", 5, "CONFIG_SCHED_CREDIT",
              "mode=sched-peer pingpong=0", True, 1),
    SchedCase("rtds", 8, "CONFIG_SCHED_RTDS", "mode=sched-rt-peer", False, 2),
    SchedCase("arinc653", 7, "CONFIG_SCHED_ARINC653",
              "mode=sched-peer pingpong=0", False, 1),
]
