/*  cli/status.c - samenctl status: the broker and each service at a glance. */
#include "../proto/mdp.h"
#include "cli.h"
#include "nouns.h"
#include <string.h>

static const char *s_services[] = {SM_SVC_INTAKE, SM_SVC_SCHEDULING, SM_SVC_REPORTING,
                                   SM_SVC_FINANCE, NULL};

/*  From broker status data, the entry for service name (or NULL). */
static const msgpack_object *s_broker_entry(const msgpack_object *bdata, const char *name)
{
    const msgpack_object *list = sm_map_get(bdata, "services");
    for (uint32_t i = 0; list && list->type == MSGPACK_OBJECT_ARRAY && i < list->via.array.size;
         i++)
        if (sm_obj_streq(sm_map_get(&list->via.array.ptr[i], "name"), name))
            return &list->via.array.ptr[i];
    return NULL;
}

static int s_status(cli_t *cli)
{
    sm_err_t e;
    sm_doc_t *breply = NULL, *infos[4] = {NULL};
    const msgpack_object *bdata = NULL;
    sm_buf_t req;
    sm_buf_init(&req);
    sm_request_pack(&req, "status", NULL, 0, NULL);
    breply = sm_client_request(cli->client, SM_SVC_BROKER, req.sbuf.data, req.sbuf.size,
                               cli->timeout_ms, 0, &e);
    sm_buf_free(&req);
    if (!breply) {
        if (cli->json)
            printf("{\"broker\": {\"up\": false, \"endpoint\": \"%s\"}}\n", cli->broker);
        else
            printf("broker      DOWN   %s (no answer within %d ms)\n", cli->broker,
                   cli->timeout_ms);
        return CLI_UNREACHABLE;
    }
    if (sm_reply_check(breply, &bdata, &e) != 0) {
        fprintf(stderr, "samenctl: broker status refused: %s\n", e.message);
        sm_doc_destroy(&breply);
        return CLI_REFUSED;
    }
    int down = 0;
    for (int i = 0; s_services[i]; i++) {
        const msgpack_object *be = s_broker_entry(bdata, s_services[i]);
        const msgpack_object *w = be ? sm_map_get(be, "workers") : NULL;
        if (!w || w->type != MSGPACK_OBJECT_POSITIVE_INTEGER || w->via.u64 == 0) {
            down++;
            continue;
        }
        infos[i] = sm_client_call(cli->client, s_services[i], "service.info", NULL, 0, NULL,
                                  cli->timeout_ms, 0, &e);
    }
    if (cli->json) {
        /*  {"broker": {...}, "services": {"intake": {...} | null}} */
        sm_buf_t out;
        sm_buf_init(&out);
        msgpack_pack_map(&out.pk, 2);
        sm_pack_str(&out.pk, "broker");
        sm_pack_obj(&out.pk, bdata);
        sm_pack_str(&out.pk, "services");
        msgpack_pack_map(&out.pk, 4);
        for (int i = 0; s_services[i]; i++) {
            const msgpack_object *d = NULL;
            sm_pack_str(&out.pk, s_services[i]);
            if (infos[i] && sm_reply_check(infos[i], &d, NULL) == 0 && d)
                sm_pack_obj(&out.pk, d);
            else
                msgpack_pack_nil(&out.pk);
        }
        sm_doc_t *doc = sm_doc_parse(out.sbuf.data, out.sbuf.size, NULL);
        if (doc)
            cli_print_json(sm_doc_root(doc));
        sm_doc_destroy(&doc);
        sm_buf_free(&out);
    } else {
        char t[64], u[64], r[64];
        printf("%-11s %-5s %7s %6s %9s %10s  %s\n", "SERVICE", "STATE", "WORKERS", "QUEUED",
               "LAST SEQ", "STORE", "VERSION");
        printf("%-11s %-5s %7s %6s %9s %10s  %s  (uptime %ss, routed %s)\n", "broker", "up", "-",
               "-", "-", "-", cli_text(sm_map_get(bdata, "version"), t, sizeof t),
               cli_text(sm_map_get(bdata, "uptime_s"), u, sizeof u),
               cli_text(sm_map_get(bdata, "requests_routed"), r, sizeof r));
        for (int i = 0; s_services[i]; i++) {
            const msgpack_object *be = s_broker_entry(bdata, s_services[i]), *d = NULL;
            char wk[32] = "0", q[32] = "0", seq[32] = "-", store[32] = "-", ver[32] = "-";
            if (be) {
                cli_text(sm_map_get(be, "workers"), wk, sizeof wk);
                cli_text(sm_map_get(be, "queued"), q, sizeof q);
            }
            bool up = infos[i] && sm_reply_check(infos[i], &d, NULL) == 0;
            if (up) {
                cli_text(sm_map_get(d, "last_seq"), seq, sizeof seq);
                const msgpack_object *sb = sm_map_get(d, "store_bytes");
                if (sb && sb->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
                    snprintf(store, sizeof store, "%.1f MiB",
                             (double)sb->via.u64 / (1024.0 * 1024.0));
                cli_text(sm_map_get(d, "version"), ver, sizeof ver);
            }
            printf("%-11s %-5s %7s %6s %9s %10s  %s\n", s_services[i], up ? "up" : "DOWN", wk, q,
                   seq, store, ver);
        }
    }
    for (int i = 0; i < 4; i++)
        sm_doc_destroy(&infos[i]);
    sm_doc_destroy(&breply);
    return down ? CLI_UNREACHABLE : CLI_OK;
}

static const cli_verb_t s_verbs[] = {
    {NULL, s_status, NULL, 0, 0, "status",
     "Show the broker and each service: up or down, workers, queued requests, last event seq, "
     "store size. Exits 3 when the broker or a service is down.",
     "samenctl status --json"},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL}};

const cli_noun_t cli_noun_status = {"status", "the broker and each service at a glance", s_verbs};
