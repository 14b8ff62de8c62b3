#!/usr/bin/python3
"""The trust boundary on the wire (issue 10, transport and broker half), through
the real broker with real keys (docs/security.md, PROTOCOL.md §8):

- a client without CurveZMQ, and one with a key the broker does not trust, get
  nothing: no reply, nothing served, the refused handshakes counted;
- a key revoked while connected loses its requests, its worker registration
  and its event subscription within a few seconds, and cannot connect again;
- a worker may register only under its own service's name (a coordinator key
  registering as intake is refused), and only one store instance serves a
  name: a second finance is refused and exits with a clear message while the
  first keeps serving;
- an event published with the wrong key is dropped and counted, and a live
  event moves no follower's cursor unless the producer's events.read confirms
  it;
- a capture of the loopback traffic of a whole session holds none of a canary
  participant's name, e-mail or phone in clear (and does with security off,
  so the capture is known to see the traffic);
- a request that reaches a service without the broker's caller frame is
  refused (unauthenticated), with CurveZMQ and in plain mode alike;
- plain mode binds only loopback and ipc://.
"""
import importlib.util
import os
import shutil
import socket
import subprocess
import threading
import time

import msgpack
import zmq

import samentest as st

HERE = os.path.dirname(os.path.abspath(__file__))
HDR_W = b"MDPW02"
W_READY, W_DISCONNECT = b"\x01", b"\x06"


def _load_fakes():
    """tests/integration/test_finance_events.py, for its FakeService (a service that
    answers events.read from memory and publishes on events-in) and helpers."""
    spec = importlib.util.spec_from_file_location(
        "finance_fakes", os.path.join(HERE, "test_finance_events.py"))
    mod = importlib.util.module_from_spec(spec)
    n = len(st._tests)
    spec.loader.exec_module(mod)
    del st._tests[n:]  # its tests belong to its own suite
    return mod


fk = _load_fakes()


def status(stack):
    return stack.ok("broker", "status", timeout=3)


def counter(stack, name):
    return status(stack)[name]


def requests_served(stack, service):
    """How many requests service has answered (its own count)."""
    return stack.ok(service, "service.info")["requests"]


def stranger():
    """A key pair the broker has never heard of."""
    pub, sec = zmq.curve_keypair()
    return pub.decode(), sec.decode()


# ==== who may connect ========================================================

@st.test(services=["finance"])
def plain_client_gets_nothing_served_and_is_counted(stack):
    before = counter(stack, "handshakes_refused")
    served = requests_served(stack, "finance")
    c = stack.plain_client()
    body = msgpack.packb({"op": "municipality.add", "rid": "plain-1",
                          "args": {"name": "Laren", "code": "GM0417", "inhabitants": 10962,
                                   "as_of": "2016-01-01"}})
    st.eq(c.request("finance", body, timeout=1.5), None, "no reply to a client without CurveZMQ")
    st.wait_until(lambda: counter(stack, "handshakes_refused") > before, 5,
                  "the refused handshake to be counted")
    # service.info itself is one request: the admin's, not the plain client's
    st.eq(requests_served(stack, "finance"), served + 1, "finance served nothing more")
    st.eq(stack.ok("finance", "municipality.list")["municipalities"], [], "nothing stored")
    st.check("reason=not_curve_with_our_key" in stack.log("broker"), "the refusal is logged")
    c.close()


@st.test(services=["finance"])
def client_with_an_unknown_key_gets_nothing_served_and_is_counted(stack):
    before = counter(stack, "handshakes_refused")
    served = requests_served(stack, "finance")
    c = st.Client(stack.ctx, stack.broker_ep, stranger(), stack.server_key)
    st.eq(c.request("broker", msgpack.packb({"op": "status"}), timeout=1.5), None,
          "no reply to an unknown key, not even broker status")
    st.eq(c.request("finance", msgpack.packb({"op": "municipality.list"}), timeout=1.0), None,
          "nor a service")
    st.wait_until(lambda: counter(stack, "handshakes_refused") > before, 5,
                  "the refused handshake to be counted")
    st.eq(requests_served(stack, "finance"), served + 1, "finance served nothing more")
    st.check("reason=key_not_trusted" in stack.log("broker"), "the refusal is logged")
    c.close()


