/*  tests/unit/reporting/test_overview.c - the yearly overview and the decision-document passage. */
#include "services/reporting/overview.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/* ==== The fixture ========================================================= */

static const reach_method_row_t T3_METHODS[] = {{"FG", 1, 6}, {"I", 2, 9}};
static const overview_outcome_t T3_OUTCOMES[] = {
    {"Drivers often arrive late.", "A penalty clause was added to the contract.", OUTCOME_DONE,
     NULL},
    {"A second taxi company.", NULL, OUTCOME_NOT_ADOPTED, "the contract runs until 2022"},
    {"Clearer *booking*\n times", "Being discussed with the operator", OUTCOME_IN_PROGRESS, NULL},
};
static const reach_method_row_t T10_METHODS[] = {{"C", 3, 20}, {"XY", 1, 2}};

//  Given out of order on purpose: the overview lists T3 before T10.
static const overview_theme_t THEMES[] = {
    {"T10",
     "Suicide \"prevention\"",
     NULL,
     T10_METHODS,
     2,
     4,
     11,
     {2019, 1, 15},
     {2019, 10, 1},
     NULL,
     0,
     NULL},
    {"T3",
     "Disability taxi",
     "How do users experience the disability taxi?",
     T3_METHODS,
     2,
     3,
     14,
     {2019, 3, 12},
     {2019, 11, 20},
     T3_OUTCOMES,
     3,
     "Mirror meeting in Q2 2020."},
};

static const char *T3_ITEMS = "- **Brought in:** Drivers often arrive late.\n"
                              "  - **What was done:** A penalty clause was added to the contract.\n"
                              "  - **Status:** done\n"
                              "- **Brought in:** A second taxi company.\n"
                              "  - **What was done:** nothing yet\n"
                              "  - **Status:** not adopted, because the contract runs until 2022\n"
                              "- **Brought in:** Clearer \\*booking\\* times\n"
                              "  - **What was done:** Being discussed with the operator\n"
                              "  - **Status:** in progress\n";

/* ==== The yearly overview ================================================= */

TEST(yearly_overview_markdown_is_exactly_as_documented)
{
    overview_t o = {2019, THEMES, 2};
    char *md = overview_render_markdown(&o);
    char want[4096];
    snprintf(want, sizeof want,
             "# Yearly overview 2019\n"
             "\n"
             "## T3 Disability taxi\n"
             "\n"
             "**Form and central question:** focus group (FG, 1 session), interviews (I, 2 "
             "sessions). Central question: How do users experience the disability taxi?\n"
             "\n"
             "**Outcome and what was done with it:**\n"
             "\n"
             "%s"
             "\n"
             "**Follow-up:** Mirror meeting in Q2 2020.\n"
             "\n"
             "## T10 Suicide \"prevention\"\n"
             "\n"
             "**Form and central question:** café (C, 3 sessions), XY (1 session). Central "
             "question: not recorded.\n"
             "\n"
             "**Outcome and what was done with it:** none recorded yet.\n"
             "\n"
             "**Follow-up:** none planned yet.\n",
             T3_ITEMS);
    CHECK_STR(md, want);
    free(md);
}

TEST(yearly_overview_without_themes_says_so)
{
    overview_t o = {2021, NULL, 0};
    char *md = overview_render_markdown(&o);
    CHECK_STR(md, "# Yearly overview 2021\n\nNo themes to report.\n");
    free(md);
}

TEST(yearly_overview_csv_is_rfc4180_one_row_per_theme)
{
    overview_t o = {2019, THEMES, 2};
    char *csv = overview_render_csv(&o);
    CHECK_STR(csv,
              "theme,title,form,central_question,outcome_and_what_was_done,follow_up\r\n"
              "T3,Disability taxi,\"focus group (FG, 1 session), interviews (I, 2 sessions)\","
              "How do users experience the disability taxi?,"
              "\"Brought in: Drivers often arrive late.; what was done: A penalty clause was "
              "added to the contract.; status: done\n"
              "Brought in: A second taxi company.; what was done: nothing yet; status: not "
              "adopted, because the contract runs until 2022\n"
              "Brought in: Clearer *booking* times; what was done: Being discussed with the "
              "operator; status: in progress\","
              "Mirror meeting in Q2 2020.\r\n"
              "T10,\"Suicide \"\"prevention\"\"\",\"café (C, 3 sessions), XY (1 session)\",,,\r\n");
    free(csv);
}

TEST(yearly_overview_html_is_a_titled_document)
{
    overview_t o = {2019, THEMES, 2};
    char *html = overview_render_html(&o);
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(strncmp(html, "<!DOCTYPE html>\n", 16) == 0);
    CHECK(strstr(html, "<title>Yearly overview 2019</title>") != NULL);
    CHECK(strstr(html, "<h1>Yearly overview 2019</h1>\n<h2>T3 Disability taxi</h2>\n") != NULL);
    CHECK(strstr(html, "<h2>T10 Suicide &quot;prevention&quot;</h2>") != NULL);
    CHECK(strstr(html, "<li><strong>Brought in:</strong> Clearer *booking* times") != NULL);
    free(html);
}

