/*  common/date.c - civil dates, times in Europe/Amsterdam, and periods.

    Day arithmetic counts days since 1970-01-01 through a calendar whose
    year starts on 1 March: the leap day then falls on the last day of the
    year, so every month but the last has a fixed offset from the year's
    start and the only irregularity left is the length of whole years, which
    repeats every 400 years (146097 days). No tzdata, no mktime(), no
    locale: results are the same on every machine and under every TZ.
    Refusals are sentences in the reader's language (common/i18n.h); month
    names in them come from common/l10n.h.
*/
#include "date.h"
#include "i18n.h"
#include "l10n.h"
#include "text.h"
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_MS_PER_DAY INT64_C(86400000)
#define S_MS_PER_HOUR INT64_C(3600000)
/*  Days since 1970-01-01 of 0001-01-01 and of 9999-12-31, the ends of the
    range we represent (checked by the unit tests). */
#define S_DAYS_MIN INT64_C(-719162)
#define S_DAYS_MAX INT64_C(2932896)
#define S_MS_MIN (S_DAYS_MIN * S_MS_PER_DAY)
#define S_MS_MAX ((S_DAYS_MAX + 1) * S_MS_PER_DAY - 1)
/*  Days from 0000-03-01, the start of our first March-based year, to
    1970-01-01: 1969 full March-based years (477 leap days) plus January and
    February 1970. */
#define S_EPOCH_SHIFT INT64_C(719468)
#define S_DAYS_PER_400Y INT64_C(146097)

/*  Day of the March-based year on which each month starts (March = 0). */
static const int s_month_start[12] = {0, 31, 61, 92, 122, 153, 184, 214, 245, 275, 306, 337};

/*  What each kind of text may look like, in the reader's language. */
static const char *s_date_hint(void)
{
    return _("give a date as DD-MM-YYYY or YYYY-MM-DD, e.g. 12-03-2020 or 2020-03-12");
}

static const char *s_datetime_hint(void)
{
    return _("give YYYY-MM-DDTHH:MM or YYYY-MM-DD HH:MM, optionally with :SS and a Z or "
             "+HH:MM offset, e.g. 2020-03-12T19:30");
}

static const char *s_period_hint(void)
{
    return _("give a day (2020-03-12), a month (2020-03), a quarter (2020-Q2), a year (2020) "
             "or a range (2019-09-01..2019-11-30)");
}

/* ==== Small arithmetic ==================================================== */

/*  a / b rounded towards minus infinity, for b > 0: C's division truncates
    towards zero, which would put 1969-12-31 23:00 on day 0. */
static int64_t s_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b < 0)
        q--;
    return q;
}

static int64_t s_floor_mod(int64_t a, int64_t b)
{
    return a - s_floor_div(a, b) * b;
}

static int64_t s_clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static bool s_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* ==== Civil dates ========================================================= */

/*  Returns true when y-m-d is a day of 0001-01-01..9999-12-31. Can't fail. */
bool sm_date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && d >= 1 && d <= sm_days_in_month(y, m);
}

/*  Returns 28..31, or 0 when m is not 1..12. Can't fail. */
int sm_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && s_is_leap(y) ? 29 : days[m - 1];
}

/*  Returns days since 1970-01-01. Can't fail; for an invalid date the
    result is defined (the month is clamped to 1..12, days count on) but
    meaningless. */
int64_t sm_date_to_days(sm_date_t d)
{
    int m = d.m < 1 ? 1 : d.m > 12 ? 12 : d.m;
    /*  January and February belong to the March-based year that began in
        the previous calendar year. */
    int64_t y = (int64_t)d.y - (m <= 2);
    int64_t era = s_floor_div(y, 400);
    int64_t yoe = y - era * 400; /*  year of era, 0..399 */
    int64_t doy = s_month_start[(m + 9) % 12] + (int64_t)d.d - 1;
    /*  Year k of an era holds a leap day when k+1 is a leap year, so the
        years before yoe hold yoe/4 - yoe/100 leap days (yoe < 400, so the
        400-year rule never applies inside an era). */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * S_DAYS_PER_400Y + doe - S_EPOCH_SHIFT;
}

