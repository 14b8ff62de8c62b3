#!/usr/bin/python3
"""Acceptance tests through samenctl against a running stack: the
programme's own people, owners and deputies and a leave that hands
everything over (samenctl person ...), and the yardstick (samenctl
yardstick / decision / report passage / report annual).

The region's situation: the project leader of the Wmo-taxi evaluation and
of suicide prevention leaves; the coordinator is deputy on the taxi, nobody
on suicide prevention; a policy officer takes over when named."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

NL = {"samen": {"locale": "nl"}}


def ctl(stack, *args, rc=0):
    code, out, err = stack.ctl("--config", stack.cfg_path, *args)
    st.eq(code, rc, f"samenctl {' '.join(args)} exit code (stderr: {err.strip()})\n{out}")
    return out, err


def caught_up(stack, services=("scheduling", "reporting", "finance"), source="intake"):
    want = stack.ok(source, "service.info")["last_seq"]
    st.wait_until(lambda: all(stack.ok(s, "service.info")["following"].get(source, 0) >= want
                              for s in services), 15, f"{services} to follow {source}")


def the_programme(stack):
    """Three of the programme's people and their items, through samenctl."""
    out, _ = ctl(stack, "person", "add", "Jan de Vries", "--role", "projectleider",
                 "--email", "j.devries@example.nl")
    st.eq(out, "W1 added (project_leader)\n")
    ctl(stack, "person", "add", "Els Bos", "--role", "coordinator")
    ctl(stack, "person", "add", "Anna Smit", "--role", "beleidsmedewerker")
    caught_up(stack)
    ctl(stack, "theme", "add", "Wmo-taxi", "--domain", "social_support", "--year", "2020",
        "--leader", "J. de Vries", "--owner", "W1", "--deputy", "W2")
    ctl(stack, "theme", "add", "Suïcidepreventie", "--domain", "health", "--year", "2020",
        "--owner", "w1")
    ctl(stack, "theme", "add", "Pleegouders", "--domain", "youth", "--year", "2020")
    ctl(stack, "advice", "add", "--kind", "unsolicited_advice", "--summary",
        "Make the taxi bookable by phone", "--owner", "W1", "--deputy", "W3")
    ctl(stack, "grant", "pool-add", "--kind", "city_wide", "--year", "2020", "--amount", "5000")
    ctl(stack, "grant", "apply", "--pool", "K1", "--initiative", "Wandelgroep", "--applicant",
        "O1", "--requested", "500", "--intended-result", "samen wandelen", "--owner", "W1")
    ctl(stack, "session", "plan", "--theme", "T1", "--method", "FG", "--period", "2020-Q2")
    caught_up(stack, ("reporting",), "scheduling")
    ctl(stack, "outcome", "add", "T1", "--sessions", "S1", "--brought-in",
        "Chauffeurs komen te laat", "--owner", "W1")


@st.test()
def a_project_leader_leaves_and_samenctl_lists_what_went_where_and_what_has_no_owner(stack):
    the_programme(stack)
    # Who owns what.
    out, _ = ctl(stack, "theme", "list", "--owner", "W1")
    st.eq([line.split()[0] for line in out.splitlines()[1:]], ["T1", "T2"], out)
    out, _ = ctl(stack, "theme", "list", "--owner", "none")
    st.eq([line.split()[0] for line in out.splitlines()[1:]], ["T3"], out)
    out, _ = ctl(stack, "advice", "list", "--owner", "W1")
    st.check(out.splitlines()[1].startswith("A1 ") and out.splitlines()[1].endswith("W1"), out)
    out, _ = ctl(stack, "grant", "list", "--owner", "W1", "--format", "csv")
    st.eq([r.split(",")[0] for r in out.splitlines()[1:]], ["G1"], out)
    out, _ = ctl(stack, "outcome", "list", "--owner", "W1")
    st.check("U1" in out, out)
    out, _ = ctl(stack, "person", "list")
    st.eq([line.split()[:2] for line in out.splitlines()[1:]],
          [["W1", "Jan"], ["W2", "Els"], ["W3", "Anna"]], out)
    out, _ = ctl(stack, "person", "show", "jan de vries")
    st.check("role" in out and "project_leader" in out and "j.devries@example.nl" in out, out)
    # The leave, by name: it waits until every service has handed over.
    out, _ = ctl(stack, "person", "leave", "Jan de Vries", "--date", "2020-09-01")
    lines = out.splitlines()
    st.eq(lines[0], "W1 left on 2020-09-01; what they had open went to each item's deputy.")
    st.eq(lines[1].split(), ["SERVICE", "ITEM", "KIND", "WAS", "HANDED", "TO", "OWNER", "NOW",
                             "DEPUTY", "NOW"])
    st.eq([line.split() for line in lines[2:7]],
          [["intake", "A1", "advice", "owner", "W3", "W3"],
           ["scheduling", "T1", "theme", "owner", "W2", "W2"],
           ["scheduling", "T2", "theme", "owner"],
           ["reporting", "U1", "outcome", "owner"],
           ["finance", "G1", "grant", "owner"]], out)
    st.eq(lines[7:], ["",
                      "3 items had no deputy and have no owner now; give each one:",
                      "  samenctl theme update T2 --owner W…",
                      "  samenctl outcome update U1 --owner W…",
                      "  samenctl grant assign G1 --owner W…"])
    # The same list later, and for scripts.
    out, _ = ctl(stack, "person", "handover", "W1")
    st.eq(out.splitlines()[2:7], lines[2:7])
    out, _ = ctl(stack, "--json", "person", "handover", "W1")
    h = json.loads(out)
    st.eq((h["complete"], h["without_owner"]), (True, ["T2", "U1", "G1"]))
    # The orphans get an owner; one who left cannot be given one.
    out, err = ctl(stack, "grant", "assign", "G1", "--owner", "W1", rc=1)
    st.check("has left the programme" in err, err)
    out, _ = ctl(stack, "grant", "assign", "G1", "--owner", "W3", "--deputy", "W2")
    st.eq(out, "G1: owner W3, deputy W2\n")
    out, _ = ctl(stack, "advice", "assign", "A1", "--deputy", "W2")
    st.eq(out, "A1: owner W3, deputy W2\n")
    # A second leave with a named successor.
    out, _ = ctl(stack, "person", "leave", "W2", "--handover-to", "Anna Smit")
    st.eq(out.splitlines()[0],
          f"W2 left on {out.splitlines()[0].split()[3][:-1]}; what they had open went to W3.")
    st.check("no owner now" not in out, out)
    out, _ = ctl(stack, "theme", "show", "T1")
    st.check("owner " in out and " W3\n" in out, out)
    # Usage and refusals.
    ctl(stack, "person", "leave", rc=2)
    _, err = ctl(stack, "person", "leave", "W1", rc=1)
    st.check("left on 2020-09-01 already" in err, err)
    _, err = ctl(stack, "theme", "update", "T3", "--owner", "Jan", rc=1)
    st.check("owner" in err and "W3" in err, err)


