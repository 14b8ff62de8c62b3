/*  tests/unit/reporting/test_overview.c - the yearly overview and the
    decision-document passage, in the region's Dutch layout (and English
    for an English reader). */
#include "services/reporting/overview.h"
#include "common/i18n.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/* ==== The fixture ========================================================= */

static const reach_method_row_t T3_METHODS[] = {{"FG", 1, 6}, {"I", 2, 9}};
static const overview_outcome_t T3_OUTCOMES[] = {
    {"Chauffeurs komen vaak te laat.", "Er staat nu een boete in het contract.", OUTCOME_DONE,
     NULL},
    {"Een tweede taxibedrijf.", NULL, OUTCOME_NOT_ADOPTED, "het contract loopt tot 2022"},
    {"Duidelijker *boekings*\n tijden | graag", "Wordt besproken met de vervoerder",
     OUTCOME_IN_PROGRESS, NULL},
};
static const reach_method_row_t T10_METHODS[] = {{"C", 3, 20}, {"XY", 1, 2}};
static const overview_group_t T3_GROUPS[] = {{"gebruikers van de Wmo-taxi", 12},
                                             {"mantelzorgers", 3}};

//  Given out of order on purpose: the overview lists T3 before T10.
static const overview_theme_t THEMES[] = {
    {"T10", "Suïcide\"preventie\"", NULL, T10_METHODS, 2, 4, 11, {2019, 1, 15}, {2019, 10, 1},
     NULL, 0, NULL, NULL, 0, {0}},
    {"T3", "Wmo-taxi", "Hoe ervaren gebruikers de taxi?", T3_METHODS, 2, 3, 14, {2019, 3, 12},
     {2019, 11, 20}, T3_OUTCOMES, 3, "Spiegelbijeenkomst in het tweede kwartaal van 2020.",
     T3_GROUPS, 2, {0}},
};

static void s_lang(const char *lang)
{
    sm_err_t err;
    sm_err_clear(&err);
    if (sm_i18n_init(lang, &err) != 0)
        printf("cannot speak %s: %s\n", lang, err.message);
}

/* ==== The yearly overview ================================================= */

TEST(yearly_overview_is_the_regions_table_in_dutch)
{
    s_lang("nl");
    overview_t o = {2019, THEMES, 2};
    char *md = overview_render_markdown(&o);
    CHECK_STR(md,
              "# Jaaroverzicht 2019\n"
              "\n"
              "## Projecten 2019 (uitgevoerd/afgerond)\n"
              "\n"
              "| Project | Vorm en centrale vraag | Opbrengst en wat we ermee hebben gedaan of nog "
              "gaan doen | Vervolg in 2020 |\n"
              "|---|---|---|---|\n"
              "| Wmo-taxi (T3) | Focusgroep (FG, 1 bijeenkomst), interviews (I, 2 "
              "bijeenkomsten). Centrale vraag: Hoe ervaren gebruikers de taxi? | Inbreng: "
              "Chauffeurs komen vaak te laat. Wat we ermee hebben gedaan: Er staat nu een boete "
              "in het contract. (afgerond)<br>Inbreng: Een tweede taxibedrijf. Wat we ermee "
              "hebben gedaan: nog niets (niet overgenomen, omdat het contract loopt tot "
              "2022)<br>Inbreng: Duidelijker \\*boekings\\* tijden \\| graag Wat we ermee "
              "hebben gedaan: Wordt besproken met de vervoerder (in uitvoering) | "
              "Spiegelbijeenkomst in het tweede kwartaal van 2020. |\n"
              "| Suïcide\"preventie\" (T10) | Café (C, 3 bijeenkomsten), XY (1 bijeenkomst). "
              "Centrale vraag: niet vastgelegd. | Nog niets vastgelegd. | Nog niet gepland. |\n");
    free(md);
}

TEST(yearly_overview_without_themes_says_so)
{
    s_lang("nl");
    overview_t o = {2021, NULL, 0};
    char *md = overview_render_markdown(&o);
    CHECK_STR(md, "# Jaaroverzicht 2021\n\n## Projecten 2021 (uitgevoerd/afgerond)\n\n"
                  "Geen onderwerpen om over te rapporteren.\n");
    free(md);
}

TEST(yearly_overview_csv_is_for_a_dutch_spreadsheet)
{
    s_lang("nl");
    overview_t o = {2019, THEMES, 2};
    char *csv = overview_render_csv(&o);
    CHECK_STR(csv,
              "Project;Vorm en centrale vraag;Opbrengst en wat we ermee hebben gedaan of nog "
              "gaan doen;Vervolg in 2020\r\n"
              "Wmo-taxi (T3);Focusgroep (FG, 1 bijeenkomst), interviews (I, 2 bijeenkomsten). "
              "Centrale vraag: Hoe ervaren gebruikers de taxi?;\"Inbreng: Chauffeurs komen vaak "
              "te laat. Wat we ermee hebben gedaan: Er staat nu een boete in het contract. "
              "(afgerond)\n"
              "Inbreng: Een tweede taxibedrijf. Wat we ermee hebben gedaan: nog niets (niet "
              "overgenomen, omdat het contract loopt tot 2022)\n"
              "Inbreng: Duidelijker *boekings* tijden | graag Wat we ermee hebben gedaan: Wordt "
              "besproken met de vervoerder (in uitvoering)\";Spiegelbijeenkomst in het tweede "
              "kwartaal van 2020.\r\n"
              "\"Suïcide\"\"preventie\"\" (T10)\";Café (C, 3 bijeenkomsten), XY (1 bijeenkomst). "
              "Centrale vraag: niet vastgelegd.;Nog niets vastgelegd.;Nog niet gepland.\r\n");
    free(csv);
}

