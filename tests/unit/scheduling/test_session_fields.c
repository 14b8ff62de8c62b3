/*  tests/unit/scheduling/test_session_fields.c - location kinds, support
    tasks, target groups, and series known only by a period. */
#include "services/scheduling/session_fields.h"
#include "services/scheduling/session_rules.h"
#include "tests/unit/test.h"

TEST(location_kinds_parse_in_english_and_dutch)
{
    location_kind_t k = LOCATION_NONE;
    sm_err_t err;
    CHECK_INT(location_kind_parse("on-site", &k, "location_kind", &err), 0);
    CHECK_INT(k, LOCATION_ON_SITE);
    CHECK_INT(location_kind_parse("Online", &k, "location_kind", &err), 0);
    CHECK_INT(k, LOCATION_ONLINE);
    CHECK_INT(location_kind_parse("adres", &k, "location_kind", &err), 0);
    CHECK_INT(k, LOCATION_ADDRESS);
    CHECK_STR(location_kind_name(LOCATION_ON_SITE), "on_site");
    CHECK_STR(location_kind_name(LOCATION_NONE), "");
}

TEST(an_unknown_location_kind_or_an_empty_one_is_refused)
{
    location_kind_t k = LOCATION_ONLINE;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(location_kind_parse("moon", &k, "location_kind", &err), -1);
    CHECK_STR(err.field, "location_kind");
    CHECK_STR(err.message,
              "location_kind \"moon\" is not a kind of location; use address, online or on_site");
    CHECK_INT(location_kind_parse("", &k, "location_kind", &err), -1);
    CHECK_INT(k, LOCATION_ONLINE);
}

TEST(support_tasks_become_a_bit_set)
{
    char items[3][32] = {"recruitment", "Verslaglegging", "hand-over"};
    uint32_t mask = 0;
    sm_err_t err;
    CHECK_INT(support_tasks_parse(&items[0][0], 32, 3, &mask, "support_tasks", &err), 0);
    CHECK_INT(mask, (1u << TASK_RECRUITMENT) | (1u << TASK_MINUTES) | (1u << TASK_HANDOVER));
    CHECK_STR(support_task_name(TASK_FEEDBACK), "feedback");
}

TEST(an_unknown_support_task_is_refused_and_the_mask_kept)
{
    char items[2][32] = {"minutes", "catering"};
    uint32_t mask = 7;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(support_tasks_parse(&items[0][0], 32, 2, &mask, "support_tasks", &err), -1);
    CHECK_INT(mask, 7);
    CHECK_STR(err.field, "support_tasks");
}

TEST(target_groups_are_trimmed_lowered_and_deduplicated)
{
    char items[4][32] = {"  Foster Parents ", "youth", "foster parents", "YOUTH"};
    for (int i = 0; i < 4; i++)
        target_group_normalise(items[i]);
    CHECK_STR(items[0], "foster parents");
    CHECK_INT(text_list_dedupe(&items[0][0], 32, 4), 2);
    CHECK_STR(items[0], "foster parents");
    CHECK_STR(items[1], "youth");
}

static sm_period_t s_period(const char *text)
{
    sm_period_t p;
    memset(&p, 0, sizeof p);
    sm_period_parse(text, &p, "period", NULL);
    return p;
}

static const char *s_fmt(const sm_period_t *p, char *buf)
{
    return sm_period_format(p, buf);
}

TEST(a_cafe_three_times_a_year_known_by_month_stays_in_months)
{
    sm_period_t first = s_period("2020-03"), out[4];
    series_spec_t spec;
    sm_err_t err;
    char buf[32];
    CHECK_INT(series_spec_per_year(3, 4, &spec, &err), 0);
    CHECK_INT(session_series_periods(&first, &spec, out, 4, &err), 4);
    CHECK_STR(s_fmt(&out[0], buf), "2020-03");
    CHECK_STR(s_fmt(&out[1], buf), "2020-07");
    CHECK_STR(s_fmt(&out[2], buf), "2020-11");
    CHECK_STR(s_fmt(&out[3], buf), "2021-03");
}

TEST(a_quarterly_series_stays_in_quarters_and_a_four_monthly_one_becomes_ranges)
{
    sm_period_t first = s_period("2020-Q1"), out[3];
    series_spec_t quarterly = {3, 3, 0, SERIES_SAME_WEEKDAY}, four = {2, 4, 0, SERIES_SAME_WEEKDAY};
    sm_err_t err;
    char buf[32];
    CHECK_INT(session_series_periods(&first, &quarterly, out, 3, &err), 3);
    CHECK_STR(s_fmt(&out[2], buf), "2020-Q3");
    CHECK_INT(session_series_periods(&first, &four, out, 3, &err), 2);
    CHECK_STR(s_fmt(&out[1], buf), "2020-05-01..2020-07-31");
}

TEST(a_range_ending_on_a_month_end_keeps_ending_on_month_ends)
{
    sm_period_t first = s_period("2019-09-01..2019-11-30"), out[2];
    series_spec_t spec = {2, 3, 0, SERIES_SAME_WEEKDAY};
    sm_err_t err;
    char buf[32];
    CHECK_INT(session_series_periods(&first, &spec, out, 2, &err), 2);
    CHECK_STR(s_fmt(&out[1], buf), "2019-12-01..2020-02-29");
}

TEST(a_series_known_by_its_first_day_keeps_the_weekday_or_the_date)
{
    //  A day without a time: the second Wednesday of February 2019.
    sm_period_t first = s_period("2019-02-13"), out[3];
    series_spec_t spec;
    sm_err_t err;
    char buf[32];
    CHECK_INT(series_spec_per_year(3, 3, &spec, &err), 0);
    CHECK_INT(session_series_periods(&first, &spec, out, 3, &err), 3);
    CHECK_STR(s_fmt(&out[1], buf), "2019-06-12");
    CHECK_STR(s_fmt(&out[2], buf), "2019-10-09");
    spec.day = SERIES_SAME_DATE;
    CHECK_INT(session_series_periods(&first, &spec, out, 3, &err), 3);
    CHECK_STR(s_fmt(&out[1], buf), "2019-06-13");
    CHECK_STR(s_fmt(&out[2], buf), "2019-10-13");
}

TEST(a_weekly_series_known_only_by_a_period_is_refused)
{
    sm_period_t first = s_period("2020-03"), out[2];
    series_spec_t spec = {2, 0, 2, SERIES_SAME_WEEKDAY};
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(session_series_periods(&first, &spec, out, 2, &err), -1);
    CHECK_STR(err.field, "every_weeks");
    series_spec_t bad = {0, 1, 0, SERIES_SAME_WEEKDAY};
    CHECK_INT(session_series_periods(&first, &bad, out, 2, &err), -1);
    CHECK_STR(err.field, "count");
}

int main(void)
{
    RUN(location_kinds_parse_in_english_and_dutch);
    RUN(an_unknown_location_kind_or_an_empty_one_is_refused);
    RUN(support_tasks_become_a_bit_set);
    RUN(an_unknown_support_task_is_refused_and_the_mask_kept);
    RUN(target_groups_are_trimmed_lowered_and_deduplicated);
    RUN(a_cafe_three_times_a_year_known_by_month_stays_in_months);
    RUN(a_series_known_by_its_first_day_keeps_the_weekday_or_the_date);
    RUN(a_quarterly_series_stays_in_quarters_and_a_four_monthly_one_becomes_ranges);
    RUN(a_range_ending_on_a_month_end_keeps_ending_on_month_ends);
    RUN(a_weekly_series_known_only_by_a_period_is_refused);
    return DONE();
}
