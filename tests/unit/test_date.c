/*  tests/unit/test_date.c - civil dates, Amsterdam time and periods. */
#include "common/date.h"
#include "test.h"
#include <stdlib.h>

static sm_date_t D(int y, int m, int d)
{
    sm_date_t r = {y, m, d};
    return r;
}

static const char *fmt(sm_date_t d)
{
    static char buf[11];
    return sm_date_format(d, buf);
}

/*  Milliseconds of a UTC wall-clock time, computed from our own day count
    (itself checked against fixed values below). */
static int64_t utc_ms(int y, int m, int d, int h, int mi, int s)
{
    return ((sm_date_to_days(D(y, m, d)) * 86400) + h * 3600 + mi * 60 + s) * INT64_C(1000);
}

/* ==== Civil dates ========================================================= */

TEST(day_numbers_match_fixed_points)
{
    CHECK_INT(sm_date_to_days(D(1970, 1, 1)), 0);
    CHECK_INT(sm_date_to_days(D(1969, 12, 31)), -1);
    CHECK_INT(sm_date_to_days(D(2000, 2, 29)), 11016);
    CHECK_INT(sm_date_to_days(D(1900, 3, 1)), -25508);
    CHECK_INT(sm_date_to_days(D(2020, 3, 29)), 18350);
    CHECK_INT(sm_date_to_days(D(2026, 11, 23)), 20780);
    CHECK_INT(sm_date_to_days(D(1, 1, 1)), -719162);
    CHECK_INT(sm_date_to_days(D(9999, 12, 31)), 2932896);
}

TEST(day_numbers_round_trip_over_the_whole_range)
{
    /*  Every day from 0001-01-01 to 9999-12-31 maps back to itself, and
        consecutive days are consecutive dates. */
    sm_date_t prev = sm_date_from_days(-719162);
    CHECK_STR(fmt(prev), "0001-01-01");
    int bad = 0;
    for (int64_t n = -719161; n <= 2932896 && bad < 5; n++) {
        sm_date_t d = sm_date_from_days(n);
        bool next = (d.y == prev.y && d.m == prev.m && d.d == prev.d + 1) ||
                    (d.y == prev.y && d.m == prev.m + 1 && d.d == 1 &&
                     prev.d == sm_days_in_month(prev.y, prev.m)) ||
                    (d.y == prev.y + 1 && d.m == 1 && d.d == 1 && prev.m == 12 && prev.d == 31);
        if (!next || sm_date_to_days(d) != n || !sm_date_valid(d.y, d.m, d.d)) {
            printf("  day %" PRId64 " -> %s\n", n, fmt(d));
            bad++;
        }
        prev = d;
    }
    CHECK_INT(bad, 0);
    CHECK_STR(fmt(prev), "9999-12-31");
}

TEST(days_beyond_the_range_saturate)
{
    CHECK_STR(fmt(sm_date_from_days(-719163)), "0001-01-01");
    CHECK_STR(fmt(sm_date_from_days(INT64_MIN)), "0001-01-01");
    CHECK_STR(fmt(sm_date_from_days(2932897)), "9999-12-31");
    CHECK_STR(fmt(sm_date_from_days(INT64_MAX)), "9999-12-31");
    CHECK_STR(fmt(sm_date_add_days(D(2020, 1, 1), INT64_MAX)), "9999-12-31");
    CHECK_STR(fmt(sm_date_add_days(D(2020, 1, 1), INT64_MIN)), "0001-01-01");
}

TEST(leap_years_follow_the_gregorian_rule)
{
    CHECK(sm_date_valid(2020, 2, 29));
    CHECK(!sm_date_valid(2019, 2, 29));
    CHECK(!sm_date_valid(1900, 2, 29)); /*  divisible by 100 */
    CHECK(sm_date_valid(2000, 2, 29));  /*  divisible by 400 */
    CHECK(!sm_date_valid(2100, 2, 29));
    CHECK_INT(sm_days_in_month(2020, 2), 29);
    CHECK_INT(sm_days_in_month(2019, 2), 28);
    CHECK_INT(sm_days_in_month(1900, 2), 28);
    CHECK_INT(sm_days_in_month(2000, 2), 29);
    CHECK_INT(sm_days_in_month(2019, 4), 30);
    CHECK_INT(sm_days_in_month(2019, 12), 31);
    CHECK_INT(sm_days_in_month(2019, 0), 0);
    CHECK_INT(sm_days_in_month(2019, 13), 0);
}

TEST(valid_dates_lie_in_years_1_to_9999)
{
    CHECK(sm_date_valid(1, 1, 1));
    CHECK(sm_date_valid(9999, 12, 31));
    CHECK(!sm_date_valid(0, 12, 31));
    CHECK(!sm_date_valid(10000, 1, 1));
    CHECK(!sm_date_valid(2020, 1, 0));
    CHECK(!sm_date_valid(2020, 1, 32));
    CHECK(!sm_date_valid(2020, 4, 31));
    CHECK(!sm_date_valid(2020, 0, 1));
}

