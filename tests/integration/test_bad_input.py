#!/usr/bin/python3
"""Bad input is refused with a clear error naming the field, or dropped and
counted by the broker, and never crashes or corrupts anything (DESIGN.md §9).

Each test sends its bad bytes to a real samen-finance through a real
samen-broker, then checks the refusal, that the services still answer, and
that nothing was stored. The harness fails a test whose daemons leave a
sanitizer report or exit non-zero at teardown.
"""
import functools
import os
import time

import msgpack

import samentest as st

GOOD = {"name": "Hilversum", "code": "GM0402", "inhabitants": 87817, "as_of": "2016-01-01"}


def stack_test(**kw):
    """st.test on a finance-only stack that closes the test's own sockets
    and, at the end, checks that finance still serves and stored nothing."""
    kw.setdefault("services", ["finance"])

    def wrap(f):
        @functools.wraps(f)
        def run(stack):
            stack.__dict__.setdefault("_own", [])
            try:
                f(stack)
                still_serving_with_nothing_stored(stack)
            finally:
                for s in stack._own:
                    s.close()
        return st.test(**kw)(run)
    return wrap


def own(stack, thing):
    stack._own.append(thing)
    return thing


def still_serving_with_nothing_stored(stack):
    c = stack.new_client()  # a fresh connection: the test's own may have been dropped
    try:
        r = c.call("finance", "events.read", {"after": 0}, timeout=5.0)
        st.eq((r["ok"], r["data"]["events"], r["data"]["last_seq"], r["data"]["epoch"]),
              (True, [], 0, 1), "finance still answers and stored no event")
        r = c.call("finance", "municipality.list", timeout=5.0)
        st.eq(r["data"]["municipalities"], [], "finance stored no municipality")
    finally:
        c.close()


def send_raw(stack, body, service="finance", timeout=5.0):
    """Send body bytes as a one-frame request; the decoded reply."""
    raw = stack.client.request(service, body, timeout)
    if raw is None:
        raise st.Failure(f"no reply within {timeout}s to {body[:40]!r}")
    return msgpack.unpackb(raw, raw=False)


def refused(reply, code, field, *words):
    """Check a refusal: code, field, and words its message must contain."""
    st.eq(reply.get("ok"), False, f"ok (reply {reply!r})")
    err = reply["error"]
    st.eq(err["code"], code, f"code ({err['message']})")
    st.eq(err["field"], field, f"field ({err['message']})")
    for w in words:
        st.check(w in err["message"], f"message {err['message']!r} mentions {w!r}")
    return err


def envelope(op=b"\xa4" + b"list", args_raw=b"\x80"):
    """A request map packed by hand: {"op": op, "args": <args_raw bytes>}."""
    return b"\x82" + msgpack.packb("op") + op + msgpack.packb("args") + args_raw


def add(stack, **changes):
    args = dict(GOOD, **changes)
    return stack.call("finance", "municipality.add", args, rid=f"bad-{time.monotonic_ns()}")


def counters(stack):
    return stack.ok("broker", "status")


# ---- the body ---------------------------------------------------------------

@stack_test()
def malformed_msgpack_body_is_refused_naming_body(stack):
    refused(send_raw(stack, b"\xc1"), "invalid_argument", "body", "0xc1")
    refused(send_raw(stack, b"\x82\xa2op"), "invalid_argument", "body")
    refused(send_raw(stack, b""), "invalid_argument", "body", "empty")
    good = msgpack.packb({"op": "municipality.list", "args": {}})
    refused(send_raw(stack, good + b"\x00"), "invalid_argument", "body", "1 bytes follow")
    refused(send_raw(stack, good[:-1]), "invalid_argument", "body")


@stack_test()
def body_that_is_not_a_map_is_refused_naming_body(stack):
    for body in ([1, 2, 3], "municipality.list", 42, None, True):
        err = refused(send_raw(stack, msgpack.packb(body)), "invalid_argument", "body", "map")
        st.check('"op"' in err["message"], "the message shows the expected shape")


@stack_test()
def body_with_two_frames_is_refused_naming_body(stack):
    s = own(stack, stack.raw_client())
    one = msgpack.packb({"op": "municipality.list", "args": {}})
    s.send_multipart([b"MDPC02", b"\x01", b"finance", one, one])
    st.check(s.poll(5000), "a reply within 5 s")
    frames = s.recv_multipart()
    st.eq(frames[:3], [b"MDPC02", b"\x03", b"finance"], "reply header")
    refused(msgpack.unpackb(frames[3], raw=False), "invalid_argument", "body", "2 frames")


