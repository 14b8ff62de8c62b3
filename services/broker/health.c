/*  services/broker/health.c - the broker's health, metrics and systemd
    notifications. See health.h. */
#include "health.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/opsweb.h"
#include "metrics.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

struct _sm_broker_health_t {
    sm_broker_t *broker;
    sm_opsweb_t *web;    /*  NULL when http_port is 0 */
    int64_t watchdog_ms; /*  0: no watchdog */
    int64_t last_watchdog, last_render, last_status;
    bool notified; /*  READY=1 sent */
    /*  The rendered metrics, written by the loop, read by the HTTP thread. */
    pthread_mutex_t lock;
    char *snapshot;
};

/*  The HTTP thread: a copy of the last rendering. */
static void s_render(void *arg, strbuf_t *sb)
{
    sm_broker_health_t *self = arg;
    pthread_mutex_lock(&self->lock);
    if (self->snapshot)
        strbuf_puts(sb, self->snapshot);
    pthread_mutex_unlock(&self->lock);
}

/*  The loop: render the counters now into the snapshot. */
static void s_snapshot(sm_broker_health_t *self, const sm_broker_stats_t *st)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return;
    sm_broker_metrics_render(st, sb);
    char *text = strbuf_detach(sb);
    strbuf_destroy(&sb);
    if (!text)
        return;
    pthread_mutex_lock(&self->lock);
    char *old = self->snapshot;
    self->snapshot = text;
    pthread_mutex_unlock(&self->lock);
    free(old);
}

/*  Once per pass of the broker's loop. */
static void s_tick(sm_broker_t *broker, void *arg)
{
    sm_broker_health_t *self = arg;
    int64_t now = sm_opsweb_now_ms();
    sm_opsweb_turn(self->web, now);
    if (self->watchdog_ms && now - self->last_watchdog >= self->watchdog_ms) {
        self->last_watchdog = now;
        sd_notify(0, "WATCHDOG=1");
    }
    bool status = !self->notified || now - self->last_status >= 10000;
    if (!self->notified || now - self->last_render >= 500 || status) {
        self->last_render = now;
        sm_broker_stats_t st;
        if (sm_broker_stats(broker, &st) != 0)
            return;
        s_snapshot(self, &st);
        if (status) {
            uint64_t workers = 0;
            for (size_t i = 0; i < st.service_count; i++)
                workers += st.services[i].workers;
            self->last_status = now;
            sd_notifyf(0, "%sSTATUS=routing: %zu services, %llu workers, %llu requests routed",
                       self->notified ? "" : "READY=1\n", st.service_count,
                       (unsigned long long)workers, (unsigned long long)st.requests_routed);
            if (!self->notified)
                sm_opsweb_ready(self->web, true, NULL);
            self->notified = true;
        }
    }
}

sm_broker_health_t *sm_broker_health_new(sm_broker_t *broker, const char *address, int port,
                                         int64_t stall_ms, sm_err_t *err)
{
    sm_broker_health_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    pthread_mutex_init(&self->lock, NULL);
    self->broker = broker;
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000)
        self->watchdog_ms = (int64_t)(usec / 2000); /*  ping at half the interval */
    if (port) {
        self->web =
            sm_opsweb_new(address, port, "broker/http_port", stall_ms, s_render, self, err);
        if (!self->web) {
            pthread_mutex_destroy(&self->lock);
            free(self);
            return NULL;
        }
    } else
        sm_info("health and metrics off", "setting=broker/http_port");
    sm_broker_on_tick(broker, s_tick, self);
    return self;
}

void sm_broker_health_destroy(sm_broker_health_t **self_p)
{
    sm_broker_health_t *self = *self_p;
    if (!self)
        return;
    sd_notify(0, "STOPPING=1");
    sm_opsweb_destroy(&self->web);
    sm_broker_on_tick(self->broker, NULL, NULL);
    pthread_mutex_destroy(&self->lock);
    free(self->snapshot);
    free(self);
    *self_p = NULL;
}
