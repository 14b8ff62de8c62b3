/*  services/finance/budget.c - budget lines computed from their parts.

    See budget.h. All arithmetic is on integers; products are taken in
    __int128 so that no part of a line can overflow before it is checked.
*/
#include "budget.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 s_i128;

static const char *const s_kind_names[] = {
    NULL, "hours_per_week", "total_hours", "fixed", "reimbursement", "pilot",
};
#define S_KIND_LAST BUDGET_PILOT

/* ==== Formatting ========================================================= */

char *budget_x100_format(int64_t x100, char *buf)
{
    const char *sign = x100 < 0 ? "-" : "";
    uint64_t a = x100 < 0 ? (uint64_t)0 - (uint64_t)x100 : (uint64_t)x100;
    unsigned long long whole = a / 100, frac = a % 100;
    if (frac == 0)
        snprintf(buf, 32, "%s%llu", sign, whole);
    else if (frac % 10 == 0)
        snprintf(buf, 32, "%s%llu.%llu", sign, whole, frac / 10);
    else
        snprintf(buf, 32, "%s%llu.%02llu", sign, whole, frac);
    return buf;
}

const char *budget_kind_name(budget_kind_t kind)
{
    if (kind < BUDGET_HOURS_PER_WEEK || kind > S_KIND_LAST)
        return "unknown";
    return s_kind_names[kind];
}

int budget_kind_parse(const char *text, budget_kind_t *kind, sm_err_t *err)
{
    for (int k = BUDGET_HOURS_PER_WEEK; k <= S_KIND_LAST; k++)
        if (text && strcmp(text, s_kind_names[k]) == 0) {
            *kind = (budget_kind_t)k;
            return 0;
        }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, "kind",
                      _("unknown budget line kind; give hours_per_week, total_hours, fixed, "
                        "reimbursement or pilot"));
}

char *budget_line_describe(const budget_line_t *line, char *buf, size_t size)
{
    char h[32], w[32], r[48], a[48], p[32];
    if (!buf || size == 0)
        return buf;
    switch (line->kind) {
    case BUDGET_HOURS_PER_WEEK:
    case BUDGET_PILOT:
        snprintf(
            buf, size, "%s h/week x %s x %s weeks%s%s", budget_x100_format(line->hours_x100, h),
            sm_money_format(line->rate_cents, false, r), budget_x100_format(line->weeks_x100, w),
            line->kind == BUDGET_PILOT && line->has_period ? " in " : "",
            line->kind == BUDGET_PILOT && line->has_period ? sm_period_format(&line->period, p)
                                                           : "");
        break;
    case BUDGET_TOTAL_HOURS:
        snprintf(buf, size, "%s hours x %s", budget_x100_format(line->hours_x100, h),
                 sm_money_format(line->rate_cents, false, r));
        break;
    case BUDGET_FIXED:
        snprintf(buf, size, "fixed %s", sm_money_format(line->amount_cents, false, a));
        break;
    case BUDGET_REIMBURSEMENT:
        if (line->per_claim_cents != 0)
            snprintf(buf, size, "%s x %lld claims",
                     sm_money_format(line->per_claim_cents, false, a), (long long)line->claims);
        else
            snprintf(buf, size, "fixed %s", sm_money_format(line->amount_cents, false, a));
        break;
    default:
        snprintf(buf, size, "a line of unknown kind");
        break;
    }
    return buf;
}

/* ==== Validation ========================================================= */

/*  Refuse a part the kind does not use. Returns 0, or -1 with err. */
static int s_unused(int64_t value, const char *field, budget_kind_t kind, sm_err_t *err)
{
    if (value == 0)
        return 0;
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                      _("a %s line has no %s; leave %s out or choose another kind"),
                      budget_kind_name(kind), field, field);
}

/*  Refuse a negative part. Returns 0, or -1 with err. */
static int s_not_negative(int64_t value, const char *field, sm_err_t *err)
{
    if (value >= 0)
        return 0;
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s is negative; give zero or more"),
                      field);
}

/*  Check the hours/week, weeks and rate of a per-week line, and that a
    pilot's weeks fit in its period. Returns 0, or -1 with err. */
