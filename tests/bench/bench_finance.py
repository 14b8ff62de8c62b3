#!/usr/bin/python3
"""tests/bench/bench_finance.py - durable entitlement creation from a burst of
attendance events.

    /usr/bin/python3 tests/bench/bench_finance.py --bin build/release [--events 10000]

Starts a private stack (broker and finance only, ipc:// endpoints, finance
logging at warn) and a fake scheduling (the FakeService of
tests/integration/test_finance_events.py: an MDP worker named "scheduling"
answering events.read from memory, and a PUB socket on the broker's
events-in endpoint). It then publishes a burst of N distinct
scheduling.attendance.recorded events (attended, EUR 15 each) as fast as it
can, and measures the time from the first publish until finance's
service.info shows its "scheduling" cursor at N and N entitlements stored:
each entitlement is then durable (committed with the cursor in the same
LMDB transaction). Events the broker drops under the burst reach finance
through its backfill (events.read), as they would in production.

Prints one line per figure:
    ROW|<measure>|<samen figure>|<baseline or ->|<target or ->|<met/missed/->
"""
import argparse
import importlib.util
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--timeout", type=float, default=300.0)
    a = ap.parse_args()
    os.environ["SAMEN_BIN"] = os.path.abspath(os.path.join(ROOT, a.bin))
    sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
    import samentest as st
    # The fake publisher lives with the tests that document it.
    spec = importlib.util.spec_from_file_location(
        "finance_fakes", os.path.join(ROOT, "tests", "integration", "test_finance_events.py"))
    fakes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fakes)

    stack = st.Stack(services=["finance"], config={"finance": {"log_level": "warn"}},
                     name="bench-fin")
    sched = intake = None
    try:
        stack.up()
        sched = fakes.FakeService(stack, "scheduling")
        # finance follows intake too, through the same backfill client: an
        # absent intake would hold each backfill round for the broker's
        # request expiry. In production intake runs; here a fake with an
        # empty log stands in for it.
        intake = fakes.FakeService(stack, "intake")
        n = a.events

        def info():
            # A busy finance may miss heartbeats while it applies a long run
            # of live events; the broker then answers unavailable: ask again.
            r = stack.call("finance", "service.info", timeout=10)
            if not r.get("ok"):
                return -1, -1
            d = r["data"]
            return d["following"].get("scheduling", 0), d["counts"]["entitlements"]

        t0 = time.monotonic()
        for i in range(n):
            sched.emit("scheduling.attendance.recorded",
                       {"session": f"S{i // 100 + 1}", "participant": f"P{i % 100 + 1}",
                        "attended": True, "theme": "T1", "method": "FG",
                        "held_on": "2019-11-12", "reimbursement_cents": 1500})
        t_pub = time.monotonic() - t0
        deadline = t0 + a.timeout
        cur = ents = 0
        while time.monotonic() < deadline:
            cur, ents = info()
            if cur >= n and ents >= n:
                break
            time.sleep(0.02)
        dt = time.monotonic() - t0
        if cur < n or ents < n:
            print(f"ROW|durable entitlements/s from a burst of {n:,} attendance events|"
                  f"timed out: {ents:,} of {n:,} after {dt:.0f} s|-|-|-")
            return 1
        print(f"ROW|durable entitlements/s from a burst of {n:,} attendance events|"
              f"{n / dt:,.0f}/s ({dt:.2f} s; published in {t_pub:.2f} s, "
              f"{sched.reads} backfill reads)|-|-|-")

        # The same burst while finance is down: on restart it catches up
        # through events.read, up to 500 events per transaction.
        stack.kill("finance")
        for i in range(n):
            sched.emit("scheduling.attendance.recorded",
                       {"session": f"S{i // 100 + 1001}", "participant": f"P{i % 100 + 1}",
                        "attended": True, "theme": "T1", "method": "FG",
                        "held_on": "2019-11-12", "reimbursement_cents": 1500})
        t0 = time.monotonic()
        stack.start("finance")
        deadline = t0 + a.timeout
        while time.monotonic() < deadline:
            cur, ents = info()
            if cur >= 2 * n and ents >= 2 * n:
                break
            time.sleep(0.02)
        dt = time.monotonic() - t0
        if cur < 2 * n or ents < 2 * n:
            print(f"ROW|durable entitlements/s catching up {n:,} events after a restart|"
                  f"timed out: {ents - n:,} of {n:,} after {dt:.0f} s|-|-|-")
            return 1
        print(f"ROW|durable entitlements/s catching up {n:,} events after a restart|"
              f"{n / dt:,.0f}/s ({dt:.2f} s, start-up included)|-|-|-")
        return 0
    finally:
        for fake in (sched, intake):
            if fake:
                fake.close()
        stack.teardown()
        if stack.problems:
            print("\n".join(stack.problems), file=sys.stderr)
        stack.cleanup()


if __name__ == "__main__":
    sys.exit(main())
