#!/usr/bin/python3
"""The programme's documents in Dutch, built from the demo year, against golden files.

A stack whose samen.cfg says `locale = "nl"` (as the shipped one does) loads the
demo year (tools/demo_data.py, scaled down to SAMEN_DOCS_PARTICIPANTS, default
60, as in test_end_to_end.py; the services' today is 2020-09-01). samenctl,
reading the same samen.cfg, then asks for every document a person reads, and
each must equal its golden file in tests/golden/nl/ byte for byte: the grid,
the agenda for the portfolio holders, the yearly overview, a passage for a
decision document, the youth report with its letter and infographic, a
municipality's page, the calendar and what is late. The golden files were
read and reviewed by a person; when a document changes on purpose, run with
SAMEN_UPDATE_GOLDEN=1 to rewrite them, then read the diff before committing.

Also: no English heading of the old documents is left in any of them, HTML
declares lang="nl", a request without "lang" gets the service's own language,
and English stays available with --locale en.
"""
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))

TODAY = "2020-09-01"
os.environ["SAMEN_TODAY"] = TODAY

import samentest as st  # noqa: E402

N = int(os.environ.get("SAMEN_DOCS_PARTICIPANTS", "60"))
GOLDEN = os.path.join(ROOT, "tests", "golden", "nl")
UPDATE = os.environ.get("SAMEN_UPDATE_GOLDEN") == "1"

# name of the golden file, samenctl arguments
DOCUMENTS = [
    ("grid.txt", ["agenda", "grid", "--from", "2019-10", "--to", "2020-06"]),
    ("grid.md", ["agenda", "grid", "--from", "2019-10", "--to", "2020-06", "--format", "md"]),
    ("grid.html", ["agenda", "grid", "--from", "2019-10", "--to", "2020-06", "--format", "html"]),
    ("grid.csv", ["agenda", "grid", "--from", "2019-10", "--to", "2020-06", "--format", "csv"]),
    ("agenda-pho.md", ["agenda", "overview", "--from", "2019-10", "--to", "2020-06"]),
    ("agenda-pho.html", ["agenda", "overview", "--from", "2019-10", "--to", "2020-06",
                         "--format", "html"]),
    ("agenda-pho.csv", ["agenda", "overview", "--from", "2019-10", "--to", "2020-06",
                        "--format", "csv"]),
    ("jaaroverzicht-2019.md", ["report", "annual", "--year", "2019"]),
    ("jaaroverzicht-2019.html", ["report", "annual", "--year", "2019", "--format", "html"]),
    ("jaaroverzicht-2019.csv", ["report", "annual", "--year", "2019", "--format", "csv"]),
    ("passage-T4.md", ["report", "passage", "T4"]),
    ("passage-T1-2019.html", ["report", "passage", "T1", "--year", "2019", "--format", "html"]),
    ("ceo-jeugd-2019.md", ["report", "youth", "--year", "2019"]),
    ("ceo-jeugd-2019.html", ["report", "youth", "--year", "2019", "--format", "html"]),
    ("raadsbrief-ceo-jeugd-2019.md", ["report", "youth", "--year", "2019", "--letter"]),
    ("raadsbrief-ceo-jeugd-2019.html", ["report", "youth", "--year", "2019", "--letter",
                                        "--format", "html"]),
    ("infographic-ceo-jeugd-2019.svg", ["report", "youth", "--year", "2019", "--infographic"]),
    ("huizen-2019.md", ["report", "municipality", "Huizen", "--year", "2019"]),
    ("huizen-2019.html", ["report", "municipality", "Huizen", "--year", "2019", "--format", "html"]),
    ("eemnes-2019.md", ["report", "municipality", "GM0317", "--year", "2019"]),
    ("kalender.ics", ["session", "list", "--format", "ics"]),
]

# Headings, labels and words of the English documents: none may be left in
# a Dutch one. (Whole words, case-sensitive where a word is also Dutch.)
ENGLISH = [
    "Yearly overview", "Projects 20", "Form and central question", "Outcome and what",
    "Follow-up", "Central question", "Brought in", "What was done", "Status:",
    "How the residents", "Main input", "No sessions", "nothing yet", "none recorded",
    "not adopted", "in progress", "Youth client experience", "How the experiences",
    "Findings and what", "Methods:", "Themes:", "General", "Due at", "draft.",
    "submitted on", "adopted on", "Ministry", "overdue", "session", "sessions",
    "participants", "attendances", "focus group", "mirror meeting", "survey",
    "sounding-board", "work visit", "test session", "network meeting", "Theme",
    "Oct19", "Mar20", "May20", "tentative", "not yet fixed", "Codes:", "Planning grid",
    "Letter to", "Dear council", "Yours sincerely", "Subject to decision",
    "Project leader", "Date/period", "Support by", "What happened with", "Contributions",
    "Invoice", "Paid", "Reports", "residents of", "young people", "parents",
    "Among them", "took part", "recorded", "lang=\"en\"", "EUR ", "foster parents",
    "refugees", "informal carers",
]


def scrub(name, text):
    """Hide what changes from run to run: a calendar's DTSTAMP (the time of
    the request)."""
    if name.endswith(".ics"):
        text = re.sub(r"DTSTAMP:\d{8}T\d{6}Z", "DTSTAMP:(time of the request)", text)
    return text


def english_left(text):
    """The English words of ENGLISH found in text (whole words)."""
    found = []
    for w in ENGLISH:
        if re.search(r"(?<![A-Za-z])" + re.escape(w) + r"(?![A-Za-z])", text):
            found.append(w)
    return found


