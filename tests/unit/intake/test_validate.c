/*  tests/unit/intake/test_validate.c - the participant rules. */
#include "services/intake/validate.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  A minimal valid participant: a name and consent. */
static participant_input_t s_input(const char *name)
{
    participant_input_t in;
    memset(&in, 0, sizeof in);
    in.name = name;
    in.consent = true;
    return in;
}

TEST(minimal_participant_is_a_name_with_consent)
{
    participant_input_t in = s_input("  Fatima el Amrani ");
    participant_t p;
    sm_err_t err = {0};
    CHECK_INT(participant_normalise(&in, 2026, &p, &err), 0);
    CHECK_STR(p.name, "Fatima el Amrani");
    CHECK_STR(p.email, "");
    CHECK_STR(p.phone, "");
    CHECK_STR(p.postal_code, "");
    CHECK_INT(p.birth_year, 0);
    CHECK_INT(p.labels, 0);
    CHECK_INT(p.status, PARTICIPANT_ACTIVE);
    CHECK(p.consent);
    CHECK(!sm_err_is_set(&err));
    CHECK_INT(participant_validate(&in, 2026, &err), 0);
}

TEST(full_participant_is_normalised)
{
    participant_input_t in = s_input("José Müller-Öztürk");
    in.email = " Jose.Muller@Example.NL ";
    in.phone = "06 1234 5678";
    in.postal_code = "1234 ab";
    in.municipality = " Hilversum ";
    in.birth_year = 1999;
    strcpy(in.labels[0], "resident");
    strcpy(in.labels[1], "Foster parent");
    strcpy(in.labels[2], "trained-experience-expert");
    in.labels_count = 3;
    strcpy(in.target_groups[0], " Statushouders ");
    strcpy(in.target_groups[1], "statushouders");
    strcpy(in.target_groups[2], "Low literacy");
    in.target_groups_count = 3;
    strcpy(in.experience_themes[0], "Wmo-taxi");
    in.experience_themes_count = 1;
    in.channel = "O3";
    strcpy(in.accessibility[0], "wheelchair");
    strcpy(in.accessibility[1], "EASY_LANGUAGE");
    in.accessibility_count = 2;
    in.status = "paused";
    participant_t p;
    sm_err_t err = {0};
    CHECK_INT(participant_normalise(&in, 2026, &p, &err), 0);
    CHECK_STR(p.name, "José Müller-Öztürk");
    CHECK_STR(p.email, "Jose.Muller@example.nl");
    CHECK_STR(p.phone, "+31612345678");
    CHECK_STR(p.postal_code, "1234AB");
    CHECK_STR(p.municipality, "Hilversum");
    CHECK_INT(p.birth_year, 1999);
    CHECK_INT(p.labels, PARTICIPANT_LABEL_RESIDENT | PARTICIPANT_LABEL_FOSTER_PARENT |
                            PARTICIPANT_LABEL_TRAINED_EXPERIENCE_EXPERT);
    CHECK_INT(p.target_groups_count, 2);
    CHECK_STR(p.target_groups[0], "statushouders");
    CHECK_STR(p.target_groups[1], "low literacy");
    CHECK_INT(p.experience_themes_count, 1);
    CHECK_STR(p.experience_themes[0], "wmo-taxi");
    CHECK_STR(p.channel, "O3");
    CHECK_INT(p.accessibility, PARTICIPANT_NEED_WHEELCHAIR | PARTICIPANT_NEED_EASY_LANGUAGE);
    CHECK_INT(p.status, PARTICIPANT_PAUSED);
}

/* ==== name ================================================================ */

TEST(missing_name_is_refused)
{
    participant_input_t in = s_input(NULL);
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "name");
    CHECK_STR(err.message, "name is required: give the participant's name, 1 to 200 characters");
}

TEST(empty_and_blank_names_are_refused)
{
    sm_err_t err = {0};
    participant_input_t in = s_input("");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "name");
    sm_err_clear(&err);
    in = s_input(" \t ");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "name");
}

