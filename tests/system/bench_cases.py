# SPDX-License-Identifier: MIT
"""bench-micro as a run.py case: proof that it runs, not a timing test.

  bench-micro   the test guest's `mode=bench` (tests/baremetal/bench.c)
      with n=20 as Dom0 of the hypervisor under test, under -icount, as
      `make bench-micro` runs it (bench/micro.py), and on Orchid the
      cross-pCPU rows' -smp 2 run (bench_remote.c); fails when a check of
      the guest fails (an operation did not work) or a row of the table
      is missing. No timing is asserted: that is `make bench-micro`'s.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "bench"))
import guest_cases  # noqa: E402
import micro  # noqa: E402

N = 20


class BenchMicroCase:
    name = "bench-micro"

    def run(self, ctx):
        hv = guest_cases.hv_name(ctx.image)
        res = micro.run_one(ctx.build, hv, N, timeout=120, image=ctx.image,
                            name="bench-micro")
        bad = list(res.get("bad", []))
        if res.get("error"):
            bad.append(res["error"])
        # Xen 4.17 cannot boot with two pCPUs under -icount: no
        # remote rows for it (micro.XEN_NO_REMOTE).
        want = [r for r in micro.ORDER
                if hv != "xen" or r not in micro.REMOTE_ROWS]
        missing = [r for r in want if r not in res.get("rows", {})]
        if missing:
            bad.append("rows missing: " + ", ".join(missing))
        return bad, res["log"]


CASES = [BenchMicroCase()]
