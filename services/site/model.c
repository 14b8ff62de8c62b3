/*  services/site/model.c - decoding the public view into plain structs. See model.h. */
#include "services/site/model.h"
#include "common/i18n.h"
#include "common/text.h"
#include <stdlib.h>
#include <string.h>

/*  Longest text accepted from a reply: a report (reporting's limit is
    262,144 characters, four bytes each at most), and anything else. */
#define S_REPORT_MAX (262144 * 4)
#define S_TEXT_MAX (16 * 1024)

/* ==== Checked readers ===================================================== */

/*  A text at key into a malloc'd copy (*out): "" when absent or nil unless
    required. Returns 0, or -1 with err. */
static int s_text(const msgpack_object *o, const char *key, bool required, size_t max, char **out,
                  sm_err_t *err)
{
    const msgpack_object *v = sm_map_get(o, key);
    *out = NULL;
    if (!v || v->type == MSGPACK_OBJECT_NIL) {
        if (required)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, key, _("field \"%s\" is missing"), key);
        *out = strdup("");
    } else if (v->type != MSGPACK_OBJECT_STR || v->via.str.size > max ||
               !sm_utf8_valid(v->via.str.ptr, v->via.str.size))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" must be UTF-8 text of at most %zu bytes"), key, max);
    else
        *out = strndup(v->via.str.ptr, v->via.str.size);
    return *out ? 0 : sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, key, _("out of memory"));
}

/*  A short word at key into buf (SITE_WORD_SIZE): "" when absent or nil
    unless required. Returns 0, or -1 with err. */
static int s_word(const msgpack_object *o, const char *key, bool required, char *buf, sm_err_t *err)
{
    buf[0] = '\0';
    int rc = sm_get_str(o, key, required, buf, SITE_WORD_SIZE, true, err);
    return rc < 0 ? -1 : 0;
}

/*  An ID of letter at key into buf (SITE_ID_SIZE) and *number; "" and 0
    when absent or nil unless required. Returns 0, or -1 with err. */
static int s_id(const msgpack_object *o, const char *key, char letter, bool required, char *buf,
                uint64_t *number, sm_err_t *err)
{
    uint64_t n = 0;
    buf[0] = '\0';
    int rc = sm_get_str(o, key, required, buf, SITE_ID_SIZE, false, err);
    if (rc < 0)
        return -1;
    if (rc > 0 && !site_id_valid(buf, letter, &n))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, key,
                          _("field \"%s\" must be an ID like %c12"), key, letter);
    if (number)
        *number = n;
    return 0;
}

/*  A date at key into *out; *has says whether it was there. Returns 0, or
    -1 with err. */
static int s_date(const msgpack_object *o, const char *key, bool required, sm_date_t *out,
                  bool *has, sm_err_t *err)
{
    char buf[SITE_WORD_SIZE];
    if (s_word(o, key, required, buf, err) != 0)
        return -1;
    *has = buf[0] != '\0';
    memset(out, 0, sizeof *out);
    return *has ? sm_date_parse(buf, out, key, err) : 0;
}

/*  An array of words at key into rows of SITE_WORD_SIZE (at most
    SITE_LIST_MAX). Returns 0, or -1 with err. */
static int s_words(const msgpack_object *o, const char *key, char (*rows)[SITE_WORD_SIZE],
                   size_t *n, sm_err_t *err)
{
    *n = 0;
    return sm_get_str_array(o, key, false, &rows[0][0], SITE_WORD_SIZE, SITE_LIST_MAX, n, err) < 0
               ? -1
               : 0;
}

/* ==== IDs and lookups ===================================================== */

bool site_id_valid(const char *text, char letter, uint64_t *number)
{
    if (!text || text[0] != letter || text[1] < '1' || text[1] > '9')
        return false;
    uint64_t n = 0;
    size_t i = 1;
    for (; text[i]; i++) {
        if (i > 18 || text[i] < '0' || text[i] > '9')
            return false;
        n = n * 10 + (uint64_t)(text[i] - '0');
    }
    if (number)
        *number = n;
    return true;
}

const site_theme_t *site_find_theme(const site_data_t *d, const char *id)
{
    for (size_t i = 0; id && i < d->n_themes; i++)
        if (strcmp(d->themes[i].id, id) == 0)
            return &d->themes[i];
    return NULL;
}

