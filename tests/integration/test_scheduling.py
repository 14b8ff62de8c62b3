#!/usr/bin/python3
"""samen-scheduling through the broker: themes, sessions and every transition,
registrations with capacity and waitlist (20 concurrent clients for 10 places),
consent withdrawal and erasure, invitations, attendance, the planning grid and
the iCalendar feed, and bad input refused with the field named.

The fake intake
---------------
scheduling learns who exists and who has consent from intake's events
(PROTOCOL.md §3). These tests do not run the real samen-intake (it is being
built separately, and a test must control exactly what scheduling is told).
Instead FakeIntake stands in for it, speaking the same contract:

- an MDP/0.2 worker registered with the broker as service "intake" (one
  DEALER socket, READY, heartbeats both ways, DISCONNECT handled; the one fake
  service of tests/lib/fakeservice.py) that answers
    events.read {after, limit}  -> {events: [...], last_seq} from an in-memory log
    participant.get {participant} -> {id, name} (names exist only here, as in intake)
    service.info                 -> a minimal map
  and refuses anything else with invalid_argument;
- a PUB socket connected to the broker's events-in endpoint that publishes
  every event it logs (topic frame, then {seq, ts, type, data}).

So scheduling sees both the live stream and the log it backfills from, exactly
as with the real intake. Tests run with services=["scheduling", "finance"]
(finance for the municipalities), so the real intake is never started.
"""
import os
import re
import subprocess
import threading


import samentest as st
from fakeservice import FakeService

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK_ICS = os.path.join(ROOT, "tests", "integration", "check_ics.py")


MUNICIPALITIES = [("Hilversum", "GM0402", 87817), ("Huizen", "GM0406", 41389),
                  ("Weesp", "GM0457", 18571)]


# ---- the fake intake ---------------------------------------------------------

class FakeIntake(FakeService):
    """Stands in for samen-intake: see the module docstring."""

    def __init__(self, stack):
        self.names = {}            # participant ID -> name (never leaves this process)
        self.answers_names = True  # False: behave like an intake without participant.get
        super().__init__(stack, "intake", handlers={"participant.get": self._get,
                                                    "service.info": self._info})

    def _get(self, args):
        if not self.answers_names:
            raise ValueError("unknown op 'participant.get'")
        pid = args.get("participant")
        return {"id": pid, "name": self.names[pid]} if pid in self.names else None

    def _info(self, args):
        return {"name": "intake", "last_seq": self.last_seq}

    def participant(self, pid, name=None, municipality="GM0402", target_groups=(), labels=(),
                    consent=True, status="active", age_band="27-40", verb="registered"):
        if name:
            self.names[pid] = name
        return self.emit(f"intake.participant.{verb}", {
            "id": pid, "status": status, "municipality": municipality,
            "target_groups": list(target_groups), "labels": list(labels), "themes": [],
            "age_band": age_band, "channel": None, "consent": consent})

    def withdraw(self, pid):
        return self.emit("intake.participant.consent_withdrawn", {"id": pid})

    def erase(self, pid):
        self.names.pop(pid, None)
        return self.emit("intake.participant.erased", {"id": pid})

    def synced(self, timeout=15):
        """Wait until scheduling has applied every event logged so far."""
        last = len(self.events)
        st.wait_until(lambda: self.stack.ok("scheduling", "service.info")["following"]
                      .get("intake", 0) >= last, timeout, f"scheduling to apply intake seq {last}")

    def stop(self):
        if self.running:
            self.close()


def sched_test(**kw):
    """st.test with scheduling and finance, municipalities loaded, and a fake
    intake passed to the test and stopped afterwards."""
    kw.setdefault("services", ["scheduling", "finance"])

    def wrap(f):
        def run(stack):
            for name, code, n in MUNICIPALITIES:
                stack.ok("finance", "municipality.add",
                         {"name": name, "code": code, "inhabitants": n, "as_of": "2016-01-01"})
            st.wait_until(lambda: stack.ok("scheduling", "service.info")["counts"]
                          ["municipalities_known"] == len(MUNICIPALITIES), 15,
                          "scheduling to learn the municipalities")
            intake = FakeIntake(stack)
            try:
                f(stack, intake)
            finally:
                intake.stop()
        run.__name__ = f.__name__
        return st.test(**kw)(run)
    return wrap


# ---- helpers ----------------------------------------------------------------

def theme(stack, title="Disability taxi", **kw):
    args = {"title": title, "domain": "social_support", "years": [2020]}
    args.update(kw)
    return stack.ok("scheduling", "theme.add", args)["id"]


def plan(stack, theme_id, method="FG", **kw):
    args = {"theme": theme_id, "method": method}
    if "period" not in kw and "start" not in kw:
        kw.update(start="2020-03-12T19:00", end="2020-03-12T21:00")
    args.update(kw)
    return stack.ok("scheduling", "session.plan", args)


def topics(stack, after=0):
    return [e["type"] for e in stack.events("scheduling", after)]


def last_seq(stack):
    return stack.ok("scheduling", "service.info")["last_seq"]


def ctl_bytes(stack, *args):
    """samenctl's stdout as bytes (stack.ctl decodes text and turns CRLF into LF)."""
    p = subprocess.run([os.path.join(st.BIN, "samenctl"), "--config", stack.cfg_path,
                        "--broker", stack.broker_ep, *args],
                       capture_output=True, timeout=30)
    if st.SANITIZER.search(p.stderr.decode(errors="replace")):
        stack.problems.append(f"sanitizer report from samenctl {args}")
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def register(stack, sid, pid, rid=None):
    return stack.ok("scheduling", "registration.create", {"session": sid, "participant": pid},
                    rid=rid)


# ---- themes -----------------------------------------------------------------

