/*  services/scheduling/session.c - sessions: the store and the ops. See session.h. */
#include "session.h"
#include "common/i18n.h"
#include "common/municipalities.h"
#include "common/text.h"
#include "common/vocab.h"
#include "ics.h"
#include "registration.h"
#include "settings.h"
#include "store.h"
#include "theme.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_LIST_DEFAULT 100

/* ==== The stored record ================================================= */

void session_pack_items(msgpack_packer *pk, const char *key, const char *items, size_t size,
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

/*  Pack "register_by", the registration deadline: "YYYY-MM-DD", or nil
    when it has none. */
static void s_pack_deadline(msgpack_packer *pk, const session_t *c)
{
    sm_rec_pack_date(pk, "register_by", c->registration_deadline.y != 0, c->registration_deadline);
}

/*  Pack s as stored (times as unix ms). Can't fail. */
static void s_encode(const session_rec_t *s, msgpack_packer *pk)
{
    const session_t *c = &s->core;
    char buf[32];
    msgpack_pack_map(pk, 24);
    sm_rec_pack_id(pk, "id", 'S', c->id);
    sm_rec_pack_id(pk, "theme", 'T', c->theme_id);
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
    session_pack_items(pk, "facilitators", &s->facilitators[0][0], SESSION_ITEM_SIZE,
                       s->n_facilitators);
    s_pack_tasks(pk, s->support_tasks);
    session_pack_items(pk, "target_groups", &s->target_groups[0][0], SESSION_ITEM_SIZE,
                       s->n_target_groups);
    session_pack_items(pk, "municipalities", &s->municipalities[0][0], SESSION_MUNI_SIZE,
                       s->n_municipalities);
    sm_rec_pack_id(pk, "follow_up_of", 'S', s->follow_up_of);
    sm_rec_pack_id(pk, "series", 'S', s->series);
    sm_pack_kv_int(pk, "series_index", s->series_index);
    sm_pack_kv_int(pk, "created_ms", s->created_ms);
    sm_pack_kv_int(pk, "updated_ms", s->updated_ms);
    s_pack_deadline(pk, c);
}

/*  Decode the stored session r into s. Returns 0, or -1 when it is damaged. */
static int s_decode(const msgpack_object *r, session_rec_t *s)
{
    memset(s, 0, sizeof *s);
    session_t *c = &s->core;
    char method[8], status[16], kind[16], period[48];
    char tasks[TASK_COUNT][SESSION_ITEM_SIZE];
    size_t n_tasks = 0;
    c->id = sm_rec_id(r, "id", 'S');
    c->theme_id = sm_rec_id(r, "theme", 'T');
    sm_rec_str(r, "title", s->title, sizeof s->title);
    sm_rec_str(r, "question", s->question, sizeof s->question);
    sm_rec_str(r, "location", s->location, sizeof s->location);
    const msgpack_object *start = sm_map_get(r, "start_ms");
    c->has_time = start && (start->type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
                            start->type == MSGPACK_OBJECT_NEGATIVE_INTEGER);
    c->start_ms = sm_rec_int(r, "start_ms", 0);
    c->end_ms = sm_rec_int(r, "end_ms", 0);
    c->tentative = sm_rec_bool(r, "tentative", false);
    c->capacity = (int32_t)sm_rec_int(r, "capacity", SESSION_CAPACITY_MIN);
    c->reimbursement_cents = sm_rec_int(r, "reimbursement_cents", 0);
    //  Absent (nil, or stored before deadlines existed): none.
    if (!sm_rec_date(r, "register_by", &c->registration_deadline))
        c->registration_deadline = (sm_date_t){0, 0, 0};
    s->follow_up_of = sm_rec_id(r, "follow_up_of", 'S');
    s->series = sm_rec_id(r, "series", 'S');
    s->series_index = (int)sm_rec_int(r, "series_index", 0);
    s->created_ms = sm_rec_int(r, "created_ms", 0);
    s->updated_ms = sm_rec_int(r, "updated_ms", 0);
    sm_rec_str(r, "location_kind", kind, sizeof kind);
    if (!c->id || !c->theme_id ||
        method_parse(sm_rec_str(r, "method", method, sizeof method), &c->method, "method",
                     NULL) < 0 ||
        session_status_parse(sm_rec_str(r, "status", status, sizeof status), &c->status,
                             "status", NULL) < 0 ||
        (!c->has_time && sm_period_parse(sm_rec_str(r, "period", period, sizeof period),
                                         &c->period, "period", NULL) < 0) ||
        (kind[0] && location_kind_parse(kind, &s->location_kind, "location_kind", NULL) < 0) ||
        sm_get_str_array(r, "facilitators", false, &s->facilitators[0][0], SESSION_ITEM_SIZE,
                         SESSION_FACILITATORS_MAX, &s->n_facilitators, NULL) < 0 ||
        sm_get_str_array(r, "support_tasks", false, &tasks[0][0], SESSION_ITEM_SIZE, TASK_COUNT,
                         &n_tasks, NULL) < 0 ||
        support_tasks_parse(&tasks[0][0], SESSION_ITEM_SIZE, n_tasks, &s->support_tasks,
                            "support_tasks", NULL) < 0 ||
        sm_get_str_array(r, "target_groups", false, &s->target_groups[0][0], SESSION_ITEM_SIZE,
                         SESSION_GROUPS_MAX, &s->n_target_groups, NULL) < 0 ||
        sm_get_str_array(r, "municipalities", false, &s->municipalities[0][0],
                         SESSION_MUNI_SIZE, SESSION_MUNIS_MAX, &s->n_municipalities, NULL) < 0)
        return -1;
    return 0;
}

/*  Decode the session S<id> stored in d into out, then keep d in *doc
    (when doc is not NULL; caller destroys) or destroy it. Returns 1, or -1
    with the ctx error set when the record is damaged. */
static int s_take(sm_ctx_t *ctx, uint64_t id, sm_doc_t *d, session_rec_t *out, sm_doc_t **doc)
{
    int rc = 1;
    if (s_decode(sm_doc_root(d), out) != 0)
        rc = sm_ctx_fail(ctx, SM_E_INTERNAL, "session",
                         _("the stored session S%" PRIu64 " is damaged"), id);
    if (rc > 0 && doc)
        *doc = d;
    else
        sm_doc_destroy(&d);
    return rc;
}

int session_load(sm_ctx_t *ctx, uint64_t id, session_rec_t *out)
{
    sm_doc_t *d = NULL;
    int rc = sm_rec_get(ctx, DB_SESSIONS, id, &d);
    return rc <= 0 ? rc : s_take(ctx, id, d, out, NULL);
}

/*  Load S<id> into out and its stored map into *doc (as s_take), refusing
    an unknown one with not_found naming field. Returns 0 or -1. */
static int s_require(sm_ctx_t *ctx, uint64_t id, const char *field, session_rec_t *out,
                     sm_doc_t **doc)
{
    sm_doc_t *d = NULL;
    if (sm_rec_require(ctx, DB_SESSIONS, 'S', id, field, N_("session"), "session list", &d) != 0)
        return -1;
    return s_take(ctx, id, d, out, doc) < 0 ? -1 : 0;
}

int session_require(sm_ctx_t *ctx, uint64_t id, const char *field, session_rec_t *out)
{
    return s_require(ctx, id, field, out, NULL);
}

typedef struct {
    session_fn *fn;
    void *arg;
    session_rec_t *s; //  one at a time, on the heap (about 12 KiB)
} s_each_t;

/*  sm_rec_scan visitor: load one session and hand it to the caller's fn. */
static int s_each_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_each_t *each = arg;
    int rc = session_load(ctx, id, each->s);
    if (rc <= 0)
        return rc;
    rc = each->fn(ctx, each->s, each->arg);
    return rc < 0 ? -1 : rc;
}

