/*  services/intake/mail_tick.c - the timer that moves mail along. See
    mail.h for the states; here is how one tick runs (in its own write
    transaction, every MAIL_TICK_MS):

    1. Take the sender thread's answers and apply each to its mail, when
       the mail is still "sending" in that same attempt: sent, retrying
       (with a backoff), failed or gave_up. An answer stays in memory
       until a later tick sees its mail no longer "sending" in that
       attempt, i.e. until the change is committed: a tick that is undone
       (the map grew, the commit failed) applies it again.
    2. Hand to the thread every mail the store has committed as "sending"
       and the thread does not have yet. Nothing written by this tick is
       committed, but step 1 only takes mails out of "sending" and step 3
       comes after: what this step sees as "sending" is committed. At
       start the thread has nothing, so a mail left "sending" by a stop or
       a crash goes again, the same bytes with the same Message-ID.
    3. Prepare at most mail/per_tick due mails (queued or retrying, their
       time come): refuse those whose participant can no longer get them,
       give up on those queued too long, make the message of a mail that
       has none yet (its details asked of scheduling or reporting without
       waiting: mail_fetch.h), and mark it "sending". It goes to the
       thread on the next tick, after this one committed.
    4. Once a minute, queue the reminders that are due.
*/
#include "common/i18n.h"
#include "common/log.h"
#include "common/record.h"
#include "intake.h"
#include "mail.h"
#include "mail_fetch.h"
#include "mail_smtp.h"
#include "participant_index.h"
#include <stdlib.h>
#include <string.h>

#define S_REMINDER_EVERY_MS 60000
/*  How soon to look again at a mail whose details did not come. */
#define S_DETAILS_RETRY_MS 10000

/*  The wait after the attempts-th failed attempt: retry_min_s doubling,
    at most retry_max_s. */
static int64_t s_backoff_ms(const mail_settings_t *s, int attempts)
{
    int64_t wait = s->retry_min_s;
    for (int i = 1; i < attempts && wait < s->retry_max_s; i++)
        wait *= 2;
    if (wait > s->retry_max_s)
        wait = s->retry_max_s;
    return wait * 1000;
}

static void s_ids(const mail_rec_t *r, char mid[24], char pid[24])
{
    sm_id_format('M', r->id, mid);
    sm_id_format('P', r->participant, pid);
}

/* ==== 1. answers ====================================================================== */

/*  Apply answer a. Returns 0 applied, 1 stale (the mail is no longer in
    that attempt: the answer can go), -1 (ctx error). */
static int s_apply(sm_ctx_t *ctx, mail_t *m, const mail_result_t *a, int64_t now)
{
    mail_rec_t rec;
    int rc = mail_load(ctx, a->id, &rec);
    if (rc <= 0)
        return rc < 0 ? -1 : 1;
    if (rec.state != MAIL_SENDING || rec.attempts != a->attempt) {
        mail_rec_free(&rec);
        return 1;
    }
    mail_rec_t prev = rec; /*  shares the message; only rec is freed */
    char mid[24], pid[24];
    s_ids(&rec, mid, pid);
    rec.relay_code = a->code;
    snprintf(rec.relay_reply, sizeof rec.relay_reply, "%s", a->reply);
    const char *verb = NULL, *why = NULL;
    if (a->outcome == MAIL_OUT_SENT) {
        rec.state = MAIL_SENT;
        rec.sent_ms = now;
        rec.reason[0] = '\0';
        verb = "sent";
        sm_info("mail sent", "mail=%s kind=%s participant=%s attempts=%d code=%d", mid,
                mail_kind_name(rec.kind), pid, rec.attempts, a->code);
    } else if (a->outcome == MAIL_OUT_PERMANENT) {
        rec.state = MAIL_FAILED;
        snprintf(rec.reason, sizeof rec.reason, "refused by the relay (%d)", a->code);
        verb = "failed";
        why = "refused";
        sm_warn("mail refused", "mail=%s kind=%s participant=%s attempts=%d code=%d", mid,
                mail_kind_name(rec.kind), pid, rec.attempts, a->code);
    } else if (now - rec.queued_ms >= m->set.give_up_s * 1000) {
        rec.state = MAIL_GAVE_UP;
        snprintf(rec.reason, sizeof rec.reason, "not sent within %lld hours of being queued",
                 (long long)(m->set.give_up_s / 3600));
        verb = "failed";
        why = "gave_up";
        sm_warn("mail given up", "mail=%s kind=%s participant=%s attempts=%d code=%d", mid,
                mail_kind_name(rec.kind), pid, rec.attempts, a->code);
    } else {
        rec.state = MAIL_RETRYING;
        rec.next_ms = now + s_backoff_ms(&m->set, rec.attempts);
        snprintf(rec.reason, sizeof rec.reason, "the relay could not take it yet (%d)", a->code);
        char at[24];
        sm_info("mail attempt failed", "mail=%s kind=%s participant=%s attempts=%d code=%d "
                "retry_at=%s",
                mid, mail_kind_name(rec.kind), pid, rec.attempts, a->code,
                sm_datetime_format_utc(rec.next_ms, at));
    }
    rc = mail_store(ctx, &rec, &prev);
    if (rc == 0 && verb)
        rc = mail_emit(ctx, verb, &rec, why);
    mail_rec_free(&rec);
    return rc;
}