@st.test(services=["finance"])
def client_with_another_brokers_public_key_is_refused(stack):
    other_broker = stranger()[0]
    c = st.Client(stack.ctx, stack.broker_ep, st.keypair("admin"), other_broker)
    before = counter(stack, "handshakes_refused")
    st.eq(c.request("broker", msgpack.packb({"op": "status"}), timeout=1.0), None,
          "a trusted key talking to the wrong server key gets nothing")
    st.wait_until(lambda: counter(stack, "handshakes_refused") > before, 5, "counted")
    c.close()


# ==== revocation =============================================================

@st.test(services=["finance"])
def key_revoked_while_connected_is_refused_within_seconds_everywhere(stack):
    stack.add_key("alice", "admin")
    stack.add_key("intake2", "service:intake")
    alice = stack.client_as("alice")
    st.wait_until(lambda: alice.call("broker", "status", timeout=1).get("ok"), 10,
                  "alice to be trusted (a new key, no restart)")
    st.eq(alice.call("finance", "municipality.list")["ok"], True, "alice is served")
    # alice also subscribes, and a worker with a key that will be revoked serves intake
    sub_alice = stack.subscriber("finance.", key="alice")
    sub_admin = stack.subscriber("finance.")
    st.eq(stack.claim("intake", key="intake2")["ok"], True, "intake2 claims intake")
    w = stack.ctx.socket(zmq.DEALER)
    w.linger = 0
    stack.curve(w, "intake2")
    w.connect(stack.broker_ep)
    w.send_multipart([HDR_W, W_READY, b"intake"])
    st.wait_until(lambda: stack.mmi("intake") == "200", 5, "intake2's worker to register")
    n = [0]

    def add():
        n[0] += 1
        stack.ok("finance", "municipality.add",
                 {"name": f"Test {n[0]}", "code": f"GM{9000 + n[0]}", "inhabitants": n[0],
                  "as_of": "2016-01-01"}, rid=f"rev-{n[0]}")

    def got(sub, timeout=0.3):
        return sub.poll(int(timeout * 1000)) and sub.recv_multipart()

    st.wait_until(lambda: add() or got(sub_alice), 10, "alice's subscription to work")
    while got(sub_alice, 0.05) or got(sub_admin, 0.05):
        pass
    before = status(stack)
    t0 = time.monotonic()
    stack.revoke_key("alice")
    stack.revoke_key("intake2")
    r = st.wait_until(lambda: (lambda x: x if not x.get("ok") else None)(
        alice.call("broker", "status", timeout=1)), 5, "alice's connection to be refused")
    took = time.monotonic() - t0
    st.eq(r["error"]["code"], "unauthenticated", f"what a revoked connection is told: {r}")
    st.check(took < 5, f"refused {took:.1f}s after the revocation")
    st.eq(alice.call("finance", "municipality.list").get("ok"), False, "nothing served")
    st.wait_until(lambda: stack.mmi("intake") == "404", 5, "the revoked worker to be dropped")
    # It may have been handed finance's backfill reads of intake before: skip them.
    m = None
    while w.poll(3000):
        m = w.recv_multipart()
        if m[1] == W_DISCONNECT:
            break
    st.eq(m, [HDR_W, W_DISCONNECT], "the revoked worker is told DISCONNECT")
    after = status(stack)
    st.check(after["unauthenticated"] > before["unauthenticated"], "counted as unauthenticated")
    st.check(after["subscribers_cut"] > before["subscribers_cut"], "subscribers were cut off")
    # The subscribers reconnect through the handshake: admin's again, alice's not.
    st.wait_until(lambda: add() or got(sub_admin), 10, "the admin's subscription to come back")
    add()
    st.eq(got(sub_alice, 1.0), False, "the revoked subscriber sees no event after the cut")
    # A new connection with the revoked key fails at the handshake.
    refused = counter(stack, "handshakes_refused")
    again = stack.client_as("alice")
    st.eq(again.request("broker", msgpack.packb({"op": "status"}), timeout=1.0), None,
          "a new connection with a revoked key")
    st.wait_until(lambda: counter(stack, "handshakes_refused") > refused, 5, "counted")
    for s in (sub_alice, sub_admin, w):
        s.close(0)
    alice.close()
    again.close()


# ==== samenctl key, and the audit log of key changes ===========================