TEST(adding_days_crosses_months_and_years)
{
    CHECK_STR(fmt(sm_date_add_days(D(2019, 12, 31), 42)), "2020-02-11"); /*  6 weeks */
    CHECK_STR(fmt(sm_date_add_days(D(2020, 2, 28), 1)), "2020-02-29");
    CHECK_STR(fmt(sm_date_add_days(D(2019, 2, 28), 1)), "2019-03-01");
    CHECK_STR(fmt(sm_date_add_days(D(2020, 3, 1), -1)), "2020-02-29");
    CHECK_STR(fmt(sm_date_add_days(D(2020, 1, 1), 366)), "2021-01-01");
    CHECK_STR(fmt(sm_date_add_days(D(2020, 6, 15), 0)), "2020-06-15");
}

TEST(adding_months_clamps_the_day_to_the_month_end)
{
    CHECK_STR(fmt(sm_date_add_months(D(2020, 1, 31), 1)), "2020-02-29");
    CHECK_STR(fmt(sm_date_add_months(D(2019, 1, 31), 1)), "2019-02-28");
    CHECK_STR(fmt(sm_date_add_months(D(2020, 3, 31), 1)), "2020-04-30");
    CHECK_STR(fmt(sm_date_add_months(D(2020, 1, 15), 1)), "2020-02-15");
    CHECK_STR(fmt(sm_date_add_months(D(2019, 11, 30), 3)), "2020-02-29");
    CHECK_STR(fmt(sm_date_add_months(D(2020, 3, 31), -1)), "2020-02-29");
    CHECK_STR(fmt(sm_date_add_months(D(2020, 1, 10), -1)), "2019-12-10");
    CHECK_STR(fmt(sm_date_add_months(D(2020, 1, 10), -13)), "2018-12-10");
    CHECK_STR(fmt(sm_date_add_months(D(2020, 2, 29), 12)), "2021-02-28");
    CHECK_STR(fmt(sm_date_add_months(D(2020, 5, 5), 0)), "2020-05-05");
    CHECK_STR(fmt(sm_date_add_months(D(9999, 12, 1), 1)), "9999-12-01");
    CHECK_STR(fmt(sm_date_add_months(D(1, 1, 1), -1)), "0001-01-01");
}

TEST(the_nth_weekday_of_a_month)
{
    /*  The first Tuesday of March 2020; the third Wednesday of May 2020. */
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 3, 2, 1)), "2020-03-03");
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 5, 3, 3)), "2020-05-20");
    /*  The last Wednesday of October 2019 is its fifth; of February 2020 its fourth. */
    CHECK_STR(fmt(sm_date_nth_weekday(2019, 10, 3, -1)), "2019-10-30");
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 2, 3, -1)), "2020-02-26");
    /*  A fifth the month does not have is its last. */
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 2, 3, 5)), "2020-02-26");
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 1, 3, 5)), "2020-01-29");
    /*  A month starting on the weekday asked for; Sunday as 7. */
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 6, 1, 1)), "2020-06-01");
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 3, 7, 1)), "2020-03-01");
    CHECK_STR(fmt(sm_date_nth_weekday(2020, 3, 7, -1)), "2020-03-29");
    /*  Month 13 is January of the next year; the year 9999 saturates. */
    CHECK_STR(fmt(sm_date_nth_weekday(2019, 13, 3, 2)), "2020-01-08");
    CHECK_STR(fmt(sm_date_nth_weekday(12000, 12, 5, -1)), "9999-12-31");
    CHECK_INT(sm_date_weekday_ordinal(D(2020, 1, 15)), 3);
    CHECK_INT(sm_date_weekday_ordinal(D(2020, 1, 7)), 1);
    CHECK_INT(sm_date_weekday_ordinal(D(2020, 1, 28)), 4);
    CHECK_INT(sm_date_weekday_ordinal(D(2020, 1, 29)), -1);
    CHECK_INT(sm_date_weekday_ordinal(D(2019, 10, 30)), -1);
}

TEST(diff_and_compare_order_dates)
{
    CHECK_INT(sm_date_diff(D(2019, 12, 31), D(2020, 2, 11)), 42);
    CHECK_INT(sm_date_diff(D(2020, 2, 11), D(2019, 12, 31)), -42);
    CHECK_INT(sm_date_diff(D(2020, 1, 1), D(2021, 1, 1)), 366);
    CHECK_INT(sm_date_diff(D(2019, 1, 1), D(2020, 1, 1)), 365);
    CHECK(sm_date_cmp(D(2020, 1, 1), D(2020, 1, 2)) < 0);
    CHECK(sm_date_cmp(D(2020, 2, 1), D(2020, 1, 31)) > 0);
    CHECK(sm_date_cmp(D(2019, 12, 31), D(2020, 1, 1)) < 0);
    CHECK_INT(sm_date_cmp(D(2020, 3, 12), D(2020, 3, 12)), 0);
}

