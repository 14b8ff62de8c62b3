/*  services/scheduling/index.c - key layout and secondary indexes. See index.h. */
#include "index.h"
#include <stdlib.h>
#include <string.h>

void index_pair_key(uint64_t a, uint64_t b, uint8_t out[16])
{
    sm_key_u64(a, out);
    sm_key_u64(b, out + 8);
}

int index_pair_put(sm_ctx_t *ctx, const char *db, uint64_t a, uint64_t b)
{
    uint8_t k[16];
    index_pair_key(a, b, k);
    return sm_ctx_put(ctx, sm_ctx_dbi(ctx, db), k, sizeof k, "", 0);
}

int index_pair_del(sm_ctx_t *ctx, const char *db, uint64_t a, uint64_t b)
{
    uint8_t k[16];
    index_pair_key(a, b, k);
    return sm_ctx_del(ctx, sm_ctx_dbi(ctx, db), k, sizeof k);
}

/*  Collect the trailing 8-byte ids of every key in db that starts with
    prefix[0..plen) and is exactly plen + 8 bytes long. Returns the count or
    -1 with the ctx error set. */
static long s_scan(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen,
                   uint64_t **out)
{
    MDB_cursor *cur;
    *out = NULL;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read the %s index", db);
    uint8_t start[INDEX_FACILITATOR_MAX + 16];
    memcpy(start, prefix, plen);
    memset(start + plen, 0, 8);
    MDB_val k = {plen + 8, start}, v;
    long n = 0, cap = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
            break;
        if (k.mv_size != plen + 8)
            continue; //  a longer facilitator that shares this prefix
        if (n == cap) {
            long grown = cap ? cap * 2 : 16;
            uint64_t *more = realloc(*out, (size_t)grown * sizeof *more);
            if (!more) {
                mdb_cursor_close(cur);
                free(*out);
                *out = NULL;
                return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
            }
            *out = more;
            cap = grown;
        }
        (*out)[n++] = sm_key_u64_decode((const uint8_t *)k.mv_data + plen);
    }
    mdb_cursor_close(cur);
    return n;
}

long index_pair_list(sm_ctx_t *ctx, const char *db, uint64_t a, uint64_t **out)
{
    uint8_t prefix[8];
    sm_key_u64(a, prefix);
    return s_scan(ctx, db, prefix, sizeof prefix, out);
}

/*  The facilitator's prefix: lower-cased text and a NUL. Returns its length. */
static size_t s_facilitator_prefix(const char *facilitator, uint8_t *out)
{
    size_t n = 0;
    for (const char *p = facilitator; *p && n < INDEX_FACILITATOR_MAX; p++)
        out[n++] = (uint8_t)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
    out[n++] = 0;
    return n;
}

int index_facilitator_put(sm_ctx_t *ctx, const char *facilitator, uint64_t session_id)
{
    uint8_t k[INDEX_FACILITATOR_MAX + 16];
    size_t n = s_facilitator_prefix(facilitator, k);
    sm_key_u64(session_id, k + n);
    return sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_FACILITATOR_SESSIONS), k, n + 8, "", 0);
}

int index_facilitator_del(sm_ctx_t *ctx, const char *facilitator, uint64_t session_id)
{
    uint8_t k[INDEX_FACILITATOR_MAX + 16];
    size_t n = s_facilitator_prefix(facilitator, k);
    sm_key_u64(session_id, k + n);
    return sm_ctx_del(ctx, sm_ctx_dbi(ctx, DB_FACILITATOR_SESSIONS), k, n + 8);
}

long index_facilitator_list(sm_ctx_t *ctx, const char *facilitator, uint64_t **out)
{
    uint8_t prefix[INDEX_FACILITATOR_MAX + 8];
    size_t n = s_facilitator_prefix(facilitator, prefix);
    return s_scan(ctx, DB_FACILITATOR_SESSIONS, prefix, n, out);
}