TEST(name_of_200_characters_is_accepted_and_201_refused)
{
    //  Counted in characters, not bytes: "é" is two bytes.
    char name[202 * 2 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(name, "é");
    participant_input_t in = s_input(name);
    participant_t p;
    sm_err_t err = {0};
    CHECK_INT(participant_normalise(&in, 2026, &p, &err), 0);
    CHECK_INT(strlen(p.name), 400);
    strcat(name, "é");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "name");
    CHECK_STR(err.message, "name is 201 characters long; give at most 200 characters");
}

TEST(name_of_100_kb_is_refused)
{
    size_t n = 100 * 1024;
    char *name = malloc(n + 1);
    memset(name, 'a', n);
    name[n] = '\0';
    participant_input_t in = s_input(name);
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "name");
    CHECK_STR(err.message, "name is 102400 characters long; give at most 200 characters");
    free(name);
}

TEST(name_in_invalid_utf8_is_refused)
{
    const char *bad[] = {
        "Jan \xff Jansen",     /*  never valid */
        "Jan \xc3",            /*  truncated */
        "Jan \xc0\xaf",        /*  overlong "/" */
        "Jan \xed\xa0\x80",    /*  a surrogate */
        "Jan \xf4\x90\x80\x80" /*  above U+10FFFF */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        participant_input_t in = s_input(bad[i]);
        sm_err_t err = {0};
        CHECK_INT(participant_validate(&in, 2026, &err), -1);
        CHECK_STR(err.field, "name");
        CHECK_STR(err.message, "name is not valid UTF-8; send it as UTF-8 text of 1 to 200 "
                               "characters");
    }
}

TEST(name_with_control_characters_is_refused)
{
    sm_err_t err = {0};
    participant_input_t in = s_input("Jan\tJansen");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "name");
    CHECK_STR(err.message, "name contains a control character (U+0009) at character 4; give it "
                           "on one line, without tabs or other control characters");
    in = s_input("Jan\nJansen");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    in = s_input("Jan\xc2\x85Jansen"); /*  U+0085, a C1 control */
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK(strstr(err.message, "U+0085") != NULL);
    in = s_input("Jan\xe2\x80\xaeJansen"); /*  U+202E, right-to-left override */
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK(strstr(err.message, "U+202E") != NULL);
    in = s_input("Jan\x7fJansen");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
}

TEST(names_in_other_scripts_are_accepted)
{
    participant_input_t in = s_input("محمد الحسن");
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), 0);
    in = s_input("Łukasz Wójcik");
    CHECK_INT(participant_validate(&in, 2026, &err), 0);
}

/* ==== e-mail ============================================================== */

TEST(email_is_trimmed_and_its_domain_lower_cased)
{
    char out[PARTICIPANT_EMAIL_SIZE];
    sm_err_t err = {0};
    CHECK_INT(validate_email("  Anna.de.Vries+samen@Gemeente.Example.NL\t", "email", out,
                             sizeof out, &err),
              0);
    CHECK_STR(out, "Anna.de.Vries+samen@gemeente.example.nl");
    CHECK_INT(validate_email("a@b.nl", "email", out, sizeof out, &err), 0);
    CHECK_STR(out, "a@b.nl");
    CHECK_INT(validate_email("x@m\xc3\xbcnchen.de", "email", out, sizeof out, &err), -1);
    CHECK_INT(validate_email("x@xn--mnchen-3ya.de", "email", out, sizeof out, &err), 0);
    CHECK_INT(validate_email("x@example.xn--p1ai", "email", out, sizeof out, &err), 0);
}

