/*  tests/unit/reporting/test_reach.c - reach and representation statistics. */
#include "services/reporting/reach.h"
#include "tests/unit/test.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static sm_date_t D(int y, int m, int d)
{
    return (sm_date_t){y, m, d};
}

/* ==== The fixture ==========================================================

   Municipalities: A 6,000, B 3,000, C 1,000 inhabitants (10,000 in all).

   Sessions                                        report
     S1  T1  FG  2018-11-05 held                   published, sent 2018-11-20
     S2  T1  FG  2019-02-10 held                   published, sent 2019-03-10 (day 28)
     S3  T2  I   2019-03-01 held                   published, sent 2019-03-30 (day 29)
     S4  T2  SB  2019-06-15 held, youth-relevant   published, not sent
     S5  T10 FG  2019-09-01 held, youth-relevant   none
     S6  T10 FG  2019-12-01 planned, not held      -
     S7  T1  KB  2020-01-10 held                   -

   Attended
     S1: P2 P4
     S2: P1 P2 P3 P4 P5
     S3: P1 P2 P3 P6 P10
     S4: P1 P2 P3 P7 P8
     S5: P1 P9 P11 (and P1 a second time: one attendance; P12 registered
         but absent; P11 has no participant row)
     S6: P4 (not held: ignored); S99 (unknown session): P12, ignored
     S7: P5

   Worked out by hand for 2019:
     sessions held 4 (S2..S5); attendances 5 + 5 + 5 + 3 = 18
     participants P1..P11 = 11; P2 and P4 came in 2018 first, so
       first-timers 9 (9/11 = 8181.8 -> 8182 bp), returning 2
     per participant: P1 4, P2 3, P3 3, the other eight 1 each
     concentration: k = ceil(11 / 10) = 2; the top two are P1 (4) and,
       of P2 and P3 tied at 3, P2 by ID; 4 + 3 = 7 of 18 attendances
       = 3888.9 -> 3889 bp
     municipalities: A: P1 P2 P4 P5 P8 ("a") = 5; B: P3 P6 = 2; C: P7 = 1;
       outside: P9 (none), P10 ("Elsewhere"), P11 (no row) = 3
       A 5/11 = 4545 bp against 6000 bp: ratio 5*10000*100 / (11*6000) = 75.8 -> 76
       B 2/11 = 1818 bp against 3000 bp: ratio 2000000 / 33000 = 60.6 -> 61
       C 1/11 =  909 bp against 1000 bp: ratio 1000000 / 11000 = 90.9 -> 91
       outside 3/11 = 2727 bp
     target groups: migrants P4 P5 P9 = 3 (2727); parents P2 P7 = 2 (1818);
       youth P1 P4 P6 = 3 (2727; P6 lists it twice)
     youth by age band: P1 18-26, P4 <18, P5 under 27, P7 12-17,
       P10 " 18 - 26 " = 5 (4545 bp); not: P2 27-44, P3 65+, P6 18-30,
       P8 none, P9 45-64, P11 no row
     methods: FG 2 sessions (S2, S5) 8 attendances; I 1 (5); SB 1 (5)
     feedback: published 3 of 4 (7500 bp); sent in time (<= 28 days) 1
       of 4 (2500 bp); sent 2, days 28 and 29: median (lower middle) 28
*/

static const char *G_youth[] = {"youth"};
static const char *G_parents[] = {"parents"};
static const char *G_migrants[] = {"migrants"};
static const char *G_mig_youth[] = {"migrants", "youth"};
static const char *G_youth_twice[] = {"youth", "youth"};

static const reach_municipality_t M[] = {{"A", 6000}, {"B", 3000}, {"C", 1000}};

static const reach_participant_t P[] = {
    {"P1", "A", G_youth, 1, "18-26"},
    {"P2", "A", G_parents, 1, "27-44"},
    {"P3", "B", NULL, 0, "65+"},
    {"P4", "A", G_mig_youth, 2, "<18"},
    {"P5", "A", G_migrants, 1, "under 27"},
    {"P6", "B", G_youth_twice, 2, "18-30"},
    {"P7", "C", G_parents, 1, "12-17"},
    {"P8", "a", NULL, 0, NULL},
    {"P9", NULL, G_migrants, 1, "45-64"},
    {"P10", "Elsewhere", NULL, 0, " 18 - 26 "},
    {"P12", "A", G_youth, 1, "18-26"},
};

