"""One fake samen service for the integration tests.

A test that must control exactly what a service is told (what intake says a
participant is called, which events scheduling published and in what order)
runs this stand-in instead of the real daemon. It speaks the same contract
as a samen service (PROTOCOL.md):

- an MDP/0.2 worker on one DEALER socket: claims its name with its own key
  (§8), READY, heartbeats both ways, registers again after DISCONNECT or a
  silent broker; it answers
    events.read {after, limit} -> {events, last_seq} from an in-memory log,
    every op in `handlers` (op -> function(args) -> data; None answers
      not_found, an exception invalid_argument naming its text),
  and refuses any other op with invalid_argument, field "op";
- a PUB socket on the broker's events-in endpoint, with the service's key,
  that publishes every event it logs (topic frame, then {seq, ts, type, data}).

    svc = FakeService(stack, "scheduling", handlers={"session.get": get})
    seq = svc.emit("scheduling.session.held", {...})
    svc.publish(seq)          # the same event live once more (a duplicate)
    svc.calls["events.read"]  # how often each op was asked
    svc.close()               # before the test ends

emit(), publish() and close() belong to the test's thread; the worker runs
in a thread of its own and shares only the log (under a lock).
"""
import threading
import time

import msgpack
import zmq

import samentest as st

W = b"MDPW02"
W_READY, W_REQUEST, W_FINAL, W_HEARTBEAT, W_DISCONNECT = b"\x01", b"\x02", b"\x04", b"\x05", b"\x06"


class FakeService:
    """A stand-in for samen service `name` (see the module docstring).

    live=False keeps emitted events in the log without publishing them
    (a subscriber then finds them only through events.read)."""

    def __init__(self, stack, name, handlers=None, heartbeat_s=0.25, live=True):
        self.stack, self.name, self.heartbeat_s, self.live = stack, name, heartbeat_s, live
        self.handlers = dict(handlers or {})
        self.events = []
        self.calls = {}
        self.lock = threading.Lock()
        self.ctx = zmq.Context()
        self.pub = self.ctx.socket(zmq.PUB)
        self.pub.linger = 0
        self.pub.sndhwm = 0  # keep every event of a burst; the broker may still drop
        stack.curve(self.pub, name)  # the service's own key: it may publish name.*
        self.pub.connect(stack.events_in_ep)
        self.running = True
        self.thread = threading.Thread(target=self._serve, name=f"fake-{name}", daemon=True)
        self.thread.start()
        # Let the worker register and the broker's subscriptions reach the
        # PUB socket before the first event (the slow joiner).
        st.wait_until(lambda: stack.mmi(name, timeout=0.5) == "200", 10,
                      f"the fake {name} to register with the broker")
        time.sleep(0.3)

    @property
    def last_seq(self):
        with self.lock:
            return len(self.events)

    @property
    def reads(self):
        """How often events.read was asked."""
        with self.lock:
            return self.calls.get("events.read", 0)

    def emit(self, type_, data, live=None):
        """Log an event and publish it (unless live, or the fake, says not);
        returns its seq."""
        with self.lock:
            ev = {"seq": len(self.events) + 1, "ts": int(time.time() * 1000), "type": type_,
                  "data": data}
            self.events.append(ev)
        if self.live if live is None else live:
            self.publish(ev["seq"])
        return ev["seq"]

    def publish(self, seq):
        """Publish logged event seq (again)."""
        with self.lock:
            ev = self.events[seq - 1]
        self.pub.send_multipart([ev["type"].encode(), msgpack.packb(ev)])

    def close(self):
        self.running = False
        self.thread.join(5)
        self.pub.close(0)
        self.ctx.term()

    # -- the worker thread
    @staticmethod
    def _refusal(code, field, message):
        return msgpack.packb({"ok": False, "error": {"code": code, "field": field,
                                                     "message": message}})

    def _answer(self, body):
        try:
            req = msgpack.unpackb(body, raw=False)
            op, args = req.get("op"), req.get("args") or {}
        except Exception:  # noqa: BLE001 - a body that is not MessagePack
            return self._refusal("invalid_argument", "body", "not a MessagePack map")
        with self.lock:
            self.calls[op] = self.calls.get(op, 0) + 1
        try:
            if op in self.handlers:
                data = self.handlers[op](args)
                if data is None:
                    return self._refusal("not_found", "", f"the fake {self.name} has none")
            elif op == "events.read":
                after, limit = int(args.get("after", 0)), int(args.get("limit", 100))
                with self.lock:
                    data = {"events": self.events[after:after + limit],
                            "last_seq": len(self.events)}
            else:
                return self._refusal("invalid_argument", "op",
                                     f"the fake {self.name} does not answer {op!r}")
        except Exception as e:  # noqa: BLE001 - every bad request gets a refusal
            return self._refusal("invalid_argument", "op", str(e))
        return msgpack.packb({"ok": True, "data": data})

    def _connect(self):
        # As a samen service does: claim the name (PROTOCOL.md §8), then READY.
        self.stack.claim(self.name, ctx=self.ctx)
        s = self.ctx.socket(zmq.DEALER)
        s.linger = 0
        self.stack.curve(s, self.name)
        s.connect(self.stack.broker_ep)
        s.send_multipart([W, W_READY, self.name.encode()])
        return s

    def _serve(self):
        sock = self._connect()
        last_send = last_recv = time.monotonic()
        while self.running:
            if sock.poll(int(self.heartbeat_s * 500)):
                frames = sock.recv_multipart()
                last_recv = time.monotonic()
                if len(frames) >= 5 and frames[1] == W_REQUEST:
                    sock.send_multipart([W, W_FINAL, frames[2], b"", self._answer(frames[4])])
                    last_send = time.monotonic()
                elif len(frames) >= 2 and frames[1] == W_DISCONNECT:
                    sock.close(0)
                    sock = self._connect()
            now = time.monotonic()
            if now - last_recv > self.heartbeat_s * 8:  # broker gone: register again
                sock.close(0)
                sock = self._connect()
                last_recv = now
            if now - last_send >= self.heartbeat_s:
                sock.send_multipart([W, W_HEARTBEAT])
                last_send = now
        sock.send_multipart([W, W_DISCONNECT])
        sock.close(0)
