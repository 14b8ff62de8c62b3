/*  tests/unit/scheduling/test_theme_rules.c - what a theme is and when it is valid. */
#include "services/scheduling/theme_rules.h"
#include "common/vocab.h"
#include "proto/words_scheduling.h"
#include "services/scheduling/grid.h"
#include "services/scheduling/session_fields.h"
#include "services/scheduling/session_rules.h"
#include "tests/unit/test.h"

/*  A valid regional theme for 2020. */
static theme_t s_theme(void)
{
    theme_t t;
    memset(&t, 0, sizeof t);
    t.id = 1;
    snprintf(t.title, sizeof t.title, "Disability taxi");
    t.domain = DOMAIN_SOCIAL_SUPPORT;
    t.phase = PHASE_EVALUATION;
    t.source = SOURCE_RESIDENTS_SIGNALS;
    t.status = THEME_ACTIVE;
    t.regional = true;
    t.years[0] = 2020;
    t.n_years = 1;
    return t;
}

TEST(domains_are_found_by_english_dutch_and_loose_spelling)
{
    theme_domain_t d = DOMAIN_OTHER;
    sm_err_t err;
    CHECK_INT(theme_domain_parse("social_support", &d, "domain", &err), 0);
    CHECK_INT(d, DOMAIN_SOCIAL_SUPPORT);
    CHECK_INT(theme_domain_parse("Social support", &d, "domain", &err), 0);
    CHECK_INT(d, DOMAIN_SOCIAL_SUPPORT);
    CHECK_INT(theme_domain_parse("WMO", &d, "domain", &err), 0);
    CHECK_INT(d, DOMAIN_SOCIAL_SUPPORT);
    CHECK_INT(theme_domain_parse("jeugd", &d, "domain", &err), 0);
    CHECK_INT(d, DOMAIN_YOUTH);
    CHECK_INT(theme_domain_parse("shelter-and-protection", &d, "domain", &err), 0);
    CHECK_INT(d, DOMAIN_SHELTER);
    CHECK_INT(theme_domain_parse("werk en inkomen", &d, "domain", &err), 0);
    CHECK_INT(d, DOMAIN_WORK_INCOME);
    CHECK_STR(theme_domain_name(DOMAIN_WORK_INCOME), "work_and_income");
    CHECK_STR(theme_domain_name(DOMAIN_COUNT), "?");
}

TEST(an_unknown_domain_is_refused_naming_the_field_and_the_accepted_words)
{
    theme_domain_t d = DOMAIN_HEALTH;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(theme_domain_parse("sports", &d, "domain", &err), -1);
    CHECK_INT(d, DOMAIN_HEALTH);
    CHECK_STR(err.field, "domain");
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.message, "domain \"sports\" is not a known domain; use youth, social_support, "
                           "shelter_and_protection, work_and_income, health or other");
    sm_err_clear(&err);
    CHECK_INT(theme_domain_parse(NULL, &d, "domain", &err), -1);
    CHECK_INT(theme_domain_parse("", &d, "domain", &err), -1);
}

TEST(phases_sources_statuses_and_scopes_parse)
{
    theme_phase_t p;
    theme_source_t s;
    theme_status_t st;
    bool regional = false;
    sm_err_t err;
    CHECK_INT(theme_phase_parse("Evaluation", &p, "phase", &err), 0);
    CHECK_INT(p, PHASE_EVALUATION);
    CHECK_INT(theme_phase_parse("agendering", &p, "phase", &err), 0);
    CHECK_INT(p, PHASE_AGENDA);
    CHECK_INT(theme_phase_parse("design", &p, "phase", &err), -1);
    CHECK_STR(err.field, "phase");
    CHECK_INT(theme_source_parse("municipal request", &s, "source", &err), 0);
    CHECK_INT(s, SOURCE_MUNICIPAL_REQUEST);
    CHECK_INT(theme_source_parse("signals", &s, "source", &err), 0);
    CHECK_INT(s, SOURCE_RESIDENTS_SIGNALS);
    CHECK_INT(theme_status_parse("dropped", &st, "status", &err), 0);
    CHECK_INT(st, THEME_DROPPED);
    CHECK_INT(theme_status_parse("paused", &st, "status", &err), -1);
    CHECK_INT(theme_scope_parse("regional", &regional, "scope", &err), 0);
    CHECK(regional);
    CHECK_INT(theme_scope_parse("Lokaal", &regional, "scope", &err), 0);
    CHECK(!regional);
    CHECK_INT(theme_scope_parse("national", &regional, "scope", &err), -1);
    CHECK_STR(err.field, "scope");
}

TEST(a_valid_regional_theme_passes)
{
    theme_t t = s_theme();
    sm_err_t err;
    CHECK_INT(theme_check(&t, &err), 0);
}

TEST(a_blank_title_is_refused)
{
    theme_t t = s_theme();
    sm_err_t err;
    snprintf(t.title, sizeof t.title, "   ");
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.field, "title");
}

TEST(a_theme_needs_agenda_years_within_bounds)
{
    theme_t t = s_theme();
    sm_err_t err;
    t.n_years = 0;
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.field, "years");
    t.n_years = 1;
    t.years[0] = 1999;
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.message, "year 1999 is not an agenda year; give a year from 2000 to 2100");
    CHECK_INT(theme_check_year(2101, "year", &err), -1);
    CHECK_STR(err.field, "year");
    CHECK_INT(theme_check_year(INT64_MAX, "year", &err), -1);
    CHECK_INT(theme_check_year(2100, "year", &err), 0);
}

