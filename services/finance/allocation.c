/*  services/finance/allocation.c - cost sharing between the municipalities. */
#include "allocation.h"
#include "common/i18n.h"
#include "common/money.h"
#include "contribution.h"
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
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
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
                              _("no municipality \"%s\"; see municipality list"),
                              sm_text_excerpt(want, q, sizeof q));
            break;
        }
        for (int j = 0; j < sp->n && out == 0; j++)
            if (strcmp(sp->munis[j].code, m->code) == 0)
                out = sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "municipalities",
                                  _("%s is listed twice; list each municipality once"), m->name);
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
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto fail;
    }
    for (int i = 0; i < sp->n; i++) {
        int idx = muni_count_on(&sp->munis[i], sp->as_of);
        if (idx < 0) {
            char d[11], f[11];
            sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "as_of",
                        _("%s has no inhabitant count valid on %s (its first is of %s); choose a "
                          "later reference date or record an earlier count"),
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
            snprintf(e->message, sizeof e->message, "%s",
                     _("there are no municipalities to share the cost among; add them with "
                       "municipality add"));
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
            return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("allocation name index is damaged"));
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
                           _("no allocation \"%s\"; see finance allocations"),
                           sm_text_excerpt(which, q, sizeof q));
    }
    return 0;
}

/* ==== Contributions as decided ========================================= */

/*  An allocation's rows as contributions (contribution.h), with the names
    and codes copied out of the record. */
typedef struct {
    uint32_t n;
    contribution_row_t *rows;
    char (*names)[64];
    char (*codes)[8];
} s_contribs_t;

/*  Free what s_contribs_load allocated; safe on a zeroed struct. */
static void s_contribs_free(s_contribs_t *c)
{
    free(c->rows);
    free(c->names);
    free(c->codes);
    memset(c, 0, sizeof *c);
}

/*  Read the rows of the allocation record rec. Returns 0 with c filled
    (free with s_contribs_free), or -1 (ctx error set). */
static int s_contribs_load(sm_ctx_t *ctx, const msgpack_object *rec, s_contribs_t *c)
{
    memset(c, 0, sizeof *c);
    const msgpack_object *rows = sm_map_get(rec, "rows");
    uint32_t n = rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0;
    c->rows = calloc((size_t)n + 1, sizeof *c->rows);
    c->names = calloc((size_t)n + 1, sizeof *c->names);
    c->codes = calloc((size_t)n + 1, sizeof *c->codes);
    if (!c->rows || !c->names || !c->codes) {
        s_contribs_free(c);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *r = &rows->via.array.ptr[i];
        const msgpack_object *d = sm_map_get(r, "decided_cents");
        sm_rec_str(r, "name", c->names[i], sizeof c->names[i]);
        sm_rec_str(r, "code", c->codes[i], sizeof c->codes[i]);
        c->rows[i].name = c->names[i];
        c->rows[i].computed_cents = sm_rec_int(r, "contribution_cents", 0);
        c->rows[i].has_decided = d && d->type == MSGPACK_OBJECT_POSITIVE_INTEGER;
        c->rows[i].decided_cents = c->rows[i].has_decided ? (int64_t)d->via.u64 : 0;
        c->rows[i].paid = sm_rec_bool(r, "paid", false);
    }
    c->n = n;
    return 0;
}

/*  Paid count and the sum of the paid invoices. Can't fail. */
static void s_paid(const s_contribs_t *c, int64_t *count, int64_t *cents)
{
    *count = *cents = 0;
    for (uint32_t i = 0; i < c->n; i++)
        if (c->rows[i].paid) {
            (*count)++;
            *cents += contribution_invoiced(&c->rows[i]);
        }
}

/*  Pack a map's pairs with those of upd (an encoded map) merged in; upd
    is consumed. Returns 0, or -1 (ctx error set) when upd does not parse. */
