/*  services/reporting/overview.c - the yearly overview and the decision-document passage.
    See overview.h for the exact formats. */
#include "overview.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/text.h"
#include "common/csv.h"
#include "common/html.h"
#include "common/vocab.h"
#include "ident.h"
#include "markdown.h"
#include "../../common/strbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Statuses and checks ================================================ */

/*  The statuses are common/vocab.h's SM_VOCAB_OUTCOME_STATUS, in the
    order of overview_status_t. */

const char *overview_status_name(overview_status_t status)
{
    if ((int)status < 0 || (int)status > OUTCOME_NOT_ADOPTED)
        return "?";
    return sm_vocab_code(&SM_VOCAB_OUTCOME_STATUS, (int)status);
}

int overview_status_parse(const char *text, overview_status_t *out, const char *field,
                          sm_err_t *err)
{
    int i = sm_vocab_find(&SM_VOCAB_OUTCOME_STATUS, text);
    if (i >= 0 && i <= OUTCOME_NOT_ADOPTED) {
        *out = (overview_status_t)i;
        return 0;
    }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                      _("%s must be one of open, in_progress, done, not_adopted"), field);
}

/*  How status reads in a document, in the reader's language; "open" for a
    value outside the enum (overview_outcome_check keeps those out of the
    store). */
static const char *s_status_word(overview_status_t status)
{
    if ((int)status < 0 || (int)status > OUTCOME_NOT_ADOPTED)
        status = OUTCOME_OPEN;
    return sm_vocab_name(&SM_VOCAB_OUTCOME_STATUS, (int)status);
}

static int s_check_text(const char *text, const char *field, sm_err_t *err)
{
    return sm_text_check(text, field, OVERVIEW_TEXT_MAX, err);
}

int overview_outcome_check(const overview_outcome_t *o, sm_err_t *err)
{
    if (sm_text_blank(o->brought_in))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "brought_in",
                          _("brought_in is required; say what residents brought in"));
    if ((int)o->status < 0 || (int)o->status > OUTCOME_NOT_ADOPTED)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "status",
                          _("status must be one of open, in_progress, done, not_adopted"));
    if (o->status == OUTCOME_NOT_ADOPTED && sm_text_blank(o->reason))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          _("reason is required when an outcome is not adopted; residents are "
                            "owed the why"));
    if (s_check_text(o->brought_in, "brought_in", err) != 0 ||
        s_check_text(o->done, "done", err) != 0 || s_check_text(o->reason, "reason", err) != 0)
        return -1;
    return 0;
}

/* ==== Pieces shared by the documents ===================================== */

void overview_put_methods(strbuf_t *sb, const reach_method_row_t *methods, size_t n, bool markdown)
{
    if (n == 0) {
        strbuf_puts(sb, _("no sessions held"));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const reach_method_row_t *m = &methods[i];
        const char *name = reach_method_name(m->method);
        if (i > 0)
            strbuf_puts(sb, ", ");
        //  The code comes from the store, but it is still text from outside.
        strbuf_t *code = strbuf_new();
        if (!code) {
            strbuf_puts(sb, "?");
            continue;
        }
        if (markdown)
            markdown_put_text(code, m->method);
        else
            strbuf_puts(code, m->method ? m->method : "?");
        if (name)
            /*  TRANSLATORS: a method, its code and how many sessions used
                it: "focus group (FG, 2 sessions)". */
            strbuf_printf(sb, Q_("%1$s (%2$s, %3$zu session)", "%1$s (%2$s, %3$zu sessions)",
                                 m->sessions),
                          name, strbuf_data(code), m->sessions);
        else
            strbuf_printf(sb, Q_("%1$s (%2$zu session)", "%1$s (%2$zu sessions)", m->sessions),
                          strbuf_data(code), m->sessions);
        strbuf_destroy(&code);
    }
}

/*  The methods of t as they open a table cell or a sentence ("Focusgroep
    (FG, ...)", "Geen bijeenkomsten gehouden"), into sb. */
