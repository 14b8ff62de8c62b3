/*  services/finance/contribution.h - contributions as decided beside
    contributions as computed.

    A cost split computes what each municipality pays (split.h); the
    portfolio holders then decide the amounts, and what they decide is what
    is invoiced, even where it differs from the computation. The programme's
    own 2017-2018 decision shares EUR 60,000 by inhabitants, but its table
    gives Hilversum EUR 20,000 where exact rounding gives EUR 21,000: the
    decided contributions add up to EUR 59,000, EUR 1,000 short of the cost.
    samen keeps both figures, shows the difference per municipality and in
    total, wants the decision's reason once (when any decided amount differs
    from its computation) and reports the shortfall or surplus against the
    cost, so that the gap is seen rather than found later in the accounts.

    A row without a decided amount is invoiced as computed. These are plain
    functions over plain structs: no store, no sockets.
*/
#ifndef SAMEN_FINANCE_CONTRIBUTION_H
#define SAMEN_FINANCE_CONTRIBUTION_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  One municipality's contribution in an allocation. */
typedef struct {
    const char *name;       /*  borrowed; for messages */
    int64_t computed_cents; /*  the split's contribution */
    bool has_decided;       /*  the portfolio holders' amount is recorded */
    int64_t decided_cents;  /*  that amount (0..SM_MONEY_MAX) */
    bool paid;              /*  its invoice is paid: the amount can no longer change */
} contribution_row_t;

/*  An allocation's contributions added up. */
typedef struct {
    int64_t cost_cents;       /*  what the contributions are to cover (the split's total) */
    int64_t computed_cents;   /*  the computed contributions added up */
    int64_t invoiced_cents;   /*  decided where decided, else computed, added up */
    int64_t difference_cents; /*  invoiced - computed */
    int64_t balance_cents;    /*  invoiced - cost: below zero a shortfall, above a surplus */
    int differing;            /*  rows whose decided amount differs from the computed one */
} contribution_totals_t;

/*  What a row is invoiced: the decided amount when there is one, else the
    computed one. This function can't fail. */
int64_t contribution_invoiced(const contribution_row_t *row);

/*  Decided minus computed (0 without a decided amount). Can't fail. */
int64_t contribution_difference(const contribution_row_t *row);

/*  Add up count rows against cost_cents. Returns 0 with *out filled, or -1
    with err (field "rows") when a figure is negative or a sum would exceed
    SM_MONEY_MAX. */
int contribution_totals(const contribution_row_t *rows, size_t count, int64_t cost_cents,
                        contribution_totals_t *out, sm_err_t *err);

/*  Record decided_cents for rows[at], checking the decision:
      - a paid invoice keeps its amount: changing it is refused
        (failed_precondition, field "municipality");
      - a decision whose amounts differ from the computed ones needs its
        reason: when after the change any row differs and has_reason is
        false (none given now, none recorded before), it is refused
        (invalid_argument, field "reason"), the message naming the
        difference of this row and in total.
    Returns 0 with rows[at] changed, or -1 with err and rows unchanged. */
int contribution_decide(contribution_row_t *rows, size_t count, size_t at, int64_t decided_cents,
                        bool has_reason, sm_err_t *err);

/*  The balance in words: "a shortfall of EUR 1,000.00", "a surplus of
    EUR 500.00" or "no shortfall or surplus"; into buf (at least 64
    bytes). Returns buf. */
char *contribution_balance_words(int64_t balance_cents, char *buf, size_t size);

#endif
