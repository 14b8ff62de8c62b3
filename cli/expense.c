/*  cli/expense.c - samenctl expense: actual costs booked against budget
    lines (finance). Verbs and flags come from finance's declarations; here
    is what a person reads back. */
#include "cli.h"
#include "nouns.h"

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},           {N_("LINE"), "line", 't'},
                                   {N_("ON"), "on", 't'},           {N_("CATEGORY"), "category", 't'},
                                   {N_("SESSION"), "session", 't'}, {N_("THEME"), "theme", 't'},
                                   {N_("STATUS"), "status", 't'},   {N_("AMOUNT"), "amount_cents", 'm'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 8, sm_map_get(data, "expenses"));
    cli_print_next(cli, data);
}

/*  An expense belongs to a session or a theme: one of the two. */
static int s_session_or_theme(cli_t *cli)
{
    if (!cli_has(cli, "session") && !cli_has(cli, "theme"))
        return cli_usage_error(cli, _("expense add needs --session or --theme"));
    return 0;
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .check = s_session_or_theme,
     .print = cli_fields,
     .example = "samenctl expense add --line L2 --category catering --amount 185.50 --session S31"},
    {.verb = "settle", .print = cli_fields, .example = "samenctl expense settle X7 --amount 260"},
    {.verb = "cancel",
     .print = cli_fields,
     .example = "samenctl expense cancel X7 --reason \"room no longer needed\""},
    {.verb = "show", .print = cli_fields, .example = "samenctl expense show X7"},
    {.verb = "list", .print = s_print_list, .example = "samenctl expense list --line L2 --format csv"},
    {0}};

const cli_noun_t cli_noun_expense = {"expense", N_("actual costs booked against budget lines"),
                                     s_verbs};
