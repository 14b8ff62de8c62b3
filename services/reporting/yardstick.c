/*  services/reporting/yardstick.c - the yardstick recorded per theme or
    decision. See yardstick.h. */
#include "yardstick.h"
#include "common/i18n.h"
#include "common/record.h"
#include "common/text.h"
#include "common/vocab.h"
#include "decision.h"
#include "mirror.h"
#include "settings.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB "yardsticks"
#define DB_THEMES "themes" //  reporting's copy of scheduling's themes (mirror.h)

/* ==== The stored record ================================================== */

/*  The key of subject (letter, number). */
static void s_key(char letter, uint64_t number, uint8_t k[16])
{
    sm_key_pair((uint64_t)(unsigned char)letter, number, k);
}

/*  The stored record of subject: 1 with *doc (caller destroys), 0 none, -1. */
static int s_get(sm_ctx_t *ctx, char letter, uint64_t number, sm_doc_t **doc)
{
    uint8_t k[16];
    s_key(letter, number, k);
    return sm_rec_get_key(ctx, DB, k, 16, doc);
}

/*  The answers of a stored record: scores, and the notes as the record
    holds them (strings without a NUL). */
typedef struct {
    yardstick_score_t score[YARDSTICK_MAX];
    const msgpack_object *note[YARDSTICK_MAX];
} s_raw_t;

/*  Read the answers of a stored record r. Can't fail: what is not an
    answer is skipped. */
static void s_read(const msgpack_object *r, s_raw_t *a)
{
    memset(a, 0, sizeof *a);
    const msgpack_object *list = sm_map_get(r, "answers");
    for (uint32_t i = 0; list && list->type == MSGPACK_OBJECT_ARRAY && i < list->via.array.size;
         i++) {
        const msgpack_object *e = &list->via.array.ptr[i];
        int64_t n = sm_rec_int(e, "principle", 0);
        if (n < 1 || n > YARDSTICK_MAX)
            continue;
        char code[16];
        a->score[n - 1] = yardstick_score_from_code(sm_rec_str(e, "score", code, sizeof code));
        const msgpack_object *note = sm_map_get(e, "note");
        a->note[n - 1] = note && note->type == MSGPACK_OBJECT_STR ? note : NULL;
    }
}

int yardstick_view_load(sm_ctx_t *ctx, char letter, uint64_t number, yardstick_view_t *view)
{
    memset(view, 0, sizeof *view);
    view->list = &reporting_settings(ctx)->yardstick;
    sm_doc_t *doc = NULL;
    int rc = s_get(ctx, letter, number, &doc);
    if (rc <= 0)
        return rc;
    s_raw_t raw;
    s_read(sm_doc_root(doc), &raw);
    //  The notes, NUL-terminated, in one block kept with the view.
    size_t size = 1;
    for (int i = 0; i < YARDSTICK_MAX; i++)
        if (raw.note[i])
            size += raw.note[i]->via.str.size + 1;
    char *block = malloc(size), *p = block;
    if (!block) {
        sm_doc_destroy(&doc);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    for (int i = 0; i < YARDSTICK_MAX; i++) {
        view->answers.score[i] = raw.score[i];
        if (!raw.note[i])
            continue;
        memcpy(p, raw.note[i]->via.str.ptr, raw.note[i]->via.str.size);
        p[raw.note[i]->via.str.size] = '\0';
        view->answers.note[i] = p;
        p += raw.note[i]->via.str.size + 1;
    }
    view->store = block;
    view->recorded = true;
    sm_doc_destroy(&doc);
    return 0;
}

void yardstick_view_free(yardstick_view_t *view)
{
    free(view->store);
    view->store = NULL;
    memset(&view->answers, 0, sizeof view->answers);
}

void yardstick_pack_state(msgpack_packer *pk, const yardstick_view_t *v)
{
    size_t of = v->list ? v->list->n : 0, answered = yardstick_answered(&v->answers, of);
    sm_pack_kv_uint(pk, "answered", answered);
    sm_pack_kv_uint(pk, "of", of);
    sm_pack_kv_bool(pk, "complete", of > 0 && answered == of);
}

/* ==== The subject ========================================================= */

/*  A subject as a request names it: a theme (T4) or a decision (D2). */
typedef struct {
    char letter;
    uint64_t number;
    uint64_t theme;
    char title[DECISION_TITLE_MAX * 4 + 1];
} s_subject_t;

/*  Read the "subject" argument and check that it exists. Returns 0 or -1. */
static int s_subject(sm_ctx_t *ctx, s_subject_t *s)
{
    const char *text = sm_arg_str(ctx, "subject");
    memset(s, 0, sizeof *s);
    s->letter = text && (text[0] == 'd' || text[0] == 'D') ? 'D' : 'T';
    s->number = text ? sm_id_parse(text, s->letter, "subject", NULL) : 0;
    if (!s->number)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "subject",
                           _("subject must be a theme (T4) or a decision (D2)"));
    if (s->letter == 'T') {
        mirror_theme_t t;
        if (mirror_theme_require(ctx, s->number, "subject", &t) != 0)
            return -1;
        s->theme = s->number;
        snprintf(s->title, sizeof s->title, "%s", t.title);
        return 0;
    }
    decision_t d;
    if (decision_require(ctx, s->number, "subject", &d) != 0)
        return -1;
    s->theme = d.theme;
    snprintf(s->title, sizeof s->title, "%s", d.title);
    return 0;
}

