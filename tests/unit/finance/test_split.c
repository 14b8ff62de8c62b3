/*  tests/unit/finance/test_split.c - cost sharing adds up, to the cent. */
#include "common/money.h"
#include "services/finance/split.h"
#include "tests/unit/test.h"

__extension__ typedef __int128 t_i128;

/*  The eight member municipalities on 1 January 2016 (DOMAIN.md section 5). */
static const split_member_t GOOI[8] = {
    {"Blaricum", 9616}, {"Eemnes", 8877}, {"Gooise Meren", 56687}, {"Hilversum", 87817},
    {"Huizen", 41389},  {"Laren", 10962}, {"Weesp", 18571},        {"Wijdemeren", 23267},
};

#define EUR(x) ((int64_t)(x)*100)

/*  True when the shares sum to total and each is less than one unit away
    from its exact share (compared exactly, scaled by the denominator). */
static int s_sound(const split_share_t *s, size_t n, int64_t total, int64_t unit)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += s[i].contribution_cents;
        if (s[i].contribution_cents % unit != 0)
            return 0;
        t_i128 den = s[i].share_denominator;
        t_i128 exact = (t_i128)s[i].share_cents * den + s[i].share_remainder;
        t_i128 diff = (t_i128)s[i].contribution_cents * den - exact;
        if (diff < 0)
            diff = -diff;
        if (diff >= (t_i128)unit * den)
            return 0;
        /*  and the exact share itself is what it claims to be */
        if (exact != (t_i128)total * s[i].inhabitants)
            return 0;
    }
    return sum == total;
}

TEST(split_of_60000_at_1000_is_the_exact_table)
{
    split_share_t s[8];
    sm_err_t err = {0};
    CHECK_INT(split_compute(GOOI, 8, EUR(60000), EUR(1000), s, &err), 0);
    /*  quotas in units (x 1/257186): floors 2,2,13,20,9,2,4,5 = 57; the 3
        left over go to the largest remainders: Huizen (168666), Laren
        (143348), Hilversum (125300). */
    static const struct {
        int64_t contribution, share_cents, share_rem, bp;
        int extra;
    } want[8] = {
        {EUR(2000), 224335, 178690, 374, 0},    /* Blaricum */
        {EUR(2000), 207095, 65330, 345, 0},     /* Eemnes */
        {EUR(13000), 1322474, 201836, 2204, 0}, /* Gooise Meren */
        {EUR(21000), 2048719, 155266, 3415, 1}, /* Hilversum */
        {EUR(10000), 965581, 84934, 1609, 1},   /* Huizen */
        {EUR(3000), 255737, 23918, 426, 1},     /* Laren */
        {EUR(4000), 433250, 165500, 722, 0},    /* Weesp */
        {EUR(5000), 542805, 153270, 905, 0},    /* Wijdemeren */
    };
    int64_t sum = 0;
    for (int i = 0; i < 8; i++) {
        CHECK_STR(s[i].name, GOOI[i].name);
        CHECK_INT(s[i].inhabitants, GOOI[i].inhabitants);
        CHECK_INT(s[i].contribution_cents, want[i].contribution);
        CHECK_INT(s[i].units, want[i].contribution / EUR(1000));
        CHECK_INT(s[i].share_cents, want[i].share_cents);
        CHECK_INT(s[i].share_remainder, want[i].share_rem);
        CHECK_INT(s[i].share_denominator, 257186);
        CHECK_INT(s[i].percent_bp, want[i].bp);
        CHECK_INT(s[i].extra_unit, want[i].extra);
        sum += s[i].contribution_cents;
    }
    CHECK_INT(sum, EUR(60000));
}

TEST(hilversum_has_34_15_percent_of_the_inhabitants)
{
    split_share_t s[8];
    CHECK_INT(split_compute(GOOI, 8, EUR(1000), EUR(10), s, NULL), 0);
    CHECK_INT(s[3].percent_bp, 3415);
}