@sched_test()
def theme_add_update_show_and_list_emit_the_catalogue_events(stack, intake):
    t = stack.ok("scheduling", "theme.add", {
        "title": "Youth care with residence", "question": "How do young people experience it?",
        "domain": "jeugd", "phase": "evaluation", "project_leader": "J. Jansen",
        "political_lead": "Alderman De Vries", "municipalities": ["Hilversum", "GM0406"],
        "years": [2021, 2020, 2021], "source": "municipal request"})
    st.eq(t["id"], "T1")
    st.eq(t["domain"], "youth")
    st.eq(t["scope"], "local")
    st.eq(t["municipalities"], ["GM0402", "GM0406"])
    st.eq(t["years"], [2020, 2021])
    st.eq(t["youth_relevant"], True, "a youth theme counts for the youth report by default")
    st.eq(t["source"], "municipal_request")
    ev = stack.events("scheduling")[-1]
    st.eq(ev["type"], "scheduling.theme.created")
    st.eq(ev["data"], {"id": "T1", "title": "Youth care with residence",
                       "question": "How do young people experience it?", "domain": "youth",
                       "phase": "evaluation", "youth_relevant": True, "years": [2020, 2021],
                       "scope": "local", "municipalities": ["GM0402", "GM0406"],
                       "status": "active"})
    st.check("J. Jansen" not in str(ev) and "De Vries" not in str(ev),
             "people's names stay out of events")
    u = stack.ok("scheduling", "theme.update", {"theme": "T1", "scope": "regional",
                                                "status": "completed"})
    st.eq((u["scope"], u["municipalities"], u["status"]), ("regional", [], "completed"))
    ev = stack.events("scheduling")[-1]
    st.eq((ev["type"], ev["data"]["question"], ev["data"]["status"]),
          ("scheduling.theme.updated", "How do young people experience it?", "completed"),
          "an update carries the central question, changed or not")
    stack.ok("scheduling", "theme.update", {"theme": "T1", "question": "What helps at home?"})
    st.eq(stack.events("scheduling")[-1]["data"]["question"], "What helps at home?")
    theme(stack, "Disability taxi", years=[2019])
    st.eq(stack.events("scheduling")[-1]["data"]["question"], None, "no question: nil")
    st.eq([x["id"] for x in stack.ok("scheduling", "theme.list", {"year": 2020})["themes"]],
          ["T1"])
    page = stack.ok("scheduling", "theme.list", {"limit": 1})
    st.eq(([x["id"] for x in page["themes"]], page["next"]), (["T1"], "T1"))
    page = stack.ok("scheduling", "theme.list", {"limit": 1, "after": page["next"]})
    st.eq(([x["id"] for x in page["themes"]], page["next"]), (["T2"], None))
    st.eq(stack.ok("scheduling", "theme.get", {"theme": "T2"})["title"], "Disability taxi")
    stack.refused("scheduling", "theme.get", {"theme": "T9"}, "not_found", "theme")
    stack.refused("scheduling", "theme.add", {"title": "X", "domain": "sports", "years": [2020]},
                  "invalid_argument", "domain")
    stack.refused("scheduling", "theme.add", {"title": "X", "domain": "health", "years": [2020],
                                              "scope": "regional", "municipalities": ["Weesp"]},
                  "invalid_argument", "municipalities")
    stack.refused("scheduling", "theme.add", {"title": "X", "domain": "health", "years": [1999]},
                  "invalid_argument", "years")
    stack.refused("scheduling", "theme.add", {"title": "X", "domain": "health"},
                  "invalid_argument", "years")
    stack.refused("scheduling", "theme.add", {"title": "X", "domain": "health", "years": [2020],
                                              "municipalities": ["Atlantis"]},
                  "invalid_argument", "municipalities")
    stack.refused("scheduling", "theme.add", {"title": "X", "domain": "health", "years": [2020],
                                              "colour": "red"}, "invalid_argument", "colour")


@sched_test()
def reads_that_show_a_project_leader_are_on_record_and_others_are_not(stack, intake):
    t = theme(stack, project_leader="J. Jansen", political_lead="Alderman De Vries")
    theme(stack, "Suicide prevention")
    plan(stack, t)
    st.eq(stack.ok("scheduling", "theme.get", {"theme": t})["project_leader"], "J. Jansen",
          "the local admin sees the names")
    stack.ok("scheduling", "theme.list", {})
    stack.ok("scheduling", "agenda.show", {"year": 2020})
    stack.ok("scheduling", "session.get", {"session": "S1"})

    def ids(op):
        entries = stack.ok("scheduling", "audit.list", {"op": op})["entries"]
        return [(e["key"], e["ids"], e["outcome"]) for e in entries]
    st.eq(ids("theme.get"), [("admin", ["T1"], "ok")])
    st.eq(ids("theme.list"), [("admin", ["T1", "T2"], "ok")], "a list names each theme it shows")
    st.eq(ids("agenda.show"), [("admin", ["T1", "T2"], "ok")])
    st.eq(ids("session.get"), [], "a session holds no names: its reads are not on record")


# ---- sessions and transitions -----------------------------------------------

@sched_test()
def planning_emits_planned_with_exactly_the_catalogue_fields(stack, intake):
    t = theme(stack)
    s = plan(stack, t, "focusgroep", title="Evening", capacity=10,
             target_groups=[" Foster Parents", "youth"], municipalities=["Huizen"],
             reimbursement_cents=1500, location="Town hall, Hilversum", facilitators=["P7"],
             support_tasks=["recruitment", "verslaglegging"])
    st.eq((s["id"], s["method"], s["status"], s["tentative"]), ("S1", "FG", "planned", False))
    st.eq((s["start"], s["end"], s["period"]), ("2020-03-12T18:00:00Z", "2020-03-12T20:00:00Z",
                                                None))
    st.eq(s["when"], "2020-03-12 19:00-21:00")
    st.eq(s["location_kind"], "address")
    st.eq(s["support_tasks"], ["recruitment", "minutes"])
    ev = stack.events("scheduling")[-1]
    st.eq(ev["type"], "scheduling.session.planned")
    st.eq(ev["data"], {"id": "S1", "theme": "T1", "method": "FG",
                       "start": "2020-03-12T18:00:00Z", "end": "2020-03-12T20:00:00Z",
                       "period": None, "tentative": False, "status": "planned", "capacity": 10,
                       "reimbursement_cents": 1500, "target_groups": ["foster parents", "youth"],
                       "municipalities": ["GM0406"], "follow_up_of": None,
                       "register_by": None})
    p = plan(stack, t, "SB", period="2020-Q2", tentative=True, follow_up_of="S1")
    st.eq((p["period"], p["start"], p["tentative"], p["follow_up_of"]),
          ("2020-Q2", None, True, "S1"))
    st.eq(p["reimbursement_cents"], 1500, "the default reimbursement (samen.cfg) applies")
    st.eq(p["capacity"], 12, "the default capacity (samen.cfg) applies")
    u = stack.ok("scheduling", "session.update", {"session": "S2", "period": "2020-05",
                                                  "title": "Mirror"})
    st.eq((u["period"], u["title"]), ("2020-05", "Mirror"))
    ev = stack.events("scheduling")[-1]
    st.eq((ev["type"], ev["data"]["period"]), ("scheduling.session.updated", "2020-05"))


