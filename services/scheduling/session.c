/*  services/scheduling/session.c - sessions: the store and the ops. See session.h. */
#include "session.h"
#include "common/municipalities.h"
#include "common/text.h"
#include "ics.h"
#include "index.h"
#include "registration.h"
#include "settings.h"
#include "theme.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_LIST_DEFAULT 100
#define S_LIST_MAX 1000
#define S_DAY_MS ((int64_t)86400000)

/* ==== The stored record ================================================= */

static void s_pack_items(msgpack_packer *pk, const char *key, const char *items, size_t size,
                         size_t n)
{
    sm_pack_str(pk, key);
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_str(pk, items + i * size);
}

/*  Pack "support_tasks" and the task words of mask. Can't fail. */
static void s_pack_tasks(msgpack_packer *pk, uint32_t mask)
{
    size_t n = 0;
    for (int t = 0; t < TASK_COUNT; t++)
        n += (mask >> t) & 1u;
    sm_pack_str(pk, "support_tasks");
    msgpack_pack_array(pk, n);
    for (int t = 0; t < TASK_COUNT; t++)
        if ((mask >> t) & 1u)
            sm_pack_str(pk, support_task_name((support_task_t)t));
}

/*  Pack an ID field, nil when 0. */
static void s_pack_id(msgpack_packer *pk, const char *key, char letter, uint64_t id)
{
    char buf[24];
    if (id)
        sm_pack_kv_str(pk, key, sm_id_format(letter, id, buf));
    else
        sm_pack_kv_nil(pk, key);
}

/*  Pack s as stored (times as unix ms). Can't fail. */
static void s_encode(const session_rec_t *s, msgpack_packer *pk)
{
    const session_t *c = &s->core;
    char buf[32];
    msgpack_pack_map(pk, 23);
    s_pack_id(pk, "id", 'S', c->id);
    s_pack_id(pk, "theme", 'T', c->theme_id);
    sm_pack_kv_str(pk, "method", method_code(c->method));
    sm_pack_kv_str(pk, "title", s->title);
    sm_pack_kv_str(pk, "question", s->question);
    sm_pack_kv_str(pk, "location", s->location);
    sm_pack_kv_str(pk, "location_kind", location_kind_name(s->location_kind));
    if (c->has_time) {
        sm_pack_kv_int(pk, "start_ms", c->start_ms);
        sm_pack_kv_int(pk, "end_ms", c->end_ms);
        sm_pack_kv_nil(pk, "period");
    } else {
        sm_pack_kv_nil(pk, "start_ms");
        sm_pack_kv_nil(pk, "end_ms");
        sm_pack_kv_str(pk, "period", sm_period_format(&c->period, buf));
    }
    sm_pack_kv_bool(pk, "tentative", c->tentative);
    sm_pack_kv_str(pk, "status", session_status_name(c->status));
    sm_pack_kv_int(pk, "capacity", c->capacity);
    sm_pack_kv_int(pk, "reimbursement_cents", c->reimbursement_cents);
    s_pack_items(pk, "facilitators", &s->facilitators[0][0], SESSION_ITEM_SIZE,
                 s->n_facilitators);
    s_pack_tasks(pk, s->support_tasks);
    s_pack_items(pk, "target_groups", &s->target_groups[0][0], SESSION_ITEM_SIZE,
                 s->n_target_groups);
    s_pack_items(pk, "municipalities", &s->municipalities[0][0], SESSION_MUNI_SIZE,
                 s->n_municipalities);
    s_pack_id(pk, "follow_up_of", 'S', s->follow_up_of);
    s_pack_id(pk, "series", 'S', s->series);
    sm_pack_kv_int(pk, "series_index", s->series_index);
    sm_pack_kv_int(pk, "created_ms", s->created_ms);
    sm_pack_kv_int(pk, "updated_ms", s->updated_ms);
}

