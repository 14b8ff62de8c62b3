/*  services/finance/grant_application.c - applications for residents' initiatives. */
#include "grant_application.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/owner.h"
#include "common/record.h"
#include "common/text.h"
#include "grant.h"
#include "grant_pool.h"
#include "payee.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB "grant_apps"
#define DB_BY_POOL "grant_apps_by_pool"
#define DB_BY_APPLICANT "grant_apps_by_applicant"
#define S_ANSWERS_MAX 16
#define S_ANSWER_MAX 2000
#define S_CRITERION_MAX 64

/* ==== Reading ============================================================ */

/*  The rules' view of a stored application. Returns 0, or -1 when the
    record is damaged (ctx error set). */
static int s_decode(sm_ctx_t *ctx, uint64_t id, const msgpack_object *r, grant_application_t *app)
{
    char st[24], res[24];
    memset(app, 0, sizeof *app);
    app->requested_cents = sm_rec_int(r, "requested_cents", 0);
    app->awarded_cents = sm_rec_int(r, "awarded_cents", 0);
    app->paid_cents = sm_rec_int(r, "paid_cents", 0);
    int bad = grant_state_parse(sm_rec_str(r, "state", st, sizeof st), &app->state, NULL);
    sm_rec_str(r, "result", res, sizeof res);
    app->result = GRANT_RESULT_NONE;
    if (res[0] && strcmp(res, "none") != 0)
        bad |= grant_result_parse(res, &app->result, NULL);
    if (bad)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("application G%llu is damaged"),
                           (unsigned long long)id);
    return 0;
}

/*  The pool number of a stored application. */
static uint64_t s_pool_of(const msgpack_object *r)
{
    char b[24];
    return sm_id_parse(sm_rec_str(r, "pool", b, sizeof b), 'K', "pool", NULL);
}

/*  Check the answers to the criteria: a map of at most S_ANSWERS_MAX
    criteria (text keys) to answers (text). Returns 0 or -1 (ctx error set). */
static int s_check_answers(sm_ctx_t *ctx, const msgpack_object *a)
{
    if (a->type != MSGPACK_OBJECT_MAP)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "answers",
                           _("field \"answers\" must be a map from criterion to answer, e.g. "
                             "{\"residents_in_lead\": \"...\"}"));
    if (a->via.map.size > S_ANSWERS_MAX)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "answers",
                           _("%u answers is more than the %d criteria accepted"), a->via.map.size,
                           S_ANSWERS_MAX);
    for (uint32_t i = 0; i < a->via.map.size; i++) {
        const msgpack_object *k = &a->via.map.ptr[i].key, *v = &a->via.map.ptr[i].val;
        if (k->type != MSGPACK_OBJECT_STR || k->via.str.size == 0 ||
            k->via.str.size > S_CRITERION_MAX || !sm_utf8_valid(k->via.str.ptr, k->via.str.size))
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "answers",
                               _("each criterion in \"answers\" must be a text of 1 to %d bytes"),
                               S_CRITERION_MAX);
        if (v->type != MSGPACK_OBJECT_STR || v->via.str.size > S_ANSWER_MAX ||
            !sm_utf8_valid(v->via.str.ptr, v->via.str.size))
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "answers",
                               _("each answer in \"answers\" must be a text of at most %d bytes"),
                               S_ANSWER_MAX);
        for (uint32_t j = 0; j < i; j++)
            if (a->via.map.ptr[j].key.via.str.size == k->via.str.size &&
                memcmp(a->via.map.ptr[j].key.via.str.ptr, k->via.str.ptr, k->via.str.size) == 0)
                return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "answers",
                                   _("a criterion is answered twice; answer each once"));
    }
    return 0;
}

/*  grant.h names its fields "amount" and "state"; the requests name the
    amount amount_cents and the application by its ID. */
static void s_fix_field(sm_err_t *e)
{
    if (strcmp(e->field, "amount") == 0)
        snprintf(e->field, sizeof e->field, "amount_cents");
    else if (strcmp(e->field, "state") == 0)
        snprintf(e->field, sizeof e->field, "application");
}

/* ==== Applying =========================================================== */

