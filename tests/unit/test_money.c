/*  tests/unit/test_money.c - parsing, formatting and exact arithmetic of
    euro cents. */
#include "common/money.h"
#include "test.h"

typedef struct {
    const char *text;
    int64_t cents;
} money_ok_t;

static const money_ok_t s_accepted[] = {
    {"15", 1500},
    {"15.5", 1550},
    {"15,5", 1550},
    {"15.50", 1550},
    {"15,50", 1550},
    {"0", 0},
    {"0.01", 1},
    {"0,99", 99},
    {"007", 700},
    {"22500.00", 2250000},
    {"22,500.00", 2250000},
    {"22.500,00", 2250000},
    {"1.234.567,89", 123456789},
    {"1,234,567.89", 123456789},
    {"1.234.567", 123456700},
    {"1,234,567", 123456700},
    /*  one separator followed by exactly 3 digits groups thousands */
    {"22,500", 2250000},
    {"22.500", 2250000},
    {"1.000", 100000},
    {"999,999", 99999900},
    {"1234", 123400},
    {"1234.5", 123450},
    {"EUR 15", 1500},
    {"EUR15", 1500},
    {"eur 15.00", 1500},
    {"EUR 22,500.00", 2250000},
    {"\xE2\x82\xAC"
     "15,00",
     1500},
    {"\xE2\x82\xAC 15,00", 1500},
    {"\xE2\x82\xAC\xC2\xA0"
     "15,00",
     1500}, /*  no-break space after the sign */
    {"\xE2\x82\xAC 22.500,00", 2250000},
    {"\xE2\x82\xAC 15,-", 1500}, /*  Dutch whole euros */
    {"15.-", 1500},
    {"1.500,-", 150000},
    {"  15.50 ", 1550},
    {"10000000000000", 1000000000000000}, /*  SM_MONEY_MAX exactly */
    {"10,000,000,000,000.00", 1000000000000000},
    {"0000000000000000000000000015", 1500},
};

TEST(money_parse_accepts_what_people_type)
{
    for (size_t i = 0; i < sizeof s_accepted / sizeof s_accepted[0]; i++) {
        sm_err_t err;
        sm_err_clear(&err);
        int64_t cents = -1;
        int rc = sm_money_parse(s_accepted[i].text, false, &cents, "price", &err);
        if (rc != 0 || cents != s_accepted[i].cents) {
            printf("  \"%s\": rc=%d cents=%" PRId64 " (%s)\n", s_accepted[i].text, rc, cents,
                   err.message);
            CHECK_INT(rc, 0);
            CHECK_INT(cents, s_accepted[i].cents);
        }
    }
}

TEST(money_parse_takes_negative_amounts_only_when_allowed)
{
    int64_t cents = 0;
    CHECK_INT(sm_money_parse("-5.00", true, &cents, "delta", NULL), 0);
    CHECK_INT(cents, -500);
    CHECK_INT(sm_money_parse("-EUR 5.00", true, &cents, "delta", NULL), 0);
    CHECK_INT(cents, -500);
    CHECK_INT(sm_money_parse("EUR -5.00", true, &cents, "delta", NULL), 0);
    CHECK_INT(cents, -500);
    CHECK_INT(sm_money_parse("-\xE2\x82\xAC 22.500,00", true, &cents, "delta", NULL), 0);
    CHECK_INT(cents, -2250000);
    CHECK_INT(sm_money_parse("-10000000000000", true, &cents, "delta", NULL), 0);
    CHECK_INT(cents, -1000000000000000);

    sm_err_t err;
    sm_err_clear(&err);
    cents = 77;
    CHECK_INT(sm_money_parse("-5.00", false, &cents, "price", &err), -1);
    CHECK_INT(cents, 77);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "price");
    CHECK_STR(err.message, "amount \"-5.00\" (field \"price\"): negative amounts are not "
                           "accepted here; give 0 or more");
}

static void check_refused(const char *text, const char *reason)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t cents = 77;
    CHECK_INT(sm_money_parse(text, true, &cents, "price", &err), -1);
    CHECK_INT(cents, 77);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "price");
    char expected[512];
    snprintf(expected, sizeof expected, "amount \"%s\" (field \"price\"): %s", text, reason);
    CHECK_STR(err.message, expected);
}

