#!/usr/bin/python3
"""The platform end to end: a request goes client -> broker -> service ->
broker -> client; every service answers service.info and events.read; an
event is stored with the state change and published after it; a follower
(intake) builds its copy from finance's events; a service nobody runs is
answered `unavailable` by the broker within its request expiry.

Real daemons (samen-broker, samen-finance, samen-intake) on private ipc
endpoints; see tests/lib/samentest.py.
"""
import functools
import time

import msgpack

import samentest as st

HILVERSUM = {"name": "Hilversum", "code": "GM0402", "inhabitants": 87817, "as_of": "2016-01-01"}
HILVERSUM_DATA = {"code": "GM0402", "name": "Hilversum", "inhabitants": 87817,
                  "as_of": "2016-01-01",
                  "counts": [{"inhabitants": 87817, "as_of": "2016-01-01"}]}


def stack_test(**kw):
    """st.test that closes the sockets the test opened (the ZeroMQ context
    waits for every socket at teardown)."""
    def wrap(f):
        @functools.wraps(f)
        def run(stack):
            stack.__dict__.setdefault("_own", [])
            try:
                f(stack)
            finally:
                for s in stack._own:
                    s.close()
        return st.test(**kw)(run)
    return wrap


def own(stack, thing):
    stack._own.append(thing)
    return thing


def now_ms():
    return int(time.time() * 1000)


def broker_status(stack):
    return stack.ok("broker", "status")


# ---- request round trip -----------------------------------------------------

@stack_test(services=["finance"])
def municipality_add_then_get_round_trips_through_the_broker(stack):
    added = stack.ok("finance", "municipality.add", HILVERSUM, rid="add-hilversum")
    st.eq(added, HILVERSUM_DATA, "municipality.add reply data")
    st.eq(stack.ok("finance", "municipality.get", {"municipality": "GM0402"}), HILVERSUM_DATA,
          "get by code")
    st.eq(stack.ok("finance", "municipality.get", {"municipality": "hilversum"}), HILVERSUM_DATA,
          "get by name, case-insensitive")
    st.eq(stack.ok("finance", "municipality.list"),
          {"municipalities": [HILVERSUM_DATA], "total_inhabitants": 87817}, "list")


@stack_test(services=["finance"])
def reply_frames_follow_mdp_client_final_from_the_service_named_in_the_request(stack):
    s = own(stack, stack.raw_client())
    s.send_multipart([b"MDPC02", b"\x01", b"finance",
                      msgpack.packb({"op": "municipality.list", "args": {}})])
    st.check(s.poll(5000), "a reply within 5 s")
    frames = s.recv_multipart()
    st.eq(len(frames), 4, "frames in the reply")
    st.eq(frames[:3], [b"MDPC02", b"\x03", b"finance"], "header, FINAL, service")
    st.eq(msgpack.unpackb(frames[3], raw=False),
          {"ok": True, "data": {"municipalities": [], "total_inhabitants": 0}}, "body")


@stack_test(services=["finance"])
def service_info_names_the_service_its_version_schema_last_seq_counts_and_ops(stack):
    before = stack.ok("finance", "service.info")
    st.eq(before["last_seq"], 0, "last_seq of a fresh store")
    st.eq(before["counts"]["municipalities"], 0, "municipalities counted in a fresh store")
    stack.ok("finance", "municipality.add", HILVERSUM, rid="r-info-1")
    stack.ok("finance", "municipality.count",
             {"municipality": "GM0402", "inhabitants": 90261, "as_of": "2020-01-01"},
             rid="r-info-2")
    info = stack.ok("finance", "service.info")
    st.eq(info["name"], "finance", "name")
    st.eq(info["version"], "0.1.0", "version")
    st.eq(info["schema_version"], 3, "schema_version (3: decided contributions, hours, owners of grant applications)")
    st.eq(info["last_seq"], 2, "last_seq after two writes")
    st.eq(info["counts"]["municipalities"], 1, "municipalities counted")
    st.eq(info["workers"], 8, "worker connections (workers = 8 in the test config)")
    st.eq(info["ops"][:3], ["service.info", "events.read", "store.backup"], "built-in ops first")
    for op in ("municipality.add", "municipality.count", "municipality.get", "municipality.list"):
        st.check(op in info["ops"], f"{op} listed in ops")
    st.eq(len(set(info["ops"])), len(info["ops"]), "each op listed once")
    st.check(isinstance(info["uptime_s"], int) and 0 <= info["uptime_s"] < 60,
             f"uptime_s is a small whole number, got {info['uptime_s']!r}")
    st.check(info["store_bytes"] > 0 and info["map_bytes"] >= info["store_bytes"],
             f"store_bytes {info['store_bytes']} within map_bytes {info['map_bytes']}")
    st.eq(info["requests"], before["requests"] + 3, "requests counted (info, add, count)")


