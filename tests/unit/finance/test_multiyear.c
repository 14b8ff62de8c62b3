/*  tests/unit/finance/test_multiyear.c - several years side by side:
    carry-over and the figures rounded as the documents print them. */
#include "services/finance/multiyear.h"
#include "tests/unit/test.h"

#define EUR(x) ((int64_t)(x)*100)

TEST(rounding_is_half_away_from_zero_to_the_unit)
{
    CHECK_INT(multiyear_round(EUR(45000), EUR(1000)), EUR(45000));
    CHECK_INT(multiyear_round(4549999, EUR(1000)), EUR(45000));
    CHECK_INT(multiyear_round(EUR(45500), EUR(1000)), EUR(46000));
    CHECK_INT(multiyear_round(EUR(54200), EUR(1000)), EUR(54000));
    CHECK_INT(multiyear_round(EUR(36800), EUR(1000)), EUR(37000));
    CHECK_INT(multiyear_round(-EUR(500), EUR(1000)), -EUR(1000));
    CHECK_INT(multiyear_round(-EUR(499), EUR(1000)), 0);
    CHECK_INT(multiyear_round(12345, 1), 12345);
    /*  An odd unit: the half lies between cents. */
    CHECK_INT(multiyear_round(2, 3), 3);
    CHECK_INT(multiyear_round(1, 3), 0);
}

TEST(carry_over_is_carried_in_plus_contributions_less_spent)
{
    /*  2019: EUR 45,000 budgeted and contributed, 40,000 spent;
        2020: EUR 54,200 budgeted, 50,000 contributed, 52,000 spent. */
    multiyear_row_t rows[3] = {
        {.year = 2019,
         .budget_cents = EUR(45000),
         .spent_cents = EUR(40000),
         .committed_cents = EUR(900),
         .contributions_cents = EUR(45000),
         .received_cents = EUR(40000)},
        {.year = 2020,
         .budget_cents = EUR(54200),
         .spent_cents = EUR(52000),
         .contributions_cents = EUR(50000)},
        {.year = 2021},
    };
    CHECK_INT(multiyear_carry(rows, 3, EUR(1000), NULL), 0);
    CHECK_INT(rows[0].carried_in_cents, EUR(1000));
    CHECK_INT(rows[0].carried_over_cents, EUR(6000));
    CHECK_INT(rows[0].budget_balance_cents, EUR(1000));
    CHECK_INT(rows[1].carried_in_cents, EUR(6000));
    CHECK_INT(rows[1].carried_over_cents, EUR(4000));
    CHECK_INT(rows[1].budget_balance_cents, EUR(1800));
    CHECK_INT(rows[2].carried_in_cents, EUR(4000));
    CHECK_INT(rows[2].carried_over_cents, EUR(4000));
    multiyear_row_t t;
    CHECK_INT(multiyear_total(rows, 3, &t, NULL), 0);
    CHECK_INT(t.year, 0);
    CHECK_INT(t.budget_cents, EUR(99200));
    CHECK_INT(t.spent_cents, EUR(92000));
    CHECK_INT(t.committed_cents, EUR(900));
    CHECK_INT(t.contributions_cents, EUR(95000));
    CHECK_INT(t.received_cents, EUR(40000));
    CHECK_INT(t.carried_in_cents, EUR(1000));
    CHECK_INT(t.carried_over_cents, EUR(4000));
    CHECK_INT(t.budget_balance_cents, -EUR(3200));
}

TEST(a_shortfall_carries_as_a_negative_figure)
{
    multiyear_row_t rows[2] = {
        {.year = 2017,
         .budget_cents = EUR(60000),
         .spent_cents = EUR(60000),
         .contributions_cents = EUR(59000)},
        {.year = 2018},
    };
    CHECK_INT(multiyear_carry(rows, 2, 0, NULL), 0);
    CHECK_INT(rows[0].carried_over_cents, -EUR(1000));
    CHECK_INT(rows[0].budget_balance_cents, -EUR(1000));
    CHECK_INT(rows[1].carried_in_cents, -EUR(1000));
}

TEST(figures_beyond_the_range_are_refused_not_wrapped)
{
    multiyear_row_t rows[2] = {{.year = 2019, .contributions_cents = INT64_MAX},
                               {.year = 2020, .contributions_cents = INT64_MAX}};
    sm_err_t err = {0};
    CHECK_INT(multiyear_carry(rows, 2, 1, &err), -1);
    CHECK_STR(err.field, "years");
    multiyear_row_t t;
    rows[0].contributions_cents = rows[1].contributions_cents = INT64_MAX / 2 + 1;
    rows[0].carried_in_cents = 0;
    CHECK_INT(multiyear_total(rows, 2, &t, &err), -1);
}

TEST(no_years_total_nothing)
{
    multiyear_row_t t = {.year = 9};
    CHECK_INT(multiyear_total(NULL, 0, &t, NULL), 0);
    CHECK_INT(t.budget_cents, 0);
    CHECK_INT(t.carried_over_cents, 0);
}

int main(void)
{
    RUN(rounding_is_half_away_from_zero_to_the_unit);
    RUN(carry_over_is_carried_in_plus_contributions_less_spent);
    RUN(a_shortfall_carries_as_a_negative_figure);
    RUN(figures_beyond_the_range_are_refused_not_wrapped);
    RUN(no_years_total_nothing);
    return DONE();
}
