/*  tests/unit/finance/test_contribution.c - contributions as decided beside
    the computed ones: the 2017-2018 decision of the programme. */
#include "common/i18n.h"
#include "common/money.h"
#include "services/finance/contribution.h"
#include "tests/unit/test.h"

#define EUR(x) ((int64_t)(x)*100)

/*  EUR 60,000 by inhabitants on 2016-01-01 in units of EUR 1,000 (the
    split's largest remainders give Hilversum, Huizen and Laren a unit
    more), in name order. */
static void s_2017(contribution_row_t rows[8])
{
    static const char *const names[] = {"Blaricum", "Eemnes", "Gooise Meren", "Hilversum",
                                        "Huizen",   "Laren",  "Weesp",        "Wijdemeren"};
    static const int64_t thousands[] = {2, 2, 13, 21, 10, 3, 4, 5};
    for (int i = 0; i < 8; i++)
        rows[i] =
            (contribution_row_t){.name = names[i], .computed_cents = EUR(thousands[i] * 1000)};
}

TEST(undecided_rows_are_invoiced_as_computed)
{
    contribution_row_t rows[8];
    contribution_totals_t t;
    s_2017(rows);
    CHECK_INT(contribution_invoiced(&rows[3]), EUR(21000));
    CHECK_INT(contribution_difference(&rows[3]), 0);
    CHECK_INT(contribution_totals(rows, 8, EUR(60000), &t, NULL), 0);
    CHECK_INT(t.computed_cents, EUR(60000));
    CHECK_INT(t.invoiced_cents, EUR(60000));
    CHECK_INT(t.balance_cents, 0);
    CHECK_INT(t.differing, 0);
}

TEST(hilversum_decided_20000_leaves_a_1000_shortfall)
{
    contribution_row_t rows[8];
    contribution_totals_t t;
    s_2017(rows);
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(20000), true, NULL), 0);
    CHECK_INT(contribution_invoiced(&rows[3]), EUR(20000));
    CHECK_INT(contribution_difference(&rows[3]), -EUR(1000));
    CHECK_INT(contribution_totals(rows, 8, EUR(60000), &t, NULL), 0);
    CHECK_INT(t.computed_cents, EUR(60000));
    CHECK_INT(t.invoiced_cents, EUR(59000));
    CHECK_INT(t.difference_cents, -EUR(1000));
    CHECK_INT(t.balance_cents, -EUR(1000));
    CHECK_INT(t.differing, 1);
    char w[64];
    CHECK_STR(contribution_balance_words(t.balance_cents, w, sizeof w),
              "a shortfall of EUR 1,000.00");
}

TEST(a_difference_without_a_reason_is_refused_naming_reason_and_the_figures)
{
    contribution_row_t rows[8];
    sm_err_t err = {0};
    s_2017(rows);
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(20000), false, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "reason");
    CHECK(strstr(err.message, "EUR 20,000.00") != NULL);
    CHECK(strstr(err.message, "EUR 21,000.00") != NULL);
    CHECK(strstr(err.message, "-EUR 1,000.00") != NULL);
    CHECK(strstr(err.message, "Hilversum") != NULL);
    /*  Nothing changed. */
    CHECK(!rows[3].has_decided);
}

TEST(deciding_the_computed_amount_needs_no_reason)
{
    contribution_row_t rows[8];
    s_2017(rows);
    CHECK_INT(contribution_decide(rows, 8, 0, EUR(2000), false, NULL), 0);
    CHECK(rows[0].has_decided);
    CHECK_INT(contribution_difference(&rows[0]), 0);
}

TEST(undoing_the_only_difference_needs_no_reason_but_another_does)
{
    contribution_row_t rows[8];
    s_2017(rows);
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(20000), true, NULL), 0);
    /*  Back to the computed amount: nothing differs any more. */
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(21000), false, NULL), 0);
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(20000), false, NULL), -1);
}

TEST(a_surplus_is_called_a_surplus)
{
    contribution_row_t rows[8];
    contribution_totals_t t;
    char w[64];
    s_2017(rows);
    CHECK_INT(contribution_decide(rows, 8, 6, EUR(4500), true, NULL), 0);
    CHECK_INT(contribution_totals(rows, 8, EUR(60000), &t, NULL), 0);
    CHECK_INT(t.balance_cents, EUR(500));
    CHECK_STR(contribution_balance_words(t.balance_cents, w, sizeof w), "a surplus of EUR 500.00");
    CHECK_STR(contribution_balance_words(0, w, sizeof w), "no shortfall or surplus");
}

TEST(a_paid_invoice_keeps_its_amount)
{
    contribution_row_t rows[8];
    sm_err_t err = {0};
    s_2017(rows);
    rows[3].paid = true;
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(20000), true, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "municipality");
    CHECK(!rows[3].has_decided);
    /*  Recording the amount it was paid for changes nothing, so it may. */
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(21000), false, NULL), 0);
    CHECK(rows[3].has_decided);
}

TEST(out_of_range_amounts_and_rows_are_refused)
{
    contribution_row_t rows[8];
    contribution_totals_t t;
    sm_err_t err = {0};
    s_2017(rows);
    CHECK_INT(contribution_decide(rows, 8, 8, EUR(1), true, &err), -1);
    CHECK_STR(err.field, "municipality");
    CHECK_INT(contribution_decide(rows, 8, 0, -1, true, &err), -1);
    CHECK_STR(err.field, "decided_cents");
    CHECK_INT(contribution_decide(rows, 8, 0, SM_MONEY_MAX + 1, true, &err), -1);
    rows[0].computed_cents = SM_MONEY_MAX;
    rows[1].computed_cents = SM_MONEY_MAX;
    CHECK_INT(contribution_totals(rows, 8, EUR(60000), &t, &err), -1);
    CHECK_STR(err.field, "rows");
}

TEST(the_refusal_and_the_balance_read_in_dutch_for_a_dutch_reader)
{
    contribution_row_t rows[8];
    sm_err_t err = {0};
    char w[64];
    s_2017(rows);
    CHECK_INT(sm_i18n_init("nl", &err), 0);
    CHECK_INT(contribution_decide(rows, 8, 3, EUR(20000), false, &err), -1);
    CHECK_STR(err.message, "de besloten € 20.000,00 voor Hilversum wijkt -€ 1.000,00 af van de "
                           "berekende € 21.000,00 (in totaal wijken de besloten bijdragen "
                           "-€ 1.000,00 af); geef één keer de reden van het besluit voor deze "
                           "verdeling");
    CHECK_STR(contribution_balance_words(-EUR(1000), w, sizeof w), "een tekort van € 1.000,00");
    CHECK_INT(sm_i18n_init("en", &err), 0);
}

int main(void)
{
    RUN(undecided_rows_are_invoiced_as_computed);
    RUN(hilversum_decided_20000_leaves_a_1000_shortfall);
    RUN(a_difference_without_a_reason_is_refused_naming_reason_and_the_figures);
    RUN(deciding_the_computed_amount_needs_no_reason);
    RUN(undoing_the_only_difference_needs_no_reason_but_another_does);
    RUN(a_surplus_is_called_a_surplus);
    RUN(a_paid_invoice_keeps_its_amount);
    RUN(out_of_range_amounts_and_rows_are_refused);
    RUN(the_refusal_and_the_balance_read_in_dutch_for_a_dutch_reader);
    return DONE();
}
