/*  tests/unit/reporting/test_youth.c - the statutory youth report (CEO Jeugd). */
#include "services/reporting/youth.h"
#include "tests/unit/test.h"
#include <stdlib.h>

static sm_date_t D(int y, int m, int d)
{
    return (sm_date_t){y, m, d};
}

static const youth_finding_t FINDINGS[] = {
    {"T4", "Parents want one contact person.", "A case manager per family since 2020."},
    {NULL, "Waiting lists are too long.", NULL},
    {"T9", "Interpreters are hard to get.", "Budget asked for 2021."},
};
static const youth_theme_t THEMES[] = {{"T4", "Complex divorces"}, {"T7", "Cultural diversity"}};

static reach_method_row_t METHODS[] = {{"FG", 3, 20}, {"I", 2, 11}};
static reach_theme_row_t TALLY_THEMES[] = {
    {"T4", 3, 18, 12, {2019, 2, 1}, {2019, 11, 1}, 0, 1},
    {"T7", 2, 13, 11, {2019, 3, 1}, {2019, 9, 1}, 1, 1},
};

static reach_tally_t s_tally(void)
{
    return (reach_tally_t){.sessions = 5,
                           .attendances = 31,
                           .participants = 23,
                           .first_held = {2019, 2, 1},
                           .last_held = {2019, 11, 1},
                           .methods = METHODS,
                           .n_methods = 2,
                           .themes = TALLY_THEMES,
                           .n_themes = 2};
}

static const char *BODY =
    "## How the experiences were gathered\n"
    "\n"
    "In 2019 the region held 5 sessions with youth and parents on youth-relevant themes, with "
    "23 different participants (31 attendances).\n"
    "\n"
    "**Methods:** focus group (FG, 3 sessions), interviews (I, 2 sessions).\n"
    "\n"
    "**Themes:**\n"
    "\n"
    "- T4 Complex divorces: 3 sessions, 12 participants\n"
    "- T7 Cultural diversity: 2 sessions, 11 participants\n"
    "\n"
    "## Findings and what was done\n"
    "\n"
    "- **T4 Complex divorces:** Parents want one contact person.\n"
    "  - **What was done:** A case manager per family since 2020.\n"
    "- **General:** Waiting lists are too long.\n"
    "  - **What was done:** nothing yet\n"
    "- **T9:** Interpreters are hard to get.\n"
    "  - **What was done:** Budget asked for 2021.\n";

TEST(the_report_on_2019_is_due_on_1_july_2020)
{
    sm_date_t due = youth_due_date(2019);
    CHECK_INT(sm_date_cmp(due, D(2020, 7, 1)), 0);
    char buf[11];
    CHECK_STR(sm_date_format(due, buf), "2020-07-01");
}

TEST(days_late_count_from_the_due_date)
{
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    CHECK_INT(youth_days_late(&r, D(2020, 7, 1)), 0);
    CHECK_INT(youth_days_late(&r, D(2020, 7, 4)), 3);
    r.status = YOUTH_SUBMITTED;
    r.submitted_on = D(2020, 6, 30);
    CHECK_INT(youth_days_late(&r, D(2020, 12, 1)), 0);
    r.submitted_on = D(2020, 7, 10);
    CHECK_INT(youth_days_late(&r, D(2020, 12, 1)), 9);
}

