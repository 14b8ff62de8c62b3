/*  tests/unit/reporting/test_youth.c - the statutory youth report (CEO Jeugd). */
#include "services/reporting/youth.h"
#include "common/i18n.h"
#include "tests/unit/test.h"
#include <stdlib.h>

static sm_date_t D(int y, int m, int d)
{
    return (sm_date_t){y, m, d};
}

static const youth_finding_t FINDINGS[] = {
    {"T4", "Ouders willen één contactpersoon.", "Sinds 2020 één casemanager per gezin."},
    {NULL, "De wachtlijsten zijn te lang.", NULL},
    {"T9", "Tolken zijn moeilijk te krijgen.", "Budget gevraagd voor 2021."},
};
static const youth_theme_t THEMES[] = {{"T4", "Complexe scheidingen"},
                                       {"T7", "Culturele diversiteit"}};
static const char *const MUNIS[] = {"Blaricum", "Huizen", "Laren"};
static const youth_reach_t WHO = {8, 14, MUNIS, 3};

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

static void s_nl(void)
{
    sm_err_t err;
    sm_err_clear(&err);
    if (sm_i18n_init("nl", &err) != 0)
        printf("cannot speak Dutch: %s\n", err.message);
}

static const char *BODY =
    "## Hoe de ervaringen zijn opgehaald\n"
    "\n"
    "In 2019 hield de regio 5 bijeenkomsten met jongeren en ouders over onderwerpen die de "
    "jeugd aangaan, met 23 verschillende deelnemers (31 keer aanwezig). Daarvan jongeren: 8, "
    "ouders: 14.\n"
    "\n"
    "**Werkvormen:** focusgroep (FG, 3 bijeenkomsten), interviews (I, 2 bijeenkomsten).\n"
    "\n"
    "**Onderwerpen:**\n"
    "\n"
    "- T4 Complexe scheidingen: 3 bijeenkomsten, 12 deelnemers\n"
    "- T7 Culturele diversiteit: 2 bijeenkomsten, 11 deelnemers\n"
    "\n"
    "## Bevindingen en wat we ermee hebben gedaan\n"
    "\n"
    "- **T4 Complexe scheidingen:** Ouders willen één contactpersoon.\n"
    "  - **Wat we ermee hebben gedaan:** Sinds 2020 één casemanager per gezin.\n"
    "- **Algemeen:** De wachtlijsten zijn te lang.\n"
    "  - **Wat we ermee hebben gedaan:** nog niets\n"
    "- **T9:** Tolken zijn moeilijk te krijgen.\n"
    "  - **Wat we ermee hebben gedaan:** Budget gevraagd voor 2021.\n";

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
    s_nl();
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    r.findings = FINDINGS;
    r.n_findings = 3;
    reach_tally_t t = s_tally();
    char *md = youth_render_markdown(&r, &t, &WHO, THEMES, 2, D(2020, 3, 1));
    char want[4096];
    snprintf(want, sizeof want,
             "# Cliëntervaringsonderzoek (CEO) Jeugd 2019\n"
             "\n"
             "**Stand:** concept. Aan te leveren bij het ministerie van Volksgezondheid, Welzijn "
             "en Sport (VWS) uiterlijk 1 juli 2020.\n"
             "\n"
             "%s",
             BODY);
    CHECK_STR(md, want);
    free(md);
}

