/*  tests/unit/finance/test_expense_rules.c - what an expense does to its line. */
#include "services/finance/expense_rules.h"
#include "tests/unit/test.h"

TEST(a_spent_expense_adds_to_spent_only)
{
    expense_status_t s;
    expense_delta_t d;
    CHECK_INT(expense_book(18550, false, &s, &d, NULL), 0);
    CHECK_INT(s, EXPENSE_SPENT);
    CHECK_INT(d.committed_cents, 0);
    CHECK_INT(d.spent_cents, 18550);
}

TEST(a_committed_expense_adds_to_committed_only)
{
    expense_status_t s;
    expense_delta_t d;
    CHECK_INT(expense_book(50000, true, &s, &d, NULL), 0);
    CHECK_INT(s, EXPENSE_COMMITTED);
    CHECK_INT(d.committed_cents, 50000);
    CHECK_INT(d.spent_cents, 0);
}

TEST(settling_moves_the_commitment_to_spent_at_the_invoiced_amount)
{
    expense_status_t s = EXPENSE_COMMITTED;
    expense_delta_t d;
    CHECK_INT(expense_settle(&s, 50000, 52500, &d, NULL), 0);
    CHECK_INT(s, EXPENSE_SPENT);
    CHECK_INT(d.committed_cents, -50000);
    CHECK_INT(d.spent_cents, 52500);
}

TEST(cancelling_frees_the_commitment)
{
    expense_status_t s = EXPENSE_COMMITTED;
    expense_delta_t d;
    CHECK_INT(expense_cancel(&s, 50000, &d, NULL), 0);
    CHECK_INT(s, EXPENSE_CANCELLED);
    CHECK_INT(d.committed_cents, -50000);
    CHECK_INT(d.spent_cents, 0);
}

TEST(spent_and_cancelled_expenses_are_final)
{
    sm_err_t err = {0};
    expense_delta_t d = {7, 7};
    expense_status_t s = EXPENSE_SPENT;
    CHECK_INT(expense_settle(&s, 100, 100, &d, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "expense");
    CHECK(strstr(err.message, "already spent") != NULL);
    CHECK_INT(s, EXPENSE_SPENT);
    CHECK_INT(d.committed_cents, 7);
    s = EXPENSE_CANCELLED;
    CHECK_INT(expense_cancel(&s, 100, &d, &err), -1);
    CHECK(strstr(err.message, "cancelled") != NULL);
    CHECK_INT(s, EXPENSE_CANCELLED);
}

TEST(amounts_of_zero_or_less_are_refused_naming_the_field)
{
    sm_err_t err = {0};
    expense_status_t s = EXPENSE_COMMITTED;
    expense_delta_t d;
    CHECK_INT(expense_book(0, false, &s, &d, &err), -1);
    CHECK_STR(err.field, "amount_cents");
    CHECK_INT(expense_book(-100, false, &s, &d, &err), -1);
    CHECK(strstr(err.message, "negative") != NULL);
    CHECK_INT(expense_settle(&s, 100, 0, &d, &err), -1);
    CHECK_STR(err.field, "amount_cents");
    CHECK_INT(s, EXPENSE_COMMITTED);
}

TEST(categories_and_statuses_round_trip_and_unknown_ones_are_refused)
{
    sm_err_t err = {0};
    expense_category_t c;
    expense_status_t s;
    for (int i = EXPENSE_FACILITATOR; i <= EXPENSE_OTHER; i++) {
        CHECK_INT(expense_category_parse(expense_category_name((expense_category_t)i), &c, NULL),
                  0);
        CHECK_INT(c, i);
    }
    for (int i = EXPENSE_COMMITTED; i <= EXPENSE_CANCELLED; i++) {
        CHECK_INT(expense_status_parse(expense_status_name((expense_status_t)i), &s, NULL), 0);
        CHECK_INT(s, i);
    }
    CHECK_INT(expense_category_parse("travel", &c, &err), -1);
    CHECK_STR(err.field, "category");
    CHECK(strstr(err.message, "facilitator, expertise, catering, room or other") != NULL);
    CHECK_STR(expense_category_name((expense_category_t)0), "unknown");
}

int main(void)
{
    RUN(a_spent_expense_adds_to_spent_only);
    RUN(a_committed_expense_adds_to_committed_only);
    RUN(settling_moves_the_commitment_to_spent_at_the_invoiced_amount);
    RUN(cancelling_frees_the_commitment);
    RUN(spent_and_cancelled_expenses_are_final);
    RUN(amounts_of_zero_or_less_are_refused_naming_the_field);
    RUN(categories_and_statuses_round_trip_and_unknown_ones_are_refused);
    return DONE();
}
