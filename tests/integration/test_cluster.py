"""A broker pair (issue 14, PROTOCOL.md §9): two samen-brokers on private ipc
endpoints, the services registered with both, clients given both.

One broker is SIGKILLed under a bounded load of writes: every write is
acknowledged in the end (through the other broker), every acknowledged write
reads back, none is applied twice (one event per acknowledged request id), a
retry with the same rid through the other broker gets the original reply, and
subscribers connected to both brokers see each event exactly once. The
killed broker, restarted, gets the services' workers back by themselves.
With CurveZMQ (the stack's default) both brokers share the keys and roles,
and each refuses a second store of a service on its own (service.claim).

No assertion is about speed beyond generous bounds; the figures (requests
that needed a failover, seconds to the first success after the kill) are
printed.
"""
import json
import os
import subprocess
import sys
import threading
import time

import msgpack
import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
import clustertest as ct  # noqa: E402
import samentest as st  # noqa: E402
import sitetest  # noqa: E402
from samen_client import SamenClient, SamenSubscriber  # noqa: E402

N_BEFORE, N_AFTER = 40, 60       # writes before and after the kill
LOAD_BOUND_S = 90.0              # the whole load, however slow the machine
TRY_S = 1.0                      # a client's wait per try before the next broker


class Follower(threading.Thread):
    """The interop subscriber on both brokers' events-out, in a thread of
    its own (its sockets live there): collects (seq, type) per event."""

    def __init__(self, stack, want, bound_s):
        super().__init__(daemon=True)
        self.stack, self.want, self.bound_s = stack, want, bound_s
        self.seen = []
        self.error = None

    def run(self):
        ctx = zmq.Context()
        try:
            client = SamenClient(self.stack.broker_ep, timeout=TRY_S, retries=3, ctx=ctx,
                                 **ct.curve_kw(self.stack))
            sub = SamenSubscriber(self.stack.events_out_ep, client, ["intake"],
                                  prefix="intake.participant.registered")
            for service, ev in sub.events(timeout=self.bound_s, poll_every=0.5):
                self.seen.append((ev["seq"], ev["type"]))
                if sum(1 for _, t in self.seen if t == "intake.participant.registered") \
                        >= self.want:
                    break
            sub.sub.close(0)
            client.close()
        except Exception as e:  # reported by the test, not lost in the thread
            self.error = repr(e)
        finally:
            ctx.destroy(linger=0)


@st.test(brokers=2)
def broker_killed_under_load_loses_nothing_and_comes_back(stack):
    both = ["broker", "broker2"]
    st.wait_until(lambda: ct.registered_everywhere(stack, both, st.ALL), 15,
                  "the four services to register with both brokers")
    # Each broker alone serves: the services took requests from either.
    for b in both:
        c = stack.broker_client(b)
        r = c.call("intake", "service.info", timeout=3.0)
        c.close()
        st.eq(r.get("ok"), True, f"service.info through {b} alone")

    # Followers on both brokers, from before the first write: the interop
    # subscriber, samenctl events tail, and a raw SUB that counts copies.
    want = N_BEFORE + N_AFTER + 1
    follower = Follower(stack, want, LOAD_BOUND_S + 30)
    follower.start()
    tail = subprocess.Popen(
        [os.path.join(st.BIN, "samenctl"), "--broker", stack.broker_ep,
         "--events", stack.events_out_ep, "--timeout", "1000", "--json",
         "events", "tail", "--topic", "intake.participant.registered", "--from", "intake:0",
         "--count", str(want)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, SAMEN_CONFIG=os.path.join(stack.dir, "empty.cfg"),
                 ASAN_OPTIONS="detect_leaks=1"))
    open(os.path.join(stack.dir, "empty.cfg"), "w").close()
    try:
        load_and_check(stack, follower, tail, want)
    finally:
        if tail.poll() is None:  # a failed test leaves no samenctl behind
            tail.kill()
            tail.communicate()


