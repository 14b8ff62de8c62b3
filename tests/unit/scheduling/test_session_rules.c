/*  tests/unit/scheduling/test_session_rules.c - session transitions, values,
    facilitator double-booking and recurring series. */
#include "services/scheduling/session_rules.h"
#include "tests/unit/test.h"

/*  UTC unix ms of y-m-d h:mi UTC. (Amsterdam is UTC+1 in winter, UTC+2
    from the last Sunday of March to the last Sunday of October.) */
static int64_t s_utc(int y, int m, int d, int h, int mi)
{
    sm_date_t date = {y, m, d};
    return (sm_date_to_days(date) * 86400 + h * 3600 + mi * 60) * 1000;
}

/*  A planned focus group S3 with an exact time: 2020-03-12 19:00-21:00
    Amsterdam (18:00-20:00 UTC), 12 places, EUR 15. */
static session_t s_exact(void)
{
    session_t s = {0};
    s.id = 3;
    s.theme_id = 1;
    s.method = METHOD_FG;
    s.status = SESSION_PLANNED;
    s.has_time = true;
    s.start_ms = s_utc(2020, 3, 12, 18, 0);
    s.end_ms = s_utc(2020, 3, 12, 20, 0);
    s.capacity = 12;
    s.reimbursement_cents = 1500;
    return s;
}

/*  The same session known only as 2020-Q2. */
static session_t s_period_only(void)
{
    session_t s = s_exact();
    s.has_time = false;
    s.start_ms = s.end_ms = 0;
    s.period.kind = SM_PERIOD_QUARTER;
    s.period.from = (sm_date_t){2020, 4, 1};
    s.period.to = (sm_date_t){2020, 6, 30};
    s.tentative = true;
    return s;
}

/*  The refusal message of action on s, or "" when allowed. */
static const char *s_refusal(const session_t *s, session_action_t action, sm_err_t *err)
{
    sm_err_clear(err);
    if (session_transition_check(s, action, err) == 0)
        return "";
    return err->message;
}

/* ==== Transitions ======================================================= */

TEST(a_planned_session_with_a_time_may_be_confirmed_held_cancelled_and_registered_for)
{
    session_t s = s_exact();
    sm_err_t err;
    CHECK_STR(s_refusal(&s, SESSION_CONFIRM, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_HOLD, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_CANCEL, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_RESCHEDULE, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_REGISTER, &err), "");
}

TEST(confirming_without_an_exact_time_is_refused_naming_the_period)
{
    session_t s = s_period_only();
    sm_err_t err;
    CHECK_STR(s_refusal(&s, SESSION_CONFIRM, &err),
              "session S3 has only a period (2020-Q2); set an exact start and end before "
              "confirming");
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "start");
}

TEST(a_period_only_session_may_still_be_registered_for_rescheduled_and_cancelled)
{
    session_t s = s_period_only();
    sm_err_t err;
    CHECK_STR(s_refusal(&s, SESSION_REGISTER, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_RESCHEDULE, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_CANCEL, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_HOLD, &err),
              "session S3 has only a period (2020-Q2); set an exact start and end before "
              "recording it as held");
}

TEST(a_cancelled_session_cannot_be_held_confirmed_rescheduled_or_registered_for)
{
    session_t s = s_exact();
    s.status = SESSION_CANCELLED;
    sm_err_t err;
    CHECK_STR(s_refusal(&s, SESSION_HOLD, &err),
              "session S3 is cancelled; a cancelled session cannot be recorded as held");
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "session");
    CHECK_STR(s_refusal(&s, SESSION_CONFIRM, &err),
              "session S3 is cancelled; it cannot be confirmed (plan a new session instead)");
    CHECK_STR(s_refusal(&s, SESSION_RESCHEDULE, &err),
              "session S3 is cancelled; plan a new session instead of rescheduling it");
    CHECK_STR(s_refusal(&s, SESSION_REGISTER, &err),
              "session S3 is cancelled; registration is closed");
    CHECK_STR(s_refusal(&s, SESSION_CANCEL, &err), "session S3 is already cancelled");
    CHECK_STR(s_refusal(&s, SESSION_ATTEND, &err),
              "session S3 is cancelled; attendance can be recorded only once it is held");
}

