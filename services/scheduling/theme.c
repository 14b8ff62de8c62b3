/*  services/scheduling/theme.c - themes on the annual agenda. See theme.h. */
#include "theme.h"
#include "common/date.h"
#include "common/i18n.h"
#include "common/municipalities.h"
#include "store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_LIST_DEFAULT 100

/* ==== The stored record ================================================= */

/*  Pack the municipalities and the years of t. Can't fail. */
static void s_pack_lists(msgpack_packer *pk, const theme_t *t)
{
    sm_pack_str(pk, "municipalities");
    msgpack_pack_array(pk, t->n_municipalities);
    for (size_t i = 0; i < t->n_municipalities; i++)
        sm_pack_str(pk, t->municipalities[i]);
    sm_pack_str(pk, "years");
    msgpack_pack_array(pk, t->n_years);
    for (size_t i = 0; i < t->n_years; i++)
        msgpack_pack_int(pk, t->years[i]);
}

/*  Pack the 15 fields a theme has in the store and in replies (the
    caller opens the map); the project leader and political lead, names of
    people, are nil unless personal (the owner and deputy are IDs: M3).
    Can't fail. */
static void s_pack_fields(msgpack_packer *pk, const theme_t *t, bool personal)
{
    sm_rec_pack_id(pk, "id", 'T', t->id);
    sm_pack_kv_str(pk, "title", t->title);
    sm_pack_kv_str(pk, "question", t->question);
    sm_pack_kv_str(pk, "domain", theme_domain_name(t->domain));
    sm_pack_kv_str(pk, "phase", theme_phase_name(t->phase));
    sm_pack_kv_str(pk, "source", theme_source_name(t->source));
    sm_pack_kv_str(pk, "status", theme_status_name(t->status));
    sm_pack_kv_str(pk, "project_leader", personal ? t->project_leader : NULL);
    sm_pack_kv_str(pk, "political_lead", personal ? t->political_lead : NULL);
    sm_pack_kv_str(pk, "scope", t->regional ? "regional" : "local");
    s_pack_lists(pk, t);
    sm_pack_kv_bool(pk, "youth_relevant", t->youth_relevant);
    sm_owners_pack(pk, &t->owners);
}

/*  Pack t as stored. Can't fail. */
static void s_encode(const theme_t *t, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 17);
    s_pack_fields(pk, t, true);
    sm_pack_kv_int(pk, "created_ms", t->created_ms);
    sm_pack_kv_int(pk, "updated_ms", t->updated_ms);
}

/*  Decode the stored theme r into t. Returns 0, or -1 when it is damaged. */
static int s_decode(const msgpack_object *r, theme_t *t)
{
    memset(t, 0, sizeof *t);
    char word[32];
    t->id = sm_rec_id(r, "id", 'T');
    sm_rec_str(r, "title", t->title, sizeof t->title);
    sm_rec_str(r, "question", t->question, sizeof t->question);
    sm_rec_str(r, "project_leader", t->project_leader, sizeof t->project_leader);
    sm_rec_str(r, "political_lead", t->political_lead, sizeof t->political_lead);
    t->regional = strcmp(sm_rec_str(r, "scope", word, sizeof word), "regional") == 0;
    t->youth_relevant = sm_rec_bool(r, "youth_relevant", false);
    t->created_ms = sm_rec_int(r, "created_ms", 0);
    t->updated_ms = sm_rec_int(r, "updated_ms", 0);
    sm_owners_read(r, &t->owners); //  absent before schema 3: none
    const msgpack_object *ys = sm_map_get(r, "years");
    for (uint32_t i = 0; ys && ys->type == MSGPACK_OBJECT_ARRAY && i < ys->via.array.size &&
                         t->n_years < THEME_YEARS_MAX;
         i++)
        if (ys->via.array.ptr[i].type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
            ys->via.array.ptr[i].via.u64 <= THEME_YEAR_MAX)
            t->years[t->n_years++] = (int)ys->via.array.ptr[i].via.u64;
    if (!t->id ||
        theme_domain_parse(sm_rec_str(r, "domain", word, sizeof word), &t->domain, "domain",
                           NULL) < 0 ||
        theme_phase_parse(sm_rec_str(r, "phase", word, sizeof word), &t->phase, "phase", NULL) <
            0 ||
        theme_source_parse(sm_rec_str(r, "source", word, sizeof word), &t->source, "source",
                           NULL) < 0 ||
        theme_status_parse(sm_rec_str(r, "status", word, sizeof word), &t->status, "status",
                           NULL) < 0 ||
        sm_get_str_array(r, "municipalities", false, &t->municipalities[0][0], THEME_MUNI_SIZE,
                         THEME_MUNIS_MAX, &t->n_municipalities, NULL) < 0)
        return -1;
    return 0;
}

