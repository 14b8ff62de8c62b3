"""E-mail sent by intake, through a real SMTP server on loopback.

Each test starts the whole stack and an aiosmtpd server (tests/lib/smtpsink.py)
on a private port, and configures intake to relay there (STARTTLS off: the
sink speaks plain SMTP on 127.0.0.1). The mails are checked as a mail
program would read them: headers, the Dutch text, the HTML part, the .ics
attachment (parsed with python3-icalendar), one recipient per message, and
the unsubscribe link followed over HTTP.
"""
import datetime
import os
import re
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import icalendar  # noqa: E402
import samentest as st  # noqa: E402
from smtpsink import SmtpSink, free_port  # noqa: E402

TEMPLATES = os.path.join(st.ROOT, "share", "samen", "mail")


def mail_config(sink_port, **extra):
    mail = {"relay": "127.0.0.1", "port": str(sink_port), "starttls": "off",
            "from": "Samenkracht <samen@example.nl>", "reply_to": "coordinator@example.nl",
            "templates": TEMPLATES, "timeout_ms": "5000", "retry_min_s": "1",
            "retry_max_s": "2", "per_tick": "20"}
    mail.update(extra)
    return {"intake": {"mail": mail}}


def mail_test(**mail):
    """A test with a sink and intake relaying to it; fn(stack, sink)."""
    def wrap(fn):
        port = free_port()

        def run(stack):
            sink = SmtpSink(port)
            try:
                fn(stack, sink)
            finally:
                sink.stop()
        run.__name__ = fn.__name__
        return st.test(config=mail_config(port, **mail))(run)
    return wrap


# ---- helpers ------------------------------------------------------------------

def person(stack, name, email, **kw):
    args = {"name": name, "consent": True}
    if email:
        args["email"] = email
    args.update(kw)
    return stack.ok("intake", "participant.register", args)["id"]


def future(days, hour=19):
    d = datetime.date.today() + datetime.timedelta(days=days)
    return f"{d.isoformat()}T{hour:02d}:00"


def theme(stack, title="Vervoer naar school", question="Wat maakt het leerlingenvervoer beter?"):
    return stack.ok("scheduling", "theme.add", {
        "title": title, "domain": "youth", "years": [datetime.date.today().year],
        "question": question})["id"]


def session(stack, tid, days=10, **kw):
    args = {"theme": tid, "method": "FG", "start": future(days), "end": future(days, 21),
            "location": "Raadhuis Hilversum, Dudokpark 1", "capacity": 2}
    args.update(kw)
    return stack.ok("scheduling", "session.plan", args)["id"]


def scheduling_knows(stack, pid):
    st.wait_until(lambda: stack.call("scheduling", "registration.list",
                                     {"participant": pid}).get("ok"),
                  15, f"scheduling to know {pid}")


def register(stack, sid, pid):
    scheduling_knows(stack, pid)
    return stack.ok("scheduling", "registration.create", {"session": sid, "participant": pid})


def mails(stack, **filters):
    return stack.ok("intake", "mail.list", filters)["mails"]


def wait_state(stack, mid, state, timeout=20):
    return st.wait_until(lambda: (lambda m: m if m["state"] == state else None)(
        stack.ok("intake", "mail.get", {"mail": mid})), timeout, f"{mid} to be {state}")


def text_of(msg, subtype):
    for part in msg.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_content()
    return None


def attachment(msg):
    for part in msg.walk():
        if part.get_content_disposition() == "attachment":
            return part
    return None


def intake_log_clean(stack, *secrets):
    log = stack.log("intake")
    for s in secrets:
        st.check(s not in log, f"{s!r} appears in intake's log")


def events_clean(stack, *secrets):
    blob = repr(stack.events("intake"))
    for s in secrets:
        st.check(s not in blob, f"{s!r} appears in intake's events")


# ---- confirmations, waitlist, promotion ------------------------------------------

