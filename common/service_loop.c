/*  common/service_loop.c - the loop: readiness over the sockets' ZMQ_FDs, the
    MDP worker connections, request decoding, group commit of the writes
    that arrived together, replies, timers. */
#include "common/i18n.h"
#include "common/service_internal.h"

/* ==== Readiness (epoll over ZMQ_FD) ===================================== */

int svc_slot_sub(sm_service_t *svc)
{
    return svc->nworkers;
}
int svc_slot_follow(sm_service_t *svc, int i)
{
    return svc->nworkers + 1 + i;
}

/*  Watch sock in slot (replacing whatever the slot watched). Marks it
    pending so that anything already queued is read. */
void svc_ep_watch(sm_service_t *svc, int slot, void *sock)
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
void svc_ep_forget(sm_service_t *svc, int slot)
{
    if (svc->epfd >= 0 && svc->ep_fd[slot] >= 0)
        epoll_ctl(svc->epfd, EPOLL_CTL_DEL, svc->ep_fd[slot], NULL);
    svc->ep_fd[slot] = -1;
}

/*  True when sock has a message to read now. */
bool svc_readable(void *sock)
{
    int ev = 0;
    size_t sz = sizeof ev;
    return zmq_getsockopt(sock, ZMQ_EVENTS, &ev, &sz) == 0 && (ev & ZMQ_POLLIN);
}

/* ==== Worker connections (MDP/Worker) =================================== */

/*  Send n frames; the last one with last_flags (ZMQ_SNDMORE when more
    follow). Returns 0 or -1. */
static int s_send_frames(void *sock, const void *const *data, const size_t *size, int n,
                         int last_flags)
{
    for (int i = 0; i < n; i++)
        if (zmq_send(sock, data[i], size[i],
                     (i < n - 1 ? ZMQ_SNDMORE : last_flags) | ZMQ_DONTWAIT) < 0)
            return -1;
    return 0;
}

/*  zmq_msg_init_data's free function for a reply handed over without a copy. */
static void s_free_bytes(void *data, void *hint)
{
    (void)hint;
    free(data);
}

void svc_worker_send_cmd(sm_service_t *svc, int w, unsigned char cmd, const char *arg)
{
    const void *d[3] = {MDPW, &cmd, arg};
    size_t s[3] = {6, 1, arg ? strlen(arg) : 0};
    s_send_frames(svc->workers[w].sock, d, s, arg ? 3 : 2, 0);
    svc->workers[w].last_send = svc_mono_ms();
    svc->ready[w] = true;
}

int svc_worker_connect(sm_service_t *svc, int w)
{
    worker_t *wk = &svc->workers[w];
    if (wk->sock) {
        svc_ep_forget(svc, w);
        zmq_close(wk->sock);
    }
    wk->sock = zmq_socket(svc->zctx, ZMQ_DEALER);
    if (!wk->sock)
        return -1;
    int linger = 0;
    zmq_setsockopt(wk->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(wk->sock, ZMQ_MAXMSGSIZE, &svc->max_message, sizeof svc->max_message);
    if (sm_security_apply(&svc->sec, wk->sock) != 0 ||
        zmq_connect(wk->sock, svc->brokers.ep[wk->broker]) != 0)
        return -1;
    svc_ep_watch(svc, w, wk->sock);
    svc_worker_send_cmd(svc, w, MDPW_READY, svc->def->name);
    wk->last_recv = svc_mono_ms();
    wk->heard = false;
    return 0;
}


int svc_claim(sm_service_t *svc, int b, int timeout_ms, sm_err_t *e)
{
    svc->last_claim_ms[b] = svc_mono_ms();
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 3);
    sm_pack_kv_str(&args.pk, "service", svc->def->name);
    sm_pack_kv_str(&args.pk, "instance", sm_store_instance(svc->store));
    sm_pack_kv_str(&args.pk, "incarnation", svc->incarnation);
    sm_err_t ce;
    sm_err_clear(&ce);
    sm_doc_t *doc = sm_client_call(svc->claimer[b], SM_SVC_BROKER, "service.claim",
                                   args.sbuf.data, args.sbuf.size, NULL, timeout_ms, 0, &ce);
    sm_buf_free(&args);
    int rc = 0;
    if (!doc)
        sm_debug("claim not answered; the broker is not there yet", "broker=%d timeout_ms=%d", b,
                 timeout_ms);
    else if (sm_reply_check(doc, NULL, &ce) != 0) {
        if (strcmp(ce.code, SM_E_FAILED_PRECONDITION) == 0 ||
            strcmp(ce.code, SM_E_PERMISSION_DENIED) == 0) {
            sm_err_set(e, ce.code, ce.field, _("the broker refuses this daemon: %s"), ce.message);
            rc = -1;
        } else
            sm_warn("claim not accepted; trying again later", "code=%s", ce.code);
    }
    sm_doc_destroy(&doc);
    return rc;
}

/* ==== Replies =========================================================== */

void svc_pack_error(sm_buf_t *b, const sm_err_t *e)
{
    svc_pack_error_details(b, e, NULL);
}