TEST(weekday_is_iso_monday_1_to_sunday_7)
{
    CHECK_INT(sm_date_weekday(D(2026, 11, 23)), 1); /*  Monday */
    CHECK_INT(sm_date_weekday(D(1970, 1, 1)), 4);   /*  Thursday */
    CHECK_INT(sm_date_weekday(D(1969, 12, 28)), 7); /*  Sunday, before the epoch */
    CHECK_INT(sm_date_weekday(D(2020, 3, 29)), 7);
    CHECK_INT(sm_date_weekday(D(2000, 2, 29)), 2);
    CHECK_INT(sm_date_weekday(D(1, 1, 1)), 1);
    CHECK_INT(sm_date_weekday(D(9999, 12, 31)), 5);
}

/* ==== Parsing and formatting dates ======================================== */

TEST(date_parse_accepts_exactly_yyyy_mm_dd)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_date_t d = {0, 0, 0};
    CHECK_INT(sm_date_parse("2020-02-29", &d, "start", &err), 0);
    CHECK_INT(d.y, 2020);
    CHECK_INT(d.m, 2);
    CHECK_INT(d.d, 29);
    CHECK(!sm_err_is_set(&err));
    CHECK_INT(sm_date_parse("0001-01-01", &d, "start", &err), 0);
    CHECK_INT(sm_date_parse("9999-12-31", &d, "start", &err), 0);
    CHECK_STR(fmt(d), "9999-12-31");
}

/*  What every refusal of a day that does not exist ends in. */
#define FORMS "; give a date as DD-MM-YYYY or YYYY-MM-DD, e.g. 12-03-2020 or 2020-03-12"

/*  Parse text expecting a refusal with exactly message. */
static void check_date_refused(const char *text, const char *message)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_date_t d = {7, 7, 7};
    CHECK_INT(sm_date_parse(text, &d, "start", &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "start");
    CHECK_STR(err.message, message);
    CHECK(d.y == 7 && d.m == 7 && d.d == 7); /*  untouched */
}

TEST(date_parse_refusals_name_the_field_and_say_what_is_accepted)
{
    check_date_refused("2020-02-30", "date \"2020-02-30\" (field \"start\"): February 2020 has "
                                     "29 days" FORMS);
    check_date_refused("2019-02-29", "date \"2019-02-29\" (field \"start\"): February 2019 has "
                                     "28 days" FORMS);
    check_date_refused("30-2-2020", "date \"30-2-2020\" (field \"start\"): February 2020 has "
                                    "29 days" FORMS);
    check_date_refused("1900-02-29", "date \"1900-02-29\" (field \"start\"): February 1900 has "
                                     "28 days" FORMS);
    check_date_refused("2020-04-31", "date \"2020-04-31\" (field \"start\"): April 2020 has 30 "
                                     "days" FORMS);
    check_date_refused("2020-13-01", "date \"2020-13-01\" (field \"start\"): month 13 does not "
                                     "exist; give 01..12");
    check_date_refused("2020-00-10", "date \"2020-00-10\" (field \"start\"): month 00 does not "
                                     "exist; give 01..12");
    check_date_refused("2020-01-00", "date \"2020-01-00\" (field \"start\"): day 00 does not "
                                     "exist; give 01..31");
    check_date_refused("0000-01-01", "date \"0000-01-01\" (field \"start\"): year 0000 does not "
                                     "exist; give 0001..9999");
    const char *shape = "not a date; give a date as DD-MM-YYYY or YYYY-MM-DD, e.g. 12-03-2020 or "
                        "2020-03-12";
    const char *bad[] = {"2020-3-12",   "20-03-12",   "2020/03/12", "2020-03-12 ",
                         " 2020-03-12", "2020-03-1x", "12-03-20",   "2020-03-12T10:00",
                         "+020-03-12",  "2020-03--1", "20200312",   "2020-03-1",
                         "123-03-2020", "12-03-2020 ", "1-1-20201"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char expected[300];
        snprintf(expected, sizeof expected, "date \"%s\" (field \"start\"): %s", bad[i], shape);
        check_date_refused(bad[i], expected);
    }
    check_date_refused("", "date (field \"start\") is empty; give a date as DD-MM-YYYY or "
                           "YYYY-MM-DD, e.g. 12-03-2020 or 2020-03-12");
    check_date_refused(NULL, "date (field \"start\") is empty; give a date as DD-MM-YYYY or "
                             "YYYY-MM-DD, e.g. 12-03-2020 or 2020-03-12");
}

