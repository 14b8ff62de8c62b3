/*  services/finance/budget_line.c - a year's budget as stored lines. */
#include "budget_line.h"
#include "allocation.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/money.h"
#include "common/record.h"
#include "entitlement.h"
#include "hours_rules.h"
#include <stdio.h>
#include <string.h>

#define DB "lines"
#define DB_BY_YEAR "lines_by_year"

/* ==== Records =========================================================== */

/*  The lines_by_year prefix of a year. Can't fail. */
static void s_year_key(int year, uint8_t key[8])
{
    sm_key_u64((uint64_t)year, key);
}

/*  Pack the line's definition fields (10 pairs). */
static void s_pack_parts(msgpack_packer *pk, const budget_line_t *b)
{
    char p[24];
    sm_pack_kv_str(pk, "kind", budget_kind_name(b->kind));
    sm_pack_kv_int(pk, "hours_x100", b->hours_x100);
    sm_pack_kv_int(pk, "weeks_x100", b->weeks_x100);
    sm_pack_kv_int(pk, "rate_cents", b->rate_cents);
    sm_pack_kv_int(pk, "amount_cents", b->amount_cents);
    sm_pack_kv_int(pk, "per_claim_cents", b->per_claim_cents);
    sm_pack_kv_int(pk, "claims", b->claims);
    sm_pack_kv_str(pk, "period", b->has_period ? sm_period_format(&b->period, p) : NULL);
    if (b->has_stated)
        sm_pack_kv_int(pk, "stated_cents", b->stated_cents);
    else
        sm_pack_kv_nil(pk, "stated_cents");
    char f[200];
    sm_pack_kv_str(pk, "formula", budget_line_describe(b, f, sizeof f));
}

int line_load(sm_ctx_t *ctx, uint64_t id, line_rec_t *out)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    char kind[32], period[40];
    memset(out, 0, sizeof *out);
    out->id = id;
    out->year = (int)sm_rec_int(r, "year", 0);
    sm_rec_str(r, "name", out->name, sizeof out->name);
    budget_line_t *b = &out->line;
    int bad = budget_kind_parse(sm_rec_str(r, "kind", kind, sizeof kind), &b->kind, NULL);
    b->hours_x100 = sm_rec_int(r, "hours_x100", 0);
    b->weeks_x100 = sm_rec_int(r, "weeks_x100", 0);
    b->rate_cents = sm_rec_int(r, "rate_cents", 0);
    b->amount_cents = sm_rec_int(r, "amount_cents", 0);
    b->per_claim_cents = sm_rec_int(r, "per_claim_cents", 0);
    b->claims = sm_rec_int(r, "claims", 0);
    if (sm_rec_str(r, "period", period, sizeof period)[0]) {
        b->has_period = true;
        bad |= sm_period_parse(period, &b->period, "period", NULL);
    }
    const msgpack_object *st = sm_map_get(r, "stated_cents");
    if (st && st->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
        b->has_stated = true;
        b->stated_cents = (int64_t)st->via.u64;
    }
    out->computed_cents = sm_rec_int(r, "computed_cents", 0);
    out->committed_cents = sm_rec_int(r, "committed_cents", 0);
    out->spent_cents = sm_rec_int(r, "spent_cents", 0);
    out->worked_x100 = sm_rec_int(r, "worked_hours_x100", 0);
    sm_doc_destroy(&doc);
    if (bad)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("budget line L%llu is damaged"),
                           (unsigned long long)id);
    return 1;
}

int line_require(sm_ctx_t *ctx, const char *key, line_rec_t *out)
{
    uint64_t id = sm_arg_id(ctx, key);
    int rc = line_load(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, key,
                           _("no budget line L%llu; see budget show YEAR"), (unsigned long long)id);
    return 0;
}

typedef struct {
    line_rec_t *out;
    int found;
} s_first_t;

/*  Stop (1) at the first reimbursement line, filling the s_first_t;
    0 to go on, -1 on error. */
static int s_first_reimb_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_first_t *f = arg;
    line_rec_t l;
    int rc = line_load(ctx, id, &l);
    if (rc < 0)
        return -1;
    if (rc > 0 && l.line.kind == BUDGET_REIMBURSEMENT) {
        *f->out = l;
        f->found = 1;
        return 1;
    }
    return 0;
}

