/*  tests/unit/intake/test_deadline.c - answer and evaluation deadlines. */
#include "services/intake/deadline.h"
#include "tests/unit/test.h"
#include <stdlib.h>

static sm_date_t s_date(int y, int m, int d)
{
    return (sm_date_t){y, m, d};
}

static deadline_period_t s_period(const char *text)
{
    deadline_period_t p = {0, 0};
    sm_err_t err = {0};
    CHECK_INT(deadline_period_parse(text, "period", &p, &err), 0);
    return p;
}

/*  "YYYY-MM-DD" of d, in a static buffer: for CHECK_STR only. */
static const char *s_fmt(sm_date_t d)
{
    static char buf[4][11];
    static int next;
    next = (next + 1) % 4;
    return sm_date_format(d, buf[next]);
}

static deadline_item_t s_item(const char *id, deadline_kind_t kind, sm_date_t received,
                              const char *answer, const char *evaluation)
{
    deadline_item_t item;
    sm_err_t err = {0};
    CHECK_INT(
        deadline_item_init(&item, id, kind, received, s_period(answer), s_period(evaluation), &err),
        0);
    return item;
}

/* ==== Periods ============================================================ */

TEST(period_specs_in_days_weeks_and_months_are_parsed)
{
    deadline_period_t p = s_period("42d");
    CHECK_INT(p.count, 42);
    CHECK_INT(p.unit, 'd');
    p = s_period("6w");
    CHECK_INT(p.count, 6);
    CHECK_INT(p.unit, 'w');
    p = s_period("2m");
    CHECK_INT(p.count, 2);
    CHECK_INT(p.unit, 'm');
    p = s_period("3660d");
    CHECK_INT(p.count, 3660);
    p = s_period(DEADLINE_ANSWER_PERIOD_DEFAULT);
    char buf[8];
    CHECK_STR(deadline_period_format(p, buf), "6w");
    p = s_period(DEADLINE_EVALUATION_PERIOD_DEFAULT);
    CHECK_STR(deadline_period_format(p, buf), "6m");
    CHECK_STR(deadline_period_format(s_period("120m"), buf), "120m");
    p = s_period("2y");
    CHECK_INT(p.count, 2);
    CHECK_INT(p.unit, 'y');
    CHECK_STR(deadline_period_format(p, buf), "2y");
}

TEST(bad_period_specs_are_refused_naming_the_field_and_units)
{
    const char *bad[] = {"6x", "",    "d",   "06w",  "0d",  "-1d",   "6",
                         "6W", " 6w", "6w ", "1.5m", "6ww", "12345d"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        deadline_period_t p = {7, 'q'};
        sm_err_t err = {0};
        CHECK_INT(deadline_period_parse(bad[i], "answer_period", &p, &err), -1);
        CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
        CHECK_STR(err.field, "answer_period");
        CHECK(strstr(err.message, "d (days), w (weeks), m (months) or y (years)") != NULL);
        CHECK_INT(p.count, 7); /*  untouched */
    }
    sm_err_t err = {0};
    deadline_period_t p;
    CHECK_INT(deadline_period_parse("6x", "answer_period", &p, &err), -1);
    CHECK_STR(err.message, "answer_period \"6x\" is not a period: give a whole number and d "
                           "(days), w (weeks), m (months) or y (years), like 42d, 6w, 6m or 2y");
    CHECK_INT(deadline_period_parse(NULL, "evaluation_period", &p, &err), -1);
    CHECK_STR(err.message, "evaluation_period is not a period: give a whole number and d (days), "
                           "w (weeks), m (months) or y (years), like 42d, 6w, 6m or 2y");
    CHECK_INT(deadline_period_parse("11y", "review_period", &p, &err), -1);
    CHECK_STR(err.message, "review_period \"11y\" is too long: give at most 10 years");
    CHECK_INT(deadline_period_parse("3661d", "answer_period", &p, &err), -1);
    CHECK_STR(err.message, "answer_period \"3661d\" is too long: give at most 3660 days (10 "
                           "years)");
    CHECK_INT(deadline_period_parse("121m", "evaluation_period", &p, &err), -1);
    CHECK_STR(err.message, "evaluation_period \"121m\" is too long: give at most 120 months (10 "
                           "years)");
}

