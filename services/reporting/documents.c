/*  services/reporting/documents.c - the yearly overview and the passage. See documents.h. */
#include "documents.h"
#include "common/i18n.h"
#include "common/record.h"
#include "common/vocab.h"
#include "dataset.h"
#include "decision.h"
#include "mirror.h"
#include "outcome_rules.h"
#include "overview.h"
#include "yardstick.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  What an overview borrows, and the texts made for it (freed together). */
typedef struct {
    overview_theme_t *themes;
    size_t n_themes;
    overview_group_t *groups; //  the passage's groups
    size_t n_groups;
    overview_outcome_t *outcomes; //  every theme's slice, one after the other
    size_t n_outcomes;
    char **texts; //  "what was done" and follow-up texts made here
    size_t n_texts, cap_texts;
} s_build_t;

/*  Free what a build made and empty it. Safe on an empty one. */
static void s_build_free(s_build_t *b)
{
    for (size_t i = 0; i < b->n_texts; i++)
        free(b->texts[i]);
    free(b->texts);
    for (size_t i = 0; b->themes && i < b->n_themes; i++)
        yardstick_view_free(&b->themes[i].yardstick);
    free(b->themes);
    free(b->outcomes);
    free(b->groups);
    memset(b, 0, sizeof *b);
}

/*  Keep text (may be NULL: out of memory) to free later. Returns text, or
    NULL when it or the bookkeeping failed (*oom set). */
static const char *s_keep(s_build_t *b, char *text, bool *oom)
{
    if (!text) {
        *oom = true;
        return NULL;
    }
    if (b->n_texts == b->cap_texts) {
        size_t cap = b->cap_texts ? b->cap_texts * 2 : 32;
        char **p = realloc(b->texts, cap * sizeof *p);
        if (!p) {
            free(text);
            *oom = true;
            return NULL;
        }
        b->texts = p;
        b->cap_texts = cap;
    }
    b->texts[b->n_texts++] = text;
    return text;
}

/*  True when a session held in year (any year when 0) is among the item's sessions. */
static bool s_outcome_in_year(const dataset_t *ds, const dataset_outcome_t *o, int year)
{
    if (year == 0)
        return true;
    for (size_t i = 0; i < o->n_sessions; i++) {
        long s = dataset_session_index(ds, o->sessions[i]);
        if (s >= 0 && ds->sessions[s].held && ds->sessions[s].held_on.y == year)
            return true;
    }
    return false;
}

/*  True when year is one of the theme's planned years. */
static bool s_planned_for(const dataset_theme_t *t, int year)
{
    for (size_t i = 0; i < t->n_years; i++)
        if (t->years[i] == year)
            return true;
    return false;
}

/*  The tally row of a theme ID, or NULL. */
static const reach_theme_row_t *s_row(const reach_tally_t *tally, const char *id)
{
    for (size_t i = 0; tally && i < tally->n_themes; i++)
        if (strcmp(tally->themes[i].theme_id, id) == 0)
            return &tally->themes[i];
    return NULL;
}

/*  Fill one theme's part: numbers from its tally row, its outcome items of
    year (0: all) and their follow-ups. Returns 0 or -1 (out of memory). */
static int s_theme_part(s_build_t *b, const dataset_t *ds, const reach_tally_t *tally,
                        const dataset_theme_t *t, int year, overview_theme_t *part)
{
    bool oom = false;
    const reach_theme_row_t *row = s_row(tally, t->id);
    *part =
        (overview_theme_t){.theme_id = t->id, .title = t->title, .central_question = t->question};
    if (row) {
        part->methods = &tally->theme_methods[row->first_method];
        part->n_methods = row->n_methods;
        part->sessions = row->sessions;
        part->participants = row->participants;
        part->first_held = row->first_held;
        part->last_held = row->last_held;
    }
    part->outcomes = &b->outcomes[b->n_outcomes];
    const char **follow_ups = calloc(ds->n_outcomes ? ds->n_outcomes : 1, sizeof *follow_ups);
    if (!follow_ups)
        return -1;
    size_t n_follow = 0;
    for (size_t i = 0; i < ds->n_outcomes; i++) {
        const dataset_outcome_t *o = &ds->outcomes[i];
        if (o->theme != t->number || !s_outcome_in_year(ds, o, year))
            continue;
        strbuf_t *sb = strbuf_new();
        if (sb)
            outcome_put_what_was_done(sb, &o->item);
        const char *done = s_keep(b, sb ? strbuf_detach(sb) : NULL, &oom);
        strbuf_destroy(&sb);
        b->outcomes[b->n_outcomes++] =
            (overview_outcome_t){o->item.brought_in, done, o->item.status, o->item.reason};
        follow_ups[n_follow++] = o->item.follow_up;
    }
    part->n_outcomes = (size_t)(&b->outcomes[b->n_outcomes] - part->outcomes);
    strbuf_t *sb = strbuf_new();
    if (sb)
        outcome_put_follow_ups(sb, follow_ups, n_follow);
    part->follow_up = s_keep(b, sb ? strbuf_detach(sb) : NULL, &oom);
    strbuf_destroy(&sb);
    free(follow_ups);
    return oom ? -1 : 0;
}

