/*  services/intake/mail_smtp.c - the relay thread. See mail_smtp.h. */
#include "mail_smtp.h"
#include "common/i18n.h"
#include "common/log.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

struct _mail_sender_t {
    void *zctx;
    void *work;    /*  the loop's end of the work pipe */
    void *control; /*  the loop's end of the stop pipe */
    char work_ep[64], control_ep[64];
    mail_settings_t set; /*  the thread's copy; password duplicated */
    pthread_t thread;
    bool started;
};

/*  What the thread keeps while it runs. */
typedef struct {
    mail_sender_t *owner; /*  only its settings and endpoints are read, never written */
    void *work, *control;
    CURL *curl;
    char url[400];
    char from[MAIL_ADDR_SIZE + 2];
    char last_reply[MAIL_REPLY_SIZE];
    char errbuf[CURL_ERROR_SIZE];
    bool stop;
    /*  The message being read out by libcurl. */
    const char *data;
    size_t len, pos;
} s_thread_t;

int mail_smtp_classify(int curl_code, long smtp_code)
{
    if (curl_code == CURLE_OK)
        return MAIL_OUT_SENT;
    //  A refused login (530, 534, 535, 538) is the operator's to mend, not
    //  the recipient's: the mail waits for it like for a relay that is down.
    if (smtp_code >= 500 && smtp_code < 600 && smtp_code != 530 && smtp_code != 534 &&
        smtp_code != 535 && smtp_code != 538)
        return MAIL_OUT_PERMANENT;
    return MAIL_OUT_TEMPORARY;
}

/* ==== libcurl callbacks (on the thread) ===================================== */

static size_t s_read(char *buf, size_t size, size_t nitems, void *arg)
{
    s_thread_t *t = arg;
    size_t room = size * nitems, left = t->len - t->pos;
    size_t n = left < room ? left : room;
    memcpy(buf, t->data + t->pos, n);
    t->pos += n;
    return n;
}

/*  Keep the relay's last reply line (CURLINFO_HEADER_IN); what we send
    (which holds the login) is never looked at. */
static int s_debug(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
    (void)c;
    s_thread_t *t = arg;
    if (type != CURLINFO_HEADER_IN)
        return 0;
    while (size && (data[size - 1] == '\n' || data[size - 1] == '\r'))
        size--;
    if (size >= sizeof t->last_reply)
        size = sizeof t->last_reply - 1;
    memcpy(t->last_reply, data, size);
    t->last_reply[size] = '\0';
    for (size_t i = 0; i < size; i++)
        if ((unsigned char)t->last_reply[i] < 0x20)
            t->last_reply[i] = ' ';
    return 0;
}

/*  Abort the transfer when the loop says stop. */
static int s_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    s_thread_t *t = arg;
    zmq_pollitem_t item = {t->control, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, 0) > 0 && (item.revents & ZMQ_POLLIN))
        t->stop = true;
    return t->stop ? 1 : 0;
}

/* ==== The thread ============================================================= */

/*  Set the options that stay the same for every message. Returns 0 or -1. */
static int s_setup(s_thread_t *t)
{
    const mail_settings_t *s = &t->owner->set;
    if (!(t->curl = curl_easy_init()))
        return -1;
    snprintf(t->url, sizeof t->url, "smtp://%s:%d", s->relay, s->port);
    snprintf(t->from, sizeof t->from, "<%s>", s->from_addr);
    CURL *c = t->curl;
    curl_easy_setopt(c, CURLOPT_URL, t->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     s->starttls == MAIL_TLS_REQUIRED   ? (long)CURLUSESSL_ALL
                     : s->starttls == MAIL_TLS_OPTIONAL ? (long)CURLUSESSL_TRY
                                                        : (long)CURLUSESSL_NONE);
    if (s->ca_file[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
    if (s->username[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s->username);
        curl_easy_setopt(c, CURLOPT_PASSWORD, s->password ? s->password : "");
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, t->from);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)s->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)s->timeout_ms);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, s_read);
    curl_easy_setopt(c, CURLOPT_READDATA, t);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, s_debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, s_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->errbuf);
    return 0;
}

