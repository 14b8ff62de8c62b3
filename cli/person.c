/*  cli/person.c - samenctl person: the programme's own people (intake),
    who own themes, advice, grant applications and outcome items, and the
    handover when one of them leaves (common/owner.h). The verbs, flags and
    help come from intake's declarations; here is what a person reads back,
    and `person leave` waiting until every service has handed over. */
#include "cli.h"
#include "nouns.h"
#include <string.h>
#include <time.h>

static const cli_col_t s_cols[] = {{N_("ID"), "id", 't'},         {N_("NAME"), "name", 't'},
                                   {N_("ROLE"), "role", 't'},     {N_("ACTIVE"), "active", 't'},
                                   {N_("LEFT ON"), "left_on", 't'}, {N_("SUCCESSOR"), "successor", 't'},
                                   {N_("E-MAIL"), "email", 't'}};

static const cli_col_t s_handover_cols[] = {
    {N_("SERVICE"), "service", 't'}, {N_("ITEM"), "id", 't'},
    {N_("KIND"), "kind", 't'},       {N_("WAS"), "role", 't'},
    {N_("HANDED TO"), "to", 't'},    {N_("OWNER NOW"), "owner", 't'},
    {N_("DEPUTY NOW"), "deputy", 't'}};

/*  A write's reply (no name: it is kept for retries), in words. */
static void s_print_written(cli_t *cli, const msgpack_object *data)
{
    char id[32], role[48];
    cli_text(sm_map_get(data, "id"), id, sizeof id);
    cli_text(sm_map_get(data, "role"), role, sizeof role);
    if (strcmp(cli->verb, "add") == 0)
        printf(_("%1$s added (%2$s)\n"), id, role);
    else
        printf(_("%1$s changed (%2$s)\n"), id, role);
}

static void s_print_list(cli_t *cli, const msgpack_object *data)
{
    cli_table(cli, s_cols, (int)(sizeof s_cols / sizeof s_cols[0]), sm_map_get(data, "persons"));
    cli_print_next(cli, data);
}

void cli_print_owners(cli_t *cli, const msgpack_object *data)
{
    char id[32], owner[32], deputy[32];
    cli_text(sm_map_get(data, "id"), id, sizeof id);
    cli_text(sm_map_get(data, "owner"), owner, sizeof owner);
    cli_text(sm_map_get(data, "deputy"), deputy, sizeof deputy);
    /*  TRANSLATORS: an item's owner and deputy; "-" for none. */
    printf(_("%1$s: owner %2$s, deputy %3$s\n"), id, owner[0] ? owner : "-",
           deputy[0] ? deputy : "-");
}

/*  The samenctl command that gives an item of kind an owner. */
static const char *s_give_owner(const char *kind)
{
    return strcmp(kind, "theme") == 0     ? "theme update"
           : strcmp(kind, "advice") == 0  ? "advice assign"
           : strcmp(kind, "grant") == 0   ? "grant assign"
           : strcmp(kind, "outcome") == 0 ? "outcome update"
                                          : NULL;
}

/*  What was handed over, and what has no owner now, with how to give it
    one; which services have not reported yet. */
