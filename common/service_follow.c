/*  common/service_follow.c - following other services' events; each event
    applied once, its cursor in the same transaction as its effect.

    An event is applied only as read through events.read from the service
    that produced it: an MDP request the broker hands only to a worker
    whose key holds that service's role (PROTOCOL.md §8). A live event on
    the SUB socket is only a signal that there is more to read; it moves
    nothing by itself, so an event forged on the events-in socket (which
    the broker refuses anyway) could at most cause one extra read. The
    reads happen at start, when a live event announces a seq past the
    cursor, and every backfill_interval_ms. */
#include "common/service_internal.h"

/* ==== Following other services' events ================================== */

follow_t *svc_follow_find(sm_service_t *svc, const char *service, size_t len)
{
    for (int i = 0; i < svc->nfollow; i++)
        if (strlen(svc->follow[i].service) == len &&
            memcmp(svc->follow[i].service, service, len) == 0)
            return &svc->follow[i];
    return NULL;
}

/*  The meta key of what we know of fl's producer, into key. */
static void s_known_key(const follow_t *fl, char *key, size_t size)
{
    snprintf(key, size, "follow:%s", fl->service);
}

void svc_follow_load(sm_service_t *svc, MDB_txn *txn, follow_t *fl)
{
    char key[48];
    s_known_key(fl, key, sizeof key);
    MDB_val k = {strlen(key), key}, v;
    if (mdb_get(txn, sm_store_dbi(svc->store, "meta"), &k, &v) == 0 && v.mv_size == 8 + 32) {
        fl->known_epoch = sm_key_u64_decode(v.mv_data);
        memcpy(fl->known_instance, (const char *)v.mv_data + 8, 32);
        fl->known_instance[32] = '\0';
    }
}

/*  Write what we know of fl's producer (instance, epoch) in txn.
    Returns the LMDB rc. */
static int s_known_put(sm_service_t *svc, MDB_txn *txn, follow_t *fl, const char *instance,
                       uint64_t epoch)
{
    char key[48];
    uint8_t val[8 + 32];
    if (strlen(instance) != 32)
        return 0; /*  nothing worth keeping */
    s_known_key(fl, key, sizeof key);
    sm_key_u64(epoch, val);
    memcpy(val + 8, instance, 32);
    MDB_val k = {strlen(key), key}, v = {sizeof val, val};
    return mdb_put(txn, sm_store_dbi(svc->store, "meta"), &k, &v, 0);
}

/*  Take the producer's identity as first heard (a new follower, or one
    from before epochs). Can't fail: when it cannot be written it is kept
    in memory and written at the next chance. */
static void s_adopt(sm_service_t *svc, follow_t *fl, const char *instance, uint64_t epoch)
{
    MDB_txn *txn;
    if (sm_store_begin(svc->store, true, &txn, NULL) == 0) {
        if (s_known_put(svc, txn, fl, instance, epoch) == 0)
            mdb_txn_commit(txn);
        else
            mdb_txn_abort(txn);
    }
    if (fl->known_instance[0])
        sm_info("producer restored from a copy that holds all this follower applied; following "
                "on",
                "producer=%s epoch=%llu producer_epoch=%llu cursor=%llu", fl->service,
                (unsigned long long)fl->known_epoch, (unsigned long long)epoch,
                (unsigned long long)fl->cursor);
    snprintf(fl->known_instance, sizeof fl->known_instance, "%s", instance);
    fl->known_epoch = epoch;
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
        svc_ctx_init(&ctx, svc, child, true);
        if (f->fn(&ctx, type, seq, data) != 0 || ctx.map_full) {
            mdb_txn_abort(child);
            svc_pending_drop(svc, mark);
            if (ctx.map_full) {
                *map_full = true;
                sm_buf_free(&ctx.event_data);
                return MDB_MAP_FULL;
            }
            char q[300];
            sm_warn("event not applied", "service=%s seq=%llu type=%s err=%s", fl->service,
                    (unsigned long long)seq, type, sm_log_quote(ctx.err.message, q, sizeof q));
        } else if ((rc = mdb_txn_commit(child)) != 0) {
            svc_pending_drop(svc, mark);
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
        svc_ctx_init(&ctx, svc, txn, true);
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
            if (sm_get_uint(list[i], "seq", true, UINT64_MAX, &seq, NULL) <= 0)
                continue;
            if (seq > fl->known)
                fl->known = seq; /*  for the lag in /metrics */
            if (seq <= cursor)
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
            svc_pending_drop(svc, 0);
            if (sm_store_grow(svc->store, NULL) != 0)
                return 0;
            continue;
        }
        int rc = mdb_txn_commit(txn);
        if (rc == MDB_MAP_FULL) {
            svc_pending_drop(svc, 0);
            sm_store_grow(svc->store, NULL);
            continue;
        }
        if (rc) {
            svc_pending_drop(svc, 0);
            sm_error("event commit failed", "service=%s err=%s", fl->service, mdb_strerror(rc));
            return 0;
        }
        fl->cursor = cursor;
        svc->events_applied += (uint64_t)applied;
        svc_publish_pending(svc);
        return applied;
    }
    return 0;
}

