#!/usr/bin/python3
"""Owners and deputies across the four services, through the broker.

The seeds record that the programme stopped when its drivers fell away. The
programme's own people (W3) live in intake; themes, advice items, grant
applications and outcome items get an owner and a deputy among them; an
owner leaving hands everything open to the deputy or a named successor, in
every service exactly once, and the list of what was handed over (and what
has no owner now) is in intake's person.handover (common/owner.h).
The samenctl acceptance tests are in test_owners_cli.py."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

OTHERS = ("scheduling", "reporting", "finance")


def caught_up(stack, services=OTHERS, source="intake", timeout=15):
    """Wait until each of services has applied every event of source."""
    want = stack.ok(source, "service.info")["last_seq"]

    def done():
        for s in services:
            r = stack.call(s, "service.info", timeout=10)
            if not r.get("ok") or r["data"]["following"].get(source, 0) < want:
                return False
        return True
    st.wait_until(done, timeout, f"{services} to apply {source}'s events up to {want}")


def people(stack):
    m1 = stack.ok("intake", "person.add", {"name": "Jan de Vries", "role": "projectleider"})
    m2 = stack.ok("intake", "person.add", {"name": "Els Bos", "role": "coordinator",
                                           "email": "els.bos@example.org"})
    m3 = stack.ok("intake", "person.add", {"name": "Anna Smit", "role": "policy officer"})
    caught_up(stack)
    return m1["id"], m2["id"], m3["id"]


def theme(stack, title, **kw):
    args = {"title": title, "domain": "social_support", "years": [2020]}
    args.update(kw)
    return stack.ok("scheduling", "theme.add", args)["id"]


def handover(stack, person, timeout=15):
    """person.handover once every service has reported."""
    return st.wait_until(lambda: (lambda h: h if h["complete"] else None)(
        stack.ok("intake", "person.handover", {"person": person})), timeout,
        f"every service to hand over {person}'s items")


def events(stack, service, prefix):
    return [(e["type"], e["data"]) for e in stack.events(service) if e["type"].startswith(prefix)]


@st.test()
def people_are_found_by_id_or_name_and_their_names_stay_in_intake(stack):
    m1, m2, m3 = people(stack)
    st.eq((m1, m2, m3), ("W1", "W2", "W3"))
    # A write's reply (kept for retries) holds no name.
    add = stack.ok("intake", "person.add", {"name": "Piet Jansen", "role": "other"})
    st.eq(add, {"id": "W4", "role": "other", "active": True})
    # Found by the whole name, ignoring case, accents and spaces.
    for name in ("Jan de Vries", "jan DE  vries", " Jan de Vries "):
        st.eq(stack.ok("intake", "person.get", {"person": name})["id"], "W1", name)
    p = stack.ok("intake", "person.get", {"person": "w2"})
    st.eq((p["name"], p["role"], p["email"], p["active"], p["left_on"], p["successor"]),
          ("Els Bos", "coordinator", "els.bos@example.org", True, None, None))
    st.eq(stack.ok("intake", "person.get", {"person": "W3"})["role"], "policy_officer")
    # The same name twice only when forced; then a name names nobody for sure.
    e = stack.refused("intake", "person.add", {"name": "els bos", "role": "other"},
                      "already_exists", "name")
    st.check("W2" in e["message"] and "Bos" not in e["message"], e["message"])
    stack.ok("intake", "person.add", {"name": "Els Bos", "role": "other", "force": True})
    e = stack.refused("intake", "person.get", {"person": "Els Bos"}, "invalid_argument",
                      "person")
    st.check("W2, W5" in e["message"] and "Bos" not in e["message"], e["message"])
    stack.refused("intake", "person.get", {"person": "Nobody Here"}, "not_found", "person")
    stack.refused("intake", "person.get", {"person": "W99"}, "not_found", "person")
    stack.refused("intake", "person.add", {"name": "X", "role": "alderman"}, "invalid_argument",
                  "role")
    # Update renames, and the new name finds them.
    stack.ok("intake", "person.update", {"person": "W5", "name": "Els Bosman", "email": ""})
    st.eq(stack.ok("intake", "person.get", {"person": "Els Bosman"})["id"], "W5")
    st.eq(stack.ok("intake", "person.get", {"person": "Els Bos"})["id"], "W2")
    lst = stack.ok("intake", "person.list", {"role": "coördinator"})
    st.eq([p["id"] for p in lst["persons"]], ["W2"])
    # Events carry the ID and whether the person is active; no name anywhere
    # outside intake's own store: not in events, not in the logs.
    added = events(stack, "intake", "intake.person.")
    st.eq(added[0], ("intake.person.added", {"id": "W1", "active": True}))
    st.eq(len(added), 5)
    caught_up(stack)
    logs = stack.all_logs()
    for name in ("Jan de Vries", "Els Bos", "Anna Smit", "els.bos@example.org"):
        st.check(name not in logs, f"{name} in a log")


@st.test()
def owners_are_people_each_service_knows_and_lists_filter_by_owner(stack):
    m1, m2, m3 = people(stack)
    t1 = theme(stack, "Wmo-taxi", owner=m1, deputy=m2)
    t2 = theme(stack, "Suicide prevention", owner=m2)
    theme(stack, "Foster parents")
    st.eq(stack.ok("scheduling", "theme.get", {"theme": t1})[("owner")], "W1")
    a1 = stack.ok("intake", "advice.add", {"kind": "signal", "summary": "The taxi is late",
                                           "owner": m1, "deputy": "W3"})
    st.eq((a1["owner"], a1["deputy"]), ("W1", "W3"))
    k1 = stack.ok("finance", "grant.pool.add", {"kind": "city_wide", "year": 2020,
                                                "amount_cents": 500000})["id"]
    g1 = stack.ok("finance", "grant.apply", {"pool": k1, "initiative": "Walking group",
                                             "applicant": "O1", "requested_cents": 50000,
                                             "intended_result": "they walk", "owner": m3})
    st.eq((g1["owner"], g1["deputy"]), ("W3", None))
    # Who owns what, per service; "none" lists what has no owner.
    ids = lambda svc, op, key, **a: [x["id"] for x in stack.ok(svc, op, a)[key]]  # noqa: E731
    st.eq(ids("scheduling", "theme.list", "themes", owner="W1"), [t1])
    st.eq(ids("scheduling", "theme.list", "themes", owner="w2"), [t2])
    st.eq(ids("scheduling", "theme.list", "themes", owner="none"), ["T3"])
    st.eq(ids("intake", "advice.list", "advice", owner="W1"), ["A1"])
    st.eq(ids("intake", "advice.list", "advice", owner="W2"), [])
    st.eq(ids("finance", "grant.list", "applications", owner="W3"), ["G1"])
    st.eq(ids("finance", "grant.list", "applications", owner="none"), [])
    # Assigning: every change of owners is an event with IDs only.
    stack.ok("intake", "advice.assign", {"advice": "A1", "owner": "W3"})  # the deputy made owner
    a = stack.ok("intake", "advice.get", {"advice": "A1"})
    st.eq((a["owner"], a["deputy"]), ("W3", None))
    stack.ok("finance", "grant.assign", {"application": "G1", "owner": "W2", "deputy": "W3"})
    stack.ok("scheduling", "theme.update", {"theme": t2, "deputy": "W1"})
    st.eq(events(stack, "intake", "intake.advice.assigned"),
          [("intake.advice.assigned", {"id": "A1", "owner": "W1", "deputy": "W3"}),
           ("intake.advice.assigned", {"id": "A1", "owner": "W3", "deputy": None})])
    st.eq(events(stack, "scheduling", "scheduling.theme.assigned")[-1][1],
          {"id": t2, "owner": "W2", "deputy": "W1"})
    st.eq(events(stack, "finance", "finance.grant.assigned")[-1][1],
          {"id": "G1", "owner": "W2", "deputy": "W3"})
    # Refusals name the field and say what is accepted.
    r = stack.refused
    e = r("scheduling", "theme.add", {"title": "X", "domain": "health", "years": [2020],
                                      "owner": "W9"}, "not_found", "owner")
    st.check("person list" in e["message"], e["message"])
    r("scheduling", "theme.update", {"theme": t1, "owner": "Jan"}, "invalid_argument", "owner")
    r("scheduling", "theme.update", {"theme": "T3", "deputy": "W1"}, "invalid_argument", "deputy")
    r("scheduling", "theme.update", {"theme": t1, "deputy": "W1"}, "invalid_argument", "deputy")
    r("intake", "advice.assign", {"advice": "A1", "owner": "P1"}, "invalid_argument", "owner")
    r("finance", "grant.assign", {"application": "G9", "owner": "W1"}, "not_found",
      "application")
    r("scheduling", "theme.list", {"owner": "X"}, "invalid_argument", "owner")
    # Clearing.
    stack.ok("scheduling", "theme.update", {"theme": t2, "deputy": "none"})
    st.eq(stack.ok("scheduling", "theme.get", {"theme": t2})["deputy"], None)


def setup_items(stack):
    """Items in every service with every kind of owner and deputy; returns
    nothing: the IDs are fixed (T1.., A1.., G1, U1..)."""
    m1, m2, m3 = people(stack)
    theme(stack, "Wmo-taxi", owner=m1, deputy=m2)                    # T1: to the deputy
    theme(stack, "Suicide prevention", owner=m1)                     # T2: no deputy
    theme(stack, "Foster parents", owner=m2, deputy=m1)              # T3: W1 was deputy
    theme(stack, "Shelter", owner=m1, deputy=m3, status="completed")  # T4: closed
    stack.ok("intake", "advice.add", {"kind": "signal", "summary": "x", "owner": m1,
                                      "deputy": m3})                 # A1: to the deputy
    stack.ok("intake", "advice.add", {"kind": "signal", "summary": "y", "owner": m1})
    stack.ok("intake", "advice.answer", {"advice": "A2", "outcome": "adopted", "text": "Yes"})
    stack.ok("intake", "advice.evaluate", {"advice": "A2", "text": "Done"})  # A2: closed
    k = stack.ok("finance", "grant.pool.add", {"kind": "city_wide", "year": 2020,
                                               "amount_cents": 500000})["id"]
    stack.ok("finance", "grant.apply", {"pool": k, "initiative": "Walk", "applicant": "O1",
                                        "requested_cents": 1000, "intended_result": "r",
                                        "owner": m1, "deputy": m2})  # G1: to the deputy
    session = stack.ok("scheduling", "session.plan", {"theme": "T1", "method": "FG",
                                                      "period": "2020-Q2"})["id"]
    caught_up(stack, ("reporting",), "scheduling")
    stack.ok("reporting", "outcome.add", {"theme": "T1", "sessions": [session],
                                          "brought_in": "Drivers are late", "owner": m1})  # U1
    stack.ok("reporting", "outcome.add", {"theme": "T1", "sessions": [session],
                                          "brought_in": "A second company", "owner": m1,
                                          "status": "done"})     # U2: closed


def owners(stack):
    """(owner, deputy) of every item, per ID."""
    out = {}
    for t in stack.ok("scheduling", "theme.list", {})["themes"]:
        out[t["id"]] = (t["owner"], t["deputy"])
    for a in stack.ok("intake", "advice.list", {})["advice"]:
        out[a["id"]] = (a["owner"], a["deputy"])
    for g in stack.ok("finance", "grant.list", {})["applications"]:
        out[g["id"]] = (g["owner"], g["deputy"])
    for u in stack.ok("reporting", "outcome.list", {})["outcomes"]:
        out[u["id"]] = (u["owner"], u["deputy"])
    return out


@st.test()
def a_leaving_owner_hands_everything_open_to_the_deputies_and_the_rest_is_listed(stack):
    setup_items(stack)
    r = stack.ok("intake", "person.leave", {"person": "Jan de Vries", "date": "2020-09-01"})
    # The reply has intake's part; the others report through their events.
    st.eq((r["person"], r["active"], r["left_on"], r["successor"]),
          ("W1", False, "2020-09-01", None))
    st.eq([(i["service"], i["id"]) for i in r["items"]], [("intake", "A1")])
    h = handover(stack, "W1")
    st.eq(h["waiting_for"], [])
    st.eq([(i["service"], i["id"], i["kind"], i["role"], i["to"], i["owner"], i["deputy"])
           for i in h["items"]],
          [("intake", "A1", "advice", "owner", "W3", "W3", None),
           ("scheduling", "T1", "theme", "owner", "W2", "W2", None),
           ("scheduling", "T2", "theme", "owner", None, None, None),
           ("scheduling", "T3", "theme", "deputy", None, "W2", None),
           ("reporting", "U1", "outcome", "owner", None, None, None),
           ("finance", "G1", "grant", "owner", "W2", "W2", None)])
    st.eq(h["without_owner"], ["T2", "U1"])
    # The items themselves; closed ones keep who answered for them.
    st.eq(owners(stack), {"T1": ("W2", None), "T2": (None, None), "T3": ("W2", None),
                          "T4": ("W1", "W3"), "A1": ("W3", None), "A2": ("W1", None),
                          "G1": ("W2", None), "U1": (None, None), "U2": ("W1", None)})
    st.eq([t["id"] for t in stack.ok("scheduling", "theme.list", {"owner": "none"})["themes"]],
          ["T2"])
    # The person is inactive everywhere: nothing new for them, no second leave.
    st.eq(stack.ok("intake", "person.get", {"person": "W1"})["active"], False)
    e = stack.refused("scheduling", "theme.update", {"theme": "T2", "owner": "W1"},
                      "failed_precondition", "owner")
    st.check("left" in e["message"], e["message"])
    stack.refused("finance", "grant.assign", {"application": "G1", "deputy": "W1"},
                  "failed_precondition", "deputy")
    stack.refused("intake", "person.leave", {"person": "W1"}, "failed_precondition", "person")
    stack.refused("intake", "person.handover", {"person": "W2"}, "failed_precondition",
                  "person")
    # One event per service, IDs only.
    for svc in ("intake",) + OTHERS:
        applied = events(stack, svc, f"{svc}.handover.applied")
        st.eq(len(applied), 1, f"{svc} handed over once")
        st.eq((applied[0][1]["person"], applied[0][1]["successor"]), ("W1", None))
    st.eq(events(stack, "intake", "intake.person.left"),
          [("intake.person.left", {"id": "W1", "active": False, "successor": None,
                                   "left_on": "2020-09-01"})])


@st.test()
def a_named_successor_takes_over_everything_open_and_the_deputies_stay(stack):
    setup_items(stack)
    stack.refused("intake", "person.leave", {"person": "W1", "handover_to": "W1"},
                  "invalid_argument", "handover_to")
    stack.refused("intake", "person.leave", {"person": "W1", "handover_to": "W9"},
                  "not_found", "handover_to")
    stack.refused("intake", "person.leave", {"person": "W1", "date": "2999-01-01"},
                  "invalid_argument", "date")
    stack.ok("intake", "person.leave", {"person": "W1", "handover_to": "Anna Smit"})
    h = handover(stack, "W1")
    st.eq(h["successor"], "W3")
    st.eq(h["without_owner"], [])
    st.eq(owners(stack), {"T1": ("W3", "W2"), "T2": ("W3", None), "T3": ("W2", "W3"),
                          "T4": ("W1", "W3"), "A1": ("W3", None), "A2": ("W1", None),
                          "G1": ("W3", "W2"), "U1": ("W3", None), "U2": ("W1", None)})
    # A successor who left cannot take over.
    stack.ok("intake", "person.leave", {"person": "W2", "handover_to": "W3"})
    stack.refused("intake", "person.leave", {"person": "W3", "handover_to": "W2"},
                  "failed_precondition", "handover_to")
    h = handover(stack, "W2")
    st.eq(sorted((i["id"], i["role"], i["to"]) for i in h["items"]),
          [("G1", "deputy", None), ("T1", "deputy", None), ("T3", "owner", "W3")])


@st.test()
def a_service_down_at_the_leave_hands_over_once_when_it_comes_back(stack):
    setup_items(stack)
    stack.stop("scheduling")
    stack.ok("intake", "person.leave", {"person": "W1"})
    h = st.wait_until(lambda: (lambda h: h if h["waiting_for"] == ["scheduling"] else None)(
        stack.ok("intake", "person.handover", {"person": "W1"})), 15,
        "reporting and finance to hand over")
    st.eq(h["complete"], False)
    stack.start("scheduling")
    h = handover(stack, "W1")
    st.eq(sorted(i["id"] for i in h["items"] if i["service"] == "scheduling"),
          ["T1", "T2", "T3"])
    # Killed and started again, and again: the handover is not applied twice.
    stack.kill("scheduling")
    stack.start("scheduling")
    caught_up(stack, ("scheduling",))
    stack.stop("scheduling")
    stack.start("scheduling")
    caught_up(stack, ("scheduling",))
    st.eq(len(events(stack, "scheduling", "scheduling.handover.applied")), 1)
    st.eq(stack.ok("scheduling", "theme.get", {"theme": "T1"})["owner"], "W2")


def dump_meta(stack, svc):
    out = subprocess.run(["mdb_dump", "-s", "meta", "-p", stack.data_dir(svc)],
                         capture_output=True, text=True)
    st.eq(out.returncode, 0, "mdb_dump: " + out.stderr)
    return out.stdout


def set_schema(stack, svc, version):
    """Write schema_version into svc's stopped store (mdb_load over meta)."""
    lines = dump_meta(stack, svc).splitlines()
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i].strip() == "schema_version":
            out.append(" " + "".join(f"\\{b:02x}" for b in version.to_bytes(8, "big")))
            i += 2
            continue
        i += 1
    p = subprocess.run(["mdb_load", "-s", "meta", stack.data_dir(svc)],
                       input="\n".join(out) + "\n",
                       capture_output=True, text=True)
    st.eq(p.returncode, 0, "mdb_load: " + p.stderr)


