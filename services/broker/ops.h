/*  services/broker/ops.h - the services the broker answers itself.

    Two kinds of request never reach a worker:

    - MMI (ZeroMQ RFC 8): "mmi.service" with a service name as body is
      answered "200" when a worker is registered for that service and "404"
      when not; any other "mmi.*" service is answered "501".
    - "broker": a MessagePack map {"op": OP, "args": {...}} with OP one of
        status         the broker's counters (sm_broker_pack_status);
        service.claim  {service, instance, incarnation}: a service's daemon claims its
                       name for its store's instance before its workers
                       register (PROTOCOL.md §8); needs role service:NAME;
        audit.list     {who, op, id, since, until, after, limit}: the key
                       changes recorded in the key directory's audit.log,
                       as entries of the services' audit log; needs role
                       admin or auditor.
      The ops are declared in proto/ops_broker.c like every service's: the
      arguments are checked against that declaration, and the roles
      (broker.c checks them against the caller's key).

    Everything here is a plain function over plain structs: no sockets, no
    clock, so that the rules are tested without a running broker. The
    broker (broker.c) gathers an sm_broker_stats_t and sends what these
    functions pack.
*/
#ifndef SAMEN_BROKER_OPS_H
#define SAMEN_BROKER_OPS_H

#include "common/codec.h"
#include "common/err.h"
#include "common/keystore.h"
#include "proto/ops.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SM_BROKER_VERSION "0.1.0"

/*  Longest service name, in bytes (a ZeroMQ frame we copy into a node key). */
#define SM_BROKER_SERVICE_MAX 255

/*  What the broker knows about one service, for the status op. */
typedef struct {
    const char *name;
    size_t name_len;
    uint64_t workers; /*  registered workers, idle or busy */
    uint64_t idle;    /*  workers waiting for a request */
    uint64_t queued;  /*  requests waiting for a worker */
} sm_broker_service_stat_t;

/*  Everything the status op reports. */
typedef struct {
    int64_t uptime_s;
    const sm_broker_service_stat_t *services; /*  sorted by name */
    size_t service_count;
    uint64_t requests_routed;     /*  requests handed to a worker */
    uint64_t replies_routed;      /*  PARTIAL and FINAL replies handed to a client */
    uint64_t requests_expired;    /*  queued requests answered "unavailable" by the broker */
    uint64_t requests_refused;    /*  requests answered "resource_exhausted" (queue full) */
    uint64_t workers_lost;        /*  busy workers that went away holding a request */
    uint64_t protocol_violations; /*  workers sent DISCONNECT for an unexpected command */
    uint64_t invalid_dropped;     /*  malformed messages dropped */
    uint64_t oversize_dropped;    /*  frames over max_message_bytes seen and dropped */
    uint64_t undeliverable;       /*  replies whose client had gone */
    uint64_t events_forwarded;
    uint64_t events_dropped;
    uint64_t subscriptions;
    int64_t max_message_bytes;
    /*  security */
    const char *security;         /*  "curve" or "plain" */
    uint64_t keys_trusted;        /*  keys in the trusted directory now */
    uint64_t handshakes_refused;  /*  connections refused at the CurveZMQ handshake */
    uint64_t unauthenticated;     /*  messages from a key no longer trusted, dropped */
    uint64_t workers_refused;     /*  READY refused: key without role service:NAME, or unclaimed */
    uint64_t claims_refused;      /*  service.claim refused: another instance serves */
    uint64_t requests_denied;     /*  broker ops refused for want of a role */
    uint64_t events_refused;      /*  events whose publisher may not publish the topic */
    uint64_t subscribers_cut;     /*  times the XPUB was rebound to cut a revoked key */
} sm_broker_stats_t;

/*  The operations of service "broker". */
typedef enum {
    SM_BROKER_OP_STATUS = 1,
    SM_BROKER_OP_CLAIM = 2,
    SM_BROKER_OP_AUDIT_LIST = 3
} sm_broker_op_t;

