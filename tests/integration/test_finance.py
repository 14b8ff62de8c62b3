#!/usr/bin/python3
"""samen-finance on a running stack: municipalities and their history, cost
sharing (the split adds up exactly, each share within one unit, ties broken
by the stated rule), allocations and invoices, budget lines computed and
checked, expenses and the 80%/100% threshold events, refusals that name the
field, and samenctl's finance, budget and expense commands.

Reimbursements and erasure (which need scheduling's and intake's events)
are in test_finance_events.py; grants in test_finance_grants.py.
"""
from fractions import Fraction

import msgpack

import samentest as st

# DOMAIN.md §5: the eight municipalities and their inhabitants on 1 January 2016.
MUNICIPALITIES = [
    ("Blaricum", "GM0376", 9616),
    ("Eemnes", "GM0317", 8877),
    ("Gooise Meren", "GM1942", 56687),
    ("Hilversum", "GM0402", 87817),
    ("Huizen", "GM0406", 41389),
    ("Laren", "GM0417", 10962),
    ("Weesp", "GM0457", 18571),
    ("Wijdemeren", "GM1696", 23267),
]
TOTAL_INHABITANTS = 257186


def add_municipalities(stack, as_of="2016-01-01"):
    for name, code, inhabitants in MUNICIPALITIES:
        stack.ok("finance", "municipality.add",
                 {"name": name, "code": code, "inhabitants": inhabitants, "as_of": as_of})


def check_split(data, total, unit, inhabitants):
    """The acceptance properties of a split, checked from first principles."""
    rows = data["rows"]
    st.eq(len(rows), len(inhabitants), "one row per municipality")
    st.eq(sum(r["contribution_cents"] for r in rows), total, f"sum of contributions of {total}")
    st.eq(data["total_inhabitants"], sum(inhabitants.values()), "total inhabitants")
    denominator = sum(inhabitants.values())
    for r in rows:
        st.eq(r["inhabitants"], inhabitants[r["name"]], f"{r['name']} inhabitants")
        st.eq(r["contribution_cents"] % unit, 0, f"{r['name']} pays whole units")
        exact = Fraction(total * r["inhabitants"], denominator)
        st.check(abs(r["contribution_cents"] - exact) < unit,
                 f"{r['name']} pays {r['contribution_cents']}, more than one unit ({unit}) from "
                 f"its exact share {float(exact):.4f}")
        # The exact share as the service states it: cents plus a remainder.
        st.eq(Fraction(r["share_cents"]) + Fraction(r["share_remainder"], r["share_denominator"]),
              exact, f"{r['name']} exact share")
        # Percentage in basis points, half up, and as text with 2 decimals.
        bp = (r["inhabitants"] * 20000 + denominator) // (2 * denominator)
        st.eq(r["percent_bp"], bp, f"{r['name']} percent")
        st.eq(r["percent"], f"{bp // 100}.{bp % 100:02d}", f"{r['name']} percent text")
    return {r["name"]: r for r in rows}


