# SPDX-License-Identifier: MIT
"""Boot-time (dom0less) DomUs as run.py cases (dom0less.py builds the DTB).

  dom0less-two-domus   no Dom0: two DomUs of the test guest, vpl011
      consoles; each prints its lines as Xen 4.17 prints them ("DOMn: "
      while input is elsewhere), Ctrl-a x3 moves serial input DOM0 ->
      DOM1 -> DOM2 -> Orchid and each DomU reads the line typed to it.
  dom0less-with-dom0   Dom0 (the test guest, running its checks) and one
      DomU, which gets its line after one Ctrl-a x3.
  dom0less-linux   no Dom0: Debian's Linux as a DomU whose console is the
      vpl011 (Linux's sbsa-uart driver, interrupt driven) runs its
      initramfs and powers off; the test guest runs beside it. Its
      initramfs is the toolstack material's DomU one: run and skipped as
      the toolstack cases are (ORCHID_TOOLSTACK_TESTS).
  dom0less-two-domus-minimal   two-domus on configs/minimal_defconfig's
      image (no hypfs, debug keys, trace buffers, grant tables, domctl or
      sysctl, GICv2, debug checks): the static-partitioning build does
      what the full one does, and grant_table_op and domctl answer
      -ENOSYS (0 and -EPERM on the full one).
  dom0less-bad-node    a DomU node with no "cpus" and one whose kernel
      memory = 0: each is reported and skipped, the good one (domain 3,
      IDs follow the nodes' order) still starts (Xen 4.17 panics).
  dom0less-cpupools   boot-time cpupools (Xen's xen,cpupool nodes):
      pCPUs 0-1 in Pool-0, pCPU 2 in a null Pool-1 holding a DomU by its
      domain-cpupool, pCPU 3 (in no node) in Pool-2; the 'r' debug key
      dumps pool by pool (as Xen's dump_runq) and shows pCPU 2 given to
      that DomU's vCPU and nothing else there.
      Orchid only: Debian's Xen 4.17 is built without BOOT_TIME_CPUPOOLS.
  dom0less-cpupools-bad   a pCPU in two pools: the pools are dropped
      (every pCPU in Pool-0), the DomU naming one is not started, the
      other starts (Xen 4.17 panics).
  dom0less-rtds-periodic   an RTDS pool of one pCPU with a periodic
      task (10 ms, 1 ms of work) and a CPU hog, each 4 ms / 10 ms: no
      deadline missed in 200 periods, no wake-up later than 5 ms, the hog
      ran meanwhile (under -icount). Orchid only (no RTDS in Debian's
      Xen 4.17).
  dom0less-build-latency   beyond Xen: one pCPU, a 1 kHz periodic task
      (its virtual timer) is never held more than 1 ms by Orchid (its
      lateness less its time runnable) while a 128 MiB DomU is built
      beside it at boot, crashes and is rebuilt at least twice
      (orchid,on-crash = "restart"), under -icount shift=0,sleep=off.
  dom0less-passthrough   Dom0 (the test guest idling) and a DomU given
      QEMU's PL061 by its partial DT (xen,reg, xen,path,
      xen,force-assign-without-iommu; the host node is xen,passthrough):
      the DomU reads the PL061's PrimeCell IDs and takes its SPI 39; a
      load there in Dom0 is a data abort. Same lines on Xen 4.17.
  dom0less-restart   beyond Xen: no Dom0, "crashy" (orchid,on-crash =
      "restart") crashes 0.3 s after each boot and is rebuilt 5 times
      while "ticker" keeps printing numbered ticks: crashy boots 6 times,
      ticker once with no gap, and free memory after each rebuild is
      exactly what it was after the first boot.
  dom0less-lifecycle   beyond Xen: an expired watchdog and a PSCI reboot
      restart their DomUs (orchid,on-watchdog / orchid,on-reboot); a crash
      under "destroy" gives the DomU's 64 MiB back; a crash with no policy
      (Xen's behaviour) or "preserve" leaves the DomU shut down.
  dom0less-hwdom-crash   beyond Xen: Dom0 (the test guest) crashes beside
      a ticking DomU under /chosen's orchid,hwdom-on-crash = "preserve":
      only Dom0 stays down, the DomU ticks on.
  dom0less-hwdom-crash-reset   the same without the property: as Xen
      4.17, "Hardware Dom0 crashed: rebooting machine in 5 seconds." and
      the machine resets (Orchid boots again).
  dom0less-linux-restart   beyond Xen: dom0less-linux's Debian Linux
      DomU under orchid,on-poweroff = "restart" powers off and is rebuilt
      from its kernel and initramfs modules twice, with no memory lost
      (run and skipped as dom0less-linux).
  dom0less-enhanced   Dom0 (Debian's Linux, Xen 4.17's tools) and two
      "xen,enhanced" DomUs, Debian's Linux and the test guest: each has
      Xen's /hypervisor node (Linux prints it), Dom0's unmodified
      init-dom0less connects their xenstore, xl list shows dom0less-1
      and dom0less-2, Linux reads its name and writes data/ in xenstore,
      a second init-dom0less leaves them. Beyond Xen: Orchid builds
      each such DomU a PV console as libxl would, Dom0's
      orchid-dom0less-console gives it its xenstore nodes, and `xl
      console dom0less-1` shows the DomU's hvc0 beacon and a line
      written into its pty comes back answered; on Xen 4.17, whose
      init-dom0less sets up no PV console, the tool reports "no PV
      console" and xl console fails (both there and on Orchid for
      `-t vuart`). Run and skipped as the toolstack cases.
  dom0less-enhanced-restart   beyond Xen: dom0less-enhanced's Linux
      DomU alone, under orchid,on-reboot = "restart": connected by
      init-dom0less, rebooted by Dom0 (xl sysrq b through its xenstore),
      rebuilt by Orchid as domain 1 once xenstored let the old one go; a
      second init-dom0less introduces the new incarnation, whose Linux
      reads and writes its xenstore again, and xl list shows it; then
      again with xenstored stopped across the shutdown (remote shutdown
      from Dom0), so that only Orchid's wait for the old xenstore page to
      be unmapped keeps xenstored from mistaking the new incarnation for
      the old one.
  dom0less-enhanced-no-dom0   no Dom0: an "xen,enhanced" node wanting
      xenstore is reported and not started (Xen 4.17 panics), a
      "no-xenstore" one starts with no xenstore port nor STORE_PFN, one
      with an unknown value starts as if it had none.
  dom0less-boot-scrub   no Dom0: RAM holds a pattern before reset (a
      page every 8 MiB, as a previous boot could leave); the DomU's 64
      MiB has no page that is not zeros (but its image and DTB) and none
      with the pattern, as on Xen 4.17 (bootscrub=idle).
  dom0less-boot-scrub-off   the same with bootscrub=0: the DomU sees
      the pattern (the option honoured, as by Xen 4.17).
  dom0less-boot-scrub-later   the same for two DomUs built after a
      first one started, which spins on the one pCPU: they start, and
      see zeros.
  dom0less-dom0-boot-scrub, -off   the same for Dom0 (the test guest,
      no DomU), over the banks of its DTB: zeros, as on Xen 4.17, and
      the pattern with bootscrub=0.
  dom0less-bad-policy   an orchid,on-crash value that is not a policy:
      the node is reported and not started, the next one is.
  dom0less-passthrough-dom0-owned   the host node not marked
      xen,passthrough: Dom0 keeps the PL061 and Orchid does not start
      the DomU asking for it (-EBUSY); the next DomU starts. Xen 4.17
      maps the frame into both and only leaves the SPI out.
  dom0less-static-mem   xen,static-mem and direct-map: a DomU runs from
      exactly its two static banks (kept from the heap at boot, mapped at
      GUEST_RAM0 for it), a direct-mapped one from its bank at the same
      addresses with the host's GIC and vpl011 (the host UART's frame),
      crashing and rebuilt from the same bank twice with no memory gained
      or lost; a bank over another domain's, direct-map without static
      memory and a "memory" that is not the banks' sum are each refused
      with a reason, and the next DomU starts. Orchid only: Debian's Xen
      4.17 is built without CONFIG_STATIC_MEMORY.
  dom0less-passthrough-virtio   a virtio-blk disk (QEMU -drive, on the
      last virtio-mmio transport, 0x0a003e00, INTID 79) given by partial
      DT to Debian's Linux as a direct-mapped DomU with a static bank
      (its DMA uses host addresses: no IOMMU): it reads the disk's known
      first line and md5; every transport of that frame is
      xen,passthrough in the host DT and a load there from Dom0 (the test
      guest idling) aborts. Orchid only (static memory), run and skipped
      as dom0less-linux.
"""
import os
import re

