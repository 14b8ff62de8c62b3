/*  common/service_idem.c - idempotency: a request with a rid is applied at
    most once; its reply is stored under the rid and replayed to a retry. */
#include "common/i18n.h"
#include "common/service_internal.h"

/* ==== Idempotency ======================================================= */

/*  idem value: 8-byte BE wall ms, 1 byte op length, op, reply bytes. */
int svc_idem_lookup(sm_ctx_t *ctx, request_t *r, bool *hit)
{
    MDB_val v;
    *hit = false;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, "idem"), r->rid, strlen(r->rid), &v);
    if (rc <= 0)
        return rc;
    const uint8_t *p = v.mv_data;
    if (v.mv_size < 9 || v.mv_size < 9u + p[8])
        return 0; /*  damaged entry: treat as absent */
    size_t oplen = p[8];
    if (oplen != strlen(r->op_name) || memcmp(p + 9, r->op_name, oplen) != 0)
        return sm_ctx_fail(ctx, SM_E_CONFLICT, "rid",
                           _("request id %s was already used for op %.*s; use a new rid for a "
                             "new request"),
                           r->rid, (int)oplen, (const char *)(p + 9));
    sm_buf_reset(&r->reply);
    sm_pack_raw(&r->reply.pk, p + 9 + oplen, v.mv_size - 9 - oplen);
    *hit = true;
    return 1;
}

int svc_idem_store(sm_ctx_t *ctx, request_t *r)
{
    size_t oplen = strlen(r->op_name);
    size_t n = 9 + oplen + r->reply.sbuf.size;
    uint8_t *val = malloc(n);
    if (!val)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_key_u64((uint64_t)ctx->now_ms, val);
    val[8] = (uint8_t)oplen;
    memcpy(val + 9, r->op_name, oplen);
    memcpy(val + 9 + oplen, r->reply.sbuf.data, r->reply.sbuf.size);
    int rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, "idem"), r->rid, strlen(r->rid), val, n);
    free(val);
    return rc;
}

/*  Drop stored replies older than the TTL. Runs in its own transaction. */
void svc_idem_purge(sm_service_t *svc)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    size_t dropped = 0;
    int64_t cutoff = svc_wall_ms() - svc->idem_ttl_ms;
    if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
        return;
    if (mdb_cursor_open(txn, sm_store_dbi(svc->store, "idem"), &cur) == 0) {
        int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
        while (rc == 0) {
            if (v.mv_size >= 8 && (int64_t)sm_key_u64_decode(v.mv_data) < cutoff) {
                mdb_cursor_del(cur, 0);
                dropped++;
            }
            rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
        }
        mdb_cursor_close(cur);
    }
    if (mdb_txn_commit(txn) == 0 && dropped)
        sm_info("idempotency entries expired", "count=%zu", dropped);
}

