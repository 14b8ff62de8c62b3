/*  services/finance/municipality.c - member municipalities and their inhabitants. */
#include "municipality.h"
#include "../../common/municipalities.h"
#include "common/i18n.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DB "municipalities"
/*  The name index: the name's key (sm_muni_name_key) -> the 6-byte code. It
    is written in the same transaction as the municipality, so a lookup or
    a uniqueness check by name is one B-tree descent, whatever the number
    of municipalities (schema 2; finance_migrate fills it for a store of
    schema 1). */
#define DB_NAMES "municipality_names"

int muni_code_check(char *code, const char *field, sm_err_t *err)
{
    bool ok = strlen(code) == 6;
    for (int i = 0; ok && i < 6; i++) {
        if (i < 2)
            code[i] = (char)toupper((unsigned char)code[i]);
        ok = i < 2 ? code[i] == "GM"[i] : isdigit((unsigned char)code[i]);
    }
    if (!ok)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("field \"%s\" must be a statistics-office code like GM0402 (GM and "
                            "four digits)"),
                          field);
    return 0;
}

int muni_count_on(const municipality_t *m, sm_date_t date)
{
    int best = -1;
    for (int i = 0; i < m->ncounts; i++)
        if (sm_date_cmp(m->counts[i].as_of, date) <= 0)
            best = i;
    return best;
}

void muni_encode(const municipality_t *m, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "code", m->code);
    sm_pack_kv_str(pk, "name", m->name);
    sm_pack_str(pk, "counts");
    msgpack_pack_array(pk, (size_t)m->ncounts);
    for (int i = 0; i < m->ncounts; i++) {
        char d[11];
        msgpack_pack_map(pk, 2);
        sm_pack_kv_int(pk, "inhabitants", m->counts[i].inhabitants);
        sm_pack_kv_str(pk, "as_of", sm_date_format(m->counts[i].as_of, d));
    }
}

int muni_decode(const void *data, size_t size, municipality_t *m)
{
    memset(m, 0, sizeof *m);
    sm_doc_t *doc = sm_doc_parse(data, size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *root = sm_doc_root(doc), *counts = NULL;
    int rc = -1;
    if (sm_get_str(root, "code", true, m->code, sizeof m->code, false, NULL) < 0 ||
        sm_get_str(root, "name", true, m->name, sizeof m->name, false, NULL) < 0 ||
        sm_get_array(root, "counts", true, &counts, NULL) < 0)
        goto done;
    for (uint32_t i = 0; i < counts->via.array.size && m->ncounts < MUNI_MAX_COUNTS; i++) {
        const msgpack_object *c = &counts->via.array.ptr[i];
        char d[16];
        muni_count_t *mc = &m->counts[m->ncounts];
        if (sm_get_int(c, "inhabitants", true, 0, INT64_MAX, &mc->inhabitants, NULL) < 0 ||
            sm_get_str(c, "as_of", true, d, sizeof d, false, NULL) < 0 ||
            sm_date_parse(d, &mc->as_of, "as_of", NULL) < 0)
            goto done;
        m->ncounts++;
    }
    rc = 0;
done:
    sm_doc_destroy(&doc);
    return rc;
}

int muni_load_all(sm_ctx_t *ctx, municipality_t **out)
{
    MDB_cursor *cur;
    MDB_val k, v;
    int n = 0, cap = 16;
    *out = malloc((size_t)cap * sizeof **out);
    if (!*out || mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB), &cur) != 0) {
        free(*out);
        *out = NULL;
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read municipalities"));
    }
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (n == cap) {
            municipality_t *p = realloc(*out, (size_t)(cap *= 2) * sizeof **out);
            if (!p)
                break;
            *out = p;
        }
        if (muni_decode(v.mv_data, v.mv_size, &(*out)[n]) == 0)
            n++;
    }
    mdb_cursor_close(cur);
    return n;
}

