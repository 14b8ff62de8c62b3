/*  services/reporting/outcome.c - outcome items: the requests. See outcome.h. */
#include "outcome.h"
#include "mirror.h"
#include "outcome_rules.h"
#include "records.h"
#include <stdlib.h>
#include <string.h>

#define DB_OUTCOMES "outcomes"
#define DB_BY_THEME "outcomes_by_theme"

#define S_LIST_DEFAULT 100
#define S_LIST_MAX 1000

/*  An item being read or written: the rule's view plus what the store adds.
    Texts are owned (malloc'd). */
typedef struct {
    uint64_t id, theme;
    uint64_t sessions[OUTCOME_SESSIONS_MAX];
    outcome_t o;
    char *brought_in, *done, *reason, *follow_up;
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
    msgpack_pack_map(pk, 11);
    rec_pack_id(pk, "id", 'U', it->id);
    rec_pack_id(pk, "theme", 'T', it->theme);
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
}

/*  Fill it from a stored record (texts malloc'd; NULL when absent). */
static void s_item_decode(const msgpack_object *r, uint64_t id, s_item_t *it)
{
    char word[32];
    memset(it, 0, sizeof *it);
    it->id = id;
    it->theme = rec_id(r, "theme", 'T');
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
    it->brought_in = rec_strdup(r, "brought_in");
    it->done = rec_strdup(r, "done");
    it->reason = rec_strdup(r, "reason");
    it->follow_up = rec_strdup(r, "follow_up");
    if (outcome_effect_parse(rec_str(r, "effect", word, sizeof word), &it->o.effect, "effect",
                             NULL) != 0)
        it->o.effect = OUTCOME_EFFECT_NONE;
    if (overview_status_parse(rec_str(r, "status", word, sizeof word), &it->o.status, "status",
                              NULL) != 0)
        it->o.status = OUTCOME_OPEN;
    it->created_ms = rec_int(r, "created_ms", 0);
    it->updated_ms = rec_int(r, "updated_ms", 0);
    s_item_view(it);
}

/*  Returns 1 found, 0 not found, -1 (ctx error). */
static int s_item_get(sm_ctx_t *ctx, uint64_t id, s_item_t *it)
{
    sm_doc_t *doc;
    int rc = rec_get_doc(ctx, sm_ctx_dbi(ctx, DB_OUTCOMES), id, &doc);
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
    int rc = rec_put_buf(ctx, sm_ctx_dbi(ctx, DB_OUTCOMES), it->id, &b);
    sm_buf_free(&b);
    return rc;
}

/*  Emit topic with {id, theme, status}. Returns 0 or -1 (ctx error). */
static int s_emit(sm_ctx_t *ctx, const char *topic, const s_item_t *it)
{
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 3);
    rec_pack_id(pk, "id", 'U', it->id);
    rec_pack_id(pk, "theme", 'T', it->theme);
    sm_pack_kv_str(pk, "status", overview_status_name(it->o.status));
    return sm_ctx_event_end(ctx);
}

/* ==== Reading the arguments =============================================== */

/*  An optional text that may be cleared: absent leaves *out alone and
    returns 0; "" clears it (NULL) and returns 1; text replaces it and
    returns 1; -1 with err when invalid. */
static int s_get_clearable(const msgpack_object *args, const char *key, size_t max, char **out,
                           sm_err_t *err)
{
    const msgpack_object *o = sm_map_get(args, key);
    if (o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == 0) {
        free(*out);
        *out = NULL;
        return 1;
    }
    char *text = NULL;
    int rc = sm_get_text(args, key, false, max, &text, err);
    if (rc <= 0)
        return rc;
    free(*out);
    *out = text;
    return 1;
}

/*  Read "sessions" (required when required) into it: each a known session
    of it->theme. Returns 0 (also when absent and optional), or -1. */
