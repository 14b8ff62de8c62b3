/*  services/intake/mail.h - e-mail to participants, sent by intake (the
    only service that holds addresses).

    What is sent, each from a template (mail_template.h) in the operator's
    template directory, per language (mail/locale):

        invitation    to participants chosen from scheduling's invite list
                      or by ID: the theme, central question, method, place
                      or link, date or period, the reply-by date, how to
                      answer                                  (mail.send)
        confirmation  a place at a session, with an .ics     (registration event)
        waitlisted    a place on the waitlist                 (registration event)
        promoted      from the waitlist to a place, with an .ics (promotion event)
        cancellation  the session is called off, to everyone registered
                      or waitlisted, with an .ics that cancels (session event)
        reminder      mail/reminder_days before a session with an exact
                      time, to those registered                (the tick)
        report        the published report, to everyone who attended
                                                   (reporting.report.published)
        newsletter    to those who opted in (a consent of its own), with
                      an unsubscribe link                     (mail.send)

    Every mail is one message to one participant, kept in the `mails`
    database as a record M<n> with its state:

        queued --> sending --> sent
          ^          |
          |          +--> retrying (the relay said "try later", or was not
          |          |    reached; again after a backoff that doubles from
          |          |    mail/retry_min_s to mail/retry_max_s) --> sending ...
          |          +--> failed   (the relay refused it for good: a 5xx)
          +-- retry  +--> gave_up  (not sent mail/give_up_h after it was queued)
        cancelled (erasure, withdrawal, unsubscribe, a cancelled session or
                   registration, or the coordinator)
        skipped   (an automatic mail that could not go: no e-mail address,
                   consent withdrawn, erased)

    Sent once. The message (headers, Message-ID, Date, body) is made once,
    when the mail is first prepared, and stored; every attempt sends those
    same bytes. "sending" is committed before the relay is spoken to, and
    "sent" in a later transaction, after the relay accepted it. A mail
    found in "sending" at start (the service stopped or died in between)
    is sent again, with the same Message-ID: the one window in which a
    recipient can get two copies is between the relay's "250 accepted" and
    the commit of "sent" (milliseconds), and both copies are the same
    message, which mail programs show once.

    The relay is spoken to by a thread of its own (mail_smtp.h), so the
    service's loop never waits for it: each tick (MAIL_TICK_MS) applies the
    answers that came back, hands the mails committed as "sending" to the
    thread, and marks at most mail/per_tick more as "sending".

    Nothing personal leaves the store: events and log lines say "mail M12
    of kind report for P7 sent"; the address, the name, the subject's
    filled-in values, the body and the relay's answer stay in the record.
    Erasing a participant wipes those fields of every mail to them and
    cancels what was not sent; withdrawing consent cancels what was not
    sent; unsubscribing cancels queued newsletters.

    Events (PROTOCOL.md §3):
        intake.mail.queued    {id, kind, participant, session, report}
        intake.mail.sent      {id, kind, participant, session, report, attempts}
        intake.mail.failed    {id, kind, participant, session, report, attempts,
                               why: "refused" | "gave_up"}
        intake.mail.cancelled {id, kind, participant, session, report, why}
    reporting follows intake.mail.sent of kind report and records the
    report as sent to that participant.
*/
#ifndef SAMEN_INTAKE_MAIL_H
#define SAMEN_INTAKE_MAIL_H

#include "common/service.h"
#include "mail_template.h"
#include "record.h"
#include <stdbool.h>
#include <stdint.h>

#define MAIL_TICK_MS 250
#define MAIL_ADDR_SIZE 256
#define MAIL_SUBJECT_SIZE 512
#define MAIL_REPLY_SIZE 512
#define MAIL_MSGID_SIZE 160
#define MAIL_KEY_SIZE 64

typedef enum {
    MAIL_INVITATION,
    MAIL_CONFIRMATION,
    MAIL_WAITLISTED,
    MAIL_PROMOTED,
    MAIL_CANCELLATION,
    MAIL_REMINDER,
    MAIL_REPORT,
    MAIL_NEWSLETTER,
    MAIL_KINDS
} mail_kind_t;

typedef enum {
    MAIL_QUEUED,
    MAIL_SENDING,
    MAIL_SENT,
    MAIL_RETRYING,
    MAIL_FAILED,
    MAIL_GAVE_UP,
    MAIL_CANCELLED,
    MAIL_SKIPPED,
    MAIL_STATES
} mail_state_t;

const char *mail_kind_name(mail_kind_t kind);
int mail_kind_parse(const char *text, mail_kind_t *out);
const char *mail_state_name(mail_state_t state);
int mail_state_parse(const char *text, mail_state_t *out);
/*  True for kinds about one session (all but report and newsletter also
    need nothing else). */
bool mail_kind_has_session(mail_kind_t kind);

