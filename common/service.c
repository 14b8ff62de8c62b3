/*  common/service.c - the handler's context: storage, IDs, events, calls to
    other services. See service.h for the contract. */
#include "common/i18n.h"
#include "common/service_internal.h"

/* ==== Context API ======================================================= */

sm_config_t *sm_service_config(sm_service_t *svc) { return svc->cfg; }
sm_store_t *sm_service_store(sm_service_t *svc) { return svc->store; }
const sm_security_t *sm_service_security(sm_service_t *svc) { return &svc->sec; }
void sm_service_set_user(sm_service_t *svc, void *user) { svc->user = user; }
void *sm_service_user(sm_service_t *svc) { return svc->user; }
sm_service_t *sm_ctx_service(sm_ctx_t *ctx) { return ctx->svc; }
void *sm_ctx_user(sm_ctx_t *ctx) { return ctx->svc->user; }
MDB_txn *sm_ctx_txn(sm_ctx_t *ctx) { return ctx->txn; }
msgpack_packer *sm_ctx_reply(sm_ctx_t *ctx) { return ctx->reply; }
const char *sm_ctx_caller(sm_ctx_t *ctx) { return ctx->caller_key ? ctx->caller_key : ""; }
sm_roles_t sm_ctx_caller_roles(sm_ctx_t *ctx) { return ctx->caller_roles; }
const char *sm_ctx_rid(sm_ctx_t *ctx) { return ctx->rid ? ctx->rid : ""; }
int64_t sm_ctx_now_ms(sm_ctx_t *ctx) { return ctx->now_ms; }
sm_err_t *sm_ctx_err(sm_ctx_t *ctx) { return &ctx->err; }

msgpack_packer *sm_ctx_fail_details(sm_ctx_t *ctx)
{
    if (!ctx->reply)
        return NULL;
    sm_buf_reset(&ctx->details);
    return &ctx->details.pk;
}

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

int svc_lmdb_fail(sm_ctx_t *ctx, int rc, const char *what)
{
    if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
        ctx->map_full = true;
    /*  A write can reach the disk before commit (LMDB spills dirty pages
        of a large transaction): want of space is "disk full" then too. */
    sm_store_fail(ctx->svc->store, rc, what, &ctx->err);
    return -1;
}

int sm_ctx_put(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen, const void *val,
               size_t vlen)
{
    if (!ctx->write)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("write in a read-only op (a bug)"));
    MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
    int rc = mdb_put(ctx->txn, dbi, &k, &v, 0);
    return rc ? svc_lmdb_fail(ctx, rc, "write") : 0;
}

int sm_ctx_get(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen, MDB_val *val)
{
    MDB_val k = {klen, (void *)key};
    int rc = mdb_get(ctx->txn, dbi, &k, val);
    if (rc == MDB_NOTFOUND)
        return 0;
    return rc ? svc_lmdb_fail(ctx, rc, "read") : 1;
}

int sm_ctx_del(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen)
{
    if (!ctx->write)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("delete in a read-only op (a bug)"));
    MDB_val k = {klen, (void *)key};
    int rc = mdb_del(ctx->txn, dbi, &k, NULL);
    if (rc == MDB_NOTFOUND)
        return 0;
    return rc ? svc_lmdb_fail(ctx, rc, "delete") : 0;
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
        svc_lmdb_fail(ctx, rc, "id allocation");
        return 0;
    }
    char id[24];
    sm_ctx_audit_id(ctx, sm_id_format(letter, n, id));
    return n;
}

/* ==== Checked arguments, personal fields, the audit log ================= */

/*  The checked arguments of the request in hand. Reading arguments outside
    an op (in an event handler or a timer) is a programming error. */
static const sm_args_t *s_args(sm_ctx_t *ctx, const char *name)
{
    if (!ctx->args) {
        sm_log_flush();
        fprintf(stderr, "PANIC: argument \"%s\" read outside a declared op (a programming "
                        "error)\n",
                name);
        abort();
    }
    return ctx->args;
}

bool sm_arg_has(sm_ctx_t *ctx, const char *name) { return sm_args_has(s_args(ctx, name), name); }
const char *sm_arg_str(sm_ctx_t *ctx, const char *name)
{
    return sm_args_str(s_args(ctx, name), name);
}
int64_t sm_arg_int(sm_ctx_t *ctx, const char *name, int64_t dflt)
{
    return sm_args_int(s_args(ctx, name), name, dflt);
}
bool sm_arg_bool(sm_ctx_t *ctx, const char *name, bool dflt)
{
    return sm_args_bool(s_args(ctx, name), name, dflt);
}
uint64_t sm_arg_id(sm_ctx_t *ctx, const char *name) { return sm_args_id(s_args(ctx, name), name); }
bool sm_arg_date(sm_ctx_t *ctx, const char *name, sm_date_t *out)
{
    return sm_args_date(s_args(ctx, name), name, out);
}
size_t sm_arg_list(sm_ctx_t *ctx, const char *name, const char *const **items)
{
    return sm_args_list(s_args(ctx, name), name, items);
}
size_t sm_arg_ids(sm_ctx_t *ctx, const char *name, const uint64_t **ids)
{
    return sm_args_ids(s_args(ctx, name), name, ids);
}
size_t sm_arg_ints(sm_ctx_t *ctx, const char *name, const int64_t **ints)
{
    return sm_args_ints(s_args(ctx, name), name, ints);
}
const msgpack_object *sm_arg_obj(sm_ctx_t *ctx, const char *name)
{
    return sm_args_obj(s_args(ctx, name), name);
}

