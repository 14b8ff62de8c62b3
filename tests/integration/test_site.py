#!/usr/bin/python3
"""samen-site on the whole stack: the public website built from the services'
events, as a subscriber like any other.

- What the pages show: the agenda (sessions to come per theme, how to take
  part), a page per theme (what was collected and done with it, reports),
  the reports, the yearly overviews, the iCalendar and Atom feeds, in Dutch
  (and in English with --locale en).
- Following events: a published report appears, a draft never does and
  causes no build; a restart neither misses an event nor builds again for
  one already shown; the site keeps its cursors in its own state file.
- Atomic output: a reader polling the site during a stream of rebuilds (and
  SIGKILLs of samen-site) only ever sees complete builds; every internal
  link resolves.
- Nothing personal: the canary participant's name, e-mail address and phone
  number, put everywhere a person's data can be without being public (see
  tests/lib/sitetest.py), reach no file of the site; the site never calls
  intake and builds with intake stopped.
- Bad settings stop it with exit status 2 naming the setting; a damaged
  state file costs one build.

The services' today is 2020-06-30 (SAMEN_TODAY).
"""
import os
import random
import re
import shutil
import threading
import time
import xml.etree.ElementTree as ET

os.environ["SAMEN_TODAY"] = "2020-06-30"

import icalendar  # noqa: E402  (python3-icalendar, DEBS_TEST)

import samentest as st  # noqa: E402
import sitetest  # noqa: E402
from sitetest import CANARY_PARTS, Site, broken_links, populate  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"


def site_test(**site):
    return st.test(config=sitetest.config(**site))


def built(stack, *extra):
    """Populate, start samen-site, wait until it shows everything."""
    ids = populate(stack)
    site = Site(stack)
    site.start(*extra)
    site.wait_generation(1)
    site.wait_caught_up()
    return ids, site


# ==== What the pages show ===================================================

@site_test()
def the_agenda_shows_sessions_to_come_per_theme_and_how_to_take_part(stack):
    ids, site = built(stack)
    html = site.read("index.html")
    st.check('<html lang="nl">' in html, "the agenda declares Dutch")
    # To come: the mirror meeting (full), the interviews (a quarter, tentative), the café in
    # July, the cancelled café in October; not the held ones.
    for key in ("s_taxi_mirror", "s_taxi_interviews", "s_cafe_july", "s_cafe_october"):
        st.check(f'id="{ids[key]}"' in html, f"{key} on the agenda")
    for key in ("s_taxi_held", "s_cafe_held", "s_visit_held"):
        st.check(f'id="{ids[key]}"' not in html, f"{key} (held) not on the agenda")
    # Per theme, the theme whose next session comes first first (July's café).
    st.check(html.index('themes/T2.html">Ondersteuning pleegouders') <
             html.index('themes/T1.html">Wmo-taxi'), "themes ordered by their next session")
    st.check(html.index(f'id="{ids["s_taxi_mirror"]}"') <
             html.index(f'id="{ids["s_taxi_interviews"]}"'), "sessions in date order")
    for text in ("donderdag 10 september 2020, 19:30 tot 21:30 uur", "Kwartaal 4 van 2020",
                 "Vol: u kunt zich aanmelden voor de wachtlijst. Aanmelden kan tot en met "
                 "1 september 2020.",
                 "Onder voorbehoud: de datum kan nog veranderen.",
                 "Afgelast: deze bijeenkomst gaat niet door.", "Nog 12 plaatsen vrij.",
                 "Aanmelden: meedoen@regio.example of 035 123 45 67.", "€ 15,00 per deelnemer",
                 "<dd>Huizen</dd>", "<dd>ouders</dd>", "Centrale vraag: Hebben we u goed begrepen?",
                 "<h2>Meedoen</h2>", '<a href="agenda.ics">abonneren (iCalendar)</a>'):
        st.check(text in html, f"the agenda says {text!r}")
    st.eq(sitetest.headings(html)[:3], [1, 2, 3], "headings in order")