int line_reimbursement_of(sm_ctx_t *ctx, int year, line_rec_t *out)
{
    uint8_t key[8];
    s_year_key(year, key);
    s_first_t f = {out, 0};
    if (sm_idx_scan(ctx, DB_BY_YEAR, key, 8, 0, s_first_reimb_visit, &f) != 0)
        return -1;
    return f.found;
}

int line_usage(sm_ctx_t *ctx, const line_rec_t *l, line_usage_t *u)
{
    memset(u, 0, sizeof *u);
    u->budget_cents = l->computed_cents;
    u->committed_cents = l->committed_cents;
    u->spent_cents = l->spent_cents;
    if (l->line.kind != BUDGET_REIMBURSEMENT)
        return 0;
    line_rec_t first;
    int rc = line_reimbursement_of(ctx, l->year, &first);
    if (rc < 0)
        return -1;
    if (rc > 0 && first.id == l->id) {
        reimb_year_t ry;
        if (reimb_year_get(ctx, l->year, &ry) != 0)
            return -1;
        u->reimbursements = true;
        u->committed_cents += ry.committed_cents;
        u->spent_cents += ry.paid_cents;
    }
    return 0;
}

/* ==== Thresholds ========================================================= */

/*  The thresholds reached by use of budget: crossing them from nothing. */
static unsigned s_reached(int64_t budget, int64_t used)
{
    return budget_thresholds_crossed(budget, 0, used);
}

int line_note_usage(sm_ctx_t *ctx, const line_rec_t *l, const line_usage_t *before,
                    const line_usage_t *after)
{
    unsigned was = s_reached(before->budget_cents, before->committed_cents + before->spent_cents);
    unsigned now = s_reached(after->budget_cents, after->committed_cents + after->spent_cents);
    unsigned crossed = now & ~was;
    char id[24];
    sm_id_format('L', l->id, id);
    for (int pct = 80; pct <= 100; pct += 20) {
        unsigned bit = pct == 80 ? BUDGET_CROSSED_80 : BUDGET_CROSSED_100;
        if (!(crossed & bit))
            continue;
        msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.budget.threshold");
        msgpack_pack_map(pk, 3);
        sm_pack_kv_int(pk, "year", l->year);
        sm_pack_kv_str(pk, "line", id);
        sm_pack_kv_int(pk, "percent", pct);
        if (sm_ctx_event_end(ctx))
            return -1;
    }
    return 0;
}

/*  Merge the n whole-number fields keys[i] = vals[i] into line id's
    record. Returns 0 or -1 (ctx error set). */
static int s_update_ints(sm_ctx_t *ctx, uint64_t id, int n, const char *const *keys,
                         const int64_t *vals)
{
    sm_doc_t *doc = NULL;
    if (sm_rec_get(ctx, DB, id, &doc) <= 0)
        return -1;
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, (uint32_t)n);
    for (int i = 0; i < n; i++)
        sm_pack_kv_int(&upd.pk, keys[i], vals[i]);
    int rc = sm_rec_update(ctx, DB, id, sm_doc_root(doc), &upd, NULL);
    sm_buf_free(&upd);
    sm_doc_destroy(&doc);
    return rc;
}

int line_book(sm_ctx_t *ctx, uint64_t id, int64_t d_committed, int64_t d_spent)
{
    line_rec_t l;
    line_usage_t before, after;
    int rc = line_load(ctx, id, &l);
    if (rc <= 0)
        return rc < 0 ? -1
                      : sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("budget line L%llu vanished"),
                                    (unsigned long long)id);
    if (line_usage(ctx, &l, &before))
        return -1;
    l.committed_cents += d_committed;
    l.spent_cents += d_spent;
    if (l.committed_cents < 0 || l.spent_cents < 0 || l.committed_cents > SM_MONEY_MAX ||
        l.spent_cents > SM_MONEY_MAX)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "amount_cents",
                           _("booking this would take line L%llu's actuals out of range"),
                           (unsigned long long)id);
    static const char *const keys[] = {"committed_cents", "spent_cents"};
    const int64_t vals[] = {l.committed_cents, l.spent_cents};
    if (s_update_ints(ctx, id, 2, keys, vals) || line_usage(ctx, &l, &after))
        return -1;
    return line_note_usage(ctx, &l, &before, &after);
}