/* ==== The groups people came from ========================================= */

static int s_str_ptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int s_group_cmp(const void *a, const void *b)
{
    const overview_group_t *x = a, *y = b;
    if (x->participants != y->participants)
        return x->participants > y->participants ? -1 : 1;
    return strcmp(x->name, y->name);
}

/*  The target groups of the distinct participants who attended a held
    session of theme_id in year (0: any), as shown in the reader's language
    (common/vocab.h), largest first, into b->groups. Returns 0, or -1 when
    out of memory. */
static int s_theme_groups(s_build_t *b, const dataset_t *ds, const char *theme_id, int year)
{
    const char **who = calloc(ds->n_attendance ? ds->n_attendance : 1, sizeof *who);
    size_t n_who = 0;
    int rc = -1;
    if (!who)
        goto cleanup;
    for (size_t i = 0; i < ds->n_attendance; i++) {
        const reach_attendance_t *a = &ds->attendance[i];
        if (!a->attended || !a->session_id || a->session_id[0] != 'S')
            continue;
        long k = dataset_session_index(ds, strtoull(a->session_id + 1, NULL, 10));
        const reach_session_t *se = k >= 0 ? &ds->sessions[k] : NULL;
        if (se && se->held && se->theme_id && strcmp(se->theme_id, theme_id) == 0 &&
            (year == 0 || se->held_on.y == year))
            who[n_who++] = a->participant_id;
    }
    qsort(who, n_who, sizeof *who, s_str_ptr_cmp);
    //  Each distinct participant once; their groups counted by shown name.
    b->groups = calloc(64, sizeof *b->groups);
    if (!b->groups)
        goto cleanup;
    for (size_t i = 0; i < n_who; i++) {
        if (i > 0 && strcmp(who[i], who[i - 1]) == 0)
            continue;
        long k = who[i][0] == 'P' ? dataset_participant_index(ds, strtoull(who[i] + 1, NULL, 10))
                                  : -1;
        const reach_participant_t *p = k >= 0 ? &ds->participants[k] : NULL;
        for (size_t g = 0; p && g < p->n_target_groups; g++) {
            const char *name = sm_vocab_show(&SM_VOCAB_TARGET_GROUP, p->target_groups[g]);
            size_t j = 0;
            while (j < b->n_groups && strcmp(b->groups[j].name, name) != 0)
                j++;
            if (j == b->n_groups && b->n_groups < 64)
                b->groups[b->n_groups++] = (overview_group_t){name, 0};
            if (j < b->n_groups)
                b->groups[j].participants++;
        }
    }
    qsort(b->groups, b->n_groups, sizeof *b->groups, s_group_cmp);
    rc = 0;
cleanup:
    free(who);
    return rc;
}

/*  Refuse for lack of memory. Returns -1. */
static int s_oom(sm_ctx_t *ctx)
{
    return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL,
                       _("out of memory while making the document; try again later"));
}

