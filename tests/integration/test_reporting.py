#!/usr/bin/python3
"""samen-reporting, whole stack: session reports checked for personal data
before publishing, report due, the yearly overview, the decision passage, the
youth report, reach statistics, rebuilding from events, bad input, samenctl.

THE FAKES. reporting learns sessions, attendance and participants'
attributes from scheduling's and intake's events, and asks intake's
`pii.scan` before publishing. These tests must not depend on those services
being built, and must control exactly what reporting sees, so they run only
reporting and finance (real: municipalities and inhabitants come from
finance) and replace the other two with fakes:

- FakeService(stack, name) registers an MDP/0.2 worker (RFC 18, PROTOCOL.md
  §2) under the service's name ("scheduling", "intake") and answers
  `events.read {after, limit}` from an in-memory event log exactly as
  PROTOCOL.md §3 describes (seq from 1, no gaps, {events, last_seq}); each
  emit() also publishes the event live on a PUB socket connected to the
  broker's events-in endpoint. reporting therefore uses its real follow
  path: live delivery, backfill through events.read, cursors stored with
  the effect.
- The fake intake also answers `pii.scan {text}` with {matches: [{kind,
  participant, offset, length, text}]} (the contract at the end of
  PROTOCOL.md) using a plain Python matcher: the known participants' full
  names and e-mail addresses (case ignored), their phone numbers in the
  usual Dutch spellings, and anything shaped like an e-mail address
  (participant nil). Offsets and lengths are in bytes of the UTF-8 text.
- Any other op is refused with invalid_argument, as a real service would.

"Today" is fixed for every daemon of this suite with SAMEN_TODAY=2020-06-30
(publishing and sending happen "today"; due lists count from it).
"""
import json
import os
import re
import shutil

os.environ["SAMEN_TODAY"] = "2020-06-30"

import msgpack  # noqa: E402

import samentest as st  # noqa: E402
from fakeservice import FakeService  # noqa: E402

TODAY = "2020-06-30"


# ==== The fakes =============================================================

class PiiMatcher:
    """The fake intake's pii.scan: known participants' names, e-mail
    addresses and phone numbers, and e-mail shapes."""

    EMAIL = re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

    def __init__(self):
        self.people = {}  # id -> (name, email, phone digits "0612345678")

    def add(self, pid, name, email=None, phone=None):
        self.people[pid] = (name, email, phone)

    def scan(self, args):
        text = args["text"]
        if not isinstance(text, str):
            raise ValueError("text must be text")
        raw = text.encode()
        low = raw.lower()
        found = []
        for pid, (name, email, phone) in sorted(self.people.items()):
            for needle, kind in ((name, "name"), (email, "email")):
                if not needle:
                    continue
                n = needle.lower().encode()
                for m in re.finditer(re.escape(n), low):
                    found.append((m.start(), m.end(), kind, pid))
            if phone:
                d = phone
                for form in (d, d[:2] + "-" + d[2:], d[:2] + " " + d[2:], "+31" + d[1:],
                             "+31 " + d[1:2] + " " + d[2:]):
                    for m in re.finditer(re.escape(form.encode()), raw):
                        found.append((m.start(), m.end(), "phone", pid))
        for m in self.EMAIL.finditer(raw):
            found.append((m.start(), m.end(), "email", None))
        # Overlaps: the longer span wins, then one with a participant, then the earlier.
        found.sort(key=lambda f: (-(f[1] - f[0]), f[3] is None, f[0]))
        kept = []
        for f in found:
            if all(f[1] <= k[0] or f[0] >= k[1] for k in kept):
                kept.append(f)
        kept.sort()
        return {"matches": [{"kind": k, "participant": p, "offset": a, "length": b - a,
                             "text": raw[a:b].decode()} for a, b, k, p in kept]}


class World:
    """The fixture: fake scheduling and intake with helpers to emit the
    catalogue's events, plus finance's municipalities."""

    def __init__(self, stack, intake=True, live=True):
        self.stack = stack
        self.pii = PiiMatcher()
        self.scheduling = FakeService(stack, "scheduling", live=live)
        self.intake = FakeService(stack, "intake", {"pii.scan": self.pii.scan},
                                  live=live) if intake else None

    def close(self):
        self.scheduling.close()
        if self.intake:
            self.intake.close()

    def municipality(self, name, code, inhabitants):
        self.stack.ok("finance", "municipality.add", {"name": name, "code": code,
                                                      "inhabitants": inhabitants,
                                                      "as_of": "2020-01-01"}, rid="m" + code)

    def theme(self, tid, title, question=None, youth=False, years=(), verb="created"):
        data = {"id": tid, "title": title, "domain": "social_support", "phase": "evaluation",
                "youth_relevant": youth, "years": list(years), "scope": "regional",
                "municipalities": [], "status": "active"}
        if question is not None:
            data["question"] = question
        self.scheduling.emit(f"scheduling.theme.{verb}", data)

    def session(self, sid, theme, method, held_on=None, groups=(), cancelled=False):
        self.scheduling.emit("scheduling.session.planned", {
            "id": sid, "theme": theme, "method": method, "start": None, "end": None,
            "period": "2020", "tentative": False, "status": "planned", "capacity": 20,
            "reimbursement_cents": 1500, "target_groups": list(groups), "municipalities": [],
            "follow_up_of": None})
        if held_on:
            self.scheduling.emit("scheduling.session.held", {
                "id": sid, "theme": theme, "method": method, "status": "held",
                "held_on": held_on})
        if cancelled:
            self.scheduling.emit("scheduling.session.cancelled", {
                "id": sid, "theme": theme, "method": method, "status": "cancelled"})

    def attend(self, sid, pid, theme, method, held_on, attended=True):
        self.scheduling.emit("scheduling.attendance.recorded", {
            "session": sid, "participant": pid, "attended": attended, "theme": theme,
            "method": method, "held_on": held_on, "reimbursement_cents": 1500})

    def participant(self, pid, municipality=None, groups=(), labels=(), age_band="unknown",
                    name=None, email=None, phone=None, verb="registered"):
        self.intake.emit(f"intake.participant.{verb}", {
            "id": pid, "status": "active", "municipality": municipality,
            "target_groups": list(groups), "labels": list(labels), "themes": [],
            "age_band": age_band, "channel": None, "consent": True})
        if name:
            self.pii.add(pid, name, email, phone)

    def caught_up(self, timeout=20):
        """Wait until reporting has applied every event of the fakes and finance."""
        want = {"scheduling": self.scheduling.last_seq}
        if self.intake:
            want["intake"] = self.intake.last_seq
        for real in ("intake", "finance"):
            if real in self.stack.services:
                want[real] = self.stack.ok(real, "service.info")["last_seq"]

        def done():
            # A reporting busy applying a long run may miss heartbeats; the
            # broker then answers unavailable: ask again.
            r = self.stack.call("reporting", "service.info", timeout=10)
            f = r.get("data", {}).get("following", {}) if r.get("ok") else {}
            return all(f.get(k, 0) >= v for k, v in want.items())
        st.wait_until(done, timeout, f"reporting to catch up with {want}")


def with_world(**kw):
    """st.test on reporting + finance, with a World of fakes closed afterwards."""
    kw.setdefault("services", ["reporting", "finance"])
    intake = kw.pop("intake", True)

    def wrap(f):
        def run(stack):
            w = World(stack, intake=intake)
            try:
                f(stack, w)
            finally:
                w.close()
        run.__name__ = f.__name__
        return st.test(run, **kw)
    return wrap


def report_flow(stack, session, text, rid):
    """Draft and approve a report on session; returns its ID."""
    r = stack.ok("reporting", "report.draft", {"session": session, "text": text}, rid=rid + "d")
    stack.ok("reporting", "report.approve", {"report": r["id"]}, rid=rid + "a")
    return r["id"]


def published(stack, session, text, rid, sent=False, allow=None):
    rep = report_flow(stack, session, text, rid)
    args = {"report": rep}
    if allow:
        args["allow"] = allow
    stack.ok("reporting", "report.publish", args, rid=rid + "p")
    if sent:
        stack.ok("reporting", "report.sent", {"report": rep}, rid=rid + "s")
    return rep


# ==== Publishing and personal data ==========================================

