/*  services/intake/organisation.c - organisations: recruitment channels and
    senders of advice. See organisation.h. */
#include "organisation.h"
#include "common/i18n.h"
#include "common/municipalities.h"
#include "common/text.h"
#include "common/vocab.h"
#include "participant_index.h"
#include "pii.h"
#include <stdlib.h>
#include <string.h>

#define DB "organisations"
#define DB_NAMES "o_names" /*  lower(name) NUL municipality -> id8 */
#define LIST_DEFAULT 100


int organisation_kind_parse(const char *text, const char *field, char *out, sm_err_t *err)
{
    /*  A code, or a name in any language samen speaks (common/vocab.h). */
    int i = sm_vocab_find(&SM_VOCAB_ORGANISATION_KIND, text);
    if (i >= 0) {
        snprintf(out, ORGANISATION_KIND_SIZE, "%s", sm_vocab_code(&SM_VOCAB_ORGANISATION_KIND, i));
        return 0;
    }
    return sm_err_set(err, SM_E_INVALID_ARGUMENT, field,
                      _("%s is not a known kind of organisation; use client_organisation, "
                        "advisory_council, care_provider, school, association, municipality or "
                        "other"),
                      field);
}

/* ==== The record ========================================================= */

/*  Encode the stored form of o. Can't fail. */
static void s_encode(const organisation_t *o, msgpack_packer *pk)
{
    char id[24];
    msgpack_pack_map(pk, 9);
    sm_pack_kv_str(pk, "id", sm_id_format('O', o->id, id));
    sm_pack_kv_str(pk, "name", o->name);
    sm_pack_kv_str(pk, "kind", o->kind);
    sm_pack_kv_str(pk, "contact", o->contact);
    sm_pack_kv_str(pk, "contact_email", o->contact_email);
    sm_pack_kv_str(pk, "contact_phone", o->contact_phone);
    sm_pack_kv_str(pk, "municipality", o->municipality);
    sm_pack_kv_int(pk, "created_ms", o->created_ms);
    sm_pack_kv_int(pk, "updated_ms", o->updated_ms);
}

/*  Decode a stored organisation. Returns 0, or -1 when the bytes are not one. */
static int s_decode(const void *data, size_t size, organisation_t *o)
{
    memset(o, 0, sizeof *o);
    sm_doc_t *doc = sm_doc_parse(data, size, NULL);
    if (!doc)
        return -1;
    const msgpack_object *r = sm_doc_root(doc);
    char id[24];
    int rc = -1;
    if (sm_get_str(r, "id", true, id, sizeof id, false, NULL) > 0 &&
        (o->id = sm_id_parse(id, 'O', "id", NULL)) != 0 &&
        sm_get_str(r, "name", true, o->name, sizeof o->name, false, NULL) > 0 &&
        sm_get_str(r, "kind", true, o->kind, sizeof o->kind, false, NULL) > 0) {
        sm_get_str(r, "contact", false, o->contact, sizeof o->contact, true, NULL);
        sm_get_str(r, "contact_email", false, o->contact_email, sizeof o->contact_email, true,
                   NULL);
        sm_get_str(r, "contact_phone", false, o->contact_phone, sizeof o->contact_phone, true,
                   NULL);
        sm_get_str(r, "municipality", false, o->municipality, sizeof o->municipality, true, NULL);
        sm_get_int(r, "created_ms", false, 0, INT64_MAX, &o->created_ms, NULL);
        sm_get_int(r, "updated_ms", false, 0, INT64_MAX, &o->updated_ms, NULL);
        rc = 0;
    }
    sm_doc_destroy(&doc);
    return rc;
}

int organisation_load(sm_ctx_t *ctx, uint64_t id, organisation_t *out)
{
    MDB_val v;
    int rc = sm_ctx_get_u64(ctx, sm_ctx_dbi(ctx, DB), id, &v);
    if (rc <= 0)
        return rc;
    if (s_decode(v.mv_data, v.mv_size, out) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("the stored record of O%llu cannot be read; restore it from a backup"),
                           (unsigned long long)id);
    return 1;
}

int organisation_require(sm_ctx_t *ctx, const char *text, const char *field, char *id_out,
                         organisation_t *out)
{
    sm_err_t *e = sm_ctx_err(ctx);
    uint64_t id = sm_id_parse(text, 'O', field, NULL);
    if (!id)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, field,
                          _("%s must be an organisation ID like O3 (see organisation list; add "
                            "one with organisation add)"),
                          field);
    organisation_t scratch;
    int rc = organisation_load(ctx, id, out ? out : &scratch);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_err_set(e, SM_E_INVALID_ARGUMENT, field,
                          _("unknown %s O%llu: there is no such organisation; see organisation "
                            "list"),
                          field, (unsigned long long)id);
    sm_id_format('O', id, id_out);
    return 0;
}

/*  The o_names key of (name, municipality): lower-cased ASCII name. */
static size_t s_name_key(const organisation_t *o, char *key, size_t size)
{
    int n = snprintf(key, size, "%s", o->name);
    sm_ascii_lower(key);
    size_t len = (size_t)n + 1;
    int m = snprintf(key + len, size - len, "%s", o->municipality);
    return len + (size_t)m;
}

