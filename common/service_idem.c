/*  common/service_idem.c - idempotency: a request with a rid is applied at
    most once; its reply is stored under the rid and replayed to a retry.

    Databases (in every service's store):
      idem          rid -> 8-byte BE wall ms, 1 byte op length, op, reply bytes
      idem_by_time  8-byte BE wall ms, rid -> ""  (the stored replies in the
                    order stored: the purge reads the expired ones only)
      idem_by_id    ID, NUL, rid -> ""  (the stored replies that name an ID:
                    erasure reads those only)
    The three change together, in the transaction that stores or drops a
    reply. A store written before the two indexes existed, or by an older
    binary, is indexed again at start (svc_idem_index_check).
*/
#include "common/i18n.h"
#include "common/service_internal.h"

const char *const svc_idem_dbs[] = {"idem_by_time", "idem_by_id", NULL};

/*  Expired replies dropped per transaction, so that a long backlog never
    makes one huge transaction. */
#define S_PURGE_BATCH 2000
/*  The longest rid (PROTOCOL.md §2) and ID (sm_id_format) in a key. */
#define S_RID_MAX 64
#define S_ID_MAX 23

/* ==== The indexes ======================================================= */

/*  True when text[0..len) is an ID as sm_id_format writes it: a capital
    letter and a number without a leading zero ("P12"). */
static bool s_is_id(const char *text, size_t len)
{
    if (len < 2 || len > S_ID_MAX || text[0] < 'A' || text[0] > 'Z' || text[1] < '1' ||
        text[1] > '9')
        return false;
    for (size_t i = 2; i < len; i++)
        if (text[i] < '0' || text[i] > '9')
            return false;
    return true;
}

typedef struct {
    MDB_txn *txn;
    MDB_dbi by_id;
    const char *rid;
    size_t rlen;
    bool del;
    int rc;
} s_ids_t;

/*  sm_msgpack_each_str's visitor: put (or delete) the idem_by_id entry of
    an ID the reply names. */
static void s_index_id(const char *text, size_t len, void *arg)
{
    s_ids_t *x = arg;
    if (x->rc || !s_is_id(text, len))
        return;
    uint8_t key[S_ID_MAX + 1 + S_RID_MAX];
    memcpy(key, text, len);
    key[len] = '\0';
    memcpy(key + len + 1, x->rid, x->rlen);
    MDB_val k = {len + 1 + x->rlen, key}, empty = {0, ""};
    int rc =
        x->del ? mdb_del(x->txn, x->by_id, &k, NULL) : mdb_put(x->txn, x->by_id, &k, &empty, 0);
    if (rc && rc != MDB_NOTFOUND)
        x->rc = rc;
}

/*  Put (del: delete) the index entries of rid's reply stored at ts_be (8
    bytes, as in the value). Returns 0 or an LMDB error code. */
static int s_index(MDB_txn *txn, sm_store_t *store, const char *rid, size_t rlen,
                   const uint8_t *ts_be, const void *reply, size_t rsize, bool del)
{
    if (rlen == 0 || rlen > S_RID_MAX)
        return 0; /*  not a rid we accept: never stored */
    uint8_t tk[8 + S_RID_MAX];
    memcpy(tk, ts_be, 8);
    memcpy(tk + 8, rid, rlen);
    MDB_dbi by_time = sm_store_dbi(store, "idem_by_time");
    MDB_val k = {8 + rlen, tk}, empty = {0, ""};
    int rc = del ? mdb_del(txn, by_time, &k, NULL) : mdb_put(txn, by_time, &k, &empty, 0);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    s_ids_t x = {txn, sm_store_dbi(store, "idem_by_id"), rid, rlen, del, 0};
    sm_msgpack_each_str(reply, rsize, s_index_id, &x);
    return x.rc;
}

/*  The parts of a stored value: *reply and *rsize; false when damaged. */
static bool s_parts(const uint8_t *val, size_t vlen, const uint8_t **reply, size_t *rsize)
{
    if (vlen < 9 || vlen < 9u + val[8])
        return false;
    *reply = val + 9 + val[8];
    *rsize = vlen - 9 - val[8];
    return true;
}

