/*  tests/unit/finance/test_grant.c - grants: pools, steps, figures. */
#include "common/money.h"
#include "services/finance/grant.h"
#include "tests/unit/test.h"

#define EUR(x) ((int64_t)(x)*100)

static grant_application_t s_app(int64_t requested)
{
    grant_application_t a;
    grant_application_init(&a, requested, NULL);
    return a;
}

TEST(pools_of_each_kind_are_valid_with_their_own_details)
{
    grant_pool_t d = {GRANT_POOL_DISTRICT, 2019, EUR(5000), "Noord", NULL};
    grant_pool_t c = {GRANT_POOL_CITY_WIDE, 2019, EUR(20000), NULL, NULL};
    grant_pool_t e = {GRANT_POOL_EARMARKED, 2019, EUR(8000), NULL, "vulnerable elderly"};
    CHECK_INT(grant_pool_validate(&d, NULL), 0);
    CHECK_INT(grant_pool_validate(&c, NULL), 0);
    CHECK_INT(grant_pool_validate(&e, NULL), 0);
}

TEST(bad_pools_are_refused_naming_the_field)
{
    sm_err_t err = {0};
    grant_pool_t p = {GRANT_POOL_DISTRICT, 2019, EUR(5000), NULL, NULL};
    CHECK_INT(grant_pool_validate(&p, &err), -1);
    CHECK_STR(err.field, "district");
    p.district = "  ";
    CHECK_INT(grant_pool_validate(&p, &err), -1);
    CHECK_STR(err.field, "district");
    p.district = "Noord";
    p.earmark = "elderly";
    CHECK_INT(grant_pool_validate(&p, &err), -1);
    CHECK_STR(err.field, "earmark");
    grant_pool_t c = {GRANT_POOL_CITY_WIDE, 2019, EUR(20000), "Noord", NULL};
    CHECK_INT(grant_pool_validate(&c, &err), -1);
    CHECK_STR(err.field, "district");
    CHECK_STR(err.message, "a city_wide pool belongs to no district; leave district out or "
                           "choose kind district");
    grant_pool_t e = {GRANT_POOL_EARMARKED, 2019, EUR(8000), NULL, NULL};
    CHECK_INT(grant_pool_validate(&e, &err), -1);
    CHECK_STR(err.field, "earmark");
    grant_pool_t y = {GRANT_POOL_CITY_WIDE, 1999, EUR(1), NULL, NULL};
    CHECK_INT(grant_pool_validate(&y, &err), -1);
    CHECK_STR(err.field, "year");
    CHECK_STR(err.message, "year 1999 is out of range; give a year from 2000 to 2100");
    grant_pool_t m = {GRANT_POOL_CITY_WIDE, 2019, -1, NULL, NULL};
    CHECK_INT(grant_pool_validate(&m, &err), -1);
    CHECK_STR(err.field, "amount");
    grant_pool_t k = {(grant_pool_kind_t)0, 2019, EUR(1), NULL, NULL};
    CHECK_INT(grant_pool_validate(&k, &err), -1);
    CHECK_STR(err.field, "kind");
}

TEST(application_starts_submitted_with_a_positive_request)
{
    grant_application_t a = s_app(EUR(750));
    CHECK_INT(a.state, GRANT_SUBMITTED);
    CHECK_INT(a.requested_cents, EUR(750));
    CHECK_INT(a.result, GRANT_RESULT_NONE);
    sm_err_t err = {0};
    grant_application_t b = {GRANT_CLOSED, 1, 2, 3, GRANT_RESULT_PARTLY};
    CHECK_INT(grant_application_init(&b, 0, &err), -1);
    CHECK_STR(err.field, "requested");
    CHECK_INT(b.state, GRANT_CLOSED);
}

