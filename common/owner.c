/*  common/owner.c - owners and deputies, and the handover when one leaves.
    See owner.h. */
#include "common/owner.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/municipalities.h"
#include "common/record.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ==== The rules ========================================================== */

int sm_owners_check(const sm_owners_t *o, sm_err_t *err)
{
    if (o->deputy && !o->owner)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "deputy",
                          _("a deputy stands in for an owner; give the item an owner first (or "
                            "together: --owner W3 --deputy W5)"));
    if (o->deputy && o->deputy == o->owner)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "deputy",
                          _("W%llu cannot be both owner and deputy; give another deputy, or none"),
                          (unsigned long long)o->owner);
    return 0;
}

sm_handover_role_t sm_owner_after_leave(const sm_owners_t *was, uint64_t person, uint64_t successor,
                                        sm_owners_t *now)
{
    *now = *was;
    if (!person)
        return SM_HANDOVER_NONE;
    if (was->owner == person) {
        if (successor) {
            now->owner = successor;
            if (now->deputy == successor)
                now->deputy = 0;
        } else {
            now->owner = was->deputy;
            now->deputy = 0;
        }
        return SM_HANDOVER_OWNER;
    }
    if (was->deputy == person) {
        now->deputy = successor && successor != was->owner ? successor : 0;
        return SM_HANDOVER_DEPUTY;
    }
    return SM_HANDOVER_NONE;
}

const char *sm_handover_role_name(sm_handover_role_t role)
{
    return role == SM_HANDOVER_OWNER ? "owner" : role == SM_HANDOVER_DEPUTY ? "deputy" : "";
}

int sm_owner_parse(const char *text, const char *field, uint64_t *out, sm_err_t *err)
{
    *out = 0;
    if (!text || !text[0] || strcmp(text, "-") == 0 || strcasecmp(text, "none") == 0)
        return 0;
    uint64_t n = sm_id_parse(text, 'W', field, NULL);
    if (!n)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                          _("%s must be a person known to samen, an ID like W3 (see person list), "
                            "or none"),
                          field);
    *out = n;
    return 0;
}

bool sm_owner_filter_match(const sm_owner_filter_t *f, const sm_owners_t *o)
{
    return !f->on || o->owner == f->person;
}

/* ==== Records ============================================================ */

void sm_owners_read(const msgpack_object *rec, sm_owners_t *out)
{
    out->owner = sm_rec_id(rec, "owner", 'W');
    out->deputy = sm_rec_id(rec, "deputy", 'W');
}

void sm_owners_pack(msgpack_packer *pk, const sm_owners_t *o)
{
    sm_rec_pack_id(pk, "owner", 'W', o->owner);
    sm_rec_pack_id(pk, "deputy", 'W', o->deputy);
}

/* ==== The people a service knows ========================================= */

int sm_staff_put(sm_ctx_t *ctx, uint64_t person, bool active)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 1);
    sm_pack_kv_bool(&b.pk, "active", active);
    int rc = sm_rec_put(ctx, SM_OWNER_DB_STAFF, person, &b);
    sm_buf_free(&b);
    return rc;
}

int sm_staff_get(sm_ctx_t *ctx, uint64_t person, bool *active)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, SM_OWNER_DB_STAFF, person, &doc);
    if (rc <= 0)
        return rc;
    *active = sm_rec_bool(sm_doc_root(doc), "active", false);
    sm_doc_destroy(&doc);
    return 1;
}

/*  Refuse a person who is not known here or has left. Returns 0 or -1. */
static int s_require_active(sm_ctx_t *ctx, uint64_t person, const char *field)
{
    bool active = false;
    int rc = sm_staff_get(ctx, person, &active);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                           _("no person W%llu is known here; see person list (a person just added "
                             "with person add is known to every service within a moment)"),
                           (unsigned long long)person);
    if (!active)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, field,
                           _("W%llu has left the programme; choose a person who is active (person "
                             "list --active)"),
                           (unsigned long long)person);
    return 0;
}

/* ==== Requests =========================================================== */