int op_grant_apply(sm_ctx_t *ctx, const msgpack_object *args)
{
    pool_rec_t pool;
    const char *initiative = sm_arg_str(ctx, "initiative");
    const char *intended = sm_arg_str(ctx, "intended_result");
    const char *given_district = sm_arg_str(ctx, "district");
    const msgpack_object *answers = sm_arg_obj(ctx, "answers");
    char applicant[24];
    int64_t requested = sm_arg_int(ctx, "requested_cents", 0);
    sm_date_t on, old_on, today = sm_date_today();
    grant_application_t app;
    bool has_on = sm_arg_date(ctx, "on", &on);
    bool has_old_on = sm_arg_date(ctx, "submitted_on", &old_on);
    if (pool_require(ctx, "pool", &pool) || (answers && s_check_answers(ctx, answers)))
        return -1;
    /*  The submitted date: "on", as the steps name their dates; the older
        name "submitted_on" is still accepted. Later steps are not dated
        before it, so it must not lie in the future. */
    if (has_on && has_old_on)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "on",
                           _("give the submitted date once, as \"on\" (\"submitted_on\" is its "
                             "older name)"));
    if (has_old_on) {
        on = old_on;
        has_on = true;
    }
    if (has_on && sm_date_cmp(on, today) > 0) {
        char d1[11], d2[11];
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, has_old_on ? "submitted_on" : "on",
                           _("%s is in the future; give the day the application was submitted, "
                             "at the latest %s"),
                           sm_date_format(on, d1), sm_date_format(today, d2));
    }
    sm_err_t *e = sm_ctx_err(ctx);
    if (grant_application_init(&app, requested, e)) {
        snprintf(e->field, sizeof e->field, "requested_cents");
        return -1;
    }
    /*  The applicant: a participant or an organisation of intake. */
    const char *who_text = sm_arg_str(ctx, "applicant");
    uint64_t who = 0;
    char letter = (char)(who_text[0] & ~0x20);
    if (letter == 'P' || letter == 'O')
        who = sm_id_parse(who_text, letter, "applicant", NULL);
    if (who == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "applicant",
                           _("field \"applicant\" must be a participant (P12) or an organisation "
                             "(O3) of intake"));
    sm_id_format(letter, who, applicant);
    if (letter == 'P') {
        int erased = payee_erased(ctx, who);
        if (erased < 0)
            return -1;
        if (erased)
            return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "applicant",
                               _("participant %s was erased; an application needs an applicant "
                                 "samen may keep"),
                               applicant);
    }
    const char *district = given_district;
    if (pool.kind == GRANT_POOL_DISTRICT) {
        if (given_district && strcmp(given_district, pool.district) != 0)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "district",
                               _("pool K%llu is the pool of district %s; apply to the pool of "
                                 "district \"%s\" or leave district out"),
                               (unsigned long long)pool.id, pool.district, given_district);
        district = pool.district;
    }
    if (!has_on)
        on = today;
    sm_owners_t owners = {0, 0}, none = {0, 0};
    if (sm_owners_take(ctx, &owners) != 0)
        return -1;
    uint64_t id = sm_ctx_next_id(ctx, 'G');
    char idb[24], pb[24], d[11];
    sm_buf_t b;
    sm_buf_init(&b);
    int rc = -1;
    if (id == 0)
        goto done;
    msgpack_pack_map(&b.pk, 25 + SM_OWNERS_NPAIRS);
    sm_pack_kv_str(&b.pk, "id", sm_id_format('G', id, idb));
    sm_pack_kv_str(&b.pk, "pool", sm_id_format('K', pool.id, pb));
    sm_pack_kv_int(&b.pk, "year", pool.year);
    sm_pack_kv_str(&b.pk, "initiative", initiative);
    sm_pack_kv_str(&b.pk, "applicant", applicant);
    sm_pack_kv_bool(&b.pk, "applicant_erased", false);
    sm_pack_kv_str(&b.pk, "district", district && district[0] ? district : NULL);
    sm_pack_kv_int(&b.pk, "requested_cents", requested);
    sm_pack_kv_str(&b.pk, "intended_result", intended);
    sm_pack_str(&b.pk, "answers");
    if (answers)
        sm_pack_obj(&b.pk, answers);
    else
        msgpack_pack_map(&b.pk, 0);
    sm_pack_kv_str(&b.pk, "state", grant_state_name(app.state));
    sm_pack_kv_str(&b.pk, "submitted_on", sm_date_format(on, d));
    sm_pack_kv_int(&b.pk, "awarded_cents", 0);
    sm_pack_kv_nil(&b.pk, "decided_on");
    sm_pack_kv_nil(&b.pk, "reject_reason");
    sm_pack_kv_int(&b.pk, "paid_cents", 0);
    sm_pack_kv_nil(&b.pk, "paid_on");
    sm_pack_kv_nil(&b.pk, "payment_reference");
    sm_pack_kv_nil(&b.pk, "evaluation_on");
    sm_pack_kv_nil(&b.pk, "evaluation_notes");
    sm_pack_kv_str(&b.pk, "result", grant_result_name(GRANT_RESULT_NONE));
    sm_pack_kv_nil(&b.pk, "narrative");
    sm_pack_kv_nil(&b.pk, "accounted_on");
    sm_pack_kv_nil(&b.pk, "closed_on");
    sm_pack_kv_nil(&b.pk, "withdrawn_on");
    sm_owners_pack(&b.pk, &owners);
    uint8_t pk8[8], ak8[8];
    sm_key_u64(pool.id, pk8);
    sm_key_u64(who, ak8);
    if (sm_rec_put(ctx, DB, id, &b) || sm_idx_put(ctx, DB_BY_POOL, pk8, 8, id) ||
        (letter == 'P' && sm_idx_put(ctx, DB_BY_APPLICANT, ak8, 8, id)) ||
        sm_owners_changed(ctx, grant_owned_kinds, id, &none, &owners))
        goto done;
    sm_pack_raw(sm_ctx_reply(ctx), b.sbuf.data, b.sbuf.size);
    rc = 0;
