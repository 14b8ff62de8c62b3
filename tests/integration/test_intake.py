#!/usr/bin/python3
"""samen-intake through the broker: the address file, organisations, the
PII scan, erasure and export. Advice and deadlines: test_intake_advice.py;
samenctl: test_intake_cli.py."""
import json
import os
import subprocess
import sys

import msgpack
import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

MUNIS = [("Hilversum", "GM0402", 87817), ("Huizen", "GM0406", 41389),
         ("Laren", "GM0417", 10962), ("Weesp", "GM0457", 18571)]

MARIA = {"name": "Maria van den Heuvel", "email": "Maria.Heuvel@Example.NL",
         "phone": "06-12345678", "postal_code": "1214 AB", "municipality": "Hilversum",
         "birth_year": 2001, "labels": ["foster parent", "parent"],
         "target_groups": ["Foster parents"], "themes": ["T4"],
         "accessibility": ["wheelchair", "easy_language"], "consent": True,
         "consent_for": "invitations to the foster-parent cafe"}
# Every form in which Maria's personal data could leak.
MARIA_PII = ["Maria", "Heuvel", "heuvel", "Maria.Heuvel", "maria.heuvel", "example.nl",
             "612345678", "06-12345678", "1214", "wheelchair", "easy_language",
             "foster-parent cafe"]


def municipalities(stack, followers=("intake",)):
    """Add the municipalities in finance and wait until followers know them."""
    for name, code, n in MUNIS:
        stack.ok("finance", "municipality.add",
                 {"name": name, "code": code, "inhabitants": n, "as_of": "2016-01-01"},
                 rid="muni-" + code)
    for svc in followers:
        st.wait_until(lambda: caught_up(stack, svc, "finance"), what=f"{svc} to follow finance")


def caught_up(stack, follower, service):
    last = stack.ok(service, "service.info")["last_seq"]
    return stack.ok(follower, "service.info")["following"].get(service, 0) >= last


def register(stack, rid=None, **fields):
    args = {"consent": True}
    args.update(fields)
    return stack.ok("intake", "participant.register", args, rid=rid)


def no_pii(blob, needles, what):
    """Fail when any needle occurs in blob (bytes or str)."""
    if isinstance(blob, (dict, list)):
        blob = json.dumps(blob, ensure_ascii=False)
    if isinstance(blob, bytes):
        blob = blob.decode("utf-8", "replace")
    for n in needles:
        st.check(n.lower() not in blob.lower(), f"{what} holds {n!r}")


# ==== the address file ======================================================

@st.test(services=["finance", "intake"])
def register_get_update_round_trip(stack):
    municipalities(stack)
    org = stack.ok("intake", "organisation.add",
                   {"name": "Pleegzorg Gooi", "kind": "care provider"}, rid="o1")
    st.eq(org["id"], "O1")
    p = register(stack, rid="r1", channel="O1", **MARIA)
    # The reply to a write is the event view: nothing personal.
    st.eq(p, {"id": "P1", "status": "active", "municipality": "GM0402",
              "target_groups": ["foster parents"], "labels": ["parent", "foster_parent"],
              "themes": ["T4"], "age_band": p["age_band"], "channel": "O1", "consent": True})
    no_pii(p, MARIA_PII, "register reply")
    # A retry with the same rid gets the same answer, no second person.
    st.eq(stack.ok("intake", "participant.register", dict(MARIA, channel="O1"), rid="r1"), p)
    g = stack.ok("intake", "participant.get", {"participant": "P1"})
    st.eq(g["name"], "Maria van den Heuvel")
    st.eq(g["email"], "Maria.Heuvel@example.nl")       # domain lower-cased
    st.eq(g["phone"], "+31612345678")                  # E.164
    st.eq(g["postal_code"], "1214AB")
    st.eq(g["municipality"], "GM0402")
    st.eq(g["municipality_name"], "Hilversum")
    st.eq(g["birth_year"], 2001)
    st.eq(g["accessibility"], ["easy_language", "wheelchair"])
    st.eq(g["channel_name"], "Pleegzorg Gooi")
    st.eq(g["consent_for"], "invitations to the foster-parent cafe")
    st.check(g["consent_given"] and g["consent_withdrawn"] is None, "consent dates")
    # Update changes only what is given; an empty value clears.
    u = stack.ok("intake", "participant.update",
                 {"participant": "P1", "postal_code": "", "target_groups": ["youth", "Parents"],
                  "municipality": "GM0406"}, rid="u1")
    st.eq(u["target_groups"], ["youth", "parents"])
    st.eq(u["municipality"], "GM0406")
    g = stack.ok("intake", "participant.get", {"participant": "P1"})
    st.eq(g["postal_code"], None)
    st.eq(g["name"], "Maria van den Heuvel")
    st.eq(g["phone"], "+31612345678")
    stack.refused("intake", "participant.get", {"participant": "P9"}, "not_found", "participant")
    stack.refused("intake", "participant.get", {"participant": "X1"}, "invalid_argument",
                  "participant")
    ev = [e for e in stack.events("intake") if e["type"].startswith("intake.participant.")]
    st.eq([e["type"] for e in ev], ["intake.participant.registered", "intake.participant.updated"])
    st.eq(set(ev[0]["data"]), {"id", "status", "municipality", "target_groups", "labels",
                               "themes", "age_band", "channel", "consent"})
    st.eq(ev[1]["data"]["municipality"], "GM0406")
    info = stack.ok("intake", "service.info")
    st.eq(info["counts"]["participants"], 1)


