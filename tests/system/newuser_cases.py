# SPDX-License-Identifier: MIT
"""The first run as a new user has it: `make run-bare` and `make run` in a
real terminal (a pseudo-terminal), from a build tree with nothing in it.

A terminal is what CI and the other system tests never have: there, every
program's standard input and output are pipes. In a terminal, `make` is in
the terminal's foreground process group, and any program a script starts in
another process group (`timeout` does that) is stopped by the kernel the
moment it touches the terminal. So these cases run `make` exactly as a
person's shell would, as the session leader of a new pseudo-terminal, type
what a person would type, and check what a person would see:

  newuser-run-bare   make run-bare: builds Orchid, boots it, Ctrl-A x quits
                     (QEMU exits with status 0)
  newuser-run        make run: fetches/builds the guest material, dumps
                     QEMU's DTB (the step that used to hang), boots to Dom0's
                     shell, then `xl list`, `xl create -c
                     /etc/xen/domu-hello.cfg` (the DomU's greeting on its
                     console), `poweroff -f` (QEMU exits with status 0);
                     no Python traceback anywhere
  newuser-failed-step  a failing step (a QEMU that exits 1) is one line
                     naming the step, its command and its log

Both use BUILD=<build>/tests/newuser, emptied first: no objects, no cached
DTBs. The downloaded Debian packages in cache/ are reused (the first
download is fetch-guest.sh's business, tested by every clean CI run). They
run with the Dom0 cases (ORCHID_DOM0_TESTS=1, the default of make check).
"""
import errno
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import termios
import time

import dom0

ROOT = dom0.ROOT


