/*  services/site/pages.c - the site's pages. See pages.h. */
#include "services/site/pages.h"
#include "common/html.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/vocab.h"
#include "services/site/report_html.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Helpers ============================================================= */

/*  Start a page: the frame, its <h1> title and, when lead is not NULL, a
    lead paragraph. Returns the buffer, or NULL when out of memory. */
static strbuf_t *s_open(const site_render_opts_t *o, int depth, const char *title, site_nav_t nav,
                        const char *lead)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    site_page_begin(sb, o, depth, title, nav);
    strbuf_puts(sb, "<h1>");
    sm_html_escape(sb, title);
    strbuf_puts(sb, "</h1>\n");
    if (lead) {
        strbuf_puts(sb, "<p class=\"lead\">");
        sm_html_escape(sb, lead);
        strbuf_puts(sb, "</p>\n");
    }
    return sb;
}

/*  Finish a page in sb: its end, then the text (NULL when out of memory). */
static char *s_finish(strbuf_t *sb, const site_render_opts_t *o, int depth)
{
    char *html = NULL;
    if (sb) {
        site_page_end(sb, o, depth);
        html = strbuf_detach(sb);
    }
    strbuf_destroy(&sb);
    return html;
}

/*  A paragraph of text (escaped). */
static void s_para(strbuf_t *sb, const char *cls, const char *text)
{
    if (cls)
        strbuf_printf(sb, "<p class=\"%s\">", cls);
    else
        strbuf_puts(sb, "<p>");
    sm_html_escape(sb, text);
    strbuf_puts(sb, "</p>\n");
}

/*  A heading of level with text (escaped). */
static void s_heading(strbuf_t *sb, int level, const char *text)
{
    strbuf_printf(sb, "<h%d>", level);
    sm_html_escape(sb, text);
    strbuf_printf(sb, "</h%d>\n", level);
}

/*  Open a table that may scroll sideways on a narrow screen: a region
    named by its caption (id), reachable by keyboard so that it can be
    scrolled without a mouse. */
static void s_table_begin(strbuf_t *sb, const char *id, const char *caption)
{
    strbuf_printf(sb,
                  "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                  "aria-labelledby=\"%s\">\n<table>\n<caption id=\"%s\">",
                  id, id);
    sm_html_escape(sb, caption);
    strbuf_puts(sb, "</caption>\n<thead>\n<tr>");
}

/*  The key sessions are sorted by: their start, or their period's first
    day (as midnight UTC: close enough to order a period among times). */
static int64_t s_sort_key(const site_session_t *s)
{
    return s->has_time ? s->start_ms : sm_date_to_days(s->period.from) * 86400000LL;
}

