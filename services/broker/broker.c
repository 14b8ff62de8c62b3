/*  services/broker/broker.c - the Majordomo broker (ZeroMQ RFC 18, MDP/0.2).

    Frame layouts, as received on the ROUTER (frame 0 is the peer's
    routing id, added by ZeroMQ):

        client:  id, "MDPC02", 0x01 REQUEST, service, body...
        worker:  id, "MDPW02", 0x01 READY, service
                 id, "MDPW02", 0x03 PARTIAL | 0x04 FINAL, client id, "", body...
                 id, "MDPW02", 0x05 HEARTBEAT
                 id, "MDPW02", 0x06 DISCONNECT

    Ownership of message frames: every zmq_msg_t is closed by whoever holds
    it once it is done (the received frames at the end of each message,
    a queued request's frames when its slot is freed). A frame that was
    sent is left empty by libzmq, so closing it is harmless; this keeps
    one rule for the sent and the unsent paths alike.
*/
#include "broker.h"
#include "../../common/codec.h"
#include "../../common/log.h"
#include "../../proto/mdp.h"
#include "common/codec.h"
#include "common/config_table.h"
#include "common/i18n.h"
#include "common/keystore.h"
#include "common/log.h"
#include "events.h"
#include "proto/mdp.h"
#include "services/broker/auth.h"
#include "services/broker/broker.h"
#include "services/broker/events.h"
#include <czmq.h>
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/*  Frames of one incoming message we hold: id, header, command, two
    address frames and the body. samen sends one body frame; the rest is
    room for other MDP clients. A message with more is dropped. */
#define S_MAX_FRAMES 64
/*  Messages handled per socket before polling again, so that neither
    requests nor events can starve the other or the timers. */
#define S_BATCH 256
/*  The loop returns freed memory to the system (malloc_trim) when fewer
    than S_QUIET messages came in a window of S_QUIET_MS after a burst of
    at least S_BURST (sm_broker_run). */
#define S_QUIET 64
#define S_QUIET_MS 1000
#define S_BURST 1000
/*  Request slots are allocated this many at a time and then recycled. */
#define S_SLAB 256
/*  Distinct service names the broker tracks at once; beyond this a READY
    is refused with DISCONNECT and a request for a new name with an error. */
#define S_MAX_SERVICES 4096
/*  Workers registered at once, all services together. */
#define S_MAX_WORKERS 65536

/*  The sockets the loop watches, one epoll slot each: the ROUTER, the
    events' XSUB and XPUB, and the handshake monitors (security on). */
enum {
    S_SLOT_ROUTER,
    S_SLOT_EVENTS_IN,
    S_SLOT_EVENTS_OUT,
    S_SLOT_MONITOR, /*  SM_AUTH_SLOTS of them */
    S_SLOTS = S_SLOT_MONITOR + SM_AUTH_SLOTS
};

/* ==== Hash table ======================================================== */

/*  A node is embedded as the first member of a service (key: its name) or
    a worker (key: its routing id); both are at most 255 bytes. The key is
    kept NUL-terminated so that a service name prints as a C string. */
typedef struct s_node {
    struct s_node *next;
    uint64_t hash;
    size_t len;
    char key[SM_BROKER_SERVICE_MAX + 1];
} s_node_t;

typedef struct {
    s_node_t **buckets;
    size_t mask; /*  bucket count - 1; the count is a power of two */
    size_t count;
} s_table_t;

/*  FNV-1a, 64 bits: routing ids are short and sequential, service names
    short; FNV spreads both well at a few cycles per byte. Can't fail. */
