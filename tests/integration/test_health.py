"""Health and metrics of a running daemon, as an operator's tools see them:
GET /healthz, /readyz and /metrics on each daemon's own loopback port
(common/opsweb.h, docs/metrics.md), and systemd's notifications
(READY=1, WATCHDOG=1, STATUS=, STOPPING=1) on a NOTIFY_SOCKET.

Each test runs its own daemons on ports of its own (samentest picks free
ones), through the real broker and real stores.
"""
import os
import re
import signal
import socket
import subprocess
import threading
import time

import samentest as st

METRIC = re.compile(r'^([a-z_]+)(\{[^}]*\})? (\S+)$')


def scrape(stack, name):
    """Every sample of name's /metrics as {"name{labels}": value}; checks
    the content type and that every line is a comment or a sample."""
    status, ctype, body = stack.http(name, "/metrics")
    st.eq(status, 200, "/metrics status")
    st.check(ctype.startswith("text/plain; version=0.0.4"), f"exposition content type: {ctype}")
    out = {}
    for line in body.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = METRIC.match(line)
        st.check(m, f"a sample line in the text format: {line!r}")
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def healthz_or_none(stack, name):
    """/healthz's status, or None while nothing listens yet."""
    try:
        return stack.http(name, "/healthz", timeout=1)[0]
    except OSError:
        return None


def muni(n):
    return {"name": f"Gemeente {n}", "code": f"GM{n:04d}", "inhabitants": 1000 + n,
            "as_of": "2020-01-01"}


@st.test(services=["finance"])
def healthz_readyz_and_metrics_answer_and_the_figures_move_with_requests(stack):
    st.eq(stack.http("finance", "/healthz")[:3:2], (200, "ok\n"), "/healthz")
    # The broker knows finance (mmi) a heartbeat before finance hears from it.
    st.wait_until(lambda: stack.http("finance", "/readyz")[0] == 200, 3, "finance ready")
    st.eq(stack.http("finance", "/readyz")[:3:2], (200, "ready\n"), "/readyz")
    st.eq(stack.http("finance", "/healthz")[1], "text/plain; charset=utf-8", "healthz type")
    before = scrape(stack, "finance")
    st.eq(before['samen_build_info{service="finance",version="0.1.0"}'], 1, "build info")
    st.eq(before["samen_ready"], 1, "ready in the metrics too")
    ok = 'samen_requests_total{op="municipality.add",outcome="ok"}'
    replayed = 'samen_requests_total{op="municipality.add",outcome="replayed"}'
    refused = 'samen_requests_total{op="municipality.add",outcome="invalid_argument"}'
    st.check(ok not in before, "no municipality.add yet")

    stack.ok("finance", "municipality.add", muni(1), rid="h1")
    stack.ok("finance", "municipality.add", muni(1), rid="h1")   # the retry: replayed
    stack.refused("finance", "municipality.add", dict(muni(2), inhabitants=-5),
                  code="invalid_argument")
    stack.ok("finance", "service.info")

    after = scrape(stack, "finance")
    st.eq(after[ok], 1, "one applied")
    st.eq(after[replayed], 1, "one replayed")
    st.eq(after[refused], 1, "one refused, counted by its error code")
    st.eq(after['samen_requests_total{op="service.info",outcome="ok"}'], 1, "a read")
    st.eq(after["samen_idem_replayed_total"], 1, "idempotent replies replayed")
    writes = 'samen_request_duration_seconds_count{kind="write"}'
    st.eq(after[writes] - before[writes], 3, "three writes timed")
    st.eq(after['samen_request_duration_seconds_bucket{kind="write",le="+Inf"}'],
          after[writes], "the +Inf bucket holds every write")
    st.check(after["samen_commits_total"] >= 1, "a commit counted")
    st.eq(after["samen_batch_size_count"], after["samen_commits_total"], "a batch per commit")
    st.eq(after["samen_commit_duration_seconds_count"], after["samen_commits_total"],
          "each commit timed")
    st.eq(after["samen_events_published_total"], 1, "one event published")
    st.eq(after["samen_event_last_seq"], 1, "the log's last seq")
    st.check(after["samen_store_map_bytes"] >= 1 << 20, "the map size")
    st.check(0 < after["samen_store_used_bytes"] <= after["samen_store_map_bytes"],
             "the store's size within its map")

    st.eq(stack.http("finance", "/nothing")[0], 404, "an unknown path")
    st.eq(stack.http("finance", "/metrics", method="POST")[0], 405, "only GET")
    st.eq(stack.http("finance", "/healthz", method="HEAD")[::2], (200, ""), "HEAD: no body")


