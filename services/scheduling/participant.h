/*  services/scheduling/participant.h - scheduling's copy of who exists, from intake's events.

    intake owns participants and is the only holder of their names and
    contact details. scheduling keeps, per participant ID, only what it
    needs to decide registrations and invitations, as intake announces it
    (PROTOCOL.md §3):

        intake.participant.registered / .updated
            {id, status, municipality, target_groups, labels, themes,
             age_band, channel, consent}   -> stored (themes and channel not)
        intake.participant.consent_withdrawn {id}
            -> consent false; removed from sessions still to come
        intake.participant.erased {id}
            -> the attributes are dropped (a tombstone stays so the ID is
               never taken for somebody new), and the participant is removed
               from sessions still to come; past attendance stays, under the
               bare ID, which intake no longer links to a person

    A participant may be registered for a session when known, not erased,
    active and with consent. "Sessions still to come" are those planned or
    confirmed (not held, not cancelled).
*/
#ifndef SAMEN_SCHEDULING_PARTICIPANT_H
#define SAMEN_SCHEDULING_PARTICIPANT_H

#include "common/service.h"
#include <stdbool.h>
#include <stdint.h>

#define PARTICIPANT_GROUPS_MAX 16
#define PARTICIPANT_GROUP_SIZE 65 //  64 bytes and the NUL
#define PARTICIPANT_MUNI_SIZE 101

typedef struct {
    uint64_t id; //  P<id>
    char status[16]; //  "active", "paused", "withdrawn" (as intake says), "erased"
    char municipality[PARTICIPANT_MUNI_SIZE]; //  code when known to finance, "" when none
    char target_groups[PARTICIPANT_GROUPS_MAX][PARTICIPANT_GROUP_SIZE];
    size_t n_target_groups;
    char labels[PARTICIPANT_GROUPS_MAX][PARTICIPANT_GROUP_SIZE];
    size_t n_labels;
    char age_band[16];
    bool consent;
    bool erased;
    uint32_t times_attended; //  sessions attended, for "first-timers first"
} participant_t;

/*  Load P<id>. Returns 1 found, 0 unknown, -1 with the ctx error set. */
int participant_load(sm_ctx_t *ctx, uint64_t id, participant_t *out);

/*  Store p. Returns 0 or -1 with the ctx error set. */
int participant_store(sm_ctx_t *ctx, const participant_t *p);

/*  Load P<id> and check that it may take a place in a session: known
    (SM_E_NOT_FOUND otherwise), not erased (SM_E_NOT_FOUND), active and
    with consent (SM_E_FAILED_PRECONDITION). Errors name field. Returns 0,
    or -1 with the ctx error set. */
int participant_require_eligible(sm_ctx_t *ctx, uint64_t id, const char *field,
                                 participant_t *out);

/*  Load P<id> and check only that it is known and not erased (for
    recording attendance). Returns 0, or -1 with the ctx error set. */
int participant_require_known(sm_ctx_t *ctx, uint64_t id, const char *field,
                              participant_t *out);

/*  True when p may be approached: active, consent, not erased. */
bool participant_approachable(const participant_t *p);

/*  Add delta (+1 or -1) to P<id>'s sessions attended. An unknown or erased
    participant is left alone. Returns 0 or -1 with the ctx error set. */
int participant_count_attendance(sm_ctx_t *ctx, uint64_t id, int delta);

/*  Call fn for every known participant in id order; fn returns 0 to go
    on, 1 to stop, -1 on error. Returns 0, or -1 with the ctx error set. */
typedef int(participant_fn)(sm_ctx_t *ctx, const participant_t *p, void *arg);
int participant_each(sm_ctx_t *ctx, participant_fn *fn, void *arg);

/*  Event handler for intake.participant.* (see sm_follow_t). Events it
    cannot use are skipped (returns 0). */
int on_intake_participant(sm_ctx_t *ctx, const char *type, uint64_t seq,
                          const msgpack_object *data);

#endif