@st.test(services=["finance", "intake"])
def duplicate_email_or_phone_is_refused_naming_the_holder_unless_forced(stack):
    municipalities(stack)
    register(stack, name="Anna de Vries", email="anna@example.nl", phone="0201234567")
    register(stack, name="Bert Jansen", email="bert@example.nl")
    # Same address, other case: refused, naming P1.
    err = stack.refused("intake", "participant.register",
                        {"name": "A. de Vries", "email": "ANNA@example.nl", "consent": True},
                        "already_exists", "email")
    st.check("P1" in err["message"], f"the holder is named: {err['message']}")
    no_pii(err, ["anna@"], "refusal message")
    # Same number written differently.
    err = stack.refused("intake", "participant.register",
                        {"name": "Anna V.", "phone": "+31 20 123 4567", "consent": True},
                        "already_exists", "phone")
    st.check("P1" in err["message"], "the holder of the phone number is named")
    # Updating someone else to a taken address is refused too; one's own is fine.
    err = stack.refused("intake", "participant.update",
                        {"participant": "P2", "email": "anna@example.nl"}, "already_exists",
                        "email")
    st.check("P1" in err["message"], "update names the holder")
    stack.ok("intake", "participant.update", {"participant": "P1", "email": "anna@example.nl"})
    # Forced: a second person with the same address (a shared family address).
    p = register(stack, name="Anna's daughter", email="anna@example.nl", force=True)
    st.eq(p["id"], "P3")
    # The shared address does not block later changes to either of them.
    stack.ok("intake", "participant.update", {"participant": "P3", "target_groups": ["youth"]})
    stack.ok("intake", "participant.update", {"participant": "P1", "name": "Anna de Vries-Bos"})
    found = stack.ok("intake", "participant.find", {"email": "Anna@Example.nl"})
    st.eq([r["id"] for r in found["participants"]], ["P1", "P3"])


