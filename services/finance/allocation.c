/*  services/finance/allocation.c - cost sharing between the municipalities. */
#include "allocation.h"
#include "common/money.h"
#include "common/record.h"
#include "common/text.h"
#include "municipality.h"
#include "split.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB "allocations"
#define DB_NAMES "allocation_names"
#define S_TIE_RULE                                                                                 \
    "left-over units go one each to the largest remainders; equal remainders: more "               \
    "inhabitants first; equal inhabitants too: name in byte order"

/* ==== Computing a split ================================================= */

/*  A split in hand: the municipalities taken part, their members and shares. */
typedef struct {
    int64_t total_cents, unit_cents;
    sm_date_t as_of;
    int n;
    municipality_t *munis;
    int *count_idx; /*  the count valid on as_of, per municipality */
    split_member_t *members;
    split_share_t *shares;
    int64_t sum_inhabitants;
} s_split_t;

/*  Free what a split holds and zero it; safe on a zeroed split. Can't fail. */
static void s_split_free(s_split_t *sp)
{
    free(sp->munis);
    free(sp->count_idx);
    free(sp->members);
    free(sp->shares);
    memset(sp, 0, sizeof *sp);
}

/*  "34.15" from 3415 basis points. buf at least 24 bytes. Returns buf. */
static char *s_percent(int64_t bp, char *buf)
{
    snprintf(buf, 24, "%lld.%02lld", (long long)(bp / 100), (long long)(bp % 100));
    return buf;
}

/*  Order municipalities by name: tables read like the programme's own. */
static int s_by_name(const void *a, const void *b)
{
    return strcmp(((const municipality_t *)a)->name, ((const municipality_t *)b)->name);
}

/*  The municipalities taking part: those named in the request's
    municipalities (codes or names, each once), each found through its
    index, or every municipality when the list is absent (the split then
    covers the whole table, as it must). Fills sp->munis and sp->n.
    Returns 0, or -1 (ctx error set). */
static int s_pick(sm_ctx_t *ctx, s_split_t *sp)
{
    if (!sm_arg_has(ctx, "municipalities")) {
        sp->n = muni_load_all(ctx, &sp->munis);
        return sp->n < 0 ? -1 : 0;
    }
    const char *const *items;
    size_t nlisted = sm_arg_list(ctx, "municipalities", &items);
    sp->munis = malloc((nlisted ? nlisted : 1) * sizeof *sp->munis);
    if (!sp->munis)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    int out = 0;
    for (size_t i = 0; i < nlisted && out == 0; i++) {
        const char *want = items[i];
        municipality_t *m = &sp->munis[sp->n];
        int found = muni_lookup(ctx, want, m);
        if (found < 0) {
            out = -1;
            break;
        }
        if (!found) {
            char q[80];
            out = sm_ctx_fail(ctx, SM_E_NOT_FOUND, "municipalities",
                              "no municipality \"%s\"; see municipality list",
                              sm_text_excerpt(want, q, sizeof q));
            break;
        }
        for (int j = 0; j < sp->n && out == 0; j++)
            if (strcmp(sp->munis[j].code, m->code) == 0)
                out = sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "municipalities",
                                  "%s is listed twice; list each municipality once", m->name);
        if (out == 0)
            sp->n++;
    }
    return out;
}

/*  Compute the split the request asks for ({total_cents, unit_cents,
    as_of?, municipalities?}) over the municipalities' counts valid on
    as_of (default today). Returns 0 with sp filled (free with
    s_split_free), or -1 (ctx error set). */
