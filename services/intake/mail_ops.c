/*  services/intake/mail_ops.c - the mail ops: preview (what would go to
    whom), send, list, get, retry, cancel. See mail.h and
    proto/ops-intake.md.

    preview and send share one plan: who the mail is for (given by ID,
    scheduling's invite list, or everyone the kind is for: those
    registered, waitlisted or attended as intake learnt from scheduling's
    events, those with the newsletter's consent), who of them cannot get
    it and why, and each one's message, made now. preview returns it with
    the addresses and whole messages; send stores the mails (queued, with
    their message made, so what goes out is what preview showed) and
    answers with IDs only: a write's reply is kept for retried request
    IDs, and must hold nothing personal.
*/
#include "common/client.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/record.h"
#include "intake.h"
#include "mail.h"
#include "mail_message.h"
#include "participant_index.h"
#include <stdlib.h>
#include <string.h>

#define S_CALL_TIMEOUT_MS 2000
#define S_RECIPIENTS_MAX 5000
#define S_LIST_DEFAULT 100

/* ==== Asking the other services, waiting (ops only) ================================== */

#define S_SYNC_MAX 4

typedef struct {
    sm_ctx_t *ctx;
    struct {
        char op[32], id[24];
        int version;
        sm_doc_t *doc;
        const msgpack_object *data;
    } got[S_SYNC_MAX];
    int n;
} s_sync_t;

/*  mail_get_fn: ask through the broker and wait (an op's caller waits
    anyway); answers are kept for the rest of the op. */
static int s_sync_get(void *arg, const char *service, const char *op, const char *argname,
                      const char *id, int version, const msgpack_object **data, sm_err_t *err)
{
    s_sync_t *s = arg;
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->got[i].op, op) == 0 && strcmp(s->got[i].id, id) == 0 &&
            s->got[i].version == version) {
            *data = s->got[i].data;
            return 1;
        }
    if (s->n == S_SYNC_MAX)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("too many questions for one mail (a bug)"));
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, version ? 2 : 1);
    sm_pack_kv_str(&args.pk, argname, id);
    if (version)
        sm_pack_kv_int(&args.pk, "version", version);
    sm_doc_t *doc = sm_ctx_call(s->ctx, service, op, args.sbuf.data, args.sbuf.size,
                                S_CALL_TIMEOUT_MS, err);
    sm_buf_free(&args);
    const msgpack_object *d = NULL;
    if (!doc || sm_reply_check(doc, &d, err) != 0 || !d) {
        sm_doc_destroy(&doc);
        if (err && !err->code)
            sm_err_set(err, SM_E_UNAVAILABLE, NULL, _("%s gave no answer to %s"), service, op);
        return -1;
    }
    int i = s->n++;
    snprintf(s->got[i].op, sizeof s->got[i].op, "%s", op);
    snprintf(s->got[i].id, sizeof s->got[i].id, "%s", id);
    s->got[i].version = version;
    s->got[i].doc = doc;
    s->got[i].data = d;
    *data = d;
    return 1;
}

static void s_sync_free(s_sync_t *s)
{
    for (int i = 0; i < s->n; i++)
        sm_doc_destroy(&s->got[i].doc);
    s->n = 0;
}

/* ==== The plan ============================================================================ */

typedef struct {
    uint64_t participant;
    const char *reason; /*  NULL: it goes */
    uint64_t earlier;   /*  the mail that already went (reason "already_sent") */
} s_target_t;

typedef struct {
    mail_kind_t kind;
    uint64_t session, report;
    int version;
    sm_date_t reply_by;
    mail_content_t content;
    bool again;
    s_target_t *to;
    size_t n;
    s_sync_t sync;
} s_plan_t;

static void s_plan_free(s_plan_t *p)
{
    free(p->to);
    s_sync_free(&p->sync);
}

