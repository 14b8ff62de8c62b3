/*  services/scheduling/registration.c - registrations, the waitlist and
    invitations. See registration.h. */
#include "registration.h"
#include "common/i18n.h"
#include "common/vocab.h"
#include "participant.h"
#include "store.h"
#include "theme.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_INVITE_DEFAULT 100

/* ==== The stored list =================================================== */

/*  Decode a stored list ([[participant, status, seq], ...]) into a malloc'd
    array (*out; NULL when empty). Returns the count, or -1 when corrupt. */
static long s_decode(const MDB_val *v, registration_t **out)
{
    *out = NULL;
    sm_doc_t *doc = sm_doc_parse(v->mv_data, v->mv_size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    long n = -1;
    if (r->type != MSGPACK_OBJECT_ARRAY)
        goto done;
    uint32_t size = r->via.array.size;
    *out = calloc(size ? size : 1, sizeof **out);
    if (!*out)
        goto done;
    for (uint32_t i = 0; i < size; i++) {
        const msgpack_object *it = &r->via.array.ptr[i];
        if (it->type != MSGPACK_OBJECT_ARRAY || it->via.array.size != 3 ||
            it->via.array.ptr[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
            it->via.array.ptr[1].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
            it->via.array.ptr[2].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
            it->via.array.ptr[1].via.u64 >= REG_STATUS_COUNT) {
            free(*out);
            *out = NULL;
            goto done;
        }
        (*out)[i].participant_id = it->via.array.ptr[0].via.u64;
        (*out)[i].status = (reg_status_t)it->via.array.ptr[1].via.u64;
        (*out)[i].seq = it->via.array.ptr[2].via.u64;
    }
    n = size;
done:
    sm_doc_destroy(&doc);
    return n;
}

reglist_t *registration_load(sm_ctx_t *ctx, const session_rec_t *s)
{
    uint64_t sid = s->core.id;
    reglist_t *list = reglist_new(sid, s->core.capacity, sm_ctx_err(ctx));
    if (!list)
        return NULL;
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, DB_REGISTRATIONS), sid, &v);
    if (rc < 0) {
        reglist_destroy(&list);
        return NULL;
    }
    if (rc == 0)
        return list;
    registration_t *items = NULL;
    long n = s_decode(&v, &items);
    if (n < 0) {
        sm_ctx_fail(ctx, SM_E_INTERNAL, "session",
                    _("the stored registrations of S%" PRIu64 " are corrupt"), sid);
        reglist_destroy(&list);
        return NULL;
    }
    if (reglist_load(list, items, (size_t)n, sm_ctx_err(ctx)) != 0)
        reglist_destroy(&list);
    free(items);
    return list;
}

int registration_store(sm_ctx_t *ctx, uint64_t session_id, const reglist_t *list)
{
    size_t n;
    const registration_t *items = reglist_items(list, &n);
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_array(&b.pk, n);
    for (size_t i = 0; i < n; i++) {
        msgpack_pack_array(&b.pk, 3);
        msgpack_pack_uint64(&b.pk, items[i].participant_id);
        msgpack_pack_uint64(&b.pk, (uint64_t)items[i].status);
        msgpack_pack_uint64(&b.pk, items[i].seq);
    }
    int rc = sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, DB_REGISTRATIONS), session_id, &b);
    sm_buf_free(&b);
    return rc;
}

int registration_counts(sm_ctx_t *ctx, const session_rec_t *s, long *registered,
                        long *waitlisted)
{
    reglist_t *list = registration_load(ctx, s);
    if (!list)
        return -1;
    *registered = (long)reglist_registered(list);
    *waitlisted = (long)reglist_waitlisted(list);
    reglist_destroy(&list);
    return 0;
}

/* ==== Events ============================================================ */

/*  .cancelled and .promoted: {session, participant}. */
static int s_emit_pair(sm_ctx_t *ctx, const char *topic, uint64_t sid, uint64_t pid)
{
    char a[24], b[24];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 2);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, a));
    sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, b));
    return sm_ctx_event_end(ctx);
}

