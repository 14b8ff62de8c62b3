/*  common/municipalities.c - a follower's copy of finance's municipality list. */
#include "municipalities.h"
#include "common/i18n.h"
#include <stdlib.h>
#include <string.h>

#define DB "municipalities"
#define DB_NAMES "municipality_names"

size_t sm_muni_name_key(const char *name, char key[SM_MUNI_NAME_KEY_MAX])
{
    size_t n = 0;
    for (; name[n]; n++) {
        if (n == SM_MUNI_NAME_KEY_MAX)
            return 0;
        key[n] = (char)(name[n] >= 'A' && name[n] <= 'Z' ? name[n] + ('a' - 'A') : name[n]);
    }
    return n;
}

static int s_decode(const MDB_val *v, sm_muni_t *m)
{
    memset(m, 0, sizeof *m);
    sm_doc_t *doc = sm_doc_parse(v->mv_data, v->mv_size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    int rc = (sm_get_str(r, "code", true, m->code, sizeof m->code, false, NULL) > 0 &&
              sm_get_str(r, "name", true, m->name, sizeof m->name, false, NULL) > 0 &&
              sm_get_int(r, "inhabitants", true, 0, INT64_MAX, &m->inhabitants, NULL) > 0 &&
              sm_get_str(r, "as_of", true, m->as_of, sizeof m->as_of, false, NULL) > 0)
                 ? 0
                 : -1;
    sm_doc_destroy(&doc);
    return rc;
}

int on_finance_municipality(sm_ctx_t *ctx, const char *type, uint64_t seq,
                            const msgpack_object *data)
{
    sm_muni_t m, old;
    sm_err_t *e = sm_ctx_err(ctx);
    if (sm_get_str(data, "code", true, m.code, sizeof m.code, false, e) < 0 ||
        sm_get_str(data, "name", true, m.name, sizeof m.name, false, e) < 0 ||
        sm_get_int(data, "inhabitants", true, 0, INT64_MAX, &m.inhabitants, e) < 0 ||
        sm_get_str(data, "as_of", true, m.as_of, sizeof m.as_of, false, e) < 0)
        return -1;
    MDB_dbi dbi = sm_ctx_dbi(ctx, DB), names = sm_ctx_dbi(ctx, DB_NAMES);
    MDB_val v;
    char key[SM_MUNI_NAME_KEY_MAX];
    size_t klen;
    bool had = sm_ctx_get(ctx, dbi, m.code, strlen(m.code), &v) == 1 && s_decode(&v, &old) == 0;
    /*  Keep the latest count: an older count arriving later (history being
        filled in) does not replace a newer one. ISO dates compare as text. */
    if (had && strcmp(old.as_of, m.as_of) > 0) {
        m.inhabitants = old.inhabitants;
        snprintf(m.as_of, sizeof m.as_of, "%s", old.as_of);
    }
    /*  The name index follows the record: a renamed municipality's old
        name goes (when it still points here), its new one comes. */
    if (had && strcmp(old.name, m.name) != 0 && (klen = sm_muni_name_key(old.name, key)) > 0 &&
        sm_ctx_get(ctx, names, key, klen, &v) == 1 && v.mv_size == strlen(m.code) &&
        memcmp(v.mv_data, m.code, v.mv_size) == 0 && sm_ctx_del(ctx, names, key, klen) < 0)
        return -1;
    if ((klen = sm_muni_name_key(m.name, key)) > 0 &&
        sm_ctx_put(ctx, names, key, klen, m.code, strlen(m.code)) < 0)
        return -1;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 4);
    sm_pack_kv_str(&b.pk, "code", m.code);
    sm_pack_kv_str(&b.pk, "name", m.name);
    sm_pack_kv_int(&b.pk, "inhabitants", m.inhabitants);
    sm_pack_kv_str(&b.pk, "as_of", m.as_of);
    int rc = sm_ctx_put(ctx, dbi, m.code, strlen(m.code), b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

int sm_muni_all(sm_ctx_t *ctx, sm_muni_t **out)
{
    MDB_cursor *cur;
    MDB_val k, v;
    MDB_stat st;
    *out = NULL;
    mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB), &st);
    *out = calloc(st.ms_entries + 1, sizeof **out);
    if (!*out || mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB), &cur)) {
        free(*out);
        *out = NULL;
        return -1;
    }
    int n = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && (size_t)n < st.ms_entries;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        if (s_decode(&v, &(*out)[n]) == 0)
            n++;
    mdb_cursor_close(cur);
    return n;
}

