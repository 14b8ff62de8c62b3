"""Interop: a client and a subscriber in Python (pyzmq + msgpack, not our C code), built from
proto/PROTOCOL.md alone (tests/interop/samen_client.py), make requests and follow events
through the real broker and services."""
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import samentest as st  # noqa: E402  (only to start and stop the daemons)
from samen_client import SamenClient, SamenError, SamenSubscriber  # noqa: E402

MUNIS = [("Blaricum", "GM0376", 9616), ("Eemnes", "GM0317", 8877),
         ("Gooise Meren", "GM1942", 56687), ("Hilversum", "GM0402", 87817)]


@st.test(services=["finance", "intake"])
def python_client_makes_requests_and_gets_errors_as_documented(stack):
    c = SamenClient(stack.broker_ep, timeout=5)
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
    c = SamenClient(stack.broker_ep, timeout=3, retries=3)
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


if __name__ == "__main__":
    st.main()