int muni_lookup(sm_ctx_t *ctx, const char *code_or_name, municipality_t *out)
{
    char code[8];
    if (strlen(code_or_name) == 6) {
        snprintf(code, sizeof code, "%s", code_or_name);
        if (muni_code_check(code, "municipality", NULL) == 0) {
            MDB_val v;
            int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB), code, 6, &v);
            if (rc <= 0)
                return rc;
            return muni_decode(v.mv_data, v.mv_size, out) == 0 ? 1 : -1;
        }
    }
    char key[SM_MUNI_NAME_KEY_MAX];
    size_t klen = sm_muni_name_key(code_or_name, key);
    if (klen == 0)
        return 0; /*  empty, or longer than any stored name */
    MDB_val v;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, klen, &v);
    if (rc <= 0)
        return rc;
    char stored[8];
    if (v.mv_size != 6)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("the name index of municipalities is damaged"));
    memcpy(stored, v.mv_data, 6);
    rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB), stored, 6, &v);
    if (rc < 0)
        return -1;
    if (rc == 0 || muni_decode(v.mv_data, v.mv_size, out) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("the name index of municipalities points at a missing record"));
    return 1;
}

/*  Store m; a new municipality (is_new) also gets its name in the index,
    in the same transaction. Returns 0 or -1 (ctx error). */
static int s_store(sm_ctx_t *ctx, const municipality_t *m, bool is_new)
{
    sm_buf_t b;
    sm_buf_init(&b);
    muni_encode(m, &b.pk);
    int rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB), m->code, strlen(m->code), b.sbuf.data,
                        b.sbuf.size);
    sm_buf_free(&b);
    char key[SM_MUNI_NAME_KEY_MAX];
    size_t klen = is_new ? sm_muni_name_key(m->name, key) : 0;
    if (rc == 0 && klen > 0)
        rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, klen, m->code, strlen(m->code));
    return rc;
}

static int s_emit(sm_ctx_t *ctx, const char *topic, const municipality_t *m, int idx)
{
    char d[11];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "code", m->code);
    sm_pack_kv_str(pk, "name", m->name);
    sm_pack_kv_int(pk, "inhabitants", m->counts[idx].inhabitants);
    sm_pack_kv_str(pk, "as_of", sm_date_format(m->counts[idx].as_of, d));
    return sm_ctx_event_end(ctx);
}

static void s_reply(sm_ctx_t *ctx, const municipality_t *m, sm_date_t on, bool dated)
{
    msgpack_packer *pk = sm_ctx_reply(ctx);
    int idx = dated ? muni_count_on(m, on) : m->ncounts - 1;
    char d[11];
    msgpack_pack_map(pk, 5);
    sm_pack_kv_str(pk, "code", m->code);
    sm_pack_kv_str(pk, "name", m->name);
    if (idx >= 0) {
        sm_pack_kv_int(pk, "inhabitants", m->counts[idx].inhabitants);
        sm_pack_kv_str(pk, "as_of", sm_date_format(m->counts[idx].as_of, d));
    } else {
        sm_pack_kv_nil(pk, "inhabitants");
        sm_pack_kv_nil(pk, "as_of");
    }
    sm_pack_str(pk, "counts");
    msgpack_pack_array(pk, (size_t)m->ncounts);
    for (int i = 0; i < m->ncounts; i++) {
        msgpack_pack_map(pk, 2);
        sm_pack_kv_int(pk, "inhabitants", m->counts[i].inhabitants);
        sm_pack_kv_str(pk, "as_of", sm_date_format(m->counts[i].as_of, d));
    }
}

/*  Read the checked {inhabitants, as_of} shared by add and count. Can't fail. */
static void s_get_count(sm_ctx_t *ctx, muni_count_t *c)
{
    c->inhabitants = sm_arg_int(ctx, "inhabitants", 0);
    sm_arg_date(ctx, "as_of", &c->as_of);
}