@stack_test(services=["finance"])
def events_read_returns_the_stored_event_with_seq_ts_type_and_data_without_personal_data(stack):
    t0 = now_ms()
    stack.ok("finance", "municipality.add", HILVERSUM, rid="r-ev-1")
    t1 = now_ms()
    d = stack.ok("finance", "events.read", {"after": 0})
    st.eq(d["last_seq"], 1, "last_seq")
    st.eq(len(d["events"]), 1, "one event stored")
    ev = d["events"][0]
    st.eq(sorted(ev), ["data", "seq", "ts", "type"], "event keys")
    st.eq(ev["seq"], 1, "seq")
    st.eq(ev["type"], "finance.municipality.added", "type")
    st.check(t0 - 1000 <= ev["ts"] <= t1 + 1000,
             f"ts {ev['ts']} is unix milliseconds of the write (between {t0} and {t1})")
    # A municipality is public, not a person: its code, name and count only.
    st.eq(ev["data"], {"code": "GM0402", "name": "Hilversum", "inhabitants": 87817,
                       "as_of": "2016-01-01"}, "event data")
    info = stack.ok("finance", "service.info")
    st.eq(stack.ok("finance", "events.read", {"after": 1}),
          {"events": [], "last_seq": 1, "instance": info["instance"], "epoch": 1,
           "epoch_from": 0, "epoch_prev": 0}, "nothing after the last seq; who the producer is")


@stack_test(services=["finance"])
def events_read_pages_in_seq_order_without_gaps(stack):
    for i in range(1, 8):
        stack.ok("finance", "municipality.add",
                 {"name": f"Gemeente {i}", "code": f"GM{i:04d}", "inhabitants": 1000 + i,
                  "as_of": "2019-01-01"}, rid=f"r-page-{i}")
    page1 = stack.ok("finance", "events.read", {"after": 0, "limit": 3})
    st.eq([e["seq"] for e in page1["events"]], [1, 2, 3], "first page")
    st.eq(page1["last_seq"], 7, "last_seq on every page")
    page2 = stack.ok("finance", "events.read", {"after": 3, "limit": 3})
    st.eq([e["seq"] for e in page2["events"]], [4, 5, 6], "second page")
    page3 = stack.ok("finance", "events.read", {"after": 6, "limit": 3})
    st.eq([e["seq"] for e in page3["events"]], [7], "last page")
    st.eq([e["data"]["code"] for e in page1["events"] + page2["events"] + page3["events"]],
          [f"GM{i:04d}" for i in range(1, 8)], "events in the order of the writes")


@stack_test(services=["finance"])
def refused_write_stores_no_event_and_no_state(stack):
    stack.ok("finance", "municipality.add", HILVERSUM, rid="r-first")
    stack.refused("finance", "municipality.add",
                  {"name": "Hilversum", "code": "GM9999", "inhabitants": 1, "as_of": "2016-01-01"},
                  code="already_exists", field="name", rid="r-dup-name")
    stack.refused("finance", "municipality.count",
                  {"municipality": "GM0402", "inhabitants": 1, "as_of": "2016-01-01"},
                  code="conflict", field="as_of", rid="r-conflicting-count")
    st.eq(stack.ok("finance", "events.read", {"after": 0})["last_seq"], 1, "last_seq")
    st.eq(stack.ok("finance", "municipality.list")["municipalities"], [HILVERSUM_DATA], "list")


@stack_test(services=["finance"])
def event_is_published_live_with_the_exact_bytes_of_the_stored_event(stack):
    # the services' own subscriptions are counted too (distinct prefixes)
    base = broker_status(stack)["subscriptions"]
    sub = own(stack, stack.subscriber("finance."))
    st.wait_until(lambda: broker_status(stack)["subscriptions"] == base + 1, 5.0,
                  "the broker to see the subscription")
    time.sleep(0.2)  # the subscription travels on to finance's PUB socket
    stack.ok("finance", "municipality.add", HILVERSUM, rid="r-live")
    st.check(sub.poll(3000), "an event arrives within 3 s")
    topic, body = sub.recv_multipart()
    st.eq(topic, b"finance.municipality.added", "topic frame")
    stored = stack.ok("finance", "events.read", {"after": 0})["events"][0]
    st.eq(msgpack.unpackb(body, raw=False), stored, "published event equals the stored one")
    st.check(not sub.poll(300), "exactly one event published for one write")