/*  Drop rid's stored reply and its index entries. Returns 0 (also when
    there is none) or an LMDB error code. */
static int s_drop(MDB_txn *txn, sm_store_t *store, const char *rid, size_t rlen)
{
    MDB_dbi idem = sm_store_dbi(store, "idem");
    MDB_val k = {rlen, (void *)rid}, v;
    int rc = mdb_get(txn, idem, &k, &v);
    if (rc)
        return rc == MDB_NOTFOUND ? 0 : rc;
    /*  A copy: the page under v may move once the indexes change. */
    uint8_t *val = malloc(v.mv_size ? v.mv_size : 1);
    if (!val)
        return ENOMEM;
    memcpy(val, v.mv_data, v.mv_size);
    const uint8_t *reply;
    size_t rsize;
    if (s_parts(val, v.mv_size, &reply, &rsize))
        rc = s_index(txn, store, rid, rlen, val, reply, rsize, true);
    if (!rc)
        rc = mdb_del(txn, idem, &k, NULL);
    free(val);
    return rc;
}

/* ==== Storing and replaying ============================================= */

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
    sm_store_t *store = ctx->svc->store;
    size_t oplen = strlen(r->op_name), rlen = strlen(r->rid);
    /*  MDB_RESERVE: the value is written in place in the page, with no
        buffer of our own to fill and copy. */
    MDB_val k = {rlen, r->rid}, v = {9 + oplen + r->reply.sbuf.size, NULL};
    MDB_dbi idem = sm_ctx_dbi(ctx, "idem");
    int rc = mdb_put(ctx->txn, idem, &k, &v, MDB_RESERVE | MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) {
        /*  Only a damaged entry is overwritten (a readable one was
            replayed): its index entries go with it. */
        v.mv_size = 9 + oplen + r->reply.sbuf.size;
        if ((rc = s_drop(ctx->txn, store, r->rid, rlen)) == 0)
            rc = mdb_put(ctx->txn, idem, &k, &v, MDB_RESERVE);
    }
    if (rc)
        return svc_lmdb_fail(ctx, rc, "write");
    uint8_t *val = v.mv_data, ts[8];
    sm_key_u64((uint64_t)ctx->now_ms, ts);
    memcpy(val, ts, 8);
    val[8] = (uint8_t)oplen;
    memcpy(val + 9, r->op_name, oplen);
    memcpy(val + 9 + oplen, r->reply.sbuf.data, r->reply.sbuf.size);
    rc = s_index(ctx->txn, store, r->rid, rlen, ts, r->reply.sbuf.data, r->reply.sbuf.size, false);
    return rc ? svc_lmdb_fail(ctx, rc, "write") : 0;
}

/* ==== Forgetting ======================================================== */

typedef struct {
    const char *id;
    size_t len;
    bool found;
} s_names_t;

static void s_names_visit(const char *text, size_t len, void *arg)
{
    s_names_t *x = arg;
    if (len == x->len && memcmp(text, x->id, len) == 0)
        x->found = true;
}

