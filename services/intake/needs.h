/*  services/intake/needs.h - what the people registered for a session need
    to take part: the taxi, the interpreter, the room.

    Accessibility needs (transport, interpreter, easy_language, wheelchair,
    hearing_loop, sign_language) are kept per person in the address file
    and can reveal health, so they are personal. Intake holds them and
    scheduling holds who registered for which session; participant.needs
    asks scheduling for the session's list (registration.list, through the
    broker, at most export_timeout_ms per try) and counts here, so that the
    needs never leave intake except in this reply:

        op participant.needs {session}
            {session, session_status, registered, waitlisted,
             needs: [{need, registered, waitlisted}]   every need, in order
             people: [{participant, status, name, phone, needs}] | nil
             not_in_file: [P-ids]}                      (erased, or unknown)

    Everyone who reads the programme's data gets the counts per need;
    only the coordinator and admin get who needs what (the people list:
    declared personal, and each person listed is named in the audit log).
    Needs are never in an event, a log line, a statistic per person or
    anything published.

    The counting is a plain function (needs_count).
*/
#ifndef SAMEN_INTAKE_NEEDS_H
#define SAMEN_INTAKE_NEEDS_H

#include "common/service.h"
#include "validate.h"

/*  Counts per need (index i counts bit 1u << i of the masks). */
typedef struct {
    uint64_t registered[PARTICIPANT_NEED_COUNT];
    uint64_t waitlisted[PARTICIPANT_NEED_COUNT];
    uint64_t people_registered; /*  registered people with at least one need */
    uint64_t people_waitlisted;
} needs_counts_t;

/*  Add one person's needs (a mask of PARTICIPANT_NEED_* bits; unknown bits
    ignored) to c, as registered or on the waitlist. Can't fail. */
void needs_count(needs_counts_t *c, unsigned needs, bool waitlisted);

int op_participant_needs(sm_ctx_t *ctx, const msgpack_object *args);

#endif
