/*  common/vocab.h - the programme's fixed words, one table per kind, for output and input.

    Methods, policy-cycle phases, domains, statuses, labels, target groups,
    accessibility needs, kinds of advice and their outcomes, support tasks:
    each is a table of entries

        code        what travels on the wire and in --json ("FG", "social_support")
        name        how an English reader reads it ("focus group"); the
                    catalogue gives its Dutch ("focusgroep"), in the table's
                    context (msgctxt), so po/nl.po holds the programme's
                    own words (DOMAIN.md §10)
        aliases     other spellings people type ("groepsgesprek|F")

    The wire keeps the codes. A person may type the code, the English name,
    the name in any language samen speaks (looked up in its catalogue, so
    Dutch is accepted in an English deployment too), or an alias.
    Comparison folds: ASCII case, spaces, hyphens and underscores are
    ignored and é/è/ê/ë read as e ("Enquête", "enquete", "ENQUÊTE").

        int i = sm_vocab_find (&SM_VOCAB_METHOD, "spiegelbijeenkomst");  //  2
        sm_vocab_code (&SM_VOCAB_METHOD, i);                             //  "SB"
        sm_vocab_name (&SM_VOCAB_METHOD, i);      //  "mirror meeting" / "spiegelbijeenkomst"
        sm_vocab_show (&SM_VOCAB_TARGET_GROUP, "statushouders");  //  shown in the reader's words

    Target groups are an open list (a participant's own words are kept as
    typed); the table knows the common ones so that they are shown in the
    reader's language, and anything else is shown as typed.
*/
#ifndef SAMEN_VOCAB_H
#define SAMEN_VOCAB_H

#include "err.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *code;
    const char *name;    /*  English; translated with the table's context */
    const char *aliases; /*  "a|b|c", or NULL */
} sm_word_t;

typedef struct {
    const char *context;  /*  msgctxt of the names, e.g. "method" */
    const char *refusal;  /*  N_() sentence: %1$s field, %2$s the text, %3$s the list */
    const sm_word_t *words;
    int count;
    bool list_codes;      /*  refusals list "FG (focusgroep)" rather than names */
} sm_vocab_t;

extern const sm_vocab_t SM_VOCAB_METHOD;            /*  FG I SB E KB WB T C N */
extern const sm_vocab_t SM_VOCAB_DOMAIN;            /*  youth, social_support, ... */
extern const sm_vocab_t SM_VOCAB_PHASE;             /*  agenda, development, ... */
extern const sm_vocab_t SM_VOCAB_THEME_SOURCE;      /*  residents_signals, ... */
extern const sm_vocab_t SM_VOCAB_THEME_STATUS;      /*  proposed, active, completed, dropped */
extern const sm_vocab_t SM_VOCAB_SCOPE;             /*  local, regional */
extern const sm_vocab_t SM_VOCAB_SESSION_STATUS;    /*  planned, confirmed, held, cancelled */
extern const sm_vocab_t SM_VOCAB_LOCATION;          /*  address, online, on_site */
extern const sm_vocab_t SM_VOCAB_TASK;              /*  recruitment ... handover */
extern const sm_vocab_t SM_VOCAB_LABEL;             /*  resident ... professional */
extern const sm_vocab_t SM_VOCAB_NEED;              /*  transport ... sign_language */
extern const sm_vocab_t SM_VOCAB_PARTICIPANT_STATUS; /*  active, paused, withdrawn */
extern const sm_vocab_t SM_VOCAB_TARGET_GROUP;      /*  the common groups (open list) */
extern const sm_vocab_t SM_VOCAB_ADVICE_KIND;       /*  signal, solicited_advice, ... */
extern const sm_vocab_t SM_VOCAB_ADVICE_OUTCOME;    /*  none, adopted, partly_adopted, ... */
extern const sm_vocab_t SM_VOCAB_ADVICE_STATE;      /*  received, answered, evaluated */
extern const sm_vocab_t SM_VOCAB_ORGANISATION_KIND; /*  client_organisation, ... */
extern const sm_vocab_t SM_VOCAB_OUTCOME_STATUS;    /*  open, in_progress, done, not_adopted */
extern const sm_vocab_t SM_VOCAB_OUTCOME_EFFECT;    /*  none, adopted_in_plan, ... */
extern const sm_vocab_t SM_VOCAB_REPORT_STATE;      /*  draft, approved, published, sent */
extern const sm_vocab_t SM_VOCAB_YOUTH_STATUS;      /*  draft, adopted, submitted */
extern const sm_vocab_t SM_VOCAB_PERSON_ROLE;       /*  coordinator, co_coordinator, project_leader,
                                                       policy_officer, other (common/owner.h) */
