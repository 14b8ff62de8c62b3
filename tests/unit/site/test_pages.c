/*  tests/unit/site/test_pages.c - the public site's pages from a fixed
    public view: what they show, in Dutch, escaped, accessible in shape. */
#include "common/i18n.h"
#include "services/site/build.h"
#include "services/site/feeds.h"
#include "services/site/pages.h"
#include "services/site/report_html.h"
#include "tests/unit/test.h"
#include <stdlib.h>

/*  A public view: T1 active with two sessions to come (one cancelled),
    one held with report R1 and an outcome; T2 proposed with nothing
    public; T3 whose title tries to be markup. */
static void s_data(site_data_t *d)
{
    memset(d, 0, sizeof *d);
    d->themes = calloc(3, sizeof *d->themes);
    d->n_themes = 3;
    site_theme_t *t = &d->themes[0];
    snprintf(t->id, sizeof t->id, "T1");
    t->number = 1;
    t->title = strdup("Wmo-taxi");
    t->question = strdup("Wat maakt de taxi makkelijker?");
    snprintf(t->domain, sizeof t->domain, "social_support");
    snprintf(t->phase, sizeof t->phase, "evaluation");
    snprintf(t->status, sizeof t->status, "active");
    t->regional = true;
    t->years[0] = 2020;
    t->n_years = 1;
    t = &d->themes[1];
    snprintf(t->id, sizeof t->id, "T2");
    t->number = 2;
    t->title = strdup("Nog geheim");
    t->question = strdup("");
    snprintf(t->status, sizeof t->status, "proposed");
    t = &d->themes[2];
    snprintf(t->id, sizeof t->id, "T3");
    t->number = 3;
    t->title = strdup("<script>alert('x')</script> & \"co\"");
    t->question = strdup("<b>vet?</b>");
    snprintf(t->status, sizeof t->status, "completed");

    d->sessions = calloc(3, sizeof *d->sessions);
    d->n_sessions = 3;
    const char *ids[] = {"S1", "S2", "S3"}, *status[] = {"held", "planned", "cancelled"};
    for (int i = 0; i < 3; i++) {
        site_session_t *s = &d->sessions[i];
        snprintf(s->id, sizeof s->id, "%s", ids[i]);
        s->number = (uint64_t)i + 1;
        snprintf(s->theme, sizeof s->theme, "T1");
        snprintf(s->method, sizeof s->method, i == 0 ? "FG" : "SB");
        snprintf(s->status, sizeof s->status, "%s", status[i]);
        s->title = strdup("");
        s->question = strdup("");
        s->location = strdup(i == 1 ? "Bibliotheek <Huizen>" : "");
        s->capacity = 12;
        s->places_left = i == 1 ? 1 : 12;
        s->reimbursement_cents = 1500;
    }
    //  S1 held on 2020-03-12 19:00-21:00 (18:00Z); S2 on 2020-09-10; S3 in 2020-Q4, earlier
    //  in the list than S2 only by its ID.
    d->sessions[0].has_time = true;
    d->sessions[0].start_ms = 1584036000000LL;
    d->sessions[0].end_ms = 1584043200000LL;
    d->sessions[0].has_held_on = true;
    d->sessions[0].held_on = (sm_date_t){2020, 3, 12};
    d->sessions[1].has_time = true;
    d->sessions[1].start_ms = 1599759000000LL; //  2020-09-10T17:30Z
    d->sessions[1].end_ms = 1599766200000LL;
    d->sessions[1].has_register_by = true;
    d->sessions[1].register_by = (sm_date_t){2020, 9, 1};
    sm_period_parse("2020-Q4", &d->sessions[2].period, "period", NULL);

    d->reports = calloc(1, sizeof *d->reports);
    d->n_reports = 1;
    site_report_t *r = &d->reports[0];
    snprintf(r->id, sizeof r->id, "R1");
    r->number = 1;
    snprintf(r->session, sizeof r->session, "S1");
    snprintf(r->theme, sizeof r->theme, "T1");
    r->version = 2;
    r->published_on = (sm_date_t){2020, 6, 30};
    r->first_published_on = (sm_date_t){2020, 4, 1};
    r->text = strdup("# Focusgroep\n\nAcht inwoners deden mee.\n\n<b>ruw</b>\n");

    d->outcomes = calloc(1, sizeof *d->outcomes);
    d->n_outcomes = 1;
    site_outcome_t *u = &d->outcomes[0];
    snprintf(u->id, sizeof u->id, "U1");
    snprintf(u->theme, sizeof u->theme, "T1");
    snprintf(u->status, sizeof u->status, "not_adopted");
    u->brought_in = strdup("De taxi komt te laat.\nEn is vol.");
    u->done = strdup("");
    u->reason = strdup("het contract loopt tot 2022");
    u->follow_up = strdup("");
    d->calendar = strdup("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
}

static const site_render_opts_t s_opts = {
    "https://www.regio.example/meedoen/", "Samenkracht", "meedoen@regio.example", {2020, 6, 30}};

static bool s_has(const char *hay, const char *needle)
{
    bool ok = hay && strstr(hay, needle);
    if (!ok)
        printf("     missing: %s\n", needle);
    return ok;
}

/*  The number of times needle occurs in hay. */
static int s_count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

TEST(a_page_declares_its_language_and_has_a_skip_link_landmarks_and_one_h1)
{
    site_data_t d;
    s_data(&d);
    char *html = site_page_agenda(&d, &s_opts);
    CHECK(s_has(html, "<html lang=\"nl\">"));
    CHECK(s_has(html, "<a class=\"skip\" href=\"#main\">Naar de inhoud</a>"));
    CHECK(s_has(html, "<header>"));
    CHECK(s_has(html, "<nav aria-label=\"Hoofdmenu\">"));
    CHECK(s_has(html, "<main id=\"main\" tabindex=\"-1\">"));
    CHECK(s_has(html, "<footer>"));
    CHECK(s_has(html, "href=\"index.html\" aria-current=\"page\">Agenda</a>"));
    CHECK_INT(s_count(html, "<h1>"), 1);
    CHECK(!strstr(html, "<script"));
    free(html);
    site_data_free(&d);
}

TEST(the_agenda_shows_sessions_to_come_per_theme_in_date_order_with_states_in_words)
{
    site_data_t d;
    s_data(&d);
    char *html = site_page_agenda(&d, &s_opts);
    CHECK(!strstr(html, "id=\"S1\"")); //  held: not to come
    const char *s2 = strstr(html, "id=\"S2\""), *s3 = strstr(html, "id=\"S3\"");
    CHECK(s2 && s3 && s2 < s3); //  September before the fourth quarter
    CHECK(s_has(html, "donderdag 10 september 2020, 19:30 tot 21:30 uur"));
    CHECK(s_has(html, "Kwartaal 4 van 2020"));
    CHECK(s_has(html, "Bibliotheek &lt;Huizen&gt;"));
    CHECK(s_has(html, "Nog 1 plaats vrij. Aanmelden kan tot en met 1 september 2020. "
                      "Aanmelden: meedoen@regio.example."));
    CHECK(s_has(html, "Afgelast: deze bijeenkomst gaat niet door."));
    CHECK(s_has(html, "€ 15,00 per deelnemer"));
    CHECK(s_has(html, "<h2><a href=\"themes/T1.html\">Wmo-taxi</a></h2>"));
    CHECK(s_has(html, "<h3>Spiegelbijeenkomst, 10 september 2020</h3>"));
    CHECK(s_has(html, "<h3>Spiegelbijeenkomst, Kwartaal 4 van 2020</h3>"));
    CHECK(s_has(html, "<a href=\"agenda.ics\">abonneren (iCalendar)</a>"));
    free(html);
    site_data_free(&d);
}

TEST(after_the_registration_deadline_signing_up_has_closed)
{
    site_data_t d;
    s_data(&d);
    site_render_opts_t late = s_opts;
    late.today = (sm_date_t){2020, 9, 2};
    char *html = site_page_agenda(&d, &late);
    CHECK(s_has(html, "<dd>Aanmelden is gesloten.</dd>"));
    CHECK(!strstr(html, "Nog 1 plaats vrij"));
    free(html);
    site_data_free(&d);
}

TEST(a_theme_page_shows_what_was_collected_and_done_in_a_table_with_headers)
{
    site_data_t d;
    s_data(&d);
    char *html = site_page_theme(&d, &s_opts, &d.themes[0]);
    CHECK(s_has(html, "<h2>Wat hebben we opgehaald, wat is ermee gedaan?</h2>"));
    CHECK(s_has(html, "<th scope=\"col\">Wat inwoners inbrachten</th>"));
    CHECK(s_has(html, "<th scope=\"row\">De taxi komt te laat.<br>\nEn is vol.</th>"));
    CHECK(s_has(html, "niet overgenomen, omdat het contract loopt tot 2022"));
    CHECK(s_has(html, "<td>nog niets</td>"));
    CHECK(s_has(html, "<a href=\"../reports/R1.html\">Verslag: focusgroep, 12 maart 2020</a>"));
    CHECK(s_has(html, "Centrale vraag: Wat maakt de taxi makkelijker?"));
    CHECK(s_has(html, "<caption id=\"outcomes\">"));
    CHECK(s_has(html, "<link rel=\"stylesheet\" href=\"../style.css\">"));
    free(html);
    site_data_free(&d);
}

TEST(text_from_outside_is_escaped_everywhere)
{
    site_data_t d;
    s_data(&d);
    site_files_t files;
    CHECK_INT(site_render(&d, &s_opts, &files, NULL), 0);
    for (size_t i = 0; i < files.n; i++) {
        const char *text = files.files[i].data;
        if (strstr(text, "<script") || strstr(text, "<b>vet") || strstr(text, "<b>ruw")) {
            printf("     markup from outside in %s\n", files.files[i].path);
            CHECK(false);
        }
    }
    const site_file_t *t3 = site_files_find(&files, "themes/T3.html");
    CHECK(t3 && s_has(t3->data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                "&quot;co&quot;"));
    site_files_free(&files);
    site_data_free(&d);
}

TEST(a_theme_with_nothing_public_has_no_page_and_is_not_listed)
{
    site_data_t d;
    s_data(&d);
    site_files_t files;
    CHECK_INT(site_render(&d, &s_opts, &files, NULL), 0);
    CHECK(site_files_find(&files, "themes/T1.html") != NULL);
    CHECK(site_files_find(&files, "themes/T2.html") == NULL);
    CHECK(site_files_find(&files, "reports/R1.html") != NULL);
    CHECK(site_files_find(&files, "index.html") != NULL);
    CHECK(site_files_find(&files, "agenda.ics") != NULL);
    CHECK(site_files_find(&files, "reports.atom") != NULL);
    CHECK(site_files_find(&files, "style.css") != NULL);
    const site_file_t *list = site_files_find(&files, "themes/index.html");
    CHECK(list && !strstr(list->data, "Nog geheim") && strstr(list->data, "T1.html"));
    site_files_free(&files);
    site_data_free(&d);
}

TEST(a_report_is_rendered_safe_with_its_headings_under_the_pages_h1)
{
    static const char md[] = "## Verslag\n\n##### Details\n\n# Na afloop\n\n"
                             "<script>alert(1)</script>\n\nTekst <b>vet</b>.\n\n"
                             "[klik](javascript:alert(1)) ![foto van de zaal](http://e.x/z.png) "
                             "[![logo](http://e.x/l.png)](https://e.x)\n";
    char *html = site_report_html(md, strlen(md));
    //  The highest level ("#") becomes <h2>, and no level is skipped: the
    //  "##" before it and the "#####" after that follow one step down.
    CHECK(s_has(html, "<h2>Verslag</h2>"));
    CHECK(s_has(html, "<h3>Details</h3>"));
    CHECK(s_has(html, "<h2>Na afloop</h2>"));
    CHECK(!strstr(html, "<script") && !strstr(html, "<b>") && !strstr(html, "javascript:"));
    CHECK(s_has(html, "<a href=\"http://e.x/z.png\">foto van de zaal</a>"));
    CHECK(s_has(html, "<a href=\"https://e.x\"><em>logo</em></a>"));
    CHECK(!strstr(html, "<img"));
    free(html);
}

TEST(a_corrected_report_says_so_and_the_feed_links_to_it_absolutely)
{
    site_data_t d;
    s_data(&d);
    char *page = site_page_report(&d, &s_opts, &d.reports[0]);
    CHECK(s_has(page, "<h1>Verslag: focusgroep, 12 maart 2020</h1>"));
    CHECK(s_has(page, "versie 2, gepubliceerd op 30 juni 2020"));
    CHECK(s_has(page, "<dd>1 april 2020</dd>"));
    CHECK(s_has(page, "<h2>Focusgroep</h2>"));
    char *atom = site_atom(&d, &s_opts);
    CHECK(s_has(atom, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nl\">"));
    CHECK(s_has(atom, "<id>https://www.regio.example/meedoen/reports/R1.html</id>"));
    CHECK(s_has(atom, "<published>2020-04-01T00:00:00+02:00</published>"));
    CHECK(s_has(atom, "<updated>2020-06-30T00:00:00+02:00</updated>"));
    CHECK(s_has(atom, "<title>Samenkracht: verslagen</title>"));
    CHECK(s_has(atom, "&lt;h2&gt;Focusgroep&lt;/h2&gt;"));
    CHECK(!strstr(atom, "<b>"));
    free(page);
    free(atom);
    site_data_free(&d);
}

TEST(midnight_in_amsterdam_is_written_with_its_offset)
{
    char buf[32];
    CHECK_STR(site_rfc3339_day((sm_date_t){2020, 1, 15}, buf), "2020-01-15T00:00:00+01:00");
    CHECK_STR(site_rfc3339_day((sm_date_t){2020, 7, 1}, buf), "2020-07-01T00:00:00+02:00");
}

TEST(in_english_the_same_pages_speak_english)
{
    sm_i18n_use("en");
    site_data_t d;
    s_data(&d);
    char *html = site_page_theme(&d, &s_opts, &d.themes[0]);
    CHECK(s_has(html, "<html lang=\"en\">"));
    CHECK(s_has(html, "What did we collect, and what was done with it?"));
    CHECK(s_has(html, "Skip to the content"));
    free(html);
    site_data_free(&d);
    sm_i18n_use("nl");
}

int main(void)
{
    sm_err_t e;
    if (sm_i18n_init("nl", &e) != 0) {
        printf("FAIL the Dutch catalogue: %s\n", e.message);
        return 1;
    }
    RUN(a_page_declares_its_language_and_has_a_skip_link_landmarks_and_one_h1);
    RUN(the_agenda_shows_sessions_to_come_per_theme_in_date_order_with_states_in_words);
    RUN(after_the_registration_deadline_signing_up_has_closed);
    RUN(a_theme_page_shows_what_was_collected_and_done_in_a_table_with_headers);
    RUN(text_from_outside_is_escaped_everywhere);
    RUN(a_theme_with_nothing_public_has_no_page_and_is_not_listed);
    RUN(a_report_is_rendered_safe_with_its_headings_under_the_pages_h1);
    RUN(a_corrected_report_says_so_and_the_feed_links_to_it_absolutely);
    RUN(midnight_in_amsterdam_is_written_with_its_offset);
    RUN(in_english_the_same_pages_speak_english);
    return DONE();
}