/* ==== Settings (intake/mail/... in samen.cfg) ================================= */

typedef enum { MAIL_TLS_OFF, MAIL_TLS_OPTIONAL, MAIL_TLS_REQUIRED } mail_tls_t;

typedef struct {
    bool on; /*  a relay is configured: mail is sent; else nothing is queued */
    char relay[256];
    int port;
    mail_tls_t starttls;
    char username[256];
    char *password; /*  read from password_file; wiped at exit; never logged */
    char ca_file[512];
    char from_name[200], from_addr[MAIL_ADDR_SIZE];
    char reply_to[MAIL_ADDR_SIZE];
    int64_t timeout_ms;
    char templates_dir[512];
    char lang[4];
    char programme[200];
    int per_tick;
    int64_t retry_min_s, retry_max_s, give_up_s;
    int reminder_days;
    char unsubscribe_url[512];
    char http_listen[128]; /*  "127.0.0.1:8090" or "" */
} mail_settings_t;

/*  The templates of every kind, read at start. */
typedef struct {
    char *subject[MAIL_KINDS]; /*  the subject line's template */
    char *text[MAIL_KINDS];    /*  the text part (the file after the subject) */
    char *html[MAIL_KINDS];
} mail_templates_t;

/*  The placeholders a template may use, NULL-terminated (docs/intake.md
    says which kinds fill which). */
extern const char *const mail_template_keys[];

typedef struct _mail_sender_t mail_sender_t;
typedef struct _mail_fetch_t mail_fetch_t;
typedef struct _mail_web_t mail_web_t;

/*  An answer from the sender thread about one attempt. */
typedef struct {
    uint64_t id;
    int attempt;
    int outcome; /*  MAIL_OUT_* */
    int code;    /*  the relay's last reply code, 0 when it was not reached */
    char reply[MAIL_REPLY_SIZE];
} mail_result_t;

#define MAIL_OUT_SENT 0
#define MAIL_OUT_TEMPORARY 1
#define MAIL_OUT_PERMANENT 2

typedef struct {
    uint64_t id;
    int attempt;
} mail_flight_t;

/*  Mail's state in the running service (intake_t.mail). */
typedef struct {
    mail_settings_t set;
    mail_templates_t tpl;
    mail_sender_t *sender;
    mail_fetch_t *fetch;
    mail_web_t *web;
    /*  Answers received and not yet seen committed (the tick re-applies
        one until the store shows it applied). */
    mail_result_t *results;
    size_t nresults, capresults;
    /*  Attempts handed to the sender thread, not yet answered and seen. */
    mail_flight_t *flights;
    size_t nflights, capflights;
    int64_t last_reminder_ms;
    bool curl_ready; /*  curl_global_init was called */
} mail_t;

/* ==== The stored mail ============================================================= */

typedef struct {
    uint64_t id, participant, session, report;
    int report_version;
    mail_kind_t kind;
    mail_state_t state;
    char reason[256]; /*  why skipped, cancelled or failed; no personal data */
    int attempts;
    int64_t queued_ms, next_ms, last_try_ms, sent_ms;
    int relay_code;
    char relay_reply[MAIL_REPLY_SIZE]; /*  personal: may quote the address */
    char message_id[MAIL_MSGID_SIZE];
    char to[MAIL_ADDR_SIZE];           /*  personal */
    char subject[MAIL_SUBJECT_SIZE];   /*  personal: may hold a name */
    char *message;                     /*  personal; NULL until prepared */
    size_t message_len;
    char key[MAIL_KEY_SIZE];           /*  "report:R9:P7": at most one mail per key */
    char requested_by[64];             /*  the caller's key name; "" when automatic */
    char lang[4];
    sm_date_t reply_by;                /*  y == 0: none */
} mail_rec_t;

/*  Free what rec owns (the message, wiped). Safe twice. */
void mail_rec_free(mail_rec_t *rec);

/*  Load mail id. Returns 1 found, 0 not, -1 (ctx error). */
int mail_load(sm_ctx_t *ctx, uint64_t id, mail_rec_t *rec);

/*  Store rec, keeping its index entries in step with its state; prev is
    the record as stored before (NULL for a new one). Returns 0 or -1. */
int mail_store(sm_ctx_t *ctx, const mail_rec_t *rec, const mail_rec_t *prev);

/*  Allocate an ID (unless rec->id is set already) and store a new mail (state queued or skipped as set in
    rec), with its key (when rec->key is set and already taken: nothing is
    stored and 0 is returned with rec->id 0). Emits intake.mail.queued for
    a queued one. Returns 0, or -1 (ctx error). */
int mail_create(sm_ctx_t *ctx, mail_rec_t *rec);

/*  The mail holding key, 0 when none. Returns 0 or -1. */
int mail_key_find(sm_ctx_t *ctx, const char *key, uint64_t *id);

