/*  services/intake/review.h - keeping the address file current
    (adresbestand actueel): the review of old consents and silent contacts,
    and the last contact samen learns from scheduling's attendance.

    Ops:    participant.review {as_of, period, reason, limit, after}
                everyone active or paused whose consent (or a guardian's
                consent still needed) is older than the review period
                (intake/review_period, default 2y), who needs a guardian's
                consent and has none, or with whom samen has had no contact
                for that long (consent.h defines contact); each with the
                reasons, the days, and (coordinator, admin) how to reach
                them. Counts per reason over the whole file; paged by ID.
    Follows: scheduling "scheduling.attendance.": a session attended is
                contact on its held_on day (the record's last_contact moves
                up; nothing is announced: it is not a change of the person's
                data).
*/
#ifndef SAMEN_INTAKE_REVIEW_H
#define SAMEN_INTAKE_REVIEW_H

#include "common/service.h"

int op_participant_review(sm_ctx_t *ctx, const msgpack_object *args);

/*  The event handler for scheduling.attendance.recorded (sm_follow_t).
    Other events, unknown or erased participants and no-shows change
    nothing. Returns 0, or -1 (logged; the cursor moves on). */
int on_scheduling_attendance(sm_ctx_t *ctx, const char *type, uint64_t seq,
                             const msgpack_object *data);

#endif
