/*  common/municipalities.c - a follower's copy of finance's municipality list. */
#include "municipalities.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    MDB_dbi dbi = sm_ctx_dbi(ctx, "municipalities");
    MDB_val v;
    /*  Keep the latest count: an older count arriving later (history being
        filled in) does not replace a newer one. ISO dates compare as text. */
    if (sm_ctx_get(ctx, dbi, m.code, strlen(m.code), &v) == 1 && s_decode(&v, &old) == 0 &&
        strcmp(old.as_of, m.as_of) > 0) {
        m.inhabitants = old.inhabitants;
        snprintf(m.as_of, sizeof m.as_of, "%s", old.as_of);
    }
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
    mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, "municipalities"), &st);
    *out = calloc(st.ms_entries + 1, sizeof **out);
    if (!*out || mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, "municipalities"), &cur)) {
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
        int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, "municipalities"), code, 6, &v);
        if (rc < 0)
            return -1;
        if (rc == 1)
            return s_decode(&v, out) == 0 ? 1 : -1;
    }
    sm_muni_t *all;
    int n = sm_muni_all(ctx, &all), found = 0;
    for (int i = 0; i < n && !found; i++)
        if (strcasecmp(all[i].name, code_or_name) == 0) {
            *out = all[i];
            found = 1;
        }
    free(all);
    return n < 0 ? -1 : found;
}

int sm_muni_require(sm_ctx_t *ctx, const char *code_or_name, const char *field, sm_muni_t *out)
{
    int rc = sm_muni_find(ctx, code_or_name, out);
    if (rc != 0)
        return rc > 0 ? 0 : -1;
    sm_muni_t *all;
    int n = sm_muni_all(ctx, &all);
    char list[300] = "";
    size_t o = 0;
    for (int i = 0; i < n && o < sizeof list - 70; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", all[i].name);
    free(all);
    return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, field,
                       "unknown municipality \"%.60s\"; known: %s", code_or_name,
                       n > 0 ? list : "none yet (finance publishes them: municipality add)");
}
