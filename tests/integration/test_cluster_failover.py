"""Failover within 2 s (issue 14, PROTOCOL.md §9): with a broker pair, a
client at its DEFAULT request timeout (5 s) gets through the other broker
within 2 s of the broker it talks to being SIGKILLed (its connection drops:
the link monitor sees it at once) or stopped (a silent broker, as behind a
cut link: the ZMTP heartbeats go unanswered). Both clients are checked:
samenctl (libsamen's C client, common/client.c), one process per request
in a bounded loop, and the Python interop client (tests/interop), one
long-lived client.

Before the link monitor and heartbeats a request in flight at the kill, and
every new samenctl (which tries the first broker first), waited out the
whole 5 s timeout, so these tests fail without them. The figures (first
success after the kill, the worst delay of a request in flight or started
after it) are printed. Also: broker/link_heartbeat_ms is validated.
"""
import os
import signal
import subprocess
import sys
import threading
import time

import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
import samentest as st  # noqa: E402
from samen_client import SamenClient, SamenError, load_certificate  # noqa: E402

BOUND_S = 2.5        # the issue says 2 s; a little slack for a loaded test machine
STOPPED_BOUND_S = 3.5  # a silent broker: 3 heartbeats of 0.5 s, then the handshake elsewhere
LOAD_BOUND_S = 60.0  # each load loop, however slow the machine
AFTER_RUNS = 4       # requests each loop makes after the kill


def both_serve(stack, service="finance"):
    st.wait_until(lambda: all(stack.mmi_at(b, service) == "200" for b in stack.brokers), 20,
                  f"{service} to register with both brokers")


class Runs:
    """(start, end, ok, detail) of each request of a load loop, monotonic."""

    def __init__(self):
        self.runs, self.lock = [], threading.Lock()
        self.stop, self.error = threading.Event(), None

    def add(self, start, ok, detail=""):
        with self.lock:
            self.runs.append((start, time.monotonic(), ok, detail))

    def count(self, after=None):
        with self.lock:
            return sum(1 for s, _, ok, _ in self.runs if ok and (after is None or s >= after))


class CtlLoop(threading.Thread):
    """samenctl call finance service.info, again and again, at samenctl's
    default timeout (no --timeout), bounded in time."""

    def __init__(self, stack):
        super().__init__(daemon=True)
        self.stack, self.r = stack, Runs()

    def run(self):
        end = time.monotonic() + LOAD_BOUND_S
        while not self.r.stop.is_set() and time.monotonic() < end:
            t = time.monotonic()
            rc, out, err = self.stack.ctl("call", "finance", "service.info")
            self.r.add(t, rc == 0, err.strip())


class PyLoop(threading.Thread):
    """The interop client, at its defaults (timeout 5 s, 2 retries), making
    service.info calls in a loop, bounded in time. Its sockets live in this
    thread."""

    def __init__(self, stack):
        super().__init__(daemon=True)
        self.stack, self.r = stack, Runs()

    def run(self):
        ctx = zmq.Context()
        c = interop_client(self.stack, ctx)
        end = time.monotonic() + LOAD_BOUND_S
        try:
            while not self.r.stop.is_set() and time.monotonic() < end:
                t = time.monotonic()
                try:
                    c.call("finance", "service.info")
                    self.r.add(t, True, c.endpoint)
                except SamenError as e:
                    self.r.add(t, False, str(e))
                time.sleep(0.02)
        except Exception as e:  # reported by the test, not lost in the thread
            self.r.error = repr(e)
        finally:
            c.close()
            ctx.destroy(linger=0)


