/*  services/finance/entitlement.c - participants' reimbursements. */
#include "entitlement.h"
#include "budget_line.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/money.h"
#include "common/record.h"
#include "iban.h"
#include "payee.h"
#include "reimbursement.h"
#include "settings.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB "entitlements"
#define DB_PAIRS "entitlement_pairs"
#define DB_OPEN "entitlements_open"
#define DB_YEARS "reimbursement_years"
/*  The years finance books in (the session's year is the budget's). */
#define S_YEAR_MIN 2000
#define S_YEAR_MAX 2100

/* ==== Year totals ======================================================= */

int reimb_year_get(sm_ctx_t *ctx, int year, reimb_year_t *out)
{
    sm_doc_t *doc = NULL;
    memset(out, 0, sizeof *out);
    out->year = year;
    int rc = sm_rec_get(ctx, DB_YEARS, (uint64_t)year, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    out->entitled_count = sm_rec_int(r, "entitled_count", 0);
    out->entitled_cents = sm_rec_int(r, "entitled_cents", 0);
    out->committed_cents = sm_rec_int(r, "committed_cents", 0);
    out->paid_cents = sm_rec_int(r, "paid_cents", 0);
    out->paid_count = sm_rec_int(r, "paid_count", 0);
    out->waived_cents = sm_rec_int(r, "waived_cents", 0);
    sm_doc_destroy(&doc);
    return 0;
}

/*  Store a year's totals. Returns 0 or -1 (ctx error set). */
static int s_year_put(sm_ctx_t *ctx, const reimb_year_t *y)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 7);
    sm_pack_kv_int(&b.pk, "year", y->year);
    sm_pack_kv_int(&b.pk, "entitled_count", y->entitled_count);
    sm_pack_kv_int(&b.pk, "entitled_cents", y->entitled_cents);
    sm_pack_kv_int(&b.pk, "committed_cents", y->committed_cents);
    sm_pack_kv_int(&b.pk, "paid_cents", y->paid_cents);
    sm_pack_kv_int(&b.pk, "paid_count", y->paid_count);
    sm_pack_kv_int(&b.pk, "waived_cents", y->waived_cents);
    int rc = sm_rec_put(ctx, DB_YEARS, (uint64_t)y->year, &b);
    sm_buf_free(&b);
    return rc;
}

/*  Store the year's new totals and note the thresholds that the change
    crosses on the year's reimbursement line, if it has one. */
static int s_year_change(sm_ctx_t *ctx, const reimb_year_t *before, const reimb_year_t *after)
{
    if (s_year_put(ctx, after))
        return -1;
    line_rec_t l;
    int rc = line_reimbursement_of(ctx, after->year, &l);
    if (rc <= 0)
        return rc;
    line_usage_t ub = {l.computed_cents, l.committed_cents + before->committed_cents,
                       l.spent_cents + before->paid_cents, true};
    line_usage_t ua = {l.computed_cents, l.committed_cents + after->committed_cents,
                       l.spent_cents + after->paid_cents, true};
    return line_note_usage(ctx, &l, &ub, &ua);
}

/* ==== Creating ========================================================== */

/*  The entitlement of a (session, participant) pair. Returns 1 with *id,
    0 when there is none, -1 on error. */
static int s_pair_find(sm_ctx_t *ctx, uint64_t session, uint64_t participant, uint64_t *id)
{
    uint8_t key[16];
    MDB_val v;
    sm_key_pair(session, participant, key);
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_PAIRS), key, 16, &v);
    if (rc <= 0)
        return rc;
    if (v.mv_size != 8)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("entitlement pair index is damaged"));
    *id = sm_key_u64_decode(v.mv_data);
    return 1;
}

typedef struct {
    uint64_t session, participant;
    const char *theme;  /*  "T4" or NULL */
    const char *method; /*  "FG" or NULL */
    sm_date_t held_on;
    int64_t amount_cents;
    const char *source; /*  "scheduling" or "manual" */
    uint64_t source_seq;
} s_new_t;

/*  Create the entitlement described by n. Returns its number, or 0 with
    the ctx error set. The caller has checked that the pair has none. */
