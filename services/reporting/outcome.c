/*  services/reporting/outcome.c - outcome items: the requests. See outcome.h. */
#include "outcome.h"
#include "common/i18n.h"
#include "common/owner.h"
#include "common/record.h"
#include "mirror.h"
#include "outcome_rules.h"
#include <stdlib.h>
#include <string.h>

#define DB_OUTCOMES "outcomes"
#define DB_BY_THEME "outcomes_by_theme"

/*  Rows per outcome.list page when the request does not say. */
#define S_LIST_DEFAULT 100

/*  An item being read or written: the rule's view plus what the store adds.
    Texts are owned (malloc'd). */
typedef struct {
    uint64_t id, theme;
    uint64_t sessions[OUTCOME_SESSIONS_MAX];
    outcome_t o;
    char *brought_in, *done, *reason, *follow_up;
    sm_owners_t owners; //  who answers for it (common/owner.h)
    int64_t created_ms, updated_ms;
} s_item_t;

/*  Free an item's texts and empty it. Safe on an empty one. */
static void s_item_free(s_item_t *it)
{
    free(it->brought_in);
    free(it->done);
    free(it->reason);
    free(it->follow_up);
    memset(it, 0, sizeof *it);
}

/*  Point the rule's view at the owned texts. */
static void s_item_view(s_item_t *it)
{
    it->o.brought_in = it->brought_in;
    it->o.done = it->done;
    it->o.reason = it->reason;
    it->o.follow_up = it->follow_up;
}

/*  Pack an item as stored and as replied. Can't fail. */
static void s_item_encode(const s_item_t *it, msgpack_packer *pk)
{
    char id[24];
    msgpack_pack_map(pk, 11 + SM_OWNERS_NPAIRS);
    sm_rec_pack_id(pk, "id", 'U', it->id);
    sm_rec_pack_id(pk, "theme", 'T', it->theme);
    sm_pack_str(pk, "sessions");
    msgpack_pack_array(pk, it->o.n_sessions);
    for (size_t i = 0; i < it->o.n_sessions; i++)
        sm_pack_str(pk, sm_id_format('S', it->sessions[i], id));
    sm_pack_kv_str(pk, "brought_in", it->brought_in);
    sm_pack_kv_str(pk, "done", it->done);
    sm_pack_kv_str(pk, "effect", outcome_effect_name(it->o.effect));
    sm_pack_kv_str(pk, "status", overview_status_name(it->o.status));
    sm_pack_kv_str(pk, "reason", it->reason);
    sm_pack_kv_str(pk, "follow_up", it->follow_up);
    sm_pack_kv_int(pk, "created_ms", it->created_ms);
    sm_pack_kv_int(pk, "updated_ms", it->updated_ms);
    sm_owners_pack(pk, &it->owners);
}

/*  Fill it from a stored record (texts malloc'd; NULL when absent). */
static void s_item_decode(const msgpack_object *r, uint64_t id, s_item_t *it)
{
    char word[32];
    memset(it, 0, sizeof *it);
    it->id = id;
    it->theme = sm_rec_id(r, "theme", 'T');
    const msgpack_object *list = sm_map_get(r, "sessions");
    for (uint32_t i = 0; list && list->type == MSGPACK_OBJECT_ARRAY && i < list->via.array.size &&
                         it->o.n_sessions < OUTCOME_SESSIONS_MAX;
         i++) {
        const msgpack_object *s = &list->via.array.ptr[i];
        char sid[24];
        if (s->type != MSGPACK_OBJECT_STR || s->via.str.size >= sizeof sid)
            continue;
        memcpy(sid, s->via.str.ptr, s->via.str.size);
        sid[s->via.str.size] = '\0';
        uint64_t n = sm_id_parse(sid, 'S', "sessions", NULL);
        if (n)
            it->sessions[it->o.n_sessions++] = n;
    }
    it->brought_in = sm_rec_strdup(r, "brought_in");
    it->done = sm_rec_strdup(r, "done");
    it->reason = sm_rec_strdup(r, "reason");
    it->follow_up = sm_rec_strdup(r, "follow_up");
    if (outcome_effect_parse(sm_rec_str(r, "effect", word, sizeof word), &it->o.effect, "effect",
                             NULL) != 0)
        it->o.effect = OUTCOME_EFFECT_NONE;
    if (overview_status_parse(sm_rec_str(r, "status", word, sizeof word), &it->o.status, "status",
                              NULL) != 0)
        it->o.status = OUTCOME_OPEN;
    it->created_ms = sm_rec_int(r, "created_ms", 0);
    it->updated_ms = sm_rec_int(r, "updated_ms", 0);
    sm_owners_read(r, &it->owners); //  absent before schema 3: none
    s_item_view(it);
}

/*  Returns 1 found, 0 not found, -1 (ctx error). */
static int s_item_get(sm_ctx_t *ctx, uint64_t id, s_item_t *it)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_OUTCOMES, id, &doc);
    if (rc <= 0)
        return rc;
    s_item_decode(sm_doc_root(doc), id, it);
    sm_doc_destroy(&doc);
    return 1;
}

