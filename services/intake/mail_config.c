/*  services/intake/mail_config.c - mail's settings and templates, read at
    start (mail_init) and freed at exit (mail_destroy). See mail.h.

    A mistake stops the service at start (exit 2) with a message naming
    the setting or the template file and line: a relay without a sender, a
    password file that cannot be read, a template with a placeholder samen
    does not know. Without a relay mail is off: nothing is queued, and
    templates that cannot be read only cost a warning (preview needs them).
*/
#include "common/config_table.h"
#include "common/i18n.h"
#include "common/log.h"
#include "mail.h"
#include "mail_fetch.h"
#include "mail_message.h"
#include "mail_smtp.h"
#include "mail_web.h"
#include "mail_words.h"
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_TEMPLATE_MAX (256 * 1024)

/* ==== Templates ================================================================ */

/*  Read a whole file (at most S_TEMPLATE_MAX bytes) as text. Returns it
    (caller frees), or NULL with err naming path. */
static char *s_read_file(const char *path, sm_err_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/templates",
                   _("the mail template %s cannot be read: %s"), path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(S_TEMPLATE_MAX + 1);
    size_t n = buf ? fread(buf, 1, S_TEMPLATE_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n > S_TEMPLATE_MAX) {
        free(buf);
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/templates",
                   _("the mail template %s is larger than %d bytes"), path, S_TEMPLATE_MAX);
        return NULL;
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/templates",
                   _("the mail template %s is not text"), path);
        return NULL;
    }
    return buf;
}

/*  Free the templates. */
static void s_templates_free(mail_templates_t *t)
{
    for (int k = 0; k < MAIL_KINDS; k++) {
        free(t->subject[k]);
        free(t->text[k]);
        free(t->html[k]);
    }
    memset(t, 0, sizeof *t);
}

/*  Read and check the templates of every kind for lang from dir. Returns
    0, or -1 with err naming the file. */
static int s_templates_load(mail_templates_t *t, const char *dir, const char *lang, sm_err_t *err)
{
    for (int k = 0; k < MAIL_KINDS; k++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s/%s.txt", dir, lang, mail_kind_name((mail_kind_t)k));
        char *txt = s_read_file(path, err);
        if (!txt)
            return -1;
        const char *subject, *body;
        size_t slen;
        if (mail_template_split(txt, path, &subject, &slen, &body, err) != 0 ||
            !(t->subject[k] = strndup(subject, slen)) || !(t->text[k] = strdup(body))) {
            free(txt);
            if (!sm_err_is_set(err))
                sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
            return -1;
        }
        free(txt);
        if (mail_template_check(t->subject[k], mail_template_keys, path, err) != 0 ||
            mail_template_check(t->text[k], mail_template_keys, path, err) != 0)
            return -1;
        snprintf(path, sizeof path, "%s/%s/%s.html", dir, lang, mail_kind_name((mail_kind_t)k));
        if (!(t->html[k] = s_read_file(path, err)) ||
            mail_template_check(t->html[k], mail_template_keys, path, err) != 0)
            return -1;
    }
    return 0;
}

/* ==== Settings ==================================================================== */

/*  A text setting into buf; refuses one that does not fit. */
static int s_text(sm_config_t *cfg, const char *path, char *buf, size_t size, sm_err_t *err)
{
    const char *v = sm_cfg_str(cfg, path);
    if (strlen(v) >= size)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, path, _("%s is longer than %zu characters"),
                          path, size - 1);
    snprintf(buf, size, "%s", v);
    return 0;
}

/*  Read the password's first line from path. Returns it (caller wipes and
    frees), or NULL with err. The file's contents are never logged. */
