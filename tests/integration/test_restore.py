#!/usr/bin/python3
"""Restoring one service from a backup, with a follower (issue 13).

Restoring only intake from a backup once made intake hand out event seq 327
a second time, for another participant, and reporting skipped it. Now the
backup copy knows it is one: opened as intake's live store it begins a new
event epoch; reporting, which follows intake, sees the new epoch in
events.read and stops applying intake's events instead of skipping; status
exits 3 naming the reason, /readyz is not ready; `samenctl follow resync`
makes it follow again and says which seqs were not re-derived. The logs
hold no personal data throughout.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import samentest as st  # noqa: E402

NAMES = ["Ansje Terugzet", "Bertus Herstel", "Cato Kopie", "Dirk Epoche", "Evi Volger",
         "Fenna Opnieuw"]


def register(stack, i):
    return stack.ok("intake", "participant.register",
                    {"name": NAMES[i], "consent": True}, rid=f"restore-p{i}")["id"]


def following(stack):
    return stack.ok("reporting", "service.info")


def caught_up(stack):
    last = stack.ok("intake", "service.info")["last_seq"]
    st.wait_until(lambda: following(stack)["following"]["intake"] == last, 15,
                  f"reporting to apply intake's events up to {last}")
    return last


@st.test(services=["intake", "reporting"])
def a_restored_producer_halts_its_follower_until_follow_resync(stack):
    for i in range(2):
        register(stack, i)
    at_backup = caught_up(stack)
    info = stack.ok("intake", "service.info")
    st.eq(info["epoch"], 1, "intake's epoch before any restore")
    r = stack.ok("intake", "events.read", {"after": 0, "limit": 1})
    st.eq((r["instance"], r["epoch"], r["epoch_from"]), (info["instance"], 1, 0),
          "events.read says who the producer is")
    copy = stack.backup("intake", "before-more")
    for i in range(2, 4):
        register(stack, i)
    cursor = caught_up(stack)
    st.check(cursor > at_backup, "more events after the backup")
    st.eq(following(stack)["following_halted"], {}, "nothing halted before the restore")

    # Restore intake alone: stop it, put the copy in place of its data, start it.
    st.eq(stack.stop("intake"), 0, "intake stops")
    shutil.rmtree(stack.data_dir("intake"))
    shutil.copytree(copy, stack.data_dir("intake"))
    stack.start("intake")
    info2 = stack.ok("intake", "service.info")
    st.eq(info2["last_seq"], at_backup, "intake's log is back at the backup")
    st.eq(info2["instance"], info["instance"], "the same store instance")
    st.check(info2["epoch"] > 1, f"a new epoch after the restore: {info2['epoch']}")
    # Intake now hands out the seqs after the backup again, for others.
    for i in range(4, 6):
        register(stack, i)
    st.check(stack.ok("intake", "service.info")["last_seq"] >= cursor,
             "intake's seqs reached the follower's cursor again")

    st.wait_until(lambda: following(stack)["following_halted"] ==
                  {"intake": "producer_new_epoch"}, 15, "reporting to halt following intake")
    st.eq(following(stack)["following"]["intake"], cursor,
          "the halted follower applied nothing of the new epoch")

    rc, out, err = stack.ctl("status")
    st.eq(rc, 3, f"status exits 3 with a halted follower: {out} {err}")
    row = [l for l in out.splitlines() if l.startswith("reporting")]
    st.check(row and "HALT" in row[0] and "stopped following intake" in row[0] and
             "restored from a backup" in row[0], f"status names the reason: {out}")
    rc, out, err = stack.ctl("status", json_out=True)
    st.eq(rc, 3, "status --json exits 3 too")
    code, _, body = stack.http("reporting", "/readyz")
    st.eq(code, 503, f"/readyz of the halted follower: {body}")
    st.check("following intake halted (producer_new_epoch)" in body, f"/readyz says why: {body}")
    st.eq(stack.http("intake", "/readyz")[0], 200, "intake itself is ready")

    rc, out, err = stack.ctl("follow", "resync", "reporting", "intake")
    st.eq((rc, err), (0, ""), f"follow resync: {out}")
    st.check("not_rederived" in out and f"{at_backup + 1}" in out,
             f"the resync names the seqs not re-derived: {out}")
    r = stack.call("reporting", "follow.resync", {"producer": "intake"})
    st.eq(r["error"]["code"], "failed_precondition", "a second resync has nothing to do")
    st.eq(stack.call("reporting", "follow.resync", {"producer": "finance"})["error"]["field"],
          "producer", "a service reporting does not follow is refused")
    st.eq(following(stack)["following_halted"], {}, "following again")
    stack.ok("intake", "participant.register", {"name": "Gijs Daarna", "consent": True},
             rid="restore-after")
    caught_up(stack)
    st.wait_until(lambda: stack.http("reporting", "/readyz")[0] == 200, 10,
                  "reporting to be ready again")
    rc, out, err = stack.ctl("status")
    row = [l for l in out.splitlines() if l.startswith("reporting")]
    st.check(row and row[0].split()[1] == "up", f"reporting is up again in status: {out}")

    # Restarting the follower keeps what it learnt: no halt again.
    st.eq(stack.stop("reporting"), 0, "reporting stops")
    stack.start("reporting")
    caught_up(stack)
    st.eq(following(stack)["following_halted"], {}, "still following after a restart")

    logs = stack.all_logs()
    st.check("following halted" in logs, "the halt is logged")
    for name in NAMES + ["Gijs Daarna", "Terugzet", "Herstel"]:
        st.check(name not in logs, f"no personal data in the logs: {name!r}")


@st.test(services=["intake", "reporting"])
def a_halt_survives_a_restart_of_the_follower(stack):
    register(stack, 0)
    copy = stack.backup("intake", "b")
    register(stack, 1)
    caught_up(stack)
    stack.stop("intake")
    shutil.rmtree(stack.data_dir("intake"))
    shutil.copytree(copy, stack.data_dir("intake"))
    stack.start("intake")
    st.wait_until(lambda: following(stack)["following_halted"] ==
                  {"intake": "producer_new_epoch"}, 15, "reporting to halt")
    stack.stop("reporting")
    stack.start("reporting")
    st.wait_until(lambda: following(stack)["following_halted"] ==
                  {"intake": "producer_new_epoch"}, 15, "reporting to halt again after a restart")


@st.test(services=["intake", "reporting"])
def restoring_producer_and_follower_from_copies_made_together_needs_no_resync(stack):
    register(stack, 0)
    caught_up(stack)
    # A quiet moment: the follower's copy holds no more than the producer's.
    copies = {s: stack.backup(s, "together") for s in ("reporting", "intake")}
    register(stack, 1)
    caught_up(stack)
    for s in ("reporting", "intake"):
        stack.stop(s)
        shutil.rmtree(stack.data_dir(s))
        shutil.copytree(copies[s], stack.data_dir(s))
    for s in ("intake", "reporting"):
        stack.start(s)
    st.check(stack.ok("intake", "service.info")["epoch"] > 1, "intake begins a new epoch")
    register(stack, 2)
    caught_up(stack)
    st.eq(following(stack)["following_halted"], {}, "reporting follows on without a resync")
    st.eq(stack.http("reporting", "/readyz")[0], 200, "and is ready")


if __name__ == "__main__":
    st.main()
