/*  services/reporting/municipality_overview.c - what happened with a
    municipality's residents. See municipality_overview.h. */
#include "municipality_overview.h"
#include "common/client.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/municipalities.h"
#include "common/page.h"
#include "common/vocab.h"
#include "dataset.h"
#include "common/record.h"
#include "settings.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  Most allocations asked about (one a year is the programme's habit). */
#define S_ALLOCATIONS_MAX 50

/* ==== Sessions for or with the municipality =============================== */

/*  True when code is one of list[0..n). */
static bool s_in(const char *const *list, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] && strcmp(list[i], code) == 0)
            return true;
    return false;
}

/*  True when session i is for code: its own municipalities name it, or it
    has none and its theme is local to code. */
static bool s_for(const dataset_t *ds, size_t i, const char *code)
{
    if (ds->n_session_munis[i] > 0)
        return s_in(ds->session_munis[i], ds->n_session_munis[i], code);
    const dataset_theme_t *t = dataset_theme(ds, ds->session_themes[i]);
    return t && s_in(t->municipalities, t->n_municipalities, code);
}

/*  How many residents of code attended each session, in one pass over the
    attendance (an attendance row is one participant at one session).
    Returns a malloc'd array parallel to ds->sessions, or NULL. */
static size_t *s_residents(const dataset_t *ds, const char *code)
{
    size_t *n = calloc(ds->n_sessions ? ds->n_sessions : 1, sizeof *n);
    for (size_t a = 0; n && a < ds->n_attendance; a++) {
        const reach_attendance_t *at = &ds->attendance[a];
        if (!at->attended || !at->session_id || at->session_id[0] != 'S' ||
            !at->participant_id || at->participant_id[0] != 'P')
            continue;
        long p = dataset_participant_index(ds, strtoull(at->participant_id + 1, NULL, 10));
        const char *m = p >= 0 ? ds->participants[p].municipality : NULL;
        long i = dataset_session_index(ds, strtoull(at->session_id + 1, NULL, 10));
        if (i >= 0 && m && strcmp(m, code) == 0)
            n[i]++;
    }
    return n;
}

/*  "Title (T4)", or "T4" when the title is unknown, into buf. */
static char *s_theme_label(const dataset_t *ds, uint64_t theme, char *buf, size_t size)
{
    const dataset_theme_t *t = dataset_theme(ds, theme);
    if (!t)
        snprintf(buf, size, "%s", _("(no theme)"));
    else if (!t->title || !*t->title)
        snprintf(buf, size, "%s", t->id);
    else
        snprintf(buf, size, _("%1$s (%2$s)"), t->title, t->id);
    return buf;
}

typedef struct {
    int64_t day; //  days since 1970 of the day held (0 when not held)
    size_t index;
} s_day_t;