@with_world()
def publishing_is_refused_while_the_text_holds_a_participants_name_email_or_phone(stack, w):
    w.theme("T1", "Disability taxi", "How do users experience the taxi?")
    for i, day in enumerate(["2020-06-01", "2020-06-02", "2020-06-03", "2020-06-04"], 1):
        w.session(f"S{i}", "T1", "FG", held_on=day)
    w.participant("P1", "GM0402", name="Maria Jansen", email="maria.jansen@example.nl",
                  phone="0612345678")
    w.participant("P2", "GM0402", name="Anna Bakker")
    w.caught_up()
    base = "# Focus group on the disability taxi\n\nEight residents took part.\n\n"
    cases = [("S1", "name", "Maria Jansen said drivers are often late.\n"),
             ("S2", "email", "Questions: write to MARIA.JANSEN@example.nl please.\n"),
             ("S3", "phone", "Call back on 06-12345678 for the next meeting.\n")]
    for sid, kind, line in cases:
        rep = report_flow(stack, sid, base + line, "pub" + sid)
        err = stack.refused("reporting", "report.publish", {"report": rep},
                            code="failed_precondition", field="allow")
        st.check(f"{kind} at line 5" in err["message"], f"refusal lists the {kind}: {err}")
        st.check("Maria" not in err["message"] and "06-1" not in err["message"],
                 "the refusal never quotes the personal data itself")
        chk = stack.ok("reporting", "report.check", {"report": rep})
        st.eq(chk["not_allowed"], 1, "check counts the match")
        st.eq([(m["kind"], m["participant"], m["line"], m["allowed"]) for m in chk["matches"]],
              [(kind, "P1", 5, False)], "check lists the match with its participant")
        st.eq(stack.ok("reporting", "report.get", {"report": rep})["state"], "approved",
              "a refused report stays approved")
        # Removed from the text: revise (back to draft), approve, publish.
        stack.ok("reporting", "report.revise", {"report": rep, "text": base + "Done.\n"},
                 rid="rev" + sid)
        st.eq(stack.ok("reporting", "report.get", {"report": rep})["state"], "draft",
              "revising an approved report returns it to draft")
        stack.refused("reporting", "report.publish", {"report": rep}, code="failed_precondition",
                      field="report")
        stack.ok("reporting", "report.approve", {"report": rep}, rid="apr" + sid)
        d = stack.ok("reporting", "report.publish", {"report": rep}, rid="pub2" + sid)
        st.eq((d["state"], d["published_on"]), ("published", TODAY))
    # A name that is allowed (an alderman who is also in the address file).
    rep = report_flow(stack, "S4", base + "Alderman Anna Bakker opened the meeting.\n", "al")
    stack.refused("reporting", "report.publish", {"report": rep}, code="failed_precondition",
                  field="allow")
    d = stack.ok("reporting", "report.publish", {"report": rep, "allow": ["anna bakker"]},
                 rid="alp")
    st.eq(d["state"], "published")
    st.eq(stack.ok("reporting", "report.get", {"report": rep})["allowed"], ["anna bakker"])
    st.check(w.intake.calls.get("pii.scan", 0) >= 8, "publishing asked intake every time")
    # The events: drafted, published (no text), never a name.
    evs = stack.events("reporting")
    pubs = [e for e in evs if e["type"] == "reporting.report.published"]
    st.eq(len(pubs), 4, "four reports published")
    st.eq(sorted(pubs[0]["data"]), ["id", "published_on", "session", "theme", "version"])
    blob = json.dumps(evs)
    st.check("Maria" not in blob and "Bakker" not in blob and "taxi" not in blob,
             "events carry no text")


@with_world(intake=False, config={"reporting": {"pii_scan_timeout_ms": "700"}})
def publishing_is_refused_as_unavailable_when_intake_does_not_answer(stack, w):
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-01")
    w.caught_up()
    rep = report_flow(stack, "S1", "# Report\n\nFine.\n", "u")
    err = stack.refused("reporting", "report.publish", {"report": rep}, code="unavailable")
    st.check("intake did not answer" in err["message"], err["message"])
    st.eq(stack.ok("reporting", "report.get", {"report": rep})["state"], "approved",
          "never published unchecked")
    st.eq([e for e in stack.events("reporting") if e["type"] == "reporting.report.published"], [])
    rc, out, errout = stack.ctl("report", "publish", rep)
    st.eq(rc, 3, f"samenctl exits 3 when intake is unreachable: {errout}")


@with_world()
def a_published_report_is_immutable_and_a_correction_is_a_new_version(stack, w):
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-01")
    w.caught_up()
    rep = published(stack, "S1", "# Report\n\nThe *taxi* was late.\n", "c")
    err = stack.refused("reporting", "report.publish", {"report": rep},
                        code="failed_precondition", field="report")
    st.check("already published (version 1) on 2020-06-30" in err["message"], err["message"])
    stack.refused("reporting", "report.approve", {"report": rep}, code="failed_precondition",
                  field="report")
    stack.refused("reporting", "report.revise", {"report": rep, "text": "# New\n"},
                  code="invalid_argument", field="note")
    d = stack.ok("reporting", "report.revise",
                 {"report": rep, "text": "# Report\n\nThe taxi was on time.\n",
                  "note": "The taxi was on time; the draft said late."}, rid="cv2")
    st.eq((d["version"], d["previous_version"], d["state"]), (2, 1, "draft"))
    v1 = stack.ok("reporting", "report.get", {"report": rep, "version": 1})
    st.eq((v1["state"], v1["text"]), ("published", "# Report\n\nThe *taxi* was late.\n"),
          "version 1 stays as published")
    st.eq(v1["html"], "<h1>Report</h1>\n<p>The <em>taxi</em> was late.</p>\n",
          "HTML by libcmark")
    v2 = stack.ok("reporting", "report.get", {"report": rep})
    st.eq((v2["version"], v2["note"], v2["published_version"]),
          (2, "The taxi was on time; the draft said late.", 1))
    # Sending goes with the published version while the correction is a draft.
    stack.ok("reporting", "report.sent", {"report": rep}, rid="cs")
    st.eq(stack.ok("reporting", "report.get", {"report": rep, "version": 1})["state"], "sent")
    stack.ok("reporting", "report.approve", {"report": rep}, rid="ca2")
    stack.ok("reporting", "report.publish", {"report": rep}, rid="cp2")
    types = [(e["type"], e["data"].get("version")) for e in stack.events("reporting")]
    st.eq(types, [("reporting.report.drafted", 1), ("reporting.report.published", 1),
                  ("reporting.report.drafted", 2), ("reporting.report.sent", None),
                  ("reporting.report.published", 2)])
    sent = [e for e in stack.events("reporting") if e["type"] == "reporting.report.sent"][0]
    st.eq(sent["data"], {"id": rep, "session": "S1", "theme": "T1", "sent_on": TODAY})
    # Raw HTML in a report is not passed through (libcmark safe mode).
    w.session("S2", "T1", "FG", held_on="2020-06-02")
    w.caught_up()
    r2 = stack.ok("reporting", "report.draft",
                  {"session": "S2", "text": "Hi <script>alert(1)</script> [x](javascript:y)\n"},
                  rid="xss")["id"]
    html = stack.ok("reporting", "report.get", {"report": r2})["html"]
    st.check("<script>" not in html and "javascript:" not in html, html)


@with_world(services=["reporting", "intake", "finance"], intake=False)
def publishing_is_checked_by_the_real_intake(stack, w):
    """The same acceptance against intake's own pii.scan (only scheduling faked)."""
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-01")
    p = stack.ok("intake", "participant.register",
                 {"name": "Maria van den Heuvel", "email": "maria@example.nl",
                  "phone": "06 1234 5678", "consent": True}, rid="reg1")
    w.caught_up()
    base = "# Focus group\n\nEight residents took part.\n\n"
    for i, line in enumerate(["Maria van den Heuvel asked for a later start.\n",
                              "Mail maria@example.nl for the minutes.\n",
                              "Or call 06-12345678.\n"]):
        text = base + line
        rep = stack.ok("reporting", "report.draft", {"session": "S1", "text": text},
                       rid=f"rd{i}")["id"] if i == 0 else rep
        if i:
            stack.ok("reporting", "report.revise", {"report": rep, "text": text}, rid=f"rv{i}")
        stack.ok("reporting", "report.approve", {"report": rep}, rid=f"ra{i}")
        err = stack.refused("reporting", "report.publish", {"report": rep},
                            code="failed_precondition", field="allow")
        st.check("at line 5" in err["message"], err["message"])
        chk = stack.ok("reporting", "report.check", {"report": rep})["matches"]
        st.eq([m["participant"] for m in chk], [p["id"]], f"intake names the participant: {chk}")
    stack.ok("reporting", "report.revise", {"report": rep, "text": base + "Thanks all.\n"},
             rid="rvok")
    stack.ok("reporting", "report.approve", {"report": rep}, rid="raok")
    st.eq(stack.ok("reporting", "report.publish", {"report": rep}, rid="rpok")["state"],
          "published")
    st.check("Maria" not in stack.log("reporting") and "Maria" not in stack.log("intake"),
             "no personal data in the logs")


def publish_refusal(stack, rep, allow=None):
    """report.publish refused for personal data: the error with its details."""
    args = {"report": rep}
    if allow:
        args["allow"] = allow
    return stack.refused("reporting", "report.publish", args, code="failed_precondition",
                         field="allow")


