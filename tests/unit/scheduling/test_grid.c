/*  tests/unit/scheduling/test_grid.c - the planning grid. */
#include "services/scheduling/grid.h"
#include "common/i18n.h"
#include "tests/unit/test.h"
#include <stdlib.h>
#include <time.h>

static int64_t s_utc(int y, int m, int d, int h, int mi)
{
    sm_date_t date = {y, m, d};
    return (sm_date_to_days(date) * 86400 + h * 3600 + mi * 60) * 1000;
}

static session_t s_at(uint64_t id, uint64_t theme, method_t method, int64_t start_ms)
{
    session_t s = {0};
    s.id = id;
    s.theme_id = theme;
    s.method = method;
    s.status = SESSION_PLANNED;
    s.has_time = true;
    s.start_ms = start_ms;
    s.end_ms = start_ms + 2 * 3600 * 1000;
    s.capacity = 12;
    return s;
}

static session_t s_in(uint64_t id, uint64_t theme, method_t method, sm_period_kind_t kind,
                      sm_date_t from, sm_date_t to)
{
    session_t s = {0};
    s.id = id;
    s.theme_id = theme;
    s.method = method;
    s.status = SESSION_PLANNED;
    s.period.kind = kind;
    s.period.from = from;
    s.period.to = to;
    s.capacity = 12;
    return s;
}

//  Themes given out of id order on purpose.
static const grid_theme_t s_themes[] = {
    {3, "Evaluation shelter & care"},
    {1, "Disability taxi"},
    {2, "Suicide prevention"},
};

/*  A small agenda, October 2019 to June 2020. */
static size_t s_agenda(session_t *s)
{
    size_t n = 0;
    //  Disability taxi: a focus group on 15 October 2019, 19:00 Amsterdam.
    s[n++] = s_at(1, 1, METHOD_FG, s_utc(2019, 10, 15, 17, 0));
    //  ... a sounding-board meeting in November, cancelled: not shown.
    s[n] = s_at(8, 1, METHOD_KB, s_utc(2019, 11, 20, 18, 0));
    s[n++].status = SESSION_CANCELLED;
    //  ... a work visit before the grid starts: not shown.
    s[n++] = s_at(9, 1, METHOD_WB, s_utc(2018, 5, 1, 10, 0));
    //  ... a survey some time from May to mid-July: "E?" in May and June.
    s[n++] =
        s_in(11, 1, METHOD_E, SM_PERIOD_RANGE, (sm_date_t){2020, 5, 1}, (sm_date_t){2020, 7, 15});
    //  Suicide prevention: a focus group in January 2020 (the month is fixed).
    s[n++] =
        s_in(2, 2, METHOD_FG, SM_PERIOD_MONTH, (sm_date_t){2020, 1, 1}, (sm_date_t){2020, 1, 31});
    //  ... and one on 11 February, tentative.
    s[n] = s_at(3, 2, METHOD_FG, s_utc(2020, 2, 11, 18, 0));
    s[n++].tentative = true;
    //  ... a network meeting at 00:30 on 1 October 2019 Amsterdam time,
    //  which is still 30 September in UTC: it belongs to October.
    s[n++] = s_at(12, 2, METHOD_N, s_utc(2019, 9, 30, 22, 30));
    //  Evaluation shelter & care: interviews in November and December.
    s[n++] = s_at(4, 3, METHOD_I, s_utc(2019, 11, 5, 9, 0));
    s[n++] = s_at(5, 3, METHOD_I, s_utc(2019, 12, 3, 9, 0));
    //  ... a mirror meeting some time in 2020-Q1: "SB?" in each month.
    s[n++] =
        s_in(6, 3, METHOD_SB, SM_PERIOD_QUARTER, (sm_date_t){2020, 1, 1}, (sm_date_t){2020, 3, 31});
    //  ... more interviews on 10 March, after the quarter began.
    s[n++] = s_at(7, 3, METHOD_I, s_utc(2020, 3, 10, 9, 0));
    //  A session of a theme that is not in the grid: ignored.
    s[n++] = s_at(10, 99, METHOD_FG, s_utc(2020, 1, 10, 9, 0));
    return n;
}