extern const sm_vocab_t SM_VOCAB_YARDSTICK_SCORE;   /*  yes, partly, no (the yardstick, meetlat) */

/*  Fold text into out (size bytes) for comparison, as described above.
    Returns 0, or -1 when text is NULL or the folded text does not fit. */
int sm_vocab_fold(const char *text, char *out, size_t size);

/*  The index of the entry text names (code, English name, name in a
    language samen speaks, or alias), or -1 (also for NULL or empty text).
    Can't fail otherwise. */
int sm_vocab_find(const sm_vocab_t *v, const char *text);

/*  Like sm_vocab_find, and on failure fill err (invalid_argument, field)
    with the table's refusal, in the reader's language, listing what is
    accepted. Returns the index, or -1. */
int sm_vocab_parse(const sm_vocab_t *v, const char *text, const char *field, sm_err_t *err);

/*  The entry's code ("FG"), or "?" when i is out of range. Static. */
const char *sm_vocab_code(const sm_vocab_t *v, int i);

/*  The entry's name in the reader's language ("focusgroep"), or "?" when i
    is out of range. The string belongs to the catalogue. */
const char *sm_vocab_name(const sm_vocab_t *v, int i);

/*  How a value from the wire or the store reads: the name of the entry it
    names (code, name or alias) in the reader's language, else text itself
    (NULL as ""). For open lists (target groups) and for codes this samen
    does not know. */
const char *sm_vocab_show(const sm_vocab_t *v, const char *text);

/*  The wire code of what a person typed (sm_vocab_find), or NULL: for an
    op declaration's enum (common/op.h, sm_arg_t.canon), so that the
    argument check accepts the Dutch words and other spellings too. One
    function per table, because canon takes the text alone. */
const char *sm_canon_method(const char *text);
const char *sm_canon_domain(const char *text);
const char *sm_canon_phase(const char *text);
const char *sm_canon_theme_source(const char *text);
const char *sm_canon_theme_status(const char *text);
const char *sm_canon_scope(const char *text);
const char *sm_canon_session_status(const char *text);
const char *sm_canon_location(const char *text);
const char *sm_canon_task(const char *text);
const char *sm_canon_label(const char *text);
const char *sm_canon_need(const char *text);
const char *sm_canon_participant_status(const char *text);
const char *sm_canon_advice_kind(const char *text);
const char *sm_canon_advice_outcome(const char *text);
const char *sm_canon_advice_state(const char *text);
const char *sm_canon_organisation_kind(const char *text);
const char *sm_canon_outcome_status(const char *text);
const char *sm_canon_outcome_effect(const char *text);
const char *sm_canon_report_state(const char *text);
const char *sm_canon_youth_status(const char *text);
const char *sm_canon_person_role(const char *text);
const char *sm_canon_yardstick_score(const char *text);

/*  The accepted values for a refusal, in the reader's language, into buf:
    "FG (focusgroep), I (interviews), ..." or "agendavorming,
    beleidsontwikkeling, ...". Returns buf. */
char *sm_vocab_list(const sm_vocab_t *v, char *buf, size_t size);

#endif