TEST(money_parse_refuses_fractional_cents)
{
    check_refused("0.001", "amounts are whole cents; 0.001 has 3 decimals");
    check_refused("0,001", "amounts are whole cents; 0,001 has 3 decimals");
    check_refused("1234.567", "amounts are whole cents; 1234.567 has 3 decimals");
    check_refused("15.5000", "amounts are whole cents; 15.5000 has 4 decimals");
    check_refused("1,2345", "amounts are whole cents; 1,2345 has 4 decimals");
    check_refused("1,234.567", "amounts are whole cents; 1,234.567 has 3 decimals");
    check_refused("EUR 1.234,567", "amounts are whole cents; 1.234,567 has 3 decimals");
}

TEST(money_parse_refuses_garbage)
{
    const char *hint = "give euros and cents such as 15, 15.50, 22,500.00 or 22.500,00";
    const char *garbage[] = {"abc",    "15abc",  "1e3", "EUR",    "\xE2\x82\xAC", ".50", ",50",
                             "0x10",   "+5",     "--5", "15 00",  "EUR EUR 5",    "- 5", "-EUR -5",
                             "USD 15", "15 EUR", "1/2", "15,-,-", "\xE2\x82\xAC-"};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        char reason[200];
        snprintf(reason, sizeof reason, "not an amount; %s", hint);
        check_refused(garbage[i], reason);
    }
    const char *misplaced[] = {"1.2,50",     "1,23,456", "12,34.56", "1.234.56", "1.2345.678",
                               "1,5.000,00", "1.5,-",    "1,500,-",  "1..5",     "1,,000"};
    for (size_t i = 0; i < sizeof misplaced / sizeof misplaced[0]; i++) {
        char reason[200];
        snprintf(reason, sizeof reason, "separators in the wrong places; %s", hint);
        check_refused(misplaced[i], reason);
    }
    check_refused("15.", "no digits after the decimal separator; write 15 or 15.00");
    check_refused("15,", "no digits after the decimal separator; write 15 or 15.00");
}

TEST(money_parse_refuses_empty_text)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t cents = 77;
    const char *expected = "amount (field \"price\") is empty; give euros and cents such as 15, "
                           "15.50, 22,500.00 or 22.500,00";
    CHECK_INT(sm_money_parse("", false, &cents, "price", &err), -1);
    CHECK_STR(err.message, expected);
    CHECK_INT(sm_money_parse("   ", false, &cents, "price", &err), -1);
    CHECK_STR(err.message, expected);
    CHECK_INT(sm_money_parse(NULL, false, &cents, "price", &err), -1);
    CHECK_STR(err.message, expected);
    CHECK_INT(cents, 77);
}

TEST(money_parse_refuses_amounts_above_the_maximum)
{
    const char *reason = "too large; the most accepted is EUR 10,000,000,000,000.00";
    check_refused("10000000000000.01", reason);
    check_refused("-10000000000000.01", reason);
    check_refused("10,000,000,000,001", reason);
    check_refused("92233720368547758.07", reason);
    check_refused("EUR 92,233,720,368,547,758.08", reason);
    check_refused("99999999999999999999999999999999999999", reason);
}

TEST(money_parse_quotes_hostile_input_safely)
{
    sm_err_t err;
    sm_err_clear(&err);
    int64_t cents;
    CHECK_INT(sm_money_parse("1\n5\xFF", false, &cents, "price", &err), -1);
    CHECK_STR(err.message, "amount \"1?5?\" (field \"price\"): not an amount; give euros and "
                           "cents such as 15, 15.50, 22,500.00 or 22.500,00");
    /*  without a field name the message leaves it out */
    CHECK_INT(sm_money_parse("abc", false, &cents, NULL, &err), -1);
    CHECK_STR(err.message, "amount \"abc\": not an amount; give euros and cents such as 15, "
                           "15.50, 22,500.00 or 22.500,00");
    CHECK_STR(err.field, "");
}