@with_world(services=["reporting", "intake", "finance"], intake=False)
def a_first_name_alone_and_a_title_with_a_surname_are_refused_until_allowed(stack, w):
    """The two cases a coordinator found published, through the real intake
    and samenctl: "Mohammed vertelde..." and "Mevrouw Bakker"."""
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-01")
    for i, name in enumerate(["Mohammed Ouali", "Anna Bakker"]):
        stack.ok("intake", "participant.register", {"name": name, "consent": True}, rid=f"p{i}")
    w.caught_up()
    text = ("# Focusgroep Wmo-taxi\n\nMohammed vertelde dat de taxi vaak te laat kwam.\n"
            "Mevrouw Bakker vond de wachttijd te lang.\n")
    rep = report_flow(stack, "S1", text, "mb")
    err = publish_refusal(stack, rep)
    st.check("2 possible personal data" in err["message"] and "name at line 3" in err["message"]
             and "name at line 4" in err["message"], err["message"])
    d = err["details"]
    st.eq(d["not_allowed"], 2)
    raw = text.encode()
    st.eq([(m["kind"], m["participant"], m["line"], raw[m["offset"]:m["offset"] + m["length"]])
           for m in d["matches"]],
          [("name", "P1", 3, b"Mohammed"), ("name", "P2", 4, b"Mevrouw Bakker")])
    st.eq(d["matches"][0]["excerpt"], "# Focusgroep Wmo-taxi M******* vertelde dat de taxi vaak "
                                      "te\u2026")
    st.check(all("ohammed" not in m["excerpt"] and "akker" not in m["excerpt"]
                 for m in d["matches"]), f"excerpts are masked: {d}")
    # samenctl: refused, the table shows where, masked; then allowed one by one.
    rc, out, errout = stack.ctl("report", "publish", rep)
    st.eq(rc, 1, errout)
    st.check("M*******" in out and "M****** ******" in out and "Mohammed" not in out
             and "Bakker" not in out and "report check" in out, out)
    rc, out, errout = stack.ctl("report", "publish", rep, "--allow", "Mohammed")
    st.eq(rc, 1, errout)
    st.check("1 possible personal data" in errout and "name at line 4" in errout, errout)
    rc, out, errout = stack.ctl("report", "check", rep, "--allow", "Mohammed")
    st.check(rc == 0 and "Mevrouw Bakker" in out and "report" in out and "1 not allowed" in out,
             out)
    rc, out, errout = stack.ctl("report", "publish", rep, "--allow", "Mohammed", "--allow",
                                "mevrouw  bakker")
    st.eq(rc, 0, errout)
    st.check("published" in out, out)
    got = stack.ok("reporting", "report.get", {"report": rep})
    st.eq((got["state"], got["allowed"]), ("published", ["Mohammed", "mevrouw  bakker"]))
    for svc in ("reporting", "intake"):
        log = stack.log(svc)
        st.check("Mohammed" not in log and "Bakker" not in log and "M*******" not in log,
                 f"no name in {svc}'s log")
    for svc in ("reporting", "intake"):
        for ev in stack.events(svc):
            blob = msgpack.packb(ev)
            st.check(b"Mohammed" not in blob and b"Bakker" not in blob, f"{svc} event {ev}")


@with_world(services=["reporting", "intake", "finance"], intake=False)
def a_canary_participants_name_is_never_published_without_an_allow(stack, w):
    w.theme("T1", "Disability taxi")
    forms = ["Zacharias vertelde over de taxi.", "Volgens Oosterbroek is het te duur.",
             "Meneer Oosterbroek kwam te laat.", "Ook dhr. Oosterbroek sprak.",
             "Het idee van Z. Oosterbroek.", "Oosterbroeks dochter belde.",
             "Zacharias' moeder kwam mee.", "ZACHARIAS OOSTERBROEK", "zacharias oosterbroek",
             "Mail canary.zo@example.nl.", "Bel 06-13579246."]
    for i in range(len(forms) + 1):
        w.session(f"S{i + 1}", "T1", "FG", held_on="2020-06-01")
    stack.ok("intake", "participant.register",
             {"name": "Zacharias Oosterbroek", "email": "canary.zo@example.nl",
              "phone": "06-13579246", "consent": True}, rid="canary")
    w.caught_up()
    for i, form in enumerate(forms):
        rep = report_flow(stack, f"S{i + 1}", f"# Verslag\n\n{form}\n", f"c{i}")
        err = publish_refusal(stack, rep)
        st.check(all(m["participant"] == "P1" for m in err["details"]["matches"]),
                 f"{form!r}: the canary is named as P1: {err}")
        st.eq(stack.ok("reporting", "report.get", {"report": rep})["state"], "approved", form)
    # Without the canary, the same report publishes; with --allow it does too.
    rep = report_flow(stack, f"S{len(forms) + 1}", "# Verslag\n\nEen deelnemer sprak.\n", "cz")
    st.eq(stack.ok("reporting", "report.publish", {"report": rep}, rid="czp")["state"],
          "published")
    st.eq(stack.ok("reporting", "report.publish", {"report": "R1", "allow": ["Zacharias"]},
                   rid="c0p")["state"], "published")
    pubs = [e for e in stack.events("reporting") if e["type"] == "reporting.report.published"]
    st.eq(sorted(e["data"]["id"] for e in pubs), ["R1", f"R{len(forms) + 1}"])
    everything = stack.log("reporting") + stack.log("intake")
    st.check("Oosterbroek" not in everything and "Zacharias" not in everything, "logs")
    st.check(b"Oosterbroek" not in msgpack.packb(stack.events("reporting")), "events")


@with_world(services=["reporting", "intake", "finance"], intake=False)
def an_alderman_allowed_once_per_deployment_is_allowed_in_every_report(stack, w):
    w.theme("T1", "Disability taxi")
    for i in (1, 2):
        w.session(f"S{i}", "T1", "FG", held_on="2020-06-01")
    w.caught_up()
    text = "# Verslag\n\nWethouder Jansen opende de avond.\n"
    r1 = report_flow(stack, "S1", text, "a1")
    err = publish_refusal(stack, r1)
    st.eq([(m["kind"], m["participant"]) for m in err["details"]["matches"]],
          [("possible_name", None)])
    rc, out, errout = stack.ctl("report", "allowlist", "--add", "wethouder Jansen", "--note",
                                "opens every session")
    st.eq(rc, 0, errout)
    st.check("now allowed in every report" in out, out)
    stack.refused("reporting", "allowlist.add", {"text": "WETHOUDER  jansen"},
                  code="already_exists", field="text")
    stack.refused("reporting", "allowlist.add", {"text": " \n "}, code="invalid_argument",
                  field="text")
    rc, out, errout = stack.ctl("report", "allowlist")
    st.check(rc == 0 and "wethouder Jansen" in out and "opens every session" in out, out)
    st.eq(stack.ok("reporting", "report.publish", {"report": r1}, rid="a1p")["state"], "published")
    chk = stack.ok("reporting", "report.check", {"report": r1})
    st.eq([(m["allowed"], m["allowed_by"]) for m in chk["matches"]], [(True, "deployment")])
    # Taken off the list, it needs --allow again.
    rc, out, errout = stack.ctl("report", "allowlist", "--remove", "Wethouder Jansen")
    st.eq(rc, 0, errout)
    r2 = report_flow(stack, "S2", text, "a2")
    publish_refusal(stack, r2)
    stack.refused("reporting", "allowlist.remove", {"text": "wethouder Jansen"},
                  code="not_found", field="text")
    st.eq(stack.ok("reporting", "allowlist.list")["allowed"], [])
    for ev in stack.events("reporting"):
        st.check(b"Jansen" not in msgpack.packb(ev), f"no name in events: {ev}")
    st.check("Jansen" not in stack.log("reporting"), "no name in reporting's log")


# ==== Report due ============================================================

@with_world()
def report_due_lists_exactly_the_late_ones(stack, w):
    w.theme("T1", "Disability taxi")
    w.theme("T2", "Complex divorces")
    w.session("S1", "T1", "FG", held_on="2020-05-01")   # published, sent today: 32 days late
    w.session("S2", "T1", "FG", held_on="2020-06-10")   # published, sent today: on time
    w.session("S3", "T2", "I", held_on="2020-06-20")    # no report: unpublished, not late yet
    w.session("S4", "T2", "FG", held_on="2020-04-01")   # no report: unpublished and 62 late
    w.session("S5", "T1", "SB", held_on="2020-05-25")   # published, unsent: 8 late
    w.session("S6", "T1", "FG")                         # planned, not held: nowhere
    w.session("S7", "T2", "FG", held_on="2020-06-02")   # published, unsent, day 28: on time
    w.session("S8", "T2", "FG", held_on="2020-03-01", cancelled=True)  # cancelled: nowhere
    w.session("S9", "T2", "FG", held_on="2020-06-29")   # draft only: unpublished
    w.caught_up()
    published(stack, "S1", "# S1\n", "d1", sent=True)
    published(stack, "S2", "# S2\n", "d2", sent=True)
    published(stack, "S5", "# S5\n", "d5")
    published(stack, "S7", "# S7\n", "d7")
    stack.ok("reporting", "report.draft", {"session": "S9", "text": "# S9\n"}, rid="d9")
    d = stack.ok("reporting", "report.due")
    st.eq((d["today"], d["days"]), (TODAY, 28))
    st.eq([(x["session"], x["held_on"], x["days_since"], x["report"]) for x in d["unpublished"]],
          [("S4", "2020-04-01", 90, None), ("S3", "2020-06-20", 10, None),
           ("S9", "2020-06-29", 1, "R5")])
    st.eq([(x["session"], x["days_late"], x["sent"], x["sent_on"]) for x in d["late"]],
          [("S4", 62, False, None), ("S1", 32, True, TODAY), ("S5", 8, False, None)])
    # Another allowance: 10 days.
    d = stack.ok("reporting", "report.due", {"days": 10})
    st.eq([(x["session"], x["days_late"]) for x in d["late"]],
          [("S4", 80), ("S1", 50), ("S5", 26), ("S7", 18), ("S2", 10)])
    rc, out, _ = stack.ctl("report", "due")
    st.eq(rc, 0)
    st.check("S4" in out and "62" in out and "within 28 days" in out, out)


