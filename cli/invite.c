/*  cli/invite.c - samenctl invite list|mark: whom to invite to a session.

    The programmes' own complaint is "always the same people": the invite
    list can put first those who have never taken part. It holds only
    participants with consent, active, matching the session's target groups
    and municipalities, and not yet invited or registered.
*/
#include "cli.h"
#include "names.h"
#include "nouns.h"
#include <string.h>

static const cli_col_t s_cols[] = {{N_("PARTICIPANT"), "participant", 't'},
                                   {N_("MUNICIPALITY"), "municipality", 't'},
                                   {N_("TARGET GROUPS"), "target_groups", 't'},
                                   {N_("ATTENDED"), "times_attended", 't'},
                                   {N_("FIRST TIME"), "first_time", 't'}};

/*  Record the candidates of a listing as invited. Returns the exit code. */
static int s_mark(cli_t *cli, const char *session, const msgpack_object *candidates)
{
    uint32_t n = candidates && candidates->type == MSGPACK_OBJECT_ARRAY
                     ? candidates->via.array.size
                     : 0;
    if (n == 0)
        return CLI_OK;
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 2);
    sm_pack_kv_str(&args.pk, "session", session);
    sm_pack_str(&args.pk, "participants");
    msgpack_pack_array(&args.pk, n);
    for (uint32_t i = 0; i < n; i++)
        sm_pack_obj(&args.pk, sm_map_get(&candidates->via.array.ptr[i], "participant"));
    sm_doc_t *reply = NULL;
    const msgpack_object *data = NULL;
    int rc = cli_request(cli, "scheduling", "invite.mark", &args, true, &reply, &data);
    if (rc == CLI_OK) {
        char marked[16];
        fprintf(stderr, "marked %s as invited to %s\n",
                cli_text(sm_map_get(data, "marked"), marked, sizeof marked), session);
    }
    sm_doc_destroy(&reply);
    sm_buf_free(&args);
    return rc;
}

/*  invite list, and with --mark the listed ones recorded as invited.
    Returns the exit code. */
static int s_list(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    int rc = cli_pack_op(cli, cli->decls[0], &args);
    sm_doc_t *reply = NULL;
    const msgpack_object *data = NULL;
    if (rc == 0)
        rc = cli_request(cli, "scheduling", "invite.list", &args, false, &reply, &data);
    if (rc == CLI_OK) {
        const msgpack_object *rows = sm_map_get(data, "candidates");
        char session[24];
        if (cli->json)
            cli_print_json(data);
        else
            cli_names_table(cli, rows, s_cols, 5);
        if (cli_has(cli, "mark"))
            rc = s_mark(cli, cli_text(sm_map_get(data, "session"), session, sizeof session)[0]
                                 ? session
                                 : cli->pos[0],
                        rows);
    }
    sm_doc_destroy(&reply);
    sm_buf_free(&args);
    return rc;
}

/*  How many were marked, and how many already were. */
static void s_print_marked(cli_t *cli, const msgpack_object *data)
{
    char s[24], marked[16], already[16];
    printf("%s: marked %s as invited (%s already were)\n",
           cli_text(sm_map_get(data, "session"), s, sizeof s),
           cli_text(sm_map_get(data, "marked"), marked, sizeof marked),
           cli_text(sm_map_get(data, "already"), already, sizeof already));
}

static const cli_opt_t s_mark_opt[] = {{"mark", false, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "list",
     .fn = s_list,
     .opts = s_mark_opt,
     .summary = N_("Participants to invite to a session: active, with consent, in its target groups "
                "and municipalities (else the theme's), not yet invited or registered. "
                "--first-timers-first puts those who never took part first, then those who came "
                "least. --mark records the listed ones as invited, so the next list holds new "
                "people."),
     .example = "samenctl invite list S3 --first-timers-first --limit 20 --mark"},
    {.verb = "mark", .print = s_print_marked, .example = "samenctl invite mark S3 P4 P9 P12"},
    {0}};

const cli_noun_t cli_noun_invite = {"invite", N_("whom to invite to a session"), s_verbs};
