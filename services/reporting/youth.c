/*  services/reporting/youth.c - the statutory youth report (CEO Jeugd). See youth.h. */
#include "youth.h"
#include "common/vocab.h"
#include "../../common/strbuf.h"
#include "common/html.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/text.h"
#include "markdown.h"
#include "overview.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


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
                          _("year must be a whole number from 1 to 9998, got %d"), year);
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
                          _("finding is required; say what youth and parents told us"));
    if (s_check_text(f->finding, "finding", err) != 0 || s_check_text(f->done, "done", err) != 0)
        return -1;
    return 0;
}

/* ==== Transitions ========================================================= */

static int s_refuse_submitted(const youth_report_t *r, sm_err_t *err)
{
    char day[11];
    return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                      _("the youth report on %d was submitted on %s and can no longer change"),
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
                          _("the youth report on %d is already adopted (on %s); submit it, or "
                            "revise it to return it to draft"),
                          r->year, sm_date_format(r->adopted_on, day));
    if (r->n_findings == 0)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                          _("the youth report on %d has no findings; add at least one before "
                            "adopting it"),
                          r->year);
    if (sm_date_cmp(adopted_on, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is in the future; give the day the report was adopted, at "
                            "the latest %s"),
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
                          _("the youth report on %d was already submitted on %s"), r->year,
                          sm_date_format(r->submitted_on, day));
    if (r->status != YOUTH_ADOPTED)
        return sm_err_set(err, SM_E_FAILED_PRECONDITION, "year",
                          _("the youth report on %d is a draft; adopt it before submitting it"),
                          r->year);
    if (sm_date_cmp(submitted_on, today) > 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is in the future; give the day the report was submitted, at "
                            "the latest %s"),
                          sm_date_format(submitted_on, day), sm_date_format(today, day2));
    if (sm_date_cmp(submitted_on, r->adopted_on) < 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "date",
                          _("date %s is before the report was adopted; give a day from %s on"),
                          sm_date_format(submitted_on, day), sm_date_format(r->adopted_on, day2));
    r->status = YOUTH_SUBMITTED;
    r->submitted_on = submitted_on;
    return 0;
}

/* ==== Rendering =========================================================== */

/*  The ministry the report goes to, in the reader's language. */
static const char *s_ministry(void)
{
    return _("the Ministry of Health, Welfare and Sport (VWS)");
}

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

/*  The report's title for year into buf (96 bytes). */
static char *s_report_title(int year, char *buf)
{
    /*  TRANSLATORS: the statutory youth report's title, "Cliëntervarings-
        onderzoek (CEO) Jeugd 2019" in Dutch. */
    snprintf(buf, 96, _("Youth client experience report %d"), year);
    return buf;
}

/*  The status sentence (without label) into sb. */
static void s_put_status_text(strbuf_t *sb, const youth_report_t *r, sm_date_t today)
{
    char day[SM_L10N_DATE_SIZE], due[SM_L10N_DATE_SIZE];
    sm_l10n_date_long(youth_due_date(r->year), due);
    int64_t late = youth_days_late(r, today);
    if (r->status == YOUTH_SUBMITTED) {
        sm_l10n_date_long(r->submitted_on, day);
        if (late > 0)
            strbuf_printf(sb,
                          Q_("submitted on %1$s, %2$lld day after the due date.",
                             "submitted on %1$s, %2$lld days after the due date.",
                             (unsigned long)late),
                          day, (long long)late);
        else
            strbuf_printf(sb, _("submitted on %s."), day);
        strbuf_puts(sb, " ");
        strbuf_printf(sb, _("Due at %1$s on %2$s."), s_ministry(), due);
        return;
    }
    if (r->status == YOUTH_ADOPTED)
        strbuf_printf(sb, _("adopted on %s."), sm_l10n_date_long(r->adopted_on, day));
    else
        strbuf_puts(sb, _("draft."));
    strbuf_puts(sb, " ");
    if (late > 0)
        strbuf_printf(sb,
                      Q_("Due at %1$s on %2$s: %3$lld day overdue.",
                         "Due at %1$s on %2$s: %3$lld days overdue.", (unsigned long)late),
                      s_ministry(), due, (long long)late);
    else
        strbuf_printf(sb, _("Due at %1$s on %2$s."), s_ministry(), due);
}