/*  Returns the date days after 1970-01-01. Can't fail: days beyond
    0001-01-01..9999-12-31 saturate to those ends. */
sm_date_t sm_date_from_days(int64_t days)
{
    int64_t z = s_clamp(days, S_DAYS_MIN, S_DAYS_MAX) + S_EPOCH_SHIFT;
    int64_t era = s_floor_div(z, S_DAYS_PER_400Y);
    int64_t doe = z - era * S_DAYS_PER_400Y; /*  0..146096 */
    /*  An era is four centuries of 36524 days, except that the last one
        ends with the 400-year leap day (36525); a century is 25 four-year
        groups of 1461 days, except that the last one lacks its leap day in
        the first three centuries; a group is three years of 365 days and
        one of 366. Capping each quotient lets the longer last piece absorb
        its extra day. */
    int64_t c = doe / 36524;
    if (c > 3)
        c = 3;
    int64_t r = doe - c * 36524;
    int64_t g = r / 1461;
    if (g > 24)
        g = 24;
    r -= g * 1461;
    int64_t yy = r / 365;
    if (yy > 3)
        yy = 3;
    int64_t doy = r - yy * 365; /*  0..365 */
    int mi = 11;
    while (s_month_start[mi] > doy)
        mi--;
    sm_date_t d;
    d.m = mi < 10 ? mi + 3 : mi - 9;
    d.d = (int)(doy - s_month_start[mi]) + 1;
    d.y = (int)(era * 400 + c * 100 + g * 4 + yy + (d.m <= 2));
    return d;
}

/*  Returns d + n days, saturating at 0001-01-01 and 9999-12-31. Can't
    fail. */
sm_date_t sm_date_add_days(sm_date_t d, int64_t n)
{
    int64_t base = sm_date_to_days(d);
    /*  Clamp n first so that base + n cannot overflow int64. */
    n = s_clamp(n, S_DAYS_MIN - S_DAYS_MAX - 1, S_DAYS_MAX - S_DAYS_MIN + 1);
    return sm_date_from_days(base + n);
}

/*  Returns d + n months with the day clamped to the target month's end,
    saturating at 0001-01 and 9999-12. Can't fail. */
sm_date_t sm_date_add_months(sm_date_t d, int n)
{
    int64_t months = (int64_t)d.y * 12 + (d.m - 1) + n;
    months = s_clamp(months, 1 * 12, 9999 * 12 + 11);
    sm_date_t r;
    r.y = (int)(months / 12);
    r.m = (int)(months % 12) + 1;
    int last = sm_days_in_month(r.y, r.m);
    r.d = d.d > last ? last : d.d;
    return r;
}

/*  Returns b - a in days. Can't fail. */
int64_t sm_date_diff(sm_date_t a, sm_date_t b)
{
    return sm_date_to_days(b) - sm_date_to_days(a);
}

