/*  common/page.c - a document rendered as Markdown, HTML or CSV. See page.h. */
#include "page.h"
#include "csv.h"
#include "html.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_COLS 16

typedef enum { S_HEADING, S_PARA, S_NOTE, S_ITEM, S_SECTION, S_TABLE, S_ROW } s_kind_t;

typedef struct {
    s_kind_t kind;
    int level;              /*  heading level; a table's number of columns */
    char *text;             /*  heading, paragraph, note, item */
    char *cells[S_MAX_COLS]; /*  table headings or a row's cells */
} s_block_t;

struct _sm_page_t {
    char *title;
    s_block_t *blocks;
    size_t n, cap;
    int cols; /*  of the table being filled */
    bool failed;
};

/* ==== Building ============================================================ */

sm_page_t *sm_page_new(const char *title)
{
    sm_page_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->title = strdup(title ? title : "");
    if (!self->title) {
        free(self);
        return NULL;
    }
    return self;
}

void sm_page_destroy(sm_page_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    sm_page_t *self = *self_p;
    for (size_t i = 0; i < self->n; i++) {
        free(self->blocks[i].text);
        for (int c = 0; c < S_MAX_COLS; c++)
            free(self->blocks[i].cells[c]);
    }
    free(self->blocks);
    free(self->title);
    free(self);
    *self_p = NULL;
}

/*  A new zeroed block of kind, or NULL (failed set). */
static s_block_t *s_add(sm_page_t *self, s_kind_t kind)
{
    if (self->failed)
        return NULL;
    if (self->n == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 32;
        s_block_t *b = realloc(self->blocks, cap * sizeof *b);
        if (!b) {
            self->failed = true;
            return NULL;
        }
        self->blocks = b;
        self->cap = cap;
    }
    s_block_t *b = &self->blocks[self->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

/*  A copy of text ("" for NULL), or NULL (failed set). */
static char *s_dup(sm_page_t *self, const char *text)
{
    char *t = strdup(text ? text : "");
    if (!t)
        self->failed = true;
    return t;
}

static void s_text_block(sm_page_t *self, s_kind_t kind, int level, const char *text)
{
    s_block_t *b = s_add(self, kind);
    if (b) {
        b->level = level;
        b->text = s_dup(self, text);
    }
}

void sm_page_heading(sm_page_t *self, int level, const char *text)
{
    s_text_block(self, S_HEADING, level < 2 ? 2 : level > 3 ? 3 : level, text);
}

void sm_page_para(sm_page_t *self, const char *text)
{
    s_text_block(self, S_PARA, 0, text);
}

void sm_page_note(sm_page_t *self, const char *text)
{
    s_text_block(self, S_NOTE, 0, text);
}

void sm_page_item(sm_page_t *self, const char *text)
{
    s_text_block(self, S_ITEM, 0, text);
}

void sm_page_section(sm_page_t *self)
{
    s_add(self, S_SECTION);
}

static void s_cells(sm_page_t *self, s_kind_t kind, int n, const char *const *cells)
{
    s_block_t *b = s_add(self, kind);
    if (!b)
        return;
    b->level = n;
    for (int c = 0; c < n; c++)
        b->cells[c] = s_dup(self, cells ? cells[c] : NULL);
}

void sm_page_table(sm_page_t *self, int ncols, const char *const *headings)
{
    if (ncols < 1 || ncols > S_MAX_COLS) {
        self->failed = true;
        return;
    }
    self->cols = ncols;
    s_cells(self, S_TABLE, ncols, headings);
}

void sm_page_row(sm_page_t *self, const char *const *cells)
{
    if (self->cols == 0) {
        self->failed = true;
        return;
    }
    s_cells(self, S_ROW, self->cols, cells);
}

/* ==== Markdown ============================================================ */

static bool s_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void sm_md_text(strbuf_t *sb, const char *text)
{
    if (!text)
        return;
    const char *p = text;
    while (s_is_space(*p))
        p++;
    bool pending_space = false;
    for (; *p; p++) {
        if (s_is_space(*p)) {
            pending_space = true;
            continue;
        }
        if (pending_space) {
            strbuf_putc(sb, ' ');
            pending_space = false;
        }
        /*  What can open emphasis, code, links, raw HTML, autolinks, an ATX
            closing sequence or a table column in the middle of a line. */
        if (strchr("\\`*_[]<>#|", *p))
            strbuf_putc(sb, '\\');
        strbuf_putc(sb, *p);
    }
}

/*  A cell: each line through sm_md_text, lines joined by "<br>". */
static void s_md_cell(strbuf_t *sb, const char *text)
{
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, len);
        if (line) {
            sm_md_text(sb, line);
            free(line);
        }
        if (!nl)
            break;
        strbuf_puts(sb, "<br>");
        p = nl + 1;
    }
}

