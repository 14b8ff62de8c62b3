/*  services/reporting/mirror.c - what reporting learns from the other services' events.
    See mirror.h. */
#include "mirror.h"
#include "../../common/log.h"
#include "common/i18n.h"
#include "reaction.h"
#include "common/record.h"
#include <stdlib.h>
#include <string.h>

#define DB_THEMES "themes"
#define DB_SESSIONS "sessions"
#define DB_PARTICIPANTS "participants"
#define DB_ATTENDANCE "attendance"

/*  Most attendance rows listed in one participant.export reply. */
#define S_EXPORT_ROWS_MAX 1000

/* ==== Copying fields from an event ======================================= */

/*  True when o is text of at most MIRROR_TEXT_MAX bytes (events come from
    other services: trusted to be well-formed, not to be small). */
static bool s_is_text(const msgpack_object *o)
{
    return o && o->type == MSGPACK_OBJECT_STR && o->via.str.size <= MIRROR_TEXT_MAX;
}

/*  Pack key with the text of src[key], or nil when it is absent or unusable. */
static void s_copy_text(msgpack_packer *pk, const char *key, const msgpack_object *src)
{
    const msgpack_object *o = sm_map_get(src, key);
    sm_pack_str(pk, key);
    if (s_is_text(o))
        sm_pack_strn(pk, o->via.str.ptr, o->via.str.size);
    else
        msgpack_pack_nil(pk);
}

/*  Pack key with the text items of the list src[key] (at most
    MIRROR_LIST_MAX; other items dropped), or an empty list. */
static void s_copy_list(msgpack_packer *pk, const char *key, const msgpack_object *src)
{
    const msgpack_object *o = sm_map_get(src, key);
    uint32_t n = 0;
    if (o && o->type == MSGPACK_OBJECT_ARRAY)
        for (uint32_t i = 0; i < o->via.array.size && n < MIRROR_LIST_MAX; i++)
            n += s_is_text(&o->via.array.ptr[i]);
    sm_pack_str(pk, key);
    msgpack_pack_array(pk, n);
    for (uint32_t i = 0, k = 0; o && o->type == MSGPACK_OBJECT_ARRAY && k < n; i++) {
        const msgpack_object *it = &o->via.array.ptr[i];
        if (!s_is_text(it))
            continue;
        sm_pack_strn(pk, it->via.str.ptr, it->via.str.size);
        k++;
    }
}

/*  The value for key: from the event when it has one (not nil), else from
    the stored record (may be NULL). */
static const msgpack_object *s_newer(const msgpack_object *event, const msgpack_object *stored,
                                     const char *key)
{
    const msgpack_object *o = sm_map_get(event, key);
    if (o && o->type != MSGPACK_OBJECT_NIL)
        return o;
    return stored ? sm_map_get(stored, key) : NULL;
}

/*  Refuse an event whose ID field is missing or malformed. Returns -1. */
static int s_bad_id(sm_ctx_t *ctx, const char *type, const char *field)
{
    return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, field, _("event %s has no valid \"%s\""), type,
                       field);
}

/* ==== Themes ============================================================= */

int on_scheduling_theme(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    if (strcmp(type, "scheduling.theme.created") != 0 &&
        strcmp(type, "scheduling.theme.updated") != 0)
        return 0;
    uint64_t id = sm_rec_id(data, "id", 'T');
    if (!id)
        return s_bad_id(ctx, type, "id");
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 7);
    sm_rec_pack_id(&b.pk, "id", 'T', id);
    //  The municipalities of a local theme (codes; none for a regional
    //  one), for a municipality's overview; absent from older events.
    s_copy_list(&b.pk, "municipalities", data);
    s_copy_text(&b.pk, "title", data);
    //  The central question: scheduling's theme "question" (the question put
    //  to residents); absent from older events.
    s_copy_text(&b.pk, "question", data);
    sm_pack_kv_bool(&b.pk, "youth_relevant", sm_rec_bool(data, "youth_relevant", false));
    s_copy_text(&b.pk, "status", data);
    const msgpack_object *years = sm_map_get(data, "years");
    uint32_t n = 0;
    int64_t ys[16];
    for (uint32_t i = 0;
         years && years->type == MSGPACK_OBJECT_ARRAY && i < years->via.array.size && n < 16; i++) {
        const msgpack_object *y = &years->via.array.ptr[i];
        if (y->type == MSGPACK_OBJECT_POSITIVE_INTEGER && y->via.u64 >= 1 && y->via.u64 <= 9999)
            ys[n++] = (int64_t)y->via.u64;
    }
    sm_pack_str(&b.pk, "years");
    msgpack_pack_array(&b.pk, n);
    for (uint32_t i = 0; i < n; i++)
        msgpack_pack_int64(&b.pk, ys[i]);
    int rc = sm_rec_put(ctx, DB_THEMES, id, &b);
    sm_buf_free(&b);
    return rc;
}