static char *s_render(grid_format_t format)
{
    session_t sessions[16];
    size_t n = s_agenda(sessions);
    sm_err_t err;
    sm_err_clear(&err);
    char *text = grid_render(s_themes, 3, sessions, n, (sm_date_t){2019, 10, 1},
                             (sm_date_t){2020, 6, 1}, format, &err);
    if (!text)
        printf("grid_render: %s\n", err.message);
    return text;
}

TEST(the_text_grid_of_a_small_agenda_is_exactly_the_programme_overview)
{
    char *text = s_render(GRID_TEXT);
    CHECK_STR(text,
              "Theme                     Oct19 Nov19 Dec19 Jan20 Feb20  Mar20 Apr20 May20 Jun20\n"
              "Disability taxi           FG                                         E?    E?\n"
              "Suicide prevention        N                 FG    FG ovb\n"
              "Evaluation shelter & care       I     I     SB?   SB?    SB? I\n"
              "\n"
              "Codes: FG focus group, I interviews, SB mirror meeting, E survey, N network "
              "meeting, ovb tentative (onder voorbehoud), ? not yet fixed to a month\n");
    free(text);
}

TEST(the_dutch_grid_reads_like_the_regions_own)
{
    sm_i18n_init("nl", NULL);
    char *text = s_render(GRID_TEXT);
    CHECK_STR(text,
              "Onderwerp                 Okt 19 Nov 19 Dec 19 Jan 20 Feb 20 Mrt 20 Apr 20 Mei 20 "
              "Jun 20\n"
              "Disability taxi           FG                                               E?     E?\n"
              "Suicide prevention        N                    FG     FG ovb\n"
              "Evaluation shelter & care        I      I      SB?    SB?    SB? I\n"
              "\n"
              "Legenda: FG focusgroep, I interviews, SB spiegelbijeenkomst, E enquête, N "
              "netwerkbijeenkomst, ovb onder voorbehoud, ? nog niet op een maand vastgelegd\n");
    free(text);
    text = s_render(GRID_CSV);
    CHECK(strncmp(text, "Onderwerp;Okt 19;Nov 19;Dec 19;Jan 20;Feb 20;Mrt 20;Apr 20;Mei 20;Jun "
                        "20\r\nDisability taxi;FG;;;;;;;E?;E?\r\n",
                  103) == 0);
    free(text);
    text = s_render(GRID_HTML);
    CHECK(strstr(text, "<html lang=\"nl\">") != NULL);
    CHECK(strstr(text, "<title>Planningsoverzicht Okt 19 - Jun 20</title>") != NULL);
    CHECK(strstr(text, "<p class=\"legend\">Legenda: FG focusgroep,") != NULL);
    free(text);
    sm_i18n_init("en", NULL);
}

TEST(the_csv_grid_follows_rfc_4180)
{
    char *text = s_render(GRID_CSV);
    CHECK_STR(text, "Theme,Oct19,Nov19,Dec19,Jan20,Feb20,Mar20,Apr20,May20,Jun20\r\n"
                    "Disability taxi,FG,,,,,,,E?,E?\r\n"
                    "Suicide prevention,N,,,FG,FG ovb,,,,\r\n"
                    "Evaluation shelter & care,,I,I,SB?,SB?,SB? I,,,\r\n");
    free(text);
}

TEST(the_markdown_grid_is_a_table)
{
    char *text = s_render(GRID_MD);
    CHECK_STR(text,
              "| Theme | Oct19 | Nov19 | Dec19 | Jan20 | Feb20 | Mar20 | Apr20 | May20 | Jun20 |\n"
              "|---|---|---|---|---|---|---|---|---|---|\n"
              "| Disability taxi | FG | | | | | | | E? | E? |\n"
              "| Suicide prevention | N | | | FG | FG ovb | | | | |\n"
              "| Evaluation shelter \\& care | | I | I | SB? | SB? | SB? I | | | |\n"
              "\n"
              "Codes: FG focus group, I interviews, SB mirror meeting, E survey, N network "
              "meeting, ovb tentative (onder voorbehoud), ? not yet fixed to a month\n");
    free(text);
}