/*  Decode a stored session into s. Returns 0, or -1 when corrupt. */
static int s_decode(const MDB_val *v, session_rec_t *s)
{
    memset(s, 0, sizeof *s);
    session_t *c = &s->core;
    sm_doc_t *doc = sm_doc_parse(v->mv_data, v->mv_size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    char method[8], status[16], kind[16], period[32];
    char tasks[TASK_COUNT][SESSION_ITEM_SIZE];
    size_t n_tasks = 0;
    int64_t capacity = 0, series_index = 0;
    int has_start, has_period;
    int rc = -1;
    if (sm_get_id(r, "id", 'S', true, &c->id, NULL) < 0 ||
        sm_get_id(r, "theme", 'T', true, &c->theme_id, NULL) < 0 ||
        sm_get_str(r, "method", true, method, sizeof method, false, NULL) < 0 ||
        method_parse(method, &c->method, "method", NULL) < 0 ||
        sm_get_str(r, "title", false, s->title, sizeof s->title, true, NULL) < 0 ||
        sm_get_str(r, "question", false, s->question, sizeof s->question, true, NULL) < 0 ||
        sm_get_str(r, "location", false, s->location, sizeof s->location, true, NULL) < 0 ||
        sm_get_str(r, "location_kind", false, kind, sizeof kind, true, NULL) < 0 ||
        (has_start = sm_get_int(r, "start_ms", false, INT64_MIN, INT64_MAX, &c->start_ms,
                                NULL)) < 0 ||
        sm_get_int(r, "end_ms", has_start > 0, INT64_MIN, INT64_MAX, &c->end_ms, NULL) < 0 ||
        (has_period = sm_get_str(r, "period", false, period, sizeof period, false, NULL)) < 0 ||
        (has_period && sm_period_parse(period, &c->period, "period", NULL) < 0) ||
        sm_get_bool(r, "tentative", true, &c->tentative, NULL) < 0 ||
        sm_get_str(r, "status", true, status, sizeof status, false, NULL) < 0 ||
        session_status_parse(status, &c->status, "status", NULL) < 0 ||
        sm_get_int(r, "capacity", true, SESSION_CAPACITY_MIN, SESSION_CAPACITY_MAX, &capacity,
                   NULL) < 0 ||
        sm_get_int(r, "reimbursement_cents", true, 0, INT64_MAX, &c->reimbursement_cents, NULL) <
            0 ||
        sm_get_str_array(r, "facilitators", false, &s->facilitators[0][0], SESSION_ITEM_SIZE,
                         SESSION_FACILITATORS_MAX, &s->n_facilitators, NULL) < 0 ||
        sm_get_str_array(r, "support_tasks", false, &tasks[0][0], SESSION_ITEM_SIZE, TASK_COUNT,
                         &n_tasks, NULL) < 0 ||
        support_tasks_parse(&tasks[0][0], SESSION_ITEM_SIZE, n_tasks, &s->support_tasks,
                            "support_tasks", NULL) < 0 ||
        sm_get_str_array(r, "target_groups", false, &s->target_groups[0][0], SESSION_ITEM_SIZE,
                         SESSION_GROUPS_MAX, &s->n_target_groups, NULL) < 0 ||
        sm_get_str_array(r, "municipalities", false, &s->municipalities[0][0],
                         SESSION_MUNI_SIZE, SESSION_MUNIS_MAX, &s->n_municipalities, NULL) < 0 ||
        sm_get_id(r, "follow_up_of", 'S', false, &s->follow_up_of, NULL) < 0 ||
        sm_get_id(r, "series", 'S', false, &s->series, NULL) < 0 ||
        sm_get_int(r, "series_index", false, 0, SERIES_COUNT_MAX, &series_index, NULL) < 0 ||
        sm_get_int(r, "created_ms", false, INT64_MIN, INT64_MAX, &s->created_ms, NULL) < 0 ||
        sm_get_int(r, "updated_ms", false, INT64_MIN, INT64_MAX, &s->updated_ms, NULL) < 0)
        goto done;
    c->has_time = has_start > 0;
    if (!c->has_time && !has_period)
        goto done;
    c->capacity = (int32_t)capacity;
    s->series_index = (int)series_index;
    s->location_kind = LOCATION_NONE;
    if (kind[0] && location_kind_parse(kind, &s->location_kind, "location_kind", NULL) < 0)
        goto done;
    rc = 0;
done:
    sm_doc_destroy(&doc);
    return rc;
}

int session_load(sm_ctx_t *ctx, uint64_t id, session_rec_t *out)
{
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, DB_SESSIONS), id, &v);
    if (rc <= 0)
        return rc;
    if (s_decode(&v, out) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, "session",
                           "the stored session S%" PRIu64 " is corrupt", id);
    return 1;
}

int session_require(sm_ctx_t *ctx, uint64_t id, const char *field, session_rec_t *out)
{
    int rc = session_load(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                           "session S%" PRIu64 " does not exist; see session list", id);
    return 0;
}

int session_each(sm_ctx_t *ctx, session_fn *fn, void *arg)
{
    MDB_cursor *cur;
    MDB_val k, v;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_SESSIONS), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read sessions");
    session_rec_t *s = malloc(sizeof *s);
    if (!s) {
        mdb_cursor_close(cur);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    }
    int result = 0;
    for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && result == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
        if (s_decode(&v, s) == 0)
            result = fn(ctx, s, arg);
    free(s);
    mdb_cursor_close(cur);
    return result;
}

/*  Store s and keep the indexes in step; old is the stored version (NULL
    for a new session). Returns 0 or -1 (ctx error). */
static int s_save(sm_ctx_t *ctx, const session_rec_t *s, const session_rec_t *old)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(s, &b.pk);
    int rc = sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, DB_SESSIONS), s->core.id, &b);
    sm_buf_free(&b);
    if (rc)
        return -1;
    if (!old && index_pair_put(ctx, DB_THEME_SESSIONS, s->core.theme_id, s->core.id))
        return -1;
    for (size_t i = 0; old && i < old->n_facilitators; i++)
        if (index_facilitator_del(ctx, old->facilitators[i], s->core.id))
            return -1;
    for (size_t i = 0; i < s->n_facilitators; i++)
        if (index_facilitator_put(ctx, s->facilitators[i], s->core.id))
            return -1;
    return 0;
}

/* ==== Replies and events ================================================ */

sm_date_t session_held_on(const session_rec_t *s)
{
    return s->core.has_time ? sm_date_of_ms(s->core.start_ms) : s->core.period.from;
}

char *session_when(const session_rec_t *s, char *buf)
{
    const session_t *c = &s->core;
    if (!c->has_time)
        return sm_period_format(&c->period, buf);
    char a[24], b[24];
    sm_datetime_format_local(c->start_ms, a);
    sm_datetime_format_local(c->end_ms, b);
    if (memcmp(a, b, 10) == 0)
        snprintf(buf, SESSION_WHEN_SIZE, "%s-%s", a, b + 11);
    else
        snprintf(buf, SESSION_WHEN_SIZE, "%s - %s", a, b);
    return buf;
}

/*  Pack start/end as UTC instants (or nil) and the period (or nil). */
static void s_pack_times(msgpack_packer *pk, const session_t *c)
{
    char buf[32];
    if (c->has_time) {
        sm_pack_kv_str(pk, "start", sm_datetime_format_utc(c->start_ms, buf));
        sm_pack_kv_str(pk, "end", sm_datetime_format_utc(c->end_ms, buf));
        sm_pack_kv_nil(pk, "period");
    } else {
        sm_pack_kv_nil(pk, "start");
        sm_pack_kv_nil(pk, "end");
        sm_pack_kv_str(pk, "period", sm_period_format(&c->period, buf));
    }
}