int mirror_theme_get(sm_ctx_t *ctx, uint64_t id, mirror_theme_t *out)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_THEMES, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    memset(out, 0, sizeof *out);
    out->id = id;
    sm_rec_str(r, "title", out->title, sizeof out->title);
    sm_rec_str(r, "question", out->question, sizeof out->question);
    out->youth_relevant = sm_rec_bool(r, "youth_relevant", false);
    sm_doc_destroy(&doc);
    return 1;
}

int mirror_theme_require(sm_ctx_t *ctx, uint64_t id, const char *field, mirror_theme_t *out)
{
    int rc = mirror_theme_get(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                           _("theme T%llu is not known to reporting; give a theme created in "
                             "scheduling (samenctl theme list)"),
                           (unsigned long long)id);
    return 0;
}

/* ==== Sessions =========================================================== */

/*  Write the session record: the event's fields over the stored ones. */
static int s_session_store(sm_ctx_t *ctx, uint64_t id, const msgpack_object *event,
                           const msgpack_object *stored)
{
    static const msgpack_object nil = {.type = MSGPACK_OBJECT_NIL};
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 7);
    sm_rec_pack_id(&b.pk, "id", 'S', id);
    static const char *const texts[] = {"theme", "method", "status", "held_on"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        const msgpack_object *o = s_newer(event, stored, texts[i]);
        sm_pack_str(&b.pk, texts[i]);
        if (s_is_text(o))
            sm_pack_strn(&b.pk, o->via.str.ptr, o->via.str.size);
        else
            msgpack_pack_nil(&b.pk);
    }
    const msgpack_object *groups = sm_map_get(event, "target_groups");
    if (groups && groups->type == MSGPACK_OBJECT_ARRAY)
        s_copy_list(&b.pk, "target_groups", event);
    else
        s_copy_list(&b.pk, "target_groups", stored ? stored : &nil);
    //  The municipalities a session is for (codes; none: its theme's).
    const msgpack_object *munis = sm_map_get(event, "municipalities");
    if (munis && munis->type == MSGPACK_OBJECT_ARRAY)
        s_copy_list(&b.pk, "municipalities", event);
    else
        s_copy_list(&b.pk, "municipalities", stored ? stored : &nil);
    int rc = sm_rec_put(ctx, DB_SESSIONS, id, &b);
    sm_buf_free(&b);
    return rc;
}

int on_scheduling_session(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    //  planned / updated carry every field; confirmed / held / cancelled the
    //  status (and held_on). Whatever an event carries replaces what was
    //  known; what it leaves out is kept.
    uint64_t id = sm_rec_id(data, "id", 'S');
    if (!id)
        return s_bad_id(ctx, type, "id");
    sm_doc_t *doc = NULL;
    if (sm_rec_get(ctx, DB_SESSIONS, id, &doc) < 0)
        return -1;
    int rc = s_session_store(ctx, id, data, doc ? sm_doc_root(doc) : NULL);
    sm_doc_destroy(&doc);
    return rc;
}

/*  Fill out from a stored session record. This function can't fail. */
static void s_session_decode(const msgpack_object *r, uint64_t id, mirror_session_t *out)
{
    memset(out, 0, sizeof *out);
    out->id = id;
    out->theme = sm_rec_id(r, "theme", 'T');
    sm_rec_str(r, "method", out->method, sizeof out->method);
    sm_rec_str(r, "status", out->status, sizeof out->status);
    out->has_held_on = sm_rec_date(r, "held_on", &out->held_on);
    out->held = out->has_held_on && strcmp(out->status, "held") == 0;
}

int mirror_session_get(sm_ctx_t *ctx, uint64_t id, mirror_session_t *out)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_SESSIONS, id, &doc);
    if (rc <= 0)
        return rc;
    s_session_decode(sm_doc_root(doc), id, out);
    sm_doc_destroy(&doc);
    return 1;
}

