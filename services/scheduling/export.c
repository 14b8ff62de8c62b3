/*  services/scheduling/export.c - participant.export: what scheduling holds
    about one person. See export.h. */
#include "export.h"
#include "attendance.h"
#include "common/i18n.h"
#include "method.h"
#include "participant.h"
#include "registration.h"
#include "session.h"
#include "store.h"
#include <stdlib.h>
#include <string.h>

/*  The three lists, packed side by side while the sessions are walked
    once; their lengths are known only at the end. */
typedef struct {
    sm_buf_t regs, invites, attendance;
    size_t n_regs, n_invites, n_attendance;
} s_parts_t;

/*  Pack key with text, or nil when text is empty. */
static void s_pack_text(msgpack_packer *pk, const char *key, const char *text)
{
    sm_pack_kv_str(pk, key, text[0] ? text : NULL);
}

/*  Pack a list of short texts under key. */
static void s_pack_list(msgpack_packer *pk, const char *key,
                        const char (*items)[PARTICIPANT_GROUP_SIZE], size_t n)
{
    sm_pack_str(pk, key);
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_str(pk, items[i]);
}

/*  The participant's attributes as scheduling keeps them. Can't fail. */
static void s_pack_attributes(msgpack_packer *pk, const participant_t *p)
{
    msgpack_pack_map(pk, 7);
    sm_pack_kv_str(pk, "status", p->status);
    s_pack_text(pk, "municipality", p->municipality);
    s_pack_list(pk, "target_groups", p->target_groups, p->n_target_groups);
    s_pack_list(pk, "labels", p->labels, p->n_labels);
    s_pack_text(pk, "age_band", p->age_band);
    sm_pack_kv_bool(pk, "consent", p->consent);
    sm_pack_kv_uint(pk, "times_attended", p->times_attended);
}

/*  Add what is held about pid at session s to the lists. Returns 0 or -1
    (ctx error set). */
static int s_add_session(sm_ctx_t *ctx, const session_rec_t *s, uint64_t pid, s_parts_t *out)
{
    char sid[24], tid[24], when[SESSION_WHEN_SIZE], ts[24], d[12];
    sm_id_format('S', s->core.id, sid);
    sm_id_format('T', s->core.theme_id, tid);
    session_when(s, when);
    reglist_t *list = registration_load(ctx, s);
    if (!list)
        return -1;
    reg_status_t status;
    size_t position = 0;
    if (reglist_lookup(list, pid, &status, &position) == 0) {
        msgpack_packer *pk = &out->regs.pk;
        msgpack_pack_map(pk, 7);
        sm_pack_kv_str(pk, "session", sid);
        sm_pack_kv_str(pk, "theme", tid);
        sm_pack_kv_str(pk, "method", method_code(s->core.method));
        sm_pack_kv_str(pk, "when", when);
        sm_pack_kv_str(pk, "session_status", session_status_name(s->core.status));
        sm_pack_kv_str(pk, "status", reg_status_name(status));
        sm_pack_kv_uint(pk, "position", position);
        out->n_regs++;
    }
    reglist_destroy(&list);
    int64_t invited_ms = 0;
    int rc = registration_invited(ctx, s->core.id, pid, &invited_ms);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        msgpack_packer *pk = &out->invites.pk;
        msgpack_pack_map(pk, 4);
        sm_pack_kv_str(pk, "session", sid);
        sm_pack_kv_str(pk, "theme", tid);
        sm_pack_kv_str(pk, "when", when);
        sm_pack_kv_str(pk, "invited_at", sm_datetime_format_utc(invited_ms, ts));
        out->n_invites++;
    }
    attendance_row_t row;
    rc = attendance_get(ctx, s->core.id, pid, &row);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        msgpack_packer *pk = &out->attendance.pk;
        msgpack_pack_map(pk, 7);
        sm_pack_kv_str(pk, "session", sid);
        sm_pack_kv_str(pk, "theme", tid);
        sm_pack_kv_str(pk, "method", method_code(s->core.method));
        sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(s), d));
        sm_pack_kv_bool(pk, "attended", row.attended);
        sm_pack_kv_bool(pk, "walk_in", row.walk_in);
        if (row.recorded_ms > 0)
            sm_pack_kv_str(pk, "recorded_at", sm_datetime_format_utc(row.recorded_ms, ts));
        else
            sm_pack_kv_nil(pk, "recorded_at");
        out->n_attendance++;
    }
    return 0;
}

/*  Pack key with the n objects encoded back to back in b. */
static void s_pack_array(msgpack_packer *pk, const char *key, const sm_buf_t *b, size_t n)
{
    sm_pack_str(pk, key);
    msgpack_pack_array(pk, n);
    if (b->sbuf.size)
        sm_pack_raw(pk, b->sbuf.data, b->sbuf.size);
}

int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t pid = sm_arg_id(ctx, "participant");
    participant_t p;
    int known = participant_load(ctx, pid, &p);
    if (known < 0)
        return -1;
    uint64_t *sids = NULL;
    uint8_t k[16];
    sm_key_pair(pid, 0, k);
    long n = sm_idx_list(ctx, DB_PARTICIPANT_SESSIONS, k, 8, &sids);
    if (n < 0)
        return -1;
    s_parts_t parts;
    memset(&parts, 0, sizeof parts);
    sm_buf_init(&parts.regs);
    sm_buf_init(&parts.invites);
    sm_buf_init(&parts.attendance);
    //  A session is about 4 KiB decoded: one at a time, on the heap.
    session_rec_t *s = malloc(sizeof *s);
    long walked = n < EXPORT_SESSIONS_MAX ? n : EXPORT_SESSIONS_MAX;
    int rc = s ? 0 : sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (long i = 0; i < walked && rc == 0; i++) {
        int got = session_load(ctx, sids[i], s);
        if (got < 0)
            rc = -1;
        else if (got > 0) //  an index entry without its session is skipped
            rc = s_add_session(ctx, s, pid, &parts);
    }
    if (rc == 0) {
        char id[24];
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 9);
        sm_pack_kv_str(pk, "service", "scheduling");
        sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, id));
        sm_pack_str(pk, "attributes");
        if (known)
            s_pack_attributes(pk, &p);
        else
            msgpack_pack_nil(pk);
        s_pack_array(pk, "registrations", &parts.regs, parts.n_regs);
        s_pack_array(pk, "invitations", &parts.invites, parts.n_invites);
        s_pack_array(pk, "attendance", &parts.attendance, parts.n_attendance);
        sm_pack_kv_bool(pk, "truncated", walked < n);
        //  Who read or changed this ID here before (GDPR art. 15).
        sm_pack_str(pk, "accessed_by");
        sm_ctx_audit_pack_for(ctx, pk, id, 100);
        sm_pack_kv_str(pk, "note",
                       "scheduling keeps no names or contact details: only the attributes "
                       "intake announces (by ID), and the person's registrations, invitations "
                       "and attendance; after an erasure the attributes are dropped and only "
                       "held sessions and their attendance stay, under the bare ID");
    }
    free(s);
    free(sids);
    sm_buf_free(&parts.regs);
    sm_buf_free(&parts.invites);
    sm_buf_free(&parts.attendance);
    return rc;
}
