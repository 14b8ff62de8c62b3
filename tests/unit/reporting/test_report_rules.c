/*  tests/unit/reporting/test_report_rules.c - the life of a session report, and report due. */
#include "services/reporting/ident.h"
#include "services/reporting/report_rules.h"
#include "tests/unit/test.h"
#include <stdio.h>
#include <stdlib.h>

static sm_date_t D(int y, int m, int d)
{
    return (sm_date_t){y, m, d};
}

static const char *TEXT = "# Report S31\n\nWe talked about the disability taxi.\n";

/*  A report of version 1 taken through approve and publish on 2020-03-20. */
static report_t s_published(void)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err);
    report_publish(&r, "R9", D(2020, 3, 20), D(2020, 3, 20), NULL, 0, NULL, 0, &err);
    return r;
}

/* ==== Transitions ========================================================= */

TEST(a_draft_goes_through_approve_publish_and_sent)
{
    report_t r;
    sm_err_t err = {0};
    CHECK_INT(report_draft(&r, "S31", TEXT, &err), 0);
    CHECK_INT(r.version, 1);
    CHECK_INT(r.previous_version, 0);
    CHECK_STR(report_state_name(r.state), "draft");
    CHECK_INT(report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err), 0);
    CHECK_STR(report_state_name(r.state), "approved");
    CHECK_INT(report_publish(&r, "R9", D(2020, 3, 20), D(2020, 3, 20), NULL, 0, NULL, 0, &err), 0);
    CHECK_STR(report_state_name(r.state), "published");
    CHECK_INT(sm_date_cmp(r.published_on, D(2020, 3, 20)), 0);
    CHECK_INT(report_mark_sent(&r, "R9", D(2020, 3, 21), D(2020, 3, 25), &err), 0);
    CHECK_STR(report_state_name(r.state), "sent");
    CHECK_INT(sm_date_cmp(r.sent_on, D(2020, 3, 21)), 0);
    CHECK(!sm_err_is_set(&err));
}

TEST(revising_an_approved_report_returns_it_to_draft)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err);
    const char *better = "# Report S31\n\nA better text.\n";
    CHECK_INT(report_revise(&r, "R9", better, &err), 0);
    CHECK_STR(report_state_name(r.state), "draft");
    CHECK_STR(r.text, better);
    CHECK_INT(r.approved_on.y, 0);
    //  ... and so it cannot be published before it is approved again.
    CHECK_INT(report_publish(&r, "R9", D(2020, 3, 20), D(2020, 3, 20), NULL, 0, NULL, 0, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "report R9 version 1 is a draft; approve it before publishing it");
}