int mirror_session_require(sm_ctx_t *ctx, uint64_t id, const char *field, mirror_session_t *out)
{
    int rc = mirror_session_get(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                           _("session S%llu is not known to reporting; give a session planned in "
                             "scheduling (samenctl session list)"),
                           (unsigned long long)id);
    return 0;
}

/* ==== Attendance ========================================================= */

int on_scheduling_attendance(sm_ctx_t *ctx, const char *type, uint64_t seq,
                             const msgpack_object *data)
{
    if (strcmp(type, "scheduling.attendance.recorded") != 0)
        return 0;
    uint64_t sid = sm_rec_id(data, "session", 'S'), pid = sm_rec_id(data, "participant", 'P');
    bool attended;
    if (!sid)
        return s_bad_id(ctx, type, "session");
    if (!pid)
        return s_bad_id(ctx, type, "participant");
    if (sm_get_bool(data, "attended", true, &attended, sm_ctx_err(ctx)) < 0)
        return -1;
    //  Attendance means the session took place: make sure reporting knows
    //  the session and its day even if the session's own events come later.
    sm_doc_t *doc = NULL;
    if (sm_rec_get(ctx, DB_SESSIONS, sid, &doc) < 0)
        return -1;
    int rc = 0;
    if (!doc) {
        sm_buf_t ev;
        sm_buf_init(&ev);
        msgpack_pack_map(&ev.pk, 4);
        s_copy_text(&ev.pk, "theme", data);
        s_copy_text(&ev.pk, "method", data);
        s_copy_text(&ev.pk, "held_on", data);
        sm_pack_kv_str(&ev.pk, "status", "held");
        sm_doc_t *evdoc = sm_doc_parse(ev.sbuf.data, ev.sbuf.size, NULL);
        rc = evdoc ? s_session_store(ctx, sid, sm_doc_root(evdoc), NULL)
                   : sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot build a session record"));
        sm_doc_destroy(&evdoc);
        sm_buf_free(&ev);
    } else if (!sm_map_get(sm_doc_root(doc), "held_on") ||
               sm_map_get(sm_doc_root(doc), "held_on")->type != MSGPACK_OBJECT_STR) {
        sm_buf_t ev;
        sm_buf_init(&ev);
        msgpack_pack_map(&ev.pk, 1);
        s_copy_text(&ev.pk, "held_on", data);
        sm_doc_t *evdoc = sm_doc_parse(ev.sbuf.data, ev.sbuf.size, NULL);
        rc = evdoc ? s_session_store(ctx, sid, sm_doc_root(evdoc), sm_doc_root(doc))
                   : sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot build a session record"));
        sm_doc_destroy(&evdoc);
        sm_buf_free(&ev);
    }
    sm_doc_destroy(&doc);
    if (rc != 0)
        return -1;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_bool(&b.pk, "attended", attended);
    uint8_t key[16];
    sm_key_pair(pid, sid, key);
    rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_ATTENDANCE), key, sizeof key, b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

/* ==== Participants ======================================================= */

int on_intake_participant(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    bool erased = strcmp(type, "intake.participant.erased") == 0;
    if (!erased && strcmp(type, "intake.participant.registered") != 0 &&
        strcmp(type, "intake.participant.updated") != 0)
        return 0; //  consent_withdrawn changes nothing reporting counts
    uint64_t id = sm_rec_id(data, "id", 'P');
    if (!id)
        return s_bad_id(ctx, type, "id");
    if (erased) {
        //  Their attributes go; their attendance rows (two ID numbers) stay
        //  so that the programme's counts do not change.
        sm_info("participant attributes dropped", "participant=P%llu", (unsigned long long)id);
        //  So do the words of their reactions to reports (reaction.h).
        return sm_rec_del(ctx, DB_PARTICIPANTS, id) != 0 ? -1
                                                          : reaction_forget_participant(ctx, id);
    }
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 5);
    sm_rec_pack_id(&b.pk, "id", 'P', id);
    s_copy_text(&b.pk, "municipality", data);
    s_copy_list(&b.pk, "target_groups", data);
    s_copy_list(&b.pk, "labels", data);
    s_copy_text(&b.pk, "age_band", data);
    int rc = sm_rec_put(ctx, DB_PARTICIPANTS, id, &b);
    sm_buf_free(&b);
    return rc;
}

/* ==== participant.export ================================================= */

/*  Whether the participant attended the session, read from their
    attendance row; false also for a row that cannot be read. */
