/*  cli/decision.c - samenctl decision: decision documents on a theme, put
    to the portfolio holders, each with its passage and yardstick
    (reporting). Verbs and flags come from reporting's declarations; here
    is what a person reads back. */
#include "cli.h"
#include "nouns.h"

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},
                                   {N_("THEME"), "theme", 't'},
                                   {N_("DATE"), "date", 't'},
                                   {N_("TITLE"), "title", 't'},
                                   {N_("REFERENCE"), "reference", 't'},
                                   {N_("YARDSTICK"), "answered", 't'}};

/*  A decision as written: its ID, and how to fill in its yardstick. */
static void s_print_written(cli_t *cli, const msgpack_object *data)
{
    char id[32], theme[32];
    cli_text(sm_map_get(data, "id"), id, sizeof id);
    cli_text(sm_map_get(data, "theme"), theme, sizeof theme);
    printf(_("%1$s recorded on %2$s; fill in its yardstick with samenctl yardstick record "
             "%1$s, and make its passage with samenctl report passage %2$s --decision %1$s\n"),
           id, theme);
}

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 6, sm_map_get(data, "decisions"));
    cli_print_next(cli, data);
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .print = s_print_written,
     .example = "samenctl decision add T4 --title \"Besluit evaluatie Wmo-taxi\" --date "
                "2020-03-12 --reference \"PHO 12-03-2020 nr. 5\""},
    {.verb = "show", .print = cli_fields, .example = "samenctl decision show D2"},
    {.verb = "list", .print = s_print_list, .example = "samenctl decision list --year 2020"},
    {0}};

const cli_noun_t cli_noun_decision = {
    "decision", N_("decisions on a theme put to the portfolio holders, with their yardstick"),
    s_verbs};
