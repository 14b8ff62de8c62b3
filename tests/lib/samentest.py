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

A test that cannot run on this machine (a browser not installed, no root
for a mount) calls st.skip("why"): it is counted as skipped, not passed,
and the reason is printed. st.skip_suite("why") does that for every test of
a suite before any starts. The suite's last line then ends in skipped=N.

Security: stacks run with CurveZMQ (security/mode = curve), as in
production. Key pairs are made once per test process (KEYS) and written,
in czmq's certificate format, into each stack's own key directory
(stack.keys_dir: public/, secret/, revoked/, broker.cert[_secret]), so a
test may add or revoke keys without disturbing another. stack.call and
samenctl (stack.ctl) use the "admin" key; stack.client_as(name) and
stack.curve(sock, name) give other keys; stack.add_key(name, roles) makes
one; stack.revoke_key(name) revokes it as samenctl key revoke does;
stack.plain_client() makes a client without CurveZMQ. Fake services claim
their name first (stack.claim) and connect with their service key.
Stack(security="plain") runs without CurveZMQ.

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
# Whatever a test starts (samenctl, the demo loader) reads no machine's
# /etc/samen/samen.cfg, which a package test or an operator may have put
# there: an empty configuration unless the test names one.
os.environ.setdefault("SAMEN_CONFIG", os.devnull)
BIN = os.path.abspath(os.environ.get("SAMEN_BIN", os.path.join(ROOT, "build", "check")))
ALL = ["intake", "scheduling", "reporting", "finance"]
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
                       r"SUMMARY: UndefinedBehaviorSanitizer")

_tests = []

# Roles of the keys every stack gets (name -> comma-separated roles).
KEY_ROLES = {"admin": "admin", "intake": "service:intake", "scheduling": "service:scheduling",
             "reporting": "service:reporting", "finance": "service:finance", "site": "service:site",
             "coordinator": "coordinator", "finance-staff": "finance", "auditor": "auditor",
             "subscriber": "subscriber"}
_keypairs = {}


def keypair(name):
    """(public, secret) Z85 text of key `name`, made once per process."""
    if name not in _keypairs:
        pub, sec = zmq.curve_keypair()
        _keypairs[name] = (pub.decode(), sec.decode())
    return _keypairs[name]