@with_world()
def dated_steps_record_a_past_period_and_a_report_sent_in_time_counts_as_on_time(stack, w):
    """approve, publish and the youth report's adopt and submit take the day
    they happened (as when a past year is loaded afterwards): never a future
    day, never before the session, and in the order approved, published, sent."""
    w.theme("T1", "Disability taxi", years=[2020])
    w.theme("T2", "Complex divorces", youth=True, years=[2020])
    w.session("S1", "T1", "FG", held_on="2020-04-01")   # dated: sent after 19 days
    w.session("S2", "T1", "FG", held_on="2020-04-02")   # undated: published and sent today
    w.caught_up()
    r1 = stack.ok("reporting", "report.draft", {"session": "S1", "text": "# S1\n"},
                  rid="dd1")["id"]
    for date, says in [("2020-07-01", "in the future"),       # today is 2020-06-30
                       ("2020-03-31", "before session S1 was held"),
                       ("2020-02-30", "2020-02-30")]:
        e = stack.refused("reporting", "report.approve", {"report": r1, "date": date},
                          code="invalid_argument", field="date")
        st.check(says in e["message"], e["message"])
    a = stack.ok("reporting", "report.approve", {"report": r1, "date": "2020-04-03"}, rid="da1")
    st.eq((a["state"], a["approved_on"]), ("approved", "2020-04-03"))
    for date, says in [("2020-07-01", "in the future"),
                       ("2020-04-02", "before report %s version 1 was approved" % r1)]:
        e = stack.refused("reporting", "report.publish", {"report": r1, "date": date},
                          code="invalid_argument", field="date")
        st.check(says in e["message"], e["message"])
    p = stack.ok("reporting", "report.publish", {"report": r1, "date": "2020-04-06"}, rid="dp1")
    st.eq((p["state"], p["published_on"], p["first_published_on"]),
          ("published", "2020-04-06", "2020-04-06"))
    stack.refused("reporting", "report.sent", {"report": r1, "date": "2020-04-05"},
                  code="invalid_argument", field="date")
    stack.ok("reporting", "report.sent", {"report": r1, "date": "2020-04-20"}, rid="ds1")
    pubs = [e["data"] for e in stack.events("reporting")
            if e["type"] == "reporting.report.published"]
    st.eq([(d["id"], d["published_on"]) for d in pubs], [(r1, "2020-04-06")],
          "the event carries the day it was published")
    published(stack, "S2", "# S2\n", "dd2", sent=True)   # today: 89 days after the session
    fb = stack.ok("reporting", "stats.reach", {"year": 2020})["feedback"]
    st.eq({k: fb[k] for k in ("sessions_held", "reports_published", "reports_sent",
                              "sent_in_time", "median_days_to_send")},
          {"sessions_held": 2, "reports_published": 2, "reports_sent": 2, "sent_in_time": 1,
           "median_days_to_send": 19}, "the dated report counts as sent in time")
    d = stack.ok("reporting", "report.due")
    st.eq([(x["session"], x["days_late"]) for x in d["late"]], [("S2", 61)], "only S2 is late")
    # The youth report: adopted and submitted on the days it happened.
    stack.ok("reporting", "youth.finding.add",
             {"year": 2019, "theme": "T2", "finding": "Parents want one contact person."},
             rid="dyf")
    e = stack.refused("reporting", "youth.adopt", {"year": 2019, "date": "2020-07-01"},
                      code="invalid_argument", field="date")
    st.check("in the future" in e["message"], e["message"])
    rc, out, err = stack.ctl("report", "youth-adopt", "--year", "2019", "--date", "2020-06-12")
    st.eq(rc, 0, err)
    stack.refused("reporting", "youth.submit", {"year": 2019, "date": "2020-06-11"},
                  code="invalid_argument", field="date")
    rc, out, err = stack.ctl("report", "youth-submit", "--year", "2019", "--date", "2020-06-20")
    st.eq(rc, 0, err)
    y = stack.ok("reporting", "report.youth", {"year": 2019})
    st.eq((y["status"], y["adopted_on"], y["submitted_on"], y["days_late"]),
          ("submitted", "2020-06-12", "2020-06-20", 0))
    # samenctl: --date on approve and publish; a future date is refused naming the field.
    w.session("S3", "T1", "I", held_on="2020-05-01")
    w.caught_up()
    rc, out, err = stack.ctl("report", "draft", "S3", input="# S3\n\nAll fine.\n")
    st.eq(rc, 0, err)
    r3 = re.search(r"R\d+", out).group(0)
    rc, out, err = stack.ctl("report", "approve", r3, "--date", "2020-05-04")
    st.check(rc == 0 and "approved_on   2020-05-04" in out, f"{rc} {out} {err}")
    rc, out, err = stack.ctl("report", "publish", r3, "--date", "2020-07-01")
    st.check(rc == 1 and "(field: date)" in err, f"{rc} {err}")
    rc, out, err = stack.ctl("report", "publish", r3, "--date", "2020-05-05")
    st.check(rc == 0 and "published_on  2020-05-05" in out, f"{rc} {out} {err}")


@with_world(config={"reporting": {"send_within_days": "14"}})
def report_due_takes_the_configured_allowance(stack, w):
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-10")  # 20 days: late by 6 with 14 allowed
    w.caught_up()
    d = stack.ok("reporting", "report.due")
    st.eq(d["days"], 14)
    st.eq([(x["session"], x["days_late"]) for x in d["late"]], [("S1", 6)])


# ==== The yearly overview and the passage ===================================

def overview_fixture(stack, w):
    w.theme("T1", "Disability taxi", "How do users experience the taxi?", years=[2019])
    w.theme("T2", "Complex divorces", "Does the arrangement work?", youth=True,
            years=[2019, 2020])
    w.theme("T3", "Suicide prevention", years=[2020])
    w.theme("T4", "Low literacy", years=[2019])
    w.theme("T10", "Foster-parent café", "What *helps* foster parents?", years=[])
    w.session("S1", "T1", "FG", held_on="2019-03-12")
    w.session("S2", "T1", "I", held_on="2019-04-02")
    w.session("S3", "T1", "I", held_on="2019-04-09")
    w.session("S4", "T2", "FG", held_on="2019-10-01", groups=["parents"])
    w.session("S5", "T2", "SB", held_on="2020-02-01")
    w.session("S6", "T1", "FG")
    w.session("S7", "T10", "C", held_on="2019-11-20")
    for pid in ["P1", "P2", "P3", "P4", "P5"]:
        w.participant(pid, "GM0402")
    for sid, pids, th, m, day in [("S1", ["P1", "P2", "P3"], "T1", "FG", "2019-03-12"),
                                  ("S2", ["P1", "P4"], "T1", "I", "2019-04-02"),
                                  ("S3", ["P5"], "T1", "I", "2019-04-09"),
                                  ("S4", ["P2"], "T2", "FG", "2019-10-01")]:
        for pid in pids:
            w.attend(sid, pid, th, m, day)
    w.caught_up()
    add = lambda args, rid: stack.ok("reporting", "outcome.add", args, rid=rid)  # noqa: E731
    add({"theme": "T1", "sessions": ["S1"], "brought_in": "Drivers often arrive late.",
         "done": "A penalty clause was added to the contract.", "effect": "changed_decision",
         "status": "done", "follow_up": "Mirror meeting in Q2 2020."}, "o1")
    add({"theme": "T1", "sessions": ["S2", "S3"], "brought_in": "A second taxi company.",
         "status": "not_adopted", "reason": "the contract runs until 2022"}, "o2")
    add({"theme": "T2", "sessions": ["S5"], "brought_in": "Shorter waiting lists.",
         "status": "open"}, "o3")
    add({"theme": "T2", "sessions": ["S4"], "brought_in": "Parents want one contact person.",
         "done": "A case manager per family.", "effect": "adopted_in_plan",
         "status": "in_progress", "follow_up": "Sounding board in autumn"}, "o4")


# The fixture's texts are English; the documents' own words follow the
# stack's language (samen/locale nl), in the region's layout.
OVERVIEW_2019 = """# Jaaroverzicht 2019

## Projecten 2019 (uitgevoerd/afgerond)

| Project | Vorm en centrale vraag | Opbrengst en wat we ermee hebben gedaan of nog gaan doen \
| Vervolg in 2020 |
|---|---|---|---|
| Disability taxi (T1) | Focusgroep (FG, 1 bijeenkomst), interviews (I, 2 bijeenkomsten). \
Centrale vraag: How do users experience the taxi? | Inbreng: Drivers often arrive late. Wat we \
ermee hebben gedaan: Besluit aangepast: A penalty clause was added to the contract. \
(afgerond)<br>Inbreng: A second taxi company. Wat we ermee hebben gedaan: nog niets (niet \
overgenomen, omdat the contract runs until 2022) | Mirror meeting in Q2 2020. |
| Complex divorces (T2) | Focusgroep (FG, 1 bijeenkomst). Centrale vraag: Does the arrangement \
work? | Inbreng: Parents want one contact person. Wat we ermee hebben gedaan: Opgenomen in een \
plan: A case manager per family. (in uitvoering) | Sounding board in autumn. |
| Low literacy (T4) | Geen bijeenkomsten gehouden. Centrale vraag: niet vastgelegd. | Nog niets \
vastgelegd. | Nog niet gepland. |
| Foster-parent café (T10) | Café (C, 1 bijeenkomst). Centrale vraag: What \\*helps\\* foster \
parents? | Nog niets vastgelegd. | Nog niet gepland. |
"""

