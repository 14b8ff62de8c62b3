/*  services/intake/person.c - the programme's own people and their
    leaving. See person.h. */
#include "person.h"
#include "advice.h"
#include "common/i18n.h"
#include "common/record.h"
#include "common/text.h"
#include "pii.h"
#include "validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DB "persons"
#define DB_NAMES "m_names"
#define DB_HANDOVERS "handovers"
#define LIST_DEFAULT 100
#define ROLE_SIZE 24
/*  Bytes of a folded name kept in its m_names key (and its NUL). */
#define S_NAME_KEY_MAX (SM_IDX_PREFIX_MAX - 1)

const char *const person_services[PERSON_SERVICES] = {"intake", "scheduling", "reporting",
                                                      "finance"};

int person_service_index(const char *service, size_t len)
{
    for (int i = 0; i < PERSON_SERVICES; i++)
        if (strlen(person_services[i]) == len && memcmp(person_services[i], service, len) == 0)
            return i;
    return -1;
}

typedef struct {
    uint64_t id;
    char name[PARTICIPANT_NAME_SIZE];
    char role[ROLE_SIZE];
    char email[PARTICIPANT_EMAIL_SIZE];
    bool active;
    bool has_left;
    sm_date_t left_on;
    uint64_t successor;
    int64_t created_ms, updated_ms;
} person_t;

/*  Wipe a record that held a name. Can't fail. */
static void s_wipe(person_t *p)
{
    explicit_bzero(p, sizeof *p);
}

/* ==== The record ========================================================== */

/*  Pack p as stored. Can't fail. */
static void s_encode(const person_t *p, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 9);
    sm_rec_pack_id(pk, "id", 'W', p->id);
    sm_pack_kv_str(pk, "name", p->name);
    sm_pack_kv_str(pk, "role", p->role);
    sm_pack_kv_str(pk, "email", p->email[0] ? p->email : NULL);
    sm_pack_kv_bool(pk, "active", p->active);
    sm_rec_pack_date(pk, "left_on", p->has_left, p->left_on);
    sm_rec_pack_id(pk, "successor", 'W', p->successor);
    sm_pack_kv_int(pk, "created_ms", p->created_ms);
    sm_pack_kv_int(pk, "updated_ms", p->updated_ms);
}

/*  Load M<id>. Returns 1, 0 unknown, -1 (ctx error). */
static int s_load(sm_ctx_t *ctx, uint64_t id, person_t *p)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB, id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *r = sm_doc_root(doc);
    memset(p, 0, sizeof *p);
    p->id = id;
    sm_rec_str(r, "name", p->name, sizeof p->name);
    sm_rec_str(r, "role", p->role, sizeof p->role);
    sm_rec_str(r, "email", p->email, sizeof p->email);
    p->active = sm_rec_bool(r, "active", false);
    p->has_left = sm_rec_date(r, "left_on", &p->left_on);
    p->successor = sm_rec_id(r, "successor", 'W');
    p->created_ms = sm_rec_int(r, "created_ms", 0);
    p->updated_ms = sm_rec_int(r, "updated_ms", 0);
    sm_doc_destroy(&doc);
    return 1;
}