import dom0less
import toolstack_cases


# `make minimal-image` (a prerequisite of systest) builds it.
MINIMAL_IMAGE = os.path.join("configs", "minimal", "build", "orchid.bin")


def interrupted(text):
    """A pattern for `text` printed byte by byte by a DomU that has the
    serial input, as Xen prints it: a whole line of Dom0's or of the
    hypervisor's own may end between any two bytes (the hypervisor's then
    without its "(XEN) " prefix, since the console is mid-line), and the
    DomU's next byte may then start a new "(XEN) " line."""
    gap = r"(?:[^\n]*\n(?:\(XEN\) )?)?"
    return gap.join(re.escape(c) for c in text)


class Dom0lessCase:
    def __init__(self, name, make, expect, forbid=(), drop=None,
                 image=None, check=None, orchid_only=False, expect_hv=None):
        self.name = "dom0less-" + name
        # check(output) -> problems: what regexes cannot say (counts,
        # sums); orchid_only: Orchid's beyond-Xen behaviour, or a feature
        # Debian's Xen 4.17 is built without (boot-time cpupools);
        # expect_hv: {"orchid": [...], "xen": [...]}, what only one of
        # them prints (where Orchid goes beyond Xen inside a shared case).
        self.check = check
        self.orchid_only = orchid_only
        self.make = make
        self.expect = expect
        self.expect_hv = expect_hv or {}
        self.forbid = forbid
        self.drop = drop
        self.image = image  # relative to the build folder; None: ctx's

    def run(self, ctx):
        hv = "orchid" if ctx.image.endswith("orchid.bin") else "xen"
        image = os.path.join(ctx.build, self.image) if self.image else None
        if image and hv == "xen":
            return ["an Orchid configuration's case"], ""
        if self.orchid_only and hv == "xen":
            return ["beyond Xen 4.17: an Orchid case"], ""
        out, log = dom0less.run(ctx.build, hv, self.name, image=image,
                                drop=self.drop, **self.make())
        if self.drop:
            out = self.drop(out) if callable(self.drop) \
                else re.sub(self.drop, "", out)
        problems = ["missing /%s/" % p
                    for p in list(self.expect) + self.expect_hv.get(hv, [])
                    if not re.search(p, out, re.M)]
        problems += ["unexpected /%s/" % p for p in self.forbid
                     if re.search(p, out, re.M)]
        if self.check:
            problems += self.check(out)
        return problems, log