/*  Returns -1, 0 or 1 as a is before, on or after b. Can't fail. */
int sm_date_cmp(sm_date_t a, sm_date_t b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

/*  Returns 1 (Monday) .. 7 (Sunday). Can't fail. 1970-01-01 was a
    Thursday, ISO day 4. */
int sm_date_weekday(sm_date_t d)
{
    return (int)s_floor_mod(sm_date_to_days(d) + 3, 7) + 1;
}

sm_date_t sm_date_nth_weekday(int y, int m, int weekday, int n)
{
    sm_date_t first = sm_date_add_months((sm_date_t){y < 1 ? 1 : y > 9999 ? 9999 : y, 1, 1},
                                         m - 1);
    weekday = weekday < 1 ? 1 : weekday > 7 ? 7 : weekday;
    int days = sm_days_in_month(first.y, first.m);
    /*  The first such day, then whole weeks on; the last counts back from
        the month's end. */
    int d1 = 1 + (int)s_floor_mod(weekday - sm_date_weekday(first), 7);
    int last = d1 + ((days - d1) / 7) * 7;
    int d = n < 1 || n > 5 ? last : d1 + (n - 1) * 7;
    first.d = d > days ? last : d;
    return first;
}

int sm_date_weekday_ordinal(sm_date_t d)
{
    int n = (d.d - 1) / 7 + 1;
    return n >= 5 ? -1 : n;
}

/* ==== Refusals ============================================================ */

/*  What was refused; each has its own sentences, so that a translation
    never glues a noun into a sentence. */
typedef enum { S_DATE, S_TIME, S_PERIOD } s_noun_t;

/*  Fill err with `<noun> "<text>" (field "<field>"): <reason>`, the text
    quoted as a safe excerpt. Always returns -1. */
static int s_refuse(sm_err_t *err, s_noun_t noun, const char *text, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int s_refuse(sm_err_t *err, s_noun_t noun, const char *text, const char *field,
                    const char *fmt, ...)
{
    char reason[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    char quoted[64];
    sm_text_excerpt(text, quoted, sizeof quoted);
    const char *with_field[] = {_("date \"%1$s\" (field \"%2$s\"): %3$s"),
                                _("time \"%1$s\" (field \"%2$s\"): %3$s"),
                                _("period \"%1$s\" (field \"%2$s\"): %3$s")};
    const char *without[] = {_("date \"%1$s\": %2$s"), _("time \"%1$s\": %2$s"),
                             _("period \"%1$s\": %2$s")};
    if (field && *field)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, with_field[noun], quoted, field,
                          reason);
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, without[noun], quoted, reason);
}

/*  Fill err for missing text: `<noun> (field "<field>") is empty; <hint>`.
    Always returns -1. */
static int s_refuse_empty(sm_err_t *err, s_noun_t noun, const char *field)
{
    const char *hint = noun == S_DATE ? s_date_hint()
                       : noun == S_TIME ? s_datetime_hint()
                                        : s_period_hint();
    const char *with_field[] = {_("date (field \"%1$s\") is empty; %2$s"),
                                _("time (field \"%1$s\") is empty; %2$s"),
                                _("period (field \"%1$s\") is empty; %2$s")};
    const char *without[] = {_("date is empty; %s"), _("time is empty; %s"),
                             _("period is empty; %s")};
    if (field && *field)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, with_field[noun], field, hint);
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, without[noun], hint);
}

/* ==== Parsing pieces ====================================================== */

/*  Read exactly n decimal digits at p into *out. Returns true, or false
    when any of them is not a digit (a NUL included, so reading stops at
    the end of a string). */
static bool s_digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

/*  Check a year read from 4 digits. Returns 0, or -1 with why. */
static int s_check_year(int y, char *why, size_t why_size)
{
    if (y >= 1)
        return 0;
    snprintf(why, why_size, "%s", _("year 0000 does not exist; give 0001..9999"));
    return -1;
}

static int s_check_month(int m, char *why, size_t why_size)
{
    if (m >= 1 && m <= 12)
        return 0;
    snprintf(why, why_size, _("month %02d does not exist; give 01..12"), m);
    return -1;
}

/*  Check y-m-d read from digits and store it in out. Returns 0, or -1 with
    the reason in why, followed by the forms a date may take: a person who
    typed 31-02-2020 learns both what is wrong and what is accepted. */
static int s_check_ymd(int y, int m, int d, sm_date_t *out, char *why, size_t why_size)
{
    char reason[200];
    if (s_check_year(y, reason, sizeof reason) || s_check_month(m, reason, sizeof reason)) {
        snprintf(why, why_size, "%s", reason);
        return -1;
    }
    int last = sm_days_in_month(y, m);
    if (d == 0) {
        snprintf(why, why_size, _("day 00 does not exist; give 01..%02d"), last);
        return -1;
    }
    if (d > last) {
        /*  TRANSLATORS: "February 2020 has 29 days"; %1$s is the month's
            name as it stands in a sentence. */
        snprintf(reason, sizeof reason, _("%1$s %2$04d has %3$d days"), sm_l10n_month_name(m), y,
                 last);
        snprintf(why, why_size, "%s; %s", reason, s_date_hint());
        return -1;
    }
    out->y = y;
    out->m = m;
    out->d = d;
    return 0;
}

/*  The length of the day at the start of p: 10 for "YYYY-MM-DD", 8..10
    for "D-M-YYYY" .. "DD-MM-YYYY" (a Dutch user's way), 0 when p starts
    with neither shape. Only the shape is checked, not the values. */