TEST(month_period_is_clamped_to_the_month_end)
{
    CHECK_STR(s_fmt(deadline_period_add(s_date(2020, 1, 31), s_period("1m"))), "2020-02-29");
    CHECK_STR(s_fmt(deadline_period_add(s_date(2021, 1, 31), s_period("1m"))), "2021-02-28");
    CHECK_STR(s_fmt(deadline_period_add(s_date(2020, 8, 31), s_period("1m"))), "2020-09-30");
    CHECK_STR(s_fmt(deadline_period_add(s_date(2020, 11, 30), s_period("3m"))), "2021-02-28");
    CHECK_STR(s_fmt(deadline_period_add(s_date(2020, 2, 29), s_period("2y"))), "2022-02-28");
}

TEST(six_weeks_reaches_a_leap_day)
{
    CHECK_STR(s_fmt(deadline_period_add(s_date(2020, 1, 18), s_period("6w"))), "2020-02-29");
    CHECK_STR(s_fmt(deadline_period_add(s_date(2020, 1, 18), s_period("42d"))), "2020-02-29");
    CHECK_STR(s_fmt(deadline_period_add(s_date(2019, 1, 18), s_period("6w"))), "2019-03-01");
}

TEST(answer_due_is_received_plus_answer_period)
{
    deadline_item_t a = s_item("A1", DEADLINE_SOLICITED_ADVICE, s_date(2020, 1, 31), "1m", "6m");
    CHECK_STR(s_fmt(deadline_answer_due(&a)), "2020-02-29");
    deadline_item_t b = s_item("A2", DEADLINE_UNSOLICITED_ADVICE, s_date(2020, 1, 18), "6w", "6m");
    CHECK_STR(s_fmt(deadline_answer_due(&b)), "2020-02-29");
    sm_date_t due = {0, 0, 0};
    CHECK_INT(deadline_evaluation_due(&b, &due), -1); /*  not answered: no evaluation yet */
}

TEST(evaluation_due_is_answered_plus_six_months_clamped)
{
    deadline_item_t a = s_item("A7", DEADLINE_SOLICITED_ADVICE, s_date(2019, 7, 1), "6w", "6m");
    sm_err_t err = {0};
    CHECK_INT(deadline_item_answer(&a, s_date(2019, 8, 31), DEADLINE_ADOPTED, NULL, &err), 0);
    sm_date_t due;
    CHECK_INT(deadline_evaluation_due(&a, &due), 0);
    CHECK_STR(s_fmt(due), "2020-02-29");
}

/* ==== Overdue ============================================================ */

TEST(days_late_count_from_the_day_after_the_deadline)
{
    deadline_item_t a = s_item("A7", DEADLINE_SOLICITED_ADVICE, s_date(2020, 1, 18), "6w", "6m");
    deadline_status_t st = deadline_item_status(&a, s_date(2020, 2, 20));
    CHECK_INT(st.next, DEADLINE_NEXT_ANSWER);
    CHECK_STR(s_fmt(st.due), "2020-02-29");
    CHECK_INT(st.days_late, -9);
    CHECK(!st.overdue);
    st = deadline_item_status(&a, s_date(2020, 2, 29));
    CHECK_INT(st.days_late, 0);
    CHECK(!st.overdue);
    st = deadline_item_status(&a, s_date(2020, 3, 10));
    CHECK_INT(st.days_late, 10);
    CHECK(st.overdue);
    st = deadline_item_status(&a, s_date(2021, 2, 28));
    CHECK_INT(st.days_late, 365);
    CHECK_INT(deadline_days_late(s_date(2019, 12, 31), s_date(2020, 3, 1)), 61);
}