@mail_test()
def a_registration_is_confirmed_in_dutch_with_an_ics_one_message_per_person(stack, sink):
    a = person(stack, "Fictief Yilmaz-221", "fictief.yilmaz221@example.org")
    b = person(stack, "Proefje Vos-212", "proefje.vos212@example.org")
    c = person(stack, "Voorbeeld de Jong-007", "voorbeeld.dejong007@example.org")
    tid = theme(stack)
    sid = session(stack, tid)
    register(stack, sid, a)
    register(stack, sid, b)
    register(stack, sid, c)  # capacity 2: the waitlist
    got = sink.wait_for(3)
    st.eq(len(got), 3, "messages")
    by_to = {}
    for m in got:
        st.eq(len(m.rcpt_tos), 1, "one recipient per message")
        st.eq(m.mail_from, "samen@example.nl", "envelope sender")
        st.eq(m.msg["To"].addresses[0].addr_spec, m.rcpt_tos[0], "To is the one recipient")
        st.check(m.msg["Cc"] is None and m.msg["Bcc"] is None, "no Cc or Bcc")
        by_to[m.rcpt_tos[0]] = m
    ma = by_to["fictief.yilmaz221@example.org"]
    h = ma.msg
    st.eq(h["From"].addresses[0].display_name, "Samenkracht", "From name")
    st.eq(h["Reply-To"], "coordinator@example.nl", "Reply-To")
    st.eq(h["Subject"], "Bevestiging: u bent aangemeld voor de focusgroep over Vervoer naar school",
          "Subject")
    st.eq(h["Content-Language"], "nl", "Content-Language")
    st.eq(h["Auto-Submitted"], "auto-generated", "Auto-Submitted")
    st.check(re.fullmatch(r"<[0-9a-f]{16}\.M\d+@example\.nl>", h["Message-ID"]),
             f"Message-ID {h['Message-ID']}")
    st.check(h["Date"], "a Date header")
    text = text_of(h, "plain")
    st.check("Beste Fictief Yilmaz-221," in text, text)
    st.check("U bent aangemeld voor de focusgroep over Vervoer naar school." in text, text)
    st.check("Waar: Raadhuis Hilversum, Dudokpark 1" in text, text)
    st.check("In de bijlage vindt u de afspraak voor uw agenda." in text, text)
    st.check("U ontvangt een vergoeding van € 15,00 voor uw deelname." in text, text)
    html = text_of(h, "html")
    st.check('<html lang="nl">' in html and "<strong>Vervoer naar school</strong>" in html, html)
    ics = attachment(h)
    st.check(ics is not None, "an .ics attachment")
    st.eq(ics.get_content_type(), "text/calendar", "attachment type")
    st.eq(ics.get_filename(), f"{sid}.ics", "attachment name")
    cal = icalendar.Calendar.from_ical(ics.get_content())
    ev = [c for c in cal.walk() if c.name == "VEVENT"][0]
    st.eq(str(ev["UID"]), f"{sid}@samen", "the same UID as scheduling's calendar")
    st.eq(str(ev["STATUS"]), "CONFIRMED", "STATUS")
    st.eq(str(ev["LOCATION"]), "Raadhuis Hilversum, Dudokpark 1", "LOCATION")
    start = ev["DTSTART"].dt
    st.eq(start.astimezone(datetime.timezone.utc).isoformat()[:16],
          stack.ok("scheduling", "session.get", {"session": sid})["start"][:16], "DTSTART")
    mc = by_to["voorbeeld.dejong007@example.org"]
    st.eq(mc.msg["Subject"], "U staat op de wachtlijst voor de focusgroep over Vervoer naar school",
          "waitlist subject")
    st.check(attachment(mc.msg) is None, "no .ics for a place on the waitlist")
    # The first one cancels: the second moves up and hears so, with an .ics.
    stack.ok("scheduling", "registration.cancel", {"session": sid, "participant": a})
    got = sink.wait_for(4)
    mp = got[3]
    st.eq(mp.rcpt_tos, ["voorbeeld.dejong007@example.org"], "promotion goes to the one promoted")
    st.check(mp.msg["Subject"].startswith("Er is een plaats voor u vrijgekomen"), mp.msg["Subject"])
    st.check(attachment(mp.msg) is not None, "the promotion carries an .ics")
    # Records: sent, one per mail; events and logs say IDs only.
    ms = st.wait_until(lambda: (lambda x: x if {m["state"] for m in x} == {"sent"} else None)(
        mails(stack, session=sid)), 15, "every mail recorded as sent")
    st.eq(sorted(m["kind"] for m in ms), ["confirmation", "confirmation", "promoted", "waitlisted"],
          "kinds")
    sent = [e for e in stack.events("intake") if e["type"] == "intake.mail.sent"]
    st.eq(len(sent), 4, "intake.mail.sent events")
    st.eq(sorted(sent[0]["data"]), ["attempts", "id", "kind", "participant", "report", "session",
                                    "why"], "event fields")
    for secret in ("Yilmaz", "fictief.yilmaz221", "example.org", "Vervoer"):
        intake_log_clean(stack, secret)
        events_clean(stack, secret)
    st.check(re.search(r'msg="mail sent" mail=M\d+ kind=confirmation participant=P\d+',
                       stack.log("intake")), "the log says which mail of which kind for whom")