@sched_test()
def every_transition_is_checked_and_a_refusal_says_why(stack, intake):
    t = theme(stack)
    intake.participant("P1")
    intake.synced()
    period = plan(stack, t, period="2020-Q2")["id"]
    err = stack.refused("scheduling", "session.confirm", {"session": period},
                        "failed_precondition", "start")
    st.check("exact start and end" in err["message"], err["message"])
    stack.refused("scheduling", "session.hold", {"session": period}, "failed_precondition",
                  "start")
    s = plan(stack, t)["id"]
    after = last_seq(stack)
    st.eq(stack.ok("scheduling", "session.confirm", {"session": s})["status"], "confirmed")
    err = stack.refused("scheduling", "session.confirm", {"session": s}, "failed_precondition",
                        "session")
    st.check("already confirmed" in err["message"], err["message"])
    stack.refused("scheduling", "session.update", {"session": s, "period": "2020-04"},
                  "failed_precondition", "period")
    st.eq(stack.ok("scheduling", "session.hold", {"session": s})["held_on"], "2020-03-12")
    err = stack.refused("scheduling", "registration.create", {"session": s, "participant": "P1"},
                        "failed_precondition", "session")
    st.check("held" in err["message"], err["message"])
    stack.refused("scheduling", "session.hold", {"session": s}, "failed_precondition", "session")
    err = stack.refused("scheduling", "session.cancel", {"session": s}, "failed_precondition",
                        "session")
    st.check("already been held" in err["message"], err["message"])
    stack.refused("scheduling", "session.update", {"session": s, "capacity": 20},
                  "failed_precondition", "capacity")
    st.eq(stack.ok("scheduling", "session.update", {"session": s, "title": "Held one"})["title"],
          "Held one")
    c = plan(stack, t, start="2020-04-02T19:00", end="2020-04-02T21:00")["id"]
    st.eq(stack.ok("scheduling", "session.cancel", {"session": c})["status"], "cancelled")
    err = stack.refused("scheduling", "session.hold", {"session": c}, "failed_precondition",
                        "session")
    st.check("cancelled" in err["message"], err["message"])
    stack.refused("scheduling", "session.confirm", {"session": c}, "failed_precondition",
                  "session")
    stack.refused("scheduling", "session.cancel", {"session": c}, "failed_precondition",
                  "session")
    stack.refused("scheduling", "session.update", {"session": c, "title": "x"},
                  "failed_precondition", "session")
    stack.refused("scheduling", "registration.create", {"session": c, "participant": "P1"},
                  "failed_precondition", "session")
    planned = plan(stack, t, start="2020-05-02T19:00", end="2020-05-02T21:00")["id"]
    st.eq(stack.ok("scheduling", "session.hold", {"session": planned})["status"], "held",
          "a planned session may be held without being confirmed first")
    stack.refused("scheduling", "attendance.record", {"session": c, "attended": ["P1"]},
                  "failed_precondition", "session")
    future = plan(stack, t, start="2099-05-02T19:00", end="2099-05-02T21:00")["id"]
    err = stack.refused("scheduling", "session.hold", {"session": future},
                        "failed_precondition", "session")
    st.check("after today" in err["message"], err["message"])
    stack.refused("scheduling", "session.confirm", {"session": "S99"}, "not_found", "session")
    evs = stack.events("scheduling", after)
    status = [(e["type"], e["data"]) for e in evs if e["type"].split(".")[-1] in
              ("confirmed", "held", "cancelled")]
    st.eq(status[:3], [
        ("scheduling.session.confirmed", {"id": s, "theme": t, "method": "FG",
                                          "status": "confirmed"}),
        ("scheduling.session.held", {"id": s, "theme": t, "method": "FG", "status": "held",
                                     "held_on": "2020-03-12"}),
        ("scheduling.session.cancelled", {"id": c, "theme": t, "method": "FG",
                                          "status": "cancelled"})])


@sched_test()
def bad_input_is_refused_with_the_field_named(stack, intake):
    t = theme(stack)
    intake.participant("P1")
    intake.synced()
    cases = [
        ({"start": "2020-03-12T21:00", "end": "2020-03-12T19:00"}, "end"),
        ({"start": "2020-03-12T19:00", "end": "2020-03-12T19:00"}, "end"),
        ({"period": "2020-Q2", "capacity": -3}, "capacity"),
        ({"period": "2020-Q2", "capacity": 10001}, "capacity"),
        ({"period": "2020-13"}, "period"),
        ({"period": "2020-Q5"}, "period"),
        ({"start": "2020-02-30T19:00", "end": "2020-02-30T21:00"}, "start"),
        ({"period": "2020-02-30..2020-03-05"}, "period"),
        ({"start": "2020-03-12T19:00"}, "end"),
        ({"start": "2020-03-12T19:00", "end": "2020-03-12T21:00", "period": "2020-03"}, "period"),
        ({}, "start"),
        ({"period": "2020-Q2", "reimbursement_cents": -100}, "reimbursement_cents"),
        ({"period": "2020-Q2", "location_kind": "moon"}, "location_kind"),
        ({"period": "2020-Q2", "support_tasks": ["catering"]}, "support_tasks"),
        ({"period": "2020-Q2", "follow_up_of": "S42"}, "follow_up_of"),
        ({"period": "2020-Q2", "municipalities": ["Atlantis"]}, "municipalities"),
        ({"period": "2020-Q2", "times_a_year": 5, "count": 3}, "times_a_year"),
        ({"period": "2020-Q2", "times_a_year": 3}, "count"),
        ({"period": "2020-Q2", "every_weeks": 2, "count": 3}, "every_weeks"),
        ({"period": "2020-Q2", "keep": "weekday"}, "keep"),
        ({"start": "2020-03-12T19:00", "end": "2020-03-12T21:00", "every_weeks": 2, "count": 3,
          "keep": "date"}, "keep"),
        ({"period": "2020-Q2", "times_a_year": 3, "count": 3, "keep": "fortnight"}, "keep"),
    ]
    for extra, field in cases:
        args = {"theme": t, "method": "FG"}
        args.update(extra)
        err = stack.refused("scheduling", "session.plan", args, field=field)
        st.check(err["message"], f"{extra}: a refusal says why")
    for method in ("XX", "", "focus"):
        stack.refused("scheduling", "session.plan", {"theme": t, "method": method,
                                                     "period": "2020-Q2"},
                      "invalid_argument", "method")
    stack.refused("scheduling", "session.plan", {"theme": "T9", "method": "FG",
                                                 "period": "2020-Q2"}, "not_found", "theme")
    stack.refused("scheduling", "session.plan", {"theme": "X1", "method": "FG",
                                                 "period": "2020-Q2"}, "invalid_argument", "theme")
    s = plan(stack, t, capacity=2)["id"]
    stack.refused("scheduling", "session.update", {"session": s, "capacity": -1},
                  "invalid_argument", "capacity")
    stack.refused("scheduling", "registration.create", {"session": s, "participant": "P404"},
                  "not_found", "participant")
    register(stack, s, "P1")
    err = stack.refused("scheduling", "registration.create", {"session": s, "participant": "P1"},
                        "already_exists", "participant")
    st.check("already registered" in err["message"], err["message"])
    stack.refused("scheduling", "agenda.grid", {"from": "2019-13", "to": "2020-06"},
                  "invalid_argument", "from")
    stack.refused("scheduling", "agenda.grid", {"from": "2020-06", "to": "2019-10"},
                  "invalid_argument", "to")
    stack.refused("scheduling", "agenda.grid", {"from": "2019-10", "to": "2020-06",
                                                "format": "pdf"}, "invalid_argument", "format")
    st.eq(stack.ok("scheduling", "service.info")["counts"]["sessions"], 1,
          "nothing refused was stored")


