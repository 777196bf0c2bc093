# SPDX-License-Identifier: MIT
"""System tests with Debian's unmodified arm64 Linux as Dom0.

The hypervisor under test (run.py --hv, default BUILD/orchid.bin) boots
Debian's kernel and the initramfs of tools/fetch-guest.sh from the DTB,
modules and command lines of dom0.py, on QEMU virt with 4 CPUs:

  dom0-checks-gicv3/-gicv2    Dom0's /init (orchid.test=dom0) checks the Xen
      interfaces and prints "ORCHID-TEST PASS|FAIL <check>" for each; Dom0
      then powers off, which must end QEMU with exit status 0.
  dom0-console-gicv3/-gicv2   /init starts a shell on hvc0 (orchid.demo=shell,
      what `make run` will show); the test types a command on the serial
      console, expects its output, then types "poweroff -f" (input path).

They run when asked for (run.py --dom0, ORCHID_DOM0_TESTS=1, or by name with
--only 'dom0-*'); the guest material is fetched/built first if needed.
"""
import os
import re

import dom0

# What Dom0's /init checks, in the order it prints them.
GUEST_CHECKS = [
    "xen-support-found",        # "Xen 4.17 support found" in dmesg
    "hypervisor-type",          # /sys/hypervisor/type = xen
    "hypervisor-version",       # /sys/hypervisor/version/{major,minor} 4 17
    "xen-modules",              # insmod of the Xen and virtio modules
    "capabilities-control_d",   # xenfs on /proc/xen: capabilities control_d
    "vcpus-busy",               # CPUs 0-1 online, a pinned loop on each
    "virtio-disk",              # /dev/vda reads back the known content
    "evtchn-loopback",          # /dev/xen/evtchn loopback channel notifies
]
SHELL_PROMPT = "dom0# "
TYPED = "echo ORCHID-$((6*7))"
TYPED_ANSWER = r"^ORCHID-42$"

_guest_state = {}


def guest_material(build):
    """The guest files, fetched/refreshed once per run.py invocation.
    Returns (Guest, error text or "")."""
    if build not in _guest_state:
        guest = dom0.Guest(build)
        _guest_state[build] = (guest, guest.fetch(quiet=True))
    return _guest_state[build]


