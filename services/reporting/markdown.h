/*  services/reporting/markdown.h - Markdown in, safe HTML out, and literal text in Markdown.

    Every document samen-reporting renders (session reports, the yearly
    overview, the youth report, the passage for a decision document) is
    written as CommonMark first; HTML is made from it by libcmark, never by
    hand. libcmark runs in safe mode (the default since cmark 0.29, asked
    for explicitly with CMARK_OPT_SAFE anyway): raw HTML blocks and inline
    HTML are replaced by "<!-- raw HTML omitted -->", and links or images
    to javascript:, vbscript:, file: and data: (other than images) URLs are
    emptied. Invalid UTF-8 is replaced with U+FFFD (CMARK_OPT_VALIDATE_UTF8).

    A complete document is common/html.h's (the reader's language in
    <html lang>, the print stylesheet) around BODY, libcmark's output:

        <!DOCTYPE html>
        <html lang="nl">
        <head>
        <meta charset="utf-8">
        <title>TITLE</title>
        <style>...</style>
        </head>
        <body>
        BODY</body>
        </html>

    markdown_put_text() is the other direction: it writes text typed by a
    person (a theme title, an outcome, a follow-up) into a Markdown document
    so that it reads back as exactly that text and can never add structure
    (a heading, a list, a link, raw HTML) to the document around it.
*/
#ifndef SAMEN_REPORTING_MARKDOWN_H
#define SAMEN_REPORTING_MARKDOWN_H

#include "../../common/strbuf.h"
#include <stddef.h>

/*  Render len bytes of CommonMark as an HTML fragment, safe mode.
    Returns a malloc'd NUL-terminated string the caller frees, or NULL when
    out of memory (or md is NULL). */
char *markdown_to_html(const char *md, size_t len);

/*  Render CommonMark md (NUL-terminated) as a complete HTML5 document with
    the given title (escaped; NULL is taken as ""), in the layout shown
    above. Returns a malloc'd string the caller frees, or NULL when out of
    memory (or md is NULL). */
char *markdown_to_html_document(const char *md, const char *title);

/*  Append text to sb as literal inline Markdown: every run of white space
    (including line breaks) becomes one space, white space at both ends is
    dropped, and the characters \ ` * _ [ ] < > # | are escaped with a
    backslash (common/page.h's sm_md_text), so "a *b* <i>" is written as "a \*b\* \<i\>" and renders as
    the text itself. NULL text writes nothing. The caller puts the text
    after a label or marker on the same line (never at the start of a
    block) so that a leading "1." or "-" stays text too.
    Can't fail visibly: an allocation failure marks sb failed. */
void markdown_put_text(strbuf_t *sb, const char *text);

/*  markdown_put_text for a cell of a pipe table: "|" is escaped too, so
    that a text can never add a column. Can't fail visibly. */
void markdown_put_cell(strbuf_t *sb, const char *text);

/*  Append text to sb HTML-escaped (& < > " '). NULL writes nothing.
    Can't fail visibly: an allocation failure marks sb failed. */
void markdown_put_html_escaped(strbuf_t *sb, const char *text);

#endif
