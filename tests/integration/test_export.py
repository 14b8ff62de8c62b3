#!/usr/bin/python3
"""The right of access across the whole stack, and what crosses between the
services: intake's participant.export gathers the parts the real scheduling,
reporting and finance answer (registrations, invitations, attendance,
entitlements, the bank account, grant applications), before and after an
erasure; each service's own participant.export validates its argument and
answers an ID it never heard of with an empty part; a theme's central
question travels from scheduling to reporting's yearly overview.
"""
import json

import samentest as st

MUNIS = [("Hilversum", "GM0402", 87817), ("Huizen", "GM0406", 41389)]
IBAN = "NL91ABNA0417164300"
QUESTION = "What would make the disability taxi dependable for you?"
MARIA = {"name": "Maria van den Heuvel", "email": "maria.heuvel@example.nl",
         "phone": "06-12345678", "postal_code": "1214 AB", "municipality": "Hilversum",
         "birth_year": 1961, "target_groups": ["wmo clients"], "consent": True}
# Every form in which her personal data could show.
PERSONAL = ["Maria", "Heuvel", "example.nl", "612345678", "06-12345678", "1214 AB", "1214AB",
            IBAN, "0417164300", "NL91", "M. van den"]


def caught_up(stack, follower, service):
    last = stack.ok(service, "service.info")["last_seq"]
    return stack.ok(follower, "service.info")["following"].get(service, 0) >= last


def wait_caught_up(stack, followers, service):
    for svc in followers:
        st.wait_until(lambda: caught_up(stack, svc, service), 15,
                      f"{svc} to follow {service}")


def municipalities(stack, followers):
    for name, code, n in MUNIS:
        stack.ok("finance", "municipality.add",
                 {"name": name, "code": code, "inhabitants": n, "as_of": "2016-01-01"},
                 rid="muni-" + code)
    wait_caught_up(stack, followers, "finance")


def export(stack):
    return stack.ok("intake", "participant.export", {"participant": "P1"}, timeout=15)


def no_personal(blob, what):
    text = json.dumps(blob, ensure_ascii=False).lower()
    for n in PERSONAL:
        st.check(n.lower() not in text, f"{what} holds {n!r}")


