/*  services/scheduling/theme.c - themes on the annual agenda. See theme.h. */
#include "theme.h"
#include "common/date.h"
#include "common/municipalities.h"
#include "index.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_LIST_DEFAULT 100
#define S_LIST_MAX 1000

/* ==== The stored record ================================================= */

static void s_encode(const theme_t *t, msgpack_packer *pk)
{
    char id[24];
    msgpack_pack_map(pk, 15);
    sm_pack_kv_str(pk, "id", sm_id_format('T', t->id, id));
    sm_pack_kv_str(pk, "title", t->title);
    sm_pack_kv_str(pk, "question", t->question);
    sm_pack_kv_str(pk, "domain", theme_domain_name(t->domain));
    sm_pack_kv_str(pk, "phase", theme_phase_name(t->phase));
    sm_pack_kv_str(pk, "source", theme_source_name(t->source));
    sm_pack_kv_str(pk, "status", theme_status_name(t->status));
    sm_pack_kv_str(pk, "project_leader", t->project_leader);
    sm_pack_kv_str(pk, "political_lead", t->political_lead);
    sm_pack_kv_str(pk, "scope", t->regional ? "regional" : "local");
    sm_pack_str(pk, "municipalities");
    msgpack_pack_array(pk, t->n_municipalities);
    for (size_t i = 0; i < t->n_municipalities; i++)
        sm_pack_str(pk, t->municipalities[i]);
    sm_pack_str(pk, "years");
    msgpack_pack_array(pk, t->n_years);
    for (size_t i = 0; i < t->n_years; i++)
        msgpack_pack_int(pk, t->years[i]);
    sm_pack_kv_bool(pk, "youth_relevant", t->youth_relevant);
    sm_pack_kv_int(pk, "created_ms", t->created_ms);
    sm_pack_kv_int(pk, "updated_ms", t->updated_ms);
}

/*  Read a list of agenda years from map[key] into t. Returns 1 present, 0
    absent, -1 with err. */
static int s_get_years(const msgpack_object *map, const char *key, theme_t *t, sm_err_t *err)
{
    const msgpack_object *arr = NULL;
    int rc = sm_get_array(map, key, false, &arr, err);
    if (rc <= 0)
        return rc;
    if (arr->via.array.size > THEME_YEARS_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          "field \"%s\" has %u years; a theme has at most %d agenda years", key,
                          arr->via.array.size, THEME_YEARS_MAX);
    for (uint32_t i = 0; i < arr->via.array.size; i++) {
        const msgpack_object *y = &arr->via.array.ptr[i];
        int64_t v;
        if (y->type == MSGPACK_OBJECT_POSITIVE_INTEGER && y->via.u64 <= INT64_MAX)
            v = (int64_t)y->via.u64;
        else if (y->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
            v = y->via.i64;
        else
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                              "field \"%s\" must be a list of years such as [2020, 2021]", key);
        if (theme_check_year(v, key, err) != 0)
            return -1;
        t->years[i] = (int)v;
    }
    t->n_years = arr->via.array.size;
    theme_years_normalise(t);
    return 1;
}