static char *s_password(const char *path, sm_err_t *err)
{
    struct stat st;
    FILE *f = fopen(path, "r");
    if (!f || fstat(fileno(f), &st) != 0) {
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/password_file",
                   _("intake/mail/password_file %s cannot be read: %s"), path, strerror(errno));
        if (f)
            fclose(f);
        return NULL;
    }
    if (st.st_mode & 0077)
        sm_warn("mail password file readable by others", "path=%s mode=%o hint=\"chmod 600\"",
                path, (unsigned)(st.st_mode & 0777));
    char line[1024];
    char *got = fgets(line, sizeof line, f);
    fclose(f);
    if (!got) {
        explicit_bzero(line, sizeof line);
        sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/password_file",
                   _("intake/mail/password_file %s is empty; put the password on its first line"),
                   path);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    char *pw = strdup(line);
    explicit_bzero(line, sizeof line);
    if (!pw)
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    return pw;
}

/*  Read every mail setting into s. Returns 0, or -1 with err. */
static int s_settings(sm_config_t *cfg, mail_settings_t *s, sm_err_t *err)
{
    int64_t port, per_tick, reminder, give_up_h;
    char tls[16], from[400], pwfile[512];
    if (s_text(cfg, "intake/mail/relay", s->relay, sizeof s->relay, err) ||
        sm_cfg_int(cfg, "intake/mail/port", &port, err) ||
        s_text(cfg, "intake/mail/starttls", tls, sizeof tls, err) ||
        s_text(cfg, "intake/mail/username", s->username, sizeof s->username, err) ||
        s_text(cfg, "intake/mail/password_file", pwfile, sizeof pwfile, err) ||
        s_text(cfg, "intake/mail/ca_file", s->ca_file, sizeof s->ca_file, err) ||
        s_text(cfg, "intake/mail/from", from, sizeof from, err) ||
        s_text(cfg, "intake/mail/reply_to", s->reply_to, sizeof s->reply_to, err) ||
        sm_cfg_int(cfg, "intake/mail/timeout_ms", &s->timeout_ms, err) ||
        s_text(cfg, "intake/mail/templates", s->templates_dir, sizeof s->templates_dir, err) ||
        s_text(cfg, "intake/mail/locale", s->lang, sizeof s->lang, err) ||
        s_text(cfg, "intake/mail/programme", s->programme, sizeof s->programme, err) ||
        sm_cfg_int(cfg, "intake/mail/per_tick", &per_tick, err) ||
        sm_cfg_int(cfg, "intake/mail/retry_min_s", &s->retry_min_s, err) ||
        sm_cfg_int(cfg, "intake/mail/retry_max_s", &s->retry_max_s, err) ||
        sm_cfg_int(cfg, "intake/mail/give_up_h", &give_up_h, err) ||
        sm_cfg_int(cfg, "intake/mail/reminder_days", &reminder, err) ||
        s_text(cfg, "intake/mail/unsubscribe_url", s->unsubscribe_url,
               sizeof s->unsubscribe_url, err) ||
        s_text(cfg, "intake/mail/http_listen", s->http_listen, sizeof s->http_listen, err))
        return -1;
    s->port = (int)port;
    s->per_tick = (int)per_tick;
    s->reminder_days = (int)reminder;
    s->give_up_s = give_up_h * 3600;
    if (strcmp(tls, "required") == 0)
        s->starttls = MAIL_TLS_REQUIRED;
    else if (strcmp(tls, "optional") == 0)
        s->starttls = MAIL_TLS_OPTIONAL;
    else if (strcmp(tls, "off") == 0)
        s->starttls = MAIL_TLS_OFF;
    else
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/starttls",
                          _("intake/mail/starttls must be required, optional or off"));
    if (!mail_lang_known(s->lang))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/locale",
                          _("intake/mail/locale must be nl or en"));
    if (s->retry_max_s < s->retry_min_s)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/retry_max_s",
                          _("intake/mail/retry_max_s must not be below retry_min_s"));
    for (const char *c = s->relay; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '-' || *c == ':' || *c == '[' || *c == ']'))
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/relay",
                              _("intake/mail/relay must be a host name or address, like "
                                "smtp.example.nl"));
    s->on = s->relay[0] != '\0';
    if (from[0] && mail_address_split(from, s->from_name, sizeof s->from_name, s->from_addr,
                                      sizeof s->from_addr) != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/from",
                          _("intake/mail/from must be an address, or a name and an address like "
                            "\"Samenkracht <samen@example.nl>\""));
    if (s->on && !s->from_addr[0])
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/from",
                          _("intake/mail/from is needed with a relay: the address mail comes "
                            "from, like \"Samenkracht <samen@example.nl>\""));
    char rn[8], ra[MAIL_ADDR_SIZE];
    if (s->reply_to[0] && (mail_address_split(s->reply_to, rn, 0, ra, sizeof ra) != 0 ||
                           strchr(s->reply_to, '<')))
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/reply_to",
                          _("intake/mail/reply_to must be a bare address, like "
                            "coordinator@example.nl"));
    if (s->unsubscribe_url[0] && strncmp(s->unsubscribe_url, "https://", 8) != 0 &&
        strncmp(s->unsubscribe_url, "http://", 7) != 0)
        return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/unsubscribe_url",
                          _("intake/mail/unsubscribe_url must start with https:// (or http://)"));
    for (const char *c = s->unsubscribe_url; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == '"' || *c == '<' || *c == '>' || *c == 0x7F)
            return sm_err_set(err, SM_E_INVALID_ARGUMENT, "intake/mail/unsubscribe_url",
                              _("intake/mail/unsubscribe_url must not hold spaces, quotes or "
                                "angle brackets"));
    if (pwfile[0] && !(s->password = s_password(pwfile, err)))
        return -1;
    return 0;
}

