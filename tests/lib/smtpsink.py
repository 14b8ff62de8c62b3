"""smtpsink: a real SMTP server on loopback for the mail tests (Debian's
python3-aiosmtpd), started and stopped by the test on a private port.

    sink = SmtpSink()            # listens on 127.0.0.1:<free port>
    ... sink.port ...
    sink.wait_for(2)             # until two messages arrived (bounded)
    m = sink.messages[0]         # .mail_from, .rcpt_tos, .data (bytes), .msg (email.message)
    sink.stop()

Modes, for the failure tests:
    sink.refuse = "451 4.3.0 try again later"   # every DATA answered with this
    sink.refuse = "550 5.1.1 no such user"
    sink.hold = "before_store" | "after_store"  # DATA waits (sink.holding is set);
        before_store: the message is kept only if the client is still there
                      after the wait (a client that died never delivered it);
        after_store:  the message is kept at once, the answer comes after the
                      wait (the client may die before it hears "250").
    sink.release()               # end a hold
"""
import asyncio
import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Received:
    def __init__(self, envelope):
        self.mail_from = envelope.mail_from
        self.rcpt_tos = list(envelope.rcpt_tos)
        self.data = envelope.original_content or envelope.content
        if isinstance(self.data, str):
            self.data = self.data.encode()
        self.msg = email.message_from_bytes(self.data, policy=email.policy.default)


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        sink.attempts += 1
        if sink.refuse:
            return sink.refuse
        if sink.hold:
            mode = sink.hold
            if mode == "after_store":
                sink._keep(envelope)
            sink.holding.set()
            end = time.monotonic() + 20
            while not sink._released.is_set() and time.monotonic() < end:
                await asyncio.sleep(0.05)
            if mode == "before_store":
                transport = getattr(server, "transport", None)
                if transport is None or transport.is_closing():
                    return "451 4.3.0 the client went away"
                sink._keep(envelope)
            return "250 2.0.0 held and accepted"
        sink._keep(envelope)
        return "250 2.0.0 accepted"


class SmtpSink:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []
        self.attempts = 0
        self.refuse = None
        self.hold = None
        self.holding = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        self.controller = None
        self.start()

    def _keep(self, envelope):
        with self._lock:
            self.messages.append(Received(envelope))

    def start(self):
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                     ready_timeout=10)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.release()
            self.controller.stop()
            self.controller = None

    def release(self):
        self._released.set()

    def rearm(self):
        self.hold = None
        self.holding.clear()
        self._released.clear()

    def wait_for(self, n, timeout=20.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout}s waiting for {n} messages "
                             f"(got {len(self.messages)}, attempts {self.attempts})")
