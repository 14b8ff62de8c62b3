#!/usr/bin/python3
"""samen-finance reacting to other services' events: reimbursement
entitlements from scheduling's attendance (exactly once, under a duplicated
delivery and restarts in between), the yearly cap, the reimbursement budget
line, bank accounts destroyed on intake's erasure, and samenctl reimburse /
payee.

The other services are FAKES here, so that these tests do not depend on
scheduling and intake being built (and control exactly what finance sees):
FakeService registers as an MDP worker under the service's name ("scheduling",
"intake") and answers `events.read` from an in-memory event log, exactly as
PROTOCOL.md §2-3 describes, and publishes the same events live on a PUB
socket connected to the broker's events-in endpoint. finance therefore
exercises its real follow path: live delivery, gap detection, backfill
through events.read, and the cursor stored with the effect. Only finance
runs (services=["finance"]), so no real scheduling or intake competes with
the fakes for the service name.
"""
import os
import random
import signal
import time


import samentest as st
from fakeservice import FakeService



def with_fakes(*names, **kw):
    """st.test for finance alone with FakeServices for names, closed afterwards."""
    kw.setdefault("services", ["finance"])

    def wrap(f):
        def run(stack):
            fakes = [FakeService(stack, n) for n in names]
            try:
                f(stack, *fakes)
            finally:
                for fk in fakes:
                    fk.close()
        run.__name__ = f.__name__
        return st.test(**kw)(run)
    return wrap


def attendance(session, participant, attended=True, cents=1500, held_on="2019-11-12"):
    return {"session": session, "participant": participant, "attended": attended, "theme": "T3",
            "method": "FG", "held_on": held_on, "reimbursement_cents": cents}


def cursor(stack, service):
    """finance's cursor on service's log; -1 while finance cannot answer (just
    restarted: the broker may still be replacing the killed workers)."""
    r = stack.call("finance", "service.info", timeout=5)
    return r["data"]["following"].get(service, 0) if r.get("ok") else -1


def wait_cursor(stack, service, seq, timeout=15):
    st.wait_until(lambda: cursor(stack, service) >= seq, timeout,
                  f"finance to follow {service} to seq {seq}")
    st.eq(cursor(stack, service), seq, f"{service} cursor")


def entitlements(stack):
    return stack.ok("finance", "entitlement.list", {"limit": 1000})["entitlements"]


def restart_finance(stack, sig=signal.SIGKILL):
    stack.kill("finance", sig)
    stack.start("finance")


# ---- entitlements exactly once --------------------------------------------------

