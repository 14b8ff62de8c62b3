/*  services/reporting/settings.c - reporting's own settings. See settings.h. */
#include "settings.h"
#include "../../proto/mdp.h"
#include "common/config_table.h"
#include "common/i18n.h"
#include "report_rules.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    //  The checklist: for each of the first count principles the texts
    //  given (one alone serves both languages), or, with neither, the
    //  slot's default; beyond count only what is given (which is refused).
    //  The texts are copies: they outlive any reload of cfg.
    int64_t count;
    if (sm_cfg_int(cfg, "reporting/yardstick/count", &count, err) != 0)
        return -1;
    const char *nl[YARDSTICK_MAX], *en[YARDSTICK_MAX];
    for (int i = 0; i < YARDSTICK_MAX; i++) {
        char p_nl[48], p_en[48];
        snprintf(p_nl, sizeof p_nl, "reporting/yardstick/%d/nl", i + 1);
        snprintf(p_en, sizeof p_en, "reporting/yardstick/%d/en", i + 1);
        const char *a = sm_config_str(cfg, p_nl, NULL), *b = sm_config_str(cfg, p_en, NULL);
        if (!a && !b && i < count) {
            a = sm_cfg_str(cfg, p_nl);
            b = sm_cfg_str(cfg, p_en);
        }
        nl[i] = s->texts[2 * i] = strdup(a ? a : "");
        en[i] = s->texts[2 * i + 1] = strdup(b ? b : "");
        if (!nl[i] || !en[i])
            return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    return yardstick_list_make(nl, en, (int)count, &s->yardstick, err);
}

void reporting_settings_fini(sm_service_t *svc)
{
    reporting_settings_t *s = sm_service_user(svc);
    for (int i = 0; s && i < 2 * YARDSTICK_MAX; i++)
        free(s->texts[i]);
    free(s);
    sm_service_set_user(svc, NULL);
}

const reporting_settings_t *reporting_settings(sm_ctx_t *ctx)
{
    return sm_ctx_user(ctx);
}