@st.test()
def stores_of_schema_2_are_migrated_and_their_items_have_no_owner(stack):
    """A store written before owners (schema 2): the items read back with no
    owner, the free-text project leader stays as it was, the version goes
    to 3, and owners can be given."""
    t = theme(stack, "Wmo-taxi", project_leader="J. de Vries", political_lead="wethouder Bos")
    stack.ok("intake", "advice.add", {"kind": "signal", "summary": "x"})
    session = stack.ok("scheduling", "session.plan", {"theme": t, "method": "FG",
                                                      "period": "2020-Q2"})["id"]
    caught_up(stack, ("reporting",), "scheduling")
    stack.ok("reporting", "outcome.add", {"theme": t, "sessions": [session],
                                          "brought_in": "Late"})
    k = stack.ok("finance", "grant.pool.add", {"kind": "city_wide", "year": 2020,
                                               "amount_cents": 1000})["id"]
    stack.ok("finance", "grant.apply", {"pool": k, "initiative": "Walk", "applicant": "O1",
                                        "requested_cents": 100, "intended_result": "r"})
    for svc in ("intake", "scheduling", "reporting", "finance"):
        stack.stop(svc)
        set_schema(stack, svc, 2)
        st.check("schema_version" in dump_meta(stack, svc), "meta has the version")
        stack.start(svc)
        st.eq(stack.ok(svc, "service.info")["schema_version"], 3, svc)
        st.check("store migrated" in stack.log(svc) and "from=2 to=3" in stack.log(svc),
                 f"{svc} logs the migration")
    th = stack.ok("scheduling", "theme.get", {"theme": t})
    st.eq((th["owner"], th["deputy"], th["project_leader"], th["political_lead"]),
          (None, None, "J. de Vries", "wethouder Bos"))
    st.eq(stack.ok("intake", "advice.get", {"advice": "A1"})["owner"], None)
    st.eq(stack.ok("reporting", "outcome.get", {"outcome": "U1"})["owner"], None)
    st.eq(stack.ok("finance", "grant.get", {"application": "G1"}).get("owner"), None)
    m1 = stack.ok("intake", "person.add", {"name": "Jan de Vries", "role": "project_leader"})
    caught_up(stack)
    stack.ok("scheduling", "theme.update", {"theme": t, "owner": m1["id"]})
    stack.ok("reporting", "outcome.update", {"outcome": "U1", "owner": m1["id"]})
    st.eq(stack.ok("scheduling", "theme.list", {"owner": "W1"})["themes"][0]["project_leader"],
          "J. de Vries")


if __name__ == "__main__":
    st.main()
