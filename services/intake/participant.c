/*  services/intake/participant.c - the address file: register, update, get,
    find, withdraw, erase, export. See participant.h. */
#include "participant.h"
#include "advice.h"
#include "common/log.h"
#include "common/municipalities.h"
#include "common/text.h"
#include "intake.h"
#include "organisation.h"
#include "participant_index.h"
#include "pii.h"
#include "record.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FIND_DEFAULT 50

/* ==== Arguments ========================================================== */

/*  What a register or update request says, with the buffers the input's
    pointers point into. */
typedef struct {
    participant_input_t in;
    char *name;
    char email[PARTICIPANT_EMAIL_SIZE + 256];
    char phone[128];
    char postal_code[64];
    char municipality[PARTICIPANT_TEXT_SIZE + 64];
    char channel[PARTICIPANT_TEXT_SIZE + 64];
    char status[32];
    char consent_for[RECORD_CONSENT_FOR_SIZE];
    bool has_consent, has_consent_for, has_consent_given, has_status, force;
    sm_date_t consent_given;
} s_request_t;

/*  Wipe (it held personal data) and free a request; safe on NULL. */
static void s_request_free(s_request_t *r)
{
    if (!r)
        return;
    if (r->name) {
        explicit_bzero(r->name, strlen(r->name));
        free(r->name);
    }
    explicit_bzero(r, sizeof *r);
    free(r);
}

/*  An optional text argument into buf ("" allowed: it clears). Returns 1
    present (in *dst), 0 absent, -1 (ctx error). */
static int s_opt_str(sm_ctx_t *ctx, const msgpack_object *args, const char *key, char *buf,
                     size_t size, const char **dst)
{
    int rc = sm_get_str(args, key, false, buf, size, true, sm_ctx_err(ctx));
    if (rc > 0)
        *dst = buf;
    return rc;
}

/*  A list argument into rows; present lists replace. */
static int s_opt_list(sm_ctx_t *ctx, const msgpack_object *args, const char *key,
                      char (*rows)[PARTICIPANT_ITEM_SIZE], size_t *count)
{
    size_t n = 0;
    if (!sm_map_get(args, key))
        return 0;
    int rc = sm_get_str_array(args, key, false, (char *)rows, PARTICIPANT_ITEM_SIZE,
                              PARTICIPANT_LIST_MAX, &n, sm_ctx_err(ctx));
    if (rc < 0)
        return -1;
    *count = n;
    return rc;
}

/*  Read the fields of a register (update false) or update request into r;
    r->in is pre-filled by the caller and only present fields change it. */
static int s_read(sm_ctx_t *ctx, const msgpack_object *args, s_request_t *r, bool update,
                  sm_date_t today)
{
    sm_err_t *e = sm_ctx_err(ctx);
    participant_input_t *in = &r->in;
    int rc;
    //  The name may be long (a 100 KB name is refused by the rule, with the
    //  number of characters), so it is read whole, not into a fixed buffer.
    if ((rc = sm_get_text(args, "name", !update, PII_TEXT_MAX, &r->name, e)) < 0)
        return -1;
    if (rc > 0)
        in->name = r->name;
    int64_t year = 0;
    if (s_opt_str(ctx, args, "email", r->email, sizeof r->email, &in->email) < 0 ||
        s_opt_str(ctx, args, "phone", r->phone, sizeof r->phone, &in->phone) < 0 ||
        s_opt_str(ctx, args, "postal_code", r->postal_code, sizeof r->postal_code,
                  &in->postal_code) < 0 ||
        s_opt_str(ctx, args, "municipality", r->municipality, sizeof r->municipality,
                  &in->municipality) < 0 ||
        s_opt_str(ctx, args, "channel", r->channel, sizeof r->channel, &in->channel) < 0 ||
        (rc = sm_get_int(args, "birth_year", false, 0, 100000, &year, e)) < 0)
        return -1;
    if (rc > 0)
        in->birth_year = (int)year;
    if (s_opt_list(ctx, args, "labels", in->labels, &in->labels_count) < 0 ||
        s_opt_list(ctx, args, "target_groups", in->target_groups, &in->target_groups_count) < 0 ||
        s_opt_list(ctx, args, "themes", in->experience_themes, &in->experience_themes_count) < 0 ||
        s_opt_list(ctx, args, "accessibility", in->accessibility, &in->accessibility_count) < 0)
        return -1;
    if ((rc = sm_get_bool(args, "consent", !update, &in->consent, e)) < 0)
        return -1;
    r->has_consent = rc > 0;
    if ((rc = sm_get_str(args, "status", false, r->status, sizeof r->status, false, e)) < 0)
        return -1;
    if (rc > 0) {
        in->status = r->status;
        r->has_status = true;
    }
    char *text = NULL;
    if ((rc = sm_get_text(args, "consent_for", false, PII_TEXT_MAX, &text, e)) < 0)
        return -1;
    if (rc > 0) {
        rc = validate_text(text, "consent_for", RECORD_CONSENT_FOR_MAX_CHARS, r->consent_for,
                           sizeof r->consent_for, e);
        free(text);
        if (rc)
            return -1;
        r->has_consent_for = true;
    }
    char d[16], t[11];
    if ((rc = sm_get_str(args, "consent_given", false, d, sizeof d, false, e)) < 0 ||
        (rc > 0 && sm_date_parse(d, &r->consent_given, "consent_given", e)))
        return -1;
    if (rc > 0) {
        if (sm_date_cmp(r->consent_given, today) > 0)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "consent_given",
                               "consent_given %s is after today (%s); give the date consent "
                               "was given",
                               d, sm_date_format(today, t));
        r->has_consent_given = true;
    }
    bool force = false;
    if (sm_get_bool(args, "force", false, &force, e) < 0)
        return -1;
    r->force = force;
    return 0;
}

