/*  cli/advice.c - samenctl advice add|answer|evaluate|show|list|overdue:
    signals and (un)solicited advice, their answers, evaluations and
    deadlines (intake). */
#include "cli.h"
#include "nouns.h"
#include <string.h>

static const cli_col_t s_cols[] = {{"ID", "id", 't'},          {"KIND", "kind", 't'},
                                   {"FROM", "from", 't'},      {"THEME", "theme", 't'},
                                   {"RECEIVED", "received", 't'}, {"STATE", "state", 't'},
                                   {"OUTCOME", "outcome", 't'}, {"WAITING FOR", "waiting_for", 't'},
                                   {"DUE", "due", 't'}};

static const cli_col_t s_late_cols[] = {{"ID", "id", 't'},          {"KIND", "kind", 't'},
                                        {"FROM", "from", 't'},      {"LATE", "waiting_for", 't'},
                                        {"DUE", "due", 't'},        {"DAYS LATE", "days_late", 't'},
                                        {"RECEIVED", "received", 't'}};

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

/*  An item as "field value" lines. */
static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

/*  The list as a table, with a hint for the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, (int)(sizeof s_cols / sizeof s_cols[0]), sm_map_get(data, "advice"));
    const msgpack_object *next = sm_map_get(data, "next");
    if ((!cli->format || strcmp(cli->format, "text") == 0) && next &&
        next->type == MSGPACK_OBJECT_STR) {
        char n[32];
        printf("more: add --after %s for the next page\n", cli_text(next, n, sizeof n));
    }
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

/*  Pack the flags (and extra pairs), send op to intake, print with print.
    Returns the exit code. */
static int s_send(cli_t *cli, const char *op, const char *const *specs, const char *const *extra,
                  bool write, void (*print)(cli_t *, const msgpack_object *))
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &args, specs, extra);
    if (rc == 0)
        rc = cli_run(cli, "intake", op, &args, write, print);
    sm_buf_free(&args);
    return rc;
}

/*  The verbs: each returns the exit code (cli.h). */
static int s_add(cli_t *cli)
{
    static const char *const specs[] = {"kind",
                                        "summary",
                                        "from",
                                        "theme",
                                        "received",
                                        "answer-period:answer_period:s",
                                        "evaluation-period:evaluation_period:s",
                                        NULL};
    if (!cli_has(cli, "kind") || !cli_has(cli, "summary"))
        return cli_usage_error(cli, "advice add needs --kind (signal, solicited_advice or "
                                    "unsolicited_advice) and --summary");
    return s_send(cli, "advice.add", specs, NULL, true, s_print_written);
}

static int s_answer(cli_t *cli)
{
    static const char *const specs[] = {"outcome", "text", "reason", "date:answered:s", NULL};
    if (!cli_has(cli, "outcome") || !cli_has(cli, "text"))
        return cli_usage_error(cli, "advice answer needs --outcome (adopted, partly_adopted or "
                                    "not_adopted) and --text");
    const char *extra[] = {"advice", cli->pos[0], NULL};
    return s_send(cli, "advice.answer", specs, extra, true, s_print_written);
}

static int s_evaluate(cli_t *cli)
{
    static const char *const specs[] = {"text", "date:evaluated:s", NULL};
    if (!cli_has(cli, "text"))
        return cli_usage_error(cli, "advice evaluate needs --text");
    const char *extra[] = {"advice", cli->pos[0], NULL};
    return s_send(cli, "advice.evaluate", specs, extra, true, s_print_written);
}

static int s_show(cli_t *cli)
{
    const char *extra[] = {"advice", cli->pos[0], NULL};
    return s_send(cli, "advice.get", NULL, extra, false, s_print_show);
}

static int s_list(cli_t *cli)
{
    static const char *const specs[] = {"state", "kind",  "theme",    "from",
                                        "after", "limit::i", NULL};
    return s_send(cli, "advice.list", specs, NULL, false, s_print_list);
}

static int s_overdue(cli_t *cli)
{
    return s_send(cli, "advice.overdue", NULL, NULL, false, s_print_overdue);
}

static const cli_opt_t s_add_opts[] = {
    {"kind", true, false},     {"summary", true, false},       {"from", true, false},
    {"theme", true, false},    {"received", true, false},      {"answer-period", true, false},
    {"evaluation-period", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_answer_opts[] = {{"outcome", true, false},
                                          {"text", true, false},
                                          {"reason", true, false},
                                          {"date", true, false},
                                          {NULL, 0, 0}};
static const cli_opt_t s_evaluate_opts[] = {
    {"text", true, false}, {"date", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"state", true, false}, {"kind", true, false},
                                        {"theme", true, false}, {"from", true, false},
                                        {"after", true, false}, {"limit", true, false},
                                        {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {"add", s_add, s_add_opts, 0, 0,
     "advice add --kind K --summary TEXT [--from P12|O3] [--theme T4] [--received DATE] "
     "[--answer-period 6w] [--evaluation-period 6m]",
     "Record a signal from a resident, or solicited or unsolicited advice from the advisory "
     "council. The answer is due the answer period after receipt (default 6 weeks), the "
     "evaluation the evaluation period after the answer (default 6 months).",
     "samenctl advice add --kind unsolicited_advice --from O2 --theme T4 --received "
     "2020-01-31 --summary \"Make the Wmo-taxi bookable by phone again\""},
    {"answer", s_answer, s_answer_opts, 1, 1,
     "advice answer ID --outcome adopted|partly_adopted|not_adopted --text TEXT [--reason WHY] "
     "[--date DATE]",
     "Record the municipality's answer. Partly or not adopted needs --reason: the council "
     "must hear why.",
     "samenctl advice answer A7 --outcome partly_adopted --text \"Phone booking returns in "
     "June\" --reason \"Weekend booking stays online-only for now\""},
    {"evaluate", s_evaluate, s_evaluate_opts, 1, 1, "advice evaluate ID --text TEXT [--date DATE]",
     "Record the evaluation of an answered advice: did the promise hold?",
     "samenctl advice evaluate A7 --text \"Phone booking works; waiting times down\""},
    {"show", s_show, NULL, 1, 1, "advice show ID", "One signal or advice with its deadlines.",
     "samenctl advice show A7"},
    {"list", s_list, s_list_opts, 0, 0,
     "advice list [--state received|answered|evaluated|open] [--kind K] [--theme T4] "
     "[--from P12|O3] [--limit N] [--after ID]",
     "Signals and advice, oldest first.", "samenctl advice list --state open"},
    {"overdue", s_overdue, NULL, 0, 0, "advice overdue",
     "Answers and evaluations that are late, most days late first.",
     "samenctl advice overdue --format md"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_advice = {
    "advice", "signals and advice: answers, evaluations and their deadlines (intake)", s_verbs};