static int s_check_per_week(const budget_line_t *line, sm_err_t *err)
{
    char h[32], w[32], p[32];
    if (s_not_negative(line->hours_x100, "hours", err) ||
        s_not_negative(line->weeks_x100, "weeks", err) ||
        s_not_negative(line->rate_cents, "rate", err))
        return -1;
    if (line->hours_x100 > BUDGET_MAX_HOURS_PER_WEEK_X100)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "hours",
                          _("%s hours a week is more than a week has; give at most 168"),
                          budget_x100_format(line->hours_x100, h));
    if (line->weeks_x100 > BUDGET_MAX_WEEKS_X100)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "weeks",
                          _("%s weeks is more than one line may span; give at most %s"),
                          budget_x100_format(line->weeks_x100, w),
                          budget_x100_format(BUDGET_MAX_WEEKS_X100, h));
    if (line->rate_cents > SM_MONEY_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "rate",
                          _("rate is beyond any amount accepted"));
    if (s_unused(line->amount_cents, "amount", line->kind, err) ||
        s_unused(line->per_claim_cents, "per_claim", line->kind, err) ||
        s_unused(line->claims, "claims", line->kind, err))
        return -1;
    if (line->kind == BUDGET_HOURS_PER_WEEK) {
        if (line->has_period)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "period",
                              _("an hours_per_week line has no period; use kind pilot for work "
                                "within a period"));
        return 0;
    }
    if (!line->has_period)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "period",
                          _("a pilot line needs its period, e.g. 2020-01-01..2020-09-30"));
    int64_t days = sm_date_diff(line->period.from, line->period.to) + 1;
    if (days <= 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "period",
                          _("the period %s ends before it starts; give a period in order"),
                          sm_period_format(&line->period, p));
    /*  weeks <= days / 7, compared without division */
    if ((s_i128)line->weeks_x100 * 7 > (s_i128)days * 100)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "weeks",
                          _("%s weeks do not fit in the period %s (%lld days); give fewer weeks "
                            "or a longer period"),
                          budget_x100_format(line->weeks_x100, w),
                          sm_period_format(&line->period, p), (long long)days);
    return 0;
}

/*  The amount, checked against SM_MONEY_MAX. num / den rounded half up
    (num >= 0). Returns 0, or -1 with err. */
static int s_result(s_i128 num, s_i128 den, int64_t *amount, sm_err_t *err)
{
    s_i128 q = (num + den / 2) / den;
    if (q > SM_MONEY_MAX) {
        char m[48];
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                          _("the line comes to more than %s, the largest amount accepted; check "
                            "its parts"),
                          sm_l10n_money(SM_MONEY_MAX, m));
    }
    *amount = (int64_t)q;
    return 0;
}

/* ==== Computing and checking ============================================= */

int budget_line_compute(const budget_line_t *line, int64_t *amount_cents, sm_err_t *err)
{
    if (!line)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "line", _("no budget line given"));
    if (line->has_stated && (line->stated_cents < 0 || line->stated_cents > SM_MONEY_MAX))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "stated",
                          line->stated_cents < 0
                              ? _("the stated amount is negative; give an amount of zero or more")
                              : _("the stated amount is beyond any amount accepted; give an "
                                  "amount of zero or more"));
    char h[32], hmax[32];
    int64_t amount = 0;
    switch (line->kind) {
    case BUDGET_HOURS_PER_WEEK:
    case BUDGET_PILOT:
        if (s_check_per_week(line, err) != 0)
            return -1;
        if (s_result((s_i128)line->hours_x100 * line->weeks_x100 * line->rate_cents, 10000, &amount,
                     err) != 0)
            return -1;
        break;
    case BUDGET_TOTAL_HOURS:
        if (s_not_negative(line->hours_x100, "hours", err) ||
            s_not_negative(line->rate_cents, "rate", err) ||
            s_unused(line->weeks_x100, "weeks", line->kind, err) ||
            s_unused(line->amount_cents, "amount", line->kind, err) ||
            s_unused(line->per_claim_cents, "per_claim", line->kind, err) ||
            s_unused(line->claims, "claims", line->kind, err) ||
            s_unused(line->has_period, "period", line->kind, err))
            return -1;
        if (line->hours_x100 > BUDGET_MAX_TOTAL_HOURS_X100)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "hours",
                              _("%s hours is more than one line may hold; give at most %s"),
                              budget_x100_format(line->hours_x100, h),
                              budget_x100_format(BUDGET_MAX_TOTAL_HOURS_X100, hmax));
        if (line->rate_cents > SM_MONEY_MAX)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "rate",
                              _("rate is beyond any amount accepted"));
        if (s_result((s_i128)line->hours_x100 * line->rate_cents, 100, &amount, err) != 0)
            return -1;
        break;
    case BUDGET_FIXED:
        if (s_not_negative(line->amount_cents, "amount", err) ||
            s_unused(line->hours_x100, "hours", line->kind, err) ||
            s_unused(line->weeks_x100, "weeks", line->kind, err) ||
            s_unused(line->rate_cents, "rate", line->kind, err) ||
            s_unused(line->per_claim_cents, "per_claim", line->kind, err) ||
            s_unused(line->claims, "claims", line->kind, err) ||
            s_unused(line->has_period, "period", line->kind, err))
            return -1;
        if (s_result(line->amount_cents, 1, &amount, err) != 0)
            return -1;
        break;
    case BUDGET_REIMBURSEMENT:
        if (s_not_negative(line->amount_cents, "amount", err) ||
            s_not_negative(line->per_claim_cents, "per_claim", err) ||
            s_not_negative(line->claims, "claims", err) ||
            s_unused(line->hours_x100, "hours", line->kind, err) ||
            s_unused(line->weeks_x100, "weeks", line->kind, err) ||
            s_unused(line->rate_cents, "rate", line->kind, err) ||
            s_unused(line->has_period, "period", line->kind, err))
            return -1;
        if (line->per_claim_cents != 0 && line->amount_cents != 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "amount",
                              _("a reimbursement line is either per claim x expected claims or a "
                                "fixed amount; give per_claim and claims, or amount, not both"));
        if (line->per_claim_cents == 0 && line->claims != 0)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "per_claim",
                              _("expected claims given without the amount per claim; give "
                                "per_claim, e.g. EUR 15.00"));
        if (line->per_claim_cents > SM_MONEY_MAX || line->claims > SM_MONEY_MAX)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "claims",
                              _("the reimbursement line is beyond any amount accepted"));
        if (s_result(line->per_claim_cents != 0 ? (s_i128)line->per_claim_cents * line->claims
                                                : (s_i128)line->amount_cents,
                     1, &amount, err) != 0)
            return -1;
        break;
    default:
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "kind",
                          _("unknown budget line kind; give hours_per_week, total_hours, fixed, "
                            "reimbursement or pilot"));
    }
    *amount_cents = amount;
    return 0;
}