static uint64_t s_hash(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/*  Returns 0, or -1 when out of memory. */
static int s_table_init(s_table_t *t, size_t buckets)
{
    t->buckets = calloc(buckets, sizeof *t->buckets);
    t->mask = buckets - 1;
    t->count = 0;
    return t->buckets ? 0 : -1;
}

/*  The node whose key is key[0..len), or NULL. Can't fail. */
static s_node_t *s_table_find(const s_table_t *t, const void *key, size_t len)
{
    uint64_t h = s_hash(key, len);
    for (s_node_t *n = t->buckets[h & t->mask]; n; n = n->next)
        if (n->hash == h && n->len == len && memcmp(n->key, key, len) == 0)
            return n;
    return NULL;
}

/*  Double the bucket array once the table is as full as it is wide, so
    that chains stay about one node long. Returns 0, or -1 when out of
    memory (the table is then left as it was, just slower). */
static int s_table_grow(s_table_t *t)
{
    size_t size = (t->mask + 1) * 2;
    s_node_t **buckets = calloc(size, sizeof *buckets);
    if (!buckets)
        return -1;
    for (size_t i = 0; i <= t->mask; i++) {
        s_node_t *n = t->buckets[i];
        while (n) {
            s_node_t *next = n->next;
            n->next = buckets[n->hash & (size - 1)];
            buckets[n->hash & (size - 1)] = n;
            n = next;
        }
    }
    free(t->buckets);
    t->buckets = buckets;
    t->mask = size - 1;
    return 0;
}

/*  Set node's key and link it in. The key must not be present. Can't
    fail (a failed grow only lengthens chains). */
static void s_table_insert(s_table_t *t, s_node_t *node, const void *key, size_t len)
{
    memcpy(node->key, key, len);
    node->key[len] = '\0';
    node->len = len;
    node->hash = s_hash(key, len);
    if (t->count > t->mask)
        s_table_grow(t);
    s_node_t **bucket = &t->buckets[node->hash & t->mask];
    node->next = *bucket;
    *bucket = node;
    t->count++;
}

/*  Unlink node, which must be in the table. Can't fail. */
static void s_table_remove(s_table_t *t, s_node_t *node)
{
    for (s_node_t **p = &t->buckets[node->hash & t->mask]; *p; p = &(*p)->next)
        if (*p == node) {
            *p = node->next;
            t->count--;
            return;
        }
}

/* ==== State ============================================================= */

typedef struct s_request request_t;
typedef struct s_worker worker_t;
typedef struct s_service service_t;

struct s_service {
    s_node_t node;                      /*  key: the service name */
    worker_t *idle_head, *idle_tail;    /*  idle workers, longest idle first */
    request_t *queue_head, *queue_tail; /*  waiting requests, oldest first */
    uint64_t workers, idle, queued;
    bool registered; /*  a worker has offered it: kept for status */
    uint64_t swept;  /*  expired in the current sweep (one log line each) */
    service_t *swept_next;
    /*  The store instance that serves the name (service.claim). */
    bool claimed;
    bool claim_served; /*  a worker registered since the claim */
    int64_t claim_ms;
    char claim_instance[65];
    char claim_incarnation[65]; /*  the claiming process; "" from an old daemon */
    char claim_key[SM_KEY_NAME_MAX + 1];
};

struct s_worker {
    s_node_t node; /*  key: the worker's routing id */
    service_t *service;
    worker_t *idle_prev, *idle_next;
    bool idle;
    bool busy;          /*  holds the request of client[0..client_len) */
    int64_t expires_ms; /*  silent until then: expired */
    char key[SM_KEY_TEXT]; /*  the worker's public key ("" in plain mode) */
    size_t client_len;
    unsigned char client[256];
};

/*  A request waiting for a worker. Its frames move here from the receive
    array so that they are sent later without a copy. */
struct s_request {
    request_t *q_prev, *q_next; /*  in its service's queue */
    request_t *x_prev, *x_next; /*  in the broker's expiry order */
    service_t *service;
    int64_t expires_ms;
    zmq_msg_t client;
    zmq_msg_t caller; /*  the caller frame for the worker */
    size_t nbody;
    zmq_msg_t body;
    zmq_msg_t *extra; /*  body frames after the first, or NULL */
};

typedef struct s_slab {
    struct s_slab *next;
    request_t slots[S_SLAB];
} s_slab_t;

struct _sm_broker_t {
    sm_broker_config_t cfg;
    void *ctx;
    void *router;
    sm_events_t *events;
    sm_auth_t *auth;  /*  NULL in plain mode */
    sm_key_t local;   /*  who every peer is in plain mode */
    int64_t next_keys_check_ms;
    int64_t now; /*  monotonic ms, refreshed after every poll */
    int64_t started_ms;
    int64_t next_heartbeat_ms;
    s_table_t services;
    s_table_t workers;
    /*  Every queued request, in arrival order. All wait the same
        request_expiry_ms, so arrival order is expiry order and the sweep
        only ever looks at the head. */
    request_t *expiry_head, *expiry_tail;
    uint64_t queued;
    request_t *free_requests;
    s_slab_t *slabs;
    service_t *swept;
    sm_broker_service_stat_t *rows;
    size_t rows_size;
    sm_buf_t buf;
    sm_broker_stats_t counters; /*  the counting fields only */
    size_t nin;
    bool in_bad; /*  the held message was over a limit and is dropped */
    zmq_msg_t in[S_MAX_FRAMES];
    uint64_t activity; /*  messages handled other than workers' heartbeats */
    sm_broker_tick_fn *tick; /*  sm_broker_on_tick */
    void *tick_arg;
    /*  The loop's epoll set over the sockets' ZMQ_FDs. A slot is ready
        when its socket may hold a message: its fd fired, a batch ended
        before the socket was empty, or something was sent on it since a
        read found it empty (libzmq's send may take the wake-up of a
        message that arrived meanwhile, so the fd would not fire for it). */
    int epfd;
    int unwatched; /*  errno of a socket that could not be watched, or 0 */
    struct {
        void *sock;
        int fd;
        bool ready;
    } slot[S_SLOTS];
};

/* ==== Small helpers ===================================================== */

/*  Monotonic milliseconds. Can't fail. */
static int64_t s_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*  Initialise msg with a copy of data. Up to 33 bytes live inside the
    zmq_msg_t itself, so headers, commands and routing ids cost no malloc.
    Returns 0, or -1 when out of memory (msg is then an empty frame). */
static int s_msg_set(zmq_msg_t *msg, const void *data, size_t size)
{
    if (zmq_msg_init_size(msg, size) != 0) {
        zmq_msg_init(msg);
        return -1;
    }
    if (size)
        memcpy(zmq_msg_data(msg), data, size);
    return 0;
}

/*  True when msg holds exactly data[0..size). Can't fail. */
static bool s_msg_is(zmq_msg_t *msg, const void *data, size_t size)
{
    return zmq_msg_size(msg) == size && memcmp(zmq_msg_data(msg), data, size) == 0;
}

/*  Send parts[0..n) as one message on the ROUTER without blocking.
    Returns 0 when the ROUTER took it, or -1 when it refused the first
    frame (ROUTER_MANDATORY: the peer is gone or its queue is full); then
    nothing was consumed. libzmq admits a multipart message whole at its
    first frame, so a later frame fails only while the context is going
    down; the rest is then left for the owners to close. */
static int s_send(sm_broker_t *self, zmq_msg_t **parts, size_t n)
{
    self->slot[S_SLOT_ROUTER].ready = true;
    for (size_t i = 0; i < n; i++) {
        int flags = ZMQ_DONTWAIT | (i + 1 < n ? ZMQ_SNDMORE : 0);
        if (zmq_msg_send(parts[i], self->router, flags) == -1)
            return i == 0 ? -1 : 0;
    }
    return 0;
}

/*  Send a worker a command without arguments (HEARTBEAT, DISCONNECT).
    Returns 0, or -1 when the worker is unreachable. */
static int s_send_command(sm_broker_t *self, const void *id, size_t id_len, unsigned char cmd)
{
    zmq_msg_t frames[3];
    s_msg_set(&frames[0], id, id_len);
    s_msg_set(&frames[1], MDPW, 6);
    s_msg_set(&frames[2], &cmd, 1);
    zmq_msg_t *parts[] = {&frames[0], &frames[1], &frames[2]};
    int rc = s_send(self, parts, 3);
    for (int i = 0; i < 3; i++)
        zmq_msg_close(&frames[i]);
    return rc;
}

/*  Send a client a FINAL the broker wrote itself: service echoes what the
    client addressed, body is the reply. Counts an unreachable client.
    Can't fail otherwise. */
static void s_reply(sm_broker_t *self, const void *client, size_t client_len, const void *service,
                    size_t service_len, const void *body, size_t body_len)
{
    zmq_msg_t frames[5];
    unsigned char cmd = MDPC_FINAL;
    s_msg_set(&frames[0], client, client_len);
    s_msg_set(&frames[1], MDPC, 6);
    s_msg_set(&frames[2], &cmd, 1);
    s_msg_set(&frames[3], service, service_len);
    int rc = s_msg_set(&frames[4], body, body_len);
    zmq_msg_t *parts[] = {&frames[0], &frames[1], &frames[2], &frames[3], &frames[4]};
    if (rc != 0 || s_send(self, parts, 5) != 0)
        self->counters.undeliverable++;
    for (int i = 0; i < 5; i++)
        zmq_msg_close(&frames[i]);
}

/*  Answer a client with an error map. Can't fail. */
static void s_reply_error(sm_broker_t *self, const void *client, size_t client_len,
                          const void *service, size_t service_len, const char *code,
                          const char *field, const char *message)
{
    sm_broker_pack_error(&self->buf, code, field, message);
    s_reply(self, client, client_len, service, service_len, self->buf.sbuf.data,
            self->buf.sbuf.size);
}

/* ==== Services ========================================================== */

/*  The service called name, created when absent. Returns it, or NULL when
    the broker tracks S_MAX_SERVICES already or is out of memory. */
static service_t *s_service_require(sm_broker_t *self, const void *name, size_t len)
{
    service_t *svc = (service_t *)s_table_find(&self->services, name, len);
    if (svc)
        return svc;
    if (self->services.count >= S_MAX_SERVICES)
        return NULL;
    svc = calloc(1, sizeof *svc);
    if (!svc)
        return NULL;
    s_table_insert(&self->services, &svc->node, name, len);
    return svc;
}

/*  Forget a service nobody offers and nobody waits for: names clients
    invent must not pile up. Can't fail. */
static void s_service_forget(sm_broker_t *self, service_t *svc)
{
    s_table_remove(&self->services, &svc->node);
    free(svc);
}

/* ==== Requests ========================================================== */

/*  A free request slot. Returns it, or NULL when out of memory. */
static request_t *s_request_alloc(sm_broker_t *self)
{
    if (!self->free_requests) {
        s_slab_t *slab = malloc(sizeof *slab);
        if (!slab)
            return NULL;
        slab->next = self->slabs;
        self->slabs = slab;
        for (size_t i = 0; i < S_SLAB; i++) {
            slab->slots[i].q_next = self->free_requests;
            self->free_requests = &slab->slots[i];
        }
    }
    request_t *req = self->free_requests;
    self->free_requests = req->q_next;
    memset(req, 0, sizeof *req);
    return req;
}

/*  Close a request's frames, unlink it from its queues and recycle the
    slot. Can't fail. */
static void s_request_free(sm_broker_t *self, request_t *req)
{
    service_t *svc = req->service;
    if (req->q_prev)
        req->q_prev->q_next = req->q_next;
    else
        svc->queue_head = req->q_next;
    if (req->q_next)
        req->q_next->q_prev = req->q_prev;
    else
        svc->queue_tail = req->q_prev;
    if (req->x_prev)
        req->x_prev->x_next = req->x_next;
    else
        self->expiry_head = req->x_next;
    if (req->x_next)
        req->x_next->x_prev = req->x_prev;
    else
        self->expiry_tail = req->x_prev;
    svc->queued--;
    self->queued--;
    zmq_msg_close(&req->client);
    zmq_msg_close(&req->caller);
    zmq_msg_close(&req->body);
    for (size_t i = 0; req->extra && i + 1 < req->nbody; i++)
        zmq_msg_close(&req->extra[i]);
    free(req->extra);
    req->q_next = self->free_requests;
    self->free_requests = req;
}

/*  Queue the held client request (self->in) for svc, with key's caller
    frame. Returns 0, or -1 when out of memory (nothing taken from
    self->in). */
static int s_request_queue(sm_broker_t *self, service_t *svc, const sm_key_t *key)
{
    request_t *req = s_request_alloc(self);
    if (!req)
        return -1;
    req->nbody = self->nin - 4;
    if (req->nbody > 1) {
        req->extra = malloc((req->nbody - 1) * sizeof *req->extra);
        if (!req->extra) {
            req->q_next = self->free_requests;
            self->free_requests = req;
            return -1;
        }
    }
    zmq_msg_init(&req->client);
    zmq_msg_move(&req->client, &self->in[0]);
    s_msg_set(&req->caller, key->caller, key->caller_len);
    zmq_msg_init(&req->body);
    zmq_msg_move(&req->body, &self->in[4]);
    for (size_t i = 1; i < req->nbody; i++) {
        zmq_msg_init(&req->extra[i - 1]);
        zmq_msg_move(&req->extra[i - 1], &self->in[4 + i]);
    }
    req->service = svc;
    req->expires_ms = self->now + self->cfg.request_expiry_ms;
    req->q_prev = svc->queue_tail;
    if (svc->queue_tail)
        svc->queue_tail->q_next = req;
    else
        svc->queue_head = req;
    svc->queue_tail = req;
    req->x_prev = self->expiry_tail;
    if (self->expiry_tail)
        self->expiry_tail->x_next = req;
    else
        self->expiry_head = req;
    self->expiry_tail = req;
    svc->queued++;
    self->queued++;
    return 0;
}

/* ==== Workers =========================================================== */

/*  Take w out of its service's idle list. Can't fail. */
static void s_idle_unlink(worker_t *w)
{
    service_t *svc = w->service;
    if (w->idle_prev)
        w->idle_prev->idle_next = w->idle_next;
    else
        svc->idle_head = w->idle_next;
    if (w->idle_next)
        w->idle_next->idle_prev = w->idle_prev;
    else
        svc->idle_tail = w->idle_prev;
    w->idle_prev = w->idle_next = NULL;
    w->idle = false;
    svc->idle--;
}

/*  Hand a request to worker w: REQUEST, client id, "", body frames, and
    the caller frame last (PROTOCOL.md §8). Returns 0 and marks w busy, or
    -1 when the worker is unreachable (nothing consumed). */
static int s_dispatch(sm_broker_t *self, worker_t *w, zmq_msg_t *client, zmq_msg_t **body,
                      size_t nbody, zmq_msg_t *caller)
{
    zmq_msg_t frames[4];
    unsigned char cmd = MDPW_REQUEST;
    s_msg_set(&frames[0], w->node.key, w->node.len);
    s_msg_set(&frames[1], MDPW, 6);
    s_msg_set(&frames[2], &cmd, 1);
    zmq_msg_init(&frames[3]);
    zmq_msg_t *parts[S_MAX_FRAMES + 5];
    parts[0] = &frames[0];
    parts[1] = &frames[1];
    parts[2] = &frames[2];
    parts[3] = client;
    parts[4] = &frames[3];
    for (size_t i = 0; i < nbody; i++)
        parts[5 + i] = body[i];
    parts[5 + nbody] = caller;
    /*  Remember whom to answer before the client frame is sent away. */
    size_t client_len = zmq_msg_size(client);
    memcpy(w->client, zmq_msg_data(client), client_len);
    int rc = s_send(self, parts, 6 + nbody);
    for (int i = 0; i < 4; i++)
        zmq_msg_close(&frames[i]);
    if (rc == 0) {
        w->busy = true;
        w->client_len = client_len;
        self->counters.requests_routed++;
    }
    return rc;
}

/*  Remove worker w: tell it DISCONNECT when disconnect is set, answer the
    client it was serving (if any) "unavailable", and free it. reason is a
    constant word for the log. Can't fail. */
static void s_worker_remove(sm_broker_t *self, worker_t *w, bool disconnect, const char *reason)
{
    service_t *svc = w->service;
    if (disconnect)
        s_send_command(self, w->node.key, w->node.len, MDPW_DISCONNECT);
    if (w->busy) {
        self->counters.workers_lost++;
        s_reply_error(self, w->client, w->client_len, svc->node.key, svc->node.len,
                      SM_E_UNAVAILABLE, "",
                      "the worker handling the request went away; retry with the same rid");
    }
    if (w->idle)
        s_idle_unlink(w);
    svc->workers--;
    s_table_remove(&self->workers, &w->node);
    free(w);
    char quoted[300];
    sm_info("worker removed", "service=%s reason=%s workers=%" PRIu64,
            sm_log_quote(svc->node.key, quoted, sizeof quoted), reason, svc->workers);
}

/*  Worker w is free: give it the oldest queued request of its service, or
    put it at the back of the idle list. Can't fail (a worker that turns
    out unreachable is removed and the request stays queued). */
static void s_worker_waiting(sm_broker_t *self, worker_t *w)
{
    service_t *svc = w->service;
    request_t *req = svc->queue_head;
    if (req) {
        zmq_msg_t *body[S_MAX_FRAMES];
        body[0] = &req->body;
        for (size_t i = 1; i < req->nbody; i++)
            body[i] = &req->extra[i - 1];
        if (s_dispatch(self, w, &req->client, body, req->nbody, &req->caller) == 0)
            s_request_free(self, req);
        else
            s_worker_remove(self, w, false, "unreachable");
        return;
    }
    w->idle = true;
    w->idle_next = NULL;
    w->idle_prev = svc->idle_tail;
    if (svc->idle_tail)
        svc->idle_tail->idle_next = w;
    else
        svc->idle_head = w;
    svc->idle_tail = w;
    svc->idle++;
}

/*  True while svc's claim holds: it has workers, or it was claimed less
    than one expiry period ago and no worker came yet (they are on their
    way). Once its workers are all gone (stopped, or expired after a crash)
    the name is free for another instance. Can't fail. */
static bool s_claim_live(const sm_broker_t *self, const service_t *svc)
{
    return svc->claimed &&
           (svc->workers > 0 ||
            (!svc->claim_served &&
             self->now - svc->claim_ms < self->cfg.heartbeat_ms * self->cfg.heartbeat_liveness));
}

/*  READY from an unknown peer with key: register it for the service it
    names. Reserved or invalid names, a key without the service's role, a
    service nobody claimed, and registrations beyond the limits are
    answered DISCONNECT. Can't fail. */
static void s_worker_register(sm_broker_t *self, const sm_key_t *key)
{
    zmq_msg_t *id = &self->in[0];
    const char *name = zmq_msg_data(&self->in[3]);
    size_t len = zmq_msg_size(&self->in[3]);
    /*  A NUL-terminated copy for the log; the quoting masks control bytes. */
    char copy[SM_BROKER_SERVICE_MAX + 1];
    size_t copy_len = len < sizeof copy ? len : sizeof copy - 1;
    memcpy(copy, name, copy_len);
    copy[copy_len] = '\0';
    char quoted[300];
    if (!sm_broker_name_valid(name, len) || sm_broker_name_reserved(name, len)) {
        self->counters.protocol_violations++;
        s_send_command(self, zmq_msg_data(id), zmq_msg_size(id), MDPW_DISCONNECT);
        sm_warn("worker refused", "service=%s reason=reserved_or_invalid_name",
                sm_log_quote(copy, quoted, sizeof quoted));
        return;
    }
    sm_roles_t need = strlen(copy) == len ? sm_role_of_service(copy) : 0;
    if (self->auth && (!need || !(key->roles & need))) {
        self->counters.workers_refused++;
        s_send_command(self, zmq_msg_data(id), zmq_msg_size(id), MDPW_DISCONNECT);
        sm_warn("worker refused", "service=%s reason=key_lacks_role key=%s",
                sm_log_quote(copy, quoted, sizeof quoted), key->name);
        return;
    }
    service_t *svc = (service_t *)s_table_find(&self->services, name, len);
    if (!svc || !s_claim_live(self, svc)) {
        /*  A daemon claims its name first (service.claim); after a broker
            restart its workers come back before its claim does, and this
            DISCONNECT is what makes it claim again. */
        self->counters.workers_refused++;
        s_send_command(self, zmq_msg_data(id), zmq_msg_size(id), MDPW_DISCONNECT);
        sm_debug("worker refused", "service=%s reason=unclaimed key=%s",
                 sm_log_quote(copy, quoted, sizeof quoted), key->name);
        return;
    }
    worker_t *w = NULL;
    if (self->workers.count >= S_MAX_WORKERS)
        svc = NULL;
    if (svc)
        w = calloc(1, sizeof *w);
    if (!w) {
        s_send_command(self, zmq_msg_data(id), zmq_msg_size(id), MDPW_DISCONNECT);
        sm_warn("worker refused", "service=%s reason=limit workers_total=%zu services_total=%zu",
                sm_log_quote(copy, quoted, sizeof quoted), self->workers.count,
                self->services.count);
        return;
    }
    s_table_insert(&self->workers, &w->node, zmq_msg_data(id), zmq_msg_size(id));
    w->service = svc;
    snprintf(w->key, sizeof w->key, "%s", key->public_key);
    w->expires_ms = self->now + self->cfg.heartbeat_ms * self->cfg.heartbeat_liveness;
    svc->registered = true;
    svc->claim_served = true;
    svc->workers++;
    /*  A service registers dozens of connections at once: say so once at
        info (the first), the rest at debug. */
    sm_log(svc->workers == 1 ? SM_LOG_INFO : SM_LOG_DEBUG, "worker registered",
           "service=%s workers=%" PRIu64 " key=%s",
           sm_log_quote(svc->node.key, quoted, sizeof quoted), svc->workers, key->name);
    s_worker_waiting(self, w);
}

/* ==== Message handling ================================================== */

/*  A malformed message: count it, and if it came from a registered worker
    treat that worker as broken (RFC 18: "treat that peer as invalid") so
    that the client it serves is answered rather than left waiting. */
static void s_invalid(sm_broker_t *self)
{
    self->counters.invalid_dropped++;
    worker_t *w = (worker_t *)s_table_find(&self->workers, zmq_msg_data(&self->in[0]),
                                           zmq_msg_size(&self->in[0]));
    if (w)
        s_worker_remove(self, w, true, "malformed");
}

/*  A worker sent a well-formed command it may not send now. Can't fail. */
static void s_violation(sm_broker_t *self, worker_t *w, const char *reason)
{
    self->counters.protocol_violations++;
    if (w)
        s_worker_remove(self, w, true, reason);
    else
        s_send_command(self, zmq_msg_data(&self->in[0]), zmq_msg_size(&self->in[0]),
                       MDPW_DISCONNECT);
}

/*  Reply to the held broker request with self->buf. Can't fail. */
static void s_broker_reply(sm_broker_t *self)
{
    s_reply(self, zmq_msg_data(&self->in[0]), zmq_msg_size(&self->in[0]),
            zmq_msg_data(&self->in[3]), zmq_msg_size(&self->in[3]), self->buf.sbuf.data,
            self->buf.sbuf.size);
}

/*  service.claim from key: accept req's instance for req's service unless
    another instance's claim holds (PROTOCOL.md §8). Fills self->buf.
    Can't fail. */
static void s_claim(sm_broker_t *self, const sm_key_t *key, const sm_broker_req_t *req)
{
    char q[300];
    sm_roles_t need = sm_role_of_service(req->service);
    if (self->auth && (!need || !(key->roles & need))) {
        self->counters.requests_denied++;
        char message[900];
        snprintf(message, sizeof message,
                 _("key %1$s may not serve %2$s: a service's daemon claims its name with a "
                   "key holding the role service:%3$s"),
                 key->name, req->service, req->service);
        sm_broker_pack_error(&self->buf, SM_E_PERMISSION_DENIED, "service", message);
        sm_warn("claim refused", "service=%s reason=key_lacks_role key=%s",
                sm_log_quote(req->service, q, sizeof q), key->name);
        return;
    }
    service_t *svc = s_service_require(self, req->service, strlen(req->service));
    if (!svc) {
        sm_broker_pack_error(&self->buf, SM_E_RESOURCE_EXHAUSTED, "",
                             _("the broker tracks too many services already; retry later"));
        return;
    }
    /*  A copy of the store (a backup restored elsewhere, the disk of a host
        that was taken over) has the same instance ID: the process's
        incarnation tells it from the one that serves. A restart of that
        process after a crash waits for the dead one's workers to expire. */
    if (s_claim_live(self, svc) && strcmp(svc->claim_instance, req->instance) == 0 &&
        req->incarnation[0] && svc->claim_incarnation[0] &&
        strcmp(svc->claim_incarnation, req->incarnation) != 0) {
        self->counters.claims_refused++;
        char message[900];
        snprintf(message, sizeof message,
                 _("service %1$s is already served by another process on a store with the "
                   "same instance %2$s (key %3$s, %4$llu workers): a copy of a store must never "
                   "serve beside its original. If that process has died, its claim ends when "
                   "its workers expire, within %5$lld ms"),
                 req->service, svc->claim_instance, svc->claim_key,
                 (unsigned long long)svc->workers,
                 (long long)(self->cfg.heartbeat_ms * self->cfg.heartbeat_liveness));
        sm_broker_pack_error(&self->buf, SM_E_FAILED_PRECONDITION, "incarnation", message);
        sm_warn("claim refused", "service=%s reason=another_process instance=%s "
                "incarnation=%s held_by=%s key=%s workers=%" PRIu64,
                sm_log_quote(req->service, q, sizeof q), req->instance, req->incarnation,
                svc->claim_incarnation, key->name, svc->workers);
        return;
    }
    if (s_claim_live(self, svc) && strcmp(svc->claim_instance, req->instance) != 0) {
        self->counters.claims_refused++;
        char message[900];
        snprintf(message, sizeof message,
                 _("service %1$s is already served by another store (instance %2$s, key %3$s, "
                   "last claimed %4$lld s ago, %5$llu workers); two stores must "
                   "never serve one name. Stop this daemon, or stop the other one first (its "
                   "claim ends when its workers are gone)"),
                 req->service, svc->claim_instance, svc->claim_key,
                 (long long)((self->now - svc->claim_ms) / 1000), (unsigned long long)svc->workers);
        sm_broker_pack_error(&self->buf, SM_E_FAILED_PRECONDITION, "instance", message);
        sm_warn("claim refused", "service=%s reason=another_instance instance=%s held_by=%s "
                "key=%s workers=%" PRIu64,
                sm_log_quote(req->service, q, sizeof q), req->instance, svc->claim_instance,
                key->name, svc->workers);
        return;
    }
    bool same = svc->claimed && strcmp(svc->claim_instance, req->instance) == 0 &&
                strcmp(svc->claim_incarnation, req->incarnation) == 0;
    if (!same)
        sm_info("service claimed", "service=%s instance=%s incarnation=%s key=%s",
                sm_log_quote(req->service, q, sizeof q), req->instance, req->incarnation,
                key->name);
    if (!same || svc->workers == 0)
        svc->claim_served = false;
    svc->claimed = true;
    svc->claim_ms = self->now;
    svc->registered = true; /*  listed in status from now on, with 0 workers */
    snprintf(svc->claim_instance, sizeof svc->claim_instance, "%s", req->instance);
    snprintf(svc->claim_incarnation, sizeof svc->claim_incarnation, "%s", req->incarnation);
    snprintf(svc->claim_key, sizeof svc->claim_key, "%s", key->name);
    sm_broker_pack_claim(&self->buf, req->service, req->instance);
}

/*  What audit.list collects. */
typedef struct {
    const sm_broker_req_t *req;
    sm_audit_entry_t *list;
    size_t n, cap;
    uint64_t next; /*  set when more entries match than fit */
    bool oom;
} s_audit_t;

/*  sm_audit_read callback: keep the matching entries after req->after,
    req->limit of them, oldest first; note when there are more. */
static int s_audit_collect(const sm_audit_entry_t *e, void *arg)
{
    s_audit_t *a = arg;
    if (e->n <= a->req->after || !sm_broker_audit_match(a->req, e))
        return 0;
    if (a->n == (size_t)a->req->limit) {
        a->next = a->list[a->n - 1].n;
        return 1;
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        sm_audit_entry_t *grown = realloc(a->list, cap * sizeof *grown);
        if (!grown) {
            a->oom = true;
            return 1;
        }
        a->list = grown;
        a->cap = cap;
    }
    a->list[a->n++] = *e;
    return 0;
}

/*  audit.list: the key directory's audit log, as the services' audit
    entries, page by page (after, limit, next). Fills self->buf. Can't
    fail. */
static void s_audit_list(sm_broker_t *self, const sm_broker_req_t *req)
{
    s_audit_t a = {.req = req};
    sm_err_t err;
    sm_err_clear(&err);
    if (sm_audit_read(self->cfg.keys_dir, s_audit_collect, &a, &err) < 0)
        sm_broker_pack_error(&self->buf, SM_E_INTERNAL, "", err.message);
    else if (a.oom)
        sm_broker_pack_error(&self->buf, SM_E_RESOURCE_EXHAUSTED, "",
                             _("the broker is out of memory; ask for less (limit, since)"));
    else
        sm_broker_pack_audit(&self->buf, a.list, a.n, a.next);
    free(a.list);
}

/*  Service "broker", asked by key: the op's declaration (proto/ops_broker.c)
    says who may call it and what it takes. Can't fail. */
static void s_broker_request(sm_broker_t *self, const sm_key_t *key)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_broker_req_t req;
    int op = sm_broker_op_parse(zmq_msg_data(&self->in[4]), zmq_msg_size(&self->in[4]),
                                self->nin - 4, &req, &err);
    sm_broker_stats_t stats;
    if (op > 0 && self->auth && !sm_decl_allows(req.decl, key->roles)) {
        self->counters.requests_denied++;
        sm_broker_pack_denied(&self->buf, req.decl, key->name, key->roles);
        sm_warn("permission denied", "op=%s key=%s", req.decl->name, key->name);
    } else if (op == SM_BROKER_OP_STATUS && sm_broker_stats(self, &stats) == 0)
        sm_broker_pack_status(&self->buf, &stats);
    else if (op == SM_BROKER_OP_STATUS)
        sm_broker_pack_error(&self->buf, SM_E_RESOURCE_EXHAUSTED, "",
                             _("the broker is out of memory; try again later"));
    else if (op == SM_BROKER_OP_CLAIM)
        s_claim(self, key, &req);
    else if (op == SM_BROKER_OP_AUDIT_LIST)
        s_audit_list(self, &req);
    else
        sm_broker_pack_error(&self->buf, err.code, err.field, err.message);
    sm_broker_req_free(&req);
    s_broker_reply(self);
    sm_i18n_use(NULL); /*  back to the deployment's language (the request's "lang") */
}

