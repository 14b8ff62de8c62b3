/*  common/service_internal.h - what the files of the service loop share.

    Not for services: they see common/service.h only. The service loop is
    cut by concern:
      service.c          the handler's context: storage, IDs, events, calls
      service_loop.c     readiness, worker connections, decoding, batching
                         (group commit), replies, timers, the loop itself
      service_idem.c     idempotency: stored replies by request id
      service_follow.c   following other services' events, and backfill
      service_builtin.c  the ops every service answers (service.info, ...)
      service_setup.c    flags, settings, opening and closing, main
*/
#ifndef SAMEN_SERVICE_INTERNAL_H
#define SAMEN_SERVICE_INTERNAL_H

#include "common/roles.h"
#include "common/service.h"
#include "common/client.h"
#include "common/endpoints.h"
#include "common/evlog.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/opsweb.h"
#include "common/security.h"
#include "proto/mdp.h"
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
/*  A reused buffer (a slot's reply or event, a pending event) keeps its
    memory up to this size; a larger one is freed after use, so that one
    big reply does not stay allocated in every slot that ever served one. */
#define SM_KEEP_BUF_BYTES 16384
/*  At most this many IDs are named in one audit log entry. */
#define SM_AUDIT_MAX_IDS 200

/*  An op as the loop serves it: its declaration and its handler. */
typedef struct {
    sm_opdecl_t decl;
    sm_op_fn *fn;
} bound_op_t;

/*  The IDs a request concerns, for its audit log entry. */
typedef struct {
    char (*ids)[24];
    size_t n, cap;
    bool more; /*  more than SM_AUDIT_MAX_IDS were named */
} audit_ids_t;

typedef struct {
    void *sock;
    int broker;         /*  which of the service's brokers it serves (svc->brokers) */
    int64_t last_recv;  /*  monotonic ms of the last message from the broker */
    int64_t last_send;  /*  monotonic ms of the last message to the broker */
    bool heard;         /*  the broker has spoken on this connection since it was made */
} worker_t;

/*  A slot of the batch. Its buffers (reply, event, the document's zone)
    are kept from one request to the next and only reset: a request costs
    no allocation for them once the slot has served one like it. */
typedef struct {
    int worker;            /*  index of the worker connection it came on */
    zmq_msg_t address;     /*  the client's address frame, returned with the reply */
    zmq_msg_t body;        /*  the body frame as received: doc points into it */
    sm_doc_t *doc;         /*  reused: decoded again for each request */
    bool set_up;           /*  the slot's buffers and doc exist */
    const msgpack_object *args;
    const bound_op_t *op;  /*  NULL when the op is unknown */
    sm_args_t *checked;    /*  its checked arguments (declared ops) */
    audit_ids_t audit;     /*  the IDs it concerns */
    bool audit_after;      /*  to be recorded after the batch (refusals, personal reads) */
    char op_name[72];
    char rid[72];
    sm_buf_t reply;
    sm_buf_t event;        /*  lent to the handler's context for the event it builds */
    int64_t t0_us;
    bool failed;
    char outcome[40];
    /*  Who asked: the key name and roles the broker vouches for (the
        caller frame, PROTOCOL.md). */
    char caller_key[64];
    sm_roles_t caller_roles;
    /*  The language the reply's text is to be in ("lang" in the request;
        "" = the service's own, common/i18n.h). */
    char lang[8];
} request_t;

typedef struct {
    char service[32];
    uint64_t cursor;      /*  last seq applied (mirror of the cursors db) */
    uint64_t known;       /*  newest seq known to exist there (for the lag) */
    /*  The producer as this follower knows it (meta "follow:<service>";
        "" / 0 until its first events.read reply) and as it last said it
        is; halted: the reason its events are no longer applied
        (SM_FOLLOW_*, common/evlog.h), "" while following. */
    char known_instance[33];
    uint64_t known_epoch;
    char said_instance[33];
    uint64_t said_epoch, said_from, said_prev, said_last;
    char halted[32];
    /*  Set when a live event announced a seq past the cursor, or the last
        backfill did not reach the producer's last_seq: read more. */
    bool need_backfill;
    bool inflight;
    int64_t sent_at;
    /*  One MDP client per followed service, so that a service that is down
        (its events.read waits out the broker's expiry) never holds up the
        backfill of the others. */
    sm_client_t *client;
} follow_t;

