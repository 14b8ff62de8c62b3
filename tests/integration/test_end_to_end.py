#!/usr/bin/python3
"""End to end: the demo's programme year on the whole stack, checked across services.

The scenario is the one `make demo` loads (tools/demo_data.py: municipalities, the
address file, a 2019-2020 agenda shaped like the planning grid, registrations,
attendance, reports, outcomes, the youth report, budgets, reimbursements, the cost
split, grants, advice), scaled down to SAMEN_E2E_PARTICIPANTS (default 60) people
so it runs in a few minutes under AddressSanitizer. It is loaded twice, at the same
time, on two stacks: once straight through ("clean"), and once with every daemon
killed with SIGKILL halfway through the load, the stack restarted and the loader
resumed from its journal. Then:

- the restarted stack's final figures (counts, events per type, reach, budgets,
  reimbursements, reports, outcomes, grants, advice, the split, the grid) equal the
  clean run's: nothing lost, nothing applied twice;
- every attendance (attended, in a session that offers a reimbursement) became
  exactly one entitlement in finance, for the session's amount, and scheduling's
  attendance is exactly the data set's;
- the reach statistics equal what the data set implies (computed here from the
  loader's own plan by the definitions in services/reporting/reach.h);
- after erasing a participant (named in a report draft, paid to a bank account,
  applicant for a grant, sender of a signal), their name, e-mail address, phone
  number and IBAN are in no store, no export, no event and no daemon log.

The services' today is 2020-09-01 (SAMEN_TODAY, set before the stacks start).
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
sys.path.insert(0, os.path.join(ROOT, "tools"))

# The daemons read SAMEN_TODAY from their environment at start; samentest
# starts them with os.environ.
TODAY = "2020-09-01"
os.environ["SAMEN_TODAY"] = TODAY

import samentest as st  # noqa: E402
import demo_data  # noqa: E402

N = int(os.environ.get("SAMEN_E2E_PARTICIPANTS", "60"))
CTL = os.path.join(st.BIN, "samenctl")
DAEMONS = ["broker"] + st.ALL


def start_loader(stack, journal, resume=False):
    cmd = ["/usr/bin/python3", os.path.join(ROOT, "tools", "demo_data.py"), "--samenctl", CTL,
           "--broker", stack.broker_ep, "--participants", str(N), "--journal", journal,
           "--timeout", "3000", "--quiet"]
    if resume:
        cmd.append("--resume")
    log = open(journal + ".out", "ab")
    p = subprocess.Popen(cmd, stdout=log, stderr=log, cwd=ROOT)
    log.close()
    return p


def loader_output(journal):
    with open(journal + ".out", errors="replace") as f:
        return f.read()


def journal_steps(journal):
    try:
        with open(journal) as f:
            return sum(1 for line in f if line.startswith('{"key"'))
    except FileNotFoundError:
        return 0


def journal_ids(journal):
    ids = {}
    with open(journal) as f:
        for n, line in enumerate(f):
            rec = json.loads(line)
            ids.update(rec.get("ids", {}))
    return ids


def paged(stack, service, op, key, args=None, limit=500):
    out, after = [], None
    for _ in range(1000):
        a = dict(args or {}, limit=limit)
        if after:
            a["after"] = after
        d = stack.ok(service, op, a)
        out += d[key]
        after = d.get("next")
        if not after:
            return out
    raise st.Failure(f"{service} {op}: more than 1000 pages")


# Fields that carry the real clock (not SAMEN_TODAY) or the process: they
# differ between any two runs and say nothing about the data.
VOLATILE = {"updated", "registered", "exported_at", "uptime_s", "ts", "created_at",
            "store_bytes", "map_bytes", "requests", "workers", "version"}


def scrub(x):
    if isinstance(x, dict):
        return {k: scrub(v) for k, v in x.items()
                if k not in VOLATILE and not k.endswith("_ms")}
    if isinstance(x, list):
        return [scrub(v) for v in x]
    return x


def figures(stack):
    """Everything a programme year adds up to, as the services report it."""
    f = {}
    for svc in st.ALL:
        info = stack.ok(svc, "service.info")
        f[svc + ".counts"] = info.get("counts")
        f[svc + ".events"] = dict(Counter(e["type"] for e in stack.events(svc)))
    for year in (2019, 2020):
        f["reach.%d" % year] = stack.ok("reporting", "stats.reach", {"year": year})
        f["budget.%d" % year] = stack.ok("finance", "budget.show", {"year": year})
        f["reimbursement.%d" % year] = stack.ok("finance", "reimbursement.year", {"year": year})
    f["annual.2019"] = stack.ok("reporting", "report.annual", {"year": 2019})
    f["youth.2019"] = stack.ok("reporting", "report.youth", {"year": 2019})
    f["reports"] = paged(stack, "reporting", "report.list", "reports")
    f["due"] = stack.ok("reporting", "report.due")
    f["outcomes"] = paged(stack, "reporting", "outcome.list", "outcomes")
    f["entitlements"] = paged(stack, "finance", "entitlement.list", "entitlements")
    f["allocations"] = stack.ok("finance", "allocation.list")
    f["grants"] = stack.ok("finance", "grant.list")
    f["grant.pools"] = stack.ok("finance", "grant.pool.list")
    f["grant.stats"] = stack.ok("finance", "grant.stats", {"from_year": 2019, "to_year": 2020})
    f["advice"] = paged(stack, "intake", "advice.list", "advice")
    f["participants"] = paged(stack, "intake", "participant.find", "participants")
    f["sessions"] = paged(stack, "scheduling", "session.list", "sessions")
    f["grid"] = stack.ok("scheduling", "agenda.grid", {"from": "2019-01", "to": "2020-12"})["text"]
    return scrub(f)


def diff(a, b, path=""):
    """The first few places where two figure sets differ, as text."""
    out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            out += diff(a.get(k, "<missing>"), b.get(k, "<missing>"), f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            out += diff(x, y, f"{path}[{i}]")
    elif a != b:
        out.append(f"{path}: clean {str(a)[:200]} / restarted {str(b)[:200]}")
    return out[:40]


def sync(stack):
    demo_data.Loader(CTL, stack.broker_ep, quiet=True).sync()


def check_entitlements(stack, plan, ids):
    """Every attendance with a reimbursement offered -> exactly one entitlement."""
    sessions = {s["id"]: s for s in paged(stack, "scheduling", "session.list", "sessions")}
    attended = {}
    for sid, s in sessions.items():
        if s["status"] != "held":
            continue
        lst = stack.ok("scheduling", "attendance.list", {"session": sid})
        st.eq(lst["not_recorded"], [], f"{sid}: registered participants left unrecorded")
        for e in lst["entries"]:
            if e["attended"]:
                attended[(sid, e["participant"])] = s["reimbursement_cents"]
    want = {(ids["s:%d" % si], ids["p:%d" % pi]) for si, pi in plan.attendances()}
    st.eq(set(attended), want, "scheduling's attendance against the data set")
    ents = paged(stack, "finance", "entitlement.list", "entitlements")
    got = Counter((e["session"], e["participant"]) for e in ents)
    paid_for = {k for k, cents in attended.items() if cents > 0}
    st.check(paid_for, "the data set has attendances with a reimbursement")
    dup = {k: n for k, n in got.items() if n > 1}
    st.eq(dup, {}, "attendances with more than one entitlement")
    st.eq(set(got) - paid_for, set(), "entitlements without an attendance")
    st.eq(paid_for - set(got), set(), "attendances without an entitlement")
    for e in ents:
        st.eq(e["amount_cents"], attended[(e["session"], e["participant"])],
              f"{e['id']} amount (the session's reimbursement)")
    return len(ents)


def check_reach(stack, plan, ids, dated):
    rd = plan.effective_report_dates(datetime.date.fromisoformat(TODAY), "publish" in dated)
    names = {m[1]: m[0] for m in demo_data.MUNICIPALITIES}
    for year in (2019, 2020):
        want = plan.expected_reach(year, int(TODAY[:4]), rd)
        got = stack.ok("reporting", "stats.reach", {"year": year})
        what = f"reach {year}"
        for k in ("sessions_held", "attendances", "participants", "first_timers", "returning",
                  "first_timers_bp"):
            st.eq(got[k], want[k], f"{what} {k}")
        st.eq({k: got["concentration"][k] for k in ("top_participants", "top_attendances", "bp")},
              want["concentration"], f"{what} concentration")
        st.eq({names.get(m["code"], m["name"]): m["participants"] for m in got["municipalities"]},
              want["municipalities"], f"{what} per municipality")
        st.eq(got["outside"]["participants"], want["outside"], f"{what} outside")
        st.eq({g["group"]: g["participants"] for g in got["target_groups"]},
              want["target_groups"], f"{what} per target group")
        st.eq(got["youth"]["participants"], want["youth"], f"{what} youth")
        st.eq({m["method"]: (m["sessions"], m["attendances"]) for m in got["methods"]},
              want["methods"], f"{what} per method")
        fb = got["feedback"]
        st.eq({k: fb[k] for k in want["feedback"]}, want["feedback"], f"{what} feedback loop")


def check_reruns(stack, journal):
    """Loading twice does nothing twice: a finished journal is done; without
    it the loader sees the data and refuses. A command run again with the same
    SAMEN_RID is applied once."""
    p = start_loader(stack, journal, resume=True)
    st.eq(p.wait(timeout=120), 0, "resuming a finished load:\n" + loader_output(journal))
    fresh = journal + ".again"
    p = start_loader(stack, fresh)
    st.eq(p.wait(timeout=120), demo_data.EXIT_PRESENT,
          "loading into a stack that holds data:\n" + loader_output(fresh))
    before = stack.ok("scheduling", "service.info")["counts"]["themes"]
    env = dict(os.environ, SAMEN_RID="e2e-retry")
    got = []
    for _ in range(2):
        p = subprocess.run([CTL, "--broker", stack.broker_ep, "--json", "theme", "add",
                            "Retried theme", "--domain", "other", "--year", "2020"],
                           capture_output=True, text=True, env=env, timeout=60)
        st.eq(p.returncode, 0, f"theme add with SAMEN_RID: {p.stderr}")
        got.append(json.loads(p.stdout)["id"])
    st.eq(got[0], got[1], "the same SAMEN_RID gets the first answer back")
    st.eq(stack.ok("scheduling", "service.info")["counts"]["themes"], before + 1,
          "a command run twice with the same SAMEN_RID adds one theme")


def needles_of(p):
    """The ways a participant's personal data can be written down."""
    out = [p["name"], p["email"]]
    if p["phone"]:
        out += [p["phone"], p["phone"].replace(" ", ""), "0" + p["phone"].replace(" ", "")[3:]]
    if p["iban"]:
        iban = p["iban"]
        out += [iban, " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))]
    return out


def find(needles, blob):
    if isinstance(blob, str):
        blob = blob.encode()
    return [n for n in needles if n.encode() in blob]


def check_erasure(stack, plan, ids):
    target = plan.participants[plan.erase_target]
    pid = ids["p:%d" % plan.erase_target]
    needles = needles_of(target)
    # The checks can see the data: before erasing, it is there.
    rc, out, err = stack.ctl("participant", "export", pid)
    st.eq(rc, 0, f"participant export {pid}: {err}")
    st.check(find([target["name"], target["email"]], out),
             f"{pid}'s export holds their name and e-mail before erasure")
    rc, out, err = stack.ctl("payee", "show", pid)
    st.eq(rc, 0, f"{pid} has a bank account before erasure: {err}")

    rc, out, err = stack.ctl("participant", "erase", pid, "--yes")
    st.eq(rc, 0, f"participant erase {pid}: {err}")
    sync(stack)

    problems = []
    rc, out, err = stack.ctl("participant", "export", pid)
    st.eq(rc, 0, f"participant export {pid} after erasure: {err}")
    st.check("unavailable" not in out, f"every service answered the export: {out[:400]}")
    if find(needles, out):
        problems.append(f"export of {pid}: {find(needles, out)}")
    for svc in st.ALL:
        ev = json.dumps(stack.events(svc), ensure_ascii=False)
        if find(needles, ev):
            problems.append(f"{svc} events: {find(needles, ev)}")
    logs = stack.all_logs()
    if find(needles, logs):
        problems.append(f"daemon logs: {find(needles, logs)}")
    # LMDB keeps old bytes in free pages until they are reused (README,
    # "Data protection"): the live data.mdb may still hold them. The purge an
    # operator makes is a compacting backup (free pages are not copied), so
    # that copy is what must be clean.
    remnants = []
    for svc in st.ALL:
        copy = stack.backup_path(svc, "erased-copy")
        rc, out, err = stack.ctl("backup", svc, "erased-copy")
        st.eq(rc, 0, f"samenctl backup {svc}: {err}")
        with open(os.path.join(copy, "data.mdb"), "rb") as f:
            hit = find(needles, f.read())
        if hit:
            problems.append(f"{svc} store (compacted copy): {hit}")
        with open(os.path.join(stack.data_dir(svc), "data.mdb"), "rb") as f:
            if find(needles, f.read()):
                remnants.append(svc)
    if remnants:
        print(f"     note: free pages of the live store still hold old bytes in {remnants} "
              f"(expected; the compacted copies are clean)")
    st.eq(problems, [], f"personal data of erased {pid} still found")


@st.test(services=st.ALL)
def programme_year_end_to_end(stack):
    clean = st.Stack(name="e2e-clean")
    passed = False
    try:
        clean.up()
        loader = demo_data.Loader(CTL, stack.broker_ep, quiet=True)
        nouns, dated = loader.features()
        plan = demo_data.Plan(N)
        steps = [s for s in demo_data.Steps(plan, dated).build() if s.kind != "sync"]
        total = len(steps)

        jc = os.path.join(clean.dir, "load.journal")
        jr = os.path.join(stack.dir, "load.journal")
        pc = start_loader(clean, jc)
        pr = start_loader(stack, jr)

        # Halfway through, every daemon of the second stack dies at once.
        end = time.monotonic() + 600
        while journal_steps(jr) < total // 2:
            st.check(pr.poll() is None, "the loader ended before halfway:\n" + loader_output(jr))
            st.check(time.monotonic() < end, "the loader did not get halfway in 600s")
            time.sleep(0.05)
        for name in DAEMONS:
            stack.procs[name].send_signal(signal.SIGKILL)
        for name in DAEMONS:
            stack.procs[name].wait(timeout=20)
        rc = pr.wait(timeout=120)
        st.eq(rc, demo_data.EXIT_UNREACHABLE,
              "the loader stops with 75 when the stack is gone:\n" + loader_output(jr))
        at = journal_steps(jr)
        st.check(at < total, f"the kill came before the end ({at} of {total} steps)")

        stack.start("broker")
        for s in st.ALL:
            stack.start(s, wait=False)
        for s in st.ALL:
            stack.wait_ready(s)
        pr = start_loader(stack, jr, resume=True)
        st.eq(pr.wait(timeout=900), 0, "the resumed load:\n" + loader_output(jr))
        st.eq(pc.wait(timeout=900), 0, "the clean load:\n" + loader_output(jc))
        st.eq(journal_steps(jr), total, "every step recorded once in the resumed journal")
        print(f"     {total} steps; the stack was killed after step {at} and resumed")

        sync(clean)
        sync(stack)
        fc, fr = figures(clean), figures(stack)
        st.eq(diff(fc, fr), [], "the restarted stack's figures against the clean run's")

        check_reruns(clean, jc)

        ids = journal_ids(jr)
        n = check_entitlements(stack, plan, ids)
        check_reach(stack, plan, ids, dated)
        print(f"     {n} entitlements, one per attendance; reach 2019 and 2020 as the data set implies")
        check_erasure(stack, plan, ids)
        passed = True
    finally:
        clean.teardown()
        stack.problems += ["clean stack: " + p for p in clean.problems]
        if passed and not clean.problems:
            clean.cleanup()
        else:
            print(f"     the clean stack's logs and data are kept in {clean.dir}")


if __name__ == "__main__":
    st.main()