static bool s_attended(sm_ctx_t *ctx, uint64_t pid, uint64_t sid)
{
    uint8_t key[16];
    MDB_val v;
    sm_key_pair(pid, sid, key);
    if (sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_ATTENDANCE), key, sizeof key, &v) <= 0)
        return 0;
    sm_doc_t *d = sm_doc_parse(v.mv_data, v.mv_size, NULL);
    bool yes = d && sm_rec_bool(sm_doc_root(d), "attended", false);
    sm_doc_destroy(&d);
    return yes;
}

/*  Pack one attendance row {session, theme, method, held_on, attended}. */
static void s_pack_attendance(sm_ctx_t *ctx, msgpack_packer *pk, uint64_t sid, bool attended)
{
    mirror_session_t s = {0};
    int found = mirror_session_get(ctx, sid, &s);
    if (found < 0)
        found = 0; //  the row is still listed, without the session's details
    msgpack_pack_map(pk, 5);
    sm_rec_pack_id(pk, "session", 'S', sid);
    sm_rec_pack_id(pk, "theme", 'T', found ? s.theme : 0);
    sm_pack_kv_str(pk, "method", found && s.method[0] ? s.method : NULL);
    sm_rec_pack_date(pk, "held_on", found && s.has_held_on, s.held_on);
    sm_pack_kv_bool(pk, "attended", attended);
}

int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t pid = sm_arg_id(ctx, "participant");
    const char *id = sm_arg_str(ctx, "participant");
    //  The person's attributes and the sessions they took part in go only
    //  to those who may see personal fields; others get the counts.
    bool personal = sm_ctx_sees_personal(ctx);
    sm_doc_t *attrs = NULL;
    uint64_t *sids = NULL;
    uint8_t prefix[8];
    sm_key_u64(pid, prefix);
    long n = sm_idx_list(ctx, DB_ATTENDANCE, prefix, sizeof prefix, &sids);
    if (n < 0 || (personal && sm_rec_get(ctx, DB_PARTICIPANTS, pid, &attrs) < 0)) {
        free(sids);
        return -1;
    }
    bool *yes = calloc(n ? (size_t)n : 1, sizeof *yes);
    if (!yes) {
        free(sids);
        sm_doc_destroy(&attrs);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    size_t attended = 0, total = (size_t)n;
    for (size_t i = 0; i < total; i++) {
        yes[i] = s_attended(ctx, pid, sids[i]);
        attended += yes[i];
    }
    size_t rows = total < S_EXPORT_ROWS_MAX ? total : S_EXPORT_ROWS_MAX;

    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 7);
    sm_pack_kv_str(pk, "service", "reporting");
    sm_pack_kv_str(pk, "participant", id);
    sm_pack_str(pk, "attributes");
    if (attrs) {
        const msgpack_object *r = sm_doc_root(attrs);
        static const char *const fields[] = {"municipality", "target_groups", "labels", "age_band"};
        msgpack_pack_map(pk, 4);
        for (size_t i = 0; i < 4; i++) {
            const msgpack_object *o = sm_map_get(r, fields[i]);
            sm_pack_str(pk, fields[i]);
            if (o)
                sm_pack_obj(pk, o);
            else
                msgpack_pack_nil(pk);
        }
    } else
        msgpack_pack_nil(pk);
    sm_pack_str(pk, "attendance");
    msgpack_pack_map(pk, 4);
    sm_pack_kv_uint(pk, "attended", attended);
    sm_pack_kv_uint(pk, "absent", total - attended);
    sm_pack_kv_bool(pk, "truncated", personal && rows < total);
    sm_pack_str(pk, "sessions");
    if (personal) {
        msgpack_pack_array(pk, rows);
        for (size_t i = 0; i < rows; i++)
            s_pack_attendance(ctx, pk, sids[i], yes[i]);
    } else
        msgpack_pack_nil(pk);
    //  Their reactions to reports, in their own words (reaction.h).
    if (reaction_pack_for_participant(ctx, pk, pid, personal) != 0) {
        free(yes);
        free(sids);
        sm_doc_destroy(&attrs);
        return -1;
    }
    //  Who read or changed what reporting holds about this person (GDPR art. 15).
    sm_pack_str(pk, "accessed_by");
    sm_ctx_audit_pack_for(ctx, pk, id, 100);
    sm_pack_kv_str(pk, "note",
                   "reporting keeps no names or contact details about participants: only the "
                   "attributes and attendance above, by ID, and the words of their reactions to "
                   "reports; session reports are anonymised before they are published");
    free(yes);
    free(sids);
    sm_doc_destroy(&attrs);
    return 0;
}
