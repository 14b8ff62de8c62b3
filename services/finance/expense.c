/*  services/finance/expense.c - actual costs booked against budget lines. */
#include "expense.h"
#include "budget_line.h"
#include "expense_rules.h"
#include "records.h"
#include "request_args.h"
#include <stdio.h>
#include <string.h>

#define DB "expenses"
#define DB_BY_LINE "expenses_by_line"
#define S_DESCRIPTION_MAX 500

/*  Load expense args[key]. Returns 0 with *id, *doc (caller destroys) and
 *status, or -1 (ctx error set). */
static int s_require(sm_ctx_t *ctx, const msgpack_object *args, uint64_t *id, sm_doc_t **doc,
                     expense_status_t *status)
{
    char st[24];
    if (rec_require(ctx, args, "expense", 'X', DB, "expense", "expense list", id, doc))
        return -1;
    if (expense_status_parse(rec_str(sm_doc_root(*doc), "status", st, sizeof st), status, NULL)) {
        sm_doc_destroy(doc);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "expense X%llu is damaged",
                           (unsigned long long)*id);
    }
    return 0;
}

int op_expense_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"line",  "category",    "amount_cents", "on", "session",
                                 "theme", "description", "committed",    NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    char category[24], description[S_DESCRIPTION_MAX + 1] = "", d[11], today[11], idb[24];
    char sess[24] = "", theme[24] = "", lineb[24];
    expense_category_t cat;
    expense_status_t status;
    expense_delta_t delta;
    int64_t amount;
    bool committed = false;
    sm_date_t on;
    uint64_t sn = 0, tn = 0;
    line_rec_t l;
    int has_on, has_s, has_t;
    if (sm_check_keys(args, keys, e) || line_require(ctx, args, "line", &l) ||
        sm_get_str(args, "category", true, category, sizeof category, false, e) < 0 ||
        expense_category_parse(category, &cat, e) ||
        fin_get_cents(args, "amount_cents", true, 1, &amount, e) < 0 ||
        (has_on = fin_get_date(args, "on", false, &on, e)) < 0 ||
        (has_s = sm_get_id(args, "session", 'S', false, &sn, e)) < 0 ||
        (has_t = sm_get_id(args, "theme", 'T', false, &tn, e)) < 0 ||
        sm_get_str(args, "description", false, description, sizeof description, true, e) < 0 ||
        sm_get_bool(args, "committed", false, &committed, e) < 0)
        return -1;
    if (!has_s && !has_t)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "session",
                           "an expense is booked against a session or a theme; give session "
                           "(e.g. S12) or theme (e.g. T3)");
    if (!has_on)
        on = sm_date_today();
    if (expense_book(amount, committed, &status, &delta, e))
        return -1;
    uint64_t id = sm_ctx_next_id(ctx, 'X');
    if (id == 0)
        return -1;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 15);
    sm_pack_kv_str(&b.pk, "id", sm_id_format('X', id, idb));
    sm_pack_kv_str(&b.pk, "line", sm_id_format('L', l.id, lineb));
    sm_pack_kv_int(&b.pk, "year", l.year);
    sm_pack_kv_str(&b.pk, "category", expense_category_name(cat));
    sm_pack_kv_int(&b.pk, "amount_cents", amount);
    sm_pack_kv_int(&b.pk, "committed_cents", delta.committed_cents);
    sm_pack_kv_str(&b.pk, "status", expense_status_name(status));
    sm_pack_kv_str(&b.pk, "on", sm_date_format(on, d));
    sm_pack_kv_str(&b.pk, "session", has_s ? sm_id_format('S', sn, sess) : NULL);
    sm_pack_kv_str(&b.pk, "theme", has_t ? sm_id_format('T', tn, theme) : NULL);
    sm_pack_kv_str(&b.pk, "description", description[0] ? description : NULL);
    sm_pack_kv_str(&b.pk, "created_on", sm_date_format(sm_date_today(), today));
    sm_pack_kv_nil(&b.pk, "settled_on");
    sm_pack_kv_nil(&b.pk, "cancelled_on");
    sm_pack_kv_nil(&b.pk, "cancel_reason");
    uint8_t lk[8];
    sm_key_u64(l.id, lk);
    int rc = -1;
    if (rec_put(ctx, DB, id, &b) == 0 && idx_put(ctx, DB_BY_LINE, lk, 8, id) == 0 &&
        line_book(ctx, l.id, delta.committed_cents, delta.spent_cents) == 0) {
        sm_pack_raw(sm_ctx_reply(ctx), b.sbuf.data, b.sbuf.size);
        rc = 0;
    }
    sm_buf_free(&b);
    return rc;
}

