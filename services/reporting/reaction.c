/*  services/reporting/reaction.c - residents' reactions to a published
    report. See reaction.h. */
#include "reaction.h"
#include "../../common/log.h"
#include "common/i18n.h"
#include "common/record.h"
#include "report.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define DB_REACTIONS "reactions"
#define DB_BY_REPORT "reactions_by_report"
#define DB_BY_PARTICIPANT "reactions_by_participant"
#define DB_PARTICIPANTS "participants"

/* ==== The rule ============================================================ */

int reaction_check(uint64_t report_id, bool published, sm_date_t first_published,
                   sm_date_t received, sm_date_t today, uint64_t existing, sm_err_t *err)
{
    char a[12], b[12];
    if (!published)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "report",
                          _("report R%" PRIu64 " has not been published; residents react to a "
                            "published report (report publish first)"),
                          report_id);
    if (sm_date_cmp(received, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("the reaction's date %1$s is after today (%2$s); give the day it came "
                            "in"),
                          sm_date_format(received, a), sm_date_format(today, b));
    if (sm_date_cmp(received, first_published) < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("the reaction's date %1$s is before report R%2$" PRIu64
                            " was published (%3$s); give the day it came in"),
                          sm_date_format(received, a), report_id,
                          sm_date_format(first_published, b));
    if (existing >= REACTIONS_PER_REPORT_MAX)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, "report",
                          _("report R%1$" PRIu64 " already has %2$d reactions recorded; no more "
                            "can be added"),
                          report_id, REACTIONS_PER_REPORT_MAX);
    return 0;
}

/* ==== The store =========================================================== */

uint64_t reaction_count(sm_ctx_t *ctx, uint64_t report_id)
{
    uint8_t prefix[8];
    sm_key_u64(report_id, prefix);
    return sm_idx_count(ctx, DB_BY_REPORT, prefix, sizeof prefix);
}

/*  Pack one reaction as replies show it: {participant, received_on, text}
    plus report (with_report); the text only when personal (and not
    erased: then nil). */
static void s_pack(msgpack_packer *pk, const msgpack_object *r, bool personal, bool with_report)
{
    char d[16];
    msgpack_pack_map(pk, with_report ? 5 : 4);
    if (with_report)
        sm_rec_pack_id(pk, "report", 'R', sm_rec_id(r, "report", 'R'));
    sm_rec_pack_id(pk, "participant", 'P', sm_rec_id(r, "participant", 'P'));
    sm_pack_kv_str(pk, "received_on", sm_rec_str(r, "received_on", d, sizeof d));
    bool erased = sm_rec_bool(r, "erased", false);
    sm_pack_kv_bool(pk, "erased", erased);
    const msgpack_object *text = sm_map_get(r, "text");
    sm_pack_str(pk, "text");
    if (personal && !erased && text && text->type == MSGPACK_OBJECT_STR)
        sm_pack_obj(pk, text);
    else
        msgpack_pack_nil(pk);
}

int reaction_forget_participant(sm_ctx_t *ctx, uint64_t pid)
{
    uint8_t prefix[8];
    uint64_t *ids = NULL;
    sm_key_u64(pid, prefix);
    long n = sm_idx_list(ctx, DB_BY_PARTICIPANT, prefix, sizeof prefix, &ids);
    int rc = n < 0 ? -1 : 0;
    for (long i = 0; i < n && rc == 0; i++) {
        sm_doc_t *doc = NULL;
        int got = sm_rec_get(ctx, DB_REACTIONS, ids[i], &doc);
        if (got < 0)
            rc = -1;
        else if (got > 0) {
            //  The row stays (a date and two IDs), the words go.
            const msgpack_object *r = sm_doc_root(doc);
            char d[16];
            sm_buf_t b;
            sm_buf_init(&b);
            msgpack_pack_map(&b.pk, 6);
            sm_rec_pack_id(&b.pk, "report", 'R', sm_rec_id(r, "report", 'R'));
            sm_rec_pack_id(&b.pk, "participant", 'P', pid);
            sm_pack_kv_str(&b.pk, "received_on", sm_rec_str(r, "received_on", d, sizeof d));
            sm_pack_kv_nil(&b.pk, "text");
            sm_pack_kv_int(&b.pk, "recorded_ms", sm_rec_int(r, "recorded_ms", 0));
            sm_pack_kv_bool(&b.pk, "erased", true);
            rc = sm_rec_put(ctx, DB_REACTIONS, ids[i], &b);
            sm_buf_free(&b);
        }
        sm_doc_destroy(&doc);
    }
    if (rc == 0 && n > 0)
        sm_info("reactions erased", "participant=P%" PRIu64 " count=%ld", pid, n);
    free(ids);
    return rc;
}

