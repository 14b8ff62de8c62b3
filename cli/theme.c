/*  cli/theme.c - samenctl theme: themes on the annual agenda (scheduling).
    Verbs and flags come from scheduling's declarations; here is what a
    person reads back. */
#include "cli.h"
#include "nouns.h"

/*  One theme, a field per line. */
static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},         {N_("TITLE"), "title", 't'},
                                   {N_("DOMAIN"), "domain", 't'}, {N_("PHASE"), "phase", 't'},
                                   {N_("STATUS"), "status", 't'}, {N_("YEARS"), "years", 't'},
                                   {N_("SCOPE"), "scope", 't'},   {N_("SESSIONS"), "sessions", 't'},
                                   {N_("OWNER"), "owner", 't'}};

/*  A table of themes, and how to get the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 9, sm_map_get(data, "themes"));
    cli_print_next(cli, data);
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .print = s_print_one,
     .example = "samenctl theme add \"Disability taxi\" --domain social_support --phase "
                "evaluation --year 2020 --leader \"J. Jansen\" --source residents_signals "
                "--question \"What would make the taxi easier to use?\""},
    {.verb = "update",
     .print = s_print_one,
     .example = "samenctl theme update T1 --phase implementation --year 2020,2021"},
    {.verb = "show", .print = s_print_one, .example = "samenctl theme show T1"},
    {.verb = "list", .print = s_print_list, .example = "samenctl theme list --year 2020 --format csv"},
    {0}};

const cli_noun_t cli_noun_theme = {"theme", N_("themes on the annual agenda"), s_verbs};
