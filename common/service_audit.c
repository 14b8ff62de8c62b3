/*  common/service_audit.c - the audit log: who did what, when, to which
    IDs, with what outcome.

    Each service keeps its own, in its own store:
      audit      entry number (8-byte big-endian) -> MessagePack map
                 {n, ts, key, roles, service, op, ids, more, outcome, rid}
      audit_ids  ID text, NUL, entry number -> "" (the entries about an ID)
    An entry is written in the same transaction as the effect it records
    (service_loop.c), and never changed afterwards: no op deletes or edits
    one. Entries older than `audit_retention_days` are pruned, oldest
    first. Entries hold key names, roles, op names, IDs and outcomes, never
    a personal value: arguments are not recorded, only the IDs among them.
*/
#include "common/i18n.h"
#include "common/service_internal.h"

const char *const svc_audit_dbs[] = {"audit", "audit_ids", NULL};

/*  Entries pruned per transaction, so that a long backlog never makes one
    huge transaction. */
#define S_PRUNE_BATCH 5000

/* ==== Collecting IDs ===================================================== */

void svc_audit_add(audit_ids_t *ids, const char *id)
{
    if (!id || !id[0] || strlen(id) >= sizeof ids->ids[0])
        return;
    for (size_t i = 0; i < ids->n; i++)
        if (strcmp(ids->ids[i], id) == 0)
            return;
    if (ids->n >= SM_AUDIT_MAX_IDS) {
        ids->more = true;
        return;
    }
    if (ids->n == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 8;
        char(*p)[24] = realloc(ids->ids, cap * sizeof *p);
        if (!p) {
            ids->more = true;
            return;
        }
        ids->ids = p;
        ids->cap = cap;
    }
    snprintf(ids->ids[ids->n++], sizeof ids->ids[0], "%s", id);
}

void svc_audit_free(audit_ids_t *ids)
{
    free(ids->ids);
    memset(ids, 0, sizeof *ids);
}

/* ==== Writing ============================================================ */

/*  The key of an audit_ids entry: id, NUL, the entry number. */
static size_t s_index_key(const char *id, uint64_t n, uint8_t *key)
{
    size_t len = strlen(id);
    memcpy(key, id, len);
    key[len] = '\0';
    sm_key_u64(n, key + len + 1);
    return len + 9;
}

int svc_audit_append(sm_service_t *svc, MDB_txn *txn, const request_t *r, int64_t now_ms)
{
    uint64_t n = sm_meta_u64(svc->store, txn, "audit_next") + 1;
    int rc = sm_meta_put_u64(svc->store, txn, "audit_next", n);
    if (rc)
        return rc;
    sm_buf_t *b = &svc->scratch; /*  reused: an entry costs no allocation */
    if (!b->pk.callback)
        sm_buf_init(b);
    sm_buf_reset(b);
    msgpack_packer *pk = &b->pk;
    msgpack_pack_map(pk, 10);
    sm_pack_kv_uint(pk, "n", n);
    sm_pack_kv_int(pk, "ts", now_ms);
    sm_pack_kv_str(pk, "key", r->caller_key[0] ? r->caller_key : "-");
    sm_pack_str(pk, "roles");
    size_t nroles = 0;
    for (size_t i = 0; sm_roles_all[i]; i++)
        nroles += (r->caller_roles & sm_roles_all[i]) != 0;
    msgpack_pack_array(pk, nroles);
    for (size_t i = 0; sm_roles_all[i]; i++)
        if (r->caller_roles & sm_roles_all[i])
            sm_pack_str(pk, sm_role_name(sm_roles_all[i]));
    sm_pack_kv_str(pk, "service", svc->def->name);
    sm_pack_kv_str(pk, "op", r->op_name);
    sm_pack_str(pk, "ids");
    msgpack_pack_array(pk, r->audit.n);
    for (size_t i = 0; i < r->audit.n; i++)
        sm_pack_str(pk, r->audit.ids[i]);
    sm_pack_kv_bool(pk, "more", r->audit.more);
    sm_pack_kv_str(pk, "outcome", r->outcome[0] ? r->outcome : "-");
    sm_pack_kv_str(pk, "rid", r->rid[0] ? r->rid : NULL);
    uint8_t key[8];
    sm_key_u64(n, key);
    MDB_val k = {8, key}, v = {b->sbuf.size, b->sbuf.data};
    rc = mdb_put(txn, sm_store_dbi(svc->store, "audit"), &k, &v, MDB_APPEND);
    if (rc == MDB_KEYEXIST) /*  numbers only grow; a clash means the meta was reset */
        rc = mdb_put(txn, sm_store_dbi(svc->store, "audit"), &k, &v, 0);
    svc_buf_recycle(b);
    for (size_t i = 0; !rc && i < r->audit.n; i++) {
        uint8_t ik[40];
        MDB_val ikv = {s_index_key(r->audit.ids[i], n, ik), ik}, empty = {0, ""};
        rc = mdb_put(txn, sm_store_dbi(svc->store, "audit_ids"), &ikv, &empty, 0);
    }
    return rc;
}

