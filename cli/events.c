/*  cli/events.c - samenctl events tail: backfill from the services' logs,
    then follow live, without gaps or duplicates.

    Per service a cursor (last seq shown). Live events come through the
    broker's XPUB; an event at cursor+1 is shown, one at or below the cursor
    is a duplicate and skipped, one beyond cursor+1 reveals a gap, which is
    filled from the service's log with events.read before going on. The
    logs are also polled every two seconds, so that events lost while the
    broker restarted show up even when nothing follows them.
*/
#include "common/json.h"
#include "common/date.h"
#include "common/endpoints.h"
#include "proto/mdp.h"
#include "cli.h"
#include "nouns.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static const char *s_all[] = {SM_SVC_INTAKE, SM_SVC_SCHEDULING, SM_SVC_REPORTING, SM_SVC_FINANCE,
                              NULL};

/*  Ctrl-C ends the tail; a signal handler may only set a sig_atomic_t. */
static volatile sig_atomic_t s_stop = 0;
static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

typedef struct {
    const char *name;
    uint64_t cursor;
    bool active;
} tail_svc_t;

typedef struct {
    cli_t *cli;
    tail_svc_t svc[4];
    const char *topic;
    long remaining; /*  --count: stop after this many shown; <0 unbounded */
} tail_t;

static void s_show(tail_t *t, tail_svc_t *s, const msgpack_object *ev)
{
    char type[128] = "";
    sm_get_str(ev, "type", false, type, sizeof type, false, NULL);
    if (t->topic && strncmp(type, t->topic, strlen(t->topic)) != 0)
        return;
    if (t->cli->json)
        cli_print_json_as(ev, false);
    else {
        uint64_t seq = 0;
        int64_t ts = 0;
        char when[24] = "", *data = NULL;
        sm_get_uint(ev, "seq", false, UINT64_MAX, &seq, NULL);
        sm_get_int(ev, "ts", false, 0, INT64_MAX, &ts, NULL);
        sm_datetime_format_utc(ts, when);
        const msgpack_object *d = sm_map_get(ev, "data");
        data = d ? sm_msgpack_to_json(d, false) : strdup("{}");
        char shown[600];
        printf("%s %s:%llu %s ", when, s->name, (unsigned long long)seq,
               cli_escape(type, strlen(type), false, shown, sizeof shown));
        cli_put_safe(stdout, data ? data : "", data ? strlen(data) : 0, false);
        putchar('\n');
        free(data);
    }
    fflush(stdout);
    if (t->remaining > 0 && --t->remaining == 0)
        s_stop = 1;
}

/*  Show stored events of s after its cursor until caught up.
    Returns 0, or -1 when the service cannot be reached. */
static int s_backfill(tail_t *t, tail_svc_t *s)
{
    /*  Ask MMI first: a service without workers would otherwise cost the
        broker's whole request expiry. */
    if (sm_client_mmi(t->cli->client, s->name, t->cli->timeout_ms, NULL) != 200)
        return -1;
    while (!s_stop) {
        sm_buf_t args;
        sm_buf_init(&args);
        msgpack_pack_map(&args.pk, 2);
        sm_pack_kv_uint(&args.pk, "after", s->cursor);
        sm_pack_kv_uint(&args.pk, "limit", 500);
        sm_doc_t *reply = NULL;
        sm_err_t e;
        reply = sm_client_call(t->cli->client, s->name, "events.read", args.sbuf.data,
                               args.sbuf.size, NULL, t->cli->timeout_ms, 0, &e);
        sm_buf_free(&args);
        const msgpack_object *data = NULL;
        if (!reply || sm_reply_check(reply, &data, &e) != 0) {
            sm_doc_destroy(&reply);
            return -1;
        }
        const msgpack_object *evs = sm_map_get(data, "events");
        uint32_t n = evs && evs->type == MSGPACK_OBJECT_ARRAY ? evs->via.array.size : 0;
        for (uint32_t i = 0; i < n && !s_stop; i++) {
            uint64_t seq = 0;
            sm_get_uint(&evs->via.array.ptr[i], "seq", false, UINT64_MAX, &seq, NULL);
            if (seq == s->cursor + 1) {
                s->cursor = seq;
                s_show(t, s, &evs->via.array.ptr[i]);
            }
        }
        uint64_t last = 0;
        sm_get_uint(data, "last_seq", false, UINT64_MAX, &last, NULL);
        sm_doc_destroy(&reply);
        if (n == 0 || s->cursor >= last)
            return 0;
    }
    return 0;
}

static int64_t s_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*  The XPUB endpoint of one broker derived from its request endpoint b,
    by the layout of the default settings: the tcp port + 2, or
    "events-out" beside an ipc endpoint. */
static void s_events_derive(const char *b, char *out, size_t size)
{
    const char *colon = strrchr(b, ':');
    if (strncmp(b, "tcp://", 6) == 0 && colon && colon > b + 5) {
        int port = atoi(colon + 1);
        snprintf(out, size, "%.*s:%d", (int)(colon - b), b, port + 2);
    } else if (strncmp(b, "ipc://", 6) == 0) {
        const char *slash = strrchr(b, '/');
        snprintf(out, size, "%.*s/events-out", (int)(slash - b), b);
    } else
        snprintf(out, size, "%s", b);
}