class Dom0lessLinuxCase(Dom0lessCase):
    def skip(self, only_named, toolstack_opt):
        """Why this case does not run, or "" (as guest-tests-domu)."""
        run, why = toolstack_cases.enabled(only_named)
        forced = toolstack_opt and \
            os.environ.get(toolstack_cases.ENV) != "0"
        return "" if run or forced else why

    def run(self, ctx):
        _, error = toolstack_cases.toolstack_material(ctx.build)
        if error:
            return ["no toolstack guest material: " + error.strip()[-200:]], \
                ctx.path(self.name + ".log")
        return super().run(ctx)


# What two-domus prints, on either image.
TWO_DOMUS_EXPECT = [
    r"LOADING DOMU cpus=1 memory=10000KB",
    r"LOADING DOMU cpus=2 memory=10000KB",
    r"^\(XEN\) DOM1: DOM0LESS-READY name=one vcpus=1$",
    r"^\(XEN\) DOM2: DOM0LESS-READY name=two vcpus=2$",
    r"Serial input to DOM0 \(type 'CTRL-a' three times",
    r"Serial input to DOM1",
    r'vpl011 read: "hello"',
    r"Serial input to DOM2",
    r'^\(XEN\) vpl011 read: "world"$',
    r"DOM0LESS-DONE name=one", r"DOM0LESS-DONE name=two",
    r"Serial input to Orchid \(type 'CTRL-a' three times"]

def count(pattern, out):
    return len(re.findall(pattern, out, re.M))


def boot_free_kib(out):
    m = re.search(r"dom0less: \d+ of \d+ domain\(s\) started, (\d+) KiB "
                  r"free", out)
    return int(m.group(1)) if m else None


def restart_check(out):
    """crashy restarted RESTARTS times, each boot seen, free memory after
    each rebuild exactly what it was after the first boot (no page, no
    table, no structure lost); ticker's ticks numbered without a gap or a
    second boot, and some between every two restarts."""
    n = dom0less.RESTARTS
    problems = []
    free = boot_free_kib(out)
    restarts = [(int(b), int(f), m.start()) for m in re.finditer(
        r"domU1 \(d1\) restarted after crash: boot (\d+), (\d+) KiB free",
        out) for b, f in [m.groups()]]
    if [b for b, _, _ in restarts] != list(range(2, n + 2)):
        problems.append("boots %s, want 2..%d" %
                        ([b for b, _, _ in restarts], n + 1))
    lost = [free - f for _, f, _ in restarts if free is None or f != free]
    if lost:
        problems.append("free memory after restarts differs from boot's "
                        "%s KiB by %s KiB" % (free, lost))
    if count(r"DOM1: DOM0LESS-READY name=crashy", out) != n + 1:
        problems.append("crashy booted %d times, want %d" %
                        (count(r"DOM1: DOM0LESS-READY name=crashy", out),
                         n + 1))
    if count(r"DOM2: DOM0LESS-READY name=ticker", out) != 1:
        problems.append("ticker booted more than once")
    ticks = [(int(m.group(1)), m.start()) for m in re.finditer(
        r"DOM2: DOM0LESS-TICK name=ticker n=(\d+)", out)]
    if [t for t, _ in ticks] != list(range(1, len(ticks) + 1)):
        problems.append("ticker's ticks are not 1..%d in order" % len(ticks))
    marks = [pos for _, _, pos in restarts]
    for a, b in zip(marks, marks[1:]):
        if not any(a < pos < b for _, pos in ticks):
            problems.append("no tick between two restarts")
            break
    return problems