/*  "In 2019 the region held 5 sessions ... (31 attendances)" and who they
    were, into sb; for the report and the letter. */
static void s_put_reach_sentence(strbuf_t *sb, int year, const reach_tally_t *t,
                                 const youth_reach_t *who)
{
    if (!t || t->sessions == 0) {
        strbuf_printf(sb,
                      _("In %d the region held no sessions with youth and parents on "
                        "youth-relevant themes."),
                      year);
        return;
    }
    strbuf_printf(sb,
                  Q_("In %1$d the region held %2$zu session with youth and parents on "
                     "youth-relevant themes, with %3$zu different participants (%4$zu "
                     "attendances).",
                     "In %1$d the region held %2$zu sessions with youth and parents on "
                     "youth-relevant themes, with %3$zu different participants (%4$zu "
                     "attendances).",
                     t->sessions),
                  year, t->sessions, t->participants, t->attendances);
    if (who) {
        strbuf_puts(sb, " ");
        /*  TRANSLATORS: after the sentence on the sessions: how many of
            the participants were young people and how many parents (a
            person may count as both, or as neither). */
        strbuf_printf(sb, _("Young people among them: %1$zu; parents: %2$zu."), who->young,
                      who->parents);
    }
}

static void s_put_numbers(strbuf_t *sb, const youth_report_t *r, const reach_tally_t *t,
                          const youth_reach_t *who, const youth_theme_t *themes, size_t n_themes)
{
    strbuf_printf(sb, "## %s\n\n", _("How the experiences were gathered"));
    s_put_reach_sentence(sb, r->year, t, who);
    strbuf_puts(sb, "\n\n");
    if (!t || t->sessions == 0)
        return;
    strbuf_printf(sb, "**%s** ", _("Methods:"));
    overview_put_methods(sb, t->methods, t->n_methods, true);
    strbuf_printf(sb, ".\n\n**%s**\n\n", _("Themes:"));
    for (size_t i = 0; i < t->n_themes; i++) {
        const reach_theme_row_t *row = &t->themes[i];
        strbuf_puts(sb, "- ");
        s_put_theme(sb, themes, n_themes, row->theme_id);
        strbuf_puts(sb, ": ");
        strbuf_printf(sb,
                      Q_("%1$zu session, %2$zu participants", "%1$zu sessions, %2$zu participants",
                         row->sessions),
                      row->sessions, row->participants);
        strbuf_puts(sb, "\n");
    }
    strbuf_puts(sb, "\n");
}

static void s_put_findings(strbuf_t *sb, const youth_report_t *r, const youth_theme_t *themes,
                           size_t n_themes)
{
    strbuf_printf(sb, "## %s\n\n", _("Findings and what was done"));
    if (r->n_findings == 0) {
        strbuf_printf(sb, "%s\n", _("No findings recorded yet."));
        return;
    }
    for (size_t i = 0; i < r->n_findings; i++) {
        const youth_finding_t *f = &r->findings[i];
        strbuf_puts(sb, "- **");
        if (sm_text_blank(f->theme_id))
            strbuf_puts(sb, _("General"));
        else
            s_put_theme(sb, themes, n_themes, f->theme_id);
        strbuf_puts(sb, ":** ");
        markdown_put_text(sb, f->finding);
        strbuf_printf(sb, "\n  - **%s** ", _("What was done:"));
        if (sm_text_blank(f->done))
            strbuf_puts(sb, _("nothing yet"));
        else
            markdown_put_text(sb, f->done);
        strbuf_puts(sb, "\n");
    }
}

char *youth_render_markdown(const youth_report_t *r, const reach_tally_t *tally,
                            const youth_reach_t *who, const youth_theme_t *themes,
                            size_t n_themes, sm_date_t today)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    char title[96];
    strbuf_printf(sb, "# %s\n\n**%s** ", s_report_title(r->year, title), _("Status:"));
    s_put_status_text(sb, r, today);
    strbuf_puts(sb, "\n\n");
    s_put_numbers(sb, r, tally, who, themes, n_themes);
    s_put_findings(sb, r, themes, n_themes);
    char *md = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return md;
}

char *youth_render_html(const youth_report_t *r, const reach_tally_t *tally,
                        const youth_reach_t *who, const youth_theme_t *themes, size_t n_themes,
                        sm_date_t today)
{
    char *md = youth_render_markdown(r, tally, who, themes, n_themes, today);
    if (!md)
        return NULL;
    char title[96];
    char *html = markdown_to_html_document(md, s_report_title(r->year, title));
    free(md);
    return html;
}