void svc_pack_error_details(sm_buf_t *b, const sm_err_t *e, const sm_buf_t *details)
{
    bool with = details && details->sbuf.size > 0;
    sm_buf_reset(b);
    msgpack_pack_map(&b->pk, 2);
    sm_pack_kv_bool(&b->pk, "ok", false);
    sm_pack_str(&b->pk, "error");
    msgpack_pack_map(&b->pk, with ? 4 : 3);
    sm_pack_kv_str(&b->pk, "code", e->code ? e->code : SM_E_INTERNAL);
    sm_pack_kv_str(&b->pk, "message", e->message[0] ? e->message : _("internal error"));
    sm_pack_kv_str(&b->pk, "field", e->field);
    if (with) {
        sm_pack_str(&b->pk, "details");
        msgpack_sbuffer_write(&b->sbuf, details->sbuf.data, details->sbuf.size);
    }
}

void svc_reply_prefix(sm_buf_t *b)
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
                   _("the reply to %s is %zu bytes, more than the broker's max_message_bytes "
                     "(%lld); ask for less (a smaller limit or a narrower filter) or raise the "
                     "limit"),
                   r->op_name, r->reply.sbuf.size, (long long)svc->max_message);
        r->failed = true;
        snprintf(r->outcome, sizeof r->outcome, "%s", e.code);
        svc_pack_error(&r->reply, &e);
    }
    unsigned char cmd = MDPW_FINAL;
    void *sock = svc->workers[r->worker].sock;
    const void *d[4] = {MDPW, &cmd, zmq_msg_data(&r->address), ""};
    size_t s[4] = {6, 1, zmq_msg_size(&r->address), 0};
    int rc = s_send_frames(sock, d, s, 4, ZMQ_SNDMORE);
    if (rc == 0 && r->reply.sbuf.size > SM_KEEP_BUF_BYTES) {
        /*  A large reply (a list, a document) goes without a copy: libzmq
            takes the buffer and frees it once sent (from its I/O thread;
            free() may be called from any thread). The slot starts a new
            buffer for its next request. */
        zmq_msg_t m;
        size_t size = r->reply.sbuf.size;
        char *bytes = msgpack_sbuffer_release(&r->reply.sbuf);
        if (zmq_msg_init_data(&m, bytes, size, s_free_bytes, NULL) != 0) {
            free(bytes);
            rc = -1;
        } else if (zmq_msg_send(&m, sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            rc = -1;
        }
    } else if (rc == 0)
        rc = s_send_frames(sock, (const void *[]){r->reply.sbuf.data}, &r->reply.sbuf.size, 1, 0);
    if (rc != 0)
        sm_warn("reply not sent", "op=%s err=%s", r->op_name, zmq_strerror(zmq_errno()));
    svc->workers[r->worker].last_send = svc_mono_ms();
    svc->ready[r->worker] = true;
    int64_t dur = svc_mono_us() - r->t0_us;
    /*  Writes and refusals at info; successful reads (polling, lookups) at debug. */
    bool loud = r->failed || (r->op && (r->op->decl.flags & SM_OP_WRITE));
    sm_log(loud ? SM_LOG_INFO : SM_LOG_DEBUG, "request", "op=%s rid=%s dur_us=%lld outcome=%s",
           r->op_name[0] ? r->op_name : "-", r->rid[0] ? r->rid : "-", (long long)dur, r->outcome);
    svc->requests++;
    if (r->failed)
        svc->refused++;
    sm_metrics_request(svc->metrics, r->op ? (int)(r->op - svc->ops) : -1, r->outcome,
                       r->op && (r->op->decl.flags & SM_OP_WRITE), dur);
}

/*  Make batch slot r ready for a request from worker connection w: what
    the last request left is cleared, its buffers are kept. Can't fail (a
    slot whose document could not be made refuses its request). */
static void s_request_start(request_t *r, int w)
{
    if (!r->set_up) {
        sm_buf_init(&r->reply);
        sm_buf_init(&r->event);
        r->doc = sm_doc_new();
        r->set_up = true;
    }
    r->worker = w;
    zmq_msg_init(&r->address);
    zmq_msg_init(&r->body);
    r->args = NULL;
    r->op = NULL;
    r->checked = NULL;
    r->audit.n = 0;
    r->audit.more = false;
    r->audit_after = false;
    r->op_name[0] = r->rid[0] = r->outcome[0] = r->caller_key[0] = r->lang[0] = '\0';
    r->caller_roles = 0;
    r->failed = false;
    r->t0_us = svc_mono_us();
    sm_buf_reset(&r->reply);
}

/*  The request in slot r was answered: let go of its frames and checked
    arguments; keep the buffers for the slot's next request. */
static void s_request_done(request_t *r)
{
    sm_args_destroy(&r->checked);
    zmq_msg_close(&r->address);
    zmq_msg_close(&r->body);
    svc_buf_recycle(&r->reply);
    svc_buf_recycle(&r->event);
}

void svc_batch_free(sm_service_t *svc)
{
    for (int i = 0; svc->batch && i < SM_MAX_WORKERS; i++) {
        request_t *r = &svc->batch[i];
        if (!r->set_up)
            continue;
        sm_buf_free(&r->reply);
        sm_buf_free(&r->event);
        sm_doc_destroy(&r->doc);
        svc_audit_free(&r->audit);
    }
    free(svc->batch);
    svc->batch = NULL;
}

/* ==== Request decoding ================================================== */

/*  True when rid is a request id we accept: 1..64 characters of letters,
    digits and ".:_-", so that it can be stored, logged and shown as is. */
static bool s_rid_ok(const char *rid)
{
    size_t n = strlen(rid);
    if (n == 0 || n > 64)
        return false;
    for (const char *p = rid; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == ':' || *p == '_' || *p == '-'))
            return false;
    return true;
}