int sm_owners_take(sm_ctx_t *ctx, sm_owners_t *o)
{
    static const char *const keys[] = {"owner", "deputy"};
    sm_owners_t was = *o;
    uint64_t *slot[] = {&o->owner, &o->deputy};
    sm_err_t *e = sm_ctx_err(ctx);
    for (int i = 0; i < 2; i++) {
        const char *text = sm_arg_str(ctx, keys[i]);
        if (text && sm_owner_parse(text, keys[i], slot[i], e) != 0)
            return -1;
    }
    /*  The deputy made owner is no longer the deputy, unless told otherwise. */
    if (sm_arg_has(ctx, "owner") && !sm_arg_has(ctx, "deputy") && o->owner &&
        o->owner == was.deputy)
        o->deputy = 0;
    for (int i = 0; i < 2; i++) {
        uint64_t before = i == 0 ? was.owner : was.deputy;
        if (*slot[i] && *slot[i] != before && s_require_active(ctx, *slot[i], keys[i]) != 0)
            return -1;
        if (*slot[i]) {
            char id[24];
            sm_ctx_audit_id(ctx, sm_id_format('W', *slot[i], id));
        }
    }
    return sm_owners_check(o, e);
}

int sm_owner_filter_take(sm_ctx_t *ctx, sm_owner_filter_t *f)
{
    const char *text = sm_arg_str(ctx, "owner");
    f->on = text != NULL;
    f->person = 0;
    return f->on ? sm_owner_parse(text, "owner", &f->person, sm_ctx_err(ctx)) : 0;
}

/*  The `owned` prefix of (person, letter) into k (9 bytes). */
static void s_owned_prefix(uint64_t person, char letter, uint8_t k[9])
{
    sm_key_u64(person, k);
    k[8] = (uint8_t)letter;
}

/*  Add (put) or remove the `owned` entry of person for item. */
static int s_owned(sm_ctx_t *ctx, bool put, uint64_t person, char letter, uint64_t item)
{
    uint8_t k[9];
    s_owned_prefix(person, letter, k);
    return put ? sm_idx_put(ctx, SM_OWNER_DB_OWNED, k, 9, item)
               : sm_idx_del(ctx, SM_OWNER_DB_OWNED, k, 9, item);
}

/*  True when o names person as owner or deputy. */
static bool s_names(const sm_owners_t *o, uint64_t person)
{
    return person && (o->owner == person || o->deputy == person);
}

int sm_owners_changed(sm_ctx_t *ctx, const sm_owned_kind_t *kind, uint64_t id,
                      const sm_owners_t *was, const sm_owners_t *now)
{
    if (was->owner == now->owner && was->deputy == now->deputy)
        return 0;
    const uint64_t old[] = {was->owner, was->deputy}, cur[] = {now->owner, now->deputy};
    for (int i = 0; i < 2; i++) {
        if (old[i] && !s_names(now, old[i]) && s_owned(ctx, false, old[i], kind->letter, id))
            return -1;
        if (cur[i] && s_owned(ctx, true, cur[i], kind->letter, id))
            return -1;
    }
    msgpack_packer *pk = sm_ctx_event_begin(ctx, kind->topic);
    msgpack_pack_map(pk, 1 + SM_OWNERS_NPAIRS);
    sm_rec_pack_id(pk, "id", kind->letter, id);
    sm_owners_pack(pk, now);
    return sm_ctx_event_end(ctx);
}

/* ==== Handover =========================================================== */

