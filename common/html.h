/*  common/html.h - complete HTML documents for people to read and print.

    Every HTML document samen makes (the yearly overview, the passage, the
    youth report and its letter, the planning grid, the agenda, a
    municipality's overview, session reports) starts and ends here, so that
    all of them declare the reader's language (<html lang="nl">) and print
    well: A4 with margins, a table's header repeated on every page, no
    row or list item cut in two, and each theme's section (an <h2> after
    the first, or an element of class "theme") on a new page.

        sm_html_begin (sb, "Jaaroverzicht 2019");
        strbuf_puts (sb, "<h1>");
        sm_html_escape (sb, title);
        strbuf_puts (sb, "</h1>\n");
        sm_html_end (sb);

    Text from people or the store is always written with sm_html_escape.
*/
#ifndef SAMEN_HTML_H
#define SAMEN_HTML_H

#include "strbuf.h"
#include <stddef.h>

/*  Append the start of a document: doctype, <html lang> in the reader's
    language (common/i18n.h), <head> with charset, title (escaped; NULL as
    "") and the stylesheet, and "<body>\n". Can't fail visibly (strbuf). */
void sm_html_begin(strbuf_t *sb, const char *title);

/*  Append "</body>\n</html>\n". */
void sm_html_end(strbuf_t *sb);

/*  Append text with & < > " ' escaped. NULL writes nothing. */
void sm_html_escape(strbuf_t *sb, const char *text);

/*  The same for the first n bytes of text. */
void sm_html_escape_n(strbuf_t *sb, const char *text, size_t n);

/*  Append text escaped with each "\n" written as br ("<br>", or "<br>\n"
    to keep the source readable). NULL writes nothing. */
void sm_html_escape_lines(strbuf_t *sb, const char *text, const char *br);

#endif