@site_test()
def a_theme_page_says_what_was_collected_and_what_was_done_with_it(stack):
    ids, site = built(stack)
    html = site.read("themes/T1.html")
    for text in ("<h1>Wmo-taxi</h1>", "Centrale vraag: Wat maakt de Wmo-taxi makkelijker in gebruik?",
                 "<h2>Wat hebben we opgehaald, wat is ermee gedaan?</h2>",
                 '<th scope="row">De taxi komt vaak te laat.</th>',
                 "In het nieuwe contract staat een boete bij te laat komen.",
                 "niet overgenomen, omdat dat past niet in de aanbesteding",
                 "Een spiegelbijeenkomst in september 2020.",
                 f'<a href="../reports/{ids["r_taxi"]}.html">Verslag: focusgroep, 12 november 2019</a>',
                 "Werkbezoek op 20 mei 2020: het verslag volgt.", "<dd>Evaluatie</dd>"):
        st.check(text in html, f"T1's page says {text!r}")
    t2 = site.read("themes/T2.html")
    st.check("<dd>Hilversum, Huizen</dd>" in t2, "a local theme names its municipalities")
    st.check(not os.path.exists(os.path.join(site.current, "themes", f"{ids['t3']}.html")),
             "a proposed theme with nothing public has no page")
    st.check("Nieuwe wijkteams" not in site.read("themes/index.html"), "nor a place in the list")
    hs = sitetest.headings(html)
    st.check(hs[0] == 1 and all(b - a <= 1 for a, b in zip(hs, hs[1:])),
             f"headings never skip a level: {hs}")


@site_test()
def a_report_page_shows_the_published_text_rendered_safely(stack):
    ids, site = built(stack)
    html = site.read(f"reports/{ids['r_taxi']}.html")
    st.check("<h1>Verslag: focusgroep, 12 november 2019</h1>" in html, "the report's title")
    st.check("<h2>Focusgroep Wmo-taxi</h2>" in html and "<h3>Wat zij zeiden</h3>" in html,
             "the report's headings under the page's h1, no level skipped")
    st.check("<li>De taxi komt vaak te laat.</li>" in html, "the text")
    st.check("<script" not in html and "alert(" not in html, "raw HTML dropped")
    st.check("Gecorrigeerd" not in html, "the draft correction is not public")
    cafe = site.read(f"reports/{ids['r_cafe']}.html")
    st.check('<a href="https://www.pleegzorg.nl/">pleegzorg.nl</a>' in cafe, "links kept")


@site_test()
def the_yearly_overviews_are_tables_with_headers(stack):
    ids, site = built(stack)
    index = site.read("overview/index.html")
    st.check('<a href="2019.html">Jaaroverzicht 2019</a>' in index and
             '<a href="2020.html">Jaaroverzicht 2020</a>' in index, "both years listed")
    html = site.read("overview/2019.html")
    for text in ('<caption id="overview">Projecten 2019 (uitgevoerd/afgerond)</caption>',
                 '<th scope="col">Vorm en centrale vraag</th>',
                 '<th scope="col">Vervolg in 2020</th>',
                 '<th scope="row"><a href="../themes/T1.html">Wmo-taxi (T1)</a></th>',
                 "Focusgroep (FG, 1 bijeenkomst)"):
        st.check(text in html, f"the 2019 overview says {text!r}")