@st.test(services=["finance", "intake"])
def bad_input_is_refused_with_the_field_named(stack):
    municipalities(stack)
    stack.ok("intake", "organisation.add", {"name": "School", "kind": "school"})
    ok = {"name": "Els", "consent": True}

    def refused(field, **change):
        args = dict(ok)
        args.update(change)
        err = stack.refused("intake", "participant.register", args, "invalid_argument", field)
        st.check(len(err["message"]) > 20, f"{field}: a sentence, got {err['message']!r}")
        return err

    e = refused("email", email="els@@example")
    st.check("like name@example.nl" in e["message"], e["message"])
    refused("name", name="")
    refused("name", name="   ")
    e = refused("municipality", municipality="Amsterdam")
    st.check("Hilversum" in e["message"], "known municipalities are listed: " + e["message"])
    e = refused("birth_year", birth_year=2999)
    st.check("future" in e["message"], e["message"])
    e = refused("name", name="x" * 100 * 1024)
    st.check("at most 200" in e["message"], e["message"])
    refused("channel", channel="O7")
    refused("channel", channel="the library")
    refused("labels", labels=["alderman"])
    refused("accessibility", accessibility=["jetpack"])
    refused("themes", themes=["youth care"])
    refused("phone", phone="12345")
    refused("postal_code", postal_code="1234 SS")
    refused("consent", consent=False)
    refused("status", status="sleeping")
    refused("name", name="Els\x07")
    # Invalid UTF-8 in the name: the bytes are put on the wire by hand.
    body = msgpack.packb({"op": "participant.register",
                          "args": {"name": "PLACEHOLDER!", "consent": True}})
    body = body.replace(b"PLACEHOLDER!", b"Ma\xffria\xc3(xyzw")
    reply = msgpack.unpackb(stack.client.request("intake", body), raw=False)
    st.eq(reply["ok"], False)
    st.eq(reply["error"]["code"], "invalid_argument")
    st.eq(reply["error"]["field"], "name")
    # Unknown keys and wrong types.
    stack.refused("intake", "participant.register", dict(ok, nickname="E"), "invalid_argument",
                  "nickname")
    stack.refused("intake", "participant.register", dict(ok, birth_year="1980"),
                  "invalid_argument", "birth_year")
    stack.refused("intake", "participant.find", {"limit": 501}, "invalid_argument", "limit")
    stack.refused("intake", "participant.find", {"municipality": "Utrecht"}, "invalid_argument",
                  "municipality")
    stack.refused("intake", "pii.scan", {"text": 5}, "invalid_argument", "text")
    # Nothing of that reached the file.
    st.eq(stack.ok("intake", "service.info")["counts"]["participants"], 0)


@st.test(services=["finance", "intake"])
def find_uses_every_filter_and_pages_with_a_cursor(stack):
    municipalities(stack)
    stack.ok("intake", "organisation.add", {"name": "Jeugdraad", "kind": "advisory council"})
    stack.ok("intake", "organisation.add", {"name": "Vluchtelingenwerk", "kind": "association"})
    register(stack, name="Jürgen Müller", municipality="Huizen", labels=["youth"],
             target_groups=["youth"], themes=["T2"], channel="O1", birth_year=2010,
             guardian="Karin Schmidt", guardian_consent_given="2020-01-06")
    register(stack, name="Anna Muldersz", municipality="Hilversum", target_groups=["refugees"],
             channel="O2")
    register(stack, name="Mulan de Groot", municipality="Huizen", labels=["parent"],
             target_groups=["youth", "parents"], themes=["T2", "T5"])
    for i in range(4, 131):   # P4..P130
        register(stack, name=f"Person {i:03d} Klaassen", municipality="Laren",
                 target_groups=["wmo-taxi users"])
    stack.ok("intake", "participant.withdraw", {"participant": "P3"})

    def ids(**q):
        return [r["id"] for r in stack.ok("intake", "participant.find", q)["participants"]]

    # "mul" is the start of a word in Müller (accents folded), Muldersz, Mulan.
    st.eq(ids(name="mul"), ["P1", "P2", "P3"])
    st.eq(ids(name="MÜLL"), ["P1"])
    st.eq(ids(name="jurgen mul"), ["P1"])
    st.eq(ids(name="groot mulan"), ["P3"])
    st.eq(ids(name="ller"), [])      # a word start, not any substring
    st.eq(ids(target_group="Youth"), ["P1", "P3"])
    st.eq(ids(target_group="youth", municipality="GM0406"), ["P1", "P3"])
    st.eq(ids(target_group="youth", label="parent"), ["P3"])
    st.eq(ids(municipality="Hilversum"), ["P2"])
    st.eq(ids(theme="t2"), ["P1", "P3"])
    st.eq(ids(theme="T5", name="mulan"), ["P3"])
    st.eq(ids(channel="O1"), ["P1"])
    st.eq(ids(consent=False), ["P3"])
    st.eq(ids(status="withdrawn"), ["P3"])
    st.eq(ids(consent=True, target_group="youth"), ["P1"])
    st.eq(ids(label="youth", name="jur", municipality="Huizen", channel="O1", consent=True,
              theme="T2", target_group="youth", status="active"), ["P1"])
    st.eq(ids(name="klaassen", limit=5), ["P4", "P5", "P6", "P7", "P8"])
    # Paging: 127 Klaassens in pages of 50, in ID order, with a cursor.
    seen, after, pages = [], None, 0
    while True:
        q = {"target_group": "wmo-taxi users", "limit": 50}
        if after:
            q["after"] = after
        d = stack.ok("intake", "participant.find", q)
        seen += [r["id"] for r in d["participants"]]
        pages += 1
        after = d["next"]
        if not after:
            break
    st.eq(pages, 3)
    st.eq(seen, [f"P{i}" for i in range(4, 131)])
    # No filter: the whole file, a page at a time.
    d = stack.ok("intake", "participant.find", {"limit": 2, "after": "P128"})
    st.eq([r["id"] for r in d["participants"]], ["P129", "P130"])
    st.eq(d["next"], None)
    row = stack.ok("intake", "participant.find", {"name": "jurgen"})["participants"][0]
    st.eq(row["name"], "Jürgen Müller")
    st.eq(row["age_band"], "<18")
    st.eq(stack.ok("intake", "organisation.get", {"organisation": "O1"})["participants_recruited"], 1)


