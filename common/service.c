/*  common/service.c - the service main loop. See service.h for the contract. */
#include "service.h"
#include "../proto/mdp.h"
#include "client.h"
#include "evlog.h"
#include "log.h"
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define SM_MAX_WORKERS 256
#define SM_MAX_FOLLOWED 8
#define SM_BACKFILL_LIMIT 500
#define SM_BACKFILL_TIMEOUT_MS 3000

/* ==== Types ============================================================= */

typedef struct {
    void *sock;
    int64_t last_recv;  /*  monotonic ms of the last message from the broker */
    int64_t last_send;  /*  monotonic ms of the last message to the broker */
} worker_t;

typedef struct {
    int worker;            /*  index of the worker connection it came on */
    zmq_msg_t address;     /*  the client's address frame, returned with the reply */
    sm_doc_t *doc;
    const msgpack_object *args;
    const sm_op_t *op;
    char op_name[72];
    char rid[72];
    sm_buf_t reply;
    int64_t t0_us;
    bool failed;
    char outcome[40];
} request_t;

typedef struct {
    char service[32];
    uint64_t cursor;      /*  last seq applied (mirror of the cursors db) */
    bool need_backfill;
    bool inflight;
    int64_t sent_at;
    /*  One MDP client per followed service, so that a service that is down
        (its events.read waits out the broker's expiry) never holds up the
        backfill of the others. */
    sm_client_t *client;
} follow_t;

typedef struct {
    sm_buf_t bytes;       /*  the encoded event */
    char topic[96];
} pending_event_t;

struct _sm_service_t {
    const sm_service_def_t *def;
    sm_config_t *cfg;
    sm_store_t *store;
    void *user;
    void *zctx;
    const char *broker_ep, *events_in, *events_out;
    int nworkers;
    worker_t workers[SM_MAX_WORKERS];
    void *pub, *sub;
    sm_client_t *caller;     /*  sync client for sm_ctx_call */
    int nfollow;
    follow_t follow[SM_MAX_FOLLOWED];
    int64_t heartbeat_ms, liveness, max_message, idem_ttl_ms, backfill_interval_ms;
    int64_t last_backfill_sweep, last_idem_purge;
    int64_t *timer_last;
    uint64_t next_seq;       /*  seq the next event gets */
    /*  events emitted by the transaction in hand, published after commit */
    pending_event_t *pending;
    size_t npending, cap_pending;
    request_t *batch;        /*  SM_MAX_WORKERS slots */
    /*  Readiness: one epoll set over the sockets' ZMQ_FDs. Slots: workers
        0..nworkers-1, then the SUB socket, then one per followed service.
        ready[slot] says "look at this socket": its fd fired, or we just
        wrote to it (a send can consume the notification). zmq_poll over
        every worker socket cost two system calls per socket per pass. */
    int epfd;
    int ep_fd[SM_MAX_WORKERS + 1 + SM_MAX_FOLLOWED];
    bool ready[SM_MAX_WORKERS + 1 + SM_MAX_FOLLOWED];
    int64_t started_ms;
    uint64_t requests, refused, batches, events_published, events_applied;
};

struct _sm_ctx_t {
    sm_service_t *svc;
    MDB_txn *txn;
    bool write;
    msgpack_packer *reply;
    const char *rid;
    int64_t now_ms;
    sm_err_t err;
    bool map_full;
    sm_buf_t event_data;  /*  data of the event being built */
    char event_topic[96];
    bool event_open;
};

/*  SIGTERM/SIGINT set this; the loop notices when zmq_poll returns. A
    signal handler can only touch a volatile sig_atomic_t, hence this one
    piece of static mutable state. */
static volatile sig_atomic_t s_interrupted = 0;

static void s_on_signal(int sig)
{
    (void)sig;
    s_interrupted = 1;
}

static int64_t s_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t s_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t s_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ==== Context API ======================================================= */

sm_config_t *sm_service_config(sm_service_t *svc) { return svc->cfg; }
sm_store_t *sm_service_store(sm_service_t *svc) { return svc->store; }
void sm_service_set_user(sm_service_t *svc, void *user) { svc->user = user; }
void *sm_service_user(sm_service_t *svc) { return svc->user; }
sm_service_t *sm_ctx_service(sm_ctx_t *ctx) { return ctx->svc; }
void *sm_ctx_user(sm_ctx_t *ctx) { return ctx->svc->user; }
MDB_txn *sm_ctx_txn(sm_ctx_t *ctx) { return ctx->txn; }
msgpack_packer *sm_ctx_reply(sm_ctx_t *ctx) { return ctx->reply; }
const char *sm_ctx_rid(sm_ctx_t *ctx) { return ctx->rid ? ctx->rid : ""; }
int64_t sm_ctx_now_ms(sm_ctx_t *ctx) { return ctx->now_ms; }
sm_err_t *sm_ctx_err(sm_ctx_t *ctx) { return &ctx->err; }

MDB_dbi sm_ctx_dbi(sm_ctx_t *ctx, const char *name)
{
    return sm_store_dbi(ctx->svc->store, name);
}

int sm_ctx_fail(sm_ctx_t *ctx, const char *code, const char *field, const char *fmt, ...)
{
    ctx->err.code = code;
    snprintf(ctx->err.field, sizeof ctx->err.field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err.message, sizeof ctx->err.message, fmt, ap);
    va_end(ap);
    return -1;
}

static int s_lmdb_fail(sm_ctx_t *ctx, int rc, const char *what)
{
    if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
        ctx->map_full = true;
    return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "store %s failed: %s", what, mdb_strerror(rc));
}

int sm_ctx_put(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen, const void *val,
               size_t vlen)
{
    if (!ctx->write)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "write in a read-only op (a bug)");
    MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
    int rc = mdb_put(ctx->txn, dbi, &k, &v, 0);
    return rc ? s_lmdb_fail(ctx, rc, "write") : 0;
}

int sm_ctx_get(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen, MDB_val *val)
{
    MDB_val k = {klen, (void *)key};
    int rc = mdb_get(ctx->txn, dbi, &k, val);
    if (rc == MDB_NOTFOUND)
        return 0;
    return rc ? s_lmdb_fail(ctx, rc, "read") : 1;
}

int sm_ctx_del(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen)
{
    if (!ctx->write)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "delete in a read-only op (a bug)");
    MDB_val k = {klen, (void *)key};
    int rc = mdb_del(ctx->txn, dbi, &k, NULL);
    if (rc == MDB_NOTFOUND)
        return 0;
    return rc ? s_lmdb_fail(ctx, rc, "delete") : 0;
}

int sm_ctx_put_u64(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, const sm_buf_t *val)
{
    uint8_t k[8];
    sm_key_u64(key, k);
    return sm_ctx_put(ctx, dbi, k, 8, val->sbuf.data, val->sbuf.size);
}

int sm_ctx_get_u64(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, MDB_val *val)
{
    uint8_t k[8];
    sm_key_u64(key, k);
    return sm_ctx_get(ctx, dbi, k, 8, val);
}

uint64_t sm_ctx_next_id(sm_ctx_t *ctx, char letter)
{
    char key[8] = {'i', 'd', '/', letter, '\0'};
    uint64_t n = sm_meta_u64(ctx->svc->store, ctx->txn, key) + 1;
    int rc = sm_meta_put_u64(ctx->svc->store, ctx->txn, key, n);
    if (rc) {
        s_lmdb_fail(ctx, rc, "id allocation");
        return 0;
    }
    return n;
}

msgpack_packer *sm_ctx_event_begin(sm_ctx_t *ctx, const char *topic)
{
    sm_buf_reset(&ctx->event_data);
    snprintf(ctx->event_topic, sizeof ctx->event_topic, "%s", topic);
    ctx->event_open = true;
    return &ctx->event_data.pk;
}

int sm_ctx_event_end(sm_ctx_t *ctx)
{
    sm_service_t *svc = ctx->svc;
    if (!ctx->event_open || !ctx->write)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "event outside a write (a bug)");
    ctx->event_open = false;
    if (svc->npending == svc->cap_pending) {
        size_t cap = svc->cap_pending ? svc->cap_pending * 2 : 64;
        pending_event_t *p = realloc(svc->pending, cap * sizeof *p);
        if (!p)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        svc->pending = p;
        svc->cap_pending = cap;
    }
    pending_event_t *pe = &svc->pending[svc->npending];
    sm_buf_init(&pe->bytes);
    snprintf(pe->topic, sizeof pe->topic, "%s", ctx->event_topic);
    int rc = sm_evlog_append(svc->store, ctx->txn, svc->next_seq + svc->npending, s_wall_ms(),
                             ctx->event_topic, ctx->event_data.sbuf.data,
                             ctx->event_data.sbuf.size, &pe->bytes);
    if (rc) {
        sm_buf_free(&pe->bytes);
        return s_lmdb_fail(ctx, rc, "event append");
    }
    svc->npending++;
    return 0;
}