TEST(date_refusal_quotes_hostile_input_safely)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_date_t d;
    CHECK_INT(sm_date_parse("2020\n03\x01"
                            "12",
                            &d, "start", &err),
              -1);
    CHECK_STR(err.message, "date \"2020?03?12\" (field \"start\"): not a date; give a date as "
                           "DD-MM-YYYY or YYYY-MM-DD, e.g. 12-03-2020 or 2020-03-12");
    char longtext[400];
    memset(longtext, '9', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    CHECK_INT(sm_date_parse(longtext, &d, "start", &err), -1);
    CHECK(strlen(err.message) < 250);
    CHECK(strstr(err.message, "...\" (field \"start\")") != NULL);
}

TEST(date_refusal_without_field_leaves_it_out)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_date_t d;
    CHECK_INT(sm_date_parse("2020-02-30", &d, NULL, &err), -1);
    CHECK_STR(err.message, "date \"2020-02-30\": February 2020 has 29 days" FORMS);
    CHECK_STR(err.field, "");
    /*  and a NULL err is allowed when the caller does not care */
    CHECK_INT(sm_date_parse("2020-02-30", &d, "start", NULL), -1);
}

TEST(date_format_pads_with_zeros)
{
    char buf[11];
    CHECK_STR(sm_date_format(D(2020, 3, 2), buf), "2020-03-02");
    CHECK_STR(sm_date_format(D(1, 1, 1), buf), "0001-01-01");
    CHECK_STR(sm_date_format(D(9999, 12, 31), buf), "9999-12-31");
}

/* ==== Today =============================================================== */

TEST(today_honours_samen_today)
{
    setenv("SAMEN_TODAY", "2020-03-12", 1);
    CHECK_STR(fmt(sm_date_today()), "2020-03-12");
    CHECK_INT(sm_date_today_check(NULL), 0);

    /*  A mistyped value is ignored by sm_date_today and reported by the
        start-up check. */
    setenv("SAMEN_TODAY", "2020-02-30", 1);
    sm_date_t real = sm_date_of_ms(sm_now_ms());
    sm_date_t today = sm_date_today();
    CHECK(sm_date_diff(real, today) >= 0 && sm_date_diff(real, today) <= 1);
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(sm_date_today_check(&err), -1);
    CHECK_STR(err.field, "SAMEN_TODAY");
    CHECK_STR(err.message, "date \"2020-02-30\" (field \"SAMEN_TODAY\"): February 2020 has 29 "
                           "days" FORMS);

    unsetenv("SAMEN_TODAY");
    CHECK_INT(sm_date_today_check(NULL), 0);
    today = sm_date_today();
    CHECK(today.y >= 2024 && sm_date_valid(today.y, today.m, today.d));
}

TEST(now_is_after_2024_in_milliseconds)
{
    int64_t now = sm_now_ms();
    CHECK(now > INT64_C(1704067200000)); /*  2024-01-01T00:00Z */
    CHECK(now < INT64_C(4102444800000)); /*  2100-01-01T00:00Z */
}

/* ==== Europe/Amsterdam ==================================================== */

TEST(summer_time_starts_last_sunday_of_march_at_01_utc)
{
    int64_t t = utc_ms(2020, 3, 29, 1, 0, 0);
    CHECK_INT(t, INT64_C(1585443600000));
    CHECK_INT(sm_amsterdam_offset(t - 1), 3600);
    CHECK_INT(sm_amsterdam_offset(t), 7200);
    CHECK_INT(sm_amsterdam_offset(utc_ms(2020, 3, 22, 12, 0, 0)), 3600);
    CHECK_INT(sm_amsterdam_offset(utc_ms(2020, 3, 30, 0, 0, 0)), 7200);
    /*  2021: March 28 is the last Sunday */
    CHECK_INT(sm_amsterdam_offset(utc_ms(2021, 3, 28, 0, 59, 59)), 3600);
    CHECK_INT(sm_amsterdam_offset(utc_ms(2021, 3, 28, 1, 0, 0)), 7200);
}

TEST(summer_time_ends_last_sunday_of_october_at_01_utc)
{
    int64_t t = utc_ms(2020, 10, 25, 1, 0, 0);
    CHECK_INT(t, INT64_C(1603587600000));
    CHECK_INT(sm_amsterdam_offset(t - 1), 7200);
    CHECK_INT(sm_amsterdam_offset(t), 3600);
    CHECK_INT(sm_amsterdam_offset(utc_ms(2020, 7, 1, 12, 0, 0)), 7200);
    CHECK_INT(sm_amsterdam_offset(utc_ms(2020, 12, 31, 23, 0, 0)), 3600);
    CHECK_INT(sm_amsterdam_offset(utc_ms(2020, 1, 1, 0, 0, 0)), 3600);
    /*  2026: October 25 is the last Sunday, and 31 October is a Saturday */
    CHECK_INT(sm_amsterdam_offset(utc_ms(2026, 10, 25, 0, 59, 0)), 7200);
    CHECK_INT(sm_amsterdam_offset(utc_ms(2026, 10, 25, 1, 0, 0)), 3600);
}