/*  Emit intake.mail.<verb> for rec, with extra (may be NULL) as "why". */
int mail_emit(sm_ctx_t *ctx, const char *verb, const mail_rec_t *rec, const char *why);

/*  Why participant rec cannot get a mail of kind now, as a reason word
    ("erased", "consent_withdrawn", "no_email", "no_newsletter_consent",
    "paused"), or NULL when they can. */
const char *mail_refusal(const record_t *rec, mail_kind_t kind);

/*  Cancel every queued or retrying mail to participant p (of kind only,
    when kinds is a bit set of (1 << kind); 0 = every kind), with reason
    why. erase: also wipe the personal fields of every mail to p. Returns
    the number cancelled, or -1 (ctx error). */
long mail_cancel_for(sm_ctx_t *ctx, uint64_t p, unsigned kinds, const char *why, bool erase);

/*  The same for the mails about session s (to participant p only, when
    p is not 0). */
long mail_cancel_session(sm_ctx_t *ctx, uint64_t s, uint64_t p, unsigned kinds, const char *why);

/* ==== Making one message (mail_render.c) ======================================== */

/*  Where the renderer gets a session, a theme or a report: the data of
    op on service with {argname: id} (and {version: version} when not 0).
    1 with *data (valid until the source is done with it), 0 not there yet
    (asked; try again later), -1 failed (err). */
typedef int(mail_get_fn)(void *arg, const char *service, const char *op, const char *argname,
                         const char *id, int version, const msgpack_object **data,
                         sm_err_t *err);

typedef struct {
    mail_get_fn *get;
    void *arg;
} mail_source_t;

/*  What the coordinator wrote, for a newsletter. */
typedef struct {
    const char *subject, *text;
} mail_content_t;

/*  One rendered mail. */
typedef struct {
    char *text, *html;    /*  the two parts */
    char *ics;            /*  the attachment, or NULL */
    char ics_name[32];
} mail_parts_t;

void mail_parts_free(mail_parts_t *parts);

/*  Render rec (kind, participant, session, report, reply_by, lang set; a
    message_id is made when empty) for participant p, filling rec->to,
    rec->subject and rec->message. parts (may be NULL) gets the parts.
    Returns 1 done, 0 waiting for the source, -1 failed (err). */
int mail_render(const mail_t *m, mail_rec_t *rec, const record_t *p, const mail_content_t *content,
                const mail_source_t *src, int64_t now_ms, mail_parts_t *parts, sm_err_t *err);

/* ==== The service's side ========================================================== */

/*  Read the mail settings and templates, start the sender thread and the
    unsubscribe endpoint. *out is NULL-free: a mail_t is made even when
    mail is off. Returns 0, or -1 with err naming the setting or file. */
int mail_init(sm_config_t *cfg, void *zctx, const char *broker_ep, int64_t max_message,
              const sm_security_t *sec, mail_t **out, sm_err_t *err);

/*  Stop the thread and the endpoint, wipe the password, free. Safe on NULL. */
void mail_destroy(mail_t **self_p);

/*  The timer (MAIL_TICK_MS). Returns 0, or -1 (ctx error). */
int mail_tick(sm_ctx_t *ctx);

/*  What intake knows of a session's people from scheduling's events
    (mail_follow.c): flags per participant. */
#define MAIL_REG_REGISTERED 1
#define MAIL_REG_WAITLISTED 2
#define MAIL_REG_ATTENDED 4

/*  The participants of session s with a flag in want, in ID order, as a
    malloc'd array in *out (caller frees). Returns the count, or -1. */
long mail_session_people(sm_ctx_t *ctx, uint64_t s, unsigned want, uint64_t **out);

/*  Queue the reminders that are due now (the tick, once a minute).
    Returns 0 or -1. */
int mail_queue_reminders(sm_ctx_t *ctx, int64_t now_ms);

/*  The event followers. */
int on_scheduling_for_mail(sm_ctx_t *ctx, const char *type, uint64_t seq,
                           const msgpack_object *data);
int on_reporting_for_mail(sm_ctx_t *ctx, const char *type, uint64_t seq,
                          const msgpack_object *data);

/*  Ops (proto/ops_intake.c). */
int op_mail_preview(sm_ctx_t *ctx, const msgpack_object *args);
int op_mail_send(sm_ctx_t *ctx, const msgpack_object *args);
int op_mail_list(sm_ctx_t *ctx, const msgpack_object *args);
int op_mail_get(sm_ctx_t *ctx, const msgpack_object *args);
int op_mail_retry(sm_ctx_t *ctx, const msgpack_object *args);
int op_mail_cancel(sm_ctx_t *ctx, const msgpack_object *args);

/*  The mail state of the running service. */
mail_t *mail_of(sm_ctx_t *ctx);

#endif