int budget_line_check(const budget_line_t *line, budget_check_t *check, sm_err_t *err)
{
    int64_t computed;
    if (budget_line_compute(line, &computed, err) != 0)
        return -1;
    memset(check, 0, sizeof *check);
    check->computed_cents = computed;
    check->has_stated = line->has_stated;
    check->stated_cents = line->has_stated ? line->stated_cents : 0;
    check->consistent = !line->has_stated || line->stated_cents == computed;
    if (check->consistent)
        return 0;

    int64_t stated = line->stated_cents;
    char s[48], c[48], d[48], formula[200];
    sm_l10n_money(stated, s);
    sm_l10n_money(computed, c);
    budget_line_describe(line, formula, sizeof formula);
    /*  A dropped or doubled zero is the slip the source documents made;
        name it, so that the reader looks at the right digit. */
    if (computed != 0 && stated == computed * 10) {
        check->ten_times = true;
        snprintf(check->message, sizeof check->message,
                 _("stated %s is 10 x its own %s = %s; ten times too much, a slip of a zero? "
                   "correct the stated amount or the line's parts"),
                 s, formula, c);
    } else if (stated != 0 && computed == stated * 10) {
        check->ten_times = true;
        snprintf(check->message, sizeof check->message,
                 _("stated %s is a tenth of its own %s = %s; ten times too little, a dropped "
                   "zero? correct the stated amount or the line's parts"),
                 s, formula, c);
    } else {
        int64_t diff = stated > computed ? stated - computed : computed - stated;
        snprintf(check->message, sizeof check->message,
                 _("stated %s differs from its own %s = %s by %s; correct the stated amount or "
                   "the line's parts"),
                 s, formula, c, sm_l10n_money(diff, d));
    }
    return 1;
}

int budget_total(const budget_line_t *lines, size_t count, int64_t *total_cents, sm_err_t *err)
{
    int64_t total = 0;
    if (count > 0 && !lines)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "lines", _("no budget lines given"));
    for (size_t i = 0; i < count; i++) {
        int64_t amount;
        sm_err_t line_err = {0};
        if (budget_line_compute(&lines[i], &amount, &line_err) != 0) {
            char field[96]; /*  sm_err_set keeps what fits */
            snprintf(field, sizeof field, "lines[%zu].%s", i, line_err.field);
            return sm_err_set(err, line_err.code, field, _("line %zu: %s"), i + 1,
                              line_err.message);
        }
        if (amount > SM_MONEY_MAX - total)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "lines",
                              _("the lines add up to more than the largest amount accepted"));
        total += amount;
    }
    *total_cents = total;
    return 0;
}

/* ==== Spending =========================================================== */

int64_t budget_remaining(int64_t budget_cents, int64_t spent_cents)
{
    return budget_cents - spent_cents;
}

int budget_used_bp(int64_t budget_cents, int64_t spent_cents, int64_t *bp)
{
    if (budget_cents <= 0 || spent_cents < 0)
        return -1;
    *bp = (int64_t)(((s_i128)spent_cents * 20000 + budget_cents) / ((s_i128)budget_cents * 2));
    return 0;
}

/*  True when spent has reached pct percent of budget. */
static bool s_reached(int64_t budget, int64_t spent, int pct)
{
    return spent > 0 && (s_i128)spent * 100 >= (s_i128)budget * pct;
}

unsigned budget_thresholds_crossed(int64_t budget_cents, int64_t old_spent_cents,
                                   int64_t new_spent_cents)
{
    unsigned bits = 0;
    if (!s_reached(budget_cents, old_spent_cents, 80) &&
        s_reached(budget_cents, new_spent_cents, 80))
        bits |= BUDGET_CROSSED_80;
    if (!s_reached(budget_cents, old_spent_cents, 100) &&
        s_reached(budget_cents, new_spent_cents, 100))
        bits |= BUDGET_CROSSED_100;
    return bits;
}
