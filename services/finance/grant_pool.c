/*  services/finance/grant_pool.c - the pools that grants are awarded from. */
#include "grant_pool.h"
#include "common/i18n.h"
#include "common/record.h"
#include <stdio.h>
#include <string.h>

#define DB "grant_pools"

int pool_load(sm_ctx_t *ctx, uint64_t id, pool_rec_t *out)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    char kind[24];
    memset(out, 0, sizeof *out);
    out->id = id;
    int bad = grant_pool_kind_parse(sm_rec_str(r, "kind", kind, sizeof kind), &out->kind, NULL);
    out->year = (int)sm_rec_int(r, "year", 0);
    out->amount_cents = sm_rec_int(r, "amount_cents", 0);
    out->awarded_cents = sm_rec_int(r, "awarded_cents", 0);
    out->paid_cents = sm_rec_int(r, "paid_cents", 0);
    sm_rec_str(r, "district", out->district, sizeof out->district);
    sm_rec_str(r, "earmark", out->earmark, sizeof out->earmark);
    sm_rec_str(r, "name", out->name, sizeof out->name);
    sm_doc_destroy(&doc);
    if (bad)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("grant pool K%llu is damaged"),
                           (unsigned long long)id);
    return 1;
}

int pool_require(sm_ctx_t *ctx, const char *key, pool_rec_t *out)
{
    uint64_t id = sm_arg_id(ctx, key);
    int rc = pool_load(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, key, _("no grant pool K%llu; see grant pools"),
                           (unsigned long long)id);
    return 0;
}

int pool_book(sm_ctx_t *ctx, uint64_t id, int64_t d_awarded, int64_t d_paid)
{
    pool_rec_t p;
    sm_doc_t *doc = NULL;
    if (pool_load(ctx, id, &p) <= 0 || sm_rec_get(ctx, DB, id, &doc) <= 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("grant pool K%llu vanished"),
                           (unsigned long long)id);
    sm_buf_t upd;
    sm_buf_init(&upd);
    /*  remaining_cents is stored too, so that the record reads whole. */
    msgpack_pack_map(&upd.pk, 3);
    sm_pack_kv_int(&upd.pk, "awarded_cents", p.awarded_cents + d_awarded);
    sm_pack_kv_int(&upd.pk, "paid_cents", p.paid_cents + d_paid);
    sm_pack_kv_int(&upd.pk, "remaining_cents",
                   grant_pool_remaining(p.amount_cents, p.awarded_cents + d_awarded));
    int rc = sm_rec_update(ctx, DB, id, sm_doc_root(doc), &upd, NULL);
    sm_buf_free(&upd);
    sm_doc_destroy(&doc);
    return rc;
}

/*  Pack a pool as replies show it. */
static void s_pack(msgpack_packer *pk, const pool_rec_t *p)
{
    char idb[24];
    msgpack_pack_map(pk, 10);
    sm_pack_kv_str(pk, "id", sm_id_format('K', p->id, idb));
    sm_pack_kv_str(pk, "kind", grant_pool_kind_name(p->kind));
    sm_pack_kv_int(pk, "year", p->year);
    sm_pack_kv_str(pk, "name", p->name[0] ? p->name : NULL);
    sm_pack_kv_str(pk, "district", p->district[0] ? p->district : NULL);
    sm_pack_kv_str(pk, "earmark", p->earmark[0] ? p->earmark : NULL);
    sm_pack_kv_int(pk, "amount_cents", p->amount_cents);
    sm_pack_kv_int(pk, "awarded_cents", p->awarded_cents);
    sm_pack_kv_int(pk, "paid_cents", p->paid_cents);
    sm_pack_kv_int(pk, "remaining_cents", grant_pool_remaining(p->amount_cents, p->awarded_cents));
}

int op_grant_pool_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    pool_rec_t p;
    memset(&p, 0, sizeof p);
    char d[11];
    const char *district = sm_arg_str(ctx, "district"), *earmark = sm_arg_str(ctx, "earmark");
    if (grant_pool_kind_parse(sm_arg_str(ctx, "kind"), &p.kind, e))
        return -1;
    p.year = (int)sm_arg_int(ctx, "year", 0);
    p.amount_cents = sm_arg_int(ctx, "amount_cents", 0);
    snprintf(p.district, sizeof p.district, "%s", district ? district : "");
    snprintf(p.earmark, sizeof p.earmark, "%s", earmark ? earmark : "");
    snprintf(p.name, sizeof p.name, "%s", sm_arg_has(ctx, "name") ? sm_arg_str(ctx, "name") : "");
    grant_pool_t rule = {p.kind, p.year, p.amount_cents, district, earmark};
    if (grant_pool_validate(&rule, e)) {
        if (strcmp(e->field, "amount") == 0)
            snprintf(e->field, sizeof e->field, "amount_cents");
        return -1;
    }
    p.id = sm_ctx_next_id(ctx, 'K');
    if (p.id == 0)
        return -1;
    sm_buf_t b;
    sm_buf_init(&b);
    s_pack(&b.pk, &p);
    /*  s_pack wrote 10 pairs; a pool record also has its creation date:
        merge it in. */
    sm_buf_t extra;
    sm_buf_init(&extra);
    msgpack_pack_map(&extra.pk, 1);
    sm_pack_kv_str(&extra.pk, "created_on", sm_date_format(sm_date_today(), d));
    sm_doc_t *base = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    int rc = sm_rec_update(ctx, DB, p.id, sm_doc_root(base), &extra, NULL);
    sm_doc_destroy(&base);
    sm_buf_free(&extra);
    if (rc == 0)
        sm_pack_raw(sm_ctx_reply(ctx), b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

int op_grant_pool_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    pool_rec_t p;
    if (pool_require(ctx, "pool", &p))
        return -1;
    s_pack(sm_ctx_reply(ctx), &p);
    return 0;
}

typedef struct {
    int year;
    int64_t count, amount, awarded, paid;
    sm_buf_t items;
} s_list_t;

/*  Pack pool id when it is of the year asked (if any) and add it to the
    totals. Returns 0, 1 to stop, -1 on error. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_list_t *l = arg;
    pool_rec_t p;
    int rc = pool_load(ctx, id, &p);
    if (rc <= 0)
        return rc;
    if (l->year && p.year != l->year)
        return 0;
    if (l->count >= 1000)
        return 1; /*  more pools than a city has; the first thousand is plenty */
    s_pack(&l->items.pk, &p);
    l->count++;
    l->amount += p.amount_cents;
    l->awarded += p.awarded_cents;
    l->paid += p.paid_cents;
    return 0;
}

int op_grant_pool_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_list_t l;
    memset(&l, 0, sizeof l);
    l.year = (int)sm_arg_int(ctx, "year", 0);
    sm_buf_init(&l.items);
    int rc = sm_rec_scan(ctx, DB, 0, s_list_visit, &l);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "pools");
        msgpack_pack_array(pk, (size_t)l.count);
        sm_pack_raw(pk, l.items.sbuf.data, l.items.sbuf.size);
        sm_pack_str(pk, "totals");
        msgpack_pack_map(pk, 4);
        sm_pack_kv_int(pk, "amount_cents", l.amount);
        sm_pack_kv_int(pk, "awarded_cents", l.awarded);
        sm_pack_kv_int(pk, "paid_cents", l.paid);
        sm_pack_kv_int(pk, "remaining_cents", l.amount - l.awarded);
    }
    sm_buf_free(&l.items);
    return rc;
}
