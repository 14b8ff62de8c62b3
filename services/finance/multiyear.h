/*  services/finance/multiyear.h - several years side by side: budgets,
    spending, contributions and carry-over.

    The region's multi-year budget shows, per year, what the programme is
    budgeted to cost, what the municipalities contribute, what was spent,
    and what is carried over into the next year; it prints its figures
    rounded ("afgerond EUR 46,000"). This module holds the arithmetic:

      carried in     = the previous year's carried over (for the first year
                       shown: the contributions less the spending of every
                       earlier year)
      carried over   = carried in + contributions - spent
      budget balance = carried in + contributions - budget: what the year's
                       budget leaves (below zero: what it lacks)

    Committed (agreed, not yet spent) money is shown but not carried: it is
    spent, and carried, in the year it is spent. Figures may be negative
    (more spent than contributed). Rounding is half away from zero to a unit
    (EUR 1,000 by default), each figure on its own, as the documents do: so
    the rounded figures of a column need not add up to its rounded total.
    Plain functions over plain structs; integers only.
*/
#ifndef SAMEN_FINANCE_MULTIYEAR_H
#define SAMEN_FINANCE_MULTIYEAR_H

#include "common/err.h"
#include <stddef.h>
#include <stdint.h>

/*  Most years one view spans. */
#define MULTIYEAR_MAX_YEARS 30

typedef struct {
    int year;
    /*  given */
    int64_t budget_cents;        /*  the year's budget lines added up */
    int64_t committed_cents;     /*  agreed, not yet spent */
    int64_t spent_cents;         /*  spent */
    int64_t contributions_cents; /*  contributions invoiced for the year (as decided) */
    int64_t received_cents;      /*  of those, paid */
    /*  computed by multiyear_carry */
    int64_t carried_in_cents;
    int64_t carried_over_cents;
    int64_t budget_balance_cents;
} multiyear_row_t;

/*  Fill the carried and balance figures of count rows (in year order),
    the first carrying carried_in_cents in. Returns 0, or -1 with err
    (field "years") when a figure leaves the int64 range. */
int multiyear_carry(multiyear_row_t *rows, size_t count, int64_t carried_in_cents, sm_err_t *err);

/*  The total of count carried rows: sums of the given figures, the first
    row's carried in, the last row's carried over, and the budget balance
    of the whole span (carried in + contributions - budget). year is 0.
    Returns 0, or -1 with err when a sum leaves the int64 range. */
int multiyear_total(const multiyear_row_t *rows, size_t count, multiyear_row_t *total,
                    sm_err_t *err);

/*  cents rounded half away from zero to a multiple of unit_cents (unit at
    least 1): 45,499.99 -> 45,000 and 45,500.00 -> 46,000 with EUR 1,000.
    This function can't fail. */
int64_t multiyear_round(int64_t cents, int64_t unit_cents);

#endif
