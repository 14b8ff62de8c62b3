/*  services/scheduling/participant.c - scheduling's copy of who exists.
    See participant.h. */
#include "participant.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/municipalities.h"
#include "registration.h"
#include "session_fields.h"
#include "store.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ==== The stored record ================================================= */

static void s_pack_list(msgpack_packer *pk, const char *key,
                        const char (*items)[PARTICIPANT_GROUP_SIZE], size_t n)
{
    sm_pack_str(pk, key);
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        sm_pack_str(pk, items[i]);
}

/*  Copy up to PARTICIPANT_GROUPS_MAX strings of an array into items,
    skipping what is not short text: an event from a newer intake with a
    longer list must not stop scheduling from learning the rest. */
static size_t s_take_list(const msgpack_object *o, char items[][PARTICIPANT_GROUP_SIZE],
                          bool normalise)
{
    size_t n = 0;
    if (!o || o->type != MSGPACK_OBJECT_ARRAY)
        return 0;
    for (uint32_t i = 0; i < o->via.array.size && n < PARTICIPANT_GROUPS_MAX; i++) {
        const msgpack_object *it = &o->via.array.ptr[i];
        if (it->type != MSGPACK_OBJECT_STR || it->via.str.size == 0 ||
            it->via.str.size >= PARTICIPANT_GROUP_SIZE ||
            memchr(it->via.str.ptr, '\0', it->via.str.size))
            continue;
        memcpy(items[n], it->via.str.ptr, it->via.str.size);
        items[n][it->via.str.size] = '\0';
        if (normalise)
            target_group_normalise(items[n]);
        if (items[n][0])
            n++;
    }
    return text_list_dedupe(&items[0][0], PARTICIPANT_GROUP_SIZE, n);
}

/*  Decode the stored record r of P<id>. Can't fail (a missing field has
    its default). */
static void s_decode(const msgpack_object *r, uint64_t id, participant_t *p)
{
    memset(p, 0, sizeof *p);
    p->id = id;
    sm_rec_str(r, "status", p->status, sizeof p->status);
    sm_rec_str(r, "municipality", p->municipality, sizeof p->municipality);
    sm_rec_str(r, "age_band", p->age_band, sizeof p->age_band);
    p->consent = sm_rec_bool(r, "consent", false);
    p->erased = sm_rec_bool(r, "erased", false);
    int64_t attended = sm_rec_int(r, "attended", 0);
    p->times_attended = attended < 0 ? 0 : attended > UINT32_MAX ? UINT32_MAX : (uint32_t)attended;
    p->n_target_groups = s_take_list(sm_map_get(r, "target_groups"), p->target_groups, false);
    p->n_labels = s_take_list(sm_map_get(r, "labels"), p->labels, false);
}

int participant_load(sm_ctx_t *ctx, uint64_t id, participant_t *out)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_PARTICIPANTS, id, &doc);
    if (rc > 0)
        s_decode(sm_doc_root(doc), id, out);
    sm_doc_destroy(&doc);
    return rc;
}

int participant_store(sm_ctx_t *ctx, const participant_t *p)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 8);
    sm_pack_kv_str(&b.pk, "status", p->status);
    sm_pack_kv_str(&b.pk, "municipality", p->municipality);
    s_pack_list(&b.pk, "target_groups", p->target_groups, p->n_target_groups);
    s_pack_list(&b.pk, "labels", p->labels, p->n_labels);
    sm_pack_kv_str(&b.pk, "age_band", p->age_band);
    sm_pack_kv_bool(&b.pk, "consent", p->consent);
    sm_pack_kv_bool(&b.pk, "erased", p->erased);
    sm_pack_kv_uint(&b.pk, "attended", p->times_attended);
    int rc = sm_rec_put(ctx, DB_PARTICIPANTS, p->id, &b);
    sm_buf_free(&b);
    return rc;
}

bool participant_approachable(const participant_t *p)
{
    return !p->erased && p->consent && strcmp(p->status, "active") == 0;
}

int participant_require_known(sm_ctx_t *ctx, uint64_t id, const char *field, participant_t *out)
{
    int rc = participant_load(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                           _("participant P%" PRIu64 " is not known; check the ID (intake "
                             "announces new participants to scheduling within seconds)"),
                           id);
    if (out->erased)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                           _("participant P%" PRIu64 " has been erased from the address file"), id);
    return 0;
}

int participant_require_eligible(sm_ctx_t *ctx, uint64_t id, const char *field,
                                 participant_t *out)
{
    if (participant_require_known(ctx, id, field, out) != 0)
        return -1;
    if (!out->consent)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, field,
                           _("participant P%" PRIu64 " has not given (or has withdrawn) consent; "
                             "only participants with consent can take part"),
                           id);
    if (strcmp(out->status, "active") != 0)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, field,
                           _("participant P%" PRIu64 " is %s in the address file; only active "
                             "participants can take part"),
                           id, out->status);
    return 0;
}