TEST(answered_item_waits_for_its_evaluation_and_evaluated_waits_for_nothing)
{
    deadline_item_t a = s_item("A7", DEADLINE_SOLICITED_ADVICE, s_date(2020, 1, 18), "6w", "6m");
    sm_err_t err = {0};
    //  Answered late: the answer deadline no longer counts.
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 5), DEADLINE_PARTLY_ADOPTED,
                                   "The budget covers two of the three proposals.", &err),
              0);
    deadline_status_t st = deadline_item_status(&a, s_date(2020, 3, 10));
    CHECK_INT(st.next, DEADLINE_NEXT_EVALUATION);
    CHECK_STR(s_fmt(st.due), "2020-09-05");
    CHECK_INT(st.days_late, -179);
    CHECK(!st.overdue);
    st = deadline_item_status(&a, s_date(2020, 9, 30));
    CHECK_INT(st.days_late, 25);
    CHECK(st.overdue);
    CHECK_INT(deadline_item_evaluate(&a, s_date(2020, 10, 1), &err), 0);
    st = deadline_item_status(&a, s_date(2030, 1, 1));
    CHECK_INT(st.next, DEADLINE_NEXT_NONE);
    CHECK_INT(st.days_late, 0);
    CHECK(!st.overdue);
    CHECK_INT(a.state, DEADLINE_EVALUATED);
    CHECK_STR(s_fmt(a.evaluated), "2020-10-01");
}

/* ==== The state machine ================================================== */

TEST(answer_records_date_outcome_and_trimmed_reason)
{
    deadline_item_t a = s_item("A7", DEADLINE_UNSOLICITED_ADVICE, s_date(2020, 2, 1), "6w", "6m");
    sm_err_t err = {0};
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_NOT_ADOPTED,
                                   "  Not within the law.\nSee the letter of 1 March.\n", &err),
              0);
    CHECK_INT(a.state, DEADLINE_ANSWERED);
    CHECK_STR(s_fmt(a.answered), "2020-03-01");
    CHECK_INT(a.outcome, DEADLINE_NOT_ADOPTED);
    CHECK_STR(a.reason, "Not within the law.\nSee the letter of 1 March.");
    CHECK_STR(deadline_state_name(a.state), "answered");
    CHECK_STR(deadline_outcome_name(a.outcome), "not_adopted");
}

TEST(second_answer_is_refused)
{
    deadline_item_t a = s_item("A7", DEADLINE_SOLICITED_ADVICE, s_date(2020, 2, 1), "6w", "6m");
    sm_err_t err = {0};
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_ADOPTED, "", &err), 0);
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 2), DEADLINE_ADOPTED, NULL, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "id");
    CHECK_STR(err.message, "advice A7 is already answered (on 2020-03-01)");
    CHECK_STR(s_fmt(a.answered), "2020-03-01");
    CHECK_INT(deadline_item_evaluate(&a, s_date(2020, 9, 1), &err), 0);
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 9, 2), DEADLINE_ADOPTED, NULL, &err), -1);
    CHECK_STR(err.message, "advice A7 is already answered (on 2020-03-01) and evaluated (on "
                           "2020-09-01)");
    CHECK_INT(deadline_item_evaluate(&a, s_date(2020, 9, 2), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "advice A7 is already evaluated (on 2020-09-01)");
}

