/*  services/reporting/decision.c - decisions on themes. See decision.h. */
#include "decision.h"
#include "common/i18n.h"
#include "common/record.h"
#include "common/text.h"
#include "mirror.h"
#include "yardstick.h"
#include <stdio.h>
#include <string.h>

#define DB "decisions"
#define DB_BY_THEME "decisions_by_theme"
#define LIST_DEFAULT 100

/*  Fill d from a stored record. Can't fail. */
static void s_decode(const msgpack_object *r, uint64_t id, decision_t *d)
{
    memset(d, 0, sizeof *d);
    d->id = id;
    d->theme = sm_rec_id(r, "theme", 'T');
    sm_rec_str(r, "title", d->title, sizeof d->title);
    sm_rec_date(r, "date", &d->date);
    sm_rec_str(r, "reference", d->reference, sizeof d->reference);
}

int decision_load(sm_ctx_t *ctx, uint64_t id, decision_t *out)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc == 1)
        s_decode(sm_doc_root(doc), id, out);
    sm_doc_destroy(&doc);
    return rc;
}

int decision_require(sm_ctx_t *ctx, uint64_t id, const char *field, decision_t *out)
{
    int rc = decision_load(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field, _("no decision D%llu; see decision list"),
                           (unsigned long long)id);
    return 0;
}

int decision_of_theme(sm_ctx_t *ctx, uint64_t theme, decision_t *out)
{
    if (decision_require(ctx, sm_arg_id(ctx, "decision"), "decision", out) != 0)
        return -1;
    if (out->theme != theme)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "decision",
                           _("decision D%1$llu is on theme T%2$llu, not on T%3$llu; give the "
                             "decision's own theme"),
                           (unsigned long long)out->id, (unsigned long long)out->theme,
                           (unsigned long long)theme);
    return 0;
}

typedef struct {
    int (*fn)(sm_ctx_t *ctx, const decision_t *d, void *arg);
    void *arg;
    decision_t d;
} s_each_t;

/*  sm_rec_scan visitor for decision_each. */
static int s_each_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_each_t *e = arg;
    int rc = decision_load(ctx, id, &e->d);
    if (rc <= 0)
        return rc;
    return e->fn(ctx, &e->d, e->arg);
}

int decision_each(sm_ctx_t *ctx, int (*fn)(sm_ctx_t *ctx, const decision_t *d, void *arg),
                  void *arg)
{
    s_each_t e = {fn, arg, {0}};
    return sm_rec_scan(ctx, DB, 0, s_each_one, &e);
}

/*  Pack d with its yardstick's state: {id, theme, title, date, reference,
    answered, of, complete}. Returns 0 or -1. */
static int s_pack(sm_ctx_t *ctx, msgpack_packer *pk, const decision_t *d)
{
    yardstick_view_t v;
    if (yardstick_view_load(ctx, 'D', d->id, &v) != 0)
        return -1;
    msgpack_pack_map(pk, 5 + YARDSTICK_STATE_NPAIRS);
    sm_rec_pack_id(pk, "id", 'D', d->id);
    sm_rec_pack_id(pk, "theme", 'T', d->theme);
    sm_pack_kv_str(pk, "title", d->title);
    sm_rec_pack_date(pk, "date", true, d->date);
    sm_pack_kv_str(pk, "reference", d->reference[0] ? d->reference : NULL);
    yardstick_pack_state(pk, &v);
    yardstick_view_free(&v);
    return 0;
}

int op_decision_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    decision_t d;
    mirror_theme_t t;
    memset(&d, 0, sizeof d);
    d.theme = sm_arg_id(ctx, "theme");
    if (mirror_theme_require(ctx, d.theme, "theme", &t) != 0)
        return -1;
    const char *title = sm_arg_str(ctx, "title"), *ref = sm_arg_str(ctx, "reference");
    if (sm_text_blank(title))
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "title",
                           _("title is empty; give the decision's title, as its document has "
                             "it"));
    snprintf(d.title, sizeof d.title, "%s", title);
    snprintf(d.reference, sizeof d.reference, "%s", ref ? ref : "");
    if (!sm_arg_date(ctx, "date", &d.date))
        d.date = sm_date_today();
    if (!(d.id = sm_ctx_next_id(ctx, 'D')))
        return -1;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 6);
    sm_rec_pack_id(&b.pk, "id", 'D', d.id);
    sm_rec_pack_id(&b.pk, "theme", 'T', d.theme);
    sm_pack_kv_str(&b.pk, "title", d.title);
    sm_rec_pack_date(&b.pk, "date", true, d.date);
    sm_pack_kv_str(&b.pk, "reference", d.reference[0] ? d.reference : NULL);
    sm_pack_kv_int(&b.pk, "created_ms", sm_ctx_now_ms(ctx));
    uint8_t k[16];
    sm_key_pair(d.theme, d.id, k);
    int rc = sm_rec_put(ctx, DB, d.id, &b) || sm_idx_put(ctx, DB_BY_THEME, k, 8, d.id) ? -1 : 0;
    sm_buf_free(&b);
    if (rc != 0)
        return -1;
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "reporting.decision.added");
    msgpack_pack_map(pk, 3);
    sm_rec_pack_id(pk, "id", 'D', d.id);
    sm_rec_pack_id(pk, "theme", 'T', d.theme);
    sm_rec_pack_date(pk, "date", true, d.date);
    if (sm_ctx_event_end(ctx) != 0)
        return -1;
    return s_pack(ctx, sm_ctx_reply(ctx), &d);
}

int op_decision_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    decision_t d;
    if (decision_require(ctx, sm_arg_id(ctx, "decision"), "decision", &d) != 0)
        return -1;
    return s_pack(ctx, sm_ctx_reply(ctx), &d);
}

/*  A decision.list page being packed. */
typedef struct {
    int year;
    int64_t limit, n;
    uint64_t last;
    bool more;
    sm_buf_t rows;
} s_page_t;

/*  sm_rec_scan / sm_idx_scan visitor: pack the decision when it passes. */
static int s_list_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_page_t *pg = arg;
    decision_t d;
    int rc = decision_load(ctx, id, &d);
    if (rc <= 0)
        return rc;
    if (pg->year && d.date.y != pg->year)
        return 0;
    if (pg->n == pg->limit) {
        pg->more = true;
        return 1;
    }
    if (s_pack(ctx, &pg->rows.pk, &d) != 0)
        return -1;
    pg->n++;
    pg->last = id;
    return 0;
}

int op_decision_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_page_t pg = {.year = (int)sm_arg_int(ctx, "year", 0),
                   .limit = sm_arg_int(ctx, "limit", LIST_DEFAULT)};
    uint64_t theme = sm_arg_id(ctx, "theme"), after = sm_arg_id(ctx, "after");
    mirror_theme_t t;
    if (theme && mirror_theme_require(ctx, theme, "theme", &t) != 0)
        return -1;
    sm_buf_init(&pg.rows);
    uint8_t k[8];
    sm_key_u64(theme, k);
    int rc = theme ? sm_idx_scan(ctx, DB_BY_THEME, k, 8, after, s_list_one, &pg)
                   : sm_rec_scan(ctx, DB, after, s_list_one, &pg);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "decisions");
        msgpack_pack_array(pk, (size_t)pg.n);
        if (pg.rows.sbuf.size)
            sm_pack_raw(pk, pg.rows.sbuf.data, pg.rows.sbuf.size);
        sm_rec_pack_id(pk, "next", 'D', pg.more ? pg.last : 0);
    }
    sm_buf_free(&pg.rows);
    return rc;
}