/*  The key that makes a mail once-only, or "" for kinds without one. */
static void s_key(const s_plan_t *p, uint64_t participant, char key[MAIL_KEY_SIZE])
{
    key[0] = '\0';
    if (p->again)
        return;
    if (p->kind == MAIL_INVITATION || p->kind == MAIL_REMINDER)
        snprintf(key, MAIL_KEY_SIZE, "%s:S%llu:P%llu", mail_kind_name(p->kind),
                 (unsigned long long)p->session, (unsigned long long)participant);
    else if (p->kind == MAIL_REPORT)
        snprintf(key, MAIL_KEY_SIZE, "report:R%llu:P%llu", (unsigned long long)p->report,
                 (unsigned long long)participant);
}

/*  Add participant ids to the plan, once each. */
static int s_add(sm_ctx_t *ctx, s_plan_t *p, const uint64_t *ids, size_t n)
{
    s_target_t *to = realloc(p->to, (p->n + n) * sizeof *to);
    if (!to && p->n + n)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    p->to = to;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < p->n && !dup; k++)
            dup = p->to[k].participant == ids[i];
        if (!dup)
            p->to[p->n++] = (s_target_t){ids[i], NULL, 0};
    }
    return 0;
}

/*  Those with the newsletter's consent. */
static int s_newsletter_people(sm_ctx_t *ctx, s_plan_t *p)
{
    uint64_t *ids = NULL;
    char prefix[8] = PINDEX_NEWSLETTER_PREFIX;
    long n = sm_idx_list(ctx, "p_newsletter", prefix, strlen(PINDEX_NEWSLETTER_PREFIX) + 1, &ids);
    int rc = n < 0 ? -1 : s_add(ctx, p, ids, (size_t)n);
    free(ids);
    return rc;
}

/*  scheduling's invite list for the session. */
static int s_invite_list(sm_ctx_t *ctx, s_plan_t *p)
{
    sm_buf_t args;
    sm_buf_init(&args);
    bool has_limit = sm_arg_has(ctx, "limit");
    msgpack_pack_map(&args.pk, 2 + has_limit);
    char sid[24];
    sm_pack_kv_str(&args.pk, "session", sm_id_format('S', p->session, sid));
    sm_pack_kv_bool(&args.pk, "first_timers_first", sm_arg_bool(ctx, "first_timers_first", false));
    if (has_limit)
        sm_pack_kv_int(&args.pk, "limit", sm_arg_int(ctx, "limit", 100));
    sm_err_t *e = sm_ctx_err(ctx);
    sm_doc_t *doc = sm_ctx_call(ctx, "scheduling", "invite.list", args.sbuf.data, args.sbuf.size,
                                S_CALL_TIMEOUT_MS, e);
    sm_buf_free(&args);
    const msgpack_object *d = NULL;
    if (!doc || sm_reply_check(doc, &d, e) != 0) {
        sm_doc_destroy(&doc);
        if (!e->code)
            sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL, _("scheduling did not answer invite.list"));
        return -1;
    }
    const msgpack_object *c = d ? sm_map_get(d, "candidates") : NULL;
    int rc = 0;
    for (uint32_t i = 0; c && c->type == MSGPACK_OBJECT_ARRAY && i < c->via.array.size && !rc;
         i++) {
        uint64_t id = sm_rec_id(&c->via.array.ptr[i], "participant", 'P');
        if (id)
            rc = s_add(ctx, p, &id, 1);
    }
    sm_doc_destroy(&doc);
    return rc;
}