/* ==== The warning of report due ========================================== */

bool youth_due_warning(const youth_report_t *r, sm_date_t today)
{
    return r->status != YOUTH_SUBMITTED && r->year == today.y - 1 &&
           sm_date_cmp(today, (sm_date_t){today.y, 5, 1}) >= 0;
}

char *youth_due_warning_text(const youth_report_t *r, sm_date_t today, char *buf, size_t size)
{
    char due[SM_L10N_DATE_SIZE];
    sm_date_t due_on = youth_due_date(r->year);
    sm_l10n_date_long(due_on, due);
    int64_t left = sm_date_diff(today, due_on);
    if (left >= 0)
        snprintf(buf, size,
                 Q_("The youth report (CEO Jeugd) on %1$d has not been submitted yet; it is due "
                    "at %2$s on %3$s (%4$lld day left).",
                    "The youth report (CEO Jeugd) on %1$d has not been submitted yet; it is due "
                    "at %2$s on %3$s (%4$lld days left).",
                    (unsigned long)left),
                 r->year, s_ministry(), due, (long long)left);
    else
        snprintf(buf, size,
                 Q_("The youth report (CEO Jeugd) on %1$d has not been submitted yet; it was due "
                    "at %2$s on %3$s (%4$lld day late).",
                    "The youth report (CEO Jeugd) on %1$d has not been submitted yet; it was due "
                    "at %2$s on %3$s (%4$lld days late).",
                    (unsigned long)-left),
                 r->year, s_ministry(), due, (long long)-left);
    return buf;
}

/* ==== The letter to the councils ========================================== */

/*  "Blaricum, Eemnes and Huizen" into sb (literal Markdown). */
static void s_put_names(strbuf_t *sb, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            strbuf_puts(sb, i + 1 == n ? _(" and ") : ", ");
        markdown_put_text(sb, names[i]);
    }
}

char *youth_render_letter_markdown(const youth_report_t *r, const reach_tally_t *tally,
                                   const youth_reach_t *who, const youth_theme_t *themes,
                                   size_t n_themes, sm_date_t today)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    char title[96], day[SM_L10N_DATE_SIZE], due[SM_L10N_DATE_SIZE];
    /*  TRANSLATORS: the title of the letter to the municipal councils
        (raadsinformatiebrief) on the youth report. */
    strbuf_printf(sb, "# %s\n\n", _("Letter to the municipal councils"));
    strbuf_printf(sb, "**%s** %s\n\n", _("Subject:"), s_report_title(r->year, title));
    if (who && who->n_municipalities > 0) {
        strbuf_printf(sb, "**%s** ", _("To:"));
        strbuf_t *names = strbuf_new();
        if (names) {
            s_put_names(names, who->municipalities, who->n_municipalities);
            strbuf_printf(sb, _("the municipal councils of %s"), strbuf_data(names));
        }
        strbuf_destroy(&names);
        strbuf_puts(sb, "\n\n");
    }
    strbuf_printf(sb, "**%s** %s\n\n", _("Date:"), sm_l10n_date_long(today, day));
    strbuf_printf(sb, "%s\n\n", _("Dear council members,"));
    strbuf_printf(sb, "%s\n\n",
                  _("Every year municipalities must find out how young people and their parents "
                    "experience youth care (the client experience survey). Our region does not "
                    "do this with a questionnaire by post, which drew under 5% response, but in "
                    "conversation: in sessions with young people and parents on the themes of "
                    "the Youth Transformation Plan."));
    s_put_reach_sentence(sb, r->year, tally, who);
    strbuf_puts(sb, "\n\n");
    if (r->n_findings > 0) {
        strbuf_printf(sb, "%s\n\n", _("The main findings:"));
        for (size_t i = 0; i < r->n_findings && i < 5; i++) {
            const youth_finding_t *f = &r->findings[i];
            strbuf_puts(sb, "- ");
            markdown_put_text(sb, f->finding);
            const char *t = s_title(themes, n_themes, f->theme_id);
            if (!sm_text_blank(t)) {
                strbuf_puts(sb, " (");
                markdown_put_text(sb, t);
                strbuf_puts(sb, ")");
            }
            strbuf_puts(sb, "\n");
        }
        strbuf_puts(sb, "\n");
    }
    strbuf_printf(sb, "%s ", _("The report, with what was done with each finding, and an "
                               "infographic are attached to this letter."));
    sm_l10n_date_long(youth_due_date(r->year), due);
    if (r->status == YOUTH_SUBMITTED)
        strbuf_printf(sb, _("The report was submitted to %1$s on %2$s."), s_ministry(),
                      sm_l10n_date_long(r->submitted_on, day));
    else
        strbuf_printf(sb, _("The report will be submitted to %1$s by %2$s."), s_ministry(), due);
    strbuf_printf(sb, "\n\n%s\n\n%s\n", _("Yours sincerely,"),
                  _("the boards of mayor and aldermen"));
    char *md = strbuf_detach(sb);
    strbuf_destroy(&sb);
    return md;
}

