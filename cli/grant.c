/*  cli/grant.c - samenctl grant ...: grants for residents' initiatives
    ("Samen Sterk"): pools, applications, decisions, payments, the interim
    visit, accountability afterwards and the figures (finance). Verbs and
    flags come from finance's declarations; here is what a person reads
    back. */
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

/* ==== Pools ============================================================== */

static const cli_col_t s_pool_cols[] = {{N_("POOL"), "id", 't'},
                                        {N_("YEAR"), "year", 't'},
                                        {N_("KIND"), "kind", 't'},
                                        {N_("DISTRICT"), "district", 't'},
                                        {N_("EARMARK"), "earmark", 't'},
                                        {N_("AMOUNT"), "amount_cents", 'm'},
                                        {N_("AWARDED"), "awarded_cents", 'm'},
                                        {N_("PAID"), "paid_cents", 'm'},
                                        {N_("REMAINING"), "remaining_cents", 'm'}};

static void s_print_pools(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_pool_cols, 9, sm_map_get(data, "pools"));
}

/* ==== Applications ======================================================= */

static const cli_col_t s_app_cols[] = {{N_("ID"), "id", 't'},
                                       {N_("POOL"), "pool", 't'},
                                       {N_("YEAR"), "year", 't'},
                                       {N_("INITIATIVE"), "initiative", 't'},
                                       {N_("APPLICANT"), "applicant", 't'},
                                       {N_("STATE"), "state", 't'},
                                       {N_("RESULT"), "result", 't'},
                                       {N_("OWNER"), "owner", 't'},
                                       {N_("REQUESTED"), "requested_cents", 'm'},
                                       {N_("AWARDED"), "awarded_cents", 'm'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_app_cols, 10, sm_map_get(data, "applications"));
    cli_print_next(cli, data);
}

/*  After a step: "G3 Walking group: awarded (EUR 600.00)". */
static void s_print_step(cli_t *cli, const msgpack_object *data)
{
    char id[24], name[240], st[24], a[48];
    printf("%s %s: %s (awarded %s)\n", cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "initiative"), name, sizeof name),
           cli_text(sm_map_get(data, "state"), st, sizeof st),
           cli_money(cli, sm_map_get(data, "awarded_cents"), a, sizeof a));
}

/* ==== Figures ============================================================ */

static const cli_col_t s_stats_cols[] = {{N_("YEAR"), "year", 't'},
                                         {N_("APPLICATIONS"), "count", 't'},
                                         {N_("AWARDED"), "awarded_count", 't'},
                                         {N_("REJECTED"), "rejected_count", 't'},
                                         {N_("REQUESTED"), "requested_cents", 'm'},
                                         {N_("AWARDED AMOUNT"), "awarded_cents", 'm'},
                                         {N_("PAID"), "paid_cents", 'm'},
                                         {N_("ACCOUNTED"), "accounted_count", 't'},
                                         {N_("REACHED"), "reached_count", 't'},
                                         {N_("PARTLY"), "partly_count", 't'},
                                         {N_("NOT"), "not_reached_count", 't'},
                                         {/* xgettext:no-c-format */ N_("REACHED %"), "reached_percent", 't'}};

static void s_print_stats(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *years = sm_map_get(data, "years");
    sm_buf_t b;
    sm_buf_init(&b);
    uint32_t n = years && years->type == MSGPACK_OBJECT_ARRAY ? years->via.array.size : 0;
    msgpack_pack_array(&b.pk, n + 1);
    for (uint32_t i = 0; i < n; i++)
        sm_pack_obj(&b.pk, &years->via.array.ptr[i]);
    const msgpack_object *total = sm_map_get(data, "total");
    if (total)
        sm_pack_obj(&b.pk, total);
    else
        msgpack_pack_map(&b.pk, 0);
    sm_doc_t *doc = sm_doc_parse(b.sbuf.data, b.sbuf.size, NULL);
    if (doc)
        cli_table(cli, s_stats_cols, 12, sm_doc_root(doc));
    sm_doc_destroy(&doc);
    sm_buf_free(&b);
    if (!cli->format || strcmp(cli->format, "text") == 0)
        printf("REACHED %%: share of the accounted initiatives that reached their intended "
               "result\n");
}

/*  --years FROM-TO (or one year) for the declared --from-year and
    --to-year, then the op. */
static int s_stats(cli_t *cli)
{
    const char *years = cli_flag(cli, "years");
    char from[24], to[24];
    if (years) {
        char *end;
        long a = strtol(years, &end, 10), b = a;
        if (*end == '-' || *end == '.') {
            while (*end == '-' || *end == '.')
                end++;
            b = strtol(end, &end, 10);
        }
        if (*end || a < 1 || b < 1 || cli_has(cli, "from-year") || cli_has(cli, "to-year"))
            return cli_usage_error(cli, _("--years takes FROM-TO or one year, e.g. 2016-2018 (and "
                                        "not with --from-year or --to-year), got \"%s\""),
                                   years);
        snprintf(from, sizeof from, "%ld", a);
        snprintf(to, sizeof to, "%ld", b);
        if (cli_flag_add(cli, "from-year", from) != 0 || cli_flag_add(cli, "to-year", to) != 0)
            return cli_usage_error(cli, _("too many flags"));
    }
    return cli_call_op(cli, cli->decls[0], s_print_stats);
}

static const cli_opt_t s_years[] = {{"years", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "pool-add",
     .print = cli_fields,
     .example = "samenctl grant pool-add --kind district --district Noord --year 2017 --amount "
                "5000"},
    {.verb = "pools", .print = s_print_pools, .example = "samenctl grant pools --year 2017"},
    {.verb = "pool", .print = cli_fields, .example = "samenctl grant pool K1"},
    {.verb = "apply",
     .print = cli_fields,
     .example = "samenctl grant apply --pool K1 --initiative \"Walking group for lung patients\" "
                "--applicant P12 --requested 600 --intended-result \"ten patients walk weekly\" "
                "--answer residents_in_lead=yes"},
    {.verb = "show", .print = cli_fields, .example = "samenctl grant show G3"},
    {.verb = "list", .print = s_print_list, .example = "samenctl grant list --year 2017 --state awarded"},
    {.verb = "award", .print = s_print_step, .example = "samenctl grant award G3 --amount 600"},
    {.verb = "reject",
     .print = s_print_step,
     .example = "samenctl grant reject G4 --reason \"not aimed at people outside the community\""},
    {.verb = "withdraw", .print = s_print_step, .example = "samenctl grant withdraw G5"},
    {.verb = "pay", .print = s_print_step, .example = "samenctl grant pay G3 --reference 2017-0311"},
    {.verb = "evaluate",
     .print = s_print_step,
     .example = "samenctl grant evaluate G3 --on 2017-06-14 --notes \"eight walkers, growing\""},
    {.verb = "account",
     .print = s_print_step,
     .example = "samenctl grant account G3 --result reached --narrative \"walks every Tuesday\""},
    {.verb = "close", .print = s_print_step, .example = "samenctl grant close G3"},
    {.verb = "assign",
     .print = cli_print_owners,
     .example = "samenctl grant assign G3 --owner W3 --deputy W5"},
    {.verb = "stats",
     .fn = s_stats,
     .opts = s_years,
     .usage = "grant stats --years FROM-TO (or --from-year Y --to-year Y)",
     .example = "samenctl grant stats --years 2016-2018"},
    {0}};

const cli_noun_t cli_noun_grant = {"grant", N_("grants for residents' initiatives"), s_verbs};
