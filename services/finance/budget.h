/*  services/finance/budget.h - budget lines computed from their parts.

    A budget line is computed, never typed: coordination is hours per week x
    hourly rate x working weeks, special work is hours x rate, activities
    are fixed amounts, the reimbursement line is EUR 15 per participant per
    session x the expected number of claims (or a fixed amount), and a pilot
    is hours per week x rate x weeks within a stated period. The programme's
    source documents stated one line at ten times its own hours x rate;
    budget_line_check exists to catch exactly that.

    Hours and weeks may be fractional in the documents ("4 h/week over 37.5
    weeks"), so they are carried as integer hundredths: 3750 = 37.50 weeks,
    1000 = 10 hours. Rates and amounts are int64 cents. A line's amount is

        hours_x100 * weeks_x100 * rate_cents / 10000      (per-week kinds)
        hours_x100 * rate_cents / 100                     (total hours)

    rounded half away from zero to a whole cent, with the product taken in
    128-bit integers. Examples from the domain:
        10 h/week x EUR 50.00 x 45 weeks   = EUR 22,500.00
        10 h/week x EUR 80.00 x 46 weeks   = EUR 36,800.00
        4 h/week x EUR 50.00 x 37.5 weeks  = EUR 7,500.00

    Parts that a kind does not use must be zero, so that a figure typed into
    the wrong place is refused instead of silently ignored.
*/
#ifndef SAMEN_FINANCE_BUDGET_H
#define SAMEN_FINANCE_BUDGET_H

#include "common/date.h"
#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  Most hours in a week, in hundredths. */
#define BUDGET_MAX_HOURS_PER_WEEK_X100 ((int64_t)16800)
/*  Most weeks one line may span, in hundredths (ten years). */
#define BUDGET_MAX_WEEKS_X100 ((int64_t)52000)
/*  Most hours of a total-hours line, in hundredths (a million hours). */
#define BUDGET_MAX_TOTAL_HOURS_X100 ((int64_t)100000000)

typedef enum {
    BUDGET_HOURS_PER_WEEK = 1, /*  hours/week x rate x weeks (coordination) */
    BUDGET_TOTAL_HOURS,        /*  hours x rate (e.g. compiling the youth report) */
    BUDGET_FIXED,              /*  an amount (facilitators, expertise, catering, rooms) */
    BUDGET_REIMBURSEMENT,      /*  per claim x expected claims, or an amount */
    BUDGET_PILOT               /*  hours/week x rate x weeks within a period */
} budget_kind_t;

typedef struct {
    budget_kind_t kind;
    int64_t hours_x100;      /*  HOURS_PER_WEEK, PILOT: hours per week; TOTAL_HOURS: hours */
    int64_t weeks_x100;      /*  HOURS_PER_WEEK, PILOT: working weeks */
    int64_t rate_cents;      /*  HOURS_PER_WEEK, TOTAL_HOURS, PILOT: hourly rate */
    int64_t amount_cents;    /*  FIXED; REIMBURSEMENT when per_claim_cents is 0 */
    int64_t per_claim_cents; /*  REIMBURSEMENT: per participant per session (EUR 15) */
    int64_t claims;          /*  REIMBURSEMENT with per_claim_cents: expected claims */
    bool has_period;         /*  PILOT: required; the weeks must fit in it */
    sm_period_t period;
    bool has_stated;      /*  the line carries an amount stated in a document */
    int64_t stated_cents; /*  that amount */
} budget_line_t;

/*  What budget_line_check found. */
typedef struct {
    int64_t computed_cents;
    bool has_stated;
    int64_t stated_cents;
    bool consistent; /*  no stated amount, or stated == computed */
    bool ten_times;  /*  stated is ten times the computed amount, or a tenth of it */
    /*  Empty when consistent; else a sentence such as "stated EUR 360,000.00
        is 10 x its own 10 h/week x EUR 80.00 x 45 weeks = EUR 36,000.00;
        ten times too much ..." */
    char message[512];
} budget_check_t;

/*  The kind's name in the protocol: "hours_per_week", "total_hours",
    "fixed", "reimbursement", "pilot"; "unknown" for anything else.
    This function can't fail. */
const char *budget_kind_name(budget_kind_t kind);

/*  Parse a kind's name (as above). Returns 0, or -1 with err (field "kind")
    listing the accepted names. */
int budget_kind_parse(const char *text, budget_kind_t *kind, sm_err_t *err);

/*  Compute a line's amount from its parts. Returns 0 with *amount_cents
    set, or -1 with err (SM_E_INVALID_ARGUMENT) naming the field ("kind",
    "hours", "weeks", "rate", "amount", "per_claim", "claims", "period",
    "stated"): a negative part, a part the kind does not use, more than 168
    hours a week, weeks beyond BUDGET_MAX_WEEKS_X100 or beyond the pilot's
    period, a pilot without period, or a result above SM_MONEY_MAX. */
int budget_line_compute(const budget_line_t *line, int64_t *amount_cents, sm_err_t *err);

/*  The line's formula in words, e.g. "10 h/week x EUR 80.00 x 45 weeks",
    "4 h/week x EUR 50.00 x 37.5 weeks in 2020-01-01..2020-09-30",
    "120 hours x EUR 50.00", "fixed EUR 5,000.00", "EUR 15.00 x 160 claims".
    Writes at most size bytes, always terminated. Returns buf. */
char *budget_line_describe(const budget_line_t *line, char *buf, size_t size);

/*  Hundredths (of hours or weeks) as people write them: 1000 -> "10",
    3750 -> "37.5", 425 -> "4.25", -50 -> "-0.5". buf at least 32 bytes.
    Returns buf; this function can't fail. */
char *budget_x100_format(int64_t x100, char *buf);

/*  Compute the line and compare it with its stated amount, if any.
    Returns 0 when consistent, 1 when the stated amount differs (check's
    message says how, and says "ten times" for a slip of a zero), or -1 with
    err when the line itself is invalid (as budget_line_compute). */
int budget_line_check(const budget_line_t *line, budget_check_t *check, sm_err_t *err);

/*  Sum the computed amounts of count lines. Returns 0 with *total_cents
    set, or -1 with err when a line is invalid (field "lines[i].<part>") or
    the sum exceeds SM_MONEY_MAX (field "lines"). */
int budget_total(const budget_line_t *lines, size_t count, int64_t *total_cents, sm_err_t *err);

/*  What is left: budget - spent, negative when overspent. This function
    can't fail. */
int64_t budget_remaining(int64_t budget_cents, int64_t spent_cents);

/*  Share of the budget spent, in basis points (hundredths of a percent),
    rounded half up: 18,000 of 22,500 = 8000. Returns 0 with *bp set, or -1
    when the budget is zero or less (no share to speak of) or spent is
    negative. */
int budget_used_bp(int64_t budget_cents, int64_t spent_cents, int64_t *bp);

/*  Utilisation thresholds, as bits. */
#define BUDGET_CROSSED_80 0x1u
#define BUDGET_CROSSED_100 0x2u

/*  Which thresholds spending crossed, going up, from old_spent to
    new_spent: a threshold of p percent is reached when spent > 0 and
    spent * 100 >= budget * p (exact integer comparison). Both bits when one
    expense jumps past both. Spending against a budget of zero reaches both
    with its first cent. Going down (a correction) crosses nothing.
    Returns the bits; this function can't fail. */
unsigned budget_thresholds_crossed(int64_t budget_cents, int64_t old_spent_cents,
                                   int64_t new_spent_cents);

#endif