# ---- cancellation of a session -------------------------------------------------------

@mail_test()
def a_cancelled_session_is_told_to_everyone_registered_and_waitlisted(stack, sink):
    ps = [person(stack, f"Fictief Bakker-{i}", f"fictief.bakker{i}@example.org") for i in range(3)]
    sid = session(stack, theme(stack))
    for p in ps:
        register(stack, sid, p)
    sink.wait_for(3)
    stack.ok("scheduling", "session.cancel", {"session": sid})
    got = sink.wait_for(6)
    cancels = [m for m in got if m.msg["Subject"].startswith("Gaat niet door")]
    st.eq(sorted(m.rcpt_tos[0] for m in cancels),
          [f"fictief.bakker{i}@example.org" for i in range(3)], "everyone hears it")
    ics = attachment(cancels[0].msg)
    cal = icalendar.Calendar.from_ical(ics.get_content())
    st.eq(str(cal["METHOD"]), "CANCEL", "the .ics cancels the appointment")
    st.check("gaat de focusgroep over Vervoer naar school" in text_of(cancels[0].msg, "plain"),
             "Dutch text")


# ---- the report ---------------------------------------------------------------------

REPORT = """# Verslag focusgroep leerlingenvervoer

De deelnemers vertelden dat de **taxi** vaak te laat komt.

- Vaste chauffeurs helpen.
- Bel ouders als de taxi later is.

<script>alert(1)</script>
"""


@mail_test()
def a_published_report_goes_to_everyone_who_attended_and_reporting_records_it(stack, sink):
    came = [person(stack, f"Fictief Smit-{i}", f"fictief.smit{i}@example.org") for i in range(2)]
    absent = person(stack, "Fictief Visser-9", "fictief.visser9@example.org")
    sid = session(stack, theme(stack), days=-3)  # over: no confirmations
    for p in came + [absent]:
        register(stack, sid, p)
    stack.ok("scheduling", "session.hold", {"session": sid})
    stack.ok("scheduling", "attendance.record", {"session": sid, "attended": came,
                                                 "no_show": [absent]})
    r = stack.ok("reporting", "report.draft", {"session": sid, "text": REPORT})["id"]
    stack.ok("reporting", "report.approve", {"report": r})
    # intake's mirror of attendance must be there before the publication.
    st.wait_until(lambda: stack.ok("intake", "service.info")["following"].get("scheduling", 0)
                  >= stack.ok("scheduling", "service.info")["last_seq"], 15, "intake to follow")
    stack.ok("reporting", "report.publish", {"report": r})
    got = sink.wait_for(2)
    time.sleep(1)
    st.eq(len(sink.messages), 2, "only those who attended get it")
    st.eq(sorted(m.rcpt_tos[0] for m in got), ["fictief.smit0@example.org",
                                               "fictief.smit1@example.org"], "recipients")
    m = got[0].msg
    st.eq(m["Subject"], "Verslag van de focusgroep over Vervoer naar school", "subject")
    text = text_of(m, "plain")
    st.check("Zoals beloofd sturen wij u het verslag." in text, text)
    st.check("De deelnemers vertelden dat de **taxi** vaak te laat komt." in text, text)
    html = text_of(m, "html")
    st.check("<strong>taxi</strong>" in html, "the report's HTML as reporting rendered it")
    st.check("<script>" not in html, "no raw HTML from the report's text")
    st.check(m["Auto-Submitted"] == "auto-generated", "sent by samen itself")
    # reporting learns it from intake.mail.sent and records it per recipient.
    rep = st.wait_until(lambda: (lambda d: d if len(d.get("sent_to") or []) == 2 else None)(
        stack.ok("reporting", "report.get", {"report": r})), 15, "reporting to record both")
    st.eq(sorted(x["participant"] for x in rep["sent_to"]), sorted(came), "recorded recipients")
    st.check(rep["sent_on"] == datetime.date.today().isoformat(), "report sent on today")
    st.check(any(e["type"] == "reporting.report.sent" for e in stack.events("reporting")),
             "reporting.report.sent emitted")
    # Sending it again by hand needs again: it went to them once.
    res = stack.ok("intake", "mail.send", {"kind": "report", "report": r})
    st.eq(res["queued"], 0, "nobody gets it twice")
    st.eq({x["reason"] for x in res["mails"]}, {"already_sent"}, "why")


