/*  services/reporting/youth_report.c - the statutory youth report: the requests.
    See youth_report.h. */
#include "youth_report.h"
#include "common/i18n.h"
#include "common/record.h"
#include "dataset.h"
#include "mirror.h"
#include "youth.h"
#include <stdlib.h>
#include <string.h>

#define DB_YOUTH "youth_reports"

/*  A year's report with owned texts. */
typedef struct {
    youth_report_t r; //  r.findings points at findings
    youth_finding_t findings[YOUTH_FINDINGS_MAX];
    char *texts[YOUTH_FINDINGS_MAX][3]; //  theme, finding, done (owned)
} s_state_t;

/*  Free the texts a state owns and empty it. Safe on an empty one. */
static void s_state_free(s_state_t *s)
{
    for (size_t i = 0; i < YOUTH_FINDINGS_MAX; i++)
        for (size_t j = 0; j < 3; j++)
            free(s->texts[i][j]);
    memset(s, 0, sizeof *s);
}

/*  Point the rule's view (r.findings) at the owned texts. */
static void s_state_view(s_state_t *s)
{
    for (size_t i = 0; i < s->r.n_findings; i++)
        s->findings[i] = (youth_finding_t){s->texts[i][0], s->texts[i][1], s->texts[i][2]};
    s->r.findings = s->findings;
}

/*  Load the report on year (a fresh draft when none is stored). Returns
    0, or -1 (ctx error). */
static int s_load_year(sm_ctx_t *ctx, int64_t year, s_state_t *s)
{
    memset(s, 0, sizeof *s);
    if (youth_report_init(&s->r, (int)year, sm_ctx_err(ctx)) != 0)
        return -1;
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_YOUTH, (uint64_t)year, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *o = sm_doc_root(doc);
    char word[16];
    sm_rec_str(o, "status", word, sizeof word);
    s->r.status = strcmp(word, "submitted") == 0 ? YOUTH_SUBMITTED
                  : strcmp(word, "adopted") == 0 ? YOUTH_ADOPTED
                                                 : YOUTH_DRAFT;
    sm_rec_date(o, "adopted_on", &s->r.adopted_on);
    sm_rec_date(o, "submitted_on", &s->r.submitted_on);
    const msgpack_object *list = sm_map_get(o, "findings");
    for (uint32_t i = 0; list && list->type == MSGPACK_OBJECT_ARRAY && i < list->via.array.size &&
                         s->r.n_findings < YOUTH_FINDINGS_MAX;
         i++) {
        const msgpack_object *f = &list->via.array.ptr[i];
        size_t n = s->r.n_findings++;
        s->texts[n][0] = sm_rec_strdup(f, "theme");
        s->texts[n][1] = sm_rec_strdup(f, "finding");
        s->texts[n][2] = sm_rec_strdup(f, "done");
    }
    sm_doc_destroy(&doc);
    s_state_view(s);
    return 0;
}

/*  Load the report on the year the "year" argument names. Returns 0, or
    -1 (ctx error). */
static int s_load(sm_ctx_t *ctx, s_state_t *s)
{
    return s_load_year(ctx, sm_arg_int(ctx, "year", 0), s);
}

/*  Store the year's report. Returns 0 or -1 (ctx error). */
static int s_store(sm_ctx_t *ctx, const s_state_t *s)
{
    const youth_report_t *r = &s->r;
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 5);
    sm_pack_kv_int(&b.pk, "year", r->year);
    sm_pack_kv_str(&b.pk, "status", youth_status_name(r->status));
    sm_rec_pack_date(&b.pk, "adopted_on", r->status >= YOUTH_ADOPTED, r->adopted_on);
    sm_rec_pack_date(&b.pk, "submitted_on", r->status >= YOUTH_SUBMITTED, r->submitted_on);
    sm_pack_str(&b.pk, "findings");
    msgpack_pack_array(&b.pk, r->n_findings);
    for (size_t i = 0; i < r->n_findings; i++) {
        msgpack_pack_map(&b.pk, 3);
        sm_pack_kv_str(&b.pk, "theme", r->findings[i].theme_id);
        sm_pack_kv_str(&b.pk, "finding", r->findings[i].finding);
        sm_pack_kv_str(&b.pk, "done", r->findings[i].done);
    }
    int rc = sm_rec_put(ctx, DB_YOUTH, (uint64_t)r->year, &b);
    sm_buf_free(&b);
    return rc;
}