/*  Services "mmi.*" (RFC 8). Can't fail. */
static void s_mmi_request(sm_broker_t *self)
{
    const service_t *svc = (service_t *)s_table_find(&self->services, zmq_msg_data(&self->in[4]),
                                                     zmq_msg_size(&self->in[4]));
    const char *code = sm_broker_mmi_code(zmq_msg_data(&self->in[3]), zmq_msg_size(&self->in[3]),
                                          svc && svc->workers > 0);
    s_reply(self, zmq_msg_data(&self->in[0]), zmq_msg_size(&self->in[0]),
            zmq_msg_data(&self->in[3]), zmq_msg_size(&self->in[3]), code, strlen(code));
}

/*  A message whose header is "MDPC02", from key. Can't fail. */
static void s_client_message(sm_broker_t *self, const sm_key_t *key)
{
    if (self->nin < 5 || !s_msg_is(&self->in[2], "\x01", 1)) {
        s_invalid(self);
        return;
    }
    zmq_msg_t *client = &self->in[0];
    const char *name = zmq_msg_data(&self->in[3]);
    size_t len = zmq_msg_size(&self->in[3]);
    if (!sm_broker_name_valid(name, len)) {
        s_reply_error(self, zmq_msg_data(client), zmq_msg_size(client), name, len,
                      SM_E_INVALID_ARGUMENT, "service",
                      "the service name must be 1 to 255 printable ASCII characters without "
                      "spaces, such as \"intake\"");
        return;
    }
    if (len == 6 && memcmp(name, SM_SVC_BROKER, 6) == 0) {
        s_broker_request(self, key);
        return;
    }
    if (len >= 4 && memcmp(name, "mmi.", 4) == 0) {
        s_mmi_request(self);
        return;
    }
    service_t *svc = (service_t *)s_table_find(&self->services, name, len);
    if (svc && svc->idle_head) {
        zmq_msg_t caller;
        s_msg_set(&caller, key->caller, key->caller_len);
        zmq_msg_t *body[S_MAX_FRAMES];
        for (size_t i = 4; i < self->nin; i++)
            body[i - 4] = &self->in[i];
        while (svc->idle_head) {
            worker_t *w = svc->idle_head;
            s_idle_unlink(w);
            if (s_dispatch(self, w, client, body, self->nin - 4, &caller) == 0) {
                zmq_msg_close(&caller);
                return;
            }
            s_worker_remove(self, w, false, "unreachable");
        }
        zmq_msg_close(&caller);
    }
    if (!svc)
        svc = s_service_require(self, name, len);
    const char *why = NULL;
    if (!svc)
        why = "the broker tracks too many services already; retry later";
    else if (self->queued >= (uint64_t)self->cfg.max_queued)
        why = "too many requests are waiting for workers; retry later";
    else if (s_request_queue(self, svc, key) != 0)
        why = "the broker is out of memory; retry later";
    if (why) {
        self->counters.requests_refused++;
        s_reply_error(self, zmq_msg_data(client), zmq_msg_size(client), name, len,
                      SM_E_RESOURCE_EXHAUSTED, "", why);
        if (svc && !svc->registered && svc->workers == 0 && svc->queued == 0)
            s_service_forget(self, svc);
    }
}

