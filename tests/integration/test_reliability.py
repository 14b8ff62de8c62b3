#!/usr/bin/python3
"""Failures the platform survives (DESIGN.md §9): a service killed at any
instant loses no acknowledged write and shows no half write; a worker that
vanishes mid-request leaves no client hanging, and a retry with the same
request id is applied exactly once; a broker restart makes the services
register again and the subscribers backfill what they missed; a request id
is applied at most once, even across a restart; a subscriber that never
reads does not slow a service down.

Writes here are municipality.add with codes GM0001.. and names "Test 0001"..
so that what is stored can be checked one by one against what was sent.
"""
import collections
import functools
import json
import os
import random
import subprocess
import threading
import time

import msgpack

import samentest as st


def stack_test(**kw):
    """st.test that closes the sockets the test opened (the ZeroMQ context
    waits for every socket at teardown) and stops its subprocesses."""
    def wrap(f):
        @functools.wraps(f)
        def run(stack):
            stack.__dict__.setdefault("_own", [])
            try:
                f(stack)
            finally:
                for s in stack._own:
                    if isinstance(s, subprocess.Popen):
                        if s.poll() is None:
                            s.kill()
                        s.wait()
                    else:
                        s.close()
        return st.test(**kw)(run)
    return wrap


def own(stack, thing):
    stack._own.append(thing)
    return thing


def add_args(n):
    return {"name": f"Test {n:04d}", "code": f"GM{n:04d}", "inhabitants": 1000 + n,
            "as_of": "2020-01-01"}


def add_data(n):
    """The reply data (and stored state) of add_args(n)."""
    return {"code": f"GM{n:04d}", "name": f"Test {n:04d}", "inhabitants": 1000 + n,
            "as_of": "2020-01-01", "counts": [{"inhabitants": 1000 + n, "as_of": "2020-01-01"}]}


def stored(stack):
    """{code: municipality} as finance lists them."""
    return {m["code"]: m for m in stack.ok("finance", "municipality.list")["municipalities"]}


def check_event_log(stack, codes):
    """The event log holds exactly one `added` event per code in codes, with
    seqs 1..N and nothing else."""
    events = stack.events("finance")
    st.eq([e["seq"] for e in events], list(range(1, len(events) + 1)), "seqs 1..N without gaps")
    st.eq({e["type"] for e in events}, {"finance.municipality.added"} if events else set(),
          "event types")
    logged = [e["data"]["code"] for e in events]
    dupes = sorted(c for c, k in collections.Counter(logged).items() if k > 1)
    st.eq(dupes, [], "codes with more than one added event")
    st.eq(sorted(logged), sorted(codes), "codes in the event log")
    st.eq(stack.ok("finance", "service.info")["last_seq"], len(codes), "service.info last_seq")


class Writers:
    """nclients Python MDP clients, each in its own thread, adding the
    municipalities numbered by `numbers` (split between them) with rid
    "<tag>-<n>", one request at a time. A client stops at its first reply
    that is not ok, or when no reply comes within reply_timeout (a hang,
    recorded). Every request is recorded as (n, rid, reply or None, seconds)."""

    def __init__(self, stack, numbers, nclients, tag, reply_timeout=10.0):
        self.stack, self.tag, self.reply_timeout = stack, tag, reply_timeout
        self.parts = [numbers[k::nclients] for k in range(nclients)]
        self.results = [[] for _ in range(nclients)]
        self.threads = [threading.Thread(target=self._run, args=(k,), daemon=True)
                        for k in range(nclients)]

    def _run(self, k):
        c = self.stack.new_client()
        try:
            for n in self.parts[k]:
                rid = f"{self.tag}-{n}"
                body = msgpack.packb({"op": "municipality.add", "args": add_args(n), "rid": rid})
                t0 = time.monotonic()
                raw = c.request("finance", body, timeout=self.reply_timeout)
                dt = time.monotonic() - t0
                reply = msgpack.unpackb(raw, raw=False) if raw is not None else None
                self.results[k].append((n, rid, reply, dt))
                if reply is None or not reply["ok"]:
                    break
        finally:
            c.close()

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def acked(self):
        return sum(1 for part in self.results for r in list(part) if r[2] and r[2]["ok"])

    def join(self, timeout):
        end = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, end - time.monotonic()))
        alive = sum(t.is_alive() for t in self.threads)
        st.eq(alive, 0, f"writer threads still waiting {timeout}s after the start of join")
        return [r for part in self.results for r in part]


