/*  tests/unit/reporting/test_yardstick.c - the yardstick (meetlat): the
    checklist from the settings, the scores, and the blocks the passage and
    the yearly overview carry, in Dutch and English (yardstick_rules.h). */
#include "common/i18n.h"
#include "services/reporting/yardstick_rules.h"
#include "tests/unit/test.h"
#include <stdlib.h>

static const char *const NL[YARDSTICK_MAX] = {
    "De mens staat centraal",
    "We geven en vragen vertrouwen",
    "De invloed van de praktijk en het beleid zijn gelijkwaardig",
    "We baseren ons op feiten en onderzoek",
    "We werken resultaatgericht",
    "We leren en verbeteren"};
static const char *const EN[YARDSTICK_MAX] = {"People are central",
                                              "We give and ask for trust",
                                              "Practice and policy have equal influence",
                                              "We base ourselves on facts and research",
                                              "We work towards results",
                                              "We learn and improve"};

static void s_lang(const char *lang)
{
    sm_err_t err;
    sm_err_clear(&err);
    if (sm_i18n_init(lang, &err) != 0)
        printf("cannot speak %s: %s\n", lang, err.message);
}

TEST(the_default_checklist_is_the_manifestos_six_in_both_languages)
{
    yardstick_list_t l;
    sm_err_t err = {0};
    CHECK_INT(yardstick_list_make(NL, EN, 6, &l, &err), 0);
    CHECK_INT(l.n, 6);
    CHECK_STR(yardstick_principle_text(&l.p[0], "nl"), "De mens staat centraal");
    CHECK_STR(yardstick_principle_text(&l.p[5], "en"), "We learn and improve");
    CHECK_STR(yardstick_principle_text(&l.p[5], "de"), "We learn and improve");
}

TEST(a_principle_in_one_language_serves_both)
{
    const char *nl[YARDSTICK_MAX] = {"Eén", NULL, NULL};
    const char *en[YARDSTICK_MAX] = {"", "Two"};
    yardstick_list_t l;
    sm_err_t err = {0};
    CHECK_INT(yardstick_list_make(nl, en, 2, &l, &err), 0);
    CHECK_INT(l.n, 2);
    CHECK_STR(l.p[0].en, "Eén");
    CHECK_STR(l.p[1].nl, "Two");
}

TEST(each_principle_counted_has_a_text_and_none_beyond)
{
    const char *nl[YARDSTICK_MAX] = {"Een", "", "Drie"};
    const char *en[YARDSTICK_MAX] = {0};
    yardstick_list_t l;
    sm_err_t err = {0};
    CHECK_INT(yardstick_list_make(nl, en, 3, &l, &err), -1);
    CHECK_STR(err.field, "reporting/yardstick/2/nl");
    CHECK(strstr(err.message, "principle 2 of the yardstick's 3 has no text") != NULL);
    sm_err_clear(&err);
    CHECK_INT(yardstick_list_make(nl, en, 1, &l, &err), -1);
    CHECK_STR(err.field, "reporting/yardstick/3/nl");
    CHECK(strstr(err.message, "reporting/yardstick/count") != NULL);
    const char *en3[YARDSTICK_MAX] = {"One", "", "", "Four"};
    sm_err_clear(&err);
    CHECK_INT(yardstick_list_make(nl, en3, 2, &l, &err), -1);
    CHECK_STR(err.field, "reporting/yardstick/2/nl");
    for (int bad = -1; bad <= 11; bad += 12) {
        sm_err_clear(&err);
        CHECK_INT(yardstick_list_make(NL, EN, bad == -1 ? 0 : bad, &l, &err), -1);
        CHECK_STR(err.field, "reporting/yardstick/count");
    }
}

TEST(a_principle_is_one_line_of_at_most_200_characters)
{
    char long_text[260];
    memset(long_text, 'x', 201);
    long_text[201] = '\0';
    const char *nl[YARDSTICK_MAX] = {"Een", long_text};
    const char *en[YARDSTICK_MAX] = {0};
    yardstick_list_t l;
    sm_err_t err = {0};
    CHECK_INT(yardstick_list_make(nl, en, 2, &l, &err), -1);
    CHECK_STR(err.field, "reporting/yardstick/2/nl");
    const char *ctl[YARDSTICK_MAX] = {"Een"};
    const char *en2[YARDSTICK_MAX] = {"One\nand two"};
    sm_err_clear(&err);
    CHECK_INT(yardstick_list_make(ctl, en2, 1, &l, &err), -1);
    CHECK_STR(err.field, "reporting/yardstick/1/en");
}

TEST(scores_are_yes_partly_no_on_the_wire)
{
    CHECK_STR(yardstick_score_code(YARDSTICK_PARTLY), "partly");
    CHECK(yardstick_score_code(YARDSTICK_UNANSWERED) == NULL);
    CHECK_INT(yardstick_score_from_code("no"), YARDSTICK_NO);
    CHECK_INT(yardstick_score_from_code("nee"), YARDSTICK_UNANSWERED);
    CHECK_INT(yardstick_score_from_code(NULL), YARDSTICK_UNANSWERED);
    yardstick_answers_t a = {{YARDSTICK_YES, YARDSTICK_UNANSWERED, YARDSTICK_NO}, {0}};
    CHECK_INT(yardstick_answered(&a, 6), 2);
    CHECK_INT(yardstick_answered(&a, 1), 1);
}

