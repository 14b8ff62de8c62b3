#!/usr/bin/python3
"""samen-broker: MDP/0.2 (RFC 18), MMI (RFC 8), its own "broker" service,
expiry, heartbeats, protocol violations, limits and event fan-out.

Workers here are fakes: raw DEALER sockets speaking MDPW02 by hand, so that
every test controls exactly what the broker sees. No samen service runs.
Like every stack, the broker runs with CurveZMQ: a fake worker connects with
its service's key and claims the name first (PROTOCOL.md §8); clients use
the admin key. tests/integration/test_security.py tests the security itself.
"""
import functools
import os
import signal
import subprocess
import time

import msgpack
import zmq

import samentest as st

HDR_C = b"MDPC02"
HDR_W = b"MDPW02"
C_REQUEST, C_PARTIAL, C_FINAL = b"\x01", b"\x02", b"\x03"
W_READY, W_REQUEST, W_PARTIAL, W_FINAL, W_HEARTBEAT, W_DISCONNECT = (
    b"\x01", b"\x02", b"\x03", b"\x04", b"\x05", b"\x06")


# ---- helpers ----------------------------------------------------------------

def _socks(stack):
    """Sockets a test opened, closed when it ends (the context's term waits for them)."""
    return stack.__dict__.setdefault("_broker_test_socks", [])


def broker_test(**kw):
    """st.test with services=[] by default, closing the test's own sockets afterwards."""
    kw.setdefault("services", [])

    def wrap(f):
        @functools.wraps(f)
        def run(stack):
            try:
                f(stack)
            finally:
                for s in _socks(stack):
                    s.close(0)
        return st.test(**kw)(run)
    return wrap


def sock(stack, kind, endpoint, subscribe=None, key="admin"):
    s = stack.ctx.socket(kind)
    s.linger = 0
    if subscribe is not None:
        s.setsockopt(zmq.SUBSCRIBE, subscribe)
    stack.curve(s, key)
    s.connect(endpoint)
    _socks(stack).append(s)
    return s


def raw_client(stack):
    return sock(stack, zmq.DEALER, stack.broker_ep)


def recv(s, timeout=3.0):
    """One multipart message, or None after timeout seconds."""
    if s.poll(int(timeout * 1000)):
        return s.recv_multipart()
    return None