static void s_worker_send_cmd(sm_service_t *svc, int w, unsigned char cmd, const char *arg);

/*  Keep the broker's view of our workers alive while the loop is busy. */
static void s_heartbeat_idle_workers(sm_service_t *svc)
{
    int64_t now = s_mono_ms();
    for (int w = 0; w < svc->nworkers; w++)
        if (svc->workers[w].sock && now - svc->workers[w].last_send >= svc->heartbeat_ms)
            s_worker_send_cmd(svc, w, MDPW_HEARTBEAT, NULL);
}

sm_doc_t *sm_ctx_call(sm_ctx_t *ctx, const char *service, const char *op, const void *args,
                      size_t args_size, int timeout_ms, sm_err_t *err)
{
    /*  The loop is blocked while we wait, so heartbeat meanwhile: otherwise a
        call longer than heartbeat_ms x liveness would make the broker give up
        on every worker of this service. Incoming messages wait in their
        sockets and are read when the loop resumes. */
    sm_service_t *svc = ctx->svc;
    sm_buf_t body;
    sm_buf_init(&body);
    sm_request_pack(&body, op, args, args_size, NULL);
    sm_doc_t *doc = NULL;
    for (int attempt = 0; attempt < 2 && !doc; attempt++) {
        if (attempt && sm_client_reset(svc->caller) != 0)
            break;
        if (sm_client_send(svc->caller, service, body.sbuf.data, body.sbuf.size) != 0)
            continue;
        int64_t deadline = s_mono_ms() + timeout_ms;
        while (!doc) {
            int64_t left = deadline - s_mono_ms();
            if (left <= 0)
                break;
            long wait = (long)(left < svc->heartbeat_ms / 2 ? left : svc->heartbeat_ms / 2);
            zmq_pollitem_t item = {sm_client_socket(svc->caller), 0, ZMQ_POLLIN, 0};
            if (zmq_poll(&item, 1, wait) > 0) {
                sm_err_t e;
                sm_err_clear(&e);
                doc = sm_client_recv(svc->caller, &e);
                if (!doc && e.code && strcmp(e.code, SM_E_UNAVAILABLE) != 0) {
                    if (err)
                        *err = e;
                    sm_buf_free(&body);
                    return NULL;
                }
            }
            s_heartbeat_idle_workers(svc);
        }
    }
    sm_buf_free(&body);
    if (!doc) {
        sm_client_reset(svc->caller);
        sm_err_set(err, SM_E_UNAVAILABLE, NULL,
                   "service \"%s\" did not answer %s within %d ms; try again", service, op,
                   timeout_ms);
    }
    return doc;
}

int sm_ctx_forget_replies(sm_ctx_t *ctx, const char *id)
{
    /*  Look for the ID as MessagePack packs it (a fixstr: length byte and
        text), so that "P14" does not match inside "P140". */
    size_t len = strlen(id);
    if (len == 0 || len > 31)
        return 0;
    uint8_t pat[32];
    pat[0] = (uint8_t)(0xa0 | len);
    memcpy(pat + 1, id, len);
    MDB_cursor *cur;
    MDB_val k, v;
    int dropped = 0;
    if (mdb_cursor_open(ctx->txn, sm_ctx_dbi(ctx, "idem"), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read stored replies");
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        if (memmem(v.mv_data, v.mv_size, pat, len + 1)) {
            int drc = mdb_cursor_del(cur, 0);
            if (drc) {
                mdb_cursor_close(cur);
                return s_lmdb_fail(ctx, drc, "forgetting stored replies");
            }
            dropped++;
        }
    mdb_cursor_close(cur);
    return dropped;
}

uint64_t sm_id_parse(const char *text, char letter, const char *field, sm_err_t *err)
{
    uint64_t n = 0;
    const char *p = text;
    if (p && (*p == letter || *p == letter + 32))
        p++;
    else
        p = NULL;
    if (p && *p >= '1' && *p <= '9' && strlen(p) <= 15) {
        for (; *p >= '0' && *p <= '9'; p++)
            n = n * 10 + (uint64_t)(*p - '0');
        if (*p == '\0')
            return n;
    }
    sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
               "field \"%s\" must be an ID like %c12, got \"%.40s\"", field, letter,
               text ? text : "");
    return 0;
}

int sm_get_id(const msgpack_object *args, const char *key, char letter, bool required,
              uint64_t *out, sm_err_t *err)
{
    char buf[40];
    int rc = sm_get_str(args, key, required, buf, sizeof buf, false, err);
    if (rc <= 0)
        return rc;
    *out = sm_id_parse(buf, letter, key, err);
    return *out ? 1 : -1;
}

char *sm_id_format(char letter, uint64_t n, char *buf)
{
    snprintf(buf, 24, "%c%llu", letter, (unsigned long long)n);
    return buf;
}

/* ==== Readiness (epoll over ZMQ_FD) ===================================== */

static int s_slot_sub(sm_service_t *svc) { return svc->nworkers; }
static int s_slot_follow(sm_service_t *svc, int i) { return svc->nworkers + 1 + i; }

/*  Watch sock in slot (replacing whatever the slot watched). Marks it
    pending so that anything already queued is read. */
static void s_ep_watch(sm_service_t *svc, int slot, void *sock)
{
    if (svc->epfd < 0)
        return;
    if (svc->ep_fd[slot] >= 0) {
        epoll_ctl(svc->epfd, EPOLL_CTL_DEL, svc->ep_fd[slot], NULL);
        svc->ep_fd[slot] = -1;
    }
    int fd = -1;
    size_t sz = sizeof fd;
    if (sock && zmq_getsockopt(sock, ZMQ_FD, &fd, &sz) == 0) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)slot};
        if (epoll_ctl(svc->epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
            svc->ep_fd[slot] = fd;
    }
    svc->ready[slot] = true;
}

/*  Forget slot's socket before it is closed. */
static void s_ep_forget(sm_service_t *svc, int slot)
{
    if (svc->epfd >= 0 && svc->ep_fd[slot] >= 0)
        epoll_ctl(svc->epfd, EPOLL_CTL_DEL, svc->ep_fd[slot], NULL);
    svc->ep_fd[slot] = -1;
}

/*  True when sock has a message to read now. */
static bool s_readable(void *sock)
{
    int ev = 0;
    size_t sz = sizeof ev;
    return zmq_getsockopt(sock, ZMQ_EVENTS, &ev, &sz) == 0 && (ev & ZMQ_POLLIN);
}

/* ==== Worker connections (MDP/Worker) =================================== */

static int s_send_frames(void *sock, const void **data, const size_t *size, int n)
{
    for (int i = 0; i < n; i++)
        if (zmq_send(sock, data[i], size[i], (i < n - 1 ? ZMQ_SNDMORE : 0) | ZMQ_DONTWAIT) < 0)
            return -1;
    return 0;
}

static void s_worker_send_cmd(sm_service_t *svc, int w, unsigned char cmd, const char *arg)
{
    const void *d[3] = {MDPW, &cmd, arg};
    size_t s[3] = {6, 1, arg ? strlen(arg) : 0};
    s_send_frames(svc->workers[w].sock, d, s, arg ? 3 : 2);
    svc->workers[w].last_send = s_mono_ms();
    svc->ready[w] = true;
}