/*  Store p. Returns 0 or -1. */
static int s_store(sm_ctx_t *ctx, const person_t *p)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(p, &b.pk);
    int rc = sm_rec_put(ctx, DB, p->id, &b);
    explicit_bzero(b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

/* ==== Names =============================================================== */

/*  The m_names prefix of name (folded words and a NUL) into key (at least
    S_NAME_KEY_MAX + 1 bytes). Returns its length, or 0 when the name has no
    words or cannot be folded. */
static size_t s_name_key(const char *name, char *key)
{
    size_t len = strlen(name);
    char *folded = malloc(len + 2);
    if (!folded)
        return 0;
    int words = pii_fold_words(name, len, folded, len + 2);
    size_t n = words > 0 ? strlen(folded) : 0;
    if (n > S_NAME_KEY_MAX - 1)
        n = S_NAME_KEY_MAX - 1;
    memcpy(key, folded, n);
    key[n] = '\0';
    explicit_bzero(folded, len + 2);
    free(folded);
    return n ? n + 1 : 0;
}

/*  Add (or remove) p's m_names entry. Returns 0 or -1. */
static int s_name_index(sm_ctx_t *ctx, const person_t *p, bool add)
{
    char key[S_NAME_KEY_MAX + 1];
    size_t klen = s_name_key(p->name, key);
    int rc = !klen ? 0
             : add ? sm_idx_put(ctx, DB_NAMES, key, klen, p->id)
                   : sm_idx_del(ctx, DB_NAMES, key, klen, p->id);
    explicit_bzero(key, sizeof key);
    return rc;
}

/*  The people called name, in ID order (*ids malloc'd). Returns the count
    or -1. */
static long s_named(sm_ctx_t *ctx, const char *name, uint64_t **ids)
{
    char key[S_NAME_KEY_MAX + 1];
    size_t klen = s_name_key(name, key);
    *ids = NULL;
    long n = klen ? sm_idx_list(ctx, DB_NAMES, key, klen, ids) : 0;
    explicit_bzero(key, sizeof key);
    return n;
}

/*  Refuse a name another person (not p) already has, unless force.
    Returns 0 or -1. */
static int s_name_free(sm_ctx_t *ctx, const person_t *p, bool force)
{
    uint64_t *ids;
    long n = s_named(ctx, p->name, &ids);
    uint64_t other = 0;
    for (long i = 0; i < n && !other; i++)
        if (ids[i] != p->id)
            other = ids[i];
    free(ids);
    if (n < 0)
        return -1;
    if (other && !force)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "name",
                           _("W%llu already has this name; give a distinguishing name, or add "
                             "with force if they are two people"),
                           (unsigned long long)other);
    return 0;
}

/*  The person text names, by ID ("W3") or by whole name, into p; refuse
    one that is unknown or ambiguous (naming field). Returns 0 or -1. */
static int s_resolve(sm_ctx_t *ctx, const char *text, const char *field, person_t *p)
{
    uint64_t id = sm_id_parse(text, 'W', field, NULL);
    if (!id) {
        uint64_t *ids;
        long n = s_named(ctx, text, &ids);
        if (n == 1)
            id = ids[0];
        char list[96] = "";
        for (long i = 0; n > 1 && i < n && i < 8; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%sW%llu", i ? ", " : "",
                     (unsigned long long)ids[i]);
        free(ids);
        if (n < 0)
            return -1;
        if (n == 0)
            return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field,
                               _("no person has that name; give their ID, like W3 (person list "
                                 "shows everyone)"));
        if (n > 1)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, field,
                               _("%ld people have that name (%s); give the ID of the one you mean"),
                               n, list);
    }
    int rc = s_load(ctx, id, p);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, field, _("no person W%llu; see person list"),
                           (unsigned long long)id);
    char mid[24];
    sm_ctx_audit_id(ctx, sm_id_format('W', id, mid));
    return 0;
}

/* ==== Views =============================================================== */

/*  The reply of a write: no name or e-mail (write replies are kept for
    retries). Can't fail. */
static void s_pack_short(const person_t *p, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 3);
    sm_rec_pack_id(pk, "id", 'W', p->id);
    sm_pack_kv_str(pk, "role", p->role);
    sm_pack_kv_bool(pk, "active", p->active);
}

