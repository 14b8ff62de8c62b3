/*  services/scheduling/grid.h - the planning grid: themes x months.

    The programme's own overview: one row per theme (in theme id order), one
    column per month, and in each cell the method codes of the sessions
    planned that month, in time order, joined by a space:

        Theme                     Oct19 Nov19 Dec19 Jan20 Feb20  Mar20 Apr20 May20 Jun20
        Disability taxi           FG                                         E?    E?
        Suicide prevention        N                 FG    FG ovb
        Evaluation shelter & care       I     I     SB?   SB?    SB? I

    (tests/unit/scheduling/test_grid.c renders exactly this.) In Dutch
    the heading reads "Onderwerp" and the months "Okt 19 Nov 19 ... Mrt 20"
    (common/l10n.h). Under the table (text, md, html) a legend of the codes
    that occur: "Codes: FG focus group, I interviews, SB mirror meeting,
    ovb tentative (onder voorbehoud), ? not yet fixed to a month" (in
    Dutch "Legenda: FG focusgroep, ..."); nothing for an empty grid.

    - a tentative (onder voorbehoud) session is shown as "FG ovb";
    - a session known only by a quarter, year or range of several months
      appears in every month it covers, marked not yet fixed: "SB?";
      a session known by a month or a day is fixed to that month;
    - an exact session counts in the month of its Amsterdam start date;
    - cancelled sessions are left out; sessions of themes not given, or
      outside the months asked for, are ignored.

    Formats: text (the table above: column width the widest of header and
    cells, one space between columns, no trailing spaces, "\n" line ends;
    then a blank line and the legend), csv (common/csv.h: RFC 4180, CRLF
    line ends, the reader's separator, "," or ";"; no legend), md (a
    Markdown table, a blank line, the legend) and html (common/html.h's
    document: the reader's language, the print stylesheet; a heading, one
    <table>, the legend; all text escaped).

    The cells are built in one pass over the sessions plus a sort, never by
    scanning the sessions per cell: 200 themes x 24 months is instant.
*/
#ifndef SAMEN_SCHEDULING_GRID_H
#define SAMEN_SCHEDULING_GRID_H

#include "common/date.h"
#include "common/err.h"
#include "session_rules.h"
#include <stddef.h>
#include <stdint.h>

#define GRID_MONTHS_MAX 120

typedef struct {
    uint64_t id;       //  T<id>
    const char *title; //  borrowed; NULL or "" shows as "T<id>"
} grid_theme_t;

typedef enum { GRID_TEXT, GRID_CSV, GRID_MD, GRID_HTML, GRID_FORMAT_COUNT } grid_format_t;

/*  Parse "text", "csv", "md" (or "markdown") or "html" (case, blanks,
    hyphens and underscores ignored: proto/words_scheduling.h).
    Returns 0, or -1 with err listing the formats. */
int grid_format_parse(const char *text, grid_format_t *out, const char *field, sm_err_t *err);

/*  The column of October 2019, in the reader's language ("Oct19", "Okt
    19"; common/l10n.h), into buf (at least SM_L10N_DATE_SIZE bytes).
    Returns buf. */
char *grid_month_label(int year, int month, char *buf);

/*  Render the grid of themes x the months from_month..to_month (inclusive;
    the day of both is ignored) in format. Sessions use theme_id, method,
    status, tentative, has_time/start_ms and period; nothing else.
    Returns a malloc'd NUL-terminated string the caller frees, or NULL with
    err: SM_E_INVALID_ARGUMENT when a month is invalid, to_month is before
    from_month or the grid spans more than GRID_MONTHS_MAX months (field
    "from" or "to"), or for an unknown format; SM_E_RESOURCE_EXHAUSTED when
    out of memory. */
char *grid_render(const grid_theme_t *themes, size_t n_themes, const session_t *sessions,
                  size_t n_sessions, sm_date_t from_month, sm_date_t to_month, grid_format_t format,
                  sm_err_t *err);

#endif
