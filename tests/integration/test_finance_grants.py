#!/usr/bin/python3
"""samen-finance grants for residents' initiatives on a running stack: pools,
applications through decision, payment, interim visit, accountability and
close; the figures per year; a pool never over-awarded under concurrent
decisions; refusals that name the field; samenctl grant.
"""
import csv
import io
import json
import threading

import samentest as st


def pool(stack, **kw):
    args = {"kind": "district", "year": 2017, "amount_cents": 100000, "district": "Noord"}
    args.update(kw)
    return stack.ok("finance", "grant.pool.add", args)


def apply(stack, pool_id, requested, name="Walking group", applicant="P3", **kw):
    """Submitted early in 2016 unless on= says otherwise: the steps are dated
    after it."""
    args = {"pool": pool_id, "initiative": name, "applicant": applicant,
            "requested_cents": requested, "on": "2016-01-15",
            "intended_result": "people with lung disease walk together weekly"}
    args.update(kw)
    args = {k: v for k, v in args.items() if v is not None}
    return stack.ok("finance", "grant.apply", args)


def run_to(stack, gid, amount, result):
    """Award, pay, visit, account with result, close."""
    stack.ok("finance", "grant.award", {"application": gid, "amount_cents": amount})
    stack.ok("finance", "grant.pay", {"application": gid, "reference": "p-" + gid})
    stack.ok("finance", "grant.evaluate",
             {"application": gid, "on": "2017-06-01", "notes": "visited; going well"})
    stack.ok("finance", "grant.account",
             {"application": gid, "result": result, "narrative": "what happened"})
    return stack.ok("finance", "grant.close", {"application": gid})


@st.test(services=["finance"])
def an_application_goes_from_submission_to_close(stack):
    p = pool(stack)
    g = apply(stack, p["id"], 60000, answers={"residents_in_lead": "yes, four patients",
                                               "vulnerability": "lung disease isolates"})
    st.eq((g["id"], g["state"], g["district"], g["year"]), ("G1", "submitted", "Noord", 2017),
          "submitted to the district's pool")
    a = stack.ok("finance", "grant.award", {"application": "G1", "amount_cents": 50000,
                                            "on": "2017-02-01"})
    st.eq((a["state"], a["awarded_cents"], a["decided_on"]), ("awarded", 50000, "2017-02-01"),
          "awarded less than asked")
    st.eq(stack.ok("finance", "grant.pool.get", {"pool": p["id"]})["remaining_cents"], 50000,
          "the pool's remainder")
    paid = stack.ok("finance", "grant.pay", {"application": "G1", "reference": "2017-0311"})
    st.eq((paid["state"], paid["paid_cents"]), ("paid", 50000), "paid the award")
    ev = stack.ok("finance", "grant.evaluate",
                  {"application": "G1", "on": "2017-06-14", "notes": "eight walkers"})
    st.eq((ev["state"], ev["evaluation_on"]), ("evaluated", "2017-06-14"), "interim visit")
    ac = stack.ok("finance", "grant.account",
                  {"application": "G1", "result": "partly", "narrative": "six kept walking"})
    st.eq((ac["state"], ac["result"]), ("accounted", "partly"), "accounted for")
    cl = stack.ok("finance", "grant.close", {"application": "G1"})
    st.eq(cl["state"], "closed", "closed")
    # Out-of-order steps are refused naming the application.
    stack.refused("finance", "grant.pay", {"application": "G1"}, code="failed_precondition",
                  field="application")
    # Rejection needs a reason; withdrawal returns the award to the pool.
    g2 = apply(stack, p["id"], 30000, name="Repair cafe", applicant="O2")
    stack.refused("finance", "grant.reject", {"application": g2["id"], "reason": "  "},
                  code="invalid_argument", field="reason")
    r = stack.ok("finance", "grant.reject",
                 {"application": g2["id"], "reason": "already funded by the city"})
    st.eq(r["state"], "rejected", "rejected")
    g3 = apply(stack, p["id"], 30000, name="Coffee mornings", applicant="P9")
    stack.ok("finance", "grant.award", {"application": g3["id"], "amount_cents": 30000})
    st.eq(stack.ok("finance", "grant.pool.get", {"pool": p["id"]})["remaining_cents"], 20000,
          "after a second award")
    stack.ok("finance", "grant.withdraw", {"application": g3["id"]})
    st.eq(stack.ok("finance", "grant.pool.get", {"pool": p["id"]})["remaining_cents"], 50000,
          "a withdrawn award goes back")
    lst = stack.ok("finance", "grant.list", {"pool": p["id"]})
    st.eq([(x["id"], x["state"], x["awarded_cents"]) for x in lst["applications"]],
          [("G1", "closed", 50000), ("G2", "rejected", 0), ("G3", "withdrawn", 0)],
          "listed; nothing stays awarded to a withdrawn application")
    st.eq(stack.ok("finance", "grant.get", {"application": g3["id"]})["awarded_cents"], 0,
          "grant.get agrees with the list")
    # No residents' text in events.
    for e in stack.events("finance"):
        st.check("lung" not in repr(e) and "walkers" not in repr(e), "texts stay out of events")


