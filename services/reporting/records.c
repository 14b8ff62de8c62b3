/*  services/reporting/records.c - small storage helpers. See records.h. */
#include "records.h"
#include <stdlib.h>
#include <string.h>

void rec_key2(uint64_t a, uint64_t b, uint8_t out[16])
{
    sm_key_u64(a, out);
    sm_key_u64(b, out + 8);
}

int rec_put2(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t a, uint64_t b, const void *val, size_t vlen)
{
    uint8_t k[16];
    rec_key2(a, b, k);
    return sm_ctx_put(ctx, dbi, k, sizeof k, val, vlen);
}

long rec_list2(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t a, uint64_t **out)
{
    MDB_cursor *cur;
    uint8_t k0[16];
    long n = 0, cap = 0;
    *out = NULL;
    rec_key2(a, 0, k0);
    if (mdb_cursor_open(sm_ctx_txn(ctx), dbi, &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot open an index cursor");
    MDB_val k = {sizeof k0, k0}, v;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 16 || memcmp(k.mv_data, k0, 8) != 0)
            break;
        if (n == cap) {
            long ncap = cap ? cap * 2 : 16;
            uint64_t *p = realloc(*out, (size_t)ncap * sizeof *p);
            if (!p) {
                mdb_cursor_close(cur);
                free(*out);
                *out = NULL;
                return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
            }
            *out = p;
            cap = ncap;
        }
        (*out)[n++] = sm_key_u64_decode((const uint8_t *)k.mv_data + 8);
    }
    mdb_cursor_close(cur);
    return n;
}

size_t rec_count(sm_ctx_t *ctx, const char *db)
{
    MDB_stat st;
    if (mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, db), &st) != 0)
        return 0;
    return st.ms_entries;
}

int rec_get_doc(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, sm_doc_t **doc)
{
    MDB_val v;
    *doc = NULL;
    int rc = sm_ctx_get_u64(ctx, dbi, key, &v);
    if (rc <= 0)
        return rc;
    *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
    if (!*doc)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "a stored record does not decode");
    return 1;
}

int rec_put_buf(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, const sm_buf_t *b)
{
    return sm_ctx_put_u64(ctx, dbi, key, b);
}

char *rec_str(const msgpack_object *map, const char *key, char *buf, size_t size)
{
    const msgpack_object *o = sm_map_get(map, key);
    buf[0] = '\0';
    if (!o || o->type != MSGPACK_OBJECT_STR || size == 0)
        return buf;
    size_t n = o->via.str.size < size - 1 ? o->via.str.size : size - 1;
    //  Cut at a code point boundary: never leave half a UTF-8 sequence.
    if (n < o->via.str.size)
        while (n > 0 && ((unsigned char)o->via.str.ptr[n] & 0xC0) == 0x80)
            n--;
    memcpy(buf, o->via.str.ptr, n);
    buf[n] = '\0';
    return buf;
}

char *rec_strdup(const msgpack_object *map, const char *key)
{
    const msgpack_object *o = sm_map_get(map, key);
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return NULL;
    return strndup(o->via.str.ptr, o->via.str.size);
}

bool rec_date(const msgpack_object *map, const char *key, sm_date_t *out)
{
    char d[16];
    rec_str(map, key, d, sizeof d);
    return d[0] && sm_date_parse(d, out, key, NULL) == 0;
}

void rec_pack_date(msgpack_packer *pk, const char *key, bool has, sm_date_t d)
{
    char buf[11];
    if (has)
        sm_pack_kv_str(pk, key, sm_date_format(d, buf));
    else
        sm_pack_kv_nil(pk, key);
}

void rec_pack_id(msgpack_packer *pk, const char *key, char letter, uint64_t n)
{
    char buf[24];
    if (n)
        sm_pack_kv_str(pk, key, sm_id_format(letter, n, buf));
    else
        sm_pack_kv_nil(pk, key);
}

uint64_t rec_id(const msgpack_object *map, const char *key, char letter)
{
    char buf[24];
    rec_str(map, key, buf, sizeof buf);
    return buf[0] ? sm_id_parse(buf, letter, key, NULL) : 0;
}

int64_t rec_int(const msgpack_object *map, const char *key, int64_t dflt)
{
    int64_t v;
    return sm_get_int(map, key, false, INT64_MIN, INT64_MAX, &v, NULL) == 1 ? v : dflt;
}

bool rec_bool(const msgpack_object *map, const char *key, bool dflt)
{
    bool v;
    return sm_get_bool(map, key, false, &v, NULL) == 1 ? v : dflt;
}

int rec_get_date_arg(const msgpack_object *args, const char *key, sm_date_t dflt, sm_date_t *out,
                     sm_err_t *err)
{
    char d[16];
    int rc = sm_get_str(args, key, false, d, sizeof d, false, err);
    if (rc <= 0) {
        *out = dflt;
        return rc;
    }
    return sm_date_parse(d, out, key, err) == 0 ? 1 : -1;
}
