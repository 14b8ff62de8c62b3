/*  common/opsweb.c - a daemon's health and metrics over HTTP. See opsweb.h. */
#include "common/opsweb.h"
#include "common/endpoints.h"
#include "common/httpd.h"
#include "common/i18n.h"
#include "common/log.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct _sm_opsweb_t {
    struct MHD_Daemon *daemon;
    int64_t stall_ms;
    sm_opsweb_render_fn *render;
    void *arg;
    /*  Written by the loop, read by the HTTP thread. */
    _Atomic int64_t last_turn_ms;
    _Atomic bool ready;
    _Atomic(const char *) why;
};

int64_t sm_opsweb_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char s_text[] = "text/plain; charset=utf-8";

/*  /metrics: the daemon's own, then the health figures. */
static enum MHD_Result s_metrics(sm_opsweb_t *self, struct MHD_Connection *conn, bool head)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return MHD_NO;
    if (self->render)
        self->render(self->arg, sb);
    int64_t age = sm_opsweb_now_ms() - atomic_load(&self->last_turn_ms);
    strbuf_printf(sb,
                  "# HELP samen_ready 1 when the daemon is ready to serve (as /readyz says).\n"
                  "# TYPE samen_ready gauge\nsamen_ready %d\n"
                  "# HELP samen_loop_last_turn_seconds Time since the daemon's loop last "
                  "turned.\n# TYPE samen_loop_last_turn_seconds gauge\n"
                  "samen_loop_last_turn_seconds %.3f\n",
                  atomic_load(&self->ready) ? 1 : 0, (double)(age > 0 ? age : 0) / 1000.0);
    enum MHD_Result rc = strbuf_failed(sb)
                             ? MHD_NO
                             : sm_httpd_reply(conn, 200, "text/plain; version=0.0.4; charset=utf-8",
                                              strbuf_data(sb), head ? 0 : strbuf_len(sb));
    strbuf_destroy(&sb);
    return rc;
}

static enum MHD_Result s_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **state)
{
    (void)version, (void)upload;
    sm_opsweb_t *self = cls;
    bool head = strcmp(method, "HEAD") == 0;
    if (!head && strcmp(method, "GET") != 0) {
        /*  A body, if any, is not read: answer at once. */
        (void)upload_size, (void)state;
        static const char m[] = "only GET and HEAD\n";
        return sm_httpd_reply(conn, 405, s_text, m, sizeof m - 1);
    }
    char body[200];
    int n;
    if (strcmp(url, "/healthz") == 0) {
        int64_t age = sm_opsweb_now_ms() - atomic_load(&self->last_turn_ms);
        bool ok = age <= self->stall_ms;
        n = ok ? snprintf(body, sizeof body, "ok\n")
               : snprintf(body, sizeof body, "stalled: the loop has not turned for %lld ms\n",
                          (long long)age);
        return sm_httpd_reply(conn, ok ? 200 : 503, s_text, body, head ? 0 : (size_t)n);
    }
    if (strcmp(url, "/readyz") == 0) {
        bool ok = atomic_load(&self->ready);
        const char *why = atomic_load(&self->why);
        n = ok ? snprintf(body, sizeof body, "ready\n")
               : snprintf(body, sizeof body, "not ready: %s\n", why ? why : "starting");
        return sm_httpd_reply(conn, ok ? 200 : 503, s_text, body, head ? 0 : (size_t)n);
    }
    if (strcmp(url, "/metrics") == 0)
        return s_metrics(self, conn, head);
    static const char nf[] = "not found: /healthz, /readyz and /metrics are served here\n";
    return sm_httpd_reply(conn, 404, s_text, nf, head ? 0 : sizeof nf - 1);
}

sm_opsweb_t *sm_opsweb_new(const char *address, int port, const char *field, int64_t stall_ms,
                           sm_opsweb_render_fn *render, void *arg, sm_err_t *err)
{
    sm_opsweb_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->stall_ms = stall_ms;
    self->render = render;
    self->arg = arg;
    atomic_store(&self->last_turn_ms, sm_opsweb_now_ms());
    atomic_store(&self->why, "starting");
    /*  An IPv6 address goes in brackets ("[::1]:9560"), as in a URL. */
    char listen[80];
    snprintf(listen, sizeof listen, strchr(address, ':') ? "[%s]:%d" : "%s:%d", address, port);
    self->daemon = sm_httpd_start(listen, field, s_handle, self, err);
    if (!self->daemon) {
        free(self);
        return NULL;
    }
    sm_info("health and metrics served", "listen=http://%s", listen);
    /*  Once, at start: whoever reaches this address reads the figures. */
    if (!sm_address_loopback(address))
        sm_warn("health and metrics reachable from the network",
                "listen=http://%s note=\"/metrics and /readyz answer anyone who can reach this "
                "address; they carry no personal data; restrict access with a firewall or a "
                "NetworkPolicy\"",
                listen);
    return self;
}

void sm_opsweb_destroy(sm_opsweb_t **self_p)
{
    sm_opsweb_t *self = *self_p;
    if (!self)
        return;
    if (self->daemon)
        MHD_stop_daemon(self->daemon);
    free(self);
    *self_p = NULL;
}

void sm_opsweb_turn(sm_opsweb_t *self, int64_t now_ms)
{
    if (self)
        atomic_store_explicit(&self->last_turn_ms, now_ms, memory_order_relaxed);
}

void sm_opsweb_ready(sm_opsweb_t *self, bool ready, const char *why)
{
    if (!self)
        return;
    atomic_store(&self->why, why);
    atomic_store(&self->ready, ready);
}
