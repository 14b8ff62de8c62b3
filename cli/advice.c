/*  cli/advice.c - samenctl advice: signals and (un)solicited advice, their
    answers, evaluations and deadlines (intake). Verbs and flags come from
    intake's declarations; here is what a person reads back. */
#include "cli.h"
#include "nouns.h"
#include <string.h>

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},          {N_("KIND"), "kind", 't'},
                                   {N_("FROM"), "from", 't'},      {N_("THEME"), "theme", 't'},
                                   {N_("RECEIVED"), "received", 't'}, {N_("STATE"), "state", 't'},
                                   {N_("OUTCOME"), "outcome", 't'}, {N_("WAITING FOR"), "waiting_for", 't'},
                                   {N_("DUE"), "due", 't'},        {N_("OWNER"), "owner", 't'}};

static const cli_col_t s_late_cols[] = {{N_("ID"), "id", 't'},          {N_("KIND"), "kind", 't'},
                                        {N_("FROM"), "from", 't'},      {N_("LATE"), "waiting_for", 't'},
                                        {N_("DUE"), "due", 't'},        {N_("DAYS LATE"), "days_late", 't'},
                                        {N_("RECEIVED"), "received", 't'}};

/*  A write's reply in words: the state and what is due next. */
static void s_print_written(cli_t *cli, const msgpack_object *data)
{
    char id[32], st[32], w[32], due[16];
    printf("%s %s", cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "state"), st, sizeof st));
    if (cli_text(sm_map_get(data, "waiting_for"), w, sizeof w)[0])
        printf("; %s due %s", w, cli_text(sm_map_get(data, "due"), due, sizeof due));
    printf("\n");
}

/*  The list as a table, with a hint for the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, (int)(sizeof s_cols / sizeof s_cols[0]), sm_map_get(data, "advice"));
    cli_print_next(cli, data);
}

/*  The late items: a count line, then the table. */
static void s_print_overdue(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *rows = sm_map_get(data, "overdue");
    char t[16];
    if (!cli->format || strcmp(cli->format, "text") == 0) {
        uint32_t n = rows && rows->type == MSGPACK_OBJECT_ARRAY ? rows->via.array.size : 0;
        printf("%u late on %s\n", n, cli_text(sm_map_get(data, "today"), t, sizeof t));
        if (n == 0)
            return;
    }
    cli_table(cli, s_late_cols, (int)(sizeof s_late_cols / sizeof s_late_cols[0]), rows);
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .print = s_print_written,
     .example = "samenctl advice add --kind unsolicited_advice --from O2 --theme T4 --received "
                "2020-01-31 --summary \"Make the Wmo-taxi bookable by phone again\""},
    {.verb = "answer",
     .print = s_print_written,
     .example = "samenctl advice answer A7 --outcome partly_adopted --text \"Phone booking "
                "returns in June\" --reason \"Weekend booking stays online-only for now\""},
    {.verb = "evaluate",
     .print = s_print_written,
     .example = "samenctl advice evaluate A7 --text \"Phone booking works; waiting times down\""},
    {.verb = "show", .print = cli_fields, .example = "samenctl advice show A7"},
    {.verb = "list", .print = s_print_list, .example = "samenctl advice list --state open"},
    {.verb = "overdue", .print = s_print_overdue, .example = "samenctl advice overdue --format md"},
    {.verb = "assign",
     .print = cli_print_owners,
     .example = "samenctl advice assign A7 --owner W3 --deputy W5"},
    {0}};

const cli_noun_t cli_noun_advice = {
    "advice", N_("signals and advice: answers, evaluations and their deadlines (intake)"), s_verbs};
