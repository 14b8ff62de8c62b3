/*  cli/municipality.c - samenctl municipality add|count|show|list. */
#include "cli.h"
#include "nouns.h"

static const cli_col_t s_cols[] = {{"CODE", "code", 't'},
                                   {"MUNICIPALITY", "name", 't'},
                                   {"INHABITANTS", "inhabitants", 't'},
                                   {"AS OF", "as_of", 't'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 4, sm_map_get(data, "municipalities"));
    if (!cli->format || cli->format[0] == 't') {
        char t[32];
        printf("total inhabitants: %s\n",
               cli_text(sm_map_get(data, "total_inhabitants"), t, sizeof t));
    }
}

static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    char a[80], b[32], c[32];
    printf("%s (%s): %s inhabitants on %s\n", cli_text(sm_map_get(data, "name"), a, sizeof a),
           cli_text(sm_map_get(data, "code"), b, sizeof b),
           cli_text(sm_map_get(data, "inhabitants"), c, sizeof c),
           cli_text(sm_map_get(data, "as_of"), a + 40, 40));
    const msgpack_object *counts = sm_map_get(data, "counts");
    if (counts && counts->type == MSGPACK_OBJECT_ARRAY && counts->via.array.size > 1) {
        printf("history:\n");
        for (uint32_t i = 0; i < counts->via.array.size; i++)
            printf("  %s  %s\n", cli_text(sm_map_get(&counts->via.array.ptr[i], "as_of"), b, sizeof b),
                   cli_text(sm_map_get(&counts->via.array.ptr[i], "inhabitants"), c, sizeof c));
    }
}

static int s_add(cli_t *cli)
{
    static const char *specs[] = {"code", "inhabitants::i", "as-of:as_of:s", NULL};
    const char *extra[] = {"name", cli->pos[0], NULL};
    if (!cli_has(cli, "code") || !cli_has(cli, "inhabitants") || !cli_has(cli, "as-of"))
        return cli_usage_error(cli, "municipality add needs --code, --inhabitants and --as-of");
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", "municipality.add", &args, true, s_print_one);
    sm_buf_free(&args);
    return rc;
}

static int s_count(cli_t *cli)
{
    static const char *specs[] = {"inhabitants::i", "as-of:as_of:s", NULL};
    const char *extra[] = {"municipality", cli->pos[0], NULL};
    if (!cli_has(cli, "inhabitants") || !cli_has(cli, "as-of"))
        return cli_usage_error(cli, "municipality count needs --inhabitants and --as-of");
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", "municipality.count", &args, true, s_print_one);
    sm_buf_free(&args);
    return rc;
}

static int s_show(cli_t *cli)
{
    static const char *specs[] = {"as-of:as_of:s", NULL};
    const char *extra[] = {"municipality", cli->pos[0], NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", "municipality.get", &args, false, s_print_one);
    sm_buf_free(&args);
    return rc;
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"as-of:as_of:s", NULL};
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, NULL);
    if (rc == 0)
        rc = cli_run(cli, "finance", "municipality.list", &args, false, s_print_list);
    sm_buf_free(&args);
    return rc;
}

static const cli_opt_t s_add_opts[] = {
    {"code", true, false}, {"inhabitants", true, false}, {"as-of", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_count_opts[] = {
    {"inhabitants", true, false}, {"as-of", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_asof_opts[] = {{"as-of", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .fn = s_add,
     .opts = s_add_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "municipality add NAME --code GM0000 --inhabitants N --as-of DATE",
     .summary = "Add a member municipality with its statistics-office code and a first inhabitant count.",
     .example = "samenctl municipality add Hilversum --code GM0402 --inhabitants 87817 --as-of 2016-01-01"},
    {.verb = "count",
     .fn = s_count,
     .opts = s_count_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "municipality count NAME|CODE --inhabitants N --as-of DATE",
     .summary = "Record a new inhabitant count valid from DATE; earlier counts are kept as history.",
     .example = "samenctl municipality count Hilversum --inhabitants 90261 --as-of 2020-01-01"},
    {.verb = "show",
     .fn = s_show,
     .opts = s_asof_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "municipality show NAME|CODE [--as-of DATE]",
     .summary = "One municipality with the count valid on DATE (default: the latest) and its history.",
     .example = "samenctl municipality show GM0402 --as-of 2016-01-01"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_asof_opts,
     .usage = "municipality list [--as-of DATE]",
     .summary = "All member municipalities with the counts valid on DATE (default: the latest).",
     .example = "samenctl municipality list --as-of 2016-01-01 --format csv"},
    {0}};

const cli_noun_t cli_noun_municipality = {"municipality",
                                          "member municipalities and their inhabitants", s_verbs};