static int s_merge_packed(sm_ctx_t *ctx, msgpack_packer *pk, const msgpack_object *map,
                          sm_buf_t *upd)
{
    sm_doc_t *u = sm_doc_parse(upd->sbuf.data, upd->sbuf.size, NULL);
    sm_buf_free(upd);
    if (!u)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("an allocation's change cannot be read back"));
    sm_rec_merge(pk, map, sm_doc_root(u));
    sm_doc_destroy(&u);
    return 0;
}

/*  Pack one stored row as replies show it: with decided_cents (nil when
    none was decided), invoice_cents (what is invoiced) and
    difference_cents (decided - computed). Returns 0 or -1. */
static int s_pack_row_view(sm_ctx_t *ctx, msgpack_packer *pk, const msgpack_object *row,
                           const contribution_row_t *c)
{
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, 3);
    if (c->has_decided)
        sm_pack_kv_int(&upd.pk, "decided_cents", c->decided_cents);
    else
        sm_pack_kv_nil(&upd.pk, "decided_cents");
    sm_pack_kv_int(&upd.pk, "invoice_cents", contribution_invoiced(c));
    sm_pack_kv_int(&upd.pk, "difference_cents", contribution_difference(c));
    return s_merge_packed(ctx, pk, row, &upd);
}

/*  Pack the allocation record rec as replies show it: its rows as
    s_pack_row_view, and computed_cents, invoiced_cents, difference_cents,
    balance_cents (invoiced - the cost: below zero a shortfall),
    differing, paid_invoices, paid_cents and outstanding_cents; year,
    to_year and decision are nil in records made before they existed.
    Returns 0 or -1 (ctx error set). */
static int s_pack_allocation(sm_ctx_t *ctx, msgpack_packer *pk, const msgpack_object *rec)
{
    s_contribs_t c;
    contribution_totals_t t;
    int64_t paid_n, paid_c;
    if (s_contribs_load(ctx, rec, &c))
        return -1;
    if (contribution_totals(c.rows, c.n, sm_rec_int(rec, "total_cents", 0), &t,
                            sm_ctx_err(ctx))) {
        s_contribs_free(&c);
        return -1;
    }
    s_paid(&c, &paid_n, &paid_c);
    static const char *const optional[] = {"year", "to_year", "decision", NULL};
    uint32_t absent = 0;
    for (int k = 0; optional[k]; k++)
        absent += sm_map_get(rec, optional[k]) == NULL;
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, 9 + absent);
    sm_pack_str(&upd.pk, "rows");
    msgpack_pack_array(&upd.pk, c.n);
    const msgpack_object *rows = sm_map_get(rec, "rows");
    int rc = 0;
    for (uint32_t i = 0; i < c.n && rc == 0; i++)
        rc = s_pack_row_view(ctx, &upd.pk, &rows->via.array.ptr[i], &c.rows[i]);
    sm_pack_kv_int(&upd.pk, "computed_cents", t.computed_cents);
    sm_pack_kv_int(&upd.pk, "invoiced_cents", t.invoiced_cents);
    sm_pack_kv_int(&upd.pk, "difference_cents", t.difference_cents);
    sm_pack_kv_int(&upd.pk, "balance_cents", t.balance_cents);
    sm_pack_kv_int(&upd.pk, "differing", t.differing);
    sm_pack_kv_int(&upd.pk, "paid_invoices", paid_n);
    sm_pack_kv_int(&upd.pk, "paid_cents", paid_c);
    sm_pack_kv_int(&upd.pk, "outstanding_cents", t.invoiced_cents - paid_c);
    for (int k = 0; optional[k]; k++)
        if (!sm_map_get(rec, optional[k]))
            sm_pack_kv_nil(&upd.pk, optional[k]);
    s_contribs_free(&c);
    if (rc) {
        sm_buf_free(&upd);
        return -1;
    }
    return s_merge_packed(ctx, pk, rec, &upd);
}

/*  Store allocation id as the record rec with row `at` merged with the
    encoded map row_upd and, when top_upd is not NULL, the pairs of that
    encoded map merged in at the top. Returns 0 or -1 (ctx error set). */