PASSAGE_T1 = """**Hoe is het inwonersperspectief verkregen en verwerkt?** (T1 Disability taxi)

Van 12 maart 2019 tot en met 9 april 2019 namen inwoners deel aan 3 bijeenkomsten: focusgroep \
(FG, 1 bijeenkomst), interviews (I, 2 bijeenkomsten). Er deden 5 verschillende inwoners mee. De \
centrale vraag was: How do users experience the taxi?

**Belangrijkste inbreng en wat we ermee hebben gedaan:**

- **Inbreng:** Drivers often arrive late.
  - **Wat we ermee hebben gedaan:** Besluit aangepast: A penalty clause was added to the contract.
  - **Stand:** afgerond
- **Inbreng:** A second taxi company.
  - **Wat we ermee hebben gedaan:** nog niets
  - **Stand:** niet overgenomen, omdat the contract runs until 2022

**Vervolg:** Mirror meeting in Q2 2020.
"""


@with_world(config={"samen": {"locale": "nl"}})
def the_yearly_overview_of_a_small_fixture_is_exactly_as_expected(stack, w):
    overview_fixture(stack, w)
    d = stack.ok("reporting", "report.annual", {"year": 2019})
    st.eq(d["themes"], 4)
    if d["text"] != OVERVIEW_2019:
        import difflib
        raise st.Failure("overview differs:\n" + "".join(difflib.unified_diff(
            OVERVIEW_2019.splitlines(True), d["text"].splitlines(True), "expected", "got")))
    # CSV for a Dutch spreadsheet: ";" between fields, a row per theme.
    csv = stack.ok("reporting", "report.annual", {"year": 2019, "format": "csv"})["text"]
    lines = csv.split("\r\n")
    st.eq(lines[0], "Project;Vorm en centrale vraag;Opbrengst en wat we ermee hebben gedaan of "
                    "nog gaan doen;Vervolg in 2020")
    st.eq(lines[1].split(";")[:2], ["Disability taxi (T1)", "Focusgroep (FG, 1 bijeenkomst), "
                                    "interviews (I, 2 bijeenkomsten). Centrale vraag: How do "
                                    "users experience the taxi?"])
    st.eq(len(lines), 6, "header, four themes, and the CRLF after the last")
    html = stack.ok("reporting", "report.annual", {"year": 2019, "format": "html"})["text"]
    st.check(html.startswith('<!DOCTYPE html>\n<html lang="nl">') and
             "<title>Jaaroverzicht 2019</title>" in html and
             "<h2>Projecten 2019 (uitgevoerd/afgerond)</h2>" in html and
             "<td>Disability taxi (T1)</td>" in html, html[:300])
    # 2020: T2 (session S5, outcome U3) and T3 (planned, nothing held).
    d20 = stack.ok("reporting", "report.annual", {"year": 2020})["text"]
    st.check("| Complex divorces (T2) | Spiegelbijeenkomst (SB, 1 bijeenkomst)." in d20 and
             "Inbreng: Shorter waiting lists." in d20 and "| Suicide prevention (T3) |" in d20
             and "Vervolg in 2021" in d20 and "T1" not in d20, d20)
    # samenctl writes the document to stdout as it is, in its own language
    # (English here: it has no samen.cfg, so it asks for English).
    rc, out, err = stack.ctl("--locale", "nl", "report", "annual", "--year", "2019")
    st.eq((rc, out), (0, OVERVIEW_2019), err)
    rc, out, _ = stack.ctl("report", "annual", "--year", "2019", "--format", "csv")
    st.check(rc == 0 and out.startswith("Project,Form and central question,"), out[:100])


@with_world(config={"samen": {"locale": "nl"}})
def the_passage_for_a_decision_document_is_exactly_as_expected(stack, w):
    overview_fixture(stack, w)
    d = stack.ok("reporting", "report.passage", {"theme": "T1"})
    st.eq(d["text"], PASSAGE_T1)
    d = stack.ok("reporting", "report.passage", {"theme": "T3"})
    st.eq(d["text"], "**Hoe is het inwonersperspectief verkregen en verwerkt?** (T3 Suicide "
          "prevention)\n\nOver dit onderwerp zijn geen bijeenkomsten met inwoners gehouden.\n\n"
          "**Belangrijkste inbreng en wat we ermee hebben gedaan:** nog niets vastgelegd.\n\n"
          "**Vervolg:** nog niet gepland.\n")
    d = stack.ok("reporting", "report.passage", {"theme": "T2", "year": 2020})
    st.check(d["text"].startswith("**Hoe is het inwonersperspectief verkregen en verwerkt?** (T2 "
                                  "Complex divorces)\n\nOp 1 februari 2020 namen inwoners deel "
                                  "aan 1 bijeenkomst: spiegelbijeenkomst (SB, 1 bijeenkomst). Er "
                                  "is geen aanwezigheid vastgelegd. De centrale vraag was: Does "
                                  "the arrangement work?"),
             d["text"])
    st.check("Shorter waiting lists." in d["text"] and "contact person" not in d["text"],
             "a year's passage holds that year's input")
    rc, out, err = stack.ctl("--locale", "nl", "report", "passage", "T1")
    st.eq((rc, out), (0, PASSAGE_T1), err)
    html = stack.ok("reporting", "report.passage", {"theme": "T1", "format": "html"})["text"]
    st.check('<html lang="nl">' in html and "<strong>Hoe is het inwonersperspectief verkregen en "
             "verwerkt?</strong> (T1 Disability taxi)" in html, html[-800:])


@with_world()
def outcome_items_are_recorded_updated_and_listed(stack, w):
    overview_fixture(stack, w)
    lst = stack.ok("reporting", "outcome.list", {"theme": "T1"})["outcomes"]
    st.eq([(o["id"], o["status"], o["sessions"]) for o in lst],
          [("U1", "done", ["S1"]), ("U2", "not_adopted", ["S2", "S3"])])
    d = stack.ok("reporting", "outcome.update",
                 {"outcome": "U2", "status": "in_progress", "done": "Tendered again for 2022.",
                  "follow_up": "Feedback at the next sounding board"}, rid="u2")
    st.eq((d["status"], d["done"], d["reason"]),
          ("in_progress", "Tendered again for 2022.", "the contract runs until 2022"))
    st.eq([o["id"] for o in stack.ok("reporting", "outcome.list",
                                      {"status": "in_progress"})["outcomes"]], ["U2", "U4"])
    d = stack.ok("reporting", "outcome.update", {"outcome": "U2", "done": ""}, rid="u2b")
    st.eq(d["done"], None, "an empty text clears it")
    text = stack.ok("reporting", "report.passage", {"theme": "T1"})["text"]
    st.check("**Follow-up:** Mirror meeting in Q2 2020. Feedback at the next sounding board."
             in text, text)
    evs = [(e["type"], e["data"]) for e in stack.events("reporting")]
    st.eq(evs[0], ("reporting.outcome.recorded", {"id": "U1", "theme": "T1", "status": "done"}))
    st.eq(evs[-1], ("reporting.outcome.updated",
                    {"id": "U2", "theme": "T1", "status": "in_progress"}))
    # Refusals name the field.
    stack.refused("reporting", "outcome.add", {"theme": "T1", "sessions": ["S4"],
                                               "brought_in": "x"},
                  code="invalid_argument", field="sessions")  # S4 is on T2
    stack.refused("reporting", "outcome.add", {"theme": "T1", "sessions": [], "brought_in": "x"},
                  code="invalid_argument", field="sessions")
    stack.refused("reporting", "outcome.add", {"theme": "T1", "sessions": ["S1"],
                                               "brought_in": "x", "status": "not_adopted"},
                  code="invalid_argument", field="reason")
    stack.refused("reporting", "outcome.add", {"theme": "T1", "sessions": ["S1"],
                                               "brought_in": "x", "status": "not_adopted",
                                               "reason": "no", "effect": "adopted_in_plan"},
                  code="invalid_argument", field="effect")
    stack.refused("reporting", "outcome.update", {"outcome": "U99", "status": "done"},
                  code="not_found", field="outcome")
    rc, out, err = stack.ctl("outcome", "add", "T1", "--sessions", "S1,S2",
                             "--brought-in", "More seats for wheelchairs", "--status", "open")
    st.eq(rc, 0, err)
    st.check("U5" in out and "S1, S2" in out, out)
    rc, out, _ = stack.ctl("outcome", "list", "--theme", "T1")
    st.check(rc == 0 and "U5" in out and "More seats for wheelchairs" in out, out)


# ==== Reach =================================================================

