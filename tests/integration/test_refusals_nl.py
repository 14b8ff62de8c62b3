#!/usr/bin/python3
"""A refusal reaches a person in the language the request asks for.

Every service answers a refusal with {"code", "field", "message"}: the code
and the field are for scripts and stay English and stable; the message is
for a person and is translated with the request's "lang" (PROTOCOL.md,
common/i18n.h). Each test here asks the same bad request in nl and in en
and checks that the code and field are the same, the English message is the
source sentence and the Dutch one its translation in po/nl.po: the argument
checks every service gets from its op declarations (common/op.c), the shared
refusals of the service loop, and the most common refusals of each service
(not found, a state that does not allow the step, a value outside its rules),
including sentences whose numbers are written with PRIu64 (a system-dependent
string in the catalogue). samenctl --locale nl shows the Dutch one.
"""
import os
import subprocess
import sys

import msgpack

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))

import samentest as st  # noqa: E402


def ask(stack, service, op, args, lang):
    """The reply to op with args, asked in lang."""
    raw = stack.client.request(service, msgpack.packb({"op": op, "args": args, "lang": lang}), 5.0)
    if raw is None:
        raise st.Failure(f"no reply from {service} {op}")
    return msgpack.unpackb(raw, raw=False, strict_map_key=False)


def both(stack, service, op, args, code, field, en, nl):
    """Ask in English and in Dutch; both are refused with the same code and
    field, the English message holds en and the Dutch one nl (and not en)."""
    got = {}
    for lang in ("en", "nl"):
        r = ask(stack, service, op, args, lang)
        st.check(not r.get("ok"), f"{service} {op} {args!r} in {lang} was accepted")
        got[lang] = r["error"]
    for lang in ("en", "nl"):
        st.eq(got[lang]["code"], code, f"{op} code in {lang} ({got[lang]['message']})")
        st.eq(got[lang]["field"], field, f"{op} field in {lang} ({got[lang]['message']})")
    st.check(en in got["en"]["message"], f"English {op}: {en!r} not in {got['en']['message']!r}")
    st.check(nl in got["nl"]["message"], f"Dutch {op}: {nl!r} not in {got['nl']['message']!r}")
    st.check(en not in got["nl"]["message"], f"Dutch {op} is still English: {got['nl']['message']!r}")
    return got


# ---- the argument checks and the service loop (common/) ----------------------

@st.test(services=["scheduling"])
def the_checks_from_the_declarations_speak_the_readers_language(stack):
    base = {"title": "Taxi", "domain": "social_support", "years": [2020]}
    both(stack, "scheduling", "theme.add", {"domain": "social_support", "years": [2020]},
         "invalid_argument", "title", 'field "title" is required', 'veld "title" is verplicht')
    both(stack, "scheduling", "theme.add", dict(base, domain="sports"), "invalid_argument",
         "domain", 'field "domain" is "sports"; give one of', 'veld "domain" is "sports"; geef een van')
    both(stack, "scheduling", "theme.add", dict(base, years="2020"), "invalid_argument", "years",
         'field "years" is not a list; give a list of', 'veld "years" is geen lijst; geef een lijst van')
    both(stack, "scheduling", "theme.add", dict(base, title="x" * 300), "invalid_argument",
         "title", "characters long; give at most", "tekens lang; geef hoogstens")
    both(stack, "scheduling", "theme.get", {"theme": "X1"}, "invalid_argument", "theme",
         'field "theme" must be an ID like T12', 'veld "theme" moet een ID zijn zoals T12')
    both(stack, "scheduling", "theme.add", dict(base, colour="red"), "invalid_argument", "colour",
         'unknown argument "colour" for theme.add; it takes:',
         'onbekend argument "colour" voor theme.add; het neemt:')
    both(stack, "scheduling", "theme.explode", {}, "invalid_argument", "op",
         'unknown op "theme.explode" for service scheduling',
         'onbekende op "theme.explode" voor dienst scheduling')
    both(stack, "scheduling", "session.list", {"limit": "ten"}, "invalid_argument", "limit",
         'field "limit" is text, not a whole number; give a whole number from',
         'veld "limit" is tekst, geen geheel getal; geef een geheel getal van')
    # Without "lang" the service's own language (English here) answers.
    r = stack.call("scheduling", "theme.get", {"theme": "T9"})
    st.check(r["error"]["message"].startswith("no theme T9"), r["error"]["message"])


# ---- scheduling -----------------------------------------------------------------