# ---- a worker killed in the middle of requests --------------------------------

@stack_test(services=["finance"])
def worker_killed_mid_request_gets_every_client_a_reply_and_retries_apply_exactly_once(stack):
    w = Writers(stack, list(range(1, 601)), 6, "kill").start()
    st.wait_until(lambda: w.acked() >= 30, 20.0, "30 writes acknowledged before the kill")
    time.sleep(random.uniform(0.0, 0.05))
    stack.kill("finance")
    results = w.join(30.0)
    hangs = [r for r in results if r[2] is None]
    st.eq(hangs, [], "requests that got no reply at all")
    slowest = max(r[3] for r in results)
    # worker expiry (250 ms x 4) or request expiry (3 s), whichever applies
    st.check(slowest < 6.0, f"every reply within 6 s of its request (slowest {slowest:.1f}s)")
    failed = [r for r in results if not r[2]["ok"]]
    st.eq(len(failed), 6, "each client's last request failed (finance was gone)")
    st.eq({r[2]["error"]["code"] for r in failed}, {"unavailable"}, "error codes")
    for n, rid, reply, _ in results:
        if reply["ok"]:
            st.eq(reply["data"], add_data(n), f"reply to {rid}")

    stack.start("finance")
    for n, rid, _, _ in failed:  # the same request again, with the same rid
        r = stack.call("finance", "municipality.add", add_args(n), rid=rid)
        st.eq(r, {"ok": True, "data": add_data(n)}, f"retry of {rid}")
    sent = sorted(f"GM{r[0]:04d}" for r in results)
    st.eq(sorted(stored(stack)), sent, "stored municipalities = distinct requests sent")
    check_event_log(stack, sent)


# ---- 1,000 acknowledged writes and a SIGKILL ---------------------------------

@stack_test(services=["finance"])
def thousand_acknowledged_writes_survive_sigkill_each_exactly_once(stack):
    seed = random.randrange(1 << 30)
    rnd = random.Random(seed)
    what = f"(seed {seed})"
    # wave 1: 600 writes from 8 concurrent clients (group commit), all acknowledged
    w1 = Writers(stack, list(range(1, 601)), 8, "w1").start()
    r1 = w1.join(120.0)
    st.eq([r for r in r1 if not (r[2] and r[2]["ok"])], [], "wave 1 refusals")
    # wave 2: 400 more, and a SIGKILL at a random moment in the middle of it
    w2 = Writers(stack, list(range(601, 1001)), 8, "w2").start()
    kill_after = rnd.randint(1, 300)
    st.wait_until(lambda: w2.acked() >= kill_after, 60.0, f"{kill_after} wave-2 acks {what}")
    time.sleep(rnd.uniform(0.0, 0.03))
    stack.kill("finance")
    r2 = w2.join(30.0)
    st.eq([r for r in r2 if r[2] is None], [], f"wave-2 requests without a reply {what}")

    stack.start("finance")
    acked = {f"GM{r[0]:04d}": r[0] for r in r1 + r2 if r[2]["ok"]}
    attempted = {f"GM{r[0]:04d}" for r in r1 + r2}
    have = stored(stack)
    lost = sorted(set(acked) - set(have))
    st.eq(lost, [], f"acknowledged writes missing after the SIGKILL {what}")
    st.eq(sorted(set(have) - attempted), [], f"stored but never sent {what}")
    for code, n in acked.items():
        st.eq(have[code], add_data(n), f"stored {code} {what}")
    check_event_log(stack, list(have))

    # retry what was not acknowledged (same rid) and send what never was
    for r in r2:
        if not r[2]["ok"]:
            st.eq(stack.call("finance", "municipality.add", add_args(r[0]), rid=r[1]),
                  {"ok": True, "data": add_data(r[0])}, f"retry of {r[1]} {what}")
    for n in range(601, 1001):
        if f"GM{n:04d}" not in attempted:
            stack.ok("finance", "municipality.add", add_args(n), rid=f"w3-{n}")
    final = stored(stack)
    st.eq(sorted(final), [f"GM{n:04d}" for n in range(1, 1001)], f"all 1,000 stored {what}")
    check_event_log(stack, list(final))


# ---- SIGTERM under load --------------------------------------------------------

