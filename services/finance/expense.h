/*  services/finance/expense.h - actual costs booked against budget lines.

    An expense (X1, X2, ...) is a cost of the programme's activities
    (facilitator, expertise, catering, room, other) booked against a budget
    line and a session (S-id) or a theme (T-id) of scheduling. It is
    committed or spent (expense_rules.h); every booking changes its line's
    committed and spent totals in the same transaction, and a line whose
    use crosses 80% or 100% emits finance.budget.threshold (budget_line.h).
    The description is staff's own text: it stays here and never goes into
    an event.

    Ops: expense.add, expense.settle, expense.cancel, expense.get, expense.list
*/
#ifndef SAMEN_FINANCE_EXPENSE_H
#define SAMEN_FINANCE_EXPENSE_H

#include "../../common/service.h"

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_expense_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_expense_settle(sm_ctx_t *ctx, const msgpack_object *args);
int op_expense_cancel(sm_ctx_t *ctx, const msgpack_object *args);
int op_expense_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_expense_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