/*  The read view; name and e-mail only for a personal role. Can't fail. */
static void s_pack_full(sm_ctx_t *ctx, const person_t *p, msgpack_packer *pk)
{
    bool personal = sm_ctx_sees_personal(ctx);
    char ts[24];
    msgpack_pack_map(pk, 8);
    sm_rec_pack_id(pk, "id", 'W', p->id);
    sm_pack_kv_str(pk, "name", personal ? p->name : NULL);
    sm_pack_kv_str(pk, "role", p->role);
    sm_pack_kv_str(pk, "email", personal && p->email[0] ? p->email : NULL);
    sm_pack_kv_bool(pk, "active", p->active);
    sm_rec_pack_date(pk, "left_on", p->has_left, p->left_on);
    sm_rec_pack_id(pk, "successor", 'W', p->successor);
    sm_pack_kv_str(pk, "added", p->created_ms ? sm_datetime_format_utc(p->created_ms, ts) : NULL);
}

/*  The handovers key of (person, service number). */
static void s_handover_key(uint64_t person, int service, uint8_t k[16])
{
    sm_key_pair(person, (uint64_t)service, k);
}

/*  What service number svc handed over for person: 1 with *doc (caller
    destroys), 0 not reported yet, -1. */
static int s_handover_get(sm_ctx_t *ctx, uint64_t person, int svc, sm_doc_t **doc)
{
    uint8_t k[16];
    s_handover_key(person, svc, k);
    return sm_rec_get_key(ctx, DB_HANDOVERS, k, 16, doc);
}

/*  Store what service number svc handed over for person (items: an array
    of maps, as the service's event carries it). Returns 0 or -1. */
static int s_handover_put(sm_ctx_t *ctx, uint64_t person, int svc, const void *items, size_t size,
                          const msgpack_object *items_obj)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 2);
    sm_pack_str(&b.pk, "items");
    if (items_obj)
        sm_pack_obj(&b.pk, items_obj);
    else
        sm_pack_raw(&b.pk, items, size);
    sm_pack_kv_int(&b.pk, "applied_ms", sm_ctx_now_ms(ctx));
    uint8_t k[16];
    s_handover_key(person, svc, k);
    int rc = sm_rec_put_key(ctx, DB_HANDOVERS, k, 16, &b);
    sm_buf_free(&b);
    return rc;
}

/*  True when a handed-over item (a map from a service's event) has no
    owner now: it had no deputy and nobody was named to take over. */
static bool s_without_owner(const msgpack_object *item)
{
    const msgpack_object *owner = sm_map_get(item, "owner");
    return sm_obj_streq(sm_map_get(item, "role"), "owner") &&
           (!owner || owner->type == MSGPACK_OBJECT_NIL);
}

/*  Pack the handover view of p: {person, active, left_on, successor,
    complete, waiting_for, items: [{service, id, kind, role, to, owner,
    deputy}], without_owner: [ids]}. Returns 0 or -1. */
