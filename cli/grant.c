/*  cli/grant.c - samenctl grant ...: grants for residents' initiatives
    ("Samen Sterk"): pools, applications, decisions, payments, the interim
    visit, accountability afterwards and the figures. */
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

/*  Pack flags (and extra pairs) and, when given, the repeated --answer
    CRITERION=TEXT flags as the map "answers". Returns 0 or CLI_USAGE. */
static int s_pack(cli_t *cli, sm_buf_t *out, const char *const *specs, const char *const *extra)
{
    sm_buf_t flags;
    sm_buf_init(&flags);
    int rc = cli_pack_flags(cli, &flags, specs, extra);
    const char *answers[32];
    int na = cli_flag_all(cli, "answer", answers, 32);
    for (int i = 0; rc == 0 && i < na; i++) {
        const char *eq = strchr(answers[i], '=');
        if (!eq || eq == answers[i])
            rc = cli_usage_error(cli, "--answer takes CRITERION=TEXT, got \"%s\"", answers[i]);
    }
    if (rc == 0) {
        sm_doc_t *f = sm_doc_parse(flags.sbuf.data, flags.sbuf.size, NULL);
        const msgpack_object *m = sm_doc_root(f);
        msgpack_pack_map(&out->pk, m->via.map.size + (na > 0));
        for (uint32_t i = 0; i < m->via.map.size; i++) {
            sm_pack_obj(&out->pk, &m->via.map.ptr[i].key);
            sm_pack_obj(&out->pk, &m->via.map.ptr[i].val);
        }
        if (na > 0) {
            sm_pack_str(&out->pk, "answers");
            msgpack_pack_map(&out->pk, (size_t)na);
            for (int i = 0; i < na; i++) {
                const char *eq = strchr(answers[i], '=');
                sm_pack_strn(&out->pk, answers[i], (size_t)(eq - answers[i]));
                sm_pack_str(&out->pk, eq + 1);
            }
        }
        sm_doc_destroy(&f);
    }
    sm_buf_free(&flags);
    return rc;
}

static int s_send(cli_t *cli, const char *op, const char *const *specs, const char *const *extra,
                  bool write, void (*print)(cli_t *, const msgpack_object *))
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = s_pack(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

/* ==== Pools ============================================================== */

static int s_pool_add(cli_t *cli)
{
    static const char *specs[] = {"kind::s",     "year::i",    "amount:amount_cents:m",
                                  "district::s", "earmark::s", "name::s",
                                  NULL};
    if (!cli_has(cli, "kind") || !cli_has(cli, "year") || !cli_has(cli, "amount"))
        return cli_usage_error(cli, "grant pool-add needs --kind, --year and --amount");
    return s_send(cli, "grant.pool.add", specs, NULL, true, s_print_one);
}

static const cli_col_t s_pool_cols[] = {{"POOL", "id", 't'},
                                        {"YEAR", "year", 't'},
                                        {"KIND", "kind", 't'},
                                        {"DISTRICT", "district", 't'},
                                        {"EARMARK", "earmark", 't'},
                                        {"AMOUNT", "amount_cents", 'm'},
                                        {"AWARDED", "awarded_cents", 'm'},
                                        {"PAID", "paid_cents", 'm'},
                                        {"REMAINING", "remaining_cents", 'm'}};

static void s_print_pools(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_pool_cols, 9, sm_map_get(data, "pools"));
}

static int s_pools(cli_t *cli)
{
    static const char *specs[] = {"year::i", NULL};
    return s_send(cli, "grant.pool.list", specs, NULL, false, s_print_pools);
}

static int s_pool(cli_t *cli)
{
    const char *extra[] = {"pool", cli->pos[0], NULL};
    return s_send(cli, "grant.pool.get", NULL, extra, false, s_print_one);
}

/* ==== Applications ======================================================= */

static int s_apply(cli_t *cli)
{
    static const char *specs[] = {"pool::s",
                                  "initiative::s",
                                  "applicant::s",
                                  "district::s",
                                  "requested:requested_cents:m",
                                  "intended-result:intended_result:s",
                                  "on::s",
                                  "submitted-on:submitted_on:s",
                                  NULL};
    if (!cli_has(cli, "pool") || !cli_has(cli, "initiative") || !cli_has(cli, "applicant") ||
        !cli_has(cli, "requested") || !cli_has(cli, "intended-result"))
        return cli_usage_error(cli, "grant apply needs --pool, --initiative, --applicant, "
                                    "--requested and --intended-result");
    return s_send(cli, "grant.apply", specs, NULL, true, s_print_one);
}

static int s_show(cli_t *cli)
{
    const char *extra[] = {"application", cli->pos[0], NULL};
    return s_send(cli, "grant.get", NULL, extra, false, s_print_one);
}

