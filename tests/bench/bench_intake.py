#!/usr/bin/python3
"""tests/bench/bench_intake.py - samen-intake's figures for `make bench`.

    /usr/bin/python3 tests/bench/bench_intake.py --bin build/release [--quick]

Starts its own stack (broker, finance for the municipalities, intake) on
private ipc endpoints, and measures

  1. durable registrations/s: 100,000 participants (names, e-mail, phone,
     municipality, target groups, labels, themes, channel) registered by
     many clients with one request in flight each; every reply comes after
     the commit, and every registration also writes its find indexes and
     its PII change-log entry. The load is bounded in time (--max-load-s);
  2. find latency with those 100,000 in the store, end to end through the
     broker, one client: p50 and p99 over a mix of finds (target group and
     municipality with consent, label, channel, theme, part of the name,
     a page further on with a cursor), and the name finds on their own;
  3. pii.scan of a 10 KB report text against the 100,000 known people;
  4. participant.erase with the registrations' 100,000 stored replies
     (kept for retries) in the store.

Prints one line per figure:

    ROW|<measure>|<samen figure>|<baseline or ->|<target or ->|<met/missed/->
"""
import argparse
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--clients", type=int, default=64, help="requests in flight")
    ap.add_argument("--participants", type=int, default=100000)
    ap.add_argument("--finds", type=int, default=2000)
    ap.add_argument("--max-load-s", type=float, default=300.0, help="bound on the load phase")
    ap.add_argument("--quick", action="store_true", help="smaller run, for a smoke test")
    a = ap.parse_args()
    if a.quick:
        a.participants, a.finds = 5000, 300
    return a


ARGS = parse_args()
os.environ["SAMEN_BIN"] = os.path.abspath(os.path.join(ROOT, ARGS.bin))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))

import msgpack  # noqa: E402
import zmq  # noqa: E402

import samentest as st  # noqa: E402

MUNIS = [("Blaricum", "GM0376", 9616), ("Eemnes", "GM0317", 8877),
         ("Gooise Meren", "GM1942", 56687), ("Hilversum", "GM0402", 87817),
         ("Huizen", "GM0406", 41389), ("Laren", "GM0417", 10962), ("Weesp", "GM0457", 18571),
         ("Wijdemeren", "GM1696", 23267)]
FIRST = ["Jan", "Maria", "Anna", "Piet", "Kees", "Els", "Fatima", "Mohammed", "Sanne", "Daan",
         "Lotte", "Bram", "Noor", "Sem", "Eva", "Lucas", "Julia", "Milan", "Emma", "Jürgen",
         "Zoë", "Ahmet", "Priya", "Wei", "Olga", "Tomás", "Ines", "Joost", "Marieke", "Hendrik"]
LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Müller",
        "Yılmaz", "El Amrani", "Kowalski", "Nguyen", "van Dijk", "Koster", "Prins"]
GROUPS = ["foster parents", "wmo-taxi users", "refugees", "youth", "parents", "low literacy",
          "psychiatric vulnerability", "carers", "people with a disability", "elderly"]
LABELS = ["resident", "client", "parent", "youth", "foster_parent", "experience_expert",
          "carer"]
ORGS = [("Pleegzorg Gooi", "care_provider"), ("Adviesraad Sociaal Domein", "advisory_council"),
        ("Vluchtelingenwerk", "association"), ("Jeugdraad", "advisory_council"),
        ("Cliëntenraad", "client_organisation"), ("Scholengroep", "school")]


def row(measure, figure, baseline="-", target="-", met=None):
    verdict = "-" if met is None else ("met" if met else "missed")
    print(f"ROW|{measure}|{figure}|{baseline}|{target}|{verdict}", flush=True)


def participant(i, rnd):
    """The i-th generated participant (unique e-mail and phone). Young
    people come with a parent's consent (intake asks it up to 16)."""
    p = {"name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
         "email": f"p{i}@example.nl", "phone": f"06{20000000 + i:08d}",
         "municipality": rnd.choice(MUNIS)[1], "birth_year": rnd.randint(1935, 2012),
         "target_groups": rnd.sample(GROUPS, rnd.randint(1, 2)),
         "labels": rnd.sample(LABELS, rnd.randint(0, 2)),
         "themes": [f"T{rnd.randint(1, 40)}"], "channel": f"O{rnd.randint(1, len(ORGS))}",
         "consent": True}
    if p["birth_year"] >= 2000:
        p.update(guardian=f"Ouder van {p['name']}", guardian_consent_given="2020-01-06")
    return p


