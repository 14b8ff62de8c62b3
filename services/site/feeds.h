/*  services/site/feeds.h - the Atom feed of new reports (RFC 4287).

        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">
          <title>Inwonersparticipatie: verslagen</title>
          <id>BASE/reports.atom</id>
          <link rel="self" href="BASE/reports.atom"/>
          <link rel="alternate" type="text/html" href="BASE/index.html"/>
          <updated>the newest entry's day</updated>
          <author><name>the site's name</name></author>
          <entry>
            <title>Verslag: focusgroep, 12 maart 2020</title>
            <id>BASE/reports/R9.html</id>
            <link rel="alternate" type="text/html" href="BASE/reports/R9.html"/>
            <published>first publication, 2020-06-30T00:00:00+02:00</published>
            <updated>this version's publication</updated>
            <category term="T4" label="the theme's title"/>
            <content type="html">the report as on its page, escaped</content>
          </entry>
        </feed>

    The 50 most recently published reports, newest first. Days are
    midnight in Europe/Amsterdam. An entry's id is its page's address, so
    a correction updates the entry a reader already has.
*/
#ifndef SAMEN_SITE_FEEDS_H
#define SAMEN_SITE_FEEDS_H

#include "services/site/layout.h"
#include "services/site/model.h"

#define SITE_FEED_ENTRIES 50

/*  The feed. Returns a malloc'd document, or NULL when out of memory. */
char *site_atom(const site_data_t *d, const site_render_opts_t *o);

/*  Midnight of day d in Europe/Amsterdam as RFC 3339,
    "2020-06-30T00:00:00+02:00", into buf (32 bytes). Returns buf. */
char *site_rfc3339_day(sm_date_t d, char *buf);

#endif
