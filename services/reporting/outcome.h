/*  services/reporting/outcome.h - outcome items: the requests.

    What residents brought in per theme and what was done with it (rules in
    outcome_rules.h). Databases:

        outcomes           U number   {id, theme, sessions, brought_in, done, effect,
                                       status, reason, follow_up, created_ms, updated_ms,
                                       owner, deputy}
        outcomes_by_theme  (T, U)     {}

    An item may have an owner and a deputy from the programme's own people
    (W3, common/owner.h), who see to it that something is done with the
    input: set with outcome.add or outcome.update, filtered on with
    outcome.list {owner}, handed over when the owner leaves (an item is
    open while open or in progress).

    Ops: outcome.add, outcome.update, outcome.get, outcome.list.
    Events: reporting.outcome.recorded, reporting.outcome.updated
    ({id, theme, status}: the texts are the programme's own but may quote
    residents, so they are fetched with outcome.get, never broadcast);
    reporting.outcome.assigned {id, owner, deputy}: its owners changed;
    reporting.handover.applied {person, successor, items}: a person left.
*/
#ifndef SAMEN_REPORTING_OUTCOME_H
#define SAMEN_REPORTING_OUTCOME_H

#include "../../common/owner.h"
#include "../../common/service.h"

int op_outcome_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_outcome_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_outcome_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_outcome_list(sm_ctx_t *ctx, const msgpack_object *args);

/*  Outcome items as things people own (common/owner.h). An array ended by
    letter 0. */
extern const sm_owned_kind_t outcome_owned_kinds[];

/*  Follower of intake.person.*: keeps the people reporting knows and, when
    one leaves, hands their open outcome items over (common/owner.h). */
int on_intake_person(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data);

#endif