int line_hours_add(sm_ctx_t *ctx, uint64_t id, int64_t d_x100)
{
    line_rec_t l;
    int rc = line_load(ctx, id, &l);
    if (rc <= 0)
        return rc < 0 ? -1
                      : sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("budget line L%llu vanished"),
                                    (unsigned long long)id);
    int64_t worked = l.worked_x100 + d_x100;
    if (worked < 0 || worked > BUDGET_MAX_TOTAL_HOURS_X100)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "hours_x100",
                           _("booking these hours would take line L%llu's hours worked out of "
                             "range"),
                           (unsigned long long)id);
    static const char *const keys[] = {"worked_hours_x100"};
    return s_update_ints(ctx, id, 1, keys, &worked);
}

/* ==== Reading a line from a request ====================================== */

/*  budget.h names a line's parts "hours", "rate", ...; the request's
    fields carry their unit. */
static void s_fix_field(sm_err_t *e)
{
    static const char *map[][2] = {{"hours", "hours_x100"},
                                   {"weeks", "weeks_x100"},
                                   {"rate", "rate_cents"},
                                   {"amount", "amount_cents"},
                                   {"per_claim", "per_claim_cents"},
                                   {"stated", "stated_cents"},
                                   {NULL, NULL}};
    for (int i = 0; map[i][0]; i++)
        if (strcmp(e->field, map[i][0]) == 0) {
            snprintf(e->field, sizeof e->field, "%s", map[i][1]);
            return;
        }
}

/*  Read the request's line kind and parts and compute the line. Returns 0
    or -1 (ctx error set). */
static int s_parse_parts(sm_ctx_t *ctx, budget_line_t *b)
{
    sm_err_t *e = sm_ctx_err(ctx);
    memset(b, 0, sizeof *b);
    const char *period = sm_arg_str(ctx, "period");
    if (budget_kind_parse(sm_arg_str(ctx, "kind"), &b->kind, e) < 0 ||
        (period && period[0] && sm_period_parse(period, &b->period, "period", e) < 0))
        return -1;
    b->hours_x100 = sm_arg_int(ctx, "hours_x100", 0);
    b->weeks_x100 = sm_arg_int(ctx, "weeks_x100", 0);
    b->rate_cents = sm_arg_int(ctx, "rate_cents", 0);
    b->amount_cents = sm_arg_int(ctx, "amount_cents", 0);
    b->per_claim_cents = sm_arg_int(ctx, "per_claim_cents", 0);
    b->claims = sm_arg_int(ctx, "claims", 0);
    b->has_period = period && period[0];
    b->has_stated = sm_arg_has(ctx, "stated_cents");
    b->stated_cents = sm_arg_int(ctx, "stated_cents", 0);
    int64_t computed;
    if (budget_line_compute(b, &computed, e) != 0) {
        s_fix_field(e);
        return -1;
    }
    return 0;
}

/* ==== Replies ============================================================ */

/*  Pack key: v, or nil when has is false. */
static void s_pack_int_or_nil(msgpack_packer *pk, const char *key, bool has, int64_t v)
{
    if (has)
        sm_pack_kv_int(pk, key, v);
    else
        sm_pack_kv_nil(pk, key);
}

/*  Pack a line as replies show it, with its use, its check and its hours
    planned against worked as on day on (*hp filled when not NULL). */
