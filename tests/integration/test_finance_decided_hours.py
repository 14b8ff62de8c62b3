#!/usr/bin/python3
"""samen-finance on a running stack: money as decided, and hours as worked
(issue 15), on the seeds' own figures.

- Decided contributions: the 2017-2018 decision shares EUR 60,000 by
  inhabitants, but its own table adds up to EUR 59,000 (Hilversum EUR
  20,000 where the split gives 21,000). samen shows -1,000 for Hilversum
  and in total, wants the reason once, invoices 20,000 to Hilversum, and
  the 2017 and 2018 budgets show the EUR 1,000 shortfall.
- Hours: the co-coordinator's line, 10 h/week x EUR 80 x 46 weeks, with
  hours recorded per person and week; budget show sets worked against
  planned and flags the line when it runs ahead of its weeks.
- Several years: 2019-2022 side by side with the 2019 and 2020 budget
  lines of the seeds, contributions and carry-over, exact and rounded.

"Today" is 2020-03-08 (SAMEN_TODAY), a Sunday in ISO week 2020-W10.
"""
import json
import os
import re

import msgpack
import samentest as st

TODAY = "2020-03-08"
os.environ["SAMEN_TODAY"] = TODAY

# What the 2017-2018 decision's table says, in euros; the split of EUR 60,000
# by inhabitants on 2016-01-01 in units of EUR 1,000 gives Hilversum 21,000.
COMPUTED_2017 = {"Blaricum": 2000, "Eemnes": 2000, "Gooise Meren": 13000, "Hilversum": 21000,
                 "Huizen": 10000, "Laren": 3000, "Weesp": 4000, "Wijdemeren": 5000}
DECIDED_2017 = dict(COMPUTED_2017, Hilversum=20000)
REASON = "The portfolio holders' decision table of 9 March 2017"

# The seeds' budget lines (tools/demo_data.py, DOMAIN.md section 5), in cents.
LINES_2019 = [
    ("coordination", dict(kind="hours_per_week", hours_x100=1000, rate_cents=5000,
                          weeks_x100=4500)),
    ("activities: facilitators and expertise", dict(kind="fixed", amount_cents=600000)),
    ("activities: catering and rooms", dict(kind="fixed", amount_cents=250000)),
    ("reimbursements", dict(kind="reimbursement", amount_cents=250000)),
    ("youth report 2019: compilation", dict(kind="total_hours", hours_x100=8000,
                                            rate_cents=5000, stated_cents=4000000)),
    ("pilot: trained experience experts as chairs",
     dict(kind="pilot", hours_x100=400, rate_cents=5000, weeks_x100=3750,
          period="2019-02-01..2019-10-31")),
]
LINES_2020 = [
    ("co-coordination", dict(kind="hours_per_week", hours_x100=1000, rate_cents=8000,
                             weeks_x100=4600)),
    ("activities: facilitators, catering and rooms", dict(kind="fixed", amount_cents=850000)),
    ("reimbursements", dict(kind="reimbursement", amount_cents=250000)),
    ("youth report 2020: compilation", dict(kind="total_hours", hours_x100=8000,
                                            rate_cents=8000, stated_cents=640000)),
]


# DOMAIN.md section 5: the eight municipalities and their inhabitants on 1 January 2016.
MUNICIPALITIES = [("Blaricum", "GM0376", 9616), ("Eemnes", "GM0317", 8877),
                  ("Gooise Meren", "GM1942", 56687), ("Hilversum", "GM0402", 87817),
                  ("Huizen", "GM0406", 41389), ("Laren", "GM0417", 10962),
                  ("Weesp", "GM0457", 18571), ("Wijdemeren", "GM1696", 23267)]


def add_municipalities(stack):
    for name, code, inhabitants in MUNICIPALITIES:
        stack.ok("finance", "municipality.add", {"name": name, "code": code,
                                                 "inhabitants": inhabitants,
                                                 "as_of": "2016-01-01"})


def add_lines(stack, year, lines):
    return {name: stack.ok("finance", "budget.line.add", dict(parts, year=year, name=name))["id"]
            for name, parts in lines}


def allocation_2017(stack):
    add_municipalities(stack)
    return stack.ok("finance", "allocation.create",
                    {"name": "Samenkracht 2017-2018", "total_cents": 6000000,
                     "unit_cents": 100000, "as_of": "2016-01-01", "year": 2017, "to_year": 2018,
                     "purpose": "programme costs 2017 and 2018"})


