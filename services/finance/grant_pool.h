/*  services/finance/grant_pool.h - the pools that grants are awarded from.

    A pool (K1, K2, ...) holds a year's money for residents' initiatives:
    one district's small pool, the city-wide pool or an earmarked part
    (grant.h). The pool record keeps the sum of the awards standing in it
    and of what was paid, updated in the same transaction as each
    decision; since the service applies write requests one after another
    inside its write transaction, two decisions arriving at the same
    moment each see the other's award, and a pool is never over-awarded.

    Ops: grant.pool.add, grant.pool.get, grant.pool.list
*/
#ifndef SAMEN_FINANCE_GRANT_POOL_H
#define SAMEN_FINANCE_GRANT_POOL_H

#include "common/service.h"
#include "grant.h"

/*  Longest district, earmark and name, in characters (proto/ops_finance.c),
    and the bytes that takes in UTF-8. */
#define POOL_TEXT_MAX 120
#define POOL_TEXT_SIZE (4 * POOL_TEXT_MAX + 1)

typedef struct {
    uint64_t id;
    grant_pool_kind_t kind;
    int year;
    int64_t amount_cents;
    int64_t awarded_cents; /*  awards standing */
    int64_t paid_cents;
    char district[POOL_TEXT_SIZE]; /*  "" unless a district pool */
    char earmark[POOL_TEXT_SIZE];  /*  "" unless earmarked */
    char name[POOL_TEXT_SIZE];
} pool_rec_t;

/*  Load pool id. Returns 1, 0 not found, -1 error (ctx error set). */
int pool_load(sm_ctx_t *ctx, uint64_t id, pool_rec_t *out);

/*  Load the pool the request's argument key names (a K-id); not_found
    when unknown. Returns 0 or -1 (ctx error set). */
int pool_require(sm_ctx_t *ctx, const char *key, pool_rec_t *out);

/*  Change a pool's awarded and paid sums by the given deltas. Returns 0
    or -1 (ctx error set). */
int pool_book(sm_ctx_t *ctx, uint64_t id, int64_t d_awarded, int64_t d_paid);

/*  Op handlers (arguments, data and errors in proto/ops-finance.md): each
    returns 0 with its reply packed, or -1 with the context's error set (its
    writes are then undone). */
int op_grant_pool_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_pool_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_grant_pool_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
