#!/usr/bin/python3
"""samenctl against a running stack (DESIGN.md §7): exit codes 0 ok, 1 the
service refused (its message on stderr), 2 usage error, 3 unreachable or
timed out; help; status; raw calls; events tail; hot backup and restore;
where the broker address comes from.
"""
import json
import os
import subprocess
import threading
import time

import samentest as st

CTL = os.path.join(st.BIN, "samenctl")
NOBODY = "ipc:///tmp/samen-nobody-binds-this/broker"
HILVERSUM_JSON = '{"name": "Hilversum", "code": "GM0402", "inhabitants": 87817, "as_of": "2016-01-01"}'
HILVERSUM_DATA = {"code": "GM0402", "name": "Hilversum", "inhabitants": 87817,
                  "as_of": "2016-01-01",
                  "counts": [{"inhabitants": 87817, "as_of": "2016-01-01"}]}
NOUNS = ["status", "events", "call", "backup", "municipality"]


def run(*args, env=None, timeout=30):
    """samenctl without the harness's --broker: (exit code, stdout, stderr)."""
    e = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
    e.pop("SAMEN_BROKER", None)
    e.pop("SAMEN_CONFIG", None)
    e.update(env or {})
    p = subprocess.run([CTL, *args], capture_output=True, text=True, timeout=timeout, env=e)
    st.check(not st.SANITIZER.search(p.stderr), f"sanitizer report from samenctl {args}:\n"
             f"{p.stderr}")
    return p.returncode, p.stdout, p.stderr


def usage_error(stack, *args, mentions=()):
    """Insist on exit 2 with the problem on stderr and nothing on stdout."""
    rc, out, err = stack.ctl(*args)
    st.eq(rc, 2, f"exit code of samenctl {' '.join(args)} (stderr: {err!r})")
    st.eq(out, "", f"stdout of samenctl {' '.join(args)}")
    for w in mentions:
        st.check(w in err, f"stderr of samenctl {' '.join(args)} mentions {w!r}: {err!r}")
    return err


def add_args(n):
    return {"name": f"Test {n:04d}", "code": f"GM{n:04d}", "inhabitants": 1000 + n,
            "as_of": "2020-01-01"}


# ---- help ------------------------------------------------------------------------

