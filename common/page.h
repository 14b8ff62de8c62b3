/*  common/page.h - a document for people, written once, rendered as Markdown, HTML or CSV.

    The documents that mix headings, paragraphs, lists and tables (a
    municipality's overview, the agenda for the portfolio holders) are
    built as a list of blocks and rendered in the format asked for:

        sm_page_t *p = sm_page_new ("Wat gebeurde er met inwoners van Huizen?");
        sm_page_heading (p, 2, "Bijeenkomsten");
        sm_page_para (p, "In 2019 waren er 4 bijeenkomsten ...");
        const char *cols[] = {"Onderwerp", "Datum"};
        sm_page_table (p, 2, cols);
        const char *row[] = {"Wmo-taxi (T1)", "12 maart 2019"};
        sm_page_row (p, row);
        char *md = sm_page_render (p, SM_PAGE_MD);     //  caller frees
        sm_page_destroy (&p);

    All text is plain text, never markup: Markdown escapes what could make
    structure (common/page.c, sm_md_text), HTML escapes & < > " ', CSV
    quotes. In a table cell a "\n" starts a new line (Markdown "<br>",
    HTML <br>, CSV a line break inside the quoted field).

    Markdown: "# title", headings "## ", paragraphs, "- " items, pipe
    tables (GitHub's), a note in italics. HTML: common/html.h's document
    (the reader's language, the print stylesheet); a block opened with
    sm_page_section starts a new printed page from the second on. CSV
    (common/csv.h): the rows of the tables only, each table's header
    first, a blank line between tables.
*/
#ifndef SAMEN_PAGE_H
#define SAMEN_PAGE_H

#include "strbuf.h"
#include <stddef.h>

typedef struct _sm_page_t sm_page_t;

typedef enum { SM_PAGE_MD, SM_PAGE_HTML, SM_PAGE_CSV } sm_page_format_t;

/*  A new document titled title (copied). Returns NULL when out of memory. */
sm_page_t *sm_page_new(const char *title);

/*  Destroy; sets *self_p to NULL; safe on NULL and twice. */
void sm_page_destroy(sm_page_t **self_p);

/*  Add a heading of level 2 or 3, a paragraph, a note (a paragraph set
    apart: italics), a list item. Texts are copied. Can't fail visibly: an
    allocation failure makes sm_page_render return NULL. */
void sm_page_heading(sm_page_t *self, int level, const char *text);
void sm_page_para(sm_page_t *self, const char *text);
void sm_page_note(sm_page_t *self, const char *text);
void sm_page_item(sm_page_t *self, const char *text);

/*  Start a section (a theme): in print, each after the first on a new page. */
void sm_page_section(sm_page_t *self);

/*  Start a table with ncols (1..16) column headings, then add rows of
    ncols cells (NULL cells are empty). */
void sm_page_table(sm_page_t *self, int ncols, const char *const *headings);
void sm_page_row(sm_page_t *self, const char *const *cells);

/*  Render in format. Returns a malloc'd string the caller frees, or NULL
    when out of memory. */
char *sm_page_render(const sm_page_t *self, sm_page_format_t format);

/*  Append text to sb as literal inline Markdown: runs of white space as
    one space, none at the ends, and \ ` * _ [ ] < > # | escaped, so that
    the text can never add structure. NULL writes nothing. */
void sm_md_text(strbuf_t *sb, const char *text);

#endif