/*  PARTIAL or FINAL from worker w: pass it to the client as PARTIAL or
    FINAL; a FINAL frees the worker. Can't fail. */
static void s_worker_reply(sm_broker_t *self, worker_t *w, unsigned char cmd)
{
    if (!w->busy) {
        s_violation(self, w, "reply_without_request");
        return;
    }
    if (!s_msg_is(&self->in[3], w->client, w->client_len)) {
        s_violation(self, w, "reply_to_other_client");
        return;
    }
    service_t *svc = w->service;
    zmq_msg_t frames[3];
    unsigned char ccmd = cmd == MDPW_FINAL ? MDPC_FINAL : MDPC_PARTIAL;
    s_msg_set(&frames[0], MDPC, 6);
    s_msg_set(&frames[1], &ccmd, 1);
    s_msg_set(&frames[2], svc->node.key, svc->node.len);
    zmq_msg_t *parts[S_MAX_FRAMES + 3];
    size_t n = 0;
    parts[n++] = &self->in[3];
    parts[n++] = &frames[0];
    parts[n++] = &frames[1];
    parts[n++] = &frames[2];
    for (size_t i = 5; i < self->nin; i++)
        parts[n++] = &self->in[i];
    if (s_send(self, parts, n) == 0)
        self->counters.replies_routed++;
    else
        self->counters.undeliverable++;
    for (int i = 0; i < 3; i++)
        zmq_msg_close(&frames[i]);
    if (cmd == MDPW_FINAL) {
        w->busy = false;
        s_worker_waiting(self, w);
    }
}