/*  Store it. Returns 0 or -1 (ctx error). */
static int s_item_put(sm_ctx_t *ctx, const s_item_t *it)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_item_encode(it, &b.pk);
    int rc = sm_rec_put(ctx, DB_OUTCOMES, it->id, &b);
    sm_buf_free(&b);
    return rc;
}

/*  Emit topic with {id, theme, status}. Returns 0 or -1 (ctx error). */
static int s_emit(sm_ctx_t *ctx, const char *topic, const s_item_t *it)
{
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 3);
    sm_rec_pack_id(pk, "id", 'U', it->id);
    sm_rec_pack_id(pk, "theme", 'T', it->theme);
    sm_pack_kv_str(pk, "status", overview_status_name(it->o.status));
    return sm_ctx_event_end(ctx);
}

/* ==== Reading the arguments =============================================== */

/*  Take the text argument key into *out (owned): absent leaves it, ""
    clears it (NULL), a text replaces it. Returns 0, or -1 (ctx error) when
    out of memory. */
static int s_take_text(sm_ctx_t *ctx, const char *key, char **out)
{
    const char *text = sm_arg_str(ctx, key);
    if (!text)
        return 0;
    char *copy = text[0] ? strdup(text) : NULL;
    if (text[0] && !copy)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    free(*out);
    *out = copy;
    return 0;
}

/*  Take "sessions", when given, into it: each a known session of
    it->theme, listed once. Returns 0 or -1 (ctx error). */
static int s_take_sessions(sm_ctx_t *ctx, s_item_t *it)
{
    const uint64_t *ids;
    const char *const *names;
    size_t n = sm_arg_ids(ctx, "sessions", &ids);
    sm_arg_list(ctx, "sessions", &names);
    for (size_t i = 0; i < n; i++) {
        mirror_session_t s;
        if (mirror_session_require(ctx, ids[i], "sessions", &s) != 0)
            return -1;
        if (s.theme != it->theme)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "sessions",
                               _("session %s is on theme T%llu, not on T%llu; list sessions of "
                                 "this outcome's theme"),
                               names[i], (unsigned long long)s.theme,
                               (unsigned long long)it->theme);
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i])
                return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "sessions",
                                   _("session %s is listed twice; list each session once"),
                                   names[i]);
        it->sessions[i] = ids[i];
    }
    if (n)
        it->o.n_sessions = n;
    return 0;
}

/*  Take the fields shared by add and update into it and check the item.
    Returns 0 or -1 (ctx error). */
static int s_take_fields(sm_ctx_t *ctx, s_item_t *it)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *effect = sm_arg_str(ctx, "effect"), *status = sm_arg_str(ctx, "status");
    if (s_take_sessions(ctx, it) != 0 || s_take_text(ctx, "brought_in", &it->brought_in) != 0 ||
        s_take_text(ctx, "done", &it->done) != 0 || s_take_text(ctx, "reason", &it->reason) != 0 ||
        s_take_text(ctx, "follow_up", &it->follow_up) != 0)
        return -1;
    if ((effect && outcome_effect_parse(effect, &it->o.effect, "effect", e) != 0) ||
        (status && overview_status_parse(status, &it->o.status, "status", e) != 0))
        return -1;
    s_item_view(it);
    return outcome_check(&it->o, e) || sm_owners_take(ctx, &it->owners) ? -1 : 0;
}

/* ==== Requests ============================================================ */

int op_outcome_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_item_t it = {.theme = sm_arg_id(ctx, "theme")};
    mirror_theme_t t;
    uint8_t prefix[8];
    int rc = -1;
    sm_key_u64(it.theme, prefix); //  the theme's entries in outcomes_by_theme
    if (mirror_theme_require(ctx, it.theme, "theme", &t) != 0 || s_take_fields(ctx, &it) != 0)
        goto cleanup;
    if (!(it.id = sm_ctx_next_id(ctx, 'U')))
        goto cleanup;
    it.created_ms = it.updated_ms = sm_ctx_now_ms(ctx);
    sm_owners_t none = {0, 0};
    if (s_item_put(ctx, &it) || sm_idx_put(ctx, DB_BY_THEME, prefix, sizeof prefix, it.id) ||
        s_emit(ctx, "reporting.outcome.recorded", &it) ||
        sm_owners_changed(ctx, outcome_owned_kinds, it.id, &none, &it.owners))
        goto cleanup;
    s_item_encode(&it, sm_ctx_reply(ctx));
    rc = 0;
cleanup:
    s_item_free(&it);
    return rc;
}

/*  Load the item the "outcome" argument names. Returns 0, or -1 (ctx
    error; not_found). */
static int s_load(sm_ctx_t *ctx, s_item_t *it)
{
    uint64_t id = sm_arg_id(ctx, "outcome");
    int rc = s_item_get(ctx, id, it);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "outcome",
                           _("outcome U%llu does not exist; see outcome list for the IDs"),
                           (unsigned long long)id);
    return 0;
}

