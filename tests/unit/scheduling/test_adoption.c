/*  tests/unit/scheduling/test_adoption.c - the portfolio holders' adoption
    of a year's agenda: when it may be recorded. */
#include "services/scheduling/adoption.h"
#include "tests/unit/test.h"
#include <stdio.h>

static adoption_t s_adoption(const char *body, sm_date_t on, const char *decision)
{
    adoption_t a = {0};
    snprintf(a.body, sizeof a.body, "%s", body);
    snprintf(a.decision, sizeof a.decision, "%s", decision);
    a.adopted_on = on;
    return a;
}

TEST(the_2020_agenda_adopted_in_the_autumn_before_and_amended_in_spring)
{
    sm_err_t err;
    sm_err_clear(&err);
    adoption_t list[2];
    list[0] = s_adoption("Portefeuillehoudersoverleg Sociaal Domein", (sm_date_t){2019, 10, 3},
                         "PHO 2019-10-03/4");
    CHECK_INT(adoption_check(&list[0], 2020, list, 0, (sm_date_t){2020, 9, 1}, &err), 0);
    list[1] = s_adoption("Portefeuillehoudersoverleg Sociaal Domein", (sm_date_t){2020, 3, 12},
                         "PHO 2020-03-12/2");
    CHECK_INT(adoption_check(&list[1], 2020, list, 1, (sm_date_t){2020, 9, 1}, &err), 0);
}

TEST(the_same_adoption_twice_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    adoption_t first = s_adoption("PHO", (sm_date_t){2019, 10, 3}, "PHO 2019-10-03/4");
    adoption_t again = first;
    CHECK_INT(adoption_check(&again, 2020, &first, 1, (sm_date_t){2020, 9, 1}, &err), -1);
    CHECK_STR(err.code, SM_E_ALREADY_EXISTS);
    CHECK_STR(err.field, "decision");
    CHECK_STR(err.message, "this adoption of the 2020 agenda (the same body, date and decision) "
                           "is already recorded");
    //  Another decision on the same day is another adoption.
    snprintf(again.decision, sizeof again.decision, "PHO 2019-10-03/5");
    CHECK_INT(adoption_check(&again, 2020, &first, 1, (sm_date_t){2020, 9, 1}, &err), 0);
}

TEST(a_date_in_the_future_or_in_another_year_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    adoption_t a = s_adoption("PHO", (sm_date_t){2020, 9, 2}, "x");
    CHECK_INT(adoption_check(&a, 2020, NULL, 0, (sm_date_t){2020, 9, 1}, &err), -1);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "the adoption date 2020-09-02 is after today (2020-09-01); give the day "
                           "the agenda was adopted");
    a.adopted_on = (sm_date_t){2018, 12, 31};
    CHECK_INT(adoption_check(&a, 2020, NULL, 0, (sm_date_t){2020, 9, 1}, &err), -1);
    CHECK_STR(err.message, "the adoption date 2018-12-31 is not in 2019 or 2020; an agenda for "
                           "2020 is adopted the year before or during it (check the year)");
    a.adopted_on = (sm_date_t){2021, 1, 4};
    CHECK_INT(adoption_check(&a, 2020, NULL, 0, (sm_date_t){2021, 2, 1}, &err), -1);
    CHECK_STR(err.field, "date");
}

TEST(no_more_than_the_maximum_number_of_adoptions)
{
    sm_err_t err;
    sm_err_clear(&err);
    static adoption_t list[ADOPTIONS_MAX];
    for (int i = 0; i < ADOPTIONS_MAX; i++) {
        list[i] = s_adoption("PHO", (sm_date_t){2020, 1, 1}, "x");
        snprintf(list[i].decision, sizeof list[i].decision, "%d", i);
    }
    adoption_t a = s_adoption("PHO", (sm_date_t){2020, 2, 1}, "new");
    CHECK_INT(adoption_check(&a, 2020, list, ADOPTIONS_MAX, (sm_date_t){2020, 9, 1}, &err), -1);
    CHECK_STR(err.code, SM_E_RESOURCE_EXHAUSTED);
}

int main(void)
{
    RUN(the_2020_agenda_adopted_in_the_autumn_before_and_amended_in_spring);
    RUN(the_same_adoption_twice_is_refused);
    RUN(a_date_in_the_future_or_in_another_year_is_refused);
    RUN(no_more_than_the_maximum_number_of_adoptions);
    return DONE();
}
