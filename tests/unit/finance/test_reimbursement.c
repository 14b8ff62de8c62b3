/*  tests/unit/finance/test_reimbursement.c - entitlements and the yearly cap. */
#include "services/finance/reimbursement.h"
#include "tests/unit/test.h"

#define EUR(x) ((int64_t)(x)*100)

TEST(entitlement_is_the_sessions_amount_when_set_else_15_euro)
{
    int64_t amount = -1;
    CHECK_INT(reimbursement_amount(false, 0, REIMBURSEMENT_DEFAULT_CENTS, &amount, NULL), 0);
    CHECK_INT(amount, 1500);
    CHECK_INT(reimbursement_amount(true, EUR(25), REIMBURSEMENT_DEFAULT_CENTS, &amount, NULL), 0);
    CHECK_INT(amount, EUR(25));
    /*  a session set to zero pays nothing, it does not fall back */
    CHECK_INT(reimbursement_amount(true, 0, REIMBURSEMENT_DEFAULT_CENTS, &amount, NULL), 0);
    CHECK_INT(amount, 0);
}

TEST(negative_entitlement_amounts_are_refused)
{
    int64_t amount = 7;
    sm_err_t err = {0};
    CHECK_INT(reimbursement_amount(true, -1, REIMBURSEMENT_DEFAULT_CENTS, &amount, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "amount");
    CHECK_STR(err.message, "the session's reimbursement is negative; give an amount of zero or "
                           "more");
    CHECK_INT(reimbursement_amount(false, 0, -1500, &amount, &err), -1);
    CHECK_INT(amount, 7);
}

TEST(entitlement_goes_claimed_approved_paid)
{
    reimbursement_state_t s = REIMBURSEMENT_ENTITLED;
    CHECK_INT(reimbursement_next(s, REIMBURSEMENT_CLAIM, &s, NULL), 0);
    CHECK_INT(s, REIMBURSEMENT_CLAIMED);
    CHECK_INT(reimbursement_next(s, REIMBURSEMENT_APPROVE, &s, NULL), 0);
    CHECK_INT(s, REIMBURSEMENT_APPROVED);
    CHECK_INT(reimbursement_next(s, REIMBURSEMENT_PAY, &s, NULL), 0);
    CHECK_INT(s, REIMBURSEMENT_PAID);
}

TEST(entitlement_may_be_waived_until_paid)
{
    static const reimbursement_state_t from[3] = {REIMBURSEMENT_ENTITLED, REIMBURSEMENT_CLAIMED,
                                                  REIMBURSEMENT_APPROVED};
    for (int i = 0; i < 3; i++) {
        reimbursement_state_t to = 0;
        CHECK_INT(reimbursement_next(from[i], REIMBURSEMENT_WAIVE, &to, NULL), 0);
        CHECK_INT(to, REIMBURSEMENT_WAIVED);
    }
    sm_err_t err = {0};
    reimbursement_state_t to = 0;
    CHECK_INT(reimbursement_next(REIMBURSEMENT_PAID, REIMBURSEMENT_WAIVE, &to, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "entitlement is already paid; a payment cannot be waived");
    CHECK_INT(to, 0);
}

TEST(paying_twice_is_refused_saying_it_is_already_paid)
{
    sm_err_t err = {0};
    reimbursement_state_t to = 0;
    CHECK_INT(reimbursement_next(REIMBURSEMENT_PAID, REIMBURSEMENT_PAY, &to, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "entitlement");
    CHECK(strstr(err.message, "entitlement is already paid") == err.message);
}

TEST(steps_cannot_be_skipped_and_refusals_say_what_comes_first)
{
    sm_err_t err = {0};
    reimbursement_state_t to;
    CHECK_INT(reimbursement_next(REIMBURSEMENT_ENTITLED, REIMBURSEMENT_APPROVE, &to, &err), -1);
    CHECK_STR(err.message, "entitlement is not claimed yet; record the claim first");
    CHECK_INT(reimbursement_next(REIMBURSEMENT_ENTITLED, REIMBURSEMENT_PAY, &to, &err), -1);
    CHECK_STR(err.message, "entitlement is not claimed yet; record and approve the claim first");
    CHECK_INT(reimbursement_next(REIMBURSEMENT_CLAIMED, REIMBURSEMENT_PAY, &to, &err), -1);
    CHECK_STR(err.message, "entitlement is not approved yet; approve the claim first");
    CHECK_INT(reimbursement_next(REIMBURSEMENT_CLAIMED, REIMBURSEMENT_CLAIM, &to, &err), -1);
    CHECK_STR(err.message, "entitlement is already claimed");
    CHECK_INT(reimbursement_next(REIMBURSEMENT_APPROVED, REIMBURSEMENT_CLAIM, &to, &err), -1);
    CHECK_STR(err.message, "entitlement is already approved");
    CHECK_INT(reimbursement_next(REIMBURSEMENT_APPROVED, REIMBURSEMENT_APPROVE, &to, &err), -1);
    CHECK_STR(err.message, "entitlement is already approved");
}

TEST(waived_is_final)
{
    static const reimbursement_action_t all[4] = {REIMBURSEMENT_CLAIM, REIMBURSEMENT_APPROVE,
                                                  REIMBURSEMENT_PAY, REIMBURSEMENT_WAIVE};
    for (int i = 0; i < 4; i++) {
        sm_err_t err = {0};
        reimbursement_state_t to = 0;
        CHECK_INT(reimbursement_next(REIMBURSEMENT_WAIVED, all[i], &to, &err), -1);
        CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
        CHECK(strstr(err.message, "waived") != NULL);
    }
}

TEST(unknown_states_and_actions_are_refused)
{
    sm_err_t err = {0};
    reimbursement_state_t to;
    CHECK_INT(reimbursement_next((reimbursement_state_t)0, REIMBURSEMENT_PAY, &to, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_INT(reimbursement_next(REIMBURSEMENT_CLAIMED, (reimbursement_action_t)9, &to, &err), -1);
    CHECK_STR(err.field, "action");
}

TEST(state_names_round_trip)
{
    for (int s = REIMBURSEMENT_ENTITLED; s <= REIMBURSEMENT_WAIVED; s++) {
        reimbursement_state_t back = 0;
        CHECK_INT(reimbursement_state_parse(reimbursement_state_name((reimbursement_state_t)s),
                                            &back, NULL),
                  0);
        CHECK_INT(back, s);
    }
    CHECK_STR(reimbursement_state_name(REIMBURSEMENT_APPROVED), "approved");
    CHECK_STR(reimbursement_state_name((reimbursement_state_t)17), "unknown");
    CHECK_STR(reimbursement_action_name(REIMBURSEMENT_WAIVE), "waive");
    reimbursement_state_t s;
    sm_err_t err = {0};
    CHECK_INT(reimbursement_state_parse("Paid", &s, &err), -1);
    CHECK_STR(err.field, "state");
}

TEST(payment_within_the_yearly_cap_goes_ahead)
{
    reimbursement_cap_check_t c;
    CHECK_INT(
        reimbursement_cap_check(EUR(2400), 1500, REIMBURSEMENT_YEAR_CAP_CENTS, NULL, &c, NULL), 0);
    CHECK_INT(c.outcome, REIMBURSEMENT_CAP_WITHIN);
    CHECK_INT(c.paid_after_cents, EUR(2415));
    CHECK_INT(c.over_cents, 0);
    CHECK_STR(c.message, "");
}

TEST(payment_reaching_the_cap_exactly_goes_ahead)
{
    reimbursement_cap_check_t c;
    CHECK_INT(
        reimbursement_cap_check(EUR(2485), 1500, REIMBURSEMENT_YEAR_CAP_CENTS, NULL, &c, NULL), 0);
    CHECK_INT(c.outcome, REIMBURSEMENT_CAP_WITHIN);
    CHECK_INT(c.paid_after_cents, EUR(2500));
}

TEST(payment_past_the_cap_without_override_is_refused)
{
    reimbursement_cap_check_t c;
    sm_err_t err = {0};
    CHECK_INT(
        reimbursement_cap_check(EUR(2495), 1500, REIMBURSEMENT_YEAR_CAP_CENTS, NULL, &c, &err), -1);
    CHECK_INT(c.outcome, REIMBURSEMENT_CAP_REFUSED);
    CHECK_INT(c.over_cents, EUR(10));
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "amount");
    CHECK_STR(err.message, "paying EUR 15.00 would bring this year's reimbursements to "
                           "EUR 2,510.00, EUR 10.00 past the yearly cap of EUR 2,500.00; give an "
                           "override reason to pay anyway");
    CHECK_STR(c.message, err.message);
}

TEST(a_blank_override_reason_is_no_reason)
{
    reimbursement_cap_check_t c;
    sm_err_t err = {0};
    CHECK_INT(
        reimbursement_cap_check(EUR(2495), 1500, REIMBURSEMENT_YEAR_CAP_CENTS, " \t\n", &c, &err),
        -1);
    CHECK_INT(c.outcome, REIMBURSEMENT_CAP_REFUSED);
    CHECK_INT(reimbursement_cap_check(EUR(2495), 1500, REIMBURSEMENT_YEAR_CAP_CENTS, "", &c, &err),
              -1);
}

TEST(payment_past_the_cap_with_a_reason_is_overridden_and_says_so)
{
    reimbursement_cap_check_t c;
    sm_err_t err = {0};
    CHECK_INT(reimbursement_cap_check(EUR(2495), 1500, REIMBURSEMENT_YEAR_CAP_CENTS,
                                      "board agreed extra youth session", &c, &err),
              0);
    CHECK(!sm_err_is_set(&err));
    CHECK_INT(c.outcome, REIMBURSEMENT_CAP_OVERRIDDEN);
    CHECK_INT(c.paid_after_cents, EUR(2510));
    CHECK_STR(c.message, "paying EUR 15.00 brings this year's reimbursements to EUR 2,510.00, "
                         "EUR 10.00 past the yearly cap of EUR 2,500.00; paid on override");
}

TEST(bad_cap_check_input_is_refused)
{
    reimbursement_cap_check_t c;
    sm_err_t err = {0};
    CHECK_INT(reimbursement_cap_check(0, -1, REIMBURSEMENT_YEAR_CAP_CENTS, NULL, &c, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "amount");
    CHECK_INT(reimbursement_cap_check(-5, 100, REIMBURSEMENT_YEAR_CAP_CENTS, NULL, &c, &err), -1);
    CHECK_STR(err.field, "year_paid");
    CHECK_INT(reimbursement_cap_check(0, 100, -1, NULL, &c, &err), -1);
    CHECK_STR(err.field, "cap");
    char long_reason[REIMBURSEMENT_REASON_MAX + 2];
    memset(long_reason, 'x', sizeof long_reason - 1);
    long_reason[sizeof long_reason - 1] = '\0';
    CHECK_INT(reimbursement_cap_check(EUR(2495), 1500, REIMBURSEMENT_YEAR_CAP_CENTS, long_reason,
                                      &c, &err),
              -1);
    CHECK_STR(err.field, "override_reason");
    CHECK_INT(c.outcome, REIMBURSEMENT_CAP_REFUSED);
}

int main(void)
{
    RUN(entitlement_is_the_sessions_amount_when_set_else_15_euro);
    RUN(negative_entitlement_amounts_are_refused);
    RUN(entitlement_goes_claimed_approved_paid);
    RUN(entitlement_may_be_waived_until_paid);
    RUN(paying_twice_is_refused_saying_it_is_already_paid);
    RUN(steps_cannot_be_skipped_and_refusals_say_what_comes_first);
    RUN(waived_is_final);
    RUN(unknown_states_and_actions_are_refused);
    RUN(state_names_round_trip);
    RUN(payment_within_the_yearly_cap_goes_ahead);
    RUN(payment_reaching_the_cap_exactly_goes_ahead);
    RUN(payment_past_the_cap_without_override_is_refused);
    RUN(a_blank_override_reason_is_no_reason);
    RUN(payment_past_the_cap_with_a_reason_is_overridden_and_says_so);
    RUN(bad_cap_check_input_is_refused);
    return DONE();
}
