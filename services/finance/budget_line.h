/*  services/finance/budget_line.h - a year's budget as stored lines.

    A budget line (L1, L2, ...) belongs to a year and is computed from its
    parts by budget.h: hours per week x rate x weeks, total hours x rate, a
    fixed amount, the reimbursement line, or a pilot within a period. Hours
    and weeks travel as integer hundredths (hours_x100 = 1000 is 10 hours,
    weeks_x100 = 3750 is 37.5 weeks). A line may carry the amount stated in
    a document (stated_cents); when that differs from the computation the
    line is kept and the inconsistency reported, in the reply and in
    budget.show / budget.check, because the document is what it is and the
    programme must see the slip rather than have it silently corrected.

    Actuals: expenses booked against a line are committed (agreed, not yet
    paid) or spent. The year's first line of kind reimbursement also counts
    the year's reimbursements: claimed and approved entitlements as
    committed, paid ones as spent. When a line's use (committed + spent)
    reaches 80% and 100% of its amount, finance.budget.threshold is emitted
    once per crossing (going down and up again crosses again).

    Hours: a line that plans hours (hours_per_week, total_hours, pilot)
    keeps the hours worked on it (hours.h records them); its replies show
    the hours planned against the hours worked, and a per-week line whose
    worked hours run ahead of its weeks is flagged (hours_rules.h).

    Funding: budget.show lists the allocations that pay for the year
    (allocation.h), their contributions as decided against the cost, and
    the shortfall or surplus.

    Ops: budget.line.add, budget.line.update, budget.line.get, budget.show,
         budget.check
    Events: finance.budget.threshold {year, line, percent (80 or 100)}
*/
#ifndef SAMEN_FINANCE_BUDGET_LINE_H
#define SAMEN_FINANCE_BUDGET_LINE_H

#include "common/service.h"
#include "budget.h"

/*  Longest line name, in characters (proto/ops_finance.c). */
#define LINE_NAME_MAX 120

typedef struct {
    uint64_t id;
    int year;
    char name[4 * LINE_NAME_MAX + 1]; /*  UTF-8 */
    budget_line_t line;
    int64_t computed_cents;
    int64_t committed_cents; /*  expenses committed, not yet spent */
    int64_t spent_cents;     /*  expenses spent */
    int64_t worked_x100;     /*  hours worked on the line, in hundredths */
} line_rec_t;

/*  A year's lines added up. */
typedef struct {
    int64_t lines;
    int64_t budget_cents, committed_cents, spent_cents;
} line_year_t;

/*  What a line has used and may use. */
typedef struct {
    int64_t budget_cents;
    int64_t committed_cents; /*  expenses (and reimbursements) committed */
    int64_t spent_cents;
    bool reimbursements; /*  the line counts the year's reimbursements */
} line_usage_t;

/*  Load line id. Returns 1 found, 0 not found, -1 error (ctx error set). */
int line_load(sm_ctx_t *ctx, uint64_t id, line_rec_t *out);

/*  Load the line the request's argument key names (an L-id); an unknown
    line is refused with not_found. Returns 0 or -1 (ctx error set). */
int line_require(sm_ctx_t *ctx, const char *key, line_rec_t *out);

/*  The line's use now. Returns 0 or -1 (ctx error set). */
int line_usage(sm_ctx_t *ctx, const line_rec_t *l, line_usage_t *u);

/*  Change the expense totals of line id by the given deltas (cents, may
    be negative) and emit threshold events for what that crosses.
    Returns 0 or -1 (ctx error set). */
int line_book(sm_ctx_t *ctx, uint64_t id, int64_t d_committed, int64_t d_spent);

/*  Change the hours worked on line id by d_x100 (hundredths, may be
    negative). Returns 0 or -1 (ctx error set). */
int line_hours_add(sm_ctx_t *ctx, uint64_t id, int64_t d_x100);

/*  Add up year's lines (budget, committed, spent as budget.show's
    totals). Returns 0 with *out, or -1 (ctx error set). */
int line_year_sum(sm_ctx_t *ctx, int year, line_year_t *out);

/*  The year's reimbursement line (its first line of kind reimbursement).
    Returns 1 with *out, 0 when the year has none, -1 on error. */
int line_reimbursement_of(sm_ctx_t *ctx, int year, line_rec_t *out);

/*  Emit the threshold events a change of use crossed, from before to
    after (same line). Returns 0 or -1 (ctx error set). */
int line_note_usage(sm_ctx_t *ctx, const line_rec_t *l, const line_usage_t *before,
                    const line_usage_t *after);

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_budget_line_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_budget_line_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_budget_line_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_budget_show(sm_ctx_t *ctx, const msgpack_object *args);
int op_budget_check(sm_ctx_t *ctx, const msgpack_object *args);

#endif