/*  Read the arguments and work out whom the mail is for. Returns 0 or -1. */
static int s_plan(sm_ctx_t *ctx, s_plan_t *p)
{
    memset(p, 0, sizeof *p);
    p->sync.ctx = ctx;
    mail_kind_parse(sm_arg_str(ctx, "kind"), &p->kind);
    p->session = sm_arg_id(ctx, "session");
    p->report = sm_arg_id(ctx, "report");
    p->again = sm_arg_bool(ctx, "again", false);
    sm_arg_date(ctx, "reply_by", &p->reply_by);
    p->content.subject = sm_arg_str(ctx, "subject");
    p->content.text = sm_arg_str(ctx, "text");
    const char *kind = mail_kind_name(p->kind);
    if (p->kind == MAIL_REPORT) {
        if (!p->report)
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "report",
                               _("a report mail needs the report (report R9)"));
        //  The published text goes out: the version asked for, or the
        //  newest published one.
        const msgpack_object *d;
        char rid[24];
        if (s_sync_get(&p->sync, "reporting", "report.get", "report",
                       sm_id_format('R', p->report, rid), 0, &d, sm_ctx_err(ctx)) < 0)
            return -1;
        p->version = (int)sm_arg_int(ctx, "version", sm_rec_int(d, "published_version", 0));
        if (!p->version)
            return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "report",
                               _("report %s has not been published; publish it first (report "
                                 "publish %s)"),
                               rid, rid);
        p->session = sm_rec_id(d, "session", 'S');
    } else if (p->kind == MAIL_NEWSLETTER) {
        if (!p->content.subject || !p->content.subject[0] || !p->content.text ||
            !p->content.text[0])
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT,
                               p->content.subject && p->content.subject[0] ? "text" : "subject",
                               _("a newsletter needs a subject and a text"));
    } else if (!p->session)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "session",
                           _("a mail of kind %s is about a session: give session (S31)"), kind);
    if (p->kind != MAIL_NEWSLETTER && (p->content.subject || p->content.text))
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, p->content.subject ? "subject" : "text",
                           _("subject and text are the newsletter's; a mail of kind %s is made "
                             "from its template"),
                           kind);
    if (sm_arg_has(ctx, "invite_list") && p->kind != MAIL_INVITATION)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "invite_list",
                           _("invite_list is for invitations only"));
    const uint64_t *ids;
    size_t n = sm_arg_ids(ctx, "participants", &ids);
    if (n && s_add(ctx, p, ids, n) != 0)
        return -1;
    if (sm_arg_bool(ctx, "invite_list", false)) {
        if (s_invite_list(ctx, p) != 0)
            return -1;
    } else if (!n) {
        unsigned want = 0;
        switch (p->kind) {
        case MAIL_INVITATION:
            return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "participants",
                               _("an invitation goes to the participants given (participants) or "
                                 "to scheduling's invite list (invite_list: true)"));
        case MAIL_NEWSLETTER:
            if (s_newsletter_people(ctx, p) != 0)
                return -1;
            break;
        case MAIL_REPORT: want = MAIL_REG_ATTENDED; break;
        case MAIL_WAITLISTED: want = MAIL_REG_WAITLISTED; break;
        case MAIL_CANCELLATION: want = MAIL_REG_REGISTERED | MAIL_REG_WAITLISTED; break;
        default: want = MAIL_REG_REGISTERED; break;
        }
        if (want) {
            uint64_t *people = NULL;
            long k = mail_session_people(ctx, p->session, want, &people);
            int rc = k < 0 ? -1 : s_add(ctx, p, people, (size_t)k);
            free(people);
            if (rc)
                return -1;
        }
    }
    if (p->n > S_RECIPIENTS_MAX)
        return sm_ctx_fail(ctx, SM_E_INVALID_ARGUMENT, "participants",
                           _("%zu recipients is more than %d in one go; send in parts"), p->n,
                           S_RECIPIENTS_MAX);
    return 0;
}

/*  Decide for target t whether it goes (loading the participant into
    who). Returns 1 goes, 0 does not (t->reason set), -1 (ctx error). */
static int s_check(sm_ctx_t *ctx, const s_plan_t *p, s_target_t *t, record_t *who)
{
    int rc = participant_load(ctx, t->participant, who);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        t->reason = "unknown_participant";
        return 0;
    }
    if ((t->reason = mail_refusal(who, p->kind)))
        return 0;
    char key[MAIL_KEY_SIZE];
    s_key(p, t->participant, key);
    if (key[0]) {
        if (mail_key_find(ctx, key, &t->earlier) != 0)
            return -1;
        if (t->earlier) {
            t->reason = "already_sent";
            return 0;
        }
    }
    return 1;
}

/*  A new mail of the plan for target t, its message made, with ID id (0
    for a preview, which stores nothing). Returns 0 or -1 (ctx error, or
    the render's refusal). */