static void s_render_md(const sm_page_t *self, strbuf_t *sb)
{
    strbuf_puts(sb, "# ");
    sm_md_text(sb, self->title);
    strbuf_puts(sb, "\n");
    s_kind_t last = S_HEADING;
    for (size_t i = 0; i < self->n; i++) {
        const s_block_t *b = &self->blocks[i];
        /*  A blank line between blocks, but not between rows or items. */
        bool joined = (b->kind == S_ROW && (last == S_ROW || last == S_TABLE)) ||
                      (b->kind == S_ITEM && last == S_ITEM);
        if (b->kind != S_SECTION && !joined)
            strbuf_puts(sb, "\n");
        switch (b->kind) {
        case S_HEADING:
            strbuf_puts(sb, b->level == 2 ? "## " : "### ");
            sm_md_text(sb, b->text);
            strbuf_puts(sb, "\n");
            break;
        case S_PARA:
            sm_md_text(sb, b->text);
            strbuf_puts(sb, "\n");
            break;
        case S_NOTE:
            strbuf_puts(sb, "*");
            sm_md_text(sb, b->text);
            strbuf_puts(sb, "*\n");
            break;
        case S_ITEM:
            strbuf_puts(sb, "- ");
            sm_md_text(sb, b->text);
            strbuf_puts(sb, "\n");
            break;
        case S_TABLE:
        case S_ROW:
            strbuf_puts(sb, "|");
            for (int c = 0; c < b->level; c++) {
                strbuf_puts(sb, " ");
                s_md_cell(sb, b->cells[c]);
                strbuf_puts(sb, " |");
            }
            strbuf_puts(sb, "\n");
            if (b->kind == S_TABLE) {
                strbuf_puts(sb, "|");
                for (int c = 0; c < b->level; c++)
                    strbuf_puts(sb, "---|");
                strbuf_puts(sb, "\n");
            }
            break;
        case S_SECTION:
            continue;
        }
        last = b->kind;
    }
}

/* ==== HTML ================================================================ */

static void s_render_html(const sm_page_t *self, strbuf_t *sb)
{
    sm_html_begin(sb, self->title);
    strbuf_puts(sb, "<h1>");
    sm_html_escape(sb, self->title);
    strbuf_puts(sb, "</h1>\n");
    bool in_list = false, in_table = false, in_section = false;
    for (size_t i = 0; i < self->n; i++) {
        const s_block_t *b = &self->blocks[i];
        if (in_list && b->kind != S_ITEM) {
            strbuf_puts(sb, "</ul>\n");
            in_list = false;
        }
        if (in_table && b->kind != S_ROW) {
            strbuf_puts(sb, "</tbody>\n</table>\n");
            in_table = false;
        }
        switch (b->kind) {
        case S_SECTION:
            if (in_section)
                strbuf_puts(sb, "</section>\n");
            strbuf_puts(sb, "<section class=\"theme\">\n");
            in_section = true;
            break;
        case S_HEADING:
            strbuf_printf(sb, "<h%d>", b->level);
            sm_html_escape(sb, b->text);
            strbuf_printf(sb, "</h%d>\n", b->level);
            break;
        case S_PARA:
        case S_NOTE:
            strbuf_puts(sb, b->kind == S_NOTE ? "<p class=\"note\">" : "<p>");
            sm_html_escape_lines(sb, b->text, "<br>");
            strbuf_puts(sb, "</p>\n");
            break;
        case S_ITEM:
            if (!in_list)
                strbuf_puts(sb, "<ul>\n");
            in_list = true;
            strbuf_puts(sb, "<li>");
            sm_html_escape_lines(sb, b->text, "<br>");
            strbuf_puts(sb, "</li>\n");
            break;
        case S_TABLE:
            strbuf_puts(sb, "<table>\n<thead>\n<tr>");
            for (int c = 0; c < b->level; c++) {
                strbuf_puts(sb, "<th>");
                sm_html_escape_lines(sb, b->cells[c], "<br>");
                strbuf_puts(sb, "</th>");
            }
            strbuf_puts(sb, "</tr>\n</thead>\n<tbody>\n");
            in_table = true;
            break;
        case S_ROW:
            strbuf_puts(sb, "<tr>");
            for (int c = 0; c < b->level; c++) {
                strbuf_puts(sb, "<td>");
                sm_html_escape_lines(sb, b->cells[c], "<br>");
                strbuf_puts(sb, "</td>");
            }
            strbuf_puts(sb, "</tr>\n");
            break;
        }
    }
    if (in_list)
        strbuf_puts(sb, "</ul>\n");
    if (in_table)
        strbuf_puts(sb, "</tbody>\n</table>\n");
    if (in_section)
        strbuf_puts(sb, "</section>\n");
    sm_html_end(sb);
}

/* ==== CSV ================================================================= */

static void s_render_csv(const sm_page_t *self, strbuf_t *sb)
{
    bool any = false;
    for (size_t i = 0; i < self->n; i++) {
        const s_block_t *b = &self->blocks[i];
        if (b->kind != S_TABLE && b->kind != S_ROW)
            continue;
        if (b->kind == S_TABLE && any)
            sm_csv_end_row(sb);
        any = true;
        for (int c = 0; c < b->level; c++) {
            if (c > 0)
                sm_csv_next(sb);
            sm_csv_field(sb, b->cells[c]);
        }
        sm_csv_end_row(sb);
    }
}

char *sm_page_render(const sm_page_t *self, sm_page_format_t format)
{
    if (!self || self->failed)
        return NULL;
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    if (format == SM_PAGE_HTML)
        s_render_html(self, sb);
    else if (format == SM_PAGE_CSV)
        s_render_csv(self, sb);
    else
        s_render_md(self, sb);
    char *out = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return out;
}