TEST(youth_report_status_line_shows_overdue_and_late_submission)
{
    s_nl();
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    r.findings = FINDINGS;
    r.n_findings = 3;
    youth_adopt(&r, D(2020, 6, 1), D(2020, 6, 1), NULL);
    char *md = youth_render_markdown(&r, NULL, NULL, NULL, 0, D(2020, 7, 2));
    CHECK(strstr(md, "\n**Stand:** vastgesteld op 1 juni 2020. Aan te leveren bij het ministerie "
                     "van Volksgezondheid, Welzijn en Sport (VWS) uiterlijk 1 juli 2020: 1 dag "
                     "te laat.\n") != NULL);
    CHECK(strstr(md, "In 2019 hield de regio geen bijeenkomsten met jongeren en ouders over "
                     "onderwerpen die de jeugd aangaan.\n\n## Bevindingen") != NULL);
    CHECK(strstr(md, "**Werkvormen:**") == NULL);
    free(md);
    youth_submit(&r, D(2020, 7, 10), D(2020, 7, 10), NULL);
    md = youth_render_markdown(&r, NULL, NULL, NULL, 0, D(2020, 8, 1));
    CHECK(strstr(md, "\n**Stand:** ingediend op 10 juli 2020, 9 dagen na de uiterste datum. Aan "
                     "te leveren bij het ministerie van Volksgezondheid, Welzijn en Sport (VWS) "
                     "uiterlijk 1 juli 2020.\n") != NULL);
    free(md);
}

TEST(youth_report_without_findings_says_so)
{
    s_nl();
    youth_report_t r;
    youth_report_init(&r, 2020, NULL);
    char *md = youth_render_markdown(&r, NULL, NULL, NULL, 0, D(2021, 1, 5));
    CHECK_STR(md, "# Cliëntervaringsonderzoek (CEO) Jeugd 2020\n"
                  "\n"
                  "**Stand:** concept. Aan te leveren bij het ministerie van Volksgezondheid, "
                  "Welzijn en Sport (VWS) uiterlijk 1 juli 2021.\n"
                  "\n"
                  "## Hoe de ervaringen zijn opgehaald\n"
                  "\n"
                  "In 2020 hield de regio geen bijeenkomsten met jongeren en ouders over "
                  "onderwerpen die de jeugd aangaan.\n"
                  "\n"
                  "## Bevindingen en wat we ermee hebben gedaan\n"
                  "\n"
                  "Nog geen bevindingen vastgelegd.\n");
    free(md);
}

TEST(youth_report_html_is_a_titled_dutch_document)
{
    s_nl();
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    r.findings = FINDINGS;
    r.n_findings = 3;
    reach_tally_t t = s_tally();
    char *html = youth_render_html(&r, &t, &WHO, THEMES, 2, D(2020, 3, 1));
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(strstr(html, "<html lang=\"nl\">") != NULL);
    CHECK(strstr(html, "<title>Cliëntervaringsonderzoek (CEO) Jeugd 2019</title>") != NULL);
    CHECK(strstr(html, "<h1>Cliëntervaringsonderzoek (CEO) Jeugd 2019</h1>") != NULL);
    CHECK(strstr(html, "<h2>Bevindingen en wat we ermee hebben gedaan</h2>") != NULL);
    CHECK(strstr(html, "<li>T4 Complexe scheidingen: 3 bijeenkomsten, 12 deelnemers</li>") != NULL);
    free(html);
}

TEST(the_letter_to_the_councils_summarises_the_report)
{
    s_nl();
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    r.findings = FINDINGS;
    r.n_findings = 3;
    reach_tally_t t = s_tally();
    char *md = youth_render_letter_markdown(&r, &t, &WHO, THEMES, 2, D(2020, 6, 2));
    CHECK(md && strncmp(md, "# Raadsinformatiebrief\n\n**Onderwerp:** Cliëntervaringsonderzoek "
                            "(CEO) Jeugd 2019\n\n**Aan:** de gemeenteraden van Blaricum, Huizen "
                            "en Laren\n\n**Datum:** 2 juni 2020\n\nGeachte raadsleden,\n\n",
                      185) == 0);
    CHECK(strstr(md, "Daarvan jongeren: 8, ouders: 14.\n\nDe belangrijkste bevindingen:\n\n"
                     "- Ouders willen één contactpersoon. (Complexe scheidingen)\n"
                     "- De wachtlijsten zijn te lang.\n") != NULL);
    CHECK(strstr(md, "Het rapport wordt uiterlijk 1 juli 2020 ingediend bij het ministerie van "
                     "Volksgezondheid, Welzijn en Sport (VWS).\n\nMet vriendelijke groet,\n\nde "
                     "colleges van burgemeester en wethouders\n") != NULL);
    free(md);
}