int session_each(sm_ctx_t *ctx, session_fn *fn, void *arg)
{
    s_each_t each = {fn, arg, malloc(sizeof(session_rec_t))};
    if (!each.s)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = sm_rec_scan(ctx, DB_SESSIONS, 0, s_each_one, &each);
    free(each.s);
    return rc;
}

/*  The facilitator index's prefix for f: lower-cased, then a NUL. Returns
    its length. */
static size_t s_facilitator_key(const char *f, uint8_t out[SESSION_ITEM_SIZE + 1])
{
    size_t n = 0;
    for (; f[n] && n < SESSION_ITEM_SIZE; n++)
        out[n] = (uint8_t)((f[n] >= 'A' && f[n] <= 'Z') ? f[n] - 'A' + 'a' : f[n]);
    out[n++] = 0;
    return n;
}

/*  Store s and keep the indexes in step; old is the stored version (NULL
    for a new session) and old_doc its stored map, merged so that a field
    this version does not know survives. Returns 0 or -1 (ctx error). */
static int s_save(sm_ctx_t *ctx, const session_rec_t *s, const session_rec_t *old,
                  const sm_doc_t *old_doc)
{
    uint64_t id = s->core.id;
    uint8_t k[SESSION_ITEM_SIZE + 1];
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(s, &b.pk);
    int rc = old_doc ? sm_rec_update(ctx, DB_SESSIONS, id, sm_doc_root(old_doc), &b, NULL)
                     : sm_rec_put(ctx, DB_SESSIONS, id, &b);
    sm_buf_free(&b);
    if (rc)
        return -1;
    sm_key_pair(s->core.theme_id, 0, k);
    if (!old && sm_idx_put(ctx, DB_THEME_SESSIONS, k, 8, id))
        return -1;
    for (size_t i = 0; old && i < old->n_facilitators; i++)
        if (sm_idx_del(ctx, DB_FACILITATOR_SESSIONS, k,
                       s_facilitator_key(old->facilitators[i], k), id))
            return -1;
    for (size_t i = 0; i < s->n_facilitators; i++)
        if (sm_idx_put(ctx, DB_FACILITATOR_SESSIONS, k, s_facilitator_key(s->facilitators[i], k),
                       id))
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
    msgpack_pack_map(pk, registered >= 0 ? 28 : 26);
    sm_rec_pack_id(pk, "id", 'S', c->id);
    sm_rec_pack_id(pk, "theme", 'T', c->theme_id);
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
    session_pack_items(pk, "facilitators", &s->facilitators[0][0], SESSION_ITEM_SIZE,
                       s->n_facilitators);
    s_pack_tasks(pk, s->support_tasks);
    session_pack_items(pk, "target_groups", &s->target_groups[0][0], SESSION_ITEM_SIZE,
                       s->n_target_groups);
    session_pack_items(pk, "municipalities", &s->municipalities[0][0], SESSION_MUNI_SIZE,
                       s->n_municipalities);
    sm_rec_pack_id(pk, "follow_up_of", 'S', s->follow_up_of);
    sm_rec_pack_id(pk, "series", 'S', s->series);
    if (c->status == SESSION_HELD)
        sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(s), buf));
    else
        sm_pack_kv_nil(pk, "held_on");
    s_pack_deadline(pk, c);
}

