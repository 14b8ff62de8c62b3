/*  services/intake/mail_render.c - one mail made from its template, the
    participant, and what scheduling and reporting say. See mail.h.

    The values a template may use (docs/intake.md lists them per kind):
    programme, name, participant, reply_to; for a session: session,
    session_title, theme, question, method, when, tentative, location,
    online (the link of an online session), online_link (the same, when it
    is a web address: only then is it a link in the HTML part), place (a
    venue), reimbursement,
    reply_by, days (until it starts); for a report: report, report_text,
    report_html; for the newsletter: subject, text, unsubscribe_url.
    Every one is set for every kind (empty when it does not apply), so a
    template that names one another kind fills is never an error.
*/
#include "mail.h"
#include "common/i18n.h"
#include "common/l10n.h"
#include "common/record.h"
#include "mail_message.h"
#include "mail_words.h"
#include <stdlib.h>
#include <string.h>

const char *const mail_template_keys[] = {
    "programme", "name",         "participant", "reply_to",      "session",
    "session_title", "theme",    "question",    "method",        "when",
    "tentative", "location",     "online",      "place",         "reimbursement",
    "reply_by",  "days",         "report",      "report_text",   "report_html", "online_link",
    "subject",   "text",         "unsubscribe_url", NULL};

void mail_parts_free(mail_parts_t *parts)
{
    char **all[] = {&parts->text, &parts->html, &parts->ics};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (*all[i]) {
            explicit_bzero(*all[i], strlen(*all[i]));
            free(*all[i]);
            *all[i] = NULL;
        }
}

/*  A text field of a reply map into buf ("" when absent or not text). */
static const char *s_str(const msgpack_object *map, const char *key, char *buf, size_t size)
{
    return sm_rec_str(map, key, buf, size);
}

/*  A UTC instant field ("...Z") as unix ms, 0 when absent. */
static int64_t s_instant(const msgpack_object *map, const char *key)
{
    char buf[40];
    int64_t ms = 0;
    if (!s_str(map, key, buf, sizeof buf)[0] || sm_datetime_parse(buf, &ms, key, NULL) != 0)
        return 0;
    return ms;
}

/*  Set the session's values from scheduling's session.get and theme.get
    replies; make the .ics when the kind carries one. */
static void s_session_vars(const mail_t *m, const mail_rec_t *rec, const msgpack_object *s,
                           const msgpack_object *t, int64_t now_ms, mail_vars_t *v,
                           mail_parts_t *parts)
{
    char buf[4096], when[MAIL_WHEN_SIZE], period[64], code[8], kind[32];
    int64_t start = s_instant(s, "start"), end = s_instant(s, "end");
    mail_vars_set(v, "session", s_str(s, "id", buf, sizeof buf));
    mail_vars_set(v, "session_title", s_str(s, "title", buf, sizeof buf));
    mail_vars_set(v, "theme", t ? s_str(t, "title", buf, sizeof buf) : "");
    //  The session's own central question, else the theme's.
    s_str(s, "question", buf, sizeof buf);
    if (!buf[0] && t)
        s_str(t, "question", buf, sizeof buf);
    mail_vars_set(v, "question", buf);
    mail_vars_set(v, "method", mail_method_name(s_str(s, "method", code, sizeof code)));
    mail_vars_set(v, "when", mail_when(start, end, s_str(s, "period", period, sizeof period),
                                       when));
    //  TRANSLATORS: after a session's date in a mail, for a tentative session (ovb).
    mail_vars_set(v, "tentative", sm_rec_bool(s, "tentative", false) ? _("to be confirmed") : "");
    s_str(s, "location", buf, sizeof buf);
    bool online = strcmp(s_str(s, "location_kind", kind, sizeof kind), "online") == 0;
    mail_vars_set(v, "location", buf);
    mail_vars_set(v, "online", online ? buf : "");
    //  Only a web address becomes a link in the HTML part.
    bool web = strncmp(buf, "https://", 8) == 0 || strncmp(buf, "http://", 7) == 0;
    mail_vars_set(v, "online_link", online && web ? buf : "");
    mail_vars_set(v, "place", online ? "" : buf);
    int64_t cents = sm_rec_int(s, "reimbursement_cents", 0);
    char money[SM_L10N_NUMBER_SIZE];
    mail_vars_set(v, "reimbursement", cents > 0 ? sm_l10n_money(cents, money) : "");
    sm_date_t reply_by = rec->reply_by;
    if (!reply_by.y)
        sm_rec_date(s, "register_by", &reply_by);
    mail_vars_set(v, "reply_by", reply_by.y ? mail_date_long(reply_by, when) : "");
    if (start) {
        int64_t days = sm_date_diff(sm_date_of_ms(now_ms), sm_date_of_ms(start));
        snprintf(buf, sizeof buf, "%lld", (long long)(days > 0 ? days : 0));
        mail_vars_set(v, "days", buf);
    }
    bool ics = rec->kind == MAIL_CONFIRMATION || rec->kind == MAIL_PROMOTED ||
               rec->kind == MAIL_REMINDER || rec->kind == MAIL_CANCELLATION;
    if (!parts || !ics || !start || end <= start)
        return;
    char sid[24], uid[40], summary[600], title[300], theme[300], location[600], question[4096];
    s_str(s, "id", sid, sizeof sid);
    snprintf(uid, sizeof uid, "%s@samen", sid);
    s_str(s, "title", title, sizeof title);
    if (t)
        s_str(t, "title", theme, sizeof theme);
    else
        theme[0] = '\0';
    snprintf(summary, sizeof summary, "%s%s%s", mail_method_name(code),
             theme[0] || title[0] ? ": " : "", title[0] ? title : theme);
    summary[0] = (char)(summary[0] >= 'a' && summary[0] <= 'z' ? summary[0] - 32 : summary[0]);
    s_str(s, "location", location, sizeof location);
    snprintf(question, sizeof question, "%s", mail_vars_get(v, "question"));
    mail_ics_t e = {.uid = uid,
                    .start_ms = start,
                    .end_ms = end,
                    .stamp_ms = now_ms,
                    .summary = summary,
                    .location = location,
                    .description = question,
                    .cancelled = rec->kind == MAIL_CANCELLATION,
                    //  Seconds since 2020: every later mail about the session
                    //  is a later revision of the same event (RFC 5545 SEQUENCE).
                    .sequence = (int)(now_ms / 1000 - 1577836800)};
    parts->ics = mail_ics_build(&e);
    snprintf(parts->ics_name, sizeof parts->ics_name, "%s.ics", sid);
    (void)m;
}

