/*  services/finance/hours_rules.c - hours worked against the hours
    planned. See hours_rules.h. Integers only. */
#include "hours_rules.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include "common/text.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ==== ISO weeks ========================================================== */

/*  Day of the year, 1 = 1 January. */
static int s_day_of_year(sm_date_t d)
{
    return (int)sm_date_diff((sm_date_t){d.y, 1, 1}, d) + 1;
}

hours_week_t hours_week_of(sm_date_t d)
{
    /*  The week belongs to the year of its Thursday. */
    sm_date_t thu = sm_date_add_days(d, 4 - sm_date_weekday(d));
    return (hours_week_t){thu.y, (s_day_of_year(thu) - 1) / 7 + 1};
}

sm_date_t hours_week_monday(hours_week_t w)
{
    sm_date_t jan4 = {w.year, 1, 4};
    sm_date_t monday1 = sm_date_add_days(jan4, 1 - sm_date_weekday(jan4));
    return sm_date_add_days(monday1, (int64_t)(w.week - 1) * 7);
}

int hours_weeks_in_year(int y)
{
    return hours_week_of((sm_date_t){y, 12, 28}).week;
}

int64_t hours_week_key(hours_week_t w)
{
    return (int64_t)w.year * 100 + w.week;
}

char *hours_week_format(hours_week_t w, char *buf)
{
    snprintf(buf, 16, "%04d-W%02d", w.year, w.week);
    return buf;
}

int hours_week_parse(const char *text, hours_week_t *out, const char *field, sm_err_t *err)
{
    char q[48];
    sm_date_t d;
    if (!text)
        text = "";
    size_t n = strlen(text);
    /*  A date (2020-03-04, or 4-3-2020 as people write it here): the week
        it lies in. */
    if (!strchr(text, 'W') && !strchr(text, 'w') && strchr(text, '-')) {
        char iso[16];
        if (sm_l10n_read_date(text, iso, field, err) != 0 ||
            sm_date_parse(iso, &d, field, err) != 0)
            return -1;
        *out = hours_week_of(d);
        return 0;
    }
    int y = 0, w = 0, digits = 0;
    bool ok = n >= 7 && n <= 8 && text[4] == '-' && (text[5] == 'W' || text[5] == 'w');
    for (int i = 0; ok && i < 4; i++) {
        ok = isdigit((unsigned char)text[i]) != 0;
        y = y * 10 + (text[i] - '0');
    }
    for (size_t i = 6; ok && i < n; i++, digits++) {
        ok = isdigit((unsigned char)text[i]) != 0;
        w = w * 10 + (text[i] - '0');
    }
    if (!ok || digits < 1 || digits > 2 || y < 1)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("week \"%s\" is not a week; give an ISO week like 2020-W05, or a "
                            "date in that week like 2020-01-29"),
                          sm_text_excerpt(text, q, sizeof q));
    /*  Years near the ends of the calendar have no whole weeks to speak of. */
    if (y < 2 || y > 9998 || w < 1 || w > hours_weeks_in_year(y))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("week %1$d of %2$04d does not exist; %3$04d has weeks 1 to %4$d"), w, y,
                          y, y >= 2 && y <= 9998 ? hours_weeks_in_year(y) : 52);
    *out = (hours_week_t){y, w};
    return 0;
}

/* ==== Who worked ========================================================= */

int hours_person_check(const char *person, sm_err_t *err)
{
    size_t len = person ? strlen(person) : 0;
    if (len == 0 || sm_text_blank(person))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "person",
                          _("person is empty; give who worked: a key name or initials"));
    if (!sm_utf8_valid(person, len))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "person",
                          _("person is not UTF-8 text; give a key name or initials"));
    if (sm_utf8_len(person, len) > HOURS_PERSON_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "person",
                          _("person is longer than %d characters; give a key name or initials"),
                          HOURS_PERSON_MAX);
    for (size_t pos = 0; pos < len;)
        if (sm_is_control(sm_utf8_next(person, len, &pos)))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "person",
                              _("person holds a control character; give a key name or "
                                "initials on one line"));
    if ((person[0] == 'P' || person[0] == 'p') && len > 1 &&
        strspn(person + 1, "0123456789") == len - 1)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "person",
                          _("%s is a participant, a resident; hours are staff's: give the "
                            "staff member's key name or initials"),
                          person);
    if (strchr(person, '@'))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "person",
                          _("person looks like an e-mail address; give a key name or "
                            "initials"));
    return 0;
}

/* ==== Plan against worked ================================================ */

/*  True for the kinds that plan hours. */
static bool s_plans_hours(budget_kind_t k)
{
    return k == BUDGET_HOURS_PER_WEEK || k == BUDGET_TOTAL_HOURS || k == BUDGET_PILOT;
}