done:
    sm_buf_free(&b);
    return rc;
}

/* ==== Deciding and following up ========================================= */

typedef enum { S_AWARD, S_REJECT, S_WITHDRAW, S_PAY, S_EVALUATE, S_ACCOUNT, S_CLOSE } s_kind_t;

/*  One step on an application: take the step's own arguments, apply the
    rule, book the pool, store the changed fields, reply with the record. */
static int s_step(sm_ctx_t *ctx, s_kind_t kind)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = sm_arg_id(ctx, "application");
    sm_doc_t *doc = NULL;
    sm_date_t on;
    bool has_amount = (kind == S_AWARD || kind == S_PAY) && sm_arg_has(ctx, "amount_cents");
    int64_t amount = has_amount ? sm_arg_int(ctx, "amount_cents", 0) : 0;
    const char *reference = kind == S_PAY ? sm_arg_str(ctx, "reference") : NULL;
    /*  reason, notes or narrative */
    const char *text = kind == S_REJECT     ? sm_arg_str(ctx, "reason")
                       : kind == S_EVALUATE ? sm_arg_str(ctx, "notes")
                       : kind == S_ACCOUNT  ? sm_arg_str(ctx, "narrative")
                                            : NULL;
    char d[11];
    grant_result_t res = GRANT_RESULT_NONE;
    if (kind == S_ACCOUNT && grant_result_parse(sm_arg_str(ctx, "result"), &res, e))
        return -1;
    if (!sm_arg_date(ctx, "on", &on))
        on = sm_date_today();
    if (sm_rec_require(ctx, DB, 'G', id, "application", N_("application"), "grant list", &doc))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    grant_application_t app;
    sm_buf_t upd, merged;
    sm_buf_init(&upd);
    sm_buf_init(&merged);
    int rc = -1;
    if (s_decode(ctx, id, r, &app))
        goto done;
    grant_state_t was = app.state;
    int64_t d_awarded = 0, d_paid = 0;
    sm_date_format(on, d);
    /*  No step happens before the application was submitted (a record
        without a readable submitted date is not held to it). */
    char sub[16];
    sm_date_t submitted;
    sm_rec_str(r, "submitted_on", sub, sizeof sub);
    if (sm_date_parse(sub, &submitted, NULL, NULL) == 0 && sm_date_cmp(on, submitted) < 0) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "on",
                    _("on %s is before application G%llu was submitted; give a day from %s on"), d,
                    (unsigned long long)id, sub);
        goto done;
    }
    switch (kind) {
    case S_AWARD: {
        pool_rec_t pool;
        if (pool_load(ctx, s_pool_of(r), &pool) <= 0) {
            sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("the pool of application G%llu vanished"),
                        (unsigned long long)id);
            goto done;
        }
        if (grant_award(&app, amount, grant_pool_remaining(pool.amount_cents, pool.awarded_cents),
                        e))
            goto fail;
        d_awarded = amount;
        msgpack_pack_map(&upd.pk, 3);
        sm_pack_kv_int(&upd.pk, "awarded_cents", amount);
        sm_pack_kv_str(&upd.pk, "decided_on", d);
        break;
    }
    case S_REJECT:
        if (grant_reject(&app, text, e))
            goto fail;
        msgpack_pack_map(&upd.pk, 3);
        sm_pack_kv_str(&upd.pk, "reject_reason", text);
        sm_pack_kv_str(&upd.pk, "decided_on", d);
        break;
    case S_WITHDRAW:
        if (grant_withdraw(&app, e))
            goto fail;
        if (was == GRANT_AWARDED)
            d_awarded = -app.awarded_cents; /*  the award goes back to the pool */
        /*  Nothing stays awarded: the application shows 0, as the pool
            (and grant.stats) count it. */
        msgpack_pack_map(&upd.pk, 3);
        sm_pack_kv_int(&upd.pk, "awarded_cents", 0);
        sm_pack_kv_str(&upd.pk, "withdrawn_on", d);
        break;
    case S_PAY:
        if (!has_amount)
            amount = app.awarded_cents;
        if (grant_pay(&app, amount, e))
            goto fail;
        d_paid = amount;
        msgpack_pack_map(&upd.pk, 4);
        sm_pack_kv_int(&upd.pk, "paid_cents", amount);
        sm_pack_kv_str(&upd.pk, "paid_on", d);
        sm_pack_kv_str(&upd.pk, "payment_reference", reference);
        break;
    case S_EVALUATE:
        if (grant_evaluate(&app, e))
            goto fail;
        msgpack_pack_map(&upd.pk, 3);
        sm_pack_kv_str(&upd.pk, "evaluation_on", d);
        sm_pack_kv_str(&upd.pk, "evaluation_notes", text);
        break;
    case S_ACCOUNT:
        if (grant_account(&app, res, e))
            goto fail;
        msgpack_pack_map(&upd.pk, 4);
        sm_pack_kv_str(&upd.pk, "result", grant_result_name(res));
        sm_pack_kv_str(&upd.pk, "narrative", text);
        sm_pack_kv_str(&upd.pk, "accounted_on", d);
        break;
    case S_CLOSE:
        if (grant_close(&app, e))
            goto fail;
        msgpack_pack_map(&upd.pk, 2);
        sm_pack_kv_str(&upd.pk, "closed_on", d);
        break;
    }
    sm_pack_kv_str(&upd.pk, "state", grant_state_name(app.state));
    if ((d_awarded || d_paid) && pool_book(ctx, s_pool_of(r), d_awarded, d_paid))
        goto done;
    if (sm_rec_update(ctx, DB, id, r, &upd, &merged))
        goto done;
    sm_pack_raw(sm_ctx_reply(ctx), merged.sbuf.data, merged.sbuf.size);
    rc = 0;
    goto done;
