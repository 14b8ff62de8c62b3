/*  services/scheduling/registration.h - registrations, the waitlist and invitations: the store and the ops.

    Ops:    registration.create, registration.cancel, registration.list,
            invite.list, invite.mark
    Events: scheduling.registration.created {session, participant, status,
                position}
            scheduling.registration.cancelled {session, participant}
            scheduling.registration.promoted {session, participant}

    Who gets a place is decided by registration_rules.h (capacity, the
    waitlist in order, promotion); who may be invited by invite_rank. This
    file loads a session's list, asks the rule, stores the list back and
    emits. Every write runs in its own nested transaction, one after the
    other (common/service.h), so a capacity check and the write it allows
    can never interleave with another registration.
*/
#ifndef SAMEN_SCHEDULING_REGISTRATION_H
#define SAMEN_SCHEDULING_REGISTRATION_H

#include "common/service.h"
#include "registration_rules.h"
#include "session.h"

/*  The registration list of session s. Returns the list (caller destroys),
    or NULL with the ctx error set. */
reglist_t *registration_load(sm_ctx_t *ctx, const session_rec_t *s);

/*  Store list as session S<session_id>'s. Returns 0 or -1 (ctx error). */
int registration_store(sm_ctx_t *ctx, uint64_t session_id, const reglist_t *list);

/*  Registered and waitlisted counts of session s (for replies). Returns 0,
    or -1 with the ctx error set. */
int registration_counts(sm_ctx_t *ctx, const session_rec_t *s, long *registered,
                        long *waitlisted);

/*  Change s's capacity to capacity: waitlisted participants move into new
    places in order (a .promoted event each); lowering below the number
    registered is refused (field "capacity"). Returns 0 or -1 (ctx error). */
int registration_set_capacity(sm_ctx_t *ctx, const session_rec_t *s, int64_t capacity);

/*  Take P<participant_id> out of every session still to come (planned or
    confirmed): cancelled there (erase false: consent withdrawn), or removed
    altogether with their invitations (erase true: erased in intake). A
    freed place goes to the waitlist. Emits .cancelled and .promoted.
    Held sessions keep their list and attendance. Returns 0 or -1. */
int registration_withdraw_participant(sm_ctx_t *ctx, uint64_t participant_id, bool erase);

/*  When P<pid> was marked invited to S<sid> (invite.mark). Returns 1 with
    *invited_ms set, 0 when not invited, -1 with the ctx error set. */
int registration_invited(sm_ctx_t *ctx, uint64_t sid, uint64_t pid, int64_t *invited_ms);

int op_registration_create(sm_ctx_t *ctx, const msgpack_object *args);
int op_registration_cancel(sm_ctx_t *ctx, const msgpack_object *args);
int op_registration_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_invite_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_invite_mark(sm_ctx_t *ctx, const msgpack_object *args);

#endif