static int s_split_run(sm_ctx_t *ctx, s_split_t *sp)
{
    sm_err_t *e = sm_ctx_err(ctx);
    memset(sp, 0, sizeof *sp);
    sp->total_cents = sm_arg_int(ctx, "total_cents", 0);
    sp->unit_cents = sm_arg_int(ctx, "unit_cents", 0);
    if (!sm_arg_date(ctx, "as_of", &sp->as_of))
        sp->as_of = sm_date_today();
    if (s_pick(ctx, sp) != 0)
        goto fail;
    if (sp->n > 1)
        qsort(sp->munis, (size_t)sp->n, sizeof *sp->munis, s_by_name);
    sp->count_idx = calloc((size_t)sp->n + 1, sizeof *sp->count_idx);
    sp->members = calloc((size_t)sp->n + 1, sizeof *sp->members);
    sp->shares = calloc((size_t)sp->n + 1, sizeof *sp->shares);
    if (!sp->count_idx || !sp->members || !sp->shares) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        goto fail;
    }
    for (int i = 0; i < sp->n; i++) {
        int idx = muni_count_on(&sp->munis[i], sp->as_of);
        if (idx < 0) {
            char d[11], f[11];
            sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "as_of",
                        "%s has no inhabitant count valid on %s (its first is of %s); choose a "
                        "later reference date or record an earlier count",
                        sp->munis[i].name, sm_date_format(sp->as_of, d),
                        sm_date_format(sp->munis[i].counts[0].as_of, f));
            goto fail;
        }
        sp->count_idx[i] = idx;
        sp->members[i].name = sp->munis[i].name;
        sp->members[i].inhabitants = sp->munis[i].counts[idx].inhabitants;
        sp->sum_inhabitants += sp->members[i].inhabitants;
    }
    if (split_compute(sp->members, (size_t)sp->n, sp->total_cents, sp->unit_cents, sp->shares, e) !=
        0) {
        /*  The rule names its inputs "total" and "unit"; the request's
            fields carry the _cents suffix. */
        if (strcmp(e->field, "total") == 0 || strcmp(e->field, "unit") == 0)
            strncat(e->field, "_cents", sizeof e->field - strlen(e->field) - 1);
        if (strcmp(e->field, "municipalities") == 0 && sp->n == 0)
            snprintf(e->message, sizeof e->message,
                     "there are no municipalities to share the cost among; add them with "
                     "municipality add");
        goto fail;
    }
    return 0;
fail:
    s_split_free(sp);
    return -1;
}

/*  Pack one row of a split; with_invoice adds the invoice fields of a new
    allocation (id is then the allocation's ID). */
static void s_pack_row(msgpack_packer *pk, const s_split_t *sp, int i, const char *id)
{
    const municipality_t *m = &sp->munis[i];
    const split_share_t *s = &sp->shares[i];
    char d[11], p[24], inv[40];
    msgpack_pack_map(pk, id ? 15 : 11);
    sm_pack_kv_str(pk, "code", m->code);
    sm_pack_kv_str(pk, "name", m->name);
    sm_pack_kv_int(pk, "inhabitants", s->inhabitants);
    sm_pack_kv_str(pk, "count_as_of", sm_date_format(m->counts[sp->count_idx[i]].as_of, d));
    sm_pack_kv_int(pk, "percent_bp", s->percent_bp);
    sm_pack_kv_str(pk, "percent", s_percent(s->percent_bp, p));
    sm_pack_kv_int(pk, "contribution_cents", s->contribution_cents);
    sm_pack_kv_int(pk, "share_cents", s->share_cents);
    sm_pack_kv_int(pk, "share_remainder", s->share_remainder);
    sm_pack_kv_int(pk, "share_denominator", s->share_denominator);
    sm_pack_kv_bool(pk, "extra_unit", s->extra_unit);
    if (id) {
        snprintf(inv, sizeof inv, "%s-%s", id, m->code);
        sm_pack_kv_str(pk, "invoice", inv);
        sm_pack_kv_bool(pk, "paid", false);
        sm_pack_kv_nil(pk, "paid_on");
        sm_pack_kv_nil(pk, "reference");
    }
}

/*  Pack the fields every split reply and allocation share (count of
    pairs: 7), rows included. */
static void s_pack_split_fields(msgpack_packer *pk, const s_split_t *sp, const char *id)
{
    char d[11];
    sm_pack_kv_int(pk, "total_cents", sp->total_cents);
    sm_pack_kv_int(pk, "unit_cents", sp->unit_cents);
    sm_pack_kv_str(pk, "as_of", sm_date_format(sp->as_of, d));
    sm_pack_kv_int(pk, "total_inhabitants", sp->sum_inhabitants);
    sm_pack_kv_str(pk, "method", "largest remainder (Hamilton)");
    sm_pack_kv_str(pk, "tie_rule", S_TIE_RULE);
    sm_pack_str(pk, "rows");
    msgpack_pack_array(pk, (size_t)sp->n);
    for (int i = 0; i < sp->n; i++)
        s_pack_row(pk, sp, i, id);
}

