/*  tests/unit/scheduling/test_method.c - method codes and names. */
#include "services/scheduling/method.h"
#include "tests/unit/test.h"

/*  The method text resolves to, or -1 when refused. */
static int s_parse(const char *text)
{
    method_t m;
    sm_err_t err;
    sm_err_clear(&err);
    return method_parse(text, &m, "method", &err) == 0 ? (int)m : -1;
}

TEST(every_code_resolves_to_itself_in_upper_case)
{
    const char *codes[] = {"FG", "I", "SB", "E", "KB", "WB", "T", "C", "N"};
    for (int i = 0; i < METHOD_COUNT; i++) {
        CHECK_INT(s_parse(codes[i]), i);
        CHECK_STR(method_code((method_t)i), codes[i]);
    }
}

TEST(codes_are_case_insensitive)
{
    CHECK_INT(s_parse("fg"), METHOD_FG);
    CHECK_INT(s_parse("Sb"), METHOD_SB);
    CHECK_INT(s_parse("kB"), METHOD_KB);
    CHECK_INT(s_parse("wb"), METHOD_WB);
}

TEST(english_names_resolve)
{
    CHECK_INT(s_parse("focus group"), METHOD_FG);
    CHECK_INT(s_parse("Interviews"), METHOD_I);
    CHECK_INT(s_parse("interview"), METHOD_I);
    CHECK_INT(s_parse("mirror meeting"), METHOD_SB);
    CHECK_INT(s_parse("survey"), METHOD_E);
    CHECK_INT(s_parse("sounding-board group"), METHOD_KB);
    CHECK_INT(s_parse("sounding board group"), METHOD_KB);
    CHECK_INT(s_parse("work visit"), METHOD_WB);
    CHECK_INT(s_parse("test session"), METHOD_T);
    CHECK_INT(s_parse("cafe"), METHOD_C);
    CHECK_INT(s_parse("recurring meeting"), METHOD_C);
    CHECK_INT(s_parse("Network Meeting"), METHOD_N);
}

TEST(dutch_names_resolve_with_or_without_accents)
{
    CHECK_INT(s_parse("focusgroep"), METHOD_FG);
    CHECK_INT(s_parse("spiegelbijeenkomst"), METHOD_SB);
    CHECK_INT(s_parse("enquête"), METHOD_E);
    CHECK_INT(s_parse("ENQUÊTE"), METHOD_E);
    CHECK_INT(s_parse("enquete"), METHOD_E);
    CHECK_INT(s_parse("klankbordgroep"), METHOD_KB);
    CHECK_INT(s_parse("werkbezoek"), METHOD_WB);
    CHECK_INT(s_parse("café"), METHOD_C);
    CHECK_INT(s_parse("netwerkbijeenkomst"), METHOD_N);
}

TEST(names_are_shown_in_both_languages)
{
    CHECK_STR(method_name(METHOD_FG), "focus group");
    CHECK_STR(method_name_nl(METHOD_FG), "focusgroep");
    CHECK_STR(method_name(METHOD_KB), "sounding-board group");
    CHECK_STR(method_name_nl(METHOD_E), "enquête");
    CHECK_STR(method_code((method_t)99), "?");
    CHECK(!method_valid(-1));
    CHECK(!method_valid(METHOD_COUNT));
}

TEST(unknown_method_is_refused_listing_the_codes)
{
    method_t m = METHOD_N;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(method_parse("XY", &m, "method", &err), -1);
    CHECK_INT(m, METHOD_N);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "method");
    CHECK_STR(err.message,
              "method \"XY\" is not a known method; use one of FG (focus group), I (interviews), "
              "SB (mirror meeting), E (survey), KB (sounding-board group), WB (work visit), T "
              "(test session), C (café) or N (network meeting)");
}

TEST(empty_or_missing_method_is_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    method_t m;
    CHECK_INT(method_parse("", &m, "method", &err), -1);
    CHECK_STR(err.message,
              "method is missing; give a method code: FG, I, SB, E, KB, WB, T, C or N");
    CHECK_INT(method_parse(NULL, &m, "method", &err), -1);
    CHECK_INT(s_parse("   "), -1);
    CHECK_INT(s_parse("-"), -1);
}

TEST(refusal_never_echoes_control_bytes_or_long_input)
{
    sm_err_t err;
    sm_err_clear(&err);
    method_t m;
    CHECK_INT(method_parse("a\x01\xff", &m, "method", &err), -1);
    CHECK(strstr(err.message, "\"a??\"") != NULL);
    char long_text[300];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    CHECK_INT(method_parse(long_text, &m, "method", &err), -1);
    CHECK(strstr(err.message, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"") != NULL);
}

int main(void)
{
    RUN(every_code_resolves_to_itself_in_upper_case);
    RUN(codes_are_case_insensitive);
    RUN(english_names_resolve);
    RUN(dutch_names_resolve_with_or_without_accents);
    RUN(names_are_shown_in_both_languages);
    RUN(unknown_method_is_refused_listing_the_codes);
    RUN(empty_or_missing_method_is_refused);
    RUN(refusal_never_echoes_control_bytes_or_long_input);
    return DONE();
}