/*  Send one message; fill r with the outcome. */
static void s_deliver(s_thread_t *t, const char *to, const char *msg, size_t len,
                      mail_result_t *r)
{
    char rcpt[MAIL_ADDR_SIZE + 2];
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    struct curl_slist *list = curl_slist_append(NULL, rcpt);
    t->data = msg;
    t->len = len;
    t->pos = 0;
    t->last_reply[0] = '\0';
    t->errbuf[0] = '\0';
    curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, list);
    curl_easy_setopt(t->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    CURLcode rc = list ? curl_easy_perform(t->curl) : CURLE_OUT_OF_MEMORY;
    long code = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_setopt(t->curl, CURLOPT_MAIL_RCPT, NULL);
    curl_slist_free_all(list);
    explicit_bzero(rcpt, sizeof rcpt);
    r->code = (int)code;
    r->outcome = mail_smtp_classify(rc, code);
    if (rc != CURLE_OK && !t->last_reply[0])
        snprintf(r->reply, sizeof r->reply, "%s",
                 t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
    else
        snprintf(r->reply, sizeof r->reply, "%s", t->last_reply);
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        snprintf(r->reply, sizeof r->reply, "the service stopped during the attempt");
}

/*  Receive one frame into buf (NUL-terminated, cut at size). Returns its
    length, or -1. */
static int s_frame(void *sock, char *buf, size_t size)
{
    int n = zmq_recv(sock, buf, size - 1, 0);
    if (n < 0)
        return -1;
    if ((size_t)n > size - 1)
        n = (int)(size - 1);
    buf[n] = '\0';
    return n;
}

static void *s_run(void *arg)
{
    s_thread_t *t = arg;
    mail_sender_t *o = t->owner;
    t->work = zmq_socket(o->zctx, ZMQ_PAIR);
    t->control = zmq_socket(o->zctx, ZMQ_PAIR);
    int linger = 0;
    zmq_setsockopt(t->work, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(t->control, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect(t->work, o->work_ep) != 0 || zmq_connect(t->control, o->control_ep) != 0 ||
        s_setup(t) != 0) {
        sm_error("mail thread failed to start", "reason=%s", zmq_strerror(zmq_errno()));
        t->stop = true;
    }
    while (!t->stop) {
        zmq_pollitem_t items[2] = {{t->work, 0, ZMQ_POLLIN, 0}, {t->control, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, -1) < 0)
            continue;
        if (items[1].revents & ZMQ_POLLIN)
            break;
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;
        //  "S", id, attempt, to, message
        char cmd[4], to[MAIL_ADDR_SIZE];
        uint64_t id = 0;
        uint32_t attempt = 0;
        int more = 0;
        size_t ms = sizeof more;
        zmq_msg_t message;
        zmq_msg_init(&message);
        bool ok = s_frame(t->work, cmd, sizeof cmd) == 1 && cmd[0] == 'S' &&
                  zmq_recv(t->work, &id, sizeof id, 0) == sizeof id &&
                  zmq_recv(t->work, &attempt, sizeof attempt, 0) == sizeof attempt &&
                  s_frame(t->work, to, sizeof to) > 0 && zmq_msg_recv(&message, t->work, 0) >= 0;
        //  Drain whatever is left of a malformed job.
        while (zmq_getsockopt(t->work, ZMQ_RCVMORE, &more, &ms) == 0 && more) {
            zmq_msg_t rest;
            zmq_msg_init(&rest);
            zmq_msg_recv(&rest, t->work, 0);
            zmq_msg_close(&rest);
        }
        if (ok) {
            mail_result_t r = {.id = id, .attempt = (int)attempt};
            s_deliver(t, to, zmq_msg_data(&message), zmq_msg_size(&message), &r);
            if (t->stop)
                ok = false; /*  the loop is gone; nobody to answer */
            else {
                uint8_t outcome = (uint8_t)r.outcome;
                int32_t code = r.code;
                zmq_send(t->work, "R", 1, ZMQ_SNDMORE);
                zmq_send(t->work, &r.id, sizeof r.id, ZMQ_SNDMORE);
                zmq_send(t->work, &attempt, sizeof attempt, ZMQ_SNDMORE);
                zmq_send(t->work, &outcome, 1, ZMQ_SNDMORE);
                zmq_send(t->work, &code, sizeof code, ZMQ_SNDMORE);
                zmq_send(t->work, r.reply, strlen(r.reply), 0);
            }
            explicit_bzero(&r, sizeof r);
        }
        if (zmq_msg_size(&message))
            explicit_bzero(zmq_msg_data(&message), zmq_msg_size(&message));
        zmq_msg_close(&message);
        explicit_bzero(to, sizeof to);
    }
    if (t->curl)
        curl_easy_cleanup(t->curl);
    zmq_close(t->work);
    zmq_close(t->control);
    free(t);
    return NULL;
}

/* ==== The loop's side ========================================================= */

mail_sender_t *mail_sender_new(void *zctx, const mail_settings_t *set, sm_err_t *err)
{
    mail_sender_t *self = calloc(1, sizeof *self);
    s_thread_t *t = calloc(1, sizeof *t);
    if (!self || !t) {
        free(self);
        free(t);
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->zctx = zctx;
    self->set = *set;
    self->set.password = set->password ? strdup(set->password) : NULL;
    snprintf(self->work_ep, sizeof self->work_ep, "inproc://samen-mail-work-%p", (void *)self);
    snprintf(self->control_ep, sizeof self->control_ep, "inproc://samen-mail-stop-%p",
             (void *)self);
    self->work = zmq_socket(zctx, ZMQ_PAIR);
    self->control = zmq_socket(zctx, ZMQ_PAIR);
    int linger = 0, hwm = 1000;
    if (self->work) {
        zmq_setsockopt(self->work, ZMQ_LINGER, &linger, sizeof linger);
        zmq_setsockopt(self->work, ZMQ_SNDHWM, &hwm, sizeof hwm);
    }
    if (self->control)
        zmq_setsockopt(self->control, ZMQ_LINGER, &linger, sizeof linger);
    t->owner = self;
    if (!self->work || !self->control || zmq_bind(self->work, self->work_ep) != 0 ||
        zmq_bind(self->control, self->control_ep) != 0 ||
        pthread_create(&self->thread, NULL, s_run, t) != 0) {
        free(t);
        sm_err_set(err, SM_E_INTERNAL, NULL, _("the mail thread could not be started: %s"),
                   zmq_strerror(zmq_errno()));
        mail_sender_destroy(&self);
        return NULL;
    }
    self->started = true;
    return self;
}

void mail_sender_destroy(mail_sender_t **self_p)
{
    mail_sender_t *self = *self_p;
    if (!self)
        return;
    if (self->started) {
        zmq_send(self->control, "Q", 1, 0);
        pthread_join(self->thread, NULL);
    }
    if (self->work)
        zmq_close(self->work);
    if (self->control)
        zmq_close(self->control);
    if (self->set.password) {
        explicit_bzero(self->set.password, strlen(self->set.password));
        free(self->set.password);
    }
    explicit_bzero(self, sizeof *self);
    free(self);
    *self_p = NULL;
}

int mail_sender_send(mail_sender_t *self, uint64_t id, int attempt, const char *to,
                     const char *message, size_t len)
{
    uint32_t a = (uint32_t)attempt;
    //  The thread reads whole messages: with the pipe full, nothing of
    //  this one is sent (the first frame fails with EAGAIN).
    if (zmq_send(self->work, "S", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) != 1)
        return -1;
    zmq_send(self->work, &id, sizeof id, ZMQ_SNDMORE);
    zmq_send(self->work, &a, sizeof a, ZMQ_SNDMORE);
    zmq_send(self->work, to, strlen(to), ZMQ_SNDMORE);
    zmq_send(self->work, message, len, 0);
    return 0;
}

int mail_sender_collect(mail_sender_t *self, mail_result_t *out)
{
    char cmd[2];
    int n = zmq_recv(self->work, cmd, sizeof cmd, ZMQ_DONTWAIT);
    if (n < 0)
        return 0;
    memset(out, 0, sizeof *out);
    uint32_t attempt = 0;
    uint8_t outcome = MAIL_OUT_TEMPORARY;
    int32_t code = 0;
    int more = 0;
    size_t ms = sizeof more;
    bool ok = n == 1 && cmd[0] == 'R' &&
              zmq_recv(self->work, &out->id, sizeof out->id, 0) == sizeof out->id &&
              zmq_recv(self->work, &attempt, sizeof attempt, 0) == sizeof attempt &&
              zmq_recv(self->work, &outcome, 1, 0) == 1 &&
              zmq_recv(self->work, &code, sizeof code, 0) == sizeof code;
    int rn = ok ? zmq_recv(self->work, out->reply, sizeof out->reply - 1, 0) : -1;
    while (zmq_getsockopt(self->work, ZMQ_RCVMORE, &more, &ms) == 0 && more) {
        char skip[8];
        zmq_recv(self->work, skip, sizeof skip, 0);
    }
    if (!ok || rn < 0)
        return 0;
    out->reply[(size_t)rn < sizeof out->reply - 1 ? (size_t)rn : sizeof out->reply - 1] = '\0';
    out->attempt = (int)attempt;
    out->outcome = outcome <= MAIL_OUT_PERMANENT ? outcome : MAIL_OUT_TEMPORARY;
    out->code = code;
    return 1;
}