TEST(yearly_overview_html_is_a_printable_dutch_table)
{
    s_lang("nl");
    overview_t o = {2019, THEMES, 2};
    char *html = overview_render_html(&o);
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(strncmp(html, "<!DOCTYPE html>\n<html lang=\"nl\">\n", 33) == 0);
    CHECK(strstr(html, "<title>Jaaroverzicht 2019</title>") != NULL);
    CHECK(strstr(html, "@media print") != NULL);
    CHECK(strstr(html, "<h1>Jaaroverzicht 2019</h1>\n<h2>Projecten 2019 (uitgevoerd/afgerond)</h2>"
                       "\n<table>\n<thead>\n<tr><th>Project</th><th>Vorm en centrale vraag</th>") !=
          NULL);
    CHECK(strstr(html, "<td>Wmo-taxi (T3)</td>") != NULL);
    CHECK(strstr(html, "(afgerond)<br>\nInbreng: Een tweede taxibedrijf.") != NULL);
    CHECK(strstr(html, "<td>Suïcide&quot;preventie&quot; (T10)</td>") != NULL);
    free(html);
}

TEST(typed_markup_in_an_overview_stays_text_in_html)
{
    s_lang("nl");
    overview_outcome_t evil[] = {
        {"<script>alert(1)</script>", "[x](javascript:alert(1))", OUTCOME_OPEN, NULL}};
    overview_theme_t t = {"T1",      "# Geen kop", NULL, NULL, 0,    0,    0, {0, 0, 0},
                          {0, 0, 0}, evil,         1,    NULL, NULL, 0, {0}};
    overview_t o = {2019, &t, 1};
    char *html = overview_render_html(&o);
    CHECK(html != NULL);
    if (!html)
        return;
    CHECK(strstr(html, "<script>") == NULL);
    CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
    CHECK(strstr(html, "href") == NULL);
    CHECK(strstr(html, "<td># Geen kop (T1)</td>") != NULL);
    CHECK(strstr(html, "Geen bijeenkomsten gehouden") != NULL);
    free(html);
}

TEST(english_readers_get_the_same_table_in_english)
{
    s_lang("en");
    overview_t o = {2019, THEMES, 2};
    char *md = overview_render_markdown(&o);
    CHECK(strncmp(md,
                  "# Yearly overview 2019\n\n## Projects 2019 (carried out/completed)\n\n"
                  "| Project | Form and central question | Outcome and what we did or will do "
                  "with it | Follow-up in 2020 |\n",
                  163) == 0);
    CHECK(strstr(md, "| Wmo-taxi (T3) | Focus group (FG, 1 session), interviews (I, 2 sessions). "
                     "Central question: Hoe ervaren gebruikers de taxi? | Brought in: ") != NULL);
    CHECK(strstr(md, "(not adopted, because het contract loopt tot 2022)") != NULL);
    free(md);
    char *csv = overview_render_csv(&o);
    CHECK(strncmp(csv, "Project,Form and central question,", 34) == 0);
    free(csv);
}

/* ==== The passage for a decision document ================================ */

TEST(passage_tells_sessions_methods_people_groups_input_and_what_was_done)
{
    s_lang("nl");
    char *md = overview_theme_passage(&THEMES[1]);
    CHECK_STR(md,
              "**Hoe is het inwonersperspectief verkregen en verwerkt?** (T3 Wmo-taxi)\n"
              "\n"
              "Van 12 maart 2019 tot en met 20 november 2019 namen inwoners deel aan 3 "
              "bijeenkomsten: focusgroep (FG, 1 bijeenkomst), interviews (I, 2 bijeenkomsten). "
              "Er deden 14 verschillende inwoners mee, onder wie gebruikers van de Wmo-taxi (12) "
              "en mantelzorgers (3). De centrale vraag was: Hoe ervaren gebruikers de taxi?\n"
              "\n"
              "**Belangrijkste inbreng en wat we ermee hebben gedaan:**\n"
              "\n"
              "- **Inbreng:** Chauffeurs komen vaak te laat.\n"
              "  - **Wat we ermee hebben gedaan:** Er staat nu een boete in het contract.\n"
              "  - **Stand:** afgerond\n"
              "- **Inbreng:** Een tweede taxibedrijf.\n"
              "  - **Wat we ermee hebben gedaan:** nog niets\n"
              "  - **Stand:** niet overgenomen, omdat het contract loopt tot 2022\n"
              "- **Inbreng:** Duidelijker \\*boekings\\* tijden \\| graag\n"
              "  - **Wat we ermee hebben gedaan:** Wordt besproken met de vervoerder\n"
              "  - **Stand:** in uitvoering\n"
              "\n"
              "**Vervolg:** Spiegelbijeenkomst in het tweede kwartaal van 2020.\n");
    free(md);
}