static void s_print_handover(cli_t *cli, const msgpack_object *data)
{
    char id[32], on[16], to[32];
    cli_text(sm_map_get(data, "person"), id, sizeof id);
    cli_text(sm_map_get(data, "left_on"), on, sizeof on);
    cli_text(sm_map_get(data, "successor"), to, sizeof to);
    if (to[0])
        printf(_("%1$s left on %2$s; what they had open went to %3$s.\n"), id, on, to);
    else
        printf(_("%1$s left on %2$s; what they had open went to each item's deputy.\n"), id, on);
    const msgpack_object *items = sm_map_get(data, "items");
    if (items && items->type == MSGPACK_OBJECT_ARRAY && items->via.array.size > 0)
        cli_table(cli, s_handover_cols,
                  (int)(sizeof s_handover_cols / sizeof s_handover_cols[0]), items);
    else
        printf("%s\n", _("They owned or deputised for nothing open: nothing was handed over."));
    const msgpack_object *orphans = sm_map_get(data, "without_owner");
    uint32_t n = orphans && orphans->type == MSGPACK_OBJECT_ARRAY ? orphans->via.array.size : 0;
    if (n > 0) {
        printf(Q_("\n%u item had no deputy and has no owner now; give it one:\n",
                  "\n%u items had no deputy and have no owner now; give each one:\n", n),
               n);
        for (uint32_t i = 0; items && items->type == MSGPACK_OBJECT_ARRAY &&
                             i < items->via.array.size;
             i++) {
            const msgpack_object *it = &items->via.array.ptr[i];
            const msgpack_object *owner = sm_map_get(it, "owner");
            char item[32], kind[32];
            cli_text(sm_map_get(it, "id"), item, sizeof item);
            cli_text(sm_map_get(it, "kind"), kind, sizeof kind);
            char role[16];
            if (strcmp(cli_text(sm_map_get(it, "role"), role, sizeof role), "owner") != 0 ||
                (owner && owner->type != MSGPACK_OBJECT_NIL))
                continue;
            const char *cmd = s_give_owner(kind);
            if (cmd)
                printf("  samenctl %s %s --owner W…\n", cmd, item);
            else
                printf("  %s (%s)\n", item, kind);
        }
    }
    const msgpack_object *waiting = sm_map_get(data, "waiting_for");
    if (waiting && waiting->type == MSGPACK_OBJECT_ARRAY && waiting->via.array.size > 0) {
        char list[128];
        cli_text(waiting, list, sizeof list);
        printf(_("\nNot handed over yet by: %1$s. samenctl person handover %2$s shows the "
                 "whole list once they have.\n"),
               list, id);
    }
}

/*  Sleep ms milliseconds. */
static void s_nap(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/*  person leave: the leave, then the handover as every service reports it,
    waited for up to --timeout (the services apply it from intake's event,
    usually within a second). Printed like person handover. */
static int s_leave(cli_t *cli)
{
    sm_buf_t args;
    sm_buf_init(&args);
    sm_doc_t *reply = NULL;
    const msgpack_object *data = NULL;
    int rc = cli_pack_op(cli, cli->decls[0], &args);
    if (rc == 0)
        rc = cli_request(cli, "intake", "person.leave", &args, true, &reply, &data);
    sm_buf_free(&args);
    if (rc != CLI_OK)
        return rc;
    char id[32];
    cli_text(sm_map_get(data, "person"), id, sizeof id);
    sm_doc_t *latest = NULL;
    for (long waited = 0; waited < cli->timeout_ms; waited += 100) {
        const msgpack_object *done = sm_map_get(data, "complete");
        if (done && done->type == MSGPACK_OBJECT_BOOLEAN && done->via.boolean)
            break;
        s_nap(100);
        sm_buf_t h;
        sm_buf_init(&h);
        msgpack_pack_map(&h.pk, 1);
        sm_pack_kv_str(&h.pk, "person", id);
        sm_doc_t *next = NULL;
        const msgpack_object *ndata = NULL;
        int hrc = cli_request(cli, "intake", "person.handover", &h, false, &next, &ndata);
        sm_buf_free(&h);
        if (hrc != CLI_OK)
            break; //  the leave is done; what is missing is said below
        sm_doc_destroy(&latest);
        latest = next;
        data = ndata;
    }
    if (cli->json)
        cli_print_json(data);
    else
        s_print_handover(cli, data);
    sm_doc_destroy(&latest);
    sm_doc_destroy(&reply);
    return CLI_OK;
}

static const cli_verb_t s_verbs[] = {
    {.verb = "add",
     .print = s_print_written,
     .example = "samenctl person add \"Jan de Vries\" --role projectleider --email "
                "j.devries@example.nl"},
    {.verb = "update",
     .print = s_print_written,
     .example = "samenctl person update W3 --role policy_officer"},
    {.verb = "show", .print = cli_fields, .example = "samenctl person show \"Jan de Vries\""},
    {.verb = "list", .print = s_print_list, .example = "samenctl person list --active"},
    {.verb = "leave",
     .fn = s_leave,
     .summary = N_("A person leaves: everything open they own goes to its deputy, or to the "
                   "successor named, in every service; lists what was handed over and what "
                   "has no owner now."),
     .example = "samenctl person leave \"Jan de Vries\" --handover-to \"Anna Smit\""},
    {.verb = "handover",
     .print = s_print_handover,
     .example = "samenctl person handover W3"},
    {0}};

const cli_noun_t cli_noun_person = {
    "person",
    N_("the programme's own people (project leaders, coordinator, policy officers), who own "
       "themes, advice, grants and outcomes"),
    s_verbs};