/*  Forget the flight of mail id. */
static void s_flight_drop(mail_t *m, uint64_t id)
{
    for (size_t i = 0; i < m->nflights; i++)
        if (m->flights[i].id == id) {
            m->flights[i] = m->flights[--m->nflights];
            return;
        }
}

static bool s_flying(const mail_t *m, uint64_t id)
{
    for (size_t i = 0; i < m->nflights; i++)
        if (m->flights[i].id == id)
            return true;
    return false;
}

/*  Take the thread's answers into m->results, then apply or drop each. */
static int s_answers(sm_ctx_t *ctx, mail_t *m, int64_t now)
{
    mail_result_t a;
    while (mail_sender_collect(m->sender, &a) == 1) {
        if (m->nresults == m->capresults) {
            size_t cap = m->capresults ? m->capresults * 2 : 16;
            mail_result_t *p = realloc(m->results, cap * sizeof *p);
            if (!p)
                return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            m->results = p;
            m->capresults = cap;
        }
        m->results[m->nresults++] = a;
    }
    for (size_t i = 0; i < m->nresults;) {
        int rc = s_apply(ctx, m, &m->results[i], now);
        if (rc < 0)
            return -1;
        if (rc == 1) {
            s_flight_drop(m, m->results[i].id);
            explicit_bzero(&m->results[i], sizeof m->results[i]);
            m->results[i] = m->results[--m->nresults];
        } else
            i++;
    }
    return 0;
}

/* ==== 2. hand over ====================================================================== */

static int s_hand_over(sm_ctx_t *ctx, mail_t *m)
{
    uint64_t *ids = NULL;
    long n = sm_idx_list(ctx, "mail_sending", NULL, 0, &ids);
    if (n < 0)
        return -1;
    size_t cap = (size_t)m->set.per_tick * 4;
    int rc = 0;
    for (long i = 0; i < n && rc == 0 && m->nflights < cap; i++) {
        if (s_flying(m, ids[i]))
            continue;
        mail_rec_t rec;
        if ((rc = mail_load(ctx, ids[i], &rec)) <= 0) {
            rc = rc < 0 ? -1 : 0;
            continue;
        }
        rc = 0;
        char mid[24], pid[24];
        s_ids(&rec, mid, pid);
        if (!rec.message || !rec.to[0]) {
            //  Erased while it was being sent: nothing left to send.
            mail_rec_t prev = rec;
            rec.state = MAIL_CANCELLED;
            snprintf(rec.reason, sizeof rec.reason, "erased");
            rc = mail_store(ctx, &rec, &prev);
            if (rc == 0)
                rc = mail_emit(ctx, "cancelled", &rec, "erased");
            mail_rec_free(&rec);
            continue;
        }
        if (m->nflights == m->capflights) {
            size_t c = m->capflights ? m->capflights * 2 : 16;
            mail_flight_t *p = realloc(m->flights, c * sizeof *p);
            if (!p) {
                mail_rec_free(&rec);
                rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
                break;
            }
            m->flights = p;
            m->capflights = c;
        }
        if (mail_sender_send(m->sender, rec.id, rec.attempts, rec.to, rec.message,
                             rec.message_len) == 0) {
            m->flights[m->nflights++] = (mail_flight_t){rec.id, rec.attempts};
            if (rec.last_try_ms < intake_of(ctx)->started_ms)
                sm_info("mail sent again after a restart", "mail=%s kind=%s participant=%s "
                        "attempts=%d note=\"same Message-ID\"",
                        mid, mail_kind_name(rec.kind), pid, rec.attempts);
        }
        mail_rec_free(&rec);
    }
    free(ids);
    return rc;
}

/* ==== 3. prepare ========================================================================= */

typedef struct {
    uint64_t id;
    int64_t next_ms;
} s_due_t;

/*  The due mails (next_ms <= now), at most max, earliest first. Returns
    the count (into out), or -1. */
static long s_due(sm_ctx_t *ctx, int64_t now, s_due_t *out, long max)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open(sm_ctx_txn(ctx), sm_ctx_dbi(ctx, "mail_due"), &cur);
    if (rc)
        return sm_ctx_fail(ctx, SM_E_INTERNAL, NULL, _("cannot read mail_due: %s"),
                           mdb_strerror(rc));
    MDB_val k, v;
    long n = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && n < max;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 16)
            continue;
        int64_t when = (int64_t)sm_key_u64_decode(k.mv_data);
        if (when > now)
            break;
        out[n++] = (s_due_t){sm_key_u64_decode((const uint8_t *)k.mv_data + 8), when};
    }
    mdb_cursor_close(cur);
    return n;
}

/*  Prepare one due mail. Returns 1 marked sending, 0 not (waiting,
    cancelled, given up), -1 (ctx error). */