static int s_make(sm_ctx_t *ctx, s_plan_t *p, const s_target_t *t, const record_t *who,
                  uint64_t id, mail_rec_t *rec, mail_parts_t *parts)
{
    mail_t *m = mail_of(ctx);
    memset(rec, 0, sizeof *rec);
    rec->id = id;
    rec->kind = p->kind;
    rec->participant = t->participant;
    rec->session = p->session;
    rec->report = p->report;
    rec->report_version = p->version;
    rec->reply_by = p->reply_by;
    rec->queued_ms = rec->next_ms = sm_ctx_now_ms(ctx);
    rec->state = MAIL_QUEUED;
    snprintf(rec->lang, sizeof rec->lang, "%s", m->set.lang);
    snprintf(rec->requested_by, sizeof rec->requested_by, "%s",
             sm_ctx_caller(ctx)[0] ? sm_ctx_caller(ctx) : "local");
    s_key(p, t->participant, rec->key);
    mail_source_t src = {s_sync_get, &p->sync};
    int got = mail_render(m, rec, who, &p->content, &src, sm_ctx_now_ms(ctx), parts,
                          sm_ctx_err(ctx));
    if (got == 1)
        return 0;
    mail_rec_free(rec);
    if (!sm_ctx_err(ctx)->code)
        sm_ctx_fail(ctx, SM_E_UNAVAILABLE, NULL, _("the mail could not be made"));
    return -1;
}

/* ==== preview ================================================================================ */

/*  The header block of a message (up to the empty line). */
static void s_pack_headers(msgpack_packer *pk, const char *msg)
{
    const char *end = strstr(msg, "\r\n\r\n");
    sm_pack_strn(pk, msg, end ? (size_t)(end - msg) + 2 : strlen(msg));
}