static int s_store_row(sm_ctx_t *ctx, uint64_t id, const msgpack_object *rec, uint32_t at,
                       const sm_buf_t *row_upd, const sm_buf_t *top_upd)
{
    sm_doc_t *ru = sm_doc_parse(row_upd->sbuf.data, row_upd->sbuf.size, NULL);
    sm_doc_t *tu = top_upd ? sm_doc_parse(top_upd->sbuf.data, top_upd->sbuf.size, NULL) : NULL;
    const msgpack_object *rows = sm_map_get(rec, "rows");
    const msgpack_object *top = tu ? sm_doc_root(tu) : NULL;
    int rc = -1;
    if (!ru || (top_upd && (!tu || top->type != MSGPACK_OBJECT_MAP)) || !rows ||
        rows->type != MSGPACK_OBJECT_ARRAY || at >= rows->via.array.size) {
        sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                    _("allocation V%llu is damaged and cannot be changed"),
                    (unsigned long long)id);
        goto done;
    }
    sm_buf_t upd;
    sm_buf_init(&upd);
    msgpack_pack_map(&upd.pk, 1 + (top ? top->via.map.size : 0));
    sm_pack_str(&upd.pk, "rows");
    msgpack_pack_array(&upd.pk, rows->via.array.size);
    for (uint32_t j = 0; j < rows->via.array.size; j++)
        if (j == at)
            sm_rec_merge(&upd.pk, &rows->via.array.ptr[j], sm_doc_root(ru));
        else
            sm_pack_obj(&upd.pk, &rows->via.array.ptr[j]);
    for (uint32_t k = 0; top && k < top->via.map.size; k++) {
        sm_pack_obj(&upd.pk, &top->via.map.ptr[k].key);
        sm_pack_obj(&upd.pk, &top->via.map.ptr[k].val);
    }
    rc = sm_rec_update(ctx, DB, id, rec, &upd, NULL);
    sm_buf_free(&upd);
done:
    sm_doc_destroy(&ru);
    sm_doc_destroy(&tu);
    return rc;
}

/*  The row of municipality m in the allocation's contributions, or -1
    after refusing with not_found (aid names the allocation). */
static int s_row_of(sm_ctx_t *ctx, const s_contribs_t *c, const municipality_t *m,
                    const char *aid)
{
    for (uint32_t i = 0; i < c->n; i++)
        if (strcmp(c->codes[i], m->code) == 0)
            return (int)i;
    sm_ctx_fail(ctx, SM_E_NOT_FOUND, "municipality",
                _("allocation %s has no invoice for %s; it was shared among other municipalities"),
                aid, m->name);
    return -1;
}

/*  The request's municipality, refused with not_found when unknown.
    Returns 0 with *m, or -1. */
static int s_muni_arg(sm_ctx_t *ctx, municipality_t *m)
{
    const char *which = sm_arg_str(ctx, "municipality");
    int rc = muni_lookup(ctx, which, m);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        char q[80];
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "municipality",
                           _("no municipality \"%s\"; see municipality list"),
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
                           _("an allocation name must not look like an allocation ID (V12); give "
                             "words, e.g. \"Samenkracht 2016\""));
    size_t klen = s_name_key(name, key);
    MDB_val v;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, klen, &v);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "name",
                           _("an allocation named \"%s\" exists already; give another name"), name);
    bool has_year = sm_arg_has(ctx, "year"), has_to = sm_arg_has(ctx, "to_year");
    int64_t year = sm_arg_int(ctx, "year", 0), to_year = sm_arg_int(ctx, "to_year", year);
    if (has_to && !has_year)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to_year",
                           _("to_year goes with year: give the first year the contributions pay "
                             "for as year"));
    if (to_year < year)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to_year",
                           _("to_year %1$lld is before year %2$lld; give a last year from %3$lld "
                             "on"),
                           (long long)to_year, (long long)year, (long long)year);
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
    msgpack_pack_map(&b.pk, 14);
    sm_pack_kv_str(&b.pk, "id", id);
    sm_pack_kv_str(&b.pk, "name", name);
    sm_pack_kv_str(&b.pk, "purpose", purpose && purpose[0] ? purpose : NULL);
    sm_pack_kv_str(&b.pk, "created_on", sm_date_format(sm_date_today(), today));
    s_pack_split_fields(&b.pk, &sp, id);
    if (has_year) {
        sm_pack_kv_int(&b.pk, "year", year);
        sm_pack_kv_int(&b.pk, "to_year", to_year);
    } else {
        sm_pack_kv_nil(&b.pk, "year");
        sm_pack_kv_nil(&b.pk, "to_year");
    }
    sm_pack_kv_nil(&b.pk, "decision");
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
    sm_doc_t *rec = sm_doc_parse(b.sbuf.data, b.sbuf.size, sm_ctx_err(ctx));
    if (rec)
        out = s_pack_allocation(ctx, sm_ctx_reply(ctx), sm_doc_root(rec));
    sm_doc_destroy(&rec);
