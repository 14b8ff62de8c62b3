/*  services/intake/mail_smtp.h - the thread that talks to the relay.

    SMTP goes through Debian's libcurl (its SMTP support: STARTTLS, login,
    timeouts), on a thread of its own so that a slow or dead relay never
    holds up the service's loop. The loop and the thread share nothing
    mutable: they talk over two inproc ZeroMQ PAIR sockets, one for work
    (a message to send, and the answer back) and one to say "stop", which
    the thread also watches during a transfer, so that a stop never waits
    out a hanging relay.

        loop -> thread   "S" id attempt to message     send this message to this address
        thread -> loop   "R" id attempt outcome code reply

    outcome: sent (the relay said 250 to the message), temporary (not
    reached, timed out, a 4xx, or a refused login: the operator's to mend)
    or permanent (any other 5xx: the address does not exist, ...). reply
    is the relay's last answer (or libcurl's message when there was none);
    it may quote the address, so it goes into the store only.

    The thread holds its own copy of the relay settings, password
    included, wiped when it ends.
*/
#ifndef SAMEN_INTAKE_MAIL_SMTP_H
#define SAMEN_INTAKE_MAIL_SMTP_H

#include "common/err.h"
#include "mail.h"
#include <stddef.h>
#include <stdint.h>

/*  Start the thread for the relay in set, in ZeroMQ context zctx. Returns
    it, or NULL with err. */
mail_sender_t *mail_sender_new(void *zctx, const mail_settings_t *set, sm_err_t *err);

/*  Tell the thread to stop (an attempt in hand is aborted), wait for it,
    free. Safe on NULL and twice. */
void mail_sender_destroy(mail_sender_t **self_p);

/*  Hand one attempt to the thread, without waiting. Returns 0, or -1 when
    it cannot take more now (try again on a later tick). */
int mail_sender_send(mail_sender_t *self, uint64_t id, int attempt, const char *to,
                     const char *message, size_t len);

/*  Take one answer, without waiting. Returns 1 with *out set, 0 when there
    is none. */
int mail_sender_collect(mail_sender_t *self, mail_result_t *out);

/*  The outcome of a finished attempt from libcurl's result and the relay's
    last reply code: MAIL_OUT_SENT, _TEMPORARY or _PERMANENT. Pure. */
int mail_smtp_classify(int curl_code, long smtp_code);

#endif