/* ==== Arguments ========================================================== */

/*  Read the fields of an add or update into o (update: only those given
    change; "" clears an optional one). The declaration has checked types
    and lengths; the rules of names, e-mail addresses, phone numbers and
    municipalities are applied here. Returns 0 or -1 (ctx error). */
static int s_fields(sm_ctx_t *ctx, organisation_t *o)
{
    sm_err_t *e = sm_ctx_err(ctx);
    const char *v;
    if ((v = sm_arg_str(ctx, "name")) &&
        validate_text(v, "name", ORGANISATION_NAME_MAX_CHARS, o->name, sizeof o->name, e))
        return -1;
    if ((v = sm_arg_str(ctx, "kind")) && organisation_kind_parse(v, "kind", o->kind, e))
        return -1;
    if ((v = sm_arg_str(ctx, "contact"))) {
        if (!v[0])
            o->contact[0] = '\0';
        else if (validate_text(v, "contact", PARTICIPANT_NAME_MAX_CHARS, o->contact,
                               sizeof o->contact, e))
            return -1;
    }
    if ((v = sm_arg_str(ctx, "contact_email"))) {
        if (!v[0])
            o->contact_email[0] = '\0';
        else if (validate_email(v, "contact_email", o->contact_email, sizeof o->contact_email, e))
            return -1;
    }
    if ((v = sm_arg_str(ctx, "contact_phone"))) {
        if (!v[0])
            o->contact_phone[0] = '\0';
        else if (validate_phone(v, "contact_phone", o->contact_phone, sizeof o->contact_phone, e))
            return -1;
    }
    if ((v = sm_arg_str(ctx, "municipality"))) {
        if (!v[0])
            o->municipality[0] = '\0';
        else {
            sm_muni_t m;
            if (sm_muni_require(ctx, v, "municipality", &m) != 0)
                return -1;
            snprintf(o->municipality, sizeof o->municipality, "%s", m.code);
        }
    }
    return 0;
}

/* ==== Views ============================================================== */

/*  The reply of a write: nothing about the contact person (write replies
    are kept for retries). */
static void s_pack_short(const organisation_t *o, msgpack_packer *pk)
{
    char id[24];
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "id", sm_id_format('O', o->id, id));
    sm_pack_kv_str(pk, "name", o->name);
    sm_pack_kv_str(pk, "kind", o->kind);
    sm_pack_kv_str(pk, "municipality", o->municipality[0] ? o->municipality : NULL);
}

/*  The read view, with the municipality's name and the number of
    participants recruited. Can't fail. */
static void s_pack_full(sm_ctx_t *ctx, const organisation_t *o, msgpack_packer *pk)
{
    char id[24], ts[24];
    sm_muni_t m;
    bool named = o->municipality[0] && sm_muni_find(ctx, o->municipality, &m) == 1;
    sm_id_format('O', o->id, id);
    msgpack_pack_map(pk, 10);
    sm_pack_kv_str(pk, "id", id);
    sm_pack_kv_str(pk, "name", o->name);
    sm_pack_kv_str(pk, "kind", o->kind);
    //  The contact person is personal data: only for the roles that see it.
    bool personal = sm_ctx_sees_personal(ctx);
    sm_pack_kv_str(pk, "contact", personal && o->contact[0] ? o->contact : NULL);
    sm_pack_kv_str(pk, "contact_email",
                   personal && o->contact_email[0] ? o->contact_email : NULL);
    sm_pack_kv_str(pk, "contact_phone",
                   personal && o->contact_phone[0] ? o->contact_phone : NULL);
    sm_pack_kv_str(pk, "municipality", o->municipality[0] ? o->municipality : NULL);
    sm_pack_kv_str(pk, "municipality_name", named ? m.name : NULL);
    sm_pack_kv_uint(pk, "participants_recruited", pindex_count(ctx, "p_channel", id));
    sm_pack_kv_str(pk, "added", o->created_ms ? sm_datetime_format_utc(o->created_ms, ts) : NULL);
}

/* ==== Ops ================================================================ */

/*  Store o under its ID. Returns 0 or -1 (ctx error). */
static int s_store(sm_ctx_t *ctx, const organisation_t *o)
{
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(o, &b.pk);
    int rc = sm_ctx_put_u64(ctx, sm_ctx_dbi(ctx, DB), o->id, &b);
    sm_buf_free(&b);
    return rc;
}

/*  Refuse a name already used in the same municipality by another
    organisation. Returns 0 or -1 (ctx error). */
static int s_name_free(sm_ctx_t *ctx, const organisation_t *o)
{
    char key[ORGANISATION_NAME_SIZE + 16];
    MDB_val v;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, DB_NAMES), key, s_name_key(o, key, sizeof key), &v);
    if (rc < 0)
        return -1;
    if (rc == 1 && v.mv_size == 8 && sm_key_u64_decode(v.mv_data) != o->id)
        return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "name",
                           o->municipality[0]
                               ? _("organisation O%llu already has this name in this "
                                   "municipality; use it, or give a distinguishing name")
                               : _("organisation O%llu already has this name; use it, or give a "
                                   "distinguishing name"),
                           (unsigned long long)sm_key_u64_decode(v.mv_data));
    return 0;
}