/*  Fill in from a stored record (the starting point of an update). The
    input's pointers point into rec, which must outlive it. */
static void s_prefill(participant_input_t *in, const record_t *rec)
{
    const participant_t *p = &rec->p;
    in->name = p->name;
    in->email = p->email;
    in->phone = p->phone;
    in->postal_code = p->postal_code;
    in->municipality = p->municipality;
    in->birth_year = p->birth_year;
    in->labels_count = record_label_names(p->labels, in->labels);
    memcpy(in->target_groups, p->target_groups, sizeof in->target_groups);
    in->target_groups_count = p->target_groups_count;
    memcpy(in->experience_themes, p->experience_themes, sizeof in->experience_themes);
    in->experience_themes_count = p->experience_themes_count;
    in->channel = p->channel;
    in->accessibility_count = record_need_names(p->accessibility, in->accessibility);
    in->consent = p->consent;
    in->status = participant_status_name(p->status);
}

/*  Themes are scheduling's themes, named by ID: check each is a T-ID and
    write it back in its canonical form ("t4" -> "T4"). */
static int s_themes(sm_ctx_t *ctx, participant_input_t *in)
{
    for (size_t i = 0; i < in->experience_themes_count; i++) {
        char *item = in->experience_themes[i];
        size_t a = 0, n = strlen(item);
        while (a < n && item[a] == ' ')
            a++;
        while (n > a && item[n - 1] == ' ')
            n--;
        char trimmed[32];
        uint64_t t = 0;
        if (n - a < sizeof trimmed) {
            memcpy(trimmed, item + a, n - a);
            trimmed[n - a] = '\0';
            t = sm_id_parse(trimmed, 'T', "themes", NULL);
        }
        if (!t)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "themes",
                               "themes item %zu must be a theme ID like T4 (see theme list in "
                               "scheduling)",
                               i + 1);
        sm_id_format('T', t, item);
    }
    return 0;
}

/*  Validate and normalise r into p, resolving the municipality to its code
    and the channel to an organisation. Returns 0 or -1 (ctx error). */
static int s_normalise(sm_ctx_t *ctx, s_request_t *r, participant_t *p, int year)
{
    if (s_themes(ctx, &r->in) ||
        participant_normalise(&r->in, year, p, sm_ctx_err(ctx)) != 0)
        return -1;
    for (size_t i = 0; i < p->experience_themes_count; i++)
        p->experience_themes[i][0] = 'T'; /*  the rule lower-cases open lists */
    if (p->municipality[0]) {
        sm_muni_t m;
        if (sm_muni_require(ctx, p->municipality, "municipality", &m) != 0)
            return -1;
        snprintf(p->municipality, sizeof p->municipality, "%s", m.code);
    }
    if (p->channel[0]) {
        char id[24];
        if (organisation_require(ctx, p->channel, "channel", id, NULL) != 0)
            return -1;
        snprintf(p->channel, sizeof p->channel, "%s", id);
    }
    return 0;
}

