/*  tests/unit/intake/test_consent.c - whose consent the address file
    needs, by age, and when a consent or a contact is due for review. */
#include "services/intake/consent.h"
#include "services/intake/needs.h"
#include "tests/unit/test.h"

#define D(y, m, d) ((sm_date_t){(y), (m), (d)})
#define NONE D(0, 0, 0)

static deadline_period_t s_period(const char *text)
{
    deadline_period_t p = {0, 'd'};
    deadline_period_parse(text, "review_period", &p, NULL);
    return p;
}

TEST(a_young_person_up_to_sixteen_this_year_needs_a_guardian_too)
{
    //  Born in 2004: turns 16 in 2020 and may still be 15, so asked.
    CHECK_INT(consent_asked(2004, 2020), CONSENT_ASK_GUARDIAN_TOO);
    CHECK_INT(consent_asked(2010, 2020), CONSENT_ASK_GUARDIAN_TOO);
    CHECK_INT(consent_asked(2003, 2020), CONSENT_ASK_OWN);
    CHECK_INT(consent_asked(1984, 2020), CONSENT_ASK_OWN);
    CHECK_INT(consent_asked(0, 2020), CONSENT_ASK_OWN);
    CHECK_INT(consent_asked(2021, 2020), CONSENT_ASK_OWN); //  not born yet: not known
    CHECK_STR(consent_asked_name(consent_asked(2006, 2020)), "own_and_guardian");
    CHECK_STR(consent_asked_name(consent_asked(1990, 2020)), "own");
}

TEST(registering_a_minor_without_a_guardians_consent_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(consent_check(2006, false, false, NONE, 2020, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "guardian");
    CHECK_STR(err.message,
              "a participant born in 2006 counts as under 16 in 2020, so a parent's or guardian's "
              "consent is needed besides their own: give guardian (who consented) and "
              "guardian_consent_given (the day; samenctl: --guardian NAME "
              "--guardian-consent-given DATE)");
    //  A name without a day is not enough either (the service fills in today).
    CHECK_INT(consent_check(2006, false, true, NONE, 2020, &err), -1);
    CHECK_INT(consent_check(2006, false, true, D(2020, 3, 1), 2020, &err), 0);
    //  Withdrawn: nothing is asked any more.
    CHECK_INT(consent_check(2006, true, false, NONE, 2020, &err), 0);
}

TEST(an_adult_may_have_a_guardians_consent_recorded_but_needs_none)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(consent_check(1990, false, false, NONE, 2020, &err), 0);
    CHECK_INT(consent_check(1990, false, true, D(2019, 1, 1), 2020, &err), 0);
    //  A day without the name of who consented is refused.
    CHECK_INT(consent_check(1990, false, false, D(2019, 1, 1), 2020, &err), -1);
    CHECK_STR(err.field, "guardian");
}

TEST(a_youth_without_a_birth_year_is_registered_and_reviewed)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(consent_check(0, false, false, NONE, 2020, &err), 0);
    consent_facts_t f = {0, true, D(2020, 1, 6), false, NONE, D(2020, 1, 6)};
    CHECK_INT(consent_review(&f, D(2020, 9, 1), s_period("2y")), REVIEW_AGE_UNKNOWN);
    f.youth = false;
    CHECK_INT(consent_review(&f, D(2020, 9, 1), s_period("2y")), 0);
    CHECK_STR(consent_review_name(4), "age_unknown");
}