TEST(a_held_session_cannot_be_registered_for_cancelled_or_rescheduled)
{
    session_t s = s_exact();
    s.status = SESSION_HELD;
    sm_err_t err;
    CHECK_STR(s_refusal(&s, SESSION_REGISTER, &err),
              "session S3 has already been held; registration is closed");
    CHECK_STR(s_refusal(&s, SESSION_CANCEL, &err),
              "session S3 has already been held; it cannot be cancelled");
    CHECK_STR(s_refusal(&s, SESSION_RESCHEDULE, &err),
              "session S3 has already been held; it cannot be rescheduled");
    CHECK_STR(s_refusal(&s, SESSION_CONFIRM, &err),
              "session S3 has already been held; there is nothing to confirm");
    CHECK_STR(s_refusal(&s, SESSION_HOLD, &err), "session S3 is already recorded as held");
    CHECK_STR(s_refusal(&s, SESSION_ATTEND, &err), "");
}

TEST(attendance_is_recorded_only_once_held)
{
    session_t s = s_exact();
    sm_err_t err;
    CHECK_STR(s_refusal(&s, SESSION_ATTEND, &err),
              "session S3 is planned; attendance can be recorded only once it is held");
    s.status = SESSION_CONFIRMED;
    CHECK_STR(s_refusal(&s, SESSION_ATTEND, &err),
              "session S3 is confirmed; attendance can be recorded only once it is held");
    s.status = SESSION_HELD;
    CHECK_STR(s_refusal(&s, SESSION_ATTEND, &err), "");
}

TEST(confirming_twice_is_refused)
{
    session_t s = s_exact();
    s.status = SESSION_CONFIRMED;
    sm_err_t err;
    CHECK_STR(s_refusal(&s, SESSION_CONFIRM, &err), "session S3 is already confirmed");
    CHECK_STR(s_refusal(&s, SESSION_HOLD, &err), "");
    CHECK_STR(s_refusal(&s, SESSION_REGISTER, &err), "");
}

