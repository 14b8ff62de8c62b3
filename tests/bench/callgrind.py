#!/usr/bin/python3
"""tests/bench/callgrind.py - instructions per request, per daemon and thread.

    /usr/bin/python3 tests/bench/callgrind.py --bin build/release \
        [--daemon broker|finance] [--mode get|count] [--clients 64] [--seconds 8]
        [--security curve|plain] [--transport ipc|tcp] [--out DIR]

Starts broker and finance as `make bench` does (tests/bench/run.py's Bench),
one of them under `valgrind --tool=callgrind --separate-threads=yes`,
loads municipalities, zeroes the counters (callgrind_control -z), runs
tests/bench/mdp_load for --seconds, dumps (callgrind_control -d) and
divides each thread's instruction count (Ir) by the requests the broker
routed in between. Instruction counts do not depend on the machine's
load, which moves every timing on a shared machine; they are what to
compare before and after a change to the request path. The process under
valgrind runs some 50 times slower, so batches per wake-up are smaller
than at full speed: counts per request are an upper bound of what a
wake-up costs, and a fair comparison of two builds run the same way.

A measuring tool, not a test: it prints figures and never a verdict.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as benchrun  # noqa: E402


class GrindBench(benchrun.Bench):
    """A Bench that starts one daemon under callgrind."""

    def __init__(self, *args, grind="broker", out="", **kw):
        super().__init__(*args, **kw)
        self.grind = grind
        self.out = out or self.dir

    def start(self, name):
        if name != self.grind:
            return super().start(name)
        log = open(self.path(f"{name}.log"), "ab")
        argv = ["valgrind", "--tool=callgrind", "--separate-threads=yes",
                f"--callgrind-out-file={self.out}/callgrind.{name}.%p",
                self.exe(f"samen-{name}"), "--config", self.cfg]
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=log, cwd=self.dir)
        log.close()

    def ready(self, name, timeout=15):
        return super().ready(name, timeout=120 if name == self.grind else timeout)


def totals(pattern):
    """{thread file suffix: Ir} from the dump files matching pattern."""
    out = {}
    for path in sorted(glob.glob(pattern)):
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith("summary:") or line.startswith("totals:"):
                    out[path] = int(line.split()[1])
                    break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--daemon", default="broker", choices=("broker", "finance"))
    ap.add_argument("--mode", default="get", choices=("get", "count"))
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--workers", type=int, default=64)
    ap.add_argument("--security", default="curve", choices=("curve", "plain"))
    ap.add_argument("--transport", default="ipc", choices=("ipc", "tcp"))
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    bin_dir = a.bin if os.path.isabs(a.bin) else os.path.join(benchrun.ROOT, a.bin)
    if a.out:
        os.makedirs(a.out, exist_ok=True)
    b = GrindBench(bin_dir, a.workers, False, transport=a.transport, security=a.security,
                   log_level="warn", grind=a.daemon, out=os.path.abspath(a.out) if a.out else "")
    try:
        if b.ensure("broker", "finance"):
            raise SystemExit("broker or finance did not start; see " + b.dir)
        benchrun.setup_municipalities(b, 1, 64)
        extra = ["--keys", 64] if a.mode == "get" else ["--first", 1, "--per-client", 1000000,
                                                        "--days", 60]
        pid = b.pid(a.daemon)
        for f in glob.glob(f"{b.out}/callgrind.{a.daemon}.{pid}*"):
            os.unlink(f)
        r0 = int(b.call("broker", "status", timeout=30)[0]["data"]["requests_routed"])
        subprocess.run(["callgrind_control", "-z", str(pid)], check=True,
                       stdout=subprocess.DEVNULL)
        out = subprocess.run(
            [b.exe("tests/bench/mdp_load"), "--endpoint", b.broker, "--mode", a.mode,
             "--clients", str(a.clients), "--seconds", str(a.seconds), "--warmup-ms", "0",
             *map(str, extra), *b.curve_args()],
            capture_output=True, text=True, timeout=a.seconds + 120).stdout
        subprocess.run(["callgrind_control", "-d", str(pid)], check=True,
                       stdout=subprocess.DEVNULL)
        r1 = int(b.call("broker", "status", timeout=30)[0]["data"]["requests_routed"])
        n = r1 - r0 - 1  # the status call itself
        time.sleep(0.5)
        t = totals(f"{b.out}/callgrind.{a.daemon}.{pid}.*-*")
        kv = dict(x.split("=", 1) for x in out.split() if "=" in x)
        print(f"{a.daemon} under callgrind, {a.mode} x {a.clients} in flight, {a.transport}, "
              f"{a.security}: {n} requests ({kv.get('rps')} req/s at callgrind's speed)")
        total = 0
        for path, ir in t.items():
            m = re.search(r"-(\d+)$", path)
            if ir < 1000:
                continue
            total += ir
            print(f"  thread {m.group(1) if m else path}: {ir / max(n, 1):10,.0f} instructions "
                  f"per request")
        print(f"  total:     {total / max(n, 1):10,.0f} instructions per request")
    finally:
        b.cleanup()


if __name__ == "__main__":
    main()