TEST(email_shapes_that_are_refused_say_what_is_accepted)
{
    struct {
        const char *text, *message;
    } cases[] = {
        {"jan@@example.nl", "email must contain exactly one @; give an address like "
                            "name@example.nl"},
        {"jan.example.nl", "email must contain exactly one @; give an address like "
                           "name@example.nl"},
        {"jan jansen@example.nl", "email must not contain spaces or control characters; give "
                                  "an address like name@example.nl"},
        {"jan@localhost", "email must have a domain with a dot after the @, like example.nl; "
                          "give an address like name@example.nl"},
        {"@example.nl", "email must have 1 to 64 characters before the @; give an address like "
                        "name@example.nl"},
        {".jan@example.nl", "email must not start or end with a dot before the @, nor have two "
                            "dots in a row; give an address like name@example.nl"},
        {"jan..jansen@example.nl", "email must not start or end with a dot before the @, nor "
                                   "have two dots in a row; give an address like "
                                   "name@example.nl"},
        {"jan@-example.nl", "email has a domain that is not valid: use parts of letters, digits "
                            "and hyphens separated by dots, like mail.example.nl"},
        {"jan@example..nl", "email has a domain that is not valid: use parts of letters, digits "
                            "and hyphens separated by dots, like mail.example.nl"},
        {"jan@example.nl.", "email has a domain that is not valid: use parts of letters, digits "
                            "and hyphens separated by dots, like mail.example.nl"},
        {"jan@example.n1", "email must end in a domain name of letters, like .nl or .com; give "
                           "an address like name@example.nl"},
        {"jan(x)@example.nl", "email has a character before the @ that is not allowed there; use "
                              "letters, digits and .!#$%&'*+/=?^_`{|}~-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[PARTICIPANT_EMAIL_SIZE];
        sm_err_t err = {0};
        CHECK_INT(validate_email(cases[i].text, "email", out, sizeof out, &err), -1);
        CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
        CHECK_STR(err.field, "email");
        CHECK_STR(err.message, cases[i].message);
    }
}

TEST(email_of_254_characters_is_accepted_and_255_refused)
{
    //  64 + "@" + 63 + "." + 63 + "." + 61 = 254
    char email[300];
    memset(email, 'a', 64);
    email[64] = '@';
    memset(email + 65, 'b', 63);
    email[128] = '.';
    memset(email + 129, 'c', 63);
    email[192] = '.';
    memset(email + 193, 'd', 61);
    email[254] = '\0';
    char out[PARTICIPANT_EMAIL_SIZE];
    sm_err_t err = {0};
    CHECK_INT(strlen(email), 254);
    CHECK_INT(validate_email(email, "email", out, sizeof out, &err), 0);
    strcat(email, "d");
    CHECK_INT(validate_email(email, "email", out, sizeof out, &err), -1);
    CHECK_STR(err.message, "email is longer than 254 characters; give an address like "
                           "name@example.nl");
}

TEST(refusals_never_repeat_the_personal_value)
{
    participant_input_t in = s_input("Anna");
    in.email = "anna.geheim@@example.nl";
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK(strstr(err.message, "geheim") == NULL);
    in.email = NULL;
    in.phone = "06 9876 543";
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK(strstr(err.message, "9876") == NULL);
    in.phone = NULL;
    in.postal_code = "9876 SS";
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK(strstr(err.message, "9876") == NULL);
}

/* ==== phone =============================================================== */

TEST(dutch_and_international_numbers_become_e164)
{
    struct {
        const char *text, *e164;
    } cases[] = {
        {"06 1234 5678", "+31612345678"},         {"06-12345678", "+31612345678"},
        {"+31 6 12345678", "+31612345678"},       {"0031612345678", "+31612345678"},
        {"020-1234567", "+31201234567"},          {"(020) 123 45 67", "+31201234567"},
        {"+31 (0)6 1234 5678", "+31612345678"},   {"+31 06 12345678", "+31612345678"},
        {"0031 (0)20 123 4567", "+31201234567"},  {"035.123.45.67", "+31351234567"},
        {"+32 2 123 45 67", "+3221234567"},       {"0032 470 12 34 56", "+32470123456"},
        {"+1 415 555 0100", "+14155550100"},      {" 0612345678 ", "+31612345678"},
        {"+44 (0)20 7946 0958", "+442079460958"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[PARTICIPANT_PHONE_SIZE];
        sm_err_t err = {0};
        CHECK_INT(validate_phone(cases[i].text, "phone", out, sizeof out, &err), 0);
        CHECK_STR(out, cases[i].e164);
    }
}

TEST(phone_numbers_that_are_refused_say_what_is_accepted)
{
    struct {
        const char *text, *message;
    } cases[] = {
        {"06 1234 567", "phone: a Dutch number has 10 digits, like 06 1234 5678 or 020 123 4567; "
                        "this one has 9"},
        {"020 1234 56789", "phone: a Dutch number has 10 digits, like 06 1234 5678 or 020 123 "
                           "4567; this one has 12"},
        {"+31 6 1234", "phone: a Dutch number has 9 digits after +31, like +31 6 1234 5678; this "
                       "one has 5"},
        {"+32 2 12", "phone: an international number has 8 to 15 digits including the country "
                     "code; this one has 5"},
        {"+0 123 456 789", "phone: after + or 00 comes a country code, which does not start with "
                           "0; give a number like 06 1234 5678, 020-123 4567 or +32 2 123 45 67"},
        {"6 1234 5678", "phone must start with 0 (a Dutch number like 06 1234 5678) or with + or "
                        "00 and a country code (like +32 2 123 45 67)"},
        {"06-1234-ABCD", "phone may only contain digits, spaces, dashes, dots, slashes, "
                         "parentheses and a leading +; give a number like 06 1234 5678, "
                         "020-123 4567 or +32 2 123 45 67"},
        {"06+12345678", "phone may only contain digits, spaces, dashes, dots, slashes, "
                        "parentheses and a leading +; give a number like 06 1234 5678, 020-123 "
                        "4567 or +32 2 123 45 67"},
        {"+1234567890123456", "phone: an international number has 8 to 15 digits including the "
                              "country code; this one has 16"},
        {"--", "phone has no digits; give a number like 06 1234 5678, 020-123 4567 or +32 2 123 "
               "45 67"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[PARTICIPANT_PHONE_SIZE];
        sm_err_t err = {0};
        CHECK_INT(validate_phone(cases[i].text, "phone", out, sizeof out, &err), -1);
        CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
        CHECK_STR(err.field, "phone");
        CHECK_STR(err.message, cases[i].message);
    }
}

/* ==== postal code ========================================================= */

TEST(dutch_postal_codes_are_normalised)
{
    const char *ok[] = {"1234 AB", "1234AB", "1234ab", " 1234 aB "};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char out[PARTICIPANT_POSTAL_CODE_SIZE];
        sm_err_t err = {0};
        CHECK_INT(validate_postal_code(ok[i], "postal_code", out, sizeof out, &err), 0);
        CHECK_STR(out, "1234AB");
    }
}

TEST(postal_codes_that_are_refused_say_what_is_accepted)
{
    const char *shape = "postal_code must be a Dutch postal code: four digits (the first not 0) "
                        "and two letters, like 1234 AB";
    const char *sss = "postal_code: the letters SA, SD and SS are not used in Dutch postal codes; "
                      "give four digits and two letters, like 1234 AB";
    struct {
        const char *text, *message;
    } cases[] = {
        {"0123 AB", shape}, {"123 AB", shape}, {"1234  AB", shape}, {"1234-AB", shape},
        {"12345A", shape},  {"1234 A", shape}, {"1234 ABC", shape}, {"1234 A1", shape},
        {"1234 SA", sss},   {"1234 sd", sss},  {"1234SS", sss},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[PARTICIPANT_POSTAL_CODE_SIZE];
        sm_err_t err = {0};
        CHECK_INT(validate_postal_code(cases[i].text, "postal_code", out, sizeof out, &err), -1);
        CHECK_STR(err.field, "postal_code");
        CHECK_STR(err.message, cases[i].message);
    }
    char out[PARTICIPANT_POSTAL_CODE_SIZE];
    sm_err_t err = {0};
    CHECK_INT(validate_postal_code("1234 SB", "postal_code", out, sizeof out, &err), 0);
    CHECK_STR(out, "1234SB");
}

/* ==== birth year, labels, lists, status, consent ========================== */

TEST(birth_year_in_the_future_is_refused)
{
    participant_input_t in = s_input("Anna");
    in.birth_year = 2031;
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "birth_year");
    CHECK_STR(err.message, "birth_year 2031 is in the future; give a year from 1900 to 2026");
    in.birth_year = 1899;
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.message, "birth_year 1899 is before 1900; give a year from 1900 to 2026");
    in.birth_year = 1900;
    CHECK_INT(participant_validate(&in, 2026, &err), 0);
    in.birth_year = 2026;
    CHECK_INT(participant_validate(&in, 2026, &err), 0);
}