@st.test(services=["finance"])
def the_broker_serves_health_and_its_counters_per_service(stack):
    st.eq(stack.http("broker", "/healthz")[:3:2], (200, "ok\n"), "broker /healthz")
    st.eq(stack.http("broker", "/readyz")[:3:2], (200, "ready\n"), "broker /readyz")
    # The broker renders its figures twice a second.
    st.wait_until(lambda: scrape(stack, "broker").get('samen_broker_workers{service="finance"}')
                  == 8, 3, "finance's workers in the broker's metrics")
    before = scrape(stack, "broker")
    st.eq(before['samen_build_info{service="broker",version="0.1.0"}'], 1, "build info")
    st.eq(before['samen_broker_workers{service="finance"}'], 8, "finance's 8 workers")
    st.eq(before['samen_broker_queued{service="finance"}'], 0, "nothing queued")
    for n in range(5):
        stack.ok("finance", "service.info")
    st.wait_until(lambda: scrape(stack, "broker")["samen_broker_requests_routed_total"]
                  >= before["samen_broker_requests_routed_total"] + 5, 3, "requests routed")
    st.check(scrape(stack, "broker")["samen_broker_uptime_seconds"] >= 0, "uptime")


def publish(stack, topic, count):
    """Publish count small events on topic straight into the broker's XSUB,
    with finance's key, as finance does; returns once they are handed to
    the socket."""
    pub = stack.publisher("finance")
    pub.linger = 5000
    pub.sndhwm = 0
    time.sleep(0.5)   # the handshake, and the subscriptions reach the new publisher
    for i in range(count):
        pub.send_multipart([topic.encode(), b"x" * 64 + str(i).encode()])
    return pub


@st.test(services=[], broker={"subscriber_hwm": "50"})
def events_a_stalled_subscriber_loses_show_in_events_dropped(stack):
    import zmq
    stalled = stack.subscriber("finance.test.")
    stalled.rcvhwm = 10             # and it never reads
    time.sleep(0.3)
    pub = publish(stack, "finance.test.flood", 20000)
    st.wait_until(lambda: scrape(stack, "broker")["samen_broker_events_forwarded_total"]
                  >= 20000, 20, "every event through the broker")
    m = scrape(stack, "broker")
    # libzmq lets us see each overflow of a subscriber's queue, not each
    # event it then misses (events.h): at least one, and never more than
    # were lost.
    dropped = m["samen_broker_events_dropped_total"]
    got = 0
    try:
        while stalled.poll(300):
            stalled.recv_multipart()
            got += 1
    finally:
        stalled.close(0)
        pub.close(0)
    st.check(got < 20000, f"the stalled subscriber lost events (it got {got})")
    st.check(1 <= dropped <= 20000 - got,
             f"its losses seen in events_dropped ({dropped}; it lost {20000 - got})")


