"""A samen client and subscriber in plain Python, written from proto/PROTOCOL.md alone.

Needs only pyzmq and msgpack (Debian: python3-zmq, python3-msgpack). Integrators may copy it.

    # CurveZMQ (PROTOCOL.md §8): the broker's public key and your own pair
    server = load_certificate("broker.cert")[0]
    public, secret = load_certificate("acme-sync.cert_secret")
    c = SamenClient("tcp://127.0.0.1:5555", curve=(server, public, secret))
    data = c.call("finance", "municipality.list")           # reads
    data = c.call("finance", "municipality.add", {...}, write=True)   # writes carry a rid

    s = SamenSubscriber("tcp://127.0.0.1:5557", c, ["finance"])     # same keys as c
    for service, event in s.events(timeout=10):
        print(service, event["seq"], event["type"], event["data"])

A broker pair (PROTOCOL.md §9): give both, in a list or comma-separated, to the
client ("tcp://a:5555,tcp://b:5555") and the subscriber ("tcp://a:5557,tcp://b:5557").
"""
import os
import struct
import time

import msgpack
import zmq


def load_certificate(path):
    """(public, secret) Z85 bytes from a czmq certificate file (PROTOCOL.md §8.1): ZPL text
    with a `curve` section holding public-key and, in a secret certificate, secret-key.
    secret is None for a public certificate."""
    keys, section = {}, None
    with open(path) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue  # blank or a comment line (Z85 keys may hold '#', so only whole lines)
            if not line[0].isspace():
                section = line.strip()
            elif section == "curve" and "=" in line:
                name, value = line.split("=", 1)
                value = value.strip()
                if value.startswith('"'):
                    value = value[1:value.rindex('"')]
                keys[name.strip()] = value.encode()
    if "public-key" not in keys:
        raise ValueError(f"{path} is not a CurveZMQ certificate (no curve/public-key)")
    return keys["public-key"], keys.get("secret-key")


def _curve(sock, curve):
    """Make sock a CurveZMQ client: curve = (server public, own public, own secret), Z85."""
    if curve:
        sock.curve_serverkey, sock.curve_publickey, sock.curve_secretkey = curve


class SamenError(Exception):
    def __init__(self, code, message, field=""):
        super().__init__(f"{code}: {message}" + (f" (field {field})" if field else ""))
        self.code, self.message, self.field = code, message, field


def endpoints(given):
    """A list of endpoints from one, a list, or "EP,EP" (a broker pair)."""
    items = given if isinstance(given, (list, tuple)) else given.split(",")
    return [e.strip() for e in items if e.strip()]


# Monitor events (zmq_socket_monitor) that mean the broker can not be reached
# now: the connection dropped (the broker died, or the ZMTP heartbeats went
# unanswered), a connect failed, or the handshake (CURVE) failed or timed out.
LOST_EVENTS = (zmq.EVENT_DISCONNECTED | zmq.EVENT_CONNECT_RETRIED |
               zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL |
               zmq.EVENT_HANDSHAKE_FAILED_AUTH)


