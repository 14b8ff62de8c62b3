/*  common/date.h - civil dates, times in Europe/Amsterdam, and periods.

    Dates are proleptic Gregorian, year 1..9999. Times are stored as UTC
    unix milliseconds and shown in Europe/Amsterdam local time (CET, UTC+1;
    CEST, UTC+2 from the last Sunday of March 01:00 UTC to the last Sunday
    of October 01:00 UTC: the EU rule since 1996, computed here, no tzdata).

    Parsers are strict and refuse with an error that names the field and
    says what would be accepted ("date \"2020-02-30\": February 2020 has 29
    days; give a date as DD-MM-YYYY or YYYY-MM-DD, ..."), in the reader's
    language (common/i18n.h). Besides ISO they read the day as a Dutch user
    types it, day first: "12-03-2020" or "12-3-2020" (never day and month
    swapped: a four-digit year first means ISO, last means day first).
    Output is always ISO; common/l10n.h writes dates for people.
*/
#ifndef SAMEN_DATE_H
#define SAMEN_DATE_H

#include "err.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int y, m, d;
} sm_date_t;

/*  True when y-m-d is a real day (1 <= y <= 9999). */
bool sm_date_valid(int y, int m, int d);
/*  Days in month m of year y (28..31); 0 when m is out of range. */
int sm_days_in_month(int y, int m);
/*  Days since 1970-01-01 (negative before). */
int64_t sm_date_to_days(sm_date_t d);
/*  The date days after 1970-01-01; days outside 0001-01-01..9999-12-31
    saturate to those ends (so does the arithmetic below). */
sm_date_t sm_date_from_days(int64_t days);
/*  d + n days. */
sm_date_t sm_date_add_days(sm_date_t d, int64_t n);
/*  d + n months, the day clamped to the target month's end
    (2020-01-31 + 1 month = 2020-02-29). */
sm_date_t sm_date_add_months(sm_date_t d, int n);
/*  The n-th weekday (ISO, 1 = Monday .. 7 = Sunday) of month m of year y:
    n 1..5 counts from the month's start, n -1 is the month's last such
    day. A fifth that the month does not have is the last one (a month has
    four or five of each weekday). y and m are saturated to 0001-01 ..
    9999-12 and out-of-range weekday or n are clamped, so it can't fail.
    "the first Tuesday of March 2020": sm_date_nth_weekday(2020, 3, 2, 1)
    is 2020-03-03. */
sm_date_t sm_date_nth_weekday(int y, int m, int weekday, int n);
/*  Where d lies in its month by weekday: 1..4 for the first to fourth
    of its weekday, -1 for the last when it is the fifth. Can't fail. */
int sm_date_weekday_ordinal(sm_date_t d);
/*  b - a in days. */
int64_t sm_date_diff(sm_date_t a, sm_date_t b);
/*  <0, 0, >0 like strcmp. */
int sm_date_cmp(sm_date_t a, sm_date_t b);
/*  ISO weekday, 1 = Monday .. 7 = Sunday. */
int sm_date_weekday(sm_date_t d);

/*  Parse "YYYY-MM-DD", or "DD-MM-YYYY" with one or two digits for day and
    month ("12-3-2020"). A day that does not exist is refused, never moved.
    Returns 0, or -1 with err (field named). */
int sm_date_parse(const char *text, sm_date_t *out, const char *field, sm_err_t *err);
/*  "YYYY-MM-DD" into buf (at least 11 bytes). Returns buf. */
char *sm_date_format(sm_date_t d, char *buf);

/*  Today's date in Europe/Amsterdam. When the environment variable
    SAMEN_TODAY holds a valid "YYYY-MM-DD" that date is returned instead,
    so that tests and demos can fix "today" (an invalid value is ignored
    here: call sm_date_today_check at start-up to report it). SAMEN_TODAY
    does not change sm_now_ms: timestamps stay real. */
sm_date_t sm_date_today(void);
/*  Returns 0 when SAMEN_TODAY is unset, empty or a valid date; else -1 with
    err (field "SAMEN_TODAY"). Daemons and the CLI call it at start-up so
    that a mistyped value is reported instead of silently ignored. */
int sm_date_today_check(sm_err_t *err);
/*  Now as UTC unix milliseconds. */
int64_t sm_now_ms(void);

/*  UTC offset in seconds of Europe/Amsterdam at the UTC instant ms
    (3600 or 7200; the EU rule applied to every year). */
int sm_amsterdam_offset(int64_t unix_ms);
/*  The local Amsterdam date of a UTC instant. */
sm_date_t sm_date_of_ms(int64_t unix_ms);

/*  Parse a date-time: "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" (optionally
    ":SS"; the day may also be written day first, "12-03-2020 19:30") as Amsterdam local time, or with a trailing "Z" or "+HH:MM" /
    "-HH:MM" offset (at most 14:00) as given. No fractional seconds, no
    leap second. Local times in the spring-forward gap are refused; in the
    autumn overlap the first (summer-time) instant is taken.
    Returns 0, or -1 with err. */
int sm_datetime_parse(const char *text, int64_t *unix_ms, const char *field, sm_err_t *err);
/*  "YYYY-MM-DD HH:MM" in Amsterdam local time (seconds dropped); buf at
    least 17 bytes. Returns buf. */
char *sm_datetime_format_local(int64_t unix_ms, char *buf);
/*  "YYYY-MM-DDTHH:MM:SSZ" (milliseconds dropped); buf at least 21 bytes.
    Returns buf. */
char *sm_datetime_format_utc(int64_t unix_ms, char *buf);

/*  A period: a day, month, quarter, year or date range, as entered
    ("2020-03-12", "2020-03", "2020-Q2", "2020", "2019-09-01..2019-11-30").
    from and to are inclusive. The quarter letter may be lower case
    ("2020-q2") or the Dutch K ("2020-K2"); a day may be written day first
    ("12-03-2020"). Each end of a range may itself be a day, month, quarter or
    year: the range runs from the first day of the first to the last day of
    the last ("2019-09..2019-11" is 2019-09-01..2019-11-30). */
typedef enum {
    SM_PERIOD_DAY,
    SM_PERIOD_MONTH,
    SM_PERIOD_QUARTER,
    SM_PERIOD_YEAR,
    SM_PERIOD_RANGE
} sm_period_kind_t;

typedef struct {
    sm_period_kind_t kind;
    sm_date_t from, to;
} sm_period_t;

/*  Parse a period. A range must not end before it starts. Returns 0, or -1
    with err (field named). */
int sm_period_parse(const char *text, sm_period_t *out, const char *field, sm_err_t *err);
/*  The canonical text of a period ("2020-Q2", "2019-09-01..2019-11-30");
    buf at least 24 bytes. Returns buf. */
char *sm_period_format(const sm_period_t *p, char *buf);
/*  True when d lies in p, both ends included. */
bool sm_period_contains(const sm_period_t *p, sm_date_t d);

#endif