TEST(unknown_label_is_refused_listing_the_accepted_ones)
{
    participant_input_t in = s_input("Anna");
    strcpy(in.labels[0], "parent");
    strcpy(in.labels[1], "volunteer");
    in.labels_count = 2;
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "labels");
    CHECK_STR(err.message, "labels: \"volunteer\" is not a known label; use any of resident, "
                           "client, parent, youth, foster_parent, experience_expert, "
                           "trained_experience_expert, carer, professional");
    //  An unprintable value is not echoed back.
    strcpy(in.labels[1], "vol\x01");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.message, "labels item 2 is not a known label; use any of resident, client, "
                           "parent, youth, foster_parent, experience_expert, "
                           "trained_experience_expert, carer, professional");
}

TEST(unknown_accessibility_need_is_refused_listing_the_accepted_ones)
{
    participant_input_t in = s_input("Anna");
    strcpy(in.accessibility[0], "guide dog");
    in.accessibility_count = 1;
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "accessibility");
    CHECK_STR(err.message, "accessibility: \"guide dog\" is not a known accessibility need; use "
                           "any of transport, interpreter, easy_language, wheelchair, "
                           "hearing_loop, sign_language");
}

TEST(every_label_and_need_has_a_name)
{
    CHECK_STR(participant_label_name(0), "resident");
    CHECK_STR(participant_label_name(8), "professional");
    CHECK(participant_label_name(9) == NULL);
    CHECK(participant_label_name(-1) == NULL);
    CHECK_STR(participant_need_name(5), "sign_language");
    CHECK(participant_need_name(6) == NULL);
    CHECK_STR(participant_status_name(PARTICIPANT_WITHDRAWN), "withdrawn");
}

