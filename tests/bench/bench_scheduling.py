#!/usr/bin/python3
"""tests/bench/bench_scheduling.py - samen-scheduling's figures for `make bench`.

    /usr/bin/python3 tests/bench/bench_scheduling.py --bin build/release [--quick]

Starts its own stack (broker, scheduling, finance; a minimal stand-in for
intake that serves participant events, as in tests/integration/test_scheduling.py)
on private ipc endpoints, and measures

  1. registrations/s with capacity checks: many sessions (capacity 10, each
     getting twice as many registrations, so half go to the waitlist), many
     clients with one request in flight each, every registration a durable
     write (the reply comes after the commit); afterwards every session is
     checked to hold exactly 10 registered and 10 waitlisted;
  2. the planning grid of 200 themes x 24 months, end to end through the
     broker (agenda.grid), median of repeated requests, text and HTML.

Prints one line per figure:

    ROW|<measure>|<samen figure>|<baseline or ->|<target or ->|<met/missed/->
"""
import argparse
import itertools
import os
import random
import statistics
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--clients", type=int, default=32, help="requests in flight")
    ap.add_argument("--quick", action="store_true", help="smaller run, for a smoke test")
    return ap.parse_args()


ARGS = parse_args()
os.environ["SAMEN_BIN"] = os.path.abspath(os.path.join(ROOT, ARGS.bin))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))

import msgpack  # noqa: E402
import zmq  # noqa: E402

import samentest as st  # noqa: E402

W = b"MDPW02"


def row(measure, figure, baseline="-", target="-", met=None):
    verdict = "-" if met is None else ("met" if met else "missed")
    print(f"ROW|{measure}|{figure}|{baseline}|{target}|{verdict}", flush=True)