TEST(evaluation_before_answer_is_refused)
{
    deadline_item_t s = s_item("A3", DEADLINE_SIGNAL, s_date(2020, 2, 1), "42d", "6m");
    sm_err_t err = {0};
    CHECK_INT(deadline_item_evaluate(&s, s_date(2020, 3, 1), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "signal A3 is not answered yet; answer it before evaluating");
    CHECK_INT(s.state, DEADLINE_RECEIVED);
}

TEST(not_or_partly_adopted_needs_a_reason)
{
    deadline_item_t a = s_item("A7", DEADLINE_SOLICITED_ADVICE, s_date(2020, 2, 1), "6w", "6m");
    sm_err_t err = {0};
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_NOT_ADOPTED, NULL, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "reason");
    CHECK_STR(err.message, "reason is required when the outcome is not_adopted: say why the "
                           "advice was not adopted");
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_PARTLY_ADOPTED, " \n ", &err),
              -1);
    CHECK_STR(err.message, "reason is required when the outcome is partly_adopted: say why the "
                           "advice was not adopted in full");
    CHECK_INT(a.state, DEADLINE_RECEIVED); /*  unchanged by refusals */
    CHECK_INT(a.outcome, DEADLINE_OUTCOME_NONE);
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_OUTCOME_NONE, "x", &err), -1);
    CHECK_STR(err.field, "outcome");
    CHECK_STR(err.message, "outcome is required: use adopted, partly_adopted or not_adopted");
}

TEST(bad_reasons_are_refused)
{
    deadline_item_t a = s_item("A7", DEADLINE_SOLICITED_ADVICE, s_date(2020, 2, 1), "6w", "6m");
    sm_err_t err = {0};
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_NOT_ADOPTED, "no\x01", &err),
              -1);
    CHECK_STR(err.field, "reason");
    CHECK_STR(err.message, "reason contains a control character (U+0001); give plain text (line "
                           "breaks are fine)");
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_NOT_ADOPTED, "n\xc3", &err),
              -1);
    CHECK_STR(err.message, "reason is not valid UTF-8; send it as UTF-8 text");
    char *long_reason = malloc(1002);
    memset(long_reason, 'x', 1001);
    long_reason[1001] = '\0';
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_NOT_ADOPTED, long_reason, &err),
              -1);
    CHECK_STR(err.message, "reason is 1001 characters long; give at most 1000 characters");
    long_reason[1000] = '\0';
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 3, 1), DEADLINE_NOT_ADOPTED, long_reason, &err),
              0);
    CHECK_INT(strlen(a.reason), 1000);
    free(long_reason);
}

TEST(dates_out_of_order_or_invalid_are_refused)
{
    deadline_item_t a = s_item("A7", DEADLINE_SOLICITED_ADVICE, s_date(2020, 2, 1), "6w", "6m");
    sm_err_t err = {0};
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 1, 31), DEADLINE_ADOPTED, NULL, &err), -1);
    CHECK_STR(err.field, "answered");
    CHECK_STR(err.message, "answered 2020-01-31 is before advice A7 was received; give a date on "
                           "or after 2020-02-01");
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 2, 30), DEADLINE_ADOPTED, NULL, &err), -1);
    CHECK_STR(err.message, "answered is not a valid date; give a date (YYYY-MM-DD) from 1900 to "
                           "9000");
    CHECK_INT(deadline_item_answer(&a, s_date(2020, 2, 1), DEADLINE_ADOPTED, NULL, &err), 0);
    CHECK_INT(deadline_item_evaluate(&a, s_date(2020, 1, 1), &err), -1);
    CHECK_STR(err.field, "evaluated");
    CHECK_STR(err.message, "evaluated 2020-01-01 is before advice A7 was answered; give a date "
                           "on or after 2020-02-01");
    CHECK_INT(deadline_item_evaluate(&a, s_date(2020, 2, 1), &err), 0); /*  same day is fine */
}