fail:
    s_fix_field(e);
done:
    sm_buf_free(&upd);
    sm_buf_free(&merged);
    sm_doc_destroy(&doc);
    return rc;
}

int op_grant_award(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step(ctx, S_AWARD);
}
int op_grant_reject(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step(ctx, S_REJECT);
}
int op_grant_withdraw(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step(ctx, S_WITHDRAW);
}
int op_grant_pay(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step(ctx, S_PAY);
}
int op_grant_evaluate(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step(ctx, S_EVALUATE);
}
int op_grant_account(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step(ctx, S_ACCOUNT);
}
int op_grant_close(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_step(ctx, S_CLOSE);
}

int op_grant_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_doc_t *doc = NULL;
    if (sm_rec_require(ctx, DB, 'G', sm_arg_id(ctx, "application"), "application",
                       N_("application"), "grant list", &doc))
        return -1;
    sm_pack_obj(sm_ctx_reply(ctx), sm_doc_root(doc));
    sm_doc_destroy(&doc);
    return 0;
}

/* ==== Owners ============================================================= */

/*  True when an application in state st is still being followed: not
    closed, rejected or withdrawn. */
static bool s_open(const char *st)
{
    return strcmp(st, "closed") != 0 && strcmp(st, "rejected") != 0 && strcmp(st, "withdrawn") != 0;
}