static int s_get_sessions(sm_ctx_t *ctx, const msgpack_object *args, bool required, s_item_t *it)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char items[OUTCOME_SESSIONS_MAX + 1][24];
    size_t n = 0;
    const msgpack_object *list = sm_map_get(args, "sessions");
    if (list && list->type == MSGPACK_OBJECT_ARRAY && list->via.array.size > OUTCOME_SESSIONS_MAX)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "sessions",
                           "sessions lists %u sessions; at most %d are accepted",
                           list->via.array.size, OUTCOME_SESSIONS_MAX);
    int rc = sm_get_str_array(args, "sessions", required, &items[0][0], sizeof items[0],
                              OUTCOME_SESSIONS_MAX, &n, e);
    if (rc <= 0)
        return rc;
    if (n == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "sessions",
                           "sessions must list at least one session the input came from (e.g. "
                           "[\"S31\"])");
    for (size_t i = 0; i < n; i++) {
        uint64_t sid = sm_id_parse(items[i], 'S', "sessions", e);
        mirror_session_t s;
        if (!sid || mirror_session_require(ctx, sid, "sessions", &s) != 0)
            return -1;
        if (s.theme != it->theme)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "sessions",
                               "session %s is on theme T%llu, not on T%llu; list sessions of "
                               "this outcome's theme",
                               items[i], (unsigned long long)s.theme,
                               (unsigned long long)it->theme);
        for (size_t j = 0; j < i; j++)
            if (it->sessions[j] == sid)
                return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "sessions",
                                   "session %s is listed twice; list each session once", items[i]);
        it->sessions[i] = sid;
    }
    it->o.n_sessions = n;
    return 0;
}

/*  Read the fields shared by add and update over it. Returns 0 or -1. */
static int s_get_fields(sm_ctx_t *ctx, const msgpack_object *args, bool adding, s_item_t *it)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char word[32];
    int has;
    char *brought_in = NULL;
    if (sm_get_text(args, "brought_in", adding, OVERVIEW_TEXT_MAX, &brought_in, e) < 0)
        return -1;
    if (brought_in) {
        free(it->brought_in);
        it->brought_in = brought_in;
    }
    if (s_get_sessions(ctx, args, adding, it) != 0 ||
        s_get_clearable(args, "done", OVERVIEW_TEXT_MAX, &it->done, e) < 0 ||
        s_get_clearable(args, "reason", OVERVIEW_TEXT_MAX, &it->reason, e) < 0 ||
        s_get_clearable(args, "follow_up", OVERVIEW_TEXT_MAX, &it->follow_up, e) < 0)
        return -1;
    if ((has = sm_get_str(args, "effect", false, word, sizeof word, false, e)) < 0 ||
        (has && outcome_effect_parse(word, &it->o.effect, "effect", e) != 0))
        return -1;
    if ((has = sm_get_str(args, "status", false, word, sizeof word, false, e)) < 0 ||
        (has && overview_status_parse(word, &it->o.status, "status", e) != 0))
        return -1;
    s_item_view(it);
    return outcome_check(&it->o, e);
}

/* ==== Requests ============================================================ */

int op_outcome_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"theme",  "sessions", "brought_in", "done", "effect",
                                 "status", "reason",   "follow_up",  NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    s_item_t it = {0};
    mirror_theme_t t;
    int rc = -1;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "theme", 'T', true, &it.theme, e) < 0 ||
        mirror_theme_require(ctx, it.theme, "theme", &t) != 0 ||
        s_get_fields(ctx, args, true, &it) != 0)
        goto cleanup;
    if (!(it.id = sm_ctx_next_id(ctx, 'U')))
        goto cleanup;
    it.created_ms = it.updated_ms = sm_ctx_now_ms(ctx);
    if (s_item_put(ctx, &it) ||
        rec_put2(ctx, sm_ctx_dbi(ctx, DB_BY_THEME), it.theme, it.id, "", 0) ||
        s_emit(ctx, "reporting.outcome.recorded", &it))
        goto cleanup;
    s_item_encode(&it, sm_ctx_reply(ctx));
    rc = 0;
cleanup:
    s_item_free(&it);
    return rc;
}