/* ==== Pruning ============================================================ */

void svc_audit_prune(sm_service_t *svc)
{
    int64_t cutoff = svc_wall_ms() - svc->audit_retention_ms;
    size_t dropped = 0;
    for (;;) {
        MDB_txn *txn;
        MDB_cursor *cur;
        MDB_val k, v;
        size_t batch = 0;
        bool more = false;
        if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
            return;
        if (mdb_cursor_open(txn, sm_store_dbi(svc->store, "audit"), &cur) != 0) {
            mdb_txn_abort(txn);
            return;
        }
        int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
        while (rc == 0) {
            sm_doc_t *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
            int64_t ts = 0;
            if (doc)
                sm_get_int(sm_doc_root(doc), "ts", false, INT64_MIN, INT64_MAX, &ts, NULL);
            if (ts >= cutoff) {
                sm_doc_destroy(&doc);
                break;
            }
            if (batch == S_PRUNE_BATCH) {
                more = true;
                sm_doc_destroy(&doc);
                break;
            }
            uint64_t n = k.mv_size == 8 ? sm_key_u64_decode(k.mv_data) : 0;
            const msgpack_object *ids = doc ? sm_map_get(sm_doc_root(doc), "ids") : NULL;
            for (uint32_t i = 0; ids && ids->type == MSGPACK_OBJECT_ARRAY && i < ids->via.array.size;
                 i++) {
                char id[24];
                const msgpack_object *o = &ids->via.array.ptr[i];
                if (o->type != MSGPACK_OBJECT_STR || o->via.str.size >= sizeof id)
                    continue;
                memcpy(id, o->via.str.ptr, o->via.str.size);
                id[o->via.str.size] = '\0';
                uint8_t ik[40];
                MDB_val ikv = {s_index_key(id, n, ik), ik};
                mdb_del(txn, sm_store_dbi(svc->store, "audit_ids"), &ikv, NULL);
            }
            sm_doc_destroy(&doc);
            mdb_cursor_del(cur, 0);
            batch++;
            rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); /*  the oldest goes first */
        }
        mdb_cursor_close(cur);
        if (mdb_txn_commit(txn) != 0)
            return;
        dropped += batch;
        if (!more)
            break;
    }
    if (dropped)
        sm_info("audit log entries past retention pruned", "count=%zu", dropped);
}

/* ==== Reading ============================================================ */

/*  Unix ms of midnight (Europe/Amsterdam) at the start of day d. */
static int64_t s_day_start_ms(sm_date_t d)
{
    int64_t utc = sm_date_to_days(d) * 86400000LL;
    return utc - (int64_t)sm_amsterdam_offset(utc) * 1000;
}

typedef struct {
    const char *who, *op;
    int64_t since_ms, until_ms; /*  [since, until) */
} s_filter_t;

/*  True when the stored entry v passes f. */
static bool s_match(const MDB_val *v, const s_filter_t *f, int64_t *ts_out)
{
    *ts_out = 0;
    sm_doc_t *doc = sm_doc_parse(v->mv_data, v->mv_size, NULL);
    if (!doc)
        return false;
    const msgpack_object *e = sm_doc_root(doc);
    int64_t ts = 0;
    sm_get_int(e, "ts", false, INT64_MIN, INT64_MAX, &ts, NULL);
    *ts_out = ts;
    bool ok = ts >= f->since_ms && ts < f->until_ms &&
              (!f->who || sm_obj_streq(sm_map_get(e, "key"), f->who)) &&
              (!f->op || sm_obj_streq(sm_map_get(e, "op"), f->op));
    sm_doc_destroy(&doc);
    return ok;
}

