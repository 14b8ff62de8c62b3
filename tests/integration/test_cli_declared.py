#!/usr/bin/python3
"""samenctl's plain verbs come from the ops' declarations: every declared op
with a samenctl verb is a command with help from its declaration, values
are typed as people type them, and bad values are refused before anything
is sent (exit 2, naming the flag and what it takes)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402


def ctl(stack, *args, rc=0):
    code, out, err = stack.ctl(*args)
    st.eq(code, rc, f"samenctl {' '.join(args)} exit code (stderr: {err.strip()})")
    return out, err


def flat(text):
    return " ".join(text.split())


@st.test()
def every_declared_op_with_a_verb_is_a_command_with_help_from_its_declaration(stack):
    declared = enums = 0
    nouns = set()
    for svc in st.ALL:
        for op in stack.ok(svc, "service.info")["declarations"]:
            if not op.get("cli"):
                continue
            declared += 1
            noun, verb = op["cli"].split(" ", 1)
            nouns.add(noun)
            out, err = ctl(stack, noun, verb, "--help")
            st.check(out.startswith(f"usage: samenctl {noun} {verb}"), f"{op['name']}: {out!r}")
            ops_line = [ln for ln in out.splitlines() if ln.startswith(("op: ", "ops: "))]
            st.check(ops_line and op["name"] in ops_line[0].split(": ", 1)[1].replace(",", " ")
                     .split() and ops_line[0].endswith(f"(samen-{svc})"),
                     f"{op['name']} named: {out!r}")
            for a in op.get("args") or []:
                if a.get("help"):
                    st.check(flat(a["help"]) in flat(out),
                             f"{op['cli']} --help has the help of {a['name']}: {out!r}")
                vals = a.get("values") or []
                if a.get("type") == "enum" and 0 < len(vals) <= 4 and \
                        sum(len(v) + 1 for v in vals) < 40:
                    st.check("|".join(vals) in out,
                             f"{op['cli']} --help spells every word of {a['name']}: {out!r}")
                    enums += 1
            nout, _ = ctl(stack, noun, "--help")
            st.check(f"samenctl {noun} {verb}" in nout, f"{noun} --help lists {verb}")
    st.check(declared > 80, f"declared verbs found: {declared}")
    st.check(enums > 5, f"enum arguments spelled out: {enums}")
    out, _ = ctl(stack, "help")
    for noun in nouns:
        st.check(f"\n  {noun} " in out, f"samenctl help lists {noun}")


@st.test(services=["finance", "intake"])
def values_are_read_as_people_type_them(stack):
    ctl(stack, "municipality", "add", "Hilversum", "--code", "GM0402", "--inhabitants", "87817",
        "--as-of", "01-01-2016")  # a Dutch date
    st.wait_until(lambda: stack.ok("intake", "service.info")["counts"]["municipalities_known"] == 1,
                  what="intake to know Hilversum")
    out, _ = ctl(stack, "--json", "participant", "add", "Ans Vos", "--consent", "--consent-given",
                 "12-03-2020", "--label", "parent,youth", "--label", "carer", "--municipality",
                 "Hilversum")
    pid = json.loads(out)["id"]
    out, _ = ctl(stack, "--json", "participant", "show", pid[1:])  # the number alone
    p = json.loads(out)
    st.eq((p["consent_given"], p["labels"], p["consent"]),
          ("2020-03-12", ["parent", "youth", "carer"], True), "stored as typed")
    # --consent yes|no, --consent=no and --not-consent are the same switch.
    for args in (("--consent", "no"), ("--consent=no",), ("--not-consent",)):
        out, _ = ctl(stack, "--json", "participant", "find", *args)
        st.eq(json.loads(out)["participants"], [], f"find {args}")
    out, _ = ctl(stack, "--json", "participant", "find", "--consent", "ja")
    st.eq([r["id"] for r in json.loads(out)["participants"]], [pid], "ja is yes")
    # Money as people type it, in cents on the wire.
    for typed in ("1500", "1.500", "1.500,00", "€ 1.500,00", "EUR 1,500.00"):
        out, _ = ctl(stack, "--json", "finance", "split", "--total", typed, "--unit", "100",
                     "--as-of", "2016-01-01")
        st.eq(json.loads(out)["total_cents"], 150000, f"--total {typed!r}")
    # Hours with decimals in hundredths.
    out, _ = ctl(stack, "--json", "budget", "add-line", "2019", "--name", "pilot", "--kind",
                 "pilot", "--hours", "4", "--rate", "50", "--weeks", "37,5", "--period",
                 "2019-01-01..2019-09-30")
    st.eq(json.loads(out)["budget_cents"], 750000, "4 h x EUR 50 x 37.5 weeks")


@st.test(services=["finance", "intake"])
def bad_values_are_refused_before_sending_naming_the_flag_and_what_it_takes(stack):
    cases = [
        (("participant", "add", "X", "--consent", "--birth-year", "abc"),
         ["--birth-year", "whole number", '"abc"']),
        (("participant", "add", "X", "--consent", "--birth-year", "12000"),
         ["--birth-year", "0 to 9999"]),
        (("participant", "find", "--status", "asleep"),
         ["--status", "active, paused, withdrawn or erased"]),
        (("participant", "show", "Q5"), ["PARTICIPANT", "P12"]),
        (("participant", "find", "--consent", "maybe"), ["--consent", "yes or no", "maybe"]),
        (("participant", "withdraw", "P1", "--date", "31-02-2020"), ["--date", "29 days"]),
        (("participant", "add", "X"), ["--consent"]),
        (("participant", "add", "X", "--consent", "--email", "a" * 300), ["--email", "254"]),
        (("finance", "split", "--total", "0.001", "--unit", "1"), ["--total", "whole cents"]),
        (("finance", "split", "--total", "12,5 euro", "--unit", "1"), ["--total", "15,00"]),
        (("finance", "split", "--total", "100", "--unit", "1", "--purpose", "x"),
         ["--purpose", "--name"]),
        (("budget", "add-line", "2019", "--name", "x", "--kind", "pilot", "--hours", "4.125"),
         ["--hours", "two decimals"]),
        (("budget", "show", "1999"), ["YEAR", "2000 to 2100"]),
        (("grant", "apply", "--pool", "K1", "--initiative", "x", "--applicant", "P1",
          "--requested", "10", "--intended-result", "y", "--answer", "noequals"),
         ["--answer", "KEY=VALUE"]),
        (("municipality", "add", "Naarden", "--code", "GM0382", "--inhabitants", "-3",
          "--as-of", "2016-01-01"), ["--inhabitants", "1 to 100000000"]),
    ]
    for args, mentions in cases:
        out, err = ctl(stack, *args, rc=2)
        st.eq(out, "", f"stdout of {args}")
        for m in mentions:
            st.check(m in err, f"samenctl {' '.join(args)!r}: stderr mentions {m!r}: {err!r}")
        st.check(f"see: samenctl {args[0]} {args[1]} --help" in err, err)
    for svc in ("finance", "intake"):
        st.eq(stack.ok(svc, "service.info")["last_seq"], 0, f"nothing reached {svc}")
        st.eq(stack.ok(svc, "audit.list")["entries"], [], f"{svc}'s audit log is empty")


@st.test(services=["finance"])
def help_and_table_headings_speak_the_language_asked_for(stack):
    out, _ = ctl(stack, "--locale", "nl", "help")
    st.check("opdrachten:\n" in out and "afsluitcodes: 0 goed" in out, out)
    out, _ = ctl(stack, "--locale", "nl", "municipality", "add", "--help")
    st.check(out.startswith("gebruik: samenctl municipality add") and "\nvoorbeeld:\n" in out,
             out)
    ctl(stack, "municipality", "add", "Hilversum", "--code", "GM0402", "--inhabitants", "87817",
        "--as-of", "2016-01-01")
    out, _ = ctl(stack, "--locale", "nl", "--format", "csv", "municipality", "list")
    st.eq(out.splitlines()[0], "CODE,GEMEENTE,INWONERS,PER", "Dutch headings")
    out, _ = ctl(stack, "--format", "csv", "municipality", "list")
    st.eq(out.splitlines()[0], "CODE,MUNICIPALITY,INHABITANTS,AS OF", "English by default")
    _, err = ctl(stack, "--locale", "nl", "municipality", "list", "--bogus", rc=2)
    st.check("onbekende vlag --bogus" in err and "zie: samenctl municipality list --help" in err,
             err)


if __name__ == "__main__":
    st.main()
