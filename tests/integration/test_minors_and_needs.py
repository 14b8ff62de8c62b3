#!/usr/bin/python3
"""Minors and consent, the review of the address file, and a session's
practical needs, through samenctl against a whole stack (issue 15).

- A participant under 16 needs a parent's or guardian's consent (who, when)
  beside their own; registering or updating one without it is refused; the
  age reached this year decides (services/intake/consent.h).
- `participant review` lists consents older than the review period (2y) and
  people without contact for as long; contact is registration, an update,
  or a session attended (intake follows scheduling's attendance).
- `participant needs S1` counts what the people registered for a session
  need, and shows the coordinator who needs what; needs never reach an
  event or anything else outside intake.

The sessions are the seeds' (tools/demo_data.py): the disability-taxi focus
group of 17 October 2019 and the standing focus group of 20 November 2019.
"Today" is 2020-09-01 for every daemon of this suite (SAMEN_TODAY), the
demo year's today.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

TODAY = "2020-09-01"
os.environ["SAMEN_TODAY"] = TODAY

NEEDS = ["transport", "interpreter", "easy_language", "wheelchair", "hearing_loop",
         "sign_language"]


def ctl(stack, *args, rc=0):
    """Run samenctl; check its exit code; return (stdout, stderr)."""
    code, out, err = stack.ctl(*args)
    st.eq(code, rc, f"samenctl {' '.join(args)} exit code (stdout: {out.strip()[:300]}; "
                    f"stderr: {err.strip()})")
    return out, err


def ctl_json(stack, *args):
    out, _ = ctl(stack, "--json", *args)
    return json.loads(out)


def add(stack, name, *extra):
    return ctl_json(stack, "participant", "add", name, "--consent", *extra)["id"]


def known_to_scheduling(stack, n):
    st.wait_until(lambda: stack.ok("scheduling", "service.info")["counts"]
                  ["participants_known"] >= n, 15, "scheduling to learn the participants")


def no_personal_in_events(stack, needles):
    for svc in stack.services:
        blob = json.dumps(stack.events(svc), ensure_ascii=False)
        for n in needles:
            st.check(n not in blob, f"{n!r} in {svc}'s events")


# ==== Minors and consent =======================================================

@st.test(services=["finance", "intake"])
def a_young_person_needs_a_parents_consent_besides_their_own(stack):
    # Born in 2007: 13 in 2020. Without a parent's consent: refused, saying what to give.
    _, err = ctl(stack, "participant", "add", "Sem de Boer", "--consent", "--birth-year", "2007",
                 "--label", "youth", rc=1)
    st.check("(field: guardian)" in err and "--guardian NAME --guardian-consent-given DATE"
             in err and "under 16 in 2020" in err and "Sem" not in err, err)
    p = add(stack, "Sem de Boer", "--birth-year", "2007", "--label", "youth", "--guardian",
            "Anja de Boer", "--guardian-consent-given", "2020-01-06", "--consent-given",
            "2020-01-06")
    rec = ctl_json(stack, "participant", "show", p)
    st.eq((rec["consent"], rec["consent_given"], rec["guardian"], rec["guardian_consent_given"],
           rec["consent_asked"], rec["age_band"]),
          (True, "2020-01-06", "Anja de Boer", "2020-01-06", "own_and_guardian", "<18"),
          "their own consent and the parent's, recorded apart")
    # The guardian's consent cannot be taken away while it is needed.
    _, err = ctl(stack, "participant", "update", p, "--guardian", "", rc=1)
    st.check("(field: guardian)" in err, err)
    # A new guardian named without a day: today.
    ctl(stack, "participant", "update", p, "--guardian", "Kees de Boer")
    st.eq(ctl_json(stack, "participant", "show", p)["guardian_consent_given"], TODAY)
    # Turning 16 this year counts as under 16 (born 2004); born 2003 does not.
    ctl(stack, "participant", "add", "Lotte Visser", "--consent", "--birth-year", "2004", rc=1)
    q = add(stack, "Daan Visser", "--birth-year", "2003", "--label", "youth")
    st.eq(ctl_json(stack, "participant", "show", q)["consent_asked"], "own")
    # An adult under guardianship may have it recorded; a day without a name may not.
    a = add(stack, "Henk Mulder", "--birth-year", "1961", "--guardian", "Mentorschap Gooi",
            "--guardian-consent-given", "2019-11-01")
    st.eq(ctl_json(stack, "participant", "show", a)["guardian"], "Mentorschap Gooi")
    _, err = ctl(stack, "participant", "add", "Els Bos", "--consent", "--birth-year", "1970",
                 "--guardian-consent-given", "2019-11-01", rc=1)
    st.check("(field: guardian)" in err, err)
    # Someone labelled youth without a birth year: registered (the rule cannot
    # tell), and listed by the review until the year is known. An update
    # that makes an adult in the file a minor needs the consent too.
    noor = add(stack, "Noor", "--label", "youth")
    rv = ctl_json(stack, "participant", "review", "--reason", "age_unknown")
    st.eq([(r["id"], r["reasons"]) for r in rv["participants"]], [(noor, ["age_unknown"])])
    ctl(stack, "participant", "update", noor, "--birth-year", "2003")
    st.eq(ctl_json(stack, "participant", "review", "--reason", "age_unknown")["participants"], [])
    b = add(stack, "Milan Kok")
    _, err = ctl(stack, "participant", "update", b, "--birth-year", "2009", rc=1)
    st.check("(field: guardian)" in err, err)
    ctl(stack, "participant", "update", b, "--birth-year", "2009", "--guardian", "Ilse Kok")
    # A day after today is refused; withdrawing a minor needs nothing.
    ctl(stack, "participant", "update", b, "--guardian-consent-given", "2020-09-02", rc=1)
    ctl(stack, "participant", "withdraw", p)
    # Who consented is personal: never in an event.
    no_personal_in_events(stack, ["Anja", "Kees de Boer", "Mentorschap", "Ilse"])
    st.check("Anja" not in stack.log("intake") and "Ilse" not in stack.log("intake"),
             "nor in a log line")


@st.test(services=["finance", "intake"])
def the_consent_rule_is_declared_with_the_fields(stack):
    ops = {d["name"]: d for d in stack.ok("intake", "service.info")["declarations"]}
    for op in ("participant.register", "participant.update"):
        args = {a["name"]: a for a in ops[op]["args"]}
        st.check(args["guardian"]["personal"], f"{op}: guardian is personal")
        st.eq(args["guardian_consent_given"]["type"], "date")
    st.check("contacted" in {a["name"] for a in ops["participant.update"]["args"]}, "contacted")


# ==== The review of the address file ==========================================

@st.test()
def the_review_lists_old_consents_and_people_without_contact(stack):
    # Anna agreed in June 2018 and was not heard of since.
    anna = add(stack, "Anna Jansen", "--consent-given", "2018-06-01", "--phone", "06 1111 2222")
    # Bram agreed in March 2018 and came to the standing focus group in November 2019.
    bram = add(stack, "Bram Smit", "--consent-given", "2018-03-01")
    # Cas (12) joined in 2019; his mother consented in May 2018.
    cas = add(stack, "Cas Meijer", "--birth-year", "2008", "--label", "youth", "--consent-given",
              "2019-02-01", "--guardian", "Fleur Meijer", "--guardian-consent-given",
              "2018-05-01")
    # Dirk agreed in January 2019: nothing to review yet.
    add(stack, "Dirk de Wit", "--consent-given", "2019-01-10")
    # Eva agreed long ago but withdrew: out of the file's use.
    eva = add(stack, "Eva Dekker", "--consent-given", "2017-01-01")
    ctl(stack, "participant", "withdraw", eva)
    known_to_scheduling(stack, 5)
    t = ctl_json(stack, "theme", "add", "Standing focus group intellectual disability",
                 "--domain", "social_support", "--year", "2019")["id"]
    s = ctl_json(stack, "session", "plan", "--theme", t, "--method", "FG", "--start",
                 "2019-11-20T14:00", "--end", "2019-11-20T15:30")["id"]
    ctl(stack, "session", "register", s, bram)
    ctl(stack, "session", "register", s, anna)
    ctl(stack, "session", "hold", s)
    ctl(stack, "attendance", "record", s, "--attended", bram, "--no-show", anna)
    st.wait_until(lambda: stack.ok("intake", "participant.get",
                                   {"participant": bram})["last_contact"] == "2019-11-20", 15,
                  "intake to learn that Bram attended")

    rv = ctl_json(stack, "participant", "review")
    st.eq((rv["as_of"], rv["period"], rv["older_than"]), (TODAY, "2y", "2018-09-01"))
    rows = {r["id"]: r for r in rv["participants"]}
    st.eq(sorted(rows), sorted([anna, bram, cas]))
    st.eq(rows[anna]["reasons"], ["consent_old", "no_contact"], "a no-show is no contact")
    st.eq((rows[anna]["name"], rows[anna]["phone"], rows[anna]["last_contact"]),
          ("Anna Jansen", "+31611112222", "2018-06-01"))
    st.eq(rows[bram]["reasons"], ["consent_old"], "attending was contact")
    st.eq(rows[bram]["last_contact"], "2019-11-20")
    st.eq((rows[cas]["reasons"], rows[cas]["guardian"], rows[cas]["guardian_consent_given"]),
          (["guardian_consent_old"], "Fleur Meijer", "2018-05-01"))
    st.eq(rv["counts"], {"participants": 3, "consent_old": 2, "guardian_consent_old": 1,
                         "guardian_consent_missing": 0, "no_contact": 1, "age_unknown": 0})
    # As the coordinator reads it.
    out, _ = ctl(stack, "participant", "review")
    st.check(out.startswith("Review of the address file on 2020-09-01: consents and contacts "
                            "older than 2y (before 2018-09-01).\n3 participants to look at: "
                            "consent_old 2, guardian_consent_old 1, guardian_consent_missing 0, "
                            "no_contact 1, age_unknown 0.\n"), out)
    st.check("Anna Jansen" in out and "consent_old, no_contact" in out, out)
    # One reason, another period, another day, a page at a time.
    st.eq([r["id"] for r in ctl_json(stack, "participant", "review", "--reason",
                                     "no_contact")["participants"]], [anna])
    # With 18 months Dirk's consent of January 2019 is old too.
    st.eq(sorted(r["id"] for r in ctl_json(stack, "participant", "review", "--period",
                                           "18m")["participants"]), ["P1", "P2", "P3", "P4"])
    early = ctl_json(stack, "participant", "review", "--as-of", "2020-05-15")
    st.eq(sorted(r["id"] for r in early["participants"]), sorted([bram, cas]))
    page = ctl_json(stack, "participant", "review", "--limit", "1")
    st.eq(([r["id"] for r in page["participants"]], page["next"]), ([anna], anna))
    ctl(stack, "participant", "review", "--period", "2x", rc=1)
    # Anna is called and renews her consent; Cas's mother signs again.
    ctl(stack, "participant", "update", anna, "--consent-given", "2020-08-31", "--contacted",
        "2020-08-31")
    ctl(stack, "participant", "update", cas, "--guardian-consent-given", "2020-08-31")
    after = ctl_json(stack, "participant", "review")
    st.eq([(r["id"], r["reasons"]) for r in after["participants"]], [(bram, ["consent_old"])])


# ==== Practical needs per session =============================================

@st.test()
def the_coordinator_sees_what_a_session_needs_and_who_needs_it(stack):
    saskia = add(stack, "Saskia Wmo", "--need", "transport", "--need", "wheelchair", "--phone",
                 "06 2222 3333")
    ahmed = add(stack, "Ahmed Tolk", "--need", "interpreter,sign_language")
    add(stack, "Piet Zonder")
    lies = add(stack, "Lies Eenvoud", "--need", "easy_language")
    known_to_scheduling(stack, 4)
    t = ctl_json(stack, "theme", "add", "Disability taxi (Wmo-taxi)", "--domain",
                 "social_support", "--year", "2019")["id"]
    s = ctl_json(stack, "session", "plan", "--theme", t, "--method", "FG", "--start",
                 "2019-10-17T19:00", "--end", "2019-10-17T21:00", "--capacity", "3",
                 "--title", "What should change in the new contract?")["id"]
    for p in ("P1", "P2", "P3", "P4"):
        ctl(stack, "session", "register", s, p)
    n = ctl_json(stack, "participant", "needs", s)
    counts = {x["need"]: (x["registered"], x["waitlisted"]) for x in n["needs"]}
    st.eq([x["need"] for x in n["needs"]], NEEDS, "every need, in order")
    st.eq(counts, {"transport": (1, 0), "interpreter": (1, 0), "easy_language": (0, 1),
                   "wheelchair": (1, 0), "hearing_loop": (0, 0), "sign_language": (1, 0)})
    st.eq((n["registered"], n["waitlisted"], n["registered_with_needs"],
           n["waitlisted_with_needs"]), (3, 1, 2, 1))
    st.eq([(x["participant"], x["status"], x["name"], x["needs"]) for x in n["people"]],
          [(saskia, "registered", "Saskia Wmo", ["transport", "wheelchair"]),
           (ahmed, "registered", "Ahmed Tolk", ["interpreter", "sign_language"]),
           (lies, "waitlisted", "Lies Eenvoud", ["easy_language"])])
    out, _ = ctl(stack, "participant", "needs", s)
    st.check(out.startswith("S1 (planned): 3 registered, 1 on the waitlist; 2 of the registered "
                            "need something to take part.\n"), out)
    st.check("Who needs what:" in out and "+31622223333" in out and
             "transport, wheelchair" in out, out)
    out, _ = ctl(stack, "--format", "csv", "participant", "needs", s)
    st.check("NEED,REGISTERED,WAITLIST\ntransport,1,0\n" in out, out)
    # Held, the list stays as it was; someone erased since is counted
    # nowhere and named as no longer in the file.
    ctl(stack, "session", "hold", s)
    ctl(stack, "participant", "erase", ahmed, "--yes")
    n = ctl_json(stack, "participant", "needs", s)
    st.eq(n["not_in_file"], [ahmed])
    st.eq([x["participant"] for x in n["people"]], [saskia, lies])
    st.eq({x["need"]: x["registered"] for x in n["needs"]}["interpreter"], 0)
    _, err = ctl(stack, "participant", "needs", "S42", rc=1)
    st.check("[not_found]" in err and "S42" in err, err)
    # Needs never leave intake: not in any event, not in the reach statistics.
    no_personal_in_events(stack, ["wheelchair", "interpreter", "sign_language",
                                  "easy_language", "hearing_loop"])
    stats = json.dumps(stack.ok("reporting", "stats.reach", {"year": 2019}))
    st.check("wheelchair" not in stats and "interpreter" not in stats, stats)
    # Who may see what is declared: counts for everyone who reads, people for
    # the coordinator and admin.
    d = {x["name"]: x for x in stack.ok("intake", "service.info")["declarations"]}["participant.needs"]
    st.eq((d["kind"], d["personal"], d["personal_roles"]), ("read", True, ["admin", "coordinator"]))
    st.check({"finance", "auditor"} <= set(d["roles"]), d["roles"])
    sched = {x["name"]: x for x in stack.ok("scheduling", "service.info")["declarations"]}
    st.check("service:intake" in sched["registration.list"]["roles"], "intake may ask")


if __name__ == "__main__":
    st.main()