int op_mail_preview(sm_ctx_t *ctx, const msgpack_object *args)
{
    mail_t *m = mail_of(ctx);
    s_plan_t p;
    int show = (int)sm_arg_int(ctx, "show", 1), shown = 0, rc = -1;
    record_t *who = calloc(1, sizeof *who);
    sm_buf_t rows, msgs;
    sm_buf_init(&rows);
    sm_buf_init(&msgs);
    size_t going = 0;
    if (!who) {
        free(who);
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    }
    if (s_plan(ctx, &p) != 0)
        goto done;
    for (size_t i = 0; i < p.n; i++) {
        s_target_t *t = &p.to[i];
        char pid[24], mid[24];
        sm_id_format('P', t->participant, pid);
        sm_ctx_audit_id(ctx, pid);
        int ok = s_check(ctx, &p, t, who);
        if (ok < 0)
            goto done;
        mail_rec_t rec;
        mail_parts_t parts = {0};
        memset(&rec, 0, sizeof rec);
        if (ok && s_make(ctx, &p, t, who, 0, &rec, shown < show ? &parts : NULL) != 0)
            goto done;
        going += ok;
        msgpack_pack_map(&rows.pk, 7);
        sm_pack_kv_str(&rows.pk, "participant", pid);
        sm_pack_kv_str(&rows.pk, "name", who->p.name[0] ? who->p.name : NULL);
        sm_pack_kv_str(&rows.pk, "to", who->p.email[0] ? who->p.email : NULL);
        sm_pack_kv_bool(&rows.pk, "send", ok == 1);
        sm_pack_kv_str(&rows.pk, "reason", t->reason);
        sm_pack_kv_str(&rows.pk, "earlier", t->earlier ? sm_id_format('M', t->earlier, mid) : NULL);
        sm_pack_kv_str(&rows.pk, "subject", ok ? rec.subject : NULL);
        if (ok && shown < show) {
            msgpack_pack_map(&msgs.pk, 8);
            sm_pack_kv_str(&msgs.pk, "participant", pid);
            sm_pack_kv_str(&msgs.pk, "to", rec.to);
            sm_pack_kv_str(&msgs.pk, "subject", rec.subject);
            sm_pack_str(&msgs.pk, "headers");
            s_pack_headers(&msgs.pk, rec.message);
            sm_pack_kv_str(&msgs.pk, "text", parts.text);
            sm_pack_kv_str(&msgs.pk, "html", parts.html);
            sm_pack_kv_int(&msgs.pk, "size", (int64_t)rec.message_len);
            sm_pack_str(&msgs.pk, "attachment");
            if (parts.ics) {
                msgpack_pack_map(&msgs.pk, 3);
                sm_pack_kv_str(&msgs.pk, "name", parts.ics_name);
                sm_pack_kv_str(&msgs.pk, "type", "text/calendar");
                sm_pack_kv_str(&msgs.pk, "text", parts.ics);
            } else
                msgpack_pack_nil(&msgs.pk);
            shown++;
        }
        mail_parts_free(&parts);
        mail_rec_free(&rec);
        explicit_bzero(who, sizeof *who);
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    char sid[24], rid[24];
    msgpack_pack_map(pk, 9);
    sm_pack_kv_str(pk, "kind", mail_kind_name(p.kind));
    sm_pack_kv_str(pk, "session", p.session ? sm_id_format('S', p.session, sid) : NULL);
    sm_pack_kv_str(pk, "report", p.report ? sm_id_format('R', p.report, rid) : NULL);
    sm_pack_kv_int(pk, "version", p.version);
    sm_pack_kv_bool(pk, "mail_on", m->set.on);
    sm_pack_kv_int(pk, "sending", (int64_t)going);
    sm_pack_kv_int(pk, "not_sending", (int64_t)(p.n - going));
    sm_pack_str(pk, "recipients");
    msgpack_pack_array(pk, p.n);
    if (rows.sbuf.size)
        sm_pack_raw(pk, rows.sbuf.data, rows.sbuf.size);
    sm_pack_str(pk, "messages");
    msgpack_pack_array(pk, (size_t)shown);
    if (msgs.sbuf.size)
        sm_pack_raw(pk, msgs.sbuf.data, msgs.sbuf.size);
    rc = 0;
done:
    s_plan_free(&p);
    if (rows.sbuf.size)
        explicit_bzero(rows.sbuf.data, rows.sbuf.size);
    if (msgs.sbuf.size)
        explicit_bzero(msgs.sbuf.data, msgs.sbuf.size);
    sm_buf_free(&rows);
    sm_buf_free(&msgs);
    explicit_bzero(who, sizeof *who);
    free(who);
    return rc;
}

/* ==== send ===================================================================================== */

int op_mail_send(sm_ctx_t *ctx, const msgpack_object *args)
{
    mail_t *m = mail_of(ctx);
    if (!m->set.on)
        return sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, NULL,
                           _("mail is off: set intake/mail/relay (and from) in samen.cfg and "
                             "restart intake; mail preview shows what would go meanwhile"));
    s_plan_t p;
    record_t *who = calloc(1, sizeof *who);
    sm_buf_t rows;
    sm_buf_init(&rows);
    size_t queued = 0;
    int rc = -1;
    if (!who)
        return sm_ctx_fail(ctx, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (s_plan(ctx, &p) != 0)
        goto done;
    for (size_t i = 0; i < p.n; i++) {
        s_target_t *t = &p.to[i];
        char pid[24], mid[24];
        sm_id_format('P', t->participant, pid);
        int ok = s_check(ctx, &p, t, who);
        if (ok < 0)
            goto done;
        mail_rec_t rec;
        memset(&rec, 0, sizeof rec);
        //  The ID first: the Message-ID is made from it.
        uint64_t id = ok ? sm_ctx_next_id(ctx, 'M') : 0;
        if (ok && !id)
            goto done;
        if (ok && (s_make(ctx, &p, t, who, id, &rec, NULL) != 0 || mail_create(ctx, &rec) != 0)) {
            mail_rec_free(&rec);
            goto done;
        }
        queued += ok;
        msgpack_pack_map(&rows.pk, 4);
        sm_pack_kv_str(&rows.pk, "participant", pid);
        sm_pack_kv_str(&rows.pk, "mail", ok ? sm_id_format('M', rec.id, mid) : NULL);
        sm_pack_kv_str(&rows.pk, "state", ok ? "queued" : "not_sent");
        sm_pack_kv_str(&rows.pk, "reason", t->reason);
        mail_rec_free(&rec);
        explicit_bzero(who, sizeof *who);
    }
    msgpack_packer *pk = sm_ctx_reply(ctx);
    char sid[24], rid[24];
    msgpack_pack_map(pk, 6);
    sm_pack_kv_str(pk, "kind", mail_kind_name(p.kind));
    sm_pack_kv_str(pk, "session", p.session ? sm_id_format('S', p.session, sid) : NULL);
    sm_pack_kv_str(pk, "report", p.report ? sm_id_format('R', p.report, rid) : NULL);
    sm_pack_kv_int(pk, "queued", (int64_t)queued);
    sm_pack_kv_int(pk, "not_sent", (int64_t)(p.n - queued));
    sm_pack_str(pk, "mails");
    msgpack_pack_array(pk, p.n);
    if (rows.sbuf.size)
        sm_pack_raw(pk, rows.sbuf.data, rows.sbuf.size);
    sm_info("mail send", "kind=%s queued=%zu not_sent=%zu", mail_kind_name(p.kind), queued,
            p.n - queued);
    rc = 0;
done:
    s_plan_free(&p);
    sm_buf_free(&rows);
    explicit_bzero(who, sizeof *who);
    free(who);
    return rc;
}

/* ==== list, get ====================================================================================== */

/*  Pack the row of rec; personal: with the address. */
static void s_pack_row(msgpack_packer *pk, const mail_rec_t *r, bool personal)
{
    char ts[24];
    msgpack_pack_map(pk, 12);
    sm_rec_pack_id(pk, "id", 'M', r->id);
    sm_pack_kv_str(pk, "kind", mail_kind_name(r->kind));
    sm_pack_kv_str(pk, "state", mail_state_name(r->state));
    sm_rec_pack_id(pk, "participant", 'P', r->participant);
    sm_rec_pack_id(pk, "session", 'S', r->session);
    sm_rec_pack_id(pk, "report", 'R', r->report);
    sm_pack_kv_int(pk, "attempts", r->attempts);
    sm_pack_kv_str(pk, "queued", r->queued_ms ? sm_datetime_format_utc(r->queued_ms, ts) : NULL);
    sm_pack_kv_str(pk, "sent", r->sent_ms ? sm_datetime_format_utc(r->sent_ms, ts) : NULL);
    bool waits = r->state == MAIL_QUEUED || r->state == MAIL_RETRYING;
    sm_pack_kv_str(pk, "next_try", waits ? sm_datetime_format_utc(r->next_ms, ts) : NULL);
    sm_pack_kv_str(pk, "reason", r->reason[0] ? r->reason : NULL);
    sm_pack_kv_str(pk, "to", personal && r->to[0] ? r->to : NULL);
}

typedef struct {
    int has_state, has_kind;
    mail_state_t state;
    mail_kind_t kind;
    uint64_t participant, session, report;
    size_t limit, n;
    uint64_t last;
    bool more, personal;
    sm_buf_t rows;
} s_list_t;

static int s_list_visit(sm_ctx_t *ctx, uint64_t id, void *arg)
{
    s_list_t *l = arg;
    mail_rec_t r;
    int rc = mail_load(ctx, id, &r);
    if (rc <= 0)
        return rc;
    bool keep = (!l->has_state || r.state == l->state) && (!l->has_kind || r.kind == l->kind) &&
                (!l->participant || r.participant == l->participant) &&
                (!l->session || r.session == l->session) && (!l->report || r.report == l->report);
    if (keep && l->n == l->limit) {
        l->more = true;
        mail_rec_free(&r);
        return 1;
    }
    if (keep) {
        if (l->personal) {
            char pid[24];
            sm_ctx_audit_id(ctx, sm_id_format('P', r.participant, pid));
        }
        s_pack_row(&l->rows.pk, &r, l->personal);
        l->n++;
        l->last = id;
    }
    mail_rec_free(&r);
    return 0;
}

int op_mail_list(sm_ctx_t *ctx, const msgpack_object *args)
{
    s_list_t l;
    memset(&l, 0, sizeof l);
    const char *v;
    if ((v = sm_arg_str(ctx, "state")))
        l.has_state = mail_state_parse(v, &l.state) == 0;
    if ((v = sm_arg_str(ctx, "kind")))
        l.has_kind = mail_kind_parse(v, &l.kind) == 0;
    l.participant = sm_arg_id(ctx, "participant");
    l.session = sm_arg_id(ctx, "session");
    l.report = sm_arg_id(ctx, "report");
    l.limit = (size_t)sm_arg_int(ctx, "limit", S_LIST_DEFAULT);
    l.personal = sm_ctx_sees_personal(ctx);
    uint64_t after = sm_arg_id(ctx, "after");
    sm_buf_init(&l.rows);
    int rc;
    uint8_t prefix[8];
    if (l.participant) {
        sm_key_u64(l.participant, prefix);
        rc = sm_idx_scan(ctx, "mail_by_p", prefix, 8, after, s_list_visit, &l);
    } else if (l.session) {
        sm_key_u64(l.session, prefix);
        rc = sm_idx_scan(ctx, "mail_by_s", prefix, 8, after, s_list_visit, &l);
    } else
        rc = sm_rec_scan(ctx, "mails", after, s_list_visit, &l);
    if (rc == 0) {
        char next[24];
        msgpack_packer *pk = sm_ctx_reply(ctx);
        msgpack_pack_map(pk, 2);
        sm_pack_str(pk, "mails");
        msgpack_pack_array(pk, l.n);
        if (l.rows.sbuf.size)
            sm_pack_raw(pk, l.rows.sbuf.data, l.rows.sbuf.size);
        sm_pack_kv_str(pk, "next", l.more ? sm_id_format('M', l.last, next) : NULL);
    }
    if (l.rows.sbuf.size)
        explicit_bzero(l.rows.sbuf.data, l.rows.sbuf.size);
    sm_buf_free(&l.rows);
    return rc;
}

/*  Load the mail the "mail" argument names, or refuse. Returns 0 or -1. */
static int s_require(sm_ctx_t *ctx, mail_rec_t *r)
{
    uint64_t id = sm_arg_id(ctx, "mail");
    int rc = mail_load(ctx, id, r);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sm_ctx_fail(ctx, SM_E_NOT_FOUND, "mail",
                           _("there is no mail M%llu; mail list shows them"),
                           (unsigned long long)id);
    return 0;
}

int op_mail_get(sm_ctx_t *ctx, const msgpack_object *args)
{
    mail_rec_t r;
    if (s_require(ctx, &r) != 0)
        return -1;
    bool personal = sm_ctx_sees_personal(ctx);
    char ts[24], pid[24], d[11];
    if (personal)
        sm_ctx_audit_id(ctx, sm_id_format('P', r.participant, pid));
    msgpack_packer *pk = sm_ctx_reply(ctx);
    msgpack_pack_map(pk, 22);
    sm_rec_pack_id(pk, "id", 'M', r.id);
    sm_pack_kv_str(pk, "kind", mail_kind_name(r.kind));
    sm_pack_kv_str(pk, "state", mail_state_name(r.state));
    sm_rec_pack_id(pk, "participant", 'P', r.participant);
    sm_rec_pack_id(pk, "session", 'S', r.session);
    sm_rec_pack_id(pk, "report", 'R', r.report);
    sm_pack_kv_int(pk, "report_version", r.report_version);
    sm_pack_kv_str(pk, "reason", r.reason[0] ? r.reason : NULL);
    sm_pack_kv_int(pk, "attempts", r.attempts);
    sm_pack_kv_str(pk, "queued", r.queued_ms ? sm_datetime_format_utc(r.queued_ms, ts) : NULL);
    bool waits = r.state == MAIL_QUEUED || r.state == MAIL_RETRYING;
    sm_pack_kv_str(pk, "next_try", waits ? sm_datetime_format_utc(r.next_ms, ts) : NULL);
    sm_pack_kv_str(pk, "last_try",
                   r.last_try_ms ? sm_datetime_format_utc(r.last_try_ms, ts) : NULL);
    sm_pack_kv_str(pk, "sent", r.sent_ms ? sm_datetime_format_utc(r.sent_ms, ts) : NULL);
    sm_pack_kv_int(pk, "relay_code", r.relay_code);
    sm_pack_kv_str(pk, "relay_reply", personal && r.relay_reply[0] ? r.relay_reply : NULL);
    sm_pack_kv_str(pk, "message_id", r.message_id[0] ? r.message_id : NULL);
    sm_pack_kv_str(pk, "to", personal && r.to[0] ? r.to : NULL);
    sm_pack_kv_str(pk, "subject", personal && r.subject[0] ? r.subject : NULL);
    sm_pack_kv_str(pk, "requested_by", r.requested_by[0] ? r.requested_by : NULL);
    sm_pack_kv_str(pk, "reply_by", r.reply_by.y ? sm_date_format(r.reply_by, d) : NULL);
    sm_pack_kv_str(pk, "lang", r.lang);
    sm_pack_str(pk, "message");
    if (personal && r.message)
        sm_pack_strn(pk, r.message, r.message_len);
    else
        msgpack_pack_nil(pk);
    mail_rec_free(&r);
    return 0;
}

/* ==== retry, cancel ==================================================================================== */

int op_mail_retry(sm_ctx_t *ctx, const msgpack_object *args)
{
    mail_rec_t r;
    if (s_require(ctx, &r) != 0)
        return -1;
    mail_rec_t prev = r;
    char mid[24], pid[24];
    sm_id_format('M', r.id, mid);
    sm_id_format('P', r.participant, pid);
    int rc = -1;
    switch (r.state) {
    case MAIL_SENT:
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "mail",
                    _("%s was sent already; sending it again would reach %s twice (mail send "
                      "with again: true makes a new mail)"),
                    mid, pid);
        goto done;
    case MAIL_SENDING:
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "mail",
                    _("%s is being sent right now; mail show %s tells how it went"), mid, mid);
        goto done;
    case MAIL_SKIPPED:
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "mail",
                    _("%s was never made (%s); when that has changed, mail send makes a new one"),
                    mid, r.reason);
        goto done;
    default:
        break;
    }
    if (strcmp(r.reason, "erased") == 0 || (!r.message && r.state == MAIL_CANCELLED)) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "mail",
                    _("%s was cancelled and its message is gone (%s); it cannot go again"), mid,
                    r.reason);
        goto done;
    }
    r.state = MAIL_QUEUED;
    r.queued_ms = r.next_ms = sm_ctx_now_ms(ctx); /*  the give-up clock starts again */
    r.reason[0] = '\0';
    if (mail_store(ctx, &r, &prev) != 0 || mail_emit(ctx, "queued", &r, "retry") != 0)
        goto done;
    sm_info("mail retry", "mail=%s kind=%s participant=%s attempts=%d", mid,
            mail_kind_name(r.kind), pid, r.attempts);
    s_pack_row(sm_ctx_reply(ctx), &r, false);
    rc = 0;
