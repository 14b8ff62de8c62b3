/*  services/finance/settings.h - finance's own settings from samen.cfg.

        finance
            reimbursement_cap_cents = 250000      # EUR 2,500 a year
            reimbursement_default_cents = 1500    # EUR 15 per participant per session

    The cap limits what may be paid in reimbursements per year without an
    override; the default is the amount of an entitlement recorded by hand
    without an amount of its own. Both are whole euro cents.
*/
#ifndef SAMEN_FINANCE_SETTINGS_H
#define SAMEN_FINANCE_SETTINGS_H

#include "../../common/service.h"

typedef struct {
    int64_t reimbursement_cap_cents;
    int64_t reimbursement_default_cents;
} finance_settings_t;

/*  Read the settings from the service's configuration into a new struct
    and make it the service's user state. Returns 0, or -1 with err naming
    the setting (the service then refuses to start). */
int finance_settings_init(sm_service_t *svc, sm_err_t *err);

/*  Free the settings (the service's fini). Can't fail. */
void finance_settings_fini(sm_service_t *svc);

/*  The settings in a handler's context. Never NULL once the service runs. */
const finance_settings_t *finance_settings(sm_ctx_t *ctx);

#endif
