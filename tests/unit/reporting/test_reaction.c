/*  tests/unit/reporting/test_reaction.c - when a resident's reaction to a
    report may be recorded. */
#include "services/reporting/reaction.h"
#include "tests/unit/test.h"

#define D(y, m, d) ((sm_date_t){(y), (m), (d)})

TEST(a_reaction_to_a_published_report_is_recorded)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reaction_check(9, true, D(2020, 2, 1), D(2020, 2, 1), D(2020, 9, 1), 0, &err), 0);
    CHECK_INT(reaction_check(9, true, D(2020, 2, 1), D(2020, 9, 1), D(2020, 9, 1), 12, &err), 0);
}

TEST(a_draft_cannot_be_reacted_to)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reaction_check(9, false, D(0, 0, 0), D(2020, 2, 1), D(2020, 9, 1), 0, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "report");
    CHECK_STR(err.message, "report R9 has not been published; residents react to a published "
                           "report (report publish first)");
}

TEST(the_day_lies_between_publishing_and_today)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reaction_check(9, true, D(2020, 2, 1), D(2020, 9, 2), D(2020, 9, 1), 0, &err), -1);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "the reaction's date 2020-09-02 is after today (2020-09-01); give the "
                           "day it came in");
    CHECK_INT(reaction_check(9, true, D(2020, 2, 1), D(2020, 1, 31), D(2020, 9, 1), 0, &err), -1);
    CHECK_STR(err.message, "the reaction's date 2020-01-31 is before report R9 was published "
                           "(2020-02-01); give the day it came in");
}

TEST(a_report_holds_a_bounded_number_of_reactions)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(reaction_check(9, true, D(2020, 2, 1), D(2020, 3, 1), D(2020, 9, 1),
                             REACTIONS_PER_REPORT_MAX, &err),
              -1);
    CHECK_STR(err.code, SM_E_RESOURCE_EXHAUSTED);
}

int main(void)
{
    RUN(a_reaction_to_a_published_report_is_recorded);
    RUN(a_draft_cannot_be_reacted_to);
    RUN(the_day_lies_between_publishing_and_today);
    RUN(a_report_holds_a_bounded_number_of_reactions);
    return DONE();
}