@st.test(services=["scheduling"])
def schedulings_refusals_are_dutch_when_asked_in_dutch(stack):
    both(stack, "scheduling", "theme.get", {"theme": "T9"}, "not_found", "theme",
         "no theme T9; see theme list", "geen thema T9; zie theme list")
    t = stack.ok("scheduling", "theme.add",
                 {"title": "Taxi", "domain": "social_support", "years": [2020]})["id"]
    both(stack, "scheduling", "session.get", {"session": "S9"}, "not_found", "session",
         "no session S9", "geen bijeenkomst S9")
    s = stack.ok("scheduling", "session.plan",
                 {"theme": t, "method": "FG", "period": "2020-Q2"})["id"]
    # PRIu64 in the sentence: xgettext writes <PRIu64>, glibc expands it.
    both(stack, "scheduling", "session.confirm", {"session": s}, "failed_precondition", "start",
         f"session {s} has only a period", f"bijeenkomst {s} heeft alleen een periode")
    stack.ok("scheduling", "session.cancel", {"session": s})
    both(stack, "scheduling", "session.cancel", {"session": s}, "failed_precondition", "session",
         f"session {s} is already cancelled", f"bijeenkomst {s} is al geannuleerd")
    both(stack, "scheduling", "registration.create", {"session": s, "participant": "P1"},
         "failed_precondition", "session", f"session {s} is cancelled; registration is closed",
         f"bijeenkomst {s} is geannuleerd; aanmelden is gesloten")
    both(stack, "scheduling", "session.plan", {"theme": t, "method": "FG"}, "invalid_argument",
         "start", "a session needs an exact start and end",
         "een bijeenkomst vraagt een exact begin en einde")


# ---- intake ---------------------------------------------------------------------

@st.test(services=["intake"])
def intakes_refusals_are_dutch_when_asked_in_dutch(stack):
    both(stack, "intake", "participant.get", {"participant": "P9"}, "not_found", "participant",
         "there is no participant P9 in the address file",
         "er is geen deelnemer P9 in het adresbestand")
    both(stack, "intake", "participant.register", {"name": "Els", "email": "els@@example",
                                                   "consent": True},
         "invalid_argument", "email", "give an address like name@example.nl",
         "geef een adres zoals naam@example.nl")
    both(stack, "intake", "participant.register", {"name": "Els", "consent": False},
         "invalid_argument", "consent", "consent must be true", "consent moet true zijn")
    both(stack, "intake", "participant.register", {"name": "Els", "phone": "12", "consent": True},
         "invalid_argument", "phone", "must start with 0", "moet beginnen met 0")
    both(stack, "intake", "organisation.get", {"organisation": "O4"}, "not_found", "organisation",
         "there is no organisation O4", "er is geen organisatie O4")
    both(stack, "intake", "advice.get", {"advice": "A4"}, "not_found", "advice",
         "there is no advice A4", "er is geen advies A4")


# ---- finance --------------------------------------------------------------------

@st.test(services=["finance"])
def finances_refusals_are_dutch_when_asked_in_dutch(stack):
    both(stack, "finance", "municipality.add",
         {"name": "Huizen", "code": "XX0406", "inhabitants": 41389, "as_of": "2016-01-01"},
         "invalid_argument", "code", "must be a statistics-office code like GM0402",
         "moet een CBS-code zijn zoals GM0402")
    line = stack.ok("finance", "budget.line.add",
                    {"year": 2019, "name": "activities", "kind": "fixed", "amount_cents": 100000})
    base = {"line": line["id"], "category": "room", "amount_cents": 1000, "session": "S1"}
    both(stack, "finance", "expense.add", dict(base, line="L9"), "not_found", "line",
         "no budget line L9", "geen begrotingspost L9")
    both(stack, "finance", "expense.add", dict(base, amount_cents=10.005), "invalid_argument",
         "amount_cents", 'field "amount_cents" holds a fraction of a cent; give an amount',
         'veld "amount_cents" bevat een fractie van een cent; geef een bedrag')
    both(stack, "finance", "expense.add", dict(base, amount_cents=0), "invalid_argument",
         "amount_cents", 'field "amount_cents" is 0; give an amount in whole euro cents from 1 '
         "to 1000000000000000 (EUR 0.01 to EUR 10,000,000,000,000.00)",
         'veld "amount_cents" is 0; geef een bedrag in hele eurocenten van 1 tot en met '
         "1000000000000000 (€ 0,01 tot en met € 10.000.000.000.000,00)")
    both(stack, "finance", "municipality.add",
         {"name": "Huizen", "code": "GM406", "inhabitants": 41389, "as_of": "2016-01-01"},
         "invalid_argument", "code", 'field "code" is 5 characters long; give exactly 6 characters',
         'veld "code" is 5 tekens lang; geef precies 6 tekens')
    x = stack.ok("finance", "expense.add", base)["id"]  # booked as spent
    both(stack, "finance", "expense.cancel", {"expense": x, "reason": "not needed"},
         "failed_precondition", "expense",
         "the expense is already spent; only a committed expense can be cancelled",
         "de uitgave is al besteed; alleen een vastgelegde uitgave kan geannuleerd worden")
    both(stack, "finance", "grant.get", {"application": "G7"}, "not_found", "application",
         "no application G7", "geen aanvraag G7")
    # Amounts in a refusal are written as the reader writes money.
    both(stack, "finance", "split.compute", {"total_cents": 6000000, "unit_cents": 100000},
         "invalid_argument", "municipalities",
         "there are no municipalities to share the cost among; add them with municipality add",
         "er zijn geen gemeenten om de kosten over te verdelen; voeg ze toe met municipality add")
    stack.ok("finance", "municipality.add", {"name": "Huizen", "code": "GM0406",
                                             "inhabitants": 41389, "as_of": "2016-01-01"})
    both(stack, "finance", "split.compute", {"total_cents": 6000050, "unit_cents": 100000},
         "invalid_argument", "total_cents",
         "total EUR 60,000.50 is not a multiple of the unit EUR 1,000.00",
         "totaal € 60.000,50 is geen veelvoud van de eenheid € 1.000,00")


