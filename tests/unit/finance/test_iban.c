/*  tests/unit/finance/test_iban.c - IBANs are checked, and never repeated. */
#include "services/finance/iban.h"
#include "tests/unit/test.h"

/*  True when the full number does not appear in the message. */
static int s_not_echoed(const char *message, const char *iban)
{
    return strstr(message, iban) == NULL;
}

TEST(known_valid_ibans_pass)
{
    static const char *valid[] = {
        "NL91ABNA0417164300", "DE89370400440532013000",      "GB82WEST12345698765432",
        "BE68539007547034",   "FR1420041010050500013M02606", "NO9386011117947",
    };
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        char out[IBAN_SIZE];
        sm_err_t err = {0};
        CHECK_INT(iban_validate(valid[i], out, &err), 0);
        CHECK_STR(out, valid[i]);
        CHECK(!sm_err_is_set(&err));
    }
}

TEST(ibans_as_people_type_them_are_normalised)
{
    char out[IBAN_SIZE];
    CHECK_INT(iban_validate("nl91 abna 0417 1643 00", out, NULL), 0);
    CHECK_STR(out, "NL91ABNA0417164300");
    CHECK_INT(iban_validate("  DE89 3704 0044 0532 0130 00\t", out, NULL), 0);
    CHECK_STR(out, "DE89370400440532013000");
    CHECK_INT(iban_normalise("gb82 West 1234", out, NULL), 0);
    CHECK_STR(out, "GB82WEST1234");
}

TEST(a_single_wrong_digit_fails_the_check_digits_without_echoing_the_number)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("NL91ABNA0417164301", out, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "iban");
    CHECK_STR(err.message, "IBAN NL.. ..4301 fails its check digits; check for a typing error");
    CHECK(s_not_echoed(err.message, "NL91ABNA0417164301"));
    CHECK(s_not_echoed(err.message, "0417164301"));
}

TEST(every_single_digit_change_is_caught)
{
    const char *good = "DE89370400440532013000";
    int missed = 0;
    for (size_t i = 2; good[i]; i++) {
        for (char d = '0'; d <= '9'; d++) {
            char t[IBAN_SIZE];
            strcpy(t, good);
            if (t[i] == d)
                continue;
            t[i] = d;
            if (iban_validate(t, t, NULL) == 0)
                missed++;
        }
    }
    CHECK_INT(missed, 0);
}

TEST(a_swap_of_two_neighbours_is_caught)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("NL91ABNA0417163400", out, &err), -1); /*  ..4300 -> ..3400 */
    CHECK_STR(err.message, "IBAN NL.. ..3400 fails its check digits; check for a typing error");
    const char *good = "GB82WEST12345698765432";
    int missed = 0;
    for (size_t i = 4; good[i + 1]; i++) {
        char t[IBAN_SIZE];
        strcpy(t, good);
        if (t[i] == t[i + 1])
            continue;
        char c = t[i];
        t[i] = t[i + 1];
        t[i + 1] = c;
        if (iban_validate(t, t, NULL) == 0)
            missed++;
    }
    CHECK_INT(missed, 0);
}

TEST(wrong_check_digits_are_refused)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("NL19ABNA0417164300", out, &err), -1);
    CHECK(strstr(err.message, "fails its check digits") != NULL);
}

TEST(check_digits_00_01_and_99_are_refused_even_when_the_sum_agrees)
{
    /*  These pass mod 97 but carry check digits that are never issued. */
    CHECK(!iban_checksum_ok("NL00ABNA1000000041"));
    CHECK(!iban_checksum_ok("NL99ABNA1000000005"));
    char out[IBAN_SIZE];
    CHECK_INT(iban_validate("NL00ABNA1000000041", out, NULL), -1);
    CHECK(iban_checksum_ok("NL91ABNA0417164300"));
}

TEST(wrong_length_for_the_country_is_refused)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("NL91ABNA041716430", out, &err), -1);
    CHECK_STR(err.message, "IBAN NL.. ..6430 has 17 characters; an IBAN from NL has 18; check "
                           "for a missing or extra character");
    CHECK_INT(iban_validate("BE685390075470340", out, &err), -1);
    CHECK(strstr(err.message, "an IBAN from BE has 16") != NULL);
    CHECK_INT(iban_validate("DE8937040044053201300", out, &err), -1);
    CHECK(strstr(err.message, "an IBAN from DE has 22") != NULL);
    CHECK_INT(iban_validate("FR1420041010050500013M0260", out, &err), -1);
    CHECK(strstr(err.message, "an IBAN from FR has 27") != NULL);
    CHECK_INT(iban_validate("GB82WEST123456987654321", out, &err), -1);
    CHECK(strstr(err.message, "an IBAN from GB has 22") != NULL);
}

