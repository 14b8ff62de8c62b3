"""sitetest: samen-site on a whole stack, for tests/integration/test_site*.py.

    import samentest as st, sitetest

    @st.test(config=sitetest.config())
    def a_test(stack):
        data = sitetest.populate(stack)          # a programme on the real services
        site = sitetest.Site(stack)              # samen-site with this stack's config
        site.start()
        site.wait_generation(1)
        html = site.read("themes/T1.html")

populate() fills the real services with a small programme (themes, sessions
to come and held, registrations, published reports, outcomes) and puts the
CANARY participant's name, e-mail address and phone number everywhere a
person's data can be without being public: intake's address file, a theme's
project leader and political lead, a session's facilitator, a report draft,
and a correction draft and its note on a published report. None of it may
ever reach a file of the site.

The services' today is SAMEN_TODAY (set by the suites before the stack
starts); the data below is dated around 2020-06-30.
"""
import html.parser
import os
import posixpath
import re
import signal
import subprocess
import time
import urllib.parse

import samentest as st

TODAY = "2020-06-30"
CANARY = {"name": "Zacharias Oosterbroek", "email": "zo.canary@example.nl",
          "phone": "06-13579246"}
# What must never be found in any file of the site (case ignored).
CANARY_PARTS = ["Zacharias", "Oosterbroek", "zo.canary", "13579246", "1357 9246"]


def config(**site):
    """A stack config with a site section on private paths (filled in by
    Site from the stack's directory: output_dir and state_dir are set
    there), rebuilds at most every 200 ms, Dutch."""
    opts = {"rebuild_ms": "200", "backfill_interval_ms": "300",
            "base_url": "https://www.regio.example/meedoen/",
            "contact": "meedoen@regio.example of 035 123 45 67", "title": "Samenkracht"}
    opts.update(site)
    return {"site": opts, "samen": {"locale": "nl"}}


class Site:
    """samen-site run as a daemon against stack (its own process, its own
    log), with OUTPUT_DIR and STATE_DIR under the stack's directory."""

    def __init__(self, stack):
        self.stack = stack
        self.out = os.path.join(stack.dir, "site", "public")
        self.state_dir = os.path.join(stack.dir, "site", "state")
        stack.config.setdefault("site", {})
        stack.config["site"].update({"output_dir": self.out, "state_dir": self.state_dir})
        stack.write_config()

    @property
    def current(self):
        return os.path.join(self.out, "current")

    def start(self, *extra):
        return self.stack.start("site", wait=False, extra=extra)

    def stop(self):
        return self.stack.stop("site")

    def kill(self):
        return self.stack.kill("site", signal.SIGKILL)

    def once(self, *extra, timeout=120):
        """samen-site --once: (exit status, stderr)."""
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        p = subprocess.run([self.stack.binary("site"), "--config", self.stack.cfg_path,
                            "--once", *extra], capture_output=True, text=True, timeout=timeout,
                           env=env, cwd=self.stack.dir)
        if st.SANITIZER.search(p.stderr):
            self.stack.problems.append(f"sanitizer report from samen-site --once:\n{p.stderr}")
        return p.returncode, p.stderr

    def state(self):
        """The state file as a dict: generation, built_on, cursors."""
        try:
            with open(os.path.join(self.state_dir, "state")) as f:
                text = f.read()
        except FileNotFoundError:
            return {"generation": 0, "cursors": {}}
        out = {"generation": 0, "cursors": {}}  # also for a damaged file
        for line in text.splitlines()[1:]:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "generation":
                out["generation"] = int(parts[1])
            elif parts[0] == "cursor":
                out["cursors"][parts[1]] = int(parts[2])
            elif len(parts) == 2:
                out[parts[0]] = parts[1]
        return out

    def generation(self):
        return self.state()["generation"]

    def served(self):
        """The generation `current` points at (0 when none)."""
        try:
            return int(os.readlink(self.current).split("-")[1])
        except (FileNotFoundError, OSError):
            return 0

    def wait_generation(self, n, timeout=30):
        st.wait_until(lambda: self.served() >= n and self.generation() >= n, timeout,
                      f"site build {n} (state {self.state()}, log:\n{self.log()[-1500:]})")
        return self.served()

    def wait_caught_up(self, timeout=30):
        """Until the last build reflects every event of both services."""
        want = {svc: self.stack.ok(svc, "service.info")["last_seq"]
                for svc in ("scheduling", "reporting")}

        def done():
            c = self.state()["cursors"]
            return all(c.get(s, 0) >= n for s, n in want.items()) and \
                self.served() == self.generation()
        st.wait_until(done, timeout, f"the site to reflect {want} (state {self.state()})")

    def read(self, rel):
        with open(os.path.join(self.current, rel), encoding="utf-8") as f:
            return f.read()

    def files(self, root=None):
        """Every file under root (default: every build and the state)."""
        out = []
        for top in ([root] if root else [self.out, self.state_dir]):
            for d, _, names in os.walk(top):
                out += [os.path.join(d, n) for n in names]
        return out

    def log(self):
        return self.stack.log("site")


