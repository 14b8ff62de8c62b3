/*  services/scheduling/attendance.c - who came to a session that was held.
    See attendance.h. */
#include "attendance.h"
#include "common/i18n.h"
#include "participant.h"
#include "registration.h"
#include "store.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int attendance_get(sm_ctx_t *ctx, uint64_t sid, uint64_t pid, attendance_row_t *row)
{
    uint8_t k[16];
    MDB_val v;
    sm_key_pair(sid, pid, k);
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_ATTENDANCE), k, sizeof k, &v);
    if (rc <= 0)
        return rc;
    sm_doc_t *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
    const msgpack_object *r = doc ? sm_doc_root(doc) : NULL;
    if (!r || r->type != MSGPACK_OBJECT_MAP || !sm_map_get(r, "attended")) {
        sm_doc_destroy(&doc);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, "participant",
                           _("the stored attendance of P%" PRIu64 " at S%" PRIu64 " is damaged"),
                           pid, sid);
    }
    row->attended = sm_rec_bool(r, "attended", false);
    row->walk_in = sm_rec_bool(r, "walk_in", false);
    row->recorded_ms = sm_rec_int(r, "recorded_ms", 0);
    sm_doc_destroy(&doc);
    return 1;
}

/*  Record one participant's attendance. *recorded is incremented when it
    was new. Returns 0 or -1 (ctx error). */
static int s_record(sm_ctx_t *ctx, const session_rec_t *s, const reglist_t *list, uint64_t pid,
                    bool attended, bool walk_in, size_t *recorded)
{
    uint64_t sid = s->core.id;
    participant_t p;
    attendance_row_t row;
    if (participant_require_known(ctx, pid, attended ? "attended" : "no_show", &p) != 0)
        return -1;
    int had = attendance_get(ctx, sid, pid, &row);
    if (had < 0)
        return -1;
    attend_recorded_t before = had ? (row.attended ? ATTEND_PRESENT : ATTEND_NO_SHOW) : ATTEND_NONE;
    int decision = attendance_check(list, pid, walk_in, before, attended, sm_ctx_err(ctx));
    if (decision <= 0)
        return decision;
    reg_status_t status;
    bool listed = reglist_lookup(list, pid, &status, NULL) == 0 && status != REG_CANCELLED;
    uint8_t k[16];
    sm_key_pair(sid, pid, k);
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 3);
    sm_pack_kv_bool(&b.pk, "attended", attended);
    sm_pack_kv_bool(&b.pk, "walk_in", !listed);
    sm_pack_kv_int(&b.pk, "recorded_ms", sm_ctx_now_ms(ctx));
    int rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_ATTENDANCE), k, sizeof k, b.sbuf.data,
                        b.sbuf.size);
    sm_buf_free(&b);
    sm_key_pair(pid, sid, k);
    if (rc != 0 || sm_idx_put(ctx, DB_PARTICIPANT_SESSIONS, k, 8, sid) != 0 ||
        (attended && participant_count_attendance(ctx, pid, +1) != 0))
        return -1;
    char a[24], c[24], d[12];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "scheduling.attendance.recorded");
    msgpack_pack_map(pk, 7);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, a));
    sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, c));
    sm_pack_kv_bool(pk, "attended", attended);
    sm_pack_kv_str(pk, "theme", sm_id_format('T', s->core.theme_id, a));
    sm_pack_kv_str(pk, "method", method_code(s->core.method));
    sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(s), d));
    sm_pack_kv_int(pk, "reimbursement_cents", attended ? s->core.reimbursement_cents : 0);
    if (sm_ctx_event_end(ctx) != 0)
        return -1;
    (*recorded)++;
    return 0;
}

/*  The attended / no-show totals stored for session sid. Returns 0 or -1. */
static int s_totals(sm_ctx_t *ctx, uint64_t sid, size_t *attended, size_t *no_show);

/*  attendance.record: all listed participants or none. Returns 0, or -1
    with the ctx error naming the field. */
int op_attendance_record(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t sid = sm_arg_id(ctx, "session");
    bool walk_in = sm_arg_bool(ctx, "walk_in", false);
    const uint64_t *yes, *no;
    size_t n_yes = sm_arg_ids(ctx, "attended", &yes), n_no = sm_arg_ids(ctx, "no_show", &no);
    session_rec_t s;
    reglist_t *list = NULL;
    int rc = -1;
    if (n_yes + n_no == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "attended",
                           _("give the participants who attended (attended) and/or those who did "
                             "not come (no_show), as IDs such as P12"));
    for (size_t i = 0; i < n_no; i++)
        for (size_t j = 0; j < n_yes; j++)
            if (no[i] == yes[j])
                return sm_ctx_fail(
                    ctx, SM_E_INVALID_ARGUMENT, "no_show",
                    _("participant P%" PRIu64 " is listed both as attended and as no-show"), no[i]);
    if (session_require(ctx, sid, "session", &s) != 0 ||
        session_transition_check(&s.core, SESSION_ATTEND, e) != 0 ||
        !(list = registration_load(ctx, &s)))
        goto cleanup;
    size_t recorded = 0, attended = 0, no_show = 0;
    for (size_t i = 0; i < n_yes; i++)
        if (s_record(ctx, &s, list, yes[i], true, walk_in, &recorded) != 0)
            goto cleanup;
    for (size_t i = 0; i < n_no; i++)
        if (s_record(ctx, &s, list, no[i], false, walk_in, &recorded) != 0)
            goto cleanup;
    if (s_totals(ctx, sid, &attended, &no_show) != 0)
        goto cleanup;
    char id[24], d[12];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 6);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, id));
    sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(&s), d));
    sm_pack_kv_uint(pk, "recorded", recorded);
    sm_pack_kv_uint(pk, "unchanged", n_yes + n_no - recorded);
    sm_pack_kv_uint(pk, "attended", attended);
    sm_pack_kv_uint(pk, "no_show", no_show);
    rc = 0;