/*  Hand over one item of kind (an `owned` entry of person). Returns 0 or -1. */
static int s_hand_over_one(sm_ctx_t *ctx, const sm_owned_kind_t *kind, uint64_t id, uint64_t person,
                           uint64_t successor, sm_buf_t *items, size_t *n)
{
    sm_owners_t was, now;
    bool open = false;
    int rc = kind->get(ctx, id, &was, &open);
    if (rc < 0)
        return -1;
    if (rc == 0 || !s_names(&was, person)) //  a stale entry: the item says otherwise
        return s_owned(ctx, false, person, kind->letter, id);
    if (!open)
        return 0; //  closed items keep who answered for them
    sm_handover_role_t role = sm_owner_after_leave(&was, person, successor, &now);
    if (kind->set(ctx, id, &now) != 0 || sm_owners_changed(ctx, kind, id, &was, &now) != 0)
        return -1;
    msgpack_packer *pk = &items->pk;
    msgpack_pack_map(pk, 4 + SM_OWNERS_NPAIRS);
    sm_rec_pack_id(pk, "id", kind->letter, id);
    sm_pack_kv_str(pk, "kind", kind->kind);
    sm_pack_kv_str(pk, "role", sm_handover_role_name(role));
    sm_rec_pack_id(pk, "to", 'W', role == SM_HANDOVER_OWNER ? now.owner : now.deputy);
    sm_owners_pack(pk, &now);
    (*n)++;
    return 0;
}

int sm_owner_handover(sm_ctx_t *ctx, const sm_owned_kind_t *kinds, uint64_t person,
                      uint64_t successor, sm_buf_t *items, size_t *n)
{
    for (const sm_owned_kind_t *k = kinds; k->letter; k++) {
        uint8_t prefix[9];
        uint64_t *ids = NULL;
        s_owned_prefix(person, k->letter, prefix);
        //  Collected first: handing over changes the index being read.
        long count = sm_idx_list(ctx, SM_OWNER_DB_OWNED, prefix, 9, &ids);
        int rc = count < 0 ? -1 : 0;
        for (long i = 0; rc == 0 && i < count; i++)
            rc = s_hand_over_one(ctx, k, ids[i], person, successor, items, n);
        free(ids);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int sm_owner_emit_handover(sm_ctx_t *ctx, const char *service, uint64_t person, uint64_t successor,
                           const sm_buf_t *items, size_t n)
{
    char topic[64];
    snprintf(topic, sizeof topic, "%s.handover.applied", service);
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 3);
    sm_rec_pack_id(pk, "person", 'W', person);
    sm_rec_pack_id(pk, "successor", 'W', successor);
    sm_pack_str(pk, "items");
    msgpack_pack_array(pk, n);
    if (items->sbuf.size)
        sm_pack_raw(pk, items->sbuf.data, items->sbuf.size);
    return sm_ctx_event_end(ctx);
}

int sm_owner_on_person(sm_ctx_t *ctx, const char *service, const sm_owned_kind_t *kinds,
                       const char *type, const msgpack_object *data)
{
    uint64_t person = sm_rec_id(data, "id", 'W');
    if (strncmp(type, "intake.person.", 14) != 0)
        return 0;
    if (!person)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "id",
                           _("event %s has no person ID like W3; it is skipped"), type);
    bool leaving = strcmp(type, "intake.person.left") == 0;
    const msgpack_object *active = sm_map_get(data, "active");
    if (!leaving && (!active || active->type != MSGPACK_OBJECT_BOOLEAN))
        return 0; //  nothing this service keeps
    if (sm_staff_put(ctx, person, leaving ? false : active->via.boolean) != 0)
        return -1;
    if (!leaving)
        return 0;
    uint64_t successor = sm_rec_id(data, "successor", 'W');
    sm_buf_t items;
    size_t n = 0;
    sm_buf_init(&items);
    int rc = sm_owner_handover(ctx, kinds, person, successor, &items, &n) != 0 ||
                     sm_owner_emit_handover(ctx, service, person, successor, &items, n) != 0
                 ? -1
                 : 0;
    sm_buf_free(&items);
    return rc;
}

/* ==== Schema ============================================================= */

int sm_owner_migrate(MDB_txn *txn, sm_store_t *store, int from, sm_err_t *err)
{
    if (sm_muni_migrate(txn, store, from, err) != 0)
        return -1;
    if (from < SM_OWNER_SCHEMA)
        sm_info("owners and deputies", "from=%d note=\"items have no owner until given one\"",
                from);
    return 0;
}