# ---- reporting ------------------------------------------------------------------

@st.test(services=["reporting"])
def reportings_refusals_are_dutch_when_asked_in_dutch(stack):
    both(stack, "reporting", "report.get", {"report": "R9"}, "not_found", "report",
         "report R9 does not exist", "verslag R9 bestaat niet")
    both(stack, "reporting", "youth.adopt", {"year": 2019}, "failed_precondition", "year",
         "the youth report on 2019 has no findings", "het jeugdverslag over 2019 heeft geen bevindingen")
    both(stack, "reporting", "outcome.get", {"outcome": "U5"}, "not_found", "outcome",
         "outcome U5 does not exist", "opbrengst U5 bestaat niet")
    both(stack, "reporting", "report.youth", {"year": 2019, "document": "infographic",
                                              "format": "md"},
         "invalid_argument", "format", "format must be svg for the infographic",
         "format moet svg zijn voor de infographic")


# ---- what a person sees ------------------------------------------------------------

@st.test(services=["scheduling"])
def samenctl_shows_a_refusal_in_its_language(stack):
    rc, out, err = stack.ctl("--locale", "nl", "theme", "show", "T9")
    st.check(rc != 0 and "geen thema T9" in err, f"exit {rc}: {err}")
    rc, out, err = stack.ctl("--locale", "en", "theme", "show", "T9")
    st.check(rc != 0 and "no theme T9" in err, f"exit {rc}: {err}")
    rc, out, err = stack.ctl("--locale", "nl", "--json", "theme", "show", "T9")
    st.check(rc != 0 and "not_found" in out + err, f"the code stays English: {out} {err}")


@st.test(start=False)
def a_bad_setting_is_refused_in_the_files_own_language(stack):
    # A daemon checks its settings before it knows its language from them:
    # the file's samen/locale (or --locale, $SAMEN_LOCALE) still decides the
    # language of the refusal of another setting in the same file.
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    env.pop("SAMEN_LOCALE", None)

    def run(name, text, *extra):
        path = os.path.join(stack.dir, f"bad-{name}.cfg")
        with open(path, "w") as f:
            f.write(text)
        cmd = [stack.binary(name) if name != "samenctl" else os.path.join(st.BIN, "samenctl"),
               *extra]
        e = dict(env, SAMEN_CONFIG=path) if name == "samenctl" else env
        if name != "samenctl":
            cmd += ["--config", path]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=e, cwd=stack.dir)
        st.check(not st.SANITIZER.search(p.stderr), p.stderr)
        return p.returncode, p.stderr

    nl = "samen\n    locale = nl\n"
    for name, section, key, value in (("finance", "finance", "workers", "0"),
                                      ("broker", "broker", "heartbeat_ms", "1"),
                                      ("site", "site", "request_timeout_ms", "1"),
                                      ("samenctl", "finance", "workers", "0")):
        bad = f"{section}\n    {key} = {value}\n"
        rc, err = run(name, nl + bad)
        st.eq(rc, 2, f"{name} refuses {section}/{key}: {err}")
        st.check(f"instelling {section}/{key} is \"{value}\"; geef een geheel getal" in err,
                 f"{name}: the refusal in Dutch, as the file asks: {err!r}")
        rc, err = run(name, bad)
        st.check(f"setting {section}/{key} is \"{value}\"; give a whole number" in err,
                 f"{name}: English without samen/locale: {err!r}")
    # --locale is stronger than the file.
    rc, err = run("finance", nl + "finance\n    workers = 0\n", "--locale", "en")
    st.check("setting finance/workers" in err, f"--locale en wins: {err!r}")


if __name__ == "__main__":
    st.main()