def fail_over(stack, loops, sig, bound, what):
    """Start loops, SIGKILL or SIGSTOP "broker" once each has succeeded
    twice, let each make AFTER_RUNS requests after, and check the times."""
    both_serve(stack)
    for lp in loops:
        lp.start()
    try:
        st.wait_until(lambda: all(lp.r.count() >= 2 for lp in loops), 30,
                      "the load loops to get going")
        t_kill = time.monotonic()
        if sig == signal.SIGKILL:
            stack.kill("broker")
        else:
            stack.procs["broker"].send_signal(sig)
        st.wait_until(lambda: all(lp.r.count(after=t_kill) >= AFTER_RUNS or not lp.is_alive()
                                  for lp in loops), LOAD_BOUND_S, "requests after the kill")
    finally:
        for lp in loops:
            lp.r.stop.set()
        for lp in loops:
            lp.join(timeout=LOAD_BOUND_S)
        if sig == signal.SIGSTOP:
            stack.procs["broker"].send_signal(signal.SIGCONT)
    runs = sorted(r for lp in loops for r in lp.r.runs)
    for lp in loops:
        st.check(lp.r.error is None, f"{what}: the load loop failed: {lp.r.error}")
    failed = [r for r in runs if not r[2]]
    st.eq(failed, [], f"{what}: requests that failed")
    # Requests in flight at the kill, or started after it: none held up
    # beyond the bound (counted from the kill or from its own start).
    hit = [(end - max(start, t_kill), start < t_kill) for start, end, _, _ in runs
           if end > t_kill]
    first = min(end for _, end, ok, _ in runs if ok and end > t_kill) - t_kill
    worst = max(d for d, _ in hit)
    in_flight = sum(1 for _, f in hit if f)
    print(f"     figures ({what}): first_success_after_kill_s={first:.2f} "
          f"worst_request_after_kill_s={worst:.2f} in_flight_at_kill={in_flight} "
          f"requests_after_kill={len(hit)}")
    st.check(first < bound, f"{what}: first success {first:.2f}s after the kill (bound {bound}s)")
    st.check(worst < bound, f"{what}: a request took {worst:.2f}s after the kill "
             f"(bound {bound}s): {[r for r in runs if r[1] - max(r[0], t_kill) >= bound]}")
    return first


@st.test(services=["finance"], brokers=2)
def samenctl_at_its_default_timeout_gets_through_the_other_broker_within_2s_of_a_kill(stack):
    fail_over(stack, [CtlLoop(stack), CtlLoop(stack)], signal.SIGKILL, BOUND_S, "samenctl, kill")


@st.test(services=["finance"], brokers=2)
def the_interop_client_at_its_default_timeout_fails_over_within_2s_of_a_kill(stack):
    fail_over(stack, [PyLoop(stack)], signal.SIGKILL, BOUND_S, "interop client, kill")


@st.test(services=["finance"], brokers=2)
def a_silent_broker_is_left_after_the_heartbeats_go_unanswered(stack):
    """SIGSTOP: the broker's connections stay open but nothing answers, as
    behind a cut link; the heartbeats (and the handshake timeout for a new
    samenctl) make both clients move on."""
    fail_over(stack, [CtlLoop(stack), PyLoop(stack)], signal.SIGSTOP, STOPPED_BOUND_S,
              "samenctl and interop client, stopped broker")


def interop_client(stack, ctx):
    server = load_certificate(os.path.join(stack.keys_dir, "broker.cert"))[0]
    return SamenClient(stack.broker_ep, ctx=ctx,
                       curve=(server, *load_certificate(stack.secret_file("admin"))))