/*  A message whose header is "MDPW02", from key. Can't fail. */
static void s_worker_message(sm_broker_t *self, const sm_key_t *key)
{
    if (self->nin < 3 || zmq_msg_size(&self->in[2]) != 1) {
        s_invalid(self);
        return;
    }
    unsigned char cmd = *(unsigned char *)zmq_msg_data(&self->in[2]);
    zmq_msg_t *id = &self->in[0];
    worker_t *w = (worker_t *)s_table_find(&self->workers, zmq_msg_data(id), zmq_msg_size(id));
    if (w)
        w->expires_ms = self->now + self->cfg.heartbeat_ms * self->cfg.heartbeat_liveness;
    switch (cmd) {
    case MDPW_READY:
        if (self->nin != 4)
            s_invalid(self);
        else if (w)
            s_violation(self, w, "second_ready");
        else
            s_worker_register(self, key);
        break;
    case MDPW_HEARTBEAT:
        if (self->nin != 3)
            s_invalid(self);
        else if (!w) /*  expired, or the broker restarted: make it register again */
            s_send_command(self, zmq_msg_data(id), zmq_msg_size(id), MDPW_DISCONNECT);
        break;
    case MDPW_DISCONNECT:
        if (self->nin != 3)
            s_invalid(self);
        else if (w)
            s_worker_remove(self, w, false, "disconnect");
        break;
    case MDPW_PARTIAL:
    case MDPW_FINAL:
        if (self->nin < 6 || zmq_msg_size(&self->in[4]) != 0)
            s_invalid(self);
        else if (!w)
            s_send_command(self, zmq_msg_data(id), zmq_msg_size(id), MDPW_DISCONNECT);
        else
            s_worker_reply(self, w, cmd);
        break;
    case MDPW_REQUEST: /*  valid, but only the broker sends it */
        s_violation(self, w, "request_from_worker");
        break;
    default:
        s_invalid(self);
        break;
    }
}