static const cli_col_t s_app_cols[] = {{"ID", "id", 't'},
                                       {"POOL", "pool", 't'},
                                       {"YEAR", "year", 't'},
                                       {"INITIATIVE", "initiative", 't'},
                                       {"APPLICANT", "applicant", 't'},
                                       {"STATE", "state", 't'},
                                       {"RESULT", "result", 't'},
                                       {"REQUESTED", "requested_cents", 'm'},
                                       {"AWARDED", "awarded_cents", 'm'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_app_cols, 9, sm_map_get(data, "applications"));
    const msgpack_object *next = sm_map_get(data, "next");
    char n[32];
    if ((!cli->format || strcmp(cli->format, "text") == 0) && next &&
        next->type == MSGPACK_OBJECT_STR)
        printf("more: --after %s\n", cli_text(next, n, sizeof n));
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"pool::s", "year::i", "state::s", "limit::i", "after::s", NULL};
    return s_send(cli, "grant.list", specs, NULL, false, s_print_list);
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

static int s_step(cli_t *cli, const char *op, const char *const *specs)
{
    const char *extra[] = {"application", cli->pos[0], NULL};
    return s_send(cli, op, specs, extra, true, s_print_step);
}

static int s_award(cli_t *cli)
{
    static const char *specs[] = {"amount:amount_cents:m", "on::s", NULL};
    if (!cli_has(cli, "amount"))
        return cli_usage_error(cli, "grant award needs --amount");
    return s_step(cli, "grant.award", specs);
}

static int s_reject(cli_t *cli)
{
    static const char *specs[] = {"reason::s", "on::s", NULL};
    if (!cli_has(cli, "reason"))
        return cli_usage_error(cli, "grant reject needs --reason");
    return s_step(cli, "grant.reject", specs);
}

static int s_withdraw(cli_t *cli)
{
    static const char *specs[] = {"on::s", NULL};
    return s_step(cli, "grant.withdraw", specs);
}

static int s_pay(cli_t *cli)
{
    static const char *specs[] = {"amount:amount_cents:m", "reference::s", "on::s", NULL};
    return s_step(cli, "grant.pay", specs);
}

static int s_evaluate(cli_t *cli)
{
    static const char *specs[] = {"on::s", "notes::s", NULL};
    if (!cli_has(cli, "on") || !cli_has(cli, "notes"))
        return cli_usage_error(cli, "grant evaluate needs --on and --notes");
    return s_step(cli, "grant.evaluate", specs);
}

static int s_account(cli_t *cli)
{
    static const char *specs[] = {"result::s", "narrative::s", "on::s", NULL};
    if (!cli_has(cli, "result") || !cli_has(cli, "narrative"))
        return cli_usage_error(cli, "grant account needs --result and --narrative");
    return s_step(cli, "grant.account", specs);
}

static int s_close(cli_t *cli)
{
    static const char *specs[] = {"on::s", NULL};
    return s_step(cli, "grant.close", specs);
}

/* ==== Figures ============================================================ */

static const cli_col_t s_stats_cols[] = {{"YEAR", "year", 't'},
                                         {"APPLICATIONS", "count", 't'},
                                         {"AWARDED", "awarded_count", 't'},
                                         {"REJECTED", "rejected_count", 't'},
                                         {"REQUESTED", "requested_cents", 'm'},
                                         {"AWARDED AMOUNT", "awarded_cents", 'm'},
                                         {"PAID", "paid_cents", 'm'},
                                         {"ACCOUNTED", "accounted_count", 't'},
                                         {"REACHED", "reached_count", 't'},
                                         {"PARTLY", "partly_count", 't'},
                                         {"NOT", "not_reached_count", 't'},
                                         {"REACHED %", "reached_percent", 't'}};

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

static int s_stats(cli_t *cli)
{
    const char *years = cli_flag(cli, "years");
    if (!years)
        return cli_usage_error(cli, "grant stats needs --years FROM-TO, e.g. 2016-2018");
    char *end;
    long from = strtol(years, &end, 10), to = from;
    if (*end == '-' || *end == '.') {
        while (*end == '-' || *end == '.')
            end++;
        to = strtol(end, &end, 10);
    }
    if (*end || from < 2000 || from > 2100 || to < 2000 || to > 2100)
        return cli_usage_error(cli, "--years takes FROM-TO or one year, e.g. 2016-2018, got \"%s\"",
                               years);
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 2);
    sm_pack_kv_int(&args.pk, "from_year", from);
    sm_pack_kv_int(&args.pk, "to_year", to);
    int rc = cli_run(cli, "finance", "grant.stats", &args, false, s_print_stats);
    sm_buf_free(&args);
    return rc;
}

static const cli_opt_t s_pool_add_opts[] = {{"kind", true, false},
                                            {"year", true, false},
                                            {"amount", true, false},
                                            {"district", true, false},
                                            {"earmark", true, false},
                                            {"name", true, false},
                                            {NULL, 0, 0}};
