/*  services/scheduling/registration_rules.h - who gets a place in a session.

    A session has a capacity. Registering takes a place while fewer than
    capacity participants are registered; after that the participant joins
    the waitlist, in order. A capacity of 0 (SESSION_CAPACITY_NONE, a
    survey) is no limit: everybody gets a place and nobody waits. When a registered participant cancels, the first
    on the waitlist is promoted. Nobody is registered twice.

    The list is a plain array the service persists as it is:

        {participant_id, status registered|waitlisted|cancelled, seq}

    seq orders the list (a higher seq came later); the waitlist position of
    a participant is 1 + the number of waitlisted entries with a lower seq.
    Cancelled entries stay, for the history; a participant who registers
    again after cancelling reuses that entry with a new seq (back of the
    queue). reglist_t holds one session's list; load it from the store, call
    a rule, store reglist_items() back.

        sm_err_t err;
        reglist_t *list = reglist_new (3, 10, &err);        //  S3, 10 places
        reglist_load (list, stored, n_stored, &err);
        reg_outcome_t got;
        if (reglist_register (list, 4, &got, &err) == 0)    //  P4
            ... got.status is REG_REGISTERED, or REG_WAITLISTED at got.position
        reglist_destroy (&list);

    Also here: ranking the participants to invite for a session
    (invite_rank), because "always the same people" is the programme's
    best-known weakness and the invite list is where it is fought.
*/
#ifndef SAMEN_SCHEDULING_REGISTRATION_RULES_H
#define SAMEN_SCHEDULING_REGISTRATION_RULES_H

#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { REG_REGISTERED, REG_WAITLISTED, REG_CANCELLED, REG_STATUS_COUNT } reg_status_t;

typedef struct {
    uint64_t participant_id; //  P<id>
    reg_status_t status;
    uint64_t seq; //  order of arrival within the session, unique, > 0
} registration_t;

//  What a register call did.
typedef struct {
    reg_status_t status; //  REG_REGISTERED or REG_WAITLISTED
    size_t position;     //  waitlist position (1 = next in line); 0 when registered
    uint64_t seq;        //  the entry's seq
} reg_outcome_t;

typedef struct _reglist_t reglist_t;

/*  Returns the status as a word ("registered", "waitlisted", "cancelled"),
    or "?" when out of range. Static string. */
const char *reg_status_name(reg_status_t status);

/*  Create an empty list for session S<session_id> with capacity places.
    Returns the list, or NULL with err: SM_E_INVALID_ARGUMENT when capacity
    is outside 0..10000 (field "capacity"; 0: no limit), SM_E_RESOURCE_EXHAUSTED when out
    of memory. */
reglist_t *reglist_new(uint64_t session_id, int64_t capacity, sm_err_t *err);

/*  Destroy the list and set *self_p to NULL. Safe on NULL and twice. */
void reglist_destroy(reglist_t **self_p);

/*  Replace the contents with n stored entries (copied). They are checked:
    participant ids and seqs non-zero, seqs unique, one entry per
    participant, a valid status, at most capacity registered, and nobody
    waitlisted while a place is free (the store must never hold that).
    Returns 0, or -1 with err (SM_E_INTERNAL: a stored list is corrupt, or
    SM_E_RESOURCE_EXHAUSTED) and the list unchanged. */
int reglist_load(reglist_t *self, const registration_t *items, size_t n, sm_err_t *err);

/*  The entries, in the order they are kept (by seq ascending); *n gets the
    count. The pointer is the list's, valid until the next change. */
const registration_t *reglist_items(const reglist_t *self, size_t *n);

/*  Counts by status. Can't fail. */
size_t reglist_registered(const reglist_t *self);
size_t reglist_waitlisted(const reglist_t *self);
int64_t reglist_capacity(const reglist_t *self);

/*  Status of participant_id in *status, and in *position its waitlist
    position (0 when not waitlisted); either may be NULL. Returns 0, or -1
    when the participant has no entry (nothing is set then). */
int reglist_lookup(const reglist_t *self, uint64_t participant_id, reg_status_t *status,
                   size_t *position);

/*  Register participant_id: registered while a place is free, else
    waitlisted at the back. Returns 0 with *outcome filled (outcome may be
    NULL), or -1 with err: SM_E_ALREADY_EXISTS, field "participant",
    "participant P4 is already registered for S3" / "participant P4 is
    already on the waitlist for S3 at position 2"; SM_E_INVALID_ARGUMENT for
    id 0; SM_E_RESOURCE_EXHAUSTED when out of memory. Nothing changes on
    error. */