/*  Pack the yardstick of s as yardstick.show replies it. Returns 0 or -1. */
static int s_pack_show(sm_ctx_t *ctx, msgpack_packer *pk, const s_subject_t *s)
{
    yardstick_view_t v;
    if (yardstick_view_load(ctx, s->letter, s->number, &v) != 0) {
        yardstick_view_free(&v);
        return -1;
    }
    const char *lang = sm_i18n_lang();
    msgpack_pack_map(pk, 5 + YARDSTICK_STATE_NPAIRS);
    sm_rec_pack_id(pk, "subject", s->letter, s->number);
    sm_rec_pack_id(pk, "theme", 'T', s->theme);
    sm_pack_kv_str(pk, "title", s->title);
    sm_pack_kv_bool(pk, "recorded", v.recorded);
    yardstick_pack_state(pk, &v);
    sm_pack_str(pk, "principles");
    msgpack_pack_array(pk, v.list->n);
    for (size_t i = 0; i < v.list->n; i++) {
        yardstick_score_t sc = v.answers.score[i];
        const char *code = yardstick_score_code(sc);
        msgpack_pack_map(pk, 5);
        sm_pack_kv_uint(pk, "principle", i + 1);
        sm_pack_kv_str(pk, "text", yardstick_principle_text(&v.list->p[i], lang));
        sm_pack_kv_str(pk, "score", code);
        sm_pack_kv_str(pk, "score_text",
                       code ? sm_vocab_show(&SM_VOCAB_YARDSTICK_SCORE, code) : _("not filled in"));
        sm_pack_kv_str(pk, "note", v.answers.note[i]);
    }
    yardstick_view_free(&v);
    return 0;
}

/* ==== Ops ================================================================= */

/*  Refuse a principle number beyond the checklist. Returns -1. */
static int s_beyond(sm_ctx_t *ctx, const char *field, int64_t n, size_t of)
{
    return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, field,
                       _("principle %lld is not on the yardstick, which has %zu; yardstick "
                         "checklist lists them"),
                       (long long)n, of);
}

