/*  services/intake/review.c - the review of the address file and the last
    contact. See review.h and consent.h. */
#include "review.h"
#include "common/i18n.h"
#include "common/record.h"
#include "consent.h"
#include "intake.h"
#include "participant_index.h"
#include "record.h"
#include <stdlib.h>
#include <string.h>

#define S_REVIEW_DEFAULT 100

/* ==== Contact from attendance ============================================= */

int on_scheduling_attendance(sm_ctx_t *ctx, const char *type, uint64_t seq,
                             const msgpack_object *data)
{
    if (strcmp(type, "scheduling.attendance.recorded") != 0 ||
        !sm_rec_bool(data, "attended", false))
        return 0;
    uint64_t pid = sm_rec_id(data, "participant", 'P');
    sm_date_t held_on;
    if (!pid || !sm_rec_date(data, "held_on", &held_on))
        return 0;
    record_t *rec = calloc(1, sizeof *rec);
    if (!rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = participant_load(ctx, pid, rec);
    if (rc > 0 && !rec->erased) {
        sm_date_t was = record_last_contact(rec);
        rec->last_contact = consent_later(was, held_on);
        rc = sm_date_cmp(rec->last_contact, was) != 0 || !was.y ? participant_store(ctx, rec) : 0;
    } else if (rc > 0)
        rc = 0;
    explicit_bzero(rec, sizeof *rec);
    free(rec);
    return rc < 0 ? -1 : 0;
}

/* ==== participant.review ================================================== */

typedef struct {
    sm_date_t as_of;
    deadline_period_t period;
    unsigned want;     //  the reasons asked for (all when no filter)
    bool personal;     //  the caller sees names and contact details
    uint64_t after;    //  the page starts after this ID
    size_t limit, n;   //  rows wanted, rows packed
    uint64_t last;     //  the last ID packed
    bool more;         //  a further row exists beyond the page
    uint64_t counts[REVIEW_REASONS];
    uint64_t listed;   //  people with a reason, in all
    record_t *rec;     //  one at a time (several KiB)
    sm_buf_t rows;
} s_review_t;

/*  Pack one row of the review. */
static void s_pack_row(sm_ctx_t *ctx, s_review_t *rv, const record_t *rec, unsigned why)
{
    msgpack_packer *pk = &rv->rows.pk;
    char id[24], d[11];
    const participant_t *p = &rec->p;
    sm_id_format('P', rec->id, id);
    if (rv->personal)
        sm_ctx_audit_id(ctx, id);
    msgpack_pack_map(pk, 12);
    sm_pack_kv_str(pk, "id", id);
    sm_pack_kv_str(pk, "name", rv->personal && p->name[0] ? p->name : NULL);
    sm_pack_kv_str(pk, "email", rv->personal && p->email[0] ? p->email : NULL);
    sm_pack_kv_str(pk, "phone", rv->personal && p->phone[0] ? p->phone : NULL);
    sm_pack_kv_str(pk, "status", record_status(rec));
    sm_pack_kv_str(pk, "age_band", record_age_band(rec, rv->as_of.y));
    sm_pack_kv_str(pk, "consent_given",
                   rec->consent_given.y ? sm_date_format(rec->consent_given, d) : NULL);
    sm_pack_kv_str(pk, "guardian", rv->personal && rec->guardian[0] ? rec->guardian : NULL);
    sm_pack_kv_str(pk, "guardian_consent_given",
                   rec->guardian_consent_given.y ? sm_date_format(rec->guardian_consent_given, d)
                                                 : NULL);
    sm_date_t contact = record_last_contact(rec);
    sm_pack_kv_str(pk, "last_contact", contact.y ? sm_date_format(contact, d) : NULL);
    sm_pack_kv_str(pk, "consent_asked",
                   consent_asked_name(consent_asked(p->birth_year, rv->as_of.y)));
    sm_pack_str(pk, "reasons");
    msgpack_pack_array(pk, (size_t)__builtin_popcount(why));
    for (int i = 0; i < REVIEW_REASONS; i++)
        if (why & (1u << i))
            sm_pack_str(pk, consent_review_name(i));
}

/*  sm_rec_scan visitor: review one participant. Returns 0 (go on) or -1. */
static int s_review_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_review_t *rv = arg;
    record_t *rec = rv->rec;
    int got = participant_load(ctx, id, rec);
    if (got <= 0)
        return got;
    //  Withdrawn and erased people are out of the file's use: nobody asks
    //  them anything any more.
    if (rec->erased || rec->p.status == PARTICIPANT_WITHDRAWN)
        return 0;
    consent_facts_t f = {rec->p.birth_year, (rec->p.labels & PARTICIPANT_LABEL_YOUTH) != 0,
                         rec->consent_given, rec->guardian[0] != 0, rec->guardian_consent_given,
                         record_last_contact(rec)};
    unsigned why = consent_review(&f, rv->as_of, rv->period) & rv->want;
    if (!why)
        return 0;
    rv->listed++;
    for (int i = 0; i < REVIEW_REASONS; i++)
        rv->counts[i] += (why >> i) & 1u;
    if (id <= rv->after)
        return 0;
    if (rv->n == rv->limit) {
        rv->more = true;
        return 0;
    }
    s_pack_row(ctx, rv, rec, why);
    rv->n++;
    rv->last = id;
    return 0;
}

