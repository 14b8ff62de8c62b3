#!/usr/bin/python3
"""samen-intake: signals and advice, answers, evaluations, deadlines and the
overdue announcements. "Today" is fixed with SAMEN_TODAY (common/date.h)."""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402


class Today:
    """Set SAMEN_TODAY for the daemons started inside the block."""

    def __init__(self, day):
        self.day = day

    def __enter__(self):
        self.old = os.environ.get("SAMEN_TODAY")
        os.environ["SAMEN_TODAY"] = self.day

    def __exit__(self, *exc):
        if self.old is None:
            os.environ.pop("SAMEN_TODAY", None)
        else:
            os.environ["SAMEN_TODAY"] = self.old


def up_on(stack, day):
    with Today(day):
        stack.up()


def restart_on(stack, day):
    stack.stop("intake")
    with Today(day):
        stack.start("intake")


def overdue_events(stack):
    return [e["data"] for e in stack.events("intake") if e["type"] == "intake.advice.overdue"]


def add(stack, **args):
    a = {"kind": "signal", "summary": "The taxi never comes on time"}
    a.update(args)
    return stack.ok("intake", "advice.add", a)


@st.test(services=["finance", "intake"], start=False)
def advice_deadlines_are_correct_across_a_month_end_and_a_leap_day(stack):
    up_on(stack, "2024-03-02")
    # 31 January + 1 month: the last day of February, the leap day.
    a1 = add(stack, received="2024-01-31", answer_period="1m")
    st.eq((a1["id"], a1["answer_due"]), ("A1", "2024-02-29"))
    # 18 January + 6 weeks (the default) lands on the leap day too.
    a2 = add(stack, kind="solicited_advice", received="2024-01-18")
    st.eq(a2["answer_due"], "2024-02-29")
    # Across the year end: 31 December + 2 months.
    a3 = add(stack, kind="unsolicited_advice", received="2023-12-31", answer_period="2m")
    st.eq(a3["answer_due"], "2024-02-29")
    # Answered on the leap day: the evaluation six months on.
    ans = stack.ok("intake", "advice.answer",
                   {"advice": "A2", "outcome": "adopted", "text": "We will do so.",
                    "answered": "2024-02-29"})
    st.eq((ans["state"], ans["evaluation_due"]), ("answered", "2024-08-29"))
    # Received on the leap day, a year to answer: the end of next February.
    a4 = add(stack, received="2024-02-29", answer_period="12m")
    st.eq(a4["answer_due"], "2025-02-28")
    # On 2 March, A1 and A3 are two days late (29 Feb was the last day).
    late = stack.ok("intake", "advice.overdue", {})
    st.eq(late["today"], "2024-03-02")
    st.eq([(x["id"], x["waiting_for"], x["due"], x["days_late"]) for x in late["overdue"]],
          [("A1", "answer", "2024-02-29", 2), ("A3", "answer", "2024-02-29", 2)])
    ev = {e["data"]["id"]: e["data"] for e in stack.events("intake")
          if e["type"] == "intake.advice.received"}
    st.eq(ev["A1"], {"id": "A1", "kind": "signal", "theme": None, "from": None,
                     "received": "2024-01-31", "answer_due": "2024-02-29"})
    st.eq(ev["A3"]["kind"], "unsolicited_advice")
    answered = [e["data"] for e in stack.events("intake") if e["type"] == "intake.advice.answered"]
    st.eq(answered, [{"id": "A2", "outcome": "adopted", "answered": "2024-02-29",
                      "evaluation_due": "2024-08-29"}])