/*  Pack the reactions indexed under number key in index (a report's or a
    participant's) into rows, oldest first, as s_pack shows them; audit:
    name each participant in the audit log (their words are read).
    Returns how many the index holds (*packed: how many were packed), or -1
    (ctx error). */
static long s_pack_indexed(sm_ctx_t *ctx, const char *index, uint64_t key, bool personal,
                           bool with_report, bool audit, sm_buf_t *rows, long *packed)
{
    uint8_t prefix[8];
    uint64_t *ids = NULL;
    sm_key_u64(key, prefix);
    long n = sm_idx_list(ctx, index, prefix, sizeof prefix, &ids);
    *packed = 0;
    for (long i = 0; i < n; i++) {
        sm_doc_t *doc = NULL;
        int got = sm_rec_get(ctx, DB_REACTIONS, ids[i], &doc);
        if (got < 0)
            n = -1;
        else if (got > 0) {
            const msgpack_object *r = sm_doc_root(doc);
            if (audit) {
                char who[24];
                sm_ctx_audit_id(ctx, sm_id_format('P', sm_rec_id(r, "participant", 'P'), who));
            }
            s_pack(&rows->pk, r, personal, with_report);
            (*packed)++;
        }
        sm_doc_destroy(&doc);
    }
    free(ids);
    return n;
}

int reaction_pack_for_participant(sm_ctx_t *ctx, msgpack_packer *pk, uint64_t pid, bool personal)
{
    sm_buf_t rows;
    sm_buf_init(&rows);
    long k = 0, n = 0;
    if (personal)
        n = s_pack_indexed(ctx, DB_BY_PARTICIPANT, pid, true, true, false, &rows, &k);
    else {
        uint8_t prefix[8];
        sm_key_u64(pid, prefix);
        n = (long)sm_idx_count(ctx, DB_BY_PARTICIPANT, prefix, sizeof prefix);
    }
    if (n >= 0) {
        sm_pack_str(pk, "reactions");
        if (personal) {
            msgpack_pack_array(pk, (size_t)k);
            if (rows.sbuf.size)
                sm_pack_raw(pk, rows.sbuf.data, rows.sbuf.size);
        } else
            msgpack_pack_uint64(pk, (uint64_t)n);
    }
    if (rows.sbuf.size)
        explicit_bzero(rows.sbuf.data, rows.sbuf.size);
    sm_buf_free(&rows);
    return n < 0 ? -1 : 0;
}

/* ==== The ops ============================================================== */

/*  Read report R<rid>'s head, refusing an unknown one (not_found, field
    "report"). Returns 0 or -1 (ctx error). */
static int s_require_report(sm_ctx_t *ctx, uint64_t rid, report_head_t *h)
{
    int found = report_head(ctx, rid, h);
    if (found == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "report",
                           _("there is no report R%" PRIu64 "; see report list"), rid);
    return found < 0 ? -1 : 0;
}

/*  report.react: record a resident's reaction against a published report.
    The reply and the event carry no text (a write's reply is kept for
    retries). Returns 0, or -1 with the ctx error naming the field. */