/*  Refuse r for a caller whose roles the op does not allow: the op, the
    roles that may call it, and who asked. */
static void s_permission_denied(sm_service_t *svc, request_t *r, sm_err_t *e)
{
    char need[200], have[200];
    sm_roles_format(r->op->decl.roles, need, sizeof need);
    sm_roles_format(r->caller_roles, have, sizeof have);
    sm_err_set(e, SM_E_PERMISSION_DENIED, "op",
               _("%s %s needs one of the roles %s; the key \"%s\" has %s"), svc->def->name,
               r->op_name, need, r->caller_key[0] ? r->caller_key : _("(none)"),
               have[0] ? have : _("no role"));
    char q[120];
    sm_warn("permission denied", "op=%s key=%s roles=%s", r->op_name,
            sm_log_quote(r->caller_key, q, sizeof q), have[0] ? have : "-");
}

/*  Decode the envelope {"op","args","rid","lang"}, check the caller's
    roles and the arguments against the op's declaration; fills r or
    leaves an
    error reply. */
static int s_decode_request(sm_service_t *svc, request_t *r, const void *body, size_t size)
{
    static const char *keys[] = {"op", "args", "rid", "lang", NULL};
    static const msgpack_object s_empty = {.type = MSGPACK_OBJECT_MAP};
    sm_err_t e;
    sm_err_clear(&e);
    if (!r->doc) {
        sm_err_set(&e, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory decoding the request"));
        goto refuse;
    }
    if (sm_doc_decode(r->doc, body, size, &e) != 0)
        goto refuse;
    const msgpack_object *root = sm_doc_root(r->doc);
    if (root->type != MSGPACK_OBJECT_MAP) {
        sm_err_set(&e, SM_E_INVALID_ARGUMENT, "body",
                   _("the request body must be a MessagePack map {\"op\": ..., \"args\": {...}, "
                     "\"rid\": ...}"));
        goto refuse;
    }
    if (sm_check_keys(root, keys, &e) ||
        sm_get_str(root, "op", true, r->op_name, sizeof r->op_name, false, &e) < 0 ||
        sm_get_map(root, "args", false, &r->args, &e) < 0)
        goto refuse;
    /*  The reader's language: checked here, switched to around the handler. */
    char lang[24] = "";
    if (sm_get_str(root, "lang", false, lang, sizeof lang, false, &e) < 0)
        goto refuse;
    if (lang[0]) {
        const char *canon = sm_i18n_lang_parse(lang);
        if (!canon) {
            sm_err_set(&e, SM_E_INVALID_ARGUMENT, "lang",
                       _("lang \"%s\" is not a language samen speaks; give %s"), lang,
                       sm_i18n_langs_hint());
            goto refuse;
        }
        snprintf(r->lang, sizeof r->lang, "%s", canon);
    }
    //  The checks below speak the reader's language too.
    sm_i18n_use(r->lang);
    if (sm_get_str(root, "rid", false, r->rid, sizeof r->rid, false, &e) < 0) {
        r->rid[0] = '\0';
        goto refuse;
    }
    if (r->rid[0] && !s_rid_ok(r->rid)) {
        r->rid[0] = '\0'; /*  not echoed into the log: it is input */
        sm_err_set(&e, SM_E_INVALID_ARGUMENT, "rid",
                   _("field \"rid\" must be text of 1 to 64 characters: letters, digits and "
                     ". : _ -"));
        goto refuse;
    }
    if (!r->args)
        r->args = &s_empty;
    r->op = svc_find_op(svc, r->op_name);
    if (!r->op) {
        char list[600] = "";
        size_t o = 0;
        for (int i = 0; i < svc->nops && o < sizeof list - 60; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                  svc->ops[i].decl.name);
        sm_err_set(&e, SM_E_INVALID_ARGUMENT, "op", _("unknown op \"%s\" for service %s; ops: %s"),
                   r->op_name, svc->def->name, list);
        /*  Do not echo an unknown op into the logs verbatim: it is input. */
        snprintf(r->op_name, sizeof r->op_name, "(unknown)");
        goto refuse;
    }
    /*  The caller frame was read before (s_worker_recv): a request without
        one never gets here. In plain mode the broker vouches for "local"
        with role admin (PROTOCOL.md §8.4). */
    if (!sm_decl_allows(&r->op->decl, r->caller_roles)) {
        s_permission_denied(svc, r, &e);
        r->audit_after = true;
        goto refuse;
    }
    r->checked = sm_args_check(&r->op->decl, r->args, &e);
    if (!r->checked) {
        /*  A write that was tried is on record, refused or not. */
        r->audit_after = (r->op->decl.flags & SM_OP_WRITE) != 0;
        goto refuse;
    }
    return 0;
refuse:
    if (r->op_name[0] == '\0')
        snprintf(r->op_name, sizeof r->op_name, "(none)");
    r->failed = true;
    snprintf(r->outcome, sizeof r->outcome, "%s", e.code ? e.code : SM_E_INTERNAL);
    svc_pack_error(&r->reply, &e);
    return -1;
}

/*  sm_args_each_id's visitor: name an argument's ID in the audit entry. */
static void s_audit_arg_id(const char *id, void *ids)
{
    svc_audit_add(ids, id);
}

/*  Set up ctx to serve request r in txn. */
static void s_request_ctx(sm_ctx_t *ctx, sm_service_t *svc, MDB_txn *txn, bool write, request_t *r)
{
    svc_ctx_init(ctx, svc, txn, write);
    ctx->rid = r->rid[0] ? r->rid : NULL;
    ctx->caller_key = r->caller_key;
    ctx->caller_roles = r->caller_roles;
    ctx->op = r->op;
    ctx->args = r->checked;
    ctx->audit = &r->audit;
    sm_buf_move(&ctx->event_data, &r->event); /*  the slot's buffer, lent */
    sm_i18n_use(r->lang); //  after svc_ctx_init, which returns to the service's language
}

/*  The handler is done with ctx: the event buffer goes back to r's slot,
    the refusal's details (allocated only when a handler gave some) go. */
static void s_request_ctx_end(sm_ctx_t *ctx, request_t *r)
{
    sm_buf_move(&r->event, &ctx->event_data);
    sm_buf_free(&ctx->details);
}

/*  Remember r's refusal for its rid, and put it on record, in txn (the
    batch's, or one of its own when the batch was undone). A refusal that
    depends only on the request is remembered, so a retry gets the same
    answer; internal trouble is not (a retry may succeed). Sets *map_full
    when the store is full. */
static void s_record_refusal(sm_service_t *svc, MDB_txn *txn, request_t *r, bool *map_full)
{
    sm_ctx_t c2;
    svc_ctx_init(&c2, svc, txn, true);
    if (r->rid[0] && strcmp(r->outcome, SM_E_INTERNAL) != 0 &&
        strcmp(r->outcome, SM_E_CONFLICT) != 0)
        svc_idem_store(&c2, r);
    if (svc_audit_append(svc, txn, r, c2.now_ms) == MDB_MAP_FULL)
        c2.map_full = true;
    if (c2.map_full)
        *map_full = true;
    sm_buf_free(&c2.event_data);
}

/*  Run one write request inside the batch transaction parent: in a nested
    transaction of its own, or, when it is alone in the batch, directly in
    parent (LMDB's nested transaction allocates about 3 MB for its page
    lists; a batch of one does not need it). A refusal when alone sets
    *undo: the caller aborts parent and records the refusal afterwards.
    Its audit log entry goes into the same transaction as its effect. */
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
        sm_err_set(&e, SM_E_INTERNAL, NULL, _("cannot begin a transaction: %s"), mdb_strerror(rc));
        r->failed = true;
        snprintf(r->outcome, sizeof r->outcome, "%s", SM_E_INTERNAL);
        svc_pack_error(&r->reply, &e);
        return;
    }
    s_request_ctx(&ctx, svc, child, true, r);
    if (r->checked)
        sm_args_each_id(r->checked, s_audit_arg_id, &r->audit);
    bool hit = false;
    if (r->rid[0] && svc_idem_lookup(&ctx, r, &hit) < 0)
        goto refused;
    if (hit) {
        snprintf(r->outcome, sizeof r->outcome, "replayed");
        if ((rc = svc_audit_append(svc, child, r, ctx.now_ms)) != 0 ||
            (!alone && (rc = mdb_txn_commit(child)) != 0)) {
            if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
                *map_full = true;
            if (!alone && rc)
                child = NULL;
        }
        s_request_ctx_end(&ctx, r);
        return;
    }
    svc_reply_prefix(&r->reply);
    size_t prefix = r->reply.sbuf.size;
    ctx.reply = &r->reply.pk;
    if (r->op->fn(&ctx, r->args) != 0 || ctx.map_full)
        goto refused;
    if (r->reply.sbuf.size == prefix)
        msgpack_pack_nil(&r->reply.pk);
    if (r->rid[0] && svc_idem_store(&ctx, r) != 0)
        goto refused;
    snprintf(r->outcome, sizeof r->outcome, "ok");
    if ((rc = svc_audit_append(svc, child, r, ctx.now_ms)) != 0) {
        svc_lmdb_fail(&ctx, rc, "audit log");
        goto refused;
    }
    if (!alone && (rc = mdb_txn_commit(child)) != 0) {
        child = NULL;
        svc_lmdb_fail(&ctx, rc, "commit");
        goto refused;
    }
    s_request_ctx_end(&ctx, r);
    return;