static int s_prepare(sm_ctx_t *ctx, mail_t *m, uint64_t id, int64_t now, record_t *who)
{
    mail_rec_t rec;
    int rc = mail_load(ctx, id, &rec);
    if (rc <= 0)
        return rc;
    mail_rec_t prev = rec;
    rec.message = NULL; /*  prev keeps the stored message; rec gets its own */
    rec.message_len = 0;
    char mid[24], pid[24];
    s_ids(&rec, mid, pid);
    const char *verb = NULL, *why = NULL;
    int marked = 0;
    int found = participant_load(ctx, rec.participant, who);
    if (found < 0)
        goto fail;
    const char *no = found ? mail_refusal(who, rec.kind) : "erased";
    if (no) {
        rec.state = MAIL_CANCELLED;
        snprintf(rec.reason, sizeof rec.reason, "%s", no);
        verb = "cancelled";
        why = no;
        sm_info("mail cancelled", "mail=%s kind=%s participant=%s reason=%s", mid,
                mail_kind_name(rec.kind), pid, no);
    } else if (now - rec.queued_ms >= m->set.give_up_s * 1000) {
        rec.state = MAIL_GAVE_UP;
        snprintf(rec.reason, sizeof rec.reason, "not sent within %lld hours of being queued",
                 (long long)(m->set.give_up_s / 3600));
        verb = "failed";
        why = "gave_up";
        sm_warn("mail given up", "mail=%s kind=%s participant=%s attempts=%d", mid,
                mail_kind_name(rec.kind), pid, rec.attempts);
    } else {
        if (prev.message) {
            rec.message = prev.message;
            rec.message_len = prev.message_len;
            prev.message = NULL;
        } else {
            sm_err_t err = {0};
            mail_source_t src = {mail_fetch_get, m->fetch};
            int got = mail_render(m, &rec, who, NULL, &src, now, NULL, &err);
            if (got == 0) {
                mail_rec_free(&prev);
                return 0; /*  asked; the answer comes on a later tick */
            }
            if (got < 0) {
                bool later = err.code && (strcmp(err.code, SM_E_UNAVAILABLE) == 0 ||
                                          strcmp(err.code, SM_E_DEADLINE_EXCEEDED) == 0 ||
                                          strcmp(err.code, SM_E_RESOURCE_EXHAUSTED) == 0);
                if (later) {
                    rec.next_ms = now + S_DETAILS_RETRY_MS;
                    snprintf(rec.reason, sizeof rec.reason, "waiting for its details: %.200s",
                             err.message);
                } else {
                    rec.state = MAIL_FAILED;
                    snprintf(rec.reason, sizeof rec.reason, "could not be made: %.200s",
                             err.message);
                    verb = "failed";
                    why = "unprepared";
                    char q[600];
                    sm_warn("mail could not be made", "mail=%s kind=%s participant=%s err=%s",
                            mid, mail_kind_name(rec.kind), pid,
                            sm_log_quote(err.code ? err.code : "?", q, sizeof q));
                }
                goto store;
            }
        }
        rec.state = MAIL_SENDING;
        rec.attempts++;
        rec.last_try_ms = now;
        marked = 1;
    }
store:
    rc = mail_store(ctx, &rec, &prev);
    if (rc == 0 && verb)
        rc = mail_emit(ctx, verb, &rec, why);
    mail_rec_free(&rec);
    mail_rec_free(&prev);
    explicit_bzero(who, sizeof *who);
    return rc < 0 ? -1 : marked;
fail:
    mail_rec_free(&rec);
    mail_rec_free(&prev);
    return -1;
}

static int s_prepare_due(sm_ctx_t *ctx, mail_t *m, int64_t now)
{
    long max = (long)m->set.per_tick * 4;
    s_due_t *due = calloc((size_t)max, sizeof *due);
    record_t *who = calloc(1, sizeof *who);
    int rc = 0;
    if (!due || !who)
        rc = sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    long n = rc ? 0 : s_due(ctx, now, due, max);
    if (n < 0)
        rc = -1;
    int marked = 0;
    for (long i = 0; i < n && rc == 0 && marked < m->set.per_tick; i++) {
        int r = s_prepare(ctx, m, due[i].id, now, who);
        if (r < 0)
            rc = -1;
        marked += r > 0;
    }
    free(due);
    if (who)
        explicit_bzero(who, sizeof *who);
    free(who);
    return rc;
}

/* ==== The tick ========================================================================== */

int mail_tick(sm_ctx_t *ctx)
{
    mail_t *m = mail_of(ctx);
    if (!m || !m->set.on)
        return 0;
    int64_t now = sm_ctx_now_ms(ctx);
    mail_fetch_poll(m->fetch);
    if (s_answers(ctx, m, now) != 0 || s_hand_over(ctx, m) != 0 ||
        s_prepare_due(ctx, m, now) != 0)
        return -1;
    if (now - m->last_reminder_ms >= S_REMINDER_EVERY_MS) {
        if (mail_queue_reminders(ctx, now) != 0)
            return -1;
        m->last_reminder_ms = now;
    }
    return 0;
}