done:
    sm_buf_free(&b);
    s_split_free(&sp);
    return out;
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
    s_contribs_t c;
    contribution_totals_t t;
    if (s_contribs_load(ctx, r, &c)) {
        sm_doc_destroy(&doc);
        return -1;
    }
    int64_t paid_n, paid_c;
    s_paid(&c, &paid_n, &paid_c);
    if (contribution_totals(c.rows, c.n, sm_rec_int(r, "total_cents", 0), &t, sm_ctx_err(ctx))) {
        s_contribs_free(&c);
        sm_doc_destroy(&doc);
        return -1;
    }
    const msgpack_object *name = sm_map_get(r, "name");
    char buf[24];
    msgpack_packer *pk = &l->items.pk;
    msgpack_pack_map(pk, 14);
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
    sm_pack_kv_int(pk, "invoices", c.n);
    sm_pack_kv_int(pk, "paid_invoices", paid_n);
    sm_pack_kv_int(pk, "paid_cents", paid_c);
    sm_pack_kv_int(pk, "invoiced_cents", t.invoiced_cents);
    sm_pack_kv_int(pk, "difference_cents", t.difference_cents);
    sm_pack_kv_int(pk, "balance_cents", t.balance_cents);
    static const char *const years[] = {"year", "to_year"};
    for (int k = 0; k < 2; k++) {
        const msgpack_object *y = sm_map_get(r, years[k]);
        if (y && y->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            sm_pack_kv_int(pk, years[k], (int64_t)y->via.u64);
        else
            sm_pack_kv_nil(pk, years[k]);
    }
    s_contribs_free(&c);
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
    int rc = s_pack_allocation(ctx, sm_ctx_reply(ctx), sm_doc_root(doc));
    sm_doc_destroy(&doc);
    return rc;
}