TEST(offset_is_defined_for_extreme_instants)
{
    CHECK_INT(sm_amsterdam_offset(INT64_MIN), 3600);
    CHECK_INT(sm_amsterdam_offset(INT64_MAX), 3600);
    char buf[21];
    CHECK_STR(sm_datetime_format_utc(INT64_MIN, buf), "0001-01-01T00:00:00Z");
    CHECK_STR(sm_datetime_format_utc(INT64_MAX, buf), "9999-12-31T23:59:59Z");
    char local[17];
    CHECK_STR(sm_datetime_format_local(INT64_MAX, local), "9999-12-31 23:59");
    CHECK_STR(fmt(sm_date_of_ms(INT64_MIN)), "0001-01-01");
}

TEST(date_of_instant_is_the_amsterdam_date)
{
    /*  23:30 UTC on 31 December is already New Year in Amsterdam. */
    CHECK_STR(fmt(sm_date_of_ms(utc_ms(2019, 12, 31, 23, 30, 0))), "2020-01-01");
    CHECK_STR(fmt(sm_date_of_ms(utc_ms(2019, 12, 31, 22, 59, 59))), "2019-12-31");
    CHECK_STR(fmt(sm_date_of_ms(utc_ms(2020, 6, 30, 22, 0, 0))), "2020-07-01");
    CHECK_STR(fmt(sm_date_of_ms(utc_ms(2020, 6, 30, 21, 59, 59))), "2020-06-30");
    CHECK_STR(fmt(sm_date_of_ms(-1)), "1970-01-01"); /*  00:59:59.999 local */
    CHECK_STR(fmt(sm_date_of_ms(-3600001)), "1969-12-31");
}

/* ==== Date-times ========================================================== */

static int64_t parse_dt(const char *text)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t ms = -42;
    if (sm_datetime_parse(text, &ms, "start", &err) != 0) {
        printf("  unexpected refusal of %s: %s\n", text, err.message);
        return -42;
    }
    return ms;
}

TEST(datetime_parse_reads_amsterdam_local_time)
{
    CHECK_INT(parse_dt("2020-03-12T19:30"), utc_ms(2020, 3, 12, 18, 30, 0));
    CHECK_INT(parse_dt("2020-03-12 19:30"), utc_ms(2020, 3, 12, 18, 30, 0));
    CHECK_INT(parse_dt("2020-03-12T19:30:15"), utc_ms(2020, 3, 12, 18, 30, 15));
    CHECK_INT(parse_dt("2020-07-01 09:00"), utc_ms(2020, 7, 1, 7, 0, 0));
    CHECK_INT(parse_dt("2020-01-01T00:00"), utc_ms(2019, 12, 31, 23, 0, 0));
}

TEST(datetime_parse_takes_explicit_offsets_as_given)
{
    CHECK_INT(parse_dt("2020-03-12T19:30Z"), utc_ms(2020, 3, 12, 19, 30, 0));
    CHECK_INT(parse_dt("2020-03-12T19:30:05Z"), utc_ms(2020, 3, 12, 19, 30, 5));
    CHECK_INT(parse_dt("2020-03-12T19:30+01:00"), utc_ms(2020, 3, 12, 18, 30, 0));
    CHECK_INT(parse_dt("2020-03-12 19:30:00+05:30"), utc_ms(2020, 3, 12, 14, 0, 0));
    CHECK_INT(parse_dt("2020-03-12T19:30-04:00"), utc_ms(2020, 3, 12, 23, 30, 0));
    /*  an explicit offset may name a time inside the spring gap */
    CHECK_INT(parse_dt("2020-03-29T02:30+01:00"), utc_ms(2020, 3, 29, 1, 30, 0));
    CHECK_INT(parse_dt("1970-01-01T00:00Z"), 0);
}

TEST(datetime_in_the_spring_gap_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t ms = 99;
    CHECK_INT(sm_datetime_parse("2020-03-29T02:30", &ms, "start", &err), -1);
    CHECK_INT(ms, 99);
    CHECK_STR(err.field, "start");
    CHECK_STR(err.message,
              "time \"2020-03-29T02:30\" (field \"start\"): 02:30 does not exist in Amsterdam on "
              "2020-03-29, when clocks go forward from 02:00 to 03:00; give a time outside "
              "02:00..02:59 or an explicit offset such as +01:00");
    CHECK_INT(sm_datetime_parse("2020-03-29 02:00", &ms, "start", &err), -1);
    CHECK_INT(sm_datetime_parse("2020-03-29 02:59:59", &ms, "start", &err), -1);
    /*  either side of the gap is fine */
    CHECK_INT(parse_dt("2020-03-29T01:59:59"), utc_ms(2020, 3, 29, 0, 59, 59));
    CHECK_INT(parse_dt("2020-03-29T03:00"), utc_ms(2020, 3, 29, 1, 0, 0));
}