def session_pids(sid):
    """Every process in session `sid` (the make we started leads it)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        # Fields after the command name, which may contain spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == sid:
            pids.append(int(entry))
    return pids


class PtyRun:
    """One command as the session leader of a new pseudo-terminal, its
    output logged. The script is a list of (regex, text to type): each
    regex is awaited in the output that follows the previous one."""

    def __init__(self, args, log_path, timeout, idle=120, env=None):
        self.args = args
        self.log_path = log_path
        self.timeout = timeout
        self.idle = idle
        self.env = env
        self.output = ""
        self.exit_code = None
        self.stuck = ""          # what the run was waiting for when it ended

    def run(self, script):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        with open(self.log_path, "w") as log:
            log.write("# (in a pseudo-terminal) %s\n" % " ".join(self.args))
            log.flush()
            pid, fd = pty.fork()
            if pid == 0:
                try:
                    os.chdir(ROOT)
                    os.execvpe(self.args[0], self.args, self.env or os.environ)
                finally:
                    os._exit(127)
            # A person's terminal: 24 lines of 80 columns.
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80,
                                                            0, 0))
            try:
                self._drive(pid, fd, log, list(script))
            finally:
                self._end(pid)
                os.close(fd)
        return self.output

    def _drive(self, pid, fd, log, script):
        deadline = time.monotonic() + self.timeout
        last = time.monotonic()
        mark = 0                 # output before this was matched already
        while True:
            if script:
                m = re.compile(script[0][0], re.M).search(self.output, mark)
                if m:
                    mark = m.end()
                    os.write(fd, script.pop(0)[1].encode())
                    continue
            now = time.monotonic()
            waiting = "/%s/" % script[0][0] if script else "exit"
            if now >= deadline:
                self.stuck = "timed out after %ds waiting for %s" % (
                    self.timeout, waiting)
                return
            if now - last >= self.idle:
                self.stuck = "no output for %ds waiting for %s" % (
                    self.idle, waiting)
                return
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError as e:     # EIO: every holder of the slave left
                if e.errno != errno.EIO:
                    raise
                chunk = b""
            if not chunk:
                _, status = os.waitpid(pid, 0)
                self.exit_code = os.waitstatus_to_exitcode(status)
                if script:
                    self.stuck = "exited (status %d) waiting for /%s/" % (
                        self.exit_code, script[0][0])
                return
            last = time.monotonic()
            # A terminal answers a cursor position query (busybox's line
            # editor asks at every prompt): say column 7 of the last line.
            for _ in range(chunk.count(b"\x1b[6n")):
                os.write(fd, b"\x1b[24;7R")
            text = chunk.decode("utf-8", "replace").replace("\r", "")
            self.output += text
            log.write(text)
            log.flush()

    def _end(self, pid):
        """Kill what is left of the session, by process id."""
        if self.exit_code is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                for p in session_pids(pid):
                    try:
                        os.kill(p, sig)
                    except ProcessLookupError:
                        pass
                time.sleep(2)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        # Orphans of the session (a QEMU whose parent died) too.
        for p in session_pids(pid):
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass


def no_traceback(out):
    if "Traceback (most recent call last)" in out:
        return ["a Python traceback reached the terminal"]
    return []


def exit_problems(run, want=0):
    if run.stuck:
        last = run.output.strip().splitlines()[-1:] or ["(no output)"]
        return ["%s; last line: %s" % (run.stuck, last[0][:200])]
    if run.exit_code != want:
        return ["make exited with status %s, expected %d" %
                (run.exit_code, want)]
    return []


class NewUserCase:
    """One `make` target in a pseudo-terminal; run(ctx) -> (problems, log)."""

    def __init__(self, name, target, script, expect, timeout):
        self.name = name
        self.target = target
        self.script = script
        self.expect = expect
        self.timeout = timeout

    def run(self, ctx):
        build = os.path.join(os.path.abspath(ctx.build), "tests", "newuser")
        if self.target == "run-bare":      # the first of the two: start empty
            shutil.rmtree(build, ignore_errors=True)
        log = ctx.path(self.name + ".log")
        env = dict(os.environ, TERM="xterm")
        # What make check set for its own children is not what a user has.
        for var in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS"):
            env.pop(var, None)
        run = PtyRun(["make", self.target, "BUILD=" + build], log,
                     self.timeout, env=env)
        out = run.run(self.script)
        problems = exit_problems(run) + no_traceback(out)
        for pattern in self.expect:
            if not re.search(pattern, out, re.M):
                problems.append("missing /%s/" % pattern)
        if self.target == "run":
            dtbs = [f for f in os.listdir(os.path.join(build, "tests"))
                    if f.startswith("virt-") and f.endswith(".dtb")] \
                if os.path.isdir(os.path.join(build, "tests")) else []
            if not dtbs:
                problems.append("no QEMU DTB dumped under %s/tests" % build)
        return problems, log


class FailedStepCase:
    """A step that fails (here QEMU's DTB dump, with a qemu-system-aarch64
    that exits 1 first on PATH) ends `make run`'s script with one line:
    what failed, the command, and where its log is. No traceback."""

    name = "newuser-failed-step"

    def run(self, ctx):
        build = os.path.join(os.path.abspath(ctx.build), "tests", "newuser")
        fake = os.path.join(build, "fake-bin")
        os.makedirs(fake, exist_ok=True)
        qemu = os.path.join(fake, "qemu-system-aarch64")
        with open(qemu, "w") as f:
            f.write("#!/bin/sh\necho 'qemu: a made-up failure' >&2\n"
                    "exit 1\n")
        os.chmod(qemu, 0o755)
        env = dict(os.environ, PATH=fake + ":" + os.environ["PATH"])
        log = ctx.path(self.name + ".log")
        # -smp 3: a machine whose DTB no earlier run has cached.
        run = PtyRun(["python3", "tests/system/dom0.py", "--build", build,
                      "--toolstack", "--smp", "3"], log, 300, env=env)
        out = run.run([])
        problems = exit_problems(run, want=1) + no_traceback(out)
        line = re.search(r"^run-dom0: QEMU's device tree dump failed "
                         r"\(exit status 1\): qemu-system-aarch64 .*; "
                         r"log: (\S+)$", out, re.M)
        if not line:
            problems.append("no one-line report of the failed DTB dump")
        elif not os.path.exists(line.group(1)) or \
                "made-up failure" not in open(line.group(1)).read():
            problems.append("the log it names, %s, lacks QEMU's message" %
                            line.group(1))
        return problems, log


PROMPT = r"dom0# (\x1b\[6n)?$"
CASES = [
    NewUserCase(
        "newuser-run-bare", "run-bare",
        [(r"Boot modules: \d+\n", "\x01x")],
        [r"Booting Orchid in QEMU", r"CPUs online: 4 of 4", r"GIC: v3",
         r"QEMU: Terminated"],
        timeout=900),
    NewUserCase(
        "newuser-run", "run",
        [(r"^ORCHID-SHELL-READY\n(.*\n)*" + PROMPT, "xl list\r"),
         (r"^Domain-0 +0 ", ""),
         (PROMPT, "xl create -c /etc/xen/domu-hello.cfg\r"),
         (r"^ORCHID-DOMU-BYE", ""),
         (PROMPT, "poweroff -f\r")],
        [r"Booting .*orchid\.bin with Dom0",
         r"xl create -c /etc/xen/domu-hello.cfg",
         r"^Name +ID +Mem VCPUs", r"^ORCHID-DOMU-PRIVCMD exit=0"],
        timeout=900),
    FailedStepCase(),
]
