/*  tests/unit/finance/test_budget.c - budget lines are computed, and checked. */
#include "common/money.h"
#include "services/finance/budget.h"
#include "tests/unit/test.h"

#define EUR(x) ((int64_t)(x)*100)

static budget_line_t s_per_week(int64_t hours_x100, int64_t rate, int64_t weeks_x100)
{
    budget_line_t l = {0};
    l.kind = BUDGET_HOURS_PER_WEEK;
    l.hours_x100 = hours_x100;
    l.rate_cents = rate;
    l.weeks_x100 = weeks_x100;
    return l;
}

static budget_line_t s_pilot(void)
{
    budget_line_t l = {0};
    l.kind = BUDGET_PILOT;
    l.hours_x100 = 400;
    l.weeks_x100 = 3750;
    l.rate_cents = EUR(50);
    l.has_period = true;
    l.period.kind = SM_PERIOD_RANGE;
    l.period.from = (sm_date_t){2020, 1, 1};
    l.period.to = (sm_date_t){2020, 9, 30};
    return l;
}

TEST(coordination_10_hours_a_week_at_50_for_45_weeks_is_22500)
{
    budget_line_t l = s_per_week(1000, EUR(50), 4500);
    int64_t amount = -1;
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, EUR(22500));
}

TEST(coordination_10_hours_a_week_at_80_for_46_weeks_is_36800)
{
    budget_line_t l = s_per_week(1000, EUR(80), 4600);
    int64_t amount = -1;
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, EUR(36800));
}

TEST(pilot_4_hours_a_week_over_37_5_weeks_at_50_is_7500)
{
    budget_line_t l = s_pilot();
    int64_t amount = -1;
    sm_err_t err = {0};
    CHECK_INT(budget_line_compute(&l, &amount, &err), 0);
    CHECK_INT(amount, EUR(7500));
}

TEST(pilot_weeks_must_fit_in_its_period)
{
    budget_line_t l = s_pilot();
    l.period.to = (sm_date_t){2020, 6, 30}; /*  182 days = 26 weeks */
    sm_err_t err = {0};
    int64_t amount;
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "weeks");
    CHECK(strstr(err.message, "37.5 weeks do not fit in the period") == err.message);
    /*  exactly 26 weeks fit in 182 days */
    l.weeks_x100 = 2600;
    CHECK_INT(budget_line_compute(&l, &amount, &err), 0);
    CHECK_INT(amount, EUR(5200));
    l.weeks_x100 = 2601;
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
}

TEST(pilot_without_period_or_with_a_reversed_one_is_refused)
{
    budget_line_t l = s_pilot();
    l.has_period = false;
    sm_err_t err = {0};
    int64_t amount;
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "period");
    l = s_pilot();
    l.period.from = (sm_date_t){2020, 10, 1};
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "period");
}

TEST(hours_per_week_line_has_no_period)
{
    budget_line_t l = s_pilot();
    l.kind = BUDGET_HOURS_PER_WEEK;
    sm_err_t err = {0};
    int64_t amount;
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "period");
}

TEST(total_hours_line_is_hours_times_rate_rounded_half_up)
{
    budget_line_t l = {0};
    l.kind = BUDGET_TOTAL_HOURS;
    l.hours_x100 = 12000;
    l.rate_cents = EUR(50);
    int64_t amount;
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, EUR(6000));
    /*  7.5 hours x EUR 33.33 = EUR 249.975 -> EUR 249.98 */
    l.hours_x100 = 750;
    l.rate_cents = 3333;
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, 24998);
    /*  7.49 hours x EUR 33.33 = EUR 249.6417 -> EUR 249.64 */
    l.hours_x100 = 749;
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, 24964);
}

TEST(per_week_half_cent_rounds_up)
{
    /*  1 h/week x 0.01 weeks x EUR 0.50 = half a cent -> 1 cent;
        x EUR 0.49 = 0.49 cent -> 0 */
    budget_line_t l = s_per_week(100, 50, 1);
    int64_t amount;
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, 1);
    l.rate_cents = 49;
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, 0);
}

