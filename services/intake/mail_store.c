/*  services/intake/mail_store.c - the stored mails: their records, the
    indexes that follow their state, their events, and cancelling. See
    mail.h.

    Databases:
        mails          M<n> -> the record (a map)
        mail_due       next_ms(8) id(8): queued and retrying mails, by when
        mail_sending   id(8): mails committed as "sending"
        mail_by_p      participant(8) id(8)
        mail_by_s      session(8) id(8)
        mail_keys      "report:R9:P7" -> id(8): at most one mail per key
*/
#include "common/i18n.h"
#include "common/log.h"
#include "common/record.h"
#include "intake.h"
#include "mail.h"
#include <stdlib.h>
#include <string.h>

#define DB_MAILS "mails"

static const char *const s_kinds[MAIL_KINDS] = {"invitation",   "confirmation", "waitlisted",
                                                "promoted",     "cancellation", "reminder",
                                                "report",       "newsletter"};
static const char *const s_states[MAIL_STATES] = {"queued", "sending",  "sent",      "retrying",
                                                  "failed", "gave_up", "cancelled", "skipped"};

const char *mail_kind_name(mail_kind_t kind)
{
    return kind < MAIL_KINDS ? s_kinds[kind] : "unknown";
}

int mail_kind_parse(const char *text, mail_kind_t *out)
{
    for (int i = 0; i < MAIL_KINDS; i++)
        if (strcmp(text, s_kinds[i]) == 0) {
            *out = (mail_kind_t)i;
            return 0;
        }
    return -1;
}

const char *mail_state_name(mail_state_t state)
{
    return state < MAIL_STATES ? s_states[state] : "unknown";
}

int mail_state_parse(const char *text, mail_state_t *out)
{
    for (int i = 0; i < MAIL_STATES; i++)
        if (strcmp(text, s_states[i]) == 0) {
            *out = (mail_state_t)i;
            return 0;
        }
    return -1;
}

bool mail_kind_has_session(mail_kind_t kind)
{
    return kind != MAIL_NEWSLETTER;
}

mail_t *mail_of(sm_ctx_t *ctx)
{
    intake_t *state = intake_of(ctx);
    return state ? state->mail : NULL;
}

/* ==== The record ============================================================== */

void mail_rec_free(mail_rec_t *rec)
{
    if (rec->message) {
        explicit_bzero(rec->message, rec->message_len);
        free(rec->message);
        rec->message = NULL;
    }
    rec->message_len = 0;
}

/*  Pack rec as stored. Can't fail. */
static void s_encode(const mail_rec_t *r, msgpack_packer *pk)
{
    msgpack_pack_map(pk, 23);
    sm_rec_pack_id(pk, "id", 'M', r->id);
    sm_pack_kv_str(pk, "kind", mail_kind_name(r->kind));
    sm_pack_kv_str(pk, "state", mail_state_name(r->state));
    sm_rec_pack_id(pk, "participant", 'P', r->participant);
    sm_rec_pack_id(pk, "session", 'S', r->session);
    sm_rec_pack_id(pk, "report", 'R', r->report);
    sm_pack_kv_int(pk, "report_version", r->report_version);
    sm_pack_kv_str(pk, "reason", r->reason);
    sm_pack_kv_int(pk, "attempts", r->attempts);
    sm_pack_kv_int(pk, "queued_ms", r->queued_ms);
    sm_pack_kv_int(pk, "next_ms", r->next_ms);
    sm_pack_kv_int(pk, "last_try_ms", r->last_try_ms);
    sm_pack_kv_int(pk, "sent_ms", r->sent_ms);
    sm_pack_kv_int(pk, "relay_code", r->relay_code);
    sm_pack_kv_str(pk, "relay_reply", r->relay_reply);
    sm_pack_kv_str(pk, "message_id", r->message_id);
    sm_pack_kv_str(pk, "to", r->to);
    sm_pack_kv_str(pk, "subject", r->subject);
    sm_pack_str(pk, "message");
    if (r->message)
        sm_pack_strn(pk, r->message, r->message_len);
    else
        msgpack_pack_nil(pk);
    sm_pack_kv_str(pk, "key", r->key);
    sm_pack_kv_str(pk, "requested_by", r->requested_by);
    sm_pack_kv_str(pk, "lang", r->lang);
    sm_rec_pack_date(pk, "reply_by", r->reply_by.y != 0, r->reply_by);
}

