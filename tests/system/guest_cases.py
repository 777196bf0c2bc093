# SPDX-License-Identifier: MIT
"""The bare-metal test guests (tests/baremetal) as run.py cases.

  guest-tests-baremetal   build/baremetal/guest.Image booted as Dom0 of the
      hypervisor under test (guest_tests.py); fails on any check that is
      not SUCCESS or SKIP, or when no `Test result:` line comes.

They need no downloaded material, so they run in every `make systest`.
"""
import os

import guest_tests


class GuestTestCase:
    def __init__(self, test):
        self.test = test
        self.name = "guest-tests-" + test

    def run(self, ctx):
        hv = "orchid" if os.path.basename(ctx.image) == "orchid.bin" \
            else os.path.basename(ctx.image)
        checks, result, log = guest_tests.run_guest(
            ctx.build, self.test, hv, ctx.image)
        return guest_tests.failed(checks, result), log


CASES = [GuestTestCase(t) for t in guest_tests.TESTS]