/*  Fill one template part. Returns the text or NULL (err). */
static char *s_fill(const char *tpl, const mail_vars_t *v, bool html, sm_err_t *err)
{
    return mail_template_fill(tpl ? tpl : "", v, html, err);
}

/*  Render in the current language (mail_render switches to the mail's). */
static int s_render(const mail_t *m, mail_rec_t *rec, const record_t *p,
                    const mail_content_t *content, const mail_source_t *src, int64_t now_ms,
                    mail_parts_t *parts, sm_err_t *err);

int mail_render(const mail_t *m, mail_rec_t *rec, const record_t *p, const mail_content_t *content,
                const mail_source_t *src, int64_t now_ms, mail_parts_t *parts, sm_err_t *err)
{
    //  The mail's words (dates, methods, money) in the mail's language, not
    //  the language of the request that makes it; then back.
    char was[8];
    snprintf(was, sizeof was, "%s", sm_i18n_lang());
    sm_i18n_use(rec->lang[0] ? rec->lang : m->set.lang);
    int rc = s_render(m, rec, p, content, src, now_ms, parts, err);
    sm_i18n_use(was);
    return rc;
}

static int s_render(const mail_t *m, mail_rec_t *rec, const record_t *p,
                    const mail_content_t *content, const mail_source_t *src, int64_t now_ms,
                    mail_parts_t *parts, sm_err_t *err)
{
    const mail_settings_t *set = &m->set;
    const char *lang = rec->lang[0] ? rec->lang : set->lang;
    const msgpack_object *sdata = NULL, *tdata = NULL, *rdata = NULL;
    char id[24], pid[24], buf[1024];
    mail_parts_t own = {0};
    mail_parts_t *pp = parts ? parts : &own;
    mail_vars_t v;
    int rc = -1;
    mail_vars_init(&v);
    memset(pp, 0, sizeof *pp);
    if (!m->tpl.text[rec->kind]) {
        sm_err_set(err, SM_E_FAILED_PRECONDITION, "kind",
                   _("the mail templates are not loaded: intake/mail/templates (%s) has no %s/ "
                     "directory with them (the service's log says which file is missing)"),
                   set->templates_dir, lang);
        return -1;
    }
    for (int i = 0; mail_template_keys[i]; i++)
        mail_vars_set(&v, mail_template_keys[i], "");

    //  What the other services say first: it may not be there yet.
    if (rec->session) {
        int got = src->get(src->arg, "scheduling", "session.get", "session",
                           sm_id_format('S', rec->session, id), 0, &sdata, err);
        if (got <= 0) {
            rc = got;
            goto done;
        }
        char theme[24];
        if (s_str(sdata, "theme", theme, sizeof theme)[0]) {
            got = src->get(src->arg, "scheduling", "theme.get", "theme", theme, 0, &tdata, err);
            if (got <= 0) {
                rc = got;
                goto done;
            }
        }
    }
    if (rec->report) {
        int got = src->get(src->arg, "reporting", "report.get", "report",
                           sm_id_format('R', rec->report, id), rec->report_version, &rdata, err);
        if (got <= 0) {
            rc = got;
            goto done;
        }
    }

    mail_vars_set(&v, "programme", set->programme);
    mail_vars_set(&v, "name", p->p.name);
    mail_vars_set(&v, "participant", sm_id_format('P', p->id, pid));
    mail_vars_set(&v, "reply_to", set->reply_to[0] ? set->reply_to : set->from_addr);
    if (sdata)
        s_session_vars(m, rec, sdata, tdata, now_ms, &v, pp);
    if (rdata) {
        mail_vars_set(&v, "report", sm_id_format('R', rec->report, id));
        char *text = sm_rec_strdup(rdata, "text"), *html = sm_rec_strdup(rdata, "html");
        mail_vars_set(&v, "report_text", text);
        //  reporting rendered it with CommonMark in safe mode: no raw HTML
        //  from the report's author survives, so it goes in as it is.
        mail_vars_set_html(&v, "report_html", html);
        free(text);
        free(html);
    }
    if (rec->kind == MAIL_NEWSLETTER) {
        if (!set->unsubscribe_url[0] || !p->newsletter_token[0]) {
            sm_err_set(err, SM_E_FAILED_PRECONDITION, "kind",
                       _("a newsletter needs a working unsubscribe link: set "
                         "intake/mail/unsubscribe_url in samen.cfg"));
            goto done;
        }
        snprintf(buf, sizeof buf, "%s%st=%s", set->unsubscribe_url,
                 strchr(set->unsubscribe_url, '?') ? "&" : "?", p->newsletter_token);
        mail_vars_set(&v, "unsubscribe_url", buf);
        explicit_bzero(buf, sizeof buf);
        if (content) {
            mail_vars_set(&v, "subject", content->subject);
            mail_vars_set(&v, "text", content->text);
        }
    }

    char *subject = s_fill(m->tpl.subject[rec->kind], &v, false, err);
    if (!subject)
        goto done;
    mail_subject_clean(subject);
    snprintf(rec->subject, sizeof rec->subject, "%s", subject);
    explicit_bzero(subject, strlen(subject));
    free(subject);
    if (!(pp->text = s_fill(m->tpl.text[rec->kind], &v, false, err)) ||
        !(pp->html = s_fill(m->tpl.html[rec->kind], &v, true, err)))
        goto done;
    if (!rec->message_id[0] &&
        !mail_message_id(rec->id ? sm_id_format('M', rec->id, id) : "preview", set->from_addr,
                         rec->message_id,
                         sizeof rec->message_id)) {
        sm_err_set(err, SM_E_INTERNAL, NULL, _("no random bytes for a Message-ID"));
        goto done;
    }
    snprintf(rec->to, sizeof rec->to, "%s", p->p.email);
    mail_msg_t msg = {.from_name = set->from_name,
                      .from_addr = set->from_addr,
                      .to_name = p->p.name,
                      .to_addr = p->p.email,
                      .reply_to = set->reply_to,
                      .subject = rec->subject,
                      .message_id = rec->message_id,
                      .date_ms = now_ms,
                      .lang = lang,
                      .text = pp->text,
                      .html = pp->html,
                      .auto_submitted = rec->requested_by[0] == '\0',
                      .unsubscribe_url = rec->kind == MAIL_NEWSLETTER
                                             ? mail_vars_get(&v, "unsubscribe_url")
                                             : NULL,
                      .attach_name = pp->ics_name,
                      .attach_type = rec->kind == MAIL_CANCELLATION
                                         ? "text/calendar; charset=UTF-8; method=CANCEL"
                                         : "text/calendar; charset=UTF-8; method=PUBLISH",
                      .attach_data = pp->ics,
                      .attach_len = pp->ics ? strlen(pp->ics) : 0};
    free(rec->message);
    rec->message = mail_message_build(&msg, &rec->message_len);
    if (!rec->message) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory building mail"));
        goto done;
    }
    rc = 1;
done:
    mail_vars_free(&v);
    mail_parts_free(&own);
    if (rc != 1 && parts)
        mail_parts_free(parts);
    return rc;
}