def reach_fixture(stack, w):
    """Known answers for 2020 (see reach_figures_on_a_fixture_with_known_answers)."""
    w.municipality("Hilversum", "GM0402", 75000)
    w.municipality("Laren", "GM0417", 25000)
    w.theme("T1", "Disability taxi", years=[2019, 2020])
    w.theme("T2", "Complex divorces", youth=True, years=[2020])
    people = [("P1", "GM0402", ["youth"], ["youth"], "<18"),
              ("P2", "GM0402", ["youth"], [], "18-26"),
              ("P3", "GM0402", ["statushouders"], [], "27-40"),
              ("P4", "GM0402", [], [], "41-65"),
              ("P5", "GM0402", [], [], "66+"),
              ("P6", "Hilversum", [], [], "unknown"),   # a name, not a code: still Hilversum
              ("P7", "GM0417", ["statushouders"], [], "27-40"),
              ("P8", "GM0417", [], [], "41-65"),
              ("P9", "gm0417", [], [], "41-65"),
              ("P10", None, [], [], "unknown"),
              ("P11", "GM0417", [], [], "41-65")]
    for pid, m, g, labels, age in people:
        w.participant(pid, m, g, labels, age)
    w.session("S1", "T1", "FG", held_on="2019-11-05")
    w.session("S2", "T1", "FG", held_on="2020-05-01")
    w.session("S3", "T1", "I", held_on="2020-06-02")
    w.session("S4", "T2", "SB", held_on="2020-06-10", groups=["Parents"])
    w.session("S5", "T2", "FG", held_on="2020-06-20")  # youth by its attendee P1 (<18)
    w.session("S6", "T1", "FG")                        # planned only
    w.session("S7", "T1", "FG", held_on="2020-03-03", cancelled=True)
    att = {"S1": ["P2", "P11"], "S2": ["P1", "P2", "P3"], "S3": ["P1", "P4", "P5"],
           "S4": ["P1", "P6", "P7"], "S5": ["P1", "P8", "P9", "P10"]}
    meta = {"S1": ("T1", "FG", "2019-11-05"), "S2": ("T1", "FG", "2020-05-01"),
            "S3": ("T1", "I", "2020-06-02"), "S4": ("T2", "SB", "2020-06-10"),
            "S5": ("T2", "FG", "2020-06-20")}
    for sid, pids in att.items():
        for pid in pids:
            w.attend(sid, pid, *meta[sid])
    w.attend("S3", "P2", *meta["S3"], attended=False)   # registered, did not come
    w.attend("S2", "P3", *meta["S2"])                    # recorded twice: counts once
    w.attend("S7", "P4", "T1", "FG", "2020-03-03")       # cancelled session: not counted
    w.caught_up()


REACH_2020 = {
    "year": 2020, "sessions_held": 4, "attendances": 13, "participants": 10,
    "first_timers": 9, "returning": 1, "first_timers_bp": 9000,
    "concentration": {"top_participants": 1, "top_attendances": 4, "bp": 3077},
    "municipalities": [
        {"code": "GM0402", "name": "Hilversum", "inhabitants": 75000, "participants": 6,
         "participants_bp": 6000, "inhabitants_bp": 7500, "ratio_pct": 80},
        {"code": "GM0417", "name": "Laren", "inhabitants": 25000, "participants": 3,
         "participants_bp": 3000, "inhabitants_bp": 2500, "ratio_pct": 120}],
    "outside": {"participants": 1, "bp": 1000},
    "target_groups": [{"group": "statushouders", "participants": 2, "bp": 2000},
                      {"group": "youth", "participants": 2, "bp": 2000}],
    "youth": {"participants": 2, "bp": 2000},
    "methods": [{"method": "FG", "name": "focus group", "sessions": 2, "attendances": 7},
                {"method": "I", "name": "interviews", "sessions": 1, "attendances": 3},
                {"method": "SB", "name": "mirror meeting", "sessions": 1, "attendances": 3}],
    "inhabitants_total": 100000,
}


@with_world()
def reach_figures_on_a_fixture_with_known_answers(stack, w):
    reach_fixture(stack, w)
    # The feedback loop: S2 (held 05-01) sent today = 60 days; S4 (06-10) 20 days;
    # S5 (06-20) published and sent today = 10 days; S3 without a report.
    published(stack, "S2", "# S2\n", "f2", sent=True)
    published(stack, "S4", "# S4\n", "f4", sent=True)
    published(stack, "S5", "# S5\n", "f5", sent=True)
    d = stack.ok("reporting", "stats.reach", {"year": 2020})
    fb = d.pop("feedback")
    st.eq(d, REACH_2020)
    st.eq(fb, {"days": 28, "sessions_held": 4, "reports_published": 3, "published_bp": 7500,
               "reports_sent": 3, "sent_in_time": 2, "sent_in_time_bp": 5000,
               "median_days_to_send": 20})
    fb = stack.ok("reporting", "stats.reach", {"year": 2020, "days": 60})["feedback"]
    st.eq(fb["sent_in_time"], 3, "day 60 counts with 60 days allowed")
    d19 = stack.ok("reporting", "stats.reach", {"year": 2019})
    st.eq((d19["participants"], d19["first_timers"], d19["attendances"]), (2, 2, 2))
    st.eq(d19["feedback"]["median_days_to_send"], None)
    rc, out, err = stack.ctl("stats", "reach", "--year", "2020")
    st.eq(rc, 0, err)
    for want in ["10 unique participants", "30.77%", "Hilversum", "80", "120", "statushouders",
                 "focus group", "median days to sending   20"]:
        st.check(want in out, f"{want!r} in samenctl stats reach:\n{out}")


@with_world(config={"samen": {"locale": "nl"}})
def the_youth_report_counts_youth_sessions_and_is_due_on_1_july_the_next_year(stack, w):
    reach_fixture(stack, w)
    d = stack.ok("reporting", "report.youth", {"year": 2020})
    st.eq((d["due_on"], d["status"], d["days_late"], d["sessions"], d["participants"],
           d["attendances"], d["young"], d["parents"]),
          ("2021-07-01", "draft", 0, 2, 6, 7, 1, 0))
    st.eq(d["text"], """# Cliëntervaringsonderzoek (CEO) Jeugd 2020

**Stand:** concept. Aan te leveren bij het ministerie van Volksgezondheid, Welzijn en Sport (VWS) \
uiterlijk 1 juli 2021.

## Hoe de ervaringen zijn opgehaald

In 2020 hield de regio 2 bijeenkomsten met jongeren en ouders over onderwerpen die de jeugd \
aangaan, met 6 verschillende deelnemers (7 keer aanwezig). Daarvan jongeren: 1, ouders: 0.

**Werkvormen:** focusgroep (FG, 1 bijeenkomst), spiegelbijeenkomst (SB, 1 bijeenkomst).

**Onderwerpen:**

- T2 Complex divorces: 2 bijeenkomsten, 6 deelnemers

## Bevindingen en wat we ermee hebben gedaan

Nog geen bevindingen vastgelegd.
""")
    # The report on 2018 was due on 2019-07-01: 365 days overdue on 2020-06-30.
    d18 = stack.ok("reporting", "report.youth", {"year": 2018})
    st.eq((d18["due_on"], d18["days_late"]), ("2019-07-01", 365))
    st.check("**Stand:** concept. Aan te leveren bij het ministerie van Volksgezondheid, Welzijn "
             "en Sport (VWS) uiterlijk 1 juli 2019: 365 dagen te laat." in d18["text"],
             d18["text"])
    d19 = stack.ok("reporting", "report.youth", {"year": 2019})
    st.eq((d19["due_on"], d19["days_late"]), ("2020-07-01", 0))
    # From 1 May report due warns about the report on last year (today is
    # 2020-06-30: due tomorrow).
    due = stack.ok("reporting", "report.due")
    st.eq({k: due["youth"][k] for k in ("year", "status", "due_on", "days_left")},
          {"year": 2019, "status": "draft", "due_on": "2020-07-01", "days_left": 1})
    st.check(due["youth"]["text"].startswith("Het cliëntervaringsonderzoek (CEO) Jeugd over 2019 "
                                             "is nog niet ingediend; het moet uiterlijk 1 juli "
                                             "2020 bij het ministerie"), due["youth"]["text"])
    rc, out, err = stack.ctl("--locale", "nl", "report", "due")
    st.check(rc == 0 and out.startswith("! Het cliëntervaringsonderzoek (CEO) Jeugd over 2019"),
             out + err)
    # Findings, adoption, submission.
    stack.refused("reporting", "youth.adopt", {"year": 2019}, code="failed_precondition",
                  field="year")
    stack.ok("reporting", "youth.finding.add",
             {"year": 2019, "theme": "T2", "finding": "Parents want one contact person."},
             rid="yf1")
    stack.ok("reporting", "youth.finding.update",
             {"year": 2019, "n": 1, "done": "A case manager per family since 2020."}, rid="yf2")
    stack.ok("reporting", "youth.adopt", {"year": 2019}, rid="ya")
    s = stack.ok("reporting", "youth.submit", {"year": 2019}, rid="ys")
    st.eq((s["status"], s["submitted_on"], s["days_late"]), ("submitted", TODAY, 0))
    st.eq(stack.ok("reporting", "report.due")["youth"], None, "submitted: no warning")
    text = stack.ok("reporting", "report.youth", {"year": 2019})["text"]
    st.check("**Stand:** ingediend op 30 juni 2020. Aan te leveren bij het ministerie van "
             "Volksgezondheid, Welzijn en Sport (VWS) uiterlijk 1 juli 2020." in text, text)
    st.check("- **T2 Complex divorces:** Parents want one contact person.\n"
             "  - **Wat we ermee hebben gedaan:** A case manager per family since 2020.\n" in text,
             text)
    stack.refused("reporting", "youth.finding.add", {"year": 2019, "finding": "late"},
                  code="failed_precondition", field="year")
    html = stack.ok("reporting", "report.youth", {"year": 2019, "format": "html"})["text"]
    st.check("<title>Cliëntervaringsonderzoek (CEO) Jeugd 2019</title>" in html, html[:200])
    letter = stack.ok("reporting", "report.youth", {"year": 2019, "document": "letter"})["text"]
    st.check(letter.startswith("# Raadsinformatiebrief\n") and "**Aan:** de gemeenteraden van "
             "Hilversum en Laren" in letter and "Het rapport is op 30 juni 2020 ingediend" in
             letter, letter)
    svg = stack.ok("reporting", "report.youth", {"year": 2019, "document": "infographic"})
    st.check(svg["format"] == "svg" and svg["text"].startswith("<?xml") and
             "<script" not in svg["text"], svg["text"][:200])
    stack.refused("reporting", "report.youth", {"year": 2019, "document": "poster"},
                  code="invalid_argument", field="document")
    stack.refused("reporting", "report.youth", {"year": 2019, "document": "letter",
                                                "format": "svg"},
                  code="invalid_argument", field="format")
    rc, out, err = stack.ctl("--locale", "nl", "report", "youth", "--year", "2020")
    st.eq((rc, out), (0, d["text"]), err)
    # English stays available: the same report for an English reader.
    rc, out, err = stack.ctl("report", "youth", "--year", "2020")
    st.check(rc == 0 and out.startswith("# Youth client experience report 2020\n\n**Status:** "
                                        "draft. Due at the Ministry of Health, Welfare and Sport "
                                        "(VWS) on 1 July 2021."), out)