@st.test(services=[])
def events_a_subscriber_that_keeps_up_loses_nothing_and_nothing_is_counted(stack):
    reader = stack.subscriber("finance.test.")
    pub = stack.publisher("finance")
    got = 0
    try:
        # Until the subscription has reached the publisher, its events go nowhere.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pub.send_multipart([b"finance.test.warm", b"w"])
            if reader.poll(100):
                break
        while reader.poll(300):
            reader.recv_multipart()
        for i in range(200):
            pub.send_multipart([b"finance.test.calm", str(i).encode()])
            while reader.poll(0):
                reader.recv_multipart()
                got += 1
        while got < 200 and reader.poll(3000):
            reader.recv_multipart()
            got += 1
    finally:
        reader.close(0)
        pub.close(0)
    st.eq(got, 200, "every event delivered")
    st.wait_until(lambda: scrape(stack, "broker")["samen_broker_events_forwarded_total"] >= 201,
                  3, "counted as forwarded")
    st.eq(scrape(stack, "broker")["samen_broker_events_dropped_total"], 0, "none dropped")


@st.test(services=["finance"])
def samenctl_top_shows_every_daemon_from_its_metrics_and_exits_3_for_those_down(stack):
    for n in range(1, 4):
        stack.ok("finance", "municipality.add", muni(n), rid=f"t{n}")
    stack.refused("finance", "municipality.add", dict(muni(9), inhabitants=-1))
    rc, out, err = stack.ctl("--config", stack.cfg_path, "top", "--interval", "0.3")
    st.eq(rc, 3, f"three services are not running: exit 3\n{out}{err}")
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    st.eq(out.split()[:3], ["DAEMON", "STATE", "REQ/S"], "the headings")
    st.eq(rows["finance"][1], "ready", f"finance ready: {out}")
    st.eq(rows["finance"][3:6], ["4", "1", "0"], f"finance: 4 requests, 1 refused, 0 replayed: {out}")
    st.eq(rows["finance"][-2:], ["3", "0"], f"finance: last seq 3, no lag: {out}")
    st.eq(rows["broker"][1], "ready", f"the broker: {out}")
    st.eq(rows["intake"][1], "DOWN", f"intake is not running: {out}")
    rc, out, err = stack.ctl("--config", stack.cfg_path, "--locale", "nl", "top",
                             "--interval", "0.3")
    st.eq(out.split()[:2], ["DAEMON", "STAND"], f"Dutch headings: {out}")
    st.check(" gereed " in out and " UIT " in out, f"in Dutch: {out}")
    rc, out, err = stack.ctl("top", "--interval", "0")
    st.eq(rc, 2, f"a bad interval is a usage error: {err}")


@st.test(services=["intake", "finance"])
def follower_lag_shows_the_cursor_per_followed_service(stack):
    for n in range(1, 4):
        stack.ok("finance", "municipality.add", muni(n), rid=f"f{n}")
    # intake keeps a copy of finance's municipalities from its events.
    st.wait_until(lambda: scrape(stack, "intake").get(
        'samen_follow_cursor{producer="finance"}') == 3, 10, "intake's cursor on finance at 3")
    st.eq(scrape(stack, "intake")['samen_follow_lag_events{producer="finance"}'], 0,
          "nothing left to apply")


@st.test(services=["finance"], start=False)
def readyz_says_not_ready_before_the_broker_and_again_once_it_is_gone(stack):
    stack.start("finance", wait=False)
    st.wait_until(lambda: healthz_or_none(stack, "finance") == 200, 15,
                  "finance's /healthz to answer")
    # "starting" until the loop's first turn, then why it is not ready.
    st.wait_until(lambda: "not registered with the broker" in stack.http("finance", "/readyz")[2],
                  5, "/readyz to say why")
    st.eq(stack.http("finance", "/readyz")[0], 503, "not ready without a broker")
    st.eq(stack.http("finance", "/healthz")[0], 200, "alive all the same")
    st.eq(scrape(stack, "finance")["samen_ready"], 0, "samen_ready 0")

    stack.start("broker")
    stack.wait_ready("finance")
    st.wait_until(lambda: stack.http("finance", "/readyz")[0] == 200, 5, "ready once registered")

    stack.kill("broker")
    t0 = time.monotonic()
    st.wait_until(lambda: stack.http("finance", "/readyz")[0] == 503, 10,
                  "not ready once the broker is gone")
    # heartbeat 250 ms x liveness 4: gone within about a second.
    st.check(time.monotonic() - t0 < 5, "noticed within the heartbeats' window")
    st.eq(stack.http("finance", "/healthz")[0], 200, "the loop still turns")


