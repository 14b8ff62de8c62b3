/*  cli/organisation.c - samenctl organisation: client organisations,
    advisory councils, care providers, schools and associations where
    participants are recruited (intake). Verbs and flags come from intake's
    declarations; here is what a person reads back. */
#include "cli.h"
#include "nouns.h"
#include <string.h>

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},
                                   {N_("NAME"), "name", 't'},
                                   {N_("KIND"), "kind", 't'},
                                   {N_("MUNICIPALITY"), "municipality_name", 't'},
                                   {N_("CONTACT"), "contact", 't'},
                                   {N_("RECRUITED"), "participants_recruited", 't'}};

static const cli_col_t s_recruit_cols[] = {{N_("ID"), "id", 't'},
                                           {N_("NAME"), "name", 't'},
                                           {N_("MUNICIPALITY"), "municipality", 't'},
                                           {N_("STATUS"), "status", 't'},
                                           {N_("TARGET GROUPS"), "target_groups", 't'}};

/*  A write's reply in words. */
static void s_print_written(cli_t *cli, const msgpack_object *data)
{
    char id[32], name[800], kind[40];
    printf("%s %s (%s)\n", cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "name"), name, sizeof name),
           cli_text(sm_map_get(data, "kind"), kind, sizeof kind));
}

/*  The list as a table, with a hint for the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, (int)(sizeof s_cols / sizeof s_cols[0]),
              sm_map_get(data, "organisations"));
    cli_print_next(cli, data);
}

/*  The organisation's fields, then the participants it recruited (first
    page, through participant.find). Returns the exit code. */
static int s_show(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    sm_doc_t *reply = NULL;
    const msgpack_object *data = NULL;
    int rc = cli_pack_op(cli, cli->decls[0], &args);
    if (rc == 0)
        rc = cli_request(cli, "intake", "organisation.get", &args, false, &reply, &data);
    sm_buf_free(&args);
    if (rc != CLI_OK)
        return rc;
    char id[32];
    cli_text(sm_map_get(data, "id"), id, sizeof id);
    sm_buf_t fargs;
    sm_buf_init(&fargs);
    msgpack_pack_map(&fargs.pk, 2);
    sm_pack_kv_str(&fargs.pk, "channel", id);
    sm_pack_kv_uint(&fargs.pk, "limit", 100);
    sm_doc_t *freply = NULL;
    const msgpack_object *fdata = NULL;
    rc = cli_request(cli, "intake", "participant.find", &fargs, false, &freply, &fdata);
    sm_buf_free(&fargs);
    if (rc == CLI_OK) {
        if (cli->json) {
            printf("{\"organisation\": ");
            cli_print_json(data);
            printf(", \"recruited\": ");
            cli_print_json(sm_map_get(fdata, "participants"));
            printf("}\n");
        } else {
            cli_fields(cli, data);
            printf("\nrecruited through this organisation:\n");
            cli_table(cli, s_recruit_cols, (int)(sizeof s_recruit_cols / sizeof s_recruit_cols[0]),
                      sm_map_get(fdata, "participants"));
            char next[32];
            if (cli_text(sm_map_get(fdata, "next"), next, sizeof next)[0])
                printf("more: samenctl participant find --channel %s --after %s\n", id, next);
        }
    }
    sm_doc_destroy(&freply);
    sm_doc_destroy(&reply);
    return rc;
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .print = s_print_written,
     .example = "samenctl organisation add \"Adviesraad Sociaal Domein Huizen\" --kind "
                "advisory_council --municipality Huizen --contact \"J. de Vries\" "
                "--contact-email secretariaat@asd-huizen.nl"},
    {.verb = "update",
     .print = s_print_written,
     .example = "samenctl organisation update O3 --contact \"A. Bakker\" --contact-email "
                "a.bakker@example.nl"},
    {.verb = "show",
     .fn = s_show,
     .summary = N_("One organisation, and the participants recruited through it."),
     .example = "samenctl organisation show O3"},
    {.verb = "list", .print = s_print_list, .example = "samenctl organisation list --kind care_provider"},
    {0}};

const cli_noun_t cli_noun_organisation = {
    "organisation", N_("recruitment channels, advisory councils and other organisations (intake)"),
    s_verbs};