# ---- invitations: preview, dry run, send ------------------------------------------------

@mail_test()
def an_invitation_previews_exactly_what_goes_to_whom_then_goes_once(stack, sink):
    a = person(stack, "Fictief <b>Jansen</b>", "fictief.jansen@example.org")
    b = person(stack, "Fictief Peters", "fictief.peters@example.org")
    nomail = person(stack, "Fictief Zonder", None, phone="+31600000999")
    deadline = datetime.date.today() + datetime.timedelta(days=12)
    sid = session(stack, theme(stack, question="Wat gaat goed & wat kan beter?"), days=20,
                  register_by=deadline.isoformat())
    # Without reply_by the session's registration deadline is the reply-by date.
    pv0 = stack.ok("intake", "mail.preview", {"kind": "invitation", "session": sid,
                                              "participants": [a]})
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]
    st.check(f"graag vóór" in pv0["messages"][0]["text"] and
             f"{deadline.day} {months[deadline.month - 1]} {deadline.year}"
             in pv0["messages"][0]["text"], pv0["messages"][0]["text"])
    err = stack.refused("scheduling", "session.update",
                        {"session": sid, "register_by": future(30)[:10]}, field="register_by")
    st.check("is after the session's day" in err["message"], err["message"])
    args = {"kind": "invitation", "session": sid, "participants": [a, b, nomail],
            "reply_by": (datetime.date.today() + datetime.timedelta(days=7)).isoformat()}
    pv = stack.ok("intake", "mail.preview", dict(args, show=2))
    st.eq([(x["participant"], x["send"], x["reason"]) for x in pv["recipients"]],
          [(a, True, None), (b, True, None), (nomail, False, "no_email")], "the plan")
    st.eq(pv["recipients"][0]["to"], "fictief.jansen@example.org", "to whom")
    msg = pv["messages"][0]
    st.check("De centrale vraag is: Wat gaat goed & wat kan beter?" in msg["text"], msg["text"])
    st.check("Wat gaat goed &amp; wat kan beter?" in msg["html"], "escaped in HTML")
    st.check("Fictief &lt;b&gt;Jansen&lt;/b&gt;" in msg["html"], "a name is escaped in HTML")
    st.check("<b>Jansen</b>" not in msg["html"], "no markup from a name")
    st.check("graag vóór" in msg["text"], "the reply-by date")
    st.eq(len(sink.messages), 0, "a preview sends nothing")
    res = stack.ok("intake", "mail.send", args, rid="inv-1")
    st.eq((res["queued"], res["not_sent"]), (2, 1), "queued")
    st.check("example.org" not in repr(res), "a write's reply holds no address")
    got = sink.wait_for(2)
    st.eq(got[0].msg["Subject"], pv["recipients"][0]["subject"], "what preview showed")
    ids = {x["mail"] for x in res["mails"] if x["mail"]}
    st.eq({re.search(r"\.(M\d+)@", g.msg["Message-ID"]).group(1) for g in got}, ids,
          "each Message-ID names its mail")
    again = stack.ok("intake", "mail.send", args, rid="inv-2")
    st.eq(again["queued"], 0, "an invitation goes once")
    st.eq(stack.ok("intake", "mail.send", args, rid="inv-1"), res, "a retried rid gets the answer")
    time.sleep(1)
    st.eq(len(sink.messages), 2, "no second copies")
    # samenctl mail send --dry-run shows the same, and sends nothing.
    rc, out, err = stack.ctl("mail", "send", "invitation", "--session", sid, "--to", a, "--again",
                             "--dry-run")
    st.eq(rc, 0, err)
    st.check("fictief.jansen@example.org" in out and "Uitnodiging" in out, out)
    time.sleep(0.5)
    st.eq(len(sink.messages), 2, "a dry run sends nothing")


