/*  cli/expense.c - samenctl expense add|settle|cancel|show|list: actual
    costs booked against budget lines. */
#include "cli.h"
#include "nouns.h"
#include <string.h>

static int s_send(cli_t *cli, const char *op, const char *const *specs, const char *const *extra,
                  bool write, void (*print)(cli_t *, const msgpack_object *))
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "finance", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

static void s_print_one(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

static int s_add(cli_t *cli)
{
    static const char *specs[] = {"line::s",        "category::s",  "amount:amount_cents:m",
                                  "on::s",          "session::s",   "theme::s",
                                  "description::s", "committed::b", NULL};
    if (!cli_has(cli, "line") || !cli_has(cli, "category") || !cli_has(cli, "amount"))
        return cli_usage_error(cli, "expense add needs --line, --category and --amount");
    if (!cli_has(cli, "session") && !cli_has(cli, "theme"))
        return cli_usage_error(cli, "expense add needs --session or --theme");
    return s_send(cli, "expense.add", specs, NULL, true, s_print_one);
}

static int s_settle(cli_t *cli)
{
    static const char *specs[] = {"amount:amount_cents:m", "on::s", NULL};
    const char *extra[] = {"expense", cli->pos[0], NULL};
    return s_send(cli, "expense.settle", specs, extra, true, s_print_one);
}

static int s_cancel(cli_t *cli)
{
    static const char *specs[] = {"reason::s", NULL};
    const char *extra[] = {"expense", cli->pos[0], NULL};
    return s_send(cli, "expense.cancel", specs, extra, true, s_print_one);
}

static int s_show(cli_t *cli)
{
    const char *extra[] = {"expense", cli->pos[0], NULL};
    return s_send(cli, "expense.get", NULL, extra, false, s_print_one);
}

static const cli_col_t s_cols[] = {{"ID", "id", 't'},           {"LINE", "line", 't'},
                                   {"ON", "on", 't'},           {"CATEGORY", "category", 't'},
                                   {"SESSION", "session", 't'}, {"THEME", "theme", 't'},
                                   {"STATUS", "status", 't'},   {"AMOUNT", "amount_cents", 'm'}};

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, 8, sm_map_get(data, "expenses"));
    const msgpack_object *next = sm_map_get(data, "next");
    char n[32];
    if ((!cli->format || strcmp(cli->format, "text") == 0) && next &&
        next->type == MSGPACK_OBJECT_STR)
        printf("more: --after %s\n", cli_text(next, n, sizeof n));
}

static int s_list(cli_t *cli)
{
    static const char *specs[] = {"line::s", "session::s", "theme::s", "status::s",
                                  "year::i", "limit::i",   "after::s", NULL};
    return s_send(cli, "expense.list", specs, NULL, false, s_print_list);
}

static const cli_opt_t s_add_opts[] = {
    {"line", true, false},        {"category", true, false},   {"amount", true, false},
    {"on", true, false},          {"session", true, false},    {"theme", true, false},
    {"description", true, false}, {"committed", false, false}, {NULL, 0, 0}};
static const cli_opt_t s_settle_opts[] = {
    {"amount", true, false}, {"on", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_cancel_opts[] = {{"reason", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"line", true, false},  {"session", true, false},
                                        {"theme", true, false}, {"status", true, false},
                                        {"year", true, false},  {"limit", true, false},
                                        {"after", true, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .fn = s_add,
     .opts = s_add_opts,
     .usage = "expense add --line LINE --category CATEGORY --amount AMOUNT (--session S | --theme T) "
         "[--on DATE] [--committed] [--description TEXT]",
     .summary = "Book a cost (facilitator, expertise, catering, room, other) against a budget line and a "
         "session or theme; --committed when it is agreed but not yet invoiced.",
     .example = "samenctl expense add --line L2 --category catering --amount 185.50 --session S31"},
    {.verb = "settle",
     .fn = s_settle,
     .opts = s_settle_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "expense settle EXPENSE [--amount AMOUNT] [--on DATE]",
     .summary = "A committed expense is invoiced and paid: it becomes spent (at --amount if the invoice "
         "differs).",
     .example = "samenctl expense settle X7 --amount 260"},
    {.verb = "cancel",
     .fn = s_cancel,
     .opts = s_cancel_opts,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "expense cancel EXPENSE [--reason TEXT]",
     .summary = "Cancel a committed expense; its amount is free again.",
     .example = "samenctl expense cancel X7 --reason \"room no longer needed\""},
    {.verb = "show",
     .fn = s_show,
     .min_pos = 1,
     .max_pos = 1,
     .usage = "expense show EXPENSE",
     .summary = "One expense.",
     .example = "samenctl expense show X7"},
    {.verb = "list",
     .fn = s_list,
     .opts = s_list_opts,
     .usage = "expense list [--line LINE] [--session S] [--theme T] [--status STATUS] [--year YEAR]",
     .summary = "Expenses, filtered.",
     .example = "samenctl expense list --line L2 --format csv"},
    {0}};

const cli_noun_t cli_noun_expense = {"expense", "actual costs booked against budget lines",
                                     s_verbs};
