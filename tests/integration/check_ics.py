#!/usr/bin/python3
"""Check an iCalendar file the way a calendar client would read it.

    /usr/bin/python3 tests/integration/check_ics.py FILE

Parses FILE with python3-icalendar and prints

    vevents=N
    uid=S31@samen
    ...

Exits 1 (with the reason on stderr) when the file does not parse, or when it
breaks the rules samen promises for its calendars: CRLF line ends, physical
lines of at most 75 octets that are each valid UTF-8, one VCALENDAR with
VERSION 2.0 and a PRODID, and every VEVENT with UID, DTSTAMP, DTSTART and
DTEND (DTEND after DTSTART). Exits 2 on usage errors.
"""
import sys


def fail(message):
    print("check_ics: " + message, file=sys.stderr)
    sys.exit(1)


def check_lines(raw):
    if not raw.endswith(b"\r\n"):
        fail("the last line does not end in CRLF")
    lines = raw[:-2].split(b"\r\n")
    for number, line in enumerate(lines, 1):
        if b"\n" in line or b"\r" in line:
            fail("line %d has a bare CR or LF" % number)
        if len(line) > 75:
            fail("line %d is %d octets long (at most 75)" % (number, len(line)))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            fail("line %d is not valid UTF-8 on its own (folded inside a character?)" % number)


def main(argv):
    if len(argv) != 2:
        print("usage: check_ics.py FILE", file=sys.stderr)
        return 2
    try:
        import icalendar
    except ImportError:
        print("check_ics: python3-icalendar is not installed", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            raw = f.read()
    except OSError as e:
        fail("cannot read %s: %s" % (argv[1], e))
    check_lines(raw)
    try:
        cal = icalendar.Calendar.from_ical(raw)
    except Exception as e:  # the library raises ValueError and friends
        fail("parse error: %s" % e)
    if cal.name != "VCALENDAR":
        fail("the document is a %s, not a VCALENDAR" % cal.name)
    if str(cal.get("VERSION", "")) != "2.0":
        fail("VERSION is not 2.0")
    if not cal.get("PRODID"):
        fail("PRODID is missing")
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND"):
            if prop not in event:
                fail("a VEVENT has no %s" % prop)
        try:
            start = event.decoded("DTSTART")
            end = event.decoded("DTEND")
        except Exception as e:
            fail("%s: bad DTSTART or DTEND: %s" % (event["UID"], e))
        if not end > start:
            fail("%s: DTEND is not after DTSTART" % event["UID"])
    print("vevents=%d" % len(events))
    for event in events:
        print("uid=%s" % event["UID"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
