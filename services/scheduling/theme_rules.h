/*  services/scheduling/theme_rules.h - what a theme (onderwerp) is and when it is valid.

    A theme is a subject on the programme's annual agenda: a title and the
    central question put to residents, the policy domain, the phase of the
    policy cycle it is in, who owns it (the project leader, a policy
    officer) and who leads it politically (an alderman, the trekker), its
    scope (the whole region, or some municipalities), the agenda year(s),
    where it came from, whether it matters for the statutory youth report,
    and its status.

        field            accepted
        title            1..200 characters of text
        question         0..1000 characters
        domain           youth, social_support, shelter_and_protection,
                         work_and_income, health, other
        phase            agenda, development, implementation, evaluation
        source           residents_signals, regional_agenda, municipal_request
        status           proposed, active, completed, dropped
        scope            regional (no municipalities) or local (1..16 of them)
        years            1..10 agenda years from 2000 to 2100 (kept sorted,
                         duplicates dropped)

    Words are matched ignoring ASCII case, spaces, hyphens and underscores,
    and the Dutch words users know are accepted too ("jeugd", "Wmo",
    "werk en inkomen", "agendering", "uitvoering", "signalen", ...). The
    canonical word is the one in the table.

    Plain functions over a plain struct: the service decodes a request,
    fills a theme_t, calls theme_check, and only then stores it.
*/
#ifndef SAMEN_SCHEDULING_THEME_RULES_H
#define SAMEN_SCHEDULING_THEME_RULES_H

#include "common/err.h"
#include "common/owner.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

//  Text limits are in characters; a buffer holds 4 bytes of UTF-8 for each.
#define THEME_TITLE_MAX 200
#define THEME_QUESTION_MAX 1000
#define THEME_PERSON_MAX 100   //  project leader, political lead
#define THEME_YEARS_MAX 10
#define THEME_YEAR_MIN 2000
#define THEME_YEAR_MAX 2100
#define THEME_MUNIS_MAX 16
#define THEME_MUNI_SIZE 8      //  "GM0402" and the NUL

typedef enum {
    DOMAIN_YOUTH,             //  jeugd
    DOMAIN_SOCIAL_SUPPORT,    //  Wmo, maatschappelijke ondersteuning
    DOMAIN_SHELTER,           //  shelter and protection (opvang en bescherming)
    DOMAIN_WORK_INCOME,       //  werk en inkomen
    DOMAIN_HEALTH,            //  gezondheid
    DOMAIN_OTHER,             //  overig
    DOMAIN_COUNT
} theme_domain_t;

typedef enum {
    PHASE_AGENDA,         //  agendering: setting the agenda
    PHASE_DEVELOPMENT,    //  beleidsontwikkeling
    PHASE_IMPLEMENTATION, //  uitvoering
    PHASE_EVALUATION,     //  evaluatie
    PHASE_COUNT
} theme_phase_t;

typedef enum {
    SOURCE_RESIDENTS_SIGNALS, //  signals from residents (signalen)
    SOURCE_REGIONAL_AGENDA,   //  the region's own agenda
    SOURCE_MUNICIPAL_REQUEST, //  a municipality asked for it
    SOURCE_COUNT
} theme_source_t;

typedef enum {
    THEME_PROPOSED,  //  a candidate for the agenda
    THEME_ACTIVE,    //  being worked on
    THEME_COMPLETED, //  done; its sessions are history
    THEME_DROPPED,   //  taken off the agenda
    THEME_STATUS_COUNT
} theme_status_t;

typedef struct {
    uint64_t id; //  T<id>
    char title[THEME_TITLE_MAX * 4 + 1];
    char question[THEME_QUESTION_MAX * 4 + 1];
    theme_domain_t domain;
    theme_phase_t phase;
    theme_source_t source;
    theme_status_t status;
    char project_leader[THEME_PERSON_MAX * 4 + 1]; //  a policy officer, not a resident
    char political_lead[THEME_PERSON_MAX * 4 + 1]; //  the alderman (trekker); may be ""
    bool regional;                             //  else local to municipalities
    char municipalities[THEME_MUNIS_MAX][THEME_MUNI_SIZE];
    size_t n_municipalities;
    int years[THEME_YEARS_MAX];
    size_t n_years;
    bool youth_relevant; //  feeds the statutory youth report (CEO Jeugd)
    sm_owners_t owners;  //  the people known to samen who answer for it (common/owner.h)
    int64_t created_ms, updated_ms;
} theme_t;

/*  The canonical word of a value ("social_support"), or "?" when out of
    range. Static strings. */
const char *theme_domain_name(theme_domain_t d);
const char *theme_phase_name(theme_phase_t p);
const char *theme_source_name(theme_source_t s);
const char *theme_status_name(theme_status_t s);

/*  Parse a word (see the header comment for what is accepted) into *out.
    Returns 0, or -1 with err (SM_E_INVALID_ARGUMENT, field) listing the
    accepted words; *out is untouched then. NULL text is refused the same way. */
int theme_domain_parse(const char *text, theme_domain_t *out, const char *field, sm_err_t *err);
int theme_phase_parse(const char *text, theme_phase_t *out, const char *field, sm_err_t *err);
int theme_source_parse(const char *text, theme_source_t *out, const char *field, sm_err_t *err);
int theme_status_parse(const char *text, theme_status_t *out, const char *field, sm_err_t *err);

/*  Parse "regional" or "local" (also "regionaal", "lokaal") into *regional.
    Returns 0, or -1 with err naming field. */
int theme_scope_parse(const char *text, bool *regional, const char *field, sm_err_t *err);

/*  Check one agenda year: THEME_YEAR_MIN..THEME_YEAR_MAX. Takes int64_t so
    that a huge value from the wire is refused, not truncated. Returns 0, or
    -1 with err (field). */
int theme_check_year(int64_t year, const char *field, sm_err_t *err);

/*  Sort t->years and drop duplicates. Can't fail. */
void theme_years_normalise(theme_t *t);

/*  True when year is one of t's agenda years. */
bool theme_has_year(const theme_t *t, int year);

/*  Check a whole theme as the service is about to store it: a title that
    is not only blanks, valid enum values, 1..THEME_YEARS_MAX valid years,
    and a scope that agrees with the municipalities (regional: none; local:
    at least one, no duplicates). Returns 0, or -1 with err naming the first
    bad field ("title", "domain", "phase", "source", "status", "years",
    "municipalities"). */
int theme_check(const theme_t *t, sm_err_t *err);

#endif