/*  .created: {session, participant, status, position}. Returns 0 or -1. */
static int s_emit_created(sm_ctx_t *ctx, uint64_t sid, uint64_t pid, const reg_outcome_t *got)
{
    char a[24], b[24];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "scheduling.registration.created");
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, a));
    sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, b));
    sm_pack_kv_str(pk, "status", reg_status_name(got->status));
    sm_pack_kv_uint(pk, "position", got->position);
    return sm_ctx_event_end(ctx);
}

/* ==== Capacity and withdrawal =========================================== */

int registration_set_capacity(sm_ctx_t *ctx, const session_rec_t *s, int64_t capacity)
{
    reglist_t *list = registration_load(ctx, s);
    if (!list)
        return -1;
    size_t max = reglist_waitlisted(list), n = 0;
    uint64_t *promoted = calloc(max ? max : 1, sizeof *promoted);
    int rc = -1;
    if (!promoted) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    if (reglist_set_capacity(list, capacity, promoted, max, &n, sm_ctx_err(ctx)) != 0 ||
        registration_store(ctx, s->core.id, list) != 0)
        goto cleanup;
    for (size_t i = 0; i < n && i < max; i++)
        if (s_emit_pair(ctx, "scheduling.registration.promoted", s->core.id, promoted[i]) != 0)
            goto cleanup;
    rc = 0;
cleanup:
    free(promoted);
    reglist_destroy(&list);
    return rc;
}

/*  Take pid out of the session sid (which is still to come). Returns 0 or -1. */
static int s_withdraw_from(sm_ctx_t *ctx, const session_rec_t *s, uint64_t pid, bool erase)
{
    uint64_t sid = s->core.id, promoted = 0;
    reglist_t *list = registration_load(ctx, s);
    if (!list)
        return -1;
    reg_status_t status = REG_CANCELLED;
    bool listed = reglist_lookup(list, pid, &status, NULL) == 0;
    bool active = listed && status != REG_CANCELLED;
    int rc = 0;
    if (erase && listed)
        reglist_remove(list, pid, &promoted);
    else if (active)
        rc = reglist_cancel(list, pid, &promoted, sm_ctx_err(ctx));
    if (rc == 0 && (erase ? listed : active))
        rc = registration_store(ctx, sid, list);
    if (rc == 0 && active)
        rc = s_emit_pair(ctx, "scheduling.registration.cancelled", sid, pid);
    if (rc == 0 && promoted)
        rc = s_emit_pair(ctx, "scheduling.registration.promoted", sid, promoted);
    if (rc == 0 && erase) {
        uint8_t k[16];
        sm_key_pair(sid, pid, k);
        if (sm_ctx_del(ctx, sm_ctx_dbi(ctx, DB_INVITES), k, sizeof k) != 0)
            rc = -1;
        sm_key_pair(pid, sid, k);
        if (rc == 0 && sm_idx_del(ctx, DB_PARTICIPANT_SESSIONS, k, 8, sid) != 0)
            rc = -1;
    }
    reglist_destroy(&list);
    return rc;
}

int registration_withdraw_participant(sm_ctx_t *ctx, uint64_t participant_id, bool erase)
{
    uint64_t *sids = NULL;
    uint8_t k[16];
    sm_key_pair(participant_id, 0, k);
    long n = sm_idx_list(ctx, DB_PARTICIPANT_SESSIONS, k, 8, &sids);
    int rc = n < 0 ? -1 : 0;
    for (long i = 0; i < n && rc == 0; i++) {
        session_rec_t s;
        int got = session_load(ctx, sids[i], &s);
        if (got < 0)
            rc = -1;
        else if (got > 0 &&
                 (s.core.status == SESSION_PLANNED || s.core.status == SESSION_CONFIRMED))
            rc = s_withdraw_from(ctx, &s, participant_id, erase);
    }
    free(sids);
    return rc;
}

/* ==== Register and cancel =============================================== */

/*  Load the session of {session, participant}, and check that it still
    takes registrations. Returns 0 or -1. */
static int s_get_pair(sm_ctx_t *ctx, session_rec_t *s, uint64_t *pid)
{
    *pid = sm_arg_id(ctx, "participant");
    if (session_require(ctx, sm_arg_id(ctx, "session"), "session", s) != 0 ||
        session_transition_check(&s->core, SESSION_REGISTER, sm_ctx_err(ctx)) != 0)
        return -1;
    return 0;
}