@with_world()
def rebuilding_from_events_gives_the_same_figures(stack, w):
    reach_fixture(stack, w)
    w.participant("P8", verb="erased")
    w.caught_up()

    def figures():
        return (stack.ok("reporting", "stats.reach", {"year": 2020}),
                stack.ok("reporting", "stats.reach", {"year": 2019}),
                stack.ok("reporting", "report.youth", {"year": 2020})["text"],
                stack.ok("reporting", "report.annual", {"year": 2020})["text"],
                stack.ok("reporting", "report.due"))
    before = figures()
    st.eq(before[0]["participants"], 10, "an erased participant keeps counting")
    st.eq(before[0]["outside"]["participants"], 2, "without attributes: outside")
    info = stack.ok("reporting", "service.info")
    stack.stop("reporting")
    shutil.rmtree(stack.data_dir("reporting"))
    stack.start("reporting")
    st.eq(stack.ok("reporting", "service.info")["counts"]["attendance"] <=
          info["counts"]["attendance"], True)
    w.caught_up()
    after = figures()
    st.eq(after, before, "figures after rebuilding from the other services' logs")
    st.eq(stack.ok("reporting", "service.info")["counts"], info["counts"])


@with_world()
def participant_export_shows_what_reporting_holds_and_erasure_drops_attributes(stack, w):
    reach_fixture(stack, w)
    d = stack.ok("reporting", "participant.export", {"participant": "P1"})
    st.eq(d["attributes"], {"municipality": "GM0402", "target_groups": ["youth"],
                            "labels": ["youth"], "age_band": "<18"})
    st.eq((d["attendance"]["attended"], d["attendance"]["absent"]), (4, 0))
    st.eq([s["session"] for s in d["attendance"]["sessions"]], ["S2", "S3", "S4", "S5"])
    d = stack.ok("reporting", "participant.export", {"participant": "P2"})
    st.eq((d["attendance"]["attended"], d["attendance"]["absent"]), (2, 1))
    before = stack.ok("reporting", "stats.reach", {"year": 2020})
    w.participant("P1", verb="erased")
    w.caught_up()
    d = stack.ok("reporting", "participant.export", {"participant": "P1"})
    st.eq(d["attributes"], None, "erased: attributes dropped")
    st.eq(d["attendance"]["attended"], 4, "the counts stay")
    after = stack.ok("reporting", "stats.reach", {"year": 2020})
    st.eq((after["participants"], after["attendances"], after["concentration"]),
          (before["participants"], before["attendances"], before["concentration"]))
    st.eq(after["youth"]["participants"], 1)
    d = stack.ok("reporting", "participant.export", {"participant": "P999"})
    st.eq((d["attributes"], d["attendance"]["attended"]), (None, 0))
    stack.refused("reporting", "participant.export", {"participant": "S1"},
                  code="invalid_argument", field="participant")
    for name in ["reporting"]:
        st.check("Maria" not in stack.log(name), "no personal data in the log")


@with_world()
def participant_export_says_who_accessed_what_reporting_holds(stack, w):
    reach_fixture(stack, w)
    first = stack.ok("reporting", "participant.export", {"participant": "P2"})
    st.eq(first["accessed_by"], [], "nobody read P2's data before")
    again = stack.ok("reporting", "participant.export", {"participant": "p2"})
    st.eq(again["participant"], "P2", "the ID in its canonical form")
    st.eq([(a["key"], a["op"], a["outcome"]) for a in again["accessed_by"]],
          [("admin", "participant.export", "ok")], "the first export is on record for P2")
    st.eq(stack.ok("reporting", "participant.export", {"participant": "P3"})["accessed_by"], [],
          "P2's accesses are not P3's")
    st.eq(sorted(again), ["accessed_by", "attendance", "attributes", "note", "participant",
                          "reactions", "service"])


@with_world()
def service_info_describes_every_op_with_its_arguments_and_roles(stack, w):
    info = stack.ok("reporting", "service.info")
    decls = {d["name"]: d for d in info["declarations"]}
    st.eq(set(info["ops"]), set(decls))
    for builtin in ("service.info", "events.read", "store.backup", "audit.list",
                    "follow.resync"):
        st.check(builtin in decls, builtin)
    st.eq(len(decls), 37 + 5)  # 26, the reactions (2), decisions (3), the yardstick (4),
    #                            report.public.list and .get
    pub = decls["report.publish"]
    st.eq((pub["kind"], pub["roles"], pub["cli"]), ("write", ["admin", "coordinator"],
                                                   "report publish"))
    st.eq([(a["name"], a["type"], a["required"]) for a in pub["args"]],
          [("report", "id", True), ("allow", "list", False), ("date", "date", False)])
    st.eq((pub["args"][1]["max"], pub["args"][1]["item_max"]), (64, 200))
    chk = decls["report.check"]
    st.eq((chk["kind"], chk["personal"], chk["personal_roles"]),
          ("read", True, ["admin", "coordinator"]))
    st.check("auditor" in chk["roles"], chk["roles"])
    exp = decls["participant.export"]
    st.check("service:intake" in exp["roles"] and "service:intake" in exp["personal_roles"], exp)
    st.eq(decls["outcome.add"]["args"][4]["values"], ["none", "adopted_in_plan",
                                                      "changed_decision"])


@with_world()
def the_declarations_refuse_before_the_handler_and_take_words_typed_with_spaces(stack, w):
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-01")
    w.caught_up()
    rep = report_flow(stack, "S1", "# Report\n", "dcl")
    r = lambda op, args, field: stack.refused("reporting", op, args,  # noqa: E731
                                              code="invalid_argument", field=field)
    e = r("report.publish", {"report": rep, "allow": ["x" * 201]}, "allow")
    st.check("200" in e["message"], e["message"])
    r("report.publish", {"report": rep, "allow": ["x"] * 65}, "allow")
    r("report.check", {"report": rep, "version": 0}, "version")
    r("report.list", {"limit": 0}, "limit")
    r("report.list", {"after": "U1"}, "after")
    r("outcome.add", {"theme": "T1", "sessions": ["S1"] * 33, "brought_in": "x"}, "sessions")
    r("outcome.add", {"theme": "T1", "sessions": ["T1"], "brought_in": "x"}, "sessions")
    r("outcome.add", {"theme": "T1", "sessions": ["S1"], "brought_in": "x" * 4001}, "brought_in")
    r("youth.finding.add", {"year": 2019, "finding": "x", "done": ""}, "done")
    r("report.revise", {"report": rep, "text": "# R\n", "note": ""}, "note")
    e = r("report.youth", {"year": 9999}, "year")
    st.check("9998" in e["message"], e["message"])
    st.eq(stack.events("reporting")[-1]["type"], "reporting.report.drafted", "nothing written")
    # Words typed with spaces arrive in their wire form.
    o = stack.ok("reporting", "outcome.add",
                 {"theme": "t1", "sessions": ["s1"], "brought_in": "More seats.\r\nSoon.",
                  "status": "In progress", "effect": "adopted in plan"}, rid="dclo")
    st.eq((o["theme"], o["sessions"], o["status"], o["effect"], o["brought_in"]),
          ("T1", ["S1"], "in_progress", "adopted_in_plan", "More seats.\nSoon."))
    d = stack.ok("reporting", "report.list", {"state": "Approved", "limit": 1})
    st.eq(([x["id"] for x in d["reports"]], d["next"]), ([rep], None))