@sched_test()
def a_facilitator_booked_twice_at_once_is_refused_unless_allowed(stack, intake):
    t = theme(stack)
    plan(stack, t, facilitators=["P7", "AB"])
    err = stack.refused("scheduling", "session.plan", {
        "theme": t, "method": "I", "start": "2020-03-12T20:00", "end": "2020-03-12T22:00",
        "facilitators": ["ab"]}, "conflict", "start")
    st.check("AB" in err["message"] or "ab" in err["message"], err["message"])
    st.check("S1" in err["message"] and "allow_double_booking" in err["message"], err["message"])
    # Back to back is not an overlap.
    plan(stack, t, "I", start="2020-03-12T21:00", end="2020-03-12T22:00", facilitators=["AB"])
    s3 = plan(stack, t, "I", start="2020-03-12T20:00", end="2020-03-12T22:00",
              facilitators=["P7"], allow_double_booking=True)["id"]
    # Rescheduling into someone's booked time is checked too.
    s4 = plan(stack, t, "E", start="2020-03-13T10:00", end="2020-03-13T11:00",
              facilitators=["P8"])["id"]
    stack.refused("scheduling", "session.update", {
        "session": s4, "start": "2020-03-12T20:30", "end": "2020-03-12T21:30",
        "facilitators": ["P7"]}, "conflict", "start")
    # A cancelled booking frees the facilitator.
    stack.ok("scheduling", "session.cancel", {"session": s3})
    stack.ok("scheduling", "session.cancel", {"session": "S1"})
    stack.ok("scheduling", "session.update", {
        "session": s4, "start": "2020-03-12T19:30", "end": "2020-03-12T20:30",
        "facilitators": ["P7"]})