static size_t s_day_len(const char *p)
{
    int v;
    if (s_digits(p, 4, &v) && p[4] == '-' && s_digits(p + 5, 2, &v) && p[7] == '-' &&
        s_digits(p + 8, 2, &v))
        return 10;
    size_t i = 0;
    for (int part = 0; part < 2; part++) {
        size_t start = i;
        while (i - start < 2 && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == start || p[i] != '-')
            return 0;
        i++;
    }
    if (!s_digits(p + i, 4, &v))
        return 0;
    return i + 4;
}

/*  Parse the len bytes at p as a day: "YYYY-MM-DD", or "DD-MM-YYYY" with
    one or two digits for day and month. Returns 0, or -1 with the reason
    in why. */
static int s_parse_day(const char *p, size_t len, sm_date_t *out, char *why, size_t why_size)
{
    if (len == 0 || s_day_len(p) != len) {
        snprintf(why, why_size, _("not a date; %s"), s_date_hint());
        return -1;
    }
    int y = 0, m = 0, d = 0;
    if (len == 10 && p[4] == '-') {
        s_digits(p, 4, &y);
        s_digits(p + 5, 2, &m);
        s_digits(p + 8, 2, &d);
    } else {
        const char *dash1 = strchr(p, '-');
        const char *dash2 = strchr(dash1 + 1, '-');
        s_digits(p, (int)(dash1 - p), &d);
        s_digits(dash1 + 1, (int)(dash2 - dash1 - 1), &m);
        s_digits(dash2 + 1, 4, &y);
    }
    return s_check_ymd(y, m, d, out, why, why_size);
}

/*  Returns 0 with *out, or -1 with err naming field. */
int sm_date_parse(const char *text, sm_date_t *out, const char *field, sm_err_t *err)
{
    assert(out);
    if (!text || !*text)
        return s_refuse_empty(err, S_DATE, field);
    char why[400];
    sm_date_t d;
    if (s_parse_day(text, strlen(text), &d, why, sizeof why))
        return s_refuse(err, S_DATE, text, field, "%s", why);
    *out = d;
    return 0;
}

/*  Write v as exactly width decimal digits at p (keeping the low digits
    should v be wider; a negative v, possible only in an invalid date, is
    written as its magnitude). Returns p + width. Hand-rolled rather than
    snprintf so that the fixed widths of our formats hold by construction. */
static char *s_put_digits(char *p, int v, int width)
{
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + u % 10);
        u /= 10;
    }
    return p + width;
}

/*  Write "YYYY-MM-DD" (no NUL) at p. Returns p + 10. */
static char *s_put_date(char *p, sm_date_t d)
{
    p = s_put_digits(p, d.y, 4);
    *p++ = '-';
    p = s_put_digits(p, d.m, 2);
    *p++ = '-';
    return s_put_digits(p, d.d, 2);
}

/*  Returns buf holding "YYYY-MM-DD". Can't fail. */
char *sm_date_format(sm_date_t d, char *buf)
{
    *s_put_date(buf, d) = '\0';
    return buf;
}

/* ==== Today and now ======================================================= */

/*  Returns SAMEN_TODAY when it holds a valid date, else today's date in
    Amsterdam from the real clock. Can't fail. */
sm_date_t sm_date_today(void)
{
    const char *fixed = getenv("SAMEN_TODAY");
    sm_date_t d;
    if (fixed && *fixed && sm_date_parse(fixed, &d, "SAMEN_TODAY", NULL) == 0)
        return d;
    return sm_date_of_ms(sm_now_ms());
}

/*  Returns 0 when SAMEN_TODAY is unset, empty or a valid date; else -1
    with err naming SAMEN_TODAY. */
int sm_date_today_check(sm_err_t *err)
{
    const char *fixed = getenv("SAMEN_TODAY");
    sm_date_t d;
    if (!fixed || !*fixed)
        return 0;
    return sm_date_parse(fixed, &d, "SAMEN_TODAY", err);
}

/*  Returns the real clock as UTC unix milliseconds. Can't fail in
    practice: CLOCK_REALTIME always exists; should it fail, 0 is returned. */
int64_t sm_now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return 0;
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ==== Europe/Amsterdam ==================================================== */