def write_cert(path, public, secret=None, name=None, roles=None):
    """Write a czmq zcert certificate (secret when `secret` is given), as
    samenctl key new does: metadata name, roles, created; mode 0600 when secret."""
    lines = ["#   ZeroMQ CURVE %s Certificate (written by tests/lib/samentest.py)" %
             ("Secret" if secret else "Public"), "", "metadata"]
    if name:
        lines.append(f'    name = "{name}"')
    if roles:
        lines.append(f'    roles = "{roles}"')
    lines.append('    created = "%s"' % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    lines += ["curve", f'    public-key = "{public}"']
    if secret:
        lines.append(f'    secret-key = "{secret}"')
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.rename(tmp, path)


class Failure(AssertionError):
    pass


class Skip(Exception):
    """A test that cannot run here; its message says why."""


def skip(reason):
    """End the running test as skipped (not passed, not failed), saying why."""
    raise Skip(reason)


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


def _unavailable(raw):
    """True when a reply body is the error "unavailable"."""
    try:
        r = msgpack.unpackb(raw, raw=False, strict_map_key=False)
    except Exception:
        return False
    return isinstance(r, dict) and not r.get("ok") and \
        (r.get("error") or {}).get("code") == "unavailable"


def curve_client(sock, keys, server_key):
    """Make sock a CurveZMQ client with keys (public, secret) of the broker at
    server_key; nothing when keys is None (plain)."""
    if keys is None:
        return sock
    sock.curve_serverkey = server_key.encode()
    sock.curve_publickey = keys[0].encode()
    sock.curve_secretkey = keys[1].encode()
    return sock


class Client:
    """An MDP/0.2 client (RFC 18) in Python: DEALER, one request at a time.
    keys: (public, secret) and server_key for CurveZMQ, or None (plain).

    endpoint may list a broker pair ("EP,EP" or a list): the client talks to
    one at a time and moves to the next one on a timeout, and on an
    "unavailable" reply, with the same bytes (PROTOCOL.md §9); every broker
    gets a try whatever `retries` says."""

    def __init__(self, ctx, endpoint, keys=None, server_key=None):
        items = endpoint if isinstance(endpoint, (list, tuple)) else endpoint.split(",")
        self.ctx, self.endpoints = ctx, [e.strip() for e in items]
        self.keys, self.server_key = keys, server_key
        self.current = 0
        self.sock = None
        self._open()

    @property
    def endpoint(self):
        return self.endpoints[self.current]

    def _open(self, rotate=False):
        if rotate:
            self.current = (self.current + 1) % len(self.endpoints)
        if self.sock is not None:
            self.sock.close(0)
        self.sock = self.ctx.socket(zmq.DEALER)
        self.sock.linger = 0
        curve_client(self.sock, self.keys, self.server_key)
        self.sock.connect(self.endpoint)

    def request(self, service, body, timeout=5.0, retries=0):
        retries = max(retries, len(self.endpoints) - 1)
        for attempt in range(retries + 1):
            if attempt:
                self._open(rotate=True)
            # A DEALER without a connection (its handshake refused) blocks
            # a send: never longer than the try.
            self.sock.setsockopt(zmq.SNDTIMEO, max(1, int(timeout * 1000)))
            try:
                self.sock.send_multipart([b"MDPC02", b"\x01", service.encode(), body])
            except zmq.Again:
                continue
            if self.sock.poll(int(timeout * 1000)):
                frames = self.sock.recv_multipart()
                if len(frames) != 4 or frames[0] != b"MDPC02" or frames[1] != b"\x03":
                    raise Failure(f"malformed reply frames {frames!r}")
                if len(self.endpoints) > 1 and attempt < retries and \
                        not service.startswith("mmi.") and _unavailable(frames[3]):
                    continue
                return frames[3]
        self._open(rotate=True)
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
    """A stack of daemons. brokers=2 makes a broker pair: "broker" and
    "broker2", each bound to its own endpoints, and the services, clients
    and samenctl given both (PROTOCOL.md §9); broker_ep and events_out_ep
    are then the comma-separated pairs, broker_eps[i] etc. each one. Both
    brokers read the same key directory (the same keys and roles)."""

    def __init__(self, services=None, broker=None, config=None, name="t", security=None,
                 brokers=1):
        self.services = list(ALL if services is None else services)
        self.security = security or os.environ.get("SAMEN_TEST_SECURITY", "curve")
        self.dir = tempfile.mkdtemp(prefix=f"samen-{name[:12]}-", dir="/tmp")
        self.brokers = ["broker"] + [f"broker{i + 1}" for i in range(1, brokers)]
        suffix = ["" if i == 0 else str(i + 1) for i in range(brokers)]
        self.broker_ep = ",".join(f"ipc://{self.dir}/{b}" for b in self.brokers)
        self.events_in_ep = ",".join(f"ipc://{self.dir}/events-in{x}" for x in suffix)
        self.events_out_ep = ",".join(f"ipc://{self.dir}/events-out{x}" for x in suffix)
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
        self.http_ports = {name: free_port() for name in ["broker", "broker2"] + ALL}
        self.keys_dir = os.path.join(self.dir, "keys")
        self.write_keys()
        self.write_config()
        self.problems = []
        # Any samenctl a test runs (also without stack.ctl) finds this stack's
        # admin key and the broker's certificate here.
        os.environ["SAMEN_KEYS_DIR"] = self.keys_dir

    # ---- keys ----------------------------------------------------------------
    def write_keys(self):
        """The key directory: the broker's pair and KEY_ROLES' keys."""
        for sub, mode in (("public", 0o755), ("secret", 0o700), ("revoked", 0o755)):
            os.makedirs(os.path.join(self.keys_dir, sub), mode, exist_ok=True)
        pub, sec = keypair("broker")
        write_cert(os.path.join(self.keys_dir, "broker.cert"), pub, name="broker")
        write_cert(os.path.join(self.keys_dir, "broker.cert_secret"), pub, sec, name="broker")
        for name, roles in KEY_ROLES.items():
            self.add_key(name, roles)

    @property
    def server_key(self):
        return keypair("broker")[0]

    def add_key(self, name, roles, key=None):
        """Trust a key named `name` with `roles` (made once per process under
        `key`, default `name`); returns its (public, secret)."""
        pub, sec = keypair(key or name)
        write_cert(os.path.join(self.keys_dir, "secret", f"{name}.cert_secret"), pub, sec,
                   name, roles)
        write_cert(os.path.join(self.keys_dir, "public", f"{name}.cert"), pub, name=name,
                   roles=roles)
        return pub, sec

    def revoke_key(self, name):
        """Revoke key `name` as samenctl key revoke does: its certificate leaves public/."""
        os.rename(os.path.join(self.keys_dir, "public", f"{name}.cert"),
                  os.path.join(self.keys_dir, "revoked",
                               f"{name}.{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.cert"))

    def keys_of(self, name):
        """(public, secret) of key `name` for a socket; None in plain mode."""
        return None if self.security == "plain" else keypair(name)

    def curve(self, sock, key="admin"):
        """Make sock (not yet connected) a CurveZMQ client with key `key`."""
        return curve_client(sock, self.keys_of(key), self.server_key)

    def secret_file(self, name):
        return os.path.join(self.keys_dir, "secret", f"{name}.cert_secret")

    def instance(self, service):
        """A fixed store instance ID for a fake of service in this stack."""
        return ("fa" + service.encode().hex() + "0" * 32)[:32]

    def claim(self, service, instance=None, key=None, ctx=None):
        """Claim service's name with the broker (service.claim) as a fake of it
        does before READY, with a fresh socket (safe from any thread). Returns
        the reply map."""
        c = Client(ctx or self.ctx, self.broker_ep, self.keys_of(key or service), self.server_key)
        try:
            return c.call("broker", "service.claim",
                          {"service": service, "instance": instance or self.instance(service)})
        finally:
            c.close()

    # The endpoints one by one (a test may set broker_ep and the others).
    @property
    def broker_eps(self):
        return self.broker_ep.split(",")

    @property
    def events_in_eps(self):
        return self.events_in_ep.split(",")

    @property
    def events_out_eps(self):
        return self.events_out_ep.split(",")

    # ---- configuration -----------------------------------------------------
    def write_config(self):
        # Deployment-wide settings (samen/locale), when a test gives them.
        lines = ["security",
                 f'    mode = "{self.security}"',
                 f'    keys_dir = "{self.keys_dir}"']
        if self.config.get("samen"):
            lines += ["samen"] + [f'    {k} = "{v}"' for k, v in self.config["samen"].items()]
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
        # Sections of the other daemons (samen-site's "site"), as given.
        for sec, opts in self.config.items():
            if sec not in ALL and sec != "samen":
                lines.append(sec)
                lines += [f'    {k} = "{v}"' for k, v in opts.items()]
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
        return os.path.join(BIN, "samen-broker" if name in self.brokers else f"samen-{name}")

    def launcher(self, name, tag):
        """What the command line of daemon name (started as tag) begins with:
        nothing here; a subclass may run it elsewhere (`ip netns exec NS`)."""
        return []

    def start(self, name, wait=True, extra=(), env=None, tag=None):
        """Start daemon name; its process and log file are known as tag
        (default name: stack.procs[tag], TAG.log)."""
        tag = tag or name
        if name in self.brokers and len(self.brokers) > 1:
            # One broker of a pair binds its own endpoints; the file lists both.
            i = self.brokers.index(name)
            extra = ("--endpoint", self.broker_eps[i], "--events-in", self.events_in_eps[i],
                     "--events-out", self.events_out_eps[i],
                     "--http-port", str(self.http_ports[name]), *extra)
        log = open(os.path.join(self.dir, f"{tag}.log"), "ab")
        env = dict(os.environ, **(env or {}))
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        p = subprocess.Popen([*self.launcher(name, tag), self.binary(name), "--config",
                              self.cfg_path, *extra],
                             stdout=log, stderr=log, env=env, cwd=self.dir)
        log.close()
        self.procs[tag] = p
        if wait:
            self.wait_ready(name)
        return p

    def wait_ready(self, name, timeout=15.0):
        if name in self.brokers:
            c = self.broker_client(name)
            try:
                wait_until(lambda: self._try(lambda: c.call("broker", "status", timeout=0.5)),
                           timeout, f"{name} to answer")
            finally:
                c.close()
        elif len(self.brokers) > 1:
            # Registered with every broker of the pair that runs.
            for b in self.brokers:
                p = self.procs.get(b)
                if p and p.poll() is None:
                    wait_until(lambda: self.mmi_at(b, name) == "200", timeout,
                               f"{name} to register with {b}")
        else:
            wait_until(lambda: self.mmi(name, timeout=0.5) == "200", timeout,
                       f"{name} to register with the broker")

    def broker_client(self, name):
        """A client of one broker of the pair only (no failover)."""
        return Client(self.ctx, self.broker_eps[self.brokers.index(name)], self.keys_of("admin"),
                      self.server_key)

    def mmi_at(self, broker, service, timeout=0.5):
        """MMI (RFC 8) of one broker: "200" when service has a worker there."""
        c = self.broker_client(broker)
        try:
            raw = c.request("mmi.service", service.encode(), timeout)
        finally:
            c.close()
        return raw.decode() if raw is not None else None

    def _try(self, fn):
        try:
            return fn()
        except Failure:
            return None

    def up(self):
        for b in self.brokers:
            self.start(b)
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
        return "".join(self.log(n) for n in self.brokers + ALL)

    def teardown(self):
        for name in reversed(list(self.procs)):
            self.stop(name)
        for name in dict.fromkeys(self.brokers + ALL + list(self.procs)):
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
            self._client = self.client_as("admin")
        return self._client

    def new_client(self, key="admin"):
        return self.client_as(key)

    def client_as(self, key):
        """A Client connecting with key `key` (a KEY_ROLES name or one from add_key)."""
        return Client(self.ctx, self.broker_ep, self.keys_of(key), self.server_key)

    def plain_client(self):
        """A Client without CurveZMQ: with security on, the broker refuses it."""
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

    def raw_client(self, key="admin"):
        s = self.ctx.socket(zmq.DEALER)
        s.linger = 0
        self.curve(s, key)
        s.connect(self.broker_eps[0])
        return s

    def subscriber(self, prefix="", key="admin"):
        s = self.ctx.socket(zmq.SUB)
        s.linger = 0
        s.setsockopt(zmq.SUBSCRIBE, prefix.encode())
        self.curve(s, key)
        for ep in self.events_out_eps:  # a pair: each event comes from both
            s.connect(ep)
        return s

    def publisher(self, key, ctx=None):
        """A PUB socket on the broker's events-in endpoint with key `key`."""
        s = (ctx or self.ctx).socket(zmq.PUB)
        s.linger = 0
        self.curve(s, key)
        s.connect(self.events_in_eps[0])
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
        # The keys come from $SAMEN_KEYS_DIR (set for this stack); the config
        # only when it turns CurveZMQ off, so that samenctl keeps its own
        # defaults (the language) as a test expects them.
        config = ["--config", self.cfg_path] if self.security == "plain" else []
        cmd = [os.path.join(BIN, "samenctl"), *config, "--broker", self.broker_ep, *args]
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


def test(fn=None, *, services=None, broker=None, config=None, start=True, security=None,
         brokers=1):
    """Register a test; its function receives a running Stack (brokers=2: a
    broker pair)."""
    def wrap(f):
        _tests.append((f, services, broker, config, start, security, brokers))
        return f
    return wrap(fn) if fn else wrap


def _summary(suite, passed, failed, skipped):
    """The suite's last line, which tests/run.py reads."""
    print(f"suite={suite} passed={passed} failed={failed}" +
          (f" skipped={skipped}" if skipped else ""))


def skip_suite(reason):
    """Count every test of the suite (under SAMEN_TEST_FILTER) as skipped,
    saying why, without starting any; exits 0."""
    only = os.environ.get("SAMEN_TEST_FILTER")
    names = [t[0].__name__ for t in _tests if not only or only in t[0].__name__]
    for name in names:
        print(f"skip {name}: {reason}")
    _summary(os.path.relpath(sys.argv[0], ROOT), 0, 0, len(names))
    sys.exit(0)


def main():
    suite = os.path.relpath(sys.argv[0], ROOT)
    only = os.environ.get("SAMEN_TEST_FILTER")
    passed = failed = skipped = 0
    for f, services, broker, config, start, security, brokers in _tests:
        if only and only not in f.__name__:
            continue
        t0 = time.monotonic()
        stack = Stack(services, broker, config, name=f.__name__, security=security,
                      brokers=brokers)
        error = why_skipped = None
        try:
            if start:
                stack.up()
            f(stack)
        except Skip as e:
            why_skipped = str(e)
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
        elif why_skipped is not None:
            skipped += 1
            print(f"skip {f.__name__} ({dt:.1f}s): {why_skipped}")
            stack.cleanup()
        else:
            passed += 1
            print(f"ok   {f.__name__} ({dt:.1f}s)")
            stack.cleanup()
        sys.stdout.flush()
    _summary(suite, passed, failed, skipped)
    sys.exit(1 if failed else 0)