TEST(typed_markup_in_an_overview_stays_text_in_html)
{
    overview_outcome_t evil[] = {
        {"<script>alert(1)</script>", "[x](javascript:alert(1))", OUTCOME_OPEN, NULL}};
    overview_theme_t t = {"T1", "# Not a heading", NULL,      NULL, 0, 0,
                          0,    {0, 0, 0},         {0, 0, 0}, evil, 1, NULL};
    overview_t o = {2019, &t, 1};
    char *html = overview_render_html(&o);
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(strstr(html, "<script>") == NULL);
    CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "href") == NULL);
    CHECK(strstr(html, "<h2>T1 # Not a heading</h2>") != NULL);
    CHECK(strstr(html, "no sessions held") != NULL);
    free(html);
}

/* ==== The passage for a decision document ================================ */

TEST(passage_tells_sessions_methods_participants_input_and_what_was_done)
{
    char *md = overview_theme_passage(&THEMES[1]);
    char want[4096];
    snprintf(want, sizeof want,
             "**How the residents' perspective was obtained and processed (T3 Disability "
             "taxi).** From 2019-03-12 to 2019-11-20 residents took part in 3 sessions: focus "
             "group (FG, 1 session), interviews (I, 2 sessions). 14 different residents took "
             "part. Central question: How do users experience the disability taxi?\n"
             "\n"
             "**Main input and what was done with it:**\n"
             "\n"
             "%s"
             "\n"
             "**Follow-up:** Mirror meeting in Q2 2020.\n",
             T3_ITEMS);
    CHECK_STR(md, want);
    free(md);
}

TEST(passage_of_one_session_and_of_none)
{
    static const reach_method_row_t survey[] = {{"E", 1, 1}};
    overview_theme_t one = {"T7", "Reading help", NULL,         survey, 1, 1,
                            1,    {2019, 5, 1},   {2019, 5, 1}, NULL,   0, "Report back in June."};
    char *md = overview_theme_passage(&one);
    CHECK_STR(md, "**How the residents' perspective was obtained and processed (T7 Reading "
                  "help).** On 2019-05-01 residents took part in 1 session: survey (E, 1 "
                  "session). 1 resident took part.\n"
                  "\n"
                  "**Main input and what was done with it:** none recorded yet.\n"
                  "\n"
                  "**Follow-up:** Report back in June.\n");
    free(md);
    overview_theme_t none = {"T12", "Housing", NULL,      NULL, 0, 0,
                             0,     {0, 0, 0}, {0, 0, 0}, NULL, 0, NULL};
    md = overview_theme_passage(&none);
    CHECK_STR(md, "**How the residents' perspective was obtained and processed (T12 "
                  "Housing).** No sessions with residents were held on this theme.\n"
                  "\n"
                  "**Main input and what was done with it:** none recorded yet.\n"
                  "\n"
                  "**Follow-up:** none planned yet.\n");
    free(md);
}

/* ==== Outcome items ======================================================= */

TEST(an_outcome_not_adopted_needs_a_reason)
{
    overview_outcome_t o = {"Longer opening hours", NULL, OUTCOME_NOT_ADOPTED, " "};
    sm_err_t err = {0};
    CHECK_INT(overview_outcome_check(&o, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "reason");
    o.reason = "no budget in 2020";
    CHECK_INT(overview_outcome_check(&o, NULL), 0);
    o.brought_in = "";
    sm_err_clear(&err);
    CHECK_INT(overview_outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "brought_in");
    o.brought_in = "ok";
    o.done = "bad \xff byte";
    sm_err_clear(&err);
    CHECK_INT(overview_outcome_check(&o, &err), -1);
    CHECK_STR(err.field, "done");
}

TEST(outcome_statuses_parse_both_spellings)
{
    overview_status_t s;
    sm_err_t err = {0};
    CHECK_INT(overview_status_parse("in_progress", &s, "status", &err), 0);
    CHECK_INT(s, OUTCOME_IN_PROGRESS);
    CHECK_INT(overview_status_parse("not adopted", &s, "status", &err), 0);
    CHECK_INT(s, OUTCOME_NOT_ADOPTED);
    CHECK_STR(overview_status_name(OUTCOME_DONE), "done");
    CHECK_INT(overview_status_parse("finished", &s, "status", &err), -1);
    CHECK_STR(err.message, "status must be one of open, in_progress, done, not_adopted");
}

int main(void)
{
    RUN(yearly_overview_markdown_is_exactly_as_documented);
    RUN(yearly_overview_without_themes_says_so);
    RUN(yearly_overview_csv_is_rfc4180_one_row_per_theme);
    RUN(yearly_overview_html_is_a_titled_document);
    RUN(typed_markup_in_an_overview_stays_text_in_html);
    RUN(passage_tells_sessions_methods_participants_input_and_what_was_done);
    RUN(passage_of_one_session_and_of_none);
    RUN(an_outcome_not_adopted_needs_a_reason);
    RUN(outcome_statuses_parse_both_spellings);
    return DONE();
}
