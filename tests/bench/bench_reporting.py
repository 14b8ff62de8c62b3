#!/usr/bin/python3
"""tests/bench/bench_reporting.py - samen-reporting's figures for `make bench`.

    /usr/bin/python3 tests/bench/bench_reporting.py --bin build/release [--quick]

Starts its own stack (broker, reporting, finance; ipc:// endpoints, reporting
logging at warn) and the fake scheduling and intake of
tests/integration/test_reporting.py (MDP workers answering events.read from
memory; see that file's docstring). It loads a programme year of 2019 with
10,000 held sessions and 100,000 attendance records (skewed: a few regulars
attend often, as in the programmes' own "always the same people"), 20,000
participants with municipality, target groups and age band, 50 themes and
the region's eight municipalities, and 200 outcome items.

The fakes do not publish the bulk live: reporting reads it all through
events.read (500 events per transaction), exactly as after a restart or
when it joins late; live delivery would apply a burst one event per
transaction instead.

Figures, measured once reporting's cursors have caught up (each is the
median of repeated requests, end to end through the broker):

  1. reporting's catch-up on the whole log, started after the logs were
     filled (events applied per second, start-up included);
  2. stats.reach for 2019: unique participants, concentration, shares per
     municipality and target group, methods, feedback loop;
  3. report.annual for 2019 (Markdown; and HTML through libcmark);
  4. report.youth for 2019.

Prints one line per figure:
    ROW|<measure>|<samen figure>|<baseline or ->|<target or ->|<met/missed/->
"""
import argparse
import importlib.util
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def row(measure, figure, baseline="-", target="-", met=None):
    verdict = "-" if met is None else ("met" if met else "missed")
    print(f"ROW|{measure}|{figure}|{baseline}|{target}|{verdict}", flush=True)


MUNIS = [("Blaricum", "GM0376", 9616), ("Eemnes", "GM0317", 8877),
         ("Gooise Meren", "GM1942", 56687), ("Hilversum", "GM0402", 87817),
         ("Huizen", "GM0406", 41389), ("Laren", "GM0417", 10962),
         ("Weesp", "GM0457", 18571), ("Wijdemeren", "GM1696", 23267)]
METHODS = ["FG", "I", "SB", "E", "KB", "WB", "T", "C", "N"]
GROUPS = ["youth", "parents", "statushouders", "low literacy", "foster parents",
          "psychiatric vulnerability", "intellectual disability", "wmo-taxi users"]