TEST(split_at_10_euro_of_22500_is_the_exact_table)
{
    split_share_t s[8];
    CHECK_INT(split_compute(GOOI, 8, EUR(22500), EUR(10), s, NULL), 0);
    static const int64_t want[8] = {840, 780, 4960, 7680, 3620, 960, 1620, 2040};
    for (int i = 0; i < 8; i++)
        CHECK_INT(s[i].contribution_cents, EUR(want[i]));
    CHECK(s_sound(s, 8, EUR(22500), EUR(10)));
}

TEST(pilot_of_7000_at_10_euro_adds_up)
{
    split_share_t s[8];
    CHECK_INT(split_compute(GOOI, 8, EUR(7000), EUR(10), s, NULL), 0);
    static const int64_t want[8] = {260, 240, 1540, 2390, 1130, 300, 510, 630};
    for (int i = 0; i < 8; i++)
        CHECK_INT(s[i].contribution_cents, EUR(want[i]));
    CHECK(s_sound(s, 8, EUR(7000), EUR(10)));
}

TEST(split_adds_up_exactly_to_total_for_the_documented_totals)
{
    static const int64_t totals[] = {60000, 22500, 50000, 1000, 7000, 36800, 2500};
    static const int64_t units[] = {1000, 10};
    for (size_t u = 0; u < 2; u++)
        for (size_t t = 0; t < sizeof totals / sizeof totals[0]; t++) {
            if (totals[t] % units[u] != 0)
                continue;
            split_share_t s[8];
            sm_err_t err = {0};
            CHECK_INT(split_compute(GOOI, 8, EUR(totals[t]), EUR(units[u]), s, &err), 0);
            CHECK(s_sound(s, 8, EUR(totals[t]), EUR(units[u])));
        }
}

TEST(split_of_50000_at_1000_gives_the_small_ones_a_whole_unit)
{
    split_share_t s[8];
    CHECK_INT(split_compute(GOOI, 8, EUR(50000), EUR(1000), s, NULL), 0);
    static const int64_t want[8] = {2000, 2000, 11000, 17000, 8000, 2000, 4000, 4000};
    for (int i = 0; i < 8; i++)
        CHECK_INT(s[i].contribution_cents, EUR(want[i]));
}

TEST(property_two_thousand_totals_add_up_and_stay_within_one_unit)
{
    int bad = 0;
    for (int64_t k = 1; k <= 2000; k++) {
        split_share_t s[8];
        if (split_compute(GOOI, 8, k * EUR(1000), EUR(1000), s, NULL) != 0 ||
            !s_sound(s, 8, k * EUR(1000), EUR(1000)))
            bad++;
        if (split_compute(GOOI, 8, k * 1357, 1357, s, NULL) != 0 || !s_sound(s, 8, k * 1357, 1357))
            bad++;
    }
    CHECK_INT(bad, 0);
}

TEST(property_random_populations_add_up_whatever_the_input_order)
{
    /*  A fixed linear congruential sequence: the same cases every run. */
    uint64_t x = 20160101;
    static const char *names[12] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L"};
    int bad = 0;
    for (int round = 0; round < 500; round++) {
        split_member_t m[12], r[12];
        size_t n = 1 + (size_t)(round % 12);
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            m[i].name = names[i];
            /*  small populations make equal remainders (ties) frequent */
            m[i].inhabitants = 1 + (int64_t)((x >> 33) % (round % 2 ? 5 : 100000));
            r[n - 1 - i] = m[i];
        }
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        int64_t unit = round % 3 ? 100 : EUR(1000);
        int64_t total = unit * (1 + (int64_t)((x >> 33) % 3000));
        split_share_t a[12], b[12];
        if (split_compute(m, n, total, unit, a, NULL) != 0 ||
            split_compute(r, n, total, unit, b, NULL) != 0) {
            bad++;
            continue;
        }
        if (!s_sound(a, n, total, unit))
            bad++;
        for (size_t i = 0; i < n; i++)
            if (a[i].contribution_cents != b[n - 1 - i].contribution_cents)
                bad++;
    }
    CHECK_INT(bad, 0);
}