@site_test()
def the_calendar_and_the_report_feed_parse_and_link_back(stack):
    ids, site = built(stack)
    with open(os.path.join(site.current, "agenda.ics"), "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    st.check(f"{ids['s_taxi_mirror']}@samen" in events, f"the mirror meeting in the feed: {events}")
    st.eq(str(events[f"{ids['s_cafe_october']}@samen"]["STATUS"]), "CANCELLED",
          "a cancelled session stays in the feed, cancelled")
    st.check(f"{ids['s_taxi_interviews']}@samen" not in events, "a period has no time")
    feed = ET.parse(os.path.join(site.current, "reports.atom")).getroot()
    st.eq(feed.tag, ATOM + "feed", "an Atom feed")
    entries = feed.findall(ATOM + "entry")
    st.eq(len(entries), 2, "one entry per published report")
    links = sorted(e.find(ATOM + "link").get("href") for e in entries)
    st.eq(links, sorted(f"https://www.regio.example/meedoen/reports/{r}.html"
                        for r in (ids["r_cafe"], ids["r_taxi"])), "entries link to the pages")
    for e in entries:
        st.check(e.find(ATOM + "updated").text.startswith("2020-06-30T00:00:00+02:00"),
                 "updated is the publication day")
        st.check("<script" not in (e.find(ATOM + "content").text or ""), "content is safe")


@site_test()
def every_internal_link_resolves_and_every_page_is_reachable(stack):
    ids, site = built(stack)
    root = os.path.realpath(site.current)
    st.eq(broken_links(root), [], "broken internal links")
    # Every page is linked from some other page (nothing orphaned).
    pages = sitetest.internal_pages(root)
    linked = set()
    for p in pages:
        with open(os.path.join(root, p), encoding="utf-8") as f:
            for href in re.findall(r'href="([^"#:]+)"', f.read()):
                linked.add(os.path.normpath(os.path.join(os.path.dirname(p), href)))
    st.eq([p for p in pages if p not in linked and p != "index.html"], [], "orphaned pages")


@site_test()
def in_english_with_locale_en(stack):
    ids, site = built(stack, "--locale", "en")
    html = site.read("themes/T1.html")
    st.check('<html lang="en">' in html and "What did we collect, and what was done with it?"
             in html, "English pages")
    st.check("Projects 2019 (carried out/completed)" in site.read("overview/2019.html"),
             "the yearly overview asked for in English")


# ==== Following events ======================================================

@site_test()
def a_published_report_appears_and_a_draft_never_does_nor_causes_a_build(stack):
    ids, site = built(stack)
    gen = site.generation()
    # A draft: reporting.report.drafted is no reason to build.
    sid = stack.ok("scheduling", "session.plan", {
        "theme": ids["t2"], "method": "FG", "start": "2020-06-01T19:00",
        "end": "2020-06-01T21:00"}, rid="new")["id"]
    stack.ok("scheduling", "session.confirm", {"session": sid}, rid="newc")
    stack.ok("scheduling", "session.hold", {"session": sid}, rid="newh")
    site.wait_caught_up()
    gen = site.generation()
    rep = st.wait_until(lambda: (stack.call("reporting", "report.draft", {
        "session": sid, "text": "# Focusgroep juni\n\nDe nieuwe tekst.\n"}).get("data") or {})
        .get("id"), 15, "reporting to learn the session")
    time.sleep(1.5)  # several backfill intervals and rebuild_ms
    st.eq(site.generation(), gen, "a draft causes no build")
    st.check(not os.path.exists(os.path.join(site.current, "reports", f"{rep}.html")),
             "the draft has no page")
    stack.ok("reporting", "report.approve", {"report": rep}, rid="apn")
    time.sleep(1.0)
    st.eq(site.generation(), gen, "an approval is not public either... and causes no build")
    stack.ok("reporting", "report.publish", {"report": rep}, rid="pun")
    site.wait_generation(gen + 1)
    site.wait_caught_up()
    st.check("De nieuwe tekst." in site.read(f"reports/{rep}.html"), "the published report")
    st.check(f"reports/{rep}.html" in site.read("themes/T2.html"), "linked from its theme")


@site_test()
def a_restart_neither_misses_an_event_nor_builds_again_for_one_already_shown(stack):
    ids, site = built(stack)
    gen = site.generation()
    cursors = site.state()["cursors"]
    st.check(cursors["scheduling"] > 0 and cursors["reporting"] > 0, f"cursors kept: {cursors}")
    site.stop()
    # While the site is down: a session is planned and a title changes.
    sid = stack.ok("scheduling", "session.plan", {
        "theme": ids["t1"], "method": "KB", "start": "2020-11-03T19:00",
        "end": "2020-11-03T21:00", "location": "Raadzaal Laren"}, rid="down")["id"]
    site.start()
    site.wait_generation(gen + 1)
    site.wait_caught_up()
    st.check(f'id="{sid}"' in site.read("index.html"), "the event missed while down is shown")
    st.check("Raadzaal Laren" in site.read("themes/T1.html"), "on the theme's page too")
    gen = site.generation()
    site.stop()
    site.start()
    st.wait_until(lambda: "build=not needed" in site.log(), 15, "the second start to look")
    time.sleep(1.5)
    st.eq(site.generation(), gen, "nothing new: no build after a restart")
    st.eq(site.served(), gen, "the same build is served")
    # --once with nothing new: builds nothing, exits 0.
    site.stop()
    rc, err = site.once()
    st.eq(rc, 0, f"--once: {err}")
    st.eq(site.generation(), gen, "--once with nothing new builds nothing")


@site_test()
def a_reader_only_ever_sees_complete_builds_even_when_the_site_is_killed(stack):
    ids, site = built(stack)
    stop = threading.Event()
    seen, problems = set(), []

    def reader():
        # Like a web server: resolve "current" per request, read a page and
        # what it links to from the same resolution.
        while not stop.is_set():
            try:
                root = os.path.realpath(site.current)
                with open(os.path.join(root, "index.html"), encoding="utf-8") as f:
                    text = f.read()
            except FileNotFoundError:
                problems.append("current/index.html missing")
                continue
            seen.add(os.path.basename(root))
            if not text.rstrip().endswith("</html>"):
                problems.append(f"a half page in {root}")
            for href in re.findall(r'href="((?:themes|reports|overview)/[^"]+)"', text):
                if not os.path.exists(os.path.join(root, href)):
                    problems.append(f"{root}: {href} missing")
    t = threading.Thread(target=reader)
    t.start()
    try:
        rnd = random.Random(12)
        for i in range(12):
            stack.ok("scheduling", "session.update", {
                "session": ids["s_taxi_mirror"], "title": f"Spiegelbijeenkomst ronde {i}"},
                rid=f"upd{i}")
            time.sleep(rnd.uniform(0.05, 0.4))
            if i % 4 == 3:  # kill it at some moment of its work, and start it again
                site.kill()
                site.start()
        site.wait_caught_up(timeout=60)
    finally:
        stop.set()
        t.join(10)
    st.eq(problems[:5], [], "what the reader saw")
    st.check(len(seen) >= 3, f"the reader saw several builds: {sorted(seen)}")
    st.check("Spiegelbijeenkomst ronde 11" in site.read("index.html"), "the last change shown")
    # What is on disk agrees with the state: current is the committed build, no
    # uncommitted build is left, older ones pruned to keep_builds (2).
    gen = site.generation()
    builds = sorted(int(n.split("-")[1]) for n in os.listdir(site.out) if n.startswith("build-"))
    st.eq(site.served(), gen, "current is the committed build")
    st.check(max(builds) == gen and len(builds) <= 3, f"builds on disk: {builds} (state {gen})")


# ==== Nothing personal ======================================================

@site_test()
def the_canary_never_reaches_any_file_of_the_site(stack):
    ids, site = built(stack)
    # Also after a correction is drafted and a report published since.
    files = site.files()
    st.check(len(files) > 10, f"the site has files: {len(files)}")
    found = []
    for path in files:
        with open(path, "rb") as f:
            data = f.read().decode("utf-8", "replace").lower()
        for part in CANARY_PARTS:
            if part.lower() in data:
                found.append((os.path.relpath(path, stack.dir), part))
    st.eq(found, [], "the canary in the site's files")
    log = site.log().lower()
    st.eq([p for p in CANARY_PARTS if p.lower() in log], [], "the canary in the site's log")
    # The canary is really there, where it belongs (the test can fail).
    st.eq(stack.ok("intake", "participant.get", {"participant": ids["canary"]})["name"],
          sitetest.CANARY["name"], "the canary is in the address file")
    st.check(sitetest.CANARY["name"] in stack.ok("reporting", "report.get",
                                                 {"report": ids["r_visit"]})["text"],
             "and in a draft")
    st.check(sitetest.CANARY["name"] in stack.ok("reporting", "report.get",
                                                 {"report": ids["r_taxi"]})["note"],
             "and in a correction's note")
    st.eq(stack.ok("scheduling", "session.get", {"session": ids["s_taxi_held"]})["facilitators"],
          [sitetest.CANARY["name"]], "and as a facilitator")
    st.eq(stack.ok("scheduling", "theme.get", {"theme": ids["t1"]})["project_leader"],
          sitetest.CANARY["name"], "and as a project leader")


@site_test()
def the_site_never_calls_intake_and_builds_with_intake_stopped(stack):
    ids, site = built(stack)
    gen = site.generation()
    stack.stop("intake")
    stack.ok("scheduling", "session.update", {"session": ids["s_cafe_july"],
                                              "location": "Dorpshuis Laren"}, rid="noint")
    site.wait_generation(gen + 1)
    site.wait_caught_up()
    st.check("Dorpshuis Laren" in site.read("themes/T2.html"), "built without intake")
    st.check("intake" not in site.log(), "the site's log never mentions intake")


# ==== Settings and state ====================================================

@site_test(base_url="javascript:alert(1)")
def a_bad_base_url_stops_the_site_with_status_2_naming_the_setting(stack):
    site = Site(stack)
    rc, err = site.once()
    st.eq(rc, 2, "a configuration error")
    st.check("site/base_url" in err and "https://" in err, f"names the setting: {err}")


@st.test(config=sitetest.config(rebuild="5"), start=False)
def an_unknown_setting_is_named_with_the_nearest_known_one(stack):
    # (The other daemons refuse the file too: nothing else is started.)
    site = Site(stack)
    rc, err = site.once()
    st.eq(rc, 2, "a configuration error")
    st.check("site/rebuild" in err and "site/rebuild_ms" in err, f"the nearest one: {err}")


@site_test()
def a_damaged_state_file_costs_one_build_not_the_site(stack):
    ids, site = built(stack)
    gen = site.generation()
    site.stop()
    with open(os.path.join(site.state_dir, "state"), "w") as f:
        f.write("rubbish\n")
    served = site.served()
    site.start()
    st.wait_until(lambda: "state file not usable" in site.log(), 15, "the warning")
    st.wait_until(lambda: site.generation() > served, 30, "a build after the served one")
    site.wait_caught_up()
    st.check("Wmo-taxi" in site.read("index.html"), "the site is built again")
    st.check(gen >= 1 and site.served() == site.generation(), "the new build is served")


@site_test()
def the_site_waits_for_the_services_and_keeps_the_old_build_meanwhile(stack):
    ids, site = built(stack)
    gen = site.generation()
    stack.stop("reporting")
    stack.ok("scheduling", "session.update", {"session": ids["s_cafe_july"],
                                              "title": "Zomercafé"}, rid="down1")
    time.sleep(1.5)
    st.eq(site.served(), gen, "no half build while reporting is down")
    st.check("Ondersteuning pleegouders" in site.read("index.html"), "the old build stays")
    stack.start("reporting")
    site.wait_generation(gen + 1, timeout=60)
    site.wait_caught_up(timeout=60)
    st.check("Zomercafé" in site.read("index.html"), "built once reporting is back")


if __name__ == "__main__":
    st.main()
