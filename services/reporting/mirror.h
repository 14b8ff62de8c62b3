/*  services/reporting/mirror.h - what reporting learns from the other services' events.

    Reporting owns reports, outcomes and the youth report; everything else
    it counts comes from events (proto/PROTOCOL.md §3), kept in local tables
    keyed by ID number:

        db            key            value (MessagePack map)
        themes        T number       {id, municipalities, title, question, youth_relevant,
                                      status, years}
        sessions      S number       {id, theme, method, status, held_on, target_groups,
                                      municipalities}
        participants  P number       {id, municipality, target_groups, labels, age_band}
        attendance    (P, S) numbers {attended}

    municipalities (statistics-office codes) say whom a local theme or a
    session is for; records stored before they were kept have none, which
    reads as regional (rebuild reporting's store to have them: see
    proto/ops-reporting.md).

    Only IDs and coarse attributes: no names, contact details or residents'
    text ever reach these tables (the events carry none). When intake erases
    a participant, their attribute record is dropped; their attendance rows
    stay, holding nothing but two ID numbers, so that the programme's counts
    (sessions, attendances, unique participants) do not change.

    A session counts as held when its status is "held" and its day is known
    (scheduling.session.held carries held_on). An attendance recorded for a
    session reporting has not heard of yet creates that session from the
    attendance event's theme, method and held_on, so that no attendance is
    lost to the order in which two logs are read.

    Follows: scheduling "scheduling.theme.", "scheduling.session.",
    "scheduling.attendance."; intake "intake.participant.".
*/
#ifndef SAMEN_REPORTING_MIRROR_H
#define SAMEN_REPORTING_MIRROR_H

#include "../../common/date.h"
#include "../../common/service.h"
#include <stdbool.h>
#include <stdint.h>

#define MIRROR_TITLE_SIZE 256
#define MIRROR_QUESTION_SIZE 1024
/*  Most items kept from one list in an event (target groups, labels). */
#define MIRROR_LIST_MAX 32
/*  Longest single text kept from an event (titles, questions, items). */
#define MIRROR_TEXT_MAX 4000

typedef struct {
    uint64_t id;
    char title[MIRROR_TITLE_SIZE];
    char question[MIRROR_QUESTION_SIZE];
    bool youth_relevant;
} mirror_theme_t;

typedef struct {
    uint64_t id;
    uint64_t theme; //  0 when not known
    char method[8];
    char status[16];
    bool held; //  status "held" and held_on known
    bool has_held_on;
    sm_date_t held_on;
} mirror_session_t;

/*  Event handlers (see sm_follow_t). Events they cannot use are skipped
    (0); an event missing its ID is refused (-1, logged by the framework). */
int on_scheduling_theme(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data);
int on_scheduling_session(sm_ctx_t *ctx, const char *type, uint64_t seq,
                          const msgpack_object *data);
int on_scheduling_attendance(sm_ctx_t *ctx, const char *type, uint64_t seq,
                             const msgpack_object *data);
int on_intake_participant(sm_ctx_t *ctx, const char *type, uint64_t seq,
                          const msgpack_object *data);

/*  Look a theme or session up by number. Returns 1 found (out filled), 0
    not known, -1 with the context's error set. */
int mirror_theme_get(sm_ctx_t *ctx, uint64_t id, mirror_theme_t *out);
int mirror_session_get(sm_ctx_t *ctx, uint64_t id, mirror_session_t *out);

/*  Refuse an unknown theme or session: fills the context's error (not_found,
    field) and returns -1; returns 0 with out filled when known. */
int mirror_theme_require(sm_ctx_t *ctx, uint64_t id, const char *field, mirror_theme_t *out);
int mirror_session_require(sm_ctx_t *ctx, uint64_t id, const char *field, mirror_session_t *out);

/*  op participant.export {participant}: what reporting holds about that
    ID (coarse attributes and attendance; no names, contact details or
    texts) and who accessed it. The attributes and the session rows go only
    to a caller who sees personal fields (proto/ops_reporting.c); others
    get the counts. */
int op_participant_export(sm_ctx_t *ctx, const msgpack_object *args);

#endif