refused:
    if (alone)
        *undo = true; /*  the caller aborts parent: our writes go with it */
    else if (child)
        mdb_txn_abort(child);
    svc_pending_drop(svc, mark);
    if (ctx.map_full)
        *map_full = true;
    if (!ctx.err.code)
        sm_err_set(&ctx.err, SM_E_INTERNAL, NULL, _("the %s handler failed without saying why"),
                   r->op_name);
    r->failed = true;
    snprintf(r->outcome, sizeof r->outcome, "%s", ctx.err.code);
    svc_pack_error_details(&r->reply, &ctx.err, ctx.map_full ? NULL : &ctx.details);
    if (!alone && !ctx.map_full)
        s_record_refusal(svc, parent, r, map_full);
    s_request_ctx_end(&ctx, r);
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
            reqs[i]->audit.n = 0;
            s_run_write(svc, txn, reqs[i], &map_full, n == 1, &undo);
            if (map_full)
                break;
        }
        if (undo && !map_full) {
            /*  The one request of the batch was refused: drop its writes,
                then record the refusal in a transaction of its own (as the
                nested path does inside the batch). */
            mdb_txn_abort(txn);
            svc_pending_drop(svc, 0);
            if (sm_store_begin(svc->store, true, &txn, &e) == 0) {
                bool full = false;
                s_record_refusal(svc, txn, reqs[0], &full);
                if (full || mdb_txn_commit(txn) != 0) {
                    if (full)
                        mdb_txn_abort(txn);
                    sm_warn("refusal not recorded", "op=%s", reqs[0]->op_name);
                }
            }
            svc->batches++;
            return;
        }
        if (map_full) {
            mdb_txn_abort(txn);
            svc_pending_drop(svc, 0);
            if (sm_store_grow(svc->store, &e) != 0)
                goto all_fail;
            continue;
        }
        int64_t t0 = svc_mono_us();
        int rc = mdb_txn_commit(txn);
        svc->gc_commit_us = svc_mono_us() - t0;
        if (rc == 0)
            sm_metrics_commit(svc->metrics, n, svc->gc_commit_us);
        if (rc == MDB_MAP_FULL) {
            svc_pending_drop(svc, 0);
            if (sm_store_grow(svc->store, &e) != 0)
                goto all_fail;
            continue;
        }
        if (rc) {
            sm_store_fail(svc->store, rc, "commit", &e); /*  disk full, or internal */
            goto all_fail;
        }
        svc->batches++;
        svc_publish_pending(svc);
        return;
    all_fail:
        svc_pending_drop(svc, 0);
        sm_error("batch failed", "requests=%d err=%s", n,
                 sm_log_quote(e.message, (char[200]){0}, 200));
        for (int i = 0; i < n; i++) {
            reqs[i]->failed = true;
            snprintf(reqs[i]->outcome, sizeof reqs[i]->outcome, "%s",
                     e.code ? e.code : SM_E_INTERNAL);
            svc_pack_error(&reqs[i]->reply, &e);
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
            svc_pack_error(&reqs[i]->reply, &e);
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        request_t *r = reqs[i];
        sm_ctx_t ctx;
        s_request_ctx(&ctx, svc, txn, false, r);
        svc_reply_prefix(&r->reply);
        size_t prefix = r->reply.sbuf.size;
        ctx.reply = &r->reply.pk;
        /*  Reading personal fields is on record (who saw whose data). */
        if (sm_ctx_sees_personal(&ctx) || (r->op->decl.flags & SM_OP_AUDIT)) {
            r->audit_after = true;
            if (r->checked)
                sm_args_each_id(r->checked, s_audit_arg_id, &r->audit);
        }
        if (r->op->fn(&ctx, r->args) != 0) {
            if (!ctx.err.code)
                sm_err_set(&ctx.err, SM_E_INTERNAL, NULL, _("the %s handler failed"), r->op_name);
            /*  A refusal of access is on record, wherever it was decided. */
            if (strcmp(ctx.err.code, SM_E_PERMISSION_DENIED) == 0)
                r->audit_after = true;
            r->failed = true;
            snprintf(r->outcome, sizeof r->outcome, "%s", ctx.err.code);
            svc_pack_error_details(&r->reply, &ctx.err, &ctx.details);
        } else {
            if (r->reply.sbuf.size == prefix)
                msgpack_pack_nil(&r->reply.pk);
            snprintf(r->outcome, sizeof r->outcome, "ok");
        }
        s_request_ctx_end(&ctx, r);
    }
    mdb_txn_abort(txn);
}