static int s_pack_line(sm_ctx_t *ctx, msgpack_packer *pk, const line_rec_t *l, sm_date_t on,
                       bool *consistent, hours_plan_t *hp)
{
    line_usage_t u;
    budget_check_t chk;
    hours_plan_t h;
    sm_err_t e = {0};
    if (line_usage(ctx, l, &u))
        return -1;
    if (budget_line_check(&l->line, &chk, &e) < 0 ||
        hours_plan(&l->line, l->year, l->worked_x100, on, &h, &e) < 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("budget line L%llu no longer computes: %s"),
                           (unsigned long long)l->id, e.message);
    if (hp)
        *hp = h;
    char id[24], f[200], p[24];
    const budget_line_t *b = &l->line;
    int64_t used = u.committed_cents + u.spent_cents, bp = 0;
    bool has_bp = budget_used_bp(u.budget_cents, used, &bp) == 0;
    msgpack_pack_map(pk, 31);
    sm_pack_kv_str(pk, "id", sm_id_format('L', l->id, id));
    sm_pack_kv_int(pk, "year", l->year);
    sm_pack_kv_str(pk, "name", l->name);
    sm_pack_kv_str(pk, "kind", budget_kind_name(b->kind));
    sm_pack_kv_str(pk, "formula", budget_line_describe(b, f, sizeof f));
    sm_pack_kv_int(pk, "hours_x100", b->hours_x100);
    sm_pack_kv_int(pk, "weeks_x100", b->weeks_x100);
    sm_pack_kv_int(pk, "rate_cents", b->rate_cents);
    sm_pack_kv_int(pk, "amount_cents", b->amount_cents);
    sm_pack_kv_int(pk, "per_claim_cents", b->per_claim_cents);
    sm_pack_kv_int(pk, "claims", b->claims);
    sm_pack_kv_str(pk, "period", b->has_period ? sm_period_format(&b->period, p) : NULL);
    sm_pack_kv_int(pk, "budget_cents", chk.computed_cents);
    if (b->has_stated)
        sm_pack_kv_int(pk, "stated_cents", b->stated_cents);
    else
        sm_pack_kv_nil(pk, "stated_cents");
    sm_pack_kv_bool(pk, "consistent", chk.consistent);
    sm_pack_kv_str(pk, "inconsistency", chk.consistent ? NULL : chk.message);
    sm_pack_kv_bool(pk, "ten_times", chk.ten_times);
    sm_pack_kv_int(pk, "committed_cents", u.committed_cents);
    sm_pack_kv_int(pk, "spent_cents", u.spent_cents);
    sm_pack_kv_int(pk, "remaining_cents", u.budget_cents - used);
    if (has_bp)
        sm_pack_kv_int(pk, "used_bp", bp);
    else
        sm_pack_kv_nil(pk, "used_bp");
    sm_pack_kv_bool(pk, "reimbursements", u.reimbursements);
    sm_pack_kv_bool(pk, "overspent", used > u.budget_cents);
    s_pack_int_or_nil(pk, "planned_hours_x100", h.has_plan, h.planned_x100);
    sm_pack_kv_int(pk, "worked_hours_x100", l->worked_x100);
    s_pack_int_or_nil(pk, "weeks_elapsed_x100", h.per_week, h.weeks_elapsed_x100);
    s_pack_int_or_nil(pk, "planned_to_date_hours_x100", h.per_week, h.planned_to_date_x100);
    s_pack_int_or_nil(pk, "worked_cents", h.has_plan, h.worked_cents);
    sm_pack_kv_bool(pk, "ahead", h.ahead);
    sm_pack_kv_bool(pk, "hours_exceeded", h.exceeded);
    sm_pack_kv_str(pk, "hours_message", h.message[0] ? h.message : NULL);
    if (consistent)
        *consistent = chk.consistent;
    return 0;
}

/*  Store a line's definition (and name, year) merged into its record. */
static int s_store(sm_ctx_t *ctx, uint64_t id, const msgpack_object *old, const line_rec_t *l)
{
    char d[11], idbuf[24];
    int64_t computed;
    if (budget_line_compute(&l->line, &computed, sm_ctx_err(ctx)) != 0)
        return -1;
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, old ? 13 : 17);
    s_pack_parts(&upd.pk, &l->line);
    sm_pack_kv_str(&upd.pk, "name", l->name);
    sm_pack_kv_int(&upd.pk, "year", l->year);
    sm_pack_kv_int(&upd.pk, "computed_cents", computed);
    if (!old) {
        sm_pack_kv_str(&upd.pk, "id", sm_id_format('L', id, idbuf));
        sm_pack_kv_int(&upd.pk, "committed_cents", 0);
        sm_pack_kv_int(&upd.pk, "spent_cents", 0);
        sm_pack_kv_str(&upd.pk, "created_on", sm_date_format(sm_date_today(), d));
    }
    int rc = sm_rec_update(ctx, DB, id, old, &upd, NULL);
    sm_buf_free(&upd);
    return rc;
}