typedef struct {
    sm_buf_t bytes;       /*  the encoded event (kept for the next one once published) */
    char topic[96];
} pending_event_t;

/*  Caller frames remembered, and the longest remembered (longer ones are
    decoded every time; the broker's are under 320 bytes). */
#define SVC_CALLERS 8
#define SVC_CALLER_BYTES 320

struct _sm_service_t {
    const sm_service_def_t *def;
    sm_config_t *cfg;
    sm_store_t *store;
    void *user;
    void *zctx;
    const char *broker_ep, *events_in, *events_out; /*  as written: one or a list */
    /*  The brokers (one, or a pair: PROTOCOL.md §9) and their event
        endpoints, in the same order. Worker connection w serves broker
        w % brokers.n; the PUB and the SUB socket are connected to all. */
    sm_endpoints_t brokers, ev_in, ev_out;
    sm_security_t sec;       /*  the keys every socket uses (security.h) */
    /*  service.claim is made with each broker of a pair on its own (each
        keeps its own claims): a client per broker, and when it was last
        sent there. */
    sm_client_t *claimer[SM_MAX_BROKERS];
    int64_t last_claim_ms[SM_MAX_BROKERS];
    /*  This process's random ID, sent with every claim: a copy of the
        store (same instance ID) started elsewhere is told from us by it. */
    char incarnation[33];
    int exit_status;         /*  what sm_service_main returns after the loop */
    const char *locale_flag; /*  --locale, or NULL (common/i18n.h) */
    int nworkers;            /*  worker connections in all: `workers` per broker */
    worker_t workers[SM_MAX_WORKERS];
    void *pub, *sub;
    sm_client_t *caller;     /*  sync client for sm_ctx_call */
    const char **dbs;        /*  the store's databases: the service's and the audit log's */
    bound_op_t *ops;         /*  built-in ops first, then the service's */
    int nops;
    char backup_dir[512];    /*  store.backup writes only here */
    bool backup_busy;
    int64_t audit_retention_ms;
    int nfollow;
    follow_t follow[SM_MAX_FOLLOWED];
    int64_t heartbeat_ms, liveness, max_message, idem_ttl_ms, backfill_interval_ms;
    int64_t link_ms; /*  broker/link_heartbeat_ms, for the clients (common/client.h) */
    int64_t last_backfill_sweep, last_idem_purge, last_audit_prune;
    int64_t *timer_last;
    uint64_t next_seq;       /*  seq the next event gets */
    /*  events emitted by the transaction in hand, published after commit */
    pending_event_t *pending;
    size_t npending, cap_pending;
    size_t nbuf_pending;      /*  slots of pending whose bytes are set up */
    sm_buf_t scratch;         /*  the audit entry being encoded */
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
    /*  Group commit (service_loop.c, s_gather_writes): writes the last
        write batch answered, when (monotonic us), how long its commit took. */
    int gc_answered;
    int64_t gc_answered_us, gc_commit_us;
    /*  What SIGHUP re-reads: the file's path (NULL: none) and the flags'
        overrides; and --init for the store. */
    const char *cfg_path;
    sm_config_t *cfg_over;
    bool init;
    /*  Operations (service_ops.c): the counters /metrics shows, the HTTP
        endpoint (NULL when http_port is 0), readiness as last told to it
        and to systemd, and systemd's watchdog. */
    sm_metrics_t *metrics;
    sm_opsweb_t *web;
    int64_t stall_ms;
    int readiness;           /*  -1 not yet known, 0 not ready, 1 ready */
    bool notified_ready;     /*  READY=1 was sent (once) */
    int64_t watchdog_ms;     /*  0: no watchdog; else ping every watchdog_ms */
    int64_t last_watchdog, last_ops, last_status;
    /*  Why /readyz says not ready (two buffers, written in turn, since the
        HTTP thread may be reading the other). */
    char ready_why[2][200];
    int ready_why_i;
    /*  Caller frames seen lately and what they say (service_loop.c,
        s_caller_parse): every request of one key carries the same bytes,
        so a frame is decoded once, not once per request. Replaced in turn. */
    struct {
        size_t len; /*  0: empty */
        unsigned char bytes[SVC_CALLER_BYTES];
        char key[64];
        sm_roles_t roles;
    } callers[SVC_CALLERS];
    int callers_next;
};