static uint64_t s_create(sm_ctx_t *ctx, const s_new_t *n)
{
    uint64_t id = sm_ctx_next_id(ctx, 'E');
    if (id == 0)
        return 0;
    char idb[24], sb[24], pb[24], d[11], today[11];
    sm_id_format('E', id, idb);
    sm_id_format('S', n->session, sb);
    sm_id_format('P', n->participant, pb);
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 19);
    sm_pack_kv_str(&b.pk, "id", idb);
    sm_pack_kv_str(&b.pk, "session", sb);
    sm_pack_kv_str(&b.pk, "participant", pb);
    sm_pack_kv_str(&b.pk, "theme", n->theme);
    sm_pack_kv_str(&b.pk, "method", n->method);
    sm_pack_kv_str(&b.pk, "held_on", sm_date_format(n->held_on, d));
    sm_pack_kv_int(&b.pk, "year", n->held_on.y);
    sm_pack_kv_int(&b.pk, "amount_cents", n->amount_cents);
    sm_pack_kv_str(&b.pk, "state", reimbursement_state_name(REIMBURSEMENT_ENTITLED));
    sm_pack_kv_str(&b.pk, "source", n->source);
    if (n->source_seq)
        sm_pack_kv_uint(&b.pk, "source_seq", n->source_seq);
    else
        sm_pack_kv_nil(&b.pk, "source_seq");
    sm_pack_kv_str(&b.pk, "created_on", sm_date_format(sm_date_today(), today));
    sm_pack_kv_nil(&b.pk, "claimed_on");
    sm_pack_kv_nil(&b.pk, "approved_on");
    sm_pack_kv_nil(&b.pk, "paid_on");
    sm_pack_kv_nil(&b.pk, "payment_reference");
    sm_pack_kv_nil(&b.pk, "override_reason");
    sm_pack_kv_nil(&b.pk, "waived_on");
    sm_pack_kv_nil(&b.pk, "waive_reason");
    uint8_t pair[16], idk[8];
    sm_key_pair(n->session, n->participant, pair);
    sm_key_u64(id, idk);
    reimb_year_t ry;
    int rc = sm_rec_put(ctx, DB, id, &b);
    sm_buf_free(&b);
    if (rc || sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_PAIRS), pair, 16, idk, 8) ||
        sm_idx_put(ctx, DB_OPEN, NULL, 0, id) || reimb_year_get(ctx, n->held_on.y, &ry))
        return 0;
    ry.entitled_count++;
    ry.entitled_cents += n->amount_cents;
    if (s_year_put(ctx, &ry))
        return 0;
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.entitlement.created");
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "id", idb);
    sm_pack_kv_str(pk, "participant", pb);
    sm_pack_kv_str(pk, "session", sb);
    sm_pack_kv_int(pk, "amount_cents", n->amount_cents);
    if (sm_ctx_event_end(ctx))
        return 0;
    return id;
}

/* ==== State changes ===================================================== */

typedef struct {
    reimbursement_action_t action;
    sm_date_t on;
    const char *reference;       /*  pay */
    const char *override_reason; /*  pay, may be NULL */
    const char *reason;          /*  waive, may be NULL */
} s_step_t;

/*  Apply step to entitlement id (record r): the rule, the year's totals,
    the record, the open index and the events. On success packs the reply
    when reply is not NULL. Returns 0 or -1 (ctx error set). */