static int s_day_cmp(const void *a, const void *b)
{
    const s_day_t *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/*  The sessions' indexes ordered by the day held, then number. Returns a
    malloc'd array of ds->n_sessions indexes, or NULL. */
static size_t *s_by_day(const dataset_t *ds)
{
    s_day_t *days = calloc(ds->n_sessions ? ds->n_sessions : 1, sizeof *days);
    size_t *order = calloc(ds->n_sessions ? ds->n_sessions : 1, sizeof *order);
    if (!days || !order) {
        free(days);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < ds->n_sessions; i++)
        days[i] = (s_day_t){ds->sessions[i].held ? sm_date_to_days(ds->sessions[i].held_on) : 0,
                            i};
    qsort(days, ds->n_sessions, sizeof *days, s_day_cmp);
    for (size_t i = 0; i < ds->n_sessions; i++)
        order[i] = days[i].index;
    free(days);
    return order;
}

/* ==== Contributions: asked of finance ===================================== */

typedef struct {
    char name[128];
    char invoice[48];
    int64_t cents;
    bool paid;
    char paid_on[11];
} s_contribution_t;

/*  Ask finance for op with args (an encoded map). Returns the reply's data
    document (caller destroys) and *data, or NULL with err. */
static sm_doc_t *s_ask(sm_ctx_t *ctx, const char *op, const sm_buf_t *args,
                       const msgpack_object **data, sm_err_t *err)
{
    sm_doc_t *reply = sm_ctx_call(ctx, "finance", op, args ? args->sbuf.data : NULL,
                                  args ? args->sbuf.size : 0,
                                  reporting_settings(ctx)->pii_scan_timeout_ms, err);
    if (reply && sm_reply_check(reply, data, err) != 0)
        sm_doc_destroy(&reply);
    return reply;
}

/*  The invoices to the municipality code of every allocation that pays
    for year (one that names no year counts for every year), into out (at
    most max). Returns the count, or -1 with err when finance could not be
    asked or did not answer. */
static int s_contributions(sm_ctx_t *ctx, const char *code, int year, s_contribution_t *out,
                           int max, sm_err_t *err)
{
    const msgpack_object *data;
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_int(&args.pk, "limit", S_ALLOCATIONS_MAX);
    sm_doc_t *list = s_ask(ctx, "allocation.list", &args, &data, err);
    sm_buf_free(&args);
    if (!list)
        return -1;
    const msgpack_object *allocs = sm_map_get(data, "allocations");
    int n = 0;
    for (uint32_t i = 0; allocs && allocs->type == MSGPACK_OBJECT_ARRAY &&
                         i < allocs->via.array.size && n < max;
         i++) {
        char id[32];
        const msgpack_object *listed = &allocs->via.array.ptr[i];
        int64_t from = sm_rec_int(listed, "year", 0), to = sm_rec_int(listed, "to_year", from);
        if (from && (year < from || year > to))
            continue;
        sm_rec_str(listed, "id", id, sizeof id);
        sm_buf_init(&args);
        msgpack_pack_map(&args.pk, 1);
        sm_pack_kv_str(&args.pk, "allocation", id);
        const msgpack_object *a;
        sm_doc_t *got = s_ask(ctx, "allocation.get", &args, &a, err);
        sm_buf_free(&args);
        if (!got) {
            sm_doc_destroy(&list);
            return -1;
        }
        const msgpack_object *rows = sm_map_get(a, "rows");
        for (uint32_t r = 0; rows && rows->type == MSGPACK_OBJECT_ARRAY &&
                             r < rows->via.array.size && n < max;
             r++) {
            const msgpack_object *row = &rows->via.array.ptr[r];
            char c[16];
            if (strcmp(sm_rec_str(row, "code", c, sizeof c), code) != 0)
                continue;
            s_contribution_t *o = &out[n++];
            sm_rec_str(a, "name", o->name, sizeof o->name);
            sm_rec_str(row, "invoice", o->invoice, sizeof o->invoice);
            /*  What is invoiced: the amount the portfolio holders decided
                (finance's invoice_cents), else the computed contribution. */
            o->cents = sm_rec_int(row, "invoice_cents", sm_rec_int(row, "contribution_cents", 0));
            o->paid = sm_rec_bool(row, "paid", false);
            sm_rec_str(row, "paid_on", o->paid_on, sizeof o->paid_on);
        }
        sm_doc_destroy(&got);
    }
    sm_doc_destroy(&list);
    return n;
}

/* ==== The page ============================================================ */

/*  The sessions part; fills *n_sessions. */
static void s_page_sessions(sm_page_t *pg, const dataset_t *ds, const size_t *res,
                            const sm_muni_t *m, int year, size_t *n_sessions)
{
    char buf[600], date[SM_L10N_DATE_SIZE], theme[300], n[24];
    sm_page_heading(pg, 2, _("Sessions"));
    size_t n_for = 0, n_with = 0, rows = 0;
    for (size_t i = 0; i < ds->n_sessions; i++) {
        const reach_session_t *s = &ds->sessions[i];
        if (!s->held || s->held_on.y != year)
            continue;
        bool for_it = s_for(ds, i, m->code);
        size_t residents = res[i];
        n_for += for_it;
        n_with += residents > 0;
        rows += for_it || residents > 0;
    }
    *n_sessions = rows;
    if (rows == 0) {
        snprintf(buf, sizeof buf,
                 _("No sessions were held for %1$s or with residents of %1$s in %2$d."), m->name,
                 year);
        sm_page_para(pg, buf);
        return;
    }
    snprintf(buf, sizeof buf,
             Q_("In %1$d %2$zu session was held for %3$s or with its residents: %4$zu for %3$s "
                "itself (a local theme or session), %5$zu with residents of %3$s taking part.",
                "In %1$d %2$zu sessions were held for %3$s or with its residents: %4$zu for %3$s "
                "itself (a local theme or session), %5$zu with residents of %3$s taking part.",
                rows),
             year, rows, m->name, n_for, n_with);
    sm_page_para(pg, buf);
    char for_head[160], with_head[160];
    snprintf(for_head, sizeof for_head, _("For %s"), m->name);
    snprintf(with_head, sizeof with_head, _("Residents of %s"), m->name);
    const char *heads[] = {_("Session"), _("Date"), _("Theme"), _("Method"), for_head,
                           with_head};
    sm_page_table(pg, 6, heads);
    size_t *order = s_by_day(ds);
    for (size_t k = 0; order && k < ds->n_sessions; k++) {
        size_t i = order[k];
        const reach_session_t *s = &ds->sessions[i];
        if (!s->held || s->held_on.y != year)
            continue;
        bool for_it = s_for(ds, i, m->code);
        size_t residents = res[i];
        if (!for_it && residents == 0)
            continue;
        snprintf(n, sizeof n, "%zu", residents);
        const char *cells[] = {s->id,
                               sm_l10n_date_long(s->held_on, date),
                               s_theme_label(ds, ds->session_themes[i], theme, sizeof theme),
                               sm_vocab_show(&SM_VOCAB_METHOD, s->method),
                               for_it ? _("yes") : _("no"),
                               n};
        sm_page_row(pg, cells);
    }
    free(order);
}

/*  The participants part, from the reach figures of the year. */
static void s_page_participants(sm_page_t *pg, const reach_t *r, const sm_muni_t *m,
                                size_t *n_people)
{
    char buf[700], head[160], share[SM_L10N_NUMBER_SIZE], inh[SM_L10N_NUMBER_SIZE];
    snprintf(head, sizeof head, _("Participants from %s"), m->name);
    sm_page_heading(pg, 2, head);
    const reach_municipality_row_t *row = NULL;
    for (size_t i = 0; r && i < r->n_municipalities; i++)
        if (strcmp(r->municipalities[i].name, m->code) == 0)
            row = &r->municipalities[i];
    *n_people = row ? row->participants : 0;
    if (!row) {
        sm_page_para(pg, _("The municipality's inhabitants are not known to reporting yet."));
        return;
    }
    sm_l10n_percent_bp(row->inhabitants_bp, inh);
    if (row->participants == 0) {
        snprintf(buf, sizeof buf,
                 _("No residents of %1$s took part in %2$d, while %1$s has %3$s of the region's "
                   "inhabitants."),
                 m->name, r->year, inh);
        sm_page_para(pg, buf);
        return;
    }
    sm_l10n_percent_bp(row->participants_bp, share);
    snprintf(buf, sizeof buf,
             Q_("%1$zu resident of %2$s took part in %3$d: %4$s of all participants, against "
                "%5$s of the region's inhabitants.",
                "%1$zu different residents of %2$s took part in %3$d: %4$s of all participants, "
                "against %5$s of the region's inhabitants.",
                row->participants),
             row->participants, m->name, r->year, share, inh);
    if (row->ratio_pct >= 0) {
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, " ");
        len = strlen(buf);
        /*  TRANSLATORS: after the shares: 100 means the municipality took
            part in proportion to its inhabitants. */
        snprintf(buf + len, sizeof buf - len,
                 _("That is %lld for every 100 expected from its number of inhabitants."),
                 (long long)row->ratio_pct);
    }
    sm_page_para(pg, buf);
}

