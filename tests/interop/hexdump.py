"""Print the frames of one real request, its reply, and one real event, as hex dumps
(the byte-level examples of proto/PROTOCOL.md §7). Starts its own stack:

    SAMEN_BIN=build/check PYTHONPATH=tests/lib /usr/bin/python3 tests/interop/hexdump.py
"""
import time

import msgpack
import zmq

import samentest as st


def dump(label, frames):
    print(f"{label}:")
    for i, f in enumerate(frames):
        print(f"  frame {i} ({len(f)} bytes)")
        for off in range(0, len(f), 16):
            chunk = f[off:off + 16]
            hexs = " ".join(f"{b:02x}" for b in chunk)
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            print(f"    {off:04x}  {hexs:<47}  {text}")
    print()


stack = st.Stack(services=["finance"], name="hexdump")
try:
    stack.up()
    sub = stack.subscriber("finance.")
    time.sleep(0.3)
    body = msgpack.packb({"op": "municipality.add",
                          "args": {"name": "Laren", "code": "GM0417", "inhabitants": 10962,
                                   "as_of": "2016-01-01"},
                          "rid": "r1"})
    req = [b"MDPC02", b"\x01", b"finance", body]
    s = stack.raw_client()
    s.send_multipart(req)
    reply = s.recv_multipart()
    ev = sub.recv_multipart()
    dump("request (client -> broker)", req)
    dump("reply (broker -> client)", reply)
    dump("event (XPUB -> subscriber)", ev)
    print("event decoded:", msgpack.unpackb(ev[1], raw=False))
    s.close(0)
    sub.close(0)
finally:
    stack.teardown()
    stack.cleanup()