TEST(tie_on_remainder_and_inhabitants_goes_to_the_name_first_in_byte_order)
{
    /*  3 + 3 + 2 inhabitants, 4 units: quotas 1.5, 1.5, 1.0. One unit is
        left and Eemnes and Weesp have equal remainders and equal
        inhabitants: Eemnes comes first by name, in every input order. */
    static const split_member_t base[3] = {{"Weesp", 3}, {"Eemnes", 3}, {"Huizen", 2}};
    static const int perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                    {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int p = 0; p < 6; p++) {
        split_member_t m[3];
        for (int i = 0; i < 3; i++)
            m[i] = base[perms[p][i]];
        split_share_t s[3];
        CHECK_INT(split_compute(m, 3, EUR(40), EUR(10), s, NULL), 0);
        for (int i = 0; i < 3; i++) {
            if (strcmp(s[i].name, "Eemnes") == 0) {
                CHECK_INT(s[i].contribution_cents, EUR(20));
                CHECK(s[i].extra_unit);
            } else {
                CHECK_INT(s[i].contribution_cents, EUR(10));
                CHECK(!s[i].extra_unit);
            }
        }
    }
}

TEST(tie_on_remainder_goes_to_more_inhabitants_before_name)
{
    /*  1 and 3 inhabitants, 2 units: quotas 0.5 and 1.5, equal remainders.
        Weesp has more inhabitants, so it gets the unit although Blaricum
        comes first by name. */
    split_member_t m[2] = {{"Blaricum", 1}, {"Weesp", 3}};
    split_share_t s[2];
    CHECK_INT(split_compute(m, 2, EUR(20), EUR(10), s, NULL), 0);
    CHECK_INT(s[0].contribution_cents, 0);
    CHECK_INT(s[1].contribution_cents, EUR(20));
}

TEST(a_single_municipality_pays_everything)
{
    split_member_t m[1] = {{"Hilversum", 87817}};
    split_share_t s[1];
    CHECK_INT(split_compute(m, 1, EUR(7000), EUR(10), s, NULL), 0);
    CHECK_INT(s[0].contribution_cents, EUR(7000));
    CHECK_INT(s[0].share_cents, EUR(7000));
    CHECK_INT(s[0].share_remainder, 0);
    CHECK_INT(s[0].percent_bp, 10000);
}