/*  A decoded request to service "broker". */
typedef struct {
    int op;                    /*  sm_broker_op_t */
    const sm_opdecl_t *decl;   /*  its declaration (roles, arguments) */
    sm_args_t *args;           /*  the checked arguments; sm_broker_req_free frees */
    /*  service.claim */
    const char *service, *instance;
    const char *incarnation;   /*  "" when the daemon sent none (before 0.3) */
    /*  audit.list: NULL or 0 when not given */
    const char *who, *what, *id;
    int64_t since_ms, until_ms; /*  [since, until), Europe/Amsterdam days */
    uint64_t after;
    int64_t limit;              /*  default 100 */
} sm_broker_req_t;

/*  Decode a request body for service "broker" (nframes body frames, the
    first of which is data[0..size)) into req, checking its arguments
    against the op's declaration. Returns the op, or -1 with err:
    invalid_argument, field "body" when there is not exactly one frame or
    it is not a MessagePack map; field "op" when op is missing, not a
    string, or not a known op; the argument's name when an argument is
    not as declared (proto/ops_broker.c), or (service.claim) a service
    name that is reserved or an instance that is not hex. Free req with
    sm_broker_req_free in every case. */
int sm_broker_op_parse(const void *data, size_t size, size_t nframes, sm_broker_req_t *req,
                       sm_err_t *err);

/*  Free what sm_broker_op_parse allocated; safe to call twice. */
void sm_broker_req_free(sm_broker_req_t *req);

/*  True when entry passes req's audit.list filters (after excepted: the
    caller skips those). Can't fail. */
bool sm_broker_audit_match(const sm_broker_req_t *req, const sm_audit_entry_t *entry);

/*  Pack {"ok": true, "data": {"entries": [...], "next": N or nil}} for
    entries[0..n) into out (reset first), each as a service's audit entry:
    {n, ts (unix ms), key (who), roles [who's], service "broker", op, ids
    [key name], more false, outcome, rid nil, user, key_roles [the changed
    key's]}. next is the last entry's number when more matched, else 0
    (nil). Can't fail. */
void sm_broker_pack_audit(sm_buf_t *out, const sm_audit_entry_t *entries, size_t n,
                          uint64_t next);

/*  Pack {"ok": false, "error": {"code": "permission_denied", ...}} for a
    caller whose roles op does not allow, in the words the services use.
    Can't fail. */
void sm_broker_pack_denied(sm_buf_t *out, const sm_opdecl_t *op, const char *key,
                           sm_roles_t roles);

/*  Pack {"ok": true, "data": {service, instance}} for an accepted claim
    into out (reset first). Can't fail. */
void sm_broker_pack_claim(sm_buf_t *out, const char *service, const char *instance);

/*  The RFC 8 reply body for an MMI request: service is the mmi.* name the
    client addressed, registered tells whether a worker serves the service
    named in the body. Returns "200", "404" or "501"; can't fail. */
const char *sm_broker_mmi_code(const char *service, size_t service_len, bool registered);

/*  True when a worker may not register under name: "broker" and every
    "mmi.*" name belong to the broker. Can't fail. */
bool sm_broker_name_reserved(const char *name, size_t len);

/*  True when name is 1..SM_BROKER_SERVICE_MAX bytes of printable ASCII
    without spaces (so it can be quoted in a log line and a reply as-is).
    Can't fail. */
bool sm_broker_name_valid(const char *name, size_t len);

/*  Pack {"ok": true, "data": {...stats...}} into out (which is reset
    first). Can't fail (msgpack-c aborts on out-of-memory). */
void sm_broker_pack_status(sm_buf_t *out, const sm_broker_stats_t *stats);

/*  Pack {"ok": false, "error": {"code", "message", "field"}} into out
    (reset first); field may be NULL for "". Can't fail. */
void sm_broker_pack_error(sm_buf_t *out, const char *code, const char *field, const char *message);

#endif