# ==== A programme on the real services ======================================

def populate(stack):
    """Fill the stack; returns the IDs by name. See the module docstring."""
    ok = stack.ok
    for name, code, n in (("Hilversum", "GM0402", 87817), ("Huizen", "GM0406", 41389),
                          ("Laren", "GM0417", 10962)):
        ok("finance", "municipality.add", {"name": name, "code": code, "inhabitants": n,
                                           "as_of": "2016-01-01"}, rid="m" + code)
    ids = {}
    ids["canary"] = ok("intake", "participant.register",
                       dict(CANARY, consent=True), rid="pc")["id"]
    ids["anna"] = ok("intake", "participant.register",
                     {"name": "Anna de Vries", "consent": True}, rid="pa")["id"]
    ids["bram"] = ok("intake", "participant.register",
                     {"name": "Bram Jansen", "consent": True}, rid="pb")["id"]
    # scheduling learns the participants and municipalities from events.
    st.wait_until(lambda: (lambda c: c.get("participants_known", 0) >= 3 and
                           c.get("municipalities_known", 0) >= 3)(
                      stack.ok("scheduling", "service.info")["counts"]), 15,
                  "scheduling to learn the participants and municipalities")
    t1 = ok("scheduling", "theme.add", {
        "title": "Wmo-taxi", "question": "Wat maakt de Wmo-taxi makkelijker in gebruik?",
        "domain": "social_support", "phase": "evaluation", "years": [2019, 2020],
        "project_leader": CANARY["name"], "political_lead": "wethouder " + CANARY["name"]},
        rid="t1")["id"]
    t2 = ok("scheduling", "theme.add", {
        "title": "Ondersteuning pleegouders", "question": "Wat hebben pleegouders nodig?",
        "domain": "youth", "years": [2020], "municipalities": ["Hilversum", "Huizen"],
        "project_leader": CANARY["name"]}, rid="t2")["id"]
    t3 = ok("scheduling", "theme.add", {
        "title": "Nieuwe wijkteams", "domain": "other", "years": [2021], "status": "proposed"},
        rid="t3")["id"]
    ids.update(t1=t1, t2=t2, t3=t3)

    def plan(key, **kw):
        ids[key] = ok("scheduling", "session.plan", kw, rid="s" + key)["id"]
        return ids[key]

    plan("s_taxi_held", theme=t1, method="FG", start="2019-11-12T19:00", end="2019-11-12T21:00",
         location="Gemeentehuis Hilversum", facilitators=[CANARY["name"]])
    for pid in (ids["anna"], ids["bram"], ids["canary"]):
        ok("scheduling", "registration.create", {"session": ids["s_taxi_held"],
                                                 "participant": pid}, rid="r1" + pid)
    ok("scheduling", "session.confirm", {"session": ids["s_taxi_held"]}, rid="c1")
    ok("scheduling", "session.hold", {"session": ids["s_taxi_held"]}, rid="h1")
    ok("scheduling", "attendance.record", {"session": ids["s_taxi_held"],
                                           "attended": [ids["anna"], ids["canary"]],
                                           "no_show": [ids["bram"]]}, rid="a1")
    plan("s_taxi_mirror", theme=t1, method="SB", start="2020-09-10T19:30",
         end="2020-09-10T21:30", location="Bibliotheek Huizen", target_groups=["ouders"],
         municipalities=["Huizen"], capacity=2, question="Hebben we u goed begrepen?",
         register_by="2020-09-01")
    for pid in (ids["anna"], ids["bram"]):
        ok("scheduling", "registration.create", {"session": ids["s_taxi_mirror"],
                                                 "participant": pid}, rid="r2" + pid)
    plan("s_taxi_interviews", theme=t1, method="I", period="2020-Q4", tentative=True)
    plan("s_visit_held", theme=t1, method="WB", start="2020-05-20T10:00",
         end="2020-05-20T12:00", location="Zorgboerderij De Hoeve")
    ok("scheduling", "session.confirm", {"session": ids["s_visit_held"]}, rid="c2")
    ok("scheduling", "session.hold", {"session": ids["s_visit_held"]}, rid="h2")
    plan("s_cafe_held", theme=t2, method="C", start="2020-02-12T19:00", end="2020-02-12T21:00",
         location="Pleegoudercafé, Laren")
    ok("scheduling", "session.confirm", {"session": ids["s_cafe_held"]}, rid="c3")
    ok("scheduling", "session.hold", {"session": ids["s_cafe_held"]}, rid="h3")
    plan("s_cafe_july", theme=t2, method="C", start="2020-07-15T19:00", end="2020-07-15T21:00",
         location="Pleegoudercafé, Laren")
    ok("scheduling", "session.confirm", {"session": ids["s_cafe_july"]}, rid="c4")
    plan("s_cafe_october", theme=t2, method="C", start="2020-10-14T19:00",
         end="2020-10-14T21:00", location="https://meet.regio.example/cafe",
         location_kind="online")
    ok("scheduling", "session.cancel", {"session": ids["s_cafe_october"]}, rid="x1")
    # reporting learns the held sessions from scheduling's events: the
    # first draft is accepted once it knows them (no rid: a refusal with a
    # rid would be replayed).
    cafe = {"session": ids["s_cafe_held"], "text": (
        "# Pleegoudercafé februari\n\nTwaalf pleegouders kwamen naar het café.\n\n"
        "## Wat zij inbrachten\n\n- Meer respijtzorg dichter bij huis.\n"
        "- Een maatje voor nieuwe pleegouders.\n\n"
        "Meer over pleegzorg: [pleegzorg.nl](https://www.pleegzorg.nl/).\n")}
    ids["r_cafe"] = st.wait_until(
        lambda: (stack.call("reporting", "report.draft", cafe).get("data") or {}).get("id"), 15,
        "reporting to learn the held sessions")
    ids["r_taxi"] = ok("reporting", "report.draft", {"session": ids["s_taxi_held"], "text": (
        "# Focusgroep Wmo-taxi\n\nAcht inwoners vertelden over hun ritten.\n\n"
        "### Wat zij zeiden\n\n1. De taxi komt vaak te laat.\n"
        "2. Telefonisch boeken moet mogelijk blijven.\n\n"
        "<script>alert('niet doen')</script>\n")}, rid="d2")["id"]
    for rep, rid in ((ids["r_cafe"], "1"), (ids["r_taxi"], "2")):
        ok("reporting", "report.approve", {"report": rep}, rid="ap" + rid)
        ok("reporting", "report.publish", {"report": rep}, rid="pu" + rid)
    # A correction of the taxi report, only drafted: its text names the
    # canary (publishing it would be refused) and so does its note.
    ok("reporting", "report.revise", {"report": ids["r_taxi"], "text": (
        "# Focusgroep Wmo-taxi\n\n" + CANARY["name"] + " vertelde over de ritten.\n"),
        "note": "naam van " + CANARY["name"] + " toegevoegd"}, rid="cor")
    # A draft that names the canary, never published.
    ids["r_visit"] = ok("reporting", "report.draft", {"session": ids["s_visit_held"], "text": (
        "# Werkbezoek\n\n" + CANARY["name"] + " (" + CANARY["email"] + ", " + CANARY["phone"] +
        ") liet de boerderij zien.\n")}, rid="d3")["id"]
    ok("reporting", "outcome.add", {
        "theme": t1, "sessions": [ids["s_taxi_held"]], "brought_in": "De taxi komt vaak te laat.",
        "done": "In het nieuwe contract staat een boete bij te laat komen.", "status": "done",
        "effect": "changed_decision", "follow_up": "Een spiegelbijeenkomst in september 2020."},
        rid="u1")
    ok("reporting", "outcome.add", {
        "theme": t1, "sessions": [ids["s_taxi_held"]],
        "brought_in": "Een vaste chauffeur per inwoner.", "status": "not_adopted",
        "reason": "dat past niet in de aanbesteding"}, rid="u2")
    ok("reporting", "outcome.add", {
        "theme": t2, "sessions": [ids["s_cafe_held"]],
        "brought_in": "Meer respijtzorg dichter bij huis.", "status": "in_progress",
        "done": "Twee gemeenten zoeken respijtgezinnen."}, rid="u3")
    return ids


