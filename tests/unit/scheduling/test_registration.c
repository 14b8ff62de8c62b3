/*  tests/unit/scheduling/test_registration.c - capacity, waitlist, promotion
    and the invite list. */
#include "services/scheduling/registration_rules.h"
#include "services/scheduling/session_rules.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  A list for S3 with capacity places and participants P1..Pn registered
    in that order. */
static reglist_t *s_list(int64_t capacity, uint64_t n)
{
    sm_err_t err;
    sm_err_clear(&err);
    reglist_t *list = reglist_new(3, capacity, &err);
    for (uint64_t p = 1; list && p <= n; p++)
        if (reglist_register(list, p, NULL, &err) != 0)
            printf("unexpected: %s\n", err.message);
    return list;
}

/*  Waitlist position of participant p (0 when not waitlisted, -1 unknown). */
static long s_position(const reglist_t *list, uint64_t p)
{
    size_t position;
    return reglist_lookup(list, p, NULL, &position) == 0 ? (long)position : -1;
}

static int s_status(const reglist_t *list, uint64_t p)
{
    reg_status_t status;
    return reglist_lookup(list, p, &status, NULL) == 0 ? (int)status : -1;
}

TEST(twenty_registrations_for_ten_places_fill_the_session_then_the_waitlist_in_order)
{
    sm_err_t err;
    sm_err_clear(&err);
    reglist_t *list = reglist_new(3, 10, &err);
    CHECK(list != NULL);
    for (uint64_t p = 1; p <= 20; p++) {
        reg_outcome_t got;
        CHECK_INT(reglist_register(list, p, &got, &err), 0);
        if (p <= 10) {
            CHECK_INT(got.status, REG_REGISTERED);
            CHECK_INT(got.position, 0);
        } else {
            CHECK_INT(got.status, REG_WAITLISTED);
            CHECK_INT(got.position, p - 10);
        }
        CHECK_INT(got.seq, p);
    }
    CHECK_INT(reglist_registered(list), 10);
    CHECK_INT(reglist_waitlisted(list), 10);
    for (uint64_t p = 1; p <= 10; p++)
        CHECK_INT(s_status(list, p), REG_REGISTERED);
    for (uint64_t p = 11; p <= 20; p++)
        CHECK_INT(s_position(list, p), (long)p - 10);
    reglist_destroy(&list);
    CHECK(list == NULL);
    reglist_destroy(&list);
}

TEST(when_a_registered_participant_cancels_the_first_waitlisted_is_promoted)
{
    reglist_t *list = s_list(10, 20);
    sm_err_t err;
    sm_err_clear(&err);
    uint64_t promoted = 99;
    CHECK_INT(reglist_cancel(list, 4, &promoted, &err), 0);
    CHECK_INT(promoted, 11);
    CHECK_INT(s_status(list, 4), REG_CANCELLED);
    CHECK_INT(s_status(list, 11), REG_REGISTERED);
    CHECK_INT(s_position(list, 12), 1);
    CHECK_INT(s_position(list, 20), 9);
    CHECK_INT(reglist_registered(list), 10);
    CHECK_INT(reglist_waitlisted(list), 9);
    //  The persisted array reflects it, in seq order.
    size_t n;
    const registration_t *items = reglist_items(list, &n);
    CHECK_INT(n, 20);
    CHECK_INT(items[3].participant_id, 4);
    CHECK_INT(items[3].status, REG_CANCELLED);
    CHECK_INT(items[10].participant_id, 11);
    CHECK_INT(items[10].status, REG_REGISTERED);
    CHECK_INT(items[10].seq, 11);
    reglist_destroy(&list);
}

TEST(a_waitlisted_participant_cancelling_promotes_nobody_and_moves_the_queue_up)
{
    reglist_t *list = s_list(10, 20);
    sm_err_t err;
    sm_err_clear(&err);
    uint64_t promoted = 99;
    CHECK_INT(reglist_cancel(list, 12, &promoted, &err), 0);
    CHECK_INT(promoted, 0);
    CHECK_INT(s_position(list, 11), 1);
    CHECK_INT(s_position(list, 13), 2);
    CHECK_INT(reglist_waitlisted(list), 9);
    reglist_destroy(&list);
}

