/*  cli/call.c - samenctl call SERVICE OP [JSON-ARGS]: a raw request for admins. */
#include "common/json.h"
#include "cli.h"
#include "nouns.h"
#include <string.h>

static int s_call(cli_t *cli)
{
    const char *service = cli->pos[0], *op = cli->pos[1];
    sm_buf_t args;
    sm_err_t e;
    sm_buf_init(&args);
    if (cli->npos > 2) {
        if (sm_json_to_msgpack(cli->pos[2], &args.pk, "JSON-ARGS", &e) != 0) {
            sm_buf_free(&args);
            return cli_usage_error(cli, "%s", e.message);
        }
        if (cli->pos[2][strspn(cli->pos[2], " \t\n")] != '{') {
            sm_buf_free(&args);
            return cli_usage_error(cli, _("JSON-ARGS must be a JSON object, e.g. '{\"after\": 0}'"));
        }
    }
    //  Any op may be a write: every call carries a request id, numbered
    //  from $SAMEN_RID when set so that a script's re-run is applied once.
    char rid[32];
    if (cli_rid(cli, rid) != 0) {
        sm_buf_free(&args);
        return CLI_USAGE;
    }
    sm_doc_t *reply = sm_client_call(cli->client, service, op, args.sbuf.size ? args.sbuf.data : NULL,
                                     args.sbuf.size, rid, cli->timeout_ms, 2, &e);
    sm_buf_free(&args);
    if (!reply) {
        cli_refused(&e);
        return CLI_UNREACHABLE;
    }
    const msgpack_object *data = NULL;
    int rc = CLI_OK;
    if (sm_reply_check(reply, &data, &e) != 0) {
        rc = cli_refused(&e);
        if (cli->json)
            cli_print_json(sm_doc_root(reply));
    } else if (cli->json)
        cli_print_json(sm_doc_root(reply));
    else {
        static const msgpack_object nil = {.type = MSGPACK_OBJECT_NIL};
        cli_print_json(data ? data : &nil);
    }
    sm_doc_destroy(&reply);
    return rc;
}

static const cli_verb_t s_verbs[] = {
    {.fn = s_call,
     .min_pos = 2,
     .max_pos = 3,
     .usage = "call SERVICE OP [JSON-ARGS]",
     .summary = N_("Send one raw request (op and JSON args, converted to MessagePack) and print the reply's "
         "data as JSON (--json: the whole reply). The request carries a fresh request id (or "
         "$SAMEN_RID.1 when SAMEN_RID is set) and is retried with it on timeout, so a write is "
         "applied at most once."),
     .example = "samenctl call intake events.read '{\"after\": 0, \"limit\": 5}'"},
    {0}};

const cli_noun_t cli_noun_call = {"call", N_("send a raw request to a service (admins)"), s_verbs};
