/*  cli/outcome.c - samenctl outcome: what residents brought in on a theme,
    what was done with it, where it stands and the follow-up (reporting).
    Verbs and flags come from reporting's declarations; here is what a
    person reads back. */
#include "cli.h"
#include "nouns.h"

static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    static const char *const keys[] = {"id",     "theme",  "sessions",  "brought_in", "done",
                                       "effect", "status", "reason",    "follow_up",  "owner",
                                       "deputy", NULL};
    for (int i = 0; keys[i]; i++) {
        char v[4200];
        cli_text(sm_map_get(data, keys[i]), v, sizeof v);
        if (v[0])
            printf("%-11s %s\n", keys[i], v);
    }
}

static const cli_col_t s_cols[] = {{N_("OUTCOME"), "id", 't'},        {N_("THEME"), "theme", 't'},
                                   {N_("STATUS"), "status", 't'},     {N_("EFFECT"), "effect", 't'},
                                   {N_("SESSIONS"), "sessions", 't'}, {N_("BROUGHT IN"), "brought_in", 't'},
                                   {N_("DONE"), "done", 't'},         {N_("FOLLOW-UP"), "follow_up", 't'},
                                   {N_("OWNER"), "owner", 't'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 9, sm_map_get(data, "outcomes"));
    cli_print_next(cli, data);
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .print = s_print_one,
     .example = "samenctl outcome add T3 --sessions S12 --brought-in \"Drivers often arrive "
                "late\" --done \"A penalty clause was added to the contract\" --effect "
                "changed_decision --status done"},
    {.verb = "update",
     .print = s_print_one,
     .example = "samenctl outcome update U5 --status not_adopted --reason \"The contract runs "
                "until 2022\""},
    {.verb = "show", .print = s_print_one, .example = "samenctl outcome show U5"},
    {.verb = "list",
     .print = s_print_list,
     .example = "samenctl outcome list --theme T3 --status open"},
    {0}};

const cli_noun_t cli_noun_outcome = {"outcome",
                                     N_("what came out of a theme and what was done with it"), s_verbs};