void session_pack_brief(msgpack_packer *pk, const session_rec_t *s)
{
    char buf[SESSION_WHEN_SIZE];
    msgpack_pack_map(pk, 7);
    sm_rec_pack_id(pk, "id", 'S', s->core.id);
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
    msgpack_pack_map(pk, 14);
    sm_rec_pack_id(pk, "id", 'S', c->id);
    sm_rec_pack_id(pk, "theme", 'T', c->theme_id);
    sm_pack_kv_str(pk, "method", method_code(c->method));
    s_pack_times(pk, c);
    sm_pack_kv_bool(pk, "tentative", c->tentative);
    sm_pack_kv_str(pk, "status", session_status_name(c->status));
    sm_pack_kv_int(pk, "capacity", c->capacity);
    sm_pack_kv_int(pk, "reimbursement_cents", c->reimbursement_cents);
    session_pack_items(pk, "target_groups", &s->target_groups[0][0], SESSION_ITEM_SIZE,
                       s->n_target_groups);
    session_pack_items(pk, "municipalities", &s->municipalities[0][0], SESSION_MUNI_SIZE,
                       s->n_municipalities);
    sm_rec_pack_id(pk, "follow_up_of", 'S', s->follow_up_of);
    s_pack_deadline(pk, c);
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
    sm_rec_pack_id(pk, "id", 'S', c->id);
    sm_rec_pack_id(pk, "theme", 'T', c->theme_id);
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
/*  The service loop has checked every argument against its declaration
    (proto/ops_scheduling.c) before a handler runs: what is left here are
    the rules between arguments and against the store. */

/*  What a plan or update request asked for beyond the record itself. */
typedef struct {
    bool time_given; //  start/end or period
    bool capacity_given;
    int64_t capacity;
    bool facilitators_given;
    bool allow_double_booking;
    bool series_given;
    series_spec_t series;
} s_input_t;

/*  Copy the text argument name into buf when given. Returns true when it was. */
static bool s_text(sm_ctx_t *ctx, const char *name, char *buf, size_t size)
{
    const char *v = sm_arg_str(ctx, name);
    if (v)
        snprintf(buf, size, "%s", v);
    return v != NULL;
}

/*  Copy the list argument name into rows of SESSION_ITEM_SIZE (as target
    groups are kept when groups: lower case), duplicates dropped. Returns
    true when it was given. */
static bool s_items(sm_ctx_t *ctx, const char *name, char (*rows)[SESSION_ITEM_SIZE],
                    size_t *n, bool groups)
{
    const char *const *items;
    size_t count = sm_arg_list(ctx, name, &items);
    if (!sm_arg_has(ctx, name))
        return false;
    for (size_t i = 0; i < count; i++) {
        snprintf(rows[i], SESSION_ITEM_SIZE, "%s", items[i]);
        if (groups)
            target_group_normalise(rows[i]);
    }
    *n = text_list_dedupe(&rows[0][0], SESSION_ITEM_SIZE, count);
    return true;
}

/*  Read the time fields into s: start and end together, or period.
    required: one of them must be given. Returns 1 when given, 0 when not,
    -1 with err. */
static int s_get_time(sm_ctx_t *ctx, session_rec_t *s, bool required, sm_err_t *e)
{
    const char *start = sm_arg_str(ctx, "start"), *end = sm_arg_str(ctx, "end"),
               *period = sm_arg_str(ctx, "period");
    if (period && (start || end))
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "period",
                          _("give either an exact start and end, or a period, not both"));
    if (!start != !end)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, start ? "end" : "start",
                          _("start and end go together; give both (e.g. 2020-03-12T19:00 and "
                            "2020-03-12T21:00)"));
    if (!start && !period) {
        if (required)
            return sm_err_set(e, SM_E_INVALID_ARGUMENT, "start",
                              _("a session needs an exact start and end (2020-03-12T19:00) or a "
                                "period (2020-03, 2020-Q2, 2019-09-01..2019-11-30)"));
        return 0;
    }
    session_t *c = &s->core;
    if (start) {
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
static int s_get_series(sm_ctx_t *ctx, series_spec_t *spec, sm_err_t *e)
{
    bool a = sm_arg_has(ctx, "times_a_year"), b = sm_arg_has(ctx, "every_months"),
         c = sm_arg_has(ctx, "every_weeks"), d = sm_arg_has(ctx, "count");
    const char *keep = sm_arg_str(ctx, "keep");
    if (keep && !a && !b)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "keep", "%s",
                          _("keep goes with a rhythm in months (times_a_year or every_months); "
                            "a weekly rhythm keeps its weekday anyway"));
    if (!a && !b && !c && !d)
        return 0;
    if (a + b + c != 1)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, a ? "times_a_year" : "every_months",
                          _("a series needs exactly one rhythm: times_a_year, every_months or "
                            "every_weeks, with count"));
    if (!d)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "count",
                          _("a series needs count: how many meetings in all (e.g. 3)"));
    int count = (int)sm_arg_int(ctx, "count", 0);
    if (a) {
        if (series_spec_per_year((int)sm_arg_int(ctx, "times_a_year", 0), count, spec, e) != 0)
            return -1;
    } else {
        spec->count = count;
        spec->every_months = (int)sm_arg_int(ctx, "every_months", 0);
        spec->every_weeks = (int)sm_arg_int(ctx, "every_weeks", 0);
    }
    //  The word arrives canonical (the declaration's canon).
    spec->day = keep && strcmp(keep, series_day_name(SERIES_SAME_DATE)) == 0
                    ? SERIES_SAME_DATE
                    : SERIES_SAME_WEEKDAY;
    return series_spec_check(spec, e) == 0 ? 1 : -1;
}