void session_pack(msgpack_packer *pk, const session_rec_t *s, long registered, long waitlisted)
{
    const session_t *c = &s->core;
    char buf[SESSION_WHEN_SIZE];
    msgpack_pack_map(pk, registered >= 0 ? 27 : 25);
    s_pack_id(pk, "id", 'S', c->id);
    s_pack_id(pk, "theme", 'T', c->theme_id);
    sm_pack_kv_str(pk, "method", method_code(c->method));
    sm_pack_kv_str(pk, "method_name", method_name(c->method));
    sm_pack_kv_str(pk, "title", s->title);
    sm_pack_kv_str(pk, "question", s->question);
    sm_pack_kv_str(pk, "when", session_when(s, buf));
    s_pack_times(pk, c);
    if (c->has_time) {
        sm_pack_kv_str(pk, "start_local", sm_datetime_format_local(c->start_ms, buf));
        sm_pack_kv_str(pk, "end_local", sm_datetime_format_local(c->end_ms, buf));
    } else {
        sm_pack_kv_nil(pk, "start_local");
        sm_pack_kv_nil(pk, "end_local");
    }
    sm_pack_kv_bool(pk, "tentative", c->tentative);
    sm_pack_kv_str(pk, "status", session_status_name(c->status));
    sm_pack_kv_str(pk, "location", s->location);
    sm_pack_kv_str(pk, "location_kind", location_kind_name(s->location_kind));
    sm_pack_kv_int(pk, "capacity", c->capacity);
    if (registered >= 0) {
        sm_pack_kv_int(pk, "registered", registered);
        sm_pack_kv_int(pk, "waitlisted", waitlisted);
    }
    sm_pack_kv_int(pk, "reimbursement_cents", c->reimbursement_cents);
    s_pack_items(pk, "facilitators", &s->facilitators[0][0], SESSION_ITEM_SIZE,
                 s->n_facilitators);
    s_pack_tasks(pk, s->support_tasks);
    s_pack_items(pk, "target_groups", &s->target_groups[0][0], SESSION_ITEM_SIZE,
                 s->n_target_groups);
    s_pack_items(pk, "municipalities", &s->municipalities[0][0], SESSION_MUNI_SIZE,
                 s->n_municipalities);
    s_pack_id(pk, "follow_up_of", 'S', s->follow_up_of);
    s_pack_id(pk, "series", 'S', s->series);
    if (c->status == SESSION_HELD)
        sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(s), buf));
    else
        sm_pack_kv_nil(pk, "held_on");
}

void session_pack_brief(msgpack_packer *pk, const session_rec_t *s)
{
    char buf[SESSION_WHEN_SIZE];
    msgpack_pack_map(pk, 7);
    s_pack_id(pk, "id", 'S', s->core.id);
    sm_pack_kv_str(pk, "method", method_code(s->core.method));
    sm_pack_kv_str(pk, "method_name", method_name(s->core.method));
    sm_pack_kv_str(pk, "title", s->title);
    sm_pack_kv_str(pk, "when", session_when(s, buf));
    sm_pack_kv_str(pk, "status", session_status_name(s->core.status));
    sm_pack_kv_bool(pk, "tentative", s->core.tentative);
}

/*  scheduling.session.planned / .updated: the catalogue's fields. */
static int s_emit_full(sm_ctx_t *ctx, const char *topic, const session_rec_t *s)
{
    const session_t *c = &s->core;
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 13);
    s_pack_id(pk, "id", 'S', c->id);
    s_pack_id(pk, "theme", 'T', c->theme_id);
    sm_pack_kv_str(pk, "method", method_code(c->method));
    s_pack_times(pk, c);
    sm_pack_kv_bool(pk, "tentative", c->tentative);
    sm_pack_kv_str(pk, "status", session_status_name(c->status));
    sm_pack_kv_int(pk, "capacity", c->capacity);
    sm_pack_kv_int(pk, "reimbursement_cents", c->reimbursement_cents);
    s_pack_items(pk, "target_groups", &s->target_groups[0][0], SESSION_ITEM_SIZE,
                 s->n_target_groups);
    s_pack_items(pk, "municipalities", &s->municipalities[0][0], SESSION_MUNI_SIZE,
                 s->n_municipalities);
    s_pack_id(pk, "follow_up_of", 'S', s->follow_up_of);
    return sm_ctx_event_end(ctx);
}

/*  scheduling.session.confirmed / .held / .cancelled. */
static int s_emit_status(sm_ctx_t *ctx, const char *topic, const session_rec_t *s)
{
    const session_t *c = &s->core;
    bool held = c->status == SESSION_HELD;
    char d[12];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, held ? 5 : 4);
    s_pack_id(pk, "id", 'S', c->id);
    s_pack_id(pk, "theme", 'T', c->theme_id);
    sm_pack_kv_str(pk, "method", method_code(c->method));
    sm_pack_kv_str(pk, "status", session_status_name(c->status));
    if (held)
        sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(s), d));
    return sm_ctx_event_end(ctx);
}

/*  Reply with s and its registration counts. Returns 0 or -1. */
static int s_reply(sm_ctx_t *ctx, const session_rec_t *s)
{
    long reg = 0, wait = 0;
    if (registration_counts(ctx, s, &reg, &wait) != 0)
        return -1;
    session_pack(sm_ctx_reply(ctx), s, reg, wait);
    return 0;
}

/* ==== Reading a request ================================================= */