/*  Decode a stored theme into t. Returns 0, or -1 when the record is corrupt. */
static int s_decode(const MDB_val *v, theme_t *t)
{
    memset(t, 0, sizeof *t);
    sm_doc_t *doc = sm_doc_parse(v->mv_data, v->mv_size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    char id[24], domain[32], phase[32], source[32], status[32], scope[16];
    char munis[THEME_MUNIS_MAX][THEME_MUNI_SIZE];
    int rc = -1;
    if (sm_get_str(r, "id", true, id, sizeof id, false, NULL) < 0 ||
        (t->id = sm_id_parse(id, 'T', "id", NULL)) == 0 ||
        sm_get_str(r, "title", true, t->title, sizeof t->title, false, NULL) < 0 ||
        sm_get_str(r, "question", false, t->question, sizeof t->question, true, NULL) < 0 ||
        sm_get_str(r, "domain", true, domain, sizeof domain, false, NULL) < 0 ||
        theme_domain_parse(domain, &t->domain, "domain", NULL) < 0 ||
        sm_get_str(r, "phase", true, phase, sizeof phase, false, NULL) < 0 ||
        theme_phase_parse(phase, &t->phase, "phase", NULL) < 0 ||
        sm_get_str(r, "source", true, source, sizeof source, false, NULL) < 0 ||
        theme_source_parse(source, &t->source, "source", NULL) < 0 ||
        sm_get_str(r, "status", true, status, sizeof status, false, NULL) < 0 ||
        theme_status_parse(status, &t->status, "status", NULL) < 0 ||
        sm_get_str(r, "project_leader", false, t->project_leader, sizeof t->project_leader, true,
                   NULL) < 0 ||
        sm_get_str(r, "political_lead", false, t->political_lead, sizeof t->political_lead, true,
                   NULL) < 0 ||
        sm_get_str(r, "scope", true, scope, sizeof scope, false, NULL) < 0 ||
        sm_get_str_array(r, "municipalities", false, &munis[0][0], THEME_MUNI_SIZE,
                         THEME_MUNIS_MAX, &t->n_municipalities, NULL) < 0 ||
        s_get_years(r, "years", t, NULL) < 0 ||
        sm_get_bool(r, "youth_relevant", true, &t->youth_relevant, NULL) < 0 ||
        sm_get_int(r, "created_ms", false, INT64_MIN, INT64_MAX, &t->created_ms, NULL) < 0 ||
        sm_get_int(r, "updated_ms", false, INT64_MIN, INT64_MAX, &t->updated_ms, NULL) < 0)
        goto done;
    t->regional = strcmp(scope, "regional") == 0;
    memcpy(t->municipalities, munis, t->n_municipalities * THEME_MUNI_SIZE);
    rc = 0;
done:
    sm_doc_destroy(&doc);
    return rc;
}

int theme_load(sm_ctx_t *ctx, uint64_t id, theme_t *out)
{
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, DB_THEMES), id, &v);
    if (rc <= 0)
        return rc;
    if (s_decode(&v, out) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, "theme", "the stored theme T%" PRIu64 " is corrupt",
                           id);
    return 1;
}

int theme_require(sm_ctx_t *ctx, uint64_t id, const char *field, theme_t *out)
{
    int rc = theme_load(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                           "theme T%" PRIu64 " does not exist; see theme list", id);
    return 0;
}

/*  Store t under its ID. Returns 0 or -1 (ctx error set). */
static int s_store(sm_ctx_t *ctx, const theme_t *t)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(t, &b.pk);
    int rc = sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, DB_THEMES), t->id, &b);
    sm_buf_free(&b);
    return rc;
}

long theme_load_all(sm_ctx_t *ctx, theme_t **out)
{
    MDB_stat st;
    MDB_cursor *cur;
    MDB_val k, v;
    *out = NULL;
    if (mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_THEMES), &st) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read themes");
    *out = calloc(st.ms_entries + 1, sizeof **out);
    if (!*out)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory loading themes");
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_THEMES), &cur) != 0) {
        free(*out);
        *out = NULL;
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read themes");
    }
    long n = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && (size_t)n < st.ms_entries;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        if (s_decode(&v, &(*out)[n]) == 0)
            n++;
    mdb_cursor_close(cur);
    return n;
}

/* ==== Replies and events ================================================ */