TEST(total_not_a_multiple_of_the_unit_is_refused)
{
    split_share_t s[8];
    sm_err_t err = {0};
    CHECK_INT(split_compute(GOOI, 8, 6000500, EUR(10), s, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "total");
    CHECK(strstr(err.message, "total EUR 60,005.00 is not a multiple of the unit EUR 10.00") ==
          err.message);
}

TEST(unit_larger_than_total_is_refused)
{
    split_share_t s[8];
    sm_err_t err = {0};
    CHECK_INT(split_compute(GOOI, 8, EUR(500), EUR(1000), s, &err), -1);
    CHECK_STR(err.field, "unit");
    CHECK(strstr(err.message, "unit EUR 1,000.00 is larger than the total EUR 500.00") != NULL);
}

TEST(zero_or_negative_total_or_unit_is_refused)
{
    split_share_t s[8];
    sm_err_t err = {0};
    CHECK_INT(split_compute(GOOI, 8, 0, EUR(10), s, &err), -1);
    CHECK_STR(err.field, "total");
    CHECK_INT(split_compute(GOOI, 8, -EUR(100), EUR(10), s, &err), -1);
    CHECK_STR(err.field, "total");
    CHECK_INT(split_compute(GOOI, 8, EUR(100), 0, s, &err), -1);
    CHECK_STR(err.field, "unit");
    CHECK_INT(split_compute(GOOI, 8, EUR(100), -EUR(10), s, &err), -1);
    CHECK_STR(err.field, "unit");
    CHECK_INT(split_compute(GOOI, 8, SM_MONEY_MAX + 1, 1, s, &err), -1);
    CHECK_STR(err.field, "total");
}

TEST(no_municipalities_is_refused)
{
    split_share_t s[1];
    sm_err_t err = {0};
    CHECK_INT(split_compute(GOOI, 0, EUR(100), EUR(10), s, &err), -1);
    CHECK_STR(err.field, "municipalities");
    CHECK_INT(split_compute(NULL, 3, EUR(100), EUR(10), s, &err), -1);
    CHECK_STR(err.field, "municipalities");
}

TEST(zero_or_negative_inhabitants_are_refused_naming_the_municipality)
{
    split_member_t m[3] = {{"Blaricum", 9616}, {"Laren", 0}, {"Weesp", 18571}};
    split_share_t s[3];
    sm_err_t err = {0};
    CHECK_INT(split_compute(m, 3, EUR(1000), EUR(10), s, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "inhabitants[Laren]");
    CHECK(strstr(err.message, "Laren has 0 inhabitants") == err.message);
    m[1].inhabitants = -5;
    CHECK_INT(split_compute(m, 3, EUR(1000), EUR(10), s, &err), -1);
    CHECK_STR(err.field, "inhabitants[Laren]");
    m[1].inhabitants = SPLIT_MAX_INHABITANTS + 1;
    CHECK_INT(split_compute(m, 3, EUR(1000), EUR(10), s, &err), -1);
    CHECK_STR(err.field, "inhabitants[Laren]");
}

TEST(a_municipality_given_twice_or_without_name_is_refused)
{
    split_member_t m[2] = {{"Laren", 10962}, {"Laren", 10962}};
    split_share_t s[2];
    sm_err_t err = {0};
    CHECK_INT(split_compute(m, 2, EUR(1000), EUR(10), s, &err), -1);
    CHECK_STR(err.field, "municipalities");
    CHECK(strstr(err.message, "Laren is given twice") != NULL);
    m[1].name = "";
    CHECK_INT(split_compute(m, 2, EUR(1000), EUR(10), s, &err), -1);
    CHECK_STR(err.field, "municipalities");
    m[1].name = NULL;
    CHECK_INT(split_compute(m, 2, EUR(1000), EUR(10), s, &err), -1);
}

TEST(largest_amounts_stay_exact)
{
    /*  The largest total accepted, split among huge populations: the
        128-bit products keep it exact. */
    split_member_t m[3] = {
        {"X", SPLIT_MAX_INHABITANTS}, {"Y", SPLIT_MAX_INHABITANTS - 1}, {"Z", 7}};
    split_share_t s[3];
    CHECK_INT(split_compute(m, 3, SM_MONEY_MAX, 1, s, NULL), 0);
    CHECK(s_sound(s, 3, SM_MONEY_MAX, 1));
}

int main(void)
{
    RUN(split_of_60000_at_1000_is_the_exact_table);
    RUN(hilversum_has_34_15_percent_of_the_inhabitants);
    RUN(split_at_10_euro_of_22500_is_the_exact_table);
    RUN(pilot_of_7000_at_10_euro_adds_up);
    RUN(split_adds_up_exactly_to_total_for_the_documented_totals);
    RUN(split_of_50000_at_1000_gives_the_small_ones_a_whole_unit);
    RUN(property_two_thousand_totals_add_up_and_stay_within_one_unit);
    RUN(property_random_populations_add_up_whatever_the_input_order);
    RUN(tie_on_remainder_and_inhabitants_goes_to_the_name_first_in_byte_order);
    RUN(tie_on_remainder_goes_to_more_inhabitants_before_name);
    RUN(a_single_municipality_pays_everything);
    RUN(total_not_a_multiple_of_the_unit_is_refused);
    RUN(unit_larger_than_total_is_refused);
    RUN(zero_or_negative_total_or_unit_is_refused);
    RUN(no_municipalities_is_refused);
    RUN(zero_or_negative_inhabitants_are_refused_naming_the_municipality);
    RUN(a_municipality_given_twice_or_without_name_is_refused);
    RUN(largest_amounts_stay_exact);
    return DONE();
}