/*  Fill r from a stored map. Returns 0, or -1 when it is not a mail. */
static int s_decode(const msgpack_object *o, uint64_t id, mail_rec_t *r)
{
    char word[32];
    memset(r, 0, sizeof *r);
    r->id = id;
    if (mail_kind_parse(sm_rec_str(o, "kind", word, sizeof word), &r->kind) != 0 ||
        mail_state_parse(sm_rec_str(o, "state", word, sizeof word), &r->state) != 0)
        return -1;
    r->participant = sm_rec_id(o, "participant", 'P');
    r->session = sm_rec_id(o, "session", 'S');
    r->report = sm_rec_id(o, "report", 'R');
    r->report_version = (int)sm_rec_int(o, "report_version", 0);
    sm_rec_str(o, "reason", r->reason, sizeof r->reason);
    r->attempts = (int)sm_rec_int(o, "attempts", 0);
    r->queued_ms = sm_rec_int(o, "queued_ms", 0);
    r->next_ms = sm_rec_int(o, "next_ms", 0);
    r->last_try_ms = sm_rec_int(o, "last_try_ms", 0);
    r->sent_ms = sm_rec_int(o, "sent_ms", 0);
    r->relay_code = (int)sm_rec_int(o, "relay_code", 0);
    sm_rec_str(o, "relay_reply", r->relay_reply, sizeof r->relay_reply);
    sm_rec_str(o, "message_id", r->message_id, sizeof r->message_id);
    sm_rec_str(o, "to", r->to, sizeof r->to);
    sm_rec_str(o, "subject", r->subject, sizeof r->subject);
    const msgpack_object *m = sm_map_get(o, "message");
    if (m && m->type == MSGPACK_OBJECT_STR && m->via.str.size) {
        if (!(r->message = malloc(m->via.str.size + 1)))
            return -1;
        memcpy(r->message, m->via.str.ptr, m->via.str.size);
        r->message[m->via.str.size] = '\0';
        r->message_len = m->via.str.size;
    }
    sm_rec_str(o, "key", r->key, sizeof r->key);
    sm_rec_str(o, "requested_by", r->requested_by, sizeof r->requested_by);
    sm_rec_str(o, "lang", r->lang, sizeof r->lang);
    sm_rec_date(o, "reply_by", &r->reply_by);
    return 0;
}

int mail_load(sm_ctx_t *ctx, uint64_t id, mail_rec_t *rec)
{
    sm_doc_t *doc = NULL;
    int rc = sm_rec_get(ctx, DB_MAILS, id, &doc);
    if (rc <= 0)
        return rc;
    if (s_decode(sm_doc_root(doc), id, rec) != 0) {
        sm_doc_destroy(&doc);
        mail_rec_free(rec);
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL,
                           _("the stored mail M%llu cannot be read; restore it from a backup"),
                           (unsigned long long)id);
    }
    sm_doc_destroy(&doc);
    return 1;
}

/*  True for the states that wait in mail_due. */
static bool s_waits(mail_state_t s)
{
    return s == MAIL_QUEUED || s == MAIL_RETRYING;
}

