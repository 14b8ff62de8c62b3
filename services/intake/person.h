/*  services/intake/person.h - the programme's own people (medewerkers):
    project leaders, the coordinator and co-coordinator, policy officers.

    Not residents: these are the people who answer for the programme's
    items as their owner or deputy (common/owner.h). A person (W3) has a
    name and optionally an e-mail address (personal data: never in events,
    logs or the replies to writes), a role (coordinator, co_coordinator,
    project_leader, policy_officer, other) and is active until they leave.
    Intake holds the names; the other services know a person by ID only,
    from the events below.

        db          key                               value
        persons     M number                          {id, name, role, email, active,
                                                       left_on, successor, created_ms,
                                                       updated_ms}
        m_names     folded name, NUL, M number        (empty): a name to its person
        handovers   M number + service number (16)    {items: [...], applied_ms}: what
                                                       each service handed over (0 intake,
                                                       1 scheduling, 2 reporting, 3 finance)
        staff, owned                                  common/owner.h (intake keeps them too)

    A person is named in a request by ID (W3) or by name: the whole name,
    ignoring case, accents and extra spaces; a name two people share is
    refused, naming both IDs. Two people with the same name are refused at
    person.add unless `force`.

    Leaving (person.leave W3 [--handover-to W5] [--date D]): the person is
    no longer active, and everything open they own or deputise for is
    handed over, in every service, exactly once (common/owner.h has the
    rules). Intake hands over its advice items in the same transaction as
    the leave and emits intake.person.left; each other service applies that
    event in the transaction that moves its cursor and reports back with
    "<service>.handover.applied", which intake records. person.handover
    shows the whole list as it stands: what went to whom, which items have
    no owner now (they had no deputy and no successor was named), and which
    services have not reported yet. A person who left does not come back
    (add them again: a new ID).

    Ops:     person.add, person.update, person.get, person.list, person.leave,
             person.handover
    Events:  intake.person.added {id, active: true}
             intake.person.left {id, active: false, successor, left_on}
             intake.handover.applied {person, successor, items}
    Follows: scheduling.handover., reporting.handover., finance.handover.
*/
#ifndef SAMEN_INTAKE_PERSON_H
#define SAMEN_INTAKE_PERSON_H

#include "common/owner.h"
#include "common/service.h"
#include <stdbool.h>
#include <stdint.h>

#define PERSON_DBS "persons", "m_names", "handovers", SM_OWNER_DBS

/*  The services that hand over, in the order person.handover lists them. */
#define PERSON_SERVICES 4
extern const char *const person_services[PERSON_SERVICES];

/*  The index of service in person_services, or -1. Can't fail. */
int person_service_index(const char *service, size_t len);

int op_person_add(sm_ctx_t *ctx, const msgpack_object *args);
int op_person_update(sm_ctx_t *ctx, const msgpack_object *args);
int op_person_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_person_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_person_leave(sm_ctx_t *ctx, const msgpack_object *args);
int op_person_handover(sm_ctx_t *ctx, const msgpack_object *args);

/*  Follower of "<service>.handover.applied" (scheduling, reporting,
    finance): keep what the service handed over for person.handover.
    Returns 0, or -1 for an event without a person (logged, skipped). */
int on_handover_applied(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data);

#endif
