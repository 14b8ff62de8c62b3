#!/usr/bin/python3
"""tests/bench/profile.py - where a request's time goes: CPU per request per
process and thread, system calls per request, and a perf profile.

    /usr/bin/python3 tests/bench/profile.py --bin build/release \
        [--scenario get64,get1,count64,count1,echo64] [--transport ipc|tcp]
        [--perf DIR] [--strace DIR] [--seconds S] [--security curve|plain]

Starts samen-broker and samen-finance as `make bench` does (tests/bench/run.py's
Bench: same configuration, 64 worker connections, log level warn), loads
municipalities, and runs each scenario with tests/bench/mdp_load:

    get64    municipality.get, 64 in flight     (the broker path)
    get1     municipality.get, 1 in flight      (latency)
    count64  municipality.count, 64 writers     (group commit)
    count1   municipality.count, 1 writer       (a lone commit)
    count64r count64 with random rids (as samenctl's), count64n without rids
    echo64   the bare ROUTER echo, 64 in flight (the baseline)

For every scenario it prints, per process (broker, finance, the load client;
echo for echo64) and per thread (the process's own thread and libzmq's I/O
thread), the CPU time per request (from /proc/PID/task/TID/schedstat), and
the system calls per request, counted with the kernel's syscall tracepoints
(perf stat -e 'syscalls:sys_enter_*', cheap enough not to change the
batching it measures). With --perf DIR it also records
`perf record -e cpu-clock -g` of the three processes and writes the report
(top symbols per process) into DIR; with --strace DIR it runs the scenario
again under `strace -c -f` for each process (slow: strace stops every
system call, so batches grow; counts per request there are an upper bound
of the round trips and a lower bound of the batching).

A measuring tool, not a test: it prints figures and never a verdict.
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as benchrun  # noqa: E402  (tests/bench/run.py: Bench, setup_municipalities)

SCENARIOS = {
    #        mode,   clients, extra mdp_load arguments
    "get64": ("get", 64, ["--keys", 64]),
    "get1": ("get", 1, ["--keys", 64]),
    "count64": ("count", 64, ["--first", 1000, "--per-client", 50]),
    "count1": ("count", 1, ["--first", 5000, "--per-client", 200]),
    # count64 with rids as samenctl makes them (random), and without rids:
    # what idempotency's table costs a write, by difference
    "count64r": ("count", 64, ["--first", 1000, "--per-client", 50, "--rid", "random"]),
    "count64n": ("count", 64, ["--first", 1000, "--per-client", 50, "--rid", "none"]),
    "echo64": ("echo", 64, ["--keys", 64]),
    "echo1": ("echo", 1, ["--keys", 64]),
}


def thread_times(pid):
    """{comm/tid: ns on CPU} for every thread of pid."""
    out = {}
    base = f"/proc/{pid}/task"
    try:
        tids = os.listdir(base)
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"{base}/{tid}/comm") as f:
                comm = f.read().strip()
            with open(f"{base}/{tid}/schedstat") as f:
                ns = int(f.read().split()[0])
        except OSError:
            continue
        out[f"{comm}/{tid}"] = ns
    return out


def group_threads(delta):
    """Sum thread times by role: the process's main thread, libzmq I/O
    threads, the reaper."""
    g = {}
    for key, ns in delta.items():
        comm = key.rsplit("/", 1)[0]
        role = "zmq-io" if comm.startswith("ZMQbg/IO") else (
            "zmq-reaper" if comm.startswith("ZMQbg/Reaper") else "main")
        g[role] = g.get(role, 0) + ns
    return g


SYSCALLS = ["getpid", "poll", "ppoll", "epoll_wait", "epoll_pwait", "epoll_ctl", "read", "write",
            "sendto", "recvfrom", "sendmsg", "recvmsg", "writev", "pwrite64", "pwritev",
            "fdatasync", "fsync", "msync", "lseek", "futex", "mmap", "munmap", "brk", "madvise",
            "mprotect", "close", "fcntl", "clock_gettime"]


def perf_stat(pid, seconds, out_path):
    """Start `perf stat` counting, per thread, the entries of the system
    calls that matter here and of all of them (raw_syscalls), for seconds.
    Counting happens in the kernel: nothing is lost and the processes are
    barely slowed (strace stops each call; perf trace drops events)."""
    events = ["raw_syscalls:sys_enter"] + [f"syscalls:sys_enter_{c}" for c in SYSCALLS]
    return subprocess.Popen(["perf", "stat", "-x", ",", "--per-thread", "-e", ",".join(events),
                             "-p", str(pid), "-o", out_path, "--", "sleep", str(seconds)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def parse_perf_stat(path):
    """{role: {syscall: calls}} ("all" for every system call) from a
    perf stat --per-thread -x, file."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.strip().split(",")
                if len(parts) < 4:
                    continue
                comm, value, event = parts[0], parts[1], parts[3]
                if not value.isdigit():
                    continue
                comm = comm.rsplit("-", 1)[0]
                role = "zmq-io" if comm.startswith("ZMQbg/IO") else (
                    "zmq-reaper" if comm.startswith("ZMQbg/Reaper") else "main")
                name = "all" if event.startswith("raw_syscalls") else event.split("sys_enter_")[-1]
                d = out.setdefault(role, {})
                d[name] = d.get(name, 0) + int(value)
    except OSError:
        pass
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--scenario", default="get64,get1,count64,count1,echo64,echo1")
    ap.add_argument("--transport", default="ipc", choices=("ipc", "tcp"))
    ap.add_argument("--seconds", type=float, default=4.0)
    ap.add_argument("--perf", default="", help="directory for perf record data and reports")
    ap.add_argument("--strace", default="", help="directory for strace -c -f summaries")
    ap.add_argument("--workers", type=int, default=64)
    ap.add_argument("--log-level", default="warn", choices=("debug", "info", "warn", "error"),
                    help="the daemons' log_level (make bench: warn; the default config: info)")
    ap.add_argument("--security", default="curve", choices=("curve", "plain"),
                    help="the stack's security/mode (make bench: curve; round one measured plain);"
                         " the echo is plain either way")
    a = ap.parse_args()
    bin_dir = a.bin if os.path.isabs(a.bin) else os.path.join(benchrun.ROOT, a.bin)
    b = benchrun.Bench(bin_dir, a.workers, False, transport=a.transport, security=a.security,
                       log_level=a.log_level)
    for d in (a.perf, a.strace):
        if d:
            os.makedirs(d, exist_ok=True)
    try:
        if b.ensure("broker", "finance"):
            raise SystemExit("broker or finance did not start; see " + b.dir)
        benchrun.setup_municipalities(b, 1, 64)
        benchrun.setup_municipalities(b, 1000, 64 * 50, clients=64)
        benchrun.setup_municipalities(b, 5000, 200, clients=8)
        reply, reply_size = b.call("finance", "municipality.get", {"municipality": "GM0001"})
        echo_ep = b.endpoint("echo")
        b.daemon([b.exe("tests/bench/echo"), echo_ep, str(reply_size)], "echo")
        time.sleep(0.3)
        days = {}  # days counted so far, per range of municipalities (--first)
        phases = ["cpu", "syscalls"] + (["perf"] if a.perf else []) + (
            ["strace"] if a.strace else [])
        for name in a.scenario.split(","):
            mode, clients, extra = SCENARIOS[name]
            ep = echo_ep if mode == "echo" else b.broker
            servers = ["echo"] if mode == "echo" else ["broker", "finance"]
            for phase in phases:
                more = []
                if mode == "count":
                    # each pass writes counts on days of its own (63 days
                    # exist): 10 days of 64 x 50 writes, or 10 of 200
                    first = extra[extra.index("--first") + 1]
                    more = ["--day-offset", days.get(first, 0), "--days", 10]
                    days[first] = days.get(first, 0) + 10
                    if days[first] > 63:
                        continue
                run_one(b, a, name, phase, mode, clients, ep, list(extra) + more, servers)
    finally:
        b.cleanup()


