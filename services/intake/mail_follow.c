/*  services/intake/mail_follow.c - what intake learns from scheduling and
    reporting for the mail it sends by itself.

    From events (IDs, dates, states: never free text) intake keeps a small
    mirror, in the same transaction as the event's cursor:

        mail_sessions  S<n> -> {start_ms, end_ms, last_day, status, tentative}
        mail_regs      session(8) participant(8) -> flags (registered,
                       waitlisted, attended)

    and queues, when mail is on:

        scheduling.registration.created    confirmation or waitlisted
        scheduling.registration.promoted   promoted
        scheduling.registration.cancelled  (cancels what was queued for it)
        scheduling.session.cancelled       cancellation, to everyone registered or
                                           waitlisted (and cancels what was queued)
        reporting.report.published         report, to everyone who attended

    Only about sessions that are not over (their last day is today or
    later), and reports published in the last MAIL_REPORT_WINDOW_DAYS: a
    service that follows these events from the start of a long history
    must not mail about the past. The details a mail shows (the theme, the
    question, the place; the report's text) are asked for when the mail is
    made (mail_render.c), since events do not carry them.
*/
#include "common/i18n.h"
#include "common/log.h"
#include "common/record.h"
#include "intake.h"
#include "mail.h"
#include "participant_index.h"
#include <stdlib.h>
#include <string.h>

#define MAIL_REPORT_WINDOW_DAYS 14

#define REG_REGISTERED MAIL_REG_REGISTERED
#define REG_WAITLISTED MAIL_REG_WAITLISTED
#define REG_ATTENDED MAIL_REG_ATTENDED

/* ==== The mirror =================================================================== */

/*  The flags of (s, p); 0 when none. Returns 0 or -1. */
static int s_reg_get(sm_ctx_t *ctx, uint64_t s, uint64_t p, uint8_t *flags)
{
    uint8_t key[16];
    MDB_val v;
    sm_key_pair(s, p, key);
    *flags = 0;
    int rc = sm_ctx_get(ctx, sm_ctx_dbi(ctx, "mail_regs"), key, sizeof key, &v);
    if (rc < 0)
        return -1;
    if (rc == 1 && v.mv_size == 1)
        *flags = *(const uint8_t *)v.mv_data;
    return 0;
}

static int s_reg_put(sm_ctx_t *ctx, uint64_t s, uint64_t p, uint8_t flags)
{
    uint8_t key[16];
    sm_key_pair(s, p, key);
    if (!flags)
        return sm_ctx_del(ctx, sm_ctx_dbi(ctx, "mail_regs"), key, sizeof key);
    return sm_ctx_put(ctx, sm_ctx_dbi(ctx, "mail_regs"), key, sizeof key, &flags, 1);
}

/*  Set and clear flags of (s, p). */
static int s_reg_change(sm_ctx_t *ctx, uint64_t s, uint64_t p, uint8_t set, uint8_t clear)
{
    uint8_t f;
    if (s_reg_get(ctx, s, p, &f) != 0)
        return -1;
    return s_reg_put(ctx, s, p, (uint8_t)((f & ~clear) | set));
}

typedef struct {
    int64_t start_ms, end_ms, last_day; /*  last_day: days since 1970, 0 unknown */
    char status[16];
    bool tentative, known;
} s_session_t;

static int s_session_get(sm_ctx_t *ctx, uint64_t id, s_session_t *s)
{
    sm_doc_t *doc = NULL;
    memset(s, 0, sizeof *s);
    int rc = sm_rec_get(ctx, "mail_sessions", id, &doc);
    if (rc <= 0)
        return rc;
    const msgpack_object *o = sm_doc_root(doc);
    s->start_ms = sm_rec_int(o, "start_ms", 0);
    s->end_ms = sm_rec_int(o, "end_ms", 0);
    s->last_day = sm_rec_int(o, "last_day", 0);
    sm_rec_str(o, "status", s->status, sizeof s->status);
    s->tentative = sm_rec_bool(o, "tentative", false);
    s->known = true;
    sm_doc_destroy(&doc);
    return 1;
}

static int s_session_put(sm_ctx_t *ctx, uint64_t id, const s_session_t *s)
{
    sm_buf_t b;
    sm_buf_init(&b);
    msgpack_pack_map(&b.pk, 5);
    sm_pack_kv_int(&b.pk, "start_ms", s->start_ms);
    sm_pack_kv_int(&b.pk, "end_ms", s->end_ms);
    sm_pack_kv_int(&b.pk, "last_day", s->last_day);
    sm_pack_kv_str(&b.pk, "status", s->status);
    sm_pack_kv_bool(&b.pk, "tentative", s->tentative);
    int rc = sm_rec_put(ctx, "mail_sessions", id, &b);
    sm_buf_free(&b);
    return rc;
}