static int s_pack_handover(sm_ctx_t *ctx, const person_t *p, msgpack_packer *pk)
{
    sm_doc_t *docs[PERSON_SERVICES] = {NULL};
    size_t n_items = 0, n_orphans = 0, n_waiting = 0;
    int rc = 0;
    for (int s = 0; s < PERSON_SERVICES && rc == 0; s++) {
        if ((rc = s_handover_get(ctx, p->id, s, &docs[s])) < 0)
            break;
        rc = 0;
        const msgpack_object *items = docs[s] ? sm_map_get(sm_doc_root(docs[s]), "items") : NULL;
        if (!docs[s])
            n_waiting++;
        for (uint32_t i = 0;
             items && items->type == MSGPACK_OBJECT_ARRAY && i < items->via.array.size; i++)
            if (items->via.array.ptr[i].type == MSGPACK_OBJECT_MAP) {
                n_items++;
                n_orphans += s_without_owner(&items->via.array.ptr[i]);
            }
    }
    if (rc == 0) {
        msgpack_pack_map(pk, 8);
        sm_rec_pack_id(pk, "person", 'W', p->id);
        sm_pack_kv_bool(pk, "active", p->active);
        sm_rec_pack_date(pk, "left_on", p->has_left, p->left_on);
        sm_rec_pack_id(pk, "successor", 'W', p->successor);
        sm_pack_kv_bool(pk, "complete", n_waiting == 0);
        sm_pack_str(pk, "waiting_for");
        msgpack_pack_array(pk, n_waiting);
        for (int s = 0; s < PERSON_SERVICES; s++)
            if (!docs[s])
                sm_pack_str(pk, person_services[s]);
        for (int pass = 0; pass < 2; pass++) {
            sm_pack_str(pk, pass == 0 ? "items" : "without_owner");
            msgpack_pack_array(pk, pass == 0 ? n_items : n_orphans);
            for (int s = 0; s < PERSON_SERVICES; s++) {
                const msgpack_object *items =
                    docs[s] ? sm_map_get(sm_doc_root(docs[s]), "items") : NULL;
                for (uint32_t i = 0;
                     items && items->type == MSGPACK_OBJECT_ARRAY && i < items->via.array.size;
                     i++) {
                    const msgpack_object *it = &items->via.array.ptr[i];
                    if (it->type != MSGPACK_OBJECT_MAP)
                        continue;
                    if (pass == 1) {
                        if (s_without_owner(it))
                            sm_pack_obj(pk, sm_map_get(it, "id"));
                        continue;
                    }
                    msgpack_pack_map(pk, it->via.map.size + 1);
                    sm_pack_kv_str(pk, "service", person_services[s]);
                    for (uint32_t j = 0; j < it->via.map.size; j++) {
                        sm_pack_obj(pk, &it->via.map.ptr[j].key);
                        sm_pack_obj(pk, &it->via.map.ptr[j].val);
                    }
                }
            }
        }
    }
    for (int s = 0; s < PERSON_SERVICES; s++)
        sm_doc_destroy(&docs[s]);
    return rc;
}

/* ==== Arguments =========================================================== */

/*  Read name, role and e-mail (those given) into p. Returns 0 or -1. */
static int s_fields(sm_ctx_t *ctx, person_t *p)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *v;
    if ((v = sm_arg_str(ctx, "name")) &&
        validate_text(v, "name", PARTICIPANT_NAME_MAX_CHARS, p->name, sizeof p->name, e))
        return -1;
    if ((v = sm_arg_str(ctx, "role")))
        snprintf(p->role, sizeof p->role, "%s", v); //  canonical: the declaration checked it
    if ((v = sm_arg_str(ctx, "email"))) {
        if (!v[0])
            p->email[0] = '\0';
        else if (validate_email(v, "email", p->email, sizeof p->email, e))
            return -1;
    }
    return 0;
}

/* ==== Ops ================================================================= */

/*  person.add: see person.h and proto/ops-intake.md. Returns 0 or -1. */
int op_person_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    person_t *p = calloc(1, sizeof *p);
    int rc = -1;
    if (!p)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (s_fields(ctx, p) || s_name_free(ctx, p, sm_arg_bool(ctx, "force", false)) ||
        !(p->id = sm_ctx_next_id(ctx, 'W')))
        goto done;
    p->active = true;
    p->created_ms = p->updated_ms = sm_ctx_now_ms(ctx);
    if (s_store(ctx, p) || s_name_index(ctx, p, true) || sm_staff_put(ctx, p->id, true))
        goto done;
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "intake.person.added");
    msgpack_pack_map(pk, 2);
    sm_rec_pack_id(pk, "id", 'W', p->id);
    sm_pack_kv_bool(pk, "active", true);
    if (sm_ctx_event_end(ctx))
        goto done;
    s_pack_short(p, sm_ctx_reply(ctx));
    rc = 0;
done:
    s_wipe(p);
    free(p);
    return rc;
}

/*  person.update: the fields given replace the stored ones. Returns 0 or -1. */
int op_person_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    person_t *p = calloc(2, sizeof *p);
    int rc = -1;
    if (!p)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    person_t *old = &p[1];
    if (s_resolve(ctx, sm_arg_str(ctx, "person"), "person", p))
        goto done;
    *old = *p;
    if (s_fields(ctx, p) || s_name_free(ctx, p, sm_arg_bool(ctx, "force", false)))
        goto done;
    p->updated_ms = sm_ctx_now_ms(ctx);
    if (s_name_index(ctx, old, false) || s_name_index(ctx, p, true) || s_store(ctx, p))
        goto done;
    s_pack_short(p, sm_ctx_reply(ctx));
    rc = 0;