/*  Put on record what the batch did that has no write transaction of its
    own: reads of personal fields and refusals before any handler ran.
    One transaction for all of them, committed before the replies go out,
    so that nothing was read without a durable record of it. */
static void s_record_after(sm_service_t *svc, request_t *batch, int nbatch)
{
    int todo = 0;
    for (int i = 0; i < nbatch; i++)
        todo += batch[i].audit_after;
    for (int attempt = 0; todo && attempt < 8; attempt++) {
        MDB_txn *txn;
        sm_err_t e;
        if (sm_store_begin(svc->store, true, &txn, &e) != 0)
            break;
        int rc = 0;
        int64_t now = svc_wall_ms();
        for (int i = 0; i < nbatch && !rc; i++)
            if (batch[i].audit_after)
                rc = svc_audit_append(svc, txn, &batch[i], now);
        if (!rc)
            rc = mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
        if (rc == MDB_MAP_FULL && sm_store_grow(svc->store, NULL) == 0)
            continue;
        if (rc) {
            /*  Not recorded: do not hand out what cannot be accounted for. */
            sm_error("audit log not written", "err=%s", mdb_strerror(rc));
            for (int i = 0; i < nbatch; i++)
                if (batch[i].audit_after && !batch[i].failed) {
                    sm_err_set(&e, SM_E_UNAVAILABLE, NULL,
                               _("the audit log could not be written (%s); nothing was read, try "
                                 "again"),
                               mdb_strerror(rc));
                    batch[i].failed = true;
                    snprintf(batch[i].outcome, sizeof batch[i].outcome, "%s", SM_E_UNAVAILABLE);
                    svc_pack_error(&batch[i].reply, &e);
                }
        }
        break;
    }
}

/* ==== Receiving from the broker ========================================= */

/*  Read the caller frame {"key": NAME, "roles": [ROLE, ...]} into r.
    Role words this version does not know are ignored. A frame seen lately
    (the same bytes) is not decoded again. Returns 0, or -1 when the frame
    is not such a map. */
