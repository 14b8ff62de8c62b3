#!/usr/bin/python3
"""samenctl participant|organisation|advice against a running stack: what an
administrator types, what they see, and the exit codes."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

VERBS = {"participant": ["add", "update", "show", "list", "find", "withdraw", "erase", "export"],
         "organisation": ["add", "update", "show", "list"],
         "advice": ["add", "answer", "evaluate", "show", "list", "overdue"]}


def ctl(stack, *args, rc=0):
    code, out, err = stack.ctl(*args)
    st.eq(code, rc, f"samenctl {' '.join(args)} exit code (stderr: {err.strip()})")
    return out, err


@st.test(services=["finance", "intake"])
def every_verb_has_help_with_an_example(stack):
    for noun, verbs in VERBS.items():
        out, _ = ctl(stack, noun, "--help")
        for v in verbs:
            st.check(f"samenctl {noun} {v}" in out, f"{noun} --help lists {v}")
            vout, _ = ctl(stack, noun, v, "--help")
            st.check(vout.startswith(f"usage: samenctl {noun} {v}"), f"{noun} {v} usage")
            st.check("example:\n  samenctl " + noun in vout, f"{noun} {v} has an example")
    out, _ = ctl(stack, "help")
    for noun in VERBS:
        st.check(noun in out, f"samenctl help lists {noun}")


@st.test(services=["finance", "intake"])
def an_administrators_tour_of_the_address_file(stack):
    ctl(stack, "municipality", "add", "Hilversum", "--code", "GM0402", "--inhabitants", "87817",
        "--as-of", "2016-01-01")
    ctl(stack, "municipality", "add", "Huizen", "--code", "GM0406", "--inhabitants", "41389",
        "--as-of", "2016-01-01")
    st.wait_until(lambda: stack.ok("intake", "service.info")["counts"]["municipalities_known"] == 2,
                  what="intake to know the municipalities")
    out, _ = ctl(stack, "organisation", "add", "Pleegzorg Gooi", "--kind", "care provider",
                 "--municipality", "Hilversum", "--contact", "J. de Vries")
    st.eq(out, "O1 Pleegzorg Gooi (care_provider)\n")
    out, _ = ctl(stack, "participant", "add", "Maria van den Heuvel", "--consent", "--email",
                 "maria@example.nl", "--phone", "06 1234 5678", "--municipality", "Hilversum",
                 "--birth-year", "1984", "--label", "foster_parent", "--label", "parent",
                 "--target-group", "foster parents", "--channel", "O1", "--need", "wheelchair")
    st.eq(out, "P1 active (municipality GM0402, age band 41-65, target groups: foster parents)\n")
    # Without consent: a usage error before anything is sent.
    _, err = ctl(stack, "participant", "add", "Jan Jansen", rc=2)
    st.check("--consent" in err, err)
    # A duplicate e-mail address: refused, the holder named.
    _, err = ctl(stack, "participant", "add", "Jan Jansen", "--consent", "--email",
                 "MARIA@example.nl", rc=1)
    st.check("P1" in err and "[already_exists]" in err and "(field: email)" in err, err)
    ctl(stack, "participant", "add", "Jan Jansen", "--consent", "--email", "MARIA@example.nl",
        "--force")
    _, err = ctl(stack, "participant", "add", "Piet", "--consent", "--municipality", "Utrecht",
                 rc=1)
    st.check("(field: municipality)" in err and "Hilversum" in err, err)
    ctl(stack, "participant", "update", "P2", "--municipality", "Huizen", "--target-group",
        "youth", "--birth-year", "2008")
    out, _ = ctl(stack, "participant", "show", "P1")
    # A field list: the key, spaces to a common column, the value.
    for key, value in (("name", "Maria van den Heuvel"), ("phone", "+31612345678"),
                       ("channel_name", "Pleegzorg Gooi")):
        st.check(re.search(r"^%s +%s$" % (key, re.escape(value)), out, re.M), out)
    out, _ = ctl(stack, "participant", "find", "--name", "heuv")
    lines = out.splitlines()
    st.check(lines[0].startswith("ID  NAME"), out)
    st.eq([ln.split()[0] for ln in lines[1:]], ["P1"])
    out, _ = ctl(stack, "participant", "find", "--consent", "yes", "--municipality", "Huizen")
    st.eq([ln.split()[0] for ln in out.splitlines()[1:]], ["P2"])
    ctl(stack, "participant", "find", "--consent", "maybe", rc=2)
    out, _ = ctl(stack, "participant", "list", "--limit", "1")
    st.check("more: add --after P1 for the next page" in out, out)
    out, _ = ctl(stack, "--format", "csv", "participant", "list")
    st.eq(out.splitlines()[0], "ID,NAME,MUNICIPALITY,STATUS,CONSENT,AGE,TARGET GROUPS,LABELS,CHANNEL")
    out, _ = ctl(stack, "--json", "participant", "find", "--target-group", "youth")
    st.eq([r["id"] for r in json.loads(out)["participants"]], ["P2"])
    out, _ = ctl(stack, "organisation", "show", "O1")
    st.check("participants_recruited   1" in out and "recruited through this organisation" in out,
             out)
    out, _ = ctl(stack, "organisation", "list")
    st.check(out.splitlines()[1].startswith("O1  Pleegzorg Gooi  care_provider  Hilversum"), out)
    # Advice: in, answered, evaluated.
    out, _ = ctl(stack, "advice", "add", "--kind", "unsolicited_advice", "--from", "O1",
                 "--theme", "T4", "--received", "2020-01-31", "--summary",
                 "Make the Wmo-taxi bookable by phone again")
    st.eq(out, "A1 received; answer due 2020-03-13\n")
    _, err = ctl(stack, "advice", "answer", "A1", "--outcome", "not_adopted", "--text", "No",
                 rc=1)
    st.check("(field: reason)" in err, err)
    out, _ = ctl(stack, "advice", "answer", "A1", "--outcome", "partly_adopted", "--text",
                 "Phone booking returns in June", "--reason", "Weekends stay online", "--date",
                 "2020-03-10")
    st.eq(out, "A1 answered; evaluation due 2020-09-10\n")
    out, _ = ctl(stack, "advice", "overdue")
    st.check(out.splitlines()[2].split()[:5] ==
             ["A1", "unsolicited_advice", "O1", "evaluation", "2020-09-10"], out)
    out, _ = ctl(stack, "advice", "evaluate", "A1", "--text", "Works", "--date", "2020-09-20")
    st.eq(out, "A1 evaluated\n")
    out, _ = ctl(stack, "advice", "list", "--state", "evaluated")
    st.check(out.splitlines()[1].startswith("A1  unsolicited_advice  O1"), out)
    out, _ = ctl(stack, "advice", "show", "A1")
    st.check("from_name           Pleegzorg Gooi\n" in out, out)
    # Withdraw, erase (only with --yes), export.
    out, _ = ctl(stack, "participant", "withdraw", "P2")
    st.check(out.startswith("P2 withdrawn"), out)
    _, err = ctl(stack, "participant", "erase", "P1", rc=2)
    st.check("--yes" in err, err)
    out, _ = ctl(stack, "participant", "erase", "P1", "--yes")
    st.check(out.startswith("P1 erased on "), out)
    out, _ = ctl(stack, "participant", "erase", "P1", "--yes")
    st.check(out.startswith("P1 was already erased on "), out)
    out, _ = ctl(stack, "participant", "export", "P1")
    doc = json.loads(out)
    st.eq(doc["services"]["intake"]["participant"]["name"], None)
    st.check("Heuvel" not in out and "maria@" not in out and "612345678" not in out, out)
    _, err = ctl(stack, "participant", "show", "P7", rc=1)
    st.check("[not_found]" in err, err)


if __name__ == "__main__":
    st.main()