@st.test(services=["finance"], brokers=2)
def a_request_held_by_a_broker_that_dies_goes_through_the_other_within_2s(stack):
    """Not left to chance: the broker is stopped while the requests are
    sent (the interop client's is then in the broker's socket, samenctl's
    handshake pending), and killed a moment later."""
    both_serve(stack)
    ctx = zmq.Context()
    c = interop_client(stack, ctx)
    try:
        st.eq(c.call("finance", "service.info")["name"], "finance", "a call before")
        st.eq(c.endpoint, stack.broker_eps[0], "the interop client talks to the first broker")
        stack.procs["broker"].send_signal(signal.SIGSTOP)
        done = {}

        def py_call():
            try:
                done["py"] = (c.call("finance", "service.info")["name"], time.monotonic(),
                              c.endpoint)
            except Exception as e:  # reported below
                done["py"] = (repr(e), time.monotonic(), c.endpoint)

        th = threading.Thread(target=py_call, daemon=True)
        th.start()
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1",
                   SAMEN_CONFIG=os.path.join(stack.dir, "samenctl.cfg"))
        open(env["SAMEN_CONFIG"], "w").close()
        ctl = subprocess.Popen([os.path.join(st.BIN, "samenctl"), "--broker", stack.broker_ep,
                                "call", "finance", "service.info"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(0.4)  # both have sent; less than the 1.5 s a silent link is given
        t_kill = time.monotonic()
        stack.kill("broker")
        out, err = ctl.communicate(timeout=30)
        t_ctl = time.monotonic() - t_kill
        th.join(timeout=30)
        name, t_py, ep = done.get("py", ("no answer", time.monotonic(), None))
        t_py -= t_kill
        print(f"     figures (in flight at the kill): interop_client_s={t_py:.2f} "
              f"samenctl_s={t_ctl:.2f}")
        st.eq(name, "finance", "the interop client's call")
        st.eq(ep, stack.broker_eps[1], "answered through the other broker")
        st.check(t_py < BOUND_S, f"interop client answered {t_py:.2f}s after the kill")
        st.eq(ctl.returncode, 0, f"samenctl: {err}")
        st.check(not st.SANITIZER.search(err), err)
        st.check(t_ctl < BOUND_S, f"samenctl answered {t_ctl:.2f}s after the kill")
    finally:
        c.close()
        ctx.destroy(linger=0)


@st.test(services=["finance"], brokers=2, start=False)
def link_heartbeat_setting_is_checked_and_used(stack):
    good = os.path.join(stack.dir, "link-good.cfg")
    for bad in ("50", "60001", "often"):
        path = os.path.join(stack.dir, "link-bad.cfg")
        with open(path, "w") as f:
            f.write(f'broker\n    link_heartbeat_ms = "{bad}"\n')
        env = dict(os.environ, SAMEN_CONFIG=path, ASAN_OPTIONS="detect_leaks=1")
        p = subprocess.run([os.path.join(st.BIN, "samenctl"), "--broker", stack.broker_ep,
                            "call", "finance", "service.info"], capture_output=True, text=True,
                           timeout=30, env=env)
        st.eq(p.returncode, 2, f"samenctl with link_heartbeat_ms = {bad}: {p.stderr}")
        st.check("broker/link_heartbeat_ms" in p.stderr, f"names the setting: {p.stderr!r}")
        st.check(not st.SANITIZER.search(p.stderr), p.stderr)
        p = subprocess.run([stack.binary("finance"), "--config", path], capture_output=True,
                           text=True, timeout=30, cwd=stack.dir, env=env)
        st.eq(p.returncode, 2, f"finance with link_heartbeat_ms = {bad}: {p.stderr}")
        st.check("broker/link_heartbeat_ms" in p.stderr, f"names the setting: {p.stderr!r}")
    # A good value is taken, and samenctl works with it.
    stack.up()
    with open(good, "w") as f:
        f.write('broker\n    link_heartbeat_ms = "200"\n')
    env = dict(os.environ, SAMEN_CONFIG=good, ASAN_OPTIONS="detect_leaks=1")
    p = subprocess.run([os.path.join(st.BIN, "samenctl"), "--broker", stack.broker_ep,
                        "call", "finance", "service.info"], capture_output=True, text=True,
                       timeout=30, env=env)
    st.eq(p.returncode, 0, f"samenctl with link_heartbeat_ms = 200: {p.stderr}")


if __name__ == "__main__":
    st.main()