TEST(fixed_and_reimbursement_lines)
{
    budget_line_t l = {0};
    int64_t amount;
    l.kind = BUDGET_FIXED;
    l.amount_cents = EUR(4250);
    CHECK_INT(budget_line_compute(&l, &amount, NULL), 0);
    CHECK_INT(amount, EUR(4250));

    budget_line_t r = {0};
    r.kind = BUDGET_REIMBURSEMENT;
    r.per_claim_cents = EUR(15);
    r.claims = 160;
    CHECK_INT(budget_line_compute(&r, &amount, NULL), 0);
    CHECK_INT(amount, EUR(2400));

    budget_line_t f = {0};
    f.kind = BUDGET_REIMBURSEMENT;
    f.amount_cents = EUR(2500);
    CHECK_INT(budget_line_compute(&f, &amount, NULL), 0);
    CHECK_INT(amount, EUR(2500));
}

TEST(reimbursement_line_is_per_claim_or_fixed_not_both)
{
    budget_line_t r = {0};
    sm_err_t err = {0};
    int64_t amount;
    r.kind = BUDGET_REIMBURSEMENT;
    r.per_claim_cents = EUR(15);
    r.claims = 160;
    r.amount_cents = EUR(2500);
    CHECK_INT(budget_line_compute(&r, &amount, &err), -1);
    CHECK_STR(err.field, "amount");
    r.amount_cents = 0;
    r.per_claim_cents = 0;
    CHECK_INT(budget_line_compute(&r, &amount, &err), -1);
    CHECK_STR(err.field, "per_claim");
}

TEST(negative_parts_are_refused_naming_the_part)
{
    sm_err_t err = {0};
    int64_t amount;
    budget_line_t l = s_per_week(-100, EUR(50), 4500);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "hours");
    CHECK_STR(err.message, "hours is negative; give zero or more");
    l = s_per_week(1000, EUR(50), -1);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "weeks");
    l = s_per_week(1000, -1, 4500);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "rate");
    budget_line_t f = {0};
    f.kind = BUDGET_FIXED;
    f.amount_cents = -EUR(1);
    CHECK_INT(budget_line_compute(&f, &amount, &err), -1);
    CHECK_STR(err.field, "amount");
    budget_line_t r = {0};
    r.kind = BUDGET_REIMBURSEMENT;
    r.per_claim_cents = EUR(15);
    r.claims = -3;
    CHECK_INT(budget_line_compute(&r, &amount, &err), -1);
    CHECK_STR(err.field, "claims");
    l = s_per_week(1000, EUR(50), 4500);
    l.has_stated = true;
    l.stated_cents = -EUR(1);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "stated");
}

TEST(a_part_the_kind_does_not_use_is_refused)
{
    sm_err_t err = {0};
    int64_t amount;
    budget_line_t f = {0};
    f.kind = BUDGET_FIXED;
    f.amount_cents = EUR(100);
    f.hours_x100 = 1000;
    CHECK_INT(budget_line_compute(&f, &amount, &err), -1);
    CHECK_STR(err.field, "hours");
    CHECK_STR(err.message, "a fixed line has no hours; leave hours out or choose another kind");
    budget_line_t l = s_per_week(1000, EUR(50), 4500);
    l.amount_cents = EUR(22500);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "amount");
}

TEST(impossible_hours_and_weeks_and_unknown_kind_are_refused)
{
    sm_err_t err = {0};
    int64_t amount;
    budget_line_t l = s_per_week(16801, EUR(50), 4500);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "hours");
    CHECK_STR(err.message, "168.01 hours a week is more than a week has; give at most 168");
    l = s_per_week(16800, EUR(50), 52001);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "weeks");
    l.kind = (budget_kind_t)42;
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "kind");
}