static void s_put_form(strbuf_t *sb, const overview_theme_t *t, bool markdown)
{
    strbuf_t *m = strbuf_new();
    if (!m)
        return;
    overview_put_methods(m, t->methods, t->n_methods, markdown);
    size_t size = strbuf_len(m) + 1;
    char *cap = malloc(size);
    if (cap)
        strbuf_puts(sb, sm_l10n_capitalise(strbuf_data(m), cap, size));
    free(cap);
    strbuf_destroy(&m);
}

/*  How an outcome's status reads, with its reason when not adopted, into
    sb; the reason through put (markdown_put_text, or the plain writer). */
static void s_put_status(strbuf_t *sb, const overview_outcome_t *o,
                         void (*put)(strbuf_t *, const char *))
{
    if (o->status != OUTCOME_NOT_ADOPTED) {
        strbuf_puts(sb, s_status_word(o->status));
        return;
    }
    strbuf_t *reason = strbuf_new();
    if (!reason)
        return;
    put(reason, o->reason);
    /*  TRANSLATORS: the status of an outcome that was not adopted, and why:
        "not adopted, because the contract runs until 2022". */
    strbuf_printf(sb, _("%1$s, because %2$s"), s_status_word(o->status), strbuf_data(reason));
    strbuf_destroy(&reason);
}

static void s_put_outcome_list(strbuf_t *sb, const overview_outcome_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const overview_outcome_t *o = &items[i];
        strbuf_printf(sb, "- **%s** ", _("Brought in:"));
        markdown_put_text(sb, o->brought_in);
        strbuf_printf(sb, "\n  - **%s** ", _("What was done:"));
        if (sm_text_blank(o->done))
            strbuf_puts(sb, _("nothing yet"));
        else
            markdown_put_text(sb, o->done);
        strbuf_printf(sb, "\n  - **%s** ", _("Status:"));
        s_put_status(sb, o, markdown_put_text);
        strbuf_puts(sb, "\n");
    }
}

/*  The plain writer for CSV and HTML cells: runs of white space as one
    space, none at the ends. NULL writes nothing. */
static void s_put_collapsed(strbuf_t *sb, const char *text)
{
    bool pending = false, any = false;
    for (const char *p = text; p && *p; p++) {
        if (strchr(" \t\r\n\v\f", *p)) {
            pending = any;
            continue;
        }
        if (pending)
            strbuf_putc(sb, ' ');
        pending = false;
        any = true;
        strbuf_putc(sb, *p);
    }
}

static int s_theme_ptr_cmp(const void *a, const void *b)
{
    const overview_theme_t *x = *(const overview_theme_t *const *)a;
    const overview_theme_t *y = *(const overview_theme_t *const *)b;
    return ident_cmp(x->theme_id, y->theme_id);
}

/*  The themes in natural ID order, as a malloc'd array of pointers, or
    NULL when out of memory. */
static const overview_theme_t **s_sorted_themes(const overview_t *o)
{
    const overview_theme_t **sorted = calloc(o->n_themes ? o->n_themes : 1, sizeof *sorted);
    if (!sorted)
        return NULL;
    for (size_t i = 0; i < o->n_themes; i++)
        sorted[i] = &o->themes[i];
    if (o->n_themes > 1)
        qsort(sorted, o->n_themes, sizeof *sorted, s_theme_ptr_cmp);
    return sorted;
}

/* ==== The yearly overview's cells ========================================= */

/*  The columns of the yearly overview's table. */
typedef enum { S_COL_PROJECT, S_COL_FORM, S_COL_OUTCOME, S_COL_FOLLOW_UP, S_NCOLS } s_col_t;

