/*  services/scheduling/grid.c - the planning grid. See grid.h. */
#include "grid.h"
#include "common/csv.h"
#include "common/html.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/strbuf.h"
#include "common/vocab.h"
#include "proto/words_scheduling.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_DAY_MS ((int64_t)86400000)

//  One session in one month: a token in one cell.
typedef struct {
    size_t row, col;
    int64_t key; //  when in the month it happens, for the order within a cell
    uint64_t session_id;
    method_t method;
    bool unfixed;   //  period covers several months: "FG?"
    bool tentative; //  ovb: "FG ovb"
} s_entry_t;

//  A rendered cell: a slice of the cell text buffer.
typedef struct {
    size_t off, len;
} s_cell_t;

//  Everything render needs, built once.
typedef struct {
    size_t n_rows, n_cols;
    int first_y, first_m;
    const grid_theme_t **rows; //  themes in id order
    s_cell_t *cells;           //  n_rows x n_cols
    strbuf_t *text;            //  all cell texts, back to back
} s_grid_t;

int grid_format_parse(const char *text, grid_format_t *out, const char *field, sm_err_t *err)
{
    const char *what = field ? field : "format";
    int i = words_find(text, sched_grid_formats, GRID_FORMAT_COUNT, sched_grid_format_aliases);
    if (i >= 0) {
        *out = (grid_format_t)i;
        return 0;
    }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, what,
                      _("%s is not a grid format; use text, csv, md or html"), what);
}

char *grid_month_label(int year, int month, char *buf)
{
    if (month < 1 || month > 12) {
        strcpy(buf, "?");
        return buf;
    }
    return sm_l10n_month_column(year, month, buf);
}

/* ==== Building the cells ================================================ */

/*  qsort order of theme pointers by id: the rows' order. */
static int s_theme_by_id(const void *a, const void *b)
{
    uint64_t x = (*(const grid_theme_t *const *)a)->id;
    uint64_t y = (*(const grid_theme_t *const *)b)->id;
    return (x > y) - (x < y);
}

/*  qsort order of entries: by row, then column, then time, then session id,
    so a cell's tokens come out in time order and the output never depends
    on the order the sessions were given in. */
static int s_entry_order(const void *a, const void *b)
{
    const s_entry_t *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->session_id > y->session_id) - (x->session_id < y->session_id);
}

