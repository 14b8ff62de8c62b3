/*  services/reporting/yardstick_rules.c - the yardstick's rules and text
    blocks. See yardstick_rules.h. */
#include "yardstick_rules.h"
#include "common/html.h"
#include "common/i18n.h"
#include "common/text.h"
#include "common/vocab.h"
#include "markdown.h"
#include <stdio.h>
#include <string.h>

static const char *const s_codes[] = {NULL, "yes", "partly", "no"};

const char *yardstick_score_code(yardstick_score_t score)
{
    return score >= YARDSTICK_YES && score <= YARDSTICK_NO ? s_codes[score] : NULL;
}

yardstick_score_t yardstick_score_from_code(const char *code)
{
    for (int i = YARDSTICK_YES; code && i <= YARDSTICK_NO; i++)
        if (strcmp(code, s_codes[i]) == 0)
            return (yardstick_score_t)i;
    return YARDSTICK_UNANSWERED;
}

/*  A score as the reader reads it: "ja", "deels", "nee", or "niet
    ingevuld". Can't fail. */
static const char *s_score_word(yardstick_score_t score)
{
    if (score == YARDSTICK_UNANSWERED)
        /*  TRANSLATORS: a principle of the yardstick (meetlat) nobody
            answered for this theme or decision yet. */
        return _("not filled in");
    return sm_vocab_show(&SM_VOCAB_YARDSTICK_SCORE, s_codes[score]);
}

/*  Check one principle text of a setting. Returns 0, or -1 with err. */
static int s_check_text(const char *text, int n, const char *lang, sm_err_t *err)
{
    char field[48];
    snprintf(field, sizeof field, "reporting/yardstick/%d/%s", n, lang);
    size_t len = strlen(text), pos = 0;
    if (!sm_utf8_valid(text, len))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("setting %s is not valid UTF-8; write the principle in UTF-8"), field);
    if (sm_utf8_len(text, len) > YARDSTICK_TEXT_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("setting %s is longer than %d characters; write the principle "
                            "shorter"),
                          field, YARDSTICK_TEXT_MAX);
    while (pos < len)
        if (sm_is_control(sm_utf8_next(text, len, &pos)))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("setting %s holds a control character; write the principle on "
                                "one line"),
                              field);
    return 0;
}

int yardstick_list_make(const char *const nl[YARDSTICK_MAX], const char *const en[YARDSTICK_MAX],
                        int count, yardstick_list_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (count < 1 || count > YARDSTICK_MAX)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reporting/yardstick/count",
                          _("the yardstick has %1$d principles; give 1 to %2$d"), count,
                          YARDSTICK_MAX);
    for (int i = 0; i < YARDSTICK_MAX; i++) {
        const char *a = nl[i] && !sm_text_blank(nl[i]) ? nl[i] : NULL;
        const char *b = en[i] && !sm_text_blank(en[i]) ? en[i] : NULL;
        char field[48];
        snprintf(field, sizeof field, "reporting/yardstick/%d/%s", i + 1, a || !b ? "nl" : "en");
        if (i >= count && (a || b))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("principle %1$d of the yardstick has a text, but the yardstick "
                                "has %2$d principles; raise reporting/yardstick/count or leave "
                                "it out"),
                              i + 1, count);
        if (i >= count)
            continue;
        if (!a && !b)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                              _("principle %1$d of the yardstick's %2$d has no text; give it in "
                                "Dutch, English or both"),
                              i + 1, count);
        if ((a && s_check_text(a, i + 1, "nl", err)) || (b && s_check_text(b, i + 1, "en", err)))
            return -1;
        out->p[i].nl = a ? a : b;
        out->p[i].en = b ? b : a;
    }
    out->n = (size_t)count;
    return 0;
}

const char *yardstick_principle_text(const yardstick_principle_t *p, const char *lang)
{
    return lang && strcmp(lang, "nl") == 0 ? p->nl : p->en;
}

size_t yardstick_answered(const yardstick_answers_t *a, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && i < YARDSTICK_MAX; i++)
        k += a->score[i] != YARDSTICK_UNANSWERED;
    return k;
}