/*  What a plan or update request asked for beyond the record itself. */
typedef struct {
    bool time_given;       //  start/end or period
    bool capacity_given;
    int64_t capacity;
    bool facilitators_given;
    bool allow_double_booking;
    bool series_given;
    series_spec_t series;
} s_input_t;

/*  Read a list of short text items into rows of SESSION_ITEM_SIZE, trimmed,
    duplicates dropped. Returns 1 present, 0 absent, -1 with err. */
static int s_get_items(const msgpack_object *args, const char *key, char *items, size_t max,
                       size_t *n, bool lower, sm_err_t *e)
{
    int rc = sm_get_str_array(args, key, false, items, SESSION_ITEM_SIZE, max, n, e);
    if (rc <= 0)
        return rc;
    for (size_t i = 0; i < *n; i++) {
        char *it = items + i * SESSION_ITEM_SIZE;
        if (lower)
            target_group_normalise(it);
        else
            sm_trim(it);
        if (!*it)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, key,
                              "field \"%s\" holds an empty item; give words such as "
                              "\"youth\"",
                              key);
    }
    *n = text_list_dedupe(items, SESSION_ITEM_SIZE, *n);
    return 1;
}

/*  Read the time fields into s: start and end together, or period.
    required: one of them must be given. Returns 1 when given, 0 when not,
    -1 with err. */
static int s_get_time(const msgpack_object *args, session_rec_t *s, bool required, sm_err_t *e)
{
    char start[48], end[48], period[48];
    int has_start, has_end, has_period;
    if ((has_start = sm_get_str(args, "start", false, start, sizeof start, false, e)) < 0 ||
        (has_end = sm_get_str(args, "end", false, end, sizeof end, false, e)) < 0 ||
        (has_period = sm_get_str(args, "period", false, period, sizeof period, false, e)) < 0)
        return -1;
    if (has_period && (has_start || has_end))
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "period",
                          "give either an exact start and end, or a period, not both");
    if (has_start != has_end)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, has_start ? "end" : "start",
                          "start and end go together; give both (e.g. 2020-03-12T19:00 and "
                          "2020-03-12T21:00)");
    if (!has_start && !has_period) {
        if (required)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "start",
                              "a session needs an exact start and end (2020-03-12T19:00) or a "
                              "period (2020-03, 2020-Q2, 2019-09-01..2019-11-30)");
        return 0;
    }
    session_t *c = &s->core;
    if (has_start) {
        int64_t a, b;
        if (sm_datetime_parse(start, &a, "start", e) != 0 ||
            sm_datetime_parse(end, &b, "end", e) != 0 || session_check_interval(a, b, e) != 0)
            return -1;
        c->has_time = true;
        c->start_ms = a;
        c->end_ms = b;
        memset(&c->period, 0, sizeof c->period);
    } else {
        sm_period_t p;
        if (sm_period_parse(period, &p, "period", e) != 0)
            return -1;
        c->has_time = false;
        c->start_ms = c->end_ms = 0;
        c->period = p;
    }
    return 1;
}

/*  Read a series rhythm (plan only). Returns 1 given, 0 not, -1 with err. */
static int s_get_series(const msgpack_object *args, series_spec_t *spec, sm_err_t *e)
{
    int64_t per_year = 0, months = 0, weeks = 0, count = 0;
    int a, b, c, d;
    if ((a = sm_get_int(args, "times_a_year", false, INT32_MIN, INT32_MAX, &per_year, e)) < 0 ||
        (b = sm_get_int(args, "every_months", false, INT32_MIN, INT32_MAX, &months, e)) < 0 ||
        (c = sm_get_int(args, "every_weeks", false, INT32_MIN, INT32_MAX, &weeks, e)) < 0 ||
        (d = sm_get_int(args, "count", false, INT32_MIN, INT32_MAX, &count, e)) < 0)
        return -1;
    if (!a && !b && !c && !d)
        return 0;
    if (a + b + c != 1)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, a ? "times_a_year" : "every_months",
                          "a series needs exactly one rhythm: times_a_year, every_months or "
                          "every_weeks, with count");
    if (!d)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "count",
                          "a series needs count: how many meetings in all (e.g. 3)");
    if (a)
        return series_spec_per_year((int)per_year, (int)count, spec, e) == 0 ? 1 : -1;
    spec->count = (int)count;
    spec->every_months = (int)months;
    spec->every_weeks = (int)weeks;
    return series_spec_check(spec, e) == 0 ? 1 : -1;
}

/*  Apply the fields present in args to s. adding: a new session (method
    and time required, defaults applied by the caller). Returns 0, or -1
    with the ctx error set. */