/*  Decode the theme T<id> stored in d into t, then keep d in *doc (when doc
    is not NULL; caller destroys) or destroy it. Returns 1, or -1 with the
    ctx error set when the record is damaged. */
static int s_take(sm_ctx_t *ctx, uint64_t id, sm_doc_t *d, theme_t *t, sm_doc_t **doc)
{
    int rc = 1;
    if (s_decode(sm_doc_root(d), t) != 0)
        rc = sm_ctx_fail(ctx, SM_E_INTERNAL, "theme", _("the stored theme T%llu is damaged"),
                         (unsigned long long)id);
    if (rc > 0 && doc)
        *doc = d;
    else
        sm_doc_destroy(&d);
    return rc;
}

int theme_load(sm_ctx_t *ctx, uint64_t id, theme_t *out)
{
    sm_doc_t *d = NULL;
    int rc = sm_rec_get(ctx, DB_THEMES, id, &d);
    return rc <= 0 ? rc : s_take(ctx, id, d, out, NULL);
}

/*  Load T<id> into t and its stored map into *doc (as s_take), refusing an
    unknown one with not_found naming field. Returns 0 or -1. */
static int s_require(sm_ctx_t *ctx, uint64_t id, const char *field, theme_t *t, sm_doc_t **doc)
{
    sm_doc_t *d = NULL;
    if (sm_rec_require(ctx, DB_THEMES, 'T', id, field, N_("theme"), "theme list", &d) != 0)
        return -1;
    return s_take(ctx, id, d, t, doc) < 0 ? -1 : 0;
}

int theme_require(sm_ctx_t *ctx, uint64_t id, const char *field, theme_t *out)
{
    return s_require(ctx, id, field, out, NULL);
}

/*  Store t under its ID; old is the stored map it replaces (NULL for a new
    theme), merged so that a field this version does not know survives.
    Returns 0 or -1 (ctx error set). */
static int s_store(sm_ctx_t *ctx, const theme_t *t, const msgpack_object *old)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(t, &b.pk);
    int rc = old ? sm_rec_update(ctx, DB_THEMES, t->id, old, &b, NULL)
                 : sm_rec_put(ctx, DB_THEMES, t->id, &b);
    sm_buf_free(&b);
    return rc;
}

typedef struct {
    theme_t *all;
    long n, cap;
} s_all_t;

/*  sm_rec_scan visitor: load one theme into the s_all_t in arg. */
static int s_load_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_all_t *a = arg;
    if (a->n == a->cap)
        return 1; //  more than counted (cannot happen in one transaction): never overflow
    if (theme_load(ctx, id, &a->all[a->n]) < 0)
        return -1;
    a->n++;
    return 0;
}

long theme_load_all(sm_ctx_t *ctx, theme_t **out)
{
    s_all_t a = {NULL, 0, (long)sm_rec_count(ctx, DB_THEMES)};
    *out = NULL;
    if (!(a.all = calloc((size_t)a.cap + 1, sizeof *a.all)))
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory loading themes"));
    if (sm_rec_scan(ctx, DB_THEMES, 0, s_load_one, &a) != 0) {
        free(a.all);
        return -1;
    }
    *out = a.all;
    return a.n;
}

/* ==== Replies and events ================================================ */

void theme_pack(msgpack_packer *pk, const theme_t *t, long n_sessions, bool personal)
{
    msgpack_pack_map(pk, n_sessions >= 0 ? 17 : 16);
    s_pack_fields(pk, t, personal);
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
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 10);
    sm_rec_pack_id(pk, "id", 'T', t->id);
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

/*  The number of sessions of T<theme_id>. Can't fail. */
static long s_count_sessions(sm_ctx_t *ctx, uint64_t theme_id)
{
    uint8_t k[16];
    sm_key_pair(theme_id, 0, k);
    return (long)sm_idx_count(ctx, DB_THEME_SESSIONS, k, 8);
}

/* ==== Requests ========================================================== */

/*  Apply the arguments given to t (add: t starts from defaults); the
    service loop has checked each against the declaration (proto/
    ops_scheduling.c). Municipalities are resolved to their codes. Returns
    0, or -1 with the ctx error set. */