int reglist_register(reglist_t *self, uint64_t participant_id, reg_outcome_t *outcome,
                     sm_err_t *err);

/*  Cancel participant_id's registration or waitlist place. When a
    registered participant cancels and somebody is waiting, the first on the
    waitlist is registered and *promoted gets their id; otherwise *promoted
    gets 0 (promoted may be NULL). Returns 0, or -1 with err: SM_E_NOT_FOUND
    ("participant P4 is not registered for S3"), SM_E_FAILED_PRECONDITION
    when already cancelled. Nothing changes on error. */
int reglist_cancel(reglist_t *self, uint64_t participant_id, uint64_t *promoted, sm_err_t *err);

/*  Change the capacity. Raising it promotes waitlisted participants in
    order into the new places; their ids are written to promoted (room for
    max_promoted; may be NULL when max_promoted is 0) and *n_promoted gets
    how many were promoted in all (may be NULL). Lowering it below the number
    registered is refused: places already given are not taken back.
    Returns 0, or -1 with err (SM_E_INVALID_ARGUMENT for a capacity outside
    0..10000, SM_E_FAILED_PRECONDITION when below the number registered;
    0 is no limit and lets the whole waitlist in).
    Nothing changes on error. */
int reglist_set_capacity(reglist_t *self, int64_t capacity, uint64_t *promoted, size_t max_promoted,
                         size_t *n_promoted, sm_err_t *err);

/*  Remove participant_id's entry altogether (the participant was erased:
    nothing about them stays in a session that has not happened). A
    registered participant's place goes to the first on the waitlist, whose
    id is written to *promoted (0 when nobody was promoted or there was no
    entry; promoted may be NULL). Returns 1 when an entry was removed, 0
    when there was none. Can't fail. */
int reglist_remove(reglist_t *self, uint64_t participant_id, uint64_t *promoted);

/* ==== Attendance ======================================================== */

//  What is already recorded for a participant at a session.
typedef enum { ATTEND_NONE = -1, ATTEND_NO_SHOW = 0, ATTEND_PRESENT = 1 } attend_recorded_t;

/*  May attendance (attended or not) be recorded for participant_id, given
    the session's list and what is recorded already? Registered and
    waitlisted participants (someone from the waitlist may come when a
    registered one does not) may be recorded; anybody else only as a walk-in
    (walk_in true), and a walk-in is always recorded as attended. A recorded
    value is not changed afterwards, because finance has already acted on it.
    Returns 1 when it should be recorded, 0 when exactly this is recorded
    already (nothing to do), or -1 with err (field "participant"):
    SM_E_FAILED_PRECONDITION for a participant not on the list without
    walk_in, a walk-in recorded as absent, or a change of what is recorded. */
int attendance_check(const reglist_t *list, uint64_t participant_id, bool walk_in,
                     attend_recorded_t recorded, bool attended, sm_err_t *err);

/* ==== Invite list ranking =============================================== */

//  A participant who might be invited. Strings are borrowed.
typedef struct {
    uint64_t participant_id;
    const char *municipality;         //  name or statistics-office code, as stored
    const char *const *target_groups; //  e.g. "youth", "foster-parents"
    size_t n_target_groups;
    bool consent;            //  agreed to be approached
    uint32_t times_attended; //  sessions attended so far
    bool already_invited;    //  to this session
} invite_candidate_t;

//  Who the session wants. An empty list means "anyone".
typedef struct {
    const char *const *municipalities;
    size_t n_municipalities;
    const char *const *target_groups; //  a candidate needs at least one of them
    size_t n_target_groups;
    //  Never-attended first, then fewest attended: against "always the same
    //  people". Without it the order is by participant id.
    bool first_timers_first;
    size_t limit; //  at most this many; 0 = no limit
} invite_filter_t;

/*  Rank candidates for an invitation: keep those with consent, not yet
    invited, in one of the filter's municipalities and sharing one of its
    target groups (names compared ignoring ASCII case), and order them (see
    invite_filter_t; ties by participant id). Writes the ids to out, which
    must have room for n (or for filter->limit, when smaller).
    Returns the number written, or -1 with err (SM_E_RESOURCE_EXHAUSTED). */
long invite_rank(const invite_candidate_t *candidates, size_t n, const invite_filter_t *filter,
                 uint64_t *out, sm_err_t *err);

#endif