int svc_op_audit_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_service_t *svc = ctx->svc;
    s_filter_t f = {sm_arg_str(ctx, "who"), sm_arg_str(ctx, "op"), INT64_MIN, INT64_MAX};
    sm_date_t d;
    if (sm_arg_date(ctx, "since", &d))
        f.since_ms = s_day_start_ms(d);
    if (sm_arg_date(ctx, "until", &d))
        f.until_ms = s_day_start_ms(sm_date_add_days(d, 1));
    const char *id = sm_arg_str(ctx, "id");
    uint64_t after = (uint64_t)sm_arg_int(ctx, "after", 0);
    int64_t limit = sm_arg_int(ctx, "limit", 100);
    MDB_dbi audit = sm_store_dbi(svc->store, "audit");
    MDB_cursor *cur;
    if (mdb_cursor_open(ctx->txn, id ? sm_store_dbi(svc->store, "audit_ids") : audit, &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the audit log"));
    sm_buf_t rows;
    sm_buf_init(&rows);
    int64_t count = 0;
    uint64_t last = 0;
    bool more = false;
    uint8_t start[40];
    MDB_val k, v;
    size_t plen = 0;
    if (id) {
        plen = strlen(id) + 1;
        k.mv_size = s_index_key(id, after + 1, start);
    } else {
        sm_key_u64(after + 1, start);
        k.mv_size = 8;
    }
    k.mv_data = start;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        uint64_t n;
        MDB_val entry;
        if (id) {
            if (k.mv_size != plen + 8 || memcmp(k.mv_data, start, plen) != 0)
                break;
            n = sm_key_u64_decode((const uint8_t *)k.mv_data + plen);
            uint8_t ek[8];
            sm_key_u64(n, ek);
            MDB_val ekv = {8, ek};
            if (mdb_get(ctx->txn, audit, &ekv, &entry) != 0)
                continue;
        } else {
            n = sm_key_u64_decode(k.mv_data);
            entry = v;
        }
        int64_t ts;
        if (!s_match(&entry, &f, &ts)) {
            if (!id && ts >= f.until_ms)
                break; /*  entries are in time order */
            continue;
        }
        if (count == limit) {
            more = true;
            break;
        }
        sm_pack_raw(&rows.pk, entry.mv_data, entry.mv_size);
        count++;
        last = n;
    }
    mdb_cursor_close(cur);
    msgpack_pack_map(ctx->reply, 2);
    sm_pack_str(ctx->reply, "entries");
    msgpack_pack_array(ctx->reply, (size_t)count);
    if (rows.sbuf.size)
        sm_pack_raw(ctx->reply, rows.sbuf.data, rows.sbuf.size);
    sm_pack_str(ctx->reply, "next");
    if (more)
        msgpack_pack_uint64(ctx->reply, last);
    else
        msgpack_pack_nil(ctx->reply);
    sm_buf_free(&rows);
    return 0;
}

void sm_ctx_audit_pack_for(sm_ctx_t *ctx, msgpack_packer *pk, const char *id, int limit)
{
    sm_service_t *svc = ctx->svc;
    MDB_dbi audit = sm_store_dbi(svc->store, "audit");
    MDB_cursor *cur;
    uint8_t start[40];
    size_t plen = strlen(id) + 1;
    if (plen > 24 || limit <= 0 ||
        mdb_cursor_open(ctx->txn, sm_store_dbi(svc->store, "audit_ids"), &cur) != 0) {
        msgpack_pack_array(pk, 0);
        return;
    }
    /*  The newest `limit` entries: walk back from the end of the prefix. */
    MDB_val k = {s_index_key(id, UINT64_MAX, start), start}, v;
    uint64_t *ns = calloc((size_t)limit, sizeof *ns);
    int count = 0;
    int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    rc = rc == 0 ? mdb_cursor_get(cur, &k, &v, MDB_PREV) : mdb_cursor_get(cur, &k, &v, MDB_LAST);
    for (; ns && rc == 0 && count < limit; rc = mdb_cursor_get(cur, &k, &v, MDB_PREV)) {
        if (k.mv_size != plen + 8 || memcmp(k.mv_data, start, plen) != 0)
            break;
        ns[count++] = sm_key_u64_decode((const uint8_t *)k.mv_data + plen);
    }
    mdb_cursor_close(cur);
    msgpack_pack_array(pk, (size_t)count);
    for (int i = count - 1; i >= 0; i--) {
        uint8_t ek[8];
        sm_key_u64(ns[i], ek);
        MDB_val ekv = {8, ek}, entry;
        sm_doc_t *doc = NULL;
        if (mdb_get(ctx->txn, audit, &ekv, &entry) == 0)
            doc = sm_doc_parse(entry.mv_data, entry.mv_size, NULL);
        const msgpack_object *e = doc ? sm_doc_root(doc) : NULL;
        msgpack_pack_map(pk, 4);
        static const char *keys[] = {"ts", "key", "op", "outcome"};
        for (int j = 0; j < 4; j++) {
            sm_pack_str(pk, keys[j]);
            const msgpack_object *o = e ? sm_map_get(e, keys[j]) : NULL;
            if (o)
                sm_pack_obj(pk, o);
            else
                msgpack_pack_nil(pk);
        }
        sm_doc_destroy(&doc);
    }
    free(ns);
}