/*  Apply the arguments given to s. adding: a new session (method and time
    required, defaults applied by the caller). Returns 0, or -1 with the
    ctx error set. */
static int s_read(sm_ctx_t *ctx, session_rec_t *s, bool adding, s_input_t *in)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *v;
    int has_time = 0, series = 0;
    memset(in, 0, sizeof *in);
    //  The words arrive canonical (the declaration's canon): these parses
    //  cannot fail.
    if (((v = sm_arg_str(ctx, "method")) && method_parse(v, &s->core.method, "method", e)) ||
        ((v = sm_arg_str(ctx, "location_kind")) &&
         location_kind_parse(v, &s->location_kind, "location_kind", e)) ||
        (has_time = s_get_time(ctx, s, adding, e)) < 0 ||
        (adding && (series = s_get_series(ctx, &in->series, e)) < 0))
        return -1;
    in->series_given = series > 0;
    if ((v = sm_arg_str(ctx, "register_by"))) {
        //  "" removes it (on update); session_validate checks the day.
        sm_date_t d = {0, 0, 0};
        if (*v && sm_date_parse(v, &d, "register_by", e) != 0)
            return -1;
        s->core.registration_deadline = d;
    }
    s_text(ctx, "title", s->title, sizeof s->title);
    s_text(ctx, "question", s->question, sizeof s->question);
    bool has_location = s_text(ctx, "location", s->location, sizeof s->location);
    s->core.tentative = sm_arg_bool(ctx, "tentative", s->core.tentative);
    s->core.reimbursement_cents =
        sm_arg_int(ctx, "reimbursement_cents", s->core.reimbursement_cents);
    in->time_given = has_time > 0;
    in->capacity_given = sm_arg_has(ctx, "capacity");
    in->capacity = sm_arg_int(ctx, "capacity", s->core.capacity);
    if (adding)
        s->core.capacity = (int32_t)in->capacity;
    in->allow_double_booking = sm_arg_bool(ctx, "allow_double_booking", false);
    in->facilitators_given = s_items(ctx, "facilitators", s->facilitators, &s->n_facilitators,
                                     false);
    s_items(ctx, "target_groups", s->target_groups, &s->n_target_groups, true);
    const char *const *items;
    size_t n = sm_arg_list(ctx, "support_tasks", &items);
    if (sm_arg_has(ctx, "support_tasks")) {
        s->support_tasks = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t bit = 0;
            if (support_tasks_parse(items[i], strlen(items[i]) + 1, 1, &bit, "support_tasks", e))
                return -1;
            s->support_tasks |= bit;
        }
    }
    //  A place without a kind is an address; no place, no kind.
    if (has_location && !sm_arg_has(ctx, "location_kind"))
        s->location_kind = s->location[0] ? (s->location_kind == LOCATION_NONE
                                                 ? LOCATION_ADDRESS
                                                 : s->location_kind)
                                          : LOCATION_NONE;
    n = sm_arg_list(ctx, "municipalities", &items);
    if (sm_arg_has(ctx, "municipalities")) {
        s->n_municipalities = 0;
        for (size_t i = 0; i < n; i++) {
            sm_muni_t m;
            if (sm_muni_require(ctx, items[i], "municipalities", &m) != 0)
                return -1;
            snprintf(s->municipalities[s->n_municipalities++], SESSION_MUNI_SIZE, "%s", m.code);
        }
        s->n_municipalities = text_list_dedupe(&s->municipalities[0][0], SESSION_MUNI_SIZE,
                                               s->n_municipalities);
    }
    uint64_t follow = sm_arg_id(ctx, "follow_up_of");
    if (follow && follow == s->core.id)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "follow_up_of",
                           _("a session cannot follow up on itself; give an earlier session"));
    if (follow) {
        sm_doc_t *d = NULL;
        int rc = sm_rec_require(ctx, DB_SESSIONS, 'S', follow, "follow_up_of", N_("session"),
                                "session list", &d);
        sm_doc_destroy(&d);
        if (rc != 0)
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
    session_rec_t *o = malloc(sizeof *o);
    if (!o)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = 0;
    for (size_t f = 0; f < s->n_facilitators && rc == 0; f++) {
        uint8_t k[SESSION_ITEM_SIZE + 1];
        uint64_t *ids = NULL;
        long n = sm_idx_list(ctx, DB_FACILITATOR_SESSIONS, k,
                             s_facilitator_key(s->facilitators[f], k), &ids);
        session_t *others = n < 0 ? NULL : malloc(((size_t)n + 1) * sizeof *others);
        if (n >= 0 && !others)
            rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        size_t k_others = 0;
        for (long i = 0; i < n && rc == 0; i++) {
            int got = ids[i] == s->core.id ? 0 : session_load(ctx, ids[i], o);
            if (got < 0)
                rc = -1;
            else if (got > 0)
                others[k_others++] = o->core;
        }
        if (n < 0)
            rc = -1;
        else if (rc == 0)
            rc = session_check_facilitator(s->facilitators[f], s->core.start_ms, s->core.end_ms,
                                           s->core.id, others, k_others, sm_ctx_err(ctx));
        free(others);
        free(ids);
    }
    free(o);
    if (rc != 0 && strcmp(sm_ctx_err(ctx)->code, SM_E_CONFLICT) == 0) {
        //  Say how to go ahead anyway: sometimes one person does run two
        //  things at once (an online survey next to a meeting).
        size_t len = strlen(sm_ctx_err(ctx)->message);
        snprintf(sm_ctx_err(ctx)->message + len, sizeof sm_ctx_err(ctx)->message - len, "%s",
                 _("; pick another time or facilitator, or pass allow_double_booking"));
    }
    return rc;
}