@stack_test()
def thousand_deep_nesting_is_refused_naming_body(stack):
    t0 = time.monotonic()
    refused(send_raw(stack, b"\x91" * 1000 + b"\xc0"), "invalid_argument", "body", "deeper")
    refused(send_raw(stack, envelope(args_raw=b"\x81\xa4name" + b"\x91" * 1000 + b"\xc0")),
            "invalid_argument", "body", "deeper")
    st.check(time.monotonic() - t0 < 2.0, "refused at once")


@stack_test()
def four_billion_elements_announced_in_five_bytes_are_refused_at_once(stack):
    for lie in (b"\xdd\xff\xff\xff\xff", b"\xdf\xff\xff\xff\xff", b"\xdb\xff\xff\xff\xff",
                b"\xc6\xff\xff\xff\xff"):
        t0 = time.monotonic()
        refused(send_raw(stack, lie), "invalid_argument", "body", "remain")
        st.check(time.monotonic() - t0 < 1.0, f"{lie!r} refused within 1 s")
    # the same lie as the args of a valid envelope
    t0 = time.monotonic()
    refused(send_raw(stack, envelope(op=msgpack.packb("municipality.add"),
                                     args_raw=b"\xdd\xff\xff\xff\xff")),
            "invalid_argument", "body", "4294967295")
    st.check(time.monotonic() - t0 < 1.0, "refused within 1 s")


# ---- the envelope -------------------------------------------------------------

@stack_test()
def unknown_op_is_refused_naming_op_and_listing_the_ops(stack):
    err = stack.refused("finance", "municipality.delete", {}, code="invalid_argument",
                        field="op")
    for w in ("municipality.delete", "finance", "municipality.add", "municipality.list",
              "service.info"):
        st.check(w in err["message"], f"message {err['message']!r} mentions {w}")


@stack_test()
def op_that_is_not_text_is_refused_naming_op(stack):
    refused(send_raw(stack, msgpack.packb({"op": 7, "args": {}})), "invalid_argument", "op",
            "text")
    refused(send_raw(stack, msgpack.packb({"args": {}})), "invalid_argument", "op", "required")
    refused(send_raw(stack, msgpack.packb({"op": "", "args": {}})), "invalid_argument", "op")


@stack_test()
def args_that_are_not_a_map_are_refused_naming_args(stack):
    refused(send_raw(stack, msgpack.packb({"op": "municipality.add", "args": [GOOD]})),
            "invalid_argument", "args")
    refused(send_raw(stack, msgpack.packb({"op": "municipality.add", "args": "GM0402"})),
            "invalid_argument", "args")


@stack_test()
def unknown_top_level_key_is_refused_naming_it(stack):
    err = refused(send_raw(stack, msgpack.packb({"op": "municipality.add", "args": GOOD,
                                                 "user": "admin"})),
                  "invalid_argument", "user", "unknown field")
    for w in ("op", "args", "rid"):
        st.check(w in err["message"], f"the message lists accepted field {w}")


@stack_test()
def request_id_that_is_too_long_or_not_text_is_refused_naming_rid(stack):
    refused(send_raw(stack, msgpack.packb({"op": "municipality.add", "args": GOOD,
                                           "rid": "r" * 65})),
            "invalid_argument", "rid", "64")
    refused(send_raw(stack, msgpack.packb({"op": "municipality.add", "args": GOOD, "rid": 12})),
            "invalid_argument", "rid", "text")
    # 64 characters is the most accepted
    r = send_raw(stack, msgpack.packb({"op": "municipality.list", "args": {}, "rid": "r" * 64}))
    st.eq(r["ok"], True, "a 64-character rid is accepted")


# ---- the args ------------------------------------------------------------------

@stack_test()
def wrong_field_types_are_refused_naming_the_field(stack):
    refused(add(stack, inhabitants="87817"), "invalid_argument", "inhabitants", "whole number",
            "text")
    refused(add(stack, inhabitants=1.5), "invalid_argument", "inhabitants", "whole number")
    refused(add(stack, inhabitants=-3), "invalid_argument", "inhabitants", "-3")
    refused(add(stack, inhabitants=True), "invalid_argument", "inhabitants")
    refused(add(stack, name=402), "invalid_argument", "name", "text")
    refused(add(stack, name=""), "invalid_argument", "name", "empty")
    refused(add(stack, name="x" * 200), "invalid_argument", "name", "at most")
    refused(add(stack, name=b"Hilversum"), "invalid_argument", "name", "text")
    refused(add(stack, code="XX0402"), "invalid_argument", "code", "GM0402")
    refused(add(stack, as_of="2016-13-01"), "invalid_argument", "as_of")
    refused(add(stack, as_of=20160101), "invalid_argument", "as_of", "a date like")


