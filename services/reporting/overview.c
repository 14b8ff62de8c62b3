/*  services/reporting/overview.c - the yearly overview and the decision-document passage.
    See overview.h for the exact formats. */
#include "overview.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/text.h"
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
                      "%s must be one of open, in_progress, done, not_adopted", field);
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
                          "brought_in is required; say what residents brought in");
    if ((int)o->status < 0 || (int)o->status > OUTCOME_NOT_ADOPTED)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "status",
                          "status must be one of open, in_progress, done, not_adopted");
    if (o->status == OUTCOME_NOT_ADOPTED && sm_text_blank(o->reason))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reason",
                          "reason is required when an outcome is not adopted; residents are "
                          "owed the why");
    if (s_check_text(o->brought_in, "brought_in", err) != 0 ||
        s_check_text(o->done, "done", err) != 0 || s_check_text(o->reason, "reason", err) != 0)
        return -1;
    return 0;
}

/* ==== Pieces shared by the documents ===================================== */

void overview_put_methods(strbuf_t *sb, const reach_method_row_t *methods, size_t n, bool markdown)
{
    if (n == 0) {
        strbuf_puts(sb, "no sessions held");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const reach_method_row_t *m = &methods[i];
        const char *name = reach_method_name(m->method);
        if (i > 0)
            strbuf_puts(sb, ", ");
        if (name)
            strbuf_printf(sb, "%s (", name);
        //  The code comes from the store, but it is still text from outside.
        if (markdown)
            markdown_put_text(sb, m->method);
        else
            strbuf_puts(sb, m->method ? m->method : "?");
        strbuf_printf(sb, "%s%zu session%s)", name ? ", " : " (", m->sessions,
                      m->sessions == 1 ? "" : "s");
    }
}

static void s_put_methods(strbuf_t *sb, const overview_theme_t *t, bool markdown)
{
    overview_put_methods(sb, t->methods, t->n_methods, markdown);
}

static void s_put_outcome_list(strbuf_t *sb, const overview_outcome_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const overview_outcome_t *o = &items[i];
        strbuf_puts(sb, "- **Brought in:** ");
        markdown_put_text(sb, o->brought_in);
        strbuf_puts(sb, "\n  - **What was done:** ");
        if (sm_text_blank(o->done))
            strbuf_puts(sb, "nothing yet");
        else
            markdown_put_text(sb, o->done);
        strbuf_puts(sb, "\n  - **Status:** ");
        strbuf_puts(sb, s_status_word(o->status));
        if (o->status == OUTCOME_NOT_ADOPTED) {
            strbuf_puts(sb, ", because ");
            markdown_put_text(sb, o->reason);
        }
        strbuf_puts(sb, "\n");
    }
}

/*  The outcome block with its label ("Outcome and what was done with it"). */
static void s_put_outcomes(strbuf_t *sb, const char *label, const overview_theme_t *t)
{
    if (t->n_outcomes == 0) {
        strbuf_printf(sb, "**%s:** none recorded yet.\n\n", label);
        return;
    }
    strbuf_printf(sb, "**%s:**\n\n", label);
    s_put_outcome_list(sb, t->outcomes, t->n_outcomes);
    strbuf_puts(sb, "\n");
}