int hours_week_fits(const budget_line_t *line, int year, hours_week_t w, sm_err_t *err)
{
    char wb[16], p[SM_L10N_PERIOD_SIZE];
    if (!s_plans_hours(line->kind))
        /*  TRANSLATORS: %s is a kind of budget line as the protocol names it
            (fixed, reimbursement); keep the kinds' names as they are. */
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "line",
                          _("a %s line plans no hours; record hours against an hours_per_week, "
                            "total_hours or pilot line"),
                          budget_kind_name(line->kind));
    if (line->kind == BUDGET_PILOT && line->has_period) {
        sm_date_t mon = hours_week_monday(w), sun = sm_date_add_days(mon, 6);
        if (sm_date_cmp(mon, line->period.to) > 0 || sm_date_cmp(sun, line->period.from) < 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "week",
                              _("week %1$s lies outside the pilot's period %2$s; give a week "
                                "within it"),
                              hours_week_format(w, wb), sm_l10n_period(&line->period, p, sizeof p));
        return 0;
    }
    if (w.year != year)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "week",
                          _("week %1$s is not one of %2$d, the line's year; give a week from "
                            "%3$d-W01 to %4$d-W%5$02d"),
                          hours_week_format(w, wb), year, year, year, hours_weeks_in_year(year));
    return 0;
}

char *hours_x100_words(int64_t x100, char *buf)
{
    int decimals = x100 % 100 == 0 ? 0 : x100 % 10 == 0 ? 1 : 2;
    int64_t v = decimals == 0 ? x100 / 100 : decimals == 1 ? x100 / 10 : x100;
    return sm_l10n_decimal(v, decimals, buf);
}

int64_t hours_weeks_elapsed_x100(const budget_line_t *line, int year, sm_date_t on)
{
    int64_t weeks = 0;
    hours_week_t now = hours_week_of(on);
    if (line->kind == BUDGET_HOURS_PER_WEEK) {
        if (now.year > year)
            weeks = hours_weeks_in_year(year);
        else if (now.year == year)
            weeks = now.week;
    } else if (line->kind == BUDGET_PILOT && line->has_period) {
        if (sm_date_cmp(on, line->period.from) >= 0) {
            sm_date_t last = sm_date_cmp(on, line->period.to) > 0 ? line->period.to : on;
            sm_date_t first_mon = hours_week_monday(hours_week_of(line->period.from));
            sm_date_t last_mon = hours_week_monday(hours_week_of(last));
            weeks = sm_date_diff(first_mon, last_mon) / 7 + 1;
        }
    } else
        return 0;
    int64_t x100 = weeks * 100;
    return x100 < line->weeks_x100 ? x100 : line->weeks_x100;
}

int hours_plan(const budget_line_t *line, int year, int64_t worked_x100, sm_date_t on,
               hours_plan_t *out, sm_err_t *err)
{
    int64_t amount;
    if (budget_line_compute(line, &amount, err) != 0)
        return -1;
    if (worked_x100 < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "worked",
                          _("hours worked are negative; give zero or more"));
    memset(out, 0, sizeof *out);
    out->worked_x100 = worked_x100;
    if (!s_plans_hours(line->kind))
        return 0;
    out->has_plan = true;
    out->per_week = line->kind != BUDGET_TOTAL_HOURS;
    if (sm_muldiv(worked_x100, line->rate_cents, 100, &out->worked_cents) != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "worked",
                          _("the hours worked times the rate are beyond any amount accepted"));
    char w[SM_L10N_NUMBER_SIZE], p[SM_L10N_NUMBER_SIZE], h[SM_L10N_NUMBER_SIZE],
        e[SM_L10N_NUMBER_SIZE], more[SM_L10N_NUMBER_SIZE], d[SM_L10N_DATE_SIZE];
    if (!out->per_week) {
        out->planned_x100 = line->hours_x100;
    } else {
        /*  Exact products: hours and weeks are bounded (budget.h). */
        if (sm_muldiv(line->hours_x100, line->weeks_x100, 100, &out->planned_x100) != 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "hours", _("the plan is out of range"));
        out->weeks_elapsed_x100 = hours_weeks_elapsed_x100(line, year, on);
        if (sm_muldiv(line->hours_x100, out->weeks_elapsed_x100, 100, &out->planned_to_date_x100) !=
            0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "hours", _("the plan is out of range"));
        out->ahead = worked_x100 > out->planned_to_date_x100;
    }
    out->exceeded = worked_x100 > out->planned_x100;
    if (out->exceeded)
        snprintf(out->message, sizeof out->message,
                 _("%1$s hours worked, %2$s more than the %3$s hours planned in all"),
                 hours_x100_words(worked_x100, w),
                 hours_x100_words(worked_x100 - out->planned_x100, more),
                 hours_x100_words(out->planned_x100, p));
    else if (out->ahead)
        /*  TRANSLATORS: %2$s is a date in running text (8 March 2020); the
            rest are numbers of hours and weeks. */
        snprintf(out->message, sizeof out->message,
                 _("running ahead of its weeks: %1$s hours worked by %2$s, %3$s more than the "
                   "%4$s hours planned so far (%5$s h/week x %6$s weeks)"),
                 hours_x100_words(worked_x100, w), sm_l10n_date_long(on, d),
                 hours_x100_words(worked_x100 - out->planned_to_date_x100, more),
                 hours_x100_words(out->planned_to_date_x100, p),
                 hours_x100_words(line->hours_x100, h),
                 hours_x100_words(out->weeks_elapsed_x100, e));
    return 0;
}
