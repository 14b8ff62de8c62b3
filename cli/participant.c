/*  cli/participant.c - samenctl participant: the address file (adresbestand)
    kept by intake. The verbs, flags and help come from intake's
    declarations; here is what a person reads back. */
#include "cli.h"
#include "nouns.h"
#include "printers.h"
#include <string.h>

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},
                                   {N_("NAME"), "name", 't'},
                                   {N_("MUNICIPALITY"), "municipality", 't'},
                                   {N_("STATUS"), "status", 't'},
                                   {N_("CONSENT"), "consent", 't'},
                                   {N_("AGE"), "age_band", 't'},
                                   {N_("TARGET GROUPS"), "target_groups", 't'},
                                   {N_("LABELS"), "labels", 't'},
                                   {N_("CHANNEL"), "channel", 't'}};

/*  Write replies carry the coarse view only (they are kept for retries);
    say what happened in words. */
static void s_print_written(cli_t *cli, const msgpack_object *data)
{
    char id[32], st[32], muni[64], age[16], groups[512];
    printf("%s %s (municipality %s, age band %s, target groups: %s)\n",
           cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "status"), st, sizeof st),
           cli_text(sm_map_get(data, "municipality"), muni, sizeof muni)[0] ? muni : "-",
           cli_text(sm_map_get(data, "age_band"), age, sizeof age),
           cli_text(sm_map_get(data, "target_groups"), groups, sizeof groups)[0] ? groups : "-");
}

/*  A find result as a table, with a hint for the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, (int)(sizeof s_cols / sizeof s_cols[0]),
              sm_map_get(data, "participants"));
    cli_print_next(cli, data);
}

/*  What erase did, in words. */
static void s_print_erased(cli_t *cli, const msgpack_object *data)
{
    char id[32], d[16];
    const msgpack_object *already = sm_map_get(data, "already_erased");
    bool was = already && already->type == MSGPACK_OBJECT_BOOLEAN && already->via.boolean;
    printf("%s %s on %s: personal fields destroyed; the other services drop theirs on the "
           "event\n",
           cli_text(sm_map_get(data, "id"), id, sizeof id), was ? "was already erased" : "erased",
           cli_text(sm_map_get(data, "erased_on"), d, sizeof d));
}

/*  The export is a document: always JSON, whatever --json says. */
static void s_print_export(cli_t *cli, const msgpack_object *data)
{
    cli_print_json(data);
}

/*  Erasing cannot be undone: only with --yes. */
static int s_confirm_erase(cli_t *cli)
{
    if (cli_has(cli, "yes"))
        return 0;
    return cli_usage_error(cli, _("erasing destroys %s's name, e-mail, phone and postal code "
                                "in every service and cannot be undone; add --yes to go on"),
                           cli->pos[0]);
}

static const cli_opt_t s_yes[] = {{"yes", false, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .print = s_print_written,
     .example = "samenctl participant add \"Maria van den Heuvel\" --consent --email "
                "maria@example.nl --municipality Hilversum --birth-year 1984 --label "
                "foster_parent --target-group \"foster parents\" --channel O1\n"
                "samenctl participant add \"Sem de Boer\" --consent --birth-year 2007 --label "
                "youth --guardian \"Anja de Boer\" --guardian-consent-given 2020-01-06"},
    {.verb = "update",
     .print = s_print_written,
     .example = "samenctl participant update P12 --phone \"06 1234 5678\" --target-group youth"},
    {.verb = "show", .print = cli_fields, .example = "samenctl participant show P12"},
    {.verb = "list",
     .op = "participant.find",
     .summary = N_("The address file in ID order, a page at a time (erased records only with "
                "--status erased); takes the filters of participant find."),
     .print = s_print_list,
     .example = "samenctl participant list --status active --limit 100"},
    {.verb = "find",
     .print = s_print_list,
     .example = "samenctl participant find --target-group \"foster parents\" --municipality "
                "Huizen --consent yes"},
    {.verb = "withdraw", .print = s_print_written, .example = "samenctl participant withdraw P12"},
    {.verb = "erase",
     .opts = s_yes,
     .check = s_confirm_erase,
     .print = s_print_erased,
     .example = "samenctl participant erase P12 --yes"},
    {.verb = "review",
     .print = cli_print_review,
     .example = "samenctl participant review\nsamenctl participant review --reason no_contact "
                "--as-of 2020-09-01 --period 18m"},
    {.verb = "needs", .print = cli_print_needs, .example = "samenctl participant needs S31"},
    {.verb = "export",
     .print = s_print_export,
     .timeout_ms = 15000, /*  intake waits for the three other services */
     .example = "samenctl participant export P12 > P12.json"},
    {0}};

const cli_noun_t cli_noun_participant = {
    "participant", N_("the address file: people willing to take part (intake)"), s_verbs};
