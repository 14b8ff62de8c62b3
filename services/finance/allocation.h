/*  services/finance/allocation.h - cost sharing between the municipalities.

    `split.compute` shares a total among the member municipalities in
    proportion to their inhabitants on a reference date, rounded to a unit,
    adding up exactly to the total (split.h has the method and the tie
    rule). `allocation.create` does the same and stores the result as a
    named allocation (V1, V2, ...) with one invoice per municipality
    ("V1-GM0402"), which `invoice.pay` marks paid. An allocation is a fact
    once made: a later inhabitant count does not change it.

    The portfolio holders then decide the contributions; `allocation.decide`
    records a decided amount beside the computed one, per municipality, with
    the decision's reason (wanted once, when a decided amount differs) and
    its day and reference. What is invoiced is what was decided
    (contribution.h has the rules). An allocation may name the budget
    year(s) it pays for (year, to_year): the budget of such a year shows the
    contributions as decided against the cost, its shortfall or surplus.

    Ops: split.compute, allocation.create, allocation.list, allocation.get,
         allocation.decide, invoice.pay
    Events: finance.allocation.created {id, name, total_cents, unit_cents, as_of}
            finance.allocation.decided {allocation, municipality, computed_cents,
                                        decided_cents, difference_cents, decided_on}
            finance.invoice.paid {allocation, invoice, municipality, amount_cents, paid_on}
*/
#ifndef SAMEN_FINANCE_ALLOCATION_H
#define SAMEN_FINANCE_ALLOCATION_H

#include "common/service.h"
#include <stdbool.h>

/*  Longest allocation name, in bytes. */
#define ALLOCATION_NAME_MAX 120

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_split_compute(sm_ctx_t *ctx, const msgpack_object *args);
int op_allocation_create(sm_ctx_t *ctx, const msgpack_object *args);
int op_allocation_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_allocation_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_allocation_decide(sm_ctx_t *ctx, const msgpack_object *args);
int op_invoice_pay(sm_ctx_t *ctx, const msgpack_object *args);

/*  One allocation's contributions added up, for the budget. */
typedef struct {
    uint64_t id;
    char name[4 * ALLOCATION_NAME_MAX + 1];
    bool has_year;       /*  it names the budget year(s) it pays for */
    int year, to_year;   /*  those years (to_year = year for one year) */
    int64_t cost_cents;     /*  the total shared: what the contributions are to cover */
    int64_t computed_cents; /*  the computed contributions */
    int64_t invoiced_cents; /*  the contributions as decided (computed where undecided) */
    int64_t balance_cents;  /*  invoiced - cost: below zero a shortfall */
    int64_t paid_cents;     /*  of the invoiced, paid */
} alloc_summary_t;

/*  Visit an allocation: 0 to go on, 1 to stop, -1 on error (ctx error set). */
typedef int(alloc_visit_fn)(sm_ctx_t *ctx, const alloc_summary_t *a, void *arg);

/*  Visit every allocation in ID order. Returns 0, or -1 when a visit or
    the store failed. */
int alloc_each(sm_ctx_t *ctx, alloc_visit_fn *visit, void *arg);

#endif