int op_grant_assign(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t id = sm_arg_id(ctx, "application");
    sm_doc_t *doc = NULL;
    if (sm_rec_require(ctx, DB, 'G', id, "application", "application", "grant list", &doc))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    sm_owners_t was, now;
    sm_owners_read(r, &was);
    now = was;
    sm_buf_t upd, merged;
    sm_buf_init(&upd);
    sm_buf_init(&merged);
    int rc = -1;
    if (sm_owners_take(ctx, &now) == 0) {
        msgpack_pack_map(&upd.pk, SM_OWNERS_NPAIRS);
        sm_owners_pack(&upd.pk, &now);
        if (sm_rec_update(ctx, DB, id, r, &upd, &merged) == 0 &&
            sm_owners_changed(ctx, grant_owned_kinds, id, &was, &now) == 0) {
            sm_pack_raw(sm_ctx_reply(ctx), merged.sbuf.data, merged.sbuf.size);
            rc = 0;
        }
    }
    sm_buf_free(&upd);
    sm_buf_free(&merged);
    sm_doc_destroy(&doc);
    return rc;
}

/*  sm_owned_kind_t.get: an application's owners and whether it is open. */
static int s_owned_get(sm_ctx_t *ctx, uint64_t id, sm_owners_t *owners, bool *open)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc == 1) {
        char st[24];
        sm_owners_read(sm_doc_root(doc), owners);
        *open = s_open(sm_rec_str(sm_doc_root(doc), "state", st, sizeof st));
        sm_doc_destroy(&doc);
    }
    return rc;
}

/*  sm_owned_kind_t.set: merge new owners into an application's record. */
static int s_owned_set(sm_ctx_t *ctx, uint64_t id, const sm_owners_t *owners)
{
    sm_doc_t *doc = NULL;
    if (sm_rec_require(ctx, DB, 'G', id, "application", "application", "grant list", &doc))
        return -1;
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, SM_OWNERS_NPAIRS);
    sm_owners_pack(&upd.pk, owners);
    int rc = sm_rec_update(ctx, DB, id, sm_doc_root(doc), &upd, NULL);
    sm_buf_free(&upd);
    sm_doc_destroy(&doc);
    return rc;
}

const sm_owned_kind_t grant_owned_kinds[] = {
    {'G', "grant", "finance.grant.assigned", s_owned_get, s_owned_set},
    {0, NULL, NULL, NULL, NULL}};

int on_intake_person(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    return sm_owner_on_person(ctx, "finance", grant_owned_kinds, type, data);
}

/* ==== Lists and figures ================================================== */

/*  A page of applications matching the filters (NULL or 0: any). */
typedef struct {
    int year;
    const char *state;
    sm_owner_filter_t owner;
    int64_t left, packed;
    uint64_t last;
    bool more;
    sm_buf_t items;
} s_list_t;

/*  Pack application id as a list row when it matches; stops (1) past the
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
    sm_owners_t owners;
    sm_owners_read(r, &owners);
    bool match = (!l->year || sm_rec_int(r, "year", 0) == l->year) &&
                 (!l->state || strcmp(sm_rec_str(r, "state", buf, sizeof buf), l->state) == 0) &&
                 sm_owner_filter_match(&l->owner, &owners);
    rc = 0;
    if (match && l->left == 0) {
        l->more = true;
        rc = 1;
    } else if (match) {
        msgpack_packer *pk = &l->items.pk;
        static const char *const text_keys[] = {"id",       "pool",  "initiative", "applicant",
                                                "district", "state", "result",     NULL};
        static const char *const int_keys[] = {"year", "requested_cents", "awarded_cents",
                                               "paid_cents", NULL};
        msgpack_pack_map(pk, 11 + SM_OWNERS_NPAIRS);
        sm_owners_pack(pk, &owners);
        for (int i = 0; text_keys[i]; i++) {
            const msgpack_object *v = sm_map_get(r, text_keys[i]);
            sm_pack_str(pk, text_keys[i]);
            if (v)
                sm_pack_obj(pk, v);
            else
                msgpack_pack_nil(pk);
        }
        for (int i = 0; int_keys[i]; i++)
            sm_pack_kv_int(pk, int_keys[i], sm_rec_int(r, int_keys[i], 0));
        l->left--;
        l->packed++;
        l->last = id;
    }
    sm_doc_destroy(&doc);
    return rc;
}

int op_grant_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_list_t l = {.year = (int)sm_arg_int(ctx, "year", 0),
                  .state = sm_arg_str(ctx, "state"),
                  .left = sm_arg_int(ctx, "limit", 100)};
    uint64_t after = sm_arg_id(ctx, "after"), pool = sm_arg_id(ctx, "pool");
    if (sm_owner_filter_take(ctx, &l.owner) != 0)
        return -1;
    sm_buf_init(&l.items);
    int rc;
    if (pool) {
        uint8_t pk8[8];
        sm_key_u64(pool, pk8);
        rc = sm_idx_scan(ctx, DB_BY_POOL, pk8, 8, after, s_list_visit, &l);
    } else
        rc = sm_rec_scan(ctx, DB, after, s_list_visit, &l);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        char next[24];
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "applications");
        msgpack_pack_array(pk, (size_t)l.packed);
        sm_pack_raw(pk, l.items.sbuf.data, l.items.sbuf.size);
        sm_pack_kv_str(pk, "next", l.more ? sm_id_format('G', l.last, next) : NULL);
    }
    sm_buf_free(&l.items);
    return rc;
}

/*  Applications of the years asked for, collected for grant_stats. */
typedef struct {
    int from, to;
    size_t n, cap;
    int *years;
    grant_application_t *apps;
} s_stats_t;

