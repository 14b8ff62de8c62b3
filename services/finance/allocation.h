/*  services/finance/allocation.h - cost sharing between the municipalities.

    `split.compute` shares a total among the member municipalities in
    proportion to their inhabitants on a reference date, rounded to a unit,
    adding up exactly to the total (split.h has the method and the tie
    rule). `allocation.create` does the same and stores the result as a
    named allocation (V1, V2, ...) with one invoice per municipality
    ("V1-GM0402"), which `invoice.pay` marks paid. An allocation is a fact
    once made: a later inhabitant count does not change it.

    Ops: split.compute, allocation.create, allocation.list, allocation.get,
         invoice.pay
    Events: finance.allocation.created {id, name, total_cents, unit_cents, as_of}
            finance.invoice.paid {allocation, invoice, municipality, amount_cents, paid_on}
*/
#ifndef SAMEN_FINANCE_ALLOCATION_H
#define SAMEN_FINANCE_ALLOCATION_H

#include "../../common/service.h"

/*  Longest allocation name, in bytes. */
#define ALLOCATION_NAME_MAX 120

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_split_compute(sm_ctx_t *ctx, const msgpack_object *args);
int op_allocation_create(sm_ctx_t *ctx, const msgpack_object *args);
int op_allocation_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_allocation_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_invoice_pay(sm_ctx_t *ctx, const msgpack_object *args);

#endif