int op_split_compute(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_split_t sp;
    if (s_split_run(ctx, &sp) != 0)
        return -1;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    int64_t sum = 0;
    for (int i = 0; i < sp.n; i++)
        sum += sp.shares[i].contribution_cents;
    msgpack_pack_map(pk, 8);
    s_pack_split_fields(pk, &sp, NULL);
    sm_pack_kv_int(pk, "sum_cents", sum);
    s_split_free(&sp);
    return 0;
}

/* ==== Allocations ======================================================= */

/*  Room for a name's index key: ALLOCATION_NAME_MAX characters of UTF-8
    (within LMDB's 511-byte keys). */
#define S_NAME_KEY_SIZE (4 * ALLOCATION_NAME_MAX + 1)

/*  The name index key: the name lower-cased (ASCII), so that names differ
    by more than case. key S_NAME_KEY_SIZE bytes. */
static size_t s_name_key(const char *name, char *key)
{
    snprintf(key, S_NAME_KEY_SIZE, "%s", name);
    sm_ascii_lower(key);
    return strlen(key);
}

/*  Find an allocation by "V3" or by name. Returns 1 with *id and *doc,
    0 not found, -1 error. */
static int s_find(sm_ctx_t *ctx, const char *which, uint64_t *id, sm_doc_t **doc)
{
    uint64_t n = sm_id_parse(which, 'V', "allocation", NULL);
    if (n == 0) {
        char key[S_NAME_KEY_SIZE];
        size_t klen = s_name_key(which, key);
        MDB_val v;
        int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, klen, &v);
        if (rc <= 0)
            return rc;
        if (v.mv_size != 8)
            return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "allocation name index is damaged");
        n = sm_key_u64_decode(v.mv_data);
    }
    *id = n;
    return sm_rec_get(ctx, DB, n, doc);
}

/*  Load the request's allocation (ID or name): 0 with *id and *doc (caller
    destroys), or -1 with not_found or another ctx error. */
static int s_require(sm_ctx_t *ctx, uint64_t *id, sm_doc_t **doc)
{
    const char *which = sm_arg_str(ctx, "allocation");
    int rc = s_find(ctx, which, id, doc);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        char q[80];
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "allocation",
                           "no allocation \"%s\"; see finance allocations",
                           sm_text_excerpt(which, q, sizeof q));
    }
    return 0;
}

int op_allocation_create(sm_ctx_t *ctx, const msgpack_object *args)
{
    const char *name = sm_arg_str(ctx, "name"), *purpose = sm_arg_str(ctx, "purpose");
    char key[S_NAME_KEY_SIZE];
    if (sm_id_parse(name, 'V', "name", NULL) != 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "name",
                           "an allocation name must not look like an allocation ID (V12); give "
                           "words, e.g. \"Samenkracht 2016\"");
    size_t klen = s_name_key(name, key);
    MDB_val v;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, klen, &v);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "name",
                           "an allocation named \"%s\" exists already; give another name", name);
    s_split_t sp;
    if (s_split_run(ctx, &sp) != 0)
        return -1;
    uint64_t n = sm_ctx_next_id(ctx, 'V');
    char id[24], today[11], d[11];
    sm_buf_t b;
    sm_buf_init(&b);
    int out = -1;
    if (n == 0)
        goto done;
    sm_id_format('V', n, id);
    msgpack_pack_map(&b.pk, 11);
    sm_pack_kv_str(&b.pk, "id", id);
    sm_pack_kv_str(&b.pk, "name", name);
    sm_pack_kv_str(&b.pk, "purpose", purpose && purpose[0] ? purpose : NULL);
    sm_pack_kv_str(&b.pk, "created_on", sm_date_format(sm_date_today(), today));
    s_pack_split_fields(&b.pk, &sp, id);
    uint8_t idk[8];
    sm_key_u64(n, idk);
    if (sm_rec_put(ctx, DB, n, &b) || sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, klen, idk, 8))
        goto done;
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.allocation.created");
    msgpack_pack_map(pk, 5);
    sm_pack_kv_str(pk, "id", id);
    sm_pack_kv_str(pk, "name", name);
    sm_pack_kv_int(pk, "total_cents", sp.total_cents);
    sm_pack_kv_int(pk, "unit_cents", sp.unit_cents);
    sm_pack_kv_str(pk, "as_of", sm_date_format(sp.as_of, d));
    if (sm_ctx_event_end(ctx))
        goto done;
    sm_pack_raw(sm_ctx_reply(ctx), b.sbuf.data, b.sbuf.size);
    out = 0;