TEST(init_refuses_bad_id_kind_date_and_periods)
{
    deadline_item_t item;
    sm_err_t err = {0};
    deadline_period_t six_weeks = {6, 'w'}, six_months = {6, 'm'}, bad = {6, 'x'};
    sm_date_t day = s_date(2020, 2, 1);
    CHECK_INT(deadline_item_init(&item, "", DEADLINE_SIGNAL, day, six_weeks, six_months, &err), -1);
    CHECK_STR(err.field, "id");
    CHECK_INT(deadline_item_init(&item, "A 7", DEADLINE_SIGNAL, day, six_weeks, six_months, &err),
              -1);
    CHECK_STR(err.field, "id");
    CHECK_INT(deadline_item_init(&item, "A7", (deadline_kind_t)7, day, six_weeks, six_months, &err),
              -1);
    CHECK_STR(err.field, "kind");
    CHECK_INT(deadline_item_init(&item, "A7", DEADLINE_SIGNAL, s_date(2020, 13, 1), six_weeks,
                                 six_months, &err),
              -1);
    CHECK_STR(err.field, "received");
    CHECK_INT(deadline_item_init(&item, "A7", DEADLINE_SIGNAL, s_date(1899, 12, 31), six_weeks,
                                 six_months, &err),
              -1);
    CHECK_STR(err.field, "received");
    CHECK_INT(deadline_item_init(&item, "A7", DEADLINE_SIGNAL, day, bad, six_months, &err), -1);
    CHECK_STR(err.field, "answer_period");
    CHECK_INT(deadline_item_init(&item, "A7", DEADLINE_SIGNAL, day, six_weeks,
                                 (deadline_period_t){0, 'm'}, &err),
              -1);
    CHECK_STR(err.field, "evaluation_period");
    CHECK_INT(deadline_item_init(&item, "A7", DEADLINE_SIGNAL, day, six_weeks, six_months, &err),
              0);
    CHECK_STR(item.id, "A7");
    CHECK_INT(item.state, DEADLINE_RECEIVED);
}

TEST(kinds_and_outcomes_are_parsed_from_their_words)
{
    deadline_kind_t kind;
    deadline_outcome_t outcome;
    sm_err_t err = {0};
    CHECK_INT(deadline_kind_parse("unsolicited_advice", "kind", &kind, &err), 0);
    CHECK_INT(kind, DEADLINE_UNSOLICITED_ADVICE);
    CHECK_STR(deadline_kind_name(kind), "unsolicited_advice");
    CHECK_INT(deadline_kind_parse("advice", "kind", &kind, &err), -1);
    CHECK_STR(err.field, "kind");
    CHECK_STR(err.message, "kind \"advice\" is not known; use signal, solicited_advice or "
                           "unsolicited_advice");
    CHECK_INT(deadline_outcome_parse("partly_adopted", "outcome", &outcome, &err), 0);
    CHECK_INT(outcome, DEADLINE_PARTLY_ADOPTED);
    CHECK_INT(deadline_outcome_parse("none", "outcome", &outcome, &err), -1);
    CHECK_STR(err.message, "outcome \"none\" is not known; use adopted, partly_adopted or "
                           "not_adopted");
    CHECK_INT(deadline_outcome_parse(NULL, "outcome", &outcome, &err), -1);
    CHECK_STR(err.message, "outcome is not known; use adopted, partly_adopted or not_adopted");
}

TEST(overdue_notice_goes_out_once_per_kind_of_lateness)
{
    deadline_item_t item = s_item("A1", DEADLINE_UNSOLICITED_ADVICE, s_date(2020, 1, 31), "6w", "6m");
    deadline_status_t st;
    //  Due 2020-03-13: not late on the day itself, late the day after.
    CHECK_INT(deadline_overdue_notice(&item, s_date(2020, 3, 13), false, false, &st),
              DEADLINE_NEXT_NONE);
    CHECK_INT(deadline_overdue_notice(&item, s_date(2020, 3, 14), false, false, &st),
              DEADLINE_NEXT_ANSWER);
    CHECK_INT(st.days_late, 1);
    CHECK_STR(s_fmt(st.due), "2020-03-13");
    //  Announced once: not again, however late.
    CHECK_INT(deadline_overdue_notice(&item, s_date(2020, 6, 1), true, false, &st),
              DEADLINE_NEXT_NONE);
    CHECK_INT(st.days_late, 80);
    //  Answered late; the evaluation is late in its turn and gets its own notice.
    sm_err_t err = {0};
    CHECK_INT(deadline_item_answer(&item, s_date(2020, 6, 2), DEADLINE_ADOPTED, NULL, &err), 0);
    CHECK_INT(deadline_overdue_notice(&item, s_date(2020, 12, 2), true, false, &st),
              DEADLINE_NEXT_NONE);
    CHECK_INT(deadline_overdue_notice(&item, s_date(2020, 12, 3), true, false, &st),
              DEADLINE_NEXT_EVALUATION);
    CHECK_INT(st.days_late, 1);
    CHECK_INT(deadline_overdue_notice(&item, s_date(2021, 3, 1), true, true, &st),
              DEADLINE_NEXT_NONE);
    CHECK_INT(deadline_item_evaluate(&item, s_date(2021, 3, 1), &err), 0);
    CHECK_INT(deadline_overdue_notice(&item, s_date(2030, 1, 1), false, false, NULL),
              DEADLINE_NEXT_NONE);
}

