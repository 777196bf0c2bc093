# SPDX-License-Identifier: MIT
"""The guest-side fuzzer (tests/baremetal/fuzz*.c) as a run.py case.

  fuzz-dom0   100000 operations of seed 1 as Dom0 of the hypervisor under
      test (tests/system/fuzz.py), then the guest's sanity pass; fails on
      anything but `Test result: SUCCESS`, naming the outcome (CRASH,
      HANG, FAILURE, ERROR) and the last operation index for the replay.

About 10^5 operations take 5-30 s on Orchid under QEMU (bench/results/
fuzz.md); the timeout leaves room for a busy machine. The seed is fixed so
that `make check` is reproducible; `make fuzz SEED=s` explores others.
"""
import os

import fuzz

SEED, N = 1, 100000


class FuzzCase:
    name = "fuzz-dom0"

    def run(self, ctx):
        hv = "orchid" if os.path.basename(ctx.image) == "orchid.bin" \
            else os.path.basename(ctx.image)
        r = fuzz.fuzz_run(ctx.build, hv, ctx.image, SEED, N, every=10000,
                          timeout=150, name="fuzz-dom0")
        if r["outcome"] == "SUCCESS":
            return [], r["log"]
        return ["%s (%s) after operation %s of seed %d; replay: make fuzz "
                "SEED=%d N=%d" % (r["outcome"], r["detail"], r["last"], SEED,
                                  SEED, N)], r["log"]


CASES = [FuzzCase()]