@st.test(services=["finance", "intake"])
def organisations_are_added_updated_listed_and_counted(stack):
    municipalities(stack)
    o = stack.ok("intake", "organisation.add",
                 {"name": "Adviesraad Sociaal Domein Huizen", "kind": "Advisory council",
                  "municipality": "Huizen", "contact": "J. de Vries",
                  "contact_email": "secretariaat@asd-huizen.nl", "contact_phone": "035 123 4567"},
                 rid="o1")
    st.eq(o, {"id": "O1", "name": "Adviesraad Sociaal Domein Huizen", "kind": "advisory_council",
              "municipality": "GM0406"})
    stack.ok("intake", "organisation.add", {"name": "Sportclub", "kind": "association"})
    err = stack.refused("intake", "organisation.add",
                        {"name": "adviesraad sociaal domein huizen", "kind": "other",
                         "municipality": "GM0406"}, "already_exists", "name")
    st.check("O1" in err["message"], err["message"])
    stack.refused("intake", "organisation.add", {"name": "X", "kind": "church"},
                  "invalid_argument", "kind")
    stack.refused("intake", "organisation.add", {"name": "X", "kind": "school",
                                                 "municipality": "Utrecht"},
                  "invalid_argument", "municipality")
    stack.refused("intake", "organisation.add", {"name": "X", "kind": "school",
                                                 "contact_email": "nope"},
                  "invalid_argument", "contact_email")
    stack.ok("intake", "organisation.update", {"organisation": "O1", "contact": "A. Bakker"})
    for n in ("Kees", "Lies"):
        register(stack, name=n, channel="O1")
    g = stack.ok("intake", "organisation.get", {"organisation": "O1"})
    st.eq(g["contact"], "A. Bakker")
    st.eq(g["contact_phone"], "+31351234567")
    st.eq(g["municipality_name"], "Huizen")
    st.eq(g["participants_recruited"], 2)
    lst = stack.ok("intake", "organisation.list", {"kind": "advisory_council"})
    st.eq([x["id"] for x in lst["organisations"]], ["O1"])
    st.eq([x["id"] for x in stack.ok("intake", "organisation.list", {})["organisations"]],
          ["O1", "O2"])
    st.eq([r["id"] for r in
           stack.ok("intake", "participant.find", {"channel": "O1"})["participants"]],
          ["P1", "P2"])
    ev = [e["data"] for e in stack.events("intake") if e["type"] == "intake.organisation.added"]
    st.eq(ev[0], {"id": "O1", "kind": "advisory_council", "municipality": "GM0406"})
    stack.refused("intake", "organisation.get", {"organisation": "O9"}, "not_found",
                  "organisation")


# ==== consent ==================================================================