void theme_pack(msgpack_packer *pk, const theme_t *t, long n_sessions)
{
    char id[24];
    msgpack_pack_map(pk, n_sessions >= 0 ? 15 : 14);
    sm_pack_kv_str(pk, "id", sm_id_format('T', t->id, id));
    sm_pack_kv_str(pk, "title", t->title);
    sm_pack_kv_str(pk, "question", t->question);
    sm_pack_kv_str(pk, "domain", theme_domain_name(t->domain));
    sm_pack_kv_str(pk, "phase", theme_phase_name(t->phase));
    sm_pack_kv_str(pk, "source", theme_source_name(t->source));
    sm_pack_kv_str(pk, "status", theme_status_name(t->status));
    sm_pack_kv_str(pk, "project_leader", t->project_leader);
    sm_pack_kv_str(pk, "political_lead", t->political_lead);
    sm_pack_kv_str(pk, "scope", t->regional ? "regional" : "local");
    sm_pack_str(pk, "municipalities");
    msgpack_pack_array(pk, t->n_municipalities);
    for (size_t i = 0; i < t->n_municipalities; i++)
        sm_pack_str(pk, t->municipalities[i]);
    sm_pack_str(pk, "years");
    msgpack_pack_array(pk, t->n_years);
    for (size_t i = 0; i < t->n_years; i++)
        msgpack_pack_int(pk, t->years[i]);
    sm_pack_kv_bool(pk, "youth_relevant", t->youth_relevant);
    char when[24];
    sm_pack_kv_str(pk, "updated", sm_datetime_format_utc(t->updated_ms, when));
    if (n_sessions >= 0)
        sm_pack_kv_int(pk, "sessions", n_sessions);
}

/*  Emit topic with the catalogue's theme fields (no people's names: the
    project leader and political lead stay out).
    Returns 0 or -1 (ctx error set). */
static int s_emit(sm_ctx_t *ctx, const char *topic, const theme_t *t)
{
    char id[24];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 10);
    sm_pack_kv_str(pk, "id", sm_id_format('T', t->id, id));
    sm_pack_kv_str(pk, "title", t->title);
    //  The central question is the programme's text (what residents are
    //  asked), not a resident's; reporting prints it in the yearly overview.
    sm_pack_kv_str(pk, "question", t->question[0] ? t->question : NULL);
    sm_pack_kv_str(pk, "domain", theme_domain_name(t->domain));
    sm_pack_kv_str(pk, "phase", theme_phase_name(t->phase));
    sm_pack_kv_bool(pk, "youth_relevant", t->youth_relevant);
    sm_pack_str(pk, "years");
    msgpack_pack_array(pk, t->n_years);
    for (size_t i = 0; i < t->n_years; i++)
        msgpack_pack_int(pk, t->years[i]);
    sm_pack_kv_str(pk, "scope", t->regional ? "regional" : "local");
    sm_pack_str(pk, "municipalities");
    msgpack_pack_array(pk, t->n_municipalities);
    for (size_t i = 0; i < t->n_municipalities; i++)
        sm_pack_str(pk, t->municipalities[i]);
    sm_pack_kv_str(pk, "status", theme_status_name(t->status));
    return sm_ctx_event_end(ctx);
}

/*  The number of sessions of T<theme_id>, or -1 (ctx error set). */
static long s_count_sessions(sm_ctx_t *ctx, uint64_t theme_id)
{
    uint64_t *ids = NULL;
    long n = index_pair_list(ctx, DB_THEME_SESSIONS, theme_id, &ids);
    free(ids);
    return n;
}

/* ==== Requests ========================================================== */

static const char *s_theme_keys[] = {"title",          "question",       "domain",
                                     "phase",          "source",         "status",
                                     "project_leader", "political_lead", "scope",
                                     "municipalities", "years",          "youth_relevant",
                                     NULL};

/*  The enum fields of a theme, as text read from a request. */
typedef struct {
    char domain[64], phase[64], source[64], status[64], scope[64];
    int has_domain, has_phase, has_source, has_status, has_scope;
} s_words_t;

/*  Read the enum fields' words from args. Returns 0, or -1 with err. */
static int s_get_words(const msgpack_object *args, s_words_t *w, sm_err_t *e)
{
    memset(w, 0, sizeof *w);
    return (w->has_domain = sm_get_str(args, "domain", false, w->domain, sizeof w->domain, false,
                                       e)) < 0 ||
                   (w->has_phase = sm_get_str(args, "phase", false, w->phase, sizeof w->phase,
                                              false, e)) < 0 ||
                   (w->has_source = sm_get_str(args, "source", false, w->source,
                                               sizeof w->source, false, e)) < 0 ||
                   (w->has_status = sm_get_str(args, "status", false, w->status,
                                               sizeof w->status, false, e)) < 0 ||
                   (w->has_scope = sm_get_str(args, "scope", false, w->scope, sizeof w->scope,
                                              false, e)) < 0
               ? -1
               : 0;
}