/*  True when the session is not over by today (or unknown to the mirror). */
static bool s_not_over(const s_session_t *s)
{
    if (!s->known || !s->last_day)
        return true;
    return s->last_day >= sm_date_to_days(sm_date_today());
}

/* ==== Queueing an automatic mail ======================================================= */

/*  Queue a mail of kind to participant p (skipped, with the reason, when
    they cannot get it), once per key when key is not empty. Returns 0 or
    -1. */
static int s_queue(sm_ctx_t *ctx, mail_kind_t kind, uint64_t p, uint64_t s, uint64_t r,
                   int version, const char *key)
{
    mail_t *m = mail_of(ctx);
    record_t *who = calloc(1, sizeof *who);
    if (!who)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    int rc = participant_load(ctx, p, who);
    if (rc <= 0) {
        free(who);
        return rc; /*  a participant intake does not know gets nothing */
    }
    mail_rec_t rec;
    memset(&rec, 0, sizeof rec);
    rec.kind = kind;
    rec.participant = p;
    rec.session = s;
    rec.report = r;
    rec.report_version = version;
    rec.queued_ms = rec.next_ms = sm_ctx_now_ms(ctx);
    snprintf(rec.lang, sizeof rec.lang, "%s", m->set.lang);
    snprintf(rec.key, sizeof rec.key, "%s", key ? key : "");
    const char *why = mail_refusal(who, kind);
    rec.state = why ? MAIL_SKIPPED : MAIL_QUEUED;
    snprintf(rec.reason, sizeof rec.reason, "%s", why ? why : "");
    explicit_bzero(who, sizeof *who);
    free(who);
    return mail_create(ctx, &rec);
}

typedef struct {
    uint64_t session;
    uint8_t want; /*  flags that make a recipient */
    mail_kind_t kind;
    uint64_t report;
    int version;
} s_each_t;

/*  Queue the mail of e for every participant of e->session with a flag
    in e->want. Returns 0 or -1. */
static int s_queue_each(sm_ctx_t *ctx, const s_each_t *e)
{
    uint8_t prefix[8];
    uint64_t *ps = NULL;
    sm_key_u64(e->session, prefix);
    long n = sm_idx_list(ctx, "mail_regs", prefix, 8, &ps);
    int rc = n < 0 ? -1 : 0;
    for (long i = 0; i < n && rc == 0; i++) {
        uint8_t f;
        if ((rc = s_reg_get(ctx, e->session, ps[i], &f)) != 0 || !(f & e->want))
            continue;
        char key[MAIL_KEY_SIZE] = "";
        if (e->kind == MAIL_REPORT)
            snprintf(key, sizeof key, "report:R%llu:P%llu", (unsigned long long)e->report,
                     (unsigned long long)ps[i]);
        else if (e->kind == MAIL_REMINDER)
            snprintf(key, sizeof key, "reminder:S%llu:P%llu", (unsigned long long)e->session,
                     (unsigned long long)ps[i]);
        rc = s_queue(ctx, e->kind, ps[i], e->session, e->report, e->version, key);
    }
    free(ps);
    return rc;
}

long mail_session_people(sm_ctx_t *ctx, uint64_t s, unsigned want, uint64_t **out)
{
    uint8_t prefix[8];
    uint64_t *ps = NULL;
    sm_key_u64(s, prefix);
    long n = sm_idx_list(ctx, "mail_regs", prefix, 8, &ps), k = 0;
    for (long i = 0; i < n; i++) {
        uint8_t f;
        if (s_reg_get(ctx, s, ps[i], &f) != 0) {
            free(ps);
            return -1;
        }
        if (f & want)
            ps[k++] = ps[i];
    }
    *out = ps;
    return n < 0 ? -1 : k;
}

/* ==== Reminders (from the tick) ============================================================= */

/*  True when a reminder for s is due at now_ms: an exact time still to
    come, within days, not tentative, planned or confirmed. */
static bool s_in_reminder_window(const s_session_t *s, int64_t now_ms, int days)
{
    if (!days || !s->start_ms || s->start_ms <= now_ms || s->tentative ||
        (strcmp(s->status, "planned") != 0 && strcmp(s->status, "confirmed") != 0))
        return false;
    return sm_date_diff(sm_date_today(), sm_date_of_ms(s->start_ms)) <= days;
}

typedef struct {
    int64_t now_ms;
    int days;
    uint64_t *due;
    size_t n, cap;
} s_remind_t;