done:
    sm_buf_free(&b);
    s_split_free(&sp);
    return out;
}

/*  Paid count and sum of an allocation's rows. */
static void s_paid(const msgpack_object *rec, int64_t *count, int64_t *cents)
{
    const msgpack_object *rows = sm_map_get(rec, "rows");
    *count = *cents = 0;
    for (uint32_t i = 0; rows && rows->type == MSGPACK_OBJECT_ARRAY && i < rows->via.array.size;
         i++)
        if (sm_rec_bool(&rows->via.array.ptr[i], "paid", false)) {
            (*count)++;
            *cents += sm_rec_int(&rows->via.array.ptr[i], "contribution_cents", 0);
        }
}

typedef struct {
    msgpack_packer *pk;
    int64_t left;
    uint64_t last;
    int64_t packed;
    bool more;
    sm_buf_t items;
} s_list_t;

/*  Pack allocation id as a list row; stops (1) past the page, -1 on error. */
static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_list_t *l = arg;
    if (l->left == 0) {
        l->more = true;
        return 1;
    }
    sm_doc_t *doc = NULL;
    if (sm_rec_get(ctx, DB, id, &doc) <= 0)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    const msgpack_object *rows = sm_map_get(r, "rows");
    int64_t paid_n, paid_c;
    s_paid(r, &paid_n, &paid_c);
    const msgpack_object *name = sm_map_get(r, "name");
    char buf[24];
    msgpack_packer *pk = &l->items.pk;
    msgpack_pack_map(pk, 9);
    sm_pack_kv_str(pk, "id", sm_rec_str(r, "id", buf, sizeof buf));
    sm_pack_str(pk, "name");
    if (name)
        sm_pack_obj(pk, name);
    else
        msgpack_pack_nil(pk);
    sm_pack_kv_int(pk, "total_cents", sm_rec_int(r, "total_cents", 0));
    sm_pack_kv_int(pk, "unit_cents", sm_rec_int(r, "unit_cents", 0));
    sm_pack_kv_str(pk, "as_of", sm_rec_str(r, "as_of", buf, sizeof buf));
    sm_pack_kv_str(pk, "created_on", sm_rec_str(r, "created_on", buf, sizeof buf));
    sm_pack_kv_int(pk, "invoices",
                   rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0);
    sm_pack_kv_int(pk, "paid_invoices", paid_n);
    sm_pack_kv_int(pk, "paid_cents", paid_c);
    sm_doc_destroy(&doc);
    l->left--;
    l->packed++;
    l->last = id;
    return 0;
}

int op_allocation_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_list_t l = {.left = sm_arg_int(ctx, "limit", 100)};
    sm_buf_init(&l.items);
    int rc = sm_rec_scan(ctx, DB, sm_arg_id(ctx, "after"), s_list_visit, &l);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        char next[24];
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "allocations");
        msgpack_pack_array(pk, (size_t)l.packed);
        sm_pack_raw(pk, l.items.sbuf.data, l.items.sbuf.size);
        sm_pack_kv_str(pk, "next", l.more ? sm_id_format('V', l.last, next) : NULL);
    }
    sm_buf_free(&l.items);
    return rc;
}

int op_allocation_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t id;
    sm_doc_t *doc = NULL;
    if (s_require(ctx, &id, &doc))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    int64_t paid_n, paid_c;
    s_paid(r, &paid_n, &paid_c);
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, 3);
    sm_pack_kv_int(&upd.pk, "paid_invoices", paid_n);
    sm_pack_kv_int(&upd.pk, "paid_cents", paid_c);
    sm_pack_kv_int(&upd.pk, "outstanding_cents", sm_rec_int(r, "total_cents", 0) - paid_c);
    sm_doc_t *u = sm_doc_parse(upd.sbuf.data, upd.sbuf.size, NULL);
    sm_rec_merge(sm_ctx_reply(ctx), r, sm_doc_root(u));
    sm_doc_destroy(&u);
    sm_buf_free(&upd);
    sm_doc_destroy(&doc);
    return 0;
}