static int s_read(sm_ctx_t *ctx, const msgpack_object *args, session_rec_t *s, bool adding,
                  s_input_t *in)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char method[64], kind[32], tasks[16][SESSION_ITEM_SIZE], munis[SESSION_MUNIS_MAX][101];
    size_t n_tasks = 0, n_munis = 0;
    int64_t capacity = 0, cents = 0;
    int has_method, has_location, has_kind, has_tasks, has_munis, has_cents, has_follow,
        has_fac, has_time, has_capacity, has_series = 0;
    uint64_t follow = 0;
    memset(in, 0, sizeof *in);
    if ((has_method = sm_get_str(args, "method", adding, method, sizeof method, false, e)) < 0 ||
        (has_method && method_parse(method, &s->core.method, "method", e) != 0) ||
        sm_get_str(args, "title", false, s->title, sizeof s->title, true, e) < 0 ||
        sm_get_str(args, "question", false, s->question, sizeof s->question, true, e) < 0 ||
        (has_location = sm_get_str(args, "location", false, s->location, sizeof s->location,
                                   true, e)) < 0 ||
        (has_kind = sm_get_str(args, "location_kind", false, kind, sizeof kind, false, e)) < 0 ||
        (has_kind && location_kind_parse(kind, &s->location_kind, "location_kind", e) != 0) ||
        (has_time = s_get_time(args, s, adding, e)) < 0 ||
        sm_get_bool(args, "tentative", false, &s->core.tentative, e) < 0 ||
        (has_capacity = sm_get_int(args, "capacity", false, INT64_MIN, INT64_MAX, &capacity,
                                   e)) < 0 ||
        (has_capacity && session_check_capacity(capacity, e) != 0) ||
        (has_cents = sm_get_int(args, "reimbursement_cents", false, INT64_MIN, INT64_MAX, &cents,
                                e)) < 0 ||
        (has_cents && session_check_reimbursement(cents, e) != 0) ||
        (has_fac = s_get_items(args, "facilitators", &s->facilitators[0][0],
                               SESSION_FACILITATORS_MAX, &s->n_facilitators, false, e)) < 0 ||
        (has_tasks = sm_get_str_array(args, "support_tasks", false, &tasks[0][0],
                                      SESSION_ITEM_SIZE, 16, &n_tasks, e)) < 0 ||
        (has_tasks && support_tasks_parse(&tasks[0][0], SESSION_ITEM_SIZE, n_tasks,
                                          &s->support_tasks, "support_tasks", e) != 0) ||
        s_get_items(args, "target_groups", &s->target_groups[0][0], SESSION_GROUPS_MAX,
                    &s->n_target_groups, true, e) < 0 ||
        (has_munis = sm_get_str_array(args, "municipalities", false, &munis[0][0],
                                      sizeof munis[0], SESSION_MUNIS_MAX, &n_munis, e)) < 0 ||
        (has_follow = sm_get_id(args, "follow_up_of", 'S', false, &follow, e)) < 0 ||
        sm_get_bool(args, "allow_double_booking", false, &in->allow_double_booking, e) < 0)
        return -1;
    if (adding && (has_series = s_get_series(args, &in->series, e)) < 0)
        return -1;
    in->series_given = has_series > 0;
    in->capacity_given = has_capacity > 0;
    in->time_given = has_time > 0;
    in->facilitators_given = has_fac > 0;
    in->capacity = capacity;
    if (in->capacity_given && adding)
        s->core.capacity = (int32_t)capacity;
    if (has_cents)
        s->core.reimbursement_cents = cents;
    //  A place without a kind is an address; no place, no kind.
    if (has_location && !has_kind)
        s->location_kind = s->location[0] ? (s->location_kind == LOCATION_NONE
                                                 ? LOCATION_ADDRESS
                                                 : s->location_kind)
                                          : LOCATION_NONE;
    if (has_munis) {
        s->n_municipalities = 0;
        for (size_t i = 0; i < n_munis; i++) {
            sm_muni_t m;
            if (sm_muni_require(ctx, munis[i], "municipalities", &m) != 0)
                return -1;
            snprintf(s->municipalities[s->n_municipalities++], SESSION_MUNI_SIZE, "%s", m.code);
        }
        s->n_municipalities = text_list_dedupe(&s->municipalities[0][0], SESSION_MUNI_SIZE,
                                               s->n_municipalities);
    }
    if (has_follow) {
        session_rec_t other;
        if (follow == s->core.id && s->core.id)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "follow_up_of",
                               "a session cannot follow up on itself; give an earlier session");
        if (session_require(ctx, follow, "follow_up_of", &other) != 0)
            return -1;
        s->follow_up_of = follow;
    }
    return 0;
}

/*  Refuse when one of s's facilitators is already booked at the same time
    (unless allowed). Returns 0, or -1 with the ctx error set. */
static int s_check_facilitators(sm_ctx_t *ctx, const session_rec_t *s)
{
    if (!s->core.has_time || s->core.status == SESSION_CANCELLED)
        return 0;
    for (size_t f = 0; f < s->n_facilitators; f++) {
        uint64_t *ids = NULL;
        long n = index_facilitator_list(ctx, s->facilitators[f], &ids);
        if (n < 0)
            return -1;
        session_t *others = malloc(((size_t)n + 1) * sizeof *others);
        if (!others) {
            free(ids);
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        }
        size_t k = 0;
        int rc = 0;
        for (long i = 0; i < n && rc == 0; i++) {
            session_rec_t o;
            int got = ids[i] == s->core.id ? 0 : session_load(ctx, ids[i], &o);
            if (got < 0)
                rc = -1;
            else if (got > 0)
                others[k++] = o.core;
        }
        if (rc == 0)
            rc = session_check_facilitator(s->facilitators[f], s->core.start_ms, s->core.end_ms,
                                           s->core.id, others, k, sm_ctx_err(ctx));
        free(others);
        free(ids);
        if (rc != 0) {
            if (strcmp(sm_ctx_err(ctx)->code, SM_E_CONFLICT) == 0) {
                //  Say how to go ahead anyway: sometimes one person does run
                //  two things at once (an online survey next to a meeting).
                size_t len = strlen(sm_ctx_err(ctx)->message);
                snprintf(sm_ctx_err(ctx)->message + len, sizeof sm_ctx_err(ctx)->message - len,
                         "; pick another time or facilitator, or pass allow_double_booking");
            }
            return -1;
        }
    }
    return 0;
}

/* ==== Plan ============================================================== */

static const char *s_plan_keys[] = {"theme",         "method",       "title",
                                    "question",      "start",        "end",
                                    "period",        "tentative",    "location",
                                    "location_kind", "capacity",     "reimbursement_cents",
                                    "facilitators",  "support_tasks", "target_groups",
                                    "municipalities", "follow_up_of", "allow_double_booking",
                                    "times_a_year",  "every_months", "every_weeks",
                                    "count",         NULL};

