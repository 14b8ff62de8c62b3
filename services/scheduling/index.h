/*  services/scheduling/index.h - the service's databases and how their keys are laid out.

        db                    key                                   value
        themes                theme id (8 bytes BE)                 theme record (map)
        sessions              session id                            session record
        registrations         session id                            the session's list
                                                                    [[participant, status, seq], ...]
        participants          participant id                        coarse attributes from intake
        attendance            session id + participant id           {attended, walk_in, recorded_ms}
        invites               session id + participant id           {invited_ms}
        theme_sessions        theme id + session id                 (empty)
        participant_sessions  participant id + session id           (empty)
        facilitator_sessions  facilitator (lower case) NUL + session id   (empty)
        municipalities        code                                  (common/municipalities.h)

    Pair keys are 16 bytes, both halves big-endian, so a cursor positioned
    at (a, 0) walks every b of a in order.
*/
#ifndef SAMEN_SCHEDULING_INDEX_H
#define SAMEN_SCHEDULING_INDEX_H

#include "common/service.h"

#define DB_THEMES "themes"
#define DB_SESSIONS "sessions"
#define DB_REGISTRATIONS "registrations"
#define DB_PARTICIPANTS "participants"
#define DB_ATTENDANCE "attendance"
#define DB_INVITES "invites"
#define DB_THEME_SESSIONS "theme_sessions"
#define DB_PARTICIPANT_SESSIONS "participant_sessions"
#define DB_FACILITATOR_SESSIONS "facilitator_sessions"

/*  Longest facilitator identifier in an index key. */
#define INDEX_FACILITATOR_MAX 64

/*  Encode (a, b) as a 16-byte key. Can't fail. */
void index_pair_key(uint64_t a, uint64_t b, uint8_t out[16]);

/*  Put / delete the pair (a, b) in dbi with an empty value (put) or
    whatever value (del). Return 0 or -1 with the ctx error set. */
int index_pair_put(sm_ctx_t *ctx, const char *db, uint64_t a, uint64_t b);
int index_pair_del(sm_ctx_t *ctx, const char *db, uint64_t a, uint64_t b);

/*  Every b paired with a in db, in order, into a malloc'd array (*out,
    caller frees; NULL when none). Returns the count, or -1 with the ctx
    error set. */
long index_pair_list(sm_ctx_t *ctx, const char *db, uint64_t a, uint64_t **out);

/*  The facilitator index: key = lower-cased facilitator, NUL, session id.
    Return 0 or -1 with the ctx error set. */
int index_facilitator_put(sm_ctx_t *ctx, const char *facilitator, uint64_t session_id);
int index_facilitator_del(sm_ctx_t *ctx, const char *facilitator, uint64_t session_id);
/*  The sessions of a facilitator, as index_pair_list. */
long index_facilitator_list(sm_ctx_t *ctx, const char *facilitator, uint64_t **out);

#endif