/*  Refuse an e-mail address or phone number another participant has,
    unless forced. On update (old not NULL) only a changed address or
    number is checked: one shared by a forced registration stays usable.
    Returns 0 or -1 (ctx error). */
static int s_unique(sm_ctx_t *ctx, const participant_t *p, const participant_t *old,
                    uint64_t self, bool force)
{
    if (force)
        return 0;
    uint64_t holder = 0;
    int rc = 0;
    if (p->email[0] && !(old && strcasecmp(old->email, p->email) == 0)) {
        char mail[PARTICIPANT_EMAIL_SIZE];
        snprintf(mail, sizeof mail, "%s", p->email);
        sm_ascii_lower(mail);
        rc = pindex_holder(ctx, "p_email", mail, self, &holder);
        explicit_bzero(mail, sizeof mail);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "email",
                               "this e-mail address is already in the address file for "
                               "participant P%llu; update P%llu instead, or give force: true "
                               "(samenctl: --force) to register another person with it",
                               (unsigned long long)holder, (unsigned long long)holder);
    }
    if (p->phone[0] && !(old && strcmp(old->phone, p->phone) == 0)) {
        rc = pindex_holder(ctx, "p_phone", p->phone, self, &holder);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "phone",
                               "this phone number is already in the address file for "
                               "participant P%llu; update P%llu instead, or give force: true "
                               "(samenctl: --force) to register another person with it",
                               (unsigned long long)holder, (unsigned long long)holder);
    }
    return 0;
}

/* ==== Events ============================================================= */

/*  Emit topic with the event view of rec. Returns 0 or -1 (ctx error). */
static int s_emit_record(sm_ctx_t *ctx, const char *topic, const record_t *rec, int year)
{
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    record_pack_event(rec, year, pk);
    return sm_ctx_event_end(ctx);
}

/*  Emit topic with {id} only. Returns 0 or -1 (ctx error). */
static int s_emit_id(sm_ctx_t *ctx, const char *topic, uint64_t id)
{
    char sid[24];
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    msgpack_pack_map(pk, 1);
    sm_pack_kv_str(pk, "id", sm_id_format('P', id, sid));
    return sm_ctx_event_end(ctx);
}

/* ==== Loading ============================================================ */

int participant_require(sm_ctx_t *ctx, const msgpack_object *args, record_t *rec)
{
    uint64_t id = 0;
    if (sm_get_id(args, "participant", 'P', true, &id, sm_ctx_err(ctx)) < 0)
        return -1;
    int rc = participant_load(ctx, id, rec);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "participant",
                           "there is no participant P%llu in the address file; see participant "
                           "find",
                           (unsigned long long)id);
    return 0;
}

/*  Allocate the working records of an op (they are several KB each). */
static record_t *s_records(size_t n)
{
    return calloc(n, sizeof(record_t));
}

/*  Wipe and free what s_records gave; safe on NULL. */
static void s_records_free(record_t *recs, size_t n)
{
    if (!recs)
        return;
    explicit_bzero(recs, n * sizeof *recs);
    free(recs);
}

/* ==== Register and update ================================================ */

/*  participant.register: see participant.h and proto/ops-intake.md. Returns 0,
    or -1 with the ctx error naming the field. */
int op_participant_register(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"name",          "email",         "phone",   "postal_code",
                                 "municipality",  "birth_year",    "labels",  "target_groups",
                                 "themes",        "channel",       "accessibility",
                                 "consent",       "consent_for",   "consent_given",
                                 "status",        "force",         NULL};
    sm_date_t today = sm_date_today();
    s_request_t *r = calloc(1, sizeof *r);
    record_t *rec = s_records(1);
    int rc = -1;
    if (!r || !rec) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        goto done;
    }
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) || s_read(ctx, args, r, false, today) ||
        s_normalise(ctx, r, &rec->p, today.y) || s_unique(ctx, &rec->p, NULL, 0, r->force))
        goto done;
    if (!(rec->id = sm_ctx_next_id(ctx, 'P')))
        goto done;
    rec->registered_ms = rec->updated_ms = sm_ctx_now_ms(ctx);
    snprintf(rec->consent_for, sizeof rec->consent_for, "%s",
             r->has_consent_for ? r->consent_for : RECORD_DEFAULT_CONSENT_FOR);
    rec->consent_given = r->has_consent_given ? r->consent_given : today;
    if (!rec->p.consent)
        rec->consent_withdrawn = today;
    if (participant_store(ctx, rec) || pindex_add(ctx, rec) || pii_sync_note(ctx, rec->id) ||
        s_emit_record(ctx, "intake.participant.registered", rec, today.y))
        goto done;
    record_pack_event(rec, today.y, sm_ctx_reply(ctx));
    rc = 0;