TEST(draft_adopted_submitted_and_revise_returns_to_draft)
{
    youth_report_t r;
    sm_err_t err = {0};
    CHECK_INT(youth_report_init(&r, 2019, &err), 0);
    CHECK_STR(youth_status_name(r.status), "draft");
    CHECK_INT(youth_adopt(&r, D(2020, 5, 1), D(2020, 5, 1), &err), -1);
    CHECK_STR(err.code, SM_E_FAILED_PRECONDITION);
    CHECK_STR(err.message,
              "the youth report on 2019 has no findings; add at least one before adopting it");
    r.findings = FINDINGS;
    r.n_findings = 3;
    CHECK_INT(youth_submit(&r, D(2020, 5, 2), D(2020, 5, 2), &err), -1);
    CHECK_STR(err.message, "the youth report on 2019 is a draft; adopt it before submitting it");
    sm_err_clear(&err);
    CHECK_INT(youth_adopt(&r, D(2020, 5, 2), D(2020, 5, 1), &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "date");
    CHECK_STR(err.message, "date 2020-05-02 is in the future; give the day the report was "
                           "adopted, at the latest 2020-05-01");
    CHECK_STR(youth_status_name(r.status), "draft");
    //  Recorded afterwards: adopted on the day it happened.
    CHECK_INT(youth_adopt(&r, D(2020, 4, 20), D(2020, 5, 1), &err), 0);
    CHECK_INT(sm_date_cmp(r.adopted_on, D(2020, 4, 20)), 0);
    CHECK_STR(youth_status_name(r.status), "adopted");
    CHECK_INT(youth_revise(&r, &err), 0);
    CHECK_STR(youth_status_name(r.status), "draft");
    CHECK_INT(r.adopted_on.y, 0);
    CHECK_INT(youth_adopt(&r, D(2020, 5, 12), D(2020, 5, 12), &err), 0);
    CHECK_INT(youth_adopt(&r, D(2020, 5, 13), D(2020, 5, 13), &err), -1);
    CHECK_STR(err.message, "the youth report on 2019 is already adopted (on 2020-05-12); submit "
                           "it, or revise it to return it to draft");
    sm_err_clear(&err);
    CHECK_INT(youth_submit(&r, D(2020, 6, 21), D(2020, 6, 20), &err), -1);
    CHECK_STR(err.field, "date");
    sm_err_clear(&err);
    CHECK_INT(youth_submit(&r, D(2020, 5, 11), D(2020, 6, 20), &err), -1);
    CHECK_STR(err.message,
              "date 2020-05-11 is before the report was adopted; give a day from 2020-05-12 on");
    CHECK_INT(youth_submit(&r, D(2020, 6, 20), D(2020, 6, 20), &err), 0);
    CHECK_STR(youth_status_name(r.status), "submitted");
    CHECK_INT(youth_revise(&r, &err), -1);
    CHECK_STR(err.message,
              "the youth report on 2019 was submitted on 2020-06-20 and can no longer change");
    CHECK_STR(youth_status_name(r.status), "submitted");
    CHECK_INT(youth_submit(&r, D(2020, 6, 21), D(2020, 6, 21), &err), -1);
    CHECK_STR(err.message, "the youth report on 2019 was already submitted on 2020-06-20");
}

TEST(year_and_findings_are_checked)
{
    youth_report_t r;
    sm_err_t err = {0};
    CHECK_INT(youth_report_init(&r, 0, &err), -1);
    CHECK_STR(err.field, "year");
    youth_finding_t f = {"T4", "  ", NULL};
    sm_err_clear(&err);
    CHECK_INT(youth_finding_check(&f, &err), -1);
    CHECK_STR(err.field, "finding");
    f.finding = "ok";
    CHECK_INT(youth_finding_check(&f, NULL), 0);
}

TEST(youth_report_markdown_is_exactly_as_documented)
{
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    r.findings = FINDINGS;
    r.n_findings = 3;
    reach_tally_t t = s_tally();
    char *md = youth_render_markdown(&r, &t, THEMES, 2, D(2020, 3, 1));
    char want[4096];
    snprintf(want, sizeof want,
             "# Youth client experience report 2019\n"
             "\n"
             "**Status:** draft. Due at the Ministry of Health, Welfare and Sport (VWS) on "
             "2020-07-01.\n"
             "\n"
             "%s",
             BODY);
    CHECK_STR(md, want);
    free(md);
}

TEST(youth_report_status_line_shows_overdue_and_late_submission)
{
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    r.findings = FINDINGS;
    r.n_findings = 3;
    youth_adopt(&r, D(2020, 6, 1), D(2020, 6, 1), NULL);
    char *md = youth_render_markdown(&r, NULL, NULL, 0, D(2020, 7, 2));
    CHECK(strstr(md, "\n**Status:** adopted on 2020-06-01. Due at the Ministry of Health, "
                     "Welfare and Sport (VWS) on 2020-07-01: 1 day overdue.\n") != NULL);
    CHECK(strstr(md, "In 2019 the region held no sessions with youth and parents on "
                     "youth-relevant themes.\n\n## Findings") != NULL);
    CHECK(strstr(md, "**Methods:**") == NULL);
    free(md);
    youth_submit(&r, D(2020, 7, 10), D(2020, 7, 10), NULL);
    md = youth_render_markdown(&r, NULL, NULL, 0, D(2020, 8, 1));
    CHECK(strstr(md, "\n**Status:** submitted on 2020-07-10, 9 days after the due date. Due at "
                     "the Ministry of Health, Welfare and Sport (VWS) on 2020-07-01.\n") != NULL);
    free(md);
}

TEST(youth_report_without_findings_says_so)
{
    youth_report_t r;
    youth_report_init(&r, 2020, NULL);
    char *md = youth_render_markdown(&r, NULL, NULL, 0, D(2021, 1, 5));
    CHECK_STR(md, "# Youth client experience report 2020\n"
                  "\n"
                  "**Status:** draft. Due at the Ministry of Health, Welfare and Sport (VWS) on "
                  "2021-07-01.\n"
                  "\n"
                  "## How the experiences were gathered\n"
                  "\n"
                  "In 2020 the region held no sessions with youth and parents on youth-relevant "
                  "themes.\n"
                  "\n"
                  "## Findings and what was done\n"
                  "\n"
                  "No findings recorded yet.\n");
    free(md);
}

TEST(youth_report_html_is_a_titled_document)
{
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    r.findings = FINDINGS;
    r.n_findings = 3;
    reach_tally_t t = s_tally();
    char *html = youth_render_html(&r, &t, THEMES, 2, D(2020, 3, 1));
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(strstr(html, "<title>Youth client experience report 2019</title>") != NULL);
    CHECK(strstr(html, "<h1>Youth client experience report 2019</h1>") != NULL);
    CHECK(strstr(html, "<h2>Findings and what was done</h2>") != NULL);
    CHECK(strstr(html, "<li>T4 Complex divorces: 3 sessions, 12 participants</li>") != NULL);
    free(html);
}

TEST(target_groups_and_labels_naming_youth_or_parents_are_recognised)
{
    CHECK(youth_group_is_youth_or_parents("youth"));
    CHECK(youth_group_is_youth_or_parents("Young carers"));
    CHECK(youth_group_is_youth_or_parents("foster parents"));
    CHECK(youth_group_is_youth_or_parents("foster_parent"));
    CHECK(youth_group_is_youth_or_parents("foster-parents"));
    CHECK(youth_group_is_youth_or_parents("PARENTS of children with dyslexia"));
    CHECK(youth_group_is_youth_or_parents("jongeren"));
    CHECK(youth_group_is_youth_or_parents("pleegouders"));
    CHECK(youth_group_is_youth_or_parents("parent"));
    //  Whole words only: "grandparents" and "youthful" are other words.
    CHECK(!youth_group_is_youth_or_parents("grandparents"));
    CHECK(!youth_group_is_youth_or_parents("youthful elderly"));
    CHECK(!youth_group_is_youth_or_parents("statushouders"));
    CHECK(!youth_group_is_youth_or_parents(""));
    CHECK(!youth_group_is_youth_or_parents(NULL));
}

int main(void)
{
    RUN(the_report_on_2019_is_due_on_1_july_2020);
    RUN(days_late_count_from_the_due_date);
    RUN(draft_adopted_submitted_and_revise_returns_to_draft);
    RUN(year_and_findings_are_checked);
    RUN(youth_report_markdown_is_exactly_as_documented);
    RUN(youth_report_status_line_shows_overdue_and_late_submission);
    RUN(youth_report_without_findings_says_so);
    RUN(youth_report_html_is_a_titled_document);
    RUN(target_groups_and_labels_naming_youth_or_parents_are_recognised);
    return DONE();
}