def static_mem_check(out):
    """The direct-mapped DomU's three boots each took the same bank, and
    free memory after each rebuild is the boot's: the bank never reached
    the heap."""
    problems = []
    free = boot_free_kib(out)
    frees = [int(f) for f in re.findall(
        r"domU2 \(d2\) restarted after crash: boot \d+, (\d+) KiB free",
        out)]
    if not frees or free is None or any(f != free for f in frees):
        problems.append("free KiB after restarts %s, at boot %s" %
                        (frees, free))
    banks = count(r"^\(XEN\) d2: STATIC BANK\[0\] 0xb0000000-0xb4000000$",
                  out)
    if banks < 3:
        problems.append("d2 took its bank %d times, want 3" % banks)
    return problems


def virtio_disk_check(out):
    """The md5 the DomU read is the one its initramfs was made with
    (tools/fetch-guest.sh's, of disk.img)."""
    got = re.search(r"ORCHID-DOMU-DISK first='.*' md5=(\w+)", out)
    want = re.search(r"ORCHID-DOMU-DISK want first='.*' md5=(\w+)", out)
    if not got or not want or got.group(1) != want.group(1):
        return ["disk md5 %s, want %s" % (got and got.group(1),
                                          want and want.group(1))]
    return []


def lifecycle_check(out):
    """gone's memory went back to the heap: at least its 64 MiB more free
    than at boot (the restarting domains hold no more than they did)."""
    free = boot_free_kib(out)
    m = re.search(r"domU3 \(d3\) destroyed after crash, (\d+) KiB free", out)
    if free is None or not m:
        return ["no free memory line at boot or after gone's destroy"]
    if int(m.group(1)) - free < 65536:
        return ["only %d KiB more free after destroying a 64 MiB DomU" %
                (int(m.group(1)) - free)]
    return []


def hwdom_crash_check(out):
    """The DomU ticks on after Dom0's crash, numbered without a gap."""
    crash = out.find("Hardware Dom0 crashed")
    ticks = [(int(m.group(1)), m.start()) for m in re.finditer(
        r"DOM1: DOM0LESS-TICK name=ticker n=(\d+)", out)]
    problems = []
    if [t for t, _ in ticks] != list(range(1, len(ticks) + 1)):
        problems.append("ticker's ticks are not 1..%d in order" % len(ticks))
    after = [t for t, pos in ticks if pos > crash >= 0]
    if len(after) < 20:
        problems.append("only %d ticks after Dom0's crash" % len(after))
    return problems


def linux_restart_check(out):
    """Each rebuild of the 256 MiB Linux DomU leaves free memory as boot
    left it (kernel, initramfs and DTB reloaded into fresh pages)."""
    free = boot_free_kib(out)
    after = [int(f) for f in re.findall(
        r"restarted after poweroff: boot \d+, (\d+) KiB free", out)]
    if free is None or not after or any(f != free for f in after):
        return ["free memory %s at boot, %s after restarts" % (free, after)]
    return []


# Orchid's "Domain N shut down" line when it lands inside a DomU's line
# that prints byte by byte (serial input is on that DomU): DomU one powers
# off right after its DONE line, but its vCPU's host thread may run late,
# after input has moved to DomU two and its echo has begun.
SHUTDOWN_MIDLINE = r"(?<=[^\n])(?<!\(XEN\) )Domain \d+ shut down: [a-z]+\n\(XEN\) "

# A hypervisor line (a DomU's vpl011 output) that landed inside one of
# Dom0's, which share the UART.
HV_LINE_INSIDE = r"(?<=[^\n])(?:\(XEN\) [^\n]*\n)+"


def hv_lines_out(out):
    """Whole hypervisor lines that landed inside one of Dom0's (Linux's
    console and the hypervisor's share the UART) moved after it: Dom0's
    line whole again, and the hypervisor's kept, each at a line start."""
    return re.sub(r"(?m)^([^\n]+?)((?:\(XEN\) [^\n]*\n)+)([^\n]*\n)",
                  lambda m: m.group(1) + m.group(3) + m.group(2), out)