@st.test(services=["finance"])
def steps_are_not_dated_before_the_application_was_submitted(stack):
    p = pool(stack)
    g = apply(stack, p["id"], 60000, on="2017-01-10")
    st.eq(g["submitted_on"], "2017-01-10", "submitted on the day given")
    today = stack.ok("finance", "grant.apply", {
        "pool": p["id"], "initiative": "today", "applicant": "P4", "requested_cents": 100,
        "intended_result": "x"})
    st.check(today["submitted_on"] > "2020-01-01", f"default today: {today['submitted_on']}")
    e = stack.refused("finance", "grant.apply", {
        "pool": p["id"], "initiative": "later", "applicant": "P4", "requested_cents": 100,
        "intended_result": "x", "on": "2999-01-01"}, code="invalid_argument", field="on")
    st.check("in the future" in e["message"], e["message"])
    stack.refused("finance", "grant.apply", {
        "pool": p["id"], "initiative": "bad", "applicant": "P4", "requested_cents": 100,
        "intended_result": "x", "on": "2017-02-30"}, code="invalid_argument", field="on")
    # The older name submitted_on still works; not both at once.
    old = apply(stack, p["id"], 100, name="old name", on=None, submitted_on="2017-01-05")
    st.eq(old["submitted_on"], "2017-01-05")
    stack.refused("finance", "grant.apply", {
        "pool": p["id"], "initiative": "both", "applicant": "P4", "requested_cents": 100,
        "intended_result": "x", "on": "2017-01-05", "submitted_on": "2017-01-05"},
        code="invalid_argument", field="on")
    for op, args in [("grant.award", {"amount_cents": 50000}),
                     ("grant.reject", {"reason": "too late"}),
                     ("grant.withdraw", {})]:
        e = stack.refused("finance", op, dict(args, application=g["id"], on="2017-01-09"),
                          code="invalid_argument", field="on")
        st.check("before application %s was submitted; give a day from 2017-01-10 on" % g["id"]
                 in e["message"], e["message"])
    a = stack.ok("finance", "grant.award", {"application": g["id"], "amount_cents": 50000,
                                            "on": "2017-01-10"})
    st.eq((a["state"], a["decided_on"]), ("awarded", "2017-01-10"), "the day itself is fine")
    stack.refused("finance", "grant.pay", {"application": g["id"], "on": "2016-12-31"},
                  code="invalid_argument", field="on")
    paid = stack.ok("finance", "grant.pay", {"application": g["id"], "on": "2017-01-20"})
    st.eq((paid["state"], paid["paid_on"]), ("paid", "2017-01-20"))
    stack.refused("finance", "grant.evaluate", {"application": g["id"], "on": "2017-01-01",
                                                "notes": "x"}, code="invalid_argument", field="on")
    st.eq(stack.ok("finance", "grant.pool.get", {"pool": p["id"]})["awarded_cents"], 50000,
          "the refused steps booked nothing")
    # samenctl grant apply --on; grant list shows 0 awarded for a withdrawn application.
    rc, out, err = stack.ctl("grant", "apply", "--pool", p["id"], "--initiative", "Choir",
                             "--applicant", "P5", "--requested", "300", "--intended-result",
                             "lonely people sing together", "--on", "2017-02-01", "--json")
    st.eq(rc, 0, err)
    gid = json.loads(out)["id"]
    st.eq(json.loads(out)["submitted_on"], "2017-02-01")
    rc, out, err = stack.ctl("grant", "apply", "--pool", p["id"], "--initiative", "Choir",
                             "--applicant", "P5", "--requested", "300", "--intended-result",
                             "lonely people sing together", "--on", "2999-01-01")
    st.check(rc == 1 and "(field: on)" in err, f"{rc} {err}")
    st.eq(stack.ctl("grant", "award", gid, "--amount", "300", "--on", "2017-02-02")[0], 0)
    st.eq(stack.ctl("grant", "withdraw", gid)[0], 0)
    rc, out, err = stack.ctl("grant", "list", "--state", "withdrawn", "--format", "csv")
    st.eq(rc, 0, err)
    rows = list(csv.reader(io.StringIO(out)))
    st.eq([(r[0], r[5], r[-1]) for r in rows[1:]], [(gid, "withdrawn", "EUR 0.00")],
          f"the withdrawn award is not shown as awarded:\n{out}")


