#!/usr/bin/python3
"""The coordinator's planning details through samenctl, against a whole stack
(issue 15): recurring sessions that keep their weekday, a registration
deadline per session with an override, methods with their own defaults (a
survey has no places and pays nothing), the portfolio holders' adoption of
the yearly agenda, and a resident's reaction to a published report.

Built on the seeds' 2019-2020 agenda (tools/demo_data.py): the foster-parent
café on the second Wednesday of February 2019, three times a year; the
mirror meeting of the shelter evaluation on 11 March 2020; the survey on
letters in the last quarter of 2019; the suicide-prevention focus group of
22 January 2020.

"Today" is 2020-03-10 for every daemon of this suite (SAMEN_TODAY).
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

TODAY = "2020-03-10"
os.environ["SAMEN_TODAY"] = TODAY


def ctl(stack, *args, rc=0):
    """Run samenctl; check its exit code; return (stdout, stderr)."""
    code, out, err = stack.ctl(*args)
    st.eq(code, rc, f"samenctl {' '.join(args)} exit code (stdout: {out.strip()[:300]}; "
                    f"stderr: {err.strip()})")
    return out, err


def ctl_json(stack, *args):
    out, _ = ctl(stack, "--json", *args)
    return json.loads(out)


def theme(stack, title, domain="youth", years=("2019", "2020")):
    args = ["theme", "add", title, "--domain", domain]
    for y in years:
        args += ["--year", y]
    return ctl_json(stack, *args)["id"]


def participant(stack, name, *extra):
    return ctl_json(stack, "participant", "add", name, "--consent", *extra)["id"]


def known_to_scheduling(stack, n):
    st.wait_until(lambda: stack.ok("scheduling", "service.info")["counts"]
                  ["participants_known"] >= n, 15, "scheduling to learn the participants")


def whens(stack, ids):
    return [stack.ok("scheduling", "session.get", {"session": s})["when"] for s in ids]


# ==== Recurring sessions keep their weekday ===================================

@st.test()
def the_foster_parent_cafe_stays_on_the_second_wednesday(stack):
    t = theme(stack, "Foster-parent support")
    # 13 February 2019 is the second Wednesday; three times a year, six times.
    out, _ = ctl(stack, "session", "plan", "--theme", t, "--method", "C", "--start",
                 "2019-02-13T19:30", "--end", "2019-02-13T21:30", "--times-a-year", "3",
                 "--count", "6", "--title", "Foster-parent café")
    st.check(out.startswith("planned a series of 6 sessions: S1, S2, S3, S4, S5, S6"), out)
    days = whens(stack, ["S1", "S2", "S3", "S4", "S5", "S6"])
    st.eq(days, ["2019-02-13 19:30-21:30", "2019-06-12 19:30-21:30", "2019-10-09 19:30-21:30",
                 "2020-02-12 19:30-21:30", "2020-06-10 19:30-21:30", "2020-10-14 19:30-21:30"],
          "the second Wednesday each time, 19:30 across summer time")
    # The old rule, kept on request: the 13th, which was a Thursday, then a Sunday.
    r = ctl_json(stack, "session", "plan", "--theme", t, "--method", "C", "--start",
                 "2019-02-13T10:00", "--end", "2019-02-13T11:00", "--times-a-year", "3",
                 "--count", "3", "--keep", "date")
    st.eq(whens(stack, r["occurrences"]), ["2019-02-13 10:00-11:00", "2019-06-13 10:00-11:00",
                                           "2019-10-13 10:00-11:00"])
    # "The first Tuesday of the month": planned from a first Tuesday, monthly.
    r = ctl_json(stack, "session", "plan", "--theme", t, "--method", "KB", "--start",
                 "2019-10-01T15:00", "--end", "2019-10-01T17:00", "--every-months", "1",
                 "--count", "4")
    st.eq(whens(stack, r["occurrences"]), ["2019-10-01 15:00-17:00", "2019-11-05 15:00-17:00",
                                           "2019-12-03 15:00-17:00", "2020-01-07 15:00-17:00"])
    # "The last Wednesday": 30 October 2019 is the fifth Wednesday of its month.
    r = ctl_json(stack, "session", "plan", "--theme", t, "--method", "FG", "--start",
                 "2019-10-30T19:00", "--end", "2019-10-30T21:00", "--every-months", "1",
                 "--count", "3")
    st.eq(whens(stack, r["occurrences"]), ["2019-10-30 19:00-21:00", "2019-11-27 19:00-21:00",
                                           "2019-12-25 19:00-21:00"])
    # "Every second Wednesday": every two weeks.
    r = ctl_json(stack, "session", "plan", "--theme", t, "--method", "T", "--start",
                 "2020-01-08T10:00", "--end", "2020-01-08T12:00", "--every-weeks", "2",
                 "--count", "3")
    st.eq(whens(stack, r["occurrences"]), ["2020-01-08 10:00-12:00", "2020-01-22 10:00-12:00",
                                           "2020-02-05 10:00-12:00"])
    # keep goes with a rhythm in months only.
    _, err = ctl(stack, "session", "plan", "--theme", t, "--method", "T", "--start",
                 "2020-01-08T10:00", "--end", "2020-01-08T12:00", "--every-weeks", "2",
                 "--count", "3", "--keep", "date", rc=1)
    st.check("(field: keep)" in err, err)


# ==== The registration deadline ===============================================

@st.test()
def registration_closes_at_the_deadline_unless_the_coordinator_overrides(stack):
    t = theme(stack, "Evaluation shelter and care", domain="shelter_and_protection")
    people = [participant(stack, f"Deelnemer {i}") for i in range(1, 4)]
    known_to_scheduling(stack, 3)
    # The mirror meeting of 11 March 2020; registration closed on 4 March.
    s = ctl_json(stack, "session", "plan", "--theme", t, "--method", "SB", "--start",
                 "2020-03-11T19:00", "--end", "2020-03-11T21:00", "--register-by",
                 "2020-03-04", "--title", "Mirror meeting: what we heard")
    st.eq(s["register_by"], "2020-03-04")
    out, _ = ctl(stack, "session", "show", s["id"])
    st.check(re.search(r"^register_by +2020-03-04$", out, re.M), out)
    ev = [e for e in stack.events("scheduling") if e["type"] == "scheduling.session.planned"][-1]
    st.eq(ev["data"]["register_by"], "2020-03-04", "the event carries the deadline")
    _, err = ctl(stack, "session", "register", s["id"], people[0], rc=1)
    st.check("registration for S1 closed on 2020-03-04" in err and "--after-deadline" in err
             and "[failed_precondition]" in err, err)
    _, err = ctl(stack, "--locale", "nl", "session", "register", s["id"], people[0], rc=1)
    st.check("aanmelden voor S1 kon tot en met 2020-03-04 (de uiterste aanmelddatum)" in err,
             f"the refusal in Dutch: {err}")
    out, _ = ctl(stack, "session", "register", s["id"], people[0], "--after-deadline")
    st.eq(out, "P1 registered for S1 (1 of 12 places taken)\n")
    # Moved to later in March: the deadline moves with it, else registration is open again.
    ctl(stack, "session", "update", s["id"], "--register-by", "2020-03-12", rc=1)
    ctl(stack, "session", "update", s["id"], "--start", "2020-03-25T19:00", "--end",
        "2020-03-25T21:00", "--register-by", "2020-03-18")
    out, _ = ctl(stack, "session", "register", s["id"], people[1])
    st.check("P2 registered for S1" in out, out)
    # A deadline after the session's day is refused, naming the field.
    _, err = ctl(stack, "session", "plan", "--theme", t, "--method", "FG", "--start",
                 "2020-06-17T19:00", "--end", "2020-06-17T21:00", "--register-by",
                 "2020-06-18", rc=1)
    st.check("(field: register_by)" in err and "2020-06-17 or earlier" in err, err)
    # Removed again with "": no deadline, anybody may register.
    ctl(stack, "session", "update", s["id"], "--register-by", "")
    st.eq(stack.ok("scheduling", "session.get", {"session": s["id"]})["register_by"],
          None)
    # A series: each meeting closes as many days before its own day as the first.
    r = ctl_json(stack, "session", "plan", "--theme", t, "--method", "C", "--start",
                 "2020-04-08T19:30", "--end", "2020-04-08T21:30", "--times-a-year", "3",
                 "--count", "3", "--register-by", "2020-04-01")
    deadlines = [stack.ok("scheduling", "session.get", {"session": x})["register_by"]
                 for x in r["occurrences"]]
    st.eq(deadlines, ["2020-04-01", "2020-08-05", "2020-12-02"], "a week before each meeting")


# ==== Methods carry their own defaults ========================================

@st.test(start=False)
def a_survey_gets_no_places_and_no_reimbursement(stack):
    # The operator gives focus groups 10 places of their own; the survey's
    # defaults (none, nothing) are the shipped ones.
    with open(stack.cfg_path) as f:
        lines = f.read().splitlines()
    at = lines.index("scheduling") + 1
    lines[at:at] = ["    methods", "        FG", '            capacity = "10"']
    with open(stack.cfg_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    stack.up()
    t = theme(stack, "Low literacy and access to services", domain="work_and_income")
    e = ctl_json(stack, "session", "plan", "--theme", t, "--method", "E", "--period", "2019-Q4",
                 "--title", "Survey on letters")
    st.eq((e["capacity"], e["reimbursement_cents"]), (0, 0), "a survey: no limit, no money")
    fg = ctl_json(stack, "session", "plan", "--theme", t, "--method", "FG", "--period", "2020-Q2")
    st.eq((fg["capacity"], fg["reimbursement_cents"]), (10, 1500),
          "FG's own capacity, the general reimbursement")
    n = ctl_json(stack, "session", "plan", "--theme", t, "--method", "N", "--period", "2020-Q2")
    st.eq((n["capacity"], n["reimbursement_cents"]), (12, 1500), "the general defaults")
    # Given explicitly, the survey takes what it is given.
    g = ctl_json(stack, "session", "plan", "--theme", t, "--method", "E", "--period", "2020-Q1",
                 "--capacity", "200", "--reimbursement", "5.00")
    st.eq((g["capacity"], g["reimbursement_cents"]), (200, 500))
    # No limit: everybody who registers gets a place.
    people = [participant(stack, f"Respondent {i}") for i in range(1, 15)]
    known_to_scheduling(stack, len(people))
    for p in people:
        out, _ = ctl(stack, "session", "register", e["id"], p)
    st.eq(out, "P14 registered for S1 (14 registered; no limit on places)\n")
    lst = stack.ok("scheduling", "registration.list", {"session": e["id"]})
    st.eq((lst["registered"], lst["waitlisted"], lst["capacity"]), (14, 0, 0))
    # A bad method default stops the service at start (exit 2), naming the setting.
    with open(stack.cfg_path) as f:
        text = f.read()
    bad = os.path.join(stack.dir, "bad.cfg")
    with open(bad, "w") as f:
        f.write(text.replace('capacity = "10"', 'capacity = "ten"')
                .replace(stack.data_dir("scheduling"), stack.data_dir("scheduling") + "-bad"))
    p = subprocess.run([stack.binary("scheduling"), "--config", bad], capture_output=True,
                       text=True, timeout=20, cwd=stack.dir)
    st.eq(p.returncode, 2, p.stderr)
    st.check("scheduling/methods/FG/capacity" in p.stderr and "ten" in p.stderr, p.stderr)


# ==== The portfolio holders adopt the yearly agenda ===========================

@st.test()
def the_2020_agenda_is_adopted_by_the_portfolio_holders(stack):
    t1 = theme(stack, "Disability taxi (Wmo-taxi)", domain="social_support")
    theme(stack, "Suicide prevention", domain="health", years=("2020",))
    ctl(stack, "session", "plan", "--theme", t1, "--method", "SB", "--period", "2020-06",
        "--tentative")
    out, _ = ctl(stack, "agenda", "show", "--year", "2020")
    st.check("Agenda 2020: 2 themes\nNot adopted yet: subject to the portfolio holders' "
             "decision.\n" in out, out)
    out, _ = ctl(stack, "agenda", "adopt", "--year", "2020", "--body",
                 "Portefeuillehoudersoverleg Sociaal Domein", "--date", "2019-10-03",
                 "--decision", "PHO 2019-10-03/4")
    st.check("PHO 2019-10-03/4" in out, out)
    out, _ = ctl(stack, "agenda", "show", "--year", "2020")
    st.check("Adopted by Portefeuillehoudersoverleg Sociaal Domein on 2019-10-03 (decision "
             "PHO 2019-10-03/4).\n" in out, out)
    # The agenda for the portfolio holders says so instead of "subject to decision".
    out, _ = ctl(stack, "--locale", "nl", "agenda", "overview", "--from", "2019-10", "--to",
                 "2020-06")
    st.check("De agenda 2020 is vastgesteld door het Portefeuillehoudersoverleg Sociaal Domein "
             "op 3 oktober 2019 (besluit PHO 2019-10-03/4)." in out, out)
    st.check("Onder voorbehoud van besluitvorming" not in out, out)
    st.check("Not adopted yet" not in out, out)
    # Amended in spring: both are shown, oldest first.
    ctl(stack, "agenda", "adopt", "--year", "2020", "--body",
        "Portefeuillehoudersoverleg Sociaal Domein", "--date", "2020-03-05", "--decision",
        "PHO 2020-03-05/2")
    a = ctl_json(stack, "agenda", "show", "--year", "2020")["adoptions"]
    st.eq([x["decision"] for x in a], ["PHO 2019-10-03/4", "PHO 2020-03-05/2"])
    st.eq(ctl_json(stack, "agenda", "show", "--year", "2019")["adoptions"], [],
          "the 2019 agenda is not adopted")
    # The same adoption twice, a day after today, a date in another year: refused.
    _, err = ctl(stack, "agenda", "adopt", "--year", "2020", "--body",
                 "Portefeuillehoudersoverleg Sociaal Domein", "--date", "2019-10-03",
                 "--decision", "PHO 2019-10-03/4", rc=1)
    st.check("[already_exists]" in err, err)
    _, err = ctl(stack, "agenda", "adopt", "--year", "2020", "--body", "PHO", "--date",
                 "2020-03-11", "--decision", "x", rc=1)
    st.check("after today (2020-03-10)" in err and "(field: date)" in err, err)
    _, err = ctl(stack, "agenda", "adopt", "--year", "2020", "--body", "PHO", "--date",
                 "2018-10-03", "--decision", "x", rc=1)
    st.check("(field: date)" in err, err)
    ctl(stack, "agenda", "adopt", "--year", "2020", "--body", "PHO", "--date", "2019-10-03",
        rc=2)  # the decision reference is required
    ev = [e for e in stack.events("scheduling") if e["type"] == "scheduling.agenda.adopted"]
    st.eq([e["data"] for e in ev], [
        {"year": 2020, "body": "Portefeuillehoudersoverleg Sociaal Domein",
         "adopted_on": "2019-10-03", "decision": "PHO 2019-10-03/4"},
        {"year": 2020, "body": "Portefeuillehoudersoverleg Sociaal Domein",
         "adopted_on": "2020-03-05", "decision": "PHO 2020-03-05/2"}])


# ==== A resident's reaction to a published report =============================

WORDS = "Fijn dat u dit terugkoppelt, maar mijn zorg over de wachtlijst staat er niet in."


def held_session_with_a_published_report(stack):
    """The suicide-prevention focus group of 22 January 2020, held, with
    Saskia (P1) and Ruud (P2) attending, and its report published."""
    t = theme(stack, "Suicide prevention", domain="health", years=("2020",))
    p1 = participant(stack, "Saskia Zwanenburg", "--email", "saskia@example.nl")
    p2 = participant(stack, "Ruud Verhoeven")
    known_to_scheduling(stack, 2)
    s = ctl_json(stack, "session", "plan", "--theme", t, "--method", "FG", "--start",
                 "2020-01-22T19:00", "--end", "2020-01-22T21:00")["id"]
    for p in (p1, p2):
        ctl(stack, "session", "register", s, p)
    ctl(stack, "session", "hold", s)
    ctl(stack, "attendance", "record", s, "--attended", f"{p1},{p2}")
    st.wait_until(lambda: stack.ok("reporting", "service.info")["counts"]["participants"] >= 2,
                  15, "reporting to learn the participants")
    r = ctl_json(stack, "report", "draft", s, "--text",
                 "# Focus group suicide prevention\n\nPeople look for help with their GP first.\n")
    return t, s, r["id"], p1, p2


@st.test()
def a_residents_reaction_is_recorded_against_the_published_report(stack):
    t, s, r, p1, p2 = held_session_with_a_published_report(stack)
    # Not before it is published.
    _, err = ctl(stack, "report", "react", r, "--participant", p1, "--text", WORDS, rc=1)
    st.check("has not been published" in err and "[failed_precondition]" in err, err)
    ctl(stack, "report", "approve", r, "--date", "2020-03-04")
    ctl(stack, "report", "publish", r, "--date", "2020-03-05")
    out, _ = ctl(stack, "report", "react", r, "--participant", p1, "--text", WORDS)
    st.check(WORDS not in out, "the reply does not repeat the resident's words")
    ctl(stack, "report", "react", r, "--participant", p2, "--text",
        "Bedankt.\nIk kom graag weer.", "--date", "2020-03-09")
    out, _ = ctl(stack, "report", "reactions", r)
    st.check(out.startswith(f"{r} (session {s}, theme {t}): 2 reactions\n"), out)
    st.check(f"\n{p1} on {TODAY}:\n    {WORDS}\n" in out, out)
    st.check(f"\n{p2} on 2020-03-09:\n    Bedankt.\n    Ik kom graag weer.\n" in out, out)
    show = ctl_json(stack, "report", "show", r)
    st.eq(show["reactions"], 2, "report show counts them")
    st.check(WORDS not in json.dumps(show, ensure_ascii=False), "not in the report itself")
    # Refusals name the field.
    _, err = ctl(stack, "report", "react", r, "--participant", p1, "--text", "x", "--date",
                 "2020-03-11", rc=1)
    st.check("(field: date)" in err, err)
    _, err = ctl(stack, "report", "react", r, "--participant", "P99", "--text", "x", rc=1)
    st.check("(field: participant)" in err and "[not_found]" in err, err)
    ctl(stack, "report", "react", r, "--participant", p1, rc=2)  # the words are required
    # Never in an event, of any service, nor in anything published.
    for svc in ("intake", "scheduling", "reporting", "finance"):
        blob = json.dumps(stack.events(svc), ensure_ascii=False)
        st.check("wachtlijst" not in blob and "Bedankt" not in blob, f"{svc}'s events")
    ev = [e for e in stack.events("reporting") if e["type"] == "reporting.report.reacted"]
    st.eq(ev[0]["data"], {"id": r, "session": s, "theme": t, "participant": p1,
                          "received_on": TODAY})
    for args in (("report", "annual", "--year", "2020"), ("report", "passage", t),
                 ("report", "show", r, "--format", "html")):
        out, _ = ctl(stack, *args)
        st.check("wachtlijst" not in out and "Bedankt" not in out, f"{args}: {out[:200]}")
    # The right of access shows the person their own words; erasure destroys them.
    exp = ctl_json(stack, "participant", "export", p1)
    mine = exp["services"]["reporting"]["reactions"]
    st.eq([(x["report"], x["text"]) for x in mine], [(r, WORDS)], "their own words")
    ctl(stack, "participant", "erase", p1, "--yes")
    st.wait_until(lambda: stack.ok("reporting", "report.reactions",
                                   {"report": r})["reactions"][0]["erased"], 15,
                  "reporting to erase the reaction's words")
    out, _ = ctl(stack, "report", "reactions", r)
    st.check(f"\n{p1} on {TODAY}:\n    (erased with the participant)\n" in out, out)
    st.check("Bedankt." in out, "the other resident's reaction stays")
    st.eq(ctl_json(stack, "report", "show", r)["reactions"], 2, "the count does not change")


@st.test()
def the_reactions_declaration_shows_words_to_the_coordinator_only(stack):
    ops = {d["name"]: d for d in stack.ok("reporting", "service.info")["declarations"]}
    st.eq((ops["report.react"]["kind"], ops["report.react"]["roles"]),
          ("write", ["admin", "coordinator"]))
    text = [a for a in ops["report.react"]["args"] if a["name"] == "text"][0]
    st.check(text["personal"] and text["required"], text)
    rx = ops["report.reactions"]
    st.eq((rx["personal"], rx["personal_roles"]), (True, ["admin", "coordinator"]))
    st.check({"finance", "auditor"} <= set(rx["roles"]), rx["roles"])


if __name__ == "__main__":
    st.main()
