"""Helpers of the broker-pair suites (tests/integration/test_cluster.py on
loopback, test_cluster_hosts.py across network namespaces): one broker's
view of the workers, a register write's bytes, the interop client's keys.

    import clustertest as ct
    st.wait_until(lambda: ct.registered_everywhere(stack, ["broker", "broker2"], st.ALL), 15)
"""
import msgpack


def workers_at(stack, broker):
    """{service: workers} in one broker's `broker status`."""
    import samentest as st
    c = stack.broker_client(broker)
    try:
        r = c.call("broker", "status", timeout=2.0)
    finally:
        c.close()
    st.check(r.get("ok"), f"{broker} status: {r!r}")
    return {s["name"]: s["workers"] for s in r["data"]["services"]}


def registered_everywhere(stack, brokers, services):
    """True when each of services has a worker at each of brokers."""
    for b in brokers:
        w = stack._try(lambda: workers_at(stack, b)) or {}
        if any(w.get(s, 0) < 1 for s in services):
            return False
    return True


def register_body(rid, n):
    """The bytes of intake participant.register number n with request id rid."""
    return msgpack.packb({"op": "participant.register",
                          "args": {"name": f"Deelnemer {n}", "consent": True},
                          "rid": rid})


def curve_kw(stack):
    """The interop client's CurveZMQ keys (the admin key) when the stack has
    keys (PROTOCOL.md §8), else nothing."""
    keys = getattr(stack, "keys_of", lambda name: None)("admin")
    if keys is None:
        return {}
    return {"curve": (stack.server_key.encode(), keys[0].encode(), keys[1].encode())}