TEST(open_lists_refuse_too_many_or_bad_items)
{
    participant_input_t in = s_input("Anna");
    in.target_groups_count = 17;
    for (int i = 0; i < 16; i++)
        sprintf(in.target_groups[i], "group %d", i);
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "target_groups");
    CHECK_STR(err.message, "target_groups has 17 items; give at most 16");
    in.target_groups_count = 2;
    strcpy(in.target_groups[1], "  ");
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.message, "target_groups item 2 is empty; give 1 to 64 characters");
    in.target_groups_count = 1;
    strcpy(in.experience_themes[0], "dyslexie\r\n");
    strcpy(in.experience_themes[1], "dys\blexie");
    in.experience_themes_count = 2;
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "experience_themes");
    CHECK_STR(err.message, "experience_themes item 2 contains a control character (U+0008) at "
                           "character 4; give it on one line, without tabs or other control "
                           "characters");
}

TEST(consent_is_required_unless_withdrawn)
{
    participant_input_t in = s_input("Anna");
    in.consent = false;
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "consent");
    CHECK_STR(err.message, "consent must be true: the address file only holds people who agreed "
                           "to be in it (record their consent first)");
    in.status = "withdrawn";
    participant_t p;
    CHECK_INT(participant_normalise(&in, 2026, &p, &err), 0);
    CHECK_INT(p.status, PARTICIPANT_WITHDRAWN);
    CHECK(!p.consent);
}