done:
    s_request_free(r);
    s_records_free(rec, 1);
    return rc;
}

/*  participant.update: the fields given replace the stored ones. Returns 0 or -1. */
int op_participant_update(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant",  "name",          "email",   "phone",
                                 "postal_code",  "municipality",  "birth_year", "labels",
                                 "target_groups", "themes",       "channel", "accessibility",
                                 "consent",      "consent_for",   "consent_given",
                                 "status",       "force",         NULL};
    sm_date_t today = sm_date_today();
    s_request_t *r = calloc(1, sizeof *r);
    record_t *recs = s_records(2), *old = recs, *rec = recs ? recs + 1 : NULL;
    int rc = -1;
    if (!r || !recs) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
        goto done;
    }
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) || participant_require(ctx, args, old))
        goto done;
    if (old->erased) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "participant",
                    "participant P%llu has been erased; an erased record cannot be changed "
                    "(register the person anew if they come back)",
                    (unsigned long long)old->id);
        goto done;
    }
    s_prefill(&r->in, old);
    if (s_read(ctx, args, r, true, today))
        goto done;
    //  Consent and status move together unless the request says otherwise:
    //  withdrawing consent withdraws the person, giving it back makes them
    //  active again.
    if (r->has_consent && !r->has_status) {
        if (!r->in.consent && old->p.consent)
            r->in.status = "withdrawn";
        else if (r->in.consent && !old->p.consent && old->p.status == PARTICIPANT_WITHDRAWN)
            r->in.status = "active";
    }
    if (s_normalise(ctx, r, &rec->p, today.y) || s_unique(ctx, &rec->p, &old->p, old->id, r->force))
        goto done;
    rec->id = old->id;
    rec->registered_ms = old->registered_ms;
    rec->updated_ms = sm_ctx_now_ms(ctx);
    snprintf(rec->consent_for, sizeof rec->consent_for, "%s",
             r->has_consent_for ? r->consent_for : old->consent_for);
    rec->consent_given = old->consent_given;
    rec->consent_withdrawn = old->consent_withdrawn;
    bool withdrawn = old->p.consent && !rec->p.consent;
    if (withdrawn)
        rec->consent_withdrawn = today;
    if (rec->p.consent && !old->p.consent) {
        rec->consent_given = r->has_consent_given ? r->consent_given : today;
        rec->consent_withdrawn = (sm_date_t){0, 0, 0};
    } else if (r->has_consent_given)
        rec->consent_given = r->consent_given;
    if (pindex_remove(ctx, old) || participant_store(ctx, rec) || pindex_add(ctx, rec) ||
        pii_sync_note(ctx, rec->id))
        goto done;
    if (withdrawn && s_emit_id(ctx, "intake.participant.consent_withdrawn", rec->id))
        goto done;
    if (s_emit_record(ctx, "intake.participant.updated", rec, today.y))
        goto done;
    record_pack_event(rec, today.y, sm_ctx_reply(ctx));
    rc = 0;
done:
    s_request_free(r);
    s_records_free(recs, 2);
    return rc;
}

/* ==== Withdraw and erase ================================================= */

/*  participant.withdraw: consent withdrawn, status withdrawn; a second
    withdrawal changes nothing. Returns 0 or -1. */