/*  Pack the report's state: year, status, dates, due date, days late, findings. */
static void s_pack_state(msgpack_packer *pk, const s_state_t *s, size_t extra)
{
    const youth_report_t *r = &s->r;
    msgpack_pack_map(pk, 7 + extra);
    sm_pack_kv_int(pk, "year", r->year);
    sm_pack_kv_str(pk, "status", youth_status_name(r->status));
    sm_rec_pack_date(pk, "adopted_on", r->status >= YOUTH_ADOPTED, r->adopted_on);
    sm_rec_pack_date(pk, "submitted_on", r->status >= YOUTH_SUBMITTED, r->submitted_on);
    sm_rec_pack_date(pk, "due_on", true, youth_due_date(r->year));
    sm_pack_kv_int(pk, "days_late", youth_days_late(r, sm_date_today()));
    sm_pack_str(pk, "findings");
    msgpack_pack_array(pk, r->n_findings);
    for (size_t i = 0; i < r->n_findings; i++) {
        msgpack_pack_map(pk, 4);
        sm_pack_kv_int(pk, "n", (int64_t)i + 1);
        sm_pack_kv_str(pk, "theme", r->findings[i].theme_id);
        sm_pack_kv_str(pk, "finding", r->findings[i].finding);
        sm_pack_kv_str(pk, "done", r->findings[i].done);
    }
}

/*  The "theme" argument, checked to be known ("T4"), or NULL when absent.
    Returns 0 or -1 (ctx error: not_found). */
static int s_get_theme(sm_ctx_t *ctx, const char **out)
{
    mirror_theme_t t;
    uint64_t theme = sm_arg_id(ctx, "theme");
    *out = sm_arg_str(ctx, "theme");
    return theme && mirror_theme_require(ctx, theme, "theme", &t) != 0 ? -1 : 0;
}

/* ==== The warning for report.due ========================================== */

int youth_report_pack_warning(sm_ctx_t *ctx, sm_date_t today, msgpack_packer *pk)
{
    s_state_t s = {0};
    if (today.y - 1 < 1 || s_load_year(ctx, today.y - 1, &s) != 0) {
        s_state_free(&s);
        return -1;
    }
    if (!youth_due_warning(&s.r, today)) {
        msgpack_pack_nil(pk);
        s_state_free(&s);
        return 0;
    }
    char text[600];
    msgpack_pack_map(pk, 5);
    sm_pack_kv_int(pk, "year", s.r.year);
    sm_pack_kv_str(pk, "status", youth_status_name(s.r.status));
    sm_rec_pack_date(pk, "due_on", true, youth_due_date(s.r.year));
    sm_pack_kv_int(pk, "days_left", sm_date_diff(today, youth_due_date(s.r.year)));
    sm_pack_kv_str(pk, "text", youth_due_warning_text(&s.r, today, text, sizeof text));
    s_state_free(&s);
    return 0;
}

/* ==== Requests ============================================================ */

/*  Replace the owned text *slot with a copy of text; nothing when text is
    NULL. Returns 0, or -1 (ctx error) when out of memory. */
static int s_set(sm_ctx_t *ctx, char **slot, const char *text)
{
    if (!text)
        return 0;
    char *copy = strdup(text);
    if (!copy)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    free(*slot);
    *slot = copy;
    return 0;
}

