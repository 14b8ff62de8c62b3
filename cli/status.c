/*  cli/status.c - samenctl status: the broker and each service at a glance. */
#include "proto/mdp.h"
#include "cli.h"
#include "common/evlog.h"
#include "common/i18n.h"
#include "nouns.h"
#include <czmq.h>
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

/*  A halted follower's reason code (common/evlog.h) in words. */
static const char *s_halt_words(const char *code)
{
    if (strcmp(code, SM_FOLLOW_NEW_EPOCH) == 0)
        return _("it was restored from a backup (a new event epoch)");
    if (strcmp(code, SM_FOLLOW_OTHER_STORE) == 0)
        return _("it now runs on another store");
    if (strcmp(code, SM_FOLLOW_BEHIND) == 0)
        return _("its event log ends before what was already applied");
    return code;
}

/*  When service.info's data d lists a producer in following_halted, say
    so in reason (the row is then not up) and return true. */
static bool s_halted(const msgpack_object *d, char *reason, size_t size)
{
    const msgpack_object *h = sm_map_get(d, "following_halted");
    if (!h || h->type != MSGPACK_OBJECT_MAP || h->via.map.size == 0)
        return false;
    char producer[32], code[32];
    cli_text(&h->via.map.ptr[0].key, producer, sizeof producer);
    cli_text(&h->via.map.ptr[0].val, code, sizeof code);
    /* TRANSLATORS: samenctl status, a service that stopped applying another's
       events; the first %s is that service (intake), the second why. */
    snprintf(reason, size,
             _("stopped following %s: %s; see samenctl follow resync (docs: restoring a "
               "backup)"),
             producer, s_halt_words(code));
    return true;
}

/*  How long each service has to answer service.info: short, so that a
    service that is cut off or hung shows as down within seconds, whatever
    the broker still lists. */
#define S_PROBE_MS 2000

typedef struct {
    sm_client_t *client;
    sm_doc_t *reply;
    const msgpack_object *info; /*  service.info's data when it answered */
    char reason[640];           /*  why it is down; "" when up */
    bool halted;                /*  it answers, but stopped following a service */
} s_probe_t;

/*  Ask every service for service.info at once, each on a client of its
    own, and wait at most timeout_ms for all. Fills probes[i]. */