/*  qsort over session pointers: by start, then by ID number. */
static int s_session_cmp(const void *a, const void *b)
{
    const site_session_t *x = *(const site_session_t *const *)a;
    const site_session_t *y = *(const site_session_t *const *)b;
    int64_t kx = s_sort_key(x), ky = s_sort_key(y);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

/*  The sessions of theme (NULL: any) that pass want, sorted, as a
    malloc'd array of pointers (*n of them); NULL when none or out of
    memory. */
static const site_session_t **s_sessions(const site_data_t *d, const site_render_opts_t *o,
                                         const char *theme, bool to_come, size_t *n)
{
    const site_session_t **list = calloc(d->n_sessions ? d->n_sessions : 1, sizeof *list);
    *n = 0;
    for (size_t i = 0; list && i < d->n_sessions; i++) {
        const site_session_t *s = &d->sessions[i];
        if (theme && strcmp(s->theme, theme) != 0)
            continue;
        if (to_come ? site_session_to_come(s, o) : strcmp(s->status, "held") == 0)
            list[(*n)++] = s;
    }
    if (*n > 1)
        qsort(list, *n, sizeof *list, s_session_cmp);
    return list;
}

/*  A link to theme t's page from depth, its title as text. */
static void s_theme_link(strbuf_t *sb, int depth, const site_theme_t *t)
{
    strbuf_printf(sb, "<a href=\"%sthemes/%s.html\">", site_root(depth), t->id);
    sm_html_escape(sb, t->title);
    strbuf_puts(sb, "</a>");
}

/*  The published report of session s, or NULL. */
static const site_report_t *s_report_of(const site_data_t *d, const site_session_t *s)
{
    for (size_t i = 0; i < d->n_reports; i++)
        if (strcmp(d->reports[i].session, s->id) == 0)
            return &d->reports[i];
    return NULL;
}

bool site_theme_shown(const site_data_t *d, const site_theme_t *t)
{
    if (strcmp(t->status, "active") == 0 || strcmp(t->status, "completed") == 0)
        return true;
    for (size_t i = 0; i < d->n_sessions; i++)
        if (strcmp(d->sessions[i].theme, t->id) == 0)
            return true;
    for (size_t i = 0; i < d->n_reports; i++)
        if (strcmp(d->reports[i].theme, t->id) == 0)
            return true;
    for (size_t i = 0; i < d->n_outcomes; i++)
        if (strcmp(d->outcomes[i].theme, t->id) == 0)
            return true;
    return false;
}

/* ==== The agenda ========================================================== */

/*  How to take part, for everyone: the contact and the calendar. */
static void s_take_part(strbuf_t *sb, const site_render_opts_t *o)
{
    s_heading(sb, 2, _("Taking part"));
    s_para(sb, NULL,
           _("Residents, clients and their families help decide the region's policy in "
             "these sessions. Everyone the theme is about is welcome; you do not need to be "
             "an expert."));
    if (o->contact[0]) {
        strbuf_t *c = strbuf_new();
        if (c) {
            sm_html_escape(c, o->contact);
            strbuf_puts(sb, "<p>");
            /*  TRANSLATORS: %s is the programme's contact from the
                settings (an address, a phone number). */
            strbuf_printf(sb, _("Would you like to take part? Let us know: %s."), strbuf_data(c));
            strbuf_puts(sb, "</p>\n");
        }
        strbuf_destroy(&c);
    } else
        s_para(sb, NULL, _("Would you like to take part? Let the programme's coordinator know."));
    strbuf_puts(sb, "<p>");
    strbuf_t *link = strbuf_new();
    if (link) {
        strbuf_puts(link, "<a href=\"agenda.ics\">");
        sm_html_escape(link, _("subscribe (iCalendar)"));
        strbuf_puts(link, "</a>");
        /*  TRANSLATORS: %s is a link, "subscribe (iCalendar)". */
        strbuf_printf(sb, _("Add the agenda to your own calendar app: %s."), strbuf_data(link));
    }
    strbuf_destroy(&link);
    strbuf_puts(sb, "</p>\n");
}

char *site_page_agenda(const site_data_t *d, const site_render_opts_t *o)
{
    size_t n = 0;
    const site_session_t **list = s_sessions(d, o, NULL, true, &n);
    strbuf_t *sb =
        s_open(o, 0, _("Agenda"), SITE_NAV_AGENDA, _("The sessions to come, per theme."));
    if (!sb || !list) {
        free(list);
        strbuf_destroy(&sb);
        return NULL;
    }
    if (n == 0)
        s_para(sb, NULL, _("No sessions are planned at the moment."));
    //  Themes in the order of their first session to come; each theme's
    //  sessions under it.
    bool *done = calloc(n ? n : 1, sizeof *done);
    for (size_t i = 0; done && i < n; i++) {
        if (done[i])
            continue;
        const site_theme_t *t = site_find_theme(d, list[i]->theme);
        strbuf_puts(sb, "<section>\n<h2>");
        if (t)
            s_theme_link(sb, 0, t);
        else
            sm_html_escape(sb, list[i]->theme);
        strbuf_puts(sb, "</h2>\n");
        site_put_question(sb, NULL, t ? t->question : NULL);
        strbuf_puts(sb, "<ul class=\"sessions\">\n");
        for (size_t k = i; k < n; k++)
            if (!done[k] && strcmp(list[k]->theme, list[i]->theme) == 0) {
                site_put_session(sb, d, o, list[k], 3);
                done[k] = true;
            }
        strbuf_puts(sb, "</ul>\n</section>\n");
    }
    s_take_part(sb, o);
    free(done);
    free(list);
    return s_finish(sb, o, 0);
}

/* ==== Themes ============================================================== */

/*  "Jeugd, 2019 en 2020, afgerond": a theme's domain, years and status. */
static void s_theme_summary(strbuf_t *sb, const site_theme_t *t)
{
    char years[SITE_YEARS_MAX * 8] = "";
    size_t o = 0;
    for (size_t i = 0; i < t->n_years && o < sizeof years - 8; i++)
        o += (size_t)snprintf(years + o, sizeof years - o, "%s%d", i ? ", " : "", t->years[i]);
    char domain[96];
    sm_l10n_capitalise(sm_vocab_show(&SM_VOCAB_DOMAIN, t->domain), domain, sizeof domain);
    strbuf_t *parts = strbuf_new();
    if (!parts)
        return;
    /*  TRANSLATORS: a theme in the list of themes: its domain, its agenda
        years and its status ("Jeugd; 2019, 2020; afgerond"). */
    strbuf_printf(parts, _("%1$s; %2$s; %3$s"), domain, years,
                  sm_vocab_show(&SM_VOCAB_THEME_STATUS, t->status));
    sm_html_escape(sb, strbuf_data(parts));
    strbuf_destroy(&parts);
}

char *site_page_themes(const site_data_t *d, const site_render_opts_t *o)
{
    strbuf_t *sb = s_open(o, 1, _("Themes"), SITE_NAV_THEMES,
                          _("Per theme: what residents were asked, what we collected and what "
                            "was done with it."));
    if (!sb)
        return NULL;
    size_t shown = 0;
    for (size_t i = 0; i < d->n_themes; i++)
        shown += site_theme_shown(d, &d->themes[i]);
    if (!shown)
        s_para(sb, NULL, _("There are no themes to show yet."));
    else {
        strbuf_puts(sb, "<ul>\n");
        for (size_t i = 0; i < d->n_themes; i++) {
            const site_theme_t *t = &d->themes[i];
            if (!site_theme_shown(d, t))
                continue;
            strbuf_printf(sb, "<li><a href=\"%s.html\">", t->id);
            sm_html_escape(sb, t->title);
            strbuf_puts(sb, "</a> (");
            s_theme_summary(sb, t);
            strbuf_puts(sb, ")</li>\n");
        }
        strbuf_puts(sb, "</ul>\n");
    }
    return s_finish(sb, o, 1);
}

/*  The facts of a theme as a <dl>. */
static void s_theme_facts(strbuf_t *sb, const site_data_t *d, const site_theme_t *t)
{
    char word[96];
    strbuf_puts(sb, "<dl class=\"facts\">\n<dt>");
    sm_html_escape(sb, _("Domain"));
    strbuf_puts(sb, "</dt><dd>");
    sm_html_escape(
        sb, sm_l10n_capitalise(sm_vocab_show(&SM_VOCAB_DOMAIN, t->domain), word, sizeof word));
    strbuf_puts(sb, "</dd>\n<dt>");
    sm_html_escape(sb, _("Phase of the policy"));
    strbuf_puts(sb, "</dt><dd>");
    sm_html_escape(sb,
                   sm_l10n_capitalise(sm_vocab_show(&SM_VOCAB_PHASE, t->phase), word, sizeof word));
    strbuf_puts(sb, "</dd>\n<dt>");
    sm_html_escape(sb, _("Status"));
    strbuf_puts(sb, "</dt><dd>");
    sm_html_escape(sb, sm_l10n_capitalise(sm_vocab_show(&SM_VOCAB_THEME_STATUS, t->status), word,
                                          sizeof word));
    strbuf_puts(sb, "</dd>\n<dt>");
    sm_html_escape(sb, _("For"));
    strbuf_puts(sb, "</dt><dd>");
    if (t->regional || !t->n_municipalities)
        sm_html_escape(sb, _("the whole region"));
    for (size_t i = 0; !t->regional && i < t->n_municipalities; i++) {
        if (i)
            strbuf_puts(sb, ", ");
        sm_html_escape(sb, site_muni_name(d, t->municipalities[i]));
    }
    strbuf_puts(sb, "</dd>\n");
    if (t->n_years) {
        strbuf_puts(sb, "<dt>");
        sm_html_escape(sb, _("On the agenda in"));
        strbuf_puts(sb, "</dt><dd>");
        for (size_t i = 0; i < t->n_years; i++)
            strbuf_printf(sb, "%s%d", i ? ", " : "", t->years[i]);
        strbuf_puts(sb, "</dd>\n");
    }
    strbuf_puts(sb, "</dl>\n");
}

/*  An outcome's state in words: "afgerond", "niet overgenomen, omdat ...". */
static void s_outcome_state(strbuf_t *sb, const site_outcome_t *u)
{
    const char *status = sm_vocab_show(&SM_VOCAB_OUTCOME_STATUS, u->status);
    if (strcmp(u->status, "not_adopted") == 0 && u->reason[0]) {
        strbuf_t *r = strbuf_new();
        if (r) {
            sm_html_escape(r, u->reason);
            /*  TRANSLATORS: an outcome not adopted and why ("niet
                overgenomen, omdat het contract loopt tot 2022"). */
            strbuf_printf(sb, _("%1$s, because %2$s"), status, strbuf_data(r));
        }
        strbuf_destroy(&r);
    } else
        sm_html_escape(sb, status);
}

/*  "What did we collect, and what was done with it": the theme's outcomes
    as a table. */
static void s_outcomes(strbuf_t *sb, const site_data_t *d, const site_theme_t *t)
{
    s_heading(sb, 2, _("What did we collect, and what was done with it?"));
    size_t n = 0;
    for (size_t i = 0; i < d->n_outcomes; i++)
        n += strcmp(d->outcomes[i].theme, t->id) == 0;
    if (!n) {
        s_para(sb, NULL, _("Nothing has been recorded yet."));
        return;
    }
    s_table_begin(sb, "outcomes", _("What residents brought in, and what was done with it"));
    const char *heads[] = {_("What residents brought in"), _("What was done with it"),
                           _("Where it stands"), _("What comes next")};
    for (size_t c = 0; c < 4; c++) {
        strbuf_puts(sb, "<th scope=\"col\">");
        sm_html_escape(sb, heads[c]);
        strbuf_puts(sb, "</th>");
    }
    strbuf_puts(sb, "</tr>\n</thead>\n<tbody>\n");
    for (size_t i = 0; i < d->n_outcomes; i++) {
        const site_outcome_t *u = &d->outcomes[i];
        if (strcmp(u->theme, t->id) != 0)
            continue;
        strbuf_puts(sb, "<tr><th scope=\"row\">");
        sm_html_escape_lines(sb, u->brought_in, "<br>\n");
        strbuf_puts(sb, "</th><td>");
        sm_html_escape_lines(sb, u->done[0] ? u->done : _("nothing yet"), "<br>\n");
        strbuf_puts(sb, "</td><td>");
        s_outcome_state(sb, u);
        strbuf_puts(sb, "</td><td>");
        sm_html_escape_lines(sb, u->follow_up[0] ? u->follow_up : _("not planned yet"), "<br>\n");
        strbuf_puts(sb, "</td></tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n</div>\n");
}

/*  The sessions held on theme t, each with its report or "report to
    follow". */
static void s_held(strbuf_t *sb, const site_data_t *d, const site_render_opts_t *o,
                   const site_theme_t *t)
{
    size_t n = 0;
    const site_session_t **list = s_sessions(d, o, t->id, false, &n);
    s_heading(sb, 2, _("Sessions held and their reports"));
    if (!n)
        s_para(sb, NULL, _("No sessions have been held on this theme yet."));
    else
        strbuf_puts(sb, "<ul>\n");
    //  Newest first: the latest report is what a reader comes for.
    for (size_t k = n; list && k-- > 0;) {
        const site_session_t *s = list[k];
        const site_report_t *r = s_report_of(d, s);
        char day[SM_L10N_DATE_SIZE], method[96];
        sm_l10n_capitalise(sm_vocab_show(&SM_VOCAB_METHOD, s->method), method, sizeof method);
        strbuf_puts(sb, "<li>");
        strbuf_t *what = strbuf_new();
        if (what) {
            sm_html_escape(what, method);
            /*  TRANSLATORS: a session held: its method and its day
                ("Focusgroep op 12 maart 2020"). */
            strbuf_printf(sb, _("%1$s on %2$s"), strbuf_data(what),
                          sm_l10n_date_long(site_session_day(s), day));
        }
        strbuf_destroy(&what);
        strbuf_puts(sb, ": ");
        if (r) {
            char title[200];
            strbuf_printf(sb, "<a href=\"../reports/%s.html\">", r->id);
            sm_html_escape(sb, site_report_title(d, r, title, sizeof title));
            strbuf_puts(sb, "</a>");
        } else
            sm_html_escape(sb, _("the report follows."));
        strbuf_puts(sb, "</li>\n");
    }
    if (n)
        strbuf_puts(sb, "</ul>\n");
    free(list);
}

char *site_page_theme(const site_data_t *d, const site_render_opts_t *o, const site_theme_t *t)
{
    size_t n = 0;
    const site_session_t **list = s_sessions(d, o, t->id, true, &n);
    strbuf_t *sb = s_open(o, 1, t->title, SITE_NAV_THEMES, NULL);
    if (!sb || !list) {
        free(list);
        strbuf_destroy(&sb);
        return NULL;
    }
    site_put_question(sb, "lead", t->question);
    s_theme_facts(sb, d, t);
    s_heading(sb, 2, _("Sessions to come"));
    if (!n)
        s_para(sb, NULL, _("No sessions are planned on this theme at the moment."));
    else {
        strbuf_puts(sb, "<ul class=\"sessions\">\n");
        for (size_t i = 0; i < n; i++)
            site_put_session(sb, d, o, list[i], 3);
        strbuf_puts(sb, "</ul>\n");
    }
    free(list);
    s_outcomes(sb, d, t);
    s_held(sb, d, o, t);
    return s_finish(sb, o, 1);
}

/* ==== Reports ============================================================= */

char *site_page_report(const site_data_t *d, const site_render_opts_t *o, const site_report_t *r)
{
    char title[200], day[SM_L10N_DATE_SIZE];
    const site_theme_t *t = site_find_theme(d, r->theme);
    char *body = site_report_html(r->text ? r->text : "", r->text ? strlen(r->text) : 0);
    strbuf_t *sb = s_open(o, 1, site_report_title(d, r, title, sizeof title), SITE_NAV_NONE, NULL);
    if (!sb || !body) {
        free(body);
        strbuf_destroy(&sb);
        return NULL;
    }
    strbuf_puts(sb, "<dl class=\"facts\">\n<dt>");
    sm_html_escape(sb, _("Theme"));
    strbuf_puts(sb, "</dt><dd>");
    if (t && site_theme_shown(d, t))
        s_theme_link(sb, 1, t);
    else
        sm_html_escape(sb, t ? t->title : r->theme);
    strbuf_puts(sb, "</dd>\n<dt>");
    sm_html_escape(sb, _("Published on"));
    strbuf_puts(sb, "</dt><dd>");
    sm_html_escape(sb, sm_l10n_date_long(r->first_published_on, day));
    strbuf_puts(sb, "</dd>\n");
    if (r->version > 1) {
        strbuf_puts(sb, "<dt>");
        sm_html_escape(sb, _("Corrected"));
        strbuf_puts(sb, "</dt><dd>");
        /*  TRANSLATORS: a corrected report: its version and the day the
            correction was published. */
        strbuf_printf(sb, _("version %1$d, published on %2$s"), r->version,
                      sm_l10n_date_long(r->published_on, day));
        strbuf_puts(sb, "</dd>\n");
    }
    strbuf_puts(sb, "</dl>\n<div class=\"report\">\n");
    strbuf_puts(sb, body);
    strbuf_puts(sb, "</div>\n");
    free(body);
    return s_finish(sb, o, 1);
}

/* ==== Yearly overviews ==================================================== */

char *site_page_overviews(const site_data_t *d, const site_render_opts_t *o)
{
    strbuf_t *sb = s_open(o, 1, _("Yearly overviews"), SITE_NAV_OVERVIEW,
                          _("Each year the programme reports per theme how residents were "
                            "involved, what it yielded and what was done with it."));
    if (!sb)
        return NULL;
    if (!d->n_overviews)
        s_para(sb, NULL, _("There is no yearly overview yet."));
    else
        strbuf_puts(sb, "<ul>\n");
    for (size_t i = d->n_overviews; i-- > 0;) {
        strbuf_printf(sb, "<li><a href=\"%d.html\">", d->overviews[i].year);
        sm_html_escape(sb, d->overviews[i].title);
        strbuf_puts(sb, "</a></li>\n");
    }
    if (d->n_overviews)
        strbuf_puts(sb, "</ul>\n");
    return s_finish(sb, o, 1);
}

char *site_page_overview(const site_data_t *d, const site_render_opts_t *o,
                         const site_overview_t *ov)
{
    strbuf_t *sb = s_open(o, 1, ov->title, SITE_NAV_OVERVIEW, NULL);
    if (!sb)
        return NULL;
    s_table_begin(sb, "overview", ov->table);
    for (int c = 0; c < SITE_OVERVIEW_COLS; c++) {
        strbuf_puts(sb, "<th scope=\"col\">");
        sm_html_escape(sb, ov->columns[c]);
        strbuf_puts(sb, "</th>");
    }
    strbuf_puts(sb, "</tr>\n</thead>\n<tbody>\n");
    for (size_t i = 0; i < ov->n_rows; i++) {
        const site_overview_row_t *row = &ov->rows[i];
        const site_theme_t *t = site_find_theme(d, row->theme);
        strbuf_puts(sb, "<tr><th scope=\"row\">");
        if (t && site_theme_shown(d, t)) {
            strbuf_printf(sb, "<a href=\"../themes/%s.html\">", t->id);
            sm_html_escape_lines(sb, row->cells[0], "<br>\n");
            strbuf_puts(sb, "</a>");
        } else
            sm_html_escape_lines(sb, row->cells[0], "<br>\n");
        strbuf_puts(sb, "</th>");
        for (int c = 1; c < SITE_OVERVIEW_COLS; c++) {
            strbuf_puts(sb, "<td>");
            sm_html_escape_lines(sb, row->cells[c], "<br>\n");
            strbuf_puts(sb, "</td>");
        }
        strbuf_puts(sb, "</tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n</div>\n");
    return s_finish(sb, o, 1);
}