# ==== Bad input =============================================================

@with_world()
def bad_input_is_refused_with_the_field_named(stack, w):
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-01")
    w.session("S2", "T1", "FG", held_on="2020-06-02", cancelled=True)
    w.caught_up()
    rep = published(stack, "S1", "# Report\n", "b")
    r = lambda op, args, code, field: stack.refused("reporting", op, args, code=code,  # noqa
                                                    field=field)
    # publishing twice
    r("report.publish", {"report": rep}, "failed_precondition", "report")
    # approving an unknown report
    e = r("report.approve", {"report": "R99"}, "not_found", "report")
    st.check("R99" in e["message"], e["message"])
    r("report.publish", {"report": "R99"}, "not_found", "report")
    r("report.sent", {"report": "R99"}, "not_found", "report")
    r("report.get", {"report": "R99"}, "not_found", "report")
    r("report.approve", {"report": "S1"}, "invalid_argument", "report")
    # year 0
    for op in ["stats.reach", "report.annual", "report.youth", "youth.adopt"]:
        e = r(op, {"year": 0}, "invalid_argument", "year")
        st.check("0" in e["message"], e["message"])
    r("stats.reach", {"year": "2019"}, "invalid_argument", "year")
    r("stats.reach", {}, "invalid_argument", "year")
    # unknown theme
    r("outcome.add", {"theme": "T99", "sessions": ["S1"], "brought_in": "x"}, "not_found",
      "theme")
    r("report.passage", {"theme": "T99"}, "not_found", "theme")
    r("youth.finding.add", {"year": 2019, "theme": "T99", "finding": "x"}, "not_found", "theme")
    # an empty report
    w.session("S3", "T1", "FG", held_on="2020-06-03")
    w.caught_up()
    r("report.draft", {"session": "S3", "text": ""}, "invalid_argument", "text")
    r("report.draft", {"session": "S3", "text": " \n\t\n"}, "invalid_argument", "text")
    r("report.draft", {"session": "S3"}, "invalid_argument", "text")
    r("report.draft", {"session": "S3", "text": "x" * (256 * 1024 + 1)}, "invalid_argument",
      "text")
    # other bad input
    r("report.draft", {"session": "S99", "text": "# x\n"}, "not_found", "session")
    r("report.draft", {"session": "S2", "text": "# x\n"}, "failed_precondition", "session")
    r("report.draft", {"session": "S1", "text": "# again\n"}, "already_exists", "session")
    r("report.draft", {"session": "S3", "text": "# x\n", "colour": "red"}, "invalid_argument",
      "colour")
    r("report.annual", {"year": 2019, "format": "pdf"}, "invalid_argument", "format")
    r("report.youth", {"year": 2019, "format": "csv"}, "invalid_argument", "format")
    r("report.sent", {"report": rep, "date": "2020-07-01"}, "invalid_argument", "date")
    r("report.sent", {"report": rep, "date": "2020-02-30"}, "invalid_argument", "date")
    r("report.publish", {"report": rep, "allow": "x"}, "invalid_argument", "allow")
    r("report.due", {"days": 0}, "invalid_argument", "days")
    r("report.get", {"report": rep, "version": 5}, "not_found", "version")
    r("report.list", {"state": "lost"}, "invalid_argument", "state")
    r("outcome.add", {"theme": "T1", "sessions": ["S1"], "brought_in": "x", "status": "maybe"},
      "invalid_argument", "status")
    r("youth.finding.update", {"year": 2019, "n": 1, "done": "x"}, "not_found", "n")
    r("youth.submit", {"year": 2019}, "failed_precondition", "year")
    # Nothing above left a trace.
    st.eq([e["type"] for e in stack.events("reporting")],
          ["reporting.report.drafted", "reporting.report.published"])
    # samenctl checks the declaration before sending: a usage error naming the flag.
    rc, _, err = stack.ctl("stats", "reach", "--year", "0")
    st.check(rc == 2 and "--year" in err, err)
    rc, _, err = stack.ctl("report", "annual")
    st.eq(rc, 2, err)


@with_world()
def events_reporting_cannot_use_are_skipped_and_the_rest_still_applied(stack, w):
    sch = w.scheduling
    sch.emit("scheduling.theme.created", {"title": "no id"})
    sch.emit("scheduling.theme.created", {"id": 5, "title": ["not", "text"]})
    sch.emit("scheduling.session.planned", {"id": "T1", "theme": "T1"})
    sch.emit("scheduling.session.held", {"id": "S1", "theme": 7, "method": None,
                                         "status": "held", "held_on": "2020-02-30",
                                         "target_groups": "youth"})
    sch.emit("scheduling.attendance.recorded", {"session": "S1", "participant": "P1",
                                                "attended": "yes"})
    sch.emit("scheduling.session.renamed", {"id": "S1", "title": "x" * 5000})
    sch.emit("scheduling.something.else", {})
    w.intake.emit("intake.participant.registered", {"id": "P1", "municipality": 12,
                                                    "target_groups": [1, "youth", None],
                                                    "age_band": {"x": 1}})
    w.intake.emit("intake.participant.consent_withdrawn", {"id": "P1"})
    w.theme("T2", "Low literacy", years=[2020])
    w.session("S2", "T2", "FG", held_on="2020-06-01")
    w.attend("S2", "P1", "T2", "FG", "2020-06-01")
    w.caught_up()
    d = stack.ok("reporting", "stats.reach", {"year": 2020})
    st.eq((d["sessions_held"], d["participants"], d["target_groups"]),
          (1, 1, [{"group": "youth", "participants": 1, "bp": 10000}]))
    st.eq(stack.ok("reporting", "report.annual", {"year": 2020})["themes"], 1)
    st.check("event not applied" in stack.log("reporting"), "bad events are logged as skipped")


# ==== samenctl ==============================================================

@with_world()
def samenctl_takes_a_report_from_a_file_or_stdin_through_to_sent(stack, w):
    w.theme("T1", "Disability taxi")
    w.session("S1", "T1", "FG", held_on="2020-06-01")
    w.session("S2", "T1", "FG", held_on="2020-06-02")
    w.participant("P1", "GM0402", name="Maria Jansen", phone="0612345678")
    w.caught_up()
    path = os.path.join(stack.dir, "verslag.md")
    with open(path, "w") as f:
        f.write("# Focus group\n\nMaria Jansen asked for a later start.\n")
    rc, out, err = stack.ctl("report", "draft", "S1", "--file", path)
    st.eq(rc, 0, err)
    st.check("R1 version 1 of 1: draft (session S1, theme T1)" in out, out)
    rc, out, err = stack.ctl("report", "draft", "S2", input="# Interviews\n\nAll fine.\n")
    st.eq(rc, 0, err)
    st.eq(stack.ok("reporting", "report.get", {"report": "R2"})["text"],
          "# Interviews\n\nAll fine.\n")
    st.eq(stack.ctl("report", "approve", "R1")[0], 0)
    rc, out, err = stack.ctl("report", "publish", "R1")
    st.eq(rc, 1, err)
    st.check("name at line 3" in err and "(field: allow)" in err, err)
    # Listed where they are, masked: the first letter and stars.
    st.check("M**** ******" in out and "P1" in out and "Maria" not in out,
             f"the matches are listed, masked: {out}")
    rc, out, err = stack.ctl("report", "check", "R1")
    st.check(rc == 0 and "Maria Jansen" in out and "1 not allowed" in out, out)
    rc, out, err = stack.ctl("report", "publish", "R1", "--allow", "Maria Jansen")
    st.eq(rc, 0, err)
    st.check("published" in out, out)
    rc, out, err = stack.ctl("report", "sent", "R1", "--date", TODAY)
    st.eq(rc, 0, err)
    rc, out, err = stack.ctl("report", "show", "R1", "--format", "html")
    st.eq((rc, out), (0, "<h1>Focus group</h1>\n<p>Maria Jansen asked for a later start.</p>\n"),
          err)
    rc, out, err = stack.ctl("report", "show", "R1")
    st.check(rc == 0 and "sent_on" in out and "# Focus group" in out, out)
    rc, out, err = stack.ctl("report", "list")
    st.check(rc == 0 and "R1" in out and "sent" in out and "R2" in out, out)
    rc, out, err = stack.ctl("report", "list", "--state", "draft", "--json")
    st.eq([r["id"] for r in json.loads(out)["reports"]], ["R2"])
    rc, out, err = stack.ctl("report", "revise", "R1", "--note", "Name removed after all",
                             input="# Focus group\n\nA resident asked for a later start.\n")
    st.eq(rc, 0, err)
    st.check("R1 version 2 of 2: draft" in out, out)
    rc, out, err = stack.ctl("report", "check", "R1")
    st.check(rc == 0 and "R1: no personal data found" in out, out)
    rc, out, err = stack.ctl("report", "check", "R1", "--version", "1", "--allow", "maria jansen")
    st.check(rc == 0 and "Maria Jansen" in out and "report" in out and "0 not allowed" in out, out)
    rc, out, err = stack.ctl("report", "--help")
    st.check(rc == 0 and "passage" in out and "due" in out, out)
    rc, out, err = stack.ctl("report", "annual", "--year", "2020", "--format", "ics")
    st.eq(rc, 2, err)


if __name__ == "__main__":
    st.main()