TEST(publishing_twice_is_refused_with_version_and_date)
{
    report_t r = s_published();
    r.version = 2; //  as if it were a correction
    sm_err_t err = {0};
    CHECK_INT(report_publish(&r, "R9", D(2020, 3, 22), D(2020, 3, 22), NULL, 0, NULL, 0, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message,
              "report R9 is already published (version 2) on 2020-03-20; a correction is "
              "a new version: revise it with a note saying what changes");
    CHECK_INT(sm_date_cmp(r.published_on, D(2020, 3, 20)), 0);
}

TEST(a_published_report_cannot_be_revised_or_approved)
{
    report_t r = s_published();
    sm_err_t err = {0};
    CHECK_INT(report_revise(&r, "R9", "other text", &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message,
              "report R9 is already published (version 1) on 2020-03-20; a correction is "
              "a new version: revise it with a note saying what changes");
    CHECK_STR(r.text, TEXT);
    sm_err_clear(&err);
    CHECK_INT(report_approve(&r, "R9", D(2020, 3, 22), D(2020, 3, 22), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(report_state_name(r.state), "published");
}

TEST(approving_an_unknown_report_is_not_found)
{
    sm_err_t err = {0};
    CHECK_INT(report_approve(NULL, "R12", D(2020, 3, 18), D(2020, 3, 18), &err), -1);
    CHECK_STR(err.code, SM_E_NOT_FOUND);
    CHECK_STR(err.field, "report");
    CHECK_STR(err.message,
              "report R12 does not exist; give the ID of an existing report (samenctl report "
              "list shows them)");
}

TEST(approving_an_empty_report_is_refused)
{
    report_t r = {.session_id = "S31", .version = 1, .state = REPORT_DRAFT, .text = " \n\t"};
    sm_err_t err = {0};
    CHECK_INT(report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "report R9 version 1 has no text; revise it with the report in "
                           "Markdown before approving it");
    CHECK_STR(report_state_name(r.state), "draft");
}

TEST(approving_twice_is_refused)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err);
    CHECK_INT(report_approve(&r, "R9", D(2020, 3, 19), D(2020, 3, 19), &err), -1);
    CHECK_STR(err.message, "report R9 version 1 is already approved (on 2020-03-18); publish "
                           "it, or revise it to return it to draft");
    CHECK_INT(sm_date_cmp(r.approved_on, D(2020, 3, 18)), 0);
}

TEST(an_empty_text_is_refused_naming_the_field)
{
    report_t r;
    sm_err_t err = {0};
    CHECK_INT(report_draft(&r, "S31", "", &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "text");
    CHECK_STR(err.message, "text is empty; give the report in Markdown");
    sm_err_clear(&err);
    CHECK_INT(report_draft(&r, "S31", NULL, &err), -1);
    CHECK_STR(err.field, "text");
    sm_err_clear(&err);
    report_draft(&r, "S31", TEXT, &err);
    CHECK_INT(report_revise(&r, "R9", "   \n", &err), -1);
    CHECK_STR(err.field, "text");
    CHECK_STR(r.text, TEXT);
    sm_err_clear(&err);
    CHECK_INT(report_draft(&r, "", TEXT, &err), -1);
    CHECK_STR(err.field, "session");
}

TEST(text_must_be_utf8_and_not_too_long)
{
    sm_err_t err = {0};
    CHECK_INT(report_check_text("caf\xc3", "text", &err), -1);
    CHECK_STR(err.message, "text is not valid UTF-8; save the text as UTF-8 and send it again");
    char *big = malloc(REPORT_TEXT_MAX + 2);
    memset(big, 'a', REPORT_TEXT_MAX + 1);
    big[REPORT_TEXT_MAX + 1] = '\0';
    sm_err_clear(&err);
    CHECK_INT(report_check_text(big, "text", &err), -1);
    CHECK_STR(err.message, "text is 262145 bytes long; at most 262144 bytes are accepted");
    big[REPORT_TEXT_MAX] = '\0';
    CHECK_INT(report_check_text(big, "text", NULL), 0);
    free(big);
    CHECK_INT(report_check_text("café", "text", NULL), 0);
}

TEST(mark_sent_needs_published_and_a_sensible_date)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err);
    CHECK_INT(report_mark_sent(&r, "R9", D(2020, 3, 19), D(2020, 3, 19), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message, "report R9 version 1 is not published yet (approved); publish it "
                           "before marking it sent");
    report_publish(&r, "R9", D(2020, 3, 20), D(2020, 3, 20), NULL, 0, NULL, 0, &err);
    sm_err_clear(&err);
    CHECK_INT(report_mark_sent(&r, "R9", D(2020, 3, 26), D(2020, 3, 25), &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "date 2020-03-26 is in the future; give the day the report was sent, "
                           "at the latest 2020-03-25");
    sm_err_clear(&err);
    CHECK_INT(report_mark_sent(&r, "R9", D(2020, 3, 19), D(2020, 3, 25), &err), -1);
    CHECK_STR(err.message,
              "date 2020-03-19 is before report R9 was published; give a day from 2020-03-20 on");
    CHECK_STR(report_state_name(r.state), "published");
    CHECK_INT(report_mark_sent(&r, "R9", D(2020, 3, 20), D(2020, 3, 25), NULL), 0);
    sm_err_clear(&err);
    CHECK_INT(report_mark_sent(&r, "R9", D(2020, 3, 21), D(2020, 3, 25), &err), -1);
    CHECK_STR(err.message, "report R9 (version 1) was already sent on 2020-03-20");
}

TEST(approve_and_publish_take_a_past_date_but_not_a_future_one)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    r.has_held_on = true;
    r.held_on = D(2019, 3, 5);
    //  Recorded a year later: approved and published on the days it happened.
    CHECK_INT(report_approve(&r, "R9", D(2019, 3, 12), D(2020, 9, 1), &err), 0);
    CHECK_INT(sm_date_cmp(r.approved_on, D(2019, 3, 12)), 0);
    CHECK_INT(report_publish(&r, "R9", D(2019, 3, 14), D(2020, 9, 1), NULL, 0, NULL, 0, &err), 0);
    CHECK_INT(sm_date_cmp(r.published_on, D(2019, 3, 14)), 0);
    CHECK_INT(report_mark_sent(&r, "R9", D(2019, 3, 20), D(2020, 9, 1), &err), 0);
    CHECK(!sm_err_is_set(&err));

    report_draft(&r, "S31", TEXT, &err);
    CHECK_INT(report_approve(&r, "R9", D(2020, 9, 2), D(2020, 9, 1), &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "date 2020-09-02 is in the future; give the day the report was "
                           "approved, at the latest 2020-09-01");
    CHECK_STR(report_state_name(r.state), "draft");
    CHECK_INT(report_approve(&r, "R9", D(2020, 9, 1), D(2020, 9, 1), NULL), 0);
    sm_err_clear(&err);
    CHECK_INT(report_publish(&r, "R9", D(2020, 9, 2), D(2020, 9, 1), NULL, 0, NULL, 0, &err), -1);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "date 2020-09-02 is in the future; give the day the report was "
                           "published, at the latest 2020-09-01");
    CHECK_STR(report_state_name(r.state), "approved");
}

TEST(approve_and_publish_keep_the_order_held_approved_published)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    r.has_held_on = true;
    r.held_on = D(2019, 3, 5);
    CHECK_INT(report_approve(&r, "R9", D(2019, 3, 4), D(2020, 9, 1), &err), -1);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "date 2019-03-04 is before session S31 was held; give a day from "
                           "2019-03-05 on");
    //  The session's day itself is fine: approved at the end of the meeting.
    CHECK_INT(report_approve(&r, "R9", D(2019, 3, 5), D(2020, 9, 1), NULL), 0);
    r.held_on = D(2019, 3, 8); //  as if the session moved after the approval
    sm_err_clear(&err);
    CHECK_INT(report_publish(&r, "R9", D(2019, 3, 7), D(2020, 9, 1), NULL, 0, NULL, 0, &err), -1);
    CHECK_STR(err.message, "date 2019-03-07 is before session S31 was held; give a day from "
                           "2019-03-08 on");
    r.held_on = D(2019, 3, 5);
    r.approved_on = D(2019, 3, 10);
    sm_err_clear(&err);
    CHECK_INT(report_publish(&r, "R9", D(2019, 3, 9), D(2020, 9, 1), NULL, 0, NULL, 0, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "date 2019-03-09 is before report R9 version 1 was approved; give a "
                           "day from 2019-03-10 on");
    CHECK_STR(report_state_name(r.state), "approved");
    //  Unknown held day: only today and the approval bound it.
    r.has_held_on = false;
    CHECK_INT(report_publish(&r, "R9", D(2019, 3, 10), D(2020, 9, 1), NULL, 0, NULL, 0, NULL), 0);
    //  A date is checked after the state: publishing twice names the state.
    sm_err_clear(&err);
    CHECK_INT(report_publish(&r, "R9", D(2030, 1, 1), D(2020, 9, 1), NULL, 0, NULL, 0, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
}

TEST(a_correction_is_a_new_draft_version_with_a_note)
{
    report_t v1 = s_published();
    report_mark_sent(&v1, "R9", D(2020, 3, 21), D(2020, 3, 21), NULL);
    report_t v2 = {0};
    sm_err_t err = {0};
    const char *fixed = "# Report S31\n\nCorrected: the meeting was in Hilversum.\n";
    CHECK_INT(report_correct(&v1, "R9", fixed, "The place of the meeting was wrong.", &v2, &err),
              0);
    CHECK_INT(v2.version, 2);
    CHECK_INT(v2.previous_version, 1);
    CHECK_STR(v2.session_id, "S31");
    CHECK_STR(report_state_name(v2.state), "draft");
    CHECK_STR(v2.note, "The place of the meeting was wrong.");
    CHECK_STR(v2.text, fixed);
    //  The old version is untouched.
    CHECK_STR(report_state_name(v1.state), "sent");
    CHECK_STR(v1.text, TEXT);
    //  The correction then goes its own way.
    CHECK_INT(report_approve(&v2, "R9", D(2020, 3, 22), D(2020, 3, 22), &err), 0);
    CHECK_INT(report_publish(&v2, "R9", D(2020, 3, 23), D(2020, 3, 23), NULL, 0, NULL, 0, &err), 0);
    CHECK_INT(report_publish(&v2, "R9", D(2020, 3, 24), D(2020, 3, 24), NULL, 0, NULL, 0, &err),
              -1);
    CHECK_STR(err.message,
              "report R9 is already published (version 2) on 2020-03-23; a correction is "
              "a new version: revise it with a note saying what changes");
}

TEST(a_correction_needs_a_note_and_a_published_version)
{
    report_t v1 = s_published();
    report_t v2 = {.version = 77};
    sm_err_t err = {0};
    CHECK_INT(report_correct(&v1, "R9", "new text", NULL, &v2, &err), -1);
    CHECK_STR(err.field, "note");
    CHECK_STR(err.message, "note is required for a correction; say in a sentence what version 2 "
                           "changes");
    CHECK_INT(v2.version, 77);
    sm_err_clear(&err);
    CHECK_INT(report_correct(&v1, "R9", "new text", "  ", &v2, &err), -1);
    CHECK_STR(err.field, "note");
    sm_err_clear(&err);
    CHECK_INT(report_correct(&v1, "R9", "", "why", &v2, &err), -1);
    CHECK_STR(err.field, "text");
    sm_err_clear(&err);
    report_t draft;
    report_draft(&draft, "S31", TEXT, NULL);
    CHECK_INT(report_correct(&draft, "R9", "new text", "why", &v2, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(
        err.message,
        "report R9 version 1 is not published yet (draft); revise it instead of correcting it");
    sm_err_clear(&err);
    CHECK_INT(report_correct(NULL, "R4", "new text", "why", &v2, &err), -1);
    CHECK_STR(err.code, SM_E_NOT_FOUND);
}

TEST(state_names_parse_and_print)
{
    report_state_t s;
    sm_err_t err = {0};
    CHECK_INT(report_state_parse("published", &s, "state", &err), 0);
    CHECK_INT(s, REPORT_PUBLISHED);
    CHECK_INT(report_state_parse("done", &s, "state", &err), -1);
    CHECK_STR(err.message, "state must be one of draft, approved, published, sent");
    CHECK_STR(report_state_name((report_state_t)9), "?");
}

/* ==== Personal data ======================================================= */

TEST(only_matches_not_explicitly_allowed_are_returned)
{
    report_pii_match_t m[] = {
        {"name", "Jansen", 0, 6},            //  0: allowed (case differs)
        {"phone", "06-12345678", 0, 11},     //  1: not allowed
        {"name", "Huizen", 0, 6},            //  2: allowed
        {"name", "de Vries", 0, 8},          //  3: not allowed
        {"phone", "06-12345678", 0, 11},     //  4: repeat of 1
        {"name", "DE VRIES", 0, 8},          //  5: repeat of 3 (case ignored)
        {"postcode", "de vries", 0, 8},      //  6: same text, other kind: reported
        {"email", NULL, 0, 0},               //  7: no text: never allowed
        {"name", "Mevrouw\n  Bakker", 0, 16}, //  8: allowed (white space as written)
    };
    const char *allowed[] = {"jansen", NULL, "Huizen", " mevrouw bakker "};
    size_t out[9];
    int n = report_pii_not_allowed(m, 9, allowed, 4, out);
    CHECK_INT(n, 4);
    CHECK_INT(out[0], 1);
    CHECK_INT(out[1], 3);
    CHECK_INT(out[2], 6);
    CHECK_INT(out[3], 7);
    CHECK_INT(report_pii_not_allowed(m, 0, allowed, 3, out), 0);
    CHECK_INT(report_pii_not_allowed(m, 3, NULL, 0, out), 3);
}

TEST(allow_keys_ignore_case_and_how_white_space_is_written)
{
    char key[64];
    CHECK_INT(report_allow_key("  Mevrouw\n\t Bakker  ", key, sizeof key), 14);
    CHECK_STR(key, "mevrouw bakker");
    CHECK_INT(report_allow_key("Wethouder\xc2\xa0J\xc3\x9cRGENS", key, sizeof key), 18);
    CHECK_STR(key, "wethouder j\xc3\x9crgens"); /*  only ASCII is lower-cased */
    CHECK_INT(report_allow_key(" \n ", key, sizeof key), 0);
    CHECK_STR(key, "");
    CHECK_INT(report_allow_key("abcdef", key, 4), 3);
    CHECK_STR(key, "abc");
}

TEST(an_excerpt_shows_where_a_match_is_without_showing_it)
{
    const char *text = "# Verslag\n\nNa de pauze vertelde Mohammed Ouali dat de taxi vaak te laat "
                       "kwam; bel hem op 06-12345678 of mail.";
    const char *name = strstr(text, "Mohammed"), *phone = strstr(text, "06-");
    report_pii_match_t m[] = {{"name", "Mohammed Ouali", (size_t)(name - text), 14},
                              {"phone", "06-12345678", (size_t)(phone - text), 11}};
    char out[REPORT_EXCERPT_SIZE];
    report_pii_excerpt(text, m, 2, 0, out, sizeof out);
    CHECK_STR(out, "# Verslag Na de pauze vertelde M******* ***** dat de taxi vaak te laat "
                   "kwam;\xe2\x80\xa6");
    CHECK(!strstr(out, "Ouali"));
    //  Another match inside the window is masked whole.
    report_pii_excerpt(text, m, 2, 1, out, sizeof out);
    CHECK_STR(out, "\xe2\x80\xa6vaak te laat kwam; bel hem op 0********** of mail.");
    //  A match at the start, a small buffer, a match outside the text.
    report_pii_match_t first[] = {{"name", "Anna", 0, 4}, {"name", "x", 500, 1}};
    report_pii_excerpt("Anna's moeder kwam.", first, 2, 0, out, sizeof out);
    CHECK_STR(out, "A***'s moeder kwam.");
    report_pii_excerpt("Anna's moeder kwam.", first, 2, 0, out, 8); /*  cut short, still a string */
    CHECK_STR(out, "A**");
    report_pii_excerpt("Anna's moeder kwam.", first, 2, 1, out, sizeof out);
    CHECK_STR(out, "");
    CHECK_INT(report_pii_line(text, (size_t)(name - text)), 3);
}

TEST(publishing_with_matches_not_allowed_is_refused_without_quoting_them)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err);
    //  TEXT has three lines; offsets 0 (line 1), 15 (line 3) and 200 (beyond
    //  the text: taken as its last line).
    report_pii_match_t m[] = {
        {"name", "Jansen", 0, 6}, {"phone", "06-12345678", 15, 11}, {"name", "Bakker", 200, 6}};
    const char *allowed[] = {"Bakker"};
    CHECK_INT(report_publish(&r, "R9", D(2020, 3, 20), D(2020, 3, 20), m, 3, allowed, 1, &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.field, "allow");
    CHECK_STR(err.message, "report R9 version 1 contains 2 possible personal data not explicitly "
                           "allowed (name at line 1, phone at line 3); remove them from the "
                           "text, or allow each one that is not personal data (report check R9 "
                           "lists them)");
    CHECK(!strstr(err.message, "Jansen"));
    CHECK_STR(report_state_name(r.state), "approved");
    const char *all[] = {"Bakker", "jansen", "06-12345678"};
    CHECK_INT(report_publish(&r, "R9", D(2020, 3, 20), D(2020, 3, 20), m, 3, all, 3, &err), 0);
    CHECK_STR(report_state_name(r.state), "published");
}

TEST(a_refusal_with_many_matches_lists_what_fits_and_counts_the_rest)
{
    report_t r;
    sm_err_t err = {0};
    report_draft(&r, "S31", TEXT, &err);
    report_approve(&r, "R9", D(2020, 3, 18), D(2020, 3, 18), &err);
    enum { N = 40 };
    report_pii_match_t m[N];
    char texts[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(texts[i], sizeof texts[i], "Name%d", i);
        m[i] = (report_pii_match_t){"name", texts[i], 0, 0};
    }
    CHECK_INT(report_publish(&r, "R9", D(2020, 3, 20), D(2020, 3, 20), m, N, NULL, 0, &err), -1);
    CHECK(strstr(err.message, "contains 40 possible personal data"));
    CHECK(strstr(err.message, "name at line 1, name at line 1"));
    CHECK(strstr(err.message, " more); remove them"));
    CHECK(!strstr(err.message, "Name1"));
    CHECK_STR(report_state_name(r.state), "approved");
}

/* ==== Report due ========================================================== */

TEST(report_due_lists_unpublished_and_exactly_the_late_ones)
{
    //  today 2020-04-30, 28 days allowed. Session held 2020-03-01: the last
    //  day on time is 2020-03-29 (day 28), 2020-03-30 is day 29.
    report_held_t s[] = {
        {"S31", "T3", D(2020, 3, 1), true, true, D(2020, 3, 29)}, //  day 28: on time
        {"S32", "T3", D(2020, 3, 1), true, true, D(2020, 3, 30)}, //  day 29: 1 day late
        {"S9", "T4", D(2020, 4, 2), false, false, D(0, 0, 0)},    //  day 28 today: not late
        {"S10", "T4", D(2020, 4, 1), true, false, D(0, 0, 0)},    //  day 29 today: 1 late
        {"S40", "T5", D(2020, 2, 1), false, false, D(0, 0, 0)},   //  unpublished, 61 late
        {"S41", "T5", D(2020, 5, 2), false, false, D(0, 0, 0)},   //  not held yet: skipped
        {"S8", "T4", D(2020, 4, 2), false, false, D(0, 0, 0)},    //  same day as S9
    };
    report_due_t due;
    sm_err_t err = {0};
    CHECK_INT(report_due(s, 7, D(2020, 4, 30), REPORT_DUE_DAYS_DEFAULT, &due, &err), 0);

    CHECK_INT(due.n_unpublished, 3);
    CHECK_STR(due.unpublished[0].session_id, "S40");
    CHECK_INT(due.unpublished[0].days, 89);
    CHECK_STR(due.unpublished[1].session_id, "S8");
    CHECK_INT(due.unpublished[1].days, 28);
    CHECK_STR(due.unpublished[2].session_id, "S9");
    CHECK_STR(due.unpublished[2].theme_id, "T4");
    CHECK_INT(due.unpublished[2].days, 28);

    CHECK_INT(due.n_late, 3);
    CHECK_STR(due.late[0].session_id, "S40");
    CHECK_INT(due.late[0].days, 61); //  2020-04-30 - (2020-02-01 + 28 = 2020-02-29)
    CHECK(!due.late[0].sent);
    CHECK_STR(due.late[1].session_id, "S32");
    CHECK_INT(due.late[1].days, 1);
    CHECK(due.late[1].sent);
    CHECK_INT(sm_date_cmp(due.late[1].sent_on, D(2020, 3, 30)), 0);
    CHECK_STR(due.late[2].session_id, "S10");
    CHECK_INT(due.late[2].days, 1);
    CHECK(!due.late[2].sent);
    report_due_free(&due);
    CHECK(due.late == NULL);
    report_due_free(&due);
}

TEST(report_due_with_other_allowed_days_and_nothing_held)
{
    report_held_t s[] = {{"S1", "T1", D(2020, 4, 1), true, false, D(0, 0, 0)}};
    report_due_t due;
    CHECK_INT(report_due(s, 1, D(2020, 4, 15), 14, &due, NULL), 0);
    CHECK_INT(due.n_late, 0);
    report_due_free(&due);
    CHECK_INT(report_due(s, 1, D(2020, 4, 16), 14, &due, NULL), 0);
    CHECK_INT(due.n_late, 1);
    CHECK_INT(due.late[0].days, 1);
    report_due_free(&due);
    CHECK_INT(report_due(NULL, 0, D(2020, 4, 16), 28, &due, NULL), 0);
    CHECK_INT(due.n_unpublished + due.n_late, 0);
    report_due_free(&due);
}

TEST(report_due_refuses_allowed_days_out_of_range)
{
    report_due_t due;
    sm_err_t err = {0};
    CHECK_INT(report_due(NULL, 0, D(2020, 4, 16), 0, &due, &err), -1);
    CHECK_STR(err.field, "days");
    CHECK_STR(err.message, "days must be a whole number from 1 to 366 (default 28), got 0");
}

/* ==== Identifiers ========================================================= */

TEST(ids_sort_by_their_number)
{
    CHECK(ident_cmp("S9", "S31") < 0);
    CHECK(ident_cmp("S31", "S9") > 0);
    CHECK(ident_cmp("S10", "S10") == 0);
    CHECK(ident_cmp("S99", "T1") < 0);
    CHECK(ident_cmp("P2", "P10") < 0);
    CHECK(ident_cmp("S09", "S9") != 0);
    CHECK(ident_cmp("S9", "S9a") < 0);
    CHECK(ident_cmp(NULL, "S1") < 0);
    CHECK(ident_cmp("S123456789012345678901234567890", "S99") > 0);
}

int main(void)
{
    RUN(a_draft_goes_through_approve_publish_and_sent);
    RUN(revising_an_approved_report_returns_it_to_draft);
    RUN(publishing_twice_is_refused_with_version_and_date);
    RUN(a_published_report_cannot_be_revised_or_approved);
    RUN(approving_an_unknown_report_is_not_found);
    RUN(approving_an_empty_report_is_refused);
    RUN(approving_twice_is_refused);
    RUN(an_empty_text_is_refused_naming_the_field);
    RUN(text_must_be_utf8_and_not_too_long);
    RUN(mark_sent_needs_published_and_a_sensible_date);
    RUN(approve_and_publish_take_a_past_date_but_not_a_future_one);
    RUN(approve_and_publish_keep_the_order_held_approved_published);
    RUN(a_correction_is_a_new_draft_version_with_a_note);
    RUN(a_correction_needs_a_note_and_a_published_version);
    RUN(state_names_parse_and_print);
    RUN(only_matches_not_explicitly_allowed_are_returned);
    RUN(allow_keys_ignore_case_and_how_white_space_is_written);
    RUN(an_excerpt_shows_where_a_match_is_without_showing_it);
    RUN(publishing_with_matches_not_allowed_is_refused_without_quoting_them);
    RUN(a_refusal_with_many_matches_lists_what_fits_and_counts_the_rest);
    RUN(report_due_lists_unpublished_and_exactly_the_late_ones);
    RUN(report_due_with_other_allowed_days_and_nothing_held);
    RUN(report_due_refuses_allowed_days_out_of_range);
    RUN(ids_sort_by_their_number);
    return DONE();
}