@st.test(services=None)
def export_gathers_every_service_and_after_erasure_keeps_only_bare_records(stack):
    municipalities(stack, ("intake", "scheduling", "reporting"))
    st.eq(stack.ok("intake", "participant.register", MARIA, rid="r-maria")["id"], "P1")
    stack.ok("intake", "participant.register",
             {"name": "Kees Bos", "email": "kees@bos.nl", "consent": True}, rid="r-kees")
    wait_caught_up(stack, ("scheduling", "reporting", "finance"), "intake")
    t = stack.ok("scheduling", "theme.add",
                 {"title": "Disability taxi", "question": QUESTION, "domain": "social_support",
                  "years": [2020]})["id"]
    held = stack.ok("scheduling", "session.plan",
                    {"theme": t, "method": "FG", "start": "2020-03-12T19:00",
                     "end": "2020-03-12T21:00", "capacity": 1,
                     "reimbursement_cents": 1500})["id"]
    later = stack.ok("scheduling", "session.plan",
                     {"theme": t, "method": "I", "start": "2020-09-10T19:00",
                      "end": "2020-09-10T21:00", "capacity": 1})["id"]
    stack.ok("scheduling", "invite.mark", {"session": held, "participants": ["P1"]})
    stack.ok("scheduling", "registration.create", {"session": held, "participant": "P1"})
    stack.ok("scheduling", "registration.create", {"session": later, "participant": "P2"})
    w = stack.ok("scheduling", "registration.create", {"session": later, "participant": "P1"})
    st.eq((w["status"], w["position"]), ("waitlisted", 1))
    stack.ok("scheduling", "session.hold", {"session": held})
    stack.ok("scheduling", "attendance.record", {"session": held, "attended": ["P1"]})
    wait_caught_up(stack, ("finance", "reporting"), "scheduling")
    ents = stack.ok("finance", "entitlement.list", {"participant": "P1"})["entitlements"]
    st.eq([(e["session"], e["amount_cents"]) for e in ents], [(held, 1500)])
    pay = stack.ok("finance", "payee.set",
                   {"participant": "P1", "iban": "NL91 ABNA 0417 1643 00",
                    "holder": "M. van den Heuvel"})
    st.check(IBAN not in json.dumps(pay), "payee.set shows the IBAN masked")
    k = stack.ok("finance", "grant.pool.add",
                 {"kind": "city_wide", "year": 2020, "amount_cents": 100000})["id"]
    g = stack.ok("finance", "grant.apply",
                 {"pool": k, "initiative": "Taxi buddies", "applicant": "P1",
                  "requested_cents": 25000, "intended_result": "neighbours ride along",
                  "answers": {"residents_in_lead": "Maria van den Heuvel leads it"}})["id"]
    stack.ok("finance", "grant.apply",
             {"pool": k, "initiative": "Other", "applicant": "P2", "requested_cents": 100,
              "intended_result": "x"})

    before = export(stack)
    parts = before["services"]
    st.eq(set(parts), {"intake", "scheduling", "reporting", "finance"})
    for svc, part in parts.items():
        st.check("unavailable" not in part, f"{svc} answered: {part}")
    st.eq(parts["intake"]["participant"]["name"], "Maria van den Heuvel")
    # The forms looked for after the erasure are those the export shows now.
    text = json.dumps(before, ensure_ascii=False)
    for shown in ("Maria van den Heuvel", "example.nl", "612345678", "1214AB"):
        st.check(shown in text, f"the export before erasure shows {shown!r}")
    sch = parts["scheduling"]
    st.eq((sch["service"], sch["participant"], sch["truncated"]), ("scheduling", "P1", False))
    st.eq((sch["attributes"]["status"], sch["attributes"]["municipality"],
           sch["attributes"]["consent"], sch["attributes"]["times_attended"]),
          ("active", "GM0402", True, 1))
    st.eq([(r["session"], r["theme"], r["session_status"], r["status"], r["position"])
           for r in sch["registrations"]],
          [(held, t, "held", "registered", 0), (later, t, "planned", "waitlisted", 1)])
    st.eq([i["session"] for i in sch["invitations"]], [held])
    st.check(sch["invitations"][0]["invited_at"].endswith("Z"), sch["invitations"])
    st.eq([(a["session"], a["theme"], a["method"], a["held_on"], a["attended"], a["walk_in"])
           for a in sch["attendance"]], [(held, t, "FG", "2020-03-12", True, False)])
    rep = parts["reporting"]
    st.eq((rep["attendance"]["attended"], rep["attributes"]["municipality"]), (1, "GM0402"))
    fin = parts["finance"]
    st.eq((fin["service"], fin["participant"], fin["truncated"]), ("finance", "P1", False))
    st.eq([(e["session"], e["participant"], e["amount_cents"], e["state"])
           for e in fin["entitlements"]], [(held, "P1", 1500, "entitled")])
    # intake gathers finance's part with its own key (service:intake), to which
    # finance shows the bank account masked (proto/ops_finance.c); finance
    # people and admins asking finance itself see it whole.
    st.eq((fin["payee"]["iban"], fin["payee"]["holder"]), ("NL** **** **** **** 4300", None))
    whole = stack.ok("finance", "participant.export", {"participant": "P1"})["payee"]
    st.eq((whole["iban"], whole["holder"]), (IBAN, "M. van den Heuvel"))
    st.eq([(a["id"], a["applicant"], a["answers"]) for a in fin["grant_applications"]],
          [(g, "P1", {"residents_in_lead": "Maria van den Heuvel leads it"})])

    stack.ok("intake", "participant.erase", {"participant": "P1"}, rid="erase-1")
    wait_caught_up(stack, ("scheduling", "reporting", "finance"), "intake")
    after = export(stack)
    parts = after["services"]
    for svc, part in parts.items():
        st.check("unavailable" not in part, f"{svc} answered: {part}")
    no_personal(after, "the export after erasure")
    sch = parts["scheduling"]
    st.eq((sch["attributes"]["status"], sch["attributes"]["municipality"],
           sch["attributes"]["consent"]), ("erased", None, False))
    # Gone from the session still to come; the held one and its attendance stay.
    st.eq([(r["session"], r["status"]) for r in sch["registrations"]], [(held, "registered")])
    st.eq([(a["session"], a["attended"]) for a in sch["attendance"]], [(held, True)])
    st.eq([i["session"] for i in sch["invitations"]], [held])
    st.eq(parts["reporting"]["attendance"]["attended"], 1)
    fin = parts["finance"]
    st.eq([(e["session"], e["amount_cents"]) for e in fin["entitlements"]], [(held, 1500)])
    st.eq((fin["payee"], fin["grant_applications"]), (None, []))
    # The application keeps its money but no longer names or quotes her.
    a = stack.ok("finance", "grant.get", {"application": g})
    st.eq((a["applicant"], a["applicant_erased"], a["answers"], a["requested_cents"]),
          (None, True, {}, 25000))