/*  The themes of the sessions shown, with their numbers. */
static void s_page_themes(sm_page_t *pg, const dataset_t *ds, const size_t *res,
                          const sm_muni_t *m, int year)
{
    char buf[600], theme[300];
    sm_page_heading(pg, 2, _("Themes"));
    bool any = false;
    for (size_t t = 0; t < ds->n_themes; t++) {
        size_t sessions = 0, residents = 0;
        for (size_t i = 0; i < ds->n_sessions; i++) {
            const reach_session_t *s = &ds->sessions[i];
            if (!s->held || s->held_on.y != year || ds->session_themes[i] != ds->themes[t].number)
                continue;
            size_t r = res[i];
            if (!s_for(ds, i, m->code) && r == 0)
                continue;
            sessions++;
            residents += r;
        }
        if (sessions == 0)
            continue;
        any = true;
        s_theme_label(ds, ds->themes[t].number, theme, sizeof theme);
        snprintf(buf, sizeof buf,
                 Q_("%1$s: %2$zu session, attended %3$zu times by residents of %4$s",
                    "%1$s: %2$zu sessions, attended %3$zu times by residents of %4$s", sessions),
                 theme, sessions, residents, m->name);
        sm_page_item(pg, buf);
    }
    if (!any)
        sm_page_para(pg, _("None."));
}

