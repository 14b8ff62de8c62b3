"""A broker pair across hosts (issue 14): the cluster of test_cluster.py, but
each "host" is a Linux network namespace of its own, joined by a bridge.

    b1  10.214.0.1   samen-broker         h1  10.214.0.11  intake, scheduling
    b2  10.214.0.2   samen-broker         h2  10.214.0.12  reporting, finance
    c   10.214.0.20  this test: clients, a subscriber on both brokers, samenctl

The bridge lives in a namespace of its own ("sw"); each host's veth has one
end there. Nothing of this is connected to the machine's network: the
bridge has no uplink and no address, so the daemons binding 10.214.0.x (and
the health ports on each namespace's own 127.0.0.1) is the private-network
equivalent of the "127.0.0.1 or ipc only" rule of the other suites. Every
name holds this process's pid (parallel runs and leftovers never clash);
the namespaces, and every process in them, go in `finally` and at exit.

The tests run in order on the one cluster (each needs what the last left):
requests and events across hosts; one broker SIGKILLed under a bounded load;
h2's link cut for 20 s under load and restored; h1 dying and its services
taken over on h2 with their stores moved there, the old host refused when it
comes back on an empty directory; the old host on its own copy of the store
(same instance ID) refused as another process. The figures (requests failed, seconds to recover, events lost,
writes duplicated) are printed in one block at the end; the zeros are
asserted, the times only against generous bounds.

Needs root, `ip` and network namespaces; otherwise every test is skipped
with the reason. SAMEN_TEST_NETNS=off skips on purpose (to see the skip).
"""
import atexit
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import msgpack
import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
import clustertest as ct  # noqa: E402
import samentest as st  # noqa: E402
from samen_client import SamenClient, SamenSubscriber  # noqa: E402

NET = "10.214.0"
ADDR = {"b1": f"{NET}.1", "b2": f"{NET}.2", "h1": f"{NET}.11", "h2": f"{NET}.12",
        "c": f"{NET}.20"}
HOST_OF = {"broker": "b1", "broker2": "b2", "intake": "h1", "scheduling": "h1",
           "reporting": "h2", "finance": "h2"}
TRY_S = 1.0            # a client's wait per broker before it tries the next
N_LOAD, KILL_AT = 60, 20
LOAD_BOUND_S = 60.0    # every load loop ends by then, whatever happens
CUT_S = 20.0           # how long h2's link is cut
RECOVER_BOUND_S = 30.0  # generous: machines are shared
CLONE_NEWNET = 0x40000000

FIG = {"requests": 0, "failed": 0, "failed_cut_host": 0, "failed_other": 0,
       "recover_kill_s": None, "recover_link_s": None, "caught_up_link_s": None,
       "takeover_s": None, "events_lost": None, "writes_duplicated": None,
       "old_store_refused": None}
ACKED = {}             # rid -> participant id: every acknowledged write at intake
NUMBER = {}            # rid -> the participant number in its write


