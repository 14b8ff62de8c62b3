#!/usr/bin/python3
"""Run every samen test suite and end with one line: `N passed, N failed`,
with `, N skipped` when a test could not run on this machine.

Suites: the C unit test binaries (tests/unit), the fuzz corpus replay, the
no-floating-point-in-money check, and the whole-stack Python suites
(tests/integration, tests/interop) against the daemons in --bin.
Each suite prints `suite=NAME passed=N failed=M [skipped=K]` as its last
line; a suite that dies without it counts as one failure. The lines of a
passing suite that start with "note:" (where its artefacts are) are shown
too, and so are its "skip NAME: why" lines: a skipped test is never counted
as passed.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"^suite=(\S+) passed=(\d+) failed=(\d+)(?: skipped=(\d+))?\s*$", re.M)


def run(cmd, env, timeout):
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=timeout, errors="replace")
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        out += f"\nTIMEOUT after {timeout}s"
        rc = -1
    return out, rc, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/check")
    ap.add_argument("--only", default="", help="run only suites whose path contains this")
    a = ap.parse_args()
    binp = os.path.abspath(os.path.join(ROOT, a.bin))
    env = dict(os.environ, SAMEN_BIN=binp, PYTHONPATH=os.path.join(ROOT, "tests", "lib"),
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    suites = []
    for b in sorted(glob.glob(os.path.join(binp, "tests", "unit", "**", "test_*"), recursive=True)):
        if os.access(b, os.X_OK) and not b.endswith((".o", ".d")):
            suites.append(([b], 300))
    replay = os.path.join(binp, "tests", "fuzz", "replay")
    if os.path.exists(replay):
        suites.append(([replay, "tests/fuzz/corpus", "tests/fuzz/regressions"], 300))
    if os.path.exists(os.path.join(ROOT, "tests", "check_no_float.sh")):
        suites.append((["bash", "tests/check_no_float.sh"], 60))
    suites.append((["bash", "tests/check_docs.sh"], 60))
    suites.append((["bash", "tests/check_po.sh"], 120))
    suites.append((["/usr/bin/python3", "tests/check_marked.py"], 60))
    for d in ("integration", "interop"):
        for t in sorted(glob.glob(os.path.join(ROOT, "tests", d, "test_*.py"))):
            suites.append((["/usr/bin/python3", t], 900))
    total_p = total_f = total_s = 0
    for cmd, timeout in suites:
        name = os.path.relpath(cmd[-1] if cmd[0].endswith("python3") or cmd[0] == "bash" else cmd[0], ROOT)
        if a.only and a.only not in name:
            continue
        out, rc, dt = run(cmd, env, timeout)
        m = LINE.findall(out)
        if m:
            p, f, s = int(m[-1][1]), int(m[-1][2]), int(m[-1][3] or 0)
            if rc != 0 and f == 0:
                f = 1  # exited non-zero though every test passed: a crash or a leak at exit
        else:
            p, f, s = 0, 1, 0
        total_p += p
        total_f += f
        total_s += s
        status = "ok  " if f == 0 else "FAIL"
        skips = f", {s} skipped" if s else ""
        print(f"{status} {name}: {p} passed, {f} failed{skips} ({dt:.1f}s)")
        if f:
            print("\n".join("     " + l for l in out.rstrip().splitlines()[-60:]))
        else:
            # What a passing suite wants a reader to see (where its artefacts
            # are, a figure it measured) and why a test was skipped: its
            # lines that start with "note:" or "skip ".
            for l in out.splitlines():
                if l.strip().startswith(("note:", "skip ")):
                    print("     " + l.strip())
        sys.stdout.flush()
    print(f"{total_p} passed, {total_f} failed" + (f", {total_s} skipped" if total_s else ""))
    sys.exit(1 if total_f else 0)


if __name__ == "__main__":
    main()