TEST(deadlines_cross_a_month_end_and_a_leap_day)
{
    //  31 January + 1 month: the end of February, 29 days in 2024.
    deadline_item_t a = s_item("A2", DEADLINE_SIGNAL, s_date(2024, 1, 31), "1m", "6m");
    CHECK_STR(s_fmt(deadline_answer_due(&a)), "2024-02-29");
    //  18 January 2024 + 6 weeks lands on the leap day itself.
    deadline_item_t b = s_item("A3", DEADLINE_SIGNAL, s_date(2024, 1, 18), "6w", "6m");
    CHECK_STR(s_fmt(deadline_answer_due(&b)), "2024-02-29");
    //  Answered on the leap day: six months on is 29 August; a year on
    //  (12m) is the end of February 2025, the 28th.
    sm_err_t err = {0};
    sm_date_t due;
    CHECK_INT(deadline_item_answer(&b, s_date(2024, 2, 29), DEADLINE_ADOPTED, NULL, &err), 0);
    CHECK_INT(deadline_evaluation_due(&b, &due), 0);
    CHECK_STR(s_fmt(due), "2024-08-29");
    deadline_item_t c = s_item("A4", DEADLINE_SIGNAL, s_date(2024, 2, 29), "6w", "12m");
    CHECK_INT(deadline_item_answer(&c, s_date(2024, 2, 29), DEADLINE_ADOPTED, NULL, &err), 0);
    CHECK_INT(deadline_evaluation_due(&c, &due), 0);
    CHECK_STR(s_fmt(due), "2025-02-28");
    //  Days late across the leap day: due 28 Feb, on 1 March that is 2 days.
    CHECK_INT(deadline_days_late(s_date(2024, 2, 28), s_date(2024, 3, 1)), 2);
    CHECK_INT(deadline_days_late(s_date(2023, 2, 28), s_date(2023, 3, 1)), 1);
}

int main(void)
{
    RUN(period_specs_in_days_weeks_and_months_are_parsed);
    RUN(bad_period_specs_are_refused_naming_the_field_and_units);
    RUN(month_period_is_clamped_to_the_month_end);
    RUN(six_weeks_reaches_a_leap_day);
    RUN(answer_due_is_received_plus_answer_period);
    RUN(evaluation_due_is_answered_plus_six_months_clamped);
    RUN(days_late_count_from_the_day_after_the_deadline);
    RUN(answered_item_waits_for_its_evaluation_and_evaluated_waits_for_nothing);
    RUN(answer_records_date_outcome_and_trimmed_reason);
    RUN(second_answer_is_refused);
    RUN(evaluation_before_answer_is_refused);
    RUN(not_or_partly_adopted_needs_a_reason);
    RUN(bad_reasons_are_refused);
    RUN(dates_out_of_order_or_invalid_are_refused);
    RUN(init_refuses_bad_id_kind_date_and_periods);
    RUN(kinds_and_outcomes_are_parsed_from_their_words);
    RUN(overdue_notice_goes_out_once_per_kind_of_lateness);
    RUN(deadlines_cross_a_month_end_and_a_leap_day);
    return DONE();
}