/* ==== Ops ================================================================ */

int op_budget_line_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    line_rec_t l;
    memset(&l, 0, sizeof l);
    l.year = (int)sm_arg_int(ctx, "year", 0);
    snprintf(l.name, sizeof l.name, "%s", sm_arg_str(ctx, "name"));
    if (s_parse_parts(ctx, &l.line))
        return -1;
    l.id = sm_ctx_next_id(ctx, 'L');
    if (l.id == 0 || s_store(ctx, l.id, NULL, &l))
        return -1;
    uint8_t yk[8];
    s_year_key(l.year, yk);
    if (sm_idx_put(ctx, DB_BY_YEAR, yk, 8, l.id) || line_load(ctx, l.id, &l) <= 0)
        return -1;
    /*  A new reimbursement line may start counting reimbursements already
        booked in its year: note the thresholds that crosses. */
    line_usage_t before = {.budget_cents = l.computed_cents}, after;
    if (line_usage(ctx, &l, &after) || line_note_usage(ctx, &l, &before, &after))
        return -1;
    return s_pack_line(ctx, sm_ctx_reply(ctx), &l, sm_date_today(), NULL, NULL);
}

int op_budget_line_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    line_rec_t l, old;
    line_usage_t before, after;
    if (line_require(ctx, "line", &old) || line_usage(ctx, &old, &before))
        return -1;
    l = old;
    if (sm_arg_has(ctx, "name"))
        snprintf(l.name, sizeof l.name, "%s", sm_arg_str(ctx, "name"));
    if (s_parse_parts(ctx, &l.line))
        return -1;
    sm_doc_t *doc = NULL;
    if (sm_rec_get(ctx, DB, l.id, &doc) <= 0)
        return -1;
    int rc = s_store(ctx, l.id, sm_doc_root(doc), &l);
    sm_doc_destroy(&doc);
    if (rc || line_load(ctx, l.id, &l) <= 0 || line_usage(ctx, &l, &after) ||
        line_note_usage(ctx, &l, &before, &after))
        return -1;
    return s_pack_line(ctx, sm_ctx_reply(ctx), &l, sm_date_today(), NULL, NULL);
}

int op_budget_line_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    line_rec_t l;
    if (line_require(ctx, "line", &l))
        return -1;
    return s_pack_line(ctx, sm_ctx_reply(ctx), &l, sm_date_today(), NULL, NULL);
}

/*  Collecting a year's lines for show and check. */
typedef struct {
    sm_buf_t rows;
    int64_t count, inconsistent;
    int64_t budget, committed, spent;
    int64_t planned_x100, worked_x100, ahead;
    sm_date_t on;    /*  show: the day the weeks elapsed are counted to */
    bool check_only; /*  pack only inconsistent lines, in check's form */
    bool sum_only;   /*  pack nothing: only add up */
} s_year_t;

/*  Add line id to the year's totals and pack it (all lines for show, the
    inconsistent ones for check). Returns 0, or -1 on error. */
static int s_year_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_year_t *y = arg;
    line_rec_t l;
    line_usage_t u;
    int rc = line_load(ctx, id, &l);
    if (rc <= 0)
        return rc;
    if (line_usage(ctx, &l, &u))
        return -1;
    y->count++;
    y->budget += u.budget_cents;
    y->committed += u.committed_cents;
    y->spent += u.spent_cents;
    if (y->sum_only)
        return 0;
    if (!y->check_only) {
        bool ok = true;
        hours_plan_t h;
        if (s_pack_line(ctx, &y->rows.pk, &l, y->on, &ok, &h))
            return -1;
        y->inconsistent += !ok;
        y->planned_x100 += h.planned_x100;
        y->worked_x100 += l.worked_x100;
        y->ahead += h.ahead || h.exceeded;
        return 0;
    }
    budget_check_t chk;
    if (budget_line_check(&l.line, &chk, sm_ctx_err(ctx)) < 0)
        return -1;
    if (chk.consistent)
        return 0;
    char idb[24], f[200];
    y->inconsistent++;
    msgpack_packer *pk = &y->rows.pk;
    msgpack_pack_map(pk, 8);
    sm_pack_kv_str(pk, "id", sm_id_format('L', l.id, idb));
    sm_pack_kv_str(pk, "name", l.name);
    sm_pack_kv_str(pk, "formula", budget_line_describe(&l.line, f, sizeof f));
    sm_pack_kv_int(pk, "computed_cents", chk.computed_cents);
    sm_pack_kv_int(pk, "stated_cents", chk.stated_cents);
    sm_pack_kv_int(pk, "difference_cents", chk.stated_cents - chk.computed_cents);
    sm_pack_kv_bool(pk, "ten_times", chk.ten_times);
    sm_pack_kv_str(pk, "message", chk.message);
    return 0;
}