char *youth_render_letter_html(const youth_report_t *r, const reach_tally_t *tally,
                               const youth_reach_t *who, const youth_theme_t *themes,
                               size_t n_themes, sm_date_t today)
{
    char *md = youth_render_letter_markdown(r, tally, who, themes, n_themes, today);
    if (!md)
        return NULL;
    char *html = markdown_to_html_document(md, _("Letter to the municipal councils"));
    free(md);
    return html;
}

/* ==== The infographic ===================================================== */

/*  Append text as SVG character data (& < > escaped; quotes too, harmless). */
static void s_svg_text(strbuf_t *sb, const char *text)
{
    sm_html_escape(sb, text);
}

/*  Append one line of text at (x, y) with a size and weight. */
static void s_svg_line(strbuf_t *sb, int x, int y, int size, bool bold, const char *anchor,
                       const char *text)
{
    strbuf_printf(sb, "<text x=\"%d\" y=\"%d\" font-size=\"%d\"%s text-anchor=\"%s\">", x, y,
                  size, bold ? " font-weight=\"bold\"" : "", anchor);
    s_svg_text(sb, text);
    strbuf_puts(sb, "</text>\n");
}

/*  Append text wrapped at about width characters per line from (x, y),
    each line step pixels below the last, at most max_lines (the last one
    ends in "..." when text is longer). Returns the y after the last line. */
static int s_svg_wrapped(strbuf_t *sb, int x, int y, int size, int step, size_t width,
                         int max_lines, const char *text)
{
    const char *p = text ? text : "";
    for (int line = 0; *p && line < max_lines; line++) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        //  Take words while they fit (counting code points, not bytes).
        const char *end = p, *cut = NULL;
        size_t chars = 0;
        while (*end) {
            if ((*end == ' ' || *end == '\n') && chars <= width)
                cut = end;
            if (((unsigned char)*end & 0xC0) != 0x80)
                chars++;
            if (chars > width)
                break;
            end++;
        }
        const char *stop = !*end ? end : cut ? cut : end;
        char buf[512];
        size_t len = (size_t)(stop - p) < sizeof buf - 4 ? (size_t)(stop - p) : sizeof buf - 4;
        memcpy(buf, p, len);
        buf[len] = '\0';
        for (char *q = buf; *q; q++)
            if (*q == '\n' || *q == '\t')
                *q = ' ';
        if (line == max_lines - 1 && *stop)
            memcpy(buf + len, "...", 4);
        s_svg_line(sb, x, y, size, false, "start", buf);
        y += step;
        p = stop;
    }
    return y;
}