/*  Read one whole message from the ROUTER into self->in without blocking.
    Returns the number of frames (0 when nothing was waiting). Frames past
    S_MAX_FRAMES are read and discarded; they, like a frame over
    max_message_bytes, set in_bad. */
static size_t s_receive(sm_broker_t *self)
{
    size_t n = 0;
    bool more = true;
    self->in_bad = false;
    while (more) {
        zmq_msg_t scratch;
        zmq_msg_t *frame = n < S_MAX_FRAMES ? &self->in[n] : &scratch;
        zmq_msg_init(frame);
        if (zmq_msg_recv(frame, self->router, ZMQ_DONTWAIT) == -1) {
            zmq_msg_close(frame);
            if (n > 0)
                self->in_bad = true; /*  mid-message: the context is going down */
            break;
        }
        more = zmq_msg_more(frame);
        if ((int64_t)zmq_msg_size(frame) > self->cfg.max_message_bytes) {
            /*  libzmq enforces ZMQ_MAXMSGSIZE on tcp and ipc by dropping the
                connection; this catches what it lets through (inproc). */
            self->counters.oversize_dropped++;
            self->in_bad = true;
        }
        if (frame == &scratch) {
            zmq_msg_close(&scratch);
            if (!self->in_bad)
                self->counters.invalid_dropped++;
            self->in_bad = true;
        } else
            n++;
    }
    self->nin = n;
    return n;
}

/*  A message from a key that is not (or no longer) trusted: a revoked
    peer still connected. A client is told so; a worker loses its
    registration. Counted; logged once per such worker. Can't fail. */
static void s_unauthenticated(sm_broker_t *self)
{
    self->counters.unauthenticated++;
    worker_t *w = (worker_t *)s_table_find(&self->workers, zmq_msg_data(&self->in[0]),
                                           zmq_msg_size(&self->in[0]));
    if (w) {
        s_worker_remove(self, w, true, "key_not_trusted");
        return;
    }
    if (self->nin >= 4 && s_msg_is(&self->in[1], MDPC, 6) &&
        sm_broker_name_valid(zmq_msg_data(&self->in[3]), zmq_msg_size(&self->in[3])))
        s_reply_error(self, zmq_msg_data(&self->in[0]), zmq_msg_size(&self->in[0]),
                      zmq_msg_data(&self->in[3]), zmq_msg_size(&self->in[3]), SM_E_UNAUTHENTICATED,
                      "",
                      _("this connection's key is no longer trusted by the broker (revoked?); "
                        "ask an admin for a key (samenctl key new)"));
}

/*  Handle the message in self->in, then close its frames. Can't fail. */
static void s_handle(sm_broker_t *self)
{
    /*  Anything but a worker's heartbeat is activity: the loop gives freed
        memory back to the system after a quiet spell (sm_broker_run). */
    unsigned char heartbeat = MDPW_HEARTBEAT;
    if (!(self->nin == 3 && s_msg_is(&self->in[1], MDPW, 6) &&
          s_msg_is(&self->in[2], &heartbeat, 1)))
        self->activity++;
    /*  A message over a limit was counted when read, and is dropped. */
    if (!self->in_bad) {
        /*  Who sent it: the routing id frame is made by the ROUTER, so the
            connection's properties are read from the next frame. */
        const sm_key_t *key = &self->local;
        if (self->auth && self->nin >= 2)
            key = sm_auth_sender(self->auth, &self->in[1]);
        if (self->nin < 3)
            s_invalid(self);
        else if (!key)
            s_unauthenticated(self);
        else if (s_msg_is(&self->in[1], MDPC, 6))
            s_client_message(self, key);
        else if (s_msg_is(&self->in[1], MDPW, 6))
            s_worker_message(self, key);
        else
            s_invalid(self);
    }
    for (size_t i = 0; i < self->nin; i++)
        zmq_msg_close(&self->in[i]);
    self->nin = 0;
}

/* ==== Readiness (epoll over ZMQ_FD) ===================================== */

/*  The socket slot i should watch now (NULL: none). Can't fail. */
static void *s_slot_socket(sm_broker_t *self, int i)
{
    if (i == S_SLOT_ROUTER)
        return self->router;
    if (i == S_SLOT_EVENTS_IN)
        return sm_events_in(self->events);
    if (i == S_SLOT_EVENTS_OUT)
        return sm_events_out(self->events);
    return sm_auth_monitor(self->auth, (sm_auth_slot_t)(i - S_SLOT_MONITOR));
}

/*  Stop watching slot i's socket. Call before the socket is closed: its
    fd is still the one in the epoll set then. Can't fail. */
static void s_slot_forget(sm_broker_t *self, int i)
{
    if (self->slot[i].fd >= 0)
        epoll_ctl(self->epfd, EPOLL_CTL_DEL, self->slot[i].fd, NULL);
    self->slot[i].fd = -1;
    self->slot[i].sock = NULL;
    self->slot[i].ready = false;
}

/*  Watch every slot's current socket: a slot whose socket changed (the
    XPUB and its monitor after a cut) is watched afresh and marked ready,
    so that whatever it holds already is read. A socket that cannot be
    watched (out of memory in the kernel) sets self->unwatched, which
    ends sm_broker_run with an error: the broker would no longer hear it.
    Can't fail otherwise. */