def load_demo(stack):
    journal = os.path.join(stack.dir, "demo.journal")
    p = subprocess.run(
        ["/usr/bin/python3", os.path.join(ROOT, "tools", "demo_data.py"), "--samenctl",
         os.path.join(st.BIN, "samenctl"), "--broker", stack.broker_ep, "--participants", str(N),
         "--journal", journal, "--timeout", "5000", "--quiet"],
        capture_output=True, text=True, cwd=ROOT, timeout=1500)
    st.check(p.returncode == 0, f"the demo year loads: {p.stdout[-800:]} {p.stderr[-1500:]}")


@st.test(config={"samen": {"locale": "nl"}})
def the_demo_years_documents_are_dutch_and_as_reviewed(stack):
    load_demo(stack)
    os.makedirs(GOLDEN, exist_ok=True)
    problems = []
    for name, argv in DOCUMENTS:
        # samenctl reads the language from the same samen.cfg as the services.
        rc, out, err = stack.ctl("--config", stack.cfg_path, *argv)
        st.check(rc == 0, f"samenctl {' '.join(argv)}: exit {rc}: {err}")
        text = scrub(name, out)
        path = os.path.join(GOLDEN, name)
        if UPDATE:
            with open(path, "w") as f:
                f.write(text)
        try:
            with open(path) as f:
                want = f.read()
        except FileNotFoundError:
            problems.append(f"{name}: no golden file (run with SAMEN_UPDATE_GOLDEN=1)")
            continue
        if text != want:
            diff = "".join(list(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                                     "golden/" + name, "now/" + name))[:40])
            problems.append(f"{name} differs from its golden file:\n{diff}")
        left = english_left(text)
        if left:
            problems.append(f"{name} still has English: {left}")
        if name.endswith(".html"):
            st.check('<html lang="nl">' in text, f"{name} declares lang=\"nl\"")
            st.check("@media print" in text and "size: A4" in text,
                     f"{name} has the print stylesheet")
            st.check("<script" not in text, f"{name} has no script")
    st.check(not problems, "\n".join(problems))


@st.test(config={"samen": {"locale": "nl"}})
def a_request_without_lang_gets_the_services_language_and_english_stays_available(stack):
    stack.ok("finance", "municipality.add", {"name": "Huizen", "code": "GM0406",
                                              "inhabitants": 41389, "as_of": "2016-01-01"})
    # The Python client sends no "lang": the services' own language, Dutch.
    d = stack.ok("reporting", "report.annual", {"year": 2019})
    st.check(d["text"].startswith("# Jaaroverzicht 2019\n\n## Projecten 2019 (uitgevoerd/afgerond)"),
             d["text"][:200])
    # A request may ask for English; field names and codes never change.
    raw = stack.client.request("reporting", __import__("msgpack").packb(
        {"op": "report.annual", "args": {"year": 2019}, "lang": "en"}), 5.0)
    r = __import__("msgpack").unpackb(raw, raw=False)
    st.check(r["ok"] and r["data"]["text"].startswith("# Yearly overview 2019"), repr(r)[:300])
    st.eq(sorted(r["data"].keys()), sorted(d.keys()))
    # An unknown language is refused, naming the field and the languages.
    raw = stack.client.request("reporting", __import__("msgpack").packb(
        {"op": "report.annual", "args": {"year": 2019}, "lang": "fr"}), 5.0)
    r = __import__("msgpack").unpackb(raw, raw=False)
    st.check(not r["ok"] and r["error"]["field"] == "lang" and "nl" in r["error"]["message"],
             repr(r))
    # samenctl --locale en, against the Dutch stack: English.
    rc, out, err = stack.ctl("--config", stack.cfg_path, "--locale", "en", "report", "annual",
                             "--year", "2019")
    st.check(rc == 0 and out.startswith("# Yearly overview 2019"), out[:200] + err)
    rc, out, err = stack.ctl("--config", stack.cfg_path, "report", "annual", "--year", "2019")
    st.check(rc == 0 and out.startswith("# Jaaroverzicht 2019"), out[:200] + err)
    # SAMEN_LOCALE overrides the file; --locale overrides both.
    env_before = os.environ.get("SAMEN_LOCALE")
    os.environ["SAMEN_LOCALE"] = "en"
    try:
        rc, out, err = stack.ctl("--config", stack.cfg_path, "report", "annual", "--year", "2019")
        st.check(out.startswith("# Yearly overview 2019"), out[:100] + err)
        rc, out, err = stack.ctl("--config", stack.cfg_path, "--locale", "nl", "report", "annual",
                                 "--year", "2019")
        st.check(out.startswith("# Jaaroverzicht 2019"), out[:100] + err)
    finally:
        if env_before is None:
            del os.environ["SAMEN_LOCALE"]
        else:
            os.environ["SAMEN_LOCALE"] = env_before


@st.test(start=False)
def a_daemon_refuses_a_language_it_does_not_speak(stack):
    stack.config = {"samen": {"locale": "klingon"}}
    stack.write_config()
    p = subprocess.run([stack.binary("reporting"), "--config", stack.cfg_path],
                       capture_output=True, text=True, timeout=30, cwd=stack.dir)
    st.eq(p.returncode, 2, "exit status for a bad setting")
    st.check("samen/locale" in p.stderr and "klingon" in p.stderr and "nl (Nederlands)" in p.stderr,
             p.stderr)
    p = subprocess.run([stack.binary("reporting"), "--config", stack.cfg_path, "--locale", "fr"],
                       capture_output=True, text=True, timeout=30, cwd=stack.dir)
    st.eq(p.returncode, 2, "exit status for a bad --locale")
    st.check("--locale" in p.stderr, p.stderr)


if __name__ == "__main__":
    st.main()