int sm_muni_find(sm_ctx_t *ctx, const char *code_or_name, sm_muni_t *out)
{
    MDB_val v;
    char code[8];
    if (strlen(code_or_name) == 6) {
        for (int i = 0; i < 6; i++)
            code[i] = i < 2 ? (char)(code_or_name[i] & ~0x20) : code_or_name[i];
        code[6] = '\0';
        int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB), code, 6, &v);
        if (rc < 0)
            return -1;
        if (rc == 1)
            return s_decode(&v, out) == 0 ? 1 : -1;
    }
    char key[SM_MUNI_NAME_KEY_MAX];
    size_t klen = sm_muni_name_key(code_or_name, key);
    if (klen == 0)
        return 0;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, klen, &v);
    if (rc <= 0)
        return rc;
    char found[8];
    if (v.mv_size >= sizeof found)
        return -1;
    memcpy(found, v.mv_data, v.mv_size);
    rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB), found, v.mv_size, &v);
    if (rc <= 0)
        return -1; /*  an index entry without its record: the store is damaged */
    return s_decode(&v, out) == 0 ? 1 : -1;
}

int sm_muni_index_build(MDB_txn *txn, sm_store_t *store, sm_err_t *err)
{
    MDB_cursor *cur;
    MDB_val k, v;
    MDB_dbi names = sm_store_dbi(store, DB_NAMES);
    int rc = mdb_cursor_open(txn, sm_store_dbi(store, DB), &cur);
    if (rc)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot read municipalities: %s"),
                          mdb_strerror(rc));
    int out = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        /*  Finance's records and a follower's copies both are maps with
            "code" and "name"; nothing else is read. */
        char code[8], name[SM_MUNI_NAME_KEY_MAX], key[SM_MUNI_NAME_KEY_MAX];
        sm_doc_t *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
        bool ok = doc &&
                  sm_get_str(sm_doc_root(doc), "code", true, code, sizeof code, false, NULL) > 0 &&
                  sm_get_str(sm_doc_root(doc), "name", true, name, sizeof name, false, NULL) > 0;
        sm_doc_destroy(&doc);
        MDB_val nk = {ok ? sm_muni_name_key(name, key) : 0, key}, nv = {strlen(code), code};
        if (nk.mv_size == 0)
            continue;
        /*  Names were unique (case-insensitively) when added; should two
            records share one anyway, the first by code keeps it. */
        int prc = mdb_put(txn, names, &nk, &nv, MDB_NOOVERWRITE);
        if (prc && prc != MDB_KEYEXIST) {
            out = sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot index municipality names: %s"),
                             mdb_strerror(prc));
            break;
        }
    }
    mdb_cursor_close(cur);
    return out;
}

int sm_muni_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err)
{
    if (from < SM_MUNI_NAMES_SCHEMA && sm_muni_index_build(txn, store, err) != 0)
        return -1;
    return 0;
}

int sm_muni_require(sm_ctx_t *ctx, const char *code_or_name, const char *field, sm_muni_t *out)
{
    int rc = sm_muni_find(ctx, code_or_name, out);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    /*  Name the first few known ones (by code): reading only as many as
        the message holds keeps a refusal cheap however many there are. */
    char list[300] = "";
    size_t o = 0;
    int n = 0;
    MDB_cursor *cur;
    MDB_val k, v;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB), &cur) == 0) {
        for (int mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && o < sizeof list - 70;
             mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
            sm_muni_t m;
            if (s_decode(&v, &m) == 0)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", n++ ? ", " : "", m.name);
        }
        mdb_cursor_close(cur);
    }
    return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, field,
                       _("unknown municipality \"%.60s\"; known: %s"), code_or_name,
                       n > 0 ? list : _("none yet (finance publishes them: municipality add)"));
}