@with_fakes("scheduling")
def entitlement_is_created_once_under_duplicated_events_and_restarts(stack, sched):
    s1 = sched.emit("scheduling.attendance.recorded", attendance("S1", "P1"))
    wait_cursor(stack, "scheduling", s1)
    ents = entitlements(stack)
    st.eq([(e["session"], e["participant"], e["amount_cents"], e["source_seq"]) for e in ents],
          [("S1", "P1", 1500, 1)], "one entitlement from the attendance")
    # The same event delivered live again: skipped by the cursor.
    sched.publish(s1)
    sched.publish(s1)
    time.sleep(0.5)
    st.eq(len(entitlements(stack)), 1, "a duplicated delivery creates nothing")
    # A second, distinct event for the same pair (scheduling recorded the
    # attendance twice): skipped by the (session, participant) key.
    s2 = sched.emit("scheduling.attendance.recorded", attendance("S1", "P1", cents=2000))
    wait_cursor(stack, "scheduling", s2)
    st.eq([(e["id"], e["amount_cents"]) for e in entitlements(stack)], [("E1", 1500)],
          "a second event for the same pair creates nothing")
    # Attendances that do not entitle: absent, or no reimbursement offered.
    sched.emit("scheduling.attendance.recorded", attendance("S1", "P2", attended=False))
    s4 = sched.emit("scheduling.attendance.recorded", attendance("S1", "P3", cents=0))
    wait_cursor(stack, "scheduling", s4)
    st.eq(len(entitlements(stack)), 1, "absent or unpaid sessions create nothing")
    # Events for other topics of scheduling are tolerated.
    s5 = sched.emit("scheduling.session.held", {"id": "S1", "theme": "T3", "method": "FG",
                                                "status": "held", "held_on": "2019-11-12"})
    wait_cursor(stack, "scheduling", s5)

    # Killed at once after an event is published, several times: after each
    # restart the store holds each pair's entitlement exactly once, and the
    # event log holds exactly one finance.entitlement.created per entitlement.
    rnd = random.Random(7)
    expected = {("S1", "P1")}
    for k in range(4):
        pair = (f"S{2 + k}", f"P{10 + k}")
        seq = sched.emit("scheduling.attendance.recorded", attendance(*pair))
        expected.add(pair)
        time.sleep(rnd.choice([0, 0.002, 0.01, 0.05]))
        restart_finance(stack)
        sched.publish(seq)  # and once more live, after the restart
        wait_cursor(stack, "scheduling", seq)
        got = [(e["session"], e["participant"]) for e in entitlements(stack)]
        st.eq(sorted(got), sorted(expected), f"entitlements after restart {k + 1}")
    # Events emitted while finance is down arrive by backfill.
    stack.kill("finance")
    down = [sched.emit("scheduling.attendance.recorded", attendance("S9", f"P{20 + i}"),
                       live=True) for i in range(3)]
    stack.start("finance")
    wait_cursor(stack, "scheduling", down[-1])
    st.eq(len(entitlements(stack)), len(expected) + 3, "events missed while down are backfilled")
    created = [e for e in stack.events("finance") if e["type"] == "finance.entitlement.created"]
    st.eq(len(created), len(expected) + 3, "one created event per entitlement")
    st.eq(sorted(e["data"]["id"] for e in created),
          sorted(e["id"] for e in entitlements(stack)), "events match the store")
    st.eq(set(created[0]["data"]), {"id", "participant", "session", "amount_cents"},
          "event fields as in the catalogue")
    st.check(sched.reads > 0, "finance read the fake's log through events.read")


@with_fakes("scheduling")
def attendance_corrected_to_absent_waives_an_unclaimed_entitlement(stack, sched):
    sched.emit("scheduling.attendance.recorded", attendance("S1", "P1"))
    sched.emit("scheduling.attendance.recorded", attendance("S1", "P2"))
    s = sched.emit("scheduling.attendance.recorded", attendance("S1", "P1", attended=False))
    wait_cursor(stack, "scheduling", s)
    got = {e["participant"]: e["state"] for e in entitlements(stack)}
    st.eq(got, {"P1": "waived", "P2": "entitled"}, "the correction waives P1's")
    st.eq([e["id"] for e in stack.ok("finance", "entitlement.list",
                                     {"unpaid": True})["entitlements"]], ["E2"], "unpaid list")
    # A correction after a claim does not undo the claim.
    stack.ok("finance", "entitlement.claim", {"entitlement": "E2"})
    s = sched.emit("scheduling.attendance.recorded", attendance("S1", "P2", attended=False))
    wait_cursor(stack, "scheduling", s)
    st.eq(stack.ok("finance", "entitlement.get", {"entitlement": "E2"})["state"], "claimed",
          "a claimed entitlement stays")


# ---- the yearly cap and the reimbursement line ------------------------------------