static int s_caller_parse(sm_service_t *svc, request_t *r, const void *data, size_t size)
{
    for (int i = 0; i < SVC_CALLERS; i++)
        if (svc->callers[i].len == size && memcmp(svc->callers[i].bytes, data, size) == 0) {
            memcpy(r->caller_key, svc->callers[i].key, sizeof r->caller_key);
            r->caller_roles = svc->callers[i].roles;
            return 0;
        }
    sm_doc_t *doc = sm_doc_parse(data, size, NULL);
    const msgpack_object *root = doc ? sm_doc_root(doc) : NULL;
    const msgpack_object *roles = root ? sm_map_get(root, "roles") : NULL;
    int rc = -1;
    if (root && root->type == MSGPACK_OBJECT_MAP && roles && roles->type == MSGPACK_OBJECT_ARRAY &&
        sm_get_str(root, "key", true, r->caller_key, sizeof r->caller_key, false, NULL) > 0) {
        r->caller_roles = 0;
        for (uint32_t i = 0; i < roles->via.array.size; i++) {
            const msgpack_object *o = &roles->via.array.ptr[i];
            char word[40];
            if (o->type == MSGPACK_OBJECT_STR && o->via.str.size < sizeof word) {
                memcpy(word, o->via.str.ptr, o->via.str.size);
                word[o->via.str.size] = '\0';
                r->caller_roles |= sm_role_parse(word);
            }
        }
        rc = 0;
    }
    sm_doc_destroy(&doc);
    if (rc == 0 && size > 0 && size <= SVC_CALLER_BYTES) {
        int i = svc->callers_next;
        svc->callers_next = (i + 1) % SVC_CALLERS;
        svc->callers[i].len = size;
        memcpy(svc->callers[i].bytes, data, size);
        memcpy(svc->callers[i].key, r->caller_key, sizeof r->caller_key);
        svc->callers[i].roles = r->caller_roles;
    }
    return rc;
}

/*  Read one message from worker w. Appends a request to the batch, or
    handles HEARTBEAT/DISCONNECT. Returns 1 when a request was added, 0
    otherwise, -1 when nothing was there. */
static int s_worker_recv(sm_service_t *svc, int w, int *nbatch)
{
    zmq_msg_t f[7];
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
        if (n < 7)
            f[n++] = m;
        else
            zmq_msg_close(&m);
    }
    svc->workers[w].last_recv = svc_mono_ms();
    svc->workers[w].heard = true;
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
        /*  MDP gives no reason: ask. The broker sends DISCONNECT after its
            restart (it forgot our claim) and when it refuses our READY; one
            claim answers for the burst of DISCONNECTs that follows. */
        int b = svc->workers[w].broker; //  the broker that sent it: claim there
        if (svc_mono_ms() - svc->last_claim_ms[b] >= svc->heartbeat_ms) {
            sm_err_t e;
            sm_err_clear(&e);
            if (svc_claim(svc, b, (int)svc->heartbeat_ms, &e) != 0) {
                char q[800];
                sm_error("stopping: refused by the broker", "code=%s err=%s", e.code,
                         sm_log_quote(e.message, q, sizeof q));
                fprintf(stderr, "samen-%s: %s\n", svc->def->name, e.message);
                svc->exit_status = 3;
                svc_interrupted = 1;
                goto done;
            }
        }
        sm_info("broker disconnected worker; reconnecting", "worker=%d", w);
        svc_worker_connect(svc, w);
        goto done;
    }
    if (cmd != MDPW_REQUEST || n < 5) {
        sm_warn("unexpected command from broker dropped", "command=%d", cmd);
        goto done;
    }
    request_t *r = &svc->batch[(*nbatch)++];
    s_request_start(r, w);
    zmq_msg_move(&r->address, &f[2]);
    /*  MDPW02, REQUEST, client, "", body, caller: the broker appends the
        caller frame after the one body frame, so a client can't add its
        own (a second body frame makes seven). */
    sm_err_t e;
    sm_err_clear(&e);
    if (total > 6)
        sm_err_set(&e, SM_E_INVALID_ARGUMENT, "body",
                   _("the request body must be exactly one frame holding a MessagePack map; got "
                     "%d frames"),
                   total - 5);
    else if (total < 6 || s_caller_parse(svc, r, zmq_msg_data(&f[5]), zmq_msg_size(&f[5])) != 0)
        sm_err_set(&e, SM_E_UNAUTHENTICATED, NULL,
                   _("the request reached %s without the broker's caller frame (PROTOCOL.md "
                     "§8); is samen-broker older than this service?"),
                   svc->def->name);
    if (e.code) {
        r->failed = true;
        snprintf(r->op_name, sizeof r->op_name, "(none)");
        snprintf(r->outcome, sizeof r->outcome, "%s", e.code);
        svc_pack_error(&r->reply, &e);
    } else {
        /*  The body frame stays with the request: the decoded document
            points into it, nothing is copied. */
        zmq_msg_move(&r->body, &f[4]);
        s_decode_request(svc, r, zmq_msg_data(&r->body), zmq_msg_size(&r->body));
    }
    added = 1;
done:
    for (int i = 0; i < n; i++)
        zmq_msg_close(&f[i]);
    return added;
}

/* ==== Timers ============================================================ */

