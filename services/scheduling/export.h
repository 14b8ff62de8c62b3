/*  services/scheduling/export.h - participant.export: what scheduling holds about one person.

    Op: participant.export {participant: "P12"} (read), scheduling's part of
    the right of access. intake's participant.export asks for it while it
    waits (intake.h: export_timeout_ms), so this never calls intake, or any
    other service: everything comes from scheduling's own store.

        {service: "scheduling", participant: "P12",
         attributes: {status, municipality, target_groups, labels,
                      age_band, consent, times_attended} or nil (unknown),
         registrations: [{session, theme, method, when, session_status,
                          status, position}],
         invitations: [{session, theme, when, invited_at}],
         attendance: [{session, theme, method, held_on, attended, walk_in,
                       recorded_at}],
         truncated,
         accessed_by: [{ts, key, op, outcome}] (scheduling's audit log about the
                      ID: who read or changed it here, newest last, at most 100),
         note}

    The sessions are those of the participant_sessions index (store.h),
    which every registration, invitation and attendance adds to; at most
    EXPORT_SESSIONS_MAX of them, in session order (truncated says when
    there were more). An ID scheduling never heard of gives nil attributes
    and empty lists, not an error: the person may simply have no part here.
    After an erasure the attributes are the tombstone (status "erased") and
    what stays is bare IDs: held sessions and their attendance.
*/
#ifndef SAMEN_SCHEDULING_EXPORT_H
#define SAMEN_SCHEDULING_EXPORT_H

#include "common/service.h"

/*  Most sessions listed in one export. */
#define EXPORT_SESSIONS_MAX 1000

/*  participant.export. Returns 0 with the reply packed, or -1 with the ctx
    error set (invalid_argument naming "participant", or a damaged store). */
int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args);

#endif