static int s_apply(sm_ctx_t *ctx, theme_t *t, bool adding)
{
    const char *v;
    if ((v = sm_arg_str(ctx, "title")))
        snprintf(t->title, sizeof t->title, "%s", v);
    if ((v = sm_arg_str(ctx, "question")))
        snprintf(t->question, sizeof t->question, "%s", v);
    if ((v = sm_arg_str(ctx, "project_leader")))
        snprintf(t->project_leader, sizeof t->project_leader, "%s", v);
    if ((v = sm_arg_str(ctx, "political_lead")))
        snprintf(t->political_lead, sizeof t->political_lead, "%s", v);
    //  The enums arrive as their canonical words: these parses cannot fail.
    sm_err_t *e = sm_ctx_err(ctx);
    if (((v = sm_arg_str(ctx, "domain")) && theme_domain_parse(v, &t->domain, "domain", e)) ||
        ((v = sm_arg_str(ctx, "phase")) && theme_phase_parse(v, &t->phase, "phase", e)) ||
        ((v = sm_arg_str(ctx, "source")) && theme_source_parse(v, &t->source, "source", e)) ||
        ((v = sm_arg_str(ctx, "status")) && theme_status_parse(v, &t->status, "status", e)) ||
        ((v = sm_arg_str(ctx, "scope")) && theme_scope_parse(v, &t->regional, "scope", e)))
        return -1;
    const int64_t *years;
    size_t n_years = sm_arg_ints(ctx, "years", &years);
    if (sm_arg_has(ctx, "years")) {
        for (size_t i = 0; i < n_years; i++)
            t->years[i] = (int)years[i];
        t->n_years = n_years;
        theme_years_normalise(t);
    }
    //  A youth theme feeds the youth report unless said otherwise.
    t->youth_relevant = sm_arg_bool(ctx, "youth_relevant",
                                    adding ? t->domain == DOMAIN_YOUTH : t->youth_relevant);
    const char *const *munis;
    size_t n_munis = sm_arg_list(ctx, "municipalities", &munis);
    if (sm_arg_has(ctx, "municipalities")) {
        t->n_municipalities = 0;
        for (size_t i = 0; i < n_munis; i++) {
            sm_muni_t m;
            if (sm_muni_require(ctx, munis[i], "municipalities", &m) != 0)
                return -1;
            snprintf(t->municipalities[t->n_municipalities++], THEME_MUNI_SIZE, "%s", m.code);
        }
        //  Municipalities without a scope say "local".
        if (!sm_arg_has(ctx, "scope") && n_munis > 0)
            t->regional = false;
    } else if (sm_arg_has(ctx, "scope") && t->regional) {
        t->n_municipalities = 0; //  made regional: it covers them all now
    }
    return theme_check(t, e) || sm_owners_take(ctx, &t->owners) ? -1 : 0;
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
    if (s_apply(ctx, &t, true) != 0 || !(t.id = sm_ctx_next_id(ctx, 'T')))
        return -1;
    t.created_ms = t.updated_ms = sm_ctx_now_ms(ctx);
    sm_owners_t none = {0, 0};
    if (s_store(ctx, &t, NULL) || s_emit(ctx, "scheduling.theme.created", &t) ||
        sm_owners_changed(ctx, theme_owned_kinds, t.id, &none, &t.owners))
        return -1;
    theme_pack(sm_ctx_reply(ctx), &t, 0, sm_ctx_sees_personal(ctx));
    return 0;
}

/*  theme.update: the fields given replace the stored ones. Returns 0 or -1. */
int op_theme_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_doc_t *old = NULL;
    theme_t t;
    if (s_require(ctx, sm_arg_id(ctx, "theme"), "theme", &t, &old) != 0)
        return -1;
    t.updated_ms = sm_ctx_now_ms(ctx);
    sm_owners_t was = t.owners;
    int rc = s_apply(ctx, &t, false) || s_store(ctx, &t, sm_doc_root(old)) ||
                     s_emit(ctx, "scheduling.theme.updated", &t) ||
                     sm_owners_changed(ctx, theme_owned_kinds, t.id, &was, &t.owners)
                 ? -1
                 : 0;
    if (rc == 0)
        theme_pack(sm_ctx_reply(ctx), &t, s_count_sessions(ctx, t.id),
                   sm_ctx_sees_personal(ctx));
    sm_doc_destroy(&old);
    return rc;
}