/*  Row of theme id in the sorted rows, or -1. */
static long s_find_row(const s_grid_t *g, uint64_t id)
{
    size_t lo = 0, hi = g->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t at = g->rows[mid]->id;
        if (at == id)
            return (long)mid;
        if (at < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/*  Month index (year * 12 + month - 1) of a date. */
static long s_month_index(sm_date_t d)
{
    return (long)d.y * 12 + d.m - 1;
}

/*  Append the entries of session s to *entries (growing it). Returns 0, or
    -1 when out of memory. */
static int s_add_session(const s_grid_t *g, const session_t *s, s_entry_t **entries, size_t *n,
                         size_t *alloc)
{
    if (s->status == SESSION_CANCELLED || !method_valid((int)s->method))
        return 0;
    long row = s_find_row(g, s->theme_id);
    if (row < 0)
        return 0;
    long first, last, base = (long)g->first_y * 12 + g->first_m - 1;
    int64_t key;
    bool unfixed;
    if (s->has_time) {
        first = last = s_month_index(sm_date_of_ms(s->start_ms));
        key = s->start_ms;
        unfixed = false;
    } else {
        first = s_month_index(s->period.from);
        last = s_month_index(s->period.to);
        if (last < first)
            return 0;
        key = sm_date_to_days(s->period.from) * S_DAY_MS;
        unfixed = last > first;
    }
    if (first < base)
        first = base;
    if (last > base + (long)g->n_cols - 1)
        last = base + (long)g->n_cols - 1;
    for (long m = first; m <= last; m++) {
        if (*n == *alloc) {
            size_t grown = *alloc ? *alloc * 2 : 64;
            s_entry_t *more = realloc(*entries, grown * sizeof *more);
            if (!more)
                return -1;
            *entries = more;
            *alloc = grown;
        }
        s_entry_t *e = &(*entries)[(*n)++];
        e->row = (size_t)row;
        e->col = (size_t)(m - base);
        e->key = key;
        e->session_id = s->id;
        e->method = s->method;
        e->unfixed = unfixed;
        e->tentative = s->tentative;
    }
    return 0;
}

/*  Fill g->cells and g->text from the sessions. Returns 0, or -1 when out
    of memory. */
static int s_build_cells(s_grid_t *g, const session_t *sessions, size_t n_sessions)
{
    int rc = -1;
    s_entry_t *entries = NULL;
    size_t n = 0, alloc = 0;
    for (size_t i = 0; i < n_sessions; i++)
        if (s_add_session(g, &sessions[i], &entries, &n, &alloc) != 0)
            goto cleanup;
    if (n > 1)
        qsort(entries, n, sizeof *entries, s_entry_order);
    //  Entries are now grouped by cell in row-major order, so each cell's
    //  text is written once, contiguously.
    for (size_t i = 0; i < n; i++) {
        const s_entry_t *e = &entries[i];
        s_cell_t *cell = &g->cells[e->row * g->n_cols + e->col];
        bool same_cell = i > 0 && entries[i - 1].row == e->row && entries[i - 1].col == e->col;
        if (same_cell)
            strbuf_putc(g->text, ' ');
        else
            cell->off = strbuf_len(g->text);
        strbuf_puts(g->text, method_code(e->method));
        if (e->unfixed)
            strbuf_putc(g->text, '?');
        if (e->tentative)
            strbuf_puts(g->text, " ovb");
        cell->len = strbuf_len(g->text) - cell->off;
    }
    rc = strbuf_failed(g->text) ? -1 : 0;
cleanup:
    free(entries);
    return rc;
}

/* ==== Rendering ========================================================= */

/*  The title of row r, or "T<id>" into buf (at least 24 bytes). */
static const char *s_title(const s_grid_t *g, size_t r, char *buf)
{
    const grid_theme_t *t = g->rows[r];
    if (t->title && *t->title)
        return t->title;
    snprintf(buf, 24, "T%" PRIu64, t->id);
    return buf;
}

/*  The text (not NUL-terminated) and length of cell (r, c). Can't fail. */
static void s_cell(const s_grid_t *g, size_t r, size_t c, const char **text, size_t *len)
{
    const s_cell_t *cell = &g->cells[r * g->n_cols + c];
    *text = strbuf_data(g->text) + cell->off;
    *len = cell->len;
}

/*  The label of column c ("Oct19", "Okt 19") into buf (SM_L10N_DATE_SIZE). */
static void s_label(const s_grid_t *g, size_t c, char *buf)
{
    int m = g->first_m - 1 + (int)c;
    grid_month_label(g->first_y + m / 12, m % 12 + 1, buf);
}

/*  Code points in s, as a column width; control characters will be shown as
    one space each, so they count as one too. */
static size_t s_display_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        w += (*p & 0xC0) != 0x80;
    return w;
}

/*  Append s with control characters (tabs, newlines) as spaces, so a title
    can never break the table's lines. */
static void s_put_plain(strbuf_t *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        strbuf_putc(out, (*p < 0x20 || *p == 0x7f) ? ' ' : (char)*p);
}

/*  Strip the spaces that padding left at the end of the current line. */
static void s_trim_line(strbuf_t *out, size_t line_start)
{
    size_t len = strbuf_len(out);
    const char *data = strbuf_data(out);
    while (len > line_start && data[len - 1] == ' ')
        len--;
    strbuf_truncate(out, len);
}

/*  The fixed-width table into out; widths has room for n_cols + 1.
    Failures are left in out (sticky). */
static void s_render_text(const s_grid_t *g, strbuf_t *out, size_t *widths)
{
    char buf[SM_L10N_DATE_SIZE];
    const char *head = _("Theme");
    widths[0] = s_display_width(head);
    for (size_t r = 0; r < g->n_rows; r++) {
        size_t w = s_display_width(s_title(g, r, buf));
        if (w > widths[0])
            widths[0] = w;
    }
    for (size_t c = 0; c < g->n_cols; c++) {
        s_label(g, c, buf);
        widths[c + 1] = s_display_width(buf);
        for (size_t r = 0; r < g->n_rows; r++) {
            size_t len = g->cells[r * g->n_cols + c].len;
            if (len > widths[c + 1])
                widths[c + 1] = len;
        }
    }
    size_t line = strbuf_len(out);
    strbuf_puts(out, head);
    strbuf_pad(out, ' ', widths[0] - s_display_width(head));
    for (size_t c = 0; c < g->n_cols; c++) {
        s_label(g, c, buf);
        strbuf_putc(out, ' ');
        strbuf_puts(out, buf);
        strbuf_pad(out, ' ', widths[c + 1] - s_display_width(buf));
    }
    s_trim_line(out, line);
    strbuf_putc(out, '\n');
    for (size_t r = 0; r < g->n_rows; r++) {
        line = strbuf_len(out);
        const char *title = s_title(g, r, buf);
        s_put_plain(out, title);
        strbuf_pad(out, ' ', widths[0] - s_display_width(title));
        for (size_t c = 0; c < g->n_cols; c++) {
            const char *text;
            size_t len;
            s_cell(g, r, c, &text, &len);
            strbuf_putc(out, ' ');
            strbuf_append(out, text, len);
            strbuf_pad(out, ' ', widths[c + 1] - len);
        }
        s_trim_line(out, line);
        strbuf_putc(out, '\n');
    }
}

/*  CSV into out (common/csv.h: RFC 4180, the reader's separator), CRLF
    line ends. Failures are left in out. */
static void s_render_csv(const s_grid_t *g, strbuf_t *out)
{
    char buf[SM_L10N_DATE_SIZE];
    sm_csv_field(out, _("Theme"));
    for (size_t c = 0; c < g->n_cols; c++) {
        s_label(g, c, buf);
        sm_csv_next(out);
        sm_csv_field(out, buf);
    }
    sm_csv_end_row(out);
    for (size_t r = 0; r < g->n_rows; r++) {
        sm_csv_field(out, s_title(g, r, buf));
        for (size_t c = 0; c < g->n_cols; c++) {
            const char *text;
            size_t len;
            s_cell(g, r, c, &text, &len);
            char *cell = strndup(text, len);
            sm_csv_next(out);
            sm_csv_field(out, cell ? cell : "?");
            free(cell);
        }
        sm_csv_end_row(out);
    }
}

/* ==== The legend ========================================================== */

/*  The legend of the codes used in the grid, in the programme's order,
    then ovb and "?" when they occur, into out: "Codes: FG focus group, I
    interviews, ovb tentative (onder voorbehoud)". Nothing when the grid
    is empty. */
static void s_legend(const s_grid_t *g, strbuf_t *out)
{
    bool used[METHOD_COUNT] = {false}, ovb = false, unfixed = false, any = false;
    //  The cells' texts lie back to back in g->text: read each cell alone.
    for (size_t cell = 0; cell < g->n_rows * g->n_cols; cell++) {
        const char *p = strbuf_data(g->text) + g->cells[cell].off;
        const char *end = p + g->cells[cell].len;
        while (p < end) {
            while (p < end && *p == ' ')
                p++;
            const char *start = p;
            while (p < end && *p != ' ')
                p++;
            size_t len = (size_t)(p - start);
            if (len == 0)
                continue;
            if (len == 3 && strncmp(start, "ovb", 3) == 0) {
                ovb = true;
                continue;
            }
            if (start[len - 1] == '?') {
                unfixed = true;
                len--;
            }
            for (int m = 0; m < METHOD_COUNT; m++)
                if (strlen(method_code((method_t)m)) == len &&
                    strncmp(method_code((method_t)m), start, len) == 0)
                    used[m] = any = true;
        }
    }
    if (!any)
        return;
    strbuf_t *list = strbuf_new();
    if (!list)
        return;
    for (int m = 0; m < METHOD_COUNT; m++)
        if (used[m])
            strbuf_printf(list, "%s%s %s", strbuf_len(list) ? ", " : "", method_code((method_t)m),
                          method_name((method_t)m));
    if (ovb)
        strbuf_printf(list, ", ovb %s", _("tentative (onder voorbehoud)"));
    if (unfixed)
        strbuf_printf(list, ", ? %s", _("not yet fixed to a month"));
    /*  TRANSLATORS: the legend under the planning grid; %s lists each code
        with its method: "FG focus group, I interviews". */
    strbuf_printf(out, _("Codes: %s"), strbuf_data(list));
    strbuf_destroy(&list);
}

/*  Text for a Markdown table cell: punctuation that Markdown or the table
    would interpret is backslash-escaped, and line breaks become spaces
    (a table row is one line). */
static void s_put_md(strbuf_t *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            strbuf_putc(out, ' ');
        else {
            if (strchr("\\`*_[]<>|&~#", c))
                strbuf_putc(out, '\\');
            strbuf_putc(out, (char)c);
        }
    }
}