done:
    s_wipe(p);
    s_wipe(old);
    free(p);
    return rc;
}

/*  person.get. Returns 0 or -1. */
int op_person_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    person_t *p = calloc(1, sizeof *p);
    if (!p)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = s_resolve(ctx, sm_arg_str(ctx, "person"), "person", p);
    if (rc == 0)
        s_pack_full(ctx, p, sm_ctx_reply(ctx));
    s_wipe(p);
    free(p);
    return rc;
}

/*  One page of person.list being gathered. */
typedef struct {
    const char *role;
    bool has_active, active;
    int64_t limit, n;
    uint64_t last;
    bool more;
    person_t p;
    sm_buf_t rows;
} s_page_t;

/*  sm_rec_scan visitor: pack the person when they pass the filters. */
static int s_list_one(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_page_t *pg = arg;
    if (s_load(ctx, id, &pg->p) <= 0)
        return sm_err_is_set(sm_ctx_err(ctx)) ? -1 : 0;
    if ((pg->role && strcmp(pg->role, pg->p.role) != 0) ||
        (pg->has_active && pg->p.active != pg->active))
        return 0;
    if (pg->n == pg->limit) {
        pg->more = true;
        return 1;
    }
    if (sm_ctx_sees_personal(ctx)) {
        char mid[24];
        sm_ctx_audit_id(ctx, sm_id_format('W', id, mid));
    }
    s_pack_full(ctx, &pg->p, &pg->rows.pk);
    pg->n++;
    pg->last = id;
    return 0;
}

/*  person.list: by role and whether active, in ID order. Returns 0 or -1. */
int op_person_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_page_t *pg = calloc(1, sizeof *pg);
    if (!pg)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    pg->role = sm_arg_str(ctx, "role");
    pg->has_active = sm_arg_has(ctx, "active");
    pg->active = sm_arg_bool(ctx, "active", true);
    pg->limit = sm_arg_int(ctx, "limit", LIST_DEFAULT);
    sm_buf_init(&pg->rows);
    int rc = sm_rec_scan(ctx, DB, sm_arg_id(ctx, "after"), s_list_one, pg);
    if (rc == 0) {
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "persons");
        msgpack_pack_array(pk, (size_t)pg->n);
        if (pg->rows.sbuf.size)
            sm_pack_raw(pk, pg->rows.sbuf.data, pg->rows.sbuf.size);
        sm_rec_pack_id(pk, "next", 'W', pg->more ? pg->last : 0);
    }
    if (pg->rows.sbuf.data)
        explicit_bzero(pg->rows.sbuf.data, pg->rows.sbuf.size);
    sm_buf_free(&pg->rows);
    s_wipe(&pg->p);
    free(pg);
    return rc;
}