static void s_run_timer(sm_service_t *svc, const sm_timer_t *t)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        MDB_txn *txn;
        if (sm_store_begin(svc->store, true, &txn, NULL) != 0)
            return;
        sm_ctx_t ctx;
        svc_ctx_init(&ctx, svc, txn, true);
        int rc = t->fn(&ctx);
        (void)rc;
        if (ctx.map_full) {
            mdb_txn_abort(txn);
            svc_pending_drop(svc, 0);
            sm_buf_free(&ctx.event_data);
            if (sm_store_grow(svc->store, NULL) != 0)
                return;
            continue;
        }
        if (rc != 0) {
            mdb_txn_abort(txn);
            svc_pending_drop(svc, 0);
            char q[300];
            sm_warn("timer failed", "timer=%s err=%s", t->name,
                    sm_log_quote(ctx.err.message, q, sizeof q));
        } else if (mdb_txn_commit(txn) == 0)
            svc_publish_pending(svc);
        else
            svc_pending_drop(svc, 0);
        sm_buf_free(&ctx.event_data);
        return;
    }
}

/*  True when r is a write to be applied (not refused while decoding). */
static bool s_is_write(const request_t *r)
{
    return !r->failed && r->op && (r->op->decl.flags & SM_OP_WRITE);
}

/*  Serve the batch: reads in one read transaction, writes in one write
    transaction (group commit), then the replies. Returns the number of
    writes applied. */
static int s_serve_batch(sm_service_t *svc, int nbatch)
{
    request_t *writes[SM_MAX_WORKERS], *reads[SM_MAX_WORKERS];
    int nw = 0, nr = 0;
    for (int i = 0; i < nbatch; i++) {
        request_t *r = &svc->batch[i];
        if (r->failed)
            continue; /*  refused while decoding; reply as is */
        if (r->op->decl.flags & SM_OP_WRITE)
            writes[nw++] = r;
        else
            reads[nr++] = r;
    }
    if (nr)
        s_run_reads(svc, reads, nr);
    if (nw)
        s_run_writes(svc, writes, nw);
    s_record_after(svc, svc->batch, nbatch);
    for (int i = 0; i < nbatch; i++) {
        s_send_reply(svc, &svc->batch[i]);
        s_request_done(&svc->batch[i]);
    }
    return nw;
}

/*  Read worker connection w until it is empty or a request was taken.
    MDP gives a worker connection one request at a time, so nothing but a
    HEARTBEAT or DISCONNECT can follow a request before our reply; rather
    than look for it now (a system call pair that finds nothing), the
    connection is read again after the reply is sent, which is needed then
    anyway (a send can take in the wake-up of a message that arrived
    meanwhile). Returns 1 when a write request was added, else 0. */
static int s_worker_read(sm_service_t *svc, int w, int *nbatch)
{
    int rc = -1;
    svc->ready[w] = false;
    while (*nbatch < SM_MAX_WORKERS && (rc = s_worker_recv(svc, w, nbatch)) == 0)
        ;
    if (*nbatch == SM_MAX_WORKERS)
        svc->ready[w] = true; /*  not drained: look again */
    return rc == 1 && s_is_write(&svc->batch[*nbatch - 1]);
}

/*  Read every worker connection marked ready. Returns the write requests added. */
static int s_read_workers(sm_service_t *svc, int *nbatch)
{
    int nw = 0;
    for (int w = 0; w < svc->nworkers; w++)
        if (svc->ready[w])
            nw += s_worker_read(svc, w, nbatch);
    return nw;
}

/*  Group commit that waits for the writers just answered.

    Left to itself, a busy service splits its writers into two cohorts: the
    writes that arrive during a commit form the next batch, while the
    writers just answered are still on their way back (a round trip through
    broker and client) and land in the batch after. So before applying a
    batch that holds writes, wait a little for those writers to come back:
    until the batch holds the writes that arrived during the last commit
    (`others`) plus as many as that commit answered, for at most half the
    last commit's duration and at most S_GC_WAIT_MAX_US, and only when that
    commit answered more than one write and did so less than
    S_GC_RECENT_US ago. A writer alone never waits: its last batch was a
    batch of one. Requests read meanwhile (reads too) join the batch.
    Returns the batch's new size. */
#define S_GC_WAIT_MAX_US 1000
#define S_GC_RECENT_US 5000
static int s_gather_writes(sm_service_t *svc, int nbatch, int nw, int others)
{
    int64_t now = svc_mono_us();
    if (svc->gc_answered < 2 || now - svc->gc_answered_us > S_GC_RECENT_US)
        return nbatch;
    int target = others + svc->gc_answered;
    if (target > svc->nworkers)
        target = svc->nworkers;
    int64_t budget = svc->gc_commit_us / 2;
    if (budget > S_GC_WAIT_MAX_US)
        budget = S_GC_WAIT_MAX_US;
    int64_t deadline = now + budget;
    int nslots = svc->nworkers + 1 + svc->nfollow;
    struct epoll_event evs[64];
    while (nw < target && nbatch < SM_MAX_WORKERS && !svc_interrupted) {
        int64_t left = deadline - svc_mono_us();
        if (left <= 0)
            break;
        struct timespec ts = {left / 1000000, (left % 1000000) * 1000};
        int rc = epoll_pwait2(svc->epfd, evs, 64, &ts, NULL);
        if (rc < 0 && errno != EINTR)
            break; /*  (ENOSYS before Linux 5.11: no waiting) */
        for (int i = 0; i < rc; i++)
            if (evs[i].data.u32 < (uint32_t)nslots)
                svc->ready[evs[i].data.u32] = true;
        nw += s_read_workers(svc, &nbatch);
    }
    return nbatch;
}