TEST(a_line_beyond_the_largest_amount_is_refused_not_wrapped)
{
    sm_err_t err = {0};
    int64_t amount = 7;
    budget_line_t l = s_per_week(16800, SM_MONEY_MAX, 52000);
    CHECK_INT(budget_line_compute(&l, &amount, &err), -1);
    CHECK_STR(err.field, "amount");
    CHECK_INT(amount, 7);
    budget_line_t r = {0};
    r.kind = BUDGET_REIMBURSEMENT;
    r.per_claim_cents = SM_MONEY_MAX;
    r.claims = SM_MONEY_MAX;
    CHECK_INT(budget_line_compute(&r, &amount, &err), -1);
}

TEST(stated_amount_ten_times_its_own_hours_is_called_ten_times)
{
    budget_line_t l = s_per_week(1000, EUR(80), 4500);
    l.has_stated = true;
    l.stated_cents = EUR(360000);
    budget_check_t c;
    sm_err_t err = {0};
    CHECK_INT(budget_line_check(&l, &c, &err), 1);
    CHECK_INT(c.computed_cents, EUR(36000));
    CHECK_INT(c.stated_cents, EUR(360000));
    CHECK(!c.consistent);
    CHECK(c.ten_times);
    CHECK_STR(c.message,
              "stated EUR 360,000.00 is 10 x its own 10 h/week x EUR 80.00 x 45 weeks = "
              "EUR 36,000.00; ten times too much, a slip of a zero? correct the stated amount or "
              "the line's parts");
}

TEST(stated_amount_a_tenth_of_its_own_hours_is_called_ten_times_too_little)
{
    budget_line_t l = s_per_week(1000, EUR(50), 4500);
    l.has_stated = true;
    l.stated_cents = EUR(2250);
    budget_check_t c;
    CHECK_INT(budget_line_check(&l, &c, NULL), 1);
    CHECK(c.ten_times);
    CHECK_STR(c.message, "stated EUR 2,250.00 is a tenth of its own 10 h/week x EUR 50.00 x 45 "
                         "weeks = EUR 22,500.00; ten times too little, a dropped zero? correct "
                         "the stated amount or the line's parts");
}

TEST(stated_amount_otherwise_different_says_by_how_much)
{
    budget_line_t l = s_pilot();
    l.has_stated = true;
    l.stated_cents = EUR(7400);
    budget_check_t c;
    CHECK_INT(budget_line_check(&l, &c, NULL), 1);
    CHECK(!c.ten_times);
    CHECK_STR(c.message, "stated EUR 7,400.00 differs from its own 4 h/week x EUR 50.00 x 37.5 "
                         "weeks in 2020-01-01..2020-09-30 = EUR 7,500.00 by EUR 100.00; correct "
                         "the stated amount or the line's parts");
}

TEST(stated_amount_equal_to_computed_is_consistent)
{
    budget_line_t l = s_per_week(1000, EUR(80), 4600);
    l.has_stated = true;
    l.stated_cents = EUR(36800);
    budget_check_t c;
    CHECK_INT(budget_line_check(&l, &c, NULL), 0);
    CHECK(c.consistent);
    CHECK(!c.ten_times);
    CHECK_STR(c.message, "");
    l.has_stated = false;
    CHECK_INT(budget_line_check(&l, &c, NULL), 0);
    CHECK(c.consistent);
    CHECK(!c.has_stated);
}

TEST(check_of_an_invalid_line_fails_like_compute)
{
    budget_line_t l = s_per_week(1000, -5, 4600);
    budget_check_t c;
    sm_err_t err = {0};
    CHECK_INT(budget_line_check(&l, &c, &err), -1);
    CHECK_STR(err.field, "rate");
}