const site_session_t *site_find_session(const site_data_t *d, const char *id)
{
    for (size_t i = 0; id && i < d->n_sessions; i++)
        if (strcmp(d->sessions[i].id, id) == 0)
            return &d->sessions[i];
    return NULL;
}

const char *site_muni_name(const site_data_t *d, const char *code)
{
    for (size_t i = 0; i < d->n_munis; i++)
        if (strcmp(d->munis[i].code, code) == 0)
            return d->munis[i].name;
    return code;
}

/* ==== Decoding ============================================================ */

int site_theme_decode(const msgpack_object *o, site_theme_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    char scope[SITE_WORD_SIZE];
    const msgpack_object *years = NULL;
    if (o->type != MSGPACK_OBJECT_MAP)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "themes", _("a theme must be a map"));
    if (s_id(o, "id", 'T', true, out->id, &out->number, err) ||
        s_text(o, "title", true, S_TEXT_MAX, &out->title, err) ||
        s_text(o, "question", false, S_TEXT_MAX, &out->question, err) ||
        s_word(o, "domain", false, out->domain, err) ||
        s_word(o, "phase", false, out->phase, err) || s_word(o, "status", true, out->status, err) ||
        s_word(o, "scope", false, scope, err) ||
        s_words(o, "municipalities", out->municipalities, &out->n_municipalities, err) ||
        sm_get_array(o, "years", false, &years, err) < 0)
        goto fail;
    out->regional = strcmp(scope, "local") != 0;
    for (uint32_t i = 0; years && i < years->via.array.size && out->n_years < SITE_YEARS_MAX; i++) {
        const msgpack_object *y = &years->via.array.ptr[i];
        if (y->type != MSGPACK_OBJECT_POSITIVE_INTEGER || y->via.u64 < 1 || y->via.u64 > 9999) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, "years", _("a theme's years must be years"));
            goto fail;
        }
        out->years[out->n_years++] = (int)y->via.u64;
    }
    return 0;
fail:
    site_theme_free(out);
    return -1;
}

int site_session_decode(const msgpack_object *o, site_session_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    char start[SITE_WORD_SIZE], end[SITE_WORD_SIZE], period[64] = "";
    const msgpack_object *groups = NULL;
    if (o->type != MSGPACK_OBJECT_MAP)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "sessions", _("a session must be a map"));
    if (s_id(o, "id", 'S', true, out->id, &out->number, err) ||
        s_id(o, "theme", 'T', true, out->theme, NULL, err) ||
        s_word(o, "method", true, out->method, err) ||
        s_text(o, "title", false, S_TEXT_MAX, &out->title, err) ||
        s_text(o, "question", false, S_TEXT_MAX, &out->question, err) ||
        s_text(o, "location", false, S_TEXT_MAX, &out->location, err) ||
        s_word(o, "location_kind", false, out->location_kind, err) ||
        s_word(o, "status", true, out->status, err) || s_word(o, "start", false, start, err) ||
        s_word(o, "end", false, end, err) ||
        sm_get_str(o, "period", false, period, sizeof period, true, err) < 0 ||
        sm_get_bool(o, "tentative", false, &out->tentative, err) < 0 ||
        sm_get_int(o, "capacity", false, 0, INT32_MAX, &out->capacity, err) < 0 ||
        sm_get_int(o, "places_left", false, 0, INT32_MAX, &out->places_left, err) < 0 ||
        sm_get_int(o, "waitlisted", false, 0, INT32_MAX, &out->waitlisted, err) < 0 ||
        sm_get_int(o, "reimbursement_cents", false, 0, INT64_MAX, &out->reimbursement_cents, err) <
            0 ||
        s_words(o, "municipalities", out->municipalities, &out->n_municipalities, err) ||
        s_date(o, "held_on", false, &out->held_on, &out->has_held_on, err) ||
        s_date(o, "register_by", false, &out->register_by, &out->has_register_by, err) ||
        sm_get_array(o, "target_groups", false, &groups, err) < 0)
        goto fail;
    out->has_time = start[0] && end[0];
    if (out->has_time) {
        if (sm_datetime_parse(start, &out->start_ms, "start", err) ||
            sm_datetime_parse(end, &out->end_ms, "end", err))
            goto fail;
    } else if (sm_period_parse(period, &out->period, "period", err) != 0)
        goto fail;
    for (uint32_t i = 0; groups && i < groups->via.array.size && i < SITE_LIST_MAX; i++) {
        const msgpack_object *g = &groups->via.array.ptr[i];
        if (g->type != MSGPACK_OBJECT_STR || g->via.str.size > 256 ||
            !sm_utf8_valid(g->via.str.ptr, g->via.str.size)) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, "target_groups",
                       _("a session's target groups must be short texts"));
            goto fail;
        }
        if (!(out->target_groups[out->n_target_groups] =
                  strndup(g->via.str.ptr, g->via.str.size))) {
            sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, "target_groups", _("out of memory"));
            goto fail;
        }
        out->n_target_groups++;
    }
    return 0;