TEST(cancelling_with_an_empty_waitlist_frees_the_place_for_the_next_registration)
{
    reglist_t *list = s_list(2, 2);
    sm_err_t err;
    sm_err_clear(&err);
    uint64_t promoted = 99;
    CHECK_INT(reglist_cancel(list, 1, &promoted, &err), 0);
    CHECK_INT(promoted, 0);
    reg_outcome_t got;
    CHECK_INT(reglist_register(list, 3, &got, &err), 0);
    CHECK_INT(got.status, REG_REGISTERED);
    reglist_destroy(&list);
}

TEST(registering_twice_is_refused)
{
    reglist_t *list = s_list(10, 12);
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reglist_register(list, 4, NULL, &err), -1);
    CHECK_STR(err.code, SM_E_ALREADY_EXISTS);
    CHECK_STR(err.field, "participant");
    CHECK_STR(err.message, "participant P4 is already registered for S3");
    CHECK_INT(reglist_register(list, 12, NULL, &err), -1);
    CHECK_STR(err.message, "participant P12 is already on the waitlist for S3 at position 2");
    //  Nothing changed.
    CHECK_INT(reglist_registered(list), 10);
    CHECK_INT(reglist_waitlisted(list), 2);
    reglist_destroy(&list);
}

TEST(registering_again_after_cancelling_goes_to_the_back)
{
    reglist_t *list = s_list(2, 4); //  P1 P2 registered, P3 P4 waiting
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reglist_cancel(list, 1, NULL, &err), 0); //  P3 promoted
    reg_outcome_t got;
    CHECK_INT(reglist_register(list, 1, &got, &err), 0);
    CHECK_INT(got.status, REG_WAITLISTED);
    CHECK_INT(got.position, 2);
    CHECK_INT(got.seq, 5);
    size_t n;
    const registration_t *items = reglist_items(list, &n);
    CHECK_INT(n, 4);
    CHECK_INT(items[3].participant_id, 1);
    CHECK_INT(items[3].seq, 5);
    CHECK_INT(reglist_cancel(list, 1, NULL, &err), 0);
    CHECK_INT(reglist_cancel(list, 1, NULL, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "participant P1 has already cancelled for S3");
    reglist_destroy(&list);
}

TEST(cancelling_an_unknown_participant_is_refused)
{
    reglist_t *list = s_list(2, 1);
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reglist_cancel(list, 9, NULL, &err), -1);
    CHECK_STR(err.code, SM_E_NOT_FOUND);
    CHECK_STR(err.message, "participant P9 is not registered for S3");
    CHECK_INT(reglist_register(list, 0, NULL, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    reglist_destroy(&list);
}

TEST(a_negative_capacity_or_one_above_ten_thousand_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK(reglist_new(3, -1, &err) == NULL);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "capacity");
    CHECK(reglist_new(3, 10001, &err) == NULL);
    reglist_t *list = s_list(5, 0);
    CHECK_INT(reglist_set_capacity(list, -1, NULL, 0, NULL, &err), -1);
    CHECK_STR(err.message, "capacity -1 is not possible; give a number of places from 1 to 10000, "
                           "or 0 for no limit");
    CHECK_INT(reglist_capacity(list), 5);
    reglist_destroy(&list);
}