int line_year_sum(sm_ctx_t *ctx, int year, line_year_t *out)
{
    s_year_t y;
    memset(&y, 0, sizeof y);
    y.sum_only = true;
    uint8_t yk[8];
    s_year_key(year, yk);
    if (sm_idx_scan(ctx, DB_BY_YEAR, yk, 8, 0, s_year_visit, &y) != 0)
        return -1;
    out->lines = y.count;
    out->budget_cents = y.budget;
    out->committed_cents = y.committed;
    out->spent_cents = y.spent;
    return 0;
}

/*  Collecting the allocations that pay for a year. */
typedef struct {
    int year;
    int64_t count;
    int64_t cost, computed, invoiced, paid;
    sm_buf_t rows;
} s_funding_t;

/*  Pack allocation a when it pays for the year. Returns 0. */
static int s_funding_visit(sm_ctx_t *ctx, const alloc_summary_t *a, void *arg)
{
    s_funding_t *f = arg;
    (void)ctx;
    if (!a->has_year || f->year < a->year || f->year > a->to_year)
        return 0;
    char id[24];
    msgpack_packer *pk = &f->rows.pk;
    msgpack_pack_map(pk, 10);
    sm_pack_kv_str(pk, "id", sm_id_format('V', a->id, id));
    sm_pack_kv_str(pk, "name", a->name);
    sm_pack_kv_int(pk, "year", a->year);
    sm_pack_kv_int(pk, "to_year", a->to_year);
    sm_pack_kv_int(pk, "cost_cents", a->cost_cents);
    sm_pack_kv_int(pk, "computed_cents", a->computed_cents);
    sm_pack_kv_int(pk, "invoiced_cents", a->invoiced_cents);
    sm_pack_kv_int(pk, "difference_cents", a->invoiced_cents - a->computed_cents);
    sm_pack_kv_int(pk, "balance_cents", a->balance_cents);
    sm_pack_kv_int(pk, "paid_cents", a->paid_cents);
    f->count++;
    f->cost += a->cost_cents;
    f->computed += a->computed_cents;
    f->invoiced += a->invoiced_cents;
    f->paid += a->paid_cents;
    return 0;
}

/*  Pack "funding": the allocations that pay for year, with their
    contributions as decided against their cost. Returns 0 or -1. */
static int s_pack_funding(sm_ctx_t *ctx, msgpack_packer *pk, int year)
{
    s_funding_t f;
    memset(&f, 0, sizeof f);
    f.year = year;
    sm_buf_init(&f.rows);
    int rc = alloc_each(ctx, s_funding_visit, &f);
    if (rc == 0) {
        sm_pack_str(pk, "funding");
        msgpack_pack_map(pk, 7);
        sm_pack_str(pk, "allocations");
        msgpack_pack_array(pk, (size_t)f.count);
        sm_pack_raw(pk, f.rows.sbuf.data, f.rows.sbuf.size);
        sm_pack_kv_int(pk, "cost_cents", f.cost);
        sm_pack_kv_int(pk, "computed_cents", f.computed);
        sm_pack_kv_int(pk, "invoiced_cents", f.invoiced);
        sm_pack_kv_int(pk, "difference_cents", f.invoiced - f.computed);
        sm_pack_kv_int(pk, "balance_cents", f.invoiced - f.cost);
        sm_pack_kv_int(pk, "paid_cents", f.paid);
    }
    sm_buf_free(&f.rows);
    return rc;
}

