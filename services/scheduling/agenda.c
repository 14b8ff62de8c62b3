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
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/page.h"
#include "common/vocab.h"
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
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
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
                          _("%s must be a month such as 2019-10, got \"%s\""), key, text);
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
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        in->items = more;
        in->cap = cap;
    }
    in->items[in->n++] = s->core;
    if (in->n_themes == 0 || in->themes[in->n_themes - 1] != s->core.theme_id) {
        if (in->n_themes == in->cap_themes) {
            size_t cap = in->cap_themes ? in->cap_themes * 2 : 64;
            uint64_t *more = realloc(in->themes, cap * sizeof *more);
            if (!more)
                return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
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
                           _("to %04d-%02d is before from %04d-%02d; give a later month"), to.y,
                           to.m, from.y, from.m);
    if (s_month_of(to) - s_month_of(from) + 1 > GRID_MONTHS_MAX)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to",
                           _("the grid would span %ld months; give at most %d"),
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
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
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
                    _("the grid would be %zu bytes, more than the %lld a reply may carry; give "
                      "fewer months"),
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

/* ==== agenda.overview =================================================== */

/*  One line of a row: a session, or a series collapsed. */
typedef struct {
    char when[SM_L10N_PERIOD_SIZE + 16];
    char method[96];
} s_line_t;

/*  When session s is, as the region writes it, with "(ovb)" if tentative. */
static void s_when(const session_rec_t *s, char *buf, size_t size)
{
    char text[SM_L10N_PERIOD_SIZE];
    if (s->core.has_time)
        sm_l10n_date_long(sm_date_of_ms(s->core.start_ms), text);
    else
        sm_l10n_period(&s->core.period, text, sizeof text);
    if (s->core.tentative)
        snprintf(buf, size, "%s (ovb)", text);
    else
        snprintf(buf, size, "%s", text);
}

/*  The lines of a theme's sessions recs[0..n) (in time order) into lines;
    returns their number. Three or more of one series become one line. */
static size_t s_lines(const session_rec_t *recs, size_t n, s_line_t *lines)
{
    size_t k = 0;
    bool *done = calloc(n ? n : 1, sizeof *done);
    for (size_t i = 0; done && i < n; i++) {
        if (done[i])
            continue;
        const session_rec_t *s = &recs[i];
        s_line_t *l = &lines[k++];
        snprintf(l->method, sizeof l->method, "%s (%s)", method_name(s->core.method),
                 method_code(s->core.method));
        size_t in_series = 0;
        int first_y = 9999, last_y = 0;
        for (size_t j = i; s->series && j < n; j++)
            if (recs[j].series == s->series) {
                sm_date_t a, b;
                s_span(&recs[j].core, &a, &b);
                first_y = a.y < first_y ? a.y : first_y;
                last_y = b.y > last_y ? b.y : last_y;
                in_series++;
            }
        if (in_series >= 3) {
            for (size_t j = i; j < n; j++)
                done[j] = done[j] || recs[j].series == s->series;
            if (first_y == last_y)
                snprintf(l->when, sizeof l->when,
                         Q_("%1$zu session in %2$d", "%1$zu sessions in %2$d", in_series),
                         in_series, first_y);
            else
                /*  TRANSLATORS: the meetings of a series in a cell of the
                    agenda: "4 sessions in 2019 and 2020". */
                snprintf(l->when, sizeof l->when,
                         Q_("%1$zu session in %2$d and %3$d", "%1$zu sessions in %2$d and %3$d",
                            in_series),
                         in_series, first_y, last_y);
            continue;
        }
        done[i] = true;
        s_when(s, l->when, sizeof l->when);
    }
    free(done);
    return k;
}

/*  Add theme t's row (its sessions touching from..to, not cancelled) to
    pg; *added set when a row was added. Returns 0 or -1 (ctx error). */
static int s_overview_row(sm_ctx_t *ctx, sm_page_t *pg, const theme_t *t, sm_date_t from,
                          sm_date_t to, bool personal, bool *added)
{
    uint64_t *ids = NULL;
    *added = false;
    uint8_t key[16];
    sm_key_pair(t->id, 0, key);
    long n = sm_idx_list(ctx, DB_THEME_SESSIONS, key, 8, &ids);
    if (n < 0)
        return -1;
    session_rec_t *recs = malloc(((size_t)n + 1) * sizeof *recs);
    s_line_t *lines = malloc(((size_t)n + 1) * sizeof *lines);
    strbuf_t *when = strbuf_new(), *how = strbuf_new(), *tasks = strbuf_new();
    int rc = -1;
    if (!recs || !lines || !when || !how || !tasks) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    size_t k = 0;
    uint32_t all_tasks = 0;
    for (long i = 0; i < n; i++) {
        if (session_load(ctx, ids[i], &recs[k]) <= 0)
            goto cleanup;
        sm_date_t first, last;
        s_span(&recs[k].core, &first, &last);
        if (recs[k].core.status == SESSION_CANCELLED || sm_date_cmp(last, from) < 0 ||
            sm_date_cmp(first, to) > 0)
            continue;
        all_tasks |= recs[k].support_tasks;
        k++;
    }
    bool on_agenda = false;
    for (int y = from.y; y <= to.y && !on_agenda; y++)
        on_agenda = theme_has_year(t, y);
    if (k == 0 && (!on_agenda || t->status != THEME_ACTIVE)) {
        rc = 0;
        goto cleanup;
    }
    qsort(recs, k, sizeof *recs, s_by_time);
    size_t n_lines = s_lines(recs, k, lines);
    for (size_t i = 0; i < n_lines; i++) {
        strbuf_printf(when, "%s%s", i ? "\n" : "", lines[i].when);
        strbuf_printf(how, "%s%s", i ? "\n" : "", lines[i].method);
    }
    if (k == 0)
        strbuf_puts(when, _("to be planned"));
    for (int task = 0; task < SM_VOCAB_TASK.count; task++)
        if (all_tasks & (1u << task))
            strbuf_printf(tasks, "%s%s", strbuf_len(tasks) ? ", " : "",
                          sm_vocab_name(&SM_VOCAB_TASK, task));
    char subject[THEME_TITLE_MAX + 32], id[24];
    sm_id_format('T', t->id, id);
    snprintf(subject, sizeof subject, _("%1$s (%2$s)"), t->title, id);
    //  The project leader is personal (theme_pack): only for those who may see it.
    const char *cells[] = {subject, t->project_leader, strbuf_data(when), strbuf_data(how),
                           strbuf_data(tasks)};
    const char *no_leader[] = {subject, strbuf_data(when), strbuf_data(how),
                               strbuf_data(tasks)};
    if (personal)
        sm_ctx_audit_id(ctx, id);
    sm_page_row(pg, personal ? cells : no_leader);
    *added = true;
    rc = 0;
cleanup:
    strbuf_destroy(&when);
    strbuf_destroy(&how);
    strbuf_destroy(&tasks);
    free(lines);
    free(recs);
    free(ids);
    return rc;
}

/*  The overview's note on its decision: the portfolio holders' adoptions
    of the agendas of the years from_year..to_year, or, when none is
    recorded, that it is still subject to their decision. Returns 0 or -1
    (ctx error). */
static int s_adoption_notes(sm_ctx_t *ctx, sm_page_t *pg, int from_year, int to_year)
{
    adoption_t *list = calloc(ADOPTIONS_MAX, sizeof *list);
    if (!list)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int noted = 0, rc = 0;
    for (int y = from_year; y <= to_year && rc == 0; y++) {
        long n = adoption_load(ctx, y, list);
        if (n < 0)
            rc = -1;
        for (long i = 0; i < n; i++) {
            char day[SM_L10N_DATE_SIZE], note[ADOPTION_TEXT_MAX * 8 + 200];
            /*  TRANSLATORS: under the title of the agenda for the portfolio
                holders: "The agenda 2020 was adopted by the Portefeuille-
                houdersoverleg Sociaal Domein on 3 October 2019 (decision PHO
                2019-10-03/4)." */
            snprintf(note, sizeof note,
                     _("The agenda %1$d was adopted by %2$s on %3$s (decision %4$s)."), y,
                     list[i].body, sm_l10n_date_long(list[i].adopted_on, day), list[i].decision);
            sm_page_note(pg, note);
            noted++;
        }
    }
    if (rc == 0 && !noted)
        sm_page_note(pg, _("Subject to decision-making."));
    free(list);
    return rc;
}

/*  agenda.overview: see agenda.h. Returns 0 or -1. */
int op_agenda_overview(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    sm_date_t from, to;
    const char *format = sm_arg_str(ctx, "format");
    if (!format)
        format = "md";
    if (s_get_month(ctx, "from", &from, e) != 0 || s_get_month(ctx, "to", &to, e) != 0)
        return -1;
    //  The declaration admits md, html and csv only.
    sm_page_format_t pf = strcmp(format, "html") == 0  ? SM_PAGE_HTML
                          : strcmp(format, "csv") == 0 ? SM_PAGE_CSV
                                                       : SM_PAGE_MD;
    if (s_month_of(to) < s_month_of(from))
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "to",
                           _("to %04d-%02d is before from %04d-%02d; give a later month"), to.y,
                           to.m, from.y, from.m);
    to.d = sm_days_in_month(to.y, to.m);
    theme_t *themes = NULL;
    long n_themes = theme_load_all(ctx, &themes);
    if (n_themes < 0)
        return -1;
    char a[SM_L10N_DATE_SIZE], b[SM_L10N_DATE_SIZE], title[200];
    /*  TRANSLATORS: the title of the agenda for the portfolio holders:
        "Overview of sessions October 2019 - June 2020". */
    snprintf(title, sizeof title, _("Overview of sessions %1$s - %2$s"),
             sm_l10n_month(from.y, from.m, false, a), sm_l10n_month(to.y, to.m, false, b));
    sm_page_t *pg = sm_page_new(title);
    char *text = NULL;
    int rc = -1;
    size_t rows = 0;
    if (!pg) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    if (s_adoption_notes(ctx, pg, from.y, to.y) != 0)
        goto cleanup;
    bool personal = sm_ctx_sees_personal(ctx);
    const char *heads[] = {_("Theme"), _("Project leader"), _("Date/period"), _("Method"),
                           _("Support by the coordinator")};
    const char *no_leader[] = {heads[0], heads[2], heads[3], heads[4]};
    sm_page_table(pg, personal ? 5 : 4, personal ? heads : no_leader);
    for (long i = 0; i < n_themes; i++) {
        bool added;
        if (s_overview_row(ctx, pg, &themes[i], from, to, personal, &added) != 0)
            goto cleanup;
        rows += added;
    }
    if (!(text = sm_page_render(pg, pf))) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    if ((int64_t)strlen(text) > settings_of(ctx)->document_max_bytes) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, "to",
                    _("the overview would be %zu bytes, more than the %lld a reply may carry; give "
                      "fewer months"),
                    strlen(text), (long long)settings_of(ctx)->document_max_bytes);
        goto cleanup;
    }
    snprintf(a, sizeof a, "%04d-%02d", from.y, from.m);
    snprintf(b, sizeof b, "%04d-%02d", to.y, to.m);
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 5);
    sm_pack_kv_str(pk, "from", a);
    sm_pack_kv_str(pk, "to", b);
    sm_pack_kv_str(pk, "format", format);
    sm_pack_kv_uint(pk, "themes", rows);
    sm_pack_kv_str(pk, "text", text);
    rc = 0;
cleanup:
    free(text);
    sm_page_destroy(&pg);
    free(themes);
    return rc;
}