@st.test(services=["finance", "intake"])
def withdrawing_consent_is_announced_once(stack):
    municipalities(stack)
    register(stack, name="Kees Bos", target_groups=["carers"])
    w = stack.ok("intake", "participant.withdraw", {"participant": "P1"}, rid="w1")
    st.eq((w["status"], w["consent"]), ("withdrawn", False))
    again = stack.ok("intake", "participant.withdraw", {"participant": "P1"}, rid="w2")
    st.eq(again["status"], "withdrawn")
    g = stack.ok("intake", "participant.get", {"participant": "P1"})
    st.check(g["consent_withdrawn"] is not None, "the withdrawal date is kept")
    types = [e["type"] for e in stack.events("intake")]
    st.eq(types, ["intake.participant.registered", "intake.participant.consent_withdrawn",
                  "intake.participant.updated"])
    # Consent given again through update: active again, the event says so.
    u = stack.ok("intake", "participant.update", {"participant": "P1", "consent": True})
    st.eq((u["status"], u["consent"]), ("active", True))
    # Consent taken back through update works the same as withdraw.
    u = stack.ok("intake", "participant.update", {"participant": "P1", "consent": False})
    st.eq((u["status"], u["consent"]), ("withdrawn", False))
    types = [e["type"] for e in stack.events("intake")][3:]
    st.eq(types, ["intake.participant.updated", "intake.participant.consent_withdrawn",
                  "intake.participant.updated"])


@st.test(services=["finance", "intake", "scheduling"])
def withdrawn_consent_removes_the_person_from_scheduling_invite_lists(stack):
    municipalities(stack, followers=("intake", "scheduling"))
    for n in ("Anna de Vries", "Bert Jansen", "Carla Smit"):
        register(stack, name=n, municipality="Hilversum", target_groups=["youth"])
    theme = stack.ok("scheduling", "theme.add",
                     {"title": "Youth care", "domain": "youth", "years": [2030]})
    session = stack.ok("scheduling", "session.plan",
                       {"theme": theme["id"], "method": "FG", "period": "2030-12"})

    def invited():
        st.wait_until(lambda: caught_up(stack, "scheduling", "intake"),
                      what="scheduling to follow intake")
        d = stack.ok("scheduling", "invite.list", {"session": session["id"]})
        return sorted(c["participant"] for c in d["candidates"])

    st.eq(invited(), ["P1", "P2", "P3"])
    stack.ok("intake", "participant.withdraw", {"participant": "P2"})
    st.eq(invited(), ["P1", "P3"])
    # Consent withdrawn through an update works the same.
    stack.ok("intake", "participant.update", {"participant": "P3", "consent": False})
    st.eq(invited(), ["P1"])


# ==== the PII scan ================================================================

@st.test(services=["finance", "intake"])
def pii_scan_finds_participants_and_shapes_and_stays_in_step(stack):
    municipalities(stack)
    register(stack, name="Maria van den Heuvel", email="maria@example.nl", phone="0612345678")
    register(stack, name="Jan-Willem Bakker")
    text = ("Verslag: maria VAN DEN HEUVEL (06 1234 5678, Maria@Example.nl) en Jan Willem "
            "Bakker spraken; bel 020-7654321 of mail info@gemeente.nl. Bakker alleen ook, "
            "en de bakker niet.")
    m = stack.ok("intake", "pii.scan", {"text": text})["matches"]
    got = [(x["kind"], x["participant"], x["text"]) for x in m]
    st.eq(got, [("name", "P1", "maria VAN DEN HEUVEL"), ("phone", "P1", "06 1234 5678"),
                ("email", "P1", "Maria@Example.nl"), ("name", "P2", "Jan Willem Bakker"),
                ("phone", None, "020-7654321"), ("email", None, "info@gemeente.nl"),
                ("name", "P2", "Bakker")])
    st.eq(text[m[0]["offset"]:m[0]["offset"] + m[0]["length"]], "maria VAN DEN HEUVEL")
    st.eq(stack.ok("intake", "pii.scan", {"text": ""})["matches"], [])
    # A rename is seen at once; the old name no longer is.
    stack.ok("intake", "participant.update", {"participant": "P2", "name": "Jan-Willem Smit"})
    names = [(x["kind"], x["participant"], x["text"])
             for x in stack.ok("intake", "pii.scan",
                               {"text": "Jan Willem Bakker en Jan-Willem Smit"})["matches"]]
    st.eq(names, [("possible_name", None, "Jan Willem Bakker"), ("name", "P2", "Jan-Willem Smit")])
    # After a crash the index is rebuilt from the store.
    stack.kill("intake")
    stack.start("intake")
    m = stack.ok("intake", "pii.scan", {"text": "Jan-Willem Smit, maria@example.nl"})["matches"]
    st.eq([(x["kind"], x["participant"]) for x in m], [("name", "P2"), ("email", "P1")])
    # Erased: no longer a participant's (the name is still shaped like one,
    # the e-mail and the phone number too).
    stack.ok("intake", "participant.erase", {"participant": "P1"})
    m = stack.ok("intake", "pii.scan",
                 {"text": "Maria van den Heuvel, maria@example.nl, 0612345678"})["matches"]
    st.eq([(x["kind"], x["participant"]) for x in m],
          [("possible_name", None), ("email", None), ("phone", None)])