/*  registration.create: a place or the waitlist. Returns 0, or -1 with the
    ctx error (not_found, failed_precondition, already_exists). */
int op_registration_create(sm_ctx_t *ctx, const msgpack_object *args)
{
    session_rec_t s;
    participant_t p;
    uint64_t pid = 0;
    uint8_t k[16];
    if (s_get_pair(ctx, &s, &pid) != 0 ||
        session_registration_open(&s.core, sm_date_today(),
                                  sm_arg_bool(ctx, "after_deadline", false), sm_ctx_err(ctx)) != 0 ||
        participant_require_eligible(ctx, pid, "participant", &p) != 0)
        return -1;
    uint64_t sid = s.core.id;
    sm_key_pair(pid, sid, k);
    reglist_t *list = registration_load(ctx, &s);
    if (!list)
        return -1;
    reg_outcome_t got;
    int rc = -1;
    if (reglist_register(list, pid, &got, sm_ctx_err(ctx)) != 0 ||
        registration_store(ctx, sid, list) != 0 ||
        sm_idx_put(ctx, DB_PARTICIPANT_SESSIONS, k, 8, sid) != 0 ||
        s_emit_created(ctx, sid, pid, &got) != 0)
        goto cleanup;
    char a[24], b[24];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 7);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, a));
    sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, b));
    sm_pack_kv_str(pk, "status", reg_status_name(got.status));
    sm_pack_kv_uint(pk, "position", got.position);
    sm_pack_kv_int(pk, "capacity", reglist_capacity(list));
    sm_pack_kv_uint(pk, "registered", reglist_registered(list));
    sm_pack_kv_uint(pk, "waitlisted", reglist_waitlisted(list));
    rc = 0;
cleanup:
    reglist_destroy(&list);
    return rc;
}

/*  registration.cancel: the first waiting moves up. Returns 0 or -1. */
int op_registration_cancel(sm_ctx_t *ctx, const msgpack_object *args)
{
    session_rec_t s;
    uint64_t pid = 0, promoted = 0;
    if (s_get_pair(ctx, &s, &pid) != 0)
        return -1;
    uint64_t sid = s.core.id;
    reglist_t *list = registration_load(ctx, &s);
    if (!list)
        return -1;
    int rc = -1;
    if (reglist_cancel(list, pid, &promoted, sm_ctx_err(ctx)) != 0 ||
        registration_store(ctx, sid, list) != 0 ||
        s_emit_pair(ctx, "scheduling.registration.cancelled", sid, pid) != 0 ||
        (promoted && s_emit_pair(ctx, "scheduling.registration.promoted", sid, promoted) != 0))
        goto cleanup;
    char a[24], b[24], c[24];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 6);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, a));
    sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, b));
    sm_pack_kv_str(pk, "status", "cancelled");
    sm_pack_kv_str(pk, "promoted", promoted ? sm_id_format('P', promoted, c) : NULL);
    sm_pack_kv_uint(pk, "registered", reglist_registered(list));
    sm_pack_kv_uint(pk, "waitlisted", reglist_waitlisted(list));
    rc = 0;
cleanup:
    reglist_destroy(&list);
    return rc;
}

/* ==== Lists ============================================================= */

/*  The registrations of one session. */
static int s_list_session(sm_ctx_t *ctx, uint64_t sid, bool all)
{
    session_rec_t s;
    if (session_require(ctx, sid, "session", &s) != 0)
        return -1;
    reglist_t *list = registration_load(ctx, &s);
    if (!list)
        return -1;
    size_t n, shown = 0;
    const registration_t *items = reglist_items(list, &n);
    for (size_t i = 0; i < n; i++)
        shown += all || items[i].status != REG_CANCELLED;
    char id[24];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 6);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, id));
    sm_pack_kv_str(pk, "status", session_status_name(s.core.status));
    sm_pack_kv_int(pk, "capacity", reglist_capacity(list));
    sm_pack_kv_uint(pk, "registered", reglist_registered(list));
    sm_pack_kv_uint(pk, "waitlisted", reglist_waitlisted(list));
    sm_pack_str(pk, "registrations");
    //  Registered first, then the waitlist in order, then (all) cancelled.
    msgpack_pack_array(pk, shown);
    for (int pass = REG_REGISTERED; pass < REG_STATUS_COUNT; pass++) {
        if (pass == REG_CANCELLED && !all)
            break;
        size_t position = 0;
        for (size_t i = 0; i < n; i++) {
            if ((int)items[i].status != pass)
                continue;
            position += pass == REG_WAITLISTED;
            msgpack_pack_map(pk, 4);
            sm_pack_kv_str(pk, "participant", sm_id_format('P', items[i].participant_id, id));
            sm_pack_kv_str(pk, "status", reg_status_name(items[i].status));
            sm_pack_kv_uint(pk, "position", position);
            sm_pack_kv_uint(pk, "seq", items[i].seq);
        }
    }
    reglist_destroy(&list);
    return 0;
}