AGES = ["<18", "18-26", "27-40", "41-65", "66+", "unknown"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--quick", action="store_true", help="a tenth of the data, for a smoke test")
    ap.add_argument("--repeat", type=int, default=7)
    a = ap.parse_args()
    os.environ["SAMEN_BIN"] = os.path.abspath(os.path.join(ROOT, a.bin))
    sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
    import samentest as st
    spec = importlib.util.spec_from_file_location(
        "reporting_fakes", os.path.join(ROOT, "tests", "integration", "test_reporting.py"))
    fakes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fakes)

    scale = 10 if a.quick else 1
    n_sessions, n_attend = 10000 // scale, 100000 // scale
    n_people, n_themes = 20000 // scale, 50
    rnd = random.Random(2019)

    stack = st.Stack(services=["reporting", "finance"],
                     config={"reporting": {"log_level": os.environ.get("BENCH_LOG", "warn")},
                             "finance": {"log_level": "warn"}},
                     # The production heartbeat (1 s x 5), not the test
                     # suite's fast one: on a shared machine a commit's
                     # fsync can stall for longer than the tests' 1 s.
                     broker={"heartbeat_ms": "1000", "heartbeat_liveness": "5",
                             "request_expiry_ms": "5000"},
                     name="bench-rep")
    w = None
    try:
        stack.up()
        w = fakes.World(stack, live=False)
        # reporting is stopped while the logs are filled, so that the
        # catch-up below is timed from its start on the whole log.
        stack.stop("reporting")
        for name, code, inh in MUNIS:
            w.municipality(name, code, inh)
        for t in range(1, n_themes + 1):
            w.theme(f"T{t}", f"Theme {t}", f"What do residents think of theme {t}?",
                    youth=t % 5 == 0, years=[2019])
        for p in range(1, n_people + 1):
            m = rnd.choices(MUNIS, weights=[x[2] for x in MUNIS])[0][1]
            groups = rnd.sample(GROUPS, rnd.choice([0, 0, 1, 1, 2]))
            w.participant(f"P{p}", m, groups, [], rnd.choice(AGES))
        days = [f"2019-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
        held = {}
        for s in range(1, n_sessions + 1):
            theme, method, day = f"T{rnd.randint(1, n_themes)}", rnd.choice(METHODS), rnd.choice(days)
            held[f"S{s}"] = (theme, method, day)
            w.session(f"S{s}", theme, method, held_on=day,
                      groups=["youth"] if rnd.random() < 0.1 else [])
        # Skewed attendance: a tenth of the people make half of the attendances.
        regulars = n_people // 10
        sids = list(held)
        for i in range(n_attend):
            sid = sids[i % n_sessions]
            pid = (rnd.randint(1, regulars) if rnd.random() < 0.5
                   else rnd.randint(1, n_people))
            w.attend(sid, f"P{pid}", *held[sid])
        total = w.scheduling.last_seq + w.intake.last_seq
        t0 = time.monotonic()
        stack.start("reporting")
        w.caught_up(timeout=900)
        dt = time.monotonic() - t0
        row(f"reporting catch-up on the whole log through events.read ({total:,} events: "
            f"{n_sessions:,} sessions, {n_attend:,} attendances, {n_people:,} participants)",
            f"{total / dt:,.0f} events/s ({dt:.1f} s, start-up included)")

        for i in range(200 // scale):
            sid = sids[i * 7 % n_sessions]
            stack.ok("reporting", "outcome.add",
                     {"theme": held[sid][0], "sessions": [sid],
                      "brought_in": f"Input number {i} from the residents.",
                      "done": "Taken into the plan." if i % 3 else "",
                      "status": ["open", "in_progress", "done"][i % 3]},
                     rid=f"bo{i}", timeout=30)

        def timed(op, args):
            times = []
            data = None
            for _ in range(a.repeat):
                t = time.perf_counter()
                data = stack.ok("reporting", op, args, timeout=60)
                times.append((time.perf_counter() - t) * 1000)
            return statistics.median(times), data

        size = f"{n_sessions:,} sessions, {n_attend:,} attendances"
        ms, d = timed("stats.reach", {"year": 2019})
        row(f"stats.reach 2019 ({size}; {d['participants']:,} unique participants, "
            f"concentration {d['concentration']['bp'] / 100:.2f}%)",
            f"{ms:.0f} ms (median of {a.repeat})", target="< 1000 ms", met=ms < 1000)
        ms, d = timed("report.annual", {"year": 2019})
        row(f"report.annual 2019, Markdown ({size}; {d['themes']} themes, "
            f"{200 // scale} outcome items)",
            f"{ms:.0f} ms (median of {a.repeat})", target="< 1000 ms", met=ms < 1000)
        ms, d = timed("report.annual", {"year": 2019, "format": "html"})
        row(f"report.annual 2019, HTML via libcmark ({size})",
            f"{ms:.0f} ms (median of {a.repeat})", target="< 1000 ms", met=ms < 1000)
        ms, d = timed("report.youth", {"year": 2019})
        row(f"report.youth 2019 ({size}; {d['sessions']:,} youth sessions)",
            f"{ms:.0f} ms (median of {a.repeat})", target="< 1000 ms", met=ms < 1000)
        return 0
    finally:
        if w:
            w.close()
        stack.teardown()
        if os.environ.get("BENCH_LOG"):
            for n in ("reporting", "broker"):
                with open(f"/tmp/rp/{n}.log", "w") as f:
                    f.write(stack.log(n))
        if stack.problems:
            print("\n".join(stack.problems), file=sys.stderr)
        stack.cleanup()


if __name__ == "__main__":
    sys.exit(main())