int op_youth_finding_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    s_state_t s = {0};
    const char *theme;
    int rc = -1;
    if (s_load(ctx, &s) != 0 || s_get_theme(ctx, &theme) != 0)
        goto cleanup;
    youth_finding_t f = {theme, sm_arg_str(ctx, "finding"), sm_arg_str(ctx, "done")};
    if (youth_finding_check(&f, e) != 0 || youth_revise(&s.r, e) != 0)
        goto cleanup;
    if (s.r.n_findings == YOUTH_FINDINGS_MAX) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, "finding",
                    _("the youth report on %d has %d findings, the most kept; combine some with "
                      "youth.finding.update"),
                    s.r.year, YOUTH_FINDINGS_MAX);
        goto cleanup;
    }
    size_t n = s.r.n_findings++;
    if (s_set(ctx, &s.texts[n][0], f.theme_id) != 0 || s_set(ctx, &s.texts[n][1], f.finding) != 0 ||
        s_set(ctx, &s.texts[n][2], f.done) != 0)
        goto cleanup;
    s_state_view(&s);
    if (s_store(ctx, &s) != 0)
        goto cleanup;
    s_pack_state(sm_ctx_reply(ctx), &s, 0);
    rc = 0;
cleanup:
    s_state_free(&s);
    return rc;
}

int op_youth_finding_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    s_state_t s = {0};
    const char *theme, *finding = sm_arg_str(ctx, "finding"), *done = sm_arg_str(ctx, "done");
    int64_t n = sm_arg_int(ctx, "n", 0);
    int rc = -1;
    if (s_load(ctx, &s) != 0 || s_get_theme(ctx, &theme) != 0)
        goto cleanup;
    if ((size_t)n > s.r.n_findings) {
        sm_ctx_fail(ctx, SM_E_NOT_FOUND, "n",
                    _("the youth report on %d has %zu findings; give n from 1 to %zu"), s.r.year,
                    s.r.n_findings, s.r.n_findings);
        goto cleanup;
    }
    size_t i = (size_t)n - 1;
    youth_finding_t f = {theme ? theme : s.texts[i][0], finding ? finding : s.texts[i][1],
                         done ? done : s.texts[i][2]};
    if (youth_finding_check(&f, e) != 0 || youth_revise(&s.r, e) != 0)
        goto cleanup;
    if (s_set(ctx, &s.texts[i][0], theme) != 0 || s_set(ctx, &s.texts[i][1], finding) != 0 ||
        s_set(ctx, &s.texts[i][2], done) != 0)
        goto cleanup;
    s_state_view(&s);
    if (s_store(ctx, &s) != 0)
        goto cleanup;
    s_pack_state(sm_ctx_reply(ctx), &s, 0);
    rc = 0;
cleanup:
    s_state_free(&s);
    return rc;
}

/*  A dated step of the youth report (adopt, submit): load the year's
    report, apply the rule on `date` (default today), store, reply. */
typedef int(s_youth_step_fn)(youth_report_t *r, sm_date_t on, sm_date_t today, sm_err_t *err);

static int s_dated_step(sm_ctx_t *ctx, s_youth_step_fn *step)
{
    s_state_t s = {0};
    sm_date_t today = sm_date_today(), on;
    int rc = -1;
    if (!sm_arg_date(ctx, "date", &on))
        on = today;
    if (s_load(ctx, &s) == 0 && step(&s.r, on, today, sm_ctx_err(ctx)) == 0 &&
        s_store(ctx, &s) == 0) {
        s_pack_state(sm_ctx_reply(ctx), &s, 0);
        rc = 0;
    }
    s_state_free(&s);
    return rc;
}

int op_youth_adopt(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_dated_step(ctx, youth_adopt);
}

int op_youth_submit(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_dated_step(ctx, youth_submit);
}

static int s_name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*  The young people and parents among the distinct participants of the
    youth-relevant sessions held in year, and the member municipalities'
    names, into who (names borrowed from ds; *names the caller frees).
    Returns 0, or -1 when out of memory. */