static void s_put_follow_up(strbuf_t *sb, const overview_theme_t *t)
{
    strbuf_puts(sb, "**Follow-up:** ");
    if (sm_text_blank(t->follow_up))
        strbuf_puts(sb, "none planned yet.");
    else
        markdown_put_text(sb, t->follow_up);
    strbuf_puts(sb, "\n\n");
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

/* ==== Markdown ============================================================ */

char *overview_render_markdown(const overview_t *o)
{
    const overview_theme_t **themes = s_sorted_themes(o);
    strbuf_t *sb = strbuf_new();
    char *md = NULL;
    if (!themes || !sb)
        goto cleanup;
    strbuf_printf(sb, "# Yearly overview %d\n\n", o->year);
    if (o->n_themes == 0)
        strbuf_puts(sb, "No themes to report.\n");
    for (size_t i = 0; i < o->n_themes; i++) {
        const overview_theme_t *t = themes[i];
        strbuf_puts(sb, "## ");
        markdown_put_text(sb, t->theme_id);
        strbuf_puts(sb, " ");
        markdown_put_text(sb, t->title);
        strbuf_puts(sb, "\n\n**Form and central question:** ");
        s_put_methods(sb, t, true);
        strbuf_puts(sb, ". Central question: ");
        if (sm_text_blank(t->central_question))
            strbuf_puts(sb, "not recorded.");
        else
            markdown_put_text(sb, t->central_question);
        strbuf_puts(sb, "\n\n");
        s_put_outcomes(sb, "Outcome and what was done with it", t);
        s_put_follow_up(sb, t);
    }
    //  One newline at the end of the document, not a blank line.
    if (strbuf_len(sb) >= 2 && strcmp(strbuf_data(sb) + strbuf_len(sb) - 2, "\n\n") == 0)
        strbuf_truncate(sb, strbuf_len(sb) - 1);
    md = strbuf_detach(sb);
cleanup:
    free(themes);
    strbuf_destroy(&sb);
    return md;
}

char *overview_render_html(const overview_t *o)
{
    char *md = overview_render_markdown(o);
    if (!md)
        return NULL;
    char title[40];
    snprintf(title, sizeof title, "Yearly overview %d", o->year);
    char *html = markdown_to_html_document(md, title);
    free(md);
    return html;
}

/* ==== CSV ================================================================= */

/*  Append text with runs of white space as one space and no white space at
    the ends. NULL writes nothing. */
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

/*  Append one RFC 4180 field: quoted when it holds , " CR or LF, with
    quotes doubled. */
static void s_put_csv_field(strbuf_t *sb, const char *field)
{
    if (!strpbrk(field, ",\"\r\n")) {
        strbuf_puts(sb, field);
        return;
    }
    strbuf_putc(sb, '"');
    for (const char *p = field; *p; p++) {
        if (*p == '"')
            strbuf_putc(sb, '"');
        strbuf_putc(sb, *p);
    }
    strbuf_putc(sb, '"');
}

/*  Build one cell's text in cell (emptied first) and append it as a field.
    The cell builder is the same as for Markdown minus the escaping. */
static void s_put_csv_theme(strbuf_t *sb, strbuf_t *cell, const overview_theme_t *t)
{
    strbuf_truncate(cell, 0);
    s_put_collapsed(cell, t->theme_id);
    s_put_csv_field(sb, strbuf_data(cell));
    strbuf_putc(sb, ',');

    strbuf_truncate(cell, 0);
    s_put_collapsed(cell, t->title);
    s_put_csv_field(sb, strbuf_data(cell));
    strbuf_putc(sb, ',');

    strbuf_truncate(cell, 0);
    s_put_methods(cell, t, false);
    s_put_csv_field(sb, strbuf_data(cell));
    strbuf_putc(sb, ',');

    strbuf_truncate(cell, 0);
    s_put_collapsed(cell, t->central_question);
    s_put_csv_field(sb, strbuf_data(cell));
    strbuf_putc(sb, ',');

    strbuf_truncate(cell, 0);
    for (size_t i = 0; i < t->n_outcomes; i++) {
        const overview_outcome_t *o = &t->outcomes[i];
        if (i > 0)
            strbuf_putc(cell, '\n');
        strbuf_puts(cell, "Brought in: ");
        s_put_collapsed(cell, o->brought_in);
        strbuf_puts(cell, "; what was done: ");
        if (sm_text_blank(o->done))
            strbuf_puts(cell, "nothing yet");
        else
            s_put_collapsed(cell, o->done);
        strbuf_puts(cell, "; status: ");
        strbuf_puts(cell, s_status_word(o->status));
        if (o->status == OUTCOME_NOT_ADOPTED) {
            strbuf_puts(cell, ", because ");
            s_put_collapsed(cell, o->reason);
        }
    }
    s_put_csv_field(sb, strbuf_data(cell));
    strbuf_putc(sb, ',');

    strbuf_truncate(cell, 0);
    s_put_collapsed(cell, t->follow_up);
    s_put_csv_field(sb, strbuf_data(cell));
    strbuf_puts(sb, "\r\n");
}

char *overview_render_csv(const overview_t *o)
{
    const overview_theme_t **themes = s_sorted_themes(o);
    strbuf_t *sb = strbuf_new();
    strbuf_t *cell = strbuf_new();
    char *csv = NULL;
    if (!themes || !sb || !cell)
        goto cleanup;
    strbuf_puts(sb, "theme,title,form,central_question,outcome_and_what_was_done,follow_up\r\n");
    for (size_t i = 0; i < o->n_themes; i++)
        s_put_csv_theme(sb, cell, themes[i]);
    //  A failed cell would leave a hole in a row: fail the whole document.
    if (!strbuf_failed(cell))
        csv = strbuf_detach(sb);
cleanup:
    free(themes);
    strbuf_destroy(&sb);
    strbuf_destroy(&cell);
    return csv;
}

/* ==== The passage for a decision document ================================ */

char *overview_theme_passage(const overview_theme_t *t)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    char from[11], to[11];
    strbuf_puts(sb, "**How the residents' perspective was obtained and processed (");
    markdown_put_text(sb, t->theme_id);
    strbuf_puts(sb, " ");
    markdown_put_text(sb, t->title);
    strbuf_puts(sb, ").** ");
    if (t->sessions == 0) {
        strbuf_puts(sb, "No sessions with residents were held on this theme.");
    } else {
        sm_date_format(t->first_held, from);
        sm_date_format(t->last_held, to);
        if (sm_date_cmp(t->first_held, t->last_held) == 0)
            strbuf_printf(sb, "On %s", from);
        else
            strbuf_printf(sb, "From %s to %s", from, to);
        strbuf_printf(sb, " residents took part in %zu session%s: ", t->sessions,
                      t->sessions == 1 ? "" : "s");
        s_put_methods(sb, t, true);
        if (t->participants == 0)
            strbuf_puts(sb, ". No attendance was recorded.");
        else if (t->participants == 1)
            strbuf_puts(sb, ". 1 resident took part.");
        else
            strbuf_printf(sb, ". %zu different residents took part.", t->participants);
    }
    if (!sm_text_blank(t->central_question)) {
        strbuf_puts(sb, " Central question: ");
        markdown_put_text(sb, t->central_question);
    }
    strbuf_puts(sb, "\n\n");
    s_put_outcomes(sb, "Main input and what was done with it", t);
    s_put_follow_up(sb, t);
    strbuf_truncate(sb, strbuf_len(sb) - 1); //  end on one newline
    char *md = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return md;
}
