/*  cli/reimburse.c - samenctl reimburse: participants' reimbursements
    (vergoedingen) in finance. Verbs and flags come from finance's
    declarations; here is what a person reads back. */
#include "cli.h"
#include "names.h"
#include "nouns.h"
#include <string.h>

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},
                                   {N_("PARTICIPANT"), "participant", 't'},
                                   {N_("NAME"), "name", 't'},
                                   {N_("SESSION"), "session", 't'},
                                   {N_("HELD ON"), "held_on", 't'},
                                   {N_("STATE"), "state", 't'},
                                   {N_("BANK ACCOUNT"), "iban_mask", 't'},
                                   {N_("AMOUNT"), "amount_cents", 'm'}};

/*  The rows with each participant's name from intake added (shown, never
    stored or sent on). Returns a document to destroy, or NULL. */
static sm_doc_t *s_named(cli_names_t *names, const msgpack_object *rows)
{
    sm_buf_t b;
    sm_buf_init(&b);
    uint32_t n = rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0;
    msgpack_pack_array(&b.pk, n);
    for (uint32_t i = 0; i < n; i++) {
        const msgpack_object *r = &rows->via.array.ptr[i];
        char id[24];
        cli_text(sm_map_get(r, "participant"), id, sizeof id);
        msgpack_pack_map(&b.pk, r->via.map.size + 1);
        for (uint32_t k = 0; k < r->via.map.size; k++) {
            sm_pack_obj(&b.pk, &r->via.map.ptr[k].key);
            sm_pack_obj(&b.pk, &r->via.map.ptr[k].val);
        }
        sm_pack_kv_str(&b.pk, "name", cli_names_get(names, id));
    }
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    sm_buf_free(&b);
    return doc;
}

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *rows = sm_map_get(data, "entitlements");
    cli_names_t *names = cli_names_new(cli);
    sm_doc_t *named =
        names && cli_names_any(names, rows, "participant") ? s_named(names, rows) : NULL;
    if (named) {
        cli_table(cli, s_cols, 8, sm_doc_root(named));
    } else {
        /*  No names to show (intake absent or silent): the table without them. */
        cli_col_t cols[7];
        for (int i = 0, j = 0; i < 8; i++)
            if (strcmp(s_cols[i].key, "name") != 0)
                cols[j++] = s_cols[i];
        cli_table(cli, cols, 7, rows);
    }
    sm_doc_destroy(&named);
    cli_names_destroy(&names);
    if (!cli->format || strcmp(cli->format, "text") == 0) {
        char t[48];
        printf("total listed: %s\n", cli_money(cli, sm_map_get(data, "total_cents"), t, sizeof t));
    }
    cli_print_next(cli, data);
}

/*  One line after a step: "E3 P12 EUR 15.00: paid". */
static void s_print_step(cli_t *cli, const msgpack_object *data)
{
    char id[24], p[24], a[48], st[24], msg[600];
    printf("%s %s %s: %s\n", cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "participant"), p, sizeof p),
           cli_money(cli, sm_map_get(data, "amount_cents"), a, sizeof a),
           cli_text(sm_map_get(data, "state"), st, sizeof st));
    const msgpack_object *m = sm_map_get(data, "cap_message");
    if (m && m->type == MSGPACK_OBJECT_STR)
        printf("note: %s\n", cli_text(m, msg, sizeof msg));
}

static void s_print_year(cli_t *cli, const msgpack_object *data)
{
    char y[16], n[24], a[48], b[48], c[48], d[48], e[48], l[24];
    printf("reimbursements %s\n", cli_text(sm_map_get(data, "year"), y, sizeof y));
    printf("  entitlements  %s (%s, waived %s)\n",
           cli_text(sm_map_get(data, "entitled_count"), n, sizeof n),
           cli_money(cli, sm_map_get(data, "entitled_cents"), a, sizeof a),
           cli_money(cli, sm_map_get(data, "waived_cents"), e, sizeof e));
    printf("  claimed, not yet paid  %s\n",
           cli_money(cli, sm_map_get(data, "committed_cents"), b, sizeof b));
    printf("  paid          %s (payments: %s)\n",
           cli_money(cli, sm_map_get(data, "paid_cents"), c, sizeof c),
           cli_text(sm_map_get(data, "paid_count"), n, sizeof n));
    printf("  yearly cap    %s, left %s\n",
           cli_money(cli, sm_map_get(data, "cap_cents"), d, sizeof d),
           cli_money(cli, sm_map_get(data, "cap_remaining_cents"), a, sizeof a));
    printf("  budget line   %s\n", cli_text(sm_map_get(data, "line"), l, sizeof l)[0] ? l : "none");
}

static const cli_verb_t s_verbs[] = {
    {.verb = "list", .print = s_print_list, .example = "samenctl reimburse list --unpaid"},
    {.verb = "show", .print = cli_fields, .example = "samenctl reimburse show E3"},
    {.verb = "add",
     .print = cli_fields,
     .example = "samenctl reimburse add --session S31 --participant P12 --held-on 2019-11-12"},
    {.verb = "claim", .print = s_print_step, .example = "samenctl reimburse claim E3"},
    {.verb = "approve", .print = s_print_step, .example = "samenctl reimburse approve E3"},
    {.verb = "pay",
     .print = s_print_step,
     .example = "samenctl reimburse pay E3 --reference BANK-2019-0042"},
    {.verb = "waive",
     .print = s_print_step,
     .example = "samenctl reimburse waive E3 --reason \"declined by the participant\""},
    {.verb = "year", .print = s_print_year, .example = "samenctl reimburse year 2019"},
    {0}};

const cli_noun_t cli_noun_reimburse = {"reimburse", N_("participants' reimbursements per session"),
                                       s_verbs};