TEST(money_format_groups_thousands_per_locale)
{
    char buf[40];
    CHECK_STR(sm_money_format(2250000, false, buf), "EUR 22,500.00");
    CHECK_STR(sm_money_format(2250000, true, buf), "\xE2\x82\xAC 22.500,00");
    CHECK_STR(sm_money_format(0, false, buf), "EUR 0.00");
    CHECK_STR(sm_money_format(1, false, buf), "EUR 0.01");
    CHECK_STR(sm_money_format(1500, true, buf), "\xE2\x82\xAC 15,00");
    CHECK_STR(sm_money_format(99999, false, buf), "EUR 999.99");
    CHECK_STR(sm_money_format(100000, false, buf), "EUR 1,000.00");
    CHECK_STR(sm_money_format(123456789, false, buf), "EUR 1,234,567.89");
    CHECK_STR(sm_money_format(123456789, true, buf), "\xE2\x82\xAC 1.234.567,89");
    CHECK_STR(sm_money_format(-500, false, buf), "-EUR 5.00");
    CHECK_STR(sm_money_format(-500, true, buf), "-\xE2\x82\xAC 5,00");
    CHECK_STR(sm_money_format(-1, false, buf), "-EUR 0.01");
}

TEST(money_format_is_safe_at_the_int64_extremes)
{
    char buf[40];
    CHECK_STR(sm_money_format(INT64_MAX, false, buf), "EUR 92,233,720,368,547,758.07");
    CHECK_STR(sm_money_format(INT64_MIN, false, buf), "-EUR 92,233,720,368,547,758.08");
    CHECK_STR(sm_money_format(INT64_MIN, true, buf), "-\xE2\x82\xAC 92.233.720.368.547.758,08");
    CHECK(strlen(buf) < 40);
    char plain[32];
    CHECK_STR(sm_money_plain(INT64_MAX, plain), "92233720368547758.07");
    CHECK_STR(sm_money_plain(INT64_MIN, plain), "-92233720368547758.08");
}

TEST(money_plain_has_no_currency_and_no_grouping)
{
    char buf[32];
    CHECK_STR(sm_money_plain(2250000, buf), "22500.00");
    CHECK_STR(sm_money_plain(-500, buf), "-5.00");
    CHECK_STR(sm_money_plain(0, buf), "0.00");
    CHECK_STR(sm_money_plain(7, buf), "0.07");
    CHECK_STR(sm_money_plain(-7, buf), "-0.07");
    CHECK_STR(sm_money_plain(1000000000000000, buf), "10000000000000.00");
}

TEST(money_format_output_parses_back_to_the_same_cents)
{
    const int64_t amounts[] = {0,
                               1,
                               99,
                               100,
                               1550,
                               2250000,
                               99999999,
                               123456789,
                               -500,
                               -2250000,
                               1000000000000000,
                               -1000000000000000};
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        char buf[40];
        int64_t back = 0;
        for (int nl = 0; nl < 2; nl++) {
            CHECK_INT(sm_money_parse(sm_money_format(amounts[i], nl, buf), true, &back, "x", NULL),
                      0);
            CHECK_INT(back, amounts[i]);
        }
        CHECK_INT(sm_money_parse(sm_money_plain(amounts[i], buf), true, &back, "x", NULL), 0);
        CHECK_INT(back, amounts[i]);
    }
}