TEST(the_html_grid_is_a_complete_document)
{
    char *text = s_render(GRID_HTML);
    CHECK(strncmp(text,
                  "<!DOCTYPE html>\n"
                  "<html lang=\"en\">\n"
                  "<head>\n"
                  "<meta charset=\"utf-8\">\n"
                  "<title>Planning grid Oct19-Jun20</title>\n"
                  "<style>\n",
                  112) == 0);
    CHECK(strstr(text, "@page { size: A4;") != NULL);
    CHECK(strstr(text,
                 "</head>\n"
                 "<body>\n"
                 "<h1>Planning grid Oct19-Jun20</h1>\n"
                 "<table>\n"
                 "<thead>\n"
                 "<tr><th scope=\"col\">Theme</th><th scope=\"col\">Oct19</th><th "
                 "scope=\"col\">Nov19</th><th scope=\"col\">Dec19</th><th scope=\"col\">Jan20</th><th "
                 "scope=\"col\">Feb20</th><th scope=\"col\">Mar20</th><th scope=\"col\">Apr20</th><th "
                 "scope=\"col\">May20</th><th scope=\"col\">Jun20</th></tr>\n"
                 "</thead>\n"
                 "<tbody>\n"
                 "<tr><th scope=\"row\">Disability "
                 "taxi</th><td>FG</td><td></td><td></td><td></td><td></td><td></td><td></"
                 "td><td>E?</td><td>E?</td></tr>\n"
                 "<tr><th scope=\"row\">Suicide "
                 "prevention</th><td>N</td><td></td><td></td><td>FG</td><td>FG "
                 "ovb</td><td></td><td></td><td></td><td></td></tr>\n"
                 "<tr><th scope=\"row\">Evaluation shelter &amp; "
                 "care</th><td></td><td>I</td><td>I</td><td>SB?</td><td>SB?</td><td>SB? "
                 "I</td><td></td><td></td><td></td></tr>\n"
                 "</tbody>\n"
                 "</table>\n"
                 "<p class=\"legend\">Codes: FG focus group, I interviews, SB mirror meeting, E "
                 "survey, N network meeting, ovb tentative (onder voorbehoud), ? not yet fixed to "
                 "a month</p>\n"
                 "</body>\n"
                 "</html>\n") != NULL);
    free(text);
}

/*  Render one theme titled title with one focus group in January 2020. */
static char *s_one(const char *title, grid_format_t format)
{
    grid_theme_t theme = {4, title};
    session_t s = s_at(1, 4, METHOD_FG, s_utc(2020, 1, 14, 18, 0));
    return grid_render(&theme, 1, &s, 1, (sm_date_t){2020, 1, 1}, (sm_date_t){2020, 2, 1}, format,
                       NULL);
}

TEST(csv_quotes_commas_quotes_and_line_breaks)
{
    char *text = s_one("Youth, \"care\"\nand school", GRID_CSV);
    CHECK_STR(text, "Theme,Jan20,Feb20\r\n\"Youth, \"\"care\"\"\nand school\",FG,\r\n");
    free(text);
}

