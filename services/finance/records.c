/*  services/finance/records.c - finance's stored records and indexes. */
#include "records.h"
#include <stdio.h>
#include <string.h>

int rec_get(sm_ctx_t *ctx, const char *db, uint64_t id, sm_doc_t **doc)
{
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, db), id, &v);
    if (rc <= 0)
        return rc;
    *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
    if (!*doc || sm_doc_root(*doc)->type != MSGPACK_OBJECT_MAP) {
        sm_doc_destroy(doc);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "record %llu in %s is damaged",
                           (unsigned long long)id, db);
    }
    return 1;
}

int rec_require(sm_ctx_t *ctx, const msgpack_object *args, const char *key, char letter,
                const char *db, const char *what, const char *see_also, uint64_t *id,
                sm_doc_t **doc)
{
    if (sm_get_id(args, key, letter, true, id, sm_ctx_err(ctx)) < 0)
        return -1;
    int rc = rec_get(ctx, db, *id, doc);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        char buf[24];
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, key, "no %s %s; see %s", what,
                           sm_id_format(letter, *id, buf), see_also);
    }
    return 0;
}

int rec_put(sm_ctx_t *ctx, const char *db, uint64_t id, const sm_buf_t *b)
{
    return sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, db), id, b);
}

/*  upd's value for key (a string object), or NULL when upd lacks it. */
static const msgpack_object *s_in_map(const msgpack_object *upd, const msgpack_object *key)
{
    for (uint32_t i = 0; key->type == MSGPACK_OBJECT_STR && i < upd->via.map.size; i++) {
        const msgpack_object *k = &upd->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == key->via.str.size &&
            memcmp(k->via.str.ptr, key->via.str.ptr, k->via.str.size) == 0)
            return &upd->via.map.ptr[i].val;
    }
    return NULL;
}

void rec_merge(msgpack_packer *pk, const msgpack_object *old, const msgpack_object *upd)
{
    /*  Keys keep their place (a record reads the same way before and
        after a change); keys new to the record go at the end. */
    static const msgpack_object s_empty = {.type = MSGPACK_OBJECT_MAP};
    if (!old || old->type != MSGPACK_OBJECT_MAP)
        old = &s_empty;
    uint32_t added = 0;
    for (uint32_t i = 0; i < upd->via.map.size; i++)
        if (!s_in_map(old, &upd->via.map.ptr[i].key))
            added++;
    msgpack_pack_map(pk, old->via.map.size + added);
    for (uint32_t i = 0; i < old->via.map.size; i++) {
        const msgpack_object *v = s_in_map(upd, &old->via.map.ptr[i].key);
        sm_pack_obj(pk, &old->via.map.ptr[i].key);
        sm_pack_obj(pk, v ? v : &old->via.map.ptr[i].val);
    }
    for (uint32_t i = 0; i < upd->via.map.size; i++)
        if (!s_in_map(old, &upd->via.map.ptr[i].key)) {
            sm_pack_obj(pk, &upd->via.map.ptr[i].key);
            sm_pack_obj(pk, &upd->via.map.ptr[i].val);
        }
}

int rec_update(sm_ctx_t *ctx, const char *db, uint64_t id, const msgpack_object *old,
               const sm_buf_t *upd, sm_buf_t *merged)
{
    sm_doc_t *u = sm_doc_parse(upd->sbuf.data, upd->sbuf.size, NULL);
    if (!u || sm_doc_root(u)->type != MSGPACK_OBJECT_MAP) {
        sm_doc_destroy(&u);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "record update is not a map (a bug)");
    }
    sm_buf_t local, *out = merged ? merged : &local;
    if (!merged)
        sm_buf_init(&local);
    else
        sm_buf_reset(merged);
    rec_merge(&out->pk, old, sm_doc_root(u));
    int rc = rec_put(ctx, db, id, out);
    sm_doc_destroy(&u);
    if (!merged)
        sm_buf_free(&local);
    return rc;
}

/*  Build prefix + 8-byte id into key. Returns the key length. */
static size_t s_idx_key(const void *prefix, size_t plen, uint64_t id, uint8_t *key)
{
    if (plen)
        memcpy(key, prefix, plen);
    sm_key_u64(id, key + plen);
    return plen + 8;
}

int idx_put(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id)
{
    uint8_t key[IDX_PREFIX_MAX + 8];
    if (plen > IDX_PREFIX_MAX)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "index prefix too long (a bug)");
    size_t n = s_idx_key(prefix, plen, id, key);
    return sm_ctx_put(ctx, sm_ctx_dbi(ctx, db), key, n, "", 0);
}

int idx_del(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id)
{
    uint8_t key[IDX_PREFIX_MAX + 8];
    if (plen > IDX_PREFIX_MAX)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "index prefix too long (a bug)");
    size_t n = s_idx_key(prefix, plen, id, key);
    return sm_ctx_del(ctx, sm_ctx_dbi(ctx, db), key, n);
}

/*  Walk keys of db that start with prefix, from prefix + (after + 1);
    the ID is the last 8 bytes of each key. */
static int s_walk(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t after,
                  rec_visit_fn *visit, void *arg)
{
    uint8_t start[IDX_PREFIX_MAX + 8];
    if (plen > IDX_PREFIX_MAX || after == UINT64_MAX)
        return 0;
    size_t n = s_idx_key(prefix, plen, after + 1, start);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &cur);
    if (rc)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read %s: %s", db, mdb_strerror(rc));
    MDB_val k = {n, start}, v;
    int out = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != plen + 8 || (plen && memcmp(k.mv_data, prefix, plen) != 0))
            break;
        int r = visit(ctx, sm_key_u64_decode((const uint8_t *)k.mv_data + plen), arg);
        if (r != 0) {
            out = r < 0 ? -1 : 0;
            break;
        }
    }
    mdb_cursor_close(cur);
    return out;
}

int rec_scan(sm_ctx_t *ctx, const char *db, uint64_t after, rec_visit_fn *visit, void *arg)
{
    return s_walk(ctx, db, NULL, 0, after, visit, arg);
}

int idx_scan(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t after,
             rec_visit_fn *visit, void *arg)
{
    return s_walk(ctx, db, prefix, plen, after, visit, arg);
}

uint64_t rec_count(sm_ctx_t *ctx, const char *db)
{
    MDB_stat st;
    if (mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &st) != 0)
        return 0;
    return st.ms_entries;
}

int64_t rec_int(const msgpack_object *rec, const char *key)
{
    const msgpack_object *o = sm_map_get(rec, key);
    if (!o)
        return 0;
    if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        return o->via.u64 > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)o->via.u64;
    if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        return o->via.i64;
    return 0;
}

char *rec_str(const msgpack_object *rec, const char *key, char *buf, size_t size)
{
    const msgpack_object *o = sm_map_get(rec, key);
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (o && o->type == MSGPACK_OBJECT_STR)
        snprintf(buf, size, "%.*s", (int)o->via.str.size, o->via.str.ptr);
    return buf;
}

bool rec_bool(const msgpack_object *rec, const char *key)
{
    const msgpack_object *o = sm_map_get(rec, key);
    return o && o->type == MSGPACK_OBJECT_BOOLEAN && o->via.boolean;
}
