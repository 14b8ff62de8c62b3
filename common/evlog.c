/*  common/evlog.c - the per-service event log. */
#include "evlog.h"
#include <string.h>

uint64_t sm_evlog_last_seq(sm_store_t *store, MDB_txn *txn)
{
    MDB_cursor *cur;
    MDB_val k, v;
    uint64_t seq = 0;
    if (mdb_cursor_open(txn, sm_store_dbi(store, "events"), &cur) != 0)
        return 0;
    if (mdb_cursor_get(cur, &k, &v, MDB_LAST) == 0 && k.mv_size == 8)
        seq = sm_key_u64_decode(k.mv_data);
    mdb_cursor_close(cur);
    return seq;
}

int sm_evlog_append(sm_store_t *store, MDB_txn *txn, uint64_t seq, int64_t ts,
                    const char *topic, const void *data, size_t size, sm_buf_t *out)
{
    sm_buf_reset(out);
    msgpack_pack_map(&out->pk, 4);
    sm_pack_kv_uint(&out->pk, "seq", seq);
    sm_pack_kv_int(&out->pk, "ts", ts);
    sm_pack_kv_str(&out->pk, "type", topic);
    sm_pack_str(&out->pk, "data");
    sm_pack_raw(&out->pk, data, size);
    uint8_t key[8];
    sm_key_u64(seq, key);
    MDB_val k = {8, key}, v = {out->sbuf.size, out->sbuf.data};
    /*  MDB_APPEND: seq only grows, so the B-tree is filled at its right
        edge without searching; a duplicate seq would be a bug and fails. */
    return mdb_put(txn, sm_store_dbi(store, "events"), &k, &v, MDB_APPEND);
}

typedef sm_evlog_epoch_t s_epoch_t;

/*  The epoch fields of an events.read reply, or none when ep->instance is
    NULL. */
static void s_pack_epoch(msgpack_packer *pk, const s_epoch_t *ep)
{
    if (!ep->instance)
        return;
    sm_pack_kv_str(pk, "instance", ep->instance);
    sm_pack_kv_uint(pk, "epoch", ep->epoch);
    sm_pack_kv_uint(pk, "epoch_from", ep->from);
    sm_pack_kv_uint(pk, "epoch_prev", ep->prev);
}

static unsigned s_read(sm_store_t *store, MDB_txn *txn, uint64_t after, unsigned limit,
                       size_t max_bytes, const s_epoch_t *ep, msgpack_packer *pk)
{
    MDB_cursor *cur;
    MDB_val k, v;
    uint8_t key[8];
    unsigned n = 0;
    size_t bytes = 0;
    uint64_t last = sm_evlog_last_seq(store, txn);
    if (after >= last)
        goto empty; /*  nothing after it (and after + 1 must not wrap to 0) */
    /*  First pass: count what fits, so that the array header is right. */
    if (mdb_cursor_open(txn, sm_store_dbi(store, "events"), &cur) != 0)
        goto empty;
    sm_key_u64(after + 1, key);
    k.mv_size = 8;
    k.mv_data = key;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (rc == 0 && n < limit && (n == 0 || bytes + v.mv_size <= max_bytes)) {
        bytes += v.mv_size;
        n++;
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    msgpack_pack_map(pk, ep->instance ? 6 : 2);
    sm_pack_str(pk, "events");
    msgpack_pack_array(pk, n);
    k.mv_size = 8;
    k.mv_data = key;
    rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    for (unsigned i = 0; i < n && rc == 0; i++) {
        sm_pack_raw(pk, v.mv_data, v.mv_size);
        rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    sm_pack_kv_uint(pk, "last_seq", last);
    s_pack_epoch(pk, ep);
    return n;
empty:
    last = sm_evlog_last_seq(store, txn);
    msgpack_pack_map(pk, ep->instance ? 6 : 2);
    sm_pack_str(pk, "events");
    msgpack_pack_array(pk, 0);
    sm_pack_kv_uint(pk, "last_seq", last);
    s_pack_epoch(pk, ep);
    return 0;
}

unsigned sm_evlog_read(sm_store_t *store, MDB_txn *txn, uint64_t after, unsigned limit,
                       size_t max_bytes, msgpack_packer *pk)
{
    s_epoch_t ep = {NULL, 0, 0, 0};
    return s_read(store, txn, after, limit, max_bytes, &ep, pk);
}

unsigned sm_evlog_read_epoch(sm_store_t *store, MDB_txn *txn, uint64_t after, unsigned limit,
                             size_t max_bytes, const sm_evlog_epoch_t *ep, msgpack_packer *pk)
{
    s_epoch_t e = *ep;
    if (!e.instance)
        e.instance = "";
    return s_read(store, txn, after, limit, max_bytes, &e, pk);
}

const char *sm_evlog_follow_check(const char *known_instance, uint64_t known_epoch,
                                  uint64_t cursor, const sm_evlog_epoch_t *said,
                                  uint64_t last_seq)
{
    const char *instance = said ? said->instance : NULL;
    uint64_t epoch = said ? said->epoch : 0;
    bool says = instance && instance[0], known = known_instance && known_instance[0];
    if (says && known && strcmp(known_instance, instance) != 0)
        return SM_FOLLOW_OTHER_STORE;
    if (says && known && known_epoch != epoch) {
        /*  Restored from a copy made in the epoch we know, holding all we
            applied: the same history up to the cursor. */
        if (said->prev == known_epoch && cursor <= said->from && last_seq >= cursor)
            return SM_FOLLOW_ADOPT;
        return SM_FOLLOW_NEW_EPOCH;
    }
    if (last_seq < cursor)
        return SM_FOLLOW_BEHIND;
    if (says && !known)
        return SM_FOLLOW_ADOPT;
    return NULL; /*  the same, or a producer that says nothing of its epoch */
}
