/*  tests/unit/finance/test_hours_rules.c - hours worked against the hours
    planned: ISO weeks, who may be a person, running ahead of the weeks. */
#include "common/i18n.h"
#include "services/finance/hours_rules.h"
#include "tests/unit/test.h"

#define EUR(x) ((int64_t)(x)*100)

/*  The co-coordinator's line: 10 h/week x EUR 80 x 46 weeks. */
static budget_line_t s_cocoordination(void)
{
    budget_line_t l = {0};
    l.kind = BUDGET_HOURS_PER_WEEK;
    l.hours_x100 = 1000;
    l.rate_cents = EUR(80);
    l.weeks_x100 = 4600;
    return l;
}

/*  The 2019 pilot: 4 h/week x EUR 50 x 37.5 weeks in 2019-02-01..2019-10-31. */
static budget_line_t s_pilot(void)
{
    budget_line_t l = {0};
    l.kind = BUDGET_PILOT;
    l.hours_x100 = 400;
    l.rate_cents = EUR(50);
    l.weeks_x100 = 3750;
    l.has_period = true;
    l.period.kind = SM_PERIOD_RANGE;
    l.period.from = (sm_date_t){2019, 2, 1};
    l.period.to = (sm_date_t){2019, 10, 31};
    return l;
}

static int s_week(const char *text, hours_week_t *w)
{
    return hours_week_parse(text, w, "week", NULL);
}

TEST(iso_weeks_belong_to_the_year_of_their_thursday)
{
    hours_week_t w = hours_week_of((sm_date_t){2020, 1, 1});
    CHECK_INT(w.year, 2020);
    CHECK_INT(w.week, 1);
    w = hours_week_of((sm_date_t){2019, 12, 30});
    CHECK_INT(w.year, 2020);
    CHECK_INT(w.week, 1);
    w = hours_week_of((sm_date_t){2021, 1, 3});
    CHECK_INT(w.year, 2020);
    CHECK_INT(w.week, 53);
    w = hours_week_of((sm_date_t){2020, 3, 8});
    CHECK_INT(w.week, 10);
    CHECK_INT(hours_weeks_in_year(2020), 53);
    CHECK_INT(hours_weeks_in_year(2019), 52);
    CHECK_INT(hours_weeks_in_year(2015), 53);
    sm_date_t mon = hours_week_monday((hours_week_t){2020, 5});
    CHECK_INT(mon.y, 2020);
    CHECK_INT(mon.m, 1);
    CHECK_INT(mon.d, 27);
    mon = hours_week_monday((hours_week_t){2020, 1});
    CHECK_INT(mon.y, 2019);
    CHECK_INT(mon.d, 30);
}

TEST(weeks_parse_as_iso_weeks_or_dates_in_them)
{
    hours_week_t w;
    char buf[16];
    CHECK_INT(s_week("2020-W05", &w), 0);
    CHECK_STR(hours_week_format(w, buf), "2020-W05");
    CHECK_INT(hours_week_key(w), 202005);
    CHECK_INT(s_week("2020-w5", &w), 0);
    CHECK_INT(w.week, 5);
    CHECK_INT(s_week("2020-01-29", &w), 0);
    CHECK_STR(hours_week_format(w, buf), "2020-W05");
    CHECK_INT(s_week("29-1-2020", &w), 0);
    CHECK_STR(hours_week_format(w, buf), "2020-W05");
    CHECK_INT(s_week("04-03-2020", &w), 0);
    CHECK_STR(hours_week_format(w, buf), "2020-W10");
    CHECK_INT(s_week("2019-12-30", &w), 0);
    CHECK_STR(hours_week_format(w, buf), "2020-W01");
    CHECK_INT(s_week("2020-W53", &w), 0);
    sm_err_t err = {0};
    CHECK_INT(hours_week_parse("2019-W53", &w, "week", &err), -1);
    CHECK_STR(err.field, "week");
    CHECK(strstr(err.message, "weeks 1 to 52") != NULL);
    CHECK_INT(s_week("2020-W00", &w), -1);
    CHECK_INT(s_week("2020W05", &w), -1);
    CHECK_INT(s_week("2020-W005", &w), -1);
    CHECK_INT(s_week("week 5", &w), -1);
    CHECK_INT(s_week("2020-02-30", &w), -1);
    CHECK_INT(s_week("", &w), -1);
    CHECK_INT(s_week(NULL, &w), -1);
}

