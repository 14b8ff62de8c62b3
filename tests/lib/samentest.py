"""samentest: whole-stack tests for samen, on private ipc endpoints.

Every test gets its own stack: a temporary directory, ipc:// endpoints and
data directories inside it, the real daemons (from $SAMEN_BIN, built with
AddressSanitizer and UBSan by `make check`) started with a generated
samen.cfg. On teardown every daemon still running gets SIGTERM; the test
fails if one exits non-zero or its log holds a sanitizer report.

    import samentest as st

    @st.test(services=["finance"])
    def municipality_add_round_trip(stack):
        r = stack.call("finance", "municipality.add", {...}, rid="r1")
        st.eq(r["ok"], True)

    if __name__ == "__main__":
        st.main()

Run with /usr/bin/python3 (Debian's python3-zmq and python3-msgpack).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import msgpack
import zmq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(os.environ.get("SAMEN_BIN", os.path.join(ROOT, "build", "check")))
ALL = ["intake", "scheduling", "reporting", "finance"]
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                       r"SUMMARY: UndefinedBehaviorSanitizer")

_tests = []


class Failure(AssertionError):
    pass


def eq(got, want, what=""):
    if got != want:
        raise Failure(f"{what + ': ' if what else ''}got {got!r}, expected {want!r}")


def check(cond, what):
    if not cond:
        raise Failure(what)


def wait_until(fn, timeout=10.0, what="condition", interval=0.05):
    """Poll fn() until it returns a true value; bounded by timeout."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise Failure(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class Client:
    """An MDP/0.2 client (RFC 18) in Python: DEALER, one request at a time."""

    def __init__(self, ctx, endpoint):
        self.ctx, self.endpoint = ctx, endpoint
        self.sock = None
        self._open()

    def _open(self):
        if self.sock is not None:
            self.sock.close(0)
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.linger = 0
        self.sock.connect(self.endpoint)

    def request(self, service, body, timeout=5.0, retries=0):
        for attempt in range(retries + 1):
            if attempt:
                self._open()
            self.sock.send_multipart([b"MDPC02", b"\x01", service.encode(), body])
            if self.sock.poll(int(timeout * 1000)):
                frames = self.sock.recv_multipart()
                if len(frames) != 4 or frames[0] != b"MDPC02" or frames[1] != b"\x03":
                    raise Failure(f"malformed reply frames {frames!r}")
                return frames[3]
        self._open()
        return None

    def call(self, service, op, args=None, rid=None, timeout=5.0, retries=0):
        body = {"op": op, "args": args or {}}
        if rid is not None:
            body["rid"] = rid
        raw = self.request(service, msgpack.packb(body), timeout, retries)
        if raw is None:
            raise Failure(f"no reply from {service} {op} within {timeout}s")
        return msgpack.unpackb(raw, raw=False, strict_map_key=False)

    def close(self):
        self.sock.close(0)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, services=None, broker=None, config=None, name="t"):
        self.services = list(ALL if services is None else services)
        self.dir = tempfile.mkdtemp(prefix=f"samen-{name[:12]}-", dir="/tmp")
        self.broker_ep = f"ipc://{self.dir}/broker"
        self.events_in_ep = f"ipc://{self.dir}/events-in"
        self.events_out_ep = f"ipc://{self.dir}/events-out"
        self.broker_opts = {"heartbeat_ms": "250", "heartbeat_liveness": "4",
                            "request_expiry_ms": "3000"}
        self.broker_opts.update(broker or {})
        self.config = config or {}
        self.procs = {}
        self.logs = {}
        self.ctx = zmq.Context()
        self._client = None
        self.cfg_path = os.path.join(self.dir, "samen.cfg")
        # Each daemon's /healthz, /readyz and /metrics on a port of this
        # stack's own (never the defaults 9560-9564 another run may hold).
        self.http_ports = {name: free_port() for name in ["broker"] + ALL}
        self.write_config()
        self.problems = []

    # ---- configuration -----------------------------------------------------
    def write_config(self):
        # Deployment-wide settings (samen/locale), when a test gives them.
        lines = []
        if self.config.get("samen"):
            lines = ["samen"] + [f'    {k} = "{v}"' for k, v in self.config["samen"].items()]
        lines += ["broker",
                 f'    endpoint = "{self.broker_ep}"',
                 f'    events_in = "{self.events_in_ep}"',
                 f'    events_out = "{self.events_out_ep}"']
        lines += [f'    {k} = "{v}"' for k, v in
                  dict({"http_port": self.http_ports["broker"]}, **self.broker_opts).items()]
        for svc in ALL:
            lines.append(svc)
            opts = {"data_dir": os.path.join(self.dir, "var", svc), "workers": "8",
                    "backfill_interval_ms": "500",
                    "backup_dir": os.path.join(self.dir, "backups", svc),
                    "http_port": self.http_ports[svc]}
            opts.update(self.config.get(svc, {}))
            for k, v in opts.items():
                if isinstance(v, dict):  # a nested section ("mail" in intake)
                    lines.append(f"    {k}")
                    lines += [f'        {k2} = "{v2}"' for k2, v2 in v.items()]
                else:
                    lines.append(f'    {k} = "{v}"')
        with open(self.cfg_path, "w") as f:
            f.write("\n".join(lines) + "\n")

    def data_dir(self, svc):
        return os.path.join(self.dir, "var", svc)

    def backup_path(self, svc, name):
        """Where store.backup {"name": name} of svc writes its copy."""
        return os.path.join(self.dir, "backups", svc, name)

    def backup(self, svc, name):
        """A compacting copy of svc's store; returns its directory."""
        self.ok(svc, "store.backup", {"name": name})
        return self.backup_path(svc, name)

    # ---- processes ---------------------------------------------------------
    def binary(self, name):
        return os.path.join(BIN, f"samen-{name}")

    def start(self, name, wait=True, extra=(), env=None):
        log = open(os.path.join(self.dir, f"{name}.log"), "ab")
        env = dict(os.environ, **(env or {}))
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        p = subprocess.Popen([self.binary(name), "--config", self.cfg_path, *extra],
                             stdout=log, stderr=log, env=env, cwd=self.dir)
        log.close()
        self.procs[name] = p
        if wait:
            self.wait_ready(name)
        return p

    def wait_ready(self, name, timeout=15.0):
        if name == "broker":
            wait_until(lambda: self._try(lambda: self.call("broker", "status", timeout=0.5)),
                       timeout, "broker to answer")
        else:
            wait_until(lambda: self.mmi(name, timeout=0.5) == "200", timeout,
                       f"{name} to register with the broker")

    def _try(self, fn):
        try:
            return fn()
        except Failure:
            return None

    def up(self):
        self.start("broker")
        for s in self.services:
            self.start(s, wait=False)
        for s in self.services:
            self.wait_ready(s)
        return self

    def kill(self, name, sig=signal.SIGKILL):
        p = self.procs.get(name)
        if p and p.poll() is None:
            p.send_signal(sig)
            p.wait(timeout=20)
        return p.returncode if p else None

    def stop(self, name, timeout=20.0):
        """SIGTERM one daemon; record a problem if it does not exit 0."""
        p = self.procs.get(name)
        if not p:
            return None
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                self.problems.append(f"{name} did not stop within {timeout}s of SIGTERM")
        if p.returncode not in (0, -signal.SIGKILL, -signal.SIGTERM) and \
                getattr(p, "_expected_rc", 0) != p.returncode:
            self.problems.append(f"{name} exited with status {p.returncode}")
        return p.returncode

    def log(self, name):
        try:
            with open(os.path.join(self.dir, f"{name}.log"), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def all_logs(self):
        return "".join(self.log(n) for n in ["broker"] + ALL)

    def teardown(self):
        for name in reversed(list(self.procs)):
            self.stop(name)
        for name in ["broker"] + ALL:
            text = self.log(name)
            if SANITIZER.search(text):
                self.problems.append(f"sanitizer report in {name}.log:\n" +
                                     "\n".join(text.splitlines()[-40:]))
        if self._client:
            self._client.close()
        # destroy, not term: a socket a failed test left open must not hang us.
        self.ctx.destroy(linger=0)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def http(self, name, path, method="GET", timeout=5.0):
        """GET (or another method) path on daemon name's health and metrics
        port: (status, content type, body text)."""
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.http_ports[name], timeout=timeout)
        try:
            c.request(method, path)
            r = c.getresponse()
            return r.status, r.getheader("Content-Type"), r.read().decode()
        finally:
            c.close()

    # ---- requests ----------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            self._client = Client(self.ctx, self.broker_ep)
        return self._client

    def new_client(self):
        return Client(self.ctx, self.broker_ep)

    def call(self, service, op, args=None, rid=None, timeout=5.0, retries=0):
        return self.client.call(service, op, args, rid, timeout, retries)

    def ok(self, service, op, args=None, rid=None, timeout=5.0):
        """Call and insist on ok: returns data."""
        r = self.call(service, op, args, rid, timeout)
        if not r.get("ok"):
            raise Failure(f"{service} {op} {args!r} refused: {r.get('error')!r}")
        return r.get("data")

    def refused(self, service, op, args=None, code=None, field=None, rid=None):
        r = self.call(service, op, args, rid)
        if r.get("ok"):
            raise Failure(f"{service} {op} {args!r} was accepted; expected a refusal")
        err = r.get("error", {})
        if code is not None:
            eq(err.get("code"), code, f"{op} error code ({err.get('message')})")
        if field is not None:
            eq(err.get("field"), field, f"{op} error field ({err.get('message')})")
        check(err.get("message"), "a refusal carries a message")
        return err

    def mmi(self, service, timeout=1.0):
        raw = self.client.request("mmi.service", service.encode(), timeout)
        return raw.decode() if raw is not None else None

    def raw_client(self):
        s = self.ctx.socket(zmq.DEALER)
        s.linger = 0
        s.connect(self.broker_ep)
        return s

    def subscriber(self, prefix=""):
        s = self.ctx.socket(zmq.SUB)
        s.linger = 0
        s.setsockopt(zmq.SUBSCRIBE, prefix.encode())
        s.connect(self.events_out_ep)
        return s

    def events(self, service, after=0):
        """Every stored event of service after seq `after`, through events.read."""
        out = []
        while True:
            d = self.ok(service, "events.read", {"after": after, "limit": 1000})
            out += d["events"]
            if not d["events"] or d["events"][-1]["seq"] >= d["last_seq"]:
                return out
            after = d["events"][-1]["seq"]

    def ctl(self, *args, input=None, timeout=30, json_out=False):
        """Run samenctl against this stack: (exit code, stdout, stderr)."""
        cmd = [os.path.join(BIN, "samenctl"), "--broker", self.broker_ep, *args]
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        # Never a machine's /etc/samen/samen.cfg: an empty file of the stack's
        # own, so samenctl takes its defaults (English, the --broker given).
        empty = os.path.join(self.dir, "samenctl.cfg")
        if not os.path.exists(empty):
            open(empty, "w").close()
        env.setdefault("SAMEN_CONFIG", empty)
        p = subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout,
                           env=env)
        if SANITIZER.search(p.stderr):
            self.problems.append(f"sanitizer report from samenctl {args}:\n{p.stderr}")
        return p.returncode, p.stdout, p.stderr


