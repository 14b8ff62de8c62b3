/*  services/scheduling/agenda.c - the annual agenda and the planning grid.
    See agenda.h. */
#include "agenda.h"
#include "adoption.h"
#include "grid.h"
#include "proto/words_scheduling.h"
#include "session.h"
#include "settings.h"
#include "store.h"
#include "theme.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  The first and last Amsterdam day a session touches. */
static void s_span(const session_t *c, sm_date_t *first, sm_date_t *last)
{
    if (c->has_time) {
        *first = sm_date_of_ms(c->start_ms);
        *last = sm_date_of_ms(c->end_ms - 1);
    } else {
        *first = c->period.from;
        *last = c->period.to;
    }
}

/*  The day a session is sorted by within an agenda. */
static int64_t s_sort_key(const session_t *c)
{
    return c->has_time ? c->start_ms : sm_date_to_days(c->period.from) * 86400000;
}

/*  qsort order of sessions: by time, then ID. */
static int s_by_time(const void *a, const void *b)
{
    const session_rec_t *x = a, *y = b;
    int64_t p = s_sort_key(&x->core), q = s_sort_key(&y->core);
    if (p != q)
        return p < q ? -1 : 1;
    return (x->core.id > y->core.id) - (x->core.id < y->core.id);
}

/* ==== agenda.show ======================================================= */

/*  Pack theme t with its sessions touching year. Returns 0 or -1. */
static int s_pack_theme(sm_ctx_t *ctx, msgpack_packer *pk, const theme_t *t, int year)
{
    uint64_t *ids = NULL;
    uint8_t key[16];
    sm_key_pair(t->id, 0, key);
    long n = sm_idx_list(ctx, DB_THEME_SESSIONS, key, 8, &ids);
    if (n < 0)
        return -1;
    session_rec_t *recs = malloc(((size_t)n + 1) * sizeof *recs);
    if (!recs) {
        free(ids);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    }
    sm_date_t jan1 = {year, 1, 1}, dec31 = {year, 12, 31};
    size_t k = 0;
    int rc = 0;
    for (long i = 0; i < n; i++) {
        if (session_load(ctx, ids[i], &recs[k]) <= 0) {
            rc = -1;
            break;
        }
        sm_date_t first, last;
        s_span(&recs[k].core, &first, &last);
        if (sm_date_cmp(last, jan1) >= 0 && sm_date_cmp(first, dec31) <= 0)
            k++;
    }
    if (rc == 0) {
        qsort(recs, k, sizeof *recs, s_by_time);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "theme");
        bool personal = sm_ctx_sees_personal(ctx);
        if (personal) {
            char tid[24];
            sm_ctx_audit_id(ctx, sm_id_format('T', t->id, tid));
        }
        theme_pack(pk, t, n, personal);
        sm_pack_str(pk, "sessions");
        msgpack_pack_array(pk, k);
        for (size_t i = 0; i < k; i++)
            session_pack_brief(pk, &recs[i]);
    }
    free(recs);
    free(ids);
    return rc;
}

/*  agenda.show: see agenda.h. Returns 0 or -1. */
int op_agenda_show(sm_ctx_t *ctx, const msgpack_object *args)
{
    int64_t year = sm_arg_int(ctx, "year", 0);
    theme_t *themes = NULL;
    long n = theme_load_all(ctx, &themes);
    if (n < 0)
        return -1;
    size_t count = 0;
    for (long i = 0; i < n; i++)
        count += theme_has_year(&themes[i], (int)year);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 3);
    sm_pack_kv_int(pk, "year", year);
    if (adoption_pack_year(ctx, pk, (int)year) != 0) {
        free(themes);
        return -1;
    }
    sm_pack_str(pk, "themes");
    msgpack_pack_array(pk, count);
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++)
        if (theme_has_year(&themes[i], (int)year))
            rc = s_pack_theme(ctx, pk, &themes[i], (int)year);
    free(themes);
    return rc;
}

/* ==== agenda.grid ======================================================= */

/*  Read the month argument key ("2019-10"; a day means its month). Returns
    0 or -1 (err). */
static int s_get_month(sm_ctx_t *ctx, const char *key, sm_date_t *out, sm_err_t *e)
{
    const char *text = sm_arg_str(ctx, key);
    sm_period_t p;
    if (sm_period_parse(text, &p, key, e) != 0)
        return -1;
    if (p.kind != SM_PERIOD_MONTH && p.kind != SM_PERIOD_DAY)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                          "%s must be a month such as 2019-10, got \"%s\"", key, text);
    *out = (sm_date_t){p.from.y, p.from.m, 1};
    return 0;
}

typedef struct {
    session_t *items;
    size_t n, cap;
    long first_month, last_month; //  the grid's, as year * 12 + month - 1
    uint64_t *themes;             //  theme ids with a session in the grid
    size_t n_themes, cap_themes;
} s_grid_input_t;

