/*  services/reporting/outcome.h - outcome items: the requests.

    What residents brought in per theme and what was done with it (rules in
    outcome_rules.h). Databases:

        outcomes           U number   {id, theme, sessions, brought_in, done, effect,
                                       status, reason, follow_up, created_ms, updated_ms}
        outcomes_by_theme  (T, U)     {}

    Ops: outcome.add, outcome.update, outcome.get, outcome.list.
    Events: reporting.outcome.recorded, reporting.outcome.updated
    ({id, theme, status}: the texts are the programme's own but may quote
    residents, so they are fetched with outcome.get, never broadcast).
*/
#ifndef SAMEN_REPORTING_OUTCOME_H
#define SAMEN_REPORTING_OUTCOME_H

#include "../../common/service.h"

int op_outcome_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_outcome_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_outcome_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_outcome_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
