/*  services/intake/participant.c - the address file: register, update, get,
    find, withdraw, erase, export. See participant.h. */
#include "participant.h"
#include "advice.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/municipalities.h"
#include "common/text.h"
#include "consent.h"
#include "intake.h"
#include "mail.h"
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
    bool has_newsletter, newsletter;
    sm_date_t consent_given;
    /*  A parent's or guardian's consent (consent.h); "" clears it. */
    char guardian[PARTICIPANT_NAME_SIZE];
    bool has_guardian, has_guardian_given, has_contacted;
    sm_date_t guardian_given, contacted;
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
    present (in *dst), 0 absent. The declaration has checked its length. */
static int s_opt_str(sm_ctx_t *ctx, const char *key, char *buf, size_t size, const char **dst)
{
    const char *v = sm_arg_str(ctx, key);
    if (!v)
        return 0;
    snprintf(buf, size, "%s", v);
    *dst = buf;
    return 1;
}

/*  A list argument into rows; present lists replace. */
static void s_opt_list(sm_ctx_t *ctx, const char *key, char (*rows)[PARTICIPANT_ITEM_SIZE],
                       size_t *count)
{
    if (!sm_arg_has(ctx, key))
        return;
    const char *const *items;
    size_t n = sm_arg_list(ctx, key, &items);
    for (size_t i = 0; i < n && i < PARTICIPANT_LIST_MAX; i++)
        snprintf(rows[i], PARTICIPANT_ITEM_SIZE, "%s", items[i]);
    *count = n < PARTICIPANT_LIST_MAX ? n : PARTICIPANT_LIST_MAX;
}

/*  Read the date argument key, which may not lie after today, into *out
    and set *has when given. Returns 0, or -1 (ctx error naming key). */
static int s_past_date(sm_ctx_t *ctx, const char *key, sm_date_t today, sm_date_t *out,
                       bool *has)
{
    if (!sm_arg_date(ctx, key, out))
        return 0;
    char d[11], t[11];
    if (sm_date_cmp(*out, today) > 0)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, key,
                           _("%1$s %2$s is after today (%3$s); give the day it happened"), key,
                           sm_date_format(*out, d), sm_date_format(today, t));
    *has = true;
    return 0;
}

/*  Read the fields of a register (update false) or update request into r;
    r->in is pre-filled by the caller and only present fields change it.
    The declaration (proto/ops_intake.c) has checked types and lengths;
    what is left here is the address file's own rules. */
static int s_read(sm_ctx_t *ctx, s_request_t *r, bool update, sm_date_t today)
{
    participant_input_t *in = &r->in;
    const char *name = sm_arg_str(ctx, "name");
    if (name) {
        r->name = strdup(name);
        if (!r->name)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        in->name = r->name;
    }
    s_opt_str(ctx, "email", r->email, sizeof r->email, &in->email);
    s_opt_str(ctx, "phone", r->phone, sizeof r->phone, &in->phone);
    s_opt_str(ctx, "postal_code", r->postal_code, sizeof r->postal_code, &in->postal_code);
    s_opt_str(ctx, "municipality", r->municipality, sizeof r->municipality, &in->municipality);
    s_opt_str(ctx, "channel", r->channel, sizeof r->channel, &in->channel);
    if (sm_arg_has(ctx, "birth_year"))
        in->birth_year = (int)sm_arg_int(ctx, "birth_year", 0);
    s_opt_list(ctx, "labels", in->labels, &in->labels_count);
    s_opt_list(ctx, "target_groups", in->target_groups, &in->target_groups_count);
    s_opt_list(ctx, "themes", in->experience_themes, &in->experience_themes_count);
    s_opt_list(ctx, "accessibility", in->accessibility, &in->accessibility_count);
    r->has_consent = sm_arg_has(ctx, "consent");
    if (r->has_consent)
        in->consent = sm_arg_bool(ctx, "consent", false);
    if (s_opt_str(ctx, "status", r->status, sizeof r->status, &in->status) > 0)
        r->has_status = true;
    const char *consent_for = sm_arg_str(ctx, "consent_for");
    if (consent_for) {
        if (validate_text(consent_for, "consent_for", RECORD_CONSENT_FOR_MAX_CHARS,
                          r->consent_for, sizeof r->consent_for, sm_ctx_err(ctx)))
            return -1;
        r->has_consent_for = true;
    }
    if (s_past_date(ctx, "consent_given", today, &r->consent_given, &r->has_consent_given) ||
        s_past_date(ctx, "guardian_consent_given", today, &r->guardian_given,
                    &r->has_guardian_given) ||
        (update && s_past_date(ctx, "contacted", today, &r->contacted, &r->has_contacted)))
        return -1;
    const char *guardian = sm_arg_str(ctx, "guardian");
    if (guardian) {
        if (guardian[0] && validate_text(guardian, "guardian", PARTICIPANT_NAME_MAX_CHARS,
                                         r->guardian, sizeof r->guardian, sm_ctx_err(ctx)))
            return -1;
        r->has_guardian = true;
    }
    r->force = sm_arg_bool(ctx, "force", false);
    r->has_newsletter = sm_arg_has(ctx, "newsletter");
    r->newsletter = sm_arg_bool(ctx, "newsletter", false);
    return 0;
}