int op_participant_withdraw(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant", "date", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    sm_date_t today = sm_date_today(), date = today;
    record_t *recs = s_records(2), *old = recs, *rec = recs ? recs + 1 : NULL;
    char d[16], t[11];
    int rc = -1, has;
    if (!recs)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    if (sm_check_keys(args, keys, e) || participant_require(ctx, args, old) ||
        (has = sm_get_str(args, "date", false, d, sizeof d, false, e)) < 0 ||
        (has && sm_date_parse(d, &date, "date", e)))
        goto done;
    if (sm_date_cmp(date, today) > 0) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "date",
                    "date %s is after today (%s); give the day consent was withdrawn", d,
                    sm_date_format(today, t));
        goto done;
    }
    if (old->erased) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "participant",
                    "participant P%llu has been erased; nothing is left to withdraw",
                    (unsigned long long)old->id);
        goto done;
    }
    *rec = *old;
    if (!old->p.consent && old->p.status == PARTICIPANT_WITHDRAWN) {
        //  Withdrawn already: the same answer again, no new event.
        record_pack_event(rec, today.y, sm_ctx_reply(ctx));
        rc = 0;
        goto done;
    }
    rec->p.consent = false;
    rec->p.status = PARTICIPANT_WITHDRAWN;
    rec->consent_withdrawn = date;
    rec->updated_ms = sm_ctx_now_ms(ctx);
    if (pindex_remove(ctx, old) || participant_store(ctx, rec) || pindex_add(ctx, rec) ||
        s_emit_id(ctx, "intake.participant.consent_withdrawn", rec->id) ||
        s_emit_record(ctx, "intake.participant.updated", rec, today.y))
        goto done;
    record_pack_event(rec, today.y, sm_ctx_reply(ctx));
    rc = 0;
done:
    s_records_free(recs, 2);
    return rc;
}

/*  participant.erase: destroy the personal fields; erasing twice is fine.
    Returns 0 or -1. */
int op_participant_erase(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant", NULL};
    sm_date_t today = sm_date_today();
    record_t *rec = s_records(1);
    int rc = -1;
    bool already = false;
    if (!rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) || participant_require(ctx, args, rec))
        goto done;
    already = rec->erased;
    if (!already) {
        //  Every index entry goes (name words, e-mail, phone among them),
        //  the record is overwritten without its personal fields, and the
        //  entries of what is left come back.
        if (pindex_remove(ctx, rec))
            goto done;
        record_erase(rec, today.y, today);
        rec->updated_ms = sm_ctx_now_ms(ctx);
        if (participant_store(ctx, rec) || pindex_add(ctx, rec) || pii_sync_note(ctx, rec->id) ||
            advice_forget_sender(ctx, rec->id) ||
            s_emit_id(ctx, "intake.participant.erased", rec->id) ||
            sm_ctx_forget_replies(ctx, sm_id_format('P', rec->id, (char[24]){0})) < 0)
            goto done;
        char sid[24];
        sm_info("participant erased", "participant=%s", sm_id_format('P', rec->id, sid));
    }
    char sid[24], d[11];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 4);
    sm_pack_kv_str(pk, "id", sm_id_format('P', rec->id, sid));
    sm_pack_kv_str(pk, "status", "erased");
    sm_pack_kv_str(pk, "erased_on", rec->erased_on.y ? sm_date_format(rec->erased_on, d) : NULL);
    sm_pack_kv_bool(pk, "already_erased", already);
    rc = 0;
done:
    s_records_free(rec, 1);
    return rc;
}

/* ==== Get, find ========================================================== */

void participant_pack_full(sm_ctx_t *ctx, const record_t *rec, int year, msgpack_packer *pk)
{
    sm_muni_t m;
    organisation_t *o = malloc(sizeof *o);
    bool muni = rec->p.municipality[0] && sm_muni_find(ctx, rec->p.municipality, &m) == 1;
    bool chan = false;
    if (o && rec->p.channel[0]) {
        uint64_t oid = sm_id_parse(rec->p.channel, 'O', "channel", NULL);
        chan = oid && organisation_load(ctx, oid, o) == 1;
    }
    record_pack_full(rec, year, muni ? m.name : NULL, chan ? o->name : NULL, pk);
    free(o);
    sm_err_clear(sm_ctx_err(ctx));
}

/*  participant.get: the full record. Returns 0 or -1. */
int op_participant_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"participant", NULL};
    record_t *rec = s_records(1);
    int rc = -1;
    if (!rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, "out of memory");
    if (sm_check_keys(args, keys, sm_ctx_err(ctx)) == 0 && participant_require(ctx, args, rec) == 0) {
        participant_pack_full(ctx, rec, sm_date_today().y, sm_ctx_reply(ctx));
        rc = 0;
    }
    s_records_free(rec, 1);
    return rc;
}

