/*  services/scheduling/settings.h - the scheduling section of samen.cfg.

        scheduling
            default_capacity = "12"                 places when a session is planned without one
            default_reimbursement_cents = "1500"    reimbursement offered per participant when
                                                    a session is planned without one (EUR 15,
                                                    DOMAIN.md §5); 0 offers none
            document_max_bytes = "524288"           largest grid or calendar rendered in one
                                                    reply; keep it under the broker's
                                                    max_message_bytes

    Every setting has a default; the common ones (data_dir, workers, log_level,
    ...) are read by the service loop (common/service.h).
*/
#ifndef SAMEN_SCHEDULING_SETTINGS_H
#define SAMEN_SCHEDULING_SETTINGS_H

#include "common/service.h"

typedef struct {
    int64_t default_capacity;
    int64_t default_reimbursement_cents;
    int64_t document_max_bytes;
} settings_t;

/*  The service's init hook: read the settings and keep them as the
    service's user state. Returns 0, or -1 with err naming the bad setting. */
int settings_init(sm_service_t *svc, sm_err_t *err);

/*  The fini hook: free them. Safe when init failed. */
void settings_fini(sm_service_t *svc);

/*  The settings, from a handler. Never NULL once the service runs. */
const settings_t *settings_of(sm_ctx_t *ctx);

#endif