static int s_worker_connect(sm_service_t *svc, int w)
{
    worker_t *wk = &svc->workers[w];
    if (wk->sock) {
        s_ep_forget(svc, w);
        zmq_close(wk->sock);
    }
    wk->sock = zmq_socket(svc->zctx, ZMQ_DEALER);
    if (!wk->sock)
        return -1;
    int linger = 0;
    zmq_setsockopt(wk->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(wk->sock, ZMQ_MAXMSGSIZE, &svc->max_message, sizeof svc->max_message);
    if (zmq_connect(wk->sock, svc->broker_ep) != 0)
        return -1;
    s_ep_watch(svc, w, wk->sock);
    s_worker_send_cmd(svc, w, MDPW_READY, svc->def->name);
    wk->last_recv = s_mono_ms();
    return 0;
}

/* ==== Replies =========================================================== */

static void s_pack_error(sm_buf_t *b, const sm_err_t *e)
{
    sm_buf_reset(b);
    msgpack_pack_map(&b->pk, 2);
    sm_pack_kv_bool(&b->pk, "ok", false);
    sm_pack_str(&b->pk, "error");
    msgpack_pack_map(&b->pk, 3);
    sm_pack_kv_str(&b->pk, "code", e->code ? e->code : SM_E_INTERNAL);
    sm_pack_kv_str(&b->pk, "message", e->message[0] ? e->message : "internal error");
    sm_pack_kv_str(&b->pk, "field", e->field);
}

static void s_reply_prefix(sm_buf_t *b)
{
    sm_buf_reset(b);
    msgpack_pack_map(&b->pk, 2);
    sm_pack_kv_bool(&b->pk, "ok", true);
    sm_pack_str(&b->pk, "data");
}

static void s_send_reply(sm_service_t *svc, request_t *r)
{
    /*  A reply over the message limit would make the broker drop this
        worker's connection, and every retry would fail the same way. The
        write (if any) is committed; say so, and say how to ask for less. */
    if ((int64_t)r->reply.sbuf.size > svc->max_message - 512) {
        sm_err_t e;
        sm_err_set(&e, SM_E_RESOURCE_EXHAUSTED, NULL,
                   "the reply to %s is %zu bytes, more than the broker's max_message_bytes "
                   "(%lld); ask for less (a smaller limit or a narrower filter) or raise the "
                   "limit",
                   r->op_name, r->reply.sbuf.size, (long long)svc->max_message);
        r->failed = true;
        snprintf(r->outcome, sizeof r->outcome, "%s", e.code);
        s_pack_error(&r->reply, &e);
    }
    unsigned char cmd = MDPW_FINAL;
    const void *d[5] = {MDPW, &cmd, zmq_msg_data(&r->address), "", r->reply.sbuf.data};
    size_t s[5] = {6, 1, zmq_msg_size(&r->address), 0, r->reply.sbuf.size};
    if (s_send_frames(svc->workers[r->worker].sock, d, s, 5) != 0)
        sm_warn("reply not sent", "op=%s err=%s", r->op_name, zmq_strerror(zmq_errno()));
    svc->workers[r->worker].last_send = s_mono_ms();
    svc->ready[r->worker] = true;
    int64_t dur = s_mono_us() - r->t0_us;
    /*  Writes and refusals at info; successful reads (polling, lookups) at debug. */
    bool loud = r->failed || (r->op && (r->op->flags & SM_OP_WRITE));
    sm_log(loud ? SM_LOG_INFO : SM_LOG_DEBUG, "request", "op=%s rid=%s dur_us=%lld outcome=%s",
           r->op_name[0] ? r->op_name : "-", r->rid[0] ? r->rid : "-", (long long)dur,
           r->outcome);
    svc->requests++;
    if (r->failed)
        svc->refused++;
}

static void s_request_free(request_t *r)
{
    zmq_msg_close(&r->address);
    sm_doc_destroy(&r->doc);
    sm_buf_free(&r->reply);
}

/* ==== Built-in ops ====================================================== */

static int s_op_info(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_service_t *svc = ctx->svc;
    msgpack_packer *pk = ctx->reply;
    int nops = 0;
    while (svc->def->ops[nops].name)
        nops++;
    msgpack_pack_map(pk, 12);
    sm_pack_kv_str(pk, "name", svc->def->name);
    sm_pack_kv_str(pk, "version", svc->def->version);
    sm_pack_kv_int(pk, "schema_version", svc->def->schema_version);
    sm_pack_kv_uint(pk, "last_seq", svc->next_seq - 1);
    sm_pack_kv_int(pk, "workers", svc->nworkers);
    sm_pack_kv_int(pk, "uptime_s", (s_mono_ms() - svc->started_ms) / 1000);
    sm_pack_kv_uint(pk, "store_bytes", sm_store_used_bytes(svc->store));
    sm_pack_kv_uint(pk, "map_bytes", sm_store_map_size(svc->store));
    sm_pack_kv_uint(pk, "requests", svc->requests);
    sm_pack_str(pk, "following");
    msgpack_pack_map(pk, (size_t)svc->nfollow);
    for (int i = 0; i < svc->nfollow; i++)
        sm_pack_kv_uint(pk, svc->follow[i].service, svc->follow[i].cursor);
    sm_pack_str(pk, "counts");
    if (svc->def->counts)
        svc->def->counts(ctx, pk);
    else
        msgpack_pack_map(pk, 0);
    sm_pack_str(pk, "ops");
    msgpack_pack_array(pk, (size_t)nops + 3);
    sm_pack_str(pk, "service.info");
    sm_pack_str(pk, "events.read");
    sm_pack_str(pk, "store.backup");
    for (int i = 0; i < nops; i++)
        sm_pack_str(pk, svc->def->ops[i].name);
    return 0;
}

static int s_op_events_read(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"after", "limit", NULL};
    uint64_t after = 0, limit = 100;
    if (sm_check_keys(args, keys, &ctx->err) ||
        sm_get_uint(args, "after", false, UINT64_MAX, &after, &ctx->err) < 0 ||
        sm_get_uint(args, "limit", false, 1000, &limit, &ctx->err) < 0)
        return -1;
    if (limit == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "limit",
                           "field \"limit\" must be from 1 to 1000");
    /*  Keep the reply well under the broker's message limit. */
    size_t max_bytes = (size_t)(ctx->svc->max_message / 2);
    sm_evlog_read(ctx->svc->store, ctx->txn, after, (unsigned)limit, max_bytes, ctx->reply);
    return 0;
}

static int s_op_backup(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"path", NULL};
    char path[400];
    if (sm_check_keys(args, keys, &ctx->err) ||
        sm_get_str(args, "path", true, path, sizeof path, false, &ctx->err) < 0)
        return -1;
    if (sm_store_backup(ctx->svc->store, path, &ctx->err) != 0)
        return -1;
    msgpack_pack_map(ctx->reply, 2);
    sm_pack_kv_str(ctx->reply, "path", path);
    sm_pack_kv_uint(ctx->reply, "last_seq", ctx->svc->next_seq - 1);
    sm_info("backup written", "last_seq=%llu", (unsigned long long)(ctx->svc->next_seq - 1));
    return 0;
}

static const sm_op_t s_builtin_ops[] = {
    {"service.info", s_op_info, SM_OP_READ, "name, version, schema, last event seq, counts"},
    {"events.read", s_op_events_read, SM_OP_READ, "stored events after a seq, in order"},
    {"store.backup", s_op_backup, SM_OP_READ, "compacting hot copy of the store"},
    {NULL, NULL, 0, NULL}};

static const sm_op_t *s_find_op(sm_service_t *svc, const char *name)
{
    for (int i = 0; s_builtin_ops[i].name; i++)
        if (strcmp(s_builtin_ops[i].name, name) == 0)
            return &s_builtin_ops[i];
    for (int i = 0; svc->def->ops[i].name; i++)
        if (strcmp(svc->def->ops[i].name, name) == 0)
            return &svc->def->ops[i];
    return NULL;
}

/* ==== Request decoding ================================================== */

/*  Decode the envelope {"op","args","rid"}; fills r or leaves an error reply. */
static int s_decode_request(sm_service_t *svc, request_t *r, const void *body, size_t size)
{
    static const char *keys[] = {"op", "args", "rid", NULL};
    static const msgpack_object s_empty = {.type = MSGPACK_OBJECT_MAP};
    sm_err_t e;
    sm_err_clear(&e);
    r->doc = sm_doc_parse(body, size, &e);
    if (!r->doc)
        goto refuse;
    const msgpack_object *root = sm_doc_root(r->doc);
    if (root->type != MSGPACK_OBJECT_MAP) {
        sm_err_set(&e, SM_E_INVALID_ARGUMENT, "body",
                   "the request body must be a MessagePack map {\"op\": ..., \"args\": {...}, "
                   "\"rid\": ...}");
        goto refuse;
    }
    if (sm_check_keys(root, keys, &e) ||
        sm_get_str(root, "op", true, r->op_name, sizeof r->op_name, false, &e) < 0 ||
        sm_get_str(root, "rid", false, r->rid, 65, false, &e) < 0 ||
        sm_get_map(root, "args", false, &r->args, &e) < 0)
        goto refuse;
    if (!r->args)
        r->args = &s_empty;
    r->op = s_find_op(svc, r->op_name);
    if (!r->op) {
        char list[400] = "";
        size_t o = 0;
        for (int i = 0; svc->def->ops[i].name && o < sizeof list - 60; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                  svc->def->ops[i].name);
        sm_err_set(&e, SM_E_INVALID_ARGUMENT, "op",
                   "unknown op \"%s\" for service %s; ops: service.info, events.read, "
                   "store.backup%s%s",
                   r->op_name, svc->def->name, list[0] ? ", " : "", list);
        /*  Do not echo an unknown op into the logs verbatim: it is input. */
        snprintf(r->op_name, sizeof r->op_name, "(unknown)");
        goto refuse;
    }
    return 0;
refuse:
    if (r->op_name[0] == '\0')
        snprintf(r->op_name, sizeof r->op_name, "(none)");
    r->failed = true;
    snprintf(r->outcome, sizeof r->outcome, "%s", e.code ? e.code : SM_E_INTERNAL);
    s_pack_error(&r->reply, &e);
    return -1;
}