struct _sm_ctx_t {
    sm_service_t *svc;
    const char *caller_key; /*  "" in event handlers and timers */
    sm_roles_t caller_roles;
    const bound_op_t *op;   /*  the op being served; NULL in event handlers and timers */
    const sm_args_t *args;  /*  its checked arguments */
    audit_ids_t *audit;     /*  where the IDs it concerns are collected; may be NULL */
    MDB_txn *txn;
    bool write;
    msgpack_packer *reply;
    const char *rid;
    int64_t now_ms;
    sm_err_t err;
    bool map_full;
    sm_buf_t event_data;  /*  data of the event being built */
    sm_buf_t details;     /*  the refusal's details (sm_ctx_fail_details); may be empty */
    char event_topic[96];
    bool event_open;
};

/*  SIGTERM/SIGINT set this; the loop notices when zmq_poll returns. A
    signal handler can only touch a volatile sig_atomic_t, hence this one
    piece of static mutable state. */

/*  SIGTERM/SIGINT set this (service_setup.c); the loop notices when its
    wait returns. A signal handler can only touch a volatile sig_atomic_t,
    hence this one piece of mutable global state. */
extern volatile sig_atomic_t svc_interrupted;
/*  SIGHUP sets this; the loop then calls svc_reload (service_setup.c). */
extern volatile sig_atomic_t svc_hangup;

static inline int64_t svc_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline int64_t svc_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static inline int64_t svc_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- service.c: contexts and transactions ------------------------------ */

/*  Set up ctx for a handler, event handler or timer in txn. Can't fail. */
void svc_ctx_init(sm_ctx_t *ctx, sm_service_t *svc, MDB_txn *txn, bool write);
/*  Note an LMDB failure in ctx (MDB_MAP_FULL marks the batch for a redo).
    Returns -1. */
int svc_lmdb_fail(sm_ctx_t *ctx, int rc, const char *what);
/*  Drop the pending events after the first keep (their transaction was
    undone). Can't fail. */
void svc_pending_drop(sm_service_t *svc, size_t keep);
/*  Free the pending events' buffers (at shutdown). Can't fail. */
void svc_pending_free(sm_service_t *svc);
/*  Reset b for its next use: emptied, or freed when it grew beyond
    SM_KEEP_BUF_BYTES. Can't fail. */
void svc_buf_recycle(sm_buf_t *b);
/*  After a commit: the events are durable; publish them (best effort). */
void svc_publish_pending(sm_service_t *svc);

/* ---- service_loop.c ---------------------------------------------------- */

int svc_slot_sub(sm_service_t *svc);
int svc_slot_follow(sm_service_t *svc, int i);
/*  Watch sock in slot (replacing whatever the slot watched) and mark it
    ready so that anything already queued is read. */
void svc_ep_watch(sm_service_t *svc, int slot, void *sock);
/*  Forget slot's socket before it is closed. */
void svc_ep_forget(sm_service_t *svc, int slot);
/*  True when sock has a message to read now. */
bool svc_readable(void *sock);
/*  Send an MDP worker command on worker connection w. */
void svc_worker_send_cmd(sm_service_t *svc, int w, unsigned char cmd, const char *arg);
/*  (Re)connect worker connection w and send READY. Returns 0 or -1. */
int svc_worker_connect(sm_service_t *svc, int w);
/*  Claim the service's name for this store's instance with broker b's
    service.claim (PROTOCOL.md §8; each broker of a pair, §9, on its own),
    waiting at most timeout_ms. Returns 0
    when claimed or when the broker did not answer (then READY is answered
    DISCONNECT and the claim is sent again), -1 with e when the broker
    refused: another instance serves the name (failed_precondition) or this
    key may not serve it (permission_denied). */
int svc_claim(sm_service_t *svc, int b, int timeout_ms, sm_err_t *e);
/*  Encode an error reply / the start of a success reply into b. */
void svc_pack_error(sm_buf_t *b, const sm_err_t *e);
/*  The same with details (one packed object, or an empty buffer for none)
    as the error's "details". */
void svc_pack_error_details(sm_buf_t *b, const sm_err_t *e, const sm_buf_t *details);
void svc_reply_prefix(sm_buf_t *b);
/*  Serve until SIGTERM/SIGINT. */
void svc_loop(sm_service_t *svc);
/*  Free the batch's slots and their buffers (at shutdown). */
void svc_batch_free(sm_service_t *svc);