TEST(datetime_in_the_autumn_overlap_takes_the_first_instant)
{
    /*  02:30 happens twice on 2020-10-25: first in CEST (00:30 UTC). */
    CHECK_INT(parse_dt("2020-10-25T02:30"), utc_ms(2020, 10, 25, 0, 30, 0));
    CHECK_INT(parse_dt("2020-10-25T02:30"), INT64_C(1603585800000));
    CHECK_INT(parse_dt("2020-10-25T02:00"), utc_ms(2020, 10, 25, 0, 0, 0));
    CHECK_INT(parse_dt("2020-10-25T02:59:59"), utc_ms(2020, 10, 25, 0, 59, 59));
    CHECK_INT(parse_dt("2020-10-25T03:00"), utc_ms(2020, 10, 25, 2, 0, 0));
    CHECK_INT(parse_dt("2020-10-25T01:59"), utc_ms(2020, 10, 24, 23, 59, 0));
}

static void check_dt_refused(const char *text, const char *reason)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t ms = 99;
    CHECK_INT(sm_datetime_parse(text, &ms, "start", &err), -1);
    CHECK_INT(ms, 99);
    char expected[512];
    snprintf(expected, sizeof expected, "time \"%s\" (field \"start\"): %s", text, reason);
    CHECK_STR(err.message, expected);
}

TEST(datetime_parse_refuses_malformed_text)
{
    const char *shape = "not a date and time; give YYYY-MM-DDTHH:MM or YYYY-MM-DD HH:MM, "
                        "optionally with :SS and a Z or +HH:MM offset, e.g. 2020-03-12T19:30";
    const char *bad[] = {"2020-03-12",
                         "2020-03-12T",
                         "2020-03-12T9:30",
                         "2020-03-12T19",
                         "2020-03-12x19:30",
                         "2020-03-12T19:30:5",
                         "2020-03-12T19:30z",
                         "2020-03-12T19:30+0100",
                         "2020-03-12T19:30 ",
                         "2020-03-12T19:30.5",
                         "2020-03-12T19:30:00.000Z",
                         "2020-03-12t19:30",
                         "2020-03-12T19:30Zx",
                         "2020-03-12T19-30",
                         "2020-03-12T19:30+01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_dt_refused(bad[i], shape);
    check_dt_refused("2020-02-30T10:00", "February 2020 has 29 days" FORMS);
    check_dt_refused("2020-13-01T10:00", "month 13 does not exist; give 01..12");
    check_dt_refused("2020-03-12T24:00", "hour 24 does not exist; give 00..23");
    check_dt_refused("2020-03-12T19:60", "minute 60 does not exist; give 00..59");
    check_dt_refused("2020-03-12T19:30:60",
                     "second 60 does not exist; give 00..59 (leap seconds are not kept)");
    check_dt_refused("2020-03-12T19:30+15:00",
                     "offset +15:00 is not a UTC offset; give -14:00..+14:00");
    check_dt_refused("2020-03-12T19:30+14:30",
                     "offset +14:30 is not a UTC offset; give -14:00..+14:00");
    check_dt_refused("2020-03-12T19:30+01:75",
                     "offset +01:75 is not a UTC offset; give -14:00..+14:00");
    check_dt_refused("2020-03-12T19:30+1x:00", shape);

    sm_err_t err;
    sm_err_clear(&err);
    int64_t ms;
    CHECK_INT(sm_datetime_parse("", &ms, "start", &err), -1);
    CHECK_STR(err.message, "time (field \"start\") is empty; give YYYY-MM-DDTHH:MM or "
                           "YYYY-MM-DD HH:MM, optionally with :SS and a Z or +HH:MM offset, "
                           "e.g. 2020-03-12T19:30");
}

TEST(datetime_formats_round_trip)
{
    char local[17], utc[21];
    int64_t t = parse_dt("2020-03-12T19:30");
    CHECK_STR(sm_datetime_format_local(t, local), "2020-03-12 19:30");
    CHECK_STR(sm_datetime_format_utc(t, utc), "2020-03-12T18:30:00Z");
    CHECK_INT(parse_dt(local), t);
    CHECK_INT(parse_dt(utc), t);

    /*  Around both transitions, local text parses back to the same instant
        (in the autumn overlap only the first instant can round-trip). */
    int64_t starts[] = {utc_ms(2020, 3, 28, 22, 0, 0), utc_ms(2020, 10, 24, 22, 0, 0)};
    for (int k = 0; k < 2; k++)
        for (int64_t ms = starts[k]; ms < starts[k] + 6 * 3600000; ms += 60000) {
            sm_datetime_format_local(ms, local);
            int64_t back = parse_dt(local);
            bool second_pass =
                k == 1 && ms >= utc_ms(2020, 10, 25, 1, 0, 0) && ms < utc_ms(2020, 10, 25, 2, 0, 0);
            if (second_pass)
                CHECK_INT(back, ms - 3600000);
            else
                CHECK_INT(back, ms);
            CHECK_INT(parse_dt(sm_datetime_format_utc(ms, utc)), ms);
        }
    CHECK_STR(sm_datetime_format_local(utc_ms(2020, 3, 29, 0, 59, 0), local), "2020-03-29 01:59");
    CHECK_STR(sm_datetime_format_local(utc_ms(2020, 3, 29, 1, 0, 0), local), "2020-03-29 03:00");
    CHECK_STR(sm_datetime_format_local(utc_ms(2020, 10, 25, 0, 59, 0), local), "2020-10-25 02:59");
    CHECK_STR(sm_datetime_format_local(utc_ms(2020, 10, 25, 1, 0, 0), local), "2020-10-25 02:00");
}

TEST(datetime_format_handles_instants_before_1970)
{
    char utc[21], local[17];
    CHECK_STR(sm_datetime_format_utc(-1, utc), "1969-12-31T23:59:59Z");
    CHECK_STR(sm_datetime_format_local(-1, local), "1970-01-01 00:59");
    CHECK_STR(sm_datetime_format_utc(-86400000, utc), "1969-12-31T00:00:00Z");
}

/* ==== Periods ============================================================= */

static void check_period(const char *text, sm_period_kind_t kind, const char *from, const char *to,
                         const char *canonical)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_period_t p;
    if (sm_period_parse(text, &p, "period", &err) != 0) {
        printf("  unexpected refusal of %s: %s\n", text, err.message);
        CHECK(0);
        return;
    }
    char a[11], b[11], c[24];
    CHECK_INT(p.kind, kind);
    CHECK_STR(sm_date_format(p.from, a), from);
    CHECK_STR(sm_date_format(p.to, b), to);
    CHECK_STR(sm_period_format(&p, c), canonical);
}