TEST(unknown_countries_take_15_to_34_characters)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_country_length("XX"), 0);
    CHECK_INT(iban_country_length("NL"), 18);
    CHECK_INT(iban_validate("XX12345678901", out, &err), -1);
    CHECK_STR(err.message, "IBAN XX.. ..8901 has 13 characters; an IBAN has 15 to 34");
}

TEST(dutch_iban_must_have_a_four_letter_bank_code_and_ten_digits)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("NL91AB1A0417164300", out, &err), -1);
    CHECK(strstr(err.message, "does not have the Dutch form") != NULL);
    CHECK_INT(iban_validate("NL91ABNA04171643X0", out, &err), -1);
    CHECK(strstr(err.message, "does not have the Dutch form") != NULL);
}

TEST(country_code_must_be_two_letters_and_check_digits_digits)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("1291ABNA0417164300", out, &err), -1);
    CHECK_STR(err.message, "an IBAN starts with a two-letter country code, e.g. NL; check the "
                           "start of the number");
    CHECK(s_not_echoed(err.message, "0417164300"));
    CHECK_INT(iban_validate("NLA1ABNA0417164300", out, &err), -1);
    CHECK(strstr(err.message, "IBAN NL.. ..4300: the two characters after the country code") ==
          err.message);
    CHECK_INT(iban_validate("N", out, &err), -1);
    CHECK_INT(iban_validate("NL9", out, &err), -1);
}

TEST(other_characters_empty_and_overlong_input_are_refused_without_echo)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("NL91-ABNA-0417-1643-00", out, &err), -1);
    CHECK_STR(err.field, "iban");
    CHECK_STR(err.message, "an IBAN holds only letters, digits and spaces; remove any other "
                           "character");
    CHECK_INT(iban_validate("   ", out, &err), -1);
    CHECK(strstr(err.message, "IBAN is empty") == err.message);
    CHECK_INT(iban_validate(NULL, out, &err), -1);
    CHECK_INT(iban_validate("NL91ABNA0417164300NL91ABNA0417164300", out, &err), -1);
    CHECK_STR(err.message, "IBAN has 36 characters; an IBAN has at most 34");
    CHECK_INT(iban_validate("NL91ABNA0417164300\xc3\xa9", out, &err), -1);
    CHECK(s_not_echoed(err.message, "0417164300"));
}

TEST(short_numbers_show_only_the_country_code)
{
    char out[IBAN_SIZE];
    sm_err_t err = {0};
    CHECK_INT(iban_validate("NL91ABNA04", out, &err), -1);
    CHECK_STR(err.message, "IBAN NL.. has 10 characters; an IBAN from NL has 18; check for a "
                           "missing or extra character");
}

TEST(mask_shows_country_and_last_four_only)
{
    char buf[IBAN_MASK_SIZE];
    CHECK_STR(iban_mask("NL91ABNA0417164300", buf), "NL** **** **** **** 4300");
    CHECK_STR(iban_mask("DE89370400440532013000", buf), "DE** **** **** **** **** 3000");
    CHECK_STR(iban_mask("BE68539007547034", buf), "BE** **** **** 7034");
    CHECK_STR(iban_mask("FR1420041010050500013M02606", buf), "FR** **** **** **** **** **** 2606");
    CHECK_STR(iban_mask("NO9386011117947", buf), "NO** **** **** 7947");
    CHECK_STR(iban_mask("NL91AB", buf), "NL** ****");
    CHECK_STR(iban_mask("", buf), "**** ****");
    char longest[IBAN_MAX_LEN + 1];
    memset(longest, '7', IBAN_MAX_LEN);
    memcpy(longest, "LC", 2);
    longest[IBAN_MAX_LEN] = '\0';
    CHECK_STR(iban_mask(longest, buf), "LC** **** **** **** **** **** **** **** 7777");
}

int main(void)
{
    RUN(known_valid_ibans_pass);
    RUN(ibans_as_people_type_them_are_normalised);
    RUN(a_single_wrong_digit_fails_the_check_digits_without_echoing_the_number);
    RUN(every_single_digit_change_is_caught);
    RUN(a_swap_of_two_neighbours_is_caught);
    RUN(wrong_check_digits_are_refused);
    RUN(check_digits_00_01_and_99_are_refused_even_when_the_sum_agrees);
    RUN(wrong_length_for_the_country_is_refused);
    RUN(unknown_countries_take_15_to_34_characters);
    RUN(dutch_iban_must_have_a_four_letter_bank_code_and_ten_digits);
    RUN(country_code_must_be_two_letters_and_check_digits_digits);
    RUN(other_characters_empty_and_overlong_input_are_refused_without_echo);
    RUN(short_numbers_show_only_the_country_code);
    RUN(mask_shows_country_and_last_four_only);
    return DONE();
}