/*  The XPUB endpoints (one per broker of a pair), and where they came
    from: --events, $SAMEN_EVENTS, broker/events_out in the config file
    (main.c took those); else derived from each broker's endpoint. Returns
    the origin, or NULL with err for a list that is not one. */
static const char *s_events_endpoints(cli_t *cli, sm_endpoints_t *out, sm_err_t *err)
{
    if (cli->events)
        return sm_endpoints_parse("--events", cli->events, out, err) == 0 ? cli->events_from
                                                                           : NULL;
    sm_endpoints_t brokers;
    if (sm_endpoints_parse("--broker", cli->broker, &brokers, err) != 0)
        return NULL;
    out->n = brokers.n;
    for (int i = 0; i < brokers.n; i++)
        s_events_derive(brokers.ep[i], out->ep[i], sizeof out->ep[i]);
    return _("the broker's endpoint (no --events, $SAMEN_EVENTS or broker/events_out)");
}

static int s_tail(cli_t *cli)
{
    tail_t t;
    memset(&t, 0, sizeof t);
    t.cli = cli;
    t.topic = cli_flag(cli, "topic");
    t.remaining = -1;
    const char *count = cli_flag(cli, "count");
    if (count) {
        char *end;
        t.remaining = strtol(count, &end, 10);
        if (*end || t.remaining < 1)
            return cli_usage_error(cli, _("--count takes a whole number from 1, got \"%s\""), count);
    }
    long last_n = 10;
    const char *ln = cli_flag(cli, "last");
    if (ln) {
        char *end;
        last_n = strtol(ln, &end, 10);
        if (*end || last_n < 0)
            return cli_usage_error(cli, _("--last takes a whole number from 0, got \"%s\""), ln);
    }
    for (int i = 0; s_all[i]; i++) {
        t.svc[i].name = s_all[i];
        /*  A topic prefix names its service: follow only that one. */
        size_t sl = strlen(s_all[i]);
        t.svc[i].active = !t.topic || !strchr(t.topic, '.') ||
                          (strncmp(t.topic, s_all[i], sl) == 0 && t.topic[sl] == '.');
        if (t.topic && !strchr(t.topic, '.'))
            t.svc[i].active = strncmp(s_all[i], t.topic, strlen(t.topic)) == 0;
    }
    /*  Starting points: --from SERVICE:SEQ (repeatable; "all:SEQ"), else the
        last N events of each service. */
    const char *froms[8];
    int nfrom = cli_flag_all(cli, "from", froms, 8);
    bool given[4] = {false};
    for (int f = 0; f < nfrom; f++) {
        const char *c = strchr(froms[f], ':');
        char *end;
        unsigned long long seq = c ? strtoull(c + 1, &end, 10) : 0;
        if (!c || !c[1] || *end)
            return cli_usage_error(cli, _("--from takes SERVICE:SEQ (e.g. intake:0 or all:0), got \"%s\""),
                                   froms[f]);
        int hit = 0;
        for (int i = 0; s_all[i]; i++)
            if ((size_t)(c - froms[f]) == strlen(s_all[i]) ? strncmp(froms[f], s_all[i], strlen(s_all[i])) == 0
                                                          : strncmp(froms[f], "all:", 4) == 0) {
                t.svc[i].cursor = seq;
                given[i] = true;
                hit = 1;
            }
        if (!hit)
            return cli_usage_error(cli, _("--from: unknown service in \"%s\"; give intake, "
                                        "scheduling, reporting, finance or all"), froms[f]);
    }
    sm_endpoints_t eps;
    sm_err_t ee;
    const char *from = s_events_endpoints(cli, &eps, &ee);
    if (!from)
        return cli_usage_error(cli, "%s", ee.message);
    void *sub = zmq_socket(cli->zctx, ZMQ_SUB);
    int linger = 0;
    zmq_setsockopt(sub, ZMQ_LINGER, &linger, sizeof linger);
    sm_link_heartbeat(sub, sm_client_link(cli->client));
    for (int i = 0; i < 4; i++)
        if (t.svc[i].active) {
            char prefix[40];
            snprintf(prefix, sizeof prefix, "%s.", s_all[i]);
            zmq_setsockopt(sub, ZMQ_SUBSCRIBE, prefix, strlen(prefix));
        }
    /*  With a broker pair the SUB socket listens to both: every event
        arrives twice, and the cursor shows it once. */
    if (sm_security_apply(&cli->sec, sub) != 0) {
        zmq_close(sub);
        return cli_usage_error(cli, _("cannot connect to the events endpoint \"%s\" (from %s); give "
                                    "--events EP"),
                               eps.ep[0], from);
    }
    for (int i = 0; i < eps.n; i++)
        if (zmq_connect(sub, eps.ep[i]) != 0) {
            zmq_close(sub);
            return cli_usage_error(cli, _("cannot connect to the events endpoint \"%s\" (from %s); give "
                                        "--events EP"),
                                   eps.ep[i], from);
        }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /*  Subscribed first, so that nothing published during the backfill is
        missed: it is either in the log read or in the socket's queue. */
    int reachable = 0;
    for (int i = 0; i < 4; i++) {
        if (!t.svc[i].active)
            continue;
        if (sm_client_mmi(cli->client, s_all[i], cli->timeout_ms, NULL) != 200) {
            fprintf(stderr, _("samenctl: %s is not answering; following it live only\n"), s_all[i]);
            continue;
        }
        if (!given[i]) {
            sm_err_t e;
            sm_doc_t *r = sm_client_call(cli->client, s_all[i], "service.info", NULL, 0, NULL,
                                         cli->timeout_ms, 0, &e);
            const msgpack_object *d = NULL;
            uint64_t last = 0;
            if (r && sm_reply_check(r, &d, NULL) == 0)
                sm_get_uint(d, "last_seq", false, UINT64_MAX, &last, NULL);
            sm_doc_destroy(&r);
            t.svc[i].cursor = last > (uint64_t)last_n ? last - (uint64_t)last_n : 0;
        }
        if (s_backfill(&t, &t.svc[i]) == 0)
            reachable++;
        else
            fprintf(stderr, _("samenctl: %s is not answering; following it live only\n"), s_all[i]);
    }
    if (!reachable) {
        fprintf(stderr, _("samenctl: no service answered through %s\n"), cli->broker);
        zmq_close(sub);
        return CLI_UNREACHABLE;
    }
    bool follow = !cli_has(cli, "no-follow");
    int64_t next_poll = s_ms() + 2000;
    while (follow && !s_stop) {
        zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
        int rc = zmq_poll(&item, 1, 250);
        if (rc > 0) {
            zmq_msg_t topic, body;
            zmq_msg_init(&topic);
            zmq_msg_init(&body);
            if (zmq_msg_recv(&topic, sub, 0) >= 0 && zmq_msg_more(&topic) &&
                zmq_msg_recv(&body, sub, 0) >= 0) {
                const char *tp = zmq_msg_data(&topic);
                size_t tl = zmq_msg_size(&topic);
                for (int i = 0; i < 4; i++) {
                    size_t sl = strlen(s_all[i]);
                    if (!t.svc[i].active || tl <= sl || memcmp(tp, s_all[i], sl) || tp[sl] != '.')
                        continue;
                    sm_doc_t *doc = sm_doc_parse(zmq_msg_data(&body), zmq_msg_size(&body), NULL);
                    uint64_t seq = 0;
                    if (doc)
                        sm_get_uint(sm_doc_root(doc), "seq", false, UINT64_MAX, &seq, NULL);
                    if (doc && seq == t.svc[i].cursor + 1) {
                        t.svc[i].cursor = seq;
                        s_show(&t, &t.svc[i], sm_doc_root(doc));
                    } else if (doc && seq > t.svc[i].cursor + 1)
                        s_backfill(&t, &t.svc[i]); /*  a gap: the log fills it */
                    sm_doc_destroy(&doc);
                }
            }
            zmq_msg_close(&topic);
            zmq_msg_close(&body);
        }
        if (s_ms() >= next_poll) {
            for (int i = 0; i < 4 && !s_stop; i++)
                if (t.svc[i].active)
                    s_backfill(&t, &t.svc[i]);
            next_poll = s_ms() + 2000;
        }
    }
    zmq_close(sub);
    return CLI_OK;
}