/*  Collect application id when its year is in range. Returns 0, or -1
    (out of memory, damaged record). */
static int s_stats_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_stats_t *s = arg;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    int year = (int)sm_rec_int(r, "year", 0);
    rc = 0;
    if (year >= s->from && year <= s->to) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 256;
            grant_application_t *a = realloc(s->apps, cap * sizeof *a);
            if (a)
                s->apps = a;
            int *y = realloc(s->years, cap * sizeof *y);
            if (y)
                s->years = y;
            if (!a || !y)
                rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            else
                s->cap = cap;
        }
        if (rc == 0 && s_decode(ctx, id, r, &s->apps[s->n]) == 0)
            s->years[s->n++] = year;
        else
            rc = -1;
    }
    sm_doc_destroy(&doc);
    return rc;
}

/*  Pack one row of figures. */
static void s_pack_stats(msgpack_packer *pk, int year, const grant_stats_t *st)
{
    char pct[24];
    snprintf(pct, sizeof pct, "%lld.%02lld", (long long)(st->reached_bp / 100),
             (long long)(st->reached_bp % 100));
    msgpack_pack_map(pk, 15);
    if (year)
        sm_pack_kv_int(pk, "year", year);
    else
        sm_pack_kv_str(pk, "year", "total");
    sm_pack_kv_int(pk, "count", st->count);
    sm_pack_kv_int(pk, "requested_cents", st->requested_cents);
    sm_pack_kv_int(pk, "awarded_cents", st->awarded_cents);
    sm_pack_kv_int(pk, "paid_cents", st->paid_cents);
    sm_pack_kv_int(pk, "awarded_count", st->awarded_count);
    sm_pack_kv_int(pk, "rejected_count", st->rejected_count);
    sm_pack_kv_int(pk, "withdrawn_count", st->withdrawn_count);
    sm_pack_kv_int(pk, "accounted_count", st->accounted_count);
    sm_pack_kv_int(pk, "reached_count", st->reached_count);
    sm_pack_kv_int(pk, "partly_count", st->partly_count);
    sm_pack_kv_int(pk, "not_reached_count", st->not_reached_count);
    sm_pack_kv_int(pk, "reached_bp", st->reached_bp);
    sm_pack_kv_str(pk, "reached_percent", pct);
    sm_pack_kv_bool(pk, "has_results", st->accounted_count > 0);
}

int op_grant_stats(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    s_stats_t s;
    memset(&s, 0, sizeof s);
    s.from = (int)sm_arg_int(ctx, "from_year", 0);
    s.to = (int)sm_arg_int(ctx, "to_year", 0);
    if (s.to < s.from)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to_year",
                           _("to_year %d is before from_year %d; give the years in order"), s.to,
                           s.from);
    int rc = sm_rec_scan(ctx, DB, 0, s_stats_visit, &s);
    grant_application_t *tmp = rc == 0 ? malloc((s.n + 1) * sizeof *tmp) : NULL;
    if (rc == 0 && !tmp)
        rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (rc == 0) {
        grant_stats_t st;
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 4);
        sm_pack_kv_int(pk, "from_year", s.from);
        sm_pack_kv_int(pk, "to_year", s.to);
        sm_pack_str(pk, "years");
        msgpack_pack_array(pk, (size_t)(s.to - s.from + 1));
        for (int y = s.from; y <= s.to; y++) {
            size_t k = 0;
            for (size_t i = 0; i < s.n; i++)
                if (s.years[i] == y)
                    tmp[k++] = s.apps[i];
            if (grant_stats(tmp, k, &st, e) != 0)
                memset(&st, 0, sizeof st);
            s_pack_stats(pk, y, &st);
        }
        if (grant_stats(s.apps, s.n, &st, e) != 0)
            memset(&st, 0, sizeof st);
        sm_pack_str(pk, "total");
        s_pack_stats(pk, 0, &st);
    }
    free(tmp);
    free(s.apps);
    free(s.years);
    return rc;
}

