#!/usr/bin/python3
"""samen-site in a real browser: Debian's headless Chromium, driven by Debian's
python3-selenium through chromium-driver, against the generated site served
by Python's http.server on a private loopback port.

- axe-core (from the npm registry, pinned in tests/browser/package-lock.json,
  installed into build/axe by `make axe`) runs in that browser on every page
  with the WCAG 2.0/2.1 A and AA rules and its best practices: no violation
  of impact serious or critical may remain (the others are printed).
- Every internal link of every page, followed in the browser, loads (HTTP
  200) and every fragment it names exists.
- The keyboard: the first Tab stop is the skip link, visible when focused
  with an outline, and it moves the focus to <main>.
- Screenshots of the agenda and a theme page are kept as test artefacts in
  build/site-test/screenshots/ (the test prints where).
- The canary participant's name is in no page the browser shows.

Chromium starts with --headless --no-sandbox --disable-gpu
--disable-dev-shm-usage --disable-background-networking
--disable-component-update --disable-sync --no-first-run and a fresh
--user-data-dir.

`make check` installs Chromium, chromium-driver and python3-selenium (`make
deps`, DEBS_TEST) and axe-core (`make axe`). Where they are missing anyway
the tests are counted as skipped, never as passed, each saying what to
install: all four without the browser; the accessibility test alone when
axe-core cannot be had because npm is missing and cannot be installed, or
the npm registry cannot be reached. Any other failure to install axe-core
(a changed package, a bad lock file) fails that test.
"""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import urllib.parse
import urllib.request

os.environ["SAMEN_TODAY"] = "2020-06-30"

import samentest as st  # noqa: E402
import sitetest  # noqa: E402

ROOT = st.ROOT
AXE = os.path.join(ROOT, "build", "axe", "node_modules", "axe-core", "axe.min.js")
SHOTS = os.path.join(ROOT, "build", "site-test", "screenshots")
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# --disable-dev-shm-usage: a container's /dev/shm (64 MB in Docker) is too
# small for Chromium's shared memory; /tmp is used instead.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1280,900"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def missing():
    """What the browser test needs and this machine lacks, as Debian packages
    or a make target."""
    need = []
    if not os.access(CHROMIUM, os.X_OK):
        need.append("chromium")
    if not os.access(DRIVER, os.X_OK):
        need.append("chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        need.append("python3-selenium")
    return need


# What npm says when the registry cannot be reached (no network, no DNS, a
# proxy refusing): then the machine, not the lock file, is why.
NPM_OFFLINE = re.compile(r"\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|"
                         r"EHOSTUNREACH)\b|network request to \S+ failed")


def ensure_axe():
    """axe-core in build/axe, installed by `make axe` when it is not there.
    Skips the running test when this machine cannot get it (no npm and none
    can be installed, or the registry out of reach); fails it for any other
    reason. Returns nothing."""
    if os.path.exists(AXE):
        return
    p = subprocess.run(["make", "--no-print-directory", "axe"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    if p.returncode == 0 and os.path.exists(AXE):
        return
    out = f"{p.stdout[-1500:]}{p.stderr[-1500:]}"
    if not shutil.which("npm"):
        st.skip("axe-core not installed: npm is missing and `make axe` could not install it "
                f"(Debian's npm, as root or with sudo):\n{out}")
    if NPM_OFFLINE.search(out):
        st.skip(f"axe-core not installed: the npm registry cannot be reached from here:\n{out}")
    raise st.Failure(f"`make axe` could not install axe-core from the npm registry into "
                     f"build/axe (exit {p.returncode}):\n{out}")


class Browser:
    """One headless Chromium through chromium-driver, with a fresh profile."""

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        self.profile = tempfile.mkdtemp(prefix="samen-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for f in FLAGS + [f"--user-data-dir={self.profile}"]:
            opts.add_argument(f)
        self.driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(60)

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


class Server:
    """The site's current build over HTTP on 127.0.0.1, on a port of its own."""

    def __init__(self, root):
        handler = functools.partial(_QuietHandler, directory=root)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def built_site(stack):
    """A programme on the stack and the site samen-site --once builds of it;
    returns (site, the build's directory)."""
    sitetest.populate(stack)
    site = sitetest.Site(stack)
    rc, err = site.once()
    st.eq(rc, 0, f"samen-site --once: {err}")
    return site, os.path.realpath(site.current)


def browser_test(fn):
    """A stack test that gets (stack, browser, server, site, root)."""
    @functools.wraps(fn)
    def run(stack):
        site, root = built_site(stack)
        server = Server(root)
        browser = Browser()
        try:
            fn(stack, browser, server, site, root)
        finally:
            browser.close()
            server.close()
    return st.test(config=sitetest.config())(run)


def axe_run(browser):
    with open(AXE, encoding="utf-8") as f:
        browser.driver.execute_script(f.read())
    return browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));",
        AXE_TAGS)


@browser_test
def axe_finds_no_serious_or_critical_violation_on_any_page(stack, browser, server, site, root):
    ensure_axe()
    # First, that axe finds what it should: an image without a text alternative
    # and text below the contrast minimum (so that this test can fail).
    browser.driver.get("data:text/html;charset=utf-8," + urllib.parse.quote(
        '<!DOCTYPE html><html lang="nl"><head><title>x</title></head><body><main>'
        '<h1>x</h1><img src="x.png"><p style="color:#aaa;background:#fff">grijs</p>'
        '</main></body></html>'))
    found = {v["id"]: v["impact"] for v in json.loads(axe_run(browser))}
    st.eq((found.get("image-alt"), found.get("color-contrast")), ("critical", "serious"),
          f"axe finds a missing alt text and poor contrast: {found}")
    pages = sitetest.internal_pages(root)
    st.check(len(pages) >= 8, f"the site has its pages: {pages}")
    serious, other = [], []
    for page in pages:
        browser.driver.get(server.url + page)
        result = json.loads(axe_run(browser))
        st.check(isinstance(result, list), f"axe ran on {page}: {result}")
        for v in result:
            row = (page, v["id"], v["impact"], len(v["nodes"]), v["help"])
            (serious if v["impact"] in ("serious", "critical") else other).append(row)
    with open(os.path.join(os.path.dirname(AXE), "package.json")) as f:
        version = json.load(f)["version"]
    print(f"     note: axe-core {version} in Chromium, rules {', '.join(AXE_TAGS)}, "
          f"{len(pages)} pages: {len(serious)} serious or critical, {len(other)} other "
          f"violations")
    for row in other:
        print("     (minor/moderate) %s: %s %s x%d: %s" % row)
    st.eq(serious, [], "serious or critical accessibility violations")


@browser_test
def every_link_followed_in_the_browser_loads_and_every_fragment_exists(stack, browser, server,
                                                                      site, root):
    seen, bad = set(), []
    for page in sitetest.internal_pages(root):
        browser.driver.get(server.url + page)
        hrefs = browser.driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href], link[href]'))"
            ".map(a => a.href);")
        for href in hrefs:
            if not href.startswith(server.url):
                continue  # elsewhere: not ours to check offline
            target = href.split("#")[0]
            if target not in seen:
                seen.add(target)
                try:
                    with urllib.request.urlopen(target, timeout=10) as r:
                        if r.status != 200:
                            bad.append((page, href, r.status))
                except Exception as e:  # noqa: BLE001 - every failure is a broken link
                    bad.append((page, href, str(e)))
            frag = urllib.parse.urlsplit(href).fragment
            if frag:
                browser.driver.get(target)
                if not browser.driver.execute_script(
                        "return document.getElementById(arguments[0]) !== null;", frag):
                    bad.append((page, href, "no such id"))
                browser.driver.get(server.url + page)
    st.check(len(seen) >= 10, f"links were followed: {len(seen)}")
    st.eq(bad, [], "links that do not load")