/*  Month index (year * 12 + month - 1) of d. */
static long s_month_of(sm_date_t d)
{
    return (long)d.y * 12 + d.m - 1;
}

/*  session_each callback: keep the session's core for the grid, and note
    its theme when it shows in the grid's months. */
static int s_collect(sm_ctx_t *ctx, const session_rec_t *s, void *arg)
{
    s_grid_input_t *in = arg;
    if (s->core.status == SESSION_CANCELLED)
        return 0;
    sm_date_t first, last;
    s_span(&s->core, &first, &last);
    if (s->core.has_time)
        last = first; //  the grid shows an exact session in its start's month
    if (s_month_of(last) < in->first_month || s_month_of(first) > in->last_month)
        return 0;
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 256;
        session_t *more = realloc(in->items, cap * sizeof *more);
        if (!more)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        in->items = more;
        in->cap = cap;
    }
    in->items[in->n++] = s->core;
    if (in->n_themes == 0 || in->themes[in->n_themes - 1] != s->core.theme_id) {
        if (in->n_themes == in->cap_themes) {
            size_t cap = in->cap_themes ? in->cap_themes * 2 : 64;
            uint64_t *more = realloc(in->themes, cap * sizeof *more);
            if (!more)
                return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
            in->themes = more;
            in->cap_themes = cap;
        }
        in->themes[in->n_themes++] = s->core.theme_id;
    }
    return 0;
}

/*  qsort / bsearch order of IDs. */
static int s_u64_order(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/*  True when t is a row of the grid. */
static bool s_row(const theme_t *t, int from_year, int to_year, const s_grid_input_t *in)
{
    if (bsearch(&t->id, in->themes, in->n_themes, sizeof *in->themes, s_u64_order))
        return true;
    if (t->status == THEME_DROPPED)
        return false;
    for (int y = from_year; y <= to_year; y++)
        if (theme_has_year(t, y))
            return true;
    return false;
}

/*  agenda.grid: collect the rows and sessions, render with grid_render.
    Returns 0, or -1 with the ctx error naming the field. */
int op_agenda_grid(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    sm_date_t from, to;
    const char *fmt = sm_arg_str(ctx, "format");
    grid_format_t format = GRID_TEXT;
    if (s_get_month(ctx, "from", &from, e) != 0 || s_get_month(ctx, "to", &to, e) != 0 ||
        (fmt && grid_format_parse(fmt, &format, "format", e) != 0))
        return -1;
    if (s_month_of(to) < s_month_of(from))
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to",
                           "to %04d-%02d is before from %04d-%02d; give a later month", to.y,
                           to.m, from.y, from.m);
    if (s_month_of(to) - s_month_of(from) + 1 > GRID_MONTHS_MAX)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to",
                           "the grid would span %ld months; give at most %d",
                           s_month_of(to) - s_month_of(from) + 1, GRID_MONTHS_MAX);
    s_grid_input_t in;
    memset(&in, 0, sizeof in);
    in.first_month = s_month_of(from);
    in.last_month = s_month_of(to);
    theme_t *themes = NULL;
    grid_theme_t *rows = NULL;
    char *text = NULL;
    int rc = -1;
    long n_themes = 0;
    if (session_each(ctx, s_collect, &in) != 0 || (n_themes = theme_load_all(ctx, &themes)) < 0)
        goto cleanup;
    qsort(in.themes, in.n_themes, sizeof *in.themes, s_u64_order);
    rows = malloc(((size_t)n_themes + 1) * sizeof *rows);
    if (!rows) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        goto cleanup;
    }
    size_t n_rows = 0;
    for (long i = 0; i < n_themes; i++)
        if (s_row(&themes[i], from.y, to.y, &in))
            rows[n_rows++] = (grid_theme_t){themes[i].id, themes[i].title};
    if (!(text = grid_render(rows, n_rows, in.items, in.n, from, to, format, e)))
        goto cleanup;
    size_t len = strlen(text);
    if ((int64_t)len > settings_of(ctx)->document_max_bytes) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, "to",
                    "the grid would be %zu bytes, more than the %lld a reply may carry; give "
                    "fewer months",
                    len, (long long)settings_of(ctx)->document_max_bytes);
        goto cleanup;
    }
    char a[16], b[16];
    snprintf(a, sizeof a, "%04d-%02d", from.y, from.m);
    snprintf(b, sizeof b, "%04d-%02d", to.y, to.m);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 6);
    sm_pack_kv_str(pk, "from", a);
    sm_pack_kv_str(pk, "to", b);
    sm_pack_kv_str(pk, "format", sched_grid_formats[format]);
    sm_pack_kv_uint(pk, "themes", n_rows);
    sm_pack_kv_uint(pk, "sessions", in.n);
    sm_pack_kv_str(pk, "text", text);
    rc = 0;
cleanup:
    free(text);
    free(rows);
    free(themes);
    free(in.items);
    free(in.themes);
    return rc;
}