@st.test(services=["finance"], config={"finance": {"reimbursement_cap_cents": "4500"}})
def paying_past_the_yearly_cap_is_refused_unless_overridden_with_a_reason(stack):
    ids = []
    for i in range(4):
        e = stack.ok("finance", "entitlement.add",
                     {"session": f"S{i + 1}", "participant": "P5", "held_on": "2019-05-01"})
        ids.append(e["id"])
        st.eq(e["amount_cents"], 1500, "the default amount")
        stack.ok("finance", "entitlement.claim", {"entitlement": e["id"]})
        stack.ok("finance", "entitlement.approve", {"entitlement": e["id"]})
    for i in range(3):
        p = stack.ok("finance", "entitlement.pay", {"entitlement": ids[i], "reference": f"B{i}"})
        st.eq(p["state"], "paid", "within the cap")
    st.eq(p["year_paid_cents"], 4500, "the cap reached exactly")
    err = stack.refused("finance", "entitlement.pay", {"entitlement": ids[3], "reference": "B3"},
                        code="failed_precondition", field="override_reason")
    st.check("past the yearly cap of EUR 45.00" in err["message"], err["message"])
    st.eq(stack.ok("finance", "entitlement.get", {"entitlement": ids[3]})["state"], "approved",
          "a refused payment changes nothing")
    stack.refused("finance", "entitlement.pay",
                  {"entitlement": ids[3], "reference": "B3", "override_reason": "   "},
                  code="invalid_argument", field="override_reason")
    p = stack.ok("finance", "entitlement.pay",
                 {"entitlement": ids[3], "reference": "B3",
                  "override_reason": "board decision 2019-12 to pay all claims"})
    st.eq((p["state"], p["cap_overridden"], p["override_reason"]),
          ("paid", True, "board decision 2019-12 to pay all claims"), "overridden")
    st.check("EUR 15.00 past the yearly cap" in p["cap_message"], p["cap_message"])
    y = stack.ok("finance", "reimbursement.year", {"year": 2019})
    st.eq((y["paid_cents"], y["paid_count"], y["cap_cents"], y["cap_remaining_cents"]),
          (6000, 4, 4500, -1500), "year totals")
    # Another year has its own cap.
    e = stack.ok("finance", "entitlement.add",
                 {"session": "S9", "participant": "P5", "held_on": "2020-01-10",
                  "amount_cents": 2500})
    stack.ok("finance", "entitlement.claim", {"entitlement": e["id"]})
    stack.ok("finance", "entitlement.approve", {"entitlement": e["id"]})
    st.eq(stack.ok("finance", "entitlement.pay", {"entitlement": e["id"], "reference": "C1"})
          ["year_paid_cents"], 2500, "2020 starts at zero")
    paid = [e for e in stack.events("finance") if e["type"] == "finance.entitlement.paid"]
    st.eq(len(paid), 5, "a paid event per payment")
    st.eq(set(paid[0]["data"]), {"id", "participant", "amount_cents"}, "paid event fields")
    # Steps out of order are refused with the entitlement named.
    stack.refused("finance", "entitlement.pay", {"entitlement": ids[0], "reference": "again"},
                  code="failed_precondition", field="entitlement")
    stack.refused("finance", "entitlement.pay", {"entitlement": ids[0]},
                  code="invalid_argument", field="reference")
    stack.refused("finance", "entitlement.add",
                  {"session": "S1", "participant": "P5", "held_on": "2019-05-01"},
                  code="already_exists", field="participant")
    stack.refused("finance", "entitlement.add",
                  {"session": "S1", "participant": "P6", "held_on": "2019-05-01",
                   "amount_cents": -1500}, code="invalid_argument", field="amount_cents")


@st.test(services=["finance"])
def the_default_cap_and_amount_come_from_the_configuration(stack):
    y = stack.ok("finance", "reimbursement.year", {"year": 2019})
    st.eq((y["cap_cents"], y["default_cents"]), (250000, 1500), "EUR 2,500 and EUR 15")