# ---- the newsletter and its unsubscribe link ---------------------------------------------

def _follow_link(url, method="GET"):
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def newsletter_config():
    port = free_port()
    return port, {"unsubscribe_url": f"http://127.0.0.1:{port}/afmelden",
                  "http_listen": f"127.0.0.1:{port}"}


_NL_PORT, _NL_EXTRA = newsletter_config()


@mail_test(**_NL_EXTRA)
def the_newsletter_goes_to_those_who_opted_in_and_its_unsubscribe_link_works(stack, sink):
    yes = person(stack, "Fictief Mulder", "fictief.mulder@example.org", newsletter=True)
    person(stack, "Fictief de Boer", "fictief.deboer@example.org")  # no newsletter
    args = {"kind": "newsletter", "subject": "Nieuws van Samenkracht, najaar",
            "text": "Dit najaar praten we over vervoer & zorg.\nDoet u mee?"}
    res = stack.ok("intake", "mail.send", args)
    st.eq(res["queued"], 1, "only the one who opted in")
    m = sink.wait_for(1)[0]
    st.eq(m.rcpt_tos, ["fictief.mulder@example.org"], "recipient")
    st.eq(m.msg["Subject"], "Nieuws van Samenkracht, najaar", "subject")
    st.check("Auto-Submitted" not in m.msg, "a newsletter is sent by a person")
    lu = m.msg["List-Unsubscribe"]
    st.eq(m.msg["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", "RFC 8058")
    url = re.fullmatch(r"<(.*)>", lu).group(1)
    st.check(url.startswith(f"http://127.0.0.1:{_NL_PORT}/afmelden?t="), url)
    st.check(url in text_of(m.msg, "plain"), "the link is in the text")
    token = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["t"][0]
    intake_log_clean(stack, token)
    events_clean(stack, token)
    # Opening the link changes nothing (mail scanners open links); the button does.
    status, page = _follow_link(url)
    st.eq(status, 200, page)
    st.check("Afmelden" in page and "<form method=\"post\">" in page, page)
    st.eq(stack.ok("intake", "participant.get", {"participant": yes})["newsletter"], True,
          "still subscribed after a GET")
    status, page = _follow_link(url, "POST")
    st.eq(status, 200, page)
    st.check("U bent afgemeld." in page, page)
    p = stack.ok("intake", "participant.get", {"participant": yes})
    st.eq(p["newsletter"], False, "unsubscribed")
    st.eq(p["newsletter_ended"], datetime.date.today().isoformat(), "withdrawn today")
    st.eq(p["consent"], True, "taking part is another consent")
    status, page = _follow_link(url, "POST")
    st.eq(status, 200, "a second click is fine")
    status, page = _follow_link(url.replace("t=", "t=0"), "POST")
    st.eq(status, 404, "an unknown link")
    st.check("niet (meer) bekend" in page, page)
    res = stack.ok("intake", "mail.send", args)
    st.eq(res["queued"], 0, "no newsletter after unsubscribing")


@mail_test()
def a_newsletter_without_an_unsubscribe_address_is_refused(stack, sink):
    person(stack, "Fictief Mulder", "fictief.mulder@example.org", newsletter=True)
    err = stack.refused("intake", "mail.send", {"kind": "newsletter", "subject": "S", "text": "T"},
                        code="failed_precondition")
    st.check("unsubscribe_url" in err["message"], err["message"])


# ---- a relay that is down, a refusal, a crash between "sending" and "sent" -----------------

@mail_test()
def a_relay_down_for_a_while_means_delivery_later_and_no_duplicates(stack, sink):
    sink.stop()
    a = person(stack, "Fictief Dekker", "fictief.dekker@example.org")
    sid = session(stack, theme(stack))
    register(stack, sid, a)
    mid = st.wait_until(lambda: mails(stack, session=sid), 15, "the mail")[0]["id"]
    m = wait_state(stack, mid, "retrying")
    st.check(m["attempts"] >= 1 and m["reason"].startswith("the relay could not take it yet"),
             repr(m))
    st.check("Connection refused" in (m["relay_reply"] or "") or m["relay_code"] == 0, repr(m))
    time.sleep(2.5)  # a few more attempts, with backoff
    sink.start()
    got = sink.wait_for(1)
    m = wait_state(stack, mid, "sent")
    st.check(m["attempts"] >= 2, f"sent after {m['attempts']} attempts")
    time.sleep(2)
    st.eq(len(sink.messages), 1, "exactly one delivered")
    st.eq(got[0].msg["Message-ID"], m["message_id"], "the stored Message-ID")


@mail_test()
def a_refusal_by_the_relay_is_final_and_can_be_retried_by_hand(stack, sink):
    sink.refuse = "550 5.1.1 <fictief.dekker@example.org>: no such user"
    a = person(stack, "Fictief Dekker", "fictief.dekker@example.org")
    sid = session(stack, theme(stack))
    register(stack, sid, a)
    mid = st.wait_until(lambda: mails(stack, session=sid), 15, "the mail")[0]["id"]
    m = wait_state(stack, mid, "failed")
    st.eq(m["relay_code"], 550, "the relay's code")
    st.check("no such user" in m["relay_reply"], "the relay's answer is kept")
    intake_log_clean(stack, "no such user", "fictief.dekker")
    failed = [e for e in stack.events("intake") if e["type"] == "intake.mail.failed"]
    st.eq(failed[0]["data"]["why"], "refused", "event")
    sink.refuse = None
    stack.ok("intake", "mail.retry", {"mail": mid})
    wait_state(stack, mid, "sent")
    st.eq(len(sink.messages), 1, "one delivered")
    stack.refused("intake", "mail.retry", {"mail": mid}, code="failed_precondition")


def _kill_between_sending_and_sent(stack, sink, mode):
    a = person(stack, "Fictief Kok", "fictief.kok@example.org")
    sid = session(stack, theme(stack))
    sink.hold = mode
    register(stack, sid, a)
    st.check(sink.holding.wait(20), "the relay got the message")
    mid = mails(stack, session=sid)[0]["id"]
    st.eq(stack.ok("intake", "mail.get", {"mail": mid})["state"], "sending", "committed as sending")
    stack.kill("intake")  # SIGKILL: between "sending" and "sent"
    sink.rearm()
    stack.start("intake")
    m = wait_state(stack, mid, "sent")
    st.check("sent again after a restart" in stack.log("intake"), "the resend is logged")
    return m


@mail_test()
def killed_while_the_relay_had_not_accepted_it_sends_exactly_once_after_restart(stack, sink):
    m = _kill_between_sending_and_sent(stack, sink, "before_store")
    time.sleep(1.5)
    st.eq(len(sink.messages), 1, "exactly one delivered")
    st.eq(sink.messages[0].msg["Message-ID"], m["message_id"], "the stored Message-ID")
    st.eq(m["attempts"], 1, "the same attempt, sent again")


@mail_test()
def killed_after_the_relay_accepted_it_the_resend_carries_the_same_message_id(stack, sink):
    # The one window of two copies (mail.h): both are the same message.
    m = _kill_between_sending_and_sent(stack, sink, "after_store")
    got = sink.wait_for(2)
    st.eq(len({g.msg["Message-ID"] for g in got}), 1, "the same Message-ID")
    st.eq(got[0].data, got[1].data, "the same bytes")
    st.eq(got[0].msg["Message-ID"], m["message_id"], "the stored Message-ID")


# ---- erasure and withdrawal cancel what was queued ----------------------------------------

@mail_test(retry_min_s="60", retry_max_s="60")
def erasure_and_withdrawal_cancel_queued_mail_and_wipe_it(stack, sink):
    sink.stop()  # nothing goes out: the mails wait as retrying
    a = person(stack, "Fictief Erase", "fictief.erase@example.org")
    b = person(stack, "Fictief Withdraw", "fictief.withdraw@example.org")
    sid = session(stack, theme(stack))
    register(stack, sid, a)
    register(stack, sid, b)
    st.wait_until(lambda: len([m for m in mails(stack, session=sid)
                               if m["state"] == "retrying"]) == 2, 20, "both retrying")
    stack.ok("intake", "participant.erase", {"participant": a})
    stack.ok("intake", "participant.withdraw", {"participant": b})
    by_p = {m["participant"]: m for m in mails(stack, session=sid)}
    st.eq(by_p[a]["state"], "cancelled", "erased: cancelled")
    st.eq(by_p[a]["reason"], "erased", "why")
    st.eq(by_p[b]["state"], "cancelled", "withdrawn: cancelled")
    st.eq(by_p[b]["reason"], "consent_withdrawn", "why")
    ga = stack.ok("intake", "mail.get", {"mail": by_p[a]["id"]})
    st.eq((ga["to"], ga["subject"], ga["message"]), (None, None, None), "wiped")
    stack.refused("intake", "mail.retry", {"mail": by_p[a]["id"]}, code="failed_precondition")
    sink.start()
    time.sleep(2)
    st.eq(len(sink.messages), 0, "nothing goes to them")
    # The bytes are gone from the store too (a compacting copy has no free pages).
    path = stack.backup("intake", "after-erase")
    with open(os.path.join(path, "data.mdb"), "rb") as f:
        blob = f.read()
    st.check(b"fictief.erase@example.org" not in blob, "the address is gone from the store")


# ---- reminders -------------------------------------------------------------------------

@mail_test(reminder_days="3")
def a_reminder_goes_once_to_those_registered_days_before(stack, sink):
    a = person(stack, "Fictief Herinner", "fictief.herinner@example.org")
    late = person(stack, "Fictief Laat", "fictief.laat@example.org")
    sid = session(stack, theme(stack), days=10)
    register(stack, sid, a)
    sink.wait_for(1)
    # Moved to two days from now: inside the reminder window.
    stack.ok("scheduling", "session.update", {"session": sid, "start": future(2),
                                              "end": future(2, 21)})
    got = sink.wait_for(2)
    st.check(got[1].msg["Subject"].startswith("Herinnering: focusgroep over Vervoer naar school, "),
             got[1].msg["Subject"])
    st.eq(got[1].rcpt_tos, ["fictief.herinner@example.org"], "to the one registered")
    st.check(attachment(got[1].msg) is not None, "with the appointment")
    # Registered within the window: the confirmation is enough.
    register(stack, sid, late)
    got = sink.wait_for(3)
    st.check(got[2].msg["Subject"].startswith("Bevestiging"), got[2].msg["Subject"])
    skipped = [m for m in mails(stack, participant=late) if m["kind"] == "reminder"]
    st.eq(skipped[0]["reason"], "registered_within_reminder_window", "no reminder on top")
    # A second update does not remind again.
    stack.ok("scheduling", "session.update", {"session": sid, "location": "Raadhuis, zaal 2"})
    time.sleep(1.5)
    st.eq(len(sink.messages), 3, "once")


if __name__ == "__main__":
    st.main()