/* ==== Idempotency ======================================================= */

/*  idem value: 8-byte BE wall ms, 1 byte op length, op, reply bytes. */
static int s_idem_lookup(sm_ctx_t *ctx, request_t *r, bool *hit)
{
    MDB_val v;
    *hit = false;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, "idem"), r->rid, strlen(r->rid), &v);
    if (rc <= 0)
        return rc;
    const uint8_t *p = v.mv_data;
    if (v.mv_size < 9 || v.mv_size < 9u + p[8])
        return 0; /*  damaged entry: treat as absent */
    size_t oplen = p[8];
    if (oplen != strlen(r->op_name) || memcmp(p + 9, r->op_name, oplen) != 0)
        return sm_ctx_fail(ctx, SM_E_CONFLICT, "rid",
                           "request id %s was already used for op %.*s; use a new rid for a "
                           "new request",
                           r->rid, (int)oplen, (const char *)(p + 9));
    sm_buf_reset(&r->reply);
    sm_pack_raw(&r->reply.pk, p + 9 + oplen, v.mv_size - 9 - oplen);
    *hit = true;
    return 1;
}

static int s_idem_store(sm_ctx_t *ctx, request_t *r)
{
    size_t oplen = strlen(r->op_name);
    size_t n = 9 + oplen + r->reply.sbuf.size;
    uint8_t *val = malloc(n);
    if (!val)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    sm_key_u64((uint64_t)ctx->now_ms, val);
    val[8] = (uint8_t)oplen;
    memcpy(val + 9, r->op_name, oplen);
    memcpy(val + 9 + oplen, r->reply.sbuf.data, r->reply.sbuf.size);
    int rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, "idem"), r->rid, strlen(r->rid), val, n);
    free(val);
    return rc;
}

/*  Drop stored replies older than the TTL. Runs in its own transaction. */
static void s_idem_purge(sm_service_t *svc)
{
    MDB_txn *txn;
    MDB_cursor *cur;
    MDB_val k, v;
    size_t dropped = 0;
    int64_t cutoff = s_wall_ms() - svc->idem_ttl_ms;
    if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
        return;
    if (mdb_cursor_open(txn, sm_store_dbi(svc->store, "idem"), &cur) == 0) {
        int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
        while (rc == 0) {
            if (v.mv_size >= 8 && (int64_t)sm_key_u64_decode(v.mv_data) < cutoff) {
                mdb_cursor_del(cur, 0);
                dropped++;
            }
            rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
        }
        mdb_cursor_close(cur);
    }
    if (mdb_txn_commit(txn) == 0 && dropped)
        sm_info("idempotency entries expired", "count=%zu", dropped);
}

/* ==== Transactions: begin, commit, publish ============================== */

static void s_ctx_init(sm_ctx_t *ctx, sm_service_t *svc, MDB_txn *txn, bool write)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->svc = svc;
    ctx->txn = txn;
    ctx->write = write;
    ctx->now_ms = s_wall_ms();
    sm_err_clear(&ctx->err);
    sm_buf_init(&ctx->event_data);
}

static void s_pending_drop(sm_service_t *svc, size_t keep)
{
    while (svc->npending > keep)
        sm_buf_free(&svc->pending[--svc->npending].bytes);
}

/*  After a commit: the events are durable; publish them (best effort). */
static void s_publish_pending(sm_service_t *svc)
{
    for (size_t i = 0; i < svc->npending; i++) {
        pending_event_t *pe = &svc->pending[i];
        if (zmq_send(svc->pub, pe->topic, strlen(pe->topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0 &&
            zmq_send(svc->pub, pe->bytes.sbuf.data, pe->bytes.sbuf.size, ZMQ_DONTWAIT) >= 0)
            svc->events_published++;
    }
    svc->next_seq += svc->npending;
    s_pending_drop(svc, 0);
}

/*  Run one write request inside the batch transaction parent. */
/*  Run one write request inside the batch transaction parent: in a nested
    transaction of its own, or, when it is alone in the batch, directly in
    parent (LMDB's nested transaction allocates about 3 MB for its page
    lists; a batch of one does not need it). A refusal when alone sets
    *undo: the caller aborts parent and remembers the refusal afterwards. */
static void s_run_write(sm_service_t *svc, MDB_txn *parent, request_t *r, bool *map_full,
                        bool alone, bool *undo)
{
    sm_ctx_t ctx;
    MDB_txn *child = NULL;
    size_t mark = svc->npending;
    int rc = 0;
    if (alone)
        child = parent;
    else
        rc = mdb_txn_begin(sm_store_env(svc->store), parent, 0, &child);
    if (rc) {
        if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
            *map_full = true;
        sm_err_t e;
        sm_err_set(&e, SM_E_INTERNAL, NULL, "cannot begin a transaction: %s", mdb_strerror(rc));
        r->failed = true;
        snprintf(r->outcome, sizeof r->outcome, "%s", SM_E_INTERNAL);
        s_pack_error(&r->reply, &e);
        return;
    }
    s_ctx_init(&ctx, svc, child, true);
    ctx.rid = r->rid[0] ? r->rid : NULL;
    bool hit = false;
    if (r->rid[0] && s_idem_lookup(&ctx, r, &hit) < 0)
        goto refused;
    if (hit) {
        if (!alone)
            mdb_txn_abort(child);
        snprintf(r->outcome, sizeof r->outcome, "replayed");
        sm_buf_free(&ctx.event_data);
        return;
    }
    s_reply_prefix(&r->reply);
    size_t prefix = r->reply.sbuf.size;
    ctx.reply = &r->reply.pk;
    if (r->op->fn(&ctx, r->args) != 0 || ctx.map_full)
        goto refused;
    if (r->reply.sbuf.size == prefix)
        msgpack_pack_nil(&r->reply.pk);
    if (r->rid[0] && s_idem_store(&ctx, r) != 0)
        goto refused;
    if (!alone && (rc = mdb_txn_commit(child)) != 0) {
        child = NULL;
        s_lmdb_fail(&ctx, rc, "commit");
        goto refused;
    }
    snprintf(r->outcome, sizeof r->outcome, "ok");
    sm_buf_free(&ctx.event_data);
    return;
refused:
    if (alone)
        *undo = true; /*  the caller aborts parent: our writes go with it */
    else if (child)
        mdb_txn_abort(child);
    s_pending_drop(svc, mark);
    if (ctx.map_full)
        *map_full = true;
    if (!ctx.err.code)
        sm_err_set(&ctx.err, SM_E_INTERNAL, NULL, "the %s handler failed without saying why",
                   r->op_name);
    r->failed = true;
    snprintf(r->outcome, sizeof r->outcome, "%s", ctx.err.code);
    s_pack_error(&r->reply, &ctx.err);
    /*  A refusal that depends only on the request is remembered too, so a
        retry gets the same answer; internal trouble is not (a retry may
        succeed). */
    if (!alone && r->rid[0] && strcmp(ctx.err.code, SM_E_INTERNAL) != 0 &&
        strcmp(ctx.err.code, SM_E_CONFLICT) != 0 && !ctx.map_full) {
        sm_ctx_t c2;
        s_ctx_init(&c2, svc, parent, true);
        s_idem_store(&c2, r);
        if (c2.map_full)
            *map_full = true;
        sm_buf_free(&c2.event_data);
    }
    sm_buf_free(&ctx.event_data);
}

/*  Apply all write requests of the batch in one transaction (group
    commit), growing the map and redoing the batch when it is full. */
static void s_run_writes(sm_service_t *svc, request_t **reqs, int n)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        MDB_txn *txn;
        sm_err_t e;
        sm_err_clear(&e);
        bool map_full = false;
        if (sm_store_begin(svc->store, true, &txn, &e) != 0)
            goto all_fail;
        bool undo = false;
        for (int i = 0; i < n; i++) {
            reqs[i]->failed = false;
            s_run_write(svc, txn, reqs[i], &map_full, n == 1, &undo);
            if (map_full)
                break;
        }
        if (undo && !map_full) {
            /*  The one request of the batch was refused: drop its writes,
                then remember the refusal for its rid in a transaction of
                its own (as the nested path does inside the batch). */
            mdb_txn_abort(txn);
            s_pending_drop(svc, 0);
            request_t *r = reqs[0];
            if (r->rid[0] && strcmp(r->outcome, SM_E_INTERNAL) != 0 &&
                strcmp(r->outcome, SM_E_CONFLICT) != 0 &&
                sm_store_begin(svc->store, true, &txn, &e) == 0) {
                sm_ctx_t c2;
                s_ctx_init(&c2, svc, txn, true);
                if (s_idem_store(&c2, r) == 0)
                    mdb_txn_commit(txn);
                else
                    mdb_txn_abort(txn);
                sm_buf_free(&c2.event_data);
            }
            svc->batches++;
            return;
        }
        if (map_full) {
            mdb_txn_abort(txn);
            s_pending_drop(svc, 0);
            if (sm_store_grow(svc->store, &e) != 0)
                goto all_fail;
            continue;
        }
        int rc = mdb_txn_commit(txn);
        if (rc == MDB_MAP_FULL) {
            s_pending_drop(svc, 0);
            if (sm_store_grow(svc->store, &e) != 0)
                goto all_fail;
            continue;
        }
        if (rc) {
            sm_err_set(&e, SM_E_INTERNAL, NULL, "commit failed: %s", mdb_strerror(rc));
            goto all_fail;
        }
        svc->batches++;
        s_publish_pending(svc);
        return;
    all_fail:
        s_pending_drop(svc, 0);
        sm_error("batch failed", "requests=%d err=%s", n, sm_log_quote(e.message, (char[200]){0}, 200));
        for (int i = 0; i < n; i++) {
            reqs[i]->failed = true;
            snprintf(reqs[i]->outcome, sizeof reqs[i]->outcome, "%s", SM_E_INTERNAL);
            s_pack_error(&reqs[i]->reply, &e);
        }
        return;
    }
}