/* ==== Plan ============================================================== */

/*  Check, number, store and announce (.planned) one new session s; with
    series, s is the first of a series and names it. Returns 0 or -1 (ctx
    error). */
static int s_plan_one(sm_ctx_t *ctx, session_rec_t *s, const s_input_t *in, bool first)
{
    if (session_validate(&s->core, sm_ctx_err(ctx)) != 0)
        return -1;
    if (!(s->core.id = sm_ctx_next_id(ctx, 'S')))
        return -1;
    //  The first meeting's own ID names its series.
    if (first)
        s->series = s->core.id;
    if (!in->allow_double_booking && s_check_facilitators(ctx, s) != 0)
        return -1;
    if (s_save(ctx, s, NULL, NULL) != 0 || s_emit_full(ctx, "scheduling.session.planned", s) != 0)
        return -1;
    return 0;
}

/*  The first day a session may take place on (Amsterdam). */
static sm_date_t s_first_day(const session_t *c)
{
    return c->has_time ? sm_date_of_ms(c->start_ms) : c->period.from;
}

/*  Plan every occurrence of the series in.series whose first meeting is s,
    and reply with the first and the IDs of all. Returns 0 or -1. */
static int s_plan_series(sm_ctx_t *ctx, const session_rec_t *s, const s_input_t *in)
{
    sm_err_t *e = sm_ctx_err(ctx);
    int n = in->series.count;
    occurrence_t *times = calloc((size_t)n, sizeof *times);
    sm_period_t *periods = calloc((size_t)n, sizeof *periods);
    uint64_t *ids = calloc((size_t)n, sizeof *ids);
    session_rec_t first, occ;
    int rc = -1;
    if (!times || !periods || !ids) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    if ((s->core.has_time ? session_series(s->core.start_ms, s->core.end_ms, &in->series, times,
                                           (size_t)n, e)
                          : session_series_periods(&s->core.period, &in->series, periods,
                                                   (size_t)n, e)) < 0)
        goto cleanup;
    //  Each meeting closes registration as long before its own day as the
    //  first does.
    int64_t lead = s->core.registration_deadline.y
                       ? sm_date_diff(s->core.registration_deadline, s_first_day(&s->core))
                       : 0;
    for (int k = 0; k < n; k++) {
        occ = *s;
        if (occ.core.has_time) {
            occ.core.start_ms = times[k].start_ms;
            occ.core.end_ms = times[k].end_ms;
        } else
            occ.core.period = periods[k];
        if (s->core.registration_deadline.y)
            occ.core.registration_deadline = sm_date_add_days(s_first_day(&occ.core), -lead);
        occ.series = k ? ids[0] : 0;
        occ.series_index = k + 1;
        if (s_plan_one(ctx, &occ, in, k == 0) != 0)
            goto cleanup;
        if (k == 0)
            first = occ;
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

/*  session.plan: one session, or every occurrence of a series. Returns 0,
    or -1 with the ctx error naming the field; nothing is stored then. */
int op_session_plan(sm_ctx_t *ctx, const msgpack_object *args)
{
    const settings_t *cfg = settings_of(ctx);
    uint64_t theme_id = sm_arg_id(ctx, "theme");
    session_rec_t s;
    theme_t theme;
    s_input_t in;
    if (theme_require(ctx, theme_id, "theme", &theme) != 0)
        return -1;
    if (theme.status == THEME_DROPPED || theme.status == THEME_COMPLETED)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "theme",
                           _("theme T%" PRIu64 " is %s; set it active (theme update --status "
                             "active) before planning sessions for it"),
                           theme_id, sm_vocab_name(&SM_VOCAB_THEME_STATUS, (int)theme.status));
    memset(&s, 0, sizeof s);
    s.core.status = SESSION_PLANNED;
    s.core.theme_id = theme_id;
    if (s_read(ctx, &s, true, &in) != 0)
        return -1;
    //  What was not given comes from the method's own defaults (a survey
    //  has no places and pays nothing), which fall back on the general ones.
    if (!in.capacity_given)
        s.core.capacity = (int32_t)cfg->method_capacity[s.core.method];
    if (!sm_arg_has(ctx, "reimbursement_cents"))
        s.core.reimbursement_cents = cfg->method_reimbursement_cents[s.core.method];
    if (session_validate(&s.core, sm_ctx_err(ctx)) != 0)
        return -1;
    s.created_ms = s.updated_ms = sm_ctx_now_ms(ctx);
    if (in.series_given)
        return s_plan_series(ctx, &s, &in);
    return s_plan_one(ctx, &s, &in, false) != 0 ? -1 : s_reply(ctx, &s);
}

/* ==== Update ============================================================ */

/*  What can no longer change once a session is held (only its title,
    question, location, location_kind and support_tasks can). */
static const char *const s_fixed_when_held[] = {
    "method",         "start",          "end",           "period",
    "tentative",      "capacity",       "reimbursement_cents", "facilitators",
    "target_groups",  "municipalities", "follow_up_of",  "allow_double_booking",
    "register_by",    NULL};

/*  session.update. Returns 0, or -1 saying why not. */
int op_session_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = sm_arg_id(ctx, "session");
    sm_doc_t *old_doc = NULL;
    session_rec_t old, s;
    s_input_t in;
    int rc = -1;
    if (s_require(ctx, id, "session", &old, &old_doc) != 0)
        return -1;
    if (old.core.status == SESSION_CANCELLED) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "session",
                    _("session S%" PRIu64 " is cancelled; it cannot be changed (plan a new "
                      "session instead)"),
                    id);
        goto done;
    }
    for (size_t i = 0; old.core.status == SESSION_HELD && s_fixed_when_held[i]; i++)
        if (sm_arg_has(ctx, s_fixed_when_held[i])) {
            sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, s_fixed_when_held[i],
                        _("session S%" PRIu64 " has already been held; only its title, question, "
                          "location, location_kind and support_tasks can still change"),
                        id);
            goto done;
        }
    s = old;
    if (s_read(ctx, &s, false, &in) != 0 ||
        (in.time_given && session_transition_check(&old.core, SESSION_RESCHEDULE, e) != 0))
        goto done;
    if (s.core.status == SESSION_CONFIRMED && !s.core.has_time) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "period",
                    _("session S%" PRIu64 " is confirmed, so it keeps an exact start and end; "
                      "give start and end instead of a period"),
                    id);
        goto done;
    }
    if (in.capacity_given)
        s.core.capacity = (int32_t)in.capacity;
    s.updated_ms = sm_ctx_now_ms(ctx);
    if (session_validate(&s.core, e) != 0 ||
        ((in.time_given || in.facilitators_given) && !in.allow_double_booking &&
         s_check_facilitators(ctx, &s) != 0) ||
        s_save(ctx, &s, &old, old_doc) != 0 ||
        s_emit_full(ctx, "scheduling.session.updated", &s) != 0)
        goto done;
    //  After .updated, so a subscriber sees the new capacity before the
    //  promotions it allowed.
    if (in.capacity_given && in.capacity != old.core.capacity &&
        registration_set_capacity(ctx, &old, in.capacity) != 0)
        goto done;
    rc = s_reply(ctx, &s);