TEST(award_beyond_the_pools_remainder_is_refused)
{
    grant_application_t a = s_app(EUR(2500));
    sm_err_t err = {0};
    CHECK_INT(grant_award(&a, EUR(2000), EUR(1500), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "amount");
    CHECK(strstr(err.message, "award EUR 2,000.00 exceeds pool's remaining EUR 1,500.00") ==
          err.message);
    CHECK_INT(a.state, GRANT_SUBMITTED);
    CHECK_INT(a.awarded_cents, 0);
}

TEST(award_of_exactly_the_remainder_is_allowed)
{
    grant_application_t a = s_app(EUR(2500));
    CHECK_INT(grant_award(&a, EUR(1500), EUR(1500), NULL), 0);
    CHECK_INT(a.state, GRANT_AWARDED);
    CHECK_INT(a.awarded_cents, EUR(1500));
}

TEST(award_beyond_the_request_or_of_nothing_is_refused)
{
    grant_application_t a = s_app(EUR(500));
    sm_err_t err = {0};
    CHECK_INT(grant_award(&a, EUR(600), EUR(10000), &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.message,
              "award EUR 600.00 exceeds the EUR 500.00 requested; award at most what was asked");
    CHECK_INT(grant_award(&a, 0, EUR(10000), &err), -1);
    CHECK_STR(err.field, "amount");
}

TEST(pool_remainder_counts_only_standing_awards)
{
    grant_application_t apps[6] = {s_app(EUR(1000)), s_app(EUR(1000)), s_app(EUR(1000)),
                                   s_app(EUR(1000)), s_app(EUR(1000)), s_app(EUR(1000))};
    int64_t awarded = -1;
    CHECK_INT(grant_pool_awarded(apps, 6, &awarded, NULL), 0);
    CHECK_INT(awarded, 0);
    CHECK_INT(grant_award(&apps[0], EUR(1000), EUR(5000), NULL), 0);
    CHECK_INT(grant_award(&apps[1], EUR(800), EUR(4000), NULL), 0);
    CHECK_INT(grant_pay(&apps[1], EUR(800), NULL), 0);
    CHECK_INT(grant_award(&apps[2], EUR(700), EUR(3200), NULL), 0);
    CHECK_INT(grant_withdraw(&apps[2], NULL), 0); /*  back to the pool */
    CHECK_INT(grant_reject(&apps[3], "no residents in the lead", NULL), 0);
    CHECK_INT(grant_pool_awarded(apps, 6, &awarded, NULL), 0);
    CHECK_INT(awarded, EUR(1800));
    CHECK_INT(grant_pool_remaining(EUR(5000), awarded), EUR(3200));
    /*  a sixth application for more than is left */
    sm_err_t err = {0};
    CHECK_INT(grant_award(&apps[5], EUR(1000), EUR(300), &err), -1);
    CHECK_STR(err.message, "award EUR 1,000.00 exceeds pool's remaining EUR 300.00; award less, "
                           "or from another pool");
}

TEST(rejection_needs_a_reason)
{
    grant_application_t a = s_app(EUR(500));
    sm_err_t err = {0};
    CHECK_INT(grant_reject(&a, NULL, &err), -1);
    CHECK_STR(err.field, "reason");
    CHECK_INT(grant_reject(&a, " \n", &err), -1);
    CHECK_STR(err.field, "reason");
    CHECK_INT(a.state, GRANT_SUBMITTED);
    char long_reason[GRANT_REASON_MAX + 2];
    memset(long_reason, 'x', sizeof long_reason - 1);
    long_reason[sizeof long_reason - 1] = '\0';
    CHECK_INT(grant_reject(&a, long_reason, &err), -1);
    CHECK_INT(grant_reject(&a, "professional care already covers this", &err), 0);
    CHECK_INT(a.state, GRANT_REJECTED);
}

TEST(full_life_of_a_walking_group_for_lung_patients)
{
    grant_application_t a = s_app(EUR(400));
    CHECK_INT(grant_award(&a, EUR(350), EUR(5000), NULL), 0);
    CHECK_INT(grant_pay(&a, EUR(350), NULL), 0);
    CHECK_INT(a.state, GRANT_PAID);
    CHECK_INT(a.paid_cents, EUR(350));
    CHECK_INT(grant_evaluate(&a, NULL), 0);
    CHECK_INT(a.state, GRANT_EVALUATED);
    CHECK_INT(grant_account(&a, GRANT_RESULT_REACHED, NULL), 0);
    CHECK_INT(a.state, GRANT_ACCOUNTED);
    CHECK_INT(a.result, GRANT_RESULT_REACHED);
    CHECK_INT(grant_close(&a, NULL), 0);
    CHECK_INT(a.state, GRANT_CLOSED);
}

TEST(a_festival_may_be_accounted_without_interim_visit_and_failure_is_accepted)
{
    grant_application_t a = s_app(EUR(1200));
    CHECK_INT(grant_award(&a, EUR(1200), EUR(5000), NULL), 0);
    CHECK_INT(grant_pay(&a, EUR(1000), NULL), 0);
    CHECK_INT(grant_account(&a, GRANT_RESULT_NOT_REACHED, NULL), 0);
    CHECK_INT(grant_close(&a, NULL), 0);
    CHECK_INT(a.result, GRANT_RESULT_NOT_REACHED);
}

TEST(steps_out_of_order_are_refused_saying_which_state_allows_them)
{
    sm_err_t err = {0};
    grant_application_t a = s_app(EUR(500));
    CHECK_INT(grant_pay(&a, EUR(100), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "state");
    CHECK_STR(err.message, "application is submitted; only an awarded application can be paid");
    CHECK_INT(grant_evaluate(&a, &err), -1);
    CHECK_STR(err.message, "application is submitted; only a paid application can be evaluated");
    CHECK_INT(grant_account(&a, GRANT_RESULT_REACHED, &err), -1);
    CHECK_INT(grant_close(&a, &err), -1);
    CHECK_INT(grant_award(&a, EUR(500), EUR(500), NULL), 0);
    CHECK_INT(grant_award(&a, EUR(500), EUR(500), &err), -1);
    CHECK_STR(err.message, "application is already awarded");
    CHECK_INT(grant_reject(&a, "too late", &err), -1);
    CHECK_STR(err.message, "application is awarded; only a submitted application can be "
                           "rejected");
    CHECK_INT(grant_pay(&a, EUR(500), NULL), 0);
    CHECK_INT(grant_withdraw(&a, &err), -1);
    CHECK_STR(err.message, "application is paid; only a submitted or awarded (unpaid) "
                           "application can be withdrawn");
    CHECK_INT(grant_pay(&a, EUR(500), &err), -1);
    CHECK_STR(err.message, "application is already paid");
    CHECK_INT(grant_close(&a, &err), -1);
    CHECK_STR(err.message, "application is paid; only an accounted application can be closed");
    CHECK_INT(a.state, GRANT_PAID);
}

TEST(final_states_allow_nothing)
{
    grant_application_t r = s_app(EUR(500));
    grant_reject(&r, "criteria not met", NULL);
    grant_application_t w = s_app(EUR(500));
    grant_withdraw(&w, NULL);
    grant_application_t c = s_app(EUR(500));
    grant_award(&c, EUR(500), EUR(500), NULL);
    grant_pay(&c, EUR(500), NULL);
    grant_account(&c, GRANT_RESULT_PARTLY, NULL);
    grant_close(&c, NULL);
    grant_application_t *all[3] = {&r, &w, &c};
    for (int i = 0; i < 3; i++) {
        grant_state_t before = all[i]->state;
        CHECK_INT(grant_award(all[i], EUR(1), EUR(1000), NULL), -1);
        CHECK_INT(grant_reject(all[i], "again", NULL), -1);
        CHECK_INT(grant_withdraw(all[i], NULL), -1);
        CHECK_INT(grant_pay(all[i], EUR(1), NULL), -1);
        CHECK_INT(grant_evaluate(all[i], NULL), -1);
        CHECK_INT(grant_account(all[i], GRANT_RESULT_REACHED, NULL), -1);
        CHECK_INT(grant_close(all[i], NULL), -1);
        CHECK_INT(all[i]->state, before);
    }
}

TEST(payment_beyond_the_award_is_refused)
{
    grant_application_t a = s_app(EUR(500));
    grant_award(&a, EUR(400), EUR(1000), NULL);
    sm_err_t err = {0};
    CHECK_INT(grant_pay(&a, EUR(450), &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.message,
              "payment EUR 450.00 exceeds the award of EUR 400.00; pay at most what was awarded");
    CHECK_INT(grant_pay(&a, 0, &err), -1);
    CHECK_INT(a.state, GRANT_AWARDED);
}

TEST(accounting_needs_a_result)
{
    grant_application_t a = s_app(EUR(500));
    grant_award(&a, EUR(500), EUR(1000), NULL);
    grant_pay(&a, EUR(500), NULL);
    sm_err_t err = {0};
    CHECK_INT(grant_account(&a, GRANT_RESULT_NONE, &err), -1);
    CHECK_STR(err.field, "result");
    CHECK_INT(a.state, GRANT_PAID);
}

TEST(stats_over_85_initiatives_show_more_than_three_quarters_reached)
{
    /*  The second city's figures: 85 initiatives in three years, more than
        three quarters reached the intended result. */
    grant_application_t apps[90];
    for (int i = 0; i < 85; i++) {
        apps[i] = s_app(EUR(600));
        grant_award(&apps[i], EUR(500), EUR(100000), NULL);
        grant_pay(&apps[i], EUR(500), NULL);
        grant_account(&apps[i],
                      i < 65   ? GRANT_RESULT_REACHED
                      : i < 80 ? GRANT_RESULT_PARTLY
                               : GRANT_RESULT_NOT_REACHED,
                      NULL);
        if (i % 2)
            grant_close(&apps[i], NULL);
    }
    apps[85] = s_app(EUR(300)); /*  submitted */
    apps[86] = s_app(EUR(300));
    grant_reject(&apps[86], "professional care", NULL);
    apps[87] = s_app(EUR(300));
    grant_withdraw(&apps[87], NULL);
    apps[88] = s_app(EUR(300));
    grant_award(&apps[88], EUR(250), EUR(1000), NULL); /*  awarded, unpaid */
    apps[89] = s_app(EUR(300));
    grant_award(&apps[89], EUR(300), EUR(1000), NULL);
    grant_pay(&apps[89], EUR(300), NULL); /*  paid, running */

    grant_stats_t s;
    CHECK_INT(grant_stats(apps, 90, &s, NULL), 0);
    CHECK_INT(s.count, 90);
    CHECK_INT(s.requested_cents, 85 * EUR(600) + 5 * EUR(300));
    CHECK_INT(s.awarded_count, 87);
    CHECK_INT(s.awarded_cents, 85 * EUR(500) + EUR(250) + EUR(300));
    CHECK_INT(s.paid_cents, 85 * EUR(500) + EUR(300));
    CHECK_INT(s.rejected_count, 1);
    CHECK_INT(s.withdrawn_count, 1);
    CHECK_INT(s.accounted_count, 85);
    CHECK_INT(s.reached_count, 65);
    CHECK_INT(s.partly_count, 15);
    CHECK_INT(s.not_reached_count, 5);
    CHECK_INT(s.reached_bp, 7647); /*  65 / 85 = 76.47% */
}

TEST(stats_of_nothing_are_zero)
{
    grant_stats_t s;
    CHECK_INT(grant_stats(NULL, 0, &s, NULL), 0);
    CHECK_INT(s.count, 0);
    CHECK_INT(s.reached_bp, 0);
}

TEST(stats_refuse_sums_that_overflow)
{
    grant_application_t apps[10];
    for (int i = 0; i < 10; i++)
        apps[i] = (grant_application_t){GRANT_SUBMITTED, INT64_MAX / 4, 0, 0, GRANT_RESULT_NONE};
    grant_stats_t s;
    sm_err_t err = {0};
    CHECK_INT(grant_stats(apps, 10, &s, &err), -1);
    CHECK_STR(err.code, SM_E_INTERNAL);
}

TEST(reached_share_rounds_half_up)
{
    grant_application_t apps[3];
    for (int i = 0; i < 3; i++) {
        apps[i] = s_app(EUR(100));
        grant_award(&apps[i], EUR(100), EUR(1000), NULL);
        grant_pay(&apps[i], EUR(100), NULL);
        grant_account(&apps[i], i < 2 ? GRANT_RESULT_REACHED : GRANT_RESULT_PARTLY, NULL);
    }
    grant_stats_t s;
    grant_stats(apps, 3, &s, NULL);
    CHECK_INT(s.reached_bp, 6667);
}

TEST(names_round_trip)
{
    for (int k = GRANT_POOL_DISTRICT; k <= GRANT_POOL_EARMARKED; k++) {
        grant_pool_kind_t back = 0;
        CHECK_INT(grant_pool_kind_parse(grant_pool_kind_name((grant_pool_kind_t)k), &back, NULL),
                  0);
        CHECK_INT(back, k);
    }
    for (int st = GRANT_SUBMITTED; st <= GRANT_WITHDRAWN; st++) {
        grant_state_t back = 0;
        CHECK_INT(grant_state_parse(grant_state_name((grant_state_t)st), &back, NULL), 0);
        CHECK_INT(back, st);
    }
    for (int r = GRANT_RESULT_REACHED; r <= GRANT_RESULT_NOT_REACHED; r++) {
        grant_result_t back = 0;
        CHECK_INT(grant_result_parse(grant_result_name((grant_result_t)r), &back, NULL), 0);
        CHECK_INT(back, r);
    }
    grant_result_t r;
    sm_err_t err = {0};
    CHECK_INT(grant_result_parse("not", &r, NULL), 0);
    CHECK_INT(r, GRANT_RESULT_NOT_REACHED);
    CHECK_INT(grant_result_parse("none", &r, &err), -1);
    CHECK_STR(err.field, "result");
    CHECK_STR(grant_pool_kind_name(GRANT_POOL_CITY_WIDE), "city_wide");
    CHECK_STR(grant_state_name((grant_state_t)0), "unknown");
    grant_state_t st;
    CHECK_INT(grant_state_parse("open", &st, &err), -1);
    CHECK_STR(err.field, "state");
    grant_pool_kind_t k;
    CHECK_INT(grant_pool_kind_parse(NULL, &k, &err), -1);
    CHECK_STR(err.field, "kind");
}

int main(void)
{
    RUN(pools_of_each_kind_are_valid_with_their_own_details);
    RUN(bad_pools_are_refused_naming_the_field);
    RUN(application_starts_submitted_with_a_positive_request);
    RUN(award_beyond_the_pools_remainder_is_refused);
    RUN(award_of_exactly_the_remainder_is_allowed);
    RUN(award_beyond_the_request_or_of_nothing_is_refused);
    RUN(pool_remainder_counts_only_standing_awards);
    RUN(rejection_needs_a_reason);
    RUN(full_life_of_a_walking_group_for_lung_patients);
    RUN(a_festival_may_be_accounted_without_interim_visit_and_failure_is_accepted);
    RUN(steps_out_of_order_are_refused_saying_which_state_allows_them);
    RUN(final_states_allow_nothing);
    RUN(payment_beyond_the_award_is_refused);
    RUN(accounting_needs_a_result);
    RUN(stats_over_85_initiatives_show_more_than_three_quarters_reached);
    RUN(stats_of_nothing_are_zero);
    RUN(stats_refuse_sums_that_overflow);
    RUN(reached_share_rounds_half_up);
    RUN(names_round_trip);
    return DONE();
}
