/*  services/site/layout.h - the frame of every page, the stylesheet, and small writers.

    Every page is static HTML5 in the reader's language (common/i18n.h:
    <html lang="nl">), built for WCAG 2.1 AA without JavaScript:

        <a class="skip" href="#main">Naar de inhoud</a>         first focus stop
        <header> the site's name, <nav aria-label="Hoofdmenu"> with
                 aria-current="page" on the page's own item </header>
        <main id="main" tabindex="-1"> one <h1>, then <h2>, <h3> in order </main>
        <footer> the feeds, the day the site was made </footer>

    Links are relative ("../themes/T4.html"), so the site works under any
    path of any web server. Everything that comes from outside (texts from
    the services, settings) is written through sm_html_escape; URLs are
    built from checked IDs, or checked before they become an href.

    The stylesheet (style.css) has text at a contrast of at least 7:1, a
    visible focus outline (3px, 3:1 against the page and the link),
    underlined links, states written as words (never by colour alone),
    and no fixed sizes that break at 200% zoom.
*/
#ifndef SAMEN_SITE_LAYOUT_H
#define SAMEN_SITE_LAYOUT_H

#include "common/date.h"
#include "common/strbuf.h"
#include "services/site/model.h"
#include <stdint.h>

/*  What a build needs besides the data. */
typedef struct {
    const char *base_url; /*  ends in "/" */
    const char *title;    /*  the site's name, never empty */
    const char *contact;  /*  how to sign up; "" when not set */
    sm_date_t today;      /*  Europe/Amsterdam: what "to come" is measured against */
} site_render_opts_t;

/*  The menu's items; SITE_NAV_NONE for a page that is none of them. */
typedef enum { SITE_NAV_AGENDA, SITE_NAV_THEMES, SITE_NAV_OVERVIEW, SITE_NAV_NONE } site_nav_t;

/*  The way from a page depth directories deep to the site's root: "" or
    "../". Static. */
const char *site_root(int depth);

/*  Write the start of a page titled title (escaped) up to and including
    "<main ...>". depth: 0 for index.html, 1 for themes/T4.html. */
void site_page_begin(strbuf_t *sb, const site_render_opts_t *o, int depth, const char *title,
                     site_nav_t nav);

/*  Write the end of a page from "</main>". */
void site_page_end(strbuf_t *sb, const site_render_opts_t *o, int depth);

/*  style.css. Static. */
const char *site_stylesheet(void);

/*  Write "<p class=CLS>Central question: QUESTION</p>" (cls NULL: no
    class); nothing when question is empty. */
void site_put_question(strbuf_t *sb, const char *cls, const char *question);

/*  When a session takes place, as a reader reads it: "donderdag 12 maart
    2020, 19:00 tot 21:00", "Kwartaal 2 van 2020". Into buf (size bytes).
    Returns buf. */
char *site_session_when(const site_session_t *s, char *buf, size_t size);

/*  The day a session took (or takes) place, for a report's title: its
    held_on, else the day it starts, else its period's first day. */
sm_date_t site_session_day(const site_session_t *s);

/*  True when s is still to come on o->today: not held, and the day it
    ends (or its period's last day) not before today. Cancelled sessions
    to come count: the agenda says they were cancelled. */
bool site_session_to_come(const site_session_t *s, const site_render_opts_t *o);

/*  A report's title, "Verslag: focusgroep, 12 maart 2020", into buf.
    Returns buf. */
char *site_report_title(const site_data_t *d, const site_report_t *r, char *buf, size_t size);

/*  Write one session as an <li> (services/site/pages.c's agenda and theme
    pages): its heading at level (3), when, where, status, for whom,
    reimbursement and how to take part. */
void site_put_session(strbuf_t *sb, const site_data_t *d, const site_render_opts_t *o,
                      const site_session_t *s, int level);

/*  True when url may become an href as it is: http:// or https:// and
    printable ASCII without spaces, quotes, "<" ">" or backslashes. */
bool site_url_safe(const char *url);

#endif