class Intake:
    """A stand-in for samen-intake: an MDP worker answering events.read from
    an in-memory log, and a PUB socket publishing the same events."""

    def __init__(self, stack):
        self.stack, self.events, self.lock = stack, [], threading.Lock()
        self.outbox, self.stopping = [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        st.wait_until(lambda: stack.mmi("intake", timeout=0.5) == "200", 10, "stand-in intake")

    def participant(self, pid, groups=()):
        with self.lock:
            ev = {"seq": len(self.events) + 1, "ts": int(time.time() * 1000),
                  "type": "intake.participant.registered",
                  "data": {"id": pid, "status": "active", "municipality": "GM0402",
                           "target_groups": list(groups), "labels": [], "themes": [],
                           "age_band": "27-40", "channel": None, "consent": True}}
            self.events.append(ev)
            self.outbox.append(ev)

    def synced(self, timeout=120):
        last = len(self.events)
        st.wait_until(lambda: self.stack.ok("scheduling", "service.info")["following"]
                      .get("intake", 0) >= last, timeout, "scheduling to catch up with intake")

    def stop(self):
        self.stopping.set()
        self.thread.join(10)

    def _run(self):
        ctx = self.stack.ctx
        pub = ctx.socket(zmq.PUB)
        pub.linger = 0
        self.stack.curve(pub, "intake")
        pub.connect(self.stack.events_in_ep)
        self.stack.claim("intake")  # as a service does before READY (PROTOCOL.md §8.5)
        w = ctx.socket(zmq.DEALER)
        w.linger = 0
        self.stack.curve(w, "intake")
        w.connect(self.stack.broker_ep)
        w.send_multipart([W, b"\x01", b"intake"])
        beat = time.monotonic()
        try:
            while not self.stopping.is_set():
                if w.poll(50):
                    f = w.recv_multipart()
                    if len(f) >= 5 and f[1] == b"\x02":
                        req = msgpack.unpackb(f[4], raw=False)
                        a = req.get("args") or {}
                        after, limit = int(a.get("after", 0)), int(a.get("limit", 100))
                        with self.lock:
                            data = {"events": self.events[after:after + limit],
                                    "last_seq": len(self.events)}
                        reply = {"ok": True, "data": data} if req.get("op") == "events.read" \
                            else {"ok": False, "error": {"code": "invalid_argument",
                                                         "message": "unknown op", "field": "op"}}
                        w.send_multipart([W, b"\x04", f[2], b"", msgpack.packb(reply)])
                if time.monotonic() - beat > 0.2:
                    w.send_multipart([W, b"\x05"])
                    beat = time.monotonic()
                with self.lock:
                    out, self.outbox = self.outbox, []
                for ev in out:
                    pub.send_multipart([ev["type"].encode(), msgpack.packb(ev)])
        finally:
            w.close(0)
            pub.close(0)


RID_BATCHES = itertools.count(1)  # every request carries a rid, as a client's writes do


def pipeline(stack, requests, clients):
    """Send (op, args) requests with `clients` DEALER sockets, one request in
    flight on each, the next as soon as a reply arrives. Returns (seconds,
    replies in request order)."""
    ctx = stack.ctx
    socks = []
    for _ in range(min(clients, len(requests))):
        s = ctx.socket(zmq.DEALER)
        s.linger = 0
        stack.curve(s)
        s.connect(stack.broker_ep)
        socks.append(s)
    poller = zmq.Poller()
    for s in socks:
        poller.register(s, zmq.POLLIN)
    replies = [None] * len(requests)
    inflight = {}
    batch = next(RID_BATCHES)
    nxt = 0
    t0 = time.perf_counter()

    def send(s):
        nonlocal nxt
        if nxt >= len(requests):
            return
        op, args = requests[nxt]
        body = msgpack.packb({"op": op, "args": args, "rid": f"b{batch}-{nxt}"})
        s.send_multipart([b"MDPC02", b"\x01", b"scheduling", body])
        inflight[s] = nxt
        nxt += 1

    for s in socks:
        send(s)
    done = 0
    deadline = time.monotonic() + 600
    while done < len(requests) and time.monotonic() < deadline:
        for s, _ in poller.poll(1000):
            frames = s.recv_multipart()
            replies[inflight.pop(s)] = msgpack.unpackb(frames[3], raw=False)
            done += 1
            send(s)
    seconds = time.perf_counter() - t0
    for s in socks:
        s.close(0)
    if done < len(requests):
        raise RuntimeError(f"only {done} of {len(requests)} replies within the time limit")
    return seconds, replies


def check_all_ok(replies, what):
    bad = [r for r in replies if not r.get("ok")]
    if bad:
        raise RuntimeError(f"{len(bad)} {what} refused, e.g. {bad[0]}")


def bench_registrations(stack, intake, clients, quick):
    n_sessions = 40 if quick else 200
    per_session = 20   # capacity 10: half registered, half waitlisted
    n_participants = 400 if quick else 2000
    #  In 2019, so that the grid bench (2020-2021) has exactly its own 200 rows.
    theme = stack.ok("scheduling", "theme.add", {"title": "Bench", "domain": "other",
                                                  "years": [2019]})["id"]
    plans = [("session.plan", {"theme": theme, "method": "FG", "capacity": 10,
                               "start": f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}T{8 + i % 10:02d}:00",
                               "end": f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}T{9 + i % 10:02d}:00"})
             for i in range(n_sessions)]
    _, replies = pipeline(stack, plans, clients)
    check_all_ok(replies, "session plans")
    sessions = [r["data"]["id"] for r in replies]
    for p in range(1, n_participants + 1):
        intake.participant(f"P{p}")
    intake.synced()
    # Every session gets per_session distinct participants; all shuffled, so
    # concurrent requests hit the same sessions.
    regs = []
    rnd = random.Random(7)
    for s in sessions:
        for p in rnd.sample(range(1, n_participants + 1), per_session):
            regs.append(("registration.create", {"session": s, "participant": f"P{p}"}))
    rnd.shuffle(regs)
    seconds, replies = pipeline(stack, regs, clients)
    check_all_ok(replies, "registrations")
    for s in sessions:
        got = stack.ok("scheduling", "session.get", {"session": s})
        if (got["registered"], got["waitlisted"]) != (10, per_session - 10):
            raise RuntimeError(f"{s}: {got['registered']} registered, {got['waitlisted']} "
                               "waitlisted; capacity not kept")
    rps = len(regs) / seconds
    row(f"registrations/s with capacity checks ({len(regs)} into {n_sessions} sessions of 10, "
        f"{clients} in flight, durable)", f"{rps:,.0f}/s",
        "PostgreSQL sync insert ~7,600/s", ">= 1,000/s", rps >= 1000)


def bench_grid(stack, clients, quick):
    n_themes = 200
    themes = [("theme.add", {"title": f"Theme {i:03d} of the agenda", "domain": "other",
                             "years": [2020, 2021]}) for i in range(n_themes)]
    _, replies = pipeline(stack, themes, clients)
    check_all_ok(replies, "themes")
    ids = [r["data"]["id"] for r in replies]
    methods = ["FG", "I", "SB", "E", "KB", "WB", "T", "C", "N"]
    rnd = random.Random(11)
    plans = []
    for t in ids:
        # About one session a month per theme: exact ones, tentative ones and
        # some known only by a quarter.
        for m in range(24 if not quick else 6):
            y, mo = 2020 + m // 12, 1 + m % 12
            method = rnd.choice(methods)
            if rnd.random() < 0.2:
                plans.append(("session.plan", {"theme": t, "method": method,
                                               "period": f"{y}-Q{1 + (mo - 1) // 3}",
                                               "tentative": True}))
            else:
                d = rnd.randint(1, 28)
                plans.append(("session.plan", {"theme": t, "method": method,
                                               "start": f"{y}-{mo:02d}-{d:02d}T19:00",
                                               "end": f"{y}-{mo:02d}-{d:02d}T21:00",
                                               "tentative": rnd.random() < 0.3}))
    _, replies = pipeline(stack, plans, clients)
    check_all_ok(replies, "session plans")
    for fmt in ("text", "html"):
        times, size = [], 0
        for _ in range(5 if quick else 20):
            t0 = time.perf_counter()
            g = stack.ok("scheduling", "agenda.grid", {"from": "2020-01", "to": "2021-12",
                                                       "format": fmt}, timeout=30)
            times.append((time.perf_counter() - t0) * 1000)
            size = len(g["text"])
            if g["themes"] != n_themes:
                raise RuntimeError(f"grid has {g['themes']} rows, expected {n_themes}")
        med = statistics.median(times)
        row(f"planning grid {n_themes} themes x 24 months, {len(plans)} sessions, {fmt} "
            f"({size // 1024} KiB), end to end", f"{med:.1f} ms median",
            "-", "< 250 ms", med < 250)


def main():
    config = {"scheduling": {"log_level": "warn", "workers": "32"},
              "finance": {"log_level": "warn"}}
    stack = st.Stack(services=["scheduling", "finance"], broker={"log_level": "warn"},
                     config=config, name="bench-sched")
    intake = None
    failed = False
    try:
        stack.up()
        intake = Intake(stack)
        for fn in (bench_registrations, bench_grid):
            try:
                if fn is bench_registrations:
                    fn(stack, intake, ARGS.clients, ARGS.quick)
                else:
                    fn(stack, ARGS.clients, ARGS.quick)
            except Exception as e:  # one failed measure is one row, the others still run
                failed = True
                row(fn.__name__, f"error: {e}")
    finally:
        if intake:
            intake.stop()
        stack.teardown()
        if stack.problems:
            failed = True
            print("\n".join(stack.problems), file=sys.stderr)
        else:
            stack.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