@st.test(services=[])
def samenctl_key_commands_change_what_the_broker_trusts_and_are_on_record(stack):
    rc, out, err = stack.ctl("key", "new", "bob", "--role", "auditor,subscriber")
    st.eq(rc, 0, f"key new: {err}")
    st.check("secret/bob.cert_secret" in out, f"says where the secret is: {out}")
    st.eq(oct(os.stat(stack.secret_file("bob")).st_mode & 0o777), "0o600", "secret file mode")
    rc, out, _ = stack.ctl("--json", "key", "show", "bob")
    import json
    shown = json.loads(out)
    st.eq((shown["name"], shown["roles"], shown["state"]), ("bob", "auditor,subscriber", "trusted"))
    bob = st.Client(stack.ctx, stack.broker_ep,
                    (shown["public_key"], _secret_of(stack.secret_file("bob"))), stack.server_key)
    st.wait_until(lambda: bob.call("broker", "status", timeout=1).get("ok"), 10,
                  "bob to be trusted")
    rc, _, err = stack.ctl("key", "new", "bob", "--role", "admin")
    st.eq(rc, 1, "the same name again is refused")
    st.check("exists" in err, err)
    rc, _, err = stack.ctl("key", "new", "eve", "--role", "king")
    st.eq(rc, 2, "an unknown role is a usage error")
    st.check("king" in err and "coordinator" in err, f"names it and the roles: {err}")
    rc, _, err = stack.ctl("key", "revoke", "bob")
    st.eq(rc, 2, "revoke wants --yes")
    rc, out, err = stack.ctl("key", "revoke", "bob", "--yes")
    st.eq(rc, 0, f"key revoke: {err}")
    st.wait_until(lambda: not bob.call("broker", "status", timeout=1).get("ok"), 10,
                  "bob's connection to be refused")
    rc, out, _ = stack.ctl("--json", "key", "list", "--all")
    states = {(k["name"], k["state"]) for k in json.loads(out)}
    st.check(("bob", "revoked") in states and ("admin", "trusted") in states, states)
    # The log: who (samenctl's admin key), what, which key; auditors may read it.
    aud = stack.client_as("auditor").call("broker", "audit.list", {"id": "bob"})
    st.eq(aud["ok"], True, f"an auditor reads the key changes: {aud}")
    entries = aud["data"]["entries"]
    st.eq([(e["key"], e["roles"], e["service"], e["op"], e["ids"], e["outcome"])
           for e in entries],
          [("admin", ["admin"], "broker", "key.new", ["bob"], "ok"),
           ("admin", ["admin"], "broker", "key.revoke", ["bob"], "ok")])
    st.eq(entries[0]["key_roles"], ["auditor", "subscriber"])
    st.check(all(isinstance(e["ts"], int) and e["ts"] > 1.7e12 for e in entries), entries)
    page = stack.ok("broker", "audit.list", {"limit": 1})
    st.eq(len(page["entries"]), 1)
    rest = stack.ok("broker", "audit.list", {"after": page["next"]})
    st.check(all(e["n"] > page["next"] for e in rest["entries"]), "the next page follows")
    denied = stack.client_as("coordinator").call("broker", "audit.list", {})
    st.eq((denied["ok"], denied["error"]["code"]), (False, "permission_denied"))
    st.check("auditor" in denied["error"]["message"], denied)
    text = open(os.path.join(stack.keys_dir, "audit.log")).read()
    st.check(shown["public_key"] not in text, "no key in the audit log")
    bob.close()


def _secret_of(path):
    """The secret key in a czmq secret certificate."""
    for line in open(path):
        if line.strip().startswith("secret-key"):
            return line.split("=", 1)[1].strip().strip('"')
    raise st.Failure(f"no secret-key in {path}")


# ==== impersonation ==========================================================