TEST(an_unknown_action_is_refused)
{
    session_t s = s_exact();
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(session_transition_check(&s, (session_action_t)42, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "action");
}

TEST(applying_confirm_clears_tentative_and_cancel_keeps_it)
{
    session_t s = s_exact();
    s.tentative = true;
    session_apply(&s, SESSION_CONFIRM);
    CHECK_INT(s.status, SESSION_CONFIRMED);
    CHECK(!s.tentative);
    session_apply(&s, SESSION_HOLD);
    CHECK_INT(s.status, SESSION_HELD);
    session_t t = s_exact();
    t.tentative = true;
    session_apply(&t, SESSION_CANCEL);
    CHECK_INT(t.status, SESSION_CANCELLED);
    CHECK(t.tentative);
    session_apply(&t, SESSION_REGISTER);
    CHECK_INT(t.status, SESSION_CANCELLED);
}

TEST(status_and_action_names_round_trip)
{
    session_status_t st;
    sm_err_t err;
    sm_err_clear(&err);
    for (int i = 0; i < SESSION_STATUS_COUNT; i++) {
        CHECK_INT(
            session_status_parse(session_status_name((session_status_t)i), &st, "status", &err), 0);
        CHECK_INT(st, i);
    }
    CHECK_INT(session_status_parse("Cancelled", &st, "status", &err), 0);
    CHECK_INT(st, SESSION_CANCELLED);
    CHECK_INT(session_status_parse("done", &st, "status", &err), -1);
    CHECK_STR(err.message, "status is not a session status; use planned, confirmed, held or "
                           "cancelled");
    CHECK_STR(session_action_name(SESSION_ATTEND), "attend");
    CHECK_STR(session_status_name((session_status_t)9), "?");
}

/* ==== Values ============================================================ */

TEST(end_before_start_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t start = s_utc(2020, 3, 12, 18, 0);
    CHECK_INT(session_check_interval(start, start - 60000, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "end");
    CHECK_STR(err.message, "end 2020-03-12 18:59 is not after start 2020-03-12 19:00; give an "
                           "end later than the start");
}

TEST(end_equal_to_start_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t start = s_utc(2020, 3, 12, 18, 0);
    CHECK_INT(session_check_interval(start, start, &err), -1);
    CHECK_STR(err.field, "end");
    CHECK_INT(session_check_interval(start, start + 1, &err), 0);
}

TEST(a_session_longer_than_a_year_or_outside_the_calendar_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(session_check_interval(s_utc(2020, 1, 1, 0, 0), s_utc(2021, 1, 2, 0, 0), &err), -1);
    CHECK_STR(err.message, "a session lasts at most 366 days; check the year of start and end");
    CHECK_INT(session_check_interval(s_utc(2020, 1, 1, 0, 0), s_utc(2021, 1, 1, 0, 0), &err), 0);
    CHECK_INT(session_check_interval(INT64_MIN, 0, &err), -1);
    CHECK_STR(err.field, "start");
    CHECK_INT(session_check_interval(0, INT64_MAX, &err), -1);
    CHECK_STR(err.field, "end");
}

TEST(capacity_negative_or_above_ten_thousand_is_refused_and_zero_is_no_limit)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(session_check_capacity(0, &err), 0);
    CHECK_INT(session_check_capacity(-5, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "capacity");
    CHECK_STR(err.message,
              "capacity -5 is not possible; give a number of places from 1 to 10000, or 0 for no "
              "limit");
    CHECK_INT(session_check_capacity(10001, &err), -1);
    CHECK_INT(session_check_capacity(INT64_MAX, &err), -1);
    CHECK_INT(session_check_capacity(1, &err), 0);
    CHECK_INT(session_check_capacity(10000, &err), 0);
}

TEST(a_registration_deadline_is_on_or_before_the_sessions_day)
{
    sm_err_t err;
    sm_err_clear(&err);
    session_t s = s_exact(); //  2020-03-12 19:00-21:00
    s.registration_deadline = (sm_date_t){2020, 3, 12};
    CHECK_INT(session_check_deadline(&s, &err), 0);
    s.registration_deadline = (sm_date_t){2020, 3, 13};
    CHECK_INT(session_validate(&s, &err), -1);
    CHECK_STR(err.field, "register_by");
    CHECK_STR(err.message, "the registration deadline 2020-03-13 is after the session's day "
                           "2020-03-12; give 2020-03-12 or earlier");
    //  A session known by a period may take place up to its last day.
    s = s_period_only(); //  2020-Q2
    s.registration_deadline = (sm_date_t){2020, 6, 30};
    CHECK_INT(session_validate(&s, &err), 0);
    s.registration_deadline = (sm_date_t){2020, 7, 1};
    CHECK_INT(session_check_deadline(&s, &err), -1);
    CHECK_STR(err.message, "the registration deadline 2020-07-01 is after the session's last "
                           "possible day 2020-06-30; give 2020-06-30 or earlier");
    s.registration_deadline = (sm_date_t){2020, 2, 30};
    CHECK_INT(session_check_deadline(&s, &err), -1);
    CHECK_STR(err.field, "register_by");
}

TEST(registration_after_the_deadline_is_refused_unless_overridden)
{
    sm_err_t err;
    sm_err_clear(&err);
    session_t s = s_exact();
    s.id = 31;
    //  No deadline: always open.
    CHECK_INT(session_registration_open(&s, (sm_date_t){2020, 3, 12}, false, &err), 0);
    s.registration_deadline = (sm_date_t){2020, 3, 5};
    CHECK_INT(session_registration_open(&s, (sm_date_t){2020, 3, 5}, false, &err), 0);
    CHECK_INT(session_registration_open(&s, (sm_date_t){2020, 3, 6}, false, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "session");
    CHECK_STR(err.message, "registration for S31 closed on 2020-03-05 (its registration "
                           "deadline); to register anyway, give after_deadline: true (samenctl: "
                           "--after-deadline)");
    CHECK_INT(session_registration_open(&s, (sm_date_t){2020, 3, 6}, true, &err), 0);
}

TEST(negative_reimbursement_is_refused_and_zero_is_fine)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(session_check_reimbursement(-1, &err), -1);
    CHECK_STR(err.field, "reimbursement_cents");
    CHECK_STR(err.message, "reimbursement must not be negative; give an amount of EUR 0.00 or "
                           "more (e.g. 15.00)");
    CHECK_INT(session_check_reimbursement(0, &err), 0);
    CHECK_INT(session_check_reimbursement(1500, &err), 0);
}

TEST(validate_checks_every_field)
{
    sm_err_t err;
    sm_err_clear(&err);
    session_t s = s_exact();
    CHECK_INT(session_validate(&s, &err), 0);
    s = s_period_only();
    CHECK_INT(session_validate(&s, &err), 0);
    s.period.to = (sm_date_t){2020, 3, 31}; //  before from
    CHECK_INT(session_validate(&s, &err), -1);
    CHECK_STR(err.field, "period");
    s = s_exact();
    s.capacity = -1;
    CHECK_INT(session_validate(&s, &err), -1);
    CHECK_STR(err.field, "capacity");
    s.capacity = SESSION_CAPACITY_NONE; //  no limit
    CHECK_INT(session_validate(&s, &err), 0);
    s = s_exact();
    s.reimbursement_cents = -1500;
    CHECK_INT(session_validate(&s, &err), -1);
    CHECK_STR(err.field, "reimbursement_cents");
    s = s_exact();
    s.end_ms = s.start_ms;
    CHECK_INT(session_validate(&s, &err), -1);
    CHECK_STR(err.field, "end");
    s = s_exact();
    s.method = (method_t)METHOD_COUNT;
    CHECK_INT(session_validate(&s, &err), -1);
    CHECK_STR(err.field, "method");
}

/* ==== Facilitator double-booking ======================================== */

/*  The facilitator's other sessions: S12 on 2020-03-12 19:00-21:00, S14
    cancelled at the same time, S15 without a time, S16 17:00-19:30. */
static void s_agenda(session_t *others)
{
    others[0] = s_exact();
    others[0].id = 12;
    others[1] = s_exact();
    others[1].id = 14;
    others[1].status = SESSION_CANCELLED;
    others[2] = s_period_only();
    others[2].id = 15;
    others[3] = s_exact();
    others[3].id = 16;
    others[3].start_ms = s_utc(2020, 3, 12, 16, 0);
    others[3].end_ms = s_utc(2020, 3, 12, 18, 30);
}

TEST(a_session_ending_when_the_next_starts_does_not_overlap)
{
    session_t others[4];
    s_agenda(others);
    others[3].status = SESSION_CANCELLED; //  leave only S12 in play
    //  21:00-22:00 after S12 (19:00-21:00): end == start is not an overlap.
    CHECK_INT(
        session_find_overlap(s_utc(2020, 3, 12, 20, 0), s_utc(2020, 3, 12, 21, 0), 0, others, 4),
        -1);
    //  18:00-19:00 before S12.
    CHECK_INT(
        session_find_overlap(s_utc(2020, 3, 12, 17, 0), s_utc(2020, 3, 12, 18, 0), 0, others, 4),
        -1);
    //  One millisecond into S12 is an overlap, at either end.
    CHECK_INT(session_find_overlap(s_utc(2020, 3, 12, 17, 0), s_utc(2020, 3, 12, 18, 0) + 1, 0,
                                   others, 4),
              0);
    CHECK_INT(session_find_overlap(s_utc(2020, 3, 12, 20, 0) - 1, s_utc(2020, 3, 12, 21, 0), 0,
                                   others, 4),
              0);
    //  Inside, and around.
    CHECK_INT(
        session_find_overlap(s_utc(2020, 3, 12, 18, 30), s_utc(2020, 3, 12, 19, 0), 0, others, 4),
        0);
    CHECK_INT(
        session_find_overlap(s_utc(2020, 3, 12, 10, 0), s_utc(2020, 3, 12, 23, 0), 0, others, 4),
        0);
}

TEST(overlap_skips_cancelled_untimed_and_the_session_itself)
{
    session_t others[4];
    s_agenda(others);
    others[3].status = SESSION_CANCELLED;
    //  Rescheduling S12 itself within its own slot is no conflict.
    CHECK_INT(
        session_find_overlap(s_utc(2020, 3, 12, 18, 30), s_utc(2020, 3, 12, 20, 30), 12, others, 4),
        -1);
    //  S14 (cancelled) and S15 (no time) never count.
    others[0].status = SESSION_CANCELLED;
    CHECK_INT(
        session_find_overlap(s_utc(2020, 3, 12, 18, 0), s_utc(2020, 3, 12, 20, 0), 0, others, 4),
        -1);
    CHECK_INT(session_find_overlap(0, 1, 0, NULL, 0), -1);
}

TEST(the_earliest_overlapping_session_is_reported)
{
    session_t others[4];
    s_agenda(others);
    //  18:00-19:00 UTC overlaps S12 (18:00-20:00) and S16 (16:00-18:30):
    //  S16 starts first.
    CHECK_INT(
        session_find_overlap(s_utc(2020, 3, 12, 18, 0), s_utc(2020, 3, 12, 19, 0), 0, others, 4),
        3);
}

TEST(double_booking_a_facilitator_is_refused_with_the_local_time)
{
    session_t others[4];
    s_agenda(others);
    others[3].status = SESSION_CANCELLED;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(session_check_facilitator("P7", s_utc(2020, 3, 12, 19, 0), s_utc(2020, 3, 12, 21, 0),
                                        0, others, 4, &err),
              -1);
    CHECK_STR(err.code, SM_E_CONFLICT);
    CHECK_STR(err.field, "start");
    CHECK_STR(err.message,
              "facilitator P7 is already booked in S12 from 19:00 to 21:00 on 2020-03-12");
    CHECK_INT(session_check_facilitator("P7", s_utc(2020, 3, 12, 20, 0), s_utc(2020, 3, 12, 22, 0),
                                        0, others, 4, &err),
              0);
}

TEST(a_booking_across_midnight_names_both_dates)
{
    session_t other = s_exact();
    other.id = 20;
    //  2020-06-30 23:00 to 2020-07-01 01:00 Amsterdam summer time.
    other.start_ms = s_utc(2020, 6, 30, 21, 0);
    other.end_ms = s_utc(2020, 6, 30, 23, 0);
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(session_check_facilitator("P7", s_utc(2020, 6, 30, 22, 0), s_utc(2020, 6, 30, 23, 30),
                                        0, &other, 1, &err),
              -1);
    CHECK_STR(err.message, "facilitator P7 is already booked in S20 from 23:00 on 2020-06-30 to "
                           "01:00 on 2020-07-01");
}

/* ==== Recurring series ================================================== */

TEST(a_wednesday_cafe_three_times_a_year_stays_on_wednesdays)
{
    //  The bug this replaces: the café of Wednesday 15 January 2020 went
    //  to 15 May (a Friday), 15 September (a Tuesday), 15 January 2021 (a
    //  Friday). A monthly rhythm keeps the weekday and its place in the
    //  month: the third Wednesday.
    series_spec_t spec;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(series_spec_per_year(3, 6, &spec, &err), 0);
    CHECK_INT(spec.every_months, 4);
    CHECK_INT(spec.day, SERIES_SAME_WEEKDAY);
    occurrence_t occ[6];
    CHECK_INT(
        session_series(s_utc(2020, 1, 15, 18, 0), s_utc(2020, 1, 15, 20, 0), &spec, occ, 6, &err),
        6);
    CHECK_INT(occ[0].start_ms, s_utc(2020, 1, 15, 18, 0));
    //  20 May, still 19:00 Amsterdam, which is 17:00 UTC in summer.
    CHECK_INT(occ[1].start_ms, s_utc(2020, 5, 20, 17, 0));
    CHECK_INT(occ[1].end_ms, s_utc(2020, 5, 20, 19, 0));
    CHECK_INT(occ[2].start_ms, s_utc(2020, 9, 16, 17, 0));
    CHECK_INT(occ[3].start_ms, s_utc(2021, 1, 20, 18, 0));
    CHECK_INT(occ[4].start_ms, s_utc(2021, 5, 19, 17, 0));
    CHECK_INT(occ[5].start_ms, s_utc(2021, 9, 15, 17, 0));
    for (int k = 0; k < 6; k++) {
        sm_date_t d = sm_date_of_ms(occ[k].start_ms);
        CHECK_INT(sm_date_weekday(d), 3);
        CHECK_INT(sm_date_weekday_ordinal(d), 3);
    }
}

TEST(the_first_tuesday_of_the_month_and_the_last_wednesday)
{
    series_spec_t monthly = {4, 1, 0, SERIES_SAME_WEEKDAY};
    occurrence_t occ[4];
    sm_err_t err;
    sm_err_clear(&err);
    //  Tuesday 7 January 2020 is the first Tuesday.
    CHECK_INT(session_series(s_utc(2020, 1, 7, 9, 0), s_utc(2020, 1, 7, 11, 0), &monthly, occ, 4,
                             &err),
              4);
    CHECK_INT(occ[1].start_ms, s_utc(2020, 2, 4, 9, 0));
    CHECK_INT(occ[2].start_ms, s_utc(2020, 3, 3, 9, 0));
    CHECK_INT(occ[3].start_ms, s_utc(2020, 4, 7, 8, 0)); //  summer time
    //  Wednesday 30 October 2019 is the fifth, so the last, Wednesday:
    //  27 November, 25 December, 29 January.
    CHECK_INT(session_series(s_utc(2019, 10, 30, 18, 0), s_utc(2019, 10, 30, 20, 0), &monthly,
                             occ, 4, &err),
              4);
    CHECK_INT(occ[1].start_ms, s_utc(2019, 11, 27, 18, 0));
    CHECK_INT(occ[2].start_ms, s_utc(2019, 12, 25, 18, 0));
    CHECK_INT(occ[3].start_ms, s_utc(2020, 1, 29, 18, 0));
}

TEST(every_second_wednesday_is_every_two_weeks)
{
    series_spec_t spec = {3, 0, 2, SERIES_SAME_WEEKDAY};
    occurrence_t occ[3];
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(
        session_series(s_utc(2020, 1, 8, 18, 0), s_utc(2020, 1, 8, 20, 0), &spec, occ, 3, &err),
        3);
    CHECK_INT(occ[1].start_ms, s_utc(2020, 1, 22, 18, 0));
    CHECK_INT(occ[2].start_ms, s_utc(2020, 2, 5, 18, 0));
}

TEST(keeping_the_date_clamps_the_day_to_the_month_end)
{
    series_spec_t spec;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(series_spec_per_year(3, 3, &spec, &err), 0);
    spec.day = SERIES_SAME_DATE;
    //  Foster-parent café on 31 January 2020, 19:00-21:00 Amsterdam (winter).
    occurrence_t occ[3];
    CHECK_INT(
        session_series(s_utc(2020, 1, 31, 18, 0), s_utc(2020, 1, 31, 20, 0), &spec, occ, 3, &err),
        3);
    CHECK_INT(occ[0].start_ms, s_utc(2020, 1, 31, 18, 0));
    CHECK_INT(occ[0].end_ms, s_utc(2020, 1, 31, 20, 0));
    //  31 May, still 19:00 Amsterdam, which is 17:00 UTC in summer.
    CHECK_INT(occ[1].start_ms, s_utc(2020, 5, 31, 17, 0));
    CHECK_INT(occ[1].end_ms, s_utc(2020, 5, 31, 19, 0));
    //  September has 30 days.
    CHECK_INT(occ[2].start_ms, s_utc(2020, 9, 30, 17, 0));
    CHECK_INT(occ[2].end_ms, s_utc(2020, 9, 30, 19, 0));
}

TEST(a_monthly_series_counts_from_the_first_date_not_the_clamped_one)
{
    series_spec_t spec = {3, 1, 0, SERIES_SAME_DATE};
    occurrence_t occ[3];
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(
        session_series(s_utc(2020, 1, 31, 18, 0), s_utc(2020, 1, 31, 20, 0), &spec, occ, 3, &err),
        3);
    CHECK_INT(occ[1].start_ms, s_utc(2020, 2, 29, 18, 0));
    //  31 March again (after the summer-time switch of 29 March).
    CHECK_INT(occ[2].start_ms, s_utc(2020, 3, 31, 17, 0));
}

TEST(a_weekly_series_keeps_the_wall_clock_time_across_summer_time)
{
    series_spec_t spec = {3, 0, 1, SERIES_SAME_WEEKDAY};
    occurrence_t occ[3];
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(
        session_series(s_utc(2020, 3, 19, 18, 0), s_utc(2020, 3, 19, 20, 0), &spec, occ, 3, &err),
        3);
    CHECK_INT(occ[0].start_ms, s_utc(2020, 3, 19, 18, 0));
    CHECK_INT(occ[1].start_ms, s_utc(2020, 3, 26, 18, 0));
    CHECK_INT(occ[2].start_ms, s_utc(2020, 4, 2, 17, 0));
    CHECK_INT(occ[2].end_ms, s_utc(2020, 4, 2, 19, 0));
}

TEST(a_sounding_board_meeting_four_times_over_two_years)
{
    series_spec_t spec;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(series_spec_per_year(2, 4, &spec, &err), 0);
    occurrence_t occ[4];
    //  3 November 2020, 15:00-17:00 Amsterdam winter time (14:00 UTC).
    CHECK_INT(
        session_series(s_utc(2020, 11, 3, 14, 0), s_utc(2020, 11, 3, 16, 0), &spec, occ, 4, &err),
        4);
    //  The first Tuesday each time.
    CHECK_INT(occ[1].start_ms, s_utc(2021, 5, 4, 13, 0)); //  15:00 summer time
    CHECK_INT(occ[2].start_ms, s_utc(2021, 11, 2, 14, 0));
    CHECK_INT(occ[3].start_ms, s_utc(2022, 5, 3, 13, 0));
    CHECK_INT(occ[3].end_ms, s_utc(2022, 5, 3, 15, 0));
}

TEST(bad_series_specs_are_refused)
{
    series_spec_t spec;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(series_spec_per_year(5, 3, &spec, &err), -1);
    CHECK_STR(err.field, "times_a_year");
    CHECK_STR(err.message, "5 times a year does not divide the year into whole months; use 1, 2, "
                           "3, 4, 6 or 12 (or a weekly rhythm)");
    CHECK_INT(series_spec_per_year(0, 3, &spec, &err), -1);
    CHECK_INT(series_spec_per_year(3, 0, &spec, &err), -1);
    CHECK_STR(err.field, "count");
    spec = (series_spec_t){3, 1, 1, SERIES_SAME_WEEKDAY};
    CHECK_INT(series_spec_check(&spec, &err), -1);
    spec = (series_spec_t){3, 0, 0, SERIES_SAME_WEEKDAY};
    CHECK_INT(series_spec_check(&spec, &err), -1);
    spec = (series_spec_t){SERIES_COUNT_MAX + 1, 0, 1, SERIES_SAME_WEEKDAY};
    CHECK_INT(series_spec_check(&spec, &err), -1);
    spec = (series_spec_t){3, 0, 1, SERIES_SAME_WEEKDAY};
    occurrence_t occ[2];
    CHECK_INT(
        session_series(s_utc(2020, 1, 1, 18, 0), s_utc(2020, 1, 1, 20, 0), &spec, occ, 2, &err),
        -1);
    CHECK_INT(
        session_series(s_utc(2020, 1, 1, 18, 0), s_utc(2020, 1, 1, 17, 0), &spec, occ, 3, &err),
        -1);
    CHECK_STR(err.field, "end");
}

int main(void)
{
    RUN(a_planned_session_with_a_time_may_be_confirmed_held_cancelled_and_registered_for);
    RUN(confirming_without_an_exact_time_is_refused_naming_the_period);
    RUN(a_period_only_session_may_still_be_registered_for_rescheduled_and_cancelled);
    RUN(a_cancelled_session_cannot_be_held_confirmed_rescheduled_or_registered_for);
    RUN(a_held_session_cannot_be_registered_for_cancelled_or_rescheduled);
    RUN(attendance_is_recorded_only_once_held);
    RUN(confirming_twice_is_refused);
    RUN(an_unknown_action_is_refused);
    RUN(applying_confirm_clears_tentative_and_cancel_keeps_it);
    RUN(status_and_action_names_round_trip);
    RUN(end_before_start_is_refused);
    RUN(end_equal_to_start_is_refused);
    RUN(a_session_longer_than_a_year_or_outside_the_calendar_is_refused);
    RUN(capacity_negative_or_above_ten_thousand_is_refused_and_zero_is_no_limit);
    RUN(negative_reimbursement_is_refused_and_zero_is_fine);
    RUN(validate_checks_every_field);
    RUN(a_registration_deadline_is_on_or_before_the_sessions_day);
    RUN(registration_after_the_deadline_is_refused_unless_overridden);
    RUN(a_session_ending_when_the_next_starts_does_not_overlap);
    RUN(overlap_skips_cancelled_untimed_and_the_session_itself);
    RUN(the_earliest_overlapping_session_is_reported);
    RUN(double_booking_a_facilitator_is_refused_with_the_local_time);
    RUN(a_booking_across_midnight_names_both_dates);
    RUN(a_wednesday_cafe_three_times_a_year_stays_on_wednesdays);
    RUN(the_first_tuesday_of_the_month_and_the_last_wednesday);
    RUN(every_second_wednesday_is_every_two_weeks);
    RUN(keeping_the_date_clamps_the_day_to_the_month_end);
    RUN(a_monthly_series_counts_from_the_first_date_not_the_clamped_one);
    RUN(a_weekly_series_keeps_the_wall_clock_time_across_summer_time);
    RUN(a_sounding_board_meeting_four_times_over_two_years);
    RUN(bad_series_specs_are_refused);
    return DONE();
}