/*  The sessions one participant is (or was) registered for. */
static int s_list_participant(sm_ctx_t *ctx, uint64_t pid)
{
    uint64_t *sids = NULL;
    uint8_t k[16];
    sm_key_pair(pid, 0, k);
    long n = sm_idx_list(ctx, DB_PARTICIPANT_SESSIONS, k, 8, &sids);
    if (n < 0)
        return -1;
    //  Pack into a side buffer first: invitations share the index, so the
    //  count is known only after looking at each list.
    sm_buf_t rows;
    sm_buf_init(&rows);
    size_t count = 0;
    int rc = 0;
    for (long i = 0; i < n && rc == 0; i++) {
        session_rec_t s;
        reg_status_t status;
        size_t position = 0;
        if (session_load(ctx, sids[i], &s) <= 0) {
            rc = -1;
            break;
        }
        reglist_t *list = registration_load(ctx, &s);
        if (!list) {
            rc = -1;
            break;
        }
        if (reglist_lookup(list, pid, &status, &position) == 0) {
            char id[24], when[SESSION_WHEN_SIZE];
            msgpack_pack_map(&rows.pk, 7);
            sm_pack_kv_str(&rows.pk, "session", sm_id_format('S', s.core.id, id));
            sm_pack_kv_str(&rows.pk, "theme", sm_id_format('T', s.core.theme_id, id));
            sm_pack_kv_str(&rows.pk, "method", method_code(s.core.method));
            sm_pack_kv_str(&rows.pk, "when", session_when(&s, when));
            sm_pack_kv_str(&rows.pk, "session_status", session_status_name(s.core.status));
            sm_pack_kv_str(&rows.pk, "status", reg_status_name(status));
            sm_pack_kv_uint(&rows.pk, "position", position);
            count++;
        }
        reglist_destroy(&list);
    }
    if (rc == 0) {
        char id[24];
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_kv_str(pk, "participant", sm_id_format('P', pid, id));
        sm_pack_str(pk, "registrations");
        msgpack_pack_array(pk, count);
        if (rows.sbuf.size) //  count objects, already encoded, back to back
            sm_pack_raw(pk, rows.sbuf.data, rows.sbuf.size);
    }
    sm_buf_free(&rows);
    free(sids);
    return rc;
}

/*  registration.list by session or by participant. Returns 0 or -1. */
int op_registration_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t sid = sm_arg_id(ctx, "session"), pid = sm_arg_id(ctx, "participant");
    if (!sid == !pid)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "session",
                           _("give either session (its registrations) or participant (their "
                             "sessions)"));
    return sid ? s_list_session(ctx, sid, sm_arg_bool(ctx, "all", false))
               : s_list_participant(ctx, pid);
}

/* ==== Invitations ======================================================= */

//  A participant who might be invited, with the text invite_rank borrows.
typedef struct {
    invite_candidate_t c;
    const char *groups[2 * PARTICIPANT_GROUPS_MAX]; //  target groups and labels
    char *text;                                      //  one block: municipality, groups
} s_cand_t;

typedef struct {
    s_cand_t *items;
    size_t n, cap;
    uint64_t sid;
    const reglist_t *list;
    bool failed;
} s_cands_t;