/*  theme.get. Returns 0, or -1 (not_found). */
int op_theme_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    theme_t t;
    uint64_t id = sm_arg_id(ctx, "theme");
    if (theme_require(ctx, id, "theme", &t) != 0)
        return -1;
    theme_pack(sm_ctx_reply(ctx), &t, s_count_sessions(ctx, id), sm_ctx_sees_personal(ctx));
    return 0;
}

/*  One page of theme.list being gathered: the filters, and the themes
    packed so far. */
typedef struct {
    int64_t year, limit;
    const char *status, *domain; //  canonical words, or NULL
    bool has_youth, youth;
    sm_owner_filter_t owner;
    sm_buf_t rows;
    int64_t n;
    uint64_t last;
    bool more;
} s_page_t;

/*  sm_rec_scan visitor: pack the theme id when it passes the filters, or
    stop at the first one past the page. */
static int s_list_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_page_t *pg = arg;
    theme_t t;
    if (theme_load(ctx, id, &t) < 0)
        return -1;
    if ((pg->year && !theme_has_year(&t, (int)pg->year)) ||
        (pg->status && strcmp(theme_status_name(t.status), pg->status) != 0) ||
        (pg->domain && strcmp(theme_domain_name(t.domain), pg->domain) != 0) ||
        (pg->has_youth && t.youth_relevant != pg->youth) ||
        !sm_owner_filter_match(&pg->owner, &t.owners))
        return 0;
    if (pg->n == pg->limit) {
        pg->more = true;
        return 1;
    }
    bool personal = sm_ctx_sees_personal(ctx);
    if (personal) {
        char tid[24];
        sm_ctx_audit_id(ctx, sm_id_format('T', id, tid));
    }
    theme_pack(&pg->rows.pk, &t, s_count_sessions(ctx, id), personal);
    pg->n++;
    pg->last = id;
    return 0;
}

/*  theme.list: one page in ID order. Returns 0 or -1. */
int op_theme_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_page_t pg = {.year = sm_arg_int(ctx, "year", 0),
                   .limit = sm_arg_int(ctx, "limit", S_LIST_DEFAULT),
                   .status = sm_arg_str(ctx, "status"),
                   .domain = sm_arg_str(ctx, "domain"),
                   .has_youth = sm_arg_has(ctx, "youth_relevant"),
                   .youth = sm_arg_bool(ctx, "youth_relevant", false)};
    if (sm_owner_filter_take(ctx, &pg.owner) != 0)
        return -1;
    sm_buf_init(&pg.rows);
    int rc = sm_rec_scan(ctx, DB_THEMES, sm_arg_id(ctx, "after"), s_list_one, &pg);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "themes");
        msgpack_pack_array(pk, (size_t)pg.n);
        if (pg.rows.sbuf.size) //  n themes, already encoded, back to back
            sm_pack_raw(pk, pg.rows.sbuf.data, pg.rows.sbuf.size);
        sm_rec_pack_id(pk, "next", 'T', pg.more ? pg.last : 0);
    }
    sm_buf_free(&pg.rows);
    return rc;
}

/* ==== Owners ============================================================= */

/*  sm_owned_kind_t.get: a theme's owners; open unless completed or dropped. */
static int s_owned_get(sm_ctx_t *ctx, uint64_t id, sm_owners_t *owners, bool *open)
{
    theme_t t;
    int rc = theme_load(ctx, id, &t);
    if (rc == 1) {
        *owners = t.owners;
        *open = t.status != THEME_COMPLETED && t.status != THEME_DROPPED;
    }
    return rc;
}

/*  sm_owned_kind_t.set: store a theme's new owners, merged into its record. */
static int s_owned_set(sm_ctx_t *ctx, uint64_t id, const sm_owners_t *owners)
{
    sm_doc_t *old = NULL;
    theme_t t;
    if (s_require(ctx, id, "theme", &t, &old) != 0)
        return -1;
    t.owners = *owners;
    t.updated_ms = sm_ctx_now_ms(ctx);
    int rc = s_store(ctx, &t, sm_doc_root(old));
    sm_doc_destroy(&old);
    return rc;
}

const sm_owned_kind_t theme_owned_kinds[] = {
    {'T', "theme", "scheduling.theme.assigned", s_owned_get, s_owned_set},
    {0, NULL, NULL, NULL, NULL}};

int on_intake_person(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    return sm_owner_on_person(ctx, "scheduling", theme_owned_kinds, type, data);
}