static const cli_opt_t s_year_opts[] = {{"year", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_apply_opts[] = {
    {"pool", true, false},         {"initiative", true, false},
    {"applicant", true, false},    {"district", true, false},
    {"requested", true, false},    {"intended-result", true, false},
    {"answer", true, true},        {"on", true, false},
    {"submitted-on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"pool", true, false},  {"year", true, false},
                                        {"state", true, false}, {"limit", true, false},
                                        {"after", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_award_opts[] = {
    {"amount", true, false}, {"on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_reject_opts[] = {
    {"reason", true, false}, {"on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_on_opts[] = {{"on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_pay_opts[] = {
    {"amount", true, false}, {"reference", true, false}, {"on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_evaluate_opts[] = {
    {"on", true, false}, {"notes", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_account_opts[] = {
    {"result", true, false}, {"narrative", true, false}, {"on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_stats_opts[] = {{"years", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "pool-add",
     .fn = s_pool_add,
     .opts = s_pool_add_opts,
     .usage = "grant pool-add --kind district|city_wide|earmarked --year YEAR --amount AMOUNT "
         "[--district NAME] [--earmark PURPOSE] [--name NAME]",
     .summary = "Add a year's pool: a district's small pool, the city-wide pool, or an earmarked part.",
     .example = "samenctl grant pool-add --kind district --district Noord --year 2017 --amount 5000"},
    {.verb = "pools",
     .fn = s_pools,
     .opts = s_year_opts,
     .usage = "grant pools [--year YEAR]",
     .summary = "The pools with what is awarded, paid and left.",
     .example = "samenctl grant pools --year 2017"},
    {.verb = "pool",
     .fn = s_pool,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant pool POOL",
     .summary = "One pool.",
     .example = "samenctl grant pool K1"},
    {.verb = "apply",
     .fn = s_apply,
     .opts = s_apply_opts,
     .usage = "grant apply --pool POOL --initiative NAME --applicant P|O --requested AMOUNT "
         "--intended-result TEXT [--answer CRITERION=TEXT ...] [--district NAME] [--on DATE]",
     .summary = "Record an application of a residents' initiative, with its intended result and the "
         "answers to the criteria, submitted on DATE (default today). Later steps are not dated "
         "before it.",
     .example = "samenctl grant apply --pool K1 --initiative \"Walking group for lung patients\" "
         "--applicant P12 --requested 600 --intended-result \"ten patients walk weekly\" "
         "--answer residents_in_lead=yes"},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant show APPLICATION",
     .summary = "One application, all it holds.",
     .example = "samenctl grant show G3"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "grant list [--pool POOL] [--year YEAR] [--state STATE]",
     .summary = "Applications, filtered.",
     .example = "samenctl grant list --year 2017 --state awarded"},
    {.verb = "award",
     .fn = s_award,
     .opts = s_award_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant award APPLICATION --amount AMOUNT [--on DATE]",
     .summary = "Award the application at most its pool's remainder and what was asked.",
     .example = "samenctl grant award G3 --amount 600"},
    {.verb = "reject",
     .fn = s_reject,
     .opts = s_reject_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant reject APPLICATION --reason TEXT",
     .summary = "Reject the application with a reason the initiative can read.",
     .example = "samenctl grant reject G4 --reason \"not aimed at people outside the community\""},
    {.verb = "withdraw",
     .fn = s_withdraw,
     .opts = s_on_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant withdraw APPLICATION",
     .summary = "The initiative withdraws before anything is paid; the award returns to the pool.",
     .example = "samenctl grant withdraw G5"},
    {.verb = "pay",
     .fn = s_pay,
     .opts = s_pay_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant pay APPLICATION [--amount AMOUNT] [--reference REF] [--on DATE]",
     .summary = "Record the payment (default: the whole award).",
     .example = "samenctl grant pay G3 --reference 2017-0311"},
    {.verb = "evaluate",
     .fn = s_evaluate,
     .opts = s_evaluate_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant evaluate APPLICATION --on DATE --notes TEXT",
     .summary = "Record the interim evaluation (the visit).",
     .example = "samenctl grant evaluate G3 --on 2017-06-14 --notes \"eight walkers, growing\""},
    {.verb = "account",
     .fn = s_account,
     .opts = s_account_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant account APPLICATION --result reached|partly|not_reached --narrative TEXT",
     .summary = "Record the accountability afterwards: was the intended result reached? Failure is "
         "accepted.",
     .example = "samenctl grant account G3 --result reached --narrative \"walks every Tuesday\""},
    {.verb = "close",
     .fn = s_close,
     .opts = s_on_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "grant close APPLICATION",
     .summary = "Close an accounted application.",
     .example = "samenctl grant close G3"},
    {.verb = "stats",
     .fn = s_stats,
     .opts = s_stats_opts,
     .usage = "grant stats --years FROM-TO",
     .summary = "Per year: applications, amounts, and the share that reached the intended result.",
     .example = "samenctl grant stats --years 2016-2018"},
    {0}};

const cli_noun_t cli_noun_grant = {"grant", "grants for residents' initiatives", s_verbs};
