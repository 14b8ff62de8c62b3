/*  services/scheduling/ics.h - sessions as an iCalendar (RFC 5545) document.

    For the website and for people's own calendars: one VEVENT per session
    with an exact start and end (sessions known only by a period are left
    out: a calendar needs a time).

        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//samen//scheduling//EN
        CALSCALE:GREGORIAN
        BEGIN:VEVENT
        UID:S31@samen
        DTSTAMP:20200301T120000Z
        DTSTART:20200312T180000Z
        DTEND:20200312T200000Z
        SUMMARY:Focus group: Disability taxi
        LOCATION:Town hall\, Hilversum
        DESCRIPTION:What would make the taxi easier to use?
        STATUS:CONFIRMED
        END:VEVENT
        END:VCALENDAR

    - Times are UTC ("...Z"), so no VTIMEZONE is needed.
    - SUMMARY is the method's name in the reader's language, capitalised,
      then ": " and the theme's title, then " - " and the session's own
      title when it has one that differs ("Focusgroep: Wmo-taxi" in
      Dutch); without a theme title the session's title stands alone.
    - STATUS is CANCELLED for a cancelled session, TENTATIVE for a planned
      or tentative (ovb) one, CONFIRMED for a confirmed or held one; a
      cancelled session stays in the feed so subscribed calendars drop it.
    - LOCATION and DESCRIPTION (the central question) only when set.
    - Text is escaped (\\ \; \, and \n for a line break; other control
      characters become spaces), lines end in CRLF and are folded at 75
      octets, never inside a UTF-8 sequence.
    - No personal data: participants never appear.
*/
#ifndef SAMEN_SCHEDULING_ICS_H
#define SAMEN_SCHEDULING_ICS_H

#include "common/err.h"
#include "session_rules.h"
#include <stddef.h>
#include <stdint.h>

/*  Render sessions (those with has_time) as one VCALENDAR; themes[i] is
    the title of session i's theme (themes or an entry may be NULL). The
    text is in the reader's language (common/i18n.h). dtstamp_ms is
    the DTSTAMP of every event (the service passes the time of the request,
    so that a test can pass a fixed one). Text fields must be valid UTF-8
    (the service checks input when it is stored).
    Returns a malloc'd NUL-terminated string the caller frees, or NULL with
    err (SM_E_RESOURCE_EXHAUSTED) when out of memory. */
char *ics_render(const session_t *sessions, const char *const *themes, size_t n_sessions,
                 int64_t dtstamp_ms, sm_err_t *err);

/*  "YYYYMMDDTHHMMSSZ" (an RFC 5545 UTC DATE-TIME) into buf (at least 17
    bytes). Returns buf. */
char *ics_format_utc(int64_t unix_ms, char *buf);

#endif
