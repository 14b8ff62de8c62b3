/*  services/site/pages.h - the site's pages, from the public view alone.

        index.html          the agenda: sessions to come, per theme (the
                            theme whose next session comes first, first),
                            and how to take part
        themes/index.html   every theme that has a page
        themes/T4.html      a theme: its question, sessions to come, "what
                            did we collect, what was done with it" (the
                            outcomes), and the sessions held with their
                            published reports
        reports/R9.html     a published report (its newest published
                            version; a correction says it is one)
        overview/index.html the yearly overviews
        overview/2019.html  one year's table, as the programme publishes it

    A theme has a page when it is active or completed, or when a session,
    a published report or an outcome is about it (a proposed theme with
    nothing public yet stays off the site).

    Each function returns a malloc'd HTML document the caller frees, or
    NULL when out of memory. Everything is in the current language
    (common/i18n.h) and written by common/l10n.h and common/vocab.h.
*/
#ifndef SAMEN_SITE_PAGES_H
#define SAMEN_SITE_PAGES_H

#include "services/site/layout.h"
#include "services/site/model.h"

/*  True when theme t has a page (see above). */
bool site_theme_shown(const site_data_t *d, const site_theme_t *t);

char *site_page_agenda(const site_data_t *d, const site_render_opts_t *o);
char *site_page_themes(const site_data_t *d, const site_render_opts_t *o);
char *site_page_theme(const site_data_t *d, const site_render_opts_t *o, const site_theme_t *t);
char *site_page_report(const site_data_t *d, const site_render_opts_t *o, const site_report_t *r);
char *site_page_overviews(const site_data_t *d, const site_render_opts_t *o);
char *site_page_overview(const site_data_t *d, const site_render_opts_t *o,
                         const site_overview_t *ov);

#endif