TEST(consents_and_contacts_older_than_two_years_are_reviewed)
{
    deadline_period_t two = s_period("2y");
    consent_facts_t f = {1980, false, D(2018, 9, 1), false, NONE, D(2018, 9, 1)};
    //  Exactly two years is not older than two years.
    CHECK_INT(consent_review(&f, D(2020, 9, 1), two), 0);
    CHECK_INT(consent_review(&f, D(2020, 9, 2), two), REVIEW_CONSENT_OLD | REVIEW_NO_CONTACT);
    //  Attending in 2019 was contact; the consent is still old.
    f.last_contact = D(2019, 11, 20);
    CHECK_INT(consent_review(&f, D(2020, 9, 2), two), REVIEW_CONSENT_OLD);
    //  A consent whose day is not known is reviewed; so is no known contact.
    consent_facts_t unknown = {0, false, NONE, false, NONE, NONE};
    CHECK_INT(consent_review(&unknown, D(2020, 9, 2), two),
              REVIEW_CONSENT_OLD | REVIEW_NO_CONTACT);
    //  A shorter period, given for one review.
    f = (consent_facts_t){1980, false, D(2019, 6, 1), false, NONE, D(2019, 6, 1)};
    CHECK_INT(consent_review(&f, D(2020, 9, 2), s_period("18m")), 0);
    CHECK_INT(consent_review(&f, D(2020, 12, 2), s_period("18m")),
              REVIEW_CONSENT_OLD | REVIEW_NO_CONTACT);
}

TEST(a_guardians_consent_is_reviewed_while_it_is_still_needed)
{
    deadline_period_t two = s_period("2y");
    consent_facts_t f = {2008, true, D(2020, 1, 10), true, D(2018, 1, 10), D(2020, 1, 10)};
    CHECK_INT(consent_review(&f, D(2020, 9, 1), two), REVIEW_GUARDIAN_OLD);
    //  Stored before the rule: needed and missing.
    f.has_guardian = false;
    f.guardian_given = NONE;
    CHECK_INT(consent_review(&f, D(2020, 9, 1), two), REVIEW_GUARDIAN_MISSING);
    //  Once 17 it is no longer needed.
    f.birth_year = 2003;
    CHECK_INT(consent_review(&f, D(2020, 9, 1), two), 0);
    CHECK_STR(consent_review_name(3), "no_contact");
    CHECK(consent_review_name(5) == NULL);
}

TEST(the_later_contact_counts)
{
    sm_date_t a = D(2019, 11, 20), b = D(2020, 2, 5);
    CHECK_INT(sm_date_cmp(consent_later(a, b), b), 0);
    CHECK_INT(sm_date_cmp(consent_later(b, a), b), 0);
    CHECK_INT(sm_date_cmp(consent_later(NONE, a), a), 0);
    CHECK_INT(sm_date_cmp(consent_later(a, NONE), a), 0);
}

TEST(needs_are_counted_per_need_for_places_and_the_waitlist)
{
    needs_counts_t c = {0};
    needs_count(&c, PARTICIPANT_NEED_TRANSPORT | PARTICIPANT_NEED_WHEELCHAIR, false);
    needs_count(&c, PARTICIPANT_NEED_TRANSPORT, false);
    needs_count(&c, 0, false);
    needs_count(&c, PARTICIPANT_NEED_INTERPRETER, true);
    needs_count(&c, 1u << 20, false); //  not a need: ignored
    CHECK_INT(c.registered[0], 2);    //  transport
    CHECK_INT(c.registered[3], 1);    //  wheelchair
    CHECK_INT(c.registered[1], 0);
    CHECK_INT(c.waitlisted[1], 1);    //  interpreter
    CHECK_INT(c.people_registered, 2);
    CHECK_INT(c.people_waitlisted, 1);
}

int main(void)
{
    RUN(a_young_person_up_to_sixteen_this_year_needs_a_guardian_too);
    RUN(registering_a_minor_without_a_guardians_consent_is_refused);
    RUN(an_adult_may_have_a_guardians_consent_recorded_but_needs_none);
    RUN(a_youth_without_a_birth_year_is_registered_and_reviewed);
    RUN(consents_and_contacts_older_than_two_years_are_reviewed);
    RUN(a_guardians_consent_is_reviewed_while_it_is_still_needed);
    RUN(the_later_contact_counts);
    RUN(needs_are_counted_per_need_for_places_and_the_waitlist);
    return DONE();
}