int op_invoice_pay(sm_ctx_t *ctx, const msgpack_object *args)
{
    const char *which = sm_arg_str(ctx, "municipality"), *reference = sm_arg_str(ctx, "reference");
    char d[11];
    sm_date_t paid_on;
    uint64_t id;
    sm_doc_t *doc = NULL;
    if (!sm_arg_date(ctx, "paid_on", &paid_on))
        paid_on = sm_date_today();
    municipality_t m;
    int rc = muni_lookup(ctx, which, &m);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        char q[80];
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "municipality",
                           "no municipality \"%s\"; see municipality list",
                           sm_text_excerpt(which, q, sizeof q));
    }
    if (s_require(ctx, &id, &doc))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    const msgpack_object *rows = sm_map_get(r, "rows");
    int at = -1, out = -1;
    for (uint32_t i = 0; rows && rows->type == MSGPACK_OBJECT_ARRAY && i < rows->via.array.size;
         i++)
        if (strcmp(sm_rec_str(&rows->via.array.ptr[i], "code", d, sizeof d), m.code) == 0)
            at = (int)i;
    char aid[24];
    sm_rec_str(r, "id", aid, sizeof aid);
    sm_buf_t b, upd;
    sm_buf_init(&b);
    sm_buf_init(&upd);
    if (at < 0) {
        sm_ctx_fail(ctx, SM_E_NOT_FOUND, "municipality",
                    "allocation %s has no invoice for %s; it was shared among other "
                    "municipalities",
                    aid, m.name);
        goto done;
    }
    const msgpack_object *row = &rows->via.array.ptr[at];
    if (sm_rec_bool(row, "paid", false)) {
        char on[11];
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "municipality",
                    "the invoice of %s in allocation %s was already marked paid on %s", m.name, aid,
                    sm_rec_str(row, "paid_on", on, sizeof on));
        goto done;
    }
    /*  The new row: the old one with paid, paid_on and reference set. */
    msgpack_pack_map(&upd.pk, 3);
    sm_pack_kv_bool(&upd.pk, "paid", true);
    sm_pack_kv_str(&upd.pk, "paid_on", sm_date_format(paid_on, d));
    sm_pack_kv_str(&upd.pk, "reference", reference);
    sm_doc_t *u = sm_doc_parse(upd.sbuf.data, upd.sbuf.size, NULL);
    /*  Rebuild the record with the rows array holding the new row. */
    msgpack_pack_map(&b.pk, r->via.map.size);
    for (uint32_t i = 0; i < r->via.map.size; i++) {
        const msgpack_object *k = &r->via.map.ptr[i].key, *v = &r->via.map.ptr[i].val;
        sm_pack_obj(&b.pk, k);
        if (!sm_obj_streq(k, "rows")) {
            sm_pack_obj(&b.pk, v);
            continue;
        }
        msgpack_pack_array(&b.pk, v->via.array.size);
        for (uint32_t j = 0; j < v->via.array.size; j++)
            if ((int)j == at)
                sm_rec_merge(&b.pk, &v->via.array.ptr[j], sm_doc_root(u));
            else
                sm_pack_obj(&b.pk, &v->via.array.ptr[j]);
    }
    int64_t amount = sm_rec_int(row, "contribution_cents", 0);
    char inv[40];
    sm_rec_str(row, "invoice", inv, sizeof inv);
    if (sm_rec_put(ctx, DB, id, &b) == 0) {
        msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.invoice.paid");
        msgpack_pack_map(pk, 5);
        sm_pack_kv_str(pk, "allocation", aid);
        sm_pack_kv_str(pk, "invoice", inv);
        sm_pack_kv_str(pk, "municipality", m.code);
        sm_pack_kv_int(pk, "amount_cents", amount);
        sm_pack_kv_str(pk, "paid_on", d);
        if (sm_ctx_event_end(ctx) == 0) {
            msgpack_packer *rp = sm_ctx_reply(ctx);
            msgpack_pack_map(rp, 2);
            sm_pack_kv_str(rp, "allocation", aid);
            sm_pack_str(rp, "invoice");
            sm_rec_merge(rp, row, sm_doc_root(u));
            out = 0;
        }
    }
    sm_doc_destroy(&u);
done:
    sm_buf_free(&b);
    sm_buf_free(&upd);
    sm_doc_destroy(&doc);
    return out;
}