done:
    sm_doc_destroy(&old_doc);
    return rc;
}

/* ==== Confirm, hold, cancel ============================================= */

/*  The shared shape of the three status changes. */
static int s_transition(sm_ctx_t *ctx, session_action_t action, const char *topic)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = sm_arg_id(ctx, "session");
    sm_doc_t *old_doc = NULL;
    session_rec_t old, s;
    int rc = -1;
    if (s_require(ctx, id, "session", &old, &old_doc) != 0 ||
        session_transition_check(&old.core, action, e) != 0)
        goto done;
    if (action == SESSION_HOLD) {
        //  Recording a meeting as held before its day is a typo in the ID.
        sm_date_t on = session_held_on(&old), today = sm_date_today();
        if (sm_date_cmp(on, today) > 0) {
            char a[12], b[12];
            sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "session",
                        _("session S%" PRIu64 " takes place on %s, after today (%s); record it as "
                          "held on or after that day"),
                        id, sm_date_format(on, a), sm_date_format(today, b));
            goto done;
        }
    }
    s = old;
    session_apply(&s.core, action);
    s.updated_ms = sm_ctx_now_ms(ctx);
    if (s_save(ctx, &s, &old, old_doc) == 0 && s_emit_status(ctx, topic, &s) == 0)
        rc = s_reply(ctx, &s);