/*  The day before which a date counts as older than period on as_of
    (shown to people; the rule itself is consent_review). */
static sm_date_t s_before(sm_date_t as_of, deadline_period_t period)
{
    switch (period.unit) {
    case 'd': return sm_date_add_days(as_of, -period.count);
    case 'w': return sm_date_add_days(as_of, -7 * (int64_t)period.count);
    case 'm': return sm_date_add_months(as_of, -period.count);
    default: return sm_date_add_months(as_of, -12 * period.count);
    }
}

/*  participant.review: see review.h. Returns 0, or -1 with the ctx error. */
int op_participant_review(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_review_t rv;
    memset(&rv, 0, sizeof rv);
    rv.as_of = sm_date_today();
    sm_arg_date(ctx, "as_of", &rv.as_of);
    rv.period = intake_of(ctx)->review_period;
    const char *period = sm_arg_str(ctx, "period");
    if (period && deadline_period_parse(period, "period", &rv.period, sm_ctx_err(ctx)) != 0)
        return -1;
    const char *reason = sm_arg_str(ctx, "reason");
    rv.want = (1u << REVIEW_REASONS) - 1;
    for (int i = 0; reason && i < REVIEW_REASONS; i++)
        if (strcmp(reason, consent_review_name(i)) == 0)
            rv.want = 1u << i;
    rv.personal = sm_ctx_sees_personal(ctx);
    rv.after = sm_arg_id(ctx, "after");
    rv.limit = (size_t)sm_arg_int(ctx, "limit", S_REVIEW_DEFAULT);
    rv.rec = calloc(1, sizeof *rv.rec);
    if (!rv.rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_buf_init(&rv.rows);
    int rc = sm_rec_scan(ctx, "participants", 0, s_review_one, &rv);
    if (rc == 0) {
        char d[11], p[8];
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 7);
        sm_pack_kv_str(pk, "as_of", sm_date_format(rv.as_of, d));
        sm_pack_kv_str(pk, "period", deadline_period_format(rv.period, p));
        sm_pack_kv_str(pk, "older_than", sm_date_format(s_before(rv.as_of, rv.period), d));
        sm_pack_str(pk, "counts");
        msgpack_pack_map(pk, REVIEW_REASONS + 1);
        sm_pack_kv_uint(pk, "participants", rv.listed);
        for (int i = 0; i < REVIEW_REASONS; i++)
            sm_pack_kv_uint(pk, consent_review_name(i), rv.counts[i]);
        sm_pack_kv_bool(pk, "contact_details_shown", rv.personal);
        sm_pack_str(pk, "participants");
        msgpack_pack_array(pk, rv.n);
        if (rv.rows.sbuf.size)
            sm_pack_raw(pk, rv.rows.sbuf.data, rv.rows.sbuf.size);
        sm_rec_pack_id(pk, "next", 'P', rv.more ? rv.last : 0);
    }
    if (rv.rows.sbuf.size)
        explicit_bzero(rv.rows.sbuf.data, rv.rows.sbuf.size);
    sm_buf_free(&rv.rows);
    explicit_bzero(rv.rec, sizeof *rv.rec);
    free(rv.rec);
    return rc;
}