/*  Check, number, store and announce (.planned) one new session s.
    Returns 0 or -1 (ctx error). */
static int s_plan_one(sm_ctx_t *ctx, session_rec_t *s, const s_input_t *in)
{
    if (session_validate(&s->core, sm_ctx_err(ctx)) != 0)
        return -1;
    if (!(s->core.id = sm_ctx_next_id(ctx, 'S')))
        return -1;
    if (!in->allow_double_booking && s_check_facilitators(ctx, s) != 0)
        return -1;
    if (s_save(ctx, s, NULL) != 0 || s_emit_full(ctx, "scheduling.session.planned", s) != 0)
        return -1;
    return 0;
}

/*  session.plan: one session, or every occurrence of a series. Returns 0,
    or -1 with the ctx error naming the field; nothing is stored then. */
int op_session_plan(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const settings_t *cfg = settings_of(ctx);
    session_rec_t s;
    s_input_t in;
    theme_t theme;
    uint64_t theme_id = 0;
    memset(&s, 0, sizeof s);
    s.core.status = SESSION_PLANNED;
    s.core.capacity = (int32_t)cfg->default_capacity;
    s.core.reimbursement_cents = cfg->default_reimbursement_cents;
    if (sm_check_keys(args, s_plan_keys, e) || sm_get_id(args, "theme", 'T', true, &theme_id, e) < 0)
        return -1;
    if (theme_require(ctx, theme_id, "theme", &theme) != 0)
        return -1;
    if (theme.status == THEME_DROPPED || theme.status == THEME_COMPLETED)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "theme",
                           "theme T%" PRIu64 " is %s; set it active (theme update --status "
                           "active) before planning sessions for it",
                           theme_id, theme_status_name(theme.status));
    s.core.theme_id = theme_id;
    if (s_read(ctx, args, &s, true, &in) != 0 || session_validate(&s.core, e) != 0)
        return -1;
    s.created_ms = s.updated_ms = sm_ctx_now_ms(ctx);
    if (!in.series_given) {
        if (s_plan_one(ctx, &s, &in) != 0)
            return -1;
        return s_reply(ctx, &s);
    }
    //  A series: every occurrence is a session of its own, linked to the first.
    int n = in.series.count;
    occurrence_t *times = calloc((size_t)n, sizeof *times);
    sm_period_t *periods = calloc((size_t)n, sizeof *periods);
    uint64_t *ids = calloc((size_t)n, sizeof *ids);
    session_rec_t first;
    int rc = -1;
    memset(&first, 0, sizeof first);
    if (!times || !periods || !ids) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        goto cleanup;
    }
    if ((s.core.has_time ? session_series(s.core.start_ms, s.core.end_ms, &in.series, times,
                                          (size_t)n, e)
                         : session_series_periods(&s.core.period, &in.series, periods, (size_t)n,
                                                  e)) < 0)
        goto cleanup;
    for (int k = 0; k < n; k++) {
        session_rec_t occ = s;
        if (occ.core.has_time) {
            occ.core.start_ms = times[k].start_ms;
            occ.core.end_ms = times[k].end_ms;
        } else
            occ.core.period = periods[k];
        occ.series = k ? ids[0] : 0;
        occ.series_index = k + 1;
        if (k == 0) {
            //  The first meeting's own ID names the series: allocate it
            //  first, then store it knowing its series.
            if (session_validate(&occ.core, e) != 0 || !(occ.core.id = sm_ctx_next_id(ctx, 'S')))
                goto cleanup;
            occ.series = occ.core.id;
            if ((!in.allow_double_booking && s_check_facilitators(ctx, &occ) != 0) ||
                s_save(ctx, &occ, NULL) != 0 ||
                s_emit_full(ctx, "scheduling.session.planned", &occ) != 0)
                goto cleanup;
            first = occ;
        } else if (s_plan_one(ctx, &occ, &in) != 0) {
            goto cleanup;
        }
        ids[k] = occ.core.id;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    //  The first meeting, with the IDs of all of them.
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "session");
    session_pack(pk, &first, 0, 0);
    sm_pack_str(pk, "occurrences");
    msgpack_pack_array(pk, (size_t)n);
    for (int k = 0; k < n; k++) {
        char id[24];
        sm_pack_str(pk, sm_id_format('S', ids[k], id));
    }
    rc = 0;
cleanup:
    free(times);
    free(periods);
    free(ids);
    return rc;
}

/* ==== Update ============================================================ */