TEST(a_survey_without_a_limit_never_waitlists)
{
    sm_err_t err;
    sm_err_clear(&err);
    reglist_t *list = reglist_new(3, SESSION_CAPACITY_NONE, &err);
    CHECK(list != NULL);
    reg_outcome_t got;
    for (uint64_t p = 1; p <= 250; p++) {
        CHECK_INT(reglist_register(list, p, &got, &err), 0);
        CHECK_INT(got.status, REG_REGISTERED);
    }
    CHECK_INT(reglist_registered(list), 250);
    CHECK_INT(reglist_waitlisted(list), 0);
    //  It loads back as it was stored.
    size_t n;
    const registration_t *items = reglist_items(list, &n);
    reglist_t *again = reglist_new(3, SESSION_CAPACITY_NONE, &err);
    CHECK_INT(reglist_load(again, items, n, &err), 0);
    CHECK_INT(reglist_registered(again), 250);
    reglist_destroy(&again);
    reglist_destroy(&list);
    //  Lifting the limit of a full session lets the whole waitlist in.
    list = s_list(10, 14);
    uint64_t promoted[8];
    size_t n_promoted = 0;
    CHECK_INT(reglist_set_capacity(list, SESSION_CAPACITY_NONE, promoted, 8, &n_promoted, &err),
              0);
    CHECK_INT(n_promoted, 4);
    CHECK_INT(reglist_registered(list), 14);
    CHECK_INT(reglist_waitlisted(list), 0);
    reglist_destroy(&list);
}

TEST(raising_the_capacity_promotes_the_waitlist_in_order)
{
    reglist_t *list = s_list(10, 20);
    sm_err_t err;
    sm_err_clear(&err);
    uint64_t promoted[2] = {0, 0};
    size_t n_promoted = 0;
    CHECK_INT(reglist_set_capacity(list, 13, promoted, 2, &n_promoted, &err), 0);
    CHECK_INT(n_promoted, 3); //  P11, P12, P13; only two fit the array
    CHECK_INT(promoted[0], 11);
    CHECK_INT(promoted[1], 12);
    CHECK_INT(s_status(list, 13), REG_REGISTERED);
    CHECK_INT(s_position(list, 14), 1);
    CHECK_INT(reglist_capacity(list), 13);
    //  More places than people waiting: everyone in, places left.
    CHECK_INT(reglist_set_capacity(list, 100, NULL, 0, &n_promoted, &err), 0);
    CHECK_INT(n_promoted, 7);
    CHECK_INT(reglist_registered(list), 20);
    CHECK_INT(reglist_waitlisted(list), 0);
    reglist_destroy(&list);
}

TEST(lowering_the_capacity_below_those_registered_is_refused)
{
    reglist_t *list = s_list(10, 8);
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reglist_set_capacity(list, 5, NULL, 0, NULL, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "capacity 5 is below the 8 participants already registered for S3; "
                           "give at least 8 or cancel registrations first");
    CHECK_INT(reglist_capacity(list), 10);
    //  Down to exactly those registered is fine; the next one waits.
    CHECK_INT(reglist_set_capacity(list, 8, NULL, 0, NULL, &err), 0);
    reg_outcome_t got;
    CHECK_INT(reglist_register(list, 9, &got, &err), 0);
    CHECK_INT(got.status, REG_WAITLISTED);
    CHECK_INT(got.position, 1);
    reglist_destroy(&list);
}

TEST(a_stored_list_loads_and_continues_where_it_left_off)
{
    //  As the store might hold it: not in seq order, a cancelled entry.
    registration_t stored[] = {
        {30, REG_WAITLISTED, 7},
        {10, REG_REGISTERED, 2},
        {20, REG_CANCELLED, 4},
        {40, REG_REGISTERED, 5},
    };
    sm_err_t err;
    sm_err_clear(&err);
    reglist_t *list = reglist_new(3, 2, &err);
    CHECK_INT(reglist_load(list, stored, 4, &err), 0);
    CHECK_INT(reglist_registered(list), 2);
    CHECK_INT(reglist_waitlisted(list), 1);
    size_t n;
    const registration_t *items = reglist_items(list, &n);
    CHECK_INT(n, 4);
    CHECK_INT(items[0].participant_id, 10);
    CHECK_INT(items[3].participant_id, 30);
    reg_outcome_t got;
    CHECK_INT(reglist_register(list, 50, &got, &err), 0);
    CHECK_INT(got.seq, 8);
    CHECK_INT(got.position, 2);
    uint64_t promoted = 0;
    CHECK_INT(reglist_cancel(list, 40, &promoted, &err), 0);
    CHECK_INT(promoted, 30);
    reglist_destroy(&list);
}