/*  The table's title and column headings for year, into bufs. */
static void s_headings(int year, char title[128], char heads[S_NCOLS][160])
{
    /*  TRANSLATORS: the title of the yearly overview's table, as the
        region's appendix writes it: "Projecten 2019 (uitgevoerd/afgerond)". */
    snprintf(title, 128, _("Projects %d (carried out/completed)"), year);
    snprintf(heads[S_COL_PROJECT], 160, "%s", _("Project"));
    snprintf(heads[S_COL_FORM], 160, "%s", _("Form and central question"));
    snprintf(heads[S_COL_OUTCOME], 160, "%s", _("Outcome and what we did or will do with it"));
    /*  TRANSLATORS: the last column of the yearly overview: the follow-up
        in the year after it ("Vervolg in 2020"). */
    snprintf(heads[S_COL_FOLLOW_UP], 160, _("Follow-up in %d"), year + 1);
}

/*  How a cell is written: as Markdown table text, or plain (CSV, HTML). */
typedef enum { S_CELL_MD, S_CELL_PLAIN } s_cell_t;

/*  Markdown inside a table cell: literal, and "|" escaped too. */
static void s_put_md_cell_text(strbuf_t *sb, const char *text)
{
    markdown_put_cell(sb, text);
}

/*  One cell of theme t into sb. Items in the outcome cell are separated
    by sep ("<br>" in Markdown, "\n" in CSV and HTML). */
static void s_put_cell(strbuf_t *sb, const overview_theme_t *t, s_col_t col, s_cell_t how,
                       const char *sep)
{
    void (*put)(strbuf_t *, const char *) =
        how == S_CELL_MD ? s_put_md_cell_text : s_put_collapsed;
    switch (col) {
    case S_COL_PROJECT: {
        strbuf_t *title = strbuf_new(), *id = strbuf_new();
        if (title && id) {
            put(title, sm_text_blank(t->title) ? t->theme_id : t->title);
            put(id, t->theme_id);
            /*  TRANSLATORS: a theme in a table: its title and its ID,
                "Disability taxi (T3)". */
            strbuf_printf(sb, _("%1$s (%2$s)"), strbuf_data(title), strbuf_data(id));
        }
        strbuf_destroy(&title);
        strbuf_destroy(&id);
        break;
    }
    case S_COL_FORM: {
        s_put_form(sb, t, how == S_CELL_MD);
        strbuf_puts(sb, ". ");
        if (sm_text_blank(t->central_question))
            strbuf_puts(sb, _("Central question: not recorded."));
        else {
            strbuf_t *q = strbuf_new();
            if (q) {
                put(q, t->central_question);
                strbuf_printf(sb, _("Central question: %s"), strbuf_data(q));
            }
            strbuf_destroy(&q);
        }
        break;
    }
    case S_COL_OUTCOME:
        if (t->n_outcomes == 0)
            strbuf_puts(sb, _("Nothing recorded yet."));
        for (size_t i = 0; i < t->n_outcomes; i++) {
            const overview_outcome_t *o = &t->outcomes[i];
            strbuf_t *in = strbuf_new(), *done = strbuf_new(), *status = strbuf_new();
            if (in && done && status) {
                put(in, o->brought_in);
                if (sm_text_blank(o->done))
                    strbuf_puts(done, _("nothing yet"));
                else
                    put(done, o->done);
                s_put_status(status, o, put);
                if (i > 0)
                    strbuf_puts(sb, sep);
                /*  TRANSLATORS: one outcome in a cell of the yearly
                    overview: what residents brought in, what was done with
                    it, and its status in brackets. */
                strbuf_printf(sb, _("Brought in: %1$s What was done: %2$s (%3$s)"),
                              strbuf_data(in), strbuf_data(done), strbuf_data(status));
            }
            strbuf_destroy(&in);
            strbuf_destroy(&done);
            strbuf_destroy(&status);
        }
        break;
    default:
        if (sm_text_blank(t->follow_up))
            strbuf_puts(sb, _("Not planned yet."));
        else
            put(sb, t->follow_up);
        break;
    }
}

/* ==== Markdown ============================================================ */