char *youth_render_infographic(const youth_report_t *r, const reach_tally_t *tally,
                               const youth_reach_t *who, const youth_theme_t *themes,
                               size_t n_themes, sm_date_t today)
{
    strbuf_t *sb = strbuf_new();
    if (!sb)
        return NULL;
    char title[96], num[SM_L10N_NUMBER_SIZE];
    s_report_title(r->year, title);
    /*  A4 portrait at 96 pixels per inch; printed at its real size. */
    strbuf_printf(sb,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" "
                  "viewBox=\"0 0 794 1123\" xml:lang=\"%s\" role=\"img\" "
                  "font-family=\"Arial, Helvetica, sans-serif\" fill=\"#000000\">\n",
                  sm_i18n_lang());
    strbuf_puts(sb, "<title>");
    s_svg_text(sb, title);
    strbuf_puts(sb, "</title>\n<desc>");
    strbuf_t *desc = strbuf_new();
    if (desc)
        s_put_reach_sentence(desc, r->year, tally, who);
    s_svg_text(sb, desc ? strbuf_data(desc) : "");
    strbuf_puts(sb, "</desc>\n");
    strbuf_puts(sb, "<rect x=\"0\" y=\"0\" width=\"794\" height=\"1123\" fill=\"#ffffff\"/>\n");
    strbuf_puts(sb, "<rect x=\"40\" y=\"40\" width=\"714\" height=\"110\" fill=\"#1f4e79\"/>\n");
    strbuf_puts(sb, "<g fill=\"#ffffff\">\n");
    s_svg_line(sb, 60, 95, 30, true, "start", title);
    s_svg_line(sb, 60, 130, 16, false, "start",
               _("What young people and parents told the region"));
    strbuf_puts(sb, "</g>\n");

    //  Four figures in boxes: sessions, participants, young people, parents.
    size_t figures[4] = {tally ? tally->sessions : 0, tally ? tally->participants : 0,
                         who ? who->young : 0, who ? who->parents : 0};
    const char *labels[4] = {_("sessions"), _("participants"), _("young people"),
                             _("parents")};
    for (int i = 0; i < 4; i++) {
        int x = 40 + i * 181;
        strbuf_printf(sb,
                      "<rect x=\"%d\" y=\"180\" width=\"170\" height=\"130\" fill=\"#dde8f3\" "
                      "stroke=\"#1f4e79\" stroke-width=\"2\"/>\n",
                      x);
        s_svg_line(sb, x + 85, 255, 48, true, "middle", sm_l10n_int((int64_t)figures[i], num));
        s_svg_line(sb, x + 85, 290, 18, false, "middle", labels[i]);
    }

    //  How: methods and themes.
    int y = 360;
    s_svg_line(sb, 40, y, 20, true, "start", _("How we listened"));
    y += 30;
    strbuf_t *line = strbuf_new();
    if (line && tally && tally->sessions > 0) {
        overview_put_methods(line, tally->methods, tally->n_methods, false);
        y = s_svg_wrapped(sb, 40, y, 16, 22, 80, 3, strbuf_data(line));
        for (size_t i = 0; i < tally->n_themes && i < 6; i++) {
            strbuf_truncate(line, 0);
            const char *t = s_title(themes, n_themes, tally->themes[i].theme_id);
            strbuf_puts(line, "- ");
            strbuf_puts(line, sm_text_blank(t) ? tally->themes[i].theme_id : t);
            strbuf_puts(line, ": ");
            strbuf_printf(line,
                          Q_("%1$zu session, %2$zu participants",
                             "%1$zu sessions, %2$zu participants", tally->themes[i].sessions),
                          tally->themes[i].sessions, tally->themes[i].participants);
            y = s_svg_wrapped(sb, 40, y, 16, 22, 80, 1, strbuf_data(line));
        }
    } else
        y = s_svg_wrapped(sb, 40, y, 16, 22, 80, 2,
                          _("No sessions with young people and parents were held this year."));

    //  The main findings.
    y += 25;
    s_svg_line(sb, 40, y, 20, true, "start", _("Main findings"));
    y += 30;
    if (r->n_findings == 0)
        y = s_svg_wrapped(sb, 40, y, 16, 22, 80, 1, _("No findings recorded yet."));
    for (size_t i = 0; i < r->n_findings && i < 6 && y < 1020; i++) {
        strbuf_printf(sb, "<circle cx=\"48\" cy=\"%d\" r=\"5\" fill=\"#1f4e79\"/>\n", y - 5);
        y = s_svg_wrapped(sb, 62, y, 16, 22, 78, 3, r->findings[i].finding);
        y += 8;
    }
    //  Where the report stands, as its status line says it.
    if (line) {
        strbuf_truncate(line, 0);
        s_put_status_text(line, r, today);
        char status[600];
        sm_l10n_capitalise(strbuf_data(line), status, sizeof status);
        s_svg_wrapped(sb, 40, 1065, 13, 18, 100, 3, status);
    }
    strbuf_puts(sb, "</svg>\n");
    char *svg = !line || !desc || strbuf_failed(line) || strbuf_failed(desc) ? NULL
                                                                              : strbuf_detach(sb);
    strbuf_destroy(&line);
    strbuf_destroy(&desc);
    strbuf_destroy(&sb);
    return svg;
}