@st.test(services=["finance", "intake"])
def refused_writes_never_reach_the_pii_index(stack):
    municipalities(stack)
    register(stack, name="Anna de Vries", email="anna@example.nl")
    # Refused for a duplicate e-mail after the name was checked: nothing of it stays.
    stack.refused("intake", "participant.register",
                  {"name": "Zacharias Oosterbroek", "email": "anna@example.nl", "consent": True},
                  "already_exists", "email")
    stack.refused("intake", "participant.update",
                  {"participant": "P1", "name": "Xaveria Pietersma", "municipality": "Utrecht"},
                  "invalid_argument", "municipality")
    m = stack.ok("intake", "pii.scan",
                 {"text": "Zacharias Oosterbroek en Xaveria Pietersma en Anna de Vries"})
    st.eq([x["text"] for x in m["matches"]], ["Anna de Vries"])


def register_many(stack, people, in_flight=16):
    """Register people (dicts) with several requests in flight, so that the
    service applies them in group-committed batches. Returns the replies."""
    socks = [stack.raw_client() for _ in range(in_flight)]
    poller = zmq.Poller()
    for s in socks:
        poller.register(s, zmq.POLLIN)
    replies, nxt, pending = [], 0, 0
    for s in socks:
        if nxt < len(people):
            s.send_multipart([b"MDPC02", b"\x01", b"intake", msgpack.packb(
                {"op": "participant.register", "args": people[nxt], "rid": f"many-{nxt}"})])
            nxt += 1
            pending += 1
    while pending:
        ready = poller.poll(10000)
        st.check(ready, "replies keep coming")
        for s, _ in ready:
            replies.append(msgpack.unpackb(s.recv_multipart()[3], raw=False))
            pending -= 1
            if nxt < len(people):
                s.send_multipart([b"MDPC02", b"\x01", b"intake", msgpack.packb(
                    {"op": "participant.register", "args": people[nxt], "rid": f"many-{nxt}"})])
                nxt += 1
                pending += 1
    for s in socks:
        s.close(0)
    return replies


@st.test(services=["finance", "intake"], config={"intake": {"map_size_mb": "1", "workers": "16"}})
def a_growing_store_redoes_batches_without_losing_or_doubling_anything(stack):
    # A 1 MiB map fills up many times over: each time the batch in hand is
    # undone and redone after the map grew. Every registration must land
    # exactly once, and the PII index (fed from committed data only) must
    # hold each person exactly once.
    municipalities(stack)
    people = [{"name": f"Persoon{i:04d} Achternaam{i:04d}", "email": f"p{i}@example.nl",
               "phone": f"06{30000000 + i}", "municipality": "GM0417",
               "target_groups": ["youth", f"group {i % 7}"], "consent": True}
              for i in range(600)]
    replies = register_many(stack, people)
    st.eq(sum(1 for r in replies if r["ok"]), 600)
    st.eq(sorted(int(r["data"]["id"][1:]) for r in replies), list(range(1, 601)))
    info = stack.ok("intake", "service.info")
    st.check(info["map_bytes"] > 1 << 20, f"the map grew ({info['map_bytes']} bytes)")
    st.eq(info["counts"]["participants"], 600)
    text = " ".join(f"Persoon{i:04d} Achternaam{i:04d}," for i in (0, 300, 599))
    m = stack.ok("intake", "pii.scan", {"text": text})["matches"]
    st.eq(len(m), 3)
    st.check(all(x["participant"] for x in m), "each name belongs to a participant")
    d = stack.ok("intake", "participant.find", {"target_group": "group 3", "limit": 500})
    st.eq(len(d["participants"]), len([i for i in range(600) if i % 7 == 3]))
    st.eq(len(stack.events("intake")), 600)


# ==== erasure and export ============================================================

