/*  services/site/fetch.c - the public view, through the broker. See fetch.h. */
#include "services/site/fetch.h"
#include "common/i18n.h"
#include "common/log.h"
#include "services/site/calls.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*  Items asked for per page. */
#define S_PAGE 1000
/*  The calendar feed starts this many days back (subscribed calendars
    keep recent history). */
#define S_CALENDAR_DAYS_BACK 90
/*  Years before the first agenda year are never asked for; nor more than
    this many yearly overviews. */
#define S_YEARS_MAX 50

/*  What the callers below need: the client and one request's wait. */
typedef struct {
    sm_client_t *client;
    int timeout_ms;
} s_conn_t;

/*  Ask service for op with args (an encoded map, NULL for none). Returns
    the reply (caller destroys) with *data set, or NULL with err saying
    which service and op failed. */
static sm_doc_t *s_call(const s_conn_t *c, const char *service, const char *op,
                        const sm_buf_t *args, const msgpack_object **data, sm_err_t *err)
{
    sm_err_t e;
    sm_err_clear(&e);
    site_call_check(service, op);
    sm_doc_t *reply = sm_client_call(c->client, service, op, args ? args->sbuf.data : NULL,
                                     args ? args->sbuf.size : 0, NULL, c->timeout_ms, 1, &e);
    if (reply && sm_reply_check(reply, data, &e) == 0 && *data)
        return reply;
    if (!sm_err_is_set(&e))
        sm_err_set(&e, SM_E_INTERNAL, NULL, _("the reply carried no data"));
    sm_err_set(err, e.code, e.field, "%s %s: %s", service, op, e.message);
    sm_doc_destroy(&reply);
    return NULL;
}

/*  Put "SERVICE OP: " before err's message. Returns -1. */
static int s_prefix(sm_err_t *err, const char *service, const char *op)
{
    if (!err)
        return -1;
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    return sm_err_set(err, err->code ? err->code : SM_E_INTERNAL, err->field, "%s %s: %s", service,
                      op, msg);
}

/*  A decoder of one list item into out (services/site/model.h). */
typedef int(s_decode_fn)(const msgpack_object *o, void *out, sm_err_t *err);

/*  Append one item decoded by decode to the growing array *items (*n of
    them, *cap allocated, each size bytes). Returns 0, or -1 with err. */
static int s_append(void **items, size_t *n, size_t *cap, size_t size, const msgpack_object *o,
                    s_decode_fn *decode, sm_err_t *err)
{
    if (*n == *cap) {
        size_t more = *cap ? *cap * 2 : 64;
        void *grown = realloc(*items, more * size);
        if (!grown)
            return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        *items = grown;
        *cap = more;
    }
    if (decode(o, (char *)*items + *n * size, err) != 0)
        return -1;
    (*n)++;
    return 0;
}

/*  Every page of a paged list op ({limit, after} -> {KEY: [...], next}),
    each item decoded by decode into the growing array *items (*n of them,
    each size bytes). Returns 0, or -1 with err. */
static int s_list(const s_conn_t *c, const char *service, const char *op, const char *key,
                  void **items, size_t *n, size_t size, s_decode_fn *decode, sm_err_t *err)
{
    size_t cap = 0;
    char after[SITE_ID_SIZE] = "";
    for (int pages = 0; pages < 100000; pages++) {
        sm_buf_t args;
        sm_buf_init(&args);
        msgpack_pack_map(&args.pk, after[0] ? 2 : 1);
        sm_pack_kv_int(&args.pk, "limit", S_PAGE);
        if (after[0])
            sm_pack_kv_str(&args.pk, "after", after);
        const msgpack_object *data = NULL, *list = NULL;
        sm_doc_t *reply = s_call(c, service, op, &args, &data, err);
        sm_buf_free(&args);
        if (!reply)
            return -1;
        int rc = sm_get_array(data, key, true, &list, err) < 0 ? -1 : 0;
        for (uint32_t i = 0; rc == 0 && i < list->via.array.size; i++)
            rc = s_append(items, n, &cap, size, &list->via.array.ptr[i], decode, err);
        char next[SITE_ID_SIZE] = "";
        if (rc == 0 && sm_get_str(data, "next", false, next, sizeof next, true, err) < 0)
            rc = -1;
        sm_doc_destroy(&reply);
        if (rc != 0)
            return s_prefix(err, service, op);
        if (!next[0] || strcmp(next, after) == 0)
            return 0;
        snprintf(after, sizeof after, "%s", next);
    }
    return sm_err_set(err, SM_E_INTERNAL, NULL, _("%s %s: too many pages"), service, op);
}

