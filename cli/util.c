/*  cli/util.c - arguments and requests shared by samenctl commands. */
#include "cli.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ==== Arguments ========================================================= */

const char *cli_flag(cli_t *cli, const char *name)
{
    for (int i = 0; i < cli->nflags; i++)
        if (strcmp(cli->flag_name[i], name) == 0)
            return cli->flag_value[i] ? cli->flag_value[i] : "";
    return NULL;
}

bool cli_has(cli_t *cli, const char *name)
{
    return cli_flag(cli, name) != NULL;
}

int cli_flag_all(cli_t *cli, const char *name, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i < cli->nflags && n < max; i++)
        if (strcmp(cli->flag_name[i], name) == 0)
            out[n++] = cli->flag_value[i] ? cli->flag_value[i] : "";
    return n;
}

int cli_flag_add(cli_t *cli, const char *name, const char *value)
{
    if (cli->nflags == CLI_MAX_FLAGS)
        return -1;
    cli->flag_name[cli->nflags] = name;
    cli->flag_value[cli->nflags++] = value;
    return 0;
}

int cli_usage_error(cli_t *cli, const char *fmt, ...)
{
    //  The message may quote what was typed, which may hold anything.
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "samenctl: ");
    cli_put_safe(stderr, msg, strlen(msg), false);
    fputc('\n', stderr);
    fprintf(stderr, _("see: samenctl %s%s%s --help\n"), cli->noun ? cli->noun : "",
            cli->verb ? " " : "", cli->verb ? cli->verb : "");
    return CLI_USAGE;
}

/* ==== Requests ========================================================== */

int cli_rid(cli_t *cli, char *buf)
{
    //  A script's retry must reuse the ids of the run it repeats; numbering
    //  the writes keeps the ids of one run distinct from each other.
    const char *base = getenv("SAMEN_RID");
    if (!base || !*base) {
        sm_rid_new(buf);
        return 0;
    }
    size_t len = strlen(base);
    if (len > 20 || strspn(base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789-_.:") != len) {
        fputs(_("samenctl: SAMEN_RID must be 1 to 20 letters, digits or - _ . :\n"), stderr);
        return CLI_USAGE;
    }
    cli->writes++;
    snprintf(buf, 32, "%s.%d", base, cli->writes);
    return 0;
}

int cli_refused(const sm_err_t *e)
{
    //  The message and field come from a service, which may quote what a
    //  caller sent: escaped like everything else printed.
    fprintf(stderr, "samenctl: ");
    cli_put_safe(stderr, e->message, strlen(e->message), false);
    if (e->field[0]) {
        char field[200];
        fprintf(stderr, _(" (field: %s)"), cli_escape(e->field, strlen(e->field), false, field,
                                                      sizeof field));
    }
    fprintf(stderr, " [");
    cli_put_safe(stderr, e->code, strlen(e->code), false);
    fprintf(stderr, "]\n");
    return strcmp(e->code, SM_E_UNAVAILABLE) == 0 ? CLI_UNREACHABLE : CLI_REFUSED;
}

int cli_request(cli_t *cli, const char *service, const char *op, const sm_buf_t *args,
                bool write, sm_doc_t **reply, const msgpack_object **data)
{
    char rid[32];
    sm_err_t e;
    sm_err_clear(&e);
    *reply = NULL;
    if (write && cli_rid(cli, rid) != 0)
        return CLI_USAGE;
    *reply = sm_client_call(cli->client, service, op, args ? args->sbuf.data : NULL,
                            args ? args->sbuf.size : 0, write ? rid : NULL, cli->timeout_ms,
                            write ? 2 : 1, &e);
    if (!*reply) {
        fprintf(stderr, "samenctl: ");
        cli_put_safe(stderr, e.message, strlen(e.message), false);
        fputc('\n', stderr);
        return strcmp(e.code, SM_E_DEADLINE_EXCEEDED) == 0 ? CLI_UNREACHABLE : CLI_REFUSED;
    }
    if (sm_reply_check(*reply, data, &e) != 0) {
        if (cli->json)
            cli_print_json(sm_doc_root(*reply));
        sm_doc_destroy(reply);
        return cli_refused(&e);
    }
    return CLI_OK;
}

int cli_run(cli_t *cli, const char *service, const char *op, const sm_buf_t *args, bool write,
            cli_print_fn *print)
{
    sm_doc_t *reply = NULL;
    const msgpack_object *data = NULL;
    int rc = cli_request(cli, service, op, args, write, &reply, &data);
    if (rc != CLI_OK)
        return rc;
    static const msgpack_object nil = {.type = MSGPACK_OBJECT_NIL};
    if (!data)
        data = &nil;
    if (cli->json || !print)
        cli_print_json(data);
    else
        print(cli, data);
    sm_doc_destroy(&reply);
    return CLI_OK;
}
