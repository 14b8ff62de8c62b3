/*  services/intake/mail_words.c - dates, periods and methods in a mail's
    words. See mail_words.h. */
#include "mail_words.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const s_months_nl[] = {"januari", "februari", "maart",     "april",
                                          "mei",     "juni",     "juli",      "augustus",
                                          "september", "oktober", "november", "december"};
static const char *const s_months_en[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};
static const char *const s_days_nl[] = {"maandag", "dinsdag",  "woensdag", "donderdag",
                                        "vrijdag", "zaterdag", "zondag"};
static const char *const s_days_en[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

static const struct {
    const char *code, *nl, *en;
} s_methods[] = {{"FG", "focusgroep", "focus group"},
                 {"I", "interview", "interview"},
                 {"SB", "spiegelbijeenkomst", "mirror meeting"},
                 {"E", "enquête", "survey"},
                 {"KB", "klankbordgroep", "sounding-board group"},
                 {"WB", "werkbezoek", "work visit"},
                 {"T", "testsessie", "test session"},
                 {"C", "café", "café"},
                 {"N", "netwerkbijeenkomst", "network meeting"}};

int mail_lang_known(const char *lang)
{
    return strcmp(lang, "nl") == 0 || strcmp(lang, "en") == 0;
}

static int s_en(const char *lang)
{
    return strcmp(lang, "en") == 0;
}

const char *mail_method_name(const char *code, const char *lang)
{
    for (size_t i = 0; i < sizeof s_methods / sizeof s_methods[0]; i++)
        if (strcmp(s_methods[i].code, code) == 0)
            return s_en(lang) ? s_methods[i].en : s_methods[i].nl;
    return code;
}

/*  The name of month m (1..12) in lang. (An if, not a ?: between the two
    arrays: GCC's object-size check at -O1 took that for an overflow.) */
static const char *s_month(int m, const char *lang)
{
    if (m < 1 || m > 12)
        return "?";
    if (s_en(lang))
        return s_months_en[m - 1];
    return s_months_nl[m - 1];
}

/*  The name of ISO weekday wd (1 = Monday) in lang. */
static const char *s_day(int wd, const char *lang)
{
    if (wd < 1 || wd > 7)
        return "?";
    if (s_en(lang))
        return s_days_en[wd - 1];
    return s_days_nl[wd - 1];
}

/*  "12 maart 2020" / "12 March 2020". */
static char *s_day_month_year(sm_date_t d, const char *lang, char *buf, size_t size)
{
    snprintf(buf, size, "%d %s %d", d.d, s_month(d.m, lang), d.y);
    return buf;
}

char *mail_date_long(sm_date_t d, const char *lang, char *buf)
{
    char dmy[64];
    snprintf(buf, MAIL_WHEN_SIZE, "%s %s", s_day(sm_date_weekday(d), lang),
             s_day_month_year(d, lang, dmy, sizeof dmy));
    return buf;
}

/*  Local date and "HH:MM" of a UTC instant. */
static sm_date_t s_local(int64_t ms, char hhmm[6])
{
    char local[24];
    sm_datetime_format_local(ms, local); /*  "YYYY-MM-DD HH:MM" */
    snprintf(hhmm, 6, "%.5s", local + 11);
    return sm_date_of_ms(ms);
}

char *mail_when(const char *lang, int64_t start_ms, int64_t end_ms, const char *period,
                char *buf)
{
    bool en = s_en(lang);
    buf[0] = '\0';
    if (start_ms && end_ms > start_ms) {
        char t0[6], t1[6], d0[MAIL_WHEN_SIZE], d1[MAIL_WHEN_SIZE];
        sm_date_t a = s_local(start_ms, t0), b = s_local(end_ms, t1);
        mail_date_long(a, lang, d0);
        if (sm_date_cmp(a, b) == 0)
            snprintf(buf, MAIL_WHEN_SIZE, en ? "%s, %s-%s" : "%s, %s-%s uur", d0, t0, t1);
        else
            snprintf(buf, MAIL_WHEN_SIZE, en ? "%s %s to %s %s" : "%s %s uur t/m %s %s uur", d0,
                     t0, mail_date_long(b, lang, d1), t1);
        return buf;
    }
    if (!period || !period[0])
        return buf;
    sm_period_t p;
    if (sm_period_parse(period, &p, "period", NULL) != 0) {
        snprintf(buf, MAIL_WHEN_SIZE, "%s", period);
        return buf;
    }
    char x[64], y[64];
    switch (p.kind) {
    case SM_PERIOD_DAY:
        mail_date_long(p.from, lang, buf);
        break;
    case SM_PERIOD_MONTH:
        snprintf(buf, MAIL_WHEN_SIZE, "%s %d", s_month(p.from.m, lang), p.from.y);
        break;
    case SM_PERIOD_QUARTER:
        snprintf(buf, MAIL_WHEN_SIZE, en ? "quarter %d of %d" : "kwartaal %d van %d",
                 (p.from.m - 1) / 3 + 1, p.from.y);
        break;
    case SM_PERIOD_YEAR:
        snprintf(buf, MAIL_WHEN_SIZE, "%d", p.from.y);
        break;
    case SM_PERIOD_RANGE:
        snprintf(buf, MAIL_WHEN_SIZE, en ? "%s to %s" : "%s t/m %s",
                 s_day_month_year(p.from, lang, x, sizeof x),
                 s_day_month_year(p.to, lang, y, sizeof y));
        break;
    }
    return buf;
}
