/*  services/site/layout.c - the frame of every page and small writers. See layout.h. */
#include "services/site/layout.h"
#include "common/html.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/vocab.h"
#include <stdio.h>
#include <string.h>

/*  Colours: text #1a1a1a and links #00308f on white (17:1 and 11:1),
    visited links #551a8b (10:1); borders #595959 (7:1); the focus ring is
    the text colour, 3px, outside the element. */
static const char s_css[] =
    "/* samen-site: static pages, no script. */\n"
    ":root { color-scheme: light; }\n"
    "*, *::before, *::after { box-sizing: border-box; }\n"
    "body { margin: 0; font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, Arial, "
    "sans-serif;\n"
    "       font-size: 1.125rem; line-height: 1.55; color: #1a1a1a; background: #fff; }\n"
    "header, main, footer { max-width: 52rem; margin: 0 auto; padding: 0 1rem; }\n"
    "header { padding-top: 1rem; padding-bottom: 0.75rem; border-bottom: 4px solid #00308f; }\n"
    ".site-name { font-size: 1.5rem; font-weight: 700; margin: 0 0 0.5rem; }\n"
    ".site-name a { color: #1a1a1a; text-decoration: none; }\n"
    "nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;\n"
    "         gap: 0.25rem 1.5rem; }\n"
    "nav a[aria-current=\"page\"] { font-weight: 700; text-decoration-thickness: 3px; }\n"
    "a { color: #00308f; text-decoration: underline; text-underline-offset: 0.15em; }\n"
    "a:visited { color: #551a8b; }\n"
    "a:hover { text-decoration-thickness: 3px; }\n"
    ":focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }\n"
    "main:focus:not(:focus-visible) { outline: none; }\n"
    ".skip { position: absolute; left: 0.5rem; top: -20rem; z-index: 10; padding: 0.5rem 1rem;\n"
    "        background: #fff; color: #00308f; border: 3px solid #1a1a1a; }\n"
    ".skip:focus { top: 0.5rem; }\n"
    "h1 { font-size: 2rem; line-height: 1.2; margin: 1.5rem 0 1rem; }\n"
    "h2 { font-size: 1.5rem; line-height: 1.25; margin: 2rem 0 0.75rem; }\n"
    "h3 { font-size: 1.2rem; margin: 1.25rem 0 0.5rem; }\n"
    ".lead { font-size: 1.25rem; }\n"
    "ul.sessions, ul.plain { list-style: none; padding: 0; }\n"
    "li.session { border-left: 4px solid #595959; padding: 0.25rem 0 0.25rem 1rem; margin: 0 0 "
    "1.5rem; }\n"
    "li.session h3, li.session h4 { margin-top: 0; }\n"
    "dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem;\n"
    "           margin: 0.5rem 0; }\n"
    "dl.facts dt { font-weight: 700; }\n"
    "dl.facts dd { margin: 0; }\n"
    ".state { font-weight: 700; }\n"
    ".cancelled h3, .cancelled h4 { text-decoration: line-through; }\n"
    ".table-wrap { overflow-x: auto; margin: 1rem 0; }\n"
    "table { border-collapse: collapse; width: 100%; }\n"
    "caption { text-align: left; font-weight: 700; font-size: 1.2rem; padding: 0.5rem 0; }\n"
    "th, td { border: 1px solid #595959; padding: 0.4rem 0.6rem; text-align: left;\n"
    "         vertical-align: top; }\n"
    "thead th { background: #f0f0f0; }\n"
    ".report { border-top: 1px solid #595959; margin-top: 1.5rem; }\n"
    ".report img { max-width: 100%; }\n"
    "footer { margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem;\n"
    "         border-top: 1px solid #595959; font-size: 1rem; }\n"
    "@media (max-width: 36rem) {\n"
    "  dl.facts { display: block; }\n"
    "  dl.facts dd { margin-bottom: 0.5rem; }\n"
    "}\n"
    "@media print {\n"
    "  .skip, nav { display: none; }\n"
    "  a { color: inherit; }\n"
    "}\n";

const char *site_stylesheet(void)
{
    return s_css;
}

const char *site_root(int depth)
{
    return depth > 0 ? "../" : "";
}

/* ==== The frame =========================================================== */

/*  One menu item: a link to href (under the root), marked current. */
static void s_nav_item(strbuf_t *sb, int depth, const char *href, const char *label, bool current)
{
    strbuf_printf(sb, "<li><a href=\"%s%s\"%s>", site_root(depth), href,
                  current ? " aria-current=\"page\"" : "");
    sm_html_escape(sb, label);
    strbuf_puts(sb, "</a></li>\n");
}