class Dom0Case:
    """One Dom0 boot; run(ctx) returns (problems, log) like run.py's."""

    def __init__(self, name, gic, dom0_args, timeout, smp=4):
        self.name = name
        self.gic = gic
        self.dom0_args = dom0_args
        self.timeout = timeout
        self.smp = smp

    def qemu(self, ctx):
        guest, error = guest_material(ctx.build)
        if error:
            return None, ["guest material: tools/fetch-guest.sh failed:",
                          error.strip()[-500:]]
        if not os.path.exists(ctx.image):
            return None, ["no hypervisor image %s" % ctx.image]
        dtb = dom0.make_dtb(ctx.dir, self.name, self.gic, self.smp,
                            guest.kernel, guest.ramdisk,
                            dom0_args=dom0.DOM0_ARGS + " " + self.dom0_args)
        args = dom0.qemu_args(ctx.image, dtb, guest, self.gic, self.smp)
        return dom0.WatchedQemuRun(args, ctx.path(self.name + ".log"),
                                   self.timeout, idle=60), []

    def run(self, ctx):
        run, problems = self.qemu(ctx)
        log = ctx.path(self.name + ".log")
        if run is None:
            return problems, log
        out = self.drive(run)
        return self.judge(run, out), log

    def drive(self, run):
        return run.run()

    def judge(self, run, out):
        return []

    @staticmethod
    def exit_problems(run, out, after):
        """QEMU must have ended by itself, status 0, after `after`."""
        if run.timed_out:
            last = out.strip().splitlines()[-1:] or ["(no output)"]
            why = ("no console output for %ds" % run.idle) if run.silent \
                else "timed out after %ds" % run.timeout
            return ["%s; last line: %s" % (why, last[0][:200])]
        problems = []
        if not re.search(after, out, re.M):
            problems.append("QEMU exited (status %s) before /%s/" %
                            (run.exit_code, after))
        if run.exit_code != 0:
            problems.append("QEMU exit status %s, expected 0 (poweroff)" %
                            run.exit_code)
        return problems

    def check_problems(self, run, out, checks, differs=None):
        """What is wrong with a run of Dom0's check list (the ORCHID-TEST
        lines of tests/guest/init-dom0*.sh): a check failed or never
        reported, no clean summary for all of @checks, or no poweroff.
        @differs: checks that fail here on purpose (Orchid differs from
        the hypervisor under test), each with why; said, not counted."""
        problems = []
        differs = differs or {}
        expected = 0
        for line in re.findall(r"^ORCHID-TEST FAIL .*$", out, re.M):
            name = line[len("ORCHID-TEST FAIL "):].split(":")[0]
            if name in differs:
                expected += 1
                print("     expected on this hypervisor: FAIL %s (%s)" %
                      (name, differs[name]))
                continue
            problems.append(line[len("ORCHID-TEST "):])
        for check in checks:
            if not re.search(r"^ORCHID-TEST (PASS|FAIL) %s\b" %
                             re.escape(check), out, re.M):
                problems.append("no result for check %s" % check)
        if not re.search(r"^ORCHID-DOM0-READY hv=", out, re.M):
            problems.append("Dom0 user space never started "
                            "(no ORCHID-DOM0-READY)")
        elif not re.search(r"^ORCHID-TEST SUMMARY passed=%d failed=%d" %
                           (len(checks) - expected, expected), out, re.M):
            problems.append("no clean ORCHID-TEST SUMMARY line")
        problems += self.exit_problems(run, out, r"^ORCHID-TEST POWEROFF")
        return problems


class Dom0ChecksCase(Dom0Case):
    def __init__(self, gic):
        super().__init__("dom0-checks-gicv%d" % gic, gic, "orchid.test=dom0",
                         timeout=240)

    def judge(self, run, out):
        return self.check_problems(run, out, GUEST_CHECKS)


class Dom0ConsoleCase(Dom0Case):
    def __init__(self, gic):
        super().__init__("dom0-console-gicv%d" % gic, gic,
                         "orchid.demo=shell", timeout=180)

    def drive(self, run):
        state = {"typed": False, "off": False}
        ready = re.compile(r"^ORCHID-SHELL-READY$", re.M)
        # The whole line, newline included: "$" also matches at the end of
        # what has arrived so far, mid-line.
        answer = re.compile(r"^ORCHID-42\n", re.M)

        def on_output(text, proc):
            if not state["typed"]:
                m = ready.search(text)
                if m and SHELL_PROMPT in text[m.end():]:
                    state["typed"] = True
                    proc.stdin.write((TYPED + "\n").encode())
                    proc.stdin.flush()
            elif not state["off"] and answer.search(text):
                state["off"] = True
                proc.stdin.write(b"poweroff -f\n")
                proc.stdin.flush()
        return run.run(on_output=on_output)

    def judge(self, run, out):
        problems = []
        if not re.search(r"^ORCHID-SHELL-READY$", out, re.M):
            problems.append("no ORCHID-SHELL-READY from Dom0's /init")
        elif SHELL_PROMPT not in out:
            problems.append("no shell prompt '%s'" % SHELL_PROMPT)
        elif not re.search(TYPED_ANSWER, out, re.M):
            problems.append("typed '%s', never saw /%s/" %
                            (TYPED, TYPED_ANSWER))
        problems += self.exit_problems(run, out, TYPED_ANSWER)
        return problems


CASES = [Dom0ChecksCase(3), Dom0ChecksCase(2),
         Dom0ConsoleCase(3), Dom0ConsoleCase(2)]
