/*  services/finance/settings.c - finance's own settings from samen.cfg. */
#include "settings.h"
#include "../../common/money.h"
#include "common/i18n.h"
#include "reimbursement.h"
#include <stdlib.h>

int finance_settings_init(sm_service_t *svc, sm_err_t *err)
{
    finance_settings_t *s = calloc(1, sizeof *s);
    if (!s)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_config_t *cfg = sm_service_config(svc);
    if (sm_config_int(cfg, "finance/reimbursement_cap_cents", REIMBURSEMENT_YEAR_CAP_CENTS, 0,
                      SM_MONEY_MAX, &s->reimbursement_cap_cents, err) ||
        sm_config_int(cfg, "finance/reimbursement_default_cents", REIMBURSEMENT_DEFAULT_CENTS, 0,
                      SM_MONEY_MAX, &s->reimbursement_default_cents, err)) {
        free(s);
        return -1;
    }
    sm_service_set_user(svc, s);
    return 0;
}

void finance_settings_fini(sm_service_t *svc)
{
    free(sm_service_user(svc));
    sm_service_set_user(svc, NULL);
}

const finance_settings_t *finance_settings(sm_ctx_t *ctx)
{
    return sm_ctx_user(ctx);
}