@st.test(services=[], start=False)
def help_lists_every_command_with_its_summary_and_exits_0(stack):
    rc, out, err = run("help")
    st.eq(rc, 0, "exit code")
    st.eq(err, "", "stderr")
    commands = out.split("commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    listed = [line.split()[0] for line in commands]
    for noun in NOUNS:
        st.check(noun in listed, f"help lists {noun}: {listed}")
    for line in commands:  # every command listed has a summary and a help of its own
        noun, summary = line.split(None, 1)
        rc, nout, nerr = run(noun, "--help")
        st.eq(rc, 0, f"exit code of samenctl {noun} --help (stderr {nerr!r})")
        st.check(f"samenctl {noun}" in nout and nout.strip(),
                 f"samenctl {noun} --help shows its usage: {nout[:100]!r}")
    for w in ("--broker", "--timeout", "--json", "exit codes: 0 ok, 1 refused by the service, "
              "2 usage error, 3 unreachable or timed out"):
        st.check(w in out, f"help mentions {w!r}")
    rc2, out2, _ = run("--help")
    st.eq((rc2, out2), (0, out), "--help prints the same")


@st.test(services=[], start=False)
def no_command_prints_the_help_on_stderr_and_exits_2(stack):
    rc, out, err = run()
    st.eq(rc, 2, "exit code")
    st.eq(out, "", "stdout")
    st.check("commands:" in err, "the help goes to stderr")


@st.test(services=[], start=False)
def noun_help_lists_its_verbs_with_an_example_each(stack):
    rc, out, err = run("municipality", "--help")
    st.eq(rc, 0, "exit code")
    verbs = [line.split()[2] for line in out.splitlines() if line.startswith("  samenctl ")]
    st.eq(verbs, ["add", "count", "show", "list"], "verbs listed")
    st.eq(out.count("e.g. samenctl municipality "), 4, "an example per verb")
    rc, out2, _ = run("help", "municipality")
    st.eq((rc, out2), (0, out), "samenctl help municipality prints the same")
    rc, out3, _ = run("municipality", "add", "--help")
    st.eq(rc, 0, "exit code of verb help")
    st.check(out3.startswith("usage: samenctl municipality add NAME --code GM0000 --inhabitants N "
                             "--as-of DATE"), f"verb usage line: {out3!r}")
    st.check("flags: --code X --inhabitants X --as-of X" in out3, f"verb flags: {out3!r}")


# ---- usage errors: exit 2 ------------------------------------------------------------

@st.test(services=["finance"])
def usage_errors_exit_2_and_say_what_is_wrong(stack):
    usage_error(stack, "frobnicate", mentions=['unknown command "frobnicate"', "samenctl help"])
    usage_error(stack, "municipality", "frobnicate", mentions=['no verb "frobnicate"',
                                                               "municipality add"])
    usage_error(stack, "municipality", "list", "--bogus",
                mentions=["unknown flag --bogus", "--as-of"])
    usage_error(stack, "municipality", "add", "Naarden", "--code", "GM0382",
                mentions=["--inhabitants", "--as-of"])
    usage_error(stack, "municipality", "add", "Naarden", "--code", "GM0382", "--inhabitants",
                "x", "--as-of", "2016-01-01", mentions=["--inhabitants", "whole number", '"x"'])
    usage_error(stack, "municipality", "show", mentions=["municipality show NAME|CODE"])
    usage_error(stack, "municipality", "show", "A", "B", mentions=["got 2"])
    usage_error(stack, "municipality", "list", "--as-of", mentions=["--as-of needs a value"])
    for bad in ("abc", "0", "-5", "10x", "3600001"):
        usage_error(stack, "--timeout", bad, "status", mentions=["--timeout", f'"{bad}"'])
    usage_error(stack, "--locale", "fr", "status", mentions=["--locale", "nl"])
    usage_error(stack, "events", "tail", "--from", "payroll:0", mentions=["--from", "payroll"])
    usage_error(stack, "events", "tail", "--count", "0", mentions=["--count"])
    st.eq(stack.ok("finance", "municipality.list")["municipalities"], [], "nothing was sent")


# ---- exit 3: unreachable -------------------------------------------------------------

@st.test(services=[], start=False)
def unreachable_broker_exits_3_within_the_timeout(stack):
    for args in (("status",), ("municipality", "list"),
                 ("municipality", "add", "Hilversum", "--code", "GM0402", "--inhabitants",
                  "87817", "--as-of", "2016-01-01"),
                 ("call", "finance", "service.info")):
        t0 = time.monotonic()
        rc, out, err = run("--broker", NOBODY, "--timeout", "300", *args)
        dt = time.monotonic() - t0
        st.eq(rc, 3, f"exit code of samenctl {' '.join(args)} (stderr {err!r})")
        st.check(dt < 3.0, f"samenctl {' '.join(args)} gave up after {dt:.1f}s")
        st.check(NOBODY in out + err, f"the output names the broker tried: {out!r} {err!r}")


@st.test(services=["finance"], broker={"request_expiry_ms": "500"})
def service_not_running_exits_3_with_the_brokers_message(stack):
    rc, out, err = stack.ctl("call", "scheduling", "service.info")
    st.eq(rc, 3, "exit code")
    st.check("scheduling" in err and "[unavailable]" in err, f"stderr: {err!r}")


# ---- exit 1: refused -------------------------------------------------------------------

@st.test(services=["finance"])
def refusal_exits_1_with_the_services_message_field_and_code_on_stderr(stack):
    args = ("municipality", "add", "Hilversum", "--code", "GM0402", "--inhabitants", "87817",
            "--as-of", "2016-01-01")
    rc, out, err = stack.ctl(*args)
    st.eq((rc, err), (0, ""), "first add")
    st.eq(out, "Hilversum (GM0402): 87817 inhabitants on 2016-01-01\n", "first add's output")
    rc, out, err = stack.ctl(*args)
    st.eq(rc, 1, "exit code of a refused add")
    st.eq(out, "", "stdout of a refused add")
    st.eq(err, "samenctl: municipality Hilversum (GM0402) already exists; add a new inhabitant "
               "count with municipality.count (field: code) [already_exists]\n", "stderr")
    rc, out, err = stack.ctl("municipality", "show", "Bussum")
    st.eq(rc, 1, "exit code of show for an unknown municipality")
    st.check("Bussum" in err and "[not_found]" in err, f"stderr: {err!r}")


# ---- status --------------------------------------------------------------------------------

@st.test()
def status_json_parses_and_shows_the_broker_and_every_service_up(stack):
    st.wait_until(lambda: sorted(r["workers"] for r in stack.ok("broker", "status")["services"])
                  == [8, 8, 8, 8], 5.0, "every worker connection registered")
    rc, out, err = stack.ctl("status", "--json")
    st.eq(rc, 0, f"exit code (stderr {err!r})")
    s = json.loads(out)
    st.eq(sorted(s), ["broker", "services"], "top-level keys")
    st.eq(sorted((r["name"], r["workers"]) for r in s["broker"]["services"]),
          [("finance", 8), ("intake", 8), ("reporting", 8), ("scheduling", 8)],
          "services registered at the broker")
    st.eq(sorted(s["services"]), sorted(st.ALL), "services reported")
    for name, info in s["services"].items():
        st.check(info is not None, f"{name} answered service.info")
        st.eq(info["name"], name, "service.info name")
        st.eq(info["workers"], 8, f"{name} workers")


@st.test()
def status_with_a_service_down_exits_3_and_marks_it_down(stack):
    stack.stop("reporting")
    st.wait_until(lambda: stack.mmi("reporting", 0.5) == "404", 5.0, "reporting to unregister")
    rc, out, err = stack.ctl("status")
    st.eq(rc, 3, "exit code")
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:] if line.strip()}
    st.eq(rows, {"broker": "up", "intake": "up", "scheduling": "up", "reporting": "DOWN",
                 "finance": "up"}, "states")