/*  Days since 1970-01-01 of the last Sunday of month m of year y. */
static int64_t s_last_sunday(int y, int m)
{
    sm_date_t last = {y, m, sm_days_in_month(y, m)};
    /*  weekday 7 (Sunday) steps back 0 days, Monday 1, ... */
    return sm_date_to_days(last) - sm_date_weekday(last) % 7;
}

/*  Returns 7200 (CEST) from the last Sunday of March 01:00 UTC until the
    last Sunday of October 01:00 UTC, else 3600 (CET). Can't fail. The EU
    rule is applied to every year, so instants before 1996 may be an hour
    off from what the clocks showed then. */
int sm_amsterdam_offset(int64_t unix_ms)
{
    int64_t ms = s_clamp(unix_ms, S_MS_MIN, S_MS_MAX);
    sm_date_t d = sm_date_from_days(s_floor_div(ms, S_MS_PER_DAY));
    int64_t start = s_last_sunday(d.y, 3) * S_MS_PER_DAY + S_MS_PER_HOUR;
    int64_t end = s_last_sunday(d.y, 10) * S_MS_PER_DAY + S_MS_PER_HOUR;
    return ms >= start && ms < end ? 7200 : 3600;
}

/*  Local Amsterdam wall-clock time of an instant, as milliseconds since
    1970-01-01 00:00 local, clamped to the years 1..9999. */
static int64_t s_local_ms(int64_t unix_ms)
{
    int64_t ms = s_clamp(unix_ms, S_MS_MIN, S_MS_MAX);
    return s_clamp(ms + sm_amsterdam_offset(ms) * INT64_C(1000), S_MS_MIN, S_MS_MAX);
}

/*  Returns the Amsterdam date of the instant. Can't fail. */
sm_date_t sm_date_of_ms(int64_t unix_ms)
{
    return sm_date_from_days(s_floor_div(s_local_ms(unix_ms), S_MS_PER_DAY));
}

/*  Split milliseconds since 1970-01-01 00:00 (of whichever clock) into
    date, hour, minute and second; ms must lie in the years 1..9999. */
static void s_split_ms(int64_t ms, sm_date_t *date, int *h, int *mi, int *s)
{
    int64_t days = s_floor_div(ms, S_MS_PER_DAY);
    int64_t rem = (ms - days * S_MS_PER_DAY) / 1000; /*  seconds into the day */
    *date = sm_date_from_days(days);
    *h = (int)(rem / 3600);
    *mi = (int)(rem / 60 % 60);
    *s = (int)(rem % 60);
}

/*  Parse "HH:MM" at p as a time of day. Returns 0, or -1 with why. */
static int s_parse_hm(const char *p, int *h, int *mi, char *why, size_t why_size)
{
    if (!s_digits(p, 2, h) || p[2] != ':' || !s_digits(p + 3, 2, mi)) {
        snprintf(why, why_size, _("not a date and time; %s"), s_datetime_hint());
        return -1;
    }
    if (*h > 23) {
        snprintf(why, why_size, _("hour %02d does not exist; give 00..23"), *h);
        return -1;
    }
    if (*mi > 59) {
        snprintf(why, why_size, _("minute %02d does not exist; give 00..59"), *mi);
        return -1;
    }
    return 0;
}