/* ==== Start and stop ================================================================ */

int mail_init(sm_config_t *cfg, void *zctx, const char *broker_ep, int64_t max_message,
              const sm_security_t *sec, mail_t **out, sm_err_t *err)
{
    mail_t *m = calloc(1, sizeof *m);
    *out = m;
    if (!m)
        return sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
    if (s_settings(cfg, &m->set, err) != 0)
        return -1;
    if (s_templates_load(&m->tpl, m->set.templates_dir, m->set.lang, err) != 0) {
        if (m->set.on)
            return -1;
        //  Off: the service runs; preview says what is missing.
        char q[600];
        sm_warn("mail templates not loaded", "reason=%s",
                sm_log_quote(err->message, q, sizeof q));
        s_templates_free(&m->tpl);
        sm_err_clear(err);
    }
    if (m->set.http_listen[0] &&
        !(m->web = mail_web_new(m->set.http_listen, m->set.lang, zctx, broker_ep, max_message,
                               sec, err)))
        return -1;
    if (!m->set.on) {
        sm_info("mail off", "reason=\"no intake/mail/relay\"");
        return 0;
    }
    //  Before any thread: libcurl's global set-up is not thread-safe.
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return sm_err_set(err, SM_E_INTERNAL, NULL, _("libcurl could not be initialised"));
    m->curl_ready = true;
    if (!(m->fetch = mail_fetch_new(zctx, broker_ep, max_message, sec, err)) ||
        !(m->sender = mail_sender_new(zctx, &m->set, err)))
        return -1;
    sm_info("mail on", "relay=%s port=%d starttls=%s login=%s locale=%s per_tick=%d",
            m->set.relay, m->set.port,
            m->set.starttls == MAIL_TLS_REQUIRED   ? "required"
            : m->set.starttls == MAIL_TLS_OPTIONAL ? "optional"
                                                   : "off",
            m->set.username[0] ? "yes" : "no", m->set.lang, m->set.per_tick);
    return 0;
}

void mail_destroy(mail_t **self_p)
{
    mail_t *m = *self_p;
    if (!m)
        return;
    mail_web_destroy(&m->web);
    mail_sender_destroy(&m->sender);
    mail_fetch_destroy(&m->fetch);
    if (m->curl_ready)
        curl_global_cleanup();
    s_templates_free(&m->tpl);
    if (m->set.password) {
        explicit_bzero(m->set.password, strlen(m->set.password));
        free(m->set.password);
    }
    free(m->results);
    free(m->flights);
    explicit_bzero(m, sizeof *m);
    free(m);
    *self_p = NULL;
}
