/*  services/site/follow.c - following the services' events. See follow.h. */
#include "services/site/follow.h"
#include "common/endpoints.h"
#include "common/i18n.h"
#include "common/log.h"
#include "services/site/calls.h"
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

/*  Events asked for per events.read, and live events taken per call. */
#define S_PAGE 1000
#define S_LIVE_MAX 1000

struct _site_follow_t {
    sm_client_t *client;
    void *sub;
    site_cursor_t cursors[SITE_FOLLOWED];
    bool gap;
    int timeout_ms;
};

bool site_event_relevant(const char *type)
{
    //  A deny list: a type added later makes a build until it is known
    //  to change nothing the site shows.
    static const char *const s_quiet[] = {"reporting.report.drafted",
                                          "reporting.report.sent",
                                          "reporting.outcome.assigned",
                                          "scheduling.theme.assigned",
                                          "reporting.decision.added",
                                          "reporting.yardstick.recorded",
                                          NULL};
    for (int i = 0; s_quiet[i]; i++)
        if (strcmp(type, s_quiet[i]) == 0)
            return false;
    return true;
}

site_follow_t *site_follow_new(void *zctx, sm_client_t *client, const sm_security_t *sec,
                               const char *events_out,
                               const site_cursor_t cursors[SITE_FOLLOWED], int timeout_ms,
                               sm_err_t *err)
{
    site_follow_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->client = client;
    self->timeout_ms = timeout_ms;
    memcpy(self->cursors, cursors, sizeof self->cursors);
    int linger = 0;
    self->sub = zmq_socket(zctx, ZMQ_SUB);
    if (!self->sub)
        goto fail;
    zmq_setsockopt(self->sub, ZMQ_LINGER, &linger, sizeof linger);
    sm_link_heartbeat(self->sub, sm_client_link(client));
    //  Subscribe before the first backfill (PROTOCOL.md §3), so that no
    //  event falls between the two.
    for (int i = 0; i < SITE_FOLLOWED; i++) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s.", site_followed[i]);
        zmq_setsockopt(self->sub, ZMQ_SUBSCRIBE, prefix, strlen(prefix));
    }
    //  A broker pair (PROTOCOL.md §9): listen to both; each event then
    //  comes twice and the cursor takes it once.
    sm_endpoints_t eps;
    if (sm_endpoints_parse("broker/events_out", events_out, &eps, err) != 0) {
        site_follow_destroy(&self);
        return NULL;
    }
    if (sm_security_apply(sec, self->sub) != 0)
        goto fail;
    for (int i = 0; i < eps.n; i++)
        if (zmq_connect(self->sub, eps.ep[i]) != 0) {
            events_out = eps.ep[i];
            goto fail;
        }
    return self;
fail:
    sm_err_set(err, SM_E_INVALID_ARGUMENT, "broker/events_out", _("cannot connect to %s: %s"),
               events_out, zmq_strerror(zmq_errno()));
    site_follow_destroy(&self);
    return NULL;
}

void site_follow_destroy(site_follow_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    site_follow_t *self = *self_p;
    if (self->sub)
        zmq_close(self->sub);
    free(self);
    *self_p = NULL;
}

void *site_follow_socket(site_follow_t *self)
{
    return self->sub;
}

bool site_follow_gap(const site_follow_t *self)
{
    return self->gap;
}

void site_follow_cursors(const site_follow_t *self, site_cursor_t out[SITE_FOLLOWED])
{
    memcpy(out, self->cursors, sizeof self->cursors);
}

/* ==== Backfill ============================================================ */

/*  Ask service for op with args (an encoded map or NULL). Returns the
    reply (caller destroys) with *data set, or NULL with err. */
static sm_doc_t *s_call(site_follow_t *self, const char *service, const char *op,
                        const sm_buf_t *args, const msgpack_object **data, sm_err_t *err)
{
    site_call_check(service, op);
    sm_doc_t *reply = sm_client_call(self->client, service, op, args ? args->sbuf.data : NULL,
                                     args ? args->sbuf.size : 0, NULL, self->timeout_ms, 1, err);
    if (reply && sm_reply_check(reply, data, err) != 0)
        sm_doc_destroy(&reply);
    return reply;
}

/*  Check that followed service i is the store the cursor belongs to: its
    instance, and a last_seq not behind the cursor. A new store, or an
    older one, sends the cursor back to 0. Returns 1 when it did, 0 when
    the cursor stands, -1 with err. */
static int s_check_instance(site_follow_t *self, int i, sm_err_t *err)
{
    const msgpack_object *data = NULL;
    sm_doc_t *reply = s_call(self, site_followed[i], "service.info", NULL, &data, err);
    if (!reply)
        return -1;
    char instance[SITE_INSTANCE_SIZE] = "";
    uint64_t last = 0;
    int rc = 0;
    if (sm_get_str(data, "instance", false, instance, sizeof instance, true, err) < 0 ||
        sm_get_uint(data, "last_seq", true, UINT64_MAX, &last, err) < 0) {
        sm_doc_destroy(&reply);
        return -1;
    }
    site_cursor_t *c = &self->cursors[i];
    if ((c->instance[0] && strcmp(c->instance, instance) != 0) || last < c->seq) {
        sm_warn("followed store changed; reading its events from the start",
                "service=%s cursor=%" PRIu64 " last_seq=%" PRIu64, site_followed[i], c->seq, last);
        c->seq = 0;
        rc = 1;
    }
    snprintf(c->instance, sizeof c->instance, "%s", instance);
    sm_doc_destroy(&reply);
    return rc;
}

