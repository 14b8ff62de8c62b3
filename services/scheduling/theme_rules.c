/*  services/scheduling/theme_rules.c - what a theme is and when it is valid.
    See theme_rules.h. */
#include "theme_rules.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  The words are common/vocab.h's tables, in the order of the enums. */

const char *theme_domain_name(theme_domain_t d)
{
    return sm_vocab_code(&SM_VOCAB_DOMAIN, (int)d);
}

const char *theme_phase_name(theme_phase_t p)
{
    return sm_vocab_code(&SM_VOCAB_PHASE, (int)p);
}

const char *theme_source_name(theme_source_t s)
{
    return sm_vocab_code(&SM_VOCAB_THEME_SOURCE, (int)s);
}

const char *theme_status_name(theme_status_t s)
{
    return sm_vocab_code(&SM_VOCAB_THEME_STATUS, (int)s);
}

/*  Look text up in v (codes, names in any language, aliases); on failure
    fill err with the accepted codes. Returns the index or -1. */
static int s_parse(const char *text, const sm_vocab_t *v, const char *field, const char *what,
                   sm_err_t *err)
{
    int i = sm_vocab_find(v, text);
    if (i >= 0)
        return i;
    char list[200] = "", quoted[48];
    size_t o = 0;
    for (int k = 0; k < v->count && o < sizeof list; k++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
                              k ? (k == v->count - 1 ? " or " : ", ") : "", sm_vocab_code(v, k));
    sm_text_excerpt(text, quoted, sizeof quoted);
    sm_err_set(err, SM_E_INVALID_ARGUMENT, field, _("%s \"%s\" is not a known %s; use %s"), field,
               quoted, what, list);
    return -1;
}

int theme_domain_parse(const char *text, theme_domain_t *out, const char *field, sm_err_t *err)
{
    int i = s_parse(text, &SM_VOCAB_DOMAIN, field, "domain", err);
    if (i < 0)
        return -1;
    *out = (theme_domain_t)i;
    return 0;
}

int theme_phase_parse(const char *text, theme_phase_t *out, const char *field, sm_err_t *err)
{
    int i = s_parse(text, &SM_VOCAB_PHASE, field, "policy-cycle phase", err);
    if (i < 0)
        return -1;
    *out = (theme_phase_t)i;
    return 0;
}

int theme_source_parse(const char *text, theme_source_t *out, const char *field, sm_err_t *err)
{
    int i = s_parse(text, &SM_VOCAB_THEME_SOURCE, field, "agenda source", err);
    if (i < 0)
        return -1;
    *out = (theme_source_t)i;
    return 0;
}

int theme_status_parse(const char *text, theme_status_t *out, const char *field, sm_err_t *err)
{
    int i = s_parse(text, &SM_VOCAB_THEME_STATUS, field, "theme status", err);
    if (i < 0)
        return -1;
    *out = (theme_status_t)i;
    return 0;
}

int theme_scope_parse(const char *text, bool *regional, const char *field, sm_err_t *err)
{
    int i = s_parse(text, &SM_VOCAB_SCOPE, field, "scope", err);
    if (i < 0)
        return -1;
    *regional = i == 1;
    return 0;
}

int theme_check_year(int64_t year, const char *field, sm_err_t *err)
{
    if (year < THEME_YEAR_MIN || year > THEME_YEAR_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("year %" PRId64 " is not an agenda year; give a year from %d to %d"),
                          year, THEME_YEAR_MIN, THEME_YEAR_MAX);
    return 0;
}

/*  qsort order of ints. */
static int s_int_order(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void theme_years_normalise(theme_t *t)
{
    if (t->n_years > THEME_YEARS_MAX)
        t->n_years = THEME_YEARS_MAX;
    qsort(t->years, t->n_years, sizeof t->years[0], s_int_order);
    size_t k = 0;
    for (size_t i = 0; i < t->n_years; i++)
        if (k == 0 || t->years[k - 1] != t->years[i])
            t->years[k++] = t->years[i];
    t->n_years = k;
}

bool theme_has_year(const theme_t *t, int year)
{
    for (size_t i = 0; i < t->n_years && i < THEME_YEARS_MAX; i++)
        if (t->years[i] == year)
            return true;
    return false;
}

/*  True when s holds something other than ASCII blanks. */
static bool s_has_text(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return true;
    return false;
}

int theme_check(const theme_t *t, sm_err_t *err)
{
    if (!s_has_text(t->title))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "title",
                          _("title is empty; give the theme a short title (at most %d characters)"),
                          THEME_TITLE_MAX);
    if ((int)t->domain < 0 || t->domain >= DOMAIN_COUNT)
        return s_parse(NULL, &SM_VOCAB_DOMAIN, "domain", "domain", err);
    if ((int)t->phase < 0 || t->phase >= PHASE_COUNT)
        return s_parse(NULL, &SM_VOCAB_PHASE, "phase", "policy-cycle phase", err);
    if ((int)t->source < 0 || t->source >= SOURCE_COUNT)
        return s_parse(NULL, &SM_VOCAB_THEME_SOURCE, "source", "agenda source", err);
    if ((int)t->status < 0 || t->status >= THEME_STATUS_COUNT)
        return s_parse(NULL, &SM_VOCAB_THEME_STATUS, "status", "theme status", err);
    if (t->n_years == 0 || t->n_years > THEME_YEARS_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "years",
                          _("a theme needs 1 to %d agenda years (e.g. 2020); got %zu"),
                          THEME_YEARS_MAX, t->n_years);
    for (size_t i = 0; i < t->n_years; i++)
        if (theme_check_year(t->years[i], "years", err) != 0)
            return -1;
    if (t->n_municipalities > THEME_MUNIS_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                          _("a theme covers at most %d municipalities"), THEME_MUNIS_MAX);
    if (t->regional && t->n_municipalities > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                          _("a regional theme covers every municipality; leave municipalities "
                            "out, or make the scope local"));
    if (!t->regional && t->n_municipalities == 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                          _("a local theme needs at least one municipality (name or code such as "
                            "GM0402); or make the scope regional"));
    for (size_t i = 0; i < t->n_municipalities; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->municipalities[i], t->municipalities[j]) == 0)
                return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                                  _("municipality %s is listed twice; give each once"),
                                  t->municipalities[i]);
    return 0;
}