static void s_run_reads(sm_service_t *svc, request_t **reqs, int n)
{
    MDB_txn *txn;
    sm_err_t e;
    sm_err_clear(&e);
    if (sm_store_begin(svc->store, false, &txn, &e) != 0) {
        for (int i = 0; i < n; i++) {
            reqs[i]->failed = true;
            snprintf(reqs[i]->outcome, sizeof reqs[i]->outcome, "%s", SM_E_INTERNAL);
            s_pack_error(&reqs[i]->reply, &e);
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        request_t *r = reqs[i];
        sm_ctx_t ctx;
        s_ctx_init(&ctx, svc, txn, false);
        ctx.rid = r->rid[0] ? r->rid : NULL;
        s_reply_prefix(&r->reply);
        size_t prefix = r->reply.sbuf.size;
        ctx.reply = &r->reply.pk;
        if (r->op->fn(&ctx, r->args) != 0) {
            if (!ctx.err.code)
                sm_err_set(&ctx.err, SM_E_INTERNAL, NULL, "the %s handler failed", r->op_name);
            r->failed = true;
            snprintf(r->outcome, sizeof r->outcome, "%s", ctx.err.code);
            s_pack_error(&r->reply, &ctx.err);
        } else {
            if (r->reply.sbuf.size == prefix)
                msgpack_pack_nil(&r->reply.pk);
            snprintf(r->outcome, sizeof r->outcome, "ok");
        }
        sm_buf_free(&ctx.event_data);
    }
    mdb_txn_abort(txn);
}

/* ==== Receiving from the broker ========================================= */

/*  Read one message from worker w. Appends a request to the batch, or
    handles HEARTBEAT/DISCONNECT. Returns 1 when a request was added, 0
    otherwise, -1 when nothing was there. */
static int s_worker_recv(sm_service_t *svc, int w, int *nbatch)
{
    zmq_msg_t f[6];
    int n = 0, more = 1, total = 0;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, svc->workers[w].sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            for (int i = 0; i < n; i++)
                zmq_msg_close(&f[i]);
            return -1;
        }
        more = zmq_msg_more(&m);
        total++;
        if (n < 6)
            f[n++] = m;
        else
            zmq_msg_close(&m);
    }
    svc->workers[w].last_recv = s_mono_ms();
    int added = 0;
    if (n < 2 || zmq_msg_size(&f[0]) != 6 || memcmp(zmq_msg_data(&f[0]), MDPW, 6) != 0 ||
        zmq_msg_size(&f[1]) != 1) {
        sm_warn("invalid message from broker dropped", "frames=%d", total);
        goto done;
    }
    unsigned char cmd = *(unsigned char *)zmq_msg_data(&f[1]);
    if (cmd == MDPW_HEARTBEAT)
        goto done;
    if (cmd == MDPW_DISCONNECT) {
        sm_info("broker disconnected worker; reconnecting", "worker=%d", w);
        s_worker_connect(svc, w);
        goto done;
    }
    if (cmd != MDPW_REQUEST || n < 5) {
        sm_warn("unexpected command from broker dropped", "command=%d", cmd);
        goto done;
    }
    request_t *r = &svc->batch[(*nbatch)++];
    memset(r, 0, sizeof *r);
    r->worker = w;
    r->t0_us = s_mono_us();
    sm_buf_init(&r->reply);
    zmq_msg_init(&r->address);
    zmq_msg_copy(&r->address, &f[2]);
    if (total != 5) {
        sm_err_t e;
        sm_err_set(&e, SM_E_INVALID_ARGUMENT, "body",
                   "the request body must be exactly one frame holding a MessagePack map; got "
                   "%d frames",
                   total - 4);
        r->failed = true;
        snprintf(r->op_name, sizeof r->op_name, "(none)");
        snprintf(r->outcome, sizeof r->outcome, "%s", e.code);
        s_pack_error(&r->reply, &e);
    } else
        s_decode_request(svc, r, zmq_msg_data(&f[4]), zmq_msg_size(&f[4]));
    added = 1;
done:
    for (int i = 0; i < n; i++)
        zmq_msg_close(&f[i]);
    return added;
}

/* ==== Following other services' events ================================== */

static follow_t *s_follow_find(sm_service_t *svc, const char *service, size_t len)
{
    for (int i = 0; i < svc->nfollow; i++)
        if (strlen(svc->follow[i].service) == len &&
            memcmp(svc->follow[i].service, service, len) == 0)
            return &svc->follow[i];
    return NULL;
}

/*  Apply one event (already known to be cursor+1) within txn: the handler in
    a nested transaction, then the cursor. Returns 0 or an LMDB rc. */
static int s_apply_event(sm_service_t *svc, MDB_txn *txn, follow_t *fl,
                         const msgpack_object *ev, bool *map_full)
{
    uint64_t seq = 0;
    char type[96] = "";
    const msgpack_object *data = sm_map_get(ev, "data");
    sm_get_uint(ev, "seq", true, UINT64_MAX, &seq, NULL);
    sm_get_str(ev, "type", true, type, sizeof type, false, NULL);
    for (int i = 0; svc->def->follows && svc->def->follows[i].service; i++) {
        const sm_follow_t *f = &svc->def->follows[i];
        if (strcmp(f->service, fl->service) != 0 || strncmp(type, f->prefix, strlen(f->prefix)))
            continue;
        MDB_txn *child;
        size_t mark = svc->npending;
        int rc = mdb_txn_begin(sm_store_env(svc->store), txn, 0, &child);
        if (rc)
            return rc;
        sm_ctx_t ctx;
        s_ctx_init(&ctx, svc, child, true);
        if (f->fn(&ctx, type, seq, data) != 0 || ctx.map_full) {
            mdb_txn_abort(child);
            s_pending_drop(svc, mark);
            if (ctx.map_full) {
                *map_full = true;
                sm_buf_free(&ctx.event_data);
                return MDB_MAP_FULL;
            }
            char q[300];
            sm_warn("event not applied", "service=%s seq=%llu type=%s err=%s", fl->service,
                    (unsigned long long)seq, type, sm_log_quote(ctx.err.message, q, sizeof q));
        } else if ((rc = mdb_txn_commit(child)) != 0) {
            s_pending_drop(svc, mark);
            sm_buf_free(&ctx.event_data);
            return rc;
        }
        sm_buf_free(&ctx.event_data);
    }
    if (strcmp(type, "intake.participant.erased") == 0) {
        /*  Whatever this service kept for retries about the person goes too,
            in the same transaction as the erasure's other effects. */
        char id[32];
        sm_ctx_t ctx;
        s_ctx_init(&ctx, svc, txn, true);
        if (sm_get_str(data, "id", true, id, sizeof id, false, NULL) > 0 &&
            sm_ctx_forget_replies(&ctx, id) < 0 && ctx.map_full) {
            *map_full = true;
            sm_buf_free(&ctx.event_data);
            return MDB_MAP_FULL;
        }
        sm_buf_free(&ctx.event_data);
    }
    uint8_t cur[8];
    sm_key_u64(seq, cur);
    MDB_val k = {strlen(fl->service), fl->service}, v = {8, cur};
    int rc = mdb_put(txn, sm_store_dbi(svc->store, "cursors"), &k, &v, 0);
    if (rc == MDB_MAP_FULL)
        *map_full = true;
    return rc;
}