@st.test(config=NL)
def the_yardstick_is_filled_in_per_theme_and_decision_and_read_in_dutch(stack):
    ctl(stack, "theme", "add", "Wmo-taxi", "--domain", "Wmo", "--year", "2020")
    ctl(stack, "theme", "add", "Suïcidepreventie", "--domain", "gezondheid", "--year", "2020")
    caught_up(stack, ("reporting",), "scheduling")
    out, _ = ctl(stack, "yardstick", "checklist")
    st.eq([line.split(None, 1) for line in out.splitlines()],
          [["NR", "PRINCIPE"], ["1", "De mens staat centraal"],
           ["2", "We geven en vragen vertrouwen"],
           ["3", "De invloed van de praktijk en het beleid zijn gelijkwaardig"],
           ["4", "We baseren ons op feiten en onderzoek"], ["5", "We werken resultaatgericht"],
           ["6", "We leren en verbeteren"]])
    out, _ = ctl(stack, "yardstick", "record", "T1", "--principle", "1", "--score", "ja",
                 "--note", "Gebruikers kozen zelf de vragen")
    st.eq(out.splitlines()[0], "T1 Wmo-taxi: 1 van 6 principes ingevuld")
    ctl(stack, "yardstick", "record", "T1", "--scores", "ja,deels,nee,ja,ja,deels")
    out, _ = ctl(stack, "yardstick", "show", "T1")
    st.eq(out.splitlines()[0], "T1 Wmo-taxi: 6 van 6 principes ingevuld")
    st.check(out.splitlines()[2].split() == ["1", "De", "mens", "staat", "centraal", "ja",
                                             "Gebruikers", "kozen", "zelf", "de", "vragen"], out)
    out, _ = ctl(stack, "decision", "add", "T1", "--title", "Besluit evaluatie Wmo-taxi",
                 "--date", "12-03-2020", "--reference", "PHO 12-03-2020 nr. 5")
    st.check(out.startswith("D1 "), out)
    ctl(stack, "yardstick", "record", "D1", "--principle", "6", "--score", "nee", "--note",
        "Geen evaluatie gepland")
    # The passage for the decision carries its yardstick.
    out, _ = ctl(stack, "report", "passage", "T1", "--decision", "D1")
    st.check(out.endswith("**Meetlat:**\n\n"
                          "- De mens staat centraal: **niet ingevuld**.\n"
                          "- We geven en vragen vertrouwen: **niet ingevuld**.\n"
                          "- De invloed van de praktijk en het beleid zijn gelijkwaardig: "
                          "**niet ingevuld**.\n"
                          "- We baseren ons op feiten en onderzoek: **niet ingevuld**.\n"
                          "- We werken resultaatgericht: **niet ingevuld**.\n"
                          "- We leren en verbeteren: **nee**. Geen evaluatie gepland.\n"), out)
    # The yearly overview: a row per theme.
    out, _ = ctl(stack, "report", "annual", "--year", "2020")
    st.check("| Wmo-taxi (T1) | ja | deels | nee | ja | ja | deels |\n"
             "| Suïcidepreventie (T2) | – | – | – | – | – | – |\n" in out, out)
    # What is still to be filled in.
    out, _ = ctl(stack, "yardstick", "missing", "--year", "2020")
    lines = out.splitlines()
    st.eq(lines[0], "Onderwerpen waarvan de meetlat niet is ingevuld (van 6 principes):")
    st.eq(lines[2].split(), ["T2", "Suïcidepreventie", "0"])
    st.eq(lines[4], "Besluiten waarvan de meetlat niet is ingevuld (van 6 principes):")
    st.eq(lines[6].split()[:3], ["D1", "T1", "2020-03-12"])
    out, _ = ctl(stack, "decision", "list")
    st.check(out.splitlines()[1].split()[:3] == ["D1", "T1", "2020-03-12"], out)
    # In English for --locale en; refusals.
    out, _ = ctl(stack, "--locale", "en", "yardstick", "show", "D1")
    st.eq(out.splitlines()[0], "D1 Besluit evaluatie Wmo-taxi: 1 of 6 principles filled in")
    st.check("We learn and improve" in out and "no" in out, out)
    _, err = ctl(stack, "yardstick", "record", "T1", "--principle", "1", "--score", "misschien",
                 rc=2)
    _, err = ctl(stack, "yardstick", "record", "T1", "--principle", "9", "--score", "ja", rc=1)
    st.check("9" in err, err)


if __name__ == "__main__":
    st.main()
