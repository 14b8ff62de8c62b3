"""Interop: a client and a subscriber in Python (pyzmq + msgpack, not our C code), built from
proto/PROTOCOL.md alone (tests/interop/samen_client.py), make requests and follow events
through the real broker and services, with CurveZMQ keys read from the certificate files
(PROTOCOL.md §8)."""
import os
import signal
import sys
import threading

import zmq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import samentest as st  # noqa: E402  (only to start and stop the daemons)
from samen_client import (SamenClient, SamenError, SamenSubscriber,  # noqa: E402
                          load_certificate)


def keys(stack, name="admin"):
    """(broker public, own public, own secret) from the stack's certificate files."""
    server = load_certificate(os.path.join(stack.keys_dir, "broker.cert"))[0]
    return (server, *load_certificate(stack.secret_file(name)))

MUNIS = [("Blaricum", "GM0376", 9616), ("Eemnes", "GM0317", 8877),
         ("Gooise Meren", "GM1942", 56687), ("Hilversum", "GM0402", 87817)]


@st.test(services=["finance", "intake"])
def python_client_makes_requests_and_gets_errors_as_documented(stack):
    c = SamenClient(stack.broker_ep, timeout=5, curve=keys(stack))
    st.check(c.has_service("finance"), "mmi.service says finance is there")
    st.check(not c.has_service("nosuch"), "mmi.service says nosuch is not")
    d = c.call("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                               "inhabitants": 10962, "as_of": "2016-01-01"},
               write=True, rid="interop-1")
    st.eq(d["code"], "GM0417")
    again = c.call("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                                   "inhabitants": 10962, "as_of": "2016-01-01"},
                   rid="interop-1")
    st.eq(again, d, "a retry with the same rid gets the original reply")
    try:
        c.call("finance", "municipality.add", {"name": "X", "code": "XX1", "inhabitants": 1,
                                               "as_of": "2016-01-01"}, write=True)
        raise st.Failure("a bad code was accepted")
    except SamenError as e:
        st.eq((e.code, e.field), ("invalid_argument", "code"))
    info = c.call("intake", "service.info")
    st.eq(info["name"], "intake")
    status = c.call("broker", "status")
    st.check(any(s["name"] == "finance" and s["workers"] > 0 for s in status["services"]),
             "broker status lists finance with workers")


@st.test(services=["finance"])
def python_subscriber_sees_every_event_once_in_order_across_a_broker_restart(stack):
    c = SamenClient(stack.broker_ep, timeout=3, retries=3, curve=keys(stack))
    sub = SamenSubscriber(stack.events_out_ep, c, ["finance"])
    gen = sub.events(timeout=30)
    seen = []
    for name, code, inh in MUNIS[:2]:
        c.call("finance", "municipality.add", {"name": name, "code": code, "inhabitants": inh,
                                               "as_of": "2016-01-01"}, write=True)
    while len(seen) < 2:
        seen.append(next(gen))
    stack.kill("broker", signal.SIGKILL)
    stack.start("broker")
    stack.wait_ready("finance")
    for name, code, inh in MUNIS[2:]:
        c.call("finance", "municipality.add", {"name": name, "code": code, "inhabitants": inh,
                                               "as_of": "2016-01-01"}, write=True)
    while len(seen) < 4:
        seen.append(next(gen))
    st.eq([ev["seq"] for _, ev in seen], [1, 2, 3, 4], "seqs, each once, in order")
    st.eq([ev["data"]["code"] for _, ev in seen], [m[1] for m in MUNIS])
    st.eq({ev["type"] for _, ev in seen}, {"finance.municipality.added"})


@st.test(services=["finance"])
def third_party_key_made_on_its_own_side_connects_after_key_new_with_its_public_key(stack):
    # PROTOCOL.md §8.2: the integrator makes the pair; only the public key travels.
    public, secret = zmq.curve_keypair()
    server = load_certificate(os.path.join(stack.keys_dir, "broker.cert"))[0]
    c = SamenClient(stack.broker_ep, timeout=1, retries=0, curve=(server, public, secret))
    try:
        c.call("broker", "status")
        raise st.Failure("an unknown key was served")
    except SamenError as e:
        st.eq(e.code, "deadline_exceeded", "an unknown key gets no answer at all")
    rc, out, err = stack.ctl("key", "new", "acme-sync", "--role", "subscriber",
                             "--public-key", public.decode())
    st.eq(rc, 0, f"samenctl key new --public-key: {err}")
    st.check(not os.path.exists(stack.secret_file("acme-sync")), "no secret file is made")
    c = SamenClient(stack.broker_ep, timeout=3, retries=3, curve=(server, public, secret))
    st.wait_until(lambda: c.has_service("finance"), 10, "the new key to be trusted")
    admin = SamenClient(stack.broker_ep, timeout=5, curve=keys(stack))
    admin.call("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                               "inhabitants": 10962, "as_of": "2016-01-01"},
               write=True)
    sub = SamenSubscriber(stack.events_out_ep, c, ["finance"])
    name, ev = next(sub.events(timeout=10))
    st.eq((name, ev["seq"], ev["type"]), ("finance", 1, "finance.municipality.added"))


@st.test(services=["finance"])
def a_client_whose_handshake_was_refused_is_not_stuck(stack):
    # libzmq drops a connection whose CURVE handshake the broker refused,
    # and a DEALER without a connection blocks a send: the client must
    # give up on that try within its timeout, not hang (it did, at random,
    # when a new key was used before the broker had read it).
    public, secret = zmq.curve_keypair()
    server = load_certificate(os.path.join(stack.keys_dir, "broker.cert"))[0]
    c = SamenClient(stack.broker_ep, timeout=0.5, retries=1, curve=(server, public, secret))
    done = {}

    def ask():
        done["mmi"] = [c.has_service("finance") for _ in range(4)]
        try:
            c.call("broker", "status")
        except SamenError as e:
            done["code"] = e.code
    t = threading.Thread(target=ask, daemon=True)
    t.start()
    t.join(20)
    st.check(not t.is_alive(), "the client hangs on a connection whose handshake was refused")
    st.eq(done.get("mmi"), [False] * 4, "an unknown key finds no service")
    st.eq(done.get("code"), "deadline_exceeded", "and gets no answer")
    c.close()


if __name__ == "__main__":
    st.main()