/*  Add or drop rec's state index entry. */
static int s_state_index(sm_ctx_t *ctx, const mail_rec_t *rec, bool add)
{
    uint8_t when[8];
    int (*fn)(sm_ctx_t *, const char *, const void *, size_t, uint64_t) =
        add ? sm_idx_put : sm_idx_del;
    if (s_waits(rec->state)) {
        sm_key_u64((uint64_t)(rec->next_ms > 0 ? rec->next_ms : 0), when);
        return fn(ctx, "mail_due", when, 8, rec->id);
    }
    if (rec->state == MAIL_SENDING)
        return fn(ctx, "mail_sending", NULL, 0, rec->id);
    return 0;
}

int mail_store(sm_ctx_t *ctx, const mail_rec_t *rec, const mail_rec_t *prev)
{
    if (prev && s_state_index(ctx, prev, false) != 0)
        return -1;
    if (s_state_index(ctx, rec, true) != 0)
        return -1;
    sm_buf_t b;
    sm_buf_init(&b);
    s_encode(rec, &b.pk);
    int rc = sm_rec_put(ctx, DB_MAILS, rec->id, &b);
    explicit_bzero(b.sbuf.data, b.sbuf.size);
    sm_buf_free(&b);
    return rc;
}

int mail_key_find(sm_ctx_t *ctx, const char *key, uint64_t *id)
{
    MDB_val v;
    *id = 0;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, "mail_keys"), key, strlen(key), &v);
    if (rc < 0)
        return -1;
    if (rc == 1 && v.mv_size == 8)
        *id = sm_key_u64_decode(v.mv_data);
    return 0;
}

int mail_emit(sm_ctx_t *ctx, const char *verb, const mail_rec_t *rec, const char *why)
{
    char topic[48];
    snprintf(topic, sizeof topic, "intake.mail.%s", verb);
    msgpack_packer *pk = sm_ctx_event_begin(ctx, topic);
    if (!pk)
        return -1;
    msgpack_pack_map(pk, 7);
    sm_rec_pack_id(pk, "id", 'M', rec->id);
    sm_pack_kv_str(pk, "kind", mail_kind_name(rec->kind));
    sm_rec_pack_id(pk, "participant", 'P', rec->participant);
    sm_rec_pack_id(pk, "session", 'S', rec->session);
    sm_rec_pack_id(pk, "report", 'R', rec->report);
    sm_pack_kv_int(pk, "attempts", rec->attempts);
    sm_pack_kv_str(pk, "why", why);
    return sm_ctx_event_end(ctx);
}

int mail_create(sm_ctx_t *ctx, mail_rec_t *rec)
{
    if (rec->key[0]) {
        uint64_t holder = 0;
        if (mail_key_find(ctx, rec->key, &holder) != 0)
            return -1;
        if (holder) {
            rec->id = 0;
            return 0;
        }
    }
    if (!rec->id && !(rec->id = sm_ctx_next_id(ctx, 'M')))
        return -1;
    uint8_t idb[8], p[8], s[8];
    sm_key_u64(rec->id, idb);
    sm_key_u64(rec->participant, p);
    sm_key_u64(rec->session, s);
    if (mail_store(ctx, rec, NULL) != 0 || sm_idx_put(ctx, "mail_by_p", p, 8, rec->id) != 0 ||
        (rec->session && sm_idx_put(ctx, "mail_by_s", s, 8, rec->id) != 0) ||
        (rec->key[0] &&
         sm_ctx_put(ctx, sm_ctx_dbi(ctx, "mail_keys"), rec->key, strlen(rec->key), idb, 8) != 0))
        return -1;
    char mid[24], pid[24];
    sm_id_format('M', rec->id, mid);
    sm_id_format('P', rec->participant, pid);
    if (rec->state == MAIL_QUEUED) {
        sm_info("mail queued", "mail=%s kind=%s participant=%s", mid, mail_kind_name(rec->kind),
                pid);
        return mail_emit(ctx, "queued", rec, NULL);
    }
    sm_info("mail skipped", "mail=%s kind=%s participant=%s reason=%s", mid,
            mail_kind_name(rec->kind), pid, rec->reason);
    return 0;
}

