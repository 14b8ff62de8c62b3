/*  services/finance/budget_years.h - the multi-year view: several years'
    budgets, spending, contributions and carry-over side by side, with the
    figures also rounded the way the region's documents print them
    ("afgerond EUR 46,000"). multiyear.h has the arithmetic; this file
    gathers the figures from the budget lines (budget_line.h) and the
    allocations that name their year (allocation.h).

    Op: budget.years (no events: it only reads)
*/
#ifndef SAMEN_FINANCE_BUDGET_YEARS_H
#define SAMEN_FINANCE_BUDGET_YEARS_H

#include "common/service.h"

/*  Op handler (arguments, data and errors in proto/ops-finance.md):
    returns 0 with its reply packed, or -1 with the context's error set. */
int op_budget_years(sm_ctx_t *ctx, const msgpack_object *args);

#endif