TEST(the_infographic_is_one_printable_svg_without_script)
{
    s_nl();
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    youth_finding_t evil[] = {{"T4", "<script>alert(1)</script> & meer", NULL}};
    r.findings = evil;
    r.n_findings = 1;
    reach_tally_t t = s_tally();
    char *svg = youth_render_infographic(&r, &t, &WHO, THEMES, 2, D(2020, 6, 2));
    CHECK(svg && strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
    CHECK(strstr(svg, "width=\"210mm\" height=\"297mm\"") != NULL);
    CHECK(strstr(svg, "xml:lang=\"nl\"") != NULL);
    CHECK(strstr(svg, "<title>Cliëntervaringsonderzoek (CEO) Jeugd 2019</title>") != NULL);
    CHECK(strstr(svg, ">23</text>\n<text x=\"306\" y=\"290\" font-size=\"18\" "
                      "text-anchor=\"middle\">deelnemers</text>") != NULL);
    CHECK(strstr(svg, ">8</text>") && strstr(svg, ">jongeren</text>"));
    CHECK(strstr(svg, ">14</text>") && strstr(svg, ">ouders</text>"));
    CHECK(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; meer") != NULL);
    CHECK(strstr(svg, "<script") == NULL && strstr(svg, "onload") == NULL);
    CHECK(strlen(svg) > 6 && strcmp(svg + strlen(svg) - 7, "</svg>\n") == 0);
    free(svg);
}

TEST(report_due_warns_from_1_may_until_the_report_is_submitted)
{
    s_nl();
    youth_report_t r;
    youth_report_init(&r, 2019, NULL);
    CHECK(!youth_due_warning(&r, D(2020, 4, 30)));
    CHECK(youth_due_warning(&r, D(2020, 5, 1)));
    CHECK(youth_due_warning(&r, D(2020, 9, 1)));
    CHECK(!youth_due_warning(&r, D(2021, 5, 1))); //  then it is the 2020 report's turn
    char text[600];
    CHECK_STR(youth_due_warning_text(&r, D(2020, 5, 1), text, sizeof text),
              "Het cliëntervaringsonderzoek (CEO) Jeugd over 2019 is nog niet ingediend; het moet "
              "uiterlijk 1 juli 2020 bij het ministerie van Volksgezondheid, Welzijn en Sport "
              "(VWS) zijn (nog 61 dagen).");
    CHECK_STR(youth_due_warning_text(&r, D(2020, 7, 2), text, sizeof text),
              "Het cliëntervaringsonderzoek (CEO) Jeugd over 2019 is nog niet ingediend; het had "
              "uiterlijk 1 juli 2020 bij het ministerie van Volksgezondheid, Welzijn en Sport "
              "(VWS) moeten zijn (1 dag te laat).");
    r.findings = FINDINGS;
    r.n_findings = 1;
    youth_adopt(&r, D(2020, 6, 1), D(2020, 6, 1), NULL);
    CHECK(youth_due_warning(&r, D(2020, 6, 2))); //  adopted is not submitted
    youth_submit(&r, D(2020, 6, 20), D(2020, 6, 20), NULL);
    CHECK(!youth_due_warning(&r, D(2020, 6, 21)));
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
    RUN(youth_report_html_is_a_titled_dutch_document);
    RUN(the_letter_to_the_councils_summarises_the_report);
    RUN(the_infographic_is_one_printable_svg_without_script);
    RUN(report_due_warns_from_1_may_until_the_report_is_submitted);
    RUN(target_groups_and_labels_naming_youth_or_parents_are_recognised);
    return DONE();
}
