/*  tests/unit/intake/test_words.c - the small vocabularies and text rules of
    intake's requests: advice texts, organisation kinds, labels. */
#include "services/intake/advice.h"
#include "services/intake/organisation.h"
#include "services/intake/participant.h"
#include "tests/unit/test.h"
#include <stdlib.h>

TEST(advice_text_keeps_line_breaks_and_is_trimmed)
{
    char out[64];
    sm_err_t err = {0};
    CHECK_INT(advice_text_check("  More taxis\n\tplease \n", "summary", 20, out, sizeof out, &err),
              0);
    CHECK_STR(out, "More taxis\n\tplease");
}

TEST(advice_text_refuses_empty_long_control_and_invalid_text)
{
    char out[64];
    sm_err_t err = {0};
    CHECK_INT(advice_text_check(" \n ", "summary", 20, out, sizeof out, &err), -1);
    CHECK_STR(err.field, "summary");
    CHECK_STR(err.message, "summary is empty; give 1 to 20 characters");
    CHECK_INT(advice_text_check("abcdefghijk", "text", 10, out, sizeof out, &err), -1);
    CHECK_STR(err.message, "text is 11 characters long; give at most 10 characters");
    //  Ten characters of two bytes each are ten characters, not twenty.
    CHECK_INT(advice_text_check("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                                "\xc3\xa9\xc3\xa9",
                                "text", 10, out, sizeof out, &err),
              0);
    CHECK_INT(advice_text_check("a\x01" "b", "reason", 10, out, sizeof out, &err), -1);
    CHECK_STR(err.field, "reason");
    CHECK_STR(err.message, "reason contains a control character (U+0001) at character 2; line "
                           "breaks and tabs are fine, other control characters are not");
    CHECK_INT(advice_text_check("a\xe2\x80\xae" "b", "text", 10, out, sizeof out, &err), -1);
    CHECK_INT(advice_text_check("a\xff", "text", 10, out, sizeof out, &err), -1);
    CHECK_STR(err.message, "text is not valid UTF-8; send UTF-8 text of 1 to 10 characters");
}

TEST(organisation_kinds_forgive_case_spaces_and_hyphens)
{
    char kind[ORGANISATION_KIND_SIZE];
    sm_err_t err = {0};
    CHECK_INT(organisation_kind_parse("Advisory council", "kind", kind, &err), 0);
    CHECK_STR(kind, "advisory_council");
    CHECK_INT(organisation_kind_parse(" care-provider ", "kind", kind, &err), 0);
    CHECK_STR(kind, "care_provider");
    CHECK_INT(organisation_kind_parse("SCHOOL", "kind", kind, &err), 0);
    CHECK_STR(kind, "school");
    CHECK_INT(organisation_kind_parse("church", "kind", kind, &err), -1);
    CHECK_STR(err.field, "kind");
    CHECK_STR(err.message, "kind is not a known kind of organisation; use client_organisation, "
                           "advisory_council, care_provider, school, association, municipality "
                           "or other");
    CHECK_INT(organisation_kind_parse("", "kind", kind, &err), -1);
    CHECK_INT(organisation_kind_parse(NULL, "kind", kind, &err), -1);
}

TEST(labels_are_found_by_their_forgiving_names)
{
    CHECK_INT(participant_label_index("Foster parent"), 4);
    CHECK_INT(participant_label_index("trained-experience-expert"), 6);
    CHECK_INT(participant_label_index(" youth "), 3);
    CHECK_INT(participant_label_index("alderman"), -1);
    CHECK_INT(participant_label_index(""), -1);
}

int main(void)
{
    RUN(advice_text_keeps_line_breaks_and_is_trimmed);
    RUN(advice_text_refuses_empty_long_control_and_invalid_text);
    RUN(organisation_kinds_forgive_case_spaces_and_hyphens);
    RUN(labels_are_found_by_their_forgiving_names);
    return DONE();
}
