/*  cli/participant.c - samenctl participant add|update|show|list|find|
    withdraw|erase|export: the address file (adresbestand) kept by intake. */
#include "cli.h"
#include "nouns.h"
#include <stdlib.h>
#include <string.h>

/*  The flags of add and update, and the request keys they become. Lists
    are repeatable flags: --target-group "foster parents" --target-group youth. */
static const char *const s_field_specs[] = {"email",
                                            "phone",
                                            "postal-code:postal_code:s",
                                            "municipality",
                                            "birth-year:birth_year:i",
                                            "label:labels:l",
                                            "target-group:target_groups:l",
                                            "theme:themes:l",
                                            "channel",
                                            "need:accessibility:l",
                                            "consent::b",
                                            "consent-for:consent_for:s",
                                            "consent-given:consent_given:s",
                                            "status",
                                            "force::b",
                                            "name",
                                            "newsletter::b",
                                            NULL};

static const cli_col_t s_cols[] = {{"ID", "id", 't'},
                                   {"NAME", "name", 't'},
                                   {"MUNICIPALITY", "municipality", 't'},
                                   {"STATUS", "status", 't'},
                                   {"CONSENT", "consent", 't'},
                                   {"AGE", "age_band", 't'},
                                   {"TARGET GROUPS", "target_groups", 't'},
                                   {"LABELS", "labels", 't'},
                                   {"CHANNEL", "channel", 't'}};

/* ==== Printing =========================================================== */

/*  Write replies carry the coarse view only (they are kept for retries);
    say what happened in words. */
static void s_print_written(cli_t *cli, const msgpack_object *data)
{
    char id[32], st[32], muni[32], age[16], groups[512];
    printf("%s %s (municipality %s, age band %s, target groups: %s)\n",
           cli_text(sm_map_get(data, "id"), id, sizeof id),
           cli_text(sm_map_get(data, "status"), st, sizeof st),
           cli_text(sm_map_get(data, "municipality"), muni, sizeof muni)[0] ? muni : "-",
           cli_text(sm_map_get(data, "age_band"), age, sizeof age),
           cli_text(sm_map_get(data, "target_groups"), groups, sizeof groups)[0] ? groups : "-");
}

/*  A record as "field value" lines. */
static void s_print_show(cli_t *cli, const msgpack_object *data)
{
    cli_fields(cli, data);
}

/*  A find result as a table, with a hint for the next page. */
static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    const msgpack_object *rows = sm_map_get(data, "participants");
    cli_table(cli, s_cols, (int)(sizeof s_cols / sizeof s_cols[0]), rows);
    const msgpack_object *next = sm_map_get(data, "next");
    if ((!cli->format || strcmp(cli->format, "text") == 0) && next &&
        next->type == MSGPACK_OBJECT_STR) {
        char n[32];
        printf("more: add --after %s for the next page\n", cli_text(next, n, sizeof n));
    }
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

/* ==== Verbs ============================================================== */

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
    if (!cli_has(cli, "consent"))
        return cli_usage_error(cli,
                               "participant add needs --consent: the address file only holds "
                               "people who agreed to be in it (say for what with --consent-for)");
    if (cli_has(cli, "name"))
        return cli_usage_error(cli, "give the name as the argument: participant add \"NAME\"");
    const char *extra[] = {"name", cli->pos[0], NULL};
    return s_send(cli, "participant.register", s_field_specs, extra, true, s_print_written);
}

static int s_update(cli_t *cli)
{
    const char *extra[] = {"participant", cli->pos[0], NULL};
    return s_send(cli, "participant.update", s_field_specs, extra, true, s_print_written);
}

static int s_show(cli_t *cli)
{
    const char *extra[] = {"participant", cli->pos[0], NULL};
    return s_send(cli, "participant.get", NULL, extra, false, s_print_show);
}

static const char *const s_find_specs[] = {"name",
                                           "target-group:target_group:s",
                                           "label",
                                           "municipality",
                                           "theme",
                                           "channel",
                                           "status",
                                           "email",
                                           "phone",
                                           "after",
                                           "limit::i",
                                           NULL};

static int s_find(cli_t *cli)
{
    //  --consent yes|no becomes a boolean; the rest are text.
    const char *consent = cli_flag(cli, "consent");
    if (consent && strcmp(consent, "yes") && strcmp(consent, "no"))
        return cli_usage_error(cli, "--consent takes yes or no, got \"%s\"", consent);
    sm_buf_t flags, args;
    sm_buf_init(&flags);
    sm_buf_init(&args);
    int rc = cli_pack_flags(cli, &flags, s_find_specs, NULL);
    if (rc == 0) {
        sm_doc_t *doc = sm_doc_parse(flags.sbuf.data, flags.sbuf.size, NULL);
        const msgpack_object *m = doc ? sm_doc_root(doc) : NULL;
        uint32_t n = m ? m->via.map.size : 0;
        msgpack_pack_map(&args.pk, n + (consent ? 1 : 0));
        for (uint32_t i = 0; i < n; i++) {
            sm_pack_obj(&args.pk, &m->via.map.ptr[i].key);
            sm_pack_obj(&args.pk, &m->via.map.ptr[i].val);
        }
        if (consent)
            sm_pack_kv_bool(&args.pk, "consent", strcmp(consent, "yes") == 0);
        sm_doc_destroy(&doc);
        rc = cli_run(cli, "intake", "participant.find", &args, false, s_print_list);
    }
    sm_buf_free(&flags);
    sm_buf_free(&args);
    return rc;
}

static int s_list(cli_t *cli)
{
    static const char *const specs[] = {"status", "after", "limit::i", NULL};
    return s_send(cli, "participant.find", specs, NULL, false, s_print_list);
}