# ---- call ----------------------------------------------------------------------------------

@st.test(services=["finance"])
def call_sends_json_args_and_prints_the_reply_data_as_json(stack):
    rc, out, err = stack.ctl("call", "finance", "municipality.add", HILVERSUM_JSON)
    st.eq((rc, err), (0, ""), "exit code and stderr of the add")
    st.eq(json.loads(out), HILVERSUM_DATA, "printed reply data")
    rc, out, err = stack.ctl("call", "finance", "municipality.get", '{"municipality": "GM0402"}')
    st.eq(rc, 0, "exit code of the get")
    st.eq(json.loads(out), HILVERSUM_DATA, "get")
    rc, out, err = stack.ctl("call", "finance", "municipality.get",
                             '{"municipality": "GM0402"}', "--json")
    st.eq(json.loads(out), {"ok": True, "data": HILVERSUM_DATA}, "--json prints the whole reply")
    st.eq(stack.ok("finance", "municipality.list")["municipalities"], [HILVERSUM_DATA], "stored")


@st.test(services=["finance"])
def call_run_twice_with_the_same_samen_rid_is_applied_once_and_answered_the_same(stack):
    env = {"SAMEN_RID": "cli-retry-1"}
    got = []
    for _ in range(2):
        rc, out, err = run("--broker", stack.broker_ep, "call", "finance", "municipality.add",
                           HILVERSUM_JSON, env=env)
        st.eq((rc, err), (0, ""), "exit code and stderr of the add with SAMEN_RID")
        got.append(json.loads(out))
    st.eq(got, [HILVERSUM_DATA, HILVERSUM_DATA], "the re-run gets the first answer back")
    st.eq(stack.ok("finance", "events.read", {"after": 0})["last_seq"], 1, "applied once")
    st.eq(stack.ok("finance", "municipality.list")["municipalities"], [HILVERSUM_DATA],
          "stored once")
    # Another SAMEN_RID is another request: the service sees the repeat.
    rc, out, err = run("--broker", stack.broker_ep, "call", "finance", "municipality.add",
                       HILVERSUM_JSON, env={"SAMEN_RID": "cli-retry-2"})
    st.check(rc == 1 and "already_exists" in err, f"a new request id is a new add: {rc} {err!r}")
    rc, out, err = run("--broker", stack.broker_ep, "call", "finance", "municipality.list",
                       env={"SAMEN_RID": "not valid!"})
    st.check(rc == 2 and "SAMEN_RID" in err, f"an unusable SAMEN_RID is a usage error: {err!r}")