int svc_idem_forget(sm_ctx_t *ctx, const char *id)
{
    size_t len = strlen(id);
    if (!s_is_id(id, len))
        return 0; /*  only IDs are indexed (and only they are asked for) */
    uint8_t start[S_ID_MAX + 1];
    memcpy(start, id, len);
    start[len] = '\0';
    /*  The rids first, then the drops: the cursor's database changes. */
    char(*rids)[S_RID_MAX + 1] = NULL;
    size_t n = 0, cap = 0;
    MDB_cursor *cur;
    MDB_val k = {len + 1, start}, v;
    if (mdb_cursor_open(ctx->txn, sm_ctx_dbi(ctx, "idem_by_id"), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read stored replies"));
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size <= len + 1 || memcmp(k.mv_data, start, len + 1) != 0)
            break;
        size_t rlen = k.mv_size - len - 1;
        if (rlen > S_RID_MAX)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            void *p = realloc(rids, ncap * sizeof *rids);
            if (!p) {
                mdb_cursor_close(cur);
                free(rids);
                return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            }
            rids = p;
            cap = ncap;
        }
        memcpy(rids[n], (const char *)k.mv_data + len + 1, rlen);
        rids[n++][rlen] = '\0';
    }
    mdb_cursor_close(cur);
    int dropped = 0;
    for (size_t i = 0; i < n; i++) {
        /*  The stored reply must name the ID itself: an index entry left
            without its reply (it cannot be, but a damaged store can) only
            goes itself, and never takes a newer reply under the same rid. */
        MDB_val rk = {strlen(rids[i]), rids[i]}, rv;
        const uint8_t *reply;
        size_t rsize;
        s_names_t x = {id, len, false};
        int rc = mdb_get(ctx->txn, sm_ctx_dbi(ctx, "idem"), &rk, &rv);
        if (rc == 0 && s_parts(rv.mv_data, rv.mv_size, &reply, &rsize))
            sm_msgpack_each_str(reply, rsize, s_names_visit, &x);
        if (rc == 0 && x.found) {
            rc = s_drop(ctx->txn, ctx->svc->store, rids[i], rk.mv_size);
            dropped += rc == 0;
        } else if (rc == 0 || rc == MDB_NOTFOUND) {
            uint8_t key[S_ID_MAX + 1 + S_RID_MAX];
            memcpy(key, start, len + 1);
            memcpy(key + len + 1, rids[i], rk.mv_size);
            MDB_val ik = {len + 1 + rk.mv_size, key};
            rc = mdb_del(ctx->txn, sm_ctx_dbi(ctx, "idem_by_id"), &ik, NULL);
        }
        if (rc && rc != MDB_NOTFOUND) {
            free(rids);
            return svc_lmdb_fail(ctx, rc, "forgetting stored replies");
        }
    }
    free(rids);
    return dropped;
}

/* ==== Expiry ============================================================ */

/*  Drop stored replies older than the TTL, oldest first, in transactions
    of their own of at most S_PURGE_BATCH: the work is the expired replies,
    not the table. */
void svc_idem_purge(sm_service_t *svc)
{
    int64_t cutoff = svc_wall_ms() - svc->idem_ttl_ms;
    size_t dropped = 0;
    uint8_t end[8];
    sm_key_u64(cutoff > 0 ? (uint64_t)cutoff : 0, end);
    for (;;) {
        MDB_txn *txn;
        MDB_cursor *cur;
        MDB_val k, v;
        if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
            return;
        MDB_dbi by_time = sm_store_dbi(svc->store, "idem_by_time");
        if (mdb_cursor_open(txn, by_time, &cur) != 0) {
            mdb_txn_abort(txn);
            return;
        }
        uint8_t(*keys)[8 + S_RID_MAX] = malloc(S_PURGE_BATCH * sizeof *keys);
        size_t klen[S_PURGE_BATCH], n = 0;
        for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); keys && rc == 0 && n < S_PURGE_BATCH;
             rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
            if (k.mv_size <= 8 || k.mv_size > sizeof *keys || memcmp(k.mv_data, end, 8) >= 0)
                break;
            klen[n] = k.mv_size;
            memcpy(keys[n], k.mv_data, k.mv_size);
            n++;
        }
        mdb_cursor_close(cur);
        int rc = 0;
        for (size_t i = 0; i < n && !rc; i++) {
            /*  Drop the reply if it is the one stored at that time; an
                entry whose reply is gone (or was stored again later) only
                goes itself. */
            const char *rid = (const char *)keys[i] + 8;
            MDB_val rk = {klen[i] - 8, (void *)rid}, rv;
            rc = mdb_get(txn, sm_store_dbi(svc->store, "idem"), &rk, &rv);
            if (rc == 0 && rv.mv_size >= 8 && memcmp(rv.mv_data, keys[i], 8) == 0) {
                rc = s_drop(txn, svc->store, rid, rk.mv_size);
                dropped += rc == 0;
            } else if (rc == 0 || rc == MDB_NOTFOUND) {
                MDB_val tk = {klen[i], keys[i]};
                rc = mdb_del(txn, by_time, &tk, NULL);
                rc = rc == MDB_NOTFOUND ? 0 : rc;
            }
        }
        free(keys);
        if (rc || mdb_txn_commit(txn) != 0) {
            if (rc)
                mdb_txn_abort(txn);
            sm_warn("expired idempotency entries not dropped", "err=%s",
                    mdb_strerror(rc ? rc : EIO));
            return;
        }
        if (n < S_PURGE_BATCH)
            break;
    }
    if (dropped)
        sm_info("idempotency entries expired", "count=%zu", dropped);
}

