# SPDX-License-Identifier: MIT
"""Run one QEMU with a hard timeout, logging its console to a file.

QEMU is started in its own process group and only that group is ever
killed, by process id: other QEMUs on the machine are never touched.
"""
import os
import re
import select
import signal
import subprocess
import time


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

    def _pump(self, proc, log, stops, deadline, on_output):
        fd = proc.stdout.fileno()
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.timed_out = True
                return
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                if proc.poll() is not None:
                    self.exit_code = proc.returncode
                    return
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                self.exit_code = proc.wait()
                return
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
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        except ProcessLookupError:
            pass