void svc_loop(sm_service_t *svc)
{
    int nslots = svc->nworkers + 1 + svc->nfollow;
    struct epoll_event evs[64];
    int64_t now = svc_mono_ms();
    svc->last_backfill_sweep = now;
    svc->last_idem_purge = now;
    for (int t = 0; svc->def->timers && svc->def->timers[t].name; t++) {
        s_run_timer(svc, &svc->def->timers[t]);
        svc->timer_last[t] = svc_mono_ms();
    }
    /*  The loop wakes at least this often, so that /healthz and systemd's
        watchdog see it turn however long the heartbeat interval is. */
    int64_t idle_ms = svc->heartbeat_ms / 2 < 500 ? svc->heartbeat_ms / 2 : 500;
    svc_ops_turn(svc, svc_mono_ms());
    /*  carried: requests already read into the batch (by the read after a
        reply); after_writes: the last pass answered more than one write,
        so the writes read now, without waiting, arrived during its commit. */
    int carried = 0;
    bool after_writes = false;
    /*  The log lines of a pass are written together, before the next wait. */
    sm_log_hold(true);
    while (!svc_interrupted) {
        if (svc_hangup)
            svc_reload(svc);
        bool any = carried > 0 || after_writes;
        for (int i = 0; i < nslots && !any; i++)
            any = svc->ready[i];
        sm_log_flush();
        int rc = epoll_wait(svc->epfd, evs, 64, any ? 0 : (int)idle_ms);
        if (rc < 0 && errno != EINTR)
            break;
        for (int i = 0; i < rc; i++)
            if (evs[i].data.u32 < (uint32_t)nslots)
                svc->ready[evs[i].data.u32] = true;
        /*  Requests: read every worker connection that may hold one. */
        int nbatch = carried;
        int nw = 0;
        for (int i = 0; i < carried; i++)
            nw += s_is_write(&svc->batch[i]);
        carried = 0;
        nw += s_read_workers(svc, &nbatch);
        if (nw)
            nbatch = s_gather_writes(svc, nbatch, nw, after_writes ? nw : 0);
        after_writes = false;
        if (nbatch) {
            int answered[SM_MAX_WORKERS];
            for (int i = 0; i < nbatch; i++)
                answered[i] = svc->batch[i].worker;
            int applied = s_serve_batch(svc, nbatch);
            if (applied) {
                svc->gc_answered = applied;
                svc->gc_answered_us = svc_mono_us();
                after_writes = applied > 1;
            }
            /*  Read each connection just answered (see s_worker_read): what
                it finds waits in the batch for the next pass. */
            for (int i = 0; i < nbatch; i++)
                if (svc->ready[answered[i]])
                    s_worker_read(svc, answered[i], &carried);
        }
        if (svc->sub && svc->ready[svc_slot_sub(svc)]) {
            svc->ready[svc_slot_sub(svc)] = false;
            if (svc_on_live_events(svc))
                svc->ready[svc_slot_sub(svc)] = true;
        }
        for (int i = 0; i < svc->nfollow; i++) {
            int slot = svc_slot_follow(svc, i);
            if (!svc->ready[slot])
                continue;
            svc->ready[slot] = false;
            for (int k = 0; k < 4 && svc_readable(sm_client_socket(svc->follow[i].client)); k++)
                svc_backfill_recv(svc, &svc->follow[i]);
        }

        now = svc_mono_ms();
        svc_ops_turn(svc, now);
        for (int w = 0; w < svc->nworkers; w++) {
            worker_t *wk = &svc->workers[w];
            /*  A dead broker of a pair costs only its own connections:
                each reconnects on its own, the others go on serving. */
            if (now - wk->last_recv > svc->heartbeat_ms * svc->liveness) {
                sm_debug("broker silent; reconnecting worker", "worker=%d broker=%d", w,
                         wk->broker);
                svc_worker_connect(svc, w);
            } else if (now - wk->last_send >= svc->heartbeat_ms)
                svc_worker_send_cmd(svc, w, MDPW_HEARTBEAT, NULL);
        }
        if (svc->nfollow) {
            if (now - svc->last_backfill_sweep >= svc->backfill_interval_ms) {
                svc->last_backfill_sweep = now;
                for (int i = 0; i < svc->nfollow; i++)
                    svc->follow[i].need_backfill = true;
            }
            for (int i = 0; i < svc->nfollow; i++) {
                follow_t *fl = &svc->follow[i];
                /*  Timed out, or its broker went (common/client.h): the
                    read goes again, through the next broker. */
                if (fl->inflight &&
                    (now - fl->sent_at > SM_BACKFILL_TIMEOUT_MS || sm_client_lost(fl->client))) {
                    fl->inflight = false;
                    fl->need_backfill = true;
                    svc_ep_forget(svc, svc_slot_follow(svc, i));
                    sm_client_reset(fl->client);
                    svc_ep_watch(svc, svc_slot_follow(svc, i), sm_client_socket(fl->client));
                }
            }
            svc_backfill_send(svc);
        }
        for (int t = 0; svc->def->timers && svc->def->timers[t].name; t++)
            if (now - svc->timer_last[t] >= svc->def->timers[t].interval_ms) {
                s_run_timer(svc, &svc->def->timers[t]);
                svc->timer_last[t] = svc_mono_ms();
            }
        if (now - svc->last_idem_purge >= 3600 * 1000) {
            svc->last_idem_purge = now;
            svc_idem_purge(svc);
            svc_audit_prune(svc);
        }
    }
    /*  Requests read after the last reply (carried) are answered before the
        loop ends: a client that was read is never left to its retry, and
        nothing they hold is left behind. */
    if (carried > 0)
        s_serve_batch(svc, carried);
    sm_log_hold(false);
}