TEST(years_are_sorted_and_duplicates_dropped)
{
    theme_t t = s_theme();
    t.years[0] = 2021;
    t.years[1] = 2019;
    t.years[2] = 2021;
    t.years[3] = 2020;
    t.n_years = 4;
    theme_years_normalise(&t);
    CHECK_INT(t.n_years, 3);
    CHECK_INT(t.years[0], 2019);
    CHECK_INT(t.years[1], 2020);
    CHECK_INT(t.years[2], 2021);
    CHECK(theme_has_year(&t, 2020));
    CHECK(!theme_has_year(&t, 2022));
}

TEST(the_scope_must_agree_with_the_municipalities)
{
    theme_t t = s_theme();
    sm_err_t err;
    snprintf(t.municipalities[0], THEME_MUNI_SIZE, "GM0402");
    t.n_municipalities = 1;
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.field, "municipalities");
    t.regional = false;
    CHECK_INT(theme_check(&t, &err), 0);
    t.n_municipalities = 0;
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.field, "municipalities");
    snprintf(t.municipalities[0], THEME_MUNI_SIZE, "GM0402");
    snprintf(t.municipalities[1], THEME_MUNI_SIZE, "GM0402");
    t.n_municipalities = 2;
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.message, "municipality GM0402 is listed twice; give each once");
}

TEST(an_out_of_range_enum_in_a_theme_is_refused_by_field)
{
    theme_t t = s_theme();
    sm_err_t err;
    t.phase = PHASE_COUNT;
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.field, "phase");
    t = s_theme();
    t.status = (theme_status_t)-1;
    CHECK_INT(theme_check(&t, &err), -1);
    CHECK_STR(err.field, "status");
}

TEST(word_folding_ignores_case_blanks_hyphens_and_accents)
{
    char out[32];
    CHECK_INT(words_fold("Enquête - Ronde_2", out, sizeof out), 0);
    CHECK_STR(out, "enqueteronde2");
    CHECK_INT(words_fold("far too long for this small buffer", out, 8), -1);
    static const char *const names[] = {"alpha", "beta"};
    static const word_alias_t aliases[] = {{"b", 1}, {NULL, 0}};
    CHECK_INT(words_find("ALPHA", names, 2, aliases), 0);
    CHECK_INT(words_find(" b ", names, 2, aliases), 1);
    CHECK_INT(words_find("gamma", names, 2, aliases), -1);
    CHECK_INT(words_find("   ", names, 2, aliases), -1);
}

/*  The number of words in a NULL-terminated list. */
static int s_count(const char *const *words)
{
    int n = 0;
    while (words[n])
        n++;
    return n;
}

TEST(the_word_lists_have_one_word_per_value_of_their_enum)
{
    CHECK_INT(s_count(sched_domains), DOMAIN_COUNT);
    CHECK_INT(s_count(sched_phases), PHASE_COUNT);
    CHECK_INT(s_count(sched_sources), SOURCE_COUNT);
    CHECK_INT(s_count(sched_theme_statuses), THEME_STATUS_COUNT);
    CHECK_INT(s_count(sched_scopes), 2);
    CHECK_INT(s_count(sched_location_kinds), LOCATION_KIND_COUNT - 1); /*  not LOCATION_NONE */
    CHECK_INT(s_count(sched_tasks), TASK_COUNT);
    CHECK_INT(s_count(sched_session_statuses), SESSION_STATUS_COUNT);
    CHECK_INT(s_count(sched_grid_formats), GRID_FORMAT_COUNT);
    CHECK_INT(s_count(sched_method_codes), METHOD_COUNT);
    CHECK_STR(sched_domain_canon("Wmo"), "social_support");
    CHECK_STR(sched_method_canon("Enquete"), "E");
    CHECK_STR(sched_grid_format_canon("Markdown"), "md");
    CHECK(sched_phase_canon("later") == NULL);
    CHECK_STR(sched_phase_canon("beleidsontwikkeling"), "development");
    CHECK_STR(sched_session_status_canon("gehouden"), "held");
}

/*  The declarations' lists spell out common/vocab.h's codes, in its order. */
static void s_agree(const char *const *words, const sm_vocab_t *v)
{
    CHECK_INT(s_count(words), v->count);
    for (int i = 0; words[i] && i < v->count; i++)
        CHECK_STR(words[i], sm_vocab_code(v, i));
}

TEST(the_word_lists_are_the_vocabulary_codes)
{
    s_agree(sched_domains, &SM_VOCAB_DOMAIN);
    s_agree(sched_phases, &SM_VOCAB_PHASE);
    s_agree(sched_sources, &SM_VOCAB_THEME_SOURCE);
    s_agree(sched_theme_statuses, &SM_VOCAB_THEME_STATUS);
    s_agree(sched_scopes, &SM_VOCAB_SCOPE);
    s_agree(sched_location_kinds, &SM_VOCAB_LOCATION);
    s_agree(sched_tasks, &SM_VOCAB_TASK);
    s_agree(sched_session_statuses, &SM_VOCAB_SESSION_STATUS);
    s_agree(sched_method_codes, &SM_VOCAB_METHOD);
}

int main(void)
{
    RUN(domains_are_found_by_english_dutch_and_loose_spelling);
    RUN(an_unknown_domain_is_refused_naming_the_field_and_the_accepted_words);
    RUN(phases_sources_statuses_and_scopes_parse);
    RUN(a_valid_regional_theme_passes);
    RUN(a_blank_title_is_refused);
    RUN(a_theme_needs_agenda_years_within_bounds);
    RUN(years_are_sorted_and_duplicates_dropped);
    RUN(the_scope_must_agree_with_the_municipalities);
    RUN(an_out_of_range_enum_in_a_theme_is_refused_by_field);
    RUN(word_folding_ignores_case_blanks_hyphens_and_accents);
    RUN(the_word_lists_have_one_word_per_value_of_their_enum);
    RUN(the_word_lists_are_the_vocabulary_codes);
    return DONE();
}