def routed(b):
    """Requests the broker has routed so far."""
    reply, _ = b.call("broker", "status")
    return int(reply["data"]["requests_routed"])


def routed(b):
    """Requests the broker has routed so far."""
    reply, _ = b.call("broker", "status")
    return int(reply["data"]["requests_routed"])


def run_one(b, a, name, phase, mode, clients, ep, extra, servers):
    """Run one scenario in one phase: mdp_load for a.seconds + slack; the
    measuring window (a.seconds - 1) lies inside its recording time.
    Phases: cpu (nothing attached: CPU time per request from schedstat),
    syscalls (perf stat), perf (perf record), strace (strace -c -f)."""
    seconds = a.seconds
    window = seconds - 1.0
    cmd = [b.exe("tests/bench/mdp_load"), "--endpoint", ep, "--mode", mode, "--clients",
           str(clients), "--seconds", str(seconds + 2), "--warmup-ms", "500",
           *map(str, extra), *(b.curve_args() if mode != "echo" else [])]
    client = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pids = {s: b.pid(s) for s in servers}
    pids["client"] = client.pid
    time.sleep(1.0)  # past the warm-up
    helpers = []
    tag = f"{name}-{a.transport}"
    stat_paths = {p: os.path.join(b.dir, f"stat-{p}.txt") for p in pids}
    if phase == "syscalls":
        for p, pid in pids.items():
            helpers.append(perf_stat(pid, window, stat_paths[p]))
    elif phase == "perf":
        helpers.append(subprocess.Popen(
            ["perf", "record", "-q", "-e", "cpu-clock", "-g", "-o",
             os.path.join(a.perf, f"{tag}.data"), "-p",
             ",".join(str(x) for x in pids.values()), "--", "sleep", str(window)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    elif phase == "strace":
        for p, pid in pids.items():
            helpers.append(subprocess.Popen(
                ["strace", "-c", "-f", "-p", str(pid), "-o",
                 os.path.join(a.strace, f"{tag}-{p}.txt")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(0.3)  # let the tracers attach
    before = {p: thread_times(pid) for p, pid in pids.items()}
    r0 = routed(b) if "broker" in servers else 0
    t0 = time.monotonic()
    time.sleep(window - 0.6)
    after = {p: thread_times(pid) for p, pid in pids.items()}
    r1 = routed(b) if "broker" in servers else 0
    cpu_window = time.monotonic() - t0
    for h in helpers:
        if phase == "strace":
            h.send_signal(2)
        h.wait()
    out, err = client.communicate(timeout=seconds + 60)
    kv = dict(x.split("=", 1) for x in out.split() if "=" in x)
    rps = float(kv.get("rps", 0))
    nreq = (r1 - r0) if "broker" in servers else rps * cpu_window
    print(f"\n== {tag} ({phase}): {kv.get('rps')} req/s, p50 {kv.get('p50_us')} us, "
          f"p99 {kv.get('p99_us')} us, errors {kv.get('errors')}; "
          f"{nreq / cpu_window:,.0f}/s in the window"
          + (f"  [{err.strip()[-200:]}]" if err.strip() else ""), flush=True)
    if nreq <= 0:
        return
    if phase == "cpu":
        print(f"   CPU per request (us), {nreq:,.0f} requests:")
        total = 0.0
        for p in pids:
            delta = {k: after[p].get(k, 0) - before[p].get(k, 0) for k in after[p]}
            g = group_threads(delta)
            cpu = sum(g.values()) / 1000 / nreq
            total += cpu
            parts = ", ".join(f"{r} {ns / 1000 / nreq:.1f}" for r, ns in sorted(g.items())
                              if ns > 1000)
            print(f"     {p:8s} {cpu:7.1f}  ({parts})")
        print(f"     {'total':8s} {total:7.1f}")
    elif phase == "syscalls":
        print("   system calls per request (perf stat of the syscall tracepoints; requests "
              "in its window from the window's rate):")
        n = nreq / cpu_window * window
        for p in pids:
            c = parse_perf_stat(stat_paths[p])
            for role, calls in sorted(c.items()):
                tot = calls.pop("all", 0) / n
                if tot < 0.01:
                    continue
                top = sorted(calls.items(), key=lambda kv2: -kv2[1])[:10]
                print(f"     {p + ' ' + role:16s} {tot:6.2f}: "
                      + ", ".join(f"{k} {v / n:.2f}" for k, v in top if v / n >= 0.005))
                if p == "finance" and role == "main" and mode == "count" and calls.get("fdatasync"):
                    print(f"     {'':16s} writes per commit: {n / calls['fdatasync']:.1f}")
    elif phase == "perf":
        print(f"   perf data in {a.perf}/{tag}.data")
    else:
        print(f"   strace -c -f summaries in {a.strace}/{tag}-*.txt")


def perf_summary(data, top=12):
    """Summarise a perf record of the stack: per thread (process/thread
    role), the share of samples, split by what the thread was doing: the
    system call it was in (from the call chain), the page-fault or
    interrupt path, or user code by library. Returns the text."""
    p = subprocess.run(["perf", "script", "-i", data, "-F", "pid,tid,comm,ip,sym,dso"],
                       capture_output=True, text=True)
    samples, cur, frames = {}, None, []

    def flush():
        if cur is None:
            return
        what = None
        for sym, dso in frames:
            m = re.match(r"(?:__x64_sys|__do_sys|__se_sys|__ia32_sys)_(\w+)", sym)
            if m:
                what = "sys " + m.group(1)
                break
        if what is None:
            for sym, dso in frames:
                if "asm_exc_page_fault" in sym or "exc_page_fault" in sym:
                    what = "page fault"
                    break
        if what is None and frames:
            dso = frames[0][1]
            what = "kernel other" if "kernel" in dso else "user " + os.path.basename(dso)
        samples.setdefault(cur, {}).setdefault(what or "?", 0)
        samples[cur][what or "?"] += 1

    for line in p.stdout.splitlines():
        if not line.strip():
            continue
        if not line.startswith((" ", "\t")):
            flush()
            m = re.match(r"\s*(.*?)\s+(\d+)/(\d+)\s*$", line)
            cur = (m.group(1), int(m.group(2)), int(m.group(3))) if m else None
            frames = []
        else:
            m = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$", line)
            if m:
                frames.append((re.sub(r"\+0x[0-9a-f]+$", "", m.group(1)), m.group(2)))
    flush()
    total = sum(sum(d.values()) for d in samples.values()) or 1
    # name processes by their main thread's comm
    names = {pid: comm for (comm, pid, tid) in samples if pid == tid}
    out = []
    for key in sorted(samples, key=lambda k: -sum(samples[k].values())):
        comm, pid, tid = key
        d = samples[key]
        n = sum(d.values())
        role = "main" if pid == tid else comm
        out.append(f"  {names.get(pid, pid)} {role}: {100 * n / total:.1f}% of the samples")
        for what, c in sorted(d.items(), key=lambda kv: -kv[1])[:top]:
            if 100 * c / total >= 0.2:
                out.append(f"      {100 * c / total:5.1f}%  {what}")
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--summary":
        print(perf_summary(sys.argv[2]))
    else:
        main()
