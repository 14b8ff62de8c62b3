/*  common/record.c - records, indexes and fields. See record.h. */
#include "common/record.h"
#include "common/i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Records ============================================================ */

int sm_rec_get(sm_ctx_t *ctx, const char *db, uint64_t id, sm_doc_t **doc)
{
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, db), id, &v);
    if (rc <= 0)
        return rc;
    *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
    if (!*doc || sm_doc_root(*doc)->type != MSGPACK_OBJECT_MAP) {
        sm_doc_destroy(doc);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("record %llu in %s is damaged"),
                           (unsigned long long)id, db);
    }
    return 1;
}

int sm_rec_get_key(sm_ctx_t *ctx, const char *db, const void *key, size_t klen, sm_doc_t **doc)
{
    MDB_val v;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, db), key, klen, &v);
    if (rc <= 0)
        return rc;
    *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
    if (!*doc || sm_doc_root(*doc)->type != MSGPACK_OBJECT_MAP) {
        sm_doc_destroy(doc);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("a record in %s is damaged"), db);
    }
    return 1;
}

int sm_rec_put_key(sm_ctx_t *ctx, const char *db, const void *key, size_t klen, const sm_buf_t *b)
{
    return sm_ctx_put(ctx, sm_ctx_dbi(ctx, db), key, klen, b->sbuf.data, b->sbuf.size);
}

int sm_rec_require(sm_ctx_t *ctx, const char *db, char letter, uint64_t id, const char *field,
                   const char *what, const char *see_also, sm_doc_t **doc)
{
    int rc = sm_rec_get(ctx, db, id, doc);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        char buf[24];
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field, _("no %s %s; see %s"), _(what),
                           sm_id_format(letter, id, buf), see_also);
    }
    return 0;
}

int sm_rec_put(sm_ctx_t *ctx, const char *db, uint64_t id, const sm_buf_t *b)
{
    return sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, db), id, b);
}

int sm_rec_del(sm_ctx_t *ctx, const char *db, uint64_t id)
{
    uint8_t k[8];
    sm_key_u64(id, k);
    return sm_ctx_del(ctx, sm_ctx_dbi(ctx, db), k, 8);
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

void sm_rec_merge(msgpack_packer *pk, const msgpack_object *old, const msgpack_object *upd)
{
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

int sm_rec_update(sm_ctx_t *ctx, const char *db, uint64_t id, const msgpack_object *old,
                  const sm_buf_t *upd, sm_buf_t *merged)
{
    sm_doc_t *u = sm_doc_parse(upd->sbuf.data, upd->sbuf.size, NULL);
    if (!u || sm_doc_root(u)->type != MSGPACK_OBJECT_MAP) {
        sm_doc_destroy(&u);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("record update is not a map (a bug)"));
    }
    sm_buf_t local, *out = merged ? merged : &local;
    if (!merged)
        sm_buf_init(&local);
    else
        sm_buf_reset(merged);
    sm_rec_merge(&out->pk, old, sm_doc_root(u));
    int rc = sm_rec_put(ctx, db, id, out);
    sm_doc_destroy(&u);
    if (!merged)
        sm_buf_free(&local);
    return rc;
}

uint64_t sm_rec_count(sm_ctx_t *ctx, const char *db)
{
    MDB_stat st;
    if (mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &st) != 0)
        return 0;
    return st.ms_entries;
}

/* ==== Indexes ============================================================ */

/*  Build prefix + 8-byte id into key. Returns the key length. */
static size_t s_idx_key(const void *prefix, size_t plen, uint64_t id, uint8_t *key)
{
    if (plen)
        memcpy(key, prefix, plen);
    sm_key_u64(id, key + plen);
    return plen + 8;
}

int sm_idx_put(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id)
{
    uint8_t key[SM_IDX_PREFIX_MAX + 8];
    if (plen > SM_IDX_PREFIX_MAX)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("index prefix too long (a bug)"));
    return sm_ctx_put(ctx, sm_ctx_dbi(ctx, db), key, s_idx_key(prefix, plen, id, key), "", 0);
}

int sm_idx_del(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t id)
{
    uint8_t key[SM_IDX_PREFIX_MAX + 8];
    if (plen > SM_IDX_PREFIX_MAX)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("index prefix too long (a bug)"));
    return sm_ctx_del(ctx, sm_ctx_dbi(ctx, db), key, s_idx_key(prefix, plen, id, key));
}

/*  Walk keys of db that start with prefix, from prefix + (after + 1);
    the ID is the last 8 bytes of each key. */
static int s_walk(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t after,
                  sm_rec_visit_fn *visit, void *arg)
{
    uint8_t start[SM_IDX_PREFIX_MAX + 8];
    if (plen > SM_IDX_PREFIX_MAX || after == UINT64_MAX)
        return 0;
    size_t n = s_idx_key(prefix, plen, after + 1, start);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &cur);
    if (rc)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read %s: %s"), db, mdb_strerror(rc));
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