/*  participant_each callback: keep every approachable participant. */
static int s_collect(sm_ctx_t *ctx, const participant_t *p, void *arg)
{
    s_cands_t *cs = arg;
    if (!participant_approachable(p))
        return 0;
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 64;
        s_cand_t *more = realloc(cs->items, cap * sizeof *more);
        if (!more)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        cs->items = more;
        cs->cap = cap;
    }
    size_t size = strlen(p->municipality) + 1;
    for (size_t i = 0; i < p->n_target_groups; i++)
        size += strlen(p->target_groups[i]) + 1;
    for (size_t i = 0; i < p->n_labels; i++)
        size += strlen(p->labels[i]) + 1;
    s_cand_t *c = &cs->items[cs->n];
    memset(c, 0, sizeof *c);
    if (!(c->text = malloc(size)))
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    char *at = c->text;
    size_t ng = 0;
    at = stpcpy(at, p->municipality) + 1;
    for (size_t i = 0; i < p->n_target_groups; i++) {
        c->groups[ng++] = at;
        at = stpcpy(at, p->target_groups[i]) + 1;
    }
    for (size_t i = 0; i < p->n_labels; i++) {
        c->groups[ng++] = at;
        at = stpcpy(at, p->labels[i]) + 1;
    }
    uint8_t k[16];
    MDB_val v;
    sm_key_pair(cs->sid, p->id, k);
    int invited = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_INVITES), k, sizeof k, &v);
    if (invited < 0) {
        free(c->text);
        return -1;
    }
    c->c.participant_id = p->id;
    c->c.municipality = c->text;
    c->c.n_target_groups = ng;
    c->c.consent = p->consent;
    c->c.times_attended = p->times_attended;
    //  On the list already (even cancelled) counts as invited: they know.
    c->c.already_invited = invited > 0 || reglist_lookup(cs->list, p->id, NULL, NULL) == 0;
    cs->n++;
    return 0;
}

/*  Find the candidate of pid among cs (sorted by id). */
static const s_cand_t *s_cand_find(const s_cands_t *cs, uint64_t pid)
{
    size_t lo = 0, hi = cs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t at = cs->items[mid].c.participant_id;
        if (at == pid)
            return &cs->items[mid];
        if (at < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/*  Check that sid exists and may still be invited to. Returns 0 or -1. */
static int s_open_session(sm_ctx_t *ctx, uint64_t sid, session_rec_t *s)
{
    if (session_require(ctx, sid, "session", s) != 0)
        return -1;
    if (s->core.status == SESSION_HELD || s->core.status == SESSION_CANCELLED)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "session",
                           _("session S%" PRIu64 " is %s; nobody can be invited to it any more"),
                           sid, sm_vocab_name(&SM_VOCAB_SESSION_STATUS, (int)s->core.status));
    return 0;
}

/*  invite.list: rank the approachable participants with invite_rank.
    Returns 0 or -1. */
int op_invite_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t sid = sm_arg_id(ctx, "session");
    uint64_t limit = (uint64_t)sm_arg_int(ctx, "limit", S_INVITE_DEFAULT);
    bool first_timers = sm_arg_bool(ctx, "first_timers_first", false);
    session_rec_t s;
    theme_t theme;
    if (s_open_session(ctx, sid, &s) != 0 || theme_require(ctx, s.core.theme_id, "theme", &theme))
        return -1;
    reglist_t *list = registration_load(ctx, &s);
    if (!list)
        return -1;
    s_cands_t cs = {NULL, 0, 0, sid, list, false};
    invite_candidate_t *flat = NULL;
    uint64_t *out = NULL;
    int rc = -1;
    if (participant_each(ctx, s_collect, &cs) != 0)
        goto cleanup;
    flat = malloc((cs.n ? cs.n : 1) * sizeof *flat);
    out = malloc((cs.n ? cs.n : 1) * sizeof *out);
    if (!flat || !out) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto cleanup;
    }
    for (size_t i = 0; i < cs.n; i++) {
        flat[i] = cs.items[i].c;
        flat[i].target_groups = cs.items[i].groups;
    }
    //  The session's own municipalities, else those of a local theme, else
    //  the whole region.
    const char *munis[SESSION_MUNIS_MAX > THEME_MUNIS_MAX ? SESSION_MUNIS_MAX : THEME_MUNIS_MAX];
    size_t n_munis = 0;
    for (size_t i = 0; i < s.n_municipalities; i++)
        munis[n_munis++] = s.municipalities[i];
    if (n_munis == 0 && !theme.regional)
        for (size_t i = 0; i < theme.n_municipalities; i++)
            munis[n_munis++] = theme.municipalities[i];
    const char *groups[SESSION_GROUPS_MAX];
    for (size_t i = 0; i < s.n_target_groups; i++)
        groups[i] = s.target_groups[i];
    invite_filter_t filter = {munis, n_munis, groups, s.n_target_groups, first_timers, limit};
    long n = invite_rank(flat, cs.n, &filter, out, e);
    if (n < 0)
        goto cleanup;
    char id[24];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, id));
    sm_pack_kv_bool(pk, "first_timers_first", first_timers);
    sm_pack_str(pk, "candidates");
    msgpack_pack_array(pk, (size_t)n);
    for (long i = 0; i < n; i++) {
        const s_cand_t *c = s_cand_find(&cs, out[i]);
        msgpack_pack_map(pk, 5);
        sm_pack_kv_str(pk, "participant", sm_id_format('P', out[i], id));
        sm_pack_kv_str(pk, "municipality", c ? c->c.municipality : "");
        sm_pack_str(pk, "target_groups");
        msgpack_pack_array(pk, c ? c->c.n_target_groups : 0);
        for (size_t g = 0; c && g < c->c.n_target_groups; g++)
            sm_pack_str(pk, c->groups[g]);
        sm_pack_kv_uint(pk, "times_attended", c ? c->c.times_attended : 0);
        sm_pack_kv_bool(pk, "first_time", c ? c->c.times_attended == 0 : true);
    }
    rc = 0;