TEST(a_corrupt_stored_list_is_refused_and_the_list_kept)
{
    sm_err_t err;
    sm_err_clear(&err);
    reglist_t *list = s_list(2, 1);
    registration_t twice[] = {{10, REG_REGISTERED, 1}, {10, REG_WAITLISTED, 2}};
    CHECK_INT(reglist_load(list, twice, 2, &err), -1);
    CHECK_STR(err.code, SM_E_INTERNAL);
    CHECK_STR(err.message, "stored registration list of S3 has P10 twice");
    registration_t same_seq[] = {{10, REG_REGISTERED, 1}, {11, REG_REGISTERED, 1}};
    CHECK_INT(reglist_load(list, same_seq, 2, &err), -1);
    registration_t over[] = {
        {1, REG_REGISTERED, 1}, {2, REG_REGISTERED, 2}, {3, REG_REGISTERED, 3}};
    CHECK_INT(reglist_load(list, over, 3, &err), -1);
    registration_t waiting_with_room[] = {{1, REG_REGISTERED, 1}, {2, REG_WAITLISTED, 2}};
    CHECK_INT(reglist_load(list, waiting_with_room, 2, &err), -1);
    registration_t zero[] = {{0, REG_REGISTERED, 1}};
    CHECK_INT(reglist_load(list, zero, 1, &err), -1);
    registration_t bad_status[] = {{1, (reg_status_t)7, 1}};
    CHECK_INT(reglist_load(list, bad_status, 1, &err), -1);
    CHECK_INT(reglist_registered(list), 1);
    CHECK_INT(s_status(list, 1), REG_REGISTERED);
    CHECK_INT(reglist_load(list, NULL, 0, &err), 0);
    CHECK_INT(reglist_registered(list), 0);
    CHECK_STR(reg_status_name(REG_WAITLISTED), "waitlisted");
    reglist_destroy(&list);
}

TEST(a_full_session_of_ten_thousand_places)
{
    reglist_t *list = s_list(10000, 10050);
    CHECK_INT(reglist_registered(list), 10000);
    CHECK_INT(reglist_waitlisted(list), 50);
    CHECK_INT(s_position(list, 10050), 50);
    reglist_destroy(&list);
}

/* ==== Invite list ======================================================= */

static const char *const s_youth[] = {"youth"};
static const char *const s_parents[] = {"parents", "Youth"};
static const char *const s_elderly[] = {"elderly"};

/*  Candidates: mixed municipalities, groups, consent and history. */
static const invite_candidate_t s_candidates[] = {
    {7, "Hilversum", s_youth, 1, true, 3, false},
    {2, "Huizen", s_parents, 2, true, 0, false},
    {5, "hilversum", s_youth, 1, true, 0, false},
    {9, "Hilversum", s_youth, 1, false, 0, false}, //  no consent
    {4, "Laren", s_youth, 1, true, 1, false},
    {8, "Hilversum", s_elderly, 1, true, 0, false}, //  wrong group
    {3, "Hilversum", s_youth, 1, true, 1, true},    //  already invited
    {6, "Weesp", s_youth, 1, true, 12, false},
    {1, "Blaricum", NULL, 0, true, 0, false}, //  no groups known
};
#define S_N_CANDIDATES (sizeof s_candidates / sizeof s_candidates[0])

TEST(invites_put_first_timers_first_then_fewest_attended_then_id)
{
    const char *groups[] = {"youth"};
    invite_filter_t filter = {NULL, 0, groups, 1, true, 0};
    uint64_t out[S_N_CANDIDATES];
    sm_err_t err;
    sm_err_clear(&err);
    long n = invite_rank(s_candidates, S_N_CANDIDATES, &filter, out, &err);
    CHECK_INT(n, 5);
    //  Never attended: P2, P5; then P4 (1), P7 (3), P6 (12).
    CHECK_INT(out[0], 2);
    CHECK_INT(out[1], 5);
    CHECK_INT(out[2], 4);
    CHECK_INT(out[3], 7);
    CHECK_INT(out[4], 6);
}

