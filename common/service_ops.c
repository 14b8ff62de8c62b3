/*  common/service_ops.c - what an operator sees of a running service:
    /healthz, /readyz and /metrics (common/opsweb.h, common/metrics.h), and
    systemd's notifications (sd_notify: READY=1, WATCHDOG=1, STATUS=,
    STOPPING=1). Everything here runs on the loop's thread; the HTTP
    thread reads only what sm_opsweb_* and sm_metrics_* publish. */
#include "common/config_table.h"
#include "common/i18n.h"
#include "common/service_internal.h"
#include <systemd/sd-daemon.h>

/*  The service's counters, for the HTTP thread. */
static void s_render(void *arg, strbuf_t *sb)
{
    sm_metrics_render(arg, sb);
}

int svc_ops_setup(sm_service_t *svc, sm_err_t *e)
{
    const char *name = svc->def->name;
    char key[96];
    int64_t port;
    snprintf(key, sizeof key, "%s/stall_ms", name);
    if (sm_cfg_int(svc->cfg, key, &svc->stall_ms, e))
        return -1;
    snprintf(key, sizeof key, "%s/http_address", name);
    const char *address = sm_cfg_address(svc->cfg, key, e);
    if (!address)
        return -1;
    snprintf(key, sizeof key, "%s/http_port", name);
    if (sm_cfg_int(svc->cfg, key, &port, e))
        return -1;
    const char **ops = calloc((size_t)svc->nops + 1, sizeof *ops);
    const char **followed = calloc((size_t)svc->nfollow + 1, sizeof *followed);
    if (ops && followed) {
        for (int i = 0; i < svc->nops; i++)
            ops[i] = svc->ops[i].decl.name;
        for (int i = 0; i < svc->nfollow; i++)
            followed[i] = svc->follow[i].service;
        svc->metrics =
            sm_metrics_new(name, svc->def->version, ops, svc->nops, followed, svc->nfollow);
    }
    free(ops);
    free(followed);
    if (!svc->metrics)
        return sm_err_set(e, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_metrics_events(svc->metrics, 0, svc->next_seq - 1);
    sm_metrics_store(svc->metrics, sm_store_used_bytes(svc->store), sm_store_map_size(svc->store));
    svc->readiness = -1;
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec >= 2000)
        svc->watchdog_ms = (int64_t)(usec / 2000); /*  ping at half the interval */
    if (port == 0) {
        sm_info("health and metrics off", "setting=%s", key);
        return 0;
    }
    svc->web = sm_opsweb_new(address, (int)port, key, svc->stall_ms, s_render, svc->metrics, e);
    return svc->web ? 0 : -1;
}

/*  True when some worker connection has heard from the broker within the
    liveness window: then the broker knows us and hands us requests. */
static bool s_registered(sm_service_t *svc, int64_t now_ms)
{
    for (int w = 0; w < svc->nworkers; w++)
        if (svc->workers[w].heard &&
            now_ms - svc->workers[w].last_recv <= svc->heartbeat_ms * svc->liveness)
            return true;
    return false;
}

/*  Tell systemd how we are: one line for `systemctl status`, in the
    service's language. */
static void s_status(sm_service_t *svc)
{
    char line[400];
    if (svc->readiness == 1)
        /* TRANSLATORS: systemd's one-line status of a service (systemctl status). */
        snprintf(line, sizeof line,
                 _("serving: %llu requests answered, %llu refused; last event seq %llu"),
                 (unsigned long long)svc->requests, (unsigned long long)svc->refused,
                 (unsigned long long)(svc->next_seq - 1));
    else
        /* TRANSLATORS: systemd's one-line status of a service; %s is the broker's address. */
        snprintf(line, sizeof line, _("waiting for the broker at %s"), svc->broker_ep);
    sd_notifyf(0, "STATUS=%s", line);
}

void svc_ops_turn(sm_service_t *svc, int64_t now_ms)
{
    static const char why[] = "not registered with the broker (no word from it)";
    sm_opsweb_turn(svc->web, now_ms);
    if (svc->watchdog_ms && now_ms - svc->last_watchdog >= svc->watchdog_ms) {
        svc->last_watchdog = now_ms;
        sd_notify(0, "WATCHDOG=1");
    }
    int ready = s_registered(svc, now_ms) ? 1 : 0;
    /*  A follower that stopped applying a producer's events (it went back
        in time: service_follow.c) is not ready either, and says which. */
    const char *reason = why;
    char halted[200] = "";
    for (int i = 0; i < svc->nfollow && ready; i++)
        if (svc->follow[i].halted[0]) {
            snprintf(halted, sizeof halted,
                     "following %s halted (%s); see samenctl follow resync", svc->follow[i].service,
                     svc->follow[i].halted);
            ready = 0;
            reason = halted;
            break;
        }
    const char *told = svc->ready_why[svc->ready_why_i];
    if (ready != svc->readiness || (!ready && strcmp(told, reason) != 0)) {
        bool known = svc->readiness != -1;
        svc->readiness = ready;
        svc->ready_why_i ^= 1;
        snprintf(svc->ready_why[svc->ready_why_i], sizeof svc->ready_why[0], "%s", reason);
        sm_opsweb_ready(svc->web, ready, ready ? NULL : svc->ready_why[svc->ready_why_i]);
        if (ready && !svc->notified_ready) {
            sd_notify(0, "READY=1"); /*  once: registered and serving */
            svc->notified_ready = true;
        }
        if (ready)
            sm_info("ready", "broker=%s", svc->broker_ep);
        else if (known)
            sm_warn("not ready", "reason=\"%s\"", reason);
        s_status(svc);
        svc->last_status = now_ms;
    } else if (now_ms - svc->last_status >= 10000) {
        s_status(svc);
        svc->last_status = now_ms;
    }
    /*  The slower figures, once a second. */
    if (now_ms - svc->last_ops >= 1000) {
        svc->last_ops = now_ms;
        sm_metrics_store(svc->metrics, sm_store_used_bytes(svc->store),
                         sm_store_map_size(svc->store));
        for (int i = 0; i < svc->nfollow; i++)
            sm_metrics_follow(svc->metrics, i, svc->follow[i].cursor, svc->follow[i].known);
    }
}

void svc_ops_teardown(sm_service_t *svc)
{
    sd_notify(0, "STOPPING=1");
    sm_opsweb_destroy(&svc->web);
    sm_metrics_destroy(&svc->metrics);
}