TEST(line_descriptions_read_like_the_documents)
{
    char buf[200];
    budget_line_t l = s_per_week(1000, EUR(80), 4600);
    CHECK_STR(budget_line_describe(&l, buf, sizeof buf), "10 h/week x EUR 80.00 x 46 weeks");
    budget_line_t t = {0};
    t.kind = BUDGET_TOTAL_HOURS;
    t.hours_x100 = 425;
    t.rate_cents = EUR(50);
    CHECK_STR(budget_line_describe(&t, buf, sizeof buf), "4.25 hours x EUR 50.00");
    budget_line_t r = {0};
    r.kind = BUDGET_REIMBURSEMENT;
    r.per_claim_cents = EUR(15);
    r.claims = 160;
    CHECK_STR(budget_line_describe(&r, buf, sizeof buf), "EUR 15.00 x 160 claims");
    budget_line_t f = {0};
    f.kind = BUDGET_FIXED;
    f.amount_cents = EUR(5000);
    CHECK_STR(budget_line_describe(&f, buf, sizeof buf), "fixed EUR 5,000.00");
    /*  truncated, still terminated */
    CHECK_STR(budget_line_describe(&f, buf, 6), "fixed");
}

TEST(budget_total_sums_the_computed_lines)
{
    budget_line_t lines[4] = {s_per_week(1000, EUR(50), 4500), s_pilot(), {0}, {0}};
    lines[2].kind = BUDGET_REIMBURSEMENT;
    lines[2].amount_cents = EUR(2500);
    lines[3].kind = BUDGET_FIXED;
    lines[3].amount_cents = EUR(12000);
    int64_t total = 0;
    CHECK_INT(budget_total(lines, 4, &total, NULL), 0);
    CHECK_INT(total, EUR(22500 + 7500 + 2500 + 12000));
    CHECK_INT(budget_total(lines, 0, &total, NULL), 0);
    CHECK_INT(total, 0);
}

TEST(budget_total_names_the_bad_line)
{
    budget_line_t lines[2] = {s_per_week(1000, EUR(50), 4500), s_per_week(-1, EUR(50), 4500)};
    int64_t total;
    sm_err_t err = {0};
    CHECK_INT(budget_total(lines, 2, &total, &err), -1);
    CHECK_STR(err.field, "lines[1].hours");
    CHECK_STR(err.message, "line 2: hours is negative; give zero or more");
}

TEST(remaining_is_budget_minus_spent_and_may_go_negative)
{
    CHECK_INT(budget_remaining(EUR(2500), EUR(1800)), EUR(700));
    CHECK_INT(budget_remaining(EUR(2500), EUR(2515)), -EUR(15));
}

TEST(used_share_is_in_basis_points_rounded_half_up)
{
    int64_t bp = -1;
    CHECK_INT(budget_used_bp(EUR(22500), EUR(18000), &bp), 0);
    CHECK_INT(bp, 8000);
    CHECK_INT(budget_used_bp(3, 1, &bp), 0);
    CHECK_INT(bp, 3333);
    CHECK_INT(budget_used_bp(3, 2, &bp), 0);
    CHECK_INT(bp, 6667);
    CHECK_INT(budget_used_bp(EUR(100), EUR(150), &bp), 0);
    CHECK_INT(bp, 15000);
    CHECK_INT(budget_used_bp(0, 0, &bp), -1);
    CHECK_INT(budget_used_bp(EUR(100), -1, &bp), -1);
}

TEST(crossing_80_percent_is_reported_once_exactly_at_the_boundary)
{
    int64_t b = EUR(2500);
    CHECK_INT(budget_thresholds_crossed(b, EUR(1900), 199999), 0);
    CHECK_INT(budget_thresholds_crossed(b, EUR(1900), EUR(2000)), BUDGET_CROSSED_80);
    CHECK_INT(budget_thresholds_crossed(b, EUR(2000), EUR(2100)), 0);
}

TEST(crossing_100_percent_is_reported_and_a_jump_crosses_both)
{
    int64_t b = EUR(2500);
    CHECK_INT(budget_thresholds_crossed(b, EUR(2100), EUR(2500)), BUDGET_CROSSED_100);
    CHECK_INT(budget_thresholds_crossed(b, EUR(2100), 249999), 0);
    CHECK_INT(budget_thresholds_crossed(b, EUR(1000), EUR(2600)),
              BUDGET_CROSSED_80 | BUDGET_CROSSED_100);
    CHECK_INT(budget_thresholds_crossed(b, EUR(2600), EUR(2700)), 0);
}