@st.test(services=["finance"], broker={"request_expiry_ms": "1000"})
def worker_with_a_coordinator_key_registering_as_intake_is_refused(stack):
    before = status(stack)
    r = stack.claim("intake", key="coordinator")
    st.eq((r["ok"], r["error"]["code"], r["error"]["field"]),
          (False, "permission_denied", "op"), f"claim with a coordinator key: {r}")
    r = stack.claim("intake", key="finance")
    st.eq((r["error"]["code"], r["error"]["field"]), ("permission_denied", "service"),
          f"nor may finance's key claim intake: {r}")
    w = stack.ctx.socket(zmq.DEALER)
    w.linger = 0
    stack.curve(w, "coordinator")
    w.connect(stack.broker_ep)
    w.send_multipart([HDR_W, W_READY, b"intake"])
    st.eq(w.poll(2000) and w.recv_multipart(), [HDR_W, W_DISCONNECT], "READY refused at once")
    st.eq(stack.mmi("intake"), "404", "no intake worker")
    r = stack.call("intake", "participant.find", {}, timeout=5)
    st.eq(r["error"]["code"], "unavailable", "a request for intake reaches nobody")
    st.eq(w.poll(300), 0, "the impostor got no request")
    after = status(stack)
    st.eq(after["workers_refused"] - before["workers_refused"], 1, "the READY counted")
    st.eq(after["requests_denied"] - before["requests_denied"], 2, "both claims counted")
    st.check("reason=key_lacks_role key=coordinator" in stack.log("broker"), "logged with the key")
    st.check("op=service.claim key=coordinator" in stack.log("broker"), "the claim too")
    w.close(0)


@st.test(services=["finance"])
def second_finance_instance_is_refused_and_exits_while_the_first_keeps_serving(stack):
    stack.ok("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                             "inhabitants": 10962, "as_of": "2016-01-01"},
             rid="first")
    workers = [row for row in status(stack)["services"] if row["name"] == "finance"][0]["workers"]
    other = os.path.join(stack.dir, "var", "finance-other")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    t0 = time.monotonic()
    p = subprocess.run([stack.binary("finance"), "--config", stack.cfg_path, "--data-dir", other],
                       capture_output=True, text=True, timeout=30, env=env, cwd=stack.dir)
    st.eq(p.returncode, 3, f"exit status of the second finance (stderr: {p.stderr})")
    st.check(time.monotonic() - t0 < 15, "it stops at once, it does not hang around")
    st.check("already served by another store" in p.stderr, f"says why: {p.stderr!r}")
    st.check(not st.SANITIZER.search(p.stderr), p.stderr)
    d = status(stack)
    st.eq(d["claims_refused"], 1, "the refused claim is counted")
    st.eq([row for row in d["services"] if row["name"] == "finance"][0]["workers"], workers,
          "the first instance's workers are all still there")
    st.eq([m["code"] for m in stack.ok("finance", "municipality.list")["municipalities"]],
          ["GM0417"], "requests still reach the first store only")
    stack.ok("finance", "municipality.add", {"name": "Huizen", "code": "GM0406",
                                             "inhabitants": 41389, "as_of": "2016-01-01"},
             rid="second")
    st.eq(len(stack.ok("finance", "municipality.list")["municipalities"]), 2)
    # Once the first instance has stopped, the name is free for another store.
    stack.stop("finance")
    stack.start("finance", extra=("--data-dir", other))
    st.eq(stack.ok("finance", "municipality.list")["municipalities"], [],
          "the other store serves now")