def euros(rows, key):
    return {r["name"]: r[key] // 100 if r[key] is not None else None for r in rows}


def finance_events(stack, prefix):
    return [e for e in stack.events("finance") if e["type"].startswith(prefix)]


# ---- decided contributions ----------------------------------------------------

@st.test(services=["finance"])
def the_2017_decision_invoices_20000_to_hilversum_and_shows_the_1000_shortfall(stack):
    a = allocation_2017(stack)
    st.eq(euros(a["rows"], "contribution_cents"), COMPUTED_2017, "the split as computed")
    st.eq(euros(a["rows"], "decided_cents"), {n: None for n in COMPUTED_2017}, "nothing decided")
    st.eq((a["invoiced_cents"], a["balance_cents"], a["decision"]), (6000000, 0, None),
          "undecided: invoiced as computed")
    # A difference wants the decision's reason.
    err = stack.refused("finance", "allocation.decide",
                        {"allocation": "Samenkracht 2017-2018", "municipality": "Hilversum",
                         "decided_cents": 2000000}, code="invalid_argument", field="reason")
    for words in ("EUR 20,000.00", "EUR 21,000.00", "-EUR 1,000.00", "Hilversum"):
        st.check(words in err["message"], f"the refusal names {words}: {err['message']}")
    d = stack.ok("finance", "allocation.decide",
                 {"allocation": "Samenkracht 2017-2018", "municipality": "GM0402",
                  "decided_cents": 2000000, "reason": REASON, "decided_on": "2017-03-09",
                  "reference": "PHO 2017-03-09"})
    # The rest of the table as decided: the same amounts, and no reason again.
    for name, amount in DECIDED_2017.items():
        if name != "Hilversum":
            d = stack.ok("finance", "allocation.decide",
                         {"allocation": "V1", "municipality": name, "decided_cents": amount * 100})
    st.eq(euros(d["rows"], "decided_cents"), DECIDED_2017, "decided as the table says")
    st.eq(euros(d["rows"], "invoice_cents"), DECIDED_2017, "invoiced as decided")
    st.eq({r["name"]: r["difference_cents"] for r in d["rows"] if r["difference_cents"]},
          {"Hilversum": -100000}, "the difference per municipality")
    st.eq({k: d[k] for k in ("computed_cents", "invoiced_cents", "difference_cents",
                             "balance_cents", "differing", "outstanding_cents")},
          {"computed_cents": 6000000, "invoiced_cents": 5900000, "difference_cents": -100000,
           "balance_cents": -100000, "differing": 1, "outstanding_cents": 5900000},
          "the difference in total and the shortfall against the cost")
    st.eq(d["decision"], {"reason": REASON, "decided_on": "2017-03-09",
                          "reference": "PHO 2017-03-09", "recorded_on": TODAY},
          "the decision kept once, with its day and reference")
    # Hilversum is invoiced EUR 20,000.
    p = stack.ok("finance", "invoice.pay", {"allocation": "V1", "municipality": "Hilversum",
                                            "paid_on": "2017-04-03", "reference": "2017-0117"})
    st.eq((p["invoice"]["invoice_cents"], p["invoice"]["paid"]), (2000000, True), "paid as decided")
    paid = finance_events(stack, "finance.invoice.paid")
    st.eq(paid[-1]["data"], {"allocation": "V1", "invoice": "V1-GM0402", "municipality": "GM0402",
                             "amount_cents": 2000000, "paid_on": "2017-04-03"}, "the paid event")
    g = stack.ok("finance", "allocation.get", {"allocation": "V1"})
    st.eq((g["paid_cents"], g["outstanding_cents"]), (2000000, 3900000), "paid and outstanding")
    # A paid invoice keeps its amount.
    stack.refused("finance", "allocation.decide",
                  {"allocation": "V1", "municipality": "Hilversum", "decided_cents": 2100000},
                  code="failed_precondition", field="municipality")
    # The budgets of 2017 and 2018 (the years it pays for) show the shortfall.
    for year in (2017, 2018):
        f = stack.ok("finance", "budget.show", {"year": year})["funding"]
        st.eq({k: f[k] for k in ("cost_cents", "computed_cents", "invoiced_cents",
                                 "difference_cents", "balance_cents", "paid_cents")},
              {"cost_cents": 6000000, "computed_cents": 6000000, "invoiced_cents": 5900000,
               "difference_cents": -100000, "balance_cents": -100000, "paid_cents": 2000000},
              f"the {year} budget's funding")
        st.eq([(x["id"], x["year"], x["to_year"]) for x in f["allocations"]],
              [("V1", 2017, 2018)], f"the allocation that pays for {year}")
    st.eq(stack.ok("finance", "budget.show", {"year": 2019})["funding"]["allocations"], [],
          "2019 has no allocation")
    lst = stack.ok("finance", "allocation.list")["allocations"][0]
    st.eq((lst["invoiced_cents"], lst["difference_cents"], lst["balance_cents"], lst["year"]),
          (5900000, -100000, -100000, 2017), "the list shows the decision too")
    # The events: one per decision, with no reason and no reference in them.
    ev = finance_events(stack, "finance.allocation.decided")
    st.eq(len(ev), 8, "one event per decided municipality")
    st.eq(ev[0]["data"], {"allocation": "V1", "municipality": "GM0402", "computed_cents": 2100000,
                          "decided_cents": 2000000, "difference_cents": -100000,
                          "decided_on": "2017-03-09"}, "the decided event")
    for e in stack.events("finance"):
        st.check(REASON not in repr(e) and "PHO" not in repr(e), f"no reason in {e['type']}")
    # Every decision is on record, the refused one too, without the reason.
    audit = stack.ok("finance", "audit.list", {"op": "allocation.decide"})["entries"]
    st.eq([a["outcome"] for a in audit], ["invalid_argument"] + ["ok"] * 8 +
          ["failed_precondition"], "the audit log of the decisions")
    st.check(all(REASON not in repr(a) for a in audit), "no reason in the audit log")
    st.check(all("V1" in a["ids"] for a in audit[1:]), f"the allocation named: {audit}")
    # It is all there after a restart.
    stack.stop("finance")
    stack.start("finance")
    st.eq(stack.ok("finance", "allocation.get", {"allocation": "V1"})["balance_cents"], -100000,
          "durable")


@st.test(services=["finance", "reporting"])
def the_municipality_overview_shows_what_was_invoiced_as_decided(stack):
    allocation_2017(stack)
    stack.ok("finance", "allocation.decide",
             {"allocation": "V1", "municipality": "Hilversum", "decided_cents": 2000000,
              "reason": REASON})
    stack.ok("finance", "invoice.pay", {"allocation": "V1", "municipality": "Hilversum",
                                        "paid_on": "2017-04-03"})
    text = stack.ok("reporting", "report.municipality",
                    {"municipality": "Hilversum", "year": 2017})["text"]
    st.check("Invoiced EUR 20,000.00, paid EUR 20,000.00" in text and "21,000.00" not in text, text)
    # 2019 is not a year the 2017-2018 decision pays for.
    text = stack.ok("reporting", "report.municipality",
                    {"municipality": "Hilversum", "year": 2019})["text"]
    st.check("No contributions have been invoiced to Hilversum." in text, text)


@st.test(services=["finance"])
def a_decision_refuses_what_is_not_in_its_allocation(stack):
    allocation_2017(stack)
    stack.ok("finance", "allocation.create",
             {"name": "Pilot 2019", "total_cents": 100000, "unit_cents": 1000,
              "as_of": "2016-01-01", "municipalities": ["Huizen", "Laren"]})
    stack.refused("finance", "allocation.decide",
                  {"allocation": "V3", "municipality": "Huizen", "decided_cents": 1},
                  code="not_found", field="allocation")
    stack.refused("finance", "allocation.decide",
                  {"allocation": "V1", "municipality": "Amsterdam", "decided_cents": 1},
                  code="not_found", field="municipality")
    stack.refused("finance", "allocation.decide",
                  {"allocation": "Pilot 2019", "municipality": "Hilversum", "decided_cents": 1},
                  code="not_found", field="municipality")
    stack.refused("finance", "allocation.decide",
                  {"allocation": "V1", "municipality": "Hilversum", "decided_cents": -1},
                  code="invalid_argument", field="decided_cents")
    stack.refused("finance", "allocation.decide",
                  {"allocation": "V1", "municipality": "Hilversum", "decided_cents": 2000000,
                   "reason": ""}, code="invalid_argument", field="reason")
    stack.refused("finance", "allocation.create",
                  {"name": "Later", "total_cents": 6000000, "unit_cents": 100000,
                   "as_of": "2016-01-01", "to_year": 2018}, code="invalid_argument",
                  field="to_year")
    stack.refused("finance", "allocation.create",
                  {"name": "Later", "total_cents": 6000000, "unit_cents": 100000,
                   "as_of": "2016-01-01", "year": 2018, "to_year": 2017},
                  code="invalid_argument", field="to_year")
    # Deciding the computed amount needs no reason: it is a decision without a difference.
    stack.ok("finance", "allocation.decide",
             {"allocation": "V1", "municipality": "Hilversum", "decided_cents": 2100000})
    st.eq(finance_events(stack, "finance.allocation.decided")[-1]["data"]["difference_cents"], 0,
          "the decided event of the computed amount")


# ---- hours ------------------------------------------------------------------------

@st.test(services=["finance"])
def hours_on_the_co_coordinator_line_run_ahead_of_its_weeks(stack):
    lines = add_lines(stack, 2020, LINES_2020)
    co = lines["co-coordination"]
    # 12 hours a week in weeks 1 to 10 on two themes: 120 hours by week 10.
    for w in range(1, 11):
        r = stack.ok("finance", "hours.record",
                     {"person": "AB", "week": f"2020-W{w:02d}", "line": co, "hours_x100": 800,
                      "theme": "T4"})
        r = stack.ok("finance", "hours.record",
                     {"person": "ab", "week": f"2020-W{w:02d}", "line": co, "hours_x100": 400,
                      "theme": "T12", "note": "recruitment for the focus group"})
    st.eq((r["week"], r["year"], r["person_week_hours_x100"]), ("2020-W10", 2020, 1200),
          "one person's week across themes, regardless of case")
    show = stack.ok("finance", "budget.show", {"year": 2020})
    st.eq(show["on"], TODAY, "weeks counted to today")
    line = [l for l in show["lines"] if l["id"] == co][0]
    st.eq({k: line[k] for k in ("formula", "budget_cents", "planned_hours_x100",
                                "worked_hours_x100", "weeks_elapsed_x100",
                                "planned_to_date_hours_x100", "worked_cents", "ahead",
                                "hours_exceeded")},
          {"formula": "10 h/week x EUR 80.00 x 46 weeks", "budget_cents": 3680000,
           "planned_hours_x100": 46000, "worked_hours_x100": 12000, "weeks_elapsed_x100": 1000,
           "planned_to_date_hours_x100": 10000, "worked_cents": 960000, "ahead": True,
           "hours_exceeded": False}, "planned against worked on 2020-03-08")
    st.eq(line["hours_message"], "running ahead of its weeks: 120 hours worked by 8 March 2020, "
          "20 more than the 100 hours planned so far (10 h/week x 10 weeks)", "the flag's words")
    # A Dutch reader gets the flag in Dutch; the fields stay as they are.
    raw = stack.client.request("finance", msgpack.packb(
        {"op": "budget.show", "args": {"year": 2020}, "lang": "nl"}), 5.0)
    nl = msgpack.unpackb(raw, raw=False)["data"]
    st.eq([l["hours_message"] for l in nl["lines"] if l["id"] == co][0],
          "loopt voor op de weken: 120 uur gewerkt tot 8 maart 2020, 20 meer dan de 100 uur die "
          "tot nu toe begroot zijn (10 uur/week x 10 weken)", "the flag in Dutch")
    st.eq((show["totals"]["planned_hours_x100"], show["totals"]["worked_hours_x100"],
           show["totals"]["ahead_lines"]), (46000 + 8000, 12000, 1), "the year's hours")
    fixed = [l for l in show["lines"] if l["kind"] == "fixed"][0]
    st.eq((fixed["planned_hours_x100"], fixed["worked_cents"], fixed["ahead"]), (None, None, False),
          "a fixed line plans no hours")
    # A correction replaces, it does not add.
    r = stack.ok("finance", "hours.record", {"person": "AB", "week": "2020-03-04", "line": co,
                                             "hours_x100": 600, "theme": "T4"})
    st.eq((r["id"], r["hours_x100"], r["replaced_hours_x100"], r["updated_on"]),
          ("H19", 600, 800, TODAY), "week 10 on T4 corrected")
    st.eq(r["note"], None, "no note")
    by_week_12 = stack.ok("finance", "budget.show", {"year": 2020, "on": "2020-03-18"})
    line = [l for l in by_week_12["lines"] if l["id"] == co][0]
    st.eq((line["worked_hours_x100"], line["planned_to_date_hours_x100"], line["ahead"],
           line["hours_message"]), (11800, 12000, False, None), "on plan by week 12")
    st.eq(stack.ok("finance", "budget.line.get", {"line": co})["worked_hours_x100"], 11800,
          "the line keeps its hours")
    # Lists by person, line, theme; the total of the page.
    ab = stack.ok("finance", "hours.list", {"person": "Ab", "theme": "T12"})
    st.eq((len(ab["hours"]), ab["total_hours_x100"], ab["next"]), (10, 4000, None),
          "AB's hours on T12")
    st.eq(ab["hours"][0]["note"], "recruitment for the focus group", "the note is kept")
    page = stack.ok("finance", "hours.list", {"line": co, "limit": 5})
    st.eq(([h["id"] for h in page["hours"]], page["next"]),
          (["H1", "H2", "H3", "H4", "H5"], "H5"), "a page")
    st.eq(stack.ok("finance", "hours.list", {"person": "CD"})["hours"], [], "nobody else")
    # Events: what was recorded, never who or the note.
    ev = finance_events(stack, "finance.hours.recorded")
    st.eq(len(ev), 21, "one event per recording")
    st.eq(ev[-1]["data"], {"id": "H19", "line": co, "year": 2020, "week": "2020-W10",
                           "theme": "T4", "session": None, "hours_x100": 600}, "the event")
    for e in ev:
        st.check("person" not in e["data"] and "note" not in e["data"]
                 and "AB" not in repr(e["data"]) and "recruitment" not in repr(e), "no person")
    audit = stack.ok("finance", "audit.list", {"op": "hours.record"})["entries"]
    st.eq(len(audit), 21, "every recording on record")
    st.check(co in audit[-1]["ids"] and "H19" in audit[-1]["ids"], f"the line and entry: {audit[-1]}")
    st.check(all("recruitment" not in repr(a) for a in audit), "no note in the audit log")


@st.test(services=["finance"])
def hours_refuse_residents_other_years_lines_without_hours_and_too_long_weeks(stack):
    lines = add_lines(stack, 2020, LINES_2020)
    co, fixed = lines["co-coordination"], lines["activities: facilitators, catering and rooms"]
    pilot = add_lines(stack, 2019, LINES_2019[5:])["pilot: trained experience experts as chairs"]

    def refused(field, code="invalid_argument", **args):
        base = {"person": "AB", "week": "2020-W05", "line": co, "hours_x100": 1000}
        return stack.refused("finance", "hours.record", dict(base, **args), code=code,
                             field=field)
    st.check("resident" in refused("person", person="P12")["message"], "a participant is refused")
    refused("person", person="anna@example.org")
    refused("person", person="A\nB")
    refused("person", person="x" * 65)
    refused("week", week="2021-W01")
    refused("week", week="2019-W53")
    refused("week", week="week 5")
    refused("line", code="failed_precondition", line=fixed)
    refused("line", code="not_found", line="L99")
    refused("hours_x100", hours_x100=-100)
    refused("hours_x100", hours_x100=16801)
    refused("week", line=pilot, week="2019-W04")
    stack.ok("finance", "hours.record", {"person": "AB", "week": "2019-W05", "line": pilot,
                                         "hours_x100": 400, "session": "S3"})
    # 168 hours in a week, all lines together.
    stack.ok("finance", "hours.record", {"person": "AB", "week": "2020-W05", "line": co,
                                         "hours_x100": 10000, "theme": "T1"})
    err = refused("hours_x100", code="failed_precondition", hours_x100=7000, theme="T2")
    st.check("168" in err["message"], err["message"])
    # Replacing within the week is measured without the hours it replaces.
    stack.ok("finance", "hours.record", {"person": "AB", "week": "2020-W05", "line": co,
                                         "hours_x100": 16800, "theme": "T1"})
    st.eq(stack.ok("finance", "budget.line.get", {"line": co})["worked_hours_x100"], 16800,
          "a refused recording changes nothing")


# ---- several years ----------------------------------------------------------------

@st.test(services=["finance"])
def several_years_side_by_side_with_contributions_and_carry_over(stack):
    allocation_2017(stack)
    stack.ok("finance", "allocation.decide",
             {"allocation": "V1", "municipality": "Hilversum", "decided_cents": 2000000,
              "reason": REASON})
    l19 = add_lines(stack, 2019, LINES_2019)
    l20 = add_lines(stack, 2020, LINES_2020)
    stack.ok("finance", "allocation.create",
             {"name": "Samenkracht 2019", "total_cents": 4500000, "unit_cents": 100000,
              "as_of": "2016-01-01", "year": 2019})
    stack.ok("finance", "allocation.create",
             {"name": "Samenkracht 2020", "total_cents": 5400000, "unit_cents": 100000,
              "as_of": "2016-01-01", "year": 2020})
    stack.ok("finance", "allocation.create",
             {"name": "Without a year", "total_cents": 100000, "unit_cents": 100000,
              "as_of": "2016-01-01"})
    stack.ok("finance", "invoice.pay", {"allocation": "V2", "municipality": "Hilversum"})
    # 2019 spent: coordination in full, the facilitators; 2020: 15,000 committed.
    for line, amount, committed in ((l19["coordination"], 2250000, False),
                                    (l19["activities: facilitators and expertise"], 600000,
                                     False),
                                    (l20["co-coordination"], 1500000, True)):
        stack.ok("finance", "expense.add", {"line": line, "category": "other",
                                            "amount_cents": amount, "theme": "T1",
                                            "committed": committed})
    v = stack.ok("finance", "budget.years", {"from_year": 2019, "to_year": 2022})
    st.eq((v["from_year"], v["to_year"], v["round_cents"], v["allocations_without_year"]),
          (2019, 2022, 100000, 1), "the span")
    keys = ("year", "lines", "budget_cents", "committed_cents", "spent_cents",
            "contributions_cents", "received_cents", "carried_in_cents", "carried_over_cents",
            "budget_balance_cents")
    got = [tuple(r[k] for k in keys) for r in v["years"]]
    # 2017-2018 contributed 59,000 and spent nothing: carried into 2019.
    st.eq(got, [
        (2019, 6, 4500000, 0, 2850000, 4500000, 1500000, 5900000, 7550000, 5900000),
        (2020, 4, 5420000, 1500000, 0, 5400000, 0, 7550000, 12950000, 7530000),
        (2021, 0, 0, 0, 0, 0, 0, 12950000, 12950000, 12950000),
        (2022, 0, 0, 0, 0, 0, 0, 12950000, 12950000, 12950000),
    ], "per year")
    t = v["total"]
    st.eq(tuple(t[k] for k in keys),
          (None, 10, 9920000, 1500000, 2850000, 9900000, 1500000, 5900000, 12950000, 5880000),
          "the total")
    # Rounded as the documents print them: 54,200 is "afgerond" 54,000.
    st.eq(v["years"][1]["rounded"]["budget_cents"], 5400000, "2020 budget rounded")
    st.eq(v["years"][0]["rounded"]["spent_cents"], 2900000, "28,500 rounds half up to 29,000")
    st.eq(v["total"]["rounded"]["budget_cents"], 9900000, "99,200 rounded")
    exact = stack.ok("finance", "budget.years", {"from_year": 2020, "to_year": 2020,
                                                 "round_cents": 1})
    st.eq(exact["years"][0]["rounded"]["budget_cents"], 5420000, "exact when asked")
    st.eq(exact["years"][0]["carried_in_cents"], 7550000, "carried in from before the view")
    stack.refused("finance", "budget.years", {"from_year": 2022, "to_year": 2019},
                  code="invalid_argument", field="to_year")
    stack.refused("finance", "budget.years", {"from_year": 2000, "to_year": 2030},
                  code="invalid_argument", field="to_year")
    stack.refused("finance", "budget.years", {"from_year": 2019, "to_year": 2022,
                                              "round_cents": 0},
                  code="invalid_argument", field="round_cents")


# ---- through samenctl ---------------------------------------------------------------

def ctl_ok(stack, *args):
    rc, out, err = stack.ctl(*args)
    st.eq(rc, 0, f"samenctl {' '.join(args)} exits 0 ({err.strip()})")
    return out


def cells(out, first, after=None):
    """The cells (split on two or more spaces) of the table line starting with first (below
    the line holding after, when given)."""
    if after:
        out = out[out.index(after):]
    for line in out.splitlines():
        if line.startswith(first + " ") or line == first:
            return re.split(r"\s{2,}", line.strip())
    raise st.Failure(f"no line starting with {first!r} in:\n{out}")


@st.test(services=["finance"])
def samenctl_decides_the_2017_contributions_and_shows_the_shortfall(stack):
    add_municipalities(stack)
    ctl_ok(stack, "finance", "split", "--total", "60000", "--unit", "1000", "--as-of",
           "2016-01-01", "--name", "Samenkracht 2017-2018", "--year", "2017", "--to-year", "2018")
    rc, out, err = stack.ctl("finance", "decide", "Samenkracht 2017-2018", "Hilversum",
                             "--amount", "20000")
    st.eq(rc, 1, "refused without a reason")
    st.check("(field: reason)" in err and "-EUR 1,000.00" in err, err)
    out = ctl_ok(stack, "finance", "decide", "Samenkracht 2017-2018", "Hilversum", "--amount",
                 "20.000", "--reason", REASON, "--on", "9-3-2017", "--reference", "PHO 2017-03-09")
    st.check(f"decided on 2017-03-09 (PHO 2017-03-09): {REASON}" in out, out)
    st.eq(cells(out, "V1-GM0402"), ["V1-GM0402", "Hilversum", "87817", "34.15", "EUR 21,000.00",
                                    "EUR 20,000.00", "-EUR 1,000.00", "EUR 20,000.00", "no"],
          "Hilversum: computed, decided, difference, invoiced")
    st.eq(cells(out, "V1-GM0376")[4:8], ["EUR 2,000.00", "EUR 0.00", "EUR 2,000.00", "no"],
          "Blaricum as computed (nothing decided)")
    st.eq(cells(out, "TOTAL"), ["TOTAL", "257186", "100.00", "EUR 60,000.00", "-EUR 1,000.00",
                                "EUR 59,000.00"], "the total row")
    st.check("The decided contributions differ from the computed ones by -EUR 1,000.00." in out
             and "The contributions as decided fall EUR 1,000.00 short of the cost, "
             "EUR 60,000.00." in out, out)
    out = ctl_ok(stack, "finance", "invoice-pay", "V1", "Hilversum", "--on", "2017-04-03")
    st.eq(out.strip(), "invoice V1-GM0402 of Hilversum (EUR 20,000.00) marked paid on 2017-04-03",
          "Hilversum invoiced and paid 20,000")
    for year in ("2017", "2018"):
        out = ctl_ok(stack, "budget", "show", year)
        st.eq(cells(out, "V1"), ["V1", "Samenkracht 2017-2018", "2017-2018", "EUR 60,000.00",
                                 "EUR 60,000.00", "EUR 59,000.00", "-EUR 1,000.00",
                                 "EUR 20,000.00"], f"the {year} budget's funding")
        st.check("The contributions as decided fall EUR 1,000.00 short of the cost, "
                 "EUR 60,000.00." in out, out)
    data = json.loads(ctl_ok(stack, "--json", "finance", "allocation", "Samenkracht 2017-2018"))
    st.eq((data["invoiced_cents"], data["balance_cents"]), (5900000, -100000), "--json")


@st.test(services=["finance"])
def samenctl_records_hours_and_budget_show_flags_the_line_ahead_of_its_weeks(stack):
    ctl_ok(stack, "budget", "add-line", "2020", "--name", "co-coordination", "--kind",
           "hours_per_week", "--hours", "10", "--rate", "80", "--weeks", "46")
    for w in range(1, 11):
        out = ctl_ok(stack, "hours", "record", "AB", "--week", f"2020-W{w:02d}", "--line", "L1",
                     "--hours", "12", "--theme", "T4")
    st.eq(out.strip(), "H10: AB worked 12 hours in 2020-W10 on L1 (T4); that makes 12 hours in "
          "that week.",
          "recorded")
    out = ctl_ok(stack, "budget", "show", "2020")
    st.check("hours planned and worked, weeks counted to 8 March 2020" in out, out)
    st.eq(cells(out, "L1 !", after="hours planned"), ["L1 !", "co-coordination", "460", "120", "100", "10",
                               "EUR 9,600.00"], "planned against worked, flagged")
    st.check("L1: running ahead of its weeks: 120 hours worked by 8 March 2020, 20 more than the "
             "100 hours planned so far (10 h/week x 10 weeks)" in out, out)
    out = ctl_ok(stack, "budget", "show", "2020", "--on", "2020-03-18")
    st.eq(cells(out, "L1", after="hours planned")[:6],
          ["L1", "co-coordination", "460", "120", "120", "12"],
          "on plan by week 12: no flag")
    out = ctl_ok(stack, "hours", "record", "ab", "--week", "2020-03-04", "--line", "L1", "--hours",
                 "10,5", "--theme", "T4")
    st.eq(out.strip(), "H10: AB worked 10.5 hours in 2020-W10 on L1 (T4), instead of 12; that "
          "makes 10.5 hours in that week.", "a correction replaces")
    out = ctl_ok(stack, "hours", "list", "--person", "AB", "--theme", "T4")
    st.eq(cells(out, "TOTAL"), ["TOTAL", "118.5"], "AB's total")
    rc, out, err = stack.ctl("hours", "record", "P12", "--week", "2020-W10", "--line", "L1",
                             "--hours", "10")
    st.eq(rc, 1, "a resident has no hours")
    st.check("(field: person)" in err, err)
    rc, out, err = stack.ctl("hours", "record", "AB", "--week", "2020-W10", "--line", "L1",
                             "--hours", "ten")
    st.eq(rc, 2, "hours must be a number")
    out = ctl_ok(stack, "--locale", "nl", "budget", "show", "2020")
    st.check("uren begroot en gewerkt, weken geteld tot 8 maart 2020" in out, out)
    st.check("L1: loopt voor op de weken: 118,5 uur gewerkt tot 8 maart 2020, 18,5 meer dan de "
             "100 uur die tot nu toe begroot zijn (10 uur/week x 10 weken)" in out, out)


@st.test(services=["finance"])
def samenctl_budget_years_prints_the_rounded_multi_year_view(stack):
    add_municipalities(stack)
    for year, lines in ((2019, LINES_2019), (2020, LINES_2020)):
        add_lines(stack, year, lines)
    ctl_ok(stack, "finance", "split", "--total", "45000", "--unit", "1000", "--as-of",
           "2016-01-01", "--name", "Samenkracht 2019", "--year", "2019")
    ctl_ok(stack, "finance", "split", "--total", "54000", "--unit", "1000", "--as-of",
           "2016-01-01", "--name", "Samenkracht 2020", "--year", "2020")
    ctl_ok(stack, "expense", "add", "--line", "L1", "--category", "other", "--amount", "22500",
           "--theme", "T1")
    ctl_ok(stack, "expense", "add", "--line", "L2", "--category", "facilitator", "--amount",
           "6000", "--theme", "T1")
    out = ctl_ok(stack, "budget", "years", "2019", "2022")
    st.check(out.startswith("budget 2019-2022, amounts rounded to EUR 1,000 (afgerond)"), out)
    st.eq(cells(out, "2019"), ["2019", "EUR 45,000", "EUR 45,000", "EUR 0", "EUR 29,000",
                               "EUR 0", "EUR 17,000", "EUR 0"], "2019 (28,500 and 16,500 round up)")
    st.eq(cells(out, "2020"), ["2020", "EUR 54,000", "EUR 54,000", "EUR 17,000", "EUR 0",
                               "EUR 0", "EUR 71,000", "EUR 16,000"],
          "2020: 54,200 afgerond 54,000; 70,500 carried over; 16,300 left")
    st.eq(cells(out, "2022"), ["2022", "EUR 0", "EUR 0", "EUR 71,000", "EUR 0", "EUR 0",
                               "EUR 71,000", "EUR 71,000"], "2022 carries it on")
    # The total's budget balance is EUR -200 exactly: afgerond nothing.
    st.eq(cells(out, "TOTAL"), ["TOTAL", "EUR 99,000", "EUR 99,000", "EUR 0", "EUR 29,000",
                                "EUR 0", "EUR 71,000", "EUR 0"], "the total")
    out = ctl_ok(stack, "--locale", "nl", "budget", "years", "2020", "2020", "--round", "0,01")
    st.eq(cells(out, "2020")[:3], ["2020", "€ 54.200,00", "€ 54.000,00"], "exact, in Dutch")
    rc, out, err = stack.ctl("budget", "years", "2022", "2019")
    st.eq(rc, 1, "years in order")
    st.check("(field: to_year)" in err, err)


if __name__ == "__main__":
    st.main()