done:
    mail_rec_free(&r);
    return rc;
}

int op_mail_cancel(sm_ctx_t *ctx, const msgpack_object *args)
{
    mail_rec_t r;
    if (s_require(ctx, &r) != 0)
        return -1;
    mail_rec_t prev = r;
    char mid[24], pid[24];
    sm_id_format('M', r.id, mid);
    sm_id_format('P', r.participant, pid);
    int rc = -1;
    if (r.state != MAIL_QUEUED && r.state != MAIL_RETRYING) {
        sm_ctx_fail(ctx, SM_E_FAILED_PRECONDITION, "mail",
                    _("%s is %s; only a queued or retrying mail can be cancelled"), mid,
                    mail_state_name(r.state));
        goto done;
    }
    r.state = MAIL_CANCELLED;
    snprintf(r.reason, sizeof r.reason, "by_coordinator");
    if (mail_store(ctx, &r, &prev) != 0 || mail_emit(ctx, "cancelled", &r, "by_coordinator") != 0)
        goto done;
    sm_info("mail cancelled", "mail=%s kind=%s participant=%s reason=by_coordinator", mid,
            mail_kind_name(r.kind), pid);
    s_pack_row(sm_ctx_reply(ctx), &r, false);
    rc = 0;
done:
    mail_rec_free(&r);
    return rc;
}