int op_session_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"session",       "method",        "title",
                                 "question",      "start",         "end",
                                 "period",        "tentative",     "location",
                                 "location_kind", "capacity",      "reimbursement_cents",
                                 "facilitators",  "support_tasks", "target_groups",
                                 "municipalities", "follow_up_of", "allow_double_booking",
                                 NULL};
    //  What may still change once a session is held: its description.
    static const char *after_held[] = {"session",       "title",         "question", "location",
                                       "location_kind", "support_tasks", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = 0;
    session_rec_t old, s;
    s_input_t in;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "session", 'S', true, &id, e) < 0 ||
        session_require(ctx, id, "session", &old) != 0)
        return -1;
    if (old.core.status == SESSION_CANCELLED)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "session",
                           "session S%" PRIu64 " is cancelled; it cannot be changed (plan a new "
                           "session instead)",
                           id);
    if (old.core.status == SESSION_HELD && sm_check_keys(args, after_held, e) != 0) {
        char field[64];
        snprintf(field, sizeof field, "%s", e->field);
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, field,
                           "session S%" PRIu64 " has already been held; only its title, "
                           "question, location, location_kind and support_tasks can still "
                           "change",
                           id);
    }
    s = old;
    if (s_read(ctx, args, &s, false, &in) != 0)
        return -1;
    if (in.time_given && session_transition_check(&old.core, SESSION_RESCHEDULE, e) != 0)
        return -1;
    if (s.core.status == SESSION_CONFIRMED && !s.core.has_time)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "period",
                           "session S%" PRIu64 " is confirmed, so it keeps an exact start and "
                           "end; give start and end instead of a period",
                           id);
    if (in.capacity_given)
        s.core.capacity = (int32_t)in.capacity;
    if (session_validate(&s.core, e) != 0)
        return -1;
    if ((in.time_given || in.facilitators_given) && !in.allow_double_booking &&
        s_check_facilitators(ctx, &s) != 0)
        return -1;
    s.updated_ms = sm_ctx_now_ms(ctx);
    if (s_save(ctx, &s, &old) != 0 || s_emit_full(ctx, "scheduling.session.updated", &s) != 0)
        return -1;
    //  After .updated, so a subscriber sees the new capacity before the
    //  promotions it allowed.
    if (in.capacity_given && in.capacity != old.core.capacity &&
        registration_set_capacity(ctx, &old, in.capacity) != 0)
        return -1;
    return s_reply(ctx, &s);
}

/* ==== Confirm, hold, cancel ============================================= */

/*  The shared shape of the three status changes. */
static int s_transition(sm_ctx_t *ctx, const msgpack_object *args, session_action_t action,
                        const char *topic)
{
    static const char *keys[] = {"session", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = 0;
    session_rec_t old, s;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "session", 'S', true, &id, e) < 0 ||
        session_require(ctx, id, "session", &old) != 0 ||
        session_transition_check(&old.core, action, e) != 0)
        return -1;
    if (action == SESSION_HOLD) {
        //  Recording a meeting as held before its day is a typo in the ID.
        sm_date_t on = session_held_on(&old), today = sm_date_today();
        if (sm_date_cmp(on, today) > 0) {
            char a[12], b[12];
            return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "session",
                               "session S%" PRIu64 " takes place on %s, after today (%s); "
                               "record it as held on or after that day",
                               id, sm_date_format(on, a), sm_date_format(today, b));
        }
    }
    s = old;
    session_apply(&s.core, action);
    s.updated_ms = sm_ctx_now_ms(ctx);
    if (s_save(ctx, &s, &old) != 0 || s_emit_status(ctx, topic, &s) != 0)
        return -1;
    return s_reply(ctx, &s);
}

/*  session.confirm. Returns 0, or -1 saying why not. */
int op_session_confirm(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_transition(ctx, args, SESSION_CONFIRM, "scheduling.session.confirmed");
}

/*  session.hold. Returns 0, or -1 saying why not. */
int op_session_hold(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_transition(ctx, args, SESSION_HOLD, "scheduling.session.held");
}

/*  session.cancel. Returns 0, or -1 saying why not. */
int op_session_cancel(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_transition(ctx, args, SESSION_CANCEL, "scheduling.session.cancelled");
}

/* ==== Reading =========================================================== */

int op_session_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"session", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = 0;
    session_rec_t s;
    if (sm_check_keys(args, keys, e) || sm_get_id(args, "session", 'S', true, &id, e) < 0 ||
        session_require(ctx, id, "session", &s) != 0)
        return -1;
    return s_reply(ctx, &s);
}

/*  The filters of session.list and session.calendar. */
typedef struct {
    uint64_t theme, after;
    session_status_t status;
    bool has_status, has_from, has_to;
    sm_date_t from, to;
} s_filter_t;

/*  Read the filters. Returns 0, or -1 with err. from and to take a date or
    any period (its first / last day). */
static int s_get_filter(const msgpack_object *args, s_filter_t *f, sm_err_t *e)
{
    char status[32], from[48], to[48];
    int has_status, has_from, has_to;
    sm_period_t p;
    memset(f, 0, sizeof *f);
    if (sm_get_id(args, "theme", 'T', false, &f->theme, e) < 0 ||
        (has_status = sm_get_str(args, "status", false, status, sizeof status, false, e)) < 0 ||
        (has_status && session_status_parse(status, &f->status, "status", e) != 0) ||
        (has_from = sm_get_str(args, "from", false, from, sizeof from, false, e)) < 0 ||
        (has_from && sm_period_parse(from, &p, "from", e) != 0))
        return -1;
    if (has_from)
        f->from = p.from;
    if ((has_to = sm_get_str(args, "to", false, to, sizeof to, false, e)) < 0 ||
        (has_to && sm_period_parse(to, &p, "to", e) != 0))
        return -1;
    if (has_to)
        f->to = p.to;
    if (has_from && has_to && sm_date_cmp(f->from, f->to) > 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "to",
                          "to is before from; give a later end of the range");
    f->has_status = has_status > 0;
    f->has_from = has_from > 0;
    f->has_to = has_to > 0;
    return 0;
}

/*  True when s passes the filter (theme is checked by the caller). */
static bool s_wanted(const session_rec_t *s, const s_filter_t *f)
{
    const session_t *c = &s->core;
    if (f->has_status && c->status != f->status)
        return false;
    sm_date_t first, last;
    if (c->has_time) {
        first = sm_date_of_ms(c->start_ms);
        last = sm_date_of_ms(c->end_ms - 1);
    } else {
        first = c->period.from;
        last = c->period.to;
    }
    if (f->has_from && sm_date_cmp(last, f->from) < 0)
        return false;
    if (f->has_to && sm_date_cmp(first, f->to) > 0)
        return false;
    return true;
}