static int s_withdraw(cli_t *cli)
{
    static const char *const specs[] = {"date", NULL};
    const char *extra[] = {"participant", cli->pos[0], NULL};
    return s_send(cli, "participant.withdraw", specs, extra, true, s_print_written);
}

static int s_erase(cli_t *cli)
{
    if (!cli_has(cli, "yes"))
        return cli_usage_error(cli, "erasing destroys %s's name, e-mail, phone and postal code "
                                    "in every service and cannot be undone; add --yes to go on",
                               cli->pos[0]);
    const char *extra[] = {"participant", cli->pos[0], NULL};
    return s_send(cli, "participant.erase", NULL, extra, true, s_print_erased);
}

static int s_export(cli_t *cli)
{
    //  The export is a document: always JSON, whatever --json says.
    const char *extra[] = {"participant", cli->pos[0], NULL};
    if (cli->timeout_ms < 15000)
        cli->timeout_ms = 15000; /*  intake waits for the three other services */
    return s_send(cli, "participant.export", NULL, extra, false, NULL);
}

/* ==== The noun =========================================================== */

static const cli_opt_t s_field_opts[] = {
    {"email", true, false},         {"phone", true, false},
    {"postal-code", true, false},   {"municipality", true, false},
    {"birth-year", true, false},    {"label", true, true},
    {"target-group", true, true},   {"theme", true, true},
    {"channel", true, false},       {"need", true, true},
    {"consent", false, false},      {"consent-for", true, false},
    {"consent-given", true, false}, {"status", true, false},
    {"force", false, false},        {"name", true, false},
    {"newsletter", false, false},   {NULL, 0, 0}};

static const cli_opt_t s_find_opts[] = {
    {"name", true, false},    {"target-group", true, false}, {"label", true, false},
    {"municipality", true, false}, {"theme", true, false},   {"channel", true, false},
    {"status", true, false},  {"email", true, false},        {"phone", true, false},
    {"consent", true, false}, {"after", true, false},        {"limit", true, false},
    {NULL, 0, 0}};

static const cli_opt_t s_list_opts[] = {
    {"status", true, false}, {"after", true, false}, {"limit", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_withdraw_opts[] = {{"date", true, false}, {NULL, 0, 0}};
static const cli_opt_t s_erase_opts[] = {{"yes", false, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {"add", s_add, s_field_opts, 1, 1,
     "participant add NAME --consent [--email E] [--phone T] [--postal-code PC] "
     "[--municipality M] [--birth-year Y] [--label L]... [--target-group G]... [--theme T4]... "
     "[--channel O3] [--need N]... [--consent-for TEXT] [--consent-given DATE] [--newsletter] "
     "[--force]",
     "Put someone who agreed to take part in the address file. Labels: resident, client, "
     "parent, youth, foster_parent, experience_expert, trained_experience_expert, carer, "
     "professional. Needs: transport, interpreter, easy_language, wheelchair, hearing_loop, "
     "sign_language. --newsletter: they also want the newsletter (a consent of its own; the "
     "link in every newsletter withdraws it). An e-mail address or phone number already in "
     "the file is refused (the holder is named) unless --force.",
     "samenctl participant add \"Maria van den Heuvel\" --consent --email maria@example.nl "
     "--municipality Hilversum --birth-year 1984 --label foster_parent --target-group \"foster "
     "parents\" --channel O1"},
    {"update", s_update, s_field_opts, 1, 1,
     "participant update ID [--name N] [--email E] ... (the flags of add)",
     "Change some fields; the others stay. An empty value clears an optional field "
     "(--postal-code \"\"); a list flag replaces the whole list.",
     "samenctl participant update P12 --phone \"06 1234 5678\" --target-group youth"},
    {"show", s_show, NULL, 1, 1, "participant show ID",
     "Everything the address file holds about one person.", "samenctl participant show P12"},
    {"list", s_list, s_list_opts, 0, 0, "participant list [--status S] [--limit N] [--after ID]",
     "The address file in ID order, a page at a time (erased records only with --status "
     "erased).",
     "samenctl participant list --status active --limit 100"},
    {"find", s_find, s_find_opts, 0, 0,
     "participant find [--name PART] [--target-group G] [--label L] [--municipality M] "
     "[--theme T4] [--channel O3] [--consent yes|no] [--status S] [--email E] [--phone T] "
     "[--limit N] [--after ID]",
     "Find people to invite: every filter given must hold. --name matches the start of any "
     "word of the name, accents ignored (\"mul\" finds Müller).",
     "samenctl participant find --target-group \"foster parents\" --municipality Huizen "
     "--consent yes"},
    {"withdraw", s_withdraw, s_withdraw_opts, 1, 1, "participant withdraw ID [--date DATE]",
     "The person withdrew their consent: no more invitations; scheduling takes them off "
     "sessions still to come. The record stays until erased.",
     "samenctl participant withdraw P12"},
    {"erase", s_erase, s_erase_opts, 1, 1, "participant erase ID --yes",
     "Right to be forgotten: destroy the name, e-mail, phone, postal code, birth year and "
     "needs in intake and tell every other service to drop what it holds about the ID. The ID "
     "and coarse attributes stay for the statistics. Erasing twice is fine.",
     "samenctl participant erase P12 --yes"},
    {"export", s_export, NULL, 1, 1, "participant export ID",
     "Right of access: everything samen holds about the person, from all four services, as "
     "one JSON document.",
     "samenctl participant export P12 > P12.json"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_participant = {
    "participant", "the address file: people willing to take part (intake)", s_verbs};