TEST(a_person_is_staff_never_a_resident)
{
    sm_err_t err = {0};
    CHECK_INT(hours_person_check("AB", NULL), 0);
    CHECK_INT(hours_person_check("coordinator-anna", NULL), 0);
    CHECK_INT(hours_person_check("J.d.V.", NULL), 0);
    CHECK_INT(hours_person_check("Pieter", NULL), 0);
    CHECK_INT(hours_person_check("P12", &err), -1);
    CHECK_STR(err.field, "person");
    CHECK(strstr(err.message, "resident") != NULL);
    CHECK_INT(hours_person_check("p7", NULL), -1);
    CHECK_INT(hours_person_check("anna@example.org", NULL), -1);
    CHECK_INT(hours_person_check("", NULL), -1);
    CHECK_INT(hours_person_check("  ", NULL), -1);
    CHECK_INT(hours_person_check(NULL, NULL), -1);
    CHECK_INT(hours_person_check("A\x01"
                                 "B",
                                 NULL),
              -1);
    CHECK_INT(hours_person_check("A\nB", NULL), -1);
    CHECK_INT(hours_person_check("\xff", NULL), -1);
    char long_name[80];
    memset(long_name, 'x', 65);
    long_name[65] = '\0';
    CHECK_INT(hours_person_check(long_name, NULL), -1);
    long_name[64] = '\0';
    CHECK_INT(hours_person_check(long_name, NULL), 0);
    /*  64 characters of two bytes each are 64 characters. */
    char wide[160] = "";
    for (int i = 0; i < 64; i++)
        strcat(wide, "\xc3\xa9");
    CHECK_INT(hours_person_check(wide, NULL), 0);
}

TEST(hours_go_on_lines_that_plan_hours_in_their_year)
{
    budget_line_t l = s_cocoordination();
    sm_err_t err = {0};
    CHECK_INT(hours_week_fits(&l, 2020, (hours_week_t){2020, 53}, NULL), 0);
    CHECK_INT(hours_week_fits(&l, 2020, (hours_week_t){2021, 1}, &err), -1);
    CHECK_STR(err.field, "week");
    CHECK(strstr(err.message, "2020-W01 to 2020-W53") != NULL);
    budget_line_t fixed = {.kind = BUDGET_FIXED, .amount_cents = EUR(6000)};
    CHECK_INT(hours_week_fits(&fixed, 2020, (hours_week_t){2020, 5}, &err), -1);
    CHECK_STR(err.field, "line");
    budget_line_t p = s_pilot();
    CHECK_INT(hours_week_fits(&p, 2019, (hours_week_t){2019, 4}, &err), -1);
    CHECK_STR(err.field, "week");
    CHECK_INT(hours_week_fits(&p, 2019, (hours_week_t){2019, 5}, NULL), 0);
    CHECK_INT(hours_week_fits(&p, 2019, (hours_week_t){2019, 44}, NULL), 0);
    CHECK_INT(hours_week_fits(&p, 2019, (hours_week_t){2019, 45}, NULL), -1);
}

TEST(co_coordination_120_hours_by_week_10_runs_ahead_of_its_weeks)
{
    budget_line_t l = s_cocoordination();
    hours_plan_t h;
    CHECK_INT(hours_plan(&l, 2020, 12000, (sm_date_t){2020, 3, 8}, &h, NULL), 0);
    CHECK(h.has_plan);
    CHECK(h.per_week);
    CHECK_INT(h.planned_x100, 46000);
    CHECK_INT(h.weeks_elapsed_x100, 1000);
    CHECK_INT(h.planned_to_date_x100, 10000);
    CHECK_INT(h.worked_cents, EUR(9600));
    CHECK(h.ahead);
    CHECK(!h.exceeded);
    CHECK_STR(h.message, "running ahead of its weeks: 120 hours worked by 8 March 2020, 20 more "
                         "than the 100 hours planned so far (10 h/week x 10 weeks)");
}

TEST(hours_on_plan_are_not_flagged)
{
    budget_line_t l = s_cocoordination();
    hours_plan_t h;
    CHECK_INT(hours_plan(&l, 2020, 10000, (sm_date_t){2020, 3, 8}, &h, NULL), 0);
    CHECK(!h.ahead);
    CHECK_STR(h.message, "");
    /*  Before the year nothing is planned yet; after it, all 46 weeks. */
    CHECK_INT(hours_plan(&l, 2020, 0, (sm_date_t){2019, 12, 1}, &h, NULL), 0);
    CHECK_INT(h.weeks_elapsed_x100, 0);
    CHECK_INT(hours_plan(&l, 2020, 46000, (sm_date_t){2021, 2, 1}, &h, NULL), 0);
    CHECK_INT(h.weeks_elapsed_x100, 4600);
    CHECK_INT(h.planned_to_date_x100, 46000);
    CHECK(!h.ahead);
    CHECK(!h.exceeded);
    CHECK_INT(h.worked_cents, EUR(36800));
}