TEST(html_escapes_markup_in_titles)
{
    char *text = s_one("<script>alert('x')</script> & \"more\"", GRID_HTML);
    CHECK(strstr(text, "<th scope=\"row\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                       "&quot;more&quot;</th><td>FG</td><td></td></tr>") != NULL);
    CHECK(strstr(text, "<script>") == NULL);
    free(text);
}

TEST(markdown_escapes_pipes_and_joins_lines)
{
    char *text = s_one("a|b\nc *d*", GRID_MD);
    CHECK_STR(text, "| Theme | Jan20 | Feb20 |\n|---|---|---|\n| a\\|b c \\*d\\* | FG | |\n"
                    "\nCodes: FG focus group\n");
    free(text);
}

TEST(text_pads_by_characters_not_bytes_and_flattens_control_characters)
{
    //  "Café enquête" is 12 characters, 14 bytes.
    char *text = s_one("Café enquête", GRID_TEXT);
    CHECK_STR(text, "Theme        Jan20 Feb20\nCafé enquête FG\n\nCodes: FG focus group\n");
    free(text);
    text = s_one("Line\none", GRID_TEXT);
    CHECK_STR(text, "Theme    Jan20 Feb20\nLine one FG\n\nCodes: FG focus group\n");
    free(text);
}

TEST(a_theme_without_a_title_shows_its_id_and_an_empty_theme_shows_an_empty_row)
{
    grid_theme_t themes[] = {{4, NULL}, {5, "Empty"}};
    char *text = grid_render(themes, 2, NULL, 0, (sm_date_t){2020, 12, 1}, (sm_date_t){2021, 1, 1},
                             GRID_TEXT, NULL);
    CHECK_STR(text, "Theme Dec20 Jan21\nT4\nEmpty\n");
    free(text);
    text = grid_render(NULL, 0, NULL, 0, (sm_date_t){2020, 12, 1}, (sm_date_t){2020, 12, 1},
                       GRID_CSV, NULL);
    CHECK_STR(text, "Theme,Dec20\r\n");
    free(text);
}

TEST(two_sessions_in_one_month_appear_in_time_order)
{
    grid_theme_t theme = {1, "T"};
    session_t s[3];
    s[0] = s_at(9, 1, METHOD_SB, s_utc(2020, 1, 20, 18, 0));
    s[1] = s_at(2, 1, METHOD_I, s_utc(2020, 1, 6, 9, 0));
    s[2] = s_at(5, 1, METHOD_FG, s_utc(2020, 1, 20, 18, 0)); //  same time: lower id first
    s[2].tentative = true;
    char *text = grid_render(&theme, 1, s, 3, (sm_date_t){2020, 1, 1}, (sm_date_t){2020, 1, 1},
                             GRID_TEXT, NULL);
    CHECK_STR(text, "Theme Jan20\nT     I FG ovb SB\n\nCodes: FG focus group, I interviews, SB "
                    "mirror meeting, ovb tentative (onder voorbehoud)\n");
    free(text);
}

TEST(a_year_period_marks_every_month_as_not_fixed_and_a_day_period_is_fixed)
{
    grid_theme_t theme = {1, "T"};
    session_t s[2];
    s[0] =
        s_in(1, 1, METHOD_KB, SM_PERIOD_YEAR, (sm_date_t){2020, 1, 1}, (sm_date_t){2020, 12, 31});
    s[0].tentative = true;
    s[1] = s_in(2, 1, METHOD_WB, SM_PERIOD_DAY, (sm_date_t){2020, 2, 3}, (sm_date_t){2020, 2, 3});
    char *text = grid_render(&theme, 1, s, 2, (sm_date_t){2019, 12, 1}, (sm_date_t){2020, 2, 1},
                             GRID_CSV, NULL);
    CHECK_STR(text, "Theme,Dec19,Jan20,Feb20\r\nT,,KB? ovb,KB? ovb WB\r\n");
    free(text);
}

TEST(bad_month_ranges_and_formats_are_refused)
{
    sm_err_t err;
    sm_err_clear(&err);
    CHECK(grid_render(s_themes, 3, NULL, 0, (sm_date_t){2020, 6, 1}, (sm_date_t){2020, 5, 1},
                      GRID_TEXT, &err) == NULL);
    CHECK_STR(err.code, SM_E_INVALID_ARGUMENT);
    CHECK_STR(err.field, "to");
    CHECK_STR(err.message, "to 2020-05 is before from 2020-06; give a later month");
    CHECK(grid_render(s_themes, 3, NULL, 0, (sm_date_t){2020, 1, 1}, (sm_date_t){2030, 1, 1},
                      GRID_TEXT, &err) == NULL);
    CHECK_STR(err.message, "the grid would span 121 months; give at most 120");
    CHECK(grid_render(s_themes, 3, NULL, 0, (sm_date_t){2020, 13, 1}, (sm_date_t){2021, 1, 1},
                      GRID_TEXT, &err) == NULL);
    CHECK_STR(err.field, "from");
    CHECK(grid_render(s_themes, 3, NULL, 0, (sm_date_t){2020, 1, 1}, (sm_date_t){2020, 0, 1},
                      GRID_TEXT, &err) == NULL);
    CHECK_STR(err.field, "to");
    CHECK(grid_render(s_themes, 3, NULL, 0, (sm_date_t){2020, 1, 1}, (sm_date_t){2020, 1, 1},
                      (grid_format_t)9, &err) == NULL);
    CHECK_STR(err.field, "format");
}

TEST(formats_and_month_labels)
{
    grid_format_t f = GRID_TEXT;
    sm_err_t err;
    sm_err_clear(&err);
    CHECK_INT(grid_format_parse("CSV", &f, "format", &err), 0);
    CHECK_INT(f, GRID_CSV);
    CHECK_INT(grid_format_parse("markdown", &f, "format", &err), 0);
    CHECK_INT(f, GRID_MD);
    CHECK_INT(grid_format_parse("html", &f, "format", &err), 0);
    CHECK_INT(f, GRID_HTML);
    CHECK_INT(grid_format_parse("pdf", &f, "format", &err), -1);
    CHECK_STR(err.message, "format is not a grid format; use text, csv, md or html");
    char buf[8];
    CHECK_STR(grid_month_label(2019, 10, buf), "Oct19");
    CHECK_STR(grid_month_label(2000, 1, buf), "Jan00");
    CHECK_STR(grid_month_label(2105, 12, buf), "Dec05");
}

TEST(two_hundred_themes_by_twenty_four_months_render_quickly)
{
    enum { THEMES = 200, SESSIONS = 20000 };
    grid_theme_t *themes = calloc(THEMES, sizeof *themes);
    session_t *sessions = calloc(SESSIONS, sizeof *sessions);
    char(*titles)[32] = calloc(THEMES, 32);
    for (int t = 0; t < THEMES; t++) {
        snprintf(titles[t], 32, "Theme number %d", t + 1);
        themes[t].id = (uint64_t)(THEMES - t); //  reverse order
        themes[t].title = titles[t];
    }
    for (int i = 0; i < SESSIONS; i++) {
        int month = i % 24, day = 1 + i % 28;
        if (i % 5 == 0)
            sessions[i] = s_in((uint64_t)i + 1, (uint64_t)(i % THEMES) + 1, (method_t)(i % 9),
                               SM_PERIOD_QUARTER, (sm_date_t){2020 + month / 12, 1, 1},
                               (sm_date_t){2020 + month / 12, 3, 31});
        else
            sessions[i] = s_at((uint64_t)i + 1, (uint64_t)(i % THEMES) + 1, (method_t)(i % 9),
                               s_utc(2020 + month / 12, month % 12 + 1, day, 18, 0));
        sessions[i].tentative = i % 7 == 0;
    }
    clock_t t0 = clock();
    for (int f = 0; f < GRID_FORMAT_COUNT; f++) {
        char *text = grid_render(themes, THEMES, sessions, SESSIONS, (sm_date_t){2020, 1, 1},
                                 (sm_date_t){2021, 12, 1}, (grid_format_t)f, NULL);
        CHECK(text != NULL);
        if (f == GRID_TEXT && text) {
            size_t lines = 0;
            for (const char *p = text; *p; p++)
                lines += *p == '\n';
            CHECK_INT(lines, THEMES + 3); //  and a blank line and the legend
            CHECK(strncmp(strchr(text, '\n') + 1, "Theme number 200 ", 17) == 0);
        }
        free(text);
    }
    double seconds = (double)(clock() - t0) / CLOCKS_PER_SEC;
    //  Generous: sanitizers slow this down several times; the real cost is
    //  a few milliseconds.
    CHECK(seconds < 2.0);
    free(titles);
    free(sessions);
    free(themes);
}

int main(void)
{
    RUN(the_text_grid_of_a_small_agenda_is_exactly_the_programme_overview);
    RUN(the_dutch_grid_reads_like_the_regions_own);
    RUN(the_csv_grid_follows_rfc_4180);
    RUN(the_markdown_grid_is_a_table);
    RUN(the_html_grid_is_a_complete_document);
    RUN(csv_quotes_commas_quotes_and_line_breaks);
    RUN(html_escapes_markup_in_titles);
    RUN(markdown_escapes_pipes_and_joins_lines);
    RUN(text_pads_by_characters_not_bytes_and_flattens_control_characters);
    RUN(a_theme_without_a_title_shows_its_id_and_an_empty_theme_shows_an_empty_row);
    RUN(two_sessions_in_one_month_appear_in_time_order);
    RUN(a_year_period_marks_every_month_as_not_fixed_and_a_day_period_is_fixed);
    RUN(bad_month_ranges_and_formats_are_refused);
    RUN(formats_and_month_labels);
    RUN(two_hundred_themes_by_twenty_four_months_render_quickly);
    return DONE();
}