def load_and_check(stack, follower, tail, want):
    """The load, the kill, the checks and the restart (see the module doc)."""
    raw = stack.subscriber("intake.participant.registered")
    time.sleep(0.5)  # the subscriptions reach both brokers

    client = stack.new_client()  # both brokers, "broker" first
    acked = {}       # rid -> participant id
    failovers = 0
    t_kill = t_back = None
    deadline = time.monotonic() + LOAD_BOUND_S
    for n in range(N_BEFORE + N_AFTER):
        st.check(time.monotonic() < deadline, f"load bound of {LOAD_BOUND_S}s passed at {n}")
        rid = f"load-{n}"
        if n == N_BEFORE:
            # A write on its way while the broker dies (sent, reply not yet
            # read): the client's retry carries the same bytes to the other
            # broker; whether the first got through or not, it counts once.
            client.sock.send_multipart([b"MDPC02", b"\x01", b"intake",
                                        ct.register_body(rid, n)])
            stack.kill("broker")
            t_kill = time.monotonic()
        before = client.endpoint
        reply = client.request("intake", ct.register_body(rid, n), timeout=TRY_S, retries=3)
        st.check(reply is not None, f"write {rid} got no reply from either broker")
        r = msgpack.unpackb(reply, raw=False)
        st.check(r.get("ok"), f"write {rid} refused: {r!r}")
        acked[rid] = r["data"]["id"]
        failovers += client.endpoint != before
        if t_kill and t_back is None:
            t_back = time.monotonic() - t_kill
    st.eq(client.endpoint, stack.broker_eps[1], "the client stays with the broker that answers")
    st.check(t_back is not None and t_back < 10.0, f"first success {t_back}s after the kill")
    print(f"     figures: writes={len(acked)} failovers={failovers} "
          f"first_success_after_kill_s={t_back:.2f}")

    # The same rid again, through the other broker: the original reply,
    # byte for byte, and no second participant.
    first = stack.broker_client("broker2")
    again = first.request("intake", ct.register_body("load-0", 0), timeout=3.0)
    r = msgpack.unpackb(again, raw=False)
    st.eq(r["data"]["id"], acked["load-0"], "a retried rid through the other broker")
    # One more write for the followers' count, acknowledged like the rest.
    r = msgpack.unpackb(first.request("intake", ct.register_body("load-last", -1), timeout=3.0),
                        raw=False)
    st.check(r.get("ok"), f"last write: {r!r}")
    acked["load-last"] = r["data"]["id"]
    first.close()

    # No acknowledged write lost: each reads back.
    ids = set(acked.values())
    st.eq(len(ids), len(acked), "one participant per acknowledged rid")
    for rid, pid in acked.items():
        got = client.call("intake", "participant.get", {"participant": pid}, timeout=TRY_S,
                          retries=3)
        st.check(got.get("ok"), f"acknowledged {rid} ({pid}) does not read back: {got!r}")
    # None applied twice: exactly one registered event per acknowledged write.
    events = [e for e in stack.events("intake") if e["type"] == "intake.participant.registered"]
    st.eq(len(events), len(acked), "registered events (a duplicate write would add one)")
    st.eq(sorted(e["data"]["id"] for e in events), sorted(ids), "the events' participants")

    # Each follower saw each event once, in order.
    follower.join(timeout=LOAD_BOUND_S)
    st.check(follower.error is None, f"interop subscriber failed: {follower.error}")
    seqs = [s for s, t in follower.seen if t == "intake.participant.registered"]
    st.eq(seqs, [e["seq"] for e in events], "interop subscriber on both brokers: each once")
    out, err = tail.communicate(timeout=LOAD_BOUND_S)
    st.eq(tail.returncode, 0, f"samenctl events tail: {err}")
    tail_seqs = [json.loads(line)["seq"] for line in out.splitlines() if line.strip()]
    st.eq(tail_seqs, [e["seq"] for e in events], "samenctl events tail on both: each once")
    # The raw SUB shows that both brokers delivered (what the others dedupe).
    copies = {}
    while raw.poll(0):
        _, body = raw.recv_multipart()
        seq = msgpack.unpackb(body, raw=False)["seq"]
        copies[seq] = copies.get(seq, 0) + 1
    raw.close(0)
    st.check(any(c == 2 for c in copies.values()),
             f"no event came through both brokers (copies: {copies})")
    # finance and reporting follow intake through the pair too (their SUB
    # sockets on both brokers): caught up, to the last seq exactly.
    last = stack.ok("intake", "service.info")["last_seq"]
    for svc in ("finance", "reporting"):
        st.wait_until(lambda: stack.ok(svc, "service.info")["following"].get("intake") == last,
                      20, f"{svc} to follow intake through the pair")

    # The killed broker comes back: the services re-register by themselves.
    stack.start("broker")
    st.wait_until(lambda: ct.registered_everywhere(stack, ["broker"], st.ALL), 20,
                  "the four services to re-register with the restarted broker")
    w = ct.workers_at(stack, "broker")
    st.check(all(w[s] >= 1 for s in st.ALL), f"workers at the restarted broker: {w}")
    st.eq(stack.mmi_at("broker", "intake"), "200", "MMI at the restarted broker")
    c = stack.broker_client("broker")
    r = c.call("intake", "participant.get", {"participant": acked["load-0"]}, timeout=3.0)
    c.close()
    st.eq(r.get("ok"), True, "a request through the restarted broker alone")
    client.close()