@st.test(services=["finance"])
def grant_stats_count_amounts_and_the_share_that_reached_the_result(stack):
    pools = {y: pool(stack, kind="city_wide", year=y, amount_cents=1000000, district=None)
             for y in (2016, 2017, 2018)}
    # 2016: 4 accounted, 3 reached; 2017: 3 accounted (2 reached, 1 partly)
    # and 1 rejected; 2018: 1 not reached, 1 still submitted. 2019 is outside.
    plan = {2016: ["reached", "reached", "reached", "not_reached"],
            2017: ["reached", "partly", "reached", "reject"],
            2018: ["not_reached", None]}
    for year, outcomes in plan.items():
        for i, outcome in enumerate(outcomes):
            g = apply(stack, pools[year]["id"], 20000, name=f"initiative {year}-{i}")
            if outcome == "reject":
                stack.ok("finance", "grant.reject", {"application": g["id"], "reason": "no"})
            elif outcome:
                run_to(stack, g["id"], 10000 + 1000 * i, outcome)
    p19 = pool(stack, kind="city_wide", year=2019, amount_cents=1000000, district=None)
    run_to(stack, apply(stack, p19["id"], 20000)["id"], 20000, "reached")
    s = stack.ok("finance", "grant.stats", {"from_year": 2016, "to_year": 2018})
    by = {r["year"]: r for r in s["years"]}
    st.eq([r["year"] for r in s["years"]], [2016, 2017, 2018], "one row per year")
    st.eq((by[2016]["count"], by[2016]["accounted_count"], by[2016]["reached_count"],
           by[2016]["reached_bp"]), (4, 4, 3, 7500), "2016: three of four")
    st.eq(by[2016]["awarded_cents"], 10000 + 11000 + 12000 + 13000, "2016 awarded")
    st.eq((by[2017]["count"], by[2017]["rejected_count"], by[2017]["partly_count"],
           by[2017]["reached_bp"]), (4, 1, 1, 6667), "2017: two of three, half up")
    st.eq((by[2018]["count"], by[2018]["accounted_count"], by[2018]["reached_bp"]), (2, 1, 0),
          "2018")
    t = s["total"]
    st.eq((t["count"], t["accounted_count"], t["reached_count"], t["reached_bp"],
           t["reached_percent"]), (10, 8, 5, 6250, "62.50"), "the three years together")
    st.eq(t["requested_cents"], 10 * 20000, "requested")
    stack.refused("finance", "grant.stats", {"from_year": 2018, "to_year": 2016},
                  code="invalid_argument", field="to_year")
    rc, out, err = stack.ctl("grant", "stats", "--years", "2016-2018")
    st.eq(rc, 0, err)
    st.check(out.splitlines()[0].startswith("YEAR") and "62.50" in out and "75.00" in out, out)
    rc, out, err = stack.ctl("grant", "stats", "--years", "2016-2018", "--format", "csv")
    st.check(out.splitlines()[-1].startswith("total,10,"), out)


