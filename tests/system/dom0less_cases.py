# SPDX-License-Identifier: MIT
"""Boot-time (dom0less) DomUs as run.py cases (dom0less.py builds the DTB).

  dom0less-two-domus   no Dom0: two DomUs of the test guest, vpl011
      consoles; each prints its lines as Xen 4.17 prints them ("DOMn: "
      while input is elsewhere), Ctrl-a x3 moves serial input DOM0 ->
      DOM1 -> DOM2 and each DomU reads the line typed to it.
  dom0less-with-dom0   Dom0 (the test guest, running its checks) and one
      DomU, which gets its line after one Ctrl-a x3.
  dom0less-bad-node    a DomU node with no "cpus" and one whose kernel
      memory = 0: each is reported and skipped, the good one (domain 3,
      IDs follow the nodes' order) still starts (Xen 4.17 panics).
"""
import re

import dom0less


class Dom0lessCase:
    def __init__(self, name, make, expect, forbid=()):
        self.name = "dom0less-" + name
        self.make = make
        self.expect = expect
        self.forbid = forbid

    def run(self, ctx):
        hv = "orchid" if ctx.image.endswith("orchid.bin") else "xen"
        out, log = dom0less.run(ctx.build, hv, self.name, **self.make())
        problems = ["missing /%s/" % p for p in self.expect
                    if not re.search(p, out, re.M)]
        problems += ["unexpected /%s/" % p for p in self.forbid
                     if re.search(p, out, re.M)]
        return problems, log


def bad_nodes():
    domus = [dom0less.Domu("nocpus", cpus=None), dom0less.Domu("nomem", 0),
             dom0less.Domu("good")]
    return dict(domus=domus, stop=r"DOM0LESS-DONE name=good|Panic")


CASES = [
    Dom0lessCase("two-domus", dom0less.two_domus, [
        r"LOADING DOMU cpus=1 memory=10000KB",
        r"LOADING DOMU cpus=2 memory=10000KB",
        r"^\(XEN\) DOM1: DOM0LESS-READY name=one vcpus=1$",
        r"^\(XEN\) DOM2: DOM0LESS-READY name=two vcpus=2$",
        r"Serial input to DOM0 \(type 'CTRL-a' three times",
        r"Serial input to DOM1",
        r'vpl011 read: "hello"',
        r"Serial input to DOM2",
        r'^\(XEN\) vpl011 read: "world"$',
        r"DOM0LESS-DONE name=one", r"DOM0LESS-DONE name=two"]),
    Dom0lessCase("with-dom0", dom0less.with_dom0, [
        r"^\(XEN\) DOM1: DOM0LESS-READY name=solo vcpus=1$",
        r"as Dom0",
        r"Serial input to DOM1",
        r'^\(XEN\) vpl011 read: "ping"$',
        r"DOM0LESS-DONE name=solo"]),
    Dom0lessCase("bad-node", bad_nodes, [
        r'/chosen/domU1: "cpus" must be 1 to 128',
        r'/chosen/domU2: "memory" must be a number of KiB',
        r"/chosen/domU1: not started", r"/chosen/domU2: not started",
        r"^\(XEN\) DOM3: DOM0LESS-DONE name=good$"],
        forbid=[r"Panic", r"DOM[12]: "]),
]
