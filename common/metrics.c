/*  common/metrics.c - a service's counters. See metrics.h. */
#include "common/metrics.h"
#include "proto/errors.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sm_metrics_outcomes[] = {"ok",
                                           "replayed",
                                           SM_E_INVALID_ARGUMENT,
                                           SM_E_NOT_FOUND,
                                           SM_E_ALREADY_EXISTS,
                                           SM_E_CONFLICT,
                                           SM_E_FAILED_PRECONDITION,
                                           SM_E_PERMISSION_DENIED,
                                           SM_E_UNAUTHENTICATED,
                                           SM_E_RESOURCE_EXHAUSTED,
                                           SM_E_UNAVAILABLE,
                                           SM_E_DEADLINE_EXCEEDED,
                                           SM_E_INTERNAL,
                                           "other",
                                           NULL};
#define NOUT 14

/*  Upper bounds of the time buckets, in microseconds (0.1 ms to 5 s). */
static const int64_t s_time_le[] = {100,   250,    500,    1000,   2500,    5000,    10000,  25000,
                                    50000, 100000, 250000, 500000, 1000000, 2500000, 5000000};
#define NTIME (sizeof s_time_le / sizeof s_time_le[0])
/*  Upper bounds of the batch-size buckets (requests per commit). */
static const int64_t s_size_le[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
#define NSIZE (sizeof s_size_le / sizeof s_size_le[0])

/*  A histogram: a count per bucket (not cumulative; the last one is
    beyond every bound), the sum and the count. */
typedef struct {
    _Atomic uint64_t bucket[NTIME + 1];
    _Atomic uint64_t sum, count;
} s_hist_t;

typedef struct {
    char name[32];
    _Atomic uint64_t cursor, known;
} s_follow_t;

struct _sm_metrics_t {
    char service[32], version[32];
    int nops;
    char (*ops)[72];
    _Atomic uint64_t *requests; /*  [(nops + 1) * NOUT]: the last op row is "(unknown)" */
    s_hist_t duration[2];       /*  read, write */
    s_hist_t batch, commit;
    _Atomic uint64_t commits, replayed, events, last_seq, used, map;
    int nfollow;
    s_follow_t *follow;
};

sm_metrics_t *sm_metrics_new(const char *service, const char *version, const char *const *ops,
                             int nops, const char *const *followed, int nfollow)
{
    sm_metrics_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    snprintf(self->service, sizeof self->service, "%s", service);
    snprintf(self->version, sizeof self->version, "%s", version);
    self->nops = nops;
    self->nfollow = nfollow;
    self->ops = calloc((size_t)nops + 1, sizeof *self->ops);
    self->requests = calloc((size_t)(nops + 1) * NOUT, sizeof *self->requests);
    self->follow = calloc((size_t)nfollow + 1, sizeof *self->follow);
    if (!self->ops || !self->requests || !self->follow) {
        sm_metrics_destroy(&self);
        return NULL;
    }
    for (int i = 0; i < nops; i++)
        snprintf(self->ops[i], sizeof self->ops[i], "%s", ops[i]);
    for (int i = 0; i < nfollow; i++)
        snprintf(self->follow[i].name, sizeof self->follow[i].name, "%s", followed[i]);
    return self;
}

void sm_metrics_destroy(sm_metrics_t **self_p)
{
    sm_metrics_t *self = *self_p;
    if (!self)
        return;
    free(self->ops);
    free((void *)self->requests);
    free(self->follow);
    free(self);
    *self_p = NULL;
}

/* ==== Counting (the loop) =============================================== */

static void s_add(_Atomic uint64_t *c, uint64_t n)
{
    atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static void s_set(_Atomic uint64_t *c, uint64_t v)
{
    atomic_store_explicit(c, v, memory_order_relaxed);
}

static uint64_t s_get(_Atomic uint64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

/*  Count value v into h with the bounds le[n]. */
static void s_observe(s_hist_t *h, const int64_t *le, size_t n, int64_t v)
{
    size_t b = 0;
    while (b < n && v > le[b])
        b++;
    s_add(&h->bucket[b], 1);
    s_add(&h->sum, v > 0 ? (uint64_t)v : 0);
    s_add(&h->count, 1);
}

void sm_metrics_request(sm_metrics_t *self, int op, const char *outcome, bool write, int64_t dur_us)
{
    if (!self)
        return;
    if (op < 0 || op >= self->nops)
        op = self->nops;
    int k = 0;
    while (k < NOUT - 1 && strcmp(sm_metrics_outcomes[k], outcome) != 0)
        k++;
    s_add(&self->requests[op * NOUT + k], 1);
    if (k == 1)
        s_add(&self->replayed, 1);
    s_observe(&self->duration[write ? 1 : 0], s_time_le, NTIME, dur_us);
}

void sm_metrics_commit(sm_metrics_t *self, int nwrites, int64_t commit_us)
{
    if (!self)
        return;
    s_add(&self->commits, 1);
    s_observe(&self->batch, s_size_le, NSIZE, nwrites);
    s_observe(&self->commit, s_time_le, NTIME, commit_us);
}

void sm_metrics_events(sm_metrics_t *self, uint64_t n, uint64_t last_seq)
{
    if (!self)
        return;
    s_add(&self->events, n);
    s_set(&self->last_seq, last_seq);
}

void sm_metrics_store(sm_metrics_t *self, uint64_t used_bytes, uint64_t map_bytes)
{
    if (!self)
        return;
    s_set(&self->used, used_bytes);
    s_set(&self->map, map_bytes);
}

void sm_metrics_follow(sm_metrics_t *self, int i, uint64_t cursor, uint64_t known)
{
    if (!self || i < 0 || i >= self->nfollow)
        return;
    s_set(&self->follow[i].cursor, cursor);
    s_set(&self->follow[i].known, known);
}

/* ==== Rendering (the HTTP thread) ======================================= */

static void s_head(strbuf_t *sb, const char *name, const char *type, const char *help)
{
    strbuf_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/*  A histogram: the time ones in seconds (from microseconds), the size
    ones as they are. label is "" or `kind="read"`. */
static void s_hist(strbuf_t *sb, const char *name, const char *label, s_hist_t *h,
                   const int64_t *le, size_t n, bool micro)
{
    const char *sep = label[0] ? "," : "";
    uint64_t cum = 0;
    for (size_t b = 0; b <= n; b++) {
        cum += s_get(&h->bucket[b]);
        if (b == n)
            strbuf_printf(sb, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, label, sep,
                          (unsigned long long)cum);
        else if (micro)
            strbuf_printf(sb, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, label, sep,
                          (double)le[b] / 1e6, (unsigned long long)cum);
        else
            strbuf_printf(sb, "%s_bucket{%s%sle=\"%lld\"} %llu\n", name, label, sep,
                          (long long)le[b], (unsigned long long)cum);
    }
    const char *open = label[0] ? "{" : "", *close = label[0] ? "}" : "";
    uint64_t sum = s_get(&h->sum);
    if (micro)
        strbuf_printf(sb, "%s_sum%s%s%s %.6f\n", name, open, label, close, (double)sum / 1e6);
    else
        strbuf_printf(sb, "%s_sum%s%s%s %llu\n", name, open, label, close, (unsigned long long)sum);
    strbuf_printf(sb, "%s_count%s%s%s %llu\n", name, open, label, close,
                  (unsigned long long)s_get(&h->count));
}

void sm_metrics_render(sm_metrics_t *self, strbuf_t *sb)
{
    s_head(sb, "samen_build_info", "gauge", "The service and its version (always 1).");
    strbuf_printf(sb, "samen_build_info{service=\"%s\",version=\"%s\"} 1\n", self->service,
                  self->version);

    s_head(sb, "samen_requests_total", "counter",
           "Requests answered, by op and outcome (ok, replayed or the error code).");
    for (int op = 0; op <= self->nops; op++)
        for (int k = 0; k < NOUT; k++) {
            uint64_t n = s_get(&self->requests[op * NOUT + k]);
            if (n)
                strbuf_printf(sb, "samen_requests_total{op=\"%s\",outcome=\"%s\"} %llu\n",
                              op < self->nops ? self->ops[op] : "(unknown)", sm_metrics_outcomes[k],
                              (unsigned long long)n);
        }
    s_head(sb, "samen_request_duration_seconds", "histogram",
           "Time from a request's arrival to its reply, reads and writes apart.");
    s_hist(sb, "samen_request_duration_seconds", "kind=\"read\"", &self->duration[0], s_time_le,
           NTIME, true);
    s_hist(sb, "samen_request_duration_seconds", "kind=\"write\"", &self->duration[1], s_time_le,
           NTIME, true);
    s_head(sb, "samen_idem_replayed_total", "counter",
           "Writes answered with the stored reply of an earlier request with the same rid.");
    strbuf_printf(sb, "samen_idem_replayed_total %llu\n",
                  (unsigned long long)s_get(&self->replayed));

    s_head(sb, "samen_commits_total", "counter", "Write transactions committed.");
    strbuf_printf(sb, "samen_commits_total %llu\n", (unsigned long long)s_get(&self->commits));
    s_head(sb, "samen_batch_size", "histogram",
           "Write requests applied per commit (group commit).");
    s_hist(sb, "samen_batch_size", "", &self->batch, s_size_le, NSIZE, false);
    s_head(sb, "samen_commit_duration_seconds", "histogram",
           "Time LMDB's commit took (writing and fsync) per batch of writes.");
    s_hist(sb, "samen_commit_duration_seconds", "", &self->commit, s_time_le, NTIME, true);

    s_head(sb, "samen_events_published_total", "counter", "Events handed to the broker.");
    strbuf_printf(sb, "samen_events_published_total %llu\n",
                  (unsigned long long)s_get(&self->events));
    s_head(sb, "samen_event_last_seq", "gauge", "The seq of the newest event in the log.");
    strbuf_printf(sb, "samen_event_last_seq %llu\n", (unsigned long long)s_get(&self->last_seq));

    s_head(sb, "samen_store_used_bytes", "gauge",
           "Bytes of the store in use (pages up to the last).");
    strbuf_printf(sb, "samen_store_used_bytes %llu\n", (unsigned long long)s_get(&self->used));
    s_head(sb, "samen_store_map_bytes", "gauge", "The store's map size (it grows when full).");
    strbuf_printf(sb, "samen_store_map_bytes %llu\n", (unsigned long long)s_get(&self->map));

    if (self->nfollow) {
        s_head(sb, "samen_follow_cursor", "gauge", "The last seq applied of a followed service.");
        for (int i = 0; i < self->nfollow; i++)
            strbuf_printf(sb, "samen_follow_cursor{producer=\"%s\"} %llu\n", self->follow[i].name,
                          (unsigned long long)s_get(&self->follow[i].cursor));
        s_head(sb, "samen_follow_lag_events", "gauge",
               "Events of a followed service known to exist and not yet applied.");
        for (int i = 0; i < self->nfollow; i++) {
            uint64_t c = s_get(&self->follow[i].cursor), k = s_get(&self->follow[i].known);
            strbuf_printf(sb, "samen_follow_lag_events{producer=\"%s\"} %llu\n",
                          self->follow[i].name, (unsigned long long)(k > c ? k - c : 0));
        }
    }
}
