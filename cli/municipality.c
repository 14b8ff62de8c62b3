/*  cli/municipality.c - samenctl municipality: member municipalities and
    their inhabitant counts (finance). Verbs and flags come from finance's
    declarations; here is what a person reads back. */
#include "cli.h"
#include "nouns.h"

static const cli_col_t s_cols[] = {{N_("CODE"), "code", 't'},
                                   {N_("MUNICIPALITY"), "name", 't'},
                                   {N_("INHABITANTS"), "inhabitants", 't'},
                                   {N_("AS OF"), "as_of", 't'}};

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

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .usage = "municipality add NAME --code GM0000 --inhabitants N --as-of DATE",
     .print = s_print_one,
     .example = "samenctl municipality add Hilversum --code GM0402 --inhabitants 87817 --as-of "
                "2016-01-01"},
    {.verb = "count",
     .usage = "municipality count NAME|CODE --inhabitants N --as-of DATE",
     .print = s_print_one,
     .example = "samenctl municipality count Hilversum --inhabitants 90261 --as-of 2020-01-01"},
    {.verb = "show",
     .usage = "municipality show NAME|CODE [--as-of DATE]",
     .print = s_print_one,
     .example = "samenctl municipality show GM0402 --as-of 2016-01-01"},
    {.verb = "list",
     .print = s_print_list,
     .example = "samenctl municipality list --as-of 2016-01-01 --format csv"},
    {0}};

const cli_noun_t cli_noun_municipality = {"municipality",
                                          N_("member municipalities and their inhabitants"), s_verbs};