@st.test(services=["finance"])
def claimed_and_paid_reimbursements_count_against_the_years_reimbursement_line(stack):
    line = stack.ok("finance", "budget.line.add",
                    {"year": 2019, "name": "reimbursements", "kind": "reimbursement",
                     "per_claim_cents": 1500, "claims": 2})
    for i in range(3):
        e = stack.ok("finance", "entitlement.add",
                     {"session": "S1", "participant": f"P{i + 1}", "held_on": "2019-03-01"})
        stack.ok("finance", "entitlement.claim", {"entitlement": e["id"]})
    stack.ok("finance", "entitlement.approve", {"entitlement": "E1"})
    stack.ok("finance", "entitlement.pay", {"entitlement": "E1", "reference": "B1"})
    got = stack.ok("finance", "budget.line.get", {"line": line["id"]})
    st.eq((got["reimbursements"], got["budget_cents"], got["committed_cents"],
           got["spent_cents"], got["remaining_cents"]),
          (True, 3000, 3000, 1500, -1500), "claims committed, payments spent")
    th = [e["data"]["percent"] for e in stack.events("finance")
          if e["type"] == "finance.budget.threshold"]
    st.eq(th, [80, 100], "the second claim reaches 100% (and 80%) once")


# ---- bank accounts and erasure --------------------------------------------------------

IBAN = "NL91ABNA0417164300"


@with_fakes("intake")
def bank_account_is_validated_masked_and_gone_after_an_erase(stack, intake):
    # Refused: bad check digits, wrong length, junk; the refusal never
    # repeats the number.
    for bad in ["NL91 ABNA 0417 1643 01", "NL91ABNA041716430", "NL91-ABNA-0417", "", "12345"]:
        err = stack.refused("finance", "payee.set", {"participant": "P7", "iban": bad},
                            code="invalid_argument", field="iban")
        st.check("0417" not in err["message"], f"the refusal repeats the number: {err}")
    r = stack.ok("finance", "payee.set",
                 {"participant": "P7", "iban": "nl91 abna 0417 1643 00", "holder": "J. Jansen"})
    st.eq(r["iban_mask"], "NL** **** **** **** 4300", "masked")
    st.check(IBAN not in repr(r), "the reply never holds the IBAN")
    stack.ok("finance", "payee.set", {"participant": "P8", "iban": "DE89 3704 0044 0532 0130 00"})
    e = stack.ok("finance", "entitlement.add",
                 {"session": "S1", "participant": "P7", "held_on": "2019-05-01"})
    st.eq(stack.ok("finance", "entitlement.get", {"entitlement": e["id"]})["iban_mask"],
          "NL** **** **** **** 4300", "shown masked with the entitlement")
    # Before the erase a backup holds it (so the check below can see it).
    before = stack.backup("finance", "backup-before")
    with open(os.path.join(before, "data.mdb"), "rb") as f:
        st.check(IBAN.encode() in f.read(), "the store holds the IBAN before the erase")

    seq = intake.emit("intake.participant.erased", {"id": "P7"})
    wait_cursor(stack, "intake", seq)
    stack.refused("finance", "payee.get", {"participant": "P7"}, code="not_found",
                  field="participant")
    st.eq(stack.ok("finance", "payee.get", {"participant": "P8"})["iban_mask"],
          "DE** **** **** **** **** 3000", "another participant's account stays")
    ent = stack.ok("finance", "entitlement.get", {"entitlement": e["id"]})
    st.eq((ent["amount_cents"], ent["participant"], ent["iban_mask"]), (1500, "P7", None),
          "the amount stays, the account is gone")
    after = stack.backup("finance", "backup-after")
    with open(os.path.join(after, "data.mdb"), "rb") as f:
        data = f.read()
    st.check(IBAN.encode() not in data and b"J. Jansen" not in data,
             "a copy of the store no longer holds the IBAN or the holder")
    # Never in events or logs.
    st.check(IBAN not in repr(stack.events("finance")), "no IBAN in events")
    st.check(IBAN not in stack.log("finance") and "J. Jansen" not in stack.log("finance"),
             "no IBAN or holder in the log")
    # An erase of someone without an account, or a repeat, is harmless.
    intake.emit("intake.participant.erased", {"id": "P99"})
    seq = intake.emit("intake.participant.erased", {"id": "P7"})
    wait_cursor(stack, "intake", seq)