@st.test(services=["finance"])
def call_refuses_fractional_numbers_and_non_objects_with_exit_2_before_sending(stack):
    rc, out, err = stack.ctl("call", "finance", "municipality.add",
                             '{"name": "B", "code": "GM0403", "inhabitants": 1.5, '
                             '"as_of": "2016-01-01"}')
    st.eq(rc, 2, "exit code for a fractional number")
    st.check("1.5" in err and "whole numbers" in err, f"stderr: {err!r}")
    usage_error(stack, "call", "finance", "municipality.add", "[1]", mentions=["JSON object"])
    usage_error(stack, "call", "finance", "municipality.add", "{bad", mentions=["not valid JSON"])
    usage_error(stack, "call", "finance", mentions=["call SERVICE OP"])
    st.eq(stack.ok("finance", "events.read", {"after": 0})["last_seq"], 0, "nothing was written")


@st.test(services=["finance"])
def call_refused_by_the_service_exits_1_and_with_json_prints_the_error_reply(stack):
    rc, out, err = stack.ctl("call", "finance", "municipality.add",
                             '{"name": "B", "code": "XX0403", "inhabitants": 5, '
                             '"as_of": "2016-01-01"}', "--json")
    st.eq(rc, 1, "exit code")
    reply = json.loads(out)
    st.eq((reply["ok"], reply["error"]["code"], reply["error"]["field"]),
          (False, "invalid_argument", "code"), "printed error reply")
    st.check("(field: code) [invalid_argument]" in err, f"stderr: {err!r}")


# ---- municipality --------------------------------------------------------------------------

@st.test(services=["finance"])
def municipality_list_prints_a_table_csv_or_json(stack):
    stack.ok("finance", "municipality.add", {"name": "Hilversum", "code": "GM0402",
                                             "inhabitants": 87817, "as_of": "2016-01-01"})
    stack.ok("finance", "municipality.add", {"name": "Wijdemeren", "code": "GM1696",
                                             "inhabitants": 23490, "as_of": "2016-01-01"})
    rc, out, err = stack.ctl("municipality", "list", "--format", "csv")
    st.eq(rc, 0, "exit code")
    st.eq(out, "CODE,MUNICIPALITY,INHABITANTS,AS OF\n"
               "GM0402,Hilversum,87817,2016-01-01\n"
               "GM1696,Wijdemeren,23490,2016-01-01\n", "csv")
    rc, out, err = stack.ctl("municipality", "list")
    st.eq(out.splitlines()[-1], "total inhabitants: 111307", "text total")
    st.eq([line.split()[:2] for line in out.splitlines()[1:3]],
          [["GM0402", "Hilversum"], ["GM1696", "Wijdemeren"]], "text rows")
    rc, out, err = stack.ctl("municipality", "list", "--json")
    st.eq(json.loads(out)["total_inhabitants"], 111307, "json total")


# ---- events tail ----------------------------------------------------------------------------