static const reach_session_t S[] = {
    {"S1", "T1", "FG", true, {2018, 11, 5}, false, true, true, {2018, 11, 20}},
    {"S2", "T1", "FG", true, {2019, 2, 10}, false, true, true, {2019, 3, 10}},
    {"S3", "T2", "I", true, {2019, 3, 1}, false, true, true, {2019, 3, 30}},
    {"S4", "T2", "SB", true, {2019, 6, 15}, true, true, false, {0, 0, 0}},
    {"S5", "T10", "FG", true, {2019, 9, 1}, true, false, false, {0, 0, 0}},
    {"S6", "T10", "FG", false, {2019, 12, 1}, true, false, false, {0, 0, 0}},
    {"S7", "T1", "KB", true, {2020, 1, 10}, false, false, false, {0, 0, 0}},
};

static const reach_attendance_t A[] = {
    {"S1", "P2", true}, {"S1", "P4", true},   {"S2", "P1", true}, {"S2", "P2", true},
    {"S2", "P3", true}, {"S2", "P4", true},   {"S2", "P5", true}, {"S3", "P1", true},
    {"S3", "P2", true}, {"S3", "P3", true},   {"S3", "P6", true}, {"S3", "P10", true},
    {"S4", "P1", true}, {"S4", "P2", true},   {"S4", "P3", true}, {"S4", "P7", true},
    {"S4", "P8", true}, {"S5", "P1", true},   {"S5", "P9", true}, {"S5", "P11", true},
    {"S5", "P1", true}, {"S5", "P12", false}, {"S6", "P4", true}, {"S99", "P12", true},
    {"S7", "P5", true},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static reach_input_t s_input(void)
{
    return (reach_input_t){S, N(S), A, N(A), P, N(P), M, N(M)};
}

TEST(reach_counts_participants_first_timers_and_concentration)
{
    reach_input_t in = s_input();
    sm_err_t err = {0};
    reach_t *r = reach_compute(&in, 2019, 28, &err);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(r->year, 2019);
    CHECK_INT(r->sessions_held, 4);
    CHECK_INT(r->attendances, 18);
    CHECK_INT(r->participants, 11);
    CHECK_INT(r->first_timers, 9);
    CHECK_INT(r->returning, 2);
    CHECK_INT(r->first_timers_bp, 8182);
    CHECK_INT(r->top_participants, 2);
    CHECK_INT(r->top_attendances, 7);
    CHECK_INT(r->concentration_bp, 3889);
    reach_destroy(&r);
    CHECK(r == NULL);
    reach_destroy(&r);
}

TEST(reach_per_municipality_against_population_share)
{
    reach_input_t in = s_input();
    reach_t *r = reach_compute(&in, 2019, 28, NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(r->inhabitants_total, 10000);
    CHECK_INT(r->n_municipalities, 3);
    CHECK_STR(r->municipalities[0].name, "A");
    CHECK_INT(r->municipalities[0].participants, 5);
    CHECK_INT(r->municipalities[0].participants_bp, 4545);
    CHECK_INT(r->municipalities[0].inhabitants_bp, 6000);
    CHECK_INT(r->municipalities[0].ratio_pct, 76);
    CHECK_STR(r->municipalities[1].name, "B");
    CHECK_INT(r->municipalities[1].participants, 2);
    CHECK_INT(r->municipalities[1].participants_bp, 1818);
    CHECK_INT(r->municipalities[1].inhabitants_bp, 3000);
    CHECK_INT(r->municipalities[1].ratio_pct, 61);
    CHECK_STR(r->municipalities[2].name, "C");
    CHECK_INT(r->municipalities[2].participants, 1);
    CHECK_INT(r->municipalities[2].participants_bp, 909);
    CHECK_INT(r->municipalities[2].inhabitants_bp, 1000);
    CHECK_INT(r->municipalities[2].ratio_pct, 91);
    CHECK_INT(r->outside_participants, 3);
    CHECK_INT(r->outside_bp, 2727);
    reach_destroy(&r);
}

TEST(reach_per_target_group_youth_and_method)
{
    reach_input_t in = s_input();
    reach_t *r = reach_compute(&in, 2019, 28, NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(r->n_groups, 3);
    CHECK_STR(r->groups[0].group, "migrants");
    CHECK_INT(r->groups[0].participants, 3);
    CHECK_INT(r->groups[0].bp, 2727);
    CHECK_STR(r->groups[1].group, "parents");
    CHECK_INT(r->groups[1].participants, 2);
    CHECK_INT(r->groups[1].bp, 1818);
    CHECK_STR(r->groups[2].group, "youth");
    CHECK_INT(r->groups[2].participants, 3);
    CHECK_INT(r->groups[2].bp, 2727);
    CHECK_INT(r->youth, 5);
    CHECK_INT(r->youth_bp, 4545);
    CHECK_INT(r->n_methods, 3);
    CHECK_STR(r->methods[0].method, "FG");
    CHECK_INT(r->methods[0].sessions, 2);
    CHECK_INT(r->methods[0].attendances, 8);
    CHECK_STR(r->methods[1].method, "I");
    CHECK_INT(r->methods[1].sessions, 1);
    CHECK_INT(r->methods[1].attendances, 5);
    CHECK_STR(r->methods[2].method, "SB");
    CHECK_INT(r->methods[2].sessions, 1);
    CHECK_INT(r->methods[2].attendances, 5);
    reach_destroy(&r);
}

TEST(reach_feedback_loop_day_28_is_in_time_and_median_is_lower_middle)
{
    reach_input_t in = s_input();
    reach_t *r = reach_compute(&in, 2019, 28, NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(r->reports_published, 3);
    CHECK_INT(r->published_bp, 7500);
    CHECK_INT(r->reports_sent, 2);
    CHECK_INT(r->reports_sent_in_time, 1);
    CHECK_INT(r->sent_in_time_bp, 2500);
    CHECK(r->has_median);
    CHECK_INT(r->median_days_to_send, 28);
    reach_destroy(&r);
    //  Allowing 29 days puts S3 in time too.
    r = reach_compute(&in, 2019, 29, NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(r->reports_sent_in_time, 2);
    CHECK_INT(r->sent_in_time_bp, 5000);
    reach_destroy(&r);
}

TEST(reach_of_a_year_without_sessions_is_all_zero)
{
    reach_input_t in = s_input();
    reach_t *r = reach_compute(&in, 2017, 28, NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(r->sessions_held + r->attendances + r->participants + r->top_participants, 0);
    CHECK_INT(r->concentration_bp, 0);
    CHECK_INT(r->municipalities[0].ratio_pct, -1);
    CHECK_INT(r->n_groups + r->n_methods, 0);
    CHECK(!r->has_median);
    reach_destroy(&r);
}

TEST(reach_of_2018_counts_everyone_as_first_timer)
{
    reach_input_t in = s_input();
    reach_t *r = reach_compute(&in, 2018, 28, NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_INT(r->participants, 2);
    CHECK_INT(r->first_timers, 2);
    CHECK_INT(r->first_timers_bp, 10000);
    //  ceil(2 / 10) = 1 of 2 equal participants: half the attendances.
    CHECK_INT(r->top_participants, 1);
    CHECK_INT(r->concentration_bp, 5000);
    CHECK_INT(r->median_days_to_send, 15);
    reach_destroy(&r);
}

TEST(reach_refuses_bad_input_naming_the_field)
{
    reach_input_t in = s_input();
    sm_err_t err = {0};
    CHECK(reach_compute(&in, 0, 28, &err) == NULL);
    CHECK_STR(err.field, "year");
    sm_err_clear(&err);
    CHECK(reach_compute(&in, 2019, 0, &err) == NULL);
    CHECK_STR(err.field, "days");
    sm_err_clear(&err);
    reach_session_t twice[] = {S[0], S[1], S[0]};
    in.sessions = twice;
    in.n_sessions = 3;
    CHECK(reach_compute(&in, 2019, 28, &err) == NULL);
    CHECK_STR(err.field, "sessions");
    CHECK_STR(err.message, "session S1 appears twice; give each session once");
    sm_err_clear(&err);
    in = s_input();
    reach_municipality_t bad[] = {{"A", 6000}, {"B", -1}};
    in.municipalities = bad;
    in.n_municipalities = 2;
    CHECK(reach_compute(&in, 2019, 28, &err) == NULL);
    CHECK_STR(err.field, "municipalities");
    CHECK_STR(err.message, "municipality B has -1 inhabitants; give a number from 0 to 100000000");
    sm_err_clear(&err);
    reach_municipality_t dup[] = {{"Huizen", 1}, {"HUIZEN", 2}};
    in.municipalities = dup;
    CHECK(reach_compute(&in, 2019, 28, &err) == NULL);
    CHECK_STR(err.message, "municipality HUIZEN appears twice; give each municipality once");
}

/* ==== Tallies ============================================================= */

TEST(tally_of_youth_sessions_in_a_year)
{
    reach_input_t in = s_input();
    reach_filter_t f = {.year = 2019, .youth_only = true};
    reach_tally_t *t = reach_tally(&in, &f, NULL);
    CHECK(t != NULL);
    if (!t)
        return;
    //  S4 (P1 P2 P3 P7 P8) and S5 (P1 P9 P11): P1 in both.
    CHECK_INT(t->sessions, 2);
    CHECK_INT(t->attendances, 8);
    CHECK_INT(t->participants, 7);
    CHECK_INT(sm_date_cmp(t->first_held, D(2019, 6, 15)), 0);
    CHECK_INT(sm_date_cmp(t->last_held, D(2019, 9, 1)), 0);
    CHECK_INT(t->n_methods, 2);
    CHECK_STR(t->methods[0].method, "FG");
    CHECK_INT(t->methods[0].attendances, 3);
    CHECK_STR(t->methods[1].method, "SB");
    CHECK_INT(t->methods[1].attendances, 5);
    CHECK_INT(t->n_themes, 2);
    CHECK_STR(t->themes[0].theme_id, "T2");
    CHECK_INT(t->themes[0].sessions, 1);
    CHECK_INT(t->themes[0].participants, 5);
    CHECK_STR(t->themes[1].theme_id, "T10");
    CHECK_INT(t->themes[1].participants, 3);
    reach_tally_destroy(&t);
    CHECK(t == NULL);
}

TEST(tally_of_one_theme_over_all_years)
{
    reach_input_t in = s_input();
    reach_filter_t f = {.theme_id = "T1"};
    reach_tally_t *t = reach_tally(&in, &f, NULL);
    CHECK(t != NULL);
    if (!t)
        return;
    //  S1 (P2 P4), S2 (P1..P5), S7 (P5): 8 attendances by 5 people.
    CHECK_INT(t->sessions, 3);
    CHECK_INT(t->attendances, 8);
    CHECK_INT(t->participants, 5);
    CHECK_INT(sm_date_cmp(t->first_held, D(2018, 11, 5)), 0);
    CHECK_INT(sm_date_cmp(t->last_held, D(2020, 1, 10)), 0);
    CHECK_INT(t->n_themes, 1);
    CHECK_INT(t->themes[0].n_methods, 2);
    const reach_method_row_t *m = &t->theme_methods[t->themes[0].first_method];
    CHECK_STR(m[0].method, "FG");
    CHECK_INT(m[0].sessions, 2);
    CHECK_INT(m[0].attendances, 7);
    CHECK_STR(m[1].method, "KB");
    CHECK_INT(m[1].sessions, 1);
    CHECK_INT(m[1].attendances, 1);
    reach_tally_destroy(&t);
}

TEST(tally_of_a_year_gives_every_theme_in_natural_order_with_its_methods)
{
    reach_input_t in = s_input();
    reach_filter_t f = {.year = 2019};
    reach_tally_t *t = reach_tally(&in, &f, NULL);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_INT(t->n_themes, 3);
    CHECK_STR(t->themes[0].theme_id, "T1");
    CHECK_STR(t->themes[1].theme_id, "T2");
    CHECK_STR(t->themes[2].theme_id, "T10");
    const reach_theme_row_t *t2 = &t->themes[1];
    CHECK_INT(t2->sessions, 2);
    CHECK_INT(t2->attendances, 10);
    CHECK_INT(t2->participants, 7); //  S3 P1 P2 P3 P6 P10, S4 adds P7 P8
    CHECK_INT(t2->n_methods, 2);
    CHECK_STR(t->theme_methods[t2->first_method].method, "I");
    CHECK_STR(t->theme_methods[t2->first_method + 1].method, "SB");
    CHECK_INT(sm_date_cmp(t2->first_held, D(2019, 3, 1)), 0);
    CHECK_INT(sm_date_cmp(t2->last_held, D(2019, 6, 15)), 0);
    const reach_theme_row_t *t10 = &t->themes[2];
    CHECK_INT(t10->n_methods, 1);
    CHECK_STR(t->theme_methods[t10->first_method].method, "FG");
    CHECK_INT(t->theme_methods[t10->first_method].attendances, 3);
    reach_tally_destroy(&t);
}

/* ==== Vocabulary ========================================================== */

TEST(age_bands_under_27_are_youth)
{
    CHECK(reach_age_band_is_youth("18-26"));
    CHECK(reach_age_band_is_youth("0-17"));
    CHECK(reach_age_band_is_youth("<27"));
    CHECK(reach_age_band_is_youth("Under 18"));
    CHECK(!reach_age_band_is_youth("<28"));
    CHECK(!reach_age_band_is_youth("18-27"));
    CHECK(!reach_age_band_is_youth("27-44"));
    CHECK(!reach_age_band_is_youth("65+"));
    CHECK(!reach_age_band_is_youth("26-18"));
    CHECK(!reach_age_band_is_youth("young"));
    CHECK(!reach_age_band_is_youth(""));
    CHECK(!reach_age_band_is_youth(NULL));
    CHECK(!reach_age_band_is_youth("1000-2000"));
    //  Exactly the bands intake emits: "<18" and "18-26" are youth.
    CHECK(reach_age_band_is_youth("<18"));
    CHECK(reach_age_band_is_youth("18-26"));
    CHECK(!reach_age_band_is_youth("27-40"));
    CHECK(!reach_age_band_is_youth("41-65"));
    CHECK(!reach_age_band_is_youth("66+"));
    CHECK(!reach_age_band_is_youth("unknown"));
}

TEST(method_codes_have_names)
{
    CHECK_STR(reach_method_name("FG"), "focus group");
    CHECK_STR(reach_method_name("SB"), "mirror meeting");
    CHECK(reach_method_name("XY") == NULL);
    CHECK(reach_method_name(NULL) == NULL);
}

/* ==== Scale ================================================================ */

TEST(reach_is_fast_for_10000_sessions_and_100000_attendances)
{
    enum { NS = 10000, NA = 100000, NP = 20000 };
    reach_session_t *s = calloc(NS, sizeof *s);
    reach_attendance_t *a = calloc(NA, sizeof *a);
    reach_participant_t *p = calloc(NP, sizeof *p);
    char(*sid)[16] = calloc(NS, 16);
    char(*pid)[16] = calloc(NP, 16);
    static const char *methods[] = {"FG", "I", "SB", "E", "KB"};
    static const char *themes[] = {"T1", "T2", "T3", "T4", "T5", "T6", "T7"};
    for (int i = 0; i < NS; i++) {
        snprintf(sid[i], 16, "S%d", i + 1);
        s[i] = (reach_session_t){sid[i],
                                 themes[i % 7],
                                 methods[i % 5],
                                 true,
                                 sm_date_add_days((sm_date_t){2016, 1, 1}, i % 2900),
                                 i % 3 == 0,
                                 i % 2 == 0,
                                 i % 4 == 0,
                                 sm_date_add_days((sm_date_t){2016, 1, 1}, i % 2900 + i % 40)};
    }
    for (int i = 0; i < NP; i++) {
        snprintf(pid[i], 16, "P%d", i + 1);
        p[i] = (reach_participant_t){pid[i], i % 2 ? "A" : "B", NULL, 0, i % 5 ? "27-44" : "18-26"};
    }
    //  A skewed spread: low participant numbers come far more often.
    unsigned x = 12345;
    for (int i = 0; i < NA; i++) {
        x = x * 1103515245u + 12345u;
        unsigned r = (x >> 8) % NP;
        a[i] = (reach_attendance_t){sid[(x >> 4) % NS], pid[(r * r / NP) % NP], true};
    }
    reach_input_t in = {s, NS, a, NA, p, NP, M, N(M)};
    clock_t t0 = clock();
    reach_t *r = reach_compute(&in, 2019, 28, NULL);
    reach_filter_t f = {.year = 2019};
    reach_tally_t *t = reach_tally(&in, &f, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(r != NULL && t != NULL);
    if (r && t) {
        CHECK_INT(r->first_timers + r->returning, r->participants);
        CHECK_INT(t->participants, r->participants);
        CHECK_INT(t->attendances, r->attendances);
        CHECK(r->concentration_bp > 1000); //  skewed: the top 10% make more than 10%
    }
    //  Generous for a sanitizer build on a shared machine; O(n^2) would take minutes.
    CHECK(secs < 5.0);
    reach_destroy(&r);
    reach_tally_destroy(&t);
    free(s);
    free(a);
    free(p);
    free(sid);
    free(pid);
}

int main(void)
{
    RUN(reach_counts_participants_first_timers_and_concentration);
    RUN(reach_per_municipality_against_population_share);
    RUN(reach_per_target_group_youth_and_method);
    RUN(reach_feedback_loop_day_28_is_in_time_and_median_is_lower_middle);
    RUN(reach_of_a_year_without_sessions_is_all_zero);
    RUN(reach_of_2018_counts_everyone_as_first_timer);
    RUN(reach_refuses_bad_input_naming_the_field);
    RUN(tally_of_youth_sessions_in_a_year);
    RUN(tally_of_one_theme_over_all_years);
    RUN(tally_of_a_year_gives_every_theme_in_natural_order_with_its_methods);
    RUN(age_bands_under_27_are_youth);
    RUN(method_codes_have_names);
    RUN(reach_is_fast_for_10000_sessions_and_100000_attendances);
    return DONE();
}