TEST(the_passage_carries_each_principle_with_its_score_and_note_in_dutch)
{
    s_lang("nl");
    yardstick_list_t l;
    yardstick_list_make(NL, EN, 6, &l, NULL);
    yardstick_view_t v = {
        &l, {{YARDSTICK_YES, YARDSTICK_PARTLY}, {"Inwoners *kozen* zelf.", NULL}}, true, NULL};
    strbuf_t *sb = strbuf_new();
    yardstick_put_passage(sb, &v);
    CHECK_STR(strbuf_data(sb), "\n**Meetlat:**\n\n"
                               "- De mens staat centraal: **ja**. Inwoners \\*kozen\\* zelf.\n"
                               "- We geven en vragen vertrouwen: **deels**.\n"
                               "- De invloed van de praktijk en het beleid zijn gelijkwaardig: "
                               "**niet ingevuld**.\n"
                               "- We baseren ons op feiten en onderzoek: **niet ingevuld**.\n"
                               "- We werken resultaatgericht: **niet ingevuld**.\n"
                               "- We leren en verbeteren: **niet ingevuld**.\n");
    //  Without a checklist (a theme's passage before anything was recorded)
    //  nothing is added.
    strbuf_truncate(sb, 0);
    yardstick_view_t none = {NULL, {{0}, {0}}, false, NULL};
    yardstick_put_passage(sb, &none);
    CHECK_STR(strbuf_data(sb), "");
    strbuf_destroy(&sb);
}

TEST(the_passage_reads_english_for_locale_en)
{
    s_lang("en");
    yardstick_list_t l;
    yardstick_list_make(NL, EN, 6, &l, NULL);
    yardstick_view_t v = {&l, {{0, 0, YARDSTICK_NO}, {0}}, true, NULL};
    strbuf_t *sb = strbuf_new();
    yardstick_put_passage(sb, &v);
    CHECK(strstr(strbuf_data(sb), "**Yardstick:**") != NULL);
    CHECK(strstr(strbuf_data(sb), "- Practice and policy have equal influence: **no**.\n") != NULL);
    CHECK(strstr(strbuf_data(sb), "- People are central: **not filled in**.\n") != NULL);
    strbuf_destroy(&sb);
}

TEST(the_yearly_overview_shows_a_row_per_theme_once_one_has_a_yardstick)
{
    s_lang("nl");
    yardstick_list_t l;
    yardstick_list_make(NL, EN, 6, &l, NULL);
    yardstick_view_t taxi = {
        &l,
        {{YARDSTICK_YES, YARDSTICK_PARTLY, YARDSTICK_NO, YARDSTICK_YES, YARDSTICK_YES}, {0}},
        true,
        NULL};
    yardstick_view_t none = {&l, {{0}, {0}}, false, NULL};
    yardstick_row_t rows[] = {{"Wmo-taxi (T3)", &taxi}, {"Suïcide|preventie (T10)", &none}};
    strbuf_t *sb = strbuf_new();
    yardstick_put_overview(sb, rows, 2, false);
    CHECK_STR(strbuf_data(sb), "\n## Meetlat\n\n"
                               "| Project | 1 | 2 | 3 | 4 | 5 | 6 |\n"
                               "|---|---|---|---|---|---|---|\n"
                               "| Wmo-taxi (T3) | ja | deels | nee | ja | ja | – |\n"
                               "| Suïcide\\|preventie (T10) | – | – | – | – | – | – |\n"
                               "\n"
                               "1. De mens staat centraal\n"
                               "2. We geven en vragen vertrouwen\n"
                               "3. De invloed van de praktijk en het beleid zijn gelijkwaardig\n"
                               "4. We baseren ons op feiten en onderzoek\n"
                               "5. We werken resultaatgericht\n"
                               "6. We leren en verbeteren\n"
                               "\n"
                               "– niet ingevuld\n");
    strbuf_truncate(sb, 0);
    yardstick_put_overview(sb, rows, 2, true);
    const char *html = strbuf_data(sb);
    CHECK(strncmp(html, "<h2>Meetlat</h2>\n<table>\n", 25) == 0);
    CHECK(strstr(html, "<tr><td>Wmo-taxi (T3)</td><td>ja</td><td>deels</td><td>nee</td>") != NULL);
    CHECK(strstr(html, "<li>De mens staat centraal</li>") != NULL);
    //  Nobody recorded a yardstick: the overview has no such section.
    yardstick_row_t empty[] = {{"Suïcidepreventie (T10)", &none}};
    strbuf_truncate(sb, 0);
    yardstick_put_overview(sb, empty, 1, false);
    CHECK_STR(strbuf_data(sb), "");
    strbuf_destroy(&sb);
}

int main(void)
{
    RUN(the_default_checklist_is_the_manifestos_six_in_both_languages);
    RUN(a_principle_in_one_language_serves_both);
    RUN(each_principle_counted_has_a_text_and_none_beyond);
    RUN(a_principle_is_one_line_of_at_most_200_characters);
    RUN(scores_are_yes_partly_no_on_the_wire);
    RUN(the_passage_carries_each_principle_with_its_score_and_note_in_dutch);
    RUN(the_passage_reads_english_for_locale_en);
    RUN(the_yearly_overview_shows_a_row_per_theme_once_one_has_a_yardstick);
    return DONE();
}