int op_allocation_decide(sm_ctx_t *ctx, const msgpack_object *args)
{
    const char *reason = sm_arg_str(ctx, "reason"), *reference = sm_arg_str(ctx, "reference");
    int64_t decided = sm_arg_int(ctx, "decided_cents", 0);
    sm_date_t on;
    bool has_on = sm_arg_date(ctx, "decided_on", &on);
    municipality_t m;
    uint64_t id;
    sm_doc_t *doc = NULL, *after = NULL;
    s_contribs_t c = {0};
    if (s_muni_arg(ctx, &m) || s_require(ctx, &id, &doc))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    const msgpack_object *old = sm_map_get(r, "decision");
    if (old && old->type != MSGPACK_OBJECT_MAP)
        old = NULL;
    char aid[24], d[11], today[11], prev_on[11] = "", code[8];
    sm_rec_str(r, "id", aid, sizeof aid);
    sm_ctx_audit_id(ctx, aid);
    sm_buf_t row_upd, top_upd;
    sm_buf_init(&row_upd);
    sm_buf_init(&top_upd);
    int at, out = -1;
    if (s_contribs_load(ctx, r, &c) || (at = s_row_of(ctx, &c, &m, aid)) < 0)
        goto done;
    bool had_reason = old && sm_map_get(old, "reason") &&
                      sm_map_get(old, "reason")->type == MSGPACK_OBJECT_STR;
    if (contribution_decide(c.rows, c.n, (size_t)at, decided, reason || had_reason,
                            sm_ctx_err(ctx)))
        goto done;
    /*  The decision as a whole: its reason, day and reference, each kept
        until given anew. */
    if (old)
        sm_rec_str(old, "decided_on", prev_on, sizeof prev_on);
    if (!has_on && !(prev_on[0] && sm_date_parse(prev_on, &on, "decided_on", NULL) == 0))
        on = sm_date_today();
    msgpack_pack_map(&top_upd.pk, 1);
    sm_pack_str(&top_upd.pk, "decision");
    msgpack_pack_map(&top_upd.pk, 4);
    sm_pack_str(&top_upd.pk, "reason");
    if (reason)
        sm_pack_str(&top_upd.pk, reason);
    else if (had_reason)
        sm_pack_obj(&top_upd.pk, sm_map_get(old, "reason"));
    else
        msgpack_pack_nil(&top_upd.pk);
    sm_pack_kv_str(&top_upd.pk, "decided_on", sm_date_format(on, d));
    sm_pack_str(&top_upd.pk, "reference");
    if (reference)
        sm_pack_str(&top_upd.pk, reference);
    else if (old && sm_map_get(old, "reference"))
        sm_pack_obj(&top_upd.pk, sm_map_get(old, "reference"));
    else
        msgpack_pack_nil(&top_upd.pk);
    sm_pack_kv_str(&top_upd.pk, "recorded_on", sm_date_format(sm_date_today(), today));
    msgpack_pack_map(&row_upd.pk, 1);
    sm_pack_kv_int(&row_upd.pk, "decided_cents", decided);
    if (s_store_row(ctx, id, r, (uint32_t)at, &row_upd, &top_upd))
        goto done;
    snprintf(code, sizeof code, "%s", m.code);
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.allocation.decided");
    msgpack_pack_map(pk, 6);
    sm_pack_kv_str(pk, "allocation", aid);
    sm_pack_kv_str(pk, "municipality", code);
    sm_pack_kv_int(pk, "computed_cents", c.rows[at].computed_cents);
    sm_pack_kv_int(pk, "decided_cents", decided);
    sm_pack_kv_int(pk, "difference_cents", decided - c.rows[at].computed_cents);
    sm_pack_kv_str(pk, "decided_on", d);
    if (sm_ctx_event_end(ctx) || sm_rec_get(ctx, DB, id, &after) <= 0)
        goto done;
    out = s_pack_allocation(ctx, sm_ctx_reply(ctx), sm_doc_root(after));
done:
    sm_buf_free(&row_upd);
    sm_buf_free(&top_upd);
    s_contribs_free(&c);
    sm_doc_destroy(&after);
    sm_doc_destroy(&doc);
    return out;
}