/*  Apply the events in list (an array of event maps) that follow the cursor
    in one transaction. Events at or before the cursor are skipped; a gap
    stops the run and asks for a backfill. Returns events applied. */
static int s_apply_events(sm_service_t *svc, follow_t *fl, const msgpack_object *const *list,
                          int n)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        MDB_txn *txn;
        bool map_full = false;
        int applied = 0;
        uint64_t cursor = fl->cursor;
        if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
            return 0;
        for (int i = 0; i < n; i++) {
            uint64_t seq = 0;
            if (sm_get_uint(list[i], "seq", true, UINT64_MAX, &seq, NULL) <= 0 || seq <= cursor)
                continue;
            if (seq != cursor + 1) {
                fl->need_backfill = true;
                break;
            }
            int rc = s_apply_event(svc, txn, fl, list[i], &map_full);
            if (rc) {
                if (!map_full)
                    sm_error("event apply failed", "service=%s seq=%llu err=%s", fl->service,
                             (unsigned long long)seq, mdb_strerror(rc));
                break;
            }
            cursor = seq;
            applied++;
        }
        if (map_full) {
            mdb_txn_abort(txn);
            s_pending_drop(svc, 0);
            if (sm_store_grow(svc->store, NULL) != 0)
                return 0;
            continue;
        }
        int rc = mdb_txn_commit(txn);
        if (rc == MDB_MAP_FULL) {
            s_pending_drop(svc, 0);
            sm_store_grow(svc->store, NULL);
            continue;
        }
        if (rc) {
            s_pending_drop(svc, 0);
            sm_error("event commit failed", "service=%s err=%s", fl->service, mdb_strerror(rc));
            return 0;
        }
        fl->cursor = cursor;
        svc->events_applied += (uint64_t)applied;
        s_publish_pending(svc);
        return applied;
    }
    return 0;
}

#define SM_LIVE_BATCH 1000

/*  Drain up to SM_LIVE_BATCH live events and apply them per followed
    service in one transaction each (one fsync for a burst, not one per
    event). Duplicates are skipped and a gap asks for a backfill inside
    s_apply_events. Bounded, so heartbeats go on during a flood. */
static bool s_on_live_events(sm_service_t *svc)
{
    sm_doc_t **docs = calloc(SM_LIVE_BATCH, sizeof *docs);
    int *owner = calloc(SM_LIVE_BATCH, sizeof *owner);
    const msgpack_object **list = calloc(SM_LIVE_BATCH, sizeof *list);
    int n = 0;
    if (!docs || !owner || !list)
        goto done;
    while (n < SM_LIVE_BATCH && !s_interrupted) {
        int ev = 0;
        size_t sz = sizeof ev;
        zmq_getsockopt(svc->sub, ZMQ_EVENTS, &ev, &sz);
        if (!(ev & ZMQ_POLLIN))
            break;
        zmq_msg_t topic, body;
        zmq_msg_init(&topic);
        zmq_msg_init(&body);
        bool ok = zmq_msg_recv(&topic, svc->sub, ZMQ_DONTWAIT) >= 0 && zmq_msg_more(&topic) &&
                  zmq_msg_recv(&body, svc->sub, ZMQ_DONTWAIT) >= 0;
        while (ok && zmq_msg_more(&body)) { /*  drain unexpected extra frames */
            zmq_msg_close(&body);
            zmq_msg_init(&body);
            ok = zmq_msg_recv(&body, svc->sub, ZMQ_DONTWAIT) >= 0;
        }
        if (ok) {
            const char *t = zmq_msg_data(&topic);
            const char *dot = memchr(t, '.', zmq_msg_size(&topic));
            follow_t *fl = dot ? s_follow_find(svc, t, (size_t)(dot - t)) : NULL;
            sm_doc_t *doc = fl ? sm_doc_parse(zmq_msg_data(&body), zmq_msg_size(&body), NULL)
                               : NULL;
            if (doc) {
                docs[n] = doc;
                owner[n] = (int)(fl - svc->follow);
                n++;
            }
        }
        zmq_msg_close(&topic);
        zmq_msg_close(&body);
    }
    for (int f = 0; f < svc->nfollow; f++) {
        int k = 0;
        for (int i = 0; i < n; i++)
            if (owner[i] == f)
                list[k++] = sm_doc_root(docs[i]);
        if (k)
            s_apply_events(svc, &svc->follow[f], list, k);
    }
done:
    for (int i = 0; i < n; i++)
        sm_doc_destroy(&docs[i]);
    free(docs);
    free(owner);
    free(list);
    return n == SM_LIVE_BATCH; /*  more may be waiting */
}

static void s_backfill_send(sm_service_t *svc)
{
    for (int i = 0; i < svc->nfollow; i++) {
        follow_t *fl = &svc->follow[i];
        if (!fl->need_backfill || fl->inflight)
            continue;
        sm_buf_t args, body;
        sm_buf_init(&args);
        sm_buf_init(&body);
        msgpack_pack_map(&args.pk, 2);
        sm_pack_kv_uint(&args.pk, "after", fl->cursor);
        sm_pack_kv_uint(&args.pk, "limit", SM_BACKFILL_LIMIT);
        sm_request_pack(&body, "events.read", args.sbuf.data, args.sbuf.size, NULL);
        if (sm_client_send(fl->client, fl->service, body.sbuf.data, body.sbuf.size) == 0) {
            svc->ready[s_slot_follow(svc, i)] = true;
            fl->inflight = true;
            fl->need_backfill = false;
            fl->sent_at = s_mono_ms();
        }
        sm_buf_free(&args);
        sm_buf_free(&body);
    }
}

static void s_backfill_recv(sm_service_t *svc, follow_t *fl)
{
    sm_doc_t *doc = sm_client_recv(fl->client, NULL);
    if (!doc || !fl->inflight) {
        sm_doc_destroy(&doc);
        return;
    }
    fl->inflight = false;
    const msgpack_object *data = NULL;
    sm_err_t e;
    if (sm_reply_check(doc, &data, &e) != 0) {
        /*  unavailable: that service is not up yet; the sweep retries. */
        sm_debug("backfill refused", "service=%s code=%s", fl->service, e.code);
        sm_doc_destroy(&doc);
        return;
    }
    const msgpack_object *events = sm_map_get(data, "events");
    uint64_t last = 0;
    sm_get_uint(data, "last_seq", false, UINT64_MAX, &last, NULL);
    if (events && events->type == MSGPACK_OBJECT_ARRAY && events->via.array.size) {
        int n = (int)events->via.array.size;
        const msgpack_object **list = malloc((size_t)n * sizeof *list);
        if (list) {
            for (int i = 0; i < n; i++)
                list[i] = &events->via.array.ptr[i];
            s_apply_events(svc, fl, list, n);
            free(list);
        }
    }
    if (fl->cursor < last)
        fl->need_backfill = true;
    sm_doc_destroy(&doc);
}

/* ==== Timers ============================================================ */

