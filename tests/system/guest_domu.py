# SPDX-License-Identifier: MIT
"""The bare-metal test guest (tests/baremetal) as a DomU of Debian's xl.

The hypervisor under test boots Debian's Linux as Dom0 with the toolstack
initramfs of `tools/fetch-guest.sh --toolstack`, to which a small cpio is
appended (Linux unpacks concatenated archives in order) holding
/guest/baremetal.Image, this build's guest. Dom0's toolstack script
(tests/guest/init-dom0-toolstack.sh, orchid.only=baremetal-domu) runs
`xl create -c /etc/xen/domu-baremetal.cfg` (extra = "mode=domu"), shows
the DomU's console lines, then checks from Dom0 that xl list shows
Domain-0 alone, that free memory is back, that a next domain can be
built, and that a DomU which filled nearly all free memory with a pattern
and was destroyed leaves only zeros to the next (tests/baremetal/scrub.c).
Those five come back as checks `dom0.<name>` next to the guest's.
Then passthrough from xl (orchid.only=passthrough-xl, not for the fuzzer):
the host DT marks QEMU's PL061 xen,passthrough, Dom0 checks its copy is
disabled, runs tests/guest/domu-passthrough.cfg (iomem=, irqs=,
device_tree= /guest/pt-pl061.dtb, also in the cpio), the hostile
creates and a `dtdev=` libxl refuses (no IOMMU); dom0.passthrough-*
checks.
"""
import copy
import gzip
import os
import re

import dom0
import dom0less
import guest_tests
import toolstack_cases

SMP, MEM = 2, 1024
XEN_ARGS = ("console=dtuart dtuart=/pl011@9000000 dom0_mem=384M "
            "dom0_max_vcpus=2")
DOM0_CHECKS = ["baremetal-domu", "baremetal-domu-gone",
               "baremetal-domu-memory", "baremetal-domu-next",
               "baremetal-domu-scrub"]
PT_CHECKS = ["passthrough-dom0-lacks", "passthrough-xl",
             "passthrough-xl-second-refused", "passthrough-xl-gicr-refused",
             "passthrough-xl-gicd-refused", "passthrough-xl-dtdev-refused"]
DOM0_ARGS = ("orchid.test=toolstack orchid.cpus=%d orchid.mem=%d "
             "orchid.only=toolstack-daemons,baremetal-domu" % (SMP, MEM))
# Dom0's boot, its toolstack, the guest and the passthrough checks: about
# 70 s under TCG on Orchid (Xen 4.17's xl is slower: about 150 s), twice
# that on a host busy with other QEMUs.
TIMEOUT = 240
DOM0_LINE = re.compile(r"^ORCHID-TEST (PASS|FAIL) (\S+?):?(?: (.*))?$", re.M)
# A hypervisor log line that landed in the middle of one of Dom0's (both
# share the UART; each writes whole lines of its own).
HV_LINE_INSIDE = re.compile(r"(?<=[^\n])(?:\(XEN\) [^\n]*\n)+")


def _cpio_entry(name, data, mode=0o100644):
    """One newc entry (the format the kernel's initramfs unpacker reads)."""
    fields = [0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0]
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    blob = head + name.encode() + b"\0"
    blob += b"\0" * (-len(blob) % 4)
    return blob + data + b"\0" * (-len(data) % 4)


def initramfs(build, base, image):
    """BUILD/tests/dom0-baremetal.cpio.gz: @base, then a gzip'd cpio with
    the test guest and the PL061's partial DT. Returns its path."""
    with open(image, "rb") as f:
        archive = _cpio_entry("guest/baremetal.Image", f.read())
    with open(dom0less.pl061_partial_dtb(build), "rb") as f:
        archive += _cpio_entry("guest/pt-pl061.dtb", f.read())
    archive += _cpio_entry("TRAILER!!!", b"", mode=0)
    archive += b"\0" * (-len(archive) % 512)
    out = os.path.join(build, "tests", "dom0-baremetal.cpio.gz")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(base, "rb") as f, open(out + ".new", "wb") as o:
        o.write(f.read())
        o.write(gzip.compress(archive, compresslevel=1, mtime=0))
    os.replace(out + ".new", out)
    return out


def material(build):
    """(Guest with the appended initramfs, "") or (None, why not)."""
    guest, error = toolstack_cases.toolstack_material(build)
    if error:
        return None, "no toolstack guest material (tools/fetch-guest.sh " \
            "--toolstack failed; set ORCHID_CACHE): " + error.strip()[-200:]
    image = os.path.join(build, guest_tests.TESTS["baremetal"])
    if not os.path.exists(image):
        return None, "no test image %s (make baremetal)" % image
    guest = copy.copy(guest)
    guest.ramdisk = initramfs(build, guest.ramdisk, image)
    return guest, ""


def run_domu(build, hv_name, image, timeout=TIMEOUT, fuzz=None, trace=False,
             start=0, more=(), name=None):
    """Like guest_tests.run_guest, for the DomU: (checks, result, log).
    fuzz=(seed, n, seconds): the guest runs the fuzzer (mode=fuzz) for at
    most `seconds` instead of the test cases; Dom0's checks are the
    same. name: the log's (build/tests/NAME.log)."""
    args = DOM0_ARGS
    dom0_checks = DOM0_CHECKS
    if not fuzz:
        name = name or "guest-baremetal-domu-%s" % hv_name
        args += ",passthrough-xl"
        dom0_checks = DOM0_CHECKS + PT_CHECKS
    else:
        seed, n, seconds = fuzz
        name = name or "fuzz-domu-%s" % hv_name
        args += " orchid.bmfuzz=%d:%d orchid.bmtime=%d" % (seed, n, seconds)
        timeout += seconds
        if trace:
            args += " orchid.bmtrace=1"
        if start:
            args += " orchid.bmstart=%d" % start
        args += "".join(" orchid.bmarg=" + m for m in more)
    out_dir = os.path.join(build, "tests")
    log = os.path.join(out_dir, name + ".log")
    if not os.path.exists(image):
        return [], ("ERROR", "no hypervisor image %s" % image), log
    guest, error = material(build)
    if error:
        return [], ("ERROR", error), log
    dtb = dom0.make_dtb(out_dir, name, guest_tests.GIC, SMP, guest.kernel,
                        guest.ramdisk, xen_args=XEN_ARGS,
                        dom0_args=dom0.DOM0_ARGS + " " + args, mem=MEM,
                        host_extra=dom0less.PL061_PASSTHROUGH)
    args = dom0.qemu_args(image, dtb, guest, guest_tests.GIC, SMP, mem=MEM,
                          disk=False)
    run = dom0.WatchedQemuRun(args, log, timeout, idle=110)
    out = HV_LINE_INSIDE.sub("", run.run(
        stop_patterns=[r"ORCHID-TEST POWEROFF"]))
    checks, result = guest_tests.parse(out)
    seen = set()
    for m in DOM0_LINE.finditer(out):
        if m.group(2) in dom0_checks:
            seen.add(m.group(2))
            checks.append(("dom0." + m.group(2),
                           "SUCCESS" if m.group(1) == "PASS" else "FAILURE",
                           (m.group(3) or "").strip("() ")
                           if m.group(1) == "FAIL" else ""))
    for c in dom0_checks:
        if c not in seen:
            checks.append(("dom0." + c, "ERROR", "no result from Dom0"))
    if result[0] == "ERROR" and not result[1]:
        result = ("ERROR", guest_tests.no_result_reason(run, timeout))
    return checks, result, log
