/*  services/scheduling/settings.c - the scheduling section of samen.cfg.
    See settings.h. */
#include "settings.h"
#include "common/i18n.h"
#include "common/money.h"
#include "session_rules.h"
#include <stdlib.h>

int settings_init(sm_service_t *svc, sm_err_t *err)
{
    settings_t *s = calloc(1, sizeof *s);
    if (!s)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_config_t *cfg = sm_service_config(svc);
    if (sm_config_int(cfg, "scheduling/default_capacity", 12, SESSION_CAPACITY_MIN,
                      SESSION_CAPACITY_MAX, &s->default_capacity, err) != 0 ||
        sm_config_int(cfg, "scheduling/default_reimbursement_cents", 1500, 0, SM_MONEY_MAX,
                      &s->default_reimbursement_cents, err) != 0 ||
        sm_config_int(cfg, "scheduling/document_max_bytes", 512 * 1024, 4096,
                      64 * 1024 * 1024, &s->document_max_bytes, err) != 0) {
        free(s);
        return -1;
    }
    sm_service_set_user(svc, s);
    return 0;
}

void settings_fini(sm_service_t *svc)
{
    free(sm_service_user(svc));
    sm_service_set_user(svc, NULL);
}

const settings_t *settings_of(sm_ctx_t *ctx)
{
    return sm_ctx_user(ctx);
}