@st.test(services=["finance"], config={"finance": {"workers": "16"}})
def a_pool_is_never_over_awarded_under_concurrent_decisions(stack):
    p = pool(stack, amount_cents=100000)
    apps = [apply(stack, p["id"], 30000, name=f"initiative {i}", applicant=f"P{i + 1}")["id"]
            for i in range(12)]
    results = {}
    start = threading.Barrier(len(apps))

    def decide(gid):
        client = stack.new_client()
        try:
            start.wait(10)
            results[gid] = client.call("finance", "grant.award",
                                       {"application": gid, "amount_cents": 30000},
                                       rid=f"award-{gid}", timeout=20)
        finally:
            client.close()

    threads = [threading.Thread(target=decide, args=(g,)) for g in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    st.eq(len(results), len(apps), "every decision answered")
    ok = [g for g, r in results.items() if r["ok"]]
    refused = [r["error"] for r in results.values() if not r["ok"]]
    st.eq(len(ok), 3, "three awards of EUR 300 fit in EUR 1,000")
    for e in refused:
        st.eq((e["code"], e["field"]), ("failed_precondition", "amount_cents"), "over the pool")
        st.check("exceeds pool's remaining" in e["message"], e["message"])
    got = stack.ok("finance", "grant.pool.get", {"pool": p["id"]})
    st.eq((got["awarded_cents"], got["remaining_cents"]), (90000, 10000), "never over-awarded")
    awarded = sum(stack.ok("finance", "grant.get", {"application": g})["awarded_cents"]
                  for g in apps)
    st.eq(awarded, 90000, "the applications agree with the pool")
    # A smaller award still fits the remainder; one cent more does not.
    g = apply(stack, p["id"], 20000, name="small")["id"]
    stack.refused("finance", "grant.award", {"application": g, "amount_cents": 10001},
                  code="failed_precondition", field="amount_cents")
    stack.ok("finance", "grant.award", {"application": g, "amount_cents": 10000})
    st.eq(stack.ok("finance", "grant.pool.get", {"pool": p["id"]})["remaining_cents"], 0, "spent")


@st.test(services=["finance"])
def grant_refuses_bad_input_naming_the_field(stack):
    for args, field in [
        ({"kind": "district", "year": 2017, "amount_cents": 1000}, "district"),
        ({"kind": "city_wide", "year": 2017, "amount_cents": 1000, "district": "Noord"},
         "district"),
        ({"kind": "earmarked", "year": 2017, "amount_cents": 1000}, "earmark"),
        ({"kind": "city_wide", "year": 2017, "amount_cents": -1000}, "amount_cents"),
        ({"kind": "city_wide", "year": 2017, "amount_cents": 99.9}, "amount_cents"),
        ({"kind": "city_wide", "year": 1850, "amount_cents": 1000}, "year"),
        ({"kind": "neighbourhood", "year": 2017, "amount_cents": 1000}, "kind"),
    ]:
        stack.refused("finance", "grant.pool.add", args, code="invalid_argument", field=field)
    p = pool(stack)
    base = {"pool": p["id"], "initiative": "x", "applicant": "P1", "requested_cents": 1000,
            "intended_result": "y"}
    for args, field in [
        ({"requested_cents": 0}, "requested_cents"),
        ({"requested_cents": -5}, "requested_cents"),
        ({"applicant": "T3"}, "applicant"),
        ({"district": "Zuid"}, "district"),
        ({"answers": ["yes"]}, "answers"),
        ({"answers": {"c": 5}}, "answers"),
        ({"intended_result": ""}, "intended_result"),
    ]:
        stack.refused("finance", "grant.apply", dict(base, **args), code="invalid_argument",
                      field=field)
    stack.refused("finance", "grant.apply", dict(base, pool="K9"), code="not_found", field="pool")
    g = stack.ok("finance", "grant.apply", base)["id"]
    stack.refused("finance", "grant.award", {"application": g, "amount_cents": 2000},
                  code="invalid_argument", field="amount_cents")  # more than requested
    stack.refused("finance", "grant.award", {"application": g, "amount_cents": 0},
                  code="invalid_argument", field="amount_cents")
    stack.refused("finance", "grant.award", {"application": g}, code="invalid_argument",
                  field="amount_cents")
    stack.refused("finance", "grant.evaluate", {"application": g, "notes": "x"},
                  code="invalid_argument", field="on")
    stack.refused("finance", "grant.account", {"application": g, "result": "great",
                                               "narrative": "x"},
                  code="invalid_argument", field="result")
    # An award above the pool (a pool of EUR 100 and a request of EUR 500).
    small = pool(stack, kind="earmarked", earmark="vulnerable elderly", district=None,
                 amount_cents=10000)
    g = stack.ok("finance", "grant.apply", dict(base, pool=small["id"], requested_cents=50000))
    err = stack.refused("finance", "grant.award", {"application": g["id"], "amount_cents": 50000},
                        code="failed_precondition", field="amount_cents")
    st.check("EUR 500.00 exceeds pool's remaining EUR 100.00" in err["message"], err["message"])


@st.test(services=["finance"])
def samenctl_grant_commands(stack):
    rc, out, err = stack.ctl("grant", "pool-add", "--kind", "district", "--district", "Noord",
                             "--year", "2017", "--amount", "5000")
    st.eq(rc, 0, err)
    rc, out, err = stack.ctl("grant", "apply", "--pool", "K1", "--initiative",
                             "Walking group for lung patients", "--applicant", "P12",
                             "--requested", "600", "--intended-result", "ten patients walk weekly",
                             "--answer", "residents_in_lead=yes", "--answer",
                             "vulnerability=isolated by illness")
    st.eq(rc, 0, err)
    st.check('"vulnerability":"isolated by illness"' in out, out)
    rc, out, err = stack.ctl("grant", "award", "G1", "--amount", "600")
    st.eq(rc, 0, err)
    st.check("G1 Walking group for lung patients: awarded (awarded EUR 600.00)" in out, out)
    rc, out, err = stack.ctl("grant", "pools")
    st.check("EUR 4,400.00" in out, out)
    rc, out, err = stack.ctl("grant", "award", "G1", "--amount", "600")
    st.eq(rc, 1, "already awarded")
    rc, out, err = stack.ctl("grant", "apply", "--pool", "K1", "--initiative", "x",
                             "--applicant", "P1", "--requested", "1", "--intended-result", "y",
                             "--answer", "nokey")
    st.eq(rc, 2, "--answer needs CRITERION=TEXT")
    rc, out, err = stack.ctl("grant", "list", "--format", "md")
    st.check(out.startswith("| ID | POOL | YEAR |"), out)


if __name__ == "__main__":
    st.main()