ENHANCED_EXPECT = [
    r"^\(XEN\) DOM2: DOM0LESS-READY name=idle vcpus=1$",
    # Before init-dom0less (same on Xen 4.17): its xenstore port, the
    # PFN all ones, and no parameter of its own or domain 1's to write
    # or read (-EPERM).
    r"^\(XEN\) DOM2: DOM0LESS-XS pfn=ffffffffffffffff/0 port=1/0 "
    r"self_set=-1 other_get=-1 other_set=-1$",
    # Xen's make_hypervisor_node, as Linux in DomU 1 reads it: the grant
    # table at 0x38000000 (16 MiB), then the extended regions past its
    # 256 MiB of RAM and bank 1 (below 2^40); PPI 31 level low.
    r"^\(XEN\) DOM1: ORCHID-DOMU-HV-COMPAT xen,xen-4\.17 xen,xen $",
    r"^\(XEN\) DOM1: ORCHID-DOMU-HV-REG 0000000038000000"
    r"0000000001000000000000005000000000000000b0000000"
    r"0000000200000000000000fe00000000$",
    r"^\(XEN\) DOM1: ORCHID-DOMU-HV-IRQ 000000010000000f00000f08$",
    r"^\(XEN\) DOM1: ORCHID-DOMU-XENSTORE name=dom0less-1 write=OK$",
    r"^ORCHID-TEST PASS toolstack-daemons",
    r"^ORCHID-TEST PASS dom0less-init",
    r"^ORCHID-TEST PASS dom0less-xl-list",
    r"^ORCHID-TEST PASS dom0less-domu-xenstore",
    r"^ORCHID-TEST PASS dom0less-rerun",
    r"^ORCHID-TEST PASS dom0less-console-setup",
    r"^ORCHID-TEST PASS dom0less-console",
    r"^ORCHID-TEST SUMMARY passed=7 failed=0"]

# Beyond Xen: orchid-dom0less-console gives domain 1's PV console (built
# by Orchid) its xenstore nodes and xl console reaches its hvc0, both
# ways; Xen 4.17 builds none, the tool says so and xl console fails.
ENHANCED_EXPECT_HV = {
    "orchid": [
        r"^ORCHID-TEST PASS dom0less-console-setup \(on orchid: exit 0 "
        r"'Domain 1: PV console at gfn 0x39000, port \d+'",
        r"^ORCHID-TEST PASS dom0less-console \(on orchid",
        r"^ORCHID-DL-CONSOLE reached dom0less-1$"],
    "xen": [
        r"^ORCHID-TEST PASS dom0less-console-setup \(on xen: exit 0 "
        r"'Domain 1: no PV console'",
        r"^ORCHID-TEST PASS dom0less-console \(on xen",
        r"^ORCHID-DL-CONSOLE none$"]}

