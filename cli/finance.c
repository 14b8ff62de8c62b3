/*  cli/finance.c - samenctl finance: cost sharing between the member
    municipalities (splits, allocations, invoices). Verbs and flags come
    from finance's declarations; here is what a person reads back. */
#include "cli.h"
#include "cli/finance_print.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

/*  A copy of the array rows with one more map appended (a total row),
    parsed into a document the caller destroys. */
static sm_doc_t *s_with_total(const msgpack_object *rows, const sm_buf_t *total)
{
    sm_buf_t b;
    sm_buf_init(&b);
    uint32_t n = rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0;
    msgpack_pack_array(&b.pk, n + 1);
    for (uint32_t i = 0; i < n; i++)
        sm_pack_obj(&b.pk, &rows->via.array.ptr[i]);
    sm_pack_raw(&b.pk, total->sbuf.data, total->sbuf.size);
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    sm_buf_free(&b);
    return doc;
}

static int64_t s_int(const msgpack_object *map, const char *key)
{
    const msgpack_object *o = sm_map_get(map, key);
    if (o && o->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
        return (int64_t)o->via.u64;
    if (o && o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        return o->via.i64;
    return 0;
}

static const cli_col_t s_split_cols[] = {{N_("MUNICIPALITY"), "name", 't'},
                                         {N_("INHABITANTS"), "inhabitants", 't'},
                                         {/* xgettext:no-c-format */ N_("%"), "percent", 't'},
                                         {N_("CONTRIBUTION"), "contribution_cents", 'm'}};

/*  The split table with a total row; a heading in text form. */
static void s_print_split(cli_t *cli, const msgpack_object *data)
{
    bool text = !cli->format || strcmp(cli->format, "text") == 0;
    char t[48], u[48], d[24], id[32], name[160];
    if (text) {
        const msgpack_object *idv = sm_map_get(data, "id");
        if (idv)
            printf("allocation %s \"%s\"\n", cli_text(idv, id, sizeof id),
                   cli_text(sm_map_get(data, "name"), name, sizeof name));
        printf("%s shared in units of %s by inhabitants on %s (largest remainder)\n\n",
               cli_money(cli, sm_map_get(data, "total_cents"), t, sizeof t),
               cli_money(cli, sm_map_get(data, "unit_cents"), u, sizeof u),
               cli_text(sm_map_get(data, "as_of"), d, sizeof d));
    }
    const msgpack_object *rows = sm_map_get(data, "rows");
    int64_t sum = 0;
    for (uint32_t i = 0; rows && rows->type == MSGPACK_OBJECT_ARRAY && i < rows->via.array.size;
         i++)
        sum += s_int(&rows->via.array.ptr[i], "contribution_cents");
    sm_buf_t total;
    sm_buf_init(&total);
    msgpack_pack_map(&total.pk, 4);
    sm_pack_kv_str(&total.pk, "name", "TOTAL");
    sm_pack_kv_int(&total.pk, "inhabitants", s_int(data, "total_inhabitants"));
    sm_pack_kv_str(&total.pk, "percent", "100.00");
    sm_pack_kv_int(&total.pk, "contribution_cents", sum);
    sm_doc_t *doc = s_with_total(rows, &total);
    if (doc)
        cli_table(cli, s_split_cols, 4, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    sm_buf_free(&total);
    if (text)
        printf("\nthe contributions add up to the total exactly; each is within one unit of its "
               "exact share.\nties: %s\n",
               cli_text(sm_map_get(data, "tie_rule"), name, sizeof name));
}

/*  One verb, two ops: a split computed, or with --name stored as an
    allocation with invoices. */
static int s_split(cli_t *cli)
{
    if (cli_has(cli, "purpose") && !cli_has(cli, "name"))
        return cli_usage_error(cli, _("--purpose goes with --name (a stored allocation)"));
    const sm_opdecl_t *op = cli_decl(cli, cli_has(cli, "name") ? "allocation.create"
                                                               : "split.compute");
    return op ? cli_call_op(cli, op, s_print_split)
              : cli_usage_error(cli, _("finance does not declare the ops of a split"));
}

static const cli_col_t s_alloc_cols[] = {{N_("ID"), "id", 't'},
                                         {N_("NAME"), "name", 't'},
                                         {N_("TOTAL"), "total_cents", 'm'},
                                         {N_("UNIT"), "unit_cents", 'm'},
                                         {N_("AS OF"), "as_of", 't'},
                                         {N_("INVOICES"), "invoices", 't'},
                                         {N_("PAID"), "paid_invoices", 't'},
                                         {N_("PAID AMOUNT"), "paid_cents", 'm'}};

static void s_print_allocations(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_alloc_cols, 8, sm_map_get(data, "allocations"));
}

static void s_print_paid(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *inv = sm_map_get(data, "invoice");
    char a[48], i[48], n[80], d[24];
    printf("invoice %s of %s (%s) marked paid on %s\n",
           cli_text(sm_map_get(inv, "invoice"), i, sizeof i),
           cli_text(sm_map_get(inv, "name"), n, sizeof n),
           cli_money(cli, sm_map_get(inv, "invoice_cents"), a, sizeof a),
           cli_text(sm_map_get(inv, "paid_on"), d, sizeof d));
}

static const cli_verb_t s_verbs[] = {
    {.verb = "split",
     .fn = s_split,
     .summary = N_("Share a cost among the member municipalities in proportion to their "
                "inhabitants on DATE (default today), rounded to the unit, adding up exactly to "
                "the total. With --name the split is stored as an allocation with an invoice "
                "per municipality."),
     .example = "samenctl finance split --total 60000 --unit 1000 --as-of 2016-01-01 --name "
                "\"Samenkracht 2016\""},
    {.verb = "allocations",
     .print = s_print_allocations,
     .example = "samenctl finance allocations --format csv"},
    {.verb = "allocation",
     .print = cli_print_allocation,
     .example = "samenctl finance allocation V1"},
    {.verb = "decide",
     .print = cli_print_allocation,
     .example = "samenctl finance decide \"Samenkracht 2017-2018\" Hilversum --amount 20000 "
                "--reason \"the decision's own table\" --on 2017-03-09"},
    {.verb = "invoice-pay",
     .print = s_print_paid,
     .example = "samenctl finance invoice-pay V1 Hilversum --on 2016-03-01 --reference 2016-0042"},
    {0}};

const cli_noun_t cli_noun_finance = {
    "finance", N_("cost sharing between municipalities: splits, allocations"), s_verbs};