int op_report_annual(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    int64_t year = sm_arg_int(ctx, "year", 0);
    const char *format = sm_arg_str(ctx, "format");
    if (!format)
        format = "md";
    dataset_t ds;
    if (dataset_load(ctx, &ds, DATASET_PEOPLE | DATASET_OUTCOMES) != 0)
        return -1;
    int rc = -1;
    char *text = NULL;
    s_build_t b = {0};
    reach_input_t in = dataset_reach_input(&ds);
    reach_filter_t filter = {.year = (int)year};
    reach_tally_t *tally = reach_tally(&in, &filter, e);
    if (!tally)
        goto cleanup;
    b.themes = calloc(ds.n_themes ? ds.n_themes : 1, sizeof *b.themes);
    b.outcomes = calloc(ds.n_outcomes ? ds.n_outcomes : 1, sizeof *b.outcomes);
    if (!b.themes || !b.outcomes) {
        s_oom(ctx);
        goto cleanup;
    }
    for (size_t i = 0; i < ds.n_themes; i++) {
        const dataset_theme_t *t = &ds.themes[i];
        bool with_outcome = false;
        for (size_t j = 0; j < ds.n_outcomes && !with_outcome; j++)
            with_outcome = ds.outcomes[j].theme == t->number &&
                           s_outcome_in_year(&ds, &ds.outcomes[j], (int)year);
        if (!s_planned_for(t, (int)year) && !s_row(tally, t->id) && !with_outcome)
            continue;
        if (s_theme_part(&b, &ds, tally, t, (int)year, &b.themes[b.n_themes++]) != 0) {
            s_oom(ctx);
            goto cleanup;
        }
        if (yardstick_view_load(ctx, 'T', t->number, &b.themes[b.n_themes - 1].yardstick) != 0)
            goto cleanup;
    }
    overview_t o = {(int)year, b.themes, b.n_themes};
    if (strcmp(format, "rows") == 0) {
        //  The table as data for a page that lays it out itself.
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 4);
        sm_pack_kv_int(pk, "year", year);
        sm_pack_kv_str(pk, "format", format);
        sm_pack_kv_uint(pk, "themes", b.n_themes);
        sm_pack_str(pk, "data");
        if (overview_pack_rows(&o, pk) != 0) {
            s_oom(ctx);
            goto cleanup;
        }
        rc = 0;
        goto cleanup;
    }
    text = strcmp(format, "csv") == 0    ? overview_render_csv(&o)
           : strcmp(format, "html") == 0 ? overview_render_html(&o)
                                         : overview_render_markdown(&o);
    if (!text) {
        s_oom(ctx);
        goto cleanup;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 4);
    sm_pack_kv_int(pk, "year", year);
    sm_pack_kv_str(pk, "format", format);
    sm_pack_kv_uint(pk, "themes", b.n_themes);
    sm_pack_kv_str(pk, "text", text);
    rc = 0;
cleanup:
    free(text);
    s_build_free(&b);
    reach_tally_destroy(&tally);
    dataset_free(&ds);
    return rc;
}

int op_report_passage(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t theme = sm_arg_id(ctx, "theme");
    int64_t year = sm_arg_int(ctx, "year", 0);
    const char *format = sm_arg_str(ctx, "format");
    if (!format)
        format = "md";
    mirror_theme_t mt;
    decision_t d = {0};
    if (mirror_theme_require(ctx, theme, "theme", &mt) != 0 ||
        (sm_arg_has(ctx, "decision") && decision_of_theme(ctx, theme, &d) != 0))
        return -1;
    dataset_t ds;
    if (dataset_load(ctx, &ds, DATASET_PEOPLE | DATASET_OUTCOMES) != 0)
        return -1;
    int rc = -1;
    char *text = NULL;
    s_build_t b = {0};
    overview_theme_t part = {0};
    const dataset_theme_t *t = dataset_theme(&ds, theme);
    reach_input_t in = dataset_reach_input(&ds);
    reach_filter_t filter = {.year = (int)year, .theme_id = t ? t->id : NULL};
    reach_tally_t *tally = t ? reach_tally(&in, &filter, e) : NULL;
    if (!tally) {
        if (!sm_err_is_set(e))
            s_oom(ctx);
        goto cleanup;
    }
    b.outcomes = calloc(ds.n_outcomes ? ds.n_outcomes : 1, sizeof *b.outcomes);
    if (!b.outcomes || s_theme_part(&b, &ds, tally, t, (int)year, &part) != 0 ||
        s_theme_groups(&b, &ds, t->id, (int)year) != 0) {
        s_oom(ctx);
        goto cleanup;
    }
    part.groups = b.groups;
    part.n_groups = b.n_groups;
    if (yardstick_view_load(ctx, d.id ? 'D' : 'T', d.id ? d.id : theme, &part.yardstick) != 0)
        goto cleanup;
    if (!d.id && !part.yardstick.recorded)
        part.yardstick.list = NULL; //  a theme's passage shows a yardstick once there is one
    text = strcmp(format, "html") == 0 ? overview_theme_passage_html(&part)
                                       : overview_theme_passage(&part);
    if (!text) {
        s_oom(ctx);
        goto cleanup;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 5);
    sm_pack_kv_str(pk, "theme", t->id);
    sm_rec_pack_id(pk, "decision", 'D', d.id);
    sm_pack_kv_str(pk, "format", format);
    if (year)
        sm_pack_kv_int(pk, "year", year);
    else
        sm_pack_kv_nil(pk, "year");
    sm_pack_kv_str(pk, "text", text);
    rc = 0;
cleanup:
    free(text);
    yardstick_view_free(&part.yardstick);
    s_build_free(&b);
    reach_tally_destroy(&tally);
    dataset_free(&ds);
    return rc;
}
