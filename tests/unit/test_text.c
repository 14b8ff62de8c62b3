/*  tests/unit/test_text.c - UTF-8 checks, code point counts, lower-casing,
    trimming and excerpts of untrusted text. */
#include "common/text.h"
#include "test.h"

/*  Each row: bytes, their length (explicit, so that NUL can be tested),
    whether they are well-formed UTF-8 without NUL. */
typedef struct {
    const char *bytes;
    size_t len;
    bool valid;
    const char *why;
} utf8_case_t;

static const utf8_case_t s_utf8_cases[] = {
    {"", 0, true, "empty"},
    {"Hilversum", 9, true, "ASCII"},
    {"caf\xC3\xA9", 5, true, "2-byte e-acute"},
    {"\xE2\x82\xAC 15", 6, true, "3-byte euro sign"},
    {"\xF0\x9F\x98\x80", 4, true, "4-byte emoji"},
    {"\xC2\x80", 2, true, "U+0080, smallest 2-byte"},
    {"\xDF\xBF", 2, true, "U+07FF, largest 2-byte"},
    {"\xE0\xA0\x80", 3, true, "U+0800, smallest 3-byte"},
    {"\xED\x9F\xBF", 3, true, "U+D7FF, just below the surrogates"},
    {"\xEE\x80\x80", 3, true, "U+E000, just above the surrogates"},
    {"\xEF\xBF\xBF", 3, true, "U+FFFF"},
    {"\xF0\x90\x80\x80", 4, true, "U+10000, smallest 4-byte"},
    {"\xF4\x8F\xBF\xBF", 4, true, "U+10FFFF, the last code point"},
    {"a\0b", 3, false, "NUL byte"},
    {"\x80", 1, false, "lone continuation byte"},
    {"\xBF", 1, false, "lone continuation byte BF"},
    {"\xC0\xAF", 2, false, "overlong '/' (C0)"},
    {"\xC1\xBF", 2, false, "overlong (C1)"},
    {"\xE0\x80\xAF", 3, false, "overlong 3-byte '/'"},
    {"\xE0\x9F\xBF", 3, false, "overlong 3-byte U+07FF"},
    {"\xF0\x80\x80\xAF", 4, false, "overlong 4-byte '/'"},
    {"\xF0\x8F\xBF\xBF", 4, false, "overlong 4-byte U+FFFF"},
    {"\xED\xA0\x80", 3, false, "surrogate U+D800"},
    {"\xED\xBF\xBF", 3, false, "surrogate U+DFFF"},
    {"\xED\xA0\xBD\xED\xB8\x80", 6, false, "CESU-8 surrogate pair"},
    {"\xF4\x90\x80\x80", 4, false, "U+110000, beyond Unicode"},
    {"\xF5\x80\x80\x80", 4, false, "F5 lead byte"},
    {"\xFF", 1, false, "FF byte"},
    {"\xFE", 1, false, "FE byte"},
    {"\xC3", 1, false, "truncated 2-byte"},
    {"caf\xC3", 4, false, "truncated 2-byte at end"},
    {"\xE2\x82", 2, false, "truncated 3-byte"},
    {"\xF0\x9F\x98", 3, false, "truncated 4-byte"},
    {"\xE2\x28\xA1", 3, false, "bad second byte"},
    {"\xE2\x82\x28", 3, false, "bad third byte"},
    {"\xF0\x9F\x98\x28", 4, false, "bad fourth byte"},
    {"\xC3\xA9\xC3", 3, false, "valid then truncated"},
};

TEST(utf8_validity_follows_the_unicode_table_of_well_formed_sequences)
{
    for (size_t i = 0; i < sizeof s_utf8_cases / sizeof s_utf8_cases[0]; i++) {
        const utf8_case_t *c = &s_utf8_cases[i];
        if (sm_utf8_valid(c->bytes, c->len) != c->valid) {
            printf("  case %zu (%s): expected %s\n", i, c->why, c->valid ? "valid" : "invalid");
            CHECK(sm_utf8_valid(c->bytes, c->len) == c->valid);
        }
    }
}

TEST(utf8_validity_looks_only_at_the_given_length)
{
    /*  The truncated euro sign lies beyond len, so it is not looked at. */
    CHECK(sm_utf8_valid("ab\xE2\x82", 2));
    CHECK(!sm_utf8_valid("ab\xE2\x82", 3));
    CHECK(sm_utf8_valid(NULL, 0));
}

TEST(utf8_length_counts_code_points_not_bytes)
{
    CHECK_INT(sm_utf8_len("", 0), 0);
    CHECK_INT(sm_utf8_len("Hilversum", 9), 9);
    CHECK_INT(sm_utf8_len("caf\xC3\xA9", 5), 4);
    CHECK_INT(sm_utf8_len("\xE2\x82\xAC 15", 6), 4);
    CHECK_INT(sm_utf8_len("\xF0\x9F\x98\x80!", 5), 2);
    CHECK_INT(sm_utf8_len("\xF4\x8F\xBF\xBF", 4), 1);
}

