/*  common/metrics.h - a service's counters, for GET /metrics.

    The service loop counts what it does here (requests by op and outcome,
    their durations, the size of each group commit and how long its
    commit took, events published, the store's size, how far behind each
    followed service it is); the HTTP thread (common/opsweb.h) renders
    them in the Prometheus text exposition format (version 0.0.4). Every
    figure is a C11 atomic written by the loop alone and read by the HTTP
    thread alone, so neither waits for the other and the HTTP thread never
    touches the store or the loop's sockets. A rendering is not one
    instant: two figures may be a request apart.

    Metric names and their meaning: docs/metrics.md. The ops and the
    followed services are fixed at creation; an op index outside them is
    counted as op="(unknown)". The counting functions do nothing on a
    NULL object.
*/
#ifndef SAMEN_METRICS_H
#define SAMEN_METRICS_H

#include "common/strbuf.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct _sm_metrics_t sm_metrics_t;

/*  Counters for service (its name and version, for samen_build_info),
    with nops op names and nfollow followed services (the arrays are
    copied). Returns the object, or NULL when out of memory. */
sm_metrics_t *sm_metrics_new(const char *service, const char *version, const char *const *ops,
                             int nops, const char *const *followed, int nfollow);

/*  Free. Safe on NULL and twice. */
void sm_metrics_destroy(sm_metrics_t **self_p);

/*  One request answered: op's index (-1 or out of range: unknown op),
    its outcome ("ok", "replayed" or an error code; anything else counts
    as "other"), whether the op writes, and how long it took from arrival
    to reply in microseconds. Can't fail. */
void sm_metrics_request(sm_metrics_t *self, int op, const char *outcome, bool write,
                        int64_t dur_us);

/*  One write transaction committed holding nwrites requests (a group
    commit), the commit (LMDB's write and fsync) having taken commit_us.
    Can't fail. */
void sm_metrics_commit(sm_metrics_t *self, int nwrites, int64_t commit_us);

/*  n events handed to the broker, the log's last seq now last_seq. */
void sm_metrics_events(sm_metrics_t *self, uint64_t n, uint64_t last_seq);

/*  The store: bytes in use and the map's size. */
void sm_metrics_store(sm_metrics_t *self, uint64_t used_bytes, uint64_t map_bytes);

/*  Followed service i: the last seq applied and the newest seq known to
    exist (from a live event or a backfill's last_seq). */
void sm_metrics_follow(sm_metrics_t *self, int i, uint64_t cursor, uint64_t known);

/*  Append every metric in the text exposition format. Can't fail (an
    allocation failure marks sb failed, strbuf.h). */
void sm_metrics_render(sm_metrics_t *self, strbuf_t *sb);

/*  Request outcomes counted apart, in the order rendered; NULL-terminated. */
extern const char *const sm_metrics_outcomes[];

#endif