/*  Add (or, add false, remove) o's entry in o_names. Returns 0 or -1. */
static int s_name_put(sm_ctx_t *ctx, const organisation_t *o, bool add)
{
    char key[ORGANISATION_NAME_SIZE + 16];
    size_t klen = s_name_key(o, key, sizeof key);
    MDB_dbi dbi = sm_ctx_dbi(ctx, DB_NAMES);
    if (!add)
        return sm_ctx_del(ctx, dbi, key, klen);
    uint8_t v[8];
    sm_key_u64(o->id, v);
    return sm_ctx_put(ctx, dbi, key, klen, v, 8);
}

/*  organisation.add: see organisation.h and proto/ops-intake.md. Returns 0 or -1. */
int op_organisation_add(sm_ctx_t *ctx, const msgpack_object *args)
{
    organisation_t o;
    memset(&o, 0, sizeof o);
    if (s_fields(ctx, &o) || s_name_free(ctx, &o))
        return -1;
    if (!(o.id = sm_ctx_next_id(ctx, 'O')))
        return -1;
    o.created_ms = o.updated_ms = sm_ctx_now_ms(ctx);
    if (s_store(ctx, &o) || s_name_put(ctx, &o, true))
        return -1;
    char id[24];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, "intake.organisation.added");
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "id", sm_id_format('O', o.id, id));
    sm_pack_kv_str(pk, "kind", o.kind);
    sm_pack_kv_str(pk, "municipality", o.municipality[0] ? o.municipality : NULL);
    if (sm_ctx_event_end(ctx))
        return -1;
    s_pack_short(&o, sm_ctx_reply(ctx));
    return 0;
}

/*  Load the organisation the request names or refuse. */
static int s_require(sm_ctx_t *ctx, organisation_t *o)
{
    uint64_t id = sm_arg_id(ctx, "organisation");
    int rc = organisation_load(ctx, id, o);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "organisation",
                           _("there is no organisation O%llu; see organisation list"),
                           (unsigned long long)id);
    return 0;
}

/*  organisation.update: the fields given replace the stored ones. Returns 0 or -1. */
int op_organisation_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    organisation_t o, old;
    if (s_require(ctx, &o))
        return -1;
    old = o;
    if (s_fields(ctx, &o) || s_name_free(ctx, &o))
        return -1;
    o.updated_ms = sm_ctx_now_ms(ctx);
    if (s_name_put(ctx, &old, false) || s_name_put(ctx, &o, true) || s_store(ctx, &o))
        return -1;
    s_pack_short(&o, sm_ctx_reply(ctx));
    return 0;
}

/*  organisation.get. Returns 0 or -1. */
int op_organisation_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    organisation_t o;
    if (s_require(ctx, &o))
        return -1;
    s_pack_full(ctx, &o, sm_ctx_reply(ctx));
    return 0;
}

/*  organisation.list: by kind and municipality, paged. Returns 0 or -1. */
int op_organisation_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    char kind[ORGANISATION_KIND_SIZE] = "";
    const char *arg, *want_muni = NULL;
    sm_muni_t m;
    if ((arg = sm_arg_str(ctx, "kind")) && organisation_kind_parse(arg, "kind", kind, e))
        return -1;
    if ((arg = sm_arg_str(ctx, "municipality"))) {
        if (sm_muni_require(ctx, arg, "municipality", &m))
            return -1;
        want_muni = m.code;
    }
    uint64_t after = sm_arg_id(ctx, "after");
    uint64_t limit = (uint64_t)sm_arg_int(ctx, "limit", LIST_DEFAULT);
    MDB_cursor *cur;
    if (mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, DB), &cur) != 0)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read the organisations"));
    organisation_t *rows = malloc((limit + 1) * sizeof *rows);
    size_t n = 0;
    bool more = false;
    uint8_t from[8];
    sm_key_u64(after + 1, from);
    MDB_val k = {8, from}, v;
    for (int mrc = rows ? mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE) : -1; mrc == 0;
         mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (s_decode(v.mv_data, v.mv_size, &rows[n]) != 0)
            continue;
        if ((kind[0] && strcmp(kind, rows[n].kind)) ||
            (want_muni && strcmp(want_muni, rows[n].municipality)))
            continue;
        if (n == limit) {
            more = true;
            break;
        }
        n++;
    }
    mdb_cursor_close(cur);
    if (!rows)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    msgpack_packer *pk = sm_ctx_reply(ctx);
    char next[24];
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "organisations");
    msgpack_pack_array(pk, n);
    for (size_t i = 0; i < n; i++)
        s_pack_full(ctx, &rows[i], pk);
    sm_pack_kv_str(pk, "next", more && n ? sm_id_format('O', rows[n - 1].id, next) : NULL);
    free(rows);
    return 0;
}