/*  Returns 0 with *unix_ms, or -1 with err naming field. */
int sm_datetime_parse(const char *text, int64_t *unix_ms, const char *field, sm_err_t *err)
{
    assert(unix_ms);
    if (!text || !*text)
        return s_refuse_empty(err, S_TIME, field);
    char why[400];
    size_t dlen = s_day_len(text);
    sm_date_t d;
    int h, mi, s = 0;
    if (dlen == 0 || (text[dlen] != 'T' && text[dlen] != ' ') || strlen(text) < dlen + 6) {
        snprintf(why, sizeof why, _("not a date and time; %s"), s_datetime_hint());
        return s_refuse(err, S_TIME, text, field, "%s", why);
    }
    if (s_parse_day(text, dlen, &d, why, sizeof why) ||
        s_parse_hm(text + dlen + 1, &h, &mi, why, sizeof why))
        return s_refuse(err, S_TIME, text, field, "%s", why);
    const char *p = text + dlen + 6;
    if (*p == ':') {
        if (!s_digits(p + 1, 2, &s))
            return s_refuse(err, S_TIME, text, field, _("not a date and time; %s"),
                            s_datetime_hint());
        if (s > 59)
            return s_refuse(err, S_TIME, text, field,
                            _("second %02d does not exist; give 00..59 (leap seconds are not "
                              "kept)"),
                            s);
        p += 3;
    }
    int64_t local_ms = (sm_date_to_days(d) * 86400 + h * 3600 + mi * 60 + s) * INT64_C(1000);

    if (*p == 'Z' && p[1] == '\0') {
        *unix_ms = local_ms;
        return 0;
    }
    if ((*p == '+' || *p == '-') && strlen(p) == 6) {
        int oh, om;
        if (!s_digits(p + 1, 2, &oh) || p[3] != ':' || !s_digits(p + 4, 2, &om))
            return s_refuse(err, S_TIME, text, field, _("not a date and time; %s"),
                            s_datetime_hint());
        if (om > 59 || oh * 60 + om > 14 * 60)
            return s_refuse(err, S_TIME, text, field,
                            _("offset %s is not a UTC offset; give -14:00..+14:00"), p);
        int64_t off_ms = (oh * 60 + om) * INT64_C(60000);
        *unix_ms = *p == '+' ? local_ms - off_ms : local_ms + off_ms;
        return 0;
    }
    if (*p != '\0')
        return s_refuse(err, S_TIME, text, field, _("not a date and time; %s"), s_datetime_hint());

    /*  Amsterdam wall-clock time: try summer time first, so that in the
        autumn hour that happens twice the first (CEST) instant wins. */
    int64_t summer = local_ms - 2 * S_MS_PER_HOUR;
    if (sm_amsterdam_offset(summer) == 7200) {
        *unix_ms = summer;
        return 0;
    }
    int64_t winter = local_ms - S_MS_PER_HOUR;
    if (sm_amsterdam_offset(winter) == 3600) {
        *unix_ms = winter;
        return 0;
    }
    char day[11];
    return s_refuse(err, S_TIME, text, field,
                    _("%1$02d:%2$02d does not exist in Amsterdam on %3$s, when clocks go forward "
                      "from 02:00 to 03:00; give a time outside 02:00..02:59 or an explicit "
                      "offset such as +01:00"),
                    h, mi, sm_date_format(d, day));
}

/*  Returns buf holding "YYYY-MM-DD HH:MM" in Amsterdam time (seconds
    dropped). Can't fail. */
char *sm_datetime_format_local(int64_t unix_ms, char *buf)
{
    sm_date_t d;
    int h, mi, s;
    s_split_ms(s_local_ms(unix_ms), &d, &h, &mi, &s);
    char *p = s_put_date(buf, d);
    *p++ = ' ';
    p = s_put_digits(p, h, 2);
    *p++ = ':';
    p = s_put_digits(p, mi, 2);
    *p = '\0';
    return buf;
}

/*  Returns buf holding "YYYY-MM-DDTHH:MM:SSZ" (milliseconds dropped).
    Can't fail. */
char *sm_datetime_format_utc(int64_t unix_ms, char *buf)
{
    sm_date_t d;
    int h, mi, s;
    s_split_ms(s_clamp(unix_ms, S_MS_MIN, S_MS_MAX), &d, &h, &mi, &s);
    char *p = s_put_date(buf, d);
    *p++ = 'T';
    p = s_put_digits(p, h, 2);
    *p++ = ':';
    p = s_put_digits(p, mi, 2);
    *p++ = ':';
    p = s_put_digits(p, s, 2);
    *p++ = 'Z';
    *p = '\0';
    return buf;
}

/* ==== Periods ============================================================= */

/*  Parse one period that is not a range from p[0..len). Returns 0, or -1
    with why. */