/*  The line number of a stored expense. */
static uint64_t s_line_of(const msgpack_object *r)
{
    char lb[24];
    return sm_id_parse(rec_str(r, "line", lb, sizeof lb), 'L', "line", NULL);
}

int op_expense_settle(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"expense", "amount_cents", "on", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id;
    sm_doc_t *doc = NULL;
    expense_status_t status;
    expense_delta_t delta;
    int64_t actual = 0;
    sm_date_t on;
    int has_amount, has_on;
    if (sm_check_keys(args, keys, e) ||
        (has_amount = fin_get_cents(args, "amount_cents", false, 1, &actual, e)) < 0 ||
        (has_on = fin_get_date(args, "on", false, &on, e)) < 0 ||
        s_require(ctx, args, &id, &doc, &status))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    int64_t committed = rec_int(r, "committed_cents");
    if (!has_amount)
        actual = committed;
    if (!has_on)
        on = sm_date_today();
    int rc = -1;
    sm_buf_t upd, merged;
    sm_buf_init(&upd);
    sm_buf_init(&merged);
    if (expense_settle(&status, committed, actual, &delta, e) == 0) {
        char d[11];
        msgpack_pack_map(&upd.pk, 4);
        sm_pack_kv_str(&upd.pk, "status", expense_status_name(status));
        sm_pack_kv_int(&upd.pk, "amount_cents", actual);
        sm_pack_kv_str(&upd.pk, "on", sm_date_format(on, d));
        sm_pack_kv_str(&upd.pk, "settled_on", sm_date_format(sm_date_today(), d));
        if (rec_update(ctx, DB, id, r, &upd, &merged) == 0 &&
            line_book(ctx, s_line_of(r), delta.committed_cents, delta.spent_cents) == 0) {
            sm_pack_raw(sm_ctx_reply(ctx), merged.sbuf.data, merged.sbuf.size);
            rc = 0;
        }
    }
    sm_buf_free(&upd);
    sm_buf_free(&merged);
    sm_doc_destroy(&doc);
    return rc;
}

int op_expense_cancel(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"expense", "reason", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id;
    sm_doc_t *doc = NULL;
    expense_status_t status;
    expense_delta_t delta;
    char reason[S_DESCRIPTION_MAX + 1] = "";
    if (sm_check_keys(args, keys, e) ||
        fin_get_words(args, "reason", false, reason, sizeof reason, e) < 0 ||
        s_require(ctx, args, &id, &doc, &status))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    int rc = -1;
    sm_buf_t upd, merged;
    sm_buf_init(&upd);
    sm_buf_init(&merged);
    if (expense_cancel(&status, rec_int(r, "committed_cents"), &delta, e) == 0) {
        char d[11];
        msgpack_pack_map(&upd.pk, 3);
        sm_pack_kv_str(&upd.pk, "status", expense_status_name(status));
        sm_pack_kv_str(&upd.pk, "cancelled_on", sm_date_format(sm_date_today(), d));
        sm_pack_kv_str(&upd.pk, "cancel_reason", reason[0] ? reason : NULL);
        if (rec_update(ctx, DB, id, r, &upd, &merged) == 0 &&
            line_book(ctx, s_line_of(r), delta.committed_cents, delta.spent_cents) == 0) {
            sm_pack_raw(sm_ctx_reply(ctx), merged.sbuf.data, merged.sbuf.size);
            rc = 0;
        }
    }
    sm_buf_free(&upd);
    sm_buf_free(&merged);
    sm_doc_destroy(&doc);
    return rc;
}