@st.test()
def events_tail_no_follow_json_prints_every_stored_event_as_one_json_line(stack):
    for n in range(1, 5):
        stack.ok("finance", "municipality.add", add_args(n), rid=f"tail-{n}")
    rc, out, err = stack.ctl("events", "tail", "--no-follow", "--from", "all:0", "--json")
    st.eq((rc, err), (0, ""), "exit code and stderr")
    printed = [json.loads(line) for line in out.splitlines()]  # each line one JSON object
    for svc in st.ALL:  # per service: every stored event once, in seq order
        st.eq([e for e in printed if e["type"].startswith(svc + ".")], stack.events(svc),
              f"{svc} events printed")
    st.eq(len(printed), sum(len(stack.events(svc)) for svc in st.ALL), "nothing else printed")
    st.check(len(printed) >= 4, "finance's four events are among them")

    def finance_seqs(*args):
        rc, out, err = stack.ctl("events", "tail", "--no-follow", "--json", *args)
        st.eq(rc, 0, f"exit code of events tail {args}")
        return [json.loads(line)["seq"] for line in out.splitlines()]
    st.eq(finance_seqs("--topic", "finance", "--from", "finance:2"), [3, 4], "--from finance:2")
    st.eq(finance_seqs("--topic", "finance", "--last", "1"), [4], "--last 1")
    st.eq(finance_seqs("--topic", "finance.municipality.added", "--from", "finance:3"), [4],
          "--topic with a full event type")