static int s_remind_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_remind_t *r = arg;
    s_session_t s;
    if (s_session_get(ctx, id, &s) < 0)
        return -1;
    if (!s_in_reminder_window(&s, r->now_ms, r->days))
        return 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        uint64_t *p = realloc(r->due, cap * sizeof *p);
        if (!p)
            return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        r->due = p;
        r->cap = cap;
    }
    r->due[r->n++] = id;
    return 0;
}

/*  Queue the reminders that are due: sessions with an exact time, not
    tentative, planned or confirmed, starting within reminder_days; once
    per participant and session. Returns 0 or -1. */
int mail_queue_reminders(sm_ctx_t *ctx, int64_t now_ms)
{
    mail_t *m = mail_of(ctx);
    if (!m->set.reminder_days)
        return 0;
    s_remind_t r = {now_ms, m->set.reminder_days, NULL, 0, 0};
    int rc = sm_rec_scan(ctx, "mail_sessions", 0, s_remind_visit, &r);
    for (size_t i = 0; i < r.n && rc == 0; i++) {
        s_each_t e = {r.due[i], REG_REGISTERED, MAIL_REMINDER, 0, 0};
        rc = s_queue_each(ctx, &e);
    }
    free(r.due);
    return rc;
}

/* ==== Events ================================================================================ */

/*  The last day of a session from an event: the local date of end, or the
    period's last day; 0 when neither. */
static int64_t s_last_day(const msgpack_object *d, int64_t end_ms)
{
    if (end_ms)
        return sm_date_to_days(sm_date_of_ms(end_ms));
    char period[64];
    sm_period_t p;
    if (sm_rec_str(d, "period", period, sizeof period)[0] &&
        sm_period_parse(period, &p, "period", NULL) == 0)
        return sm_date_to_days(p.to);
    return 0;
}

static int64_t s_instant(const msgpack_object *d, const char *key)
{
    char buf[40];
    int64_t ms = 0;
    if (!sm_rec_str(d, key, buf, sizeof buf)[0] || sm_datetime_parse(buf, &ms, key, NULL) != 0)
        return 0;
    return ms;
}

/*  scheduling.session.*: keep the mirror; on cancelled, tell everyone. */
static int s_on_session(sm_ctx_t *ctx, const char *verb, const msgpack_object *d, bool on)
{
    uint64_t id = sm_rec_id(d, "id", 'S');
    if (!id)
        return 0;
    s_session_t s;
    if (s_session_get(ctx, id, &s) < 0)
        return -1;
    if (strcmp(verb, "planned") == 0 || strcmp(verb, "updated") == 0) {
        s.start_ms = s_instant(d, "start");
        s.end_ms = s_instant(d, "end");
        s.last_day = s_last_day(d, s.end_ms);
        s.tentative = sm_rec_bool(d, "tentative", false);
    }
    char status[16];
    if (sm_rec_str(d, "status", status, sizeof status)[0])
        snprintf(s.status, sizeof s.status, "%s", status);
    if (strcmp(verb, "confirmed") == 0)
        s.tentative = false;
    bool was_known = s.known;
    s.known = true;
    if (s_session_put(ctx, id, &s) != 0)
        return -1;
    if (strcmp(verb, "cancelled") != 0) {
        //  Moved (or confirmed) into the reminder window: remind now rather
        //  than at the next minute's scan.
        mail_t *m = mail_of(ctx);
        if (on && s_in_reminder_window(&s, sm_ctx_now_ms(ctx), m->set.reminder_days)) {
            s_each_t e = {id, REG_REGISTERED, MAIL_REMINDER, 0, 0};
            return s_queue_each(ctx, &e);
        }
        return 0;
    }
    //  What was queued about it no longer holds; then the news itself.
    if (mail_cancel_session(ctx, id, 0, 0, "session_cancelled") < 0)
        return -1;
    if (!on || (was_known && !s_not_over(&s)))
        return 0;
    s_each_t e = {id, REG_REGISTERED | REG_WAITLISTED, MAIL_CANCELLATION, 0, 0};
    return s_queue_each(ctx, &e);
}

/*  A place given within the reminder window: the confirmation just sent
    says it all, so the reminder's key is taken by a skipped mail (no
    second message minutes after the first). Returns 0 or -1. */