TEST(the_46_weeks_are_all_planned_by_week_46)
{
    budget_line_t l = s_cocoordination();
    hours_plan_t h;
    /*  2020-12-31 lies in week 53; the plan stops at its 46 weeks. */
    CHECK_INT(hours_plan(&l, 2020, 47000, (sm_date_t){2020, 12, 31}, &h, NULL), 0);
    CHECK_INT(h.weeks_elapsed_x100, 4600);
    CHECK(h.ahead);
    CHECK(h.exceeded);
    CHECK_STR(h.message, "470 hours worked, 10 more than the 460 hours planned in all");
}

TEST(a_pilot_counts_its_weeks_from_its_period)
{
    budget_line_t p = s_pilot();
    CHECK_INT(hours_weeks_elapsed_x100(&p, 2019, (sm_date_t){2019, 1, 31}), 0);
    CHECK_INT(hours_weeks_elapsed_x100(&p, 2019, (sm_date_t){2019, 2, 1}), 100);
    CHECK_INT(hours_weeks_elapsed_x100(&p, 2019, (sm_date_t){2019, 3, 1}), 500);
    /*  Weeks 5 to 44 are 40 weeks; the plan has 37.5. */
    CHECK_INT(hours_weeks_elapsed_x100(&p, 2019, (sm_date_t){2019, 12, 1}), 3750);
    hours_plan_t h;
    CHECK_INT(hours_plan(&p, 2019, 2100, (sm_date_t){2019, 3, 1}, &h, NULL), 0);
    CHECK_INT(h.planned_x100, 15000);
    CHECK_INT(h.planned_to_date_x100, 2000);
    CHECK(h.ahead);
    CHECK_INT(h.worked_cents, EUR(1050));
}

TEST(total_hours_lines_flag_only_passing_the_plan)
{
    budget_line_t l = {.kind = BUDGET_TOTAL_HOURS, .hours_x100 = 8000, .rate_cents = EUR(50)};
    hours_plan_t h;
    CHECK_INT(hours_plan(&l, 2019, 7950, (sm_date_t){2019, 1, 7}, &h, NULL), 0);
    CHECK(h.has_plan);
    CHECK(!h.per_week);
    CHECK_INT(h.planned_x100, 8000);
    CHECK(!h.ahead);
    CHECK(!h.exceeded);
    CHECK_INT(h.worked_cents, 397500);
    CHECK_INT(hours_plan(&l, 2019, 8050, (sm_date_t){2019, 1, 7}, &h, NULL), 0);
    CHECK(h.exceeded);
    CHECK_STR(h.message, "80.5 hours worked, 0.5 more than the 80 hours planned in all");
}

TEST(lines_without_hours_have_no_plan_and_bad_input_is_refused)
{
    budget_line_t fixed = {.kind = BUDGET_FIXED, .amount_cents = EUR(6000)};
    hours_plan_t h;
    CHECK_INT(hours_plan(&fixed, 2019, 0, (sm_date_t){2019, 1, 7}, &h, NULL), 0);
    CHECK(!h.has_plan);
    CHECK_INT(h.planned_x100, 0);
    budget_line_t l = s_cocoordination();
    CHECK_INT(hours_plan(&l, 2020, -1, (sm_date_t){2020, 1, 7}, &h, NULL), -1);
    l.hours_x100 = -5;
    CHECK_INT(hours_plan(&l, 2020, 0, (sm_date_t){2020, 1, 7}, &h, NULL), -1);
}

TEST(the_flag_reads_in_dutch_for_a_dutch_reader)
{
    budget_line_t l = s_cocoordination();
    hours_plan_t h;
    sm_err_t err = {0};
    CHECK_INT(sm_i18n_init("nl", &err), 0);
    CHECK_INT(hours_plan(&l, 2020, 12050, (sm_date_t){2020, 3, 8}, &h, NULL), 0);
    CHECK_STR(h.message, "loopt voor op de weken: 120,5 uur gewerkt tot 8 maart 2020, 20,5 meer "
                         "dan de 100 uur die tot nu toe begroot zijn (10 uur/week x 10 weken)");
    CHECK_INT(sm_i18n_init("en", &err), 0);
}

int main(void)
{
    RUN(iso_weeks_belong_to_the_year_of_their_thursday);
    RUN(weeks_parse_as_iso_weeks_or_dates_in_them);
    RUN(a_person_is_staff_never_a_resident);
    RUN(hours_go_on_lines_that_plan_hours_in_their_year);
    RUN(co_coordination_120_hours_by_week_10_runs_ahead_of_its_weeks);
    RUN(hours_on_plan_are_not_flagged);
    RUN(the_46_weeks_are_all_planned_by_week_46);
    RUN(a_pilot_counts_its_weeks_from_its_period);
    RUN(total_hours_lines_flag_only_passing_the_plan);
    RUN(lines_without_hours_have_no_plan_and_bad_input_is_refused);
    RUN(the_flag_reads_in_dutch_for_a_dutch_reader);
    return DONE();
}