TEST(passage_of_one_session_and_of_none)
{
    s_lang("nl");
    static const reach_method_row_t survey[] = {{"E", 1, 1}};
    overview_theme_t one = {"T7",         "Voorleeshulp", NULL, survey, 1,
                            1,            1,              {2019, 5, 1}, {2019, 5, 1},
                            NULL,         0,              "Terugkoppeling in juni.", NULL, 0, {0}};
    char *md = overview_theme_passage(&one);
    CHECK_STR(md, "**Hoe is het inwonersperspectief verkregen en verwerkt?** (T7 Voorleeshulp)\n"
                  "\n"
                  "Op 1 mei 2019 namen inwoners deel aan 1 bijeenkomst: enquête (E, 1 "
                  "bijeenkomst). Er deed 1 inwoner mee.\n"
                  "\n"
                  "**Belangrijkste inbreng en wat we ermee hebben gedaan:** nog niets "
                  "vastgelegd.\n"
                  "\n"
                  "**Vervolg:** Terugkoppeling in juni.\n");
    free(md);
    overview_theme_t none = {"T12",     "Wonen", NULL, NULL, 0,    0,   0, {0, 0, 0},
                             {0, 0, 0}, NULL,    0,    NULL, NULL, 0, {0}};
    md = overview_theme_passage(&none);
    CHECK_STR(md, "**Hoe is het inwonersperspectief verkregen en verwerkt?** (T12 Wonen)\n"
                  "\n"
                  "Over dit onderwerp zijn geen bijeenkomsten met inwoners gehouden.\n"
                  "\n"
                  "**Belangrijkste inbreng en wat we ermee hebben gedaan:** nog niets "
                  "vastgelegd.\n"
                  "\n"
                  "**Vervolg:** nog niet gepland.\n");
    free(md);
    char *html = overview_theme_passage_html(&none);
    CHECK(html && strstr(html, "<html lang=\"nl\">") &&
          strstr(html, "<strong>Hoe is het inwonersperspectief verkregen en verwerkt?</strong>"));
    free(html);
}

/* ==== Outcome items ======================================================= */

TEST(an_outcome_not_adopted_needs_a_reason)
{
    overview_outcome_t o = {"Langere openingstijden", NULL, OUTCOME_NOT_ADOPTED, " "};
    sm_err_t err = {0};
    CHECK_INT(overview_outcome_check(&o, &err), -1);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "reason");
    o.reason = "geen budget in 2020";
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

TEST(outcome_statuses_parse_codes_english_and_dutch)
{
    overview_status_t s;
    sm_err_t err = {0};
    CHECK_INT(overview_status_parse("in_progress", &s, "status", &err), 0);
    CHECK_INT(s, OUTCOME_IN_PROGRESS);
    CHECK_INT(overview_status_parse("not adopted", &s, "status", &err), 0);
    CHECK_INT(s, OUTCOME_NOT_ADOPTED);
    CHECK_INT(overview_status_parse("niet overgenomen", &s, "status", &err), 0);
    CHECK_INT(s, OUTCOME_NOT_ADOPTED);
    CHECK_INT(overview_status_parse("afgerond", &s, "status", &err), 0);
    CHECK_INT(s, OUTCOME_DONE);
    CHECK_STR(overview_status_name(OUTCOME_DONE), "done");
    //  The refusal speaks the reader's language; the field and code do not change.
    s_lang("en");
    CHECK_INT(overview_status_parse("finished", &s, "status", &err), -1);
    CHECK_STR(err.message, "status must be one of open, in_progress, done, not_adopted");
    s_lang("nl");
    sm_err_clear(&err);
    CHECK_INT(overview_status_parse("finished", &s, "status", &err), -1);
    CHECK_STR(err.message, "status moet een van open, in_progress, done, not_adopted zijn");
    CHECK_STR(err.field, "status");
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
}

int main(void)
{
    RUN(yearly_overview_is_the_regions_table_in_dutch);
    RUN(yearly_overview_without_themes_says_so);
    RUN(yearly_overview_csv_is_for_a_dutch_spreadsheet);
    RUN(yearly_overview_html_is_a_printable_dutch_table);
    RUN(typed_markup_in_an_overview_stays_text_in_html);
    RUN(english_readers_get_the_same_table_in_english);
    RUN(passage_tells_sessions_methods_people_groups_input_and_what_was_done);
    RUN(passage_of_one_session_and_of_none);
    RUN(an_outcome_not_adopted_needs_a_reason);
    RUN(outcome_statuses_parse_codes_english_and_dutch);
    return DONE();
}