TEST(going_down_crosses_nothing)
{
    CHECK_INT(budget_thresholds_crossed(EUR(2500), EUR(2600), EUR(100)), 0);
}

TEST(first_cent_against_a_zero_budget_crosses_both)
{
    CHECK_INT(budget_thresholds_crossed(0, 0, 0), 0);
    CHECK_INT(budget_thresholds_crossed(0, 0, 1), BUDGET_CROSSED_80 | BUDGET_CROSSED_100);
}

TEST(kind_names_round_trip_and_unknown_is_refused)
{
    for (int k = BUDGET_HOURS_PER_WEEK; k <= BUDGET_PILOT; k++) {
        budget_kind_t back = 0;
        CHECK_INT(budget_kind_parse(budget_kind_name((budget_kind_t)k), &back, NULL), 0);
        CHECK_INT(back, k);
    }
    CHECK_STR(budget_kind_name(BUDGET_TOTAL_HOURS), "total_hours");
    CHECK_STR(budget_kind_name((budget_kind_t)0), "unknown");
    budget_kind_t k;
    sm_err_t err = {0};
    CHECK_INT(budget_kind_parse("hourly", &k, &err), -1);
    CHECK_STR(err.field, "kind");
    CHECK_INT(budget_kind_parse(NULL, &k, &err), -1);
}

TEST(hundredths_read_as_people_write_them)
{
    char b[32];
    CHECK_STR(budget_x100_format(1000, b), "10");
    CHECK_STR(budget_x100_format(3750, b), "37.5");
    CHECK_STR(budget_x100_format(425, b), "4.25");
    CHECK_STR(budget_x100_format(-50, b), "-0.5");
}

int main(void)
{
    RUN(coordination_10_hours_a_week_at_50_for_45_weeks_is_22500);
    RUN(coordination_10_hours_a_week_at_80_for_46_weeks_is_36800);
    RUN(pilot_4_hours_a_week_over_37_5_weeks_at_50_is_7500);
    RUN(pilot_weeks_must_fit_in_its_period);
    RUN(pilot_without_period_or_with_a_reversed_one_is_refused);
    RUN(hours_per_week_line_has_no_period);
    RUN(total_hours_line_is_hours_times_rate_rounded_half_up);
    RUN(per_week_half_cent_rounds_up);
    RUN(fixed_and_reimbursement_lines);
    RUN(reimbursement_line_is_per_claim_or_fixed_not_both);
    RUN(negative_parts_are_refused_naming_the_part);
    RUN(a_part_the_kind_does_not_use_is_refused);
    RUN(impossible_hours_and_weeks_and_unknown_kind_are_refused);
    RUN(a_line_beyond_the_largest_amount_is_refused_not_wrapped);
    RUN(stated_amount_ten_times_its_own_hours_is_called_ten_times);
    RUN(stated_amount_a_tenth_of_its_own_hours_is_called_ten_times_too_little);
    RUN(stated_amount_otherwise_different_says_by_how_much);
    RUN(stated_amount_equal_to_computed_is_consistent);
    RUN(check_of_an_invalid_line_fails_like_compute);
    RUN(line_descriptions_read_like_the_documents);
    RUN(budget_total_sums_the_computed_lines);
    RUN(budget_total_names_the_bad_line);
    RUN(remaining_is_budget_minus_spent_and_may_go_negative);
    RUN(used_share_is_in_basis_points_rounded_half_up);
    RUN(crossing_80_percent_is_reported_once_exactly_at_the_boundary);
    RUN(crossing_100_percent_is_reported_and_a_jump_crosses_both);
    RUN(going_down_crosses_nothing);
    RUN(first_cent_against_a_zero_budget_crosses_both);
    RUN(kind_names_round_trip_and_unknown_is_refused);
    RUN(hundredths_read_as_people_write_them);
    return DONE();
}