@with_fakes("intake")
def an_erased_applicant_leaves_the_grant_figures_but_not_the_link(stack, intake):
    pool = stack.ok("finance", "grant.pool.add", {"kind": "city_wide", "year": 2017,
                                                  "amount_cents": 100000})
    g = stack.ok("finance", "grant.apply",
                 {"pool": pool["id"], "initiative": "Neighbourhood festival", "applicant": "P4",
                  "requested_cents": 40000, "intended_result": "neighbours meet",
                  "answers": {"residents_in_lead": "we are four neighbours"}})
    stack.ok("finance", "grant.award", {"application": g["id"], "amount_cents": 40000})
    seq = intake.emit("intake.participant.erased", {"id": "P4"})
    wait_cursor(stack, "intake", seq)
    got = stack.ok("finance", "grant.get", {"application": g["id"]})
    st.eq((got["applicant"], got["applicant_erased"], got["answers"], got["awarded_cents"]),
          (None, True, {}, 40000), "link and answers gone, the award stays")


# ---- samenctl -----------------------------------------------------------------------

@with_fakes("scheduling", "intake")
def samenctl_reimburse_lists_unpaid_and_pays(stack, sched, intake):
    # samenctl shows names beside the IDs, asking intake (here the fake).
    names = {"P1": "Anna de Vries", "P2": "Bram Bakker"}
    intake.handlers["participant.get"] = lambda a: (
        {"id": a.get("participant"), "name": names[a.get("participant")]}
        if a.get("participant") in names else None)
    for i in range(3):
        seq = sched.emit("scheduling.attendance.recorded", attendance("S4", f"P{i + 1}"))
    wait_cursor(stack, "scheduling", seq)
    rc, out, err = stack.ctl("payee", "set", "P1", "--iban", "NL91 ABNA 0417 1643 00")
    st.eq(rc, 0, err)
    st.check("NL** **** **** **** 4300" in out and IBAN not in out, out)
    rc, out, err = stack.ctl("payee", "set", "P2", "--iban", "NL91 ABNA 0417 1643 01")
    st.eq(rc, 1, "bad IBAN refused")
    st.check("(field: iban)" in err, err)
    for verb in ("claim", "approve"):
        rc, out, err = stack.ctl("reimburse", verb, "E1")
        st.eq(rc, 0, err)
    rc, out, err = stack.ctl("reimburse", "pay", "E1", "--reference", "BANK-2019-0042")
    st.eq(rc, 0, err)
    st.check("E1 P1 EUR 15.00: paid" in out, out)
    rc, out, err = stack.ctl("reimburse", "list", "--unpaid")
    st.eq(rc, 0, err)
    st.check("E1" not in out and "E2" in out and "E3" in out, out)
    st.check("total listed: EUR 30.00" in out, out)
    st.check("NAME" in out and "Bram Bakker" in out, f"names from intake: {out}")
    rc, out, err = stack.ctl("reimburse", "list", "--unpaid", "--format", "csv")
    st.eq(out.splitlines()[0].split(",")[0], "ID", out)
    rc, out, err = stack.ctl("reimburse", "pay", "E2", "--reference", "X")
    st.eq(rc, 1, "not approved yet")
    rc, out, err = stack.ctl("reimburse", "pay", "E2")
    st.eq(rc, 2, "--reference is required")
    rc, out, err = stack.ctl("--locale", "nl", "reimburse", "year", "2019")
    st.check("€ 15,00" in out and "€ 2.500,00" in out, out)
    st.check("Bram" not in stack.log("finance") and "Bram" not in repr(stack.events("finance")),
             "names never reach finance")


if __name__ == "__main__":
    st.main()