int op_report_react(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t rid = sm_arg_id(ctx, "report"), pid = sm_arg_id(ctx, "participant");
    sm_date_t today = sm_date_today(), received = today;
    sm_arg_date(ctx, "date", &received);
    report_head_t h;
    if (s_require_report(ctx, rid, &h) != 0)
        return -1;
    sm_doc_t *who = NULL;
    int known = sm_rec_get(ctx, DB_PARTICIPANTS, pid, &who);
    sm_doc_destroy(&who);
    if (known < 0)
        return -1;
    if (known == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "participant",
                           _("participant P%" PRIu64 " is not known to reporting (not in the "
                             "address file, or erased); register them in intake first"),
                           pid);
    if (reaction_check(rid, h.published, h.first_published_on, received, today,
                       reaction_count(ctx, rid), sm_ctx_err(ctx)) != 0)
        return -1;
    uint64_t n = sm_ctx_next_id(ctx, 'Q');
    if (!n)
        return -1;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 6);
    sm_rec_pack_id(&b.pk, "report", 'R', rid);
    sm_rec_pack_id(&b.pk, "participant", 'P', pid);
    sm_rec_pack_date(&b.pk, "received_on", true, received);
    sm_pack_kv_str(&b.pk, "text", sm_arg_str(ctx, "text"));
    sm_pack_kv_int(&b.pk, "recorded_ms", sm_ctx_now_ms(ctx));
    sm_pack_kv_bool(&b.pk, "erased", false);
    uint8_t rk[8], pk8[8];
    sm_key_u64(rid, rk);
    sm_key_u64(pid, pk8);
    int rc = sm_rec_put(ctx, DB_REACTIONS, n, &b);
    sm_buf_free(&b);
    if (rc != 0 || sm_idx_put(ctx, DB_BY_REPORT, rk, sizeof rk, n) != 0 ||
        sm_idx_put(ctx, DB_BY_PARTICIPANT, pk8, sizeof pk8, n) != 0)
        return -1;
    msgpack_packer *ev = sm_ctx_event_begin(ctx, "reporting.report.reacted");
    msgpack_pack_map(ev, 5);
    sm_rec_pack_id(ev, "id", 'R', rid);
    sm_rec_pack_id(ev, "session", 'S', h.session);
    sm_rec_pack_id(ev, "theme", 'T', h.theme);
    sm_rec_pack_id(ev, "participant", 'P', pid);
    sm_rec_pack_date(ev, "received_on", true, received);
    if (sm_ctx_event_end(ctx) != 0)
        return -1;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 4);
    sm_rec_pack_id(pk, "report", 'R', rid);
    sm_rec_pack_id(pk, "participant", 'P', pid);
    sm_rec_pack_date(pk, "received_on", true, received);
    sm_pack_kv_uint(pk, "reactions", reaction_count(ctx, rid));
    return 0;
}

/*  report.reactions: a report's reactions, oldest first; the words only
    for those who see personal fields (each such read names the
    participant in the audit log). Returns 0, or -1 (not_found). */
int op_report_reactions(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t rid = sm_arg_id(ctx, "report");
    report_head_t h;
    if (s_require_report(ctx, rid, &h) != 0)
        return -1;
    bool personal = sm_ctx_sees_personal(ctx);
    sm_buf_t rows;
    sm_buf_init(&rows);
    long k = 0;
    int rc = s_pack_indexed(ctx, DB_BY_REPORT, rid, personal, false, personal, &rows, &k) < 0
                 ? -1
                 : 0;
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 5);
        sm_rec_pack_id(pk, "report", 'R', rid);
        sm_rec_pack_id(pk, "session", 'S', h.session);
        sm_rec_pack_id(pk, "theme", 'T', h.theme);
        sm_pack_kv_bool(pk, "texts_shown", personal);
        sm_pack_str(pk, "reactions");
        msgpack_pack_array(pk, (size_t)k);
        if (rows.sbuf.size)
            sm_pack_raw(pk, rows.sbuf.data, rows.sbuf.size);
    }
    if (rows.sbuf.size)
        explicit_bzero(rows.sbuf.data, rows.sbuf.size);
    sm_buf_free(&rows);
    return rc;
}