CASES = [
    Dom0lessCase("hwdom-crash", dom0less.hwdom_crash, [
        r"^\(XEN\) dom0less: a Dom0 crash leaves the DomUs running$",
        r"^DOM0LESS-CRASH name=Dom0$",
        r"^\(XEN\) Domain 0 shut down: crash$",
        r"^\(XEN\) Hardware Dom0 crashed: preserved, the other domains "
        r"keep running \(orchid,hwdom-on-crash\)$"],
        forbid=[r"Panic", r"rebooting machine"],
        check=hwdom_crash_check, orchid_only=True),
    # Xen 4.17's hwdom_shutdown, message and all.
    Dom0lessCase("hwdom-crash-reset", dom0less.hwdom_crash_reset, [
        r"^\(XEN\) Hardware Dom0 crashed: rebooting machine in 5 "
        r"seconds\.$",
        r"rebooting machine in 5 seconds[\s\S]*"
        r"(?:booting at EL2|Xen version)"],
        forbid=[r"Panic", r"preserved"]),
    Dom0lessCase("restart", dom0less.restart, [
        r"^\(XEN\) dom0less: /chosen/domU1 \(d1\) crash: policy restart$",
        r"^\(XEN\) Domain 1 destroyed"],
        forbid=[r"Panic", r"domU2 \(d2\)", r"Domain 2 shut down"],
        check=restart_check, orchid_only=True),
    Dom0lessCase("lifecycle", dom0less.lifecycle, [
        r"Watchdog timer fired for domain 1",
        r"domU1 \(d1\) watchdog: policy restart",
        r"domU1 \(d1\) restarted after watchdog: boot 3, ",
        r"domU2 \(d2\) reboot: policy restart",
        r"domU2 \(d2\) restarted after reboot: boot 3, ",
        r"domU3 \(d3\) crash: policy destroy",
        r"Domain 3 destroyed",
        # No policy: Xen's, it stays shut down (and says nothing more).
        r"^\(XEN\) Domain 4 shut down: crash$",
        r"^\(XEN\) dom0less: /chosen/domU5 \(d5\) crash: policy preserve$"],
        forbid=[r"Panic", r"domU3 \(d3\) restarted", r"domU4 \(d4\)",
                r"Domain [45] destroyed", r"d5\) restarted",
                r"DOM3: DOM0LESS-READY[\s\S]*DOM3: DOM0LESS-READY",
                r"DOM4: DOM0LESS-READY[\s\S]*DOM4: DOM0LESS-READY",
                r"DOM5: DOM0LESS-READY[\s\S]*DOM5: DOM0LESS-READY"],
        check=lifecycle_check, orchid_only=True),
    Dom0lessCase("bad-policy", dom0less.bad_policy, [
        r'/chosen/domU1: "orchid,on-crash" must be "destroy", "restart" '
        r'or "preserve"',
        r"/chosen/domU1: not started",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=good$"],
        forbid=[r"Panic", r"DOM1: "], orchid_only=True),
    Dom0lessCase("two-domus", dom0less.two_domus, TWO_DOMUS_EXPECT + [
        r"DOM1: DOM0LESS-GNTTAB query_size=0$",
        r"DOM1: DOM0LESS-DOMCTL getdomaininfo=-1$"],
        drop=SHUTDOWN_MIDLINE),
    # Built without grant tables and domctl: both hypercalls are gone.
    Dom0lessCase("two-domus-minimal", dom0less.two_domus, TWO_DOMUS_EXPECT + [
        r"DOM1: DOM0LESS-GNTTAB query_size=-38$",
        r"DOM1: DOM0LESS-DOMCTL getdomaininfo=-38$"],
        drop=SHUTDOWN_MIDLINE, image=MINIMAL_IMAGE),
    Dom0lessCase("with-dom0", dom0less.with_dom0, [
        r"^\(XEN\) DOM1: DOM0LESS-READY name=solo vcpus=1$",
        r"as Dom0",
        r"Serial input to DOM1",
        interrupted('vpl011 read: "ping'),
        interrupted("DOM0LESS-DONE name=solo")],
        # The DomU that has the input prints each byte as it comes, as on
        # Xen, so its line may be cut by Dom0's (whole-line) check lines,
        # or by any other line of Dom0's (seen: its GIC line right after
        # "ping"): the read is matched up to the echoed text. Lines of the
        # hypervisor's own (Dom0's checks provoke some) land there too, as
        # on Xen: see interrupted().
        drop=r"(?m)(?:Test [^\n]*|\(console_io write\))\n"),
    Dom0lessLinuxCase("linux", dom0less.linux, [
        r"DOM1: .*22000000\.sbsa-uart: ttyAMA0 at MMIO 0x22000000",
        r"^\(XEN\) DOM1: ORCHID-DOMU-READY mode=dom0less vcpus=2 ",
        r"^\(XEN\) DOM1: .*reboot: Power down",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=tiny$"],
        forbid=[r"Panic", r"unable to open an initial console"]),
    Dom0lessLinuxCase("linux-restart", dom0less.linux_restart, [
        r"domU1 \(d1\) poweroff: policy restart",
        r"domU1 \(d1\) restarted after poweroff: boot 2, ",
        r"domU1 \(d1\) restarted after poweroff: boot 3, ",
        r"DOM1: ORCHID-DOMU-READY[\s\S]*DOM1: ORCHID-DOMU-READY[\s\S]*"
        r"DOM1: ORCHID-DOMU-READY"],
        forbid=[r"Panic", r"unable to open an initial console"],
        check=linux_restart_check, orchid_only=True),
    Dom0lessLinuxCase("enhanced", dom0less.enhanced, ENHANCED_EXPECT,
                      forbid=[r"Panic", r"Kernel panic", r"ORCHID-TEST FAIL"],
                      drop=hv_lines_out, expect_hv=ENHANCED_EXPECT_HV),
    Dom0lessLinuxCase("enhanced-restart", dom0less.enhanced_restart, [
        r"^\(XEN\) DOM1: ORCHID-DOMU-XENSTORE name=dom0less-1 write=OK$",
        r"domU1 \(d1\) reboot: policy restart",
        r"domU1 \(d1\) restarted after reboot: boot 2, ",
        r"ORCHID-DOMU-XENSTORE name=dom0less-1 write=OK[\s\S]*"
        r"ORCHID-DOMU-XENSTORE name=dom0less-1 write=OK",
        r"^ORCHID-TEST PASS toolstack-daemons",
        r"^ORCHID-TEST PASS dom0less-init",
        r"^ORCHID-TEST PASS dom0less-domu-xenstore",
        r"^ORCHID-TEST PASS dom0less-reboot",
        r"^ORCHID-TEST PASS dom0less-reinit",
        r"^ORCHID-TEST PASS dom0less-restarted-xenstore",
        r"^ORCHID-TEST PASS dom0less-restarted-xl-list",
        # xenstored stopped across the shutdown: Orchid waits for it to
        # unmap the old xenstore page before it takes ID 1 again.
        r"dom0less: /chosen/domU1 \(d1\) waits for 1 page\(s\) of its "
        r"last incarnation to be unmapped",
        r"domU1 \(d1\) restarted after reboot: boot 3, ",
        r"^ORCHID-TEST PASS dom0less-stalled-xenstored",
        r"^ORCHID-TEST PASS dom0less-stalled-reinit",
        r"^ORCHID-TEST PASS dom0less-stalled-xenstore",
        r"^ORCHID-TEST SUMMARY passed=10 failed=0"],
        forbid=[r"Panic", r"Kernel panic", r"ORCHID-TEST FAIL"],
        drop=hv_lines_out, orchid_only=True),
    Dom0lessCase("enhanced-no-dom0", dom0less.enhanced_no_dom0, [
        r'/chosen/domU1: "xen,enhanced" needs a Dom0 for xenstore',
        r"/chosen/domU1: not started",
        r"/chosen/domU2: d2, .*, xen,enhanced no-xenstore, Pool-0$",
        r"^\(XEN\) DOM2: DOM0LESS-XS pfn=0/0 port=0/0 self_set=-1 "
        r"other_get=-3 other_set=-3$",
        r"/chosen/domU3: d3, 1 vCPU\(s\), 64 MiB, [^,]*, DTB [^,]*, "
        r"vpl011, Pool-0$",
        r"^\(XEN\) DOM3: DOM0LESS-DONE name=odd$"],
        forbid=[r"Panic", r"DOM1: "], orchid_only=True),
    # Nothing a previous boot left in RAM reaches a boot-time DomU.
    Dom0lessCase("boot-scrub", dom0less.boot_scrub, [
        r"DOM1: SCRUB-CHECK pages=\d+ nonzero=0 pattern=0 first=0$"],
        forbid=[r"Panic"]),
    # ... unless the user asks for it with bootscrub=0, as on Xen.
    Dom0lessCase("boot-scrub-off", dom0less.boot_scrub_off, [
        r"DOM1: SCRUB-CHECK pages=\d+ nonzero=[1-9]\d* pattern=[1-9]\d* "
        r"first=\d+$"],
        forbid=[r"Panic"]),
    # Nor a DomU built while another runs, which spins on the one pCPU.
    Dom0lessCase("boot-scrub-later", dom0less.boot_scrub_later, [
        r"DOM1: HOG: spinning$",
        r"DOM2: SCRUB-CHECK pages=\d+ nonzero=0 pattern=0 first=0$",
        r"DOM3: SCRUB-CHECK pages=\d+ nonzero=0 pattern=0 first=0$"],
        forbid=[r"Panic"]),
    # Nor does it reach Dom0 (direct-mapped: its banks are the host's).
    Dom0lessCase("dom0-boot-scrub", dom0less.dom0_boot_scrub, [
        r"SCRUB-CHECK pages=\d+ nonzero=0 pattern=0 first=0$"],
        forbid=[r"Panic"]),
    Dom0lessCase("dom0-boot-scrub-off", dom0less.dom0_boot_scrub_off, [
        r"SCRUB-CHECK pages=\d+ nonzero=[1-9]\d* pattern=[1-9]\d* "
        r"first=[0-9a-f]+$"],
        forbid=[r"Panic"]),
    Dom0lessCase("bad-node", dom0less.bad_nodes, [
        r'/chosen/domU1: "cpus" must be 1 to 128',
        r'/chosen/domU2: "memory" must be a number of KiB',
        r"/chosen/domU1: not started", r"/chosen/domU2: not started",
        r"^\(XEN\) DOM3: DOM0LESS-DONE name=good$"],
        forbid=[r"Panic", r"DOM[12]: "]),
    Dom0lessCase("static-mem", dom0less.static_mem, [
        r"/chosen/domU1: static memory 0xa0000000-0xa2000000 kept for it",
        r"/chosen/domU1: static memory 0xa4000000-0xa6000000 kept for it",
        r"^\(XEN\) d1: STATIC BANK\[0\] 0xa0000000-0xa2000000$",
        r"^\(XEN\) d1: STATIC BANK\[1\] 0xa4000000-0xa6000000$",
        # Not direct-mapped: one RAM range at GUEST_RAM0 for it, the
        # guest layout's GIC.
        r"^\(XEN\) DOM1: DOM0LESS-MEM image=40000000 gicd=3001000 "
        r"ram=40000000\+4000000$",
        # Direct-mapped: its bank's addresses, the host's GICD; its
        # lines come through the vpl011 at the host UART's frame.
        r"^\(XEN\) DOM2: DOM0LESS-MEM image=b0000000 gicd=8000000 "
        r"ram=b0000000\+4000000$",
        r"/chosen/domU3: xen,static-mem bank 0xa1000000\+0x1000000 "
        r"overlaps another domain's static memory",
        r"/chosen/domU3: its xen,static-mem was refused at boot",
        r"/chosen/domU4: direct-map is not valid without static allocation",
        r"/chosen/domU5: \"memory\" \(32768 KiB\) is not the sum of its "
        r"xen,static-mem banks \(16384 KiB\)",
        r"^\(XEN\) DOM1: DOM0LESS-DONE name=st$",
        r"^\(XEN\) DOM6: DOM0LESS-DONE name=after$"],
        forbid=[r"Panic", r"DOM[345]: "], check=static_mem_check,
        orchid_only=True),
    Dom0lessLinuxCase("passthrough-virtio", dom0less.passthrough_virtio, [
        r"^\(XEN\) d1: STATIC BANK\[0\] 0xa0000000-0xb0000000$",
        # Direct-mapped: the vpl011 at the host UART's frame.
        r"DOM1: .*9000000\.sbsa-uart: ttyAMA0 at MMIO 0x9000000",
        r"^\(XEN\) DOM1: ORCHID-DOMU-DISK first='ORCHID-DISK v1: known "
        r"content for the virtio-blk test' md5=\w+$",
        r"^PT-ABSENT addr=a003e00 abort=1 ",
        r"^\(XEN\) DOM1: .*reboot: Power down"],
        forbid=[r"Panic", r"Kernel panic", r"ORCHID-DOMU-DISK none",
                r"not started"],
        check=virtio_disk_check, orchid_only=True),
    Dom0lessCase("cpupools", dom0less.cpupools, [
        r"CPU0 in Pool-0 \(credit2\)", r"CPU1 in Pool-0 \(credit2\)",
        r"CPU2 in Pool-1 \(null\)", r"CPU3 in Pool-2 \(credit2\)",
        r"/chosen/domU1: d1, .*, Pool-1$",
        r"/chosen/domU2: d2, .*, Pool-0$",
        r"^\(XEN\) DOM1: DOM0LESS-WAITING",
        # 'r' as Xen's dump_runq: pool by pool, each pCPU's occupant.
        r"^\(XEN\) Online Cpus: 0-3$",
        r"^\(XEN\) Cpupool 0:\n\(XEN\) Cpus: 0-1\n\(XEN\) Scheduler: "
        r"SMP Credit Scheduler rev2 \(credit2\)\n",
        r"^\(XEN\) Cpupool 1:\n\(XEN\) Cpus: 2\n\(XEN\) Scheduler: "
        r".*\(null\)\n\(XEN\) CPU\[02\] pool 1 null given to d1v0 runq:$",
        r"^\(XEN\) Cpupool 2:\n\(XEN\) Cpus: 3\n"],
        # d1v0 nowhere else; Dom0 and d2 never on pCPU 2 or 3's pools.
        forbid=[r"Panic", r"CPU\[0[013]\].*d1v0", r"CPU\[02\].*d[02]v"],
        orchid_only=True),
    Dom0lessCase("cpupools-bad", dom0less.cpupools_bad, [
        r"cpupool cpupool-rt: CPU1 is already in a cpupool",
        r"boot-time cpupools ignored: every pCPU stays in Pool-0",
        r"/chosen/domU1: domain-cpupool is no boot-time cpupool",
        r"/chosen/domU1: not started",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=free$"],
        forbid=[r"Panic", r"DOM1: ", r"Pool-1"], orchid_only=True),
    Dom0lessCase("rtds-periodic", dom0less.rtds_periodic, [
        r"CPU1 in Pool-1 \(rtds\)",
        r"DOM1: RT-PERIODIC start[\s\S]*DOM2: HOG: beat 1\n"
        r"[\s\S]*DOM1: RT-PERIODIC periods=200 misses=0 ",
        r"^\(XEN\) DOM1: Test result: SUCCESS"],
        forbid=[r"Panic", r"FAILURE"], orchid_only=True),
    # Builds on pCPU 0 give it back often enough for a 1 kHz timer.
    Dom0lessCase("build-latency", dom0less.build_latency, [
        r"domU2 \(d2\) restarted after crash: boot 3, [\s\S]*"
        r"DOM1: RT-PERIODIC periods=200 misses=\d+ .* max_held_us=\d+$",
        r"^\(XEN\) DOM1: Test result: SUCCESS"],
        forbid=[r"Panic", r"FAILURE"], orchid_only=True),
    Dom0lessCase("passthrough", dom0less.passthrough, [
        r"Dom0: 41 MMIO regions, 38 SPIs, 37 of them routed",
        r"^\(XEN\) DOM1: PT-MMIO addr=9030000 cell=b105f00d periph=41061$",
        r"^\(XEN\) DOM1: PT-IRQ intid=39 count=1$",
        r"^PT-ABSENT addr=9030000 abort=1 ",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=after$"],
        forbid=[r"Panic", r"PT-MMIO .*abort"]),
    Dom0lessCase("passthrough-dom0-owned", dom0less.passthrough_dom0_owned, [
        r"Dom0: 41 MMIO regions, 38 SPIs, 38 of them routed",
        r"d1: MFNs 0x9030\+0x1 are domain 0's",
        r"/chosen/domU1: building d1 failed \(-16\)",
        r"^\(XEN\) DOM2: DOM0LESS-DONE name=after$"],
        forbid=[r"Panic", r"DOM1: "]),
]