TEST(period_parse_accepts_every_kind)
{
    check_period("2020-03-12", SM_PERIOD_DAY, "2020-03-12", "2020-03-12", "2020-03-12");
    check_period("2020-03", SM_PERIOD_MONTH, "2020-03-01", "2020-03-31", "2020-03");
    check_period("2020-02", SM_PERIOD_MONTH, "2020-02-01", "2020-02-29", "2020-02");
    check_period("2019-02", SM_PERIOD_MONTH, "2019-02-01", "2019-02-28", "2019-02");
    check_period("2020-Q1", SM_PERIOD_QUARTER, "2020-01-01", "2020-03-31", "2020-Q1");
    check_period("2020-Q2", SM_PERIOD_QUARTER, "2020-04-01", "2020-06-30", "2020-Q2");
    check_period("2020-q3", SM_PERIOD_QUARTER, "2020-07-01", "2020-09-30", "2020-Q3");
    check_period("2020-Q4", SM_PERIOD_QUARTER, "2020-10-01", "2020-12-31", "2020-Q4");
    check_period("2020", SM_PERIOD_YEAR, "2020-01-01", "2020-12-31", "2020");
    check_period("2019-09-01..2019-11-30", SM_PERIOD_RANGE, "2019-09-01", "2019-11-30",
                 "2019-09-01..2019-11-30");
    check_period("2019-09..2019-11", SM_PERIOD_RANGE, "2019-09-01", "2019-11-30",
                 "2019-09-01..2019-11-30");
    check_period("2020-01..2020-02", SM_PERIOD_RANGE, "2020-01-01", "2020-02-29",
                 "2020-01-01..2020-02-29");
    check_period("2019-09..2019-11-15", SM_PERIOD_RANGE, "2019-09-01", "2019-11-15",
                 "2019-09-01..2019-11-15");
    check_period("2020-q1..2020-Q2", SM_PERIOD_RANGE, "2020-01-01", "2020-06-30",
                 "2020-01-01..2020-06-30");
    check_period("2019..2020", SM_PERIOD_RANGE, "2019-01-01", "2020-12-31",
                 "2019-01-01..2020-12-31");
    check_period("2020-03-12..2020-03-12", SM_PERIOD_RANGE, "2020-03-12", "2020-03-12",
                 "2020-03-12..2020-03-12");
    check_period("9999-12-31..9999-12-31", SM_PERIOD_RANGE, "9999-12-31", "9999-12-31",
                 "9999-12-31..9999-12-31");
}

static void check_period_refused(const char *text, const char *reason)
{
    sm_err_t err;
    sm_err_clear(&err);
    sm_period_t p;
    memset(&p, 0x5A, sizeof p);
    sm_period_t before = p;
    CHECK_INT(sm_period_parse(text, &p, "period", &err), -1);
    CHECK(memcmp(&p, &before, sizeof p) == 0);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "period");
    char expected[512];
    snprintf(expected, sizeof expected, "period \"%s\" (field \"period\"): %s", text, reason);
    CHECK_STR(err.message, expected);
}

