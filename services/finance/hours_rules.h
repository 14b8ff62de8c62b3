/*  services/finance/hours_rules.h - hours worked against the hours planned.

    The coordinator's and the co-coordinator's hours are the largest lines
    of the programme's budget ("10 h/week x EUR 80 x 46 weeks"). Staff
    record the hours they worked per person, per ISO week, per budget line
    (and per theme or session); a line's plan is its hours per week x its
    weeks (or its hours in all), and a line whose worked hours run ahead of
    its weeks is flagged: more worked than hours per week x the weeks
    elapsed so far. Hours are integer hundredths (1000 = 10 hours), as in
    budget lines; never a binary fraction.

    Weeks are ISO 8601 weeks ("2020-W05": the week from Monday 27 January
    2020; week 1 is the week with the year's first Thursday, so a year has
    52 or 53 weeks and 30 December 2019 lies in 2020-W01).

    Who worked is, for now, a short text (a key name or initials) checked
    by hours_person_check: staff only, never a resident. When samen gets a
    registry of staff persons, that check becomes the look-up.

    Plain functions over plain structs: no store, no sockets.
*/
#ifndef SAMEN_FINANCE_HOURS_RULES_H
#define SAMEN_FINANCE_HOURS_RULES_H

#include "budget.h"
#include "common/date.h"
#include "common/err.h"
#include <stdbool.h>
#include <stdint.h>

/*  Most hours one person works in one week, in hundredths (168 hours). */
#define HOURS_WEEK_MAX_X100 ((int64_t)16800)
/*  Longest person text, in characters. */
#define HOURS_PERSON_MAX 64

typedef struct {
    int year; /*  the ISO week-numbering year */
    int week; /*  1..52 or 53 */
} hours_week_t;

/*  The ISO week d lies in. This function can't fail. */
hours_week_t hours_week_of(sm_date_t d);

/*  The Monday of week w. This function can't fail (w must be valid). */
sm_date_t hours_week_monday(hours_week_t w);

/*  Weeks in ISO year y: 52 or 53. This function can't fail. */
int hours_weeks_in_year(int y);

/*  Parse a week: "2020-W05" (also "2020-W5" or "2020-w05"), or a date
    meaning the week it lies in ("2020-01-29", or "29-01-2020" and
    "29-1-2020" as people write dates here). Returns 0, or -1 with err
    (invalid_argument, field named) saying what is accepted. */
int hours_week_parse(const char *text, hours_week_t *out, const char *field, sm_err_t *err);

/*  "2020-W05" into buf (at least 16 bytes). Returns buf. */
char *hours_week_format(hours_week_t w, char *buf);

/*  The week as one sortable number, year * 100 + week (202005). Can't fail. */
int64_t hours_week_key(hours_week_t w);

/*  Check who worked: 1..HOURS_PERSON_MAX characters of UTF-8 without
    control characters, and staff, never a resident: a participant's ID
    ("P12") and anything with "@" (an e-mail address) are refused. Returns
    0, or -1 with err (invalid_argument, field "person"). */
int hours_person_check(const char *person, sm_err_t *err);

/*  Check that hours for week w may be booked on line (of year): the line
    plans hours (hours_per_week, total_hours or pilot; else field "line"),
    and the week is one of the line's year (a pilot: overlaps its period;
    else field "week"). Returns 0, or -1 with err. */
int hours_week_fits(const budget_line_t *line, int year, hours_week_t w, sm_err_t *err);

/*  Hundredths of hours or weeks as the reader's language writes them:
    1000 -> "10", 3750 -> "37.5" ("37,5" in Dutch), 425 -> "4.25". buf at
    least SM_L10N_NUMBER_SIZE bytes. Returns buf; can't fail. */
char *hours_x100_words(int64_t x100, char *buf);

/*  A line's plan against the hours worked on it, on a day. */
typedef struct {
    bool has_plan;                /*  the line plans hours (else the rest is zero) */
    bool per_week;                /*  the plan runs by the week (hours_per_week, pilot) */
    int64_t planned_x100;         /*  hours planned in all */
    int64_t weeks_elapsed_x100;   /*  per week: the plan's weeks elapsed by the day (at most
                                      its weeks) */
    int64_t planned_to_date_x100; /*  per week: hours per week x weeks elapsed */
    int64_t worked_x100;          /*  hours worked */
    int64_t worked_cents;         /*  hours worked x the line's rate, half up to a cent */
    bool ahead;                   /*  per week: worked more than planned to date */
    bool exceeded;                /*  worked more than planned in all */
    char message[400];            /*  empty, or a sentence saying how far ahead */
} hours_plan_t;

/*  Weeks of a per-week line's plan elapsed on day on, as whole ISO weeks
    counting the week of on itself: for hours_per_week the weeks of the
    line's year up to on; for a pilot the weeks from its period's first
    week up to on (or its end). Capped at the line's weeks; 0 before it
    starts. In hundredths. Returns 0 for other kinds. Can't fail. */
int64_t hours_weeks_elapsed_x100(const budget_line_t *line, int year, sm_date_t on);

/*  Compute line's plan (a line of year) against worked_x100 hours worked,
    as on day on. Returns 0 with *out filled, or -1 with err when the
    line's parts are invalid (budget_line_compute) or worked_x100 is
    negative. */
int hours_plan(const budget_line_t *line, int year, int64_t worked_x100, sm_date_t on,
               hours_plan_t *out, sm_err_t *err);

#endif