char *overview_render_markdown(const overview_t *o)
{
    const overview_theme_t **themes = s_sorted_themes(o);
    strbuf_t *sb = strbuf_new();
    char *md = NULL;
    char title[128], heads[S_NCOLS][160];
    if (!themes || !sb)
        goto cleanup;
    s_headings(o->year, title, heads);
    strbuf_puts(sb, "# ");
    /*  TRANSLATORS: the title of the yearly overview: "Yearly overview 2019". */
    strbuf_printf(sb, _("Yearly overview %d"), o->year);
    strbuf_printf(sb, "\n\n## %s\n\n", title);
    if (o->n_themes == 0) {
        strbuf_printf(sb, "%s\n", _("No themes to report."));
        md = strbuf_detach(sb);
        goto cleanup;
    }
    strbuf_puts(sb, "|");
    for (int c = 0; c < S_NCOLS; c++)
        strbuf_printf(sb, " %s |", heads[c]);
    strbuf_puts(sb, "\n|");
    for (int c = 0; c < S_NCOLS; c++)
        strbuf_puts(sb, "---|");
    strbuf_puts(sb, "\n");
    for (size_t i = 0; i < o->n_themes; i++) {
        strbuf_puts(sb, "|");
        for (int c = 0; c < S_NCOLS; c++) {
            strbuf_puts(sb, " ");
            s_put_cell(sb, themes[i], (s_col_t)c, S_CELL_MD, "<br>");
            strbuf_puts(sb, " |");
        }
        strbuf_puts(sb, "\n");
    }
    overview_put_yardsticks(sb, themes, o->n_themes, false);
    md = strbuf_detach(sb);
cleanup:
    free(themes);
    strbuf_destroy(&sb);
    return md;
}

/* ==== HTML ================================================================ */

char *overview_render_html(const overview_t *o)
{
    const overview_theme_t **themes = s_sorted_themes(o);
    strbuf_t *sb = strbuf_new(), *cell = strbuf_new();
    char *html = NULL;
    char title[128], heads[S_NCOLS][160], doc_title[64];
    if (!themes || !sb || !cell)
        goto cleanup;
    s_headings(o->year, title, heads);
    snprintf(doc_title, sizeof doc_title, _("Yearly overview %d"), o->year);
    sm_html_begin(sb, doc_title);
    strbuf_puts(sb, "<h1>");
    sm_html_escape(sb, doc_title);
    strbuf_puts(sb, "</h1>\n<h2>");
    sm_html_escape(sb, title);
    strbuf_puts(sb, "</h2>\n");
    if (o->n_themes == 0) {
        strbuf_puts(sb, "<p>");
        sm_html_escape(sb, _("No themes to report."));
        strbuf_puts(sb, "</p>\n");
    } else {
        strbuf_puts(sb, "<table>\n<thead>\n<tr>");
        for (int c = 0; c < S_NCOLS; c++) {
            strbuf_puts(sb, "<th>");
            sm_html_escape(sb, heads[c]);
            strbuf_puts(sb, "</th>");
        }
        strbuf_puts(sb, "</tr>\n</thead>\n<tbody>\n");
        for (size_t i = 0; i < o->n_themes; i++) {
            strbuf_puts(sb, "<tr>");
            for (int c = 0; c < S_NCOLS; c++) {
                strbuf_truncate(cell, 0);
                s_put_cell(cell, themes[i], (s_col_t)c, S_CELL_PLAIN, "\n");
                strbuf_puts(sb, "<td>");
                sm_html_escape_lines(sb, strbuf_data(cell), "<br>\n");
                strbuf_puts(sb, "</td>");
            }
            strbuf_puts(sb, "</tr>\n");
        }
        strbuf_puts(sb, "</tbody>\n</table>\n");
        overview_put_yardsticks(sb, themes, o->n_themes, true);
    }
    sm_html_end(sb);
    if (!strbuf_failed(cell))
        html = strbuf_detach(sb);
cleanup:
    free(themes);
    strbuf_destroy(&sb);
    strbuf_destroy(&cell);
    return html;
}

