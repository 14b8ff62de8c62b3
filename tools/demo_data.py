#!/usr/bin/python3
"""tools/demo_data.py - load a fictional programme year into samen, through samenctl only.

    /usr/bin/python3 tools/demo_data.py [--samenctl build/release/samenctl] [--broker EP]
                                        [--participants 300] [--seed 2019]
                                        [--journal var/demo-load.journal] [--resume]

The data set is the shape of the regional programme in /work/shared/DOMAIN.md and
entirely made up: the eight municipalities with their real inhabitant counts of
1 January 2016; about 14 themes on the 2019-2020 agenda whose sessions follow the
programme's planning grid (focus groups, interviews closed by a mirror meeting, a
foster-parent cafe three times a year, a sounding-board group four times over two
years, three usability tests a year, sessions known only by a quarter, tentative
items); N participants with obviously fake names ("Testina de Vries-017"),
e-mail addresses at example.org and phone numbers +31 6 00000xxx; registrations,
held sessions with attendance, reports (some sent late, some missing), outcomes,
reimbursements up to the yearly cap, the 2019 and 2020 budgets (one stated amount
with the ten-times slip), the coordinator's hours in 2020, the cost split over the
eight municipalities (and the 2017-2018 decision with its own Hilversum figure),
advice (one answer overdue) and a grants pool with applications.

Every write goes through samenctl (never the stores), so the demo shows exactly
what an admin can do. The plan is computed first, from a seeded random generator
(same participants, sessions and attendance every run); then each step runs one
samenctl command. The programme's "today" is 2020-09-01 (DEMO_TODAY): sessions
before it are held, later ones are still planned.

Resuming. Each completed step is appended to the journal with the IDs it
returned; after a failure (exit 75 when the stack became unreachable) run the
same command with --resume and the loader goes on with the step that failed.
Each step's writes carry request ids derived from the journal's run id and the
step number (samenctl's SAMEN_RID), so a step that was applied just before the
stack went away is not applied twice when it is run again.

The module also serves tests/integration/test_end_to_end.py: build_plan() gives
the plan, and Plan.expected_reach() the reach figures the data set implies.

Exit status: 0 loaded (or nothing left to do), 1 a step was refused or failed,
2 usage, 4 the stack already holds data (not loaded again), 75 the stack became
unreachable (rerun with --resume).
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import time

DEMO_TODAY = datetime.date(2020, 9, 1)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_PRESENT = 4
EXIT_UNREACHABLE = 75

# DOMAIN.md §5: the eight municipalities, inhabitants on 1 January 2016, with
# the statistics office's codes.
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
AS_OF = "2016-01-01"

# How much more (or less) often people from each municipality are in the
# address file than their share of inhabitants: the programme's known problem
# is that some municipalities are barely reached.
REACH_FACTOR = {"Blaricum": 1.0, "Eemnes": 0.4, "Gooise Meren": 0.9, "Hilversum": 1.5,
                "Huizen": 1.2, "Laren": 1.3, "Weesp": 0.25, "Wijdemeren": 0.35}

FIRST_NAMES = ["Demo", "Testina", "Testje", "Proefje", "Fictief", "Voorbeeld", "Nepko",
               "Dummy", "Oefen", "Probeer"]
SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
            "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker",
            "Brouwer", "de Wit", "Dijkstra", "van Leeuwen", "Kok", "Yilmaz", "El Amrani",
            "Haddad", "Nguyen", "Kaya", "Tesfay", "Mahmoud", "Pinas", "Soekhoe", "Kowalski"]

# Profiles of people in the address file: (name, weight, labels, target
# groups, birth years). Youth are deliberately few: the programmes say youth
# and migrants are under-represented.
PROFILES = [
    ("foster", 8, ["foster_parent", "parent"], ["pleegouders"], (1960, 1990)),
    ("taxi", 10, ["client"], ["gebruikers van de wmo-taxi"], (1935, 1975)),
    ("parent", 13, ["parent"], ["ouders"], (1970, 1992)),
    ("dyslexia", 4, ["parent"], ["ouders", "dyslexie"], (1972, 1990)),
    ("youth", 7, ["youth"], ["jongeren"], (1996, 2006)),
    ("refugee", 5, ["resident"], ["statushouders"], (1965, 1998)),
    ("psychiatric", 8, ["client", "experience_expert"], ["psychische kwetsbaarheid"],
     (1955, 1995)),
    ("literacy", 5, ["resident"], ["laaggeletterdheid"], (1950, 1990)),
    ("intellectual", 6, ["client"], ["verstandelijke beperking"], (1960, 2000)),
    ("carer", 8, ["carer"], ["mantelzorgers"], (1945, 1980)),
    ("resident", 26, ["resident"], [], (1940, 1993)),
]

ORGANISATIONS = [
    # (name, kind, municipality, contact)
    ("Adviesraad Sociaal Domein Voorbeeldregio", "advisory_council", "Hilversum",
     ("Secretariaat Demo", "secretariaat@asd.example.org")),
    ("Cliëntenraad Demo Gooi", "client_organisation", "Huizen",
     ("Contact Proefje", "info@clientenraad.example.org")),
    ("Zorgaanbieder Voorbeeldzorg", "care_provider", "Gooise Meren",
     ("Teamleider Test", "team@voorbeeldzorg.example.org")),
    ("Demo College Hilversum", "school", "Hilversum",
     ("Zorgcoördinator Demo", "zorg@democollege.example.org")),
    ("Vereniging Pleegouders Voorbeeld", "association", "Laren",
     ("Bestuur Test", "bestuur@pleegouders.example.org")),
    ("Vluchtelingenwerk Voorbeeld", "other", "Weesp",
     ("Coordinator Fictief", "weesp@vluchtelingenwerk.example.org")),
]
# Which organisation recruited which profile (recruitment at the finding place).
CHANNEL = {"foster": 4, "psychiatric": 2, "intellectual": 2, "youth": 3, "dyslexia": 3,
           "refugee": 5, "taxi": 1, "carer": 1}

# Session size and places per method at full scale (300 participants).
SIZE = {"FG": (9, 10), "I": (8, 10), "SB": (12, 15), "C": (14, 16), "T": (5, 6),
        "KB": (8, 10), "WB": (6, 8), "N": (18, 30), "E": (0, 200)}


def d(s):
    return datetime.date.fromisoformat(s)


def add_months(day, n):
    m = day.month - 1 + n
    y = day.year + m // 12
    m = m % 12 + 1
    last = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30, 31, 31,
            30, 31, 30, 31][m - 1]
    return datetime.date(y, m, min(day.day, last))


def series_day(first, n):
    """The day of a monthly series' meeting n months after first, as
    scheduling plans it: the same weekday at the same place in the month
    (the third Wednesday; a fifth one becomes the month's last)."""
    month = add_months(first.replace(day=1), n)
    ordinal = (first.day - 1) // 7 + 1
    day = month + datetime.timedelta(days=(first.weekday() - month.weekday()) % 7)
    if ordinal >= 5:
        while (day + datetime.timedelta(days=7)).month == month.month:
            day += datetime.timedelta(days=7)
        return day
    return day + datetime.timedelta(days=7 * (ordinal - 1))


def iban_nl(bank, account):
    """A Dutch IBAN with correct check digits, for a made-up bank code."""
    bban = bank + account
    n = int("".join(str(int(c, 36)) for c in bban + "NL00"))
    return "NL%02d%s" % (98 - n % 97, bban)


def slug(text):
    return "".join(c for c in text.lower() if c.isalnum())


# ---- the themes and their sessions (the planning grid) -------------------
#
# Each theme: title, domain, phase, years, source, question, target groups,
# project leader, political lead, and its sessions. A session: method, either
# "at" (local start, minutes) or "period", optional: series (rhythm, count),
# follow_up (index of an earlier session of the theme), tentative, title,
# reimbursement (EUR, default 15), cancel, waitlist (registrations beyond the
# places), walk_in, confirm_only, postpone_to.
THEMES = [
    dict(title="Wmo-taxi", domain="social_support", phase="evaluation",
         years=[2019, 2020], source="residents_signals",
         question="Wat maakt de Wmo-taxi makkelijker in gebruik?", groups=["gebruikers van de wmo-taxi"],
         leader="P. Voorbeeld", lead="Wethouder Demo",
         sessions=[
             dict(method="I", at="2019-05-08T10:00", minutes=240,
                  title="Telefonische interviews met taxigebruikers"),
             dict(method="FG", at="2019-10-17T19:00", minutes=120, follow_up=0,
                  title="Wat moet er anders in het nieuwe contract?"),
             dict(method="SB", period="2020-06", tentative=True, follow_up=1),
         ]),
    dict(title="Suïcidepreventie", domain="health", phase="development", years=[2020],
         source="regional_agenda", question="Waar zoeken mensen als eerste hulp?",
         groups=["psychische kwetsbaarheid", "mantelzorgers"],
         leader="T. Proef", lead="",
         sessions=[
             dict(method="FG", at="2020-01-22T19:00", minutes=120),
             dict(method="FG", at="2020-02-19T19:00", minutes=120, follow_up=0),
         ]),
    dict(title="Evaluatie opvang en zorg", domain="shelter_and_protection",
         phase="evaluation", years=[2019, 2020], source="regional_agenda",
         question="Hoe pakt de opvang uit voor de mensen die er verblijven?",
         groups=["psychische kwetsbaarheid"], leader="F. Fictief", lead="Wethouder Demo",
         sessions=[
             dict(method="I", at="2019-11-06T10:00", minutes=300),
             dict(method="I", at="2019-12-04T10:00", minutes=300),
             dict(method="SB", at="2020-03-11T19:00", minutes=120, follow_up=1,
                  title="Spiegelbijeenkomst: wat we hoorden"),
         ]),
    dict(title="Ondersteuning pleegouders", domain="youth", phase="implementation",
         years=[2019, 2020], source="residents_signals",
         question="Wat hebben pleegouders nodig van de regio?", groups=["pleegouders"],
         leader="J. Voorbeeld", lead="Wethouder Test",
         sessions=[
             dict(method="C", at="2019-02-13T19:30", minutes=120, series=("times_a_year", 3, 6),
                  title="Pleegoudercafé", waitlist_at=2, walk_in=True),
         ]),
    dict(title="Inwonersportaal", domain="social_support", phase="implementation",
         years=[2019, 2020], source="regional_agenda",
         question="Kunnen inwoners zonder hulp ondersteuning aanvragen via het portaal?", groups=[],
         leader="T. Proef", lead="",
         sessions=[
             dict(method="T", at="2019-03-20T10:00", minutes=120, series=("times_a_year", 3, 6),
                  title="Gebruikerstest van het portaal", cancel_at=4),
         ]),
    dict(title="Klankbordgroep jeugdhulp", domain="youth", phase="evaluation",
         years=[2019, 2020], source="regional_agenda",
         question="Hoe ervaren jongeren en ouders de jeugdhulp?",
         groups=["jongeren", "ouders"], leader="J. Voorbeeld", lead="Wethouder Test",
         sessions=[
             dict(method="KB", at="2019-05-15T19:00", minutes=120, series=("every_months", 6, 4),
                  title="Klankbordgroep", fixed_members=True, chair=True),
         ]),
    dict(title="Complexe scheidingen", domain="youth", phase="development", years=[2019],
         source="regional_agenda", question="Wat helpt kinderen als ouders uit elkaar gaan?",
         groups=["ouders"], leader="F. Fictief", lead="",
         sessions=[
             dict(method="FG", at="2019-09-25T19:30", minutes=120),
             dict(method="FG", at="2019-11-27T19:30", minutes=120, follow_up=0,
                  title="Vervolg: wat de regio met uw inbreng deed"),
         ]),
    dict(title="Culturele diversiteit in de jeugdhulp", domain="youth", phase="agenda",
         years=[2019, 2020], source="regional_agenda",
         question="Bereikt de jeugdhulp gezinnen met elke achtergrond?",
         groups=["statushouders", "ouders"], leader="P. Voorbeeld", lead="",
         sessions=[
             dict(method="I", at="2019-06-12T10:00", minutes=360,
                  title="Interviews met statushouders"),
             dict(method="SB", at="2020-01-29T19:00", minutes=120, follow_up=0),
         ]),
    dict(title="Onderwijs-zorgarrangementen", domain="youth", phase="development",
         years=[2019, 2020], source="municipal_request",
         question="Hoe kunnen school en zorg samen optrekken voor een kind?",
         groups=["ouders", "dyslexie"], leader="T. Proef", lead="Wethouder Demo",
         sessions=[
             dict(method="WB", at="2019-10-09T10:00", minutes=120, reimbursement=0,
                  title="Werkbezoek op een school"),
             dict(method="FG", at="2019-12-11T19:30", minutes=120,
                  title="Ouders van kinderen met dyslexie"),
         ]),
    dict(title="Jeugdhulp met verblijf", domain="youth", phase="agenda", years=[2020],
         source="regional_agenda", question="Wat heeft een jongere nodig na het vertrek?",
         groups=["jongeren"], leader="J. Voorbeeld", lead="",
         sessions=[
             dict(method="I", period="2020-Q2", tentative=True),
             dict(method="FG", at="2020-09-23T19:00", minutes=120, tentative=True),
         ]),
    dict(title="Laaggeletterdheid en toegang tot voorzieningen", domain="work_and_income",
         phase="agenda", years=[2019, 2020], source="residents_signals",
         question="Welke brieven van de gemeente zijn moeilijk te lezen?",
         groups=["laaggeletterdheid"], leader="F. Fictief", lead="",
         sessions=[
             dict(method="E", period="2019-Q4", title="Enquête over brieven"),
             dict(method="N", at="2020-03-04T15:00", minutes=150, reimbursement=0,
                  title="Netwerkbijeenkomst met aanbieders en inwoners", open_to_all=True),
         ]),
    dict(title="Vaste focusgroep verstandelijke beperking", domain="social_support",
         phase="implementation", years=[2019, 2020], source="regional_agenda",
         question="Wat gaat goed en wat niet in de dagelijkse ondersteuning?",
         groups=["verstandelijke beperking"], leader="P. Voorbeeld", lead="",
         sessions=[
             dict(method="FG", at="2019-01-16T14:00", minutes=90, series=("every_months", 3, 8),
                  title="Vaste focusgroep", fixed_members=True),
         ]),
    dict(title="Ondersteuning mantelzorgers", domain="social_support", phase="agenda",
         years=[2020], source="municipal_request",
         question="Wat geeft mantelzorgers lucht?", groups=["mantelzorgers"],
         leader="T. Proef", lead="",
         sessions=[
             dict(method="FG", at="2020-06-17T19:00", minutes=120, tentative=True,
                  postpone_to="2020-10-21T19:00"),
             dict(method="FG", period="2020-Q4", tentative=True),
         ]),
    dict(title="Psychische kwetsbaarheid en wonen", domain="shelter_and_protection",
         phase="evaluation", years=[2019, 2020], source="residents_signals",
         question="Wat maakt zelfstandig wonen haalbaar?",
         groups=["psychische kwetsbaarheid"], leader="F. Fictief", lead="Wethouder Demo",
         sessions=[
             dict(method="I", at="2019-09-18T10:00", minutes=300),
             dict(method="I", at="2019-10-02T10:00", minutes=300),
             dict(method="SB", at="2020-02-05T19:00", minutes=120, follow_up=1),
             dict(method="SB", period="2020-Q4", tentative=True, follow_up=2),
         ]),
]


# ---- the plan -------------------------------------------------------------

class Step:
    """One samenctl command. argv items are text or functions of the IDs
    gathered so far (ids: step key -> ID). capture(data, ids) returns the
    IDs to remember (default: {key: data["id"]}). A step with expect set to
    "refused" is one the demo shows being refused (a report naming a
    participant). verify (report key, key to keep published_on under) is for
    `report publish`, which makes its own request id: refused after a restart
    because the report is already published, the step counts as done. kind
    "sync" waits until every service has caught up with the others' events."""

    def __init__(self, key, argv=None, stdin=None, capture=None, expect="ok", verify=None,
                 kind="ctl"):
        self.key, self.argv, self.stdin, self.capture = key, argv or [], stdin, capture
        self.expect, self.verify, self.kind = expect, verify, kind


def _pid(i):
    return lambda ids: ids["p:%d" % i]


def _sid(i):
    return lambda ids: ids["s:%d" % i]


def _ref(key):
    return lambda ids: ids[key]


def _pids(idxs):
    return lambda ids: ",".join(ids["p:%d" % i] for i in idxs)


def _money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


class Plan:
    """The whole data set, decided before anything is sent."""

    def __init__(self, participants=300, seed=2019, today=DEMO_TODAY):
        if participants < 40 or participants > 999:
            raise ValueError("participants must be 40..999")
        self.n, self.seed, self.today = participants, seed, today
        self.scale = participants / 300.0
        self.rng = random.Random(seed)
        self._organisations()
        self._participants()
        self._sessions()
        self._attendance()
        self._reports()
        self._reimbursements()

    # -- people -------------------------------------------------------------
    def _organisations(self):
        self.organisations = [dict(idx=i, name=o[0], kind=o[1], municipality=o[2],
                                   contact=o[3][0], contact_email=o[3][1])
                              for i, o in enumerate(ORGANISATIONS)]

    def _participants(self):
        rng = self.rng
        names = [m[0] for m in MUNICIPALITIES]
        weights = [m[2] * REACH_FACTOR[m[0]] for m in MUNICIPALITIES]
        pweights = [p[1] for p in PROFILES]
        self.participants = []
        for i in range(self.n):
            prof = rng.choices(PROFILES, pweights)[0]
            first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
            sur = SURNAMES[rng.randrange(len(SURNAMES))]
            num = "%03d" % (i + 1)
            # About one in fifty lives outside the region (a neighbouring town).
            muni = None if rng.random() < 0.02 else rng.choices(names, weights)[0]
            by = rng.randint(*prof[4])
            p = dict(idx=i, profile=prof[0], name="%s %s-%s" % (first, sur, num),
                     email="%s.%s%s@example.org" % (slug(first), slug(sur), num),
                     phone=("+31 6 00000%s" % num) if rng.random() < 0.75 else None,
                     municipality=muni, birth_year=by, labels=list(prof[2]),
                     groups=list(prof[3]), regular=rng.random() < 0.08,
                     channel=CHANNEL.get(prof[0]) if rng.random() < 0.6 else None,
                     iban=None)
            self.participants.append(p)
        # Trained experience experts chair groups (DOMAIN.md §1).
        experts = [p for p in self.participants if p["profile"] in ("psychiatric", "youth", "parent")]
        for p in experts[:max(2, round(4 * self.scale))]:
            p["labels"].append("trained_experience_expert")
            p["regular"] = True
        self.chair = experts[0]["idx"]

    # -- themes and sessions ---------------------------------------------
    def _sessions(self):
        self.themes = []
        self.sessions = []
        for ti, t in enumerate(THEMES):
            theme = dict(t, idx=ti, session_idx=[])
            theme.pop("sessions")
            self.themes.append(theme)
            local = []
            for spec in t["sessions"]:
                occ = 1
                rhythm = None
                if spec.get("series"):
                    kind, every, occ = spec["series"]
                    rhythm = (kind, every)
                    months = 12 // every if kind == "times_a_year" else every
                first_idx = len(self.sessions)
                for k in range(occ):
                    s = dict(idx=len(self.sessions), theme=ti, method=spec["method"],
                             title=spec.get("title", ""), tentative=spec.get("tentative", False),
                             reimbursement=spec.get("reimbursement",
                                                    0 if spec["method"] == "E" else 15),
                             groups=list(t["groups"]), spec=spec, series_first=None, k=k,
                             follow_up=None, period=spec.get("period"), start=None,
                             minutes=spec.get("minutes"), status="planned", held_on=None,
                             regs=[], unregister=[], attended=[], no_show=[], walk_ins=[],
                             postpone_to=spec.get("postpone_to"))
                    if spec.get("at"):
                        start = datetime.datetime.fromisoformat(spec["at"])
                        if rhythm:
                            start = datetime.datetime.combine(
                                series_day(start.date(), k * months), start.time())
                        s["start"] = start
                    if rhythm and k > 0:
                        s["series_first"] = first_idx
                    if spec.get("follow_up") is not None:
                        s["follow_up"] = local[spec["follow_up"]]
                    if spec.get("cancel_at") == k:
                        s["status"] = "cancelled"
                    elif s["start"] and not s["tentative"] and s["start"].date() < self.today:
                        s["status"] = "held"
                        s["held_on"] = s["start"].date()
                    size, places = SIZE[s["method"]]
                    s["size"] = max(2, round(size * self.scale))
                    s["capacity"] = max(s["size"] + 1, round(places * self.scale))
                    self.sessions.append(s)
                    theme["session_idx"].append(s["idx"])
                    if k == 0:
                        local.append(s["idx"])
        self.by_time = sorted((s for s in self.sessions if s["start"]),
                              key=lambda s: (s["start"], s["idx"]))

    def _pool(self, s):
        if s["spec"].get("open_to_all") or not s["groups"]:
            return list(range(self.n))
        g = set(s["groups"])
        return [p["idx"] for p in self.participants if g & set(p["groups"])]

    def _pick(self, pool, k, exclude=()):
        """k participants from pool, regulars eight times as likely."""
        rng = self.rng
        cand = [i for i in pool if i not in exclude]
        out = []
        while cand and len(out) < k:
            w = [8 if self.participants[i]["regular"] else 1 for i in cand]
            i = rng.choices(cand, w)[0]
            cand.remove(i)
            out.append(i)
        return out

    def _attendance(self):
        rng = self.rng
        members = {}
        for s in self.by_time:
            if s["status"] == "cancelled" or s["method"] == "E":
                continue
            pool = self._pool(s)
            if len(pool) < s["size"] + 2:  # a small group: others who signed up generally
                pool = pool + [i for i in self._pick(list(range(self.n)), s["size"] + 2,
                                                     exclude=set(pool))]
            spec = s["spec"]
            n_reg = min(s["capacity"], s["size"] + max(1, round(s["size"] * 0.15)))
            if spec.get("waitlist_at") == s["k"]:
                n_reg = s["capacity"] + 2
            if spec.get("fixed_members"):
                key = (s["theme"], id(spec))
                if key not in members:
                    m = [self.chair] if spec.get("chair") else []
                    members[key] = m + self._pick(pool, n_reg - len(m), exclude=set(m))
                regs = list(members[key])
            else:
                regs = []
                if s["follow_up"] is not None:
                    prev = self.sessions[s["follow_up"]]
                    regs = [i for i in prev["attended"] if rng.random() < 0.7]
                regs += self._pick(pool, n_reg - len(regs), exclude=set(regs))
            if s["status"] != "held" and s["start"].date() >= self.today:
                # Still to come: only the first registrations are in.
                regs = regs[:max(1, len(regs) // 2)]
            s["regs"] = regs
            registered = regs[:s["capacity"]]
            waiting = regs[s["capacity"]:]
            if waiting:
                # Someone with a place cancels; the first on the waitlist moves up.
                gone = registered[1]
                s["unregister"] = [gone]
                registered = [i for i in registered if i != gone] + [waiting.pop(0)]
            s["registered"], s["waiting"] = registered, waiting
            if s["status"] != "held":
                continue
            for i in registered:
                (s["no_show"] if rng.random() < 0.12 else s["attended"]).append(i)
            if not s["attended"]:
                s["attended"].append(s["no_show"].pop())
            if spec.get("walk_in"):
                s["walk_ins"] = self._pick(pool, 1, exclude=set(regs))

    # -- reports --------------------------------------------------------------
    def _reports(self):
        rng = self.rng
        held = [s for s in self.by_time if s["status"] == "held"]
        self.reports = []
        for s in held:
            if s["theme"] == 11 and s["k"] == 6:
                continue  # held, never written up: `report due` shows it
            r = dict(session=s["idx"], key="r:%d" % s["idx"], state="sent")
            r["publish"] = s["held_on"] + datetime.timedelta(days=rng.randint(5, 14))
            if s["theme"] == 4 and s["k"] == 3:
                r["state"] = "approved"  # approved, waiting to be published
            elif s["theme"] == 1 and s["k"] == 1:
                r["state"] = "published"  # on the website, not sent yet
            late = rng.random() < 0.3
            days = rng.randint(36, 90) if late else rng.randint(8, 26)
            r["sent"] = max(r["publish"], s["held_on"] + datetime.timedelta(days=days))
            if r["state"] == "sent" and r["sent"] >= self.today:
                r["state"] = "published"
            if r["publish"] >= self.today:
                r["state"] = "approved"
            # One draft names a participant by mistake: publishing is refused
            # until the text is anonymised.
            r["pii_slip"] = s["theme"] == 3 and s["k"] == 1
            if r["pii_slip"]:
                self.slip_participant = s["attended"][0]
            self.reports.append(r)
        # The person the end-to-end test erases: named in that draft, paid
        # to a bank account, an applicant for a grant and the sender of a signal.
        self.erase_target = self.slip_participant

    def effective_report_dates(self, stack_today, dated_publish):
        """Per report: (published_on, sent_on or None) as the services will
        record them. Without a dated publish, reporting publishes on its own
        today, and a report cannot be sent before it is published."""
        out = {}
        for r in self.reports:
            if r["state"] not in ("published", "sent"):
                continue
            pub = r["publish"] if dated_publish else stack_today
            sent = max(r["sent"], pub) if r["state"] == "sent" else None
            out[r["session"]] = (pub, sent)
        return out

    # -- reimbursements -----------------------------------------------------
    def _reimbursements(self):
        rng = self.rng
        self.entitlements = []
        paid = {}
        cap = 250000
        for s in self.by_time:
            if s["status"] != "held" or s["reimbursement"] <= 0:
                continue
            for i in s["attended"] + s["walk_ins"]:
                e = dict(session=s["idx"], participant=i, amount=s["reimbursement"] * 100,
                         year=s["held_on"].year, state="entitled")
                r = rng.random()
                claim = s["held_on"] + datetime.timedelta(days=rng.randint(1, 21))
                approve = claim + datetime.timedelta(days=rng.randint(1, 7))
                pay = approve + datetime.timedelta(days=rng.randint(1, 10))
                if r < 0.12:
                    e["state"] = "waived"
                elif r < 0.88 and claim < self.today:
                    e["state"], e["claim"] = "claimed", claim
                    if approve < self.today and rng.random() < 0.95:
                        e["state"], e["approve"] = "approved", approve
                        if pay < self.today and paid.get(e["year"], 0) + e["amount"] <= cap:
                            e["state"], e["pay"] = "paid", pay
                            paid[e["year"]] = paid.get(e["year"], 0) + e["amount"]
                self.entitlements.append(e)
        # Bank accounts: the people who were paid, up to a handful per 100.
        payees = [self.erase_target]
        for e in self.entitlements:
            if e["state"] == "paid" and e["participant"] not in payees:
                payees.append(e["participant"])
        for i in payees[:max(4, round(25 * self.scale))]:
            self.participants[i]["iban"] = iban_nl("DEMO", "%010d" % (i + 1))
        self.paid = paid

    # -- figures the data set implies ----------------------------------------
    def attendances(self):
        """(session idx, participant idx) for every attended record."""
        out = []
        for s in self.sessions:
            for i in s["attended"] + s["walk_ins"]:
                out.append((s["idx"], i))
        return out

    def age_band(self, p, ref_year):
        age = ref_year - p["birth_year"]
        if p["birth_year"] > ref_year:
            return "unknown"
        return "<18" if age < 18 else "18-26" if age <= 26 else "27-40" if age <= 40 \
            else "41-65" if age <= 65 else "66+"

    def expected_reach(self, year, ref_year, report_dates=None, allowed_days=28):
        """The reach statistics of `year` by the definitions of
        services/reporting/reach.h, from the plan alone. ref_year: the year
        intake computed age bands in (its today's year). report_dates: from
        effective_report_dates()."""
        held = [s for s in self.sessions if s["status"] == "held"]
        first = {}
        for s in held:
            for i in s["attended"] + s["walk_ins"]:
                first[i] = min(first.get(i, s["held_on"]), s["held_on"])
        count = {}
        methods = {}
        inyear = [s for s in held if s["held_on"].year == year]
        for s in inyear:
            ms = methods.setdefault(s["method"], [0, 0])
            ms[0] += 1
            for i in s["attended"] + s["walk_ins"]:
                count[i] = count.get(i, 0) + 1
                ms[1] += 1
        total = sum(count.values())
        parts = sorted(count, key=lambda i: (-count[i], i))
        k = math.ceil(len(parts) / 10)
        top = sum(count[i] for i in parts[:k])

        def bp(a, b):
            return (a * 10000 * 2 + b) // (2 * b) if b else 0
        first_timers = sum(1 for i in count if first[i].year == year)
        per_muni = {m[0]: 0 for m in MUNICIPALITIES}
        outside = 0
        groups = {}
        youth = 0
        for i in count:
            p = self.participants[i]
            if p["municipality"]:
                per_muni[p["municipality"]] += 1
            else:
                outside += 1
            for g in p["groups"]:
                groups[g] = groups.get(g, 0) + 1
            if self.age_band(p, ref_year) in ("<18", "18-26"):
                youth += 1
        out = dict(year=year, sessions_held=len(inyear), attendances=total,
                   participants=len(count), first_timers=first_timers,
                   returning=len(count) - first_timers,
                   first_timers_bp=bp(first_timers, len(count)),
                   concentration=dict(top_participants=k, top_attendances=top,
                                      bp=bp(top, total)),
                   municipalities={m: n for m, n in per_muni.items()},
                   outside=outside, target_groups=groups, youth=youth,
                   methods={m: tuple(v) for m, v in methods.items()})
        if report_dates is not None:
            published = sent = in_time = 0
            days = []
            for s in inyear:
                rd = report_dates.get(s["idx"])
                if not rd:
                    continue
                published += 1
                if rd[1]:
                    sent += 1
                    n = (rd[1] - s["held_on"]).days
                    days.append(n)
                    if n <= allowed_days:
                        in_time += 1
            days.sort()
            out["feedback"] = dict(sessions_held=len(inyear), reports_published=published,
                                   reports_sent=sent, sent_in_time=in_time,
                                   median_days_to_send=days[(len(days) - 1) // 2] if days else None)
        return out


# ---- what residents said and what was done with it -------------------------
# (all invented; anonymised: no participant is ever named)

FINDINGS = {
    0: ["Alleen boeken via een app sluit mensen zonder smartphone uit.",
        "Chauffeurs komen vaak meer dan een half uur te laat; mensen missen afspraken.",
        "Gedeelde ritten duren te lang voor mensen in een rolstoel."],
    1: ["Mensen zoeken eerst hulp bij de huisarts en bij vrienden, zelden online.",
        "Mantelzorgers weten niet waar ze terechtkunnen als ze zich zorgen maken om iemand."],
    2: ["Bewoners willen één contactpersoon tijdens hun verblijf.",
        "De stap naar zelfstandig wonen komt te snel; de ondersteuning stopt te vroeg."],
    3: ["Pleegouders willen respijtzorg dichter bij huis.",
        "Nieuwe pleegouders voelen zich de eerste maanden alleen.",
        "De regels voor de vergoeding zijn moeilijk te begrijpen."],
    4: ["Het aanvraagformulier logt je na tien minuten uit.",
        "Inwoners konden niet vinden waar ze documenten moesten uploaden.",
        "De versie van het formulier in eenvoudige taal begreep iedereen."],
    5: ["Jongeren willen gehoord worden vóór een besluit, niet erna.",
        "Ouders willen één plan voor het hele gezin in plaats van één per voorziening.",
        "Door wachtlijsten haken jongeren af."],
    6: ["Kinderen hebben iemand buiten beide families nodig om mee te praten.",
        "Bemiddeling komt te laat, als de strijd al verhard is."],
    7: ["Gezinnen met een migratieachtergrond weten vaak niet dat er jeugdhulp bestaat.",
        "Bij de eerste gesprekken zijn tolken nodig."],
    8: ["Leraren en hulpverleners werken niet met één plan voor het kind.",
        "Ouders van kinderen met dyslexie betalen voor hulp die de school zou moeten geven."],
    10: ["Veel brieven gebruiken juridische woorden; mensen vragen buren om ze voor te lezen.",
         "Een telefoonnummer voor vragen helpt meer dan een website."],
    11: ["De dagbesteding wordt gewaardeerd; het vervoer ernaartoe is het probleem.",
         "Mensen willen hun eigen begeleider kiezen."],
    13: ["Een vaste begeleider maakt zelfstandig wonen haalbaar.",
         "Schulden zijn de eerste reden dat mensen hun huis kwijtraken."],
}

OUTCOMES = [
    # theme, brought in, done, effect, status, reason, follow-up
    (0, "De taxi moet telefonisch te boeken blijven.",
     "In het nieuwe contract blijft telefonisch boeken op werkdagen mogelijk.", "changed_decision", "done", "",
     "Een spiegelbijeenkomst in juni 2020 koppelt terug aan de taxigebruikers."),
    (0, "Boetes bij te laat komen.", "", "none", "not_adopted",
     "het huidige contract loopt tot 2022 en kent geen boeteclausule; die staat op de lijst voor het nieuwe contract",
     ""),
    (2, "Eén contactpersoon tijdens het verblijf in de opvang.",
     "Elke bewoner heeft nu één mentor van intake tot vertrek.", "adopted_in_plan", "done",
     "", "In 2021 opnieuw met bewoners geëvalueerd."),
    (3, "Respijtzorg dichter bij huis.",
     "In Huizen en Laren zijn twee respijtgezinnen geworven.", "changed_decision", "done", "",
     "Het café van februari 2020 opende met dit nieuws."),
    (3, "Een maatje voor nieuwe pleegouders.", "Wordt uitgewerkt met de pleegzorgaanbieder.",
     "adopted_in_plan", "in_progress", "", "Bij elk café vertellen we hoe het ervoor staat."),
    (4, "Het formulier mag je niet uitloggen terwijl je het invult.",
     "De time-out is in versie 2.3 verhoogd naar zestig minuten.", "changed_decision", "done", "",
     "Opnieuw getest in de volgende gebruikerstest."),
    (5, "Jongeren horen vóór besluiten.",
     "De klankbordgroep ziet conceptbeleid nu eerder dan de gemeenteraad.",
     "adopted_in_plan", "done", "", "De groep kiest zelf haar onderwerpen voor 2020."),
    (6, "Iemand buiten beide families met wie de kinderen kunnen praten.",
     "In twee gemeenten start een pilot met een kindbehartiger.", "adopted_in_plan",
     "in_progress", "", "De vervolgbijeenkomst in november 2019 hoorde het plan."),
    (7, "Tolken bij de eerste gesprekken.", "", "none", "open", "",
     "De spiegelbijeenkomst van januari 2020 besprak de mogelijkheden."),
    (8, "Eén plan voor school en zorg.",
     "Scholen en jeugdteams werken vanaf schooljaar 2020-2021 met één formulier.",
     "changed_decision", "done", "", ""),
    (11, "Vervoer naar de dagbesteding.", "Besproken met de vervoerder.", "none",
     "in_progress", "", "Komt terug op de agenda van de volgende bijeenkomst."),
    (13, "Een vaste begeleider.", "Opgenomen in de nieuwe aanbesteding voor begeleid wonen.",
     "adopted_in_plan", "done", "", "De spiegelbijeenkomst in februari 2020 hoorde het resultaat."),
]

YOUTH_FINDINGS = [
    (3, "Pleegouders willen respijtzorg dichter bij huis.",
     "In 2019 twee respijtgezinnen geworven."),
    (5, "Ouders willen één plan voor het hele gezin.",
     "Jeugdteams proberen in 2020 een gezinsplan uit."),
    (5, "Door wachtlijsten haken jongeren af.", ""),
    (6, "Kinderen in complexe scheidingen hebben een vertrouwenspersoon buiten beide families nodig.",
     "Een pilot met een kindbehartiger in twee gemeenten."),
    (8, "School en zorg werken niet met één plan voor het kind.",
     "Eén formulier voor scholen en jeugdteams vanaf 2020-2021."),
]

# Advice and signals (intake): from (organisation index or "regular"), kind,
# theme, received, summary, answer (outcome, date, text, reason) or None,
# evaluation (date, text) or None. At 2020-09-01 exactly one is overdue: the
# council's advice on suicide prevention, unanswered since June.
ADVICE = [
    (0, "unsolicited_advice", 0, "2019-10-31", "Maak de Wmo-taxi weer telefonisch te boeken",
     ("partly_adopted", "2019-12-10", "Telefonisch boeken komt vanaf maart terug op werkdagen",
      "In het weekend blijft alleen online boeken mogelijk tot het nieuwe contract"),
     ("2020-06-20", "Telefonisch boeken werkt op werkdagen; het aantal klachten is gehalveerd")),
    (0, "solicited_advice", 2, "2019-12-02", "Advies over de evaluatie van opvang en zorg",
     ("adopted", "2020-01-13", "Het advies wordt volledig overgenomen", ""),
     ("2020-07-30", "Elke bewoner heeft een mentor")),
    ("regular", "signal", 4, "2020-02-10", "Het portaal logt je uit tijdens het invullen van een formulier",
     ("adopted", "2020-03-02", "De time-out gaat naar zestig minuten", ""), None),
    (1, "solicited_advice", 10, "2020-03-16", "Advies over brieven in eenvoudige taal",
     ("not_adopted", "2020-04-20", "De brieven blijven dit jaar zoals ze zijn",
      "De brieven volgen een landelijk model dat de regio niet voor 2021 kan aanpassen"), None),
    (0, "unsolicited_advice", 1, "2020-06-15", "Betrek mantelzorgers bij suïcidepreventie",
     None, None),
    ("regular", "signal", 3, "2020-08-10", "De brief over de pleegvergoeding is onduidelijk",
     None, None),
]

# Grants for residents' initiatives ("Samen Sterk"): pools and applications.
GRANT_POOLS = [
    ("district", 2019, 250000, "Noord", "", "Samen Sterk Noord 2019"),
    ("district", 2019, 250000, "Zuid", "", "Samen Sterk Zuid 2019"),
    ("city_wide", 2019, 600000, "", "", "Samen Sterk stedelijk 2019"),
    ("earmarked", 2019, 300000, "", "kwetsbare ouderen", "Samen Sterk ouderen 2019"),
]
# pool, initiative, applicant ("p" regular participant / organisation index),
# requested, intended result, steps: award amount, paid on, evaluated, result
GRANTS = [
    (2, "Wandelgroep voor longpatiënten", "p", 60000, "tien patiënten wandelen elke week samen",
     dict(award=(60000, "2019-03-12"), pay="2019-03-20", evaluate=("2019-06-14", "Acht wandelaars, groeiend"),
          account=("reached", "Twaalf patiënten wandelen elke dinsdag"), close=True)),
    (0, "Buurtfeest Noord", 1, 150000, "buren die elkaar nooit zien leren elkaar kennen",
     dict(award=(120000, "2019-04-02"), pay="2019-04-10",
          account=("partly", "Een mooie dag, maar er kwamen weinig nieuwe mensen"), close=True)),
    (3, "Koffieochtenden voor eenzame ouderen", "p", 80000, "twintig ouderen komen wekelijks de deur uit",
     dict(award=(80000, "2019-02-20"), pay="2019-03-01", evaluate=("2019-09-05", "Zestien vaste bezoekers"),
          account=("reached", "Er komen tweeëntwintig ouderen; twee vrijwilligers namen het over"))),
    (2, "Huiswerkclub voor kinderen van statushouders", 5, 200000, "vijftien kinderen maken huiswerk met een vrijwilliger",
     dict(award=(200000, "2019-05-07"), pay="2019-05-15",
          account=("reached", "Achttien kinderen, vier vrijwilligers"), close=True)),
    (1, "Repaircafé Zuid", "p", 90000, "repareren in plaats van weggooien",
     dict(reject="Niet gericht op mensen die nu buiten de samenleving staan; probeer het duurzaamheidsfonds")),
    (1, "Mannenwerkplaats", "p", 120000, "geïsoleerde mannen werken samen aan projecten",
     dict(award=(100000, "2019-06-18"), pay="2019-06-25",
          account=("not_reached", "De twee vrijwilligers verhuisden; de werkplaats sloot na vier maanden"),
          close=True)),
    (3, "Zingen voor mensen met dementie", 2, 150000, "mensen met dementie en mantelzorgers zingen wekelijks",
     dict(award=(150000, "2019-09-10"), withdraw=True)),
    (2, "Digicafé", 1, 100000, "dertig inwoners kunnen zelfstandig het portaal gebruiken",
     dict()),
    (3, "Het buurthuis in de winter open houden", 1, 200000,
     "een warme plek om elkaar te ontmoeten op wintermiddagen",
     dict(award=(180000, "2019-10-15"), pay="2019-11-01", evaluate=("2020-02-12", "Druk op woensdag"))),
]

# Budget lines: year, name, kind, parts, stated. 2019 has the ten-times slip of
# the source documents on the youth report line (stated 40,000 for 80 h x 50).
BUDGET = [
    (2019, "coördinatie", ["--kind", "hours_per_week", "--hours", "10", "--rate", "50",
                            "--weeks", "45"], None),
    (2019, "activiteiten: gespreksleiders en deskundigheid", ["--kind", "fixed", "--amount", "6000"], None),
    (2019, "activiteiten: catering en zaalhuur", ["--kind", "fixed", "--amount", "2500"], None),
    (2019, "vergoedingen deelnemers", ["--kind", "reimbursement", "--amount", "2500"], None),
    (2019, "CEO Jeugd 2019: opstellen rapportage", ["--kind", "total_hours", "--hours", "80",
                                              "--rate", "50"], "40000"),
    (2019, "pilot: opgeleide ervaringsdeskundigen als gespreksleider",
     ["--kind", "pilot", "--hours", "4", "--rate", "50", "--weeks", "37.5",
      "--period", "2019-02-01..2019-10-31"], None),
    (2020, "coördinatie", ["--kind", "hours_per_week", "--hours", "10", "--rate", "80",
                            "--weeks", "46"], None),
    (2020, "activiteiten: gespreksleiders, catering en zaalhuur", ["--kind", "fixed", "--amount", "8500"],
     None),
    (2020, "vergoedingen deelnemers", ["--kind", "reimbursement", "--amount", "2500"], None),
    (2020, "CEO Jeugd 2020: opstellen rapportage", ["--kind", "total_hours", "--hours", "80",
                                              "--rate", "80"], "6400"),
]
STATED_TOTAL_2019 = "81000"   # what the 2019 document said: 45,000 plus the slip's 36,000
SPLIT_TOTAL_2019 = "45000"
DECISION_REASON_2017 = "Het portefeuillehoudersoverleg stelde de tabel van het besluit vast zoals die er staat"


LOCATIONS = {"FG": "Raadhuis, Hilversum", "SB": "Bibliotheek, Bussum", "C": "Buurthuis, Huizen",
             "T": "Servicepunt, Hilversum", "KB": "Jongerencentrum, Naarden", "WB": "Een basisschool, Laren",
             "N": "Raadhuis, Huizen"}
TASKS = {"FG": "recruitment,facilitation,minutes,feedback", "I": "recruitment,minutes,feedback",
         "SB": "programme,facilitation,minutes,feedback", "C": "facilitation,minutes,feedback",
         "T": "recruitment,minutes", "KB": "minutes,feedback,handover", "WB": "contacts,minutes",
         "N": "programme,contacts,minutes", "E": "programme,feedback"}
METHOD_NAMES = {"FG": "Focusgroep", "I": "Interviews", "SB": "Spiegelbijeenkomst", "E": "Enquête",
                "KB": "Klankbordgroep", "WB": "Werkbezoek", "T": "Gebruikerstest",
                "C": "Café", "N": "Netwerkbijeenkomst"}


def _when(day):
    return "%d %s %d" % (day.day, ["januari", "februari", "maart", "april", "mei", "juni", "juli",
                                   "augustus", "september", "oktober", "november", "december"][day.month - 1],
                         day.year)


class Steps:
    """Turns a Plan into samenctl commands, in the order an office would do
    the work: the address file, the agenda, each session in time order, the
    write-ups, then the money, the grants and the advice."""

    def __init__(self, plan, dated=()):
        """dated: the report verbs that take a --date in this samenctl
        ("approve", "publish", "youth-adopt"), and "grant-apply" when `grant
        apply` takes --on; without them the service's today is used."""
        self.plan, self.dated = plan, set(dated)
        self.dated_publish = "publish" in self.dated
        self.out = []
        self.regulars = [plan.erase_target] + [p["idx"] for p in plan.participants
                                               if p["regular"] and p["idx"] != plan.erase_target]
        self.rng = random.Random(plan.seed + 1)

    def add(self, key, argv, **kw):
        self.out.append(Step(key, argv, **kw))

    def sync(self, what):
        self.out.append(Step("sync:%s" % what, kind="sync"))

    def build(self):
        p = self.plan
        for name, code, inh in MUNICIPALITIES:
            self.add("m:%s" % code, ["municipality", "add", name, "--code", code, "--inhabitants",
                                     str(inh), "--as-of", AS_OF], capture=lambda d, ids: {})
        self.sync("municipalities")
        for o in p.organisations:
            self.add("o:%d" % o["idx"], ["organisation", "add", o["name"], "--kind", o["kind"],
                                         "--municipality", o["municipality"], "--contact",
                                         o["contact"], "--contact-email", o["contact_email"]])
        crng = random.Random(p.seed + 2)
        for q in p.participants:
            argv = ["participant", "add", q["name"], "--consent", "--email", q["email"],
                    "--birth-year", str(q["birth_year"]),
                    "--consent-given", str(datetime.date(2018, 9, 1) +
                                           datetime.timedelta(days=crng.randint(0, 120)))]
            if q["birth_year"] >= p.today.year - 16:
                # Under 16 in the programme's year: a parent consented too
                # (intake asks it up to the age of 16 reached that year).
                argv += ["--guardian", "Ouder van " + q["name"], "--guardian-consent-given",
                         argv[argv.index("--consent-given") + 1]]
            if q["phone"]:
                argv += ["--phone", q["phone"]]
            if q["municipality"]:
                argv += ["--municipality", q["municipality"]]
            for lab in q["labels"]:
                argv += ["--label", lab]
            for g in q["groups"]:
                argv += ["--target-group", g]
            if q["channel"] is not None:
                argv += ["--channel", _ref("o:%d" % q["channel"])]
            self.add("p:%d" % q["idx"], argv)
        self._agenda()
        self.sync("participants known to scheduling")
        self._sessions()
        self.sync("attendance known to reporting and finance")
        self._reports()
        self._outcomes()
        self._youth()
        self._budget()
        self._hours()
        self._reimbursements()
        self._split()
        self._grants()
        self._advice()
        # Someone moves away and withdraws; their place in a coming session goes to the next.
        future = [s for s in p.sessions if s["status"] == "planned" and s.get("registered")]
        if future:
            who = future[-1]["registered"][-1]
            self.add("withdraw:%d" % who, ["participant", "withdraw", _pid(who), "--date",
                                            "2020-08-25"], capture=lambda d, ids: {})
        self.sync("the end")
        return self.out

    # -- agenda ---------------------------------------------------------------
    def _agenda(self):
        p = self.plan
        for t in p.themes:
            argv = ["theme", "add", t["title"], "--domain", t["domain"], "--phase", t["phase"],
                    "--year", ",".join(str(y) for y in t["years"]), "--source", t["source"],
                    "--question", t["question"], "--leader", t["leader"]]
            if t["lead"]:
                argv += ["--political-lead", t["lead"]]
            self.add("t:%d" % t["idx"], argv)
        # The portfolio holders adopted the agenda "najaar 2019 - medio 2020".
        self.add("adopt:2020", ["agenda", "adopt", "--year", "2020", "--body",
                                "Portefeuillehoudersoverleg Sociaal Domein", "--date",
                                "2019-10-03", "--decision", "PHO 2019-10-03/4"],
                 capture=lambda d, ids: {})
        for s in p.sessions:
            if s["series_first"] is not None:
                continue
            spec = s["spec"]
            argv = ["session", "plan", "--theme", _ref("t:%d" % s["theme"]), "--method", s["method"]]
            if s["start"]:
                end = s["start"] + datetime.timedelta(minutes=s["minutes"])
                argv += ["--start", s["start"].strftime("%Y-%m-%dT%H:%M"),
                         "--end", end.strftime("%Y-%m-%dT%H:%M")]
            else:
                argv += ["--period", s["period"]]
            if s["title"]:
                argv += ["--title", s["title"]]
            if s["tentative"]:
                argv.append("--tentative")
            if s["method"] == "I":
                argv += ["--location", "Telefonisch en op huisbezoek op afspraak",
                         "--location-kind", "on_site"]
            elif s["method"] in LOCATIONS:
                argv += ["--location", LOCATIONS[s["method"]]]
            # A survey takes the method's own defaults (scheduling/methods/E):
            # no limit on places, no reimbursement.
            if s["method"] != "E":
                argv += ["--capacity", str(s["capacity"]),
                         "--reimbursement", str(s["reimbursement"])]
            argv += ["--tasks", TASKS[s["method"]]]
            if s["groups"]:
                argv += ["--target-group", ",".join(s["groups"])]
            if s["follow_up"] is not None:
                argv += ["--follow-up-of", _sid(s["follow_up"])]
            if spec.get("chair"):
                argv += ["--facilitator", _pid(p.chair)]
            else:
                argv += ["--facilitator", "coordinator"]
            capture = None
            if spec.get("series"):
                kind, every, count = spec["series"]
                argv += ["--" + kind.replace("_", "-"), str(every), "--count", str(count)]
                members = [x["idx"] for x in p.sessions
                           if x["idx"] == s["idx"] or x["series_first"] == s["idx"]]
                capture = (lambda m: lambda d, ids: {"s:%d" % i: sid
                                                     for i, sid in zip(m, d["occurrences"])})(members)
            self.add("s:%d" % s["idx"], argv, capture=capture)
        for s in p.sessions:
            if s["postpone_to"]:
                start = datetime.datetime.fromisoformat(s["postpone_to"])
                end = start + datetime.timedelta(minutes=s["minutes"])
                self.add("postpone:%d" % s["idx"], ["session", "update", _sid(s["idx"]), "--start",
                                                     s["postpone_to"], "--end",
                                                     end.strftime("%Y-%m-%dT%H:%M")],
                         capture=lambda d, ids: {})

    def _sessions(self):
        p = self.plan
        none = lambda d, ids: {}  # noqa: E731
        for s in p.by_time:
            i = s["idx"]
            if s["status"] == "cancelled":
                self.add("cancel:%d" % i, ["session", "cancel", _sid(i)], capture=none)
                continue
            for q in s["regs"]:
                self.add("reg:%d:%d" % (i, q), ["session", "register", _sid(i), _pid(q)], capture=none)
            for q in s["unregister"]:
                self.add("unreg:%d:%d" % (i, q), ["session", "unregister", _sid(i), _pid(q)],
                         capture=none)
            if s["status"] == "held":
                self.add("hold:%d" % i, ["session", "hold", _sid(i)], capture=none)
                argv = ["attendance", "record", _sid(i), "--attended", _pids(s["attended"])]
                if s["no_show"]:
                    argv += ["--no-show", _pids(s["no_show"])]
                self.add("att:%d" % i, argv, capture=none)
                if s["walk_ins"]:
                    self.add("walkin:%d" % i, ["attendance", "record", _sid(i), "--attended",
                                                _pids(s["walk_ins"]), "--walk-in"], capture=none)
            elif not s["tentative"] and s["start"]:
                self.add("confirm:%d" % i, ["session", "confirm", _sid(i)], capture=none)

    # -- the feedback loop ---------------------------------------------------
    def _report_text(self, s, slip=None):
        p = self.plan
        t = p.themes[s["theme"]]
        n = len(s["attended"]) + len(s["walk_ins"])
        lines = ["# %s: %s" % (METHOD_NAMES[s["method"]], t["title"]), ""]
        lines.append("Gehouden op %s. Er %s %d %s mee." % (_when(s["held_on"]),
                                                         "deed" if n == 1 else "deden", n,
                                                         "persoon" if n == 1 else "mensen"))
        if s["follow_up"] is not None:
            lines.append("De bijeenkomst opende met wat er is gedaan met de inbreng van %s."
                         % _when(p.sessions[s["follow_up"]]["held_on"]))
        lines += ["", "## Centrale vraag", "", t["question"], "", "## Wat we hoorden", ""]
        found = FINDINGS.get(s["theme"], ["Deelnemers deelden hun ervaringen."])
        k = s["k"] % len(found)
        for f in found[k:] + found[:k]:
            lines.append("- " + f)
        if slip:
            lines.append("- %s zei dat het wachten het ergste was." % slip)
        lines += ["", "## Hoe het verder gaat", "",
                  "De projectleider neemt dit mee in de volgende versie van het beleid; dit "
                  "verslag gaat naar iedereen die heeft meegedaan.", "",
                  "_Geanonimiseerd: dit verslag noemt geen deelnemers._", ""]
        return "\n".join(lines)

    def _reports(self):
        p = self.plan
        none = lambda d, ids: {}  # noqa: E731
        for r in p.reports:
            s = p.sessions[r["session"]]
            i = s["idx"]
            rk = r["key"]
            rid = _ref(rk)
            slip = p.participants[s["attended"][0]]["name"] if r["pii_slip"] else None
            self.add(rk, ["report", "draft", _sid(i)], stdin=self._report_text(s, slip))
            if slip:
                self.add("approve0:%d" % i, ["report", "approve", rid], capture=none)
                self.add("publish0:%d" % i, ["report", "publish", rid], capture=none,
                         expect="refused")
                self.add("revise:%d" % i, ["report", "revise", rid], stdin=self._report_text(s),
                         capture=none)
            argv = ["report", "approve", rid]
            if "approve" in self.dated:
                # Approved a couple of days before publishing; never before
                # the session, never after today (publishing is not before it).
                on = min(r["publish"], p.today) - datetime.timedelta(days=2)
                argv += ["--date", str(max(s["held_on"], on))]
            self.add("approve:%d" % i, argv, capture=none)
            if r["state"] == "approved":
                continue
            argv = ["report", "publish", rid]
            if self.dated_publish:
                argv += ["--date", str(r["publish"])]
            self.add("pub:%d" % i, argv,
                     capture=(lambda k: lambda d, ids: {k: d.get("published_on")})("pub:%d" % i),
                     verify=(rk, "pub:%d" % i))
            if r["state"] == "sent":
                sent = r["sent"]
                self.add("sent:%d" % i, ["report", "sent", rid, "--date",
                                          (lambda k, day: lambda ids: str(max(day, d(ids[k]))))(
                                              "pub:%d" % i, sent)], capture=none)

    def _outcomes(self):
        p = self.plan
        for n, (ti, brought, done, effect, status, reason, follow) in enumerate(OUTCOMES):
            held = [s["idx"] for s in p.sessions if s["theme"] == ti and s["status"] == "held"]
            if not held:
                continue
            argv = ["outcome", "add", _ref("t:%d" % ti), "--sessions",
                    (lambda h: lambda ids: ",".join(ids["s:%d" % i] for i in h))(held),
                    "--brought-in", brought, "--effect", effect, "--status", status]
            if done:
                argv += ["--done", done]
            if reason:
                argv += ["--reason", reason]
            if follow:
                argv += ["--follow-up", follow]
            self.add("u:%d" % n, argv)

    def _youth(self):
        none = lambda d, ids: {}  # noqa: E731
        for n, (ti, finding, done) in enumerate(YOUTH_FINDINGS):
            argv = ["report", "youth-finding", "--year", "2019", "--theme", _ref("t:%d" % ti),
                    "--finding", finding]
            if done:
                argv += ["--done", done]
            self.add("yf:%d" % n, argv, capture=none)
        if "youth-adopt" in self.dated:
            self.add("youth-adopt", ["report", "youth-adopt", "--year", "2019", "--date",
                                     "2020-06-19"], capture=none)
            self.add("youth-submit", ["report", "youth-submit", "--year", "2019", "--date",
                                      "2020-06-26"], capture=none)
        else:
            # Adopted on the services' today; submitted the same day.
            self.add("youth-adopt", ["report", "youth-adopt", "--year", "2019"], capture=none)
            self.add("youth-submit", ["report", "youth-submit", "--year", "2019"], capture=none)

    # -- money ------------------------------------------------------------------
    def _budget(self):
        p = self.plan
        for year, name, parts, stated in BUDGET:
            argv = ["budget", "add-line", str(year), "--name", name] + parts
            if stated:
                argv += ["--stated", stated]
            self.add("l:%d:%s" % (year, name), argv)
        # Costs booked against the activity lines, per session.
        fac = _ref("l:2019:activiteiten: gespreksleiders en deskundigheid")
        cat = _ref("l:2019:activiteiten: catering en zaalhuur")
        act20 = _ref("l:2020:activiteiten: gespreksleiders, catering en zaalhuur")
        n = 0
        for s in p.by_time:
            if s["status"] != "held":
                continue
            line = act20 if s["held_on"].year == 2020 else None
            on = str(s["held_on"])
            if s["method"] in ("C", "SB", "KB", "N"):
                amount = {"C": "185.50", "SB": "142.75", "KB": "96.40", "N": "310.00"}[s["method"]]
                self.add("x:%d" % n, ["expense", "add", "--line", line or cat, "--category",
                                      "catering", "--amount", amount, "--session", _sid(s["idx"]),
                                      "--on", on, "--description", "koffie, thee en broodjes"])
                n += 1
            if s["method"] == "SB":
                self.add("x:%d" % n, ["expense", "add", "--line", line or fac, "--category",
                                      "facilitator", "--amount", "450", "--session", _sid(s["idx"]),
                                      "--on", on, "--description", "externe gespreksleider"])
                n += 1
        future_cafe = [s for s in p.sessions if s["method"] == "C" and s["status"] == "planned"]
        if future_cafe:
            s = future_cafe[0]
            self.add("x:room", ["expense", "add", "--line", act20, "--category", "room",
                                "--amount", "120", "--session", _sid(s["idx"]), "--committed",
                                "--on", "2020-08-20", "--description", "zaalhuur"])
        self.add("x:expert", ["expense", "add", "--line", fac, "--category", "expertise",
                              "--amount", "900", "--theme", _ref("t:5"), "--committed", "--on",
                              "2019-04-01", "--description", "training voor de voorzitter van de klankbordgroep"])
        self.add("x:expert-settle", ["expense", "settle", _ref("x:expert"), "--amount", "850",
                                     "--on", "2019-06-01"], capture=lambda d, ids: {})

    def _reimbursements(self):
        p = self.plan
        self.sync("entitlements created by finance")
        sessions = sorted({e["session"] for e in p.entitlements})
        for i in sessions:
            self.add("ents:%d" % i, ["reimburse", "list", "--session", _sid(i)],
                     capture=(lambda si: lambda d, ids: {
                         "e:%d:%s" % (si, e["participant"]): e["id"] for e in d["entitlements"]})(i))
        for q in p.participants:
            if q["iban"]:
                self.add("payee:%d" % q["idx"], ["payee", "set", _pid(q["idx"]), "--iban", q["iban"],
                                                 "--holder", q["name"]], capture=lambda d, ids: {})
        acts = []
        for e in p.entitlements:
            eid = (lambda si, pi: lambda ids: ids["e:%d:%s" % (si, ids["p:%d" % pi])])(
                e["session"], e["participant"])
            tag = "%d:%d" % (e["session"], e["participant"])
            if e["state"] == "waived":
                acts.append((p.sessions[e["session"]]["held_on"] + datetime.timedelta(days=30), "waive:" + tag,
                             ["reimburse", "waive", eid, "--reason", "niet gedeclareerd"]))
            if "claim" in e:
                acts.append((e["claim"], "claim:" + tag, ["reimburse", "claim", eid, "--on", str(e["claim"])]))
            if "approve" in e:
                acts.append((e["approve"], "approve:" + tag,
                             ["reimburse", "approve", eid, "--on", str(e["approve"])]))
            if "pay" in e:
                acts.append((e["pay"], "pay:" + tag, ["reimburse", "pay", eid, "--on", str(e["pay"]),
                                                      "--reference", "DEMO-PAY-%s-%s" % (e["pay"], tag)]))
        order = {"claim": 0, "approve": 1, "pay": 2, "waive": 3}
        acts.sort(key=lambda a: (a[0], order[a[1].split(":")[0]], a[1]))
        for _, key, argv in acts:
            self.add(key, argv, capture=lambda d, ids: {})

    def _split(self):
        self.add("v:2019", ["finance", "split", "--total", SPLIT_TOTAL_2019, "--unit", "1000",
                            "--as-of", AS_OF, "--name", "Samenkracht 2019",
                            "--purpose", "programmakosten 2019", "--year", "2019"],
                 capture=lambda d, ids: {"v:2019": d.get("id") or d.get("allocation", {}).get("id")})
        paid = [("Hilversum", "2019-03-01"), ("Huizen", "2019-03-04"), ("Gooise Meren", "2019-03-11"),
                ("Laren", "2019-03-15"), ("Blaricum", "2019-04-02"), ("Wijdemeren", "2019-05-20")]
        for name, on in paid:
            self.add("inv:%s" % name, ["finance", "invoice-pay", _ref("v:2019"), name, "--on", on,
                                       "--reference", "DEMO-INV-2019-%s" % slug(name)[:6]],
                     capture=lambda d, ids: {})

        # The 2017-2018 decision: EUR 60,000 by inhabitants, but the portfolio holders'
        # table gives Hilversum EUR 20,000 where the split gives 21,000 (EUR 59,000 in all).
        self.add("v:2017", ["finance", "split", "--total", "60000", "--unit", "1000", "--as-of",
                            AS_OF, "--name", "Samenkracht 2017-2018", "--purpose",
                            "programmakosten 2017 en 2018", "--year", "2017", "--to-year",
                            "2018"])
        self.add("decide:2017", ["finance", "decide", _ref("v:2017"), "Hilversum", "--amount",
                                 "20000", "--reason", DECISION_REASON_2017, "--on", "2017-03-09",
                                 "--reference", "PHO 2017-03-09"], capture=lambda d, ids: {})
        # Every municipality paid what was decided, in spring 2017.
        for i, (name, _code, _inh) in enumerate(MUNICIPALITIES):
            self.add("inv:2017:%s" % name,
                     ["finance", "invoice-pay", _ref("v:2017"), name, "--on",
                      "2017-04-%02d" % (3 + i), "--reference", "DEMO-INV-2017-%s" % slug(name)[:6]],
                     capture=lambda d, ids: {})

    def _hours(self):
        # The coordinator's hours on the 2020 line (10 h/week x EUR 80 x 46 weeks): 11 a week
        # from week 2, so that by the demo's today (2020-09-01, week 36) it runs ahead.
        line = _ref("l:2020:coördinatie")
        for week in range(2, 36):
            self.add("h:2020:%d" % week, ["hours", "record", "CK", "--week", "2020-W%02d" % week,
                                          "--line", line, "--hours", "11"],
                     capture=lambda d, ids: {})

    def _grants(self):
        p = self.plan
        none = lambda d, ids: {}  # noqa: E731
        for n, (kind, year, cents, district, earmark, name) in enumerate(GRANT_POOLS):
            argv = ["grant", "pool-add", "--kind", kind, "--year", str(year), "--amount",
                    _money(cents), "--name", name]
            if district:
                argv += ["--district", district]
            if earmark:
                argv += ["--earmark", earmark]
            self.add("k:%d" % n, argv)
        regs = iter(self.regulars)
        for n, (pool, initiative, applicant, cents, result, flow) in enumerate(GRANTS):
            who = _pid(next(regs)) if applicant == "p" else _ref("o:%d" % applicant)
            g = _ref("g:%d" % n)
            argv = ["grant", "apply", "--pool", _ref("k:%d" % pool), "--initiative", initiative,
                    "--applicant", who, "--requested", _money(cents), "--intended-result", result,
                    "--answer", "residents_in_lead=yes",
                    "--answer", "reaches_people_outside=%s" % ("yes" if "reject" not in flow else "no")]
            if GRANT_POOLS[pool][3]:
                argv += ["--district", GRANT_POOLS[pool][3]]
            if "grant-apply" in self.dated:
                # Submitted three weeks before the decision (steps are not
                # dated before the submission), else early in the pool's year.
                award = flow.get("award")
                on = (datetime.date.fromisoformat(award[1]) - datetime.timedelta(days=21)
                      if award else datetime.date(GRANT_POOLS[pool][1], 2, 1))
                argv += ["--on", str(on)]
            self.add("g:%d" % n, argv)
            if "reject" in flow:
                self.add("g-reject:%d" % n, ["grant", "reject", g, "--reason", flow["reject"]], capture=none)
            if "award" in flow:
                amount, on = flow["award"]
                self.add("g-award:%d" % n, ["grant", "award", g, "--amount", _money(amount), "--on", on],
                         capture=none)
            if flow.get("withdraw"):
                self.add("g-withdraw:%d" % n, ["grant", "withdraw", g], capture=none)
            if "pay" in flow:
                self.add("g-pay:%d" % n, ["grant", "pay", g, "--on", flow["pay"], "--reference",
                                           "DEMO-GRANT-%d" % (n + 1)], capture=none)
            if "evaluate" in flow:
                on, notes = flow["evaluate"]
                self.add("g-eval:%d" % n, ["grant", "evaluate", g, "--on", on, "--notes", notes],
                         capture=none)
            if "account" in flow:
                res, narrative = flow["account"]
                self.add("g-account:%d" % n, ["grant", "account", g, "--result", res, "--narrative",
                                               narrative], capture=none)
            if flow.get("close"):
                self.add("g-close:%d" % n, ["grant", "close", g], capture=none)

    def _advice(self):
        none = lambda d, ids: {}  # noqa: E731
        regs = iter(self.regulars)
        for n, (src, kind, ti, received, summary, answer, evaluation) in enumerate(ADVICE):
            who = _pid(next(regs)) if src == "regular" else _ref("o:%d" % src)
            self.add("a:%d" % n, ["advice", "add", "--kind", kind, "--from", who, "--theme",
                                  _ref("t:%d" % ti), "--received", received, "--summary", summary])
            if answer:
                outcome, on, text, reason = answer
                argv = ["advice", "answer", _ref("a:%d" % n), "--outcome", outcome, "--text", text,
                        "--date", on]
                if reason:
                    argv += ["--reason", reason]
                self.add("a-answer:%d" % n, argv, capture=none)
            if evaluation:
                self.add("a-eval:%d" % n, ["advice", "evaluate", _ref("a:%d" % n), "--text",
                                           evaluation[1], "--date", evaluation[0]], capture=none)


# ---- running the steps -------------------------------------------------------

SERVICES = ["intake", "scheduling", "reporting", "finance"]


class Unreachable(Exception):
    pass


class StepFailed(Exception):
    pass


class Loader:
    def __init__(self, samenctl, broker=None, timeout_ms=5000, journal=None, quiet=False):
        self.samenctl, self.broker, self.timeout_ms = samenctl, broker, timeout_ms
        self.journal, self.quiet = journal, quiet
        self.ids = {}
        self.done = set()
        self.run_id = None
        self.env = dict(os.environ)
        self.env.pop("SAMEN_RID", None)

    def say(self, text):
        if not self.quiet:
            print(text, flush=True)

    # -- samenctl ---------------------------------------------------------------
    def ctl(self, argv, stdin=None, rid=None, json_out=True):
        cmd = [self.samenctl]
        if self.broker:
            cmd += ["--broker", self.broker]
        cmd += ["--timeout", str(self.timeout_ms)]
        if json_out:
            cmd.append("--json")
        cmd += argv
        env = self.env
        if rid:
            env = dict(env, SAMEN_RID=rid)
        for attempt in range(20):
            try:
                p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env,
                                   timeout=max(60, 4 * self.timeout_ms / 1000))
                return p.returncode, p.stdout, p.stderr
            except OSError:
                # The binary is being rebuilt (`make` relinks it in place): wait.
                if attempt == 19:
                    raise
                time.sleep(0.5)

    def read(self, argv):
        # `call` prints the reply's data as JSON by itself (--json: the whole reply).
        rc, out, err = self.ctl(argv, json_out=argv[0] != "call")
        if rc == 3:
            raise Unreachable(err.strip())
        if rc != 0:
            raise StepFailed("samenctl %s: %s" % (" ".join(argv), err.strip()))
        return json.loads(out) if out.strip() else None

    def help_text(self, *words):
        p = subprocess.run([self.samenctl, *words, "--help"] if words else [self.samenctl, "help"],
                           capture_output=True, text=True)
        return p.stdout + p.stderr

    def features(self):
        """What this samenctl can do: its nouns, and whether `report publish`
        takes a --date (otherwise reports are published on the services' today)."""
        text = self.help_text()
        nouns = set()
        for line in text.splitlines():
            parts = line.split()
            if line.startswith("  ") and parts and parts[0].isalpha():
                nouns.add(parts[0])
        dated = set()
        for line in self.help_text("report").splitlines():
            for verb in ("approve", "publish", "youth-adopt"):
                if line.strip().startswith("samenctl report %s " % verb) and "--date" in line:
                    dated.add(verb)
        for line in self.help_text("grant").splitlines():
            if line.strip().startswith("samenctl grant apply ") and "--on" in line:
                dated.add("grant-apply")
        return nouns, dated

    def sync(self, timeout=90.0):
        """Wait until every service has applied the events the others had
        when we asked (twice: effects cascade, e.g. intake -> scheduling ->
        finance)."""
        end = time.monotonic() + timeout
        for _ in range(2):
            last = {s: self.read(["call", s, "service.info"])["last_seq"] for s in SERVICES}
            while True:
                behind = []
                for s in SERVICES:
                    info = self.read(["call", s, "service.info"])
                    for src, cur in (info.get("following") or {}).items():
                        if src in last and cur < last[src]:
                            behind.append("%s<-%s" % (s, src))
                if not behind:
                    break
                if time.monotonic() > end:
                    raise StepFailed("services did not catch up within %.0fs: %s" %
                                     (timeout, ", ".join(behind)))
                time.sleep(0.2)

    # -- the journal -----------------------------------------------------------
    def open_journal(self, plan, resume):
        params = {"participants": plan.n, "seed": plan.seed}
        if resume and self.journal and os.path.exists(self.journal):
            with open(self.journal) as f:
                for n, line in enumerate(f):
                    if not line.strip():
                        continue
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        break  # a line cut short by a crash: that step runs again
                    if n == 0:
                        if {k: rec.get(k) for k in params} != params:
                            raise StepFailed("the journal %s is of another data set (%s); remove it "
                                             "or use the same --participants and --seed" %
                                             (self.journal, rec))
                        self.run_id = rec["run"]
                        continue
                    if rec.get("done"):
                        self.done.add("<done>")
                        continue
                    self.done.add(rec["key"])
                    self.ids.update(rec.get("ids", {}))
            return True
        self.run_id = os.urandom(3).hex()
        if self.journal:
            os.makedirs(os.path.dirname(os.path.abspath(self.journal)), exist_ok=True)
            with open(self.journal, "w") as f:
                f.write(json.dumps(dict(params, run=self.run_id)) + "\n")
        return False

    def record(self, key, ids):
        if self.journal:
            with open(self.journal, "a") as f:
                f.write(json.dumps({"key": key, "ids": ids}) + "\n")

    # -- one step ----------------------------------------------------------------
    def run_step(self, n, step):
        argv = [a(self.ids) if callable(a) else a for a in step.argv]
        # The same step with the same arguments gets the same request ids
        # (a retry, applied once); changed arguments get new ones.
        digest = hashlib.sha1(json.dumps([argv, step.stdin]).encode()).hexdigest()[:6]
        rid = "%s-%d-%s" % (self.run_id, n, digest)
        rc, out, err = self.ctl(argv, stdin=step.stdin, rid=rid)
        if rc == 3:
            raise Unreachable("step %d (%s): %s" % (n, step.key, err.strip()))
        if step.expect == "refused":
            if rc != 1:
                raise StepFailed("step %d (%s): samenctl %s should have been refused, got exit %d: %s"
                                 % (n, step.key, " ".join(argv), rc, err.strip()))
            return {}
        if rc == 1 and step.verify:
            # report publish makes its own request id: after a restart the
            # publication may already have happened; then it stands.
            rkey, pkey = step.verify
            r = self.read(["report", "show", self.ids[rkey]])
            if r and r.get("state") in ("published", "sent") and r.get("published_on"):
                return {pkey: r["published_on"]}
        if rc != 0:
            raise StepFailed("step %d (%s): samenctl %s\n  exit %d: %s" %
                             (n, step.key, " ".join(argv), rc, err.strip()))
        data = json.loads(out) if out.strip() else {}
        if step.capture:
            return step.capture(data, self.ids)
        return {step.key: data["id"]}

    def load(self, plan, resume=False):
        nouns, dated = self.features()
        steps = Steps(plan, dated).build()
        can_resume = resume and self.journal and os.path.exists(self.journal)
        if not can_resume:
            present = self.read(["municipality", "list"]) or {}
            if present.get("municipalities"):
                self.say("demo data: the stack already holds %d municipalities; not loading "
                         "again (start from empty data directories to load the demo afresh, "
                         "or give --resume to finish an interrupted load)"
                         % len(present["municipalities"]))
                return EXIT_PRESENT
        resumed = self.open_journal(plan, resume)
        if "<done>" in self.done:
            self.say("demo data: already loaded (journal %s)" % self.journal)
            return 0
        missing = sorted({s.argv[0] for s in steps if s.kind == "ctl"} - nouns)
        if missing:
            self.say("demo data: this samenctl has no %s yet: those steps are skipped" %
                     ", ".join(missing))
        if "publish" not in dated:
            self.say("demo data: `report publish` takes no --date here, so reports are published "
                     "on the services' today and sent from then on")
        if "youth-adopt" not in dated:
            self.say("demo data: `report youth-adopt` takes no --date here, so the 2019 youth "
                     "report is adopted and submitted on the services' today")
        todo = [(n, s) for n, s in enumerate(steps) if s.kind == "sync" or s.key not in self.done]
        self.say("demo data: %d participants, %d steps%s" %
                 (plan.n, len(steps), ", resuming with %d left" % sum(
                     1 for _, s in todo if s.kind != "sync") if resumed else ""))
        if resumed:
            self.sync()
        t0 = time.monotonic()
        ran = 0
        first_todo = min([n for n, s in todo if s.kind != "sync"] or [len(steps)])
        for n, step in todo:
            if step.kind == "sync":
                if n >= first_todo:
                    self.sync()
                continue
            if step.argv and step.argv[0] in missing:
                continue
            got = self.run_step(n, step)
            self.ids.update(got)
            self.record(step.key, got)
            ran += 1
            if ran % 200 == 0:
                self.say("  %d steps (%.0fs)" % (ran, time.monotonic() - t0))
        self.record_done()
        self.say("demo data: loaded in %.0fs" % (time.monotonic() - t0))
        return 0

    def record_done(self):
        if self.journal:
            with open(self.journal, "a") as f:
                f.write(json.dumps({"done": True}) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Load the fictional programme year through samenctl.")
    ap.add_argument("--samenctl", default=os.path.join(ROOT, "build", "release", "samenctl"))
    ap.add_argument("--broker", default=None, help="broker endpoint (else samenctl's default)")
    ap.add_argument("--participants", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--journal", default=os.path.join(ROOT, "var", "demo-load.journal"))
    ap.add_argument("--resume", action="store_true",
                    help="go on from the journal of an interrupted load")
    ap.add_argument("--timeout", type=int, default=5000, help="samenctl --timeout, ms")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    try:
        plan = Plan(a.participants, a.seed)
    except ValueError as e:
        print("demo data: %s" % e, file=sys.stderr)
        return EXIT_USAGE
    loader = Loader(a.samenctl, a.broker, a.timeout, a.journal, a.quiet)
    try:
        return loader.load(plan, resume=a.resume)
    except Unreachable as e:
        print("demo data: the stack became unreachable at %s\n  start it again and run the same "
              "command with --resume to go on where it stopped" % e, file=sys.stderr)
        return EXIT_UNREACHABLE
    except StepFailed as e:
        print("demo data: %s" % e, file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