static int s_parse_period_one(const char *p, size_t len, sm_period_t *out, char *why,
                              size_t why_size)
{
    int y, m, q;
    if (len >= 8 && s_day_len(p) == len) {
        if (s_parse_day(p, len, &out->from, why, why_size))
            return -1;
        out->kind = SM_PERIOD_DAY;
        out->to = out->from;
        return 0;
    }
    if ((len == 4 || len == 7) && s_digits(p, 4, &y)) {
        if (len == 4) {
            if (s_check_year(y, why, why_size))
                return -1;
            out->kind = SM_PERIOD_YEAR;
            out->from = (sm_date_t){y, 1, 1};
            out->to = (sm_date_t){y, 12, 31};
            return 0;
        }
        if (p[4] == '-' && s_digits(p + 5, 2, &m)) {
            if (s_check_year(y, why, why_size) || s_check_month(m, why, why_size))
                return -1;
            out->kind = SM_PERIOD_MONTH;
            out->from = (sm_date_t){y, m, 1};
            out->to = (sm_date_t){y, m, sm_days_in_month(y, m)};
            return 0;
        }
        /*  Q for quarter, or K for the Dutch kwartaal. */
        if (p[4] == '-' && strchr("QqKk", p[5]) && p[5] && s_digits(p + 6, 1, &q)) {
            if (s_check_year(y, why, why_size))
                return -1;
            if (q < 1 || q > 4) {
                snprintf(why, why_size, _("quarter %d does not exist; give Q1..Q4"), q);
                return -1;
            }
            int last = q * 3;
            out->kind = SM_PERIOD_QUARTER;
            out->from = (sm_date_t){y, last - 2, 1};
            out->to = (sm_date_t){y, last, sm_days_in_month(y, last)};
            return 0;
        }
    }
    snprintf(why, why_size, _("not a period; %s"), s_period_hint());
    return -1;
}

/*  Returns 0 with *out, or -1 with err naming field. */
int sm_period_parse(const char *text, sm_period_t *out, const char *field, sm_err_t *err)
{
    assert(out);
    if (!text || !*text)
        return s_refuse_empty(err, S_PERIOD, field);
    char why[400];
    sm_period_t p;
    const char *dots = strstr(text, "..");
    if (!dots) {
        if (s_parse_period_one(text, strlen(text), &p, why, sizeof why))
            return s_refuse(err, S_PERIOD, text, field, "%s", why);
        *out = p;
        return 0;
    }
    sm_period_t a, b;
    if (s_parse_period_one(text, (size_t)(dots - text), &a, why, sizeof why) ||
        s_parse_period_one(dots + 2, strlen(dots + 2), &b, why, sizeof why))
        return s_refuse(err, S_PERIOD, text, field, "%s", why);
    if (sm_date_cmp(b.to, a.from) < 0) {
        char from[11], to[11];
        return s_refuse(err, S_PERIOD, text, field,
                        _("period ends before it starts (%1$s is before %2$s); give the earlier "
                          "date first"),
                        sm_date_format(b.to, to), sm_date_format(a.from, from));
    }
    p.kind = SM_PERIOD_RANGE;
    p.from = a.from;
    p.to = b.to;
    *out = p;
    return 0;
}

/*  Returns buf holding the canonical text of p. Can't fail. */
char *sm_period_format(const sm_period_t *p, char *buf)
{
    char *o = buf;
    switch (p->kind) {
    case SM_PERIOD_DAY:
        o = s_put_date(o, p->from);
        break;
    case SM_PERIOD_MONTH:
        o = s_put_digits(o, p->from.y, 4);
        *o++ = '-';
        o = s_put_digits(o, p->from.m, 2);
        break;
    case SM_PERIOD_QUARTER:
        o = s_put_digits(o, p->from.y, 4);
        *o++ = '-';
        *o++ = 'Q';
        o = s_put_digits(o, (p->from.m - 1) / 3 + 1, 1);
        break;
    case SM_PERIOD_YEAR:
        o = s_put_digits(o, p->from.y, 4);
        break;
    default: /*  a range, or a kind we do not know: the dates say it all */
        o = s_put_date(o, p->from);
        *o++ = '.';
        *o++ = '.';
        o = s_put_date(o, p->to);
        break;
    }
    *o = '\0';
    return buf;
}

/*  Returns true when d lies in p (both ends included). Can't fail. */
bool sm_period_contains(const sm_period_t *p, sm_date_t d)
{
    return sm_date_cmp(p->from, d) <= 0 && sm_date_cmp(d, p->to) <= 0;
}