@st.test(services=["reporting", "finance"],
         broker={"request_expiry_ms": "20000", "heartbeat_ms": "3000", "heartbeat_liveness": "5"},
         config={"reporting": {"stall_ms": "2000", "pii_scan_timeout_ms": "5000"}})
def a_stalled_loop_makes_healthz_fail_and_it_recovers(stack):
    """reporting's municipality page asks finance, synchronously, from its
    loop (two tries of pii_scan_timeout_ms, capped below the heartbeats'
    window: here 2 x 5 s); with finance gone the call waits them out, and
    reporting's loop does not turn meanwhile."""
    st.eq(stack.http("reporting", "/healthz")[0], 200, "healthy at first")
    stack.ok("finance", "municipality.add", {"name": "Huizen", "code": "GM0406",
                                             "inhabitants": 41000, "as_of": "2020-01-01"})
    page = {"municipality": "Huizen", "year": 2020}
    st.wait_until(lambda: stack.call("reporting", "report.municipality", page)["ok"], 10,
                  "reporting to know Huizen from finance's events")
    stack.stop("finance")
    client = stack.new_client()
    done = {}
    t = threading.Thread(target=lambda: done.update(r=client.call(
        "reporting", "report.municipality", page, timeout=30)))
    t.start()
    seen = None
    deadline = time.monotonic() + 9
    while time.monotonic() < deadline and not seen:
        status, _, body = stack.http("reporting", "/healthz")
        if status == 503:
            seen = body
        time.sleep(0.1)
    st.check(seen and seen.startswith("stalled: the loop has not turned for "),
             f"/healthz failed while the loop was stuck: {seen!r}")
    st.check(scrape(stack, "reporting")["samen_loop_last_turn_seconds"] >= 2,
             "the metric says how long")
    t.join(30)
    client.close()
    st.check(done.get("r", {}).get("ok"), "the page was answered in the end (without finance)")
    st.wait_until(lambda: stack.http("reporting", "/healthz")[0] == 200, 5,
                  "healthy again once the loop turns")


def get_on(host, port, path, timeout=2.0):
    """GET path on host:port: the HTTP status, or the OSError's class name
    when nothing answers there (ConnectionRefusedError)."""
    import http.client
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request("GET", path)
        return c.getresponse().status
    except OSError as e:
        return type(e).__name__
    finally:
        c.close()


@st.test(services=["finance"], start=False,
         config={"finance": {"http_address": "127.0.0.2"}})
def http_address_binds_the_health_endpoint_there_and_nowhere_else(stack):
    """127.0.0.2 is loopback on Linux without any set-up (127.0.0.0/8): the
    daemons serve there, and 127.0.0.1 on the same port is not answered.
    The broker takes it as a flag, finance from its section."""
    stack.start("broker", extra=("--http-address", "127.0.0.2"))
    stack.start("finance")
    for name in ("broker", "finance"):
        port = stack.http_ports[name]
        st.wait_until(lambda: get_on("127.0.0.2", port, "/readyz") == 200, 5,
                      f"{name}'s /readyz on 127.0.0.2")
        st.eq(get_on("127.0.0.2", port, "/healthz"), 200, f"{name}'s /healthz on 127.0.0.2")
        st.eq(get_on("127.0.0.1", port, "/healthz"), "ConnectionRefusedError",
              f"{name}: nothing on 127.0.0.1:{port}")
        log = stack.log(name)
        st.check(f"listen=http://127.0.0.2:{port}" in log, f"{name} logs where it listens: {log}")
        # A loopback address: no warning about the network.
        st.check("reachable from the network" not in log, f"{name}: no warning: {log}")
    # samenctl top reads each daemon where its configuration says: finance on
    # 127.0.0.2; the broker's flag is not in the file, so it shows DOWN.
    rc, out, err = stack.ctl("--config", stack.cfg_path, "top", "--interval", "0.2")
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    st.eq(rows["finance"][1], "ready", f"finance read on 127.0.0.2: {out}{err}")
    st.eq(rows["broker"][1], "DOWN", f"the broker's --http-address is not in the file: {out}")


