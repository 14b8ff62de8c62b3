/*  cli/organisation.c - samenctl organisation add|update|show|list: client
    organisations, advisory councils, care providers, schools and
    associations where participants are recruited (intake). */
#include "cli.h"
#include "nouns.h"
#include <string.h>

static const char *const s_specs[] = {"name",
                                      "kind",
                                      "contact",
                                      "contact-email:contact_email:s",
                                      "contact-phone:contact_phone:s",
                                      "municipality",
                                      NULL};

static const cli_col_t s_cols[] = {{"ID", "id", 't'},
                                   {"NAME", "name", 't'},
                                   {"KIND", "kind", 't'},
                                   {"MUNICIPALITY", "municipality_name", 't'},
                                   {"CONTACT", "contact", 't'},
                                   {"RECRUITED", "participants_recruited", 't'}};

static const cli_col_t s_recruit_cols[] = {{"ID", "id", 't'},
                                           {"NAME", "name", 't'},
                                           {"MUNICIPALITY", "municipality", 't'},
                                           {"STATUS", "status", 't'},
                                           {"TARGET GROUPS", "target_groups", 't'}};

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
    const msgpack_object *next = sm_map_get(data, "next");
    if ((!cli->format || strcmp(cli->format, "text") == 0) && next &&
        next->type == MSGPACK_OBJECT_STR) {
        char n[32];
        printf("more: add --after %s for the next page\n", cli_text(next, n, sizeof n));
    }
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
    if (!cli_has(cli, "kind"))
        return cli_usage_error(cli, "organisation add needs --kind (client_organisation, "
                                    "advisory_council, care_provider, school, association, "
                                    "municipality or other)");
    static const char *const specs[] = {"kind",
                                        "contact",
                                        "contact-email:contact_email:s",
                                        "contact-phone:contact_phone:s",
                                        "municipality",
                                        NULL};
    const char *extra[] = {"name", cli->pos[0], NULL};
    return s_send(cli, "organisation.add", specs, extra, true, s_print_written);
}

static int s_update(cli_t *cli)
{
    const char *extra[] = {"organisation", cli->pos[0], NULL};
    return s_send(cli, "organisation.update", s_specs, extra, true, s_print_written);
}

/*  The organisation's fields, then the participants it recruited (first
    page, through participant.find). */
static int s_show(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "organisation", cli->pos[0]);
    sm_doc_t *reply = NULL;
    const msgpack_object *data = NULL;
    int rc = cli_request(cli, "intake", "organisation.get", &args, false, &reply, &data);
    sm_buf_free(&args);
    if (rc != CLI_OK)
        return rc;
    sm_buf_t fargs;
    sm_buf_init(&fargs);
    msgpack_pack_map(&fargs.pk, 2);
    sm_pack_kv_str(&fargs.pk, "channel", cli->pos[0]);
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
            const msgpack_object *next = sm_map_get(fdata, "next");
            if (next && next->type == MSGPACK_OBJECT_STR)
                printf("more: samenctl participant find --channel %s --after %.*s\n", cli->pos[0],
                       (int)next->via.str.size, next->via.str.ptr);
        }
    }
    sm_doc_destroy(&freply);
    sm_doc_destroy(&reply);
    return rc;
}

static int s_list(cli_t *cli)
{
    static const char *const specs[] = {"kind", "municipality", "after", "limit::i", NULL};
    return s_send(cli, "organisation.list", specs, NULL, false, s_print_list);
}

static const cli_opt_t s_add_opts[] = {{"kind", true, false},          {"contact", true, false},
                                       {"contact-email", true, false}, {"contact-phone", true, false},
                                       {"municipality", true, false},  {NULL, 0, 0}};
static const cli_opt_t s_update_opts[] = {
    {"name", true, false},          {"kind", true, false},          {"contact", true, false},
    {"contact-email", true, false}, {"contact-phone", true, false}, {"municipality", true, false},
    {NULL, 0, 0}};
static const cli_opt_t s_list_opts[] = {{"kind", true, false},
                                        {"municipality", true, false},
                                        {"after", true, false},
                                        {"limit", true, false},
                                        {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {"add", s_add, s_add_opts, 1, 1,
     "organisation add NAME --kind K [--contact NAME] [--contact-email E] [--contact-phone T] "
     "[--municipality M]",
     "Add an organisation participants are recruited through, or that sends advice. Kinds: "
     "client_organisation, advisory_council, care_provider, school, association, municipality, "
     "other.",
     "samenctl organisation add \"Adviesraad Sociaal Domein Huizen\" --kind advisory_council "
     "--municipality Huizen --contact \"J. de Vries\" --contact-email secretariaat@asd-huizen.nl"},
    {"update", s_update, s_update_opts, 1, 1,
     "organisation update ID [--name N] [--kind K] [--contact NAME] [--contact-email E] "
     "[--contact-phone T] [--municipality M]",
     "Change an organisation; an empty value clears an optional field.",
     "samenctl organisation update O3 --contact \"A. Bakker\" --contact-email a.bakker@example.nl"},
    {"show", s_show, NULL, 1, 1, "organisation show ID",
     "One organisation, and the participants recruited through it.",
     "samenctl organisation show O3"},
    {"list", s_list, s_list_opts, 0, 0,
     "organisation list [--kind K] [--municipality M] [--limit N] [--after ID]",
     "Organisations with the number of participants each recruited.",
     "samenctl organisation list --kind care_provider"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_organisation = {
    "organisation", "recruitment channels, advisory councils and other organisations (intake)",
    s_verbs};