void yardstick_put_passage(strbuf_t *sb, const yardstick_view_t *v)
{
    if (!v->list)
        return;
    const char *lang = sm_i18n_lang();
    /*  TRANSLATORS: the heading of the yardstick's block in the passage of
        a decision document: the quality manifesto's checklist (meetlat). */
    strbuf_printf(sb, "\n**%s**\n\n", _("Yardstick:"));
    for (size_t i = 0; i < v->list->n; i++) {
        strbuf_puts(sb, "- ");
        markdown_put_text(sb, yardstick_principle_text(&v->list->p[i], lang));
        strbuf_printf(sb, ": **%s**", s_score_word(v->answers.score[i]));
        strbuf_puts(sb, ".");
        if (!sm_text_blank(v->answers.note[i])) {
            //  The note as a sentence of its own: it ends in a full stop.
            const char *note = v->answers.note[i];
            size_t n = strlen(note);
            while (n > 0 && strchr(" \t\r\n", note[n - 1]))
                n--;
            strbuf_puts(sb, " ");
            markdown_put_text(sb, note);
            if (n > 0 && !strchr(".!?", note[n - 1]))
                strbuf_puts(sb, ".");
        }
        strbuf_puts(sb, "\n");
    }
}

/*  The checklist shared by the rows (the first row's), or NULL. */
static const yardstick_list_t *s_list_of(const yardstick_row_t *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].view && rows[i].view->list)
            return rows[i].view->list;
    return NULL;
}

/*  A cell's word: the score in short, "–" when unanswered. */
static const char *s_cell_word(const yardstick_view_t *v, size_t i)
{
    yardstick_score_t s = v && v->list ? v->answers.score[i] : YARDSTICK_UNANSWERED;
    return s == YARDSTICK_UNANSWERED ? "–" : s_score_word(s);
}

void yardstick_put_overview(strbuf_t *sb, const yardstick_row_t *rows, size_t n, bool html)
{
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = rows[i].view && rows[i].view->recorded;
    const yardstick_list_t *list = s_list_of(rows, n);
    if (!any || !list)
        return;
    const char *lang = sm_i18n_lang();
    /*  TRANSLATORS: the yearly overview's section on the yardstick
        (meetlat) of the quality manifesto: how each theme met it. */
    const char *title = _("Yardstick");
    if (html) {
        strbuf_puts(sb, "<h2>");
        sm_html_escape(sb, title);
        strbuf_puts(sb, "</h2>\n<table>\n<thead>\n<tr><th>");
        sm_html_escape(sb, _("Project"));
        strbuf_puts(sb, "</th>");
        for (size_t p = 0; p < list->n; p++)
            strbuf_printf(sb, "<th>%zu</th>", p + 1);
        strbuf_puts(sb, "</tr>\n</thead>\n<tbody>\n");
        for (size_t r = 0; r < n; r++) {
            strbuf_puts(sb, "<tr><td>");
            sm_html_escape(sb, rows[r].label);
            strbuf_puts(sb, "</td>");
            for (size_t p = 0; p < list->n; p++) {
                strbuf_puts(sb, "<td>");
                sm_html_escape(sb, s_cell_word(rows[r].view, p));
                strbuf_puts(sb, "</td>");
            }
            strbuf_puts(sb, "</tr>\n");
        }
        strbuf_puts(sb, "</tbody>\n</table>\n<ol>\n");
        for (size_t p = 0; p < list->n; p++) {
            strbuf_puts(sb, "<li>");
            sm_html_escape(sb, yardstick_principle_text(&list->p[p], lang));
            strbuf_puts(sb, "</li>\n");
        }
        strbuf_puts(sb, "</ol>\n<p>– ");
        sm_html_escape(sb, _("not filled in"));
        strbuf_puts(sb, "</p>\n");
        return;
    }
    strbuf_printf(sb, "\n## %s\n\n| %s |", title, _("Project"));
    for (size_t p = 0; p < list->n; p++)
        strbuf_printf(sb, " %zu |", p + 1);
    strbuf_puts(sb, "\n|---|");
    for (size_t p = 0; p < list->n; p++)
        strbuf_puts(sb, "---|");
    strbuf_puts(sb, "\n");
    for (size_t r = 0; r < n; r++) {
        strbuf_puts(sb, "| ");
        markdown_put_cell(sb, rows[r].label);
        strbuf_puts(sb, " |");
        for (size_t p = 0; p < list->n; p++)
            strbuf_printf(sb, " %s |", s_cell_word(rows[r].view, p));
        strbuf_puts(sb, "\n");
    }
    strbuf_puts(sb, "\n");
    for (size_t p = 0; p < list->n; p++) {
        strbuf_printf(sb, "%zu. ", p + 1);
        markdown_put_text(sb, yardstick_principle_text(&list->p[p], lang));
        strbuf_puts(sb, "\n");
    }
    strbuf_printf(sb, "\n– %s\n", _("not filled in"));
}