int op_outcome_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_item_t it = {0};
    sm_owners_t was = {0, 0};
    int rc = -1;
    if (s_load(ctx, &it) != 0)
        goto cleanup;
    was = it.owners;
    if (s_take_fields(ctx, &it) != 0)
        goto cleanup;
    it.updated_ms = sm_ctx_now_ms(ctx);
    if (s_item_put(ctx, &it) || s_emit(ctx, "reporting.outcome.updated", &it) ||
        sm_owners_changed(ctx, outcome_owned_kinds, it.id, &was, &it.owners))
        goto cleanup;
    s_item_encode(&it, sm_ctx_reply(ctx));
    rc = 0;
cleanup:
    s_item_free(&it);
    return rc;
}

int op_outcome_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_item_t it = {0};
    int rc = -1;
    if (s_load(ctx, &it) == 0) {
        s_item_encode(&it, sm_ctx_reply(ctx));
        rc = 0;
    }
    s_item_free(&it);
    return rc;
}

/*  An outcome.list page being collected: the filter and the rows. */
typedef struct {
    bool has_status;
    overview_status_t status;
    sm_owner_filter_t owner;
    s_item_t *rows;
    size_t n, limit;
    bool more; //  a row beyond the page exists
} s_page_t;

/*  sm_rec_scan's and sm_idx_scan's visitor: keep item id when it passes
    the filter; stop at the first one beyond a full page. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_page_t *p = arg;
    s_item_t it;
    int rc = s_item_get(ctx, id, &it);
    if (rc <= 0)
        return rc;
    if ((p->has_status && it.o.status != p->status) ||
        !sm_owner_filter_match(&p->owner, &it.owners)) {
        s_item_free(&it);
        return 0;
    }
    if (p->n == p->limit) {
        s_item_free(&it);
        p->more = true;
        return 1;
    }
    p->rows[p->n++] = it;
    return 0;
}

int op_outcome_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_page_t p = {.limit = (size_t)sm_arg_int(ctx, "limit", S_LIST_DEFAULT)};
    uint64_t theme = sm_arg_id(ctx, "theme"), after = sm_arg_id(ctx, "after");
    const char *status = sm_arg_str(ctx, "status");
    mirror_theme_t t;
    uint8_t prefix[8];
    p.has_status = status != NULL;
    if ((status && overview_status_parse(status, &p.status, "status", sm_ctx_err(ctx)) != 0) ||
        (theme && mirror_theme_require(ctx, theme, "theme", &t) != 0) ||
        sm_owner_filter_take(ctx, &p.owner) != 0)
        return -1;
    //  Collect the page first: the reply's array size comes before its rows.
    p.rows = calloc(p.limit, sizeof *p.rows);
    if (!p.rows)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    //  The theme's index, or every outcome.
    sm_key_u64(theme, prefix);
    int rc = theme ? sm_idx_scan(ctx, DB_BY_THEME, prefix, sizeof prefix, after, s_list_visit, &p)
                   : sm_rec_scan(ctx, DB_OUTCOMES, after, s_list_visit, &p);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "outcomes");
        msgpack_pack_array(pk, p.n);
        for (size_t i = 0; i < p.n; i++)
            s_item_encode(&p.rows[i], pk);
        sm_rec_pack_id(pk, "next", 'U', p.more ? p.rows[p.n - 1].id : 0);
    }
    for (size_t i = 0; i < p.n; i++)
        s_item_free(&p.rows[i]);
    free(p.rows);
    return rc;
}

/* ==== Owners ============================================================= */

/*  sm_owned_kind_t.get: an item's owners; open while open or in progress. */
static int s_owned_get(sm_ctx_t *ctx, uint64_t id, sm_owners_t *owners, bool *open)
{
    s_item_t it;
    int rc = s_item_get(ctx, id, &it);
    if (rc == 1) {
        *owners = it.owners;
        *open = it.o.status == OUTCOME_OPEN || it.o.status == OUTCOME_IN_PROGRESS;
        s_item_free(&it);
    }
    return rc;
}

/*  sm_owned_kind_t.set: store an item's new owners. */
static int s_owned_set(sm_ctx_t *ctx, uint64_t id, const sm_owners_t *owners)
{
    s_item_t it;
    int rc = s_item_get(ctx, id, &it);
    if (rc == 1) {
        it.owners = *owners;
        it.updated_ms = sm_ctx_now_ms(ctx);
        rc = s_item_put(ctx, &it);
        s_item_free(&it);
    }
    return rc < 0 ? -1 : 0;
}

const sm_owned_kind_t outcome_owned_kinds[] = {
    {'U', "outcome", "reporting.outcome.assigned", s_owned_get, s_owned_set},
    {0, NULL, NULL, NULL, NULL}};

int on_intake_person(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    return sm_owner_on_person(ctx, "reporting", outcome_owned_kinds, type, data);
}