void site_page_begin(strbuf_t *sb, const site_render_opts_t *o, int depth, const char *title,
                     site_nav_t nav)
{
    const char *root = site_root(depth);
    strbuf_printf(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                  sm_i18n_lang());
    strbuf_puts(sb, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    strbuf_puts(sb, "<title>");
    sm_html_escape(sb, title);
    strbuf_puts(sb, " - ");
    sm_html_escape(sb, o->title);
    strbuf_puts(sb, "</title>\n");
    strbuf_printf(sb, "<link rel=\"stylesheet\" href=\"%sstyle.css\">\n", root);
    strbuf_printf(sb,
                  "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"%sreports.atom\" "
                  "title=\"",
                  root);
    sm_html_escape(sb, _("New reports"));
    strbuf_puts(sb, "\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    sm_html_escape(sb, _("Skip to the content"));
    strbuf_puts(sb, "</a>\n<header>\n<p class=\"site-name\">");
    strbuf_printf(sb, "<a href=\"%sindex.html\">", root);
    sm_html_escape(sb, o->title);
    strbuf_puts(sb, "</a></p>\n<nav aria-label=\"");
    sm_html_escape(sb, _("Main menu"));
    strbuf_puts(sb, "\">\n<ul>\n");
    s_nav_item(sb, depth, "index.html", _("Agenda"), nav == SITE_NAV_AGENDA);
    s_nav_item(sb, depth, "themes/index.html", _("Themes"), nav == SITE_NAV_THEMES);
    s_nav_item(sb, depth, "overview/index.html", _("Yearly overviews"), nav == SITE_NAV_OVERVIEW);
    strbuf_puts(sb, "</ul>\n</nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void site_page_end(strbuf_t *sb, const site_render_opts_t *o, int depth)
{
    char day[SM_L10N_DATE_SIZE];
    const char *root = site_root(depth);
    strbuf_puts(sb, "</main>\n<footer>\n<p>");
    strbuf_t *ics = strbuf_new(), *atom = strbuf_new();
    if (ics && atom) {
        strbuf_printf(ics, "<a href=\"%sagenda.ics\">", root);
        sm_html_escape(ics, _("the agenda in your own calendar (iCalendar)"));
        strbuf_puts(ics, "</a>");
        strbuf_printf(atom, "<a href=\"%sreports.atom\">", root);
        sm_html_escape(atom, _("new reports (Atom feed)"));
        strbuf_puts(atom, "</a>");
        /*  TRANSLATORS: the footer's links to the two feeds; %1$s and
            %2$s are the links (the calendar, the reports' feed). */
        strbuf_printf(sb, _("Follow %1$s or %2$s."), strbuf_data(ics), strbuf_data(atom));
    }
    strbuf_destroy(&ics);
    strbuf_destroy(&atom);
    strbuf_puts(sb, "</p>\n<p>");
    sm_html_escape(sb, o->title);
    strbuf_puts(sb, ". ");
    strbuf_printf(sb, _("Updated on %s."), sm_l10n_date_long(o->today, day));
    strbuf_puts(sb, "</p>\n</footer>\n</body>\n</html>\n");
}

/* ==== Small writers ======================================================= */

void site_put_question(strbuf_t *sb, const char *cls, const char *question)
{
    strbuf_t *q = question && question[0] ? strbuf_new() : NULL;
    if (!q)
        return;
    sm_html_escape(q, question);
    if (cls)
        strbuf_printf(sb, "<p class=\"%s\">", cls);
    else
        strbuf_puts(sb, "<p>");
    strbuf_printf(sb, _("Central question: %s"), strbuf_data(q));
    strbuf_puts(sb, "</p>\n");
    strbuf_destroy(&q);
}

bool site_url_safe(const char *url)
{
    static const char s_forbidden[] = " \"'\\<>`";
    if (!url || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) ||
        strlen(url) > 2000)
        return false;
    for (const char *p = url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || strchr(s_forbidden, *p))
            return false;
    return true;
}

/*  "HH:MM" of a UTC instant in Amsterdam time into buf (6 bytes). */
static char *s_time(int64_t ms, char *buf)
{
    char local[24];
    sm_datetime_format_local(ms, local); //  "YYYY-MM-DD HH:MM"
    memcpy(buf, local + 11, 5);
    buf[5] = '\0';
    return buf;
}

char *site_session_when(const site_session_t *s, char *buf, size_t size)
{
    if (!s->has_time)
        return sm_l10n_period(&s->period, buf, size);
    sm_date_t from = sm_date_of_ms(s->start_ms), to = sm_date_of_ms(s->end_ms - 1);
    char d1[SM_L10N_DATE_SIZE], d2[SM_L10N_DATE_SIZE], t1[6], t2[6];
    sm_l10n_date_long(from, d1);
    s_time(s->start_ms, t1);
    s_time(s->end_ms, t2);
    if (sm_date_cmp(from, to) == 0)
        /*  TRANSLATORS: a session on one day: weekday, date, start and end
            time ("donderdag 12 maart 2020, 19:00 tot 21:00"). */
        snprintf(buf, size, _("%1$s %2$s, %3$s to %4$s"),
                 sm_l10n_weekday_name(sm_date_weekday(from)), d1, t1, t2);
    else
        /*  TRANSLATORS: a session over several days: the first date and
            time, the last date and time. */
        snprintf(buf, size, _("%1$s, %2$s to %3$s, %4$s"), d1, t1, sm_l10n_date_long(to, d2), t2);
    return buf;
}

sm_date_t site_session_day(const site_session_t *s)
{
    if (s->has_held_on)
        return s->held_on;
    return s->has_time ? sm_date_of_ms(s->start_ms) : s->period.from;
}

bool site_session_to_come(const site_session_t *s, const site_render_opts_t *o)
{
    if (strcmp(s->status, "held") == 0)
        return false;
    //  By the day, not the hour: a static site changes daily, so a session
    //  stays on the agenda until the end of the day it ends on.
    sm_date_t last = s->has_time ? sm_date_of_ms(s->end_ms - 1) : s->period.to;
    return sm_date_cmp(last, o->today) >= 0;
}

char *site_report_title(const site_data_t *d, const site_report_t *r, char *buf, size_t size)
{
    const site_session_t *s = site_find_session(d, r->session);
    char day[SM_L10N_DATE_SIZE];
    if (!s)
        /*  TRANSLATORS: the title of a report whose session is not known. */
        snprintf(buf, size, _("Report %s"), r->id);
    else
        /*  TRANSLATORS: the title of a session's report: the method and
            the day ("Verslag: focusgroep, 12 maart 2020"). */
        snprintf(buf, size, _("Report: %1$s, %2$s"), sm_vocab_show(&SM_VOCAB_METHOD, s->method),
                 sm_l10n_date_long(site_session_day(s), day));
    return buf;
}

/* ==== One session ========================================================= */

/*  A <dt> with label and the opening of its <dd>. */
static void s_fact(strbuf_t *sb, const char *label)
{
    strbuf_puts(sb, "<dt>");
    sm_html_escape(sb, label);
    strbuf_puts(sb, "</dt><dd>");
}

/*  Where: the venue, a link to an online session, or "not known yet". */
static void s_where(strbuf_t *sb, const site_session_t *s)
{
    if (!s->location[0])
        sm_html_escape(sb, _("not known yet"));
    else if (strcmp(s->location_kind, "online") == 0 && site_url_safe(s->location)) {
        sm_html_escape(sb, _("online:"));
        strbuf_puts(sb, " <a href=\"");
        sm_html_escape(sb, s->location);
        strbuf_puts(sb, "\">");
        sm_html_escape(sb, s->location);
        strbuf_puts(sb, "</a>");
    } else
        sm_html_escape(sb, s->location);
}

/*  The session's state as words: cancelled, tentative, confirmed, planned. */
static const char *s_state(const site_session_t *s)
{
    if (strcmp(s->status, "cancelled") == 0)
        return _("Cancelled: this session does not take place.");
    if (s->tentative)
        /*  TRANSLATORS: a session planned "onder voorbehoud" (ovb). */
        return _("Tentative: the date may still change.");
    if (strcmp(s->status, "confirmed") == 0)
        return _("Confirmed.");
    return _("Planned.");
}

/*  How to take part: places left or the waitlist. */
static void s_take_part(strbuf_t *sb, const site_session_t *s, const site_render_opts_t *o)
{
    char day[SM_L10N_DATE_SIZE];
    if (s->has_register_by && sm_date_cmp(s->register_by, o->today) < 0) {
        //  Past the deadline: nobody can sign up any more.
        sm_html_escape(sb, _("Signing up has closed."));
        return;
    }
    if (s->places_left > 0)
        strbuf_printf(sb,
                      Q_("%lld place left.", "%lld places left.", (unsigned long)s->places_left),
                      (long long)s->places_left);
    else
        sm_html_escape(sb, _("Full: you can sign up for the waiting list."));
    strbuf_puts(sb, " ");
    if (s->has_register_by) {
        /*  TRANSLATORS: the registration deadline ("Aanmelden kan tot en
            met 1 september 2020."). */
        strbuf_printf(sb, _("Sign up by %s."), sm_l10n_date_long(s->register_by, day));
        strbuf_puts(sb, " ");
    }
    if (o->contact[0]) {
        strbuf_t *c = strbuf_new();
        if (c) {
            sm_html_escape(c, o->contact);
            /*  TRANSLATORS: how to sign up; %s is the programme's contact
                (an address, a phone number), from the settings. */
            strbuf_printf(sb, _("Sign up: %s."), strbuf_data(c));
        }
        strbuf_destroy(&c);
    } else
        sm_html_escape(sb, _("Sign up with the programme's coordinator."));
}

void site_put_session(strbuf_t *sb, const site_data_t *d, const site_render_opts_t *o,
                      const site_session_t *s, int level)
{
    bool cancelled = strcmp(s->status, "cancelled") == 0;
    char when[160], method[96], money[SM_L10N_NUMBER_SIZE];
    sm_l10n_capitalise(sm_vocab_show(&SM_VOCAB_METHOD, s->method), method, sizeof method);
    site_session_when(s, when, sizeof when);
    strbuf_printf(sb, "<li class=\"session%s\" id=\"%s\">\n<h%d>", cancelled ? " cancelled" : "",
                  s->id, level);
    //  The heading tells sessions apart when read as a list of headings:
    //  the method, the day (or period) and the session's own title.
    char day[SM_L10N_PERIOD_SIZE], head[SM_L10N_PERIOD_SIZE + 128];
    if (s->has_time)
        sm_l10n_date_long(sm_date_of_ms(s->start_ms), day);
    else
        sm_l10n_period(&s->period, day, sizeof day);
    /*  TRANSLATORS: a session's heading: its method and its day or period
        ("Focusgroep, 12 maart 2020"). */
    snprintf(head, sizeof head, _("%1$s, %2$s"), method, day);
    sm_html_escape(sb, head);
    if (s->title[0]) {
        strbuf_puts(sb, ": ");
        sm_html_escape(sb, s->title);
    }
    strbuf_printf(sb, "</h%d>\n<dl class=\"facts\">\n", level);
    s_fact(sb, _("When"));
    sm_html_escape(sb, when);
    strbuf_puts(sb, "</dd>\n");
    s_fact(sb, _("Where"));
    s_where(sb, s);
    strbuf_puts(sb, "</dd>\n");
    s_fact(sb, _("Status"));
    strbuf_puts(sb, "<span class=\"state\">");
    sm_html_escape(sb, s_state(s));
    strbuf_puts(sb, "</span></dd>\n");
    if (s->n_target_groups) {
        s_fact(sb, _("For"));
        for (size_t i = 0; i < s->n_target_groups; i++) {
            if (i)
                strbuf_puts(sb, ", ");
            sm_html_escape(sb, sm_vocab_show(&SM_VOCAB_TARGET_GROUP, s->target_groups[i]));
        }
        strbuf_puts(sb, "</dd>\n");
    }
    if (s->n_municipalities) {
        s_fact(sb, _("Municipalities"));
        for (size_t i = 0; i < s->n_municipalities; i++) {
            if (i)
                strbuf_puts(sb, ", ");
            sm_html_escape(sb, site_muni_name(d, s->municipalities[i]));
        }
        strbuf_puts(sb, "</dd>\n");
    }
    if (s->reimbursement_cents > 0 && !cancelled) {
        s_fact(sb, _("Reimbursement"));
        strbuf_printf(sb, _("%s per participant"), sm_l10n_money(s->reimbursement_cents, money));
        strbuf_puts(sb, "</dd>\n");
    }
    if (!cancelled) {
        s_fact(sb, _("Taking part"));
        s_take_part(sb, s, o);
        strbuf_puts(sb, "</dd>\n");
    }
    strbuf_puts(sb, "</dl>\n");
    site_put_question(sb, NULL, s->question);
    strbuf_puts(sb, "</li>\n");
}