static void s_slots_sync(sm_broker_t *self)
{
    for (int i = 0; i < S_SLOTS; i++) {
        void *sock = s_slot_socket(self, i);
        if (sock == self->slot[i].sock && (self->slot[i].fd >= 0 || !sock))
            continue;
        s_slot_forget(self, i);
        self->slot[i].sock = sock;
        if (!sock)
            continue;
        int fd = -1;
        size_t size = sizeof fd;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        if (zmq_getsockopt(sock, ZMQ_FD, &fd, &size) != 0 ||
            epoll_ctl(self->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
            self->unwatched = errno ? errno : EINVAL;
            continue;
        }
        self->slot[i].fd = fd;
        self->slot[i].ready = true;
    }
}

/*  Forget the sockets sm_events_cut() may close (the XPUB and the
    monitors), before it runs. Can't fail. */
static void s_slots_forget_cut(sm_broker_t *self)
{
    s_slot_forget(self, S_SLOT_EVENTS_OUT);
    for (int i = S_SLOT_MONITOR; i < S_SLOTS; i++)
        s_slot_forget(self, i);
}

/* ==== Timers ============================================================ */

/*  True when name is one of samen's own services (a daemon samen-NAME).
    Can't fail. */
static bool s_samen_service(const char *name)
{
    for (const char *const *n = sm_cfg_services; *n; n++)
        if (strcmp(*n, name) == 0)
            return true;
    return false;
}

/*  Answer every queued request whose time is up, then log one line per
    service that had any. Can't fail. */
static void s_expire(sm_broker_t *self)
{
    while (self->expiry_head && self->expiry_head->expires_ms <= self->now) {
        request_t *req = self->expiry_head;
        service_t *svc = req->service;
        char message[640];
        //  Only samen's own services have a daemon called samen-NAME.
        if (s_samen_service(svc->node.key))
            snprintf(message, sizeof message,
                     _("no worker for service \"%1$s\" answered within %2$lld ms; is samen-%1$s "
                       "running?"),
                     svc->node.key, (long long)self->cfg.request_expiry_ms);
        else
            snprintf(message, sizeof message,
                     _("no worker for service \"%1$s\" answered within %2$lld ms; is a worker "
                       "for it registered with this broker?"),
                     svc->node.key, (long long)self->cfg.request_expiry_ms);
        s_reply_error(self, zmq_msg_data(&req->client), zmq_msg_size(&req->client), svc->node.key,
                      svc->node.len, SM_E_UNAVAILABLE, "", message);
        self->counters.requests_expired++;
        if (svc->swept++ == 0) {
            svc->swept_next = self->swept;
            self->swept = svc;
        }
        s_request_free(self, req);
    }
    while (self->swept) {
        service_t *svc = self->swept;
        self->swept = svc->swept_next;
        char quoted[300];
        sm_warn("requests expired",
                "service=%s count=%" PRIu64 " workers=%" PRIu64 " queued=%" PRIu64
                " expiry_ms=%" PRId64,
                sm_log_quote(svc->node.key, quoted, sizeof quoted), svc->swept, svc->workers,
                svc->queued, self->cfg.request_expiry_ms);
        svc->swept = 0;
        if (!svc->registered && svc->workers == 0 && svc->queued == 0)
            s_service_forget(self, svc);
    }
}

/*  Expire silent workers and heartbeat the others. Can't fail. */
static void s_heartbeat(sm_broker_t *self)
{
    for (size_t b = 0; b <= self->workers.mask; b++) {
        s_node_t *node = self->workers.buckets[b];
        while (node) {
            s_node_t *next = node->next;
            worker_t *w = (worker_t *)node;
            if (w->expires_ms <= self->now)
                /*  Tell it, in case it is alive but was cut off: it will
                    reconnect and register afresh. */
                s_worker_remove(self, w, true, "expired");
            else
                s_send_command(self, w->node.key, w->node.len, MDPW_HEARTBEAT);
            node = next;
        }
    }
    self->next_heartbeat_ms = self->now + self->cfg.heartbeat_ms;
}

/*  Look at the trusted keys; when one was revoked (or lost roles), remove
    the workers that hold it at once and cut every subscriber off, so that
    the revoked one must pass the handshake again. Can't fail. */
static void s_check_keys(sm_broker_t *self)
{
    self->next_keys_check_ms = self->now + self->cfg.keys_check_ms;
    bool lost = false;
    if (sm_auth_refresh(self->auth, &lost) != 1 || !lost)
        return;
    for (size_t b = 0; b <= self->workers.mask; b++) {
        s_node_t *node = self->workers.buckets[b];
        while (node) {
            s_node_t *next = node->next;
            worker_t *w = (worker_t *)node;
            const sm_key_t *k = sm_auth_find(self->auth, w->key);
            if (!k || !(k->roles & sm_role_of_service(w->service->node.key))) {
                self->counters.unauthenticated++;
                s_worker_remove(self, w, true, "key_revoked");
            }
            node = next;
        }
    }
    s_slots_forget_cut(self);
    sm_events_cut(self->events);
    s_slots_sync(self);
}

/*  Milliseconds the loop may sleep: until the next heartbeat or the next
    request expiry, whichever is first. Can't fail. */
static long s_poll_timeout(const sm_broker_t *self)
{
    int64_t until = self->next_heartbeat_ms;
    if (self->expiry_head && self->expiry_head->expires_ms < until)
        until = self->expiry_head->expires_ms;
    if (self->auth && self->next_keys_check_ms < until)
        until = self->next_keys_check_ms;
    int64_t wait = until - self->now;
    if (self->tick && wait > 500)
        wait = 500;
    return wait < 0 ? 0 : (long)wait;
}

/* ==== Public API ======================================================== */

void sm_broker_config_defaults(sm_broker_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->endpoint, sizeof cfg->endpoint, "%s", SM_DEFAULT_BROKER);
    snprintf(cfg->events_in, sizeof cfg->events_in, "%s", SM_DEFAULT_EVENTS_IN);
    snprintf(cfg->events_out, sizeof cfg->events_out, "%s", SM_DEFAULT_EVENTS_OUT);
    cfg->heartbeat_ms = SM_DEFAULT_HEARTBEAT_MS;
    cfg->heartbeat_liveness = SM_DEFAULT_HEARTBEAT_LIVENESS;
    cfg->request_expiry_ms = SM_DEFAULT_REQUEST_EXPIRY_MS;
    cfg->max_message_bytes = SM_DEFAULT_MAX_MESSAGE;
    cfg->subscriber_hwm = 100000;
    cfg->max_queued = 100000;
    cfg->security = SM_SECURITY_CURVE;
    snprintf(cfg->keys_dir, sizeof cfg->keys_dir, "var/keys");
    snprintf(cfg->key_file, sizeof cfg->key_file, "var/keys/broker.cert_secret");
    cfg->keys_check_ms = 1000;
    cfg->io_threads = 1;
}

