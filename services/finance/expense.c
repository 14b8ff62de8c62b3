/*  services/finance/expense.c - actual costs booked against budget lines. */
#include "expense.h"
#include "budget_line.h"
#include "common/i18n.h"
#include "common/record.h"
#include "expense_rules.h"
#include <stdio.h>
#include <string.h>

#define DB "expenses"
#define DB_BY_LINE "expenses_by_line"

/*  Load the request's expense. Returns 0 with *id, *doc (caller destroys)
    and *status, or -1 (ctx error set). */
static int s_require(sm_ctx_t *ctx, uint64_t *id, sm_doc_t **doc, expense_status_t *status)
{
    char st[24];
    *id = sm_arg_id(ctx, "expense");
    if (sm_rec_require(ctx, DB, 'X', *id, "expense", N_("expense"), "expense list", doc))
        return -1;
    sm_rec_str(sm_doc_root(*doc), "status", st, sizeof st);
    if (expense_status_parse(st, status, NULL)) {
        sm_doc_destroy(doc);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("expense X%llu is damaged"),
                           (unsigned long long)*id);
    }
    return 0;
}

int op_expense_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *description = sm_arg_str(ctx, "description");
    const char *sess = sm_arg_str(ctx, "session"), *theme = sm_arg_str(ctx, "theme");
    char d[11], today[11], idb[24], lineb[24];
    expense_category_t cat;
    expense_status_t status;
    expense_delta_t delta;
    int64_t amount = sm_arg_int(ctx, "amount_cents", 0);
    bool committed = sm_arg_bool(ctx, "committed", false);
    sm_date_t on;
    line_rec_t l;
    if (line_require(ctx, "line", &l) ||
        expense_category_parse(sm_arg_str(ctx, "category"), &cat, e))
        return -1;
    if (!sess && !theme)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "session",
                           _("an expense is booked against a session or a theme; give session "
                             "(e.g. S12) or theme (e.g. T3)"));
    if (!sm_arg_date(ctx, "on", &on))
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
    sm_pack_kv_str(&b.pk, "session", sess);
    sm_pack_kv_str(&b.pk, "theme", theme);
    sm_pack_kv_str(&b.pk, "description", description && description[0] ? description : NULL);
    sm_pack_kv_str(&b.pk, "created_on", sm_date_format(sm_date_today(), today));
    sm_pack_kv_nil(&b.pk, "settled_on");
    sm_pack_kv_nil(&b.pk, "cancelled_on");
    sm_pack_kv_nil(&b.pk, "cancel_reason");
    uint8_t lk[8];
    sm_key_u64(l.id, lk);
    int rc = -1;
    if (sm_rec_put(ctx, DB, id, &b) == 0 && sm_idx_put(ctx, DB_BY_LINE, lk, 8, id) == 0 &&
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
    return sm_id_parse(sm_rec_str(r, "line", lb, sizeof lb), 'L', "line", NULL);
}

int op_expense_settle(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id;
    sm_doc_t *doc = NULL;
    expense_status_t status;
    expense_delta_t delta;
    sm_date_t on;
    if (s_require(ctx, &id, &doc, &status))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    int64_t committed = sm_rec_int(r, "committed_cents", 0);
    int64_t actual = sm_arg_int(ctx, "amount_cents", committed);
    if (!sm_arg_date(ctx, "on", &on))
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
        if (sm_rec_update(ctx, DB, id, r, &upd, &merged) == 0 &&
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
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id;
    sm_doc_t *doc = NULL;
    expense_status_t status;
    expense_delta_t delta;
    const char *reason = sm_arg_str(ctx, "reason");
    if (s_require(ctx, &id, &doc, &status))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    int rc = -1;
    sm_buf_t upd, merged;
    sm_buf_init(&upd);
    sm_buf_init(&merged);
    if (expense_cancel(&status, sm_rec_int(r, "committed_cents", 0), &delta, e) == 0) {
        char d[11];
        msgpack_pack_map(&upd.pk, 3);
        sm_pack_kv_str(&upd.pk, "status", expense_status_name(status));
        sm_pack_kv_str(&upd.pk, "cancelled_on", sm_date_format(sm_date_today(), d));
        sm_pack_kv_str(&upd.pk, "cancel_reason", reason);
        if (sm_rec_update(ctx, DB, id, r, &upd, &merged) == 0 &&
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
    uint64_t id;
    sm_doc_t *doc = NULL;
    expense_status_t status;
    if (s_require(ctx, &id, &doc, &status))
        return -1;
    sm_pack_obj(sm_ctx_reply(ctx), sm_doc_root(doc));
    sm_doc_destroy(&doc);
    return 0;
}

/*  A page of expenses matching the filters (NULL or 0: any). */
typedef struct {
    const char *session, *theme, *status;
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
    if (l->session && strcmp(sm_rec_str(r, "session", buf, sizeof buf), l->session) != 0)
        return false;
    if (l->theme && strcmp(sm_rec_str(r, "theme", buf, sizeof buf), l->theme) != 0)
        return false;
    if (l->status && strcmp(sm_rec_str(r, "status", buf, sizeof buf), l->status) != 0)
        return false;
    if (l->year && sm_rec_int(r, "year", 0) != l->year)
        return false;
    return true;
}

/*  Pack expense id when it matches; stops (1) past the page, -1 on error. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_list_t *l = arg;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
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
    s_list_t l = {.session = sm_arg_str(ctx, "session"),
                  .theme = sm_arg_str(ctx, "theme"),
                  .status = sm_arg_str(ctx, "status"),
                  .year = (int)sm_arg_int(ctx, "year", 0),
                  .left = sm_arg_int(ctx, "limit", 100)};
    uint64_t line = sm_arg_id(ctx, "line"), after = sm_arg_id(ctx, "after");
    sm_buf_init(&l.items);
    int rc;
    if (line) {
        uint8_t lk[8];
        sm_key_u64(line, lk);
        rc = sm_idx_scan(ctx, DB_BY_LINE, lk, 8, after, s_list_visit, &l);
    } else
        rc = sm_rec_scan(ctx, DB, after, s_list_visit, &l);
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