TEST(invites_without_first_timers_first_are_in_id_order)
{
    const char *groups[] = {"youth"};
    invite_filter_t filter = {NULL, 0, groups, 1, false, 0};
    uint64_t out[S_N_CANDIDATES];
    long n = invite_rank(s_candidates, S_N_CANDIDATES, &filter, out, NULL);
    CHECK_INT(n, 5);
    CHECK_INT(out[0], 2);
    CHECK_INT(out[1], 4);
    CHECK_INT(out[2], 5);
    CHECK_INT(out[3], 6);
    CHECK_INT(out[4], 7);
}

TEST(invites_filter_by_municipality_ignoring_case_and_honour_the_limit)
{
    const char *places[] = {"HILVERSUM", "Laren"};
    invite_filter_t filter = {places, 2, NULL, 0, true, 2};
    uint64_t out[S_N_CANDIDATES];
    long n = invite_rank(s_candidates, S_N_CANDIDATES, &filter, out, NULL);
    //  Hilversum/Laren with consent, not invited: P5 (0), P8 (0), P4 (1), P7 (3).
    CHECK_INT(n, 2);
    CHECK_INT(out[0], 5);
    CHECK_INT(out[1], 8);
}

TEST(an_empty_filter_invites_everyone_with_consent_not_yet_invited)
{
    invite_filter_t filter = {NULL, 0, NULL, 0, true, 0};
    uint64_t out[S_N_CANDIDATES];
    long n = invite_rank(s_candidates, S_N_CANDIDATES, &filter, out, NULL);
    CHECK_INT(n, 7);
    CHECK_INT(out[0], 1);
    CHECK_INT(out[1], 2);
    CHECK_INT(out[2], 5);
    CHECK_INT(out[3], 8);
    CHECK_INT(out[4], 4);
    CHECK_INT(out[5], 7);
    CHECK_INT(out[6], 6);
    CHECK_INT(invite_rank(NULL, 0, &filter, out, NULL), 0);
}

TEST(an_erased_participant_is_removed_and_their_place_goes_to_the_waitlist)
{
    reglist_t *list = s_list(2, 4); //  P1 P2 registered, P3 P4 waiting
    uint64_t promoted = 99;
    CHECK_INT(reglist_remove(list, 1, &promoted), 1);
    CHECK_INT(promoted, 3);
    CHECK_INT(s_status(list, 1), -1);
    CHECK_INT(s_status(list, 3), REG_REGISTERED);
    CHECK_INT(s_position(list, 4), 1);
    CHECK_INT(reglist_registered(list), 2);
    CHECK_INT(reglist_waitlisted(list), 1);
    size_t n;
    reglist_items(list, &n);
    CHECK_INT(n, 3);
    //  A waitlisted one leaves without promoting anybody; an unknown one is a no-op.
    CHECK_INT(reglist_remove(list, 4, &promoted), 1);
    CHECK_INT(promoted, 0);
    CHECK_INT(reglist_remove(list, 42, &promoted), 0);
    CHECK_INT(promoted, 0);
    CHECK_INT(reglist_waitlisted(list), 0);
    reglist_destroy(&list);
}

TEST(a_list_after_a_removal_still_loads)
{
    sm_err_t err;
    reglist_t *list = s_list(2, 3);
    reglist_remove(list, 2, NULL);
    size_t n;
    const registration_t *items = reglist_items(list, &n);
    reglist_t *again = reglist_new(3, 2, &err);
    CHECK_INT(reglist_load(again, items, n, &err), 0);
    CHECK_INT(reglist_registered(again), 2);
    reglist_destroy(&again);
    reglist_destroy(&list);
}