/* ---- service_setup.c --------------------------------------------------- */

/*  After SIGHUP: re-open the log file, re-read the configuration and apply
    what can change without a restart (log level, the def's reload hook).
    A bad file is logged and the running settings stay. Never fails. */
void svc_reload(sm_service_t *svc);

/* ---- service_ops.c ----------------------------------------------------- */

/*  After the store is open and the ops bound: the counters, and the HTTP
    endpoint on http_port (unless 0). Returns 0 or -1 with e. */
int svc_ops_setup(sm_service_t *svc, sm_err_t *e);
/*  Every pass of the loop: stamp the turn for /healthz, ping systemd's
    watchdog, work out readiness (a worker connection the broker spoke on
    lately) and tell /readyz and systemd (READY=1, STATUS=) when it
    changes; refresh the store and follow figures. Can't fail. */
void svc_ops_turn(sm_service_t *svc, int64_t now_ms);
/*  Tell systemd we are stopping, stop the endpoint, free the counters. */
void svc_ops_teardown(sm_service_t *svc);

/* ---- service_idem.c ---------------------------------------------------- */

/*  Look r's rid up: *hit with r->reply filled when stored; conflict when
    the rid was used for another op. Returns 1 hit, 0 miss, -1 (ctx error). */
int svc_idem_lookup(sm_ctx_t *ctx, request_t *r, bool *hit);
/*  Store r's reply under its rid. Returns 0 or -1 (ctx error). */
int svc_idem_store(sm_ctx_t *ctx, request_t *r);
/*  Drop stored replies older than the TTL, oldest first, in transactions
    of their own (reads only the expired ones). */
void svc_idem_purge(sm_service_t *svc);
/*  The stored replies' index databases, added to every store. */
extern const char *const svc_idem_dbs[];
/*  Forget the stored replies that name id (sm_ctx_forget_replies). */
int svc_idem_forget(sm_ctx_t *ctx, const char *id);
/*  At start: index the stored replies again when the indexes do not
    account for every one of them (a store of an older schema, or one an
    older binary wrote to). Returns 0 or -1 with err. */
int svc_idem_index_check(sm_service_t *svc, sm_err_t *err);

/* ---- service_follow.c -------------------------------------------------- */

follow_t *svc_follow_find(sm_service_t *svc, const char *service, size_t len);
/*  Apply a burst of live events; true when more may be waiting. */
bool svc_on_live_events(sm_service_t *svc);
/*  Ask for the events after each cursor that needs it. */
void svc_backfill_send(sm_service_t *svc);
/*  Apply the answer to a backfill request. */
void svc_backfill_recv(sm_service_t *svc, follow_t *fl);

/* ---- service_builtin.c ------------------------------------------------- */

/*  Bind the built-in ops and the service's declared ops to their handlers
    into svc->ops. A declared op without a handler, or a handler without a
    declaration, is a programming error: returns -1 with err saying which. */
int svc_bind_ops(sm_service_t *svc, sm_err_t *err);
/*  The op called name: a built-in one or the service's own; NULL if none. */
const bound_op_t *svc_find_op(sm_service_t *svc, const char *name);

/* ---- service_audit.c ---------------------------------------------------- */

/*  The audit log's databases, added to every store. */
extern const char *const svc_audit_dbs[];
/*  Add id to ids (kept once; capped at SM_AUDIT_MAX_IDS). Can't fail. */
void svc_audit_add(audit_ids_t *ids, const char *id);
void svc_audit_free(audit_ids_t *ids);
/*  Append the entry for request r (its caller, op, IDs, outcome) in txn.
    Returns 0 or an LMDB error code. */
int svc_audit_append(sm_service_t *svc, MDB_txn *txn, const request_t *r, int64_t now_ms);
/*  Drop entries older than the retention period, in a transaction of its own. */
void svc_audit_prune(sm_service_t *svc);
/*  The audit.list handler. */
int svc_op_audit_list(sm_ctx_t *ctx, const msgpack_object *args);

/*  follow.resync {producer}: accept a halted producer's new identity and
    go on following (service_follow.c; what it does: PROTOCOL.md §3). */
int svc_op_follow_resync(sm_ctx_t *ctx, const msgpack_object *args);

/*  Load what this follower knows of fl's producer from meta in txn. */
void svc_follow_load(sm_service_t *svc, MDB_txn *txn, follow_t *fl);

#endif
