/*  cli/outcome.c - samenctl outcome add|update|show|list: what residents brought in on
    a theme, what was done with it, where it stands and the follow-up. */
#include "cli.h"
#include "nouns.h"
#include <string.h>

static const char *const s_field_specs[] = {"sessions:sessions:c",
                                            "brought-in:brought_in:s",
                                            "done",
                                            "effect",
                                            "status",
                                            "reason",
                                            "follow-up:follow_up:s",
                                            NULL};

static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    static const char *const keys[] = {"id",     "theme",  "sessions", "brought_in", "done",
                                       "effect", "status", "reason",   "follow_up",  NULL};
    for (int i = 0; keys[i]; i++) {
        char v[4200];
        cli_text(sm_map_get(data, keys[i]), v, sizeof v);
        if (v[0])
            printf("%-11s %s\n", keys[i], v);
    }
}

static int s_run(cli_t *cli, const char *op, const char *const *specs, const char *const *extra,
                 bool write, void (*print)(cli_t *, const msgpack_object *))
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "reporting", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static int s_add(cli_t *cli)
{
    const char *extra[] = {"theme", cli->pos[0], NULL};
    if (!cli_has(cli, "sessions") || !cli_has(cli, "brought-in"))
        return cli_usage_error(cli, "outcome add needs --sessions and --brought-in");
    return s_run(cli, "outcome.add", s_field_specs, extra, true, s_print_one);
}

static int s_update(cli_t *cli)
{
    const char *extra[] = {"outcome", cli->pos[0], NULL};
    return s_run(cli, "outcome.update", s_field_specs, extra, true, s_print_one);
}

static int s_show(cli_t *cli)
{
    const char *extra[] = {"outcome", cli->pos[0], NULL};
    return s_run(cli, "outcome.get", NULL, extra, false, s_print_one);
}

static const cli_col_t s_cols[] = {{"OUTCOME", "id", 't'},        {"THEME", "theme", 't'},
                                   {"STATUS", "status", 't'},     {"EFFECT", "effect", 't'},
                                   {"SESSIONS", "sessions", 't'}, {"BROUGHT IN", "brought_in", 't'},
                                   {"DONE", "done", 't'},         {"FOLLOW-UP", "follow_up", 't'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 8, sm_map_get(data, "outcomes"));
    char next[32];
    cli_text(sm_map_get(data, "next"), next, sizeof next);
    if (next[0] && (!cli->format || strcmp(cli->format, "text") == 0))
        printf("more: samenctl outcome list --after %s\n", next);
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"theme", "status", "limit::i", "after", NULL};
    return s_run(cli, "outcome.list", specs, NULL, false, s_print_list);
}

static const cli_opt_t s_field_opts[] = {{"sessions", true, false},  {"brought-in", true, false},
                                         {"done", true, false},      {"effect", true, false},
                                         {"status", true, false},    {"reason", true, false},
                                         {"follow-up", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"theme", true, false},
                                        {"status", true, false},
                                        {"limit", true, false},
                                        {"after", true, false},
                                        {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .fn = s_add,
     .opts = s_field_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "outcome add THEME --sessions S1,S2 --brought-in TEXT [--done TEXT] "
         "[--effect none|adopted_in_plan|changed_decision] "
         "[--status open|in_progress|done|not_adopted] [--reason TEXT] [--follow-up TEXT]",
     .summary = "Record what residents brought in on a theme (in the sessions listed), what was done "
         "with it and the follow-up. Not adopted needs a reason: residents are owed the why.",
     .example = "samenctl outcome add T3 --sessions S12 --brought-in \"Drivers often arrive late\" "
         "--done \"A penalty clause was added to the contract\" --effect changed_decision "
         "--status done"},
    {.verb = "update",
     .fn = s_update,
     .opts = s_field_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "outcome update OUTCOME [--sessions ...] [--brought-in ...] [--done ...] [--effect ...] "
         "[--status ...] [--reason ...] [--follow-up ...]",
     .summary = "Change an outcome item; an empty value (--done \"\") clears a text.",
     .example = "samenctl outcome update U5 --status not_adopted --reason \"The contract runs until 2022\""},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "outcome show OUTCOME",
     .summary = "One outcome item.",
     .example = "samenctl outcome show U5"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "outcome list [--theme T] [--status STATUS] [--limit N] [--after U]",
     .summary = "Outcome items, e.g. the open ones of a theme.",
     .example = "samenctl outcome list --theme T3 --status open"},
    {0}};

const cli_noun_t cli_noun_outcome = {"outcome",
                                     "what came out of a theme and what was done with it", s_verbs};