int participant_count_attendance(sm_ctx_t *ctx, uint64_t id, int delta)
{
    participant_t p;
    int rc = participant_load(ctx, id, &p);
    if (rc <= 0 || p.erased)
        return rc < 0 ? -1 : 0;
    if (delta < 0 && p.times_attended == 0)
        return 0;
    p.times_attended = (uint32_t)((int64_t)p.times_attended + delta);
    return participant_store(ctx, &p);
}

typedef struct {
    participant_fn *fn;
    void *arg;
} s_each_t;

/*  sm_rec_scan visitor: load one participant and hand it to the caller's fn. */
static int s_each_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_each_t *each = arg;
    participant_t p;
    int rc = participant_load(ctx, id, &p);
    if (rc <= 0)
        return rc;
    rc = each->fn(ctx, &p, each->arg);
    return rc < 0 ? -1 : rc;
}

int participant_each(sm_ctx_t *ctx, participant_fn *fn, void *arg)
{
    s_each_t each = {fn, arg};
    return sm_rec_scan(ctx, DB_PARTICIPANTS, 0, s_each_one, &each);
}

/* ==== Following intake ================================================== */

/*  The participant ID of an event, or 0 (with a ctx error) when missing. */
static uint64_t s_event_id(sm_ctx_t *ctx, const msgpack_object *data)
{
    uint64_t id = 0;
    if (sm_get_id(data, "id", 'P', true, &id, sm_ctx_err(ctx)) <= 0)
        return 0;
    return id;
}

/*  intake.participant.registered / .updated: store the coarse attributes. */
static int s_on_announced(sm_ctx_t *ctx, uint64_t id, const msgpack_object *data)
{
    participant_t p, old;
    sm_err_t *e = sm_ctx_err(ctx);
    int had = participant_load(ctx, id, &old);
    if (had < 0)
        return -1;
    if (had && old.erased)
        return 0; //  an erased ID stays erased, whatever arrives late
    memset(&p, 0, sizeof p);
    p.id = id;
    char muni[PARTICIPANT_MUNI_SIZE] = "";
    if (sm_get_str(data, "status", true, p.status, sizeof p.status, false, e) < 0 ||
        sm_get_bool(data, "consent", true, &p.consent, e) < 0 ||
        sm_get_str(data, "municipality", false, muni, sizeof muni, true, e) < 0 ||
        sm_get_str(data, "age_band", false, p.age_band, sizeof p.age_band, true, e) < 0)
        return -1;
    //  Keep the statistics-office code when finance knows the municipality,
    //  so it compares with the codes sessions are planned for.
    sm_muni_t m;
    int found = muni[0] ? sm_muni_find(ctx, muni, &m) : 0;
    if (found < 0)
        return -1;
    snprintf(p.municipality, sizeof p.municipality, "%s", found ? m.code : muni);
    p.n_target_groups = s_take_list(sm_map_get(data, "target_groups"), p.target_groups, true);
    p.n_labels = s_take_list(sm_map_get(data, "labels"), p.labels, true);
    p.times_attended = had ? old.times_attended : 0;
    if (participant_store(ctx, &p) != 0)
        return -1;
    //  Consent gone or withdrawn from the programme: out of sessions to come.
    if (!p.consent || strcmp(p.status, "withdrawn") == 0)
        return registration_withdraw_participant(ctx, id, false);
    return 0;
}

/*  intake.participant.consent_withdrawn: no more sessions for them. */
static int s_on_withdrawn(sm_ctx_t *ctx, uint64_t id)
{
    participant_t p;
    int had = participant_load(ctx, id, &p);
    if (had < 0)
        return -1;
    if (!had) {
        memset(&p, 0, sizeof p);
        p.id = id;
        snprintf(p.status, sizeof p.status, "unknown");
    }
    if (p.erased)
        return 0;
    p.consent = false;
    if (participant_store(ctx, &p) != 0)
        return -1;
    return registration_withdraw_participant(ctx, id, false);
}

/*  intake.participant.erased: drop what we hold about them. */
static int s_on_erased(sm_ctx_t *ctx, uint64_t id)
{
    participant_t p;
    memset(&p, 0, sizeof p);
    p.id = id;
    p.erased = true;
    snprintf(p.status, sizeof p.status, "erased");
    if (participant_store(ctx, &p) != 0)
        return -1;
    return registration_withdraw_participant(ctx, id, true);
}

int on_intake_participant(sm_ctx_t *ctx, const char *type, uint64_t seq,
                          const msgpack_object *data)
{
    static const char prefix[] = "intake.participant.";
    if (strncmp(type, prefix, sizeof prefix - 1) != 0)
        return 0;
    const char *verb = type + sizeof prefix - 1;
    bool announced = strcmp(verb, "registered") == 0 || strcmp(verb, "updated") == 0;
    bool withdrawn = strcmp(verb, "consent_withdrawn") == 0;
    bool erased = strcmp(verb, "erased") == 0;
    if (!announced && !withdrawn && !erased)
        return 0; //  a verb this version does not use
    uint64_t id = s_event_id(ctx, data);
    if (!id)
        return -1;
    if (announced)
        return s_on_announced(ctx, id, data);
    return withdrawn ? s_on_withdrawn(ctx, id) : s_on_erased(ctx, id);
}