int participant_label_index(const char *text)
{
    char key[48];
    size_t n = strlen(text), a = 0;
    while (a < n && text[a] == ' ')
        a++;
    while (n > a && text[n - 1] == ' ')
        n--;
    if (n - a == 0 || n - a >= sizeof key)
        return -1;
    for (size_t i = a; i < n; i++) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        key[i - a] = (c == '-' || c == ' ') ? '_' : c;
    }
    key[n - a] = '\0';
    for (int i = 0; i < PARTICIPANT_LABEL_COUNT; i++)
        if (strcmp(key, participant_label_name(i)) == 0)
            return i;
    return -1;
}

typedef struct {
    sm_buf_t rows;
    int year;
    uint64_t last;
} s_find_out_t;

/*  pindex_fn: pack one find row into the output buffer. Returns 0. */
static int s_find_row(sm_ctx_t *ctx, const record_t *rec, void *arg)
{
    s_find_out_t *out = arg;
    msgpack_packer *pk = &out->rows.pk;
    const participant_t *p = &rec->p;
    char id[24];
    char rows[PARTICIPANT_LIST_MAX][PARTICIPANT_ITEM_SIZE];
    size_t nl = record_label_names(p->labels, rows);
    msgpack_pack_map(pk, 12);
    sm_pack_kv_str(pk, "id", sm_id_format('P', rec->id, id));
    sm_pack_kv_str(pk, "name", p->name[0] ? p->name : NULL);
    sm_pack_kv_str(pk, "email", p->email[0] ? p->email : NULL);
    sm_pack_kv_str(pk, "phone", p->phone[0] ? p->phone : NULL);
    sm_pack_kv_str(pk, "municipality", p->municipality[0] ? p->municipality : NULL);
    sm_pack_kv_str(pk, "status", record_status(rec));
    sm_pack_kv_bool(pk, "consent", p->consent);
    sm_pack_kv_str(pk, "age_band", record_age_band(rec, out->year));
    sm_pack_str(pk, "labels");
    msgpack_pack_array(pk, nl);
    for (size_t i = 0; i < nl; i++)
        sm_pack_str(pk, rows[i]);
    sm_pack_str(pk, "target_groups");
    msgpack_pack_array(pk, p->target_groups_count);
    for (size_t i = 0; i < p->target_groups_count; i++)
        sm_pack_str(pk, p->target_groups[i]);
    sm_pack_str(pk, "themes");
    msgpack_pack_array(pk, p->experience_themes_count);
    for (size_t i = 0; i < p->experience_themes_count; i++)
        sm_pack_str(pk, p->experience_themes[i]);
    sm_pack_kv_str(pk, "channel", p->channel[0] ? p->channel : NULL);
    out->last = rec->id;
    return 0;
}

