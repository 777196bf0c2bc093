# SPDX-License-Identifier: MIT
"""The bare-metal test guests (tests/baremetal) as run.py cases.

  guest-tests-baremetal   build/baremetal/guest.Image booted as Dom0 of the
      hypervisor under test (guest_tests.py); fails on any check that is
      not SUCCESS or SKIP, or when no `Test result:` line comes.
  guest-tests-baremetal-gicv2   the same on an emulated GICv2.

They need no downloaded material, so they run in every `make systest`.
"""
import os

import guest_tests


class GuestTestCase:
    def __init__(self, test, gic=guest_tests.GIC):
        self.test = test
        self.gic = gic
        self.name = "guest-tests-" + test
        if gic != guest_tests.GIC:
            self.name += "-gicv%d" % gic

    def run(self, ctx):
        hv = "orchid" if os.path.basename(ctx.image) == "orchid.bin" \
            else os.path.basename(ctx.image)
        name = None if self.gic == guest_tests.GIC else \
            "guest-%s-%s-gicv%d" % (self.test, hv, self.gic)
        checks, result, log = guest_tests.run_guest(
            ctx.build, self.test, hv, ctx.image, gic=self.gic, name=name)
        return guest_tests.failed(checks, result), log


CASES = [GuestTestCase(t, gic) for t in guest_tests.TESTS
         for gic in guest_tests.GICS]