class FakeWorker:
    """A worker speaking MDPW02 by hand on one DEALER."""

    def __init__(self, stack, service="intake", ready=True):
        # A service's own key; a name no key may serve gets the admin key.
        key = service if service in st.KEY_ROLES else "admin"
        self.sock = sock(stack, zmq.DEALER, stack.broker_ep, key=key)
        self.service = service
        if ready:
            st.eq(stack.claim(service)["ok"], True, f"claim {service}")
            self.send(W_READY, service.encode())

    def send(self, cmd, *frames):
        self.sock.send_multipart([HDR_W, cmd, *frames])

    def recv(self, timeout=3.0, heartbeats=False):
        """The next command from the broker (heartbeats skipped unless asked), or None."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            m = recv(self.sock, left)
            if m is None:
                return None
            st.eq(m[0], HDR_W, "worker protocol header from the broker")
            if m[1] == W_HEARTBEAT and not heartbeats:
                continue
            return m

    def close(self):
        self.sock.close(0)


def status(stack):
    r = stack.call("broker", "status", timeout=3.0)
    st.eq(r["ok"], True, "broker status ok")
    return r["data"]


def service_row(data, name):
    for row in data["services"]:
        if row["name"] == name:
            return row
    return None


def workers_of(stack, name):
    row = service_row(status(stack), name)
    return row["workers"] if row else 0


def register(stack, service="intake"):
    """A fake worker, once the broker lists it."""
    w = FakeWorker(stack, service)
    st.wait_until(lambda: workers_of(stack, service) >= 1, 5.0, f"{service} worker registered")
    return w


def unpack(raw):
    return msgpack.unpackb(raw, raw=False, strict_map_key=False)


# ---- MMI (RFC 8) ------------------------------------------------------------

@broker_test()
def mmi_service_answers_200_for_a_registered_service_404_otherwise(stack):
    st.eq(stack.mmi("intake"), "404", "before any worker")
    register(stack, "intake")
    st.eq(stack.mmi("intake"), "200", "with a worker")
    st.eq(stack.mmi("scheduling"), "404", "another service")


@broker_test()
def other_mmi_services_answer_501(stack):
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"mmi.nonsense", b"intake"])
    st.eq(recv(c), [HDR_C, C_FINAL, b"mmi.nonsense", b"501"])


# ---- service "broker" -------------------------------------------------------

@broker_test(broker={"max_message_bytes": "200000"})
def status_reports_services_and_counters(stack):
    register(stack, "intake")
    d = status(stack)
    st.eq(d["version"], "0.1.0", "version")
    for key in ("uptime_s", "requests_routed", "replies_routed", "requests_expired",
                "invalid_dropped", "oversize_dropped", "events_forwarded", "events_dropped",
                "subscriptions", "max_message_bytes"):
        st.check(isinstance(d.get(key), int) and d[key] >= 0, f"status has counter {key}: {d}")
    st.eq(d["max_message_bytes"], 200000, "max_message_bytes as configured")
    st.eq(service_row(d, "intake"), {"name": "intake", "workers": 1, "idle": 1, "queued": 0})


@broker_test()
def status_counts_a_routed_request_and_reply(stack):
    w = register(stack)
    before = status(stack)
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"intake", b"ping"])
    m = w.recv()
    w.send(W_FINAL, m[2], b"", b"pong")
    st.eq(recv(c), [HDR_C, C_FINAL, b"intake", b"pong"])
    after = status(stack)
    st.eq(after["requests_routed"] - before["requests_routed"], 1, "requests_routed")
    st.eq(after["replies_routed"] - before["replies_routed"], 1, "replies_routed")


@broker_test()
def unknown_broker_op_is_refused_naming_field_op(stack):
    err = stack.refused("broker", "frobnicate", code="invalid_argument", field="op")
    st.check('unknown op "frobnicate"' in err["message"] and "ops: status" in err["message"],
             f"message names the op and the accepted ops: {err['message']!r}")


@broker_test()
def broker_body_that_is_not_msgpack_or_not_a_map_is_refused_naming_body(stack):
    for body in (b"\xc1", b"\x92\x01\x02", b"\x81\xa2op"):  # bad byte, an array, truncated map
        raw = stack.client.request("broker", body, timeout=3.0)
        st.check(raw is not None, f"a reply for body {body!r}")
        r = unpack(raw)
        st.eq(r["ok"], False, f"body {body!r}")
        st.eq(r["error"]["code"], "invalid_argument", f"code for body {body!r}")
        st.eq(r["error"]["field"], "body", f"field for body {body!r}")
    st.eq(status(stack)["version"], "0.1.0", "still serving")


# ---- routing ----------------------------------------------------------------

@broker_test()
def fake_worker_receives_the_request_and_its_final_reaches_the_client(stack):
    w = register(stack)
    body = msgpack.packb({"op": "participant.get", "args": {"id": "P1"}})
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"intake", body])
    m = w.recv()
    st.check(m is not None, "the worker got the request")
    st.eq(len(m), 6, f"REQUEST frames {m!r}")
    st.eq(m[1], W_REQUEST, "command")
    st.eq(m[3], b"", "empty delimiter after the client address")
    st.eq(m[4], body, "body forwarded as-is")
    st.eq(unpack(m[5]), {"key": "admin", "roles": ["admin"]}, "the caller frame comes last")
    w.send(W_PARTIAL, m[2], b"", b"part one")
    w.send(W_FINAL, m[2], b"", b"the end")
    st.eq(recv(c), [HDR_C, C_PARTIAL, b"intake", b"part one"])
    st.eq(recv(c), [HDR_C, C_FINAL, b"intake", b"the end"])
    # The worker is idle again and takes the next request.
    c.send_multipart([HDR_C, C_REQUEST, b"intake", b"again", b"second frame"])
    m = w.recv()
    st.eq(m[4:-1], [b"again", b"second frame"], "every body frame is forwarded")
    st.eq(unpack(m[-1])["key"], "admin", "then the caller frame")
    w.send(W_FINAL, m[2], b"", b"ok")
    st.eq(recv(c), [HDR_C, C_FINAL, b"intake", b"ok"])


@broker_test(broker={"request_expiry_ms": "5000"})
def request_queued_before_a_worker_exists_is_served_when_one_registers(stack):
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"intake", b"early"])
    st.wait_until(lambda: (service_row(status(stack), "intake") or {}).get("queued") == 1,
                  3.0, "the request to be queued")
    w = FakeWorker(stack)
    m = w.recv()
    st.check(m is not None and m[1] == W_REQUEST and m[4] == b"early",
             f"the queued request reaches the new worker: {m!r}")
    w.send(W_FINAL, m[2], b"", b"late but fine")
    st.eq(recv(c), [HDR_C, C_FINAL, b"intake", b"late but fine"])


@broker_test()
def requests_go_to_the_worker_idle_longest(stack):
    w1 = register(stack)
    w2 = FakeWorker(stack)
    st.wait_until(lambda: workers_of(stack, "intake") == 2, 5.0, "two workers")
    c1, c2, c3 = raw_client(stack), raw_client(stack), raw_client(stack)
    c1.send_multipart([HDR_C, C_REQUEST, b"intake", b"one"])
    m1 = w1.recv()
    st.eq(m1[4], b"one", "first request goes to the first worker to register")
    c2.send_multipart([HDR_C, C_REQUEST, b"intake", b"two"])
    m2 = w2.recv()
    st.eq(m2[4], b"two", "second request goes to the other, idle worker")
    w2.send(W_FINAL, m2[2], b"", b"r2")
    st.eq(recv(c2)[3], b"r2")
    w1.send(W_FINAL, m1[2], b"", b"r1")
    st.eq(recv(c1)[3], b"r1")
    # w2 became idle before w1, so it has waited longest.
    c3.send_multipart([HDR_C, C_REQUEST, b"intake", b"three"])
    m3 = w2.recv(timeout=2.0)
    st.check(m3 is not None and m3[4] == b"three", f"LRU: w2 gets the third request: {m3!r}")
    w2.send(W_FINAL, m3[2], b"", b"r3")
    st.eq(recv(c3)[3], b"r3")


# ---- never silence ----------------------------------------------------------

@broker_test(broker={"request_expiry_ms": "600"})
def request_for_a_service_without_worker_gets_unavailable_after_the_expiry(stack):
    c = raw_client(stack)
    t0 = time.monotonic()
    c.send_multipart([HDR_C, C_REQUEST, b"intake", msgpack.packb({"op": "x"})])
    m = recv(c, timeout=5.0)
    elapsed = time.monotonic() - t0
    st.check(m is not None, "the broker answers")
    st.eq(m[:3], [HDR_C, C_FINAL, b"intake"])
    st.check(0.45 <= elapsed <= 2.5, f"answered after about 600 ms, took {elapsed:.3f}s")
    r = unpack(m[3])
    st.eq(r["ok"], False)
    st.eq(r["error"]["code"], "unavailable")
    st.eq(r["error"]["field"], "")
    st.eq(r["error"]["message"],
          'no worker for service "intake" answered within 600 ms; is samen-intake running?')
    st.eq(status(stack)["requests_expired"], 1, "requests_expired")


@broker_test(broker={"max_queued": "2", "request_expiry_ms": "3000"})
def requests_beyond_max_queued_are_refused_at_once(stack):
    c = [raw_client(stack) for _ in range(3)]
    for i in range(2):
        c[i].send_multipart([HDR_C, C_REQUEST, b"intake", b"wait"])
    st.wait_until(lambda: (service_row(status(stack), "intake") or {}).get("queued") == 2,
                  3.0, "two queued")
    t0 = time.monotonic()
    c[2].send_multipart([HDR_C, C_REQUEST, b"intake", b"one too many"])
    m = recv(c[2], timeout=2.0)
    st.check(m is not None and time.monotonic() - t0 < 1.0, "refused at once")
    st.eq(unpack(m[3])["error"]["code"], "resource_exhausted")


@broker_test()
def worker_that_dies_holding_a_request_makes_the_client_get_unavailable(stack):
    # heartbeat 250 ms x liveness 4 (the harness's defaults): expired after about 1 s.
    w = register(stack)
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"intake", b"doomed"])
    st.check(w.recv() is not None, "the worker took the request")
    w.close()  # gone without a word: only heartbeat expiry can tell
    m = recv(c, timeout=5.0)
    st.check(m is not None, "the client is answered")
    st.eq(m[:3], [HDR_C, C_FINAL, b"intake"])
    r = unpack(m[3])
    st.eq(r["error"]["code"], "unavailable")
    st.check("went away" in r["error"]["message"] and "same rid" in r["error"]["message"],
             f"message says to retry with the same rid: {r['error']['message']!r}")
    st.eq(workers_of(stack, "intake"), 0, "the dead worker is gone")


@broker_test()
def worker_that_disconnects_holding_a_request_makes_the_client_get_unavailable_at_once(stack):
    w = register(stack)
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"intake", b"doomed"])
    st.check(w.recv() is not None, "the worker took the request")
    t0 = time.monotonic()
    w.send(W_DISCONNECT)
    m = recv(c, timeout=3.0)
    st.check(m is not None and time.monotonic() - t0 < 0.9, "answered without waiting for expiry")
    st.eq(unpack(m[3])["error"]["code"], "unavailable")


# ---- heartbeats -------------------------------------------------------------

@broker_test()
def silent_worker_is_expired_and_a_heartbeating_one_is_kept(stack):
    silent = register(stack, "intake")
    alive = register(stack, "finance")
    st.check(alive.recv(timeout=2.0, heartbeats=True) == [HDR_W, W_HEARTBEAT],
             "the broker heartbeats its workers")
    end = time.monotonic() + 2.5  # 2.5 x (250 ms x 4)
    while time.monotonic() < end:
        alive.send(W_HEARTBEAT)
        alive.recv(timeout=0.1, heartbeats=True)
    d = status(stack)
    st.eq(service_row(d, "intake")["workers"], 0, "silent worker expired")
    st.eq(service_row(d, "finance")["workers"], 1, "heartbeating worker kept")
    st.eq(silent.recv(timeout=1.0), [HDR_W, W_DISCONNECT], "the expired worker is told")
    st.eq(stack.mmi("intake"), "404")


@broker_test()
def heartbeat_from_an_unknown_worker_gets_disconnect_so_it_registers_again(stack):
    w = FakeWorker(stack, ready=False)
    w.send(W_HEARTBEAT)
    st.eq(w.recv(timeout=0.5), [HDR_W, W_DISCONNECT])


# ---- protocol violations and invalid input ----------------------------------

@broker_test()
def second_ready_gets_disconnect(stack):
    w = register(stack)
    before = status(stack)["protocol_violations"]
    w.send(W_READY, b"intake")
    st.eq(w.recv(timeout=0.5), [HDR_W, W_DISCONNECT], "at once, not by expiry")
    d = status(stack)
    st.eq(service_row(d, "intake")["workers"], 0, "the worker is dropped")
    st.eq(d["protocol_violations"] - before, 1, "counted")


@broker_test()
def ready_for_a_reserved_name_gets_disconnect(stack):
    for name in (b"broker", b"mmi.service", b"mmi.anything"):
        w = FakeWorker(stack, ready=False)
        w.send(W_READY, name)
        # At once: well before a silent worker would expire (250 ms x 4).
        st.eq(w.recv(timeout=0.5), [HDR_W, W_DISCONNECT], f"READY {name!r}")
        w.close()
    d = status(stack)
    for name in ("broker", "mmi.service", "mmi.anything"):
        st.eq(service_row(d, name), None, f"no worker registered for {name}")


@broker_test()
def final_from_a_worker_holding_no_request_gets_disconnect(stack):
    w = register(stack)
    w.send(W_FINAL, b"\x00\x01\x02\x03\x04", b"", b"unsolicited")
    st.eq(w.recv(timeout=0.5), [HDR_W, W_DISCONNECT], "at once, not by expiry")
    st.eq(workers_of(stack, "intake"), 0)


@broker_test()
def invalid_client_messages_are_dropped_counted_and_the_broker_keeps_serving(stack):
    before = status(stack)["invalid_dropped"]
    c = raw_client(stack)
    bad = [
        [b"MDPC01", C_REQUEST, b"broker", msgpack.packb({"op": "status"})],  # MDP/0.1 header
        [b"", b"MDPC01", C_REQUEST, b"broker", b"x"],                       # 0.1 framing
        [HDR_C, C_REQUEST, b"broker"],                                      # no body
        [HDR_C, b"\x09", b"broker", b"x"],                                  # unknown command
        [b"garbage"],
    ]
    for frames in bad:
        c.send_multipart(frames)
    st.eq(recv(c, timeout=0.7), None, "no reply to invalid messages")
    st.wait_until(lambda: status(stack)["invalid_dropped"] - before == len(bad), 3.0,
                  f"{len(bad)} invalid messages counted")
    c.send_multipart([HDR_C, C_REQUEST, b"broker", msgpack.packb({"op": "status"})])
    m = recv(c)
    st.check(m is not None and unpack(m[3])["ok"] is True, "a valid request is still served")


@broker_test(broker={"max_message_bytes": "65536"})
def frame_over_max_message_bytes_does_not_stop_the_broker(stack):
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"broker", b"\x00" * 200000])
    st.eq(recv(c, timeout=0.7), None, "no reply to an oversize request")
    w = FakeWorker(stack, ready=False)
    w.send(W_READY, b"x" * 100000)
    st.check(stack.procs["broker"].poll() is None, "the broker still runs")
    d = status(stack)
    st.eq(d["max_message_bytes"], 65536)
    st.eq(service_row(d, "x" * 100000), None, "no oversize service registered")
    # A frame just under the limit goes through.
    w2 = register(stack, "intake")
    c2 = raw_client(stack)
    body = b"\x01" * 60000
    c2.send_multipart([HDR_C, C_REQUEST, b"intake", body])
    m = w2.recv()
    st.check(m is not None and m[4] == body, "a frame under the limit reaches the worker")
    w2.send(W_FINAL, m[2], b"", body)
    st.eq(recv(c2), [HDR_C, C_FINAL, b"intake", body])


@broker_test(broker={"request_expiry_ms": "1500"})
def every_request_gets_exactly_one_final_while_workers_come_and_go(stack):
    import random
    rnd = random.Random(7)
    clients = [raw_client(stack) for _ in range(12)]
    workers = [FakeWorker(stack) for _ in range(3)]
    per_client, sent, answered = 6, {}, {}
    errors = {"unavailable": 0}

    def send_next(i):
        n = sent.get(i, 0)
        if n < per_client:
            clients[i].send_multipart([HDR_C, C_REQUEST, b"intake", b"c%d-r%d" % (i, n)])
            sent[i] = n + 1

    for i in range(len(clients)):
        send_next(i)
    end = time.monotonic() + 40.0
    total = per_client * len(clients)
    last_beat = 0.0
    while sum(answered.values()) < total and time.monotonic() < end:
        if time.monotonic() - last_beat > 0.1:  # live workers heartbeat (250 ms x 4 expiry)
            for w in workers:
                w.send(W_HEARTBEAT)
            last_beat = time.monotonic()
        poller = zmq.Poller()
        for s in clients + [w.sock for w in workers]:
            poller.register(s, zmq.POLLIN)
        for s, _ in poller.poll(100):
            if s in clients:
                i = clients.index(s)
                m = s.recv_multipart()
                if m[1] == C_PARTIAL:
                    st.eq(m[3], b"c%d-r%d" % (i, sent[i] - 1), "partial for the outstanding request")
                    continue
                st.eq(m[1], C_FINAL, "reply command")
                if m[3] != b"c%d-r%d" % (i, sent[i] - 1):
                    r = unpack(m[3])  # only the broker answers with anything else
                    st.eq(r["error"]["code"], "unavailable", f"broker reply {r!r}")
                    errors["unavailable"] += 1
                answered[i] = answered.get(i, 0) + 1
                st.eq(answered[i], sent[i], f"client {i}: one FINAL per request")
                send_next(i)
                continue
            w = next(w for w in workers if w.sock is s)
            m = w.sock.recv_multipart()
            st.check(m[1] in (W_REQUEST, W_HEARTBEAT), f"a live worker gets {m!r}")
            if m[1] != W_REQUEST:
                continue
            roll = rnd.random()
            if roll < 0.6:
                w.send(W_FINAL, m[2], b"", m[4])
            elif roll < 0.75:
                w.send(W_PARTIAL, m[2], b"", m[4])
                w.send(W_FINAL, m[2], b"", m[4])
            else:
                if roll < 0.85:
                    w.send(W_DISCONNECT)
                w.close()  # else vanish silently: heartbeat expiry must notice
                workers[workers.index(w)] = FakeWorker(stack)
    st.eq(sum(answered.values()), total, f"every request answered ({errors})")
    st.check(errors["unavailable"] > 0, "some workers went away holding requests")
    for c in clients:
        st.eq(recv(c, timeout=0.1), None, "no second reply to any request")


@broker_test()
def random_frames_from_clients_and_workers_never_stop_the_broker(stack):
    import random
    rnd = random.Random(18)  # fixed seed: a failure replays
    heads = [HDR_C, HDR_W, b"MDPC01", b"MDPW01", b"", b"x" * 7]
    cmds = [bytes([i]) for i in range(8)] + [b"", b"\x01\x01"]
    names = [b"intake", b"broker", b"mmi.service", b"mmi.x", b"", b"a b", b"\xff\xfe", b"x" * 300]
    peers = [raw_client(stack) for _ in range(4)]
    for i in range(3000):
        frames = [rnd.choice(heads), rnd.choice(cmds)]
        for _ in range(rnd.randrange(0, 5)):
            frames.append(rnd.choice(names + [rnd.randbytes(rnd.randrange(0, 40))]))
        peers[i % 4].send_multipart(frames)
    for p in peers:  # drain whatever the broker answered
        for _ in range(10000):
            if recv(p, timeout=0.05) is None:
                break
    st.check(stack.procs["broker"].poll() is None, "the broker still runs")
    st.eq(status(stack)["version"], "0.1.0", "still serving")
    st.eq(stack.mmi("intake"), "404", "MMI still answers")


# ---- events -----------------------------------------------------------------

@broker_test()
def event_published_on_events_in_reaches_a_subscriber_on_events_out(stack):
    sub = sock(stack, zmq.SUB, stack.events_out_ep, subscribe=b"intake.")
    pub = sock(stack, zmq.PUB, stack.events_in_ep, key="intake")
    body = msgpack.packb({"seq": 1, "ts": 0, "type": "intake.test.done", "data": {}})
    got = None
    end = time.monotonic() + 5.0
    while got is None and time.monotonic() < end:  # subscriptions propagate asynchronously
        pub.send_multipart([b"scheduling.other", body])
        pub.send_multipart([b"intake.test.done", body])
        got = recv(sub, timeout=0.1)
    st.eq(got, [b"intake.test.done", body], "the subscriber gets the event")
    st.eq(recv(sub, timeout=0.3) in (None, [b"intake.test.done", body]), True,
          "only the subscribed prefix arrives")
    d = status(stack)
    st.check(d["events_forwarded"] >= 1, f"events_forwarded counted: {d['events_forwarded']}")
    st.eq(d["subscriptions"], 1, "one subscribed prefix")


# ---- process ----------------------------------------------------------------

def _run_broker(stack, *args):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    return subprocess.run([stack.binary("broker"), *args], capture_output=True, text=True,
                          timeout=20, env=env)


@broker_test(start=False)
def bad_settings_are_refused_with_exit_2_naming_the_setting(stack):
    p = _run_broker(stack, "--log-level", "loud")
    st.eq(p.returncode, 2, "bad --log-level")
    st.check("broker/log_level" in p.stderr, f"names the setting: {p.stderr!r}")
    p = _run_broker(stack, "--endpoint", "http://nope")
    st.eq(p.returncode, 2, "bad --endpoint")
    st.check("broker/endpoint" in p.stderr, f"names the setting: {p.stderr!r}")
    cfg = os.path.join(stack.dir, "bad.cfg")
    with open(cfg, "w") as f:
        f.write('broker\n    heartbeat_ms = "soon"\n')
    p = _run_broker(stack, "--config", cfg)
    st.eq(p.returncode, 2, "bad heartbeat_ms")
    st.check("broker/heartbeat_ms" in p.stderr, f"names the setting: {p.stderr!r}")
    for bad in ("0", "65", "two"):
        with open(cfg, "w") as f:
            f.write(f'broker\n    io_threads = "{bad}"\n')
        p = _run_broker(stack, "--config", cfg)
        st.eq(p.returncode, 2, f"io_threads {bad}")
        st.check("broker/io_threads" in p.stderr and "1 to 64" in p.stderr,
                 f"names the setting and what it takes: {p.stderr!r}")
    p = _run_broker(stack, "--frobnicate")
    st.eq(p.returncode, 2, "unknown flag")
    p = _run_broker(stack, "--version")
    st.eq((p.returncode, p.stdout.strip()), (0, "samen-broker 0.1.0"))


@st.test(services=["finance"], broker={"io_threads": "2"})
def broker_with_two_io_threads_routes_requests_from_many_connections(stack):
    # libzmq shares the connections between the two I/O threads (each does
    # the CurveZMQ work of its own): every client still gets its answer.
    import threading
    stack.ok("finance", "municipality.add", {"name": "Tweedraad", "code": "GM0002",
                                              "inhabitants": 1000, "as_of": "2016-01-01"})
    answers, errors = [], []

    def client():
        try:
            c = st.Client(stack.ctx, stack.broker_ep, stack.keys_of("admin"), stack.server_key)
            try:
                for _ in range(20):
                    r = c.call("finance", "municipality.get", {"municipality": "GM0002"})
                    answers.append(r["data"]["name"])
            finally:
                c.close()
        except Exception as e:  # reported below: a thread cannot fail the test itself
            errors.append(repr(e))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    st.eq(errors, [], "no client failed")
    st.eq(answers, ["Tweedraad"] * 160, "every request answered")
    threads_of = os.listdir(f"/proc/{stack.procs['broker'].pid}/task")
    names = []
    for tid in threads_of:
        with open(f"/proc/{stack.procs['broker'].pid}/task/{tid}/comm") as f:
            names.append(f.read().strip())
    st.eq(sum(n.startswith("ZMQbg/IO/") for n in names), 2, f"two I/O threads: {names}")


@broker_test()
def sigterm_with_workers_and_queued_requests_exits_cleanly(stack):
    register(stack, "intake")
    c = raw_client(stack)
    c.send_multipart([HDR_C, C_REQUEST, b"intake", b"held"])      # held by the worker
    c.send_multipart([HDR_C, C_REQUEST, b"finance", b"queued"])   # queued, no worker
    st.wait_until(lambda: (service_row(status(stack), "finance") or {}).get("queued") == 1,
                  3.0, "one queued")
    st.eq(stack.kill("broker", signal.SIGTERM), 0, "exit status after SIGTERM")
    st.check("broker stopped" in stack.log("broker"), "logs its stop")


if __name__ == "__main__":
    st.main()