static const cli_opt_t s_tail_opts[] = {{"topic", true, false},  {"from", true, true},
                                        {"last", true, false},   {"count", true, false},
                                        {"no-follow", false, false}, {NULL, 0, 0}};

static const cli_verb_t s_verbs[] = {
    {.verb = "tail",
     .fn = s_tail,
     .opts = s_tail_opts,
     .usage = "events tail [--topic PREFIX] [--from SERVICE:SEQ] [--last N] [--count N] [--no-follow] [--json]",
     .summary = N_("Print events as they happen: first the stored ones (the last N per service, default 10, or "
         "all after SEQ with --from, repeatable, 'all:0' for everything), then live ones, in order, "
         "without gaps or duplicates (gaps are filled from the services' logs). --count stops after "
         "N events; --no-follow stops after the backfill; --json prints one JSON object per line. "
         "The events come from the broker's XPUB endpoint: --events EP, else $SAMEN_EVENTS, "
         "else broker/events_out in the config file (--config, $SAMEN_CONFIG, "
         "/etc/samen/samen.cfg), else the layout of the default settings (the broker's port + "
         "2 for tcp, events-out beside an ipc broker)."),
     .example = "samenctl events tail --topic scheduling.session --from scheduling:0"},
    {0}};

const cli_noun_t cli_noun_events = {"events", N_("follow the services' events"), s_verbs};