int op_municipality_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    municipality_t m, other;
    memset(&m, 0, sizeof m);
    const char *name = sm_arg_str(ctx, "name");
    /*  The stored form keeps 63 bytes; the declaration counts characters. */
    if (strlen(name) >= sizeof m.name)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "name",
                           _("field \"name\" is %zu bytes long in UTF-8; give a name of at most "
                             "%zu bytes"),
                           strlen(name), sizeof m.name - 1);
    snprintf(m.name, sizeof m.name, "%s", name);
    snprintf(m.code, sizeof m.code, "%s", sm_arg_str(ctx, "code"));
    if (muni_code_check(m.code, "code", e))
        return -1;
    s_get_count(ctx, &m.counts[0]);
    m.ncounts = 1;
    int rc = muni_lookup(ctx, m.code, &other);
    if (rc == 0)
        rc = muni_lookup(ctx, m.name, &other);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, strcmp(other.code, m.code) ? "name" : "code",
                           _("municipality %s (%s) already exists; add a new inhabitant count "
                             "with municipality.count"),
                           other.name, other.code);
    if (s_store(ctx, &m, true) || s_emit(ctx, "finance.municipality.added", &m, 0))
        return -1;
    s_reply(ctx, &m, m.counts[0].as_of, false);
    return 0;
}

int op_municipality_count(sm_ctx_t *ctx, const msgpack_object *args)
{
    const char *which = sm_arg_str(ctx, "municipality");
    muni_count_t c;
    municipality_t m;
    s_get_count(ctx, &c);
    int rc = muni_lookup(ctx, which, &m);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "municipality",
                           _("no municipality \"%s\"; see municipality list"), which);
    int at = 0;
    while (at < m.ncounts && sm_date_cmp(m.counts[at].as_of, c.as_of) < 0)
        at++;
    if (at < m.ncounts && sm_date_cmp(m.counts[at].as_of, c.as_of) == 0) {
        if (m.counts[at].inhabitants == c.inhabitants) { /*  same fact again: nothing to do */
            s_reply(ctx, &m, c.as_of, false);
            return 0;
        }
        char d[11];
        return sm_ctx_fail(ctx, SM_E_CONFLICT, "as_of",
                           _("%s already has a count of %lld on %s; counts are history and are "
                             "not overwritten"),
                           m.name, (long long)m.counts[at].inhabitants, sm_date_format(c.as_of, d));
    }
    if (m.ncounts >= MUNI_MAX_COUNTS)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, "as_of",
                           _("%s has %d counts already, the most kept"), m.name, MUNI_MAX_COUNTS);
    memmove(&m.counts[at + 1], &m.counts[at], (size_t)(m.ncounts - at) * sizeof c);
    m.counts[at] = c;
    m.ncounts++;
    if (s_store(ctx, &m, false) || s_emit(ctx, "finance.municipality.counted", &m, at))
        return -1;
    s_reply(ctx, &m, c.as_of, false);
    return 0;
}

int op_municipality_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    const char *which = sm_arg_str(ctx, "municipality");
    sm_date_t on = {0, 0, 0};
    municipality_t m;
    bool has_date = sm_arg_date(ctx, "as_of", &on);
    int rc = muni_lookup(ctx, which, &m);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "municipality",
                           _("no municipality \"%s\"; see municipality list"), which);
    s_reply(ctx, &m, on, has_date);
    return 0;
}

int op_municipality_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_date_t on = {0, 0, 0};
    bool has_date = sm_arg_date(ctx, "as_of", &on);
    municipality_t *all = NULL;
    int n = muni_load_all(ctx, &all);
    if (n < 0)
        return -1;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    int64_t total = 0;
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "municipalities");
    msgpack_pack_array(pk, (size_t)n);
    for (int i = 0; i < n; i++) {
        int idx = has_date ? muni_count_on(&all[i], on) : all[i].ncounts - 1;
        if (idx >= 0)
            total += all[i].counts[idx].inhabitants;
        s_reply(ctx, &all[i], on, has_date);
    }
    sm_pack_kv_int(pk, "total_inhabitants", total);
    free(all);
    return 0;
}