/*  The reports of the sessions shown. */
static void s_page_reports(sm_page_t *pg, const dataset_t *ds, const size_t *res,
                           const sm_muni_t *m, int year)
{
    char report[32], theme[300];
    sm_page_heading(pg, 2, _("Reports"));
    const char *heads[] = {_("Session"), _("Theme"), _("Report")};
    bool any = false;
    for (size_t i = 0; i < ds->n_sessions; i++) {
        const reach_session_t *s = &ds->sessions[i];
        if (!s->held || s->held_on.y != year ||
            (!s_for(ds, i, m->code) && res[i] == 0))
            continue;
        if (!any)
            sm_page_table(pg, 3, heads);
        any = true;
        char state[200];
        if (ds->session_reports[i] && (s->report_sent || s->report_published)) {
            sm_id_format('R', ds->session_reports[i], report);
            snprintf(state, sizeof state,
                     s->report_sent ? _("%s, published and sent to the participants")
                                    : _("%s, published"),
                     report);
        } else
            snprintf(state, sizeof state, "%s", _("not published yet"));
        const char *cells[] = {s->id, s_theme_label(ds, ds->session_themes[i], theme, sizeof theme),
                               state};
        sm_page_row(pg, cells);
    }
    if (!any)
        sm_page_para(pg, _("None."));
}