static int s_apply(sm_ctx_t *ctx, uint64_t id, const msgpack_object *r, const s_step_t *step,
                   msgpack_packer *reply)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char st[24], d[11];
    reimbursement_state_t from, to;
    if (reimbursement_state_parse(sm_rec_str(r, "state", st, sizeof st), &from, NULL))
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("entitlement E%llu is damaged"),
                           (unsigned long long)id);
    if (reimbursement_next(from, step->action, &to, e))
        return -1;
    int64_t amount = sm_rec_int(r, "amount_cents", 0);
    int year = (int)sm_rec_int(r, "year", 0);
    const finance_settings_t *cfg = finance_settings(ctx);
    reimb_year_t before, after;
    if (reimb_year_get(ctx, year, &before))
        return -1;
    after = before;
    reimbursement_cap_check_t cap;
    memset(&cap, 0, sizeof cap);
    bool was_committed = from == REIMBURSEMENT_CLAIMED || from == REIMBURSEMENT_APPROVED;
    switch (step->action) {
    case REIMBURSEMENT_CLAIM:
        after.committed_cents += amount;
        break;
    case REIMBURSEMENT_APPROVE:
        break;
    case REIMBURSEMENT_PAY:
        if (reimbursement_cap_check(before.paid_cents, amount, cfg->reimbursement_cap_cents,
                                    step->override_reason, &cap, e)) {
            /*  Past the cap, what the payer can give is a reason. */
            if (strcmp(e->code, SM_E_FAILED_PRECONDITION) == 0)
                snprintf(e->field, sizeof e->field, "override_reason");
            return -1;
        }
        after.committed_cents -= amount;
        after.paid_cents += amount;
        after.paid_count++;
        break;
    case REIMBURSEMENT_WAIVE:
        if (was_committed)
            after.committed_cents -= amount;
        after.entitled_cents -= amount;
        after.waived_cents += amount;
        break;
    }
    sm_buf_t upd, merged;
    sm_buf_init(&upd);
    sm_buf_init(&merged);
    const char *date_key = step->action == REIMBURSEMENT_CLAIM     ? "claimed_on"
                           : step->action == REIMBURSEMENT_APPROVE ? "approved_on"
                           : step->action == REIMBURSEMENT_PAY     ? "paid_on"
                                                                   : "waived_on";
    int pairs = 2 + (step->action == REIMBURSEMENT_PAY ? 2 : 0) +
                (step->action == REIMBURSEMENT_WAIVE ? 1 : 0);
    msgpack_pack_map(&upd.pk, (size_t)pairs);
    sm_pack_kv_str(&upd.pk, "state", reimbursement_state_name(to));
    sm_pack_kv_str(&upd.pk, date_key, sm_date_format(step->on, d));
    if (step->action == REIMBURSEMENT_PAY) {
        sm_pack_kv_str(&upd.pk, "payment_reference", step->reference);
        sm_pack_kv_str(&upd.pk, "override_reason",
                       cap.outcome == REIMBURSEMENT_CAP_OVERRIDDEN ? step->override_reason : NULL);
    }
    if (step->action == REIMBURSEMENT_WAIVE)
        sm_pack_kv_str(&upd.pk, "waive_reason", step->reason);
    int rc = sm_rec_update(ctx, DB, id, r, &upd, &merged);
    sm_buf_free(&upd);
    if (rc == 0 && (to == REIMBURSEMENT_PAID || to == REIMBURSEMENT_WAIVED))
        rc = sm_idx_del(ctx, DB_OPEN, NULL, 0, id);
    if (rc == 0)
        rc = s_year_change(ctx, &before, &after);
    char idb[24], pb[24];
    sm_rec_str(r, "participant", pb, sizeof pb);
    if (rc == 0 && to == REIMBURSEMENT_PAID) {
        msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.entitlement.paid");
        msgpack_pack_map(pk, 3);
        sm_pack_kv_str(pk, "id", sm_id_format('E', id, idb));
        sm_pack_kv_str(pk, "participant", pb);
        sm_pack_kv_int(pk, "amount_cents", amount);
        rc = sm_ctx_event_end(ctx);
    }
    if (rc == 0 && reply) {
        char mask[64];
        int has_mask = payee_mask(ctx, sm_id_parse(pb, 'P', "participant", NULL), mask);
        if (has_mask < 0)
            rc = -1;
        else {
            sm_doc_t *m = sm_doc_parse(merged.sbuf.data, merged.sbuf.size, NULL);
            sm_buf_t extra;
            sm_buf_init(&extra);
            msgpack_pack_map(&extra.pk, 5);
            sm_pack_kv_str(&extra.pk, "iban_mask", has_mask ? mask : NULL);
            sm_pack_kv_int(&extra.pk, "year_paid_cents", after.paid_cents);
            sm_pack_kv_int(&extra.pk, "cap_cents", cfg->reimbursement_cap_cents);
            sm_pack_kv_bool(&extra.pk, "cap_overridden",
                            cap.outcome == REIMBURSEMENT_CAP_OVERRIDDEN);
            sm_pack_kv_str(&extra.pk, "cap_message", cap.message[0] ? cap.message : NULL);
            sm_doc_t *x = sm_doc_parse(extra.sbuf.data, extra.sbuf.size, NULL);
            sm_rec_merge(reply, sm_doc_root(m), sm_doc_root(x));
            sm_doc_destroy(&x);
            sm_doc_destroy(&m);
            sm_buf_free(&extra);
        }
    }
    sm_buf_free(&merged);
    return rc;
}