@stack_test()
def invalid_utf8_text_is_refused_naming_the_field(stack):
    body = (b"\x82" + msgpack.packb("op") + msgpack.packb("municipality.add") +
            msgpack.packb("args") + b"\x84" +
            msgpack.packb("name") + b"\xa3\xff\xfe\xfd" +
            msgpack.packb("code") + msgpack.packb("GM0402") +
            msgpack.packb("inhabitants") + msgpack.packb(10) +
            msgpack.packb("as_of") + msgpack.packb("2016-01-01"))
    refused(send_raw(stack, body), "invalid_argument", "name", "UTF-8")


@stack_test()
def missing_and_unknown_args_are_refused_naming_the_field(stack):
    args = dict(GOOD)
    del args["code"]
    refused(stack.call("finance", "municipality.add", args), "invalid_argument", "code",
            "required")
    refused(stack.call("finance", "municipality.add", dict(GOOD, email="a@b.nl")),
            "invalid_argument", "email", "unknown argument")


# ---- the broker's side -------------------------------------------------------------

@stack_test(broker={"request_expiry_ms": "800"})
def unknown_service_is_answered_unavailable_after_the_expiry(stack):
    t0 = time.monotonic()
    r = send_raw(stack, msgpack.packb({"op": "service.info"}), service="payroll")
    dt = time.monotonic() - t0
    refused(r, "unavailable", "", "payroll")
    st.check(0.7 <= dt <= 2.5, f"answered after {dt:.2f}s (expiry 0.8 s)")


@stack_test()
def service_name_with_spaces_or_control_bytes_is_refused_naming_service(stack):
    for name in (b"fin ance", b"fin\x00ance", b"x" * 300, b""):
        s = own(stack, stack.raw_client())
        s.send_multipart([b"MDPC02", b"\x01", name, msgpack.packb({"op": "service.info"})])
        st.check(s.poll(3000), f"a reply to service name {name[:20]!r}")
        frames = s.recv_multipart()
        st.eq(frames[:2], [b"MDPC02", b"\x03"], "reply header")
        refused(msgpack.unpackb(frames[3], raw=False), "invalid_argument", "service")


@stack_test()
def mdp_frame_with_a_wrong_protocol_header_is_dropped_and_counted(stack):
    before = counters(stack)["invalid_dropped"]
    s = own(stack, stack.raw_client())
    body = msgpack.packb({"op": "service.info"})
    s.send_multipart([b"MDPC01", b"\x01", b"finance", body])
    st.check(not s.poll(500), "no reply to an MDPC01 message")
    st.eq(counters(stack)["invalid_dropped"], before + 1, "invalid_dropped after MDPC01")
    s.send_multipart([b"MDPC02", b"\x07", b"finance", body])  # no such command
    s.send_multipart([b"MDPC02"])  # too few frames
    st.check(not s.poll(500), "no reply to a bad command or a truncated message")
    st.eq(counters(stack)["invalid_dropped"], before + 3, "invalid_dropped after three")
    # the same connection is still served
    s.send_multipart([b"MDPC02", b"\x01", b"finance", body])
    st.check(s.poll(5000), "a valid request on the same connection is answered")
    st.eq(msgpack.unpackb(s.recv_multipart()[3], raw=False)["ok"], True, "ok")


@stack_test(broker={"max_message_bytes": "65536"})
def frame_over_the_size_limit_is_dropped_and_both_daemons_keep_serving(stack):
    s = own(stack, stack.raw_client())
    huge = msgpack.packb({"op": "municipality.add", "args": dict(GOOD, name="x" * 70000)})
    s.send_multipart([b"MDPC02", b"\x01", b"finance", huge])
    st.check(not s.poll(1000), "no reply to a 70 kB frame over a 64 kB limit")
    st.eq(counters(stack)["max_message_bytes"], 65536, "the broker's limit")
    # just under the limit the service itself refuses the oversized field
    big = msgpack.packb({"op": "municipality.add", "args": dict(GOOD, name="x" * 60000)})
    refused(send_raw(stack, big), "invalid_argument", "name", "at most")


@st.test(services=["finance"], broker={"max_message_bytes": "16384"})
def reply_over_the_size_limit_is_refused_resource_exhausted_and_the_worker_stays(stack):
    for n in range(1, 141):  # about 130 bytes each in the list: over 16 kB together
        stack.ok("finance", "municipality.add",
                 {"name": f"Gemeente {n:04d} ".ljust(60, "x"), "code": f"GM{n:04d}",
                  "inhabitants": n, "as_of": "2020-01-01"})
    t0 = time.monotonic()
    r = stack.call("finance", "municipality.list", timeout=5.0)
    st.check(time.monotonic() - t0 < 1.0, "answered at once")
    refused(r, "resource_exhausted", "", "max_message_bytes")
    st.eq(stack.ok("broker", "status")["workers_lost"], 0, "workers lost by the broker")
    st.eq(stack.ok("finance", "municipality.get", {"municipality": "GM0001"})["inhabitants"], 1,
          "finance keeps serving")


if __name__ == "__main__":
    st.main()
