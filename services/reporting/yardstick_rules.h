/*  services/reporting/yardstick_rules.h - the yardstick (meetlat): a
    checklist of principles, how each was met, and how it reads.

    Almere's evaluation judges residents' participation against a quality
    manifesto, with a yardstick applied at every decision. samen keeps the
    checklist in samen.cfg: reporting/yardstick/count principles (1..10),
    reporting/yardstick/N/nl and /en their texts in Dutch and English (one
    given alone serves both; neither given: the default text of that
    slot). The default is the advisory council's six principles (DOMAIN.md
    §7, §10):

        1  De mens staat centraal
        2  We geven en vragen vertrouwen
        3  De invloed van de praktijk en het beleid zijn gelijkwaardig
        4  We baseren ons op feiten en onderzoek
        5  We werken resultaatgericht
        6  We leren en verbeteren

    For a theme or a decision, each principle is answered yes, partly or no
    (ja, deels, nee), with a note. An answer belongs to a principle's
    number, so a deployment that changes its checklist rewords principles
    or adds them at the end (answers to a number no longer on the list are
    kept and not shown).

    Plain functions over plain structs: the checklist as read, the answers
    as stored, the text blocks the documents carry (in the reader's
    language, common/i18n.h: the principle's own text in that language,
    the words through the catalogue).

    The passage for a decision document carries, after its follow-up, a
    block like this (in Dutch; `report passage`):

        **Meetlat:**

        - De mens staat centraal: **ja**. Inwoners kozen zelf de vragen.
        - We geven en vragen vertrouwen: **deels**.
        - We baseren ons op feiten en onderzoek: **niet ingevuld**.

    The yearly overview carries a section with one row per theme:

        ## Meetlat

        | Project | 1 | 2 | 3 | 4 | 5 | 6 |
        |---|---|---|---|---|---|---|
        | Wmo-taxi (T3) | ja | deels | nee | ja | ja | – |

        1. De mens staat centraal
        ...
        – niet ingevuld
*/
#ifndef SAMEN_REPORTING_YARDSTICK_RULES_H
#define SAMEN_REPORTING_YARDSTICK_RULES_H

#include "common/err.h"
#include "common/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

/*  Most principles a checklist holds (the settings' slots). */
#define YARDSTICK_MAX 10
/*  Longest principle text, in characters. */
#define YARDSTICK_TEXT_MAX 200
/*  Longest note on one principle, in characters. */
#define YARDSTICK_NOTE_MAX 2000

typedef enum {
    YARDSTICK_UNANSWERED = 0,
    YARDSTICK_YES,
    YARDSTICK_PARTLY,
    YARDSTICK_NO
} yardstick_score_t;

/*  One principle: its text in Dutch and in English (borrowed). */
typedef struct {
    const char *nl;
    const char *en;
} yardstick_principle_t;

/*  The checklist: principles 1..n. */
typedef struct {
    yardstick_principle_t p[YARDSTICK_MAX];
    size_t n;
} yardstick_list_t;

/*  How a theme or decision met each principle (index = principle - 1);
    notes borrowed, NULL for none. */
typedef struct {
    yardstick_score_t score[YARDSTICK_MAX];
    const char *note[YARDSTICK_MAX];
} yardstick_answers_t;

/*  What a document shows of one subject's yardstick. */
typedef struct {
    const yardstick_list_t *list; /*  NULL: nothing to show */
    yardstick_answers_t answers;
    bool recorded; /*  something was recorded for the subject */
    void *store;   /*  what the notes point into (yardstick.h: yardstick_view_free) */
} yardstick_view_t;

/*  "yes", "partly", "no" (the wire and the store), or NULL when unanswered. */
const char *yardstick_score_code(yardstick_score_t score);

/*  The score a code names ("yes", "partly", "no"), YARDSTICK_UNANSWERED for
    anything else. Can't fail. */
yardstick_score_t yardstick_score_from_code(const char *code);

/*  Make the checklist of count principles (1..YARDSTICK_MAX) from the
    texts of slots 1..YARDSTICK_MAX (each may be NULL or blank): each of
    the first count needs a text in either language (the other language
    falls back to it), and the slots beyond count must be empty. Texts are
    borrowed. Returns 0, or -1 with err (invalid_argument, field the
    setting, "reporting/yardstick/N/nl" or "reporting/yardstick/count"): a
    principle without text, a text beyond count, a count out of range, a
    text over YARDSTICK_TEXT_MAX characters, not UTF-8 or with a control
    character. */
int yardstick_list_make(const char *const nl[YARDSTICK_MAX], const char *const en[YARDSTICK_MAX],
                        int count, yardstick_list_t *out, sm_err_t *err);

/*  The principle's text in lang ("nl" or "en"; anything else is English).
    Can't fail. */
const char *yardstick_principle_text(const yardstick_principle_t *p, const char *lang);

/*  The number of the first n principles answered. Can't fail. */
size_t yardstick_answered(const yardstick_answers_t *a, size_t n);

/*  Append the passage's block for v (above), in the reader's language;
    nothing when v->list is NULL. Can't fail visibly (sb marks a failure). */
void yardstick_put_passage(strbuf_t *sb, const yardstick_view_t *v);

/*  One row of the yearly overview's section: the project's label (plain
    text, "Wmo-taxi (T3)") and its view. */
typedef struct {
    const char *label;
    const yardstick_view_t *view;
} yardstick_row_t;

/*  Append the yearly overview's section for rows (Markdown, or HTML when
    html), when at least one row has something recorded; else nothing.
    Can't fail visibly. */
void yardstick_put_overview(strbuf_t *sb, const yardstick_row_t *rows, size_t n, bool html);

#endif