/*  Apply the fields present in args to t (add: t starts from defaults).
    Municipalities are resolved to their codes. Returns 0, or -1 with the
    ctx error set. */
static int s_apply(sm_ctx_t *ctx, const msgpack_object *args, theme_t *t, bool adding)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char munis[THEME_MUNIS_MAX][101];
    size_t n_munis = 0;
    s_words_t w;
    int has_munis, has_youth;
    if (sm_get_str(args, "title", adding, t->title, sizeof t->title, false, e) < 0 ||
        sm_get_str(args, "question", false, t->question, sizeof t->question, true, e) < 0 ||
        s_get_words(args, &w, e) < 0 ||
        (w.has_domain && theme_domain_parse(w.domain, &t->domain, "domain", e) < 0) ||
        (w.has_phase && theme_phase_parse(w.phase, &t->phase, "phase", e) < 0) ||
        (w.has_source && theme_source_parse(w.source, &t->source, "source", e) < 0) ||
        (w.has_status && theme_status_parse(w.status, &t->status, "status", e) < 0) ||
        (w.has_scope && theme_scope_parse(w.scope, &t->regional, "scope", e) < 0) ||
        sm_get_str(args, "project_leader", false, t->project_leader, sizeof t->project_leader,
                   true, e) < 0 ||
        sm_get_str(args, "political_lead", false, t->political_lead, sizeof t->political_lead,
                   true, e) < 0 ||
        (has_munis = sm_get_str_array(args, "municipalities", false, &munis[0][0], sizeof munis[0],
                                      THEME_MUNIS_MAX, &n_munis, e)) < 0 ||
        s_get_years(args, "years", t, e) < 0 ||
        (has_youth = sm_get_bool(args, "youth_relevant", false, &t->youth_relevant, e)) < 0)
        return -1;
    int has_domain = w.has_domain, has_scope = w.has_scope;
    if (adding && !has_domain)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "domain",
                           "field \"domain\" is required; use youth, social_support, "
                           "shelter_and_protection, work_and_income, health or other");
    if (adding && t->n_years == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "years",
                           "field \"years\" is required: the agenda year(s), e.g. [2020]");
    //  A youth theme feeds the youth report unless said otherwise.
    if (adding && !has_youth)
        t->youth_relevant = t->domain == DOMAIN_YOUTH;
    if (has_munis) {
        t->n_municipalities = 0;
        for (size_t i = 0; i < n_munis; i++) {
            sm_muni_t m;
            if (sm_muni_require(ctx, munis[i], "municipalities", &m) != 0)
                return -1;
            snprintf(t->municipalities[t->n_municipalities++], THEME_MUNI_SIZE, "%s", m.code);
        }
        //  Municipalities without a scope say "local".
        if (!has_scope && n_munis > 0)
            t->regional = false;
    } else if (has_scope && t->regional) {
        t->n_municipalities = 0; //  made regional: it covers them all now
    }
    return theme_check(t, e);
}

/*  theme.add: see theme.h and proto/ops-scheduling.md. Returns 0, or -1
    with the ctx error naming the field. */
int op_theme_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    theme_t t;
    memset(&t, 0, sizeof t);
    t.phase = PHASE_AGENDA;
    t.source = SOURCE_REGIONAL_AGENDA;
    t.status = THEME_ACTIVE;
    t.regional = true;
    if (sm_check_keys(args, s_theme_keys, sm_ctx_err(ctx)) || s_apply(ctx, args, &t, true))
        return -1;
    if (!(t.id = sm_ctx_next_id(ctx, 'T')))
        return -1;
    t.created_ms = t.updated_ms = sm_ctx_now_ms(ctx);
    if (s_store(ctx, &t) || s_emit(ctx, "scheduling.theme.created", &t))
        return -1;
    theme_pack(sm_ctx_reply(ctx), &t, 0);
    return 0;
}

