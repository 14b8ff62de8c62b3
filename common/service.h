/*  common/service.h - the service main loop: a service is mostly its handlers.

    A samen service is a table of ops, the events it follows, its timers and
    its databases. sm_service_main() does the rest:

    - reads samen.cfg (section named after the service) and the flags
      --config --data-dir --endpoint --events-in --events-out --workers
      --log-level --help --version;
    - opens the service's LMDB store (common/store.h) and its event log;
    - registers `workers` MDP worker connections (default 32) with the broker
      and serves them all from one poll loop, heartbeating both ways and
      re-registering after a broker restart or a DISCONNECT;
    - refuses to start (exit 2) on an unknown setting or a bad value
      (common/config_table.h) or a SAMEN_TODAY that is not a date; on
      SIGHUP re-opens log_file and re-reads log_level (and calls reload);
    - group commit: the write requests that arrived together (at most one per
      worker connection) are applied in ONE LMDB write transaction, each in a
      nested transaction of its own so that a refused request leaves no trace;
      all replies are sent after the commit returns. A reply means durable;
    - idempotency: a request with "rid" is applied at most once; a retry gets
      the stored reply (refused with `conflict` if the rid was used for
      another op). Stored replies expire after idem_ttl_s (default 24 h);
    - answers the built-in ops `service.info`, `events.read` and
      `store.backup` for every service;
    - follows other services' events: subscribes to their topics, applies
      each event exactly once with the cursor stored in the same transaction
      as the effect, backfills through `events.read` at start, on a gap, and
      every backfill_interval_ms;
    - runs timers (each in its own write transaction), and stops cleanly on
      SIGTERM/SIGINT after finishing the batch in hand.

    Handlers see a context (sm_ctx_t): the transaction, a packer for the
    reply's data, event emission, and errors. A handler returns 0 after
    packing exactly one object as the reply data (nothing packed means nil),
    or -1 after sm_ctx_fail(); its writes are then undone.
*/
#ifndef SAMEN_SERVICE_H
#define SAMEN_SERVICE_H

#include "codec.h"
#include "op.h"
#include "config.h"
#include "err.h"
#include "roles.h"
#include "security.h"
#include "store.h"
#include <lmdb.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct _sm_service_t sm_service_t;
typedef struct _sm_ctx_t sm_ctx_t;

/*  An op handler. args is the request's "args" map as sent (an empty map
    when the request had none); a declared op's arguments are already
    checked, and the handler reads them with sm_arg_* below. */
typedef int(sm_op_fn)(sm_ctx_t *ctx, const msgpack_object *args);

/*  A service binds its declared ops (proto/ops_<service>.c) to handlers by
    name. Every declared op needs a handler and every handler a declaration:
    sm_service_main checks it at start (a mismatch is a programming error). */
typedef struct {
    const char *name; /*  "participant.register" */
    sm_op_fn *fn;
} sm_handler_t;

/*  An event handler: runs inside a write transaction; the follow cursor is
    advanced in the same transaction. data is the event's "data" map.
    Return 0, or -1 to log the event as not applied (the cursor still moves
    on: a poison event must not stop the service). */
typedef int(sm_event_fn)(sm_ctx_t *ctx, const char *type, uint64_t seq,
                         const msgpack_object *data);

typedef struct {
    const char *service; /*  the service whose events are followed */
    const char *prefix;  /*  topic prefix handled, e.g. "intake.participant." */
    sm_event_fn *fn;
} sm_follow_t;

/*  A timer: runs in a write transaction every interval_ms and once at start. */
typedef int(sm_timer_fn)(sm_ctx_t *ctx);

typedef struct {
    const char *name;
    int64_t interval_ms;
    sm_timer_fn *fn;
} sm_timer_t;