@st.test(services=["finance"])
def a_copy_of_the_store_is_refused_while_the_original_serves(stack):
    # A copy keeps the store's instance ID (a backup restored on another
    # host, the disk of a host that was taken over): the process's
    # incarnation tells the two apart (PROTOCOL.md §8.5).
    stack.ok("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                             "inhabitants": 10962, "as_of": "2016-01-01"})
    copy = os.path.join(stack.dir, "var", "finance-copy")
    shutil.copytree(stack.data_dir("finance"), copy)
    workers = [row for row in status(stack)["services"] if row["name"] == "finance"][0]["workers"]
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    t0 = time.monotonic()
    p = subprocess.run([stack.binary("finance"), "--config", stack.cfg_path, "--data-dir", copy],
                       capture_output=True, text=True, timeout=60, env=env, cwd=stack.dir)
    waited = time.monotonic() - t0
    st.eq(p.returncode, 3, f"exit status of the copy (stderr: {p.stderr})")
    st.check("a copy of a store must never serve beside its original" in p.stderr,
             f"says why: {p.stderr!r}")
    st.check(not st.SANITIZER.search(p.stderr), p.stderr)
    # It asked again while a crashed predecessor's workers could have
    # expired (heartbeat_ms x heartbeat_liveness), then gave up.
    st.check(waited < 30, f"it gave up after {waited:.1f} s")
    d = status(stack)
    st.check(d["claims_refused"] >= 1, "the refused claims are counted")
    st.eq([row for row in d["services"] if row["name"] == "finance"][0]["workers"], workers,
          "the original's workers only: the copy registered none")
    st.check("reason=another_process" in stack.log("broker"), "the broker logs why")


@st.test(services=["finance"])
def restart_of_the_same_instance_is_accepted(stack):
    stack.ok("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                             "inhabitants": 10962, "as_of": "2016-01-01"})
    stack.kill("finance")  # SIGKILL: its workers linger at the broker until they expire
    stack.start("finance")
    st.eq(len(stack.ok("finance", "municipality.list")["municipalities"]), 1)
    st.eq(counter(stack, "claims_refused"), 0)


# ==== forged events ==========================================================

@st.test(services=["finance"])
def forged_events_are_dropped_and_no_follower_cursor_moves(stack):
    sched = fk.FakeService(stack, "scheduling")
    intake = fk.FakeService(stack, "intake")
    try:
        ev = {"seq": 1, "ts": int(time.time() * 1000), "type": "scheduling.attendance.recorded",
              "data": fk.attendance("S1", "P1", cents=2500000)}
        frames = [b"scheduling.attendance.recorded", msgpack.packb(ev)]
        before = counter(stack, "events_refused")
        # 1. wrong keys: a coordinator, and finance's own service key
        for key in ("coordinator", "finance"):
            pub = stack.publisher(key)
            start = counter(stack, "events_refused")
            st.wait_until(lambda: pub.send_multipart(frames) or
                          counter(stack, "events_refused") > start, 10,
                          f"the broker to refuse an event published with the {key} key")
            pub.close(0)
        st.check(counter(stack, "events_refused") >= before + 2, "counted")
        st.check("reason=not_its_topic key=coordinator" in stack.log("broker"),
                 "the refusal is logged with the key (then rate-limited)")
        # 2. the right key, but an event the producer never stored: a live event
        #    is only a wake-up; finance asks scheduling's events.read, which has
        #    nothing, so its cursor stays.
        pub = stack.publisher("scheduling")
        reads = sched.reads
        st.wait_until(lambda: pub.send_multipart(frames) or sched.reads > reads + 1, 10,
                      "finance to ask scheduling's log after the live event")
        time.sleep(0.5)
        st.eq(fk.cursor(stack, "scheduling"), 0, "finance's cursor did not move")
        st.eq(fk.entitlements(stack), [], "no entitlement from a forged event")
        pub.close(0)
        # 3. a genuine event, through the same path, is applied: the test can fail.
        sched.emit("scheduling.attendance.recorded", fk.attendance("S1", "P1"))
        fk.wait_cursor(stack, "scheduling", 1)
        st.eq([(e["session"], e["amount_cents"]) for e in fk.entitlements(stack)],
              [("S1", 1500)], "the logged event's entitlement, with the logged amount")
    finally:
        sched.close()
        intake.close()


# ==== what travels in clear ==================================================

CANARY = {"name": "Kanarie Zeldzaamheid", "email": "kanarie.zeldzaam@example.org",
          "phone": "06-98765432", "postal_code": "1215 ZX", "municipality": "Hilversum",
          "birth_year": 1958, "consent": True, "target_groups": ["wmo clients"]}
IBAN = "NL02ABNA0123456789"
CLEAR = [b"Kanarie", b"Zeldzaam", b"kanarie.zeldzaam", b"98765432", IBAN.encode(),
         "Kanarie".encode("utf-16-le")]


class Relay:
    """TCP relays on 127.0.0.1 in front of the broker's three ports, keeping a copy
    of every byte in both directions (at most 256 MiB)."""

    def __init__(self, targets):
        self.captured = []
        self.size = 0
        self.lock = threading.Lock()
        self.listeners = []
        self.fronts = []
        for port in targets:
            ls = socket.socket()
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind(("127.0.0.1", 0))
            ls.listen(64)
            self.listeners.append(ls)
            self.fronts.append(ls.getsockname()[1])
            threading.Thread(target=self._accept, args=(ls, port), daemon=True).start()

    def _accept(self, ls, port):
        while True:
            try:
                a, _ = ls.accept()
            except OSError:
                return
            try:
                b = socket.create_connection(("127.0.0.1", port))
            except OSError:
                a.close()
                continue
            threading.Thread(target=self._pump, args=(a, b), daemon=True).start()
            threading.Thread(target=self._pump, args=(b, a), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    if self.size < 256 << 20:
                        self.captured.append(data)
                        self.size += len(data)
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def bytes(self):
        with self.lock:
            return b"".join(self.captured)

    def close(self):
        for ls in self.listeners:
            ls.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def whole_session_through_a_relay(stack):
    """Start the stack with every daemon and client going through a Relay, run a
    session that moves the canary's personal data every way samen moves it, and
    return the captured bytes."""
    real = [free_port() for _ in range(3)]
    relay = Relay(real)
    stack.broker_ep, stack.events_in_ep, stack.events_out_ep = (
        f"tcp://127.0.0.1:{p}" for p in relay.fronts)
    stack.write_config()
    try:
        stack.start("broker", extra=("--endpoint", f"tcp://127.0.0.1:{real[0]}",
                                     "--events-in", f"tcp://127.0.0.1:{real[1]}",
                                     "--events-out", f"tcp://127.0.0.1:{real[2]}"))
        for s in st.ALL:
            stack.start(s, wait=False)
        for s in st.ALL:
            stack.wait_ready(s)
        sub = stack.subscriber("")
        stack.ok("finance", "municipality.add", {"name": "Hilversum", "code": "GM0402",
                                                 "inhabitants": 87817, "as_of": "2016-01-01"})
        for svc in ("intake", "scheduling", "reporting"):
            st.wait_until(lambda: stack.ok(svc, "service.info")["following"]
                          .get("finance", 0) >= 1, 15, f"{svc} to know the municipality")
        pid = stack.ok("intake", "participant.register", CANARY, rid="canary")["id"]
        stack.ok("intake", "participant.get", {"participant": pid})
        stack.ok("intake", "participant.find", {"municipality": "Hilversum"})
        theme = stack.ok("scheduling", "theme.add", {"title": "Disability taxi",
                                                     "domain": "social_support",
                                                     "years": [2020]})["id"]
        session = stack.ok("scheduling", "session.plan",
                           {"theme": theme, "method": "FG", "start": "2020-03-12T19:00",
                            "end": "2020-03-12T21:00", "capacity": 4,
                            "reimbursement_cents": 1500})["id"]
        st.wait_until(lambda: stack.ok("scheduling", "service.info")["following"]
                      .get("intake", 0) >= 1, 15, "scheduling to know the participant")
        stack.ok("scheduling", "registration.create", {"session": session, "participant": pid})
        stack.ok("scheduling", "session.hold", {"session": session})
        stack.ok("scheduling", "attendance.record", {"session": session, "attended": [pid]})
        st.wait_until(lambda: stack.ok("finance", "entitlement.list", {"participant": pid})
                      ["entitlements"], 15, "finance to record the entitlement")
        stack.ok("finance", "payee.set", {"participant": pid, "iban": IBAN,
                                          "holder": CANARY["name"]})
        stack.ok("finance", "payee.get", {"participant": pid})
        # reporting asks intake's pii.scan about a report that names the canary
        st.wait_until(lambda: stack.ok("reporting", "service.info")["following"]
                      .get("scheduling", 0) >= stack.ok("scheduling", "service.info")["last_seq"],
                      15, "reporting to know the session")
        rep = stack.ok("reporting", "report.draft",
                       {"session": session, "text": f"# Verslag\n\n{CANARY['name']} zei: ..."})
        stack.ok("reporting", "report.approve", {"report": rep["id"]})
        stack.refused("reporting", "report.publish", {"report": rep["id"]},
                      code="failed_precondition")
        stack.ok("intake", "pii.scan", {"text": f"Bel {CANARY['phone']} of mail "
                                                f"{CANARY['email']}"})
        stack.ok("intake", "participant.export", {"participant": pid}, timeout=15)
        rc, out, err = stack.ctl("participant", "show", pid)
        st.eq(rc, 0, f"samenctl participant show through the relay: {err}")
        st.check(CANARY["email"] in out, "samenctl shows the e-mail address to its admin")
        while sub.poll(200):
            sub.recv_multipart()
        sub.close(0)
        time.sleep(0.3)
        return relay.bytes()
    finally:
        relay.close()


@st.test(services=[], start=False)
def loopback_capture_of_a_whole_session_holds_no_personal_data_in_clear(stack):
    data = whole_session_through_a_relay(stack)
    st.check(len(data) > 100000, f"the relay carried the session ({len(data)} bytes)")
    for needle in CLEAR:
        st.check(needle not in data, f"{needle!r} crossed the wire in clear")
    st.check(b"CURVE" in data, "the connections negotiated CurveZMQ")


@st.test(services=[], start=False, security="plain")
def the_same_capture_in_plain_mode_does_show_the_canary(stack):
    # The control for the test above: the relay sees the traffic.
    data = whole_session_through_a_relay(stack)
    st.check(b"kanarie.zeldzaam@example.org" in data, "the e-mail address in clear")
    st.check(b"Kanarie Zeldzaamheid" in data, "the name in clear")


# ==== plain mode =============================================================

@st.test(services=[], start=False, security="plain")
def plain_mode_binds_only_loopback_and_ipc(stack):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    for ep in ("tcp://0.0.0.0:5999", "tcp://*:5999", "tcp://10.1.2.3:5999"):
        p = subprocess.run([stack.binary("broker"), "--config", stack.cfg_path, "--endpoint", ep],
                           capture_output=True, text=True, timeout=20, env=env)
        st.eq(p.returncode, 2, f"exit status for {ep} (stderr: {p.stderr})")
        st.check("broker/endpoint" in p.stderr and "security/mode is plain" in p.stderr,
                 f"the message names the setting and why: {p.stderr!r}")
    stack.start("broker")
    st.eq(stack.procs["broker"].poll(), None, "ipc:// is accepted")
    d = stack.dir
    # A second broker: the same settings but a health port of its own.
    cfg2 = os.path.join(d, "samen2.cfg")
    with open(stack.cfg_path) as f, open(cfg2, "w") as g:
        g.write(f.read().replace(f'http_port = "{stack.http_ports["broker"]}"',
                                 f'http_port = "{free_port()}"'))
    p = subprocess.Popen([stack.binary("broker"), "--config", cfg2,
                          "--endpoint", f"tcp://127.0.0.1:{free_port()}",
                          "--events-in", f"ipc://{d}/loop-in", "--events-out", f"ipc://{d}/loop-out"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        time.sleep(1.0)
        st.eq(p.poll(), None, "tcp://127.0.0.1 is accepted")
    finally:
        p.terminate()
        out, err = p.communicate(timeout=20)
    st.eq(p.returncode, 0, f"and it stops cleanly: {err[-500:]}")


@st.test(services=["finance"], security="plain")
def plain_mode_callers_are_local_admins(stack):
    st.eq(status(stack)["security"], "plain")
    st.eq(stack.ok("finance", "municipality.list")["municipalities"], [])


# ==== the caller frame =======================================================

def _fake_broker_serves_without_and_with_a_caller_frame(stack):
    """A stand-in broker on the stack's endpoint (CurveZMQ with the broker's
    key unless plain) lets samen-scheduling claim and register, then hands one
    of its workers a REQUEST without the caller frame and one with it (§8.4).
    Returns the two replies, decoded."""
    r = stack.ctx.socket(zmq.ROUTER)
    r.linger = 0
    if stack.security != "plain":
        r.curve_server = True
        r.curve_secretkey = st.keypair("broker")[1].encode()
    r.bind(stack.broker_ep)
    stack.start("scheduling", wait=False)
    replies, worker, sent = [], None, 0
    body = msgpack.packb({"op": "service.info", "rid": "caller-frame-1"})
    caller = msgpack.packb({"key": "admin", "roles": ["admin"]})
    deadline = time.monotonic() + 20
    try:
        while len(replies) < 2 and time.monotonic() < deadline:
            if worker is not None and sent == len(replies):
                # First without the caller frame, then with it.
                extra = [caller] if sent else []
                r.send_multipart([worker, HDR_W, b"\x02", b"client-%d" % sent, b"", body, *extra])
                sent += 1
            if not r.poll(200):
                continue
            f = r.recv_multipart()
            if f[1:3] == [b"MDPC02", b"\x01"] and f[3] == b"broker":  # service.claim
                args = msgpack.unpackb(f[4], raw=False)["args"]
                r.send_multipart([f[0], b"MDPC02", b"\x03", b"broker",
                                  msgpack.packb({"ok": True, "data": args})])
            elif f[1:3] == [HDR_W, W_READY] and worker is None:
                worker = f[0]
            elif f[0] == worker and f[1:3] == [HDR_W, b"\x04"]:
                st.eq(f[3], b"client-%d" % len(replies), "the reply goes to the request's client")
                replies.append(msgpack.unpackb(f[5], raw=False))
    finally:
        r.close(0)
        stack.kill("scheduling")
    st.eq(len(replies), 2, f"scheduling answered both requests (log: {stack.log('scheduling')[-800:]})")
    return replies


@st.test(services=[], start=False)
def with_curve_a_request_without_the_caller_frame_is_refused(stack):
    """A request that did not come through the broker's authenticated path
    carries no caller frame: it is nobody, never a local admin."""
    without, with_frame = _fake_broker_serves_without_and_with_a_caller_frame(stack)
    st.eq(without["ok"], False, f"served without a caller: {str(without)[:300]}")
    st.eq(without["error"]["code"], "unauthenticated", f"the refusal: {without}")
    st.check("caller frame" in without["error"]["message"], f"says why: {without}")
    st.eq(with_frame["ok"], True, f"the same request with the frame is served: {str(with_frame)[:300]}")


@st.test(services=[], start=False, security="plain")
def in_plain_mode_too_the_caller_frame_comes_from_the_broker(stack):
    """In plain mode the broker vouches "local"/admin in the frame; the
    service itself still trusts no request without one."""
    without, with_frame = _fake_broker_serves_without_and_with_a_caller_frame(stack)
    st.eq(without["ok"], False, f"served without a caller: {str(without)[:300]}")
    st.eq(without["error"]["code"], "unauthenticated", f"the refusal: {without}")
    st.eq(with_frame["ok"], True, f"with the frame: {str(with_frame)[:300]}")


# ==== the broker's language ==================================================

@st.test(services=[])
def the_broker_answers_in_the_language_a_request_asks_for(stack):
    c = stack.client_as("subscriber")
    try:
        def ask(**extra):
            raw = c.request("broker", msgpack.packb({"op": "audit.list", "args": {}, **extra}))
            st.check(raw is not None, "the broker answers")
            return msgpack.unpackb(raw, raw=False)
        en, nl = ask(), ask(lang="nl")
        st.eq(en["error"]["code"], "permission_denied")
        st.check("needs one of the roles" in en["error"]["message"], f"English: {en}")
        st.eq(nl["error"]["code"], "permission_denied")
        st.check("vraagt een van de rollen" in nl["error"]["message"], f"Dutch: {nl}")
        bad = ask(lang="tlh")
        st.eq((bad["error"]["code"], bad["error"]["field"]), ("invalid_argument", "lang"))
        # The language is the request's only: the next one without lang is English.
        st.check("needs one of the roles" in ask()["error"]["message"], "back to English")
    finally:
        c.close()


@st.test(services=[], start=False, security="plain")
def the_brokers_start_errors_speak_the_deployments_language(stack):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1", SAMEN_LOCALE="nl")
    p = subprocess.run([stack.binary("broker"), "--config", stack.cfg_path,
                        "--endpoint", "tcp://0.0.0.0:5999"],
                       capture_output=True, text=True, timeout=20, env=env)
    st.eq(p.returncode, 2, f"exit status (stderr: {p.stderr})")
    st.check("moet op deze machine blijven" in p.stderr and "broker/endpoint" in p.stderr,
             f"in Dutch, naming the setting: {p.stderr!r}")


@st.test(services=[], start=False)
def broker_without_its_key_refuses_to_start_naming_the_setting(stack):
    os.unlink(os.path.join(stack.keys_dir, "broker.cert_secret"))
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    p = subprocess.run([stack.binary("broker"), "--config", stack.cfg_path],
                       capture_output=True, text=True, timeout=20, env=env)
    st.eq(p.returncode, 2, f"exit status (stderr: {p.stderr})")
    st.check("broker/key" in p.stderr, f"names the setting: {p.stderr!r}")


@st.test(services=[], start=False)
def service_with_a_secret_key_readable_by_others_refuses_to_start(stack):
    os.chmod(stack.secret_file("finance"), 0o644)
    stack.start("broker")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    p = subprocess.run([stack.binary("finance"), "--config", stack.cfg_path],
                       capture_output=True, text=True, timeout=20, env=env, cwd=stack.dir)
    st.eq(p.returncode, 2, f"exit status (stderr: {p.stderr})")
    st.check("chmod 600" in p.stderr, f"says what to do: {p.stderr!r}")


if __name__ == "__main__":
    st.main()