TEST(unknown_status_is_refused)
{
    participant_input_t in = s_input("Anna");
    in.status = "deleted";
    sm_err_t err = {0};
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "status");
    CHECK_STR(err.message, "status \"deleted\" is not known; use active, paused or withdrawn");
}

TEST(optional_fields_refuse_with_their_own_field_name)
{
    participant_input_t in = s_input("Anna");
    sm_err_t err = {0};
    in.municipality = "Hilver\x01sum";
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "municipality");
    in.municipality = NULL;
    in.channel = "\xff";
    CHECK_INT(participant_validate(&in, 2026, &err), -1);
    CHECK_STR(err.field, "channel");
    in.channel = "   ";
    CHECK_INT(participant_validate(&in, 2026, &err), 0); /*  blank is "not given" */
}

/* ==== age bands =========================================================== */

TEST(age_bands_at_their_boundaries)
{
    CHECK_STR(participant_age_band(2003, 2020), "<18");
    CHECK_STR(participant_age_band(2020, 2020), "<18");
    CHECK_STR(participant_age_band(2002, 2020), "18-26");
    CHECK_STR(participant_age_band(1994, 2020), "18-26");
    CHECK_STR(participant_age_band(1993, 2020), "27-40");
    CHECK_STR(participant_age_band(1980, 2020), "27-40");
    CHECK_STR(participant_age_band(1979, 2020), "41-65");
    CHECK_STR(participant_age_band(1955, 2020), "41-65");
    CHECK_STR(participant_age_band(1954, 2020), "66+");
    CHECK_STR(participant_age_band(1900, 2020), "66+");
    CHECK_STR(participant_age_band(0, 2020), "unknown");
    CHECK_STR(participant_age_band(2021, 2020), "unknown");
}

TEST(youth_means_under_27)
{
    CHECK(participant_is_youth(1994, 2020));
    CHECK(participant_is_youth(2010, 2020));
    CHECK(!participant_is_youth(1993, 2020));
    CHECK(!participant_is_youth(0, 2020));
}

int main(void)
{
    RUN(minimal_participant_is_a_name_with_consent);
    RUN(full_participant_is_normalised);
    RUN(missing_name_is_refused);
    RUN(empty_and_blank_names_are_refused);
    RUN(name_of_200_characters_is_accepted_and_201_refused);
    RUN(name_of_100_kb_is_refused);
    RUN(name_in_invalid_utf8_is_refused);
    RUN(name_with_control_characters_is_refused);
    RUN(names_in_other_scripts_are_accepted);
    RUN(email_is_trimmed_and_its_domain_lower_cased);
    RUN(email_shapes_that_are_refused_say_what_is_accepted);
    RUN(email_of_254_characters_is_accepted_and_255_refused);
    RUN(refusals_never_repeat_the_personal_value);
    RUN(dutch_and_international_numbers_become_e164);
    RUN(phone_numbers_that_are_refused_say_what_is_accepted);
    RUN(dutch_postal_codes_are_normalised);
    RUN(postal_codes_that_are_refused_say_what_is_accepted);
    RUN(birth_year_in_the_future_is_refused);
    RUN(unknown_label_is_refused_listing_the_accepted_ones);
    RUN(unknown_accessibility_need_is_refused_listing_the_accepted_ones);
    RUN(every_label_and_need_has_a_name);
    RUN(open_lists_refuse_too_many_or_bad_items);
    RUN(consent_is_required_unless_withdrawn);
    RUN(unknown_status_is_refused);
    RUN(optional_fields_refuse_with_their_own_field_name);
    RUN(age_bands_at_their_boundaries);
    RUN(youth_means_under_27);
    return DONE();
}
