/*  tests/unit/scheduling/test_ics.c - sessions as iCalendar (RFC 5545). */
#include "services/scheduling/ics.h"
#include "common/i18n.h"
#include "tests/unit/test.h"
#include <stdlib.h>
#include <unistd.h>

static int64_t s_utc(int y, int m, int d, int h, int mi)
{
    sm_date_t date = {y, m, d};
    return (sm_date_to_days(date) * 86400 + h * 3600 + mi * 60) * 1000;
}

static session_t s_session(uint64_t id, method_t method, int64_t start_ms)
{
    session_t s = {0};
    s.id = id;
    s.theme_id = 1;
    s.method = method;
    s.status = SESSION_CONFIRMED;
    s.has_time = true;
    s.start_ms = start_ms;
    s.end_ms = start_ms + 2 * 3600 * 1000;
    s.capacity = 12;
    return s;
}

#define S_STAMP s_utc(2020, 3, 1, 12, 0)

TEST(one_confirmed_session_is_exactly_this_calendar)
{
    session_t s = s_session(31, METHOD_FG, s_utc(2020, 3, 12, 18, 0));
    s.title = "Disability taxi";
    s.location = "Town hall, Hilversum";
    s.question = "What would make the taxi easier to use?";
    sm_err_t err;
    sm_err_clear(&err);
    char *ics = ics_render(&s, NULL, 1, S_STAMP, &err);
    CHECK_STR(ics, "BEGIN:VCALENDAR\r\n"
                   "VERSION:2.0\r\n"
                   "PRODID:-//samen//scheduling//EN\r\n"
                   "CALSCALE:GREGORIAN\r\n"
                   "BEGIN:VEVENT\r\n"
                   "UID:S31@samen\r\n"
                   "DTSTAMP:20200301T120000Z\r\n"
                   "DTSTART:20200312T180000Z\r\n"
                   "DTEND:20200312T200000Z\r\n"
                   "SUMMARY:Focus group: Disability taxi\r\n"
                   "LOCATION:Town hall\\, Hilversum\r\n"
                   "DESCRIPTION:What would make the taxi easier to use?\r\n"
                   "STATUS:CONFIRMED\r\n"
                   "END:VEVENT\r\n"
                   "END:VCALENDAR\r\n");
    free(ics);
}

TEST(a_dutch_entry_names_the_method_in_dutch_and_the_themes_title)
{
    sm_i18n_init("nl", NULL);
    session_t s[2];
    s[0] = s_session(31, METHOD_SB, s_utc(2020, 3, 12, 18, 0));
    s[1] = s_session(32, METHOD_KB, s_utc(2020, 4, 12, 18, 0));
    s[1].title = "Tweede ronde";
    const char *themes[] = {"Wmo-taxi", "Klankbordgroep jeugdhulp"};
    char *ics = ics_render(s, themes, 2, S_STAMP, NULL);
    CHECK(strstr(ics, "\r\nSUMMARY:Spiegelbijeenkomst: Wmo-taxi\r\n") != NULL);
    CHECK(strstr(ics, "\r\nSUMMARY:Klankbordgroep: Klankbordgroep jeugdhulp - Tweede ronde\r\n") !=
          NULL);
    free(ics);
    sm_i18n_init("en", NULL);
    ics = ics_render(s, themes, 1, S_STAMP, NULL);
    CHECK(strstr(ics, "\r\nSUMMARY:Mirror meeting: Wmo-taxi\r\n") != NULL);
    free(ics);
}

TEST(status_follows_cancelled_tentative_and_planned)
{
    session_t s[4];
    s[0] = s_session(1, METHOD_I, s_utc(2020, 3, 12, 9, 0));
    s[0].status = SESSION_CANCELLED;
    s[0].tentative = true;
    s[1] = s_session(2, METHOD_I, s_utc(2020, 3, 13, 9, 0));
    s[1].tentative = true;
    s[2] = s_session(3, METHOD_I, s_utc(2020, 3, 14, 9, 0));
    s[2].status = SESSION_PLANNED;
    s[3] = s_session(4, METHOD_I, s_utc(2020, 3, 15, 9, 0));
    s[3].status = SESSION_HELD;
    char *ics = ics_render(s, NULL, 4, S_STAMP, NULL);
    const char *p = ics;
    const char *expect[] = {"STATUS:CANCELLED\r\n", "STATUS:TENTATIVE\r\n", "STATUS:TENTATIVE\r\n",
                            "STATUS:CONFIRMED\r\n"};
    for (int i = 0; i < 4; i++) {
        p = p ? strstr(p, expect[i]) : NULL;
        CHECK(p != NULL);
        if (p)
            p++;
    }
    //  No title, no location, no question: just the method.
    CHECK(strstr(ics, "SUMMARY:Interviews\r\n") != NULL);
    CHECK(strstr(ics, "LOCATION") == NULL);
    CHECK(strstr(ics, "DESCRIPTION") == NULL);
    free(ics);
}

