/*  services/broker/health.h - what an operator sees of a running broker:
    GET /healthz, /readyz and /metrics on broker/http_address (default
    127.0.0.1) and broker/http_port (common/opsweb.h; port 0 turns the
    endpoint off), and systemd's
    notifications (READY=1 once its sockets are bound and it serves,
    WATCHDOG=1 from its loop, STATUS= one line, STOPPING=1).

    The broker's loop renders its counters (sm_broker_stats, metrics.h)
    twice a second into a snapshot guarded by a mutex; the HTTP thread
    copies the snapshot and never touches the broker's sockets or tables.
    /metrics is therefore at most half a second old.
*/
#ifndef SAMEN_BROKER_HEALTH_H
#define SAMEN_BROKER_HEALTH_H

#include "broker.h"
#include "common/err.h"
#include <stdint.h>

typedef struct _sm_broker_health_t sm_broker_health_t;

/*  Hang the health endpoint on broker's loop (sm_broker_on_tick) and,
    unless port is 0, serve it on address:port (an IPv4 or IPv6 literal);
    stall_ms as in opsweb.h. Returns the object, or NULL with err (the
    address and port cannot be bound). */
sm_broker_health_t *sm_broker_health_new(sm_broker_t *broker, const char *address, int port,
                                         int64_t stall_ms, sm_err_t *err);

/*  Tell systemd we are stopping, stop serving, unhook and free. Safe on
    NULL and twice. */
void sm_broker_health_destroy(sm_broker_health_t **self_p);

#endif