fail:
    site_session_free(out);
    return -1;
}

int site_report_decode(const msgpack_object *o, site_report_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    bool has_pub = false, has_first = false;
    int64_t version = 0;
    if (o->type != MSGPACK_OBJECT_MAP)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "reports", _("a report must be a map"));
    if (s_id(o, "id", 'R', true, out->id, &out->number, err) ||
        s_id(o, "session", 'S', true, out->session, NULL, err) ||
        s_id(o, "theme", 'T', true, out->theme, NULL, err) ||
        sm_get_int(o, "version", true, 1, 1000000, &version, err) < 0 ||
        s_date(o, "published_on", true, &out->published_on, &has_pub, err) ||
        s_date(o, "first_published_on", false, &out->first_published_on, &has_first, err))
        return -1;
    out->version = (int)version;
    if (!has_first)
        out->first_published_on = out->published_on;
    if (sm_map_get(o, "text") && s_text(o, "text", true, S_REPORT_MAX, &out->text, err) != 0)
        return -1;
    return 0;
}

int site_outcome_decode(const msgpack_object *o, site_outcome_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (o->type != MSGPACK_OBJECT_MAP)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "outcomes", _("an outcome must be a map"));
    if (s_id(o, "id", 'U', true, out->id, &out->number, err) ||
        s_id(o, "theme", 'T', true, out->theme, NULL, err) ||
        s_text(o, "brought_in", true, S_TEXT_MAX, &out->brought_in, err) ||
        s_text(o, "done", false, S_TEXT_MAX, &out->done, err) ||
        s_text(o, "reason", false, S_TEXT_MAX, &out->reason, err) ||
        s_text(o, "follow_up", false, S_TEXT_MAX, &out->follow_up, err) ||
        s_word(o, "status", true, out->status, err) ||
        s_word(o, "effect", false, out->effect, err)) {
        site_outcome_free(out);
        return -1;
    }
    return 0;
}

int site_muni_decode(const msgpack_object *o, site_muni_t *out, sm_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (o->type != MSGPACK_OBJECT_MAP)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "municipalities",
                          _("a municipality must be a map"));
    if (s_word(o, "code", true, out->code, err) ||
        s_text(o, "name", true, S_TEXT_MAX, &out->name, err)) {
        site_muni_free(out);
        return -1;
    }
    return 0;
}