const char *mail_refusal(const record_t *rec, mail_kind_t kind)
{
    if (rec->erased)
        return "erased";
    if (kind == MAIL_NEWSLETTER) {
        if (!rec->newsletter)
            return "no_newsletter_consent";
    } else if (!rec->p.consent || rec->p.status == PARTICIPANT_WITHDRAWN)
        return "consent_withdrawn";
    if (kind == MAIL_INVITATION && rec->p.status == PARTICIPANT_PAUSED)
        return "paused";
    if (!rec->p.email[0])
        return "no_email";
    return NULL;
}

/* ==== Cancelling ================================================================ */

typedef struct {
    uint64_t participant; /*  0: any */
    unsigned kinds;       /*  0: any */
    const char *why;
    bool erase;
    long cancelled;
} s_cancel_t;

/*  Cancel (and wipe) one mail as c says. Returns 0 or -1. */
static int s_cancel_one(sm_ctx_t *ctx, uint64_t id, s_cancel_t *c)
{
    mail_rec_t old, rec;
    int rc = mail_load(ctx, id, &old);
    if (rc <= 0)
        return rc;
    rec = old;
    rec.message = NULL; /*  old keeps it; freed below */
    rec.message_len = 0;
    bool changed = false;
    rc = 0;
    if (c->participant && rec.participant != c->participant)
        goto done;
    bool kind_ok = !c->kinds || (c->kinds & (1u << rec.kind));
    if (kind_ok && s_waits(rec.state)) {
        rec.state = MAIL_CANCELLED;
        snprintf(rec.reason, sizeof rec.reason, "%s", c->why);
        changed = true;
        c->cancelled++;
    }
    if (c->erase) {
        //  Everything that could name the person goes; the record keeps
        //  its ID, kind, state and dates for the statistics.
        explicit_bzero(rec.to, sizeof rec.to);
        explicit_bzero(rec.subject, sizeof rec.subject);
        explicit_bzero(rec.relay_reply, sizeof rec.relay_reply);
        changed = true;
    } else if (old.message) {
        rec.message = old.message; /*  kept as it was */
        rec.message_len = old.message_len;
        old.message = NULL;
    }
    if (changed) {
        rc = mail_store(ctx, &rec, &old);
        if (rc == 0 && rec.state == MAIL_CANCELLED && old.state != MAIL_CANCELLED) {
            char mid[24], pid[24];
            sm_info("mail cancelled", "mail=%s kind=%s participant=%s reason=%s",
                    sm_id_format('M', rec.id, mid), mail_kind_name(rec.kind),
                    sm_id_format('P', rec.participant, pid), c->why);
            rc = mail_emit(ctx, "cancelled", &rec, c->why);
        }
    }
done:
    mail_rec_free(&old);
    mail_rec_free(&rec);
    return rc;
}

/*  Cancel every mail listed under prefix in db as c says. */
static long s_cancel_index(sm_ctx_t *ctx, const char *db, uint64_t who, s_cancel_t *c)
{
    uint8_t prefix[8];
    uint64_t *ids = NULL;
    sm_key_u64(who, prefix);
    long n = sm_idx_list(ctx, db, prefix, 8, &ids);
    if (n < 0)
        return -1;
    for (long i = 0; i < n; i++)
        if (s_cancel_one(ctx, ids[i], c) != 0) {
            free(ids);
            return -1;
        }
    free(ids);
    return c->cancelled;
}

long mail_cancel_for(sm_ctx_t *ctx, uint64_t p, unsigned kinds, const char *why, bool erase)
{
    s_cancel_t c = {0, kinds, why, erase, 0};
    return s_cancel_index(ctx, "mail_by_p", p, &c);
}

long mail_cancel_session(sm_ctx_t *ctx, uint64_t s, uint64_t p, unsigned kinds, const char *why)
{
    s_cancel_t c = {p, kinds, why, false, 0};
    return s_cancel_index(ctx, "mail_by_s", s, &c);
}