/* ==== Indexing a store at start ========================================= */

/*  (Re)build both indexes from idem in txn. Returns 0 or an LMDB error. */
static int s_index_all(MDB_txn *txn, sm_store_t *store, size_t *count)
{
    MDB_cursor *cur;
    MDB_val k, v;
    int rc;
    *count = 0;
    if ((rc = mdb_drop(txn, sm_store_dbi(store, "idem_by_time"), 0)) ||
        (rc = mdb_drop(txn, sm_store_dbi(store, "idem_by_id"), 0)) ||
        (rc = mdb_cursor_open(txn, sm_store_dbi(store, "idem"), &cur)))
        return rc;
    uint8_t *copy = NULL;
    size_t cap = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        const uint8_t *reply;
        size_t rsize;
        if (k.mv_size == 0 || k.mv_size > S_RID_MAX ||
            !s_parts(v.mv_data, v.mv_size, &reply, &rsize)) {
            /*  Damaged (a lookup treats it as absent): it goes, so that the
                counts agree from now on. */
            if ((rc = mdb_cursor_del(cur, 0)))
                break;
            continue;
        }
        /*  Copies: the pages under k and v may move as the indexes grow. */
        if (k.mv_size + v.mv_size > cap) {
            cap = (k.mv_size + v.mv_size) * 2;
            uint8_t *p = realloc(copy, cap);
            if (!p) {
                rc = ENOMEM;
                break;
            }
            copy = p;
        }
        memcpy(copy, k.mv_data, k.mv_size);
        memcpy(copy + k.mv_size, v.mv_data, v.mv_size);
        const uint8_t *val = copy + k.mv_size;
        if ((rc = s_index(txn, store, (const char *)copy, k.mv_size, val,
                          val + (reply - (const uint8_t *)v.mv_data), rsize, false)))
            break;
        ++*count;
    }
    mdb_cursor_close(cur);
    free(copy);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int svc_idem_index_check(sm_service_t *svc, sm_err_t *err)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        MDB_txn *txn;
        MDB_stat replies, by_time;
        if (sm_store_begin(svc->store, true, &txn, err) != 0)
            return -1;
        mdb_stat(txn, sm_store_dbi(svc->store, "idem"), &replies);
        mdb_stat(txn, sm_store_dbi(svc->store, "idem_by_time"), &by_time);
        /*  Every stored reply has one entry in idem_by_time: equal counts
            mean this binary kept them. Otherwise (a store of an older
            schema, or one an older binary wrote to) index it again. */
        if (replies.ms_entries == by_time.ms_entries) {
            mdb_txn_abort(txn);
            return 0;
        }
        size_t count = 0;
        int rc = s_index_all(txn, svc->store, &count);
        if (rc == 0)
            rc = mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
        if (rc == MDB_MAP_FULL && sm_store_grow(svc->store, err) == 0)
            continue;
        if (rc)
            return sm_err_set(err, SM_E_INTERNAL, NULL,
                              _("cannot index the stored replies (idem): %s"), mdb_strerror(rc));
        sm_info("stored replies indexed", "replies=%zu", count);
        return 0;
    }
    return sm_err_set(err, SM_E_INTERNAL, NULL,
                      _("cannot index the stored replies: the store is full"));
}