/*  theme.update: the fields given replace the stored ones. Returns 0 or -1. */
int op_theme_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"theme",          "title",          "question",
                                 "domain",         "phase",          "source",
                                 "status",         "project_leader", "political_lead",
                                 "scope",          "municipalities", "years",
                                 "youth_relevant", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = 0;
    theme_t t;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "theme", 'T', true, &id, e) < 0 ||
        theme_require(ctx, id, "theme", &t) || s_apply(ctx, args, &t, false))
        return -1;
    t.updated_ms = sm_ctx_now_ms(ctx);
    if (s_store(ctx, &t) || s_emit(ctx, "scheduling.theme.updated", &t))
        return -1;
    theme_pack(sm_ctx_reply(ctx), &t, s_count_sessions(ctx, t.id));
    return 0;
}

/*  theme.get. Returns 0, or -1 (not_found). */
int op_theme_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"theme", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = 0;
    theme_t t;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "theme", 'T', true, &id, e) < 0 ||
        theme_require(ctx, id, "theme", &t))
        return -1;
    long n = s_count_sessions(ctx, id);
    if (n < 0)
        return -1;
    theme_pack(sm_ctx_reply(ctx), &t, n);
    return 0;
}

/*  True when t passes theme.list's filters. */
typedef struct {
    uint64_t after;
    int64_t year;
    theme_status_t status;
    theme_domain_t domain;
    bool youth;
    int has_year, has_status, has_domain, has_youth;
} s_filter_t;

/*  True when t passes theme.list's filters. */
static bool s_wanted(const theme_t *t, const s_filter_t *f)
{
    return t->id > f->after && (!f->has_year || theme_has_year(t, (int)f->year)) &&
           (!f->has_status || t->status == f->status) &&
           (!f->has_domain || t->domain == f->domain) &&
           (!f->has_youth || t->youth_relevant == f->youth);
}

/*  theme.list: one page in ID order. Returns 0 or -1. */
int op_theme_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"year", "status", "domain", "youth_relevant",
                                 "limit", "after",  NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    s_filter_t f;
    s_words_t w;
    uint64_t limit = S_LIST_DEFAULT;
    memset(&f, 0, sizeof f);
    if (sm_check_keys(args, keys, e) ||
        (f.has_year = sm_get_int(args, "year", false, THEME_YEAR_MIN, THEME_YEAR_MAX, &f.year,
                                 e)) < 0 ||
        s_get_words(args, &w, e) < 0 ||
        (w.has_status && theme_status_parse(w.status, &f.status, "status", e) < 0) ||
        (w.has_domain && theme_domain_parse(w.domain, &f.domain, "domain", e) < 0) ||
        (f.has_youth = sm_get_bool(args, "youth_relevant", false, &f.youth, e)) < 0 ||
        sm_get_uint(args, "limit", false, S_LIST_MAX, &limit, e) < 0 ||
        sm_get_id(args, "after", 'T', false, &f.after, e) < 0)
        return -1;
    f.has_status = w.has_status;
    f.has_domain = w.has_domain;
    if (limit == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "limit",
                           "field \"limit\" must be from 1 to %d", S_LIST_MAX);
    theme_t *all = NULL;
    long n = theme_load_all(ctx, &all);
    if (n < 0)
        return -1;
    //  Count the page first (a map's size is packed before its items).
    long count = 0, last = -1;
    bool more = false;
    for (long i = 0; i < n && !more; i++) {
        if (!s_wanted(&all[i], &f))
            continue;
        if ((uint64_t)count == limit)
            more = true;
        else {
            count++;
            last = i;
        }
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "themes");
    msgpack_pack_array(pk, (size_t)count);
    for (long i = 0; i <= last; i++)
        if (s_wanted(&all[i], &f))
            theme_pack(pk, &all[i], s_count_sessions(ctx, all[i].id));
    char id[24];
    if (more)
        sm_pack_kv_str(pk, "next", sm_id_format('T', all[last].id, id));
    else
        sm_pack_kv_nil(pk, "next");
    free(all);
    return 0;
}