def sh(*args, check=True):
    """Run a command (no shell); its CompletedProcess. check: fail on non-zero."""
    p = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if check and p.returncode != 0:
        raise st.Failure(f"{' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p


def why_not_here():
    """None when this machine can run the suite, else why not."""
    if os.environ.get("SAMEN_TEST_NETNS") == "off":
        return "SAMEN_TEST_NETNS=off"
    if os.geteuid() != 0:
        return "needs root (network namespaces, veth, a bridge)"
    if not shutil.which("ip"):
        return "no `ip` (iproute2) on this machine"
    probe = f"samen{os.getpid()}-probe"
    p = sh("ip", "netns", "add", probe, check=False)
    if p.returncode != 0:
        return f"cannot create a network namespace: {p.stderr.strip()}"
    sh("ip", "netns", "del", probe, check=False)
    return None


class Net:
    """The namespaces: b1, b2, h1, h2, c and the switch sw with the bridge."""

    def __init__(self):
        self.prefix = f"samen{os.getpid()}-"
        self.made = []
        self.home = None  # this thread's own namespace, to go back to

    def ns(self, short):
        return self.prefix + short

    def up(self):
        self._reap_leftovers()
        sw = self.ns("sw")
        sh("ip", "netns", "add", sw)
        self.made.append(sw)
        sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge")
        sh("ip", "-n", sw, "link", "set", "br0", "up")
        for short, addr in ADDR.items():
            ns = self.ns(short)
            sh("ip", "netns", "add", ns)
            self.made.append(ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            # The veth's switch end is named after the host (b1, h2, ...).
            sh("ip", "-n", sw, "link", "add", short, "type", "veth", "peer", "name", "eth0",
               "netns", ns)
            sh("ip", "-n", sw, "link", "set", short, "master", "br0", "up")
            sh("ip", "-n", ns, "addr", "add", f"{addr}/24", "dev", "eth0")
            sh("ip", "-n", ns, "link", "set", "eth0", "up")

    def link(self, short, up):
        """Cut (up=False) or restore host short's link at the switch."""
        sh("ip", "-n", self.ns("sw"), "link", "set", short, "up" if up else "down")

    def enter(self, short):
        """Move this thread (before it made any thread or socket: so the whole
        test with ZeroMQ's I/O threads) into host short's namespace."""
        libc = ctypes.CDLL(None, use_errno=True)
        if self.home is None:
            self.home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        fd = os.open(f"/var/run/netns/{self.ns(short)}", os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns")
        finally:
            os.close(fd)

    def leave(self):
        if self.home is not None:
            ctypes.CDLL(None, use_errno=True).setns(self.home, CLONE_NEWNET)
            os.close(self.home)
            self.home = None

    def _kill_in(self, ns):
        """SIGKILL what still runs in ns (ours: the namespace is this run's)."""
        p = sh("ip", "netns", "pids", ns, check=False)
        for pid in p.stdout.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass

    def down(self):
        self.leave()
        for ns in reversed(self.made):
            self._kill_in(ns)
            sh("ip", "netns", "del", ns, check=False)
        self.made = []

    def _reap_leftovers(self):
        """Namespaces of earlier runs of this suite whose process is gone."""
        p = sh("ip", "netns", "list", check=False)
        for line in p.stdout.splitlines():
            name = line.split()[0] if line.split() else ""
            if not name.startswith("samen") or "-" not in name:
                continue
            pid = name[len("samen"):name.index("-")]
            if not pid.isdigit() or os.path.exists(f"/proc/{pid}"):
                continue
            self._kill_in(name)
            sh("ip", "netns", "del", name, check=False)


class HostStack(st.Stack):
    """samentest's broker pair on tcp:// across the namespaces: each daemon
    started with `ip netns exec` in its host's namespace, each host with its
    own directory for stores and backups (h1/var/intake, ...)."""

    def __init__(self, net):
        super().__init__(name="hosts", brokers=2)
        self.net = net
        self.broker_ep = f"tcp://{ADDR['b1']}:5555,tcp://{ADDR['b2']}:5555"
        self.events_in_ep = f"tcp://{ADDR['b1']}:5556,tcp://{ADDR['b2']}:5556"
        self.events_out_ep = f"tcp://{ADDR['b1']}:5557,tcp://{ADDR['b2']}:5557"
        for svc in st.ALL:
            self.config[svc] = {"data_dir": self.host_dir(HOST_OF[svc], "var", svc),
                                "backup_dir": self.host_dir(HOST_OF[svc], "backups", svc)}
        self.write_config()

    def host_dir(self, host, *parts):
        return os.path.join(self.dir, host, *parts)

    def data_dir(self, svc):
        return self.config[svc]["data_dir"]

    def launcher(self, name, tag):
        """`ip netns exec` into the daemon's host: the one tag names after
        an @ ("intake@h2", "intake@h1-old"), else its HOST_OF."""
        host = tag.split("@", 1)[1].split("-")[0] if "@" in tag else HOST_OF[name]
        return ["ip", "netns", "exec", self.net.ns(host)]

    def wait_ready(self, name, timeout=20.0):
        super().wait_ready(name, timeout)

    def all_logs(self):
        return "".join(self.log(n) for n in self.procs)


class Follower(threading.Thread):
    """The interop subscriber (samen_client.py) in the client namespace, on
    both brokers' events-out, following all four services until stopped:
    seen[service] is the list of seqs it handed out, in order."""

    def __init__(self, stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.seen = {s: [] for s in st.ALL}
        self.stop = threading.Event()
        self.error = None

    def run(self):
        ctx = zmq.Context()
        try:
            client = SamenClient(self.stack.broker_ep, timeout=TRY_S, retries=1, ctx=ctx,
                                 **ct.curve_kw(self.stack))
            sub = SamenSubscriber(self.stack.events_out_ep, client, st.ALL)
            while not self.stop.is_set():
                for service, ev in sub.events(timeout=2.0, poll_every=1.0):
                    self.seen[service].append(ev["seq"])
            sub.sub.close(0)
            client.sock.close(0)
        except Exception as e:  # reported by the test, not lost in the thread
            self.error = repr(e)
        finally:
            ctx.destroy(linger=0)

    def caught_up(self, last):
        """True when it has seen up to last[service] for each service."""
        return all((self.seen[s][-1] if self.seen[s] else 0) >= last[s] for s in st.ALL)


def last_seqs(stack):
    return {s: stack.ok(s, "service.info")["last_seq"] for s in st.ALL}


def following(stack, svc, producer):
    r = stack._try(lambda: stack.call(svc, "service.info", timeout=TRY_S))
    return r["data"]["following"].get(producer) if r and r.get("ok") else None


def answers_at(stack, broker, svc):
    """True when svc answers service.info through broker alone."""
    c = stack.broker_client(broker)
    try:
        return bool(stack._try(lambda: c.call(svc, "service.info", timeout=0.5).get("ok")))
    finally:
        c.close()


def claims_refused(stack, broker):
    c = stack.broker_client(broker)
    try:
        return c.call("broker", "status", timeout=2.0)["data"]["claims_refused"]
    finally:
        c.close()


def body_for(rid):
    """The bytes of the intake write with request id rid (a participant
    number of its own, the same bytes on a retry)."""
    return ct.register_body(rid, NUMBER.setdefault(rid, len(NUMBER) + 1))


def write(client, n, tag):
    """One intake write with a fresh rid through client (failover included):
    True and recorded in ACKED when acknowledged."""
    rid = f"{tag}-{n}"
    FIG["requests"] += 1
    reply = client.request("intake", body_for(rid), timeout=TRY_S, retries=3)
    r = msgpack.unpackb(reply, raw=False) if reply is not None else {}
    if r.get("ok"):
        ACKED[rid] = r["data"]["id"]
        return True
    return False


def read_ok(client, svc, timeout=TRY_S):
    """service.info of svc through client: True when answered ok."""
    FIG["requests"] += 1
    try:
        return bool(client.call(svc, "service.info", timeout=timeout).get("ok"))
    except st.Failure:
        return False


# ---- the tests, in order ----------------------------------------------------

@st.test(start=False)
def requests_and_events_across_hosts(stack):
    st.wait_until(lambda: ct.registered_everywhere(stack, stack.brokers, st.ALL), 20,
                  "the four services on h1 and h2 to register with both brokers")
    for b in stack.brokers:  # each broker alone reaches both service hosts
        c = stack.broker_client(b)
        try:
            for svc in st.ALL:
                st.eq(c.call(svc, "service.info", timeout=3.0).get("ok"), True,
                      f"{svc} through {b} alone")
        finally:
            c.close()
    # A write from the client namespace, read back; one at h2 as well.
    client = stack.new_client()
    st.check(write(client, 0, "first"), "the first write at intake (h1)")
    got = stack.ok("intake", "participant.get", {"participant": ACKED["first-0"]})
    st.eq(got["id"], ACKED["first-0"], "read back from intake")
    stack.ok("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                             "inhabitants": 10962, "as_of": "2016-01-01"},
             rid="first-finance")
    st.eq([m["code"] for m in stack.ok("finance", "municipality.list")["municipalities"]],
          ["GM0417"], "read back from finance (h2)")
    client.close()
    # The subscriber (both brokers) sees the events; the followers on h2
    # (reporting and finance follow intake on h1) catch up.
    last = last_seqs(stack)
    st.wait_until(lambda: stack.follower.caught_up(last), 20, "the subscriber to see the events")
    for svc in ("reporting", "finance"):
        st.wait_until(lambda: following(stack, svc, "intake") == last["intake"], 20,
                      f"{svc} on h2 to follow intake on h1")


@st.test(start=False)
def broker_killed_under_load(stack):
    client = stack.new_client()  # both brokers, b1 first
    t_kill = None
    deadline = time.monotonic() + LOAD_BOUND_S
    for n in range(N_LOAD):
        st.check(time.monotonic() < deadline, f"load bound of {LOAD_BOUND_S}s passed at {n}")
        if n == KILL_AT:
            # A write on its way while the broker dies: the retry with the
            # same rid (below) goes to the other broker; it applies once.
            client.sock.send_multipart([b"MDPC02", b"\x01", b"intake",
                                        body_for(f"kill-{n}")])
            stack.kill("broker")
            t_kill = time.monotonic()
        if not write(client, n, "kill"):
            FIG["failed"] += 1
            FIG["failed_other"] += 1
        elif t_kill and FIG["recover_kill_s"] is None:
            FIG["recover_kill_s"] = time.monotonic() - t_kill
    client.close()
    st.eq(FIG["failed_other"], 0, "writes that failed with one broker left")
    st.check(FIG["recover_kill_s"] is not None and FIG["recover_kill_s"] < RECOVER_BOUND_S,
             f"first success {FIG['recover_kill_s']}s after the kill")
    # b1 back: the services on h1 and h2 register with it by themselves.
    stack.start("broker")
    st.wait_until(lambda: ct.registered_everywhere(stack, stack.brokers, st.ALL),
                  RECOVER_BOUND_S, "the services to re-register with the restarted b1")


@st.test(start=False)
def service_host_cut_for_20s(stack):
    client = stack.new_client()
    cut_client = stack.new_client()  # for h2's services: its failures are expected
    stack.net.link("h2", False)
    t_cut = time.monotonic()
    n = 0
    try:
        while time.monotonic() - t_cut < CUT_S and n < 2000:
            # intake and scheduling (h1) keep working during the cut
            if not write(client, n, "cut") or not read_ok(client, "scheduling"):
                FIG["failed"] += 1
                FIG["failed_other"] += 1
            # finance and reporting (h2, cut off) do not
            if not read_ok(cut_client, ("finance", "reporting")[n % 2], timeout=0.25):
                FIG["failed"] += 1
                FIG["failed_cut_host"] += 1
            n += 1
    finally:
        stack.net.link("h2", True)
    t_up = time.monotonic()
    st.eq(FIG["failed_other"], 0, "requests to h1's services during h2's cut")
    st.check(FIG["failed_cut_host"] > 0, "h2's services answered while cut off?")
    # Healed: both h2 services answer through each broker alone, and both
    # caught up with intake's writes of the cut through events.read.
    st.wait_until(lambda: ct.registered_everywhere(stack, stack.brokers, ["reporting", "finance"]),
                  RECOVER_BOUND_S, "h2's services to re-register with both brokers")
    st.wait_until(lambda: read_ok(client, "finance") and read_ok(client, "reporting"),
                  RECOVER_BOUND_S, "h2's services to answer again")
    FIG["recover_link_s"] = time.monotonic() - t_up
    last = stack.ok("intake", "service.info")["last_seq"]
    for svc in ("reporting", "finance"):
        st.wait_until(lambda: following(stack, svc, "intake") == last, RECOVER_BOUND_S,
                      f"{svc} to catch up with intake after the cut")
    FIG["caught_up_link_s"] = time.monotonic() - t_up
    client.close()
    cut_client.close()


@st.test(start=False)
def takeover_on_another_host(stack):
    moved = ["intake", "scheduling"]
    before = last_seqs(stack)
    # h1 dies: its daemons killed, its link cut.
    for svc in moved:
        stack.kill(svc)
    stack.net.link("h1", False)
    t_dead = time.monotonic()
    # Its stores move to h2 (a disk recovered or shared storage; README:
    # "Takeover on another host"), and the services start there with the
    # same keys: each claims its name at both brokers with its store's
    # instance and serves.
    # What h1's disk still held when it died (a copy made now, cold): see
    # the_old_hosts_own_store_is_refused.
    shutil.copytree(stack.data_dir("intake"), stack.host_dir("h1", "old-intake"), symlinks=True)
    for svc in moved:
        there = stack.host_dir("h2", "var", svc)
        os.makedirs(os.path.dirname(there), exist_ok=True)
        shutil.move(stack.data_dir(svc), there)
        stack.start(svc, tag=f"{svc}@h2", extra=("--data-dir", there), wait=False)
    # Ready when each answers through each broker alone (the dead workers of
    # h1 may still be listed there until their heartbeats expire).
    st.wait_until(lambda: all(answers_at(stack, b, svc) for b in stack.brokers for svc in moved),
                  RECOVER_BOUND_S, "intake and scheduling on h2 to answer through both brokers")
    FIG["takeover_s"] = time.monotonic() - t_dead
    for b in stack.brokers:
        c = stack.broker_client(b)
        try:
            r = c.call("intake", "participant.get", {"participant": ACKED["first-0"]}, timeout=3.0)
            st.eq(r.get("ok"), True, f"intake moved to h2 serves through {b}")
            st.eq(c.call("scheduling", "service.info", timeout=3.0).get("ok"), True,
                  f"scheduling moved to h2 through {b}")
        finally:
            c.close()
    after = last_seqs(stack)
    for svc in moved:
        st.eq(after[svc], before[svc], f"{svc}'s log on h2 goes on where h1's ended")
    client = stack.new_client()
    for n in range(5):
        st.check(write(client, n, "moved"), f"write {n} at intake on h2")
    client.close()
    last = stack.ok("intake", "service.info")["last_seq"]
    for svc in ("reporting", "finance", "scheduling"):
        st.wait_until(lambda: following(stack, svc, "intake") == last, RECOVER_BOUND_S,
                      f"{svc} to follow intake on h2")
    rc, out, err = stack.ctl("--timeout", "2000", "status")
    st.eq(rc, 0, f"samenctl status from the client host after the takeover: {out}{err}")
    # h1 comes back and its intake starts again (a unit restarting it): its
    # store is gone (moved), so it makes a new one, with a new instance ID,
    # and each broker refuses its claim: it exits 3 and serves nothing.
    stack.net.link("h1", True)
    p = subprocess.run(["ip", "netns", "exec", stack.net.ns("h1"), stack.binary("intake"),
                        "--config", stack.cfg_path], capture_output=True, text=True,
                       timeout=60, cwd=stack.dir,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1"))
    st.eq(p.returncode, 3, f"exit status of the old host's intake (stderr: {p.stderr[-2000:]})")
    st.check("already served by another store" in p.stderr, f"says why: {p.stderr[-2000:]!r}")
    st.check(not st.SANITIZER.search(p.stderr), p.stderr)
    refused = sum(claims_refused(stack, b) for b in stack.brokers)
    st.check(refused >= 1, f"claims_refused at the brokers: {refused}")
    st.eq(stack.ok("intake", "participant.get", {"participant": ACKED["first-0"]})["id"],
          ACKED["first-0"], "the moved intake serves on")


@st.test(start=False)
def nothing_lost_nothing_applied_twice(stack):
    # Every acknowledged write reads back; one registered event per rid.
    for rid, pid in ACKED.items():
        r = stack.call("intake", "participant.get", {"participant": pid}, timeout=TRY_S,
                       retries=3)
        st.check(r.get("ok"), f"acknowledged {rid} ({pid}) does not read back: {r!r}")
    events = [e for e in stack.events("intake") if e["type"] == "intake.participant.registered"]
    ids = [e["data"]["id"] for e in events]
    acked = set(ACKED.values())
    # A write applied twice: a second participant for one rid (not the one
    # acknowledged), or one participant registered twice.
    FIG["writes_duplicated"] = sum(1 for i in ids if i not in acked) + len(ids) - len(set(ids))
    st.eq(sorted(ids), sorted(ACKED.values()), "one registered event per acknowledged write")
    # The subscriber on both brokers saw each event of each service once.
    last = last_seqs(stack)
    st.wait_until(lambda: stack.follower.caught_up(last), RECOVER_BOUND_S,
                  "the subscriber to see every event")
    stack.follower.stop.set()
    stack.follower.join(10)
    st.check(stack.follower.error is None, f"subscriber: {stack.follower.error}")
    lost = 0
    for svc in st.ALL:
        seen = stack.follower.seen[svc]
        lost += len(set(range(1, last[svc] + 1)) - set(seen))
        st.eq(seen, list(range(1, len(seen) + 1)), f"{svc} events seen, each once, in order")
    copies = {}
    while stack.raw.poll(0):
        seq = msgpack.unpackb(stack.raw.recv_multipart()[1], raw=False)["seq"]
        copies[seq] = copies.get(seq, 0) + 1
    stack.raw.close(0)
    st.check(any(c == 2 for c in copies.values()),
             f"no intake event came through both brokers: {copies}")
    st.check(max(copies.values(), default=0) <= 2,
             f"an event came more than once per broker: {copies}")
    FIG["events_lost"] = lost
    st.eq(lost, 0, "events the subscriber never saw")
    st.eq(FIG["writes_duplicated"], 0, "writes applied twice")


@st.test(start=False)
def the_old_hosts_own_store_is_refused(stack):
    """h1's intake started on the store h1's disk still held when it died:
    the same instance ID as the one now serving on h2, but another process
    (its incarnation, PROTOCOL.md §8.5). Both brokers refuse its claim: it
    exits 3 and registers no worker, so two stores never serve one name."""
    before = {b: ct.workers_at(stack, b).get("intake", 0) for b in stack.brokers}
    refused = sum(claims_refused(stack, b) for b in stack.brokers)
    p = subprocess.run(["ip", "netns", "exec", stack.net.ns("h1"), stack.binary("intake"),
                        "--config", stack.cfg_path, "--data-dir",
                        stack.host_dir("h1", "old-intake")], capture_output=True, text=True,
                       timeout=60, cwd=stack.dir,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1"))
    st.eq(p.returncode, 3, f"exit status of the old store's intake (stderr: {p.stderr[-2000:]})")
    st.check("a copy of a store must never serve beside its original" in p.stderr,
             f"says why: {p.stderr[-2000:]!r}")
    st.check(not st.SANITIZER.search(p.stderr), p.stderr)
    st.check(sum(claims_refused(stack, b) for b in stack.brokers) > refused,
             "the refused claim is counted")
    after = {b: ct.workers_at(stack, b).get("intake", 0) for b in stack.brokers}
    st.eq(after, before, "no worker of the old store's intake registered")
    FIG["old_store_refused"] = True
    st.eq(stack.ok("intake", "participant.get", {"participant": ACKED["first-0"]})["id"],
          ACKED["first-0"], "the moved intake serves on")


def figures():
    """The figures, one block (tests/run.py shows lines starting with note:)."""
    def s(v):
        return "-" if v is None else f"{v:.2f} s"

    def n(v):
        return "-" if v is None else str(v)
    print("note: cluster across hosts (2 brokers, 2 service hosts, 1 client namespace):")
    print(f"note:   requests sent                      {FIG['requests']}")
    print(f"note:   requests failed                    {FIG['failed']} "
          f"(to the cut-off host during its cut: {FIG['failed_cut_host']}, "
          f"all others: {FIG['failed_other']})")
    print(f"note:   recovered after the broker kill    {s(FIG['recover_kill_s'])} "
          f"(first acknowledged write)")
    print(f"note:   recovered after the link restore   {s(FIG['recover_link_s'])} "
          f"(answering); caught up {s(FIG['caught_up_link_s'])}")
    print(f"note:   takeover on the other host         {s(FIG['takeover_s'])}")
    if FIG["old_store_refused"]:
        print("note:   the old host on a copy of the moved store: refused (another process)")
    print(f"note:   events lost                        {n(FIG['events_lost'])}")
    print(f"note:   writes duplicated                  {n(FIG['writes_duplicated'])}")


class Interrupted(Exception):
    """SIGTERM arrived (tests/run.py's timeout, an operator)."""


def s_interrupted(signum, frame):
    raise Interrupted(f"signal {signum}")


def main():
    why = why_not_here()
    if why:
        st.skip_suite(why)
    suite = os.path.relpath(sys.argv[0], st.ROOT)
    only = os.environ.get("SAMEN_TEST_FILTER")
    passed = failed = skipped = 0
    net = Net()
    stack = None

    def cleanup():
        net.down()
    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, s_interrupted)  # the running test fails, the rest is cleaned up
    try:
        net.up()
        net.enter("c")  # the test's clients and subscriber live on host c
        stack = HostStack(net)
        stack.follower = Follower(stack)
        # A raw SUB on both brokers: counts the copies the subscriber dedupes.
        stack.raw = stack.subscriber("intake.")
        for b in stack.brokers:
            stack.start(b)
        for svc in st.ALL:
            stack.start(svc, wait=False)
        stack.follower.start()
        broken = None
        for f, *_ in st._tests:
            if only and only not in f.__name__:
                continue
            t0 = time.monotonic()
            if broken:
                failed += 1
                print(f"FAIL {f.__name__}: not run, {broken} failed before it")
                continue
            try:
                f(stack)
                passed += 1
                print(f"ok   {f.__name__} ({time.monotonic() - t0:.1f}s)")
            except st.Skip as e:
                skipped += 1
                print(f"skip {f.__name__}: {e}")
            except Exception:
                import traceback
                failed += 1
                broken = f.__name__
                print(f"FAIL {f.__name__} ({time.monotonic() - t0:.1f}s)\n"
                      f"{traceback.format_exc()}")
            sys.stdout.flush()
    except Exception:
        import traceback
        failed += 1
        print(f"FAIL setting up the cluster:\n{traceback.format_exc()}")
    finally:
        if stack is not None:
            stack.follower.stop.set()
            try:
                stack.teardown()
            except Exception:
                import traceback
                stack.problems.append(traceback.format_exc())
            if stack.problems:
                failed += 1
                print("FAIL teardown:\n" + "\n".join(stack.problems))
        net.down()
    figures()
    if stack is not None:
        if failed:
            print(f"     logs kept in {stack.dir}")
        else:
            stack.cleanup()
    st._summary(suite, passed, failed, skipped)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