@st.test(services=["finance", "intake"], start=False)
def answers_and_evaluations_follow_the_rules(stack):
    up_on(stack, "2024-06-01")
    stack.ok("finance", "municipality.add", {"name": "Laren", "code": "GM0417",
                                             "inhabitants": 10962, "as_of": "2016-01-01"})
    stack.ok("intake", "organisation.add", {"name": "Adviesraad Laren", "kind": "advisory_council"})
    stack.ok("intake", "participant.register", {"name": "Els Bos", "consent": True})
    a = add(stack, kind="unsolicited_advice", **{"from": "O1"}, theme="t7",
            received="2024-05-01", summary="Put the youth desk\nin the library")
    st.eq((a["from"], a["theme"]), ("O1", "T7"))
    add(stack, **{"from": "P1"}, received="2024-05-20")
    # Refusals name the field.
    stack.refused("intake", "advice.add", {"kind": "complaint", "summary": "x"},
                  "invalid_argument", "kind")
    stack.refused("intake", "advice.add", {"kind": "signal"}, "invalid_argument", "summary")
    stack.refused("intake", "advice.add", {"kind": "signal", "summary": "x", "from": "P9"},
                  "invalid_argument", "from")
    stack.refused("intake", "advice.add", {"kind": "signal", "summary": "x", "from": "O9"},
                  "invalid_argument", "from")
    stack.refused("intake", "advice.add", {"kind": "signal", "summary": "x",
                                           "received": "2024-06-02"}, "invalid_argument",
                  "received")
    stack.refused("intake", "advice.add", {"kind": "signal", "summary": "x",
                                           "received": "2024-02-30"}, "invalid_argument",
                  "received")
    stack.refused("intake", "advice.add", {"kind": "signal", "summary": "x",
                                           "answer_period": "6 weeks"}, "invalid_argument",
                  "answer_period")
    stack.refused("intake", "advice.add", {"kind": "signal", "summary": "x", "theme": "youth"},
                  "invalid_argument", "theme")
    # Not adopted needs the reason.
    stack.refused("intake", "advice.answer",
                  {"advice": "A1", "outcome": "not_adopted", "text": "No."}, "invalid_argument",
                  "reason")
    stack.refused("intake", "advice.answer",
                  {"advice": "A1", "outcome": "adopted", "text": "Yes", "answered": "2024-04-30"},
                  "invalid_argument", "answered")
    stack.refused("intake", "advice.evaluate", {"advice": "A1", "text": "Fine"},
                  "failed_precondition", None)
    stack.refused("intake", "advice.answer", {"advice": "A9", "outcome": "adopted", "text": "x"},
                  "not_found", "advice")
    r = stack.ok("intake", "advice.answer",
                 {"advice": "A1", "outcome": "partly_adopted", "text": "A desk, not in the library",
                  "reason": "The library has no room", "answered": "2024-05-30"})
    st.eq((r["outcome"], r["evaluation_due"]), ("partly_adopted", "2024-11-30"))
    stack.refused("intake", "advice.answer", {"advice": "A1", "outcome": "adopted", "text": "x"},
                  "failed_precondition", None)
    stack.refused("intake", "advice.evaluate",
                  {"advice": "A1", "text": "ok", "evaluated": "2024-05-29"}, "invalid_argument",
                  "evaluated")
    ev = stack.ok("intake", "advice.evaluate", {"advice": "A1", "text": "The desk works well."})
    st.eq((ev["state"], ev["evaluated"], ev["waiting_for"]), ("evaluated", "2024-06-01", None))
    g = stack.ok("intake", "advice.get", {"advice": "A1"})
    st.eq((g["summary"], g["answer"], g["reason"], g["evaluation"], g["from_name"]),
          ("Put the youth desk\nin the library", "A desk, not in the library",
           "The library has no room", "The desk works well.", "Adviesraad Laren"))
    st.eq(stack.ok("intake", "advice.get", {"advice": "A2"})["from_name"], "Els Bos")

    def ids(**q):
        return [x["id"] for x in stack.ok("intake", "advice.list", q)["advice"]]

    st.eq(ids(), ["A1", "A2"])
    st.eq(ids(state="open"), ["A2"])
    st.eq(ids(state="evaluated"), ["A1"])
    st.eq(ids(kind="signal"), ["A2"])
    st.eq(ids(theme="T7"), ["A1"])
    st.eq(ids(**{"from": "p1"}), ["A2"])
    d = stack.ok("intake", "advice.list", {"limit": 1})
    st.eq((len(d["advice"]), d["next"]), (1, "A1"))
    st.eq(ids(after="A1"), ["A2"])
    # Texts never travel in events.
    for e in stack.events("intake"):
        blob = repr(e)
        for word in ("library", "desk", "taxi"):
            st.check(word not in blob, f"event {e['type']} holds {word!r}")
    types = [e["type"] for e in stack.events("intake") if e["type"].startswith("intake.advice")]
    st.eq(types, ["intake.advice.received", "intake.advice.received", "intake.advice.answered",
                  "intake.advice.evaluated"])


@st.test(services=["finance", "intake"], start=False,
         config={"intake": {"overdue_check_ms": "3600000"}})
def overdue_is_checked_at_start_and_announced_once_per_kind(stack):
    up_on(stack, "2024-01-10")
    add(stack, received="2024-01-02")                                  # answer due 2024-02-13
    add(stack, received="2024-01-02", evaluation_period="1m")
    stack.ok("intake", "advice.answer", {"advice": "A2", "outcome": "adopted", "text": "Yes",
                                         "answered": "2024-01-05"})     # evaluation due 2024-02-05
    st.eq(overdue_events(stack), [])
    # Restarted on 1 March: the check at start finds both late, each for its own reason.
    restart_on(stack, "2024-03-01")
    st.wait_until(lambda: len(overdue_events(stack)) == 2, what="two overdue events at start")
    st.eq(sorted((e["id"], e["what"], e["due"], e["days_late"]) for e in overdue_events(stack)),
          [("A1", "answer", "2024-02-13", 17), ("A2", "evaluation", "2024-02-05", 25)])
    # A second start finds nothing new to announce.
    restart_on(stack, "2024-03-05")
    time.sleep(1.5)
    st.eq(len(overdue_events(stack)), 2)
    # Answered late; later its evaluation is late too: one more announcement.
    stack.ok("intake", "advice.answer", {"advice": "A1", "outcome": "adopted", "text": "Done",
                                         "answered": "2024-03-04"})  # evaluation due 2024-09-04
    restart_on(stack, "2024-10-01")
    st.wait_until(lambda: len(overdue_events(stack)) == 3, what="the evaluation overdue")
    st.eq(overdue_events(stack)[2],
          {"id": "A1", "what": "evaluation", "due": "2024-09-04", "days_late": 27})
    late = stack.ok("intake", "advice.overdue", {})["overdue"]
    st.eq([(x["id"], x["days_late"]) for x in late], [("A2", 239), ("A1", 27)])


@st.test(services=["finance", "intake"], start=False,
         config={"intake": {"overdue_check_ms": "1000"}})
def overdue_timer_runs_while_the_service_runs(stack):
    up_on(stack, "2024-03-01")
    add(stack, received="2024-01-01", answer_period="2w")
    st.wait_until(lambda: len(overdue_events(stack)) == 1, timeout=10,
                  what="the timer to announce the late answer")
    st.eq(overdue_events(stack)[0],
          {"id": "A1", "what": "answer", "due": "2024-01-15", "days_late": 46})
    time.sleep(2.5)     # two or more checks later: still announced once
    st.eq(len(overdue_events(stack)), 1)


if __name__ == "__main__":
    st.main()
