/*  proto/words_scheduling.h - the words scheduling's ops accept for its fixed lists.

    A domain, a phase, a method, a support task and the like each have one
    canonical word: what replies, events and the store carry
    ("social_support", "FG"). People also type the Dutch word they know
    ("Wmo", "focusgroep"), another case, or spaces for underscores.
    words_find folds both sides (ASCII case, spaces, tabs, hyphens and
    underscores ignored, é/è/ê/ë read as e) and looks the text up among the
    canonical words and a list of aliases:

        static const char *const names[] = {"agenda", "development", NULL};
        static const word_alias_t aliases[] = {{"agendering", 0}, {NULL, 0}};
        int i = words_find (text, names, 2, aliases);   //  -1 when unknown

    The op declarations (proto/ops_scheduling.c) give each table as an enum
    argument's values and its *_canon function, so the service loop turns
    what a person typed into the canonical word before any handler runs.
    The service's rules use the same tables, indexed by their enums
    (theme_rules.h, session_fields.h, session_rules.h, method.h, grid.h),
    so that a word is added in one place. Every table ends with NULL.
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

/*  Policy domains (theme_domain_t): youth ... other; jeugd, Wmo, ... */
extern const char *const sched_domains[];
extern const word_alias_t sched_domain_aliases[];
/*  Policy-cycle phases (theme_phase_t): agenda ... evaluation. */
extern const char *const sched_phases[];
extern const word_alias_t sched_phase_aliases[];
/*  Where a theme came from (theme_source_t). */
extern const char *const sched_sources[];
extern const word_alias_t sched_source_aliases[];
/*  A theme's status (theme_status_t). */
extern const char *const sched_theme_statuses[];
extern const word_alias_t sched_theme_status_aliases[];
/*  A theme's scope: "local" (0) or "regional" (1). */
extern const char *const sched_scopes[];
extern const word_alias_t sched_scope_aliases[];
/*  Kinds of location (location_kind_t from LOCATION_ADDRESS on: index 0 is
    "address"). */
extern const char *const sched_location_kinds[];
extern const word_alias_t sched_location_kind_aliases[];
/*  The coordinator's support tasks (support_task_t). */
extern const char *const sched_tasks[];
extern const word_alias_t sched_task_aliases[];
/*  A session's status (session_status_t); no aliases. */
extern const char *const sched_session_statuses[];
/*  The planning grid's formats (grid_format_t); "markdown" for md. */
extern const char *const sched_grid_formats[];
extern const word_alias_t sched_grid_format_aliases[];

/*  What a monthly series keeps (series_day_t): weekday, date. */
extern const char *const sched_series_days[];
extern const word_alias_t sched_series_day_aliases[];

/*  The participation methods (method_t): code, English and Dutch names as
    shown, and further spellings people type. */
typedef struct {
    const char *code;
    const char *name;
    const char *name_nl;
    const char *aliases[4]; //  NULL-terminated
} sched_method_t;
#define SCHED_METHODS 9
extern const sched_method_t sched_methods[SCHED_METHODS];
/*  The codes alone ("FG" ... "N"), as an enum's values. */
extern const char *const sched_method_codes[];

/*  The index of the method text names (its code, English or Dutch name or
    another spelling; see above), or -1. */
int sched_method_find(const char *text);

/*  The canonical word for what a person typed, or NULL when it is none of
    the list's words (sm_arg_t.canon). */
const char *sched_domain_canon(const char *text);
const char *sched_phase_canon(const char *text);
const char *sched_source_canon(const char *text);
const char *sched_theme_status_canon(const char *text);
const char *sched_scope_canon(const char *text);
const char *sched_location_kind_canon(const char *text);
const char *sched_task_canon(const char *text);
const char *sched_grid_format_canon(const char *text);
const char *sched_series_day_canon(const char *text);
const char *sched_method_canon(const char *text);

#endif