static int s_cover_reminder(sm_ctx_t *ctx, const s_session_t *sess, uint64_t s, uint64_t p)
{
    mail_t *m = mail_of(ctx);
    if (!s_in_reminder_window(sess, sm_ctx_now_ms(ctx), m->set.reminder_days))
        return 0;
    mail_rec_t rec;
    memset(&rec, 0, sizeof rec);
    rec.kind = MAIL_REMINDER;
    rec.state = MAIL_SKIPPED;
    rec.participant = p;
    rec.session = s;
    rec.queued_ms = rec.next_ms = sm_ctx_now_ms(ctx);
    snprintf(rec.lang, sizeof rec.lang, "%s", m->set.lang);
    snprintf(rec.reason, sizeof rec.reason, "registered_within_reminder_window");
    snprintf(rec.key, sizeof rec.key, "reminder:S%llu:P%llu", (unsigned long long)s,
             (unsigned long long)p);
    return mail_create(ctx, &rec);
}

/*  scheduling.registration.*: the mirror, confirmations, and cancelling
    what was queued for a registration that was cancelled. */
static int s_on_registration(sm_ctx_t *ctx, const char *verb, const msgpack_object *d, bool on)
{
    uint64_t s = sm_rec_id(d, "session", 'S'), p = sm_rec_id(d, "participant", 'P');
    if (!s || !p)
        return 0;
    s_session_t sess;
    if (s_session_get(ctx, s, &sess) < 0)
        return -1;
    bool mail = on && s_not_over(&sess);
    if (strcmp(verb, "created") == 0) {
        char status[16];
        bool wait = strcmp(sm_rec_str(d, "status", status, sizeof status), "waitlisted") == 0;
        if (s_reg_change(ctx, s, p, wait ? REG_WAITLISTED : REG_REGISTERED,
                         wait ? REG_REGISTERED : REG_WAITLISTED) != 0)
            return -1;
        if (!mail)
            return 0;
        if (s_queue(ctx, wait ? MAIL_WAITLISTED : MAIL_CONFIRMATION, p, s, 0, 0, NULL) != 0)
            return -1;
        return wait ? 0 : s_cover_reminder(ctx, &sess, s, p);
    }
    if (strcmp(verb, "promoted") == 0) {
        if (s_reg_change(ctx, s, p, REG_REGISTERED, REG_WAITLISTED) != 0)
            return -1;
        if (!mail)
            return 0;
        if (s_queue(ctx, MAIL_PROMOTED, p, s, 0, 0, NULL) != 0)
            return -1;
        return s_cover_reminder(ctx, &sess, s, p);
    }
    if (strcmp(verb, "cancelled") == 0) {
        if (s_reg_change(ctx, s, p, 0, REG_REGISTERED | REG_WAITLISTED) != 0)
            return -1;
        unsigned kinds = (1u << MAIL_CONFIRMATION) | (1u << MAIL_WAITLISTED) |
                         (1u << MAIL_PROMOTED) | (1u << MAIL_REMINDER);
        return mail_cancel_session(ctx, s, p, kinds, "registration_cancelled") < 0 ? -1 : 0;
    }
    return 0;
}

int on_scheduling_for_mail(sm_ctx_t *ctx, const char *type, uint64_t seq,
                           const msgpack_object *data)
{
    (void)seq;
    mail_t *m = mail_of(ctx);
    bool on = m && m->set.on;
    if (strncmp(type, "scheduling.session.", 19) == 0)
        return s_on_session(ctx, type + 19, data, on);
    if (strncmp(type, "scheduling.registration.", 24) == 0)
        return s_on_registration(ctx, type + 24, data, on);
    if (strcmp(type, "scheduling.attendance.recorded") == 0) {
        uint64_t s = sm_rec_id(data, "session", 'S'), p = sm_rec_id(data, "participant", 'P');
        if (!s || !p)
            return 0;
        bool came = sm_rec_bool(data, "attended", false);
        return s_reg_change(ctx, s, p, came ? REG_ATTENDED : 0, came ? 0 : REG_ATTENDED);
    }
    return 0;
}

int on_reporting_for_mail(sm_ctx_t *ctx, const char *type, uint64_t seq,
                          const msgpack_object *data)
{
    (void)seq;
    mail_t *m = mail_of(ctx);
    if (!m || !m->set.on || strcmp(type, "reporting.report.published") != 0)
        return 0;
    uint64_t r = sm_rec_id(data, "id", 'R'), s = sm_rec_id(data, "session", 'S');
    sm_date_t on;
    if (!r || !s || !sm_rec_date(data, "published_on", &on))
        return 0;
    if (sm_date_diff(on, sm_date_today()) > MAIL_REPORT_WINDOW_DAYS)
        return 0;
    //  Everyone who attended gets it once (a corrected version that is
    //  published again is not mailed by itself: mail.send kind report
    //  with again sends it).
    s_each_t e = {s, REG_ATTENDED, MAIL_REPORT, r, (int)sm_rec_int(data, "version", 0)};
    return s_queue_each(ctx, &e);
}