#define SM_LIVE_BATCH 1000

/*  Drain up to SM_LIVE_BATCH live events. Each one past its producer's
    cursor asks for a backfill (many collapse into one read); duplicates
    and events of services we do not follow are dropped. Bounded, so
    heartbeats go on during a flood. Returns true when more may wait. */
bool svc_on_live_events(sm_service_t *svc)
{
    int n = 0;
    while (n < SM_LIVE_BATCH && !svc_interrupted) {
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
        n++;
        const char *t = zmq_msg_data(&topic);
        const char *dot = ok ? memchr(t, '.', zmq_msg_size(&topic)) : NULL;
        follow_t *fl = dot ? svc_follow_find(svc, t, (size_t)(dot - t)) : NULL;
        if (fl && !fl->need_backfill) {
            sm_doc_t *doc = sm_doc_parse(zmq_msg_data(&body), zmq_msg_size(&body), NULL);
            uint64_t seq = 0;
            if (doc && sm_get_uint(sm_doc_root(doc), "seq", true, UINT64_MAX, &seq, NULL) > 0 &&
                seq > fl->cursor)
                fl->need_backfill = true;
            sm_doc_destroy(&doc);
        }
        zmq_msg_close(&topic);
        zmq_msg_close(&body);
    }
    return n == SM_LIVE_BATCH; /*  more may be waiting */
}

void svc_backfill_send(sm_service_t *svc)
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
            svc->ready[svc_slot_follow(svc, i)] = true;
            fl->inflight = true;
            fl->need_backfill = false;
            fl->sent_at = svc_mono_ms();
        }
        sm_buf_free(&args);
        sm_buf_free(&body);
    }
}

void svc_backfill_recv(sm_service_t *svc, follow_t *fl)
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
        /*  unavailable: that service is not up yet, or not yet registered
            with this broker of a pair (then the next read goes through the
            other); the sweep retries. */
        sm_debug("backfill refused", "service=%s code=%s", fl->service, e.code);
        if (strcmp(e.code, SM_E_UNAVAILABLE) == 0 && sm_client_brokers(fl->client) > 1) {
            int slot = svc_slot_follow(svc, (int)(fl - svc->follow));
            svc_ep_forget(svc, slot);
            sm_client_reset(fl->client);
            svc_ep_watch(svc, slot, sm_client_socket(fl->client));
        }
        sm_doc_destroy(&doc);
        return;
    }
    const msgpack_object *events = sm_map_get(data, "events");
    uint64_t last = 0;
    sm_get_uint(data, "last_seq", false, UINT64_MAX, &last, NULL);
    fl->known = last; /*  the producer's own word (also after a restore) */
    fl->said_instance[0] = '\0';
    if (sm_get_str(data, "instance", false, fl->said_instance, sizeof fl->said_instance, true,
                   NULL) < 0)
        fl->said_instance[0] = '\0';
    fl->said_epoch = fl->said_from = fl->said_prev = 0;
    sm_get_uint(data, "epoch", false, UINT64_MAX, &fl->said_epoch, NULL);
    sm_get_uint(data, "epoch_from", false, UINT64_MAX, &fl->said_from, NULL);
    sm_get_uint(data, "epoch_prev", false, UINT64_MAX, &fl->said_prev, NULL);
    fl->said_last = last;
    if (!fl->halted[0]) {
        sm_evlog_epoch_t said = {fl->said_instance, fl->said_epoch, fl->said_from,
                                 fl->said_prev};
        const char *why =
            sm_evlog_follow_check(fl->known_instance, fl->known_epoch, fl->cursor, &said, last);
        if (why && strcmp(why, SM_FOLLOW_ADOPT) == 0) {
            s_adopt(svc, fl, fl->said_instance, fl->said_epoch);
        } else if (why) {
            snprintf(fl->halted, sizeof fl->halted, "%s", why);
            sm_warn("following halted: the producer went back in time; its events are no "
                    "longer applied until samenctl follow resync",
                    "producer=%s reason=%s cursor=%llu producer_last_seq=%llu epoch=%llu "
                    "producer_epoch=%llu",
                    fl->service, why, (unsigned long long)fl->cursor, (unsigned long long)last,
                    (unsigned long long)fl->known_epoch, (unsigned long long)fl->said_epoch);
        }
    }
    if (fl->halted[0]) {
        sm_doc_destroy(&doc);
        return;
    }
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
    /*  Not cleared here: a live event that came while this read was on its
        way may have asked for more. */
    if (fl->cursor < last)
        fl->need_backfill = true;
    sm_doc_destroy(&doc);
}


