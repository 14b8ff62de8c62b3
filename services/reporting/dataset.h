/*  services/reporting/dataset.h - one consistent snapshot of everything reporting counts.

    Statistics and documents are computed, not kept: every `stats reach`,
    `report annual`, `report youth`, `report passage` and `report due`
    loads what it needs from the store within its read transaction into
    plain arrays (the reach.h input), then calls the pure rules. Nothing is
    cached between requests, so a figure is always that of the store at
    that moment, and rebuilding the store from the other services' events
    gives the same figures.

    Rows are sorted by ID number; strings live in the dataset (freed with
    it). Participants are those with attributes plus anyone with an
    attendance row (an erased participant keeps counting, without
    attributes). A participant's municipality is given as the municipality's
    code when it matches a known municipality by code or name, so that
    reach per municipality (which matches by name) sees the code on both
    sides; reach_municipality_t.name holds the code too.

    A session is youth-relevant (the youth report's scope) when its theme
    is youth-relevant and it was with youth or parents: one of its target
    groups names youth or parents (youth_group_is_youth_or_parents), or,
    when the attendance is loaded, someone attended who is young
    (reach_age_band_is_youth) or labelled youth, parent or foster parent.
*/
#ifndef SAMEN_REPORTING_DATASET_H
#define SAMEN_REPORTING_DATASET_H

#include "../../common/municipalities.h"
#include "../../common/service.h"
#include "outcome_rules.h"
#include "reach.h"
#include <stdbool.h>
#include <stdint.h>

/*  What to load besides themes, sessions and report states. */
#define DATASET_PEOPLE 1u   //  participants, attendance, municipalities
#define DATASET_OUTCOMES 2u //  outcome items

/*  What the youth report counts a participant as (participant_kinds):
    young (an age band under 27, or labelled youth) and/or a parent
    (labelled parent or foster parent, or in a target group naming
    parents: "parents", "ouders", "foster parents", "pleegouders"). */
#define DATASET_YOUNG 1u
#define DATASET_PARENT 2u

typedef struct {
    uint64_t number;
    const char *id; //  "T4"
    const char *title;
    const char *question;
    bool youth_relevant;
    int years[16];
    size_t n_years;
    const char *const *municipalities; //  codes of a local theme; none: regional
    size_t n_municipalities;
} dataset_theme_t;

typedef struct {
    uint64_t number;
    const char *id; //  "U5"
    uint64_t theme;
    const uint64_t *sessions; //  S numbers
    size_t n_sessions;
    outcome_t item; //  strings in the dataset
} dataset_outcome_t;

typedef struct _dataset_chunk_t dataset_chunk_t;

typedef struct {
    //  Sessions, by number; parallel arrays.
    reach_session_t *sessions;
    uint64_t *session_numbers;
    uint64_t *session_themes;  //  T number or 0
    uint64_t *session_reports; //  R number of the session's report or 0
    const char *const **session_munis; //  codes the session is for; none: its theme's
    size_t *n_session_munis;
    size_t n_sessions;
    //  Participants (DATASET_PEOPLE): those with attributes by number, then
    //  those known only from attendance rows (erased), by number.
    reach_participant_t *participants;
    uint64_t *participant_numbers;
    unsigned char *participant_kinds; //  DATASET_YOUNG | DATASET_PARENT bits
    size_t n_participants;
    size_t n_with_attributes; //  the first rows, sorted by number
    reach_attendance_t *attendance;
    size_t n_attendance;
    reach_municipality_t *municipalities; //  name = code
    sm_muni_t *munis;                     //  the same, with names, by code
    size_t n_municipalities;
    //  Themes, by number.
    dataset_theme_t *themes;
    size_t n_themes;
    //  Outcome items, by number (DATASET_OUTCOMES).
    dataset_outcome_t *outcomes;
    size_t n_outcomes;
    dataset_chunk_t *chunks;
} dataset_t;

/*  Load the snapshot (what: DATASET_* bits) within ctx's transaction.
    Returns 0, or -1 with the context's error set (and ds empty). */
int dataset_load(sm_ctx_t *ctx, dataset_t *ds, unsigned what);

/*  Free everything; ds is left empty. Safe on an empty dataset and twice. */
void dataset_free(dataset_t *ds);

/*  The reach input over the whole dataset. This function can't fail. */
reach_input_t dataset_reach_input(const dataset_t *ds);

/*  The theme or session row of a number, or NULL. */
const dataset_theme_t *dataset_theme(const dataset_t *ds, uint64_t number);
/*  Index of participant number in ds->participants, or -1. */
long dataset_participant_index(const dataset_t *ds, uint64_t number);
/*  Index of session number in ds->sessions, or -1. */
long dataset_session_index(const dataset_t *ds, uint64_t number);

/*  The name of a municipality code ("GM0402" -> "Hilversum"), or NULL. */
const char *dataset_muni_name(const dataset_t *ds, const char *code);

#endif