# ==== Links ================================================================

class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.links.append((tag, a[key]))


def broken_links(root):
    """Every internal link (href/src, relative or to '#') in the HTML files
    under root that does not resolve to a file of root (and, with a
    fragment, to an element with that id). Returns [(page, link)]."""
    pages, bad = {}, []
    for d, _, names in os.walk(root):
        for n in names:
            path = os.path.relpath(os.path.join(d, n), root)
            if n.endswith(".html"):
                p = _Links()
                with open(os.path.join(d, n), encoding="utf-8") as f:
                    p.feed(f.read())
                pages[path] = p
            else:
                pages.setdefault(path, None)
    for page, parsed in pages.items():
        if parsed is None:
            continue
        for tag, link in parsed.links:
            u = urllib.parse.urlsplit(link)
            if u.scheme or u.netloc:
                continue  # external
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), u.path)) \
                if u.path else page
            if target.startswith("..") or target not in pages:
                bad.append((page, link))
            elif u.fragment and (pages[target] is None or u.fragment not in pages[target].ids):
                bad.append((page, link))
    return bad


def internal_pages(root):
    return sorted(os.path.relpath(os.path.join(d, n), root)
                  for d, _, names in os.walk(root) for n in names if n.endswith(".html"))


def headings(text):
    return [int(h) for h in re.findall(r"<h([1-6])[ >]", text)]