static int s_who(const dataset_t *ds, int year, youth_reach_t *who, const char ***names)
{
    *who = (youth_reach_t){0};
    bool *seen = calloc(ds->n_participants ? ds->n_participants : 1, sizeof *seen);
    *names = calloc(ds->n_municipalities ? ds->n_municipalities : 1, sizeof **names);
    if (!seen || !*names) {
        free(seen);
        return -1;
    }
    for (size_t i = 0; i < ds->n_attendance; i++) {
        const reach_attendance_t *a = &ds->attendance[i];
        if (!a->attended || !a->session_id || a->session_id[0] != 'S')
            continue;
        long k = dataset_session_index(ds, strtoull(a->session_id + 1, NULL, 10));
        if (k < 0 || !ds->sessions[k].held || !ds->sessions[k].youth_relevant ||
            ds->sessions[k].held_on.y != year)
            continue;
        long p = a->participant_id && a->participant_id[0] == 'P'
                     ? dataset_participant_index(ds, strtoull(a->participant_id + 1, NULL, 10))
                     : -1;
        if (p >= 0 && !seen[p]) {
            seen[p] = true;
            who->young += (ds->participant_kinds[p] & DATASET_YOUNG) != 0;
            who->parents += (ds->participant_kinds[p] & DATASET_PARENT) != 0;
        }
    }
    free(seen);
    for (size_t i = 0; i < ds->n_municipalities; i++)
        (*names)[i] = ds->munis[i].name;
    qsort(*names, ds->n_municipalities, sizeof **names, s_name_cmp);
    who->municipalities = *names;
    who->n_municipalities = ds->n_municipalities;
    return 0;
}

int op_report_youth(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    s_state_t s = {0};
    dataset_t ds = {0};
    youth_theme_t *themes = NULL;
    reach_tally_t *tally = NULL;
    const char **names = NULL;
    const char *format = sm_arg_str(ctx, "format");
    const char *document = sm_arg_str(ctx, "document");
    char *text = NULL;
    int rc = -1;
    if (!document)
        document = "report";
    bool graphic = strcmp(document, "infographic") == 0;
    if (!format)
        format = graphic ? "svg" : "md";
    //  The declaration admits the words; which go together is checked here.
    if (graphic ? strcmp(format, "svg") != 0 : strcmp(format, "svg") == 0) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "format",
                    graphic ? _("format must be svg for the infographic")
                            : _("format must be md or html for the youth report and its letter"));
        goto cleanup;
    }
    if (s_load(ctx, &s) != 0)
        goto cleanup;
    if (dataset_load(ctx, &ds, DATASET_PEOPLE) != 0)
        goto cleanup;
    themes = calloc(ds.n_themes ? ds.n_themes : 1, sizeof *themes);
    reach_input_t in = dataset_reach_input(&ds);
    reach_filter_t filter = {.year = s.r.year, .youth_only = true};
    tally = themes ? reach_tally(&in, &filter, e) : NULL;
    youth_reach_t who;
    if (!tally || s_who(&ds, s.r.year, &who, &names) != 0) {
        if (!sm_err_is_set(e))
            sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
        goto cleanup;
    }
    for (size_t i = 0; i < ds.n_themes; i++)
        themes[i] = (youth_theme_t){ds.themes[i].id, ds.themes[i].title};
    sm_date_t today = sm_date_today();
    bool html = strcmp(format, "html") == 0;
    if (graphic)
        text = youth_render_infographic(&s.r, tally, &who, themes, ds.n_themes, today);
    else if (strcmp(document, "letter") == 0)
        text = html ? youth_render_letter_html(&s.r, tally, &who, themes, ds.n_themes, today)
                    : youth_render_letter_markdown(&s.r, tally, &who, themes, ds.n_themes, today);
    else
        text = html ? youth_render_html(&s.r, tally, &who, themes, ds.n_themes, today)
                    : youth_render_markdown(&s.r, tally, &who, themes, ds.n_themes, today);
    if (!text) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
        goto cleanup;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    s_pack_state(pk, &s, 8);
    sm_pack_kv_str(pk, "format", format);
    sm_pack_kv_str(pk, "document", document);
    sm_pack_kv_uint(pk, "sessions", tally->sessions);
    sm_pack_kv_uint(pk, "participants", tally->participants);
    sm_pack_kv_uint(pk, "attendances", tally->attendances);
    sm_pack_kv_uint(pk, "young", who.young);
    sm_pack_kv_uint(pk, "parents", who.parents);
    sm_pack_kv_str(pk, "text", text);
    rc = 0;
cleanup:
    free(text);
    free(themes);
    free(names);
    reach_tally_destroy(&tally);
    dataset_free(&ds);
    s_state_free(&s);
    return rc;
}