def load(stack, n, clients, max_s):
    """Register n participants with `clients` requests in flight, from one
    thread (a poller over one DEALER per client). Returns (done, seconds)."""
    rnd = random.Random(7)
    socks = []
    poller = zmq.Poller()
    for _ in range(clients):
        s = stack.ctx.socket(zmq.DEALER)
        s.linger = 0
        stack.curve(s)
        s.connect(stack.broker_ep)
        poller.register(s, zmq.POLLIN)
        socks.append(s)
    sent = done = failed = 0

    def send(s):
        nonlocal sent
        body = msgpack.packb({"op": "participant.register", "args": participant(sent, rnd),
                              "rid": f"b{sent}"})
        s.send_multipart([b"MDPC02", b"\x01", b"intake", body])
        sent += 1

    t0 = time.monotonic()
    for s in socks:
        if sent < n:
            send(s)
    while done < sent and time.monotonic() - t0 < max_s:
        for s, _ in poller.poll(5000):
            frames = s.recv_multipart()
            reply = msgpack.unpackb(frames[3], raw=False)
            done += 1
            if not reply.get("ok"):
                failed += 1
                if failed <= 3:
                    print(f"# refused: {reply.get('error')}", file=sys.stderr)
            if sent < n:
                send(s)
    dt = time.monotonic() - t0
    for s in socks:
        s.close(0)
    return done - failed, dt


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def finds(stack, count):
    """Time a mix of finds; returns (all latencies, name-find latencies) in ms."""
    rnd = random.Random(11)
    cl = stack.new_client()
    lat, name_lat = [], []
    kinds = ["group_muni", "label", "channel", "theme", "name", "name2", "page"]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        if kind == "group_muni":
            q = {"target_group": rnd.choice(GROUPS), "municipality": rnd.choice(MUNIS)[1],
                 "consent": True, "limit": 50}
        elif kind == "label":
            q = {"label": rnd.choice(LABELS), "limit": 50}
        elif kind == "channel":
            q = {"channel": f"O{rnd.randint(1, len(ORGS))}", "limit": 50}
        elif kind == "theme":
            q = {"theme": f"T{rnd.randint(1, 40)}", "municipality": rnd.choice(MUNIS)[1],
                 "limit": 50}
        elif kind == "name":
            q = {"name": rnd.choice(LAST).split()[-1][:4], "limit": 50}
        elif kind == "name2":
            q = {"name": rnd.choice(FIRST)[:3] + " " + rnd.choice(LAST).split()[-1][:3],
                 "limit": 50}
        else:
            q = {"target_group": rnd.choice(GROUPS), "limit": 100,
                 "after": f"P{rnd.randint(1, 90000)}"}
        t0 = time.perf_counter()
        r = cl.call("intake", "participant.find", q, timeout=30)
        ms = (time.perf_counter() - t0) * 1000
        if not r.get("ok"):
            raise RuntimeError(f"find {q} refused: {r.get('error')}")
        lat.append(ms)
        if kind.startswith("name"):
            name_lat.append(ms)
    cl.close()
    return lat, name_lat


def main():
    stack = st.Stack(services=["finance", "intake"], name="bench-intake",
                     broker={"log_level": "warn"},
                     config={"intake": {"log_level": "warn", "workers": str(ARGS.clients),
                                        "map_size_mb": "256"},
                             "finance": {"log_level": "warn"}})
    try:
        stack.up()
        for name, code, n in MUNIS:
            stack.ok("finance", "municipality.add",
                     {"name": name, "code": code, "inhabitants": n, "as_of": "2016-01-01"})
        st.wait_until(lambda: stack.ok("intake", "service.info")["counts"]
                      ["municipalities_known"] == len(MUNIS), 30, "intake to follow finance")
        for name, kind in ORGS:
            stack.ok("intake", "organisation.add", {"name": name, "kind": kind})

        n = ARGS.participants
        ok, dt = load(stack, n, ARGS.clients, ARGS.max_load_s)
        rate = ok / dt if dt > 0 else 0
        row(f"intake durable registrations/s ({ARGS.clients} clients, {ok:,} registered)",
            f"{rate:,.0f}/s", "LMDB one txn per write ~1,700/s", ">= 1,700/s", rate >= 1700)
        in_store = stack.ok("intake", "service.info")["counts"]["participants"]

        lat, name_lat = finds(stack, ARGS.finds)
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        row(f"intake find p50/p99 ({in_store:,} participants, {len(lat)} finds, mixed filters)",
            f"{p50:.2f} / {p99:.2f} ms", "-", "p99 <= 20 ms", p99 <= 20)
        n50, n99 = percentile(name_lat, 50), percentile(name_lat, 99)
        row(f"intake find by part of the name p50/p99 ({in_store:,} participants)",
            f"{n50:.2f} / {n99:.2f} ms", "-", "p99 <= 20 ms", n99 <= 20)

        rnd = random.Random(3)
        words = []
        while sum(len(w) + 1 for w in words) < 10 * 1024:
            words.append(rnd.choice(["de", "het", "bijeenkomst", "taxi", "wachttijd", "ouders",
                                     "verslag", "jeugdzorg", "gemeente", "wij", "spraken"]))
        text = " ".join(words[:200] + [f"{FIRST[1]} {LAST[2]}", "06-20000017"] + words[200:])
        scans = []
        cl = stack.new_client()
        for _ in range(50):
            t0 = time.perf_counter()
            r = cl.call("intake", "pii.scan", {"text": text}, timeout=30)
            scans.append((time.perf_counter() - t0) * 1000)
            if not r.get("ok") or not r["data"]["matches"]:
                raise RuntimeError(f"pii.scan failed or found nothing: {r}")
        cl.close()
        row(f"intake pii.scan of a 10 KB text, p50 ({in_store:,} people known)",
            f"{statistics.median(scans):.2f} ms", "-", "-")

        # Erasure forgets the stored replies that name the person: with the
        # index by ID it reads those only, not every reply of the last day.
        erases = []
        cl = stack.new_client()
        for i in range(20):
            t0 = time.perf_counter()
            r = cl.call("intake", "participant.erase", {"participant": f"P{1 + i * (n // 20)}"},
                        timeout=60)
            erases.append((time.perf_counter() - t0) * 1000)
            if not r.get("ok"):
                raise RuntimeError(f"participant.erase refused: {r.get('error')}")
        cl.close()
        row(f"intake participant.erase, p50 ({ok:,} stored replies of the last day)",
            f"{statistics.median(erases):.2f} ms", "-", "-")
    finally:
        stack.teardown()
        if stack.problems:
            print("# problems: " + "; ".join(stack.problems), file=sys.stderr)
        stack.cleanup()


if __name__ == "__main__":
    main()
