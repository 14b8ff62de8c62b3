/*  services/scheduling/settings.h - the scheduling section of samen.cfg.

        scheduling
            default_capacity = "12"                 places when a session is planned without one
            default_reimbursement_cents = "1500"    reimbursement offered per participant when
                                                    a session is planned without one (EUR 15,
                                                    DOMAIN.md §5); 0 offers none
            document_max_bytes = "524288"           largest grid or calendar rendered in one
                                                    reply; keep it under the broker's
                                                    max_message_bytes
            methods                                 each method's own defaults:
                E                                   a survey has no places and pays nothing
                    capacity = "0"                  0: no limit on places
                    reimbursement_cents = "0"
                FG                                  (and I, SB, KB, WB, T, C, N)
                    capacity = ""                   "": default_capacity
                    reimbursement_cents = ""        "": default_reimbursement_cents

    A session planned without a capacity or reimbursement gets its method's
    own value, else the general default. Changing a session's method later
    keeps what it has. Every setting has a default; the common ones
    (data_dir, workers, log_level, ...) are read by the service loop
    (common/service.h).
*/
#ifndef SAMEN_SCHEDULING_SETTINGS_H
#define SAMEN_SCHEDULING_SETTINGS_H

#include "common/service.h"
#include "method.h"

typedef struct {
    int64_t default_capacity;
    int64_t default_reimbursement_cents;
    int64_t document_max_bytes;
    //  Per method, the general default already filled in where the
    //  method has none of its own (capacity 0: no limit).
    int64_t method_capacity[METHOD_COUNT];
    int64_t method_reimbursement_cents[METHOD_COUNT];
} settings_t;

/*  Read one method default: text "" gives dflt, else a whole number in
    min..max. path names the setting in a refusal. Returns 0 with *out set,
    or -1 with err (invalid_argument, field path). A plain function, so
    that the rule is tested without a configuration. */
int settings_method_value(const char *text, const char *path, int64_t dflt, int64_t min,
                          int64_t max, int64_t *out, sm_err_t *err);

/*  The service's init hook: read the settings and keep them as the
    service's user state. Returns 0, or -1 with err naming the bad setting. */
int settings_init(sm_service_t *svc, sm_err_t *err);

/*  The fini hook: free them. Safe when init failed. */
void settings_fini(sm_service_t *svc);

/*  The settings, from a handler. Never NULL once the service runs. */
const settings_t *settings_of(sm_ctx_t *ctx);

#endif