@st.test(services=["finance"])
def events_tail_without_live_events_still_prints_every_event_from_the_log(stack):
    # --events points where nobody publishes: every event must come from the
    # tail polling the log, as after a broker restart that lost live events.
    for n in range(1, 4):
        stack.ok("finance", "municipality.add", add_args(n), rid=f"poll-{n}")
    tail = subprocess.Popen(
        [CTL, "--broker", stack.broker_ep, "--events", f"ipc://{stack.dir}/nobody-publishes",
         "events", "tail", "--topic", "finance", "--from", "finance:0", "--count", "6", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1"))
    try:
        time.sleep(0.5)
        for n in range(4, 7):
            stack.ok("finance", "municipality.add", add_args(n), rid=f"poll-{n}")
        out, err = tail.communicate(timeout=10)
    finally:
        if tail.poll() is None:
            tail.kill()
            tail.communicate()
    st.eq(tail.returncode, 0, f"exit code (stderr {err!r})")
    st.eq([json.loads(line)["seq"] for line in out.splitlines()], [1, 2, 3, 4, 5, 6],
          "seqs printed")


@st.test(services=["finance"], broker={"request_expiry_ms": "3000"})
def events_tail_does_not_wait_for_services_that_are_not_running(stack):
    stack.ok("finance", "municipality.add", add_args(1), rid="nr-1")
    for args in (("--from", "finance:0"), ("--last", "5")):
        t0 = time.monotonic()
        rc, out, err = stack.ctl("events", "tail", "--no-follow", "--json", *args)
        dt = time.monotonic() - t0
        st.eq([json.loads(line)["seq"] for line in out.splitlines()], [1], f"events {args}")
        st.check(dt < 2.0, f"events tail {' '.join(args)} took {dt:.1f}s with three services "
                 f"not running (request expiry 3 s)")


@st.test(services=[], start=False)
def events_help_says_where_the_events_endpoint_comes_from(stack):
    rc, out, err = run("events", "tail", "--help")
    st.eq(rc, 0, "exit code")
    flat = " ".join(out.split())
    for w in ("--events EP", "$SAMEN_EVENTS", "broker/events_out in the config file",
              "port + 2"):
        st.check(w in flat, f"events tail --help mentions {w!r}: {out!r}")
    rc, out, _ = run("help")
    st.check("--events EP" in out, "the global help lists --events")


# ---- backup and restore -----------------------------------------------------------------------

@st.test(services=["finance"])
def backup_writes_a_copy_that_a_fresh_finance_starts_on_with_the_same_state(stack):
    for n in range(1, 4):
        stack.ok("finance", "municipality.add", add_args(n), rid=f"bk-{n}")
    at_backup = stack.ok("finance", "municipality.list")
    events_at_backup = stack.events("finance")
    copy = stack.backup_path("finance", "backup-1")
    rc, out, err = stack.ctl("backup", "finance", "backup-1")
    st.eq((rc, err), (0, ""), "exit code and stderr of the backup")
    st.eq(out, f"name       backup-1\npath       {copy}\nlast_seq   3\n", "backup output")
    st.check(os.path.getsize(os.path.join(copy, "data.mdb")) > 0, "data.mdb in the copy")
    st.eq(os.stat(os.path.join(copy, "data.mdb")).st_mode & 0o777, 0o600,
          "the copy is readable by its owner only")
    rc, out, err = stack.ctl("backup", "finance", "backup-1")
    st.eq(rc, 1, "a second backup into the same directory is refused")
    st.check("already exists" in err, f"stderr: {err!r}")

    stack.ok("finance", "municipality.add", add_args(4), rid="bk-4")  # after the backup
    stack.stop("finance")
    stack.start("finance", extra=["--data-dir", copy])  # restore = start on the copy
    st.eq(stack.ok("finance", "municipality.list"), at_backup, "municipalities on the copy")
    st.eq(stack.events("finance"), events_at_backup, "event log on the copy")
    st.eq(stack.ok("finance", "municipality.add", add_args(5), rid="bk-5")["code"], "GM0005",
          "the restored service takes writes")
    st.eq(stack.ok("finance", "service.info")["last_seq"], 4, "seq continues from the copy")


@st.test(services=["finance"])
def backup_under_write_load_is_a_consistent_snapshot(stack):
    errors = []

    def writer(k):
        c = stack.new_client()
        try:
            for n in range(k, 301, 4):
                r = c.call("finance", "municipality.add", add_args(n), rid=f"load-{n}")
                if not r["ok"]:
                    errors.append(r)
        except st.Failure as e:
            errors.append(str(e))
        finally:
            c.close()
    threads = [threading.Thread(target=writer, args=(k,), daemon=True) for k in range(1, 5)]
    for t in threads:
        t.start()
    st.wait_until(lambda: stack.ok("finance", "service.info")["last_seq"] >= 40, 20.0,
                  "40 writes before the backup")
    copy = stack.backup_path("finance", "backup-hot")
    rc, out, err = stack.ctl("backup", "finance", "backup-hot")
    st.eq((rc, err), (0, ""), "backup under load")
    for t in threads:
        t.join(60.0)
    st.check(not any(t.is_alive() for t in threads), "writers finished")
    st.eq(errors, [], "writes refused during the backup")
    seq = int(out.split("last_seq")[1])
    stack.stop("finance")
    stack.start("finance", extra=["--data-dir", copy])
    listed = stack.ok("finance", "municipality.list")["municipalities"]
    events = stack.events("finance")
    st.eq(len(events), seq, "events in the copy = last_seq the backup reported")
    st.eq(sorted(m["code"] for m in listed), sorted(e["data"]["code"] for e in events),
          "state and event log of the copy match")
    st.check(40 <= seq < 300, f"the copy was taken mid-load (last_seq {seq})")


# ---- where the broker address comes from -------------------------------------------------------

@st.test(services=["finance"])
def broker_address_comes_from_flag_then_environment_then_config_file(stack):
    rc, out, _ = run("municipality", "list", "--json", env={"SAMEN_BROKER": stack.broker_ep})
    st.eq(rc, 0, "$SAMEN_BROKER is used")
    rc, out, _ = run("--config", stack.cfg_path, "municipality", "list", "--json")
    st.eq(rc, 0, "--config FILE gives broker/endpoint")
    rc, out, _ = run("municipality", "list", "--json", env={"SAMEN_CONFIG": stack.cfg_path})
    st.eq(rc, 0, "$SAMEN_CONFIG gives broker/endpoint")
    rc, out, _ = run("--broker", stack.broker_ep, "--timeout", "300", "municipality", "list",
                     env={"SAMEN_BROKER": NOBODY})
    st.eq(rc, 0, "--broker wins over $SAMEN_BROKER")
    rc, out, _ = run("--timeout", "300", "municipality", "list",
                     env={"SAMEN_BROKER": NOBODY, "SAMEN_CONFIG": stack.cfg_path})
    st.eq(rc, 3, "$SAMEN_BROKER wins over the config file")


if __name__ == "__main__":
    st.main()