static void s_probe(cli_t *cli, s_probe_t *probes, int timeout_ms)
{
    sm_buf_t req;
    sm_buf_init(&req);
    sm_request_pack(&req, "service.info", NULL, 0, NULL);
    zmq_pollitem_t items[4];
    int n = 0;
    for (int i = 0; s_services[i]; i++, n++) {
        sm_err_t e;
        sm_err_clear(&e);
        /*  Through the broker that answered `broker status` (of a pair,
            the one that is up). */
        probes[i].client =
            sm_client_new(cli->zctx, sm_client_endpoint(cli->client), 0, &cli->sec, &e);
        items[i] = (zmq_pollitem_t){probes[i].client ? sm_client_socket(probes[i].client) : NULL,
                                    0, 0, 0};
        if (!probes[i].client || sm_client_send(probes[i].client, s_services[i], req.sbuf.data,
                                                req.sbuf.size) != 0)
            snprintf(probes[i].reason, sizeof probes[i].reason, "the request could not be sent");
        else
            items[i].events = ZMQ_POLLIN;
    }
    sm_buf_free(&req);
    int64_t deadline = zclock_mono() + timeout_ms;
    for (;;) {
        int waiting = 0;
        for (int i = 0; i < n; i++)
            waiting += items[i].events != 0;
        int64_t left = deadline - zclock_mono();
        if (!waiting || left <= 0 || zmq_poll(items, n, (long)left) < 0)
            break;
        for (int i = 0; i < n; i++) {
            if (!(items[i].revents & ZMQ_POLLIN))
                continue;
            sm_err_t e;
            sm_err_clear(&e);
            sm_doc_t *doc = sm_client_recv(probes[i].client, &e);
            if (!doc)
                continue; /*  not a FINAL yet */
            items[i].events = 0;
            probes[i].reply = doc;
            if (sm_reply_check(doc, &probes[i].info, &e) != 0 || !probes[i].info) {
                probes[i].info = NULL;
                snprintf(probes[i].reason, sizeof probes[i].reason, "service.info refused: %.400s",
                         e.message);
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (items[i].events)
            snprintf(probes[i].reason, sizeof probes[i].reason,
                     "no answer to service.info within %d ms", timeout_ms);
}

static int s_status(cli_t *cli)
{
    sm_err_t e;
    sm_doc_t *breply = NULL;
    s_probe_t probes[4];
    memset(probes, 0, sizeof probes);
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
        cli_refused(&e);
        sm_doc_destroy(&breply);
        return CLI_REFUSED;
    }
    /*  A service is up when it answers, not when the broker lists it: a
        worker whose host was cut off stays listed until it expires. */
    s_probe(cli, probes, cli->timeout_ms < S_PROBE_MS ? cli->timeout_ms : S_PROBE_MS);
    int down = 0;
    for (int i = 0; s_services[i]; i++) {
        const msgpack_object *be = s_broker_entry(bdata, s_services[i]);
        const msgpack_object *w = be ? sm_map_get(be, "workers") : NULL;
        bool listed = w && w->type == MSGPACK_OBJECT_POSITIVE_INTEGER && w->via.u64 > 0;
        if (!probes[i].info) {
            down++;
            char why[600];
            snprintf(why, sizeof why, "%s", probes[i].reason);
            snprintf(probes[i].reason, sizeof probes[i].reason, "%.560s%s", why,
                     listed ? " (the broker still lists its workers)"
                            : " (no workers registered with the broker)");
        } else if (s_halted(probes[i].info, probes[i].reason, sizeof probes[i].reason)) {
            down++;
            probes[i].halted = true;
        }
    }
    if (cli->json) {
        /*  {"broker": {...}, "services": {"intake": {"up": bool, "reason":
            text|null, "broker_workers": n, ...service.info's fields}}} */
        sm_buf_t out;
        sm_buf_init(&out);
        msgpack_pack_map(&out.pk, 2);
        sm_pack_str(&out.pk, "broker");
        sm_pack_obj(&out.pk, bdata);
        sm_pack_str(&out.pk, "services");
        msgpack_pack_map(&out.pk, 4);
        for (int i = 0; s_services[i]; i++) {
            const msgpack_object *d = probes[i].info;
            const msgpack_object *be = s_broker_entry(bdata, s_services[i]);
            const msgpack_object *w = be ? sm_map_get(be, "workers") : NULL;
            uint32_t extra = d && d->type == MSGPACK_OBJECT_MAP ? d->via.map.size : 0;
            sm_pack_str(&out.pk, s_services[i]);
            msgpack_pack_map(&out.pk, 3 + extra);
            bool up = d && !probes[i].halted;
            sm_pack_kv_bool(&out.pk, "up", up);
            sm_pack_kv_str(&out.pk, "reason", up ? NULL : probes[i].reason);
            sm_pack_kv_uint(&out.pk, "broker_workers",
                            w && w->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? w->via.u64 : 0);
            for (uint32_t k = 0; k < extra; k++) {
                sm_pack_obj(&out.pk, &d->via.map.ptr[k].key);
                sm_pack_obj(&out.pk, &d->via.map.ptr[k].val);
            }
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
            const msgpack_object *be = s_broker_entry(bdata, s_services[i]), *d = probes[i].info;
            char wk[32] = "0", q[32] = "0", seq[32] = "-", store[32] = "-", ver[32] = "-";
            if (be) {
                cli_text(sm_map_get(be, "workers"), wk, sizeof wk);
                cli_text(sm_map_get(be, "queued"), q, sizeof q);
            }
            if (d) {
                cli_text(sm_map_get(d, "last_seq"), seq, sizeof seq);
                const msgpack_object *sb = sm_map_get(d, "store_bytes");
                if (sb && sb->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
                    snprintf(store, sizeof store, "%.1f MiB",
                             (double)sb->via.u64 / (1024.0 * 1024.0));
                cli_text(sm_map_get(d, "version"), ver, sizeof ver);
            }
            char why[1400];
            cli_escape(probes[i].reason, strlen(probes[i].reason), false, why, sizeof why);
            bool up = d && !probes[i].halted;
            printf("%-11s %-5s %7s %6s %9s %10s  %s\n", s_services[i],
                   up ? "up" : d ? "HALT" : "DOWN", wk, q, seq, store, up ? ver : why);
        }
    }
    for (int i = 0; i < 4; i++) {
        sm_doc_destroy(&probes[i].reply);
        sm_client_destroy(&probes[i].client);
    }
    sm_doc_destroy(&breply);
    return down ? CLI_UNREACHABLE : CLI_OK;
}

static const cli_verb_t s_verbs[] = {
    {.fn = s_status,
     .usage = "status",
     .summary = N_("Show the broker and each service: up or down, workers, queued requests, last event seq, "
         "store size. A service is up only when it answers service.info within 2 s, whatever the "
         "broker lists; a down row says why (--json: \"reason\"). A service that stopped following "
         "another (that one was restored from a backup) shows HALT with the reason. Exits 3 when the broker or any "
         "service is not up."),
     .example = "samenctl status --json"},
    {0}};

const cli_noun_t cli_noun_status = {"status", N_("the broker and each service at a glance"), s_verbs};
