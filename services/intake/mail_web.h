/*  services/intake/mail_web.h - the unsubscribe endpoint: how the link in
    a newsletter reaches intake.

    Every newsletter carries a link, intake/mail/unsubscribe_url + "?t=" +
    the participant's token (32 random hex digits, nothing else about
    them), in the text and in List-Unsubscribe (RFC 2369) with
    List-Unsubscribe-Post (RFC 8058, one click from the mail program).
    The operator's web server forwards that address to this endpoint
    (intake/mail/http_listen, on 127.0.0.1 by default), served by Debian's
    libmicrohttpd on a thread of its own:

        GET  ...?t=TOKEN   a page with one button, "Afmelden": nothing
                           changes yet (mail scanners open links)
        POST ...?t=TOKEN   intake's op newsletter.unsubscribe {token},
                           called through the broker like any client;
                           the page says it is done (200), that the link
                           is not known (404), or to try later (503)

    The thread reads nothing of intake's memory and writes nothing but
    its replies: it is a client of intake like samenctl is. Pages carry
    Referrer-Policy: no-referrer (the token is in the address) and
    Cache-Control: no-store; at most 16 connections, 4 per address, 10 s
    each.
*/
#ifndef SAMEN_INTAKE_MAIL_WEB_H
#define SAMEN_INTAKE_MAIL_WEB_H

#include "common/err.h"
#include "mail.h"
#include <stdint.h>

/*  Listen on listen ("127.0.0.1:8090", "[::1]:8090"); unsubscribe
    requests reach intake through the broker with sec's keys. Returns the
    endpoint, or NULL with err naming intake/mail/http_listen. */
mail_web_t *mail_web_new(const char *listen, const char *lang, void *zctx, const char *broker_ep,
                         int64_t max_message, const sm_security_t *sec, sm_err_t *err);

/*  Stop listening and free. Safe on NULL and twice. */
void mail_web_destroy(mail_web_t **self_p);

#endif
