/*  services/finance/expense_rules.h - what an expense does to its budget line.

    An expense is booked against a budget line in one of five categories
    (the programme's activity costs: facilitators, expertise, catering,
    rooms, other). It is either committed (agreed, e.g. a room booked or a
    facilitator hired, not yet invoiced) or spent. A committed expense is
    later settled, at the invoiced amount which may differ from what was
    committed, or cancelled. Spent and cancelled are final: a wrong booking
    is corrected by a new one, not by rewriting history.

        committed --settle--> spent
            \
             +---cancel---> cancelled

    Each step says how it changes the line's committed and spent totals,
    so that the service applies exactly that and the rules stay testable.
*/
#ifndef SAMEN_FINANCE_EXPENSE_RULES_H
#define SAMEN_FINANCE_EXPENSE_RULES_H

#include "common/err.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum {
    EXPENSE_FACILITATOR = 1, /*  gespreksleider */
    EXPENSE_EXPERTISE,
    EXPENSE_CATERING,
    EXPENSE_ROOM,
    EXPENSE_OTHER
} expense_category_t;

typedef enum { EXPENSE_COMMITTED = 1, EXPENSE_SPENT, EXPENSE_CANCELLED } expense_status_t;

/*  Change to a line's totals, in cents (may be negative). */
typedef struct {
    int64_t committed_cents;
    int64_t spent_cents;
} expense_delta_t;

/*  "facilitator", "expertise", "catering", "room", "other"; "unknown"
    otherwise. Can't fail. */
const char *expense_category_name(expense_category_t c);
/*  Returns 0, or -1 with err (field "category") listing the names. */
int expense_category_parse(const char *text, expense_category_t *c, sm_err_t *err);
/*  "committed", "spent", "cancelled"; "unknown" otherwise. Can't fail. */
const char *expense_status_name(expense_status_t s);
/*  Returns 0, or -1 with err (field "status"). */
int expense_status_parse(const char *text, expense_status_t *s, sm_err_t *err);

/*  Book a new expense of amount_cents (more than zero, at most
    SM_MONEY_MAX), committed or spent. Returns 0 with *status and *delta
    set, or -1 with err (field "amount_cents"). */
int expense_book(int64_t amount_cents, bool committed, expense_status_t *status,
                 expense_delta_t *delta, sm_err_t *err);

/*  Settle a committed expense of committed_cents at actual_cents (more
    than zero). Returns 0 with *status SPENT and *delta (committed down by
    what was committed, spent up by the actual amount), or -1 with err
    (SM_E_FAILED_PRECONDITION, field "expense", when not committed;
    SM_E_INVALID_ARGUMENT, field "amount_cents"). */
int expense_settle(expense_status_t *status, int64_t committed_cents, int64_t actual_cents,
                   expense_delta_t *delta, sm_err_t *err);

/*  Cancel a committed expense of committed_cents. Returns 0 with *status
    CANCELLED and *delta (committed down), or -1 with err
    (SM_E_FAILED_PRECONDITION, field "expense"). */
int expense_cancel(expense_status_t *status, int64_t committed_cents, expense_delta_t *delta,
                   sm_err_t *err);

#endif