@st.test(services=["finance", "scheduling"])
def each_services_export_checks_its_argument_and_knows_nobody_unknown(stack):
    for svc in ("scheduling", "finance"):
        for bad in ({}, {"participant": "X1"}, {"participant": "P0"}, {"participant": 12}):
            stack.refused(svc, "participant.export", bad, "invalid_argument", "participant")
        stack.refused(svc, "participant.export", {"participant": "P1", "all": True},
                      "invalid_argument", "all")
    sch = stack.ok("scheduling", "participant.export", {"participant": "P99"})
    st.eq({k: v for k, v in sch.items() if k != "note"},
          {"service": "scheduling", "participant": "P99", "attributes": None,
           "registrations": [], "invitations": [], "attendance": [], "truncated": False,
           "accessed_by": []})
    # The export is a read of personal data: the next one says who read it (GDPR art. 15).
    again = stack.ok("scheduling", "participant.export", {"participant": "P99"})
    st.eq([(a["key"], a["op"], a["outcome"]) for a in again["accessed_by"]],
          [("admin", "participant.export", "ok")])
    fin = stack.ok("finance", "participant.export", {"participant": "p99"})
    st.eq({k: v for k, v in fin.items() if k != "note"},
          {"service": "finance", "participant": "P99", "entitlements": [], "payee": None,
           "grant_applications": [], "truncated": False, "accessed_by": []})


@st.test(services=["finance", "scheduling", "reporting"])
def the_yearly_overview_shows_the_central_question_scheduling_sends(stack):
    municipalities(stack, ("scheduling", "reporting"))
    t = stack.ok("scheduling", "theme.add",
                 {"title": "Disability taxi", "question": QUESTION, "domain": "social_support",
                  "years": [2020]})["id"]
    s = stack.ok("scheduling", "session.plan",
                 {"theme": t, "method": "FG", "start": "2020-03-12T19:00",
                  "end": "2020-03-12T21:00"})["id"]
    stack.ok("scheduling", "session.hold", {"session": s})
    # A changed question reaches reporting too (scheduling.theme.updated).
    changed = QUESTION.replace("dependable", "reliable")
    stack.ok("scheduling", "theme.update", {"theme": t, "question": changed})
    wait_caught_up(stack, ("reporting",), "scheduling")
    md = stack.ok("reporting", "report.annual", {"year": 2020})["text"]
    st.check(f"| Disability taxi ({t}) |" in md, md)
    st.check(changed in md and QUESTION not in md, md)


@st.test(services=["intake", "finance"])
def erasure_leaves_no_personal_data_in_replies_kept_for_retries(stack):
    """Write replies are kept for 24 hours so that a retried request id gets
    the same answer. payee.set answers with the account holder's name and
    grant.apply with the applicant's own words: after an erasure neither may
    survive there, in finance (a follower) or in intake (the eraser)."""
    import os
    municipalities(stack, ("intake",))
    st.eq(stack.ok("intake", "participant.register", MARIA, rid="r-maria")["id"], "P1")
    wait_caught_up(stack, ("finance",), "intake")
    set_args = {"participant": "P1", "iban": IBAN, "holder": "M. van den Heuvel"}
    stack.ok("finance", "payee.set", set_args, rid="r-payee")
    k = stack.ok("finance", "grant.pool.add",
                 {"kind": "city_wide", "year": 2020, "amount_cents": 100000}, rid="r-pool")["id"]
    stack.ok("finance", "grant.apply",
             {"pool": k, "initiative": "Taxi buddies", "applicant": "P1",
              "requested_cents": 25000, "intended_result": "rides with Maria van den Heuvel"},
             rid="r-apply")
    stack.ok("intake", "participant.erase", {"participant": "P1"}, rid="r-erase")
    wait_caught_up(stack, ("finance",), "intake")
    for svc in ("finance", "intake"):
        copy = stack.backup(svc, f"{svc}-copy")
        with open(os.path.join(copy, "data.mdb"), "rb") as f:
            data = f.read()
        for n in ("Heuvel", "M. van den", IBAN, "maria.heuvel"):
            st.check(n.encode() not in data, f"{svc}'s compacted store still holds {n!r}")
    # A late retry of the old request runs again (its reply was forgotten) and
    # is refused: the bank account of an erased person does not come back.
    again = stack.call("finance", "payee.set", set_args, rid="r-payee")
    st.eq(again.get("error", {}).get("code"), "failed_precondition", "late payee.set retry")
    no_personal(again, "the reply to a retried payee.set after the erasure")


if __name__ == "__main__":
    st.main()