def test(fn=None, *, services=None, broker=None, config=None, start=True):
    """Register a test; its function receives a running Stack."""
    def wrap(f):
        _tests.append((f, services, broker, config, start))
        return f
    return wrap(fn) if fn else wrap


def main():
    suite = os.path.relpath(sys.argv[0], ROOT)
    only = os.environ.get("SAMEN_TEST_FILTER")
    passed = failed = 0
    for f, services, broker, config, start in _tests:
        if only and only not in f.__name__:
            continue
        t0 = time.monotonic()
        stack = Stack(services, broker, config, name=f.__name__)
        error = None
        try:
            if start:
                stack.up()
            f(stack)
        except Exception:
            error = traceback.format_exc()
        try:
            stack.teardown()
        except Exception:
            error = (error or "") + traceback.format_exc()
        if stack.problems:
            error = (error or "") + "\n".join(stack.problems)
        dt = time.monotonic() - t0
        if error:
            failed += 1
            print(f"FAIL {f.__name__} ({dt:.1f}s)\n{error}")
            print(f"     logs kept in {stack.dir}")
        else:
            passed += 1
            print(f"ok   {f.__name__} ({dt:.1f}s)")
            stack.cleanup()
        sys.stdout.flush()
    print(f"suite={suite} passed={passed} failed={failed}")
    sys.exit(1 if failed else 0)