static void s_run_timer(sm_service_t *svc, const sm_timer_t *t)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        MDB_txn *txn;
        if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
            return;
        sm_ctx_t ctx;
        s_ctx_init(&ctx, svc, txn, true);
        int rc = t->fn(&ctx);
        (void)rc;
        if (ctx.map_full) {
            mdb_txn_abort(txn);
            s_pending_drop(svc, 0);
            sm_buf_free(&ctx.event_data);
            if (sm_store_grow(svc->store, NULL) != 0)
                return;
            continue;
        }
        if (rc != 0) {
            mdb_txn_abort(txn);
            s_pending_drop(svc, 0);
            char q[300];
            sm_warn("timer failed", "timer=%s err=%s", t->name,
                    sm_log_quote(ctx.err.message, q, sizeof q));
        } else if (mdb_txn_commit(txn) == 0)
            s_publish_pending(svc);
        else
            s_pending_drop(svc, 0);
        sm_buf_free(&ctx.event_data);
        return;
    }
}

/* ==== Set-up and the loop =============================================== */

static void s_usage(const sm_service_def_t *def, FILE *out)
{
    fprintf(out,
            "usage: samen-%s [--config FILE] [--data-dir DIR] [--endpoint EP] [--events-in EP]\n"
            "       [--events-out EP] [--workers N] [--log-level debug|info|warn|error]\n"
            "\n"
            "Runs the samen %s service: registers with samen-broker at EP (default %s),\n"
            "keeps its store in DIR (default var/%s) and publishes events to the broker.\n"
            "Settings come from the [%s] section of FILE (samen.cfg); flags override them.\n"
            "\n"
            "example: samen-%s --config /etc/samen/samen.cfg --data-dir /var/lib/samen/%s\n",
            def->name, def->name, SM_DEFAULT_BROKER, def->name, def->name, def->name, def->name);
}

/*  Parse flags into cfg overrides. Returns 0, 1 (help/version printed) or
    -1 (usage error printed). */
static int s_parse_args(const sm_service_def_t *def, int argc, char **argv, const char **cfgpath,
                        sm_config_t *over)
{
    static const struct {
        const char *flag, *key;
    } map[] = {{"--data-dir", "data_dir"},     {"--endpoint", "broker/endpoint"},
               {"--events-in", "broker/events_in"}, {"--events-out", "broker/events_out"},
               {"--workers", "workers"},       {"--log-level", "log_level"},
               {NULL, NULL}};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            s_usage(def, stdout);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("samen-%s %s\n", def->name, def->version);
            return 1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "samen-%s: %s needs a value (or unknown flag)\n", def->name, a);
            s_usage(def, stderr);
            return -1;
        }
        if (strcmp(a, "--config") == 0) {
            *cfgpath = argv[++i];
            continue;
        }
        int j = 0;
        while (map[j].flag && strcmp(map[j].flag, a) != 0)
            j++;
        if (!map[j].flag) {
            fprintf(stderr, "samen-%s: unknown flag %s\n", def->name, a);
            s_usage(def, stderr);
            return -1;
        }
        char key[96];
        if (strchr(map[j].key, '/'))
            snprintf(key, sizeof key, "%s", map[j].key);
        else
            snprintf(key, sizeof key, "%s/%s", def->name, map[j].key);
        sm_config_set(over, key, argv[++i]);
    }
    return 0;
}

static int s_setup(sm_service_t *svc, sm_err_t *e)
{
    const char *name = svc->def->name;
    char key[96];
    int64_t workers, map_mb, ttl_s, level_dummy;
    (void)level_dummy;
    snprintf(key, sizeof key, "%s/log_level", name);
    const char *level = sm_config_str(svc->cfg, key, "info");
    int lv = sm_log_level_parse(level);
    if (lv < 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                          "setting %s is \"%s\"; give debug, info, warn or error", key, level);
    sm_log_init(name, (sm_log_level_t)lv);
    if (!(svc->broker_ep = sm_config_endpoint(svc->cfg, "broker/endpoint", SM_DEFAULT_BROKER, e)) ||
        !(svc->events_in = sm_config_endpoint(svc->cfg, "broker/events_in", SM_DEFAULT_EVENTS_IN, e)) ||
        !(svc->events_out = sm_config_endpoint(svc->cfg, "broker/events_out", SM_DEFAULT_EVENTS_OUT, e)))
        return -1;
    snprintf(key, sizeof key, "%s/workers", name);
    if (sm_config_int(svc->cfg, key, 32, 1, SM_MAX_WORKERS, &workers, e))
        return -1;
    svc->nworkers = (int)workers;
    if (sm_config_int(svc->cfg, "broker/heartbeat_ms", SM_DEFAULT_HEARTBEAT_MS, 100, 60000,
                      &svc->heartbeat_ms, e) ||
        sm_config_int(svc->cfg, "broker/heartbeat_liveness", SM_DEFAULT_HEARTBEAT_LIVENESS, 2, 100,
                      &svc->liveness, e) ||
        sm_config_int(svc->cfg, "broker/max_message_bytes", SM_DEFAULT_MAX_MESSAGE, 4096,
                      256 << 20, &svc->max_message, e))
        return -1;
    snprintf(key, sizeof key, "%s/map_size_mb", name);
    if (sm_config_int(svc->cfg, key, 64, 1, 1 << 20, &map_mb, e))
        return -1;
    snprintf(key, sizeof key, "%s/idem_ttl_s", name);
    if (sm_config_int(svc->cfg, key, 86400, 60, 86400 * 365, &ttl_s, e))
        return -1;
    svc->idem_ttl_ms = ttl_s * 1000;
    snprintf(key, sizeof key, "%s/backfill_interval_ms", name);
    if (sm_config_int(svc->cfg, key, 2000, 100, 3600000, &svc->backfill_interval_ms, e))
        return -1;
    char dflt_dir[96];
    snprintf(dflt_dir, sizeof dflt_dir, "var/%s", name);
    snprintf(key, sizeof key, "%s/data_dir", name);
    const char *dir = sm_config_str(svc->cfg, key, dflt_dir);
    svc->store = sm_store_open(dir, svc->def->dbs, svc->def->schema_version, svc->def->migrate,
                               (uint64_t)map_mb << 20, e);
    if (!svc->store)
        return -1;
    MDB_txn *txn;
    if (sm_store_begin(svc->store, false, &txn, e))
        return -1;
    svc->next_seq = sm_evlog_last_seq(svc->store, txn) + 1;
    for (int i = 0; svc->def->follows && svc->def->follows[i].service; i++) {
        const char *s = svc->def->follows[i].service;
        if (s_follow_find(svc, s, strlen(s)) || svc->nfollow >= SM_MAX_FOLLOWED)
            continue;
        follow_t *fl = &svc->follow[svc->nfollow++];
        snprintf(fl->service, sizeof fl->service, "%s", s);
        MDB_val k = {strlen(s), (void *)s}, v;
        if (mdb_get(txn, sm_store_dbi(svc->store, "cursors"), &k, &v) == 0 && v.mv_size == 8)
            fl->cursor = sm_key_u64_decode(v.mv_data);
        fl->need_backfill = true;
    }
    mdb_txn_abort(txn);
    if (svc->def->init && svc->def->init(svc, e) != 0)
        return -1;

    svc->epfd = epoll_create1(EPOLL_CLOEXEC);
    for (size_t i = 0; i < sizeof svc->ep_fd / sizeof svc->ep_fd[0]; i++)
        svc->ep_fd[i] = -1;
    if (svc->epfd < 0)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, "cannot create an epoll set");
    svc->zctx = zmq_ctx_new();
    svc->batch = calloc(SM_MAX_WORKERS, sizeof *svc->batch);
    if (!svc->zctx || !svc->batch)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    svc->pub = zmq_socket(svc->zctx, ZMQ_PUB);
    int linger = 500, hwm = 100000;
    zmq_setsockopt(svc->pub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(svc->pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
    if (zmq_connect(svc->pub, svc->events_in) != 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_in",
                          "cannot connect to %s: %s", svc->events_in, zmq_strerror(zmq_errno()));
    if (svc->nfollow) {
        svc->sub = zmq_socket(svc->zctx, ZMQ_SUB);
        linger = 0;
        zmq_setsockopt(svc->sub, ZMQ_LINGER, &linger, sizeof linger);
        zmq_setsockopt(svc->sub, ZMQ_MAXMSGSIZE, &svc->max_message, sizeof svc->max_message);
        for (int i = 0; i < svc->nfollow; i++) {
            char topic[40];
            snprintf(topic, sizeof topic, "%s.", svc->follow[i].service);
            zmq_setsockopt(svc->sub, ZMQ_SUBSCRIBE, topic, strlen(topic));
        }
        if (zmq_connect(svc->sub, svc->events_out) != 0)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/events_out",
                              "cannot connect to %s: %s", svc->events_out,
                              zmq_strerror(zmq_errno()));
        s_ep_watch(svc, s_slot_sub(svc), svc->sub);
        for (int i = 0; i < svc->nfollow; i++) {
            if (!(svc->follow[i].client = sm_client_new(svc->zctx, svc->broker_ep, 64 << 20, e)))
                return -1;
            s_ep_watch(svc, s_slot_follow(svc, i), sm_client_socket(svc->follow[i].client));
        }
    }
    if (!(svc->caller = sm_client_new(svc->zctx, svc->broker_ep, 64 << 20, e)))
        return -1;
    for (int w = 0; w < svc->nworkers; w++)
        if (s_worker_connect(svc, w) != 0)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "broker/endpoint",
                              "cannot connect to the broker at %s: %s", svc->broker_ep,
                              zmq_strerror(zmq_errno()));
    int ntimers = 0;
    while (svc->def->timers && svc->def->timers[ntimers].name)
        ntimers++;
    svc->timer_last = calloc((size_t)ntimers + 1, sizeof *svc->timer_last);
    return 0;
}