done:
    sm_doc_destroy(&old_doc);
    return rc;
}

/*  session.confirm. Returns 0, or -1 saying why not. */
int op_session_confirm(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_transition(ctx, SESSION_CONFIRM, "scheduling.session.confirmed");
}

/*  session.hold. Returns 0, or -1 saying why not. */
int op_session_hold(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_transition(ctx, SESSION_HOLD, "scheduling.session.held");
}

/*  session.cancel. Returns 0, or -1 saying why not. */
int op_session_cancel(sm_ctx_t *ctx, const msgpack_object *args)
{
    return s_transition(ctx, SESSION_CANCEL, "scheduling.session.cancelled");
}

/* ==== Reading =========================================================== */

/*  session.get. Returns 0, or -1 (not_found). */
int op_session_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    session_rec_t s;
    if (session_require(ctx, sm_arg_id(ctx, "session"), "session", &s) != 0)
        return -1;
    return s_reply(ctx, &s);
}

/*  The filters of session.list and session.calendar. */
typedef struct {
    uint64_t theme;
    const char *status; //  the canonical word, or NULL
    bool has_from, has_to;
    sm_date_t from, to;
} s_filter_t;

/*  Read the filters. Returns 0, or -1 with err. from and to take a date or
    any period (its first / last day). */
static int s_get_filter(sm_ctx_t *ctx, s_filter_t *f, sm_err_t *e)
{
    const char *from = sm_arg_str(ctx, "from"), *to = sm_arg_str(ctx, "to");
    sm_period_t p;
    memset(f, 0, sizeof *f);
    f->theme = sm_arg_id(ctx, "theme");
    f->status = sm_arg_str(ctx, "status");
    if (from && sm_period_parse(from, &p, "from", e) != 0)
        return -1;
    if (from)
        f->from = p.from;
    if (to && sm_period_parse(to, &p, "to", e) != 0)
        return -1;
    if (to)
        f->to = p.to;
    f->has_from = from != NULL;
    f->has_to = to != NULL;
    if (from && to && sm_date_cmp(f->from, f->to) > 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, "to",
                          _("to is before from; give a later end of the range"));
    return 0;
}

/*  True when s passes the filter (theme is checked by the caller). */
static bool s_wanted(const session_rec_t *s, const s_filter_t *f)
{
    const session_t *c = &s->core;
    if (f->status && strcmp(session_status_name(c->status), f->status) != 0)
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

/*  The sessions found so far by s_find. */
typedef struct {
    const s_filter_t *f;
    session_rec_t *s; //  the one being looked at (on the heap)
    uint64_t *ids;
    size_t n, cap, max;
} s_found_t;

/*  sm_rec_scan / sm_idx_scan visitor: keep id when its session passes the
    filter; stop at max. */
static int s_find_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_found_t *fd = arg;
    int rc = session_load(ctx, id, fd->s);
    if (rc <= 0 || !s_wanted(fd->s, fd->f))
        return rc < 0 ? -1 : 0;
    if (fd->n == fd->cap) {
        size_t cap = fd->cap ? fd->cap * 2 : 64;
        uint64_t *more = realloc(fd->ids, cap * sizeof *more);
        if (!more)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        fd->ids = more;
        fd->cap = cap;
    }
    fd->ids[fd->n++] = id;
    return fd->max && fd->n == fd->max ? 1 : 0;
}

