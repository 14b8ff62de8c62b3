/*  services/reporting/outcome_rules.h - what came out of a theme and what was done with it.

    Per theme the programme records outcome items (opbrengst): what
    residents brought in, in one or more sessions; what was done with it;
    where it stands; and the follow-up (vervolg). Residents rarely hear what
    happened with their input, the programme's most named weakness, so an
    item that was not adopted must say why.

    An item:
        brought_in   required text: what residents brought in
        sessions     1..OUTCOME_SESSIONS_MAX sessions it came from (the
                     service checks they are sessions of the item's theme)
        done         optional text: what was done with it
        effect       none, adopted_in_plan (taken up in a policy plan) or
                     changed_decision (a decision was changed because of it)
        status       open, in_progress, done or not_adopted (overview.h)
        reason       required when not adopted: why
        follow_up    optional text: what happens next

    An item that was not adopted cannot have been adopted in a plan or have
    changed a decision. Texts are UTF-8 of at most OVERVIEW_TEXT_MAX bytes.

    In the documents (yearly overview, passage) "what was done" reads as
    the effect and the text: "Adopted in a plan: Added to the 2020 plan.",
    "Changed a decision." or just the text; a theme's follow-up is the
    follow-ups of its items, each ended with a full stop, joined by spaces.
*/
#ifndef SAMEN_REPORTING_OUTCOME_RULES_H
#define SAMEN_REPORTING_OUTCOME_RULES_H

#include "../../common/strbuf.h"
#include "common/err.h"
#include "overview.h"
#include <stddef.h>

/*  Most sessions one item can be linked to. */
#define OUTCOME_SESSIONS_MAX 32

typedef enum {
    OUTCOME_EFFECT_NONE = 0,
    OUTCOME_EFFECT_ADOPTED_IN_PLAN,
    OUTCOME_EFFECT_CHANGED_DECISION
} outcome_effect_t;

/*  An outcome item as the rules see it. Strings are borrowed. */
typedef struct {
    const char *brought_in;
    size_t n_sessions;
    const char *done;
    outcome_effect_t effect;
    overview_status_t status;
    const char *reason;
    const char *follow_up;
} outcome_t;

/*  Returns "none", "adopted_in_plan" or "changed_decision" (static), or
    "?" outside the enum. */
const char *outcome_effect_name(outcome_effect_t effect);

/*  Parse an effect name as above (also "adopted in plan", "changed
    decision"). Returns 0, or -1 with err (invalid_argument, field) listing
    the names accepted. */
int outcome_effect_parse(const char *text, outcome_effect_t *out, const char *field, sm_err_t *err);

/*  Check an item before it is stored. Returns 0, or -1 with err
    (invalid_argument; field "brought_in", "sessions", "done", "effect",
    "status", "reason" or "follow_up"). */
int outcome_check(const outcome_t *o, sm_err_t *err);

/*  Append what was done with the item as it reads in a document (see
    above); nothing when there is neither an effect nor a text. Can't fail
    visibly: an allocation failure marks sb failed. */
void outcome_put_what_was_done(strbuf_t *sb, const outcome_t *o);

/*  Append the follow-ups items[0..n) as one text: blank ones and exact
    repeats (after trimming) left out, each ended with ".", "!" or "?"
    (a full stop is added when it has none), joined by one space. Nothing
    when all are blank. Can't fail visibly (sb marked failed). */
void outcome_put_follow_ups(strbuf_t *sb, const char *const *items, size_t n);

#endif
