/*  services/broker/broker.h - the Majordomo broker (ZeroMQ RFC 18, MDP/0.2).

    One ROUTER socket serves clients ("MDPC02") and workers ("MDPW02").
    Requests are queued per service and handed to the worker of that
    service that has been idle longest. The broker and its workers
    heartbeat each other; a worker silent for heartbeat_ms * liveness is
    expired. The broker never leaves a client in silence:

    - a request no worker takes within request_expiry_ms is answered by the
      broker with {"ok": false, "error": {"code": "unavailable", ...}};
    - a worker that goes away holding a request (expired, DISCONNECT, or
      disconnected for a protocol violation) makes the broker answer its
      client "unavailable" too; the client may retry with the same rid,
      as services apply a rid at most once;
    - when more than max_queued requests wait, a new one is answered
      "resource_exhausted" at once.

    Malformed messages (wrong protocol header, too few frames, an unknown
    command) are dropped and counted; a worker that sends one, or a valid
    command at the wrong moment (a second READY, a reply while it holds no
    request, READY for "broker" or "mmi.*"), is sent DISCONNECT. The
    broker answers "mmi.*" (RFC 8) and "broker" (status, service.claim,
    audit.list) itself; see ops.h. Events (XSUB -> XPUB) are forwarded in
    the same loop; see events.h.

    Security (docs/security.md, PROTOCOL.md §8). With security on, every
    socket is a CurveZMQ server (auth.h) and every message is looked up by
    its sender's key:
    - a message from a key that is not (or no longer) trusted is dropped
      and counted; a client gets "unauthenticated", a registered worker is
      sent DISCONNECT;
    - READY for service S needs a key with role service:S, and S claimed
      with service.claim: one store instance per service name at a time;
    - a request handed to a worker gets one frame appended after the body,
      the caller frame {"key": NAME, "roles": [...]} of the client's key
      ({"key": "local", "roles": ["admin"]} in plain mode);
    - a revoked key loses its workers at once and its subscriptions by a
      cut of the XPUB (events.h).
    In plain mode nothing is encrypted and the broker binds only loopback
    and ipc:// endpoints (main.c refuses anything else).

    The broker is one thread and the request hot path allocates nothing
    but ZeroMQ message frames: services and workers are found through hash
    tables, idle workers sit in an intrusive LRU list per service, and
    queued requests come from a free list of preallocated slots.
*/
#ifndef SAMEN_BROKER_H
#define SAMEN_BROKER_H

#include "common/err.h"
#include "common/security.h"
#include "services/broker/ops.h"
#include <signal.h>
#include <stdint.h>

/*  Settings; sm_broker_config_defaults() fills every one. */
typedef struct {
    char endpoint[256];         /*  ROUTER for clients and workers */
    char events_in[256];        /*  XSUB publishers connect to */
    char events_out[256];       /*  XPUB subscribers connect to */
    int64_t heartbeat_ms;       /*  interval between heartbeats, both ways */
    int64_t heartbeat_liveness; /*  heartbeats missed before a worker expires */
    int64_t request_expiry_ms;  /*  how long a request waits for a worker */
    int64_t max_message_bytes;  /*  largest frame accepted on any socket */
    int64_t subscriber_hwm;     /*  messages queued per subscriber before loss */
    int64_t max_queued;         /*  requests waiting, all services together */
    sm_security_mode_t security; /*  curve (the default) or plain */
    char keys_dir[256];         /*  public/ is trusted; audit.log is served */
    char key_file[320];         /*  the broker's own secret certificate */
    int64_t keys_check_ms;      /*  how often public/ is looked at for changes */
    int64_t io_threads;         /*  libzmq I/O threads (CurveZMQ's work runs there) */
} sm_broker_config_t;

typedef struct _sm_broker_t sm_broker_t;

/*  Fill cfg with the defaults (proto/mdp.h). Can't fail. */
void sm_broker_config_defaults(sm_broker_config_t *cfg);

/*  Create the broker and bind its three sockets (in czmq's zsys context,
    with zauth, when security is on). Returns the broker, or NULL with err
    (naming the setting whose endpoint could not be bound or whose key
    could not be read, or "config" when a value is out of range). */
sm_broker_t *sm_broker_new(const sm_broker_config_t *cfg, sm_err_t *err);

/*  Close every socket with linger 0, answer nobody, terminate the
    context and free everything; sets *self_p to NULL; safe to call twice. */
void sm_broker_destroy(sm_broker_t **self_p);

/*  Serve until *stop becomes non-zero (set from a signal handler: the
    poll returns EINTR and the loop looks at the flag). Returns 0 on a
    requested stop, -1 when polling failed for another reason (logged). */
int sm_broker_run(sm_broker_t *self, const volatile sig_atomic_t *stop);

/*  Called on every pass of sm_broker_run's loop, on the loop's thread
    (the broker's /healthz, /metrics and systemd's watchdog hang on it).
    With a tick set the loop passes at least every 500 ms. */
typedef void(sm_broker_tick_fn)(sm_broker_t *self, void *arg);

/*  Set the tick (NULL: none). Can't fail. */
void sm_broker_on_tick(sm_broker_t *self, sm_broker_tick_fn *fn, void *arg);

/*  Fill out with the current counters; the services array points into
    memory owned by the broker, valid until the next call or until the
    broker is destroyed. Returns 0, or -1 when out of memory. */
int sm_broker_stats(sm_broker_t *self, sm_broker_stats_t *out);

#endif
