/*  services/scheduling/store.h - the service's databases and how their keys are laid out.

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

    Records, indexes and pair keys are common/record.h's: a pair key is two
    8-byte big-endian numbers (sm_key_pair), so the entries of one first
    number lie together in order of the second, and an index's prefix is
    the first 8 bytes (or the facilitator and its NUL).
*/
#ifndef SAMEN_SCHEDULING_STORE_H
#define SAMEN_SCHEDULING_STORE_H

#include "common/record.h"

#define DB_THEMES "themes"
#define DB_SESSIONS "sessions"
#define DB_REGISTRATIONS "registrations"
#define DB_PARTICIPANTS "participants"
#define DB_ATTENDANCE "attendance"
#define DB_INVITES "invites"
#define DB_THEME_SESSIONS "theme_sessions"
#define DB_PARTICIPANT_SESSIONS "participant_sessions"
#define DB_FACILITATOR_SESSIONS "facilitator_sessions"

#endif