typedef struct {
    const char *name;           /*  service name, also the config section */
    const char *version;        /*  "0.1.0" */
    int schema_version;
    const char *const *dbs;     /*  the service's own databases, NULL-terminated */
    const sm_opdecl_t *decls;   /*  its ops' declarations (proto/ops.h), terminated by name NULL */
    const sm_handler_t *handlers; /*  a handler for each, terminated by name NULL */
    const sm_follow_t *follows; /*  terminated by service NULL; may be NULL */
    const sm_timer_t *timers;   /*  terminated by name NULL; may be NULL */
    sm_migrate_fn *migrate;     /*  may be NULL */
    /*  Called once after the store is open, before serving: read the
        service's own settings (sm_service_config) and set user state.
        Returns 0 or -1 with err (the service exits with status 2). */
    int (*init)(sm_service_t *svc, sm_err_t *err);
    /*  Called at exit to free user state. May be NULL. */
    void (*fini)(sm_service_t *svc);
    /*  Pack a map of counts for service.info (in a read transaction). May be NULL. */
    void (*counts)(sm_ctx_t *ctx, msgpack_packer *pk);
    /*  On SIGHUP, after the log level was re-read: apply what else of the
        service's own settings may change without a restart, from fresh
        (the re-read configuration, checked; gone after the call).
        Returns 0, or -1 with err (logged; the service goes on). May be NULL. */
    int (*reload)(sm_service_t *svc, sm_config_t *fresh, sm_err_t *err);
} sm_service_def_t;

/*  Run the service until SIGTERM/SIGINT. Returns the process exit status:
    0 after a clean stop, 2 on a usage or configuration error, 1 on a
    failure to start (store cannot be opened, ...). */
int sm_service_main(const sm_service_def_t *def, int argc, char **argv);

/* ---- service-wide --------------------------------------------------- */

sm_config_t *sm_service_config(sm_service_t *svc);
sm_store_t *sm_service_store(sm_service_t *svc);
/*  The CurveZMQ keys of this service (every connection to the broker
    uses them): hand them to sm_client_new for a client of one's own. */
const sm_security_t *sm_service_security(sm_service_t *svc);
void sm_service_set_user(sm_service_t *svc, void *user);
void *sm_service_user(sm_service_t *svc);

/* ---- the handler's context ------------------------------------------ */

sm_service_t *sm_ctx_service(sm_ctx_t *ctx);
void *sm_ctx_user(sm_ctx_t *ctx);
/*  The transaction (read-only for SM_OP_READ ops). */
MDB_txn *sm_ctx_txn(sm_ctx_t *ctx);
/*  A database handle by name (panics on an unknown name: a programming error). */
MDB_dbi sm_ctx_dbi(sm_ctx_t *ctx, const char *name);
/*  The packer for the reply's data (pack exactly one object). NULL in
    event handlers and timers. */
msgpack_packer *sm_ctx_reply(sm_ctx_t *ctx);
/*  Who asked: the caller's key name ("" in event handlers and timers) and
    roles, as the broker vouches for them (PROTOCOL.md, the caller frame). */
const char *sm_ctx_caller(sm_ctx_t *ctx);
sm_roles_t sm_ctx_caller_roles(sm_ctx_t *ctx);
/*  The request id ("" when none), and the time the batch started (unix ms). */
const char *sm_ctx_rid(sm_ctx_t *ctx);
int64_t sm_ctx_now_ms(sm_ctx_t *ctx);

/*  The request's checked arguments (common/op.h): reading an argument the
    op does not declare, or with the wrong reader, panics. */
bool sm_arg_has(sm_ctx_t *ctx, const char *name);
const char *sm_arg_str(sm_ctx_t *ctx, const char *name);
int64_t sm_arg_int(sm_ctx_t *ctx, const char *name, int64_t dflt);
bool sm_arg_bool(sm_ctx_t *ctx, const char *name, bool dflt);
uint64_t sm_arg_id(sm_ctx_t *ctx, const char *name);
bool sm_arg_date(sm_ctx_t *ctx, const char *name, sm_date_t *out);
size_t sm_arg_list(sm_ctx_t *ctx, const char *name, const char *const **items);
size_t sm_arg_ids(sm_ctx_t *ctx, const char *name, const uint64_t **ids);
size_t sm_arg_ints(sm_ctx_t *ctx, const char *name, const int64_t **ints);
const msgpack_object *sm_arg_obj(sm_ctx_t *ctx, const char *name);

/*  True when the caller may see personal fields in this op's reply: the
    op is declared SM_OP_PERSONAL and the caller holds one of its personal
    roles. A handler of such an op leaves personal fields out otherwise. */
bool sm_ctx_sees_personal(sm_ctx_t *ctx);

