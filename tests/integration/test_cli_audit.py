#!/usr/bin/python3
"""samenctl audit list against a running stack: the services' audit logs
merged in time order, each step of a session on record with the key that
took it, no personal value in any entry, and a service that does not
answer named while the others are listed (exit 3)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import samentest as st  # noqa: E402

# A canary: if any of these shows up in the audit log, personal data leaked.
NAME, EMAIL, PHONE = "Zwaantje Canarisvogel", "zwaantje.canaris@example.nl", "06 9876 5432"
PHONE_DIGITS = "698765432"


def ctl(stack, *args, rc=0):
    code, out, err = stack.ctl(*args)
    st.eq(code, rc, f"samenctl {' '.join(args)} exit code (stderr: {err.strip()})")
    return out, err


def key_name(stack):
    """The key samenctl's requests carry: "admin" with CurveZMQ keys, else
    the services' name for an unauthenticated local caller."""
    return "admin" if hasattr(stack, "keys_dir") else "local"


def scripted_session(stack):
    """add, find, export, erase, and a refused call, all about one person.
    Returns the participant's ID."""
    ctl(stack, "municipality", "add", "Hilversum", "--code", "GM0402", "--inhabitants", "87817",
        "--as-of", "2016-01-01")
    st.wait_until(lambda: stack.ok("intake", "service.info")["counts"]["municipalities_known"] == 1,
                  what="intake to know Hilversum")
    out, _ = ctl(stack, "participant", "add", NAME, "--consent", "--email", EMAIL, "--phone",
                 PHONE, "--municipality", "Hilversum", "--birth-year", "1980")
    pid = out.split()[0]
    ctl(stack, "participant", "find", "--name", "zwaan")
    ctl(stack, "participant", "export", pid)
    ctl(stack, "participant", "update", pid, "--municipality", "Atlantis", rc=1)  # refused
    ctl(stack, "participant", "erase", pid, "--yes")
    return pid


@st.test(services=["finance", "intake"])
def audit_list_shows_each_step_of_a_session_with_the_key_and_no_personal_value(stack):
    pid = scripted_session(stack)
    out, err = ctl(stack, "audit", "list", "--id", pid, "--service", "intake")
    lines = out.splitlines()
    st.eq(lines[0].split(), ["TIME", "(AMSTERDAM)", "KEY", "SERVICE", "OP", "IDS", "OUTCOME"],
          "table heading")
    rows = [ln.split() for ln in lines[1:]]
    # date, time, key, service, op, ids..., outcome
    ops = [(r[2], r[3], r[4], r[-1]) for r in rows]
    key = key_name(stack)
    st.eq(ops, [(key, "intake", "participant.register", "ok"),
                (key, "intake", "participant.find", "ok"),  # the IDs it returned
                (key, "intake", "participant.export", "ok"),
                (key, "intake", "participant.update", "invalid_argument"),
                (key, "intake", "participant.erase", "ok")],
          f"the steps about {pid}, in order\n{out}")
    for r in rows:
        st.check(pid in " ".join(r[5:-1]), f"{pid} among the IDs of {r}")
    out, _ = ctl(stack, "audit", "list", "--op", "participant.find", "--service", "intake")
    st.eq(len(out.splitlines()), 2, f"one find on record\n{out}")
    # As JSON: every entry of every service, in time order, nothing personal.
    out, err = ctl(stack, "audit", "list", "--json", rc=3)  # scheduling, reporting not running
    entries = json.loads(out)
    st.check(len(entries) >= 6, f"entries listed: {len(entries)}")
    st.eq([e["ts"] for e in entries], sorted(e["ts"] for e in entries), "time order")
    st.eq(sorted({e["service"] for e in entries}), ["finance", "intake"], "services merged")
    for e in entries:
        for k in ("n", "ts", "key", "roles", "service", "op", "ids", "more", "outcome", "rid"):
            st.check(k in e, f"entry has {k}: {e}")
    for needle in (NAME, "Zwaantje", "Canarisvogel", EMAIL, "zwaantje.canaris", PHONE,
                   PHONE_DIGITS, "zwaan"):
        st.check(needle.lower() not in out.lower(), f"{needle!r} is not in the audit log")


@st.test(services=["finance", "intake"])
def audit_list_names_a_service_that_does_not_answer_and_lists_the_others(stack):
    ctl(stack, "municipality", "add", "Huizen", "--code", "GM0406", "--inhabitants", "41389",
        "--as-of", "2016-01-01")
    code, out, err = stack.ctl("audit", "list")
    st.eq(code, 3, f"exit code (stderr {err!r})")
    for svc in ("scheduling", "reporting"):
        st.check(f"samenctl: {svc} did not answer" in err, f"{svc} named on stderr: {err!r}")
    for svc in ("intake", "finance"):
        st.check(svc not in err, f"{svc} answered: {err!r}")
    st.check("broker" not in err, f"a broker without an audit log is skipped silently: {err!r}")
    st.check(any(ln.split()[4] == "municipality.add" for ln in out.splitlines()[1:]),
             f"finance's entry listed\n{out}")
    # One service only: no word about the others, exit 0.
    out, err = ctl(stack, "audit", "list", "--service", "finance", "--op", "municipality.add")
    st.eq(err, "", "stderr")
    st.eq(len(out.splitlines()), 2, f"one add\n{out}")


@st.test(services=["finance", "intake"])
def audit_list_filters_by_day_and_refuses_bad_filters_before_asking(stack):
    ctl(stack, "municipality", "add", "Huizen", "--code", "GM0406", "--inhabitants", "41389",
        "--as-of", "2016-01-01")
    out, _ = ctl(stack, "audit", "list", "--service", "finance", "--since", "01-01-2000")
    st.eq(len(out.splitlines()), 2, f"--since a Dutch date\n{out}")
    out, _ = ctl(stack, "audit", "list", "--service", "finance", "--until", "2000-01-01")
    st.eq(len(out.splitlines()), 1, f"nothing until 2000\n{out}")
    _, err = ctl(stack, "audit", "list", "--since", "yesterday", rc=2)
    st.check("--since" in err and "2020-03-12" in err, err)
    _, err = ctl(stack, "audit", "list", "--service", "payroll", rc=2)
    st.check("--service" in err and "intake" in err, err)


if __name__ == "__main__":
    st.main()