/*  A Markdown (GFM) table into out. Failures are left in out. */
static void s_render_md(const s_grid_t *g, strbuf_t *out)
{
    char buf[SM_L10N_DATE_SIZE];
    strbuf_printf(out, "| %s |", _("Theme"));
    for (size_t c = 0; c < g->n_cols; c++) {
        s_label(g, c, buf);
        strbuf_printf(out, " %s |", buf);
    }
    strbuf_puts(out, "\n|---|");
    for (size_t c = 0; c < g->n_cols; c++)
        strbuf_puts(out, "---|");
    strbuf_putc(out, '\n');
    for (size_t r = 0; r < g->n_rows; r++) {
        const char *title = s_title(g, r, buf);
        strbuf_puts(out, "| ");
        s_put_md(out, title, strlen(title));
        strbuf_puts(out, " |");
        for (size_t c = 0; c < g->n_cols; c++) {
            const char *text;
            size_t len;
            s_cell(g, r, c, &text, &len);
            strbuf_putc(out, ' ');
            s_put_md(out, text, len);
            strbuf_puts(out, len ? " |" : "|");
        }
        strbuf_putc(out, '\n');
    }
    size_t before = strbuf_len(out);
    strbuf_putc(out, '\n');
    s_legend(g, out);
    if (strbuf_len(out) == before + 1)
        strbuf_truncate(out, before);
    else
        strbuf_putc(out, '\n');
}