/*  The guardian's consent of rec after request r (a new record when old
    is NULL): a name given replaces the stored one ("" clears both), its
    day is the one given or, for a newly named guardian, today. Then the
    age rule (consent.h) for rec's birth year, labels and status. Returns 0
    or -1 (ctx error). */
static int s_guardian(sm_ctx_t *ctx, const s_request_t *r, const record_t *old, record_t *rec,
                      sm_date_t today)
{
    if (old) {
        snprintf(rec->guardian, sizeof rec->guardian, "%s", old->guardian);
        rec->guardian_consent_given = old->guardian_consent_given;
    }
    if (r->has_guardian) {
        bool renamed = strcmp(rec->guardian, r->guardian) != 0;
        snprintf(rec->guardian, sizeof rec->guardian, "%s", r->guardian);
        if (!r->guardian[0])
            rec->guardian_consent_given = (sm_date_t){0, 0, 0};
        else if (renamed || !rec->guardian_consent_given.y)
            rec->guardian_consent_given = today;
    }
    if (r->has_guardian_given)
        rec->guardian_consent_given = r->guardian_given;
    return consent_check(rec->p.birth_year, rec->p.status == PARTICIPANT_WITHDRAWN,
                         rec->guardian[0] != 0, rec->guardian_consent_given, today.y,
                         sm_ctx_err(ctx));
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
                               _("themes item %zu must be a theme ID like T4 (see theme list in "
                                 "scheduling)"),
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
                               _("this e-mail address is already in the address file for "
                                 "participant P%llu; update P%llu instead, or give force: true "
                                 "(samenctl: --force) to register another person with it"),
                               (unsigned long long)holder, (unsigned long long)holder);
    }
    if (p->phone[0] && !(old && strcmp(old->phone, p->phone) == 0)) {
        rc = pindex_holder(ctx, "p_phone", p->phone, self, &holder);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return sm_ctx_fail(ctx, SM_E_ALREADY_EXISTS, "phone",
                               _("this phone number is already in the address file for "
                                 "participant P%llu; update P%llu instead, or give force: true "
                                 "(samenctl: --force) to register another person with it"),
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

int participant_require(sm_ctx_t *ctx, record_t *rec)
{
    uint64_t id = sm_arg_id(ctx, "participant");
    int rc = participant_load(ctx, id, rec);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "participant",
                           _("there is no participant P%llu in the address file; see participant "
                             "find"),
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

/* ==== The newsletter's consent ============================================ */

/*  Apply a newsletter consent given (on) or withdrawn (off) on day to rec;
    a first consent gets the unsubscribe token its newsletters link to.
    Returns 0, or -1 (ctx error). */
static int s_newsletter(sm_ctx_t *ctx, record_t *rec, bool on, sm_date_t day)
{
    if (on == rec->newsletter)
        return 0;
    rec->newsletter = on;
    if (on) {
        rec->newsletter_given = day;
        rec->newsletter_withdrawn = (sm_date_t){0, 0, 0};
        if (!rec->newsletter_token[0] && record_new_token(rec) != 0)
            return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                               _("no random bytes for the unsubscribe link; try again"));
        return 0;
    }
    rec->newsletter_withdrawn = day;
    return mail_cancel_for(ctx, rec->id, 1u << MAIL_NEWSLETTER, "unsubscribed", false) < 0 ? -1
                                                                                          : 0;
}

/* ==== Register and update ================================================ */

/*  participant.register: see participant.h and proto/ops-intake.md. Returns 0,
    or -1 with the ctx error naming the field. */
int op_participant_register(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_date_t today = sm_date_today();
    s_request_t *r = calloc(1, sizeof *r);
    record_t *rec = s_records(1);
    int rc = -1;
    if (!r || !rec) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto done;
    }
    if (s_read(ctx, r, false, today) || s_normalise(ctx, r, &rec->p, today.y) || s_unique(ctx, &rec->p, NULL, 0, r->force))
        goto done;
    if (!(rec->id = sm_ctx_next_id(ctx, 'P')))
        goto done;
    rec->registered_ms = rec->updated_ms = sm_ctx_now_ms(ctx);
    snprintf(rec->consent_for, sizeof rec->consent_for, "%s",
             r->has_consent_for ? r->consent_for : RECORD_DEFAULT_CONSENT_FOR);
    rec->consent_given = r->has_consent_given ? r->consent_given : today;
    if (!rec->p.consent)
        rec->consent_withdrawn = today;
    //  Contact: the day they agreed to be in the file.
    rec->last_contact = rec->consent_given;
    if (s_guardian(ctx, r, NULL, rec, today) ||
        (r->has_newsletter && s_newsletter(ctx, rec, r->newsletter, today)))
        goto done;
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
    sm_date_t today = sm_date_today();
    s_request_t *r = calloc(1, sizeof *r);
    record_t *recs = s_records(2), *old = recs, *rec = recs ? recs + 1 : NULL;
    int rc = -1;
    if (!r || !recs) {
        sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        goto done;
    }
    if (participant_require(ctx, old))
        goto done;
    if (old->erased) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "participant",
                    _("participant P%llu has been erased; an erased record cannot be changed "
                      "(register the person anew if they come back)"),
                    (unsigned long long)old->id);
        goto done;
    }
    s_prefill(&r->in, old);
    if (s_read(ctx, r, true, today))
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
    rec->newsletter = old->newsletter;
    rec->newsletter_given = old->newsletter_given;
    rec->newsletter_withdrawn = old->newsletter_withdrawn;
    memcpy(rec->newsletter_token, old->newsletter_token, sizeof rec->newsletter_token);
    if (r->has_newsletter && s_newsletter(ctx, rec, r->newsletter, today))
        goto done;
    if (withdrawn && mail_cancel_for(ctx, rec->id, 0, "consent_withdrawn", false) < 0)
        goto done;
    if (rec->p.consent && !old->p.consent) {
        rec->consent_given = r->has_consent_given ? r->consent_given : today;
        rec->consent_withdrawn = (sm_date_t){0, 0, 0};
    } else if (r->has_consent_given)
        rec->consent_given = r->consent_given;
    //  Every update is contact (on the day given as contacted, or today).
    rec->last_contact = consent_later(record_last_contact(old),
                                      r->has_contacted ? r->contacted : today);
    if (s_guardian(ctx, r, old, rec, today))
        goto done;
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
    sm_date_t today = sm_date_today(), date = today;
    record_t *recs = s_records(2), *old = recs, *rec = recs ? recs + 1 : NULL;
    char d[11], t[11];
    int rc = -1;
    if (!recs)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (participant_require(ctx, old))
        goto done;
    sm_arg_date(ctx, "date", &date);
    if (sm_date_cmp(date, today) > 0) {
        sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "date",
                    _("date %s is after today (%s); give the day consent was withdrawn"),
                    sm_date_format(date, d), sm_date_format(today, t));
        goto done;
    }
    if (old->erased) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "participant",
                    _("participant P%llu has been erased; nothing is left to withdraw"),
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
        mail_cancel_for(ctx, rec->id, 0, "consent_withdrawn", false) < 0 ||
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
    sm_date_t today = sm_date_today();
    record_t *rec = s_records(1);
    int rc = -1;
    bool already = false;
    if (!rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (participant_require(ctx, rec))
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
            mail_cancel_for(ctx, rec->id, 0, "erased", true) < 0 ||
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
    char sid[24];
    sm_ctx_audit_id(ctx, sm_id_format('P', rec->id, sid));
    organisation_t *o = malloc(sizeof *o);
    bool muni = rec->p.municipality[0] && sm_muni_find(ctx, rec->p.municipality, &m) == 1;
    bool chan = false;
    if (o && rec->p.channel[0]) {
        uint64_t oid = sm_id_parse(rec->p.channel, 'O', "channel", NULL);
        chan = oid && organisation_load(ctx, oid, o) == 1;
    }
    record_pack_full(rec, year, muni ? m.name : NULL, chan ? o->name : NULL,
                     sm_ctx_sees_personal(ctx), pk);
    free(o);
    sm_err_clear(sm_ctx_err(ctx));
}