/* ==== Erasure ============================================================ */

typedef struct {
    sm_buf_t *out;
    size_t max;
    long packed;
    bool more;
} s_by_applicant_t;

/*  Pack application id; stops (1) past max, -1 on error. */
static int s_by_applicant_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_by_applicant_t *x = arg;
    if ((size_t)x->packed == x->max) {
        x->more = true;
        return 1;
    }
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc; //  an index entry without its application is skipped
    sm_pack_obj(&x->out->pk, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    x->packed++;
    return 0;
}

long grant_pack_by_applicant(sm_ctx_t *ctx, uint64_t participant, size_t max, sm_buf_t *out,
                             bool *more)
{
    s_by_applicant_t x = {out, max, 0, false};
    uint8_t ak8[8];
    sm_key_u64(participant, ak8);
    if (sm_idx_scan(ctx, DB_BY_APPLICANT, ak8, 8, 0, s_by_applicant_visit, &x))
        return -1;
    *more = x.more;
    return x.packed;
}

typedef struct {
    uint64_t participant;
    size_t n;
    uint64_t ids[256];
} s_erase_t;

/*  Collect an application ID of the erased applicant; stops (1) when the
    batch is full. */
static int s_erase_collect(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_erase_t *x = arg;
    if (x->n == sizeof x->ids / sizeof x->ids[0])
        return 1;
    x->ids[x->n++] = id;
    return 0;
}

int on_intake_applicant(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    if (strcmp(type, "intake.participant.erased") != 0)
        return 0;
    s_erase_t x;
    x.n = 0;
    if (sm_get_id(data, "id", 'P', true, &x.participant, sm_ctx_err(ctx)) < 0)
        return -1;
    uint8_t ak8[8];
    sm_key_u64(x.participant, ak8);
    /*  Collect first, then change: the index is not modified under its
        own cursor. More than 256 applications by one person repeats. */
    for (int round = 0; round < 1000; round++) {
        x.n = 0;
        if (sm_idx_scan(ctx, DB_BY_APPLICANT, ak8, 8, 0, s_erase_collect, &x))
            return -1;
        if (x.n == 0)
            break;
        for (size_t i = 0; i < x.n; i++) {
            sm_doc_t *doc = NULL;
            int rc = sm_rec_get(ctx, DB, x.ids[i], &doc);
            if (rc < 0)
                return -1;
            if (rc > 0) {
                sm_buf_t upd;
                sm_buf_init(&upd);
                /*  The applicant's own words (answers, intended result) and
                    the notes written about them go; amounts, dates and the
                    result (reached, partly, not) stay for the statistics. */
                msgpack_pack_map(&upd.pk, 6);
                sm_pack_kv_nil(&upd.pk, "applicant");
                sm_pack_kv_bool(&upd.pk, "applicant_erased", true);
                sm_pack_str(&upd.pk, "answers");
                msgpack_pack_map(&upd.pk, 0);
                sm_pack_kv_nil(&upd.pk, "intended_result");
                sm_pack_kv_nil(&upd.pk, "evaluation_notes");
                sm_pack_kv_nil(&upd.pk, "narrative");
                rc = sm_rec_update(ctx, DB, x.ids[i], sm_doc_root(doc), &upd, NULL);
                sm_buf_free(&upd);
                sm_doc_destroy(&doc);
                if (rc)
                    return -1;
            }
            if (sm_idx_del(ctx, DB_BY_APPLICANT, ak8, 8, x.ids[i]))
                return -1;
        }
        sm_info("grant applicant erased", "participant=P%llu applications=%zu",
                (unsigned long long)x.participant, x.n);
    }
    return 0;
}
