/*  cli/reimburse.c - samenctl reimburse list|show|add|claim|approve|pay|
    waive|year: participants' reimbursements (vergoedingen). */
#include "cli.h"
#include "names.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

static int s_send(cli_t *cli, const char *op, const char *const *specs, const char *const *extra,
                  bool write, void (*print)(cli_t *, const msgpack_object *))
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static const cli_col_t s_cols[] = {{"ID", "id", 't'},
                                   {"PARTICIPANT", "participant", 't'},
                                   {"NAME", "name", 't'},
                                   {"SESSION", "session", 't'},
                                   {"HELD ON", "held_on", 't'},
                                   {"STATE", "state", 't'},
                                   {"BANK ACCOUNT", "iban_mask", 't'},
                                   {"AMOUNT", "amount_cents", 'm'}};

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
        char t[48], n[32];
        const msgpack_object *next = sm_map_get(data, "next");
        printf("total listed: %s\n", cli_money(cli, sm_map_get(data, "total_cents"), t, sizeof t));
        if (next && next->type == MSGPACK_OBJECT_STR)
            printf("more: --after %s\n", cli_text(next, n, sizeof n));
    }
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"unpaid::b",  "state::s", "year::i",  "participant::s",
                                  "session::s", "limit::i", "after::s", NULL};
    return s_send(cli, "entitlement.list", specs, NULL, false, s_print_list);
}

static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

static int s_show(cli_t *cli)
{
    const char *extra[] = {"entitlement", cli->pos[0], NULL};
    return s_send(cli, "entitlement.get", NULL, extra, false, s_print_one);
}

static int s_add(cli_t *cli)
{
    static const char *specs[] = {"session::s",        "participant::s",
                                  "held-on:held_on:s", "amount:amount_cents:m",
                                  "theme::s",          NULL};
    if (!cli_has(cli, "session") || !cli_has(cli, "participant") || !cli_has(cli, "held-on"))
        return cli_usage_error(cli, "reimburse add needs --session, --participant and --held-on");
    return s_send(cli, "entitlement.add", specs, NULL, true, s_print_one);
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

static int s_step(cli_t *cli, const char *op, const char *const *specs)
{
    const char *extra[] = {"entitlement", cli->pos[0], NULL};
    return s_send(cli, op, specs, extra, true, s_print_step);
}

static int s_claim(cli_t *cli)
{
    static const char *specs[] = {"on::s", NULL};
    return s_step(cli, "entitlement.claim", specs);
}

static int s_approve(cli_t *cli)
{
    static const char *specs[] = {"on::s", NULL};
    return s_step(cli, "entitlement.approve", specs);
}

static int s_pay(cli_t *cli)
{
    static const char *specs[] = {"reference::s", "on::s", "override:override_reason:s", NULL};
    if (!cli_has(cli, "reference"))
        return cli_usage_error(cli, "reimburse pay needs --reference (the payment's reference)");
    return s_step(cli, "entitlement.pay", specs);
}

static int s_waive(cli_t *cli)
{
    static const char *specs[] = {"reason::s", "on::s", NULL};
    return s_step(cli, "entitlement.waive", specs);
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

static int s_year(cli_t *cli)
{
    char *end;
    long year = strtol(cli->pos[0], &end, 10);
    if (*end || year < 2000 || year > 2100)
        return cli_usage_error(cli, "YEAR must be a year like 2019, got \"%s\"", cli->pos[0]);
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_int(&args.pk, "year", year);
    int rc = cli_run(cli, "finance", "reimbursement.year", &args, false, s_print_year);
    sm_buf_free(&args);
    return rc;
}

static const cli_opt_t s_list_opts[] = {{"unpaid", false, false}, {"state", true, false},
                                        {"year", true, false},    {"participant", true, false},
                                        {"session", true, false}, {"limit", true, false},
                                        {"after", true, false},   {NULL, 0, 0}};
static const cli_opt_t s_add_opts[] = {{"session", true, false}, {"participant", true, false},
                                       {"held-on", true, false}, {"amount", true, false},
                                       {"theme", true, false},   {NULL, 0, 0}};
static const cli_opt_t s_on_opts[] = {{"on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_pay_opts[] = {
    {"reference", true, false}, {"on", true, false}, {"override", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_waive_opts[] = {
    {"reason", true, false}, {"on", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "reimburse list [--unpaid] [--state STATE] [--year YEAR] [--participant P] [--session S]",
     .summary = "Entitlements to a reimbursement; --unpaid: entitled, claimed or approved, not yet paid "
         "nor waived.",
     .example = "samenctl reimburse list --unpaid"},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "reimburse show ENTITLEMENT",
     .summary = "One entitlement.",
     .example = "samenctl reimburse show E3"},
    {.verb = "add",
     .fn = s_add,
     .opts = s_add_opts,
     .usage = "reimburse add --session S --participant P --held-on DATE [--amount AMOUNT]",
     .summary = "Record an entitlement by hand, for an attendance kept on paper (default amount from "
         "finance/reimbursement_default_cents, EUR 15).",
     .example = "samenctl reimburse add --session S31 --participant P12 --held-on 2019-11-12"},
    {.verb = "claim",
     .fn = s_claim,
     .opts = s_on_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "reimburse claim ENTITLEMENT [--on DATE]",
     .summary = "The participant claims the reimbursement.",
     .example = "samenctl reimburse claim E3"},
    {.verb = "approve",
     .fn = s_approve,
     .opts = s_on_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "reimburse approve ENTITLEMENT [--on DATE]",
     .summary = "Approve a claim for payment.",
     .example = "samenctl reimburse approve E3"},
    {.verb = "pay",
     .fn = s_pay,
     .opts = s_pay_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "reimburse pay ENTITLEMENT --reference REF [--on DATE] [--override REASON]",
     .summary = "Record the payment of an approved claim. Refused when it would take the year's "
         "reimbursements past the yearly cap, unless --override gives a reason.",
     .example = "samenctl reimburse pay E3 --reference BANK-2019-0042"},
    {.verb = "waive",
     .fn = s_waive,
     .opts = s_waive_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "reimburse waive ENTITLEMENT [--reason TEXT]",
     .summary = "The reimbursement will not be paid (not claimed, declined).",
     .example = "samenctl reimburse waive E3 --reason \"declined by the participant\""},
    {.verb = "year",
     .fn = s_year,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "reimburse year YEAR",
     .summary = "A year's reimbursements: entitled, claimed, paid, against the yearly cap.",
     .example = "samenctl reimburse year 2019"},
    {0}};

const cli_noun_t cli_noun_reimburse = {"reimburse", "participants' reimbursements per session",
                                       s_verbs};