@stack_test(services=["finance", "intake"])
def intake_keeps_a_copy_of_finance_municipalities_from_its_events(stack):
    for i in range(1, 6):
        stack.ok("finance", "municipality.add",
                 {"name": f"Gemeente {i}", "code": f"GM{i:04d}", "inhabitants": 100 * i,
                  "as_of": "2019-01-01"}, rid=f"r-copy-{i}")
    stack.ok("finance", "municipality.count",
             {"municipality": "GM0001", "inhabitants": 150, "as_of": "2020-01-01"},
             rid="r-copy-count")

    def caught_up():
        info = stack.ok("intake", "service.info")
        return info if info["following"].get("finance") == 6 else None
    info = st.wait_until(caught_up, 10.0, "intake to follow finance up to seq 6")
    st.eq(info["counts"]["municipalities_known"], 5, "intake's copy")
    st.eq(info["last_seq"], 0, "following emits no events of intake's own")


@stack_test(services=["finance", "intake"])
def follower_started_late_backfills_every_event_from_the_log(stack):
    stack.stop("intake")
    for i in range(1, 4):
        stack.ok("finance", "municipality.add",
                 {"name": f"Gemeente {i}", "code": f"GM{i:04d}", "inhabitants": 10 * i,
                  "as_of": "2019-01-01"}, rid=f"r-late-{i}")
    stack.start("intake")
    info = st.wait_until(
        lambda: (lambda i: i if i["following"].get("finance") == 3 else None)(
            stack.ok("intake", "service.info")), 10.0, "intake to backfill up to seq 3")
    st.eq(info["counts"]["municipalities_known"], 3, "intake's copy after backfill")


# ---- the broker -------------------------------------------------------------

@stack_test(services=["finance"])
def mmi_answers_200_for_a_running_service_and_404_for_one_not_running(stack):
    st.eq(stack.mmi("finance"), "200", "finance")
    st.eq(stack.mmi("intake"), "404", "intake (not started)")


@stack_test(services=["finance"], broker={"request_expiry_ms": "800"})
def request_for_a_service_with_no_worker_gets_unavailable_within_the_configured_expiry(stack):
    t0 = time.monotonic()
    r = stack.call("scheduling", "service.info", timeout=5.0)
    dt = time.monotonic() - t0
    st.eq(r["ok"], False, "ok")
    st.eq(r["error"]["code"], "unavailable", "code")
    st.check("scheduling" in r["error"]["message"], "the message names the service")
    st.check("samen-scheduling" in r["error"]["message"], "and asks whether samen-scheduling runs")
    st.check(0.7 <= dt <= 2.0, f"answered after {dt:.2f}s; expected about 0.8 s (the expiry)")
    st.check(broker_status(stack)["requests_expired"] >= 1, "the broker counted the expiry")


@stack_test(services=["finance"], broker={"request_expiry_ms": "300"})
def a_service_that_is_not_samens_is_never_called_samen_something(stack):
    r = stack.call("acme.invoices", "ping", timeout=5.0)
    st.eq(r["error"]["code"], "unavailable", "code")
    st.check("acme.invoices" in r["error"]["message"], f"names the service: {r}")
    st.check("samen-acme" not in r["error"]["message"], f"no samen-acme.invoices: {r}")
    st.check("registered" in r["error"]["message"], f"asks whether a worker registered: {r}")


@stack_test(services=["finance"])
def broker_status_lists_the_registered_service_with_its_workers(stack):
    def rows():
        return {row["name"]: row for row in broker_status(stack)["services"]}
    # registered as soon as one connection is READY; the other seven follow
    st.wait_until(lambda: rows()["finance"]["workers"] == 8, 5.0,
                  "finance's 8 worker connections (workers = 8 in the test config)")
    now = rows()
    st.eq(now["finance"]["idle"], 8, "all idle")
    st.eq(now["finance"]["queued"], 0, "nothing queued")
    st.check("intake" not in now or now["intake"]["workers"] == 0, "intake has no workers")


if __name__ == "__main__":
    st.main()