TEST(attendance_is_recorded_for_registered_and_waitlisted_participants)
{
    sm_err_t err;
    reglist_t *list = s_list(1, 2); //  P1 registered, P2 waiting
    CHECK_INT(attendance_check(list, 1, false, ATTEND_NONE, true, &err), 1);
    CHECK_INT(attendance_check(list, 1, false, ATTEND_NONE, false, &err), 1);
    CHECK_INT(attendance_check(list, 2, false, ATTEND_NONE, true, &err), 1);
    reglist_destroy(&list);
}

TEST(attendance_of_someone_not_registered_needs_walk_in_and_is_never_a_no_show)
{
    sm_err_t err;
    sm_err_clear(&err);
    reglist_t *list = s_list(2, 1);
    reglist_cancel(list, 1, NULL, &err);
    CHECK_INT(attendance_check(list, 5, false, ATTEND_NONE, true, &err), -1);
    CHECK_STR(err.field, "participant");
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "participant P5 is not registered for S3; record them as a walk-in "
                           "(walk_in) if they took part without registering");
    CHECK_INT(attendance_check(list, 1, false, ATTEND_NONE, true, &err), -1);
    CHECK_INT(attendance_check(list, 5, true, ATTEND_NONE, true, &err), 1);
    CHECK_INT(attendance_check(list, 5, true, ATTEND_NONE, false, &err), -1);
    reglist_destroy(&list);
}

TEST(recorded_attendance_is_not_changed_but_repeating_it_is_harmless)
{
    sm_err_t err;
    sm_err_clear(&err);
    reglist_t *list = s_list(2, 1);
    CHECK_INT(attendance_check(list, 1, false, ATTEND_PRESENT, true, &err), 0);
    CHECK_INT(attendance_check(list, 1, false, ATTEND_NO_SHOW, false, &err), 0);
    CHECK_INT(attendance_check(list, 1, false, ATTEND_PRESENT, false, &err), -1);
    CHECK_STR(err.message, "attendance of P1 at S3 is already recorded as attended; a recorded "
                           "attendance is not changed");
    reglist_destroy(&list);
}

int main(void)
{
    RUN(twenty_registrations_for_ten_places_fill_the_session_then_the_waitlist_in_order);
    RUN(when_a_registered_participant_cancels_the_first_waitlisted_is_promoted);
    RUN(a_waitlisted_participant_cancelling_promotes_nobody_and_moves_the_queue_up);
    RUN(cancelling_with_an_empty_waitlist_frees_the_place_for_the_next_registration);
    RUN(registering_twice_is_refused);
    RUN(registering_again_after_cancelling_goes_to_the_back);
    RUN(cancelling_an_unknown_participant_is_refused);
    RUN(a_negative_capacity_or_one_above_ten_thousand_is_refused);
    RUN(a_survey_without_a_limit_never_waitlists);
    RUN(raising_the_capacity_promotes_the_waitlist_in_order);
    RUN(lowering_the_capacity_below_those_registered_is_refused);
    RUN(a_stored_list_loads_and_continues_where_it_left_off);
    RUN(a_corrupt_stored_list_is_refused_and_the_list_kept);
    RUN(a_full_session_of_ten_thousand_places);
    RUN(invites_put_first_timers_first_then_fewest_attended_then_id);
    RUN(invites_without_first_timers_first_are_in_id_order);
    RUN(invites_filter_by_municipality_ignoring_case_and_honour_the_limit);
    RUN(an_empty_filter_invites_everyone_with_consent_not_yet_invited);
    RUN(an_erased_participant_is_removed_and_their_place_goes_to_the_waitlist);
    RUN(a_list_after_a_removal_still_loads);
    RUN(attendance_is_recorded_for_registered_and_waitlisted_participants);
    RUN(attendance_of_someone_not_registered_needs_walk_in_and_is_never_a_no_show);
    RUN(recorded_attendance_is_not_changed_but_repeating_it_is_harmless);
    return DONE();
}