int svc_op_follow_resync(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_service_t *svc = ctx->svc;
    const char *producer = sm_arg_str(ctx, "producer");
    follow_t *fl = svc_follow_find(svc, producer, strlen(producer));
    if (!fl)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "producer",
                           _("field \"producer\": samen-%s does not follow %s; give a service it "
                             "follows (service.info lists them under \"following\")"),
                           svc->def->name, producer);
    if (!fl->halted[0])
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "producer",
                           _("samen-%s is following %s; there is nothing to resync"),
                           svc->def->name, producer);
    /*  Where the two histories part: after the seq the restored copy
        ended with (new epoch), or, when the producer's log merely ends
        before the cursor, after its last seq (the histories may part
        earlier; nothing here can tell). */
    uint64_t old = fl->cursor, last = fl->said_last;
    uint64_t split = last;
    if (strcmp(fl->halted, SM_FOLLOW_NEW_EPOCH) == 0 && fl->said_from < split)
        split = fl->said_from;
    if (strcmp(fl->halted, SM_FOLLOW_OTHER_STORE) == 0)
        split = 0;
    if (split > old)
        split = old;
    uint64_t cursor = old < last ? old : last;
    uint8_t cur[8];
    sm_key_u64(cursor, cur);
    MDB_val k = {strlen(fl->service), fl->service}, v = {8, cur};
    int rc = mdb_put(ctx->txn, sm_store_dbi(svc->store, "cursors"), &k, &v, 0);
    if (!rc)
        rc = s_known_put(svc, ctx->txn, fl, fl->said_instance, fl->said_epoch);
    if (rc == MDB_MAP_FULL) {
        ctx->map_full = true; /*  the loop grows the map and runs it again */
        return -1;
    }
    if (rc)
        return sm_store_fail(svc->store, rc, "cursor", &ctx->err);
    msgpack_packer *pk = ctx->reply;
    msgpack_pack_map(pk, 8);
    sm_pack_kv_str(pk, "producer", fl->service);
    sm_pack_kv_str(pk, "was", fl->halted);
    sm_pack_kv_uint(pk, "epoch", fl->said_epoch);
    sm_pack_kv_uint(pk, "producer_last_seq", last);
    sm_pack_kv_uint(pk, "cursor_was", old);
    sm_pack_kv_uint(pk, "cursor", cursor);
    /*  Not re-derived: what this follower holds from the producer's old
        events split+1..old (the producer no longer has them), and the
        producer's new events split+1..cursor, which are not applied. */
    sm_pack_str(pk, "not_rederived");
    if (split < old) {
        msgpack_pack_map(pk, 2);
        sm_pack_kv_uint(pk, "from", split + 1);
        sm_pack_kv_uint(pk, "to", old);
    } else {
        msgpack_pack_nil(pk);
    }
    sm_pack_kv_str(pk, "instance", fl->said_instance);
    sm_info("following resumed", "producer=%s was=%s cursor_was=%llu cursor=%llu", fl->service,
            fl->halted, (unsigned long long)old, (unsigned long long)cursor);
    /*  In memory too (the reply commits with the transaction). */
    fl->cursor = cursor;
    snprintf(fl->known_instance, sizeof fl->known_instance, "%s", fl->said_instance);
    fl->known_epoch = fl->said_epoch;
    fl->halted[0] = '\0';
    fl->need_backfill = true;
    return 0;
}
