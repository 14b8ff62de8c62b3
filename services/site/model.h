/*  services/site/model.h - what the public site shows, as plain structs.

    samen-site fetches the public view of the programme through the broker
    (services/site/fetch.h) and decodes each reply into these structs; the
    pages (services/site/pages.h) are rendered from them alone. Nothing here
    is personal: the ops the site calls never return a person's name
    (proto/ops-scheduling.md, proto/ops-reporting.md: *.public.*), and the
    site never calls intake.

    Every value is checked as it is decoded, because it comes from outside
    this process: an ID must be its letter and 1 to 18 digits (IDs become
    file names: reports/R9.html), texts must be valid UTF-8 within their
    limits, dates real dates. A reply that does not decode fails the whole
    build; the site that was there stays.
*/
#ifndef SAMEN_SITE_MODEL_H
#define SAMEN_SITE_MODEL_H

#include "common/codec.h"
#include "common/date.h"
#include "common/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*  An ID as text ("T4") and its size with the NUL. */
#define SITE_ID_SIZE 24
/*  A short word from the wire ("active", "FG", "GM0402"). */
#define SITE_WORD_SIZE 32
/*  How many municipalities, target groups or years an entity lists at most. */
#define SITE_LIST_MAX 32
#define SITE_YEARS_MAX 16
/*  Columns of the yearly overview's table. */
#define SITE_OVERVIEW_COLS 4

typedef struct {
    char id[SITE_ID_SIZE];
    uint64_t number;
    char *title;    /*  never NULL after decoding */
    char *question; /*  "" when none */
    char domain[SITE_WORD_SIZE], phase[SITE_WORD_SIZE], status[SITE_WORD_SIZE];
    bool regional;
    char municipalities[SITE_LIST_MAX][SITE_WORD_SIZE]; /*  codes */
    size_t n_municipalities;
    int years[SITE_YEARS_MAX];
    size_t n_years;
} site_theme_t;

typedef struct {
    char id[SITE_ID_SIZE];
    uint64_t number;
    char theme[SITE_ID_SIZE];
    char method[SITE_WORD_SIZE];       /*  the code, "FG" */
    char *title, *question, *location; /*  "" when none */
    char location_kind[SITE_WORD_SIZE];
    bool has_time;            /*  start_ms..end_ms; else period */
    int64_t start_ms, end_ms; /*  UTC */
    sm_period_t period;
    bool tentative;
    char status[SITE_WORD_SIZE]; /*  planned, confirmed, held, cancelled */
    int64_t capacity, places_left, waitlisted, reimbursement_cents;
    char *target_groups[SITE_LIST_MAX];
    size_t n_target_groups;
    char municipalities[SITE_LIST_MAX][SITE_WORD_SIZE];
    size_t n_municipalities;
    bool has_held_on;
    sm_date_t held_on;
    bool has_register_by; /*  the registration deadline */
    sm_date_t register_by;
} site_session_t;

typedef struct {
    char id[SITE_ID_SIZE];
    uint64_t number;
    char session[SITE_ID_SIZE], theme[SITE_ID_SIZE];
    int version;
    sm_date_t published_on;       /*  of this version */
    sm_date_t first_published_on; /*  of version 1: the feed's "published" */
    char *text;                   /*  Markdown */
} site_report_t;

typedef struct {
    char id[SITE_ID_SIZE];
    uint64_t number;
    char theme[SITE_ID_SIZE];
    char *brought_in, *done, *reason, *follow_up; /*  "" when none */
    char status[SITE_WORD_SIZE], effect[SITE_WORD_SIZE];
} site_outcome_t;

typedef struct {
    char theme[SITE_ID_SIZE];
    char *cells[SITE_OVERVIEW_COLS]; /*  plain text; "\n" separates items */
} site_overview_row_t;

typedef struct {
    int year;
    char *title, *table; /*  "Jaaroverzicht 2019", "Projecten 2019 (uitgevoerd/afgerond)" */
    char *columns[SITE_OVERVIEW_COLS];
    site_overview_row_t *rows;
    size_t n_rows;
} site_overview_t;

typedef struct {
    char code[SITE_WORD_SIZE];
    char *name;
} site_muni_t;

/*  Everything one build of the site is made of. */
typedef struct {
    site_theme_t *themes;
    size_t n_themes;
    site_session_t *sessions;
    size_t n_sessions;
    site_report_t *reports;
    size_t n_reports;
    site_outcome_t *outcomes;
    size_t n_outcomes;
    site_overview_t *overviews; /*  ascending years */
    size_t n_overviews;
    site_muni_t *munis;
    size_t n_munis;
    char *calendar; /*  the iCalendar feed, as scheduling wrote it; NULL before fetched */
} site_data_t;

/*  Free everything data holds and empty it. Safe on an empty one and twice. */
void site_data_free(site_data_t *data);

/*  Decode one reply item into out (zeroed first). On failure out holds
    nothing to free. Return 0, or -1 with err (field: the item's key).
    site_theme_decode: an item of theme.public.list; site_session_decode:
    of session.public.list; site_report_decode: of report.public.list (text
    stays NULL: report.public.get fills it); site_outcome_decode: of
    outcome.list; site_muni_decode: of finance's municipality.list. */
int site_theme_decode(const msgpack_object *o, site_theme_t *out, sm_err_t *err);
int site_session_decode(const msgpack_object *o, site_session_t *out, sm_err_t *err);
int site_report_decode(const msgpack_object *o, site_report_t *out, sm_err_t *err);
int site_outcome_decode(const msgpack_object *o, site_outcome_t *out, sm_err_t *err);
int site_muni_decode(const msgpack_object *o, site_muni_t *out, sm_err_t *err);

/*  Decode the "data" of report.annual {format: "rows"} for year into out.
    Returns 0, or -1 with err. */
int site_overview_decode(const msgpack_object *o, int year, site_overview_t *out, sm_err_t *err);

/*  Free one entity's owned texts (the arrays' elements). Safe twice. */
void site_theme_free(site_theme_t *t);
void site_session_free(site_session_t *s);
void site_report_free(site_report_t *r);
void site_outcome_free(site_outcome_t *o);
void site_overview_free(site_overview_t *o);
void site_muni_free(site_muni_t *m);

/*  True when text is an ID of letter: the letter and 1 to 18 digits, no
    leading zero ("R9", "T12"); *number gets its value when not NULL. */
bool site_id_valid(const char *text, char letter, uint64_t *number);

/*  Lookups by ID in data (linear; a site has hundreds of items, not
    millions). NULL when not there. */
const site_theme_t *site_find_theme(const site_data_t *d, const char *id);
const site_session_t *site_find_session(const site_data_t *d, const char *id);
/*  The municipality's name for code, or code itself when unknown. */
const char *site_muni_name(const site_data_t *d, const char *code);

#endif
