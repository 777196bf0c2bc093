#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot a hypervisor with Debian's Linux as Dom0, the way Xen is booted.

One place defines the Dom0 boot setup shared by the Dom0 system tests
(dom0_cases.py), tools/run-dom0.sh and bench/dom0-boot.py, so that Orchid
and Xen 4.17 always get the very same DTB, boot modules and command lines:

* QEMU's own DTB for the machine (`-machine ...,dumpdtb=`), plus in /chosen
  Xen's boot binding: `xen,xen-bootargs`, `xen,dom0-bootargs` and two
  `multiboot,module` nodes (kernel at KERNEL_ADDR, initramfs at
  RAMDISK_ADDR) whose `reg` says where `-device loader,...,force-raw=on`
  puts the files;
* the hypervisor image as `-kernel` (entered at EL2, x0 = the DTB);
* the guest material of tools/fetch-guest.sh (BUILD/guest/).

As a command (what tools/run-dom0.sh runs): build the DTB and boot
interactively, console on this terminal (Ctrl-A x quits QEMU):

  tests/system/dom0.py [--hv IMAGE] [--gic 3] [--smp 4] [--dom0-args ...]
"""
import argparse
import os
import shlex
import subprocess
import sys

from qemu import QemuRun, cli, dtb_to_dts, dts_to_dtb, dump_dtb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Where the boot modules live in guest RAM (QEMU virt: RAM at 0x40000000;
# the hypervisor image sits at 0x40200000, QEMU puts the DTB at 0x48000000).
KERNEL_ADDR = 0x50000000     # Debian's Image, ~32 MiB
RAMDISK_ADDR = 0x54000000    # the Dom0 initramfs, ~2 MiB

XEN_ARGS = ("console=dtuart dtuart=/pl011@9000000 dom0_mem=512M "
            "dom0_max_vcpus=2")
DOM0_ARGS = "console=hvc0 earlycon=xenboot rdinit=/init"


class Guest:
    """The files tools/fetch-guest.sh leaves in BUILD/guest."""

    def __init__(self, build):
        self.dir = os.path.join(build, "guest")
        self.kernel = os.path.join(self.dir, "Image")
        self.ramdisk = os.path.join(self.dir, "dom0.cpio.gz")
        self.disk = os.path.join(self.dir, "disk.img")
        self.xen = os.path.join(self.dir, "xen")
        self.build = build

    def ready(self):
        return all(os.path.exists(p) for p in
                   (self.kernel, self.ramdisk, self.disk, self.xen))

    def fetch(self, quiet=False):
        """Run tools/fetch-guest.sh: downloads once, then only rebuilds the
        initramfs when its inputs changed (about a second). Returns "" or
        the script's output on failure."""
        script = os.path.join(ROOT, "tools", "fetch-guest.sh")
        if not self.ready():
            print("  GUEST   building %s with tools/fetch-guest.sh (the first "
                  "time downloads ~60 MB of Debian packages)" % self.dir)
            sys.stdout.flush()
            quiet = False
        res = subprocess.run(["bash", script, "--build",
                              os.path.abspath(self.build)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        if not quiet or res.returncode:
            sys.stdout.write(res.stdout)
        if res.returncode:
            return res.stdout or "fetch-guest.sh failed"
        return ""


class WatchedQemuRun(QemuRun):
    """QemuRun that also gives up when the console has been silent for
    `idle` seconds: a hypervisor that hangs fails in a minute, not at the
    full timeout. `silent` is then True (and `timed_out` too)."""

    def __init__(self, args, log_path, timeout, idle=60):
        super().__init__(args, log_path, timeout)
        self.idle = idle
        self.silent = False

    def _wait_time(self, now, deadline, last):
        if now >= deadline or now - last >= self.idle:
            self.timed_out = True
            self.silent = now < deadline
            return None
        return min(deadline - now, self.idle - (now - last), 0.5)


def machine_args(gic, smp, cpu="cortex-a57", mem=2048, interactive=False):
    """QEMU's machine; the tests talk to the serial port through a pipe,
    interactive runs keep -nographic's Ctrl-A monitor mux."""
    args = ["qemu-system-aarch64", "-machine",
            "virt,virtualization=on,gic-version=%d" % gic, "-cpu", cpu,
            "-smp", str(smp), "-m", str(mem), "-nographic", "-nic", "none"]
    if not interactive:
        args += ["-monitor", "none", "-serial", "stdio"]
    return args


def dts_string(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def binding_dts(xen_args, dom0_args, ksize, rsize):
    """Xen's boot binding in /chosen, as a DTS fragment to append to the
    machine's own: the command lines and the kernel and initramfs modules
    at KERNEL_ADDR and RAMDISK_ADDR (no initramfs module when rsize is
    None: both Xen and Orchid boot Dom0 without one)."""
    dts = """
/ {
	chosen {
		#address-cells = <0x2>;
		#size-cells = <0x2>;
		xen,xen-bootargs = %s;
		xen,dom0-bootargs = %s;
		module@%x {
			compatible = "multiboot,kernel", "multiboot,module";
			reg = <0x0 0x%x 0x0 0x%x>;
		};
%s	};
};
"""
    ramdisk = """		module@%x {
			compatible = "multiboot,ramdisk", "multiboot,module";
			reg = <0x0 0x%x 0x0 0x%x>;
		};
"""
    return dts % (dts_string(xen_args), dts_string(dom0_args),
                  KERNEL_ADDR, KERNEL_ADDR, ksize,
                  "" if rsize is None else
                  ramdisk % (RAMDISK_ADDR, RAMDISK_ADDR, rsize))


def make_dtb(out_dir, name, gic, smp, kernel, ramdisk, xen_args=XEN_ARGS,
             dom0_args=DOM0_ARGS, cpu="cortex-a57", mem=2048, host_extra=""):
    """QEMU's DTB + Xen's boot binding in /chosen; returns the .dtb path.
    ramdisk None: no initramfs module. host_extra: DTS appended (e.g. a
    device marked xen,passthrough)."""
    os.makedirs(out_dir, exist_ok=True)
    base = dump_dtb(out_dir, gic, smp, cpu, mem)
    dts = dtb_to_dts(base, os.path.join(out_dir, name + ".base.dts"))
    ksize = os.path.getsize(kernel)
    rsize = os.path.getsize(ramdisk) if ramdisk else None
    if KERNEL_ADDR + ksize > RAMDISK_ADDR:
        raise ValueError("kernel (%d bytes) overlaps the initramfs" % ksize)
    dts += binding_dts(xen_args, dom0_args, ksize, rsize) + host_extra
    src = os.path.join(out_dir, name + ".dts")
    out = os.path.join(out_dir, name + ".dtb")
    with open(src, "w") as f:
        f.write(dts)
    dts_to_dtb(src, out)
    return out



def qemu_args(hv, dtb, guest, gic, smp, cpu="cortex-a57", mem=2048,
              disk=True, icount=False, interactive=False):
    """The full QEMU command line booting hypervisor `hv` with Dom0."""
    args = machine_args(gic, smp, cpu, mem, interactive)
    if icount:
        args += ["-icount", "shift=0"]
    args += ["-kernel", hv, "-dtb", dtb,
             "-device", "loader,file=%s,addr=%#x,force-raw=on" %
             (guest.kernel, KERNEL_ADDR)]
    if guest.ramdisk:
        args += ["-device", "loader,file=%s,addr=%#x,force-raw=on" %
                 (guest.ramdisk, RAMDISK_ADDR)]
    if disk:
        # Read-only: runs may share the image.
        args += ["-drive", "if=none,file=%s,format=raw,id=d0,readonly=on" %
                 guest.disk, "-device", "virtio-blk-device,drive=d0"]
    return args


def main():
    ap = argparse.ArgumentParser(
        description="Boot a hypervisor with Debian's Linux as Dom0, "
        "interactively (orchid.demo=shell).")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--hv", default=os.environ.get("HV_IMAGE"),
                    help="hypervisor image (default BUILD/orchid.bin; "
                    "BUILD/guest/xen is Debian's Xen 4.17)")
    ap.add_argument("--gic", type=int, default=3, choices=(2, 3))
    ap.add_argument("--smp", type=int, default=4)
    ap.add_argument("--cpu", default="cortex-a57")
    ap.add_argument("--xen-args", default="", help="added to xen-bootargs")
    ap.add_argument("--dom0-args", default="orchid.demo=shell",
                    help="added to dom0-bootargs")
    ap.add_argument("--icount", action="store_true")
    ap.add_argument("--toolstack", action="store_true",
                    help="Dom0 with Xen's toolstack (xl, xenstored, "
                    "xenconsoled) started, and a demo DomU to xl create")
    ap.add_argument("--print", action="store_true",
                    help="print the QEMU command instead of running it")
    opts = ap.parse_args()

    guest = Guest(opts.build)
    if guest.fetch(quiet=True):
        return 1
    if opts.toolstack:
        guest.ramdisk = os.path.join(guest.dir, "dom0-toolstack.cpio.gz")
        if not os.path.exists(guest.ramdisk):
            print("no %s: run tools/fetch-guest.sh --toolstack" %
                  guest.ramdisk, file=sys.stderr)
            return 1
    hv = opts.hv or os.path.join(opts.build, "orchid.bin")
    if not os.path.exists(hv):
        print("no hypervisor image %s (run make, or pass --hv)" % hv,
              file=sys.stderr)
        return 1
    out_dir = os.path.join(opts.build, "tests")
    dtb = make_dtb(out_dir, "run-dom0", opts.gic, opts.smp, guest.kernel,
                   guest.ramdisk,
                   (XEN_ARGS + " " + opts.xen_args).strip(),
                   (DOM0_ARGS + " " + opts.dom0_args).strip(), opts.cpu)
    args = qemu_args(hv, dtb, guest, opts.gic, opts.smp, opts.cpu,
                     icount=opts.icount, interactive=True)
    if opts.print:
        print(" ".join(shlex.quote(a) for a in args))
        return 0
    print("Booting %s with Dom0 (%d CPUs, GICv%d); Ctrl-A x quits." %
          (hv, opts.smp, opts.gic), file=sys.stderr)
    sys.stderr.flush()
    os.execvp(args[0], args)


if __name__ == "__main__":
    sys.exit(cli("run-dom0", main))
