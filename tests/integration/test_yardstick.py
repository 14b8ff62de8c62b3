#!/usr/bin/python3
"""The yardstick (meetlat) through the broker: recorded per theme or per
decision, shown in the decision passage and the yearly overview in Dutch,
what was not filled in, and a checklist configured in samen.cfg
(services/reporting/yardstick.h). The samenctl acceptance tests are in
test_owners_cli.py."""
import os
import sys

import msgpack

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

NL = {"samen": {"locale": "nl"}}


def caught_up(stack, source="scheduling", timeout=15):
    want = stack.ok(source, "service.info")["last_seq"]
    st.wait_until(lambda: stack.ok("reporting", "service.info")["following"].get(source, 0)
                  >= want, timeout, f"reporting to apply {source}'s events")


def themes(stack):
    t1 = stack.ok("scheduling", "theme.add", {"title": "Wmo-taxi", "domain": "social_support",
                                              "years": [2019, 2020]})["id"]
    t2 = stack.ok("scheduling", "theme.add", {"title": "Suïcidepreventie", "domain": "health",
                                              "years": [2020]})["id"]
    stack.ok("scheduling", "theme.add", {"title": "Later", "domain": "health", "years": [2020],
                                         "status": "proposed"})
    stack.ok("scheduling", "theme.add", {"title": "Gestopt", "domain": "health", "years": [2020],
                                         "status": "dropped"})
    caught_up(stack)
    return t1, t2


def with_checklist(stack, count, principles):
    """Rewrite the reporting section of the stack's samen.cfg with a
    checklist of its own: count, and the texts given ({slot: (nl, en)},
    None for a language not given)."""
    lines = open(stack.cfg_path).read().splitlines()
    at = lines.index("reporting") + 1
    extra = ["    yardstick", f"        count = {count}"]
    for slot, (nl, en) in sorted(principles.items()):
        extra.append(f"        {slot}")
        extra += [f'            nl = "{nl}"'] if nl else []
        extra += [f'            en = "{en}"'] if en else []
    lines[at:at] = extra
    with open(stack.cfg_path, "w") as f:
        f.write("\n".join(lines) + "\n")