TEST(sessions_known_only_by_a_period_are_left_out)
{
    session_t s[2];
    s[0] = s_session(1, METHOD_SB, s_utc(2020, 3, 12, 9, 0));
    s[1] = s[0];
    s[1].id = 2;
    s[1].has_time = false;
    s[1].period.kind = SM_PERIOD_QUARTER;
    s[1].period.from = (sm_date_t){2020, 4, 1};
    s[1].period.to = (sm_date_t){2020, 6, 30};
    char *ics = ics_render(s, NULL, 2, S_STAMP, NULL);
    CHECK(strstr(ics, "UID:S1@samen\r\n") != NULL);
    CHECK(strstr(ics, "UID:S2@samen") == NULL);
    free(ics);
    ics = ics_render(NULL, NULL, 0, S_STAMP, NULL);
    CHECK_STR(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//samen//scheduling//EN\r\n"
                   "CALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n");
    free(ics);
}

TEST(text_is_escaped)
{
    session_t s = s_session(5, METHOD_C, s_utc(2020, 3, 12, 18, 0));
    s.title = "Foster parents; a\\b";
    s.question = "How, and why?\r\nSecond line\nthird\x01";
    char *ics = ics_render(&s, NULL, 1, S_STAMP, NULL);
    CHECK(strstr(ics, "SUMMARY:Café: Foster parents\\; a\\\\b\r\n") != NULL);
    CHECK(strstr(ics, "DESCRIPTION:How\\, and why?\\nSecond line\\nthird \r\n") != NULL);
    free(ics);
}

/*  True when every line of ics ends in CRLF, is at most 75 octets and
    does not start or end inside a UTF-8 sequence. */
static bool s_lines_ok(const char *ics)
{
    const char *line = ics;
    while (*line) {
        const char *end = strstr(line, "\r\n");
        if (!end || end - line > 75 || memchr(line, '\n', (size_t)(end - line)))
            return false;
        if (((unsigned char)line[0] & 0xC0) == 0x80)
            return false;
        //  The last character is complete: count back to its lead byte.
        const unsigned char *q = (const unsigned char *)end;
        int back = 0;
        while (q > (const unsigned char *)line && (q[-1] & 0xC0) == 0x80) {
            q--;
            back++;
        }
        if (back > 0) {
            unsigned char lead = q[-1];
            int need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
            if (back != need)
                return false;
        }
        line = end + 2;
    }
    return true;
}

/*  Join folded lines back (RFC 5545 3.1: CRLF followed by one space). */
static char *s_unfold(const char *ics)
{
    char *out = malloc(strlen(ics) + 1), *w = out;
    for (const char *p = ics; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        *w++ = *p;
    }
    *w = '\0';
    return out;
}

TEST(long_lines_fold_at_75_octets_without_splitting_a_character)
{
    session_t s = s_session(6, METHOD_KB, s_utc(2020, 3, 12, 18, 0));
    //  Two-, three- and four-byte characters at every offset.
    char title[1200] = "";
    for (int i = 0; i < 40; i++)
        strcat(title, i % 3 == 0 ? "é" : i % 3 == 1 ? "€x" : "😀yz");
    s.title = title;
    char question[200];
    memset(question, 'q', 199);
    question[199] = '\0';
    s.question = question;
    char *ics = ics_render(&s, NULL, 1, S_STAMP, NULL);
    CHECK(s_lines_ok(ics));
    char *flat = s_unfold(ics);
    char expect[1400];
    snprintf(expect, sizeof expect, "\r\nSUMMARY:Sounding-board group: %s\r\n", title);
    CHECK(strstr(flat, expect) != NULL);
    snprintf(expect, sizeof expect, "\r\nDESCRIPTION:%s\r\n", question);
    CHECK(strstr(flat, expect) != NULL);
    //  The first physical line of DESCRIPTION is exactly 75 octets.
    const char *d = strstr(ics, "DESCRIPTION:");
    CHECK(d && strstr(d, "\r\n") - d == 75);
    free(flat);
    free(ics);
}

