/*  services/scheduling/public.c - the public view of the agenda. See public.h. */
#include "public.h"
#include "common/i18n.h"
#include "method.h"
#include "registration.h"
#include "session.h"
#include "store.h"
#include "theme.h"
#include <stdlib.h>

#define S_LIST_DEFAULT 100

/* ==== Themes =============================================================== */

/*  theme.public.list: one page of themes in ID order, never the names of
    the people who own or lead them. Returns 0, or -1 (ctx error). */
int op_theme_public_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t after = sm_arg_id(ctx, "after");
    size_t limit = (size_t)sm_arg_int(ctx, "limit", S_LIST_DEFAULT);
    theme_t *all = NULL;
    long n = theme_load_all(ctx, &all);
    if (n < 0)
        return -1;
    size_t first = 0, count = 0;
    while (first < (size_t)n && all[first].id <= after)
        first++;
    count = (size_t)n - first;
    bool more = count > limit;
    if (more)
        count = limit;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "themes");
    msgpack_pack_array(pk, count);
    for (size_t i = 0; i < count; i++)
        theme_pack(pk, &all[first + i], -1, false);
    sm_rec_pack_id(pk, "next", 'T', more ? all[first + count - 1].id : 0);
    free(all);
    return 0;
}

/* ==== Sessions ============================================================= */

/*  Pack s as the public may see it (public.h), with its registration
    counts turned into places left. Can't fail. */
static void s_pack_public(msgpack_packer *pk, const session_rec_t *s, long registered,
                          long waitlisted)
{
    const session_t *c = &s->core;
    char buf[SESSION_WHEN_SIZE];
    long left = c->capacity - registered;
    msgpack_pack_map(pk, 24);
    sm_rec_pack_id(pk, "id", 'S', c->id);
    sm_rec_pack_id(pk, "theme", 'T', c->theme_id);
    sm_pack_kv_str(pk, "method", method_code(c->method));
    sm_pack_kv_str(pk, "title", s->title);
    sm_pack_kv_str(pk, "question", s->question);
    sm_pack_kv_str(pk, "when", session_when(s, buf));
    if (c->has_time) {
        sm_pack_kv_str(pk, "start", sm_datetime_format_utc(c->start_ms, buf));
        sm_pack_kv_str(pk, "end", sm_datetime_format_utc(c->end_ms, buf));
        sm_pack_kv_str(pk, "start_local", sm_datetime_format_local(c->start_ms, buf));
        sm_pack_kv_str(pk, "end_local", sm_datetime_format_local(c->end_ms, buf));
        sm_pack_kv_nil(pk, "period");
    } else {
        sm_pack_kv_nil(pk, "start");
        sm_pack_kv_nil(pk, "end");
        sm_pack_kv_nil(pk, "start_local");
        sm_pack_kv_nil(pk, "end_local");
        sm_pack_kv_str(pk, "period", sm_period_format(&c->period, buf));
    }
    sm_pack_kv_bool(pk, "tentative", c->tentative);
    sm_pack_kv_str(pk, "status", session_status_name(c->status));
    sm_pack_kv_str(pk, "location", s->location);
    sm_pack_kv_str(pk, "location_kind", location_kind_name(s->location_kind));
    sm_pack_kv_int(pk, "capacity", c->capacity);
    sm_pack_kv_int(pk, "places_left", left > 0 ? left : 0);
    sm_pack_kv_int(pk, "waitlisted", waitlisted);
    sm_pack_kv_int(pk, "reimbursement_cents", c->reimbursement_cents);
    session_pack_items(pk, "target_groups", &s->target_groups[0][0], SESSION_ITEM_SIZE,
                       s->n_target_groups);
    session_pack_items(pk, "municipalities", &s->municipalities[0][0], SESSION_MUNI_SIZE,
                       s->n_municipalities);
    sm_rec_pack_id(pk, "follow_up_of", 'S', s->follow_up_of);
    sm_rec_pack_date(pk, "register_by", c->registration_deadline.y != 0, c->registration_deadline);
    if (c->status == SESSION_HELD)
        sm_pack_kv_str(pk, "held_on", sm_date_format(session_held_on(s), buf));
    else
        sm_pack_kv_nil(pk, "held_on");
}

/*  A page of public sessions being collected. */
typedef struct {
    uint64_t *ids;
    size_t n, limit;
    bool more;
} s_page_t;

/*  sm_rec_scan / sm_idx_scan visitor: keep id until the page is full, and
    note that one more exists. */
static int s_page_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_page_t *p = arg;
    if (p->n == p->limit) {
        p->more = true;
        return 1;
    }
    p->ids[p->n++] = id;
    return 0;
}

/*  session.public.list: one page of sessions in ID order, of one theme or
    all. Returns 0, or -1 (ctx error). */
int op_session_public_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t theme = sm_arg_id(ctx, "theme"), after = sm_arg_id(ctx, "after");
    s_page_t p = {.limit = (size_t)sm_arg_int(ctx, "limit", S_LIST_DEFAULT)};
    session_rec_t *s = malloc(sizeof *s);
    p.ids = calloc(p.limit, sizeof *p.ids);
    int rc = -1;
    if (!s || !p.ids) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    if (theme) {
        uint8_t k[16];
        sm_key_pair(theme, 0, k);
        rc = sm_idx_scan(ctx, DB_THEME_SESSIONS, k, 8, after, s_page_one, &p);
    } else
        rc = sm_rec_scan(ctx, DB_SESSIONS, after, s_page_one, &p);
    if (rc != 0)
        goto cleanup;
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "sessions");
    msgpack_pack_array(pk, p.n);
    for (size_t i = 0; i < p.n; i++) {
        long reg = 0, wait = 0;
        if (session_load(ctx, p.ids[i], s) <= 0 || registration_counts(ctx, s, &reg, &wait)) {
            if (!sm_err_is_set(sm_ctx_err(ctx)))
                sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("a session vanished while listing"));
            rc = -1;
            goto cleanup;
        }
        s_pack_public(pk, s, reg, wait);
    }
    sm_rec_pack_id(pk, "next", 'S', p.more ? p.ids[p.n - 1] : 0);
    rc = 0;
cleanup:
    free(p.ids);
    free(s);
    return rc;
}
