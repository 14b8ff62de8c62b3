/*  services/reporting/youth.c - the statutory youth report (CEO Jeugd). See youth.h. */
#include "youth.h"
#include "common/vocab.h"
#include "../../common/strbuf.h"
#include "common/text.h"
#include "markdown.h"
#include "overview.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MINISTRY "the Ministry of Health, Welfare and Sport (VWS)"

/* ==== Status, dates and checks =========================================== */

/*  The statuses are common/vocab.h's SM_VOCAB_YOUTH_STATUS. */

const char *youth_status_name(youth_status_t status)
{
    if ((int)status < 0 || (int)status > YOUTH_SUBMITTED)
        return "?";
    return sm_vocab_code(&SM_VOCAB_YOUTH_STATUS, (int)status);
}

bool youth_group_is_youth_or_parents(const char *group)
{
    static const char *const words[] = {
        "youth",    "young",  "jongeren",   "jongere",     "jeugd",  "children",
        "kinderen", "pupils", "students",   "scholieren",  "parent", "parents",
        "ouder",    "ouders", "pleegouder", "pleegouders", NULL};
    for (const char *p = group; p && *p;) {
        //  One word: a run of characters other than space, '-' and '_'.
        while (*p == ' ' || *p == '-' || *p == '_')
            p++;
        const char *start = p;
        while (*p && *p != ' ' && *p != '-' && *p != '_')
            p++;
        size_t len = (size_t)(p - start);
        for (int i = 0; len && words[i]; i++) {
            if (strlen(words[i]) != len)
                continue;
            size_t k = 0;
            while (k < len && (start[k] >= 'A' && start[k] <= 'Z' ? start[k] - 'A' + 'a'
                                                                  : start[k]) == words[i][k])
                k++;
            if (k == len)
                return true;
        }
    }
    return false;
}

sm_date_t youth_due_date(int year)
{
    return (sm_date_t){year + 1, 7, 1};
}

int64_t youth_days_late(const youth_report_t *r, sm_date_t today)
{
    sm_date_t done = r->status == YOUTH_SUBMITTED ? r->submitted_on : today;
    int64_t late = sm_date_diff(youth_due_date(r->year), done);
    return late > 0 ? late : 0;
}

int youth_report_init(youth_report_t *out, int year, sm_err_t *err)
{
    //  9998: the report on 9999 would be due in year 10000, beyond our dates.
    if (year < 1 || year > 9998)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "year",
                          "year must be a whole number from 1 to 9998, got %d", year);
    *out = (youth_report_t){.year = year, .status = YOUTH_DRAFT};
    return 0;
}

static int s_check_text(const char *text, const char *field, sm_err_t *err)
{
    return sm_text_check(text, field, YOUTH_TEXT_MAX, err);
}

int youth_finding_check(const youth_finding_t *f, sm_err_t *err)
{
    if (sm_text_blank(f->finding))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "finding",
                          "finding is required; say what youth and parents told us");
    if (s_check_text(f->finding, "finding", err) != 0 || s_check_text(f->done, "done", err) != 0)
        return -1;
    return 0;
}

/* ==== Transitions ========================================================= */

static int s_refuse_submitted(const youth_report_t *r, sm_err_t *err)
{
    char day[11];
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                      "the youth report on %d was submitted on %s and can no longer change",
                      r->year, sm_date_format(r->submitted_on, day));
}

int youth_revise(youth_report_t *r, sm_err_t *err)
{
    if (r->status == YOUTH_SUBMITTED)
        return s_refuse_submitted(r, err);
    //  The adoption was of other findings: it must be given again.
    r->status = YOUTH_DRAFT;
    r->adopted_on = (sm_date_t){0, 0, 0};
    return 0;
}

int youth_adopt(youth_report_t *r, sm_date_t adopted_on, sm_date_t today, sm_err_t *err)
{
    char day[11], day2[11];
    if (r->status == YOUTH_SUBMITTED)
        return s_refuse_submitted(r, err);
    if (r->status == YOUTH_ADOPTED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                          "the youth report on %d is already adopted (on %s); submit it, or "
                          "revise it to return it to draft",
                          r->year, sm_date_format(r->adopted_on, day));
    if (r->n_findings == 0)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                          "the youth report on %d has no findings; add at least one before "
                          "adopting it",
                          r->year);
    if (sm_date_cmp(adopted_on, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          "date %s is in the future; give the day the report was adopted, at "
                          "the latest %s",
                          sm_date_format(adopted_on, day), sm_date_format(today, day2));
    r->status = YOUTH_ADOPTED;
    r->adopted_on = adopted_on;
    return 0;
}