/*  The ops claim, approve, pay and waive share their shape: the request's
    entitlement, the day (default today) and what the step takes. */
static int s_step_op(sm_ctx_t *ctx, reimbursement_action_t action)
{
    s_step_t step = {.action = action};
    if (!sm_arg_date(ctx, "on", &step.on))
        step.on = sm_date_today();
    if (action == REIMBURSEMENT_PAY) {
        step.reference = sm_arg_str(ctx, "reference");
        step.override_reason = sm_arg_str(ctx, "override_reason");
    }
    if (action == REIMBURSEMENT_WAIVE)
        step.reason = sm_arg_str(ctx, "reason");
    uint64_t id = sm_arg_id(ctx, "entitlement");
    sm_doc_t *doc = NULL;
    if (sm_rec_require(ctx, DB, 'E', id, "entitlement", N_("entitlement"), "reimburse list", &doc))
        return -1;
    int rc = s_apply(ctx, id, sm_doc_root(doc), &step, sm_ctx_reply(ctx));
    sm_doc_destroy(&doc);
    return rc;
}

int op_entitlement_claim(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step_op(ctx, REIMBURSEMENT_CLAIM);
}

int op_entitlement_approve(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step_op(ctx, REIMBURSEMENT_APPROVE);
}

int op_entitlement_pay(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step_op(ctx, REIMBURSEMENT_PAY);
}

int op_entitlement_waive(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step_op(ctx, REIMBURSEMENT_WAIVE);
}

/* ==== Attendance from scheduling ======================================== */

int on_scheduling_attendance(sm_ctx_t *ctx, const char *type, uint64_t seq,
                             const msgpack_object *data)
{
    if (strcmp(type, "scheduling.attendance.recorded") != 0)
        return 0;
    sm_err_t *e = sm_ctx_err(ctx);
    s_new_t n = {.source = "scheduling", .source_seq = seq};
    bool attended = false;
    char theme[24] = "", method[8] = "", held_on[16];
    int has_theme, has_method, has_date;
    if (sm_get_id(data, "session", 'S', true, &n.session, e) < 0 ||
        sm_get_id(data, "participant", 'P', true, &n.participant, e) < 0 ||
        sm_get_bool(data, "attended", false, &attended, e) < 0 ||
        sm_get_int(data, "reimbursement_cents", false, 0, SM_MONEY_MAX, &n.amount_cents, e) < 0 ||
        (has_theme = sm_get_str(data, "theme", false, theme, sizeof theme, false, e)) < 0 ||
        (has_method = sm_get_str(data, "method", false, method, sizeof method, false, e)) < 0 ||
        (has_date = sm_get_str(data, "held_on", false, held_on, sizeof held_on, false, e)) < 0 ||
        (has_date && sm_date_parse(held_on, &n.held_on, "held_on", e) < 0))
        return -1;
    if (!has_date)
        n.held_on = sm_date_today();
    n.theme = has_theme ? theme : NULL;
    n.method = has_method ? method : NULL;
    uint64_t id;
    int found = s_pair_find(ctx, n.session, n.participant, &id);
    if (found < 0)
        return -1;
    if (found) {
        /*  The pair has its entitlement already: a repeated or corrected
            attendance. Only a correction to "absent" does something: it
            waives what nobody has claimed yet. */
        if (attended)
            return 0;
        sm_doc_t *doc = NULL;
        if (sm_rec_get(ctx, DB, id, &doc) <= 0)
            return -1;
        char st[24];
        int rc = 0;
        if (strcmp(sm_rec_str(sm_doc_root(doc), "state", st, sizeof st), "entitled") == 0) {
            s_step_t step = {.action = REIMBURSEMENT_WAIVE,
                             .on = sm_date_today(),
                             .reason = "attendance corrected to absent by scheduling"};
            rc = s_apply(ctx, id, sm_doc_root(doc), &step, NULL);
        } else
            sm_warn("attendance corrected after a claim; entitlement kept", "entitlement=E%llu",
                    (unsigned long long)id);
        sm_doc_destroy(&doc);
        return rc;
    }
    if (!attended || n.amount_cents <= 0)
        return 0;
    return s_create(ctx, &n) ? 0 : -1;
}

/* ==== Ops: add, get, list, year ========================================= */