sm_broker_t *sm_broker_new(const sm_broker_config_t *cfg, sm_err_t *err)
{
    if (cfg->heartbeat_ms < 1 || cfg->heartbeat_liveness < 1 || cfg->request_expiry_ms < 1 ||
        cfg->max_message_bytes < 64 || cfg->subscriber_hwm < 0 || cfg->subscriber_hwm > INT32_MAX ||
        cfg->max_queued < 1 || cfg->keys_check_ms < 1 || cfg->io_threads < 1 ||
        cfg->io_threads > 64) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "config",
                   _("broker settings out of range; see sm_broker_config_t"));
        return NULL;
    }
    sm_broker_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->cfg = *cfg;
    sm_buf_init(&self->buf);
    for (int i = 0; i < S_SLOTS; i++)
        self->slot[i].fd = -1;
    self->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (self->epfd < 0) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("cannot create an epoll set"));
        goto failed;
    }
    if (s_table_init(&self->services, 64) != 0 || s_table_init(&self->workers, 256) != 0) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto failed;
    }
    sm_key_set_caller(&self->local, "local", SM_ROLE_ADMIN);
    snprintf(self->local.name, sizeof self->local.name, "local");
    self->local.roles = SM_ROLE_ADMIN;
    if (cfg->security == SM_SECURITY_CURVE) {
        /*  zauth answers ZAP in czmq's own context, so our sockets live
            there too. No czmq signal handler: main.c handles SIGTERM. The
            CurveZMQ work happens in the context's I/O threads. */
        zsys_handler_set(NULL);
        zsys_set_io_threads((size_t)cfg->io_threads);
        self->ctx = zsys_init();
        if (self->ctx)
            self->auth = sm_auth_new(self->ctx, cfg->keys_dir, cfg->key_file, err);
        if (!self->auth)
            goto failed;
    } else if ((self->ctx = zmq_ctx_new()) != NULL)
        zmq_ctx_set(self->ctx, ZMQ_IO_THREADS, (int)cfg->io_threads);
    if (!self->ctx) {
        sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot create a ZeroMQ context: %s"),
                   zmq_strerror(errno));
        goto failed;
    }
    self->router = zmq_socket(self->ctx, ZMQ_ROUTER);
    if (!self->router) {
        sm_err_set(err, SM_E_INTERNAL, NULL, _("cannot create a ZeroMQ socket: %s"),
                   zmq_strerror(errno));
        goto failed;
    }
    int zero = 0, one = 1;
    int64_t max_message = cfg->max_message_bytes;
    zmq_setsockopt(self->router, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(self->router, ZMQ_MAXMSGSIZE, &max_message, sizeof max_message);
    /*  Refuse rather than silently drop a message to a peer that is gone or
        full, so that a request to a vanished worker goes to another and an
        undeliverable reply is counted. With ZMQ_DONTWAIT it never blocks. */
    zmq_setsockopt(self->router, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    if (self->auth && sm_auth_server(self->auth, self->router, SM_AUTH_ROUTER, err) != 0)
        goto failed;
    if (zmq_bind(self->router, cfg->endpoint) != 0) {
        sm_err_set(
            err, SM_E_UNAVAILABLE, "broker/endpoint",
            _("cannot bind broker/endpoint to %1$s: %2$s; is another broker running, or give "
              "another endpoint"),
            cfg->endpoint, zmq_strerror(errno));
        goto failed;
    }
    self->events = sm_events_new(self->ctx, cfg->events_in, cfg->events_out,
                                 (int)cfg->subscriber_hwm, cfg->max_message_bytes, self->auth,
                                 err);
    if (!self->events)
        goto failed;
    self->now = self->started_ms = s_clock_ms();
    self->next_heartbeat_ms = self->now + cfg->heartbeat_ms;
    self->next_keys_check_ms = self->now + cfg->keys_check_ms;
    return self;
failed:
    sm_broker_destroy(&self);
    return NULL;
}

void sm_broker_destroy(sm_broker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sm_broker_t *self = *self_p;
    while (self->expiry_head)
        s_request_free(self, self->expiry_head);
    while (self->slabs) {
        s_slab_t *next = self->slabs->next;
        free(self->slabs);
        self->slabs = next;
    }
    for (size_t b = 0; self->workers.buckets && b <= self->workers.mask; b++)
        for (s_node_t *n = self->workers.buckets[b], *next; n; n = next) {
            next = n->next;
            free(n);
        }
    for (size_t b = 0; self->services.buckets && b <= self->services.mask; b++)
        for (s_node_t *n = self->services.buckets[b], *next; n; n = next) {
            next = n->next;
            free(n);
        }
    free(self->workers.buckets);
    free(self->services.buckets);
    free(self->rows);
    sm_buf_free(&self->buf);
    if (self->epfd >= 0)
        close(self->epfd);
    sm_events_destroy(&self->events);
    if (self->auth)
        sm_auth_unwatch(self->auth, SM_AUTH_ROUTER);
    if (self->router)
        zmq_close(self->router);
    /*  czmq's zsys context is terminated by zsys_shutdown at exit, after
        zauth; a context of our own we end here. */
    if (self->auth || self->cfg.security == SM_SECURITY_CURVE)
        sm_auth_destroy(&self->auth);
    else if (self->ctx)
        zmq_ctx_term(self->ctx);
    free(self);
    *self_p = NULL;
}

/*  Order services by name for a stable status listing. */
static int s_row_cmp(const void *a, const void *b)
{
    const sm_broker_service_stat_t *x = a, *y = b;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);
    if (c)
        return c;
    return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

int sm_broker_stats(sm_broker_t *self, sm_broker_stats_t *out)
{
    size_t count = self->services.count;
    if (count > self->rows_size) {
        sm_broker_service_stat_t *rows = realloc(self->rows, count * sizeof *rows);
        if (!rows)
            return -1;
        self->rows = rows;
        self->rows_size = count;
    }
    size_t i = 0;
    for (size_t b = 0; b <= self->services.mask; b++)
        for (s_node_t *n = self->services.buckets[b]; n; n = n->next) {
            const service_t *svc = (const service_t *)n;
            self->rows[i++] = (sm_broker_service_stat_t){.name = svc->node.key,
                                                         .name_len = svc->node.len,
                                                         .workers = svc->workers,
                                                         .idle = svc->idle,
                                                         .queued = svc->queued};
        }
    if (i)
        qsort(self->rows, i, sizeof *self->rows, s_row_cmp);
    *out = self->counters;
    out->uptime_s = (s_clock_ms() - self->started_ms) / 1000;
    out->services = self->rows;
    out->service_count = i;
    out->max_message_bytes = self->cfg.max_message_bytes;
    sm_events_stats_t events;
    sm_events_stats(self->events, &events);
    out->events_forwarded = events.forwarded;
    out->events_dropped = events.dropped;
    out->subscriptions = events.subscriptions;
    out->oversize_dropped += events.oversize;
    out->events_refused = events.refused;
    out->subscribers_cut = events.cuts;
    out->security = self->auth ? "curve" : "plain";
    out->keys_trusted = sm_auth_keys(self->auth);
    out->handshakes_refused = sm_auth_handshakes_refused(self->auth);
    return 0;
}

int sm_broker_run(sm_broker_t *self, const volatile sig_atomic_t *stop)
{
    /*  After a burst, glibc keeps the freed heap in its arenas; give it back
        to the system once the broker has been quiet for a few seconds, so
        that an idle broker is as small as a fresh one. Activity is any
        message but the workers' heartbeats (MMI and refused requests too:
        45,000 short connections asking mmi.service left 196 MB behind)
        and every event forwarded. Quiet is fewer than S_QUIET messages in
        a window of S_QUIET_MS, not none: heartbeats never stop, and a
        follower's events.read to a service that is down comes every few
        seconds; counting either kept the broker from ever trimming. A trim
        follows a burst of at least S_BURST messages, and once a minute
        anyway, for what connections alone leave in ZeroMQ's I/O thread. */
    uint64_t window_seen = 0, trimmed_at = 0;
    int64_t window_ms = s_clock_ms(), last_trim = s_clock_ms();
    s_slots_sync(self);
    /*  A signal that lands between the test of *stop and epoll_wait is
        seen when the wait times out, at most heartbeat_ms later. */
    while (!*stop) {
        sm_events_stats_t es;
        sm_events_stats(self->events, &es);
        uint64_t seen = self->activity + es.forwarded;
        int64_t now = s_clock_ms();
        if (now - window_ms >= S_QUIET_MS) {
            bool quiet = seen - window_seen < S_QUIET;
            window_seen = seen;
            window_ms = now;
            if ((quiet && seen - trimmed_at >= S_BURST) || now - last_trim >= 60000) {
                malloc_trim(0);
                trimmed_at = seen;
                last_trim = now;
            }
        }
        if (self->unwatched) {
            sm_error("poll failed", "error=\"cannot watch a socket: %s\"",
                     strerror(self->unwatched));
            return -1;
        }
        /*  Sleep only when no socket may hold a message. */
        bool any = false;
        for (int i = 0; i < S_SLOTS; i++)
            any = any || self->slot[i].ready;
        self->now = s_clock_ms();
        struct epoll_event evs[S_SLOTS];
        int rc = epoll_wait(self->epfd, evs, S_SLOTS, any ? 0 : (int)s_poll_timeout(self));
        if (rc == -1 && errno != EINTR) {
            sm_error("poll failed", "error=\"%s\"", strerror(errno));
            return -1;
        }
        self->now = s_clock_ms();
        for (int i = 0; i < rc; i++)
            self->slot[evs[i].data.u32].ready = true;
        /*  Each socket is read until it is empty (then it is not ready
            until its fd fires, or until something is sent on it) or for
            one batch (then it stays ready, and the next pass goes on). */
        if (self->slot[S_SLOT_ROUTER].ready) {
            int i = 0;
            while (i < S_BATCH && s_receive(self) > 0) {
                s_handle(self);
                i++;
            }
            if (i < S_BATCH)
                self->slot[S_SLOT_ROUTER].ready = false;
        }
        if (self->slot[S_SLOT_EVENTS_IN].ready) {
            size_t n = sm_events_forward(self->events, S_BATCH);
            self->slot[S_SLOT_EVENTS_IN].ready = n == S_BATCH;
            if (n && self->slot[S_SLOT_EVENTS_OUT].sock)
                self->slot[S_SLOT_EVENTS_OUT].ready = true; /*  sent on */
        }
        if (self->slot[S_SLOT_EVENTS_OUT].ready) {
            size_t n = sm_events_subscribe(self->events, S_BATCH);
            self->slot[S_SLOT_EVENTS_OUT].ready = n == S_BATCH;
            if (n)
                self->slot[S_SLOT_EVENTS_IN].ready = true; /*  sent on */
        }
        for (int i = 0; i < SM_AUTH_SLOTS; i++)
            if (self->slot[S_SLOT_MONITOR + i].ready) {
                self->slot[S_SLOT_MONITOR + i].ready = false;
                sm_auth_drain(self->auth, (sm_auth_slot_t)i);
            }
        s_expire(self);
        if (self->now >= self->next_heartbeat_ms)
            s_heartbeat(self);
        if (self->auth && self->now >= self->next_keys_check_ms) {
            s_check_keys(self);
            if (!sm_events_out(self->events)) {
                sm_events_cut_retry(self->events);
                s_slots_sync(self);
            }
        }
        if (self->tick)
            self->tick(self, self->tick_arg);
    }
    return 0;
}

void sm_broker_on_tick(sm_broker_t *self, sm_broker_tick_fn *fn, void *arg)
{
    self->tick = fn;
    self->tick_arg = arg;
}
