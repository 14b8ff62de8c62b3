/*  services/reporting/settings.c - reporting's own settings. See settings.h. */
#include "settings.h"
#include "../../proto/mdp.h"
#include "common/i18n.h"
#include "report_rules.h"
#include <stdlib.h>

int reporting_settings_init(sm_service_t *svc, sm_err_t *err)
{
    int64_t days, timeout, heartbeat, liveness;
    sm_config_t *cfg = sm_service_config(svc);
    if (sm_config_int(cfg, "reporting/send_within_days", REPORT_DUE_DAYS_DEFAULT, 1,
                      REPORT_DUE_DAYS_MAX, &days, err) != 0 ||
        sm_config_int(cfg, "reporting/pii_scan_timeout_ms", 2000, 100, 30000, &timeout, err) != 0 ||
        sm_config_int(cfg, "broker/heartbeat_ms", SM_DEFAULT_HEARTBEAT_MS, 100, 60000, &heartbeat,
                      err) != 0 ||
        sm_config_int(cfg, "broker/heartbeat_liveness", SM_DEFAULT_HEARTBEAT_LIVENESS, 2, 100,
                      &liveness, err) != 0)
        return -1;
    //  The scan blocks the service's loop, heartbeats included: both tries
    //  together must end well before the broker gives the workers up
    //  (heartbeat x liveness of silence), or every request in hand would be
    //  answered "worker went away".
    int64_t cap = heartbeat * liveness / 3;
    if (timeout > cap)
        timeout = cap > 100 ? cap : 100;
    reporting_settings_t *s = calloc(1, sizeof *s);
    if (!s)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    s->send_within_days = (int)days;
    s->pii_scan_timeout_ms = (int)timeout;
    sm_service_set_user(svc, s);
    return 0;
}

void reporting_settings_fini(sm_service_t *svc)
{
    free(sm_service_user(svc));
    sm_service_set_user(svc, NULL);
}

const reporting_settings_t *reporting_settings(sm_ctx_t *ctx)
{
    return sm_ctx_user(ctx);
}