/*  Read "outcome" and load it. Returns 0, or -1 (ctx error; not_found). */
static int s_load(sm_ctx_t *ctx, const msgpack_object *args, s_item_t *it)
{
    uint64_t id;
    if (sm_get_id(args, "outcome", 'U', true, &id, sm_ctx_err(ctx)) < 0)
        return -1;
    int rc = s_item_get(ctx, id, it);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "outcome",
                           "outcome U%llu does not exist; see outcome list for the IDs",
                           (unsigned long long)id);
    return 0;
}

int op_outcome_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"outcome", "sessions", "brought_in", "done", "effect",
                                 "status",  "reason",   "follow_up",  NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    s_item_t it = {0};
    int rc = -1;
    if (sm_check_keys(args, keys, e) || s_load(ctx, args, &it) != 0 ||
        s_get_fields(ctx, args, false, &it) != 0)
        goto cleanup;
    it.updated_ms = sm_ctx_now_ms(ctx);
    if (s_item_put(ctx, &it) || s_emit(ctx, "reporting.outcome.updated", &it))
        goto cleanup;
    s_item_encode(&it, sm_ctx_reply(ctx));
    rc = 0;
cleanup:
    s_item_free(&it);
    return rc;
}

int op_outcome_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"outcome", NULL};
    s_item_t it = {0};
    int rc = -1;
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) == 0 && s_load(ctx, args, &it) == 0) {
        s_item_encode(&it, sm_ctx_reply(ctx));
        rc = 0;
    }
    s_item_free(&it);
    return rc;
}

int op_outcome_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"theme", "status", "limit", "after", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t theme = 0, after = 0;
    int64_t limit = S_LIST_DEFAULT;
    char word[32];
    overview_status_t status = OUTCOME_OPEN;
    int has_status;
    mirror_theme_t t;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "theme", 'T', false, &theme, e) < 0 ||
        sm_get_id(args, "after", 'U', false, &after, e) < 0 ||
        sm_get_int(args, "limit", false, 1, S_LIST_MAX, &limit, e) < 0 ||
        (has_status = sm_get_str(args, "status", false, word, sizeof word, false, e)) < 0 ||
        (has_status && overview_status_parse(word, &status, "status", e) != 0) ||
        (theme && mirror_theme_require(ctx, theme, "theme", &t) != 0))
        return -1;
    //  The IDs to look at: the theme's index, or every outcome.
    uint64_t *ids = NULL;
    long n_ids;
    if (theme) {
        n_ids = rec_list2(ctx, sm_ctx_dbi(ctx, DB_BY_THEME), theme, &ids);
        if (n_ids < 0)
            return -1;
    } else {
        MDB_cursor *cur;
        size_t total = rec_count(ctx, DB_OUTCOMES);
        ids = calloc(total ? total : 1, sizeof *ids);
        if (!ids || mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_OUTCOMES), &cur) != 0) {
            free(ids);
            return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read outcomes");
        }
        n_ids = 0;
        MDB_val k, v;
        for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && (size_t)n_ids < total;
             rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
            if (k.mv_size == 8)
                ids[n_ids++] = sm_key_u64_decode(k.mv_data);
        mdb_cursor_close(cur);
    }
    s_item_t *rows = calloc((size_t)limit, sizeof *rows);
    if (!rows) {
        free(ids);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    }
    size_t n = 0;
    bool more = false;
    for (long i = 0; i < n_ids; i++) {
        if (ids[i] <= after)
            continue;
        s_item_t it;
        if (s_item_get(ctx, ids[i], &it) <= 0)
            continue;
        if (has_status && it.o.status != status) {
            s_item_free(&it);
            continue;
        }
        if (n == (size_t)limit) {
            s_item_free(&it);
            more = true;
            break;
        }
        rows[n++] = it;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "outcomes");
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        s_item_encode(&rows[i], pk);
    if (more)
        rec_pack_id(pk, "next", 'U', rows[n - 1].id);
    else
        sm_pack_kv_nil(pk, "next");
    for (size_t i = 0; i < n; i++)
        s_item_free(&rows[i]);
    free(rows);
    free(ids);
    return 0;
}
