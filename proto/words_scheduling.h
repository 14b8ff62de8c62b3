/*  proto/words_scheduling.h - the words scheduling's ops accept for its fixed lists.

    A domain, a phase, a method, a support task and the like each have one
    canonical word: what replies, events and the store carry
    ("social_support", "FG"). People also type the Dutch word they know
    ("Wmo", "focusgroep"), another case, or spaces for underscores. The
    words themselves, in English and Dutch, with their other spellings, are
    common/vocab.h's tables, shared with reporting, intake and samenctl;
    this file gives the op declarations (proto/ops_scheduling.c) each
    table's canonical words as an enum argument's values, in the order of
    the service's enums, and its *_canon function, so that the service loop
    turns what a person typed into the canonical word before any handler
    runs. Every list ends with NULL.

    words_fold and words_find are the generic lookup, for small lists that
    are not the programme's vocabulary (the grid's formats):

        static const char *const names[] = {"text", "md", NULL};
        static const word_alias_t aliases[] = {{"markdown", 1}, {NULL, 0}};
        int i = words_find (text, names, 2, aliases);   //  -1 when unknown
*/
#ifndef SAMEN_PROTO_WORDS_SCHEDULING_H
#define SAMEN_PROTO_WORDS_SCHEDULING_H

#include <stddef.h>

typedef struct {
    const char *word; //  any spelling; folded before comparing
    int index;        //  the value it stands for
} word_alias_t;

/*  Fold text into out (size bytes): ASCII lower case, no spaces, tabs,
    hyphens or underscores, and é/è/ê/ë (either case) as e. Returns 0, or -1
    when the folded text does not fit (out is then undefined). */
int words_fold(const char *text, char *out, size_t size);

/*  The index i of names[0..n) whose folded form equals text's, else the
    index of the first alias (list ended by word NULL; may be NULL) that
    matches, else -1 (also for NULL or empty text). Can't fail otherwise. */
int words_find(const char *text, const char *const *names, int n, const word_alias_t *aliases);

/* ---- the lists, in the order of the service's enums ---------------------- */

/*  Policy domains (theme_domain_t): youth ... other. */
extern const char *const sched_domains[];
/*  Policy-cycle phases (theme_phase_t): agenda ... evaluation. */
extern const char *const sched_phases[];
/*  Where a theme came from (theme_source_t). */
extern const char *const sched_sources[];
/*  A theme's status (theme_status_t). */
extern const char *const sched_theme_statuses[];
/*  A theme's scope: "local" (0) or "regional" (1). */
extern const char *const sched_scopes[];
/*  Kinds of location (location_kind_t from LOCATION_ADDRESS on: index 0 is
    "address"). */
extern const char *const sched_location_kinds[];
/*  The coordinator's support tasks (support_task_t). */
extern const char *const sched_tasks[];
/*  A session's status (session_status_t). */
extern const char *const sched_session_statuses[];
/*  The participation methods' codes (method_t): "FG" ... "N". */
extern const char *const sched_method_codes[];
/*  The planning grid's formats (grid_format_t); "markdown" for md. */
extern const char *const sched_grid_formats[];
extern const word_alias_t sched_grid_format_aliases[];
/*  What a monthly series keeps (series_day_t): weekday, date; weekdag,
    datum. */
extern const char *const sched_series_days[];
extern const word_alias_t sched_series_day_aliases[];

/*  The canonical word for what a person typed (a code, the English or Dutch
    name, another spelling: common/vocab.h), or NULL when it is none of the
    list's words (sm_arg_t.canon). */
const char *sched_domain_canon(const char *text);
const char *sched_phase_canon(const char *text);
const char *sched_source_canon(const char *text);
const char *sched_theme_status_canon(const char *text);
const char *sched_scope_canon(const char *text);
const char *sched_location_kind_canon(const char *text);
const char *sched_task_canon(const char *text);
const char *sched_session_status_canon(const char *text);
const char *sched_grid_format_canon(const char *text);
const char *sched_series_day_canon(const char *text);
const char *sched_method_canon(const char *text);

#endif
