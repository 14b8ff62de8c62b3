/*  cli/theme.c - samenctl theme add|update|show|list: themes on the annual agenda. */
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

/*  Pack the theme flags and one positional pair (key: "title" for add,
    "theme" for update) into args: everything by cli_pack_flags except
    --year, whose items are numbers on the wire. Returns 0, or CLI_USAGE
    after printing the problem. */
static int s_pack(cli_t *cli, sm_buf_t *args, const char *key, const char *value)
{
    static const char *specs[] = {"title",
                                  "question",
                                  "domain",
                                  "phase",
                                  "source",
                                  "status",
                                  "leader:project_leader:s",
                                  "political-lead:political_lead:s",
                                  "scope",
                                  "municipality:municipalities:c",
                                  NULL};
    const char *extra[] = {key, value, NULL};
    sm_buf_t first;
    sm_buf_init(&first);
    int rc = cli_pack_flags(cli, &first, specs, extra);
    int years[16], n_years = 0;
    const char *y = cli_flag(cli, "year");
    for (const char *p = y; rc == 0 && p && *p;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || (*end && *end != ',') || n_years == 16) {
            rc = cli_usage_error(cli, "--year takes years separated by commas, e.g. 2019,2020");
            break;
        }
        years[n_years++] = (int)v;
        p = *end ? end + 1 : end;
    }
    bool youth = cli_has(cli, "youth"), not_youth = cli_has(cli, "not-youth");
    if (rc == 0 && youth && not_youth)
        rc = cli_usage_error(cli, "give --youth or --not-youth, not both");
    if (rc == 0) {
        /*  The flags' map plus years and youth_relevant: re-pack its entries. */
        sm_doc_t *doc = sm_doc_parse(first.sbuf.data, first.sbuf.size, NULL);
        const msgpack_object *m = doc ? sm_doc_root(doc) : NULL;
        uint32_t n = m ? m->via.map.size : 0;
        msgpack_pack_map(&args->pk, n + (y ? 1 : 0) + (youth || not_youth ? 1 : 0));
        for (uint32_t i = 0; i < n; i++) {
            sm_pack_obj(&args->pk, &m->via.map.ptr[i].key);
            sm_pack_obj(&args->pk, &m->via.map.ptr[i].val);
        }
        if (y) {
            sm_pack_str(&args->pk, "years");
            msgpack_pack_array(&args->pk, (size_t)n_years);
            for (int i = 0; i < n_years; i++)
                msgpack_pack_int(&args->pk, years[i]);
        }
        if (youth || not_youth)
            sm_pack_kv_bool(&args->pk, "youth_relevant", youth);
        sm_doc_destroy(&doc);
    }
    sm_buf_free(&first);
    return rc;
}

/*  One theme, a field per line. */
static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

static const cli_col_t s_cols[] = {{"ID", "id", 't'},         {"TITLE", "title", 't'},
                                   {"DOMAIN", "domain", 't'}, {"PHASE", "phase", 't'},
                                   {"STATUS", "status", 't'}, {"YEARS", "years", 't'},
                                   {"SCOPE", "scope", 't'},   {"SESSIONS", "sessions", 't'}};

/*  A table of themes, and how to get the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 8, sm_map_get(data, "themes"));
    char after[64];
    const msgpack_object *next = sm_map_get(data, "next");
    if (next && next->type == MSGPACK_OBJECT_STR && (!cli->format || !strcmp(cli->format, "text")))
        printf("more: samenctl theme list --after %s\n", cli_text(next, after, sizeof after));
}

/*  The verbs: each returns the exit code (cli.h). */
static int s_add(cli_t *cli)
{
    if (!cli_has(cli, "domain") || !cli_has(cli, "year"))
        return cli_usage_error(cli, "theme add needs a title, --domain and --year");
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = s_pack(cli, &args, "title", cli->pos[0]);
    if (rc == 0)
        rc = cli_run(cli, "scheduling", "theme.add", &args, true, s_print_one);
    sm_buf_free(&args);
    return rc;
}

static int s_update(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = s_pack(cli, &args, "theme", cli->pos[0]);
    if (rc == 0)
        rc = cli_run(cli, "scheduling", "theme.update", &args, true, s_print_one);
    sm_buf_free(&args);
    return rc;
}

static int s_show(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "theme", cli->pos[0]);
    int rc = cli_run(cli, "scheduling", "theme.get", &args, false, s_print_one);
    sm_buf_free(&args);
    return rc;
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"year::i", "status", "domain", "limit::i", "after", NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, NULL);
    if (rc == 0)
        rc = cli_run(cli, "scheduling", "theme.list", &args, false, s_print_list);
    sm_buf_free(&args);
    return rc;
}

static const cli_opt_t s_edit_opts[] = {{"title", true, false},
                                        {"question", true, false},
                                        {"domain", true, false},
                                        {"phase", true, false},
                                        {"source", true, false},
                                        {"status", true, false},
                                        {"leader", true, false},
                                        {"political-lead", true, false},
                                        {"scope", true, false},
                                        {"municipality", true, false},
                                        {"year", true, false},
                                        {"youth", false, false},
                                        {"not-youth", false, false},
                                        {NULL, 0, 0}};
/*  add: the title is the positional argument, so no --title. */
static const cli_opt_t s_add_opts[] = {{"question", true, false},
                                        {"domain", true, false},
                                        {"phase", true, false},
                                        {"source", true, false},
                                        {"status", true, false},
                                        {"leader", true, false},
                                        {"political-lead", true, false},
                                        {"scope", true, false},
                                        {"municipality", true, false},
                                        {"year", true, false},
                                        {"youth", false, false},
                                        {"not-youth", false, false},
                                        {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"year", true, false},  {"status", true, false},
                                        {"domain", true, false}, {"limit", true, false},
                                        {"after", true, false},  {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .fn = s_add,
     .opts = s_add_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "theme add TITLE --domain D --year Y[,Y] [--question Q] [--phase P] [--source S] "
         "[--leader NAME] [--political-lead NAME] [--scope regional|local] [--municipality M[,M]] "
         "[--status S] [--youth|--not-youth]",
     .summary = "Put a theme on the annual agenda. Domains: youth, social_support, shelter_and_protection, "
         "work_and_income, health, other. Phases: agenda, development, implementation, evaluation. "
         "Sources: residents_signals, regional_agenda, municipal_request. Municipalities make it "
         "local; without them it is regional. Youth themes count for the youth report unless "
         "--not-youth.",
     .example = "samenctl theme add \"Disability taxi\" --domain social_support --phase evaluation --year "
         "2020 --leader \"J. Jansen\" --source residents_signals --question \"What would make the "
         "taxi easier to use?\""},
    {.verb = "update",
     .fn = s_update,
     .opts = s_edit_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "theme update T-ID [same flags as add]",
     .summary = "Change a theme: any field, its status (proposed, active, completed, dropped) or phase.",
     .example = "samenctl theme update T1 --phase implementation --year 2020,2021"},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "theme show T-ID",
     .summary = "One theme with all its fields.",
     .example = "samenctl theme show T1"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "theme list [--year Y] [--status S] [--domain D] [--limit N] [--after T-ID]",
     .summary = "Themes, optionally those on one year's agenda, with a status or in a domain.",
     .example = "samenctl theme list --year 2020 --format csv"},
    {0}};

const cli_noun_t cli_noun_theme = {"theme", "themes on the annual agenda", s_verbs};
