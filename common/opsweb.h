/*  common/opsweb.h - a daemon's health and metrics over HTTP.

    Every daemon serves, on an address (the setting SECTION/http_address,
    default 127.0.0.1) and a port of its own (SECTION/http_port; 0 turns it
    off), on libmicrohttpd's thread (common/httpd.h):

        GET /healthz   200 "ok" while the daemon's loop turns: the loop
                       stamps the time on every pass (sm_opsweb_turn);
                       503 "stalled ..." once it has not for stall_ms
        GET /readyz    200 "ready" when the daemon says it can serve
                       (registered with the broker, store open); else 503
                       with the reason it gave (sm_opsweb_ready)
        GET /metrics   200, text/plain; version=0.0.4: the Prometheus text
                       exposition of the daemon's counters (the render
                       callback), then samen_ready and
                       samen_loop_last_turn_seconds

    Anything else is 404, another method 405 (HEAD is GET without a body).
    The HTTP thread reads only what the loop publishes for it (atomics, or
    what the render callback guards itself); it never touches the store or
    the loop's sockets. Metric names: docs/metrics.md.

    Bound to an address other than loopback (0.0.0.0 in a container, so
    that a kubelet's probes and Prometheus reach it), the endpoint answers
    anyone who can reach that address: it logs one warning saying so at
    start. What it serves carries no personal data (counts, durations,
    sizes, op and service names), but it does show how busy the programme
    is; keep it behind a firewall or a NetworkPolicy.
*/
#ifndef SAMEN_OPSWEB_H
#define SAMEN_OPSWEB_H

#include "common/err.h"
#include "common/strbuf.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct _sm_opsweb_t sm_opsweb_t;

/*  Append the daemon's metrics to sb; runs on the HTTP thread. */
typedef void(sm_opsweb_render_fn)(void *arg, strbuf_t *sb);

/*  Serve on address:port (address an IPv4 or IPv6 literal, as the
    setting SECTION/http_address holds it); field is the port's setting
    (named in errors). /healthz fails once the loop has not turned for
    stall_ms. Returns the endpoint, or NULL with err (invalid_argument: not
    an address; unavailable: it cannot be bound). Not ready until
    sm_opsweb_ready says so. */
sm_opsweb_t *sm_opsweb_new(const char *address, int port, const char *field, int64_t stall_ms,
                           sm_opsweb_render_fn *render, void *arg, sm_err_t *err);

/*  Stop serving and free. Safe on NULL and twice. */
void sm_opsweb_destroy(sm_opsweb_t **self_p);

/*  The loop turned at now_ms (CLOCK_MONOTONIC, milliseconds). Safe on a
    NULL endpoint. Can't fail. */
void sm_opsweb_turn(sm_opsweb_t *self, int64_t now_ms);

/*  Ready or not; why (a string constant, kept by pointer) when not. Safe
    on a NULL endpoint. Can't fail. */
void sm_opsweb_ready(sm_opsweb_t *self, bool ready, const char *why);

/*  The current monotonic clock in milliseconds, as sm_opsweb_turn wants it. */
int64_t sm_opsweb_now_ms(void);

#endif