@st.test(services=[], start=False)
def a_bad_http_address_stops_the_daemon_with_exit_2_naming_the_setting(stack):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0")

    def run(name, *args):
        p = subprocess.run([stack.binary(name), "--config", stack.cfg_path, *args],
                           capture_output=True, text=True, timeout=30, env=env, cwd=stack.dir)
        st.check(not st.SANITIZER.search(p.stderr), f"sanitizer report from {name}: {p.stderr}")
        return p.returncode, p.stderr

    for bad in ("localhost", "0.0.0.0:9560", "[::1]", "10.0.0.0/8", "127.0.0.256"):
        rc, err = run("broker", "--http-address", bad)
        st.eq(rc, 2, f"samen-broker --http-address {bad}: {err!r}")
        st.check("broker/http_address" in err and "IPv4 or IPv6 address" in err and bad in err,
                 f"the refusal names the setting and what it takes: {err!r}")
    stack.config["scheduling"] = {"http_address": "samen-scheduling-0"}
    stack.write_config()
    rc, err = run("scheduling", "--locale", "en")
    st.eq(rc, 2, f"samen-scheduling with http_address a name: {err!r}")
    st.check("scheduling/http_address" in err and "samen-scheduling-0" in err and
             "0.0.0.0 (every IPv4 address)" in err, f"names the setting: {err!r}")
    # (The file is checked before the daemon knows its language: the Dutch
    # of this refusal is tested in tests/unit/test_config.c.)


@st.test(services=["finance"], start=False)
def systemd_hears_ready_watchdog_status_and_stopping_on_its_notify_socket(stack):
    path = os.path.join(stack.dir, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    bsock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    bsock.bind(path + "-broker")
    bsock.settimeout(0.2)
    try:
        stack.start("broker", env={"NOTIFY_SOCKET": path + "-broker", "WATCHDOG_USEC": "400000"})
        stack.start("finance", env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"})
        got = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and got.count("WATCHDOG=1") < 3:
            try:
                got += sock.recv(4096).decode().split("\n")
            except socket.timeout:
                pass
        st.check("READY=1" in got, f"READY=1 sent: {got[:10]}")
        st.check(got.count("WATCHDOG=1") >= 3, f"WATCHDOG=1 from the loop: {got[:10]}")
        status = [m for m in got if m.startswith("STATUS=")]
        st.check(any(m.startswith("STATUS=serving: 0 requests answered") for m in status),
                 f"a one-line STATUS once ready: {status}")
        stack.stop("finance")
        rest = []
        try:
            while True:
                rest += sock.recv(4096).decode().split("\n")
        except socket.timeout:
            pass
        st.check("STOPPING=1" in rest, f"STOPPING=1 at the end: {rest}")
        # The broker too: READY=1 with a STATUS once it serves, and the watchdog.
        seen = []
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and seen.count("WATCHDOG=1") < 3:
            try:
                seen += bsock.recv(4096).decode().split("\n")
            except socket.timeout:
                pass
        st.check("READY=1" in seen and seen.count("WATCHDOG=1") >= 3, f"the broker's: {seen[:8]}")
        st.check(any(m.startswith("STATUS=routing: ") for m in seen), f"its STATUS: {seen[:8]}")
    finally:
        sock.close()
        bsock.close()


if __name__ == "__main__":
    st.main()