class SamenClient:
    """MDP/0.2 client: one DEALER, one request at a time, retry with the same rid.

    With several brokers it talks to one at a time and moves to the next when
    one does not answer (or answers "unavailable"), staying with the one that
    answers (PROTOCOL.md §9). A dead broker is noticed without waiting out the
    timeout: ZMTP heartbeats every link_heartbeat seconds (three unanswered
    and libzmq drops the connection) and a socket monitor; a dropped, refused
    or unfinished connection sends the same bytes to the next broker at once.
    curve: (broker public key, own public key, own secret key) as Z85 bytes,
    or None for a broker in plain mode (a pair shares one broker key)."""

    def __init__(self, endpoint, timeout=5.0, retries=2, ctx=None, curve=None,
                 link_heartbeat=0.5):
        self.endpoints, self.timeout = endpoints(endpoint), timeout
        self.retries = max(retries, len(self.endpoints) - 1)  # every broker once at least
        self.link_ms = int(link_heartbeat * 1000)
        self.current = 0
        self.curve = curve
        self.ctx = ctx or zmq.Context.instance()
        self.sock = self.monitor = None
        self._open()

    @property
    def endpoint(self):
        return self.endpoints[self.current]

    def _open(self):
        self.close()
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.setsockopt(zmq.LINGER, 0)
        # PROTOCOL.md §9: ZMTP heartbeats, and give up on a connect or a
        # handshake after three intervals (heartbeats start after it).
        for opt, value in ((zmq.HEARTBEAT_IVL, self.link_ms),
                           (zmq.HEARTBEAT_TIMEOUT, 3 * self.link_ms),
                           (zmq.CONNECT_TIMEOUT, 3 * self.link_ms),
                           (zmq.HANDSHAKE_IVL, 3 * self.link_ms)):
            self.sock.setsockopt(opt, value)
        # A DEALER blocks a send while it has no connection (one whose
        # handshake was refused is not kept): never longer than a try.
        self.sock.setsockopt(zmq.SNDTIMEO, max(1, int(self.timeout * 1000)))
        _curve(self.sock, self.curve)  # before connect (PROTOCOL.md §8.2)
        self.monitor = self.sock.get_monitor_socket(LOST_EVENTS)  # before connect too
        self.sock.connect(self.endpoint)

    def close(self):
        if self.sock is not None:
            self.sock.disable_monitor()
            self.monitor.close(linger=0)
            self.sock.close(linger=0)
        self.sock = self.monitor = None

    def _reopen(self):
        """A broker that did not answer: a new socket, to the next broker."""
        self.current = (self.current + 1) % len(self.endpoints)
        self._open()

    def lost(self):
        """True when the monitor reports the broker lost since the last look."""
        lost = False
        while self.monitor.poll(0, zmq.POLLIN):
            frames = self.monitor.recv_multipart()
            event = struct.unpack("=H", frames[0][:2])[0] if len(frames[0]) == 6 else 0
            lost = lost or bool(event & LOST_EVENTS)
        return lost

    def _wait(self, timeout):
        """The reply's frames, or "timeout", or "lost"."""
        poller = zmq.Poller()
        poller.register(self.sock, zmq.POLLIN)
        poller.register(self.monitor, zmq.POLLIN)
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return "timeout"
            ready = dict(poller.poll(int(left * 1000) + 1))
            if self.sock in ready:  # a reply that came before the link went counts
                return self.sock.recv_multipart()
            if self.monitor in ready and self.lost():
                return "lost"

    def call(self, service, op, args=None, write=False, rid=None):
        """Send op to service; return the reply's data or raise SamenError.

        A try ends with the reply, after `timeout` (it counts against
        retries) or as soon as the broker is found lost (it does not count);
        the whole call ends within (retries + 1) x timeout. A broker found
        lost is not tried again within link_heartbeat of that."""
        body = {"op": op, "args": args or {}}
        if write or rid:
            body["rid"] = rid or "py-" + os.urandom(12).hex()
        raw = msgpack.packb(body, use_bin_type=True)
        end = time.monotonic() + (self.retries + 1) * self.timeout
        lost_at = {}
        timeouts, attempt = 0, 0
        while timeouts <= self.retries and time.monotonic() < end:
            if attempt:
                self._reopen()  # PROTOCOL.md §2: new socket, same bytes, same rid
                if self.current in lost_at:
                    pause = lost_at[self.current] + self.link_ms / 1000 - time.monotonic()
                    time.sleep(max(0.0, min(pause, end - time.monotonic())))
            attempt += 1
            self.lost()  # what the link did before this try is no news
            try:
                self.sock.send_multipart([b"MDPC02", b"\x01", service.encode(), raw])
            except zmq.Again:  # no connection for a whole try: as a timeout
                timeouts += 1
                continue
            got = self._wait(min(self.timeout, max(0.0, end - time.monotonic())))
            if got == "lost":
                lost_at[self.current] = time.monotonic()
                continue
            if got == "timeout":
                timeouts += 1
                continue
            frames = got
            if len(frames) < 4 or frames[0] != b"MDPC02" or frames[1] != b"\x03":
                raise SamenError("internal", f"unexpected reply frames {frames[:3]!r}")
            reply = msgpack.unpackb(frames[3], raw=False)
            if reply.get("ok"):
                return reply.get("data")
            e = reply.get("error") or {}
            if e.get("code") == "unavailable" and len(self.endpoints) > 1 and \
                    timeouts < self.retries:
                timeouts += 1
                continue  # the other broker may have the worker: same bytes, same rid
            raise SamenError(e.get("code", "internal"), e.get("message", ""), e.get("field", ""))
        self._reopen()
        raise SamenError("deadline_exceeded", f"no reply from {service} after {self.retries + 1} tries")

    def has_service(self, service):
        """MMI (RFC 8): True when a worker for service is registered."""
        try:
            self.sock.send_multipart([b"MDPC02", b"\x01", b"mmi.service", service.encode()])
        except zmq.Again:  # no connection (a refused handshake): try a new one next time
            self._reopen()
            return False
        if self.sock.poll(int(self.timeout * 1000), zmq.POLLIN):
            return self.sock.recv_multipart()[3] == b"200"
        self._reopen()
        return False