/*  Text for HTML content (common/html.h escapes). Control characters other
    than tab and newline are not allowed in HTML; they become spaces. */
static void s_put_html(strbuf_t *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            strbuf_putc(out, ' ');
        else
            sm_html_escape_n(out, s + i, 1);
    }
}

/*  A complete HTML document with one table into out. Failures are left
    in out. */
static void s_render_html(const s_grid_t *g, strbuf_t *out)
{
    char buf[SM_L10N_DATE_SIZE], last[SM_L10N_DATE_SIZE], heading[200];
    s_label(g, 0, buf);
    s_label(g, g->n_cols - 1, last);
    /*  TRANSLATORS: the title of the planning grid's page: its first and
        last month. */
    snprintf(heading, sizeof heading, _("Planning grid %1$s-%2$s"), buf, last);
    sm_html_begin(out, heading);
    strbuf_puts(out, "<h1>");
    sm_html_escape(out, heading);
    strbuf_puts(out, "</h1>\n<table>\n<thead>\n<tr><th scope=\"col\">");
    sm_html_escape(out, _("Theme"));
    strbuf_puts(out, "</th>");
    for (size_t c = 0; c < g->n_cols; c++) {
        s_label(g, c, buf);
        strbuf_puts(out, "<th scope=\"col\">");
        sm_html_escape(out, buf);
        strbuf_puts(out, "</th>");
    }
    strbuf_puts(out, "</tr>\n</thead>\n<tbody>\n");
    for (size_t r = 0; r < g->n_rows; r++) {
        const char *title = s_title(g, r, buf);
        strbuf_puts(out, "<tr><th scope=\"row\">");
        s_put_html(out, title, strlen(title));
        strbuf_puts(out, "</th>");
        for (size_t c = 0; c < g->n_cols; c++) {
            const char *text;
            size_t len;
            s_cell(g, r, c, &text, &len);
            strbuf_puts(out, "<td>");
            s_put_html(out, text, len);
            strbuf_puts(out, "</td>");
        }
        strbuf_puts(out, "</tr>\n");
    }
    strbuf_puts(out, "</tbody>\n</table>\n");
    strbuf_t *legend = strbuf_new();
    if (legend) {
        s_legend(g, legend);
        if (strbuf_len(legend)) {
            strbuf_puts(out, "<p class=\"legend\">");
            sm_html_escape(out, strbuf_data(legend));
            strbuf_puts(out, "</p>\n");
        }
    }
    strbuf_destroy(&legend);
    sm_html_end(out);
}