int sm_rec_scan(sm_ctx_t *ctx, const char *db, uint64_t after, sm_rec_visit_fn *visit, void *arg)
{
    return s_walk(ctx, db, NULL, 0, after, visit, arg);
}

int sm_idx_scan(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t after,
                sm_rec_visit_fn *visit, void *arg)
{
    return s_walk(ctx, db, prefix, plen, after, visit, arg);
}

typedef struct {
    uint64_t *ids;
    long n, cap;
    bool first_only;
} s_collect_t;

static int s_collect(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_collect_t *c = arg;
    if (c->n == c->cap) {
        long cap = c->cap ? c->cap * 2 : 16;
        uint64_t *p = realloc(c->ids, (size_t)cap * sizeof *p);
        if (!p)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        c->ids = p;
        c->cap = cap;
    }
    c->ids[c->n++] = id;
    return c->first_only ? 1 : 0;
}

long sm_idx_list(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t **out)
{
    s_collect_t c = {NULL, 0, 0, false};
    *out = NULL;
    if (s_walk(ctx, db, prefix, plen, 0, s_collect, &c) != 0) {
        free(c.ids);
        return -1;
    }
    *out = c.ids;
    return c.n;
}

int sm_idx_first(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen, uint64_t *id)
{
    s_collect_t c = {NULL, 0, 0, true};
    *id = 0;
    int rc = s_walk(ctx, db, prefix, plen, 0, s_collect, &c);
    if (rc == 0 && c.n)
        *id = c.ids[0];
    free(c.ids);
    return rc;
}

static int s_count(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    (void)ctx;
    (void)id;
    (*(uint64_t *)arg)++;
    return 0;
}

uint64_t sm_idx_count(sm_ctx_t *ctx, const char *db, const void *prefix, size_t plen)
{
    uint64_t n = 0;
    if (s_walk(ctx, db, prefix, plen, 0, s_count, &n) != 0)
        return 0;
    return n;
}

void sm_key_pair(uint64_t a, uint64_t b, uint8_t out[16])
{
    sm_key_u64(a, out);
    sm_key_u64(b, out + 8);
}

/* ==== Fields ============================================================= */

int64_t sm_rec_int(const msgpack_object *rec, const char *key, int64_t dflt)
{
    const msgpack_object *o = sm_map_get(rec, key);
    if (o && o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        return o->via.u64 > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)o->via.u64;
    if (o && o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        return o->via.i64;
    return dflt;
}

bool sm_rec_bool(const msgpack_object *rec, const char *key, bool dflt)
{
    const msgpack_object *o = sm_map_get(rec, key);
    return o && o->type == MSGPACK_OBJECT_BOOLEAN ? o->via.boolean : dflt;
}

char *sm_rec_str(const msgpack_object *rec, const char *key, char *buf, size_t size)
{
    const msgpack_object *o = sm_map_get(rec, key);
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return buf;
    size_t n = o->via.str.size;
    if (n >= size) {
        n = size - 1;
        /*  Do not end inside a UTF-8 sequence. */
        while (n > 0 && ((unsigned char)o->via.str.ptr[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf, o->via.str.ptr, n);
    buf[n] = '\0';
    return buf;
}

char *sm_rec_strdup(const msgpack_object *rec, const char *key)
{
    const msgpack_object *o = sm_map_get(rec, key);
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return NULL;
    char *s = malloc(o->via.str.size + 1);
    if (s) {
        memcpy(s, o->via.str.ptr, o->via.str.size);
        s[o->via.str.size] = '\0';
    }
    return s;
}

bool sm_rec_date(const msgpack_object *rec, const char *key, sm_date_t *out)
{
    char buf[16];
    sm_rec_str(rec, key, buf, sizeof buf);
    return buf[0] && sm_date_parse(buf, out, key, NULL) == 0;
}

uint64_t sm_rec_id(const msgpack_object *rec, const char *key, char letter)
{
    char buf[24];
    sm_rec_str(rec, key, buf, sizeof buf);
    return buf[0] ? sm_id_parse(buf, letter, key, NULL) : 0;
}

void sm_rec_pack_date(msgpack_packer *pk, const char *key, bool has, sm_date_t d)
{
    char buf[16];
    sm_pack_kv_str(pk, key, has ? sm_date_format(d, buf) : NULL);
}

void sm_rec_pack_id(msgpack_packer *pk, const char *key, char letter, uint64_t n)
{
    char buf[24];
    sm_pack_kv_str(pk, key, n ? sm_id_format(letter, n, buf) : NULL);
}