TEST(muldiv_rounds_half_away_from_zero)
{
    int64_t r = 0;
    CHECK_INT(sm_muldiv(7, 1, 2, &r), 0);
    CHECK_INT(r, 4);
    CHECK_INT(sm_muldiv(-7, 1, 2, &r), 0);
    CHECK_INT(r, -4);
    CHECK_INT(sm_muldiv(7, 1, -2, &r), 0);
    CHECK_INT(r, -4);
    CHECK_INT(sm_muldiv(-7, -1, 2, &r), 0);
    CHECK_INT(r, 4);
    CHECK_INT(sm_muldiv(5, 1, 3, &r), 0); /*  1.67 */
    CHECK_INT(r, 2);
    CHECK_INT(sm_muldiv(4, 1, 3, &r), 0); /*  1.33 */
    CHECK_INT(r, 1);
    CHECK_INT(sm_muldiv(-4, 1, 3, &r), 0);
    CHECK_INT(r, -1);
    CHECK_INT(sm_muldiv(6, 1, 3, &r), 0);
    CHECK_INT(r, 2);
    CHECK_INT(sm_muldiv(0, 5, 7, &r), 0);
    CHECK_INT(r, 0);
    CHECK_INT(sm_muldiv(1, 1, 3, &r), 0); /*  0.33 */
    CHECK_INT(r, 0);
    /*  a share of a budget: EUR 2,500 over 3 parts */
    CHECK_INT(sm_muldiv(250000, 1, 3, &r), 0);
    CHECK_INT(r, 83333);
    /*  10 h/week x EUR 50 x 37.5 weeks = EUR 18,750 (75/2 weeks) */
    CHECK_INT(sm_muldiv(10 * 5000, 75, 2, &r), 0);
    CHECK_INT(r, 1875000);
}

TEST(muldiv_is_exact_beyond_64_bit_products)
{
    int64_t r = 0;
    /*  INT64_MAX * INT64_MAX / INT64_MAX needs 126 bits in the middle. */
    CHECK_INT(sm_muldiv(INT64_MAX, INT64_MAX, INT64_MAX, &r), 0);
    CHECK_INT(r, INT64_MAX);
    CHECK_INT(sm_muldiv(INT64_MIN, INT64_MIN, INT64_MIN, &r), 0);
    CHECK_INT(r, INT64_MIN);
    CHECK_INT(sm_muldiv(INT64_MIN, 1, 1, &r), 0);
    CHECK_INT(r, INT64_MIN);
    CHECK_INT(sm_muldiv(INT64_MIN, 1, -1, &r), -1); /*  2^63 does not fit */
    CHECK_INT(sm_muldiv(1000000000000000, 1000000000000000, 1000000000000000, &r), 0);
    CHECK_INT(r, 1000000000000000);
    CHECK_INT(sm_muldiv(INT64_MAX, 2, 4, &r), 0); /*  (2^63-1)/2 rounds up */
    CHECK_INT(r, INT64_C(4611686018427387904));
}

TEST(muldiv_refuses_zero_divisor_and_overflow)
{
    int64_t r = 123;
    CHECK_INT(sm_muldiv(1, 1, 0, &r), -1);
    CHECK_INT(r, 123);
    CHECK_INT(sm_muldiv(INT64_MAX, 2, 1, &r), -1);
    CHECK_INT(sm_muldiv(INT64_MIN, 2, 1, &r), -1);
    CHECK_INT(sm_muldiv(INT64_MAX, INT64_MAX, 1, &r), -1);
    CHECK_INT(r, 123);
    /*  rounding itself may be what overflows: (2^64 - 1) / 2 is
        INT64_MAX + 0.5, which rounds to 2^63 */
    CHECK_INT(sm_muldiv(4294967295, 4294967297, 2, &r), -1);
    CHECK_INT(sm_muldiv(-4294967295, 4294967297, 2, &r), 0);
    CHECK_INT(r, INT64_MIN);
    CHECK_INT(sm_muldiv(INT64_MAX, 2, 2, &r), 0);
    CHECK_INT(r, INT64_MAX);
}

int main(void)
{
    RUN(money_parse_accepts_what_people_type);
    RUN(money_parse_takes_negative_amounts_only_when_allowed);
    RUN(money_parse_refuses_fractional_cents);
    RUN(money_parse_refuses_garbage);
    RUN(money_parse_refuses_empty_text);
    RUN(money_parse_refuses_amounts_above_the_maximum);
    RUN(money_parse_quotes_hostile_input_safely);
    RUN(money_format_groups_thousands_per_locale);
    RUN(money_format_is_safe_at_the_int64_extremes);
    RUN(money_plain_has_no_currency_and_no_grouping);
    RUN(money_format_output_parses_back_to_the_same_cents);
    RUN(muldiv_rounds_half_away_from_zero);
    RUN(muldiv_is_exact_beyond_64_bit_products);
    RUN(muldiv_refuses_zero_divisor_and_overflow);
    return DONE();
}