/*  person.leave: see person.h. Returns 0 or -1. */
int op_person_leave(sm_ctx_t *ctx, const msgpack_object *args)
{
    person_t *p = calloc(2, sizeof *p);
    if (!p)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    person_t *succ = &p[1];
    sm_buf_t items;
    size_t n = 0;
    sm_buf_init(&items);
    int rc = -1;
    sm_date_t today = sm_date_today(), on = today;
    char d1[11], d2[11];
    if (s_resolve(ctx, sm_arg_str(ctx, "person"), "person", p))
        goto done;
    if (!p->active) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "person",
                    _("W%llu left on %s already; person handover W%llu shows what was handed "
                      "over"),
                    (unsigned long long)p->id, sm_date_format(p->left_on, d1),
                    (unsigned long long)p->id);
        goto done;
    }
    const char *to = sm_arg_str(ctx, "handover_to");
    if (to) {
        if (s_resolve(ctx, to, "handover_to", succ))
            goto done;
        if (succ->id == p->id) {
            sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "handover_to",
                        _("W%llu cannot hand over to themselves; name someone who stays, or "
                          "leave handover_to out to hand each item to its deputy"),
                        (unsigned long long)p->id);
            goto done;
        }
        if (!succ->active) {
            sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "handover_to",
                        _("W%llu has left the programme too; name a person who is active "
                          "(person list --active)"),
                        (unsigned long long)succ->id);
            goto done;
        }
    }
    if (sm_arg_date(ctx, "date", &on) && sm_date_cmp(on, today) > 0) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "date",
                    _("%s is after today (%s); record a leave on the day it happens"),
                    sm_date_format(on, d1), sm_date_format(today, d2));
        goto done;
    }
    p->active = false;
    p->has_left = true;
    p->left_on = on;
    p->successor = succ->id;
    p->updated_ms = sm_ctx_now_ms(ctx);
    if (s_store(ctx, p) || sm_staff_put(ctx, p->id, false))
        goto done;
    //  Intake's own items now, in this transaction; the others when they
    //  apply the event below, each in the transaction of its cursor.
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "intake.person.left");
    msgpack_pack_map(pk, 4);
    sm_rec_pack_id(pk, "id", 'W', p->id);
    sm_pack_kv_bool(pk, "active", false);
    sm_rec_pack_id(pk, "successor", 'W', succ->id);
    sm_rec_pack_date(pk, "left_on", true, on);
    if (sm_ctx_event_end(ctx) ||
        sm_owner_handover(ctx, advice_owned_kinds, p->id, succ->id, &items, &n) ||
        sm_owner_emit_handover(ctx, "intake", p->id, succ->id, &items, n))
        goto done;
    //  The stored part is the same array the event carries.
    sm_buf_t arr;
    sm_buf_init(&arr);
    msgpack_pack_array(&arr.pk, n);
    if (items.sbuf.size)
        sm_pack_raw(&arr.pk, items.sbuf.data, items.sbuf.size);
    rc = s_handover_put(ctx, p->id, 0, arr.sbuf.data, arr.sbuf.size, NULL);
    sm_buf_free(&arr);
    if (rc == 0)
        rc = s_pack_handover(ctx, p, sm_ctx_reply(ctx));
done:
    sm_buf_free(&items);
    s_wipe(p);
    s_wipe(succ);
    free(p);
    return rc;
}

/*  person.handover: what was handed over, as it stands. Returns 0 or -1. */
int op_person_handover(sm_ctx_t *ctx, const msgpack_object *args)
{
    person_t *p = calloc(1, sizeof *p);
    if (!p)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = s_resolve(ctx, sm_arg_str(ctx, "person"), "person", p);
    if (rc == 0 && p->active)
        rc = sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "person",
                         _("W%llu has not left; person leave W%llu hands their items over"),
                         (unsigned long long)p->id, (unsigned long long)p->id);
    if (rc == 0)
        rc = s_pack_handover(ctx, p, sm_ctx_reply(ctx));
    s_wipe(p);
    free(p);
    return rc;
}

/* ==== Events followed ===================================================== */

int on_handover_applied(sm_ctx_t *ctx, const char *type, uint64_t seq, const msgpack_object *data)
{
    const char *dot = strchr(type, '.');
    int svc = dot ? person_service_index(type, (size_t)(dot - type)) : -1;
    if (svc <= 0 || strcmp(dot, ".handover.applied") != 0)
        return 0;
    uint64_t person = sm_rec_id(data, "person", 'W');
    const msgpack_object *items = sm_map_get(data, "items");
    if (!person || !items || items->type != MSGPACK_OBJECT_ARRAY)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "person",
                           _("event %s has no person (W3) or no items; it is skipped"), type);
    return s_handover_put(ctx, person, svc, NULL, 0, items);
}