/*  Read service i's log after its cursor to its end. Returns the relevant
    events read, or -1 with err. */
static int s_backfill_one(site_follow_t *self, int i, sm_err_t *err)
{
    site_cursor_t *c = &self->cursors[i];
    int relevant = 0;
    for (;;) {
        sm_buf_t args;
        sm_buf_init(&args);
        msgpack_pack_map(&args.pk, 2);
        sm_pack_kv_uint(&args.pk, "after", c->seq);
        sm_pack_kv_int(&args.pk, "limit", S_PAGE);
        const msgpack_object *data = NULL, *events = NULL;
        sm_doc_t *reply = s_call(self, site_followed[i], "events.read", &args, &data, err);
        sm_buf_free(&args);
        uint64_t last = 0;
        if (!reply)
            return -1;
        if (sm_get_array(data, "events", true, &events, err) < 0 ||
            sm_get_uint(data, "last_seq", true, UINT64_MAX, &last, err) < 0) {
            sm_doc_destroy(&reply);
            return -1;
        }
        if (last < c->seq) {
            //  The log is behind the cursor: the store was replaced since.
            sm_doc_destroy(&reply);
            int rc = s_check_instance(self, i, err);
            if (rc < 0)
                return -1;
            relevant++;
            continue;
        }
        uint32_t n = events->via.array.size;
        for (uint32_t k = 0; k < n; k++) {
            const msgpack_object *ev = &events->via.array.ptr[k];
            uint64_t seq = 0;
            char type[96];
            if (ev->type != MSGPACK_OBJECT_MAP ||
                sm_get_uint(ev, "seq", true, UINT64_MAX, &seq, NULL) <= 0 ||
                sm_get_str(ev, "type", true, type, sizeof type, false, NULL) <= 0)
                continue;
            if (seq != c->seq + 1) //  events.read returns them in order, after the cursor
                break;
            c->seq = seq;
            relevant += site_event_relevant(type);
        }
        sm_doc_destroy(&reply);
        if (c->seq >= last || n == 0)
            return relevant;
    }
}

int site_follow_backfill(site_follow_t *self, sm_err_t *err)
{
    int relevant = 0;
    for (int i = 0; i < SITE_FOLLOWED; i++) {
        if (!self->cursors[i].instance[0]) {
            int rc = s_check_instance(self, i, err);
            if (rc < 0)
                return -1;
            relevant += rc;
        }
        int rc = s_backfill_one(self, i, err);
        if (rc < 0)
            return -1;
        relevant += rc;
    }
    self->gap = false;
    return relevant;
}

/* ==== Live events ========================================================= */

int site_follow_live(site_follow_t *self)
{
    int relevant = 0;
    for (int taken = 0; taken < S_LIVE_MAX; taken++) {
        zmq_msg_t topic, body;
        zmq_msg_init(&topic);
        zmq_msg_init(&body);
        if (zmq_msg_recv(&topic, self->sub, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&topic);
            zmq_msg_close(&body);
            break;
        }
        bool ok = zmq_msg_more(&topic) && zmq_msg_recv(&body, self->sub, ZMQ_DONTWAIT) >= 0;
        while (ok && zmq_msg_more(&body)) { //  drain unexpected extra frames
            zmq_msg_close(&body);
            zmq_msg_init(&body);
            ok = zmq_msg_recv(&body, self->sub, ZMQ_DONTWAIT) >= 0;
        }
        const char *t = zmq_msg_data(&topic);
        size_t tlen = zmq_msg_size(&topic);
        int i = 0;
        while (ok && i < SITE_FOLLOWED &&
               !(tlen > strlen(site_followed[i]) &&
                 memcmp(t, site_followed[i], strlen(site_followed[i])) == 0 &&
                 t[strlen(site_followed[i])] == '.'))
            i++;
        sm_doc_t *doc = ok && i < SITE_FOLLOWED
                            ? sm_doc_parse(zmq_msg_data(&body), zmq_msg_size(&body), NULL)
                            : NULL;
        uint64_t seq = 0;
        char type[96];
        if (doc && sm_doc_root(doc)->type == MSGPACK_OBJECT_MAP &&
            sm_get_uint(sm_doc_root(doc), "seq", true, UINT64_MAX, &seq, NULL) > 0 &&
            sm_get_str(sm_doc_root(doc), "type", true, type, sizeof type, false, NULL) > 0) {
            site_cursor_t *c = &self->cursors[i];
            if (seq == c->seq + 1) {
                c->seq = seq;
                relevant += site_event_relevant(type);
            } else if (seq > c->seq + 1)
                self->gap = true; //  missed some: the log has them
            //  seq <= cursor: a duplicate, already counted
        }
        sm_doc_destroy(&doc);
        zmq_msg_close(&topic);
        zmq_msg_close(&body);
    }
    return relevant;
}