int op_budget_show(sm_ctx_t *ctx, const msgpack_object *args)
{
    int year = (int)sm_arg_int(ctx, "year", 0);
    s_year_t y;
    memset(&y, 0, sizeof y);
    sm_buf_init(&y.rows);
    if (!sm_arg_date(ctx, "on", &y.on))
        y.on = sm_date_today();
    uint8_t yk[8];
    s_year_key(year, yk);
    int rc = sm_idx_scan(ctx, DB_BY_YEAR, yk, 8, 0, s_year_visit, &y);
    if (rc == 0) {
        char d[11];
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 6);
        sm_pack_kv_int(pk, "year", year);
        sm_pack_kv_str(pk, "on", sm_date_format(y.on, d));
        sm_pack_str(pk, "lines");
        msgpack_pack_array(pk, (size_t)y.count);
        sm_pack_raw(pk, y.rows.sbuf.data, y.rows.sbuf.size);
        sm_pack_str(pk, "totals");
        int64_t bp = 0, used = y.committed + y.spent;
        bool has_bp = budget_used_bp(y.budget, used, &bp) == 0;
        msgpack_pack_map(pk, 8);
        sm_pack_kv_int(pk, "budget_cents", y.budget);
        sm_pack_kv_int(pk, "committed_cents", y.committed);
        sm_pack_kv_int(pk, "spent_cents", y.spent);
        sm_pack_kv_int(pk, "remaining_cents", y.budget - used);
        if (has_bp)
            sm_pack_kv_int(pk, "used_bp", bp);
        else
            sm_pack_kv_nil(pk, "used_bp");
        sm_pack_kv_int(pk, "planned_hours_x100", y.planned_x100);
        sm_pack_kv_int(pk, "worked_hours_x100", y.worked_x100);
        sm_pack_kv_int(pk, "ahead_lines", y.ahead);
        sm_pack_kv_int(pk, "inconsistencies", y.inconsistent);
        rc = s_pack_funding(ctx, pk, year);
    }
    sm_buf_free(&y.rows);
    return rc;
}

int op_budget_check(sm_ctx_t *ctx, const msgpack_object *args)
{
    int year = (int)sm_arg_int(ctx, "year", 0);
    bool has_total = sm_arg_has(ctx, "stated_total_cents");
    int64_t stated_total = sm_arg_int(ctx, "stated_total_cents", 0);
    s_year_t y;
    memset(&y, 0, sizeof y);
    y.check_only = true;
    sm_buf_init(&y.rows);
    uint8_t yk[8];
    s_year_key(year, yk);
    int rc = sm_idx_scan(ctx, DB_BY_YEAR, yk, 8, 0, s_year_visit, &y);
    if (rc == 0) {
        char msg[300] = "", a[48], b[48], c[48];
        bool total_ok = !has_total || stated_total == y.budget;
        if (!total_ok)
            snprintf(msg, sizeof msg,
                     _("the stated total %s differs from the sum of the computed lines %s by "
                       "%s"),
                     sm_l10n_money(stated_total, a), sm_l10n_money(y.budget, b),
                     sm_l10n_money(stated_total > y.budget ? stated_total - y.budget
                                                           : y.budget - stated_total,
                                   c));
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 8);
        sm_pack_kv_int(pk, "year", year);
        sm_pack_kv_int(pk, "lines", y.count);
        sm_pack_kv_int(pk, "total_cents", y.budget);
        if (has_total)
            sm_pack_kv_int(pk, "stated_total_cents", stated_total);
        else
            sm_pack_kv_nil(pk, "stated_total_cents");
        sm_pack_kv_str(pk, "total_inconsistency", total_ok ? NULL : msg);
        sm_pack_kv_bool(pk, "consistent", total_ok && y.inconsistent == 0);
        sm_pack_kv_int(pk, "inconsistent_lines", y.inconsistent);
        sm_pack_str(pk, "inconsistencies");
        msgpack_pack_array(pk, (size_t)y.inconsistent);
        sm_pack_raw(pk, y.rows.sbuf.data, y.rows.sbuf.size);
    }
    sm_buf_free(&y.rows);
    return rc;
}