int op_expense_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"expense", NULL};
    uint64_t id;
    sm_doc_t *doc = NULL;
    expense_status_t status;
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) || s_require(ctx, args, &id, &doc, &status))
        return -1;
    sm_pack_obj(sm_ctx_reply(ctx), sm_doc_root(doc));
    sm_doc_destroy(&doc);
    return 0;
}

/*  A page of expenses matching the filters. */
typedef struct {
    char session[24], theme[24], status[24];
    int year;
    int64_t left, packed;
    uint64_t last;
    bool more;
    sm_buf_t items;
} s_list_t;

/*  True when expense r passes the list's filters. Can't fail. */
static bool s_match(const s_list_t *l, const msgpack_object *r)
{
    char buf[24];
    if (l->session[0] && strcmp(rec_str(r, "session", buf, sizeof buf), l->session) != 0)
        return false;
    if (l->theme[0] && strcmp(rec_str(r, "theme", buf, sizeof buf), l->theme) != 0)
        return false;
    if (l->status[0] && strcmp(rec_str(r, "status", buf, sizeof buf), l->status) != 0)
        return false;
    if (l->year && rec_int(r, "year") != l->year)
        return false;
    return true;
}

/*  Pack expense id when it matches; stops (1) past the page, -1 on error. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_list_t *l = arg;
    sm_doc_t *doc = NULL;
    int rc = rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    if (s_match(l, sm_doc_root(doc))) {
        if (l->left == 0) {
            l->more = true;
            sm_doc_destroy(&doc);
            return 1;
        }
        sm_pack_obj(&l->items.pk, sm_doc_root(doc));
        l->left--;
        l->packed++;
        l->last = id;
    }
    sm_doc_destroy(&doc);
    return 0;
}

int op_expense_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"line", "session", "theme", "status",
                                 "year", "limit",   "after", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    s_list_t l;
    memset(&l, 0, sizeof l);
    uint64_t line = 0, sn = 0, tn = 0, after;
    expense_status_t st;
    int has_line, has_s, has_t, has_st;
    if (sm_check_keys(args, keys, e) || fin_get_page(args, 'X', &l.left, &after, e) ||
        (has_line = sm_get_id(args, "line", 'L', false, &line, e)) < 0 ||
        (has_s = sm_get_id(args, "session", 'S', false, &sn, e)) < 0 ||
        (has_t = sm_get_id(args, "theme", 'T', false, &tn, e)) < 0 ||
        (has_st = sm_get_str(args, "status", false, l.status, sizeof l.status, false, e)) < 0 ||
        (has_st && expense_status_parse(l.status, &st, e)) ||
        fin_get_year(args, "year", false, &l.year, e) < 0)
        return -1;
    if (has_s)
        sm_id_format('S', sn, l.session);
    if (has_t)
        sm_id_format('T', tn, l.theme);
    sm_buf_init(&l.items);
    int rc;
    if (has_line) {
        uint8_t lk[8];
        sm_key_u64(line, lk);
        rc = idx_scan(ctx, DB_BY_LINE, lk, 8, after, s_list_visit, &l);
    } else
        rc = rec_scan(ctx, DB, after, s_list_visit, &l);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        char next[24];
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "expenses");
        msgpack_pack_array(pk, (size_t)l.packed);
        sm_pack_raw(pk, l.items.sbuf.data, l.items.sbuf.size);
        sm_pack_kv_str(pk, "next", l.more ? sm_id_format('X', l.last, next) : NULL);
    }
    sm_buf_free(&l.items);
    return rc;
}