def register_maria_everywhere(stack):
    municipalities(stack, followers=("intake", "scheduling", "reporting"))
    stack.ok("intake", "organisation.add", {"name": "Pleegzorg", "kind": "care_provider"})
    register(stack, channel="O1", **MARIA)
    register(stack, name="Kees Bos", email="kees@bos.nl")
    stack.ok("intake", "participant.update",
             {"participant": "P1", "phone": "+31 6 1234 5678", "target_groups": ["youth"]})
    stack.ok("intake", "advice.add",
             {"kind": "signal", "from": "P1", "received": "2020-02-03",
              "summary": "Maria van den Heuvel: the taxi never comes on time"})


@st.test(services=None)
def erase_then_export_shows_no_personal_field_in_any_service(stack):
    register_maria_everywhere(stack)
    before = stack.ok("intake", "participant.export", {"participant": "P1"}, timeout=15)
    st.eq(set(before["services"]), {"intake", "scheduling", "reporting", "finance"})
    st.eq(before["services"]["intake"]["participant"]["name"], "Maria van den Heuvel")
    st.eq(before["services"]["intake"]["channel"]["name"], "Pleegzorg")
    st.eq(len(before["services"]["intake"]["advice_sent"]), 1)
    e = stack.ok("intake", "participant.erase", {"participant": "P1"}, rid="e1")
    st.eq((e["id"], e["status"], e["already_erased"]), ("P1", "erased", False))
    # Erasing twice is not an error.
    e2 = stack.ok("intake", "participant.erase", {"participant": "P1"}, rid="e2")
    st.eq((e2["status"], e2["already_erased"]), ("erased", True))
    for svc in ("scheduling", "reporting", "finance"):
        st.wait_until(lambda: caught_up(stack, svc, "intake"), what=f"{svc} to follow intake")
    after = stack.ok("intake", "participant.export", {"participant": "P1"}, timeout=15)
    no_pii(after, MARIA_PII, "export after erasure")
    p = after["services"]["intake"]["participant"]
    st.eq((p["status"], p["name"], p["email"], p["phone"], p["postal_code"], p["birth_year"]),
          ("erased", None, None, None, None, None))
    # What stays serves the statistics.
    st.eq((p["municipality"], p["target_groups"], p["channel"]), ("GM0402", ["youth"], "O1"))
    st.check(p["age_band"] != "unknown", "the age band is kept")
    st.eq(after["services"]["intake"]["advice_sent"], [])
    a = stack.ok("intake", "advice.get", {"advice": "A1"})
    st.eq((a["from"], a["from_erased"], a["summary"]), (None, True, None))
    # Every other service answers, or is marked unavailable (never a failure).
    for svc in ("scheduling", "reporting", "finance"):
        part = after["services"][svc]
        st.check(isinstance(part, dict), f"{svc} part is a map")
    # Gone from find, from the duplicate check, from the name index.
    st.eq(stack.ok("intake", "participant.find", {"name": "heuvel"})["participants"], [])
    st.eq(stack.ok("intake", "participant.find", {"email": "maria.heuvel@example.nl",
                                                  "status": "erased"})["participants"], [])
    register(stack, name="Maria van den Heuvel", email="Maria.Heuvel@example.nl",
             phone="0612345678")
    # The erased record keeps its place in the statistics by status.
    ers = stack.ok("intake", "participant.find", {"status": "erased"})["participants"]
    st.eq([(r["id"], r["name"]) for r in ers], [("P1", None)])


@st.test(services=["finance", "intake"])
def erased_personal_fields_are_gone_from_every_database_of_the_store(stack):
    municipalities(stack)
    stack.ok("intake", "organisation.add", {"name": "Pleegzorg", "kind": "care_provider"})
    register(stack, rid="r1", channel="O1", **MARIA)
    stack.ok("intake", "participant.update", {"participant": "P1", "name": "Maria Heuvel-Smit"},
             rid="r2")
    stack.ok("intake", "advice.add", {"kind": "signal", "from": "P1", "summary":
                                      "Maria Heuvel-Smit asks for a ramp"}, rid="r3")
    stack.ok("intake", "participant.erase", {"participant": "P1"}, rid="r4")
    # Read every database of the live store (the current data, as LMDB
    # serves it): no name, e-mail, phone or postal code anywhere, the stored
    # replies of idempotent requests and the event log included.
    out = subprocess.run(["mdb_dump", "-a", "-p", stack.data_dir("intake")],
                         capture_output=True, text=True, errors="replace", timeout=30)
    st.eq(out.returncode, 0, "mdb_dump: " + out.stderr)
    st.check("participants" in out.stdout and "p_name" in out.stdout, "all databases dumped")
    no_pii(out.stdout, MARIA_PII + ["Smit", "smit", "ramp"], "intake's store after erasure")