char *grid_render(const grid_theme_t *themes, size_t n_themes, const session_t *sessions,
                  size_t n_sessions, sm_date_t from_month, sm_date_t to_month, grid_format_t format,
                  sm_err_t *err)
{
    char *result = NULL;
    s_grid_t g = {0};
    strbuf_t *out = NULL;
    size_t *widths = NULL;
    bool out_of_memory = false;
    if (from_month.y < 1 || from_month.y > 9999 || from_month.m < 1 || from_month.m > 12) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "from",
                   _("from is not a month; give one such as 2019-10"));
        goto cleanup;
    }
    if (to_month.y < 1 || to_month.y > 9999 || to_month.m < 1 || to_month.m > 12) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "to",
                   _("to is not a month; give one such as 2020-06"));
        goto cleanup;
    }
    long span = s_month_index(to_month) - s_month_index(from_month) + 1;
    if (span < 1) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "to",
                   _("to %04d-%02d is before from %04d-%02d; give a later month"), to_month.y,
                   to_month.m, from_month.y, from_month.m);
        goto cleanup;
    }
    if (span > GRID_MONTHS_MAX) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "to",
                   _("the grid would span %ld months; give at most %d"), span, GRID_MONTHS_MAX);
        goto cleanup;
    }
    if ((int)format < 0 || format >= GRID_FORMAT_COUNT) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "format",
                   _("format is not a grid format; use text, csv, md or html"));
        goto cleanup;
    }
    g.n_rows = n_themes;
    g.n_cols = (size_t)span;
    g.first_y = from_month.y;
    g.first_m = from_month.m;
    g.rows = malloc((n_themes ? n_themes : 1) * sizeof *g.rows);
    g.cells = calloc((n_themes ? n_themes : 1) * g.n_cols, sizeof *g.cells);
    g.text = strbuf_new();
    out = strbuf_new();
    widths = malloc((g.n_cols + 1) * sizeof *widths);
    out_of_memory = true; //  until the document is complete
    if (!g.rows || !g.cells || !g.text || !out || !widths)
        goto cleanup;
    for (size_t i = 0; i < n_themes; i++)
        g.rows[i] = &themes[i];
    if (n_themes > 1)
        qsort(g.rows, n_themes, sizeof *g.rows, s_theme_by_id);
    if (s_build_cells(&g, sessions, n_sessions) != 0)
        goto cleanup;
    switch (format) {
    case GRID_TEXT: {
        s_render_text(&g, out, widths);
        size_t before = strbuf_len(out);
        strbuf_putc(out, '\n');
        s_legend(&g, out);
        if (strbuf_len(out) == before + 1)
            strbuf_truncate(out, before);
        else
            strbuf_putc(out, '\n');
        break;
    }
    case GRID_CSV:
        s_render_csv(&g, out);
        break;
    case GRID_MD:
        s_render_md(&g, out);
        break;
    default:
        s_render_html(&g, out);
        break;
    }
    result = strbuf_detach(out);
    out_of_memory = result == NULL;
cleanup:
    if (out_of_memory)
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory rendering the grid"));
    free(widths);
    strbuf_destroy(&out);
    strbuf_destroy(&g.text);
    free(g.cells);
    free(g.rows);
    return result;
}
