/*  services/scheduling/ics.c - sessions as iCalendar. See ics.h. */
#include "ics.h"
#include "../../common/strbuf.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  RFC 5545 3.1: "Lines of text SHOULD NOT be longer than 75 octets,
//  excluding the line break."
#define S_FOLD_OCTETS 75

char *ics_format_utc(int64_t unix_ms, char *buf)
{
    //  "2020-03-12T18:00:00Z" -> "20200312T180000Z": the same instant,
    //  RFC 5545's basic format.
    char iso[32];
    sm_datetime_format_utc(unix_ms, iso);
    size_t n = 0;
    for (const char *p = iso; *p && n < 16; p++)
        if (*p != '-' && *p != ':')
            buf[n++] = *p;
    buf[n] = '\0';
    return buf;
}

/*  Append TEXT-escaped s to line (RFC 5545 3.3.11). CRLF, CR and LF all
    become "\n"; other control characters, which TEXT does not allow, become
    spaces. */
static void s_put_text(strbuf_t *line, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '\\':
            strbuf_puts(line, "\\\\");
            break;
        case ';':
            strbuf_puts(line, "\\;");
            break;
        case ',':
            strbuf_puts(line, "\\,");
            break;
        case '\r':
            if (p[1] == '\n')
                p++;
            strbuf_puts(line, "\\n");
            break;
        case '\n':
            strbuf_puts(line, "\\n");
            break;
        default:
            strbuf_putc(line, (*p < 0x20 && *p != '\t') || *p == 0x7f ? ' ' : (char)*p);
        }
    }
}

/*  Append the content line in line to out, folded: at most 75 octets per
    physical line (a continuation line starts with one space, which counts),
    each ended by CRLF. A cut never falls inside a UTF-8 sequence, so every
    physical line stays valid UTF-8. Empties line. */
static void s_emit(strbuf_t *out, strbuf_t *line)
{
    const char *s = strbuf_data(line);
    size_t len = strbuf_len(line), at = 0;
    bool first = true;
    while (len - at > (first ? S_FOLD_OCTETS : S_FOLD_OCTETS - 1)) {
        size_t room = first ? S_FOLD_OCTETS : S_FOLD_OCTETS - 1;
        size_t cut = at + room;
        //  Back off over continuation bytes (10xxxxxx) to a character start.
        while (cut > at && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        if (cut == at) //  not UTF-8 at all; never loop forever
            cut = at + room;
        if (!first)
            strbuf_putc(out, ' ');
        strbuf_append(out, s + at, cut - at);
        strbuf_puts(out, "\r\n");
        at = cut;
        first = false;
    }
    if (!first)
        strbuf_putc(out, ' ');
    strbuf_append(out, s + at, len - at);
    strbuf_puts(out, "\r\n");
    strbuf_truncate(line, 0);
}

/*  Emit "NAME:value" with value already in iCalendar form (no escaping). */
static void s_property(strbuf_t *out, strbuf_t *line, const char *name, const char *value)
{
    strbuf_puts(line, name);
    strbuf_putc(line, ':');
    strbuf_puts(line, value);
    s_emit(out, line);
}

/*  Emit "NAME:value" with value TEXT-escaped. */
static void s_text_property(strbuf_t *out, strbuf_t *line, const char *name, const char *value)
{
    strbuf_puts(line, name);
    strbuf_putc(line, ':');
    s_put_text(line, value);
    s_emit(out, line);
}

/*  The VEVENT STATUS of a session (see ics.h for why planned is
    TENTATIVE). Static string. */
static const char *s_status(const session_t *s)
{
    if (s->status == SESSION_CANCELLED)
        return "CANCELLED";
    if (s->status == SESSION_PLANNED || s->tentative)
        return "TENTATIVE";
    return "CONFIRMED";
}

/*  Emit one VEVENT for session s (which has an exact time). Failures are
    left in out or line (sticky). */
static void s_event(strbuf_t *out, strbuf_t *line, const session_t *s, const char *theme,
                    const char *dtstamp)
{
    char buf[32];
    s_property(out, line, "BEGIN", "VEVENT");
    snprintf(buf, sizeof buf, "S%" PRIu64 "@samen", s->id);
    s_property(out, line, "UID", buf);
    s_property(out, line, "DTSTAMP", dtstamp);
    s_property(out, line, "DTSTART", ics_format_utc(s->start_ms, buf));
    s_property(out, line, "DTEND", ics_format_utc(s->end_ms, buf));
    //  "Focusgroep: <theme title>": the method's name in the reader's
    //  language, capitalised; then the session's own title when it has one.
    char name[96];
    sm_l10n_capitalise(method_name(s->method), name, sizeof name);
    bool has_theme = theme && *theme, has_title = s->title && *s->title;
    char summary[1200];
    if (has_theme && has_title && strcmp(theme, s->title) != 0)
        /*  TRANSLATORS: a calendar entry: method, theme's title, session's
            title, "Focus group: Disability taxi - second round". */
        snprintf(summary, sizeof summary, C_("calendar", "%1$s: %2$s - %3$s"), name, theme,
                 s->title);
    else if (has_theme || has_title)
        snprintf(summary, sizeof summary, C_("calendar", "%1$s: %2$s"), name,
                 has_theme ? theme : s->title);
    else
        snprintf(summary, sizeof summary, "%s", name);
    s_text_property(out, line, "SUMMARY", summary);
    if (s->location && *s->location)
        s_text_property(out, line, "LOCATION", s->location);
    if (s->question && *s->question)
        s_text_property(out, line, "DESCRIPTION", s->question);
    s_property(out, line, "STATUS", s_status(s));
    s_property(out, line, "END", "VEVENT");
}

char *ics_render(const session_t *sessions, const char *const *themes, size_t n_sessions,
                 int64_t dtstamp_ms, sm_err_t *err)
{
    char *result = NULL;
    strbuf_t *out = strbuf_new();
    strbuf_t *line = strbuf_new();
    if (!out || !line)
        goto cleanup;
    char dtstamp[17];
    ics_format_utc(dtstamp_ms, dtstamp);
    s_property(out, line, "BEGIN", "VCALENDAR");
    s_property(out, line, "VERSION", "2.0");
    s_property(out, line, "PRODID", "-//samen//scheduling//EN");
    s_property(out, line, "CALSCALE", "GREGORIAN");
    for (size_t i = 0; i < n_sessions; i++)
        if (sessions[i].has_time)
            s_event(out, line, &sessions[i], themes ? themes[i] : NULL, dtstamp);
    s_property(out, line, "END", "VCALENDAR");
    //  A failure while building a line marks line failed, not out; both count.
    if (!strbuf_failed(line))
        result = strbuf_detach(out);
cleanup:
    if (!result)
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory rendering the calendar"));
    strbuf_destroy(&line);
    strbuf_destroy(&out);
    return result;
}