int op_entitlement_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    s_new_t n = {.source = "manual",
                 .session = sm_arg_id(ctx, "session"),
                 .participant = sm_arg_id(ctx, "participant"),
                 .theme = sm_arg_str(ctx, "theme")};
    sm_arg_date(ctx, "held_on", &n.held_on);
    if (reimbursement_amount(sm_arg_has(ctx, "amount_cents"), sm_arg_int(ctx, "amount_cents", 0),
                             finance_settings(ctx)->reimbursement_default_cents, &n.amount_cents,
                             e)) {
        snprintf(e->field, sizeof e->field, "amount_cents");
        return -1;
    }
    if (n.amount_cents == 0)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "amount_cents",
                           _("the default reimbursement is set to zero; give amount_cents"));
    if (n.held_on.y < S_YEAR_MIN || n.held_on.y > S_YEAR_MAX)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "held_on",
                           _("held_on must lie in the years %d to %d"), S_YEAR_MIN, S_YEAR_MAX);
    uint64_t id;
    int found = s_pair_find(ctx, n.session, n.participant, &id);
    if (found < 0)
        return -1;
    if (found)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "participant",
                           _("P%llu already has entitlement E%llu for session S%llu; one "
                             "participant gets one reimbursement per session"),
                           (unsigned long long)n.participant, (unsigned long long)id,
                           (unsigned long long)n.session);
    id = s_create(ctx, &n);
    if (id == 0)
        return -1;
    sm_doc_t *doc = NULL;
    if (sm_rec_get(ctx, DB, id, &doc) <= 0)
        return -1;
    sm_pack_obj(sm_ctx_reply(ctx), sm_doc_root(doc));
    sm_doc_destroy(&doc);
    return 0;
}

/*  Pack entitlement record r with whether an IBAN is on file. */
static int s_pack_with_payee(sm_ctx_t *ctx, msgpack_packer *pk, const msgpack_object *r)
{
    char pb[24], mask[64];
    uint64_t participant = sm_id_parse(sm_rec_str(r, "participant", pb, sizeof pb), 'P',
                                       "participant", NULL);
    int has = payee_mask(ctx, participant, mask);
    if (has < 0)
        return -1;
    sm_buf_t x;
    sm_buf_init(&x);
    msgpack_pack_map(&x.pk, 1);
    sm_pack_kv_str(&x.pk, "iban_mask", has ? mask : NULL);
    sm_doc_t *xd = sm_doc_parse(x.sbuf.data, x.sbuf.size, NULL);
    sm_rec_merge(pk, r, sm_doc_root(xd));
    sm_doc_destroy(&xd);
    sm_buf_free(&x);
    return 0;
}

int op_entitlement_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_doc_t *doc = NULL;
    if (sm_rec_require(ctx, DB, 'E', sm_arg_id(ctx, "entitlement"), "entitlement",
                       N_("entitlement"), "reimburse list", &doc))
        return -1;
    int rc = s_pack_with_payee(ctx, sm_ctx_reply(ctx), sm_doc_root(doc));
    sm_doc_destroy(&doc);
    return rc;
}

/*  A page of entitlements matching the filters (NULL or 0: any). */
typedef struct {
    const char *participant, *session, *state;
    int year;
    int64_t left, packed, total_cents;
    uint64_t last;
    bool more;
    sm_buf_t items;
} s_list_t;