TEST(utc_times_are_rfc_5545_basic_format)
{
    char buf[17];
    CHECK_STR(ics_format_utc(s_utc(2020, 3, 12, 18, 0), buf), "20200312T180000Z");
    CHECK_STR(ics_format_utc(s_utc(2019, 12, 31, 23, 59) + 59999, buf), "20191231T235959Z");
    CHECK_STR(ics_format_utc(0, buf), "19700101T000000Z");
}

/*  Path of tests/integration/check_ics.py: from the working directory (the
    repository root under make check), else next to this source file. */
static const char *s_checker(char *buf, size_t size)
{
    const char *rel = "tests/integration/check_ics.py";
    if (access(rel, R_OK) == 0)
        return rel;
    const char *src = __FILE__;
    const char *cut = strstr(src, "tests/unit/scheduling/");
    if (cut && (size_t)(cut - src) + strlen(rel) < size) {
        snprintf(buf, size, "%.*s%s", (int)(cut - src), src, rel);
        if (access(buf, R_OK) == 0)
            return buf;
    }
    return NULL;
}

TEST(a_real_icalendar_parser_accepts_the_calendar)
{
    if (system("/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1") != 0) {
        printf("note: /usr/bin/python3 has no icalendar module; parser check skipped\n");
        return;
    }
    char path_buf[512];
    const char *checker = s_checker(path_buf, sizeof path_buf);
    if (!checker) {
        printf("note: tests/integration/check_ics.py not found; parser check skipped\n");
        return;
    }
    session_t s[3];
    s[0] = s_session(31, METHOD_FG, s_utc(2020, 3, 12, 18, 0));
    s[0].title = "Disability taxi, \"Wmo\"; school transport";
    s[0].location = "Town hall\nHilversum";
    s[0].question = "Wat maakt de taxi makkelijker? Ervaringen met één, twee of drie ritten per "
                    "week — en wat gaat er mis bij het ophalen 😀";
    s[1] = s_session(32, METHOD_SB, s_utc(2020, 6, 2, 17, 0));
    s[1].status = SESSION_CANCELLED;
    s[2] = s_session(33, METHOD_T, s_utc(2020, 10, 25, 0, 30)); //  across the clock change
    s[2].tentative = true;
    char *ics = ics_render(s, NULL, 3, S_STAMP, NULL);
    char file[64];
    snprintf(file, sizeof file, "/tmp/samen_test_ics_%ld.ics", (long)getpid());
    FILE *f = fopen(file, "wb");
    CHECK(f != NULL);
    if (!f) {
        free(ics);
        return;
    }
    fputs(ics, f);
    fclose(f);
    free(ics);
    char command[700];
    snprintf(command, sizeof command, "/usr/bin/python3 %s %s 2>&1", checker, file);
    FILE *p = popen(command, "r");
    char output[512] = "";
    size_t n = p ? fread(output, 1, sizeof output - 1, p) : 0;
    output[n] = '\0';
    int status = p ? pclose(p) : -1;
    CHECK_INT(status, 0);
    CHECK_STR(output, "vevents=3\nuid=S31@samen\nuid=S32@samen\nuid=S33@samen\n");
    unlink(file);
}

int main(void)
{
    RUN(one_confirmed_session_is_exactly_this_calendar);
    RUN(a_dutch_entry_names_the_method_in_dutch_and_the_themes_title);
    RUN(status_follows_cancelled_tentative_and_planned);
    RUN(sessions_known_only_by_a_period_are_left_out);
    RUN(text_is_escaped);
    RUN(long_lines_fold_at_75_octets_without_splitting_a_character);
    RUN(utc_times_are_rfc_5545_basic_format);
    RUN(a_real_icalendar_parser_accepts_the_calendar);
    return DONE();
}