@st.test(services=None)
def no_event_ever_emitted_holds_an_erased_persons_name_email_or_phone(stack):
    register_maria_everywhere(stack)
    stack.ok("intake", "participant.withdraw", {"participant": "P1"})
    stack.ok("intake", "participant.erase", {"participant": "P1"})
    for svc in ("scheduling", "reporting", "finance"):
        st.wait_until(lambda: caught_up(stack, svc, "intake"), what=f"{svc} to follow intake")
    total = 0
    for svc in st.ALL:
        events = stack.events(svc, after=0)
        total += len(events)
        for ev in events:
            no_pii(msgpack.packb(ev), MARIA_PII + ["+31612345678"], f"{svc} event {ev['seq']}")
    st.check(total >= 8, f"events were read from seq 1 ({total})")
    ev = [e for e in stack.events("intake") if e["type"] == "intake.participant.erased"]
    st.eq([e["data"] for e in ev], [{"id": "P1"}])


@st.test(services=["finance", "intake"])
def export_marks_services_that_are_down_and_keeps_its_shape(stack):
    municipalities(stack)
    register(stack, name="Kees Bos")
    d = stack.ok("intake", "participant.export", {"participant": "P1"}, timeout=15)
    st.eq(sorted(d), ["exported_at", "participant", "services"])
    st.eq(d["participant"], "P1")
    st.eq(sorted(d["services"]), ["finance", "intake", "reporting", "scheduling"])
    st.eq(sorted(d["services"]["intake"]), ["accessed_by", "advice_sent", "channel", "participant"])
    # Who accessed the person's data (GDPR art. 15): the registration itself.
    st.eq([(a["op"], a["outcome"]) for a in d["services"]["intake"]["accessed_by"]],
          [("participant.register", "ok")], "intake's part says who accessed the data")
    for svc in ("scheduling", "reporting"):      # not running in this stack
        st.check(set(d["services"][svc]) == {"unavailable"},
                 f"{svc} is marked unavailable: {d['services'][svc]!r}")
    # finance runs: it answers its part, or is marked unavailable when it
    # lacks the op; either way the export as a whole succeeds.
    st.check(isinstance(d["services"]["finance"], dict), "finance part")
    # The service stayed registered with the broker while it waited.
    st.eq(stack.mmi("intake"), "200")
    st.eq(stack.ok("intake", "participant.get", {"participant": "P1"})["name"], "Kees Bos")
    stack.refused("intake", "participant.export", {"participant": "P2"}, "not_found",
                  "participant")


@st.test(services=["finance", "intake"], start=False)
def settings_are_checked_at_start(stack):
    stack.config = {"intake": {"answer_period": "6x"}}
    stack.write_config()
    stack.start("broker")
    p = stack.start("intake", wait=False)
    rc = p.wait(timeout=20)
    p._expected_rc = 2
    st.eq(rc, 2)
    st.check("intake/answer_period" in stack.log("intake"), "the setting is named")
    stack.config = {"intake": {"overdue_check_ms": "10"}}
    stack.write_config()
    p = stack.start("intake", wait=False)
    rc = p.wait(timeout=20)
    p._expected_rc = 2
    st.eq(rc, 2)
    st.check("intake/overdue_check_ms" in stack.log("intake"), "the setting is named")
    stack.config = {"intake": {"answer_period": "4w", "evaluation_period": "3m",
                               "overdue_check_ms": "60000"}}
    stack.write_config()
    stack.start("intake")
    a = stack.ok("intake", "advice.add", {"kind": "signal", "summary": "x",
                                          "received": "2020-01-01"})
    st.eq((a["answer_due"], a["answer_period"], a["evaluation_period"]),
          ("2020-01-29", "4w", "3m"))


if __name__ == "__main__":
    st.main()