def expected_extra_units(total, unit, inhabitants):
    """Largest remainder with the stated tie rule: remainder, inhabitants, name."""
    units = total // unit
    denominator = sum(inhabitants.values())
    given = {n: units * i // denominator for n, i in inhabitants.items()}
    left = units - sum(given.values())
    order = sorted(inhabitants, key=lambda n: (-(units * inhabitants[n] % denominator),
                                               -inhabitants[n], n.encode()))
    return set(order[:left])


# ---- municipalities ---------------------------------------------------------

@st.test(services=["finance"])
def municipality_count_history_is_kept_and_split_uses_the_count_on_the_date(stack):
    add_municipalities(stack)
    r = stack.ok("finance", "municipality.count",
                 {"municipality": "Hilversum", "inhabitants": 90261, "as_of": "2020-01-01"})
    st.eq([c["inhabitants"] for c in r["counts"]], [87817, 90261], "history kept")
    old = stack.ok("finance", "split.compute",
                   {"total_cents": 6000000, "unit_cents": 100000, "as_of": "2016-01-01"})
    new = stack.ok("finance", "split.compute",
                   {"total_cents": 6000000, "unit_cents": 100000, "as_of": "2020-06-30"})
    hil_old = [x for x in old["rows"] if x["name"] == "Hilversum"][0]
    hil_new = [x for x in new["rows"] if x["name"] == "Hilversum"][0]
    st.eq(hil_old["inhabitants"], 87817, "2016 split uses the 2016 count")
    st.eq(hil_old["count_as_of"], "2016-01-01", "count date shown")
    st.eq(hil_new["inhabitants"], 90261, "2020 split uses the 2020 count")
    st.eq(new["total_inhabitants"], TOTAL_INHABITANTS - 87817 + 90261, "2020 total")
    # Before the first count there is nothing to share by.
    stack.refused("finance", "split.compute",
                  {"total_cents": 6000000, "unit_cents": 100000, "as_of": "2015-12-31"},
                  code="failed_precondition", field="as_of")
    # Events carry the municipality list for the other services.
    evs = [e for e in stack.events("finance") if e["type"].startswith("finance.municipality.")]
    st.eq(len(evs), 9, "eight added and one counted")
    st.eq(evs[-1]["type"], "finance.municipality.counted", "count event")
    st.eq(evs[-1]["data"], {"code": "GM0402", "name": "Hilversum", "inhabitants": 90261,
                            "as_of": "2020-01-01"}, "count event data")


@st.test(services=["finance"])
def municipality_names_stay_unique_ignoring_case_through_the_name_index(stack):
    """municipality.add checks the name in an index kept in the same
    transaction as the record (schema 2): the rule is the one it always had
    (names differ in more than ASCII case), and a lookup by name finds the
    record however the name is written."""
    add_municipalities(stack)
    for name in ("Hilversum", "hilversum", "HILVERSUM", "hILVERSUm"):
        err = stack.refused("finance", "municipality.add",
                            {"name": name, "code": "GM9001", "inhabitants": 1,
                             "as_of": "2016-01-01"}, code="already_exists", field="name")
        st.check("GM0402" in err["message"], f"names the holder: {err['message']}")
    # A refused add leaves nothing in the index: a code clash with a new name
    # is refused on the code, and the new name is free afterwards.
    stack.refused("finance", "municipality.add",
                  {"name": "Nieuwegein", "code": "GM0402", "inhabitants": 1,
                   "as_of": "2016-01-01"}, code="already_exists", field="code")
    r = stack.ok("finance", "municipality.add",
                 {"name": "Nieuwegein", "code": "GM0356", "inhabitants": 63000,
                  "as_of": "2016-01-01"})
    st.eq(r["code"], "GM0356", "the new name was free")
    # Several adds sent together (one group-committed batch when they
    # arrive together), one a duplicate of another: one wins, the index
    # follows.
    batch = [("Zeist", "GM0355"), ("zeist", "GM0632"), ("Baarn", "GM0308"), ("Soest", "GM0342")]
    clients = [stack.new_client() for _ in batch]
    for i, (c, (name, code)) in enumerate(zip(clients, batch)):
        c.sock.send_multipart([b"MDPC02", b"\x01", b"finance", msgpack.packb(
            {"op": "municipality.add",
             "args": {"name": name, "code": code, "inhabitants": 100 + i,
                      "as_of": "2016-01-01"}})])
    results = {}
    for i, c in enumerate(clients):
        st.check(c.sock.poll(5000), f"reply to add {i}")
        results[i] = msgpack.unpackb(c.sock.recv_multipart()[-1], raw=False)
        c.close()
    zeists = [results[i] for i in (0, 1)]
    st.eq(sorted(r["ok"] for r in zeists), [False, True], "one Zeist is added, one refused")
    refused = [r for r in zeists if not r["ok"]][0]
    st.eq((refused["error"]["code"], refused["error"]["field"]), ("already_exists", "name"),
          "the second Zeist is refused on its name")
    st.check(results[2]["ok"] and results[3]["ok"], "the others in the batch are added")
    # Found by name in any case, by every op that takes a municipality.
    for name in ("Nieuwegein", "nieuwegein", "ZEIST", "baarn"):
        d = stack.ok("finance", "municipality.get", {"municipality": name})
        st.eq(d["name"].lower(), name.lower(), f"municipality.get {name}")
    stack.ok("finance", "municipality.count",
             {"municipality": "soest", "inhabitants": 45000, "as_of": "2017-01-01"})
    d = stack.ok("finance", "municipality.get", {"municipality": "Soest"})
    st.eq([c["inhabitants"] for c in d["counts"]], [103, 45000], "count by name in lower case")
    stack.refused("finance", "municipality.get", {"municipality": "Utrecht"},
                  code="not_found", field="municipality")
    split = stack.ok("finance", "split.compute",
                     {"total_cents": 200000, "unit_cents": 1000, "as_of": "2016-01-01",
                      "municipalities": ["hilversum", "LAREN"]})
    st.eq(sorted(x["name"] for x in split["rows"]), ["Hilversum", "Laren"],
          "a split restricted by names in any case")
    # The index is in the store: after a restart the rule still holds.
    stack.stop("finance")
    stack.start("finance")
    stack.refused("finance", "municipality.add",
                  {"name": "NIEUWEGEIN", "code": "GM9002", "inhabitants": 1,
                   "as_of": "2016-01-01"}, code="already_exists", field="name")
    st.eq(stack.ok("finance", "municipality.get", {"municipality": "laren"})["code"], "GM0417",
          "found by name after a restart")
    st.eq(stack.ok("finance", "service.info")["counts"]["municipalities"], 12,
          "eight, Nieuwegein, one Zeist, Baarn and Soest")


# ---- the split ----------------------------------------------------------------

@st.test(services=["finance"])
def split_of_eight_municipalities_adds_up_exactly_within_one_unit(stack):
    add_municipalities(stack)
    inhabitants = {n: i for n, _, i in MUNICIPALITIES}
    # Totals in cents, at unit EUR 1,000 and EUR 10. 12859300000 and 128593000
    # are 128,593 units: half of 257,186, so every municipality with an odd
    # number of inhabitants (six of them) has a remainder of exactly one half
    # and three left-over units are tied: the tie rule decides.
    cases = [
        (100000, [6000000, 100000, 700000, 800000, 25700000, 25800000, 100000000,
                  12859300000, 25718600000]),
        (1000, [6000000, 1000, 7000, 6001000, 257186000, 128593000, 99999000]),
    ]
    for unit, totals in cases:
        for total in totals:
            data = stack.ok("finance", "split.compute",
                            {"total_cents": total, "unit_cents": unit, "as_of": "2016-01-01"})
            rows = check_split(data, total, unit, inhabitants)
            extra = {n for n, r in rows.items() if r["extra_unit"]}
            st.eq(extra, expected_extra_units(total, unit, inhabitants),
                  f"left-over units of {total} at {unit}")
    # The forced tie: six remainders of one half, three units; largest
    # inhabitants first.
    data = stack.ok("finance", "split.compute",
                    {"total_cents": 128593000, "unit_cents": 1000, "as_of": "2016-01-01"})
    tied = {r["name"] for r in data["rows"]
            if Fraction(128593 * r["inhabitants"], TOTAL_INHABITANTS).denominator == 2}
    st.eq(tied, {"Eemnes", "Gooise Meren", "Hilversum", "Huizen", "Weesp", "Wijdemeren"},
          "the municipalities with odd counts tie at one half")
    st.eq({r["name"] for r in data["rows"] if r["extra_unit"]},
          {"Hilversum", "Gooise Meren", "Huizen"}, "ties go to the most inhabitants")
    # The programme's own figure: EUR 60,000 at EUR 1,000.
    data = stack.ok("finance", "split.compute",
                    {"total_cents": 6000000, "unit_cents": 100000, "as_of": "2016-01-01"})
    st.eq({r["name"]: r["contribution_cents"] // 100 for r in data["rows"]},
          {"Blaricum": 2000, "Eemnes": 2000, "Gooise Meren": 13000, "Hilversum": 21000,
           "Huizen": 10000, "Laren": 3000, "Weesp": 4000, "Wijdemeren": 5000},
          "EUR 60,000 shared")
    st.eq([r["name"] for r in data["rows"]], sorted(inhabitants), "rows in name order")


@st.test(services=["finance"])
def split_ties_on_equal_inhabitants_go_by_name(stack):
    for name, code in (("Zuid", "GM0901"), ("Noord", "GM0902"), ("Midden", "GM0903")):
        stack.ok("finance", "municipality.add",
                 {"name": name, "code": code, "inhabitants": 5000, "as_of": "2016-01-01"})
    # 4 units over three equal municipalities: one left-over unit, three tied
    # on remainder and inhabitants: the name first in byte order gets it.
    data = stack.ok("finance", "split.compute",
                    {"total_cents": 4000, "unit_cents": 1000, "as_of": "2016-01-01"})
    got = {r["name"]: r["contribution_cents"] for r in data["rows"]}
    st.eq(got, {"Midden": 2000, "Noord": 1000, "Zuid": 1000}, "tie by name")
    # Restricting the split to some municipalities (a pilot of two).
    data = stack.ok("finance", "split.compute",
                    {"total_cents": 3000, "unit_cents": 1000, "as_of": "2016-01-01",
                     "municipalities": ["Zuid", "GM0902"]})
    st.eq({r["name"]: r["contribution_cents"] for r in data["rows"]},
          {"Noord": 2000, "Zuid": 1000}, "two municipalities")
    stack.refused("finance", "split.compute",
                  {"total_cents": 3000, "unit_cents": 1000, "municipalities": ["Atlantis"]},
                  code="not_found", field="municipalities")
    stack.refused("finance", "split.compute",
                  {"total_cents": 3000, "unit_cents": 1000, "municipalities": ["Zuid", "zuid"]},
                  code="invalid_argument", field="municipalities")


@st.test(services=["finance"])
def split_refuses_bad_input_naming_the_field(stack):
    # No municipalities yet.
    err = stack.refused("finance", "split.compute", {"total_cents": 6000000, "unit_cents": 100000},
                        code="invalid_argument", field="municipalities")
    st.check("municipality add" in err["message"], f"says how to fix it: {err['message']}")
    # Zero inhabitants cannot even be recorded.
    stack.refused("finance", "municipality.add",
                  {"name": "Leeg", "code": "GM0999", "inhabitants": 0, "as_of": "2016-01-01"},
                  code="invalid_argument", field="inhabitants")
    add_municipalities(stack)
    stack.refused("finance", "municipality.count",
                  {"municipality": "Laren", "inhabitants": 0, "as_of": "2017-01-01"},
                  code="invalid_argument", field="inhabitants")
    base = {"total_cents": 6000000, "unit_cents": 100000, "as_of": "2016-01-01"}
    for args, field in [
        ({"total_cents": -6000000}, "total_cents"),          # negative
        ({"total_cents": 6000000.5}, "total_cents"),         # a fraction of a cent
        ({"unit_cents": 100.25}, "unit_cents"),
        ({"unit_cents": -1000}, "unit_cents"),
        ({"unit_cents": 0}, "unit_cents"),
        ({"total_cents": 0}, "total_cents"),
        ({"unit_cents": 7000000}, "unit_cents"),             # unit larger than total
        ({"total_cents": 6000500}, "total_cents"),           # not whole units
        ({"as_of": "2016-02-30"}, "as_of"),
        ({"total_cents": "60000"}, "total_cents"),
        ({"colour": "red"}, "colour"),
    ]:
        stack.refused("finance", "split.compute", dict(base, **args), code="invalid_argument",
                      field=field)
    err = stack.refused("finance", "split.compute", dict(base, unit_cents=7000000))
    st.check("larger than the total" in err["message"], err["message"])


# ---- allocations and invoices -------------------------------------------------

@st.test(services=["finance"])
def allocation_is_stored_with_an_invoice_per_municipality_that_can_be_paid(stack):
    add_municipalities(stack)
    a = stack.ok("finance", "allocation.create",
                 {"name": "Samenkracht 2016", "total_cents": 6000000, "unit_cents": 100000,
                  "as_of": "2016-01-01"}, rid="alloc-1")
    st.eq(a["id"], "V1", "allocation id")
    st.eq(len(a["rows"]), 8, "eight invoices")
    st.eq(sum(r["contribution_cents"] for r in a["rows"]), 6000000, "adds up")
    st.eq(sorted(r["invoice"] for r in a["rows"])[0], "V1-GM0317", "invoice numbers")
    # A retry with the same rid is the same allocation, not a second one.
    again = stack.ok("finance", "allocation.create",
                     {"name": "Samenkracht 2016", "total_cents": 6000000, "unit_cents": 100000,
                      "as_of": "2016-01-01"}, rid="alloc-1")
    st.eq(again["id"], "V1", "idempotent")
    stack.refused("finance", "allocation.create",
                  {"name": "samenkracht 2016", "total_cents": 100000, "unit_cents": 1000},
                  code="already_exists", field="name")
    # A later count does not change a stored allocation.
    stack.ok("finance", "municipality.count",
             {"municipality": "GM0402", "inhabitants": 95000, "as_of": "2016-06-01"})
    paid = stack.ok("finance", "invoice.pay",
                    {"allocation": "V1", "municipality": "Hilversum", "paid_on": "2016-03-01",
                     "reference": "2016-0042"})
    st.eq(paid["invoice"]["contribution_cents"], 2100000, "Hilversum's invoice")
    st.eq(paid["invoice"]["paid"], True, "paid")
    stack.refused("finance", "invoice.pay", {"allocation": "V1", "municipality": "GM0402"},
                  code="failed_precondition", field="municipality")
    stack.refused("finance", "invoice.pay", {"allocation": "V9", "municipality": "GM0402"},
                  code="not_found", field="allocation")
    got = stack.ok("finance", "allocation.get", {"allocation": "Samenkracht 2016"})
    st.eq(got["paid_cents"], 2100000, "paid so far")
    st.eq(got["outstanding_cents"], 3900000, "outstanding")
    st.eq([r["inhabitants"] for r in got["rows"] if r["code"] == "GM0402"], [87817],
          "the allocation keeps the count it was made with")
    lst = stack.ok("finance", "allocation.list", {})
    st.eq([(x["id"], x["paid_invoices"]) for x in lst["allocations"]], [("V1", 1)], "list")
    types = [e["type"] for e in stack.events("finance")]
    st.eq(types.count("finance.allocation.created"), 1, "one allocation event")
    st.eq(types.count("finance.invoice.paid"), 1, "one invoice event")


# ---- budget lines -----------------------------------------------------------

@st.test(services=["finance"])
def budget_lines_are_computed_and_an_inconsistent_stated_amount_is_reported(stack):
    def line(name, **parts):
        return stack.ok("finance", "budget.line.add", dict(year=2019, name=name, **parts))

    # The documents' own lines (DOMAIN.md §5).
    a = line("coordination", kind="hours_per_week", hours_x100=1000, rate_cents=5000,
             weeks_x100=4500, stated_cents=2250000)
    b = line("coordination 2", kind="hours_per_week", hours_x100=1000, rate_cents=8000,
             weeks_x100=4600)
    c = line("pilot", kind="pilot", hours_x100=400, rate_cents=5000, weeks_x100=3750,
             period="2019-01-01..2019-09-30")
    # The slip: a stated amount ten times its own hours x rate.
    d = line("youth report", kind="total_hours", hours_x100=12000, rate_cents=5000,
             stated_cents=6000000)
    e = line("activities", kind="fixed", amount_cents=500000)
    f = line("reimbursements", kind="reimbursement", per_claim_cents=1500, claims=160)
    st.eq([x["budget_cents"] for x in (a, b, c, d, e, f)],
          [2250000, 3680000, 750000, 600000, 500000, 240000], "computed amounts")
    st.eq(a["consistent"], True, "a stated amount that matches")
    st.eq(d["consistent"], False, "the slip is caught")
    st.eq(d["ten_times"], True, "and named as a slip of a zero")
    st.check("10 x its own 120 hours x EUR 50.00 = EUR 6,000.00" in d["inconsistency"],
             d["inconsistency"])
    st.eq(c["formula"], "4 h/week x EUR 50.00 x 37.5 weeks in 2019-01-01..2019-09-30", "formula")
    show = stack.ok("finance", "budget.show", {"year": 2019})
    st.eq(show["totals"]["budget_cents"], 2250000 + 3680000 + 750000 + 600000 + 500000 + 240000,
          "year total")
    st.eq(show["inconsistencies"], 1, "one inconsistency")
    chk = stack.ok("finance", "budget.check", {"year": 2019, "stated_total_cents": 8020000})
    st.eq([x["id"] for x in chk["inconsistencies"]], [d["id"]], "check names the line")
    st.eq(chk["inconsistencies"][0]["difference_cents"], 5400000, "by how much")
    st.eq(chk["consistent"], False, "not consistent")
    st.eq(chk["total_inconsistency"] is None, True, "the stated total matches the computed one")
    # Correcting the stated amount clears it.
    fixed = stack.ok("finance", "budget.line.update",
                     {"line": d["id"], "kind": "total_hours", "hours_x100": 12000,
                      "rate_cents": 5000, "stated_cents": 600000})
    st.eq(fixed["consistent"], True, "corrected")
    st.eq(stack.ok("finance", "budget.check", {"year": 2019})["consistent"], True, "all consistent")
    st.eq(stack.ok("finance", "budget.show", {"year": 2018})["lines"], [], "another year is empty")


@st.test(services=["finance"])
def budget_line_refuses_bad_parts_naming_the_field(stack):
    base = {"year": 2019, "name": "x", "kind": "hours_per_week", "hours_x100": 1000,
            "rate_cents": 5000, "weeks_x100": 4500}
    for args, field in [
        ({"rate_cents": -5000}, "rate_cents"),
        ({"rate_cents": 50.5}, "rate_cents"),
        ({"hours_x100": 20000}, "hours_x100"),
        ({"hours_x100": 10.5}, "hours_x100"),
        ({"amount_cents": 100}, "amount_cents"),     # a part the kind does not use
        ({"kind": "lump"}, "kind"),
        ({"kind": "pilot"}, "period"),               # a pilot needs its period
        ({"kind": "pilot", "period": "2019-01"}, "weeks_x100"),  # 45 weeks do not fit a month
        ({"stated_cents": -1}, "stated_cents"),
        ({"year": 1999}, "year"),
        ({"name": "   "}, "name"),
    ]:
        stack.refused("finance", "budget.line.add", dict(base, **args), code="invalid_argument",
                      field=field)


# ---- expenses and thresholds --------------------------------------------------

@st.test(services=["finance"])
def expenses_count_against_their_line_and_thresholds_emit_events_once(stack):
    line = stack.ok("finance", "budget.line.add",
                    {"year": 2019, "name": "activities", "kind": "fixed", "amount_cents": 100000})
    lid = line["id"]

    def thresholds():
        return [(e["data"]["line"], e["data"]["percent"]) for e in stack.events("finance")
                if e["type"] == "finance.budget.threshold"]

    x1 = stack.ok("finance", "expense.add",
                  {"line": lid, "category": "room", "amount_cents": 50000, "session": "S3",
                   "committed": True, "description": "community centre, two evenings"})
    st.eq(x1["status"], "committed", "committed")
    st.eq(thresholds(), [], "50% crosses nothing")
    x2 = stack.ok("finance", "expense.add",
                  {"line": lid, "category": "catering", "amount_cents": 30000, "theme": "T1"})
    st.eq(thresholds(), [(lid, 80)], "80% reached once")
    stack.ok("finance", "expense.add",
             {"line": lid, "category": "facilitator", "amount_cents": 5000, "session": "S3"})
    st.eq(thresholds(), [(lid, 80)], "still only 80%")
    show = stack.ok("finance", "budget.line.get", {"line": lid})
    st.eq((show["budget_cents"], show["committed_cents"], show["spent_cents"],
           show["remaining_cents"], show["used_bp"]),
          (100000, 50000, 35000, 15000, 8500), "budget, committed, spent, remaining, used")
    # Settling at a higher invoice amount takes it past 100%.
    s = stack.ok("finance", "expense.settle", {"expense": x1["id"], "amount_cents": 70000})
    st.eq((s["status"], s["amount_cents"]), ("spent", 70000), "settled")
    st.eq(thresholds(), [(lid, 80), (lid, 100)], "100% reached once")
    show = stack.ok("finance", "budget.show", {"year": 2019})["lines"][0]
    st.eq((show["committed_cents"], show["spent_cents"], show["remaining_cents"],
           show["overspent"]), (0, 105000, -5000, True), "overspent")
    stack.refused("finance", "expense.settle", {"expense": x1["id"]},
                  code="failed_precondition", field="expense")
    stack.refused("finance", "expense.cancel", {"expense": x2["id"]},
                  code="failed_precondition", field="expense")
    # A cancelled commitment frees its amount (and crossing again emits again).
    x4 = stack.ok("finance", "expense.add",
                  {"line": lid, "category": "expertise", "amount_cents": 1000, "theme": "T1",
                   "committed": True})
    c = stack.ok("finance", "expense.cancel", {"expense": x4["id"], "reason": "not needed"})
    st.eq(c["status"], "cancelled", "cancelled")
    lst = stack.ok("finance", "expense.list", {"line": lid})
    st.eq([x["id"] for x in lst["expenses"]], ["X1", "X2", "X3", "X4"], "listed by line")
    st.eq([x["id"] for x in stack.ok("finance", "expense.list", {"session": "S3"})["expenses"]],
          ["X1", "X3"], "listed by session")
    page = stack.ok("finance", "expense.list", {"limit": 2})
    st.eq(([x["id"] for x in page["expenses"]], page["next"]), (["X1", "X2"], "X2"), "paged")
    page = stack.ok("finance", "expense.list", {"limit": 2, "after": "X2"})
    st.eq(([x["id"] for x in page["expenses"]], page["next"]), (["X3", "X4"], None), "last page")
    # No personal data and no staff text in events.
    for e in stack.events("finance"):
        st.check("community centre" not in repr(e), "descriptions stay out of events")


@st.test(services=["finance"])
def expense_refuses_bad_input_naming_the_field(stack):
    line = stack.ok("finance", "budget.line.add",
                    {"year": 2019, "name": "activities", "kind": "fixed", "amount_cents": 100000})
    base = {"line": line["id"], "category": "room", "amount_cents": 1000, "session": "S1"}
    for args, field in [
        ({"amount_cents": -1000}, "amount_cents"),
        ({"amount_cents": 10.005}, "amount_cents"),
        ({"amount_cents": 0}, "amount_cents"),
        ({"category": "travel"}, "category"),
        ({"session": "31"}, "session"),
        ({"line": "X1"}, "line"),
        ({"on": "2019-13-01"}, "on"),
    ]:
        stack.refused("finance", "expense.add", dict(base, **args), code="invalid_argument",
                      field=field)
    no_target = dict(base)
    del no_target["session"]
    stack.refused("finance", "expense.add", no_target, code="invalid_argument", field="session")
    stack.refused("finance", "expense.add", dict(base, line="L9"), code="not_found", field="line")


# ---- samenctl -----------------------------------------------------------------

@st.test(services=["finance"])
def samenctl_finance_split_prints_the_table_in_text_csv_md_and_json(stack):
    add_municipalities(stack)
    rc, out, err = stack.ctl("finance", "split", "--total", "60000", "--unit", "1000",
                             "--as-of", "2016-01-01")
    st.eq(rc, 0, f"exit code ({err})")
    st.check("Hilversum     87817        34.15   EUR 21,000.00" in out, out)
    st.check("TOTAL         257186       100.00  EUR 60,000.00" in out, out)
    rc, out, err = stack.ctl("finance", "split", "--total", "60000", "--unit", "1000",
                             "--as-of", "2016-01-01", "--format", "csv")
    st.eq(out.splitlines()[0], "MUNICIPALITY,INHABITANTS,%,CONTRIBUTION", "csv header")
    st.check('Hilversum,87817,34.15,"EUR 21,000.00"' in out, out)
    rc, out, err = stack.ctl("--locale", "nl", "finance", "split", "--total", "60.000",
                             "--unit", "10", "--as-of", "2016-01-01", "--format", "md")
    st.check("| Hilversum | 87817 | 34.15 | € 20.490,00 |" in out, out)
    rc, out, err = stack.ctl("--json", "finance", "split", "--total", "60000", "--unit", "1000",
                             "--as-of", "2016-01-01", "--name", "Samenkracht 2016")
    st.eq(rc, 0, err)
    st.check('"id": "V1"' in out and '"invoice": "V1-GM0402"' in out, out)
    rc, out, err = stack.ctl("finance", "invoice-pay", "V1", "Hilversum", "--reference", "42")
    st.eq(rc, 0, err)
    rc, out, err = stack.ctl("finance", "allocation", "V1")
    st.check("V1-GM0402  Hilversum" in out and "yes" in out, out)
    # Refusals: exit 1 with the field; bad money is a usage error (exit 2).
    rc, out, err = stack.ctl("finance", "split", "--total", "500", "--unit", "1000")
    st.eq(rc, 1, "refused")
    st.check("(field: unit_cents)" in err, err)
    rc, out, err = stack.ctl("finance", "split", "--total", "0.001", "--unit", "1000")
    st.eq(rc, 2, "a fraction of a cent is refused before sending")
    rc, out, err = stack.ctl("finance", "split", "--total", "-5", "--unit", "1000")
    st.eq(rc, 2, "a negative amount is refused before sending")
    rc, out, err = stack.ctl("finance", "--help")
    st.check("e.g. samenctl finance split" in out, "help has examples")


@st.test(services=["finance"])
def samenctl_budget_and_expense_commands(stack):
    rc, out, err = stack.ctl("budget", "add-line", "2019", "--name", "youth report", "--kind",
                             "total_hours", "--hours", "120", "--rate", "50", "--stated", "60000")
    st.eq(rc, 0, err)
    st.check("INCONSISTENT: stated EUR 60,000.00 is 10 x its own" in out, out)
    rc, out, err = stack.ctl("budget", "add-line", "2019", "--name", "pilot", "--kind", "pilot",
                             "--hours", "4", "--rate", "50", "--weeks", "37.5", "--period",
                             "2019-01-01..2019-09-30")
    st.check("= EUR 7,500.00" in out, out)
    rc, out, err = stack.ctl("budget", "add-line", "2019", "--name", "x", "--kind", "pilot",
                             "--hours", "4.125", "--rate", "50", "--weeks", "3")
    st.eq(rc, 2, "hours with three decimals are a usage error")
    rc, out, err = stack.ctl("budget", "add-line", "2019", "--name", "activities", "--kind",
                             "fixed", "--amount", "1000")
    rc, out, err = stack.ctl("expense", "add", "--line", "L3", "--category", "room", "--amount",
                             "850", "--session", "S2")
    st.eq(rc, 0, err)
    rc, out, err = stack.ctl("budget", "show", "2019")
    st.check("L1 !" in out and "85.00" in out, out)
    st.check("! inconsistent stated amounts:" in out, out)
    rc, out, err = stack.ctl("budget", "check", "2019")
    st.check("! L1: stated EUR 60,000.00" in out, out)
    rc, out, err = stack.ctl("--json", "budget", "show", "2019")
    st.check('"remaining_cents": 15000' in out, out)
    rc, out, err = stack.ctl("expense", "list", "--format", "csv")
    st.eq(out.splitlines()[0], "ID,LINE,ON,CATEGORY,SESSION,THEME,STATUS,AMOUNT", out)
    rc, out, err = stack.ctl("expense", "add", "--line", "L3", "--category", "room", "--amount",
                             "10")
    st.eq(rc, 2, "session or theme is required")
    ev = [e for e in stack.events("finance") if e["type"] == "finance.budget.threshold"]
    st.eq([e["data"] for e in ev], [{"year": 2019, "line": "L3", "percent": 80}], "80% event")


if __name__ == "__main__":
    st.main()