int site_overview_decode(const msgpack_object *o, int year, site_overview_t *out, sm_err_t *err)
{
    const msgpack_object *cols = NULL, *rows = NULL;
    memset(out, 0, sizeof *out);
    out->year = year;
    if (!o || o->type != MSGPACK_OBJECT_MAP)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "data", _("the overview must be a map"));
    if (s_text(o, "title", true, S_TEXT_MAX, &out->title, err) ||
        s_text(o, "table", true, S_TEXT_MAX, &out->table, err) ||
        sm_get_array(o, "columns", true, &cols, err) < 0 ||
        sm_get_array(o, "rows", true, &rows, err) < 0)
        goto fail;
    if (cols->via.array.size != SITE_OVERVIEW_COLS) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "columns", _("the overview must have %d columns"),
                   SITE_OVERVIEW_COLS);
        goto fail;
    }
    for (int c = 0; c < SITE_OVERVIEW_COLS; c++) {
        const msgpack_object *h = &cols->via.array.ptr[c];
        if (h->type != MSGPACK_OBJECT_STR || h->via.str.size > 1000 ||
            !sm_utf8_valid(h->via.str.ptr, h->via.str.size) ||
            !(out->columns[c] = strndup(h->via.str.ptr, h->via.str.size))) {
            sm_err_set(err, SM_E_INVALID_ARGUMENT, "columns", _("a column heading must be text"));
            goto fail;
        }
    }
    out->rows = calloc(rows->via.array.size ? rows->via.array.size : 1, sizeof *out->rows);
    if (!out->rows) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, "rows", _("out of memory"));
        goto fail;
    }
    for (uint32_t i = 0; i < rows->via.array.size; i++) {
        const msgpack_object *r = &rows->via.array.ptr[i], *cells = NULL;
        site_overview_row_t *row = &out->rows[out->n_rows++];
        if (r->type != MSGPACK_OBJECT_MAP || s_id(r, "theme", 'T', true, row->theme, NULL, err) ||
            sm_get_array(r, "cells", true, &cells, err) < 0 ||
            cells->via.array.size != SITE_OVERVIEW_COLS) {
            if (!sm_err_is_set(err))
                sm_err_set(err, SM_E_INVALID_ARGUMENT, "rows",
                           _("a row of the overview must be {theme, cells: [%d texts]}"),
                           SITE_OVERVIEW_COLS);
            goto fail;
        }
        for (int c = 0; c < SITE_OVERVIEW_COLS; c++) {
            const msgpack_object *t = &cells->via.array.ptr[c];
            if (t->type != MSGPACK_OBJECT_STR || t->via.str.size > 4 * S_TEXT_MAX ||
                !sm_utf8_valid(t->via.str.ptr, t->via.str.size) ||
                !(row->cells[c] = strndup(t->via.str.ptr, t->via.str.size))) {
                sm_err_set(err, SM_E_INVALID_ARGUMENT, "cells", _("a cell must be text"));
                goto fail;
            }
        }
    }
    return 0;
fail:
    site_overview_free(out);
    return -1;
}

/* ==== Freeing ============================================================= */

void site_theme_free(site_theme_t *t)
{
    free(t->title);
    free(t->question);
    t->title = t->question = NULL;
}

void site_session_free(site_session_t *s)
{
    free(s->title);
    free(s->question);
    free(s->location);
    s->title = s->question = s->location = NULL;
    for (size_t i = 0; i < s->n_target_groups; i++) {
        free(s->target_groups[i]);
        s->target_groups[i] = NULL;
    }
    s->n_target_groups = 0;
}

void site_report_free(site_report_t *r)
{
    free(r->text);
    r->text = NULL;
}

void site_outcome_free(site_outcome_t *o)
{
    free(o->brought_in);
    free(o->done);
    free(o->reason);
    free(o->follow_up);
    o->brought_in = o->done = o->reason = o->follow_up = NULL;
}

void site_overview_free(site_overview_t *o)
{
    free(o->title);
    free(o->table);
    o->title = o->table = NULL;
    for (int c = 0; c < SITE_OVERVIEW_COLS; c++) {
        free(o->columns[c]);
        o->columns[c] = NULL;
    }
    for (size_t i = 0; o->rows && i < o->n_rows; i++)
        for (int c = 0; c < SITE_OVERVIEW_COLS; c++)
            free(o->rows[i].cells[c]);
    free(o->rows);
    o->rows = NULL;
    o->n_rows = 0;
}

void site_muni_free(site_muni_t *m)
{
    free(m->name);
    m->name = NULL;
}

void site_data_free(site_data_t *d)
{
    for (size_t i = 0; d->themes && i < d->n_themes; i++)
        site_theme_free(&d->themes[i]);
    for (size_t i = 0; d->sessions && i < d->n_sessions; i++)
        site_session_free(&d->sessions[i]);
    for (size_t i = 0; d->reports && i < d->n_reports; i++)
        site_report_free(&d->reports[i]);
    for (size_t i = 0; d->outcomes && i < d->n_outcomes; i++)
        site_outcome_free(&d->outcomes[i]);
    for (size_t i = 0; d->overviews && i < d->n_overviews; i++)
        site_overview_free(&d->overviews[i]);
    for (size_t i = 0; d->munis && i < d->n_munis; i++)
        site_muni_free(&d->munis[i]);
    free(d->themes);
    free(d->sessions);
    free(d->reports);
    free(d->outcomes);
    free(d->overviews);
    free(d->munis);
    free(d->calendar);
    memset(d, 0, sizeof *d);
}