class SamenSubscriber:
    """Follows services' events: live through XPUB, gaps filled from events.read.
    Connects with the client's CurveZMQ keys."""

    def __init__(self, xpub_endpoint, client, services, cursors=None, prefix=None):
        self.client = client
        self.cursor = {s: 0 for s in services}
        self.cursor.update(cursors or {})
        self.sub = client.ctx.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        # ZMTP heartbeats as on the client's socket (PROTOCOL.md §9): a broker
        # behind a cut link is dropped and connected to again, not waited on.
        for opt, value in ((zmq.HEARTBEAT_IVL, client.link_ms),
                           (zmq.HEARTBEAT_TIMEOUT, 3 * client.link_ms),
                           (zmq.CONNECT_TIMEOUT, 3 * client.link_ms),
                           (zmq.HANDSHAKE_IVL, 3 * client.link_ms)):
            self.sub.setsockopt(opt, value)
        for s in services:  # subscribe BEFORE the first backfill (PROTOCOL.md §3)
            self.sub.setsockopt(zmq.SUBSCRIBE, (prefix or s + ".").encode())
        _curve(self.sub, client.curve)
        for ep in endpoints(xpub_endpoint):  # a pair: each event arrives twice,
            self.sub.connect(ep)            # the cursor passes it on once
        self.pending = []

    def _backfill(self, service):
        while True:
            try:
                d = self.client.call(service, "events.read",
                                     {"after": self.cursor[service], "limit": 500})
            except SamenError:
                return  # not reachable now; the next poll tries again
            for ev in d["events"]:
                if ev["seq"] == self.cursor[service] + 1:
                    self.cursor[service] = ev["seq"]
                    self.pending.append((service, ev))
            if not d["events"] or self.cursor[service] >= d["last_seq"]:
                return

    def events(self, timeout=None, poll_every=2.0):
        """Yield (service, event) in order per service, each exactly once."""
        end = None if timeout is None else time.monotonic() + timeout
        for s in self.cursor:
            self._backfill(s)
        next_poll = time.monotonic() + poll_every
        while end is None or time.monotonic() < end:
            while self.pending:
                yield self.pending.pop(0)
            if self.sub.poll(100, zmq.POLLIN):
                topic, body = self.sub.recv_multipart()[:2]
                service = topic.decode().split(".", 1)[0]
                if service not in self.cursor:
                    continue
                ev = msgpack.unpackb(body, raw=False)
                if ev["seq"] == self.cursor[service] + 1:
                    self.cursor[service] = ev["seq"]
                    self.pending.append((service, ev))
                elif ev["seq"] > self.cursor[service] + 1:
                    self._backfill(service)  # a gap: the log is the truth
                # seq <= cursor: a duplicate, skipped
            if time.monotonic() >= next_poll:
                for s in self.cursor:
                    self._backfill(s)
                next_poll = time.monotonic() + poll_every
        while self.pending:
            yield self.pending.pop(0)