/*  Pack entitlement id when it matches the filters; stops (1) past the
    page, -1 on error. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_list_t *l = arg;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    char buf[24];
    bool match =
        (!l->participant ||
         strcmp(sm_rec_str(r, "participant", buf, sizeof buf), l->participant) == 0) &&
        (!l->session || strcmp(sm_rec_str(r, "session", buf, sizeof buf), l->session) == 0) &&
        (!l->state || strcmp(sm_rec_str(r, "state", buf, sizeof buf), l->state) == 0) &&
        (!l->year || sm_rec_int(r, "year", 0) == l->year);
    rc = 0;
    if (match && l->left == 0) {
        l->more = true;
        rc = 1;
    } else if (match) {
        rc = s_pack_with_payee(ctx, &l->items.pk, r);
        l->left--;
        l->packed++;
        l->last = id;
        l->total_cents += sm_rec_int(r, "amount_cents", 0);
    }
    sm_doc_destroy(&doc);
    return rc;
}

int op_entitlement_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_list_t l = {.participant = sm_arg_str(ctx, "participant"),
                  .session = sm_arg_str(ctx, "session"),
                  .state = sm_arg_str(ctx, "state"),
                  .year = (int)sm_arg_int(ctx, "year", 0),
                  .left = sm_arg_int(ctx, "limit", 100)};
    uint64_t after = sm_arg_id(ctx, "after");
    sm_buf_init(&l.items);
    int rc = sm_arg_bool(ctx, "unpaid", false)
                 ? sm_idx_scan(ctx, DB_OPEN, NULL, 0, after, s_list_visit, &l)
                 : sm_rec_scan(ctx, DB, after, s_list_visit, &l);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        char next[24];
        msgpack_pack_map(pk, 3);
        sm_pack_str(pk, "entitlements");
        msgpack_pack_array(pk, (size_t)l.packed);
        sm_pack_raw(pk, l.items.sbuf.data, l.items.sbuf.size);
        sm_pack_kv_int(pk, "total_cents", l.total_cents);
        sm_pack_kv_str(pk, "next", l.more ? sm_id_format('E', l.last, next) : NULL);
    }
    sm_buf_free(&l.items);
    return rc;
}

/*  qsort order of entitlement numbers. */
static int s_by_number(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

long entitlement_pack_of(sm_ctx_t *ctx, uint64_t participant, size_t max, sm_buf_t *out, bool *more)
{
    /*  The pair index (session, participant -> entitlement) holds every
        entitlement once; walking its keys finds a participant's without
        decoding a single record. */
    uint8_t want[8];
    sm_key_u64(participant, want);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_PAIRS), &cur);
    if (rc)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read %s: %s"), DB_PAIRS,
                           mdb_strerror(rc));
    uint64_t *ids = NULL;
    size_t n = 0, cap = 0;
    MDB_val k, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 16 || v.mv_size != 8 ||
            memcmp((const uint8_t *)k.mv_data + 8, want, 8) != 0)
            continue;
        if (n == cap) {
            size_t grown = cap ? cap * 2 : 16;
            uint64_t *bigger = realloc(ids, grown * sizeof *bigger);
            if (!bigger) {
                mdb_cursor_close(cur);
                free(ids);
                return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            }
            ids = bigger;
            cap = grown;
        }
        ids[n++] = sm_key_u64_decode(v.mv_data);
    }
    mdb_cursor_close(cur);
    if (n > 1)
        qsort(ids, n, sizeof *ids, s_by_number);
    *more = n > max;
    long packed = 0;
    for (size_t i = 0; i < n && i < max; i++) {
        sm_doc_t *doc = NULL;
        int got = sm_rec_get(ctx, DB, ids[i], &doc);
        if (got < 0) {
            packed = -1;
            break;
        }
        if (got > 0) {
            sm_pack_obj(&out->pk, sm_doc_root(doc));
            packed++;
        }
        sm_doc_destroy(&doc);
    }
    free(ids);
    return packed;
}

int op_reimbursement_year(sm_ctx_t *ctx, const msgpack_object *args)
{
    int year = (int)sm_arg_int(ctx, "year", 0);
    reimb_year_t y;
    line_rec_t l;
    if (reimb_year_get(ctx, year, &y))
        return -1;
    int has_line = line_reimbursement_of(ctx, year, &l);
    if (has_line < 0)
        return -1;
    const finance_settings_t *cfg = finance_settings(ctx);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    char lb[24];
    msgpack_pack_map(pk, 11);
    sm_pack_kv_int(pk, "year", year);
    sm_pack_kv_int(pk, "entitled_count", y.entitled_count);
    sm_pack_kv_int(pk, "entitled_cents", y.entitled_cents);
    sm_pack_kv_int(pk, "committed_cents", y.committed_cents);
    sm_pack_kv_int(pk, "paid_cents", y.paid_cents);
    sm_pack_kv_int(pk, "paid_count", y.paid_count);
    sm_pack_kv_int(pk, "waived_cents", y.waived_cents);
    sm_pack_kv_int(pk, "cap_cents", cfg->reimbursement_cap_cents);
    sm_pack_kv_int(pk, "cap_remaining_cents", cfg->reimbursement_cap_cents - y.paid_cents);
    sm_pack_kv_int(pk, "default_cents", cfg->reimbursement_default_cents);
    sm_pack_kv_str(pk, "line", has_line ? sm_id_format('L', l.id, lb) : NULL);
    return 0;
}