@browser_test
def the_skip_link_is_the_first_tab_stop_visible_and_leads_to_the_content(stack, browser, server,
                                                                       site, root):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    d = browser.driver
    for page in ("index.html", "themes/T1.html"):
        d.get(server.url + page)
        ActionChains(d).send_keys(Keys.TAB).perform()
        info = d.execute_script(
            "const e = document.activeElement, r = e.getBoundingClientRect(),"
            " s = getComputedStyle(e);"
            "return {cls: e.className, text: e.textContent, top: r.top, h: r.height,"
            " outline: s.outlineStyle + ' ' + s.outlineWidth};")
        st.eq(info["cls"], "skip", f"{page}: the first Tab stop is the skip link ({info})")
        st.eq(info["text"], "Naar de inhoud", "in Dutch")
        st.check(info["top"] >= 0 and info["h"] > 0, f"{page}: visible when focused: {info}")
        st.check(info["outline"].startswith("solid") and info["outline"] != "solid 0px",
                 f"{page}: the focus is visible: {info['outline']}")
        ActionChains(d).send_keys(Keys.ENTER).perform()
        st.eq(d.execute_script("return document.activeElement.id;"), "main",
              f"{page}: Enter moves the focus to the content")


@browser_test
def screenshots_of_the_agenda_and_a_theme_page_are_kept(stack, browser, server, site, root):
    os.makedirs(SHOTS, exist_ok=True)
    d = browser.driver
    for page, name in (("index.html", "agenda.png"), ("themes/T1.html", "theme-T1.png")):
        d.get(server.url + page)
        height = d.execute_script("return document.documentElement.scrollHeight;")
        d.set_window_size(1280, min(max(height, 600), 6000))
        path = os.path.join(SHOTS, name)
        st.check(d.save_screenshot(path), f"screenshot {path}")
        st.check(os.path.getsize(path) > 10000, f"{path} holds a picture")
        text = d.find_element("tag name", "body").text
        for part in sitetest.CANARY_PARTS:
            st.check(part.lower() not in text.lower(), f"the canary on {page}")
        st.check(("Agenda" if page == "index.html" else "Wmo-taxi") in text, f"{page} shows")
    print(f"     note: screenshots kept in {os.path.relpath(SHOTS, ROOT)}/: agenda.png, "
          f"theme-T1.png")


if __name__ == "__main__":
    need = missing()
    if need:
        st.skip_suite(f"{', '.join(need)} not installed; `make deps` installs them (DEBS_TEST, "
                      f"as root or with sudo)")
    st.main()