@st.test(config=NL)
def the_yardstick_of_a_theme_and_of_a_decision_is_in_the_passage_and_the_overview(stack):
    t1, t2 = themes(stack)
    ch = stack.ok("reporting", "yardstick.checklist")
    st.eq([p["text"] for p in ch["principles"]],
          ["De mens staat centraal", "We geven en vragen vertrouwen",
           "De invloed van de praktijk en het beleid zijn gelijkwaardig",
           "We baseren ons op feiten en onderzoek", "We werken resultaatgericht",
           "We leren en verbeteren"])
    st.eq(ch["principles"][0]["en"], "People are central")
    # One principle at a time, in Dutch words; then all at once.
    y = stack.ok("reporting", "yardstick.record",
                 {"subject": t1, "principle": 1, "score": "ja",
                  "note": "Gebruikers kozen zelf de vragen."})
    st.eq((y["answered"], y["of"], y["complete"]), (1, 6, False))
    st.eq((y["principles"][0]["score"], y["principles"][0]["score_text"],
           y["principles"][0]["note"]), ("yes", "ja", "Gebruikers kozen zelf de vragen."))
    st.eq(y["principles"][1]["score_text"], "niet ingevuld")
    y = stack.ok("reporting", "yardstick.record",
                 {"subject": t1, "scores": ["ja", "deels", "nee", "yes", "partly", "no"]})
    st.eq([p["score"] for p in y["principles"]], ["yes", "partly", "no", "yes", "partly", "no"])
    st.eq(y["principles"][0]["note"], "Gebruikers kozen zelf de vragen.", "the note stays")
    st.eq(y["complete"], True)
    stack.ok("reporting", "yardstick.record", {"subject": t1, "principle": 2, "note": ""})
    # A decision on the theme has a yardstick of its own.
    d = stack.ok("reporting", "decision.add", {"theme": t1, "title": "Besluit evaluatie Wmo-taxi",
                                               "date": "2020-03-12",
                                               "reference": "PHO 12-03-2020 nr. 5"})
    st.eq((d["id"], d["answered"], d["complete"]), ("D1", 0, False))
    stack.ok("reporting", "yardstick.record", {"subject": "d1", "principle": 6, "score": "nee",
                                               "note": "Geen evaluatie gepland."})
    # The passage for the decision: its own yardstick, all principles.
    text = stack.ok("reporting", "report.passage", {"theme": t1, "decision": "D1"})["text"]
    st.check(text.endswith("**Meetlat:**\n\n"
                           "- De mens staat centraal: **niet ingevuld**.\n"
                           "- We geven en vragen vertrouwen: **niet ingevuld**.\n"
                           "- De invloed van de praktijk en het beleid zijn gelijkwaardig: "
                           "**niet ingevuld**.\n"
                           "- We baseren ons op feiten en onderzoek: **niet ingevuld**.\n"
                           "- We werken resultaatgericht: **niet ingevuld**.\n"
                           "- We leren en verbeteren: **nee**. Geen evaluatie gepland.\n"), text)
    # The theme's passage: the theme's yardstick; a theme without one, none.
    text = stack.ok("reporting", "report.passage", {"theme": t1})["text"]
    st.check("- De mens staat centraal: **ja**. Gebruikers kozen zelf de vragen.\n" in text, text)
    st.check("- We geven en vragen vertrouwen: **deels**.\n" in text, text)
    st.check("Meetlat" not in stack.ok("reporting", "report.passage", {"theme": t2})["text"],
             "a theme without a yardstick: none in its passage")
    html = stack.ok("reporting", "report.passage", {"theme": t1, "format": "html"})["text"]
    st.check("<strong>Meetlat:</strong>" in html and "<li>De mens staat centraal: <strong>ja"
             in html, html)
    # The yearly overview: a row per theme, "–" where nothing is filled in.
    md = stack.ok("reporting", "report.annual", {"year": 2020})["text"]
    st.check("\n## Meetlat\n\n| Project | 1 | 2 | 3 | 4 | 5 | 6 |\n|---|---|---|---|---|---|---|\n"
             "| Wmo-taxi (T1) | ja | deels | nee | ja | deels | nee |\n"
             "| Suïcidepreventie (T2) | – | – | – | – | – | – |\n" in md, md)
    st.check("1. De mens staat centraal\n" in md and "– niet ingevuld\n" in md, md)
    html = stack.ok("reporting", "report.annual", {"year": 2020, "format": "html"})["text"]
    st.check("<h2>Meetlat</h2>" in html and "<td>Wmo-taxi (T1)</td><td>ja</td>" in html, html)
    # A year whose themes have none: no such section.
    stack.ok("scheduling", "theme.add", {"title": "Jeugd", "domain": "youth", "years": [2018]})
    caught_up(stack)
    st.check("Meetlat" not in stack.ok("reporting", "report.annual", {"year": 2018})["text"],
             "no yardstick section without one")
    # English for a request in English ("lang", PROTOCOL.md).
    raw = stack.client.request("reporting", msgpack.packb(
        {"op": "report.passage", "args": {"theme": t1, "decision": "D1"}, "lang": "en"}), 5.0)
    text = msgpack.unpackb(raw, raw=False)["data"]["text"]
    st.check(text.endswith("**Yardstick:**\n\n- People are central: **not filled in**.\n"
                           "- We give and ask for trust: **not filled in**.\n"
                           "- Practice and policy have equal influence: **not filled in**.\n"
                           "- We base ourselves on facts and research: **not filled in**.\n"
                           "- We work towards results: **not filled in**.\n"
                           "- We learn and improve: **no**. Geen evaluatie gepland.\n"), text)
    # Events: IDs and counts, no notes.
    evs = [e["data"] for e in stack.events("reporting")
           if e["type"] == "reporting.yardstick.recorded"]
    st.eq(evs[-1], {"subject": "D1", "theme": "T1", "answered": 1, "of": 6})
    st.eq([e["data"] for e in stack.events("reporting") if e["type"] == "reporting.decision.added"],
          [{"id": "D1", "theme": "T1", "date": "2020-03-12"}])
    # Refusals name the field.
    r = stack.refused
    r("reporting", "yardstick.record", {"subject": t1, "principle": 7, "score": "ja"},
      "invalid_argument", "principle")
    r("reporting", "yardstick.record", {"subject": t1, "principle": 1}, "invalid_argument", "score")
    r("reporting", "yardstick.record", {"subject": t1, "score": "ja"}, "invalid_argument",
      "principle")
    r("reporting", "yardstick.record", {"subject": t1, "principle": 1, "score": "misschien"},
      "invalid_argument", "score")
    r("reporting", "yardstick.record", {"subject": t1, "scores": ["ja", "nee"]},
      "invalid_argument", "scores")
    r("reporting", "yardstick.record", {"subject": t1, "scores": ["ja"] * 6, "note": "x"},
      "invalid_argument", "scores")
    r("reporting", "yardstick.record", {"subject": "P1", "principle": 1, "score": "ja"},
      "invalid_argument", "subject")
    r("reporting", "yardstick.record", {"subject": "T99", "principle": 1, "score": "ja"},
      "not_found", "subject")
    r("reporting", "yardstick.show", {"subject": "D9"}, "not_found", "subject")
    r("reporting", "decision.add", {"theme": "T99", "title": "X"}, "not_found", "theme")
    r("reporting", "decision.add", {"theme": t1, "title": "   "}, "invalid_argument", "title")
    r("reporting", "report.passage", {"theme": t2, "decision": "D1"}, "invalid_argument",
      "decision")