TEST(period_parse_refuses_what_does_not_exist)
{
    check_period_refused("2020-13", "month 13 does not exist; give 01..12");
    check_period_refused("2020-00", "month 00 does not exist; give 01..12");
    check_period_refused("2020-Q5", "quarter 5 does not exist; give Q1..Q4");
    check_period_refused("2020-Q0", "quarter 0 does not exist; give Q1..Q4");
    check_period_refused("2020-02-30", "February 2020 has 29 days" FORMS);
    check_period_refused("2019-02-29..2019-03-31", "February 2019 has 28 days" FORMS);
    check_period_refused("2019-09-01..2019-13", "month 13 does not exist; give 01..12");
    check_period_refused("0000", "year 0000 does not exist; give 0001..9999");
    check_period_refused("0000-Q1", "year 0000 does not exist; give 0001..9999");
    check_period_refused("2019-11-30..2019-09-01",
                         "period ends before it starts (2019-09-01 is before 2019-11-30); give "
                         "the earlier date first");
    check_period_refused("2019-11..2019-09",
                         "period ends before it starts (2019-09-30 is before 2019-11-01); give "
                         "the earlier date first");
}

TEST(period_parse_refuses_malformed_text)
{
    const char *shape = "not a period; give a day (2020-03-12), a month (2020-03), a quarter "
                        "(2020-Q2), a year (2020) or a range (2019-09-01..2019-11-30)";
    const char *bad[] = {
        "autumn 2019", "2020-3",      "2020-Q",      "2020-Q12", "2020Q2",
        "20",          "20201",       "2020-03-1",   "..2020",   "2020..",
        "..",          "2020...2021", "2020-H1",     "2020-W12", "2019-09..2019-10..2019-11",
        " 2020",       "2020-03-12 ", "2020 .. 2021"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check_period_refused(bad[i], shape);

    sm_err_t err;
    sm_err_clear(&err);
    sm_period_t p;
    CHECK_INT(sm_period_parse("", &p, "period", &err), -1);
    CHECK_STR(err.message, "period (field \"period\") is empty; give a day (2020-03-12), a month "
                           "(2020-03), a quarter (2020-Q2), a year (2020) or a range "
                           "(2019-09-01..2019-11-30)");
}

TEST(period_contains_both_ends)
{
    sm_period_t p;
    CHECK_INT(sm_period_parse("2020-Q1", &p, "period", NULL), 0);
    CHECK(sm_period_contains(&p, D(2020, 1, 1)));
    CHECK(sm_period_contains(&p, D(2020, 2, 29)));
    CHECK(sm_period_contains(&p, D(2020, 3, 31)));
    CHECK(!sm_period_contains(&p, D(2019, 12, 31)));
    CHECK(!sm_period_contains(&p, D(2020, 4, 1)));
}

int main(void)
{
    RUN(day_numbers_match_fixed_points);
    RUN(day_numbers_round_trip_over_the_whole_range);
    RUN(days_beyond_the_range_saturate);
    RUN(leap_years_follow_the_gregorian_rule);
    RUN(valid_dates_lie_in_years_1_to_9999);
    RUN(adding_days_crosses_months_and_years);
    RUN(adding_months_clamps_the_day_to_the_month_end);
    RUN(diff_and_compare_order_dates);
    RUN(weekday_is_iso_monday_1_to_sunday_7);
    RUN(date_parse_accepts_exactly_yyyy_mm_dd);
    RUN(date_parse_refusals_name_the_field_and_say_what_is_accepted);
    RUN(date_refusal_quotes_hostile_input_safely);
    RUN(date_refusal_without_field_leaves_it_out);
    RUN(date_format_pads_with_zeros);
    RUN(today_honours_samen_today);
    RUN(now_is_after_2024_in_milliseconds);
    RUN(summer_time_starts_last_sunday_of_march_at_01_utc);
    RUN(summer_time_ends_last_sunday_of_october_at_01_utc);
    RUN(offset_is_defined_for_extreme_instants);
    RUN(date_of_instant_is_the_amsterdam_date);
    RUN(datetime_parse_reads_amsterdam_local_time);
    RUN(datetime_parse_takes_explicit_offsets_as_given);
    RUN(datetime_in_the_spring_gap_is_refused);
    RUN(datetime_in_the_autumn_overlap_takes_the_first_instant);
    RUN(datetime_parse_refuses_malformed_text);
    RUN(datetime_formats_round_trip);
    RUN(datetime_format_handles_instants_before_1970);
    RUN(period_parse_accepts_every_kind);
    RUN(the_nth_weekday_of_a_month);
    RUN(period_parse_refuses_what_does_not_exist);
    RUN(period_parse_refuses_malformed_text);
    RUN(period_contains_both_ends);
    return DONE();
}