/*  The model's decoders with the signature s_list wants. */
static int s_theme_dec(const msgpack_object *o, void *out, sm_err_t *err)
{
    return site_theme_decode(o, out, err);
}
static int s_session_dec(const msgpack_object *o, void *out, sm_err_t *err)
{
    return site_session_decode(o, out, err);
}
static int s_report_dec(const msgpack_object *o, void *out, sm_err_t *err)
{
    return site_report_decode(o, out, err);
}
static int s_outcome_dec(const msgpack_object *o, void *out, sm_err_t *err)
{
    return site_outcome_decode(o, out, err);
}

/*  The text of report r: lent by prev when it has the same version, else
    report.public.get. Returns 0, or -1 with err. */
static int s_report_text(const s_conn_t *c, const site_data_t *prev, site_report_t *r,
                         sm_err_t *err)
{
    for (size_t i = 0; prev && i < prev->n_reports; i++)
        if (strcmp(prev->reports[i].id, r->id) == 0 && prev->reports[i].version == r->version &&
            prev->reports[i].text)
            return (r->text = strdup(prev->reports[i].text))
                       ? 0
                       : sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "report", r->id);
    const msgpack_object *data = NULL;
    sm_doc_t *reply = s_call(c, "reporting", "report.public.get", &args, &data, err);
    sm_buf_free(&args);
    if (!reply)
        return -1;
    site_report_t got;
    int rc = site_report_decode(data, &got, err);
    if (rc == 0 && (!got.text || strcmp(got.id, r->id) != 0)) {
        rc = sm_err_set(err, SM_E_INTERNAL, "report", _("reporting report.public.get: no text"));
        site_report_free(&got);
    }
    if (rc == 0) {
        //  A newer version may have been published between the list and
        //  this request: take what was fetched, it is the newer truth.
        r->version = got.version;
        r->published_on = got.published_on;
        r->text = got.text;
    }
    sm_doc_destroy(&reply);
    return rc;
}

/*  The municipalities' names: finance's, else prev's, else none (codes
    are shown). Can't fail. */
static void s_munis(const s_conn_t *c, const site_data_t *prev, site_data_t *out)
{
    sm_err_t e;
    sm_err_clear(&e);
    const msgpack_object *data = NULL, *list = NULL;
    sm_doc_t *reply = s_call(c, "finance", "municipality.list", NULL, &data, &e);
    if (reply && sm_get_array(data, "municipalities", true, &list, &e) == 1) {
        out->munis = calloc(list->via.array.size ? list->via.array.size : 1, sizeof *out->munis);
        for (uint32_t i = 0; out->munis && i < list->via.array.size; i++)
            if (site_muni_decode(&list->via.array.ptr[i], &out->munis[out->n_munis], &e) == 0)
                out->n_munis++;
    }
    sm_doc_destroy(&reply);
    if (out->n_munis || !prev || !prev->n_munis) {
        if (sm_err_is_set(&e))
            sm_warn("municipality names not fetched; codes are shown", "err=%s", e.code);
        return;
    }
    sm_warn("municipality names not fetched; the previous ones are shown", "err=%s", e.code);
    free(out->munis);
    out->munis = calloc(prev->n_munis, sizeof *out->munis);
    for (size_t i = 0; out->munis && i < prev->n_munis; i++) {
        out->munis[i] = prev->munis[i];
        out->munis[i].name = strdup(prev->munis[i].name);
        if (out->munis[i].name)
            out->n_munis++;
    }
}

/*  The yearly overviews from the first agenda year of any theme to today's
    year; years without a theme to report are left out. Returns 0, or -1. */