/*  participant.get: the full record (personal fields only for the roles
    that may see them). Returns 0 or -1. */
int op_participant_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    record_t *rec = s_records(1);
    int rc = -1;
    if (!rec)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (participant_require(ctx, rec) == 0) {
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
    bool personal; /*  the caller sees names, e-mail addresses, phone numbers */
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
    if (out->personal) {
        sm_ctx_audit_id(ctx, id);
        sm_pack_kv_str(pk, "name", p->name[0] ? p->name : NULL);
        sm_pack_kv_str(pk, "email", p->email[0] ? p->email : NULL);
        sm_pack_kv_str(pk, "phone", p->phone[0] ? p->phone : NULL);
    } else {
        sm_pack_kv_nil(pk, "name");
        sm_pack_kv_nil(pk, "email");
        sm_pack_kv_nil(pk, "phone");
    }
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

/*  participant.find: filters, paged by ID. A caller who may not see
    personal fields cannot search by them either. Returns 0 or -1. */
int op_participant_find(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_err_t *e = sm_ctx_err(ctx);
    pindex_query_t q;
    memset(&q, 0, sizeof q);
    q.consent = -1;
    char group_norm[PARTICIPANT_ITEM_SIZE];
    char email_norm[PARTICIPANT_EMAIL_SIZE], phone_norm[PARTICIPANT_PHONE_SIZE];
    char folded[PINDEX_QUERY_SIZE], channel_id[24];
    const char *v;
    sm_muni_t m;
    bool personal = sm_ctx_sees_personal(ctx);
    static const char *const personal_filters[] = {"name", "email", "phone", NULL};
    for (int i = 0; personal_filters[i]; i++)
        if (!personal && sm_arg_has(ctx, personal_filters[i]))
            return sm_ctx_fail(ctx, SM_E_PERMISSION_DENIED, personal_filters[i],
                               _("finding people by %s needs the coordinator or admin role"),
                               personal_filters[i]);
    if ((v = sm_arg_str(ctx, "target_group"))) {
        if (validate_text(v, "target_group", PARTICIPANT_ITEM_MAX_CHARS, group_norm,
                          sizeof group_norm, e))
            return -1;
        q.target_group = sm_ascii_lower(group_norm);
    }
    if ((v = sm_arg_str(ctx, "label"))) {
        int i = participant_label_index(v);
        if (i < 0)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "label",
                               _("label is not known; use resident, client, parent, youth, "
                                 "foster_parent, experience_expert, trained_experience_expert, "
                                 "carer or professional"));
        q.label = participant_label_name(i);
    }
    if ((v = sm_arg_str(ctx, "municipality"))) {
        if (sm_muni_require(ctx, v, "municipality", &m))
            return -1;
        q.municipality = m.code;
    }
    q.theme = sm_arg_str(ctx, "theme");
    if (sm_arg_has(ctx, "consent"))
        q.consent = sm_arg_bool(ctx, "consent", false);
    if ((v = sm_arg_str(ctx, "channel"))) {
        if (organisation_require(ctx, v, "channel", channel_id, NULL))
            return -1;
        q.channel = channel_id;
    }
    q.status = sm_arg_str(ctx, "status");
    if ((v = sm_arg_str(ctx, "email"))) {
        if (validate_email(v, "email", email_norm, sizeof email_norm, e))
            return -1;
        q.email = sm_ascii_lower(email_norm);
    }
    if ((v = sm_arg_str(ctx, "phone"))) {
        if (validate_phone(v, "phone", phone_norm, sizeof phone_norm, e))
            return -1;
        q.phone = phone_norm;
    }
    if ((v = sm_arg_str(ctx, "name"))) {
        if (pii_fold_words(v, strlen(v), folded, sizeof folded) <= 0)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "name",
                               _("name must contain at least one letter or digit (part of the "
                                 "name, like \"jans\" for Jansen)"));
        q.name = folded;
    }
    q.after = sm_arg_id(ctx, "after");
    int64_t limit = sm_arg_int(ctx, "limit", FIND_DEFAULT);
    q.limit = (size_t)limit;
    s_find_out_t out;
    sm_buf_init(&out.rows);
    out.year = sm_date_today().y;
    out.last = 0;
    out.personal = personal;
    bool more = false;
    long n = pindex_find(ctx, &q, s_find_row, &out, &more);
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