int op_invoice_pay(sm_ctx_t *ctx, const msgpack_object *args)
{
    const char *reference = sm_arg_str(ctx, "reference");
    char d[11], aid[24], inv[40], on[11];
    sm_date_t paid_on;
    uint64_t id;
    sm_doc_t *doc = NULL, *after = NULL;
    s_contribs_t c = {0};
    if (!sm_arg_date(ctx, "paid_on", &paid_on))
        paid_on = sm_date_today();
    municipality_t m;
    if (s_muni_arg(ctx, &m) || s_require(ctx, &id, &doc))
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    sm_rec_str(r, "id", aid, sizeof aid);
    sm_ctx_audit_id(ctx, aid);
    sm_buf_t upd;
    sm_buf_init(&upd);
    int at, out = -1;
    if (s_contribs_load(ctx, r, &c) || (at = s_row_of(ctx, &c, &m, aid)) < 0)
        goto done;
    const msgpack_object *row = &sm_map_get(r, "rows")->via.array.ptr[at];
    if (c.rows[at].paid) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "municipality",
                    _("the invoice of %s in allocation %s was already marked paid on %s"), m.name,
                    aid, sm_rec_str(row, "paid_on", on, sizeof on));
        goto done;
    }
    /*  What is invoiced is what was decided (or, without a decision, the
        computed contribution). */
    int64_t amount = contribution_invoiced(&c.rows[at]);
    sm_rec_str(row, "invoice", inv, sizeof inv);
    msgpack_pack_map(&upd.pk, 3);
    sm_pack_kv_bool(&upd.pk, "paid", true);
    sm_pack_kv_str(&upd.pk, "paid_on", sm_date_format(paid_on, d));
    sm_pack_kv_str(&upd.pk, "reference", reference);
    if (s_store_row(ctx, id, r, (uint32_t)at, &upd, NULL))
        goto done;
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "finance.invoice.paid");
    msgpack_pack_map(pk, 5);
    sm_pack_kv_str(pk, "allocation", aid);
    sm_pack_kv_str(pk, "invoice", inv);
    sm_pack_kv_str(pk, "municipality", m.code);
    sm_pack_kv_int(pk, "amount_cents", amount);
    sm_pack_kv_str(pk, "paid_on", d);
    if (sm_ctx_event_end(ctx) || sm_rec_get(ctx, DB, id, &after) <= 0)
        goto done;
    c.rows[at].paid = true;
    msgpack_packer *rp = sm_ctx_reply(ctx);
    msgpack_pack_map(rp, 2);
    sm_pack_kv_str(rp, "allocation", aid);
    sm_pack_str(rp, "invoice");
    out = s_pack_row_view(ctx, rp, &sm_map_get(sm_doc_root(after), "rows")->via.array.ptr[at],
                          &c.rows[at]);
done:
    sm_buf_free(&upd);
    s_contribs_free(&c);
    sm_doc_destroy(&after);
    sm_doc_destroy(&doc);
    return out;
}

/* ==== Funding, for the budget ============================================ */

typedef struct {
    alloc_visit_fn *visit;
    void *arg;
} s_each_t;

/*  Summarise allocation id and hand it to the visitor. */
static int s_each_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_each_t *e = arg;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    alloc_summary_t a;
    memset(&a, 0, sizeof a);
    a.id = id;
    sm_rec_str(r, "name", a.name, sizeof a.name);
    const msgpack_object *y = sm_map_get(r, "year"), *ty = sm_map_get(r, "to_year");
    a.has_year = y && y->type == MSGPACK_OBJECT_POSITIVE_INTEGER;
    a.year = a.has_year ? (int)y->via.u64 : 0;
    a.to_year = a.has_year && ty && ty->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? (int)ty->via.u64
                                                                                : a.year;
    s_contribs_t c;
    contribution_totals_t t;
    int64_t paid_n;
    rc = -1;
    if (s_contribs_load(ctx, r, &c) == 0) {
        if (contribution_totals(c.rows, c.n, sm_rec_int(r, "total_cents", 0), &t,
                                sm_ctx_err(ctx)) == 0) {
            a.cost_cents = t.cost_cents;
            a.computed_cents = t.computed_cents;
            a.invoiced_cents = t.invoiced_cents;
            a.balance_cents = t.balance_cents;
            s_paid(&c, &paid_n, &a.paid_cents);
            rc = e->visit(ctx, &a, e->arg);
        }
        s_contribs_free(&c);
    }
    sm_doc_destroy(&doc);
    return rc;
}

int alloc_each(sm_ctx_t *ctx, alloc_visit_fn *visit, void *arg)
{
    s_each_t e = {visit, arg};
    return sm_rec_scan(ctx, DB, 0, s_each_visit, &e);
}