/*  participant.find: filters, paged by ID. Returns 0 or -1. */
int op_participant_find(sm_ctx_t *ctx, const msgpack_object *args)
{
    static const char *keys[] = {"target_group", "label",  "municipality", "theme",
                                 "consent",      "channel", "name",        "status",
                                 "email",        "phone",  "after",        "limit", NULL};
    sm_err_t *e = sm_ctx_err(ctx);
    pindex_query_t q;
    memset(&q, 0, sizeof q);
    q.consent = -1;
    char group[PARTICIPANT_ITEM_SIZE + 64], group_norm[PARTICIPANT_ITEM_SIZE];
    char label[64], muni[PARTICIPANT_TEXT_SIZE], theme[40], theme_id[24], channel[64],
        channel_id[24], status[32];
    char email[PARTICIPANT_EMAIL_SIZE + 64], email_norm[PARTICIPANT_EMAIL_SIZE];
    char phone[128], phone_norm[PARTICIPANT_PHONE_SIZE];
    char name[PARTICIPANT_NAME_SIZE], folded[PINDEX_QUERY_SIZE];
    uint64_t limit = FIND_DEFAULT;
    bool consent = false;
    int rc;
    sm_muni_t m;
    if (sm_check_keys(args, keys, e))
        return -1;
    if ((rc = sm_get_str(args, "target_group", false, group, sizeof group, false, e)) < 0 ||
        (rc > 0 && validate_text(group, "target_group", PARTICIPANT_ITEM_MAX_CHARS, group_norm,
                                 sizeof group_norm, e)))
        return -1;
    if (rc > 0)
        q.target_group = sm_ascii_lower(group_norm);
    if ((rc = sm_get_str(args, "label", false, label, sizeof label, false, e)) < 0)
        return -1;
    if (rc > 0) {
        int i = participant_label_index(label);
        if (i < 0)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "label",
                               "label is not known; use resident, client, parent, youth, "
                               "foster_parent, experience_expert, trained_experience_expert, "
                               "carer or professional");
        q.label = participant_label_name(i);
    }
    if ((rc = sm_get_str(args, "municipality", false, muni, sizeof muni, false, e)) < 0 ||
        (rc > 0 && sm_muni_require(ctx, muni, "municipality", &m)))
        return -1;
    if (rc > 0)
        q.municipality = m.code;
    if ((rc = sm_get_str(args, "theme", false, theme, sizeof theme, false, e)) < 0)
        return -1;
    if (rc > 0) {
        uint64_t t = sm_id_parse(theme, 'T', "theme", e);
        if (!t)
            return -1;
        q.theme = sm_id_format('T', t, theme_id);
    }
    if ((rc = sm_get_bool(args, "consent", false, &consent, e)) < 0)
        return -1;
    if (rc > 0)
        q.consent = consent;
    if ((rc = sm_get_str(args, "channel", false, channel, sizeof channel, false, e)) < 0 ||
        (rc > 0 && organisation_require(ctx, channel, "channel", channel_id, NULL)))
        return -1;
    if (rc > 0)
        q.channel = channel_id;
    if ((rc = sm_get_str(args, "status", false, status, sizeof status, false, e)) < 0)
        return -1;
    if (rc > 0) {
        if (strcmp(status, "active") && strcmp(status, "paused") && strcmp(status, "withdrawn") &&
            strcmp(status, "erased"))
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "status",
                               "status must be active, paused, withdrawn or erased");
        q.status = status;
    }
    if ((rc = sm_get_str(args, "email", false, email, sizeof email, false, e)) < 0 ||
        (rc > 0 && validate_email(email, "email", email_norm, sizeof email_norm, e)))
        return -1;
    if (rc > 0)
        q.email = sm_ascii_lower(email_norm);
    if ((rc = sm_get_str(args, "phone", false, phone, sizeof phone, false, e)) < 0 ||
        (rc > 0 && validate_phone(phone, "phone", phone_norm, sizeof phone_norm, e)))
        return -1;
    if (rc > 0)
        q.phone = phone_norm;
    if ((rc = sm_get_str(args, "name", false, name, sizeof name, false, e)) < 0)
        return -1;
    if (rc > 0) {
        if (pii_fold_words(name, strlen(name), folded, sizeof folded) <= 0)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "name",
                               "name must contain at least one letter or digit (part of the "
                               "name, like \"jans\" for Jansen)");
        q.name = folded;
    }
    if (sm_get_id(args, "after", 'P', false, &q.after, e) < 0 ||
        sm_get_uint(args, "limit", false, PINDEX_LIMIT_MAX, &limit, e) < 0)
        return -1;
    if (limit == 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "limit", "limit must be from 1 to %d",
                           PINDEX_LIMIT_MAX);
    q.limit = (size_t)limit;
    s_find_out_t out;
    sm_buf_init(&out.rows);
    out.year = sm_date_today().y;
    out.last = 0;
    bool more = false;
    long n = pindex_find(ctx, &q, s_find_row, &out, &more);
    explicit_bzero(name, sizeof name);
    explicit_bzero(folded, sizeof folded);
    if (n < 0) {
        sm_buf_free(&out.rows);
        return -1;
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    char next[24];
    msgpack_pack_map(pk, 2);
    sm_pack_str(pk, "participants");
    msgpack_pack_array(pk, (size_t)n);
    if (out.rows.sbuf.size)
        sm_pack_raw(pk, out.rows.sbuf.data, out.rows.sbuf.size);
    sm_pack_kv_str(pk, "next", more && n ? sm_id_format('P', out.last, next) : NULL);
    if (out.rows.sbuf.size)
        explicit_bzero(out.rows.sbuf.data, out.rows.sbuf.size);
    sm_buf_free(&out.rows);
    return 0;
}