TEST(ascii_lower_changes_only_ascii_capitals)
{
    char s[] = "GM0402 Hilversum \xC3\x89\xC3\x89N";
    CHECK_STR(sm_ascii_lower(s), "gm0402 hilversum \xC3\x89\xC3\x89n");
    char empty[] = "";
    CHECK_STR(sm_ascii_lower(empty), "");
    CHECK(sm_ascii_lower(NULL) == NULL);
}

TEST(trim_removes_ascii_white_space_at_both_ends_in_place)
{
    char a[] = "  \t Hilversum \r\n";
    char *r = sm_trim(a);
    CHECK(r == a);
    CHECK_STR(a, "Hilversum");
    char b[] = "no trim";
    CHECK_STR(sm_trim(b), "no trim");
    char c[] = " \t\n ";
    CHECK_STR(sm_trim(c), "");
    char d[] = "";
    CHECK_STR(sm_trim(d), "");
    char e[] = "  inner  space  ";
    CHECK_STR(sm_trim(e), "inner  space");
    char f[] = "x";
    CHECK_STR(sm_trim(f), "x");
    CHECK(sm_trim(NULL) == NULL);
}

TEST(excerpt_keeps_short_text_unchanged)
{
    char buf[16];
    CHECK_STR(sm_text_excerpt("2020-02-30", buf, sizeof buf), "2020-02-30");
    CHECK_STR(sm_text_excerpt("\xE2\x82\xAC 15,00", buf, sizeof buf), "\xE2\x82\xAC 15,00");
    CHECK_STR(sm_text_excerpt(NULL, buf, sizeof buf), "");
    /*  exactly size - 1 bytes still fits without "..." */
    CHECK_STR(sm_text_excerpt("123456789012345", buf, sizeof buf), "123456789012345");
}

TEST(excerpt_replaces_control_characters_and_bad_utf8)
{
    char buf[32];
    CHECK_STR(sm_text_excerpt("a\tb\nc\x7F"
                              "d",
                              buf, sizeof buf),
              "a?b?c?d");
    CHECK_STR(sm_text_excerpt("x\xC0\xAFy\xED\xA0\x80z", buf, sizeof buf), "x??y???z");
    CHECK_STR(sm_text_excerpt("end\xE2\x82", buf, sizeof buf), "end??");
}

TEST(excerpt_cuts_long_text_at_a_code_point_boundary)
{
    char buf[10];
    CHECK_STR(sm_text_excerpt("1234567890abc", buf, sizeof buf), "123456...");
    /*  The euro sign (3 bytes) would straddle the cut, so it is left out. */
    CHECK_STR(sm_text_excerpt("12345\xE2\x82\xAC"
                              "67890",
                              buf, sizeof buf),
              "12345...");
    char tiny[3];
    CHECK_STR(sm_text_excerpt("abcdef", tiny, sizeof tiny), "..");
    char one[1];
    CHECK_STR(sm_text_excerpt("abcdef", one, sizeof one), "");
}

TEST(blank_text_is_null_empty_or_only_white_space)
{
    CHECK(sm_text_blank(NULL));
    CHECK(sm_text_blank(""));
    CHECK(sm_text_blank(" \t\r\n"));
    CHECK(!sm_text_blank("  x "));
}

TEST(optional_text_is_checked_for_length_and_utf8_naming_the_field)
{
    sm_err_t e;
    sm_err_clear(&e);
    CHECK_INT(sm_text_check(NULL, "done", 5, &e), 0);
    CHECK_INT(sm_text_check("abcde", "done", 5, &e), 0);
    CHECK_INT(sm_text_check("abcdef", "done", 5, &e), -1);
    CHECK_STR(e.field, "done");
    CHECK(strstr(e.message, "at most 5 bytes") != NULL);
    sm_err_clear(&e);
    CHECK_INT(sm_text_check("a\xff", "reason", 100, &e), -1);
    CHECK_STR(e.field, "reason");
}

int main(void)
{
    RUN(blank_text_is_null_empty_or_only_white_space);
    RUN(optional_text_is_checked_for_length_and_utf8_naming_the_field);
    RUN(utf8_validity_follows_the_unicode_table_of_well_formed_sequences);
    RUN(utf8_validity_looks_only_at_the_given_length);
    RUN(utf8_length_counts_code_points_not_bytes);
    RUN(ascii_lower_changes_only_ascii_capitals);
    RUN(trim_removes_ascii_white_space_at_both_ends_in_place);
    RUN(excerpt_keeps_short_text_unchanged);
    RUN(excerpt_replaces_control_characters_and_bad_utf8);
    RUN(excerpt_cuts_long_text_at_a_code_point_boundary);
    return DONE();
}