cleanup:
    reglist_destroy(&list);
    return rc;
}

typedef void(s_row_fn)(uint64_t pid, const attendance_row_t *row, void *arg);

typedef struct {
    uint64_t sid;
    s_row_fn *fn;
    void *arg;
} s_rows_t;

/*  sm_idx_scan visitor: hand the row of one participant to the caller's fn. */
static int s_row_one(sm_ctx_t *ctx, uint64_t pid, void *arg)
{
    s_rows_t *rows = arg;
    attendance_row_t row;
    int rc = attendance_get(ctx, rows->sid, pid, &row);
    if (rc > 0)
        rows->fn(pid, &row, rows->arg);
    return rc < 0 ? -1 : 0;
}

/*  Call fn for every attendance row of session sid, in participant order.
    Returns 0, or -1 (ctx error). */
static int s_each_row(sm_ctx_t *ctx, uint64_t sid, s_row_fn *fn, void *arg)
{
    s_rows_t rows = {sid, fn, arg};
    uint8_t k[16];
    sm_key_pair(sid, 0, k);
    return sm_idx_scan(ctx, DB_ATTENDANCE, k, 8, 0, s_row_one, &rows);
}

typedef struct {
    size_t attended, no_show;
} s_count_t;

/*  s_each_row callback: add row to the s_count_t in arg. */
static void s_count_row(uint64_t pid, const attendance_row_t *row, void *arg)
{
    s_count_t *c = arg;
    if (row->attended)
        c->attended++;
    else
        c->no_show++;
}

/*  (Declared above.) Counts the rows that decode. */
static int s_totals(sm_ctx_t *ctx, uint64_t sid, size_t *attended, size_t *no_show)
{
    s_count_t c = {0, 0};
    if (s_each_row(ctx, sid, s_count_row, &c) != 0)
        return -1;
    *attended = c.attended;
    *no_show = c.no_show;
    return 0;
}

/*  s_each_row callback: pack row on the packer in arg. */
static void s_pack_row(uint64_t pid, const attendance_row_t *row, void *arg)
{
    msgpack_packer *pk = arg;
    char id[24];
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, id));
    sm_pack_kv_bool(pk, "attended", row->attended);
    sm_pack_kv_bool(pk, "walk_in", row->walk_in);
}

/*  attendance.list. Returns 0 or -1. */
int op_attendance_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t sid = sm_arg_id(ctx, "session");
    session_rec_t s;
    size_t attended = 0, no_show = 0;
    if (session_require(ctx, sid, "session", &s) != 0 ||
        s_totals(ctx, sid, &attended, &no_show) != 0)
        return -1;
    //  Who is on the list but has nothing recorded yet: what is left to do.
    reglist_t *list = registration_load(ctx, &s);
    if (!list)
        return -1;
    size_t n;
    const registration_t *items = reglist_items(list, &n);
    uint64_t *open = calloc(n + 1, sizeof *open);
    size_t n_open = 0;
    int rc = 0;
    if (!open) {
        reglist_destroy(&list);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    for (size_t i = 0; i < n && s.core.status == SESSION_HELD; i++) {
        attendance_row_t row;
        if (items[i].status != REG_REGISTERED)
            continue;
        int got = attendance_get(ctx, sid, items[i].participant_id, &row);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (!got)
            open[n_open++] = items[i].participant_id;
    }
    if (rc == 0) {
        char id[24], d[12];
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 7);
        sm_pack_kv_str(pk, "session", sm_id_format('S', sid, id));
        sm_pack_kv_str(pk, "status", session_status_name(s.core.status));
        if (s.core.status == SESSION_HELD)
            sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(&s), d));
        else
            sm_pack_kv_nil(pk, "held_on");
        sm_pack_kv_uint(pk, "attended", attended);
        sm_pack_kv_uint(pk, "no_show", no_show);
        sm_pack_str(pk, "entries");
        msgpack_pack_array(pk, attended + no_show);
        s_each_row(ctx, sid, s_pack_row, pk);
        sm_pack_str(pk, "not_recorded");
        msgpack_pack_array(pk, n_open);
        for (size_t i = 0; i < n_open; i++)
            sm_pack_str(pk, sm_id_format('P', open[i], id));
    }
    free(open);
    reglist_destroy(&list);
    return rc;
}