/* ==== CSV ================================================================= */

char *overview_render_csv(const overview_t *o)
{
    const overview_theme_t **themes = s_sorted_themes(o);
    strbuf_t *sb = strbuf_new();
    strbuf_t *cell = strbuf_new();
    char *csv = NULL;
    char title[128], heads[S_NCOLS][160];
    if (!themes || !sb || !cell)
        goto cleanup;
    s_headings(o->year, title, heads);
    for (int c = 0; c < S_NCOLS; c++) {
        if (c > 0)
            sm_csv_next(sb);
        sm_csv_field(sb, heads[c]);
    }
    sm_csv_end_row(sb);
    for (size_t i = 0; i < o->n_themes; i++) {
        for (int c = 0; c < S_NCOLS; c++) {
            strbuf_truncate(cell, 0);
            s_put_cell(cell, themes[i], (s_col_t)c, S_CELL_PLAIN, "\n");
            if (c > 0)
                sm_csv_next(sb);
            sm_csv_field(sb, strbuf_data(cell));
        }
        sm_csv_end_row(sb);
    }
    //  A failed cell would leave a hole in a row: fail the whole document.
    if (!strbuf_failed(cell))
        csv = strbuf_detach(sb);
cleanup:
    free(themes);
    strbuf_destroy(&sb);
    strbuf_destroy(&cell);
    return csv;
}

/* ==== Rows, for a page that lays the table out itself ==================== */

int overview_pack_rows(const overview_t *o, msgpack_packer *pk)
{
    const overview_theme_t **themes = s_sorted_themes(o);
    strbuf_t *cell = strbuf_new();
    char title[128], heads[S_NCOLS][160], doc_title[64];
    int rc = -1;
    if (!themes || !cell)
        goto cleanup;
    s_headings(o->year, title, heads);
    snprintf(doc_title, sizeof doc_title, _("Yearly overview %d"), o->year);
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "title", doc_title);
    sm_pack_kv_str(pk, "table", title);
    sm_pack_str(pk, "columns");
    msgpack_pack_array(pk, S_NCOLS);
    for (int c = 0; c < S_NCOLS; c++)
        sm_pack_str(pk, heads[c]);
    sm_pack_str(pk, "rows");
    msgpack_pack_array(pk, o->n_themes);
    for (size_t i = 0; i < o->n_themes; i++) {
        msgpack_pack_map(pk, 2);
        sm_pack_kv_str(pk, "theme", themes[i]->theme_id);
        sm_pack_str(pk, "cells");
        msgpack_pack_array(pk, S_NCOLS);
        for (int c = 0; c < S_NCOLS; c++) {
            strbuf_truncate(cell, 0);
            s_put_cell(cell, themes[i], (s_col_t)c, S_CELL_PLAIN, "\n");
            sm_pack_str(pk, strbuf_data(cell));
        }
    }
    rc = strbuf_failed(cell) ? -1 : 0;
cleanup:
    free(themes);
    strbuf_destroy(&cell);
    return rc;
}

/* ==== The passage for a decision document ================================ */

/*  The sentence on the sessions held, in the reader's language. */
static void s_put_sessions_sentence(strbuf_t *sb, const overview_theme_t *t)
{
    char from[SM_L10N_DATE_SIZE], to[SM_L10N_DATE_SIZE];
    strbuf_t *methods = strbuf_new();
    if (!methods)
        return;
    overview_put_methods(methods, t->methods, t->n_methods, true);
    sm_l10n_date_long(t->first_held, from);
    sm_l10n_date_long(t->last_held, to);
    if (sm_date_cmp(t->first_held, t->last_held) == 0)
        strbuf_printf(sb,
                      Q_("On %1$s residents took part in %2$zu session: %3$s.",
                         "On %1$s residents took part in %2$zu sessions: %3$s.", t->sessions),
                      from, t->sessions, strbuf_data(methods));
    else
        strbuf_printf(sb,
                      Q_("From %1$s to %2$s residents took part in %3$zu session: %4$s.",
                         "From %1$s to %2$s residents took part in %3$zu sessions: %4$s.",
                         t->sessions),
                      from, to, t->sessions, strbuf_data(methods));
    strbuf_destroy(&methods);
}