/*  The contributions part for year, asking finance. */
static void s_page_contributions(sm_ctx_t *ctx, sm_page_t *pg, const sm_muni_t *m, int year)
{
    char buf[600];
    sm_page_heading(pg, 2, _("Contributions"));
    s_contribution_t *c = calloc(S_ALLOCATIONS_MAX, sizeof *c);
    sm_err_t err;
    sm_err_clear(&err);
    int n = c ? s_contributions(ctx, m->code, year, c, S_ALLOCATIONS_MAX, &err) : -1;
    if (n < 0) {
        snprintf(buf, sizeof buf,
                 _("The contributions could not be fetched from finance (%s); ask again "
                   "later."),
                 c ? err.message : "out of memory");
        sm_page_note(pg, buf);
        free(c);
        return;
    }
    if (n == 0) {
        snprintf(buf, sizeof buf, _("No contributions have been invoiced to %s."), m->name);
        sm_page_para(pg, buf);
        free(c);
        return;
    }
    const char *heads[] = {_("Cost split"), _("Invoice"), _("Contribution"), _("Paid")};
    sm_page_table(pg, 4, heads);
    int64_t invoiced = 0, paid = 0;
    for (int i = 0; i < n; i++) {
        char money[SM_L10N_NUMBER_SIZE], when[200], day[SM_L10N_DATE_SIZE];
        sm_date_t d;
        invoiced += c[i].cents;
        if (c[i].paid) {
            paid += c[i].cents;
            if (sm_date_parse(c[i].paid_on, &d, NULL, NULL) == 0)
                snprintf(when, sizeof when, _("yes, on %s"), sm_l10n_date_long(d, day));
            else
                snprintf(when, sizeof when, "%s", _("yes"));
        } else
            snprintf(when, sizeof when, "%s", _("not yet"));
        const char *cells[] = {c[i].name, c[i].invoice, sm_l10n_money(c[i].cents, money), when};
        sm_page_row(pg, cells);
    }
    char a[SM_L10N_NUMBER_SIZE], b[SM_L10N_NUMBER_SIZE], o[SM_L10N_NUMBER_SIZE];
    snprintf(buf, sizeof buf, _("Invoiced %1$s, paid %2$s, outstanding %3$s."),
             sm_l10n_money(invoiced, a), sm_l10n_money(paid, b), sm_l10n_money(invoiced - paid, o));
    sm_page_para(pg, buf);
    free(c);
}

/* ==== The request ========================================================= */

int op_report_municipality(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *name = sm_arg_str(ctx, "municipality");
    const char *format = sm_arg_str(ctx, "format");
    int64_t year = sm_arg_int(ctx, "year", 0);
    sm_muni_t m;
    if (!format)
        format = "md";
    if (sm_muni_require(ctx, name, "municipality", &m) != 0)
        return -1;
    dataset_t ds;
    if (dataset_load(ctx, &ds, DATASET_PEOPLE) != 0)
        return -1;
    int rc = -1;
    char *text = NULL, title[300];
    reach_input_t in = dataset_reach_input(&ds);
    reach_t *r = reach_compute(&in, (int)year, reporting_settings(ctx)->send_within_days, e);
    snprintf(title, sizeof title, _("What happened with residents of %1$s in %2$d?"), m.name,
             (int)year);
    size_t *res = r ? s_residents(&ds, m.code) : NULL;
    sm_page_t *pg = res ? sm_page_new(title) : NULL;
    if (!pg) {
        if (!sm_err_is_set(e))
            sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
        goto cleanup;
    }
    size_t sessions = 0, people = 0;
    s_page_sessions(pg, &ds, res, &m, (int)year, &sessions);
    s_page_participants(pg, r, &m, &people);
    s_page_themes(pg, &ds, res, &m, (int)year);
    s_page_reports(pg, &ds, res, &m, (int)year);
    s_page_contributions(ctx, pg, &m, (int)year);
    text = sm_page_render(pg, strcmp(format, "html") == 0 ? SM_PAGE_HTML : SM_PAGE_MD);
    if (!text) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory; try again later"));
        goto cleanup;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 6);
    sm_pack_str(pk, "municipality");
    msgpack_pack_map(pk, 2);
    sm_pack_kv_str(pk, "code", m.code);
    sm_pack_kv_str(pk, "name", m.name);
    sm_pack_kv_int(pk, "year", year);
    sm_pack_kv_str(pk, "format", format);
    sm_pack_kv_uint(pk, "sessions", sessions);
    sm_pack_kv_uint(pk, "participants", people);
    sm_pack_kv_str(pk, "text", text);
    rc = 0;
cleanup:
    free(text);
    free(res);
    sm_page_destroy(&pg);
    reach_destroy(&r);
    dataset_free(&ds);
    return rc;
}
