#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Line coverage of the hypervisor's C code by the host unit tests.

  tools/coverage.py --unit DIR --image DIR [--out FILE]   (make coverage)

--image holds the .gcno files of every C file of common/ and arch/arm64/
that goes into the hypervisor image, compiled again with --coverage: their
lines are the executable lines counted (the image's own view of its code;
a file no unit test builds counts with all its lines unexecuted). --unit
holds the .gcno/.gcda files of the unit tests built with --coverage and
run: a line is covered when any test executed it. Only gcov (GCC's) is
needed: `gcov --json-format --stdout` per file, summed here.

Prints a summary and writes a Markdown report (overall, per directory, per
file) to --out.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys

ROOTS = ("common/", "arch/arm64/")


def gcov_json(path):
    """gcov's JSON for one .gcno or .gcda file (gcov looks for its twin)."""
    res = subprocess.run(["gcov", "--json-format", "--stdout",
                          os.path.basename(path)],
                         cwd=os.path.dirname(path) or ".",
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True)
    start = res.stdout.find("{")
    if res.returncode or start < 0:
        return None
    return json.loads(res.stdout[start:])


def relative(name, cwd, root):
    """A source path of gcov's JSON, relative to the repository."""
    path = os.path.normpath(os.path.join(cwd, name))
    return os.path.relpath(path, root)


def line_sets(files, root, executed_only):
    """{source: set of line numbers} over gcov's JSON of @files, for the C
    files under ROOTS; @executed_only keeps lines with a non-zero count."""
    lines = collections.defaultdict(set)
    for path in files:
        data = gcov_json(path)
        if not data:
            print("coverage: gcov could not read %s" % path, file=sys.stderr)
            continue
        cwd = data.get("current_working_directory", root)
        for f in data["files"]:
            src = relative(f["file"], cwd, root)
            if not src.endswith(".c") or not src.startswith(ROOTS):
                continue
            for ln in f["lines"]:
                if not executed_only or ln["count"] > 0:
                    lines[src].add(ln["line_number"])
    return lines


def group_of(src):
    """The directory a file is reported under (arch/arm64 is one)."""
    d = os.path.dirname(src)
    return d if d.startswith("common") else "arch/arm64"


def pct(covered, total):
    return 100.0 * covered / total if total else 0.0


def summarise(executable, executed):
    """Per file, per directory, per root and overall (covered, total)."""
    per_file = {}
    for src, lines in executable.items():
        per_file[src] = (len(lines & executed.get(src, set())), len(lines))
    groups = collections.defaultdict(lambda: [0, 0])
    for src, (c, t) in per_file.items():
        for key in (group_of(src), src.split("/")[0] + "/" if
                    src.startswith("common") else "arch/arm64/", "all"):
            groups[key][0] += c
            groups[key][1] += t
    return per_file, groups


def report(per_file, groups, nr_tests):
    out = ["# Line coverage of the hypervisor by the host unit tests", "",
           "`make coverage`: the %d cmocka suites of tests/unit built with "
           "`--coverage -O0` (no sanitizers) and run; executable lines are "
           "those of every C file of `common/` and `arch/arm64/` compiled "
           "into the image (the same files compiled again with `--coverage` "
           "by the cross compiler), so a file no unit test builds counts "
           "as 0%%. Assembly (`*.S`) is not counted. Counted by "
           "`tools/coverage.py` from `gcov --json-format`. Files at 0%% (the "
           "GIC drivers, the vGIC's register emulation, trap entry, "
           "setup, ...) are exercised only by the QEMU system tests, "
           "which gcov does not see." % nr_tests, "",
           "| scope | lines covered | executable lines | coverage |",
           "| --- | ---: | ---: | ---: |"]
    # arch/arm64 has no subdirectories: its directory row is its root's.
    order = ["all", "common/", "arch/arm64/"] + sorted(
        k for k in groups
        if k not in ("all", "common/", "arch/arm64/", "arch/arm64"))
    for key in order:
        c, t = groups[key]
        name = {"all": "**common/ + arch/arm64/**",
                "common": "`common/*.c`"}.get(key, "`%s/`" % key.rstrip("/"))
        out.append("| %s | %d | %d | %.1f%% |" % (name, c, t, pct(c, t)))
    out += ["", "## Per file", "",
            "| file | covered | executable | coverage |",
            "| --- | ---: | ---: | ---: |"]
    for src in sorted(per_file):
        c, t = per_file[src]
        out.append("| `%s` | %d | %d | %.1f%% |" % (src, c, t, pct(c, t)))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unit", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--out")
    ap.add_argument("--root", default=os.getcwd())
    opts = ap.parse_args()
    root = os.path.abspath(opts.root)
    gcno = glob.glob(os.path.join(opts.image, "**", "*.gcno"),
                     recursive=True)
    gcda = glob.glob(os.path.join(opts.unit, "*.gcda"))
    if not gcno or not gcda:
        print("coverage: no .gcno in %s or no .gcda in %s" %
              (opts.image, opts.unit), file=sys.stderr)
        return 1
    executable = line_sets(gcno, root, False)
    executed = line_sets(gcda, root, True)
    per_file, groups = summarise(executable, executed)
    nr_tests = len({os.path.basename(p).split("-")[0] for p in gcda})
    text = report(per_file, groups, nr_tests)
    for key in ("all", "common/", "arch/arm64/"):
        c, t = groups[key]
        print("coverage: %-12s %5d of %5d lines, %.1f%%" %
              (key, c, t, pct(c, t)))
    if opts.out:
        os.makedirs(os.path.dirname(opts.out) or ".", exist_ok=True)
        with open(opts.out, "w") as f:
            f.write(text)
        print("coverage: report written to %s" % opts.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