/*  Name an ID this request concerns in its audit log entry ("P12"). The
    IDs among the checked arguments and the IDs the request allocates are
    named by themselves; a find or list op that returns personal fields
    names each record it returns. Can't fail (beyond a cap of
    SM_AUDIT_MAX_IDS IDs per entry, after which it notes "+more"). */
void sm_ctx_audit_id(sm_ctx_t *ctx, const char *id);

/*  Pack the audit log entries about id (newest last, at most limit) as an
    array of {ts, key, op, outcome}: who accessed a person's data, for a
    right-of-access export (GDPR art. 15). Can't fail. */
void sm_ctx_audit_pack_for(sm_ctx_t *ctx, msgpack_packer *pk, const char *id, int limit);

/*  Refuse the request: code, field (may be NULL) and a sentence. Returns -1. */
int sm_ctx_fail(sm_ctx_t *ctx, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*  An error struct to hand to validators; after they return -1, return -1
    from the handler and the error is sent as is. */
sm_err_t *sm_ctx_err(sm_ctx_t *ctx);
/*  When refusing a request: a packer for details a person can act on,
    sent as the error's "details" (PROTOCOL.md, Reply body). Pack exactly
    one object, fail the context and return -1; details of a request that
    succeeds are dropped. A refusal may be stored for a retried request id:
    no personal data in details. NULL in event handlers and timers. */
msgpack_packer *sm_ctx_fail_details(sm_ctx_t *ctx);

/*  Storage inside the context's transaction. These return 0 on success,
    and -1 with the context's error set otherwise (MDB_MAP_FULL is noted so
    that the whole batch is redone after the map grows). get returns 1
    found, 0 not found (val untouched), -1 error. */
int sm_ctx_put(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen, const void *val,
               size_t vlen);
int sm_ctx_get(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen, MDB_val *val);
int sm_ctx_del(sm_ctx_t *ctx, MDB_dbi dbi, const void *key, size_t klen);
/*  Convenience with an 8-byte big-endian key. */
int sm_ctx_put_u64(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, const sm_buf_t *val);
int sm_ctx_get_u64(sm_ctx_t *ctx, MDB_dbi dbi, uint64_t key, MDB_val *val);

/*  Allocate the next number for an ID type letter ('P' -> 1, 2, ...).
    Returns the number, or 0 with the context's error set. */
uint64_t sm_ctx_next_id(sm_ctx_t *ctx, char letter);

/*  Emit an event: begin returns a packer for the event's data (pack exactly
    one map, with no personal data), end stores it in the log within this
    transaction. It is published after commit, and dropped if the request
    fails. Returns 0 or -1 (context error set). */
msgpack_packer *sm_ctx_event_begin(sm_ctx_t *ctx, const char *topic);
int sm_ctx_event_end(sm_ctx_t *ctx);

/*  Ask another service, synchronously, through the broker (blocks this
    service's loop for at most timeout_ms x 2 tries). args: an encoded map
    or NULL. Returns the reply document (caller destroys), or NULL with err. */
sm_doc_t *sm_ctx_call(sm_ctx_t *ctx, const char *service, const char *op, const void *args,
                      size_t args_size, int timeout_ms, sm_err_t *err);

/*  Forget the stored replies (kept for retried request ids) that mention
    id ("P12"): that hold it as a string of its own, anywhere in the reply.
    So data about a person who was erased does not outlive the erasure in
    the idempotency table. A later retry of such a request runs again
    instead of being replayed. The framework calls this by itself when a
    service applies intake.participant.erased; intake calls it when it
    erases. Replies are indexed by the IDs they name when stored, so this
    reads only the replies about id, however many others there are. id is
    an ID as sm_id_format writes it (another text matches nothing).
    Returns the number forgotten, or -1 (context error set). */
int sm_ctx_forget_replies(sm_ctx_t *ctx, const char *id);

/*  Parse an ID like "P12" for letter 'P'. Returns the number, or 0 with err
    naming field ("field \"participant\" must be an ID like P12"). */
uint64_t sm_id_parse(const char *text, char letter, const char *field, sm_err_t *err);
/*  Read an ID field from args (required or optional): 1 present, 0 absent, -1 invalid. */
int sm_get_id(const msgpack_object *args, const char *key, char letter, bool required,
              uint64_t *out, sm_err_t *err);
/*  Format "P12" into buf (at least 24 bytes). Returns buf. */
char *sm_id_format(char letter, uint64_t n, char *buf);

#endif