int youth_submit(youth_report_t *r, sm_date_t submitted_on, sm_date_t today, sm_err_t *err)
{
    char day[11], day2[11];
    if (r->status == YOUTH_SUBMITTED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                          "the youth report on %d was already submitted on %s", r->year,
                          sm_date_format(r->submitted_on, day));
    if (r->status != YOUTH_ADOPTED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                          "the youth report on %d is a draft; adopt it before submitting it",
                          r->year);
    if (sm_date_cmp(submitted_on, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          "date %s is in the future; give the day the report was submitted, at "
                          "the latest %s",
                          sm_date_format(submitted_on, day), sm_date_format(today, day2));
    if (sm_date_cmp(submitted_on, r->adopted_on) < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          "date %s is before the report was adopted; give a day from %s on",
                          sm_date_format(submitted_on, day), sm_date_format(r->adopted_on, day2));
    r->status = YOUTH_SUBMITTED;
    r->submitted_on = submitted_on;
    return 0;
}

/* ==== Rendering =========================================================== */

/*  The title of theme id, or NULL when themes has none. Themes are few
    (the plan has four), so a line search. */
static const char *s_title(const youth_theme_t *themes, size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (themes[i].id && strcmp(themes[i].id, id) == 0)
            return themes[i].title;
    return NULL;
}

/*  "T4 Complex divorces", or "T4" when the title is unknown. */
static void s_put_theme(strbuf_t *sb, const youth_theme_t *themes, size_t n, const char *id)
{
    markdown_put_text(sb, id);
    const char *title = s_title(themes, n, id);
    if (!sm_text_blank(title)) {
        strbuf_putc(sb, ' ');
        markdown_put_text(sb, title);
    }
}

static void s_put_status(strbuf_t *sb, const youth_report_t *r, sm_date_t today)
{
    char day[11], due[11];
    sm_date_format(youth_due_date(r->year), due);
    int64_t late = youth_days_late(r, today);
    strbuf_puts(sb, "**Status:** ");
    if (r->status == YOUTH_SUBMITTED) {
        strbuf_printf(sb, "submitted on %s", sm_date_format(r->submitted_on, day));
        if (late > 0)
            strbuf_printf(sb, ", %lld day%s after the due date", (long long)late,
                          late == 1 ? "" : "s");
        strbuf_printf(sb, ". Due at %s on %s.\n\n", S_MINISTRY, due);
        return;
    }
    if (r->status == YOUTH_ADOPTED)
        strbuf_printf(sb, "adopted on %s. ", sm_date_format(r->adopted_on, day));
    else
        strbuf_puts(sb, "draft. ");
    strbuf_printf(sb, "Due at %s on %s", S_MINISTRY, due);
    if (late > 0)
        strbuf_printf(sb, ": %lld day%s overdue", (long long)late, late == 1 ? "" : "s");
    strbuf_puts(sb, ".\n\n");
}

static void s_put_numbers(strbuf_t *sb, const youth_report_t *r, const reach_tally_t *t,
                          const youth_theme_t *themes, size_t n_themes)
{
    strbuf_puts(sb, "## How the experiences were gathered\n\n");
    if (!t || t->sessions == 0) {
        strbuf_printf(sb,
                      "In %d the region held no sessions with youth and parents on "
                      "youth-relevant themes.\n\n",
                      r->year);
        return;
    }
    strbuf_printf(sb,
                  "In %d the region held %zu session%s with youth and parents on youth-relevant "
                  "themes, with %zu different participant%s (%zu attendance%s).\n\n",
                  r->year, t->sessions, t->sessions == 1 ? "" : "s", t->participants,
                  t->participants == 1 ? "" : "s", t->attendances, t->attendances == 1 ? "" : "s");
    strbuf_puts(sb, "**Methods:** ");
    overview_put_methods(sb, t->methods, t->n_methods, true);
    strbuf_puts(sb, ".\n\n**Themes:**\n\n");
    for (size_t i = 0; i < t->n_themes; i++) {
        const reach_theme_row_t *row = &t->themes[i];
        strbuf_puts(sb, "- ");
        s_put_theme(sb, themes, n_themes, row->theme_id);
        strbuf_printf(sb, ": %zu session%s, %zu participant%s\n", row->sessions,
                      row->sessions == 1 ? "" : "s", row->participants,
                      row->participants == 1 ? "" : "s");
    }
    strbuf_puts(sb, "\n");
}

static void s_put_findings(strbuf_t *sb, const youth_report_t *r, const youth_theme_t *themes,
                           size_t n_themes)
{
    strbuf_puts(sb, "## Findings and what was done\n\n");
    if (r->n_findings == 0) {
        strbuf_puts(sb, "No findings recorded yet.\n");
        return;
    }
    for (size_t i = 0; i < r->n_findings; i++) {
        const youth_finding_t *f = &r->findings[i];
        strbuf_puts(sb, "- **");
        if (sm_text_blank(f->theme_id))
            strbuf_puts(sb, "General");
        else
            s_put_theme(sb, themes, n_themes, f->theme_id);
        strbuf_puts(sb, ":** ");
        markdown_put_text(sb, f->finding);
        strbuf_puts(sb, "\n  - **What was done:** ");
        if (sm_text_blank(f->done))
            strbuf_puts(sb, "nothing yet");
        else
            markdown_put_text(sb, f->done);
        strbuf_puts(sb, "\n");
    }
}

char *youth_render_markdown(const youth_report_t *r, const reach_tally_t *tally,
                            const youth_theme_t *themes, size_t n_themes, sm_date_t today)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    strbuf_printf(sb, "# Youth client experience report %d\n\n", r->year);
    s_put_status(sb, r, today);
    s_put_numbers(sb, r, tally, themes, n_themes);
    s_put_findings(sb, r, themes, n_themes);
    char *md = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return md;
}

char *youth_render_html(const youth_report_t *r, const reach_tally_t *tally,
                        const youth_theme_t *themes, size_t n_themes, sm_date_t today)
{
    char *md = youth_render_markdown(r, tally, themes, n_themes, today);
    if (!md)
        return NULL;
    char title[64];
    snprintf(title, sizeof title, "Youth client experience report %d", r->year);
    char *html = markdown_to_html_document(md, title);
    free(md);
    return html;
}