static void s_teardown(sm_service_t *svc)
{
    if (svc->def->fini)
        svc->def->fini(svc);
    for (int w = 0; w < svc->nworkers; w++) {
        if (svc->workers[w].sock) {
            s_worker_send_cmd(svc, w, MDPW_DISCONNECT, NULL);
            s_ep_forget(svc, w);
            zmq_close(svc->workers[w].sock);
        }
    }
    for (int i = 0; i < svc->nfollow; i++)
        sm_client_destroy(&svc->follow[i].client);
    sm_client_destroy(&svc->caller);
    if (svc->sub)
        zmq_close(svc->sub);
    if (svc->pub)
        zmq_close(svc->pub);
    if (svc->zctx)
        zmq_ctx_term(svc->zctx);
    s_pending_drop(svc, 0);
    free(svc->pending);
    free(svc->batch);
    free(svc->timer_last);
    sm_store_destroy(&svc->store);
    sm_config_destroy(&svc->cfg);
    if (svc->epfd >= 0)
        close(svc->epfd);
}

static void s_serve_batch(sm_service_t *svc, int nbatch)
{
    request_t *writes[SM_MAX_WORKERS], *reads[SM_MAX_WORKERS];
    int nw = 0, nr = 0;
    for (int i = 0; i < nbatch; i++) {
        request_t *r = &svc->batch[i];
        if (r->failed)
            continue; /*  refused while decoding; reply as is */
        if (r->op->flags & SM_OP_WRITE)
            writes[nw++] = r;
        else
            reads[nr++] = r;
    }
    if (nr)
        s_run_reads(svc, reads, nr);
    if (nw)
        s_run_writes(svc, writes, nw);
    for (int i = 0; i < nbatch; i++) {
        s_send_reply(svc, &svc->batch[i]);
        s_request_free(&svc->batch[i]);
    }
}

static void s_loop(sm_service_t *svc)
{
    int nslots = svc->nworkers + 1 + svc->nfollow;
    struct epoll_event evs[64];
    int64_t now = s_mono_ms();
    svc->last_backfill_sweep = now;
    svc->last_idem_purge = now;
    for (int t = 0; svc->def->timers && svc->def->timers[t].name; t++) {
        s_run_timer(svc, &svc->def->timers[t]);
        svc->timer_last[t] = s_mono_ms();
    }
    while (!s_interrupted) {
        bool any = false;
        for (int i = 0; i < nslots && !any; i++)
            any = svc->ready[i];
        int rc = epoll_wait(svc->epfd, evs, 64, any ? 0 : (int)(svc->heartbeat_ms / 2));
        if (rc < 0 && errno != EINTR)
            break;
        for (int i = 0; i < rc; i++)
            if (evs[i].data.u32 < (uint32_t)nslots)
                svc->ready[evs[i].data.u32] = true;
        /*  Requests: read every worker connection that may hold one. */
        int nbatch = 0;
        for (int w = 0; w < svc->nworkers; w++) {
            if (!svc->ready[w])
                continue;
            svc->ready[w] = false;
            while (nbatch < SM_MAX_WORKERS && s_worker_recv(svc, w, &nbatch) >= 0)
                ;
            if (nbatch == SM_MAX_WORKERS)
                svc->ready[w] = true; /*  not drained: look again */
        }
        if (nbatch)
            s_serve_batch(svc, nbatch);
        if (svc->sub && svc->ready[s_slot_sub(svc)]) {
            svc->ready[s_slot_sub(svc)] = false;
            if (s_on_live_events(svc))
                svc->ready[s_slot_sub(svc)] = true;
        }
        for (int i = 0; i < svc->nfollow; i++) {
            int slot = s_slot_follow(svc, i);
            if (!svc->ready[slot])
                continue;
            svc->ready[slot] = false;
            for (int k = 0; k < 4 && s_readable(sm_client_socket(svc->follow[i].client)); k++)
                s_backfill_recv(svc, &svc->follow[i]);
        }

        now = s_mono_ms();
        for (int w = 0; w < svc->nworkers; w++) {
            worker_t *wk = &svc->workers[w];
            if (now - wk->last_recv > svc->heartbeat_ms * svc->liveness) {
                sm_debug("broker silent; reconnecting worker", "worker=%d", w);
                s_worker_connect(svc, w);
            } else if (now - wk->last_send >= svc->heartbeat_ms)
                s_worker_send_cmd(svc, w, MDPW_HEARTBEAT, NULL);
        }
        if (svc->nfollow) {
            if (now - svc->last_backfill_sweep >= svc->backfill_interval_ms) {
                svc->last_backfill_sweep = now;
                for (int i = 0; i < svc->nfollow; i++)
                    svc->follow[i].need_backfill = true;
            }
            for (int i = 0; i < svc->nfollow; i++) {
                follow_t *fl = &svc->follow[i];
                if (fl->inflight && now - fl->sent_at > SM_BACKFILL_TIMEOUT_MS) {
                    fl->inflight = false;
                    fl->need_backfill = true;
                    s_ep_forget(svc, s_slot_follow(svc, i));
                    sm_client_reset(fl->client);
                    s_ep_watch(svc, s_slot_follow(svc, i), sm_client_socket(fl->client));
                }
            }
            s_backfill_send(svc);
        }
        for (int t = 0; svc->def->timers && svc->def->timers[t].name; t++)
            if (now - svc->timer_last[t] >= svc->def->timers[t].interval_ms) {
                s_run_timer(svc, &svc->def->timers[t]);
                svc->timer_last[t] = s_mono_ms();
            }
        if (now - svc->last_idem_purge >= 3600 * 1000) {
            svc->last_idem_purge = now;
            s_idem_purge(svc);
        }
    }
}

int sm_service_main(const sm_service_def_t *def, int argc, char **argv)
{
    sm_service_t svc;
    memset(&svc, 0, sizeof svc);
    svc.epfd = -1;
    svc.def = def;
    svc.started_ms = s_mono_ms();
    sm_log_init(def->name, SM_LOG_INFO);
    const char *cfgpath = getenv("SAMEN_CONFIG");
    sm_config_t *over = sm_config_load(NULL, NULL);
    int rc = s_parse_args(def, argc, argv, &cfgpath, over);
    if (rc != 0) {
        sm_config_destroy(&over);
        return rc > 0 ? 0 : 2;
    }
    sm_err_t e;
    sm_err_clear(&e);
    svc.cfg = sm_config_load(cfgpath, &e);
    if (!svc.cfg) {
        fprintf(stderr, "samen-%s: %s\n", def->name, e.message);
        sm_config_destroy(&over);
        return 2;
    }
    sm_config_merge(svc.cfg, over);
    sm_config_destroy(&over);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (s_setup(&svc, &e) != 0) {
        char q[600];
        sm_error("cannot start", "field=%s err=%s", e.field[0] ? e.field : "-",
                 sm_log_quote(e.message, q, sizeof q));
        fprintf(stderr, "samen-%s: %s\n", def->name, e.message);
        s_teardown(&svc);
        return strcmp(e.code ? e.code : "", SM_E_INVALID_ARGUMENT) == 0 ? 2 : 1;
    }
    sm_info("started", "version=%s broker=%s workers=%d last_seq=%llu", def->version,
            svc.broker_ep, svc.nworkers, (unsigned long long)(svc.next_seq - 1));
    s_loop(&svc);
    sm_info("stopping", "requests=%llu batches=%llu events_published=%llu",
            (unsigned long long)svc.requests, (unsigned long long)svc.batches,
            (unsigned long long)svc.events_published);
    s_teardown(&svc);
    return 0;
}
