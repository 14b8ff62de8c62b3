/*  services/reporting/reaction.h - residents' reactions to a published report.

    Every session report goes to its participants (DOMAIN.md §3), and some
    write or call back: "that is not what I said", "thank you", "what will
    happen now?". A reaction is recorded against the report it answers,
    with who reacted (a participant ID) and the day it came in. Its text is
    the resident's own words, so it is personal data:

      - kept only here, shown only to the coordinator and admin
        (report.reactions, declared personal); other roles see that there
        are reactions, when and from which ID;
      - never in an event (reporting.report.reacted carries IDs and a date),
        never in a log line, never in a write's stored reply, and never in
        anything published (the report's text, the yearly overview, the
        decision passage and the youth report are made from reports and
        outcomes only);
      - destroyed when intake erases the participant (the reaction stays
        as a dated row without text, so that counts do not change), and
        part of the participant's right-of-access export.

    Only a published (or sent) report can be reacted to.

        db                         key                      value
        reactions                  reaction number          {report, participant, received_on,
                                                             text, recorded_ms, erased}
        reactions_by_report        R number + reaction      (empty)
        reactions_by_participant   P number + reaction      (empty)

    Ops:    report.react {report, participant, text, date}
            report.reactions {report}
    Event:  reporting.report.reacted {id, session, theme, participant,
            received_on}
*/
#ifndef SAMEN_REPORTING_REACTION_H
#define SAMEN_REPORTING_REACTION_H

#include "../../common/service.h"
#include "common/date.h"

#define REACTION_TEXT_MAX 4000 /*  characters */
#define REACTIONS_PER_REPORT_MAX 1000

/*  May a reaction received on received be recorded against a report that
    was first published on first_published (published false: never), with
    today being today? Refused: a report not published (failed_precondition,
    field "report"); a day after today or before the report was published
    (invalid_argument, field "date"); a report that already has
    REACTIONS_PER_REPORT_MAX (resource_exhausted). report_id only names the
    report in messages. Returns 0, or -1 with err. A plain function. */
int reaction_check(uint64_t report_id, bool published, sm_date_t first_published,
                   sm_date_t received, sm_date_t today, uint64_t existing, sm_err_t *err);

/*  How many reactions report R<id> has. Can't fail (0 when unreadable). */
uint64_t reaction_count(sm_ctx_t *ctx, uint64_t report_id);

/*  Destroy the texts of P<pid>'s reactions (erasure). Returns 0 or -1
    (ctx error). */
int reaction_forget_participant(sm_ctx_t *ctx, uint64_t pid);

/*  Pack "reactions": P<pid>'s reactions for the right-of-access export:
    [{report, received_on, text}] with the texts when personal, else their
    count. Returns 0 or -1 (ctx error; nothing packed then). */
int reaction_pack_for_participant(sm_ctx_t *ctx, msgpack_packer *pk, uint64_t pid, bool personal);

int op_report_react(sm_ctx_t *ctx, const msgpack_object *args);
int op_report_reactions(sm_ctx_t *ctx, const msgpack_object *args);

#endif
