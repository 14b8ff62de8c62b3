/*  services/site/report_html.h - a published report's Markdown as safe HTML inside a page.

    Report texts are CommonMark written by the coordinator and checked by
    intake before publishing. The site renders them with libcmark in safe
    mode (CMARK_OPT_SAFE): raw HTML is dropped ("<!-- raw HTML omitted -->")
    and javascript:, vbscript:, file: and data: links are emptied; invalid
    UTF-8 becomes U+FFFD. Two more changes make the text fit an accessible
    page:

    - headings are renumbered so that the text's highest level becomes
      <h2> (the page's <h1> is the report's title) and no level is skipped
      (a "####" after a "#" becomes <h3>): screen-reader users navigate by
      headings;
    - an image becomes a link to it, its alt text the link's text (the URL
      when it has none): the site loads nothing from elsewhere, and an image
      without a text alternative never appears.
*/
#ifndef SAMEN_SITE_REPORT_HTML_H
#define SAMEN_SITE_REPORT_HTML_H

#include <stddef.h>

/*  Render len bytes of Markdown as described above. Returns a malloc'd
    HTML fragment the caller frees, or NULL when out of memory (or md is
    NULL). */
char *site_report_html(const char *md, size_t len);

#endif
