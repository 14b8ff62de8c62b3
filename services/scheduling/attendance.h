/*  services/scheduling/attendance.h - who came to a session that was held.

    Ops:    attendance.record, attendance.list
    Events: scheduling.attendance.recorded {session, participant, attended,
                theme, method, held_on, reimbursement_cents}
            finance turns an attended one into a reimbursement entitlement;
            reporting counts them. reimbursement_cents is the amount the
            session offers per participant for someone who attended, and 0
            for a no-show or when the session offers none.

    Attendance is recorded once the session is held, per participant:
    attended or no-show. Registered and waitlisted participants can be
    recorded; somebody who came without registering is recorded as a
    walk-in. What is recorded is not changed afterwards (finance has acted
    on it); recording the same again is harmless. The rule is
    attendance_check in registration_rules.h.
*/
#ifndef SAMEN_SCHEDULING_ATTENDANCE_H
#define SAMEN_SCHEDULING_ATTENDANCE_H

#include "common/service.h"

/*  What is recorded for one participant at one session (stored as
    {attended, walk_in, recorded_ms}). */
typedef struct {
    bool attended;
    bool walk_in; //  came without a place on the list
    int64_t recorded_ms;
} attendance_row_t;

/*  The attendance recorded for P<pid> at S<sid> into *row. Returns 1 when
    one is recorded, 0 when none, -1 with the ctx error set (a damaged row). */
int attendance_get(sm_ctx_t *ctx, uint64_t sid, uint64_t pid, attendance_row_t *row);

int op_attendance_record(sm_ctx_t *ctx, const msgpack_object *args);
int op_attendance_list(sm_ctx_t *ctx, const msgpack_object *args);

#endif
