/*  services/site/feeds.c - the Atom feed of new reports. See feeds.h. */
#include "services/site/feeds.h"
#include "common/html.h"
#include "common/i18n.h"
#include "services/site/report_html.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *site_rfc3339_day(sm_date_t d, char *buf)
{
    //  The offset at midnight UTC of that day is the offset at local
    //  midnight: Europe/Amsterdam changes at 01:00 UTC.
    int off = sm_amsterdam_offset(sm_date_to_days(d) * 86400000LL) / 60;
    snprintf(buf, 32, "%04d-%02d-%02dT00:00:00%c%02d:%02d", d.y, d.m, d.d, off < 0 ? '-' : '+',
             abs(off) / 60, abs(off) % 60);
    return buf;
}

/*  qsort over report pointers: the newest publication first, then the
    highest ID. */
static int s_newest_first(const void *a, const void *b)
{
    const site_report_t *x = *(const site_report_t *const *)a;
    const site_report_t *y = *(const site_report_t *const *)b;
    int c = sm_date_cmp(y->published_on, x->published_on);
    if (c)
        return c;
    return x->number < y->number ? 1 : x->number > y->number ? -1 : 0;
}

/*  One <entry>. */
static void s_entry(strbuf_t *sb, const site_data_t *d, const site_render_opts_t *o,
                    const site_report_t *r)
{
    char title[200], when[32];
    const site_theme_t *t = site_find_theme(d, r->theme);
    strbuf_puts(sb, "<entry>\n<title>");
    sm_html_escape(sb, site_report_title(d, r, title, sizeof title));
    strbuf_puts(sb, "</title>\n<id>");
    sm_html_escape(sb, o->base_url);
    strbuf_printf(sb, "reports/%s.html</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"",
                  r->id);
    sm_html_escape(sb, o->base_url);
    strbuf_printf(sb, "reports/%s.html\"/>\n", r->id);
    strbuf_printf(sb, "<published>%s</published>\n", site_rfc3339_day(r->first_published_on, when));
    strbuf_printf(sb, "<updated>%s</updated>\n", site_rfc3339_day(r->published_on, when));
    strbuf_printf(sb, "<category term=\"%s\" label=\"", r->theme);
    sm_html_escape(sb, t ? t->title : r->theme);
    strbuf_puts(sb, "\"/>\n<content type=\"html\">");
    char *html = site_report_html(r->text ? r->text : "", r->text ? strlen(r->text) : 0);
    sm_html_escape(sb, html); //  NULL (out of memory) writes nothing
    free(html);
    strbuf_puts(sb, "</content>\n</entry>\n");
}

char *site_atom(const site_data_t *d, const site_render_opts_t *o)
{
    strbuf_t *sb = strbuf_new();
    const site_report_t **list = calloc(d->n_reports ? d->n_reports : 1, sizeof *list);
    char *xml = NULL, when[32];
    if (!sb || !list)
        goto cleanup;
    for (size_t i = 0; i < d->n_reports; i++)
        list[i] = &d->reports[i];
    if (d->n_reports > 1)
        qsort(list, d->n_reports, sizeof *list, s_newest_first);
    size_t n = d->n_reports < SITE_FEED_ENTRIES ? d->n_reports : SITE_FEED_ENTRIES;
    strbuf_printf(sb,
                  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                  "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n<title>",
                  sm_i18n_lang());
    strbuf_t *title = strbuf_new();
    if (title) {
        /*  TRANSLATORS: the title of the feed of new reports; %s is the
            site's name. */
        strbuf_printf(title, _("%s: reports"), o->title);
        sm_html_escape(sb, strbuf_data(title));
    }
    strbuf_destroy(&title);
    strbuf_puts(sb, "</title>\n<id>");
    sm_html_escape(sb, o->base_url);
    strbuf_puts(sb, "reports.atom</id>\n<link rel=\"self\" href=\"");
    sm_html_escape(sb, o->base_url);
    strbuf_puts(sb, "reports.atom\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
    sm_html_escape(sb, o->base_url);
    strbuf_printf(sb, "index.html\"/>\n<updated>%s</updated>\n<author><name>",
                  site_rfc3339_day(n ? list[0]->published_on : o->today, when));
    sm_html_escape(sb, o->title);
    strbuf_puts(sb, "</name></author>\n");
    for (size_t i = 0; i < n; i++)
        s_entry(sb, d, o, list[i]);
    strbuf_puts(sb, "</feed>\n");
    xml = strbuf_detach(sb);
cleanup:
    free(list);
    strbuf_destroy(&sb);
    return xml;
}
