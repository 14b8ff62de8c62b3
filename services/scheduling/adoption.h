/*  services/scheduling/adoption.h - the portfolio holders' adoption of a
    year's agenda (vaststelling door het portefeuillehoudersoverleg).

    The agenda the programme puts to the portfolio holders is "onder
    voorbehoud van besluitvorming" until they adopt it; the adoption is a
    decision of a body on a date with a reference. Each is recorded
    against the agenda year, newest last (an agenda adopted in autumn and
    amended in spring has two), and agenda.show carries them.

    Ops:    agenda.adopt {year, body, date, decision}
    Event:  scheduling.agenda.adopted {year, body, adopted_on, decision}
            (a body's name and a decision reference: no personal data)

        db                key            value
        agenda_adoptions  year (8 bytes) {year, adoptions: [{body, adopted_on,
                                          decision, recorded_ms}]}

    The rule (adoption_check) is a plain function.
*/
#ifndef SAMEN_SCHEDULING_ADOPTION_H
#define SAMEN_SCHEDULING_ADOPTION_H

#include "common/date.h"
#include "common/service.h"

#define DB_AGENDA_ADOPTIONS "agenda_adoptions"
#define ADOPTION_TEXT_MAX 200 //  characters of a body's name or a decision reference
#define ADOPTIONS_MAX 20      //  adoptions of one year's agenda

typedef struct {
    char body[ADOPTION_TEXT_MAX * 4 + 1];     //  "Portefeuillehoudersoverleg Sociaal Domein"
    sm_date_t adopted_on;
    char decision[ADOPTION_TEXT_MAX * 4 + 1]; //  the decision's reference, "PHO 2019-10-03/4"
    int64_t recorded_ms;
} adoption_t;

/*  May a adopt the agenda of year, given the adoptions already recorded
    (earlier, n) and today? Refused: a date after today (invalid_argument,
    field "date"); a date more than a year before the agenda year begins
    or after it ended (invalid_argument, field "date": a typo in the
    year); the same body, date and decision again (already_exists, field
    "decision"); more than ADOPTIONS_MAX (resource_exhausted). Returns 0,
    or -1 with err. */
int adoption_check(const adoption_t *a, int year, const adoption_t *earlier, size_t n,
                   sm_date_t today, sm_err_t *err);

/*  The adoptions of year's agenda into out (room for ADOPTIONS_MAX), oldest
    first. Returns the count (0 when not adopted), or -1 (ctx error). */
long adoption_load(sm_ctx_t *ctx, int year, adoption_t *out);

/*  Pack "adoptions": [{body, adopted_on, decision}] of year. Returns 0 or
    -1 (ctx error; nothing packed then). */
int adoption_pack_year(sm_ctx_t *ctx, msgpack_packer *pk, int year);

int op_agenda_adopt(sm_ctx_t *ctx, const msgpack_object *args);

#endif