@st.test()
def what_was_not_filled_in_is_listed_per_year(stack):
    t1, t2 = themes(stack)
    stack.ok("reporting", "decision.add", {"theme": t1, "title": "Besluit A", "date": "2020-02-01"})
    stack.ok("reporting", "decision.add", {"theme": t2, "title": "Besluit B", "date": "2020-06-01"})
    stack.ok("reporting", "decision.add", {"theme": t2, "title": "Besluit C", "date": "2019-06-01"})
    stack.ok("reporting", "yardstick.record", {"subject": t1, "scores": ["yes"] * 6})
    stack.ok("reporting", "yardstick.record", {"subject": "D2", "principle": 3, "score": "no"})
    m = stack.ok("reporting", "yardstick.missing", {"year": 2020})
    st.eq((m["year"], m["of"]), (2020, 6))
    # Proposed and dropped themes are not asked for; T1 is complete.
    st.eq([(t["id"], t["answered"]) for t in m["themes"]], [("T2", 0)])
    st.eq([(d["id"], d["theme"], d["date"], d["answered"]) for d in m["decisions"]],
          [("D1", "T1", "2020-02-01", 0), ("D2", "T2", "2020-06-01", 1)])
    m = stack.ok("reporting", "yardstick.missing", {})
    st.eq([d["id"] for d in m["decisions"]], ["D1", "D2", "D3"])
    st.eq(m["year"], None)
    lst = stack.ok("reporting", "decision.list", {"theme": t2})
    st.eq([(d["id"], d["answered"], d["complete"]) for d in lst["decisions"]],
          [("D2", 1, False), ("D3", 0, False)])
    st.eq([d["id"] for d in stack.ok("reporting", "decision.list", {"year": 2019})["decisions"]],
          ["D3"])


@st.test(start=False)
def a_checklist_of_its_own_replaces_the_manifesto(stack):
    with_checklist(stack, 4, {1: ("Inwoners beslissen mee", "Residents decide too"),
                              2: ("We koppelen terug", None), 4: (None, "We publish")})
    stack.up()
    ch = stack.ok("reporting", "yardstick.checklist")
    # A text in one language serves both; a principle given in neither
    # keeps the manifesto's.
    st.eq([(p["nl"], p["en"]) for p in ch["principles"]],
          [("Inwoners beslissen mee", "Residents decide too"),
           ("We koppelen terug", "We koppelen terug"),
           ("De invloed van de praktijk en het beleid zijn gelijkwaardig",
            "Practice and policy have equal influence"), ("We publish", "We publish")])
    t = stack.ok("scheduling", "theme.add", {"title": "Wmo-taxi", "domain": "social_support",
                                             "years": [2020]})["id"]
    caught_up(stack)
    stack.refused("reporting", "yardstick.record", {"subject": t, "scores": ["yes"] * 6},
                  "invalid_argument", "scores")
    y = stack.ok("reporting", "yardstick.record", {"subject": t, "scores": ["yes"] * 4})
    st.eq((y["answered"], y["of"], y["complete"]), (4, 4, True))


def refused_at_start(stack, setting, words):
    stack.start("broker")
    p = stack.start("reporting", wait=False)
    p._expected_rc = 2
    st.eq(p.wait(timeout=20), 2)
    log = stack.log("reporting")
    st.check(setting in log and words in log, log[-600:])


@st.test(start=False)
def a_principle_without_text_stops_reporting_at_start(stack):
    with_checklist(stack, 7, {1: ("Een", "One")})
    refused_at_start(stack, "reporting/yardstick/7/nl", "has no text")


@st.test(start=False)
def a_principle_beyond_the_count_stops_reporting_at_start(stack):
    with_checklist(stack, 2, {5: ("Vijf", None)})
    refused_at_start(stack, "reporting/yardstick/5/nl", "reporting/yardstick/count")


if __name__ == "__main__":
    st.main()