bool sm_ctx_sees_personal(sm_ctx_t *ctx)
{
    if (!ctx->op)
        return false;
    return (ctx->op->decl.flags & SM_OP_PERSONAL) && (ctx->op->decl.personal & ctx->caller_roles);
}

void sm_ctx_audit_id(sm_ctx_t *ctx, const char *id)
{
    if (ctx->audit)
        svc_audit_add(ctx->audit, id);
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
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("event outside a write (a bug)"));
    ctx->event_open = false;
    if (svc->npending == svc->cap_pending) {
        size_t cap = svc->cap_pending ? svc->cap_pending * 2 : 64;
        pending_event_t *p = realloc(svc->pending, cap * sizeof *p);
        if (!p)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        /*  The buffers moved with their slots: point their packers at
            their new place. */
        for (size_t i = 0; i < svc->nbuf_pending; i++)
            msgpack_packer_init(&p[i].bytes.pk, &p[i].bytes.sbuf, msgpack_sbuffer_write);
        svc->pending = p;
        svc->cap_pending = cap;
    }
    pending_event_t *pe = &svc->pending[svc->npending];
    if (svc->npending == svc->nbuf_pending) {
        sm_buf_init(&pe->bytes);
        svc->nbuf_pending++;
    }
    snprintf(pe->topic, sizeof pe->topic, "%s", ctx->event_topic);
    int rc = sm_evlog_append(svc->store, ctx->txn, svc->next_seq + svc->npending, svc_wall_ms(),
                             ctx->event_topic, ctx->event_data.sbuf.data,
                             ctx->event_data.sbuf.size, &pe->bytes);
    if (rc)
        return svc_lmdb_fail(ctx, rc, "event append");
    svc->npending++;
    return 0;
}

/*  Keep the broker's view of our workers alive while the loop is busy. */
static void s_heartbeat_idle_workers(sm_service_t *svc)
{
    int64_t now = svc_mono_ms();
    for (int w = 0; w < svc->nworkers; w++)
        if (svc->workers[w].sock && now - svc->workers[w].last_send >= svc->heartbeat_ms)
            svc_worker_send_cmd(svc, w, MDPW_HEARTBEAT, NULL);
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
    sm_log_flush(); /*  what the pass logged so far is not held up by the wait */
    sm_buf_init(&body);
    sm_request_pack(&body, op, args, args_size, NULL);
    sm_doc_t *doc = NULL;
    for (int attempt = 0; attempt < 2 && !doc; attempt++) {
        if (attempt && sm_client_reset(svc->caller) != 0)
            break;
        if (sm_client_send(svc->caller, service, body.sbuf.data, body.sbuf.size) != 0)
            continue;
        int64_t deadline = svc_mono_ms() + timeout_ms;
        while (!doc) {
            int64_t left = deadline - svc_mono_ms();
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
            /*  The broker died or the link is cut (common/client.h): the
                next attempt goes to the next broker without waiting out
                the timeout. */
            if (!doc && sm_client_lost(svc->caller))
                break;
        }
    }
    sm_buf_free(&body);
    if (!doc) {
        sm_client_reset(svc->caller);
        sm_err_set(err, SM_E_UNAVAILABLE, NULL,
                   _("service \"%s\" did not answer %s within %d ms; try again"), service, op,
                   timeout_ms);
    }
    return doc;
}

int sm_ctx_forget_replies(sm_ctx_t *ctx, const char *id)
{
    return svc_idem_forget(ctx, id); /*  by the index of IDs (service_idem.c) */
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
               _("field \"%s\" must be an ID like %c12, got \"%.40s\""), field, letter,
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


/* ==== Transactions: begin, commit, publish ============================== */

void svc_ctx_init(sm_ctx_t *ctx, sm_service_t *svc, MDB_txn *txn, bool write)
{
    /*  Timers, followed events and requests without "lang" speak the
        service's language; a request with one switches after this. */
    sm_i18n_use(NULL);
    memset(ctx, 0, sizeof *ctx);
    ctx->svc = svc;
    ctx->txn = txn;
    ctx->write = write;
    ctx->now_ms = svc_wall_ms();
    sm_err_clear(&ctx->err);
    sm_buf_init(&ctx->event_data);
    sm_buf_init(&ctx->details);
}

void svc_buf_recycle(sm_buf_t *b)
{
    if (b->sbuf.alloc > SM_KEEP_BUF_BYTES)
        sm_buf_free(b); /*  the packer still points at b: it grows again from nothing */
    else
        sm_buf_reset(b);
}

void svc_pending_drop(sm_service_t *svc, size_t keep)
{
    while (svc->npending > keep)
        svc_buf_recycle(&svc->pending[--svc->npending].bytes);
}

void svc_pending_free(sm_service_t *svc)
{
    for (size_t i = 0; i < svc->nbuf_pending; i++)
        sm_buf_free(&svc->pending[i].bytes);
    svc->npending = svc->nbuf_pending = 0;
    free(svc->pending);
    svc->pending = NULL;
    svc->cap_pending = 0;
}

/*  After a commit: the events are durable; publish them (best effort). */
void svc_publish_pending(sm_service_t *svc)
{
    uint64_t sent = 0;
    for (size_t i = 0; i < svc->npending; i++) {
        pending_event_t *pe = &svc->pending[i];
        if (zmq_send(svc->pub, pe->topic, strlen(pe->topic), ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0 &&
            zmq_send(svc->pub, pe->bytes.sbuf.data, pe->bytes.sbuf.size, ZMQ_DONTWAIT) >= 0)
            sent++;
    }
    svc->events_published += sent;
    svc->next_seq += svc->npending;
    sm_metrics_events(svc->metrics, sent, svc->next_seq - 1);
    svc_pending_drop(svc, 0);
}