@st.test(services=["finance"], brokers=2)
def a_second_store_is_refused_by_each_broker_of_the_pair(stack):
    """One instance per service holds at each broker on its own (PROTOCOL.md
    §8.5, §9): with either broker down, the other refuses a second store; a
    restarted broker learns the first store's claim again from it."""
    stack.ok("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                             "inhabitants": 10962, "as_of": "2016-01-01"},
             rid="first")
    other = os.path.join(stack.dir, "var", "finance-other")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")

    def second_finance():
        p = subprocess.run([stack.binary("finance"), "--config", stack.cfg_path, "--data-dir",
                            other], capture_output=True, text=True, timeout=60, env=env,
                           cwd=stack.dir)
        st.eq(p.returncode, 3, f"exit status of the second finance (stderr: {p.stderr})")
        st.check("already served by another store" in p.stderr, f"says why: {p.stderr!r}")
        st.check(not st.SANITIZER.search(p.stderr), p.stderr)

    def refused_at(broker):
        c = stack.broker_client(broker)
        try:
            return c.call("broker", "status", timeout=2.0)["data"]["claims_refused"]
        finally:
            c.close()

    # broker2 down: "broker" refuses.
    stack.kill("broker2")
    second_finance()
    st.eq(refused_at("broker"), 1, "refused by the broker that is up")
    # broker2 back (it forgot every claim): the first store claims there again
    # by itself; then with "broker" down, broker2 refuses.
    stack.start("broker2")
    st.wait_until(lambda: stack.mmi_at("broker2", "finance") == "200", 20,
                  "finance to claim and register at the restarted broker2")
    stack.kill("broker")
    second_finance()
    st.eq(refused_at("broker2"), 1, "refused by the restarted broker")
    # The first store serves on, through broker2.
    st.eq([m["code"] for m in stack.ok("finance", "municipality.list")["municipalities"]],
          ["GM0417"], "requests reach the first store only")


@st.test(brokers=2, config=sitetest.config(), start=False)
def the_site_follows_through_the_pair_and_after_a_broker_dies(stack):
    """samen-site, a subscriber of its own, on both brokers: it builds, and
    builds again for an event published after one broker died."""
    os.environ["SAMEN_TODAY"] = "2020-06-30"  # the demo data's today
    try:
        stack.up()
    finally:
        del os.environ["SAMEN_TODAY"]
    ids = sitetest.populate(stack)
    site = sitetest.Site(stack)
    site.start()
    site.wait_generation(1)
    site.wait_caught_up()
    gen = site.generation()
    stack.kill("broker")
    sid = stack.ok("scheduling", "session.plan", {
        "theme": ids["t2"], "method": "FG", "start": "2020-09-01T19:00",
        "end": "2020-09-01T21:00"}, rid="after-kill")["id"]
    stack.ok("scheduling", "session.confirm", {"session": sid}, rid="after-kill-c")
    site.wait_generation(gen + 1)
    site.wait_caught_up()


@st.test(services=["finance"], brokers=2, start=False)
def settings_refuse_what_a_pair_can_not_use(stack):
    # A broker binds one endpoint: a list is refused, naming the setting.
    p = subprocess.run([stack.binary("broker"), "--config", stack.cfg_path], capture_output=True,
                       text=True, timeout=20, cwd=stack.dir)
    st.eq(p.returncode, 2, f"broker with a list: {p.stderr}")
    st.check("broker/endpoint" in p.stderr and "binds one" in p.stderr, p.stderr)
    # A service needs one events endpoint per broker.
    p = subprocess.run([stack.binary("finance"), "--config", stack.cfg_path,
                        "--events-in", stack.events_in_eps[0]], capture_output=True, text=True,
                       timeout=20, cwd=stack.dir)
    st.eq(p.returncode, 2, f"finance with one events_in for two brokers: {p.stderr}")
    st.check("broker/events_in" in p.stderr and "2 brokers" in p.stderr, p.stderr)
    # The same broker twice, or an empty item.
    for bad, part in [(f"{stack.broker_eps[0]},{stack.broker_eps[0]}", "twice"),
                      (f"{stack.broker_eps[0]},", "empty item")]:
        p = subprocess.run([stack.binary("finance"), "--config", stack.cfg_path,
                            "--endpoint", bad], capture_output=True, text=True, timeout=20,
                           cwd=stack.dir)
        st.eq(p.returncode, 2, f"finance --endpoint {bad}: {p.stderr}")
        st.check("broker/endpoint" in p.stderr and part in p.stderr, p.stderr)


@st.test(services=["finance"], brokers=2)
def samenctl_fails_over_to_the_other_broker(stack):
    stack.kill("broker")
    rc, out, err = stack.ctl("--timeout", "1000", "call", "finance", "service.info")
    st.eq(rc, 0, f"samenctl with the first broker dead: {err}")
    st.eq(json.loads(out)["name"], "finance", "the reply came through the other broker")
    # samenctl status reports the services up through the broker that is up.
    rc, out, err = stack.ctl("--timeout", "1000", "status")
    st.eq(rc, 3, f"status: the four services are not all running: {out}{err}")
    st.check(any(l.split()[:2] == ["finance", "up"] for l in out.splitlines()), out)
    st.check(any(l.split()[:2] == ["broker", "up"] for l in out.splitlines()), out)
    # $SAMEN_BROKER takes the pair as well.
    env = dict(os.environ, SAMEN_BROKER=stack.broker_ep,
               SAMEN_CONFIG=os.path.join(stack.dir, "samenctl.cfg"))
    p = subprocess.run([os.path.join(st.BIN, "samenctl"), "--timeout", "1000", "call",
                        "finance", "service.info"], capture_output=True, text=True, timeout=30,
                       env=env)
    st.eq(p.returncode, 0, f"samenctl with $SAMEN_BROKER: {p.stderr}")


if __name__ == "__main__":
    st.main()