static int s_overviews(const s_conn_t *c, sm_date_t today, site_data_t *out, sm_err_t *err)
{
    int first = today.y + 1;
    for (size_t i = 0; i < out->n_themes; i++)
        for (size_t k = 0; k < out->themes[i].n_years; k++)
            if (out->themes[i].years[k] < first)
                first = out->themes[i].years[k];
    if (first < today.y - S_YEARS_MAX + 1)
        first = today.y - S_YEARS_MAX + 1;
    if (first > today.y)
        return 0;
    out->overviews = calloc((size_t)(today.y - first + 1), sizeof *out->overviews);
    if (!out->overviews)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    for (int year = first; year <= today.y; year++) {
        sm_buf_t args;
        sm_buf_init(&args);
        msgpack_pack_map(&args.pk, 2);
        sm_pack_kv_int(&args.pk, "year", year);
        sm_pack_kv_str(&args.pk, "format", "rows");
        const msgpack_object *data = NULL;
        sm_doc_t *reply = s_call(c, "reporting", "report.annual", &args, &data, err);
        sm_buf_free(&args);
        if (!reply)
            return -1;
        site_overview_t *o = &out->overviews[out->n_overviews];
        int rc = site_overview_decode(sm_map_get(data, "data"), year, o, err);
        sm_doc_destroy(&reply);
        if (rc != 0)
            return s_prefix(err, "reporting", "report.annual");
        if (o->n_rows == 0)
            site_overview_free(o);
        else
            out->n_overviews++;
    }
    return 0;
}

/*  The iCalendar feed. Returns 0, or -1 with err. */
static int s_calendar(const s_conn_t *c, sm_date_t today, site_data_t *out, sm_err_t *err)
{
    char from[16];
    sm_date_format(sm_date_add_days(today, -S_CALENDAR_DAYS_BACK), from);
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "from", from);
    const msgpack_object *data = NULL, *text;
    sm_doc_t *reply = s_call(c, "scheduling", "session.calendar", &args, &data, err);
    sm_buf_free(&args);
    if (!reply)
        return -1;
    text = sm_map_get(data, "text");
    int rc = 0;
    if (!text || text->type != MSGPACK_OBJECT_STR || text->via.str.size < 15 ||
        memcmp(text->via.str.ptr, "BEGIN:VCALENDAR", 15) != 0 ||
        memchr(text->via.str.ptr, '\0', text->via.str.size))
        rc = sm_err_set(err, SM_E_INTERNAL, "text",
                        _("scheduling session.calendar: the reply is not an iCalendar document"));
    else if (!(out->calendar = strndup(text->via.str.ptr, text->via.str.size)))
        rc = sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    sm_doc_destroy(&reply);
    return rc;
}

int site_fetch(sm_client_t *client, int timeout_ms, sm_date_t today, const site_data_t *prev,
               site_data_t *out, sm_err_t *err)
{
    s_conn_t c = {client, timeout_ms};
    memset(out, 0, sizeof *out);
    if (s_list(&c, "scheduling", "theme.public.list", "themes", (void **)&out->themes,
               &out->n_themes, sizeof *out->themes, s_theme_dec, err) ||
        s_list(&c, "scheduling", "session.public.list", "sessions", (void **)&out->sessions,
               &out->n_sessions, sizeof *out->sessions, s_session_dec, err) ||
        s_calendar(&c, today, out, err) ||
        s_list(&c, "reporting", "report.public.list", "reports", (void **)&out->reports,
               &out->n_reports, sizeof *out->reports, s_report_dec, err) ||
        s_list(&c, "reporting", "outcome.list", "outcomes", (void **)&out->outcomes,
               &out->n_outcomes, sizeof *out->outcomes, s_outcome_dec, err))
        goto fail;
    for (size_t i = 0; i < out->n_reports; i++)
        if (s_report_text(&c, prev, &out->reports[i], err) != 0)
            goto fail;
    if (s_overviews(&c, today, out, err) != 0)
        goto fail;
    s_munis(&c, prev, out);
    return 0;
fail:
    site_data_free(out);
    return -1;
}