@sched_test()
def a_cafe_three_times_a_year_creates_its_occurrences(stack, intake):
    t = theme(stack, "Foster-parent cafe", domain="youth")
    r = stack.ok("scheduling", "session.plan", {
        "theme": t, "method": "C", "start": "2020-01-15T19:00", "end": "2020-01-15T21:00",
        "times_a_year": 3, "count": 6, "facilitators": ["P7"]})
    st.eq(r["occurrences"], ["S1", "S2", "S3", "S4", "S5", "S6"])
    st.eq(r["session"]["series"], "S1")
    whens = [stack.ok("scheduling", "session.get", {"session": s})["when"]
             for s in r["occurrences"]]
    # The third Wednesday each time (it used to be the 15th: a Friday, then
    # a Tuesday), and 19:00 stays 19:00 across summer time.
    st.eq(whens, ["2020-01-15 19:00-21:00", "2020-05-20 19:00-21:00", "2020-09-16 19:00-21:00",
                  "2021-01-20 19:00-21:00", "2021-05-19 19:00-21:00", "2021-09-15 19:00-21:00"],
          "the third Wednesday, at 19:00")
    d = stack.ok("scheduling", "session.plan", {
        "theme": t, "method": "C", "start": "2020-01-15T10:00", "end": "2020-01-15T11:00",
        "times_a_year": 3, "count": 3, "keep": "date"})
    st.eq([stack.ok("scheduling", "session.get", {"session": s})["when"]
           for s in d["occurrences"]],
          ["2020-01-15 10:00-11:00", "2020-05-15 10:00-11:00", "2020-09-15 10:00-11:00"],
          "keep date: the day of the month")
    st.eq(topics(stack).count("scheduling.session.planned"), 9)
    q = stack.ok("scheduling", "session.plan", {"theme": t, "method": "KB", "period": "2020-Q1",
                                                "every_months": 3, "count": 4})
    st.eq([stack.ok("scheduling", "session.get", {"session": s})["period"]
           for s in q["occurrences"]], ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"])


# ---- registrations -------------------------------------------------------------

@sched_test()
def capacity_waitlist_and_promotion_on_cancel(stack, intake):
    t = theme(stack)
    for i in range(1, 6):
        intake.participant(f"P{i}")
    intake.synced()
    s = plan(stack, t, capacity=2)["id"]
    after = last_seq(stack)
    got = [register(stack, s, f"P{i}") for i in range(1, 5)]
    st.eq([(g["status"], g["position"]) for g in got],
          [("registered", 0), ("registered", 0), ("waitlisted", 1), ("waitlisted", 2)])
    r = stack.ok("scheduling", "registration.cancel", {"session": s, "participant": "P1"})
    st.eq(r["promoted"], "P3")
    lst = stack.ok("scheduling", "registration.list", {"session": s})
    st.eq([(x["participant"], x["status"], x["position"]) for x in lst["registrations"]],
          [("P2", "registered", 0), ("P3", "registered", 0), ("P4", "waitlisted", 1)])
    # A waitlisted one leaving promotes nobody.
    r = stack.ok("scheduling", "registration.cancel", {"session": s, "participant": "P4"})
    st.eq(r["promoted"], None)
    stack.refused("scheduling", "registration.cancel", {"session": s, "participant": "P4"},
                  "failed_precondition", "participant")
    stack.refused("scheduling", "registration.cancel", {"session": s, "participant": "P5"},
                  "not_found", "participant")
    # Raising the capacity lets the waitlist in, in order.
    register(stack, s, "P5")
    register(stack, s, "P1")
    u = stack.ok("scheduling", "session.update", {"session": s, "capacity": 3})
    st.eq((u["registered"], u["waitlisted"]), (3, 1))
    stack.refused("scheduling", "session.update", {"session": s, "capacity": 2},
                  "failed_precondition", "capacity")
    evs = [(e["type"].split(".", 1)[1], e["data"]) for e in stack.events("scheduling", after)]
    st.eq(evs, [
        ("registration.created", {"session": s, "participant": "P1", "status": "registered",
                                  "position": 0}),
        ("registration.created", {"session": s, "participant": "P2", "status": "registered",
                                  "position": 0}),
        ("registration.created", {"session": s, "participant": "P3", "status": "waitlisted",
                                  "position": 1}),
        ("registration.created", {"session": s, "participant": "P4", "status": "waitlisted",
                                  "position": 2}),
        ("registration.cancelled", {"session": s, "participant": "P1"}),
        ("registration.promoted", {"session": s, "participant": "P3"}),
        ("registration.cancelled", {"session": s, "participant": "P4"}),
        ("registration.created", {"session": s, "participant": "P5", "status": "waitlisted",
                                  "position": 1}),
        ("registration.created", {"session": s, "participant": "P1", "status": "waitlisted",
                                  "position": 2}),
        ("session.updated", evs[9][1]),
        ("registration.promoted", {"session": s, "participant": "P5"})])
    mine = stack.ok("scheduling", "registration.list", {"participant": "P1"})["registrations"]
    st.eq([(x["session"], x["status"], x["position"]) for x in mine], [(s, "waitlisted", 1)])


@sched_test()
def twenty_concurrent_registrations_for_ten_places(stack, intake):
    t = theme(stack)
    for i in range(1, 21):
        intake.participant(f"P{i}")
    intake.synced()
    s = plan(stack, t, capacity=10)["id"]
    after = last_seq(stack)
    barrier = threading.Barrier(20)
    results, errors = {}, []

    def one(i):
        c = stack.new_client()
        try:
            barrier.wait(10)
            r = c.call("scheduling", "registration.create",
                       {"session": s, "participant": f"P{i}"}, rid=f"conc-{i}", timeout=20)
            if r.get("ok"):
                results[f"P{i}"] = r["data"]
            else:
                errors.append(r)
        except Exception as e:  # reported below, in the test's thread
            errors.append(repr(e))
        finally:
            c.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(1, 21)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    st.eq(errors, [])
    st.eq(len(results), 20)
    registered = sorted(p for p, r in results.items() if r["status"] == "registered")
    waiting = {p: r["position"] for p, r in results.items() if r["status"] == "waitlisted"}
    st.eq(len(registered), 10, "never over capacity")
    st.eq(sorted(waiting.values()), list(range(1, 11)), "waitlist positions 1..10, no gaps")
    for r in results.values():
        st.check(r["registered"] <= 10, f"a reply saw {r['registered']} registered")
    # The stored order is the order the replies and events announced.
    evs = [e for e in stack.events("scheduling", after)
           if e["type"] == "scheduling.registration.created"]
    st.eq(len(evs), 20)
    by_event = [e["data"]["participant"] for e in evs if e["data"]["status"] == "waitlisted"]
    st.eq(by_event, sorted(waiting, key=waiting.get), "waitlist order kept")
    st.eq([e["data"]["position"] for e in evs if e["data"]["status"] == "waitlisted"],
          list(range(1, 11)))
    lst = stack.ok("scheduling", "registration.list", {"session": s})
    st.eq([x["participant"] for x in lst["registrations"] if x["status"] == "waitlisted"],
          by_event)
    # Promotion on cancel: the first waiting gets the place, and the others move up.
    first, second = by_event[0], by_event[1]
    r = stack.ok("scheduling", "registration.cancel", {"session": s, "participant": registered[0]})
    st.eq(r["promoted"], first)
    st.eq((r["registered"], r["waitlisted"]), (10, 9))
    lst = stack.ok("scheduling", "registration.list", {"session": s})
    st.eq([(x["participant"], x["position"]) for x in lst["registrations"]
           if x["status"] == "waitlisted"][0], (second, 1))
    ev = stack.events("scheduling")[-1]
    st.eq((ev["type"], ev["data"]), ("scheduling.registration.promoted",
                                     {"session": s, "participant": first}))
    # A retried registration (same rid) is applied once.
    again = stack.call("scheduling", "registration.create", {"session": s, "participant": "P1"},
                       rid="conc-1")
    st.eq(again["data"], results["P1"])


@sched_test()
def registration_needs_consent_and_an_active_participant(stack, intake):
    t = theme(stack)
    intake.participant("P1", consent=False, status="withdrawn")
    intake.participant("P2", status="paused")
    intake.participant("P3")
    intake.synced()
    s = plan(stack, t)["id"]
    err = stack.refused("scheduling", "registration.create", {"session": s, "participant": "P1"},
                        "failed_precondition", "participant")
    st.check("consent" in err["message"], err["message"])
    err = stack.refused("scheduling", "registration.create", {"session": s, "participant": "P2"},
                        "failed_precondition", "participant")
    st.check("paused" in err["message"], err["message"])
    register(stack, s, "P3")


@sched_test()
def consent_withdrawal_and_erasure_take_effect(stack, intake):
    t = theme(stack)
    for i in range(1, 5):
        intake.participant(f"P{i}")
    intake.synced()
    past = plan(stack, t, capacity=5)["id"]
    future = plan(stack, t, capacity=2, start="2020-06-12T19:00", end="2020-06-12T21:00")["id"]
    other = plan(stack, t, capacity=5, start="2020-07-12T19:00", end="2020-07-12T21:00")["id"]
    for p in ("P1", "P2"):
        register(stack, past, p)
    for p in ("P1", "P2", "P3"):
        register(stack, future, p)
    register(stack, other, "P2")
    stack.ok("scheduling", "invite.mark", {"session": other, "participants": ["P1", "P4"]})
    stack.ok("scheduling", "session.hold", {"session": past})
    stack.ok("scheduling", "attendance.record", {"session": past, "attended": ["P1", "P2"]})
    after = last_seq(stack)
    # Withdrawn: out of the future sessions, the waitlist moves up; the past stays.
    intake.withdraw("P1")
    intake.synced()
    evs = [(e["type"].split(".", 1)[1], e["data"]) for e in stack.events("scheduling", after)]
    st.eq(evs, [("registration.cancelled", {"session": future, "participant": "P1"}),
                ("registration.promoted", {"session": future, "participant": "P3"})])
    regs = stack.ok("scheduling", "registration.list", {"session": future, "all": True})
    st.eq([(x["participant"], x["status"]) for x in regs["registrations"]],
          [("P2", "registered"), ("P3", "registered"), ("P1", "cancelled")])
    st.eq([x["participant"] for x in stack.ok("scheduling", "attendance.list",
                                              {"session": past})["entries"]], ["P1", "P2"])
    err = stack.refused("scheduling", "registration.create",
                        {"session": other, "participant": "P1"}, "failed_precondition",
                        "participant")
    st.check("consent" in err["message"], err["message"])
    stack.refused("scheduling", "invite.mark", {"session": other, "participants": ["P1"]},
                  "failed_precondition", "participants")
    # Erased: removed altogether from sessions to come, attendance kept under the bare ID.
    after = last_seq(stack)
    intake.erase("P2")
    intake.synced()
    evs = [(e["type"].split(".", 1)[1], e["data"]) for e in stack.events("scheduling", after)]
    st.eq(sorted(evs, key=lambda e: e[1]["session"]),
          sorted([("registration.cancelled", {"session": future, "participant": "P2"}),
                  ("registration.cancelled", {"session": other, "participant": "P2"})],
                 key=lambda e: e[1]["session"]))
    regs = stack.ok("scheduling", "registration.list", {"session": future, "all": True})
    st.eq([x["participant"] for x in regs["registrations"]], ["P3", "P1"])
    st.eq(stack.ok("scheduling", "registration.list", {"session": other,
                                                      "all": True})["registrations"], [])
    att = stack.ok("scheduling", "attendance.list", {"session": past})
    st.eq([(x["participant"], x["attended"]) for x in att["entries"]],
          [("P1", True), ("P2", True)])
    stack.refused("scheduling", "registration.create", {"session": other, "participant": "P2"},
                  "not_found", "participant")
    # An update arriving for an erased ID does not bring it back.
    intake.participant("P2", verb="updated")
    intake.synced()
    stack.refused("scheduling", "registration.create", {"session": other, "participant": "P2"},
                  "not_found", "participant")
    # Nothing personal reached scheduling's events.
    for e in stack.events("scheduling"):
        st.check(set(e["data"]) <= {"id", "theme", "method", "start", "end", "period",
                                    "tentative", "status", "capacity", "reimbursement_cents",
                                    "target_groups", "municipalities", "follow_up_of",
                                    "register_by", "title",
                                    "question",
                                    "domain", "phase", "youth_relevant", "years", "scope",
                                    "session", "participant", "position", "attended",
                                    "held_on"}, f"unexpected event fields {e}")


# ---- invitations and attendance ----------------------------------------------

@sched_test()
def the_invite_list_matches_and_can_put_first_timers_first(stack, intake):
    t = theme(stack, "Foster care", domain="youth", municipalities=["Hilversum", "Huizen"])
    intake.participant("P1", municipality="GM0402", target_groups=["foster parents"])
    intake.participant("P2", municipality="Huizen", target_groups=["Foster Parents", "youth"])
    intake.participant("P3", municipality="GM0457", target_groups=["foster parents"])  # Weesp
    intake.participant("P4", municipality="GM0402", target_groups=["statushouders"])
    intake.participant("P5", municipality="GM0402", labels=["foster parents"])
    intake.participant("P6", municipality="GM0402", target_groups=["foster parents"],
                       consent=False)
    intake.participant("P7", municipality="GM0402", target_groups=["foster parents"])
    intake.synced()
    earlier = plan(stack, t, start="2020-01-10T19:00", end="2020-01-10T21:00")["id"]
    for p in ("P1", "P2"):
        register(stack, earlier, p)
    stack.ok("scheduling", "session.hold", {"session": earlier})
    stack.ok("scheduling", "attendance.record", {"session": earlier, "attended": ["P1", "P2"]})
    s = plan(stack, t, target_groups=["foster parents"])["id"]
    got = stack.ok("scheduling", "invite.list", {"session": s})
    st.eq([c["participant"] for c in got["candidates"]], ["P1", "P2", "P5", "P7"],
          "consent, target group and the theme's municipalities; in ID order")
    got = stack.ok("scheduling", "invite.list", {"session": s, "first_timers_first": True})
    st.eq([(c["participant"], c["first_time"]) for c in got["candidates"]],
          [("P5", True), ("P7", True), ("P1", False), ("P2", False)])
    st.eq(got["candidates"][2]["times_attended"], 1)
    stack.ok("scheduling", "invite.mark", {"session": s, "participants": ["P5"]})
    register(stack, s, "P7")
    got = stack.ok("scheduling", "invite.list", {"session": s, "first_timers_first": True,
                                                 "limit": 1})
    st.eq([c["participant"] for c in got["candidates"]], ["P1"], "not yet invited, limit kept")
    r = stack.ok("scheduling", "invite.mark", {"session": s, "participants": ["P5", "P1"]})
    st.eq((r["marked"], r["already"]), (1, 1))
    stack.refused("scheduling", "invite.list", {"session": earlier}, "failed_precondition",
                  "session")


@sched_test()
def attendance_is_recorded_once_held_and_tells_finance_the_reimbursement(stack, intake):
    t = theme(stack)
    for i in range(1, 6):
        intake.participant(f"P{i}")
    intake.synced()
    s = plan(stack, t, reimbursement_cents=1500, capacity=3)["id"]
    for i in range(1, 5):
        register(stack, s, f"P{i}")
    stack.refused("scheduling", "attendance.record", {"session": s, "attended": ["P1"]},
                  "failed_precondition", "session")
    stack.ok("scheduling", "session.hold", {"session": s})
    after = last_seq(stack)
    r = stack.ok("scheduling", "attendance.record",
                 {"session": s, "attended": ["P1", "P4"], "no_show": ["P2"]})
    st.eq((r["recorded"], r["attended"], r["no_show"]), (3, 2, 1))
    evs = [e["data"] for e in stack.events("scheduling", after)]
    st.eq(evs, [
        {"session": s, "participant": "P1", "attended": True, "theme": t, "method": "FG",
         "held_on": "2020-03-12", "reimbursement_cents": 1500},
        {"session": s, "participant": "P4", "attended": True, "theme": t, "method": "FG",
         "held_on": "2020-03-12", "reimbursement_cents": 1500},
        {"session": s, "participant": "P2", "attended": False, "theme": t, "method": "FG",
         "held_on": "2020-03-12", "reimbursement_cents": 0}])
    # The same again changes nothing and emits nothing; a change is refused.
    r = stack.ok("scheduling", "attendance.record", {"session": s, "attended": ["P1"]})
    st.eq((r["recorded"], r["unchanged"]), (0, 1))
    stack.refused("scheduling", "attendance.record", {"session": s, "no_show": ["P1"]},
                  "failed_precondition", "participant")
    stack.refused("scheduling", "attendance.record", {"session": s, "attended": ["P5"]},
                  "failed_precondition", "participant")
    stack.refused("scheduling", "attendance.record",
                  {"session": s, "attended": ["P3"], "no_show": ["P3"]},
                  "invalid_argument", "no_show")
    stack.refused("scheduling", "attendance.record", {"session": s, "attended": ["P99"]},
                  "not_found", "attended")
    r = stack.ok("scheduling", "attendance.record", {"session": s, "attended": ["P5"],
                                                     "walk_in": True})
    st.eq(r["recorded"], 1)
    lst = stack.ok("scheduling", "attendance.list", {"session": s})
    st.eq([(x["participant"], x["attended"], x["walk_in"]) for x in lst["entries"]],
          [("P1", True, False), ("P2", False, False), ("P4", True, False), ("P5", True, True)])
    st.eq(lst["not_recorded"], ["P3"])
    st.eq(topics(stack, after).count("scheduling.attendance.recorded"), 4)


# ---- grid and calendar --------------------------------------------------------

GRID = """\
Theme              Oct19 Nov19 Dec19 Jan20 Feb20  Mar20 Apr20 May20 Jun20
Disability taxi    FG                                         E?    E?
Suicide prevention N                 FG    FG ovb
Shelter and care         I     I     SB?   SB?    SB? I

Codes: FG focus group, I interviews, SB mirror meeting, E survey, N network meeting, ovb \
tentative (onder voorbehoud), ? not yet fixed to a month
"""

GRID_NL = """\
Onderwerp          Okt 19 Nov 19 Dec 19 Jan 20 Feb 20 Mrt 20 Apr 20 Mei 20 Jun 20
Disability taxi    FG                                               E?     E?
Suicide prevention N                    FG     FG ovb
Shelter and care          I      I      SB?    SB?    SB? I

Legenda: FG focusgroep, I interviews, SB spiegelbijeenkomst, E enquête, N netwerkbijeenkomst, \
ovb onder voorbehoud, ? nog niet op een maand vastgelegd
"""


def small_agenda(stack):
    t1 = theme(stack, "Disability taxi", years=[2019, 2020])
    t2 = theme(stack, "Suicide prevention", domain="health", years=[2020])
    t3 = theme(stack, "Shelter and care", domain="shelter and protection", years=[2019, 2020])
    theme(stack, "Old theme", domain="other", years=[2018])
    dropped = theme(stack, "Dropped", domain="other", years=[2020])
    stack.ok("scheduling", "theme.update", {"theme": dropped, "status": "dropped"})
    plan(stack, t1, "FG", start="2019-10-15T19:00", end="2019-10-15T21:00")
    kb = plan(stack, t1, "KB", start="2019-11-20T19:00", end="2019-11-20T21:00")["id"]
    stack.ok("scheduling", "session.cancel", {"session": kb})
    plan(stack, t1, "E", period="2020-05-01..2020-07-15")
    plan(stack, t2, "FG", period="2020-01")
    plan(stack, t2, "FG", start="2020-02-11T19:00", end="2020-02-11T21:00", tentative=True)
    plan(stack, t2, "N", start="2019-10-01T00:30", end="2019-10-01T02:00")
    plan(stack, t3, "I", start="2019-11-05T10:00", end="2019-11-05T12:00")
    plan(stack, t3, "I", start="2019-12-03T10:00", end="2019-12-03T12:00")
    plan(stack, t3, "SB", period="2020-Q1")
    plan(stack, t3, "I", start="2020-03-10T10:00", end="2020-03-10T12:00",
         location="Library, Huizen", title="Interviews; round 2")


@sched_test()
def the_grid_of_a_small_agenda_is_exactly_the_expected_text(stack, intake):
    small_agenda(stack)
    g = stack.ok("scheduling", "agenda.grid", {"from": "2019-10", "to": "2020-06"})
    st.eq(g["text"], GRID)
    st.eq((g["themes"], g["format"]), (3, "text"))
    rc, out, err = stack.ctl("agenda", "grid", "--from", "2019-10", "--to", "2020-06")
    st.eq((rc, err), (0, ""))
    st.eq(out, GRID, "samenctl prints exactly the grid")
    rc, raw, _ = ctl_bytes(stack, "agenda", "grid", "--from", "2019-10", "--to", "2020-06",
                           "--format", "csv")
    st.eq(raw.split(b"\r\n")[:2], [b"Theme,Oct19,Nov19,Dec19,Jan20,Feb20,Mar20,Apr20,May20,Jun20",
                                   b"Disability taxi,FG,,,,,,,E?,E?"], "CSV with CRLF line ends")
    rc, out, _ = stack.ctl("agenda", "grid", "--from", "2019-10", "--to", "2020-06", "--format",
                           "md")
    st.eq(out.splitlines()[2], "| Disability taxi | FG | | | | | | | E? | E? |")
    rc, out, _ = stack.ctl("agenda", "grid", "--from", "2019-10", "--to", "2020-06", "--format",
                           "html")
    st.check(out.startswith("<!DOCTYPE html>") and "<td>SB? I</td>" in out, out[:400])
    rc, _, err = stack.ctl("agenda", "grid", "--from", "2019-13", "--to", "2020-06")
    st.eq(rc, 1)
    st.check("(field: from)" in err, err)
    # In Dutch: the region's own grid, months as "Okt 19", a legend in its words.
    rc, out, err = stack.ctl("--locale", "nl", "agenda", "grid", "--from", "2019-10", "--to",
                             "2020-06")
    st.eq((rc, out), (0, GRID_NL), err)
    rc, raw, _ = ctl_bytes(stack, "--locale", "nl", "agenda", "grid", "--from", "2019-10", "--to",
                           "2020-06", "--format", "csv")
    st.eq(raw.split(b"\r\n")[0], "Onderwerp;Okt 19;Nov 19;Dec 19;Jan 20;Feb 20;Mrt 20;Apr 20;"
                                  "Mei 20;Jun 20".encode(), "CSV for a Dutch spreadsheet")
    a = stack.ok("scheduling", "agenda.show", {"year": 2020})
    st.eq([x["theme"]["title"] for x in a["themes"]],
          ["Disability taxi", "Suicide prevention", "Shelter and care", "Dropped"])
    st.eq([s["when"] for s in a["themes"][1]["sessions"]],
          ["2020-01", "2020-02-11 19:00-21:00"])
    rc, out, _ = stack.ctl("agenda", "show", "--year", "2020")
    st.eq(rc, 0)
    st.check("S5    FG  2020-02-11 19:00-21:00" in out and "planned ovb" in out, out)


@sched_test()
def the_calendar_of_sessions_with_exact_times_parses(stack, intake):
    small_agenda(stack)
    stack.ok("scheduling", "session.confirm", {"session": "S1"})
    rc, raw, err = ctl_bytes(stack, "session", "list", "--format", "ics")
    st.eq((rc, err), (0, ""))
    path = os.path.join(stack.dir, "sessions.ics")
    with open(path, "wb") as f:
        f.write(raw)
    out = raw.decode()
    p = subprocess.run(["/usr/bin/python3", CHECK_ICS, path], capture_output=True, text=True,
                       timeout=60)
    st.eq(p.returncode, 0, p.stderr)
    lines = p.stdout.splitlines()
    st.eq(lines[0], "vevents=7", "exact times only; the cancelled one stays, marked CANCELLED")
    st.eq(sorted(l for l in lines[1:]), sorted(f"uid=S{i}@samen" for i in (1, 2, 5, 6, 7, 8, 10)))
    st.check("STATUS:CANCELLED" in out and "STATUS:CONFIRMED" in out, out)
    st.check("LOCATION:Library\\, Huizen" in out, out)
    st.check("SUMMARY:Interviews: Shelter and care - Interviews\\; round 2" in out, out)
    # In Dutch: the method in Dutch, the theme's title.
    rc, raw, err = ctl_bytes(stack, "--locale", "nl", "session", "list", "--format", "ics")
    st.check(rc == 0 and b"SUMMARY:Focusgroep: Disability taxi" in raw, raw.decode()[:600])
    # Narrowed to a range.
    c = stack.ok("scheduling", "session.calendar", {"from": "2020-01", "to": "2020-03"})
    st.eq(c["events"], 2)


# ---- the CLI -----------------------------------------------------------------

@sched_test()
def samenctl_tour_with_names_from_intake(stack, intake):
    intake.participant("P1", name="Anna de Boer")
    intake.participant("P2", name="Bram Visser")
    intake.participant("P3")
    intake.participant("P4", name="Cor Smit", target_groups=["youth"])
    intake.synced()
    rc, out, err = stack.ctl("theme", "add", "Disability taxi", "--domain", "social_support",
                             "--year", "2019,2020", "--phase", "evaluation", "--leader",
                             "J. Jansen", "--municipality", "Hilversum,Huizen")
    st.eq((rc, err), (0, ""))
    st.check(re.search(r"municipalities +GM0402, GM0406", out), out)
    rc, out, err = stack.ctl("session", "plan", "--theme", "T1", "--method", "FG", "--start",
                             "2020-03-12 19:00", "--end", "2020-03-12 21:00", "--capacity", "2",
                             "--reimbursement", "15.00", "--target-group", "youth,parents",
                             "--tentative")
    st.eq((rc, err), (0, ""))
    st.check(re.search(r"reimbursement_cents +EUR 15.00", out), out)
    for p in ("P1", "P2", "P3"):
        rc, out, err = stack.ctl("session", "register", "S1", p)
        st.eq(rc, 0, err)
    st.check("P3 is on the waitlist for S1 at position 1" in out, out)
    rc, out, err = stack.ctl("session", "registrations", "S1")
    st.eq(rc, 0, err)
    st.check("Anna de Boer" in out and "Bram Visser" in out, out)
    st.check(out.splitlines()[1].split()[:2] == ["PARTICIPANT", "NAME"], out)
    rc, out, _ = stack.ctl("session", "unregister", "S1", "P1")
    st.eq(out, "P1's registration for S1 cancelled; P3 moved up from the waitlist\n")
    rc, out, _ = stack.ctl("session", "confirm", "S1")
    st.eq(out, "S1 confirmed: focus group, 2020-03-12 19:00-21:00\n")
    rc, out, _ = stack.ctl("session", "list", "--format", "csv")
    st.eq(out.splitlines()[0], "ID,THEME,METHOD,WHEN,STATUS,OVB,REGISTERED,CAPACITY,WAITLIST,TITLE")
    st.eq(out.splitlines()[1], "S1,T1,FG,2020-03-12 19:00-21:00,confirmed,no,2,2,0,")
    rc, out, err = stack.ctl("session", "confirm", "S1")
    st.eq(rc, 1)
    st.check("already confirmed" in err and "(field: session)" in err, err)
    # samenctl checks the declaration before sending: a usage error naming the flag.
    rc, out, err = stack.ctl("session", "plan", "--theme", "T1", "--method", "XX", "--period",
                             "2020-Q2")
    st.eq(rc, 2)
    st.check("--method" in err and "FG" in err, err)
    rc, out, err = stack.ctl("session", "plan", "--theme", "T1")
    st.eq(rc, 2)
    stack.ctl("session", "hold", "S1")
    rc, out, err = stack.ctl("attendance", "record", "S1", "--attended", "P2", "--no-show", "P3")
    st.eq((rc, err), (0, ""))
    rc, out, err = stack.ctl("attendance", "list", "S1")
    st.check("Bram Visser" in out, out)
    rc, out, err = stack.ctl("session", "plan", "--theme", "T1", "--method", "SB", "--period",
                             "2020-Q2", "--target-group", "youth")
    rc, out, err = stack.ctl("invite", "list", "S2", "--first-timers-first", "--mark")
    st.eq(rc, 0, err)
    st.check("Cor Smit" in out and "marked 1 as invited to S2" in err, out + err)
    rc, out, err = stack.ctl("--json", "session", "show", "S2")
    st.check('"id": "S2"' in out, out)
    for noun in ("theme", "agenda", "session", "invite", "attendance"):
        rc, out, _ = stack.ctl(noun, "--help")
        st.eq(rc, 0)
        st.check("e.g. samenctl" in out, f"{noun} help has examples")


@sched_test()
def names_are_left_out_when_intake_cannot_tell(stack, intake):
    intake.participant("P1", name="Anna de Boer")
    intake.synced()
    theme(stack)
    plan(stack, "T1")
    register(stack, "S1", "P1")
    intake.answers_names = False     # an intake without participant.get
    rc, out, err = stack.ctl("session", "registrations", "S1", timeout=30)
    st.eq((rc, err), (0, ""))
    st.eq(out.splitlines()[1].split(), ["PARTICIPANT", "STATUS", "POSITION"])
    intake.stop()                    # no intake at all
    st.wait_until(lambda: stack.mmi("intake", timeout=0.5) == "404", 10, "intake to go")
    rc, out, err = stack.ctl("session", "registrations", "S1", timeout=30)
    st.eq((rc, err), (0, ""))
    st.eq(out.splitlines()[1].split(), ["PARTICIPANT", "STATUS", "POSITION"])
    st.check("P1" in out, out)


@sched_test()
def a_malformed_intake_event_is_skipped_and_the_next_ones_apply(stack, intake):
    intake.emit("intake.participant.registered", {"id": 5, "consent": "yes"})
    intake.emit("intake.participant.erased", {})
    intake.emit("intake.participant.renamed", {"id": "P1"})   # a verb this version ignores
    intake.participant("P1", target_groups=["x" * 300, "youth"])  # an oversized item is dropped
    intake.synced()
    st.eq(stack.ok("scheduling", "service.info")["counts"]["participants_known"], 1)
    t = theme(stack)
    s = plan(stack, t, target_groups=["youth"])["id"]
    st.eq([c["participant"] for c in stack.ok("scheduling", "invite.list",
                                              {"session": s})["candidates"]], ["P1"])
    st.check("event not applied" in stack.log("scheduling"), "a skipped event is logged")


@sched_test()
def a_retried_plan_with_the_same_rid_is_applied_once(stack, intake):
    t = theme(stack)
    args = {"theme": t, "method": "FG", "period": "2020-Q2"}
    first = stack.call("scheduling", "session.plan", args, rid="plan-1")
    again = stack.call("scheduling", "session.plan", args, rid="plan-1")
    st.eq(again, first)
    st.eq(stack.ok("scheduling", "service.info")["counts"]["sessions"], 1)
    st.eq(topics(stack).count("scheduling.session.planned"), 1)


@sched_test()
def state_survives_a_kill_and_the_cursor_is_kept(stack, intake):
    t = theme(stack)
    intake.participant("P1")
    intake.synced()
    s = plan(stack, t)["id"]
    register(stack, s, "P1")
    stack.kill("scheduling")
    stack.start("scheduling")
    got = stack.ok("scheduling", "session.get", {"session": s})
    st.eq((got["registered"], got["status"]), (1, "planned"))
    st.eq(stack.ok("scheduling", "service.info")["following"]["intake"], 1)
    intake.participant("P2")
    intake.synced()
    register(stack, s, "P2")


if __name__ == "__main__":
    st.main()
