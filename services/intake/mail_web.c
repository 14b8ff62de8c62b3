/*  services/intake/mail_web.c - the unsubscribe endpoint. See mail_web.h. */
#include "mail_web.h"
#include "common/client.h"
#include "common/httpd.h"
#include "common/i18n.h"
#include "common/log.h"
#include <stdlib.h>
#include <string.h>

struct _mail_web_t {
    struct MHD_Daemon *daemon;
    void *zctx;
    char broker_ep[256];
    int64_t max_message;
    const sm_security_t *sec; //  the intake service's keys (outlive this)
    bool en;
    /*  Made and used on libmicrohttpd's thread only (every callback runs
        there); destroyed after that thread has stopped. */
    sm_client_t *client;
};

/*  The pages, whole sentences in each language. */
typedef struct {
    const char *title, *ask, *button, *done, *unknown, *later, *bad;
} s_words_t;

static const s_words_t s_nl = {
    "Afmelden voor de nieuwsbrief",
    "Wilt u de nieuwsbrief niet meer ontvangen? Klik dan op de knop. Uw andere gegevens en "
    "afspraken blijven zoals ze zijn.",
    "Afmelden",
    "U bent afgemeld. U ontvangt de nieuwsbrief niet meer.",
    "Deze afmeldlink is niet (meer) bekend. Misschien is hij niet helemaal overgenomen, of zijn "
    "uw gegevens al verwijderd; dan ontvangt u sowieso niets meer.",
    "Het afmelden lukte nu niet. Probeer het later nog eens.",
    "Deze pagina werkt alleen met de link uit de nieuwsbrief."};

static const s_words_t s_en = {
    "Unsubscribe from the newsletter",
    "Don't want the newsletter any more? Press the button. Your other details and appointments "
    "stay as they are.",
    "Unsubscribe",
    "You are unsubscribed. You will not receive the newsletter any more.",
    "This unsubscribe link is not known. It may not have been copied in full, or your details "
    "have been erased already; then nothing more is sent to you anyway.",
    "Unsubscribing did not work just now. Please try again later.",
    "This page only works with the link from the newsletter."};

/*  Answer with a small page. */
static enum MHD_Result s_page(struct MHD_Connection *conn, unsigned status, const s_words_t *w,
                              const char *text, bool form, const char *lang)
{
    char page[2048];
    snprintf(page, sizeof page,
             "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             "<title>%s</title></head>\n<body><main><h1>%s</h1>\n<p>%s</p>\n%s%s%s</main>"
             "</body></html>\n",
             lang, w->title, w->title, text, form ? "<form method=\"post\"><button type=\"submit\">" : "",
             form ? w->button : "", form ? "</button></form>\n" : "");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(page), page, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; form-action 'self'; frame-ancestors 'none'");
    enum MHD_Result rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

/*  Ask intake to withdraw the newsletter's consent of token. Returns the
    HTTP status: 200 done, 404 unknown, 503 not now. */
static unsigned s_unsubscribe(mail_web_t *self, const char *token)
{
    sm_err_t err = {0};
    if (!self->client &&
        !(self->client = sm_client_new(self->zctx, self->broker_ep, self->max_message, self->sec, &err)))
        return 503;
    sm_buf_t args;
    sm_buf_init(&args);
    msgpack_pack_map(&args.pk, 1);
    sm_pack_kv_str(&args.pk, "token", token);
    char rid[32];
    sm_rid_new(rid);
    sm_doc_t *reply = sm_client_call(self->client, "intake", "newsletter.unsubscribe",
                                     args.sbuf.data, args.sbuf.size, rid, 3000, 1, &err);
    sm_buf_free(&args);
    const msgpack_object *data = NULL;
    unsigned status = 503;
    if (reply && sm_reply_check(reply, &data, &err) == 0)
        status = 200;
    else if (reply && err.code && strcmp(err.code, SM_E_NOT_FOUND) == 0)
        status = 404;
    sm_doc_destroy(&reply);
    sm_info("unsubscribe request", "status=%u", status);
    return status;
}

static enum MHD_Result s_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                const char *method, const char *version, const char *upload,
                                size_t *upload_size, void **state)
{
    (void)url, (void)version, (void)upload;
    mail_web_t *self = cls;
    const s_words_t *w = self->en ? &s_en : &s_nl;
    const char *lang = self->en ? "en" : "nl";
    bool post = strcmp(method, "POST") == 0;
    if (post && !*state) {
        *state = (void *)1; /*  the body comes next; it is not needed */
        return MHD_YES;
    }
    if (post && *upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (!post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return s_page(conn, 405, w, w->bad, false, lang);
    const char *token = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "t");
    if (!token || !token[0] || strlen(token) > 64)
        return s_page(conn, 400, w, w->bad, false, lang);
    if (!post)
        return s_page(conn, 200, w, w->ask, true, lang);
    unsigned status = s_unsubscribe(self, token);
    return s_page(conn, status, w,
                  status == 200 ? w->done : status == 404 ? w->unknown : w->later, false, lang);
}

mail_web_t *mail_web_new(const char *listen, const char *lang, void *zctx, const char *broker_ep,
                         int64_t max_message, const sm_security_t *sec, sm_err_t *err)
{
    static const char field[] = "intake/mail/http_listen";
    mail_web_t *self = calloc(1, sizeof *self);
    if (!self) {
        sm_err_set(err, SM_E_RESOURCE_EXHAUSTED, NULL, _("out of memory"));
        return NULL;
    }
    self->zctx = zctx;
    snprintf(self->broker_ep, sizeof self->broker_ep, "%s", broker_ep);
    self->max_message = max_message;
    self->sec = sec;
    self->en = strcmp(lang, "en") == 0;
    self->daemon = sm_httpd_start(listen, field, s_handle, self, err);
    if (!self->daemon) {
        free(self);
        return NULL;
    }
    sm_info("unsubscribe endpoint listening", "listen=%s", listen);
    return self;
}

void mail_web_destroy(mail_web_t **self_p)
{
    mail_web_t *self = *self_p;
    if (!self)
        return;
    if (self->daemon)
        MHD_stop_daemon(self->daemon);
    sm_client_destroy(&self->client);
    free(self);
    *self_p = NULL;
}
