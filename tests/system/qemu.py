# SPDX-License-Identifier: MIT
"""Run one QEMU with a hard timeout, logging its console to a file.

QEMU is started in its own session (so it never has a controlling
terminal, even when the tests are started from one) and only that process
group is ever killed, by process id: other QEMUs on the machine are never
touched.

Also the non-interactive helper steps (QEMU's DTB dump) as `run_step`,
which fail with one StepError line instead of a Python traceback.
"""
import os
import re
import select
import signal
import subprocess
import sys
import time


class StepError(Exception):
    """A helper step failed: what it was, its command and its log."""

    def __init__(self, what, args, log_path, why):
        super().__init__("%s failed (%s): %s; log: %s" % (
            what, why, " ".join(args), log_path))
        self.log_path = log_path


def kill_group(proc):
    """End a process started with start_new_session=True, and its
    children, by its own process id."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def run_step(what, args, log_path, timeout=60):
    """Run a non-interactive command with no terminal at all: standard
    input from /dev/null, output to log_path, its own session (a QEMU
    that touches a terminal it shares with the user is stopped by the
    kernel when it is not in the foreground). Raises StepError."""
    os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
    with open(log_path, "w") as log:
        log.write("# " + " ".join(args) + "\n")
        log.flush()
        try:
            proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        except OSError as e:
            raise StepError(what, args, log_path, e.strerror) from None
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            raise StepError(what, args, log_path,
                            "no answer in %ds" % timeout) from None
    if code != 0:
        raise StepError(what, args, log_path, "exit status %d" % code)


def dump_dtb(out_dir, gic, smp, cpu="cortex-a57", mem=2048):
    """QEMU's own DTB for exactly this virt machine (cached in out_dir).
    No console, monitor or display: the dump never needs a terminal."""
    name = "virt-gic%d-smp%d-%s-%dM" % (gic, smp, cpu, mem)
    out = os.path.join(out_dir, name + ".dtb")
    if os.path.exists(out):
        return out
    args = ["qemu-system-aarch64", "-machine",
            "virt,virtualization=on,gic-version=%d,dumpdtb=%s.tmp" %
            (gic, out), "-cpu", cpu, "-smp", str(smp), "-m", str(mem),
            "-display", "none", "-nic", "none", "-monitor", "none",
            "-serial", "none"]
    run_step("QEMU's device tree dump", args,
             os.path.join(out_dir, name + ".dtb.log"))
    os.replace(out + ".tmp", out)
    return out


def cli(name, main):
    """Run a script's main(): a failed step ends it with one line saying
    what failed, the command and where its log is, never a traceback."""
    try:
        return main()
    except (StepError, ValueError, OSError) as e:
        print("%s: %s" % (name, e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def dtb_to_dts(dtb, dts):
    """dtc: a blob to source; returns the source text."""
    run_step("dtc", ["dtc", "-q", "-I", "dtb", "-O", "dts", "-o", dts, dtb],
             dts + ".log")
    with open(dts) as f:
        return f.read()


def dts_to_dtb(dts, dtb):
    run_step("dtc", ["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts],
             dtb + ".log")
    return dtb


class QemuRun:
    def __init__(self, args, log_path, timeout, stdin_data=None):
        self.args = args
        self.log_path = log_path
        self.timeout = timeout
        self.stdin_data = stdin_data
        self.output = ""
        self.exit_code = None
        self.timed_out = False

    def run(self, stop_patterns=(), on_output=None):
        """Run until QEMU exits, a stop pattern appears, or the timeout.

        on_output(text_so_far, proc) may write to proc.stdin (console input).
        Returns the console text.
        """
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        stops = [re.compile(p, re.M) for p in stop_patterns]
        with open(self.log_path, "w") as log:
            log.write("# " + " ".join(self.args) + "\n")
            log.flush()
            proc = subprocess.Popen(
                self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.monotonic() + self.timeout
            try:
                self._pump(proc, log, stops, deadline, on_output)
            finally:
                self._kill(proc)
        return self.output

    def _wait_time(self, now, deadline, last):
        """How long to wait for console output now (`last`: when some last
        came), or None to stop the run, its reason recorded."""
        if now >= deadline:
            self.timed_out = True
            return None
        return min(deadline - now, 0.5)

    def _pump(self, proc, log, stops, deadline, on_output):
        fd = proc.stdout.fileno()
        last = time.monotonic()
        while True:
            wait = self._wait_time(time.monotonic(), deadline, last)
            if wait is None:
                return
            ready, _, _ = select.select([fd], [], [], max(wait, 0))
            if not ready:
                if proc.poll() is not None:
                    self.exit_code = proc.returncode
                    return
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                self.exit_code = proc.wait()
                return
            last = time.monotonic()
            text = chunk.decode("utf-8", "replace").replace("\r", "")
            self.output += text
            log.write(text)
            log.flush()
            if on_output:
                on_output(self.output, proc)
            if any(s.search(self.output) for s in stops):
                return

    def _kill(self, proc):
        if proc.poll() is not None:
            self.exit_code = proc.returncode
            return
        kill_group(proc)    # stopped by us: exit_code stays None