@stack_test(services=["finance"])
def sigterm_under_load_finishes_the_batch_exits_0_and_keeps_every_acknowledged_write(stack):
    w = Writers(stack, list(range(1, 401)), 6, "term").start()
    st.wait_until(lambda: w.acked() >= 40, 20.0, "40 writes acknowledged before SIGTERM")
    rc = stack.stop("finance")
    st.eq(rc, 0, "finance's exit status after SIGTERM")
    results = w.join(30.0)
    st.eq([r for r in results if r[2] is None], [], "requests without a reply")
    stack.start("finance")
    acked = {f"GM{r[0]:04d}" for r in results if r[2]["ok"]}
    have = stored(stack)
    st.eq(sorted(acked - set(have)), [], "acknowledged writes missing after SIGTERM")
    check_event_log(stack, list(have))


# ---- the broker killed and restarted -------------------------------------------

@stack_test(services=["finance", "intake"])
def broker_restart_services_register_again_and_subscribers_see_every_event_once_in_order(stack):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    tail = own(stack, subprocess.Popen(
        [os.path.join(st.BIN, "samenctl"), "--broker", stack.broker_ep, "--timeout", "1000",
         "events", "tail", "--from", "finance:0", "--json", "--count", "15"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    for n in range(1, 6):
        stack.ok("finance", "municipality.add", add_args(n), rid=f"before-{n}")
    # The tail follows before the broker goes: it has printed the first five
    # (its start, a CurveZMQ handshake and a backfill, must not race the kill).
    first = []
    reader = threading.Thread(target=lambda: first.extend(tail.stdout.readline()
                                                          for _ in range(5)), daemon=True)
    reader.start()
    reader.join(20)
    st.eq(len([line for line in first if line.strip()]), 5,
          f"events printed by the tail before the broker restart: {first}")

    stack.kill("broker")
    c = own(stack, stack.new_client())
    st.eq(c.request("finance", msgpack.packb({"op": "service.info"}), timeout=0.5), None,
          "no reply while the broker is down")
    time.sleep(0.5)
    stack.start("broker")
    t0 = time.monotonic()
    st.wait_until(lambda: stack.mmi("finance", 0.5) == "200" and stack.mmi("intake", 0.5) == "200",
                  10.0, "finance and intake to register again by themselves")
    dt = time.monotonic() - t0
    st.check(dt < 5.0, f"services registered again {dt:.1f}s after the broker restart")
    for n in range(6, 11):  # right after the restart: subscribers may still be reconnecting
        stack.ok("finance", "municipality.add", add_args(n), rid=f"after-{n}")
    time.sleep(1.0)
    for n in range(11, 16):
        stack.ok("finance", "municipality.add", add_args(n), rid=f"later-{n}")

    try:
        out, err = tail.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        tail.kill()
        out, err = tail.communicate()
        raise st.Failure(f"events tail did not print 15 events within 20 s; printed:\n{out}\n{err}")
    st.check(not st.SANITIZER.search(err), f"sanitizer report from samenctl:\n{err}")
    st.eq(tail.returncode, 0, f"events tail exit status (stderr: {err})")
    events = [json.loads(line) for line in "".join(first).splitlines() + out.splitlines()]
    st.eq([e["seq"] for e in events], list(range(1, 16)), "seqs printed by the tail")
    st.eq([e["data"]["code"] for e in events], [f"GM{n:04d}" for n in range(1, 16)],
          "codes printed by the tail")
    st.eq({e["type"] for e in events}, {"finance.municipality.added"}, "types")

    def intake_caught_up():
        info = stack.ok("intake", "service.info")
        return info if info["following"].get("finance") == 15 else None
    info = st.wait_until(intake_caught_up, 10.0, "intake to follow finance up to seq 15")
    st.eq(info["counts"]["municipalities_known"], 15, "intake's copy after the restart")


# ---- request ids -----------------------------------------------------------------

@stack_test(services=["finance"])
def same_request_id_twice_is_applied_once_with_a_byte_identical_reply_even_after_a_restart(stack):
    body = msgpack.packb({"op": "municipality.add",
                          "args": {"name": "Hilversum", "code": "GM0402", "inhabitants": 87817,
                                   "as_of": "2016-01-01"},
                          "rid": "rid-hilversum-1"})
    first = stack.client.request("finance", body)
    st.eq(msgpack.unpackb(first, raw=False)["ok"], True, "first reply ok")
    second = stack.client.request("finance", body)
    st.eq(second, first, "the retry's reply bytes")
    st.eq(len(stack.events("finance")), 1, "events after the retry")
    st.eq(sorted(stored(stack)), ["GM0402"], "stored after the retry")

    stack.kill("finance")
    stack.start("finance")
    third = stack.client.request("finance", body)
    st.eq(third, first, "the reply bytes of a retry after a SIGKILL and restart")
    st.eq(len(stack.events("finance")), 1, "events after the retry following the restart")

    err = stack.refused("finance", "municipality.count",
                        {"municipality": "GM0402", "inhabitants": 90000, "as_of": "2020-01-01"},
                        code="conflict", field="rid", rid="rid-hilversum-1")
    st.check("municipality.add" in err["message"], f"the message names the op the rid was "
             f"used for: {err['message']!r}")
    st.eq(stack.ok("finance", "municipality.get", {"municipality": "GM0402"})["counts"],
          [{"inhabitants": 87817, "as_of": "2016-01-01"}], "the conflicting request left no count")

    # the same rid for other args: never applied a second time
    r = stack.call("finance", "municipality.add",
                   {"name": "Bussum", "code": "GM0381", "inhabitants": 32000,
                    "as_of": "2016-01-01"}, rid="rid-hilversum-1")
    if r["ok"]:
        st.eq(msgpack.packb(r), first, "a reused rid gets the original reply")
    else:
        st.eq(r["error"]["code"], "conflict", "a reused rid is refused")
    st.eq(sorted(stored(stack)), ["GM0402"], "a reused rid added nothing")
    st.eq(len(stack.events("finance")), 1, "events at the end")


@stack_test(services=["finance"])
def retry_after_a_lost_reply_gets_the_original_success_not_already_exists(stack):
    # A client that gave up (its socket closed) before the reply came: the
    # write was applied and its reply lost, as when a service dies between
    # commit and reply. The retry with the same rid must get that success.
    s = stack.raw_client()
    s.send_multipart([b"MDPC02", b"\x01", b"finance",
                      msgpack.packb({"op": "municipality.add", "args": add_args(7),
                                     "rid": "lost-7"})])
    s.close(linger=2000)  # the request still goes out; its reply has nowhere to go
    st.wait_until(lambda: stack.ok("finance", "service.info")["last_seq"] == 1, 5.0,
                  "the abandoned write to be applied")
    st.eq(stack.call("finance", "municipality.add", add_args(7), rid="lost-7"),
          {"ok": True, "data": add_data(7)}, "the retry's reply")
    check_event_log(stack, ["GM0007"])


@stack_test(services=["finance"])
def refusal_with_a_request_id_is_remembered_and_repeated_identically(stack):
    stack.ok("finance", "municipality.add",
             {"name": "Hilversum", "code": "GM0402", "inhabitants": 87817, "as_of": "2016-01-01"},
             rid="rid-a")
    body = msgpack.packb({"op": "municipality.add",
                          "args": {"name": "Hilversum", "code": "GM0402", "inhabitants": 1,
                                   "as_of": "2016-01-01"},
                          "rid": "rid-b"})
    first = stack.client.request("finance", body)
    reply = msgpack.unpackb(first, raw=False)
    st.eq(reply["error"]["code"], "already_exists", "first answer")
    st.eq(reply["error"]["field"], "code", "field")
    st.eq(stack.client.request("finance", body), first, "the retry's reply bytes")
    st.eq(len(stack.events("finance")), 1, "events")


# ---- a subscriber that never reads -------------------------------------------------

@stack_test(services=["finance"], broker={"subscriber_hwm": "10"})
def subscriber_that_never_reads_does_not_slow_writes_and_the_log_keeps_every_event(stack):
    base = stack.ok("broker", "status")["subscriptions"]  # the services' own
    sub = own(stack, stack.subscriber(""))  # connected, subscribed to everything, never read
    st.wait_until(lambda: stack.ok("broker", "status")["subscriptions"] == base + 1, 5.0,
                  "the broker to see the subscription")
    t0 = time.monotonic()
    w = Writers(stack, list(range(1, 201)), 4, "slow").start()
    results = w.join(60.0)
    dt = time.monotonic() - t0
    st.eq([r for r in results if not (r[2] and r[2]["ok"])], [], "refused or unanswered writes")
    st.check(dt < 30.0, f"200 writes took {dt:.1f}s with a stuck subscriber")
    check_event_log(stack, [f"GM{n:04d}" for n in range(1, 201)])
    st.eq(stack.ok("broker", "status")["subscriptions"], base + 1,
          "the stuck subscriber is still there")
    sub.close()


if __name__ == "__main__":
    st.main()