/*  The IDs of the sessions matching f above after, in ID order, at most max
    (0 = all) into *out (malloc'd, caller frees). Returns the count or -1
    (ctx error). */
static long s_find(sm_ctx_t *ctx, const s_filter_t *f, uint64_t after, size_t max,
                   uint64_t **out)
{
    s_found_t fd = {f, malloc(sizeof(session_rec_t)), NULL, 0, 0, max};
    uint8_t k[16];
    int rc;
    *out = NULL;
    sm_key_pair(f->theme, 0, k);
    if (!fd.s)
        rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    else if (f->theme)
        rc = sm_idx_scan(ctx, DB_THEME_SESSIONS, k, 8, after, s_find_one, &fd);
    else
        rc = sm_rec_scan(ctx, DB_SESSIONS, after, s_find_one, &fd);
    free(fd.s);
    if (rc != 0) {
        free(fd.ids);
        return -1;
    }
    *out = fd.ids;
    return (long)fd.n;
}

/*  session.list: one page in ID order with registration counts. Returns 0
    or -1. */
int op_session_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_filter_t f;
    int64_t limit = sm_arg_int(ctx, "limit", S_LIST_DEFAULT);
    uint64_t *ids = NULL;
    long n;
    if (s_get_filter(ctx, &f, sm_ctx_err(ctx)) != 0 ||
        (n = s_find(ctx, &f, sm_arg_id(ctx, "after"), (size_t)limit + 1, &ids)) < 0)
        return -1;
    bool more = n > limit;
    if (more)
        n = (long)limit;
    session_rec_t *s = malloc(sizeof *s);
    int rc = s ? 0 : sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "sessions");
    msgpack_pack_array(pk, (size_t)n);
    for (long i = 0; i < n && rc == 0; i++) {
        long reg = 0, wait = 0;
        if (session_load(ctx, ids[i], s) <= 0 || registration_counts(ctx, s, &reg, &wait))
            rc = -1;
        else
            session_pack(pk, s, reg, wait);
    }
    sm_rec_pack_id(pk, "next", 'S', more ? ids[n - 1] : 0);
    free(s);
    free(ids);
    return rc;
}

/*  session.calendar: the matching sessions with an exact time as one
    VCALENDAR. Returns 0, or -1 (resource_exhausted when too large). */
int op_session_calendar(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    s_filter_t f;
    uint64_t *ids = NULL;
    long n;
    if (s_get_filter(ctx, &f, e) != 0 || (n = s_find(ctx, &f, 0, 0, &ids)) < 0)
        return -1;
    //  The calendar needs each session's core and its three texts; one
    //  whole record at a time is loaded. The themes' titles for the
    //  entries' summaries: each theme loaded once, when its first session
    //  comes (a calendar has few themes).
    session_t *cores = calloc((size_t)n + 1, sizeof *cores);
    session_rec_t *s = malloc(sizeof *s);
    theme_t *themes = calloc((size_t)n + 1, sizeof *themes);
    size_t n_themes = 0;
    const char **titles = calloc((size_t)n + 1, sizeof *titles);
    char *text = NULL;
    int rc = -1;
    size_t k = 0;
    if (!cores || !s || !themes || !titles) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    for (long i = 0; i < n; i++) {
        if (session_load(ctx, ids[i], s) <= 0)
            goto cleanup;
        if (!s->core.has_time)
            continue; //  a calendar needs a time
        size_t t = 0;
        while (t < n_themes && themes[t].id != s->core.theme_id)
            t++;
        if (t == n_themes && theme_load(ctx, s->core.theme_id, &themes[t]) > 0)
            n_themes++;
        if (t < n_themes)
            titles[k] = themes[t].title;
        session_t *c = &cores[k++];
        *c = s->core;
        c->title = strdup(s->title);
        c->location = strdup(s->location);
        c->question = strdup(s->question);
        if (!c->title || !c->location || !c->question) {
            sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            goto cleanup;
        }
    }
    if (!(text = ics_render(cores, titles, k, sm_ctx_now_ms(ctx), e)))
        goto cleanup;
    size_t len = strlen(text);
    if ((int64_t)len > settings_of(ctx)->document_max_bytes) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, "from",
                    _("the calendar would be %zu bytes, more than the %lld a reply may carry; "
                      "narrow it with from and to, theme or status"),
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
    for (size_t i = 0; cores && i < k; i++) {
        free((char *)cores[i].title);
        free((char *)cores[i].location);
        free((char *)cores[i].question);
    }
    free(text);
    free(titles);
    free(themes);
    free(cores);
    free(s);
    free(ids);
    return rc;
}