int op_yardstick_record(sm_ctx_t *ctx, const msgpack_object *args)
{
    const yardstick_list_t *list = &reporting_settings(ctx)->yardstick;
    s_subject_t s;
    if (s_subject(ctx, &s) != 0)
        return -1;
    bool has_p = sm_arg_has(ctx, "principle"), has_score = sm_arg_has(ctx, "score"),
         has_note = sm_arg_has(ctx, "note"), has_all = sm_arg_has(ctx, "scores");
    int64_t principle = sm_arg_int(ctx, "principle", 0);
    if (has_all && (has_p || has_score || has_note))
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "scores",
                           _("give either scores for every principle, or one principle with its "
                             "score and note; a note belongs to one principle"));
    if (!has_all && !has_p)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "principle",
                           _("say which principle (1 to %zu) with its score and note, or give "
                             "scores for all %zu"),
                           list->n, list->n);
    if (has_p && !has_score && !has_note)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "score",
                           _("give principle %lld a score (yes, partly or no), a note, or both"),
                           (long long)principle);
    if (has_p && (size_t)principle > list->n)
        return s_beyond(ctx, "principle", principle, list->n);
    const char *const *scores = NULL;
    size_t n_scores = sm_arg_list(ctx, "scores", &scores);
    if (has_all && n_scores != list->n)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "scores",
                           _("%zu scores given; give one per principle, %zu in all, in their "
                             "order (yardstick checklist lists them)"),
                           n_scores, list->n);

    //  What was recorded, then the changes. Notes are copies from here on.
    yardstick_view_t v;
    if (yardstick_view_load(ctx, s.letter, s.number, &v) != 0) {
        yardstick_view_free(&v);
        return -1;
    }
    yardstick_score_t score[YARDSTICK_MAX];
    const char *note[YARDSTICK_MAX];
    for (int i = 0; i < YARDSTICK_MAX; i++) {
        score[i] = v.answers.score[i];
        note[i] = v.answers.note[i];
    }
    for (size_t i = 0; has_all && i < n_scores; i++)
        score[i] = yardstick_score_from_code(scores[i]);
    if (has_p && has_score)
        score[principle - 1] = yardstick_score_from_code(sm_arg_str(ctx, "score"));
    if (has_p && has_note) {
        const char *text = sm_arg_str(ctx, "note");
        note[principle - 1] = sm_text_blank(text) ? NULL : text;
    }
    sm_buf_t b;
    sm_buf_init(&b);
    size_t stored = 0;
    for (int i = 0; i < YARDSTICK_MAX; i++)
        stored += score[i] != YARDSTICK_UNANSWERED || note[i];
    msgpack_pack_map(&b.pk, 4);
    sm_rec_pack_id(&b.pk, "subject", s.letter, s.number);
    sm_rec_pack_id(&b.pk, "theme", 'T', s.theme);
    sm_pack_str(&b.pk, "answers");
    msgpack_pack_array(&b.pk, stored);
    for (int i = 0; i < YARDSTICK_MAX; i++) {
        if (score[i] == YARDSTICK_UNANSWERED && !note[i])
            continue;
        msgpack_pack_map(&b.pk, 3);
        sm_pack_kv_int(&b.pk, "principle", i + 1);
        sm_pack_kv_str(&b.pk, "score", yardstick_score_code(score[i]));
        sm_pack_kv_str(&b.pk, "note", note[i]);
    }
    sm_pack_kv_int(&b.pk, "updated_ms", sm_ctx_now_ms(ctx));
    uint8_t k[16];
    s_key(s.letter, s.number, k);
    int rc = sm_rec_put_key(ctx, DB, k, 16, &b);
    sm_buf_free(&b);
    yardstick_view_free(&v);
    if (rc != 0)
        return -1;
    yardstick_answers_t now;
    memset(&now, 0, sizeof now);
    memcpy(now.score, score, sizeof score);
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "reporting.yardstick.recorded");
    msgpack_pack_map(pk, 4);
    sm_rec_pack_id(pk, "subject", s.letter, s.number);
    sm_rec_pack_id(pk, "theme", 'T', s.theme);
    sm_pack_kv_uint(pk, "answered", yardstick_answered(&now, list->n));
    sm_pack_kv_uint(pk, "of", list->n);
    if (sm_ctx_event_end(ctx) != 0)
        return -1;
    //  The reply holds the notes: a write reply is kept for retries, and a
    //  note is the programme's own text about its way of working, not a
    //  resident's (they are never in events).
    return s_pack_show(ctx, sm_ctx_reply(ctx), &s);
}

int op_yardstick_show(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_subject_t s;
    return s_subject(ctx, &s) != 0 ? -1 : s_pack_show(ctx, sm_ctx_reply(ctx), &s);
}

int op_yardstick_checklist(sm_ctx_t *ctx, const msgpack_object *args)
{
    const yardstick_list_t *list = &reporting_settings(ctx)->yardstick;
    const char *lang = sm_i18n_lang();
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_kv_uint(pk, "of", list->n);
    sm_pack_str(pk, "principles");
    msgpack_pack_array(pk, list->n);
    for (size_t i = 0; i < list->n; i++) {
        msgpack_pack_map(pk, 4);
        sm_pack_kv_uint(pk, "principle", i + 1);
        sm_pack_kv_str(pk, "text", yardstick_principle_text(&list->p[i], lang));
        sm_pack_kv_str(pk, "nl", list->p[i].nl);
        sm_pack_kv_str(pk, "en", list->p[i].en);
    }
    return 0;
}