/* ==== Unsubscribing from the newsletter ==================================== */

/*  newsletter.unsubscribe {token}: the link in every newsletter (through
    the unsubscribe endpoint, mail_web.c). Withdraws the newsletter's
    consent of the participant holding token and cancels their queued
    newsletters; a second time changes nothing. The reply names the
    participant by ID only. Returns 0, or -1 (not_found for a token nobody
    holds: an old link of an erased person, or a mistyped one). */
int op_newsletter_unsubscribe(sm_ctx_t *ctx, const msgpack_object *args)
{
    sm_date_t today = sm_date_today();
    const char *token = sm_arg_str(ctx, "token");
    record_t *recs = s_records(2), *old = recs, *rec = recs ? recs + 1 : NULL;
    uint64_t id = 0;
    int rc = -1;
    if (!recs)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    bool shaped = strlen(token) == 32 && strspn(token, "0123456789abcdef") == 32;
    int found = shaped ? pindex_holder(ctx, "p_token", token, 0, &id) : 0;
    if (found < 0)
        goto done;
    if (found == 0 || participant_load(ctx, id, old) != 1) {
        sm_ctx_fail(ctx, SM_E_NOT_FOUND, "token",
                    _("this unsubscribe link is not known: it may be mistyped, or the person's "
                      "data has been erased (then nothing more is sent anyway)"));
        goto done;
    }
    *rec = *old;
    bool already = !old->newsletter;
    if (!already) {
        rec->updated_ms = sm_ctx_now_ms(ctx);
        //  No event: the newsletter's consent is not in the event view
        //  (intake itself sends the newsletter); the audit log has it.
        if (s_newsletter(ctx, rec, false, today) || pindex_remove(ctx, old) ||
            participant_store(ctx, rec) || pindex_add(ctx, rec))
            goto done;
        char sid[24];
        sm_info("newsletter unsubscribed", "participant=%s", sm_id_format('P', rec->id, sid));
    }
    char sid[24];
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 3);
    sm_pack_kv_str(pk, "participant", sm_id_format('P', rec->id, sid));
    sm_pack_kv_bool(pk, "newsletter", false);
    sm_pack_kv_bool(pk, "already", already);
    rc = 0;
done:
    s_records_free(recs, 2);
    return rc;
}