/*  The IDs of the sessions matching f, in id order, at most max (0 = all)
    into *out (malloc'd). Returns the count or -1 (ctx error). */
static long s_find(sm_ctx_t *ctx, const s_filter_t *f, size_t max, uint64_t **out)
{
    uint64_t *cand = NULL;
    long n;
    *out = NULL;
    if (f->theme) {
        n = index_pair_list(ctx, DB_THEME_SESSIONS, f->theme, &cand);
        if (n < 0)
            return -1;
    } else {
        MDB_cursor *cur;
        MDB_val k, v;
        MDB_stat st;
        if (mdb_stat(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_SESSIONS), &st) != 0 ||
            mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB_SESSIONS), &cur) != 0)
            return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, "cannot read sessions");
        cand = malloc((st.ms_entries + 1) * sizeof *cand);
        if (!cand) {
            mdb_cursor_close(cur);
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        }
        n = 0;
        uint8_t start[8];
        sm_key_u64(f->after + 1, start);
        k.mv_size = 8;
        k.mv_data = start;
        for (int rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
             rc == 0 && (size_t)n < st.ms_entries; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
            if (k.mv_size == 8)
                cand[n++] = sm_key_u64_decode(k.mv_data);
        mdb_cursor_close(cur);
    }
    long kept = 0;
    for (long i = 0; i < n && (max == 0 || (size_t)kept < max); i++) {
        session_rec_t s;
        if (cand[i] <= f->after)
            continue;
        int rc = session_load(ctx, cand[i], &s);
        if (rc < 0) {
            free(cand);
            return -1;
        }
        if (rc > 0 && s_wanted(&s, f))
            cand[kept++] = cand[i];
    }
    *out = cand;
    return kept;
}

/*  session.list: one page in ID order with registration counts. Returns 0
    or -1. */
int op_session_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"theme", "status", "from", "to", "limit", "after", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    s_filter_t f;
    uint64_t limit = S_LIST_DEFAULT;
    if (sm_check_keys(args, keys, e) || s_get_filter(args, &f, e) != 0 ||
        sm_get_uint(args, "limit", false, S_LIST_MAX, &limit, e) < 0 ||
        sm_get_id(args, "after", 'S', false, &f.after, e) < 0)
        return -1;
    if (limit == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "limit",
                           "field \"limit\" must be from 1 to %d", S_LIST_MAX);
    uint64_t *ids = NULL;
    long n = s_find(ctx, &f, (size_t)limit + 1, &ids);
    if (n < 0)
        return -1;
    bool more = (uint64_t)n > limit;
    if (more)
        n = (long)limit;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "sessions");
    msgpack_pack_array(pk, (size_t)n);
    int rc = 0;
    for (long i = 0; i < n; i++) {
        session_rec_t s;
        long reg = 0, wait = 0;
        if (session_load(ctx, ids[i], &s) <= 0 || registration_counts(ctx, &s, &reg, &wait)) {
            rc = -1;
            break;
        }
        session_pack(pk, &s, reg, wait);
    }
    if (more)
        s_pack_id(pk, "next", 'S', ids[n - 1]);
    else
        sm_pack_kv_nil(pk, "next");
    free(ids);
    return rc;
}

/*  session.calendar: the matching sessions with an exact time as one
    VCALENDAR. Returns 0, or -1 (resource_exhausted when too large). */
int op_session_calendar(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"theme", "status", "from", "to", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    s_filter_t f;
    if (sm_check_keys(args, keys, e) || s_get_filter(args, &f, e) != 0)
        return -1;
    uint64_t *ids = NULL;
    long n = s_find(ctx, &f, 0, &ids);
    if (n < 0)
        return -1;
    session_rec_t *recs = malloc(((size_t)n + 1) * sizeof *recs);
    session_t *cores = malloc(((size_t)n + 1) * sizeof *cores);
    //  The themes' titles for the entries' summaries: each theme loaded
    //  once, when its first session comes (a calendar has few themes).
    theme_t *themes = calloc((size_t)n + 1, sizeof *themes);
    size_t n_themes = 0;
    const char **titles = calloc((size_t)n + 1, sizeof *titles);
    char *text = NULL;
    int rc = -1;
    size_t k = 0;
    if (!recs || !cores || !themes || !titles) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        goto cleanup;
    }
    for (long i = 0; i < n; i++) {
        session_rec_t *s = &recs[k];
        if (session_load(ctx, ids[i], s) <= 0)
            goto cleanup;
        if (!s->core.has_time)
            continue; //  a calendar needs a time
        cores[k] = s->core;
        cores[k].title = s->title;
        cores[k].location = s->location;
        cores[k].question = s->question;
        size_t t = 0;
        while (t < n_themes && themes[t].id != s->core.theme_id)
            t++;
        if (t == n_themes && theme_load(ctx, s->core.theme_id, &themes[t]) > 0)
            n_themes++;
        if (t < n_themes)
            titles[k] = themes[t].title;
        k++;
    }
    if (!(text = ics_render(cores, titles, k, sm_ctx_now_ms(ctx), e)))
        goto cleanup;
    size_t len = strlen(text);
    if ((int64_t)len > settings_of(ctx)->document_max_bytes) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, "from",
                    "the calendar would be %zu bytes, more than the %lld a reply may carry; "
                    "narrow it with from and to, theme or status",
                    len, (long long)settings_of(ctx)->document_max_bytes);
        goto cleanup;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "format", "ics");
    sm_pack_kv_uint(pk, "events", k);
    sm_pack_kv_str(pk, "text", text);
    rc = 0;
cleanup:
    free(text);
    free(titles);
    free(themes);
    free(cores);
    free(recs);
    free(ids);
    return rc;
}