/* ==== What was not filled in ============================================= */

typedef struct {
    int year;
    size_t of;
    sm_buf_t themes, decisions;
    size_t n_themes, n_decisions;
} s_missing_t;

/*  True when a theme's stored record (reporting's copy) is on year's
    agenda (any year when 0) and neither proposed nor dropped. */
static bool s_theme_counts(const msgpack_object *r, int year)
{
    char status[24];
    sm_rec_str(r, "status", status, sizeof status);
    if (strcmp(status, "proposed") == 0 || strcmp(status, "dropped") == 0)
        return false;
    if (year == 0)
        return true;
    const msgpack_object *ys = sm_map_get(r, "years");
    for (uint32_t i = 0; ys && ys->type == MSGPACK_OBJECT_ARRAY && i < ys->via.array.size; i++)
        if (ys->via.array.ptr[i].type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
            ys->via.array.ptr[i].via.u64 == (uint64_t)year)
            return true;
    return false;
}

/*  sm_rec_scan visitor over the themes: a theme whose yardstick is not
    complete. */
static int s_missing_theme(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_missing_t *m = arg;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_THEMES, id, &doc);
    if (rc <= 0)
        return rc;
    yardstick_view_t v;
    rc = 0;
    if (s_theme_counts(sm_doc_root(doc), m->year)) {
        if ((rc = yardstick_view_load(ctx, 'T', id, &v)) == 0 &&
            yardstick_answered(&v.answers, m->of) < m->of) {
            char title[MIRROR_TITLE_SIZE];
            msgpack_pack_map(&m->themes.pk, 2 + YARDSTICK_STATE_NPAIRS);
            sm_rec_pack_id(&m->themes.pk, "id", 'T', id);
            sm_pack_kv_str(&m->themes.pk, "title",
                           sm_rec_str(sm_doc_root(doc), "title", title, sizeof title));
            yardstick_pack_state(&m->themes.pk, &v);
            m->n_themes++;
        }
        yardstick_view_free(&v);
    }
    sm_doc_destroy(&doc);
    return rc;
}

/*  decision_each visitor: a decision of the year whose yardstick is not
    complete. */
static int s_missing_decision(sm_ctx_t *ctx, const decision_t *d, void *arg)
{
    s_missing_t *m = arg;
    if (m->year && d->date.y != m->year)
        return 0;
    yardstick_view_t v;
    int rc = yardstick_view_load(ctx, 'D', d->id, &v);
    if (rc == 0 && yardstick_answered(&v.answers, m->of) < m->of) {
        msgpack_packer *pk = &m->decisions.pk;
        msgpack_pack_map(pk, 4 + YARDSTICK_STATE_NPAIRS);
        sm_rec_pack_id(pk, "id", 'D', d->id);
        sm_rec_pack_id(pk, "theme", 'T', d->theme);
        sm_pack_kv_str(pk, "title", d->title);
        sm_rec_pack_date(pk, "date", true, d->date);
        yardstick_pack_state(pk, &v);
        m->n_decisions++;
    }
    yardstick_view_free(&v);
    return rc;
}

int op_yardstick_missing(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_missing_t m = {.year = (int)sm_arg_int(ctx, "year", 0),
                     .of = reporting_settings(ctx)->yardstick.n};
    sm_buf_init(&m.themes);
    sm_buf_init(&m.decisions);
    int rc = sm_rec_scan(ctx, DB_THEMES, 0, s_missing_theme, &m) != 0 ||
                     decision_each(ctx, s_missing_decision, &m) != 0
                 ? -1
                 : 0;
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 4);
        if (m.year)
            sm_pack_kv_int(pk, "year", m.year);
        else
            sm_pack_kv_nil(pk, "year");
        sm_pack_kv_uint(pk, "of", m.of);
        sm_pack_str(pk, "themes");
        msgpack_pack_array(pk, m.n_themes);
        if (m.themes.sbuf.size)
            sm_pack_raw(pk, m.themes.sbuf.data, m.themes.sbuf.size);
        sm_pack_str(pk, "decisions");
        msgpack_pack_array(pk, m.n_decisions);
        if (m.decisions.sbuf.size)
            sm_pack_raw(pk, m.decisions.sbuf.data, m.decisions.sbuf.size);
    }
    sm_buf_free(&m.themes);
    sm_buf_free(&m.decisions);
    return rc;
}