cleanup:
    for (size_t i = 0; i < cs.n; i++)
        free(cs.items[i].text);
    free(cs.items);
    free(flat);
    free(out);
    reglist_destroy(&list);
    return rc;
}

int registration_invited(sm_ctx_t *ctx, uint64_t sid, uint64_t pid, int64_t *invited_ms)
{
    uint8_t k[16];
    MDB_val v;
    sm_key_pair(sid, pid, k);
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_INVITES), k, sizeof k, &v);
    if (rc <= 0)
        return rc;
    sm_doc_t *doc = sm_doc_parse(v.mv_data, v.mv_size, NULL);
    *invited_ms = 0;
    bool bad = !doc || sm_get_int(sm_doc_root(doc), "invited_ms", true, INT64_MIN, INT64_MAX,
                                  invited_ms, NULL) < 0;
    sm_doc_destroy(&doc);
    if (bad)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, "participant",
                           _("the stored invitation of P%" PRIu64 " to S%" PRIu64 " is corrupt"),
                           pid, sid);
    return 1;
}

/*  invite.mark: record invitations (all or none). Returns 0 or -1. */
int op_invite_mark(sm_ctx_t *ctx, const msgpack_object *args)
{
    uint64_t sid = sm_arg_id(ctx, "session");
    const uint64_t *pids;
    size_t n = sm_arg_ids(ctx, "participants", &pids);
    session_rec_t s;
    if (s_open_session(ctx, sid, &s) != 0)
        return -1;
    size_t marked = 0, already = 0;
    for (size_t i = 0; i < n; i++) {
        participant_t p;
        uint8_t k[16];
        MDB_val v;
        if (participant_require_eligible(ctx, pids[i], "participants", &p) != 0)
            return -1;
        sm_key_pair(sid, pids[i], k);
        int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_INVITES), k, sizeof k, &v);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            already++;
            continue;
        }
        sm_buf_t b;
        sm_buf_init(&b);
        msgpack_pack_map(&b.pk, 1);
        sm_pack_kv_int(&b.pk, "invited_ms", sm_ctx_now_ms(ctx));
        rc = sm_ctx_put(ctx, sm_ctx_dbi(ctx, DB_INVITES), k, sizeof k, b.sbuf.data, b.sbuf.size);
        sm_buf_free(&b);
        sm_key_pair(pids[i], sid, k);
        if (rc != 0 || sm_idx_put(ctx, DB_PARTICIPANT_SESSIONS, k, 8, sid) != 0)
            return -1;
        marked++;
    }
    char id[24];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "session", sm_id_format('S', sid, id));
    sm_pack_kv_uint(pk, "marked", marked);
    sm_pack_kv_uint(pk, "already", already);
    return 0;
}