/*  The sentence on who took part: how many, and from which groups. */
static void s_put_people_sentence(strbuf_t *sb, const overview_theme_t *t)
{
    if (t->participants == 0) {
        strbuf_printf(sb, " %s", _("No attendance was recorded."));
        return;
    }
    strbuf_t *groups = strbuf_new();
    if (!groups)
        return;
    size_t n = t->n_groups < 5 ? t->n_groups : 5;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strbuf_puts(groups, i + 1 == n ? _(" and ") : ", ");
        markdown_put_text(groups, t->groups[i].name);
        strbuf_printf(groups, " (%zu)", t->groups[i].participants);
    }
    strbuf_puts(sb, " ");
    if (n == 0)
        strbuf_printf(sb,
                      Q_("%zu resident took part.", "%zu different residents took part.",
                         t->participants),
                      t->participants);
    else
        /*  TRANSLATORS: how many took part and the groups they came from,
            "... among them foster parents (20) and parents (6)". */
        strbuf_printf(sb,
                      Q_("%1$zu resident took part, from the group %2$s.",
                         "%1$zu different residents took part, among them %2$s.",
                         t->participants),
                      t->participants, strbuf_data(groups));
    strbuf_destroy(&groups);
}

char *overview_theme_passage(const overview_theme_t *t)
{
    strbuf_t *sb = strbuf_new(), *id = strbuf_new();
    char *md = NULL;
    if (!sb || !id)
        goto cleanup;
    markdown_put_text(id, t->theme_id);
    strbuf_puts(id, " ");
    markdown_put_text(id, t->title);
    /*  TRANSLATORS: the heading of the passage every decision document
        carries, as the region writes it ("Hoe is het inwonersperspectief
        verkregen en verwerkt?"), then the theme. */
    strbuf_printf(sb, "**%s** (%s)\n\n", _("How was the residents' perspective obtained and processed?"),
                  strbuf_data(id));
    if (t->sessions == 0) {
        strbuf_puts(sb, _("No sessions with residents were held on this theme."));
    } else {
        s_put_sessions_sentence(sb, t);
        s_put_people_sentence(sb, t);
    }
    if (!sm_text_blank(t->central_question)) {
        strbuf_t *q = strbuf_new();
        if (q) {
            markdown_put_text(q, t->central_question);
            strbuf_puts(sb, " ");
            strbuf_printf(sb, _("The central question was: %s"), strbuf_data(q));
        }
        strbuf_destroy(&q);
    }
    strbuf_puts(sb, "\n\n");
    const char *label = _("Main input and what was done with it:");
    if (t->n_outcomes == 0)
        strbuf_printf(sb, "**%s** %s\n\n", label, _("nothing recorded yet."));
    else {
        strbuf_printf(sb, "**%s**\n\n", label);
        s_put_outcome_list(sb, t->outcomes, t->n_outcomes);
        strbuf_puts(sb, "\n");
    }
    strbuf_printf(sb, "**%s** ", _("Follow-up:"));
    if (sm_text_blank(t->follow_up))
        strbuf_puts(sb, _("not planned yet."));
    else
        markdown_put_text(sb, t->follow_up);
    strbuf_puts(sb, "\n");
    overview_put_passage_yardstick(sb, t);
    md = strbuf_detach(sb);
cleanup:
    strbuf_destroy(&sb);
    strbuf_destroy(&id);
    return md;
}

char *overview_theme_passage_html(const overview_theme_t *t)
{
    char *md = overview_theme_passage(t);
    if (!md)
        return NULL;
    char *html = markdown_to_html_document(md, _("How was the residents' perspective obtained and processed?"));
    free(md);
    return html;
}
